//! Tests of `recount demo`: the whole pipeline on a synthetic world, measured against its truth.

use crate::{recount, stderr, stdout};

fn demo_json(dir: &std::path::Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["demo", "--people", "400", "--json", "--db", "demo.sqlite"];
    args.extend_from_slice(extra);
    let out = recount(dir, &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("one JSON object")
}

#[test]
fn demo_reports_truth_linkage_and_estimate_and_writes_labelled_files() {
    let dir = tempfile::tempdir().unwrap();
    let v = demo_json(dir.path(), &["--chains", "2"]);
    assert_eq!(v["synthetic"], true);
    assert!(v["label"].as_str().unwrap().starts_with("SYNTHETIC DATA"));
    assert_eq!(v["true_population"], 400);
    let truly = v["truly_documented"].as_u64().unwrap();
    let documented = v["documented"].as_u64().unwrap();
    assert!(truly > 0 && truly <= 400);
    // Linkage merges records of one person: fewer persons than records, and never fewer
    // persons than a tenth of the truly documented (which would mean everything merged).
    let records = v["records"].as_u64().unwrap();
    assert!(
        documented < records,
        "{documented} persons from {records} records"
    );
    assert!(documented * 10 > truly);
    let sources = v["sources"].as_array().unwrap();
    assert!(sources.len() >= 4);
    let listed: u64 = sources.iter().map(|s| s["records"].as_u64().unwrap()).sum();
    assert_eq!(listed, records);
    for key in ["precision", "recall", "f1"] {
        let x = v["linkage"][key].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&x), "{key} = {x}");
    }
    assert!(v["linkage"]["precision"].as_f64().unwrap() > 0.8);
    let e = &v["estimate"];
    let (lo, med, hi) = (
        e["lower"].as_f64().unwrap(),
        e["median"].as_f64().unwrap(),
        e["upper"].as_f64().unwrap(),
    );
    assert!(lo <= med && med <= hi, "{lo} {med} {hi}");
    // The estimate counts at least the people linkage found.
    assert!(med >= documented as f64 * 0.99);
    // And it says what the pairs the linkage left undecided could change.
    assert!(
        e["warnings"].as_array().unwrap().iter().any(|w| w
            .as_str()
            .is_some_and(|w| w.starts_with("the linkage left"))),
        "{}",
        e["warnings"]
    );
    // The same model on the truth's capture patterns: it counts at least the people truly
    // documented, and its own interval is ordered.
    let t = &v["estimate_true_linkage"];
    let (tlo, tmed, thi) = (
        t["lower"].as_f64().unwrap(),
        t["median"].as_f64().unwrap(),
        t["upper"].as_f64().unwrap(),
    );
    assert!(tlo <= tmed && tmed <= thi, "{tlo} {tmed} {thi}");
    assert!(tmed >= truly as f64 * 0.99);
    assert_eq!(
        t["truth_inside_interval"].as_bool().unwrap(),
        (tlo..=thi).contains(&400.0)
    );

    // The files: one Records CSV v1 per source, the truth, and the synthetic label.
    let out = dir.path().join("recount-demo");
    let label = std::fs::read_to_string(out.join("SYNTHETIC-DATA.txt")).unwrap();
    assert!(label.starts_with("SYNTHETIC DATA"));
    let truth = std::fs::read_to_string(out.join("truth.csv")).unwrap();
    assert_eq!(truth.lines().count() as u64, records + 1);
    for s in sources {
        let name = s["name"].as_str().unwrap();
        let text = std::fs::read_to_string(out.join(format!("{name}.csv"))).unwrap();
        assert!(text.starts_with("source,record_id,name,"));
        assert_eq!(
            text.lines().count() as u64,
            s["records"].as_u64().unwrap() + 1
        );
    }
}

#[test]
fn the_same_seed_gives_the_same_demo_and_a_rerun_replaces_the_demo_database() {
    let dir = tempfile::tempdir().unwrap();
    let a = demo_json(dir.path(), &["--no-estimate", "--seed", "5"]);
    let b = demo_json(dir.path(), &["--no-estimate", "--seed", "5"]);
    assert_eq!(a["records"], b["records"]);
    assert_eq!(a["documented"], b["documented"]);
    assert_eq!(a["linkage"], b["linkage"]);
    assert!(b["estimate"].is_null());
    assert!(b["estimate_true_linkage"].is_null());
}

#[test]
fn demo_refuses_a_real_project_database() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("list.csv"),
        "source,record_id,name\nngo,1,Бекболат Асанов\n",
    )
    .unwrap();
    assert_eq!(
        recount(dir.path(), &["init", "--db", "p.sqlite"])
            .status
            .code(),
        Some(0)
    );
    let imp = recount(dir.path(), &["import", "list.csv", "--db", "p.sqlite"]);
    assert_eq!(imp.status.code(), Some(0), "{}", stderr(&imp));
    let before = std::fs::read(dir.path().join("p.sqlite")).unwrap();
    let out = recount(dir.path(), &["demo", "--people", "50", "--db", "p.sqlite"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("another database"),
        "{}",
        stderr(&out)
    );
    let after = std::fs::read(dir.path().join("p.sqlite")).unwrap();
    assert_eq!(before, after, "the project database was touched");
}

#[test]
fn demo_rejects_a_population_too_small_to_mean_anything() {
    let dir = tempfile::tempdir().unwrap();
    let out = recount(dir.path(), &["demo", "--people", "3"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!dir.path().join("recount.sqlite").exists());
}
