//! Reading records from files, validated, with every problem located by file, row and column.
//!
//! One job: turn a file someone hands us (Records CSV v1, any CSV through a mapping, XLSX,
//! JSON Lines; UTF-8 or windows-1251) into validated [`Record`]s, streaming, and say exactly
//! what is wrong with anything that is not valid. It knows no database: the pipeline writes what
//! it yields.
//!
//! Main types:
//! - [`RecordReader`]: opened with [`RecordReader::open`], yields one [`Row`] per record: a
//!   [`Record`] or the [`Problem`]s that kept it from being one;
//! - [`Options`]: the source to file records under, the event vocabulary, a [`Mapping`], an
//!   encoding;
//! - [`Mapping`]: a TOML file that renames columns, translates values and declares date forms;
//! - [`Problem`] and [`Problems`]: a located diagnostic with its [`ProblemKind`] (a stable
//!   code and its parameters, for wording it in any language), and a capped collection of them;
//! - [`ImportError`]: a file that cannot be read at all (the environment's fault, or a layout so
//!   wrong that no row can be read).
//!
//! Rows are numbered as a spreadsheet shows them: the header is row 1, the first record row 2.
//! In JSON Lines, which has no header, the row is the line number.

mod delimited;
mod encoding;
mod fields;
mod jsonl;
mod mapping;
mod problem;
mod xlsx;

#[cfg(test)]
mod tests;

pub use encoding::TextEncoding;
pub use mapping::{DateFormat, Mapping};
pub use problem::{Problem, ProblemKind, Problems};

use recount_types::{EventVocabulary, Record, RecordKey, SourceName};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// The layouts the importer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-, semicolon- or tab-separated text with a header row.
    Delimited,
    /// An Excel workbook (the first sheet, or the mapping's `sheet`).
    Xlsx,
    /// One JSON object per line.
    JsonLines,
}

impl Format {
    /// The format a file name implies: `.xlsx`/`.xlsm`/`.xls`/`.ods` → XLSX, `.jsonl`/`.ndjson` →
    /// JSON Lines, anything else delimited text.
    pub fn from_path(path: &Path) -> Format {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        match ext.as_str() {
            "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => Format::Xlsx,
            "jsonl" | "ndjson" => Format::JsonLines,
            _ => Format::Delimited,
        }
    }
}

/// How to read a file.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The source every record is filed under. When the file has a `source` column too, each
    /// row's value must equal it; when `None`, the file must have a `source` column.
    pub source: Option<SourceName>,
    /// The event vocabulary `event` values must come from (the project's).
    pub vocabulary: EventVocabulary,
    /// Column names, value vocabularies and date forms of a layout other than Records CSV v1.
    pub mapping: Option<Mapping>,
    /// The text encoding; `None` detects it (UTF-8, or windows-1251 when unambiguous).
    pub encoding: Option<TextEncoding>,
}

/// A file that cannot be read as records at all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The environment failed: the file is missing, unreadable, or the disk failed mid-read.
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file's layout is wrong (empty, no usable header, unknown or missing columns):
    /// the user's input, with every problem located.
    #[error("{} cannot be imported: {}", .0.first().map(|p| p.file.as_str()).unwrap_or("the file"), .0.first().map(|p| p.to_string()).unwrap_or_default())]
    Layout(Vec<Problem>),
    /// A mapping file that cannot be used.
    #[error("mapping {path}: {message}")]
    Mapping { path: PathBuf, message: String },
}

/// One record of the file, or why it is not one.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The row as a spreadsheet numbers it (header = 1), or the line in JSON Lines.
    pub row: u64,
    pub result: Result<Record, Vec<Problem>>,
}

/// How far a read has come, shared with a progress display.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    bytes: Arc<AtomicU64>,
}

impl Progress {
    /// Bytes of the file consumed so far.
    pub fn bytes_read(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }
    pub(crate) fn add(&self, n: u64) {
        self.bytes.fetch_add(n, Ordering::Relaxed);
    }
}

/// A streaming reader of validated records.
pub struct RecordReader {
    inner: Inner,
    file: String,
    progress: Progress,
    total_bytes: u64,
    rows_seen: u64,
    finished: bool,
}

enum Inner {
    Delimited(delimited::DelimitedRows),
    Xlsx(xlsx::SheetRows),
    JsonLines(jsonl::JsonRows),
}

impl RecordReader {
    /// Opens `path` in the format its name implies ([`Format::from_path`]).
    pub fn open(path: &Path, options: Options) -> Result<RecordReader, ImportError> {
        Self::open_as(path, Format::from_path(path), options)
    }

