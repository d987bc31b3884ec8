//! The documentation projects of the world: who each one hears of (the capture model) and how
//! each one writes a record (its fields, scripts, precision and errors).

use crate::dice::Dice;
use crate::noise;
use crate::people::{Happening, Nationality, TrueEvent, TruePerson, Visibility, code, day};
use crate::places::{CITIES, CROSSINGS, REGIONS};
use crate::script::{NationalLatin, RuSystem, Russify};
use crate::testimony::{Lang, Voice, quote};
use crate::views::{
    Layout, NameFields, NameStyle, Patronymic, Script, national_latin_systems, render,
    russian_habits,
};
use recount_types::{
    AgeRange, CountryCode, EventDate, Informant, PartialDate, Record, Sex, Source,
};

/// The sources of the world, in the order their capture is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SourceKind {
    Hotline,
    Lawyers,
    Media,
    MediaCopies,
    KgChannel,
    Families,
}

impl SourceKind {
    pub const ALL: [SourceKind; 6] = [
        SourceKind::Hotline,
        SourceKind::Lawyers,
        SourceKind::Media,
        SourceKind::MediaCopies,
        SourceKind::KgChannel,
        SourceKind::Families,
    ];

    /// The `source` column value.
    pub fn name(self) -> &'static str {
        match self {
            SourceKind::Hotline => "hotline",
            SourceKind::Lawyers => "lawyers",
            SourceKind::Media => "media",
            SourceKind::MediaCopies => "media_copies",
            SourceKind::KgChannel => "kg_channel",
            SourceKind::Families => "families",
        }
    }

    /// What the source is, in one line.
    pub fn description(self) -> &'static str {
        match self {
            SourceKind::Hotline => {
                "a diaspora organisation's hotline: many first-hand calls, names often partial, some people call twice"
            }
            SourceKind::Lawyers => {
                "a lawyers' collective: few cases, full names from documents, many referred by the hotline"
            }
            SourceKind::Media => {
                "media monitoring: original news stories, clustering around vivid cases"
            }
            SourceKind::MediaCopies => {
                "reprints of the monitored stories by other outlets: copies, not new confirmations"
            }
            SourceKind::KgChannel => "a Kyrgyz-language channel's interviews, in Kyrgyz spellings",
            SourceKind::Families => "reports by family members about their relatives (second-hand)",
        }
    }

    /// Record id prefix.
    fn prefix(self) -> &'static str {
        match self {
            SourceKind::Hotline => "HL",
            SourceKind::Lawyers => "LC",
            SourceKind::Media => "MM",
            SourceKind::MediaCopies => "MC",
            SourceKind::KgChannel => "KG",
            SourceKind::Families => "FR",
        }
    }

    pub(crate) fn report_prefix(self) -> &'static str {
        match self {
            SourceKind::Hotline => "CALL",
            SourceKind::Lawyers => "CASE",
            SourceKind::Media => "STORY",
            SourceKind::MediaCopies => "REPRINT",
            SourceKind::KgChannel => "EPISODE",
            SourceKind::Families => "LETTER",
        }
    }

    pub(crate) fn record_id(self, n: usize) -> String {
        format!("{}-{:05}", self.prefix(), n)
    }

    /// The source as the record model describes it.
    pub fn source(self) -> Source {
        let mut s = Source::new(self.name());
        match self {
            SourceKind::Media | SourceKind::MediaCopies => {
                s.dependency_group = Some("media".into())
            }
            _ => {}
        }
        s.contains_duplicates = matches!(self, SourceKind::Hotline | SourceKind::MediaCopies);
        s
    }

    /// The list this source counts in for estimation: its dependency group, or itself.
    pub fn list(self) -> &'static str {
        match self {
            SourceKind::Media | SourceKind::MediaCopies => "media",
            other => other.name(),
        }
    }
}

/// Base chance of being recorded, by visibility class (connected, ordinary, isolated).
pub const BASE: [(SourceKind, [f64; 3]); 5] = [
    (SourceKind::Hotline, [0.65, 0.35, 0.20]),
    (SourceKind::Lawyers, [0.22, 0.08, 0.04]),
    (SourceKind::Media, [0.18, 0.09, 0.07]),
    (SourceKind::KgChannel, [0.55, 0.30, 0.15]),
    (SourceKind::Families, [0.20, 0.18, 0.18]),
];

