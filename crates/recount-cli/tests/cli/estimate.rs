//! `recount estimate`: the standalone CSV mode against the Kosovo reference figures, bad input,
//! and the project-database mode's refusal until the pipeline provides capture tables.

use std::path::Path;

use crate::{recount, stderr, stdout};

const KOSOVO: &str = "EXH,ABA,OSCE,HRW,count
0,0,0,1,306
0,0,1,0,936
0,0,1,1,123
0,1,0,0,845
0,1,0,1,31
0,1,1,0,217
0,1,1,1,32
1,0,0,0,1131
1,0,0,1,106
1,0,1,0,228
1,0,1,1,42
1,1,0,0,177
1,1,0,1,18
1,1,1,0,181
1,1,1,1,27
";

fn write(dir: &Path, name: &str, text: &str) -> String {
    std::fs::write(dir.join(name), text).unwrap();
    name.to_string()
}

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_str(&stdout(out)).expect("one JSON object")
}

#[test]
fn loglinear_json_has_the_contract_fields_and_the_rcapture_figures() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "kosovo.csv", KOSOVO);
    let out = recount(
        dir.path(),
        &[
            "estimate",
            "--captures",
            &f,
            "--method",
            "loglinear",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["method"], "loglinear");
    assert_eq!(v["lists"], serde_json::json!(["EXH", "ABA", "OSCE", "HRW"]));
    assert_eq!(v["observed"], 4400);
    assert_eq!(v["model"], "[123,14,34]");
    let e = &v["estimate"];
    assert!((e["median"].as_f64().unwrap() - 10_356.5).abs() < 1.0);
    assert!((e["lower"].as_f64().unwrap() - 8_994.3).abs() < 1.0);
    assert!((e["upper"].as_f64().unwrap() - 12_110.4).abs() < 1.0);
    assert_eq!(e["level"], 0.95);

    let aic = recount(
        dir.path(),
        &[
            "estimate",
            "--captures",
            &f,
            "--method",
            "loglinear",
            "--criterion",
            "aic",
            "--json",
        ],
    );
    assert_eq!(json(&aic)["model"], "[123,134]");
}

#[test]
fn lcmcr_writes_draws_and_is_reproducible_from_a_seed() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "kosovo.csv", KOSOVO);
    let args = [
        "estimate",
        "--captures",
        &f,
        "--burnin",
        "1000",
        "--samples",
        "200",
        "--thin",
        "10",
        "--chains",
        "2",
        "--seed",
        "5",
        "--json",
        "--draws",
    ];
    let mut a = args.to_vec();
    a.push("a.csv");
    let out = recount(dir.path(), &a);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["method"], "lcmcr");
    let median = v["estimate"]["median"].as_f64().unwrap();
    // A short run (1,000 burn-in sweeps): only a sanity range around Kosovo's posterior.
    assert!((8_500.0..16_000.0).contains(&median), "{median}");
    let draws = std::fs::read_to_string(dir.path().join("a.csv")).unwrap();
    assert!(draws.starts_with("chain,draw,n\n"));
    assert_eq!(draws.lines().count(), 1 + 2 * 200);
    let mut b = args.to_vec();
    b.push("b.csv");
    recount(dir.path(), &b);
    assert_eq!(
        draws,
        std::fs::read_to_string(dir.path().join("b.csv")).unwrap()
    );
}

