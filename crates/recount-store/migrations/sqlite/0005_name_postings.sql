-- recount project database, migration 0005: name keys packed into posting lists; records
-- rebuilt with a cheaper informant check and their own name keys.
-- Released migrations are never edited: add a new numbered file instead.
--
-- Runs with foreign keys off (migrations.rs), as SQLite's procedure for changing a table's
-- definition requires, so that dropping the old `records` does not cascade to the tables that
-- reference it; the store checks every foreign key before it commits.
--
-- 1. `records` gets a `name_keys` column: the record's name keys as a JSON array of strings,
--    sorted (NULL when it has none), so that replacing a record (`recount import --update`)
--    can take its id out of the postings of the keys it loses. Its informant check compares
--    with each term instead of `IN (...)`, which made SQLite build a temporary index for every
--    inserted row (a sixth of an import's time); the two accept exactly the same values.
CREATE TABLE records_v5 (
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
    informant       TEXT CHECK (informant = 'self' OR informant = 'witness'
                        OR informant = 'relative' OR informant = 'media'
                        OR informant = 'official' OR informant = 'unknown'),
    report_id       INTEGER REFERENCES reports (id),
    quote           TEXT,
    notes           TEXT,
    -- The record's name keys: a JSON array of strings, sorted; NULL when it has none.
    name_keys       TEXT,
    UNIQUE (source_id, record_id)
);

INSERT INTO records_v5 (id, source_id, record_id, content_hash, import_id, import_row, name,
    given_name, family_name, patronymic, sex, birth_date, birth_first_day, birth_last_day,
    birth_place, document_id, age_min, age_max, citizenship, origin, residence, event,
    event_date, event_first_day, event_last_day, place, informant, report_id, quote, notes,
    name_keys)
SELECT r.id, r.source_id, r.record_id, r.content_hash, r.import_id, r.import_row, r.name,
    r.given_name, r.family_name, r.patronymic, r.sex, r.birth_date, r.birth_first_day,
    r.birth_last_day, r.birth_place, r.document_id, r.age_min, r.age_max, r.citizenship,
    r.origin, r.residence, r.event, r.event_date, r.event_first_day, r.event_last_day, r.place,
    r.informant, r.report_id, r.quote, r.notes,
    (SELECT json_group_array(k.key ORDER BY k.key) FROM name_keys k WHERE k.record_id = r.id
     HAVING count(*) > 0)
FROM records r
ORDER BY r.id;

-- 2. One name_keys row per (key, record) made a million-record import write ten million rows;
--    the same facts now take one row per key and range of 65,536 record ids (a "bucket",
--    id >> 16). `ids` holds the low 16 bits of each record id in the bucket (id & 65535),
--    ascending, two bytes each, big-endian.
CREATE TABLE name_postings (
    key    TEXT NOT NULL,
    bucket INTEGER NOT NULL CHECK (bucket >= 0),
    ids    BLOB NOT NULL CHECK (length(ids) > 0 AND length(ids) % 2 = 0),
    PRIMARY KEY (key, bucket)
) WITHOUT ROWID;

INSERT INTO name_postings (key, bucket, ids)
SELECT key, record_id >> 16,
       unhex(group_concat(printf('%04x', record_id & 65535), '' ORDER BY record_id))
FROM name_keys
GROUP BY key, record_id >> 16;

DROP TABLE name_keys;
DROP TABLE records;
ALTER TABLE records_v5 RENAME TO records;

-- Migration 0004's indexes, on the new table.
CREATE INDEX records_event_days ON records (event, event_first_day, event_last_day);
CREATE INDEX records_days ON records (event_first_day, event_last_day);
CREATE INDEX records_event_span ON records ((event_last_day - event_first_day));
