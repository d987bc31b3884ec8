//! From cells to a validated [`Record`]: column names resolved through the mapping, values
//! translated and parsed, every problem located.

use crate::mapping::Mapping;
use crate::{Options, Problem, ProblemKind};
use foldhash::HashMap;
use recount_types::{
    AgeRange, CountryCode, EventDate, EventTerm, EventVocabulary, Informant, PartialDate,
    RECORDS_CSV_V1_COLUMNS, Record, Sex, SourceName, ValueError, parse_country_list,
};
use std::cell::RefCell;

// Indices into RECORDS_CSV_V1_COLUMNS.
const SOURCE: usize = 0;
const RECORD_ID: usize = 1;
const NAME: usize = 2;
const GIVEN: usize = 3;
const FAMILY: usize = 4;

/// Columns whose values are free text: checked for control characters but never echoed.
const FREE_TEXT: [&str; 10] = [
    "name",
    "given_name",
    "family_name",
    "patronymic",
    "birth_place",
    "document_id",
    "residence",
    "place",
    "quote",
    "notes",
];

/// Where a file column goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// A Records CSV v1 field (index into `RECORDS_CSV_V1_COLUMNS`).
    Field(usize),
    /// A column the mapping says to skip.
    Ignored,
}

/// Builds records from cells: one per file, shared by every format.
pub(crate) struct FieldReader {
    file: String,
    source: Option<SourceName>,
    vocabulary: EventVocabulary,
    mapping: Mapping,
    /// Values parsed before, per field (index into `RECORDS_CSV_V1_COLUMNS`): codes, terms,
    /// ages and dates repeat from row to row, and parsing one (`RU;KG` is a scan of the code
    /// table per code) costs more than looking it up. Only valid values are kept.
    parsed: RefCell<Vec<HashMap<String, Parsed>>>,
}

/// A parsed value of a typed field.
#[derive(Debug, Clone)]
enum Parsed {
    Sex(Sex),
    Date(PartialDate),
    Age(AgeRange),
    Countries(Vec<CountryCode>),
    Country(CountryCode),
    Event(EventTerm),
    EventDate(EventDate),
    Informant(Informant),
}

/// Distinct values remembered per field at most (then new ones are parsed each time).
const PARSED_CACHE: usize = 4096;

impl FieldReader {
    pub(crate) fn new(file: &str, options: &Options) -> FieldReader {
        FieldReader {
            file: file.to_owned(),
            source: options.source.clone(),
            vocabulary: options.vocabulary.clone(),
            mapping: options.mapping.clone().unwrap_or_default(),
            parsed: RefCell::new(vec![HashMap::default(); RECORDS_CSV_V1_COLUMNS.len()]),
        }
    }

    /// The value of the typed field `i`, from the cache when it was met before.
    fn parse_cached(&self, i: usize, value: &str) -> Result<Parsed, Bad> {
        if let Some(p) = self.parsed.borrow()[i].get(value) {
            return Ok(p.clone());
        }
        let p = self.parse_value(RECORDS_CSV_V1_COLUMNS[i], value)?;
        let mut cache = self.parsed.borrow_mut();
        if cache[i].len() < PARSED_CACHE {
            cache[i].insert(value.to_owned(), p.clone());
        }
        Ok(p)
    }

    /// Parses the value of the typed field `field`.
    fn parse_value(&self, field: &str, value: &str) -> Result<Parsed, Bad> {
        Ok(match field {
            "sex" => Parsed::Sex(
                value
                    .parse::<Sex>()
                    .map_err(Bad::as_kind(ProblemKind::BadSex))?,
            ),
            "birth_date" => Parsed::Date(self.date(value)?),
            "age" => Parsed::Age(
                value
                    .parse::<AgeRange>()
                    .map_err(|e| Bad::new(age_problem(value), e))?,
            ),
            "citizenship" => {
                let parts: Vec<&str> = value
                    .split(';')
                    .map(|p| self.mapping.translate(field, p.trim()))
                    .collect();
                Parsed::Countries(
                    parse_country_list(&parts.join(";"))
                        .map_err(Bad::as_kind(ProblemKind::UnknownCountry))?,
                )
            }
            "origin" => Parsed::Country(
                value
                    .parse::<CountryCode>()
                    .map_err(Bad::as_kind(ProblemKind::UnknownCountry))?,
            ),
            "event" => Parsed::Event(self.vocabulary.term(value).map_err(|e| {
                let terms = self.vocabulary.terms().map(str::to_owned).collect();
                Bad::new(ProblemKind::UnknownEventTerm { terms }, e)
            })?),
            "event_date" => Parsed::EventDate(self.event_date(value)?),
            "informant" => Parsed::Informant(
                value
                    .parse::<Informant>()
                    .map_err(Bad::as_kind(ProblemKind::UnknownInformant))?,
            ),
            other => unreachable!("{other} is not a typed field"),
        })
    }

