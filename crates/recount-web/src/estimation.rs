//! The bridge to the pipeline's estimate step, the same library path as `recount estimate`:
//! the linked persons' capture tables per stratum (`recount_pipeline::estimate::capture_tables`)
//! estimated by `recount_estimate::estimate_strata` with the command's default settings, turned
//! into the desk's published form. Warnings and refusals are kept as codes with their numbers
//! (see [`Note`]) so each page words them in the reader's language.

use recount_estimate::{
    BmaConfig, CaptureTable, EstimateResult, EstimateWarning, LcmcrConfig, LoglinearConfig,
    Refusal, StrataMethod, StrataResult, estimate_strata_with_progress,
};
use recount_pipeline::estimate::{StrataTables, capture_tables, linkage_uncertainty};
use recount_pipeline::export::{CaptureRequest, Period};
use recount_store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

/// The version of the published form ([`EstimateRun`]) written now.
pub const RUN_VERSION: u32 = 2;

/// How to stratify: as `recount estimate --by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum By {
    /// One stratum (the form's earlier value `none` means the same).
    #[serde(alias = "none")]
    All,
    Year,
    Month,
    /// The event's place, normalised across scripts.
    Place,
}

impl By {
    pub const ALL: [By; 4] = [By::All, By::Year, By::Month, By::Place];

    pub fn as_str(self) -> &'static str {
        match self {
            By::All => "all",
            By::Year => "year",
            By::Month => "month",
            By::Place => "place",
        }
    }

    fn period(self) -> Period {
        match self {
            By::All => Period::All,
            By::Year => Period::Year,
            By::Month => Period::Month,
            By::Place => Period::Place,
        }
    }
}

/// The estimator, with `recount estimate`'s default settings for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EstimateMethod {
    /// The log-linear model with the lowest BIC and its profile-likelihood interval.
    Loglinear,
    /// The latent-class model LCMCR: K = 10, 4 chains of the R package's documented run, seed 1.
    Lcmcr,
    /// Bayesian model averaging over decomposable graphs (dga), seed 1.
    Bma,
}

impl EstimateMethod {
    pub const ALL: [EstimateMethod; 3] = [
        EstimateMethod::Loglinear,
        EstimateMethod::Lcmcr,
        EstimateMethod::Bma,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EstimateMethod::Loglinear => "loglinear",
            EstimateMethod::Lcmcr => "lcmcr",
            EstimateMethod::Bma => "bma",
        }
    }

    /// The method as `recount estimate --method …` runs it with no other flag.
    pub fn strata_method(self) -> StrataMethod {
        match self {
            EstimateMethod::Loglinear => StrataMethod::Loglinear(LoglinearConfig::default()),
            EstimateMethod::Lcmcr => StrataMethod::Lcmcr(LcmcrConfig::default()),
            EstimateMethod::Bma => StrataMethod::Bma(BmaConfig::default()),
        }
    }

    /// Units of work for progress: LCMCR's Gibbs sweeps over every chain and stratum; the
    /// other methods report none.
    pub fn work(self, strata: usize) -> u64 {
        match self.strata_method() {
            StrataMethod::Lcmcr(c) => c.sweeps_per_chain() * c.chains as u64 * strata as u64,
            _ => 0,
        }
    }
}

/// What to estimate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// Only people with a record of this event term.
    pub event: Option<String>,
    pub by: By,
    pub method: EstimateMethod,
}

/// Why no estimate could be made, as a catalogue code (`estimates.problem.<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unavailable {
    /// No record has been linked to a person yet.
    NoPersons,
    /// No linked person has a record of the event.
    NoRecords,
    /// The capture histories cannot form a table (too many lists).
    Unusable,
    /// The event is not in the project's vocabulary.
    UnknownEvent,
    /// Another estimate is computing.
    Busy,
    /// The computation failed (a bug; the server log has it).
    Failed,
}

impl Unavailable {
    pub fn code(self) -> &'static str {
        match self {
            Unavailable::NoPersons => "no_persons",
            Unavailable::NoRecords => "no_records",
            Unavailable::Unusable => "unusable",
            Unavailable::UnknownEvent => "unknown_event",
            Unavailable::Busy => "busy",
            Unavailable::Failed => "failed",
        }
    }

    pub fn from_code(code: &str) -> Option<Unavailable> {
        [
            Unavailable::NoPersons,
            Unavailable::NoRecords,
            Unavailable::Unusable,
            Unavailable::UnknownEvent,
            Unavailable::Busy,
            Unavailable::Failed,
        ]
        .into_iter()
        .find(|u| u.code() == code)
    }
}

