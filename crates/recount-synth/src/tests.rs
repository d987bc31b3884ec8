//! World-level tests: size, determinism, the capture design, record validity, scripts, labels,
//! and the linkage benchmark sets.

use crate::*;
use recount_types::{
    AgeRange, EventDate, EventVocabulary, Informant, PartialDate, RECORDS_CSV_V1_COLUMNS, Record,
    Sex, parse_country_list,
};
use std::collections::{BTreeMap, BTreeSet};

fn world(seed: u64) -> World {
    generate(&WorldConfig {
        seed,
        ..WorldConfig::default()
    })
}

fn csv_bytes(records: &[Record]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(RECORDS_CSV_V1_COLUMNS).unwrap();
    for r in records {
        w.write_record(r.to_csv_v1_row()).unwrap();
    }
    w.into_inner().unwrap()
}

#[test]
fn population_has_the_configured_size_and_ids() {
    let w = generate(&WorldConfig {
        seed: 4,
        people: 1234,
        noise: 1.0,
    });
    assert_eq!(w.people.len(), 1234);
    for (i, p) in w.people.iter().enumerate() {
        assert_eq!(p.id, TruePersonId(i as u32 + 1));
        assert_eq!(w.person(p.id).map(|q| q.id), Some(p.id));
    }
    assert_eq!(w.sources.len(), 6);
}

#[test]
fn the_same_seed_gives_byte_identical_output() {
    let a = world(7);
    let b = world(7);
    assert_eq!(csv_bytes(&a.records), csv_bytes(&b.records));
    assert_eq!(a.truth_csv(), b.truth_csv());
    assert_eq!(a.people, b.people);
    let c = world(8);
    assert_ne!(csv_bytes(&a.records), csv_bytes(&c.records));
}

/// Distinct people per source, as a share of the population.
fn coverage(w: &World) -> BTreeMap<String, f64> {
    let mut seen: BTreeMap<String, BTreeSet<TruePersonId>> = BTreeMap::new();
    for (k, id) in &w.truth {
        seen.entry(k.source.to_string()).or_default().insert(*id);
    }
    seen.into_iter()
        .map(|(s, ids)| (s, ids.len() as f64 / w.people.len() as f64))
        .collect()
}

#[test]
fn each_source_covers_what_the_design_says() {
    // The designed coverage of each source (an average of capture probabilities over the
    // population, before any draw) must lie in the documented bands, and each drawn list must
    // be within four binomial standard errors of it.
    let bands = [
        ("hotline", 0.33, 0.45),
        ("lawyers", 0.12, 0.21),
        ("media", 0.09, 0.17),
        ("media_copies", 0.05, 0.11),
        ("kg_channel", 0.12, 0.23),
        ("families", 0.17, 0.27),
    ];
    for seed in [1, 2, 3] {
        let w = world(seed);
        let got = coverage(&w);
        let n = w.people.len() as f64;
        for (source, expected) in w.expected_coverage() {
            let (_, lo, hi) = bands.iter().find(|(s, _, _)| *s == source).unwrap();
            assert!(
                (*lo..=*hi).contains(&expected),
                "{source}: designed {expected:.3}"
            );
            let realised = got.get(source).copied().unwrap_or(0.0);
            let se = (expected * (1.0 - expected) / n).sqrt();
            assert!(
                (realised - expected).abs() < 4.0 * se + 0.005,
                "seed {seed} {source}: realised {realised:.3}, designed {expected:.3}"
            );
        }
    }
}

fn phi(a: &[bool], b: &[bool]) -> f64 {
    let n = a.len() as f64;
    let pa = a.iter().filter(|x| **x).count() as f64 / n;
    let pb = b.iter().filter(|x| **x).count() as f64 / n;
    let pab = a.iter().zip(b).filter(|(x, y)| **x && **y).count() as f64 / n;
    (pab - pa * pb) / (pa * (1.0 - pa) * pb * (1.0 - pb)).sqrt()
}

