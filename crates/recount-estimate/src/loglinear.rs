//! Log-linear models of the capture table (the approach of Rcapture's `closedpMS.t` and of the
//! Kosovo estimate): Poisson GLMs of the observed cells, every hierarchical model the number of lists
//! supports, selection by BIC or AIC, a multinomial profile-likelihood interval for N (Cormack
//! 1992), and the classic heterogeneity forms (Chao's lower bound, Darroch, Poisson).

use serde::Serialize;

use crate::captures::{CaptureTable, Pattern};
use crate::error::Refusal;
use crate::glm::{Design, PoissonFit, fit_poisson, ln_gamma};
use crate::result::{Estimate, EstimateResult, Method};
use crate::warning::EstimateWarning;

/// The most lists a log-linear analysis takes (2^8 − 1 = 255 cells).
pub const MAX_LOGLINEAR_LISTS: usize = 8;
/// Up to this many lists every hierarchical model is fitted; above it, a stepwise search.
pub const MAX_EXHAUSTIVE_LISTS: usize = 5;

/// How models are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Criterion {
    /// −2 log L + p log n, n the number of people documented (as Rcapture).
    #[default]
    Bic,
    /// −2 log L + 2p.
    Aic,
}

/// A heterogeneity form: extra columns that are functions of how many lists a person is in.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Heterogeneity {
    /// None.
    #[default]
    None,
    /// Chao's lower bound: columns (s − 2)+, …, (s − J + 1)+, negative ones dropped (as Rcapture).
    Chao,
    /// Darroch: s²/2.
    Darroch,
    /// Poisson with parameter θ: θ^s − 1 (Rcapture's "Poisson2" has θ = 2).
    Poisson(f64),
}

impl Heterogeneity {
    fn label(&self) -> Option<String> {
        match self {
            Heterogeneity::None => None,
            Heterogeneity::Chao => Some("Chao (LB)".into()),
            Heterogeneity::Darroch => Some("Darroch".into()),
            Heterogeneity::Poisson(t) => Some(format!("Poisson{t}")),
        }
    }
}

/// Settings of a log-linear analysis.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LoglinearConfig {
    /// Model selection criterion.
    pub criterion: Criterion,
    /// Heterogeneity columns added to every model.
    pub heterogeneity: Heterogeneity,
    /// Interval level (0.95).
    pub level: f64,
}

impl Default for LoglinearConfig {
    fn default() -> Self {
        LoglinearConfig {
            criterion: Criterion::Bic,
            heterogeneity: Heterogeneity::None,
            level: 0.95,
        }
    }
}

/// A hierarchical log-linear model: its generating interaction terms (bit sets of ≥ 2 lists).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hierarchical {
    lists: usize,
    /// Every interaction term in the model (closed under subsets of size ≥ 2), sorted.
    terms: Vec<u32>,
}

impl Hierarchical {
    /// The model with only main effects (independence).
    pub fn independence(lists: usize) -> Hierarchical {
        Hierarchical {
            lists,
            terms: Vec::new(),
        }
    }

    /// A model from its generators in bracket notation, e.g. `[123,14,34]` (lists from 1).
    pub fn parse(lists: usize, text: &str) -> Option<Hierarchical> {
        let inner = text.trim().strip_prefix('[')?.strip_suffix(']')?;
        let mut terms = std::collections::BTreeSet::new();
        for g in inner.split(',').map(str::trim).filter(|g| !g.is_empty()) {
            let mut mask = 0u32;
            for ch in g.chars() {
                let d = ch.to_digit(10)? as usize;
                if d == 0 || d > lists {
                    return None;
                }
                mask |= 1 << (d - 1);
            }
            if mask.count_ones() >= 2 {
                for sub in subsets_of(mask) {
                    if sub.count_ones() >= 2 {
                        terms.insert(sub);
                    }
                }
            }
        }
        if terms.contains(&((1u32 << lists) - 1)) {
            return None;
        }
        Some(Hierarchical {
            lists,
            terms: terms.into_iter().collect(),
        })
    }

    /// The interaction terms.
    pub fn terms(&self) -> &[u32] {
        &self.terms
    }