/// A message of the estimator (a warning, a refusal, the model): a code the catalogue words as
/// `note.<code>` with `{name}` placeholders filled from `values`, and the English text
/// `recount estimate` prints, used when no code is known.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Note {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    #[schema(value_type = Object)]
    pub values: Map<String, Value>,
    pub text: String,
}

impl Note {
    fn coded(code: &str, values: Value, text: String) -> Note {
        Note {
            code: Some(code.to_owned()),
            values: match values {
                Value::Object(m) => m,
                _ => Map::new(),
            },
            text,
        }
    }

    /// Text with no code: shown as it is (a model in bracket notation, a data value).
    fn plain(text: impl Into<String>) -> Note {
        Note {
            code: None,
            values: Map::new(),
            text: text.into(),
        }
    }
}

/// An estimate with its interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Interval {
    /// The posterior median (LCMCR, BMA) or the point estimate (log-linear).
    pub median: f64,
    pub lower: f64,
    pub upper: f64,
    pub level: f64,
}

impl From<&recount_estimate::Estimate> for Interval {
    fn from(e: &recount_estimate::Estimate) -> Self {
        Interval {
            median: e.median,
            lower: e.lower,
            upper: e.upper,
            level: e.level,
        }
    }
}

/// LCMCR's convergence figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Chains {
    pub chains: usize,
    pub rhat: Option<f64>,
    pub effective_draws: f64,
}

/// One stratum's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Stratum {
    /// The stratum as the pipeline names it: `""` for the one stratum of `all`, `2022-09`,
    /// `2022`, a place, or `unknown` (no date or place that precise).
    pub name: String,
    /// Distinct people recorded by any source.
    pub documented: u64,
    /// `None` when the data cannot support an estimate (see `refused`).
    pub estimate: Option<Interval>,
    /// The model: bracket notation (log-linear), the top graph (BMA), the latent classes (LCMCR).
    pub model: Option<Note>,
    pub chains: Option<Chains>,
    pub warnings: Vec<Note>,
    /// Why there is no estimate.
    pub refused: Option<Note>,
}

/// The total across strata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Total {
    pub documented: u64,
    pub estimate: Interval,
    /// How it was combined.
    pub combination: Note,
}

/// A published run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EstimateRun {
    /// The published form's version ([`RUN_VERSION`]).
    pub version: u32,
    pub event: Option<String>,
    pub by: By,
    pub method: EstimateMethod,
    /// The lists: the sources' dependency groups.
    pub lists: Vec<String>,
    pub strata: Vec<Stratum>,
    /// Present when there are several strata and at least one was estimated.
    pub total: Option<Total>,
    /// Warnings about the total.
    pub warnings: Vec<Note>,
    /// What the pairs the linkage left undecided could change (runs published before it was
    /// computed have none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub linkage: Option<Note>,
}

/// The warning about the pairs the linkage left undecided, as `recount estimate` gives it, if
/// there are any.
pub fn linkage_note(store: &Store) -> Result<Option<Note>, StoreError> {
    match linkage_uncertainty(store) {
        Ok(w) => Ok(w.as_ref().map(warning_note)),
        Err(recount_pipeline::PipelineError::Store(e)) => Err(e),
        Err(e) => {
            eprintln!("estimate: the linkage's undecided pairs could not be counted: {e}");
            Ok(None)
        }
    }
}

/// The capture tables of the request's strata, or why there are none.
pub fn tables(
    store: &Store,
    request: &Request,
) -> Result<Result<Vec<(String, CaptureTable)>, Unavailable>, StoreError> {
    if let Some(term) = &request.event
        && store.event_vocabulary()?.term(term).is_err()
    {
        return Ok(Err(Unavailable::UnknownEvent));
    }
    let capture = CaptureRequest {
        event: request.event.clone(),
        by: request.by.period(),
    };
    match capture_tables(store, &capture) {
        Ok(StrataTables::Tables(t)) => Ok(Ok(t)),
        Ok(StrataTables::NoPersons) => Ok(Err(Unavailable::NoPersons)),
        Ok(StrataTables::NoRecords) => Ok(Err(Unavailable::NoRecords)),
        Ok(StrataTables::Unusable(_)) => Ok(Err(Unavailable::Unusable)),
        Err(recount_pipeline::PipelineError::Store(e)) => Err(e),
        Err(e) => {
            // Reading capture histories touches no file, so this is not expected; say so
            // without personal data.
            eprintln!("estimate: the capture tables failed: {e}");
            Ok(Err(Unavailable::Failed))
        }
    }
}

