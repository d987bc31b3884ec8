//! `recount demo`: the whole pipeline on a synthetic, clearly labelled world, measured against
//! its truth.

use super::{Global, thousands as n};
use crate::exit::bad_input;
use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use recount_estimate::{EstimateResult, LcmcrConfig};
use recount_pipeline::demo::{DemoProgress, DemoReport, DemoRequest, is_demo_database};
use recount_pipeline::link::LinkProgress;
use recount_store::Store;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  recount demo                                  # 3,000 people, seed 1, lists in ./recount-demo/
  recount demo --db demo.sqlite --seed 7 --people 10000 --out demo7
  recount demo --json | jq .estimate

Everything the demo writes is synthetic: names, dates and places are generated, and the lists
and truth files say so. The project database must be new or one an earlier demo made (it is
then replaced); a database with other sources is refused.")]
pub struct Args {
    /// Seed of the synthetic world and of every random step after it.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The true number of people affected.
    #[arg(long, default_value_t = 3000, value_parser = clap::value_parser!(u64).range(10..=1_000_000))]
    pub people: u64,
    /// Where to write each source's list (Records CSV v1) and the truth files.
    #[arg(long, value_name = "DIR", default_value = "recount-demo")]
    pub out: PathBuf,
    /// Skip the estimate (linkage only).
    #[arg(long)]
    pub no_estimate: bool,
    /// LCMCR chains for the estimate.
    #[arg(long, default_value_t = 4)]
    pub chains: usize,
    /// Print one JSON object instead of the report.
    #[arg(long)]
    pub json: bool,
}

pub fn run(global: &Global, args: Args) -> anyhow::Result<()> {
    if args.chains == 0 {
        return Err(bad_input("--chains must be at least 1"));
    }
    let mut store = open_demo_store(&global.db)?;
    let estimate = (!args.no_estimate).then(|| LcmcrConfig {
        seed: args.seed,
        chains: args.chains,
        ..LcmcrConfig::default()
    });
    // Two LCMCR runs: over the linked persons, and over the truth's patterns for comparison.
    let sweeps = estimate
        .as_ref()
        .map(|c| 2 * c.sweeps_per_chain() * c.chains as u64)
        .unwrap_or(0);
    let request = DemoRequest {
        seed: args.seed,
        people: args.people as usize,
        out: args.out.clone(),
        estimate,
    };
    let mut progress = Bar::new(sweeps);
    let report = recount_pipeline::demo::run(&mut store, &request, &mut progress)?;
    progress.0.finish_and_clear();
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json(&report, &global.db))?
        );
    } else {
        print!("{}", text(&report, &global.db));
    }
    for w in &report.link.warnings {
        eprintln!("warning: {w}");
    }
    Ok(())
}

/// A new database, or a fresh one in place of an earlier demo's; never someone's project.
fn open_demo_store(path: &Path) -> anyhow::Result<Store> {
    if path.exists() {
        let is_demo = {
            let store = Store::open(path)
                .with_context(|| format!("cannot open the project database {}", path.display()))?;
            is_demo_database(&store)?
        };
        if !is_demo {
            return Err(bad_input(format!(
                "{} holds sources the demo did not make; the demo never touches a real project: \
                 give it another database with --db demo.sqlite",
                path.display()
            )));
        }
        for suffix in ["", "-wal", "-shm"] {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            let p = PathBuf::from(p);
            if p.exists() {
                std::fs::remove_file(&p)
                    .with_context(|| format!("cannot replace the demo database {}", p.display()))?;
            }
        }
    }
    Store::create(path)
        .with_context(|| format!("cannot create the demo database {}", path.display()))
}

struct Bar(ProgressBar);

