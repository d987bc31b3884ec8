//! LCMCR: reproducibility, the samplers, recovery of a known population, and Kosovo against the
//! seed-to-seed spread of LCMCR 0.4.14 (tests/data/README.md).

use super::*;
use crate::simulate::Population;

fn table(name: &str) -> CaptureTable {
    let path = format!("{}/tests/data/{name}.csv", env!("CARGO_MANIFEST_DIR"));
    CaptureTable::from_csv(&std::fs::read_to_string(path).unwrap())
        .unwrap()
        .0
}

fn short() -> LcmcrConfig {
    LcmcrConfig {
        burnin: 2_000,
        samples: 500,
        thin: 10,
        chains: 2,
        ..LcmcrConfig::default()
    }
}

#[test]
fn the_same_seed_gives_the_same_draws_and_another_seed_does_not() {
    let t = table("kosovo");
    let a = estimate_lcmcr(&t, &short()).unwrap();
    let b = estimate_lcmcr(&t, &short()).unwrap();
    assert_eq!(a.draws, b.draws);
    let c = estimate_lcmcr(&t, &LcmcrConfig { seed: 2, ..short() }).unwrap();
    assert_ne!(a.draws, c.draws);
}

/// The LCMCR 0.4.14 documented run on Kosovo, over 10 seeds: posterior median 10,406–10,600 (mean
/// 10,468, sd 72), 2.5% quantile 9,041–9,245, 97.5% quantile 13,369–15,721; three long pooled chains:
/// 8,866 / 10,399 / 13,906. We pool four chains at the documented settings. The median must be within
/// 2% of 10,468 (the bar; 2% is about 3 seed-to-seed sds). The interval ends of one short
/// chain are noisy and biased inward (the long pooled run's 2.5% quantile, 8,866, is below every
/// single seed's), so each end must lie in the range spanned by the single-seed values and the long
/// pooled value, widened by 1% for the Monte Carlo error of our own pooled run.
#[test]
fn kosovo_documented_run_agrees_with_lcmcr() {
    let r = estimate_lcmcr(&table("kosovo"), &LcmcrConfig::default()).unwrap();
    let e = r.estimate;
    let d = r.lcmcr.as_ref().unwrap();
    eprintln!("{e:?} {d:?}");
    assert!(
        (e.median / 10_468.0 - 1.0).abs() < 0.02,
        "median {}",
        e.median
    );
    assert!(
        (8_866.0 * 0.99..=9_245.0 * 1.01).contains(&e.lower),
        "2.5% {}",
        e.lower
    );
    assert!(
        (13_369.0 * 0.99..=15_721.0 * 1.01).contains(&e.upper),
        "97.5% {}",
        e.upper
    );
    assert!(d.rhat.unwrap() < 1.1, "the chains agree on Kosovo");
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

/// Tier one: a population drawn from the model itself (two classes, five lists) with N known.
#[test]
fn recovers_a_known_heterogeneous_population() {
    let pop = Population {
        size: 3_000,
        weights: vec![0.6, 0.4],
        probabilities: vec![
            vec![0.10, 0.15, 0.10, 0.20, 0.12],
            vec![0.50, 0.45, 0.40, 0.55, 0.50],
        ],
    };
    let t = pop.simulate(7).unwrap();
    let r = estimate_lcmcr(&t, &short()).unwrap();
    eprintln!("observed {} {:?}", t.observed(), r.estimate);
    assert!(r.estimate.lower <= 3_000.0 && 3_000.0 <= r.estimate.upper);
    assert!((r.estimate.median / 3_000.0 - 1.0).abs() < 0.1);
}

#[test]
fn refuses_what_it_cannot_estimate() {
    let two = CaptureTable::from_csv("A,B,count\n1,1,20\n1,0,10\n0,1,5\n")
        .unwrap()
        .0;
    assert_eq!(
        estimate_lcmcr(&two, &short()).unwrap_err(),
        Refusal::TooFewLists {
            found: 2,
            needed: 3
        }
    );
    let apart = CaptureTable::from_csv("A,B,C,count\n1,0,0,20\n0,1,0,10\n0,0,1,5\n")
        .unwrap()
        .0;
    assert_eq!(
        estimate_lcmcr(&apart, &short()).unwrap_err(),
        Refusal::NoOverlap
    );
    let bad = LcmcrConfig { k: 0, ..short() };
    assert!(matches!(
        estimate_lcmcr(&table("kosovo"), &bad),
        Err(Refusal::BadSetting(_))
    ));
}

/// verdata's 20-list stratum (K = 15) has several modes: LCMCR settles near 1,413 or near 2,060
/// depending on the seed (tests/data/README.md). Several chains must expose that, not hide it:
/// every chain's median lies in the plausible range, and when chain medians are far apart R̂ flags
/// it with a warning. (Which modes a seed finds depends on the random stream: with the earlier
/// variates, rand_distr's binomial, this seed found 1,412 and 2,078.)
#[test]
fn several_modes_on_hard_data_are_reported() {
    let t = table("verdata_R1_hombre_1999");
    let config = LcmcrConfig {
        k: 15,
        burnin: 5_000,
        samples: 500,
        thin: 20,
        chains: 4,
        seed: 2,
        ..LcmcrConfig::default()
    };
    let r = estimate_lcmcr(&t, &config).unwrap();
    let d = r.lcmcr.as_ref().unwrap();
    eprintln!("{:?} {:?} {:?}", r.estimate, d.chain_medians, d.rhat);
    for m in &d.chain_medians {
        assert!((1_100.0..2_800.0).contains(m), "chain median {m}");
    }
    let spread = d.chain_medians.iter().copied().fold(f64::MIN, f64::max)
        - d.chain_medians.iter().copied().fold(f64::MAX, f64::min);
    let warned = r
        .warnings
        .iter()
        .any(|w| matches!(w, EstimateWarning::ChainsDisagree { .. }));
    // Far-apart chains must be flagged (R̂ may also flag closer ones whose spreads differ).
    assert!(
        spread <= 400.0 || warned,
        "spread {spread}, warnings {:?}",
        r.warnings
    );
    // With this seed two chains sit near 1,400 and one reaches the upper mode (chain medians
    // 1,384–2,196, R̂ 1.68): the warning must be there. Such runs are the rule, not the exception:
    // at these settings the chains disagreed (R̂ > 1.1) for 39 of seeds 1–40, as they did with the
    // sampler's earlier variates.
    assert!(warned && d.rhat.unwrap() > 1.1);
}

/// Pooled draws of the fast sampler (`chains` chains through [`estimate_lcmcr`]).
fn fast_draws(t: &CaptureTable, config: &LcmcrConfig) -> Vec<Vec<f64>> {
    estimate_lcmcr(t, config).unwrap().draws
}

/// Checks that `chains` (MCMC draws) follow the distribution with CDF `cdf`: at each probability p,
/// the share of draws at or below the distribution's p-quantile `q` must be p within 4 Monte Carlo
/// standard errors, √(p(1 − p) / ESS) (with the effective sample size of the chains, since the draws
/// are autocorrelated). `quantile` is the distribution's quantile function.
fn check_distribution(name: &str, chains: &[Vec<f64>], quantile: &dyn Fn(f64) -> f64) {
    let ess = effective_sample_size(chains);
    let all: Vec<f64> = chains.iter().flatten().copied().collect();
    assert!(ess > 300.0, "{name}: ESS {ess}");
    for p in [0.05, 0.25, 0.5, 0.75, 0.95] {
        let q = quantile(p);
        let share = all.iter().filter(|&&x| x <= q).count() as f64 / all.len() as f64;
        let se = (p * (1.0 - p) / ess).sqrt();
        // N is discrete: at or below q holds at least p, below q at most p.
        let below = all.iter().filter(|&&x| x < q).count() as f64 / all.len() as f64;
        assert!(
            share >= p - 4.0 * se && below <= p + 4.0 * se,
            "{name}: P(N ≤ {q}) {share:.4}, P(N < {q}) {below:.4}, expected {p} ± {:.4} (ESS {ess:.0})",
            4.0 * se
        );
    }
}

/// Tier two, against an independent computation: with one latent class (K = 1) the model is the
/// independence model with λ_j ~ Beta(1, 1) and the prior on N ∝ 1/N, whose posterior is exact:
/// p(N | data) ∝ (1/N) · N! / (N − n)! · ∏_j B(1 + c_j, 1 + N − c_j), c_j the list totals. The
/// sampler's draws must follow it.
#[test]
fn one_class_posterior_matches_the_exact_posterior() {
    let pop = Population {
        size: 400,
        weights: vec![1.0],
        probabilities: vec![vec![0.3, 0.4, 0.25]],
    };
    let t = pop.simulate(3).unwrap();
    let n = t.observed() as usize;
    let c = t.list_totals();
    let top = 4 * n;
    let mut lf = vec![0.0f64; top + 2];
    for i in 1..lf.len() {
        lf[i] = lf[i - 1] + (i as f64).ln();
    }
    let log_post: Vec<f64> = (n..=top)
        .map(|big| {
            let mut s = -(big as f64).ln() + lf[big] - lf[big - n];
            for &cj in &c {
                let cj = cj as usize;
                // ln B(1 + c, 1 + N − c) = ln c! + ln (N − c)! − ln (N + 1)!
                s += lf[cj] + lf[big - cj] - lf[big + 1];
            }
            s
        })
        .collect();
    let max = log_post.iter().copied().fold(f64::MIN, f64::max);
    let weights: Vec<f64> = log_post.iter().map(|l| (l - max).exp()).collect();
    let total: f64 = weights.iter().sum();
    let mut cdf = Vec::with_capacity(weights.len());
    let mut acc = 0.0;
    for w in &weights {
        acc += w / total;
        cdf.push(acc);
    }
    let quantile = |p: f64| (n + cdf.iter().position(|&f| f >= p).unwrap()) as f64;
    let config = LcmcrConfig {
        k: 1,
        warmup: 100,
        burnin: 1_000,
        samples: 5_000,
        thin: 2,
        chains: 2,
        seed: 9,
        ..LcmcrConfig::default()
    };
    let draws = fast_draws(&t, &config);
    check_distribution("K = 1 against the exact posterior", &draws, &quantile);
}

/// The model sampled the plain way, one person at a time, written from the model's definition
/// (Manrique-Vallier 2016) with rand_distr's own Beta, Gamma and Poisson samplers and nothing of
/// the fast sampler's: each documented person's class; the undocumented count n₀ ~ NegBin(n, 1 − π₀)
/// as a Gamma–Poisson mixture; each undocumented person's class; λ, the stick-breaking weights
/// and α from their full conditionals. Returns the draws of N.
fn per_person_chain(t: &CaptureTable, k: usize, config: &LcmcrConfig, seed: u64) -> Vec<f64> {
    use rand::RngExt;
    use rand_distr::{Beta, Distribution, Gamma, Poisson};
    let j = t.list_count();
    let people: Vec<Vec<bool>> = t
        .cells()
        .flat_map(|(p, c)| std::iter::repeat_n((0..j).map(|l| p.has(l)).collect(), c as usize))
        .collect();
    let n = people.len();
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut lam = vec![vec![0.5; j]; k];
    let mut pi = vec![1.0 / k as f64; k];
    let mut alpha = 1.0;
    let mut draws = Vec::new();
    let categorical = |rng: &mut Xoshiro256PlusPlus, w: &[f64]| {
        let total: f64 = w.iter().sum();
        let mut u = rng.random::<f64>() * total;
        for (kk, &wk) in w.iter().enumerate() {
            if u < wk {
                return kk;
            }
            u -= wk;
        }
        k - 1
    };
    let sweeps = config.warmup + config.burnin + config.samples * config.thin;
    for sweep in 0..sweeps {
        // Classes of the documented people.
        let mut size = vec![0u64; k];
        let mut caught = vec![vec![0u64; j]; k];
        for person in &people {
            let w: Vec<f64> = (0..k)
                .map(|kk| {
                    pi[kk]
                        * (0..j)
                            .map(|l| {
                                if person[l] {
                                    lam[kk][l]
                                } else {
                                    1.0 - lam[kk][l]
                                }
                            })
                            .product::<f64>()
                })
                .collect();
            let z = categorical(&mut rng, &w);
            size[z] += 1;
            for l in 0..j {
                caught[z][l] += person[l] as u64;
            }
        }
        // n₀, then each undocumented person's class.
        let w0: Vec<f64> = (0..k)
            .map(|kk| pi[kk] * (0..j).map(|l| 1.0 - lam[kk][l]).product::<f64>())
            .collect();
        let pi0: f64 = w0.iter().sum();
        let g = Gamma::new(n as f64, 1.0).unwrap().sample(&mut rng);
        let mean = g * pi0 / (1.0 - pi0);
        let n0 = if mean > 0.0 {
            Poisson::new(mean).unwrap().sample(&mut rng) as u64
        } else {
            0
        };
        for _ in 0..n0 {
            size[categorical(&mut rng, &w0)] += 1;
        }
        // After the warm-up, as LCMCR does, relabel the classes by decreasing size once.
        if sweep + 1 == config.warmup {
            let mut order: Vec<usize> = (0..k).collect();
            order.sort_by(|&a, &b| size[b].cmp(&size[a]).then(a.cmp(&b)));
            size = order.iter().map(|&kk| size[kk]).collect();
            caught = order.iter().map(|&kk| caught[kk].clone()).collect();
        }
        // λ, V (stick-breaking) and α.
        for kk in 0..k {
            for l in 0..j {
                let a = 1.0 + caught[kk][l] as f64;
                let b = 1.0 + (size[kk] - caught[kk][l]) as f64;
                lam[kk][l] = Beta::new(a, b)
                    .unwrap()
                    .sample(&mut rng)
                    .clamp(1e-300, 1.0 - 1e-16);
            }
        }
        let mut rest = 1.0;
        let mut log_rest = 0.0;
        for kk in 0..k {
            if kk + 1 == k {
                pi[kk] = rest;
                break;
            }
            let tail: u64 = size[kk + 1..].iter().sum();
            let v: f64 = Beta::new(1.0 + size[kk] as f64, alpha + tail as f64)
                .unwrap()
                .sample(&mut rng);
            // The one numerical convention shared with the fast sampler: 1 − V is floored at
            // 1e-12. Without it a chain whose people all sit in one class draws α ≈ 0, then
            // 1 − V ≈ e^(−1/α), and stays in that state for tens of thousands of sweeps.
            let one_m_v = (1.0 - v).max(1e-12);
            pi[kk] = rest * v;
            rest *= one_m_v;
            log_rest += one_m_v.ln();
        }
        if sweep >= config.warmup {
            let rate = config.b_alpha - log_rest;
            alpha = Gamma::new(config.a_alpha + k as f64 - 1.0, 1.0 / rate)
                .unwrap()
                .sample(&mut rng)
                .max(1e-300);
        }
        let start = config.warmup + config.burnin;
        if sweep >= start && (sweep + 1 - start).is_multiple_of(config.thin) {
            draws.push((n as u64 + n0) as f64);
        }
    }
    draws
}

/// The fast sampler (pattern counts, multinomial and binomial draws, its own variates) against the
/// plain per-person sampler above, on a small heterogeneous population with three classes allowed:
/// the fast chains' draws must follow the distribution of the per-person chains' draws (their
/// empirical quantiles, whose own Monte Carlo error is covered by pooling both ESS into the
/// tolerance: 4 standard errors with 1/ESS_fast + 1/ESS_plain).
#[test]
fn fast_sampler_matches_the_per_person_sampler() {
    let pop = Population {
        size: 300,
        weights: vec![0.7, 0.3],
        probabilities: vec![vec![0.2, 0.3, 0.25, 0.2], vec![0.6, 0.5, 0.7, 0.6]],
    };
    let t = pop.simulate(21).unwrap();
    let config = LcmcrConfig {
        k: 3,
        warmup: 200,
        burnin: 1_000,
        samples: 4_000,
        thin: 5,
        chains: 4,
        seed: 4,
        ..LcmcrConfig::default()
    };
    let plain: Vec<Vec<f64>> = (0..4)
        .map(|c| per_person_chain(&t, 3, &config, 100 + c))
        .collect();
    let fast = fast_draws(&t, &config);
    let ess_plain = effective_sample_size(&plain);
    let mut pooled: Vec<f64> = plain.iter().flatten().copied().collect();
    pooled.sort_by(f64::total_cmp);
    let mut fast_sorted: Vec<f64> = fast.iter().flatten().copied().collect();
    fast_sorted.sort_by(f64::total_cmp);
    eprintln!(
        "observed {}; median N per person {} (ESS {ess_plain:.0}), fast {}",
        t.observed(),
        quantile(&pooled, 0.5),
        quantile(&fast_sorted, 0.5),
    );
    let ess_fast = effective_sample_size(&fast);
    assert!(
        ess_fast > 1_000.0 && ess_plain > 1_000.0,
        "ESS {ess_fast:.0} / {ess_plain:.0}"
    );
    let all: Vec<f64> = fast.iter().flatten().copied().collect();
    for p in [0.05, 0.25, 0.5, 0.75, 0.95] {
        let q = quantile(&pooled, p).round();
        let at_most = |d: &[f64]| d.iter().filter(|&&x| x <= q).count() as f64 / d.len() as f64;
        let (f, r) = (at_most(&all), at_most(&pooled));
        let se = (r * (1.0 - r) * (1.0 / ess_fast + 1.0 / ess_plain)).sqrt();
        assert!(
            (f - r).abs() <= 4.0 * se,
            "P(N ≤ {q}): fast {f:.4}, per-person {r:.4} (± {:.4}; ESS {ess_fast:.0} / {ess_plain:.0})",
            4.0 * se
        );
    }
}
