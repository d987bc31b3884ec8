//! The **clean** step as linkage needs it: records turned once into compact, comparable
//! features (interned names with their keys, dates, normalised places, documents), stored by
//! column so that comparing a pair allocates nothing.

use crate::name::NameFeatures;
use crate::place::normalise_place;
use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;
use recount_types::{CountryCode, PartialDate, Record, RecordKey, Sex, SourceName};
use std::collections::BTreeSet;

/// "No value" in an interned column.
pub const NONE: u32 = u32::MAX;

/// A record's position in a [`Dataset`] (the order records were pushed).
pub type RecordIndex = u32;

/// Two records in canonical order (the smaller index first), as HRDAG writes pairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Pair {
    pub a: RecordIndex,
    pub b: RecordIndex,
}

impl Pair {
    pub fn new(x: RecordIndex, y: RecordIndex) -> Pair {
        if x <= y {
            Pair { a: x, b: y }
        } else {
            Pair { a: y, b: x }
        }
    }
}

/// Strings interned to dense ids.
#[derive(Debug, Default)]
pub(crate) struct Pool {
    pub strings: Vec<Box<str>>,
    index: HashMap<Box<str>, u32>,
}

impl Pool {
    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.index.get(s) {
            return id;
        }
        let id = self.strings.len() as u32;
        self.strings.push(s.into());
        self.index.insert(s.into(), id);
        id
    }
    pub fn get(&self, id: u32) -> Option<&str> {
        (id != NONE).then(|| &*self.strings[id as usize])
    }
}

/// Which sources may list one person more than once (so that linkage may join two of their
/// records). Every other source is taken to list each person once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DedupePolicy {
    pub sources: BTreeSet<SourceName>,
}

impl DedupePolicy {
    /// The sources marked as containing duplicates.
    pub fn marked<'a>(sources: impl IntoIterator<Item = &'a recount_types::Source>) -> Self {
        DedupePolicy {
            sources: sources
                .into_iter()
                .filter(|s| s.contains_duplicates)
                .map(|s| s.name.clone())
                .collect(),
        }
    }

    /// The policy of the standalone contract: the named sources, or, when every record has the
    /// same source, that one source.
    pub fn standalone(
        named: impl IntoIterator<Item = SourceName>,
        record_sources: &BTreeSet<SourceName>,
    ) -> Self {
        let mut sources: BTreeSet<SourceName> = named.into_iter().collect();
        if record_sources.len() == 1 {
            sources.extend(record_sources.iter().cloned());
        }
        DedupePolicy { sources }
    }
}

/// Records prepared for linkage, by column.
#[derive(Debug)]
pub struct Dataset {
    pub(crate) sources: Vec<SourceName>,
    pub(crate) source_dedupe: Vec<bool>,
    pub(crate) source: Vec<u32>,
    pub(crate) record_id: Vec<Box<str>>,
    pub(crate) name: Vec<u32>,
    pub(crate) names: Vec<Option<NameFeatures>>,
    /// Per distinct name: how common its value is among the records (for term frequencies).
    pub(crate) name_freq: Vec<f32>,
    /// The average over named records of their name's frequency (Σ share²).
    pub(crate) name_freq_mean: f32,
    /// Per distinct name: the share of records whose given name (or, without one, surname)
    /// has the same key; what agreeing with a partial name is worth depends on it.
    pub(crate) part_freq: Vec<f32>,
    /// The average over named records of their `part_freq`.
    pub(crate) part_freq_mean: f32,
    pub(crate) birth: Vec<Option<PartialDate>>,
    /// Birth years implied by the age at the event: (first, last), or (0, 0).
    pub(crate) implied_birth: Vec<(u16, u16)>,
    pub(crate) sex: Vec<Option<Sex>>,
    pub(crate) birth_place: Vec<u32>,
    pub(crate) residence: Vec<u32>,
    /// Where the event happened (a crossing, a recruitment office), normalised like the
    /// other places.
    pub(crate) event_place: Vec<u32>,
    pub(crate) places: Pool,
    pub(crate) countries: Vec<u32>,
    pub(crate) origin: Vec<Option<CountryCode>>,
    pub(crate) country_sets: Vec<Vec<CountryCode>>,
    pub(crate) document: Vec<u32>,
    pub(crate) documents: Pool,
    pub(crate) event: Vec<u32>,
    pub(crate) events: Pool,
    /// The event's window as days since 1970 (first, last), or (i32::MIN, i32::MIN).
    pub(crate) event_window: Vec<(i32, i32)>,
    /// The id in `events` of the term `summoned`, or [`NONE`]: a summons is what other events
    /// follow (see the event comparison).
    pub(crate) summons: u32,
}

