//! Links a Records CSV file in memory and prints the time of every step and the peak memory
//! (VmHWM). The linkage benchmark (bench/linkage/run.py) uses it for recount's side, and scores
//! the persons it writes against the truth itself; FEBRL4 is written there.
//!
//! cargo run --release -p recount-link --example link_csv -- RECORDS.csv TRUTH.csv [--dedupe S,..] [--out PERSONS.csv] [--diagnose] [--missed OUT.csv]
//!
//! `--diagnose` reads TRUTH.csv and prints pairwise precision, recall and F1, the blocking
//! recall, the commonest comparison patterns among wrongly scored pairs and the trained m, u
//! and weights (`--missed` writes the true pairs never proposed). Without it the truth file is
//! not read, so that the benchmark's time and memory are the linkage's alone.
//!
//! The last line printed is one JSON object (stage times in ms, candidate pairs, persons,
//! warnings, peak memory) for bench/linkage/run.py.
//!
//! Only the Records CSV v1 columns that linkage compares are read; others are ignored. With one
//! source in the file, that source is deduplicated (the standalone contract).

use recount_link::{Comparison, Dataset, DedupePolicy, LinkConfig, Model, link};
use recount_types::{Record, SourceName};
use std::collections::{BTreeSet, HashMap};
use std::error::Error;
use std::time::Instant;

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [records_path, truth_path, rest @ ..] = args.as_slice() else {
        return Err(
            "usage: link_csv RECORDS.csv TRUTH.csv [--dedupe S,..] [--missed OUT.csv]".into(),
        );
    };
    let mut dedupe: Vec<SourceName> = Vec::new();
    let mut missed_out = None;
    let mut persons_out = None;
    let mut diagnose = false;
    let mut it = rest.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--dedupe" => {
                dedupe = it
                    .next()
                    .ok_or("--dedupe needs a value")?
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(|s| SourceName(s.to_owned()))
                    .collect()
            }
            "--missed" => missed_out = Some(it.next().ok_or("--missed needs a value")?.clone()),
            "--diagnose" => diagnose = true,
            "--out" => persons_out = Some(it.next().ok_or("--out needs a value")?.clone()),
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let t_all = Instant::now();
    let records = read_records(records_path)?;
    let sources: BTreeSet<SourceName> = records.iter().map(|r| r.source.clone()).collect();
    let policy = DedupePolicy::standalone(dedupe, &sources);
    let t = Instant::now();
    let ds = Dataset::from_records(&records, &policy);
    let prepare = t.elapsed();
    drop(records);
    let run = link(&ds, &Model::default(), &[], &LinkConfig::with_seed(42));
    let total = t_all.elapsed();
    let tm = run.times;
    println!(
        "{} records; prepare {:.2} s, block {:.2} s, compare {:.2} s, train {:.2} s, score {:.2} s, cluster {:.2} s; link total {:.2} s (with reading)",
        ds.len(),
        prepare.as_secs_f64(),
        tm.block.as_secs_f64(),
        tm.compare.as_secs_f64(),
        tm.train.as_secs_f64(),
        tm.score.as_secs_f64(),
        tm.cluster.as_secs_f64(),
        total.as_secs_f64()
    );
    for r in &run.blocking.rules {
        println!(
            "  rule {}: {} pairs, {} new, {} skipped blocks",
            r.rule, r.pairs, r.new_pairs, r.skipped_blocks
        );
    }
    for w in &run.warnings {
        println!("warning: {w}");
    }
    if diagnose {
        let mut truth: HashMap<(String, String), String> = HashMap::new();
        let mut tr = csv::Reader::from_path(truth_path)?;
        for row in tr.records() {
            let row = row?;
            truth.insert((row[0].to_owned(), row[1].to_owned()), row[2].to_owned());
        }
        let true_of: Vec<&str> = (0..ds.len() as u32)
            .map(|i| {
                truth
                    .get(&(ds.source_of(i).to_string(), ds.record_id(i).to_owned()))
                    .map_or("", String::as_str)
            })
            .collect();
        print_diagnostics(&ds, &run, &true_of, missed_out.as_deref())?;
    }
    let hwm = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM"))
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_owned())
        })
        .and_then(|k| k.parse::<f64>().ok())
        .map_or(f64::NAN, |k| k / 1024.0);
    println!("peak memory (VmHWM) {hwm:.0} MiB");
    if let Some(path) = persons_out {
        let mut w = csv::Writer::from_path(path)?;
        w.write_record(["source", "record_id", "person_id"])?;
        for i in 0..ds.len() as u32 {
            w.write_record([
                ds.source_of(i).as_str(),
                ds.record_id(i),
                &run.clustering.cluster_of[i as usize].to_string(),
            ])?;
        }
        w.flush()?;
    }
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
    let summary = serde_json::json!({
        "timings_ms": {
            "prepare": ms(prepare),
            "block": ms(tm.block),
            "compare": ms(tm.compare),
            "train": ms(tm.train),
            "score": ms(tm.score),
            "cluster": ms(tm.cluster),
        },
        "candidate_pairs": run.blocking.pairs.len(),
        "persons": run.clustering.persons(),
        "clustering": {"method": format!("{:?}", run.clustering.method)},
        "training": {"status": match run.training {
            recount_link::TrainingOutcome::Trained(_) => "trained",
            recount_link::TrainingOutcome::KeptPrevious(_) => "kept_previous",
        }},
        "warnings": run.warnings,
        "peak_mib": hwm,
    });
    println!("{summary}");
    Ok(())
}

