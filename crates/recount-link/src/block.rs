//! The **block** step: several rules, each putting records that share a key into one block;
//! candidate pairs are the linkable pairs within blocks, merged over the rules without
//! duplicates. A block larger than the cap is skipped (its pairs would swamp the run) and
//! reported, never silently.

use crate::prepare::{Dataset, NONE, Pair};
use rayon::prelude::*;
use serde::Serialize;
use std::hash::{BuildHasher, Hash};

/// A blocking rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockingRule {
    /// Two name tokens' keys in common (any order, any script: the name engine's keys).
    NamePair,
    /// One name token's key and the birth year in common.
    NameTokenBirthYear,
    /// The same full birth date and the same initial of one name part (catches names with
    /// typos in every part).
    BirthDateInitial,
    /// The same normalised residence and one name part's key (catches a changed or misspelt
    /// other part, and records without a birth date).
    ResidenceNameToken,
    /// The same document number.
    Document,
}

impl BlockingRule {
    pub const ALL: [BlockingRule; 5] = [
        BlockingRule::NamePair,
        BlockingRule::NameTokenBirthYear,
        BlockingRule::BirthDateInitial,
        BlockingRule::ResidenceNameToken,
        BlockingRule::Document,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BlockingRule::NamePair => "name_pair",
            BlockingRule::NameTokenBirthYear => "name_token_and_birth_year",
            BlockingRule::BirthDateInitial => "birth_date_and_initial",
            BlockingRule::ResidenceNameToken => "residence_and_name_token",
            BlockingRule::Document => "document",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            BlockingRule::NamePair => {
                "two name parts agree on their name-engine key (alias group or stem; any order, any script)"
            }
            BlockingRule::NameTokenBirthYear => {
                "one name part agrees on its name-engine key and the birth year is the same"
            }
            BlockingRule::BirthDateInitial => {
                "the same full birth date and the same initial of one name part"
            }
            BlockingRule::ResidenceNameToken => "the same residence and one name part's key",
            BlockingRule::Document => "the same document number",
        }
    }
}

/// Limits of the block step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockingConfig {
    /// Blocks with more records than this are skipped and reported.
    pub max_block_size: usize,
}

impl Default for BlockingConfig {
    fn default() -> Self {
        BlockingConfig {
            max_block_size: 1000,
        }
    }
}

/// What one rule did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RuleReport {
    pub rule: &'static str,
    pub description: &'static str,
    /// Blocks with at least two records.
    pub blocks: u64,
    /// Linkable pairs in the rule's blocks that were kept.
    pub pairs: u64,
    /// Of those, pairs no earlier rule produced.
    pub new_pairs: u64,
    pub skipped_blocks: u64,
    pub skipped_records: u64,
    pub skipped_pairs: u64,
    pub largest_skipped_block: u64,
}

/// The candidate pairs and what each rule contributed.
#[derive(Debug, Clone, Default)]
pub struct Blocking {
    /// Distinct candidate pairs, sorted.
    pub pairs: Vec<Pair>,
    pub rules: Vec<RuleReport>,
}

impl Blocking {
    /// One warning per rule that skipped blocks, saying what was not compared.
    pub fn warnings(&self, cap: usize) -> Vec<String> {
        self.rules
            .iter()
            .filter(|r| r.skipped_blocks > 0)
            .map(|r| {
                format!(
                    "blocking rule `{}` skipped {} block(s) larger than {} records ({} records in all, the largest {} records): {} candidate pairs were not compared; those records are compared only through other rules",
                    r.rule, r.skipped_blocks, cap, r.skipped_records, r.largest_skipped_block, r.skipped_pairs
                )
            })
            .collect()
    }
}

fn hasher() -> foldhash::fast::FixedState {
    foldhash::fast::FixedState::with_seed(0x7265_636f_756e_7421)
}

fn key_hash(parts: impl Hash) -> u64 {
    hasher().hash_one(parts)
}

/// Per distinct name: the name-engine keys of each core part.
fn name_key_groups(ds: &Dataset) -> Vec<&[String]> {
    ds.names
        .iter()
        .map(|f| f.as_ref().map_or(&[][..], |f| &f.part_keys[..]))
        .collect()
}

/// The most parts of one name that make keys (a very long name is not allowed to make a
/// quadratic number of pair keys).
const MAX_PARTS: usize = 5;

