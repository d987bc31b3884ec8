//! The project database. All SQL lives in this crate.
//!
//! One job: keep a project's sources, records, persons, links and review decisions in a database
//! that survives crashes and upgrades. Today the database is an embedded SQLite file (WAL,
//! foreign keys on); a PostgreSQL backend can later be added as a second variant of the private
//! `Db` enum without touching any caller, because callers only ever see [`Store`] and its methods.
//!
//! Main types:
//! - [`Store`]: an open project database (`create`, `open`, `open_in_memory`);
//! - [`ImportBatch`]: one import as a transaction: [`ImportBatch::put`] each record, then
//!   [`ImportBatch::commit`] or drop it to roll everything back;
//! - [`PutOutcome`]: what `put` did with a record (inserted, unchanged, updated, or a conflict);
//! - [`StoredRecord`]: a record read back with its database id and person;
//! - [`NameKeys`]: a record's name keys as the store keeps them (the desk's name search reads
//!   them from packed posting lists, one row per key and range of record ids);
//! - [`StoreError`]: everything that can go wrong, with the context a user needs.
//!
//! # Adding to the store
//! A module owns one area (records, sources, accounts, linkage): it adds `impl Store { .. }`
//! blocks in its own file and reaches the connection with `let Db::Sqlite(conn) = &self.db;`
//! (an irrefutable pattern today, which the compiler will point out everywhere once a PostgreSQL
//! variant exists). A schema change is a new file `migrations/sqlite/NNNN_name.sql` plus one line in
//! `migrations.rs`'s list. Released migration files are never edited: the store refuses a
//! database whose applied migration no longer matches its file.

pub mod accounts;
mod borrowing;
pub mod desk;
pub mod linkage;
mod migrations;
mod persons;
mod postings;
mod records;
mod sources;

pub use migrations::SCHEMA_VERSION;
pub use persons::PersonAssignment;
pub use postings::NameKeys;
pub use records::{
    ImportBatch, ImportMode, ImportSummary, PreparedRecord, PreviousVersion, PutOutcome,
    SourceDeclaration, SourceOutcome, StoredRecord,
};

use std::path::{Path, PathBuf};

/// The page size of databases [`Store::create`] makes, in bytes.
const PAGE_SIZE: i64 = 8192;

/// An open project database.
pub struct Store {
    db: Db,
}

/// The backend behind a [`Store`]. Private so that adding PostgreSQL changes no caller.
enum Db {
    Sqlite(rusqlite::Connection),
}

/// Why a store operation failed. Every variant is the environment's fault (disk, database, a
/// wrong path) or a programming error, never a record's: records are validated before they
/// reach the store, and conflicts between records come back as [`PutOutcome`]s.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    #[error("no project database at {0}; create one with `recount init --db {0}`")]
    Missing(PathBuf),
    #[error("a project database already exists at {0}")]
    AlreadyExists(PathBuf),
    #[error("cannot create a project database at {path}: the directory {dir} does not exist")]
    NoDirectory { path: PathBuf, dir: PathBuf },
    #[error(
        "the database at {path} has schema version {found}, newer than this recount knows \
         ({known}); use a newer recount"
    )]
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
    #[error(
        "migration {version} ({name}) differs from the one applied to this database; \
         released migrations must never be edited"
    )]
    MigrationEdited { version: i64, name: String },
    #[error("the database holds a value recount cannot read ({column} = {value:?}): {problem}")]
    Corrupt {
        column: &'static str,
        value: String,
        problem: String,
    },
    /// A record without a record id (the importers refuse one before it gets here).
    #[error("a record without a record_id cannot be stored")]
    EmptyRecordId,
    #[error("no source named {0:?} in the project database")]
    UnknownSource(String),
    /// An import wrote a row whose reference points at nothing (a bug: imports only write ids
    /// they looked up); the import was rolled back.
    #[error("an import wrote a {table} row ({id}) whose reference points at nothing")]
    BrokenReference { table: &'static str, id: i64 },
    #[error("{0}")]
    InvalidValue(#[from] recount_types::ValueError),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Whether `e` says another connection holds a lock the call needed.
fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e,
        rusqlite::Error::SqliteFailure(f, _)
            if matches!(f.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

impl Store {
    /// Creates a new project database file at `path` and applies every migration. Fails when a
    /// file already exists there or its directory does not.
    pub fn create(path: &Path) -> Result<Store> {
        if path.exists() {
            return Err(StoreError::AlreadyExists(path.to_owned()));
        }
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        if !dir.is_dir() {
            return Err(StoreError::NoDirectory {
                path: path.to_owned(),
                dir: dir.to_owned(),
            });
        }
        let conn = rusqlite::Connection::open(path)?;
        // 8 KiB pages (SQLite's default is 4 KiB): a bulk import writes each page to the WAL and
        // then into the file, one system call per page and per frame header, and splits pages
        // half as often; an import of a million records took about a tenth less CPU. A page
        // size is set before the first table: databases created earlier keep theirs.
        conn.pragma_update(None, "page_size", PAGE_SIZE)?;
        Self::ready(conn, &path.display().to_string())
    }

    /// Opens an existing project database and applies any migration it lacks.
    pub fn open(path: &Path) -> Result<Store> {
        if !path.is_file() {
            return Err(StoreError::Missing(path.to_owned()));
        }
        let conn = rusqlite::Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        Self::ready(conn, &path.display().to_string())
    }

    /// A fresh database in memory, for tests and one-shot runs.
    pub fn open_in_memory() -> Result<Store> {
        Self::ready(rusqlite::Connection::open_in_memory()?, ":memory:")
    }

    fn ready(conn: rusqlite::Connection, label: &str) -> Result<Store> {
        // WAL lets readers (the web desk) work while an import writes; NORMAL synchronous is
        // durable across application crashes and only risks the last commit on power loss.
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Ok(()) => {}
            // An import writing its pages once holds the project in a rollback journal (see
            // `ImportBatch::writes_pages_once`); this connection reads as it was until the
            // import commits, and the import puts the WAL back when it ends.
            Err(e) if is_busy(&e) => {}
            Err(e) => return Err(e.into()),
        }
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        // 64 MiB of page cache: big imports stay fast, memory stays bounded.
        conn.pragma_update(None, "cache_size", -65_536)?;
        let mut conn = conn;
        migrations::apply(&mut conn, label)?;
        Ok(Store {
            db: Db::Sqlite(conn),
        })
    }

    /// The schema version of this database (the number of the last migration applied).
    pub fn schema_version(&self) -> Result<i64> {
        let Db::Sqlite(conn) = &self.db;
        Ok(conn.query_row("SELECT max(version) FROM schema_version", [], |r| r.get(0))?)
    }

    /// The backend's name, for messages (`sqlite`).
    pub fn backend(&self) -> &'static str {
        match &self.db {
            Db::Sqlite(_) => "sqlite",
        }
    }
}

#[cfg(test)]
mod tests;