/// Lawyers take more cases the hotline refers (×2) and fewer others (×0.7).
pub const LAWYERS_REFERRED: f64 = 1.5;
pub const LAWYERS_NOT_REFERRED: f64 = 0.85;
/// Lawyers' chance is ×1.5 for border refusals and threats (cases they can act on).
pub const LAWYERS_ACTIONABLE: f64 = 1.5;
/// Media's chance is ×3 for vivid cases (deployed, or 55 and older).
pub const MEDIA_VIVID: f64 = 2.0;
/// Families' chance is ×2.5 for the deployed.
pub const FAMILIES_DEPLOYED: f64 = 2.0;
/// How many other outlets reprint a media story: 0, 1, 2 or 3, with these probabilities.
pub const REPRINTS: [f64; 4] = [0.35, 0.35, 0.20, 0.10];
/// Share of hotline callers who call a second time (a second record of the same person).
pub const HOTLINE_REPEAT: f64 = 0.06;
/// No one is certain to be recorded.
pub const CAP: f64 = 0.95;

fn class(v: Visibility) -> usize {
    match v {
        Visibility::Connected => 0,
        Visibility::Ordinary => 1,
        Visibility::Isolated => 2,
    }
}

fn base(kind: SourceKind, v: Visibility) -> f64 {
    BASE.iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, b)| b[class(v)])
        .unwrap_or(0.0)
}

/// The Kyrgyz-language channel reaches Kyrgyz speakers: Kyrgyz, some Kazakhs, Uzbeks from Osh.
fn kyrgyz_reach(p: &TruePerson) -> f64 {
    match p.nationality {
        Nationality::Kyrgyz => 1.0,
        Nationality::Kazakh => 0.5,
        Nationality::Uzbek if p.origin.as_str() == "KG" => 0.6,
        _ => 0.2,
    }
}

/// The chance that `kind` records person `p`; for the lawyers it depends on whether the hotline
/// recorded them (`in_hotline`). Media copies follow media and are not drawn here.
pub fn capture_probability(kind: SourceKind, p: &TruePerson, in_hotline: bool) -> f64 {
    let b = base(kind, p.visibility);
    let x = match kind {
        SourceKind::Hotline => b,
        SourceKind::Lawyers => {
            let actionable = p.has(Happening::ExitRefused) || p.has(Happening::Threatened);
            b * if actionable { LAWYERS_ACTIONABLE } else { 1.0 }
                * if in_hotline {
                    LAWYERS_REFERRED
                } else {
                    LAWYERS_NOT_REFERRED
                }
        }
        SourceKind::Media => b * if p.is_vivid() { MEDIA_VIVID } else { 1.0 },
        SourceKind::KgChannel => b * kyrgyz_reach(p),
        SourceKind::Families => {
            b * if p.has(Happening::Deployed) {
                FAMILIES_DEPLOYED
            } else {
                1.0
            }
        }
        SourceKind::MediaCopies => 0.0,
    };
    x.min(CAP)
}

/// The chance, before anything is drawn, that `kind` records `p` (for checking the design).
pub fn expected_capture(kind: SourceKind, p: &TruePerson) -> f64 {
    match kind {
        SourceKind::Lawyers => {
            let h = capture_probability(SourceKind::Hotline, p, false);
            h * capture_probability(kind, p, true) + (1.0 - h) * capture_probability(kind, p, false)
        }
        SourceKind::MediaCopies => {
            capture_probability(SourceKind::Media, p, false) * (1.0 - REPRINTS[0])
        }
        _ => capture_probability(kind, p, false),
    }
}

/// Which sources record a person (in [`SourceKind::ALL`] order, media copies left false: they
/// are drawn per story).
pub(crate) fn draw_captures(p: &TruePerson, dice: &mut Dice) -> [bool; 6] {
    let mut got = [false; 6];
    got[0] = dice.chance(capture_probability(SourceKind::Hotline, p, false));
    got[1] = dice.chance(capture_probability(SourceKind::Lawyers, p, got[0]));
    got[2] = dice.chance(capture_probability(SourceKind::Media, p, false));
    got[4] = dice.chance(capture_probability(SourceKind::KgChannel, p, false));
    got[5] = dice.chance(capture_probability(SourceKind::Families, p, false));
    got
}

/// A record before its source numbers it.
#[derive(Debug, Clone)]
pub(crate) struct Draft {
    pub(crate) person: usize,
    /// The day the source heard of it (orders the source's list).
    pub(crate) reported: i32,
    pub(crate) tiebreak: u64,
    /// Drafts with the same group share a report (a relative reporting two brothers).
    pub(crate) group: Option<u32>,
    pub(crate) event: usize,
    pub(crate) record: Record,
}

