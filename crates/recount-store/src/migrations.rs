//! Versioned schema migrations, embedded in the binary and applied in order on open.
//!
//! Adding a migration: write `migrations/sqlite/NNNN_name.sql` and append one line to
//! [`SQLITE`]. Never edit or reorder a released entry: each applied migration's checksum is
//! stored in `schema_version`, and opening a database whose applied migration differs fails.

use crate::{Result, StoreError};
use rusqlite::{Connection, OptionalExtension};
use sha2::{Digest, Sha256};

pub(crate) struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
    /// Whether the migration rebuilds a table that others reference: then it runs with foreign
    /// keys off (dropping the old table must not cascade), as SQLite's procedure for changing
    /// a table's definition says, and every foreign key is checked before it commits.
    pub rebuilds_tables: bool,
}

/// The SQLite migrations, in order. One line per migration file.
pub(crate) const SQLITE: &[Migration] = &[
    Migration {
        version: 1,
        name: "core",
        rebuilds_tables: false,
        sql: include_str!("../migrations/sqlite/0001_core.sql"),
    },
    Migration {
        version: 2,
        name: "accounts",
        rebuilds_tables: false,
        sql: include_str!("../migrations/sqlite/0002_accounts.sql"),
    },
    Migration {
        version: 3,
        name: "linkage",
        rebuilds_tables: false,
        sql: include_str!("../migrations/sqlite/0003_linkage.sql"),
    },
    Migration {
        version: 4,
        name: "desk_indexes",
        rebuilds_tables: false,
        sql: include_str!("../migrations/sqlite/0004_desk_indexes.sql"),
    },
    Migration {
        version: 5,
        name: "name_postings",
        rebuilds_tables: true,
        sql: include_str!("../migrations/sqlite/0005_name_postings.sql"),
    },
    Migration {
        version: 6,
        name: "event_spans",
        rebuilds_tables: false,
        sql: include_str!("../migrations/sqlite/0006_event_spans.sql"),
    },
];

/// The schema version this build creates and understands.
pub const SCHEMA_VERSION: i64 = SQLITE[SQLITE.len() - 1].version;

fn checksum(sql: &str) -> String {
    // Line endings are normalised so that a checkout with CRLF does not look like an edit.
    let digest = Sha256::digest(sql.replace("\r\n", "\n").as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn apply(conn: &mut Connection, label: &str) -> Result<()> {
    apply_through(conn, label, SCHEMA_VERSION)
}

/// Applies the migrations up to and including `last` (tests build old databases with it).
pub(crate) fn apply_through(conn: &mut Connection, label: &str, last: i64) -> Result<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_version (
            version    INTEGER PRIMARY KEY,
            name       TEXT NOT NULL,
            checksum   TEXT NOT NULL,
            applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        )",
    )?;
    let found: Option<i64> =
        conn.query_row("SELECT max(version) FROM schema_version", [], |r| r.get(0))?;
    if let Some(found) = found.filter(|v| *v > SCHEMA_VERSION) {
        return Err(StoreError::TooNew {
            path: label.to_owned(),
            found,
            known: SCHEMA_VERSION,
        });
    }
    for m in SQLITE.iter().take_while(|m| m.version <= last) {
        let applied: Option<String> = conn
            .query_row(
                "SELECT checksum FROM schema_version WHERE version = ?1",
                [m.version],
                |r| r.get(0),
            )
            .optional()?;
        match applied {
            Some(sum) if sum == checksum(m.sql) => {}
            Some(_) => {
                return Err(StoreError::MigrationEdited {
                    version: m.version,
                    name: m.name.to_owned(),
                });
            }
            None if m.rebuilds_tables => {
                let keys_on: bool = conn.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
                conn.pragma_update(None, "foreign_keys", false)?;
                let applied = run(conn, m);
                if keys_on {
                    conn.pragma_update(None, "foreign_keys", true)?;
                }
                applied?;
            }
            None => run(conn, m)?,
        }
    }
    Ok(())
}

/// Runs one migration in its own transaction, recording it in `schema_version`.
fn run(conn: &mut Connection, m: &Migration) -> Result<()> {
    let tx = conn.transaction()?;
    tx.execute_batch(m.sql)?;
    if m.rebuilds_tables {
        let broken: Option<String> = tx
            .query_row(
                "SELECT \"table\" FROM pragma_foreign_key_check LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(table) = broken {
            return Err(StoreError::Corrupt {
                column: "foreign keys",
                value: table,
                problem: format!(
                    "migration {} ({}) left a row whose reference is missing",
                    m.version, m.name
                ),
            });
        }
    }
    tx.execute(
        "INSERT INTO schema_version (version, name, checksum) VALUES (?1, ?2, ?3)",
        rusqlite::params![m.version, m.name, checksum(m.sql)],
    )?;
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_count_up_from_one_without_gaps() {
        for (i, m) in SQLITE.iter().enumerate() {
            assert_eq!(m.version, i as i64 + 1, "migration {}", m.name);
            assert!(!m.sql.trim().is_empty());
        }
    }
}
