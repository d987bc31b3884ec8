//! Daitch–Mokotoff Soundex on skeletons (ASCII), with branching, for blocking only: it merges
//! some unrelated surnames (Баранов = Воронов), so it is never evidence of a match.
//!
//! The rule table is the standard one, as Apache commons-codec ships it (`dmrules.txt`): a
//! pattern and its code at the start of a word, before a vowel, and elsewhere; `|` separates
//! alternative codes.

/// (pattern, at start, before a vowel, other), longest patterns first.
const RULES: &[(&str, &str, &str, &str)] = &[
    ("schtsch", "2", "4", "4"),
    ("schtsh", "2", "4", "4"),
    ("schtch", "2", "4", "4"),
    ("shtch", "2", "4", "4"),
    ("shtsh", "2", "4", "4"),
    ("stsch", "2", "4", "4"),
    ("ttsch", "4", "4", "4"),
    ("zhdzh", "2", "4", "4"),
    ("shch", "2", "4", "4"),
    ("scht", "2", "43", "43"),
    ("schd", "2", "43", "43"),
    ("stch", "2", "4", "4"),
    ("strz", "2", "4", "4"),
    ("strs", "2", "4", "4"),
    ("stsh", "2", "4", "4"),
    ("szcz", "2", "4", "4"),
    ("szcs", "2", "4", "4"),
    ("ttch", "4", "4", "4"),
    ("tsch", "4", "4", "4"),
    ("ttsz", "4", "4", "4"),
    ("zdzh", "2", "4", "4"),
    ("zsch", "4", "4", "4"),
    ("chs", "5", "54", "54"),
    ("csz", "4", "4", "4"),
    ("czs", "4", "4", "4"),
    ("drz", "4", "4", "4"),
    ("drs", "4", "4", "4"),
    ("dsh", "4", "4", "4"),
    ("dsz", "4", "4", "4"),
    ("dzh", "4", "4", "4"),
    ("dzs", "4", "4", "4"),
    ("sch", "4", "4", "4"),
    ("sht", "2", "43", "43"),
    ("szt", "2", "43", "43"),
    ("shd", "2", "43", "43"),
    ("szd", "2", "43", "43"),
    ("tch", "4", "4", "4"),
    ("trz", "4", "4", "4"),
    ("trs", "4", "4", "4"),
    ("tsh", "4", "4", "4"),
    ("tts", "4", "4", "4"),
    ("ttz", "4", "4", "4"),
    ("tzs", "4", "4", "4"),
    ("tsz", "4", "4", "4"),
    ("zdz", "2", "4", "4"),
    ("zhd", "2", "43", "43"),
    ("zsh", "4", "4", "4"),
    ("ai", "0", "1", ""),
    ("aj", "0", "1", ""),
    ("ay", "0", "1", ""),
    ("au", "0", "7", ""),
    ("cz", "4", "4", "4"),
    ("cs", "4", "4", "4"),
    ("ds", "4", "4", "4"),
    ("dz", "4", "4", "4"),
    ("dt", "3", "3", "3"),
    ("ei", "0", "1", ""),
    ("ej", "0", "1", ""),
    ("ey", "0", "1", ""),
    ("eu", "1", "1", ""),
    ("fb", "7", "7", "7"),
    ("ia", "1", "", ""),
    ("ie", "1", "", ""),
    ("io", "1", "", ""),
    ("iu", "1", "", ""),
    ("ks", "5", "54", "54"),
    ("kh", "5", "5", "5"),
    ("mn", "66", "66", "66"),
    ("nm", "66", "66", "66"),
    ("oi", "0", "1", ""),
    ("oj", "0", "1", ""),
    ("oy", "0", "1", ""),
    ("pf", "7", "7", "7"),
    ("ph", "7", "7", "7"),
    ("sh", "4", "4", "4"),
    ("sc", "2", "4", "4"),
    ("st", "2", "43", "43"),
    ("sd", "2", "43", "43"),
    ("sz", "4", "4", "4"),
    ("th", "3", "3", "3"),
    ("ts", "4", "4", "4"),
    ("tc", "4", "4", "4"),
    ("tz", "4", "4", "4"),
    ("ui", "0", "1", ""),
    ("uj", "0", "1", ""),
    ("uy", "0", "1", ""),
    ("ue", "0", "1", ""),
    ("zd", "2", "43", "43"),
    ("zh", "4", "4", "4"),
    ("zs", "4", "4", "4"),
    ("ch", "4|5", "4|5", "4|5"),
    ("ck", "5|45", "5|45", "5|45"),
    ("rs", "4|94", "4|94", "4|94"),
    ("rz", "4|94", "4|94", "4|94"),
    ("a", "0", "", ""),
    ("e", "0", "", ""),
    ("i", "0", "", ""),
    ("o", "0", "", ""),
    ("u", "0", "", ""),
    ("b", "7", "7", "7"),
    ("c", "4|5", "4|5", "4|5"),
    ("d", "3", "3", "3"),
    ("f", "7", "7", "7"),
    ("g", "5", "5", "5"),
    ("h", "5", "5", ""),
    ("j", "1|4", "|4", "|4"),
    ("k", "5", "5", "5"),
    ("l", "8", "8", "8"),
    ("m", "6", "6", "6"),
    ("n", "6", "6", "6"),
    ("p", "7", "7", "7"),
    ("q", "5", "5", "5"),
    ("r", "9", "9", "9"),
    ("s", "4", "4", "4"),
    ("t", "3", "3", "3"),
    ("v", "7", "7", "7"),
    ("w", "7", "7", "7"),
    ("x", "5", "54", "54"),
    ("y", "1", "", ""),
    ("z", "4", "4", "4"),
];

