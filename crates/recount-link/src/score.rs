//! Scoring candidate pairs with a model, and explaining any pair's score as a waterfall: the
//! prior, then the weight each comparison contributed, then the term-frequency adjustment.

use crate::compare::{COMPARISONS, Comparison, Gamma, compare};
use crate::model::{Model, Weights, probability};
use crate::prepare::{Dataset, Pair};
use crate::train::pair_name_freq;
use rayon::prelude::*;
use serde::Serialize;

/// The match weight (in bits: log2 of the posterior odds) of every pair, in the pairs' order.
pub fn score_pairs(ds: &Dataset, weights: &Weights, pairs: &[Pair], gammas: &[Gamma]) -> Vec<f32> {
    pairs
        .par_iter()
        .zip(gammas.par_iter())
        .with_min_len(8192)
        .map(|(p, g)| weights.gamma_weight(g) + weights.tf_adjustment(g[0], pair_name_freq(ds, *p)))
        .collect()
}

/// One comparison's part of a pair's weight.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contribution {
    pub comparison: Comparison,
    pub level: &'static str,
    /// log2(m/u) of the level (0 for null).
    pub weight: f64,
    pub m: Option<f64>,
    pub u: Option<f64>,
}

/// A pair's score, step by step: `prior + Σ contributions + term_frequency = match_weight`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    pub prior: f64,
    pub contributions: Vec<Contribution>,
    /// The name's term-frequency adjustment (0 unless names agree on a TF-adjusted level).
    pub term_frequency: f64,
    pub match_weight: f64,
    pub match_probability: f64,
}

/// Explains the score of two records under a model.
pub fn explain(ds: &Dataset, model: &Model, pair: Pair) -> Explanation {
    let g = compare(ds, pair.a, pair.b);
    explain_gamma(ds, model, pair, &g)
}

/// Explains a pair whose comparison vector is known.
pub fn explain_gamma(ds: &Dataset, model: &Model, pair: Pair, g: &Gamma) -> Explanation {
    let w = model.weights();
    let contributions: Vec<Contribution> = (0..COMPARISONS)
        .map(|c| {
            let cmp = Comparison::ALL[c];
            let code = g[c];
            let params = (code > 0).then(|| &model.comparisons[c].levels[usize::from(code) - 1]);
            Contribution {
                comparison: cmp,
                level: cmp.level_label(code),
                weight: f64::from(w.level(c, code)),
                m: params.map(|p| p.m.value),
                u: params.map(|p| p.u.value),
            }
        })
        .collect();
    let tf = f64::from(w.tf_adjustment(g[0], pair_name_freq(ds, pair)));
    let total = f64::from(w.prior) + contributions.iter().map(|c| c.weight).sum::<f64>() + tf;
    Explanation {
        prior: f64::from(w.prior),
        contributions,
        term_frequency: tf,
        match_weight: total,
        match_probability: probability(total as f32),
    }
}

/// The largest share of one source's records taken to have a match in another source: a guard
/// that the estimate (E + 1) / (|S| + 2) reaches only for a source of about a thousand records
/// or more, every one of them matched.
const MAX_MATCH_SHARE: f64 = 0.999;

