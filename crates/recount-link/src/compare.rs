//! The **compare** step: for a pair of records, one level per comparison, coded as a small
//! integer (0 = null: a value missing on either side; 1 = the best level; …). A pair's levels
//! form its comparison vector, [`Gamma`], nine bytes with no allocation.

use crate::name::{NAME_LEVELS, PART_SUBSET};
use crate::prepare::{Dataset, NONE, Pair, RecordIndex};
use rayon::prelude::*;
use recount_types::{CountryCode, DatePrecision, PartialDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The comparisons, in vector order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    Name,
    BirthDate,
    AgeVsBirth,
    Sex,
    BirthPlace,
    Residence,
    Citizenship,
    Document,
    Event,
}

/// How many comparisons a vector holds.
pub const COMPARISONS: usize = 9;

/// The most codes one comparison can take (null and its levels), for fixed-size tables.
pub(crate) const MAX_CODES: usize = 13;

/// One pair's comparison vector: per comparison, 0 for null or the level's position plus one.
pub type Gamma = [u8; COMPARISONS];

impl Comparison {
    pub const ALL: [Comparison; COMPARISONS] = [
        Comparison::Name,
        Comparison::BirthDate,
        Comparison::AgeVsBirth,
        Comparison::Sex,
        Comparison::BirthPlace,
        Comparison::Residence,
        Comparison::Citizenship,
        Comparison::Document,
        Comparison::Event,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Comparison::Name => "name",
            Comparison::BirthDate => "birth_date",
            Comparison::AgeVsBirth => "age_vs_birth",
            Comparison::Sex => "sex",
            Comparison::BirthPlace => "birth_place",
            Comparison::Residence => "residence",
            Comparison::Citizenship => "citizenship",
            Comparison::Document => "document",
            Comparison::Event => "event",
        }
    }

    /// The non-null levels, best (strongest evidence of a match) first.
    pub fn levels(self) -> &'static [&'static str] {
        match self {
            Comparison::Name => &NAME_LEVELS,
            Comparison::BirthDate => &[
                "exact",
                "day_month_swapped",
                "one_digit_off",
                "same_at_lower_precision",
                "same_year",
                "year_plus_minus_one",
                "different",
            ],
            Comparison::AgeVsBirth => &[
                "consistent_narrow",
                "consistent",
                "within_two_years",
                "inconsistent",
            ],
            Comparison::Sex => &["same", "different"],
            Comparison::BirthPlace => &["exact", "similar", "different"],
            Comparison::Residence => &["exact", "similar_high", "similar", "different"],
            // Russia does not recognise a naturalized citizen's other nationality, so one
            // source lists him as Russian and another by his origin.
            Comparison::Citizenship => &["origin_same", "overlap", "russian_and_other", "disjoint"],
            Comparison::Document => &["exact", "one_edit", "different"],
            // The event's term, time and place together: a crossing or a recruitment office
            // is shared by many people at the same time, so the place is evidence only beside
            // the time it goes with (one comparison, not two that would count it twice).
            Comparison::Event => &[
                "same_event_same_day_same_place",
                "same_event_same_day",
                "same_event_overlapping_same_place",
                "same_event_overlapping",
                "same_event_same_time_same_place",
                "same_event_same_time",
                "same_event_undated_same_place",
                "same_event_undated",
                "same_event_other_time",
                "summons_then_other_event",
                "same_time_other_event",
                "different",
            ],
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// The label of a coded level (`null` for 0).
    pub fn level_label(self, code: u8) -> &'static str {
        if code == 0 {
            "null"
        } else {
            self.levels()
                .get(usize::from(code) - 1)
                .copied()
                .unwrap_or("?")
        }
    }
}

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Days within which two events are taken to be "at the same time".
const EVENT_WINDOW_DAYS: i32 = 31;

/// The widest window (in days, first to last) still read as a day: a day, or a range of a
/// few days ("the weekend of …").
const EVENT_DAY_WIDTH: i32 = 3;

/// Compares two records.
pub fn compare(ds: &Dataset, i: RecordIndex, j: RecordIndex) -> Gamma {
    let mut g = compare_but_name(ds, i, j);
    g[0] = name_level(ds, i, j);
    g
}

