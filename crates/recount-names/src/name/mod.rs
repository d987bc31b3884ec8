//! Parsing a name as written into parts with roles, and the keys of every part, computed once.

use crate::alias::{self, GivenName};
use crate::dm;
use crate::fold::{self, Script};
use crate::morph::{self, PatronymicForm};
use recount_types::Sex;
use serde::Serialize;

/// The role a part plays in the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A given name (first, second or middle given name).
    Given,
    /// A family name (surname).
    Surname,
    /// A father's name: a Russian patronymic (Жумабекович), a Kazakh joined form (Нұрланұлы), or
    /// the name before a particle (Асан in `Асан уулу`). When a name has no surname, its father's
    /// name stands in the surname's place for comparison (as Kyrgyz passports do).
    Patronymic,
    /// A separate particle (уулу, кызы, oʻgʻli, qizi, тегин).
    Particle,
    /// An honorific or title that is not part of the name (Haji, Mullo, Dr, гражданин).
    Title,
    /// No letters (digits, symbols): kept for display, never compared.
    Noise,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Given => "given",
            Role::Surname => "surname",
            Role::Patronymic => "patronymic",
            Role::Particle => "particle",
            Role::Title => "title",
            Role::Noise => "noise",
        }
    }
}

/// The order the name was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NameOrder {
    /// Surname (or father's name standing for it) before the given name: documents, lists, MRZ.
    SurnameFirst,
    /// Given name first: prose, news reports, most Latin renderings.
    GivenFirst,
    /// Only one of the two is present.
    Unknown,
}

/// Why the parser gave a part its role (shown by `recount names explain`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RoleHint {
    /// The role came from a separate field (given / family / patronymic).
    Field,
    /// The part's ending (-ов, -ова, -зода, -ович, -ұлы...) or a following particle.
    Morphology,
    /// The part is a known given name.
    KnownGivenName,
    /// The part's position (MRZ, comma, capitals, or the usual order of a name in prose).
    Position,
    /// A word list (particles, titles) or a lack of letters.
    Lexicon,
}

/// One part of a name with its role and keys.
#[derive(Debug, Clone, Serialize)]
pub struct NamePart {
    /// The part as written (after Unicode NFKC).
    pub text: String,
    pub role: Role,
    pub hint: RoleHint,
    pub script: Script,
    /// How this part carries a father's name, when it is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patronymic: Option<PatronymicForm>,
    /// Lower case, homoglyphs repaired towards the part's script.
    pub exact: String,
    /// The one deterministic Cyrillic→Latin transliteration (ASCII).
    pub latin: String,
    /// The script-independent skeleton: where the transliteration systems meet.
    pub skeleton: String,
    /// The skeleton without surname, patronymic or joined-particle endings (family roles only;
    /// equal to the skeleton for given names, which are never stemmed).
    pub stem: String,
    /// The skeleton without vowels (empty when fewer than three consonants).
    pub consonants: String,
    /// The alias group's head form, when the part is in an alias group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias: Option<&'static str>,
    #[serde(skip)]
    pub(crate) given_name: Option<GivenName>,
    #[serde(skip)]
    pub(crate) stem_name: Option<GivenName>,
    #[serde(skip)]
    pub(crate) stem_consonants: String,
    #[serde(skip)]
    pub(crate) letters: crate::distance::Letters,
    /// Hashes of exact, latin, skeleton and stem: most unequal keys differ here without a
    /// string comparison.
    #[serde(skip)]
    pub(crate) hashes: [u64; 4],
    #[serde(skip)]
    pub(crate) stem_letters: crate::distance::Letters,
    /// Position among the written parts (0-based).
    pub position: usize,
}

impl NamePart {
    /// The stem without vowels or doubled letters (`Sobirov` and `Сабиров` both give `sbr`),
    /// empty when fewer than three consonants remain: a blocking key that survives the vowel
    /// drift between transliteration systems.
    pub fn stem_consonants(&self) -> &str {
        &self.stem_consonants
    }

    /// The stem this part would have as a family name, whatever role it was given: its
    /// skeleton without patronymic, surname or joined-particle endings (a family name's
    /// [`stem`](Self::stem)). Blocking keys built from it do not depend on a guessed role: in
    /// `Эркин Осмонов` the parser may take Эркин (-ин) for the surname, while a record with the
    /// fields filled in calls it the given name; both give `erk` and `osmon`.
    pub fn role_free_stem(&self) -> &str {
        if self.role == Role::Given {
            morph::stem(&self.skeleton)
        } else {
            &self.stem
        }
    }

