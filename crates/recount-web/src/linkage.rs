//! The bridge to linkage: which pairs need a reviewer, and what a decision does to persons.

use recount_store::{Store, StoreError};
use recount_types::RecordId;

/// A reviewer's answer on a pair.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Same,
    Different,
    Unsure,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Same => "same",
            Decision::Different => "different",
            Decision::Unsure => "unsure",
        }
    }
}

/// Pairs with a match probability in this range go to review.
pub const REVIEW_RANGE: (f64, f64) = (0.05, 0.95);

/// Records the decision and updates the persons at once.
pub fn decide(
    store: &mut Store,
    a: RecordId,
    b: RecordId,
    decision: Decision,
    reviewer: &str,
) -> Result<(), StoreError> {
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    store.add_review_decision(a, b, decision.as_str(), reviewer)
}
