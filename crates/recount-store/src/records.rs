//! Records: importing them as one transaction, idempotently, and reading them back.

use crate::borrowing::{BorrowingStatement, Param};
use crate::desk::{DESK_INDEXES, index_exists};
use crate::postings::{NameKeys, PendingChanges, PendingPostings};
use crate::{Db, Result, Store, StoreError};
use foldhash::HashMap;
use recount_types::{
    AgeRange, CountryCode, EventVocabulary, PersonId, Record, RecordId, SourceName,
    parse_country_list,
};
use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::sync::Arc;

/// What to do with a record whose `record_id` the source already has with different content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportMode {
    /// A changed record is a conflict ([`PutOutcome::Changed`]); nothing is replaced.
    Strict,
    /// A changed record replaces the stored one, keeping its database id.
    Update,
}

/// Where the stored version of a record came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviousVersion {
    pub file_name: String,
    pub row: u64,
}

/// What [`ImportBatch::put`] did with a record.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PutOutcome {
    /// A new record.
    Inserted(RecordId),
    /// The source already had this record with the same content; nothing changed.
    Unchanged(RecordId),
    /// The source had this record with other content, and it was replaced ([`ImportMode::Update`]).
    Updated(RecordId),
    /// The source has this record with other content and the mode is [`ImportMode::Strict`].
    Changed { previous: PreviousVersion },
    /// The same source and `record_id` came earlier in this import, at `first_row`.
    DuplicateInImport { first_row: u64 },
}

impl PutOutcome {
    /// Whether this outcome is a problem with the input (a conflict or a duplicate).
    pub fn is_conflict(&self) -> bool {
        matches!(
            self,
            PutOutcome::Changed { .. } | PutOutcome::DuplicateInImport { .. }
        )
    }
}

/// Counts of an import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub rows: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub conflicts: u64,
}

/// The properties an import declares for a source (`recount import --dependency-group`,
/// `--contains-duplicates`); `None` leaves a property as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceDeclaration {
    /// The dependency group the source belongs to.
    pub dependency_group: Option<String>,
    /// Whether the source may list one person more than once.
    pub contains_duplicates: Option<bool>,
}

/// What [`ImportBatch::declare_source`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SourceOutcome {
    /// The source is new and was created with the declared properties.
    Created,
    /// The source already had the declared properties.
    Unchanged,
    /// The source's properties were changed as declared.
    Changed,
    /// The source is in another dependency group (`None`: its own) and the mode is
    /// [`ImportMode::Strict`]; nothing was changed.
    GroupConflict { stored: Option<String> },
}

/// A record made ready for [`ImportBatch::put_prepared`]: its Records CSV v1 text, content
/// hash and name keys, computed away from the database (on another thread, say), so that the
/// writer only writes.
#[derive(Debug, Clone)]
pub struct PreparedRecord {
    pub record: Record,
    /// The row of the file it was read from.
    pub row: u64,
    pub(crate) text: TypedText,
    pub(crate) hash: [u8; 32],
    keys: Arc<NameKeys>,
}

/// The Records CSV v1 text of a record's typed fields (sex, dates, age, codes, event,
/// informant), written into one buffer: the text columns the store keeps and the content hash
/// read them, and one allocation per record is cheaper than one per field.
#[derive(Debug, Clone, Default)]
pub(crate) struct TypedText {
    buf: String,
    /// Where each typed field's text ends in `buf`, in [`TYPED`] order.
    ends: [usize; TYPED.len()],
}

/// The typed fields' columns (indexes into Records CSV v1's columns).
const TYPED: [usize; 8] = [6, 7, 10, 11, 12, 14, 15, 17];

impl TypedText {
    fn new(r: &Record) -> TypedText {
        use std::fmt::Write as _;
        let mut t = TypedText {
            buf: String::with_capacity(48),
            ends: [0; TYPED.len()],
        };
        // Each field exactly as `Record::to_csv_v1_row` writes it (their Display forms; the
        // names that Display writes are pushed as they are, without the formatting machinery).
        for (i, column) in TYPED.iter().enumerate() {
            let b = &mut t.buf;
            let _ = match column {
                6 => b.write_str(r.sex.map_or("", |v| v.as_str())),
                7 => r.birth_date.map_or(Ok(()), |v| write!(b, "{v}")),
                10 => r.age.map_or(Ok(()), |v| write!(b, "{v}")),
                11 => {
                    for (j, c) in r.citizenship.iter().enumerate() {
                        if j > 0 {
                            b.push(';');
                        }
                        b.push_str(c.as_str());
                    }
                    Ok(())
                }
                12 => b.write_str(r.origin.as_ref().map_or("", |v| v.as_str())),
                14 => b.write_str(r.event.as_ref().map_or("", |v| v.as_str())),
                15 => r.event_date.map_or(Ok(()), |v| write!(b, "{v}")),
                _ => b.write_str(r.informant.map_or("", |v| v.as_str())),
            };
            t.ends[i] = t.buf.len();
        }
        t
    }

    /// The text of the typed column `column`; empty when the field is absent.
    pub(crate) fn get(&self, column: usize) -> &str {
        let i = TYPED
            .iter()
            .position(|c| *c == column)
            .expect("a typed column");
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.buf[start..self.ends[i]]
    }
}