    /// The generating class: maximal terms, plus lists in no interaction.
    pub fn generators(&self) -> Vec<u32> {
        let mut gens: Vec<u32> = self
            .terms
            .iter()
            .copied()
            .filter(|&t| !self.terms.iter().any(|&u| u != t && u & t == t))
            .collect();
        for j in 0..self.lists {
            if !self.terms.iter().any(|&t| t >> j & 1 == 1) {
                gens.push(1 << j);
            }
        }
        gens.sort_by_key(|&g| (std::cmp::Reverse(g.count_ones()), digits_key(g)));
        gens
    }

    /// Bracket notation, lists numbered from 1: `[123,14,34]`.
    pub fn name(&self) -> String {
        bracket_name(self.lists, self.generators())
    }
}

/// Bracket notation of generating sets (bit sets of lists), lists numbered from 1, larger sets
/// first: `[123,14,34]`.
pub fn bracket_name(lists: usize, mut generators: Vec<u32>) -> String {
    generators.sort_by_key(|&g| (std::cmp::Reverse(g.count_ones()), digits_key(g)));
    let parts: Vec<String> = generators
        .into_iter()
        .map(|g| {
            (0..lists)
                .filter(|j| g >> j & 1 == 1)
                .map(|j| char::from_digit((j + 1) as u32, 10).unwrap_or('?'))
                .collect()
        })
        .collect();
    format!("[{}]", parts.join(","))
}

fn digits_key(mask: u32) -> Vec<u32> {
    (0..32).filter(|j| mask >> j & 1 == 1).collect()
}

fn subsets_of(mask: u32) -> impl Iterator<Item = u32> {
    // Every non-empty subset of `mask`, by the standard sub-mask walk.
    let mut sub = mask;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let out = sub;
        if sub == 0 {
            done = true;
            return None;
        }
        sub = (sub - 1) & mask;
        Some(out)
    })
}

/// Every hierarchical model with all main effects and without the J-way term: 8 for 3 lists,
/// 113 for 4, 6,893 for 5.
pub fn all_hierarchical(lists: usize) -> Vec<Hierarchical> {
    let full = (1u32 << lists) - 1;
    let mut candidates: Vec<u32> = (1..full)
        .filter(|m| m.count_ones() >= 2)
        .collect::<Vec<_>>();
    candidates.sort_by_key(|&m| (m.count_ones(), m));
    let mut out = Vec::new();
    let mut chosen = Vec::new();
    enumerate_downsets(&candidates, 0, &mut chosen, &mut out, lists);
    out
}

fn enumerate_downsets(
    candidates: &[u32],
    i: usize,
    chosen: &mut Vec<u32>,
    out: &mut Vec<Hierarchical>,
    lists: usize,
) {
    if i == candidates.len() {
        let mut terms = chosen.clone();
        terms.sort_unstable();
        out.push(Hierarchical { lists, terms });
        return;
    }
    let t = candidates[i];
    // Excluding t is always allowed.
    enumerate_downsets(candidates, i + 1, chosen, out, lists);
    // Including t needs every face of size ≥ 2 (faces come earlier in the order).
    let faces_ok = (0..lists)
        .filter(|j| t >> j & 1 == 1)
        .map(|j| t & !(1 << j))
        .filter(|f| f.count_ones() >= 2)
        .all(|f| chosen.contains(&f));
    if faces_ok {
        chosen.push(t);
        enumerate_downsets(candidates, i + 1, chosen, out, lists);
        chosen.pop();
    }
}

/// The fit of one model.
#[derive(Debug, Clone, Serialize)]
pub struct ModelFit {
    /// Bracket notation, with the heterogeneity form appended (`[123,24] Darroch`).
    pub name: String,
    /// The hierarchical part alone.
    pub hierarchical: String,
    /// Poisson point estimate n + exp(β₀).
    pub n_hat: f64,
    /// Its standard error, sqrt(exp(β₀) + exp(2β₀) var(β₀)) (as Rcapture).
    pub stderr: f64,
    /// Residual deviance.
    pub deviance: f64,
    /// Residual degrees of freedom (cells − parameters).
    pub df: i64,
    /// Number of parameters.
    pub parameters: usize,
    /// AIC.
    pub aic: f64,
    /// BIC.
    pub bic: f64,
    /// Whether IRLS converged.
    pub converged: bool,
    /// Heterogeneity columns dropped because their coefficient was negative (Chao).
    pub dropped_negative: usize,
}

