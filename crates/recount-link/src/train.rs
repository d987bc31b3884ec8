//! Training the model: u from randomly sampled pairs, then m and λ by expectation–maximisation
//! over the candidate pairs, with reviewers' decisions fixed where there are any. A run that
//! fails or degenerates returns why and leaves the caller's previous model untouched.

use crate::compare::{COMPARISONS, Comparison, Gamma, MAX_CODES, compare};
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
    let patterns = grouped(
        pairs
            .iter()
            .zip(gammas)
            .filter(|(p, _)| !labelled.contains_key(p))
            .map(|(p, g)| (*g, tf_bucket(p, g))),
    );
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

    // Session 1: m of every comparison but the name, from pairs of records that give the same
    // full name (sampled from every name, not the candidates), with the name left out of
    // their scores. The candidates will not do: the blocking rules key on names with the birth
    // year, so among candidates a namesake already agrees on what would tell him apart, and
    // EM's "match" class takes namesakes in and learns that matches often differ in event
    // or origin. Among pairs that share a name, birth date, age, sex, origin and event are
    // free to disagree. (Splink's training sessions, one per blocking rule with the rule's
    // comparisons fixed, do the same.)
    let same_name = same_name_pairs(ds, cfg);
    let same_name_gammas = crate::compare::compare_pairs(ds, &same_name);
    let first_patterns = grouped(
        same_name
            .iter()
            .zip(&same_name_gammas)
            .filter(|(p, _)| !labelled.contains_key(p))
            .map(|(_, g)| (*g, 0)),
    );
    let mut train_others = true;
    if same_name.len() as u64 >= MIN_SESSION_PAIRS {
        let mut all_but_name = [true; COMPARISONS];
        for c in NAME_BOUND {
            all_but_name[c.index()] = false;
        }
        let session = Session {
            patterns: &first_patterns,
            fixed: &fixed,
            u: &u,
            scored: all_but_name,
            trained: all_but_name,
            pairs: (same_name.len() + fixed.len()) as f64,
        };
        // Pairs sharing a name may be mostly one person's records or mostly namesakes: EM
        // starts from both and keeps the likelier fit.
        let best = FIRST_SESSION_STARTS
            .iter()
            .filter_map(|&start| {
                let mut m_first = m.clone();
                let fit = em(&session, &mut m_first, start, cfg).ok()?;
                let loglik = session.log_likelihood(&m_first, fit.lambda);
                Some((loglik, fit, m_first))
            })
            .max_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((_, fit, m_first)) = best
            && fit.expected >= MIN_SESSION_MATCHES
        {
            m = m_first;
            train_others = false;
        }
    }
    // Session 2 (or the only one): every candidate, every comparison scored; only the name's
    // m (and λ) trained when session 1 settled the others.
    let mut trained = [train_others; COMPARISONS];
    for c in NAME_BOUND {
        trained[c.index()] = true;
    }
    let last = em(
        &Session {
            patterns: &patterns,
            fixed: &fixed,
            u: &u,
            scored: [true; COMPARISONS],
            trained,
            pairs: linkable,
        },
        &mut m,
        lambda,
        cfg,
    )?;
    let lambda = last.lambda;
    if lambda >= 0.5 {
        return Err(TrainingFailure::Degenerate(
            "half or more of all linkable pairs would be matches; the data look like copies of a few records".into(),
        ));
    }
    // The strongest name level must be evidence for a match, or the model has flipped.
    let name_first = m[0][0] / u[0][0].max(1e-12);
    if last.exact_names >= 5.0 && name_first < 1.0 {
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
        em_iterations: last.iterations,
        converged: last.converged,
        expected_matches: last.expected,
        seed: cfg.seed,
    });
    let report = TrainingReport {
        em_iterations: last.iterations,
        converged: last.converged,
        expected_matches: last.expected,
        sampled_pairs: sample.sampled,
    };
    Ok((model, report))
}

/// Distinct (comparison vector, quantised TF adjustment) patterns with their counts, in order:
/// EM works on these, not on every pair.
fn grouped(items: impl Iterator<Item = (Gamma, i8)>) -> Vec<((Gamma, i8), u64)> {
    let mut counts: HashMap<(Gamma, i8), u64> = HashMap::new();
    for key in items {
        *counts.entry(key).or_default() += 1;
    }
    let mut out: Vec<((Gamma, i8), u64)> = counts.into_iter().collect();
    out.sort_unstable();
    out
}

/// The fewest pairs, and expected matches among them, for the first session's m to be used.
const MIN_SESSION_PAIRS: u64 = 50;
const MIN_SESSION_MATCHES: f64 = 10.0;

/// The comparisons a shared name already makes agree more often than between random records:
/// the name itself, the sex it implies, and the nationality behind it (origin, citizenship).
/// The first session neither scores nor trains them; the second trains them over the
/// candidates.
const NAME_BOUND: [Comparison; 3] = [Comparison::Name, Comparison::Sex, Comparison::Citizenship];

/// The starting shares of matches of the first session's fits.
const FIRST_SESSION_STARTS: [f64; 3] = [0.5, 0.1, 0.01];

/// At most this many pairs of one name, and in all, for the first training session.
const SAME_NAME_PAIRS_PER_NAME: u64 = 64;
const SAME_NAME_PAIRS: usize = 200_000;