/// Scales every error rate of the world (0 = clean lists, 1 = the documented rates).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Noise(pub(crate) f64);

impl Noise {
    fn hit(self, dice: &mut Dice, p: f64) -> bool {
        dice.chance(p * self.0)
    }
}

/// How precisely a source writes dates: weights of day, month, year, a range, and nothing.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DateMix {
    pub(crate) day: f64,
    pub(crate) month: f64,
    pub(crate) year: f64,
    pub(crate) range: f64,
    pub(crate) missing: f64,
}

pub(crate) fn event_date(
    dice: &mut Dice,
    d: PartialDate,
    mix: DateMix,
    noise: Noise,
) -> Option<EventDate> {
    let z = d.first_day();
    let weights = [mix.day, mix.month, mix.year, mix.range, mix.missing];
    let (y, m) = (d.year(), d.month().unwrap_or(1));
    match dice.weighted_index(&weights) {
        0 => {
            // A misremembered day, a few days off.
            let shift = if noise.hit(dice, 0.05) {
                dice.between(-5, 5) as i32
            } else {
                0
            };
            Some(EventDate::On(day(z + shift)))
        }
        1 => PartialDate::year_month(y, m).map(EventDate::On),
        2 => PartialDate::year_only(y).map(EventDate::On),
        3 => {
            if dice.chance(0.5) {
                let before = dice.between(0, 6) as i32;
                let after = dice.between(1, 7) as i32;
                Some(EventDate::Between(day(z - before), day(z + after)))
            } else {
                // "October or November".
                let start = if dice.chance(0.5) { z - 28 } else { z };
                let a = day(start);
                let b = day(start + 31);
                let a = PartialDate::year_month(a.year(), a.month().unwrap_or(1))?;
                let b = PartialDate::year_month(b.year(), b.month().unwrap_or(1))?;
                Some(EventDate::Between(a, b))
            }
        }
        _ => None,
    }
}

/// How a source writes age: weights of a full birth date, a birth year, an exact age, an
/// approximate age range, and nothing.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AgeMix {
    pub(crate) birth_date: f64,
    pub(crate) birth_year: f64,
    pub(crate) exact: f64,
    pub(crate) range: f64,
    pub(crate) missing: f64,
}

pub(crate) fn age_fields(
    dice: &mut Dice,
    p: &TruePerson,
    on: PartialDate,
    mix: AgeMix,
    noise: Noise,
) -> (Option<PartialDate>, Option<AgeRange>) {
    let age = p.age_on(on);
    let weights = [
        mix.birth_date,
        mix.birth_year,
        mix.exact,
        mix.range,
        mix.missing,
    ];
    match dice.weighted_index(&weights) {
        0 => (Some(p.birth_date), None),
        1 => (PartialDate::year_only(p.birth_date.year()), None),
        2 => {
            let off = if noise.hit(dice, 0.1) {
                dice.between(-1, 1)
            } else {
                0
            };
            (
                None,
                AgeRange::exact((i64::from(age) + off).clamp(16, 90) as u8),
            )
        }
        3 => (None, approximate_age(dice, age)),
        _ => (None, None),
    }
}

/// "Close to 60" → 55-60; "in his 40s" → 40-49; "about 33" → 31-35.
pub(crate) fn approximate_age(dice: &mut Dice, age: u8) -> Option<AgeRange> {
    if age >= 53 && dice.chance(0.7) {
        return AgeRange::new(55, 60);
    }
    match dice.below(2) {
        0 => {
            let decade = age / 10 * 10;
            AgeRange::new(decade, decade + 9)
        }
        _ => AgeRange::new(age.saturating_sub(2), age + 2),
    }
}

/// Citizenship as a source writes it: the truth, only "RU" (Russia does not recognise the other),
/// only the origin, or nothing.
fn citizenship(dice: &mut Dice, p: &TruePerson, weights: [f64; 4]) -> Vec<CountryCode> {
    match dice.weighted_index(&weights) {
        0 => p.citizenship.clone(),
        1 if p.naturalized => vec![code("RU")],
        2 => vec![p.origin],
        _ => Vec::new(),
    }
}

