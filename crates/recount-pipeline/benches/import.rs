//! Import throughput: 1,000,000 Records CSV v1 rows (SYNTHETIC, generated deterministically
//! here) into a fresh SQLite project database, through the real pipeline step (validation,
//! name keys, idempotence checks, one transaction).
//!
//! The desk's two date indexes, which a large import leaves to the desk, are built after the
//! timed import and their time printed on its own line.
//!
//! The import runs three times, each in a process of its own (as `recount import` does: its
//! memory starts unmapped) and into a new database, and the bar is judged on the median: this
//! machine's speed varies from one run to the next more than small changes to the code do.
//!
//! Run: `cargo bench -p recount-pipeline --bench import` (`RECOUNT_BENCH_ROWS=N` to change the
//! size, `RECOUNT_BENCH_RUNS=N` the number of runs). Bars (issue 2): at least 200,000
//! records/s on 2 cores, peak memory under 500 MiB.

use recount_pipeline::import::{ImportOutcome, ImportRequest};
use recount_store::Store;
use std::io::Write;
use std::time::Instant;

const FAMILY: [&str; 12] = [
    "Асанов",
    "Иванов",
    "Toktogulov",
    "Юсупов",
    "Karimov",
    "Рахимов",
    "Абдуллаев",
    "Nazarbayev",
    "Сидоров",
    "Ergashev",
    "Турсунов",
    "Bekov",
];
const GIVEN: [&str; 12] = [
    "Бекболат",
    "Пётр",
    "Azamat",
    "Рустам",
    "Dilshod",
    "Фарход",
    "Алишер",
    "Nurlan",
    "Сергей",
    "Jasur",
    "Тимур",
    "Askar",
];
const EVENTS: [&str; 4] = ["exit_refused", "summoned", "detained", "conscripted"];
const COUNTRIES: [&str; 5] = ["RU", "RU;KG", "KZ", "UZ", "RU;TJ"];

/// A deterministic 64-bit generator (SplitMix64), seeded.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

fn peak_memory_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kib| kib.parse::<f64>().ok())
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

/// User + system CPU seconds in a `/proc/.../stat` line (100 ticks a second).
fn stat_cpu_seconds(stat: &str) -> Option<f64> {
    let after = stat.rsplit_once(')')?.1;
    let mut fields = after.split_whitespace().skip(11);
    let user: f64 = fields.next()?.parse().ok()?;
    let system: f64 = fields.next()?.parse().ok()?;
    Some((user + system) / 100.0)
}

/// CPU seconds (user + system) this process has used: on a shared machine, records per
/// CPU-second is the figure that does not depend on other load.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    stat_cpu_seconds(&stat).unwrap_or(f64::NAN)
}

/// CPU seconds of each thread of this process, by thread id.
fn thread_cpu() -> Vec<(String, f64)> {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return Vec::new();
    };
    tasks
        .flatten()
        .filter_map(|task| {
            let stat = std::fs::read_to_string(task.path().join("stat")).ok()?;
            let tid = task.file_name().to_string_lossy().into_owned();
            Some((tid, stat_cpu_seconds(&stat)?))
        })
        .collect()
}

