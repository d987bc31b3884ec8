//! The link crate's view of person names: a thin adapter over the name engine
//! (`recount-names`). Each distinct name is prepared once; linkage sees its per-part blocking
//! keys, its term-frequency keys, the sex its morphology implies, and a comparison level.

use recount_names::{NameLevel, PreparedName, Role, compare_level};
use recount_types::Sex;

pub use recount_names::latin_skeleton;

/// The comparison levels of names, best first (the name engine's levels minus "missing", which
/// is the null level of every comparison).
pub const NAME_LEVELS: [&str; 8] = [
    "exact",
    "transliteration",
    "skeleton",
    "alias_or_morphology",
    "fuzzy_high",
    "phonetic_or_compound",
    "fuzzy_low",
    "different",
];

/// One distinct name, prepared once.
#[derive(Debug, Clone)]
pub struct NameFeatures {
    prepared: PreparedName,
    /// Per core part (given names, surname, father's name), one blocking key: `a:` its alias
    /// group, or `t:` its stem.
    pub part_keys: Vec<String>,
    pub given_key: Option<String>,
    pub surname_key: Option<String>,
    pub sex: Option<Sex>,
}

impl NameFeatures {
    /// Prepares a name from the record's single `name` field or its parts; `None` when there is
    /// no name at all.
    pub fn prepare(
        name: Option<&str>,
        given: Option<&str>,
        family: Option<&str>,
        patronymic: Option<&str>,
    ) -> Option<NameFeatures> {
        fn nonempty(s: Option<&str>) -> Option<&str> {
            s.map(str::trim).filter(|s| !s.is_empty())
        }
        let prepared = match nonempty(name) {
            Some(n) => PreparedName::parse(n),
            None => {
                PreparedName::from_parts(nonempty(given), nonempty(family), nonempty(patronymic))
            }
        };
        if prepared.is_empty() {
            return None;
        }
        // One key per core part: its alias group where it has one (Muhammad = Magomed), else its
        // stem (Asanov = Asanova = Asan uulu; for given names the stem is the skeleton).
        let mut part_keys: Vec<String> = Vec::new();
        for p in prepared.parts() {
            if !matches!(p.role, Role::Given | Role::Surname | Role::Patronymic)
                || p.stem.is_empty()
            {
                continue;
            }
            let key = match p.alias {
                Some(a) => format!("a:{a}"),
                None => format!("t:{}", p.stem),
            };
            if !part_keys.contains(&key) {
                part_keys.push(key);
            }
        }
        Some(NameFeatures {
            given_key: prepared.given_key().map(str::to_owned),
            surname_key: prepared.surname_key().map(str::to_owned),
            sex: prepared.sex(),
            part_keys,
            prepared,
        })
    }

    /// The comparison level index (0 = exact … 7 = different).
    pub fn compare(&self, other: &NameFeatures) -> u8 {
        match compare_level(&self.prepared, &other.prepared) {
            NameLevel::Exact => 0,
            NameLevel::Transliteration => 1,
            NameLevel::Skeleton => 2,
            NameLevel::AliasOrMorphology => 3,
            NameLevel::FuzzyHigh => 4,
            NameLevel::PhoneticOrCompound => 5,
            NameLevel::FuzzyLow => 6,
            // Missing cannot happen for two non-empty names; count it as different.
            _ => 7,
        }
    }
}