fn city_text(dice: &mut Dice, city: usize, lang: Lang) -> String {
    let place = &CITIES[city].0;
    match lang {
        Lang::En => place.en.to_owned(),
        Lang::Ru if dice.chance(0.25) => (*dice.pick(place.variants)).to_owned(),
        Lang::Ru => place.ru.to_owned(),
    }
}

fn place_text(dice: &mut Dice, p: &TruePerson, e: &TrueEvent, lang: Lang) -> String {
    match (e.happening, e.crossing) {
        (Happening::ExitRefused, Some(c)) => {
            let place = &CROSSINGS[c];
            match lang {
                Lang::En => place.en.to_owned(),
                Lang::Ru if dice.chance(0.4) => (*dice.pick(place.variants)).to_owned(),
                Lang::Ru => place.ru.to_owned(),
            }
        }
        (Happening::Summoned | Happening::Threatened, _) => match lang {
            Lang::En => format!("recruitment office, {}", CITIES[p.city].0.en),
            Lang::Ru => e.place.clone(),
        },
        _ => match lang {
            Lang::En => "Ukraine".to_owned(),
            Lang::Ru => e.place.clone(),
        },
    }
}

fn birth_place(dice: &mut Dice, p: &TruePerson, national: bool) -> String {
    let r = &REGIONS[p.region];
    if national {
        return r.national.to_owned();
    }
    if dice.chance(0.2) {
        (*dice.pick(r.place.variants)).to_owned()
    } else {
        r.place.ru.to_owned()
    }
}

fn sex_field(dice: &mut Dice, p: &TruePerson, recorded: f64) -> Option<Sex> {
    dice.chance(recorded).then_some(p.sex)
}

/// The event a source records for a person: `prefer` if the person has it, else their main one.
fn pick_event(p: &TruePerson, prefer: &[Happening]) -> usize {
    for h in prefer {
        if let Some(i) = p.events.iter().position(|e| e.happening == *h) {
            return i;
        }
    }
    p.events.len() - 1
}

fn put_name(r: &mut Record, f: NameFields) {
    r.name = f.name;
    r.given_name = f.given_name;
    r.family_name = f.family_name;
    r.patronymic = f.patronymic;
}

/// Spelling noise on the name fields of a record: typos, OCR, homoglyphs, apostrophes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NameNoise {
    pub(crate) typo: f64,
    pub(crate) ocr: f64,
    pub(crate) homoglyph: f64,
    /// Typed on the wrong keyboard layout (Cyrillic names only).
    pub(crate) layout: f64,
}

pub(crate) fn noisy(f: NameFields, rates: NameNoise, noise: Noise, dice: &mut Dice) -> NameFields {
    f.map(|s| {
        let mut s = s;
        if noise.hit(dice, rates.typo) {
            s = noise::typo(&s, dice);
        }
        if noise.hit(dice, rates.ocr) {
            s = noise::ocr(&s, dice);
        }
        if noise.hit(dice, rates.homoglyph) {
            s = noise::homoglyph(&s, dice);
        }
        let cyrillic = s.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c));
        if cyrillic && noise.hit(dice, rates.layout) {
            s = noise::wrong_layout(&s);
        }
        if s.contains('\u{02BB}') && noise.hit(dice, 0.5) {
            s = if dice.chance(0.5) {
                noise::drop_apostrophes(&s)
            } else {
                noise::vary_apostrophe(&s, dice)
            };
        }
        s
    })
}

fn ru_system(dice: &mut Dice) -> RuSystem {
    *dice.weighted(&[
        (RuSystem::Icao2013, 0.55),
        (RuSystem::Gost2010, 0.15),
        (RuSystem::Mvd1997, 0.22),
        (RuSystem::Soviet, 0.08),
    ])
}

fn national_latin(dice: &mut Dice, p: &TruePerson) -> Script {
    let systems = national_latin_systems(p.nationality);
    if systems.is_empty() {
        Script::RuLatin(RuSystem::News)
    } else {
        Script::NationalLatin(*dice.pick(systems))
    }
}

fn former(dice: &mut Dice, p: &TruePerson, share: f64) -> bool {
    p.former_family_name.is_some() && dice.chance(share)
}

fn delay(dice: &mut Dice, e: &TrueEvent, lo: i64, hi: i64) -> i32 {
    e.date.first_day() + dice.between(lo, hi) as i32
}

