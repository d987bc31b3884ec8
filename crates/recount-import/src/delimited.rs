//! Comma-, semicolon- or tab-separated text with a header row.

use crate::encoding::{TextProblem, open_text};
use crate::fields::{FieldReader, Target};
use crate::{ImportError, Problem, ProblemKind, Progress, Row, TextEncoding};
use std::io::Read;

pub(crate) struct DelimitedRows {
    csv: csv::Reader<Box<dyn Read>>,
    fields: FieldReader,
    targets: Vec<Target>,
    names: Vec<String>,
    record: csv::ByteRecord,
    encoding: TextEncoding,
}

/// The delimiter the header line uses most: `,`, `;` or tab (outside quotes); `,` on a tie.
pub(crate) fn sniff_delimiter(sample: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in sample {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|i| (counts[*i], 3 - i)).unwrap_or(0);
    [b',', b';', b'\t'][best]
}

impl DelimitedRows {
    pub(crate) fn new<R: Read + 'static>(
        file: R,
        name: &str,
        fields: FieldReader,
        encoding: Option<TextEncoding>,
        progress: Progress,
    ) -> Result<DelimitedRows, ImportError> {
        let opened = match open_text(file, encoding, progress) {
            Ok(o) => o,
            Err(TextProblem::Io(source)) => {
                return Err(ImportError::Io {
                    path: name.into(),
                    source,
                });
            }
            Err(TextProblem::Utf16) => {
                return Err(fields.layout_error(
                    ProblemKind::Utf16,
                    "the file is UTF-16 text",
                    "UTF-8 (save the file as CSV UTF-8)",
                ));
            }
        };
        if opened.sample.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(fields.layout_error(
                ProblemKind::EmptyFile,
                "the file is empty",
                "a header row naming the columns (source, record_id, name, ...), then one row per record",
            ));
        }
        let delimiter = fields
            .mapping()
            .delimiter
            .unwrap_or_else(|| sniff_delimiter(&opened.sample));
        let mut csv = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(opened.reader);
        let mut header = csv::ByteRecord::new();
        let io = |e: csv::Error| ImportError::Io {
            path: name.into(),
            source: e.into(),
        };
        if !csv.read_byte_record(&mut header).map_err(io)? {
            return Err(fields.layout_error(
                ProblemKind::NoHeader,
                "the file has no header row",
                "a header row naming the columns",
            ));
        }
        let mut problems = Vec::new();
        let mut names = Vec::with_capacity(header.len());
        for (i, cell) in header.iter().enumerate() {
            match std::str::from_utf8(cell) {
                Ok(s) => names.push(s.trim().to_owned()),
                Err(_) => {
                    problems.push(fields.problem(
                        Some(1),
                        Some(&format!("#{}", i + 1)),
                        Some(&String::from_utf8_lossy(cell)),
                        ProblemKind::BadEncoding,
                        "the column name is not valid UTF-8",
                        "UTF-8 text, or --encoding windows-1251 for a windows-1251 file",
                    ));
                    names.push(String::from_utf8_lossy(cell).trim().to_owned());
                }
            }
        }
        if let Some(i) = names.iter().position(|n| n.contains('\0')) {
            problems.push(fields.problem(
                Some(1),
                Some(&format!("#{}", i + 1)),
                None,
                ProblemKind::NulByte,
                "the header contains a NUL byte",
                "a text file (is it binary or UTF-16?)",
            ));
        }
        if problems.is_empty() {
            match fields.resolve_header(&names, 1) {
                Ok(targets) => {
                    return Ok(DelimitedRows {
                        csv,
                        fields,
                        targets,
                        names,
                        record: csv::ByteRecord::new(),
                        encoding: opened.encoding,
                    });
                }
                Err(ps) => problems.extend(ps),
            }
        }
        Err(ImportError::Layout(problems))
    }

    #[allow(dead_code)]
    pub(crate) fn encoding(&self) -> TextEncoding {
        self.encoding
    }

    pub(crate) fn next_row(&mut self) -> Option<Result<Row, ImportError>> {
        match self.csv.read_byte_record(&mut self.record) {
            Ok(false) => return None,
            Ok(true) => {}
            Err(e) => {
                // A CSV-level failure (an unbalanced quote at the end of the file, a read
                // error). Quote errors cannot happen with the csv crate's lenient parser; what
                // remains is the environment.
                let path = self.fields.file().into();
                return Some(Err(ImportError::Io {
                    path,
                    source: e.into(),
                }));
            }
        }
        // Spreadsheet numbering: the header is row 1; blank lines are skipped by the parser.
        let row = self.record.position().map(|p| p.record() + 1).unwrap_or(0);
        let mut problems: Vec<Problem> = Vec::new();
        if self.record.len() != self.targets.len() {
            problems.push(self.fields.problem(
                Some(row),
                None,
                None,
                ProblemKind::WrongCellCount {
                    cells: self.record.len(),
                    columns: self.targets.len(),
                },
                format!(
                    "the row has {} cells but the header has {} columns",
                    self.record.len(),
                    self.targets.len()
                ),
                format!("{} cells, separated like the header", self.targets.len()),
            ));
            return Some(Ok(Row {
                row,
                result: Err(problems),
            }));
        }
        let mut cells: Vec<&str> = Vec::with_capacity(self.record.len());
        for (i, cell) in self.record.iter().enumerate() {
            match std::str::from_utf8(cell) {
                Ok(s) => cells.push(s),
                Err(_) => {
                    problems.push(self.fields.problem(
                        Some(row),
                        Some(&self.names[i]),
                        None,
                        ProblemKind::BadEncoding,
                        "the value is not valid UTF-8",
                        "UTF-8 text, or --encoding windows-1251 for a windows-1251 file",
                    ));
                    cells.push("");
                }
            }
        }
        let result = self.fields.record(
            row,
            self.targets
                .iter()
                .zip(&self.names)
                .zip(cells)
                .map(|((t, n), v)| (*t, n.as_str(), v)),
        );
        let result = match (result, problems.is_empty()) {
            (Ok(rec), true) => Ok(rec),
            (Ok(_), false) => Err(problems),
            (Err(more), _) => {
                problems.extend(more);
                Err(problems)
            }
        };
        Some(Ok(Row { row, result }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_chooses_the_delimiter() {
        assert_eq!(sniff_delimiter(b"source,record_id,name\n"), b',');
        assert_eq!(sniff_delimiter(b"source;record_id;name\na,b,c,d,e\n"), b';');
        assert_eq!(sniff_delimiter(b"source\trecord_id\tname"), b'\t');
        assert_eq!(sniff_delimiter(b"\"a;b\",c\n"), b',');
        assert_eq!(sniff_delimiter(b"name\n"), b',');
    }
}
