//! Text folds: from a token as written to the keys it is compared on.
//!
//! Each fold is a pure function of one token, in this order:
//!
//! 1. [`clean`]: Unicode NFKC, unified apostrophes and dashes, Latin/Cyrillic homoglyphs repaired
//!    towards the token's majority script, then lower case. This is the `exact` key.
//! 2. [`to_latin`]: one deterministic Cyrillic→Latin table for Russian, Kyrgyz, Kazakh, Uzbek and
//!    Tajik letters (ICAO consonants, `y` vowels, national letters as in Russian passport practice),
//!    Latin diacritics and Uzbek apostrophe letters (`oʻ`, `gʻ`) folded, any other script through
//!    `any_ascii`. This is the `latin` key.
//! 3. [`skeleton`]: a fold of the `latin` key under which the transliteration systems in use meet
//!    (zh/dzh/dj/j, kh/x/h, q/k, gh/g, ye/e, y/i, doubled letters, ...).
//! 4. [`consonants`]: the skeleton without vowels, for vowel drift between Russian and national
//!    spellings (Юлдашев ~ Yoʻldoshev).

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// The script a token is mostly written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Script {
    Latin,
    Cyrillic,
    /// Letters of another script (Arabic, Greek, CJK...), romanised through `any_ascii`.
    Other,
    /// No letters at all (digits, symbols).
    None,
}

/// NFKC of the whole input, with apostrophe and dash variants unified. Allocates only when the
/// text is not already in that form.
pub(crate) fn nfkc(raw: &str) -> String {
    let quick = is_nfkc_quick(raw.chars()) == IsNormalized::Yes;
    let mut out = String::with_capacity(raw.len());
    let mut push = |c: char| out.push(unify_punct(c));
    if quick {
        raw.chars().for_each(&mut push);
    } else {
        raw.nfkc().for_each(&mut push);
    }
    out
}

fn unify_punct(c: char) -> char {
    match c {
        '\u{02BB}' | '\u{02BC}' | '\u{2019}' | '\u{2018}' | '`' | '\u{00B4}' | '\u{2032}'
        | '\u{02B9}' | '\u{02BE}' | '\u{02BF}' | '\u{02C8}' | '\u{055A}' | '\u{FF07}' => '\'',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}'
        | '\u{FE63}' | '\u{FF0D}' => '-',
        _ => c,
    }
}

pub(crate) fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}' | '\u{0500}'..='\u{052F}')
}

fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
        || matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}' | '\u{0259}')
            && c.is_alphabetic()
}

/// A Latin letter in a Cyrillic word that looks like a Cyrillic one (case kept).
fn latin_to_cyrillic_homoglyph(c: char) -> Option<char> {
    Some(match c {
        'A' => 'А',
        'a' => 'а',
        'B' => 'В',
        'C' => 'С',
        'c' => 'с',
        'E' => 'Е',
        'e' => 'е',
        'H' => 'Н',
        'K' => 'К',
        'k' => 'к',
        'M' => 'М',
        'O' => 'О',
        'o' => 'о',
        'P' => 'Р',
        'p' => 'р',
        'T' => 'Т',
        'X' => 'Х',
        'x' => 'х',
        'y' => 'у',
        'Y' => 'У',
        'I' => 'І',
        'i' => 'і',
        _ => return None,
    })
}

/// A Cyrillic letter in a Latin word that looks like a Latin one (case kept).
fn cyrillic_to_latin_homoglyph(c: char) -> Option<char> {
    Some(match c {
        'А' => 'A',
        'а' => 'a',
        'В' => 'B',
        'С' => 'C',
        'с' => 'c',
        'Е' => 'E',
        'е' => 'e',
        'Н' => 'H',
        'К' => 'K',
        'к' => 'k',
        'М' => 'M',
        'О' => 'O',
        'о' => 'o',
        'Р' => 'P',
        'р' => 'p',
        'Т' => 'T',
        'Х' => 'X',
        'х' => 'x',
        'у' => 'y',
        'У' => 'Y',
        'І' => 'I',
        'і' => 'i',
        'Ј' => 'J',
        'ј' => 'j',
        'Ѕ' => 'S',
        'ѕ' => 's',
        _ => return None,
    })
}