/// Estimates every stratum as `recount estimate` does with the request's method and its default
/// settings, reporting work units (see [`EstimateMethod::work`]) to `progress`.
pub fn estimate(
    request: &Request,
    tables: &[(String, CaptureTable)],
    progress: &(dyn Fn(u64) + Sync),
) -> EstimateRun {
    let method = request.method.strata_method();
    let result = estimate_strata_with_progress(tables, &method, progress);
    published(request, tables, &result)
}

/// The published form of a library result.
pub fn published(
    request: &Request,
    tables: &[(String, CaptureTable)],
    result: &StrataResult,
) -> EstimateRun {
    let strata: Vec<Stratum> = result
        .strata
        .iter()
        .map(|s| Stratum {
            name: s.name.clone(),
            documented: s.observed,
            estimate: s.result.as_ref().map(|r| Interval::from(&r.estimate)),
            model: s.result.as_ref().and_then(model_note),
            chains: s
                .result
                .as_ref()
                .and_then(|r| r.lcmcr.as_ref())
                .map(|d| Chains {
                    chains: d.config.chains,
                    rhat: d.rhat,
                    effective_draws: d.ess,
                }),
            warnings: s
                .result
                .iter()
                .flat_map(|r| r.warnings.iter().map(warning_note))
                .collect(),
            refused: s.refused.as_ref().map(refusal_note),
        })
        .collect();
    let total = result
        .total
        .as_ref()
        .filter(|_| strata.len() > 1)
        .map(|t| Total {
            documented: strata.iter().map(|s| s.documented).sum(),
            estimate: Interval::from(&t.estimate),
            combination: match request.method {
                EstimateMethod::Loglinear => {
                    Note::coded("total_normal_sum", json!({}), t.combination.clone())
                }
                _ => Note::coded("total_pooled_draws", json!({}), t.combination.clone()),
            },
        });
    EstimateRun {
        version: RUN_VERSION,
        event: request.event.clone(),
        by: request.by,
        method: request.method,
        lists: tables
            .first()
            .map(|(_, t)| t.lists().to_vec())
            .unwrap_or_default(),
        strata,
        total,
        warnings: if result.strata.len() > 1 {
            result.warnings.iter().map(warning_note).collect()
        } else {
            Vec::new()
        },
        linkage: None,
    }
}

fn model_note(r: &EstimateResult) -> Option<Note> {
    let model = r.model.clone()?;
    Some(match &r.lcmcr {
        Some(d) => Note::coded("model_lcmcr", json!({ "k": d.config.k }), model),
        None => Note::plain(model),
    })
}

/// `x` rounded to `decimals` places, as the library's English sentence shows it.
fn rounded(x: f64, decimals: i32) -> Value {
    let scale = 10f64.powi(decimals);
    let r = (x * scale).round() / scale;
    if r.fract() == 0.0 && r.abs() < 1e15 {
        json!(r as i64)
    } else {
        json!(r)
    }
}

/// A warning of the estimator as a note: its code and its numbers, rounded as the library's
/// English sentence rounds them.
pub fn warning_note(w: &EstimateWarning) -> Note {
    let values = match w {
        EstimateWarning::ChainsDisagree { r_hat } => json!({ "r_hat": rounded(*r_hat, 2) }),
        EstimateWarning::FewEffectiveDraws { ess } => json!({ "ess": rounded(*ess, 0) }),
        EstimateWarning::ClassesNearTruncation { k, .. } => json!({ "k": k }),
        EstimateWarning::PosteriorCutOff {
            tail_mass,
            grid_max,
        } => json!({ "percent": rounded(100.0 * tail_mass, 1), "grid_max": grid_max }),
        EstimateWarning::CoarseGrid { step } => json!({ "step": step }),
        EstimateWarning::CloseModelChoice {
            runner_up,
            runner_up_score,
            chosen,
            chosen_score,
            runner_up_n_hat,
        } => json!({
            "runner_up": runner_up, "runner_up_score": rounded(*runner_up_score, 2),
            "chosen": chosen, "chosen_score": rounded(*chosen_score, 2),
            "runner_up_n_hat": rounded(*runner_up_n_hat, 1),
        }),
        EstimateWarning::UpperBoundAtSearchLimit { limit } => {
            json!({ "limit": rounded(*limit, 0) })
        }
        EstimateWarning::StepwiseSearch { lists } => json!({ "lists": lists }),
        EstimateWarning::StrataRefused { strata, documented } => {
            json!({ "strata": strata, "documented": documented })
        }
        EstimateWarning::UncertainLinkage {
            pairs,
            apart,
            merges,
        } => json!({ "pairs": pairs, "apart": apart, "merges": merges }),
        // Variants without numbers, and any added later: the code alone (a later variant with
        // numbers keeps its English text until the catalogue words it).
        _ => json!({}),
    };
    Note::coded(&format!("warning.{}", w.code()), values, w.to_string())
}

