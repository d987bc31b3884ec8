use super::*;
use NameLevel::*;

fn check(a: &str, b: &str, expected: NameLevel) {
    let (pa, pb) = (PreparedName::parse(a), PreparedName::parse(b));
    let full = compare(&pa, &pb);
    assert_eq!(full.level, expected, "{a} / {b}: {full:#?}");
    assert_eq!(compare_level(&pa, &pb), expected, "compare_level({a}, {b})");
    // Symmetric.
    assert_eq!(compare_level(&pb, &pa), expected, "compare_level({b}, {a})");
}

#[test]
fn the_reference_pairs() {
    check("Бекболат Асанов", "Bekbolat Asanov", Transliteration);
    check("Бекболат Асанов", "Asanov Bekbolat", Transliteration);
    check(
        "Асанов Бекболат Жумабекович",
        "Bekbolat Asanov",
        Transliteration,
    );
    check(
        "Асанов Бекболат Жумабекович",
        "Asanov Bekbolat Zhumabekovich",
        Transliteration,
    );
    check("Бекболат Асанов", "Бекболот Асан уулу", AliasOrMorphology);
    check(
        "Асанов Бекболат Жумабекович",
        "Бекболот Жумабек уулу",
        AliasOrMorphology,
    );
    check("Бекболат Асанов", "Bekbolat Asamov", FuzzyHigh);
    check("Бекболат Асанов", "Векболат Асанов", FuzzyHigh);
    check("Шохрух Юлдашев", "Shokhrukh Iuldashev", Skeleton);
    check("Ҷамшед Раҳмонзода", "Джамшед Рахмонов", AliasOrMorphology);
    check("Ҷамшед Раҳмонзода", "Dzhamshed Rakhmonzoda", Skeleton);
    check("Магомед Рахимов", "Muhammad Rahimov", AliasOrMorphology);
    check("Айгүл Жумабаева", "Айгуль Джумабаева", Skeleton);
    check("Әсел Нұрланқызы", "Асель Нурланкызы", Skeleton);
    check(
        "Алишер Каримов Баходир угли",
        "Alisher Karimov Bahodir o'g'li",
        Skeleton,
    );
    check("Ivanov Ivan Ivanovich", "Ivanov Ivan Petrovich", Different);
    check("Ўткир Тошматов", "O'tkir Toshmatov", Transliteration);
    check("Евгений Юрьевич Щербаков", "Yevgeniy Shcherbakov", Skeleton);
    check("Юлия Ким", "Iuliia Kim", Skeleton);
    check("ASANOV<<BEKBOLAT<<<<", "Бекболат Асанов", Transliteration);
}

#[test]
fn pitfalls() {
    check("Бекболат Асанов", "Бекболат Хасанов", FuzzyLow);
    check("Amir Karimov", "Damir Karimov", FuzzyLow);
    check("Muhammadali Karimov", "Muhammadamin Karimov", FuzzyLow);
    check("Valentin Ivanov", "Valentina Ivanova", Different);
    check("Aziz Karimov", "Aziza Karimova", Different);
    check("Нурлан Асанов", "Нурланбек Асанов", PhoneticOrCompound);
    check("Шохрух Юлдашев", "Shohruh Yo'ldoshev", FuzzyHigh);
    check("Баранов Иван", "Воронов Иван", Different);
    check("Асанова Айгуль", "Aigul Asanov", AliasOrMorphology);
}

#[test]
fn fathers_names_are_not_swapped_with_given_names() {
    // Myrzabek son of Chyngyz is not Chyngyz son of Myrzabek.
    let a = PreparedName::parse("Чынгыз уулу Мырзабек");
    let b = PreparedName::from_parts(Some("Чынгыз"), Some("Мырзабек уулу"), None);
    assert_eq!(compare_level(&a, &b), Different);
    // But a guessed order still aligns either way.
    check("Timur Amir", "Amir Timur", Exact);
}

#[test]
fn missing_parts_are_not_disagreements() {
    check("Бекболат Асанов", "Bekbolat", Transliteration);
    check("Асанов Бекболат Жумабекович", "Асанов Бекболат", Exact);
    check("уулу", "Асан", Missing);
    check("", "Bekbolat", Missing);
    check("12345", "Bekbolat", Missing);
}

#[test]
fn the_comparison_says_why() {
    let c = compare(
        &PreparedName::parse("Asanov Bekbolat Zhumabekovich"),
        &PreparedName::parse("Бекболат Асанов"),
    );
    assert!(c.reversed);
    assert_eq!(
        (c.given, c.family, c.patronymic),
        (Transliteration, Transliteration, Missing)
    );
    let patronymic = c
        .alignment
        .iter()
        .find(|p| p.slot == Slot::Patronymic)
        .unwrap();
    assert_eq!(patronymic.level, Missing);
    assert!(patronymic.reason.contains("not a disagreement"));
    let c = compare(
        &PreparedName::parse("Valentin Ivanov"),
        &PreparedName::parse("Valentina Ivanova"),
    );
    let given = c.alignment.iter().find(|p| p.slot == Slot::Given).unwrap();
    assert!(
        given.reason.contains("masculine/feminine"),
        "{}",
        given.reason
    );
    let json = serde_json::to_value(&c).unwrap();
    assert_eq!(json["level"], "different");
    assert_eq!(json["alignment"][0]["slot"], "given");
}

#[test]
fn levels_have_stable_names() {
    let names: Vec<&str> = NameLevel::ALL.iter().map(|l| l.as_str()).collect();
    assert_eq!(
        names,
        [
            "exact",
            "transliteration",
            "skeleton",
            "alias_or_morphology",
            "fuzzy_high",
            "phonetic_or_compound",
            "fuzzy_low",
            "different",
            "missing"
        ]
    );
    for l in NameLevel::ALL {
        assert_eq!(NameLevel::parse(l.as_str()), Some(l));
    }
}

#[test]
fn a_name_keyed_on_the_wrong_layout_meets_its_cyrillic_form() {
    let typed = PreparedName::parse("Hfl;f,jdf Lbkyjpf");
    let cyrillic = PreparedName::from_parts(Some("Дилноза"), Some("Раджабова"), Some("Ахмадовна"));
    assert_eq!(compare_level(&typed, &cyrillic), NameLevel::Exact);
    let fields = PreparedName::from_parts(Some("Lbkyjpf"), Some("Hfl;f,jdf"), None);
    assert_eq!(compare_level(&fields, &cyrillic), NameLevel::Exact);
    // A Latin name is not read as a keyboard slip.
    let latin = PreparedName::parse("Dilnoza Radjabova");
    assert_eq!(compare_level(&latin, &cyrillic), NameLevel::Skeleton);
}
