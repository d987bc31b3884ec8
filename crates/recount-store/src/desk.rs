//! Queries of the web desk: finding records by filters and by the stored name keys, one page at
//! a time, and the records of one person.

use crate::{Db, Result, Store, StoreError, StoredRecord};
use recount_types::{AgeRange, CountryCode, EventVocabulary, Record, parse_country_list};
use recount_types::{PersonId, RecordId, RecordKey, SourceName};
use rusqlite::OptionalExtension;
use rusqlite::types::Value;

/// A scored candidate pair with its per-field weights and the latest review decision.
#[derive(Debug, Clone, PartialEq)]
pub struct PairView {
    /// The smaller record id.
    pub a: RecordId,
    pub b: RecordId,
    /// Match probability in [0, 1].
    pub score: f64,
    /// Per-field weights, by field name.
    pub weights: Vec<(String, f64)>,
    /// `same`, `different` or `unsure`, when a reviewer decided.
    pub decision: Option<String>,
}

/// What to look for in [`Store::find_records`]. Empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct RecordFilter {
    /// Name keys of the searched name, one group per token: a record matches when, for every
    /// group, one of its stored name keys is in the group.
    pub name_key_groups: Vec<Vec<String>>,
    /// An event term.
    pub event: Option<String>,
    /// A source name.
    pub source: Option<String>,
    /// Text the place contains (case-insensitive for ASCII, as SQLite's LIKE).
    pub place: Option<String>,
    /// The event may have happened on or after this day (days since 1970-01-01).
    pub from_day: Option<i32>,
    /// The event may have happened on or before this day.
    pub to_day: Option<i32>,
}

/// One page of [`Store::find_records`].
#[derive(Debug, Clone)]
pub struct RecordPage {
    /// The matching records on this page, in the order [`RecordFilter::order`] names.
    pub keys: Vec<(RecordId, RecordKey)>,
    /// How many records match, counted up to `count_limit`, or as far as a bounded amount of
    /// work reached (then [`RecordPage::total_is_lower_bound`] is set).
    pub total: u64,
    /// Whether more records may match than `total` says.
    pub total_is_lower_bound: bool,
    /// Where the next page starts, when there is one.
    pub next: Option<PageCursor>,
}

/// The order of [`Store::find_records`]'s results.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordOrder {
    /// By database id: the import order.
    Id,
    /// By event date (undated records first), then id: when an event or a date window filters
    /// and no name is searched.
    EventDate,
}

/// Where a page of [`Store::find_records`] starts: right after the last record of the page
/// before (keyset pagination: a page deep in the results costs what the first one does).
///
/// Written in an address as `i<ID>` (id order) or `d<FIRST>.<LAST>.<ID>` (date order; `d-.-.<ID>`
/// for an undated record).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageCursor {
    Id(RecordId),
    Date {
        /// The record's event window as days since 1970-01-01; `None` for an undated record.
        days: Option<(i32, i32)>,
        id: RecordId,
    },
}

impl std::fmt::Display for PageCursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PageCursor::Id(id) => write!(f, "i{}", id.0),
            PageCursor::Date { days: None, id } => write!(f, "d-.-.{}", id.0),
            PageCursor::Date {
                days: Some((first, last)),
                id,
            } => write!(f, "d{first}.{last}.{}", id.0),
        }
    }
}

/// A page cursor that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a page cursor: {0:?}")]
pub struct BadCursor(pub String);

impl std::str::FromStr for PageCursor {
    type Err = BadCursor;
    fn from_str(s: &str) -> Result<Self, BadCursor> {
        let bad = || BadCursor(s.to_owned());
        if let Some(id) = s.strip_prefix('i') {
            return Ok(PageCursor::Id(RecordId(id.parse().map_err(|_| bad())?)));
        }
        let rest = s.strip_prefix('d').ok_or_else(bad)?;
        let mut parts = rest.split('.');
        let (Some(first), Some(last), Some(id), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let id = RecordId(id.parse().map_err(|_| bad())?);
        let days = match (first, last) {
            ("-", "-") => None,
            (f, l) => Some((f.parse().map_err(|_| bad())?, l.parse().map_err(|_| bad())?)),
        };
        Ok(PageCursor::Date { days, id })
    }
}

impl RecordFilter {
    /// The order results come in.
    pub fn order(&self) -> RecordOrder {
        let names = self.name_key_groups.iter().any(|g| !g.is_empty());
        let dated = self.event.is_some() || self.from_day.is_some() || self.to_day.is_some();
        if dated && !names {
            RecordOrder::EventDate
        } else {
            RecordOrder::Id
        }
    }

    /// The filters other than the name as SQL over `records r JOIN sources s`, with their
    /// parameters.
    fn sql_clauses(&self) -> (Vec<String>, Vec<Value>) {
        let mut clauses: Vec<String> = Vec::new();
        let mut params: Vec<Value> = Vec::new();
        if let Some(event) = &self.event {
            clauses.push("r.event = ?".into());
            params.push(Value::Text(event.clone()));
        }
        if let Some(source) = &self.source {
            clauses.push("s.name = ?".into());
            params.push(Value::Text(source.clone()));
        }
        if let Some(place) = &self.place {
            let escaped = place
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            clauses.push("r.place LIKE ? ESCAPE '\\'".into());
            params.push(Value::Text(format!("%{escaped}%")));
        }
        if let Some(day) = self.from_day {
            clauses.push("r.event_last_day >= ?".into());
            params.push(Value::Integer(i64::from(day)));
        }
        if let Some(day) = self.to_day {
            clauses.push("r.event_first_day <= ?".into());
            params.push(Value::Integer(i64::from(day)));
        }
        (clauses, params)
    }
}

/// How many name matches a search checks against the other filters (one indexed lookup each)
/// to count them; past it the count is a lower bound.
const CHECK_WORK: usize = 2_000;

/// The record ids of searched words, kept in memory between searches and shared by every
/// connection of a server: a name search then intersects sorted arrays instead of reading
/// `name_postings` again, so that even two common words that never meet cost a millisecond.
///
/// A word's list is the union of its keys' posting lists. The whole cache is dropped when an
/// import commits (the largest import id changes), and the least recently used lists are
/// dropped to keep at most `capacity` ids.
pub struct NameKeyCache {
    capacity: usize,
    inner: std::sync::Mutex<CacheInner>,
    /// Held while a list is read from the database, so that many searches for one word that
    /// arrive together read it once.
    loading: std::sync::Mutex<()>,
}

#[derive(Default)]
struct CacheInner {
    generation: Option<i64>,
    lists: std::collections::HashMap<String, (std::sync::Arc<[i64]>, u64)>,
    held: usize,
    tick: u64,
}

impl NameKeyCache {
    /// A cache of at most `capacity` record ids (8 bytes each).
    pub fn new(capacity: usize) -> Self {
        NameKeyCache {
            capacity,
            inner: std::sync::Mutex::new(CacheInner::default()),
            loading: std::sync::Mutex::new(()),
        }
    }

