//! `recount link`: link records that describe the same person. Standalone with `--input` (the
//! contract in DESIGN.md), or over the project database.

use super::Global;
use crate::exit::bad_input;
use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use recount_import::{Options, Problem, Problems, RecordReader};
use recount_link::{
    Blocking, BlockingConfig, COMPARISONS, ClusterMethod, Comparison, Dataset, DatasetBuilder,
    DedupePolicy, LinkConfig, LinkRun, Model, Pair, TrainingOutcome, block, probability,
    stable_person_ids,
};
use recount_pipeline::link::{LinkOutcome, LinkProgress, LinkRequest};
use recount_store::Store;
use recount_types::{RecordKey, SourceName};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  recount link --input records.csv --out persons.csv
  recount link --input records.csv --out persons.csv --pairs pairs.csv --threshold 0.8 --seed 7
  recount link --input hotline.csv --out persons.csv --dedupe hotline
  recount link --input records.csv --plan            # count candidate pairs per blocking rule
  recount link --db project.db                       # link the project database's records
  recount link --db project.db --json

Over the project database, persons keep their ids wherever their records stay together, the
trained model is saved (a failed training run keeps the previous one), review decisions are
honoured, and the most consequential uncertain pairs are queued for `recount review`.")]
pub struct Args {
    /// Records CSV v1 to link (standalone mode). Without it, links the project database.
    #[arg(long, value_name = "RECORDS.csv")]
    pub input: Option<PathBuf>,
    /// Where to write `source,record_id,person_id` for every input record.
    /// Required with --input unless --plan.
    #[arg(long, value_name = "PERSONS.csv", requires = "input")]
    pub out: Option<PathBuf>,
    /// Also write every scored candidate pair with its match probability and per-field weights.
    #[arg(long, value_name = "PAIRS.csv")]
    pub pairs: Option<PathBuf>,
    /// Match probability above which a pair counts as evidence for "same person".
    #[arg(long, value_name = "P", default_value_t = 0.5)]
    pub threshold: f64,
    /// Seed of every random step (the sampling of pairs for u).
    #[arg(long, value_name = "N", default_value_t = 42)]
    pub seed: u64,
    /// Sources that may list one person more than once (their records may be linked together).
    #[arg(long, value_name = "SOURCE,...", value_delimiter = ',')]
    pub dedupe: Vec<String>,
    /// Only count the candidate pairs each blocking rule would make; link nothing.
    #[arg(long)]
    pub plan: bool,
    /// A saved linkage model to start from; a successful training run replaces it (a failed one
    /// leaves it untouched).
    #[arg(long, value_name = "MODEL.json")]
    pub model: Option<PathBuf>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(global: &Global, args: Args) -> anyhow::Result<()> {
    if !(args.threshold > 0.0 && args.threshold < 1.0) {
        return Err(bad_input(format!(
            "--threshold {} must be a probability strictly between 0 and 1",
            args.threshold
        )));
    }
    let Some(input) = args.input.clone() else {
        return run_database(global, &args);
    };
    if args.out.is_none() && !args.plan {
        return Err(bad_input(
            "standalone linkage needs --out PERSONS.csv (or --plan to only count candidate pairs)",
        ));
    }
    let progress = spinner();
    progress.set_message("reading records");
    let ds = read_dataset(&input, &args.dedupe)?;
    let dedupe_named: BTreeSet<&str> = args.dedupe.iter().map(String::as_str).collect();
    for s in &dedupe_named {
        if !ds.sources().iter().any(|x| x.as_str() == *s) {
            progress.finish_and_clear();
            return Err(bad_input(format!(
                "--dedupe names source '{s}', which no record in {} has",
                input.display()
            )));
        }
    }
    let mut cfg = LinkConfig::with_seed(args.seed);
    cfg.threshold = args.threshold;

    if args.plan {
        progress.set_message("blocking");
        let b = block(&ds, cfg.blocking);
        progress.finish_and_clear();
        print_plan(&args, ds.len(), ds.linkable_pairs(), &b, cfg.blocking);
        return Ok(());
    }

    let previous = match &args.model {
        Some(p) if p.exists() => {
            let text =
                std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
            Model::from_json(&text).map_err(|e| bad_input(format!("{}: {e}", p.display())))?
        }
        _ => Model::default(),
    };
    progress.set_message(format!("linking {} records", ds.len()));
    let run = recount_link::link(&ds, &previous, &[], &cfg);
    progress.set_message("writing");

    let clusters = run.clustering.clusters();
    let keys: Vec<Vec<RecordKey>> = clusters
        .iter()
        .map(|c| c.iter().map(|&i| ds.key(i)).collect())
        .collect();
    let ids = stable_person_ids(&BTreeMap::new(), &keys);
    let mut person_of = vec![0i64; ds.len()];
    for (members, id) in clusters.iter().zip(&ids) {
        for &i in members {
            person_of[i as usize] = id.0;
        }
    }
    let out = args.out.as_deref().unwrap_or(Path::new("persons.csv"));
    write_persons(out, &ds, &person_of)?;
    if let Some(p) = &args.pairs {
        write_pairs(p, &ds, &run)?;
    }
    if let (Some(p), TrainingOutcome::Trained(_)) = (&args.model, &run.training) {
        std::fs::write(p, run.model.to_json())
            .with_context(|| format!("writing {}", p.display()))?;
    }
    progress.finish_and_clear();
    report(&args, &ds, &run, clusters.len());
    Ok(())
}

/// Links the project database's records (`recount link` without `--input`).
fn run_database(global: &Global, args: &Args) -> anyhow::Result<()> {
    for (flag, given) in [
        ("--out", args.out.is_some()),
        ("--pairs", args.pairs.is_some()),
        ("--model", args.model.is_some()),
        ("--dedupe", !args.dedupe.is_empty()),
    ] {
        if given {
            return Err(bad_input(format!(
                "{flag} applies to standalone linkage (--input RECORDS.csv) only; over the \
                 project database use `recount export persons`, the desk's pages and \
                 `recount import --contains-duplicates`"
            )));
        }
    }
    let mut store = Store::open(&global.db)
        .with_context(|| format!("cannot open the project database {}", global.db.display()))?;
    if store.record_count()? == 0 {
        return Err(bad_input(
            "the project database has no records; import some with `recount import` first",
        ));
    }
    if args.plan {
        let spin = spinner();
        spin.set_message("blocking");
        let (records, linkable, b, blocking) = recount_pipeline::link::plan(&store)?;
        spin.finish_and_clear();
        print_plan(args, records, linkable, &b, blocking);
        return Ok(());
    }
    let request = LinkRequest {
        threshold: args.threshold,
        seed: args.seed,
        ..LinkRequest::default()
    };
    let mut progress = SpinnerProgress(spinner());
    let outcome = recount_pipeline::link::run(&mut store, &request, &mut progress)?;
    progress.0.finish_and_clear();
    print_database_outcome(args, &outcome);
    Ok(())
}

fn print_plan(args: &Args, records: usize, linkable: f64, b: &Blocking, cfg: BlockingConfig) {
    let warnings = b.warnings(cfg);
    let cap = cfg.max_block_size;
    if args.json {
        let v = serde_json::json!({
            "records": records,
            "linkable_pairs": linkable,
            "candidate_pairs": b.pairs.len(),
            "max_block_size": cap,
            "refine_above": cfg.refine_above,
            "sub_block_cap": cfg.sub_block_cap(),
            "rules": b.rules,
            "warnings": warnings,
        });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        println!("{records} records, {linkable} linkable pairs");
        println!(
            "{:<28} {:>10} {:>14} {:>14} {:>10} {:>10}",
            "rule", "blocks", "pairs", "new pairs", "split", "skipped"
        );
        for r in &b.rules {
            println!(
                "{:<28} {:>10} {:>14} {:>14} {:>10} {:>10}",
                r.rule, r.blocks, r.pairs, r.new_pairs, r.refined_blocks, r.skipped_blocks
            );
        }
        println!(
            "a block over {} records is split by the event's time; a block over {cap} records, or a part of a split block over {}, is skipped",
            cfg.refine_above,
            cfg.sub_block_cap()
        );
        println!("{} distinct candidate pairs", b.pairs.len());
        for w in &warnings {
            eprintln!("warning: {w}");
        }
    }
}

struct SpinnerProgress(ProgressBar);

impl LinkProgress for SpinnerProgress {
    fn stage(&mut self, stage: &str) {
        self.0.set_message(stage.to_owned());
    }
}

fn print_database_outcome(args: &Args, o: &LinkOutcome) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    if args.json {
        let v = serde_json::json!({
            "records": o.records,
            "persons": o.persons,
            "persons_kept": o.persons_kept,
            "candidate_pairs": o.candidate_pairs,
            "linked_pairs": o.linked_pairs,
            "stored_pairs": o.stored_pairs,
            "review_queue": o.review_queue,
            "decisions": o.decisions,
            "threshold": args.threshold,
            "seed": args.seed,
            "clustering": {
                "method": o.clustering_method,
                "description": o.clustering,
                "refused_same_source_merges": o.refused_same_source_merges,
                "refused_unproposed_merges": o.refused_unproposed_merges,
            },
            "training": {
                "status": if o.training_failure.is_none() { "trained" } else { "kept_previous" },
                "reason": o.training_failure,
                "model_revision": o.model_revision,
            },
            "timings_ms": {
                "block": ms(o.times.block),
                "compare": ms(o.times.compare),
                "train": ms(o.times.train),
                "score": ms(o.times.score),
                "cluster": ms(o.times.cluster),
            },
            "warnings": o.warnings,
        });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        println!(
            "{} records → {} persons ({} kept their id; {} candidate pairs, {} linked)",
            o.records, o.persons, o.persons_kept, o.candidate_pairs, o.linked_pairs
        );
        println!("clustering: {}", o.clustering);
        match &o.training_failure {
            None => println!("model: trained (revision {})", o.model_revision),
            Some(r) => println!(
                "model: kept the previous model (revision {}): {r}",
                o.model_revision
            ),
        }
        println!(
            "review: {} pair(s) wait for a decision (`recount review`); {} decision(s) applied",
            o.review_queue, o.decisions
        );
    }
    for w in &o.warnings {
        eprintln!("warning: {w}");
    }
}