    pub(crate) fn file(&self) -> &str {
        &self.file
    }

    pub(crate) fn mapping(&self) -> &Mapping {
        &self.mapping
    }

    /// A problem with the file's layout (found at its header row), as the error that stops
    /// the import before any row is read.
    pub(crate) fn layout_error(
        &self,
        kind: ProblemKind,
        problem: impl Into<String>,
        expected: &str,
    ) -> crate::ImportError {
        crate::ImportError::Layout(vec![self.problem(
            Some(1),
            None,
            None,
            kind,
            problem,
            expected,
        )])
    }

    pub(crate) fn problem(
        &self,
        row: Option<u64>,
        column: Option<&str>,
        value: Option<&str>,
        kind: ProblemKind,
        problem: impl Into<String>,
        expected: impl Into<String>,
    ) -> Problem {
        Problem::new(&self.file, row, column, value, kind, problem, expected)
    }

    /// Where the file column `name` goes, or `None` when it is unknown.
    pub(crate) fn target(&self, name: &str) -> Option<Target> {
        let name = name.trim();
        if self.mapping.ignores(name) {
            return Some(Target::Ignored);
        }
        let v1 = self.mapping.column(name).unwrap_or(name);
        RECORDS_CSV_V1_COLUMNS
            .iter()
            .position(|c| *c == v1)
            .map(Target::Field)
    }

