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
