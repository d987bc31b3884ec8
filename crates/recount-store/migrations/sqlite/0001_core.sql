-- recount project database, migration 0001: the core schema.
-- Released migrations are never edited: add a new numbered file instead.
-- Timestamps are UTC text in RFC 3339 form (2022-09-21T08:00:00.000Z).
-- Ids are INTEGER PRIMARY KEY AUTOINCREMENT where they must never be reused
-- (persons: a deleted person's id is not given to another cluster).

-- A list or channel that records person-events.
CREATE TABLE sources (
    id                  INTEGER PRIMARY KEY,
    name                TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
    -- Sources sharing an origin share a group and count once for corroboration; NULL: its own group.
    dependency_group    TEXT CHECK (dependency_group IS NULL OR length(dependency_group) > 0),
    -- 1 when the source may list one person more than once.
    contains_duplicates INTEGER NOT NULL DEFAULT 0 CHECK (contains_duplicates IN (0, 1)),
    created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- The controlled event vocabulary: v1's terms are seeded; organisations add their own.
CREATE TABLE event_terms (
    term     TEXT PRIMARY KEY,
    -- 1 for the terms of Records CSV v1.
    builtin  INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1)),
    added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) WITHOUT ROWID;

INSERT INTO event_terms (term, builtin) VALUES
    ('exit_refused', 1), ('summoned', 1), ('detained', 1), ('conscripted', 1), ('deployed', 1),
    ('killed', 1), ('missing', 1), ('threatened', 1), ('other', 1);

-- A report (a testimony, an article, a document) as its source identifies it.
CREATE TABLE reports (
    id        INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources (id),
    report_id TEXT NOT NULL,
    UNIQUE (source_id, report_id)
);

-- One run of `recount import`: where every record came from.
CREATE TABLE imports (
    id          INTEGER PRIMARY KEY,
    -- The file's name as given on the command line (never its contents).
    file_name   TEXT NOT NULL,
    started_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    rows        INTEGER NOT NULL DEFAULT 0,
    inserted    INTEGER NOT NULL DEFAULT 0,
    updated     INTEGER NOT NULL DEFAULT 0,
    unchanged   INTEGER NOT NULL DEFAULT 0
);

-- One person-event as told by one source: every field of Records CSV v1, typed.
CREATE TABLE records (
    id              INTEGER PRIMARY KEY,
    source_id       INTEGER NOT NULL REFERENCES sources (id),
    record_id       TEXT NOT NULL CHECK (length(record_id) > 0),
    -- SHA-256 of the record's 21 Records CSV v1 values in column order, each followed by 0x1F:
    -- re-importing the same content changes nothing.
    content_hash    BLOB NOT NULL,
    -- The import that wrote this version of the record, and its row in that file.
    import_id       INTEGER NOT NULL REFERENCES imports (id),
    import_row      INTEGER NOT NULL,
    name            TEXT,
    given_name      TEXT,
    family_name     TEXT,
    patronymic      TEXT,
    sex             TEXT CHECK (sex IN ('m', 'f')),
    -- Dates keep their written precision (YYYY, YYYY-MM, YYYY-MM-DD; event dates also START/END);
    -- *_first_day/*_last_day are the window they can mean, as days since 1970-01-01.
    birth_date      TEXT,
    birth_first_day INTEGER,
    birth_last_day  INTEGER,
    birth_place     TEXT,
    document_id     TEXT,
    age_min         INTEGER CHECK (age_min BETWEEN 0 AND 130),
    age_max         INTEGER CHECK (age_max BETWEEN 0 AND 130 AND age_max >= age_min),
    -- ISO 3166-1 alpha-2 codes, sorted, joined by ';'.
    citizenship     TEXT,
    origin          TEXT CHECK (origin IS NULL OR length(origin) = 2),
    residence       TEXT,
    event           TEXT REFERENCES event_terms (term),
    event_date      TEXT,
    event_first_day INTEGER,
    event_last_day  INTEGER,
    place           TEXT,
    informant       TEXT CHECK (informant IN ('self', 'witness', 'relative', 'media', 'official', 'unknown')),
    report_id       INTEGER REFERENCES reports (id),
    quote           TEXT,
    notes           TEXT,
    UNIQUE (source_id, record_id)
);

CREATE INDEX records_event ON records (event, event_first_day);

-- Blocking keys of each record's name (from the name engine), for candidate-pair search.
CREATE TABLE name_keys (
    key       TEXT NOT NULL,
    record_id INTEGER NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    PRIMARY KEY (key, record_id)
) WITHOUT ROWID;

CREATE INDEX name_keys_record ON name_keys (record_id);

-- A person: a cluster of records linkage judged to be the same individual.
CREATE TABLE persons (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- Which person each linked record belongs to (a record belongs to at most one person).
CREATE TABLE person_records (
    record_id INTEGER PRIMARY KEY REFERENCES records (id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES persons (id)
);

CREATE INDEX person_records_person ON person_records (person_id);

-- A saved linkage model (the model is data: its parameters and how they were estimated).
CREATE TABLE linkage_models (
    id         INTEGER PRIMARY KEY,
    version    INTEGER NOT NULL,
    model      TEXT NOT NULL CHECK (json_valid(model)),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- A scored candidate pair, in canonical order (smaller record id first).
CREATE TABLE link_pairs (
    id         INTEGER PRIMARY KEY,
    record_a   INTEGER NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    record_b   INTEGER NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    -- Match probability in [0, 1].
    score      REAL NOT NULL CHECK (score BETWEEN 0.0 AND 1.0),
    -- Per-field weights as a JSON object, e.g. {"name": 4.2, "birth_date": -1.3}.
    weights    TEXT NOT NULL CHECK (json_valid(weights)),
    model_id   INTEGER REFERENCES linkage_models (id),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK (record_a < record_b),
    UNIQUE (record_a, record_b)
);

-- A reviewer's decision on a pair; append-only, the latest decision on a pair stands.
CREATE TABLE review_decisions (
    id         INTEGER PRIMARY KEY,
    record_a   INTEGER NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    record_b   INTEGER NOT NULL REFERENCES records (id) ON DELETE CASCADE,
    decision   TEXT NOT NULL CHECK (decision IN ('same', 'different', 'unsure')),
    reviewer   TEXT NOT NULL,
    decided_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    CHECK (record_a < record_b)
);

CREATE INDEX review_decisions_pair ON review_decisions (record_a, record_b, id);