#[test]
fn the_table_output_names_the_interval() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "kosovo.csv", KOSOVO);
    let out = recount(
        dir.path(),
        &["estimate", "--captures", &f, "--method", "bma"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Total:      12,595"), "{text}");
    assert!(text.contains("95% interval 9,827 – 16,544"), "{text}");
}

#[test]
fn bad_captures_are_bad_input_with_a_location() {
    let dir = tempfile::tempdir().unwrap();
    for (text, expected) in [
        ("A,B,C,count\n1,0,0,3\n0,0,0,2\n", "row 3"),
        ("A,B,count\n1,2,3\n", "expected 0 or 1"),
        ("A,B,count\n1,1,-1\n", "whole number"),
        ("A,B,count\n1,1,2.5\n", "whole number"),
        ("A,count\n1,3\n", "at least 2"),
        ("A,B,C,count\n1,1,0,3\n1,0,0,2\n", "recorded nobody"),
        ("", "empty"),
    ] {
        let f = write(dir.path(), "bad.csv", text);
        let out = recount(dir.path(), &["estimate", "--captures", &f]);
        assert_eq!(out.status.code(), Some(1), "{text:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(expected),
            "{text:?}: {}",
            stderr(&out)
        );
    }
    // Thirty lists are refused, not attempted.
    let header: Vec<String> = (1..=30).map(|i| format!("L{i}")).collect();
    let f = write(
        dir.path(),
        "wide.csv",
        &format!("{}\n{}\n", header.join(","), vec!["1"; 30].join(",")),
    );
    let out = recount(dir.path(), &["estimate", "--captures", &f]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("at most 24"));
    // Lists that never overlap: a refusal, not a number.
    let f = write(
        dir.path(),
        "apart.csv",
        "A,B,C,count\n1,0,0,20\n0,1,0,10\n0,0,1,5\n",
    );
    let out = recount(
        dir.path(),
        &["estimate", "--captures", &f, "--method", "loglinear"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("do not overlap"));
}

#[test]
fn a_missing_file_is_the_environment_and_merged_duplicates_are_noticed() {
    let dir = tempfile::tempdir().unwrap();
    let out = recount(dir.path(), &["estimate", "--captures", "nope.csv"]);
    assert_eq!(out.status.code(), Some(2));
    let dup = format!("{KOSOVO}1,1,1,1,3\n");
    let f = write(dir.path(), "dup.csv", &dup);
    let out = recount(
        dir.path(),
        &[
            "estimate",
            "--captures",
            &f,
            "--method",
            "loglinear",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("pattern 1111 appears on rows 16, 17"));
    assert_eq!(json(&out)["observed"], 4403);
}

#[test]
fn the_database_mode_without_a_database_is_an_environment_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = recount(
        dir.path(),
        &["estimate", "--event", "exit_refused", "--by", "month"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("recount init"), "{}", stderr(&out));
}

/// A demo database (synthetic, linked) to estimate from.
fn demo_project(dir: &std::path::Path) {
    let out = crate::recount(
        dir,
        &[
            "demo",
            "--people",
            "1500",
            "--no-estimate",
            "--db",
            "d.sqlite",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", crate::stderr(&out));
}

#[test]
fn estimates_per_stratum_from_the_linked_persons_of_the_project() {
    let dir = tempfile::tempdir().unwrap();
    demo_project(dir.path());
    // The same strata as the captures export, estimated directly.
    let out = crate::recount(
        dir.path(),
        &[
            "estimate",
            "--db",
            "d.sqlite",
            "--by",
            "month",
            "--method",
            "loglinear",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", crate::stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&crate::stdout(&out)).unwrap();
    assert_eq!(v["by"], "month");
    let strata = v["strata"].as_array().unwrap();
    assert!(strata.len() >= 3, "{strata:?}");
    let exp = crate::recount(
        dir.path(),
        &[
            "export", "captures", "--by", "month", "--out", "c.csv", "--db", "d.sqlite",
        ],
    );
    assert_eq!(exp.status.code(), Some(0));
    let text = std::fs::read_to_string(dir.path().join("c.csv")).unwrap();
    for s in strata {
        let name = s["name"].as_str().unwrap();
        let observed: u64 = text
            .lines()
            .skip(1)
            .filter(|l| l.split(',').next() == Some(name))
            .map(|l| l.rsplit(',').next().unwrap().parse::<u64>().unwrap())
            .sum();
        assert_eq!(s["observed"].as_u64().unwrap(), observed, "stratum {name}");
        // Each estimated stratum is at least what was documented in it.
        if let Some(m) = s["result"]["estimate"]["median"].as_f64() {
            assert!(m >= observed as f64 - 1e-6);
        } else {
            assert!(s["refused"].is_string());
            assert!(s["refusal_code"].is_string(), "{s}");
        }
    }
    assert!(v["total"]["estimate"]["median"].as_f64().unwrap() > 0.0);
    // The demo's linkage leaves pairs undecided, and the estimate says what they could change.
    let linkage: Vec<&str> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w.as_str())
        .filter(|w| w.starts_with("the linkage left"))
        .collect();
    assert_eq!(linkage.len(), 1, "{}", v["warnings"]);
    let numbers: Vec<u64> = linkage[0]
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    // pairs, 0.05, 0.95 (as 0, 05, 0, 95), apart, merges.
    let (pairs, apart, merges) = (
        numbers[0],
        numbers[numbers.len() - 2],
        numbers[numbers.len() - 1],
    );
    assert!(
        pairs > 0 && apart <= pairs && merges <= apart && merges > 0,
        "{}",
        linkage[0]
    );
}

#[test]
fn estimating_an_unlinked_project_or_an_unknown_event_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("l.csv"),
        "source,record_id,name\nngo,1,Бекболат Асанов\n",
    )
    .unwrap();
    assert_eq!(
        crate::recount(dir.path(), &["init", "--db", "p.sqlite"])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        crate::recount(dir.path(), &["import", "l.csv", "--db", "p.sqlite"])
            .status
            .code(),
        Some(0)
    );
    let out = crate::recount(
        dir.path(),
        &["estimate", "--db", "p.sqlite", "--by", "month"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        crate::stderr(&out).contains("recount link"),
        "{}",
        crate::stderr(&out)
    );
    let out = crate::recount(
        dir.path(),
        &["estimate", "--db", "p.sqlite", "--event", "no_such_event"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(crate::stderr(&out).contains("vocabulary"));
}
