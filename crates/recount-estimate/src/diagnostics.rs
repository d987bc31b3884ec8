//! Convergence diagnostics of MCMC draws (Gelman et al., Bayesian Data Analysis, 3rd ed., §11.4–5):
//! split R̂ and the effective sample size, and sample quantiles.

/// The `q` quantile of sorted values, by linear interpolation (R's default, type 7).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * q.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

fn variance(x: &[f64]) -> f64 {
    let m = mean(x);
    x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (x.len() as f64 - 1.0)
}

/// Splits each chain in two halves (dropping a middle draw when odd), as split R̂ does.
fn split(chains: &[Vec<f64>]) -> Vec<Vec<f64>> {
    let n = chains.iter().map(Vec::len).min().unwrap_or(0) / 2;
    chains
        .iter()
        .flat_map(|c| [c[..n].to_vec(), c[c.len() - n..].to_vec()])
        .collect()
}

/// Between- and within-chain variances and the pooled variance estimate var⁺.
fn variances(chains: &[Vec<f64>]) -> (f64, f64, f64) {
    let m = chains.len() as f64;
    let n = chains[0].len() as f64;
    let means: Vec<f64> = chains.iter().map(|c| mean(c)).collect();
    let grand = mean(&means);
    let b = n / (m - 1.0) * means.iter().map(|x| (x - grand).powi(2)).sum::<f64>();
    let w = chains.iter().map(|c| variance(c)).sum::<f64>() / m;
    let var_plus = (n - 1.0) / n * w + b / n;
    (b, w, var_plus)
}

/// Split R̂ over chains of equal length: near 1 when the chains agree, above 1.1 when they do not.
pub fn split_rhat(chains: &[Vec<f64>]) -> f64 {
    let halves = split(chains);
    if halves.len() < 2 || halves[0].len() < 2 {
        return f64::NAN;
    }
    let (_, w, var_plus) = variances(&halves);
    if w == 0.0 {
        // Constant chains: agreement if they are all the same constant.
        return if var_plus == 0.0 { 1.0 } else { f64::INFINITY };
    }
    (var_plus / w).sqrt()
}

/// The effective sample size of draws from several chains (BDA3 §11.5, with Geyer's initial
/// positive sequence truncating the autocorrelation sum).
pub fn effective_sample_size(chains: &[Vec<f64>]) -> f64 {
    let chains = split(chains);
    let m = chains.len();
    if m == 0 || chains[0].len() < 4 {
        return chains.iter().map(Vec::len).sum::<usize>() as f64;
    }
    let n = chains[0].len();
    let (_, w, var_plus) = if m >= 2 {
        variances(&chains)
    } else {
        let v = variance(&chains[0]);
        (0.0, v, v)
    };
    if var_plus == 0.0 || w == 0.0 {
        return (m * n) as f64;
    }
    let means: Vec<f64> = chains.iter().map(|c| mean(c)).collect();
    // Autocovariance at lag t, averaged over chains.
    let autocov = |t: usize| -> f64 {
        chains
            .iter()
            .zip(&means)
            .map(|(c, mu)| {
                (0..n - t)
                    .map(|i| (c[i] - mu) * (c[i + t] - mu))
                    .sum::<f64>()
                    / n as f64
            })
            .sum::<f64>()
            / m as f64
    };
    let rho = |t: usize| 1.0 - (w - autocov(t)) / var_plus;
    let mut sum = 0.0;
    let mut t = 1;
    while t + 1 < n {
        let pair = rho(t) + rho(t + 1);
        if pair < 0.0 {
            break;
        }
        sum += pair;
        t += 2;
    }
    let tau = 1.0 + 2.0 * sum;
    ((m * n) as f64 / tau).min((m * n) as f64 * (m as f64).log10().max(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantile_matches_r_type_7() {
        let x = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert_eq!(quantile(&x, 0.5), 3.0);
        assert!((quantile(&x, 0.25) - 2.0).abs() < 1e-12);
        assert!((quantile(&x, 0.9) - 7.6).abs() < 1e-12);
    }

    /// An AR(1) chain x_t = φ x_{t−1} + e_t has τ = (1 + φ)/(1 − φ); the ESS must be near m n / τ.
    #[test]
    fn ess_of_ar1_chains_is_near_theory() {
        let mut state = 12345u64;
        let mut normal = || {
            // Box–Muller from a small LCG: enough for a diagnostic check.
            let mut u = || {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((state >> 11) as f64 + 0.5) / (1u64 << 53) as f64
            };
            let (a, b) = (u(), u());
            (-2.0 * a.ln()).sqrt() * (2.0 * std::f64::consts::PI * b).cos()
        };
        let phi = 0.8;
        let chains: Vec<Vec<f64>> = (0..4)
            .map(|_| {
                let mut x = 0.0;
                (0..4000)
                    .map(|_| {
                        x = phi * x + normal();
                        x
                    })
                    .collect()
            })
            .collect();
        let ess = effective_sample_size(&chains);
        let theory = 16000.0 * (1.0 - phi) / (1.0 + phi);
        assert!(
            (ess / theory - 1.0).abs() < 0.25,
            "ess {ess} vs theory {theory}"
        );
        let r = split_rhat(&chains);
        assert!(r < 1.02, "agreeing chains: R-hat {r}");
        let mut shifted = chains.clone();
        shifted[0].iter_mut().for_each(|v| *v += 5.0);
        assert!(split_rhat(&shifted) > 1.1);
    }
}
