//! A deterministic, seeded generator of labelled name pairs, shared by the corpus test
//! (`tests/corpus.rs`) and the report (`examples/corpus_report.rs`).
//!
//! It samples people of five nations (national-Cyrillic truth: given name, father's name, a
//! surname convention), renders each person the way real records do — Russian-Cyrillic documents
//! with a patronymic, Kyrgyz `уулу`/`кызы` and Kazakh `-ұлы`/`-қызы` forms, Tajik `-зода`, Uzbek
//! `oʻgʻli`; passport Latin of 1997, 2010 and 2013 (ICAO), BGN/PCGN, French style, ISO 9, Uzbek
//! and Kazakh Latin; both orders; MRZ — and injects typos, OCR confusions and homoglyphs. Pairs of
//! renderings of one person are positives; renderings of a person and a near-twin (a sibling, a
//! gender pair, a one-letter-prefix or compound name, a similar surname) are hard negatives.
//!
//! The rendering tables are written from the same reference as the engine's folds, so the
//! corpus measures coverage of the documented systems, not accuracy on real records.

#![allow(dead_code)]

/// One labelled pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    pub a: String,
    pub b: String,
    /// 1: the same person's name; 0: two different people.
    pub label: u8,
    pub kind: String,
}

/// SplitMix64: small, seeded, deterministic.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 > 1.0 - p
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nation {
    Kyrgyz,
    Kazakh,
    Uzbek,
    Tajik,
    Russian,
}

const NATIONS: [Nation; 5] = [
    Nation::Kyrgyz,
    Nation::Kazakh,
    Nation::Uzbek,
    Nation::Tajik,
    Nation::Russian,
];

fn male(n: Nation) -> &'static [&'static str] {
    match n {
        Nation::Kyrgyz => &[
            "Бекболот",
            "Нурлан",
            "Алмаз",
            "Азамат",
            "Улан",
            "Канат",
            "Талант",
            "Темирлан",
            "Айбек",
            "Эмил",
            "Адилет",
            "Чыңгыз",
            "Мирлан",
            "Тилек",
            "Жумабек",
            "Сапар",
            "Марат",
            "Эрлан",
            "Бакыт",
            "Жаныбек",
            "Кубаныч",
            "Өмүрбек",
            "Үсөн",
            "Жакшылык",
            "Токтогул",
            "Асылбек",
            "Мелис",
        ],
        Nation::Kazakh => &[
            "Ерлан",
            "Нұрлан",
            "Асқар",
            "Бауыржан",
            "Серік",
            "Дәурен",
            "Қайрат",
            "Талғат",
            "Ержан",
            "Жандос",
            "Арман",
            "Нұрсұлтан",
            "Ермек",
            "Қасым",
            "Әлихан",
            "Дархан",
            "Ерболат",
            "Жанибек",
        ],
        Nation::Uzbek => &[
            "Алишер",
            "Баҳодир",
            "Шоҳруҳ",
            "Дилшод",
            "Жамшид",
            "Фарҳод",
            "Ўткир",
            "Ғайрат",
            "Отабек",
            "Санжар",
            "Бахтиёр",
            "Улуғбек",
            "Жаҳонгир",
            "Шерзод",
            "Комил",
            "Қодир",
            "Собир",
            "Тоҳир",
            "Нодир",
            "Муҳаммадали",
            "Абдулазиз",
            "Элёр",
            "Жасур",
            "Зафар",
        ],
        Nation::Tajik => &[
            "Ҷамшед",
            "Фирӯз",
            "Сӯҳроб",
            "Манучеҳр",
            "Фаридун",
            "Хуршед",
            "Раҳмон",
            "Шерали",
            "Абдуҷаббор",
            "Умед",
            "Сиёвуш",
            "Исмоил",
            "Нуриддин",
            "Ҷалолиддин",
            "Қурбон",
            "Мирзо",
            "Раҳим",
            "Далер",
            "Бахром",
        ],
        Nation::Russian => &[
            "Евгений",
            "Юрий",
            "Александр",
            "Сергей",
            "Алексей",
            "Дмитрий",
            "Иван",
            "Андрей",
            "Николай",
            "Михаил",
            "Фёдор",
            "Пётр",
            "Виктор",
            "Олег",
            "Роман",
        ],
    }
}

