use super::EstimateWarning as W;

/// The English text of every warning, written out in full: what the CLI printed and `--json`
/// carried before warnings became data, so both stay byte-identical.
#[test]
fn display_is_the_english_text() {
    let cases = [
        (
            W::ChainsDisagree { r_hat: 1.2345 },
            "the chains disagree (R-hat 1.23 > 1.1): the posterior may have several modes; run \
             longer chains or more of them, and compare the chains' medians before using this \
             number",
        ),
        (
            W::FewEffectiveDraws { ess: 42.6 },
            "only 43 effective draws: the interval's ends are uncertain; run longer chains",
        ),
        (
            W::OneChain,
            "one chain only: its agreement with other chains (R-hat) cannot be checked",
        ),
        (
            W::ClassesNearTruncation {
                mean_occupied: 9.5,
                k: 10,
            },
            "the documented people fill nearly all 10 latent classes: raise K",
        ),
        (
            W::PosteriorCutOff {
                tail_mass: 0.01234,
                grid_max: 88_000,
            },
            "1.2% of the posterior lies in the last 1% of the grid (up to 88000 never recorded): \
             the posterior is cut off; the data say little about how many were missed",
        ),
        (
            W::CoarseGrid { step: 3 },
            "the grid of unrecorded counts has step 3; quantiles are rounded to it",
        ),
        (
            W::CloseModelChoice {
                runner_up: "[123,134]".into(),
                runner_up_score: 204.5,
                chosen: "[123,14,34]".into(),
                chosen_score: 203.031,
                runner_up_n_hat: 12_741.04,
            },
            "model choice is close: [123,134] scores 204.50 against 203.03 for [123,14,34] \
             (N̂ = 12741.0); another criterion may pick the other",
        ),
        (
            W::UpperBoundAtSearchLimit { limit: 103_565.4 },
            "the interval's upper bound is above 103565, the search limit: the data say little \
             about how many were missed",
        ),
        (
            W::LowerBoundAtDocumented,
            "the interval's lower bound is the number documented",
        ),
        (
            W::StepwiseSearch { lists: 7 },
            "7 lists: models were chosen by a stepwise search, not among every hierarchical model",
        ),
        (
            W::NoStratumEstimated,
            "no stratum could be estimated; there is no total",
        ),
        (
            W::StrataRefused {
                strata: 2,
                documented: 15,
            },
            "2 stratum/strata were refused; their 15 documented people are added to the total as \
             they are, with no estimate of the people they miss",
        ),
        (
            W::NormalApproximationTotal,
            "the log-linear total's interval is a normal approximation from the strata's \
             intervals; use lcmcr for a total from posterior draws",
        ),
        (
            W::UncertainLinkage {
                pairs: 1144,
                apart: 980,
                merges: 612,
            },
            "the linkage left 1144 pairs of records undecided (match probability 0.05 to 0.95, \
             no reviewer's decision); 980 of them are in different persons, and linking them \
             would make 612 persons fewer. A missed link splits one person into two seen by \
             fewer sources, which raises the estimate; a wrong link lowers it. Review them \
             (recount review) before relying on this number",
        ),
    ];
    let mut codes = std::collections::BTreeSet::new();
    for (w, text) in cases {
        assert_eq!(w.to_string(), text);
        assert_eq!(
            serde_json::to_string(&w).unwrap(),
            serde_json::to_string(text).unwrap()
        );
        assert!(codes.insert(w.code()), "code {} used twice", w.code());
    }
}
