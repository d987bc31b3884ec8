//! String distances on skeletons (ASCII): Jaro–Winkler, and a confusable-aware optimal-string-
//! alignment distance whose substitution costs know OCR pairs (б/в, rn/m, cl/d, l/1, o/0) and
//! transliteration neighbours (e/i, o/u, a/o, s/z). No allocation for tokens up to 64 bytes.

/// Cost units: one ordinary edit costs 10.
pub(crate) const EDIT: u16 = 10;
/// An OCR confusion or a near-identical letter pair.
pub(crate) const OCR: u16 = 5;
/// A transliteration or vowel-drift neighbour.
const NEIGHBOUR: u16 = 7;

const MAX: usize = 64;

/// Letter counts of a skeleton, for a cheap upper bound on Jaro–Winkler. Digits and other bytes
/// share buckets, which only loosens the bound.
pub(crate) type Letters = [u8; 32];

pub(crate) fn letters(s: &str) -> Letters {
    let mut h = [0u8; 32];
    for b in s.bytes() {
        let i = match b {
            b'a'..=b'z' => (b - b'a') as usize,
            b'0'..=b'9' => 26 + (b - b'0') as usize % 5,
            _ => 31,
        };
        h[i] = h[i].saturating_add(1);
    }
    h
}

/// An upper bound on [`jaro_winkler`] of two strings with these letter counts: the Jaro matches
/// cannot outnumber the letters the two have in common.
pub(crate) fn jaro_winkler_bound(a: &[u8], b: &[u8], la: &Letters, lb: &Letters) -> f64 {
    if a.is_empty() || b.is_empty() {
        return if a.len() == b.len() { 1.0 } else { 0.0 };
    }
    let mut common = 0u16;
    for i in 0..32 {
        common += u16::from(la[i].min(lb[i]));
    }
    let m = f64::from(common);
    let j = ((m / a.len() as f64 + m / b.len() as f64 + 1.0) / 3.0).min(1.0);
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count();
    j + prefix as f64 * 0.1 * (1.0 - j)
}

/// Jaro–Winkler similarity (prefix scale 0.1, prefix up to 4) of two byte strings.
pub(crate) fn jaro_winkler(a: &[u8], b: &[u8]) -> f64 {
    let j = jaro(a, b);
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count();
    j + prefix as f64 * 0.1 * (1.0 - j)
}

