//! LCMCR Gibbs sweeps per second, beside the R package LCMCR 0.4.14's published times on the same
//! class of machine (../shared/data/mse/README.md): about 1.6 s for the documented Kosovo run and
//! about 890 s for verdata's 20-list stratum (K = 15, 5 million iterations). The bar: ten times
//! faster at the same settings.
//!
//! `cargo bench -p recount-estimate --bench lcmcr` runs, one chain each (R's runs are one chain):
//! - Kosovo (4 lists, 4,400 documented, 15 patterns), the package's documented run: K = 10,
//!   a = b = 0.25, 500 warm-up sweeps, burn-in 10,000, 1,000 draws thinned by 100 (110,500 sweeps);
//!   then, labelled as not the documented run, the same 1,000 draws as 2 chains x 500 on two
//!   threads, and recount's own default on it (4 chains on threads), for the wall time a user sees;
//! - verdata's 20-list stratum (982 documented, 103 patterns), K = 15: 500 warm-up, burn-in 9,500,
//!   then draws thinned by 500. By default 500,000 sweeps are run and the time for 5 million
//!   extrapolated (a sweep's cost does not depend on how far the chain is); RECOUNT_BENCH_FULL=1
//!   runs the full 5,000,000, RECOUNT_BENCH_VERDATA_SWEEPS=n any other length.
//!
//! RECOUNT_BENCH_ONLY=kosovo or =verdata runs one of them. Times are CPU time of the chain's thread
//! (from /proc/thread-self/schedstat, nanoseconds) and wall time: on a shared machine the wall
//! clock also counts waiting for a core, and the ratio to R is given for both.

use std::time::Instant;

use recount_estimate::lcmcr::{LcmcrData, run_chain};
use recount_estimate::{CaptureTable, LcmcrConfig, estimate_lcmcr};

fn table(text: &str) -> CaptureTable {
    CaptureTable::from_csv(text)
        .expect("reference data parse")
        .0
}

fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// CPU seconds of the calling thread.
fn thread_cpu() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = s.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

/// CPU seconds of the whole process (user + system), all threads.
fn process_cpu() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn describe(config: &LcmcrConfig) -> String {
    format!(
        "K = {}, a = b = {}, warm-up {}, burn-in {}, {} draws thinned by {} = {} sweeps",
        config.k,
        config.a_alpha,
        config.warmup,
        config.burnin,
        config.samples,
        config.thin,
        config.sweeps_per_chain()
    )
}

/// Times one chain at `config` and prints it beside R's `r_seconds` for `r_sweeps` sweeps.
fn run(name: &str, t: &CaptureTable, config: &LcmcrConfig, r_seconds: f64, r_sweeps: u64) {
    let data = LcmcrData::new(t);
    let sweeps = config.sweeps_per_chain();
    println!(
        "{name}: {} lists, {} documented, {} patterns",
        t.list_count(),
        t.observed(),
        t.cells().count()
    );
    println!("  ran: one chain, {}", describe(config));
    let start = Instant::now();
    let cpu_start = thread_cpu();
    let out = run_chain(&data, config, config.seed, &|_| {});
    let wall = start.elapsed().as_secs_f64();
    let cpu = match (cpu_start, thread_cpu()) {
        (Some(a), Some(b)) if b > a => b - a,
        _ => wall,
    };
    let mut d = out.draws.clone();
    d.sort_by(f64::total_cmp);
    let median = d[d.len() / 2];
    println!(
        "  recount: {cpu:.3} s CPU, {wall:.3} s wall; {:.0} sweeps per CPU second ({:.2} µs per \
         sweep); posterior median N {median:.0}",
        sweeps as f64 / cpu,
        1e6 * cpu / sweeps as f64
    );
    let scale = r_sweeps as f64 / sweeps as f64;
    let (cpu_at, wall_at) = (cpu * scale, wall * scale);
    let how = if sweeps == r_sweeps {
        "measured".to_string()
    } else {
        format!("extrapolated from {sweeps} sweeps")
    };
    println!(
        "  R LCMCR 0.4.14: {r_sweeps} sweeps in about {r_seconds} s. recount at {r_sweeps} sweeps \
         ({how}): {cpu_at:.3} s CPU = {:.1}x faster, {wall_at:.3} s wall = {:.1}x faster (bar: 10x)",
        r_seconds / cpu_at,
        r_seconds / wall_at
    );
}

fn main() {
    let only = std::env::var("RECOUNT_BENCH_ONLY").unwrap_or_default();
    if only.is_empty() || only == "kosovo" {
        let kosovo = table(include_str!("../tests/data/kosovo.csv"));
        let documented = LcmcrConfig {
            chains: 1,
            ..LcmcrConfig::default()
        };
        run(
            "Kosovo, LCMCR's documented run",
            &kosovo,
            &documented,
            1.6,
            documented.sweeps_per_chain(),
        );
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        // Not the documented run: the same 1,000 kept draws from two chains of 500 (each with its
        // own warm-up and burn-in, so 60,500 sweeps each) on two threads. Printed beside the
        // single-chain figure, never instead of it.
        let split = LcmcrConfig {
            chains: 2,
            samples: 500,
            ..LcmcrConfig::default()
        };
        let start = Instant::now();
        let cpu_start = process_cpu();
        let r = estimate_lcmcr(&kosovo, &split).expect("Kosovo estimates");
        let wall = start.elapsed().as_secs_f64();
        let cpu = match (cpu_start, process_cpu()) {
            (Some(a), Some(b)) => format!("{:.2} s CPU", b - a),
            _ => "CPU time unknown".into(),
        };
        println!(
            "  NOT the documented run — 2 chains x 500 draws ({} sweeps each) on up to {} \
             threads: {wall:.3} s wall = {:.1}x R's 1.6 s, {cpu}; N {:.0} ({:.0}–{:.0})",
            split.sweeps_per_chain(),
            threads.min(2),
            1.6 / wall,
            r.estimate.median,
            r.estimate.lower,
            r.estimate.upper
        );
        // recount's default: four chains of the documented run on threads.
        let config = LcmcrConfig::default();
        let start = Instant::now();
        let cpu_start = process_cpu();
        let r = estimate_lcmcr(&kosovo, &config).expect("Kosovo estimates");
        let wall = start.elapsed().as_secs_f64();
        let cpu = match (cpu_start, process_cpu()) {
            (Some(a), Some(b)) => format!("{:.2} s CPU", b - a),
            _ => "CPU time unknown".into(),
        };
        println!(
            "  recount's default ({} chains on up to {threads} threads, {} sweeps each): {wall:.2} s \
             wall, {cpu}; N {:.0} ({:.0}–{:.0})",
            config.chains,
            config.sweeps_per_chain(),
            r.estimate.median,
            r.estimate.lower,
            r.estimate.upper
        );
    }
    if only.is_empty() || only == "verdata" {
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
            burnin: 9_500,
            samples: (sweeps.saturating_sub(10_000) / 500).max(1),
            thin: 500,
            ..LcmcrConfig::default()
        };
        run(
            "verdata, 20-list stratum",
            &verdata,
            &config,
            890.0,
            5_000_000,
        );
        if !full {
            println!(
                "  (a shorter run; RECOUNT_BENCH_FULL=1 runs the full 5,000,000 sweeps, \
                 RECOUNT_BENCH_VERDATA_SWEEPS=n another length)"
            );
        }
    }
    if let Some(mib) = peak_memory_mib() {
        println!("peak memory of the whole benchmark (VmHWM): {mib:.1} MiB");
    }
}
