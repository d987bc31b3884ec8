//! The CLI's one integration test binary: runs the real `recount` in temporary directories.
//! One module per area; each owns its fixtures.

mod demo;
mod estimate;
mod export;
mod import;
mod link;
mod names;
mod review;

use std::path::Path;
use std::process::{Command, Output};

/// Runs `recount` with `args` in `dir`, with no inherited RECOUNT_DB.
pub fn recount(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_recount"))
        .args(args)
        .current_dir(dir)
        .env_remove("RECOUNT_DB")
        .env("NO_COLOR", "1")
        .output()
        .expect("the recount binary runs")
}

/// The process's stdout as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The process's stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs `recount` with `args` in `dir`, checks that it succeeded and returns its `--json` output.
pub fn succeeds_with_json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let out = recount(dir, args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("one JSON object on stdout")
}

#[test]
fn help_has_an_example_and_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    let out = recount(dir.path(), &["--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("Examples:"));
}

#[test]
fn an_unknown_flag_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let out = recount(dir.path(), &["--no-such-flag"]);
    assert_eq!(out.status.code(), Some(1));
}
