//! The desk under load: record search and person pages with 1,000,000 records loaded, 20
//! concurrent keep-alive clients on loopback, latency percentiles and the server's memory.
//!
//! ```sh
//! cargo run --release -p recount-web --example desk_bench            # 1,000,000 records
//! RECOUNT_BENCH_RECORDS=100000 cargo run --release -p recount-web --example desk_bench
//! RECOUNT_BENCH_DB=/tmp/bench.sqlite cargo run --release -p recount-web --example desk_bench  # keep it
//! RECOUNT_BENCH_NO_WARM_WAIT=1 ...   # search at once, racing the name cache's warm-up
//! RECOUNT_BENCH_NO_WARM=1 ...        # no warm-up: every word's first search reads its ids
//! ```
//!
//! The target (issue 6): p99 under 50 ms for both pages. The server runs in a child process
//! (this binary re-executed with `--serve`), so its resident memory is its own.

use recount_store::accounts::Role;
use recount_store::{ImportMode, Store};
use recount_types::{EventVocabulary, Informant, PartialDate, Record};
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const CLIENTS: usize = 20;
const REQUESTS_PER_CLIENT: usize = 100;
const PASSWORD: &str = "benchmark password";

const GIVEN_LATIN: [&str; 12] = [
    "Bekbolat", "Aibek", "Nurlan", "Timur", "Ruslan", "Azamat", "Erlan", "Daniyar", "Marat",
    "Bakyt", "Sultan", "Askar",
];
const GIVEN_CYRILLIC: [&str; 12] = [
    "Бекболат",
    "Айбек",
    "Нурлан",
    "Тимур",
    "Руслан",
    "Азамат",
    "Эрлан",
    "Данияр",
    "Марат",
    "Бакыт",
    "Султан",
    "Аскар",
];
const FAMILY_LATIN: [&str; 10] = [
    "Asanov",
    "Usenov",
    "Toktogulov",
    "Sadykov",
    "Mamatov",
    "Ibraimov",
    "Abdrakhmanov",
    "Kasymov",
    "Osmonov",
    "Zhumabaev",
];
const FAMILY_CYRILLIC: [&str; 10] = [
    "Асанов",
    "Усенов",
    "Токтогулов",
    "Садыков",
    "Маматов",
    "Ибраимов",
    "Абдрахманов",
    "Касымов",
    "Осмонов",
    "Жумабаев",
];

/// A small seeded generator (SplitMix64): the same data every run.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn rss_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// CPU time (user + system) a process has used, from /proc (clock ticks of 10 ms).
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

fn generate(path: &Path, n: usize) {
    let started = Instant::now();
    let mut store = Store::create(path).unwrap();
    let vocab = EventVocabulary::default();
    let events = ["exit_refused", "summoned", "detained", "conscripted"];
    let places = ["Upper Lars", "Osh", "Bishkek", "Верхний Ларс", "Москва"];
    let mut rng = Rng(42);
    let mut batch = store.begin_import("bench.csv", ImportMode::Strict).unwrap();
    for i in 0..n {
        let source = ["hotline", "lawyers", "media"][i % 3];
        let mut r = Record::new(source, i.to_string());
        let (g, f) = (rng.below(12), rng.below(10));
        let patronymic = rng.below(1000);
        r.name = Some(if rng.below(2) == 0 {
            format!("{} {} {patronymic}", FAMILY_CYRILLIC[f], GIVEN_CYRILLIC[g])
        } else {
            format!("{} {} {patronymic}", GIVEN_LATIN[g], FAMILY_LATIN[f])
        });
        r.event = vocab.term(events[rng.below(4)]).ok();
        r.event_date = PartialDate::ymd(2022, 9 + rng.below(4) as u8, 1 + rng.below(28) as u8)
            .map(recount_types::EventDate::On);
        r.place = Some(places[rng.below(5)].to_owned());
        r.informant = Some(Informant::ALL[rng.below(6)]);
        r.quote = Some("They said I am on the list and cannot leave.".into());
        let keys = recount_pipeline::import::name_keys(&r);
        batch.put(&r, i as u64 + 2, &keys).unwrap();
    }
    batch.commit().unwrap();
    eprintln!(
        "imported {n} records in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let started = Instant::now();
    // Persons of three records each (record ids are 1..=n in import order).
    for p in 0..n / 3 {
        let person = store.new_person().unwrap();
        for k in 0..3 {
            store
                .assign_person(recount_types::RecordId((3 * p + k + 1) as i64), person)
                .unwrap();
        }
    }
    eprintln!(
        "linked {} persons in {:.1} s",
        n / 3,
        started.elapsed().as_secs_f64()
    );
    drop(store);
    recount_web::add_user(path, "bench", Role::Analyst, PASSWORD).unwrap();
}

async fn request(
    stream: &mut TcpStream,
    method: &str,
    path: &str,
    cookie: &str,
    body: &str,
) -> (u16, String, String) {
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: bench\r\nCookie: {cookie}\r\n");
    if !body.is_empty() {
        head.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    head.push_str("\r\n");
    head.push_str(body);
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    let mut chunk = [0u8; 65536];
    let header_end = loop {
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "connection closed");
        buf.extend_from_slice(&chunk[..n]);
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p + 4;
        }
    };
    let headers = String::from_utf8_lossy(&buf[..header_end]).into_owned();
    let status = headers[9..12].parse().unwrap();
    let length: usize = headers
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().parse().unwrap())
        })
        .unwrap_or(0);
    while buf.len() < header_end + length {
        let n = stream.read(&mut chunk).await.unwrap();
        assert!(n > 0, "connection closed");
        buf.extend_from_slice(&chunk[..n]);
    }
    (
        status,
        headers,
        String::from_utf8_lossy(&buf[header_end..header_end + length]).into_owned(),
    )
}