    /// Calls `emit` with the stem (as [`role_free_stem`](Self::role_free_stem) gives a given
    /// name's) of each form of the part with one letter of its Latin transliteration left out.
    /// The letter goes before folding, so that what is left folds as a name spelt that way
    /// would: `omurbek` less its `m` is `ourbek`, which folds to `urbek`, the stem of Оурбек.
    /// Two spellings one typo apart (a letter dropped, added, changed, or two swapped) share
    /// a form, or one's stem is a form of the other.
    pub fn for_each_one_letter_out(&self, emit: &mut dyn FnMut(&str)) {
        let mut latin = String::with_capacity(self.latin.len());
        let mut skeleton = String::with_capacity(self.latin.len());
        for (at, c) in self.latin.char_indices() {
            latin.clear();
            latin.push_str(&self.latin[..at]);
            latin.push_str(&self.latin[at + c.len_utf8()..]);
            skeleton.clear();
            fold::skeleton(&latin, &mut skeleton);
            emit(morph::stem(&skeleton));
        }
    }

    /// The consonants of [`role_free_stem`](Self::role_free_stem) (empty when fewer than three).
    pub fn role_free_stem_consonants(&self) -> std::borrow::Cow<'_, str> {
        if self.role == Role::Given {
            std::borrow::Cow::Owned(fold::consonants(morph::stem(&self.skeleton)))
        } else {
            std::borrow::Cow::Borrowed(&self.stem_consonants)
        }
    }

    fn new(text: &str, position: usize) -> NamePart {
        let (exact, script) = fold::clean(text);
        let mut latin = String::with_capacity(exact.len() + 4);
        fold::to_latin(&exact, &mut latin);
        let mut skeleton = String::with_capacity(latin.len());
        fold::skeleton(&latin, &mut skeleton);
        let consonants = fold::consonants(&skeleton);
        let letters = crate::distance::letters(&skeleton);
        let given_name = alias::lookup(&skeleton);
        let role = if skeleton.is_empty() || script == Script::None {
            Role::Noise
        } else {
            Role::Given
        };
        NamePart {
            text: text.to_string(),
            role,
            hint: RoleHint::Lexicon,
            script,
            patronymic: None,
            exact,
            latin,
            // Set with the role (set_given / set_family_role); particles and titles keep none.
            stem: String::new(),
            stem_consonants: String::new(),
            skeleton,
            consonants,
            alias: given_name
                .filter(|g| g.is_alias_group)
                .map(|g| alias::head(g.group)),
            given_name,
            stem_name: None,
            letters,
            stem_letters: letters,
            hashes: [0; 4],
            position,
        }
    }

    fn with_hashes(mut self) -> NamePart {
        self.hashes = [
            hash(&self.exact),
            hash(&self.latin),
            hash(&self.skeleton),
            hash(&self.stem),
        ];
        self
    }

    /// Gives the part a family role (surname or father's name) and computes its stem.
    fn set_family_role(&mut self, role: Role, hint: RoleHint) {
        self.role = role;
        self.hint = hint;
        self.stem = morph::stem(&self.skeleton).to_string();
        self.stem_consonants = fold::consonants(&self.stem);
        self.stem_name = alias::lookup(&self.stem);
        self.stem_letters = crate::distance::letters(&self.stem);
        self.hashes[3] = hash(&self.stem);
    }

    fn set_given(&mut self, hint: RoleHint) {
        self.role = Role::Given;
        self.hint = hint;
        self.stem.clone_from(&self.skeleton);
        self.stem_consonants.clone_from(&self.consonants);
        self.stem_name = None;
        self.stem_letters = self.letters;
        self.hashes[3] = self.hashes[2];
    }

    fn is_core(&self) -> bool {
        matches!(self.role, Role::Given | Role::Surname | Role::Patronymic)
    }

    /// The Daitch–Mokotoff codes of the part's skeleton (six digits each).
    pub fn dm_codes(&self) -> Vec<String> {
        dm::codes(&self.skeleton)
    }

    fn is_known_given(&self) -> bool {
        self.given_name.is_some()
    }
}