/// Builds a [`Dataset`] one record at a time (records need not all be in memory at once).
#[derive(Debug, Default)]
pub struct DatasetBuilder {
    source_index: HashMap<SourceName, u32>,
    sources: Vec<SourceName>,
    source: Vec<u32>,
    record_id: Vec<Box<str>>,
    name: Vec<u32>,
    name_inputs: Vec<[Option<Box<str>>; 4]>,
    name_index: HashMap<String, u32>,
    birth: Vec<Option<PartialDate>>,
    implied_birth: Vec<(u16, u16)>,
    sex: Vec<Option<Sex>>,
    birth_place: Vec<u32>,
    residence: Vec<u32>,
    event_place: Vec<u32>,
    places: Pool,
    place_cache: HashMap<String, u32>,
    countries: Vec<u32>,
    origin: Vec<Option<CountryCode>>,
    country_index: HashMap<Vec<CountryCode>, u32>,
    country_sets: Vec<Vec<CountryCode>>,
    document: Vec<u32>,
    documents: Pool,
    event: Vec<u32>,
    events: Pool,
    event_window: Vec<(i32, i32)>,
}

impl DatasetBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.source.len()
    }

    pub fn is_empty(&self) -> bool {
        self.source.is_empty()
    }

    /// Adds one record.
    pub fn push(&mut self, r: &Record) {
        let src = match self.source_index.get(&r.source) {
            Some(&s) => s,
            None => {
                let s = self.sources.len() as u32;
                self.sources.push(r.source.clone());
                self.source_index.insert(r.source.clone(), s);
                s
            }
        };
        self.source.push(src);
        self.record_id.push(r.record_id.as_str().into());

        let parts = [&r.name, &r.given_name, &r.family_name, &r.patronymic]
            .map(|p| p.as_deref().map(str::trim).filter(|s| !s.is_empty()));
        if parts.iter().all(Option::is_none) {
            self.name.push(NONE);
        } else {
            let key = parts.map(|p| p.unwrap_or("")).join("\u{1f}");
            let next = self.name_inputs.len() as u32;
            let id = *self.name_index.entry(key).or_insert(next);
            if id == next {
                self.name_inputs.push(parts.map(|p| p.map(Into::into)));
            }
            self.name.push(id);
        }

        self.birth.push(r.birth_date);
        let implied = match (r.age, r.event_date) {
            (Some(age), Some(ev)) => {
                let first_year = ev.start().year();
                let last_year = match ev {
                    recount_types::EventDate::On(d) => d.year(),
                    recount_types::EventDate::Between(_, d) => d.year(),
                };
                // Someone aged a..=b during [y1, y2] was born in [y1 - b - 1, y2 - a].
                (
                    first_year.saturating_sub(u16::from(age.max()) + 1),
                    last_year.saturating_sub(u16::from(age.min())),
                )
            }
            _ => (0, 0),
        };
        self.implied_birth.push(implied);
        self.sex.push(r.sex);
        let bp = self.place(r.birth_place.as_deref());
        self.birth_place.push(bp);
        let res = self.place(r.residence.as_deref());
        self.residence.push(res);
        let at = self.place(r.place.as_deref());
        self.event_place.push(at);

        let mut set: Vec<CountryCode> = r.citizenship.clone();
        set.extend(r.origin);
        set.sort();
        set.dedup();
        let cid = if set.is_empty() {
            NONE
        } else {
            let next = self.country_sets.len() as u32;
            let id = *self.country_index.entry(set.clone()).or_insert(next);
            if id == next {
                self.country_sets.push(set);
            }
            id
        };
        self.countries.push(cid);
        self.origin.push(r.origin);

        let doc = r
            .document_id
            .as_deref()
            .map(normalise_document)
            .filter(|d| !d.is_empty());
        let did = doc.map_or(NONE, |d| self.documents.intern(&d));
        self.document.push(did);

        let eid = r
            .event
            .as_ref()
            .map_or(NONE, |e| self.events.intern(e.as_str()));
        self.event.push(eid);
        self.event_window.push(
            r.event_date
                .map_or((i32::MIN, i32::MIN), |d| (d.first_day(), d.last_day())),
        );
    }

    fn place(&mut self, text: Option<&str>) -> u32 {
        let Some(t) = text.map(str::trim).filter(|t| !t.is_empty()) else {
            return NONE;
        };
        if let Some(&id) = self.place_cache.get(t) {
            return id;
        }
        let norm = normalise_place(t);
        let id = if norm.is_empty() {
            NONE
        } else {
            self.places.intern(&norm)
        };
        self.place_cache.insert(t.to_owned(), id);
        id
    }

    /// Prepares the names (in parallel) and the term-frequency tables.
    pub fn finish(self, policy: &DedupePolicy) -> Dataset {
        let names: Vec<Option<NameFeatures>> = self
            .name_inputs
            .par_iter()
            .map(|[n, g, f, p]| {
                NameFeatures::prepare(n.as_deref(), g.as_deref(), f.as_deref(), p.as_deref())
            })
            .collect();
        let (name_freq, part_freq) = term_frequencies(&self.name, &names);
        let mean = |freq: &[f32]| {
            let named: Vec<f32> = self
                .name
                .iter()
                .filter(|&&n| n != NONE)
                .map(|&n| freq[n as usize])
                .collect();
            if named.is_empty() {
                1.0
            } else {
                named.iter().sum::<f32>() / named.len() as f32
            }
        };
        let name_freq_mean = mean(&name_freq);
        let part_freq_mean = mean(&part_freq);
        let source_dedupe = self
            .sources
            .iter()
            .map(|s| policy.sources.contains(s))
            .collect();
        // A name's sex, where the record gives none, comes from the name engine.
        let sex = self
            .sex
            .iter()
            .zip(&self.name)
            .map(|(s, &n)| {
                s.or_else(|| {
                    names
                        .get(n as usize)
                        .and_then(|f| f.as_ref())
                        .and_then(|f| f.sex)
                })
            })
            .collect();
        Dataset {
            sources: self.sources,
            source_dedupe,
            source: self.source,
            record_id: self.record_id,
            name: self.name,
            names,
            name_freq,
            name_freq_mean,
            part_freq,
            part_freq_mean,
            birth: self.birth,
            implied_birth: self.implied_birth,
            sex,
            birth_place: self.birth_place,
            residence: self.residence,
            event_place: self.event_place,
            places: self.places,
            countries: self.countries,
            origin: self.origin,
            country_sets: self.country_sets,
            document: self.document,
            documents: self.documents,
            event: self.event,
            summons: self.events.index.get("summoned").copied().unwrap_or(NONE),
            events: self.events,
            event_window: self.event_window,
        }
    }
}

