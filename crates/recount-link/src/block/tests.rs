use super::*;
use crate::compare::{Comparison, compare, compare_pairs};
use crate::prepare::{DedupePolicy, Pair};
use recount_types::{PartialDate, Record};

fn record(src: &str, id: &str, given: &str, family: &str, birth: &str, residence: &str) -> Record {
    let mut r = Record::new(src, id);
    r.given_name = Some(given.into());
    r.family_name = Some(family.into());
    r.birth_date = birth.parse().ok();
    r.residence = Some(residence.into());
    r
}

/// The candidate pairs of the partial-name rule alone.
fn partial_rule_pairs(records: &[Record]) -> Vec<Pair> {
    let ds = Dataset::from_records(records, &DedupePolicy::default());
    rule_pairs(
        &ds,
        BlockingRule::PartialNameEvent,
        BlockingConfig::default(),
    )
    .0
}

fn pairs_of(records: &[Record]) -> (Dataset, Blocking) {
    let ds = Dataset::from_records(records, &DedupePolicy::default());
    let b = block(&ds, BlockingConfig::default());
    (ds, b)
}

#[test]
fn names_whose_vowels_drift_between_transliterations_pair_by_consonants() {
    // The cross-script benchmark's lists: `Сабиров` and `Sobirov` have different stems (the
    // Tajik o for the Russian a) but the same consonants.
    let mut a = Record::new("cyr", "1");
    a.given_name = Some("Рустам".into());
    a.family_name = Some("Сабиров".into());
    let mut b = Record::new("lat", "1");
    b.name = Some("Sobirov Rustam".into());
    b.birth_date = "1977-05-03".parse().ok();
    // Another Rustam whose surname shares no consonant key.
    let mut c = Record::new("lat", "2");
    c.name = Some("Karimov Rustam".into());
    let ds = Dataset::from_records(&[a, b, c], &DedupePolicy::default());
    let (pairs, _) = rule_pairs(&ds, BlockingRule::NamePair, BlockingConfig::default());
    assert_eq!(pairs, vec![Pair::new(0, 1)]);
}

#[test]
fn a_given_name_alone_with_a_vowel_typo_meets_its_full_form_at_the_same_event() {
    // A hotline caller's `Бахтовр` (a dropped vowel) and a lawyer's full name, both refused
    // exit in February 2023: only their consonants (b h t v r) meet.
    let event = |r: &mut Record, date: &str| {
        r.event = recount_types::EventVocabulary::default()
            .term("exit_refused")
            .ok();
        r.event_date = date.parse().ok();
    };
    let mut a = Record::new("hotline", "1");
    a.name = Some("Бахтовр".into());
    event(&mut a, "2023-02-15");
    let mut b = Record::new("lawyers", "1");
    b.given_name = Some("Бахтовар".into());
    b.family_name = Some("Мирзоев".into());
    event(&mut b, "2023-02-13/2023-02-18");
    // The same typo at another time, and another name at the same time: no pair.
    let mut c = Record::new("media", "1");
    c.name = Some("Бахтовр".into());
    event(&mut c, "2022-10-01");
    let mut d = Record::new("media", "2");
    d.name = Some("Фарход".into());
    event(&mut d, "2023-02-15");
    let pairs = partial_rule_pairs(&[a, b, c, d]);
    assert_eq!(pairs, vec![Pair::new(0, 1)]);
}

#[test]
fn a_misspelt_given_name_alone_meets_its_full_form_one_letter_apart() {
    // A letter dropped (Оурбек), changed (Жоомаот) and two swapped (Аилшер): each a given name
    // alone, told at the time of its full form's event. One of the two names' forms with a
    // letter left out is the other name's, or the two share one.
    let told = |src: &str, given: &str, family: Option<&str>, date: &str| {
        let mut r = Record::new(src, given);
        r.given_name = Some(given.into());
        r.family_name = family.map(str::to_owned);
        r.event = recount_types::EventVocabulary::default()
            .term("deployed")
            .ok();
        r.event_date = date.parse().ok();
        r
    };
    let records = [
        told("media", "Оурбек", None, "2022-12-28"),
        told("families", "Омурбек", Some("Ысмайылов"), "2022-12-26"),
        told("hotline", "Жоомаот", None, "2022-10-05"),
        told("channel", "Жоомарт", Some("Асанов"), "2022-10-06"),
        told("hotline", "Аилшер", None, "2023-02-15"),
        told("lawyers", "Алишер", Some("Каримов"), "2023-02-14"),
    ];
    let pairs = partial_rule_pairs(&records);
    assert_eq!(
        pairs,
        vec![Pair::new(0, 1), Pair::new(2, 3), Pair::new(4, 5)]
    );
}

