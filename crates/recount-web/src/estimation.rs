//! The bridge to estimation: runs the pipeline's estimate step over the linked persons and
//! turns its result into the desk's published form.

use recount_store::Store;
use serde::{Deserialize, Serialize};

/// An estimate with its interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Interval {
    pub median: f64,
    pub lower: f64,
    pub upper: f64,
    pub level: f64,
}

/// One stratum's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Stratum {
    /// The stratum's label, e.g. `2022-09` or `all`.
    pub label: String,
    /// Distinct people recorded by any source.
    pub documented: u64,
    /// `None` when the data cannot support an estimate (see `warnings`).
    pub estimate: Option<Interval>,
    /// The model, e.g. `[12,3]` or `lcmcr K=10`.
    pub model: String,
    pub warnings: Vec<String>,
}

/// A published run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EstimateRun {
    pub event: Option<String>,
    /// `none`, `month` or `year`.
    pub by: String,
    pub method: String,
    pub lists: Vec<String>,
    pub strata: Vec<Stratum>,
}

/// How to stratify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum By {
    None,
    Month,
    Year,
}

impl By {
    pub fn as_str(self) -> &'static str {
        match self {
            By::None => "none",
            By::Month => "month",
            By::Year => "year",
        }
    }
}

/// Why an estimate could not run: a message for the analyst.
#[derive(Debug, Clone)]
pub struct Unavailable(pub String);

pub fn run(
    _store: &Store,
    _event: Option<&str>,
    _by: By,
) -> Result<Result<EstimateRun, Unavailable>, recount_store::StoreError> {
    Ok(Err(Unavailable(
        "estimation is not available in this build yet".into(),
    )))
}