/// [`content_hash`] of `r`'s Records CSV v1 row, without building the row.
fn record_hash(r: &Record, typed: &TypedText) -> [u8; 32] {
    let mut h = Sha256::new();
    for column in 0..21 {
        let text: &str = match column {
            0 => r.source.as_str(),
            1 => &r.record_id,
            2 => r.name.as_deref().unwrap_or(""),
            3 => r.given_name.as_deref().unwrap_or(""),
            4 => r.family_name.as_deref().unwrap_or(""),
            5 => r.patronymic.as_deref().unwrap_or(""),
            8 => r.birth_place.as_deref().unwrap_or(""),
            9 => r.document_id.as_deref().unwrap_or(""),
            13 => r.residence.as_deref().unwrap_or(""),
            16 => r.place.as_deref().unwrap_or(""),
            18 => r.report_id.as_deref().unwrap_or(""),
            19 => r.quote.as_deref().unwrap_or(""),
            20 => r.notes.as_deref().unwrap_or(""),
            column => typed.get(column),
        };
        h.update(text.as_bytes());
        h.update([0x1f]);
    }
    h.finalize().into()
}

impl PreparedRecord {
    /// Prepares `record`, read from `row`, with the blocking keys of its name.
    pub fn new(record: Record, row: u64, name_keys: Vec<String>) -> PreparedRecord {
        Self::with_name_keys(record, row, Arc::new(NameKeys::new(name_keys)))
    }

    /// As [`PreparedRecord::new`], with keys that records of the same name may share.
    pub fn with_name_keys(record: Record, row: u64, name_keys: Arc<NameKeys>) -> PreparedRecord {
        let text = TypedText::new(&record);
        let hash = record_hash(&record, &text);
        PreparedRecord {
            record,
            row,
            text,
            hash,
            keys: name_keys,
        }
    }
}

/// One import as one transaction. Dropping it without [`ImportBatch::commit`] rolls back every
/// change, so a file with any problem leaves the database as it was.
pub struct ImportBatch<'s> {
    /// `None` once committed or rolled back.
    tx: Option<rusqlite::Transaction<'s>>,
    /// [`insert_sql`] of one record, prepared once: a record costs one run of it.
    insert: BorrowingStatement<'s>,
    /// [`insert_sql`] of [`ROWS_PER_INSERT`] records at once.
    insert_many: BorrowingStatement<'s>,
    /// The largest record id in the table: the ids a multi-row insert gives follow it.
    last_record_id: i64,
    /// [`UPDATE`], prepared when the import first replaces a record.
    update: Option<BorrowingStatement<'s>>,
    /// [`INSERT_REPORT`] and [`SELECT_REPORT`], prepared once.
    insert_report: BorrowingStatement<'s>,
    select_report: rusqlite::Statement<'s>,
    conn: &'s rusqlite::Connection,
    import_id: i64,
    file_name: String,
    mode: ImportMode,
    sources: HashMap<String, i64>,
    /// The source looked up last, with its id: records of one source come together, and
    /// comparing names is cheaper than hashing one.
    last_source: Option<(String, i64)>,
    /// The report looked up last (source id, report_id, database id): a testimony's records
    /// are usually adjacent.
    last_report: Option<(i64, String, i64)>,
    /// Report ids met in this import (source id → report_id → database id).
    reports: HashMap<i64, HashMap<String, i64>>,
    reports_held: usize,
    /// Records that existed before this import and were met in it (database id → row), so that
    /// a second occurrence is caught even when the first changed nothing.
    seen_existing: HashMap<i64, u64>,
    /// Name postings of the inserted records, not yet written.
    postings: PendingPostings,
    /// Name postings of the replaced records, not yet written.
    key_changes: PendingChanges,
    /// How many records the table held before this import (the largest id, an upper bound).
    records_before: i64,
    /// Each event term the written records name, with the first record naming it: their
    /// references to `event_terms`, checked at commit (see [`check_references`]).
    events: Vec<(String, i64)>,
    /// Changes to `record_event_spans` (migration 0006), written at commit: window length in
    /// days → records gained (or, for records replaced, lost).
    spans: BTreeMap<i64, i64>,
    /// Whether the connection enforced foreign keys before the import (then the import checks
    /// its rows at commit, and the setting comes back when it ends).
    foreign_keys: bool,
    /// Whether the import runs in the rollback journal instead of the WAL (see
    /// [`ImportBatch::writes_pages_once`]); the WAL comes back when the batch ends.
    pages_once: bool,
    /// How many of the desk's indexes this import dropped (see [`ImportBatch::defer_indexes`]).
    deferred_indexes: usize,
    summary: ImportSummary,
}

/// The page cache an import may use (KiB, as `PRAGMA cache_size` takes it when negative): the
/// tables and indexes a million-record import touches stay in memory, and memory stays bounded.
const IMPORT_CACHE_KIB: i64 = 256 * 1024;
/// The page cache outside imports (as the store opens with).
const DEFAULT_CACHE_KIB: i64 = 64 * 1024;
/// How many reports an import remembers; past it, lookups go to the database.
const REPORT_CACHE: usize = 1 << 16;
/// An import that has inserted this many records, and at least as many as the table held
/// before, drops the desk's indexes of `records` instead of adding to them record by record,
/// and leaves them to be built again by [`Store::ensure_desk_indexes`], which the desk runs
/// when it starts and after an import: sorting all entries once costs a fraction of a million
/// B-tree inserts, and a project that never opens the desk never pays for them. (The store's
/// own tests use a small figure, so that they exercise it.)
const DEFER_INDEXES_AFTER: u64 = if cfg!(test) { 100 } else { 50_000 };

/// Records per multi-row insert ([`ImportBatch::put_prepared_all`]): 30 parameters each, well
/// under SQLite's limit of 32,766 per statement.
const ROWS_PER_INSERT: usize = 32;

