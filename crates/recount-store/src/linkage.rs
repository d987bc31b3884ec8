//! What linkage writes and reads: saved models, scored pairs with their review priority, review
//! decisions, and the persons of the latest run, replaced in one transaction.

use crate::desk::PairView;
use crate::{Db, Result, Store};
use recount_types::{PersonId, RecordId};

/// A saved linkage model (its JSON is the linkage crate's format).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedModel {
    pub id: i64,
    pub version: i64,
    pub json: String,
}

/// A reviewer's decision as stored (pairs in canonical order, `a < b`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDecision {
    pub a: RecordId,
    pub b: RecordId,
    /// `same`, `different` or `unsure`.
    pub decision: String,
    pub reviewer: String,
    /// RFC 3339, UTC.
    pub decided_at: String,
}

/// A scored candidate pair to store (`a < b`).
#[derive(Debug, Clone, PartialEq)]
pub struct ScoredPair {
    pub a: RecordId,
    pub b: RecordId,
    /// Match probability in [0, 1].
    pub score: f64,
    /// Per-field weights in bits, by field name.
    pub weights: Vec<(String, f64)>,
    /// How much a decision on this pair is expected to change the persons; `None`: not offered
    /// for review.
    pub review_priority: Option<f64>,
}

/// One person of a linkage run: the id to keep (`None`: a new person) and its records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonCluster {
    pub keep: Option<PersonId>,
    pub records: Vec<RecordId>,
}

/// Counts and settings of a linkage run, kept with its results (never any name).
#[derive(Debug, Clone, PartialEq)]
pub struct LinkageRunInfo {
    pub records: u64,
    pub threshold: f64,
    pub seed: u64,
    pub method: String,
    /// The model this run trained, as (version, JSON); `None` when training failed and the
    /// previous model was used.
    pub trained_model: Option<(i64, String)>,
}

/// What [`Store::save_linkage`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkageSaved {
    pub run_id: i64,
    pub model_id: Option<i64>,
    pub persons: u64,
    /// Persons that kept an id from before this run.
    pub persons_kept: u64,
    pub pairs: u64,
}

/// Renders per-field weights as the JSON object `link_pairs.weights` holds.
pub(crate) fn weights_json(weights: &[(String, f64)]) -> String {
    let body: Vec<String> = weights
        .iter()
        .filter(|(_, w)| w.is_finite())
        .map(|(k, w)| format!("\"{}\":{w}", k.replace('\\', "\\\\").replace('"', "\\\"")))
        .collect();
    format!("{{{}}}", body.join(","))
}

impl Store {
    /// The most recently saved linkage model.
    pub fn latest_linkage_model(&self) -> Result<Option<SavedModel>> {
        let Db::Sqlite(conn) = &self.db;
        let mut stmt =
            conn.prepare("SELECT id, version, model FROM linkage_models ORDER BY id DESC LIMIT 1")?;
        let mut rows = stmt.query([])?;
        match rows.next()? {
            Some(r) => Ok(Some(SavedModel {
                id: r.get(0)?,
                version: r.get(1)?,
                json: r.get(2)?,
            })),
            None => Ok(None),
        }
    }