    /// How many ids it holds.
    pub fn held(&self) -> usize {
        self.lock().held
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, CacheInner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The list named `name` if held for this `generation` (a new generation empties the cache).
    fn cached(&self, generation: i64, name: &str) -> Option<std::sync::Arc<[i64]>> {
        let mut inner = self.lock();
        if inner.generation != Some(generation) {
            inner.lists.clear();
            inner.held = 0;
            inner.generation = Some(generation);
        }
        inner.tick += 1;
        let tick = inner.tick;
        let (list, used) = inner.lists.get_mut(name)?;
        *used = tick;
        Some(list.clone())
    }

    /// The ids of records having any of `keys`, ascending; from the cache when it holds them
    /// for this `generation` of the data.
    fn word(
        &self,
        conn: &rusqlite::Connection,
        generation: i64,
        keys: &[String],
    ) -> Result<std::sync::Arc<[i64]>> {
        let mut sorted: Vec<&str> = keys.iter().map(String::as_str).collect();
        sorted.sort_unstable();
        sorted.dedup();
        let name = sorted.join("\u{1f}");
        if let Some(list) = self.cached(generation, &name) {
            return Ok(list);
        }
        let _loading = self.loading.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(list) = self.cached(generation, &name) {
            return Ok(list);
        }
        let list: std::sync::Arc<[i64]> = word_ids(conn, &sorted)?.into();
        if list.len() <= self.capacity / 2 {
            let mut inner = self.lock();
            if inner.generation == Some(generation) {
                while inner.held + list.len() > self.capacity {
                    let Some(oldest) = inner
                        .lists
                        .iter()
                        .min_by_key(|(_, (_, used))| *used)
                        .map(|(k, _)| k.clone())
                    else {
                        break;
                    };
                    if let Some((dropped, _)) = inner.lists.remove(&oldest) {
                        inner.held -= dropped.len();
                    }
                }
                inner.held += list.len();
                let tick = inner.tick;
                inner.lists.insert(name, (list.clone(), tick));
            }
        }
        Ok(list)
    }
}

/// The ids of records having any of `keys`, ascending, each once.
fn word_ids(conn: &rusqlite::Connection, keys: &[&str]) -> Result<Vec<i64>> {
    let mut out: Vec<i64> = Vec::new();
    for key in keys {
        let list = crate::postings::key_ids(conn, key)?;
        out = if out.is_empty() {
            list
        } else {
            crate::postings::union(&out, &list)
        };
    }
    Ok(out)
}

/// Moves `pos` forward to the first element of `list` at or after `target` (galloping, so that
/// a long jump costs its logarithm); returns whether `target` itself is there.
fn gallop_to(list: &[i64], pos: &mut usize, target: i64) -> bool {
    let mut step = 1;
    let mut hi = *pos;
    while hi < list.len() && list[hi] < target {
        *pos = hi + 1;
        hi += step;
        step *= 2;
    }
    let end = hi.min(list.len());
    if *pos < end {
        *pos += list[*pos..end].partition_point(|&id| id < target);
    }
    list.get(*pos) == Some(&target)
}

/// Calls `f` with each id in every one of `lists` and above `after`, ascending, until it
/// returns false: the shortest list drives, the others gallop.
fn intersect(
    lists: &[std::sync::Arc<[i64]>],
    after: i64,
    mut f: impl FnMut(i64) -> Result<bool>,
) -> Result<()> {
    let mut order: Vec<&[i64]> = lists.iter().map(|l| &l[..]).collect();
    order.sort_by_key(|l| l.len());
    let Some((driver, others)) = order.split_first() else {
        return Ok(());
    };
    let mut cursors = vec![0usize; others.len()];
    let start = driver.partition_point(|&id| id <= after);
    'ids: for &id in &driver[start..] {
        for (list, pos) in others.iter().zip(cursors.iter_mut()) {
            if !gallop_to(list, pos, id) {
                if *pos >= list.len() {
                    return Ok(());
                }
                continue 'ids;
            }
        }
        if !f(id)? {
            return Ok(());
        }
    }
    Ok(())
}

// A copy of records.rs's private row reader, so a page of records is read in one query rather
// than one query per record. Keep the two in step (or make records.rs's reader pub(crate) and
// drop this copy).
const RECORD_SELECT: &str = "SELECT r.id, s.name, r.record_id, r.name, r.given_name, r.family_name,
    r.patronymic, r.sex, r.birth_date, r.birth_place, r.document_id, r.age_min, r.age_max,
    r.citizenship, r.origin, r.residence, r.event, r.event_date, r.place, r.informant,
    rep.report_id, r.quote, r.notes, p.person_id
    FROM records r JOIN sources s ON s.id = r.source_id
    LEFT JOIN reports rep ON rep.id = r.report_id
    LEFT JOIN person_records p ON p.record_id = r.id";

fn corrupt(column: &'static str, value: &str, problem: impl ToString) -> StoreError {
    StoreError::Corrupt {
        column,
        value: value.to_owned(),
        problem: problem.to_string(),
    }
}

fn parse<T: std::str::FromStr>(column: &'static str, v: Option<String>) -> Result<Option<T>>
where
    T::Err: ToString,
{
    v.map(|s| s.parse::<T>().map_err(|e| corrupt(column, &s, e)))
        .transpose()
}

fn read_record_row(r: &rusqlite::Row<'_>, vocab: &EventVocabulary) -> Result<StoredRecord> {
    let mut rec = Record::new(r.get::<_, String>(1)?, r.get::<_, String>(2)?);
    rec.name = r.get(3)?;
    rec.given_name = r.get(4)?;
    rec.family_name = r.get(5)?;
    rec.patronymic = r.get(6)?;
    rec.sex = parse("records.sex", r.get(7)?)?;
    rec.birth_date = parse("records.birth_date", r.get(8)?)?;
    rec.birth_place = r.get(9)?;
    rec.document_id = r.get(10)?;
    let (lo, hi): (Option<u8>, Option<u8>) = (r.get(11)?, r.get(12)?);
    rec.age = match (lo, hi) {
        (Some(lo), Some(hi)) => Some(
            AgeRange::new(lo, hi)
                .ok_or_else(|| corrupt("records.age", &format!("{lo}-{hi}"), "not an age range"))?,
        ),
        _ => None,
    };
    if let Some(c) = r.get::<_, Option<String>>(13)? {
        rec.citizenship =
            parse_country_list(&c).map_err(|e| corrupt("records.citizenship", &c, e))?;
    }
    rec.origin = parse::<CountryCode>("records.origin", r.get(14)?)?;
    rec.residence = r.get(15)?;
    if let Some(e) = r.get::<_, Option<String>>(16)? {
        rec.event = Some(
            vocab
                .term(&e)
                .map_err(|err| corrupt("records.event", &e, err))?,
        );
    }
    rec.event_date = parse("records.event_date", r.get(17)?)?;
    rec.place = r.get(18)?;
    rec.informant = parse("records.informant", r.get(19)?)?;
    rec.report_id = r.get(20)?;
    rec.quote = r.get(21)?;
    rec.notes = r.get(22)?;
    Ok(StoredRecord {
        id: RecordId(r.get(0)?),
        record: rec,
        person: r.get::<_, Option<i64>>(23)?.map(PersonId),
    })
}

const PAIR_SELECT: &str = "SELECT p.record_a, p.record_b, p.score,
    (SELECT d.decision FROM review_decisions d WHERE d.record_a = p.record_a
     AND d.record_b = p.record_b ORDER BY d.id DESC LIMIT 1)
    FROM link_pairs p";

/// The desk's indexes of `records`, by name, with the statement that builds each (as migrations
/// 0004 and 0005 made them). An event with a date window reads only the first: it covers the
/// window test and gives the page's order; a date window without an event reads the second.
/// A large import drops them (records.rs, `DEFER_INDEXES_AFTER`) and
/// [`Store::ensure_desk_indexes`] builds them again.
pub(crate) const DESK_INDEXES: [(&str, &str); 2] = [
    (
        "records_event_days",
        "CREATE INDEX IF NOT EXISTS records_event_days ON records (event, event_first_day, event_last_day)",
    ),
    (
        "records_days",
        "CREATE INDEX IF NOT EXISTS records_days ON records (event_first_day, event_last_day)",
    ),
];

/// Whether the database has an index called `name`.
pub(crate) fn index_exists(conn: &rusqlite::Connection, name: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'index' AND name = ?1",
        [name],
        |r| r.get(0),
    )?)
}

