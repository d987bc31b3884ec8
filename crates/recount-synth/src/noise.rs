//! The errors people and machines make when they write a name down: keyboard typos, OCR
//! confusions, Latin look-alikes inside Cyrillic words, dropped apostrophes.

use crate::dice::Dice;
use crate::script::is_letter;

const CYRILLIC_ROWS: [&str; 3] = ["йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю"];
const LATIN_ROWS: [&str; 3] = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];

/// A key next to `c` on its keyboard row (ЙЦУКЕН for Cyrillic, QWERTY for Latin).
fn neighbour(c: char, dice: &mut Dice) -> Option<char> {
    let lower = c.to_lowercase().next()?;
    for row in CYRILLIC_ROWS.iter().chain(LATIN_ROWS.iter()) {
        let keys: Vec<char> = row.chars().collect();
        if let Some(i) = keys.iter().position(|k| *k == lower) {
            let options: Vec<char> = [i.checked_sub(1), Some(i + 1)]
                .into_iter()
                .flatten()
                .filter_map(|j| keys.get(j).copied())
                .collect();
            let n = *dice.pick(&options);
            return Some(if c.is_uppercase() {
                n.to_uppercase().next().unwrap_or(n)
            } else {
                n
            });
        }
    }
    None
}

/// One keyboard slip inside a word of `s`: a neighbouring key, a dropped, doubled or swapped
/// letter. The first letter is spared (people notice those), and so are strings too short to
/// stay recognisable.
pub(crate) fn typo(s: &str, dice: &mut Dice) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    let letters: Vec<usize> = (1..chars.len())
        .filter(|&i| is_letter(chars[i]) && is_letter(chars[i - 1]))
        .collect();
    if letters.len() < 3 {
        return s.to_owned();
    }
    let i = *dice.pick(&letters);
    match dice.below(4) {
        0 => {
            if let Some(n) = neighbour(chars[i], dice) {
                chars[i] = n;
            }
        }
        1 => {
            chars.remove(i);
        }
        2 => chars.insert(i, chars[i]),
        _ => {
            if i + 1 < chars.len() && is_letter(chars[i + 1]) {
                chars.swap(i, i + 1);
            } else {
                chars.swap(i - 1, i);
            }
        }
    }
    chars.into_iter().collect()
}

/// Confusions of scanned and retyped documents (names.md §5.4).
const OCR: [(&str, &str); 18] = [
    ("б", "в"),
    ("в", "б"),
    ("ш", "щ"),
    ("щ", "ш"),
    ("й", "и"),
    ("и", "н"),
    ("п", "л"),
    ("З", "3"),
    ("Б", "В"),
    ("о", "0"),
    ("m", "rn"),
    ("rn", "m"),
    ("d", "cl"),
    ("h", "li"),
    ("l", "1"),
    ("O", "0"),
    ("u", "v"),
    ("I", "l"),
];

/// One OCR confusion, if the string has a letter that can be confused.
pub(crate) fn ocr(s: &str, dice: &mut Dice) -> String {
    let candidates: Vec<(usize, &str, &str)> = OCR
        .iter()
        .flat_map(|(from, to)| s.match_indices(from).map(move |(i, _)| (i, *from, *to)))
        .filter(|(i, _, _)| *i > 0)
        .collect();
    if candidates.is_empty() {
        return s.to_owned();
    }
    let (i, from, to) = *dice.pick(&candidates);
    format!("{}{}{}", &s[..i], to, &s[i + from.len()..])
}

/// Cyrillic letters and the Latin letters that look the same.
const HOMOGLYPHS: [(char, char); 18] = [
    ('а', 'a'),
    ('е', 'e'),
    ('о', 'o'),
    ('р', 'p'),
    ('с', 'c'),
    ('у', 'y'),
    ('х', 'x'),
    ('А', 'A'),
    ('В', 'B'),
    ('Е', 'E'),
    ('К', 'K'),
    ('М', 'M'),
    ('Н', 'H'),
    ('О', 'O'),
    ('Р', 'P'),
    ('С', 'C'),
    ('Т', 'T'),
    ('Х', 'X'),
];

