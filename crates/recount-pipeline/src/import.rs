//! The import step: a file → validated records → the project database, all or nothing.

use crate::PipelineError;
use recount_import::{
    ImportError, Mapping, Options, Problem, Problems, RecordReader, TextEncoding,
};
use recount_names::PreparedName;
use recount_store::{ImportMode, ImportSummary, PutOutcome, Store};
use recount_types::{Record, SourceName};
use std::path::{Path, PathBuf};

/// What to import and how.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    pub file: PathBuf,
    /// The source to file records under; when the file also has a `source` column, every row
    /// must name this source. `None`: the file's `source` column decides, row by row.
    pub source: Option<String>,
    pub mapping: Option<PathBuf>,
    /// `None`: detected (UTF-8, or windows-1251 when unambiguous).
    pub encoding: Option<TextEncoding>,
    /// Whether a changed record is a conflict or replaces the stored one.
    pub mode: ImportMode,
    /// How many problems to keep for display (all are counted).
    pub max_problems: usize,
}

impl ImportRequest {
    pub fn new(file: impl Into<PathBuf>) -> ImportRequest {
        ImportRequest {
            file: file.into(),
            source: None,
            mapping: None,
            encoding: None,
            mode: ImportMode::Strict,
            max_problems: 100,
        }
    }
}

/// How an import ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportOutcome {
    /// Every row was valid and the records are in the database.
    Imported(ImportSummary),
    /// The input had problems; nothing was written.
    Rejected(Problems),
}

/// Reports how far an import has come: bytes of the file read, of `total`.
pub trait ImportProgress {
    fn advance(&mut self, bytes_read: u64, total: u64);
}

/// No progress display.
impl ImportProgress for () {
    fn advance(&mut self, _: u64, _: u64) {}
}

/// The blocking keys of a record's name, as the name engine computes them.
pub fn name_keys(record: &Record) -> Vec<String> {
    let name = match record.name.as_deref().filter(|n| !n.trim().is_empty()) {
        Some(n) => PreparedName::parse(n),
        None => PreparedName::from_parts(
            record.given_name.as_deref(),
            record.family_name.as_deref(),
            record.patronymic.as_deref(),
        ),
    };
    name.blocking_keys()
}

fn mapping_problem(path: &Path, message: String) -> Problems {
    let mut ps = Problems::new(1);
    ps.push(Problem {
        file: path.display().to_string(),
        row: None,
        column: None,
        value: None,
        problem: message,
        expected: "a mapping file as docs/importing.md describes".into(),
    });
    ps
}

/// Imports a file in one transaction: every row is validated and stored; if any row has a
/// problem (including a duplicate `record_id` or, without [`ImportMode::Update`], a changed
/// record), the transaction is rolled back and every problem returned.
pub fn run(
    store: &mut Store,
    request: &ImportRequest,
    progress: &mut dyn ImportProgress,
) -> Result<ImportOutcome, PipelineError> {
    let mapping = match &request.mapping {
        None => None,
        Some(path) => match Mapping::load(path) {
            Ok(m) => Some(m),
            Err(ImportError::Io { path, source }) => {
                return Err(PipelineError::Read { path, source });
            }
            Err(e) => {
                return Ok(ImportOutcome::Rejected(mapping_problem(
                    path,
                    e.to_string(),
                )));
            }
        },
    };
    if let Some(source) = &request.source
        && source.trim().is_empty()
    {
        let mut ps = Problems::new(1);
        ps.push(Problem {
            file: request.file.display().to_string(),
            row: None,
            column: None,
            value: None,
            problem: "--source is empty".into(),
            expected: "a source name such as hotline".into(),
        });
        return Ok(ImportOutcome::Rejected(ps));
    }
    let options = Options {
        source: request.source.clone().map(SourceName),
        vocabulary: store.event_vocabulary()?,
        mapping,
        encoding: request.encoding,
    };
    let reader = match RecordReader::open(&request.file, options) {
        Ok(r) => r,
        Err(e) => return layout_or_environment(e, request.max_problems),
    };
    let file = reader.file().to_owned();
    let total = reader.total_bytes();
    let bytes = reader.progress();
    let mut problems = Problems::new(request.max_problems);
    let mut batch = store.begin_import(&file, request.mode)?;
    for (n, row) in reader.enumerate() {
        let row = match row {
            Ok(r) => r,
            Err(e) => return layout_or_environment(e, request.max_problems),
        };
        if n % 4096 == 0 {
            progress.advance(bytes.bytes_read(), total);
        }
        let record = match row.result {
            Ok(r) => r,
            Err(ps) => {
                ps.into_iter().for_each(|p| problems.push(p));
                continue;
            }
        };
        let keys = name_keys(&record);
        match batch.put(&record, row.row, &keys)? {
            PutOutcome::DuplicateInImport { first_row } => {
                problems.push(Problem::duplicate(&file, row.row, &record.record_id, first_row));
            }
            PutOutcome::Changed { previous } => problems.push(Problem {
                file: file.clone(),
                row: Some(row.row),
                column: Some("record_id".into()),
                value: Some(record.record_id.clone()),
                problem: format!(
                    "source {:?} already has this record_id with different content (imported from {}, row {})",
                    record.source.as_str(),
                    previous.file_name,
                    previous.row
                ),
                expected: "the same content as before, or --update to replace it".into(),
            }),
            _ => {}
        }
    }
    progress.advance(total, total);
    if !problems.is_empty() {
        // Dropping the batch rolls the whole import back.
        drop(batch);
        return Ok(ImportOutcome::Rejected(problems));
    }
    Ok(ImportOutcome::Imported(batch.commit()?))
}

