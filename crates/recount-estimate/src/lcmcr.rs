//! The non-parametric latent-class model of Manrique-Vallier (2016, Biometrics), as the R package
//! LCMCR fits it: a Dirichlet-process mixture of independent-list classes, truncated at K by
//! stick-breaking, sampled by Gibbs with the prior on N ∝ 1/N.
//!
//! The sampler works on pattern counts, never on individuals: each sweep allocates every observed
//! pattern's count among the classes with one multinomial draw, from per-class log-likelihoods
//! built from per-list terms. Every chain has its own explicitly seeded xoshiro256++ generator.

use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;
use serde::Serialize;

use crate::captures::CaptureTable;
use crate::diagnostics::{effective_sample_size, quantile, split_rhat};
use crate::error::Refusal;
use crate::result::{Estimate, EstimateResult, Method};
use crate::variates::{
    beta_odds, beta_pair, gamma, multinomial_in_order, negative_binomial, sort_decreasing, uniform,
};
use crate::warning::EstimateWarning;

/// Settings of an LCMCR run. The defaults are the R package's documented example.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LcmcrConfig {
    /// Truncation: the most latent classes (K).
    pub k: usize,
    /// Shape of the Gamma prior on the stick-breaking concentration α.
    pub a_alpha: f64,
    /// Rate of the Gamma prior on α.
    pub b_alpha: f64,
    /// Sweeps before burn-in in which α is not updated; the classes are reordered by weight after.
    pub warmup: usize,
    /// Sweeps discarded after the warm-up.
    pub burnin: usize,
    /// Draws of N kept per chain.
    pub samples: usize,
    /// Sweeps between kept draws.
    pub thin: usize,
    /// Independent chains, run on threads; their draws are pooled.
    pub chains: usize,
    /// Seed of the first chain; chain c uses a seed derived from (seed, c).
    pub seed: u64,
    /// Interval level.
    pub level: f64,
}

impl Default for LcmcrConfig {
    fn default() -> Self {
        LcmcrConfig {
            k: 10,
            a_alpha: 0.25,
            b_alpha: 0.25,
            warmup: 500,
            burnin: 10_000,
            samples: 1_000,
            thin: 100,
            chains: 4,
            seed: 1,
            level: 0.95,
        }
    }
}

impl LcmcrConfig {
    /// Sweeps one chain runs in all.
    pub fn sweeps_per_chain(&self) -> u64 {
        (self.warmup + self.burnin) as u64 + self.samples as u64 * self.thin as u64
    }

    fn check(&self) -> Result<(), Refusal> {
        let bad = |m: &str| Err(Refusal::BadSetting(m.to_string()));
        if self.k < 1 || self.k > 200 {
            return bad("K must be between 1 and 200");
        }
        if self.samples < 1 || self.thin < 1 || self.chains < 1 {
            return bad("samples, thin and chains must each be at least 1");
        }
        if self.chains > 64 {
            return bad("at most 64 chains");
        }
        if !(self.a_alpha > 0.0 && self.b_alpha > 0.0) {
            return bad("the Gamma prior's a and b must be positive");
        }
        if !(0.0 < self.level && self.level < 1.0) {
            return bad("the level must be between 0 and 1");
        }
        Ok(())
    }
}

/// Settings and diagnostics of an LCMCR result.
#[derive(Debug, Clone, Serialize)]
pub struct LcmcrDetails {
    /// The settings used.
    pub config: LcmcrConfig,
    /// Split R̂ of N across chains (None with one chain).
    pub rhat: Option<f64>,
    /// Effective sample size of N over all chains.
    pub ess: f64,
    /// Each chain's posterior median of N.
    pub chain_medians: Vec<f64>,
    /// Mean number of occupied latent classes (documented people only) at the kept draws.
    pub mean_occupied_classes: f64,
}

/// The observed data as the sampler sees them: distinct patterns with counts.
#[derive(Debug, Clone)]
pub struct LcmcrData {
    lists: usize,
    counts: Vec<u64>,
    /// For each pattern, the lists that recorded it.
    ones: Vec<Vec<usize>>,
    n: u64,
}

impl LcmcrData {
    /// From a capture table.
    pub fn new(table: &CaptureTable) -> LcmcrData {
        let j = table.list_count();
        let mut counts = Vec::new();
        let mut ones = Vec::new();
        for (p, c) in table.cells() {
            counts.push(c);
            ones.push((0..j).filter(|&l| p.has(l)).collect());
        }
        LcmcrData {
            lists: j,
            counts,
            ones,
            n: table.observed(),
        }
    }
}

