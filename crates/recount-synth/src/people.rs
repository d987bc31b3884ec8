//! The true population: who each affected person is, what happened to them, and how visible
//! they are to documentation projects.

use crate::dice::Dice;
use crate::lists::tradition;
use crate::places::{CITIES, CROSSINGS, REGIONS, crossing_weights, origin_weights, regions_of};
use crate::script::{
    Russify, feminine_surname, masculine_surname, ov_surname, russian_patronymic, russify,
};
use recount_types::{CountryCode, EventTerm, EventVocabulary, PartialDate, Sex};
use serde::Serialize;
use std::fmt;
use std::sync::OnceLock;

/// A person of the synthetic world's true population (never a database id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct TruePersonId(pub u32);

impl fmt::Display for TruePersonId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "T{:06}", self.0)
    }
}

/// The naming tradition a person's name follows (names.md §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Nationality {
    Russian,
    Kyrgyz,
    Kazakh,
    Uzbek,
    Tajik,
}

impl Nationality {
    pub const ALL: [Nationality; 5] = [
        Nationality::Russian,
        Nationality::Kyrgyz,
        Nationality::Kazakh,
        Nationality::Uzbek,
        Nationality::Tajik,
    ];
}

/// The latent class that drives how likely documentation projects are to hear of a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Part of diaspora networks: calls hotlines, talks to channels and lawyers.
    Connected,
    /// Reachable, but only some projects hear of them.
    Ordinary,
    /// Tells no one: few sources ever record them.
    Isolated,
}

impl Visibility {
    pub const ALL: [Visibility; 3] = [
        Visibility::Connected,
        Visibility::Ordinary,
        Visibility::Isolated,
    ];
}

/// What happened, from the event vocabulary v1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Happening {
    ExitRefused,
    Summoned,
    Threatened,
    Deployed,
}

impl Happening {
    pub fn term_str(self) -> &'static str {
        match self {
            Happening::ExitRefused => "exit_refused",
            Happening::Summoned => "summoned",
            Happening::Threatened => "threatened",
            Happening::Deployed => "deployed",
        }
    }

    /// The vocabulary term of this event.
    pub fn term(self) -> EventTerm {
        static TERMS: OnceLock<Vec<EventTerm>> = OnceLock::new();
        let terms = TERMS.get_or_init(|| {
            // Every Happening is a v1 term, so the default vocabulary always has it.
            let v = EventVocabulary::default();
            [
                Happening::ExitRefused,
                Happening::Summoned,
                Happening::Threatened,
                Happening::Deployed,
            ]
            .into_iter()
            .map(|h| v.term(h.term_str()).expect("a v1 event term"))
            .collect()
        });
        terms[self as usize].clone()
    }
}

/// One event in a person's true story, known to the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrueEvent {
    pub happening: Happening,
    pub date: PartialDate,
    /// Where, in Russian (a crossing, a recruitment office, the front).
    pub place: String,
    /// For `exit_refused`: the date the person was told they may not leave before.
    pub barred_until: Option<PartialDate>,
    #[serde(skip)]
    pub(crate) crossing: Option<usize>,
}