fn rule_keys(ds: &Dataset, rule: BlockingRule, groups: &[&[String]]) -> Vec<(u64, u32)> {
    let n = ds.len();
    let per_record = |i: usize, out: &mut Vec<(u64, u32)>| {
        let r = i as u32;
        match rule {
            BlockingRule::NamePair => {
                let id = ds.name[i];
                if id == NONE {
                    return;
                }
                let parts = groups[id as usize];
                let parts = &parts[..parts.len().min(MAX_PARTS)];
                if parts.len() == 1 {
                    out.push((key_hash((0u8, parts[0].as_str())), r));
                }
                for x in 0..parts.len() {
                    for y in x + 1..parts.len() {
                        let (a, b) = (&parts[x], &parts[y]);
                        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
                        out.push((key_hash((0u8, lo.as_str(), hi.as_str())), r));
                    }
                }
            }
            BlockingRule::NameTokenBirthYear => {
                let id = ds.name[i];
                if id == NONE {
                    return;
                }
                let years = match ds.birth[i] {
                    Some(d) => (d.year(), d.year()),
                    None => match ds.implied_birth[i] {
                        (0, _) => return,
                        (a, b) if b - a <= 2 => (a, b),
                        _ => return,
                    },
                };
                for k in groups[id as usize].iter().take(MAX_PARTS) {
                    for y in years.0..=years.1 {
                        out.push((key_hash((1u8, k.as_str(), y)), r));
                    }
                }
            }
            BlockingRule::BirthDateInitial => {
                let (id, Some(d)) = (ds.name[i], ds.birth[i]) else {
                    return;
                };
                if id == NONE || d.day().is_none() {
                    return;
                }
                for k in groups[id as usize].iter().take(MAX_PARTS) {
                    // Keys are `t:stem` or `a:alias`; the initial is the first letter after the colon.
                    if let Some(c) = k.split_once(':').and_then(|(_, v)| v.chars().next()) {
                        out.push((key_hash((3u8, d.first_day(), c)), r));
                    }
                }
            }
            BlockingRule::ResidenceNameToken => {
                let (id, res) = (ds.name[i], ds.residence[i]);
                if id == NONE || res == NONE {
                    return;
                }
                for k in groups[id as usize].iter().take(MAX_PARTS) {
                    out.push((key_hash((4u8, res, k.as_str())), r));
                }
            }
            BlockingRule::Document => {
                let d = ds.document[i];
                if d != NONE {
                    out.push((key_hash((2u8, d)), r));
                }
            }
        }
    };
    let mut keys: Vec<(u64, u32)> = (0..n)
        .into_par_iter()
        .with_min_len(8192)
        .fold(Vec::new, |mut out, i| {
            per_record(i, &mut out);
            out
        })
        .reduce(Vec::new, |mut a, mut b| {
            a.append(&mut b);
            a
        });
    keys.par_sort_unstable();
    keys.dedup();
    keys
}

fn encode(p: Pair) -> u64 {
    (u64::from(p.a) << 32) | u64::from(p.b)
}

fn decode(x: u64) -> Pair {
    Pair {
        a: (x >> 32) as u32,
        b: x as u32,
    }
}

/// Runs every rule and merges their candidate pairs.
pub fn block(ds: &Dataset, cfg: BlockingConfig) -> Blocking {
    let groups = name_key_groups(ds);
    let mut all: Vec<u64> = Vec::new();
    let mut reports = Vec::new();
    for rule in BlockingRule::ALL {
        let keys = rule_keys(ds, rule, &groups);
        let mut report = RuleReport {
            rule: rule.as_str(),
            description: rule.description(),
            ..RuleReport::default()
        };
        // Block boundaries.
        let mut bounds = Vec::new();
        let mut start = 0;
        for k in 1..=keys.len() {
            if k == keys.len() || keys[k].0 != keys[start].0 {
                if k - start >= 2 {
                    bounds.push((start, k));
                }
                start = k;
            }
        }
        report.blocks = bounds.len() as u64;
        let cap = cfg.max_block_size.max(2);
        type Spans = Vec<(usize, usize)>;
        let (kept, skipped): (Spans, Spans) = bounds.into_iter().partition(|(s, e)| e - s <= cap);
        for (s, e) in &skipped {
            let size = (e - s) as u64;
            report.skipped_blocks += 1;
            report.skipped_records += size;
            report.skipped_pairs += size * (size - 1) / 2;
            report.largest_skipped_block = report.largest_skipped_block.max(size);
        }
        let mut pairs: Vec<u64> = kept
            .par_iter()
            .with_min_len(64)
            .fold(Vec::new, |mut out, &(s, e)| {
                let block = &keys[s..e];
                for x in 0..block.len() {
                    for y in x + 1..block.len() {
                        let (i, j) = (block[x].1, block[y].1);
                        if i != j && ds.may_link(i, j) {
                            out.push(encode(Pair::new(i, j)));
                        }
                    }
                }
                out
            })
            .reduce(Vec::new, |mut a, mut b| {
                a.append(&mut b);
                a
            });
        drop(keys);
        pairs.par_sort_unstable();
        pairs.dedup();
        report.pairs = pairs.len() as u64;
        let new = count_missing(&pairs, &all);
        report.new_pairs = new;
        if all.is_empty() {
            all = pairs;
        } else if new > 0 {
            all.append(&mut pairs);
            all.par_sort_unstable();
            all.dedup();
        }
        reports.push(report);
    }
    Blocking {
        pairs: all.into_iter().map(decode).collect(),
        rules: reports,
    }
}

/// How many of `xs` (sorted, distinct) are not in `ys` (sorted, distinct).
fn count_missing(xs: &[u64], ys: &[u64]) -> u64 {
    let (mut j, mut missing) = (0, 0);
    for &x in xs {
        while j < ys.len() && ys[j] < x {
            j += 1;
        }
        if j >= ys.len() || ys[j] != x {
            missing += 1;
        }
    }
    missing
}
