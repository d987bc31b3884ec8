//! The bridge to the importer: checking an uploaded file with `recount-import` and importing it
//! with the pipeline's import step, the same library code as `recount import`.
//!
//! The importer reads files, so an upload is written to a private temporary directory (mode
//! 0700, removed when the call ends) for the length of one call and no longer.

use crate::pages::import::{Checked, Problem, Upload, Words};
use recount_import::{ImportError, Mapping, Options};
use recount_pipeline::PipelineError;
use recount_pipeline::import::{ImportOutcome, ImportRequest};
use recount_store::{Store, StoreError};
use recount_types::{EventVocabulary, SourceName};
use std::path::PathBuf;

/// How many problems are listed (all are counted).
const MAX_PROBLEMS: usize = 500;

impl From<&recount_import::Problem> for Problem {
    fn from(p: &recount_import::Problem) -> Self {
        Problem {
            row: p.row,
            column: p.column.clone(),
            value: p.value.clone(),
            code: p.kind().code().to_owned(),
            message: p.problem.clone(),
            expected: Some(p.expected.clone()).filter(|e| !e.is_empty()),
            words: Words::Import(p.kind().clone()),
        }
    }
}

/// A problem of the desk's own: `code`, the catalogue's `import.problem.<code>` with `args`,
/// and `english` for the API (which may say more than the page: an error's own words).
fn desk_problem(code: &'static str, args: Vec<(&'static str, String)>, english: String) -> Problem {
    Problem {
        row: None,
        column: None,
        value: None,
        code: code.to_owned(),
        message: english,
        expected: None,
        words: Words::Desk(args),
    }
}

fn mapping_problem(message: String) -> Problem {
    Problem::from(&recount_import::Problem::bad_mapping("mapping", message))
}

fn problems(ps: &recount_import::Problems) -> Vec<Problem> {
    let mut out: Vec<Problem> = ps.shown().iter().map(Problem::from).collect();
    let hidden = ps.total().saturating_sub(out.len() as u64);
    if hidden > 0 {
        out.push(desk_problem(
            "more_problems",
            vec![("n", hidden.to_string())],
            format!("… and {hidden} more problems"),
        ));
    }
    out
}

/// The problems of a file the importer could not read at all.
fn unreadable(e: ImportError) -> Vec<Problem> {
    match e {
        ImportError::Layout(ps) => ps.iter().map(Problem::from).collect(),
        ImportError::Mapping { message, .. } => vec![mapping_problem(message)],
        other => vec![desk_problem(
            "upload_unreadable",
            Vec::new(),
            format!("the upload could not be read: {other}"),
        )],
    }
}

/// A file name safe to create: the upload's base name with only plain characters kept, so its
/// extension still tells the importer the format.
fn safe_name(file_name: &str) -> String {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or("");
    let kept: String = base
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .take(100)
        .collect();
    if kept.trim_matches('.').is_empty() {
        "upload.csv".into()
    } else {
        kept
    }
}

struct Staged {
    _dir: tempfile::TempDir,
    file: PathBuf,
    mapping: Option<PathBuf>,
}

fn stage(file_name: &str, bytes: &[u8], mapping: Option<&str>) -> std::io::Result<Staged> {
    let dir = tempfile::Builder::new()
        .prefix("recount-upload-")
        .tempdir()?;
    let file = dir.path().join(safe_name(file_name));
    std::fs::write(&file, bytes)?;
    let mapping = match mapping {
        Some(text) => {
            let path = dir.path().join("mapping.toml");
            std::fs::write(&path, text)?;
            Some(path)
        }
        None => None,
    };
    Ok(Staged {
        _dir: dir,
        file,
        mapping,
    })
}

/// Reads and validates the whole file: its records, or every problem.
pub fn check(
    file_name: &str,
    bytes: &[u8],
    source: &str,
    mapping: Option<&str>,
    vocabulary: &EventVocabulary,
) -> Checked {
    let mapping = match mapping.map(Mapping::from_toml).transpose() {
        Ok(m) => m,
        Err(message) => return Checked::Problems(vec![mapping_problem(message)]),
    };
    let staged = match stage(file_name, bytes, None) {
        Ok(s) => s,
        Err(e) => {
            return Checked::Problems(vec![desk_problem(
                "upload_unreadable",
                Vec::new(),
                format!("the upload could not be read: {e}"),
            )]);
        }
    };
    let options = Options {
        source: (!source.is_empty()).then(|| SourceName(source.to_owned())),
        vocabulary: vocabulary.clone(),
        mapping,
        encoding: None,
    };
    match recount_import::read_all(&staged.file, options, MAX_PROBLEMS) {
        Ok(Ok(records)) => Checked::Clean(records),
        Ok(Err(ps)) => Checked::Problems(problems(&ps)),
        Err(e) => Checked::Problems(unreadable(e)),
    }
}

/// Imports a checked upload in one transaction; problems the store finds (a record that
/// changed since an earlier import) come back and nothing is written.
pub fn import(store: &mut Store, upload: &Upload) -> Result<Result<u64, Vec<Problem>>, StoreError> {
    let staged = match stage(&upload.file_name, &upload.bytes, upload.mapping.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            return Ok(Err(vec![desk_problem(
                "upload_unreadable",
                Vec::new(),
                format!("the upload could not be staged: {e}"),
            )]));
        }
    };
    let request = ImportRequest {
        source: (!upload.source.is_empty()).then(|| upload.source.clone()),
        mapping: staged.mapping.clone(),
        max_problems: MAX_PROBLEMS,
        ..ImportRequest::new(&staged.file)
    };
    match recount_pipeline::import::run(store, &request, &mut ()) {
        Ok(ImportOutcome::Imported(summary)) => Ok(Ok(summary.inserted + summary.updated)),
        Ok(ImportOutcome::Rejected(ps)) => Ok(Err(problems(&ps))),
        Err(PipelineError::Store(e)) => Err(e),
        Err(e) => Ok(Err(vec![desk_problem(
            "import_failed",
            Vec::new(),
            e.to_string(),
        )])),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn upload_names_cannot_leave_the_staging_directory() {
        assert_eq!(super::safe_name("../../etc/passwd"), "passwd");
        assert_eq!(super::safe_name("C:\\Users\\x\\список.xlsx"), ".xlsx");
        assert_eq!(super::safe_name(".."), "upload.csv");
        assert_eq!(super::safe_name("hotline 2022.csv"), "hotline2022.csv");
    }
}
