//! Located problems with a stable code, and a capped collection of them.

use serde::{Serialize, Serializer};
use std::fmt;

/// Declares [`ProblemKind`] with the code of each variant, and the list of every code, from one
/// table: a variant cannot be added without a code, nor a code without its place in
/// [`ProblemKind::CODES`] (which the desk's catalogue test walks).
macro_rules! problem_kinds {
    ($(
        $(#[$doc:meta])*
        $variant:ident $({ $( $(#[$fdoc:meta])* $field:ident : $ty:ty ),* $(,)? })? => $code:literal,
    )*) => {
        /// What is wrong, as a stable code with its parameters, so that a reader in another
        /// language can word it ([`ProblemKind::code`], [`ProblemKind::params`]). Parameters
        /// never hold free text from the file (names, testimony): only column and source names,
        /// counts, rows and the forms a value may take.
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum ProblemKind {
            $( $(#[$doc])* $variant $({ $( $(#[$fdoc])* $field: $ty ),* })?, )*
        }

        impl ProblemKind {
            /// Every code, in declaration order.
            pub const CODES: &'static [&'static str] = &[$($code),*];

            /// A stable snake_case name of the kind, e.g. `bad_date`.
            pub fn code(&self) -> &'static str {
                match self {
                    $( ProblemKind::$variant { .. } => $code, )*
                }
            }
        }
    };
}

problem_kinds! {
    /// The file holds nothing but white space.
    EmptyFile => "empty_file",
    /// The file is UTF-16 text.
    Utf16 => "utf16",
    /// A delimited file without a header row.
    NoHeader => "no_header",
    /// A header and no record rows.
    HeaderOnly => "header_only",
    /// A JSON Lines file without a single object.
    NoRecords => "no_records",
    /// A workbook that cannot be opened.
    NotWorkbook => "not_workbook",
    /// A workbook without sheets.
    NoSheets => "no_sheets",
    /// The sheet the mapping names cannot be read.
    MissingSheet { sheet: String } => "missing_sheet",
    /// A sheet without a header row.
    EmptySheet { sheet: String } => "empty_sheet",
    /// A column that is neither a Records CSV v1 column nor renamed or ignored by the mapping.
    UnknownColumn { column: String } => "unknown_column",
    /// A second column for the same field.
    RepeatedColumn {
        /// The Records CSV v1 field.
        field: String,
        /// The first column that holds it.
        first: String,
    } => "repeated_column",
    /// A required column (`source`, `record_id`, `name`) is missing.
    MissingColumn { column: String } => "missing_column",
    /// Bytes that are not UTF-8 (in a header cell, a cell or a line).
    BadEncoding => "bad_encoding",
    /// A NUL byte (a binary or UTF-16 file).
    NulByte => "nul_byte",
    /// Another control character.
    ControlCharacter => "control_character",
    /// A row with more or fewer cells than the header has columns.
    WrongCellCount { cells: usize, columns: usize } => "wrong_cell_count",
    /// A JSON Lines line that is not JSON.
    NotJson => "not_json",
    /// A JSON Lines line that is JSON but not an object.
    NotJsonObject => "not_json_object",
    /// A JSON value that is not a string, a number, null or (for citizenship) an array.
    BadJsonValue => "bad_json_value",
    /// The row's source is not the one the import is for.
    SourceMismatch {
        /// The source the row names.
        row_source: String,
        /// The source given for the import.
        given: String,
    } => "source_mismatch",
    /// The row has no source.
    EmptySource => "empty_source",
    /// The row has no record_id.
    EmptyRecordId => "empty_record_id",
    /// The row has no name at all.
    NoName => "no_name",
    /// `sex` is not `m` or `f`.
    BadSex => "bad_sex",
    /// A date that cannot be read.
    BadDate {
        /// The field takes a range `START/END` too (`event_date`).
        range: bool,
        /// The mapping's extra date forms, if any.
        formats: Vec<String>,
        /// The value looks like a date in another form: a mapping could read it.
        suggest_mapping: bool,
    } => "bad_date",
    /// A date range that ends before it starts.
    ReversedDateRange => "reversed_date_range",
    /// An age that is not a plausible whole number of years.
    BadAge => "bad_age",
    /// An age range whose lower end is above its upper end.
    ReversedAgeRange => "reversed_age_range",
    /// A country code that is not an assigned ISO 3166-1 alpha-2 code.
    UnknownCountry => "unknown_country",
    /// An event term outside the project's vocabulary.
    UnknownEventTerm {
        /// The vocabulary's terms.
        terms: Vec<String>,
    } => "unknown_event_term",
    /// An informant kind outside the fixed list.
    UnknownInformant => "unknown_informant",
    /// A record_id used twice by one source in one import.
    DuplicateRecordId { first_row: u64 } => "duplicate_record_id",
    /// A mapping file that cannot be used.
    BadMapping {
        /// What is wrong with it (the parser's words; a mapping holds no personal data).
        detail: String,
    } => "bad_mapping",
    /// The source given for the import is blank.
    EmptySourceName => "empty_source_name",
    /// A dependency group or the duplicates flag without the source they belong to.
    DeclarationWithoutSource => "declaration_without_source",
    /// The dependency group given is blank.
    EmptyDependencyGroup => "empty_dependency_group",
    /// The source is in another dependency group.
    GroupConflict { source: String, stored: String, requested: String } => "group_conflict",
    /// The source is its own dependency group, and another was requested.
    OwnGroupConflict { source: String, requested: String } => "own_group_conflict",
    /// The source already has this record_id with other content.
    ChangedContent {
        source: String,
        /// The file it was imported from.
        previous_file: String,
        /// The row it was imported from.
        previous_row: u64,
    } => "changed_content",
    /// A problem built field by field rather than by a constructor: only its English text.
    Other => "other",
}

impl ProblemKind {
    /// The kind's parameters by name, as text, for filling a message's `{name}` placeholders.
    /// Lists are joined with `, `.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        use ProblemKind as K;
        let list = |v: &[String]| v.join(", ");
        match self {
            K::MissingSheet { sheet } | K::EmptySheet { sheet } => vec![("sheet", sheet.clone())],
            K::UnknownColumn { column } => vec![
                ("column", column.clone()),
                ("columns", recount_types::RECORDS_CSV_V1_COLUMNS.join(", ")),
            ],
            K::RepeatedColumn { field, first } => {
                vec![("field", field.clone()), ("first", first.clone())]
            }
            K::MissingColumn { column } => vec![("column", column.clone())],
            K::WrongCellCount { cells, columns } => {
                vec![
                    ("cells", cells.to_string()),
                    ("columns", columns.to_string()),
                ]
            }
            K::SourceMismatch { row_source, given } => {
                vec![("row_source", row_source.clone()), ("given", given.clone())]
            }
            K::BadDate { formats, .. } => vec![("formats", list(formats))],
            K::UnknownEventTerm { terms } => vec![("terms", list(terms))],
            K::DuplicateRecordId { first_row } => vec![("first_row", first_row.to_string())],
            K::BadMapping { detail } => vec![("detail", detail.clone())],
            K::GroupConflict {
                source,
                stored,
                requested,
            } => vec![
                ("source", source.clone()),
                ("stored", stored.clone()),
                ("requested", requested.clone()),
            ],
            K::OwnGroupConflict { source, requested } => {
                vec![("source", source.clone()), ("requested", requested.clone())]
            }
            K::ChangedContent {
                source,
                previous_file,
                previous_row,
            } => vec![
                ("source", source.clone()),
                ("previous_file", previous_file.clone()),
                ("previous_row", previous_row.to_string()),
            ],
            K::EmptyFile
            | K::Utf16
            | K::NoHeader
            | K::HeaderOnly
            | K::NoRecords
            | K::NotWorkbook
            | K::NoSheets
            | K::BadEncoding
            | K::NulByte
            | K::ControlCharacter
            | K::NotJson
            | K::NotJsonObject
            | K::BadJsonValue
            | K::EmptySource
            | K::EmptyRecordId
            | K::NoName
            | K::BadSex
            | K::ReversedDateRange
            | K::BadAge
            | K::ReversedAgeRange
            | K::UnknownCountry
            | K::UnknownInformant
            | K::EmptySourceName
            | K::DeclarationWithoutSource
            | K::EmptyDependencyGroup
            | K::Other => Vec::new(),
        }
    }

    /// Further sentences the expected form has for this problem, by name (e.g. `date_range`:
    /// the field also takes a range); a reader words each in its own language after the
    /// expected form. [`ProblemKind::NOTES`] lists every name.
    pub fn notes(&self) -> Vec<&'static str> {
        match self {
            ProblemKind::BadDate {
                range,
                formats,
                suggest_mapping,
            } => [
                (*range, "date_range"),
                (!formats.is_empty(), "mapping_forms"),
                (*suggest_mapping, "mapping_hint"),
            ]
            .into_iter()
            .filter_map(|(on, note)| on.then_some(note))
            .collect(),
            _ => Vec::new(),
        }
    }

    /// Every name [`ProblemKind::notes`] can give.
    pub const NOTES: &'static [&'static str] = &["date_range", "mapping_forms", "mapping_hint"];
}

impl Serialize for ProblemKind {
    /// As its code.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// One thing wrong with the input, located as precisely as the format allows.
///
/// Serialised as `file`, `row`, `column`, `value`, `problem`, `expected` and `code` (the
/// kind's [`ProblemKind::code`]).
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
    /// What is wrong, in English.
    pub problem: String,
    /// What was expected instead, in English.
    pub expected: String,
    /// What kind of problem this is, serialised as its code.
    #[serde(rename = "code")]
    pub kind: ProblemKind,
}

impl Problem {
    /// A problem of `kind` at `row` and `column` of `file`, with its English words.
    pub fn new(
        file: &str,
        row: Option<u64>,
        column: Option<&str>,
        value: Option<&str>,
        kind: ProblemKind,
        problem: impl Into<String>,
        expected: impl Into<String>,
    ) -> Problem {
        Problem {
            file: file.to_owned(),
            row,
            column: column.map(str::to_owned),
            value: value.map(str::to_owned),
            problem: problem.into(),
            expected: expected.into(),
            kind,
        }
    }

    /// What kind of problem this is.
    pub fn kind(&self) -> &ProblemKind {
        &self.kind
    }

    /// A record id the file (or the project) already used earlier in this import.
    pub fn duplicate(file: &str, row: u64, record_id: &str, first_row: u64) -> Problem {
        Problem::new(
            file,
            Some(row),
            Some("record_id"),
            Some(record_id),
            ProblemKind::DuplicateRecordId { first_row },
            format!("record_id is used twice in this import (first at row {first_row})"),
            "a record_id unique within its source",
        )
    }

    /// A mapping file that cannot be used, as the problem of `file` (the mapping's path).
    pub fn bad_mapping(file: &str, detail: String) -> Problem {
        Problem::new(
            file,
            None,
            None,
            None,
            ProblemKind::BadMapping {
                detail: detail.clone(),
            },
            detail,
            "a mapping file as docs/importing.md describes",
        )
    }

    /// An import asked for with settings that do not fit together: the source given is blank
    /// ([`ProblemKind::EmptySourceName`]), a dependency group or duplicates flag comes without
    /// a source ([`ProblemKind::DeclarationWithoutSource`]), or the group is blank
    /// ([`ProblemKind::EmptyDependencyGroup`]). Another kind gets a general sentence.
    pub fn request(file: &str, kind: ProblemKind) -> Problem {
        let (problem, expected) = match kind {
            ProblemKind::EmptySourceName => ("--source is empty", "a source name such as hotline"),
            ProblemKind::DeclarationWithoutSource => (
                "a dependency group or the duplicates flag is given without --source",
                "--source NAME, naming the source these properties belong to",
            ),
            ProblemKind::EmptyDependencyGroup => (
                "the dependency group is empty",
                "a group name shared by sources of one origin, such as wire-story",
            ),
            _ => ("the import's settings do not fit together", ""),
        };
        Problem::new(file, None, None, None, kind, problem, expected)
    }

    /// The source is in dependency group `stored` (`None`: its own group), not `requested`.
    pub fn group_conflict(
        file: &str,
        source: &str,
        stored: Option<&str>,
        requested: &str,
    ) -> Problem {
        let (kind, problem) = match stored {
            Some(g) => (
                ProblemKind::GroupConflict {
                    source: source.to_owned(),
                    stored: g.to_owned(),
                    requested: requested.to_owned(),
                },
                format!("source {source:?} is in dependency group {g:?}, not {requested:?}"),
            ),
            None => (
                ProblemKind::OwnGroupConflict {
                    source: source.to_owned(),
                    requested: requested.to_owned(),
                },
                format!("source {source:?} is its own dependency group, not in {requested:?}"),
            ),
        };
        Problem::new(
            file,
            None,
            None,
            Some(requested),
            kind,
            problem,
            "the source's current group, or --update to move it to the new one",
        )
    }

    /// The source already holds `record_id` (at `row` of `file`) with other content, imported
    /// from row `previous_row` of `previous_file`.
    pub fn changed_content(
        file: &str,
        row: u64,
        record_id: &str,
        source: &str,
        previous_file: &str,
        previous_row: u64,
    ) -> Problem {
        Problem::new(
            file,
            Some(row),
            Some("record_id"),
            Some(record_id),
            ProblemKind::ChangedContent {
                source: source.to_owned(),
                previous_file: previous_file.to_owned(),
                previous_row,
            },
            format!(
                "source {source:?} already has this record_id with different content (imported from {previous_file}, row {previous_row})"
            ),
            "the same content as before, or --update to replace it",
        )
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