/// The `exact` key of one token (already NFKC): homoglyphs repaired towards the majority script,
/// then lower case. Returns the key and the token's script.
pub(crate) fn clean(token: &str) -> (String, Script) {
    let (mut cyr, mut lat, mut other) = (0usize, 0usize, 0usize);
    for c in token.chars() {
        if is_cyrillic(c) {
            cyr += 1;
        } else if is_latin_letter(c) {
            lat += 1;
        } else if c.is_alphabetic() {
            other += 1;
        }
    }
    let script = if cyr == 0 && lat == 0 && other == 0 {
        Script::None
    } else if cyr >= lat && cyr >= other {
        Script::Cyrillic
    } else if lat >= other {
        Script::Latin
    } else {
        Script::Other
    };
    let mut out = String::with_capacity(token.len());
    let mixed = cyr > 0 && lat > 0;
    for c in token.chars() {
        let c = if mixed && script == Script::Cyrillic {
            latin_to_cyrillic_homoglyph(c).unwrap_or(c)
        } else if mixed && script == Script::Latin {
            cyrillic_to_latin_homoglyph(c).unwrap_or(c)
        } else {
            c
        };
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if ('А'..='Я').contains(&c) {
            // Russian capitals are 32 code points below their lower case.
            out.push(char::from_u32(c as u32 + 32).unwrap_or(c));
        } else {
            out.extend(c.to_lowercase());
        }
    }
    (out, script)
}

/// One lower-case Cyrillic letter to Latin. `None` when the letter is not in the table.
fn cyrillic_letter(c: char) -> Option<&'static str> {
    Some(match c {
        'а' => "a",
        'б' => "b",
        'в' => "v",
        'г' => "g",
        'д' => "d",
        'е' => "e",
        'ё' => "e",
        'ж' => "zh",
        'з' => "z",
        'и' => "i",
        'й' => "y",
        'к' => "k",
        'л' => "l",
        'м' => "m",
        'н' => "n",
        'о' => "o",
        'п' => "p",
        'р' => "r",
        'с' => "s",
        'т' => "t",
        'у' => "u",
        'ф' => "f",
        'х' => "kh",
        'ц' => "ts",
        'ч' => "ch",
        'ш' => "sh",
        'щ' => "shch",
        'ъ' | 'ь' => "",
        'ы' => "y",
        'э' => "e",
        'ю' => "yu",
        'я' => "ya",
        // Kazakh, Kyrgyz, Uzbek and Tajik letters, as Russian-passport and English practice
        // renders them.
        'ә' => "a",
        'ғ' => "gh",
        'қ' => "q",
        'ң' => "ng",
        'ө' => "o",
        'ұ' | 'ү' => "u",
        'һ' | 'ҳ' => "h",
        'і' => "i",
        'ҷ' => "j",
        'ӣ' => "i",
        'ӯ' => "u",
        'ў' => "u",
        'ҕ' => "gh",
        'ӈ' => "ng",
        // Ukrainian, Belarusian and Serbian letters that appear in the same documents.
        'є' => "ye",
        'ї' => "yi",
        'ґ' => "g",
        'ј' => "j",
        'ѕ' => "dz",
        'џ' => "dzh",
        'ђ' | 'ћ' => "ch",
        'љ' => "l",
        'њ' => "n",
        'ӏ' => "",
        _ => return None,
    })
}

/// One lower-case Latin letter with a diacritic (or a non-English Latin letter) to ASCII.
fn latin_letter(c: char) -> Option<&'static str> {
    Some(match c {
        // ISO 9 writes я as â and ю as û; no Turkic or Uzbek Latin spelling uses them.
        'â' => "ya",
        'û' => "yu",
        'ä' | 'á' | 'à' | 'ã' | 'å' | 'ā' | 'ă' | 'ą' | 'ə' => "a",
        'æ' => "ae",
        'ç' | 'č' | 'ć' => "ch",
        'ď' | 'đ' | 'ð' => "d",
        'é' | 'è' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'ğ' | 'ġ' => "gh",
        'ǵ' | 'ģ' => "g",
        'ḩ' | 'ḥ' | 'ḫ' | 'ħ' => "h",
        'í' | 'ì' | 'î' | 'ï' | 'ī' | 'ı' | 'į' => "i",
        'ĭ' => "y",
        'ķ' => "q",
        'ļ' | 'ł' | 'ľ' => "l",
        'ñ' | 'ń' | 'ŋ' | 'ň' | 'ņ' => "ng",
        'ö' | 'ó' | 'ò' | 'ô' | 'õ' | 'ø' | 'ō' | 'ȯ' => "o",
        'œ' => "oe",
        'ř' => "r",
        'ş' | 'š' | 'ș' => "sh",
        'ŝ' => "shch",
        'ś' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ț' => "t",
        'ü' | 'ú' | 'ù' | 'ū' | 'ŭ' | 'ų' | 'ů' => "u",
        'ý' | 'ÿ' => "y",
        'ž' | 'ż' | 'ź' => "zh",
        _ => return None,
    })
}

