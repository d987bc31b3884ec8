//! `recount export`: records, persons or capture histories to a file.

use super::Global;
use crate::exit::bad_input;
use anyhow::Context;
use recount_export::ExportFormat;
use recount_pipeline::export::{CaptureRequest, CapturesOutcome, Period};
use recount_store::Store;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum What {
    /// Every record, in Records CSV v1 columns.
    Records,
    /// Which person each linked record belongs to: source,record_id,person_id.
    Persons,
    /// Capture histories of linked persons per stratum, in the estimation CSV format.
    Captures,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatArg {
    Csv,
    Parquet,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ByArg {
    /// One table, no stratum column.
    All,
    Year,
    Month,
    /// By the event's place (normalised across scripts).
    Place,
}

impl ByArg {
    /// The pipeline's stratification for this flag value.
    pub fn period(self) -> Period {
        match self {
            ByArg::All => Period::All,
            ByArg::Year => Period::Year,
            ByArg::Month => Period::Month,
            ByArg::Place => Period::Place,
        }
    }
}

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  recount export records --out records.csv
  recount export persons --out persons.parquet --format parquet
  recount export captures --out captures.csv --event exit_refused --by month
  recount estimate --captures captures.csv         # an export with --by all

Versions: CSV exports have a fixed, documented column order (records: Records CSV v1; persons:
source,record_id,person_id; captures: [stratum,]LIST...,count); Parquet files carry
recount.format and recount.format_version in their metadata. Cells of CSV exports that a
spreadsheet would run as formulas (starting with =, +, -, @) get a leading '.
Capture lists are the sources' dependency groups (sources sharing a group count as one list).")]
pub struct Args {
    /// What to export.
    #[arg(value_enum)]
    pub what: What,
    /// The file to write (replaced only once complete).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// The file format (default: from the file name, .parquet → parquet, else csv).
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    /// Captures: only records of this event term.
    #[arg(long, value_name = "TERM")]
    pub event: Option<String>,
    /// Captures: the time strata, by the event's start date.
    #[arg(long, value_enum, default_value_t = ByArg::All)]
    pub by: ByArg,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(global: &Global, args: Args) -> anyhow::Result<()> {
    let format = match args.format {
        Some(FormatArg::Csv) => ExportFormat::Csv,
        Some(FormatArg::Parquet) => ExportFormat::Parquet,
        None if args
            .out
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("parquet")) =>
        {
            ExportFormat::Parquet
        }
        None => ExportFormat::Csv,
    };
    if args.what == What::Captures && format == ExportFormat::Parquet {
        return Err(bad_input(
            "captures are exported as CSV only (the estimation format)",
        ));
    }
    if args.what != What::Captures && (args.event.is_some() || args.by != ByArg::All) {
        return Err(bad_input(
            "--event and --by apply to `recount export captures` only",
        ));
    }
    let store = Store::open(&global.db)
        .with_context(|| format!("cannot open the project database {}", global.db.display()))?;
    let out = args.out.display().to_string();
    let (rows, extra) = match args.what {
        What::Records => (
            recount_pipeline::export::records(&store, &args.out, format)?,
            None,
        ),
        What::Persons => (
            recount_pipeline::export::persons(&store, &args.out, format)?,
            None,
        ),
        What::Captures => {
            if let Some(term) = &args.event
                && store.event_vocabulary()?.term(term).is_err()
            {
                return Err(bad_input(format!(
                    "{term:?} is not in the project's event vocabulary"
                )));
            }
            let by = args.by.period();
            let request = CaptureRequest {
                event: args.event.clone(),
                by,
            };
            match recount_pipeline::export::captures(&store, &args.out, &request)? {
                CapturesOutcome::Written {
                    lists,
                    strata,
                    persons,
                } => (persons, Some((lists, strata))),
                CapturesOutcome::NoPersons => {
                    return Err(bad_input(
                        "no record has been linked to a person yet; run `recount link` first",
                    ));
                }
            }
        }
    };
    let what = match args.what {
        What::Records => "records",
        What::Persons => "record-person rows",
        What::Captures => "persons",
    };
    if args.json {
        let mut v = serde_json::json!({ "what": format!("{:?}", args.what).to_lowercase(), "out": out, "rows": rows });
        if let Some((lists, strata)) = &extra {
            v["lists"] = serde_json::json!(lists);
            v["strata"] = serde_json::json!(strata);
        }
        println!("{v}");
    } else if let Some((lists, strata)) = extra {
        println!(
            "Wrote {out}: {rows} {what} in {strata} strata over lists {}",
            lists.join(", ")
        );
    } else {
        println!("Wrote {out}: {rows} {what}");
    }
    Ok(())
}
