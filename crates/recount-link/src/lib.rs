//! Record linkage, sans-IO: which records describe the same person, with the evidence.
//!
//! The steps carry HRDAG's names and each is a function from values to values:
//!
//! - **clean**: [`Dataset`] (built with [`DatasetBuilder`]) holds each record's comparable
//!   features once: interned names prepared by the name engine, dates, normalised places
//!   ([`normalise_place`]), documents;
//! - **block**: [`block`] runs the [`BlockingRule`]s and merges their candidate [`Pair`]s without
//!   duplicates, splitting large blocks by the event's time and skipping (and reporting) blocks
//!   still over the cap; [`rule_pairs`] runs one rule alone;
//! - **compare**: [`compare_pairs`] gives each pair a [`Gamma`], one level per [`Comparison`];
//! - **classify**: a Fellegi–Sunter [`Model`] (u by random sampling, m and λ by EM, name term
//!   frequencies) trained by [`train`], applied by [`score_pairs`], explained by [`explain`];
//! - **cluster**: [`cluster`], correlation clustering that respects sources listing each person
//!   once and reviewers' decisions;
//! - **review**: [`review_queue`] orders uncertain pairs by how much a decision would change the
//!   persons; [`apply_decisions`] turns [`Decision`]s into constraints and training labels;
//! - incremental runs keep person ids with [`stable_person_ids`].
//!
//! [`link`] runs block → compare → classify → cluster in one call and reports what it did.

mod block;
mod block_partial;
mod cluster;
mod compare;
mod incremental;
mod model;
mod name;
mod place;
mod prepare;
mod review;
mod rng;
mod score;
mod train;

pub use block::{Blocking, BlockingConfig, BlockingRule, RuleReport, block, rule_pairs};
pub use cluster::{ClusterMethod, Clustering, Constraint, cluster};
pub use compare::{COMPARISONS, Comparison, Gamma, compare, compare_pairs};
pub use incremental::stable_person_ids;
pub use model::{
    ComparisonParams, Estimate, LevelParams, MODEL_FORMAT, MODEL_VERSION, Method, Model,
    ModelError, Parameter, TrainingRun, Weights, bits, probability,
};
pub use place::normalise_place;
pub use prepare::{Dataset, DatasetBuilder, DedupePolicy, Pair, RecordIndex, normalise_document};
pub use review::{AppliedDecisions, Decision, ReviewItem, Verdict, apply_decisions, review_queue};
pub use score::{
    Contribution, Explanation, explain, explain_gamma, one_to_one_adjustment, score_pairs,
};
pub use train::{Label, TrainingConfig, TrainingFailure, TrainingReport, train};

use serde::Serialize;
use std::time::{Duration, Instant};

/// Settings of a whole linkage run. Nothing here is tuned per data set.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkConfig {
    /// Pairs whose match probability is above this are evidence for "same person".
    pub threshold: f64,
    pub blocking: BlockingConfig,
    pub training: TrainingConfig,
    pub method: ClusterMethod,
}

impl Default for LinkConfig {
    fn default() -> Self {
        LinkConfig {
            threshold: 0.5,
            blocking: BlockingConfig::default(),
            training: TrainingConfig::default(),
            method: ClusterMethod::CorrelationGaec,
        }
    }
}

impl LinkConfig {
    /// The defaults with a seed for every random step.
    pub fn with_seed(seed: u64) -> Self {
        let mut c = LinkConfig::default();
        c.training.seed = seed;
        c
    }
}

/// Whether this run's training produced the model it used.
#[derive(Debug, Clone, PartialEq)]
pub enum TrainingOutcome {
    Trained(TrainingReport),
    /// Training failed or degenerated; the previous model was used, unchanged.
    KeptPrevious(TrainingFailure),
}

/// Wall-clock time of each step.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct StageTimes {
    pub block: Duration,
    pub compare: Duration,
    pub train: Duration,
    pub score: Duration,
    pub cluster: Duration,
}

