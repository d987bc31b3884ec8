//! The **block** step: several rules, each putting records that share a key into one block;
//! candidate pairs are the linkable pairs within blocks, merged over the rules without
//! duplicates. A block larger than the cap is skipped (its pairs would swamp the run) and
//! reported, never silently.

use crate::prepare::{Dataset, NONE, Pair};
use rayon::prelude::*;
use serde::Serialize;
use std::hash::{BuildHasher, Hash};

/// A blocking rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockingRule {
    /// Two name tokens' keys in common (any order, any script: the name engine's keys), and
    /// the birth year or the month and day of birth; a record without a birth year pairs on
    /// the names alone.
    NamePair,
    /// One name token's key and the full birth date in common, or, where one of the two knows
    /// only a birth year (or an age), that year.
    NameTokenBirthYear,
    /// The same full birth date and the same initial of one name part (catches names with
    /// typos in every part).
    BirthDateInitial,
    /// The same normalised residence and one name part's key (catches a changed or misspelt
    /// other part, and records without a birth date).
    ResidenceNameToken,
    /// Two uncommon words of the normalised residence in common (a street number and a
    /// postcode, a street and a suburb): catches records whose names and birth dates both
    /// changed. A word is uncommon when at most a quarter of the block cap's records use it, so
    /// no block of this rule exceeds the cap.
    ResidenceWords,
    /// A partial name (a given name or a surname alone) and a record sharing one of its name
    /// parts' keys, with events within about a month (see `block_partial`).
    PartialNameEvent,
    /// The same document number.
    Document,
}

impl BlockingRule {
    pub const ALL: [BlockingRule; 7] = [
        BlockingRule::NamePair,
        BlockingRule::NameTokenBirthYear,
        BlockingRule::BirthDateInitial,
        BlockingRule::ResidenceNameToken,
        BlockingRule::ResidenceWords,
        BlockingRule::PartialNameEvent,
        BlockingRule::Document,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BlockingRule::NamePair => "name_pair",
            BlockingRule::NameTokenBirthYear => "name_token_and_birth_year",
            BlockingRule::BirthDateInitial => "birth_date_and_initial",
            BlockingRule::ResidenceNameToken => "residence_and_name_token",
            BlockingRule::ResidenceWords => "residence_words",
            BlockingRule::PartialNameEvent => "partial_name_and_event_time",
            BlockingRule::Document => "document",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            BlockingRule::NamePair => {
                "two name parts agree on their name-engine key (alias group or stem; any order, any script), and the birth year or the day of the year (records without a birth year: the name alone)"
            }
            BlockingRule::NameTokenBirthYear => {
                "one name part agrees on its name-engine key, and the full birth date, or the birth year where one record knows only that"
            }
            BlockingRule::BirthDateInitial => {
                "the same full birth date and the same initial of one name part"
            }
            BlockingRule::ResidenceNameToken => "the same residence and one name part's key",
            BlockingRule::ResidenceWords => "two uncommon words of the residence in common",
            BlockingRule::PartialNameEvent => {
                "a partial name (given name or surname alone) and a record sharing one name part's key and the event, within about a month"
            }
            BlockingRule::Document => "the same document number",
        }
    }
}

/// Limits of the block step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockingConfig {
    /// Blocks with more records than this are skipped and reported.
    pub max_block_size: usize,
}

impl Default for BlockingConfig {
    fn default() -> Self {
        BlockingConfig {
            max_block_size: 1000,
        }
    }
}

/// What one rule did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RuleReport {
    pub rule: &'static str,
    pub description: &'static str,
    /// Blocks with at least two records.
    pub blocks: u64,
    /// Linkable pairs in the rule's blocks that were kept.
    pub pairs: u64,
    /// Of those, pairs no earlier rule produced.
    pub new_pairs: u64,
    pub skipped_blocks: u64,
    pub skipped_records: u64,
    pub skipped_pairs: u64,
    pub largest_skipped_block: u64,
}