/// One Gibbs chain.
///
/// Per-list arrays are list-major (`[list * K + class]`) so that building a pattern's class weights
/// is a few multiplications of contiguous K-vectors.
pub struct Chain<'a> {
    data: &'a LcmcrData,
    rng: Xoshiro256PlusPlus,
    k: usize,
    a_alpha: f64,
    b_alpha: f64,
    /// 1 − λ and λ / (1 − λ), J × K (λ itself is never needed).
    one_m: Vec<f64>,
    ratio: Vec<f64>,
    /// The class weights π_k.
    pi: Vec<f64>,
    /// log π_k, kept only while some π_k is below [`PI_LOGS`] (`pi_logs`); else log π_k = ln(π_k).
    log_pi: Vec<f64>,
    pi_logs: bool,
    /// π_k ∏_j (1 − λ_jk) (the weight of "recorded by no list") divided by exp(`w0_scale`), which
    /// is 0 unless the products underflow and the weights were computed in logs.
    e0: Vec<f64>,
    w0_scale: f64,
    /// Scratch for the weights in logs, when products underflow.
    log_w0: Vec<f64>,
    alpha: f64,
    n0: u64,
    n0_k: Vec<u64>,
    obs_k: Vec<u64>,
    cap: Vec<u64>,
    // Scratch.
    w: Vec<f64>,
    alloc: Vec<u64>,
    sizes: Vec<u64>,
    /// Classes by decreasing size at the previous sweep: the multinomials visit them in this order.
    order: Vec<usize>,
    suffix: Vec<f64>,
    /// The last stick-breaking proportions (V_k, 1 − V_k).
    stick: Vec<(f64, f64)>,
}

