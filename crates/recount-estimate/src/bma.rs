//! Bayesian model averaging over decomposable graphical models (Madigan & York 1997), the method
//! of HRDAG's R package dga: each decomposable graph on the lists is a model with a hyper-Dirichlet
//! prior on the cell probabilities (δ per cell of the full table), the prior on N is ∝ 1/N, graphs
//! are equally likely a priori, and the posterior over (graph, N) is summed exactly over every
//! graph and a grid of values for the number never recorded.

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::Serialize;

use crate::captures::{CaptureTable, Pattern};
use crate::error::Refusal;
use crate::glm::ln_gamma;
use crate::loglinear::bracket_name;
use crate::result::{Estimate, EstimateResult, Method};
use crate::warning::EstimateWarning;

/// The most lists BMA takes (822 graphs on 5 lists; 6 would need 18,154).
pub const MAX_BMA_LISTS: usize = 5;
/// The grid never has more points than this; a coarser step is used beyond.
pub const MAX_GRID_POINTS: usize = 200_000;

/// Settings of a BMA run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BmaConfig {
    /// Prior weight per cell of the full table; `None` means dga's default 2^−J.
    pub delta: Option<f64>,
    /// The grid of unrecorded counts runs from 0 to this many times the number documented.
    pub grid_factor: f64,
    /// Interval level.
    pub level: f64,
    /// Posterior draws of N to keep (for totals over strata).
    pub draws: usize,
    /// Seed for those draws.
    pub seed: u64,
}

impl Default for BmaConfig {
    fn default() -> Self {
        BmaConfig {
            delta: None,
            grid_factor: 20.0,
            level: 0.95,
            draws: 4_000,
            seed: 1,
        }
    }
}

/// One graph's share of the posterior.
#[derive(Debug, Clone, Serialize)]
pub struct GraphWeight {
    /// The graph's cliques in bracket notation.
    pub graph: String,
    /// Its posterior probability.
    pub probability: f64,
    /// Its posterior median of N.
    pub median: f64,
}

/// Details of a BMA estimate.
#[derive(Debug, Clone, Serialize)]
pub struct BmaDetails {
    /// δ used.
    pub delta: f64,
    /// The prior on N, in words.
    pub prior_n: String,
    /// The number of decomposable graphs averaged over.
    pub graphs: usize,
    /// The grid's largest number never recorded, and its step.
    pub grid_max: u64,
    /// Grid step.
    pub grid_step: u64,
    /// The graphs with the most posterior mass (at most 10).
    pub top: Vec<GraphWeight>,
    /// Posterior mean of N.
    pub mean: f64,
}

/// A decomposable graph as the terms of its marginal likelihood: log ML = Σ_S coef\[S\] h(S).
#[derive(Debug, Clone)]
pub struct Decomposable {
    /// Edges as pairs (bit set of two lists).
    pub edges: Vec<u32>,
    /// Maximal cliques.
    pub cliques: Vec<u32>,
    coef: Vec<(u32, i32)>,
}

/// Every decomposable graph on `lists` vertices (8 for 3, 61 for 4, 822 for 5).
pub fn decomposable_graphs(lists: usize) -> Vec<Decomposable> {
    let pairs: Vec<(usize, usize)> = (0..lists)
        .flat_map(|a| (a + 1..lists).map(move |b| (a, b)))
        .collect();
    let mut out = Vec::new();
    for set in 0u64..(1u64 << pairs.len()) {
        let mut adj = vec![0u32; lists];
        let mut edges = Vec::new();
        for (e, &(a, b)) in pairs.iter().enumerate() {
            if set >> e & 1 == 1 {
                adj[a] |= 1 << b;
                adj[b] |= 1 << a;
                edges.push((1u32 << a) | (1 << b));
            }
        }
        if let Some((cliques, coef)) = perfect_structure(&adj) {
            out.push(Decomposable {
                edges,
                cliques,
                coef,
            });
        }
    }
    out
}

/// Maximum cardinality search: `None` if the graph is not chordal; otherwise its maximal cliques
/// and the marginal-likelihood terms Σ_v [h(v ∪ P(v)) − h(P(v))] over the ordering.
/// Maximal cliques, and (subset, coefficient) terms of the marginal likelihood.
type Structure = (Vec<u32>, Vec<(u32, i32)>);

