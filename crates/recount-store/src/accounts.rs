//! Accounts of the web desk: users (with argon2id hashes computed by the web crate), sessions
//! (kept as token hashes) and the append-only audit log.

use crate::{Db, Result, Store, StoreError};
use rusqlite::{OptionalExtension, params};
use std::fmt;
use std::str::FromStr;

/// A user's id in a project database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UserId(pub i64);

/// What a user may do. Ordered: each role can do everything the roles below it can.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Sees aggregates (estimates), never a name.
    Viewer,
    /// Imports, searches, reviews, estimates and exports.
    Analyst,
    /// An analyst who also reads the audit log.
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Analyst, Role::Viewer];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Analyst => "analyst",
            Role::Viewer => "viewer",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim())
            .ok_or_else(|| format!("'{s}' is not a role; expected admin, analyst or viewer"))
    }
}

/// A user as stored.
#[derive(Debug, Clone)]
pub struct User {
    pub id: UserId,
    pub name: String,
    pub role: Role,
    /// The argon2id hash in PHC string form.
    pub password_hash: String,
}

/// A session with its user.
#[derive(Debug, Clone)]
pub struct Session {
    pub token_hash: String,
    pub user: User,
    pub csrf_token: String,
    /// Seconds since 1970-01-01 UTC.
    pub expires_at: i64,
}

/// One line of the audit log.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub id: i64,
    /// UTC, RFC 3339.
    pub at: String,
    /// The user's name, `None` for actions without a signed-in user (the CLI, a failed login).
    pub user: Option<String>,
    pub action: String,
    pub detail: String,
}

fn role_of(value: String) -> Result<Role> {
    value.parse().map_err(|problem| StoreError::Corrupt {
        column: "users.role",
        value,
        problem,
    })
}

impl Store {
    /// Adds a user; the caller has checked that the name is free (the database refuses a
    /// duplicate, case-insensitively, as a constraint error).
    pub fn add_user(&mut self, name: &str, role: Role, password_hash: &str) -> Result<UserId> {
        let Db::Sqlite(conn) = &self.db;
        conn.execute(
            "INSERT INTO users (name, role, password_hash) VALUES (?1, ?2, ?3)",
            params![name, role.as_str(), password_hash],
        )?;
        Ok(UserId(conn.last_insert_rowid()))
    }

    /// The user with this name (case-insensitive), if any.
    pub fn user_by_name(&self, name: &str) -> Result<Option<User>> {
        let Db::Sqlite(conn) = &self.db;
        let row = conn
            .query_row(
                "SELECT id, name, role, password_hash FROM users WHERE name = ?1",
                [name],
                |r| Ok((r.get(0)?, r.get(1)?, r.get::<_, String>(2)?, r.get(3)?)),
            )
            .optional()?;
        row.map(|(id, name, role, password_hash)| {
            Ok(User {
                id: UserId(id),
                name,
                role: role_of(role)?,
                password_hash,
            })
        })
        .transpose()
    }