impl Bar {
    fn new(sweeps: u64) -> Bar {
        let pb = ProgressBar::with_draw_target(Some(sweeps), ProgressDrawTarget::stderr());
        if !std::io::stderr().is_terminal() {
            pb.set_draw_target(ProgressDrawTarget::hidden());
        }
        pb.set_style(
            ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {percent}% ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        pb.enable_steady_tick(Duration::from_millis(120));
        Bar(pb)
    }
}

impl LinkProgress for Bar {
    fn stage(&mut self, stage: &str) {
        self.0.set_message(stage.to_owned());
    }
}

impl DemoProgress for Bar {
    fn sweeps(&self, n: u64) {
        self.0.inc(n);
    }
}

fn json(r: &DemoReport, db: &Path) -> serde_json::Value {
    serde_json::json!({
        "label": r.label,
        "synthetic": true,
        "seed": r.seed,
        "database": db.display().to_string(),
        "true_population": r.true_population,
        "truly_documented": r.truly_documented,
        "documented": r.documented,
        "records": r.records,
        "sources": r.sources.iter().map(|s| serde_json::json!({
            "name": s.name,
            "dependency_group": s.dependency_group,
            "records": s.records,
            "file": s.file.display().to_string(),
        })).collect::<Vec<_>>(),
        "truth_file": r.truth_file.display().to_string(),
        "people_file": r.people_file.display().to_string(),
        "linkage": {
            "precision": r.linkage.precision,
            "recall": r.linkage.recall,
            "f1": r.linkage.f1,
            "true_pairs": r.linkage.true_pairs,
            "linked_pairs": r.linkage.linked_pairs,
            "correct_pairs": r.linkage.correct_pairs,
            "persons": r.link.persons,
            "candidate_pairs": r.link.candidate_pairs,
            "review_queue": r.link.review_queue,
            "clustering": r.link.clustering_method,
            "training": if r.link.training_failure.is_none() { "trained" } else { "kept_previous" },
        },
        "lists": r.lists,
        "estimate": r.estimate.as_ref().map(|e| {
            let mut v = interval_json(e, r.true_population);
            v["method"] = serde_json::json!(e.method);
            v["warnings"] = serde_json::json!(e.warnings);
            v
        }),
        "estimate_refused": r.estimate_refused,
        "estimate_true_linkage": r
            .estimate_true_linkage
            .as_ref()
            .map(|e| interval_json(e, r.true_population)),
        "warnings": r.link.warnings,
    })
}

/// Whether an estimate's interval holds the world's true population.
fn holds_truth(e: &EstimateResult, truth: u64) -> bool {
    (e.estimate.lower..=e.estimate.upper).contains(&(truth as f64))
}

/// An estimate's median, interval and level, and whether the interval holds the truth.
fn interval_json(e: &EstimateResult, truth: u64) -> serde_json::Value {
    serde_json::json!({
        "median": e.estimate.median,
        "lower": e.estimate.lower,
        "upper": e.estimate.upper,
        "level": e.estimate.level,
        "truth_inside_interval": holds_truth(e, truth),
    })
}

fn text(r: &DemoReport, db: &Path) -> String {
    let mut s = String::new();
    let dir = r
        .truth_file
        .parent()
        .map(|d| d.display().to_string())
        .unwrap_or_default();
    s.push_str(&format!("{}\n\n", r.label));
    s.push_str(&format!(
        "A synthetic world: {} people refused exit at the border or summoned, September 2022 – \
         March 2023.\n{} sources recorded {} of them in {} records (lists and truth in {dir}/):\n",
        n(r.true_population as f64),
        r.sources.len(),
        n(r.truly_documented as f64),
        n(r.records as f64),
    ));
    for src in &r.sources {
        let group = match &src.dependency_group {
            Some(g) if g != &src.name => format!("  (copies {g}: counted once)"),
            _ => String::new(),
        };
        s.push_str(&format!(
            "  {:<14} {:>6} records{group}\n",
            src.name,
            n(src.records as f64)
        ));
    }
    s.push_str(&format!(
        "\nImported into {} and linked: {} records → {} persons (truth: {} people documented).\n",
        db.display(),
        n(r.records as f64),
        n(r.documented as f64),
        n(r.truly_documented as f64),
    ));
    s.push_str(&format!(
        "Linkage against the truth (record pairs): precision {:.3}, recall {:.3}, F1 {:.3}; \
         {} uncertain pairs wait in `recount review`.\n",
        r.linkage.precision, r.linkage.recall, r.linkage.f1, r.link.review_queue
    ));
    match (&r.estimate, &r.estimate_refused) {
        (Some(e), _) => {
            let inside = holds_truth(e, r.true_population);
            s.push_str(&format!(
                "\nEstimated people affected (LCMCR over {} lists: {}):\n  {} ({:.0}% interval {} – {})\n  \
                 true number: {} — {} the interval\n",
                r.lists.len(),
                r.lists.join(", "),
                n(e.estimate.median),
                e.estimate.level * 100.0,
                n(e.estimate.lower),
                n(e.estimate.upper),
                n(r.true_population as f64),
                if inside { "inside" } else { "OUTSIDE" },
            ));
            for w in &e.warnings {
                s.push_str(&format!("  warning: {w}\n"));
            }
            if let Some(t) = &r.estimate_true_linkage {
                s.push_str(&format!(
                    "  with perfect linkage (the truth's capture patterns) the same model gives {} \
                     ({} – {}): the difference is linkage error\n",
                    n(t.estimate.median),
                    n(t.estimate.lower),
                    n(t.estimate.upper),
                ));
            }
        }
        (None, Some(why)) => s.push_str(&format!("\nNo estimate: {why}\n")),
        (None, None) => {}
    }
    s.push_str(&format!(
        "\nNext: `recount serve --db {0}` (the desk), `recount review --db {0}`, \
         `recount estimate --db {0} --by month`.\n",
        db.display()
    ));
    s
}