/// The statement that inserts `rows` records (30 parameters each), leaving any that is
/// already stored (same source and record id) as it is.
///
/// `OR IGNORE` rather than `ON CONFLICT (source_id, record_id) DO NOTHING`: the one unique key
/// of `records` besides its id is that pair, so both skip the same rows, but a statement that
/// may abort halfway (on a NOT NULL column, say) keeps a statement journal of every page it
/// changes, and one that ignores cannot abort (2% of the writer's instructions). The NOT NULL
/// columns are always bound from values the record has, so no row is ignored for them.
fn insert_sql(rows: usize) -> String {
    let row = format!("({})", ["?"; 30].join(", "));
    format!(
        "INSERT OR IGNORE INTO records (source_id, record_id, content_hash, import_id, import_row,
        name, given_name, family_name, patronymic, sex, birth_date, birth_first_day,
        birth_last_day, birth_place, document_id, age_min, age_max, citizenship, origin,
        residence, event, event_date, event_first_day, event_last_day, place, informant,
        report_id, quote, notes, name_keys)
        VALUES {}",
        vec![row; rows].join(", ")
    )
}

const INSERT_REPORT: &str = "INSERT INTO reports (source_id, report_id) VALUES (?1, ?2)
    ON CONFLICT (source_id, report_id) DO NOTHING";

const SELECT_REPORT: &str = "SELECT id FROM reports WHERE source_id = ?1 AND report_id = ?2";

const UPDATE: &str = "UPDATE records SET source_id = ?1, record_id = ?2, content_hash = ?3,
    import_id = ?4, import_row = ?5, name = ?6, given_name = ?7, family_name = ?8,
    patronymic = ?9, sex = ?10, birth_date = ?11, birth_first_day = ?12, birth_last_day = ?13,
    birth_place = ?14, document_id = ?15, age_min = ?16, age_max = ?17, citizenship = ?18,
    origin = ?19, residence = ?20, event = ?21, event_date = ?22, event_first_day = ?23,
    event_last_day = ?24, place = ?25, informant = ?26, report_id = ?27, quote = ?28, notes = ?29,
    name_keys = ?30
    WHERE id = ?31";

/// The foreign keys of the rows an import wrote, checked at commit as SQLite would have checked
/// each insert. The import binds few distinct references, and knows them: the sources it looked
/// up (`sources`, which the new reports name too), its own `imports` row, and the event terms
/// in `events` (read from the vocabulary before the import began, so a term removed since then
/// is caught here). So the check looks each of them up once instead of scanning every row it
/// wrote. The records' report ids need no check: each was read from, or inserted into,
/// `reports` inside this transaction, which no import deletes from.
fn check_references(
    tx: &rusqlite::Transaction<'_>,
    import_id: i64,
    sources: impl Iterator<Item = i64>,
    events: &[(String, i64)],
) -> Result<()> {
    let exists = |sql: &str, param: &dyn rusqlite::ToSql| -> Result<bool> {
        Ok(tx
            .prepare_cached(sql)?
            .query_row([param], |_| Ok(()))
            .optional()?
            .is_some())
    };
    for (term, first) in events {
        if !exists("SELECT 1 FROM event_terms WHERE term = ?1", term)? {
            return Err(StoreError::BrokenReference {
                table: "records",
                id: *first,
            });
        }
    }
    for source in sources {
        if !exists("SELECT 1 FROM sources WHERE id = ?1", &source)? {
            // Which row names it is only looked up when the check fails.
            let id: Option<i64> = tx
                .query_row(
                    "SELECT max(id) FROM records WHERE source_id = ?1 AND import_id = ?2",
                    [source, import_id],
                    |r| r.get(0),
                )
                .optional()?
                .flatten();
            return Err(StoreError::BrokenReference {
                table: "records",
                id: id.unwrap_or(0),
            });
        }
    }
    if !exists("SELECT 1 FROM imports WHERE id = ?1", &import_id)? {
        return Err(StoreError::BrokenReference {
            table: "records",
            id: 0,
        });
    }
    Ok(())
}

/// A record's values for [`insert_sql`] or [`UPDATE`] (parameters 1 to 30), borrowed from it:
/// the statement runs at once, and SQLite reads them in place.
fn record_params<'a>(
    prepared: &'a PreparedRecord,
    source_id: i64,
    import_id: i64,
    report_id: Option<i64>,
) -> [Param<'a>; 30] {
    fn typed(text: &TypedText, column: usize) -> Param<'_> {
        let s = text.get(column);
        if s.is_empty() {
            Param::Null
        } else {
            Param::Text(s)
        }
    }
    let PreparedRecord {
        record: r,
        row,
        text,
        hash,
        keys,
    } = prepared;
    let day = |d: Option<i32>| Param::from(d.map(i64::from));
    [
        Param::Int(source_id),
        Param::Text(&r.record_id),
        Param::Blob(&hash[..]),
        Param::Int(import_id),
        Param::Int(*row as i64),
        (&r.name).into(),
        (&r.given_name).into(),
        (&r.family_name).into(),
        (&r.patronymic).into(),
        typed(text, 6),
        typed(text, 7),
        day(r.birth_date.map(|d| d.first_day())),
        day(r.birth_date.map(|d| d.last_day())),
        (&r.birth_place).into(),
        (&r.document_id).into(),
        r.age.map(|a| i64::from(a.min())).into(),
        r.age.map(|a| i64::from(a.max())).into(),
        typed(text, 11),
        typed(text, 12),
        (&r.residence).into(),
        typed(text, 14),
        typed(text, 15),
        day(r.event_date.map(|d| d.first_day())),
        day(r.event_date.map(|d| d.last_day())),
        (&r.place).into(),
        typed(text, 17),
        report_id.into(),
        (&r.quote).into(),
        (&r.notes).into(),
        keys.stored().into(),
    ]
}