fn perfect_structure(adj: &[u32]) -> Option<Structure> {
    let n = adj.len();
    let mut numbered = 0u32;
    let mut coef: std::collections::BTreeMap<u32, i32> = std::collections::BTreeMap::new();
    let mut family = Vec::new();
    for _ in 0..n {
        let v = (0..n)
            .filter(|&v| numbered >> v & 1 == 0)
            .max_by_key(|&v| ((adj[v] & numbered).count_ones(), std::cmp::Reverse(v)))?;
        let parents = adj[v] & numbered;
        // The earlier neighbours must be a clique.
        for a in 0..n {
            if parents >> a & 1 == 1 && (adj[a] | 1 << a) & parents != parents {
                return None;
            }
        }
        let fam = parents | 1 << v;
        *coef.entry(fam).or_insert(0) += 1;
        if parents != 0 {
            *coef.entry(parents).or_insert(0) -= 1;
        }
        family.push(fam);
        numbered |= 1 << v;
    }
    let cliques: Vec<u32> = family
        .iter()
        .copied()
        .filter(|&f| !family.iter().any(|&g| g != f && g & f == f))
        .collect();
    let coef = coef.into_iter().filter(|(_, c)| *c != 0).collect();
    Some((cliques, coef))
}

/// Fits BMA over every decomposable graph.
pub fn estimate_bma(table: &CaptureTable, config: &BmaConfig) -> Result<EstimateResult, Refusal> {
    let j = table.list_count();
    if j < 3 {
        return Err(Refusal::TooFewLists {
            found: j,
            needed: 3,
        });
    }
    if j > MAX_BMA_LISTS {
        return Err(Refusal::TooManyLists {
            found: j,
            max: MAX_BMA_LISTS,
        });
    }
    if !(0.0 < config.level && config.level < 1.0 && config.grid_factor > 0.0) {
        return Err(Refusal::BadSetting(
            "level must be in (0, 1) and the grid factor positive".into(),
        ));
    }
    crate::strata::check_supportable(table, 3)?;
    let delta = config.delta.unwrap_or(1.0 / (1u64 << j) as f64);
    if !(delta > 0.0) {
        return Err(Refusal::BadSetting("δ must be positive".into()));
    }
    let n = table.observed();
    let grid_max = ((n as f64 * config.grid_factor).ceil() as u64).max(10);
    let step = grid_max.div_ceil(MAX_GRID_POINTS as u64).max(1);
    let grid: Vec<u64> = (0..=grid_max / step).map(|i| i * step).collect();
    let g = grid.len();

    // h(S)(n0) for every non-empty subset S of lists.
    let cells: Vec<(u32, f64)> = (1u32..1 << j)
        .map(|p| (p, table.count(Pattern(p)) as f64))
        .collect();
    let big_a = delta * (1u64 << j) as f64;
    let d: Vec<f64> = grid
        .iter()
        .map(|&n0| ln_gamma(big_a) - ln_gamma(big_a + (n + n0) as f64))
        .collect();
    let mut h: Vec<Vec<f64>> = vec![Vec::new(); 1 << j];
    for s in 1u32..1 << j {
        let a = delta * (1u64 << (j - s.count_ones() as usize)) as f64;
        // Marginal counts on S, indexed by the pattern restricted to S.
        let mut marg: std::collections::BTreeMap<u32, f64> = std::collections::BTreeMap::new();
        for &(p, c) in &cells {
            *marg.entry(p & s).or_insert(0.0) += c;
        }
        let zero = marg.get(&0).copied().unwrap_or(0.0);
        let rest: f64 = marg
            .iter()
            .filter(|(k, _)| **k != 0)
            .map(|(_, &c)| ln_gamma(a + c) - ln_gamma(a))
            .sum::<f64>()
            // Cells of the marginal with no one documented add lgamma(a) − lgamma(a) = 0.
            ;
        h[s as usize] = grid
            .iter()
            .zip(&d)
            .map(|(&n0, &dd)| dd + rest + ln_gamma(a + zero + n0 as f64) - ln_gamma(a))
            .collect();
    }
    // The parts of the posterior shared by every graph: the multinomial coefficient and 1/N.
    let sum_lgamma_y: f64 = cells.iter().map(|&(_, c)| ln_gamma(c + 1.0)).sum();
    let common: Vec<f64> = grid
        .iter()
        .map(|&n0| {
            let big_n = (n + n0) as f64;
            ln_gamma(big_n + 1.0) - ln_gamma(n0 as f64 + 1.0) - sum_lgamma_y - big_n.ln()
        })
        .collect();

    let graphs = decomposable_graphs(j);
    let mut acc = vec![0.0f64; g];
    let mut scale = f64::NEG_INFINITY;
    let mut per_graph: Vec<(f64, f64)> = Vec::with_capacity(graphs.len()); // (log mass, median)
    let mut lw = vec![0.0f64; g];
    for graph in &graphs {
        lw.copy_from_slice(&common);
        for &(s, c) in &graph.coef {
            let hs = &h[s as usize];
            let c = c as f64;
            for (x, v) in lw.iter_mut().zip(hs) {
                *x += c * v;
            }
        }
        let m = lw.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if m > scale {
            let r = (scale - m).exp();
            acc.iter_mut().for_each(|v| *v *= r);
            scale = m;
        }
        let mut mass = 0.0;
        let mut probs = Vec::with_capacity(g);
        for (i, &x) in lw.iter().enumerate() {
            let e = (x - scale).exp();
            acc[i] += e;
            mass += e;
            probs.push(e);
        }
        let median = pmf_quantile(&grid, &probs, 0.5);
        per_graph.push((mass.ln() + scale, median));
    }
    let total: f64 = acc.iter().sum();
    if !(total > 0.0) || !total.is_finite() {
        return Err(Refusal::NoModel {
            reason: "the BMA posterior could not be normalised".into(),
        });
    }
    let pmf: Vec<f64> = acc.iter().map(|v| v / total).collect();
    let log_total = total.ln() + scale;
    let tail = (1.0 - config.level) / 2.0;
    let nf = n as f64;
    let estimate = Estimate {
        median: nf + pmf_quantile(&grid, &pmf, 0.5),
        lower: nf + pmf_quantile(&grid, &pmf, tail),
        upper: nf + pmf_quantile(&grid, &pmf, 1.0 - tail),
        level: config.level,
    };
    let mean = nf
        + grid
            .iter()
            .zip(&pmf)
            .map(|(&x, p)| x as f64 * p)
            .sum::<f64>();
    let mut weights: Vec<GraphWeight> = graphs
        .iter()
        .zip(&per_graph)
        .map(|(gr, &(lm, med))| GraphWeight {
            graph: bracket_name(j, gr.cliques.clone()),
            probability: (lm - log_total).exp(),
            median: nf + med,
        })
        .collect();
    weights.sort_by(|a, b| b.probability.total_cmp(&a.probability));
    weights.truncate(10);
    let mut warnings = Vec::new();
    let end_mass: f64 = pmf[g - g / 100 - 1..].iter().sum();
    if end_mass > 1e-3 {
        warnings.push(EstimateWarning::PosteriorCutOff {
            tail_mass: end_mass,
            grid_max,
        });
    }
    if step > 1 {
        warnings.push(EstimateWarning::CoarseGrid { step });
    }
    let draws = sample_pmf(&grid, &pmf, config.draws, config.seed)
        .into_iter()
        .map(|x| nf + x as f64)
        .collect();
    Ok(EstimateResult {
        method: Method::Bma,
        lists: table.lists().to_vec(),
        observed: n,
        estimate,
        model: weights.first().map(|w| w.graph.clone()),
        loglinear: None,
        lcmcr: None,
        bma: Some(BmaDetails {
            delta,
            prior_n: "p(N) ∝ 1/N; every decomposable graph equally likely".into(),
            graphs: graphs.len(),
            grid_max,
            grid_step: step,
            top: weights,
            mean,
        }),
        warnings,
        draws: vec![draws],
    })
}

/// The smallest grid value whose cumulative probability reaches q (probabilities need not sum
/// to one).
fn pmf_quantile(grid: &[u64], probs: &[f64], q: f64) -> f64 {
    let total: f64 = probs.iter().sum();
    let mut cum = 0.0;
    for (x, p) in grid.iter().zip(probs) {
        cum += p / total;
        if cum >= q {
            return *x as f64;
        }
    }
    *grid.last().unwrap_or(&0) as f64
}

fn sample_pmf(grid: &[u64], pmf: &[f64], count: usize, seed: u64) -> Vec<u64> {
    use rand::Rng;
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut cdf = Vec::with_capacity(pmf.len());
    let mut cum = 0.0;
    for p in pmf {
        cum += p;
        cdf.push(cum);
    }
    (0..count)
        .map(|_| {
            let u = ((rng.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64 * cum;
            let i = cdf.partition_point(|&c| c < u).min(grid.len() - 1);
            grid[i]
        })
        .collect()
}

#[cfg(test)]
#[path = "bma_tests.rs"]
mod tests;