/// A column of the design, as a function of the capture pattern.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Column {
    Intercept,
    Main(usize),
    Term(u32),
    /// Number of lists a person is in (model M0).
    Sum,
    /// (s − k)+ for Chao's lower bound.
    ChaoStep(u32),
    Darroch,
    PoissonH(f64),
}

impl Column {
    fn value(&self, p: u32) -> f64 {
        let s = p.count_ones() as f64;
        match *self {
            Column::Intercept => 1.0,
            Column::Main(j) => (p >> j & 1) as f64,
            Column::Term(t) => {
                if p & t == t {
                    1.0
                } else {
                    0.0
                }
            }
            Column::Sum => s,
            Column::ChaoStep(k) => (s - k as f64).max(0.0),
            Column::Darroch => s * s / 2.0,
            Column::PoissonH(theta) => theta.powf(s) - 1.0,
        }
    }

    fn is_heterogeneity(&self) -> bool {
        matches!(
            self,
            Column::ChaoStep(_) | Column::Darroch | Column::PoissonH(_)
        )
    }
}

fn heterogeneity_columns(lists: usize, h: Heterogeneity) -> Vec<Column> {
    match h {
        Heterogeneity::None => vec![],
        Heterogeneity::Chao => (2..lists as u32).map(Column::ChaoStep).collect(),
        Heterogeneity::Darroch => vec![Column::Darroch],
        Heterogeneity::Poisson(theta) => vec![Column::PoissonH(theta)],
    }
}

fn model_columns(model: &Hierarchical, h: Heterogeneity) -> Vec<Column> {
    let mut cols = vec![Column::Intercept];
    cols.extend((0..model.lists).map(Column::Main));
    cols.extend(model.terms.iter().map(|&t| Column::Term(t)));
    cols.extend(heterogeneity_columns(model.lists, h));
    cols
}

/// The observed cells in a fixed order (patterns 1..2^J − 1) with their counts.
fn observed_cells(table: &CaptureTable) -> (Vec<u32>, Vec<f64>) {
    let full = 1u32 << table.list_count();
    let patterns: Vec<u32> = (1..full).collect();
    let y = patterns
        .iter()
        .map(|&p| table.count(Pattern(p)) as f64)
        .collect();
    (patterns, y)
}

fn design(patterns: &[u32], cols: &[Column]) -> Design {
    let rows: Vec<Vec<f64>> = patterns
        .iter()
        .map(|&p| cols.iter().map(|c| c.value(p)).collect())
        .collect();
    Design::from_rows(&rows)
}

/// Fits, dropping Chao columns with negative coefficients one at a time as Rcapture's `Chao.neg`.
fn fit_columns(
    patterns: &[u32],
    y: &[f64],
    mut cols: Vec<Column>,
    chao: bool,
) -> Option<(PoissonFit, Vec<Column>, usize)> {
    let mut dropped = 0;
    loop {
        let fit = fit_poisson(&design(patterns, &cols), y).ok()?;
        let any_negative = cols
            .iter()
            .zip(&fit.beta)
            .any(|(c, b)| c.is_heterogeneity() && *b < 0.0);
        if !chao || !any_negative {
            return Some((fit, cols, dropped));
        }
        // The first heterogeneity column whose coefficient is not positive goes.
        let Some(i) = cols
            .iter()
            .zip(&fit.beta)
            .position(|(c, b)| c.is_heterogeneity() && *b <= 0.0)
        else {
            return Some((fit, cols, dropped));
        };
        cols.remove(i);
        dropped += 1;
    }
}

struct Prepared {
    patterns: Vec<u32>,
    y: Vec<f64>,
    n: f64,
}

