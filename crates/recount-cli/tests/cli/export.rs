//! `recount export`: records, persons and captures, CSV and Parquet.

use crate::{recount, stderr, stdout};
use std::path::Path;

const RECORDS: &str = "source,record_id,name,event,event_date,notes\n\
hotline,1,Асанов Бекболат,exit_refused,2022-09-21,=HYPERLINK(\"http://x\")\n\
lawyers,L1,Bekbolat Asanov,exit_refused,2022-09,\n\
lawyers,L2,Petrov,summoned,2022-10-02,\n";

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(recount(dir.path(), &["init"]).status.code(), Some(0));
    std::fs::write(dir.path().join("in.csv"), RECORDS).unwrap();
    let out = recount(dir.path(), &["import", "in.csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    dir
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let out = recount(dir, args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out)
}

#[test]
fn records_export_as_csv_v1_with_formulas_neutralised_and_as_parquet() {
    let dir = project();
    ok(dir.path(), &["export", "records", "--out", "r.csv"]);
    let csv = std::fs::read_to_string(dir.path().join("r.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        recount_types::RECORDS_CSV_V1_COLUMNS.join(",")
    );
    assert_eq!(csv.lines().count(), 4);
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{csv}");
    let json = ok(
        dir.path(),
        &["export", "records", "--out", "r.parquet", "--json"],
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["rows"], 3);
    let bytes = std::fs::read(dir.path().join("r.parquet")).unwrap();
    assert_eq!(
        (&bytes[..4], &bytes[bytes.len() - 4..]),
        (&b"PAR1"[..], &b"PAR1"[..])
    );
}

#[test]
fn an_exported_records_file_imports_again_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(recount(dir.path(), &["init"]).status.code(), Some(0));
    let plain = "source,record_id,name,age,citizenship,event_date\nhotline,1,Асанов,55-60,RU;KG,2022-09/2022-10\n";
    std::fs::write(dir.path().join("in.csv"), plain).unwrap();
    ok(dir.path(), &["import", "in.csv"]);
    ok(dir.path(), &["export", "records", "--out", "r.csv"]);
    let again = ok(dir.path(), &["import", "r.csv", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&again).unwrap();
    assert_eq!(
        (v["inserted"].as_u64(), v["unchanged"].as_u64()),
        (Some(0), Some(1))
    );
}

#[test]
fn captures_need_linked_persons_and_follow_the_estimation_format() {
    let dir = project();
    let out = recount(dir.path(), &["export", "captures", "--out", "c.csv"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("recount link"), "{}", stderr(&out));
    assert!(!dir.path().join("c.csv").exists());
    let out = recount(dir.path(), &["export", "captures", "--out", "c.parquet"]);
    assert_eq!(out.status.code(), Some(1));

    // Link by hand: hotline 1 and lawyers L1 are one person; L2 another.
    let store = recount_store::Store::open(&dir.path().join("recount.sqlite")).unwrap();
    let (p, q) = (store.new_person().unwrap(), store.new_person().unwrap());
    for r in store.records().unwrap() {
        store
            .assign_person(r.id, if r.record.record_id == "L2" { q } else { p })
            .unwrap();
    }
    drop(store);
    ok(dir.path(), &["export", "captures", "--out", "c.csv"]);
    let csv = std::fs::read_to_string(dir.path().join("c.csv")).unwrap();
    assert_eq!(csv, "hotline,lawyers,count\n1,1,1\n0,1,1\n");
    ok(
        dir.path(),
        &[
            "export",
            "captures",
            "--out",
            "m.csv",
            "--event",
            "exit_refused",
            "--by",
            "month",
        ],
    );
    let csv = std::fs::read_to_string(dir.path().join("m.csv")).unwrap();
    assert_eq!(csv, "stratum,hotline,lawyers,count\n2022-09,1,1,1\n");
    ok(dir.path(), &["export", "persons", "--out", "p.csv"]);
    let csv = std::fs::read_to_string(dir.path().join("p.csv")).unwrap();
    assert_eq!(
        csv,
        format!("source,record_id,person_id\nhotline,1,{p}\nlawyers,L1,{p}\nlawyers,L2,{q}\n")
    );
    let out = recount(
        dir.path(),
        &["export", "captures", "--out", "x.csv", "--event", "nope"],
    );
    assert_eq!(out.status.code(), Some(1));
}
