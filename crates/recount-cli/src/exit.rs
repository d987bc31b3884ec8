//! Exit codes and how errors reach the terminal.

use std::fmt;
use std::process::ExitCode;

/// The user's input is wrong: a bad file, value or flag.
pub const BAD_INPUT: u8 = 1;
/// The environment failed: disk, database, a missing file we were told to read.
pub const ENVIRONMENT: u8 = 2;

/// Marks an error as the user's input being wrong (exit code 1). Every other error is taken to be
/// the environment's (exit code 2).
#[derive(Debug)]
pub struct BadInput(pub String);

impl fmt::Display for BadInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadInput {}

/// A bad-input error with a message.
pub fn bad_input(message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(BadInput(message.into()))
}

/// Prints the error chain and chooses the exit code.
pub fn report(e: &anyhow::Error) -> ExitCode {
    eprintln!("error: {e:#}");
    if e.chain().any(|c| c.is::<BadInput>()) {
        ExitCode::from(BAD_INPUT)
    } else {
        ExitCode::from(ENVIRONMENT)
    }
}