/// The coded name level of two records.
fn name_level(ds: &Dataset, i: RecordIndex, j: RecordIndex) -> u8 {
    let (i, j) = (i as usize, j as usize);
    match (ds.name_features(i as u32), ds.name_features(j as u32)) {
        (Some(a), Some(b)) => {
            if ds.name[i] == ds.name[j] {
                if a.partial { PART_SUBSET + 1 } else { 1 }
            } else {
                a.compare(b) + 1
            }
        }
        _ => 0,
    }
}

/// Every level but the name's (left null).
fn compare_but_name(ds: &Dataset, i: RecordIndex, j: RecordIndex) -> Gamma {
    let (i, j) = (i as usize, j as usize);
    let mut g = [0u8; COMPARISONS];
    g[1] = match (ds.birth[i], ds.birth[j]) {
        (Some(a), Some(b)) => birth_level(a, b),
        _ => 0,
    };
    g[2] = age_level(ds, i, j);
    g[3] = match (ds.sex[i], ds.sex[j]) {
        (Some(a), Some(b)) => {
            if a == b {
                1
            } else {
                2
            }
        }
        _ => 0,
    };
    g[4] = place_level(ds, ds.birth_place[i], ds.birth_place[j], false);
    g[5] = place_level(ds, ds.residence[i], ds.residence[j], true);
    g[6] = match (ds.countries[i], ds.countries[j]) {
        (NONE, _) | (_, NONE) => 0,
        (a, b) => {
            if ds.origin[i].is_some() && ds.origin[i] == ds.origin[j] {
                1
            } else if a == b || overlaps(&ds.country_sets[a as usize], &ds.country_sets[b as usize])
            {
                2
            } else if russian_and_other(&ds.country_sets[a as usize], &ds.country_sets[b as usize])
            {
                3
            } else {
                4
            }
        }
    };
    g[7] = match (ds.document[i], ds.document[j]) {
        (NONE, _) | (_, NONE) => 0,
        (a, b) if a == b => 1,
        (a, b) => {
            let (x, y) = (
                ds.documents.get(a).unwrap_or(""),
                ds.documents.get(b).unwrap_or(""),
            );
            if within_one_edit(x.as_bytes(), y.as_bytes()) {
                2
            } else {
                3
            }
        }
    };
    g[8] = event_level(ds, i, j);
    g
}