/// A parsed name with every key computed once. Cheap to compare; `Clone + Send + Sync`.
#[derive(Debug, Clone, Serialize)]
pub struct PreparedName {
    parts: Vec<NamePart>,
    order: NameOrder,
    #[serde(skip_serializing_if = "Option::is_none")]
    sex: Option<Sex>,
    #[serde(skip)]
    pub(crate) given: Vec<u8>,
    #[serde(skip)]
    pub(crate) family: Vec<u8>,
    #[serde(skip)]
    pub(crate) father: Vec<u8>,
    /// The fathers' names that do not stand in the surname's place.
    #[serde(skip)]
    pub(crate) patronymic: Vec<u8>,
    /// Whether a given name or surname got its role from position alone.
    #[serde(skip)]
    pub(crate) guessed_roles: bool,
}

/// The characters that separate the parts of a name written in one field. Hyphens and
/// apostrophes stay inside parts (Abdul-Jabbar, Oʻtkir).
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            ',' | ';'
                | '/'
                | '\\'
                | '('
                | ')'
                | '['
                | ']'
                | '"'
                | '<'
                | '.'
                | '_'
                | '|'
                | '«'
                | '»'
                | ':'
                | '*'
                | '+'
                | '='
                | '?'
                | '!'
        )
}

/// Splits one field into raw part texts; a hyphenated particle (Нурлан-улы) becomes its own part.
fn split_parts(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for raw in text.split(is_separator) {
        let t = raw.trim_matches(|c: char| c == '-' || c == '\'');
        if t.is_empty() {
            continue;
        }
        if let Some((head, tail)) = t.rsplit_once('-') {
            let tail_skel = fold::latin_skeleton(tail);
            if !head.is_empty() && morph::particle(&tail_skel).is_some() {
                out.push(head.trim_matches('-'));
                out.push(tail);
                continue;
            }
        }
        out.push(t);
    }
    out
}

impl PreparedName {
    /// Parses a name written in one field, in any script and order: surname-first documents
    /// (`Асанов Бекболат Жумабекович`, `ASANOV<<BEKBOLAT`, `Asanov, Bekbolat`) or given-first
    /// prose (`Bekbolat Asanov`, `Бекболот Асан уулу`). A Cyrillic name keyed on the Latin
    /// layout (`Fcfyjd <tr,jkfn`) is read back first. Never panics; text with no letters gives
    /// an empty name.
    pub fn parse(raw: &str) -> PreparedName {
        if let Some(mut decoded) = crate::layout::decode_wrong_layout(&[raw]) {
            return Self::parse(&decoded.remove(0));
        }
        let text = fold::nfkc(raw);
        // MRZ: SURNAME<<GIVEN<NAMES.
        if let Some((sur, giv)) = text.split_once("<<") {
            let giv = giv.replace('<', " ");
            let sur = sur
                .rsplit(|c: char| c.is_ascii_digit())
                .next()
                .unwrap_or(sur);
            let sur = sur
                .strip_prefix("P<")
                .map(|s| s.get(3..).unwrap_or(""))
                .unwrap_or(sur);
            return Self::from_parts(Some(giv.trim()), Some(&sur.replace('<', " ")), None);
        }
        let document_style = {
            let (mut letters, mut lower) = (0usize, 0usize);
            for c in text
                .chars()
                .filter(|&c| c.is_ascii_alphabetic() || fold::is_cyrillic(c) || c.is_alphabetic())
            {
                letters += 1;
                lower += usize::from(c.is_lowercase());
            }
            let all_caps = letters > 3 && lower == 0;
            let comma_after_first = text.split_once(',').is_some_and(|(head, tail)| {
                head.split_whitespace().count() == 1 && !tail.trim().is_empty()
            });
            all_caps || comma_after_first
        };
        let mut parts: Vec<NamePart> = split_parts(&text)
            .into_iter()
            .enumerate()
            .map(|(i, t)| NamePart::new(t, i).with_hashes())
            .collect();
        assign_roles(&mut parts, document_style);
        Self::finish(parts)
    }