#[test]
fn lists_are_positively_correlated_within_designed_ranges() {
    // Bands checked over seeds 1-12 (phi varies by about ±0.05 between seeds at 3,000 people).
    for seed in [1, 2, 6] {
        let w = world(seed);
        let cp = w.true_capture_patterns();
        assert_eq!(
            cp.lists,
            ["hotline", "lawyers", "media", "kg_channel", "families"]
        );
        let col = |name: &str| {
            let j = cp.lists.iter().position(|l| l == name).unwrap();
            cp.rows.iter().map(|(_, r)| r[j]).collect::<Vec<bool>>()
        };
        let pairs = [
            // Through the classes and the referrals: clearly correlated.
            ("hotline", "lawyers", 0.15, 0.35),
            ("hotline", "kg_channel", 0.02, 0.20),
            ("lawyers", "kg_channel", 0.02, 0.18),
            ("hotline", "media", 0.0, 0.15),
            // Families hear of the isolated nearly as often: close to independent.
            ("hotline", "families", -0.06, 0.10),
            ("media", "families", -0.03, 0.12),
            ("kg_channel", "families", -0.05, 0.08),
        ];
        for (a, b, lo, hi) in pairs {
            let r = phi(&col(a), &col(b));
            assert!((lo..=hi).contains(&r), "seed {seed} phi({a},{b}) = {r:.3}");
        }
    }
}

#[test]
fn some_people_are_recorded_by_no_source() {
    let w = world(1);
    let cp = w.true_capture_patterns();
    let unrecorded = cp.rows.len() - cp.observed();
    let share = unrecorded as f64 / w.people.len() as f64;
    assert!((0.25..=0.45).contains(&share), "{share}");
    assert_eq!(cp.observed(), w.documented());
    let by_source = w.true_capture_patterns_by_source();
    assert_eq!(by_source.lists.len(), 6);
    assert_eq!(by_source.observed(), cp.observed());
    assert_eq!(cp.counts().values().sum::<usize>(), w.people.len());
    // The recorded differ from the unrecorded: connected people are over-represented.
    let connected = |rows: &mut dyn Iterator<Item = &(TruePersonId, Vec<bool>)>| {
        let ids: Vec<TruePersonId> = rows.map(|(id, _)| *id).collect();
        let c = ids
            .iter()
            .filter(|id| w.person(**id).unwrap().visibility == Visibility::Connected)
            .count();
        c as f64 / ids.len().max(1) as f64
    };
    let seen = connected(&mut cp.rows.iter().filter(|(_, r)| r.iter().any(|x| *x)));
    let unseen = connected(&mut cp.rows.iter().filter(|(_, r)| r.iter().all(|x| !*x)));
    assert!(
        seen > 2.0 * unseen,
        "connected: {seen:.2} recorded vs {unseen:.2} unrecorded"
    );
}

/// Reads a CSV row back the way an importer of Records CSV v1 would, value by value.
fn parse_row(row: &csv::StringRecord) -> Record {
    let col = |name: &str| {
        let i = RECORDS_CSV_V1_COLUMNS
            .iter()
            .position(|c| *c == name)
            .unwrap();
        let v = row.get(i).unwrap();
        (!v.is_empty()).then(|| v.to_owned())
    };
    let vocab = EventVocabulary::default();
    let mut r = Record::new(col("source").unwrap(), col("record_id").unwrap());
    r.name = col("name");
    r.given_name = col("given_name");
    r.family_name = col("family_name");
    r.patronymic = col("patronymic");
    r.sex = col("sex").map(|s| s.parse::<Sex>().unwrap());
    r.birth_date = col("birth_date").map(|s| s.parse::<PartialDate>().unwrap());
    r.birth_place = col("birth_place");
    r.document_id = col("document_id");
    r.age = col("age").map(|s| s.parse::<AgeRange>().unwrap());
    r.citizenship = parse_country_list(&col("citizenship").unwrap_or_default()).unwrap();
    r.origin = col("origin").map(|s| s.parse().unwrap());
    r.residence = col("residence");
    r.event = col("event").map(|s| vocab.term(&s).unwrap());
    r.event_date = col("event_date").map(|s| s.parse::<EventDate>().unwrap());
    r.place = col("place");
    r.informant = col("informant").map(|s| s.parse::<Informant>().unwrap());
    r.report_id = col("report_id");
    r.quote = col("quote");
    r.notes = col("notes");
    r
}

