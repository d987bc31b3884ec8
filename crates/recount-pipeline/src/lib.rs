//! The pipeline's named steps over a project database.
//!
//! Each step is a module with one entry function that takes the [`recount_store::Store`] and a
//! request struct, reads its inputs from the store (or a file), writes its outputs, and returns
//! a summary; data problems come back as located diagnostics, [`PipelineError`] is for the
//! environment. Steps: [`import`] (files → records), [`link`] (records → persons, scored pairs,
//! the review queue), [`estimate`] (persons → capture tables per stratum), [`export`] (records,
//! persons and capture histories → files), and [`demo`], which runs them all on a synthetic
//! world and measures the result against its truth.

pub mod demo;
pub mod estimate;
pub mod export;
pub mod import;
pub mod link;

use std::path::PathBuf;

/// Why a step could not run: the environment (disk, database), never the user's data, which
/// comes back as diagnostics in each step's outcome.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PipelineError {
    #[error(transparent)]
    Store(#[from] recount_store::StoreError),
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Export {
        path: PathBuf,
        #[source]
        source: recount_export::ExportError,
    },
    /// The demo's own generator produced data the pipeline refused (a bug to report).
    #[error("the demo failed: {0}")]
    Demo(String),
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}
