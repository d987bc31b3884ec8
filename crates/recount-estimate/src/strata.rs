//! Estimates per stratum (month, place, source group…) and a total across strata from combined
//! posterior draws, with a refusal and its reason for every stratum the data cannot support.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::bma::{BmaConfig, estimate_bma};
use crate::captures::CaptureTable;
use crate::diagnostics::quantile;
use crate::error::Refusal;
use crate::lcmcr::{LcmcrConfig, estimate_lcmcr_with_progress};
use crate::loglinear::{LoglinearConfig, estimate_loglinear, normal_quantile};
use crate::result::{Estimate, EstimateResult};
use crate::warning::EstimateWarning;

/// Fewer documented people than this in a stratum and no estimate is made.
pub const MIN_RECORDS: u64 = 10;

/// Checks what every method needs: at least `lists` lists with records, some overlap between
/// lists, and at least [`MIN_RECORDS`] documented people.
pub fn check_supportable(table: &CaptureTable, lists: usize) -> Result<(), Refusal> {
    let with_records = table.list_totals().iter().filter(|&&t| t > 0).count();
    if with_records < lists {
        return Err(Refusal::TooFewLists {
            found: with_records,
            needed: lists,
        });
    }
    if table.observed() < MIN_RECORDS {
        return Err(Refusal::TooFewRecords {
            found: table.observed(),
            needed: MIN_RECORDS,
        });
    }
    if table.overlapping() == 0 {
        return Err(Refusal::NoOverlap);
    }
    Ok(())
}

/// The estimator to run in every stratum.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[non_exhaustive]
pub enum StrataMethod {
    /// LCMCR; the total pools draws.
    Lcmcr(LcmcrConfig),
    /// BMA; the total pools draws.
    Bma(BmaConfig),
    /// Log-linear; the total is the sum of point estimates with a normal-approximation interval.
    Loglinear(LoglinearConfig),
}

/// One stratum's outcome.
#[derive(Debug, Clone, Serialize)]
pub struct StratumResult {
    /// The stratum's name (e.g. `2024-03`).
    pub name: String,
    /// People documented in the stratum.
    pub observed: u64,
    /// The estimate, when the data support one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<EstimateResult>,
    /// Why not, otherwise. Serialised as `refused` (the English sentence) and `refusal_code`
    /// ([`Refusal::code`]), both absent when there is an estimate.
    #[serde(flatten, serialize_with = "refusal_fields")]
    pub refused: Option<Refusal>,
}

fn refusal_fields<S: Serializer>(refusal: &Option<Refusal>, s: S) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(None)?;
    if let Some(r) = refusal {
        map.serialize_entry("refused", &r.to_string())?;
        map.serialize_entry("refusal_code", r.code())?;
    }
    map.end()
}

/// The total across strata.
#[derive(Debug, Clone, Serialize)]
pub struct StrataTotal {
    /// The total estimate (estimated strata, plus the documented people of refused strata).
    pub estimate: Estimate,
    /// How many strata were estimated.
    pub estimated_strata: usize,
    /// People documented in refused strata, added to the total as they are (no estimate of
    /// their unrecorded).
    pub refused_documented: u64,
    /// How the total was combined.
    pub combination: String,
}

/// Per-stratum results and the total.
#[derive(Debug, Clone, Serialize)]
pub struct StrataResult {
    /// One entry per stratum, in the order given.
    pub strata: Vec<StratumResult>,
    /// The total, when at least one stratum was estimated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<StrataTotal>,
    /// Warnings about the total.
    pub warnings: Vec<EstimateWarning>,
}

/// Estimates every stratum with `method`; strata are estimated one after another (LCMCR's chains
/// use the threads). Lists with no records in a stratum are dropped from that stratum first.
pub fn estimate_strata(tables: &[(String, CaptureTable)], method: &StrataMethod) -> StrataResult {
    estimate_strata_with_progress(tables, method, &|_| {})
}

