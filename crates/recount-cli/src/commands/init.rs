//! `recount init`: create the project database (or bring an existing one up to date).

use super::Global;
use anyhow::Context;
use recount_store::Store;

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  recount init                              # ./recount.sqlite
  recount init --db ~/cases/border.sqlite
  RECOUNT_DB=border.sqlite recount init

Running init on an existing project database is safe: it only applies the schema migrations
that database lacks.")]
pub struct Args {
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(global: &Global, args: Args) -> anyhow::Result<()> {
    let existed = global.db.exists();
    let store = if existed {
        Store::open(&global.db)
    } else {
        Store::create(&global.db)
    }
    .with_context(|| {
        format!(
            "cannot initialise the project database {}",
            global.db.display()
        )
    })?;
    let version = store.schema_version()?;
    if args.json {
        let out = serde_json::json!({
            "db": global.db.display().to_string(),
            "created": !existed,
            "schema_version": version,
            "backend": store.backend(),
        });
        println!("{out}");
    } else if existed {
        println!(
            "{} already exists; schema version {version}",
            global.db.display()
        );
    } else {
        println!(
            "Created project database {} (schema version {version})",
            global.db.display()
        );
    }
    Ok(())
}