#[test]
fn every_record_is_valid_records_csv_v1_and_round_trips() {
    let w = world(1);
    let bytes = csv_bytes(&w.records);
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        RECORDS_CSV_V1_COLUMNS
    );
    let back: Vec<Record> = reader
        .records()
        .map(|row| parse_row(&row.unwrap()))
        .collect();
    assert_eq!(back, w.records);

    let mut keys = BTreeSet::new();
    for r in &w.records {
        assert!(keys.insert(r.key()), "duplicate record id {}", r.key());
        assert!(r.full_name().is_some(), "{} has no name", r.key());
        assert!(r.event.is_some());
        assert!(r.informant.is_some());
        for s in [&r.name, &r.given_name, &r.family_name, &r.patronymic]
            .into_iter()
            .flatten()
        {
            assert!(!s.trim().is_empty() && !s.contains('\0'), "{}", r.key());
        }
        if let Some(d) = r.event_date {
            assert!(d.first_day() <= d.last_day());
        }
        assert!(w.sources.iter().any(|s| s.name == r.source));
    }
    // The truth names every record exactly once, sorted.
    assert_eq!(w.truth.len(), w.records.len());
    assert!(w.truth.windows(2).all(|p| p[0].0 < p[1].0));
    for r in &w.records {
        assert!(w.truth_of(&r.key()).is_some());
    }
}

#[test]
fn sources_behave_as_designed() {
    let w = world(2);
    // Lawyers: split fields, documents, full birth dates.
    let lawyers: Vec<&Record> = w.records_of("lawyers").collect();
    assert!(
        lawyers
            .iter()
            .all(|r| r.name.is_none() && r.family_name.is_some())
    );
    assert!(lawyers.iter().filter(|r| r.document_id.is_some()).count() * 10 > lawyers.len() * 8);
    // Families: second-hand.
    assert!(
        w.records_of("families")
            .all(|r| r.informant == Some(Informant::Relative))
    );
    // The hotline and the reprints list some people twice; the others never do.
    for s in &w.sources {
        let mut ids: Vec<TruePersonId> = w
            .truth
            .iter()
            .filter(|(k, _)| k.source == s.name)
            .map(|(_, id)| *id)
            .collect();
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(s.contains_duplicates, ids.len() < n, "{}", s.name);
    }
    // Every reprint copies a story about the same person in the media list.
    let media_people: BTreeSet<TruePersonId> = w
        .truth
        .iter()
        .filter(|(k, _)| k.source.as_str() == "media")
        .map(|(_, id)| *id)
        .collect();
    let stories: BTreeSet<String> = w
        .records_of("media")
        .filter_map(|r| r.report_id.clone())
        .collect();
    for r in w.records_of("media_copies") {
        assert!(media_people.contains(&w.truth_of(&r.key()).unwrap()));
        let story = r.notes.as_deref().unwrap().rsplit(' ').next().unwrap();
        assert!(stories.contains(story), "{story}");
    }
    // Media and its copies count as one list, the others as themselves.
    let groups: BTreeSet<&str> = w.sources.iter().map(|s| s.independence_group()).collect();
    assert_eq!(groups.len(), 5);
    // Some reports group several people (a story, an episode, a relative's letter).
    let mut per_report: BTreeMap<(String, String), usize> = BTreeMap::new();
    for r in &w.records {
        *per_report
            .entry((r.source.to_string(), r.report_id.clone().unwrap()))
            .or_default() += 1;
    }
    assert!(per_report.iter().any(|((s, _), n)| s == "media" && *n > 1));
    assert!(
        per_report
            .iter()
            .any(|((s, _), n)| s == "families" && *n > 1)
    );
}