fn hotline(p: &TruePerson, idx: usize, dice: &mut Dice, noise: Noise, repeat: bool) -> Draft {
    let mut r = Record::new(SourceKind::Hotline.name(), "");
    let event = if repeat || (p.events.len() > 1 && dice.chance(0.3)) {
        dice.below(p.events.len())
    } else {
        p.events.len() - 1
    };
    let e = &p.events[event];
    let informant = *dice.weighted(&[
        (Informant::Themself, 0.70),
        (Informant::Relative, 0.25),
        (Informant::Witness, 0.05),
    ]);
    let script = match dice.below(20) {
        0..=16 => Script::Russian(russian_habits(p, dice, 0.15, 0.35)),
        17 | 18 => national_latin(dice, p),
        _ => Script::National,
    };
    let layout = *dice.weighted(&[
        (Layout::GivenOnly, 0.25),
        (Layout::GivenFirst, 0.42),
        (Layout::SurnameFirst, 0.18),
        (Layout::Split, 0.15),
    ]);
    let patronymic = if dice.chance(0.15) {
        Patronymic::Russian
    } else {
        Patronymic::None
    };
    let style = NameStyle {
        script,
        layout,
        patronymic,
        former_surname: former(dice, p, 0.4),
        upper: false,
    };
    let names = render(p, &style, dice);
    put_name(
        &mut r,
        noisy(
            names,
            NameNoise {
                typo: 0.06,
                ocr: 0.0,
                homoglyph: 0.04,
                layout: 0.01,
            },
            noise,
            dice,
        ),
    );
    r.sex = sex_field(dice, p, 0.8);
    let (b, a) = age_fields(
        dice,
        p,
        e.date,
        AgeMix {
            birth_date: 0.1,
            birth_year: 0.15,
            exact: 0.45,
            range: 0.1,
            missing: 0.2,
        },
        noise,
    );
    r.birth_date = b;
    r.age = a;
    r.citizenship = citizenship(dice, p, [0.45, 0.25, 0.1, 0.2]);
    r.origin = dice.chance(0.6).then_some(p.origin);
    r.residence = dice.chance(0.75).then(|| city_text(dice, p.city, Lang::Ru));
    r.event = Some(e.happening.term());
    r.event_date = event_date(
        dice,
        e.date,
        DateMix {
            day: 0.6,
            month: 0.22,
            year: 0.0,
            range: 0.1,
            missing: 0.08,
        },
        noise,
    );
    r.place = dice.chance(0.8).then(|| place_text(dice, p, e, Lang::Ru));
    r.informant = Some(informant);
    let voice = if informant == Informant::Themself {
        Voice::First
    } else {
        Voice::Third
    };
    r.quote = dice
        .chance(0.6)
        .then(|| quote(e, p.city, p.age_on(e.date), Lang::Ru, voice, dice));
    let mut notes = Vec::new();
    if let Some(until) = e.barred_until.filter(|_| dice.chance(0.6)) {
        notes.push(format!("сказали не выезжать до {until}"));
    }
    if repeat {
        notes.push("повторный звонок".to_owned());
    }
    r.notes = (!notes.is_empty()).then(|| notes.join("; "));
    Draft {
        person: idx,
        reported: delay(dice, e, 0, 10),
        tiebreak: dice.next_u64(),
        group: None,
        event,
        record: r,
    }
}