/// Samples every thread's CPU time until `stop`, keeping the last reading of each (a thread's
/// figures vanish with it): which thread bounds the import's time on two idle cores.
fn sample_threads(
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> std::collections::BTreeMap<String, f64> {
    let mut seen = std::collections::BTreeMap::new();
    // This thread is left out: its figure is the sampling's, not the import's.
    let sampler_tid = std::fs::read_link("/proc/thread-self")
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
    loop {
        seen.extend(thread_cpu());
        if stop.load(std::sync::atomic::Ordering::Relaxed) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    if let Some(t) = sampler_tid {
        seen.remove(&t);
    }
    seen
}

/// One timed import of `csv` into a new database at `path`.
struct Timed {
    secs: f64,
    cpu: f64,
    inserted: u64,
    /// The CPU seconds of the threads that did the import (the reader and the writer).
    threads: String,
}

fn import_once(path: &std::path::Path, csv: &std::path::Path) -> (Timed, Store) {
    let mut store = Store::create(path).expect("a project database");
    let before: std::collections::BTreeMap<String, f64> = thread_cpu().into_iter().collect();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let stop = stop.clone();
        std::thread::spawn(move || sample_threads(stop))
    };
    let start = Instant::now();
    let cpu_start = cpu_seconds();
    let outcome = recount_pipeline::import::run(&mut store, &ImportRequest::new(csv), &mut ())
        .expect("the import runs");
    let secs = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu_start;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let threads = sampler.join().expect("the sampler");
    let ImportOutcome::Imported(summary) = outcome else {
        panic!("the synthetic file was refused: {outcome:?}");
    };
    // The threads that did the import: the reader (this one) and the writer; the busier one
    // bounds the wall time on two idle cores.
    let mut busy: Vec<(String, f64)> = threads
        .into_iter()
        .map(|(tid, c)| {
            let c = c - before.get(&tid).copied().unwrap_or(0.0);
            let role = if tid == std::process::id().to_string() {
                "reader"
            } else {
                "writer"
            };
            (role.to_owned(), c)
        })
        .filter(|(_, c)| *c >= 0.05)
        .collect();
    busy.sort_by(|a, b| b.1.total_cmp(&a.1));
    let threads = busy
        .iter()
        .map(|(n, c)| format!("{n} {c:.2} s"))
        .collect::<Vec<_>>()
        .join(", ");
    let timed = Timed {
        secs,
        cpu,
        inserted: summary.inserted,
        threads,
    };
    (timed, store)
}

/// Set in a child process: the CSV to import and the database to create.
const CHILD_CSV: &str = "RECOUNT_BENCH_CHILD_CSV";
const CHILD_DB: &str = "RECOUNT_BENCH_CHILD_DB";
/// Set in the last child: build the desk's indexes after the import and time them.
const CHILD_DESK: &str = "RECOUNT_BENCH_CHILD_DESK";

/// One run in a process of its own, as `recount import` runs: prints its figures on one line
/// for the parent (`run SECS CPU PEAK_MIB THREADS`, then `desk BUILT SECS` if asked).
fn child(csv: &std::path::Path, db: &std::path::Path) {
    let (timed, store) = import_once(db, csv);
    println!(
        "run {} {} {} {} {}",
        timed.secs,
        timed.cpu,
        peak_memory_mib(),
        timed.inserted,
        timed.threads
    );
    if std::env::var_os(CHILD_DESK).is_some() {
        // Not part of the import: the desk builds the date indexes a large import left out
        // when it starts or after the import (docs/importing.md). Timed so that it is seen.
        let start = Instant::now();
        let built = store.ensure_desk_indexes().expect("the desk's indexes");
        println!("desk {built} {}", start.elapsed().as_secs_f64());
    }
}

fn main() {
    if let (Some(csv), Some(db)) = (std::env::var_os(CHILD_CSV), std::env::var_os(CHILD_DB)) {
        child(csv.as_ref(), db.as_ref());
        return;
    }
    let rows: u64 = std::env::var("RECOUNT_BENCH_ROWS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let csv = dir.path().join("synthetic.csv");
    let mut rng = Rng(20_220_921);
    let file = std::fs::File::create(&csv).expect("create the file");
    let mut f = std::io::BufWriter::new(&file);
    writeln!(f, "source,record_id,family_name,given_name,sex,birth_date,age,citizenship,event,event_date,informant,report_id,quote").unwrap();
    for i in 0..rows {
        let age = 18 + rng.next() % 42;
        writeln!(
            f,
            "hotline,{i},{},{},m,{},{age},{},{},2022-{:02}-{:02},self,T-{},SYNTHETIC record for benchmarking",
            rng.pick(&FAMILY),
            rng.pick(&GIVEN),
            1963 + rng.next() % 40,
            rng.pick(&COUNTRIES),
            rng.pick(&EVENTS),
            9 + rng.next() % 4,
            1 + rng.next() % 28,
            i / 3,
        )
        .unwrap();
    }
    f.flush().unwrap();
    drop(f);
    // On disk before the runs, so that the kernel is not writing the file back during them.
    file.sync_all().expect("sync the file");
    let bytes = std::fs::metadata(&csv).map(|m| m.len()).unwrap_or(0);

    let runs: usize = std::env::var("RECOUNT_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3)
        .max(1);
    println!(
        "import (SYNTHETIC Records CSV v1, {rows} rows, {:.0} MiB) into SQLite, {runs} runs, each a new process and database",
        bytes as f64 / 1048576.0
    );
    let mut rates = Vec::new();
    let mut peak = 0.0f64;
    let mut desk = None;
    for run in 1..=runs {
        let db = dir.path().join(format!("bench-{run}.sqlite"));
        let mut command = std::process::Command::new(std::env::current_exe().expect("this bench"));
        command.env(CHILD_CSV, &csv).env(CHILD_DB, &db);
        if run == runs {
            command.env(CHILD_DESK, "1");
        }
        let out = command.output().expect("a run");
        assert!(
            out.status.success(),
            "run {run} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        for line in text.lines() {
            let f: Vec<&str> = line.splitn(6, ' ').collect();
            let num = |i: usize| {
                f.get(i)
                    .and_then(|v| v.parse::<f64>().ok())
                    .unwrap_or(f64::NAN)
            };
            match f[0] {
                "run" => {
                    let (secs, cpu, mib) = (num(1), num(2), num(3));
                    assert_eq!(num(4) as u64, rows, "every row inserted");
                    println!(
                        "  run {run}           {secs:.2} s   {:.0} records/s   cpu {cpu:.2} s   {}   peak {mib:.0} MiB",
                        rows as f64 / secs,
                        f.get(5).unwrap_or(&"")
                    );
                    rates.push(rows as f64 / secs);
                    peak = peak.max(mib);
                }
                "desk" => desk = Some((num(1), num(2))),
                _ => {}
            }
        }
        // Each run's database is removed before the next, so that the kernel does not write
        // its pages back while the next one runs.
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(dir.path().join(format!("bench-{run}.sqlite{suffix}")));
        }
    }
    rates.sort_by(f64::total_cmp);
    let median = rates[rates.len() / 2];
    println!(
        "  throughput      median {median:.0} records/s, range {:.0}-{:.0}   (bar: >= 200000 records/s)  {}",
        rates[0],
        rates[rates.len() - 1],
        if median >= 200_000.0 {
            "PASS"
        } else {
            "BELOW BAR"
        }
    );
    println!(
        "  load average    {} (the machine is shared: its speed varies between runs)",
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .split(' ')
            .next()
            .unwrap_or("?")
    );
    println!(
        "  peak memory     {peak:.0} MiB (VmHWM, the largest run's)   (bar: < 500 MiB)  {}",
        if peak < 500.0 { "PASS" } else { "ABOVE BAR" }
    );
    if let Some((built, secs)) = desk {
        println!(
            "  desk indexes    {built} built afterwards by the desk, not the import: {secs:.2} s"
        );
    }
}