fn all_names(w: &World) -> Vec<String> {
    w.records
        .iter()
        .flat_map(|r| [&r.name, &r.given_name, &r.family_name, &r.patronymic])
        .flatten()
        .cloned()
        .collect()
}

#[test]
fn names_occur_in_several_scripts_and_systems() {
    let w = world(1);
    let names = all_names(&w);
    let any = |f: &dyn Fn(&str) -> bool| names.iter().filter(|n| f(n)).count();
    let cyrillic = |c: char| ('\u{0400}'..='\u{04FF}').contains(&c);
    assert!(
        any(&|n| n.chars().any(|c| "үөң".contains(c))) > 20,
        "Kyrgyz letters"
    );
    assert!(
        any(&|n| n.chars().any(|c| "ҷҳӣӯ".contains(c))) > 0,
        "Tajik letters"
    );
    assert!(
        any(&|n| n.chars().all(|c| !cyrillic(c)) && n.chars().any(|c| c.is_ascii_alphabetic()))
            > 200,
        "Latin"
    );
    let apostrophes = any(&|n| n.contains(['\'', '\u{02BB}', '\u{2019}', '`']));
    assert!(apostrophes > 0, "Uzbek apostrophes");
    assert!(any(&|n| n.contains("уулу")) > 20, "uulu");
    assert!(any(&|n| n.contains("зода")) > 20, "-zoda");
    assert!(any(&|n| n.starts_with("Дж")) > 20, "дж");
    assert!(
        any(&|n| n.chars().any(cyrillic) && n.chars().any(|c| c.is_ascii_alphabetic())) > 5,
        "homoglyphs"
    );
    assert!(
        any(&|n| n.chars().filter(|c| c.is_alphabetic()).count() > 3 && *n == n.to_uppercase()) > 5,
        "capitals"
    );
    // First-name-only reports from the hotline.
    let first_only = w
        .records_of("hotline")
        .filter(|r| r.name.as_deref().is_some_and(|n| !n.contains(' ')))
        .count();
    assert!(first_only > 50, "{first_only}");
    // Former Tajik surnames: one person under both -ов and -зода.
    let mut forms: BTreeMap<TruePersonId, BTreeSet<bool>> = BTreeMap::new();
    for r in &w.records {
        if let Some(n) = r.full_name() {
            let id = w.truth_of(&r.key()).unwrap();
            let p = w.person(id).unwrap();
            let tajik_changed =
                p.nationality == Nationality::Tajik && p.former_family_name.is_some();
            if tajik_changed && (n.contains("зод") || n.contains("ов")) {
                forms.entry(id).or_default().insert(n.contains("зод"));
            }
        }
    }
    assert!(
        forms.values().any(|s| s.len() == 2),
        "no person seen under both surname forms"
    );
}

#[test]
fn the_label_and_quote_labels_are_present() {
    let w = world(5);
    assert_eq!(
        w.label,
        "SYNTHETIC DATA — generated by recount-synth, seed 5"
    );
    let quotes: Vec<&String> = w.records.iter().filter_map(|r| r.quote.as_ref()).collect();
    assert!(quotes.len() > 100);
    assert!(
        quotes
            .iter()
            .all(|q| q.starts_with(QUOTE_LABEL_RU) || q.starts_with(QUOTE_LABEL_EN))
    );
    assert!(
        w.truth_csv()
            .starts_with("source,record_id,true_person_id\n")
    );
}

#[test]
fn noise_zero_gives_clean_names() {
    let w = generate(&WorldConfig {
        seed: 3,
        people: 800,
        noise: 0.0,
    });
    for n in all_names(&w) {
        let cyr = n.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c));
        let lat = n.chars().any(|c| c.is_ascii_alphabetic());
        assert!(!(cyr && lat), "mixed script without noise: {n}");
    }
}

