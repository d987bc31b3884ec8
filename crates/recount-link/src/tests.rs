//! End-to-end checks of `link` on small data made here with a known truth, and the bad inputs
//! every step must survive.

use super::*;
use recount_types::Record;

const GIVEN: [&str; 12] = [
    "Bekbolat", "Aigul", "Dilshod", "Farrukh", "Jamshed", "Nurlan", "Rustam", "Gulnara", "Erlan",
    "Timur", "Zarina", "Alisher",
];
const FAMILY: [&str; 12] = [
    "Asanov",
    "Jumabaeva",
    "Hasanov",
    "Sharipov",
    "Rahmonov",
    "Toktogulov",
    "Karimov",
    "Aitmatova",
    "Kasymov",
    "Yuldashev",
    "Mirzoeva",
    "Tashiev",
];

/// Two lists of the same `n` people (list b drops every fourth person and misspells some
/// names), and the true person of each record.
fn two_lists(n: usize) -> (Vec<Record>, Vec<usize>) {
    let mut records = Vec::new();
    let mut truth = Vec::new();
    for p in 0..n {
        let given = GIVEN[p % GIVEN.len()];
        let family = FAMILY[(p / GIVEN.len()) % FAMILY.len()];
        let year = 1960 + (p * 7 % 40) as u16;
        let (month, day) = (1 + (p % 12) as u8, 1 + (p * 3 % 28) as u8);
        let mut a = Record::new("a", format!("a{p}"));
        a.given_name = Some(given.into());
        a.family_name = Some(family.into());
        a.birth_date = recount_types::PartialDate::ymd(year, month, day);
        a.residence = Some(["Moscow", "Osh", "Khujand", "Bishkek"][p % 4].into());
        records.push(a);
        truth.push(p);
        if p % 4 == 3 {
            continue;
        }
        let mut b = Record::new("b", format!("b{p}"));
        let family_b = if p % 5 == 0 {
            family.replacen('a', "o", 1)
        } else {
            family.to_owned()
        };
        b.name = Some(format!("{family_b} {given}"));
        b.birth_date = if p % 3 == 0 {
            recount_types::PartialDate::year_only(year)
        } else {
            recount_types::PartialDate::ymd(year, month, day)
        };
        b.residence = Some(["Москва", "Ош", "Худжанд", "Бишкек"][p % 4].into());
        records.push(b);
        truth.push(p);
    }
    (records, truth)
}

/// Pairwise precision and recall of a clustering against the truth.
fn precision_recall(clustering: &Clustering, truth: &[usize]) -> (f64, f64) {
    let n = truth.len();
    let (mut tp, mut fp, mut fneg) = (0u64, 0u64, 0u64);
    for i in 0..n {
        for j in i + 1..n {
            let same_pred = clustering.cluster_of[i] == clustering.cluster_of[j];
            let same_true = truth[i] == truth[j];
            match (same_pred, same_true) {
                (true, true) => tp += 1,
                (true, false) => fp += 1,
                (false, true) => fneg += 1,
                _ => {}
            }
        }
    }
    (
        tp as f64 / (tp + fp).max(1) as f64,
        tp as f64 / (tp + fneg).max(1) as f64,
    )
}

fn run(records: &[Record], dedupe: &[&str]) -> (Dataset, LinkRun) {
    let policy = DedupePolicy {
        sources: dedupe.iter().map(|s| (*s).into()).collect(),
    };
    let ds = Dataset::from_records(records, &policy);
    let run = link(&ds, &Model::default(), &[], &LinkConfig::with_seed(7));
    (ds, run)
}

#[test]
fn two_lists_link_across_scripts_and_spellings() {
    let (records, truth) = two_lists(144);
    let (_, run) = run(&records, &[]);
    assert!(
        matches!(run.training, TrainingOutcome::Trained(_)),
        "{:?}",
        run.training
    );
    let (p, r) = precision_recall(&run.clustering, &truth);
    assert!(p > 0.97 && r > 0.9, "precision {p}, recall {r}");
}

#[test]
fn the_same_seed_gives_the_same_result() {
    let (records, _) = two_lists(60);
    let (_, a) = run(&records, &[]);
    let (_, b) = run(&records, &[]);
    assert_eq!(a.clustering, b.clustering);
    assert_eq!(a.model, b.model);
}

#[test]
fn a_source_that_lists_each_person_once_is_never_merged_with_itself() {
    // The same person twice in list a: without --dedupe the two a-records stay apart.
    let (mut records, _) = two_lists(40);
    let mut twin = records[0].clone();
    twin.record_id = "a-twin".into();
    records.push(twin);
    let (ds, run) = run(&records, &[]);
    let last = (ds.len() - 1) as u32;
    assert_ne!(
        run.clustering.cluster_of[0],
        run.clustering.cluster_of[last as usize]
    );
    let (ds, run2) = self::run(&records, &["a"]);
    assert_eq!(ds.len(), records.len());
    assert_eq!(
        run2.clustering.cluster_of[0],
        run2.clustering.cluster_of[last as usize]
    );
}

