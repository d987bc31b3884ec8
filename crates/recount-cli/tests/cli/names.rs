// Tests of `recount names` (owned by the names work).

use crate::{recount, stderr, stdout};

#[test]
fn explain_shows_parts_roles_and_keys() {
    let dir = tempfile::tempdir().unwrap();
    let out = recount(
        dir.path(),
        &["names", "explain", "Асанов Бекболат Жумабекович"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("surname_first"), "{text}");
    for needle in ["surname", "patronymic", "jumabek", "s:asanov", "t:asan"] {
        assert!(text.contains(needle), "{needle} missing from\n{text}");
    }
}

#[test]
fn explain_json_is_one_object() {
    let dir = tempfile::tempdir().unwrap();
    let out = recount(
        dir.path(),
        &["names", "explain", "Bekbolot Asan uulu", "--json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["sex"], "m");
    assert_eq!(v["surname_key"], "asan");
    let roles: Vec<&str> = v["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["given", "patronymic", "particle"]);
    assert!(
        v["blocking_keys"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k == "t:asan")
    );
}

#[test]
fn compare_says_level_and_why() {
    let dir = tempfile::tempdir().unwrap();
    let out = recount(
        dir.path(),
        &["names", "compare", "Асанов Бекболат", "Bekbolat Asanov"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("level: transliteration (order reversed)"),
        "{text}"
    );
    let out = recount(
        dir.path(),
        &[
            "names",
            "compare",
            "Valentin Ivanov",
            "Valentina Ivanova",
            "--json",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["level"], "different");
    assert_eq!(v["family"], "alias_or_morphology");
    let reasons: Vec<&str> = v["alignment"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["reason"].as_str().unwrap())
        .collect();
    assert!(
        reasons.iter().any(|r| r.contains("masculine/feminine")),
        "{reasons:?}"
    );
}

#[test]
fn compare_pairs_file_adds_a_level_column() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pairs.csv"),
        "id,a,b\n1,Асанов Бекболат,Bekbolat Asanov\n2,Amir Karimov,Damir Karimov\n3,,Bekbolat\n",
    )
    .unwrap();
    let out = recount(
        dir.path(),
        &[
            "names",
            "compare",
            "--pairs",
            "pairs.csv",
            "--out",
            "levels.csv",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written = std::fs::read_to_string(dir.path().join("levels.csv")).unwrap();
    let lines: Vec<&str> = written.lines().collect();
    assert_eq!(lines[0], "id,a,b,level");
    assert_eq!(
        lines[1],
        "1,Асанов Бекболат,Bekbolat Asanov,transliteration"
    );
    assert_eq!(lines[2], "2,Amir Karimov,Damir Karimov,fuzzy_low");
    assert_eq!(lines[3], "3,,Bekbolat,missing");
}

#[test]
fn a_pairs_file_without_column_b_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pairs.csv"), "a,c\nAsanov,Hasanov\n").unwrap();
    let out = recount(
        dir.path(),
        &[
            "names",
            "compare",
            "--pairs",
            "pairs.csv",
            "--out",
            "levels.csv",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("pairs.csv") && err.contains("row 1") && err.contains("`b`"),
        "{err}"
    );
    assert!(!dir.path().join("levels.csv").exists());
}

#[test]
fn an_unreadable_pairs_file_or_a_ragged_row_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let out = recount(
        dir.path(),
        &[
            "names",
            "compare",
            "--pairs",
            "nope.csv",
            "--out",
            "levels.csv",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("nope.csv"));
    std::fs::write(
        dir.path().join("pairs.csv"),
        "a,b\nAsanov,Hasanov\nonly-one-field\n",
    )
    .unwrap();
    let out = recount(
        dir.path(),
        &[
            "names",
            "compare",
            "--pairs",
            "pairs.csv",
            "--out",
            "levels.csv",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("row 3"), "{}", stderr(&out));
}

#[test]
fn compare_without_names_is_bad_input_and_help_has_an_example() {
    let dir = tempfile::tempdir().unwrap();
    let out = recount(dir.path(), &["names", "compare", "Asanov"]);
    assert_eq!(out.status.code(), Some(1));
    for sub in ["explain", "compare"] {
        let out = recount(dir.path(), &["names", sub, "--help"]);
        assert_eq!(out.status.code(), Some(0));
        assert!(stdout(&out).contains("Examples:"), "{sub}");
    }
}