fn female(n: Nation) -> &'static [&'static str] {
    match n {
        Nation::Kyrgyz => &[
            "Айгүл",
            "Жылдыз",
            "Гүлнара",
            "Нургүл",
            "Назгүл",
            "Мээрим",
            "Бермет",
            "Айпери",
            "Чолпон",
            "Үмүт",
            "Айзада",
            "Динара",
        ],
        Nation::Kazakh => &[
            "Әсел",
            "Айгүл",
            "Ботагөз",
            "Гүлмира",
            "Жанар",
            "Салтанат",
            "Әсем",
            "Айжан",
            "Мадина",
        ],
        Nation::Uzbek => &[
            "Нодира",
            "Дилноза",
            "Гулнора",
            "Феруза",
            "Севара",
            "Шаҳноза",
            "Моҳира",
            "Зилола",
            "Малика",
            "Гулчеҳра",
        ],
        Nation::Tajik => &[
            "Фирӯза",
            "Зарина",
            "Таҳмина",
            "Ситора",
            "Манижа",
            "Нигина",
            "Парвина",
            "Меҳрона",
            "Шабнам",
        ],
        Nation::Russian => &[
            "Юлия",
            "Наталья",
            "Татьяна",
            "Елена",
            "Ольга",
            "Ирина",
            "Светлана",
            "Ксения",
            "Дарья",
        ],
    }
}

/// Russian surnames (masculine form) for Russian people.
const RUSSIAN_SURNAMES: [&str; 12] = [
    "Щербаков",
    "Иванов",
    "Петров",
    "Соколов",
    "Кузнецов",
    "Смирнов",
    "Попов",
    "Волков",
    "Морозов",
    "Новиков",
    "Фёдоров",
    "Лебедев",
];

/// Surname roots of Central Asian families (an ancestor's given name).
fn roots(n: Nation) -> &'static [&'static str] {
    match n {
        Nation::Kyrgyz => &[
            "Асан",
            "Токтогул",
            "Жумабек",
            "Сарпек",
            "Бакас",
            "Осмон",
            "Мамыт",
            "Курман",
            "Бейшен",
        ],
        Nation::Kazakh => &[
            "Нұрлан",
            "Жақсылық",
            "Қасым",
            "Ахмет",
            "Жанбулат",
            "Омар",
            "Сейіт",
            "Бекет",
        ],
        Nation::Uzbek => &[
            "Карим",
            "Тошмат",
            "Йўлдош",
            "Раҳим",
            "Қодир",
            "Юсуп",
            "Шариф",
            "Ҳасан",
            "Мирзо",
            "Тўра",
        ],
        Nation::Tajik => &[
            "Раҳмон",
            "Қурбон",
            "Саид",
            "Шариф",
            "Назар",
            "Ҳасан",
            "Мирзо",
            "Давлат",
            "Сафар",
        ],
        Nation::Russian => &[],
    }
}

/// A person: the national-Cyrillic truth of their name.
#[derive(Debug, Clone)]
pub struct Person {
    pub nation: Nation,
    pub female: bool,
    pub given: String,
    pub father: String,
    /// Surname root (Central Asians) or full masculine surname (Russians).
    pub root: String,
    /// Kyrgyz/Kazakh: writes father + particle instead of a surname; Tajik: -зода instead of -ов.
    pub new_style: bool,
}

fn ends_with_vowel(s: &str) -> bool {
    s.chars()
        .last()
        .is_some_and(|c| "аеёиоуыэюяәөүұіӣӯў".contains(c))
}

/// -ов or -ев on a root; feminine -ова/-ева.
fn ov(root: &str, female: bool) -> String {
    let base = if ends_with_vowel(root) {
        format!("{root}ев")
    } else {
        format!("{root}ов")
    };
    if female { format!("{base}а") } else { base }
}

