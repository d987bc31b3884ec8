//! Names typed with the keyboard on the wrong layout: a Cyrillic name keyed on ЙЦУКЕН while the
//! machine was set to QWERTY comes out as Latin letters and punctuation (`Раджабова Дилноза` →
//! `Hfl;f,jdf Lbkyjpf`). Hotline forms and messages have them; read as Latin they match nothing.
//!
//! A name is decoded only when all of it looks keyed that way: only ASCII letters and the
//! layout's punctuation; a punctuation key between two letters somewhere (`;` is Ж, `,` Б, `[`
//! Х, `'` Э, `.` Ю: most Central Asian and Russian names have one of them); few Latin vowels
//! (a e i o u y: under a fifth of the letters); and a decoding with Cyrillic vowels in at least
//! a third of its letters. Real Latin names fail the vowel test (Bekbolat: 3 of 8, Tynchtykbek
//! Bakytbekov: 7 of 21) and have no punctuation inside a word (O'Brien and Uzbek oʻ have
//! vowels). A wrongly keyed name without those letters is read back only when it is long and
//! has almost no Latin vowels (at most one letter in ten, of at least eight): `Vfhfn Ifrbhjd`
//! (Марат Шакиров, one vowel in twelve letters) is; a short one (`Lbkyjpf`, Дилноза) is left
//! as it is, since alone it cannot be told from a Latin name with few vowels (Stubbs reads as
//! Ыегииы). Names spelt in Latin letters, Central Asian and Russian ones above all, have far
//! more vowels than that.

/// The ЙЦУКЕН key in the place of each QWERTY key, unshifted and shifted.
const QWERTY: &str = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`";
const JCUKEN: &str = "йцукенгшщзхъфывапролджэячсмитьбюё";
const QWERTY_SHIFTED: &str = "QWERTYUIOP{}ASDFGHJKL:\"ZXCVBNM<>~";
const JCUKEN_SHIFTED: &str = "ЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮЁ";

/// The Cyrillic letter keyed where `c` is on QWERTY, if `c` is one of its keys. A comma or a
/// full stop at the end of a word is left as it is: there it is punctuation more often than
/// Б or Ю.
fn jcuken(c: char, word_end: bool) -> Option<char> {
    if word_end && (c == ',' || c == '.') {
        return None;
    }
    QWERTY
        .chars()
        .zip(JCUKEN.chars())
        .chain(QWERTY_SHIFTED.chars().zip(JCUKEN_SHIFTED.chars()))
        .find_map(|(key, letter)| (key == c).then_some(letter))
}

fn is_latin_vowel(c: char) -> bool {
    matches!(c.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// Whether some punctuation key of the layout stands between two letters (`Hfl;f,jdf`).
fn punctuation_inside_a_word(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(3).any(|w| {
        w[0].is_ascii_alphabetic()
            && w[2].is_ascii_alphabetic()
            && !w[1].is_ascii_alphanumeric()
            && (QWERTY.contains(w[1]) || QWERTY_SHIFTED.contains(w[1]))
    })
}

fn is_cyrillic_vowel(c: char) -> bool {
    let lower = c.to_lowercase().next().unwrap_or(c);
    "аеёиоуыэюя".contains(lower)
}

/// `text` keyed on ЙЦУКЕН (spaces and other characters as they are).
fn decode(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let word_end = chars.get(i + 1).is_none_or(|n| !n.is_alphanumeric());
            jcuken(c, word_end).unwrap_or(c)
        })
        .collect()
}

/// The fields of a name decoded from the wrong layout, or `None` when the name does not look
/// keyed on it (see the module's documentation).
pub(crate) fn decode_wrong_layout(fields: &[&str]) -> Option<Vec<String>> {
    // A machine-readable zone (SURNAME<<GIVEN) is Latin by rule.
    if fields.iter().any(|f| f.contains("<<")) {
        return None;
    }
    let mut letters = 0usize;
    let mut vowels = 0usize;
    for c in fields.iter().flat_map(|f| f.chars()) {
        if c.is_ascii_alphabetic() {
            letters += 1;
            vowels += usize::from(is_latin_vowel(c));
        } else if c.is_alphabetic() || c.is_ascii_digit() {
            // Another script, or a digit: not a name keyed on the wrong layout.
            return None;
        }
    }
    let punctuated = fields.iter().any(|f| punctuation_inside_a_word(f));
    let bare = letters >= 8 && vowels * 10 <= letters;
    if letters < 4 || vowels * 5 >= letters || !(punctuated || bare) {
        return None;
    }
    let decoded: Vec<String> = fields.iter().map(|f| decode(f)).collect();
    let (mut cyrillic, mut cyrillic_vowels) = (0usize, 0usize);
    for c in decoded.iter().flat_map(|f| f.chars()) {
        if c.is_alphabetic() {
            cyrillic += 1;
            cyrillic_vowels += usize::from(is_cyrillic_vowel(c));
        }
    }
    (cyrillic_vowels * 3 >= cyrillic).then_some(decoded)
}

#[cfg(test)]
mod tests {
    use super::decode_wrong_layout;

    fn decoded(text: &str) -> Option<String> {
        decode_wrong_layout(&[text]).map(|mut v| v.remove(0))
    }

    #[test]
    fn names_keyed_on_the_wrong_layout_are_read_back() {
        assert_eq!(
            decoded("Hfl;f,jdf Lbkyjpf").as_deref(),
            Some("Раджабова Дилноза")
        );
        assert_eq!(decoded("<tr,jkfn").as_deref(), Some("Бекболат"));
        assert_eq!(decoded("Rf;bvjd").as_deref(), Some("Кажимов"));
        // A comma or full stop ending a word stays punctuation.
        assert_eq!(
            decoded("Fcfyjd <tr,jkfn, L.").as_deref(),
            Some("Асанов Бекболат, Д.")
        );
        // Without a punctuation key inside a word it cannot be told from a Latin name, unless
        // it is long and has almost no Latin vowels.
        assert_eq!(decoded("Fcfyjd"), None);
        assert_eq!(decoded("Vfhfn Ifrbhjd").as_deref(), Some("Марат Шакиров"));
        assert_eq!(decoded("Ifrbhjd Vfhfn").as_deref(), Some("Шакиров Марат"));
        assert_eq!(
            decode_wrong_layout(&["Lbkyjpf", "Hfl;f,jdf"]),
            Some(vec!["Дилноза".to_owned(), "Раджабова".to_owned()])
        );
    }

    #[test]
    fn latin_names_stay_latin() {
        for name in [
            "Bekbolat Asanov",
            "Tynchtykbek Bakytbekov",
            "Torobek kyzy Zhyldyz",
            "Stubbs",
            "Flynn Gloster",
            "O'Brien",
            "Sa'dulloev O'tkir",
            "Schmidt",
            "Khmyrov",
            "Tkachuk",
            "Shchukin",
            "Lynn",
            "Asanov, Bekbolat",
            "ASANOV<<BEKBOLAT",
            "Dilnoza",
            "Ng",
            "Бекболат",
            "Fcfyjd Бекболат",
            "Sidr0v",
            "Schwartz Strnad",
            "Krk Brno",
            "Brzeczyszczykiewicz",
        ] {
            assert_eq!(decoded(name), None, "{name}");
        }
    }
}
