//! Strata: estimates per stratum, refusals with reasons, totals from combined draws.

use super::*;
use crate::captures::Pattern;
use crate::simulate::Population;

fn population(size: u64) -> Population {
    Population {
        size,
        weights: vec![1.0],
        probabilities: vec![vec![0.3, 0.4, 0.35, 0.25]],
    }
}

#[test]
fn totals_add_strata_draws_and_refusals_say_why() {
    let a = population(1_000).simulate(1).unwrap();
    let b = population(2_000).simulate(2).unwrap();
    // List C recorded nobody in this stratum: only two lists hold records.
    let two_lists = CaptureTable::from_counts(
        vec!["A".into(), "B".into(), "C".into()],
        [
            (Pattern(0b011), 20),
            (Pattern(0b001), 10),
            (Pattern(0b010), 5),
        ],
    )
    .unwrap();
    let few = CaptureTable::from_csv("A,B,C,count\n1,1,0,2\n1,0,1,1\n0,1,0,1\n")
        .unwrap()
        .0;
    let tables = vec![
        ("2024-01".to_string(), a.clone()),
        ("2024-02".to_string(), b.clone()),
        ("2024-03".to_string(), two_lists),
        ("2024-04".to_string(), few),
    ];
    let config = LcmcrConfig {
        burnin: 1_000,
        samples: 400,
        thin: 5,
        chains: 2,
        ..LcmcrConfig::default()
    };
    let r = estimate_strata(&tables, &StrataMethod::Lcmcr(config));
    assert_eq!(r.strata.len(), 4);
    let ea = r.strata[0].result.as_ref().unwrap().estimate;
    let eb = r.strata[1].result.as_ref().unwrap().estimate;
    assert!(ea.lower <= 1_000.0 && 1_000.0 <= ea.upper, "{ea:?}");
    assert!(eb.lower <= 2_000.0 && 2_000.0 <= eb.upper, "{eb:?}");
    assert_eq!(
        r.strata[2].refused,
        Some(Refusal::TooFewLists {
            found: 2,
            needed: 3
        })
    );
    assert!(matches!(
        r.strata[3].refused,
        Some(Refusal::TooFewRecords { .. })
    ));
    // The JSON keeps the English sentence and adds the code.
    let json = serde_json::to_value(&r.strata[2]).unwrap();
    assert_eq!(
        json["refused"],
        "only 2 list(s) hold records; this method needs at least 3"
    );
    assert_eq!(json["refusal_code"], "too_few_lists");
    let estimated = serde_json::to_value(&r.strata[0]).unwrap();
    assert!(estimated.get("refused").is_none() && estimated.get("refusal_code").is_none());
    let total = r.total.unwrap();
    assert_eq!(total.estimated_strata, 2);
    assert_eq!(total.refused_documented, 35 + 4);
    // The total's median is near the sum of medians, and its interval is narrower than the sum of
    // the intervals (independent strata partly cancel).
    let sum_medians = ea.median + eb.median + 39.0;
    assert!((total.estimate.median / sum_medians - 1.0).abs() < 0.03);
    assert!(
        total.estimate.upper - total.estimate.lower < (ea.upper - ea.lower) + (eb.upper - eb.lower)
    );
    assert!(total.estimate.lower <= 3_039.0 && 3_039.0 <= total.estimate.upper);
    assert!(r.warnings.iter().any(|w| matches!(
        w,
        EstimateWarning::StrataRefused {
            strata: 2,
            documented: 39
        }
    )));
}

#[test]
fn loglinear_strata_total_is_a_sum_with_a_warning() {
    let tables = vec![
        ("north".to_string(), population(800).simulate(3).unwrap()),
        ("south".to_string(), population(1_200).simulate(4).unwrap()),
    ];
    let r = estimate_strata(
        &tables,
        &StrataMethod::Loglinear(LoglinearConfig::default()),
    );
    let total = r.total.unwrap();
    let sum: f64 = r
        .strata
        .iter()
        .map(|s| s.result.as_ref().unwrap().estimate.median)
        .sum();
    assert!((total.estimate.median - sum).abs() < 1e-6);
    assert!(total.estimate.lower < sum && sum < total.estimate.upper);
    assert!(
        r.warnings
            .iter()
            .any(|w| matches!(w, EstimateWarning::NormalApproximationTotal))
    );
}