/// Everything a linkage run produced.
#[derive(Debug, Clone)]
pub struct LinkRun {
    pub blocking: Blocking,
    pub gammas: Vec<Gamma>,
    /// Fellegi–Sunter match weight in bits of each candidate pair (`blocking.pairs` order),
    /// as [`explain`] breaks it down.
    pub weights: Vec<f32>,
    /// What knowing that sources list each person once adds to each weight
    /// ([`one_to_one_adjustment`]); clustering uses `weights + one_to_one`.
    pub one_to_one: Vec<f32>,
    /// The model the pairs were scored with (the new one, or the previous one if training failed).
    pub model: Model,
    pub training: TrainingOutcome,
    pub clustering: Clustering,
    pub decisions: AppliedDecisions,
    /// Problems with the data, in words a user can act on (never names or other personal data).
    pub warnings: Vec<String>,
    pub times: StageTimes,
}

/// Runs block → compare → classify → cluster over a prepared data set, training from `previous`
/// and honouring reviewers' `decisions`.
pub fn link(ds: &Dataset, previous: &Model, decisions: &[Decision], cfg: &LinkConfig) -> LinkRun {
    let mut warnings = Vec::new();
    let mut times = StageTimes::default();
    if ds.len() == 1 {
        warnings
            .push("only one record: there is nothing to link it to; it is one person".to_owned());
    }
    if !ds.is_empty() && ds.named_records() == 0 {
        warnings.push(
            "no record has a name: only document numbers can propose pairs, so most records stay separate persons"
                .to_owned(),
        );
    }
    if ds.len() > 1 && ds.linkable_pairs() < 1.0 {
        warnings.push(format!(
            "no two records may be linked: there is one source, '{}', and it is not marked as containing duplicates",
            ds.sources().first().map(|s| s.as_str()).unwrap_or("")
        ));
    }
    let t = Instant::now();
    let blocking = block(ds, cfg.blocking);
    times.block = t.elapsed();
    warnings.extend(blocking.warnings(cfg.blocking));

    let t = Instant::now();
    let gammas = compare_pairs(ds, &blocking.pairs);
    times.compare = t.elapsed();

    let applied = apply_decisions(ds, decisions);
    if applied.unknown_records > 0 {
        warnings.push(format!(
            "{} review decision(s) name records that are not in this data set and were ignored",
            applied.unknown_records
        ));
    }
    let t = Instant::now();
    let (model, training) = match train(
        previous,
        ds,
        &blocking.pairs,
        &gammas,
        &applied.labels,
        &cfg.training,
    ) {
        Ok((m, r)) => (m, TrainingOutcome::Trained(r)),
        Err(reason) => {
            if ds.len() > 1 && ds.linkable_pairs() >= 1.0 {
                warnings.push(format!("training failed, so the previous model (revision {}) was used unchanged: {reason}", previous.revision));
            }
            (previous.clone(), TrainingOutcome::KeptPrevious(reason))
        }
    };
    times.train = t.elapsed();

    let t = Instant::now();
    let w = model.weights();
    let weights = score_pairs(ds, &w, &blocking.pairs, &gammas);
    let one_to_one = one_to_one_adjustment(ds, &blocking.pairs, &weights, w.prior);
    times.score = t.elapsed();

    let t = Instant::now();
    let final_weights: Vec<f32> = weights
        .iter()
        .zip(&one_to_one)
        .map(|(a, b)| a + b)
        .collect();
    let clustering = cluster(
        ds,
        &blocking.pairs,
        &final_weights,
        cfg.threshold,
        &applied.constraints,
        cfg.method,
        Some(&w),
    );
    times.cluster = t.elapsed();
    if clustering.conflicting_decisions > 0 {
        warnings.push(format!(
            "{} reviewers' 'same' decision(s) contradict 'different' decisions and were not applied",
            clustering.conflicting_decisions
        ));
    }
    LinkRun {
        blocking,
        gammas,
        weights,
        one_to_one,
        model,
        training,
        clustering,
        decisions: applied,
        warnings,
        times,
    }
}

#[cfg(test)]
mod tests;
