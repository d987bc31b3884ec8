//! `recount import`: read a file of records into the project database, all or nothing.

use super::Global;
use crate::exit::bad_input;
use anyhow::Context;
use recount_import::TextEncoding;
use recount_pipeline::import::{ImportOutcome, ImportProgress, ImportRequest};
use recount_store::{ImportMode, SourceDeclaration, Store};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  recount import hotline.csv --source hotline
  recount import lawyers.csv                     # the file's `source` column names the source
  recount import anketa.xlsx --source diaspora --mapping anketa.toml
  recount import old.csv --source hotline --encoding windows-1251 --update --json
  recount import rferl.csv --source rferl --dependency-group wire-story
  recount import lawyers.csv --source lawyers --contains-duplicates

Formats by extension: .csv/.tsv/.txt (comma, semicolon or tab, sniffed from the header),
.xlsx/.xls/.ods, .jsonl/.ndjson. The source: --source files every record under NAME; if the
file also has a `source` column, every row must name the same source. Without --source, the
`source` column decides row by row (sources are created as needed).
--dependency-group puts the --source in a group of sources that share an origin (they count once
for corroboration); moving a source that is already in another group needs --update.
--contains-duplicates marks the --source as listing some people more than once (linkage may
then join two of its records).

Any problem (a bad value, an unknown column, a record_id used twice, a record that changed since
it was imported without --update) is reported with file, row, column and the expected form, and
nothing is imported (exit code 1). Importing the same file again changes nothing.
See docs/importing.md.")]
pub struct Args {
    /// The file to import.
    pub file: PathBuf,
    /// The source to file the records under (a hotline, a lawyers' collective, ...).
    #[arg(long, value_name = "NAME")]
    pub source: Option<String>,
    /// Put the --source in this dependency group: sources sharing an origin (outlets republishing
    /// one wire story) count once. Moving an existing source to another group needs --update.
    #[arg(long, value_name = "GROUP", requires = "source")]
    pub dependency_group: Option<String>,
    /// Mark the --source as one that may list a person more than once.
    #[arg(long, requires = "source")]
    pub contains_duplicates: bool,
    /// A TOML mapping file for other column names, value vocabularies and date forms.
    #[arg(long, value_name = "MAP.toml")]
    pub mapping: Option<PathBuf>,
    /// The file's text encoding (default: detected; UTF-8, or windows-1251 when unambiguous).
    #[arg(long, value_name = "ENCODING")]
    pub encoding: Option<String>,
    /// Replace records whose content changed since they were imported (otherwise an error).
    #[arg(long)]
    pub update: bool,
    /// How many problems to list (all are counted).
    #[arg(long, default_value_t = 100, value_name = "N")]
    pub max_problems: usize,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

struct Bar(indicatif::ProgressBar);

impl ImportProgress for Bar {
    fn advance(&mut self, bytes_read: u64, total: u64) {
        self.0.set_length(total);
        self.0.set_position(bytes_read);
    }
}

pub fn run(global: &Global, args: Args) -> anyhow::Result<()> {
    let encoding = match &args.encoding {
        None => None,
        Some(label) => Some(TextEncoding::from_label(label).ok_or_else(|| {
            bad_input(format!(
                "unknown encoding {label:?}; expected e.g. utf-8 or windows-1251"
            ))
        })?),
    };
    if !args.file.is_file() {
        return Err(bad_input(format!("no file {}", args.file.display())));
    }
    let mut store = Store::open(&global.db)
        .with_context(|| format!("cannot open the project database {}", global.db.display()))?;
    let request = ImportRequest {
        source: args.source.clone(),
        declare: SourceDeclaration {
            dependency_group: args.dependency_group.clone(),
            contains_duplicates: args.contains_duplicates.then_some(true),
        },
        mapping: args.mapping.clone(),
        encoding,
        mode: if args.update {
            ImportMode::Update
        } else {
            ImportMode::Strict
        },
        max_problems: args.max_problems,
        ..ImportRequest::new(&args.file)
    };
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {eta} left")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let mut progress = Bar(bar);
    let outcome = recount_pipeline::import::run(&mut store, &request, &mut progress)
        .with_context(|| format!("import of {} failed", args.file.display()))?;
    progress.0.finish_and_clear();
    let file = args.file.display().to_string();
    match outcome {
        ImportOutcome::Imported(s) => {
            if args.json {
                let out = serde_json::json!({
                    "file": file, "imported": true, "rows": s.rows, "inserted": s.inserted,
                    "updated": s.updated, "unchanged": s.unchanged, "problem_count": 0,
                    "problems": [],
                });
                println!("{out}");
            } else {
                println!(
                    "Imported {file}: {} rows ({} new, {} updated, {} unchanged)",
                    s.rows, s.inserted, s.updated, s.unchanged
                );
            }
            Ok(())
        }
        ImportOutcome::Rejected(problems) => {
            if args.json {
                let out = serde_json::json!({
                    "file": file, "imported": false, "problem_count": problems.total(),
                    "problems": problems.shown(),
                });
                println!("{out}");
            } else {
                eprint!("{problems}");
            }
            Err(bad_input(format!(
                "{} problem{} in {file}; nothing was imported",
                problems.total(),
                if problems.total() == 1 { "" } else { "s" }
            )))
        }
    }
}
