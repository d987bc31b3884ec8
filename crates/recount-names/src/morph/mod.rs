//! Name morphology on skeletons: particles (уулу, кызы, oʻgʻli, тегин), Russian patronymic and
//! surname endings, Kazakh joined -ұлы/-қызы, Tajik -зода/-зод, and the stems and father-name
//! roots they reduce to. Also the honorifics that are not part of a name.

use recount_types::Sex;
use serde::Serialize;

/// A separate particle that makes the token before it a father's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Particle {
    /// "son of": Kyrgyz уулу, Kazakh ұлы, Uzbek oʻgʻli (угли, оглы), Azerbaijani oğlu.
    Son,
    /// "daughter of": Kyrgyz/Kazakh кызы/қызы, Uzbek qizi (кизи), Turkmen gyzy.
    Daughter,
    /// "descendant of": Kyrgyz тегин/теги (2025 law).
    Descendant,
}

impl Particle {
    pub fn sex(self) -> Option<Sex> {
        match self {
            Particle::Son => Some(Sex::Male),
            Particle::Daughter => Some(Sex::Female),
            Particle::Descendant => None,
        }
    }
}

/// The particle a token's skeleton spells, if any.
pub(crate) fn particle(skel: &str) -> Option<Particle> {
    Some(match skel {
        "ulu" | "uli" | "ugli" | "ogli" | "oglu" => Particle::Son,
        "kizi" | "gizi" => Particle::Daughter,
        "tegin" | "tegi" => Particle::Descendant,
        _ => return None,
    })
}

/// Honorifics and titles that are written beside a name but are not part of it.
pub(crate) fn is_title(skel: &str) -> bool {
    matches!(
        skel,
        "mr" | "mrs"
            | "ms"
            | "miss"
            | "dr"
            | "prof"
            | "haji"
            | "hoji"
            | "haj"
            | "mulo"
            | "mula"
            | "domla"
            | "ustoz"
            | "gospodin"
            | "gospoja"
            | "grajdanin"
            | "grajdanka"
            | "gr"
            | "gn"
            | "gja"
            | "tov"
            | "tovarish"
    )
}

/// How a token carries a father's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PatronymicForm {
    /// Russian -ович/-евич/-ич (male) or -овна/-евна/-ична (female).
    Russian,
    /// Kazakh -ұлы/-қызы joined to the father's name (Нұрланұлы, Nurlankyzy).
    Joined,
    /// A father's name followed by a separate particle (Асан уулу, Bahodir oʻgʻli).
    Particle(Particle),
    /// A father's name given in a patronymic field with no ending or particle.
    Plain,
}

const RUSSIAN_PATRONYMIC: [(&str, Sex); 7] = [
    ("ovich", Sex::Male),
    ("evich", Sex::Male),
    ("ovna", Sex::Female),
    ("evna", Sex::Female),
    ("inichna", Sex::Female),
    ("ichna", Sex::Female),
    ("ich", Sex::Male),
];

/// A Russian patronymic ending on a skeleton: (ending, sex). `-ich` alone only on longer tokens
/// (Ильич, Кузьмич), never on a short given name.
pub(crate) fn russian_patronymic(skel: &str) -> Option<(&'static str, Sex)> {
    for (end, sex) in RUSSIAN_PATRONYMIC {
        if skel.len() >= end.len() + 3 && skel.ends_with(end) {
            if end == "ich" && skel.len() < 6 {
                return None;
            }
            return Some((end, sex));
        }
    }
    None
}

/// A Kazakh joined patronymic on a skeleton (Нурланулы → nurlanuli): (ending, sex).
pub(crate) fn joined_patronymic(skel: &str) -> Option<(&'static str, Sex)> {
    for (end, sex) in [
        ("uli", Sex::Male),
        ("ulu", Sex::Male),
        ("kizi", Sex::Female),
    ] {
        if skel.len() >= end.len() + 4 && skel.ends_with(end) {
            return Some((end, sex));
        }
    }
    None
}

/// Surname endings, longest first, with the sex they mark where they mark one.
const SURNAME_ENDINGS: [(&str, Option<Sex>); 15] = [
    ("skaia", Some(Sex::Female)),
    ("skii", Some(Sex::Male)),
    ("ski", Some(Sex::Male)),
    ("zoda", None),
    ("zade", None),
    ("enko", None),
    ("ova", Some(Sex::Female)),
    ("eva", Some(Sex::Female)),
    ("ina", Some(Sex::Female)),
    ("aia", Some(Sex::Female)),
    ("zod", None),
    ("ov", Some(Sex::Male)),
    ("ev", Some(Sex::Male)),
    ("in", Some(Sex::Male)),
    ("ian", None),
];

/// A surname ending on a skeleton: (ending, sex it marks). `strong` endings (-ов, -ева, -зода,
/// -ский) mark a surname on their own; the weak ones (-ин, -ина, -зод, -ий) only when the token is
/// not a known given name.
pub(crate) fn surname_ending(skel: &str) -> Option<(&'static str, Option<Sex>, bool)> {
    for (end, sex) in SURNAME_ENDINGS {
        if skel.len() >= end.len() + 3 && skel.ends_with(end) {
            if end == "in" && skel.ends_with("din") {
                // Nuriddin, Jaloliddin: the Arabic -ud-din of given names.
                return None;
            }
            let strong = matches!(
                end,
                "ov" | "ev" | "ova" | "eva" | "zoda" | "zade" | "skii" | "ski" | "skaia" | "enko"
            );
            return Some((end, sex, strong));
        }
    }
    None
}

/// The stem of a family-name token: its skeleton without patronymic, surname or joined-particle
/// endings, keeping at least three letters. Asanov, Asanova, Asan, Асанович and Asanuly all stem
/// to `asan`; Rahmonov and Rahmonzoda to `rahmon`. Never applied to given names.
pub(crate) fn stem(skel: &str) -> &str {
    if let Some((end, _)) = russian_patronymic(skel) {
        return &skel[..skel.len() - end.len()];
    }
    if let Some((end, _)) = joined_patronymic(skel) {
        return &skel[..skel.len() - end.len()];
    }
    if let Some((end, _, _)) = surname_ending(skel) {
        return &skel[..skel.len() - end.len()];
    }
    // Tajik -i (Rahmoni) on a long token.
    if skel.len() >= 6 && skel.ends_with('i') {
        return &skel[..skel.len() - 1];
    }
    skel
}

#[cfg(test)]
mod tests;
