//! `recount init` and `recount import`: good files land, every bad input is located and
//! changes nothing.

use crate::{recount, stderr, stdout};
use std::path::{Path, PathBuf};

const HEADER: &str =
    "source,record_id,name,sex,birth_date,age,citizenship,event,event_date,informant\n";
const GOOD: &str = "source,record_id,name,sex,birth_date,age,citizenship,event,event_date,informant\n\
hotline,1,Асанов Бекболат,m,1966-03,55-60,RU;KG,exit_refused,2022-09-21,relative\n\
hotline,2,Bekbolat Asanov,m,,57,KG,exit_refused,2022-09,self\n";

/// A project directory with an initialised database and `good.csv` imported.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = recount(dir.path(), &["init"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    std::fs::write(dir.path().join("good.csv"), GOOD).unwrap();
    let out = recount(dir.path(), &["import", "good.csv", "--source", "hotline"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    dir
}

fn count(dir: &Path) -> u64 {
    let store = recount_store::Store::open(&dir.join("recount.sqlite")).unwrap();
    store.record_count().unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

/// Imports `bytes` (as `name`) into a project holding the two good records, and checks that it
/// is refused with exit code 1, that stderr names every fragment, and that nothing changed.
fn refused(name: &str, bytes: &[u8], extra: &[&str], fragments: &[&str]) {
    let dir = project();
    write(dir.path(), name, bytes);
    let mut args = vec!["import", name, "--source", "hotline"];
    args.extend_from_slice(extra);
    let out = recount(dir.path(), &args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for f in fragments {
        assert!(err.contains(f), "stderr lacks {f:?}:\n{err}");
    }
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(count(dir.path()), 2, "nothing may be imported");
}

#[test]
fn init_creates_once_and_refuses_a_missing_directory() {
    let dir = tempfile::tempdir().unwrap();
    let out = recount(dir.path(), &["init", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["created"], true);
    assert!(v["schema_version"].as_i64().unwrap() >= 1);
    let out = recount(dir.path(), &["init"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("already exists"));
    let out = recount(dir.path(), &["init", "--db", "no/such/dir/p.sqlite"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("does not exist"));
    let out = recount(
        dir.path(),
        &["import", "x.csv", "--db", "no/such/dir/p.sqlite"],
    );
    assert_ne!(out.status.code(), Some(0));
}

#[test]
fn importing_without_a_database_is_an_environment_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good.csv", GOOD.as_bytes());
    let out = recount(
        dir.path(),
        &["import", "good.csv", "--db", "missing/p.sqlite"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("recount init"));
}

#[test]
fn a_good_file_lands_and_the_same_file_twice_changes_nothing() {
    let dir = project();
    assert_eq!(count(dir.path()), 2);
    let out = recount(
        dir.path(),
        &["import", "good.csv", "--source", "hotline", "--json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        (v["inserted"].as_u64(), v["unchanged"].as_u64()),
        (Some(0), Some(2))
    );
    assert_eq!(count(dir.path()), 2);
}

#[test]
fn a_changed_record_needs_update() {
    let dir = project();
    let changed = GOOD.replace(",57,", ",58,");
    write(dir.path(), "changed.csv", changed.as_bytes());
    let out = recount(
        dir.path(),
        &["import", "changed.csv", "--source", "hotline"],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("changed.csv, row 3, column record_id"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("--update"));
    let out = recount(
        dir.path(),
        &["import", "changed.csv", "--source", "hotline", "--update"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("1 updated"), "{}", stdout(&out));
    assert_eq!(count(dir.path()), 2);
}

/// The stored dependency group and duplicates flag of `source`.
fn source_properties(dir: &Path, source: &str) -> (Option<String>, bool) {
    let store = recount_store::Store::open(&dir.join("recount.sqlite")).unwrap();
    let (_, s) = store.source(source).unwrap().unwrap();
    (s.dependency_group, s.contains_duplicates)
}

#[test]
fn a_dependency_group_is_set_and_moving_a_source_needs_update() {
    let dir = project();
    assert_eq!(source_properties(dir.path(), "hotline"), (None, false));
    std::fs::write(dir.path().join("wire.csv"), GOOD.replace("hotline", "wire")).unwrap();
    let import = |file: &str, source: &str, extra: &[&str]| {
        let mut args = vec!["import", file, "--source", source];
        args.extend_from_slice(extra);
        recount(dir.path(), &args)
    };
    // A new source gets the group and the flag.
    let out = import(
        "wire.csv",
        "wire",
        &["--dependency-group", "tass", "--contains-duplicates"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        source_properties(dir.path(), "wire"),
        (Some("tass".into()), true)
    );
    // The same group again is no change; without the flags nothing about the source changes.
    let out = import("wire.csv", "wire", &["--dependency-group", "tass"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = import("wire.csv", "wire", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        source_properties(dir.path(), "wire"),
        (Some("tass".into()), true)
    );
    // Another group is a located error; nothing changes, not even the records.
    let more = format!("{GOOD}wire,3,Иван Петров,m,,40,RU,summoned,2022-10,self\n")
        .replace("hotline", "wire");
    std::fs::write(dir.path().join("more.csv"), more).unwrap();
    let out = import("more.csv", "wire", &["--dependency-group", "ria"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("more.csv") && err.contains("\"tass\""),
        "{err}"
    );
    assert!(
        err.contains("--update") && err.contains("nothing was imported"),
        "{err}"
    );
    assert_eq!(
        source_properties(dir.path(), "wire"),
        (Some("tass".into()), true)
    );
    assert_eq!(count(dir.path()), 4);
    // A source that has always been its own group is moved only with --update.
    let out = import("good.csv", "hotline", &["--dependency-group", "ria"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("its own dependency group"),
        "{}",
        stderr(&out)
    );
    assert_eq!(source_properties(dir.path(), "hotline"), (None, false));
    let out = import(
        "more.csv",
        "wire",
        &["--dependency-group", "ria", "--update"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        source_properties(dir.path(), "wire"),
        (Some("ria".into()), true)
    );
    assert_eq!(count(dir.path()), 5);
}

#[test]
fn source_properties_need_a_source_and_a_group_name() {
    let dir = project();
    for extra in [
        &["--dependency-group", "tass"][..],
        &["--contains-duplicates"][..],
    ] {
        let mut args = vec!["import", "good.csv"];
        args.extend_from_slice(extra);
        let out = recount(dir.path(), &args);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(stderr(&out).contains("--source"), "{}", stderr(&out));
    }
    let out = recount(
        dir.path(),
        &[
            "import",
            "good.csv",
            "--source",
            "hotline",
            "--dependency-group",
            " ",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("dependency group is empty"),
        "{}",
        stderr(&out)
    );
    assert_eq!(source_properties(dir.path(), "hotline"), (None, false));
}

#[test]
fn a_missing_required_column() {
    refused(
        "a.csv",
        b"source,name\nhotline,A\n",
        &[],
        &[
            "a.csv, row 1, column record_id",
            "required column record_id is missing",
        ],
    );
}

#[test]
fn an_unknown_column() {
    refused(
        "a.csv",
        b"source,record_id,name,surname\nhotline,3,A,B\n",
        &[],
        &["row 1, column surname", "unknown column"],
    );
}

#[test]
fn a_duplicate_record_id_in_the_file() {
    refused(
        "a.csv",
        b"source,record_id,name\nhotline,3,A\nhotline,3,B\n",
        &[],
        &["row 3, column record_id", "first at row 2"],
    );
}

#[test]
fn a_month_that_does_not_exist() {
    let f = format!("{HEADER}hotline,3,A,,2022-13-01,,,,,\n");
    refused(
        "a.csv",
        f.as_bytes(),
        &[],
        &[
            "row 2, column birth_date",
            "month 13 does not exist",
            "YYYY-MM-DD",
        ],
    );
}

#[test]
fn a_dotted_date_without_a_mapping_and_with_one() {
    let f = format!("{HEADER}hotline,3,A,,,,,,31.12.2022,\n");
    refused(
        "a.csv",
        f.as_bytes(),
        &[],
        &["row 2, column event_date", "\"31.12.2022\"", "DD.MM.YYYY"],
    );
    let dir = project();
    write(dir.path(), "a.csv", f.as_bytes());
    write(
        dir.path(),
        "map.toml",
        b"[dates]\nformats = [\"DD.MM.YYYY\"]\n",
    );
    let out = recount(
        dir.path(),
        &[
            "import",
            "a.csv",
            "--source",
            "hotline",
            "--mapping",
            "map.toml",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let store = recount_store::Store::open(&dir.path().join("recount.sqlite")).unwrap();
    let r = store.record("hotline", "3").unwrap().unwrap();
    assert_eq!(r.record.event_date.unwrap().to_string(), "2022-12-31");
}

#[test]
fn a_reversed_age_range() {
    let f = format!("{HEADER}hotline,3,A,,,60-55,,,,\n");
    refused(
        "a.csv",
        f.as_bytes(),
        &[],
        &["row 2, column age", "reversed"],
    );
}

#[test]
fn an_unknown_event_term() {
    let f = format!("{HEADER}hotline,3,A,,,,,passport_seized,,\n");
    refused(
        "a.csv",
        f.as_bytes(),
        &[],
        &["row 2, column event", "not in the event vocabulary"],
    );
}

#[test]
fn an_unknown_country_code() {
    let f = format!("{HEADER}hotline,3,A,,,,RU;XX,,,\n");
    refused(
        "a.csv",
        f.as_bytes(),
        &[],
        &[
            "row 2, column citizenship",
            "'XX' is not an assigned country code",
        ],
    );
}

#[test]
fn an_empty_file() {
    refused("a.csv", b"", &[], &["a.csv, row 1", "the file is empty"]);
}

#[test]
fn a_header_only() {
    refused(
        "a.csv",
        HEADER.as_bytes(),
        &[],
        &["a.csv, row 2", "no records"],
    );
}

#[test]
fn a_nul_byte() {
    refused(
        "a.csv",
        b"source,record_id,name\nhotline,3,A\0B\n",
        &[],
        &["row 2, column name", "NUL byte"],
    );
}

#[test]
fn a_source_column_that_disagrees_with_the_flag() {
    refused(
        "a.csv",
        b"source,record_id,name\nlawyers,3,A\n",
        &[],
        &["row 2, column source", "--source is \"hotline\""],
    );
}

#[test]
fn problems_come_all_at_once_as_json() {
    let dir = project();
    let f = format!("{HEADER}hotline,3,A,x,2022-13-01,60-55,,,,\nhotline,4,B,,,,,,,nobody\n");
    write(dir.path(), "a.csv", f.as_bytes());
    let out = recount(
        dir.path(),
        &["import", "a.csv", "--source", "hotline", "--json"],
    );
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["imported"], false);
    assert_eq!(v["problem_count"], 4);
    let cols: Vec<&str> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["column"].as_str().unwrap())
        .collect();
    assert_eq!(cols, ["sex", "birth_date", "age", "informant"]);
    assert_eq!(v["problems"][1]["row"], 2);
    assert_eq!(v["problems"][1]["value"], "2022-13-01");
    // Each problem has a stable code beside its English words, which stay as they were.
    let codes: Vec<&str> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "bad_sex",
            "bad_date",
            "reversed_age_range",
            "unknown_informant"
        ]
    );
    assert_eq!(
        v["problems"][1]["problem"],
        "month 13 does not exist in '2022-13-01'"
    );
    assert_eq!(count(dir.path()), 2);
}

#[test]
fn windows_1251_and_xlsx_and_json_lines_import() {
    let dir = project();
    let text = "source;record_id;name\nlawyers;L1;Асанов Бекболат\n";
    let cp: Vec<u8> = text
        .chars()
        .map(|c| match c {
            'А'..='я' => (c as u32 - 'А' as u32 + 0xC0) as u8,
            _ => c as u8,
        })
        .collect();
    write(dir.path(), "cp.csv", &cp);
    let out = recount(dir.path(), &["import", "cp.csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    write(
        dir.path(),
        "a.jsonl",
        "{\"record_id\":\"J1\",\"name\":\"Иванов\"}\n".as_bytes(),
    );
    let out = recount(dir.path(), &["import", "a.jsonl", "--source", "media"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let store = recount_store::Store::open(&dir.path().join("recount.sqlite")).unwrap();
    assert_eq!(
        store
            .record("lawyers", "L1")
            .unwrap()
            .unwrap()
            .record
            .name
            .as_deref(),
        Some("Асанов Бекболат")
    );
    assert!(store.record("media", "J1").unwrap().is_some());
}

/// Peak resident memory of a child process, polled from /proc until it exits.
fn run_measuring_memory(dir: &Path, args: &[&str]) -> (std::process::ExitStatus, u64) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_recount"))
        .args(args)
        .current_dir(dir)
        .env_remove("RECOUNT_DB")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kib = 0;
    loop {
        if let Ok(s) = std::fs::read_to_string(&status_file) {
            for line in s.lines().filter(|l| l.starts_with("VmHWM:")) {
                let kib: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
                peak_kib = peak_kib.max(kib);
            }
        }
        if let Some(status) = child.try_wait().unwrap() {
            return (status, peak_kib * 1024);
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// A 1 GB file imports with bounded memory (slow: RECOUNT_SLOW_TESTS=1).
#[test]
fn a_one_gigabyte_file_streams_in_bounded_memory() {
    if std::env::var("RECOUNT_SLOW_TESTS").as_deref() != Ok("1") {
        eprintln!("skipped: set RECOUNT_SLOW_TESTS=1");
        return;
    }
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(recount(dir.path(), &["init"]).status.code(), Some(0));
    // Long testimonies make a big file of few rows: the test measures streaming, not speed.
    let quote = "Сказали, что он в списке и выезд запрещён до особого распоряжения. ".repeat(64);
    let mut f = std::io::BufWriter::new(std::fs::File::create(dir.path().join("big.csv")).unwrap());
    writeln!(f, "source,record_id,name,event,quote").unwrap();
    let mut written = 0u64;
    let mut rows = 0u64;
    while written < 1 << 30 {
        let line = format!("big,{rows},Асанов Бекболат {rows},exit_refused,\"{quote}\"\n");
        f.write_all(line.as_bytes()).unwrap();
        written += line.len() as u64;
        rows += 1;
    }
    f.flush().unwrap();
    drop(f);
    let (status, peak) = run_measuring_memory(dir.path(), &["import", "big.csv"]);
    assert!(status.success());
    assert!(peak < 500 << 20, "peak memory {} MiB", peak >> 20);
    assert_eq!(count(dir.path()), rows);
}

/// An import killed halfway (`kill -9`, a crash) leaves the project as it was: it ran in a
/// rollback journal (it had the project to itself), and the next open rolls the journal back
/// and puts the WAL back.
#[test]
fn a_killed_import_changes_nothing() {
    use std::io::Write;
    let dir = project();
    let before = count(dir.path());
    let mut f =
        std::io::BufWriter::new(std::fs::File::create(dir.path().join("many.csv")).unwrap());
    writeln!(f, "source,record_id,name,event,quote").unwrap();
    for i in 0..300_000 {
        writeln!(
            f,
            "many,{i},Асанов Бекболат {i},exit_refused,сказали что в списке"
        )
        .unwrap();
    }
    f.flush().unwrap();
    drop(f);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_recount"))
        .args(["import", "many.csv"])
        .current_dir(dir.path())
        .env_remove("RECOUNT_DB")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // The journal holds the pages the import changed once its transaction has begun.
    let journal = dir.path().join("recount.sqlite-journal");
    let started = std::time::Instant::now();
    while !journal.metadata().is_ok_and(|m| m.len() > 0) {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import ended before it could be killed"
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(60));
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    std::thread::sleep(std::time::Duration::from_millis(100));
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        journal.metadata().is_ok_and(|m| m.len() > 0),
        "the killed import left its journal"
    );
    assert_eq!(count(dir.path()), before);
    // The open rolled the journal back, and the project is in WAL mode again.
    assert!(!journal.metadata().is_ok_and(|m| m.len() > 0));
    assert!(
        dir.path().join("recount.sqlite-wal").exists() || {
            // The WAL file appears with the first write; the header says WAL either way.
            let header = std::fs::read(dir.path().join("recount.sqlite")).unwrap();
            header[18] == 2 && header[19] == 2
        }
    );
    let out = recount(dir.path(), &["import", "many.csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(count(dir.path()), before + 300_000);
}
