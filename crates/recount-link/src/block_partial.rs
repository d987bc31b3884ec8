//! Blocking keys from the event's time. A record that names someone by a given name alone
//! ("Aybek", a caller who would not give his surname) shares one name part with the full record
//! of the same man, and the name rules that need two parts or a birth year miss it. What such
//! records do carry is the event: the same man, stopped or summoned, is reported at about the
//! same time. So a name part's key, the event term and a 30-day period of the event make a
//! block. (Without the term, 100,000 duplicated records made 2.3 M pairs and blocks over the
//! cap; with it 0.9 M and none, and the demo's figures are unchanged.)
//!
//! The same periods split a block that is too large to compare in full (see
//! [`crate::block`]): a common name pairs only with records of an event about the same time.

use crate::block::{WEAK, key_hash, sorted_per_record};
use crate::prepare::{Dataset, NONE};

/// Periods of the event's time: records whose events are at most `2 × widen` days apart
/// always share one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Periods {
    /// Days in one period.
    pub days: i32,
    /// Events are widened by this many days on each side before periods are taken.
    pub widen: i32,
}

impl Periods {
    /// 30-day periods, events widened by 15 days: events up to a month apart meet. The
    /// partial-name rule's key, and how a name or birth-date rule's large block is split.
    pub(crate) const MONTH: Periods = Periods {
        days: 30,
        widen: 15,
    };
    /// 8-day periods, events widened by 4 days: how a partial-name block (already one month)
    /// that is too large is split.
    pub(crate) const WEEK: Periods = Periods { days: 8, widen: 4 };
}

/// A vague event date (a whole year) makes no key: it would put a name with half a year of
/// events.
const MAX_SPAN_DAYS: i32 = 62;

/// Calls `emit` with (event term, period) for each period of record `i`'s event; nothing for a
/// record without an event date or with a vague one.
pub(crate) fn event_periods(
    ds: &Dataset,
    i: usize,
    periods: Periods,
    emit: &mut dyn FnMut(u32, i32),
) {
    if !has_periods(ds, i) {
        return;
    }
    let (first, last) = ds.event_window[i];
    let mut p = (first - periods.widen).div_euclid(periods.days);
    let end = (last + periods.widen).div_euclid(periods.days);
    while p <= end {
        emit(ds.event[i], p);
        p += 1;
    }
}

/// The period of the key of an event told without a usable date (see [`Undated`]).
const UNDATED: i32 = i32::MIN;

/// Which records give the partial-name rule a key without the event's time, for a partial
/// name whose event has no date (or only a vague one): "Канат, refused exit" meets the full
/// names with that part and that event whenever it was. In a block of a common name such a
/// key is split by the event's time, which the undated record leaves: it meets only the few
/// full names of a rare one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Undated {
    /// Every record: the full names, kept where an undated partial name has the key.
    Always,
    /// Only a record whose event has no usable date: the partial names.
    WithoutDate,
}

/// Whether record `i`'s event has a date precise enough to give periods (see
/// [`event_periods`]).
fn has_periods(ds: &Dataset, i: usize) -> bool {
    let (first, last) = ds.event_window[i];
    first != i32::MIN && last - first <= MAX_SPAN_DAYS
}

/// Calls `out` with a hashable key per (name part, event term, event period) of record `i`;
/// with `neighbours`, also per form of its given name with one letter left out; and, as
/// `undated` says, the same keys with the period [`UNDATED`].
fn partial_name_event_keys(
    ds: &Dataset,
    i: usize,
    groups: &[&[String]],
    neighbours: bool,
    undated: Undated,
    out: &mut dyn FnMut((&str, u32, i32)),
) {
    let id = ds.name[i];
    if id == NONE {
        return;
    }
    let event = ds.event[i];
    let undated_key = event != NONE
        && match undated {
            Undated::Always => true,
            Undated::WithoutDate => !has_periods(ds, i),
        };
    // Every key of the record's name: with each period of its event, and undated.
    let with_periods = |k: &str, out: &mut dyn FnMut((&str, u32, i32))| {
        event_periods(ds, i, Periods::MONTH, &mut |event, p| out((k, event, p)));
        if undated_key {
            out((k, event, UNDATED));
        }
    };
    let parts = groups[id as usize];
    // A part's key, and its stem's consonants: a given name alone with a typo in a vowel
    // (Бахтовр for Бахтовар) meets its full form through them.
    let consonants = ds.names[id as usize]
        .as_ref()
        .map_or(&[][..], |f| &f.consonant_keys[..]);
    for k in parts.iter().take(5).chain(consonants.iter().take(5)) {
        with_periods(k.as_str(), &mut *out);
    }
    // And the given name's stem with one letter left out: a given name alone with a typo in a
    // consonant (Оурбек for Омурбек, Кайат for Кайрат) meets its full form through them.
    if !neighbours {
        return;
    }
    if let Some(f) = ds.names[id as usize].as_ref() {
        let mut key = String::new();
        f.for_each_given_neighbour(&mut |form| {
            key.clear();
            key.push_str("d:");
            key.push_str(form);
            with_periods(key.as_str(), &mut *out);
        });
    }
}

