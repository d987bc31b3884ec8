//! One module per subcommand; each defines its `Args` (flags, help, an example) and `run`.

use std::path::PathBuf;

pub mod demo;
pub mod estimate;
pub mod export;
pub mod import;
pub mod init;
pub mod link;
pub mod names;
pub mod review;
pub mod serve;
pub mod user;

/// Options every subcommand sees.
#[derive(Debug)]
pub struct Global {
    pub db: PathBuf,
}

/// The error of a subcommand whose library part has not landed yet (environment, exit code 2).
pub fn not_built(command: &str) -> anyhow::Error {
    anyhow::anyhow!("`recount {command}` is not available in this build yet")
}