fn spinner() -> ProgressBar {
    let pb = ProgressBar::new_spinner();
    pb.set_style(
        ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    pb.enable_steady_tick(Duration::from_millis(120));
    pb
}

/// Reads Records CSV v1 (or any layout the importer knows) into a linkage data set, streaming;
/// every problem in the file is bad input and nothing is linked.
fn read_dataset(path: &Path, dedupe: &[String]) -> anyhow::Result<Dataset> {
    let reader = match RecordReader::open(path, Options::default()) {
        Ok(r) => r,
        Err(recount_import::ImportError::Io { path, source }) => {
            return Err(
                anyhow::Error::new(source).context(format!("cannot read {}", path.display()))
            );
        }
        Err(e) => return Err(bad_input(e.to_string())),
    };
    let file = reader.file().to_owned();
    let mut problems = Problems::new(20);
    let mut builder = DatasetBuilder::new();
    let mut seen: HashMap<(SourceName, String), u64> = HashMap::new();
    let mut sources: BTreeSet<SourceName> = BTreeSet::new();
    for row in reader {
        let row = match row {
            Ok(r) => r,
            Err(recount_import::ImportError::Io { path, source }) => {
                return Err(
                    anyhow::Error::new(source).context(format!("cannot read {}", path.display()))
                );
            }
            Err(e) => return Err(bad_input(e.to_string())),
        };
        match row.result {
            Ok(rec) => {
                if let Some(first) =
                    seen.insert((rec.source.clone(), rec.record_id.clone()), row.row)
                {
                    seen.insert((rec.source.clone(), rec.record_id.clone()), first);
                    problems.push(Problem::duplicate(&file, row.row, &rec.record_id, first));
                    continue;
                }
                if problems.is_empty() {
                    sources.insert(rec.source.clone());
                    builder.push(&rec);
                }
            }
            Err(ps) => ps.into_iter().for_each(|p| problems.push(p)),
        }
    }
    if !problems.is_empty() {
        return Err(bad_input(format!(
            "{} problem(s) in {file}; nothing was linked:\n{problems}",
            problems.total()
        )));
    }
    let policy = DedupePolicy::standalone(dedupe.iter().map(|s| SourceName(s.clone())), &sources);
    Ok(builder.finish(&policy))
}

fn write_persons(path: &Path, ds: &Dataset, person_of: &[i64]) -> anyhow::Result<()> {
    let mut w =
        csv::Writer::from_path(path).with_context(|| format!("writing {}", path.display()))?;
    w.write_record(["source", "record_id", "person_id"])?;
    for (i, p) in person_of.iter().enumerate() {
        let i = i as u32;
        w.write_record([ds.source_of(i).as_str(), ds.record_id(i), &p.to_string()])?;
    }
    w.flush()
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

fn write_pairs(path: &Path, ds: &Dataset, run: &LinkRun) -> anyhow::Result<()> {
    let mut w =
        csv::Writer::from_path(path).with_context(|| format!("writing {}", path.display()))?;
    let mut header: Vec<String> = [
        "source_l",
        "record_id_l",
        "source_r",
        "record_id_r",
        "match_probability",
        "match_weight",
        "prior",
    ]
    .map(String::from)
    .to_vec();
    for c in Comparison::ALL {
        header.push(format!("{c}_level"));
        header.push(format!("{c}_weight"));
    }
    header.push("name_tf_adjustment".into());
    header.push("one_to_one_adjustment".into());
    header.push("same_person".into());
    w.write_record(&header)?;
    let weights = run.model.weights();
    for (k, p) in run.blocking.pairs.iter().enumerate() {
        let g = &run.gammas[k];
        let fs = run.weights[k];
        let total = fs + run.one_to_one[k];
        let mut row: Vec<String> = vec![
            ds.source_of(p.a).to_string(),
            ds.record_id(p.a).to_owned(),
            ds.source_of(p.b).to_string(),
            ds.record_id(p.b).to_owned(),
            format!("{:.6}", probability(total)),
            format!("{total:.3}"),
            format!("{:.3}", weights.prior),
        ];
        let mut sum = weights.prior;
        for (c, cmp) in Comparison::ALL.iter().enumerate().take(COMPARISONS) {
            let wl = weights.level(c, g[c]);
            sum += wl;
            row.push(cmp.level_label(g[c]).to_owned());
            row.push(format!("{wl:.3}"));
        }
        row.push(format!("{:.3}", fs - sum));
        row.push(format!("{:.3}", run.one_to_one[k]));
        let same =
            run.clustering.cluster_of[p.a as usize] == run.clustering.cluster_of[p.b as usize];
        row.push(if same { "1" } else { "0" }.into());
        w.write_record(&row)?;
    }
    w.flush()
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

fn report(args: &Args, ds: &Dataset, run: &LinkRun, persons: usize) {
    let method = if run.clustering.method == ClusterMethod::CorrelationGaec {
        "correlation_gaec"
    } else {
        "connected_components"
    };
    let linked = run
        .blocking
        .pairs
        .iter()
        .filter(|p: &&Pair| {
            run.clustering.cluster_of[p.a as usize] == run.clustering.cluster_of[p.b as usize]
        })
        .count();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let (status, reason) = match &run.training {
        TrainingOutcome::Trained(_) => ("trained", None),
        TrainingOutcome::KeptPrevious(r) => ("kept_previous", Some(r.to_string())),
    };
    if args.json {
        let v = serde_json::json!({
            "records": ds.len(),
            "persons": persons,
            "candidate_pairs": run.blocking.pairs.len(),
            "linked_pairs": linked,
            "threshold": args.threshold,
            "seed": args.seed,
            "clustering": {
                "method": method,
                "description": run.clustering.method.description(),
                "refused_same_source_merges": run.clustering.refused_same_source,
                "refused_unproposed_merges": run.clustering.refused_unproposed,
            },
            "training": {
                "status": status,
                "reason": reason,
                "model_revision": run.model.revision,
                "prior": run.model.prior.value,
            },
            "blocking": run.blocking.rules,
            "timings_ms": {
                "block": ms(run.times.block),
                "compare": ms(run.times.compare),
                "train": ms(run.times.train),
                "score": ms(run.times.score),
                "cluster": ms(run.times.cluster),
            },
            "warnings": run.warnings,
        });
        println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
    } else {
        println!(
            "{} records → {persons} persons ({} candidate pairs, {linked} linked)",
            ds.len(),
            run.blocking.pairs.len()
        );
        println!("clustering: {}", run.clustering.method.description());
        match reason {
            None => println!(
                "model: trained (revision {}), prior λ = {:.3e}",
                run.model.revision, run.model.prior.value
            ),
            Some(r) => println!(
                "model: kept the previous model (revision {}): {r}",
                run.model.revision
            ),
        }
        println!(
            "time: block {:.0} ms, compare {:.0} ms, train {:.0} ms, score {:.0} ms, cluster {:.0} ms",
            ms(run.times.block),
            ms(run.times.compare),
            ms(run.times.train),
            ms(run.times.score),
            ms(run.times.cluster)
        );
    }
    for w in &run.warnings {
        eprintln!("warning: {w}");
    }
}
