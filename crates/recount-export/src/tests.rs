//! Exports against committed fixtures (which must keep loading), formula neutralisation and
//! capture tables.

use super::*;
use parquet::file::reader::{FileReader, SerializedFileReader};
use recount_types::{EventVocabulary, parse_country_list};
use std::path::PathBuf;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The records every fixture of version 1 holds.
fn sample() -> Vec<Record> {
    let vocab = EventVocabulary::default();
    let mut a = Record::new("hotline", "1");
    a.name = Some("Асанов Бекболат".into());
    a.sex = "m".parse().ok();
    a.birth_date = "1966-03".parse().ok();
    a.age = "55-60".parse().ok();
    a.citizenship = parse_country_list("RU;KG").unwrap();
    a.origin = "KG".parse().ok();
    a.event = Some(vocab.term("exit_refused").unwrap());
    a.event_date = "2022-09-21/2022-09-23".parse().ok();
    a.informant = "relative".parse().ok();
    a.quote = Some("сказали, что он в списке, \"до особого\"".into());
    let mut b = Record::new("lawyers", "L-7");
    b.family_name = Some("Asanov".into());
    b.given_name = Some("Bekbolat".into());
    b.notes = Some("=HYPERLINK(\"http://x\")".into());
    vec![a, b]
}

fn persons() -> Vec<(RecordKey, PersonId)> {
    sample().iter().map(|r| (r.key(), PersonId(7))).collect()
}

fn records_file(format: ExportFormat) -> Vec<u8> {
    let mut w = RecordsWriter::new(Vec::new(), format).unwrap();
    for r in sample() {
        w.write(&r).unwrap();
    }
    w.finish().unwrap()
}

fn persons_file(format: ExportFormat) -> Vec<u8> {
    let mut w = PersonsWriter::new(Vec::new(), format).unwrap();
    for (k, p) in persons() {
        w.write(&k, p).unwrap();
    }
    w.finish().unwrap()
}

/// Rewrites the fixtures when RECOUNT_BLESS=1 (only for a new format version: old fixtures are
/// never rewritten).
fn bless(name: &str, bytes: &[u8]) {
    if std::env::var("RECOUNT_BLESS").as_deref() == Ok("1") {
        std::fs::write(fixture(name), bytes).unwrap();
    }
}

/// A Parquet file's format metadata and rows, each row as its fields' display strings.
fn load_parquet(bytes: Vec<u8>) -> (String, String, Vec<Vec<String>>) {
    let reader = SerializedFileReader::new(bytes::Bytes::from(bytes)).unwrap();
    let kv = reader
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .unwrap()
        .clone();
    let get = |k: &str| {
        kv.iter()
            .find(|x| x.key == k)
            .and_then(|x| x.value.clone())
            .unwrap()
    };
    let rows = reader
        .get_row_iter(None)
        .unwrap()
        .map(|r| {
            r.unwrap()
                .get_column_iter()
                .map(|(_, f)| f.to_string())
                .collect()
        })
        .collect();
    (get("recount.format"), get("recount.format_version"), rows)
}

#[test]
fn records_csv_v1_matches_its_fixture() {
    let csv = records_file(ExportFormat::Csv);
    bless("records_v1.csv", &csv);
    assert_eq!(
        String::from_utf8(csv).unwrap(),
        std::fs::read_to_string(fixture("records_v1.csv")).unwrap()
    );
}

#[test]
fn persons_csv_v1_matches_its_fixture() {
    let csv = persons_file(ExportFormat::Csv);
    bless("persons_v1.csv", &csv);
    assert_eq!(
        String::from_utf8(csv).unwrap(),
        std::fs::read_to_string(fixture("persons_v1.csv")).unwrap()
    );
}

#[test]
fn parquet_v1_fixtures_still_load_and_match_what_we_write() {
    let records = records_file(ExportFormat::Parquet);
    let people = persons_file(ExportFormat::Parquet);
    bless("records_v1.parquet", &records);
    bless("persons_v1.parquet", &people);
    let old = load_parquet(std::fs::read(fixture("records_v1.parquet")).unwrap());
    assert_eq!((old.0.as_str(), old.1.as_str()), ("records", "1"));
    assert_eq!(old.2.len(), 2);
    assert_eq!(old.2[0][2], "\"Асанов Бекболат\"");
    assert_eq!(old.2[0][11], "\"KG;RU\"");
    assert_eq!(old.2[1][3], "\"Bekbolat\"");
    assert_eq!(old.2[1][6], "null");
    assert_eq!(load_parquet(records), old);
    let old = load_parquet(std::fs::read(fixture("persons_v1.parquet")).unwrap());
    assert_eq!((old.0.as_str(), old.1.as_str()), ("persons", "1"));
    assert_eq!(old.2[1], ["\"lawyers\"", "\"L-7\"", "7"]);
    assert_eq!(load_parquet(people), old);
}

#[test]
fn formulas_are_neutralised_in_csv_only() {
    let csv = String::from_utf8(records_file(ExportFormat::Csv)).unwrap();
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{csv}");
    for (cell, want) in [
        ("=1+1", "'=1+1"),
        ("+7 900", "'+7 900"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("a=b", "a=b"),
        ("", ""),
    ] {
        assert_eq!(neutralise_formula(cell), want);
    }
    // Parquet is not opened by spreadsheets: values stay as they are.
    let (_, _, rows) = load_parquet(records_file(ExportFormat::Parquet));
    assert_eq!(rows[1][20], "\"=HYPERLINK(\"http://x\")\"");
}

#[test]
fn capture_histories_count_patterns_per_stratum() {
    let mut h = CaptureHistories::new();
    h.add_list("media");
    for (stratum, person, list) in [
        ("2022-09", 1, "hotline"),
        ("2022-09", 1, "lawyers"),
        ("2022-09", 1, "lawyers"),
        ("2022-09", 2, "hotline"),
        ("2022-09", 3, "hotline"),
        ("2022-10", 1, "lawyers"),
    ] {
        h.observe(stratum, person, list);
    }
    let csv = String::from_utf8(h.write_csv(Vec::new()).unwrap()).unwrap();
    bless("captures_v1.csv", csv.as_bytes());
    assert_eq!(
        csv,
        std::fs::read_to_string(fixture("captures_v1.csv")).unwrap()
    );
    assert_eq!(
        csv,
        "stratum,hotline,lawyers,media,count\n2022-09,1,1,0,1\n2022-09,1,0,0,2\n2022-10,0,1,0,1\n"
    );
    let mut flat = CaptureHistories::new();
    flat.observe("", 1, "a");
    flat.observe("", 2, "b");
    flat.observe("", 2, "a");
    let csv = String::from_utf8(flat.write_csv(Vec::new()).unwrap()).unwrap();
    assert_eq!(csv, "a,b,count\n1,1,1\n1,0,1\n");
}
