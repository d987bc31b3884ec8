//! The **review** loop: which uncertain pairs a person should look at first (those whose
//! decision would change the most persons), the decisions themselves (same / different /
//! unsure, with who and when), and their two uses: hard constraints in clustering and labels for
//! re-estimating m.

use crate::cluster::{Clustering, Constraint};
use crate::model::{bits, probability};
use crate::prepare::{Dataset, Pair, RecordIndex};
use crate::train::Label;
use foldhash::{HashMap, HashMapExt};
use recount_types::RecordKey;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A reviewer's verdict on a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Same,
    Different,
    Unsure,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Same => "same",
            Verdict::Different => "different",
            Verdict::Unsure => "unsure",
        }
    }
}

impl std::str::FromStr for Verdict {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "same" | "s" => Ok(Verdict::Same),
            "different" | "d" => Ok(Verdict::Different),
            "unsure" | "u" => Ok(Verdict::Unsure),
            t => Err(format!(
                "'{t}' is not a decision (same, different or unsure)"
            )),
        }
    }
}

/// A reviewer's decision on two records, with who made it and when (the caller supplies the
/// time, as RFC 3339 text: this crate reads no clock).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub left: RecordKey,
    pub right: RecordKey,
    pub verdict: Verdict,
    pub reviewer: String,
    pub decided_at: String,
}

/// Decisions turned into clustering constraints and training labels. For a pair decided more
/// than once, the latest decision (by `decided_at`, then order given) counts; "unsure" adds no
/// constraint. Decisions naming records not in the data set are ignored and counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppliedDecisions {
    pub constraints: Vec<Constraint>,
    pub labels: Vec<Label>,
    /// Every pair with a decision, including "unsure" (not offered for review again).
    pub decided: Vec<Pair>,
    pub unknown_records: usize,
}

pub fn apply_decisions(ds: &Dataset, decisions: &[Decision]) -> AppliedDecisions {
    let index: HashMap<(&str, &str), RecordIndex> = (0..ds.len() as RecordIndex)
        .map(|i| ((ds.source_of(i).as_str(), ds.record_id(i)), i))
        .collect();
    let mut latest: BTreeMap<Pair, (&str, usize, Verdict)> = BTreeMap::new();
    let mut unknown = 0;
    for (k, d) in decisions.iter().enumerate() {
        let a = index.get(&(d.left.source.as_str(), d.left.record_id.as_str()));
        let b = index.get(&(d.right.source.as_str(), d.right.record_id.as_str()));
        let (Some(&a), Some(&b)) = (a, b) else {
            unknown += 1;
            continue;
        };
        if a == b {
            continue;
        }
        let p = Pair::new(a, b);
        let newer = latest
            .get(&p)
            .is_none_or(|(t, i, _)| (d.decided_at.as_str(), k) >= (*t, *i));
        if newer {
            latest.insert(p, (d.decided_at.as_str(), k, d.verdict));
        }
    }
    let mut out = AppliedDecisions {
        unknown_records: unknown,
        ..Default::default()
    };
    for (p, (_, _, v)) in latest {
        out.decided.push(p);
        match v {
            Verdict::Same => {
                out.constraints.push(Constraint::Same(p));
                out.labels.push(Label {
                    pair: p,
                    same: true,
                });
            }
            Verdict::Different => {
                out.constraints.push(Constraint::Different(p));
                out.labels.push(Label {
                    pair: p,
                    same: false,
                });
            }
            Verdict::Unsure => {}
        }
    }
    out
}

/// A pair offered for review.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewItem {
    pub pair: Pair,
    pub match_probability: f64,
    /// Whether the two records are in one person now.
    pub together_now: bool,
    /// How many record pairs would change between "same person" and "different persons" if
    /// the reviewer decided against the current clustering.
    pub change_if_overturned: u64,
    /// `change_if_overturned` times the model's probability that the decision overturns it:
    /// the queue's order.
    pub expected_change: f64,
}

/// The review queue: undecided candidate pairs whose probability lies between `low` and `high`,
/// ordered by how much a decision is expected to change the persons, at most `limit` of them.
#[allow(clippy::too_many_arguments)]
pub fn review_queue(
    ds: &Dataset,
    pairs: &[Pair],
    weights: &[f32],
    clustering: &Clustering,
    decided: &[Pair],
    threshold: f64,
    (low, high): (f64, f64),
    limit: usize,
) -> Vec<ReviewItem> {
    let decided: std::collections::HashSet<Pair> = decided.iter().copied().collect();
    let mut size: HashMap<RecordIndex, u64> = HashMap::new();
    for &c in &clustering.cluster_of {
        *size.entry(c).or_default() += 1;
    }
    // Pairs inside each non-trivial cluster, to re-cluster it under a "different" decision.
    let mut inside: HashMap<RecordIndex, Vec<usize>> = HashMap::new();
    for (k, p) in pairs.iter().enumerate() {
        let c = clustering.cluster_of[p.a as usize];
        if c == clustering.cluster_of[p.b as usize] {
            inside.entry(c).or_default().push(k);
        }
    }
    let t = bits(threshold);
    let mut items: Vec<ReviewItem> = pairs
        .iter()
        .zip(weights)
        .filter_map(|(p, &w)| {
            let prob = probability(w);
            if prob < low || prob > high || decided.contains(p) {
                return None;
            }
            let (ca, cb) = (
                clustering.cluster_of[p.a as usize],
                clustering.cluster_of[p.b as usize],
            );
            let together = ca == cb;
            let change = if together {
                let edges: Vec<(u32, Pair, f64)> = inside[&ca]
                    .iter()
                    .map(|&k| (0, pairs[k], f64::from(weights[k]) - t))
                    .chain(std::iter::once((0, *p, f64::NEG_INFINITY)))
                    .collect();
                split_cost(ds, &edges, size[&ca])
            } else {
                size[&ca] * size[&cb]
            };
            let overturn = if together { 1.0 - prob } else { prob };
            Some(ReviewItem {
                pair: *p,
                match_probability: prob,
                together_now: together,
                change_if_overturned: change,
                expected_change: change as f64 * overturn,
            })
        })
        .collect();
    items.sort_by(|x, y| {
        y.expected_change
            .total_cmp(&x.expected_change)
            .then(x.pair.cmp(&y.pair))
    });
    items.truncate(limit);
    items
}

/// How many record pairs of a cluster of `size` records stop being together when it is
/// re-clustered with the given edges (one of them a cannot-link).
fn split_cost(ds: &Dataset, edges: &[(u32, Pair, f64)], size: u64) -> u64 {
    let (assign, ..) = crate::cluster::gaec_component(ds, edges, None);
    let mut parts: HashMap<u32, u64> = HashMap::new();
    for (_, root) in assign {
        *parts.entry(root).or_default() += 1;
    }
    let together_after: u64 = parts.values().map(|s| s * (s - 1) / 2).sum();
    (size * (size - 1) / 2).saturating_sub(together_after)
}