fn lawyers(p: &TruePerson, idx: usize, dice: &mut Dice, noise: Noise) -> Draft {
    let mut r = Record::new(SourceKind::Lawyers.name(), "");
    let event = pick_event(p, &[Happening::ExitRefused, Happening::Threatened]);
    let e = &p.events[event];
    let latin = dice.chance(0.2);
    let script = match (latin, p.naturalized) {
        (false, _) => Script::Russian(Russify {
            dzh: if p.birth_date.year() < 1985 && dice.chance(0.1) {
                crate::script::Dzh::WordInitial
            } else {
                crate::script::Dzh::Keep
            },
            vowel_drift: false,
        }),
        (true, true) => Script::RuLatin(ru_system(dice)),
        (true, false) => Script::NationalLatin(match p.nationality {
            Nationality::Kyrgyz => NationalLatin::KyrgyzZh,
            Nationality::Kazakh => NationalLatin::KazakhPassport,
            Nationality::Uzbek => NationalLatin::UzbekPassport,
            _ => NationalLatin::TajikBgn,
        }),
    };
    let patronymic = match dice.below(20) {
        0..=14 if p.naturalized => Patronymic::Russian,
        15 | 16 => Patronymic::National,
        _ => Patronymic::None,
    };
    let style = NameStyle {
        script,
        layout: Layout::Split,
        patronymic,
        former_surname: false,
        upper: latin && dice.chance(0.5),
    };
    let names = render(p, &style, dice);
    put_name(
        &mut r,
        noisy(
            names,
            NameNoise {
                typo: 0.01,
                ocr: 0.04,
                homoglyph: 0.01,
                layout: 0.0,
            },
            noise,
            dice,
        ),
    );
    r.sex = Some(p.sex);
    let (b, a) = age_fields(
        dice,
        p,
        e.date,
        AgeMix {
            birth_date: 0.92,
            birth_year: 0.03,
            exact: 0.03,
            range: 0.0,
            missing: 0.02,
        },
        noise,
    );
    r.birth_date = b;
    r.age = a;
    r.birth_place = dice.chance(0.8).then(|| birth_place(dice, p, false));
    let doc = match &p.ru_passport {
        Some(ru) if dice.chance(0.85) => ru.clone(),
        _ => p.national_passport.clone(),
    };
    r.document_id = dice.chance(0.9).then(|| {
        if noise.hit(dice, 0.03) {
            noise::swap_digits(&doc, dice)
        } else {
            doc
        }
    });
    r.citizenship = citizenship(dice, p, [0.9, 0.08, 0.0, 0.02]);
    r.origin = Some(p.origin);
    r.residence = Some(city_text(dice, p.city, Lang::Ru));
    r.event = Some(e.happening.term());
    r.event_date = event_date(
        dice,
        e.date,
        DateMix {
            day: 0.95,
            month: 0.05,
            year: 0.0,
            range: 0.0,
            missing: 0.0,
        },
        noise,
    );
    r.place = Some(place_text(dice, p, e, Lang::Ru));
    r.informant = Some(*dice.weighted(&[
        (Informant::Themself, 0.8),
        (Informant::Relative, 0.1),
        (Informant::Official, 0.1),
    ]));
    r.quote = dice
        .chance(0.3)
        .then(|| quote(e, p.city, p.age_on(e.date), Lang::Ru, Voice::First, dice));
    let mut docs = vec!["копия паспорта"];
    match e.happening {
        Happening::ExitRefused => docs.push("уведомление погранслужбы"),
        Happening::Summoned | Happening::Threatened => docs.push("повестка"),
        Happening::Deployed => docs.push("заявление родственников"),
    }
    if dice.chance(0.3) {
        docs.push("доверенность");
    }
    let mut notes = format!("документы: {}", docs.join(", "));
    if let Some(until) = e.barred_until {
        notes.push_str(&format!("; запрет на выезд до {until}"));
    }
    r.notes = Some(notes);
    Draft {
        person: idx,
        reported: delay(dice, e, 5, 60),
        tiebreak: dice.next_u64(),
        group: None,
        event,
        record: r,
    }
}

