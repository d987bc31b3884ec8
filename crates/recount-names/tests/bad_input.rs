//! Bad input never panics and gives defined results: empty strings, a lone particle, digits,
//! emoji, right-to-left text, 10,000-character strings, mixed scripts, arbitrary Unicode.

use proptest::prelude::*;
use recount_names::{NameLevel, PreparedName, compare, compare_level, latin_skeleton};

/// Everything the crate offers, run on one pair; checks the invariants that hold for any input.
fn exercise(a: &str, b: &str) {
    let (pa, pb) = (PreparedName::parse(a), PreparedName::parse(b));
    for p in [&pa, &pb] {
        let keys = p.blocking_keys();
        let mut sorted = keys.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(keys, sorted, "blocking keys sorted and unique");
        assert!(
            keys.iter().all(|k| k.is_ascii()),
            "keys are ASCII: {keys:?}"
        );
        if p.is_empty() {
            assert!(keys.is_empty());
            assert_eq!(p.given_key(), None);
            assert_eq!(p.surname_key(), None);
        }
        for part in p.parts() {
            assert!(part.skeleton.is_ascii() && part.latin.is_ascii());
        }
        let _ = p.sex();
    }
    let level = compare_level(&pa, &pb);
    let full = compare(&pa, &pb);
    assert_eq!(level, full.level, "compare and compare_level agree");
    assert_eq!(compare_level(&pb, &pa), level, "symmetric");
    if pa.is_empty() || pb.is_empty() {
        assert_eq!(level, NameLevel::Missing);
    } else {
        assert_ne!(level, NameLevel::Missing);
    }
    assert!(latin_skeleton(a).is_ascii());
    let again = PreparedName::parse(a);
    assert_eq!(
        compare_level(&pa, &again),
        if pa.is_empty() {
            NameLevel::Missing
        } else {
            NameLevel::Exact
        }
    );
}

fn check(a: &str, b: &str, expected: NameLevel) {
    exercise(a, b);
    let level = compare_level(&PreparedName::parse(a), &PreparedName::parse(b));
    let short = |s: &str| s.chars().take(40).collect::<String>();
    assert_eq!(level, expected, "{:?} / {:?}", short(a), short(b));
}

#[test]
fn named_bad_inputs_have_defined_results() {
    check("", "", NameLevel::Missing);
    check("", "Bekbolat Asanov", NameLevel::Missing);
    check("уулу", "Асан уулу", NameLevel::Missing);
    check("кызы", "кызы", NameLevel::Missing);
    check("12345", "Bekbolat", NameLevel::Missing);
    check("😀 🇰🇬", "Bekbolat", NameLevel::Missing);
    check("Haji", "Haji", NameLevel::Missing);
    check("محمد رحيم", "Mhmd Rhym", NameLevel::Transliteration);
    check("בקבולט", "Bekbolat", NameLevel::Different);
    check(
        "Bekbolat\u{202E}Asanov",
        "Bekbolat Asanov",
        NameLevel::Different,
    );
    check(
        "Бекболат Asanov",
        "Bekbolat Асанов",
        NameLevel::Transliteration,
    );
    check("-- ' <<", "Asanov", NameLevel::Missing);
    check("P<<<<<<<<", "Asanov", NameLevel::Different);
    check("<<", "<<", NameLevel::Missing);
    check("a", "b", NameLevel::Different);
    // A surname alone against a given name alone (machine-readable zones name the roles): two
    // non-empty names with nothing in common are different, never missing.
    check("A<<", "<<a", NameLevel::Different);
    check("<<ү", "AұAИң", NameLevel::Different);
    // Both orders guessed from position: crossing either side's roles must give one answer
    // whichever name comes first (found by the property test below).
    check("𞺢𝼏:વȺ", "V«Jq𘠀", NameLevel::FuzzyLow);
    check("V«Jq𘠀", "𞺢𝼏:વȺ", NameLevel::FuzzyLow);
    let long = "Асанов".repeat(1700);
    // One 10,200-letter part that starts like the other name: a (very weak) fuzzy match.
    check(&long, "Асанов", NameLevel::FuzzyLow);
    check(&long, &long, NameLevel::Exact);
    let many = "Бекболат ".repeat(1200);
    exercise(&many, "Бекболат");
    let mixed: String = "Aсaнoв Bекбoлaт ".repeat(700);
    exercise(&mixed, &long);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn any_unicode_is_defined(a in "\\PC{0,40}", b in "\\PC{0,40}") {
        exercise(&a, &b);
    }

    #[test]
    fn names_made_of_name_letters_are_defined(
        a in "[а-яёәғқңөұүһҳҷӣӯўіА-ЯA-Za-z'ʻ`<\\- ]{0,60}",
        b in "[а-яёәғқңөұүһҳҷӣӯўіА-ЯA-Za-z'ʻ`<\\- ]{0,60}",
    ) {
        exercise(&a, &b);
    }

    #[test]
    fn long_strings_are_defined(a in "[a-zа-я ]{2000,10000}") {
        exercise(&a, "Асанов Бекболат");
    }
}
