//! A prepared SQLite statement that binds borrowed values without copying them.
//!
//! rusqlite binds every text and blob as `SQLITE_TRANSIENT`: SQLite copies each value into a
//! buffer of its own before the statement runs. An import binds some thirty values per record
//! and runs the statement at once, so the copies bought nothing; binding, copying and freeing
//! them was a fifth of the writer thread's instructions (callgrind, 100,000 records).
//! [`BorrowingStatement::execute`] binds with `SQLITE_STATIC` instead. That is sound because
//! the values are borrowed for the whole call, and every call binds every parameter that holds
//! a pointer before it steps: a pointer left bound after a call is never read, only replaced
//! (clearing the bindings after each run cost 5% of the statement's instructions, and bought
//! nothing).

#![allow(unsafe_code)]

use rusqlite::ffi;
use std::ffi::{c_char, c_int};
use std::marker::PhantomData;
use std::ptr::NonNull;

/// One value to bind.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Param<'a> {
    Null,
    Int(i64),
    Text(&'a str),
    Blob(&'a [u8]),
}

impl<'a> From<Option<&'a str>> for Param<'a> {
    fn from(v: Option<&'a str>) -> Self {
        v.map_or(Param::Null, Param::Text)
    }
}

impl<'a> From<&'a Option<String>> for Param<'a> {
    fn from(v: &'a Option<String>) -> Self {
        v.as_deref().into()
    }
}

impl From<Option<i64>> for Param<'_> {
    fn from(v: Option<i64>) -> Self {
        v.map_or(Param::Null, Param::Int)
    }
}

/// What a parameter of a [`BorrowingStatement`] holds between runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bound {
    Null,
    Int(i64),
    /// A pointer into a previous run's values (or unknown, after a failed bind): bound anew.
    Borrowed,
}

/// A statement prepared on a connection it cannot outlive; finalized when dropped.
pub(crate) struct BorrowingStatement<'c> {
    stmt: NonNull<ffi::sqlite3_stmt>,
    db: *mut ffi::sqlite3,
    /// What each parameter holds now. A NULL or an integer that the next run binds again is
    /// left as it is: a third of an import's values are NULL from one record to the next, and
    /// the import and source ids rarely change (binding them was 3% of the writer's
    /// instructions). A borrowed text or blob is always bound anew.
    bound: Vec<Bound>,
    _conn: PhantomData<&'c rusqlite::Connection>,
}

/// The connection's error for `code`, as rusqlite reports errors.
///
/// # Safety
/// `db` is an open connection.
unsafe fn error(db: *mut ffi::sqlite3, code: c_int) -> rusqlite::Error {
    // SAFETY: `db` is open; SQLite returns a NUL-terminated message it owns (or NULL).
    let message = unsafe {
        let m = ffi::sqlite3_errmsg(db);
        (!m.is_null()).then(|| std::ffi::CStr::from_ptr(m).to_string_lossy().into_owned())
    };
    rusqlite::Error::SqliteFailure(ffi::Error::new(code), message)
}

fn too_long(len: usize) -> rusqlite::Error {
    rusqlite::Error::SqliteFailure(
        ffi::Error::new(ffi::SQLITE_TOOBIG),
        Some(format!("a value of {len} bytes is too long to bind")),
    )
}

