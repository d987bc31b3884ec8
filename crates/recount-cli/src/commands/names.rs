//! `recount names explain|compare`: why two names do or do not match.

use super::Global;
use crate::exit::bad_input;
use anyhow::Context;
use recount_names::{NameLevel, PreparedName, compare};
use std::path::{Path, PathBuf};

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Parse a name and show its parts, their roles and keys.
    #[command(after_help = "\
Examples:
  recount names explain 'Асанов Бекболат Жумабекович'
  recount names explain 'Bekbolot Asan uulu' --json")]
    Explain(ExplainArgs),
    /// Compare two names (level, per-part alignment, why), or a file of pairs.
    #[command(after_help = "\
Levels, strongest first: exact, transliteration, skeleton, alias_or_morphology, fuzzy_high,
phonetic_or_compound, fuzzy_low, different, missing.

Examples:
  recount names compare 'Асанов Бекболат' 'Bekbolot Asan uulu'
  recount names compare 'Valentin Ivanov' 'Valentina Ivanova' --json
  recount names compare --pairs pairs.csv --out levels.csv   # columns a,b in; a level column added")]
    Compare(CompareArgs),
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The name as written, in any script and order.
    pub name: String,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// The first name.
    #[arg(required_unless_present = "pairs", conflicts_with = "pairs")]
    pub a: Option<String>,
    /// The second name.
    #[arg(required_unless_present = "pairs", conflicts_with = "pairs")]
    pub b: Option<String>,
    /// A CSV file with columns `a` and `b` (other columns are kept).
    #[arg(long, requires = "out")]
    pub pairs: Option<PathBuf>,
    /// Where to write the pairs with a `level` column added.
    #[arg(long, requires = "pairs")]
    pub out: Option<PathBuf>,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

pub fn run(_global: &Global, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Explain(a) => explain(a),
        Command::Compare(a) => match (a.pairs, a.out, a.a, a.b) {
            (Some(pairs), Some(out), _, _) => compare_file(&pairs, &out, a.json),
            (_, _, Some(x), Some(y)) => compare_two(&x, &y, a.json),
            _ => Err(bad_input(
                "give two names, or --pairs PAIRS.csv --out LEVELS.csv",
            )),
        },
    }
}

fn explain(args: ExplainArgs) -> anyhow::Result<()> {
    let n = PreparedName::parse(&args.name);
    let keys = n.blocking_keys();
    if args.json {
        let v = serde_json::json!({
            "name": args.name,
            "empty": n.is_empty(),
            "order": n.order(),
            "sex": n.sex(),
            "parts": n.parts(),
            "given_key": n.given_key(),
            "surname_key": n.surname_key(),
            "blocking_keys": keys,
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    println!("name:  {}", args.name);
    if n.is_empty() {
        println!("(no part that can be compared)");
    }
    let order = serde_json::to_value(n.order())?;
    println!(
        "order: {}   sex: {}",
        order.as_str().unwrap_or(""),
        n.sex().map_or("unknown", |s| s.as_str())
    );
    println!(
        "{:<20} {:<11} {:<17} {:<18} {:<18} {:<14} {:<10} alias",
        "part", "role", "why this role", "latin", "skeleton", "stem", "consonants"
    );
    for p in n.parts() {
        let hint = serde_json::to_value(p.hint)?;
        println!(
            "{:<20} {:<11} {:<17} {:<18} {:<18} {:<14} {:<10} {}",
            p.text,
            p.role.as_str(),
            hint.as_str().unwrap_or(""),
            p.latin,
            p.skeleton,
            p.stem,
            p.consonants,
            p.alias.unwrap_or("")
        );
    }
    println!("blocking keys: {}", keys.join(" "));
    Ok(())
}

fn compare_two(a: &str, b: &str, json: bool) -> anyhow::Result<()> {
    let c = compare(&PreparedName::parse(a), &PreparedName::parse(b));
    if json {
        let mut v = serde_json::to_value(&c)?;
        v["a"] = a.into();
        v["b"] = b.into();
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    println!(
        "level: {}{}",
        c.level,
        if c.reversed { " (order reversed)" } else { "" }
    );
    println!(
        "given: {}   family: {}   patronymic: {}",
        c.given, c.family, c.patronymic
    );
    for p in &c.alignment {
        let slot = serde_json::to_value(p.slot)?;
        println!(
            "  {:<11} {:<22} ~ {:<22} {:<21} {}",
            slot.as_str().unwrap_or(""),
            p.a.as_deref().unwrap_or("-"),
            p.b.as_deref().unwrap_or("-"),
            p.level.as_str(),
            p.reason
        );
    }
    Ok(())
}

fn compare_file(pairs: &Path, out: &Path, json: bool) -> anyhow::Result<()> {
    let file = pairs.display();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_path(pairs)
        .map_err(|e| bad_input(format!("{file}: cannot read the pairs file: {e}")))?;
    let headers = reader
        .headers()
        .map_err(|e| bad_input(format!("{file}: row 1: cannot read the header: {e}")))?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}').trim() == name)
            .ok_or_else(|| {
                bad_input(format!(
                    "{file}: row 1: missing column `{name}`; expected a header with columns a,b"
                ))
            })
    };
    let (ia, ib) = (column("a")?, column("b")?);
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let row = i + 2;
        let record = record.map_err(|e| bad_input(format!("{file}: row {row}: {e}")))?;
        rows.push(record);
    }
    let bar = indicatif::ProgressBar::new(rows.len() as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} pairs {per_sec}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let mut writer =
        csv::Writer::from_path(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut header: Vec<&str> = headers.iter().collect();
    header.push("level");
    writer.write_record(&header)?;
    let mut counts = std::collections::BTreeMap::new();
    for record in &rows {
        let level = recount_names::compare_level(
            &PreparedName::parse(record.get(ia).unwrap_or("")),
            &PreparedName::parse(record.get(ib).unwrap_or("")),
        );
        *counts.entry(level).or_insert(0usize) += 1;
        let mut fields: Vec<&str> = record.iter().collect();
        fields.push(level.as_str());
        writer.write_record(&fields)?;
        bar.inc(1);
    }
    writer
        .flush()
        .with_context(|| format!("cannot write {}", out.display()))?;
    bar.finish_and_clear();
    let by_level: serde_json::Map<String, serde_json::Value> = NameLevel::ALL
        .iter()
        .map(|l| {
            (
                l.as_str().to_string(),
                counts.get(l).copied().unwrap_or(0).into(),
            )
        })
        .collect();
    if json {
        let v = serde_json::json!({"pairs": rows.len(), "out": out.display().to_string(), "levels": by_level});
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        println!("compared {} pairs; wrote {}", rows.len(), out.display());
        for (l, n) in &by_level {
            println!("  {l:<21} {n}");
        }
    }
    Ok(())
}
