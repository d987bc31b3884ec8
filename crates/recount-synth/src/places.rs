//! The places of the scenario (scenario.md), each with the spellings records use: Russian
//! Cyrillic, English exonym, national Cyrillic or Latin, abbreviations.

use crate::people::Nationality;
use recount_types::CountryCode;

/// A place and the ways records write it. The first spelling is the canonical Russian one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Place {
    /// Russian Cyrillic.
    pub ru: &'static str,
    /// English exonym.
    pub en: &'static str,
    /// Other spellings seen in records (national scripts, Latin transliterations, short forms).
    pub variants: &'static [&'static str],
}

/// Russian cities with large Central Asian communities, with their weight among the affected.
pub(crate) const CITIES: [(Place, f64); 8] = [
    (
        Place {
            ru: "Москва",
            en: "Moscow",
            variants: &["г. Москва", "Moskva", "МСК", "Maskva"],
        },
        36.0,
    ),
    (
        Place {
            ru: "Санкт-Петербург",
            en: "Saint Petersburg",
            variants: &["СПб", "St. Petersburg", "Питер", "Sankt-Peterburg"],
        },
        12.0,
    ),
    (
        Place {
            ru: "Екатеринбург",
            en: "Yekaterinburg",
            variants: &["Екб", "Ekaterinburg"],
        },
        10.0,
    ),
    (
        Place {
            ru: "Новосибирск",
            en: "Novosibirsk",
            variants: &["г. Новосибирск", "Novosib"],
        },
        8.0,
    ),
    (
        Place {
            ru: "Сургут",
            en: "Surgut",
            variants: &["г. Сургут", "Surgut, KhMAO"],
        },
        9.0,
    ),
    (
        Place {
            ru: "Красноярск",
            en: "Krasnoyarsk",
            variants: &["Krasnoiarsk", "г. Красноярск"],
        },
        8.0,
    ),
    (
        Place {
            ru: "Казань",
            en: "Kazan",
            variants: &["Qazan", "г. Казань"],
        },
        8.0,
    ),
    (
        Place {
            ru: "Тюмень",
            en: "Tyumen",
            variants: &["Tiumen", "г. Тюмень"],
        },
        9.0,
    ),
];

/// Where people were stopped: road crossings into Kazakhstan and Moscow's airports.
pub(crate) const CROSSINGS: [Place; 8] = [
    Place {
        ru: "МАПП Маштаково",
        en: "Mashtakovo crossing",
        variants: &[
            "Маштаково (Оренбургская обл.)",
            "Mashtakovo",
            "КПП Маштаково",
        ],
    },
    Place {
        ru: "МАПП Петухово",
        en: "Petukhovo crossing",
        variants: &["Петухово (Курганская обл.)", "Petukhovo", "КПП Петухово"],
    },
    Place {
        ru: "МАПП Караузек",
        en: "Karauzek crossing",
        variants: &["Караозек (Астраханская обл.)", "Karauzek", "КПП Караузек"],
    },
    Place {
        ru: "МАПП Троицк",
        en: "Troitsk crossing",
        variants: &["Троицк (Челябинская обл.)", "Troitsk", "КПП Троицк"],
    },
    Place {
        ru: "МАПП Кулунда",
        en: "Kulunda crossing",
        variants: &["Кулунда (Алтайский край)", "Kulunda", "КПП Кулунда"],
    },
    Place {
        ru: "аэропорт Шереметьево",
        en: "Sheremetyevo airport",
        variants: &["Шереметьево", "SVO", "а/п Шереметьево"],
    },
    Place {
        ru: "аэропорт Внуково",
        en: "Vnukovo airport",
        variants: &["Внуково", "VKO", "а/п Внуково"],
    },
    Place {
        ru: "аэропорт Домодедово",
        en: "Domodedovo airport",
        variants: &["Домодедово", "DME", "а/п Домодедово"],
    },
];

/// Which crossing people from a city tend to use: weights over [`CROSSINGS`] by city index.
pub(crate) fn crossing_weights(city: usize) -> [f64; 8] {
    match city {
        // Moscow, Saint Petersburg, Kazan: airports and the southern roads.
        0 | 1 | 6 => [22.0, 4.0, 14.0, 10.0, 1.0, 22.0, 15.0, 12.0],
        // The Urals and western Siberia.
        2 | 4 | 7 => [10.0, 38.0, 2.0, 40.0, 4.0, 3.0, 2.0, 1.0],
        // Novosibirsk, Krasnoyarsk.
        _ => [2.0, 18.0, 1.0, 6.0, 66.0, 3.0, 2.0, 2.0],
    }
}

/// A region of origin: its country and its spellings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Region {
    pub(crate) country: &'static str,
    pub(crate) place: Place,
    /// The national Cyrillic or Latin form.
    pub(crate) national: &'static str,
}