/// A person of the true population, with the canonical forms of their name in national Cyrillic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TruePerson {
    pub id: TruePersonId,
    pub nationality: Nationality,
    pub sex: Sex,
    pub birth_date: PartialDate,
    /// Given name, national Cyrillic (Бекболот, Ҷамшед, Әсел).
    pub given_name: String,
    /// Father's given name, national Cyrillic.
    pub father_name: String,
    /// Surname now (national Cyrillic): Асанов, Асан уулу, Раҳмонзода, Нұрланұлы.
    pub family_name: String,
    /// An earlier surname still in some records (Tajik -ов before a change to -зода, or back).
    pub former_family_name: Option<String>,
    /// The national patronymic form where the tradition has one (Асан уулу, Нұрланұлы,
    /// Баҳодир ўғли; Russians: Сергеевич); `None` when the surname already is the father's name.
    pub patronymic: Option<String>,
    /// The patronymic as a Russian document forms it from the father's name (Асанович).
    pub russian_patronymic: String,
    pub origin: CountryCode,
    /// Region of birth, in Russian.
    pub birth_place: String,
    pub citizenship: Vec<CountryCode>,
    pub naturalized: bool,
    /// City of residence in Russia, in Russian.
    pub residence: String,
    pub visibility: Visibility,
    /// The person's events in date order; the last is the one their story is known for.
    pub events: Vec<TrueEvent>,
    /// A brother or sister in the population (same father, same surname root).
    pub sibling_of: Option<TruePersonId>,
    /// Russian internal passport number, for naturalized citizens (synthetic).
    pub ru_passport: Option<String>,
    /// The origin country's passport number (synthetic).
    pub national_passport: String,
    #[serde(skip)]
    pub(crate) city: usize,
    #[serde(skip)]
    pub(crate) region: usize,
}

impl TruePerson {
    /// The event this person's story is known for (the last one).
    pub fn main_event(&self) -> &TrueEvent {
        &self.events[self.events.len() - 1]
    }

    /// Age in whole years on `date`.
    pub fn age_on(&self, date: PartialDate) -> u8 {
        let (y, m, d) = (
            date.year(),
            date.month().unwrap_or(7),
            date.day().unwrap_or(1),
        );
        let b = self.birth_date;
        let mut age = i32::from(y) - i32::from(b.year());
        if (m, d) < (b.month().unwrap_or(1), b.day().unwrap_or(1)) {
            age -= 1;
        }
        age.clamp(0, 130) as u8
    }

    pub fn has(&self, h: Happening) -> bool {
        self.events.iter().any(|e| e.happening == h)
    }

    /// Deployed, or close to sixty: the cases media pick up.
    pub fn is_vivid(&self) -> bool {
        self.has(Happening::Deployed) || self.age_on(self.main_event().date) >= 55
    }
}

/// Days since 1970-01-01 → (year, month, day) (Howard Hinnant's algorithm).
pub(crate) fn civil_from_days(z: i32) -> (u16, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    ((y + i32::from(m <= 2)) as u16, m, d)
}

pub(crate) fn day(z: i32) -> PartialDate {
    let (y, m, d) = civil_from_days(z);
    PartialDate::ymd(y, m, d).expect("a real calendar day")
}

pub(crate) fn ymd(y: u16, m: u8, d: u8) -> i32 {
    PartialDate::ymd(y, m, d)
        .expect("a real calendar day")
        .first_day()
}

/// The mobilization was announced on 21 September 2022; the scenario ends on 31 March 2023.
pub(crate) fn window() -> (i32, i32) {
    (ymd(2022, 9, 22), ymd(2023, 3, 31))
}

