//! What each blocking rule proposes on one of recount-synth's benchmark sets: pairs, true
//! pairs, the pairs and true pairs no earlier rule proposed, time and the process's peak memory.
//! For tuning the rules on a set too large to link in full.
//!
//! cargo run --release -p recount-link --example block_synth -- duplicated 1000000 [REFINE_ABOVE [CAP]]

use recount_link::{BlockingConfig, BlockingRule, Dataset, DedupePolicy, Pair, rule_pairs};
use std::collections::{HashMap, HashSet};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let kind = args.first().map_or("duplicated", String::as_str);
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let defaults = BlockingConfig::default();
    let cfg = BlockingConfig {
        refine_above: args
            .get(2)
            .and_then(|s| s.parse().ok())
            .unwrap_or(defaults.refine_above),
        max_block_size: args
            .get(3)
            .and_then(|s| s.parse().ok())
            .unwrap_or(defaults.max_block_size),
    };
    let set = match kind {
        "cross_script" => recount_synth::cross_script_lists(7, n),
        _ => recount_synth::duplicated_records(7, n),
    };
    let policy = DedupePolicy::marked(&set.sources);
    let ds = Dataset::from_records(&set.records, &policy);
    let truth: HashMap<(&str, &str), u32> = set
        .truth
        .iter()
        .map(|(k, id)| ((k.source.as_str(), k.record_id.as_str()), id.0))
        .collect();
    let person: Vec<u32> = (0..ds.len() as u32)
        .map(|i| truth[&(ds.source_of(i).as_str(), ds.record_id(i))])
        .collect();
    // Every linkable true pair.
    let mut by_person: HashMap<u32, Vec<u32>> = HashMap::new();
    for (i, p) in person.iter().enumerate() {
        by_person.entry(*p).or_default().push(i as u32);
    }
    let mut true_pairs = 0u64;
    for rs in by_person.values() {
        for x in 0..rs.len() {
            for y in x + 1..rs.len() {
                true_pairs += u64::from(ds.may_link(rs[x], rs[y]));
            }
        }
    }
    println!("{} records, {true_pairs} linkable true pairs", ds.len());
    let mut seen: HashSet<Pair> = HashSet::new();
    let mut found = 0u64;
    for rule in BlockingRule::ALL {
        let t = Instant::now();
        let (pairs, report) = rule_pairs(&ds, rule, cfg);
        let secs = t.elapsed().as_secs_f64();
        let (mut new, mut tru, mut tru_new) = (0u64, 0u64, 0u64);
        for p in &pairs {
            let is_true = person[p.a as usize] == person[p.b as usize];
            tru += u64::from(is_true);
            if seen.insert(*p) {
                new += 1;
                tru_new += u64::from(is_true);
            }
        }
        found += tru_new;
        println!(
            "{:28} {:>10} pairs {:>9} true | new {:>10} pairs {:>8} true | {} split, {} skipped blocks | {secs:.2} s",
            rule.as_str(),
            pairs.len(),
            tru,
            new,
            tru_new,
            report.refined_blocks,
            report.skipped_blocks
        );
    }
    println!(
        "all rules: {} pairs, {found} true, blocking recall {:.4}",
        seen.len(),
        found as f64 / true_pairs.max(1) as f64
    );
}
