//! Incremental linking: when records are added and linkage runs again, persons keep their ids
//! wherever their clusters did not change (and a cluster that only grew keeps its id too).

use recount_types::{PersonId, RecordKey};
use std::collections::BTreeMap;

/// Assigns person ids to `clusters` (each a list of record keys), reusing `previous` ids: each
/// previous id goes to the new cluster that holds most of its records (ties to the lower id and
/// the earlier cluster), each cluster gets at most one previous id, and clusters left without one
/// get fresh ids above every previous id, in cluster order.
pub fn stable_person_ids(
    previous: &BTreeMap<RecordKey, PersonId>,
    clusters: &[Vec<RecordKey>],
) -> Vec<PersonId> {
    let mut overlaps: Vec<(u64, PersonId, usize)> = Vec::new();
    for (ci, members) in clusters.iter().enumerate() {
        let mut counts: BTreeMap<PersonId, u64> = BTreeMap::new();
        for k in members {
            if let Some(&p) = previous.get(k) {
                *counts.entry(p).or_default() += 1;
            }
        }
        overlaps.extend(counts.into_iter().map(|(p, n)| (n, p, ci)));
    }
    overlaps.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut out: Vec<Option<PersonId>> = vec![None; clusters.len()];
    let mut used = std::collections::BTreeSet::new();
    for (_, p, ci) in overlaps {
        if out[ci].is_none() && !used.contains(&p) {
            out[ci] = Some(p);
            used.insert(p);
        }
    }
    let mut next = previous.values().map(|p| p.0).max().unwrap_or(0) + 1;
    out.into_iter()
        .map(|p| {
            p.unwrap_or_else(|| {
                let id = PersonId(next);
                next += 1;
                id
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> RecordKey {
        let (source, id) = s.split_once('/').unwrap();
        RecordKey {
            source: source.into(),
            record_id: id.to_owned(),
        }
    }

    fn clusters(spec: &[&[&str]]) -> Vec<Vec<RecordKey>> {
        spec.iter()
            .map(|c| c.iter().map(|k| key(k)).collect())
            .collect()
    }

    #[test]
    fn unchanged_and_grown_clusters_keep_their_ids() {
        let mut prev = BTreeMap::new();
        prev.insert(key("a/1"), PersonId(7));
        prev.insert(key("b/1"), PersonId(7));
        prev.insert(key("a/2"), PersonId(9));
        let ids = stable_person_ids(
            &prev,
            &clusters(&[&["a/2"], &["a/1", "b/1", "c/1"], &["c/2"]]),
        );
        assert_eq!(ids, vec![PersonId(9), PersonId(7), PersonId(10)]);
    }

    #[test]
    fn a_split_cluster_keeps_the_id_on_its_larger_part() {
        let mut prev = BTreeMap::new();
        for k in ["a/1", "b/1", "c/1"] {
            prev.insert(key(k), PersonId(3));
        }
        let ids = stable_person_ids(&prev, &clusters(&[&["a/1"], &["b/1", "c/1"]]));
        assert_eq!(ids, vec![PersonId(4), PersonId(3)]);
    }

    #[test]
    fn fresh_ids_start_at_one() {
        let ids = stable_person_ids(&BTreeMap::new(), &clusters(&[&["a/1"], &["a/2"]]));
        assert_eq!(ids, vec![PersonId(1), PersonId(2)]);
    }
}
