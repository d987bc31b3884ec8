//! The **cluster** step: from scored pairs to persons.
//!
//! Connected components at a threshold chain different people together through one weak link.
//! Instead this runs correlation clustering by greedy additive edge contraction (GAEC): every
//! pair's weight relative to the threshold (log-odds, positive = "same", negative =
//! "different") is an edge; the heaviest positive edge between two clusters is contracted and
//! their edges to third clusters are summed, so a cluster joins another only if the evidence
//! between them, in total, says "same". Two records of a source that lists each person once are
//! never put together, and reviewers' decisions are hard constraints: "same" is contracted
//! first, "different" can never be overridden.

use crate::prepare::{Dataset, Pair, RecordIndex};
use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// The clustering methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClusterMethod {
    /// Greedy additive edge contraction with constraints (the default).
    CorrelationGaec,
    /// Connected components of the pairs above the threshold, ignoring every constraint (for
    /// comparison only: it is what this module exists to improve on).
    ConnectedComponents,
}

impl ClusterMethod {
    pub fn description(self) -> &'static str {
        match self {
            ClusterMethod::CorrelationGaec => {
                "correlation clustering by greedy additive edge contraction on match weights relative to the threshold, with cannot-link constraints (sources that list each person once; reviewers' 'different') and must-link constraints (reviewers' 'same')"
            }
            ClusterMethod::ConnectedComponents => {
                "connected components of pairs above the threshold (no constraints)"
            }
        }
    }
}

/// A reviewer's hard constraint on a pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Constraint {
    Same(Pair),
    Different(Pair),
}

/// Persons: for each record, the index of the cluster's first record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Clustering {
    pub cluster_of: Vec<RecordIndex>,
    pub method: ClusterMethod,
    /// Merges refused because they would put two records of a once-per-person source together.
    pub refused_same_source: u64,
    /// Reviewers' "same" decisions that could not be honoured because they contradict a
    /// "different" decision.
    pub conflicting_decisions: u64,
}

impl Clustering {
    /// The number of persons.
    pub fn persons(&self) -> usize {
        self.cluster_of
            .iter()
            .enumerate()
            .filter(|(i, c)| **c as usize == *i)
            .count()
    }

    /// The members of every cluster, each sorted, clusters ordered by first member.
    pub fn clusters(&self) -> Vec<Vec<RecordIndex>> {
        let mut by: HashMap<RecordIndex, Vec<RecordIndex>> = HashMap::new();
        for (i, &c) in self.cluster_of.iter().enumerate() {
            by.entry(c).or_default().push(i as RecordIndex);
        }
        let mut out: Vec<Vec<RecordIndex>> = by.into_values().collect();
        out.sort_unstable_by_key(|v| v[0]);
        out
    }
}

/// What clustering one component gives: (record, root record) pairs, refused merges, conflicts.
type ComponentResult = (Vec<(u32, u32)>, u64, u64);

/// Must-link weight: contracted before any scored pair.
const MUST: f64 = 1e12;

#[derive(Debug, Clone, Copy, PartialEq)]
struct Edge(f64, u32, u32);
impl Eq for Edge {}
impl PartialOrd for Edge {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Edge {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0
            .total_cmp(&other.0)
            .then_with(|| other.1.cmp(&self.1))
            .then_with(|| other.2.cmp(&self.2))
    }
}

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        let p = parent[x as usize];
        parent[x as usize] = parent[p as usize];
        x = p;
    }
    x
}

