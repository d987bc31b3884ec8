//! The result of an estimate: the fields DESIGN.md's `--json` contract names, plus the model,
//! diagnostics and warnings, and the posterior draws for `--draws`.

use serde::Serialize;

use crate::bma::BmaDetails;
use crate::lcmcr::LcmcrDetails;
use crate::loglinear::LoglinearDetails;
use crate::warning::EstimateWarning;

/// Which estimator produced a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// The latent-class model of Manrique-Vallier (2016).
    Lcmcr,
    /// A log-linear model chosen by BIC or AIC.
    Loglinear,
    /// Bayesian model averaging over decomposable graphs (Madigan & York 1997).
    Bma,
}

impl Method {
    /// The name used on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Lcmcr => "lcmcr",
            Method::Loglinear => "loglinear",
            Method::Bma => "bma",
        }
    }
}

/// The estimated total N (documented plus never recorded) with its interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    /// The posterior median (Bayesian methods) or the point estimate (log-linear).
    pub median: f64,
    /// Lower bound of the interval.
    pub lower: f64,
    /// Upper bound of the interval.
    pub upper: f64,
    /// The interval's level (0.95).
    pub level: f64,
}

/// One estimate.
#[derive(Debug, Clone, Serialize)]
pub struct EstimateResult {
    /// The method.
    pub method: Method,
    /// The lists, in column order (numbered from 1 in model names).
    pub lists: Vec<String>,
    /// People documented by at least one list.
    pub observed: u64,
    /// The estimated total.
    pub estimate: Estimate,
    /// The model: bracket notation for log-linear, the top graph for BMA, `K = …` for LCMCR.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Log-linear details.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loglinear: Option<LoglinearDetails>,
    /// LCMCR settings and diagnostics.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lcmcr: Option<LcmcrDetails>,
    /// BMA details.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bma: Option<BmaDetails>,
    /// Things the reader must know before trusting the number.
    pub warnings: Vec<EstimateWarning>,
    /// Posterior draws of N, one vector per chain (BMA: one; log-linear: none), for `--draws`.
    #[serde(skip)]
    pub draws: Vec<Vec<f64>>,
}
