//! The **block** step: several rules, each putting records that share a key into one block;
//! candidate pairs are the linkable pairs within blocks, merged over the rules without
//! duplicates. A block larger than the cap is skipped (its pairs would swamp the run) and
//! reported, never silently.

use crate::block_partial::{Periods, event_periods};
use crate::prepare::{Dataset, NONE, Pair};
use rayon::prelude::*;
use serde::Serialize;
use std::hash::{BuildHasher, Hash};

/// A blocking rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockingRule {
    /// Two name tokens' keys in common (any order, any script: the name engine's keys), or two
    /// tokens' consonant keys (the vowels drift between transliterations: Sobirov, Сабиров),
    /// and the birth year or the month and day of birth; a record without a birth year pairs
    /// on the names alone.
    NamePair,
    /// One name token's key and the full birth date in common, or, where one of the two knows
    /// only a birth year (or an age), that year.
    NameTokenBirthYear,
    /// The same full birth date and the same initial of one name part (catches names with
    /// typos in every part).
    BirthDateInitial,
    /// The same normalised residence, or one uncommon word of a residence of several words (a
    /// street number, a postcode), and one name part's key (catches a changed or misspelt other
    /// part, and records without a birth date).
    ResidenceNameToken,
    /// Two uncommon words of the normalised residence in common (a street number and a
    /// postcode, a street and a suburb): catches records whose names and birth dates both
    /// changed. A word is uncommon when at most a quarter of the block cap's records use it, so
    /// no block of this rule exceeds the cap.
    ResidenceWords,
    /// A partial name (a given name or a surname alone) and a record sharing one of its name
    /// parts' keys, with events within about a month (see `block_partial`).
    PartialNameEvent,
    /// The same document number.
    Document,
}

impl BlockingRule {
    pub const ALL: [BlockingRule; 7] = [
        BlockingRule::NamePair,
        BlockingRule::NameTokenBirthYear,
        BlockingRule::BirthDateInitial,
        BlockingRule::ResidenceNameToken,
        BlockingRule::ResidenceWords,
        BlockingRule::PartialNameEvent,
        BlockingRule::Document,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BlockingRule::NamePair => "name_pair",
            BlockingRule::NameTokenBirthYear => "name_token_and_birth_year",
            BlockingRule::BirthDateInitial => "birth_date_and_initial",
            BlockingRule::ResidenceNameToken => "residence_and_name_token",
            BlockingRule::ResidenceWords => "residence_words",
            BlockingRule::PartialNameEvent => "partial_name_and_event_time",
            BlockingRule::Document => "document",
        }
    }

    /// How a block of this rule larger than [`BlockingConfig::refine_above`] is split: by the
    /// event term and periods of the event's time. `None`: not split (the cap alone applies).
    pub(crate) fn refinement(self) -> Option<Periods> {
        match self {
            BlockingRule::NamePair
            | BlockingRule::NameTokenBirthYear
            | BlockingRule::BirthDateInitial => Some(Periods::MONTH),
            BlockingRule::PartialNameEvent => Some(Periods::WEEK),
            BlockingRule::ResidenceNameToken
            | BlockingRule::ResidenceWords
            | BlockingRule::Document => None,
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            BlockingRule::NamePair => {
                "two name parts agree on their name-engine key (alias group or stem; any order, any script), and the birth year or the day of the year (records without a birth year: the name alone)"
            }
            BlockingRule::NameTokenBirthYear => {
                "one name part agrees on its name-engine key, and the full birth date, or the birth year where one record knows only that"
            }
            BlockingRule::BirthDateInitial => {
                "the same full birth date and the same initial of one name part"
            }
            BlockingRule::ResidenceNameToken => "the same residence and one name part's key",
            BlockingRule::ResidenceWords => "two uncommon words of the residence in common",
            BlockingRule::PartialNameEvent => {
                "a partial name (given name or surname alone) and a record sharing one name part's key and the event, within about a month"
            }
            BlockingRule::Document => "the same document number",
        }
    }
}

