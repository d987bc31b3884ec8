//! The **estimate** step's input from the project database: capture tables per stratum, built
//! from the linked persons (lists are the sources' dependency groups), ready for
//! `recount_estimate::estimate_strata`.

use crate::PipelineError;
use crate::export::{CaptureRequest, capture_histories};
use recount_estimate::{CaptureTable, MAX_LISTS, Pattern};
use recount_store::Store;

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
