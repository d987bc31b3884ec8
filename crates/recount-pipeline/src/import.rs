//! The import step: a file → validated records → the project database, all or nothing.
//!
//! Two threads share the work: this one reads, validates and prepares records (name keys,
//! content hash), a writer thread stores them in one transaction. Batches of records pass
//! between them through a bounded channel, so memory stays bounded however large the file.

use crate::PipelineError;
use foldhash::HashMap;
use recount_import::{
    ImportError, Mapping, Options, Problem, ProblemKind, Problems, RecordReader, TextEncoding,
};
use recount_names::PreparedName;
use recount_store::{
    ImportMode, ImportSummary, NameKeys, PreparedRecord, PutOutcome, SourceDeclaration,
    SourceOutcome, Store,
};
use recount_types::{Record, SourceName};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};

/// What to import and how.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    pub file: PathBuf,
    /// The source to file records under; when the file also has a `source` column, every row
    /// must name this source. `None`: the file's `source` column decides, row by row.
    pub source: Option<String>,
    /// Properties to give `source` (its dependency group, whether it contains duplicates), in
    /// the import's transaction. Needs `source`. Moving an existing source to another group
    /// is a problem unless `mode` is [`ImportMode::Update`].
    pub declare: SourceDeclaration,
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
            declare: SourceDeclaration::default(),
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

/// The name keys stored with a record for the web desk's name search: the name engine's
/// blocking keys except its Daitch–Mokotoff codes (`dm:`). The desk leaves those out of a
/// search (they would flood it with sound-alikes) and linkage computes its own keys, so storing
/// them only cost time: about a third of the rows an import writes.
pub fn name_keys(record: &Record) -> Vec<String> {
    let name = match full_name(record) {
        Some(n) => PreparedName::parse(n),
        None => PreparedName::from_parts(
            record.given_name.as_deref(),
            record.family_name.as_deref(),
            record.patronymic.as_deref(),
        ),
    };
    let mut keys = name.blocking_keys();
    keys.retain(|k| !k.starts_with("dm:"));
    keys
}

/// The `name` the keys come from, when it is not blank (else the parts are used).
fn full_name(record: &Record) -> Option<&str> {
    record.name.as_deref().filter(|n| !n.trim().is_empty())
}

/// [`name_keys`] remembered by name: lists repeat names a lot, and computing a name's keys
/// costs more than everything else the reader does with a record. Records of one name share
/// one [`NameKeys`], which also lets the store gather their postings together.
struct NameKeyCache {
    map: HashMap<String, Arc<NameKeys>>,
    /// The lookup key being built, reused between records.
    probe: String,
}

/// Names remembered at most (then the cache starts again): a few tens of MiB at most.
const NAME_CACHE: usize = 1 << 15;

impl NameKeyCache {
    fn new() -> Self {
        NameKeyCache {
            map: HashMap::default(),
            probe: String::new(),
        }
    }

    fn keys(&mut self, record: &Record) -> Arc<NameKeys> {
        // The parts that decide the keys, each with its length, so that no two differ in
        // which parts they hold and still spell the same probe.
        self.probe.clear();
        match full_name(record) {
            Some(n) => {
                let _ = write!(self.probe, "n{}:{n}", n.len());
            }
            None => {
                for part in [&record.given_name, &record.family_name, &record.patronymic] {
                    match part {
                        Some(p) => {
                            let _ = write!(self.probe, "p{}:{p}", p.len());
                        }
                        None => self.probe.push('-'),
                    }
                }
            }
        }
        if let Some(k) = self.map.get(self.probe.as_str()) {
            return k.clone();
        }
        if self.map.len() >= NAME_CACHE {
            self.map.clear();
        }
        let keys = Arc::new(NameKeys::new(name_keys(record)));
        self.map.insert(self.probe.clone(), keys.clone());
        keys
    }
}

fn mapping_problem(path: &Path, message: String) -> Problems {
    let mut ps = Problems::new(1);
    ps.push(Problem::bad_mapping(&path.display().to_string(), message));
    ps
}

fn request_problem(file: &Path, kind: ProblemKind) -> ImportOutcome {
    let mut ps = Problems::new(1);
    ps.push(Problem::request(&file.display().to_string(), kind));
    ImportOutcome::Rejected(ps)
}

/// Records per message to the writer thread.
const BATCH: usize = 1024;
/// Messages the channel holds before the reader waits for the writer.
const BATCHES_IN_FLIGHT: usize = 8;

/// What the reader tells the writer.
enum ToWriter {
    Records(Vec<PreparedRecord>),
    /// The file is read; commit when `valid` and the writer found no conflict either.
    Finish {
        valid: bool,
    },
}