/// The candidate pairs and what each rule contributed.
#[derive(Debug, Clone, Default)]
pub struct Blocking {
    /// Distinct candidate pairs, sorted.
    pub pairs: Vec<Pair>,
    pub rules: Vec<RuleReport>,
}

impl Blocking {
    /// One warning per rule that skipped blocks, saying what was not compared.
    pub fn warnings(&self, cap: usize) -> Vec<String> {
        self.rules
            .iter()
            .filter(|r| r.skipped_blocks > 0)
            .map(|r| {
                format!(
                    "blocking rule `{}` skipped {} block(s) larger than {} records ({} records in all, the largest {} records): {} candidate pairs were not compared; those records are compared only through other rules",
                    r.rule, r.skipped_blocks, cap, r.skipped_records, r.largest_skipped_block, r.skipped_pairs
                )
            })
            .collect()
    }
}

fn hasher() -> foldhash::fast::FixedState {
    foldhash::fast::FixedState::with_seed(0x7265_636f_756e_7421)
}

fn key_hash(parts: impl Hash) -> u64 {
    hasher().hash_one(parts)
}

/// Per distinct name: the name-engine keys of each core part.
fn name_key_groups(ds: &Dataset) -> Vec<&[String]> {
    ds.names
        .iter()
        .map(|f| f.as_ref().map_or(&[][..], |f| &f.part_keys[..]))
        .collect()
}

/// The most parts of one name that make keys (a very long name is not allowed to make a
/// quadratic number of pair keys).
const MAX_PARTS: usize = 5;

/// Marks a block member that pairs only with the block's other (strong) members.
const WEAK: u32 = 1 << 31;

/// A record's birth years (its own, or a narrow range implied by an age) and, with a full
/// birth date, its month and day.
struct BirthKeys {
    years: Vec<u16>,
    month_day: Option<(u8, u8)>,
}

fn birth_keys(ds: &Dataset, i: usize) -> BirthKeys {
    match ds.birth[i] {
        Some(d) => BirthKeys {
            years: vec![d.year()],
            month_day: d.month().zip(d.day()),
        },
        None => match ds.implied_birth[i] {
            (a, b) if a > 0 && b >= a && b - a <= 2 => BirthKeys {
                years: (a..=b).collect(),
                month_day: None,
            },
            _ => BirthKeys {
                years: Vec::new(),
                month_day: None,
            },
        },
    }
}

/// The most words of one residence that make keys.
const MAX_WORDS: usize = 8;

/// Per distinct normalised residence: its uncommon words (used by at most `limit` records).
fn residence_words(ds: &Dataset, limit: usize) -> Vec<Vec<&str>> {
    let words_of = |id: u32| -> Vec<&str> {
        let mut w: Vec<&str> = ds.places.get(id).unwrap_or("").split_whitespace().collect();
        w.sort_unstable();
        w.dedup();
        w
    };
    let mut uses = vec![0u32; ds.places.strings.len()];
    for &r in &ds.residence {
        if r != NONE {
            uses[r as usize] += 1;
        }
    }
    let mut df: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
    for (id, &n) in uses.iter().enumerate() {
        if n > 0 {
            for w in words_of(id as u32) {
                *df.entry(w).or_default() += n as usize;
            }
        }
    }
    uses.iter()
        .enumerate()
        .map(|(id, &n)| {
            if n == 0 {
                return Vec::new();
            }
            let mut w: Vec<&str> = words_of(id as u32)
                .into_iter()
                .filter(|w| df[w] <= limit)
                .collect();
            // The rarest words first, so that a long address keeps its most telling words.
            w.sort_by_key(|w| (df[w], *w));
            w.truncate(MAX_WORDS);
            w
        })
        .collect()
}

