//! Training the model: u from randomly sampled pairs, then m and λ by expectation–maximisation
//! over the candidate pairs, with reviewers' decisions fixed where there are any. A run that
//! fails or degenerates returns why and leaves the caller's previous model untouched.

use crate::compare::{COMPARISONS, Gamma, MAX_CODES, compare};
use crate::model::{Method, Model, TrainingRun};
use crate::prepare::{Dataset, Pair, RecordIndex};
use crate::rng::SplitMix64;
use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;

/// The pseudo-count added to every level when m is re-estimated.
const M_PSEUDO_COUNT: f64 = 0.5;

/// Settings of a training run (none of them is tuned per data set).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TrainingConfig {
    pub seed: u64,
    /// How many random linkable pairs to compare for u.
    pub u_sample_pairs: usize,
    pub max_iterations: u32,
    /// EM stops when no parameter moves by more than this.
    pub tolerance: f64,
}

impl Default for TrainingConfig {
    fn default() -> Self {
        TrainingConfig {
            seed: 42,
            u_sample_pairs: 150_000,
            max_iterations: 200,
            tolerance: 1e-5,
        }
    }
}

/// Why a training run produced no model.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum TrainingFailure {
    #[error("too few records to train on ({0}; at least 2 are needed)")]
    TooFewRecords(usize),
    #[error(
        "no two records may be linked (every source lists each person once and there is only one source)"
    )]
    NothingLinkable,
    #[error("no candidate pairs: the blocking rules found no records worth comparing")]
    NoCandidates,
    #[error(
        "the training run found no plausible matches among {0} candidate pairs (expected matches {1:.2})"
    )]
    NoMatches(usize, f64),
    #[error("expectation–maximisation degenerated: {0}")]
    Degenerate(String),
}

/// A reviewer's decision on a pair, as training uses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label {
    pub pair: Pair,
    pub same: bool,
}

/// What a successful run says about itself.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingReport {
    pub em_iterations: u32,
    pub converged: bool,
    pub expected_matches: f64,
    pub sampled_pairs: u64,
}

/// Level counts among sampled random pairs.
#[derive(Debug, Clone)]
struct LevelCounts {
    counts: [[u64; MAX_CODES]; COMPARISONS],
    sampled: u64,
}