/// Blocking recall, scored errors by comparison pattern, pairwise precision, recall and F1, and
/// the trained model, against the truth.
fn print_diagnostics(
    ds: &Dataset,
    run: &recount_link::LinkRun,
    true_of: &[&str],
    missed_out: Option<&str>,
) -> Result<(), Box<dyn Error>> {
    // Truth pairs (linkable ones only).
    let mut by_person: HashMap<&str, Vec<u32>> = HashMap::new();
    for (i, t) in true_of.iter().enumerate() {
        by_person.entry(t).or_default().push(i as u32);
    }
    let mut true_pairs = 0u64;
    let cand: std::collections::HashSet<(u32, u32)> =
        run.blocking.pairs.iter().map(|p| (p.a, p.b)).collect();
    let mut missed = Vec::new();
    for rs in by_person.values() {
        for x in 0..rs.len() {
            for y in x + 1..rs.len() {
                if !ds.may_link(rs[x], rs[y]) {
                    continue;
                }
                true_pairs += 1;
                let p = (rs[x].min(rs[y]), rs[x].max(rs[y]));
                if !cand.contains(&p) {
                    missed.push(p);
                }
            }
        }
    }
    println!(
        "blocking: {} candidate pairs ({:.1} per record), {} of {} true pairs proposed (recall {:.4})",
        run.blocking.pairs.len(),
        run.blocking.pairs.len() as f64 / ds.len().max(1) as f64,
        true_pairs - missed.len() as u64,
        true_pairs,
        1.0 - missed.len() as f64 / true_pairs.max(1) as f64
    );
    if let Some(path) = missed_out {
        let mut w = csv::Writer::from_path(path)?;
        w.write_record(["source_l", "record_id_l", "source_r", "record_id_r"])?;
        for (a, b) in &missed {
            w.write_record([
                ds.source_of(*a).as_str(),
                ds.record_id(*a),
                ds.source_of(*b).as_str(),
                ds.record_id(*b),
            ])?;
        }
        w.flush()?;
    }
    let wts = run.model.weights();
    let mut errs: std::collections::BTreeMap<String, usize> = Default::default();
    let (mut fn_, mut fp) = (0, 0);
    for (k, p) in run.blocking.pairs.iter().enumerate() {
        let same = true_of[p.a as usize] == true_of[p.b as usize];
        let w = run.weights[k] + run.one_to_one[k];
        if same == (w > 0.0) {
            continue;
        }
        if same {
            fn_ += 1
        } else {
            fp += 1
        }
        let d: Vec<String> = Comparison::ALL
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
        *errs
            .entry(format!(
                "{} {}",
                if same { "FN" } else { "FP" },
                d.join(" ")
            ))
            .or_default() += 1;
    }
    let mut errs: Vec<_> = errs.into_iter().collect();
    errs.sort_by_key(|p| std::cmp::Reverse(p.1));
    println!(
        "scored errors among candidates: {fn_} true pairs <= 0 bits, {fp} false pairs > 0 bits"
    );
    for (p, n) in errs.iter().take(15) {
        println!("  x{n}: {p}");
    }
    let mut both: HashMap<(u32, &str), u64> = HashMap::new();
    let mut pred: HashMap<u32, u64> = HashMap::new();
    let mut tru: HashMap<&str, u64> = HashMap::new();
    for (&c, &t) in run.clustering.cluster_of.iter().zip(true_of) {
        *both.entry((c, t)).or_default() += 1;
        *pred.entry(c).or_default() += 1;
        *tru.entry(t).or_default() += 1;
    }
    let pairs = |v: &mut dyn Iterator<Item = &u64>| v.map(|n| n * (n - 1) / 2).sum::<u64>();
    let (tp, pp, tt) = (
        pairs(&mut both.values()),
        pairs(&mut pred.values()),
        pairs(&mut tru.values()),
    );
    let (p, r) = (tp as f64 / pp.max(1) as f64, tp as f64 / tt.max(1) as f64);
    println!(
        "precision {p:.4}, recall {r:.4}, F1 {:.4}",
        2.0 * p * r / (p + r)
    );
    println!("prior λ {:.3e}", run.model.prior.value);
    for c in &run.model.comparisons {
        let ws: Vec<String> = c
            .levels
            .iter()
            .map(|l| {
                format!(
                    "{} {:.1} (m {:.2e}, u {:.2e})",
                    l.level,
                    (l.m.value / l.u.value).log2(),
                    l.m.value,
                    l.u.value
                )
            })
            .collect();
        println!("  {}: {}", c.comparison, ws.join(", "));
    }
    Ok(())
}

