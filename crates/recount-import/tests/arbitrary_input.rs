//! Any file a user can hand the importer gives located problems or records, never a panic or an
//! endless read: random bytes in every format, and delimited and JSON Lines files built from the
//! real columns and the values that break naive readers (impossible dates, reversed age ranges,
//! unknown codes, quotes, separators and newlines inside cells, NUL bytes, mixed scripts).

use proptest::prelude::*;
use recount_import::{Format, ImportError, Options, RecordReader};
use recount_types::RECORDS_CSV_V1_COLUMNS;

/// Cell values that each exercise one check of the importer.
const TRICKY: [&str; 24] = [
    "",
    " ",
    "2022-13-01",
    "31.12.2022",
    "1980",
    "1980-02-30",
    "2022-10/2022-09",
    "30-20",
    "-5",
    "abc",
    "KG;XX",
    "KG;RU",
    "summoned",
    "not_a_term",
    "m",
    "x",
    "Бекболат Асанов",
    "\"quoted, with comma\"",
    "a\"b",
    "line\nbreak",
    "semi;colon",
    "\u{0}",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀",
    "9999999999999999999999",
];

/// A valid value of `column` for row `row` (so that most rows of a full header are records).
fn valid(column: &str, row: usize) -> String {
    match column {
        "source" => "hotline".to_owned(),
        "record_id" => format!("R-{row}"),
        "name" => "Бекболат Асанов".to_owned(),
        "given_name" => "Bekbolat".to_owned(),
        "family_name" => "Asanov".to_owned(),
        "sex" => "m".to_owned(),
        "birth_date" => "1980-03".to_owned(),
        "age" => "40-44".to_owned(),
        "citizenship" => "KG;RU".to_owned(),
        "origin" => "KG".to_owned(),
        "event" => "summoned".to_owned(),
        "event_date" => "2022-10-01/2022-10-05".to_owned(),
        "informant" => "relative".to_owned(),
        _ => "Ош".to_owned(),
    }
}

/// Reads `bytes` as a file of `format` to the end and checks what every row says.
fn read_through(bytes: &[u8], format: Format, name: &str) {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).expect("write the file");
    let options = Options {
        source: Some("hotline".into()),
        ..Options::default()
    };
    let reader = match RecordReader::open_as(&path, format, options) {
        Ok(r) => r,
        Err(ImportError::Layout(problems)) => {
            assert!(!problems.is_empty(), "a layout error names its problems");
            for p in &problems {
                assert!(!p.problem.is_empty() && !p.expected.is_empty(), "{p:?}");
            }
            return;
        }
        Err(ImportError::Io { .. }) => panic!("a readable file gave an I/O error"),
        Err(e) => panic!("unexpected error: {e}"),
    };
    let mut last_row = 0u64;
    for (n, item) in reader.enumerate() {
        assert!(n < 100_000, "the read ends");
        let row = match item {
            Ok(row) => row,
            // A layout problem found mid-file (a broken workbook) ends the read cleanly.
            Err(ImportError::Layout(problems)) => {
                assert!(!problems.is_empty());
                break;
            }
            Err(e) => panic!("unexpected error mid-file: {e}"),
        };
        assert!(row.row > last_row, "rows are numbered in order");
        last_row = row.row;
        match row.result {
            Ok(record) => {
                assert!(!record.record_id.trim().is_empty(), "a record has its id");
            }
            Err(problems) => {
                assert!(!problems.is_empty(), "a refused row says why");
                for p in &problems {
                    assert_eq!(p.row, Some(row.row), "a problem is located on its row");
                    assert!(!p.problem.is_empty() && !p.expected.is_empty(), "{p:?}");
                }
            }
        }
    }
}

/// A delimited file: the chosen columns as header, then rows of tricky cells.
fn delimited(columns: &[usize], extra: bool, cells: &[Vec<usize>], sep: char) -> Vec<u8> {
    let quote = |s: &str| {
        if s.contains([sep, '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_owned()
        }
    };
    // No columns chosen: the full header of Records CSV v1.
    let mut header: Vec<String> = if columns.is_empty() {
        RECORDS_CSV_V1_COLUMNS
            .iter()
            .map(|c| (*c).to_owned())
            .collect()
    } else {
        columns
            .iter()
            .map(|&c| RECORDS_CSV_V1_COLUMNS[c % RECORDS_CSV_V1_COLUMNS.len()].to_owned())
            .collect()
    };
    if extra {
        header.push("unknown_column".to_owned());
    }
    let mut out = header.join(&sep.to_string());
    out.push('\n');
    for (r, row) in cells.iter().enumerate() {
        // One cell in twenty tricky, the rest valid: a third of the rows are records.
        let line: Vec<String> = (0..header.len())
            .map(|i| {
                let v = row.get(i).copied().unwrap_or(1);
                if v % 20 == 0 {
                    quote(TRICKY[v / 20 % TRICKY.len()])
                } else {
                    quote(&valid(&header[i], r))
                }
            })
            .collect();
        out.push_str(&line.join(&sep.to_string()));
        out.push('\n');
    }
    out.into_bytes()
}

/// A JSON Lines file: objects of the chosen columns with tricky values, or bare JSON values.
fn json_lines(columns: &[usize], cells: &[Vec<usize>], bare: bool) -> Vec<u8> {
    let mut out = String::new();
    for row in cells {
        if bare {
            out.push_str(&serde_json::to_string(TRICKY[row[0] % TRICKY.len()]).unwrap());
        } else {
            let object: serde_json::Map<String, serde_json::Value> = columns
                .iter()
                .zip(row)
                .map(|(&c, &v)| {
                    let key = RECORDS_CSV_V1_COLUMNS[c % RECORDS_CSV_V1_COLUMNS.len()].to_owned();
                    let value = match v % 5 {
                        0 => serde_json::Value::Null,
                        1 => serde_json::json!(v),
                        2 => serde_json::json!([TRICKY[v % TRICKY.len()]]),
                        _ => serde_json::json!(TRICKY[v % TRICKY.len()]),
                    };
                    (key, value)
                })
                .collect();
            out.push_str(&serde_json::Value::Object(object).to_string());
        }
        out.push('\n');
    }
    out.into_bytes()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_in_any_format(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        read_through(&bytes, Format::Delimited, "random.csv");
        read_through(&bytes, Format::JsonLines, "random.jsonl");
        read_through(&bytes, Format::Xlsx, "random.xlsx");
    }

    #[test]
    fn delimited_files_of_real_columns_and_tricky_cells(
        columns in prop_oneof![
            Just(Vec::new()),
            proptest::collection::vec(0usize..21, 0..24),
        ],
        extra in any::<bool>(),
        cells in proptest::collection::vec(proptest::collection::vec(0usize..1000, 0..26), 0..12),
        sep in prop_oneof![Just(','), Just(';'), Just('\t')],
    ) {
        read_through(&delimited(&columns, extra, &cells, sep), Format::Delimited, "rows.csv");
    }

    #[test]
    fn json_lines_of_real_columns_and_tricky_values(
        columns in proptest::collection::vec(0usize..21, 0..24),
        cells in proptest::collection::vec(proptest::collection::vec(0usize..1000, 1..26), 0..8),
        bare in any::<bool>(),
    ) {
        read_through(&json_lines(&columns, &cells, bare), Format::JsonLines, "rows.jsonl");
    }
}
