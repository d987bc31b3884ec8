//! JSON Lines: one object per line, keys named like columns, values strings, numbers or null
//! (`citizenship` may also be an array of codes).

use crate::encoding::{TextProblem, open_text};
use crate::fields::{FieldReader, Target};
use crate::{ImportError, Problem, ProblemKind, Progress, Row, TextEncoding};
use serde_json::Value;
use std::io::{BufRead, BufReader, Read};

pub(crate) struct JsonRows {
    lines: BufReader<Box<dyn Read>>,
    fields: FieldReader,
    line: u64,
    buf: Vec<u8>,
}

impl JsonRows {
    pub(crate) fn new<R: Read + 'static>(
        file: R,
        name: &str,
        fields: FieldReader,
        encoding: Option<TextEncoding>,
        progress: Progress,
    ) -> Result<JsonRows, ImportError> {
        let opened = match open_text(file, encoding, progress) {
            Ok(o) => o,
            Err(TextProblem::Io(source)) => {
                return Err(ImportError::Io {
                    path: name.into(),
                    source,
                });
            }
            Err(TextProblem::Utf16) => {
                return Err(ImportError::Layout(vec![fields.problem(
                    Some(1),
                    None,
                    None,
                    ProblemKind::Utf16,
                    "the file is UTF-16 text",
                    "UTF-8",
                )]));
            }
        };
        if opened.sample.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(ImportError::Layout(vec![fields.problem(
                Some(1),
                None,
                None,
                ProblemKind::EmptyFile,
                "the file is empty",
                "one JSON object per line, e.g. {\"source\": \"hotline\", \"record_id\": \"1\", \"name\": \"...\"}",
            )]));
        }
        Ok(JsonRows {
            lines: BufReader::with_capacity(1 << 16, opened.reader),
            fields,
            line: 0,
            buf: Vec::new(),
        })
    }

    pub(crate) fn next_row(&mut self) -> Option<Result<Row, ImportError>> {
        loop {
            self.buf.clear();
            match self.lines.read_until(b'\n', &mut self.buf) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(source) => {
                    return Some(Err(ImportError::Io {
                        path: self.fields.file().into(),
                        source,
                    }));
                }
            }
            self.line += 1;
            if self.buf.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            let row = self.line;
            return Some(Ok(Row {
                row,
                result: self.parse(row),
            }));
        }
    }

    fn parse(&mut self, row: u64) -> Result<recount_types::Record, Vec<Problem>> {
        let bad = |f: &FieldReader, kind: ProblemKind, problem: String, expected: &str| {
            vec![f.problem(Some(row), None, None, kind, problem, expected)]
        };
        let Ok(text) = std::str::from_utf8(&self.buf) else {
            return Err(bad(
                &self.fields,
                ProblemKind::BadEncoding,
                "the line is not valid UTF-8".into(),
                "UTF-8 text, or --encoding windows-1251",
            ));
        };
        let object = match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(o)) => o,
            Ok(_) => {
                return Err(bad(
                    &self.fields,
                    ProblemKind::NotJsonObject,
                    "the line is not a JSON object".into(),
                    "one JSON object per line",
                ));
            }
            Err(e) => {
                return Err(bad(
                    &self.fields,
                    ProblemKind::NotJson,
                    format!("the line is not valid JSON ({e})"),
                    "one JSON object per line",
                ));
            }
        };
        let mut problems = Vec::new();
        let mut cells: Vec<(Target, &str, String)> = Vec::with_capacity(object.len());
        for (key, value) in &object {
            let Some(target) = self.fields.target(key) else {
                problems.push(self.fields.problem(
                    Some(row),
                    Some(key),
                    None,
                    ProblemKind::UnknownColumn {
                        column: key.clone(),
                    },
                    format!("unknown field {key:?}"),
                    "a Records CSV v1 column name, or a mapping file that renames or ignores it",
                ));
                continue;
            };
            let text = match value {
                Value::Null => String::new(),
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Array(items) if items.iter().all(Value::is_string) => items
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(";"),
                _ => {
                    problems.push(self.fields.problem(
                        Some(row),
                        Some(key),
                        None,
                        ProblemKind::BadJsonValue,
                        "the value is not text or a number",
                        "a string, a number or null",
                    ));
                    continue;
                }
            };
            cells.push((target, key.as_str(), text));
        }
        match self
            .fields
            .record(row, cells.iter().map(|(t, k, v)| (*t, *k, v.as_str())))
        {
            Ok(rec) if problems.is_empty() => Ok(rec),
            Ok(_) => Err(problems),
            Err(more) => {
                for p in more {
                    if !problems.iter().any(|q| q.column == p.column) {
                        problems.push(p);
                    }
                }
                Err(problems)
            }
        }
    }
}