#[test]
fn a_given_name_alone_without_a_date_meets_its_full_form_at_the_same_event() {
    // A caller gave his given name and said he was refused exit, but not when.
    let told = |src: &str, id: &str, name: &str, term: &str, date: Option<&str>| {
        let mut r = Record::new(src, id);
        r.name = Some(name.into());
        r.event = recount_types::EventVocabulary::default().term(term).ok();
        r.event_date = date.map(|d| d.parse().unwrap());
        r
    };
    let records = [
        told("hotline", "1", "Асрор", "exit_refused", None),
        told(
            "families",
            "1",
            "Kurbonov Asror",
            "exit_refused",
            Some("2022-10"),
        ),
        told(
            "families",
            "2",
            "Asror Karimov",
            "summoned",
            Some("2022-10-03"),
        ),
        told("lawyers", "1", "Кадыров Асрор", "exit_refused", None),
        // Two full names, one of them undated: full names meet only partial ones.
        told(
            "lawyers",
            "2",
            "Asror Kurbonov",
            "exit_refused",
            Some("2022-10-05"),
        ),
    ];
    let pairs = partial_rule_pairs(&records);
    assert_eq!(
        pairs,
        vec![Pair::new(0, 1), Pair::new(0, 3), Pair::new(0, 4)]
    );
}

#[test]
fn one_address_word_and_a_name_part_pair_records_born_years_apart() {
    // FEBRL4's rec-4316: the same name, the birth year mistyped, the suburb changed and the
    // street misspelt; the postcode is the one uncommon word left in common.
    let records = [
        record(
            "a",
            "1",
            "nicholas",
            "bridgland",
            "1923-04-04",
            "8;lethbridge street;;winston hills;2767;qld",
        ),
        record(
            "b",
            "1",
            "nicholas",
            "bridgland",
            "1972-04-28",
            "8;lethbridbe street;;toowoomba;2767;qld",
        ),
        // The same postcode but no name part in common: not paired by this rule.
        record(
            "b",
            "2",
            "zoe",
            "white",
            "1950-01-01",
            "9;banks street;;bega;2767;qld",
        ),
    ];
    let ds = Dataset::from_records(&records, &DedupePolicy::default());
    let cfg = BlockingConfig::default();
    let (pairs, _) = rule_pairs(&ds, BlockingRule::ResidenceNameToken, cfg);
    assert_eq!(pairs, vec![Pair::new(0, 1)]);
    // The name rules alone do not pair them (different birth years).
    let (by_name, _) = rule_pairs(&ds, BlockingRule::NamePair, cfg);
    assert!(by_name.is_empty());
}

#[test]
fn residence_words_pair_records_whose_names_and_dates_all_changed() {
    let records = [
        record(
            "a",
            "1",
            "lily",
            "green",
            "1966-05-30",
            "105;hawker place;currambine;3016;nsw",
        ),
        record(
            "b",
            "1",
            "brandon",
            "tallaxdira",
            "1971-02-03",
            "105;hawkekr place;currambine;3016;nsw",
        ),
        // Shares one word ("nsw") with the first: no pair from the residence.
        record(
            "b",
            "2",
            "zoe",
            "white",
            "1980-01-01",
            "7;banks street;bega;2550;nsw",
        ),
    ];
    let (_, b) = pairs_of(&records);
    assert_eq!(b.pairs, vec![Pair::new(0, 1)]);
    let rule = b
        .rules
        .iter()
        .find(|r| r.rule == "residence_words")
        .unwrap();
    assert_eq!(rule.pairs, 1);
}

#[test]
fn common_residence_words_make_no_blocks() {
    // 2,000 records in one town: its words are used by more than a quarter of the cap, so the
    // rule makes no giant block and no warning.
    let records: Vec<Record> = (0..2000)
        .map(|i| {
            record(
                ["a", "b"][i % 2],
                &i.to_string(),
                &format!("g{i}"),
                &format!("f{i}"),
                "",
                "kara balta",
            )
        })
        .collect();
    let (_, b) = pairs_of(&records);
    let rule = b
        .rules
        .iter()
        .find(|r| r.rule == "residence_words")
        .unwrap();
    assert_eq!((rule.pairs, rule.skipped_blocks), (0, 0));
}

