-- Indexes of the web desk's record filters (crates/recount-store/src/desk.rs).
-- An event with a date window reads only the index: (event, first day, last day) covers the
-- window test and gives the page's order; it replaces records_event, its prefix.
DROP INDEX records_event;
CREATE INDEX records_event_days ON records (event, event_first_day, event_last_day);
-- A date window without an event.
CREATE INDEX records_days ON records (event_first_day, event_last_day);
-- The longest event window stored, read in one step: a window [from, to] then only needs the
-- records whose first day is at least `from` minus that length.
CREATE INDEX records_event_span ON records ((event_last_day - event_first_day));
