//! The bridge to linkage: which pairs need a reviewer, and what a decision does to persons.

use recount_store::{Store, StoreError};
use recount_types::{PersonId, RecordId};

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

/// Pairs with a match probability in this range go to review (the linkage step's band, which
/// the estimate's warning about undecided pairs counts too).
pub const REVIEW_RANGE: (f64, f64) = recount_pipeline::link::REVIEW_BAND;

fn person_of(store: &Store, record: RecordId) -> Result<Option<PersonId>, StoreError> {
    let Some(key) = store.record_key(record)? else {
        return Ok(None);
    };
    Ok(store
        .record(key.source.as_str(), &key.record_id)?
        .and_then(|r| r.person))
}

/// Records the decision and updates the persons at once: `same` puts both records, with every
/// record already linked to either, in one person; `different` moves the second record out into a
/// person of its own when the two were together; `unsure` changes nobody. The next linkage run
/// takes the decision as a constraint.
pub fn decide(
    store: &mut Store,
    a: RecordId,
    b: RecordId,
    decision: Decision,
    reviewer: &str,
) -> Result<(), StoreError> {
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    store.add_review_decision(a, b, decision.as_str(), reviewer)?;
    let (pa, pb) = (person_of(store, a)?, person_of(store, b)?);
    match decision {
        Decision::Unsure => {}
        Decision::Same => {
            let target = match pa.or(pb) {
                Some(p) => p,
                None => store.new_person()?,
            };
            for p in [pa, pb].into_iter().flatten().filter(|p| *p != target) {
                for (record, _) in store.person_record_keys(p)? {
                    store.assign_person(record, target)?;
                }
            }
            store.assign_person(a, target)?;
            store.assign_person(b, target)?;
        }
        Decision::Different => {
            if pa.is_some() && pa == pb {
                let own = store.new_person()?;
                store.assign_person(b, own)?;
            }
        }
    }
    Ok(())
}
