use crate::ValueError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

/// The event vocabulary of Records CSV v1.
pub const EVENT_TERMS_V1: [&str; 9] = [
    "exit_refused",
    "summoned",
    "detained",
    "conscripted",
    "deployed",
    "killed",
    "missing",
    "threatened",
    "other",
];

/// A term of the event vocabulary, checked against an [`EventVocabulary`] when read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EventTerm(String);

impl EventTerm {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EventTerm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The controlled event vocabulary: v1's terms plus any an organisation has added. It is data,
/// kept in the project database, not an enum, so adding a term needs no new release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventVocabulary {
    terms: BTreeSet<String>,
}

impl Default for EventVocabulary {
    fn default() -> Self {
        EventVocabulary {
            terms: EVENT_TERMS_V1.iter().map(|t| (*t).to_owned()).collect(),
        }
    }
}

impl EventVocabulary {
    /// Adds a term; it must be lower-case ASCII letters, digits and `_`, starting with a letter.
    pub fn add(&mut self, term: &str) -> Result<EventTerm, ValueError> {
        let ok = term.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && term
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !ok {
            return Err(ValueError::new(
                format!("'{term}' cannot be an event term"),
                "lower-case letters, digits and _ (e.g. passport_seized)",
            ));
        }
        self.terms.insert(term.to_owned());
        Ok(EventTerm(term.to_owned()))
    }

    /// Reads a term of this vocabulary.
    pub fn term(&self, s: &str) -> Result<EventTerm, ValueError> {
        let t = s.trim();
        if self.terms.contains(t) {
            return Ok(EventTerm(t.to_owned()));
        }
        Err(ValueError::new(
            format!("'{t}' is not in the event vocabulary"),
            "one of the vocabulary's terms (exit_refused, summoned, detained, conscripted, deployed, killed, missing, threatened, other, or a term the project added)",
        ))
    }

    pub fn terms(&self) -> impl Iterator<Item = &str> {
        self.terms.iter().map(String::as_str)
    }
}

/// Who told the source about the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Informant {
    /// The person themself.
    #[serde(rename = "self")]
    Themself,
    Witness,
    Relative,
    Media,
    Official,
    Unknown,
}

impl Informant {
    pub const ALL: [Informant; 6] = [
        Informant::Themself,
        Informant::Witness,
        Informant::Relative,
        Informant::Media,
        Informant::Official,
        Informant::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Informant::Themself => "self",
            Informant::Witness => "witness",
            Informant::Relative => "relative",
            Informant::Media => "media",
            Informant::Official => "official",
            Informant::Unknown => "unknown",
        }
    }

    /// First-hand accounts: the person themself, an eyewitness, or an official document.
    pub fn is_first_hand(self) -> bool {
        matches!(
            self,
            Informant::Themself | Informant::Witness | Informant::Official
        )
    }
}

impl fmt::Display for Informant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Informant {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        Informant::ALL
            .into_iter()
            .find(|i| i.as_str() == t)
            .ok_or_else(|| {
                ValueError::new(
                    format!("'{t}' is not an informant kind"),
                    "self, witness, relative, media, official or unknown",
                )
            })
    }
}

/// Sex as recorded (`m` or `f`); an empty cell is "not recorded", not a third value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Sex {
    #[serde(rename = "m")]
    Male,
    #[serde(rename = "f")]
    Female,
}

impl Sex {
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "m",
            Sex::Female => "f",
        }
    }
}

impl fmt::Display for Sex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Sex {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "m" | "M" => Ok(Sex::Male),
            "f" | "F" => Ok(Sex::Female),
            t => Err(ValueError::new(
                format!("'{t}' is not a sex code"),
                "m, f or empty",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_is_extensible_data() {
        let mut v = EventVocabulary::default();
        assert!(v.term("exit_refused").is_ok());
        let err = v.term("passport_seized").unwrap_err();
        assert!(err.problem.contains("not in the event vocabulary"));
        v.add("passport_seized").unwrap();
        assert_eq!(
            v.term("passport_seized").unwrap().as_str(),
            "passport_seized"
        );
        assert!(v.add("Passport Seized").is_err());
    }

    #[test]
    fn informants_and_hand() {
        assert_eq!("self".parse::<Informant>().unwrap(), Informant::Themself);
        assert!(!"relative".parse::<Informant>().unwrap().is_first_hand());
        assert!("neighbour".parse::<Informant>().is_err());
        assert_eq!(
            serde_json::to_string(&Informant::Themself).unwrap(),
            "\"self\""
        );
    }
}