#[test]
fn the_model_round_trips_through_json_with_its_history() {
    let (records, _) = two_lists(80);
    let (_, run) = run(&records, &[]);
    let json = run.model.to_json();
    let back = Model::from_json(&json).unwrap();
    assert_eq!(back, run.model);
    assert_eq!(back.revision, 1);
    let name_exact = &back.params(Comparison::Name).levels[0];
    assert!(name_exact.m.history.len() >= 2, "default then EM");
    assert!(matches!(
        name_exact.u.method(),
        Method::RandomSampling | Method::RandomSamplingBound
    ));
    assert!(Model::from_json("{\"format\":\"other\"}").is_err());
    let newer = json.replacen(
        &format!("\"version\": {MODEL_VERSION}"),
        "\"version\": 99",
        1,
    );
    assert!(matches!(
        Model::from_json(&newer),
        Err(ModelError::UnsupportedVersion(99))
    ));
}

#[test]
fn older_models_are_read_with_their_event_levels_started_again() {
    let (records, _) = two_lists(80);
    let (_, run) = run(&records, &[]);
    // Version 1: six event levels, without the place; version 2: ten, without the undated
    // event and the summons.
    for (version, levels) in [(1, 6), (2, 10)] {
        let mut v: serde_json::Value = serde_json::from_str(&run.model.to_json()).unwrap();
        v["version"] = version.into();
        let event = Comparison::Event.index();
        v["comparisons"][event]["levels"]
            .as_array_mut()
            .unwrap()
            .truncate(levels);
        // Without `one_part_other_family_form` (the ninth name level) and `russian_and_other`
        // (the third citizenship level).
        for (c, at) in [(Comparison::Name, 8), (Comparison::Citizenship, 2)] {
            v["comparisons"][c.index()]["levels"]
                .as_array_mut()
                .unwrap()
                .remove(at);
        }
        let old = Model::from_json(&v.to_string()).unwrap();
        assert_eq!(old.version, MODEL_VERSION);
        assert_eq!(
            old.params(Comparison::Event),
            Model::default().params(Comparison::Event)
        );
        // The levels kept with their history, the new ones added with their defaults.
        for (c, added) in [(Comparison::Name, 8), (Comparison::Citizenship, 2)] {
            let (read, trained) = (&old.params(c).levels, &run.model.params(c).levels);
            assert_eq!(read.len(), trained.len());
            for (k, (a, b)) in read.iter().zip(trained).enumerate() {
                if k == added {
                    assert_eq!(a, &Model::default().params(c).levels[k], "{c} level {k}");
                } else {
                    assert_eq!(a, b, "{c} level {k}");
                }
            }
        }
        assert_eq!(old.prior, run.model.prior);
        assert_eq!(old.revision, run.model.revision);
    }
}

#[test]
fn explanations_add_up_to_the_score() {
    let (records, _) = two_lists(80);
    let (ds, run) = run(&records, &[]);
    for (k, p) in run.blocking.pairs.iter().enumerate().take(50) {
        let e = explain(&ds, &run.model, *p);
        let sum =
            e.prior + e.contributions.iter().map(|c| c.weight).sum::<f64>() + e.term_frequency;
        assert!((sum - e.match_weight).abs() < 1e-6);
        assert!(
            (e.match_weight - f64::from(run.weights[k])).abs() < 1e-3,
            "{} vs {}",
            e.match_weight,
            run.weights[k]
        );
    }
}

#[test]
fn decisions_are_hard_constraints_and_change_the_model() {
    let (records, _) = two_lists(80);
    let (ds, run) = run(&records, &[]);
    // Pick a linked pair and a separate pair; decide against the model on both.
    let linked = run
        .blocking
        .pairs
        .iter()
        .find(|p| {
            run.clustering.cluster_of[p.a as usize] == run.clustering.cluster_of[p.b as usize]
        })
        .copied()
        .unwrap();
    let apart = Pair::new(0, (ds.len() - 1) as u32);
    let decide = |p: Pair, v: Verdict| Decision {
        left: ds.key(p.a),
        right: ds.key(p.b),
        verdict: v,
        reviewer: "ana".into(),
        decided_at: "2026-11-26T17:00:00Z".into(),
    };
    let decisions = vec![
        decide(linked, Verdict::Different),
        decide(apart, Verdict::Same),
    ];
    let policy = DedupePolicy::default();
    let ds2 = Dataset::from_records(&records, &policy);
    let run2 = link(
        &ds2,
        &Model::default(),
        &decisions,
        &LinkConfig::with_seed(7),
    );
    let c = &run2.clustering.cluster_of;
    assert_ne!(c[linked.a as usize], c[linked.b as usize]);
    assert_eq!(c[apart.a as usize], c[apart.b as usize]);
    assert_eq!(run2.decisions.labels.len(), 2);
    assert_eq!(run2.model.prior.method(), Method::EmWithDecisions);
}