    /// Opens `path` as `format`.
    pub fn open_as(
        path: &Path,
        format: Format,
        options: Options,
    ) -> Result<RecordReader, ImportError> {
        let file = path.display().to_string();
        let io = |source| ImportError::Io {
            path: path.to_owned(),
            source,
        };
        let total_bytes = std::fs::metadata(path).map_err(io)?.len();
        let progress = Progress::default();
        let encoding =
            match options.encoding {
                Some(e) => Some(e),
                None => match options.mapping.as_ref().and_then(|m| m.encoding.as_deref()) {
                    None => None,
                    Some(label) => Some(TextEncoding::from_label(label).ok_or_else(|| {
                        ImportError::Mapping {
                            path: PathBuf::from("(mapping)"),
                            message: format!("encoding {label:?} is not known"),
                        }
                    })?),
                },
            };
        let fields = fields::FieldReader::new(&file, &options);
        let inner = match format {
            Format::Delimited => {
                let f = std::fs::File::open(path).map_err(io)?;
                Inner::Delimited(delimited::DelimitedRows::new(
                    f,
                    &file,
                    fields,
                    encoding,
                    progress.clone(),
                )?)
            }
            Format::Xlsx => Inner::Xlsx(xlsx::SheetRows::open(path, &file, fields)?),
            Format::JsonLines => {
                let f = std::fs::File::open(path).map_err(io)?;
                Inner::JsonLines(jsonl::JsonRows::new(
                    f,
                    &file,
                    fields,
                    encoding,
                    progress.clone(),
                )?)
            }
        };
        Ok(RecordReader {
            inner,
            file,
            progress,
            total_bytes,
            rows_seen: 0,
            finished: false,
        })
    }

    /// A handle on how many bytes have been read, for a progress bar.
    pub fn progress(&self) -> Progress {
        self.progress.clone()
    }

    /// The file's size in bytes.
    pub fn total_bytes(&self) -> u64 {
        self.total_bytes
    }

    /// The file name used in problems.
    pub fn file(&self) -> &str {
        &self.file
    }
}

impl Iterator for RecordReader {
    type Item = Result<Row, ImportError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        let next = match &mut self.inner {
            Inner::Delimited(r) => r.next_row(),
            Inner::Xlsx(r) => r.next_row(),
            Inner::JsonLines(r) => r.next_row(),
        };
        match next {
            Some(Ok(row)) => {
                self.rows_seen += 1;
                Some(Ok(row))
            }
            Some(Err(e)) => {
                self.finished = true;
                Some(Err(e))
            }
            None => {
                self.finished = true;
                if self.rows_seen > 0 {
                    return None;
                }
                // A header and nothing else: say so rather than import nothing in silence.
                let (row, kind, expected) = match self.inner {
                    Inner::JsonLines(_) => (
                        1,
                        ProblemKind::NoRecords,
                        "at least one line holding a JSON object",
                    ),
                    _ => (
                        2,
                        ProblemKind::HeaderOnly,
                        "at least one record row after the header",
                    ),
                };
                Some(Ok(Row {
                    row,
                    result: Err(vec![Problem::new(
                        &self.file,
                        Some(row),
                        None,
                        None,
                        kind,
                        "the file has no records",
                        expected,
                    )]),
                }))
            }
        }
    }
}

/// Reads a whole file into memory: every record, or every problem (up to `limit`, with the
/// total), including a `record_id` its source uses twice. For standalone tools (linkage input);
/// the project import streams instead.
pub fn read_all(
    path: &Path,
    options: Options,
    limit: usize,
) -> Result<Result<Vec<Record>, Problems>, ImportError> {
    let reader = RecordReader::open(path, options)?;
    let file = reader.file().to_owned();
    let mut problems = Problems::new(limit);
    let mut records = Vec::new();
    let mut first_row: BTreeMap<RecordKey, u64> = BTreeMap::new();
    for row in reader {
        let row = row?;
        match row.result {
            Ok(rec) => {
                if let Some(first) = first_row.insert(rec.key(), row.row) {
                    first_row.insert(rec.key(), first);
                    problems.push(Problem::duplicate(&file, row.row, &rec.record_id, first));
                    continue;
                }
                records.push(rec);
            }
            Err(ps) => ps.into_iter().for_each(|p| problems.push(p)),
        }
    }
    Ok(if problems.is_empty() {
        Ok(records)
    } else {
        Err(problems)
    })
}
