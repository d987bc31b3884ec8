//! Name postings (migration 0005): for each name key, the ids of the records having it, packed
//! one row per key and bucket of 65,536 ids, and each record's own keys beside it.
//!
//! An import gathers the postings of the records it inserts in memory, one bucket at a time,
//! and writes each key's list once per bucket, sorted by key: a million records with ten keys
//! each become a few thousand rows instead of ten million.

use crate::Result;
use foldhash::{HashMap, HashSet};
use rusqlite::{OptionalExtension, params};
use std::collections::BTreeMap;
use std::sync::Arc;

/// How many low bits of a record id its offset in a bucket takes.
const BUCKET_BITS: u32 = 16;

fn bucket_of(id: i64) -> i64 {
    id >> BUCKET_BITS
}

fn offset_of(id: i64) -> u16 {
    (id & ((1 << BUCKET_BITS) - 1)) as u16
}

/// Appends the record ids of one posting row to `out`, in the row's order (ascending).
pub(crate) fn decode_into(bucket: i64, ids: &[u8], out: &mut Vec<i64>) {
    let base = bucket << BUCKET_BITS;
    out.extend(
        ids.chunks_exact(2)
            .map(|c| base | i64::from(u16::from_be_bytes([c[0], c[1]]))),
    );
}

fn encode(offsets: &[u16]) -> Vec<u8> {
    offsets.iter().flat_map(|o| o.to_be_bytes()).collect()
}

fn decode_offsets(ids: &[u8]) -> Vec<u16> {
    ids.chunks_exact(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]))
        .collect()
}

/// The sorted union of two ascending lists.
pub(crate) fn union<T: Ord + Copy>(a: &[T], b: &[T]) -> Vec<T> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

/// The name keys of one record, sorted and each once, with their stored form (a JSON array of
/// strings, the `records.name_keys` column). Records with the same name can share one value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NameKeys {
    keys: Vec<String>,
    json: String,
}

impl NameKeys {
    pub fn new(mut keys: Vec<String>) -> NameKeys {
        keys.sort_unstable();
        keys.dedup();
        let mut json = String::with_capacity(keys.iter().map(|k| k.len() + 3).sum::<usize>() + 2);
        json.push('[');
        for (i, k) in keys.iter().enumerate() {
            if i > 0 {
                json.push(',');
            }
            push_json_string(&mut json, k);
        }
        json.push(']');
        NameKeys { keys, json }
    }

    /// The keys, sorted, each once.
    pub fn keys(&self) -> &[String] {
        &self.keys
    }

    /// The stored form; `None` when there are no keys.
    pub(crate) fn stored(&self) -> Option<&str> {
        (!self.keys.is_empty()).then_some(self.json.as_str())
    }
}

/// Writes `s` as a JSON string (RFC 8259), as SQLite's json functions read it back.
fn push_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The postings of the records an import inserts, gathered for the bucket being filled and
/// written when the import moves on to the next bucket or commits.
pub(crate) struct PendingPostings {
    bucket: Option<i64>,
    /// The key sets met in this bucket (records of the same name share one `Arc`), and where
    /// each is in `sets`: a record costs one map lookup, not one per key. Keyed by the `Arc`'s
    /// address, which stays taken while `sets` holds the `Arc`.
    groups: HashMap<usize, u32>,
    sets: Vec<Arc<NameKeys>>,
    /// Each record of the bucket as (offset, index in `sets`), in the order added.
    records: Vec<(u16, u32)>,
    /// Buckets from this one on held no record when the import began, so they have no posting
    /// rows to merge with (unless this import already wrote them: `written`).
    fresh_from: i64,
    written: HashSet<i64>,
}

impl PendingPostings {
    /// Pending postings for an import into a table whose largest record id is `max_id`.
    pub(crate) fn new(max_id: i64) -> PendingPostings {
        PendingPostings {
            bucket: None,
            groups: HashMap::default(),
            sets: Vec::new(),
            records: Vec::new(),
            fresh_from: bucket_of(max_id) + 1,
            written: HashSet::default(),
        }
    }

    /// Notes that the new record `id` has `keys`; writes the previous bucket's postings first
    /// when `id` is in another bucket.
    pub(crate) fn add(
        &mut self,
        tx: &rusqlite::Transaction<'_>,
        id: i64,
        keys: &Arc<NameKeys>,
    ) -> Result<()> {
        if keys.keys.is_empty() {
            return Ok(());
        }
        let bucket = bucket_of(id);
        if self.bucket != Some(bucket) {
            self.flush(tx)?;
            self.bucket = Some(bucket);
        }
        let sets = &mut self.sets;
        let set = *self
            .groups
            .entry(Arc::as_ptr(keys) as usize)
            .or_insert_with(|| {
                sets.push(keys.clone());
                (sets.len() - 1) as u32
            });
        self.records.push((offset_of(id), set));
        Ok(())
    }