/// Upper-case letters and digits only: `AB 123-456` and `ab123456` are one document.
pub fn normalise_document(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}

/// How common each distinct name's value is: the larger of the share of records with the same
/// full name key and the product of the shares of its given-name and surname keys; and the
/// share of its given-name key (its surname key when it has no given name).
fn term_frequencies(record_names: &[u32], names: &[Option<NameFeatures>]) -> (Vec<f32>, Vec<f32>) {
    let mut given: HashMap<&str, u32> = HashMap::new();
    let mut surname: HashMap<&str, u32> = HashMap::new();
    let mut full: HashMap<(&str, &str), u32> = HashMap::new();
    let mut total = 0u32;
    for &n in record_names {
        let Some(Some(f)) = names.get(n as usize) else {
            continue;
        };
        total += 1;
        let g = f.given_key.as_deref().unwrap_or("");
        let s = f.surname_key.as_deref().unwrap_or("");
        *given.entry(g).or_default() += 1;
        *surname.entry(s).or_default() += 1;
        *full.entry((g, s)).or_default() += 1;
    }
    let total = f64::from(total.max(1));
    let part = names
        .iter()
        .map(|f| {
            let Some(f) = f else { return 1.0 };
            let share = |c: Option<&u32>| f64::from(c.copied().unwrap_or(1)) / total;
            match (f.given_key.as_deref(), f.surname_key.as_deref()) {
                (Some(g), _) if !g.is_empty() => share(given.get(g)) as f32,
                (_, Some(s)) if !s.is_empty() => share(surname.get(s)) as f32,
                _ => 1.0,
            }
        })
        .collect();
    let full = names
        .iter()
        .map(|f| {
            let Some(f) = f else { return 1.0 };
            let g = f.given_key.as_deref().unwrap_or("");
            let s = f.surname_key.as_deref().unwrap_or("");
            let share = |c: Option<&u32>| f64::from(c.copied().unwrap_or(1)) / total;
            let pg = if g.is_empty() {
                1.0
            } else {
                share(given.get(g))
            };
            let ps = if s.is_empty() {
                1.0
            } else {
                share(surname.get(s))
            };
            (pg * ps).max(share(full.get(&(g, s)))) as f32
        })
        .collect();
    (full, part)
}

