//! Comparing two prepared names role by role, with order-independent alignment.
//!
//! Each aligned pair of parts gets the first level that holds, strongest first; the name's level
//! is the weakest of its aligned given name and family name (a missing role on one side is not a
//! disagreement). A patronymic lowers the level only when both names have one that does not stand
//! in the surname's place: a missing patronymic is no disagreement (foreign passports often have
//! none), but Иван Иванович and Иван Петрович Ivanov are two men.

use crate::alias;
use crate::distance::{self, EDIT, Letters};
use crate::name::{NamePart, PreparedName};
use serde::{Serialize, Serializer};

/// How alike two names are, strongest first. Linkage estimates how much each level is worth.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NameLevel {
    /// The same letters (after Unicode normalisation, case and homoglyph repair).
    Exact,
    /// The same transliteration to Latin (Бекболат = Bekbolat).
    Transliteration,
    /// The same skeleton: another transliteration system (Жумабаева = Jumabayeva = Zhumabaeva).
    Skeleton,
    /// One alias group (Магомед ~ Muhammad) or one surname stem / father-name root (Асанов ~ Асан
    /// уулу ~ Асанова, Раҳмонзода ~ Рахмонов).
    AliasOrMorphology,
    /// A small confusable-aware edit or Jaro–Winkler ≥ 0.92 on skeletons, past the guards.
    FuzzyHigh,
    /// The same consonants (vowel drift: Юлдашев ~ Yoʻldoshev), or a compound extension
    /// (Nurlan ~ Nurlanbek, Aziz ~ Azizbek).
    PhoneticOrCompound,
    /// Jaro–Winkler ≥ 0.80 on skeletons.
    FuzzyLow,
    /// None of the above.
    Different,
    /// One side has no name (or no part of this role).
    Missing,
}

impl NameLevel {
    /// Every level, strongest first.
    pub const ALL: [NameLevel; 9] = [
        NameLevel::Exact,
        NameLevel::Transliteration,
        NameLevel::Skeleton,
        NameLevel::AliasOrMorphology,
        NameLevel::FuzzyHigh,
        NameLevel::PhoneticOrCompound,
        NameLevel::FuzzyLow,
        NameLevel::Different,
        NameLevel::Missing,
    ];

    /// The level's name in files and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            NameLevel::Exact => "exact",
            NameLevel::Transliteration => "transliteration",
            NameLevel::Skeleton => "skeleton",
            NameLevel::AliasOrMorphology => "alias_or_morphology",
            NameLevel::FuzzyHigh => "fuzzy_high",
            NameLevel::PhoneticOrCompound => "phonetic_or_compound",
            NameLevel::FuzzyLow => "fuzzy_low",
            NameLevel::Different => "different",
            NameLevel::Missing => "missing",
        }
    }

    /// The level named `s` (as written by [`NameLevel::as_str`]).
    pub fn parse(s: &str) -> Option<NameLevel> {
        NameLevel::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

impl std::fmt::Display for NameLevel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for NameLevel {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// The slot a pair of parts was aligned in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Slot {
    Given,
    /// The surname, or the father's name standing in its place.
    Family,
    Patronymic,
}

/// One aligned pair of parts (or a part with no counterpart) and why it got its level.
#[derive(Debug, Clone, Serialize)]
pub struct AlignedPart {
    pub slot: Slot,
    /// The part of the first name, as written.
    pub a: Option<String>,
    /// The part of the second name, as written.
    pub b: Option<String>,
    pub level: NameLevel,
    pub reason: String,
}

/// The full comparison of two names: the level, whether the written order was reversed, the
/// level of each role, and every aligned pair with its reason.
#[derive(Debug, Clone, Serialize)]
pub struct NameComparison {
    pub level: NameLevel,
    /// The aligned given name and family name stand in opposite orders in the two names
    /// (`Asanov Bekbolat` vs `Bekbolat Asanov`), or the parser's roles had to be swapped.
    pub reversed: bool,
    pub given: NameLevel,
    pub family: NameLevel,
    pub patronymic: NameLevel,
    pub alignment: Vec<AlignedPart>,
}

/// Why a pair of parts got its level (rendered into words only for explanations).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Why {
    Exact,
    Latin,
    Skeleton,
    Alias(u16),
    Stem,
    RootAcrossRoles,
    GenderPair,
    JaroWinkler(f64),
    Confusable(u16),
    Consonants,
    Compound,
    CompoundStart,
    OneLetterPrefix,
    Unlike(f64),
}

