-- recount project database, migration 0002: accounts of the web desk.
-- Released migrations are never edited: add a new numbered file instead.

-- A person who signs in to the desk. The password is kept only as an argon2id hash (PHC form).
CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 64),
    role          TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'viewer')),
    password_hash TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- A signed-in browser. Only the SHA-256 of the cookie's token is kept, so a copy of the database
-- cannot be used to sign in; each session has its own CSRF token.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    -- Seconds since 1970-01-01 UTC.
    expires_at INTEGER NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) WITHOUT ROWID;

CREATE INDEX sessions_user ON sessions (user_id);

-- Who changed what, append-only. `detail` names ids and counts, never names or testimony.
CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    user_id INTEGER REFERENCES users (id),
    action  TEXT NOT NULL,
    detail  TEXT NOT NULL DEFAULT ''
);

CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

-- Estimates an analyst published on the desk, for every role to read (viewers see only these
-- aggregates). `result` is the web desk's JSON of the run: strata, documented counts, estimates
-- with intervals, the model and its warnings.
CREATE TABLE published_estimates (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    user_id    INTEGER REFERENCES users (id),
    result     TEXT NOT NULL CHECK (json_valid(result))
);