/// Clusters records given their scored pairs (`weights[k]` in bits for `pairs[k]`), a threshold
/// on the match probability, and reviewers' constraints.
pub fn cluster(
    ds: &Dataset,
    pairs: &[Pair],
    weights: &[f32],
    threshold: f64,
    constraints: &[Constraint],
    method: ClusterMethod,
) -> Clustering {
    let n = ds.len();
    let t = crate::model::bits(threshold);
    let mut parent: Vec<u32> = (0..n as u32).collect();
    let union = |parent: &mut Vec<u32>, a: u32, b: u32| {
        let (ra, rb) = (find(parent, a), find(parent, b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            parent[hi as usize] = lo;
        }
    };
    for (p, &w) in pairs.iter().zip(weights) {
        if f64::from(w) > t {
            union(&mut parent, p.a, p.b);
        }
    }
    if method == ClusterMethod::ConnectedComponents {
        let cluster_of = canonical(&mut parent);
        return Clustering {
            cluster_of,
            method,
            refused_same_source: 0,
            conflicting_decisions: 0,
        };
    }
    for c in constraints {
        if let Constraint::Same(p) = c {
            union(&mut parent, p.a, p.b);
        }
    }
    // Components of positive edges and must-links are independent subproblems.
    let comp: Vec<u32> = (0..n as u32).map(|i| find(&mut parent, i)).collect();
    let mut size = vec![0u32; n];
    for &c in &comp {
        size[c as usize] += 1;
    }
    // Edges of each non-trivial component (every candidate pair inside it, with constraints).
    let mut edges: Vec<(u32, Pair, f64)> = Vec::new();
    for (p, &w) in pairs.iter().zip(weights) {
        let c = comp[p.a as usize];
        if c == comp[p.b as usize] && size[c as usize] > 1 {
            edges.push((c, *p, f64::from(w) - t));
        }
    }
    for c in constraints {
        let (p, w) = match c {
            Constraint::Same(p) => (*p, MUST),
            Constraint::Different(p) => (*p, f64::NEG_INFINITY),
        };
        let k = comp[p.a as usize];
        if k == comp[p.b as usize] && size[k as usize] > 1 {
            edges.push((k, p, w));
        }
    }
    edges.par_sort_unstable_by(|x, y| x.0.cmp(&y.0).then(x.1.cmp(&y.1)));
    let mut groups: Vec<&[(u32, Pair, f64)]> = Vec::new();
    let mut s = 0;
    for k in 1..=edges.len() {
        if k == edges.len() || edges[k].0 != edges[s].0 {
            groups.push(&edges[s..k]);
            s = k;
        }
    }
    let results: Vec<ComponentResult> = groups.par_iter().map(|g| gaec_component(ds, g)).collect();
    let mut out: Vec<u32> = (0..n as u32).collect();
    let (mut refused, mut conflicts) = (0, 0);
    for (assign, r, c) in results {
        for (rec, root) in assign {
            out[rec as usize] = root;
        }
        refused += r;
        conflicts += c;
    }
    let cluster_of = canonical(&mut out);
    Clustering {
        cluster_of,
        method,
        refused_same_source: refused,
        conflicting_decisions: conflicts,
    }
}

/// Relabels a parent array so that every record points at its cluster's smallest index.
fn canonical(parent: &mut [u32]) -> Vec<u32> {
    let n = parent.len();
    let roots: Vec<u32> = (0..n as u32).map(|i| find(parent, i)).collect();
    let mut min_of = vec![u32::MAX; n];
    for (i, &r) in roots.iter().enumerate() {
        min_of[r as usize] = min_of[r as usize].min(i as u32);
    }
    roots.iter().map(|&r| min_of[r as usize]).collect()
}

/// GAEC on one component. Returns (record, cluster root record) for every member, how many
/// merges the source constraint refused, and how many must-links could not be honoured.
pub(crate) fn gaec_component(
    ds: &Dataset,
    edges: &[(u32, Pair, f64)],
) -> (Vec<(u32, u32)>, u64, u64) {
    let mut nodes: Vec<u32> = edges.iter().flat_map(|(_, p, _)| [p.a, p.b]).collect();
    nodes.sort_unstable();
    nodes.dedup();
    let local = |r: u32| nodes.binary_search(&r).unwrap_or(0) as u32;
    let k = nodes.len();
    let mut adj: Vec<HashMap<u32, f64>> = vec![HashMap::new(); k];
    for (_, p, w) in edges {
        let (a, b) = (local(p.a), local(p.b));
        if a == b {
            continue;
        }
        let e = adj[a as usize].entry(b).or_insert(0.0);
        *e += w;
        let v = *e;
        adj[b as usize].insert(a, v);
    }
    // Once-per-person sources present in each cluster, sorted.
    let mut srcs: Vec<Vec<u32>> = nodes
        .iter()
        .map(|&r| {
            if ds.source_is_unique(r) {
                vec![ds.source[r as usize]]
            } else {
                Vec::new()
            }
        })
        .collect();
    let mut heap = BinaryHeap::new();
    for (a, m) in adj.iter().enumerate() {
        for (&b, &w) in m {
            if (a as u32) < b && w > 0.0 {
                heap.push(Edge(w, a as u32, b));
            }
        }
    }
    let mut parent: Vec<u32> = (0..k as u32).collect();
    let (mut refused, mut conflicts) = (0u64, 0u64);
    while let Some(Edge(w, a, b)) = heap.pop() {
        if parent[a as usize] != a || parent[b as usize] != b {
            continue;
        }
        if adj[a as usize].get(&b) != Some(&w) {
            continue;
        }
        let must = w >= MUST / 2.0;
        if !must && overlaps(&srcs[a as usize], &srcs[b as usize]) {
            refused += 1;
            adj[a as usize].insert(b, f64::NEG_INFINITY);
            adj[b as usize].insert(a, f64::NEG_INFINITY);
            continue;
        }
        let (keep, gone) = if adj[a as usize].len() >= adj[b as usize].len() {
            (a, b)
        } else {
            (b, a)
        };
        parent[gone as usize] = keep;
        let moved = std::mem::take(&mut adj[gone as usize]);
        adj[keep as usize].remove(&gone);
        for (nb, w2) in moved {
            if nb == keep {
                continue;
            }
            adj[nb as usize].remove(&gone);
            let e = adj[keep as usize].entry(nb).or_insert(0.0);
            *e += w2;
            let v = *e;
            adj[nb as usize].insert(keep, v);
            if v > 0.0 {
                heap.push(Edge(v, keep.min(nb), keep.max(nb)));
            }
        }
        let s = std::mem::take(&mut srcs[gone as usize]);
        let merged = merge_sorted(&srcs[keep as usize], &s);
        srcs[keep as usize] = merged;
    }
    // Must-links left uncontracted contradict a "different".
    for (_, p, w) in edges {
        if *w >= MUST / 2.0 {
            let (a, b) = (find(&mut parent, local(p.a)), find(&mut parent, local(p.b)));
            if a != b {
                conflicts += 1;
            }
        }
    }
    let mut min_of: HashMap<u32, u32> = HashMap::new();
    for (i, &r) in nodes.iter().enumerate() {
        let root = find(&mut parent, i as u32);
        let e = min_of.entry(root).or_insert(r);
        *e = (*e).min(r);
    }
    let assign = nodes
        .iter()
        .enumerate()
        .map(|(i, &r)| {
            let root = find(&mut parent, i as u32);
            (r, min_of[&root])
        })
        .collect();
    (assign, refused, conflicts)
}

fn overlaps(a: &[u32], b: &[u32]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            Ordering::Equal => return true,
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
        }
    }
    false
}

fn merge_sorted(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut v: Vec<u32> = a.iter().chain(b).copied().collect();
    v.sort_unstable();
    v.dedup();
    v
}
