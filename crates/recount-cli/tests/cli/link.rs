//! Tests of `recount link` (standalone mode, the DESIGN.md contract).

use crate::{recount, stderr, stdout, succeeds_with_json};
use std::collections::HashMap;
use std::path::Path;

const TWO_LISTS: &str = "\
source,record_id,name,given_name,family_name,birth_date,residence,document_id
hotline,h1,,Бекболат,Асанов,1980-03-05,г. Москва,
hotline,h2,,Айгүл,Жумабаева,1975-11-20,Ош,
hotline,h3,,Дилшод,Ҳасанов,1990-07-01,Худжанд,
hotline,h4,,Нурлан,Токтогулов,1968-01-15,Бишкек,
hotline,h5,,Фаррух,Шарипов,1985-09-09,Москва,
lawyers,l1,Bekbolat Asanov,,,1980-03-05,Moscow,
lawyers,l2,Zhumabaeva Aigul,,,1975-11-20,Osh,
lawyers,l3,Dilshod Khasanov,,,1990,Khujand,
lawyers,l4,Rustam Karimov,,,1972-04-04,Tashkent,
";

fn persons(path: &Path) -> HashMap<String, String> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("source,record_id,person_id"));
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (format!("{}/{}", f[0], f[1]), f[2].to_owned())
        })
        .collect()
}