/// SHA-256 of the record's 21 Records CSV v1 values in column order, each followed by 0x1F.
/// Stored with the record; never change how it is computed without a migration. Imports
/// compute it with [`record_hash`], which must agree with this definition (a test checks).
#[cfg(test)]
pub(crate) fn content_hash(row: &[String; 21]) -> [u8; 32] {
    let mut h = Sha256::new();
    for v in row {
        h.update(v.as_bytes());
        h.update([0x1f]);
    }
    h.finalize().into()
}

/// Moves the project from the WAL to a rollback journal for an import, when no other
/// connection has it open; says whether it did.
///
/// In WAL mode every page an import writes goes to the WAL, and at commit the checkpoint copies
/// it into the database file: twice the writing, most of a large import's commit. With a
/// rollback journal, pages appended to the file are written once, and only the pages that
/// existed before (a few, for an import into a large project) are journaled. A million records
/// imported 10-25% faster (`cargo bench -p recount-pipeline --bench import`, alternated runs).
/// `synchronous = FULL` keeps the commit as durable as the WAL's; the journal is small, so its
/// extra syncs cost little.
///
/// The price is concurrency, so it is only paid when nobody is there to pay it: SQLite refuses
/// to leave WAL mode while another connection has the database open (the desk's pool keeps one
/// open), and then the import runs in the WAL as before. A connection opened during such an
/// import reads the project as it was until the import commits (see `Store::open`); its writes
/// wait for the import. [`ImportBatch`]'s drop puts the WAL back, and so does every open.
fn write_pages_once(conn: &rusqlite::Connection) -> Result<bool> {
    match conn.query_row("PRAGMA journal_mode = TRUNCATE", [], |r| {
        r.get::<_, String>(0)
    }) {
        Ok(mode) if mode.eq_ignore_ascii_case("truncate") => {
            if let Err(e) = conn.pragma_update(None, "synchronous", "FULL") {
                let _ = conn.pragma_update(None, "journal_mode", "WAL");
                return Err(e.into());
            }
            Ok(true)
        }
        // A database in memory keeps its journal.
        Ok(_) => Ok(false),
        Err(e) if crate::is_busy(&e) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

impl Store {
    /// Starts an import of the file `file_name` (its name only is stored, as provenance).
    pub fn begin_import(&mut self, file_name: &str, mode: ImportMode) -> Result<ImportBatch<'_>> {
        let Db::Sqlite(conn) = &mut self.db;
        let conn: &rusqlite::Connection = conn;
        // Foreign keys are checked once at commit, over the references this import wrote,
        // instead of by every insert (a sixth of the writing). The setting cannot change inside a
        // transaction, so it changes here and comes back when the batch ends.
        let foreign_keys: bool = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
        let pages_once = write_pages_once(conn)?;
        let started = start_import(conn, file_name, mode, foreign_keys, pages_once);
        if started.is_err() {
            // The batch that would have put the settings back does not exist.
            restore_settings(conn, foreign_keys, pages_once);
        }
        started
    }
}

/// The import's settings and transaction, as [`Store::begin_import`] starts them.
fn start_import<'s>(
    conn: &'s rusqlite::Connection,
    file_name: &str,
    mode: ImportMode,
    foreign_keys: bool,
    pages_once: bool,
) -> Result<ImportBatch<'s>> {
    conn.pragma_update(None, "cache_size", -IMPORT_CACHE_KIB)?;
    conn.pragma_update(None, "foreign_keys", false)?;
    // The CHECK constraints of `records` restate what the record's types guarantee (a sex, an
    // age range, a country code, an informant are valid by construction; a record id's
    // emptiness is checked in `ImportBatch::references`), and evaluating them was a twentieth
    // of the writer's instructions.
    conn.pragma_update(None, "ignore_check_constraints", true)?;
    // `&mut Store` guarantees no other transaction is open on this connection.
    let tx = rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Deferred)?;
    tx.execute("INSERT INTO imports (file_name) VALUES (?1)", [file_name])?;
    let import_id = tx.last_insert_rowid();
    let max_id: i64 = tx.query_row("SELECT coalesce(max(id), 0) FROM records", [], |r| r.get(0))?;
    Ok(ImportBatch {
        tx: Some(tx),
        insert: BorrowingStatement::prepare(conn, &insert_sql(1))?,
        insert_many: BorrowingStatement::prepare(conn, &insert_sql(ROWS_PER_INSERT))?,
        last_record_id: max_id,
        update: None,
        insert_report: BorrowingStatement::prepare(conn, INSERT_REPORT)?,
        select_report: conn.prepare(SELECT_REPORT)?,
        conn,
        import_id,
        file_name: file_name.to_owned(),
        mode,
        sources: HashMap::default(),
        last_source: None,
        last_report: None,
        reports: HashMap::default(),
        reports_held: 0,
        seen_existing: HashMap::default(),
        postings: PendingPostings::new(max_id),
        key_changes: PendingChanges::default(),
        records_before: max_id,
        events: Vec::new(),
        spans: BTreeMap::new(),
        foreign_keys,
        deferred_indexes: 0,
        pages_once,
        summary: ImportSummary::default(),
    })
}

