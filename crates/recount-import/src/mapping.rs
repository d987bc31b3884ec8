//! Mapping files: how a layout other than Records CSV v1 maps onto it.
//!
//! ```toml
//! version = 1
//! encoding = "windows-1251"      # optional; --encoding wins
//! delimiter = ";"                # optional; otherwise sniffed from the header
//! sheet = "Лист1"                # optional; XLSX only, default the first sheet
//! ignore = ["Телефон"]           # columns to skip
//!
//! [columns]                      # file column = Records CSV v1 column
//! "Фамилия" = "family_name"
//! "Событие" = "event"
//!
//! [values.event]                 # file value = vocabulary term, per v1 column
//! "выезд запрещён" = "exit_refused"
//!
//! [dates]                        # extra forms for birth_date and event_date
//! formats = ["DD.MM.YYYY", "MM.YYYY"]
//! ```

use crate::ImportError;
use recount_types::{PartialDate, RECORDS_CSV_V1_COLUMNS};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// A parsed mapping file. Lookups of column names and values ignore case.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mapping {
    columns: BTreeMap<String, String>,
    ignore: Vec<String>,
    values: BTreeMap<String, BTreeMap<String, String>>,
    dates: Vec<DateFormat>,
    /// The encoding label the mapping names, if any.
    pub encoding: Option<String>,
    /// The delimiter the mapping names, if any.
    pub delimiter: Option<u8>,
    /// The XLSX sheet to read, if not the first.
    pub sheet: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: Option<u32>,
    encoding: Option<String>,
    delimiter: Option<String>,
    sheet: Option<String>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    columns: BTreeMap<String, String>,
    #[serde(default)]
    values: BTreeMap<String, BTreeMap<String, String>>,
    #[serde(default)]
    dates: Dates,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Dates {
    #[serde(default)]
    formats: Vec<String>,
}

fn key(s: &str) -> String {
    s.trim().to_lowercase()
}

impl Mapping {
    /// Reads a mapping file.
    pub fn load(path: &Path) -> Result<Mapping, ImportError> {
        let text = std::fs::read_to_string(path).map_err(|source| ImportError::Io {
            path: path.to_owned(),
            source,
        })?;
        Mapping::from_toml(&text).map_err(|message| ImportError::Mapping {
            path: path.to_owned(),
            message,
        })
    }

    /// Parses the text of a mapping file.
    pub fn from_toml(text: &str) -> Result<Mapping, String> {
        let f: File = toml::from_str(text).map_err(|e| e.to_string())?;
        if let Some(v) = f.version.filter(|v| *v != 1) {
            return Err(format!("version {v} is not known; expected version = 1"));
        }
        let is_v1 = |c: &str| RECORDS_CSV_V1_COLUMNS.contains(&c);
        let mut columns = BTreeMap::new();
        for (from, to) in f.columns {
            if !is_v1(&to) {
                return Err(format!(
                    "[columns] maps {from:?} to {to:?}, which is not a Records CSV v1 column ({})",
                    RECORDS_CSV_V1_COLUMNS.join(", ")
                ));
            }
            columns.insert(key(&from), to);
        }
        let mut values = BTreeMap::new();
        for (column, table) in f.values {
            if !is_v1(&column) {
                return Err(format!("[values.{column}] names no Records CSV v1 column"));
            }
            values.insert(
                column,
                table.into_iter().map(|(k, v)| (key(&k), v)).collect(),
            );
        }
        let dates = f
            .dates
            .formats
            .iter()
            .map(|s| DateFormat::new(s))
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(label) = &f.encoding
            && crate::TextEncoding::from_label(label).is_none()
        {
            return Err(format!(
                "encoding {label:?} is not known; expected e.g. \"windows-1251\" or \"utf-8\""
            ));
        }
        let delimiter = match f.delimiter.as_deref() {
            None => None,
            Some(",") => Some(b','),
            Some(";") => Some(b';'),
            Some("\t") | Some("tab") => Some(b'\t'),
            Some(d) => {
                return Err(format!(
                    "delimiter {d:?} is not one of \",\", \";\" or \"tab\""
                ));
            }
        };
        Ok(Mapping {
            columns,
            ignore: f.ignore.iter().map(|s| key(s)).collect(),
            values,
            dates,
            encoding: f.encoding,
            delimiter,
            sheet: f.sheet,
        })
    }

    pub(crate) fn ignores(&self, column: &str) -> bool {
        !self.ignore.is_empty() && self.ignore.contains(&key(column))
    }

    /// The Records CSV v1 column a file column is renamed to.
    pub(crate) fn column(&self, column: &str) -> Option<&str> {
        if self.columns.is_empty() {
            return None;
        }
        self.columns.get(&key(column)).map(String::as_str)
    }

    /// The value `value` of the v1 column `field` stands for (itself when not mapped).
    pub(crate) fn translate<'a>(&'a self, field: &str, value: &'a str) -> &'a str {
        match self.values.get(field) {
            Some(table) if !value.is_empty() => {
                table.get(&key(value)).map(String::as_str).unwrap_or(value)
            }
            _ => value,
        }
    }

    pub(crate) fn date_formats(&self) -> &[DateFormat] {
        &self.dates
    }

    /// The mapping's date forms as written, e.g. `DD.MM.YYYY`.
    pub(crate) fn date_patterns(&self) -> Vec<String> {
        self.dates.iter().map(|d| d.pattern.clone()).collect()
    }

