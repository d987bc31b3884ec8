//! Capture tables: how many documented people have each pattern of presence across the lists.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::error::CaptureError;

/// The most lists a capture table may have. Capture patterns are stored as bit sets, and no
/// estimator here is useful beyond this: the log-linear models stop at 8 lists, and the latent-class
/// model's data grow sparse long before 24.
pub const MAX_LISTS: usize = 24;

/// A capture pattern: bit `j` is set when list `j` (0-based, column order) recorded the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Pattern(pub u32);

impl Pattern {
    /// The pattern of a person recorded by the lists marked `true` (list order).
    pub fn from_seen(seen: &[bool]) -> Pattern {
        Pattern(
            seen.iter()
                .enumerate()
                .filter(|(_, s)| **s)
                .fold(0, |m, (j, _)| m | (1 << j)),
        )
    }

    /// Whether list `j` recorded the person.
    pub fn has(self, j: usize) -> bool {
        self.0 >> j & 1 == 1
    }

    /// The number of lists that recorded the person.
    pub fn lists_in(self) -> u32 {
        self.0.count_ones()
    }

    /// The pattern as 0/1 digits in list order, e.g. `1010`.
    pub fn digits(self, lists: usize) -> String {
        (0..lists)
            .map(|j| if self.has(j) { '1' } else { '0' })
            .collect()
    }
}

/// Something the parser did that the user should hear about, though it is not an error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub enum Notice {
    /// The same pattern appeared on several rows; their counts were added.
    MergedDuplicates {
        /// The pattern as 0/1 digits.
        pattern: String,
        /// The spreadsheet row numbers (header = 1) of every row with this pattern.
        rows: Vec<usize>,
    },
}

impl std::fmt::Display for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Notice::MergedDuplicates { pattern, rows } => {
                let rows: Vec<String> = rows.iter().map(|r| r.to_string()).collect();
                write!(
                    f,
                    "pattern {pattern} appears on rows {}; their counts were added",
                    rows.join(", ")
                )
            }
        }
    }
}

/// Counts of documented people by capture pattern, for named lists.
///
/// Invariants: 1 ≤ lists ≤ [`MAX_LISTS`]; no all-zero pattern; patterns use only the lists' bits;
/// zero counts are not stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaptureTable {
    lists: Vec<String>,
    counts: BTreeMap<Pattern, u64>,
}

impl CaptureTable {
    /// Builds a table from list names and (pattern, count) pairs; repeated patterns are added.
    pub fn from_counts(
        lists: Vec<String>,
        cells: impl IntoIterator<Item = (Pattern, u64)>,
    ) -> Result<CaptureTable, CaptureError> {
        check_list_names(&lists)?;
        let mut counts = BTreeMap::new();
        let full = full_mask(lists.len());
        for (pattern, count) in cells {
            if pattern.0 == 0 {
                return Err(CaptureError::AllZeroPattern { row: None });
            }
            if pattern.0 & !full != 0 {
                return Err(CaptureError::PatternOutOfRange {
                    pattern: pattern.0,
                    lists: lists.len(),
                });
            }
            if count > 0 {
                *counts.entry(pattern).or_insert(0) += count;
            }
        }
        Ok(CaptureTable { lists, counts })
    }

    /// Builds a table from one capture pattern per person.
    pub fn from_people(
        lists: Vec<String>,
        people: impl IntoIterator<Item = Pattern>,
    ) -> Result<CaptureTable, CaptureError> {
        CaptureTable::from_counts(lists, people.into_iter().map(|p| (p, 1)))
    }

    /// Parses the standalone captures CSV of DESIGN.md: one 0/1 column per list and optionally a
    /// `count` column. Returns the table and notices (merged duplicate patterns).
    pub fn from_csv(text: &str) -> Result<(CaptureTable, Vec<Notice>), CaptureError> {
        parse_csv(text)
    }

    /// The list names, in column order.
    pub fn lists(&self) -> &[String] {
        &self.lists
    }

    /// The number of lists.
    pub fn list_count(&self) -> usize {
        self.lists.len()
    }

    /// The observed patterns with their counts, in pattern order.
    pub fn cells(&self) -> impl Iterator<Item = (Pattern, u64)> + '_ {
        self.counts.iter().map(|(p, c)| (*p, *c))
    }

    /// The count of one pattern (0 when absent).
    pub fn count(&self, pattern: Pattern) -> u64 {
        self.counts.get(&pattern).copied().unwrap_or(0)
    }

    /// The number of documented people (n).
    pub fn observed(&self) -> u64 {
        self.counts.values().sum()
    }

    /// How many documented people each list holds.
    pub fn list_totals(&self) -> Vec<u64> {
        (0..self.lists.len())
            .map(|j| self.cells().filter(|(p, _)| p.has(j)).map(|(_, c)| c).sum())
            .collect()
    }

    /// The names of lists that recorded nobody.
    pub fn empty_lists(&self) -> Vec<String> {
        self.list_totals()
            .iter()
            .zip(&self.lists)
            .filter(|(t, _)| **t == 0)
            .map(|(_, name)| name.clone())
            .collect()
    }

    /// The same table without the lists that recorded nobody.
    pub fn without_empty_lists(&self) -> CaptureTable {
        let totals = self.list_totals();
        let keep: Vec<usize> = (0..self.lists.len()).filter(|&j| totals[j] > 0).collect();
        let lists = keep.iter().map(|&j| self.lists[j].clone()).collect();
        let mut counts = BTreeMap::new();
        for (p, c) in self.cells() {
            let mut q = 0u32;
            for (new, &old) in keep.iter().enumerate() {
                if p.has(old) {
                    q |= 1 << new;
                }
            }
            // Every documented person is on some kept list, since dropped lists recorded nobody.
            *counts.entry(Pattern(q)).or_insert(0) += c;
        }
        CaptureTable { lists, counts }
    }

    /// How many documented people are on two or more lists.
    pub fn overlapping(&self) -> u64 {
        self.cells()
            .filter(|(p, _)| p.lists_in() >= 2)
            .map(|(_, c)| c)
            .sum()
    }
}