fn sample_u(ds: &Dataset, cfg: &TrainingConfig) -> LevelCounts {
    let n = ds.len() as u64;
    let linkable = ds.linkable_pairs();
    let target = (cfg.u_sample_pairs as f64).min(linkable).max(0.0) as usize;
    // Draw pairs in parallel from independent seeded streams; the chunking is fixed, so the
    // result depends only on the seed.
    const CHUNK: usize = 8192;
    let chunks = target.div_ceil(CHUNK);
    let counts = (0..chunks)
        .into_par_iter()
        .map(|c| {
            let mut rng =
                SplitMix64::new(cfg.seed ^ (c as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let want = CHUNK.min(target - c * CHUNK);
            let mut counts = [[0u64; MAX_CODES]; COMPARISONS];
            let (mut got, mut tries) = (0, 0);
            while got < want && tries < want * 50 {
                tries += 1;
                let i = rng.below(n) as RecordIndex;
                let j = rng.below(n) as RecordIndex;
                if i == j || !ds.may_link(i, j) {
                    continue;
                }
                let g = compare(ds, i, j);
                for (k, &code) in g.iter().enumerate() {
                    counts[k][usize::from(code)] += 1;
                }
                got += 1;
            }
            (counts, got as u64)
        })
        .reduce(
            || ([[0u64; MAX_CODES]; COMPARISONS], 0),
            |(mut a, n), (b, m)| {
                for k in 0..COMPARISONS {
                    for l in 0..MAX_CODES {
                        a[k][l] += b[k][l];
                    }
                }
                (a, n + m)
            },
        );
    LevelCounts {
        counts: counts.0,
        sampled: counts.1,
    }
}

/// Trains a new model from `previous`: u by random sampling, then m and λ by EM over the
/// candidates. `gammas[k]` is the comparison vector of `pairs[k]`; `labels` are reviewers'
/// decisions (pairs need not be candidates).
pub fn train(
    previous: &Model,
    ds: &Dataset,
    pairs: &[Pair],
    gammas: &[Gamma],
    labels: &[Label],
    cfg: &TrainingConfig,
) -> Result<(Model, TrainingReport), TrainingFailure> {
    if ds.len() < 2 {
        return Err(TrainingFailure::TooFewRecords(ds.len()));
    }
    let linkable = ds.linkable_pairs();
    if linkable < 1.0 {
        return Err(TrainingFailure::NothingLinkable);
    }
    if pairs.is_empty() && labels.is_empty() {
        return Err(TrainingFailure::NoCandidates);
    }
    let revision = previous.revision + 1;
    let mut model = previous.clone();
    model.revision = revision;

    // u by random sampling.
    let sample = sample_u(ds, cfg);
    for (ci, cp) in model.comparisons.iter_mut().enumerate() {
        let nonnull: u64 = sample.counts[ci][1..].iter().sum();
        if nonnull == 0 {
            continue;
        }
        let bound = 1.0 - 0.05f64.powf(1.0 / nonnull as f64);
        for (li, lp) in cp.levels.iter_mut().enumerate() {
            let c = sample.counts[ci][li + 1];
            if c == 0 {
                lp.u.set(revision, bound, Method::RandomSamplingBound, nonnull);
            } else {
                lp.u.set(
                    revision,
                    c as f64 / nonnull as f64,
                    Method::RandomSampling,
                    nonnull,
                );
            }
        }
    }

    // If random pairs agree on every comparison as often as not, nothing tells records apart.
    let informative = (0..COMPARISONS).any(|c| {
        let nonnull: u64 = sample.counts[c][1..].iter().sum();
        nonnull > 0 && sample.counts[c][1] * 2 < nonnull
    });
    if sample.sampled > 0 && !informative {
        return Err(TrainingFailure::Degenerate(
            "the records cannot be told apart: random pairs agree on every field as often as not"
                .into(),
        ));
    }

    // Distinct patterns (comparison vector and a quantised term-frequency adjustment) with
    // their counts: EM works on these, not on every pair.
    let weights = model.weights();
    let tf_bucket = |p: &Pair, g: &Gamma| -> i8 {
        let freq = pair_name_freq(ds, *p);
        (weights.tf_adjustment(g[0], freq) * 2.0).round() as i8
    };
    let labelled: HashMap<Pair, bool> = labels.iter().map(|l| (l.pair, l.same)).collect();
    let mut patterns: HashMap<(Gamma, i8), u64> = HashMap::new();
    for (p, g) in pairs.iter().zip(gammas) {
        if labelled.contains_key(p) {
            continue;
        }
        *patterns.entry((*g, tf_bucket(p, g))).or_default() += 1;
    }
    let mut patterns: Vec<((Gamma, i8), u64)> = patterns.into_iter().collect();
    patterns.sort_unstable();
    let fixed: Vec<(Gamma, bool)> = labels
        .iter()
        .map(|l| (compare(ds, l.pair.a, l.pair.b), l.same))
        .collect();

    let mut m: Vec<Vec<f64>> = model
        .comparisons
        .iter()
        .map(|c| c.levels.iter().map(|l| l.m.value).collect())
        .collect();
    let u: Vec<Vec<f64>> = model
        .comparisons
        .iter()
        .map(|c| c.levels.iter().map(|l| l.u.value).collect())
        .collect();
    let mut lambda = previous.prior.value.clamp(1e-12, 0.5);
    // Start λ at a sensible scale: about one match per record in the smaller half.
    if previous.revision == 0 {
        lambda = ((ds.len() as f64 / 2.0) / linkable).clamp(1e-12, 0.5);
    }
    let mut converged = false;
    let mut iterations = 0;
    let mut expected = 0.0;
    let mut exact_names = 0.0;
    for it in 0..cfg.max_iterations {
        iterations = it + 1;
        let prior = (lambda / (1.0 - lambda)).ln();
        let lw: Vec<Vec<f64>> = m
            .iter()
            .zip(&u)
            .map(|(mc, uc)| {
                mc.iter()
                    .zip(uc)
                    .map(|(a, b)| (a.max(1e-12) / b.max(1e-12)).ln())
                    .collect()
            })
            .collect();
        let mut acc = vec![vec![0f64; MAX_CODES]; COMPARISONS];
        let mut total = 0f64;
        let add = |g: &Gamma, p: f64, n: f64, acc: &mut Vec<Vec<f64>>| {
            for (c, &code) in g.iter().enumerate() {
                if code > 0 {
                    acc[c][usize::from(code) - 1] += p * n;
                }
            }
        };
        for ((g, tf), n) in &patterns {
            let mut s = prior + f64::from(*tf) * 0.5 * std::f64::consts::LN_2;
            for (c, &code) in g.iter().enumerate() {
                if code > 0 {
                    s += lw[c][usize::from(code) - 1];
                }
            }
            let p = 1.0 / (1.0 + (-s).exp());
            let n = *n as f64;
            total += p * n;
            add(g, p, n, &mut acc);
        }
        for (g, same) in &fixed {
            let p = if *same { 1.0 } else { 0.0 };
            total += p;
            add(g, p, 1.0, &mut acc);
        }
        expected = total;
        exact_names = acc[0][0];
        if !total.is_finite() {
            return Err(TrainingFailure::Degenerate(
                "the expected number of matches is not a number".into(),
            ));
        }
        if total < 1.0 {
            return Err(TrainingFailure::NoMatches(pairs.len(), total));
        }
        let mut delta = 0f64;
        for c in 0..COMPARISONS {
            let sum: f64 = acc[c].iter().sum();
            if sum < 1.0 {
                continue; // too little evidence on this comparison: keep m as it was
            }
            // Half a pair of pseudo-count per level keeps a level never seen among matches
            // from weighing minus infinity.
            let levels = m[c].len() as f64;
            for l in 0..m[c].len() {
                let new = (acc[c][l] + M_PSEUDO_COUNT) / (sum + M_PSEUDO_COUNT * levels);
                delta = delta.max((new - m[c][l]).abs());
                m[c][l] = new;
            }
        }
        let new_lambda = (total / linkable).clamp(1e-15, 0.5);
        delta = delta.max(((new_lambda - lambda) / lambda).abs() * 1e-3);
        lambda = new_lambda;
        if delta < cfg.tolerance {
            converged = true;
            break;
        }
    }
    if lambda >= 0.5 {
        return Err(TrainingFailure::Degenerate(
            "half or more of all linkable pairs would be matches; the data look like copies of a few records".into(),
        ));
    }
    // The strongest name level must be evidence for a match, or the model has flipped.
    let name_first = m[0][0] / u[0][0].max(1e-12);
    if exact_names >= 5.0 && name_first < 1.0 {
        return Err(TrainingFailure::Degenerate(
            "an exact name came out as evidence against a match".into(),
        ));
    }
    let method = if fixed.is_empty() {
        Method::Em
    } else {
        Method::EmWithDecisions
    };
    let n_pairs = (pairs.len() + fixed.len()) as u64;
    for (c, cp) in model.comparisons.iter_mut().enumerate() {
        for (l, lp) in cp.levels.iter_mut().enumerate() {
            if (lp.m.value - m[c][l]).abs() > 0.0 {
                lp.m.set(revision, m[c][l], method, n_pairs);
            }
        }
    }
    model.prior.set(revision, lambda, method, n_pairs);
    model.training.push(TrainingRun {
        revision,
        records: ds.len() as u64,
        candidate_pairs: pairs.len() as u64,
        sampled_pairs: sample.sampled,
        decisions: fixed.len() as u64,
        em_iterations: iterations,
        converged,
        expected_matches: expected,
        seed: cfg.seed,
    });
    let report = TrainingReport {
        em_iterations: iterations,
        converged,
        expected_matches: expected,
        sampled_pairs: sample.sampled,
    };
    Ok((model, report))
}

/// How common the pair's name value is relative to the average name: the larger of the two
/// records' name frequencies over the average. When either name is partial (a given name or
/// a surname alone), only that part can agree, so its frequency is used, relative to the
/// average part's.
pub(crate) fn pair_name_freq(ds: &Dataset, p: Pair) -> f32 {
    let partial = |i: RecordIndex| ds.name_features(i).is_some_and(|f| f.partial);
    if partial(p.a) || partial(p.b) {
        let f = |i: RecordIndex| {
            let n = ds.name[i as usize];
            if n == crate::prepare::NONE {
                0.0
            } else {
                ds.part_freq[n as usize]
            }
        };
        return f(p.a).max(f(p.b)) / ds.part_freq_mean.max(1e-12);
    }
    let f = |i: RecordIndex| {
        let n = ds.name[i as usize];
        if n == crate::prepare::NONE {
            1.0
        } else {
            ds.name_freq[n as usize]
        }
    };
    f(p.a).max(f(p.b)) / ds.name_freq_mean.max(1e-12)
}