/// Russian spelling of national letters (and the vowel forms Russian records use).
pub fn russify(s: &str) -> String {
    const FORMS: [(&str, &str); 10] = [
        ("Тошмат", "Ташмат"),
        ("Раҳмон", "Рахман"),
        ("Йўлдош", "Юлдаш"),
        ("Қодир", "Кадыр"),
        ("Баҳодир", "Бахадыр"),
        ("Қурбон", "Курбан"),
        ("Жақсылық", "Жаксылык"),
        ("Улуғбек", "Улугбек"),
        ("Тўра", "Тура"),
        ("Сиёвуш", "Сиявуш"),
    ];
    let mut out = s.to_string();
    for (nat, ru) in FORMS {
        out = out.replace(nat, ru);
    }
    let mut r = String::new();
    for c in out.chars() {
        match c {
            'ү' | 'ұ' | 'ӯ' | 'ў' => r.push('у'),
            'Ү' | 'Ұ' | 'Ӯ' | 'Ў' => r.push('У'),
            'ө' => r.push('о'),
            'Ө' => r.push('О'),
            'ң' => r.push('н'),
            'қ' => r.push('к'),
            'Қ' => r.push('К'),
            'ғ' => r.push('г'),
            'Ғ' => r.push('Г'),
            'ә' => r.push('а'),
            'Ә' => r.push('А'),
            'һ' | 'ҳ' => r.push('х'),
            'Ҳ' => r.push('Х'),
            'і' => r.push('и'),
            'ӣ' => r.push('и'),
            'ҷ' => r.push_str("дж"),
            'Ҷ' => r.push_str("Дж"),
            _ => r.push(c),
        }
    }
    r
}

/// The Russian rendering of a female Turkic given name: a soft sign after a final л (Айгуль).
fn russian_given(p: &Person) -> String {
    let g = russify(&p.given);
    if p.female && p.nation != Nation::Russian && g.ends_with('л') {
        format!("{g}ь")
    } else {
        g
    }
}

fn russian_patronymic(father: &str, female: bool) -> String {
    let f = russify(father);
    let f = f.trim_end_matches(['й', 'ь']).to_string();
    match (ends_with_vowel(&f), female) {
        (false, false) => format!("{f}ович"),
        (false, true) => format!("{f}овна"),
        (true, false) => format!("{f}евич"),
        (true, true) => format!("{f}евна"),
    }
}

/// A rendering: (surname-or-father part, given, patronymic part), in national or Russian Cyrillic.
#[derive(Debug, Clone)]
pub struct Form {
    pub family: String,
    pub given: String,
    pub patronymic: Option<String>,
}

/// The national-Cyrillic form of a person's name.
pub fn national_form(p: &Person) -> Form {
    let son = !p.female;
    match p.nation {
        Nation::Russian => Form {
            family: if p.female {
                format!("{}а", p.root)
            } else {
                p.root.clone()
            },
            given: p.given.clone(),
            patronymic: Some(russian_patronymic(&p.father, p.female)),
        },
        Nation::Kyrgyz if p.new_style => Form {
            family: format!("{} {}", p.root, if son { "уулу" } else { "кызы" }),
            given: p.given.clone(),
            patronymic: None,
        },
        Nation::Kazakh if p.new_style => Form {
            family: format!("{}{}", p.father, if son { "ұлы" } else { "қызы" }),
            given: p.given.clone(),
            patronymic: None,
        },
        Nation::Uzbek => Form {
            family: ov(&p.root, p.female),
            given: p.given.clone(),
            patronymic: Some(format!(
                "{} {}",
                p.father,
                if son { "ўғли" } else { "қизи" }
            )),
        },
        Nation::Tajik if p.new_style => Form {
            family: format!("{}зода", p.root),
            given: p.given.clone(),
            patronymic: None,
        },
        _ => Form {
            family: ov(&p.root, p.female),
            given: p.given.clone(),
            patronymic: None,
        },
    }
}

/// The Russian-document form: Russian letters, -ов surname, Russian patronymic.
pub fn russian_form(p: &Person, old_dzh: bool) -> Form {
    let family = match p.nation {
        Nation::Russian => national_form(p).family,
        _ => ov(&russify(&p.root), p.female),
    };
    let dzh = |s: String| -> String {
        if !(old_dzh && matches!(p.nation, Nation::Kyrgyz | Nation::Kazakh)) {
            return s;
        }
        s.chars()
            .map(|c| match c {
                'Ж' => "Дж".to_string(),
                'ж' => "дж".to_string(),
                _ => c.to_string(),
            })
            .collect()
    };
    let given = dzh(russian_given(p));
    let family = dzh(family);
    Form {
        family,
        given,
        patronymic: Some(russian_patronymic(&p.father, p.female)),
    }
}