fn rule_keys(
    ds: &Dataset,
    rule: BlockingRule,
    groups: &[&[String]],
    cap: usize,
) -> Vec<(u64, u32)> {
    let n = ds.len();
    let words = if rule == BlockingRule::ResidenceWords {
        residence_words(ds, (cap / 4).max(2))
    } else {
        Vec::new()
    };
    let per_record = |i: usize, out: &mut Vec<(u64, u32)>| {
        let r = i as u32;
        match rule {
            BlockingRule::NamePair => {
                let id = ds.name[i];
                if id == NONE {
                    return;
                }
                let parts = groups[id as usize];
                let parts = &parts[..parts.len().min(MAX_PARTS)];
                let birth = birth_keys(ds, i);
                let mut emit = |k: u64| {
                    // With a birth year, the name keys pair records born the same year or on
                    // the same day of the year; alone, they pair only with records that lack
                    // a birth year (so a common name does not make a giant block).
                    if birth.years.is_empty() {
                        out.push((key_hash((0u8, k)), r));
                    } else {
                        out.push((key_hash((0u8, k)), r | WEAK));
                        for &y in &birth.years {
                            out.push((key_hash((6u8, k, y)), r));
                        }
                        if let Some(md) = birth.month_day {
                            out.push((key_hash((7u8, k, md)), r));
                        }
                    }
                };
                if parts.len() == 1 {
                    emit(key_hash(parts[0].as_str()));
                }
                for x in 0..parts.len() {
                    for y in x + 1..parts.len() {
                        let (a, b) = (&parts[x], &parts[y]);
                        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
                        emit(key_hash((lo.as_str(), hi.as_str())));
                    }
                }
            }
            BlockingRule::NameTokenBirthYear => {
                let id = ds.name[i];
                if id == NONE {
                    return;
                }
                let birth = birth_keys(ds, i);
                for k in groups[id as usize].iter().take(MAX_PARTS) {
                    // A full birth date pairs with the same full date, and (weakly) with
                    // records that know only the year (or an age).
                    match ds.birth[i].filter(|d| d.day().is_some()) {
                        Some(d) => {
                            out.push((key_hash((8u8, k.as_str(), d.first_day())), r));
                            for &y in &birth.years {
                                out.push((key_hash((1u8, k.as_str(), y)), r | WEAK));
                            }
                        }
                        None => {
                            for &y in &birth.years {
                                out.push((key_hash((1u8, k.as_str(), y)), r));
                            }
                        }
                    }
                }
            }
            BlockingRule::BirthDateInitial => {
                let (id, Some(d)) = (ds.name[i], ds.birth[i]) else {
                    return;
                };
                if id == NONE || d.day().is_none() {
                    return;
                }
                for k in groups[id as usize].iter().take(MAX_PARTS) {
                    // Keys are `t:stem` or `a:alias`; the initial is the first letter after the colon.
                    if let Some(c) = k.split_once(':').and_then(|(_, v)| v.chars().next()) {
                        out.push((key_hash((3u8, d.first_day(), c)), r));
                    }
                }
            }
            BlockingRule::ResidenceNameToken => {
                let (id, res) = (ds.name[i], ds.residence[i]);
                if id == NONE || res == NONE {
                    return;
                }
                for k in groups[id as usize].iter().take(MAX_PARTS) {
                    out.push((key_hash((4u8, res, k.as_str())), r));
                }
            }
            BlockingRule::ResidenceWords => {
                let res = ds.residence[i];
                if res == NONE {
                    return;
                }
                let w = &words[res as usize];
                for x in 0..w.len() {
                    for y in x + 1..w.len() {
                        let (lo, hi) = if w[x] <= w[y] {
                            (w[x], w[y])
                        } else {
                            (w[y], w[x])
                        };
                        out.push((key_hash((5u8, lo, hi)), r));
                    }
                }
            }
            BlockingRule::PartialNameEvent => {
                // Partial names pair with every member; full names only with partial ones.
                let partial = ds.name_features(r).is_some_and(|f| f.partial);
                let member = if partial { r } else { r | WEAK };
                crate::block_partial::partial_name_event_keys(ds, i, groups, &mut |k| {
                    out.push((key_hash((9u8, k)), member))
                });
            }
            BlockingRule::Document => {
                let d = ds.document[i];
                if d != NONE {
                    out.push((key_hash((2u8, d)), r));
                }
            }
        }
    };
    let mut keys: Vec<(u64, u32)> = (0..n)
        .into_par_iter()
        .with_min_len(8192)
        .fold(Vec::new, |mut out, i| {
            per_record(i, &mut out);
            out
        })
        .reduce(Vec::new, |mut a, mut b| {
            a.append(&mut b);
            a
        });
    keys.par_sort_unstable();
    keys.dedup();
    keys
}

