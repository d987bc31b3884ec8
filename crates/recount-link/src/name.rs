//! The link crate's view of person names: a thin adapter over the name engine
//! (`recount-names`), so that the rest of the crate sees names as interned, prepared values with
//! blocking keys, term-frequency keys and a comparison level.
//!
//! TEMPORARY: until the name engine's first version lands, a minimal stand-in lives here.

use recount_types::Sex;

/// The comparison levels of names, best first (the name engine's nine levels minus "missing",
/// which is the null level of every comparison).
pub const NAME_LEVELS: [&str; 8] = [
    "exact",
    "transliteration",
    "skeleton",
    "alias_or_morphology",
    "fuzzy_high",
    "phonetic_or_compound",
    "fuzzy_low",
    "different",
];

/// One distinct name, prepared once.
#[derive(Debug, Clone)]
pub struct NameFeatures {
    raw: String,
    latin: Vec<String>,
    skel: Vec<String>,
    /// Namespaced per-token blocking keys, sorted and distinct.
    pub keys: Vec<String>,
    pub given_key: Option<String>,
    pub surname_key: Option<String>,
    pub sex: Option<Sex>,
}

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
        let (text, given_text, family_text) = match nonempty(name) {
            Some(n) => (n.to_owned(), None, None),
            None => {
                let parts: Vec<&str> = [nonempty(family), nonempty(given), nonempty(patronymic)]
                    .into_iter()
                    .flatten()
                    .collect();
                if parts.is_empty() {
                    return None;
                }
                (parts.join(" "), nonempty(given), nonempty(family))
            }
        };
        let raw = text.to_lowercase();
        let tokens: Vec<&str> = raw
            .split(|c: char| !c.is_alphanumeric())
            .filter(|t| !t.is_empty())
            .collect();
        if tokens.is_empty() {
            return None;
        }
        let mut latin: Vec<String> = tokens.iter().map(|t| translit(t)).collect();
        let mut skel: Vec<String> = latin.iter().map(|t| skeleton(t)).collect();
        let given_key = given_text.map(|g| skeleton(&translit(&g.to_lowercase())));
        let surname_key = family_text.map(|f| skeleton(&translit(&f.to_lowercase())));
        let (given_key, surname_key) = if given_key.is_none() && surname_key.is_none() {
            // A single `name` field: the first token is taken as the given name, the last as the
            // surname (the stand-in does not parse name order).
            (
                skel.first().cloned(),
                skel.last().cloned().filter(|_| skel.len() > 1),
            )
        } else {
            (given_key, surname_key)
        };
        let mut keys: Vec<String> = skel
            .iter()
            .filter(|s| s.len() > 1)
            .map(|s| format!("s:{s}"))
            .collect();
        keys.sort();
        keys.dedup();
        latin.sort();
        skel.sort();
        Some(NameFeatures {
            raw: tokens.join(" "),
            latin,
            skel,
            keys,
            given_key,
            surname_key,
            sex: None,
        })
    }

    /// The comparison level index (0 = exact … 7 = different).
    pub fn compare(&self, other: &NameFeatures) -> u8 {
        if self.raw == other.raw {
            return 0;
        }
        if self.latin == other.latin {
            return 1;
        }
        if self.skel == other.skel {
            return 2;
        }
        let (a, b) = (self.skel.join(" "), other.skel.join(" "));
        let jw = strsim::jaro_winkler(&a, &b);
        if jw >= 0.92 {
            4
        } else if jw >= 0.80 {
            6
        } else {
            7
        }
    }
}

/// The Latin skeleton of a place name or any free text (lower case, transliterated, folded).
pub fn latin_skeleton(text: &str) -> String {
    let lower = text.to_lowercase();
    let tokens: Vec<String> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(|t| skeleton(&translit(t)))
        .collect();
    tokens.join(" ")
}

fn translit(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    for c in t.chars() {
        let s = match c {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'е' | 'ё' | 'э' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' | 'і' | 'ӣ' => "i",
            'й' => "y",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' | 'ө' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' | 'ү' | 'ұ' | 'ӯ' | 'ў' => "u",
            'ф' => "f",
            'х' | 'ҳ' | 'һ' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ъ' | 'ь' => "",
            'ы' => "y",
            'ю' => "yu",
            'я' => "ya",
            'ә' => "a",
            'ғ' => "gh",
            'қ' => "q",
            'ң' => "ng",
            'ҷ' => "j",
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push_str(s);
    }
    out
}

fn skeleton(t: &str) -> String {
    let mut s = t
        .replace("shch", "sh")
        .replace("sch", "sh")
        .replace("dzh", "j")
        .replace("dj", "j");
    s = s
        .replace("zh", "j")
        .replace("kh", "h")
        .replace('x', "h")
        .replace("gh", "g")
        .replace('q', "k");
    s = s.replace("ye", "e").replace('y', "i").replace('w', "v");
    let mut out = String::with_capacity(s.len());
    let mut last = None;
    for c in s.chars() {
        if Some(c) != last {
            out.push(c);
        }
        last = Some(c);
    }
    out
}
