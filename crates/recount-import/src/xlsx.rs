//! Excel and OpenDocument workbooks (through calamine): one sheet, header in its first row.

use crate::fields::{FieldReader, Target};
use crate::{ImportError, ProblemKind, Row};
use calamine::{Data, Reader};
use std::path::Path;

pub(crate) struct SheetRows {
    fields: FieldReader,
    targets: Vec<Target>,
    names: Vec<String>,
    rows: std::vec::IntoIter<(u64, Vec<String>)>,
}

/// A cell as the text a CSV export of the sheet would hold: whole numbers without `.0`, dates as
/// `YYYY-MM-DD`.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => excel_date(d.as_f64()),
        Data::DateTimeIso(s) => s.split('T').next().unwrap_or(s).to_owned(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// An Excel serial day number (1900 system; day 60 is the fictional 1900-02-29) as YYYY-MM-DD.
fn excel_date(serial: f64) -> String {
    let days = serial.floor() as i64;
    // Days since 1970-01-01: serial 25569 is 1970-01-01.
    let z = days - 25_569 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

impl SheetRows {
    pub(crate) fn open(
        path: &Path,
        name: &str,
        fields: FieldReader,
    ) -> Result<SheetRows, ImportError> {
        let mut book = calamine::open_workbook_auto(path).map_err(|e| match e {
            calamine::Error::Io(source) => ImportError::Io {
                path: path.to_owned(),
                source,
            },
            other => fields.layout_error(
                ProblemKind::NotWorkbook,
                format!("not a readable workbook: {other}"),
                "an .xlsx, .xls or .ods file",
            ),
        })?;
        let sheet = match &fields.mapping().sheet {
            Some(s) => s.clone(),
            None => match book.sheet_names().first() {
                Some(s) => s.clone(),
                None => {
                    return Err(fields.layout_error(
                        ProblemKind::NoSheets,
                        "the workbook has no sheets",
                        "a sheet with a header row",
                    ));
                }
            },
        };
        let range = book.worksheet_range(&sheet).map_err(|e| {
            fields.layout_error(
                ProblemKind::MissingSheet {
                    sheet: sheet.clone(),
                },
                format!("cannot read sheet {sheet:?}: {e}"),
                "an existing sheet (see `sheet` in the mapping)",
            )
        })?;
        let first_row = range.start().map(|(r, _)| u64::from(r) + 1).unwrap_or(1);
        let mut rows = range.rows();
        let Some(header) = rows.next() else {
            return Err(fields.layout_error(
                ProblemKind::EmptySheet {
                    sheet: sheet.clone(),
                },
                format!("sheet {sheet:?} of {name} is empty"),
                "a header row naming the columns, then one row per record",
            ));
        };
        let names: Vec<String> = header
            .iter()
            .map(|c| cell_text(c).trim().to_owned())
            .collect();
        // Trailing empty header cells are formatting, not columns.
        let width = names
            .iter()
            .rposition(|n| !n.is_empty())
            .map_or(0, |i| i + 1);
        let names: Vec<String> = names.into_iter().take(width).collect();
        let targets = fields
            .resolve_header(&names, first_row)
            .map_err(ImportError::Layout)?;
        let body: Vec<(u64, Vec<String>)> = rows
            .enumerate()
            .map(|(i, r)| {
                (
                    first_row + 1 + i as u64,
                    r.iter().take(width).map(cell_text).collect::<Vec<_>>(),
                )
            })
            .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
            .collect();
        Ok(SheetRows {
            fields,
            targets,
            names,
            rows: body.into_iter(),
        })
    }

    pub(crate) fn next_row(&mut self) -> Option<Result<Row, ImportError>> {
        let (row, cells) = self.rows.next()?;
        let result = self.fields.record(
            row,
            self.targets
                .iter()
                .zip(&self.names)
                .zip(&cells)
                .map(|((t, n), v)| (*t, n.as_str(), v.as_str())),
        );
        Some(Ok(Row { row, result }))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn excel_serials_are_dates() {
        assert_eq!(super::excel_date(25_569.0), "1970-01-01");
        assert_eq!(super::excel_date(44_825.5), "2022-09-21");
        assert_eq!(super::excel_date(61.0), "1900-03-01");
    }
}