fn full_mask(lists: usize) -> u32 {
    if lists >= 32 {
        u32::MAX
    } else {
        (1u32 << lists) - 1
    }
}

fn check_list_names(lists: &[String]) -> Result<(), CaptureError> {
    if lists.len() > MAX_LISTS {
        return Err(CaptureError::TooManyLists {
            found: lists.len(),
            max: MAX_LISTS,
        });
    }
    if lists.is_empty() {
        return Err(CaptureError::NoLists);
    }
    for (i, name) in lists.iter().enumerate() {
        if name.is_empty() {
            return Err(CaptureError::EmptyHeader { column: i + 1 });
        }
        if lists[..i].contains(name) {
            return Err(CaptureError::DuplicateColumn { name: name.clone() });
        }
    }
    Ok(())
}

/// Splits one CSV line into fields, honouring double quotes.
fn split_fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    fields.push(field);
    fields.into_iter().map(|f| f.trim().to_string()).collect()
}

fn parse_csv(text: &str) -> Result<(CaptureTable, Vec<Notice>), CaptureError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((header_row, header)) = lines.next() else {
        return Err(CaptureError::Empty);
    };
    let names = split_fields(header);
    let count_col = names.iter().position(|n| n.eq_ignore_ascii_case("count"));
    if names
        .iter()
        .filter(|n| n.eq_ignore_ascii_case("count"))
        .count()
        > 1
    {
        return Err(CaptureError::DuplicateColumn {
            name: "count".into(),
        });
    }
    let list_cols: Vec<usize> = (0..names.len()).filter(|&i| Some(i) != count_col).collect();
    let lists: Vec<String> = list_cols.iter().map(|&i| names[i].clone()).collect();
    for (k, name) in lists.iter().enumerate() {
        if name.is_empty() {
            return Err(CaptureError::EmptyHeader {
                column: list_cols[k] + 1,
            });
        }
    }
    if lists.len() > MAX_LISTS {
        return Err(CaptureError::TooManyLists {
            found: lists.len(),
            max: MAX_LISTS,
        });
    }
    check_list_names(&lists)?;
    if lists.len() < 2 {
        return Err(CaptureError::TooFewLists { found: lists.len() });
    }

    let mut rows_of: BTreeMap<Pattern, Vec<usize>> = BTreeMap::new();
    let mut cells: Vec<(Pattern, u64)> = Vec::new();
    let mut data_rows = 0usize;
    for (row, line) in lines {
        let _ = header_row;
        data_rows += 1;
        let fields = split_fields(line);
        if fields.len() != names.len() {
            return Err(CaptureError::WrongFieldCount {
                row,
                found: fields.len(),
                expected: names.len(),
            });
        }
        let mut pattern = 0u32;
        for (k, &col) in list_cols.iter().enumerate() {
            match fields[col].as_str() {
                "0" => {}
                "1" => pattern |= 1 << k,
                other => {
                    return Err(CaptureError::NotZeroOne {
                        row,
                        column: names[col].clone(),
                        value: other.to_string(),
                    });
                }
            }
        }
        let count = match count_col {
            None => 1,
            Some(col) => parse_count(&fields[col]).ok_or_else(|| CaptureError::BadCount {
                row,
                value: fields[col].clone(),
            })?,
        };
        if pattern == 0 {
            return Err(CaptureError::AllZeroPattern { row: Some(row) });
        }
        rows_of.entry(Pattern(pattern)).or_default().push(row);
        cells.push((Pattern(pattern), count));
    }
    if data_rows == 0 {
        return Err(CaptureError::NoRecords);
    }
    let table = CaptureTable::from_counts(lists, cells)?;
    if table.observed() == 0 {
        return Err(CaptureError::NoRecords);
    }
    let empty = table.empty_lists();
    if !empty.is_empty() {
        return Err(CaptureError::EmptyList { names: empty });
    }
    // Only a table of counts merges rows: with one row per person, repeats are the point.
    let notices = if count_col.is_some() {
        rows_of
            .into_iter()
            .filter(|(_, rows)| rows.len() > 1)
            .map(|(p, rows)| Notice::MergedDuplicates {
                pattern: p.digits(table.list_count()),
                rows,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok((table, notices))
}

/// A count is a non-negative whole number; `12.0` is accepted, `1.5` and `-3` are not.
fn parse_count(s: &str) -> Option<u64> {
    if let Ok(v) = s.parse::<u64>() {
        return Some(v);
    }
    let v: f64 = s.parse().ok()?;
    if v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v < 9.0e15 {
        Some(v as u64)
    } else {
        None
    }
}

#[cfg(test)]
#[path = "captures_tests.rs"]
mod tests;