/// A country code of the scenario, parsed once (parsing scans the ISO list).
pub(crate) fn code(s: &str) -> CountryCode {
    static CODES: OnceLock<Vec<(&'static str, CountryCode)>> = OnceLock::new();
    let codes = CODES.get_or_init(|| {
        ["RU", "KG", "KZ", "UZ", "TJ"]
            .into_iter()
            .map(|c| (c, c.parse().expect("a valid country code")))
            .collect()
    });
    match codes.iter().find(|(c, _)| *c == s) {
        Some((_, code)) => *code,
        None => s.parse().expect("a valid country code"),
    }
}

/// The share of each naming tradition among the affected.
const NATIONALITY_WEIGHTS: [(Nationality, f64); 5] = [
    (Nationality::Kyrgyz, 0.34),
    (Nationality::Tajik, 0.25),
    (Nationality::Uzbek, 0.23),
    (Nationality::Kazakh, 0.08),
    (Nationality::Russian, 0.10),
];

/// The share of women (a few medics and women stopped by mistake).
pub(crate) const FEMALE_SHARE: f64 = 0.05;
/// The share of people who have a brother or sister in the population.
pub(crate) const SIBLING_SHARE: f64 = 0.08;

/// Shares of the visibility classes, by tradition (the Kyrgyz diaspora is the best organised).
pub(crate) fn visibility_weights(n: Nationality) -> [(Visibility, f64); 3] {
    let connected = match n {
        Nationality::Kyrgyz => 0.32,
        Nationality::Kazakh | Nationality::Russian => 0.25,
        Nationality::Uzbek | Nationality::Tajik => 0.20,
    };
    [
        (Visibility::Connected, connected),
        (Visibility::Ordinary, 0.50),
        (Visibility::Isolated, 0.50 - connected),
    ]
}

/// Draws the whole true population.
pub(crate) fn population(dice: &mut Dice, people: usize) -> Vec<TruePerson> {
    let mut stream = PersonStream::new();
    (0..people).map(|_| stream.next(dice).clone()).collect()
}

/// Draws people one at a time (ids counting up), remembering only the last one, whose younger
/// brother or sister the next may be: large benchmark sets never hold the population.
#[derive(Debug, Default)]
pub(crate) struct PersonStream {
    last: Option<TruePerson>,
    next_id: u32,
}

impl PersonStream {
    pub(crate) fn new() -> Self {
        Self::starting_at(1)
    }

    /// A stream whose first person has id `first_id`.
    pub(crate) fn starting_at(first_id: u32) -> Self {
        PersonStream {
            last: None,
            next_id: first_id,
        }
    }

    pub(crate) fn next(&mut self, dice: &mut Dice) -> &TruePerson {
        let id = TruePersonId(self.next_id);
        self.next_id += 1;
        let person = match &self.last {
            Some(prev) if prev.sibling_of.is_none() && dice.chance(SIBLING_SHARE) => {
                sibling_of(dice, id, prev)
            }
            _ => person(dice, id),
        };
        self.last.insert(person)
    }
}

/// The part of a person that depends on their family: name tradition, father, surname, origin.
struct Family {
    nationality: Nationality,
    father: String,
    /// The surname's masculine form, or the ancestor root to build it from.
    surname: SurnameKind,
    origin: CountryCode,
    region: usize,
    city: usize,
}

#[derive(Clone)]
enum SurnameKind {
    /// Russian-style -ов/-ев/-ин, masculine form.
    Ov(String),
    /// Kyrgyz father + уулу/кызы, Kazakh father + ұлы/қызы as the surname.
    Particle,
    /// Tajik -зода/-зод/-ӣ/-иён now, with the -ов form it replaced (or the reverse).
    Tajik {
        new: String,
        ov_root: &'static str,
        now_new: bool,
        changed: bool,
    },
}

fn family(dice: &mut Dice, nationality: Nationality, born: u16) -> Family {
    let t = tradition(nationality);
    let father = t.male.draw(dice, born.saturating_sub(28));
    let drawn = t.surnames.draw_any(dice);
    let root = drawn.name;
    let surname = match nationality {
        Nationality::Russian => SurnameKind::Ov(root.to_owned()),
        Nationality::Kyrgyz => {
            let particle = if born >= 1990 { 0.40 } else { 0.22 };
            if dice.chance(particle) {
                SurnameKind::Particle
            } else if dice.chance(0.12) {
                SurnameKind::Ov(ov_surname(father, Sex::Male))
            } else {
                SurnameKind::Ov(ov_surname(root, Sex::Male))
            }
        }
        Nationality::Kazakh => {
            if dice.chance(0.15) {
                SurnameKind::Particle
            } else if drawn.surname {
                // A whole surname as documents write it (Абильдаев, Сейфуллин).
                SurnameKind::Ov(root.to_owned())
            } else if root.ends_with(['а', 'ы']) && dice.chance(0.3) {
                // Айтхожа → Айтхожин.
                let mut stem = root.to_owned();
                stem.pop();
                SurnameKind::Ov(format!("{stem}ин"))
            } else {
                SurnameKind::Ov(ov_surname(root, Sex::Male))
            }
        }
        Nationality::Uzbek => SurnameKind::Ov(ov_surname(root, Sex::Male)),
        Nationality::Tajik => {
            let vowel_final = root.ends_with(|c: char| "аеиоуӯ".contains(c));
            let new = match dice.weighted_index(&[0.65, 0.10, 0.15, 0.10]) {
                1 if !vowel_final => format!("{root}зод"),
                2 if !vowel_final => format!("{root}ӣ"),
                3 if !vowel_final => format!("{root}иён"),
                _ => format!("{root}зода"),
            };
            let p_new = if born >= 1985 { 0.6 } else { 0.3 };
            let now_new = dice.chance(p_new);
            // Many changed to -зода after 2016; some migrants changed back to -ов.
            let changed = if now_new {
                dice.chance(0.35)
            } else {
                dice.chance(0.08)
            };
            SurnameKind::Tajik {
                new,
                ov_root: root,
                now_new,
                changed,
            }
        }
    };
    let origin_code: &&str = dice.weighted(origin_weights(nationality));
    let origin = code(origin_code);
    let regions = regions_of(origin);
    let region = regions.start + dice.below(regions.len());
    let city = *dice.weighted(&CITY_INDEX);
    Family {
        nationality,
        father: father.to_owned(),
        surname,
        origin,
        region,
        city,
    }
}

/// City indices with their weights (from [`CITIES`]).
const CITY_INDEX: [(usize, f64); 8] = {
    let mut out = [(0, 0.0); 8];
    let mut i = 0;
    while i < 8 {
        out[i] = (i, CITIES[i].1);
        i += 1;
    }
    out
};

fn surnames(
    kind: &SurnameKind,
    n: Nationality,
    father: &str,
    sex: Sex,
) -> (String, Option<String>) {
    match kind {
        SurnameKind::Ov(m) => {
            let s = if sex == Sex::Female {
                feminine_surname(m)
            } else {
                m.clone()
            };
            (s, None)
        }
        SurnameKind::Particle => {
            let s = match (n, sex) {
                (Nationality::Kazakh, Sex::Male) => format!("{father}ұлы"),
                (Nationality::Kazakh, Sex::Female) => format!("{father}қызы"),
                (_, Sex::Male) => format!("{father} уулу"),
                (_, Sex::Female) => format!("{father} кызы"),
            };
            (s, None)
        }
        SurnameKind::Tajik {
            new,
            ov_root,
            now_new,
            changed,
        } => {
            let ov = ov_surname(ov_root, sex);
            let (now, before) = if *now_new {
                (new.clone(), ov)
            } else {
                (ov, new.clone())
            };
            (now, changed.then_some(before))
        }
    }
}

fn national_patronymic(
    n: Nationality,
    kind: &SurnameKind,
    father: &str,
    sex: Sex,
) -> Option<String> {
    if matches!(kind, SurnameKind::Particle) {
        return None;
    }
    Some(match (n, sex) {
        (Nationality::Russian, _) => russian_patronymic(father, sex),
        (Nationality::Kyrgyz, Sex::Male) => format!("{father} уулу"),
        (Nationality::Kyrgyz, Sex::Female) => format!("{father} кызы"),
        (Nationality::Kazakh, Sex::Male) => format!("{father}ұлы"),
        (Nationality::Kazakh, Sex::Female) => format!("{father}қызы"),
        (Nationality::Uzbek, Sex::Male) => format!("{father} ўғли"),
        (Nationality::Uzbek, Sex::Female) => format!("{father} қизи"),
        (Nationality::Tajik, _) => return None,
    })
}

/// Which story a person is known for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Story {
    Border,
    Summons,
    Front,
}