/// Latin systems for Russian Cyrillic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum System {
    Mvd1997,
    Gost2010,
    Icao2013,
    Bgn,
    French,
    Iso9,
}

pub const SYSTEMS: [System; 6] = [
    System::Mvd1997,
    System::Gost2010,
    System::Icao2013,
    System::Bgn,
    System::French,
    System::Iso9,
];

impl System {
    pub fn tag(self) -> &'static str {
        match self {
            System::Mvd1997 => "passport1997",
            System::Gost2010 => "passport2010",
            System::Icao2013 => "icao2013",
            System::Bgn => "bgn",
            System::French => "french",
            System::Iso9 => "iso9",
        }
    }
}

fn is_ru_vowel(c: char) -> bool {
    "аеёиоуыэюя".contains(c)
}

/// Transliterates Russian Cyrillic with one of the systems (lower-case letters; capitals kept).
pub fn romanise(text: &str, sys: System) -> String {
    let mut out = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &orig) in chars.iter().enumerate() {
        let c = orig.to_lowercase().next().unwrap_or(orig);
        let upper = orig != c;
        let prev = if i == 0 {
            None
        } else {
            chars[i - 1].to_lowercase().next()
        };
        let initial = prev.is_none_or(|p| !p.is_alphabetic());
        let after_vowel = prev.is_some_and(|p| is_ru_vowel(p) || "ъьй".contains(p));
        let next = chars.get(i + 1).and_then(|c| c.to_lowercase().next());
        let s: String = match (sys, c) {
            (_, 'а') => "a".into(),
            (_, 'б') => "b".into(),
            (_, 'в') => "v".into(),
            (_, 'г') => "g".into(),
            (_, 'д') => "d".into(),
            (_, 'з') => "z".into(),
            (_, 'и') => "i".into(),
            (_, 'к') => "k".into(),
            (_, 'л') => "l".into(),
            (_, 'м') => "m".into(),
            (_, 'н') => "n".into(),
            (_, 'о') => "o".into(),
            (_, 'п') => "p".into(),
            (_, 'р') => "r".into(),
            (System::French, 'с')
                if prev.is_some_and(is_ru_vowel) && next.is_some_and(is_ru_vowel) =>
            {
                "ss".into()
            }
            (_, 'с') => "s".into(),
            (_, 'т') => "t".into(),
            (_, 'ф') => "f".into(),
            (System::Bgn, 'е') if initial || after_vowel => "ye".into(),
            (System::Iso9, 'ё') => "ë".into(),
            (System::Bgn, 'ё') => {
                if initial || after_vowel {
                    "yë".into()
                } else {
                    "ë".into()
                }
            }
            (_, 'е' | 'ё') => "e".into(),
            (System::French, 'ж') => "j".into(),
            (System::Iso9, 'ж') => "ž".into(),
            (_, 'ж') => "zh".into(),
            (System::Mvd1997 | System::Bgn, 'й') => "y".into(),
            (System::Iso9, 'й') => "j".into(),
            (_, 'й') => "i".into(),
            (System::French, 'у') => "ou".into(),
            (_, 'у') => "u".into(),
            (System::Iso9, 'х') => "h".into(),
            (_, 'х') => "kh".into(),
            (System::Gost2010, 'ц') => "tc".into(),
            (System::Iso9, 'ц') => "c".into(),
            (_, 'ц') => "ts".into(),
            (System::French, 'ч') => "tch".into(),
            (System::Iso9, 'ч') => "č".into(),
            (_, 'ч') => "ch".into(),
            (System::French, 'ш') => "ch".into(),
            (System::Iso9, 'ш') => "š".into(),
            (_, 'ш') => "sh".into(),
            (System::French, 'щ') => "chtch".into(),
            (System::Iso9, 'щ') => "ŝ".into(),
            (_, 'щ') => "shch".into(),
            (System::Icao2013, 'ъ') => "ie".into(),
            (System::Bgn | System::Iso9, 'ъ') => "\"".into(),
            (_, 'ъ') => "".into(),
            (_, 'ы') => "y".into(),
            (System::Bgn | System::Iso9, 'ь') => "'".into(),
            (_, 'ь') => "".into(),
            (System::Iso9, 'э') => "è".into(),
            (_, 'э') => "e".into(),
            (System::Gost2010 | System::Icao2013, 'ю') => "iu".into(),
            (System::French, 'ю') => "iou".into(),
            (System::Iso9, 'ю') => "û".into(),
            (_, 'ю') => "yu".into(),
            (System::Gost2010 | System::Icao2013 | System::French, 'я') => "ia".into(),
            (System::Iso9, 'я') => "â".into(),
            (_, 'я') => "ya".into(),
            _ => c.to_string(),
        };
        if upper {
            let mut cs = s.chars();
            if let Some(f) = cs.next() {
                out.extend(f.to_uppercase());
                out.push_str(cs.as_str());
            }
        } else {
            out.push_str(&s);
        }
    }
    out
}

