//! Capture histories: for each stratum, which lists recorded each person, counted by pattern.

use crate::ExportError;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

/// Capture patterns per stratum, built from `(stratum, person, list)` observations.
///
/// Written in the estimation CSV format of DESIGN.md: one `0`/`1` column per list (sorted by
/// name) and a `count` column, one row per pattern that occurs; with a leading `stratum` column
/// when the histories are stratified. The all-zero pattern never occurs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaptureHistories {
    lists: BTreeSet<String>,
    /// stratum → person → lists that recorded the person in that stratum.
    seen: BTreeMap<String, BTreeMap<i64, BTreeSet<String>>>,
}

impl CaptureHistories {
    pub fn new() -> Self {
        Self::default()
    }

    /// Declares a list, so that it has a column even if it recorded nobody in these strata.
    pub fn add_list(&mut self, list: &str) {
        self.lists.insert(list.to_owned());
    }

    /// Records that `list` recorded `person` in `stratum` (`""` when not stratified).
    pub fn observe(&mut self, stratum: &str, person: i64, list: &str) {
        self.lists.insert(list.to_owned());
        let people = self.seen.entry(stratum.to_owned()).or_default();
        people.entry(person).or_default().insert(list.to_owned());
    }

    /// The lists, in column order.
    pub fn lists(&self) -> impl Iterator<Item = &str> {
        self.lists.iter().map(String::as_str)
    }

    /// For each stratum, each pattern (one bool per list, in column order) and its count.
    pub fn patterns(&self) -> BTreeMap<&str, BTreeMap<Vec<bool>, u64>> {
        let mut out = BTreeMap::new();
        for (stratum, people) in &self.seen {
            let counts: &mut BTreeMap<Vec<bool>, u64> = out.entry(stratum.as_str()).or_default();
            for lists in people.values() {
                let pattern: Vec<bool> = self.lists.iter().map(|l| lists.contains(l)).collect();
                *counts.entry(pattern).or_default() += 1;
            }
        }
        out
    }

    fn stratified(&self) -> bool {
        self.seen.keys().any(|s| !s.is_empty())
    }

    /// Writes the histories as CSV. List names are neutralised like any other cell.
    pub fn write_csv<W: Write>(&self, out: W) -> Result<W, ExportError> {
        let mut w = csv::Writer::from_writer(out);
        let mut header: Vec<String> = Vec::new();
        if self.stratified() {
            header.push("stratum".into());
        }
        header.extend(
            self.lists
                .iter()
                .map(|l| crate::neutralise_formula(l).into_owned()),
        );
        header.push("count".into());
        w.write_record(&header)?;
        for (stratum, patterns) in self.patterns() {
            // Patterns with more lists first, like a capture table is usually read.
            let mut rows: Vec<_> = patterns.into_iter().collect();
            rows.sort_by(|a, b| b.0.cmp(&a.0));
            for (pattern, count) in rows {
                let mut row: Vec<String> = Vec::with_capacity(header.len());
                if self.stratified() {
                    row.push(crate::neutralise_formula(stratum).into_owned());
                }
                row.extend(
                    pattern
                        .iter()
                        .map(|b| if *b { "1" } else { "0" }.to_owned()),
                );
                row.push(count.to_string());
                w.write_record(&row)?;
            }
        }
        w.into_inner().map_err(|e| ExportError::Io(e.into_error()))
    }
}