/// Known compound elements added to a name (Nurlan+bek, Firuz+jon, Muhammad+ali), as skeletons.
const COMPOUND_ENDS: [&str; 14] = [
    "bek", "beg", "jon", "jan", "hon", "han", "boi", "bai", "ali", "gul", "nisa", "sho", "bi", "oi",
];

/// Shared compound starts that make different names look alike (Muhammadali/Muhammadamin,
/// Abdulaziz/Abdumalik, Nurlan/Nurbek), as skeletons, longest first.
const COMPOUND_STARTS: [&str; 13] = [
    "muhamad", "mohamad", "magomed", "mamad", "abdu", "nur", "gul", "bek", "ali", "mir", "said",
    "hoja", "ai",
];

fn compound_start(x: &[u8], y: &[u8]) -> Option<usize> {
    COMPOUND_STARTS
        .iter()
        .map(|p| p.as_bytes())
        .find(|p| {
            x.len() > p.len() + 1 && y.len() > p.len() + 1 && x.starts_with(p) && y.starts_with(p)
        })
        .map(<[u8]>::len)
}

/// Whether `x` and `y` differ only by one letter put in front (Amir/Damir, Asanov/Hasanov).
fn one_letter_prefix(x: &[u8], y: &[u8]) -> bool {
    (x.len() + 1 == y.len() && &y[1..] == x) || (y.len() + 1 == x.len() && &x[1..] == y)
}

/// Whether the given names `x` and `y` are a masculine/feminine pair (Valentin/Valentina).
fn gender_pair(a: &NamePart, b: &NamePart) -> bool {
    let (x, y) = (a.skeleton.as_bytes(), b.skeleton.as_bytes());
    let plus_a =
        |s: &[u8], l: &[u8]| l.len() == s.len() + 1 && l.starts_with(s) && l[s.len()] == b'a';
    if plus_a(x, y) || plus_a(y, x) {
        return true;
    }
    match (
        a.given_name.and_then(|g| g.sex),
        b.given_name.and_then(|g| g.sex),
    ) {
        (Some(s), Some(t)) => s != t,
        _ => false,
    }
}