/// Uzbek official Latin (1995) of Uzbek Cyrillic, with one of the apostrophe habits.
pub fn uzbek_latin(text: &str, apostrophe: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &orig) in chars.iter().enumerate() {
        let c = orig.to_lowercase().next().unwrap_or(orig);
        let upper = orig != c;
        let prev = if i == 0 {
            None
        } else {
            chars[i - 1].to_lowercase().next()
        };
        let initial = prev.is_none_or(|p| !p.is_alphabetic());
        let s: String = match c {
            'ў' => format!("o{apostrophe}"),
            'ғ' => format!("g{apostrophe}"),
            'қ' => "q".into(),
            'ҳ' => "h".into(),
            'х' => "x".into(),
            'ж' => "j".into(),
            'й' => "y".into(),
            'ч' => "ch".into(),
            'ш' => "sh".into(),
            'ц' => "ts".into(),
            'е' if initial => "ye".into(),
            'ё' => "yo".into(),
            'ю' => "yu".into(),
            'я' => "ya".into(),
            'ъ' => apostrophe.into(),
            'ь' => "".into(),
            _ => romanise(&c.to_string(), System::Icao2013),
        };
        if upper {
            let mut cs = s.chars();
            if let Some(f) = cs.next() {
                out.extend(f.to_uppercase());
                out.push_str(cs.as_str());
            }
        } else {
            out.push_str(&s);
        }
    }
    out
}

/// English/BGN-style Latin of Kyrgyz, Kazakh or Tajik Cyrillic (j for ж in Kyrgyz, q for қ...).
pub fn national_latin(text: &str, nation: Nation, kazakh_2021: bool) -> String {
    let mut out = String::new();
    for orig in text.chars() {
        let c = orig.to_lowercase().next().unwrap_or(orig);
        let upper = orig != c;
        let s: String = match (nation, c) {
            (Nation::Kazakh, 'ә') if kazakh_2021 => "ä".into(),
            (Nation::Kazakh, 'ғ') if kazakh_2021 => "ğ".into(),
            (Nation::Kazakh, 'ң') if kazakh_2021 => "ñ".into(),
            (Nation::Kazakh, 'ө') if kazakh_2021 => "ö".into(),
            (Nation::Kazakh, 'ү') if kazakh_2021 => "ü".into(),
            (Nation::Kazakh, 'ұ') if kazakh_2021 => "ū".into(),
            (Nation::Kazakh, 'ш') if kazakh_2021 => "ş".into(),
            (Nation::Kazakh, 'ч') if kazakh_2021 => "ç".into(),
            (Nation::Kazakh, 'ж') if kazakh_2021 => "j".into(),
            (Nation::Kazakh, 'і') if kazakh_2021 => "ı".into(),
            (Nation::Kazakh, 'й') if kazakh_2021 => "i".into(),
            (Nation::Kyrgyz, 'ж') => "j".into(),
            (Nation::Tajik, 'ж') => "zh".into(),
            (_, 'ә') => "a".into(),
            (_, 'ғ') => "gh".into(),
            (_, 'қ') => "q".into(),
            (_, 'ң') => "ng".into(),
            (_, 'ө') => "o".into(),
            (_, 'ү' | 'ұ' | 'ӯ') => "u".into(),
            (_, 'һ' | 'ҳ') => "h".into(),
            (_, 'і' | 'ӣ') => "i".into(),
            (_, 'ҷ') => "j".into(),
            _ => romanise(&c.to_string(), System::Bgn),
        };
        if upper {
            let mut cs = s.chars();
            if let Some(f) = cs.next() {
                out.extend(f.to_uppercase());
                out.push_str(cs.as_str());
            }
        } else {
            out.push_str(&s);
        }
    }
    out
}