fn jaro(a: &[u8], b: &[u8]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a.len() > MAX || b.len() > MAX {
        return jaro_long(a, b);
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut a_m = [false; MAX];
    let mut b_m = [false; MAX];
    let mut matches = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for j in lo..hi {
            if !b_m[j] && b[j] == ca {
                a_m[i] = true;
                b_m[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let mut t = 0usize;
    let mut k = 0usize;
    for i in 0..a.len() {
        if a_m[i] {
            while !b_m[k] {
                k += 1;
            }
            if a[i] != b[k] {
                t += 1;
            }
            k += 1;
        }
    }
    let m = matches as f64;
    (m / a.len() as f64 + m / b.len() as f64 + (m - (t / 2) as f64) / m) / 3.0
}

/// The same for long strings (a 10,000-character name), with heap buffers.
fn jaro_long(a: &[u8], b: &[u8]) -> f64 {
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut a_m = vec![false; a.len()];
    let mut b_m = vec![false; b.len()];
    let mut matches = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for j in lo..hi {
            if !b_m[j] && b[j] == ca {
                a_m[i] = true;
                b_m[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let (mut t, mut k) = (0usize, 0usize);
    for i in 0..a.len() {
        if a_m[i] {
            while !b_m[k] {
                k += 1;
            }
            if a[i] != b[k] {
                t += 1;
            }
            k += 1;
        }
    }
    let m = matches as f64;
    (m / a.len() as f64 + m / b.len() as f64 + (m - (t / 2) as f64) / m) / 3.0
}

/// The cost of writing `x` where `y` was meant.
fn substitution(x: u8, y: u8) -> u16 {
    if x == y {
        return 0;
    }
    let (p, q) = if x < y { (x, y) } else { (y, x) };
    match (p, q) {
        // OCR: Cyrillic б/в (b/v), з/3, о/0, б/6; Latin l/1/i, O/0, u/v.
        (b'b', b'v')
        | (b'3', b'z')
        | (b'0', b'o')
        | (b'6', b'b')
        | (b'1', b'l')
        | (b'1', b'i')
        | (b'i', b'l')
        | (b'u', b'v') => OCR,
        // Transliteration and Russian/national vowel neighbours; Cyrillic OCR и/н, п/л, г/r.
        (b'e', b'i')
        | (b'o', b'u')
        | (b'a', b'o')
        | (b'i', b'j')
        | (b's', b'z')
        | (b'i', b'n')
        | (b'l', b'p')
        | (b'g', b'r')
        | (b'a', b'e')
        | (b'm', b'n') => NEIGHBOUR,
        _ => EDIT,
    }
}

/// Multi-letter OCR confusions: `long` read as `short` (rn→m, cl→d, li→h, ii→u, nn→m).
fn multi(long: &[u8], short: u8) -> bool {
    matches!(
        (long, short),
        ([b'r', b'n'], b'm')
            | ([b'c', b'l'], b'd')
            | ([b'l', b'i'], b'h')
            | ([b'i', b'i'], b'u')
            | ([b'n', b'n'], b'm')
    )
}

/// Confusable-aware optimal string alignment distance, in [`EDIT`] units (10 = one edit).
/// Insertions, deletions and adjacent transpositions cost one edit; substitutions cost less for
/// confusable pairs; the two-letter OCR confusions cost as much as one OCR substitution.
/// Distances above three edits are not needed by any level and come back as `u16::MAX`.
pub(crate) fn confusable_distance(a: &[u8], b: &[u8]) -> u16 {
    confusable_distance_within(a, b, 3 * EDIT)
}

/// [`confusable_distance`] when it is at most `limit`; `u16::MAX` otherwise (computed only as far
/// as needed to know).
pub(crate) fn confusable_distance_within(a: &[u8], b: &[u8], limit: u16) -> u16 {
    if a.len() >= MAX || b.len() >= MAX {
        // Long strings: no name is that long; a bounded answer is enough.
        return (a.len().abs_diff(b.len()) as u16)
            .saturating_add(EDIT)
            .saturating_mul(EDIT);
    }
    // Three rolling rows: transpositions and two-letter confusions look two rows back.
    let mut r2 = [0u16; MAX];
    let mut r1 = [0u16; MAX];
    let mut r0 = [0u16; MAX];
    for (j, cell) in r1.iter_mut().enumerate().take(b.len() + 1) {
        *cell = j as u16 * EDIT;
    }
    for i in 1..=a.len() {
        r0[0] = i as u16 * EDIT;
        for j in 1..=b.len() {
            let mut best = (r1[j] + EDIT)
                .min(r0[j - 1] + EDIT)
                .min(r1[j - 1] + substitution(a[i - 1], b[j - 1]));
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(r2[j - 2] + EDIT);
            }
            // Two-letter OCR confusions end in m, d, h or u on the short side.
            let (x, y) = (a[i - 1], b[j - 1]);
            if i > 1 && matches!(y, b'm' | b'd' | b'h' | b'u') && multi(&a[i - 2..i], y) {
                best = best.min(r2[j - 1] + OCR);
            }
            if j > 1 && matches!(x, b'm' | b'd' | b'h' | b'u') && multi(&b[j - 2..j], x) {
                best = best.min(r1[j - 2] + OCR);
            }
            r0[j] = best;
        }
        // No alignment can come back under the largest bound the levels use: stop early.
        if r0[..=b.len()].iter().all(|&v| v > limit) {
            return u16::MAX;
        }
        r2 = r1;
        r1 = r0;
    }
    if r1[b.len()] > limit {
        u16::MAX
    } else {
        r1[b.len()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_jw(a: &str, b: &str, expected: f64) {
        let got = jaro_winkler(a.as_bytes(), b.as_bytes());
        assert!(
            (got - expected).abs() < 1e-3,
            "jw({a}, {b}) = {got}, expected {expected}"
        );
        // An independent implementation agrees.
        let other = strsim::jaro_winkler(a, b);
        assert!(
            (got - other).abs() < 1e-9,
            "jw({a}, {b}) = {got}, strsim {other}"
        );
    }

    #[test]
    fn the_bound_is_an_upper_bound() {
        let words = [
            "asanov",
            "hasanov",
            "bekbolat",
            "vekbolat",
            "amir",
            "damir",
            "muhamadali",
            "abc",
            "",
            "aaaa",
            "x1",
        ];
        for a in words {
            for b in words {
                let bound =
                    jaro_winkler_bound(a.as_bytes(), b.as_bytes(), &letters(a), &letters(b));
                let jw = jaro_winkler(a.as_bytes(), b.as_bytes());
                assert!(bound + 1e-9 >= jw, "{a}/{b}: bound {bound} < jw {jw}");
                for min in [0.8, 0.9, 0.95] {
                    assert_eq!(
                        crate::jaro_winkler_at_least(a, b, min),
                        jw >= min,
                        "{a}/{b}"
                    );
                }
            }
        }
    }

    #[test]
    fn jaro_winkler_matches_published_values() {
        // Winkler's textbook pairs.
        check_jw("martha", "marhta", 0.961);
        check_jw("dwayne", "duane", 0.84);
        check_jw("dixon", "dicksonx", 0.813);
        check_jw("bekbolat", "bekbolot", 0.95);
        check_jw("", "", 1.0);
        check_jw("abc", "", 0.0);
    }

    fn check_cd(a: &str, b: &str, expected: u16) {
        assert_eq!(
            confusable_distance(a.as_bytes(), b.as_bytes()),
            expected,
            "{a} / {b}"
        );
        assert_eq!(
            confusable_distance(b.as_bytes(), a.as_bytes()),
            expected,
            "{b} / {a}"
        );
    }

    #[test]
    fn confusable_distance_prices_ocr_and_neighbours() {
        check_cd("asanov", "asanov", 0);
        check_cd("bekbolat", "vekbolat", OCR);
        check_cd("rustam", "rustarn", OCR);
        check_cd("bekbolat", "bekbolot", NEIGHBOUR);
        check_cd("asanov", "hasanov", EDIT);
        check_cd("asanov", "asnaov", EDIT);
        check_cd("abc", "xyz", 3 * EDIT);
        check_cd("", "abc", 3 * EDIT);
    }
}