fn story(dice: &mut Dice) -> Story {
    *dice.weighted(&[
        (Story::Border, 0.52),
        (Story::Summons, 0.30),
        (Story::Front, 0.18),
    ])
}

fn age_for(dice: &mut Dice, story: Story) -> i64 {
    if story == Story::Front && dice.chance(0.3) {
        // "Close to 60": older men reported sent to the front.
        return dice.between(54, 61);
    }
    19 + dice.between(0, 18) + dice.between(0, 18)
}

fn birth_date(dice: &mut Dice, age: i64) -> PartialDate {
    let year = (2022 - age) as u16;
    let m = dice.between(1, 12) as u8;
    let d = dice.between(1, 28) as u8;
    PartialDate::ymd(year, m, d).expect("day 1-28 exists in every month")
}

fn person(dice: &mut Dice, id: TruePersonId) -> TruePerson {
    let nationality = *dice.weighted(&NATIONALITY_WEIGHTS);
    let sex = if dice.chance(FEMALE_SHARE) {
        Sex::Female
    } else {
        Sex::Male
    };
    let story = story(dice);
    let age = age_for(dice, story);
    let birth = birth_date(dice, age);
    let fam = family(dice, nationality, birth.year());
    let given = tradition(nationality).given(sex).draw(dice, birth.year());
    assemble(dice, id, fam, sex, given, birth, story, None)
}