fn map_form(f: &Form, g: impl Fn(&str) -> String) -> Form {
    Form {
        family: g(&f.family),
        given: g(&f.given),
        patronymic: f.patronymic.as_ref().map(|p| g(p)),
    }
}

/// Writes a form in one of the orders, with or without the patronymic.
fn write(f: &Form, surname_first: bool, with_patronymic: bool) -> String {
    let mut parts: Vec<&str> = Vec::new();
    if surname_first {
        parts.push(&f.family);
        parts.push(&f.given);
    } else {
        parts.push(&f.given);
        parts.push(&f.family);
    }
    if with_patronymic && let Some(p) = &f.patronymic {
        parts.push(p);
    }
    parts.join(" ")
}

/// Every rendering of a person: (text, tag).
pub fn views(p: &Person, rng: &mut Rng) -> Vec<(String, String)> {
    let mut v = Vec::new();
    let nat = national_form(p);
    v.push((write(&nat, false, true), "national_cyrillic".to_string()));
    v.push((write(&nat, true, true), "national_cyrillic_doc".to_string()));
    let ru = russian_form(p, rng.chance(0.3));
    v.push((write(&ru, true, true), "russian_document".to_string()));
    v.push((write(&ru, false, false), "russian_prose".to_string()));
    for sys in SYSTEMS {
        let lat = map_form(&ru, |s| romanise(s, sys));
        v.push((write(&lat, rng.chance(0.5), false), sys.tag().to_string()));
    }
    match p.nation {
        Nation::Uzbek => {
            let ap = *rng.pick(&["ʻ", "'", "’", "`", ""]);
            let lat = map_form(&nat, |s| uzbek_latin(s, ap));
            v.push((write(&lat, true, true), "uzbek_latin".to_string()));
        }
        Nation::Kyrgyz | Nation::Tajik => {
            let lat = map_form(&nat, |s| national_latin(s, p.nation, false));
            v.push((write(&lat, false, false), "national_latin".to_string()));
        }
        Nation::Kazakh => {
            let kazakh_2021 = rng.chance(0.5);
            let lat = map_form(&nat, |s| national_latin(s, p.nation, kazakh_2021));
            v.push((write(&lat, false, false), "national_latin".to_string()));
        }
        Nation::Russian => {}
    }
    // MRZ of the 2013 passport: SURNAME<<GIVEN.
    let icao = map_form(&ru, |s| romanise(s, System::Icao2013));
    let mrz = format!(
        "{}<<{}",
        icao.family.to_uppercase().replace(' ', "<"),
        icao.given.to_uppercase()
    );
    v.push((mrz, "mrz".to_string()));
    v
}

/// Keyboard neighbours and OCR confusions for noise.
fn typo(s: &str, rng: &mut Rng) -> String {
    let words: Vec<&str> = s.split(' ').collect();
    let long: Vec<usize> = (0..words.len())
        .filter(|&i| words[i].chars().count() >= 6)
        .collect();
    if long.is_empty() {
        return s.to_string();
    }
    let w = *rng.pick(&long);
    let mut cs: Vec<char> = words[w].chars().collect();
    let i = 1 + rng.below(cs.len() - 2);
    match rng.below(3) {
        0 => {
            cs.remove(i);
        }
        1 => cs.swap(i, i + 1),
        _ => {
            let c = cs[i];
            cs[i] = if c.is_ascii() {
                if c == 'e' { 'r' } else { 'e' }
            } else if c == 'а' {
                'о'
            } else {
                'а'
            };
        }
    }
    let mut out: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    out[w] = cs.into_iter().collect();
    out.join(" ")
}