#[test]
fn the_review_queue_puts_the_biggest_change_first() {
    let (records, _) = two_lists(144);
    let (ds, run) = run(&records, &[]);
    let q = review_queue(
        &ds,
        &run.blocking.pairs,
        &run.weights,
        &run.clustering,
        &[],
        0.5,
        (0.0, 1.0),
        20,
    );
    assert!(!q.is_empty());
    for w in q.windows(2) {
        assert!(w[0].expected_change >= w[1].expected_change);
    }
}

#[test]
fn one_record_is_one_person_with_a_warning() {
    let (records, _) = two_lists(1);
    let (_, run) = run(&records[..1], &[]);
    assert_eq!(run.clustering.cluster_of, vec![0]);
    assert!(run.warnings.iter().any(|w| w.contains("only one record")));
    assert!(matches!(
        run.training,
        TrainingOutcome::KeptPrevious(TrainingFailure::TooFewRecords(1))
    ));
}

#[test]
fn no_names_at_all_is_defined() {
    let records: Vec<Record> = (0..30)
        .map(|i| {
            let mut r = Record::new(if i % 2 == 0 { "a" } else { "b" }, format!("{i}"));
            r.birth_date = recount_types::PartialDate::year_only(1970 + (i / 2) as u16);
            r
        })
        .collect();
    let (_, run) = run(&records, &[]);
    assert_eq!(run.clustering.persons(), 30);
    assert!(
        run.warnings
            .iter()
            .any(|w| w.contains("no record has a name"))
    );
}

#[test]
fn identical_records_do_not_train_a_degenerate_model() {
    let records: Vec<Record> = (0..40)
        .map(|i| {
            let mut r = Record::new("hotline", format!("{i}"));
            r.name = Some("Bekbolat Asanov".into());
            r
        })
        .collect();
    let (_, run) = run(&records, &["hotline"]);
    assert_eq!(run.clustering.cluster_of.len(), 40);
    assert!(
        matches!(run.training, TrainingOutcome::KeptPrevious(_)),
        "{:?}",
        run.training
    );
    assert!(
        run.warnings.iter().any(|w| w.contains("training failed")),
        "{:?}",
        run.warnings
    );
    assert_eq!(
        run.model,
        Model::default(),
        "the previous model is untouched"
    );
}

#[test]
fn two_sources_with_no_overlap_stay_apart() {
    let (a, _) = two_lists(40);
    let mut records: Vec<Record> = a.into_iter().filter(|r| r.source.as_str() == "a").collect();
    let (b, _) = two_lists(80);
    records.extend(
        b.into_iter()
            .filter(|r| r.source.as_str() == "b")
            .skip(40)
            .map(|mut r| {
                r.name = r.name.map(|n| format!("{n}ович"));
                r.birth_date = recount_types::PartialDate::year_only(1930);
                r
            }),
    );
    let (ds, run) = run(&records, &[]);
    assert!(
        run.clustering.persons() >= ds.len() - 2,
        "{} persons of {}",
        run.clustering.persons(),
        ds.len()
    );
}

#[test]
fn a_giant_block_is_skipped_with_a_warning_and_ends() {
    let records: Vec<Record> = (0..100_000)
        .map(|i| {
            let mut r = Record::new("list", format!("{i}"));
            r.name = Some("Muhammad Karimov".into());
            r.birth_date = recount_types::PartialDate::year_only(1980);
            r
        })
        .collect();
    let started = std::time::Instant::now();
    let (_, run) = run(&records, &["list"]);
    assert!(started.elapsed().as_secs() < 60);
    assert_eq!(run.clustering.cluster_of.len(), 100_000);
    let w = run
        .warnings
        .iter()
        .find(|w| w.contains("skipped"))
        .expect("a warning about the skipped block");
    assert!(w.contains("100000 records"), "{w}");
}

