//! Prints a few records of each source of a synthetic world, the world's figures against its
//! design, and how fast the generators run.
//!
//! `cargo run --release -p recount-synth --example sample [SEED] [PEOPLE]`

use recount_synth::{WorldConfig, cross_script_lists, duplicated_records, generate};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let seed: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);
    let people: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(3000);

    let t = Instant::now();
    let world = generate(&WorldConfig {
        seed,
        people,
        ..WorldConfig::default()
    });
    let elapsed = t.elapsed();
    println!("{}", world.label);
    println!(
        "world: {} people, {} records, {} documented, in {:.1} ms ({:.0} records/s)",
        world.people.len(),
        world.records.len(),
        world.documented(),
        elapsed.as_secs_f64() * 1e3,
        world.records.len() as f64 / elapsed.as_secs_f64()
    );
    let expected = world.expected_coverage();
    for source in &world.sources {
        let name = source.name.as_str();
        let records: Vec<_> = world.records_of(name).collect();
        let people: std::collections::BTreeSet<_> = records
            .iter()
            .filter_map(|r| world.truth_of(&r.key()))
            .collect();
        let design = expected
            .iter()
            .find(|(s, _)| *s == name)
            .map(|(_, e)| *e)
            .unwrap_or(0.0);
        println!(
            "\n== {name} (group {}, duplicates {}): {} records, {} people, coverage {:.3} (designed {:.3})",
            source.independence_group(),
            source.contains_duplicates,
            records.len(),
            people.len(),
            people.len() as f64 / world.people.len() as f64,
            design
        );
        for r in records.iter().take(4) {
            let row = r.to_csv_v1_row();
            let shown: Vec<String> = recount_types::RECORDS_CSV_V1_COLUMNS
                .iter()
                .zip(row.iter())
                .filter(|(_, v)| !v.is_empty())
                .map(|(c, v)| format!("{c}={v}"))
                .collect();
            println!("  {}", shown.join(" | "));
        }
    }
    let patterns = world.true_capture_patterns();
    println!("\nlists for estimation: {:?}", patterns.lists);
    println!(
        "recorded by at least one list: {} of {} ({} unrecorded)",
        patterns.observed(),
        world.people.len(),
        world.people.len() - patterns.observed()
    );
    // Why the estimate is not trivial: lists are correlated, so two-list (Lincoln-Petersen)
    // estimates are biased, most for the pairs that share a class.
    let column = |j: usize| {
        patterns
            .rows
            .iter()
            .map(|(_, r)| r[j])
            .collect::<Vec<bool>>()
    };
    println!(
        "pair                      phi    Lincoln-Petersen N (truth {})",
        world.people.len()
    );
    for a in 0..patterns.lists.len() {
        for b in a + 1..patterns.lists.len() {
            let (x, y) = (column(a), column(b));
            let n = x.len() as f64;
            let (na, nb) = (
                x.iter().filter(|v| **v).count() as f64,
                y.iter().filter(|v| **v).count() as f64,
            );
            let nab = x.iter().zip(&y).filter(|(p, q)| **p && **q).count() as f64;
            let phi = (nab / n - na / n * nb / n)
                / ((na / n) * (1.0 - na / n) * (nb / n) * (1.0 - nb / n)).sqrt();
            let lp = if nab > 0.0 {
                format!("{:.0}", na * nb / nab)
            } else {
                "-".into()
            };
            println!(
                "  {:<10} x {:<10} {:>6.3}  {}",
                patterns.lists[a], patterns.lists[b], phi, lp
            );
        }
    }

    let t = Instant::now();
    let set = cross_script_lists(seed, 10_000);
    let e = t.elapsed();
    println!(
        "\ncross_script_lists: {} records in {:.1} ms ({:.0} records/s)",
        set.records.len(),
        e.as_secs_f64() * 1e3,
        set.records.len() as f64 / e.as_secs_f64()
    );
    for r in set.records.iter().step_by(5_000).take(2) {
        println!("  {}: {}", r.key(), r.full_name().unwrap_or_default());
    }

    let n = 1_000_000;
    let t = Instant::now();
    let set = duplicated_records(seed, n);
    let e = t.elapsed();
    println!(
        "duplicated_records: {} records ({} true pairs) in {:.2} s ({:.0} records/s)",
        set.records.len(),
        set.true_pairs(),
        e.as_secs_f64(),
        set.records.len() as f64 / e.as_secs_f64()
    );
    println!("peak memory: {}", peak_memory());
}

/// Peak resident memory of this process (Linux), or "unknown".
fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.trim_start_matches("VmHWM:").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned())
}