impl<'c> BorrowingStatement<'c> {
    /// Prepares `sql` (one statement) on `conn`, to be run many times.
    pub(crate) fn prepare(
        conn: &'c rusqlite::Connection,
        sql: &str,
    ) -> Result<Self, rusqlite::Error> {
        let len = c_int::try_from(sql.len()).map_err(|_| too_long(sql.len()))?;
        // SAFETY: the handle is valid while `conn` is borrowed, which `'c` guarantees; SQLite
        // reads `len` bytes of `sql` and writes the new statement (or NULL) into `stmt`.
        unsafe {
            let db = conn.handle();
            let mut stmt = std::ptr::null_mut();
            let code = ffi::sqlite3_prepare_v3(
                db,
                sql.as_ptr().cast::<c_char>(),
                len,
                ffi::SQLITE_PREPARE_PERSISTENT,
                &mut stmt,
                std::ptr::null_mut(),
            );
            if code != ffi::SQLITE_OK {
                return Err(error(db, code));
            }
            let stmt = NonNull::new(stmt).ok_or_else(|| {
                rusqlite::Error::SqliteFailure(
                    ffi::Error::new(ffi::SQLITE_MISUSE),
                    Some("an empty statement".to_owned()),
                )
            })?;
            let parameters = ffi::sqlite3_bind_parameter_count(stmt.as_ptr()) as usize;
            Ok(BorrowingStatement {
                stmt,
                db,
                // A prepared statement's parameters start as NULL.
                bound: vec![Bound::Null; parameters],
                _conn: PhantomData,
            })
        }
    }

