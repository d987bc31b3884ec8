//! How diverse the names behind a linkage benchmark set are: distinct names and true namesakes
//! (different people with the same full name, and the same birth year or date) among the
//! people of `duplicated_records(SEED, RECORDS)`, overall and by naming tradition.
//!
//! `cargo run --release -p recount-synth --example name_diversity -- [RECORDS] [SEED]`
//! (defaults: 1,000,000 records, seed 7, the set `link_synth duplicated` links).
//!
//! The full name is the national given name, surname and the Russian patronymic every person has
//! (a Russian document's form of the father's name); "namesakes" counts the people who share
//! theirs with at least one other person.

use recount_synth::{Nationality, TruePerson, for_each_duplicated_person};
use std::collections::HashMap;
use std::time::Instant;

#[derive(Default)]
struct Tally {
    people: usize,
    given: HashMap<String, usize>,
    family: HashMap<String, usize>,
    full: HashMap<(String, String, String), usize>,
    full_year: HashMap<(String, String, String, u16), usize>,
    full_date: HashMap<(String, String, String, String), usize>,
}

impl Tally {
    fn add(&mut self, p: &TruePerson) {
        self.people += 1;
        *self.given.entry(p.given_name.clone()).or_default() += 1;
        *self.family.entry(p.family_name.clone()).or_default() += 1;
        let full = (
            p.given_name.clone(),
            p.family_name.clone(),
            p.russian_patronymic.clone(),
        );
        *self
            .full_year
            .entry((
                full.0.clone(),
                full.1.clone(),
                full.2.clone(),
                p.birth_date.year(),
            ))
            .or_default() += 1;
        *self
            .full_date
            .entry((
                full.0.clone(),
                full.1.clone(),
                full.2.clone(),
                p.birth_date.to_string(),
            ))
            .or_default() += 1;
        *self.full.entry(full).or_default() += 1;
    }

    fn print(&self, label: &str) {
        fn shared<K>(m: &HashMap<K, usize>) -> usize {
            m.values().filter(|&&n| n > 1).sum()
        }
        let pct = |n: usize| 100.0 * n as f64 / self.people.max(1) as f64;
        let top_family = self.family.values().max().copied().unwrap_or(0);
        println!(
            "{label:<8} {:>8} {:>7} {:>8} {:>9} {:>9} {:>6.1}% {:>6.1}% {:>6.2}% {:>6.2}%",
            self.people,
            self.given.len(),
            self.family.len(),
            self.full.len(),
            self.full_year.len(),
            pct(top_family),
            pct(shared(&self.full)),
            pct(shared(&self.full_year)),
            pct(shared(&self.full_date)),
        );
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let records: usize = args
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let seed: u64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(7);
    let t = Instant::now();
    let mut all = Tally::default();
    let mut by: Vec<(Nationality, Tally)> = Nationality::ALL
        .iter()
        .map(|n| (*n, Tally::default()))
        .collect();
    for_each_duplicated_person(seed, records, |p| {
        all.add(p);
        if let Some((_, t)) = by.iter_mut().find(|(n, _)| *n == p.nationality) {
            t.add(p);
        }
    });
    println!(
        "people behind duplicated_records({seed}, {records}), counted in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    println!(
        "{:<8} {:>8} {:>7} {:>8} {:>9} {:>9} {:>7} {:>7} {:>7} {:>7}",
        "",
        "people",
        "given",
        "surnames",
        "full",
        "full+year",
        "top-sur",
        "ns-full",
        "ns-year",
        "ns-date"
    );
    all.print("all");
    for (n, t) in &by {
        t.print(&format!("{n:?}"));
    }
    println!(
        "given/surnames/full: distinct given names, surnames, (given, surname, patronymic); \
         full+year: distinct full names with birth year; top-sur: share of the commonest surname; \
         ns-*: share of people whose full name (and birth year / birth date) another person has"
    );
}