impl Dataset {
    /// Prepares records in one call (see [`DatasetBuilder`] to stream them).
    pub fn from_records<'a>(
        records: impl IntoIterator<Item = &'a Record>,
        policy: &DedupePolicy,
    ) -> Dataset {
        let mut b = DatasetBuilder::new();
        for r in records {
            b.push(r);
        }
        b.finish(policy)
    }

    pub fn len(&self) -> usize {
        self.source.len()
    }

    pub fn is_empty(&self) -> bool {
        self.source.is_empty()
    }

    /// The sources, in the order they first appear.
    pub fn sources(&self) -> &[SourceName] {
        &self.sources
    }

    pub fn source_of(&self, i: RecordIndex) -> &SourceName {
        &self.sources[self.source[i as usize] as usize]
    }

    pub fn record_id(&self, i: RecordIndex) -> &str {
        &self.record_id[i as usize]
    }

    pub fn key(&self, i: RecordIndex) -> RecordKey {
        RecordKey {
            source: self.source_of(i).clone(),
            record_id: self.record_id(i).to_owned(),
        }
    }

    /// Whether linkage may join these two records: different sources, or one source that may
    /// contain duplicates.
    pub fn may_link(&self, i: RecordIndex, j: RecordIndex) -> bool {
        let (s, t) = (self.source[i as usize], self.source[j as usize]);
        s != t || self.source_dedupe[s as usize]
    }

    /// Whether the record's source lists each person at most once.
    pub(crate) fn source_is_unique(&self, i: RecordIndex) -> bool {
        !self.source_dedupe[self.source[i as usize] as usize]
    }

    /// How many pairs of records linkage may join (the denominator of the prior).
    pub fn linkable_pairs(&self) -> f64 {
        let mut per_source = vec![0f64; self.sources.len()];
        for &s in &self.source {
            per_source[s as usize] += 1.0;
        }
        let n = self.len() as f64;
        let mut total = n * (n - 1.0) / 2.0;
        for (s, &c) in per_source.iter().enumerate() {
            if !self.source_dedupe[s] {
                total -= c * (c - 1.0) / 2.0;
            }
        }
        total.max(0.0)
    }

    /// The record's event term, if any.
    pub fn event_term(&self, i: RecordIndex) -> Option<&str> {
        self.events.get(self.event[i as usize])
    }

    /// The number of records that have a name.
    pub fn named_records(&self) -> usize {
        self.name
            .iter()
            .filter(|&&n| n != NONE && self.names[n as usize].is_some())
            .count()
    }

    pub(crate) fn name_features(&self, i: RecordIndex) -> Option<&NameFeatures> {
        let n = self.name[i as usize];
        if n == NONE {
            None
        } else {
            self.names[n as usize].as_ref()
        }
    }
}
