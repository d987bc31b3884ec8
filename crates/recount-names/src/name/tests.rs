use super::*;

/// The parts of a parsed name as `role:skeleton` words, its order and its sex.
fn check(raw: &str, parts: &str, order: NameOrder, sex: Option<Sex>) {
    let n = PreparedName::parse(raw);
    let got: Vec<String> = n
        .parts()
        .iter()
        .map(|p| format!("{}:{}", p.role.as_str(), p.skeleton))
        .collect();
    assert_eq!(got.join(" "), parts, "parts of {raw:?}");
    assert_eq!(n.order(), order, "order of {raw:?}");
    assert_eq!(n.sex(), sex, "sex of {raw:?}");
}

use NameOrder::*;

#[test]
fn russian_documents_and_prose() {
    check(
        "Асанов Бекболат Жумабекович",
        "surname:asanov given:bekbolat patronymic:jumabekovich",
        SurnameFirst,
        Some(Sex::Male),
    );
    check(
        "Бекболат Жумабекович Асанов",
        "given:bekbolat patronymic:jumabekovich surname:asanov",
        GivenFirst,
        Some(Sex::Male),
    );
    check(
        "Bekbolat Asanov",
        "given:bekbolat surname:asanov",
        GivenFirst,
        Some(Sex::Male),
    );
    check(
        "Asanov Bekbolat",
        "surname:asanov given:bekbolat",
        SurnameFirst,
        Some(Sex::Male),
    );
    check(
        "Асанова Айгуль Жумабековна",
        "surname:asanova given:aigul patronymic:jumabekovna",
        SurnameFirst,
        Some(Sex::Female),
    );
    check(
        "Щербаков Евгений Юрьевич",
        "surname:sherbakov given:evgeni patronymic:iurevich",
        SurnameFirst,
        Some(Sex::Male),
    );
    check(
        "Ким Юлия",
        "surname:kim given:iulia",
        SurnameFirst,
        Some(Sex::Female),
    );
    check(
        "KIM, Yulia",
        "surname:kim given:iulia",
        SurnameFirst,
        Some(Sex::Female),
    );
}

#[test]
fn central_asian_fathers_names() {
    check(
        "Бекболот Асан уулу",
        "given:bekbolot patronymic:asan particle:ulu",
        GivenFirst,
        Some(Sex::Male),
    );
    check(
        "Сарпек уулу Камырза",
        "patronymic:sarpek particle:ulu given:kamirza",
        SurnameFirst,
        Some(Sex::Male),
    );
    check(
        "Айгүл Жумабек кызы",
        "given:aigul patronymic:jumabek particle:kizi",
        GivenFirst,
        Some(Sex::Female),
    );
    check(
        "Әсел Нұрланқызы",
        "given:asel patronymic:nurlankizi",
        GivenFirst,
        Some(Sex::Female),
    );
    check(
        "Нурлан-улы Ерлан",
        "patronymic:nurlan particle:uli given:erlan",
        SurnameFirst,
        Some(Sex::Male),
    );
    check(
        "Karimov Alisher Bahodir o'g'li",
        "surname:karimov given:alisher patronymic:bahodir particle:ugli",
        SurnameFirst,
        Some(Sex::Male),
    );
    check(
        "Каримова Нодира Баходир кизи",
        "surname:karimova given:nodira patronymic:bahodir particle:kizi",
        SurnameFirst,
        Some(Sex::Female),
    );
    check(
        "Uson Zhakshylyk tegin",
        "given:uson patronymic:jakshilik particle:tegin",
        GivenFirst,
        None,
    );
    check(
        "Ҷамшед Раҳмонзода",
        "given:jamshed surname:rahmonzoda",
        GivenFirst,
        Some(Sex::Male),
    );
}

#[test]
fn mrz_titles_and_noise() {
    check(
        "ASANOV<<BEKBOLAT<<<<<<<<",
        "surname:asanov given:bekbolat",
        SurnameFirst,
        Some(Sex::Male),
    );
    check(
        "P<KGZASAN<UULU<<BEKBOLOT<<<",
        "patronymic:asan particle:ulu given:bekbolot",
        SurnameFirst,
        Some(Sex::Male),
    );
    check(
        "Haji Muhammad Rahimov",
        "title:haji given:muhamad surname:rahimov",
        GivenFirst,
        Some(Sex::Male),
    );
    check(
        "Abdul-Jabbar Karimov",
        "given:abduljabar surname:karimov",
        GivenFirst,
        Some(Sex::Male),
    );
    check("уулу", "particle:ulu", Unknown, None);
    check("", "", Unknown, None);
    check("12345", "noise:12345", Unknown, None);
}

#[test]
fn fields_and_empty_names() {
    let n = PreparedName::from_parts(Some("Бекболот"), Some("Асан уулу"), None);
    assert_eq!(n.surname_key(), Some("asan"));
    assert_eq!(n.given_key(), Some("bekbolot"));
    assert_eq!(n.sex(), Some(Sex::Male));
    let n = PreparedName::from_parts(Some("Alisher"), Some("Karimov"), Some("Bahodir o'g'li"));
    let roles: Vec<&str> = n.parts().iter().map(|p| p.role.as_str()).collect();
    assert_eq!(roles, ["surname", "given", "patronymic", "particle"]);
    assert!(PreparedName::parse("уулу").is_empty());
    assert!(PreparedName::parse("  ").is_empty());
    assert!(PreparedName::from_parts(None, None, None).is_empty());
    assert!(!PreparedName::parse("Асан").is_empty());
}

#[test]
fn blocking_keys_cover_each_part() {
    let keys = PreparedName::parse("Асанов Бекболат").blocking_keys();
    for k in ["s:asanov", "t:asan", "s:bekbolat", "c:bkblt", "c:snv"] {
        assert!(keys.contains(&k.to_string()), "{k} missing from {keys:?}");
    }
    assert!(keys.iter().any(|k| k.starts_with("dm:")));
    let mut sorted = keys.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(keys, sorted);
    // Reordered and surname-changed forms share keys part by part.
    let kyrgyz = PreparedName::parse("Бекболот Асан уулу").blocking_keys();
    assert!(kyrgyz.contains(&"t:asan".to_string()));
    assert!(kyrgyz.contains(&"a:bekbolat".to_string()) && keys.contains(&"a:bekbolat".to_string()));
}

#[test]
fn one_letter_out_forms_fold_as_names_spelt_that_way() {
    let forms = |raw: &str| {
        let n = PreparedName::parse(raw);
        let mut out = Vec::new();
        n.parts()[0].for_each_one_letter_out(&mut |f| out.push(f.to_owned()));
        out
    };
    let omurbek = forms("Омурбек");
    assert_eq!(omurbek.len(), "omurbek".len(), "{omurbek:?}");
    // Less its м, Омурбек is spelt Оурбек, whose skeleton is `urbek`.
    assert!(
        omurbek.contains(
            &PreparedName::parse("Оурбек").parts()[0]
                .role_free_stem()
                .to_owned()
        )
    );
    // A changed letter: Жоомарт and Жоомаот share a form.
    let (a, b) = (forms("Жоомарт"), forms("Жоомаот"));
    assert!(a.iter().any(|f| b.contains(f)), "{a:?} {b:?}");
    // Two different names share none.
    let c = forms("Бакыт");
    assert!(!a.iter().any(|f| c.contains(f)), "{a:?} {c:?}");
}