    /// Builds a name from separate fields (as Records CSV v1 has them). A particle in the family
    /// or patronymic field (`Асан уулу`, `Bahodir oʻgʻli`) is understood as such.
    pub fn from_parts(
        given: Option<&str>,
        family: Option<&str>,
        patronymic: Option<&str>,
    ) -> PreparedName {
        let present: Vec<&str> = [given, family, patronymic].into_iter().flatten().collect();
        if let Some(decoded) = crate::layout::decode_wrong_layout(&present) {
            let mut decoded = decoded.into_iter();
            let mut next = |field: Option<&str>| field.and_then(|_| decoded.next());
            let (g, f, p) = (next(given), next(family), next(patronymic));
            return Self::from_parts(g.as_deref(), f.as_deref(), p.as_deref());
        }
        let mut parts = Vec::new();
        let push_field = |field: Option<&str>, role: Role, parts: &mut Vec<NamePart>| {
            let Some(field) = field else { return };
            let text = fold::nfkc(field);
            let start = parts.len();
            for t in split_parts(&text) {
                let pos = parts.len();
                parts.push(NamePart::new(t, pos).with_hashes());
            }
            let field_parts = &mut parts[start..];
            mark_lexicon(field_parts);
            mark_particles(field_parts);
            for p in field_parts.iter_mut() {
                if p.role != Role::Given {
                    continue;
                }
                match role {
                    Role::Given => p.set_given(RoleHint::Field),
                    Role::Surname => p.set_family_role(Role::Surname, RoleHint::Field),
                    _ => {
                        p.set_family_role(Role::Patronymic, RoleHint::Field);
                        p.patronymic = Some(patronymic_form(&p.skeleton));
                    }
                }
            }
        };
        push_field(family, Role::Surname, &mut parts);
        push_field(given, Role::Given, &mut parts);
        push_field(patronymic, Role::Patronymic, &mut parts);
        Self::finish(parts)
    }

    fn finish(mut parts: Vec<NamePart>) -> PreparedName {
        // A linkage run holds a prepared name per distinct name (some 700,000 of a million
        // records): no spare room for parts that will not come.
        parts.shrink_to_fit();
        let idx = |f: &dyn Fn(&NamePart) -> bool| -> Vec<u8> {
            parts
                .iter()
                .enumerate()
                .filter(|(_, p)| f(p))
                .map(|(i, _)| i.min(255) as u8)
                .collect()
        };
        let given = idx(&|p| p.role == Role::Given);
        let surnames = idx(&|p| p.role == Role::Surname);
        let father = idx(&|p| p.role == Role::Patronymic);
        // Without a surname, a father's name written with a particle or joined (Асан уулу,
        // Нұрланқызы) stands in the surname's place, as in Kyrgyz and Kazakh documents.
        let family = if surnames.is_empty() {
            father
                .iter()
                .copied()
                .filter(|&i| {
                    matches!(
                        parts[i as usize].patronymic,
                        Some(PatronymicForm::Particle(_) | PatronymicForm::Joined)
                    )
                })
                .collect()
        } else {
            surnames
        };
        let order = match (given.first(), family.first()) {
            (Some(&g), Some(&f)) if f < g => NameOrder::SurnameFirst,
            (Some(_), Some(_)) => NameOrder::GivenFirst,
            _ => NameOrder::Unknown,
        };
        let sex = infer_sex(&parts, &given);
        let patronymic = father
            .iter()
            .copied()
            .filter(|i| !family.contains(i))
            .collect();
        // Roles that position alone decided may be swapped when comparing; a father's name
        // marked by a particle or ending never is.
        let guessed_roles = given
            .iter()
            .chain(&family)
            .any(|&i| parts[i as usize].hint == RoleHint::Position)
            && family
                .iter()
                .all(|&i| parts[i as usize].role == Role::Surname);
        PreparedName {
            guessed_roles,
            parts,
            order,
            sex,
            given,
            family,
            father,
            patronymic,
        }
    }

    /// Whether the name has no part that can be compared (empty, only digits or symbols, only a
    /// particle or a title).
    pub fn is_empty(&self) -> bool {
        !self.parts.iter().any(NamePart::is_core)
    }

    /// Every part as written, with its role and keys.
    pub fn parts(&self) -> &[NamePart] {
        &self.parts
    }

    /// The order the name was written in.
    pub fn order(&self) -> NameOrder {
        self.order
    }

    /// Sex from morphology where it can be told: patronymic ending or particle, a known given
    /// name, a gendered surname ending. `None` when unknown or contradictory.
    pub fn sex(&self) -> Option<Sex> {
        self.sex
    }

    pub(crate) fn part(&self, i: u8) -> &NamePart {
        &self.parts[i as usize]
    }

