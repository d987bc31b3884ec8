//! Warnings that come with an estimate, as data: one variant per warning with its numbers, so a
//! reader in another language can word them itself. `Display` (and `Serialize`, as a string) gives
//! the English text.

use std::fmt;

use serde::{Serialize, Serializer};

/// Something the reader must know before trusting an estimate.
///
/// `Display` writes the English sentence; `Serialize` writes that same sentence as a JSON string.
/// [`EstimateWarning::code`] is a stable machine name for each variant (for translation tables).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum EstimateWarning {
    /// LCMCR: split R̂ across chains is above 1.1.
    ChainsDisagree {
        /// The split R̂ of N.
        r_hat: f64,
    },
    /// LCMCR: fewer than 100 effective draws of N.
    FewEffectiveDraws {
        /// The effective sample size over all chains.
        ess: f64,
    },
    /// LCMCR: only one chain ran, so R̂ cannot be computed.
    OneChain,
    /// LCMCR: the documented people occupy more than 90% of the K latent classes on average.
    ClassesNearTruncation {
        /// Mean number of occupied classes at the kept draws.
        mean_occupied: f64,
        /// The truncation K.
        k: usize,
    },
    /// BMA: more than 0.1% of the posterior mass lies in the last 1% of the grid of unrecorded
    /// counts.
    PosteriorCutOff {
        /// The share of the posterior in the grid's last 1% (0.004 = 0.4%).
        tail_mass: f64,
        /// The grid's largest count of unrecorded people.
        grid_max: u64,
    },
    /// BMA: the grid of unrecorded counts has a step above 1.
    CoarseGrid {
        /// The grid's step.
        step: u64,
    },
    /// Log-linear: the runner-up model scores within 2 points of the chosen one.
    CloseModelChoice {
        /// The runner-up model (bracket notation).
        runner_up: String,
        /// Its score (BIC or AIC, whichever chose).
        runner_up_score: f64,
        /// The chosen model (bracket notation).
        chosen: String,
        /// Its score.
        chosen_score: f64,
        /// The runner-up's estimate of N.
        runner_up_n_hat: f64,
    },
    /// Log-linear: the profile interval's upper bound was not found below the search limit.
    UpperBoundAtSearchLimit {
        /// The search limit, reported as the upper bound.
        limit: f64,
    },
    /// Log-linear: the profile interval's lower bound is the number documented.
    LowerBoundAtDocumented,
    /// Log-linear: with this many lists, models were chosen by a stepwise search.
    StepwiseSearch {
        /// The number of lists.
        lists: usize,
    },
    /// Strata: no stratum could be estimated.
    NoStratumEstimated,
    /// Strata: some strata were refused; their documented people are added to the total as they
    /// are.
    StrataRefused {
        /// How many strata were refused.
        strata: usize,
        /// People documented in them.
        documented: u64,
    },
    /// Strata: the log-linear total's interval is a normal approximation.
    NormalApproximationTotal,
    /// Linkage: pairs of records the linkage left undecided (a match probability between 0.05
    /// and 0.95, no reviewer's decision), on which the persons counted depend.
    UncertainLinkage {
        /// Undecided pairs in all.
        pairs: u64,
        /// Of them, pairs whose two records are in different persons.
        apart: u64,
        /// How many persons fewer there would be if every pair kept apart were linked.
        merges: u64,
    },
}