    /// Writes the gathered postings: one row per key, keys in order.
    pub(crate) fn flush(&mut self, tx: &rusqlite::Transaction<'_>) -> Result<()> {
        let Some(bucket) = self.bucket.take() else {
            return Ok(());
        };
        // Each key's list, and for each key set the lists of its keys: found once per set.
        let mut list_of: HashMap<&str, usize> = HashMap::default();
        let mut lists: Vec<(&str, Vec<u16>)> = Vec::new();
        let set_lists: Vec<Vec<usize>> = self
            .sets
            .iter()
            .map(|set| {
                set.keys
                    .iter()
                    .map(|k| {
                        *list_of.entry(k.as_str()).or_insert_with(|| {
                            lists.push((k.as_str(), Vec::new()));
                            lists.len() - 1
                        })
                    })
                    .collect()
            })
            .collect();
        // Records come in id order (an import inserts in order), so each list is filled in
        // order and needs no sort; the check keeps that true whatever the caller did.
        if !self.records.is_sorted_by_key(|(offset, _)| *offset) {
            self.records.sort_by_key(|(offset, _)| *offset);
        }
        for (offset, set) in &self.records {
            for list in &set_lists[*set as usize] {
                lists[*list].1.push(*offset);
            }
        }
        lists.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let fresh = bucket >= self.fresh_from && !self.written.contains(&bucket);
        for (key, mut offsets) in lists {
            offsets.dedup();
            if fresh {
                tx.prepare_cached(
                    "INSERT INTO name_postings (key, bucket, ids) VALUES (?1, ?2, ?3)",
                )?
                .execute(params![key, bucket, encode(&offsets)])?;
            } else {
                add_offsets(tx, key, bucket, &offsets)?;
            }
        }
        self.written.insert(bucket);
        self.groups.clear();
        self.sets.clear();
        self.records.clear();
        Ok(())
    }
}

/// Merges `offsets` into the stored posting row of `key` in `bucket`.
fn add_offsets(
    tx: &rusqlite::Transaction<'_>,
    key: &str,
    bucket: i64,
    offsets: &[u16],
) -> Result<()> {
    let stored = stored_offsets(tx, key, bucket)?;
    let merged = union(&stored, offsets);
    tx.prepare_cached(
        "INSERT INTO name_postings (key, bucket, ids) VALUES (?1, ?2, ?3)
         ON CONFLICT (key, bucket) DO UPDATE SET ids = excluded.ids",
    )?
    .execute(params![key, bucket, encode(&merged)])?;
    Ok(())
}

fn stored_offsets(tx: &rusqlite::Transaction<'_>, key: &str, bucket: i64) -> Result<Vec<u16>> {
    let blob: Option<Vec<u8>> = tx
        .prepare_cached("SELECT ids FROM name_postings WHERE key = ?1 AND bucket = ?2")?
        .query_row(params![key, bucket], |r| r.get(0))
        .optional()?;
    Ok(blob.map(|b| decode_offsets(&b)).unwrap_or_default())
}

/// Changes to the postings of records an import replaced (`--update`), gathered per key and
/// bucket and written at commit: replacing many records then rewrites each posting row once,
/// not once per record.
#[derive(Default)]
pub(crate) struct PendingChanges {
    /// (key, bucket) → (offsets to take out, offsets to put in).
    changes: BTreeMap<(String, i64), (Vec<u16>, Vec<u16>)>,
}

impl PendingChanges {
    /// Notes that the stored record `id`, whose keys were `old`, now has the keys `new`.
    pub(crate) fn replace(&mut self, id: i64, old: &[String], new: &[String]) {
        let (bucket, offset) = (bucket_of(id), offset_of(id));
        for key in old.iter().filter(|k| !new.contains(k)) {
            self.entry(key, bucket).0.push(offset);
        }
        for key in new.iter().filter(|k| !old.contains(k)) {
            self.entry(key, bucket).1.push(offset);
        }
    }

    fn entry(&mut self, key: &str, bucket: i64) -> &mut (Vec<u16>, Vec<u16>) {
        self.changes.entry((key.to_owned(), bucket)).or_default()
    }

    /// Writes the gathered changes.
    pub(crate) fn apply(&mut self, tx: &rusqlite::Transaction<'_>) -> Result<()> {
        for ((key, bucket), (mut out, mut put_in)) in std::mem::take(&mut self.changes) {
            out.sort_unstable();
            put_in.sort_unstable();
            put_in.dedup();
            let mut stored = stored_offsets(tx, &key, bucket)?;
            stored.retain(|o| out.binary_search(o).is_err());
            let merged = union(&stored, &put_in);
            if merged.is_empty() {
                tx.prepare_cached("DELETE FROM name_postings WHERE key = ?1 AND bucket = ?2")?
                    .execute(params![key, bucket])?;
            } else {
                tx.prepare_cached(
                    "INSERT INTO name_postings (key, bucket, ids) VALUES (?1, ?2, ?3)
                     ON CONFLICT (key, bucket) DO UPDATE SET ids = excluded.ids",
                )?
                .execute(params![key, bucket, encode(&merged)])?;
            }
        }
        Ok(())
    }
}

/// The keys stored with record `id`, sorted.
pub(crate) fn record_keys(conn: &rusqlite::Connection, id: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT j.value FROM records r, json_each(r.name_keys) j WHERE r.id = ?1 ORDER BY j.value",
    )?;
    let rows = stmt.query_map([id], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The ids of the records having `key`, ascending.
pub(crate) fn key_ids(conn: &rusqlite::Connection, key: &str) -> Result<Vec<i64>> {
    let mut stmt = conn
        .prepare_cached("SELECT bucket, ids FROM name_postings WHERE key = ?1 ORDER BY bucket")?;
    let mut rows = stmt.query([key])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let bucket: i64 = r.get(0)?;
        let ids = r
            .get_ref(1)?
            .as_blob()
            .map_err(|e| crate::StoreError::Sqlite(e.into()))?;
        decode_into(bucket, ids, &mut out);
    }
    Ok(out)
}