/// A seed for chain `c` derived from the run's seed (SplitMix64 of both).
pub fn chain_seed(seed: u64, c: usize) -> u64 {
    let mut z = seed ^ (c as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

const TINY: f64 = 1e-300;

/// Below this a class weight π_k is also kept in logs (its product with the lists' terms could
/// underflow).
const PI_LOGS: f64 = 1e-280;

impl<'a> Chain<'a> {
    /// A chain started from the prior, with its own seed.
    pub fn new(data: &'a LcmcrData, config: &LcmcrConfig, seed: u64) -> Chain<'a> {
        let k = config.k;
        let j = data.lists;
        let rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let mut chain = Chain {
            data,
            rng,
            k,
            a_alpha: config.a_alpha,
            b_alpha: config.b_alpha,
            one_m: vec![0.5; k * j],
            ratio: vec![1.0; k * j],
            pi: vec![1.0 / k as f64; k],
            log_pi: vec![0.0; k],
            pi_logs: false,
            e0: vec![0.0; k],
            w0_scale: 0.0,
            log_w0: vec![0.0; k],
            alpha: 1.0,
            n0: 0,
            n0_k: vec![0; k],
            obs_k: vec![0; k],
            cap: vec![0; k * j],
            w: vec![0.0; k],
            alloc: vec![0; k],
            sizes: vec![0; k],
            order: (0..k).collect(),
            suffix: vec![0.0; k + 1],
            stick: vec![(0.0, 1.0); k],
        };
        // Start λ and the weights from their priors (α = 1).
        for i in 0..k * j {
            let u = uniform(&mut chain.rng);
            chain.set_lambda(i, u, 1.0 - u);
        }
        chain.set_sticks(|rng, _| {
            let v = uniform(rng).clamp(1e-12, 1.0 - 1e-12);
            (v, 1.0 - v)
        });
        chain.refresh_weights();
        chain
    }

    fn set_lambda(&mut self, i: usize, lam: f64, one_m: f64) {
        let lam = lam.max(TINY);
        let one_m = one_m.max(TINY);
        self.one_m[i] = one_m;
        self.ratio[i] = lam / one_m;
    }

    /// Sets π from stick-breaking proportions (V_k, 1 − V_k) drawn by `draw(rng, k)` for k < K − 1;
    /// returns log π_K (= Σ_k log(1 − V_k), each 1 − V_k floored at 1e-12).
    fn set_sticks(
        &mut self,
        mut draw: impl FnMut(&mut Xoshiro256PlusPlus, usize) -> (f64, f64),
    ) -> f64 {
        let k = self.k;
        // Products, not sums of logs: each factor is at least 1e-12 (1 − V) or TINY (V), so only
        // a weight can underflow, and then the weights are also kept in logs.
        let mut cum = 1.0;
        let mut small = false;
        for kk in 0..k {
            if kk + 1 == k {
                self.pi[kk] = cum;
            } else {
                let (v, one_m_v) = draw(&mut self.rng, kk);
                let v = v.max(TINY);
                let one_m_v = one_m_v.max(1e-12);
                self.pi[kk] = v * cum;
                small |= self.pi[kk] < PI_LOGS;
                cum *= one_m_v;
                self.stick[kk] = (v, one_m_v);
            }
        }
        self.pi_logs = small;
        if small {
            let mut log_cum = 0.0;
            for kk in 0..k {
                if kk + 1 == k {
                    self.log_pi[kk] = log_cum;
                } else {
                    let (v, one_m_v) = self.stick[kk];
                    self.log_pi[kk] = v.ln() + log_cum;
                    log_cum += one_m_v.ln();
                }
            }
        }
        cum.ln()
    }

    /// log π_k.
    fn log_pi(&self, kk: usize) -> f64 {
        if self.pi_logs {
            self.log_pi[kk]
        } else {
            self.pi[kk].ln()
        }
    }

    /// The current N.
    pub fn population(&self) -> u64 {
        self.data.n + self.n0
    }

    /// Recomputes the weights π_k ∏_j (1 − λ_jk) of "recorded by no list": as products (no
    /// logarithms) unless the largest underflows, then in logs scaled by their maximum.
    fn refresh_weights(&mut self) {
        let k = self.k;
        let j = self.data.lists;
        self.e0.copy_from_slice(&self.pi);
        for l in 0..j {
            for (e, o) in self.e0.iter_mut().zip(&self.one_m[l * k..(l + 1) * k]) {
                *e *= o;
            }
        }
        let max = self.e0.iter().copied().fold(0.0, f64::max);
        if max > 1e-250 && max.is_finite() {
            // Classes that underflowed to 0 weigh less than 1e-58 relative to the largest.
            self.w0_scale = 0.0;
            return;
        }
        self.fill_log_w0();
        let max = self
            .log_w0
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        self.w0_scale = max;
        for kk in 0..k {
            self.e0[kk] = (self.log_w0[kk] - max).exp();
        }
    }

    /// log(π_k ∏_j (1 − λ_jk)) into `log_w0`.
    fn fill_log_w0(&mut self) {
        let k = self.k;
        let j = self.data.lists;
        for kk in 0..k {
            let mut s = self.log_pi(kk);
            for l in 0..j {
                s += self.one_m[l * k + kk].ln();
            }
            self.log_w0[kk] = s;
        }
    }

    /// Class weights of one observed pattern into `self.w`; returns their total.
    fn pattern_weights(&mut self, ones: &[usize]) -> f64 {
        let k = self.k;
        self.w.copy_from_slice(&self.e0);
        for &l in ones {
            let r = &self.ratio[l * k..(l + 1) * k];
            for (w, r) in self.w.iter_mut().zip(r) {
                *w *= r;
            }
        }
        let total: f64 = self.w.iter().sum();
        if total > 1e-250 && total.is_finite() {
            return total;
        }
        // Extreme values: redo in logs.
        self.fill_log_w0();
        for kk in 0..k {
            let mut s = self.log_w0[kk];
            for &l in ones {
                s += self.ratio[l * k + kk].ln();
            }
            self.w[kk] = s;
        }
        let max = self.w.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        self.w.iter_mut().for_each(|v| *v = (*v - max).exp());
        self.w.iter().sum()
    }

    /// One Gibbs sweep (steps 1–6 of the reference); α is updated only when `update_alpha`.
    pub fn sweep(&mut self, update_alpha: bool) {
        let k = self.k;
        let j = self.data.lists;
        let data = self.data;
        // 1. Allocate each observed pattern's count among the classes.
        self.obs_k.iter_mut().for_each(|v| *v = 0);
        self.cap.iter_mut().for_each(|v| *v = 0);
        sort_decreasing(&mut self.order, &self.sizes);
        for (i, &count) in data.counts.iter().enumerate() {
            let ones = &data.ones[i];
            self.pattern_weights(ones);
            multinomial_in_order(
                &mut self.rng,
                count,
                &self.w,
                &self.order,
                &mut self.suffix,
                &mut self.alloc,
            );
            if count < k as u64 {
                // Few people fall in few classes: add only those.
                for kk in 0..k {
                    let a = self.alloc[kk];
                    if a == 0 {
                        continue;
                    }
                    self.obs_k[kk] += a;
                    for &l in ones {
                        self.cap[l * k + kk] += a;
                    }
                }
            } else {
                // Contiguous K-vector additions, without branches.
                for (o, a) in self.obs_k.iter_mut().zip(&self.alloc) {
                    *o += a;
                }
                for &l in ones {
                    for (c, a) in self.cap[l * k..(l + 1) * k].iter_mut().zip(&self.alloc) {
                        *c += a;
                    }
                }
            }
        }
        // 2. λ from its Beta full conditional; undocumented people count as not captured.
        let mut m = std::mem::take(&mut self.sizes);
        for kk in 0..k {
            m[kk] = self.obs_k[kk] + self.n0_k[kk];
        }
        for l in 0..j {
            for kk in 0..k {
                let i = l * k + kk;
                let c = self.cap[i];
                let (one_m, ratio) = beta_odds(
                    &mut self.rng,
                    1.0 + c as f64,
                    1.0 + (m[kk] - c) as f64,
                    TINY,
                );
                self.one_m[i] = one_m;
                self.ratio[i] = ratio;
            }
        }
        // 3. Stick-breaking weights.
        let mut tail: u64 = m.iter().sum();
        let alpha = self.alpha;
        let log_pi_last = self.set_sticks(|rng, kk| {
            tail -= m[kk];
            beta_pair(rng, 1.0 + m[kk] as f64, alpha + tail as f64)
        });
        self.sizes = m;
        // 4. n0: failures before n successes with success probability 1 − π0.
        self.refresh_weights();
        let e_total: f64 = self.e0.iter().sum();
        let pi0 = if self.w0_scale == 0.0 {
            e_total
        } else {
            (e_total.ln() + self.w0_scale).exp()
        }
        .min(1.0 - 1e-12);
        self.n0 = negative_binomial(&mut self.rng, data.n as f64, pi0);
        // 5. The undocumented people's classes.
        multinomial_in_order(
            &mut self.rng,
            self.n0,
            &self.e0,
            &self.order,
            &mut self.suffix,
            &mut self.alloc,
        );
        self.n0_k.copy_from_slice(&self.alloc);
        // 6. α from its Gamma full conditional.
        if update_alpha {
            let rate = self.b_alpha - log_pi_last;
            self.alpha = (gamma(&mut self.rng, self.a_alpha + k as f64 - 1.0) / rate).max(TINY);
        }
    }

    /// Reorders the classes by decreasing size (documented + undocumented).
    pub fn reorder(&mut self) {
        let k = self.k;
        let j = self.data.lists;
        let mut order: Vec<usize> = (0..k).collect();
        let size = |kk: usize| self.obs_k[kk] + self.n0_k[kk];
        order.sort_by(|&a, &b| size(b).cmp(&size(a)).then(a.cmp(&b)));
        let permute_lists = |v: &Vec<f64>| -> Vec<f64> {
            (0..j)
                .flat_map(|l| order.iter().map(move |&kk| v[l * k + kk]))
                .collect()
        };
        self.one_m = permute_lists(&self.one_m);
        self.ratio = permute_lists(&self.ratio);
        self.pi = order.iter().map(|&kk| self.pi[kk]).collect();
        self.log_pi = order.iter().map(|&kk| self.log_pi[kk]).collect();
        self.n0_k = order.iter().map(|&kk| self.n0_k[kk]).collect();
        self.obs_k = order.iter().map(|&kk| self.obs_k[kk]).collect();
        self.sizes = order.iter().map(|&kk| self.sizes[kk]).collect();
        let cap = &self.cap;
        self.cap = (0..j)
            .flat_map(|l| order.iter().map(move |&kk| cap[l * k + kk]))
            .collect();
        self.refresh_weights();
    }

    /// Classes holding at least one documented person.
    pub fn occupied(&self) -> usize {
        self.obs_k.iter().filter(|&&c| c > 0).count()
    }
}

/// What one chain produced.
#[derive(Debug, Clone)]
pub struct ChainOutput {
    /// Kept draws of N.
    pub draws: Vec<f64>,
    /// Mean occupied classes at the kept draws.
    pub mean_occupied: f64,
}

/// Runs one chain: warm-up without α, reorder, burn-in, then `samples` draws every `thin` sweeps.
/// `progress` is told how many sweeps were done, in batches.
pub fn run_chain(
    data: &LcmcrData,
    config: &LcmcrConfig,
    seed: u64,
    progress: &(dyn Fn(u64) + Sync),
) -> ChainOutput {
    let mut chain = Chain::new(data, config, seed);
    let mut pending = 0u64;
    let tick = |pending: &mut u64| {
        *pending += 1;
        if *pending == 1000 {
            progress(*pending);
            *pending = 0;
        }
    };
    for _ in 0..config.warmup {
        chain.sweep(false);
        tick(&mut pending);
    }
    chain.reorder();
    for _ in 0..config.burnin {
        chain.sweep(true);
        tick(&mut pending);
    }
    let mut draws = Vec::with_capacity(config.samples);
    let mut occupied = 0usize;
    for _ in 0..config.samples {
        for _ in 0..config.thin {
            chain.sweep(true);
            tick(&mut pending);
        }
        draws.push(chain.population() as f64);
        occupied += chain.occupied();
    }
    if pending > 0 {
        progress(pending);
    }
    ChainOutput {
        draws,
        mean_occupied: occupied as f64 / config.samples as f64,
    }
}

/// Fits LCMCR with `config.chains` chains on threads and pools their draws.
pub fn estimate_lcmcr(
    table: &CaptureTable,
    config: &LcmcrConfig,
) -> Result<EstimateResult, Refusal> {
    estimate_lcmcr_with_progress(table, config, &|_| {})
}

/// As [`estimate_lcmcr`], telling `progress` how many sweeps were done (summed over chains; the
/// total is `chains * sweeps_per_chain()`).
pub fn estimate_lcmcr_with_progress(
    table: &CaptureTable,
    config: &LcmcrConfig,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<EstimateResult, Refusal> {
    config.check()?;
    crate::strata::check_supportable(table, 3)?;
    let data = LcmcrData::new(table);
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(config.chains);
    // Chains are handed to threads round-robin; each chain's output depends only on its seed.
    let mut outputs: Vec<Option<ChainOutput>> = vec![None; config.chains];
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let data = &data;
                s.spawn(move || {
                    (t..config.chains)
                        .step_by(threads)
                        .map(|c| {
                            (
                                c,
                                run_chain(data, config, chain_seed(config.seed, c), progress),
                            )
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for h in handles {
            // A panic in a chain is a bug; it propagates.
            for (c, out) in h.join().expect("an LCMCR chain panicked") {
                outputs[c] = Some(out);
            }
        }
    });
    let outputs: Vec<ChainOutput> = outputs.into_iter().flatten().collect();
    let chains: Vec<Vec<f64>> = outputs.iter().map(|o| o.draws.clone()).collect();
    let mut pooled: Vec<f64> = chains.iter().flatten().copied().collect();
    pooled.sort_by(f64::total_cmp);
    let tail = (1.0 - config.level) / 2.0;
    let estimate = Estimate {
        median: quantile(&pooled, 0.5),
        lower: quantile(&pooled, tail),
        upper: quantile(&pooled, 1.0 - tail),
        level: config.level,
    };
    let rhat = (chains.len() >= 2).then(|| split_rhat(&chains));
    let ess = effective_sample_size(&chains);
    let chain_medians = chains
        .iter()
        .map(|c| {
            let mut s = c.clone();
            s.sort_by(f64::total_cmp);
            quantile(&s, 0.5)
        })
        .collect();
    let mean_occupied_classes =
        outputs.iter().map(|o| o.mean_occupied).sum::<f64>() / outputs.len() as f64;
    let mut warnings = Vec::new();
    if let Some(r) = rhat
        && r > 1.1
    {
        warnings.push(EstimateWarning::ChainsDisagree { r_hat: r });
    }
    if ess < 100.0 {
        warnings.push(EstimateWarning::FewEffectiveDraws { ess });
    }
    if config.chains == 1 {
        warnings.push(EstimateWarning::OneChain);
    }
    if mean_occupied_classes > 0.9 * config.k as f64 {
        warnings.push(EstimateWarning::ClassesNearTruncation {
            mean_occupied: mean_occupied_classes,
            k: config.k,
        });
    }
    Ok(EstimateResult {
        method: Method::Lcmcr,
        lists: table.lists().to_vec(),
        observed: table.observed(),
        estimate,
        model: Some(format!("latent classes, K = {}", config.k)),
        loglinear: None,
        lcmcr: Some(LcmcrDetails {
            config: *config,
            rhat,
            ess,
            chain_medians,
            mean_occupied_classes,
        }),
        bma: None,
        warnings,
        draws: chains,
    })
}

#[cfg(test)]
#[path = "lcmcr_tests.rs"]
mod tests;