const fn region(
    country: &'static str,
    ru: &'static str,
    en: &'static str,
    national: &'static str,
    variants: &'static [&'static str],
) -> Region {
    Region {
        country,
        place: Place { ru, en, variants },
        national,
    }
}

pub(crate) const REGIONS: [Region; 21] = [
    region("KG", "Ош", "Osh", "Ош", &["г. Ош", "Osh city"]),
    region(
        "KG",
        "Джалал-Абад",
        "Jalal-Abad",
        "Жалал-Абад",
        &["Жалалабад", "Dzhalal-Abad"],
    ),
    region("KG", "Баткен", "Batken", "Баткен", &["Баткенская обл."]),
    region("KG", "Чуйская область", "Chuy", "Чүй", &["Чуй", "Chui"]),
    region(
        "KG",
        "Бишкек",
        "Bishkek",
        "Бишкек",
        &["г. Бишкек", "Frunze"],
    ),
    region("KG", "Нарын", "Naryn", "Нарын", &["Нарынская обл."]),
    region("KG", "Талас", "Talas", "Талас", &["Таласская обл."]),
    region(
        "KG",
        "Иссык-Куль",
        "Issyk-Kul",
        "Ысык-Көл",
        &["Ysyk-Kol", "Каракол"],
    ),
    region(
        "TJ",
        "Худжанд",
        "Khujand",
        "Хуҷанд",
        &["Khudzhand", "Согдийская обл.", "Sughd"],
    ),
    region(
        "TJ",
        "Хатлон",
        "Khatlon",
        "Хатлон",
        &["Хатлонская обл.", "Kurgan-Tyube"],
    ),
    region("TJ", "Душанбе", "Dushanbe", "Душанбе", &["г. Душанбе"]),
    region(
        "UZ",
        "Фергана",
        "Fergana",
        "Farg\u{02BB}ona",
        &["Farg'ona", "Ферганская обл."],
    ),
    region(
        "UZ",
        "Андижан",
        "Andijan",
        "Andijon",
        &["Андижанская обл.", "Andizhan"],
    ),
    region(
        "UZ",
        "Наманган",
        "Namangan",
        "Namangan",
        &["Наманганская обл."],
    ),
    region(
        "UZ",
        "Самарканд",
        "Samarkand",
        "Samarqand",
        &["Самаркандская обл."],
    ),
    region("UZ", "Ташкент", "Tashkent", "Toshkent", &["г. Ташкент"]),
    region(
        "UZ",
        "Кашкадарья",
        "Kashkadarya",
        "Qashqadaryo",
        &["Кашкадарьинская обл."],
    ),
    region(
        "KZ",
        "Шымкент",
        "Shymkent",
        "Шымкент",
        &["Чимкент", "Chimkent"],
    ),
    region(
        "KZ",
        "Алматы",
        "Almaty",
        "Алматы",
        &["Алма-Ата", "Alma-Ata"],
    ),
    region("KZ", "Кызылорда", "Kyzylorda", "Қызылорда", &["Kzyl-Orda"]),
    region(
        "KZ",
        "Актобе",
        "Aktobe",
        "Ақтөбе",
        &["Актюбинск", "Aktyubinsk"],
    ),
];

/// The country a person of this naming tradition comes from, drawn by the caller's weights:
/// ethnic Uzbeks from Osh are Kyrgyzstan's citizens, ethnic Russians come from Kazakhstan or
/// Kyrgyzstan.
pub(crate) fn origin_weights(n: Nationality) -> &'static [(&'static str, f64)] {
    match n {
        Nationality::Kyrgyz => &[("KG", 1.0)],
        Nationality::Kazakh => &[("KZ", 0.9), ("UZ", 0.1)],
        Nationality::Uzbek => &[("UZ", 0.82), ("KG", 0.13), ("TJ", 0.05)],
        Nationality::Tajik => &[("TJ", 0.92), ("UZ", 0.08)],
        Nationality::Russian => &[("KZ", 0.6), ("KG", 0.3), ("UZ", 0.1)],
    }
}

/// The regions of a country, as a range of indices into [`REGIONS`] (grouped by country).
pub(crate) fn regions_of(country: CountryCode) -> std::ops::Range<usize> {
    let c = country.as_str();
    let start = REGIONS.iter().position(|r| r.country == c).unwrap_or(0);
    let len = REGIONS[start..]
        .iter()
        .take_while(|r| r.country == c)
        .count();
    start..start + len.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_origin_country_has_regions() {
        for n in Nationality::ALL {
            for (c, _) in origin_weights(n) {
                let range = regions_of(c.parse().unwrap());
                assert!(range.clone().all(|i| REGIONS[i].country == *c), "{c}");
                // Every region of the country is in its range (the table is grouped by country).
                let all = REGIONS.iter().filter(|r| r.country == *c).count();
                assert_eq!(range.len(), all, "{c}");
            }
        }
        for i in 0..CITIES.len() {
            assert!(crossing_weights(i).iter().sum::<f64>() > 0.0);
        }
    }
}
