//! Throughput of recount-names on one core, beside any_ascii + strsim doing the same two jobs.
//!
//! Run: `cargo bench -p recount-names`
//!
//! 1. Parse + normalise + keys: `PreparedName::parse` (which computes and stores every key the
//!    comparisons use: exact, latin, skeleton, stem, consonants, alias group, letter counts and
//!    hashes) on every name of the labelled corpus (Cyrillic and Latin, 2–4 parts); then the same
//!    with `blocking_keys` formatted as strings too. Bar: ≥ 300,000 names/s per core.
//!    Peer: `any_ascii` + lower case + split into words.
//! 2. Compare two prepared names: `compare_level` on the corpus pairs (mostly alike names) and on
//!    shuffled pairs (mostly unlike names, as blocking produces). Bar: ≥ 5,000,000 pairs/s per core.
//!    Peer: `strsim::jaro_winkler` on the two any_ascii strings.

#[path = "../tests/corpus/generator.rs"]
mod generator;

use recount_names::{PreparedName, compare_level};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Nanoseconds this thread has run on a CPU (Linux schedstat), or `None` elsewhere.
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

/// Throughput measured two ways: per wall-clock second, and per second of CPU time this thread
/// actually got (the machine is shared; the CPU figure is the per-core rate).
#[derive(Clone, Copy)]
struct Rate {
    wall: f64,
    cpu: Option<f64>,
}

/// Runs `f` (which does `per_call` operations) repeatedly for about `budget`.
fn rate(budget: Duration, per_call: usize, mut f: impl FnMut()) -> Rate {
    f(); // warm up
    let cpu0 = cpu_ns();
    let start = Instant::now();
    let mut calls = 0usize;
    while start.elapsed() < budget {
        f();
        calls += 1;
    }
    let wall = start.elapsed().as_secs_f64();
    let ops = (calls * per_call) as f64;
    let cpu = match (cpu0, cpu_ns()) {
        (Some(a), Some(b)) if b > a => Some(ops / ((b - a) as f64 / 1e9)),
        _ => None,
    };
    Rate {
        wall: ops / wall,
        cpu,
    }
}

fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    // `cargo test` runs benches with --bench too; keep that quick.
    let quick =
        std::env::args().any(|a| a == "--test") || !std::env::args().any(|a| a == "--bench");
    let budget = if quick {
        Duration::from_millis(50)
    } else {
        Duration::from_secs(2)
    };
    let dir = env!("CARGO_MANIFEST_DIR");
    let read = |f: &str| std::fs::read_to_string(format!("{dir}/data/{f}")).unwrap_or_default();
    let mut pairs = generator::read_csv(&read("pairs_hand.csv"));
    pairs.extend(generator::read_csv(&read("pairs_generated.csv")));
    let names: Vec<&str> = pairs
        .iter()
        .flat_map(|p| [p.a.as_str(), p.b.as_str()])
        .collect();
    let total_chars: usize = names.iter().map(|n| n.chars().count()).sum();
    println!(
        "recount-names benchmark: {} names (mean {:.1} characters), {} pairs, one thread",
        names.len(),
        total_chars as f64 / names.len() as f64,
        pairs.len()
    );
    println!();

    // 1. Parse + normalise + keys.
    let ours_parse = rate(budget, names.len(), || {
        for n in &names {
            black_box(PreparedName::parse(black_box(n)));
        }
    });
    let ours_keys = rate(budget, names.len(), || {
        for n in &names {
            let p = PreparedName::parse(black_box(n));
            black_box(p.blocking_keys());
        }
    });
    let peer_parse = rate(budget, names.len(), || {
        for n in &names {
            let a = any_ascii::any_ascii(black_box(n)).to_lowercase();
            let words: Vec<&str> = a.split_whitespace().collect();
            black_box(words.len());
        }
    });
    println!(
        "{:<56} {:>13} {:>13} {:>10}",
        "operation", "per CPU-second", "per second", "CPU ns each"
    );
    let row = |what: &str, r: Rate| {
        let cpu = r.cpu.unwrap_or(r.wall);
        println!(
            "{what:<56} {cpu:>13.0} {:>13.0} {:>10.0}",
            r.wall,
            1e9 / cpu
        );
    };
    row(
        "parse + normalise + keys (recount-names, names)",
        ours_parse,
    );
    row(
        "parse + keys + blocking_keys (recount-names, names)",
        ours_keys,
    );
    row("peer: any_ascii + lowercase + split (names)", peer_parse);

    // 2. Compare prepared pairs.
    let prepared: Vec<(PreparedName, PreparedName)> = pairs
        .iter()
        .map(|p| (PreparedName::parse(&p.a), PreparedName::parse(&p.b)))
        .collect();
    let mut rng = generator::Rng::new(7);
    let shuffled: Vec<(PreparedName, PreparedName)> = (0..prepared.len())
        .map(|i| {
            (
                prepared[i].0.clone(),
                prepared[rng.below(prepared.len())].1.clone(),
            )
        })
        .collect();
    let ours_alike = rate(budget, prepared.len(), || {
        for (a, b) in &prepared {
            black_box(compare_level(black_box(a), black_box(b)));
        }
    });
    let ours_unlike = rate(budget, shuffled.len(), || {
        for (a, b) in &shuffled {
            black_box(compare_level(black_box(a), black_box(b)));
        }
    });
    let ascii: Vec<(String, String)> = pairs
        .iter()
        .map(|p| {
            (
                any_ascii::any_ascii(&p.a).to_lowercase(),
                any_ascii::any_ascii(&p.b).to_lowercase(),
            )
        })
        .collect();
    let peer_compare = rate(budget, ascii.len(), || {
        for (a, b) in &ascii {
            black_box(strsim::jaro_winkler(black_box(a), black_box(b)));
        }
    });
    row(
        "compare_level, corpus pairs (recount-names, pairs)",
        ours_alike,
    );
    row(
        "compare_level, shuffled pairs (recount-names, pairs)",
        ours_unlike,
    );
    row(
        "peer: strsim::jaro_winkler on any_ascii strings (pairs)",
        peer_compare,
    );
    println!();
    let bar = |ok: bool| if ok { "meets" } else { "MISSES" };
    let cpu = |r: Rate| r.cpu.unwrap_or(r.wall);
    let compare_rate = cpu(ours_alike).min(cpu(ours_unlike));
    println!(
        "bars (per CPU-second, one core): parse + normalise + keys {:.0}/s vs 300,000/s: {} \
         (with blocking_keys strings formatted too: {:.0}/s: {}); compare {:.0}/s (slower of the \
         two sets) vs 5,000,000/s: {}",
        cpu(ours_parse),
        bar(cpu(ours_parse) >= 300_000.0),
        cpu(ours_keys),
        bar(cpu(ours_keys) >= 300_000.0),
        compare_rate,
        bar(compare_rate >= 5_000_000.0)
    );
    println!(
        "vs peer: parse {:.1}x any_ascii's time; compare {:.1}x faster than strsim JW on raw strings",
        cpu(peer_parse) / cpu(ours_keys),
        compare_rate / cpu(peer_compare)
    );
    if let Some(kib) = peak_memory_kib() {
        println!("peak memory (VmHWM): {:.1} MiB", kib as f64 / 1024.0);
    }
}