    /// Blocking keys, one set per part so that reordering and surname changes are still caught:
    /// `s:` skeleton, `t:` stem of a family name or father's name, `c:` consonant key, `a:` alias
    /// group, `dm:` Daitch–Mokotoff codes. Sorted and deduplicated.
    pub fn blocking_keys(&self) -> Vec<String> {
        let mut keys = Vec::with_capacity(self.parts.len() * 6);
        let key = |prefix: &str, body: &str| {
            let mut k = String::with_capacity(prefix.len() + body.len());
            k.push_str(prefix);
            k.push_str(body);
            k
        };
        let core = || self.parts.iter().filter(|p| p.is_core());
        // One group per prefix, in the prefixes' sort order (a: < c: < dm: < s: < t:), each
        // group sorted on its own: the whole is sorted without comparing across groups.
        let group = |keys: &mut Vec<String>, fill: &dyn Fn(&mut Vec<String>)| {
            let start = keys.len();
            fill(keys);
            keys[start..].sort_unstable();
        };
        group(&mut keys, &|keys| {
            for p in core() {
                if let Some(a) = p.alias {
                    keys.push(key("a:", a));
                }
                if let Some(g) = p.stem_name.filter(|g| g.is_alias_group) {
                    keys.push(key("a:", alias::head(g.group)));
                }
            }
        });
        group(&mut keys, &|keys| {
            for p in core().filter(|p| !p.consonants.is_empty()) {
                keys.push(key("c:", &p.consonants));
            }
        });
        group(&mut keys, &|keys| {
            for p in core() {
                dm::codes_each(&p.skeleton, |code| keys.push(key("dm:", code)));
            }
        });
        group(&mut keys, &|keys| {
            for p in core() {
                keys.push(key("s:", &p.skeleton));
            }
        });
        group(&mut keys, &|keys| {
            for p in core().filter(|p| p.role != Role::Given && p.stem.len() >= 3) {
                keys.push(key("t:", &p.stem));
            }
        });
        keys.dedup();
        keys
    }

    /// The skeleton of the first given name, for term-frequency tables.
    pub fn given_key(&self) -> Option<&str> {
        self.given.first().map(|&i| self.part(i).skeleton.as_str())
    }

    /// The stem of the surname (or of the father's name standing for it), for term-frequency
    /// tables: Asanov, Asanova and Asan uulu share `asan`.
    pub fn surname_key(&self) -> Option<&str> {
        self.family_part().map(|p| p.stem.as_str())
    }

    /// The part in the surname's place: the surname, or without one a father's name written
    /// with its particle or joined ending (Асан уулу, Нұрланұлы, role `Patronymic`).
    pub fn family_part(&self) -> Option<&NamePart> {
        self.family.first().map(|&i| self.part(i))
    }
}

/// FNV-1a of a key.
fn hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in s.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn patronymic_form(skel: &str) -> PatronymicForm {
    if morph::russian_patronymic(skel).is_some() {
        PatronymicForm::Russian
    } else if morph::joined_patronymic(skel).is_some() {
        PatronymicForm::Joined
    } else {
        PatronymicForm::Plain
    }
}

/// Titles, particles and letterless parts, by word list.
fn mark_lexicon(parts: &mut [NamePart]) {
    for p in parts.iter_mut() {
        if p.role == Role::Noise {
            continue;
        }
        if morph::is_title(&p.skeleton) {
            p.role = Role::Title;
        } else if morph::particle(&p.skeleton).is_some() {
            p.role = Role::Particle;
        }
    }
}

/// The part before a particle is a father's name.
fn mark_particles(parts: &mut [NamePart]) {
    for k in 1..parts.len() {
        if parts[k].role != Role::Particle || parts[k - 1].role != Role::Given {
            continue;
        }
        let Some(particle) = morph::particle(&parts[k].skeleton) else {
            continue;
        };
        let father = &mut parts[k - 1];
        father.set_family_role(Role::Patronymic, RoleHint::Morphology);
        father.patronymic = Some(PatronymicForm::Particle(particle));
    }
}