/// The page cache while the desk's indexes are built (KiB), which makes SQLite sort an index's
/// entries in runs of this size on a helper thread (`PRAGMA threads`) while it reads the next:
/// a million records' two index builds took the building thread 15-19% less CPU than one run
/// sorted after the scan, and the process no more in all.
const SORT_RUN_KIB: i64 = 8 * 1024;

impl Store {
    /// The id of the latest import (0 before the first): it changes whenever records may have
    /// changed, whichever process imported them, so the desk compares it to know when to build
    /// its indexes again and drop its cached name lists.
    pub fn data_generation(&self) -> Result<i64> {
        let Db::Sqlite(conn) = &self.db;
        Ok(conn
            .prepare_cached("SELECT coalesce(max(id), 0) FROM imports")?
            .query_row([], |r| r.get(0))?)
    }

    /// Builds the desk's indexes of `records` that are missing (a large import leaves them out),
    /// in one transaction; returns how many it built. The web desk runs it when it starts and
    /// after each import; without the indexes its event and date filters still answer, by
    /// reading the whole table. A million records take about 1.5-2 s.
    pub fn ensure_desk_indexes(&self) -> Result<usize> {
        let Db::Sqlite(conn) = &self.db;
        let missing = |conn: &rusqlite::Connection| -> Result<Vec<&'static str>> {
            let mut out = Vec::new();
            for (name, sql) in DESK_INDEXES {
                if !index_exists(conn, name)? {
                    out.push(sql);
                }
            }
            Ok(out)
        };
        if missing(conn)?.is_empty() {
            return Ok(0);
        }
        let cache: i64 = conn.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
        let threads: i64 = conn.query_row("PRAGMA threads", [], |r| r.get(0))?;
        conn.pragma_update(None, "cache_size", -SORT_RUN_KIB)?;
        conn.pragma_update(None, "threads", 1)?;
        // Immediate: another connection that built them meanwhile is seen before building.
        let built = (|| -> Result<usize> {
            let tx = rusqlite::Transaction::new_unchecked(
                conn,
                rusqlite::TransactionBehavior::Immediate,
            )?;
            let todo = missing(&tx)?;
            for sql in &todo {
                tx.execute_batch(sql)?;
            }
            tx.commit()?;
            Ok(todo.len())
        })();
        // The connection's own settings come back whether or not the build succeeded.
        conn.pragma_update(None, "cache_size", cache)?;
        conn.pragma_update(None, "threads", threads)?;
        built
    }

    /// The records matching `filter`: `limit` of them after `after` (from the first match
    /// without it), with a count of all matches up to `count_limit`.
    ///
    /// A name search intersects the words' record ids (from `name_postings`, kept in `cache`) in
    /// record order and checks the other filters on each match; filters alone run as one query on the
    /// `(event, event_first_day, event_last_day)` or `(event_first_day, event_last_day)` index,
    /// with the date window narrowed by the longest event window stored. Neither reads more
    /// than the page and the bounded count need, however many records the project holds.
    pub fn find_records(
        &self,
        filter: &RecordFilter,
        after: Option<PageCursor>,
        limit: u64,
        count_limit: u64,
        cache: &NameKeyCache,
    ) -> Result<RecordPage> {
        let (ids, total, total_is_lower_bound) =
            if filter.name_key_groups.iter().any(|g| !g.is_empty()) {
                self.find_by_name(filter, after, limit, count_limit, cache)?
            } else {
                self.find_by_filters(filter, after, limit, count_limit)?
            };
        let mut keys = self.record_keys(&ids)?;
        let next = if keys.len() as u64 > limit {
            keys.truncate(limit as usize);
            keys.last().map(|(id, _)| *id)
        } else {
            None
        };
        let next = match (next, filter.order()) {
            (None, _) => None,
            (Some(id), RecordOrder::Id) => Some(PageCursor::Id(id)),
            (Some(id), RecordOrder::EventDate) => Some(PageCursor::Date {
                days: self.event_days(id)?,
                id,
            }),
        };
        Ok(RecordPage {
            keys,
            total,
            total_is_lower_bound,
            next,
        })
    }

    /// Name search: up to `limit + 1` ids after the cursor, and the bounded count.
    fn find_by_name(
        &self,
        filter: &RecordFilter,
        after: Option<PageCursor>,
        limit: u64,
        count_limit: u64,
        cache: &NameKeyCache,
    ) -> Result<(Vec<RecordId>, u64, bool)> {
        let Db::Sqlite(conn) = &self.db;
        let generation = self.data_generation()?;
        let lists = filter
            .name_key_groups
            .iter()
            .filter(|g| !g.is_empty())
            .map(|g| cache.word(conn, generation, g))
            .collect::<Result<Vec<_>>>()?;
        let (clauses, params) = filter.sql_clauses();
        let check_sql = (!clauses.is_empty()).then(|| {
            format!(
                "SELECT 1 FROM records r JOIN sources s ON s.id = r.source_id
                 WHERE r.id = ? AND {}",
                clauses.join(" AND ")
            )
        });
        let passes = |id: i64| -> Result<bool> {
            let Some(sql) = &check_sql else {
                return Ok(true);
            };
            let mut stmt = conn.prepare_cached(sql)?;
            let mut all = Vec::with_capacity(params.len() + 1);
            all.push(Value::Integer(id));
            all.extend(params.iter().cloned());
            Ok(stmt.exists(rusqlite::params_from_iter(all.iter()))?)
        };
        let start = match after {
            Some(PageCursor::Id(id)) => id.0,
            _ => 0,
        };
        // The count runs from the first match (without a cursor the page is its beginning);
        // each match is checked against the other filters, a bounded number of them.
        let mut counted = 0u64;
        let mut checked = 0usize;
        let mut bounded = false;
        let mut page = Vec::new();
        intersect(&lists, 0, |id| {
            if counted > count_limit || checked >= CHECK_WORK && check_sql.is_some() {
                bounded = true;
                return Ok(false);
            }
            checked += 1;
            if passes(id)? {
                counted += 1;
                if start == 0 && (page.len() as u64) <= limit {
                    page.push(RecordId(id));
                }
            }
            Ok(true)
        })?;
        if start > 0 || (bounded && (page.len() as u64) <= limit) {
            let resume = page.last().map_or(start, |r: &RecordId| r.0);
            intersect(&lists, resume, |id| {
                if passes(id)? {
                    page.push(RecordId(id));
                }
                Ok((page.len() as u64) <= limit)
            })?;
        }
        if counted > count_limit {
            bounded = true;
        }
        Ok((page, counted.min(count_limit), bounded))
    }

    /// Filters without a name: up to `limit + 1` ids after the cursor, and the bounded count.
    fn find_by_filters(
        &self,
        filter: &RecordFilter,
        after: Option<PageCursor>,
        limit: u64,
        count_limit: u64,
    ) -> Result<(Vec<RecordId>, u64, bool)> {
        let Db::Sqlite(conn) = &self.db;
        let (mut clauses, mut params) = filter.sql_clauses();
        // An event window that ends on or after `from` starts at most the longest window
        // before it: a lower bound on the first day lets the index skip everything earlier.
        // The longest window is one step on migration 0006's count per window length.
        if let Some(from) = filter.from_day {
            let span: Option<i64> = conn
                .prepare_cached("SELECT max(span) FROM record_event_spans")?
                .query_row([], |r| r.get(0))?;
            clauses.push("r.event_first_day >= ?".into());
            params.push(Value::Integer(i64::from(from) - span.unwrap_or(0)));
        }
        // The join only when a source filters: without it the date indexes cover the query.
        let from = if filter.source.is_some() {
            "FROM records r JOIN sources s ON s.id = r.source_id"
        } else {
            "FROM records r"
        };
        let where_sql = |extra: &[&str]| {
            let all: Vec<&str> = clauses
                .iter()
                .map(String::as_str)
                .chain(extra.iter().copied())
                .collect();
            if all.is_empty() {
                String::new()
            } else {
                format!("WHERE {}", all.join(" AND "))
            }
        };

        let count_sql = format!(
            "SELECT count(*) FROM (SELECT 1 {from} {} LIMIT ?)",
            where_sql(&[])
        );
        let mut count_params = params.clone();
        count_params.push(Value::Integer((count_limit + 1) as i64));
        let counted: i64 = conn
            .prepare_cached(&count_sql)?
            .query_row(rusqlite::params_from_iter(count_params.iter()), |r| {
                r.get(0)
            })?;
        let counted = counted as u64;

        let want = limit + 1;
        let mut ids = Vec::new();
        let run = |extra: &[&str], extra_params: Vec<Value>, order: &str, n: u64| {
            let sql = format!(
                "SELECT r.id {from} {} ORDER BY {order} LIMIT ?",
                where_sql(extra)
            );
            let mut all = params.clone();
            all.extend(extra_params);
            all.push(Value::Integer(n as i64));
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map(rusqlite::params_from_iter(all.iter()), |r| {
                Ok(RecordId(r.get(0)?))
            })?;
            Ok::<_, StoreError>(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        };
        match filter.order() {
            RecordOrder::Id => {
                let after = match after {
                    Some(PageCursor::Id(id)) => id.0,
                    _ => 0,
                };
                ids = run(&["r.id > ?"], vec![Value::Integer(after)], "r.id", want)?;
            }
            RecordOrder::EventDate => {
                // Undated records first (only an event without dates lets them match), in id
                // order; then the dated ones by (first day, last day, id), the index's order.
                let dated_after = match after {
                    Some(PageCursor::Date {
                        days: Some((first, last)),
                        id,
                    }) => Some((first, last, id.0)),
                    _ => None,
                };
                if dated_after.is_none() && filter.from_day.is_none() && filter.to_day.is_none() {
                    let undated_after = match after {
                        Some(PageCursor::Date { days: None, id }) => id.0,
                        _ => 0,
                    };
                    ids = run(
                        &[
                            "r.event_first_day IS NULL",
                            "r.event_last_day IS NULL",
                            "r.id > ?",
                        ],
                        vec![Value::Integer(undated_after)],
                        "r.id",
                        want,
                    )?;
                }
                let left = want - ids.len() as u64;
                if left > 0 {
                    let (first, last, id) = dated_after.unwrap_or((i32::MIN, i32::MIN, 0));
                    ids.extend(run(
                        &[
                            "r.event_first_day IS NOT NULL",
                            "(r.event_first_day, r.event_last_day, r.id) > (?, ?, ?)",
                        ],
                        vec![
                            Value::Integer(i64::from(first)),
                            Value::Integer(i64::from(last)),
                            Value::Integer(id),
                        ],
                        "r.event_first_day, r.event_last_day, r.id",
                        left,
                    )?);
                }
            }
        }
        Ok((ids, counted.min(count_limit), counted > count_limit))
    }

    /// The source and record id of each of `ids`, in the order given.
    fn record_keys(&self, ids: &[RecordId]) -> Result<Vec<(RecordId, RecordKey)>> {
        let Db::Sqlite(conn) = &self.db;
        let mut stmt = conn.prepare_cached(
            "SELECT s.name, r.record_id FROM records r JOIN sources s ON s.id = r.source_id
             WHERE r.id = ?1",
        )?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let mut rows = stmt.query([id.0])?;
            if let Some(r) = rows.next()? {
                out.push((
                    *id,
                    RecordKey {
                        source: SourceName(r.get(0)?),
                        record_id: r.get(1)?,
                    },
                ));
            }
        }
        Ok(out)
    }

    /// A record's event window, as days since 1970-01-01.
    fn event_days(&self, id: RecordId) -> Result<Option<(i32, i32)>> {
        let Db::Sqlite(conn) = &self.db;
        let days: Option<(Option<i32>, Option<i32>)> = conn
            .prepare_cached("SELECT event_first_day, event_last_day FROM records WHERE id = ?1")?
            .query_row([id.0], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(match days {
            Some((Some(first), Some(last))) => Some((first, last)),
            _ => None,
        })
    }

    /// Settings for a connection of the web desk's pool: a smaller page cache each (the
    /// operating system's file cache is shared by all of them, the connections' own are not)
    /// and room for the desk's prepared statements.
    pub fn tune_for_serving(&self) -> Result<()> {
        let Db::Sqlite(conn) = &self.db;
        conn.pragma_update(None, "cache_size", -8_192)?;
        conn.set_prepared_statement_cache_capacity(64);
        Ok(())
    }

    /// The stored records with these ids, in the order given (ids not stored are left out).
    pub fn records_by_ids(&self, ids: &[RecordId]) -> Result<Vec<StoredRecord>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let vocab = self.event_vocabulary()?;
        let Db::Sqlite(conn) = &self.db;
        let marks = vec!["?"; ids.len()].join(",");
        let mut stmt = conn.prepare(&format!("{RECORD_SELECT} WHERE r.id IN ({marks})"))?;
        let mut rows = stmt.query(rusqlite::params_from_iter(ids.iter().map(|i| i.0)))?;
        let mut found = std::collections::HashMap::with_capacity(ids.len());
        while let Some(row) = rows.next()? {
            let r = read_record_row(row, &vocab)?;
            found.insert(r.id, r);
        }
        Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
    }

    /// The source and record id of a stored record.
    pub fn record_key(&self, id: RecordId) -> Result<Option<RecordKey>> {
        let Db::Sqlite(conn) = &self.db;
        let mut stmt = conn.prepare(
            "SELECT s.name, r.record_id FROM records r JOIN sources s ON s.id = r.source_id
             WHERE r.id = ?1",
        )?;
        let mut rows = stmt.query([id.0])?;
        match rows.next()? {
            Some(r) => Ok(Some(RecordKey {
                source: SourceName(r.get(0)?),
                record_id: r.get(1)?,
            })),
            None => Ok(None),
        }
    }

    /// The records of one person, by source name and record id.
    pub fn person_record_keys(&self, person: PersonId) -> Result<Vec<(RecordId, RecordKey)>> {
        let Db::Sqlite(conn) = &self.db;
        let mut stmt = conn.prepare(
            "SELECT r.id, s.name, r.record_id FROM person_records p
             JOIN records r ON r.id = p.record_id JOIN sources s ON s.id = r.source_id
             WHERE p.person_id = ?1 ORDER BY s.name, r.record_id",
        )?;
        let rows = stmt.query_map([person.0], |r| {
            Ok((
                RecordId(r.get(0)?),
                RecordKey {
                    source: SourceName(r.get(1)?),
                    record_id: r.get(2)?,
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The scored pairs between any two of `records`, with weights and decisions.
    pub fn pairs_among(&self, records: &[RecordId]) -> Result<Vec<PairView>> {
        if records.len() < 2 {
            return Ok(Vec::new());
        }
        let marks = vec!["?"; records.len()].join(",");
        let sql = format!(
            "{PAIR_SELECT} WHERE p.record_a IN ({marks}) AND p.record_b IN ({marks})
             ORDER BY p.record_a, p.record_b"
        );
        let ids: Vec<i64> = records.iter().chain(records).map(|r| r.0).collect();
        self.read_pairs(&sql, rusqlite::params_from_iter(ids))
    }

    /// Pairs no reviewer has decided (or only marked unsure) with a score in `low..=high`,
    /// the most uncertain first, `limit` of them; and how many there are in all.
    pub fn undecided_pairs(&self, low: f64, high: f64, limit: u64) -> Result<(Vec<PairView>, u64)> {
        let Db::Sqlite(conn) = &self.db;
        let undecided = "p.score BETWEEN ?1 AND ?2 AND NOT EXISTS (
                SELECT 1 FROM review_decisions d WHERE d.record_a = p.record_a
                AND d.record_b = p.record_b)";
        let total: i64 = conn.query_row(
            &format!("SELECT count(*) FROM link_pairs p WHERE {undecided}"),
            rusqlite::params![low, high],
            |r| r.get(0),
        )?;
        let sql = format!(
            "{PAIR_SELECT} WHERE {undecided} ORDER BY abs(p.score - 0.5), p.record_a, p.record_b LIMIT ?3"
        );
        let pairs = self.read_pairs(&sql, rusqlite::params![low, high, limit as i64])?;
        Ok((pairs, total as u64))
    }

    /// The persons of the two records of each undecided pair ([`Store::undecided_pairs`]'s
    /// pairs) whose records both belong to a person.
    pub fn undecided_pair_persons(&self, low: f64, high: f64) -> Result<Vec<(PersonId, PersonId)>> {
        let Db::Sqlite(conn) = &self.db;
        let mut stmt = conn.prepare(
            "SELECT pa.person_id, pb.person_id FROM link_pairs p
             JOIN person_records pa ON pa.record_id = p.record_a
             JOIN person_records pb ON pb.record_id = p.record_b
             WHERE p.score BETWEEN ?1 AND ?2 AND NOT EXISTS (
                SELECT 1 FROM review_decisions d WHERE d.record_a = p.record_a
                AND d.record_b = p.record_b)
             ORDER BY p.record_a, p.record_b",
        )?;
        let rows = stmt.query_map(rusqlite::params![low, high], |r| {
            Ok((PersonId(r.get(0)?), PersonId(r.get(1)?)))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn read_pairs(&self, sql: &str, params: impl rusqlite::Params) -> Result<Vec<PairView>> {
        let Db::Sqlite(conn) = &self.db;
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt.query_map(params, |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, f64>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (a, b, score, decision) = row?;
            let mut weights_stmt = conn.prepare_cached(
                "SELECT j.key, j.value FROM link_pairs p, json_each(p.weights) j
                 WHERE p.record_a = ?1 AND p.record_b = ?2 ORDER BY j.key",
            )?;
            let weights = weights_stmt
                .query_map([a, b], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, f64>(1)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            out.push(PairView {
                a: RecordId(a),
                b: RecordId(b),
                score,
                weights,
                decision,
            });
        }
        Ok(out)
    }

    /// Stores (or rescores) a candidate pair `a < b` with its match probability and per-field
    /// weights.
    pub fn put_link_pair(
        &mut self,
        a: RecordId,
        b: RecordId,
        score: f64,
        weights: &[(String, f64)],
    ) -> Result<()> {
        let Db::Sqlite(conn) = &self.db;
        conn.execute(
            "INSERT INTO link_pairs (record_a, record_b, score, weights) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (record_a, record_b) DO UPDATE SET score = excluded.score,
                 weights = excluded.weights",
            rusqlite::params![a.0, b.0, score, crate::linkage::weights_json(weights)],
        )?;
        Ok(())
    }

    /// Appends a reviewer's decision on the pair `a < b`.
    pub fn add_review_decision(
        &mut self,
        a: RecordId,
        b: RecordId,
        decision: &str,
        reviewer: &str,
    ) -> Result<()> {
        let Db::Sqlite(conn) = &self.db;
        conn.execute(
            "INSERT INTO review_decisions (record_a, record_b, decision, reviewer) VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![a.0, b.0, decision, reviewer],
        )?;
        Ok(())
    }

    /// Publishes an estimate run (JSON) on the desk.
    pub fn publish_estimate(
        &mut self,
        user: Option<crate::accounts::UserId>,
        result_json: &str,
    ) -> Result<()> {
        let Db::Sqlite(conn) = &self.db;
        conn.execute(
            "INSERT INTO published_estimates (user_id, result) VALUES (?1, ?2)",
            rusqlite::params![user.map(|u| u.0), result_json],
        )?;
        Ok(())
    }

    /// The latest published estimate run: when, and its JSON.
    pub fn latest_estimate(&self) -> Result<Option<(String, String)>> {
        let Db::Sqlite(conn) = &self.db;
        let mut stmt = conn.prepare(
            "SELECT created_at, result FROM published_estimates ORDER BY id DESC LIMIT 1",
        )?;
        let mut rows = stmt.query([])?;
        match rows.next()? {
            Some(r) => Ok(Some((r.get(0)?, r.get(1)?))),
            None => Ok(None),
        }
    }

    /// How many sources, records and persons the project holds.
    pub fn desk_counts(&self) -> Result<(u64, u64, u64)> {
        let Db::Sqlite(conn) = &self.db;
        let q = |sql: &str| -> Result<u64> {
            let n: i64 = conn.query_row(sql, [], |r| r.get(0))?;
            Ok(n as u64)
        };
        Ok((
            q("SELECT count(*) FROM sources")?,
            q("SELECT count(*) FROM records")?,
            q("SELECT count(DISTINCT person_id) FROM person_records")?,
        ))
    }

    /// Records per source name.
    pub fn records_per_source(&self) -> Result<Vec<(String, u64)>> {
        let Db::Sqlite(conn) = &self.db;
        let mut stmt = conn.prepare(
            "SELECT s.name, count(r.id) FROM sources s LEFT JOIN records r ON r.source_id = s.id
             GROUP BY s.id ORDER BY s.name",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ImportMode;
    use recount_types::Record;

    fn store_with(records: &[(&str, &str, &str, &str, &[&str])]) -> Store {
        let mut store = Store::open_in_memory().unwrap();
        let mut batch = store.begin_import("test.csv", ImportMode::Strict).unwrap();
        for (i, (source, id, event, place, keys)) in records.iter().enumerate() {
            let mut r = Record::new(*source, *id);
            r.name = Some(format!("name {id}"));
            r.event = recount_types::EventVocabulary::default().term(event).ok();
            r.place = Some((*place).to_owned());
            let keys: Vec<String> = keys.iter().map(|k| (*k).to_owned()).collect();
            batch.put(&r, i as u64 + 2, &keys).unwrap();
        }
        batch.commit().unwrap();
        store
    }

    fn ids(page: &RecordPage) -> Vec<&str> {
        page.keys
            .iter()
            .map(|(_, k)| k.record_id.as_str())
            .collect()
    }

    #[test]
    fn filters_and_name_key_groups_combine() {
        let store = store_with(&[
            (
                "hotline",
                "1",
                "exit_refused",
                "Upper Lars",
                &["bkblt", "asnv"],
            ),
            ("hotline", "2", "summoned", "Osh 100%", &["bkblt", "trv"]),
            ("lawyers", "3", "exit_refused", "upper lars", &["asnv"]),
        ]);
        let find = |f: RecordFilter| {
            store
                .find_records(&f, None, 50, 1000, &NameKeyCache::new(1000))
                .unwrap()
        };
        let all = find(RecordFilter::default());
        assert_eq!((ids(&all), all.total), (vec!["1", "2", "3"], 3));
        let f = RecordFilter {
            name_key_groups: vec![vec!["bkblt".into()]],
            ..Default::default()
        };
        assert_eq!(ids(&find(f)), ["1", "2"]);
        let f = RecordFilter {
            name_key_groups: vec![vec!["bkblt".into()], vec!["asnv".into(), "zzz".into()]],
            ..Default::default()
        };
        assert_eq!(ids(&find(f)), ["1"]);
        let f = RecordFilter {
            event: Some("exit_refused".into()),
            ..Default::default()
        };
        assert_eq!(ids(&find(f)), ["1", "3"]);
        let f = RecordFilter {
            place: Some("LARS".into()),
            source: Some("lawyers".into()),
            ..Default::default()
        };
        assert_eq!(ids(&find(f)), ["3"]);
        // LIKE's wildcards in the search text are taken literally.
        let f = RecordFilter {
            place: Some("0%".into()),
            ..Default::default()
        };
        assert_eq!(ids(&find(f)), ["2"]);
        let page = store
            .find_records(
                &RecordFilter::default(),
                None,
                1,
                1,
                &NameKeyCache::new(1000),
            )
            .unwrap();
        assert_eq!(
            (ids(&page), page.total, page.total_is_lower_bound),
            (vec!["1"], 1, true)
        );
        let page = store
            .find_records(
                &RecordFilter::default(),
                page.next,
                1,
                1,
                &NameKeyCache::new(1000),
            )
            .unwrap();
        assert_eq!(ids(&page), ["2"]);
    }

    /// Every page of a query, following the cursors.
    fn all_pages(store: &Store, f: &RecordFilter, limit: u64) -> Vec<Vec<String>> {
        let mut pages = Vec::new();
        let mut after = None;
        loop {
            let page = store
                .find_records(f, after, limit, 1000, &NameKeyCache::new(1000))
                .unwrap();
            pages.push(ids(&page).iter().map(|s| (*s).to_owned()).collect());
            match page.next {
                Some(n) => after = Some(n),
                None => return pages,
            }
        }
    }

    #[test]
    fn name_search_pages_through_every_match_once() {
        // 200 records; "a" on every 3rd, "b" on every 5th (through either of two keys).
        let rows: Vec<(String, Vec<&str>)> = (1..=200)
            .map(|i| {
                let mut keys = Vec::new();
                if i % 3 == 0 {
                    keys.push("a");
                }
                if i % 5 == 0 {
                    keys.push(if i % 2 == 0 { "b1" } else { "b2" });
                }
                (i.to_string(), keys)
            })
            .collect();
        let records: Vec<(&str, &str, &str, &str, &[&str])> = rows
            .iter()
            .map(|(id, k)| ("hotline", id.as_str(), "summoned", "Osh", k.as_slice()))
            .collect();
        let store = store_with(&records);
        let f = RecordFilter {
            name_key_groups: vec![vec!["a".into()], vec!["b1".into(), "b2".into()]],
            ..Default::default()
        };
        let expected: Vec<String> = (1..=200)
            .filter(|i| i % 15 == 0)
            .map(|i| i.to_string())
            .collect();
        let pages = all_pages(&store, &f, 4);
        assert_eq!(pages.concat(), expected);
        assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [4, 4, 4, 1]);
        let first = store
            .find_records(&f, None, 4, 10, &NameKeyCache::new(1000))
            .unwrap();
        assert_eq!((first.total, first.total_is_lower_bound), (10, true));
        let exact = store
            .find_records(&f, None, 4, 1000, &NameKeyCache::new(1000))
            .unwrap();
        assert_eq!((exact.total, exact.total_is_lower_bound), (13, false));
        // The other filters apply to the name's matches.
        let f = RecordFilter {
            source: Some("nobody".into()),
            ..f
        };
        assert_eq!(
            store
                .find_records(&f, None, 4, 1000, &NameKeyCache::new(1000))
                .unwrap()
                .total,
            0
        );
    }

    #[test]
    fn event_filters_order_by_date_with_undated_first_and_windows_overlap() {
        let mut store = Store::open_in_memory().unwrap();
        let mut batch = store.begin_import("t.csv", ImportMode::Strict).unwrap();
        let vocab = recount_types::EventVocabulary::default();
        let dates = [
            ("1", Some("2022-10-05")),
            ("2", None),
            ("3", Some("2022-09")),
            // A long window that starts well before October and ends in it.
            ("4", Some("2022-01-01/2022-10-02")),
            ("5", Some("2022-10-05")),
            ("6", Some("2022-11-01")),
            ("7", None),
            ("8", Some("2022-10")),
        ];
        for (i, (id, date)) in dates.iter().enumerate() {
            let mut r = Record::new("hotline", *id);
            r.name = Some("x".into());
            r.event = vocab.term("exit_refused").ok();
            r.event_date = date.map(|d| d.parse().unwrap());
            batch.put(&r, i as u64 + 2, &[]).unwrap();
        }
        batch.commit().unwrap();
        let f = RecordFilter {
            event: Some("exit_refused".into()),
            ..Default::default()
        };
        assert_eq!(f.order(), RecordOrder::EventDate);
        assert_eq!(
            all_pages(&store, &f, 3).concat(),
            ["2", "7", "4", "3", "8", "1", "5", "6"]
        );
        let october = |from: &str, to: &str| RecordFilter {
            event: Some("exit_refused".into()),
            from_day: Some(
                from.parse::<recount_types::EventDate>()
                    .unwrap()
                    .first_day(),
            ),
            to_day: Some(to.parse::<recount_types::EventDate>().unwrap().last_day()),
            ..Default::default()
        };
        let f = october("2022-10", "2022-10");
        assert_eq!(all_pages(&store, &f, 2).concat(), ["4", "8", "1", "5"]);
        let page = store
            .find_records(&f, None, 2, 1000, &NameKeyCache::new(1000))
            .unwrap();
        assert_eq!((page.total, page.total_is_lower_bound), (4, false));
        // Without the event the date index serves the same window.
        let f = RecordFilter {
            event: None,
            ..october("2022-10-03", "2022-10-05")
        };
        assert_eq!(all_pages(&store, &f, 10).concat(), ["8", "1", "5"]);
    }

    #[test]
    fn the_name_cache_serves_repeated_searches_and_forgets_them_after_an_import() {
        let mut store = store_with(&[
            ("hotline", "1", "summoned", "Osh", &["a", "b"]),
            ("hotline", "2", "summoned", "Osh", &["a"]),
        ]);
        let cache = NameKeyCache::new(1000);
        let f = RecordFilter {
            name_key_groups: vec![vec!["a".into()], vec!["b".into()]],
            ..Default::default()
        };
        let found = |store: &Store| {
            let page = store.find_records(&f, None, 50, 1000, &cache).unwrap();
            ids(&page)
                .iter()
                .map(|s| (*s).to_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(found(&store), ["1"]);
        assert_eq!(cache.held(), 3);
        assert_eq!(found(&store), ["1"]);
        let mut batch = store.begin_import("more.csv", ImportMode::Strict).unwrap();
        let mut r = Record::new("hotline", "3");
        r.name = Some("name 3".into());
        batch.put(&r, 2, &["a".into(), "b".into()]).unwrap();
        batch.commit().unwrap();
        assert_eq!(found(&store), ["1", "3"]);
        // Lists beyond the capacity are dropped, least recently used first: a (3 ids), b (2),
        // a again, then the word a-or-b (3 ids) pushes out b, not a.
        let small = NameKeyCache::new(6);
        for keys in [&["a"][..], &["b"], &["a"], &["a", "b"]] {
            let f = RecordFilter {
                name_key_groups: vec![keys.iter().map(|k| (*k).to_owned()).collect()],
                ..Default::default()
            };
            store.find_records(&f, None, 50, 1000, &small).unwrap();
        }
        assert_eq!(small.held(), 6);
    }

    #[test]
    fn intersection_gallops_over_long_gaps() {
        let a: std::sync::Arc<[i64]> = (1..=100_000).map(|i| i * 3).collect::<Vec<_>>().into();
        let b: std::sync::Arc<[i64]> = vec![6, 7, 299_997, 300_001].into();
        let mut out = Vec::new();
        intersect(&[a.clone(), b.clone()], 0, |id| {
            out.push(id);
            Ok(true)
        })
        .unwrap();
        assert_eq!(out, [6, 299_997]);
        out.clear();
        intersect(&[a, b], 6, |id| {
            out.push(id);
            Ok(true)
        })
        .unwrap();
        assert_eq!(out, [299_997]);
    }

    #[test]
    fn cursors_read_back_what_they_write() {
        for c in [
            PageCursor::Id(RecordId(7)),
            PageCursor::Date {
                days: Some((-3, 19_000)),
                id: RecordId(12),
            },
            PageCursor::Date {
                days: None,
                id: RecordId(1),
            },
        ] {
            assert_eq!(c.to_string().parse::<PageCursor>(), Ok(c));
        }
        for bad in ["", "x1", "i", "d1.2", "d1.2.3.4", "d-.5.1", "i1e3"] {
            assert!(bad.parse::<PageCursor>().is_err(), "{bad}");
        }
    }
}
