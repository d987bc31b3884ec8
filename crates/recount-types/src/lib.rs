//! The record model every other recount crate speaks: one person-event as told by one source.
//!
//! This crate does no IO and knows no file format beyond the textual forms of single values
//! (`2022-09`, `55-60`, `RU;KG`). Its main types:
//!
//! - [`Record`]: a person-event from one source, with every field of Records CSV v1;
//! - [`Source`]: a list or channel, with its dependency group and whether it may list a person twice;
//! - [`PartialDate`] and [`EventDate`]: dates with their precision (year, month, day) or a range;
//! - [`AgeRange`]: an age at the event, exact or a range;
//! - [`EventVocabulary`] and [`EventTerm`]: the controlled event vocabulary, extensible as data;
//! - [`Informant`], [`Sex`], [`CountryCode`]: the other controlled values;
//! - typed ids: [`SourceName`], [`RecordKey`], [`RecordId`], [`SourceId`], [`PersonId`].
//!
//! Informants' identities and contact details deliberately have no field here: they will only ever
//! exist encrypted (see ARCHITECTURE.md, "Privacy").
//!
//! ```
//! use recount_types::{PartialDate, DatePrecision, AgeRange};
//! let d: PartialDate = "2022-09".parse().unwrap();
//! assert_eq!(d.precision(), DatePrecision::Month);
//! let a: AgeRange = "55-60".parse().unwrap();
//! assert!(a.contains(57));
//! ```

mod age;
mod country;
mod date;
mod ids;
mod record;
mod vocab;

pub use age::AgeRange;
pub use country::{CountryCode, parse_country_list};
pub use date::{DatePrecision, EventDate, PartialDate};
pub use ids::{PersonId, RecordId, RecordKey, SourceId, SourceName};
pub use record::{RECORDS_CSV_V1_COLUMNS, Record, Source};
pub use vocab::{EVENT_TERMS_V1, EventTerm, EventVocabulary, Informant, Sex};

/// Why a single value could not be read. `expected` says, in words a documentalist understands,
/// what form was expected; callers add the file, row and column.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{problem}; expected {expected}")]
#[non_exhaustive]
pub struct ValueError {
    /// What is wrong with the value, e.g. "month 13 does not exist".
    pub problem: String,
    /// The accepted form, e.g. "YYYY, YYYY-MM or YYYY-MM-DD".
    pub expected: &'static str,
}

impl ValueError {
    pub(crate) fn new(problem: impl Into<String>, expected: &'static str) -> Self {
        ValueError {
            problem: problem.into(),
            expected,
        }
    }
}
