//! Cross-script person names (Cyrillic and Latin): parse, normalise, key and compare the Russian,
//! Kyrgyz, Kazakh, Uzbek and Tajik names of one person as different sources write them.
//!
//! The same man is `Асанов Бекболат Жумабекович` in a Russian list, `Bekbolat Asanov` in a news
//! report and `Бекболот Асан уулу` in a Kyrgyz source. This crate's one job is to say how alike
//! two such names are, and why. It does no IO.
//!
//! Main types and functions:
//!
//! - [`PreparedName`]: a name parsed into parts with roles ([`Role`]: given, surname,
//!   patronymic / father's name, particle, title) and every key of every part, computed once:
//!   `exact` (NFKC, lower case, homoglyphs repaired), `latin` (one Cyrillic→Latin table for all
//!   five languages), `skeleton` (where passport 1997/2010/ICAO, BGN/PCGN, GOST 7.79, ISO 9,
//!   French, German and Uzbek Latin spellings meet), `stem` (surname and father-name roots:
//!   -ов/-ова/-зода/-ович/уулу...), `consonants`, alias group, Daitch–Mokotoff codes.
//! - [`compare`] and [`compare_level`]: role-by-role comparison with order-independent
//!   alignment, returning a [`NameLevel`] (exact, transliteration, skeleton, alias_or_morphology,
//!   fuzzy_high, phonetic_or_compound, fuzzy_low, different, missing) and, from [`compare`], a
//!   [`NameComparison`] with the per-part alignment and a reason for each.
//! - [`PreparedName::blocking_keys`]: per-part keys for candidate generation.
//! - [`latin_skeleton`]: the script-independent fold of any text.
//!
//! ```
//! use recount_names::{compare, compare_level, NameLevel, PreparedName};
//!
//! let russian = PreparedName::parse("Асанов Бекболат Жумабекович");
//! let news = PreparedName::parse("Bekbolat Asanov");
//! let kyrgyz = PreparedName::parse("Бекболот Асан уулу");
//!
//! // Another script, another order, no patronymic: still the same letters underneath.
//! assert_eq!(compare_level(&russian, &news), NameLevel::Transliteration);
//! // Asanov ~ Asan uulu is morphology (a surname stem and a father's name); the alias table
//! // knows Bekbolot as the Kyrgyz form of Bekbolat.
//! let c = compare(&news, &kyrgyz);
//! assert_eq!(c.family, NameLevel::AliasOrMorphology);
//! assert_eq!(c.level, NameLevel::AliasOrMorphology);
//! // An OCR error (Б read as В) is a cheap confusion, not a different name.
//! let ocr = PreparedName::parse("Векболат Асанов");
//! assert_eq!(compare_level(&news, &ocr), NameLevel::FuzzyHigh);
//!
//! // Guards: a gender pair is never a given-name match; a one-letter prefix is never fuzzy_high.
//! let l = compare_level(&PreparedName::parse("Valentin Ivanov"), &PreparedName::parse("Valentina Ivanova"));
//! assert_eq!(l, NameLevel::Different);
//! let l = compare_level(&PreparedName::parse("Bekbolat Asanov"), &PreparedName::parse("Bekbolat Hasanov"));
//! assert!(l > NameLevel::FuzzyHigh);
//!
//! // Roles, keys and sex come from the parse.
//! assert_eq!(russian.surname_key(), Some("asan"));
//! assert_eq!(russian.sex(), Some(recount_types::Sex::Male));
//! assert!(russian.blocking_keys().contains(&"s:bekbolat".to_string()));
//! ```
//!
//! Evaluation and speed (rerun them after changing a fold or a level):
//!
//! - `cargo run --release -p recount-names --example corpus_report` prints, for each level, the
//!   share of positive and negative pairs of the labelled corpus (`data/pairs_*.csv`) reaching
//!   it; `tests/corpus.rs` enforces the bar (no negative at exact/transliteration/skeleton, ≥ 95%
//!   of positives above fuzzy_low).
//! - `cargo bench -p recount-names` prints names parsed and pairs compared per CPU-second and per
//!   second, beside any_ascii + strsim.
//!
//! The facts behind the tables (letter tables per system, name laws, what generic crates get
//! wrong) are in the project's names reference; `docs/names.md` is the user guide.

mod alias;
mod compare;
mod distance;
mod dm;
mod fold;
mod layout;
mod morph;
mod name;

pub use compare::{AlignedPart, NameComparison, NameLevel, Slot, compare, compare_level};
pub use fold::{Script, latin_skeleton};
pub use morph::{Particle, PatronymicForm};
pub use name::{NameOrder, NamePart, PreparedName, Role, RoleHint};

/// Jaro–Winkler similarity (prefix scale 0.1, prefix up to 4) of two ASCII strings such as
/// transliterations, skeletons or normalised places; no allocation below 64 bytes.
///
/// ```
/// assert!(recount_names::jaro_winkler("jacinta", "jacina") > 0.9);
/// assert!(recount_names::jaro_winkler("jacinta", "maria") < 0.9);
/// ```
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    distance::jaro_winkler(a.as_bytes(), b.as_bytes())
}

/// Whether [`jaro_winkler`] of `a` and `b` is at least `min`, without computing it where the
/// letters the two have in common already rule it out (most pairs of different words).
///
/// ```
/// assert!(recount_names::jaro_winkler_at_least("jacinta", "jacina", 0.9));
/// assert!(!recount_names::jaro_winkler_at_least("jacinta", "bakyt", 0.9));
/// ```
pub fn jaro_winkler_at_least(a: &str, b: &str, min: f64) -> bool {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    distance::jaro_winkler_bound(x, y, &distance::letters(a), &distance::letters(b)) >= min
        && distance::jaro_winkler(x, y) >= min
}
