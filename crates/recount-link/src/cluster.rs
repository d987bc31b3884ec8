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
//!
//! Blocking proposes only some pairs, and a pair it did not propose is not evidence of nothing:
//! a given name alone ("Erlan") may be proposed with Erlan Kasymov and with Erlan Zhumabaev,
//! who were never proposed with each other because their surnames differ. Counting only the
//! proposed pairs, the given name would join the two men into one person. So, given the
//! model's weights, every merge is checked against all the pairs between the two clusters:
//! those blocking did not propose are compared and scored then, and a merge whose pairs in
//! total say "different" is refused.

use crate::compare::compare;
use crate::model::Weights;
use crate::prepare::{Dataset, Pair, RecordIndex};
use crate::train::pair_name_freq;
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
                "correlation clustering by greedy additive edge contraction on match weights relative to the threshold, each merge checked against every pair between the two clusters (pairs blocking did not propose are scored then), with cannot-link constraints (sources that list each person once; reviewers' 'different') and must-link constraints (reviewers' 'same')"
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
    /// Merges refused because, with the pairs blocking had not proposed scored too, the two
    /// clusters' pairs in total said "different".
    pub refused_unproposed: u64,
}

/// How the clustering scores the pairs blocking did not propose: the model's weights and the
/// threshold (bits).
#[derive(Clone, Copy)]
pub(crate) struct Unproposed<'a> {
    pub weights: &'a Weights,
    pub threshold_bits: f64,
}

impl Unproposed<'_> {
    /// A pair's weight relative to the threshold, as the score step would give it.
    fn weight(&self, ds: &Dataset, a: u32, b: u32) -> f64 {
        let p = Pair::new(a, b);
        let g = compare(ds, p.a, p.b);
        f64::from(
            self.weights.gamma_weight(&g) + self.weights.tf_adjustment(g[0], pair_name_freq(ds, p)),
        ) - self.threshold_bits
    }
}

/// A merge is checked against the unproposed pairs only where the two clusters have at most
/// this many pairs between them (larger merges count the proposed pairs alone).
const MAX_CHECKED_PAIRS: usize = 2_500;

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

/// What clustering one component gives: (record, root record) pairs, merges refused by the
/// source constraint, conflicts, merges refused by the unproposed pairs.
type ComponentResult = (Vec<(u32, u32)>, u64, u64, u64);

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
///
/// With `model` (the weights that scored the pairs), merges are checked against the pairs
/// blocking did not propose (see the module's documentation).
pub fn cluster(
    ds: &Dataset,
    pairs: &[Pair],
    weights: &[f32],
    threshold: f64,
    constraints: &[Constraint],
    method: ClusterMethod,
    model: Option<&Weights>,
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
            refused_unproposed: 0,
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
    let unproposed = model.map(|weights| Unproposed {
        weights,
        threshold_bits: t,
    });
    let results: Vec<ComponentResult> = groups
        .par_iter()
        .map(|g| gaec_component(ds, g, unproposed))
        .collect();
    let mut out: Vec<u32> = (0..n as u32).collect();
    let (mut refused, mut conflicts, mut refused_unproposed) = (0, 0, 0);
    for (assign, r, c, u) in results {
        for (rec, root) in assign {
            out[rec as usize] = root;
        }
        refused += r;
        conflicts += c;
        refused_unproposed += u;
    }
    let cluster_of = canonical(&mut out);
    Clustering {
        cluster_of,
        method,
        refused_same_source: refused,
        conflicting_decisions: conflicts,
        refused_unproposed,
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
/// merges the source constraint refused, how many must-links could not be honoured, and how
/// many merges the unproposed pairs refused (with `unproposed`).
pub(crate) fn gaec_component(
    ds: &Dataset,
    edges: &[(u32, Pair, f64)],
    unproposed: Option<Unproposed<'_>>,
) -> ComponentResult {
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
    // Each proposed pair's weight (local indices, smaller first), and each cluster's members.
    let proposed: HashMap<(u32, u32), f64> = if unproposed.is_some() {
        let mut m = HashMap::with_capacity(edges.len());
        for (_, p, w) in edges {
            let (a, b) = (local(p.a), local(p.b));
            *m.entry((a.min(b), a.max(b))).or_insert(0.0) += w;
        }
        m
    } else {
        HashMap::new()
    };
    let mut members: Vec<Vec<u32>> = if unproposed.is_some() {
        (0..k as u32).map(|i| vec![i]).collect()
    } else {
        Vec::new()
    };
    let mut parent: Vec<u32> = (0..k as u32).collect();
    let (mut refused, mut conflicts, mut refused_unproposed) = (0u64, 0u64, 0u64);
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
        if let Some(u) = unproposed.filter(|_| !must) {
            let (ma, mb) = (&members[a as usize], &members[b as usize]);
            if ma.len() * mb.len() <= MAX_CHECKED_PAIRS {
                let mut total = 0.0;
                let mut scored = false;
                for &i in ma {
                    for &j in mb {
                        total += match proposed.get(&(i.min(j), i.max(j))) {
                            Some(&pw) => pw,
                            None => {
                                scored = true;
                                u.weight(ds, nodes[i as usize], nodes[j as usize])
                            }
                        };
                    }
                }
                if scored && total <= 0.0 {
                    refused_unproposed += 1;
                    adj[a as usize].insert(b, total);
                    adj[b as usize].insert(a, total);
                    continue;
                }
            }
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
        if !members.is_empty() {
            let moved = std::mem::take(&mut members[gone as usize]);
            members[keep as usize].extend(moved);
        }
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
    (assign, refused, conflicts, refused_unproposed)
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