/// A media record: an original story (`reprint` = None) or another outlet's copy of one.
pub(crate) fn media(
    p: &TruePerson,
    idx: usize,
    event: Option<usize>,
    dice: &mut Dice,
    noise: Noise,
    reprint_of: Option<&str>,
) -> Draft {
    let kind = if reprint_of.is_some() {
        SourceKind::MediaCopies
    } else {
        SourceKind::Media
    };
    let mut r = Record::new(kind.name(), "");
    let event =
        event.unwrap_or_else(|| pick_event(p, &[Happening::Deployed, Happening::ExitRefused]));
    let e = &p.events[event];
    let lang = if dice.chance(0.55) {
        Lang::Ru
    } else {
        Lang::En
    };
    let script = match lang {
        Lang::Ru => Script::Russian(russian_habits(p, dice, 0.1, 0.3)),
        Lang::En if dice.chance(0.7) => Script::RuLatin(RuSystem::News),
        Lang::En => national_latin(dice, p),
    };
    // "Sources gave first names only."
    let first_only = if reprint_of.is_some() { 0.45 } else { 0.35 };
    let layout = *dice.weighted(&[
        (Layout::GivenOnly, first_only),
        (Layout::GivenInitial, 0.1),
        (Layout::GivenFirst, 0.9 - first_only),
    ]);
    let style = NameStyle {
        script,
        layout,
        patronymic: Patronymic::None,
        former_surname: false,
        upper: false,
    };
    let names = render(p, &style, dice);
    let typo = if reprint_of.is_some() { 0.05 } else { 0.02 };
    put_name(
        &mut r,
        noisy(
            names,
            NameNoise {
                typo,
                ocr: 0.0,
                homoglyph: 0.01,
                layout: 0.0,
            },
            noise,
            dice,
        ),
    );
    r.sex = sex_field(dice, p, 0.5);
    let (b, a) = age_fields(
        dice,
        p,
        e.date,
        AgeMix {
            birth_date: 0.0,
            birth_year: 0.0,
            exact: 0.45,
            range: 0.35,
            missing: 0.2,
        },
        noise,
    );
    r.birth_date = b;
    r.age = a;
    r.citizenship = citizenship(dice, p, [0.3, 0.4, 0.1, 0.2]);
    r.origin = dice.chance(0.7).then_some(p.origin);
    r.residence = dice.chance(0.7).then(|| city_text(dice, p.city, lang));
    r.event = Some(e.happening.term());
    r.event_date = event_date(
        dice,
        e.date,
        DateMix {
            day: 0.65,
            month: 0.25,
            year: 0.0,
            range: 0.1,
            missing: 0.0,
        },
        noise,
    );
    r.place = dice.chance(0.85).then(|| place_text(dice, p, e, lang));
    r.informant = Some(Informant::Media);
    r.quote = dice
        .chance(0.8)
        .then(|| quote(e, p.city, p.age_on(e.date), lang, Voice::Third, dice));
    r.notes = reprint_of.map(|story| match lang {
        Lang::Ru => format!("перепечатка материала {story}"),
        Lang::En => format!("reprint of {story}"),
    });
    Draft {
        person: idx,
        reported: delay(dice, e, 1, 20),
        tiebreak: dice.next_u64(),
        group: None,
        event,
        record: r,
    }
}

fn kg_channel(p: &TruePerson, idx: usize, dice: &mut Dice, noise: Noise) -> Draft {
    let mut r = Record::new(SourceKind::KgChannel.name(), "");
    let event = p.events.len() - 1;
    let e = &p.events[event];
    let kyrgyz_speaker = matches!(p.nationality, Nationality::Kyrgyz | Nationality::Kazakh);
    let script = match dice.below(20) {
        0..=13 if kyrgyz_speaker => Script::National,
        14..=16 if p.nationality == Nationality::Kyrgyz => Script::NationalLatin(*dice.pick(&[
            NationalLatin::KyrgyzBgn,
            NationalLatin::KyrgyzJ,
            NationalLatin::KyrgyzZh,
        ])),
        _ => Script::Russian(russian_habits(p, dice, 0.2, 0.2)),
    };
    let layout = *dice.weighted(&[
        (Layout::GivenFather, if kyrgyz_speaker { 0.3 } else { 0.0 }),
        (Layout::GivenFirst, 0.4),
        (Layout::SurnameFirst, 0.2),
        (Layout::GivenOnly, 0.1),
    ]);
    let style = NameStyle {
        script,
        layout,
        patronymic: if dice.chance(0.1) {
            Patronymic::National
        } else {
            Patronymic::None
        },
        former_surname: false,
        upper: false,
    };
    let names = render(p, &style, dice);
    put_name(
        &mut r,
        noisy(
            names,
            NameNoise {
                typo: 0.03,
                ocr: 0.0,
                homoglyph: 0.01,
                layout: 0.0,
            },
            noise,
            dice,
        ),
    );
    r.sex = sex_field(dice, p, 0.6);
    let (b, a) = age_fields(
        dice,
        p,
        e.date,
        AgeMix {
            birth_date: 0.0,
            birth_year: 0.2,
            exact: 0.5,
            range: 0.15,
            missing: 0.15,
        },
        noise,
    );
    r.birth_date = b;
    r.age = a;
    r.birth_place = dice.chance(0.4).then(|| birth_place(dice, p, true));
    r.citizenship = citizenship(dice, p, [0.6, 0.1, 0.1, 0.2]);
    r.origin = Some(p.origin);
    r.residence = dice.chance(0.8).then(|| city_text(dice, p.city, Lang::Ru));
    r.event = Some(e.happening.term());
    r.event_date = event_date(
        dice,
        e.date,
        DateMix {
            day: 0.3,
            month: 0.5,
            year: 0.0,
            range: 0.2,
            missing: 0.0,
        },
        noise,
    );
    r.place = dice.chance(0.7).then(|| place_text(dice, p, e, Lang::Ru));
    let informant = *dice.weighted(&[
        (Informant::Themself, 0.6),
        (Informant::Relative, 0.25),
        (Informant::Witness, 0.15),
    ]);
    r.informant = Some(informant);
    let voice = if informant == Informant::Themself {
        Voice::First
    } else {
        Voice::Third
    };
    r.quote = dice.chance(0.7).then(|| {
        format!(
            "{} (перевод с кыргызского)",
            quote(e, p.city, p.age_on(e.date), Lang::Ru, voice, dice)
        )
    });
    Draft {
        person: idx,
        reported: delay(dice, e, 3, 40),
        tiebreak: dice.next_u64(),
        group: None,
        event,
        record: r,
    }
}