fn fit_spec(
    prep: &Prepared,
    name: String,
    hierarchical: String,
    cols: Vec<Column>,
    chao: bool,
) -> Option<(ModelFit, Vec<Column>)> {
    let (fit, cols, dropped) = fit_columns(&prep.patterns, &prep.y, cols, chao)?;
    let p = cols.len();
    let e0 = fit.beta[0].exp();
    let n_hat = prep.n + e0;
    if !n_hat.is_finite() {
        return None;
    }
    let stderr = (e0 + e0 * e0 * fit.var_intercept).sqrt();
    let log_lik = fit.log_lik;
    Some((
        ModelFit {
            name,
            hierarchical,
            n_hat,
            stderr,
            deviance: fit.deviance,
            df: prep.y.len() as i64 - p as i64,
            parameters: p,
            aic: -2.0 * log_lik + 2.0 * p as f64,
            bic: -2.0 * log_lik + p as f64 * prep.n.ln(),
            converged: fit.converged,
            dropped_negative: dropped,
        },
        cols,
    ))
}

/// Fits one hierarchical model with a heterogeneity form.
pub fn fit_model(table: &CaptureTable, model: &Hierarchical, h: Heterogeneity) -> Option<ModelFit> {
    let prep = prepare(table);
    fit_hier(&prep, model, h).map(|(f, _)| f)
}

fn fit_hier(
    prep: &Prepared,
    model: &Hierarchical,
    h: Heterogeneity,
) -> Option<(ModelFit, Vec<Column>)> {
    let hier = model.name();
    let name = match h.label() {
        Some(l) => format!("{hier} {l}"),
        None => hier.clone(),
    };
    fit_spec(
        prep,
        name,
        hier,
        model_columns(model, h),
        h == Heterogeneity::Chao,
    )
}

fn prepare(table: &CaptureTable) -> Prepared {
    let (patterns, y) = observed_cells(table);
    Prepared {
        patterns,
        y,
        n: table.observed() as f64,
    }
}

/// Rcapture's `closedp.t` classic models: M0, Mt, Mh and Mth with each heterogeneity form.
pub fn classic_models(table: &CaptureTable) -> Vec<ModelFit> {
    let prep = prepare(table);
    let j = table.list_count();
    let mut out = Vec::new();
    let mut push = |name: &str, cols: Vec<Column>, chao: bool| {
        if let Some((f, _)) = fit_spec(&prep, name.to_string(), name.to_string(), cols, chao) {
            out.push(f);
        }
    };
    push("M0", vec![Column::Intercept, Column::Sum], false);
    let mt: Vec<Column> = std::iter::once(Column::Intercept)
        .chain((0..j).map(Column::Main))
        .collect();
    push("Mt", mt.clone(), false);
    if j >= 3 {
        for (label, h) in [
            ("Chao (LB)", Heterogeneity::Chao),
            ("Poisson2", Heterogeneity::Poisson(2.0)),
            ("Darroch", Heterogeneity::Darroch),
        ] {
            let mut mh = vec![Column::Intercept, Column::Sum];
            mh.extend(heterogeneity_columns(j, h));
            push(&format!("Mh {label}"), mh, h == Heterogeneity::Chao);
        }
        for (label, h) in [
            ("Chao (LB)", Heterogeneity::Chao),
            ("Poisson2", Heterogeneity::Poisson(2.0)),
            ("Darroch", Heterogeneity::Darroch),
        ] {
            let mut mth = mt.clone();
            mth.extend(heterogeneity_columns(j, h));
            push(&format!("Mth {label}"), mth, h == Heterogeneity::Chao);
        }
    }
    out
}

/// A multinomial profile-likelihood interval for N.
#[derive(Debug, Clone, Serialize)]
pub struct ProfileInterval {
    /// The multinomial maximum-likelihood estimate of N.
    pub n_hat: f64,
    /// Lower bound.
    pub lower: f64,
    /// Upper bound.
    pub upper: f64,
    /// Whether the upper bound was found (otherwise `upper` is the search limit).
    pub upper_found: bool,
    /// Whether the lower bound is the number documented (the likelihood never fell far enough).
    pub lower_at_observed: bool,
}

