//! The labelled pair corpus and its bar: no negative pair at exact, transliteration or skeleton;
//! 95% or more of positive pairs above fuzzy_low.
//!
//! `data/pairs_generated.csv` is the generator's output for seed 2026; this test regenerates it
//! and fails if it changed (set `RECOUNT_NAMES_BLESS=1` to rewrite it after a deliberate change).

#[path = "corpus/generator.rs"]
mod generator;

use generator::Pair;
use recount_names::{NameLevel, PreparedName, compare_level};

pub const SEED: u64 = 2026;
pub const PEOPLE: usize = 150;

fn committed() -> (Vec<Pair>, Vec<Pair>) {
    let dir = env!("CARGO_MANIFEST_DIR");
    let hand = std::fs::read_to_string(format!("{dir}/data/pairs_hand.csv")).unwrap();
    let generated =
        std::fs::read_to_string(format!("{dir}/data/pairs_generated.csv")).unwrap_or_default();
    (generator::read_csv(&hand), generator::read_csv(&generated))
}

#[test]
fn the_generator_is_deterministic_and_its_output_is_committed() {
    let a = generator::generate(SEED, PEOPLE);
    let b = generator::generate(SEED, PEOPLE);
    assert_eq!(a, b, "same seed, same corpus");
    assert_ne!(
        a,
        generator::generate(SEED + 1, PEOPLE),
        "another seed, another corpus"
    );
    let text = generator::write_csv(&a);
    let path = format!("{}/data/pairs_generated.csv", env!("CARGO_MANIFEST_DIR"));
    if std::env::var("RECOUNT_NAMES_BLESS").as_deref() == Ok("1") {
        std::fs::write(&path, &text).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == text,
        "data/pairs_generated.csv is stale: rerun with RECOUNT_NAMES_BLESS=1"
    );
    assert_eq!(generator::read_csv(&text), a, "the CSV round-trips");
}

#[test]
fn the_corpus_is_large_and_balanced_enough() {
    let (hand, generated) = committed();
    let all: Vec<&Pair> = hand.iter().chain(&generated).collect();
    let positives = all.iter().filter(|p| p.label == 1).count();
    let negatives = all.len() - positives;
    assert!(all.len() >= 500, "{} pairs", all.len());
    assert!(
        positives >= 300 && negatives >= 200,
        "{positives} positives, {negatives} negatives"
    );
}

#[test]
fn the_corpus_meets_the_bar() {
    let (hand, generated) = committed();
    let mut failures = Vec::new();
    let (mut positives, mut positives_above) = (0usize, 0usize);
    let mut misses = Vec::new();
    for p in hand.iter().chain(&generated) {
        let level = compare_level(&PreparedName::parse(&p.a), &PreparedName::parse(&p.b));
        if p.label == 0 && level <= NameLevel::Skeleton {
            failures.push(format!(
                "negative at {level}: {} / {} ({})",
                p.a, p.b, p.kind
            ));
        }
        if p.label == 1 {
            positives += 1;
            if level < NameLevel::FuzzyLow {
                positives_above += 1;
            } else {
                misses.push(format!("{level}: {} / {} ({})", p.a, p.b, p.kind));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "negatives at exact/transliteration/skeleton:\n{}",
        failures.join("\n")
    );
    let share = positives_above as f64 / positives as f64;
    assert!(
        share >= 0.95,
        "{:.1}% of positives above fuzzy_low; misses:\n{}",
        share * 100.0,
        misses.join("\n")
    );
}
