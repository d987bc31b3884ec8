//! Random variates for the LCMCR sampler, kept here because their speed is the sampler's speed.
//!
//! All are exact (no normal approximations): Gamma by Marsaglia & Tsang (2000); binomial by
//! inversion for small means and by Hörmann's BTRS (transformed rejection with squeeze, 1993) for
//! large ones; Poisson by inversion or Hörmann's PTRS; multinomial by conditional binomials. None
//! allocates; the rejection methods set up in a few arithmetic operations, because the sampler draws
//! each binomial with new parameters.

use rand::Rng;
use rand_distr::{Distribution, Exp1, StandardNormal};

/// A uniform draw in the open interval (0, 1).
#[inline]
pub(crate) fn uniform<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    ((rng.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
}

/// Gamma(shape, 1) by Marsaglia & Tsang (2000), with the shape < 1 boost.
pub(crate) fn gamma<R: Rng + ?Sized>(rng: &mut R, shape: f64) -> f64 {
    if shape < 1.0 {
        let u = uniform(rng);
        return gamma(rng, shape + 1.0) * u.powf(1.0 / shape);
    }
    let d = shape - 1.0 / 3.0;
    let c = 1.0 / (9.0 * d).sqrt();
    loop {
        let x: f64 = StandardNormal.sample(rng);
        let v = 1.0 + c * x;
        if v <= 0.0 {
            continue;
        }
        let v = v * v * v;
        let u = uniform(rng);
        let x2 = x * x;
        if u < 1.0 - 0.0331 * x2 * x2 || u.ln() < 0.5 * x2 + d * (1.0 - v + v.ln()) {
            return d * v;
        }
    }
}

/// Beta(a, b) as the pair (x, 1 − x), each computed without cancellation, with exact shortcuts
/// when either parameter is 1 (most classes, most lists).
pub(crate) fn beta_pair<R: Rng + ?Sized>(rng: &mut R, a: f64, b: f64) -> (f64, f64) {
    if a == 1.0 && b == 1.0 {
        let u = uniform(rng);
        return (u, 1.0 - u);
    }
    if a == 1.0 {
        // 1 − x = U^(1/b).
        let t = uniform(rng).ln() / b;
        return (-t.exp_m1(), t.exp());
    }
    if b == 1.0 {
        let t = uniform(rng).ln() / a;
        return (t.exp(), -t.exp_m1());
    }
    let x = gamma(rng, a);
    let y = gamma(rng, b);
    (x / (x + y), y / (x + y))
}

/// A list's capture probability λ ~ Beta(a, b) as the pair (1 − λ, λ / (1 − λ)), the two forms the
/// sampler uses, each without cancellation and with one transcendental function when a or b is 1
/// (empty classes, and lists that recorded nobody or everybody of a class). Both are at least
/// `tiny`.
pub(crate) fn beta_odds<R: Rng + ?Sized>(rng: &mut R, a: f64, b: f64, tiny: f64) -> (f64, f64) {
    let (one_m, ratio) = if a == 1.0 && b == 1.0 {
        let u = uniform(rng);
        (1.0 - u, u / (1.0 - u))
    } else if a == 1.0 {
        // 1 − λ = U^(1/b) = exp(−E/b) with E ~ Exp(1), so λ / (1 − λ) = exp(E/b) − 1.
        let e: f64 = Exp1.sample(rng);
        let ratio = (e / b).exp_m1();
        (1.0 / (1.0 + ratio), ratio)
    } else if b == 1.0 {
        // λ = exp(−E/a), so (1 − λ) / λ = exp(E/a) − 1.
        let e: f64 = Exp1.sample(rng);
        let inv = (e / a).exp_m1();
        if !inv.is_finite() {
            return (1.0, tiny);
        }
        (inv / (1.0 + inv), 1.0 / inv)
    } else {
        let x = gamma(rng, a);
        let y = gamma(rng, b);
        (y / (x + y), x / y)
    };
    (one_m.max(tiny), ratio.clamp(tiny, 1.0 / tiny))
}

/// log(k!) − [(k + ½) log(k + 1) − (k + 1) + ½ log(2π)]: the error of Stirling's formula, from a
/// table for k < 10 and four terms of its asymptotic series after (error below 1e-12 there).
fn stirling_tail(k: f64) -> f64 {
    const TABLE: [f64; 10] = [
        0.081_061_466_795_327_2,
        0.041_340_695_955_409_2,
        0.027_677_925_684_998_3,
        0.020_790_672_103_765_09,
        0.016_644_691_189_821_1,
        0.013_876_128_823_070_7,
        0.011_896_709_945_891_7,
        0.010_411_265_261_972_0,
        0.009_255_462_182_712_73,
        0.008_330_563_433_362_87,
    ];
    if k < 10.0 {
        return TABLE[k as usize];
    }
    let k1 = k + 1.0;
    let k1sq = k1 * k1;
    (1.0 / 12.0 - (1.0 / 360.0 - (1.0 / 1260.0 - 1.0 / 1680.0 / k1sq) / k1sq) / k1sq) / k1
}

/// log(k!) through [`stirling_tail`].
fn ln_factorial_stirling(k: f64) -> f64 {
    const HALF_LN_2PI: f64 = 0.918_938_533_204_672_8;
    (k + 0.5) * (k + 1.0).ln() - (k + 1.0) + HALF_LN_2PI + stirling_tail(k)
}

/// How many log factorials are tabulated (128 KiB): every count of a Kosovo-sized data set.
const LN_FACTORIAL_TABLE: usize = 16_384;

/// [`ln_factorial_stirling`] out of line: LLVM treats `ln` as free of side effects and, inlined,
/// computed it (with four divisions) on every call as well as the table lookup.
#[cold]
#[inline(never)]
fn ln_factorial_large(k: f64) -> f64 {
    ln_factorial_stirling(k)
}

/// log(k!), from a table computed once for k < [`LN_FACTORIAL_TABLE`] (a logarithm costs as much as
/// the rest of a binomial draw; the rejection tests need two per trial), by Stirling above.
fn ln_factorial(k: f64) -> f64 {
    static TABLE: std::sync::OnceLock<Vec<f64>> = std::sync::OnceLock::new();
    if k < LN_FACTORIAL_TABLE as f64 {
        let table = TABLE.get_or_init(|| {
            (0..LN_FACTORIAL_TABLE)
                .map(|i| ln_factorial_stirling(i as f64))
                .collect()
        });
        return table[k as usize];
    }
    ln_factorial_large(k)
}

/// Binomial(n, p).
pub(crate) fn binomial<R: Rng + ?Sized>(rng: &mut R, n: u64, p: f64) -> u64 {
    if n == 0 || !(p > 0.0) {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    let flipped = p > 0.5;
    let p = if flipped { 1.0 - p } else { p };
    let x = if n as f64 * p < 10.0 {
        binomial_inversion(rng, n, p)
    } else {
        binomial_btrs(rng, n, p)
    };
    if flipped { n - x } else { x }
}

/// 1/x for x = 0..=110 (entry 0 unused), for the inversion loop.
static RECIPROCALS: [f64; 111] = {
    let mut t = [0.0; 111];
    let mut x = 1;
    while x < 111 {
        t[x] = 1.0 / x as f64;
        x += 1;
    }
    t
};

/// Binomial(n, p) for p ≤ ½ and n p < 10 by sequential inversion from 0. Since P(X = 0) = (1 − p)^n
/// ≥ 1 − n p, a uniform below 1 − n p is 0 without computing the power: most draws for classes a
/// pattern hardly belongs to cost one uniform.
fn binomial_inversion<R: Rng + ?Sized>(rng: &mut R, n: u64, p: f64) -> u64 {
    let nf = n as f64;
    loop {
        let mut u = uniform(rng);
        if u < 1.0 - nf * p {
            return 0;
        }
        let s = p / (1.0 - p);
        let a = (nf + 1.0) * s;
        // (1 − p)^n by repeated squaring: a few multiplications instead of a logarithm and an
        // exponential; its relative error (about n × 1e-16) is far below anything a draw can show.
        let mut r = pow_u64(1.0 - p, n);
        let mut x = 0u64;
        // The mean is below 10: 110 steps are beyond any plausible draw; past them (rounding of the
        // running subtraction) start again, which does not bias the draw.
        while u > r {
            u -= r;
            x += 1;
            if x > 110 || x > n {
                break;
            }
            // a / x by a table of reciprocals: a division per step was most of the loop's time.
            r *= a * RECIPROCALS[x as usize] - s;
        }
        if x <= 110 && x <= n {
            return x;
        }
    }
}

/// x^n by square-and-multiply with the multiplier chosen by a bit mask, not a branch: the bits of n
/// vary from draw to draw, and mispredicted branches were most of `powi`'s cost.
#[inline]
fn pow_u64(x: f64, n: u64) -> f64 {
    let one = 1.0f64.to_bits();
    let mut base = x;
    let mut r = 1.0;
    let mut e = n;
    while e > 0 {
        let mask = 0u64.wrapping_sub(e & 1);
        r *= f64::from_bits((base.to_bits() & mask) | (one & !mask));
        base *= base;
        e >>= 1;
    }
    r
}

/// Binomial(n, p) for p ≤ ½ and n p ≥ 10 by Hörmann's BTRS (1993).
fn binomial_btrs<R: Rng + ?Sized>(rng: &mut R, n: u64, p: f64) -> u64 {
    let nf = n as f64;
    let q = 1.0 - p;
    let spq = (nf * p * q).sqrt();
    let b = 1.15 + 2.53 * spq;
    let a = -0.0873 + 0.0248 * b + 0.01 * p;
    let c = nf * p + 0.5;
    let v_r = 0.92 - 4.2 / b;
    // The exact test's constants, computed at the first draw outside the box (h = ln m! + ln (n−m)!).
    let mut slow: Option<(f64, f64, f64, f64)> = None;
    loop {
        let u = uniform(rng) - 0.5;
        let v = uniform(rng);
        let us = 0.5 - u.abs();
        // floor() is a library call on baseline x86-64; a cast truncates, which is the floor for
        // the non-negative values that can be accepted.
        let x = (2.0 * a / us + b) * u + c;
        if !(x >= 0.0) {
            continue;
        }
        let k = (x as u64) as f64;
        if k > nf {
            continue;
        }
        if us >= 0.07 && v <= v_r {
            return k as u64;
        }
        // Outside the box: the exact acceptance test, in logs.
        let (alpha, lpq, m, h) = *slow.get_or_insert_with(|| {
            let m = (((nf + 1.0) * p) as u64) as f64;
            (
                (2.83 + 5.1 / b) * spq,
                (p / q).ln(),
                m,
                ln_factorial(m) + ln_factorial(nf - m),
            )
        });
        let lhs = (v * alpha / (a / (us * us) + b)).ln();
        let rhs = h - ln_factorial(k) - ln_factorial(nf - k) + (k - m) * lpq;
        if lhs <= rhs {
            return k as u64;
        }
    }
}

/// Poisson(mean).
pub(crate) fn poisson<R: Rng + ?Sized>(rng: &mut R, mean: f64) -> u64 {
    if !(mean > 0.0) {
        return 0;
    }
    if mean < 10.0 {
        // Inversion from 0; the mean is small, so few steps.
        loop {
            let mut u = uniform(rng);
            let mut p = (-mean).exp();
            let mut x = 0u64;
            while u > p {
                u -= p;
                x += 1;
                if x > 200 {
                    break;
                }
                p *= mean / x as f64;
            }
            if x <= 200 {
                return x;
            }
        }
    }
    // Hörmann's PTRS (1993).
    let slam = mean.sqrt();
    let loglam = mean.ln();
    let b = 0.931 + 2.53 * slam;
    let a = -0.059 + 0.02483 * b;
    let inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
    let v_r = 0.9277 - 3.6224 / (b - 2.0);
    loop {
        let u = uniform(rng) - 0.5;
        let v = uniform(rng);
        let us = 0.5 - u.abs();
        let x = (2.0 * a / us + b) * u + mean + 0.43;
        if !(x >= 0.0) {
            continue;
        }
        // The floor of a non-negative value (see binomial_btrs).
        let k = (x as u64) as f64;
        if us >= 0.07 && v <= v_r {
            return k as u64;
        }
        if us < 0.013 && v > us {
            continue;
        }
        let lhs = (v * inv_alpha / (a / (us * us) + b)).ln();
        if lhs <= -mean + k * loglam - ln_factorial(k) {
            return k as u64;
        }
    }
}

/// Failures before `n` successes with success probability 1 − `p_fail`: a Gamma–Poisson mixture.
pub(crate) fn negative_binomial<R: Rng + ?Sized>(rng: &mut R, n: f64, p_fail: f64) -> u64 {
    if p_fail <= 0.0 {
        return 0;
    }
    let mean = gamma(rng, n) * p_fail / (1.0 - p_fail);
    if !(mean > 0.0) {
        return 0;
    }
    poisson(rng, mean.min(1e15))
}

/// Scratch space for [`multinomial`].
#[cfg(test)]
#[derive(Debug, Clone, Default)]
pub(crate) struct MultinomialScratch {
    order: Vec<usize>,
    suffix: Vec<f64>,
}

/// Orders `order` (a permutation of the categories) by decreasing `key`; insertion sort, which is
/// linear when the order is already nearly right, as it is from one sweep to the next.
pub(crate) fn sort_decreasing<T: PartialOrd + Copy>(order: &mut [usize], key: &[T]) {
    for i in 1..order.len() {
        let mut m = i;
        while m > 0 && key[order[m - 1]] < key[order[m]] {
            order.swap(m - 1, m);
            m -= 1;
        }
    }
}

/// Splits `n` among categories with weights `w` into `out`, visiting the categories by decreasing
/// weight.
#[cfg(test)]
pub(crate) fn multinomial<R: Rng + ?Sized>(
    rng: &mut R,
    n: u64,
    w: &[f64],
    out: &mut [u64],
    scratch: &mut MultinomialScratch,
) {
    let order = &mut scratch.order;
    order.clear();
    order.extend(0..w.len());
    sort_decreasing(order, w);
    scratch.suffix.resize(w.len() + 1, 0.0);
    multinomial_in_order(rng, n, w, order, &mut scratch.suffix, out);
}

/// Splits `n` among categories with weights `w` (not all zero) into `out`, visiting them in
/// `order` (any permutation gives the same distribution; heaviest first is fastest). `suffix` is
/// scratch of length `w.len() + 1`.
///
/// Few people (up to 12) go one categorical draw each. Many go by conditional binomials along
/// `order`, switching to categorical draws once few (3) are left: exact, and usually only as many binomial draws
/// as categories with real weight, since [`binomial`] returns 0 for a negligible category after one
/// uniform.
pub(crate) fn multinomial_in_order<R: Rng + ?Sized>(
    rng: &mut R,
    n: u64,
    w: &[f64],
    order: &[usize],
    suffix: &mut [f64],
    out: &mut [u64],
) {
    const FEW: u64 = 12;
    const TAIL_FEW: u64 = 3;
    out.iter_mut().for_each(|v| *v = 0);
    if n == 0 {
        return;
    }
    let k = w.len();
    if n <= FEW {
        categorical_many(rng, n, w, order, suffix, out);
        return;
    }
    suffix[k] = 0.0;
    for i in (0..k).rev() {
        suffix[i] = suffix[i + 1] + w[order[i]];
    }
    let mut left = n;
    for i in 0..k {
        let kk = order[i];
        if left == 0 {
            break;
        }
        if i + 1 == k || suffix[i + 1] <= 0.0 {
            out[kk] += left;
            break;
        }
        if left <= TAIL_FEW {
            categorical_many(rng, left, w, &order[i..], &mut suffix[..k - i], out);
            break;
        }
        let x = binomial(rng, left, w[kk] / suffix[i]);
        out[kk] += x;
        left -= x;
    }
}

/// `n` independent draws from the categories `order` lists, with weights `w`, added to `out`.
/// `cum` is scratch of at least `order.len()`. Each draw searches the cumulative weights in
/// `order` (heaviest first stops early). A branch-free count over every category was measured
/// too: faster on Kosovo, slower on the 20-list stratum, whose small patterns mostly fall in the
/// first class searched.
fn categorical_many<R: Rng + ?Sized>(
    rng: &mut R,
    n: u64,
    w: &[f64],
    order: &[usize],
    cum: &mut [f64],
    out: &mut [u64],
) {
    let m = order.len();
    let cum = &mut cum[..m];
    let mut acc = 0.0;
    for (c, &kk) in cum.iter_mut().zip(order) {
        acc += w[kk];
        *c = acc;
    }
    if !(acc > 0.0) {
        // No weight at all (the callers never pass this): the last category, as a search would.
        out[order[m - 1]] += n;
        return;
    }
    let mut left = n;
    while left > 0 {
        let u = uniform(rng) * acc;
        // None only if rounding put u at the total: draw again.
        if let Some(idx) = cum.iter().position(|&c| u < c) {
            out[order[idx]] += 1;
            left -= 1;
        }
    }
}

#[cfg(test)]
#[path = "variates_tests.rs"]
mod tests;
