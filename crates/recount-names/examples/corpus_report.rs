//! The corpus report: for each level, the share of positive and of negative pairs that reach it
//! (exactly, and at that level or stronger), over the committed labelled pair corpus.
//!
//! Run: `cargo run --release -p recount-names --example corpus_report [-- --misses]`

#[path = "../tests/corpus/generator.rs"]
mod generator;

use recount_names::{NameLevel, PreparedName, compare_level};
use std::collections::BTreeMap;

fn main() {
    let show_misses = std::env::args().any(|a| a == "--misses");
    let dir = env!("CARGO_MANIFEST_DIR");
    let read = |f: &str| std::fs::read_to_string(format!("{dir}/data/{f}")).unwrap_or_default();
    let mut pairs = generator::read_csv(&read("pairs_hand.csv"));
    pairs.extend(generator::read_csv(&read("pairs_generated.csv")));
    let mut counts: BTreeMap<NameLevel, [usize; 2]> = BTreeMap::new();
    let mut by_kind: BTreeMap<(u8, String), BTreeMap<NameLevel, usize>> = BTreeMap::new();
    let mut totals = [0usize; 2];
    for p in &pairs {
        let level = compare_level(&PreparedName::parse(&p.a), &PreparedName::parse(&p.b));
        let side = usize::from(p.label == 1);
        counts.entry(level).or_default()[side] += 1;
        totals[side] += 1;
        let kind = p.kind.split('~').next().unwrap_or("").to_string();
        let kind = if p.kind.contains('~') {
            "systems/orders".to_string()
        } else {
            kind
        };
        *by_kind
            .entry((p.label, kind))
            .or_default()
            .entry(level)
            .or_default() += 1;
        if show_misses
            && ((p.label == 1 && level >= NameLevel::FuzzyLow)
                || (p.label == 0 && level <= NameLevel::FuzzyHigh))
        {
            println!(
                "{:>5} {:<21} {} | {}  ({})",
                p.label,
                level.as_str(),
                p.a,
                p.b,
                p.kind
            );
        }
    }
    println!(
        "recount-names corpus report: {} pairs ({} positive, {} negative)",
        pairs.len(),
        totals[1],
        totals[0]
    );
    println!();
    println!(
        "{:<22} {:>10} {:>10} {:>14} {:>14}",
        "level", "positive", "negative", "pos. ≥ level", "neg. ≥ level"
    );
    let (mut cum_pos, mut cum_neg) = (0usize, 0usize);
    for level in NameLevel::ALL {
        let [neg, pos] = counts.get(&level).copied().unwrap_or_default();
        cum_pos += pos;
        cum_neg += neg;
        let pct = |n: usize, d: usize| {
            if d == 0 {
                0.0
            } else {
                100.0 * n as f64 / d as f64
            }
        };
        println!(
            "{:<22} {:>9.1}% {:>9.1}% {:>13.1}% {:>13.1}%",
            level.as_str(),
            pct(pos, totals[1]),
            pct(neg, totals[0]),
            pct(cum_pos, totals[1]),
            pct(cum_neg, totals[0])
        );
    }
    let strong_neg: usize = [
        NameLevel::Exact,
        NameLevel::Transliteration,
        NameLevel::Skeleton,
    ]
    .iter()
    .map(|l| counts.get(l).map_or(0, |c| c[0]))
    .sum();
    let above: usize = NameLevel::ALL
        .iter()
        .filter(|&&l| l < NameLevel::FuzzyLow)
        .map(|l| counts.get(l).map_or(0, |c| c[1]))
        .sum();
    println!();
    println!(
        "bar: negatives at exact/transliteration/skeleton: {strong_neg} (must be 0); positives above fuzzy_low: {:.1}% (must be ≥ 95%)",
        100.0 * above as f64 / totals[1].max(1) as f64
    );
    println!();
    println!("by kind (label, kind: level counts)");
    for ((label, kind), levels) in &by_kind {
        let row: Vec<String> = levels
            .iter()
            .map(|(l, n)| format!("{}={n}", l.as_str()))
            .collect();
        println!("  {label} {kind:<34} {}", row.join(" "));
    }
}
