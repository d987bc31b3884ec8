//! A Poisson generalised linear model with log link, fitted by iteratively reweighted least
//! squares (IRLS), as R's `glm(family = poisson)` does. Small and dense: at most 2^8 cells.

/// A dense design matrix, row-major: one row per cell, one column per parameter (the first column
/// is the intercept).
#[derive(Debug, Clone)]
pub struct Design {
    /// Rows (cells).
    pub rows: usize,
    /// Columns (parameters).
    pub cols: usize,
    /// `rows * cols` values.
    pub values: Vec<f64>,
}

impl Design {
    /// A design from its rows.
    pub fn from_rows(rows: &[Vec<f64>]) -> Design {
        let cols = rows.first().map_or(0, Vec::len);
        let mut values = Vec::with_capacity(rows.len() * cols);
        for r in rows {
            debug_assert_eq!(r.len(), cols);
            values.extend_from_slice(r);
        }
        Design {
            rows: rows.len(),
            cols,
            values,
        }
    }

    fn row(&self, i: usize) -> &[f64] {
        &self.values[i * self.cols..(i + 1) * self.cols]
    }
}

/// A fitted Poisson model.
#[derive(Debug, Clone)]
pub struct PoissonFit {
    /// Coefficients, intercept first.
    pub beta: Vec<f64>,
    /// Fitted means per cell.
    pub fitted: Vec<f64>,
    /// Residual deviance.
    pub deviance: f64,
    /// Poisson log-likelihood, with the `log y!` terms (as R's `logLik`).
    pub log_lik: f64,
    /// Variance of the intercept, the (0, 0) element of (XᵀWX)⁻¹.
    pub var_intercept: f64,
    /// Whether IRLS converged.
    pub converged: bool,
}

/// Why a fit failed.
#[derive(Debug, Clone, PartialEq)]
pub enum GlmFailure {
    /// XᵀWX is singular: the design is not of full rank (or a parameter diverged).
    NotFullRank,
    /// A non-finite value appeared.
    NotFinite,
}

const MAX_ITER: usize = 100;
const EPSILON: f64 = 1e-10;

/// Fits `log E[y] = X β` by IRLS, starting from `mu = y + 0.1` as R does.
pub fn fit_poisson(x: &Design, y: &[f64]) -> Result<PoissonFit, GlmFailure> {
    let n = x.rows;
    let p = x.cols;
    let mut mu: Vec<f64> = y.iter().map(|&v| v + 0.1).collect();
    let mut eta: Vec<f64> = mu.iter().map(|m| m.ln()).collect();
    let mut dev_old = f64::INFINITY;
    let mut beta = vec![0.0; p];
    let mut xtwx = vec![0.0; p * p];
    let mut xtwz = vec![0.0; p];
    let mut converged = false;
    for _ in 0..MAX_ITER {
        xtwx.iter_mut().for_each(|v| *v = 0.0);
        xtwz.iter_mut().for_each(|v| *v = 0.0);
        for i in 0..n {
            let w = mu[i];
            let z = eta[i] + (y[i] - mu[i]) / mu[i];
            let row = x.row(i);
            for a in 0..p {
                let wa = w * row[a];
                if wa == 0.0 {
                    continue;
                }
                xtwz[a] += wa * z;
                for b in 0..=a {
                    xtwx[a * p + b] += wa * row[b];
                }
            }
        }
        let chol = cholesky(&xtwx, p).ok_or(GlmFailure::NotFullRank)?;
        beta = chol_solve(&chol, p, &xtwz);
        for i in 0..n {
            let row = x.row(i);
            eta[i] = row.iter().zip(&beta).map(|(a, b)| a * b).sum();
            mu[i] = eta[i].exp();
        }
        if mu.iter().any(|m| !m.is_finite()) {
            return Err(GlmFailure::NotFinite);
        }
        let dev = deviance(y, &mu);
        if (dev - dev_old).abs() / (dev.abs() + 0.1) < EPSILON {
            converged = true;
            break;
        }
        dev_old = dev;
    }
    // The covariance at the final means.
    xtwx.iter_mut().for_each(|v| *v = 0.0);
    for i in 0..n {
        let row = x.row(i);
        for a in 0..p {
            for b in 0..=a {
                xtwx[a * p + b] += mu[i] * row[a] * row[b];
            }
        }
    }
    let chol = cholesky(&xtwx, p).ok_or(GlmFailure::NotFullRank)?;
    let mut e0 = vec![0.0; p];
    e0[0] = 1.0;
    let var_intercept = chol_solve(&chol, p, &e0)[0];
    let dev = deviance(y, &mu);
    let log_lik = y
        .iter()
        .zip(&mu)
        .map(|(&yi, &mi)| {
            let t = if yi > 0.0 { yi * mi.ln() } else { 0.0 };
            t - mi - ln_gamma(yi + 1.0)
        })
        .sum();
    Ok(PoissonFit {
        beta,
        fitted: mu,
        deviance: dev,
        log_lik,
        var_intercept,
        converged,
    })
}

/// The Poisson deviance 2 Σ [y log(y/μ) − (y − μ)].
pub fn deviance(y: &[f64], mu: &[f64]) -> f64 {
    2.0 * y
        .iter()
        .zip(mu)
        .map(|(&yi, &mi)| {
            let t = if yi > 0.0 { yi * (yi / mi).ln() } else { 0.0 };
            t - (yi - mi)
        })
        .sum::<f64>()
}

/// Lower-triangular Cholesky factor of a symmetric matrix given by its lower triangle; `None`
/// when it is not numerically positive definite.
fn cholesky(a: &[f64], p: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; p * p];
    let scale = (0..p).map(|i| a[i * p + i].abs()).fold(0.0, f64::max);
    for i in 0..p {
        for j in 0..=i {
            let mut s = a[i * p + j];
            for k in 0..j {
                s -= l[i * p + k] * l[j * p + k];
            }
            if i == j {
                // A relative pivot tolerance, as R's QR rank test does with 1e-7 on column norms.
                if s <= 1e-12 * scale.max(1e-300) || !s.is_finite() {
                    return None;
                }
                l[i * p + i] = s.sqrt();
            } else {
                l[i * p + j] = s / l[j * p + j];
            }
        }
    }
    Some(l)
}

fn chol_solve(l: &[f64], p: usize, b: &[f64]) -> Vec<f64> {
    let mut y = vec![0.0; p];
    for i in 0..p {
        let mut s = b[i];
        for k in 0..i {
            s -= l[i * p + k] * y[k];
        }
        y[i] = s / l[i * p + i];
    }
    let mut x = vec![0.0; p];
    for i in (0..p).rev() {
        let mut s = y[i];
        for k in i + 1..p {
            s -= l[k * p + i] * x[k];
        }
        x[i] = s / l[i * p + i];
    }
    x
}

/// log Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error about 1e-15).
pub fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x) Γ(1 − x) = π / sin(πx).
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + G + 0.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

#[cfg(test)]
#[path = "glm_tests.rs"]
mod tests;