fn layout_or_environment(e: ImportError, limit: usize) -> Result<ImportOutcome, PipelineError> {
    match e {
        ImportError::Io { path, source } => Err(PipelineError::Read { path, source }),
        ImportError::Layout(ps) => {
            let mut problems = Problems::new(limit);
            ps.into_iter().for_each(|p| problems.push(p));
            Ok(ImportOutcome::Rejected(problems))
        }
        ImportError::Mapping { path, message } => {
            Ok(ImportOutcome::Rejected(mapping_problem(&path, message)))
        }
        other => Err(PipelineError::Read {
            path: PathBuf::new(),
            source: std::io::Error::other(other.to_string()),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store_with(csv: &str) -> (Store, tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("hotline.csv");
        std::fs::write(&path, csv).unwrap();
        (Store::open_in_memory().unwrap(), dir, path)
    }

    #[test]
    fn imports_are_all_or_nothing_and_idempotent() {
        let csv =
            "source,record_id,name,age\nhotline,1,Асанов Бекболат,57\nhotline,2,Bekbolat Asanov,\n";
        let (mut store, dir, path) = store_with(csv);
        let req = ImportRequest::new(&path);
        let ImportOutcome::Imported(s) = run(&mut store, &req, &mut ()).unwrap() else {
            panic!()
        };
        assert_eq!((s.inserted, s.unchanged), (2, 0));
        let rec = store.record("hotline", "1").unwrap().unwrap();
        let keys = store.name_keys(rec.id).unwrap();
        assert!(keys.iter().any(|k| k.starts_with("s:")), "{keys:?}");

        let ImportOutcome::Imported(s) = run(&mut store, &req, &mut ()).unwrap() else {
            panic!()
        };
        assert_eq!((s.inserted, s.unchanged), (0, 2));

        // A changed record and a bad row: refused together, nothing written.
        let changed = dir.path().join("changed.csv");
        std::fs::write(
            &changed,
            "source,record_id,name,age\nhotline,1,Асанов Бекболат,58\nhotline,3,New,old\n",
        )
        .unwrap();
        let ImportOutcome::Rejected(ps) =
            run(&mut store, &ImportRequest::new(&changed), &mut ()).unwrap()
        else {
            panic!()
        };
        let rows: Vec<_> = ps
            .shown()
            .iter()
            .map(|p| (p.row, p.column.clone().unwrap()))
            .collect();
        assert_eq!(
            rows,
            [(Some(2), "record_id".into()), (Some(3), "age".into())]
        );
        assert!(ps.shown()[0].problem.contains("different content"));
        assert_eq!(store.record_count().unwrap(), 2);
        assert!(store.record("hotline", "3").unwrap().is_none());

        std::fs::write(
            &changed,
            "source,record_id,name,age\nhotline,1,Асанов Бекболат,58\n",
        )
        .unwrap();
        let update = ImportRequest {
            mode: ImportMode::Update,
            ..ImportRequest::new(&changed)
        };
        let ImportOutcome::Imported(s) = run(&mut store, &update, &mut ()).unwrap() else {
            panic!()
        };
        assert_eq!(s.updated, 1);
        assert_eq!(
            store
                .record("hotline", "1")
                .unwrap()
                .unwrap()
                .record
                .age
                .unwrap()
                .to_string(),
            "58"
        );
    }

    #[test]
    fn the_project_vocabulary_is_used() {
        let (mut store, _dir, path) =
            store_with("source,record_id,name,event\nhotline,1,A,passport_seized\n");
        let req = ImportRequest::new(&path);
        assert!(matches!(
            run(&mut store, &req, &mut ()).unwrap(),
            ImportOutcome::Rejected(_)
        ));
        store.add_event_term("passport_seized").unwrap();
        assert!(matches!(
            run(&mut store, &req, &mut ()).unwrap(),
            ImportOutcome::Imported(_)
        ));
    }
}