/// The fuzzy levels of two skeletons (or stems), with the guards.
fn fuzzy(x: &str, y: &str, lx: &Letters, ly: &Letters, cx: &str, cy: &str) -> (NameLevel, Why) {
    let (xb, yb) = (x.as_bytes(), y.as_bytes());
    let min_len = xb.len().min(yb.len());
    let (short, long) = if xb.len() <= yb.len() {
        (xb, yb)
    } else {
        (yb, xb)
    };
    let extension = short.len() >= 3
        && long.len() >= short.len() + 2
        && long[0] == short[0]
        && long.starts_with(short);
    let consonants_equal = || !cx.is_empty() && cx.len() == cy.len() && cx == cy;
    // The hot path for unlike names: too few letters in common for any fuzzy level. Names that
    // start alike are usually alike: their Jaro–Winkler is computed straight away.
    if !extension && xb.first() != yb.first() {
        let bound = distance::jaro_winkler_bound(xb, yb, lx, ly);
        if bound < 0.80 && !consonants_equal() {
            return (NameLevel::Different, Why::Unlike(bound));
        }
    }
    let consonants_equal = consonants_equal();
    let jw = distance::jaro_winkler(xb, yb);
    // A compound extension (Nurlan ~ Nurlanbek) is its own, weaker relation, never fuzzy_high.
    if extension {
        let ext = &long[short.len()..];
        if COMPOUND_ENDS.iter().any(|e| e.as_bytes() == ext) {
            return (NameLevel::PhoneticOrCompound, Why::Compound);
        }
        return if jw >= 0.80 {
            (NameLevel::FuzzyLow, Why::JaroWinkler(jw))
        } else {
            (NameLevel::Different, Why::Unlike(jw))
        };
    }
    let one_prefix = one_letter_prefix(xb, yb);
    // One or two cheap edits keep Jaro–Winkler above 0.75; below it the edit distance cannot
    // reach the fuzzy_high bounds, so it is not computed.
    // The largest edit distance that could still earn fuzzy_high at this length.
    let limit = match min_len {
        0..=3 => 0,
        4 | 5 => 7,
        6..=8 => EDIT,
        _ => EDIT + 5,
    };
    let cd = if !one_prefix
        && (0.75..0.92).contains(&jw)
        && limit > 0
        // A two-letter OCR confusion (rn/m) shifts the length by one for the least cost.
        && xb.len().abs_diff(yb.len()) * usize::from(distance::OCR) <= usize::from(limit)
    {
        distance::confusable_distance_within(xb, yb, limit)
    } else {
        u16::MAX
    };
    let mut high = !one_prefix
        && (jw >= 0.92
            || (min_len >= 4 && cd <= 7)
            || (min_len >= 6 && cd <= EDIT)
            || (min_len >= 9 && cd <= EDIT + 5));
    let mut why = if jw >= 0.92 {
        Why::JaroWinkler(jw)
    } else {
        Why::Confusable(cd)
    };
    if high && let Some(p) = compound_start(xb, yb) {
        // Shared Muhammad-/Abdu-/Nur- starts: only the rest of the names decides.
        let (rx, ry) = (&xb[p..], &yb[p..]);
        let rest = distance::confusable_distance(rx, ry);
        if !(rx.len().min(ry.len()) >= 3 && rest <= EDIT) {
            high = false;
            why = Why::CompoundStart;
        }
    }
    if high {
        return (NameLevel::FuzzyHigh, why);
    }
    if consonants_equal && !one_prefix && why != Why::CompoundStart {
        return (NameLevel::PhoneticOrCompound, Why::Consonants);
    }
    if jw >= 0.80 {
        let why = match why {
            Why::CompoundStart => Why::CompoundStart,
            _ if one_prefix => Why::OneLetterPrefix,
            _ => Why::JaroWinkler(jw),
        };
        return (NameLevel::FuzzyLow, why);
    }
    (NameLevel::Different, Why::Unlike(jw))
}

/// The level of two parts compared as given names.
fn given_level(a: &NamePart, b: &NamePart) -> (NameLevel, Why) {
    if a.hashes[0] == b.hashes[0] && a.exact == b.exact {
        return (NameLevel::Exact, Why::Exact);
    }
    if a.hashes[1] == b.hashes[1] && a.latin == b.latin {
        return (NameLevel::Transliteration, Why::Latin);
    }
    if a.hashes[2] == b.hashes[2] && a.skeleton == b.skeleton {
        return (NameLevel::Skeleton, Why::Skeleton);
    }
    if gender_pair(a, b) {
        return (NameLevel::Different, Why::GenderPair);
    }
    if let (Some(ga), Some(gb)) = (a.given_name, b.given_name)
        && ga.group == gb.group
    {
        return (NameLevel::AliasOrMorphology, Why::Alias(ga.group));
    }
    fuzzy(
        &a.skeleton,
        &b.skeleton,
        &a.letters,
        &b.letters,
        &a.consonants,
        &b.consonants,
    )
}

