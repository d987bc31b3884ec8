-- Linkage results the review loop needs: how much a reviewer's decision on a pair is expected to
-- change the persons (the review queue's order), written by each `recount link` run.
ALTER TABLE link_pairs ADD COLUMN review_priority REAL;

CREATE INDEX link_pairs_review ON link_pairs (review_priority DESC)
    WHERE review_priority IS NOT NULL;

-- Which linkage run produced the current persons and pairs: counts and settings only, never
-- names.
CREATE TABLE linkage_runs (
    id          INTEGER PRIMARY KEY,
    model_id    INTEGER REFERENCES linkage_models (id),
    records     INTEGER NOT NULL,
    persons     INTEGER NOT NULL,
    pairs       INTEGER NOT NULL,
    threshold   REAL NOT NULL,
    seed        INTEGER NOT NULL,
    method      TEXT NOT NULL,
    -- 1 when this run trained the model, 0 when training failed and the previous model was used.
    trained     INTEGER NOT NULL CHECK (trained IN (0, 1)),
    finished_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
