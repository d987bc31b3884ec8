//! Handler tests through the router: each builds a real project database in a temp directory,
//! real accounts, and sends requests with `oneshot`.

mod estimates;
pub(crate) mod harness;
mod linkage;
mod pages;
mod security;