#[test]
fn name_pairs_need_a_birth_year_or_day_in_common_unless_one_has_none() {
    let records = [
        record("a", "1", "Nurlan", "Asanov", "1980-03-05", ""),
        // Same names, another year but the same day of the year: a year typo.
        record("b", "1", "Nurlan", "Asanov", "1989-03-05", ""),
        // Same names, unrelated date: not proposed by the name rules.
        record("b", "2", "Nurlan", "Asanov", "1955-11-20", ""),
        // No birth date: pairs on the names alone.
        record("b", "3", "Nurlan", "Asanov", "", ""),
    ];
    // Source b lists each person once, so only pairs with record 0 may be made.
    let (_, b) = pairs_of(&records);
    assert_eq!(b.pairs, vec![Pair::new(0, 1), Pair::new(0, 3)]);
}

#[test]
fn year_only_records_meet_full_dates_through_one_name_part() {
    let mut only_year = record("a", "1", "Komron", "Nazarov", "", "");
    only_year.birth_date = PartialDate::year_only(1989);
    let records = [
        only_year,
        // A different surname spelling (no common surname key) and a full date in that year.
        record("b", "1", "Komron", "Nazariyon", "1989-02-14", ""),
        // Two full dates only meet on the same date.
        record("b", "2", "Komron", "Zzyx", "1989-07-01", ""),
    ];
    let (_, b) = pairs_of(&records);
    assert!(b.pairs.contains(&Pair::new(0, 1)), "{:?}", b.pairs);
    assert!(!b.pairs.contains(&Pair::new(1, 2)), "{:?}", b.pairs);
}

#[test]
fn names_sharing_parts_get_their_own_levels() {
    let records = [
        record("a", "1", "Nurlan", "Ospanov", "", ""),
        record("b", "1", "Nurlan", "O", "", ""),
        record("b", "2", "Nurlan", "Toktogulov", "", ""),
        record("b", "3", "Aigul", "Jumabaeva", "", ""),
    ];
    let ds = Dataset::from_records(&records, &DedupePolicy::default());
    let level = |i, j| Comparison::Name.level_label(compare(&ds, i, j)[0]);
    assert_eq!(level(0, 1), "part_subset");
    assert_eq!(level(0, 2), "one_part");
    assert_eq!(level(0, 3), "different");
    // The batch comparison (one name-engine call per distinct pair of names) agrees.
    let pairs = [
        Pair::new(0, 1),
        Pair::new(0, 2),
        Pair::new(0, 3),
        Pair::new(1, 2),
    ];
    let batch = compare_pairs(&ds, &pairs);
    for (p, g) in pairs.iter().zip(&batch) {
        assert_eq!(*g, compare(&ds, p.a, p.b));
    }
}

/// `n` records of one common name without a birth date, each from its own source, with the
/// event on `date` (or no event date).
fn namesakes(n: usize, first_source: usize, date: Option<&str>) -> Vec<Record> {
    (0..n)
        .map(|k| {
            let mut r = record(
                &format!("s{}", first_source + k),
                "1",
                "Nurlan",
                "Asanov",
                "",
                "",
            );
            r.event = recount_types::EventVocabulary::default()
                .term("exit_refused")
                .ok();
            r.event_date = date.and_then(|d| d.parse().ok());
            r
        })
        .collect()
}

fn rule<'a>(b: &'a Blocking, name: &str) -> &'a RuleReport {
    b.rules.iter().find(|r| r.rule == name).unwrap()
}

#[test]
fn a_large_block_is_split_by_the_event_time() {
    // 30 namesakes (over `refine_above`, 20): 15 stopped in October 2022, 14 in March 2023 and
    // one whose event has no date.
    let mut records = namesakes(15, 0, Some("2022-10-01"));
    records.extend(namesakes(14, 15, Some("2023-03-01")));
    records.extend(namesakes(1, 29, None));
    let (ds, b) = pairs_of(&records);
    let name_pair = rule(&b, "name_pair");
    // Three blocks of the same records, each split: the two parts' keys, and each part's key
    // with the other part's first letters.
    assert_eq!(name_pair.refined_blocks, 3);
    assert_eq!(name_pair.unrefined_records, 3);
    // Only namesakes stopped about the same time are compared: 15·14/2 + 14·13/2.
    assert_eq!(name_pair.pairs, 105 + 91);
    for p in &b.pairs {
        let (a, c) = (ds.event_window[p.a as usize], ds.event_window[p.b as usize]);
        assert_eq!(a, c, "{p:?} pairs events at different times");
    }
}