fn sibling_of(dice: &mut Dice, id: TruePersonId, prev: &TruePerson) -> TruePerson {
    let sex = if dice.chance(FEMALE_SHARE) {
        Sex::Female
    } else {
        Sex::Male
    };
    let t = tradition(prev.nationality);
    let gap = dice.between(2, 8) * if dice.chance(0.5) { 1 } else { -1 };
    let year = (i64::from(prev.birth_date.year()) + gap).clamp(1961, 2004);
    let birth = PartialDate::ymd(
        year as u16,
        dice.between(1, 12) as u8,
        dice.between(1, 28) as u8,
    )
    .expect("day 1-28 exists in every month");
    let mut given = t.given(sex).draw(dice, birth.year());
    for _ in 0..8 {
        if given != prev.given_name {
            break;
        }
        given = t.given(sex).draw(dice, birth.year());
    }
    let surname = sibling_surname(prev);
    let fam = Family {
        nationality: prev.nationality,
        father: prev.father_name.clone(),
        surname,
        origin: prev.origin,
        region: prev.region,
        city: if dice.chance(0.7) {
            prev.city
        } else {
            dice.below(CITIES.len())
        },
    };
    // Brothers are often stopped together: half share the elder's border event.
    let shared = prev.main_event().happening == Happening::ExitRefused && dice.chance(0.5);
    let story = if shared { Story::Border } else { story(dice) };
    let shared_event = shared.then(|| prev.main_event().clone());
    let mut p = assemble(dice, id, fam, sex, given, birth, story, shared_event);
    p.sibling_of = Some(prev.id);
    p
}

fn sibling_surname(prev: &TruePerson) -> SurnameKind {
    let masc = |s: &str| {
        if prev.sex == Sex::Female {
            masculine_surname(s)
        } else {
            s.to_owned()
        }
    };
    if prev.family_name.ends_with(" уулу")
        || prev.family_name.ends_with(" кызы")
        || prev.family_name.ends_with("ұлы")
        || prev.family_name.ends_with("қызы")
    {
        return SurnameKind::Particle;
    }
    SurnameKind::Ov(masc(&prev.family_name))
}

