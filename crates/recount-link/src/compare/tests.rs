use super::*;
use crate::prepare::{Dataset, DedupePolicy};
use recount_types::Record;

fn birth(a: &str, b: &str) -> &'static str {
    let (a, b): (PartialDate, PartialDate) = (a.parse().unwrap(), b.parse().unwrap());
    Comparison::BirthDate.level_label(birth_level(a, b))
}

#[test]
fn birth_date_levels() {
    let check = |a: &str, b: &str, want: &str| assert_eq!(birth(a, b), want, "{a} vs {b}");
    check("1980-03-05", "1980-03-05", "exact");
    check("1980-03-05", "1980-05-03", "day_month_swapped");
    check("1980-03-05", "1980-03-08", "one_digit_off");
    check("1980-03-05", "1981-03-05", "one_digit_off");
    check("1980-03-05", "1980", "same_at_lower_precision");
    check("1980-03", "1980-03-05", "same_at_lower_precision");
    check("1980-03-05", "1980-11-21", "same_year");
    check("1980-03-05", "1979-11-21", "year_plus_minus_one");
    check("1980", "1979", "year_plus_minus_one");
    check("1980-03-05", "1975-11-21", "different");
}

#[test]
fn one_edit_documents() {
    let check = |a: &str, b: &str, want: bool| {
        assert_eq!(within_one_edit(a.as_bytes(), b.as_bytes()), want, "{a} {b}")
    };
    check("AB123", "AB123", true);
    check("AB123", "AB124", true);
    check("AB123", "AB1234", true);
    check("AB123", "BA123", true);
    check("AB123", "AB213", true);
    check("AB123", "AB321", false);
    check("AB123", "XY123", false);
}

type Row<'a> = (
    &'a str,
    &'a str,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
);

fn dataset(rows: &[Row]) -> Dataset {
    let records: Vec<Record> = rows
        .iter()
        .map(|(src, id, name, birth, residence, doc)| {
            let mut r = Record::new(*src, *id);
            r.name = name.map(str::to_owned);
            r.birth_date = birth.map(|b| b.parse().unwrap());
            r.residence = residence.map(str::to_owned);
            r.document_id = doc.map(str::to_owned);
            r
        })
        .collect();
    Dataset::from_records(&records, &DedupePolicy::default())
}

#[test]
fn places_and_documents_compare_across_scripts_and_forms() {
    let ds = dataset(&[
        (
            "a",
            "1",
            Some("Бекболат Асанов"),
            Some("1980-03-05"),
            Some("г. Москва"),
            Some("AB 123456"),
        ),
        (
            "b",
            "1",
            Some("Bekbolat Asanov"),
            Some("1980"),
            Some("Moscow"),
            Some("ab123456"),
        ),
        ("b", "2", None, None, Some("Osh"), Some("ab123465")),
    ]);
    let g = compare(&ds, 0, 1);
    assert_eq!(
        Comparison::Residence.level_label(g[Comparison::Residence.index()]),
        "exact"
    );
    assert_eq!(
        Comparison::Document.level_label(g[Comparison::Document.index()]),
        "exact"
    );
    assert_eq!(
        Comparison::BirthDate.level_label(g[Comparison::BirthDate.index()]),
        "same_at_lower_precision"
    );
    assert_ne!(Comparison::Name.level_label(g[0]), "different");
    let g = compare(&ds, 0, 2);
    assert_eq!(g[0], 0, "a missing name is null");
    assert_eq!(
        Comparison::Document.level_label(g[Comparison::Document.index()]),
        "one_edit"
    );
    assert_eq!(
        Comparison::Residence.level_label(g[Comparison::Residence.index()]),
        "different"
    );
}

/// One record per row (event term, event date, where), each from its own source.
fn events(rows: &[(&str, &str, Option<&str>)]) -> Dataset {
    let vocab = recount_types::EventVocabulary::default();
    let records: Vec<Record> = rows
        .iter()
        .enumerate()
        .map(|(k, (term, date, place))| {
            let mut r = Record::new(format!("s{k}"), "1");
            r.event = Some(vocab.term(term).unwrap());
            r.event_date = (!date.is_empty()).then(|| date.parse().unwrap());
            r.place = place.map(str::to_owned);
            r
        })
        .collect();
    Dataset::from_records(&records, &DedupePolicy::default())
}