impl EstimateWarning {
    /// A stable snake_case name of the variant, e.g. `chains_disagree`.
    pub fn code(&self) -> &'static str {
        match self {
            EstimateWarning::ChainsDisagree { .. } => "chains_disagree",
            EstimateWarning::FewEffectiveDraws { .. } => "few_effective_draws",
            EstimateWarning::OneChain => "one_chain",
            EstimateWarning::ClassesNearTruncation { .. } => "classes_near_truncation",
            EstimateWarning::PosteriorCutOff { .. } => "posterior_cut_off",
            EstimateWarning::CoarseGrid { .. } => "coarse_grid",
            EstimateWarning::CloseModelChoice { .. } => "close_model_choice",
            EstimateWarning::UpperBoundAtSearchLimit { .. } => "upper_bound_at_search_limit",
            EstimateWarning::LowerBoundAtDocumented => "lower_bound_at_documented",
            EstimateWarning::StepwiseSearch { .. } => "stepwise_search",
            EstimateWarning::NoStratumEstimated => "no_stratum_estimated",
            EstimateWarning::StrataRefused { .. } => "strata_refused",
            EstimateWarning::NormalApproximationTotal => "normal_approximation_total",
            EstimateWarning::UncertainLinkage { .. } => "uncertain_linkage",
        }
    }
}

impl fmt::Display for EstimateWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EstimateWarning::ChainsDisagree { r_hat } => write!(
                f,
                "the chains disagree (R-hat {r_hat:.2} > 1.1): the posterior may have several \
                 modes; run longer chains or more of them, and compare the chains' medians before \
                 using this number"
            ),
            EstimateWarning::FewEffectiveDraws { ess } => write!(
                f,
                "only {ess:.0} effective draws: the interval's ends are uncertain; run longer chains"
            ),
            EstimateWarning::OneChain => f.write_str(
                "one chain only: its agreement with other chains (R-hat) cannot be checked",
            ),
            EstimateWarning::ClassesNearTruncation { k, .. } => write!(
                f,
                "the documented people fill nearly all {k} latent classes: raise K"
            ),
            EstimateWarning::PosteriorCutOff {
                tail_mass,
                grid_max,
            } => write!(
                f,
                "{:.1}% of the posterior lies in the last 1% of the grid (up to {grid_max} never \
                 recorded): the posterior is cut off; the data say little about how many were \
                 missed",
                100.0 * tail_mass
            ),
            EstimateWarning::CoarseGrid { step } => write!(
                f,
                "the grid of unrecorded counts has step {step}; quantiles are rounded to it"
            ),
            EstimateWarning::CloseModelChoice {
                runner_up,
                runner_up_score,
                chosen,
                chosen_score,
                runner_up_n_hat,
            } => write!(
                f,
                "model choice is close: {runner_up} scores {runner_up_score:.2} against \
                 {chosen_score:.2} for {chosen} (N̂ = {runner_up_n_hat:.1}); another criterion may \
                 pick the other"
            ),
            EstimateWarning::UpperBoundAtSearchLimit { limit } => write!(
                f,
                "the interval's upper bound is above {limit:.0}, the search limit: the data say \
                 little about how many were missed"
            ),
            EstimateWarning::LowerBoundAtDocumented => {
                f.write_str("the interval's lower bound is the number documented")
            }
            EstimateWarning::StepwiseSearch { lists } => write!(
                f,
                "{lists} lists: models were chosen by a stepwise search, not among every \
                 hierarchical model"
            ),
            EstimateWarning::NoStratumEstimated => {
                f.write_str("no stratum could be estimated; there is no total")
            }
            EstimateWarning::StrataRefused { strata, documented } => write!(
                f,
                "{strata} stratum/strata were refused; their {documented} documented people are \
                 added to the total as they are, with no estimate of the people they miss"
            ),
            EstimateWarning::NormalApproximationTotal => f.write_str(
                "the log-linear total's interval is a normal approximation from the strata's \
                 intervals; use lcmcr for a total from posterior draws",
            ),
            EstimateWarning::UncertainLinkage {
                pairs,
                apart,
                merges,
            } => write!(
                f,
                "the linkage left {pairs} pairs of records undecided (match probability 0.05 to \
                 0.95, no reviewer's decision); {apart} of them are in different persons, and \
                 linking them would make {merges} persons fewer. A missed link splits one person \
                 into two seen by fewer sources, which raises the estimate; a wrong link lowers \
                 it. Review them (recount review) before relying on this number"
            ),
        }
    }
}

impl Serialize for EstimateWarning {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
#[path = "warning_tests.rs"]
mod tests;