#[allow(clippy::too_many_arguments)]
fn assemble(
    dice: &mut Dice,
    id: TruePersonId,
    fam: Family,
    sex: Sex,
    given: &str,
    birth: PartialDate,
    story: Story,
    shared_event: Option<TrueEvent>,
) -> TruePerson {
    let n = fam.nationality;
    let (family_name, former_family_name) = surnames(&fam.surname, n, &fam.father, sex);
    let patronymic = national_patronymic(n, &fam.surname, &fam.father, sex);
    // A Russian father's name is already Russian (the soft-sign rule would turn Павел into Павель).
    let father_ru = if n == Nationality::Russian {
        fam.father.clone()
    } else {
        russify(&fam.father, Russify::PLAIN)
    };
    let russian_patronymic = russian_patronymic(&father_ru, sex);
    let naturalized = dice.chance(if story == Story::Front { 0.7 } else { 0.9 });
    let mut citizenship = vec![fam.origin];
    if naturalized {
        citizenship.push(code("RU"));
    }
    citizenship.sort();
    let events = match shared_event {
        Some(e) => {
            let mut events = vec![e];
            if dice.chance(0.3) {
                events.insert(0, summons_before(dice, &fam, events[0].date.first_day()));
            }
            events
        }
        None => events(dice, &fam, story),
    };
    let visibility = *dice.weighted(&visibility_weights(n));
    let ru_passport = naturalized.then(|| {
        format!(
            "{:02} {:02} {:06}",
            dice.between(1, 99),
            dice.between(14, 22),
            dice.between(0, 999_999)
        )
    });
    let national_passport = match fam.origin.as_str() {
        "KG" => format!("AC{:07}", dice.between(0, 9_999_999)),
        "KZ" => format!("N{:08}", dice.between(0, 99_999_999)),
        "UZ" => format!(
            "{}{:07}",
            dice.pick(&["AA", "AB", "FA"]),
            dice.between(0, 9_999_999)
        ),
        _ => format!(
            "{}{:07}",
            dice.pick(&["A", "B"]),
            dice.between(0, 9_999_999)
        ),
    };
    TruePerson {
        id,
        nationality: n,
        sex,
        birth_date: birth,
        given_name: given.to_owned(),
        father_name: fam.father.clone(),
        family_name,
        former_family_name,
        patronymic,
        russian_patronymic,
        origin: fam.origin,
        birth_place: REGIONS[fam.region].place.ru.to_owned(),
        citizenship,
        naturalized,
        residence: CITIES[fam.city].0.ru.to_owned(),
        visibility,
        events,
        sibling_of: None,
        ru_passport,
        national_passport,
        city: fam.city,
        region: fam.region,
    }
}

fn office(fam: &Family) -> String {
    format!("военкомат, {}", CITIES[fam.city].0.ru)
}

fn summons_before(dice: &mut Dice, fam: &Family, before: i32) -> TrueEvent {
    let (start, _) = window();
    let date = if before - 1 <= start {
        start
    } else {
        dice.between(start as i64, before as i64 - 1) as i32
    };
    TrueEvent {
        happening: Happening::Summoned,
        date: day(date),
        place: office(fam),
        barred_until: None,
        crossing: None,
    }
}