/// The level of two parts compared as family names (or fathers' names): stems count.
fn family_level(a: &NamePart, b: &NamePart) -> (NameLevel, Why) {
    if a.hashes[0] == b.hashes[0] && a.exact == b.exact {
        return (NameLevel::Exact, Why::Exact);
    }
    if a.hashes[1] == b.hashes[1] && a.latin == b.latin {
        return (NameLevel::Transliteration, Why::Latin);
    }
    if a.hashes[2] == b.hashes[2] && a.skeleton == b.skeleton {
        return (NameLevel::Skeleton, Why::Skeleton);
    }
    if a.hashes[3] == b.hashes[3] && a.stem == b.stem {
        return (NameLevel::AliasOrMorphology, Why::Stem);
    }
    if let (Some(ga), Some(gb)) = (a.stem_name, b.stem_name)
        && ga.group == gb.group
        && ga.is_alias_group
    {
        return (NameLevel::AliasOrMorphology, Why::Alias(ga.group));
    }
    // Stems first (Asanova ~ Asamov differ by more than their stems do), then whole skeletons
    // (a short stem hides how much of the name agrees).
    let by_stem = fuzzy(
        &a.stem,
        &b.stem,
        &a.stem_letters,
        &b.stem_letters,
        &a.stem_consonants,
        &b.stem_consonants,
    );
    let far = matches!(by_stem.1, Why::Unlike(x) if x < 0.70);
    if by_stem.0 <= NameLevel::FuzzyHigh
        || far
        || (a.hashes[3] == a.hashes[2] && b.hashes[3] == b.hashes[2])
    {
        return by_stem;
    }
    let by_skeleton = fuzzy(
        &a.skeleton,
        &b.skeleton,
        &a.letters,
        &b.letters,
        &a.consonants,
        &b.consonants,
    );
    if by_skeleton.0 < by_stem.0 {
        by_skeleton
    } else {
        by_stem
    }
}

#[derive(Debug, Clone, Copy)]
struct Best {
    level: NameLevel,
    why: Why,
    a: u8,
    b: u8,
}

const NONE: Best = Best {
    level: NameLevel::Missing,
    why: Why::Unlike(0.0),
    a: 0,
    b: 0,
};

fn best_of(
    an: &PreparedName,
    ai: &[u8],
    bn: &PreparedName,
    bi: &[u8],
    f: fn(&NamePart, &NamePart) -> (NameLevel, Why),
) -> Best {
    let mut best = NONE;
    for &i in ai {
        for &j in bi {
            let (level, why) = f(an.part(i), bn.part(j));
            if level < best.level {
                best = Best {
                    level,
                    why,
                    a: i,
                    b: j,
                };
                if level == NameLevel::Exact {
                    return best;
                }
            }
        }
    }
    best
}

/// The family slot: surname against surname (or the father's name standing for it), and a
/// father-name root against the other side's patronymic root (capped at alias_or_morphology).
fn family_slot(an: &PreparedName, af: &[u8], bn: &PreparedName, bf: &[u8]) -> Best {
    let mut best = best_of(an, af, bn, bf, family_level);
    if best.level <= NameLevel::AliasOrMorphology {
        return best;
    }
    for (x, xf, y, yp, swap) in [
        (an, af, bn, &bn.patronymic, false),
        (bn, bf, an, &an.patronymic, true),
    ] {
        let cross = best_of(x, xf, y, yp, family_level);
        if cross.level == NameLevel::Missing {
            continue;
        }
        let (level, why) = if cross.level <= NameLevel::AliasOrMorphology {
            (NameLevel::AliasOrMorphology, Why::RootAcrossRoles)
        } else {
            (cross.level, cross.why)
        };
        if level < best.level {
            best = if swap {
                Best {
                    level,
                    why,
                    a: cross.b,
                    b: cross.a,
                }
            } else {
                Best {
                    level,
                    why,
                    ..cross
                }
            };
        }
    }
    best
}

/// The weakest of two role levels, a missing role being no disagreement.
fn combine(g: NameLevel, f: NameLevel) -> NameLevel {
    match (g, f) {
        (NameLevel::Missing, x) | (x, NameLevel::Missing) => x,
        (x, y) => x.max(y),
    }
}

struct Aligned {
    level: NameLevel,
    /// The patronymic level when both names have one (not standing for a surname).
    patronymic: Best,
    crossed: bool,
    given: Best,
    family: Best,
}