/// One or two Cyrillic letters replaced by Latin look-alikes (a mixed-layout keyboard, or a
/// list compiled from copied text).
pub(crate) fn homoglyph(s: &str, dice: &mut Dice) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    let spots: Vec<usize> = (0..chars.len())
        .filter(|&i| HOMOGLYPHS.iter().any(|(c, _)| *c == chars[i]))
        .collect();
    if spots.is_empty() {
        return s.to_owned();
    }
    for _ in 0..1 + dice.below(2) {
        let i = *dice.pick(&spots);
        if let Some((_, latin)) = HOMOGLYPHS.iter().find(|(c, _)| *c == chars[i]) {
            chars[i] = *latin;
        }
    }
    chars.into_iter().collect()
}

/// Drops the apostrophes of Uzbek Latin (O'tkir → Otkir).
pub(crate) fn drop_apostrophes(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '\'' | '\u{02BB}' | '\u{02BC}' | '\u{2019}' | '`'))
        .collect()
}

/// The Uzbek ʻ replaced by one of the characters people type for it.
pub(crate) fn vary_apostrophe(s: &str, dice: &mut Dice) -> String {
    let with = *dice.pick(&['\'', '\u{2019}', '`', '\u{02BB}']);
    s.chars()
        .map(|c| if c == '\u{02BB}' { with } else { c })
        .collect()
}

/// The ЙЦУКЕН keys and the QWERTY keys in the same places.
const LAYOUT_RU: &str = "йцукенгшщзхъфывапролджэячсмитьбю";
const LAYOUT_EN: &str = "qwertyuiop[]asdfghjkl;'zxcvbnm,.";

/// A Cyrillic name typed with the keyboard left on the Latin layout (Асанов → Fcfyjd).
pub(crate) fn wrong_layout(s: &str) -> String {
    s.chars()
        .map(|c| {
            let lower = c.to_lowercase().next().unwrap_or(c);
            match LAYOUT_RU.chars().position(|k| k == lower) {
                Some(i) => {
                    let key = LAYOUT_EN.chars().nth(i).unwrap_or(c);
                    if c.is_uppercase() {
                        key.to_ascii_uppercase()
                    } else {
                        key
                    }
                }
                None => c,
            }
        })
        .collect()
}

/// Two adjacent digits swapped (a document number retyped).
pub(crate) fn swap_digits(s: &str, dice: &mut Dice) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    let spots: Vec<usize> = (0..chars.len().saturating_sub(1))
        .filter(|&i| {
            chars[i].is_ascii_digit() && chars[i + 1].is_ascii_digit() && chars[i] != chars[i + 1]
        })
        .collect();
    if spots.is_empty() {
        return s.to_owned();
    }
    let i = *dice.pick(&spots);
    chars.swap(i, i + 1);
    chars.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit_distance(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for i in 1..=a.len() {
            let mut cur = vec![i; b.len() + 1];
            for j in 1..=b.len() {
                let sub = prev[j - 1] + usize::from(a[i - 1] != b[j - 1]);
                cur[j] = sub.min(prev[j] + 1).min(cur[j - 1] + 1);
            }
            prev = cur;
        }
        prev[b.len()]
    }

    #[test]
    fn typos_are_small_and_spare_the_first_letter() {
        let mut d = Dice::new(5);
        let mut changed = 0;
        for _ in 0..500 {
            for s in ["Бекболат Асанов", "Jamshed Rahmonzoda"] {
                let t = typo(s, &mut d);
                assert!(edit_distance(s, &t) <= 2, "{s} -> {t}");
                assert_eq!(s.chars().next(), t.chars().next());
                changed += usize::from(t != s);
            }
        }
        assert!(changed > 900, "{changed}");
        assert_eq!(typo("Ли", &mut d), "Ли");
    }

    #[test]
    fn ocr_homoglyphs_and_apostrophes() {
        let mut d = Dice::new(6);
        let o = ocr("Бобур", &mut d);
        assert_ne!(o, "Бобур");
        assert_eq!(ocr("Ким", &mut d).chars().count(), 3);
        let h = homoglyph("Асанов", &mut d);
        assert_ne!(h, "Асанов");
        assert!(h.chars().any(|c| c.is_ascii_alphabetic()));
        assert_eq!(drop_apostrophes("O'tkir G\u{02BB}ayrat"), "Otkir Gayrat");
        assert_eq!(swap_digits("45 19", &mut d).len(), 5);
        assert_eq!(wrong_layout("Асанов Бекболат"), "Fcfyjd ,tr,jkfn");
    }
}