    /// Resolves a header row; problems for unknown, repeated and missing columns (at `row`).
    pub(crate) fn resolve_header(
        &self,
        header: &[String],
        row: u64,
    ) -> Result<Vec<Target>, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut targets = Vec::with_capacity(header.len());
        let mut seen = [None::<&str>; 21];
        for name in header {
            match self.target(name) {
                None => problems.push(self.problem(
                    Some(row),
                    Some(name.trim()),
                    None,
                    ProblemKind::UnknownColumn {
                        column: name.trim().to_owned(),
                    },
                    format!("unknown column {:?}", name.trim()),
                    format!(
                        "a Records CSV v1 column ({}), or a mapping file that renames or ignores it",
                        RECORDS_CSV_V1_COLUMNS.join(", ")
                    ),
                )),
                Some(Target::Field(i)) => {
                    if let Some(first) = seen[i] {
                        problems.push(self.problem(
                            Some(row),
                            Some(name.trim()),
                            None,
                            ProblemKind::RepeatedColumn {
                                field: RECORDS_CSV_V1_COLUMNS[i].to_owned(),
                                first: first.to_owned(),
                            },
                            format!(
                                "a second column for {} (first: {first:?})",
                                RECORDS_CSV_V1_COLUMNS[i]
                            ),
                            "each field in one column only",
                        ));
                    }
                    seen[i] = Some(name.as_str());
                }
                Some(Target::Ignored) => {}
            }
            targets.push(self.target(name).unwrap_or(Target::Ignored));
        }
        let has = |i: usize| seen[i].is_some();
        if !has(SOURCE) && self.source.is_none() {
            problems.push(self.missing(row, "source", "a source column, or --source NAME"));
        }
        if !has(RECORD_ID) {
            problems.push(self.missing(row, "record_id", "a record_id column"));
        }
        if !has(NAME) && !has(GIVEN) && !has(FAMILY) {
            problems.push(self.missing(
                row,
                "name",
                "a name column, or given_name and/or family_name columns",
            ));
        }
        if problems.is_empty() {
            Ok(targets)
        } else {
            Err(problems)
        }
    }

    fn missing(&self, row: u64, column: &str, expected: &str) -> Problem {
        self.problem(
            Some(row),
            Some(column),
            None,
            ProblemKind::MissingColumn {
                column: column.to_owned(),
            },
            format!("the required column {column} is missing"),
            expected,
        )
    }

    /// Builds the record of one row from `(target, column name, raw value)` cells.
    pub(crate) fn record<'a>(
        &self,
        row: u64,
        cells: impl Iterator<Item = (Target, &'a str, &'a str)>,
    ) -> Result<Record, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut rec = Record::new(String::new(), String::new());
        let mut named = false;
        for (target, column, raw) in cells {
            let Target::Field(i) = target else { continue };
            let field = RECORDS_CSV_V1_COLUMNS[i];
            named |= matches!(i, NAME | GIVEN | FAMILY) && !raw.trim().is_empty();
            if may_hold_control(raw)
                && raw.contains(|c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
            {
                let (kind, what) = if raw.contains('\0') {
                    (ProblemKind::NulByte, "a NUL byte")
                } else {
                    (ProblemKind::ControlCharacter, "a control character")
                };
                let shown = (!FREE_TEXT.contains(&field)).then(|| raw.escape_debug().to_string());
                problems.push(self.problem(
                    Some(row),
                    Some(column),
                    shown.as_deref(),
                    kind,
                    format!("the value contains {what}"),
                    "text without control characters (is the file binary or UTF-16?)",
                ));
                continue;
            }
            let value = self.mapping.translate(field, raw.trim());
            if value.is_empty() {
                continue;
            }
            let mut bad = |e: Bad| {
                problems.push(self.problem(
                    Some(row),
                    Some(column),
                    Some(raw),
                    e.kind,
                    e.problem,
                    e.expected,
                ));
            };
            let text = || Some(value.to_owned());
            match field {
                "source" => match &self.source {
                    Some(s) if s.as_str() != value => problems.push(self.problem(
                        Some(row),
                        Some(column),
                        Some(raw),
                        ProblemKind::SourceMismatch {
                            row_source: value.to_owned(),
                            given: s.as_str().to_owned(),
                        },
                        format!(
                            "the row names source {value:?} but --source is {:?}",
                            s.as_str()
                        ),
                        format!("{:?} (the --source given), or no --source", s.as_str()),
                    )),
                    _ => rec.source = SourceName(value.to_owned()),
                },
                "record_id" => rec.record_id = value.to_owned(),
                "name" => rec.name = text(),
                "given_name" => rec.given_name = text(),
                "family_name" => rec.family_name = text(),
                "patronymic" => rec.patronymic = text(),
                "sex" | "birth_date" | "age" | "citizenship" | "origin" | "event"
                | "event_date" | "informant" => match self.parse_cached(i, value) {
                    Ok(Parsed::Sex(v)) => rec.sex = Some(v),
                    Ok(Parsed::Date(v)) => rec.birth_date = Some(v),
                    Ok(Parsed::Age(v)) => rec.age = Some(v),
                    Ok(Parsed::Countries(v)) => rec.citizenship = v,
                    Ok(Parsed::Country(v)) => rec.origin = Some(v),
                    Ok(Parsed::Event(v)) => rec.event = Some(v),
                    Ok(Parsed::EventDate(v)) => rec.event_date = Some(v),
                    Ok(Parsed::Informant(v)) => rec.informant = Some(v),
                    Err(e) => bad(e),
                },
                "birth_place" => rec.birth_place = text(),
                "document_id" => rec.document_id = text(),
                "residence" => rec.residence = text(),
                "place" => rec.place = text(),
                "report_id" => rec.report_id = text(),
                "quote" => rec.quote = text(),
                "notes" => rec.notes = text(),
                _ => {}
            }
        }
        if let Some(s) = &self.source
            && rec.source.0.is_empty()
        {
            rec.source = s.clone();
        }
        if rec.source.0.is_empty()
            && !problems
                .iter()
                .any(|p| p.column.as_deref() == Some("source"))
        {
            problems.push(self.problem(
                Some(row),
                Some("source"),
                None,
                ProblemKind::EmptySource,
                "the source is empty",
                "the source's name, or --source NAME",
            ));
        }
        if rec.record_id.is_empty() {
            problems.push(self.problem(
                Some(row),
                Some("record_id"),
                None,
                ProblemKind::EmptyRecordId,
                "the record_id is empty",
                "an id unique within the source",
            ));
        }
        if !named {
            problems.push(self.problem(
                Some(row),
                Some("name"),
                None,
                ProblemKind::NoName,
                "the record has no name",
                "a name, or a given_name and/or family_name",
            ));
        }
        if problems.is_empty() {
            Ok(rec)
        } else {
            Err(problems)
        }
    }

    fn date(&self, value: &str) -> Result<PartialDate, Bad> {
        let iso = value.parse::<PartialDate>();
        if self.mapping.date_formats().is_empty() {
            return iso.map_err(|e| with_date_hint(e, value));
        }
        let iso_err = match iso {
            Ok(d) => return Ok(d),
            Err(e) => e,
        };
        for f in self.mapping.date_formats() {
            if let Some(d) = f.parse(value) {
                return Ok(d);
            }
        }
        Err(Bad {
            kind: ProblemKind::BadDate {
                range: false,
                formats: self.mapping.date_patterns(),
                suggest_mapping: false,
            },
            problem: iso_err.problem.replace("in ISO form", "in a known form"),
            expected: self.mapping.date_expected(),
        })
    }

    fn event_date(&self, value: &str) -> Result<EventDate, Bad> {
        if self.mapping.date_formats().is_empty() {
            return value.parse::<EventDate>().map_err(|e| {
                // Both ends are dates, so what is wrong is their order.
                let reversed = value.split_once('/').is_some_and(|(a, b)| {
                    a.parse::<PartialDate>().is_ok() && b.parse::<PartialDate>().is_ok()
                });
                if reversed {
                    Bad::new(ProblemKind::ReversedDateRange, e)
                } else {
                    with_date_hint(e, value).in_range_field()
                }
            });
        }
        match value.split_once('/') {
            None => self
                .date(value)
                .map(EventDate::On)
                .map_err(Bad::in_range_field),
            Some((a, b)) => {
                let (a, b) = (
                    self.date(a.trim()).map_err(Bad::in_range_field)?,
                    self.date(b.trim()).map_err(Bad::in_range_field)?,
                );
                format!("{a}/{b}")
                    .parse::<EventDate>()
                    .map_err(Bad::as_kind(ProblemKind::ReversedDateRange))
            }
        }
    }
}

