//! The variates against their exact distributions: probabilities computed here independently (log
//! factorials by summing logarithms, not by the Stirling series the samplers use), compared with a
//! chi-square statistic over cells expected to hold at least 5 draws (tails pooled).
//!
//! The threshold is the statistic's mean (its degrees of freedom d) plus 6 standard deviations
//! (√(2d)): a correct sampler exceeds it with probability well below 1e-6, while a sampler off by
//! one in a region, or with a wrong acceptance test, exceeds it by hundreds at these sample sizes.

use super::*;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

const DRAWS: usize = 200_000;

/// ln(0!), …, ln(n!) by summing logarithms.
fn ln_factorials(n: usize) -> Vec<f64> {
    let mut out = vec![0.0; n + 1];
    for i in 1..=n {
        out[i] = out[i - 1] + (i as f64).ln();
    }
    out
}

/// The chi-square statistic and its degrees of freedom for `draws` against `pmf` (values 0..).
fn chi_square(draws: &[u64], pmf: &[f64]) -> (f64, f64) {
    let mut observed = vec![0u64; pmf.len()];
    for &x in draws {
        let x = (x as usize).min(pmf.len() - 1);
        observed[x] += 1;
    }
    let m = draws.len() as f64;
    // Pool adjacent values until each cell expects at least 5.
    let mut stat = 0.0;
    let mut cells = 0usize;
    let (mut e, mut o) = (0.0, 0.0);
    for (p, &c) in pmf.iter().zip(&observed) {
        e += p * m;
        o += c as f64;
        if e >= 5.0 {
            stat += (o - e) * (o - e) / e;
            cells += 1;
            e = 0.0;
            o = 0.0;
        }
    }
    if e > 0.0 || o > 0.0 {
        stat += (o - e) * (o - e) / e.max(1e-9);
        cells += 1;
    }
    (stat, (cells.max(2) - 1) as f64)
}

fn check(name: &str, draws: &[u64], pmf: &[f64]) {
    let (stat, df) = chi_square(draws, pmf);
    let limit = df + 6.0 * (2.0 * df).sqrt();
    assert!(
        stat < limit,
        "{name}: chi-square {stat:.1} on {df} df (limit {limit:.1})"
    );
}

#[test]
fn binomial_draws_follow_the_binomial_distribution() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(17);
    // Inversion (n p < 10, including the one-uniform zero), BTRS (n p ≥ 10) near and far from the
    // switch, and p > ½ (flipped).
    for (n, p) in [
        (30u64, 0.1f64),
        (5_000, 0.001),
        (40, 0.0004),
        (20, 0.5),
        (1_000, 0.0105),
        (200, 0.3),
        (4_400, 0.7),
        (60, 0.93),
    ] {
        let lf = ln_factorials(n as usize);
        let pmf: Vec<f64> = (0..=n as usize)
            .map(|x| {
                (lf[n as usize] - lf[x] - lf[n as usize - x]
                    + x as f64 * p.ln()
                    + (n as usize - x) as f64 * (-p).ln_1p())
                .exp()
            })
            .collect();
        let draws: Vec<u64> = (0..DRAWS).map(|_| binomial(&mut rng, n, p)).collect();
        assert!(draws.iter().all(|&x| x <= n));
        check(&format!("Binomial({n}, {p})"), &draws, &pmf);
    }
    assert_eq!(binomial(&mut rng, 0, 0.3), 0);
    assert_eq!(binomial(&mut rng, 9, 0.0), 0);
    assert_eq!(binomial(&mut rng, 9, 1.0), 9);
}

#[test]
fn poisson_draws_follow_the_poisson_distribution() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(23);
    for mean in [0.3f64, 3.5, 9.9, 10.0, 37.0, 6_000.0] {
        let top = (mean + 12.0 * mean.sqrt() + 30.0) as usize;
        let lf = ln_factorials(top);
        let pmf: Vec<f64> = (0..=top)
            .map(|x| (-mean + x as f64 * f64::ln(mean) - lf[x]).exp())
            .collect();
        let draws: Vec<u64> = (0..DRAWS).map(|_| poisson(&mut rng, mean)).collect();
        check(&format!("Poisson({mean})"), &draws, &pmf);
    }
}

/// Stirling's series with its tail must be ln(k!) to near machine precision, at the table's edge
/// and beyond.
#[test]
fn log_factorials_are_exact() {
    let lf = ln_factorials(20_000);
    for k in [0usize, 1, 5, 9, 10, 11, 50, 999, 16_383, 16_384, 20_000] {
        let got = ln_factorial(k as f64);
        assert_eq!(
            got,
            ln_factorial_stirling(k as f64),
            "the table holds the series"
        );
        assert!(
            (got - lf[k]).abs() <= 1e-12 * lf[k].max(1.0),
            "ln({k}!) {got} vs {}",
            lf[k]
        );
    }
}