fn cookie_of(headers: &str, name: &str) -> String {
    headers
        .lines()
        .filter_map(|l| l.strip_prefix("set-cookie: "))
        .find(|c| c.starts_with(name))
        .map(|c| c.split(';').next().unwrap().to_owned())
        .unwrap()
}

async fn login(addr: SocketAddr) -> String {
    let mut s = TcpStream::connect(addr).await.unwrap();
    let (_, headers, _) = request(&mut s, "GET", "/login", "", "").await;
    let csrf_cookie = cookie_of(&headers, "recount_login_csrf");
    let token = csrf_cookie.split_once('=').unwrap().1.to_owned();
    let body = format!(
        "csrf_token={token}&username=bench&password={}",
        PASSWORD.replace(' ', "+")
    );
    let (status, headers, _) = request(&mut s, "POST", "/login", &csrf_cookie, &body).await;
    assert_eq!(status, 303, "login");
    cookie_of(&headers, "recount_session")
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * q).round() as usize]
}

async fn load(
    server: u32,
    addr: SocketAddr,
    cookie: &str,
    label: &str,
    paths: impl Fn(&mut Rng) -> String + Send + Sync + Copy + 'static,
) -> f64 {
    let started = Instant::now();
    let cpu = cpu_seconds(server);
    let mut tasks = Vec::new();
    for c in 0..CLIENTS {
        let cookie = cookie.to_owned();
        tasks.push(tokio::spawn(async move {
            let mut rng = Rng(1000 + c as u64);
            let mut stream = TcpStream::connect(addr).await.unwrap();
            let mut times = Vec::with_capacity(REQUESTS_PER_CLIENT);
            for _ in 0..REQUESTS_PER_CLIENT {
                let path = paths(&mut rng);
                let t = Instant::now();
                let (status, _, _) = request(&mut stream, "GET", &path, &cookie, "").await;
                times.push(t.elapsed().as_secs_f64() * 1000.0);
                assert_eq!(status, 200, "{path}");
            }
            times
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let wall = started.elapsed().as_secs_f64();
    let cpu = (cpu_seconds(server) - cpu) * 1000.0 / all.len() as f64;
    all.sort_by(f64::total_cmp);
    let p99 = percentile(&all, 0.99);
    println!(
        "{label:<14} {:>5} requests {:>6.0} req/s  p50 {:>6.1} ms  p95 {:>6.1} ms  p99 {:>6.1} ms  max {:>6.1} ms  server CPU {cpu:.2} ms/request  (target p99 < 50 ms: {})",
        all.len(),
        all.len() as f64 / wall,
        percentile(&all, 0.5),
        percentile(&all, 0.95),
        p99,
        all[all.len() - 1],
        if p99 < 50.0 { "met" } else { "NOT met" }
    );
    p99
}

/// The store's own time for the same queries, one at a time, without HTTP: what a request costs
/// the server beyond its routing and rendering.
fn probe(db: &Path) {
    let store = Store::open(db).unwrap();
    let mut rng = Rng(7);
    const RUNS: usize = 500;
    let cache = recount_store::desk::NameKeyCache::new(recount_web::NAME_CACHE_IDS);
    let mut time = |label: &str, filter: &dyn Fn(&mut Rng) -> recount_store::desk::RecordFilter| {
        let mut times = Vec::new();
        let mut find_times = Vec::new();
        let cpu = cpu_seconds(std::process::id());
        for _ in 0..RUNS {
            let f = filter(&mut rng);
            let t = Instant::now();
            let page = store.find_records(&f, None, 50, 1000, &cache).unwrap();
            find_times.push(t.elapsed().as_secs_f64() * 1000.0);
            let ids: Vec<_> = page.keys.iter().map(|(id, _)| *id).collect();
            store.records_by_ids(&ids).unwrap();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        let cpu = (cpu_seconds(std::process::id()) - cpu) * 1000.0 / RUNS as f64;
        times.sort_by(f64::total_cmp);
        find_times.sort_by(f64::total_cmp);
        println!(
            "store only, {label:<14} p50 {:>6.2} ms  p99 {:>6.2} ms  (finding p50 {:.2} ms), CPU {cpu:.2} ms a query, name cache {:.1} MiB",
            percentile(&times, 0.5),
            percentile(&times, 0.99),
            percentile(&find_times, 0.5),
            cache.held() as f64 * 8.0 / 1048576.0,
        );
    };
    time("name search", &|rng| recount_store::desk::RecordFilter {
        name_key_groups: recount_web::name_key_groups(&search_words(rng)),
        ..Default::default()
    });
    time("filtered list", &|rng| {
        let october: recount_types::EventDate = "2022-10".parse().unwrap();
        recount_store::desk::RecordFilter {
            event: Some(
                ["exit_refused", "summoned", "detained", "conscripted"][rng.below(4)].into(),
            ),
            from_day: Some(october.first_day()),
            to_day: Some(october.last_day()),
            ..Default::default()
        }
    });
}

/// Two searched words: a given name and a family name, each in either script.
fn search_words(rng: &mut Rng) -> String {
    let name = if rng.below(2) == 0 {
        GIVEN_CYRILLIC[rng.below(12)]
    } else {
        FAMILY_LATIN[rng.below(10)]
    };
    let name2 = if rng.below(2) == 0 {
        FAMILY_CYRILLIC[rng.below(10)]
    } else {
        GIVEN_LATIN[rng.below(12)]
    };
    format!("{name} {name2}")
}

fn serve_child(db: &Path) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    println!("{addr}");
    let settings = recount_web::Settings {
        // RECOUNT_BENCH_NO_WARM=1: no warm-up of the name cache, to measure what it saves.
        warm_name_cache: std::env::var_os("RECOUNT_BENCH_NO_WARM").is_none(),
        ..recount_web::Settings::default()
    };
    recount_web::serve(db, addr, settings).unwrap();
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() == 3 && args[1] == "--serve" {
        serve_child(Path::new(&args[2]));
        return;
    }
    let n: usize = std::env::var("RECOUNT_BENCH_RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().unwrap();
    // RECOUNT_BENCH_DB keeps the generated database for another run (or for a look at it).
    let db: PathBuf = std::env::var_os("RECOUNT_BENCH_DB")
        .map_or_else(|| dir.path().join("bench.sqlite"), PathBuf::from);
    if !db.exists() {
        generate(&db, n);
    }
    probe(&db);
    if std::env::var_os("RECOUNT_BENCH_PROBE_ONLY").is_some() {
        return;
    }
    let started = Instant::now();
    let mut child = Command::new(&args[0])
        .args(["--serve", db.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr: SocketAddr = line.trim().parse().unwrap();
    // The server warms its name cache in the background when it starts and says so on stderr
    // (counts and time only). The first phase waits for that line, as a documentalist arriving
    // a minute after the start would; RECOUNT_BENCH_NO_WARM_WAIT=1 starts at once instead, so
    // the first searches race the warm-up.
    let (warmed_tx, warmed_rx) = std::sync::mpsc::channel::<String>();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            // The import above left the desk's date indexes out; the server builds them first.
            if line.starts_with("record indexes built") {
                println!("server start: {line}");
            }
            if line.starts_with("name cache warm") {
                let _ = warmed_tx.send(line);
            }
        }
    });
    if std::env::var_os("RECOUNT_BENCH_NO_WARM_WAIT").is_some()
        || std::env::var_os("RECOUNT_BENCH_NO_WARM").is_some()
    {
        std::thread::sleep(Duration::from_millis(500));
        println!("not waiting for the name cache's warm-up");
    } else {
        match warmed_rx.recv_timeout(Duration::from_secs(300)) {
            Ok(line) => println!(
                "server start: {line} (ready {:.1} s after the start)",
                started.elapsed().as_secs_f64()
            ),
            Err(_) => println!("server start: no warm-up line in 300 s"),
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    println!(
        "desk_bench: {n} records, {} persons, {CLIENTS} concurrent clients, loopback",
        n / 3
    );
    let server = child.id();
    runtime.block_on(async {
        let cookie = login(addr).await;
        let persons = (n / 3).max(1);
        // The first round is each word's first search since the server started (its record
        // ids read from the database unless the warm-up cached them); the second finds every
        // word in the server's name cache, as a server in use does.
        for label in ["search (first)", "search (warm)"] {
            load(server, addr, &cookie, label, |rng| {
                let q = form_urlencoded::Serializer::new(String::new())
                    .append_pair("q", &search_words(rng))
                    .finish();
                format!("/records?{q}")
            })
            .await;
        }
        load(server, addr, &cookie, "filtered list", |rng| {
            let ev = ["exit_refused", "summoned", "detained", "conscripted"][rng.below(4)];
            format!(
                "/records?event={ev}&from=2022-10&to=2022-10&page={}",
                1 + rng.below(20)
            )
        })
        .await;
        load(server, addr, &cookie, "person page", move |rng| {
            format!("/persons/{}", 1 + rng.below(persons))
        })
        .await;
    });
    let (rss, hwm) = rss_kib(child.id());
    println!(
        "server memory: resident {:.1} MiB, peak resident {:.1} MiB",
        rss as f64 / 1024.0,
        hwm as f64 / 1024.0
    );
    let _ = child.kill();
    let _ = child.wait();
}
