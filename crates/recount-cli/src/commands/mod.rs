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

/// A whole number with thousands separators: 10,356.
pub(crate) fn thousands(x: f64) -> String {
    let s = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if x < 0.0 { format!("-{out}") } else { out }
}