fn ocr(s: &str, rng: &mut Rng) -> String {
    const PAIRS: [(&str, &str); 9] = [
        ("Б", "В"),
        ("ш", "щ"),
        ("и", "н"),
        ("m", "rn"),
        ("d", "cl"),
        ("l", "1"),
        ("o", "0"),
        ("б", "6"),
        ("з", "3"),
    ];
    let hits: Vec<&(&str, &str)> = PAIRS.iter().filter(|(x, _)| s.contains(x)).collect();
    if hits.is_empty() {
        return s.to_string();
    }
    let (x, y) = **rng.pick(&hits);
    s.replacen(x, y, 1)
}

fn homoglyph(s: &str, rng: &mut Rng) -> String {
    const PAIRS: [(char, char); 5] = [('а', 'a'), ('о', 'o'), ('е', 'e'), ('с', 'c'), ('А', 'A')];
    let hits: Vec<&(char, char)> = PAIRS.iter().filter(|(x, _)| s.contains(*x)).collect();
    if hits.is_empty() {
        return s.to_string();
    }
    let (x, y) = **rng.pick(&hits);
    s.replacen(x, &y.to_string(), 1)
}

fn person(rng: &mut Rng) -> Person {
    let nation = *rng.pick(&NATIONS);
    let female = rng.chance(0.4);
    let given = if female {
        *rng.pick(female_list(nation))
    } else {
        *rng.pick(male(nation))
    };
    let father = *rng.pick(male(nation));
    let root = if nation == Nation::Russian {
        *rng.pick(&RUSSIAN_SURNAMES)
    } else {
        *rng.pick(roots(nation))
    };
    let new_style = rng.chance(0.5);
    // A Kazakh -ұлы/-қызы surname replaces an -ов surname formed from the same father's name.
    let root = if nation == Nation::Kazakh && new_style {
        father
    } else {
        root
    };
    Person {
        nation,
        female,
        given: given.to_string(),
        father: father.to_string(),
        root: root.to_string(),
        new_style,
    }
}

fn female_list(n: Nation) -> &'static [&'static str] {
    female(n)
}

/// Masculine/feminine given-name pairs, one-letter-prefix pairs and compound pairs: different
/// names that look alike.
const GENDER_PAIRS: [(&str, &str); 8] = [
    ("Валентин", "Валентина"),
    ("Азиз", "Азиза"),
    ("Дилшод", "Дилшода"),
    ("Нодир", "Нодира"),
    ("Александр", "Александра"),
    ("Евгений", "Евгения"),
    ("Руслан", "Руслана"),
    ("Карим", "Карима"),
];
const PREFIX_PAIRS: [(&str, &str); 4] = [
    ("Амир", "Дамир"),
    ("Амир", "Самир"),
    ("Алина", "Галина"),
    ("Али", "Вали"),
];
const COMPOUND_PAIRS: [(&str, &str); 7] = [
    ("Нурлан", "Нурланбек"),
    ("Улан", "Уланбек"),
    ("Алмаз", "Алмазбек"),
    ("Муҳаммадали", "Муҳаммадамин"),
    ("Абдулазиз", "Абдумалик"),
    ("Нурбек", "Нурлан"),
    ("Гулнора", "Гулчеҳра"),
];
const SURNAME_PAIRS: [(&str, &str); 9] = [
    ("Али", "Вали"),
    ("Асан", "Ҳасан"),
    ("Баран", "Ворон"),
    ("Карим", "Комил"),
    ("Раҳим", "Раҳмон"),
    ("Юсуп", "Юнус"),
    ("Шариф", "Шараф"),
    ("Тошмат", "Тошпўлат"),
    ("Бакас", "Бакир"),
];

/// Two renderings of two people, as a pair.
fn pair_of(a: &Person, b: &Person, label: u8, kind: &str, rng: &mut Rng) -> Pair {
    let va = views(a, rng);
    let vb = views(b, rng);
    let (ta, tag_a) = rng.pick(&va).clone();
    let (tb, tag_b) = loop {
        let x = rng.pick(&vb).clone();
        if label == 0 || x.0 != ta {
            break x;
        }
    };
    let _ = (tag_a, tag_b);
    Pair {
        a: ta,
        b: tb,
        label,
        kind: kind.to_string(),
    }
}