/// Aligns the two names. With `EXPLAIN` false (the hot path) it stops as soon as the level is
/// known: a different given name makes the name different whatever the surname says, unless the
/// roles were guessed and crossing them may still align.
fn align<const EXPLAIN: bool>(a: &PreparedName, b: &PreparedName) -> Aligned {
    let given = best_of(a, &a.given, b, &b.given, given_level);
    if !EXPLAIN && given.level == NameLevel::Different && !(a.guessed_roles || b.guessed_roles) {
        return Aligned {
            level: NameLevel::Different,
            patronymic: NONE,
            crossed: false,
            given,
            family: NONE,
        };
    }
    let family = family_slot(a, &a.family, b, &b.family);
    // A missing patronymic is no disagreement; a different one is (brothers share a surname,
    // two Ivan Ivanovs with different fathers are two men).
    let patronymic = if a.patronymic.is_empty() || b.patronymic.is_empty() {
        NONE
    } else {
        best_of(a, &a.patronymic, b, &b.patronymic, family_level)
    };
    let straight = combine(combine(given.level, family.level), patronymic.level);
    let mut out = Aligned {
        level: straight,
        patronymic,
        crossed: false,
        given,
        family,
    };
    if straight <= NameLevel::Skeleton && straight != NameLevel::Missing {
        return out;
    }
    // The parser guessed some roles from position; try crossing them. The side whose roles were
    // guessed is the one crossed, so the other side's roles choose how each pair is judged (a
    // given name by the given-name rules). When both sides guessed, both crossings are tried:
    // the result must not depend on which name came first.
    let crossings = [
        (a.guessed_roles).then(|| {
            (
                best_of(a, &a.family, b, &b.given, given_level),
                best_of(a, &a.given, b, &b.family, family_level),
            )
        }),
        (b.guessed_roles).then(|| {
            (
                best_of(a, &a.given, b, &b.family, given_level),
                best_of(a, &a.family, b, &b.given, family_level),
            )
        }),
    ];
    for (given_x, family_x) in crossings.into_iter().flatten() {
        let crossed = combine(combine(given_x.level, family_x.level), patronymic.level);
        if crossed < out.level
            && given_x.level != NameLevel::Missing
            && family_x.level != NameLevel::Missing
        {
            out = Aligned {
                level: crossed,
                patronymic,
                crossed: true,
                given: given_x,
                family: family_x,
            };
        }
    }
    if out.level == NameLevel::Missing {
        // Nothing in common by role (only patronymics, or a given name against a surname).
        let father = best_of(a, &a.father, b, &b.father, family_level);
        if father.level != NameLevel::Missing {
            out.level = father.level;
        } else if !a.is_empty() && !b.is_empty() {
            out.level = NameLevel::Different;
        }
    }
    out
}

/// The level of two prepared names: the hot path of linkage, no allocation.
///
/// ```
/// use recount_names::{compare_level, NameLevel, PreparedName};
/// let a = PreparedName::parse("Асанов Бекболат Жумабекович");
/// let b = PreparedName::parse("Bekbolat Asanov");
/// assert_eq!(compare_level(&a, &b), NameLevel::Transliteration);
/// ```
pub fn compare_level(a: &PreparedName, b: &PreparedName) -> NameLevel {
    if a.is_empty() || b.is_empty() {
        return NameLevel::Missing;
    }
    align::<false>(a, b).level
}

