//! The link crate's view of person names: a thin adapter over the name engine
//! (`recount-names`). Each distinct name is prepared once; linkage sees its per-part blocking
//! keys, its term-frequency keys, the sex its morphology implies, and a comparison level.

use recount_names::{NameLevel, PreparedName, Role, compare_level};
use recount_types::Sex;

pub use recount_names::latin_skeleton;

/// The comparison levels of names, best first (the name engine's levels minus "missing", which
/// is the null level of every comparison).
///
/// The last four split the name engine's "different": `part_subset` where every part of one
/// name is in the other (a given name only, or an initial for a surname), `one_part` where the
/// names share a part but also conflict (a former surname), `different` where they share none.
/// `one_part_other_family_form` is `one_part` where one name has a surname and the other a
/// father's name with its particle in the surname's place (Сыдыков Бектур, Бектур Бакай уулу):
/// many Kyrgyz, Kazakh and Uzbek men are known both ways, so the family parts differing says
/// less than two surnames differing.
pub const NAME_LEVELS: [&str; 11] = [
    "exact",
    "transliteration",
    "skeleton",
    "alias_or_morphology",
    "fuzzy_high",
    "phonetic_or_compound",
    "fuzzy_low",
    "part_subset",
    "one_part_other_family_form",
    "one_part",
    "different",
];

/// What stands in a name's surname place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FamilyForm {
    /// A surname (Сыдыков, Asanova).
    Surname,
    /// No surname, a father's name with a particle or a joined ending (Бакай уулу, Нұрланұлы).
    FathersName,
    /// Neither.
    Missing,
}

/// One distinct name, prepared once.
#[derive(Debug, Clone)]
pub struct NameFeatures {
    prepared: PreparedName,
    /// Per core part (given names, surname, father's name), one blocking key: `a:` its alias
    /// group, or `t:` its stem as a family name's (the same whatever role the part was given).
    pub part_keys: Vec<String>,
    /// Per core part, the consonants of that stem (`c:sbr`) where it has three or more.
    pub consonant_keys: Vec<String>,
    /// The Latin transliteration of the part each key came from (same order as `part_keys`),
    /// for telling a misspelt shared part from a different one.
    part_latin: Vec<String>,
    /// The first three letters of the skeleton of the part each key came from (same order as
    /// `part_keys`): with another part's key, a blocking key that survives a typo later in
    /// the part (Влаислав Копылов meets Владислав Копылов).
    pub part_prefixes: Vec<String>,
    pub given_key: Option<String>,
    pub surname_key: Option<String>,
    pub sex: Option<Sex>,
    /// The name gives a given name or a surname but not both (an initial does not count):
    /// agreeing with it says less than agreeing with a full name.
    pub partial: bool,
    family_form: FamilyForm,
}

/// The shortest stem whose one-letter-out forms are blocking keys: shorter ones (`ivan` gives
/// `van`, `ian`) would meet too many other names. A stem one letter shorter still gives
/// itself, so that it meets a longer stem with one letter more.
pub(crate) const NEIGHBOUR_MIN_LETTERS: usize = 5;