/// The letter a digit inside a word stands for when a scan or a retyping confused them: `0`
/// for O/о, `3` for З, `6` for б. A name has no digits of its own; other digits are left as
/// they are (1 is I or l, 8 is B or В: no single reading).
fn look_alike_letter(c: char) -> Option<char> {
    match c {
        '0' => Some('o'),
        '3' => Some('z'),
        '6' => Some('b'),
        _ => None,
    }
}

/// The `latin` key of a cleaned (lower-case) token: ASCII letters and digits only. In a token
/// with letters, the digits that look like one letter are read as that letter
/// ([`look_alike_letter`]: `SAIDULL0EV` = `Saidulloev`).
pub(crate) fn to_latin(clean: &str, out: &mut String) {
    out.clear();
    let in_word = clean.chars().any(char::is_alphabetic);
    let mut chars = clean.chars().peekable();
    while let Some(c) = chars.next() {
        if in_word && let Some(letter) = look_alike_letter(c) {
            out.push(letter);
        } else if c.is_ascii_alphanumeric() {
            // Uzbek Latin oʻ and gʻ: oʻ is the vowel Russian writes у; gʻ is plain g on the
            // skeleton side. The apostrophe itself is dropped below.
            if (c == 'o' || c == 'g') && chars.peek() == Some(&'\'') {
                chars.next();
                out.push(if c == 'o' { 'u' } else { 'g' });
            } else {
                out.push(c);
            }
        } else if let Some(s) = cyrillic_letter(c) {
            out.push_str(s);
        } else if let Some(s) = latin_letter(c) {
            out.push_str(s);
        } else if c == '\'' || c == '-' || c == '.' {
            // Apostrophes (tutuq, soft signs written as ', ISO 9 primes) and inner hyphens carry
            // no sound of their own.
        } else if c.is_alphabetic() {
            // Any other script: a generic romanisation, letters only. Combining marks that NFKC
            // left alone are dropped.
            let mut buf = [0u8; 4];
            for b in any_ascii::any_ascii(c.encode_utf8(&mut buf)).bytes() {
                if b.is_ascii_alphanumeric() {
                    out.push(b.to_ascii_lowercase() as char);
                }
            }
        }
    }
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// The skeleton of a `latin` key (ASCII lower case in, ASCII lower case out).
///
/// The folds, in order: shch/sch→sh, tch→ch, dzh/dj/zh→j, kh/x→h, gh→g, q→k, tc→ts, ck→k,
/// c→k (ts before e/i/y), w→v, French gu→g before e/i, ou→u, non-initial yo→e, ye→e, y→i,
/// final ij→i, doubled letters collapsed, and a final ng→n.
pub(crate) fn skeleton(latin: &str, out: &mut String) {
    out.clear();
    SCRATCH.with(|cell| {
        let mut scratch = cell.borrow_mut();
        let (p1, p2) = &mut *scratch;
        skeleton_into(latin.as_bytes(), p1, p2, out);
    });
}

thread_local! {
    /// Reused buffers of the skeleton passes (parsing is the ingest hot path).
    static SCRATCH: std::cell::RefCell<(Vec<u8>, Vec<u8>)> = const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
}

fn skeleton_into(s: &[u8], p1: &mut Vec<u8>, p2: &mut Vec<u8>, out: &mut String) {
    // Pass 1: consonant clusters.
    p1.clear();
    let mut i = 0;
    let at = |i: usize, pat: &[u8]| s.len() >= i + pat.len() && &s[i..i + pat.len()] == pat;
    while i < s.len() {
        let c = s[i];
        if at(i, b"shch") {
            p1.extend_from_slice(b"sh");
            i += 4;
        } else if at(i, b"sch") {
            p1.extend_from_slice(b"sh");
            i += 3;
        } else if at(i, b"tch") {
            p1.extend_from_slice(b"ch");
            i += 3;
        } else if at(i, b"dzh") {
            p1.push(b'j');
            i += 3;
        } else if at(i, b"dj") || at(i, b"zh") {
            p1.push(b'j');
            i += 2;
        } else if at(i, b"kh") {
            p1.push(b'h');
            i += 2;
        } else if i > 0 && (at(i, b"ngg") || at(i, b"ng")) {
            // Kyrgyz and Kazakh ң: `ng` in Latin and in the any-ascii transliteration, н in
            // Russian spelling (Жеңишбек, Jengishbek, Женишбек), нг before г (Чыңгыз, Чингиз,
            // Chyngyz). Not at the start of a word (the surname Ng must not become an initial).
            p1.push(b'n');
            i += if at(i, b"ngg") { 3 } else { 2 };
        } else if at(i, b"gh") {
            p1.push(b'g');
            i += 2;
        } else if at(i, b"tc") && !at(i, b"tch") {
            p1.extend_from_slice(b"ts");
            i += 2;
        } else if at(i, b"ck") {
            p1.push(b'k');
            i += 2;
        } else if at(i, b"gu") && matches!(s.get(i + 2), Some(b'e' | b'i' | b'y')) {
            // French gu before e/i (Evgueni) is a plain g.
            p1.push(b'g');
            i += 2;
        } else if at(i, b"ou") {
            p1.push(b'u');
            i += 2;
        } else {
            match c {
                b'x' => p1.push(b'h'),
                b'q' => p1.push(b'k'),
                b'w' => p1.push(b'v'),
                b'c' => {
                    if at(i, b"ch") {
                        p1.extend_from_slice(b"ch");
                        i += 1;
                    } else if matches!(s.get(i + 1), Some(b'e' | b'i' | b'y') | None) {
                        p1.extend_from_slice(b"ts");
                    } else {
                        p1.push(b'k');
                    }
                }
                _ => p1.push(c),
            }
            i += 1;
        }
    }
    // Pass 2: vowels and the glide y.
    p2.clear();
    let mut i = 0;
    while i < p1.len() {
        let c = p1[i];
        let next = p1.get(i + 1).copied();
        if c == b'y' {
            match next {
                Some(b'e') => {
                    p2.push(b'e');
                    i += 2;
                    continue;
                }
                Some(b'o') if i > 0 => {
                    p2.push(b'e');
                    i += 2;
                    continue;
                }
                _ => p2.push(b'i'),
            }
        } else if c == b'j' && next.is_none() && p2.last() == Some(&b'i') {
            // ISO 9 -ij (Sergej, Evgenij) is the -iy of the other systems.
        } else {
            p2.push(c);
        }
        i += 1;
    }
    // Pass 3: collapse doubled letters (after the folds, so kh+h or ii meet).
    let mut last = 0u8;
    for &c in p2.iter() {
        if c != last {
            out.push(c as char);
        }
        last = c;
    }
    // A final ng is the Kazakh/Kyrgyz ң that Russian spelling writes н.
    if out.len() > 3 && out.ends_with("ng") {
        out.pop();
    }
}

/// The consonant key: the skeleton without vowels, doubled consonants collapsed. Empty when fewer
/// than three consonants remain (too weak to mean anything).
pub(crate) fn consonants(skel: &str) -> String {
    let mut out = Vec::new();
    let mut last = 0u8;
    let mut count = 0usize;
    for b in skel.bytes() {
        if is_vowel(b) || b == last {
            continue;
        }
        count += 1;
        last = b;
    }
    if count < 3 {
        return String::new();
    }
    out.reserve_exact(count);
    last = 0;
    for b in skel.bytes() {
        if is_vowel(b) || b == last {
            continue;
        }
        out.push(b);
        last = b;
    }
    String::from_utf8(out).unwrap_or_default()
}

/// The script-independent fold of any text: every word NFKC-cleaned, transliterated to Latin
/// and put through the skeleton fold, words joined by one space.
///
/// ```
/// use recount_names::latin_skeleton;
/// assert_eq!(latin_skeleton("Жумабаева"), latin_skeleton("Jumabayeva"));
/// assert_eq!(latin_skeleton("Ҷамшед Раҳмонзода"), latin_skeleton("Dzhamshed Rakhmonzoda"));
/// assert_eq!(latin_skeleton("Москва"), "moskva");
/// ```
pub fn latin_skeleton(text: &str) -> String {
    let text = nfkc(text);
    let mut out = String::with_capacity(text.len());
    let mut latin = String::new();
    let mut skel = String::new();
    for word in text.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-')) {
        let (clean, _) = clean(word);
        to_latin(&clean, &mut latin);
        skeleton(&latin, &mut skel);
        if skel.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&skel);
    }
    out
}

#[cfg(test)]
mod tests;