fn events(dice: &mut Dice, fam: &Family, story: Story) -> Vec<TrueEvent> {
    let (start, end) = window();
    match story {
        Story::Border => {
            // The exodus peaked in the first six weeks after the announcement.
            let date = if dice.chance(0.45) {
                dice.between(start as i64, ymd(2022, 10, 31) as i64)
            } else {
                dice.between(ymd(2022, 11, 1) as i64, end as i64)
            } as i32;
            let crossing = dice.weighted_index(&crossing_weights(fam.city));
            let barred_until = dice
                .chance(0.7)
                .then(|| day(date + dice.between(30, 120) as i32));
            let exit = TrueEvent {
                happening: Happening::ExitRefused,
                date: day(date),
                place: CROSSINGS[crossing].ru.to_owned(),
                barred_until,
                crossing: Some(crossing),
            };
            if dice.chance(0.35) {
                vec![summons_before(dice, fam, date), exit]
            } else {
                vec![exit]
            }
        }
        Story::Summons => {
            let date = dice.between(start as i64, ymd(2023, 2, 28) as i64) as i32;
            let summons = TrueEvent {
                happening: Happening::Summoned,
                date: day(date),
                place: office(fam),
                barred_until: None,
                crossing: None,
            };
            if dice.chance(0.45) {
                let threat = TrueEvent {
                    happening: Happening::Threatened,
                    date: day(date + dice.between(0, 10) as i32),
                    place: office(fam),
                    barred_until: None,
                    crossing: None,
                };
                vec![summons, threat]
            } else {
                vec![summons]
            }
        }
        Story::Front => {
            let date = dice.between(start as i64, ymd(2023, 2, 20) as i64) as i32;
            let deployed = (date + dice.between(7, 45) as i32).min(end);
            vec![
                TrueEvent {
                    happening: Happening::Summoned,
                    date: day(date),
                    place: office(fam),
                    barred_until: None,
                    crossing: None,
                },
                TrueEvent {
                    happening: Happening::Deployed,
                    date: day(deployed),
                    place: (*dice.pick(&[
                        "Украина",
                        "Запорожская обл.",
                        "Херсонская обл.",
                        "Донецк",
                    ]))
                    .to_owned(),
                    barred_until: None,
                    crossing: None,
                },
            ]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surnames_are_long_tailed() {
        // 20,000 people: about 2,000 Russians and 1,600 Kazakhs. With the hand-compiled heads
        // alone they could carry at most 196 and about 100 surname forms; the tails give about
        // 800 and 330 (seeds 1-3).
        let mut d = Dice::new(1);
        let people = population(&mut d, 20_000);
        let distinct = |n: Nationality| {
            people
                .iter()
                .filter(|p| p.nationality == n)
                .map(|p| p.family_name.as_str())
                .collect::<std::collections::BTreeSet<_>>()
                .len()
        };
        assert!(distinct(Nationality::Russian) > 600);
        assert!(distinct(Nationality::Kazakh) > 250);
        // Still long-tailed, not uniform: the commonest Russian surname is far above average.
        let ivanov = people
            .iter()
            .filter(|p| p.family_name.starts_with("Иванов"))
            .count();
        assert!(ivanov > 10, "{ivanov}");
    }

    #[test]
    fn calendar_round_trips() {
        for z in [ymd(2022, 9, 22), ymd(2023, 3, 31), ymd(2024, 2, 29), 0] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(ymd(y, m, d), z);
        }
        assert_eq!(day(ymd(2022, 12, 22)).to_string(), "2022-12-22");
    }

    #[test]
    fn people_are_well_formed() {
        let mut d = Dice::new(11);
        let people = population(&mut d, 2_000);
        let (start, end) = window();
        for p in &people {
            assert!(!p.events.is_empty());
            for w in p.events.windows(2) {
                assert!(w[0].date <= w[1].date, "{:?}", p.events);
            }
            for e in &p.events {
                assert!((start..=end).contains(&e.date.first_day()), "{e:?}");
            }
            let age = p.age_on(p.main_event().date);
            assert!((17..=62).contains(&age), "{age}");
            assert_eq!(
                p.naturalized,
                p.citizenship.iter().any(|c| c.as_str() == "RU")
            );
            assert!(p.citizenship.contains(&p.origin));
            if let Some(s) = p.sibling_of {
                let elder = &people[s.0 as usize - 1];
                assert_eq!(elder.father_name, p.father_name);
                assert_eq!(elder.nationality, p.nationality);
            }
        }
        let tajik_changed = people
            .iter()
            .filter(|p| p.nationality == Nationality::Tajik && p.former_family_name.is_some())
            .count();
        assert!(tajik_changed > 20, "{tajik_changed}");
        assert!(people.iter().any(|p| p.family_name.ends_with(" уулу")));
        assert!(people.iter().any(|p| p.family_name.ends_with("зода")));
        assert!(people.iter().any(|p| p.sibling_of.is_some()));
        // Regression: a Russian's patronymic is formed from the father's name as it is (Павел →
        // Павлович), not after the soft-sign rule meant for Central Asian names (Павелевич).
        for p in people
            .iter()
            .filter(|p| p.nationality == Nationality::Russian)
        {
            assert_eq!(
                p.russian_patronymic,
                russian_patronymic(&p.father_name, p.sex)
            );
        }
        let old_front = people
            .iter()
            .filter(|p| p.has(Happening::Deployed) && p.is_vivid())
            .count();
        assert!(old_front > 0);
    }
}
