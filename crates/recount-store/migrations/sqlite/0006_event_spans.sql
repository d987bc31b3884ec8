-- recount project database, migration 0006: the longest event window kept as a count per
-- window length instead of an index over every record.
-- Released migrations are never edited: add a new numbered file instead.
--
-- The desk's date filter needs the longest event window stored: a window reaching a date
-- starts at most that many days before it, which bounds the index range to read. Migration
-- 0004 kept that one figure with an index over every record (records_event_span), which an
-- import had to build again over all the records it wrote. Now `record_event_spans` counts the
-- records of each window length; an import adds the lengths of the records it writes, and
-- takes out those of the records it replaces, at commit; the longest window is its largest
-- `span`. A length no record has any more is deleted, so that the figure shrinks with them.
CREATE TABLE record_event_spans (
    -- event_last_day - event_first_day, in days.
    span    INTEGER PRIMARY KEY,
    -- How many records have an event window of this length.
    records INTEGER NOT NULL CHECK (records > 0)
);

INSERT INTO record_event_spans (span, records)
SELECT event_last_day - event_first_day, count(*)
FROM records
WHERE event_first_day IS NOT NULL AND event_last_day IS NOT NULL
GROUP BY event_last_day - event_first_day;

DROP INDEX records_event_span;