/// The level of comparison `c` of records `i` and `j`.
fn level_of(ds: &Dataset, c: Comparison, i: u32, j: u32) -> &'static str {
    c.level_label(compare(ds, i, j)[c.index()])
}

/// The event level of records `i` and `j`.
fn event_level(ds: &Dataset, i: u32, j: u32) -> &'static str {
    level_of(ds, Comparison::Event, i, j)
}

/// One record per name (in a `name` field), each from its own source.
fn names(names: &[&str]) -> Dataset {
    let records: Vec<Record> = names
        .iter()
        .enumerate()
        .map(|(k, n)| {
            let mut r = Record::new(format!("s{k}"), "1");
            r.name = Some((*n).to_owned());
            r
        })
        .collect();
    Dataset::from_records(&records, &DedupePolicy::default())
}

#[test]
fn event_levels_tell_the_same_day_from_the_same_month() {
    let ds = events(&[
        ("exit_refused", "2022-09-25", None),
        ("exit_refused", "2022-09-26", None),
        ("exit_refused", "2022-09", None),
        ("exit_refused", "2022-10-20", None),
        ("exit_refused", "2023-02-01", None),
        ("summoned", "2022-09-25", None),
        ("summoned", "2023-03-01", None),
        ("exit_refused", "2022-09-24/2022-09-26", None),
        ("exit_refused", "2022-09-01/2022-09-30", None),
        ("exit_refused", "", None),
        ("threatened", "2022-09-20", None),
    ]);
    let level = |i, j| event_level(&ds, i, j);
    assert_eq!(level(0, 1), "same_event_same_day", "a day apart");
    assert_eq!(level(0, 7), "same_event_same_day", "a three-day range");
    assert_eq!(level(0, 2), "same_event_overlapping", "a day in its month");
    assert_eq!(level(0, 8), "same_event_overlapping", "a month-long range");
    assert_eq!(level(0, 3), "same_event_same_time", "25 days apart");
    assert_eq!(level(0, 4), "same_event_other_time", "four months apart");
    assert_eq!(level(0, 9), "same_event_undated");
    assert_eq!(level(0, 10), "same_time_other_event");
    assert_eq!(level(0, 6), "different");
    assert_eq!(
        level(2, 3),
        "same_event_same_time",
        "a month and a day 20 days after it"
    );
}

#[test]
fn the_event_place_splits_each_level_of_the_same_event() {
    let ds = events(&[
        ("exit_refused", "2022-09-25", Some("МАПП Петухово")),
        ("exit_refused", "2022-09-25", Some("Petukhovo crossing")),
        ("exit_refused", "2022-09-25", Some("МАПП Троицк")),
        ("exit_refused", "2022-09-25", None),
        ("exit_refused", "2022-09", Some("КПП Петухово")),
        (
            "exit_refused",
            "2023-02-01",
            Some("Петухово (Курганская обл.)"),
        ),
        ("threatened", "2022-09-25", Some("МАПП Петухово")),
        ("exit_refused", "", Some("Petukhovo")),
    ]);
    let level = |i, j| event_level(&ds, i, j);
    assert_eq!(level(0, 1), "same_event_same_day_same_place", "two scripts");
    assert_eq!(level(0, 2), "same_event_same_day", "another crossing");
    assert_eq!(level(0, 3), "same_event_same_day", "a place not told");
    assert_eq!(level(0, 4), "same_event_overlapping_same_place");
    assert_eq!(
        level(0, 5),
        "same_event_other_time",
        "with its region, months later"
    );
    // Another event at the same place is no stronger than another event.
    assert_eq!(level(0, 6), "same_time_other_event");
    assert_eq!(
        level(0, 7),
        "same_event_undated_same_place",
        "a date not told"
    );
}

