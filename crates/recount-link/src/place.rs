//! Place names (birth place, residence, where the event happened): one normal form for a place
//! written in Cyrillic or Latin, with the English exonyms that transliteration alone does not
//! reach (`Москва` = `Moscow`, `Ленинабад` = `Khujand`, `DME` = `Домодедово`).

use crate::name::latin_skeleton;

/// Words that only say what kind of place follows ("г. Ош", "city of Osh", "Ошская область").
const NOISE: &[&str] = &[
    "г",
    "гор",
    "город",
    "пос",
    "посёлок",
    "поселок",
    "с",
    "село",
    "обл",
    "область",
    "р",
    "район",
    "ул",
    "улица",
    "city",
    "town",
    "of",
    "the",
    "village",
    "region",
    "oblast",
    "obl",
    "district",
    "st",
    "ul",
    // "City" in Uzbek, Tajik, Kyrgyz and Kazakh ("Moskva shahri", "Бишкек шаары").
    "shahri",
    "shahar",
    "шаҳри",
    "шаҳар",
    "шаары",
    "шаар",
    "қаласы",
    "қала",
    // Regions written after a city ("Сургут, ХМАО", "край").
    "хмао",
    "хмао-югра",
    "khmao",
    "янао",
    "yanao",
    "ао",
    "край",
    "krai",
    "kray",
    // What kind of place an event happened at: a border crossing, an airport, a recruitment
    // office ("МАПП Петухово" = "Petukhovo crossing", "военкомат, Москва" = "recruitment
    // office, Moscow"). Nobody's residence is one of these, so they are noise there too.
    "мапп",
    "кпп",
    "пункт",
    "пропуска",
    "crossing",
    "checkpoint",
    "border",
    "аэропорт",
    "airport",
    "военкомат",
    "военный",
    "комиссариат",
    "recruitment",
    "office",
    "military",
    "commissariat",
];

/// Cyrillic spellings (lower case) whose English form differs from their transliteration, and
/// old or colloquial names of the same place, each with the English form they normalise to.
const EXONYMS: &[(&str, &str)] = &[
    ("москва", "moscow"),
    ("moskva", "moscow"),
    ("мск", "moscow"),
    // As Central Asian speakers write and say it: Uzbek/Kyrgyz colloquial, Tajik, Kazakh.
    ("maskva", "moscow"),
    ("масква", "moscow"),
    ("маскав", "moscow"),
    ("maskav", "moscow"),
    ("мәскеу", "moscow"),
    ("mäskeu", "moscow"),
    ("санкт-петербург", "saint petersburg"),
    ("санкт петербург", "saint petersburg"),
    ("петербург", "saint petersburg"),
    ("питер", "saint petersburg"),
    ("спб", "saint petersburg"),
    ("ленинград", "saint petersburg"),
    ("st petersburg", "saint petersburg"),
    ("sankt-peterburg", "saint petersburg"),
    ("sankt peterburg", "saint petersburg"),
    ("peterburg", "saint petersburg"),
    ("ош", "osh"),
    ("худжанд", "khujand"),
    ("хужанд", "khujand"),
    ("ходжент", "khujand"),
    ("ленинабад", "khujand"),
    ("khodzhent", "khujand"),
    ("leninabad", "khujand"),
    ("фрунзе", "bishkek"),
    ("frunze", "bishkek"),
    ("алма-ата", "almaty"),
    ("алма ата", "almaty"),
    ("алматы", "almaty"),
    ("alma-ata", "almaty"),
    ("alma ata", "almaty"),
    ("нур-султан", "astana"),
    ("нур султан", "astana"),
    ("целиноград", "astana"),
    ("акмола", "astana"),
    ("ташкент", "tashkent"),
    ("тошкент", "tashkent"),
    ("toshkent", "tashkent"),
    ("самарканд", "samarkand"),
    ("samarqand", "samarkand"),
    ("бухара", "bukhara"),
    ("buxoro", "bukhara"),
    ("бухоро", "bukhara"),
    ("фергана", "fergana"),
    ("farg'ona", "fergana"),
    ("fargona", "fergana"),
    ("андижан", "andijan"),
    ("andijon", "andijan"),
    ("наманган", "namangan"),
    ("джалал-абад", "jalal-abad"),
    ("жалал-абад", "jalal-abad"),
    ("jalalabad", "jalal-abad"),
    ("курган-тюбе", "bokhtar"),
    ("бохтар", "bokhtar"),
    ("qurghonteppa", "bokhtar"),
    ("kurgan-tyube", "bokhtar"),
    ("екатеринбург", "yekaterinburg"),
    ("свердловск", "yekaterinburg"),
    ("екб", "yekaterinburg"),
    ("ekb", "yekaterinburg"),
    ("ёбург", "yekaterinburg"),
    ("ебург", "yekaterinburg"),
    ("ekaterinburg", "yekaterinburg"),
    ("новосиб", "novosibirsk"),
    ("novosib", "novosibirsk"),
    ("qazan", "kazan"),
    ("казан", "kazan"),
    ("нижний новгород", "nizhny novgorod"),
    ("горький", "nizhny novgorod"),
    // Moscow's and Saint Petersburg's airports by their codes.
    ("svo", "sheremetyevo"),
    ("шереметьево", "sheremetyevo"),
    ("vko", "vnukovo"),
    ("dme", "domodedovo"),
    ("led", "pulkovo"),
    ("украина", "ukraine"),
    ("україна", "ukraine"),
    ("россия", "russia"),
    ("рф", "russia"),
    ("кыргызстан", "kyrgyzstan"),
    ("киргизия", "kyrgyzstan"),
    ("кыргызская республика", "kyrgyzstan"),
    ("kirghizia", "kyrgyzstan"),
    ("kyrgyz republic", "kyrgyzstan"),
    ("таджикистан", "tajikistan"),
    ("тоҷикистон", "tajikistan"),
    ("узбекистан", "uzbekistan"),
    ("ўзбекистон", "uzbekistan"),
    ("o'zbekiston", "uzbekistan"),
    ("uzbekiston", "uzbekistan"),
    ("казахстан", "kazakhstan"),
    ("қазақстан", "kazakhstan"),
    ("qazaqstan", "kazakhstan"),
];

