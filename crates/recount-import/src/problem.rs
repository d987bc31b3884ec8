//! Located problems, and a capped collection of them.

use serde::Serialize;
use std::fmt;

/// One thing wrong with the input, located as precisely as the format allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The file as named on the command line.
    pub file: String,
    /// The row (header = 1) or JSON Lines line; `None` for the file as a whole.
    pub row: Option<u64>,
    /// The column as the file names it.
    pub column: Option<String>,
    /// The offending value, where showing it is useful and safe (free text such as names or
    /// testimony is never echoed).
    pub value: Option<String>,
    /// What is wrong.
    pub problem: String,
    /// What was expected instead.
    pub expected: String,
}

impl Problem {
    /// A record id the file (or the project) already used earlier in this import.
    pub fn duplicate(file: &str, row: u64, record_id: &str, first_row: u64) -> Problem {
        Problem {
            file: file.to_owned(),
            row: Some(row),
            column: Some("record_id".into()),
            value: Some(record_id.to_owned()),
            problem: format!("record_id is used twice in this import (first at row {first_row})"),
            expected: "a record_id unique within its source".into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(r) = self.row {
            write!(f, ", row {r}")?;
        }
        if let Some(c) = &self.column {
            write!(f, ", column {c}")?;
        }
        write!(f, ": {}", self.problem)?;
        if let Some(v) = &self.value {
            write!(f, " (value {v:?})")?;
        }
        write!(f, "; expected {}", self.expected)
    }
}

/// Problems up to a limit, and a count of all of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problems {
    shown: Vec<Problem>,
    total: u64,
    #[serde(skip)]
    limit: usize,
}

impl Problems {
    pub fn new(limit: usize) -> Problems {
        Problems {
            shown: Vec::new(),
            total: 0,
            limit,
        }
    }
    pub fn push(&mut self, p: Problem) {
        self.total += 1;
        if self.shown.len() < self.limit {
            self.shown.push(p);
        }
    }
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }
    /// Both collections as one, in row order (problems of the file as a whole first), as if
    /// every problem had been pushed in that order: the first `limit` of them are shown, all
    /// are counted. Each collection must be in row order already.
    pub fn merge(self, other: Problems) -> Problems {
        let limit = self.limit.max(other.limit);
        let mut shown = Vec::with_capacity((self.shown.len() + other.shown.len()).min(limit));
        let (mut a, mut b) = (
            self.shown.into_iter().peekable(),
            other.shown.into_iter().peekable(),
        );
        while shown.len() < limit {
            let next = match (a.peek(), b.peek()) {
                (Some(x), Some(y)) => {
                    if y.row < x.row {
                        b.next()
                    } else {
                        a.next()
                    }
                }
                (Some(_), None) => a.next(),
                (None, _) => b.next(),
            };
            match next {
                Some(p) => shown.push(p),
                None => break,
            }
        }
        Problems {
            shown,
            total: self.total + other.total,
            limit,
        }
    }

    /// The first problems, up to the limit.
    pub fn shown(&self) -> &[Problem] {
        &self.shown
    }
    /// How many problems there were in all.
    pub fn total(&self) -> u64 {
        self.total
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.shown {
            writeln!(f, "{p}")?;
        }
        let hidden = self.total - self.shown.len() as u64;
        if hidden > 0 {
            writeln!(f, "... and {hidden} more problems ({} in all)", self.total)?;
        }
        Ok(())
    }
}