fn read_records(path: &str) -> Result<Vec<Record>, Box<dyn Error>> {
    let mut rd = csv::Reader::from_path(path)?;
    let header: Vec<String> = rd.headers()?.iter().map(str::to_owned).collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let (src, rid) = (
        col("source").ok_or("no source column")?,
        col("record_id").ok_or("no record_id column")?,
    );
    let c = |n| col(n);
    let (name, given, family, patr, sex, birth, bplace, doc, age, cit, origin, res, event, edate) = (
        c("name"),
        c("given_name"),
        c("family_name"),
        c("patronymic"),
        c("sex"),
        c("birth_date"),
        c("birth_place"),
        c("document_id"),
        c("age"),
        c("citizenship"),
        c("origin"),
        c("residence"),
        c("event"),
        c("event_date"),
    );
    let place = c("place");
    let mut out = Vec::new();
    for row in rd.records() {
        let row = row?;
        let get = |c: Option<usize>| {
            c.and_then(|c| row.get(c))
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        let s = |c| get(c).map(str::to_owned);
        let mut r = Record::new(&row[src], &row[rid]);
        r.name = s(name);
        r.given_name = s(given);
        r.family_name = s(family);
        r.patronymic = s(patr);
        r.sex = get(sex).and_then(|v| v.parse().ok());
        r.birth_date = get(birth).and_then(|v| v.parse().ok());
        r.birth_place = s(bplace);
        r.document_id = s(doc);
        r.age = get(age).and_then(|v| v.parse().ok());
        r.citizenship = get(cit)
            .and_then(|v| recount_types::parse_country_list(v).ok())
            .unwrap_or_default();
        r.origin = get(origin).and_then(|v| v.parse().ok());
        r.residence = s(res);
        r.event = get(event).and_then(|v| serde_json::from_value(v.into()).ok());
        r.event_date = get(edate).and_then(|v| v.parse().ok());
        r.place = s(place);
        out.push(r);
    }
    Ok(out)
}