/// The normal form of a place name: lower case, noise words dropped, exonyms applied (to the
/// whole text and to each comma-separated part), then the name engine's Latin skeleton. Empty
/// when nothing is left.
pub fn normalise_place(text: &str) -> String {
    // "а/п" (аэропорт) before the split at '/', which would leave two letters.
    let lower = text.trim().to_lowercase().replace("а/п", " ");
    let mut parts = Vec::new();
    for part in lower.split([',', ';', '/']) {
        let words: Vec<&str> = part
            .split(|c: char| c.is_whitespace() || c == '.' || c == '(' || c == ')')
            .filter(|w| !w.is_empty() && !NOISE.contains(w))
            .collect();
        if words.is_empty() {
            continue;
        }
        let joined = words.join(" ");
        if let Some((_, en)) = EXONYMS.iter().find(|(k, _)| *k == joined) {
            parts.push((*en).to_owned());
            continue;
        }
        let mapped: Vec<&str> = words
            .iter()
            .map(|w| {
                EXONYMS
                    .iter()
                    .find(|(k, _)| k == w)
                    .map_or(*w, |(_, en)| *en)
            })
            .collect();
        parts.push(mapped.join(" "));
    }
    latin_skeleton(&parts.join(" "))
}

#[cfg(test)]
mod tests {
    use super::normalise_place;

    fn check(a: &str, b: &str, same: bool) {
        assert_eq!(
            normalise_place(a) == normalise_place(b),
            same,
            "{a} vs {b}: {} / {}",
            normalise_place(a),
            normalise_place(b)
        );
    }

    #[test]
    fn exonyms_and_scripts_meet() {
        check("Москва", "Moscow", true);
        check("г. Москва", "Moscow", true);
        check("Ош", "Osh", true);
        check("г. Ош", "city of Osh", true);
        check("Худжанд", "Khujand", true);
        check("Ленинабад", "Khujand", true);
        check("Бишкек", "Bishkek", true);
        check("Алма-Ата", "Almaty", true);
        check("Москва", "Osh", false);
        check("Худжанд", "Душанбе", false);
    }

    /// Colloquial forms, abbreviations and the Central Asian languages' names of the Russian
    /// cities migrants live in, which transliteration alone does not reach.
    #[test]
    fn colloquial_and_central_asian_names_of_russian_cities_meet() {
        for (variant, english) in [
            ("Maskva", "Moscow"),
            ("Маскав", "Moscow"),
            ("Мәскеу", "Moscow"),
            ("Moskva shahri", "Moscow"),
            ("Масква", "Moscow"),
            ("Екб", "Yekaterinburg"),
            ("ЕКБ", "Yekaterinburg"),
            ("Ёбург", "Yekaterinburg"),
            ("Ekaterinburg", "Yekaterinburg"),
            ("Новосиб", "Novosibirsk"),
            ("Novosib", "Novosibirsk"),
            ("Qazan", "Kazan"),
            ("Казан", "Kazan"),
            ("Krasnoiarsk", "Krasnoyarsk"),
            ("Tiumen", "Tyumen"),
            ("Surgut, KhMAO", "Surgut"),
            ("Sankt-Peterburg", "Saint Petersburg"),
            ("Peterburg", "Saint Petersburg"),
        ] {
            check(variant, english, true);
        }
        check("Маскав", "Kazan", false);
        check("Екб", "Novosibirsk", false);
    }

    /// Where an event happened, as the hotline, the lawyers and the media write it.
    #[test]
    fn crossings_airports_and_recruitment_offices_meet() {
        for (a, b) in [
            ("МАПП Петухово", "Petukhovo crossing"),
            ("КПП Петухово", "Petukhovo"),
            ("DME", "аэропорт Домодедово"),
            ("SVO", "Sheremetyevo airport"),
            ("а/п Внуково", "Vnukovo airport"),
            ("военкомат, Москва", "recruitment office, Moscow"),
            ("Украина", "Ukraine"),
        ] {
            check(a, b, true);
        }
        check("МАПП Петухово", "МАПП Троицк", false);
        check("военкомат, Москва", "военкомат, Казань", false);
        check("DME", "SVO", false);
    }

    #[test]
    fn nothing_left_is_empty() {
        assert_eq!(normalise_place("г."), "");
        assert_eq!(normalise_place("  "), "");
    }
}
