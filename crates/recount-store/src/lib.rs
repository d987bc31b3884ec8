//! The project database. All SQL lives in this crate.