/// Two lists of `n` people with few names among them (36), each told apart only by the event,
/// its day and (for half of them) the birth date.
fn namesakes(n: usize) -> (Vec<Record>, Vec<usize>) {
    let vocab = recount_types::EventVocabulary::default();
    let mut records = Vec::new();
    let mut truth = Vec::new();
    for p in 0..n {
        let given = GIVEN[p % GIVEN.len()];
        let family = FAMILY[(p / GIVEN.len()) % 3];
        // Event, day and birth year mixed from the person's number, independent of the name.
        let h = ((p as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize;
        let k = (h >> 1) % 112;
        let event_date = format!("2022-{:02}-{:02}", 9 + k / 28, 1 + k % 28);
        let term = ["exit_refused", "summoned"][h % 2];
        let year = 1962 + (h >> 8) as u16 % 40;
        for list in ["a", "b"] {
            let mut r = Record::new(list, format!("{list}{p}"));
            r.given_name = Some(given.into());
            r.family_name = Some(family.into());
            r.event = Some(vocab.term(term).unwrap());
            r.event_date = Some(event_date.parse().unwrap());
            if p % 2 == 0 {
                r.birth_date =
                    recount_types::PartialDate::ymd(year, 1 + (p % 12) as u8, 1 + (p % 28) as u8);
            }
            records.push(r);
            truth.push(p);
        }
    }
    (records, truth)
}

#[test]
fn namesakes_do_not_teach_the_model_that_matches_differ() {
    // Most candidate pairs share a name; a third of them are namesakes. Trained over the
    // candidates alone, EM took namesakes for matches and learnt that matches often differ in
    // event, so namesakes were joined. The first training session (pairs sharing a name, the
    // name left out) learns the event's m from people it can tell apart by birth date.
    let (records, truth) = namesakes(400);
    let (_, run) = run(&records, &[]);
    let (p, r) = precision_recall(&run.clustering, &truth);
    assert!(p > 0.95 && r > 0.9, "precision {p}, recall {r}");
    let event = &run.model.comparisons[Comparison::Event.index()];
    let different = event.levels.last().unwrap();
    assert!(
        different.m.value < 0.05,
        "m of a different event among matches: {}",
        different.m.value
    );
}

/// Two lists of `n` records each, where list b's record i is a sure match of list a's record i
/// for every i but 0, and the pair (a0, b0) has the likelihood ratio that makes λ·LR = 0.05
/// (an address agreeing, the names not): the one-to-one probability of that pair.
fn lone_candidate_probability(n: usize) -> f64 {
    let mut records = Vec::new();
    for side in ["a", "b"] {
        for i in 0..n {
            let mut r = Record::new(side, format!("{side}{i}"));
            r.given_name = Some(format!("Person{i}"));
            records.push(r);
        }
    }
    let ds = Dataset::from_records(&records, &DedupePolicy::default());
    let prior = crate::model::bits(1.0 / n as f64) as f32;
    let pairs: Vec<Pair> = (0..n as u32).map(|i| Pair::new(i, n as u32 + i)).collect();
    // With λ = 1/n, λ·LR = 0.05 is LR = 0.05 n: that many bits above the prior.
    let lone = prior + (0.05 * n as f64).log2() as f32;
    let weights: Vec<f32> = (0..n).map(|i| if i == 0 { lone } else { 40.0 }).collect();
    let adjustment = one_to_one_adjustment(&ds, &pairs, &weights, prior);
    crate::model::probability(weights[0] + adjustment[0])
}

#[test]
fn a_lone_candidate_between_two_lists_of_the_same_people_is_linked() {
    // Two lists of the same 5,000 people (FEBRL4): almost every record has its match in the
    // other list, so a record's only candidate is its match unless the evidence is against it.
    let big = lone_candidate_probability(5000);
    assert!(big > 0.9, "two full lists: {big}");
    // Four records, three sure matches: the fourth may well be missing from the other list;
    // a lone candidate with weak evidence stays unlinked.
    let small = lone_candidate_probability(4);
    assert!(small < 0.5, "a small source: {small}");
}

#[test]
fn a_given_name_alone_does_not_join_two_men_never_proposed_together() {
    // "Erlan" (the media) is proposed with Erlan Kasymov and with Erlan Zhumabaev, who share
    // no surname and so were never proposed with each other. Both proposed pairs say "same".
    let told = |src: &str, name: &str| {
        let mut r = Record::new(src, "1");
        r.name = Some(name.into());
        r
    };
    let records = [
        told("media", "Erlan"),
        told("hotline", "Erlan Kasymov"),
        told("channel", "Erlan Zhumabaev"),
    ];
    let ds = Dataset::from_records(&records, &DedupePolicy::default());
    let pairs = [Pair::new(0, 1), Pair::new(0, 2)];
    let weights = [8.0f32, 6.0];
    let model = Model::default().weights();
    let cluster_with = |model| {
        cluster(
            &ds,
            &pairs,
            &weights,
            0.5,
            &[],
            ClusterMethod::CorrelationGaec,
            model,
        )
    };
    // Counting the proposed pairs alone, the three are one person.
    let blind = cluster_with(None);
    assert_eq!(blind.persons(), 1);
    // With the model, the unproposed pair (two different surnames) is scored, and "Erlan"
    // joins the man it is the stronger evidence for.
    let checked = cluster_with(Some(&model));
    assert_eq!(checked.clusters(), vec![vec![0, 1], vec![2]]);
    assert_eq!(checked.refused_unproposed, 1);
}