/// Whether `raw` may hold a control character: C0 (below 0x20) and DEL are single bytes, and
/// every C1 character (U+0080 to U+009F) starts with the byte 0xC2 in UTF-8. A cheap test that
/// nearly every cell passes, before the exact one.
fn may_hold_control(raw: &str) -> bool {
    raw.bytes().any(|b| b < 0x20 || b == 0x7f || b == 0xc2)
}

/// Why a value was refused: its kind, and the English words a problem report uses.
struct Bad {
    kind: ProblemKind,
    problem: String,
    expected: String,
}

impl Bad {
    fn new(kind: ProblemKind, e: ValueError) -> Bad {
        Bad {
            kind,
            problem: e.problem,
            expected: e.expected.to_owned(),
        }
    }

    /// The value's error as a problem of `kind`.
    fn as_kind(kind: ProblemKind) -> impl FnOnce(ValueError) -> Bad {
        move |e| Bad::new(kind, e)
    }

    /// A bad date of a field that takes a range too (`event_date`).
    fn in_range_field(mut self) -> Bad {
        if let ProblemKind::BadDate { range, .. } = &mut self.kind {
            *range = true;
        }
        self
    }
}

/// An age range whose ends are both ages is only in the wrong order; anything else is not an
/// age.
fn age_problem(value: &str) -> ProblemKind {
    let reversed = value.split_once('-').is_some_and(|(lo, hi)| {
        matches!(
            (lo.parse::<AgeRange>(), hi.parse::<AgeRange>()),
            (Ok(lo), Ok(hi)) if lo.min() > hi.min()
        )
    });
    if reversed {
        ProblemKind::ReversedAgeRange
    } else {
        ProblemKind::BadAge
    }
}

/// Dates such as `31.12.2022` get a hint at the mapping's date formats.
fn with_date_hint(e: ValueError, value: &str) -> Bad {
    let suggest_mapping = value.contains('.') || (value.contains('/') && !value.contains('-'));
    let mut bad = Bad::new(
        ProblemKind::BadDate {
            range: false,
            formats: Vec::new(),
            suggest_mapping,
        },
        e,
    );
    if suggest_mapping {
        bad.expected.push_str(
            "; a mapping file can accept other forms, e.g. formats = [\"DD.MM.YYYY\"] under [dates]",
        );
    }
    bad
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_quick_control_test_misses_no_control_character() {
        for c in (0..=0x10_ffff).filter_map(char::from_u32) {
            if c.is_control() {
                assert!(super::may_hold_control(&format!("ab{c}d")), "{c:?}");
            }
        }
        assert!(!super::may_hold_control("Асанов Бекболат, Ош"));
    }
}