    /// Binds `params` to parameters 1, 2, ... (all of them), runs the statement to completion
    /// and returns how many rows it changed.
    pub(crate) fn execute(&mut self, params: &[Param<'_>]) -> Result<usize, rusqlite::Error> {
        if params.len() != self.bound.len() {
            return Err(rusqlite::Error::InvalidParameterCount(
                params.len(),
                self.bound.len(),
            ));
        }
        let stmt = self.stmt.as_ptr();
        let result = self.bind_and_step(params);
        // SAFETY: `stmt` is a valid statement. Resetting ends the run (its error, if any, was
        // taken above). The pointers into `params` stay bound but are never read again: the
        // next run binds every parameter that holds one anew before it steps (see the
        // module's comment).
        unsafe {
            ffi::sqlite3_reset(stmt);
        }
        result
    }

    fn bind_and_step(&mut self, params: &[Param<'_>]) -> Result<usize, rusqlite::Error> {
        let stmt = self.stmt.as_ptr();
        for (i, param) in params.iter().enumerate() {
            let now = match *param {
                Param::Null => Bound::Null,
                Param::Int(v) => Bound::Int(v),
                Param::Text(_) | Param::Blob(_) => Bound::Borrowed,
            };
            if now != Bound::Borrowed && self.bound[i] == now {
                continue;
            }
            // Until the bind succeeds, what the parameter holds is not known.
            self.bound[i] = Bound::Borrowed;
            let index = (i + 1) as c_int;
            // SAFETY: `stmt` is valid and `index` within its parameters (checked above). Texts
            // and blobs are bound SQLITE_STATIC: SQLite reads them in place, and they outlive
            // this call, in which the statement runs.
            let code = unsafe {
                match *param {
                    Param::Null => ffi::sqlite3_bind_null(stmt, index),
                    Param::Int(v) => ffi::sqlite3_bind_int64(stmt, index, v),
                    Param::Text(s) => {
                        let len = c_int::try_from(s.len()).map_err(|_| too_long(s.len()))?;
                        ffi::sqlite3_bind_text(
                            stmt,
                            index,
                            s.as_ptr().cast::<c_char>(),
                            len,
                            ffi::SQLITE_STATIC(),
                        )
                    }
                    Param::Blob(b) => {
                        let len = c_int::try_from(b.len()).map_err(|_| too_long(b.len()))?;
                        ffi::sqlite3_bind_blob(
                            stmt,
                            index,
                            b.as_ptr().cast(),
                            len,
                            ffi::SQLITE_STATIC(),
                        )
                    }
                }
            };
            if code != ffi::SQLITE_OK {
                // SAFETY: the connection outlives the statement.
                return Err(unsafe { error(self.db, code) });
            }
            self.bound[i] = now;
        }
        // SAFETY: `stmt` is valid with every parameter bound; the connection is open.
        unsafe {
            match ffi::sqlite3_step(stmt) {
                ffi::SQLITE_DONE => Ok(ffi::sqlite3_changes64(self.db) as usize),
                ffi::SQLITE_ROW => Err(rusqlite::Error::ExecuteReturnedResults),
                code => Err(error(self.db, code)),
            }
        }
    }
}

impl Drop for BorrowingStatement<'_> {
    fn drop(&mut self) {
        // SAFETY: the statement is valid and finalized once, here.
        unsafe {
            ffi::sqlite3_finalize(self.stmt.as_ptr());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row of the test table: a, b, c, d.
    type Row = (Option<i64>, Option<String>, Option<Vec<u8>>, String);

    fn conn() -> rusqlite::Connection {
        let c = rusqlite::Connection::open_in_memory().unwrap();
        c.execute_batch(
            "CREATE TABLE t (a INTEGER, b TEXT, c BLOB, d TEXT UNIQUE CHECK (length(d) > 1))",
        )
        .unwrap();
        c
    }

    #[test]
    fn binds_every_kind_of_value_and_counts_changes() {
        let c = conn();
        let mut s = BorrowingStatement::prepare(
            &c,
            "INSERT INTO t VALUES (?1, ?2, ?3, ?4) ON CONFLICT (d) DO NOTHING",
        )
        .unwrap();
        for (i, d) in ["xx", "yy", "xx"].iter().enumerate() {
            // Owned values that are dropped right after the call.
            let text = format!("text {i}");
            let blob = vec![i as u8; 3];
            let changed = s
                .execute(&[
                    Param::Int(i as i64),
                    Param::Text(&text),
                    Param::Blob(&blob),
                    Param::Text(d),
                ])
                .unwrap();
            assert_eq!(changed, usize::from(i < 2), "row {i}");
        }
        s.execute(&[
            Param::Null,
            None::<&str>.into(),
            Param::Null,
            Param::Text("zz"),
        ])
        .unwrap();
        drop(s);
        let rows: Vec<Row> = c
            .prepare("SELECT a, b, c, d FROM t ORDER BY rowid")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            rows,
            vec![
                (
                    Some(0),
                    Some("text 0".into()),
                    Some(vec![0; 3]),
                    "xx".into()
                ),
                (
                    Some(1),
                    Some("text 1".into()),
                    Some(vec![1; 3]),
                    "yy".into()
                ),
                (None, None, None, "zz".into()),
            ]
        );
    }

    #[test]
    fn values_left_bound_between_runs_are_the_ones_given() {
        let c = rusqlite::Connection::open_in_memory().unwrap();
        c.execute_batch("CREATE TABLE t (a, b)").unwrap();
        let mut s = BorrowingStatement::prepare(&c, "INSERT INTO t VALUES (?1, ?2)").unwrap();
        let runs: [[Param<'_>; 2]; 5] = [
            [Param::Null, Param::Int(1)],
            [Param::Int(1), Param::Text("a")],
            [Param::Int(1), Param::Null],
            [Param::Int(2), Param::Null],
            [Param::Int(2), Param::Blob(b"b")],
        ];
        for params in &runs {
            s.execute(params).unwrap();
        }
        drop(s);
        let rows: Vec<String> = c
            .prepare("SELECT quote(a) || ',' || quote(b) FROM t ORDER BY rowid")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(rows, ["NULL,1", "1,'a'", "1,NULL", "2,NULL", "2,X'62'"]);
    }

    #[test]
    fn reports_sqlite_errors_and_a_wrong_parameter_count() {
        let c = conn();
        assert!(BorrowingStatement::prepare(&c, "INSERT INTO nowhere VALUES (1)").is_err());
        let mut s = BorrowingStatement::prepare(&c, "INSERT INTO t (d) VALUES (?1)").unwrap();
        let e = s.execute(&[Param::Text("x")]).unwrap_err();
        assert!(e.to_string().contains("CHECK constraint failed"), "{e}");
        assert!(matches!(
            s.execute(&[]),
            Err(rusqlite::Error::InvalidParameterCount(0, 1))
        ));
        // The statement is usable after an error.
        assert_eq!(s.execute(&[Param::Text("ok")]).unwrap(), 1);
    }
}
