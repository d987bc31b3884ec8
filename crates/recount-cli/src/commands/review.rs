//! `recount review`: the uncertain pairs linkage queued, side by side with the weight of each
//! comparison; decisions are stored with who and when, and linkage re-runs with them as hard
//! constraints and training labels.

use super::Global;
use crate::exit::bad_input;
use anyhow::Context;
use recount_link::Verdict;
use recount_pipeline::link::LinkRequest;
use recount_store::Store;
use recount_store::desk::PairView;
use recount_types::{RECORDS_CSV_V1_COLUMNS, RecordId};
use std::io::{BufRead, IsTerminal, Write};

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  recount review                                  # decide pairs one by one: s / d / u / k / q
  recount review --list --json                    # the queue, for scripts
  recount review --decide 12 40 same --reviewer aigul
  recount review --no-relink                      # record decisions; link later

The queue holds the pairs whose decision would change the persons most, as the last
`recount link` ordered them. Each decision is stored with the reviewer and the time (decisions
are never edited: a later one overrides an earlier one). When you finish, linkage runs again
with every decision as a constraint, so the persons change at once.")]
pub struct Args {
    /// Print the queue instead of asking.
    #[arg(long)]
    pub list: bool,
    /// Record one decision: two record ids (as the queue shows them) and same, different or
    /// unsure.
    #[arg(long, num_args = 3, value_names = ["RECORD_A", "RECORD_B", "DECISION"], conflicts_with = "list")]
    pub decide: Option<Vec<String>>,
    /// Who decides (stored with each decision; default: $USER).
    #[arg(long, value_name = "NAME")]
    pub reviewer: Option<String>,
    /// At most this many pairs to show.
    #[arg(long, default_value_t = 20)]
    pub limit: u64,
    /// Do not re-run linkage after recording decisions.
    #[arg(long)]
    pub no_relink: bool,
    /// Print JSON (with --list, or a summary after deciding).
    #[arg(long)]
    pub json: bool,
}

