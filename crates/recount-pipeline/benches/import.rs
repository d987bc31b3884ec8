//! Import throughput: 1,000,000 Records CSV v1 rows (SYNTHETIC, generated deterministically
//! here) into a fresh SQLite project database, through the real pipeline step (validation,
//! name keys, idempotence checks, one transaction).
//!
//! Run: `cargo bench -p recount-pipeline --bench import` (`RECOUNT_BENCH_ROWS=N` to change the
//! size). Bars (issue 2): at least 200,000 records/s on 2 cores, peak memory under 500 MiB.

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

/// CPU seconds (user + system) this process has used, from /proc/self/stat (100 ticks/s): on a
/// shared machine, records per CPU-second is the figure that does not depend on other load.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let f: Vec<f64> = after
        .split_whitespace()
        .map(|x| x.parse().unwrap_or(0.0))
        .collect();
    if f.len() > 13 {
        (f[11] + f[12]) / 100.0
    } else {
        f64::NAN
    }
}

fn main() {
    let rows: u64 = std::env::var("RECOUNT_BENCH_ROWS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let csv = dir.path().join("synthetic.csv");
    let mut rng = Rng(20_220_921);
    let mut f = std::io::BufWriter::new(std::fs::File::create(&csv).expect("create the file"));
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
    let bytes = std::fs::metadata(&csv).map(|m| m.len()).unwrap_or(0);

    let mut store = Store::create(&dir.path().join("bench.sqlite")).expect("a project database");
    let start = Instant::now();
    let cpu_start = cpu_seconds();
    let outcome = recount_pipeline::import::run(&mut store, &ImportRequest::new(&csv), &mut ())
        .expect("the import runs");
    let secs = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu_start;
    let ImportOutcome::Imported(summary) = outcome else {
        panic!("the synthetic file was refused: {outcome:?}");
    };
    assert_eq!(summary.inserted, rows);
    let rate = rows as f64 / secs;
    let peak = peak_memory_mib();
    println!(
        "import (SYNTHETIC Records CSV v1, {rows} rows, {:.0} MiB) into SQLite",
        bytes as f64 / 1048576.0
    );
    println!("  time            {secs:.2} s");
    println!(
        "  throughput      {rate:.0} records/s   (bar: >= 200000 records/s)  {}",
        if rate >= 200_000.0 {
            "PASS"
        } else {
            "BELOW BAR"
        }
    );
    println!(
        "  cpu time        {cpu:.2} s   ({:.0} records per CPU-second; load average now {})",
        rows as f64 / cpu,
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .split(' ')
            .next()
            .unwrap_or("?")
    );
    println!(
        "  peak memory     {peak:.0} MiB (VmHWM)   (bar: < 500 MiB)  {}",
        if peak < 500.0 { "PASS" } else { "ABOVE BAR" }
    );
}
