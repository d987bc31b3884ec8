//! Queries of the web desk: finding records by filters and by the stored name keys, one page at
//! a time, and the records of one person.

use crate::{Db, Result, Store, StoreError, StoredRecord};
use recount_types::{AgeRange, CountryCode, EventVocabulary, Record, parse_country_list};
use recount_types::{PersonId, RecordId, RecordKey, SourceName};
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
    /// The matching records on this page: by event date when filtered by event, else in
    /// database order.
    pub keys: Vec<(RecordId, RecordKey)>,
    /// How many records match, counted up to `count_limit`.
    pub total: u64,
    /// Whether more than `count_limit` records match.
    pub total_is_lower_bound: bool,
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

impl Store {
    /// The records matching `filter`, `limit` of them from `offset`, with a count of all matches
    /// up to `count_limit` (counting a million rows for a page of fifty is wasted work).
    pub fn find_records(
        &self,
        filter: &RecordFilter,
        offset: u64,
        limit: u64,
        count_limit: u64,
    ) -> Result<RecordPage> {
        let Db::Sqlite(conn) = &self.db;
        let mut clauses: Vec<String> = Vec::new();
        let mut params: Vec<Value> = Vec::new();
        for group in filter.name_key_groups.iter().filter(|g| !g.is_empty()) {
            let marks = vec!["?"; group.len()].join(",");
            clauses.push(format!(
                "r.id IN (SELECT record_id FROM name_keys WHERE key IN ({marks}))"
            ));
            params.extend(group.iter().map(|k| Value::Text(k.clone())));
        }
        if let Some(event) = &filter.event {
            clauses.push("r.event = ?".into());
            params.push(Value::Text(event.clone()));
        }
        if let Some(source) = &filter.source {
            clauses.push("s.name = ?".into());
            params.push(Value::Text(source.clone()));
        }
        if let Some(place) = &filter.place {
            let escaped = place
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            clauses.push("r.place LIKE ? ESCAPE '\\'".into());
            params.push(Value::Text(format!("%{escaped}%")));
        }
        if let Some(day) = filter.from_day {
            clauses.push("r.event_last_day >= ?".into());
            params.push(Value::Integer(i64::from(day)));
        }
        if let Some(day) = filter.to_day {
            clauses.push("r.event_first_day <= ?".into());
            params.push(Value::Integer(i64::from(day)));
        }
        let where_sql = if clauses.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", clauses.join(" AND "))
        };
        let from = "FROM records r JOIN sources s ON s.id = r.source_id";

        let count_sql = format!("SELECT count(*) FROM (SELECT 1 {from} {where_sql} LIMIT ?)");
        let mut count_params = params.clone();
        count_params.push(Value::Integer((count_limit + 1) as i64));
        let counted: i64 = conn.query_row(
            &count_sql,
            rusqlite::params_from_iter(count_params.iter()),
            |r| r.get(0),
        )?;
        let counted = counted as u64;

        // With an event, the (event, event_first_day) index gives the order and the page stops
        // early; ordering such a filter by id alone would sort every match first.
        let order = if filter.event.is_some() {
            "r.event_first_day, r.id"
        } else {
            "r.id"
        };
        let page_sql = format!(
            "SELECT r.id, s.name, r.record_id {from} {where_sql} ORDER BY {order} LIMIT ? OFFSET ?"
        );
        params.push(Value::Integer(limit as i64));
        params.push(Value::Integer(offset as i64));
        let mut stmt = conn.prepare(&page_sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(params.iter()), |r| {
            Ok((
                RecordId(r.get(0)?),
                RecordKey {
                    source: SourceName(r.get(1)?),
                    record_id: r.get(2)?,
                },
            ))
        })?;
        Ok(RecordPage {
            keys: rows.collect::<rusqlite::Result<Vec<_>>>()?,
            total: counted.min(count_limit),
            total_is_lower_bound: counted > count_limit,
        })
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
        let body: Vec<String> = weights
            .iter()
            .filter(|(_, w)| w.is_finite())
            .map(|(k, w)| format!("\"{}\":{w}", k.replace('\\', "\\\\").replace('"', "\\\"")))
            .collect();
        conn.execute(
            "INSERT INTO link_pairs (record_a, record_b, score, weights) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (record_a, record_b) DO UPDATE SET score = excluded.score,
                 weights = excluded.weights",
            rusqlite::params![a.0, b.0, score, format!("{{{}}}", body.join(","))],
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
        let find = |f: RecordFilter| store.find_records(&f, 0, 50, 1000).unwrap();
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
            .find_records(&RecordFilter::default(), 1, 1, 1)
            .unwrap();
        assert_eq!(
            (ids(&page), page.total, page.total_is_lower_bound),
            (vec!["2"], 1, true)
        );
    }
}