#[test]
fn a_large_block_without_event_dates_is_compared_whole() {
    let (_, b) = pairs_of(&namesakes(30, 0, None));
    let name_pair = rule(&b, "name_pair");
    assert_eq!(name_pair.refined_blocks, 0);
    assert_eq!(name_pair.pairs, 30 * 29 / 2);
}

#[test]
fn a_part_of_a_split_block_over_its_cap_is_skipped_and_reported() {
    let cfg = BlockingConfig {
        max_block_size: 1000,
        refine_above: 3,
    };
    // 16 namesakes at one time: over refine_above · 5 = 15 even after the split.
    let records = namesakes(16, 0, Some("2022-10-01"));
    let ds = Dataset::from_records(&records, &DedupePolicy::default());
    let b = block(&ds, cfg);
    let name_pair = rule(&b, "name_pair");
    // Nothing compared; in each of the name's three blocks (see above), one skipped part per
    // period the (widened) event falls in.
    assert_eq!(name_pair.pairs, 0);
    assert!((3..=6).contains(&name_pair.skipped_blocks), "{name_pair:?}");
    let warnings = b.warnings(cfg);
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("`name_pair`")
                && w.contains("a part of it over 15 records is skipped")),
        "{warnings:?}"
    );
}

/// A record told by a hotline or a channel: a full name in one field, an age, an event.
fn told(src: &str, name: &str, age: &str, event_date: &str) -> Record {
    let mut r = Record::new(src, "1");
    r.name = Some(name.into());
    r.age = age.parse().ok();
    r.event = recount_types::EventVocabulary::default()
        .term("exit_refused")
        .ok();
    r.event_date = event_date.parse().ok();
    r
}

#[test]
fn a_name_read_in_the_other_order_keeps_its_keys() {
    // `Эркин Осмонов` in one field: the parser takes Эркин (-ин, like Пушкин) for the surname.
    // The lawyers' record has the fields filled in. Without a birth year on the channel's
    // side, only the two parts' keys can pair them, and those must not depend on the role.
    let a = told("kg_channel", "Эркин Осмонов", "40-49", "2022-10");
    let mut b = record("lawyers", "1", "Эркин", "Осмонов", "1974-10-03", "");
    b.patronymic = Some("Суйунбекович".into());
    let ds = Dataset::from_records(&[a, b], &DedupePolicy::default());
    let (pairs, _) = rule_pairs(&ds, BlockingRule::NamePair, BlockingConfig::default());
    assert_eq!(pairs, vec![Pair::new(0, 1)]);
}

#[test]
fn a_typo_later_in_one_part_leaves_the_other_part_and_the_first_letters() {
    // Влаислав for Владислав: the given names' keys and consonants differ; the surname and
    // the given name's first three letters still meet. Another Kopylov (Виктор) does not.
    let a = told("media", "Владислав Копылов", "27", "2023-02-20");
    let b = told("families", "Копылов Влаислав Павлович", "20-29", "2023-02");
    let c = told("lawyers", "Виктор Копылов", "20-29", "2023-02");
    let ds = Dataset::from_records(&[a, b, c], &DedupePolicy::default());
    let (pairs, _) = rule_pairs(&ds, BlockingRule::NamePair, BlockingConfig::default());
    assert_eq!(pairs, vec![Pair::new(0, 1)]);
}

#[test]
fn a_told_age_a_year_off_still_meets_the_birth_year() {
    // Told "48" on 3 October 2022 (born 1973–74); the lawyers have the passport: 1975. A
    // Zamir Esengulov born 1979 is too far.
    let a = told("hotline", "Эсенгулов Замир", "48", "2022-10-03");
    let b = record("lawyers", "1", "Замир", "Эсенгулов", "1975-01-23", "");
    let c = record("lawyers", "2", "Замир", "Эсенгулов", "1979-06-01", "");
    let ds = Dataset::from_records(&[a, b, c], &DedupePolicy::default());
    let (pairs, _) = rule_pairs(&ds, BlockingRule::NamePair, BlockingConfig::default());
    assert_eq!(pairs, vec![Pair::new(0, 1)]);
}