/// Limits of the block step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockingConfig {
    /// Blocks (after splitting) with more records than this are skipped and reported.
    pub max_block_size: usize,
    /// A block of a name or birth-date rule with more records than this is split by the event
    /// term and time (see [`BlockingRule::refinement`]): a common name pairs only with
    /// records of an event about the same time.
    pub refine_above: usize,
}

impl Default for BlockingConfig {
    fn default() -> Self {
        BlockingConfig {
            max_block_size: 1000,
            refine_above: 20,
        }
    }
}

impl BlockingConfig {
    /// The most records of one part of a split block.
    pub fn sub_block_cap(&self) -> usize {
        (self.refine_above * SUB_BLOCK_FACTOR).min(self.max_block_size.max(2))
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
    /// Blocks larger than `refine_above` split by the event's time.
    pub refined_blocks: u64,
    /// Members of split blocks without an event date (or with a vague one): they left those
    /// blocks.
    pub unrefined_records: u64,
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
    pub fn warnings(&self, cfg: BlockingConfig) -> Vec<String> {
        self.rules
            .iter()
            .filter(|r| r.skipped_blocks > 0)
            .map(|r| {
                let limit = if r.refined_blocks > 0 {
                    format!(
                        "over the size limit (a block over {} records is split by the event's time, and a part of it over {} records is skipped, as is any block over {} records)",
                        cfg.refine_above,
                        cfg.sub_block_cap(),
                        cfg.max_block_size,
                    )
                } else {
                    format!("larger than {} records", cfg.max_block_size)
                };
                format!(
                    "blocking rule `{}` skipped {} block(s) {limit} ({} records in all, the largest {} records): {} candidate pairs were not compared; those records are compared only through other rules",
                    r.rule, r.skipped_blocks, r.skipped_records, r.largest_skipped_block, r.skipped_pairs
                )
            })
            .collect()
    }
}

fn hasher() -> foldhash::fast::FixedState {
    foldhash::fast::FixedState::with_seed(0x7265_636f_756e_7421)
}

pub(crate) fn key_hash(parts: impl Hash) -> u64 {
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

/// Marks a block member that pairs only with the block's other (strong) members.
pub(crate) const WEAK: u32 = 1 << 31;

/// A record's birth years (its own, or a narrow range implied by an age, widened by a year on
/// each side when `widen`) and, with a full birth date, its month and day.
struct BirthKeys {
    years: Vec<u16>,
    month_day: Option<(u8, u8)>,
}

fn birth_keys(ds: &Dataset, i: usize, widen: bool) -> BirthKeys {
    match ds.birth[i] {
        Some(d) => BirthKeys {
            years: vec![d.year()],
            month_day: d.month().zip(d.day()),
        },
        None => match ds.implied_birth[i] {
            // A told age is often a year off (the teller's rounding, a birthday not yet
            // reached): one year more on each side where two name parts agree as well. With
            // one part, the widening made a million records' candidate pairs a fifth more
            // (46.5 M against 38.8 M) and found fewer true pairs (more blocks over the cap).
            (a, b) if a > 0 && b >= a && b - a <= 2 => BirthKeys {
                years: (a - u16::from(widen)..=b + u16::from(widen)).collect(),
                month_day: None,
            },
            _ => BirthKeys {
                years: Vec::new(),
                month_day: None,
            },
        },
    }
}

/// The most words of one residence that make keys.
const MAX_WORDS: usize = 8;

/// Per distinct normalised residence: its uncommon words (used by at most `limit` records).
fn residence_words(ds: &Dataset, limit: usize) -> Vec<Vec<&str>> {
    let words_of = |id: u32| -> Vec<&str> {
        let mut w: Vec<&str> = ds.places.get(id).unwrap_or("").split_whitespace().collect();
        w.sort_unstable();
        w.dedup();
        w
    };
    let mut uses = vec![0u32; ds.places.strings.len()];
    for &r in &ds.residence {
        if r != NONE {
            uses[r as usize] += 1;
        }
    }
    let mut df: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
    for (id, &n) in uses.iter().enumerate() {
        if n > 0 {
            for w in words_of(id as u32) {
                *df.entry(w).or_default() += n as usize;
            }
        }
    }
    uses.iter()
        .enumerate()
        .map(|(id, &n)| {
            if n == 0 {
                return Vec::new();
            }
            let mut w: Vec<&str> = words_of(id as u32)
                .into_iter()
                .filter(|w| df[w] <= limit)
                .collect();
            // The rarest words first, so that a long address keeps its most telling words.
            w.sort_by_key(|w| (df[w], *w));
            w.truncate(MAX_WORDS);
            w
        })
        .collect()
}

fn rule_keys(
    ds: &Dataset,
    rule: BlockingRule,
    groups: &[&[String]],
    cap: usize,
) -> Vec<(u64, u32)> {
    let n = ds.len();
    let words = if matches!(
        rule,
        BlockingRule::ResidenceWords | BlockingRule::ResidenceNameToken
    ) {
        residence_words(ds, (cap / 4).max(2))
    } else {
        Vec::new()
    };
    let partial_names = matches!(rule, BlockingRule::PartialNameEvent)
        .then(|| crate::block_partial::PartialNameKeys::new(ds, groups));
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
                let birth = birth_keys(ds, i, true);
                let mut emit = |k: u64| {
                    // With a birth year, the name keys pair records born the same year or on
                    // the same day of the year; alone, they pair only with records that lack
                    // a birth year (so a common name does not make a giant block).
                    if birth.years.is_empty() {
                        out.push((key_hash((0u8, k)), r));
                    } else {
                        out.push((key_hash((0u8, k)), r | WEAK));
                        for &y in &birth.years {
                            out.push((key_hash((6u8, k, y)), r));
                        }
                        if let Some(md) = birth.month_day {
                            out.push((key_hash((7u8, k, md)), r));
                        }
                    }
                };
                if parts.len() == 1 {
                    emit(key_hash(parts[0].as_str()));
                }
                // The pairs of part keys, then the pairs of the parts' consonant keys (the
                // vowels of Sobirov and Сабиров drift between transliterations).
                let consonants = ds.names[id as usize]
                    .as_ref()
                    .map_or(&[][..], |f| &f.consonant_keys[..]);
                let consonants = &consonants[..consonants.len().min(MAX_PARTS)];
                // One part's key and the first letters of another part: a typo later in that
                // part (Влаислав, Кайратво) leaves the pair a key in common.
                let prefixes = ds.names[id as usize]
                    .as_ref()
                    .map_or(&[][..], |f| &f.part_prefixes[..]);
                for (x, key) in parts.iter().enumerate() {
                    for (y, prefix) in prefixes.iter().enumerate().take(parts.len()) {
                        if x != y && prefix.chars().count() == 3 {
                            emit(key_hash((2u8, key.as_str(), prefix.as_str())));
                        }
                    }
                }
                for (tag, keys) in [(0u8, parts), (1u8, consonants)] {
                    for x in 0..keys.len() {
                        for y in x + 1..keys.len() {
                            let (a, b) = (&keys[x], &keys[y]);
                            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
                            emit(key_hash((tag, lo.as_str(), hi.as_str())));
                        }
                    }
                }
            }
            BlockingRule::NameTokenBirthYear => {
                let id = ds.name[i];
                if id == NONE {
                    return;
                }
                let birth = birth_keys(ds, i, false);
                for k in groups[id as usize].iter().take(MAX_PARTS) {
                    // A full birth date pairs with the same full date, and (weakly) with
                    // records that know only the year (or an age).
                    match ds.birth[i].filter(|d| d.day().is_some()) {
                        Some(d) => {
                            out.push((key_hash((8u8, k.as_str(), d.first_day())), r));
                            for &y in &birth.years {
                                out.push((key_hash((1u8, k.as_str(), y)), r | WEAK));
                            }
                        }
                        None => {
                            for &y in &birth.years {
                                out.push((key_hash((1u8, k.as_str(), y)), r));
                            }
                        }
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
                // A residence of several words (an address) also pairs by each uncommon word:
                // one misspelt or missing word must not hide the rest.
                let w = &words[res as usize];
                let several = ds.places.get(res).is_some_and(|p| p.contains(' '));
                for k in groups[id as usize].iter().take(MAX_PARTS) {
                    out.push((key_hash((4u8, res, k.as_str())), r));
                    if several {
                        for word in w {
                            out.push((key_hash((10u8, *word, k.as_str())), r));
                        }
                    }
                }
            }
            BlockingRule::ResidenceWords => {
                let res = ds.residence[i];
                if res == NONE {
                    return;
                }
                let w = &words[res as usize];
                for x in 0..w.len() {
                    for y in x + 1..w.len() {
                        let (lo, hi) = if w[x] <= w[y] {
                            (w[x], w[y])
                        } else {
                            (w[y], w[x])
                        };
                        out.push((key_hash((5u8, lo, hi)), r));
                    }
                }
            }
            BlockingRule::PartialNameEvent => {
                if let Some(keys) = &partial_names {
                    keys.record_keys(i, out);
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
    sorted_per_record(n, per_record)
}

/// What `per_record` pushes for each of records `0..n` (run in parallel), sorted, without
/// repeats.
pub(crate) fn sorted_per_record<T: Ord + Send>(
    n: usize,
    per_record: impl Fn(usize, &mut Vec<T>) + Sync,
) -> Vec<T> {
    let mut out: Vec<T> = (0..n)
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
    out.par_sort_unstable();
    out.dedup();
    out
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
        let (mut pairs, mut report) = rule_pairs_with(ds, rule, &groups, cfg);
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

/// One rule's candidate pairs (sorted, distinct) and its report (`new_pairs` left at zero: it
/// depends on the rules run before). For measuring what each rule adds.
pub fn rule_pairs(
    ds: &Dataset,
    rule: BlockingRule,
    cfg: BlockingConfig,
) -> (Vec<Pair>, RuleReport) {
    let groups = name_key_groups(ds);
    let (pairs, report) = rule_pairs_with(ds, rule, &groups, cfg);
    (pairs.into_iter().map(decode).collect(), report)
}

fn rule_pairs_with(
    ds: &Dataset,
    rule: BlockingRule,
    groups: &[&[String]],
    cfg: BlockingConfig,
) -> (Vec<u64>, RuleReport) {
    let keys = rule_keys(ds, rule, groups, cfg.max_block_size);
    // Blocks: runs of one key with at least two members, the first strong (weak ones sort last).
    let blocks: Vec<&[(u64, u32)]> = keys
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|b| b.len() >= 2 && b[0].1 & WEAK == 0)
        .collect();
    let cap = cfg.max_block_size.max(2);
    let refine = rule.refinement().filter(|_| cfg.refine_above < cap);
    let sub_cap = cfg.sub_block_cap();
    let (mut pairs, mut report) = blocks
        .par_iter()
        .with_min_len(64)
        .fold(
            || (Vec::new(), RuleReport::default()),
            |(mut out, mut report), &block| {
                match refine {
                    Some(periods)
                        if block.len() > cfg.refine_above
                            && let Some((mut subs, unrefined)) =
                                split_by_event(ds, block, periods) =>
                    {
                        report.refined_blocks += 1;
                        report.unrefined_records += unrefined;
                        subs.sort_unstable();
                        for sub in subs.chunk_by(|a, b| a.0 == b.0) {
                            if sub.len() > sub_cap {
                                report.skip(sub.len());
                            } else {
                                block_pairs(ds, sub, &mut out);
                            }
                        }
                    }
                    _ if block.len() > cap => report.skip(block.len()),
                    _ => block_pairs(ds, block, &mut out),
                }
                compact(&mut out);
                (out, report)
            },
        )
        .reduce(
            || (Vec::new(), RuleReport::default()),
            |(mut a, ra), (mut b, rb)| {
                a.append(&mut b);
                compact(&mut a);
                (a, ra.add(rb))
            },
        );
    report.rule = rule.as_str();
    report.description = rule.description();
    report.blocks = blocks.len() as u64;
    drop(blocks);
    drop(keys);
    pairs.par_sort_unstable();
    pairs.dedup();
    report.pairs = pairs.len() as u64;
    (pairs, report)
}

/// Sorts `pairs` and drops repeats once they fill their allocation past [`COMPACT_FROM`]: one
/// pair is proposed by every key its two records share (a given name gives the partial-name
/// rule up to eight, see [`crate::name::NameFeatures::for_each_given_neighbour`]). When every
/// partial name gave them, holding each repeat until the rule ended took 100,000 duplicated
/// records' blocking half as much memory again.
fn compact(pairs: &mut Vec<u64>) {
    if pairs.len() >= COMPACT_FROM && pairs.len() == pairs.capacity() {
        pairs.sort_unstable();
        pairs.dedup();
        // Room to grow before the next pass, so that a list of distinct pairs is not sorted
        // again at every block.
        pairs.reserve(pairs.len());
    }
}

/// Below this many pairs a list is not compacted.
const COMPACT_FROM: usize = 1 << 16;

/// A part of a split block may have this many times `refine_above` records before it is
/// skipped: a common name with an event in the same weeks as hundreds of namesakes' events is
/// not told apart from them by comparing all of them.
const SUB_BLOCK_FACTOR: usize = 5;

/// A large block's members keyed by (event term, period) of their event, and how many members
/// have no such key. `None` where most members have none (a data set without event dates):
/// splitting would drop them, so the block is left whole.
fn split_by_event(
    ds: &Dataset,
    block: &[(u64, u32)],
    periods: Periods,
) -> Option<(Vec<(u64, u32)>, u64)> {
    let mut subs: Vec<(u64, u32)> = Vec::with_capacity(block.len() * 2);
    let mut unrefined = 0u64;
    for &(_, member) in block {
        let before = subs.len();
        event_periods(ds, (member & !WEAK) as usize, periods, &mut |event, p| {
            subs.push(((u64::from(event) << 32) | u64::from(p as u32), member))
        });
        unrefined += u64::from(subs.len() == before);
    }
    (unrefined * 2 <= block.len() as u64).then_some((subs, unrefined))
}

/// The linkable pairs of one block (or sub-block) whose members are sorted with the weak ones
/// last: each pair needs one strong member.
fn block_pairs<K>(ds: &Dataset, block: &[(K, u32)], out: &mut Vec<u64>) {
    let strong = block.partition_point(|k| k.1 & WEAK == 0);
    for x in 0..strong {
        for y in x + 1..block.len() {
            let (i, j) = (block[x].1, block[y].1 & !WEAK);
            if i != j && ds.may_link(i, j) {
                out.push(encode(Pair::new(i, j)));
            }
        }
    }
}

impl RuleReport {
    /// Counts one block (or part of a split block) of `size` records as skipped.
    fn skip(&mut self, size: usize) {
        let size = size as u64;
        self.skipped_blocks += 1;
        self.skipped_records += size;
        self.skipped_pairs += size * (size - 1) / 2;
        self.largest_skipped_block = self.largest_skipped_block.max(size);
    }

    /// The splits and skips of two sets of blocks of one rule together.
    fn add(self, o: RuleReport) -> RuleReport {
        RuleReport {
            refined_blocks: self.refined_blocks + o.refined_blocks,
            unrefined_records: self.unrefined_records + o.unrefined_records,
            skipped_blocks: self.skipped_blocks + o.skipped_blocks,
            skipped_records: self.skipped_records + o.skipped_records,
            skipped_pairs: self.skipped_pairs + o.skipped_pairs,
            largest_skipped_block: self.largest_skipped_block.max(o.largest_skipped_block),
            ..self
        }
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

#[cfg(test)]
mod tests;