    /// Every user, by name.
    pub fn users(&self) -> Result<Vec<User>> {
        let Db::Sqlite(conn) = &self.db;
        let mut stmt =
            conn.prepare("SELECT id, name, role, password_hash FROM users ORDER BY name")?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get::<_, String>(2)?, r.get(3)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, name, role, password_hash) = row?;
            out.push(User {
                id: UserId(id),
                name,
                role: role_of(role)?,
                password_hash,
            });
        }
        Ok(out)
    }

    /// Records a new session, and drops the expired ones.
    pub fn create_session(
        &mut self,
        token_hash: &str,
        user: UserId,
        csrf_token: &str,
        expires_at: i64,
    ) -> Result<()> {
        let Db::Sqlite(conn) = &self.db;
        conn.execute(
            "DELETE FROM sessions WHERE expires_at < strftime('%s', 'now')",
            [],
        )?;
        conn.execute(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at) VALUES (?1, ?2, ?3, ?4)",
            params![token_hash, user.0, csrf_token, expires_at],
        )?;
        Ok(())
    }

    /// The session with this token hash and its user, expired or not (the caller compares
    /// `expires_at` with its clock).
    pub fn session(&self, token_hash: &str) -> Result<Option<Session>> {
        let Db::Sqlite(conn) = &self.db;
        let row = conn
            .query_row(
                "SELECT s.token_hash, s.csrf_token, s.expires_at, u.id, u.name, u.role, u.password_hash
                 FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1",
                [token_hash],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, i64>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, String>(6)?,
                    ))
                },
            )
            .optional()?;
        row.map(
            |(token_hash, csrf_token, expires_at, id, name, role, password_hash)| {
                Ok(Session {
                    token_hash,
                    csrf_token,
                    expires_at,
                    user: User {
                        id: UserId(id),
                        name,
                        role: role_of(role)?,
                        password_hash,
                    },
                })
            },
        )
        .transpose()
    }

    /// Ends a session.
    pub fn delete_session(&mut self, token_hash: &str) -> Result<()> {
        let Db::Sqlite(conn) = &self.db;
        conn.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash])?;
        Ok(())
    }

    /// Moves a session's expiry (tests use it to expire a session).
    pub fn set_session_expiry(&mut self, token_hash: &str, expires_at: i64) -> Result<()> {
        let Db::Sqlite(conn) = &self.db;
        conn.execute(
            "UPDATE sessions SET expires_at = ?2 WHERE token_hash = ?1",
            params![token_hash, expires_at],
        )?;
        Ok(())
    }

    /// Appends to the audit log. `detail` must name ids and counts only, never personal data.
    pub fn append_audit(&mut self, user: Option<UserId>, action: &str, detail: &str) -> Result<()> {
        let Db::Sqlite(conn) = &self.db;
        conn.execute(
            "INSERT INTO audit_log (user_id, action, detail) VALUES (?1, ?2, ?3)",
            params![user.map(|u| u.0), action, detail],
        )?;
        Ok(())
    }

    /// The latest `limit` audit entries, newest first.
    pub fn audit_log(&self, limit: usize) -> Result<Vec<AuditEntry>> {
        let Db::Sqlite(conn) = &self.db;
        let mut stmt = conn.prepare(
            "SELECT a.id, a.at, u.name, a.action, a.detail FROM audit_log a
             LEFT JOIN users u ON u.id = a.user_id ORDER BY a.id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| {
            Ok(AuditEntry {
                id: r.get(0)?,
                at: r.get(1)?,
                user: r.get(2)?,
                action: r.get(3)?,
                detail: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA";

    #[test]
    fn users_sessions_and_the_audit_log() {
        let mut s = Store::open_in_memory().unwrap();
        let id = s.add_user("Aida", Role::Analyst, HASH).unwrap();
        assert!(
            s.add_user("aida", Role::Viewer, HASH).is_err(),
            "names are case-insensitive"
        );
        let u = s.user_by_name("AIDA").unwrap().unwrap();
        assert_eq!((u.id, u.role), (id, Role::Analyst));
        assert!(s.user_by_name("nobody").unwrap().is_none());

        s.create_session("h1", id, "csrf1", 2_000_000_000).unwrap();
        let session = s.session("h1").unwrap().unwrap();
        assert_eq!(
            (session.user.id, session.csrf_token.as_str()),
            (id, "csrf1")
        );
        s.delete_session("h1").unwrap();
        assert!(s.session("h1").unwrap().is_none());

        s.append_audit(Some(id), "import", "source 1: 3 records")
            .unwrap();
        s.append_audit(None, "login.failed", "").unwrap();
        let log = s.audit_log(10).unwrap();
        assert_eq!(log[0].action, "login.failed");
        assert_eq!(log[1].user.as_deref(), Some("Aida"));
    }

    #[test]
    fn the_audit_log_is_append_only() {
        let mut s = Store::open_in_memory().unwrap();
        s.append_audit(None, "x", "").unwrap();
        let Db::Sqlite(conn) = &s.db;
        assert!(conn.execute("DELETE FROM audit_log", []).is_err());
        assert!(
            conn.execute("UPDATE audit_log SET action = 'y'", [])
                .is_err()
        );
    }

    #[test]
    fn only_argon2id_hashes_are_stored() {
        let mut s = Store::open_in_memory().unwrap();
        assert!(s.add_user("a", Role::Admin, "plaintext").is_err());
    }
}