#[test]
fn a_summons_and_what_follows_it_are_a_level_of_their_own() {
    let ds = events(&[
        ("summoned", "2022-09-25", None),
        ("exit_refused", "2022-09-25", None),
        ("exit_refused", "2022-10-20", None),
        ("deployed", "2022-12-01", None),
        ("deployed", "2023-02-01", None),
        ("exit_refused", "2022-09-24", None),
        ("threatened", "2022-09", None),
        ("exit_refused", "", None),
    ]);
    let level = |i, j| event_level(&ds, i, j);
    for (other, why) in [
        (1, "refused at the border the day of the summons"),
        (2, "25 days after it"),
        (3, "deployed 67 days after it"),
        (6, "threatened in the month of the summons"),
    ] {
        assert_eq!(level(0, other), "summons_then_other_event", "{why}");
        assert_eq!(
            level(other, 0),
            "summons_then_other_event",
            "{why}, either order"
        );
    }
    assert_eq!(level(0, 4), "different", "four months after it");
    assert_eq!(level(0, 5), "same_time_other_event", "a day before it");
    assert_eq!(level(0, 7), "different", "a date not told");
    assert_eq!(level(1, 2), "same_event_same_time", "no summons");
}

#[test]
fn a_surname_against_a_fathers_name_with_its_particle_is_a_level_of_its_own() {
    let ds = names(&[
        "Сыдыков Бектур",
        "Бектур Бакай уулу",
        "Бектур Асанов",
        "Данияр Жумабаев",
        "Данияр Кайрат уулу",
    ]);
    let name = |i, j| level_of(&ds, Comparison::Name, i, j);
    assert_eq!(name(0, 1), "one_part_other_family_form");
    assert_eq!(name(3, 4), "one_part_other_family_form");
    assert_eq!(name(0, 2), "one_part", "two surnames");
}

#[test]
fn an_initial_meets_the_first_letter_of_the_transliteration() {
    let ds = names(&[
        "Alisher Kholikov",
        "Alisher K.",
        "Alisher M.",
        "Хуршед Хамидов",
        "Khurshed K.",
        "Khurshed H.",
    ]);
    let name = |i, j| level_of(&ds, Comparison::Name, i, j);
    assert_eq!(name(0, 1), "part_subset", "K. for Kholikov");
    assert_eq!(name(0, 2), "one_part", "M. for Kholikov");
    assert_eq!(name(3, 4), "part_subset", "K. for Хамидов");
    assert_eq!(name(3, 5), "part_subset", "H. for Хамидов");
}

#[test]
fn russian_citizenship_alone_against_another_is_a_level_of_its_own() {
    let records: Vec<Record> = ["RU", "KG", "RU;KG", "KZ", "UZ;TJ", "RU"]
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let mut r = Record::new(format!("s{k}"), "1");
            r.citizenship = c.split(';').map(|x| x.parse().unwrap()).collect();
            r
        })
        .collect();
    let ds = Dataset::from_records(&records, &DedupePolicy::default());
    let level = |i, j| level_of(&ds, Comparison::Citizenship, i, j);
    assert_eq!(level(0, 1), "russian_and_other", "RU against KG");
    assert_eq!(level(4, 5), "russian_and_other", "UZ;TJ against RU");
    assert_eq!(level(1, 2), "overlap");
    assert_eq!(level(1, 3), "disjoint", "KG against KZ");
    assert_eq!(level(2, 3), "disjoint", "RU;KG against KZ");
}

#[test]
fn a_misspelt_shared_part_beside_a_changed_one_is_one_part() {
    let ds = dataset(&[
        ("a", "1", Some("Jacinta Bastiaans"), None, None, None),
        ("b", "1", Some("Jacina Frencham"), None, None, None),
        ("b", "2", Some("Maria Frencham"), None, None, None),
        ("b", "3", Some("Jacinta Frencham"), None, None, None),
    ]);
    let name = |i, j| level_of(&ds, Comparison::Name, i, j);
    assert_eq!(name(0, 1), "one_part", "a typo in the shared given name");
    assert_eq!(name(0, 3), "one_part", "the shared given name spelt alike");
    assert_eq!(name(0, 2), "different", "nothing shared");
}
