//! English and Russian message catalogues, embedded in the binary, chosen per request from a
//! `lang` cookie (set by the language switch) or else from `Accept-Language`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// An interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Ru,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ru];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "ru" => Some(Lang::Ru),
            _ => None,
        }
    }

    /// The best language for an `Accept-Language` header: the supported tag with the highest
    /// quality, English when none is supported.
    pub fn from_accept_language(header: &str) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or("");
            if let Some(lang) = Lang::from_code(primary)
                && best.is_none_or(|(bq, _)| q > bq)
            {
                best = Some((q, lang));
            }
        }
        best.map_or(Lang::En, |(_, l)| l)
    }
}

type Catalogue = BTreeMap<String, String>;

fn load(source: &str) -> Catalogue {
    // The catalogues are part of the binary and checked by a test, so a parse failure is a
    // programming error; an empty catalogue still renders every key.
    toml::from_str(source).unwrap_or_default()
}

fn catalogue(lang: Lang) -> &'static Catalogue {
    static EN: OnceLock<Catalogue> = OnceLock::new();
    static RU: OnceLock<Catalogue> = OnceLock::new();
    match lang {
        Lang::En => EN.get_or_init(|| load(include_str!("../locales/en.toml"))),
        Lang::Ru => RU.get_or_init(|| load(include_str!("../locales/ru.toml"))),
    }
}

/// The message for `key` in `lang` alone (no fallback), when the catalogue has it.
pub fn lookup(lang: Lang, key: &str) -> Option<String> {
    catalogue(lang).get(key).cloned()
}

/// The message for `key`; English when the language lacks it, the key itself when both do.
pub fn t(lang: Lang, key: &str) -> String {
    catalogue(lang)
        .get(key)
        .or_else(|| catalogue(Lang::En).get(key))
        .cloned()
        .unwrap_or_else(|| key.to_owned())
}

/// The message for `key` with `{name}` placeholders filled from `args`.
pub fn tf(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    fill(t(lang, key), args)
}

/// `message` with its `{name}` placeholders filled from `args`.
pub fn fill(mut message: String, args: &[(impl AsRef<str>, impl AsRef<str>)]) -> String {
    for (name, value) in args {
        message = message.replace(&format!("{{{}}}", name.as_ref()), value.as_ref());
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogues_parse_and_cover_the_same_keys() {
        let en = load_strict(include_str!("../locales/en.toml"));
        let ru = load_strict(include_str!("../locales/ru.toml"));
        let missing: Vec<_> = en.keys().filter(|k| !ru.contains_key(*k)).collect();
        assert!(missing.is_empty(), "Russian lacks {missing:?}");
        // The estimator's warnings and refusals are worded in English by the library itself
        // (`recount estimate` prints the same sentences); the other catalogues word them.
        let extra: Vec<_> = ru
            .keys()
            .filter(|k| !en.contains_key(*k))
            .filter(|k| !k.starts_with("note.warning.") && !k.starts_with("note.refusal."))
            .collect();
        assert!(
            extra.is_empty(),
            "Russian has keys English lacks: {extra:?}"
        );
        assert!(en.len() > 50);
    }

    /// Every problem the importer can report, each note of an expected form and each problem of
    /// the desk's own is worded in both languages, so a new code cannot ship untranslated.
    /// (`other` is a problem built without a code: its English words are all there is.)
    #[test]
    fn every_import_problem_is_worded_in_english_and_russian() {
        use recount_import::ProblemKind;
        for lang in Lang::ALL {
            let cat = load_strict(match lang {
                Lang::En => include_str!("../locales/en.toml"),
                Lang::Ru => include_str!("../locales/ru.toml"),
            });
            let mut missing = Vec::new();
            for code in ProblemKind::CODES.iter().filter(|c| **c != "other") {
                for key in [
                    format!("problem.{code}"),
                    format!("problem.{code}.expected"),
                ] {
                    if !cat.contains_key(&key) {
                        missing.push(key);
                    }
                }
            }
            for note in ProblemKind::NOTES {
                let key = format!("problem.note.{note}");
                if !cat.contains_key(&key) {
                    missing.push(key);
                }
            }
            for code in ["more_problems", "upload_unreadable", "import_failed"] {
                let key = format!("import.problem.{code}");
                if !cat.contains_key(&key) {
                    missing.push(key);
                }
            }
            assert!(missing.is_empty(), "{lang:?} lacks {missing:?}");
            assert!(!cat.contains_key("problem.other"));
        }
    }

    fn load_strict(s: &str) -> Catalogue {
        toml::from_str(s).expect("catalogue parses")
    }

    #[test]
    fn accept_language_picks_the_best_supported_tag() {
        assert_eq!(
            Lang::from_accept_language("ru-RU,ru;q=0.9,en;q=0.8"),
            Lang::Ru
        );
        assert_eq!(
            Lang::from_accept_language("de-DE,en;q=0.5,ru;q=0.7"),
            Lang::Ru
        );
        assert_eq!(Lang::from_accept_language("en-GB,ru;q=0.3"), Lang::En);
        assert_eq!(Lang::from_accept_language("de"), Lang::En);
        assert_eq!(Lang::from_accept_language(""), Lang::En);
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(tf(Lang::En, "records.count", &[("n", "12")]), "12 records");
    }
}
