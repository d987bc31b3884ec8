//! `recount user`: accounts of the web desk.

use super::Global;
use recount_store::accounts::Role;

#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Create an account. The password comes from RECOUNT_PASSWORD or a prompt.
    #[command(after_help = "\
Examples:
  recount user add aida --role admin
  RECOUNT_PASSWORD='a long passphrase' recount user add vera --role viewer

Roles: admin (everything, and the audit log), analyst (import, search, review, estimate,
export), viewer (published estimates only; never a name).")]
    Add(AddArgs),
}

#[derive(Debug, clap::Args)]
pub struct AddArgs {
    /// The user name to log in with.
    pub name: String,
    /// admin, analyst or viewer.
    #[arg(long, value_parser = parse_role)]
    pub role: Role,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

fn parse_role(s: &str) -> Result<Role, String> {
    s.parse()
}

pub fn run(global: &Global, command: Command) -> anyhow::Result<()> {
    match command {
        Command::Add(args) => add(global, args),
    }
}

fn add(global: &Global, args: AddArgs) -> anyhow::Result<()> {
    let password = match std::env::var("RECOUNT_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            let first = rpassword::prompt_password(format!("Password for {}: ", args.name))?;
            let again = rpassword::prompt_password("The same password again: ")?;
            if first != again {
                return Err(crate::exit::bad_input("the two passwords differ"));
            }
            first
        }
    };
    let id = match recount_web::add_user(&global.db, &args.name, args.role, &password) {
        Ok(id) => id,
        Err(recount_web::WebError::Account(message)) => {
            return Err(crate::exit::bad_input(message));
        }
        Err(e) => return Err(e.into()),
    };
    if args.json {
        let out = serde_json::json!({ "id": id.0, "name": args.name, "role": args.role.as_str() });
        println!("{out}");
    } else {
        println!(
            "created {} ({}) in {}",
            args.name,
            args.role,
            global.db.display()
        );
    }
    Ok(())
}