/// At most this many alternative codes are kept for one token.
const MAX_BRANCHES: usize = 4;

/// A replacement: up to two digits, inline (comparing them must not call memcmp).
#[derive(Clone, Copy, PartialEq, Eq)]
struct Digits {
    len: u8,
    d: [u8; 2],
}

impl Digits {
    fn of(alt: &[u8]) -> Digits {
        let mut d = [0u8; 2];
        let len = alt.len().min(2);
        d[..len].copy_from_slice(&alt[..len]);
        Digits { len: len as u8, d }
    }
    fn bytes(&self) -> &[u8] {
        &self.d[..self.len as usize]
    }
    fn ends_with(&self, other: &Digits) -> bool {
        let (a, b) = (self.bytes(), other.bytes());
        b.len() <= a.len() && a[a.len() - b.len()..] == *b
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
struct Branch {
    code: [u8; 6],
    len: u8,
    last: Option<Digits>,
}

fn starts_with(rest: &[u8], pat: &[u8]) -> bool {
    pat.len() <= rest.len() && pat.iter().zip(rest).all(|(p, r)| p == r)
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// The rules by first letter, in table order (longest patterns first).
fn rules_for(first: u8) -> &'static [u8] {
    static INDEX: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut index = vec![Vec::new(); 26];
        for (k, r) in RULES.iter().enumerate() {
            index[(r.0.as_bytes()[0] - b'a') as usize].push(k as u8);
        }
        index
    });
    if first.is_ascii_lowercase() {
        &index[(first - b'a') as usize]
    } else {
        &[]
    }
}

/// The Daitch–Mokotoff codes (six digits each, sorted, deduplicated) of an ASCII word. Letters
/// other than a–z are skipped. Empty input gives no code.
pub(crate) fn codes(word: &str) -> Vec<String> {
    let mut out = Vec::new();
    codes_each(word, |c| out.push(c.to_string()));
    out
}

/// Calls `f` with each Daitch–Mokotoff code of an ASCII word, sorted and deduplicated, without
/// allocating.
pub(crate) fn codes_each(word: &str, mut f: impl FnMut(&str)) {
    let mut buf = [0u8; 64];
    let mut n = 0;
    for b in word.bytes().filter(u8::is_ascii_lowercase) {
        if n == buf.len() {
            break;
        }
        buf[n] = b;
        n += 1;
    }
    let s = &buf[..n];
    if s.is_empty() {
        return;
    }
    let mut branches = [Branch {
        code: [0; 6],
        len: 0,
        last: None,
    }; MAX_BRANCHES];
    let mut count = 1;
    let mut i = 0;
    let mut last_char = 0u8;
    while i < s.len() {
        let Some(&(pat, start, vowel, other)) = rules_for(s[i])
            .iter()
            .map(|&k| &RULES[k as usize])
            .find(|r| {
                // The second letter rules most patterns out without a slice comparison.
                let (pat, rest) = (r.0.as_bytes(), &s[i..]);
                pat.len() <= rest.len()
                    && (pat.len() == 1 || pat[1] == rest[1])
                    && starts_with(rest, pat)
            })
        else {
            i += 1;
            continue;
        };
        let next = i + pat.len();
        let rule = if i == 0 {
            start
        } else if next < s.len() && is_vowel(s[next]) {
            vowel
        } else {
            other
        };
        let force = (last_char == b'm' && s[i] == b'n') || (last_char == b'n' && s[i] == b'm');
        let mut grown = [Branch {
            code: [0; 6],
            len: 0,
            last: None,
        }; MAX_BRANCHES];
        let mut grown_count = 0;
        for b in &branches[..count] {
            for alt in rule.as_bytes().split(|&c| c == b'|') {
                let digits = Digits::of(alt);
                let mut nb = *b;
                let append = match nb.last {
                    None => true,
                    Some(l) => !l.ends_with(&digits) || force,
                };
                if append {
                    for &d in digits.bytes() {
                        if (nb.len as usize) < 6 {
                            nb.code[nb.len as usize] = d;
                            nb.len += 1;
                        }
                    }
                }
                nb.last = Some(digits);
                if !grown[..grown_count].contains(&nb) && grown_count < MAX_BRANCHES {
                    grown[grown_count] = nb;
                    grown_count += 1;
                }
            }
        }
        branches = grown;
        count = grown_count;
        last_char = s[next - 1];
        i = next;
    }
    let mut codes = [[b'0'; 6]; MAX_BRANCHES];
    for (c, b) in codes.iter_mut().zip(&branches[..count]) {
        c[..b.len as usize].copy_from_slice(&b.code[..b.len as usize]);
    }
    let codes = &mut codes[..count];
    codes.sort_unstable();
    for (k, c) in codes.iter().enumerate() {
        if k > 0 && codes[k - 1] == *c {
            continue;
        }
        // Digits only, so always UTF-8.
        if let Ok(text) = std::str::from_utf8(c) {
            f(text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(word: &str, expected: &[&str]) {
        assert_eq!(codes(word), expected, "{word}");
    }

    #[test]
    fn published_codes() {
        // Worked examples from the Daitch–Mokotoff literature and commons-codec's tests.
        check("auerbach", &["097400", "097500"]);
        check("moskowitz", &["645740"]);
        check("peters", &["734000", "739400"]);
        check("", &[]);
    }

    #[test]
    fn transliteration_variants_meet() {
        assert_eq!(codes("hasanov"), codes("hasanov"));
        let a = codes("jumabaeva");
        assert!(!a.is_empty() && a.iter().all(|c| c.len() == 6));
    }
}