/// As [`estimate_strata`], reporting LCMCR sweeps to `progress`.
pub fn estimate_strata_with_progress(
    tables: &[(String, CaptureTable)],
    method: &StrataMethod,
    progress: &(dyn Fn(u64) + Sync),
) -> StrataResult {
    let mut strata = Vec::new();
    for (i, (name, table)) in tables.iter().enumerate() {
        let trimmed = table.without_empty_lists();
        let outcome = match method {
            StrataMethod::Lcmcr(c) => {
                // Each stratum gets its own seed so strata are independent draws.
                let c = LcmcrConfig {
                    seed: crate::lcmcr::chain_seed(c.seed, 1000 + i),
                    ..*c
                };
                estimate_lcmcr_with_progress(&trimmed, &c, progress)
            }
            StrataMethod::Bma(c) => {
                let c = BmaConfig {
                    seed: crate::lcmcr::chain_seed(c.seed, 1000 + i),
                    ..*c
                };
                estimate_bma(&trimmed, &c)
            }
            StrataMethod::Loglinear(c) => estimate_loglinear(&trimmed, c),
        };
        let (result, refused) = match outcome {
            Ok(r) => (Some(r), None),
            Err(e) => (None, Some(e)),
        };
        strata.push(StratumResult {
            name: name.clone(),
            observed: table.observed(),
            result,
            refused,
        });
    }
    let (total, warnings) = combine(&strata, method);
    StrataResult {
        strata,
        total,
        warnings,
    }
}

fn combine(
    strata: &[StratumResult],
    method: &StrataMethod,
) -> (Option<StrataTotal>, Vec<EstimateWarning>) {
    let mut warnings = Vec::new();
    let estimated: Vec<&EstimateResult> = strata.iter().filter_map(|s| s.result.as_ref()).collect();
    let refused_documented: u64 = strata
        .iter()
        .filter(|s| s.result.is_none())
        .map(|s| s.observed)
        .sum();
    if estimated.is_empty() {
        warnings.push(EstimateWarning::NoStratumEstimated);
        return (None, warnings);
    }
    if refused_documented > 0 {
        warnings.push(EstimateWarning::StrataRefused {
            strata: strata.len() - estimated.len(),
            documented: refused_documented,
        });
    }
    let level = estimated[0].estimate.level;
    let extra = refused_documented as f64;
    let (estimate, combination) = match method {
        StrataMethod::Loglinear(_) => {
            // No posterior: sum the point estimates; the variance of each is read from its
            // interval as if it were normal (a rough approximation, said so).
            let z = normal_quantile(0.5 + level / 2.0);
            let point: f64 = estimated.iter().map(|r| r.estimate.median).sum();
            let var: f64 = estimated
                .iter()
                .map(|r| ((r.estimate.upper - r.estimate.lower) / (2.0 * z)).powi(2))
                .sum();
            warnings.push(EstimateWarning::NormalApproximationTotal);
            (
                Estimate {
                    median: point + extra,
                    lower: (point - z * var.sqrt()).max(estimated_observed(&estimated)) + extra,
                    upper: point + z * var.sqrt() + extra,
                    level,
                },
                "sum of point estimates, normal approximation".to_string(),
            )
        }
        _ => {
            // Independent strata: add one pooled draw from each stratum, index by index.
            let pooled: Vec<Vec<f64>> = estimated
                .iter()
                .map(|r| r.draws.iter().flatten().copied().collect())
                .collect();
            let len = pooled.iter().map(Vec::len).min().unwrap_or(0);
            let mut sums: Vec<f64> = (0..len)
                .map(|i| pooled.iter().map(|d| d[i]).sum::<f64>() + extra)
                .collect();
            sums.sort_by(f64::total_cmp);
            let tail = (1.0 - level) / 2.0;
            (
                Estimate {
                    median: quantile(&sums, 0.5),
                    lower: quantile(&sums, tail),
                    upper: quantile(&sums, 1.0 - tail),
                    level,
                },
                format!("sum of posterior draws across strata ({len} draws)"),
            )
        }
    };
    (
        Some(StrataTotal {
            estimate,
            estimated_strata: estimated.len(),
            refused_documented,
            combination,
        }),
        warnings,
    )
}

fn estimated_observed(estimated: &[&EstimateResult]) -> f64 {
    estimated.iter().map(|r| r.observed as f64).sum()
}

#[cfg(test)]
#[path = "strata_tests.rs"]
mod tests;
