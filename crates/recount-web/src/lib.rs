//! The documentation desk: web pages, accounts and the JSON API.
