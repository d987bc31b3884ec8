-- recount project database, migration 0005: name keys packed into posting lists.
-- Released migrations are never edited: add a new numbered file instead.
--
-- One name_keys row per (key, record) made a million-record import write ten million rows; the
-- same facts now take one row per key and range of 65,536 record ids (a "bucket", id >> 16).
-- `ids` holds the low 16 bits of each record id in the bucket (id & 65535), ascending, two
-- bytes each, big-endian. The record's own keys are kept with it (records.name_keys, a JSON
-- array of strings, sorted; NULL when it has none), so that replacing a record
-- (`recount import --update`) can take its id out of the postings of the keys it loses.
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

ALTER TABLE records ADD COLUMN name_keys TEXT;

UPDATE records
SET name_keys = (SELECT json_group_array(key ORDER BY key) FROM name_keys k WHERE k.record_id = records.id)
WHERE id IN (SELECT record_id FROM name_keys);

DROP TABLE name_keys;