fn families(p: &TruePerson, idx: usize, dice: &mut Dice, noise: Noise) -> Draft {
    let mut r = Record::new(SourceKind::Families.name(), "");
    let event = pick_event(p, &[Happening::Deployed]);
    let e = &p.events[event];
    let script = if dice.chance(0.8) {
        Script::Russian(russian_habits(p, dice, 0.25, 0.5))
    } else if dice.chance(0.5) {
        Script::RuLatin(RuSystem::News)
    } else {
        national_latin(dice, p)
    };
    let layout = *dice.weighted(&[
        (Layout::SurnameFirst, 0.35),
        (Layout::GivenFirst, 0.4),
        (Layout::Split, 0.25),
    ]);
    let patronymic = match layout {
        Layout::SurnameFirst if dice.chance(0.6) => Patronymic::Russian,
        Layout::Split if dice.chance(0.5) => Patronymic::Russian,
        _ => Patronymic::None,
    };
    let style = NameStyle {
        script,
        layout,
        patronymic,
        former_surname: former(dice, p, 0.6),
        upper: false,
    };
    let names = render(p, &style, dice);
    put_name(
        &mut r,
        noisy(
            names,
            NameNoise {
                typo: 0.05,
                ocr: 0.0,
                homoglyph: 0.03,
                layout: 0.0,
            },
            noise,
            dice,
        ),
    );
    r.sex = sex_field(dice, p, 0.85);
    let (b, a) = age_fields(
        dice,
        p,
        e.date,
        AgeMix {
            birth_date: 0.3,
            birth_year: 0.15,
            exact: 0.2,
            range: 0.25,
            missing: 0.1,
        },
        noise,
    );
    r.birth_date = b;
    r.age = a;
    r.birth_place = dice.chance(0.3).then(|| birth_place(dice, p, false));
    r.citizenship = citizenship(dice, p, [0.4, 0.2, 0.2, 0.2]);
    r.origin = dice.chance(0.8).then_some(p.origin);
    r.residence = dice.chance(0.6).then(|| city_text(dice, p.city, Lang::Ru));
    r.event = Some(e.happening.term());
    r.event_date = event_date(
        dice,
        e.date,
        DateMix {
            day: 0.1,
            month: 0.45,
            year: 0.1,
            range: 0.3,
            missing: 0.05,
        },
        noise,
    );
    r.place = dice.chance(0.5).then(|| place_text(dice, p, e, Lang::Ru));
    r.informant = Some(Informant::Relative);
    r.quote = dice
        .chance(0.6)
        .then(|| quote(e, p.city, p.age_on(e.date), Lang::Ru, Voice::Third, dice));
    Draft {
        person: idx,
        reported: delay(dice, e, 5, 90),
        tiebreak: dice.next_u64(),
        group: None,
        event,
        record: r,
    }
}

/// Drafts the records a source keeps about a person it recorded.
pub(crate) fn drafts(
    kind: SourceKind,
    p: &TruePerson,
    idx: usize,
    dice: &mut Dice,
    noise: Noise,
) -> Vec<Draft> {
    match kind {
        SourceKind::Hotline => {
            let mut out = vec![hotline(p, idx, dice, noise, false)];
            if dice.chance(HOTLINE_REPEAT) {
                let mut again = hotline(p, idx, dice, noise, true);
                again.reported = again.reported.max(out[0].reported + 1);
                out.push(again);
            }
            out
        }
        SourceKind::Lawyers => vec![lawyers(p, idx, dice, noise)],
        SourceKind::Media => vec![media(p, idx, None, dice, noise, None)],
        SourceKind::KgChannel => vec![kg_channel(p, idx, dice, noise)],
        SourceKind::Families => vec![families(p, idx, dice, noise)],
        SourceKind::MediaCopies => Vec::new(),
    }
}
