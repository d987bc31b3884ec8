//! The **estimate** step's input from the project database: capture tables per stratum, built
//! from the linked persons (lists are the sources' dependency groups), ready for
//! `recount_estimate::estimate_strata`.

use crate::PipelineError;
use crate::export::{CaptureRequest, capture_histories};
use crate::link::REVIEW_BAND;
use recount_estimate::{CaptureTable, EstimateWarning, MAX_LISTS, Pattern};
use recount_store::Store;
use std::collections::HashMap;

/// Capture tables for estimation, or why there are none.
#[derive(Debug, Clone)]
pub enum StrataTables {
    /// One table per stratum, in stratum order (`""` names the single stratum of `Period::All`).
    Tables(Vec<(String, CaptureTable)>),
    /// No record has been linked to a person yet: run linkage first.
    NoPersons,
    /// No linked person has a record of the requested event.
    NoRecords,
    /// The histories cannot form a capture table (e.g. more lists than the estimators take).
    Unusable(String),
}

/// Builds the capture table of each stratum from the linked persons.
pub fn capture_tables(
    store: &Store,
    request: &CaptureRequest,
) -> Result<StrataTables, PipelineError> {
    let Some(h) = capture_histories(store, request)? else {
        return Ok(StrataTables::NoPersons);
    };
    let lists: Vec<String> = h.lists().map(str::to_owned).collect();
    if lists.len() > MAX_LISTS {
        return Ok(StrataTables::Unusable(format!(
            "{} lists (sources' dependency groups); the estimators take at most {MAX_LISTS}: \
             give related sources one dependency group",
            lists.len()
        )));
    }
    let mut tables = Vec::new();
    for (stratum, patterns) in h.patterns() {
        let cells = patterns
            .into_iter()
            .map(|(seen, count)| (Pattern::from_seen(&seen), count));
        match CaptureTable::from_counts(lists.clone(), cells) {
            Ok(t) => tables.push((stratum.to_owned(), t)),
            Err(e) => return Ok(StrataTables::Unusable(e.to_string())),
        }
    }
    if tables.is_empty() {
        return Ok(StrataTables::NoRecords);
    }
    Ok(StrataTables::Tables(tables))
}

/// What the estimate must say about the linkage it counts persons from: the pairs of records
/// the linkage left undecided (a match probability in [`REVIEW_BAND`], no reviewer's decision),
/// how many of them are in different persons, and how many persons fewer there would be if all
/// of those were linked. `None` when there is no such pair.
pub fn linkage_uncertainty(store: &Store) -> Result<Option<EstimateWarning>, PipelineError> {
    let pairs = store.undecided_pair_persons(REVIEW_BAND.0, REVIEW_BAND.1)?;
    if pairs.is_empty() {
        return Ok(None);
    }
    let (apart, merges) = apart_and_merges(pairs.iter().map(|(a, b)| (a.0, b.0)));
    Ok(Some(EstimateWarning::UncertainLinkage {
        pairs: pairs.len() as u64,
        apart,
        merges,
    }))
}

/// Of pairs of persons, how many join two different persons, and how many persons fewer
/// linking all of them would leave (union–find: a pair inside what earlier pairs joined
/// removes no one).
fn apart_and_merges(pairs: impl Iterator<Item = (i64, i64)>) -> (u64, u64) {
    fn root(parent: &mut HashMap<i64, i64>, x: i64) -> i64 {
        let mut r = x;
        while let Some(&p) = parent.get(&r)
            && p != r
        {
            r = p;
        }
        let mut y = x;
        while y != r {
            let next = parent.get(&y).copied().unwrap_or(r);
            parent.insert(y, r);
            y = next;
        }
        r
    }
    let mut parent: HashMap<i64, i64> = HashMap::new();
    let (mut apart, mut merges) = (0u64, 0u64);
    for (a, b) in pairs {
        if a == b {
            continue;
        }
        apart += 1;
        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
        if ra != rb {
            parent.insert(ra.max(rb), ra.min(rb));
            merges += 1;
        }
    }
    (apart, merges)
}

#[cfg(test)]
mod tests {
    use super::apart_and_merges;

    #[test]
    fn merges_count_persons_joined_once() {
        // 1-2, 2-3 and 1-3 join three persons into one (two fewer); 4-4 is inside one person;
        // 5-6 twice is one merge.
        let pairs = [(1, 2), (2, 3), (1, 3), (4, 4), (5, 6), (6, 5)];
        assert_eq!(apart_and_merges(pairs.into_iter()), (5, 3));
        assert_eq!(apart_and_merges(std::iter::empty()), (0, 0));
    }
}