/// How the writer thread ended.
enum Written {
    Committed(ImportSummary),
    /// Rolled back, with the conflicts the writer found (duplicates, changed records, a
    /// source moved to another group), in row order.
    RolledBack(Problems),
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
        return Ok(request_problem(&request.file, ProblemKind::EmptySourceName));
    }
    let declared = request.declare != SourceDeclaration::default();
    if declared && request.source.is_none() {
        return Ok(request_problem(
            &request.file,
            ProblemKind::DeclarationWithoutSource,
        ));
    }
    if let Some(group) = &request.declare.dependency_group
        && group.trim().is_empty()
    {
        return Ok(request_problem(
            &request.file,
            ProblemKind::EmptyDependencyGroup,
        ));
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
    let declaration = request
        .source
        .as_ref()
        .filter(|_| declared)
        .map(|s| (SourceName(s.clone()), request.declare.clone()));
    let limit = request.max_problems;
    let mode = request.mode;
    std::thread::scope(|scope| {
        let (to_writer, from_reader) = mpsc::sync_channel(BATCHES_IN_FLIGHT);
        // Written batches go back to the reader, which freed memory is cheaper on (it
        // allocated it) and which reuses their room.
        let (to_reader, written) = mpsc::channel();
        let writer_file = file.clone();
        let writer = scope.spawn(move || {
            write(
                store,
                &writer_file,
                mode,
                declaration,
                (from_reader, to_reader),
                limit,
            )
        });
        let read = read(reader, (&to_writer, &written), progress, limit);
        drop(to_writer);
        let written = match writer.join() {
            Ok(w) => w?,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        let read_problems = match read {
            Ok(ps) => ps,
            // The writer saw no `Finish` and rolled back.
            Err(e) => return layout_or_environment(e, limit),
        };
        Ok(match written {
            Written::Committed(summary) if read_problems.is_empty() => {
                ImportOutcome::Imported(summary)
            }
            Written::Committed(_) => unreachable!("the writer commits only a valid file"),
            Written::RolledBack(conflicts) => {
                ImportOutcome::Rejected(read_problems.merge(conflicts))
            }
        })
    })
}

/// The reader's side: rows → prepared records, sent to the writer in batches; the problems of
/// invalid rows are kept. Stops early when the writer has stopped (it failed; its error wins).
fn read(
    reader: RecordReader,
    (to_writer, written): (
        &mpsc::SyncSender<ToWriter>,
        &mpsc::Receiver<Vec<PreparedRecord>>,
    ),
    progress: &mut dyn ImportProgress,
    limit: usize,
) -> Result<Problems, ImportError> {
    let total = reader.total_bytes();
    let bytes = reader.progress();
    let mut problems = Problems::new(limit);
    let mut batch = Vec::with_capacity(BATCH);
    let mut names = NameKeyCache::new();
    for (n, row) in reader.enumerate() {
        let row = row?;
        if n % 4096 == 0 {
            progress.advance(bytes.bytes_read(), total);
        }
        match row.result {
            Ok(record) => {
                let keys = names.keys(&record);
                batch.push(PreparedRecord::with_name_keys(record, row.row, keys));
            }
            Err(ps) => ps.into_iter().for_each(|p| problems.push(p)),
        }
        if batch.len() == BATCH {
            let next = match written.try_recv() {
                Ok(mut done) => {
                    done.clear();
                    done
                }
                Err(_) => Vec::with_capacity(BATCH),
            };
            let full = std::mem::replace(&mut batch, next);
            if to_writer.send(ToWriter::Records(full)).is_err() {
                return Ok(problems);
            }
        }
    }
    progress.advance(total, total);
    if !batch.is_empty() {
        let _ = to_writer.send(ToWriter::Records(batch));
    }
    let _ = to_writer.send(ToWriter::Finish {
        valid: problems.is_empty(),
    });
    Ok(problems)
}

/// The writer's side: one transaction, committed only when the reader says the whole file was
/// valid and no record conflicted.
fn write(
    store: &mut Store,
    file: &str,
    mode: ImportMode,
    declaration: Option<(SourceName, SourceDeclaration)>,
    (from_reader, to_reader): (mpsc::Receiver<ToWriter>, mpsc::Sender<Vec<PreparedRecord>>),
    limit: usize,
) -> Result<Written, PipelineError> {
    let mut batch = store.begin_import(file, mode)?;
    let mut problems = Problems::new(limit);
    if let Some((name, declared)) = &declaration
        && let SourceOutcome::GroupConflict { stored } = batch.declare_source(name, declared)?
    {
        let requested = declared.dependency_group.as_deref().unwrap_or_default();
        problems.push(Problem::group_conflict(
            file,
            name.as_str(),
            stored.as_deref(),
            requested,
        ));
    }
    let mut valid = false;
    let mut outcomes = Vec::with_capacity(BATCH);
    for message in from_reader {
        let records = match message {
            ToWriter::Records(r) => r,
            ToWriter::Finish { valid: v } => {
                valid = v;
                break;
            }
        };
        outcomes.clear();
        batch.put_prepared_all(&records, &mut outcomes)?;
        for (prepared, outcome) in records.iter().zip(&outcomes) {
            let (record, row) = (&prepared.record, prepared.row);
            match outcome {
                PutOutcome::DuplicateInImport { first_row } => {
                    problems.push(Problem::duplicate(file, row, &record.record_id, *first_row));
                }
                PutOutcome::Changed { previous } => problems.push(Problem::changed_content(
                    file,
                    row,
                    &record.record_id,
                    record.source.as_str(),
                    &previous.file_name,
                    previous.row,
                )),
                _ => {}
            }
        }
        // The reader may have finished; then the batch is simply freed here.
        let _ = to_reader.send(records);
    }
    if valid && problems.is_empty() {
        return Ok(Written::Committed(batch.commit()?));
    }
    // Dropping the batch rolls the whole import back.
    drop(batch);
    Ok(Written::RolledBack(problems))
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
        assert_eq!(ps.shown()[0].kind().code(), "changed_content");
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