/// A stratum's refusal as a note: its code and its numbers, with the library's English
/// sentence. (Runs published before refusals had codes may hold `refusal.other`.)
pub fn refusal_note(r: &Refusal) -> Note {
    let values = match r {
        Refusal::TooFewLists { found, needed } => json!({ "found": found, "needed": needed }),
        Refusal::TooManyLists { found, max } => json!({ "found": found, "max": max }),
        Refusal::TooFewRecords { found, needed } => json!({ "found": found, "needed": needed }),
        // Variants without numbers, and any added later: the code alone (a later variant with
        // numbers keeps its English text until the catalogue words it).
        _ => json!({}),
    };
    Note::coded(&format!("refusal.{}", r.code()), values, r.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use recount_estimate::Pattern;

    fn table(lists: &[&str], cells: &[(u32, u64)]) -> CaptureTable {
        CaptureTable::from_counts(
            lists.iter().map(|s| s.to_string()).collect(),
            cells.iter().map(|&(p, n)| (Pattern(p), n)),
        )
        .unwrap()
    }

    #[test]
    fn refusals_are_recognised_with_their_numbers() {
        let request = |method| Request {
            event: None,
            by: By::All,
            method,
        };
        // Nobody on both lists.
        let apart = table(&["a", "b"], &[(0b01, 20), (0b10, 20)]);
        // Too few people.
        let few = table(&["a", "b"], &[(0b01, 3), (0b11, 2)]);
        // Two lists for a method that needs three.
        let two = table(&["a", "b"], &[(0b01, 30), (0b10, 30), (0b11, 10)]);
        for (method, t, code) in [
            (EstimateMethod::Loglinear, &apart, "refusal.no_overlap"),
            (EstimateMethod::Loglinear, &few, "refusal.too_few_records"),
            (EstimateMethod::Lcmcr, &two, "refusal.too_few_lists"),
        ] {
            let tables = vec![(String::new(), t.clone())];
            let run = estimate(&request(method), &tables, &|_| {});
            let refused = run.strata[0].refused.as_ref().expect("refused");
            assert_eq!(refused.code.as_deref(), Some(code), "{refused:?}");
            assert!(run.strata[0].estimate.is_none());
        }
        let tables = vec![(String::new(), few.clone())];
        let run = estimate(&request(EstimateMethod::Loglinear), &tables, &|_| {});
        let n = run.strata[0].refused.as_ref().unwrap();
        assert_eq!(
            (n.values["found"].as_u64(), n.values["needed"].as_u64()),
            (Some(5), Some(10))
        );
    }

    #[test]
    fn the_published_form_reads_back() {
        let tables = vec![
            (
                "2022-09".to_owned(),
                table(&["a", "b"], &[(0b01, 30), (0b10, 20), (0b11, 10)]),
            ),
            (
                "2022-10".to_owned(),
                table(&["a", "b"], &[(0b01, 3), (0b11, 2)]),
            ),
        ];
        let request = Request {
            event: Some("exit_refused".into()),
            by: By::Month,
            method: EstimateMethod::Loglinear,
        };
        let run = estimate(&request, &tables, &|_| {});
        let json = serde_json::to_string(&run).unwrap();
        let back: EstimateRun = serde_json::from_str(&json).unwrap();
        assert_eq!(back, run);
        // Lincoln–Petersen: 40 × 30 / 10 = 120 in the estimated stratum.
        assert!((run.strata[0].estimate.as_ref().unwrap().median - 120.0).abs() < 1e-6);
        let total = run.total.as_ref().expect("a total over two strata");
        assert_eq!(total.documented, 65);
        let codes: Vec<_> = run
            .warnings
            .iter()
            .filter_map(|w| w.code.as_deref())
            .collect();
        assert!(codes.contains(&"warning.strata_refused"), "{codes:?}");
    }
}