/// Pairs of linkable records that give the same full name (partial names left out): every
/// pair of a name with few records, a seeded sample of a common name's, and a seeded sample of
/// the whole when there are more than [`SAME_NAME_PAIRS`].
fn same_name_pairs(ds: &Dataset, cfg: &TrainingConfig) -> Vec<Pair> {
    let mut by_name: HashMap<u32, Vec<RecordIndex>> = HashMap::new();
    for i in 0..ds.len() as RecordIndex {
        let n = ds.name[i as usize];
        if n != crate::prepare::NONE && ds.name_features(i).is_some_and(|f| !f.partial) {
            by_name.entry(n).or_default().push(i);
        }
    }
    let mut groups: Vec<Vec<RecordIndex>> = by_name.into_values().filter(|g| g.len() > 1).collect();
    groups.sort_unstable();
    let mut rng = SplitMix64::new(cfg.seed ^ 0x5A4E_5A4E);
    let mut pairs = Vec::new();
    for g in &groups {
        let k = g.len() as u64;
        if k * (k - 1) / 2 <= SAME_NAME_PAIRS_PER_NAME {
            for (x, &a) in g.iter().enumerate() {
                for &b in &g[x + 1..] {
                    if ds.may_link(a, b) {
                        pairs.push(Pair { a, b });
                    }
                }
            }
        } else {
            for _ in 0..SAME_NAME_PAIRS_PER_NAME {
                let (x, y) = (rng.below(k) as usize, rng.below(k) as usize);
                let (a, b) = (g[x].min(g[y]), g[x].max(g[y]));
                if a != b && ds.may_link(a, b) {
                    pairs.push(Pair { a, b });
                }
            }
        }
    }
    if pairs.len() > SAME_NAME_PAIRS {
        // A partial Fisher–Yates shuffle keeps a uniform sample of the wanted size.
        for x in 0..SAME_NAME_PAIRS {
            let y = x + rng.below((pairs.len() - x) as u64) as usize;
            pairs.swap(x, y);
        }
        pairs.truncate(SAME_NAME_PAIRS);
    }
    pairs
}

/// One EM session: the distinct patterns with their counts, reviewers' decisions, the fixed u,
/// which comparisons enter a pair's score and which have their m re-estimated, and how many
/// pairs λ is a share of.
struct Session<'a> {
    patterns: &'a [((Gamma, i8), u64)],
    fixed: &'a [(Gamma, bool)],
    u: &'a [Vec<f64>],
    scored: [bool; COMPARISONS],
    trained: [bool; COMPARISONS],
    pairs: f64,
}

impl Session<'_> {
    /// The log-likelihood of the session's pairs under the two-class mixture (reviewers'
    /// decisions left out: they are fixed in every fit alike).
    fn log_likelihood(&self, m: &[Vec<f64>], lambda: f64) -> f64 {
        let lambda = lambda.clamp(1e-15, 1.0 - 1e-9);
        self.patterns
            .iter()
            .map(|((g, _), n)| {
                let (mut lm, mut lu) = (lambda.ln(), (1.0 - lambda).ln());
                for (c, &code) in g.iter().enumerate() {
                    if code > 0 && self.scored[c] {
                        let l = usize::from(code) - 1;
                        lm += m[c][l].max(1e-300).ln();
                        lu += self.u[c][l].max(1e-300).ln();
                    }
                }
                let hi = lm.max(lu);
                *n as f64 * (hi + ((lm - hi).exp() + (lu - hi).exp()).ln())
            })
            .sum()
    }
}

struct SessionResult {
    lambda: f64,
    iterations: u32,
    converged: bool,
    expected: f64,
    exact_names: f64,
}

/// Expectation–maximisation of `m` (in place, for the trained comparisons) and of λ.
fn em(
    s: &Session<'_>,
    m: &mut [Vec<f64>],
    lambda: f64,
    cfg: &TrainingConfig,
) -> Result<SessionResult, TrainingFailure> {
    let mut lambda = lambda.clamp(1e-15, 1.0 - 1e-9);
    let mut out = SessionResult {
        lambda,
        iterations: 0,
        converged: false,
        expected: 0.0,
        exact_names: 0.0,
    };
    let pattern_count = s.patterns.iter().map(|(_, n)| *n as usize).sum::<usize>() + s.fixed.len();
    for it in 0..cfg.max_iterations {
        out.iterations = it + 1;
        let prior = (lambda / (1.0 - lambda)).ln();
        let lw: Vec<Vec<f64>> = m
            .iter()
            .zip(s.u)
            .enumerate()
            .map(|(c, (mc, uc))| {
                mc.iter()
                    .zip(uc)
                    .map(|(a, b)| {
                        if s.scored[c] {
                            (a.max(1e-12) / b.max(1e-12)).ln()
                        } else {
                            0.0
                        }
                    })
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
        for ((g, tf), n) in s.patterns {
            let mut score = prior + f64::from(*tf) * 0.5 * std::f64::consts::LN_2;
            for (c, &code) in g.iter().enumerate() {
                if code > 0 {
                    score += lw[c][usize::from(code) - 1];
                }
            }
            let p = 1.0 / (1.0 + (-score).exp());
            let n = *n as f64;
            total += p * n;
            add(g, p, n, &mut acc);
        }
        for (g, same) in s.fixed {
            let p = if *same { 1.0 } else { 0.0 };
            total += p;
            add(g, p, 1.0, &mut acc);
        }
        out.expected = total;
        out.exact_names = acc[0][0];
        if !total.is_finite() {
            return Err(TrainingFailure::Degenerate(
                "the expected number of matches is not a number".into(),
            ));
        }
        if total < 1.0 {
            return Err(TrainingFailure::NoMatches(pattern_count, total));
        }
        let mut delta = 0f64;
        for c in (0..COMPARISONS).filter(|&c| s.trained[c]) {
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
        let new_lambda = (total / s.pairs).clamp(1e-15, 1.0 - 1e-9);
        delta = delta.max(((new_lambda - lambda) / lambda).abs() * 1e-3);
        lambda = new_lambda;
        out.lambda = lambda;
        if delta < cfg.tolerance {
            out.converged = true;
            break;
        }
    }
    Ok(out)
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