pub fn run(global: &Global, args: Args) -> anyhow::Result<()> {
    let mut store = Store::open(&global.db)
        .with_context(|| format!("cannot open the project database {}", global.db.display()))?;
    if store.linkage_runs()? == 0 {
        return Err(bad_input(
            "nothing to review: run `recount link` first (it queues the uncertain pairs)",
        ));
    }
    let reviewer = args
        .reviewer
        .clone()
        .or_else(|| std::env::var("USER").ok())
        .filter(|r| !r.trim().is_empty())
        .unwrap_or_else(|| "cli".to_owned());

    if args.list {
        let (queue, total) = store.review_queue(args.limit)?;
        return print_queue(&store, &queue, total, args.json);
    }
    let decided = if let Some(d) = &args.decide {
        let a = parse_id(&d[0])?;
        let b = parse_id(&d[1])?;
        let verdict: Verdict = d[2].parse().map_err(bad_input)?;
        if a == b {
            return Err(bad_input("a record cannot be paired with itself"));
        }
        if store.records_by_ids(&[a, b])?.len() != 2 {
            return Err(bad_input(format!(
                "no record with id {} in the project database",
                if store.records_by_ids(&[a])?.is_empty() {
                    a.0
                } else {
                    b.0
                }
            )));
        }
        record(&mut store, a, b, verdict, &reviewer)?;
        1
    } else {
        interactive(&mut store, &args, &reviewer)?
    };

    let relinked = if decided > 0 && !args.no_relink {
        let outcome = recount_pipeline::link::run(&mut store, &LinkRequest::default(), &mut ())?;
        Some(outcome)
    } else {
        None
    };
    if args.json {
        let v = serde_json::json!({
            "decisions": decided,
            "relinked": relinked.is_some(),
            "persons": relinked.as_ref().map(|o| o.persons),
            "review_queue": relinked.as_ref().map(|o| o.review_queue),
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        println!("{decided} decision(s) recorded as {reviewer}.");
        if let Some(o) = &relinked {
            println!(
                "Linked again: {} records → {} persons; {} pair(s) wait for review.",
                o.records, o.persons, o.review_queue
            );
        }
    }
    Ok(())
}

fn parse_id(s: &str) -> anyhow::Result<RecordId> {
    s.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .map(RecordId)
        .ok_or_else(|| bad_input(format!("{s:?} is not a record id (a positive number)")))
}

/// Stores a decision on the pair in canonical order; the database stamps the time.
fn record(
    store: &mut Store,
    a: RecordId,
    b: RecordId,
    v: Verdict,
    who: &str,
) -> anyhow::Result<()> {
    let (a, b) = if a.0 < b.0 { (a, b) } else { (b, a) };
    store.add_review_decision(a, b, v.as_str(), who)?;
    Ok(())
}

fn interactive(store: &mut Store, args: &Args, reviewer: &str) -> anyhow::Result<u64> {
    let (queue, total) = store.review_queue(args.limit)?;
    if queue.is_empty() {
        println!("The review queue is empty.");
        return Ok(0);
    }
    let terminal = std::io::stdin().is_terminal();
    println!(
        "{total} pair(s) wait for review; showing {}. Answer s (same person), d (different), \
         u (unsure), k (skip), q (quit).",
        queue.len()
    );
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut decided = 0;
    for (n, pair) in queue.iter().enumerate() {
        print!("\n[{}/{}] ", n + 1, queue.len());
        show_pair(store, pair)?;
        let verdict = loop {
            print!("same / different / unsure / skip / quit [s/d/u/k/q]? ");
            std::io::stdout().flush()?;
            let Some(line) = lines.next() else {
                return Ok(decided);
            };
            let line = line?;
            match line.trim() {
                "k" | "skip" => break None,
                "q" | "quit" => return Ok(decided),
                other => match other.parse::<Verdict>() {
                    Ok(v) => break Some(v),
                    Err(e) if terminal => println!("{e}"),
                    Err(e) => return Err(bad_input(e)),
                },
            }
        };
        if let Some(v) = verdict {
            record(store, pair.a, pair.b, v, reviewer)?;
            decided += 1;
        }
    }
    Ok(decided)
}

fn show_pair(store: &Store, pair: &PairView) -> anyhow::Result<()> {
    let records = store.records_by_ids(&[pair.a, pair.b])?;
    let (Some(a), Some(b)) = (
        records.iter().find(|r| r.id == pair.a),
        records.iter().find(|r| r.id == pair.b),
    ) else {
        println!("(a record of this pair is gone)");
        return Ok(());
    };
    println!(
        "records {} and {}: match probability {:.3}",
        pair.a.0, pair.b.0, pair.score
    );
    let (ra, rb) = (a.record.to_csv_v1_row(), b.record.to_csv_v1_row());
    println!("  {:<14} {:<34} B", "", "A");
    for (i, col) in RECORDS_CSV_V1_COLUMNS.iter().enumerate() {
        if ra[i].is_empty() && rb[i].is_empty() || *col == "quote" || *col == "notes" {
            continue;
        }
        let mark = if ra[i] == rb[i] { " " } else { "≠" };
        println!("{mark} {col:<14} {:<34} {}", clip(&ra[i]), clip(&rb[i]));
    }
    let weights: Vec<String> = pair
        .weights
        .iter()
        .filter(|(_, w)| w.abs() >= 0.005)
        .map(|(k, w)| format!("{k} {w:+.2}"))
        .collect();
    println!("  weights (bits): {}", weights.join(", "));
    Ok(())
}

fn clip(s: &str) -> String {
    if s.chars().count() > 32 {
        let mut t: String = s.chars().take(31).collect();
        t.push('…');
        t
    } else {
        s.to_owned()
    }
}

fn print_queue(store: &Store, queue: &[PairView], total: u64, json: bool) -> anyhow::Result<()> {
    if json {
        let ids: Vec<RecordId> = queue.iter().flat_map(|p| [p.a, p.b]).collect();
        let records = store.records_by_ids(&ids)?;
        let describe = |id: RecordId| {
            records.iter().find(|r| r.id == id).map(|r| {
                serde_json::json!({
                    "id": id.0,
                    "source": r.record.source.as_str(),
                    "record_id": r.record.record_id,
                    "person": r.person.map(|p| p.0),
                })
            })
        };
        let items: Vec<serde_json::Value> = queue
            .iter()
            .map(|p| {
                serde_json::json!({
                    "record_a": p.a.0,
                    "record_b": p.b.0,
                    "a": describe(p.a),
                    "b": describe(p.b),
                    "match_probability": p.score,
                    "weights": p.weights.iter().map(|(k, w)| (k.clone(), serde_json::json!(w))).collect::<serde_json::Map<_, _>>(),
                })
            })
            .collect();
        let v = serde_json::json!({ "total": total, "pairs": items });
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    println!("{total} pair(s) wait for review.");
    for p in queue {
        println!();
        show_pair(store, p)?;
    }
    Ok(())
}
