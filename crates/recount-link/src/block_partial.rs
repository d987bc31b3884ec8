//! Blocking keys for partial names. A record that names someone by a given name alone
//! ("Aybek", a caller who would not give his surname) shares one name part with the full record
//! of the same man, and the name rules that need two parts or a birth year miss it. What such
//! records do carry is the event: the same man, stopped or summoned, is reported at about the
//! same time. So a name part's key, the event term and a 30-day period of the event make a
//! block. (Without the term, 100,000 duplicated records made 2.3 M pairs and blocks over the
//! cap; with it 0.9 M and none, and the demo's figures are unchanged.)

use crate::prepare::Dataset;

/// Days in one period of the event-time key.
const PERIOD_DAYS: i32 = 30;
/// Events are widened by this many days on each side before periods are taken, so two events
/// at most `2 × WIDEN` days apart always share a period.
const WIDEN: i32 = 15;
/// A vague event date (a whole year) makes no key: it would put a name with half a year of
/// events.
const MAX_SPAN_DAYS: i32 = 62;

/// Calls `emit` with a hashable key per (name part, event term, event period) of record `i`.
pub(crate) fn partial_name_event_keys(
    ds: &Dataset,
    i: usize,
    groups: &[&[String]],
    emit: &mut dyn FnMut((&str, u32, i32)),
) {
    let id = ds.name[i];
    if id == crate::prepare::NONE {
        return;
    }
    let (first, last) = ds.event_window[i];
    if first == i32::MIN || last - first > MAX_SPAN_DAYS {
        return;
    }
    let parts = groups[id as usize];
    for k in parts.iter().take(5) {
        let mut p = (first - WIDEN).div_euclid(PERIOD_DAYS);
        let end = (last + WIDEN).div_euclid(PERIOD_DAYS);
        while p <= end {
            emit((k.as_str(), ds.event[i], p));
            p += 1;
        }
    }
}
