//! Writing records, persons and capture histories as CSV and Parquet.
//!
//! One job: turn what the project holds into files other tools read (R, Python, spreadsheets,
//! `recount estimate`). It knows no database: callers stream values in. Main types:
//! - [`RecordsWriter`]: records in Records CSV v1 column order (CSV or Parquet);
//! - [`PersonsWriter`]: which person each record belongs to: `source,record_id,person_id`;
//! - [`CaptureHistories`]: capture patterns per stratum, written in the estimation CSV format;
//! - [`ExportFormat`], [`ExportError`].
//!
//! # Versions
//! Every format carries a version. CSV files have no room for a comment, so their version is
//! their documented column order (records v1 = Records CSV v1; persons v1 =
//! `source,record_id,person_id`; captures v1 = `[stratum,]LIST...,count`), and a change of
//! order or meaning is a new version. Parquet files carry `recount.format` (`records`,
//! `persons`) and `recount.format_version` in their key-value metadata. Committed fixtures of
//! each version (tests/fixtures) must keep loading.
//!
//! # Spreadsheet safety
//! A CSV cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`
//! so that a spreadsheet shows it as text instead of running it as a formula.

mod captures;
mod table;

pub use captures::CaptureHistories;

use recount_types::{PersonId, RECORDS_CSV_V1_COLUMNS, Record, RecordKey};
use std::io::Write;
use table::{Cell, Column, Table};

/// The version of the records export (the Records CSV v1 columns).
pub const RECORDS_FORMAT_VERSION: u32 = 1;
/// The version of the persons export (`source,record_id,person_id`).
pub const PERSONS_FORMAT_VERSION: u32 = 1;
/// The version of the captures export (`[stratum,]LIST...,count`).
pub const CAPTURES_FORMAT_VERSION: u32 = 1;

/// The columns of the persons export, in order.
pub const PERSONS_COLUMNS: [&str; 3] = ["source", "record_id", "person_id"];

/// A file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Parquet,
}

/// Why an export could not be written (the environment: disk, or a writer library's failure).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("Parquet: {0}")]
    Parquet(#[from] parquet::errors::ParquetError),
}

/// Prefixes a CSV cell that a spreadsheet would run as a formula with `'`.
pub fn neutralise_formula(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// Writes records, streaming.
pub struct RecordsWriter<W: Write + Send> {
    table: Table<W>,
}

impl<W: Write + Send> RecordsWriter<W> {
    pub fn new(out: W, format: ExportFormat) -> Result<Self, ExportError> {
        let columns: Vec<Column> = RECORDS_CSV_V1_COLUMNS
            .iter()
            .map(|c| match *c {
                "source" | "record_id" => Column::text(c),
                _ => Column::optional_text(c),
            })
            .collect();
        let table = Table::new(out, format, "records", RECORDS_FORMAT_VERSION, columns)?;
        Ok(RecordsWriter { table })
    }

    pub fn write(&mut self, record: &Record) -> Result<(), ExportError> {
        let row = record.to_csv_v1_row();
        let cells: Vec<Cell<'_>> = row
            .iter()
            .map(|v| {
                if v.is_empty() {
                    Cell::Null
                } else {
                    Cell::Text(v)
                }
            })
            .collect();
        self.table.write(&cells)
    }

    /// Finishes the file and returns the writer.
    pub fn finish(self) -> Result<W, ExportError> {
        self.table.finish()
    }
}

/// Writes `source,record_id,person_id` rows, streaming.
pub struct PersonsWriter<W: Write + Send> {
    table: Table<W>,
}

impl<W: Write + Send> PersonsWriter<W> {
    pub fn new(out: W, format: ExportFormat) -> Result<Self, ExportError> {
        let columns = vec![
            Column::text("source"),
            Column::text("record_id"),
            Column::int("person_id"),
        ];
        let table = Table::new(out, format, "persons", PERSONS_FORMAT_VERSION, columns)?;
        Ok(PersonsWriter { table })
    }

    pub fn write(&mut self, record: &RecordKey, person: PersonId) -> Result<(), ExportError> {
        self.table.write(&[
            Cell::Text(record.source.as_str()),
            Cell::Text(&record.record_id),
            Cell::Int(person.0),
        ])
    }

    pub fn finish(self) -> Result<W, ExportError> {
        self.table.finish()
    }
}

#[cfg(test)]
mod tests;