#[test]
fn links_two_lists_across_scripts_and_writes_every_record() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("records.csv"), TWO_LISTS).unwrap();
    let out = recount(
        dir.path(),
        &[
            "link",
            "--input",
            "records.csv",
            "--out",
            "persons.csv",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let p = persons(&dir.path().join("persons.csv"));
    assert_eq!(p.len(), 9);
    assert_eq!(p["hotline/h1"], p["lawyers/l1"]);
    assert_eq!(p["hotline/h2"], p["lawyers/l2"]);
    assert_eq!(p["hotline/h3"], p["lawyers/l3"]);
    assert_ne!(p["hotline/h4"], p["lawyers/l4"]);
    assert_ne!(p["hotline/h1"], p["hotline/h5"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["records"], 9);
    assert_eq!(v["clustering"]["method"], "correlation_gaec");
    assert!(v["clustering"]["refused_unproposed_merges"].is_u64(), "{v}");
}

#[test]
fn pairs_carry_the_weight_waterfall() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("records.csv"), TWO_LISTS).unwrap();
    let out = recount(
        dir.path(),
        &[
            "link",
            "--input",
            "records.csv",
            "--out",
            "persons.csv",
            "--pairs",
            "pairs.csv",
            "--seed",
            "3",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(dir.path().join("pairs.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    for col in [
        "match_probability",
        "match_weight",
        "prior",
        "name_level",
        "name_weight",
        "residence_weight",
        "name_tf_adjustment",
    ] {
        assert!(header.contains(&col), "{col} in {header:?}");
    }
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let mut rows = 0;
    for line in lines {
        let f: Vec<&str> = line.split(',').collect();
        let weight: f64 = f[col("match_weight")].parse().unwrap();
        let parts: f64 = header
            .iter()
            .enumerate()
            .filter(|(_, h)| {
                h.ends_with("_weight") && **h != "match_weight"
                    || **h == "prior"
                    || **h == "name_tf_adjustment"
                    || **h == "one_to_one_adjustment"
            })
            .map(|(i, _)| f[i].parse::<f64>().unwrap())
            .sum();
        assert!((weight - parts).abs() < 0.02, "{weight} vs {parts}");
        rows += 1;
    }
    assert!(rows >= 3);
}

#[test]
fn plan_counts_pairs_per_rule() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("records.csv"), TWO_LISTS).unwrap();
    let v = succeeds_with_json(
        dir.path(),
        &["link", "--input", "records.csv", "--plan", "--json"],
    );
    let rules = v["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 7);
    for name in [
        "name_pair",
        "residence_words",
        "partial_name_and_event_time",
        "document",
    ] {
        assert!(
            rules.iter().any(|r| r["rule"] == name),
            "{name} is not planned"
        );
    }
    assert!(rules[0]["pairs"].as_u64().unwrap() >= 3);
    assert!(!dir.path().join("persons.csv").exists());
}

#[test]
fn plan_shows_a_common_name_split_by_the_event_time() {
    // 30 namesakes without a birth date, one per source: 15 stopped in October 2022, 15 in
    // March 2023. Over `refine_above` (20), the block is split: only namesakes stopped about
    // the same time are compared.
    let mut csv = String::from("source,record_id,name,event,event_date\n");
    for k in 0..30 {
        let date = if k < 15 { "2022-10-01" } else { "2023-03-01" };
        csv.push_str(&format!("s{k},1,Nurlan Asanov,exit_refused,{date}\n"));
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("records.csv"), csv).unwrap();
    let v = succeeds_with_json(
        dir.path(),
        &["link", "--input", "records.csv", "--plan", "--json"],
    );
    assert_eq!(
        (v["refine_above"].as_u64(), v["sub_block_cap"].as_u64()),
        (Some(20), Some(100))
    );
    let name_pair = v["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "name_pair")
        .unwrap();
    // The name's three blocks (its two parts' keys; each part's key with the other's first
    // letters) hold the same records, each split; their pairs are counted once.
    assert_eq!(name_pair["refined_blocks"], 3);
    assert_eq!(name_pair["pairs"], 2 * (15 * 14 / 2));
    let text = recount(dir.path(), &["link", "--input", "records.csv", "--plan"]);
    assert!(
        stdout(&text).contains("a block over 20 records is split by the event's time"),
        "{}",
        stdout(&text)
    );
}

#[test]
fn one_source_is_deduplicated() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "source,record_id,name,birth_date\nlist,1,Bekbolat Asanov,1980-03-05\nlist,2,Асанов Бекболат,1980-03-05\nlist,3,Rustam Karimov,1972-04-04\nlist,4,Aigul Jumabaeva,1975-11-20\nlist,5,Dilshod Hasanov,1990-07-01\n";
    std::fs::write(dir.path().join("r.csv"), csv).unwrap();
    let out = recount(dir.path(), &["link", "--input", "r.csv", "--out", "p.csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let p = persons(&dir.path().join("p.csv"));
    assert_eq!(p.len(), 5);
    assert_eq!(p["list/1"], p["list/2"]);
    assert_ne!(p["list/1"], p["list/3"]);
}

#[test]
fn bad_input_is_exit_1_and_a_missing_file_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.csv"),
        "source,record_id,name,birth_date\nlist,1,A B,1980-13-01\n",
    )
    .unwrap();
    let out = recount(
        dir.path(),
        &["link", "--input", "bad.csv", "--out", "p.csv"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("row 2"), "{}", stderr(&out));
    assert!(!dir.path().join("p.csv").exists());

    std::fs::write(dir.path().join("ok.csv"), TWO_LISTS).unwrap();
    let out = recount(
        dir.path(),
        &[
            "link", "--input", "ok.csv", "--out", "p.csv", "--dedupe", "nosuch",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("nosuch"));
    let out = recount(
        dir.path(),
        &[
            "link",
            "--input",
            "ok.csv",
            "--out",
            "p.csv",
            "--threshold",
            "1.5",
        ],
    );
    assert_eq!(out.status.code(), Some(1));

    let out = recount(
        dir.path(),
        &["link", "--input", "missing.csv", "--out", "p.csv"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn one_record_is_one_person_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("r.csv"),
        "source,record_id,name\nlist,1,Bekbolat Asanov\n",
    )
    .unwrap();
    let out = recount(dir.path(), &["link", "--input", "r.csv", "--out", "p.csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(persons(&dir.path().join("p.csv")).len(), 1);
    assert!(stderr(&out).contains("only one record"));
}

#[test]
fn a_failed_training_run_leaves_the_saved_model_untouched() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("records.csv"), TWO_LISTS).unwrap();
    let out = recount(
        dir.path(),
        &[
            "link",
            "--input",
            "records.csv",
            "--out",
            "p.csv",
            "--model",
            "model.json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let saved = std::fs::read_to_string(dir.path().join("model.json")).unwrap();
    assert!(saved.contains("\"revision\": 1"));
    // Identical records cannot train a model: the saved one must survive as it was.
    let same: String = std::iter::once("source,record_id,name\n".to_owned())
        .chain((0..20).map(|i| format!("list,{i},Bekbolat Asanov\n")))
        .collect();
    std::fs::write(dir.path().join("same.csv"), same).unwrap();
    let out = recount(
        dir.path(),
        &[
            "link",
            "--input",
            "same.csv",
            "--out",
            "p2.csv",
            "--model",
            "model.json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).contains("training failed"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("model.json")).unwrap(),
        saved
    );
}

/// Imports TWO_LISTS into a new project database `p.sqlite` in `dir`.
fn project_with_two_lists(dir: &Path) {
    std::fs::write(dir.join("records.csv"), TWO_LISTS).unwrap();
    assert_eq!(
        recount(dir, &["init", "--db", "p.sqlite"]).status.code(),
        Some(0)
    );
    let imp = recount(dir, &["import", "records.csv", "--db", "p.sqlite"]);
    assert_eq!(imp.status.code(), Some(0), "{}", stderr(&imp));
}

fn export_persons(dir: &Path) -> HashMap<String, String> {
    let out = recount(
        dir,
        &[
            "export",
            "persons",
            "--out",
            "persons.csv",
            "--db",
            "p.sqlite",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    persons(&dir.join("persons.csv"))
}

#[test]
fn links_the_project_database_and_keeps_person_ids_on_a_rerun() {
    let dir = tempfile::tempdir().unwrap();
    project_with_two_lists(dir.path());
    let v = succeeds_with_json(dir.path(), &["link", "--db", "p.sqlite", "--json"]);
    assert_eq!(v["records"], 9);
    assert_eq!(v["persons"], 6);
    assert_eq!(v["persons_kept"], 0);
    assert_eq!(v["clustering"]["method"], "correlation_gaec");
    for refused in ["refused_same_source_merges", "refused_unproposed_merges"] {
        assert!(v["clustering"][refused].is_u64(), "{refused}: {v}");
    }
    let p = export_persons(dir.path());
    assert_eq!(p.len(), 9);
    assert_eq!(p["hotline/h1"], p["lawyers/l1"]);
    assert_eq!(p["hotline/h2"], p["lawyers/l2"]);
    assert_ne!(p["hotline/h4"], p["lawyers/l4"]);

    // A second run over the same records keeps every person's id.
    let again = recount(dir.path(), &["link", "--db", "p.sqlite", "--json"]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    let w: serde_json::Value = serde_json::from_str(&stdout(&again)).unwrap();
    assert_eq!(w["persons_kept"], w["persons"]);
    assert_eq!(export_persons(dir.path()), p);
}

#[test]
fn linking_an_empty_project_or_with_standalone_flags_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        recount(dir.path(), &["init", "--db", "p.sqlite"])
            .status
            .code(),
        Some(0)
    );
    let out = recount(dir.path(), &["link", "--db", "p.sqlite"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no records"), "{}", stderr(&out));
    let out = recount(
        dir.path(),
        &["link", "--db", "p.sqlite", "--pairs", "x.csv"],
    );
    assert_eq!(out.status.code(), Some(1));
    let out = recount(dir.path(), &["link", "--db", "missing.sqlite"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn plans_blocking_over_the_project_database() {
    let dir = tempfile::tempdir().unwrap();
    project_with_two_lists(dir.path());
    let v = succeeds_with_json(
        dir.path(),
        &["link", "--db", "p.sqlite", "--plan", "--json"],
    );
    assert_eq!(v["records"], 9);
    assert!(v["candidate_pairs"].as_u64().unwrap() >= 3);
    // Planning links nothing.
    let p = recount(
        dir.path(),
        &["export", "persons", "--out", "x.csv", "--db", "p.sqlite"],
    );
    assert_eq!(p.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("x.csv"))
            .unwrap()
            .lines()
            .count(),
        1
    );
}
