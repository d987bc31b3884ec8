//! Errors: bad capture tables, and estimates the data cannot support.

use thiserror::Error;

/// A capture table could not be read or built. Rows are numbered as a spreadsheet shows them (the
/// header is row 1).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum CaptureError {
    /// The file has no header row.
    #[error("the captures file is empty: expected a header row with one column per list")]
    Empty,
    /// There is a header but no data row, or every count is zero.
    #[error("the captures file has no documented people (no data rows, or every count is 0)")]
    NoRecords,
    /// No list column.
    #[error("the captures file has no list columns")]
    NoLists,
    /// Fewer than two list columns.
    #[error(
        "the captures file has {found} list column(s); multiple systems estimation needs at least 2 \
         (and the latent-class model at least 3)"
    )]
    TooFewLists {
        /// The number of list columns found.
        found: usize,
    },
    /// More list columns than recount handles.
    #[error("the captures file has {found} list columns; recount handles at most {max}")]
    TooManyLists {
        /// The number of list columns found.
        found: usize,
        /// The limit.
        max: usize,
    },
    /// A header cell is empty.
    #[error("row 1, column {column}: the list name is empty")]
    EmptyHeader {
        /// 1-based column number.
        column: usize,
    },
    /// Two columns share a name.
    #[error("row 1: the column name `{name}` appears twice")]
    DuplicateColumn {
        /// The repeated name.
        name: String,
    },
    /// A row has a different number of fields than the header.
    #[error("row {row}: {found} fields, but the header has {expected}")]
    WrongFieldCount {
        /// Spreadsheet row.
        row: usize,
        /// Fields on the row.
        found: usize,
        /// Fields in the header.
        expected: usize,
    },
    /// A list cell is not `0` or `1`.
    #[error("row {row}, column `{column}`: expected 0 or 1, found `{value}`")]
    NotZeroOne {
        /// Spreadsheet row.
        row: usize,
        /// The list column's name.
        column: String,
        /// What was there.
        value: String,
    },
    /// A count is not a non-negative whole number.
    #[error("row {row}, column `count`: expected a whole number 0 or more, found `{value}`")]
    BadCount {
        /// Spreadsheet row.
        row: usize,
        /// What was there.
        value: String,
    },
    /// A pattern with no list: such people are by definition not documented.
    #[error(
        "{}the all-zero pattern is invalid: people no list recorded are what is estimated, never \
         an input",
        match row { Some(r) => format!("row {r}: "), None => String::new() }
    )]
    AllZeroPattern {
        /// Spreadsheet row, when read from a file.
        row: Option<usize>,
    },
    /// A pattern uses a list bit beyond the table's lists.
    #[error("pattern {pattern:#b} names a list beyond the table's {lists} lists")]
    PatternOutOfRange {
        /// The pattern's bits.
        pattern: u32,
        /// The number of lists.
        lists: usize,
    },
    /// Lists that recorded nobody.
    #[error(
        "list(s) {} recorded nobody; remove the column(s) (a list with no records carries no \
         information about overlap)",
        names.join(", ")
    )]
    EmptyList {
        /// Their names.
        names: Vec<String>,
    },
}

/// Why an estimate was refused: the data cannot support a number.
#[derive(Debug, Clone, PartialEq, Eq, Error, serde::Serialize)]
#[non_exhaustive]
pub enum Refusal {
    /// Too few lists hold records.
    #[error("only {found} list(s) hold records; this method needs at least {needed}")]
    TooFewLists {
        /// Lists with at least one record.
        found: usize,
        /// The method's minimum.
        needed: usize,
    },
    /// Too many lists for this method.
    #[error("{found} lists; this method handles at most {max}")]
    TooManyLists {
        /// Lists in the table.
        found: usize,
        /// The method's maximum.
        max: usize,
    },
    /// Nobody is on two lists: overlap is what the estimate is made of.
    #[error("the lists do not overlap (nobody is on two or more lists); no estimate is possible")]
    NoOverlap,
    /// Too few documented people for an estimate to mean anything.
    #[error("only {found} documented people; at least {needed} are needed")]
    TooFewRecords {
        /// Documented people.
        found: u64,
        /// The minimum.
        needed: u64,
    },
    /// No model could be fitted (every candidate failed or was not identifiable).
    #[error("no model could be fitted: {reason}")]
    NoModel {
        /// What went wrong.
        reason: String,
    },
    /// A setting is out of range.
    #[error("invalid setting: {0}")]
    BadSetting(String),
}

impl Refusal {
    /// A stable snake_case name of the variant, e.g. `no_overlap` (for translation tables).
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::TooFewLists { .. } => "too_few_lists",
            Refusal::TooManyLists { .. } => "too_many_lists",
            Refusal::NoOverlap => "no_overlap",
            Refusal::TooFewRecords { .. } => "too_few_records",
            Refusal::NoModel { .. } => "no_model",
            Refusal::BadSetting(_) => "bad_setting",
        }
    }
}
