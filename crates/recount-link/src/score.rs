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