/// The multinomial's counts for each category are Binomial(n, w / total): both paths (few people
/// one by one, many by conditional binomials) checked category by category.
#[test]
fn multinomial_margins_are_binomial() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
    let w = [0.5, 0.05, 2.0, 0.0, 1.45, 1e-7];
    let total: f64 = w.iter().sum();
    let mut out = [0u64; 6];
    let mut scratch = MultinomialScratch::default();
    for n in [7u64, 300, 6_000] {
        let mut draws = vec![Vec::with_capacity(50_000); w.len()];
        for _ in 0..50_000 {
            multinomial(&mut rng, n, &w, &mut out, &mut scratch);
            assert_eq!(out.iter().sum::<u64>(), n);
            for (d, &o) in draws.iter_mut().zip(&out) {
                d.push(o);
            }
        }
        let lf = ln_factorials(n as usize);
        for (kk, d) in draws.iter().enumerate() {
            let p = w[kk] / total;
            if p == 0.0 {
                assert!(d.iter().all(|&x| x == 0));
                continue;
            }
            let pmf: Vec<f64> = (0..=n as usize)
                .map(|x| {
                    (lf[n as usize] - lf[x] - lf[n as usize - x]
                        + x as f64 * p.ln()
                        + (n as usize - x) as f64 * (-p).ln_1p())
                    .exp()
                })
                .collect();
            check(&format!("multinomial n {n} category {kk}"), d, &pmf);
        }
    }
}

#[test]
fn samplers_have_the_right_moments() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
    let draws = 200_000;
    for (a, b) in [(1.0, 1.0), (1.0, 7.0), (4.0, 1.0), (3.5, 12.0), (0.3, 0.6)] {
        let mean = (0..draws).map(|_| beta_pair(&mut rng, a, b).0).sum::<f64>() / draws as f64;
        let expected = a / (a + b);
        assert!((mean - expected).abs() < 0.005, "Beta({a},{b}) mean {mean}");
    }
    for shape in [0.25, 1.0, 9.5] {
        let mean = (0..draws).map(|_| gamma(&mut rng, shape)).sum::<f64>() / draws as f64;
        assert!(
            (mean / shape - 1.0).abs() < 0.02,
            "Gamma({shape}) mean {mean}"
        );
    }
    // Negative binomial: failures before n successes, mean n p / (1 − p).
    let nb = (0..20_000)
        .map(|_| negative_binomial(&mut rng, 50.0, 0.6) as f64)
        .sum::<f64>()
        / 20_000.0;
    assert!((nb / 75.0 - 1.0).abs() < 0.02, "NB mean {nb}");
    // Multinomial: both paths, expected counts n w / total.
    let w = [0.5, 0.05, 2.0, 0.0, 1.45];
    let mut out = [0u64; 5];
    let mut scratch = MultinomialScratch::default();
    for n in [7u64, 5_000] {
        let mut sums = [0u64; 5];
        for _ in 0..4_000 {
            multinomial(&mut rng, n, &w, &mut out, &mut scratch);
            assert_eq!(out.iter().sum::<u64>(), n);
            for (s, o) in sums.iter_mut().zip(&out) {
                *s += o;
            }
        }
        for (kk, s) in sums.iter().enumerate() {
            let expected = 4_000.0 * n as f64 * w[kk] / 4.0;
            let got = *s as f64;
            assert!(
                (got - expected).abs() <= 0.02 * expected + 5.0 * expected.sqrt() + 1e-9,
                "n {n} class {kk}: {got} vs {expected}"
            );
        }
    }
}

/// Categories with no weight get nobody wherever they stand in the visiting order (the sampler's
/// order is by class size, so an underflowed class can come first), and the heaviest-first order
/// is not needed for the margins.
#[test]
fn multinomial_in_any_order_skips_empty_categories() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(9);
    let w = [0.0, 0.3, 0.0, 1.2, 0.5, 0.0];
    let order = [0, 2, 1, 5, 4, 3];
    let mut suffix = [0.0; 7];
    let mut out = [0u64; 6];
    for n in [1u64, 5, 31, 33, 400] {
        let mut sums = [0u64; 6];
        for _ in 0..20_000 {
            multinomial_in_order(&mut rng, n, &w, &order, &mut suffix, &mut out);
            assert_eq!(out.iter().sum::<u64>(), n);
            for (s, o) in sums.iter_mut().zip(&out) {
                *s += o;
            }
        }
        for kk in [0, 2, 5] {
            assert_eq!(sums[kk], 0, "n {n}: category {kk} has no weight");
        }
        for kk in [1, 3, 4] {
            let expected = 20_000.0 * n as f64 * w[kk] / 2.0;
            let sd = (expected * (1.0 - w[kk] / 2.0)).sqrt();
            assert!(
                (sums[kk] as f64 - expected).abs() < 5.0 * sd,
                "n {n}: category {kk} has {} against {expected}",
                sums[kk]
            );
        }
    }
}