/// The generated corpus: `n_people` people, each giving positives, and hard negatives beside them.
pub fn generate(seed: u64, n_people: usize) -> Vec<Pair> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::new();
    for _ in 0..n_people {
        let p = person(&mut rng);
        let vs = views(&p, &mut rng);
        // Positives: two renderings in different systems, orders or forms.
        for _ in 0..3 {
            let i = rng.below(vs.len());
            let mut j = rng.below(vs.len());
            if j == i {
                j = (j + 1) % vs.len();
            }
            let (a, b) = (&vs[i], &vs[j]);
            if a.0 == b.0 {
                continue;
            }
            let kind = if a.1 < b.1 {
                format!("{}~{}", a.1, b.1)
            } else {
                format!("{}~{}", b.1, a.1)
            };
            out.push(Pair {
                a: a.0.clone(),
                b: b.0.clone(),
                label: 1,
                kind,
            });
        }
        // Positives with noise.
        let (base, _) = rng.pick(&vs).clone();
        let (other, _) = rng.pick(&vs).clone();
        let noisy = match rng.below(3) {
            0 => ("typo", typo(&base, &mut rng)),
            1 => ("ocr", ocr(&base, &mut rng)),
            _ => ("homoglyph", homoglyph(&base, &mut rng)),
        };
        if noisy.1 != base {
            out.push(Pair {
                a: other,
                b: noisy.1,
                label: 1,
                kind: noisy.0.to_string(),
            });
        }
        // A sibling: same family, another given name of the same sex.
        let mut sib = p.clone();
        let list = if p.female {
            female(p.nation)
        } else {
            male(p.nation)
        };
        while sib.given == p.given {
            sib.given = rng.pick(list).to_string();
        }
        out.push(pair_of(&p, &sib, 0, "sibling", &mut rng));
    }
    // Hard negatives: near-twins.
    for _ in 0..n_people {
        let p = person(&mut rng);
        let k = rng.below(4);
        let (table, kind): (&[(&str, &str)], &str) = match k {
            0 => (&GENDER_PAIRS, "gender_pair"),
            1 => (&PREFIX_PAIRS, "one_letter_prefix"),
            2 => (&COMPOUND_PAIRS, "compound"),
            _ => (&SURNAME_PAIRS, "similar_surname"),
        };
        let (x, y) = *rng.pick(table);
        let (mut a, mut b) = (p.clone(), p.clone());
        if kind == "similar_surname" {
            if a.nation == Nation::Russian {
                a.nation = Nation::Uzbek;
                b.nation = Nation::Uzbek;
            }
            a.root = x.to_string();
            b.root = y.to_string();
            // The -ұлы form is built from the father's name, which these two share.
            a.new_style &= a.nation != Nation::Kazakh;
            b.new_style = a.new_style;
        } else {
            a.given = x.to_string();
            b.given = y.to_string();
            if kind == "gender_pair" {
                a.female = false;
                b.female = true;
            } else {
                let fem = |s: &str| {
                    female(Nation::Kyrgyz).contains(&s)
                        || ["Алина", "Галина", "Гулнора", "Гулчеҳра"].contains(&s)
                };
                a.female = fem(x);
                b.female = fem(y);
            }
            if a.nation == Nation::Russian {
                // Central Asian and Russian given names with a Russian surname are fine.
            }
        }
        out.push(pair_of(&a, &b, 0, kind, &mut rng));
    }
    out
}

/// Reads `a,b,label,kind` CSV (quoted fields allowed, no embedded newlines).
pub fn read_csv(text: &str) -> Vec<Pair> {
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let f = split_csv(l);
            Pair {
                a: f.first().cloned().unwrap_or_default(),
                b: f.get(1).cloned().unwrap_or_default(),
                label: f.get(2).and_then(|s| s.parse().ok()).unwrap_or(0),
                kind: f.get(3).cloned().unwrap_or_default(),
            }
        })
        .collect()
}

fn split_csv(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

fn quote(s: &str) -> String {
    if s.contains([',', '"']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Writes pairs as `a,b,label,kind` CSV.
pub fn write_csv(pairs: &[Pair]) -> String {
    let mut out = String::from("a,b,label,kind\n");
    for p in pairs {
        out.push_str(&format!(
            "{},{},{},{}\n",
            quote(&p.a),
            quote(&p.b),
            p.label,
            quote(&p.kind)
        ));
    }
    out
}
