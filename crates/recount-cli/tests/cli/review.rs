//! Tests of `recount review`: the queue, decisions, and persons changing with them.

use crate::{recount, stderr, stdout};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

fn demo(dir: &Path) {
    let out = recount(
        dir,
        &[
            "demo",
            "--people",
            "400",
            "--no-estimate",
            "--db",
            "d.sqlite",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

fn queue(dir: &Path) -> serde_json::Value {
    let out = recount(
        dir,
        &[
            "review", "--db", "d.sqlite", "--list", "--json", "--limit", "50",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

/// person id of every record, by "source/record_id".
fn persons(dir: &Path) -> std::collections::HashMap<String, String> {
    let out = recount(
        dir,
        &["export", "persons", "--out", "p.csv", "--db", "d.sqlite"],
    );
    assert_eq!(out.status.code(), Some(0));
    std::fs::read_to_string(dir.join("p.csv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (format!("{}/{}", f[0], f[1]), f[2].to_owned())
        })
        .collect()
}

fn key(v: &serde_json::Value) -> String {
    format!(
        "{}/{}",
        v["source"].as_str().unwrap(),
        v["record_id"].as_str().unwrap()
    )
}

#[test]
fn a_decision_against_the_current_persons_changes_them_and_leaves_the_queue() {
    let dir = tempfile::tempdir().unwrap();
    demo(dir.path());
    let q = queue(dir.path());
    let pairs = q["pairs"].as_array().unwrap();
    assert!(!pairs.is_empty(), "the demo queues uncertain pairs");
    assert!(q["total"].as_u64().unwrap() >= pairs.len() as u64);
    let p = &pairs[0];
    let before = persons(dir.path());
    let (ka, kb) = (key(&p["a"]), key(&p["b"]));
    let together = before[&ka] == before[&kb];
    let verdict = if together { "different" } else { "same" };
    let (a, b) = (p["record_a"].to_string(), p["record_b"].to_string());
    let out = recount(
        dir.path(),
        &[
            "review",
            "--db",
            "d.sqlite",
            "--decide",
            &a,
            &b,
            verdict,
            "--reviewer",
            "tester",
            "--json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let after = persons(dir.path());
    assert_eq!(
        after[&ka] == after[&kb],
        !together,
        "the decision was honoured"
    );
    // The decided pair is not offered again.
    let q2 = queue(dir.path());
    assert!(
        q2["pairs"]
            .as_array()
            .unwrap()
            .iter()
            .all(|x| { !(x["record_a"] == p["record_a"] && x["record_b"] == p["record_b"]) })
    );
}

#[test]
fn the_terminal_session_reads_answers_and_stops_on_quit() {
    let dir = tempfile::tempdir().unwrap();
    demo(dir.path());
    let total_before = queue(dir.path())["total"].as_u64().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_recount"))
        .args([
            "review",
            "--db",
            "d.sqlite",
            "--reviewer",
            "tester",
            "--no-relink",
        ])
        .current_dir(dir.path())
        .env_remove("RECOUNT_DB")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"u\nk\nq\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("match probability"), "{text}");
    assert!(text.contains("1 decision(s) recorded as tester"), "{text}");
    // "unsure" counts as decided: the queue is one shorter (not re-linked, so nothing else moved).
    assert_eq!(
        queue(dir.path())["total"].as_u64().unwrap(),
        total_before - 1
    );
}

#[test]
fn bad_review_input_is_exit_1_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(
        recount(dir.path(), &["init", "--db", "d.sqlite"])
            .status
            .code(),
        Some(0)
    );
    let out = recount(dir.path(), &["review", "--db", "d.sqlite", "--list"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("recount link"));

    let dir = tempfile::tempdir().unwrap();
    demo(dir.path());
    let total = queue(dir.path())["total"].clone();
    for args in [
        ["1", "2", "maybe"],
        ["1", "x", "same"],
        ["1", "1", "same"],
        ["1", "99999999", "same"],
    ] {
        let mut a = vec!["review", "--db", "d.sqlite", "--decide"];
        a.extend_from_slice(&args);
        let out = recount(dir.path(), &a);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
    }
    // An answer that is not a decision in a piped session is bad input too.
    let mut child = Command::new(env!("CARGO_BIN_EXE_recount"))
        .args(["review", "--db", "d.sqlite"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"perhaps\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(queue(dir.path())["total"], total);
}