fn encode(p: Pair) -> u64 {
    (u64::from(p.a) << 32) | u64::from(p.b)
}

fn decode(x: u64) -> Pair {
    Pair {
        a: (x >> 32) as u32,
        b: x as u32,
    }
}

/// Runs every rule and merges their candidate pairs.
pub fn block(ds: &Dataset, cfg: BlockingConfig) -> Blocking {
    let groups = name_key_groups(ds);
    let mut all: Vec<u64> = Vec::new();
    let mut reports = Vec::new();
    for rule in BlockingRule::ALL {
        let keys = rule_keys(ds, rule, &groups, cfg.max_block_size);
        let mut report = RuleReport {
            rule: rule.as_str(),
            description: rule.description(),
            ..RuleReport::default()
        };
        // Block boundaries.
        let mut bounds = Vec::new();
        let mut start = 0;
        for k in 1..=keys.len() {
            if k == keys.len() || keys[k].0 != keys[start].0 {
                if k - start >= 2 && keys[start].1 & WEAK == 0 {
                    bounds.push((start, k));
                }
                start = k;
            }
        }
        report.blocks = bounds.len() as u64;
        let cap = cfg.max_block_size.max(2);
        type Spans = Vec<(usize, usize)>;
        let (kept, skipped): (Spans, Spans) = bounds.into_iter().partition(|(s, e)| e - s <= cap);
        for (s, e) in &skipped {
            let size = (e - s) as u64;
            report.skipped_blocks += 1;
            report.skipped_records += size;
            report.skipped_pairs += size * (size - 1) / 2;
            report.largest_skipped_block = report.largest_skipped_block.max(size);
        }
        let mut pairs: Vec<u64> = kept
            .par_iter()
            .with_min_len(64)
            .fold(Vec::new, |mut out, &(s, e)| {
                let block = &keys[s..e];
                // Weak members sort last; each pair needs one strong member.
                let strong = block.partition_point(|k| k.1 & WEAK == 0);
                for x in 0..strong {
                    for y in x + 1..block.len() {
                        let (i, j) = (block[x].1, block[y].1 & !WEAK);
                        if i != j && ds.may_link(i, j) {
                            out.push(encode(Pair::new(i, j)));
                        }
                    }
                }
                out
            })
            .reduce(Vec::new, |mut a, mut b| {
                a.append(&mut b);
                a
            });
        drop(keys);
        pairs.par_sort_unstable();
        pairs.dedup();
        report.pairs = pairs.len() as u64;
        let new = count_missing(&pairs, &all);
        report.new_pairs = new;
        if all.is_empty() {
            all = pairs;
        } else if new > 0 {
            all.append(&mut pairs);
            all.par_sort_unstable();
            all.dedup();
        }
        reports.push(report);
    }
    Blocking {
        pairs: all.into_iter().map(decode).collect(),
        rules: reports,
    }
}

/// How many of `xs` (sorted, distinct) are not in `ys` (sorted, distinct).
fn count_missing(xs: &[u64], ys: &[u64]) -> u64 {
    let (mut j, mut missing) = (0, 0);
    for &x in xs {
        while j < ys.len() && ys[j] < x {
            j += 1;
        }
        if j >= ys.len() || ys[j] != x {
            missing += 1;
        }
    }
    missing
}

#[cfg(test)]
mod tests;
