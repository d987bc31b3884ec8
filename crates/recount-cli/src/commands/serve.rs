//! `recount serve`: the documentation desk in a browser.

use super::Global;
use anyhow::Context;
use std::net::SocketAddr;

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  recount user add aida --role admin        # first, an account
  recount serve                             # http://127.0.0.1:8080
  recount serve --listen 0.0.0.0:8080 --tls-proxy

Serve on a public address only behind a TLS proxy (nginx, caddy) and say so with --tls-proxy:
session cookies are then marked Secure and browsers told to use HTTPS only.")]
pub struct Args {
    /// The address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// A TLS proxy serves the desk over HTTPS: mark cookies Secure and send HSTS.
    #[arg(long)]
    pub tls_proxy: bool,
    /// The largest upload accepted, in megabytes.
    #[arg(long, default_value_t = 20)]
    pub upload_limit_mb: usize,
}

pub fn run(global: &Global, args: Args) -> anyhow::Result<()> {
    if !global.db.is_file() {
        anyhow::bail!(
            "no project database at {}; create one with `recount init --db {}`",
            global.db.display(),
            global.db.display()
        );
    }
    let settings = recount_web::Settings {
        tls: args.tls_proxy,
        upload_limit: args.upload_limit_mb.max(1) * 1024 * 1024,
        ..Default::default()
    };
    recount_web::serve(&global.db, args.listen, settings)
        .with_context(|| format!("the desk on {} stopped", args.listen))
}
