//! `recount`: the command-line shell over recount's library crates. It owns argv, stdout and exit
//! codes and nothing else: every step it runs lives in a library crate.
//!
//! Exit codes: 0 success, 1 the user's input is wrong, 2 the environment failed.

mod commands;
mod exit;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// recount: document, link, corroborate and count people stopped at borders and sent to war.
#[derive(Debug, Parser)]
#[command(name = "recount", version, about, long_about = None, after_help = "\
Examples:
  recount demo                          # a synthetic world, end to end
  recount init --db project.sqlite
  recount import hotline.csv --source hotline
  recount estimate --captures kosovo.csv --json")]
pub struct Cli {
    /// The project database: a SQLite file path.
    #[arg(
        long,
        global = true,
        env = "RECOUNT_DB",
        default_value = "recount.sqlite"
    )]
    pub db: PathBuf,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a project database.
    Init(commands::init::Args),
    /// Import records from a file (Records CSV v1, XLSX, JSON Lines, or any layout via a mapping).
    Import(commands::import::Args),
    /// Export records, persons or capture histories.
    Export(commands::export::Args),
    /// Build a synthetic world and run the whole pipeline on it.
    Demo(commands::demo::Args),
    /// Explain and compare person names across scripts.
    #[command(subcommand)]
    Names(commands::names::Command),
    /// Link records that describe the same person.
    Link(commands::link::Args),
    /// Review uncertain links in the terminal.
    Review(commands::review::Args),
    /// Estimate how many people no source recorded.
    Estimate(commands::estimate::Args),
    /// Manage accounts of the web desk.
    #[command(subcommand)]
    User(commands::user::Command),
    /// Serve the documentation desk.
    Serve(commands::serve::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp
                | clap::error::ErrorKind::DisplayVersion
                | clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(exit::BAD_INPUT),
            };
        }
    };
    let global = commands::Global { db: cli.db };
    let result = match cli.command {
        Command::Init(a) => commands::init::run(&global, a),
        Command::Import(a) => commands::import::run(&global, a),
        Command::Export(a) => commands::export::run(&global, a),
        Command::Demo(a) => commands::demo::run(&global, a),
        Command::Names(c) => commands::names::run(&global, c),
        Command::Link(a) => commands::link::run(&global, a),
        Command::Review(a) => commands::review::run(&global, a),
        Command::Estimate(a) => commands::estimate::run(&global, a),
        Command::User(c) => commands::user::run(&global, c),
        Command::Serve(a) => commands::serve::run(&global, a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => exit::report(&e),
    }
}
