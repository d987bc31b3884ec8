//! Multiple systems estimation: how many people no list recorded, from how the lists overlap.
//!
//! The input is a [`CaptureTable`] (named lists, and how many documented people have each pattern
//! of presence across them), read from the standalone captures CSV or built by the pipeline per
//! stratum. Three estimators take it and return an [`EstimateResult`] (the estimate of N with its
//! interval, the model, diagnostics, warnings as [`EstimateWarning`] values — data with their
//! numbers, English through `Display` — and posterior draws):
//!
//! - [`estimate_lcmcr`]: the Bayesian non-parametric latent-class model of Manrique-Vallier (2016),
//!   the R package LCMCR's method, with several seeded chains on threads, R̂ and effective sample size;
//! - [`estimate_loglinear`]: Poisson log-linear models (every hierarchical model for up to 5 lists),
//!   chosen by BIC or AIC, with Rcapture's multinomial profile-likelihood interval and the classic
//!   heterogeneity forms;
//! - [`estimate_bma`]: Bayesian model averaging over decomposable graphs (Madigan & York 1997), the
//!   method of HRDAG's dga.
//!
//! [`estimate_strata`] runs one of them per stratum, refuses strata the data cannot support (with a
//! [`Refusal`] reason), and totals across strata from combined posterior draws.
//!
//! The crate is sans-IO: values in, values out; every random step takes an explicit seed.

// Numerical kernels index several arrays in step; iterator chains would obscure them.
#![allow(clippy::needless_range_loop)]
// `!(x > 0.0)` is meant: it rejects NaN as well as non-positive values.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

pub mod bma;
pub mod captures;
pub mod diagnostics;
pub mod error;
pub mod glm;
pub mod lcmcr;
pub mod loglinear;
pub mod result;
pub mod simulate;
pub mod strata;
mod variates;
pub mod warning;

pub use bma::{BmaConfig, estimate_bma};
pub use captures::{CaptureTable, MAX_LISTS, Notice, Pattern};
pub use error::{CaptureError, Refusal};
pub use lcmcr::{LcmcrConfig, estimate_lcmcr, estimate_lcmcr_with_progress};
pub use loglinear::{Criterion, Heterogeneity, LoglinearConfig, estimate_loglinear};
pub use result::{Estimate, EstimateResult, Method};
pub use strata::{
    StrataMethod, StrataResult, StrataTotal, StratumResult, estimate_strata,
    estimate_strata_with_progress,
};
pub use warning::EstimateWarning;