    pub(crate) fn date_expected(&self) -> String {
        let forms: Vec<&str> = self.dates.iter().map(|d| d.pattern.as_str()).collect();
        format!(
            "YYYY, YYYY-MM, YYYY-MM-DD or one of the mapping's forms {}",
            forms.join(", ")
        )
    }
}

/// A date form such as `DD.MM.YYYY`: `YYYY` four digits, `MM`/`DD` two, `M`/`D` one or two;
/// anything else is a literal character. A form without `DD`/`D` gives a month-precision date,
/// one without `MM`/`M` a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateFormat {
    pattern: String,
    tokens: Vec<Token>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Year,
    Month { min: usize },
    Day { min: usize },
    Literal(char),
}

impl DateFormat {
    pub fn new(pattern: &str) -> Result<DateFormat, String> {
        let mut tokens = Vec::new();
        let mut rest = pattern;
        while !rest.is_empty() {
            let (t, len) = if rest.starts_with("YYYY") {
                (Token::Year, 4)
            } else if rest.starts_with("MM") {
                (Token::Month { min: 2 }, 2)
            } else if rest.starts_with("DD") {
                (Token::Day { min: 2 }, 2)
            } else if rest.starts_with('M') {
                (Token::Month { min: 1 }, 1)
            } else if rest.starts_with('D') {
                (Token::Day { min: 1 }, 1)
            } else {
                let c = rest.chars().next().unwrap_or(' ');
                if c.is_ascii_alphanumeric() {
                    return Err(format!(
                        "date form {pattern:?}: {c:?} is not YYYY, MM, M, DD or D"
                    ));
                }
                (Token::Literal(c), c.len_utf8())
            };
            tokens.push(t);
            rest = &rest[len..];
        }
        let count = |f: fn(&Token) -> bool| tokens.iter().filter(|t| f(t)).count();
        let (y, m, d) = (
            count(|t| matches!(t, Token::Year)),
            count(|t| matches!(t, Token::Month { .. })),
            count(|t| matches!(t, Token::Day { .. })),
        );
        if y != 1 || m > 1 || d > 1 || (d == 1 && m == 0) {
            return Err(format!(
                "date form {pattern:?} needs one YYYY, at most one month and a day only with a month"
            ));
        }
        Ok(DateFormat {
            pattern: pattern.to_owned(),
            tokens,
        })
    }

    /// The date `s` means in this form, if it is in this form and a real date.
    pub fn parse(&self, s: &str) -> Option<PartialDate> {
        let b = s.trim().as_bytes();
        let mut i = 0;
        let (mut year, mut month, mut day) = (None, None, None);
        let digits = |i: &mut usize, min: usize, max: usize| -> Option<u16> {
            let start = *i;
            while *i < b.len() && *i - start < max && b[*i].is_ascii_digit() {
                *i += 1;
            }
            if *i - start < min {
                return None;
            }
            std::str::from_utf8(&b[start..*i]).ok()?.parse().ok()
        };
        for t in &self.tokens {
            match *t {
                Token::Year => year = Some(digits(&mut i, 4, 4)?),
                Token::Month { min } => month = Some(u8::try_from(digits(&mut i, min, 2)?).ok()?),
                Token::Day { min } => day = Some(u8::try_from(digits(&mut i, min, 2)?).ok()?),
                Token::Literal(c) => {
                    let mut buf = [0; 4];
                    let lit = c.encode_utf8(&mut buf).as_bytes();
                    if !b[i..].starts_with(lit) {
                        return None;
                    }
                    i += lit.len();
                }
            }
        }
        if i != b.len() {
            return None;
        }
        match (year?, month, day) {
            (y, Some(m), Some(d)) => PartialDate::ymd(y, m, d),
            (y, Some(m), None) => PartialDate::year_month(y, m),
            (y, _, _) => PartialDate::year_only(y),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(pattern: &str, input: &str, expected: Option<&str>) {
        let f = DateFormat::new(pattern).unwrap();
        assert_eq!(
            f.parse(input).map(|d| d.to_string()).as_deref(),
            expected,
            "{pattern} {input}"
        );
    }

    #[test]
    fn date_forms() {
        check("DD.MM.YYYY", "31.12.2022", Some("2022-12-31"));
        check("DD.MM.YYYY", "1.12.2022", None);
        check("D.M.YYYY", "1.2.2022", Some("2022-02-01"));
        check("DD.MM.YYYY", "31.02.2022", None);
        check("MM.YYYY", "09.2022", Some("2022-09"));
        check("MM/DD/YYYY", "09/21/2022", Some("2022-09-21"));
        check("DD.MM.YYYY", "31.12.2022x", None);
        assert!(DateFormat::new("DD.YYYY").is_err());
        assert!(DateFormat::new("DD.MM.YY").is_err());
    }

    #[test]
    fn mappings_are_checked() {
        let m = Mapping::from_toml(
            "ignore = [\"Телефон\"]\n[columns]\n\"Фамилия\" = \"family_name\"\n[values.event]\n\"Выезд запрещён\" = \"exit_refused\"\n",
        )
        .unwrap();
        assert_eq!(m.column("фамилия"), Some("family_name"));
        assert!(m.ignores("ТЕЛЕФОН"));
        assert_eq!(m.translate("event", "выезд запрещён"), "exit_refused");
        assert_eq!(m.translate("event", "summoned"), "summoned");
        assert!(
            Mapping::from_toml("[columns]\n\"x\" = \"surname\"\n")
                .unwrap_err()
                .contains("not a Records CSV v1 column")
        );
        assert!(Mapping::from_toml("colums = 1\n").is_err());
        assert!(Mapping::from_toml("version = 2\n").is_err());
    }
}