/// Puts back what an import changed in the connection's settings. A failure here cannot be
/// reported and changes nothing stored (every open sets the journal mode again).
fn restore_settings(conn: &rusqlite::Connection, foreign_keys: bool, pages_once: bool) {
    let _ = conn.pragma_update(None, "cache_size", -DEFAULT_CACHE_KIB);
    let _ = conn.pragma_update(None, "ignore_check_constraints", false);
    if pages_once {
        let _ = conn.pragma_update(None, "journal_mode", "WAL");
        let _ = conn.pragma_update(None, "synchronous", "NORMAL");
    }
    if foreign_keys {
        let _ = conn.pragma_update(None, "foreign_keys", true);
    }
}

impl Drop for ImportBatch<'_> {
    fn drop(&mut self) {
        // Not committed: roll back. Either way the connection gets its usual settings back; a
        // failure here cannot be reported and changes nothing stored.
        if let Some(tx) = self.tx.take() {
            let _ = tx.rollback();
        }
        restore_settings(self.conn, self.foreign_keys, self.pages_once);
    }
}

impl ImportBatch<'_> {
    fn tx(&self) -> &rusqlite::Transaction<'_> {
        // Only `commit` and `drop` take the transaction, and both consume the batch.
        self.tx.as_ref().expect("an open import transaction")
    }

    fn source_id(&mut self, name: &SourceName) -> Result<i64> {
        if let Some((last, id)) = &self.last_source
            && last == name.as_str()
        {
            return Ok(*id);
        }
        if let Some(id) = self.sources.get(name.as_str()) {
            self.last_source = Some((name.0.clone(), *id));
            return Ok(*id);
        }
        self.tx().execute(
            "INSERT INTO sources (name) VALUES (?1) ON CONFLICT (name) DO NOTHING",
            [name.as_str()],
        )?;
        let id: i64 = self.tx().query_row(
            "SELECT id FROM sources WHERE name = ?1",
            [name.as_str()],
            |r| r.get(0),
        )?;
        self.sources.insert(name.0.clone(), id);
        Ok(id)
    }

    /// Gives the source `name` the declared properties, creating it if needed, in this
    /// import's transaction (so a refused import leaves the source as it was). Moving an
    /// existing source to another dependency group is a conflict unless the mode is
    /// [`ImportMode::Update`]; marking it as containing duplicates is always allowed.
    pub fn declare_source(
        &mut self,
        name: &SourceName,
        declared: &SourceDeclaration,
    ) -> Result<SourceOutcome> {
        let stored: Option<(i64, Option<String>, bool)> = self
            .tx()
            .query_row(
                "SELECT id, dependency_group, contains_duplicates FROM sources WHERE name = ?1",
                [name.as_str()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((id, group, duplicates)) = stored else {
            self.tx().execute(
                "INSERT INTO sources (name, dependency_group, contains_duplicates)
                 VALUES (?1, ?2, ?3)",
                params![
                    name.as_str(),
                    declared.dependency_group,
                    declared.contains_duplicates.unwrap_or(false)
                ],
            )?;
            let id = self.tx().last_insert_rowid();
            self.sources.insert(name.0.clone(), id);
            return Ok(SourceOutcome::Created);
        };
        let new_group = declared.dependency_group.clone().or(group.clone());
        let new_duplicates = declared.contains_duplicates.unwrap_or(duplicates);
        if new_group == group && new_duplicates == duplicates {
            return Ok(SourceOutcome::Unchanged);
        }
        if new_group != group && self.mode == ImportMode::Strict {
            return Ok(SourceOutcome::GroupConflict { stored: group });
        }
        self.tx().execute(
            "UPDATE sources SET dependency_group = ?2, contains_duplicates = ?3 WHERE id = ?1",
            params![id, new_group, new_duplicates],
        )?;
        Ok(SourceOutcome::Changed)
    }

    fn report_id(&mut self, source_id: i64, report: Option<&str>) -> Result<Option<i64>> {
        let Some(report) = report else {
            return Ok(None);
        };
        if let Some((source, last, id)) = &self.last_report
            && *source == source_id
            && last == report
        {
            return Ok(Some(*id));
        }
        let id = self.look_up_report(source_id, report)?;
        match &mut self.last_report {
            Some((source, last, last_id)) => {
                *source = source_id;
                last.clear();
                last.push_str(report);
                *last_id = id;
            }
            None => self.last_report = Some((source_id, report.to_owned(), id)),
        }
        Ok(Some(id))
    }

    /// The database id of `report` of source `source_id`, inserted if new.
    fn look_up_report(&mut self, source_id: i64, report: &str) -> Result<i64> {
        if let Some(id) = self.reports.get(&source_id).and_then(|m| m.get(report)) {
            return Ok(*id);
        }
        // A report met for the first time is usually new: try to insert it first.
        let inserted = self
            .insert_report
            .execute(&[Param::Int(source_id), Param::Text(report)])?;
        let id = if inserted == 1 {
            self.conn.last_insert_rowid()
        } else {
            self.select_report
                .query_row(params![source_id, report], |r| r.get(0))?
        };
        // Reports repeat close together (a testimony's records are usually adjacent): when the
        // cache is full it starts again rather than keep the first reports met.
        self.reports_held += 1;
        if self.reports_held > REPORT_CACHE {
            self.reports.clear();
            self.reports_held = 1;
        }
        self.reports
            .entry(source_id)
            .or_default()
            .insert(report.to_owned(), id);
        Ok(id)
    }

    /// Stores `record`, read from `row` of the file, with the blocking keys of its name.
    /// Conflicts come back as outcomes, not errors; the caller decides whether to commit.
    pub fn put(&mut self, record: &Record, row: u64, name_keys: &[String]) -> Result<PutOutcome> {
        self.put_prepared(&PreparedRecord::new(
            record.clone(),
            row,
            name_keys.to_vec(),
        ))
    }

    /// Stores a prepared record: as [`ImportBatch::put`], with the preparation done already.
    pub fn put_prepared(&mut self, prepared: &PreparedRecord) -> Result<PutOutcome> {
        let (source_id, report_id) = self.references(prepared)?;
        let inserted = self.insert.execute(&record_params(
            prepared,
            source_id,
            self.import_id,
            report_id,
        ))?;
        if inserted == 1 {
            let id = self.conn.last_insert_rowid();
            return self.after_insert(prepared, id);
        }
        self.not_inserted(prepared, source_id, report_id)
    }

    /// Stores prepared records, as [`ImportBatch::put_prepared`] one after another would, and
    /// appends their outcomes to `outcomes` in the same order. Records go to SQLite
    /// [`ROWS_PER_INSERT`] to a statement: one statement run per record was a tenth of the
    /// writer's instructions (starting, halting and resetting the program, opening cursors,
    /// finding the table's last row), and those costs are paid once per statement.
    pub fn put_prepared_all(
        &mut self,
        records: &[PreparedRecord],
        outcomes: &mut Vec<PutOutcome>,
    ) -> Result<()> {
        let mut chunks = records.chunks_exact(ROWS_PER_INSERT);
        let mut params: Vec<Param<'_>> = Vec::with_capacity(ROWS_PER_INSERT * 30);
        let mut references = Vec::with_capacity(ROWS_PER_INSERT);
        for chunk in &mut chunks {
            params.clear();
            references.clear();
            for prepared in chunk {
                let (source_id, report_id) = self.references(prepared)?;
                params.extend(record_params(
                    prepared,
                    source_id,
                    self.import_id,
                    report_id,
                ));
                references.push((source_id, report_id));
            }
            let before = self.last_record_id;
            let inserted = self.insert_many.execute(&params)?;
            // Rows inserted by one statement get consecutive ids after the table's largest,
            // in the statement's order: when all were inserted, their ids are known.
            if inserted == chunk.len()
                && self.conn.last_insert_rowid() == before + chunk.len() as i64
            {
                for (prepared, id) in chunk.iter().zip(before + 1..) {
                    outcomes.push(self.after_insert(prepared, id)?);
                }
                continue;
            }
            // Some rows were already stored (a re-import, or a record id twice in the chunk):
            // the rows this statement inserted, in id order, are matched to the chunk's records
            // in order; the others are handled as `put_prepared` handles a conflict.
            let new_rows = self.rows_after(before)?;
            let mut new_rows = new_rows.iter().peekable();
            for (prepared, (source_id, report_id)) in chunk.iter().zip(&references) {
                let record_id = &prepared.record.record_id;
                match new_rows.next_if(|(_, s, r)| s == source_id && r == record_id) {
                    Some((id, _, _)) => outcomes.push(self.after_insert(prepared, *id)?),
                    None => outcomes.push(self.not_inserted(prepared, *source_id, *report_id)?),
                }
            }
        }
        for prepared in chunks.remainder() {
            outcomes.push(self.put_prepared(prepared)?);
        }
        Ok(())
    }

    /// The records with an id above `id` (source id and record id), in id order.
    fn rows_after(&self, id: i64) -> Result<Vec<(i64, i64, String)>> {
        let rows = self
            .tx()
            .prepare_cached(
                "SELECT id, source_id, record_id FROM records WHERE id > ?1 ORDER BY id",
            )?
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Checks what no CHECK does during an import, counts the row, and finds (or creates) the
    /// record's source and report.
    fn references(&mut self, prepared: &PreparedRecord) -> Result<(i64, Option<i64>)> {
        // The one CHECK of `records` that no type guarantees, and imports skip the CHECKs.
        if prepared.record.record_id.is_empty() {
            return Err(StoreError::EmptyRecordId);
        }
        self.summary.rows += 1;
        let source_id = self.source_id(&prepared.record.source)?;
        let report_id = self.report_id(source_id, prepared.record.report_id.as_deref())?;
        Ok((source_id, report_id))
    }

    /// Notes a record just inserted as `id`: its event, window, name postings, the count.
    fn after_insert(&mut self, prepared: &PreparedRecord, id: i64) -> Result<PutOutcome> {
        let tx = self.tx.as_ref().expect("an open import transaction");
        let record = &prepared.record;
        self.last_record_id = self.last_record_id.max(id);
        note_event(&mut self.events, record, id);
        count_span(&mut self.spans, event_span(record), 1);
        self.postings.add(tx, id, &prepared.keys)?;
        self.summary.inserted += 1;
        if self.summary.inserted
            == DEFER_INDEXES_AFTER.max(u64::try_from(self.records_before).unwrap_or(0))
        {
            self.defer_indexes()?;
        }
        Ok(PutOutcome::Inserted(RecordId(id)))
    }

    /// A record whose `(source_id, record_id)` was already stored: a duplicate in this
    /// import, the same content again, or a changed record (replaced only in update mode).
    fn not_inserted(
        &mut self,
        prepared: &PreparedRecord,
        source_id: i64,
        report_id: Option<i64>,
    ) -> Result<PutOutcome> {
        let tx = self.tx.as_ref().expect("an open import transaction");
        let PreparedRecord {
            record,
            row,
            hash,
            keys,
            ..
        } = prepared;
        let (id, stored_hash, import_id, import_row, stored_span): (
            i64,
            Vec<u8>,
            i64,
            i64,
            Option<i64>,
        ) = tx
            .prepare_cached(
                "SELECT id, content_hash, import_id, import_row, event_last_day - event_first_day
                 FROM records WHERE source_id = ?1 AND record_id = ?2",
            )?
            .query_row(params![source_id, record.record_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?;
        if import_id == self.import_id {
            self.summary.conflicts += 1;
            return Ok(PutOutcome::DuplicateInImport {
                first_row: import_row as u64,
            });
        }
        if let Some(first_row) = self.seen_existing.get(&id) {
            self.summary.conflicts += 1;
            return Ok(PutOutcome::DuplicateInImport {
                first_row: *first_row,
            });
        }
        self.seen_existing.insert(id, *row);
        if stored_hash == hash[..] {
            self.summary.unchanged += 1;
            return Ok(PutOutcome::Unchanged(RecordId(id)));
        }
        if self.mode == ImportMode::Strict {
            let file_name: String = tx.query_row(
                "SELECT file_name FROM imports WHERE id = ?1",
                [import_id],
                |r| r.get(0),
            )?;
            self.summary.conflicts += 1;
            return Ok(PutOutcome::Changed {
                previous: PreviousVersion {
                    file_name,
                    row: import_row as u64,
                },
            });
        }
        let old_keys = crate::postings::record_keys(tx, id)?;
        let mut params = [Param::Null; 31];
        params[..30].copy_from_slice(&record_params(
            prepared,
            source_id,
            self.import_id,
            report_id,
        ));
        params[30] = Param::Int(id);
        let update = match &mut self.update {
            Some(u) => u,
            None => self
                .update
                .insert(BorrowingStatement::prepare(self.conn, UPDATE)?),
        };
        update.execute(&params)?;
        note_event(&mut self.events, record, id);
        count_span(&mut self.spans, stored_span, -1);
        count_span(&mut self.spans, event_span(record), 1);
        self.key_changes.replace(id, &old_keys, keys.keys());
        self.summary.updated += 1;
        Ok(PutOutcome::Updated(RecordId(id)))
    }

    /// Drops the desk's indexes of `records` ([`DESK_INDEXES`]). Inside the transaction: an
    /// import rolled back leaves them as they were, and readers keep seeing them until the
    /// import commits.
    fn defer_indexes(&mut self) -> Result<()> {
        let tx = self.tx.as_ref().expect("an open import transaction");
        for (name, _) in DESK_INDEXES {
            if index_exists(tx, name)? {
                tx.execute_batch(&format!("DROP INDEX {name}"))?;
                self.deferred_indexes += 1;
            }
        }
        Ok(())
    }

    #[cfg(test)]
    pub(crate) fn deferred_index_count(&self) -> usize {
        self.deferred_indexes
    }

    /// Whether this import writes each page once, in a rollback journal, rather than to the WAL
    /// and again at the checkpoint: it does when no other connection had the project open.
    pub fn writes_pages_once(&self) -> bool {
        self.pages_once
    }

    /// The counts so far.
    pub fn summary(&self) -> ImportSummary {
        self.summary
    }

    /// The name of the file being imported.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// Makes the import permanent.
    pub fn commit(mut self) -> Result<ImportSummary> {
        let s = self.summary;
        let tx = self.tx.take().expect("an open import transaction");
        self.postings.flush(&tx)?;
        self.key_changes.apply(&tx)?;
        write_spans(&tx, &self.spans)?;
        if self.foreign_keys {
            check_references(
                &tx,
                self.import_id,
                self.sources.values().copied(),
                &self.events,
            )?;
        }
        tx.execute(
            "UPDATE imports SET rows = ?2, inserted = ?3, updated = ?4, unchanged = ?5 WHERE id = ?1",
            params![self.import_id, s.rows as i64, s.inserted as i64, s.updated as i64, s.unchanged as i64],
        )?;
        tx.commit()?;
        Ok(s)
    }
}

/// The length of `record`'s event window in days (as `event_last_day - event_first_day`).
fn event_span(record: &Record) -> Option<i64> {
    record
        .event_date
        .map(|d| i64::from(d.last_day()) - i64::from(d.first_day()))
}

/// Notes one record more (`change` 1) or less (-1) with an event window of `span` days.
fn count_span(spans: &mut BTreeMap<i64, i64>, span: Option<i64>, change: i64) {
    if let Some(span) = span {
        *spans.entry(span).or_default() += change;
    }
}

/// Adds an import's changes to the record count per event window length, deleting the lengths
/// no record has any more.
fn write_spans(tx: &rusqlite::Transaction<'_>, spans: &BTreeMap<i64, i64>) -> Result<()> {
    for (span, change) in spans.iter().filter(|(_, c)| **c != 0) {
        let stored: i64 = tx
            .prepare_cached("SELECT records FROM record_event_spans WHERE span = ?1")?
            .query_row([span], |r| r.get(0))
            .optional()?
            .unwrap_or(0);
        let records = stored + change;
        if records == 0 {
            tx.prepare_cached("DELETE FROM record_event_spans WHERE span = ?1")?
                .execute([span])?;
        } else {
            // A count below zero fails the table's check: the import is rolled back.
            tx.prepare_cached(
                "INSERT INTO record_event_spans (span, records) VALUES (?1, ?2)
                 ON CONFLICT (span) DO UPDATE SET records = excluded.records",
            )?
            .execute([*span, records])?;
        }
    }
    Ok(())
}

/// Notes that the written record `id` names its event term, unless an earlier one did.
fn note_event(events: &mut Vec<(String, i64)>, record: &Record, id: i64) {
    let Some(term) = &record.event else {
        return;
    };
    // A vocabulary has a handful of terms: a scan beats hashing.
    if !events.iter().any(|(t, _)| t == term.as_str()) {
        events.push((term.as_str().to_owned(), id));
    }
}

/// A record read back from the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRecord {
    pub id: RecordId,
    pub record: Record,
    /// The person linkage put this record in, if any.
    pub person: Option<PersonId>,
}

const SELECT: &str = "SELECT r.id, s.name, r.record_id, r.name, r.given_name, r.family_name,
    r.patronymic, r.sex, r.birth_date, r.birth_place, r.document_id, r.age_min, r.age_max,
    r.citizenship, r.origin, r.residence, r.event, r.event_date, r.place, r.informant,
    rep.report_id, r.quote, r.notes, p.person_id
    FROM records r JOIN sources s ON s.id = r.source_id
    LEFT JOIN reports rep ON rep.id = r.report_id
    LEFT JOIN person_records p ON p.record_id = r.id";

fn corrupt(column: &'static str, value: &str, problem: impl ToString) -> StoreError {
    StoreError::Corrupt {
        column,
        value: value.to_owned(),
        problem: problem.to_string(),
    }
}

fn parse<T: std::str::FromStr>(column: &'static str, v: Option<String>) -> Result<Option<T>>
where
    T::Err: ToString,
{
    v.map(|s| s.parse::<T>().map_err(|e| corrupt(column, &s, e)))
        .transpose()
}

fn read_row(r: &rusqlite::Row<'_>, vocab: &EventVocabulary) -> Result<StoredRecord> {
    let mut rec = Record::new(r.get::<_, String>(1)?, r.get::<_, String>(2)?);
    rec.name = r.get(3)?;
    rec.given_name = r.get(4)?;
    rec.family_name = r.get(5)?;
    rec.patronymic = r.get(6)?;
    rec.sex = parse("records.sex", r.get(7)?)?;
    rec.birth_date = parse("records.birth_date", r.get(8)?)?;
    rec.birth_place = r.get(9)?;
    rec.document_id = r.get(10)?;
    let (lo, hi): (Option<u8>, Option<u8>) = (r.get(11)?, r.get(12)?);
    rec.age = match (lo, hi) {
        (Some(lo), Some(hi)) => Some(
            AgeRange::new(lo, hi)
                .ok_or_else(|| corrupt("records.age", &format!("{lo}-{hi}"), "not an age range"))?,
        ),
        _ => None,
    };
    if let Some(c) = r.get::<_, Option<String>>(13)? {
        rec.citizenship =
            parse_country_list(&c).map_err(|e| corrupt("records.citizenship", &c, e))?;
    }
    rec.origin = parse::<CountryCode>("records.origin", r.get(14)?)?;
    rec.residence = r.get(15)?;
    if let Some(e) = r.get::<_, Option<String>>(16)? {
        rec.event = Some(
            vocab
                .term(&e)
                .map_err(|err| corrupt("records.event", &e, err))?,
        );
    }
    rec.event_date = parse("records.event_date", r.get(17)?)?;
    rec.place = r.get(18)?;
    rec.informant = parse("records.informant", r.get(19)?)?;
    rec.report_id = r.get(20)?;
    rec.quote = r.get(21)?;
    rec.notes = r.get(22)?;
    Ok(StoredRecord {
        id: RecordId(r.get(0)?),
        record: rec,
        person: r.get::<_, Option<i64>>(23)?.map(PersonId),
    })
}

impl Store {
    /// How many records the project holds.
    pub fn record_count(&self) -> Result<u64> {
        let Db::Sqlite(conn) = &self.db;
        let n: i64 = conn.query_row("SELECT count(*) FROM records", [], |r| r.get(0))?;
        Ok(n as u64)
    }

    /// Calls `f` with every record, ordered by source name and then import order, streaming
    /// (memory stays bounded however many records there are).
    pub fn for_each_record<E: From<StoreError>>(
        &self,
        mut f: impl FnMut(StoredRecord) -> Result<(), E>,
    ) -> Result<(), E> {
        let vocab = self.event_vocabulary()?;
        let Db::Sqlite(conn) = &self.db;
        let mut stmt = conn
            .prepare(&format!("{SELECT} ORDER BY s.name, r.id"))
            .map_err(StoreError::from)?;
        let mut rows = stmt.query([]).map_err(StoreError::from)?;
        while let Some(row) = rows.next().map_err(StoreError::from)? {
            f(read_row(row, &vocab)?)?;
        }
        Ok(())
    }

    /// Every record, ordered by source name and then import order.
    pub fn records(&self) -> Result<Vec<StoredRecord>> {
        let mut out = Vec::new();
        self.for_each_record(|r| {
            out.push(r);
            Ok::<_, StoreError>(())
        })?;
        Ok(out)
    }

    /// The record a source gave `record_id`, if stored.
    pub fn record(&self, source: &str, record_id: &str) -> Result<Option<StoredRecord>> {
        let vocab = self.event_vocabulary()?;
        let Db::Sqlite(conn) = &self.db;
        let mut stmt = conn.prepare(&format!("{SELECT} WHERE s.name = ?1 AND r.record_id = ?2"))?;
        let mut rows = stmt.query([source, record_id])?;
        match rows.next()? {
            Some(row) => Ok(Some(read_row(row, &vocab)?)),
            None => Ok(None),
        }
    }

    /// The blocking keys stored for a record's name, sorted.
    pub fn name_keys(&self, record: RecordId) -> Result<Vec<String>> {
        let Db::Sqlite(conn) = &self.db;
        crate::postings::record_keys(conn, record.0)
    }
}
