//! Links one of recount-synth's benchmark sets in memory and prints pairwise precision, recall
//! and F1 with the time and the largest resident memory of every step (no CSV reading or
//! writing: see bench/linkage/ for the end-to-end comparison with Splink).
//!
//! cargo run --release -p recount-link --example link_synth -- duplicated 1000000 [REFINE_ABOVE]
//! cargo run --release -p recount-link --example link_synth -- cross_script 5000

use recount_link::{Dataset, DedupePolicy, LinkConfig, Model, link};
use std::collections::HashMap;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let kind = args.first().map_or("duplicated", String::as_str);
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let t = Instant::now();
    let set = match kind {
        "cross_script" => recount_synth::cross_script_lists(7, n),
        _ => recount_synth::duplicated_records(7, n),
    };
    println!(
        "generated {} records in {:.2} s ({} MiB resident)",
        set.records.len(),
        t.elapsed().as_secs_f64(),
        RssSampler::now()
    );
    let policy = DedupePolicy::marked(&set.sources);
    let t = Instant::now();
    let ds = Dataset::from_records(&set.records, &policy);
    println!("prepared in {:.2} s", t.elapsed().as_secs_f64());
    let mut cfg = LinkConfig::with_seed(42);
    if let Some(r) = args.get(2).and_then(|s| s.parse().ok()) {
        cfg.blocking.refine_above = r;
    }
    let rss = RssSampler::start();
    let link_start = Instant::now();
    let run = link(&ds, &Model::default(), &[], &cfg);
    let tm = run.times;
    let samples = rss.stop();
    let mut from = 0.0;
    let mut peaks = Vec::new();
    for (stage, d) in [
        ("block", tm.block),
        ("compare", tm.compare),
        ("train", tm.train),
        ("score", tm.score),
        ("cluster", tm.cluster),
    ] {
        let to = from + d.as_secs_f64();
        let peak = samples
            .iter()
            .filter(|(t, _)| (from..=to).contains(t))
            .map(|(_, m)| *m)
            .max()
            .unwrap_or(0);
        peaks.push(format!("{stage} {peak} MiB"));
        from = to;
    }
    println!(
        "resident memory at the start {} MiB, largest sampled in each step: {} (link {:.2} s)",
        samples.first().map_or(0, |s| s.1),
        peaks.join(", "),
        link_start.elapsed().as_secs_f64()
    );
    println!(
        "block {:.2} s ({} pairs), compare {:.2} s, train {:.2} s, score {:.2} s, cluster {:.2} s",
        tm.block.as_secs_f64(),
        run.blocking.pairs.len(),
        tm.compare.as_secs_f64(),
        tm.train.as_secs_f64(),
        tm.score.as_secs_f64(),
        tm.cluster.as_secs_f64()
    );
    for r in &run.blocking.rules {
        println!(
            "  rule {}: {} pairs, {} new, {} split, {} skipped blocks",
            r.rule, r.pairs, r.new_pairs, r.refined_blocks, r.skipped_blocks
        );
    }
    println!("training: {:?}", run.training);
    for w in &run.warnings {
        println!("warning: {w}");
    }
    // Pairwise precision and recall.
    let truth: HashMap<(&str, &str), u32> = set
        .truth
        .iter()
        .map(|(k, id)| ((k.source.as_str(), k.record_id.as_str()), id.0))
        .collect();
    let mut both: HashMap<(u32, u32), u64> = HashMap::new();
    let mut pred: HashMap<u32, u64> = HashMap::new();
    let mut tru: HashMap<u32, u64> = HashMap::new();
    for i in 0..ds.len() as u32 {
        let t = truth[&(ds.source_of(i).as_str(), ds.record_id(i))];
        let c = run.clustering.cluster_of[i as usize];
        *both.entry((c, t)).or_default() += 1;
        *pred.entry(c).or_default() += 1;
        *tru.entry(t).or_default() += 1;
    }
    let true_of = |i: u32| truth[&(ds.source_of(i).as_str(), ds.record_id(i))];
    let found = run
        .blocking
        .pairs
        .iter()
        .filter(|p| true_of(p.a) == true_of(p.b))
        .count();
    let above = run
        .blocking
        .pairs
        .iter()
        .zip(&run.weights)
        .filter(|(p, w)| true_of(p.a) == true_of(p.b) && **w > 0.0)
        .count();
    let false_above = run
        .blocking
        .pairs
        .iter()
        .zip(&run.weights)
        .filter(|(p, w)| true_of(p.a) != true_of(p.b) && **w > 0.0)
        .count();
    let wts = run.model.weights();
    let mut neg: std::collections::BTreeMap<String, usize> = Default::default();
    for (k, p) in run.blocking.pairs.iter().enumerate() {
        if true_of(p.a) == true_of(p.b) && run.weights[k] <= 0.0 {
            for (c, cmp) in recount_link::Comparison::ALL.iter().enumerate() {
                let w = wts.level(c, run.gammas[k][c]);
                if w < -2.0 {
                    *neg.entry(format!("{}={}", cmp, cmp.level_label(run.gammas[k][c])))
                        .or_default() += 1;
                }
            }
        }
    }
    println!("negative evidence on missed true pairs: {neg:?}");
    // The commonest comparison patterns among true pairs scored at or below 0.5 (missed) and
    // among false pairs scored above it (joined).
    for (label, want_true) in [("missed", true), ("joined", false)] {
        let mut pats: std::collections::BTreeMap<String, usize> = Default::default();
        for (k, p) in run.blocking.pairs.iter().enumerate() {
            let is_true = true_of(p.a) == true_of(p.b);
            if is_true != want_true || (run.weights[k] > 0.0) == want_true {
                continue;
            }
            let d: Vec<String> = recount_link::Comparison::ALL
                .iter()
                .enumerate()
                .filter(|(c, _)| run.gammas[k][*c] > 0)
                .map(|(c, cmp)| {
                    format!(
                        "{}={}({:.1})",
                        cmp,
                        cmp.level_label(run.gammas[k][c]),
                        wts.level(c, run.gammas[k][c])
                    )
                })
                .collect();
            *pats.entry(d.join(" ")).or_default() += 1;
        }
        let mut pats: Vec<_> = pats.into_iter().collect();
        pats.sort_by_key(|p| std::cmp::Reverse(p.1));
        for (p, n) in pats.iter().take(12) {
            println!("  {label} x{n}: {p}");
        }
    }
    println!(
        "true pairs among candidates {found}, of them scored above 0.5: {above}; false pairs above 0.5: {false_above}"
    );
    let (tp, pp, tt) = (
        pairs(both.values()),
        pairs(pred.values()),
        pairs(tru.values()),
    );
    let (p, r) = (tp as f64 / pp.max(1) as f64, tp as f64 / tt.max(1) as f64);
    println!(
        "precision {p:.4}, recall {r:.4}, F1 {:.4}",
        2.0 * p * r / (p + r)
    );
    let m = &run.model;
    println!("prior λ {:.3e}", m.prior.value);
    for c in &m.comparisons {
        let ws: Vec<String> = c
            .levels
            .iter()
            .map(|l| format!("{} {:.1}", l.level, (l.m.value / l.u.value).log2()))
            .collect();
        println!("  {}: {}", c.comparison, ws.join(", "));
    }
}

fn pairs<'a>(sizes: impl Iterator<Item = &'a u64>) -> u64 {
    sizes.map(|n| n * (n - 1) / 2).sum()
}

/// Samples this process's resident memory (MiB) every 20 ms on a thread, with the seconds since
/// it started (Linux: /proc/self/status; elsewhere no samples).
struct RssSampler {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: std::thread::JoinHandle<Vec<(f64, u64)>>,
}

impl RssSampler {
    fn start() -> RssSampler {
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let t = Instant::now();
            let mut out = Vec::new();
            while !flag.load(std::sync::atomic::Ordering::Relaxed) {
                out.push((t.elapsed().as_secs_f64(), RssSampler::now()));
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            out
        });
        RssSampler { stop, thread }
    }

    /// The resident memory now, in MiB (0 where it cannot be read).
    fn now() -> u64 {
        std::fs::read_to_string("/proc/self/status")
            .unwrap_or_default()
            .lines()
            .find(|l| l.starts_with("VmRSS:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|k| k.parse::<u64>().ok())
            .map_or(0, |kib| kib / 1024)
    }

    fn stop(self) -> Vec<(f64, u64)> {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.thread.join().unwrap_or_default()
    }
}