    /// Every review decision, oldest first.
    pub fn review_decisions(&self) -> Result<Vec<StoredDecision>> {
        let Db::Sqlite(conn) = &self.db;
        let mut stmt = conn.prepare(
            "SELECT record_a, record_b, decision, reviewer, decided_at FROM review_decisions
             ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(StoredDecision {
                a: RecordId(r.get(0)?),
                b: RecordId(r.get(1)?),
                decision: r.get(2)?,
                reviewer: r.get(3)?,
                decided_at: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Replaces the scored pairs and the persons with a linkage run's, in one transaction, and
    /// saves the model it trained. Persons that keep an id keep their row; new persons get fresh
    /// ids (never reused); persons left without records are removed. Review decisions stay.
    pub fn save_linkage(
        &mut self,
        info: &LinkageRunInfo,
        pairs: &[ScoredPair],
        persons: &[PersonCluster],
    ) -> Result<LinkageSaved> {
        let Db::Sqlite(conn) = &mut self.db;
        let tx = conn.transaction()?;
        let model_id = match &info.trained_model {
            Some((version, json)) => {
                tx.execute(
                    "INSERT INTO linkage_models (version, model) VALUES (?1, ?2)",
                    rusqlite::params![version, json],
                )?;
                Some(tx.last_insert_rowid())
            }
            None => None,
        };
        let current_model: Option<i64> = match model_id {
            Some(id) => Some(id),
            None => tx.query_row("SELECT max(id) FROM linkage_models", [], |r| r.get(0))?,
        };
        tx.execute("DELETE FROM link_pairs", [])?;
        {
            let mut put = tx.prepare(
                "INSERT INTO link_pairs (record_a, record_b, score, weights, model_id, review_priority)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for p in pairs {
                let (a, b) = if p.a.0 < p.b.0 {
                    (p.a, p.b)
                } else {
                    (p.b, p.a)
                };
                put.execute(rusqlite::params![
                    a.0,
                    b.0,
                    p.score.clamp(0.0, 1.0),
                    weights_json(&p.weights),
                    current_model,
                    p.review_priority
                ])?;
            }
        }
        tx.execute("DELETE FROM person_records", [])?;
        let mut kept = 0u64;
        {
            let mut keep = tx.prepare("INSERT OR IGNORE INTO persons (id) VALUES (?1)")?;
            let mut fresh = tx.prepare("INSERT INTO persons DEFAULT VALUES")?;
            let mut assign =
                tx.prepare("INSERT INTO person_records (record_id, person_id) VALUES (?1, ?2)")?;
            for p in persons {
                let id = match p.keep {
                    Some(id) => {
                        keep.execute([id.0])?;
                        kept += 1;
                        id.0
                    }
                    None => {
                        fresh.execute([])?;
                        tx.last_insert_rowid()
                    }
                };
                for r in &p.records {
                    assign.execute([r.0, id])?;
                }
            }
        }
        tx.execute(
            "DELETE FROM persons WHERE id NOT IN (SELECT person_id FROM person_records)",
            [],
        )?;
        tx.execute(
            "INSERT INTO linkage_runs (model_id, records, persons, pairs, threshold, seed, method, trained)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            rusqlite::params![
                current_model,
                info.records as i64,
                persons.len() as i64,
                pairs.len() as i64,
                info.threshold,
                info.seed as i64,
                info.method,
                info.trained_model.is_some()
            ],
        )?;
        let run_id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(LinkageSaved {
            run_id,
            model_id,
            persons: persons.len() as u64,
            persons_kept: kept,
            pairs: pairs.len() as u64,
        })
    }

    /// The pairs offered for review that nobody has decided yet (an "unsure" counts as
    /// decided), the largest expected change first, at most `limit`; and how many there are.
    pub fn review_queue(&self, limit: u64) -> Result<(Vec<PairView>, u64)> {
        let Db::Sqlite(conn) = &self.db;
        let undecided = "p.review_priority IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM review_decisions d WHERE d.record_a = p.record_a
                AND d.record_b = p.record_b)";
        let total: i64 = conn.query_row(
            &format!("SELECT count(*) FROM link_pairs p WHERE {undecided}"),
            [],
            |r| r.get(0),
        )?;
        let mut stmt = conn.prepare(&format!(
            "SELECT p.record_a, p.record_b FROM link_pairs p WHERE {undecided}
             ORDER BY p.review_priority DESC, p.record_a, p.record_b LIMIT ?1"
        ))?;
        let ids = stmt
            .query_map([limit as i64], |r| {
                Ok((RecordId(r.get(0)?), RecordId(r.get(1)?)))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out = Vec::with_capacity(ids.len());
        for (a, b) in ids {
            out.extend(self.pairs_among(&[a, b])?);
        }
        Ok((out, total as u64))
    }

    /// Appends a decision with its time (RFC 3339) — for callers that read the clock
    /// themselves; [`Store::add_review_decision`] lets the database stamp it.
    pub fn add_review_decision_at(
        &mut self,
        a: RecordId,
        b: RecordId,
        decision: &str,
        reviewer: &str,
        decided_at: &str,
    ) -> Result<()> {
        let (a, b) = if a.0 < b.0 { (a, b) } else { (b, a) };
        let Db::Sqlite(conn) = &self.db;
        conn.execute(
            "INSERT INTO review_decisions (record_a, record_b, decision, reviewer, decided_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            rusqlite::params![a.0, b.0, decision, reviewer, decided_at],
        )?;
        Ok(())
    }

    /// How many linkage runs have been saved.
    pub fn linkage_runs(&self) -> Result<u64> {
        let Db::Sqlite(conn) = &self.db;
        let n: i64 = conn.query_row("SELECT count(*) FROM linkage_runs", [], |r| r.get(0))?;
        Ok(n as u64)
    }
}