#[test]
fn cross_script_lists_pair_every_person_once() {
    let set = cross_script_lists(9, 500);
    assert_eq!(set.records.len(), 1000);
    assert_eq!(set.true_pairs(), 500);
    let mut per_person: BTreeMap<TruePersonId, Vec<&str>> = BTreeMap::new();
    for (k, id) in &set.truth {
        per_person.entry(*id).or_default().push(k.source.as_str());
    }
    assert!(
        per_person
            .values()
            .all(|s| *s == [CYRILLIC_LIST, LATIN_LIST])
    );
    let cyrillic = |s: &str| {
        s.chars()
            .filter(|c| ('\u{0400}'..='\u{04FF}').contains(c))
            .count()
    };
    let cyr_list: Vec<String> = set
        .records
        .iter()
        .filter(|r| r.source.as_str() == CYRILLIC_LIST)
        .filter_map(Record::full_name)
        .collect();
    let lat_list: Vec<String> = set
        .records
        .iter()
        .filter(|r| r.source.as_str() == LATIN_LIST)
        .filter_map(Record::full_name)
        .collect();
    assert!(cyr_list.iter().all(|n| cyrillic(n) > 0));
    assert!(
        lat_list.iter().all(|n| cyrillic(n) == 0),
        "{:?}",
        lat_list.iter().find(|n| cyrillic(n) > 0)
    );
    assert_eq!(set.label, label(9));
    let uzbek_latin = lat_list
        .iter()
        .filter(|n| n.contains(['\'', '\u{02BB}', '\u{2019}', '`']))
        .count();
    assert!(uzbek_latin > 5, "{uzbek_latin}");
    let again = cross_script_lists(9, 500);
    assert_eq!(csv_bytes(&set.records), csv_bytes(&again.records));
}

#[test]
fn duplicated_records_has_exact_size_and_known_duplicates() {
    let set = duplicated_records(3, 20_000);
    assert_eq!(set.records.len(), 20_000);
    assert_eq!(set.truth.len(), 20_000);
    let registry = set
        .sources
        .iter()
        .find(|s| s.name.as_str() == REGISTRY)
        .unwrap();
    assert!(registry.contains_duplicates);
    let mut in_registry: BTreeMap<TruePersonId, usize> = BTreeMap::new();
    for (k, id) in &set.truth {
        if k.source.as_str() == REGISTRY {
            *in_registry.entry(*id).or_default() += 1;
        }
    }
    let dup_people = in_registry.values().filter(|n| **n > 1).count();
    let share = dup_people as f64 / in_registry.len() as f64;
    assert!((0.2..0.4).contains(&share), "{share}");
    for s in set.sources.iter().filter(|s| !s.contains_duplicates) {
        let ids: Vec<TruePersonId> = set
            .truth
            .iter()
            .filter(|(k, _)| k.source == s.name)
            .map(|(_, id)| *id)
            .collect();
        assert_eq!(
            ids.iter().collect::<BTreeSet<_>>().len(),
            ids.len(),
            "{}",
            s.name
        );
    }
    assert!(set.true_pairs() > 5_000);
    let again = duplicated_records(3, 20_000);
    assert_eq!(csv_bytes(&set.records), csv_bytes(&again.records));
}

#[test]
fn duplicated_records_in_several_chunks_is_deterministic_with_distinct_people() {
    // 140,000 records: three chunks generated in parallel, the last one partial.
    let set = duplicated_records(5, 140_000);
    assert_eq!(set.records.len(), 140_000);
    let again = duplicated_records(5, 140_000);
    assert_eq!(set.truth, again.truth);
    assert_eq!(set.records, again.records);
    // Each chunk numbers its people from its own offset (1, 65,537, 131,073), contiguously:
    // every person has a registry record, so every id of a chunk's range up to its last occurs.
    let ids: BTreeSet<u32> = set.truth.iter().map(|(_, id)| id.0).collect();
    for c in 0..3u32 {
        let first = c * (1 << 16) + 1;
        let in_chunk: Vec<u32> = ids
            .iter()
            .copied()
            .filter(|id| (id - 1) >> 16 == c)
            .collect();
        assert_eq!(in_chunk.first(), Some(&first), "chunk {c}");
        let last = *in_chunk.last().unwrap();
        assert_eq!(
            in_chunk.len() as u32,
            last - first + 1,
            "chunk {c} ids are not contiguous"
        );
    }
}