/// Whether record `i`'s name is partial and its given name (or surname) rare: at most
/// [`RARE_PART_RECORDS`] named records share its key, as a misspelt one does. Such a name gives
/// its one-letter-out forms as keys; a common one (Алишер, spelt right) does not, since every
/// full name with it shares all of them and each pair would be proposed eight times over.
fn rare_partial_name(ds: &Dataset, i: usize, named_records: usize) -> bool {
    let id = ds.name[i];
    id != NONE
        && ds.names[id as usize].as_ref().is_some_and(|f| f.partial)
        && f64::from(ds.part_freq[id as usize]) * named_records as f64 <= RARE_PART_RECORDS
}

/// See [`rare_partial_name`]: a misspelling copied by a reprint or two is still rare.
const RARE_PART_RECORDS: f64 = 3.5;

/// The partial-name rule's blocking keys. Partial names are strong members, pairing with every
/// member of their blocks; full names are weak, pairing only with partial ones, so a full
/// name's key that no partial name has makes no pair and is not kept (keeping every key took
/// most of the rule's memory: most names are full). A rare partial name (a misspelt one) also
/// gives the forms of its given name with one letter left out, and full names give theirs,
/// kept like their other keys.
pub(crate) struct PartialNameKeys<'a> {
    ds: &'a Dataset,
    groups: &'a [&'a [String]],
    /// How many records have a name (the denominator of `part_freq`).
    named: usize,
    /// Every key of a partial name, sorted.
    partial_keys: Vec<u64>,
}

impl<'a> PartialNameKeys<'a> {
    pub(crate) fn new(ds: &'a Dataset, groups: &'a [&'a [String]]) -> Self {
        let named = ds
            .name
            .iter()
            .filter(|&&id| id != NONE && ds.names[id as usize].is_some())
            .count();
        let mut keys = PartialNameKeys {
            ds,
            groups,
            named,
            partial_keys: Vec::new(),
        };
        keys.partial_keys = sorted_per_record(ds.len(), |i, out| {
            if keys.is_partial(i) {
                partial_name_event_keys(
                    ds,
                    i,
                    groups,
                    keys.is_rare(i),
                    Undated::WithoutDate,
                    &mut |k| out.push(key_hash((9u8, k))),
                );
            }
        });
        keys
    }

    fn is_partial(&self, i: usize) -> bool {
        self.ds.name_features(i as u32).is_some_and(|f| f.partial)
    }

    fn is_rare(&self, i: usize) -> bool {
        rare_partial_name(self.ds, i, self.named)
    }

    /// Pushes record `i`'s keys, each with the record as a member (marked weak for a full name).
    pub(crate) fn record_keys(&self, i: usize, out: &mut Vec<(u64, u32)>) {
        let r = i as u32;
        let partial = self.is_partial(i);
        let (neighbours, undated) = if partial {
            (self.is_rare(i), Undated::WithoutDate)
        } else {
            (true, Undated::Always)
        };
        partial_name_event_keys(self.ds, i, self.groups, neighbours, undated, &mut |k| {
            let key = key_hash((9u8, k));
            if partial {
                out.push((key, r));
            } else if self.partial_keys.binary_search(&key).is_ok() {
                out.push((key, r | WEAK));
            }
        });
    }
}