/// The profile log-likelihood of N under the multinomial model (Cormack 1992), as Rcapture's
/// `closedpCI.t` computes it: fit the Poisson model to the full table with the unobserved cell set
/// to N − n, and correct its deviance by log(n0^n0 N! / (N^N n0!)).
fn profile_loglik(prep: &Prepared, cols: &[Column], chao: bool, big_n: f64) -> Option<f64> {
    let n0 = big_n - prep.n;
    let mut patterns = prep.patterns.clone();
    patterns.push(0);
    let mut y = prep.y.clone();
    y.push(n0.max(0.0));
    let (fit, _, _) = fit_columns(&patterns, &y, cols.to_vec(), chao)?;
    let ct = if big_n > 100.0 {
        if n0 == 0.0 || n0 == 1.0 {
            -big_n + 0.5 * (2.0 * std::f64::consts::PI * big_n).ln()
        } else {
            n0 - big_n - 0.5 * (n0 / big_n).ln()
        }
    } else {
        let n0_term = if n0 > 0.0 { n0 * n0.ln() } else { 0.0 };
        n0_term + ln_gamma(big_n + 1.0) - big_n * big_n.ln() - ln_gamma(n0 + 1.0)
    };
    Some((fit.deviance - 2.0 * ct) / -2.0)
}

/// The profile interval for a fitted model's columns.
fn profile_interval(
    prep: &Prepared,
    cols: &[Column],
    chao: bool,
    poisson_n: f64,
    level: f64,
) -> Option<ProfileInterval> {
    let f = |nn: f64| profile_loglik(prep, cols, chao, nn);
    let lo = prep.n;
    let hi = 1.5 * poisson_n;
    // Golden-section search for the maximum, as R's `optimize` on (n, 1.5 N̂).
    let (n_max, l_max) = golden_max(&f, lo, hi)?;
    let target = l_max - chi2_1_quantile(level) / 2.0;
    let g = |nn: f64| f(nn).map(|v| v - target);
    let (lower, lower_at_observed) = match g(lo)? {
        v if v >= 0.0 => (lo, true),
        _ => (bisect(&g, lo, n_max)?, false),
    };
    let limit = 10.0 * poisson_n.max(n_max);
    let (upper, upper_found) = match g(limit)? {
        v if v >= 0.0 => (limit, false),
        _ => (bisect(&g, n_max, limit)?, true),
    };
    Some(ProfileInterval {
        n_hat: n_max,
        lower,
        upper,
        upper_found,
        lower_at_observed,
    })
}

fn golden_max(f: &dyn Fn(f64) -> Option<f64>, mut a: f64, mut b: f64) -> Option<(f64, f64)> {
    let r = (5f64.sqrt() - 1.0) / 2.0;
    let mut c = b - r * (b - a);
    let mut d = a + r * (b - a);
    let mut fc = f(c)?;
    let mut fd = f(d)?;
    while (b - a) > 1e-6 * (a.abs() + b.abs()) + 1e-9 {
        if fc > fd {
            b = d;
            d = c;
            fd = fc;
            c = b - r * (b - a);
            fc = f(c)?;
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + r * (b - a);
            fd = f(d)?;
        }
    }
    let x = (a + b) / 2.0;
    Some((x, f(x)?))
}

/// A root of `g` in [a, b], where g(a) and g(b) have opposite signs.
fn bisect(g: &dyn Fn(f64) -> Option<f64>, mut a: f64, mut b: f64) -> Option<f64> {
    let mut ga = g(a)?;
    for _ in 0..200 {
        let m = 0.5 * (a + b);
        let gm = g(m)?;
        if (gm > 0.0) == (ga > 0.0) {
            a = m;
            ga = gm;
        } else {
            b = m;
        }
        if (b - a) < 1e-7 * b.abs() {
            break;
        }
    }
    Some(0.5 * (a + b))
}

/// The `level` quantile of χ² with one degree of freedom (the square of a normal quantile).
pub fn chi2_1_quantile(level: f64) -> f64 {
    let z = normal_quantile(0.5 + level / 2.0);
    z * z
}