/// Compares every pair (in parallel), in the pairs' order.
pub fn compare_pairs(ds: &Dataset, pairs: &[Pair]) -> Vec<Gamma> {
    // Many pairs share their two distinct names (common names, one spelling per source), and
    // the name engine's comparison is the costly part: each distinct pair of names is compared
    // once.
    let name_pair = |p: &Pair| -> Option<u64> {
        let (x, y) = (ds.name[p.a as usize], ds.name[p.b as usize]);
        (x != NONE && y != NONE && x != y).then(|| {
            let (lo, hi) = if x < y { (x, y) } else { (y, x) };
            (u64::from(lo) << 32) | u64::from(hi)
        })
    };
    let mut distinct: Vec<u64> = pairs
        .par_iter()
        .with_min_len(4096)
        .filter_map(name_pair)
        .collect();
    distinct.par_sort_unstable();
    distinct.dedup();
    let levels: Vec<u8> = distinct
        .par_iter()
        .with_min_len(1024)
        .map(|&k| {
            let (x, y) = ((k >> 32) as u32, k as u32);
            match (&ds.names[x as usize], &ds.names[y as usize]) {
                (Some(a), Some(b)) => a.compare(b) + 1,
                _ => 0,
            }
        })
        .collect();
    // Where each first name's keys start in `distinct`: a lookup searches only that name's few
    // keys (a binary search of the whole list took 8 s of the step's 50 at a million records,
    // each probe a cache miss; this takes 3 to 4).
    let mut starts = vec![0usize; ds.names.len() + 1];
    for &k in &distinct {
        starts[(k >> 32) as usize + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let find = |k: u64| {
        let lo = (k >> 32) as usize;
        let (from, to) = (starts[lo], starts[lo + 1]);
        distinct[from..to]
            .binary_search(&k)
            .ok()
            .map(|at| from + at)
    };
    pairs
        .par_iter()
        .with_min_len(4096)
        .map(|p| {
            let mut g = compare_but_name(ds, p.a, p.b);
            g[0] = match name_pair(p).and_then(find) {
                Some(at) => levels[at],
                None => name_level(ds, p.a, p.b),
            };
            g
        })
        .collect()
}

fn birth_level(a: PartialDate, b: PartialDate) -> u8 {
    let both_days = a.precision() == DatePrecision::Day && b.precision() == DatePrecision::Day;
    if a == b {
        return 1;
    }
    if both_days && a.year() == b.year() {
        let (am, ad, bm, bd) = (a.month(), a.day(), b.month(), b.day());
        if am == bd && ad == bm {
            return 2;
        }
    }
    if both_days && one_digit_apart(a, b) {
        return 3;
    }
    if a.year() == b.year() {
        // One date is less precise and agrees with the other as far as it goes.
        let months_agree = match (a.month(), b.month()) {
            (Some(x), Some(y)) => x == y,
            _ => true,
        };
        let days_agree = match (a.day(), b.day()) {
            (Some(x), Some(y)) => x == y,
            _ => true,
        };
        return if months_agree && days_agree { 4 } else { 5 };
    }
    if a.year().abs_diff(b.year()) == 1 {
        return 6;
    }
    7
}

fn one_digit_apart(a: PartialDate, b: PartialDate) -> bool {
    let digits = |d: PartialDate| {
        let (y, m, dd) = (
            u32::from(d.year()),
            u32::from(d.month().unwrap_or(0)),
            u32::from(d.day().unwrap_or(0)),
        );
        [
            y / 1000,
            y / 100 % 10,
            y / 10 % 10,
            y % 10,
            m / 10,
            m % 10,
            dd / 10,
            dd % 10,
        ]
    };
    let (x, y) = (digits(a), digits(b));
    x.iter().zip(&y).filter(|(p, q)| p != q).count() == 1
}

/// Compares birth years where at least one side knows its birth year only from an age at the
/// event (when both have a birth date, the birth-date comparison says it all).
fn age_level(ds: &Dataset, i: usize, j: usize) -> u8 {
    if ds.birth[i].is_some() && ds.birth[j].is_some() {
        return 0;
    }
    let range = |k: usize| match ds.birth[k] {
        Some(d) => Some((d.year(), d.year())),
        None => Some(ds.implied_birth[k]).filter(|r| r.0 != 0),
    };
    let (Some((a0, a1)), Some((b0, b1))) = (range(i), range(j)) else {
        return 0;
    };
    let gap = b0.saturating_sub(a1).max(a0.saturating_sub(b1));
    if gap == 0 {
        if a1 - a0 <= 2 && b1 - b0 <= 2 { 1 } else { 2 }
    } else if gap <= 2 {
        3
    } else {
        4
    }
}

fn place_level(ds: &Dataset, a: u32, b: u32, graded: bool) -> u8 {
    if a == NONE || b == NONE {
        return 0;
    }
    if a == b {
        return 1;
    }
    let (x, y) = (
        ds.places.get(a).unwrap_or(""),
        ds.places.get(b).unwrap_or(""),
    );
    let sim = token_similarity(x, y);
    if graded {
        if sim >= 0.85 {
            2
        } else if sim >= 0.6 {
            3
        } else {
            4
        }
    } else if sim >= 0.85 {
        2
    } else {
        3
    }
}

/// A Dice-like similarity of two token lists where tokens match if their Jaro–Winkler
/// similarity is at least 0.9 (so one typo or spelling variant per token is forgiven).
fn token_similarity(x: &str, y: &str) -> f64 {
    let (mut na, mut nb, mut matched) = (0usize, 0usize, 0usize);
    for t in y.split(' ') {
        if !t.is_empty() {
            nb += 1;
        }
    }
    for s in x.split(' ').filter(|t| !t.is_empty()) {
        na += 1;
        if y.split(' ').any(|t| {
            t == s
                || (t.len() > 2 && s.len() > 2 && recount_names::jaro_winkler_at_least(s, t, 0.9))
        }) {
            matched += 1;
        }
    }
    if na + nb == 0 {
        0.0
    } else {
        2.0 * matched as f64 / (na + nb) as f64
    }
}

/// The country whose citizens the documented events concern: a naturalized citizen is listed
/// by some sources as its citizen alone, by others by his other nationality, which it does not
/// recognise.
const HOST_COUNTRY: &str = "RU";

/// Whether one of two disjoint citizenship lists is the host country alone (`RU` against `KG`).
fn russian_and_other(a: &[CountryCode], b: &[CountryCode]) -> bool {
    let host_only = |x: &[CountryCode]| x.len() == 1 && x[0].as_str() == HOST_COUNTRY;
    (host_only(a) && !b.is_empty()) || (host_only(b) && !a.is_empty())
}

fn overlaps<T: Ord>(a: &[T], b: &[T]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Equal => return true,
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    false
}

/// Whether two byte strings differ by at most one insertion, deletion, substitution or
/// transposition of neighbours.
pub(crate) fn within_one_edit(a: &[u8], b: &[u8]) -> bool {
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    match ra.len().cmp(&rb.len()) {
        std::cmp::Ordering::Equal => {
            ra.is_empty()
                || ra[1..] == rb[1..]
                || (ra.len() >= 2 && ra[0] == rb[1] && ra[1] == rb[0] && ra[2..] == rb[2..])
        }
        std::cmp::Ordering::Less => ra == &rb[1..],
        std::cmp::Ordering::Greater => &ra[1..] == rb,
    }
}

fn event_level(ds: &Dataset, i: usize, j: usize) -> u8 {
    let (ea, eb) = (ds.event[i], ds.event[j]);
    let (wa, wb) = (ds.event_window[i], ds.event_window[j]);
    let have_dates = wa.0 != i32::MIN && wb.0 != i32::MIN;
    let have_terms = ea != NONE && eb != NONE;
    if !have_dates && !have_terms {
        return 0;
    }
    let near = |slack: i32| have_dates && wa.0 - slack <= wb.1 && wb.0 - slack <= wa.1;
    let same = have_terms && ea == eb;
    let narrow = |w: (i32, i32)| w.1 - w.0 < EVENT_DAY_WIDTH;
    // Each level of the same event comes in two: the same place (both known and alike), and
    // not (different, or not known on both sides).
    let place = |level: u8| {
        if same_place(ds, ds.event_place[i], ds.event_place[j]) {
            level
        } else {
            level + 1
        }
    };
    match (same, near(EVENT_WINDOW_DAYS)) {
        // The same event on the same day (a day's slip either way: time zones, the night
        // crossing) is far stronger evidence than the same month.
        (true, true) if narrow(wa) && narrow(wb) && near(1) => place(1),
        (true, true) if near(0) => place(3),
        (true, true) => place(5),
        // One side without a date says nothing about the time; dates months apart speak
        // against the same event.
        (true, false) if !have_dates => place(7),
        (true, false) => 9,
        (false, _) if follows_summons(ds, i, j) => 10,
        (false, true) => 11,
        (false, false) => 12,
    }
}

/// Days after a summons within which another event may follow from it.
const AFTER_SUMMONS_DAYS: i32 = 92;

/// Whether one record tells of a summons and the other of another event dated in the three
/// months from it: the order things happen in (a summons, then a ban on leaving, threats or
/// deployment), so two sources telling one person's story each tell a different step of it.
fn follows_summons(ds: &Dataset, i: usize, j: usize) -> bool {
    let (wa, wb) = (ds.event_window[i], ds.event_window[j]);
    if ds.summons == NONE || wa.0 == i32::MIN || wb.0 == i32::MIN {
        return false;
    }
    let after = |summons: (i32, i32), other: (i32, i32)| {
        other.1 >= summons.0 && other.0 <= summons.1 + AFTER_SUMMONS_DAYS
    };
    let (ea, eb) = (ds.event[i], ds.event[j]);
    (ea == ds.summons && eb != NONE && eb != ea && after(wa, wb))
        || (eb == ds.summons && ea != NONE && ea != eb && after(wb, wa))
}

/// Whether two event places are known and name the same place: equal once normalised, or
/// most of their words alike (`Петухово (Курганская обл.)` and `Petukhovo crossing`).
fn same_place(ds: &Dataset, a: u32, b: u32) -> bool {
    matches!(place_level(ds, a, b, true), 1..=3)
}

#[cfg(test)]
mod tests;
