//! LCMCR Gibbs sweeps per second, beside the R package LCMCR 0.4.14 on the same class of machine.
//!
//! `cargo bench -p recount-estimate` runs:
//! - Kosovo (4 lists, 4,400 documented), the package's documented run: K = 10, 500 warm-up sweeps,
//!   burn-in 10,000, 1,000 draws thinned by 100 (110,500 sweeps, one chain). R: about 1.6 s.
//! - verdata's 20-list stratum (982 documented), K = 15. R: about 890 s for 5 million sweeps. By
//!   default a shorter run (RECOUNT_BENCH_VERDATA_SWEEPS, default 500,000) is timed and the time for
//!   5 million extrapolated linearly (a sweep's cost does not depend on the iteration); set
//!   RECOUNT_BENCH_FULL=1 to run the full 5 million.

use std::time::Instant;

use recount_estimate::lcmcr::{LcmcrData, run_chain};
use recount_estimate::{CaptureTable, LcmcrConfig};

fn table(text: &str) -> CaptureTable {
    CaptureTable::from_csv(text)
        .expect("reference data parse")
        .0
}

fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// CPU seconds this process has used (user + system), from /proc: on a shared machine the wall
/// clock also counts time spent waiting for a core.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn run(name: &str, t: &CaptureTable, config: &LcmcrConfig, r_seconds: f64, r_sweeps: u64) {
    let data = LcmcrData::new(t);
    let sweeps = config.sweeps_per_chain();
    let start = Instant::now();
    let cpu_start = cpu_seconds();
    let out = run_chain(&data, config, config.seed, &|_| {});
    let wall = start.elapsed().as_secs_f64();
    let cpu = match (cpu_start, cpu_seconds()) {
        (Some(a), Some(b)) if b > a => b - a,
        _ => wall,
    };
    // The rate is per CPU second (the chain is one thread); the wall time is printed beside it.
    let secs = cpu.min(wall);
    let rate = sweeps as f64 / secs;
    let mut d = out.draws.clone();
    d.sort_by(f64::total_cmp);
    let median = d[d.len() / 2];
    let projected = r_sweeps as f64 / rate;
    println!(
        "{name}: {} lists, {} documented, {} patterns, K = {}: {sweeps} sweeps in {secs:.2} CPU s \
         ({wall:.2} s wall) = {rate:.0} sweeps/s ({:.2} µs/sweep); median N {median:.0}",
        t.list_count(),
        t.observed(),
        t.cells().count(),
        config.k,
        1e6 / rate
    );
    println!(
        "  R LCMCR 0.4.14: {r_sweeps} sweeps in about {r_seconds:.0} s ({:.0} sweeps/s); recount at \
         that length: {projected:.2} s{}; speed-up {:.1}x",
        r_sweeps as f64 / r_seconds,
        if sweeps == r_sweeps {
            " (measured)"
        } else {
            " (extrapolated)"
        },
        r_seconds / projected
    );
}

fn main() {
    let kosovo = table(include_str!("../tests/data/kosovo.csv"));
    let documented = LcmcrConfig {
        chains: 1,
        ..LcmcrConfig::default()
    };
    run(
        "kosovo",
        &kosovo,
        &documented,
        1.6,
        documented.sweeps_per_chain(),
    );

    let verdata = table(include_str!("../tests/data/verdata_R1_hombre_1999.csv"));
    let full = std::env::var("RECOUNT_BENCH_FULL").is_ok_and(|v| v == "1");
    let sweeps: usize = if full {
        5_000_000
    } else {
        std::env::var("RECOUNT_BENCH_VERDATA_SWEEPS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(500_000)
    };
    let config = LcmcrConfig {
        k: 15,
        chains: 1,
        warmup: 500,
        burnin: 0,
        samples: (sweeps.saturating_sub(500) / 100).max(1),
        thin: 100,
        ..LcmcrConfig::default()
    };
    run("verdata 20 lists", &verdata, &config, 890.0, 5_000_000);
    if let Some(kib) = peak_memory_kib() {
        println!("peak memory (VmHWM): {:.1} MiB", kib as f64 / 1024.0);
    }
}