/// The standard normal quantile (Acklam's rational approximation refined by one Newton step).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969683028665376e1,
        2.209460984245205e2,
        -2.759285104469687e2,
        1.383_577_518_672_69e2,
        -3.066479806614716e1,
        2.506628277459239,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e1,
        1.615858368580409e2,
        -1.556989798598866e2,
        6.680131188771972e1,
        -1.328068155288572e1,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-3,
        -3.223964580411365e-1,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    ];
    const D: [f64; 4] = [
        7.784695709041462e-3,
        3.224671290700398e-1,
        2.445134137142996,
        3.754408661907416,
    ];
    let q = if p < 0.02425 {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - 0.02425 {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * (1.0 - p).ln()).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    // One Halley step on the error function for full double precision.
    let e = 0.5 * erfc(-q / std::f64::consts::SQRT_2) - p;
    let u = e * (2.0 * std::f64::consts::PI).sqrt() * (q * q / 2.0).exp();
    q - u / (1.0 + q * u / 2.0)
}

/// The complementary error function (Numerical Recipes' erfcc, relative error < 1.2e-7, then
/// good enough for one refinement step of the quantile).
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let r = t
        * (-z * z - 1.26551223
            + t * (1.00002368
                + t * (0.37409196
                    + t * (0.09678418
                        + t * (-0.18628806
                            + t * (0.27886807
                                + t * (-1.13520398
                                    + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))))
            .exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

/// Details of a log-linear estimate, beside the common result fields.
#[derive(Debug, Clone, Serialize)]
pub struct LoglinearDetails {
    /// The criterion used to choose.
    pub criterion: Criterion,
    /// The heterogeneity form.
    pub heterogeneity: Heterogeneity,
    /// The chosen model's fit.
    pub chosen: ModelFit,
    /// The profile interval.
    pub interval: ProfileInterval,
    /// How models were searched: `exhaustive` or `stepwise`.
    pub search: String,
    /// How many models were fitted.
    pub models_fitted: usize,
    /// The ten best models by the criterion.
    pub best: Vec<ModelFit>,
}

/// Fits every hierarchical model (or a stepwise search above 5 lists), chooses one by the
/// criterion, and computes its profile interval.
pub fn estimate_loglinear(
    table: &CaptureTable,
    config: &LoglinearConfig,
) -> Result<EstimateResult, Refusal> {
    let j = table.list_count();
    if j < 2 {
        return Err(Refusal::TooFewLists {
            found: j,
            needed: 2,
        });
    }
    if j > MAX_LOGLINEAR_LISTS {
        return Err(Refusal::TooManyLists {
            found: j,
            max: MAX_LOGLINEAR_LISTS,
        });
    }
    if config.heterogeneity != Heterogeneity::None && j < 3 {
        return Err(Refusal::TooFewLists {
            found: j,
            needed: 3,
        });
    }
    if !(0.0 < config.level && config.level < 1.0) {
        return Err(Refusal::BadSetting(format!(
            "level {} is not between 0 and 1",
            config.level
        )));
    }
    crate::strata::check_supportable(table, 2)?;
    let prep = prepare(table);
    let h = config.heterogeneity;
    let score = |f: &ModelFit| match config.criterion {
        Criterion::Bic => f.bic,
        Criterion::Aic => f.aic,
    };
    let mut fits: Vec<(ModelFit, Vec<Column>)> = Vec::new();
    let search;
    if j <= MAX_EXHAUSTIVE_LISTS {
        search = "exhaustive".to_string();
        for m in all_hierarchical(j) {
            if let Some(f) = fit_hier(&prep, &m, h) {
                fits.push(f);
            }
        }
    } else {
        search = "stepwise".to_string();
        fits = stepwise(&prep, j, h, &score);
    }
    let mut warnings = Vec::new();
    // Models whose IRLS did not converge or whose estimate ran away are not candidates.
    fits.retain(|(f, _)| f.converged && f.n_hat.is_finite() && f.stderr.is_finite());
    if fits.is_empty() {
        return Err(Refusal::NoModel {
            reason: "no log-linear model converged".into(),
        });
    }
    fits.sort_by(|a, b| score(&a.0).total_cmp(&score(&b.0)));
    let models_fitted = fits.len();
    let (chosen, cols) = fits[0].clone();
    let interval = profile_interval(
        &prep,
        &cols,
        h == Heterogeneity::Chao,
        chosen.n_hat,
        config.level,
    )
    .ok_or_else(|| Refusal::NoModel {
        reason: format!(
            "the profile likelihood of {} could not be computed",
            chosen.name
        ),
    })?;
    if fits.len() > 1 {
        let gap = score(&fits[1].0) - score(&chosen);
        if gap < 2.0 {
            warnings.push(EstimateWarning::CloseModelChoice {
                runner_up: fits[1].0.name.clone(),
                runner_up_score: score(&fits[1].0),
                chosen: chosen.name.clone(),
                chosen_score: score(&chosen),
                runner_up_n_hat: fits[1].0.n_hat,
            });
        }
    }
    if !interval.upper_found {
        warnings.push(EstimateWarning::UpperBoundAtSearchLimit {
            limit: interval.upper,
        });
    }
    if interval.lower_at_observed {
        warnings.push(EstimateWarning::LowerBoundAtDocumented);
    }
    if search == "stepwise" {
        warnings.push(EstimateWarning::StepwiseSearch { lists: j });
    }
    let best = fits.iter().take(10).map(|(f, _)| f.clone()).collect();
    let details = LoglinearDetails {
        criterion: config.criterion,
        heterogeneity: h,
        chosen: chosen.clone(),
        interval: interval.clone(),
        search,
        models_fitted,
        best,
    };
    Ok(EstimateResult {
        method: Method::Loglinear,
        lists: table.lists().to_vec(),
        observed: table.observed(),
        estimate: Estimate {
            median: chosen.n_hat,
            lower: interval.lower,
            upper: interval.upper,
            level: config.level,
        },
        model: Some(chosen.name.clone()),
        loglinear: Some(details),
        lcmcr: None,
        bma: None,
        warnings,
        draws: Vec::new(),
    })
}

/// Greedy search over hierarchical models from independence: add the term whose faces are all
/// present, or remove a generator, whichever improves the score most; stop when nothing does.
fn stepwise(
    prep: &Prepared,
    j: usize,
    h: Heterogeneity,
    score: &dyn Fn(&ModelFit) -> f64,
) -> Vec<(ModelFit, Vec<Column>)> {
    let full = (1u32 << j) - 1;
    let mut current = Hierarchical::independence(j);
    let mut seen = std::collections::BTreeMap::new();
    let mut fit_of = |m: &Hierarchical| -> Option<(ModelFit, Vec<Column>)> {
        seen.entry(m.terms.clone())
            .or_insert_with(|| fit_hier(prep, m, h))
            .clone()
    };
    let Some(mut best) = fit_of(&current) else {
        return Vec::new();
    };
    let mut all = vec![best.clone()];
    loop {
        let mut neighbours = Vec::new();
        for t in 1..full {
            if t.count_ones() < 2 || current.terms.contains(&t) {
                continue;
            }
            let faces_ok = (0..j)
                .filter(|b| t >> b & 1 == 1)
                .map(|b| t & !(1 << b))
                .filter(|f| f.count_ones() >= 2)
                .all(|f| current.terms.contains(&f));
            if faces_ok {
                let mut terms = current.terms.clone();
                terms.push(t);
                terms.sort_unstable();
                neighbours.push(Hierarchical { lists: j, terms });
            }
        }
        for g in current.generators() {
            if g.count_ones() >= 2 {
                let terms = current.terms.iter().copied().filter(|&t| t != g).collect();
                neighbours.push(Hierarchical { lists: j, terms });
            }
        }
        let mut improved = None;
        for m in neighbours {
            if let Some(f) = fit_of(&m) {
                all.push(f.clone());
                if f.0.converged && score(&f.0) < score(&best.0) - 1e-9 {
                    best = f.clone();
                    improved = Some(m);
                }
            }
        }
        match improved {
            Some(m) => current = m,
            None => break,
        }
    }
    all.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    all.dedup_by(|a, b| a.0.name == b.0.name);
    all
}

#[cfg(test)]
#[path = "loglinear_tests.rs"]
mod tests;