/// The change in weight (bits) each pair gets from what is known about its two sources.
///
/// **The sources' own prior.** The model's λ is one rate for all linkable pairs, but two lists
/// that share many people (a hotline and the lawyers it refers callers to) have a higher rate
/// than a list against itself (a caller who rang twice). Each pair of sources (s, t) gets
/// λ_st = (E_st + 1) / (N_st + 1/λ): its expected matches E_st (the sum of its candidate pairs'
/// probabilities) over its linkable pairs N_st, shrunk towards λ by one expected match. Its
/// pairs move by log2 of the prior odds λ_st over λ. With two sources this changes nothing.
///
/// **One-to-one.** When both sources list each person at most once (Sadinle's bipartite view
/// of Fellegi–Sunter), a record can be the same person as at most one record of the other
/// source, so its candidates there compete.
///
/// For a record `a` of source S and a candidate `b` of source T, with likelihood ratios `LR`
/// (2^(weight − prior)) and per-pair prior λ,
///
/// P(a = b) = λ·LR(a,b) / ((1 − π) + λ·Σ_{b' candidates of a in T} LR(a,b')),
///
/// where λ is the sources' prior λ_ST and π, the share of S's records that have a match in T,
/// is estimated from the expected number of matches E between S and T (the sum of the pairs'
/// ordinary probabilities) as (E + 1) / (|S| + 2): one pseudo-record with a match and one
/// without, so that a small source is not taken to be matched in full (then a lone candidate
/// with any evidence would be linked), while two lists of the same 5,000 people are taken to be
/// (FEBRL4: π ≈ 0.994). The smaller of the two directions' probabilities is used. Pairs
/// within a source, or with a source that contains duplicates, get the prior's change only.
pub fn one_to_one_adjustment(
    ds: &Dataset,
    pairs: &[Pair],
    weights: &[f32],
    prior_bits: f32,
) -> Vec<f32> {
    use foldhash::{HashMap, HashMapExt};
    let ns = ds.sources.len();
    let eligible = |p: &Pair| {
        let (s, t) = (ds.source[p.a as usize], ds.source[p.b as usize]);
        s != t && ds.source_is_unique(p.a) && ds.source_is_unique(p.b)
    };
    let lr =
        |w: f32| (f64::from(w - prior_bits).clamp(-200.0, 200.0) * std::f64::consts::LN_2).exp();
    let mut sums: HashMap<(u32, u32), f64> = HashMap::new();
    let mut expected = vec![0f64; ns * ns];
    for (p, &w) in pairs.iter().zip(weights) {
        let (s, t) = (ds.source[p.a as usize], ds.source[p.b as usize]);
        let prob = crate::model::probability(w);
        expected[s as usize * ns + t as usize] += prob;
        if s != t {
            expected[t as usize * ns + s as usize] += prob;
        }
        if !eligible(p) {
            continue;
        }
        let l = lr(w);
        *sums.entry((p.a, t)).or_default() += l;
        *sums.entry((p.b, s)).or_default() += l;
    }
    let mut size = vec![0f64; ns];
    for &s in &ds.source {
        size[s as usize] += 1.0;
    }
    let global = crate::model::probability(prior_bits).clamp(1e-300, 0.5);
    // The prior of each pair of sources, shrunk towards the global one by one expected match.
    let source_prior = |s: usize, t: usize| {
        let linkable = if s == t {
            size[s] * (size[s] - 1.0) / 2.0
        } else {
            size[s] * size[t]
        };
        ((expected[s * ns + t] + 1.0) / (linkable + 1.0 / global)).clamp(1e-300, 0.5)
    };
    pairs
        .iter()
        .zip(weights)
        .map(|(p, &w)| {
            let (s, t) = (
                ds.source[p.a as usize] as usize,
                ds.source[p.b as usize] as usize,
            );
            let lambda = source_prior(s, t);
            if !eligible(p) {
                return (crate::model::bits(lambda) - crate::model::bits(global)) as f32;
            }
            let l = lr(w);
            let dir = |rec: u32, from: usize, to: usize| {
                let pi = ((expected[from * ns + to] + 1.0) / (size[from] + 2.0))
                    .clamp(0.0, MAX_MATCH_SHARE);
                let sum = sums.get(&(rec, to as u32)).copied().unwrap_or(l);
                lambda * l / ((1.0 - pi) + lambda * sum)
            };
            let prob = dir(p.a, s, t)
                .min(dir(p.b, t, s))
                .clamp(1e-300, 1.0 - 1e-15);
            (crate::model::bits(prob) - f64::from(w)) as f32
        })
        .collect()
}