/// Compares two prepared names and says why: the level, the per-role levels, whether the order
/// was reversed, and every aligned pair with its reason.
pub fn compare(a: &PreparedName, b: &PreparedName) -> NameComparison {
    if a.is_empty() || b.is_empty() {
        return NameComparison {
            level: NameLevel::Missing,
            reversed: false,
            given: NameLevel::Missing,
            family: NameLevel::Missing,
            patronymic: NameLevel::Missing,
            alignment: Vec::new(),
        };
    }
    let al = align::<true>(a, b);
    let father = if al.patronymic.level == NameLevel::Missing {
        best_of(a, &a.father, b, &b.father, family_level)
    } else {
        al.patronymic
    };
    let mut alignment = Vec::new();
    let mut used_a = Vec::new();
    let mut used_b = Vec::new();
    for (slot, best) in [
        (Slot::Given, al.given),
        (Slot::Family, al.family),
        (Slot::Patronymic, father),
    ] {
        if best.level == NameLevel::Missing {
            continue;
        }
        let (pa, pb) = (a.part(best.a), b.part(best.b));
        alignment.push(AlignedPart {
            slot,
            a: Some(pa.text.clone()),
            b: Some(pb.text.clone()),
            level: best.level,
            reason: reason(best.why, pa, pb),
        });
        used_a.push(best.a);
        used_b.push(best.b);
    }
    let unmatched = |n: &PreparedName, used: &[u8], side_a: bool, out: &mut Vec<AlignedPart>| {
        for idx in n.given.iter().chain(&n.family).chain(&n.father) {
            if used.contains(idx)
                || out.iter().any(|p| {
                    let t = &n.part(*idx).text;
                    (if side_a { p.a.as_ref() } else { p.b.as_ref() }) == Some(t)
                        && p.level == NameLevel::Missing
                })
            {
                continue;
            }
            let part = n.part(*idx);
            let slot = if n.given.contains(idx) {
                Slot::Given
            } else if n.family.contains(idx) {
                Slot::Family
            } else {
                Slot::Patronymic
            };
            let text = Some(part.text.clone());
            out.push(AlignedPart {
                slot,
                a: if side_a { text.clone() } else { None },
                b: if side_a { None } else { text },
                level: NameLevel::Missing,
                reason: "no counterpart on the other side (not a disagreement)".to_string(),
            });
        }
    };
    unmatched(a, &used_a, true, &mut alignment);
    unmatched(b, &used_b, false, &mut alignment);
    let reversed = al.crossed
        || (al.given.level != NameLevel::Missing
            && al.family.level != NameLevel::Missing
            && (al.given.a < al.family.a) != (al.given.b < al.family.b));
    let (given, family) = if al.level == NameLevel::Missing {
        (NameLevel::Missing, NameLevel::Missing)
    } else {
        (al.given.level, al.family.level)
    };
    NameComparison {
        level: al.level,
        reversed,
        given,
        family,
        patronymic: father.level,
        alignment,
    }
}

fn reason(why: Why, a: &NamePart, b: &NamePart) -> String {
    match why {
        Why::Exact => format!("the same letters ({})", a.exact),
        Why::Latin => format!("the same transliteration ({})", a.latin),
        Why::Skeleton => format!(
            "the same skeleton ({}; transliterations {} and {})",
            a.skeleton, a.latin, b.latin
        ),
        Why::Alias(g) => format!(
            "one alias group ({}: {} ~ {})",
            alias::head(g),
            a.skeleton,
            b.skeleton
        ),
        Why::Stem => format!(
            "the same stem ({}: {} ~ {})",
            a.stem, a.skeleton, b.skeleton
        ),
        Why::RootAcrossRoles => format!(
            "a father-name root matches the other side's patronymic root ({} ~ {})",
            a.stem, b.stem
        ),
        Why::GenderPair => format!(
            "a masculine/feminine pair of given names ({} / {})",
            a.skeleton, b.skeleton
        ),
        Why::JaroWinkler(jw) => format!(
            "Jaro-Winkler {jw:.3} on skeletons ({} / {})",
            a.stem, b.stem
        ),
        Why::Confusable(cd) => format!(
            "confusable-aware edit distance {:.1} on skeletons ({} / {})",
            f64::from(cd) / f64::from(EDIT),
            a.stem,
            b.stem
        ),
        Why::Consonants => format!("the same consonants ({}), vowels differ", a.stem_consonants),
        Why::Compound => format!("a compound extension ({} / {})", a.stem, b.stem),
        Why::CompoundStart => {
            format!(
                "only a shared compound start is alike ({} / {}): capped below fuzzy_high",
                a.stem, b.stem
            )
        }
        Why::OneLetterPrefix => {
            format!(
                "one letter put in front ({} / {}): capped below fuzzy_high",
                a.stem, b.stem
            )
        }
        Why::Unlike(jw) => format!(
            "unlike (Jaro-Winkler {jw:.3} on skeletons {} / {})",
            a.stem, b.stem
        ),
    }
}

#[cfg(test)]
mod tests;