/// Gives each part of a one-field name its role. See `PreparedName::parse`.
fn assign_roles(parts: &mut [NamePart], document_style: bool) {
    mark_lexicon(parts);
    mark_particles(parts);
    let core = |parts: &[NamePart]| -> Vec<usize> {
        parts
            .iter()
            .enumerate()
            .filter(|(_, p)| p.role == Role::Given && p.hint == RoleHint::Lexicon)
            .map(|(i, _)| i)
            .collect()
    };
    let open = core(parts);
    // A Russian patronymic (the last one, if several) or a Kazakh joined form, when the name has
    // other parts too.
    let mut russian_patronymic_at = None;
    if open.len() >= 2 {
        if let Some(&i) = open.iter().rev().find(|&&i| {
            morph::russian_patronymic(&parts[i].skeleton).is_some() && !parts[i].is_known_given()
        }) {
            parts[i].set_family_role(Role::Patronymic, RoleHint::Morphology);
            parts[i].patronymic = Some(PatronymicForm::Russian);
            russian_patronymic_at = Some(i);
        } else if let Some(&i) = open.iter().rev().find(|&&i| {
            morph::joined_patronymic(&parts[i].skeleton).is_some() && !parts[i].is_known_given()
        }) {
            parts[i].set_family_role(Role::Patronymic, RoleHint::Morphology);
            parts[i].patronymic = Some(PatronymicForm::Joined);
        }
    }
    let open = core(parts);
    if open.is_empty() {
        return;
    }
    // Surname by ending: strong endings always, weak ones when the part is not a known given name.
    let by_ending = open.iter().copied().find(|&i| {
        let p = &parts[i];
        match morph::surname_ending(&p.skeleton) {
            Some((_, _, true)) => !p.is_known_given() || open.len() == 1,
            Some((_, _, false)) => !p.is_known_given(),
            None => false,
        }
    });
    let surname = if let Some(i) = by_ending {
        Some((i, RoleHint::Morphology))
    } else if open.len() == 1 {
        // One part besides any father's name (Бекболот Асан уулу): a given name.
        None
    } else if let Some(p) = russian_patronymic_at {
        // Фамилия Имя Отчество, or Имя Отчество Фамилия.
        if p > open[0] && p > open[open.len() - 1] {
            Some((open[0], RoleHint::Position))
        } else {
            open.iter()
                .copied()
                .find(|&i| i > p)
                .map(|i| (i, RoleHint::Position))
        }
    } else {
        let unknown: Vec<usize> = open
            .iter()
            .copied()
            .filter(|&i| !parts[i].is_known_given())
            .collect();
        if unknown.len() == 1 && open.len() == 2 {
            Some((unknown[0], RoleHint::KnownGivenName))
        } else if document_style {
            Some((open[0], RoleHint::Position))
        } else {
            Some((open[open.len() - 1], RoleHint::Position))
        }
    };
    for &i in &open {
        match surname {
            Some((s, hint)) if s == i => parts[i].set_family_role(Role::Surname, hint),
            _ => {
                let hint = if parts[i].is_known_given() {
                    RoleHint::KnownGivenName
                } else {
                    RoleHint::Position
                };
                parts[i].set_given(hint);
            }
        }
    }
}

/// Sex from morphology: father's-name form or particle first, then a known given name, then a
/// gendered surname ending; contradictions give `None`.
fn infer_sex(parts: &[NamePart], given: &[u8]) -> Option<Sex> {
    // The first vote, and whether any later vote contradicted it.
    let mut first: Option<Sex> = None;
    let mut contradicted = false;
    let mut vote = |s: Option<Sex>| {
        if let Some(s) = s {
            match first {
                None => first = Some(s),
                Some(f) if f != s => contradicted = true,
                Some(_) => {}
            }
        }
    };
    for p in parts {
        match (p.role, p.patronymic) {
            (Role::Patronymic, Some(PatronymicForm::Russian)) => {
                vote(morph::russian_patronymic(&p.skeleton).map(|(_, s)| s));
            }
            (Role::Patronymic, Some(PatronymicForm::Joined)) => {
                vote(morph::joined_patronymic(&p.skeleton).map(|(_, s)| s));
            }
            (Role::Patronymic, Some(PatronymicForm::Particle(k))) => vote(k.sex()),
            (Role::Surname, _) => vote(morph::surname_ending(&p.skeleton).and_then(|(_, s, _)| s)),
            _ => {}
        }
    }
    if let Some(&g) = given.first() {
        vote(parts[g as usize].given_name.and_then(|g| g.sex));
    }
    if contradicted { None } else { first }
}

#[cfg(test)]
mod tests;