/// The level index of `part_subset`.
pub(crate) const PART_SUBSET: u8 = 7;

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
        // stem as a family name's (Asanov = Asanova = Asan uulu; Эркин gives `erk` as a given
        // name too); and that stem's consonants.
        let mut part_keys: Vec<String> = Vec::new();
        let mut part_latin: Vec<String> = Vec::new();
        let mut part_prefixes: Vec<String> = Vec::new();
        let mut consonant_keys: Vec<String> = Vec::new();
        for p in prepared.parts() {
            if !matches!(p.role, Role::Given | Role::Surname | Role::Patronymic)
                || p.stem.is_empty()
            {
                continue;
            }
            // The stem as a family name's, whatever the part's role: a role guessed from a
            // single `name` string (Эркин Осмонов read surname first) must not change the keys.
            let key = match p.alias {
                Some(a) => format!("a:{a}"),
                None => format!("t:{}", p.role_free_stem()),
            };
            if !part_keys.contains(&key) {
                part_keys.push(key);
                part_latin.push(p.latin.clone());
                part_prefixes.push(p.skeleton.chars().take(3).collect());
            }
            let consonants = p.role_free_stem_consonants();
            if !consonants.is_empty() {
                let key = format!("c:{consonants}");
                if !consonant_keys.contains(&key) {
                    consonant_keys.push(key);
                }
            }
        }
        // Held per distinct name for the whole run: no spare room.
        for v in [
            &mut part_keys,
            &mut part_latin,
            &mut part_prefixes,
            &mut consonant_keys,
        ] {
            v.shrink_to_fit();
        }
        // An initial ("Nurlan I.") says no more than a missing part.
        let known = |k: Option<&str>| k.is_some_and(|k| k.chars().count() > 1);
        let partial = !known(prepared.given_key()) || !known(prepared.surname_key());
        let family_form = match prepared.family_part().map(|p| p.role) {
            Some(Role::Surname) => FamilyForm::Surname,
            Some(_) => FamilyForm::FathersName,
            None => FamilyForm::Missing,
        };
        Some(NameFeatures {
            partial,
            family_form,
            given_key: prepared.given_key().map(str::to_owned),
            surname_key: prepared.surname_key().map(str::to_owned),
            sex: prepared.sex(),
            part_keys,
            consonant_keys,
            part_latin,
            part_prefixes,
            prepared,
        })
    }

    /// The comparison level index (0 = exact … 7 = parts of one in the other, 8 = one part in
    /// common beside a surname and a father's name, 9 = one part in common, 10 = different).
    pub fn compare(&self, other: &NameFeatures) -> u8 {
        let level = compare_level(&self.prepared, &other.prepared);
        // A given name alone against a full name with that given name: the engine calls it
        // exact (a missing part is no disagreement), but only one part agreed. Counting it as
        // exact would make an exact full name look common among non-matches.
        if (self.partial || other.partial)
            && matches!(
                level,
                NameLevel::Exact | NameLevel::Transliteration | NameLevel::Skeleton
            )
        {
            return PART_SUBSET;
        }
        match level {
            NameLevel::Exact => 0,
            NameLevel::Transliteration => 1,
            NameLevel::Skeleton => 2,
            NameLevel::AliasOrMorphology => 3,
            NameLevel::FuzzyHigh => 4,
            NameLevel::PhoneticOrCompound => 5,
            NameLevel::FuzzyLow => 6,
            // Missing cannot happen for two non-empty names; count it as different.
            _ => {
                let (short, long) = if self.part_keys.len() <= other.part_keys.len() {
                    (self, other)
                } else {
                    (other, self)
                };
                let found = (0..short.part_keys.len())
                    .filter(|&i| (0..long.part_keys.len()).any(|j| short.part_agrees(i, long, j)))
                    .count();
                let forms = (self.family_form, other.family_form);
                if found == 0 {
                    10
                } else if found == short.part_keys.len() {
                    7
                } else if matches!(
                    forms,
                    (FamilyForm::Surname, FamilyForm::FathersName)
                        | (FamilyForm::FathersName, FamilyForm::Surname)
                ) {
                    8
                } else {
                    9
                }
            }
        }
    }
}

impl NameFeatures {
    /// Calls `emit` with each given name's stem (as a family name's, see `part_keys`) and,
    /// where the stem has at least [`NEIGHBOUR_MIN_LETTERS`] letters, the stem of each form of
    /// it with one letter left out ([`recount_names::NamePart::for_each_one_letter_out`]). Two spellings one
    /// typo apart share one of these (a letter dropped, added, changed or two swapped: Оурбек
    /// and Омурбек share `urbek`, Жоомаот and Жоомарт `jomat`): blocking keys for a given name
    /// alone, which has no other part to meet by. (Surnames and fathers' names too made
    /// 100,000 duplicated records' blocking keys take a third more memory.)
    pub(crate) fn for_each_given_neighbour(&self, emit: &mut dyn FnMut(&str)) {
        for p in self.prepared.parts() {
            if p.role != Role::Given {
                continue;
            }
            let stem = p.role_free_stem();
            let letters = stem.chars().count();
            if letters + 1 < NEIGHBOUR_MIN_LETTERS {
                continue;
            }
            emit(stem);
            if letters >= NEIGHBOUR_MIN_LETTERS {
                p.for_each_one_letter_out(&mut |form| {
                    if form.len() + 1 >= NEIGHBOUR_MIN_LETTERS {
                        emit(form)
                    }
                });
            }
        }
    }

    /// Whether part `i` of this name and part `j` of `other` agree: the same key, one an
    /// initial (a one-letter stem) of the other, or a misspelling of the other (transliterations
    /// of four letters or more with Jaro–Winkler similarity at least [`PART_TYPO_JW`]).
    fn part_agrees(&self, i: usize, other: &NameFeatures, j: usize) -> bool {
        let (a, b) = (&self.part_keys[i], &other.part_keys[j]);
        if a == b {
            return true;
        }
        fn value(k: &str) -> &str {
            k.split_once(':').map_or("", |(_, v)| v)
        }
        let (va, vb) = (value(a), value(b));
        let initial = |x: &str, y: &str| x.len() <= 4 && x.chars().count() == 1 && y.starts_with(x);
        if initial(va, vb) || initial(vb, va) {
            return true;
        }
        // An initial against the transliteration too: the skeleton folds `kh` to `h`, but
        // Kholikov and Хамидов are written K. in English.
        let (la, lb) = (&self.part_latin[i], &other.part_latin[j]);
        if initial(la, lb) || initial(lb, la) {
            return true;
        }
        la.len() >= 4 && lb.len() >= 4 && recount_names::jaro_winkler_at_least(la, lb, PART_TYPO_JW)
    }
}

/// The Jaro–Winkler similarity at which two name parts count as one part misspelt.
const PART_TYPO_JW: f64 = 0.9;
