//! A seeded, clearly labelled synthetic world: people, sources, the lists they keep, and the truth.
//!
//! recount's demo, tests and benchmarks need data whose answer is known: how many people were
//! affected, which records describe the same person. This crate generates it, sans-IO: every
//! function takes a seed and returns values. Main items:
//!
//! - [`generate`] a [`World`] from a [`WorldConfig`]: the true population ([`TruePerson`]), the
//!   sources ([`recount_types::Source`]), their lists ([`recount_types::Record`], every Records
//!   CSV v1 field filled as that source would), the truth (record → [`TruePersonId`]) and the
//!   [`World::label`] to show with every export and report;
//! - [`cross_script_lists`] and [`duplicated_records`]: [`LinkageSet`]s for linkage benchmarks;
//! - [`ru_latin`] and [`national_latin`]: the transliteration systems the generator writes with.
//!
//! The same seed always gives byte-identical output (a PCG stream per part of the world, ordered
//! collections everywhere).
//!
//! ```
//! use recount_synth::{WorldConfig, generate};
//! let world = generate(&WorldConfig { seed: 7, people: 300, ..WorldConfig::default() });
//! assert!(world.label.starts_with("SYNTHETIC DATA"));
//! assert_eq!(world.truth.len(), world.records.len());
//! let hotline = world.records_of("hotline").count();
//! let patterns = world.true_capture_patterns();
//! assert_eq!(patterns.lists.len(), 5);
//! // Some people are on no list: that is what an estimate must find.
//! assert!(patterns.observed() < world.people.len());
//! # assert!(hotline > 0);
//! ```
//!
//! Speed and figures: `cargo run --release -p recount-synth --example sample [SEED] [PEOPLE]`
//! prints a few records of each source, each source's coverage beside its design, the pairwise
//! correlation of the lists with naive two-list estimates, and the time and peak memory of
//! generating a 3,000-person world, 20,000 cross-script records and 1,000,000 duplicated records.
//! `cargo run --release -p recount-synth --example name_diversity -- [RECORDS] [SEED]` counts the
//! distinct names and the true namesakes among the people behind [`duplicated_records`].
//!
//! # The model of the world (what the demo's truth is)
//!
//! **Population.** `people` (default 3,000) people refused exit at the border or summoned between
//! 22 September 2022 and 31 March 2023 (scenario.md). Naming traditions: Kyrgyz 34%, Tajik 25%,
//! Uzbek 23%, Russian 10%, Kazakh 8%; 5% women. Origin: the tradition's country, except Uzbeks
//! from Osh (13% of Uzbeks are Kyrgyzstan's citizens), Russians from Kazakhstan/Kyrgyzstan.
//! Naturalized Russian citizens (citizenship `RU;KG` etc.): 90%, 70% among the deployed.
//! Stories: 52% stopped at a crossing (Mashtakovo, Petukhovo, Karauzek, Troitsk, Kulunda, Moscow
//! airports; 35% had a summons before; 70% were told a date before which they may not leave),
//! 30% summoned (45% also threatened), 18% summoned and deployed (30% of them aged 54–61, "close
//! to 60"). Ages otherwise 19–55, peaking in the late 30s. 8% of people have a brother or sister
//! in the population (same father, same surname, half of them stopped together).
//!
//! **Names** (national Cyrillic, from the lists in `src/data/`, by birth cohort; each list is a
//! hand-compiled head of common names and, where a source exists, a long tail with Zipf-like
//! weights vendored from mimesis and Faker or derived from the tradition's given names, so that
//! a million-record set has realistic numbers of namesakes: `src/data/README.md`): Russian
//! -ов/-ева surnames and patronymics; Kyrgyz -ов surnames from an ancestor (or the father), or
//! father + уулу/кызы (22%, 40% if born 1990 or later); Kazakh -ов/-ин or father + -ұлы/-қызы
//! (15%); Uzbek -ов/-ев plus father + ўғли/қизи; Tajik -зода/-зод/-ӣ/-иён (30%, 60% if born 1985
//! or later) or -ов, with 35% of the new-style and 8% of the -ов holders having changed surname,
//! so older records still carry the other form. Every person also has the Russian patronymic a
//! Russian document forms from the father's name.
//!
//! **Visibility classes** (latent, the heterogeneity a latent-class model must find):
//! connected (32% of Kyrgyz, 25% of Kazakhs and Russians, 20% of Uzbeks and Tajiks), ordinary
//! (50%), isolated (the rest).
//!
//! **Sources and capture probabilities.** Base chance by class (connected / ordinary / isolated),
//! then modifiers, capped at 0.95 ([`capture_probability`]; the constants are public in
//! [`design`]):
//!
//! | source | base | modifiers | records |
//! |---|---|---|---|
//! | `hotline` | 0.65 / 0.35 / 0.20 | — | 6% call twice (contains duplicates) |
//! | `lawyers` | 0.22 / 0.08 / 0.04 | ×1.5 if the hotline recorded them, else ×0.85 (referrals: direct list dependence); ×1.5 for border refusals and threats | one case each, full names, documents |
//! | `media` | 0.18 / 0.09 / 0.07 | ×2 if vivid (deployed, or 55+) | stories of 1–3 people |
//! | `media_copies` | follows `media` | each story reprinted by 0/1/2/3 outlets (35/35/20/10%) | same dependency group `media`; duplicates |
//! | `kg_channel` | 0.55 / 0.30 / 0.15 | × reach: Kyrgyz 1, Kazakh 0.5, Uzbeks from Kyrgyzstan 0.6, others 0.2 | interviews in Kyrgyz spellings |
//! | `families` | 0.20 / 0.18 / 0.18 | ×2 if deployed | relatives' reports, second-hand |
//!
//! Given class and covariates, captures are independent except lawyers ← hotline. So the
//! lists are positively correlated through the classes (hotline, lawyers and the channel most;
//! phi 0.19–0.26 for hotline × lawyers, 0.04–0.12 for hotline × channel over seeds 1–12), and
//! the media and families lists depend on the event. For estimation, `media` and
//! `media_copies` are one list ([`World::true_capture_patterns`] merges them): five lists.
//! [`World::expected_coverage`] gives each source's designed coverage for a population: about
//! 0.39 hotline, 0.16 lawyers, 0.13 media, 0.17 channel, 0.22 families.
//!
//! With 3,000 people about a third (32.6–34.4% over seeds 1–12) are recorded by no source: that
//! is what an estimate must recover. Two-list estimates are biased low (about 1,800 for hotline ×
//! lawyers with seed 1). On the truth's capture patterns (truth 3,000, 1,968–2,022 observed),
//! `recount demo`'s LCMCR (4 chains) gives medians 2,804–3,020 over seeds 1–4, each 95% interval
//! covering 3,000; the BIC log-linear model without heterogeneity terms gave 2,787–2,896 with the
//! name lists before 27 November (the names do not enter the capture model, but changing them
//! shifts the random draws after them). The isolated class, rarely seen twice, is what keeps
//! every method slightly low.
//!
//! **How each source writes** (rates before `noise` scaling; `noise = 0` gives clean lists):
//!
//! - `hotline`: Russian Cyrillic (85%; Uzbek ж → дж 70%, Russian vowels in Uzbek/Tajik -ов
//!   surnames 35%), national Latin (10%) or national Cyrillic (5%); given name only 25%; one
//!   `name` field 85%; the earlier surname 40%; ages exact or a birth year; day or month dates;
//!   typos 6%, Latin look-alike letters 4%, typed on the Latin keyboard layout 1% (Fcfyjd).
//! - `lawyers`: split fields with the Russian patronymic, from documents: Russian Cyrillic 80%,
//!   Latin 20% (passport systems ICAO 2013 / GOST 2010 / MVD 1997 / Soviet for naturalized
//!   citizens, national passport conventions otherwise; half in capitals); full birth dates,
//!   document numbers (3% with two digits swapped), OCR confusions 4%.
//! - `media` and `media_copies`: Russian (55%) or English (45%: news spelling, or national
//!   Latin); first name only 35% (45% in reprints), or a surname initial; ages exact or ranges
//!   ("close to 60" → `55-60`); reprints respell the story and have 5% typos.
//! - `kg_channel`: Kyrgyz Cyrillic with ү ө ң (70% for Kyrgyz and Kazakh speakers), Kyrgyz Latin
//!   with J or Zh, or Russian; "given name + father уулу" 30%; month dates, birth places in
//!   national form.
//! - `families`: Russian Cyrillic 80% (Soviet дж 25%), surname first with patronymic, the
//!   earlier surname 60%; month dates and ranges; informant always `relative`.
//!
//! Every quote is a short synthetic text starting with `[синтетический текст]` or
//! `[synthetic text]`, and names no one.
//!
//! # Linkage benchmark sets
//!
//! [`cross_script_lists`]: every person once in a Russian-Cyrillic list (`CYR-…`: split fields
//! 80%, Russian patronymic 60%, earlier surname 30%) and once in a Latin list (`LAT-…`: Russian
//! passport systems, national conventions, news spelling; one field or three; capitals), typos
//! 3%, OCR 1%, look-alikes 2% (Cyrillic list only). [`duplicated_records`]: exactly N records of
//! a stream of people; `registry` (contains duplicates: each person once, plus a second record
//! with probability 0.25 and a third with 0.06), `ngo_a` (25% of people) and `ngo_b` (20%), each
//! record in a freshly drawn script and layout; typos 8%, OCR 2%, look-alikes 2%, wrong keyboard
//! layout 0.5%, given/family swapped in 3% of split names, sex and origin missing 10%, dates
//! shifted or coarsened.

mod dice;
mod linkage;
mod lists;
mod noise;
mod people;
mod places;
mod script;
mod sources;
mod testimony;
mod views;
mod world;

#[cfg(test)]
mod tests;

pub use linkage::{
    CYRILLIC_LIST, LATIN_LIST, LinkageSet, REGISTRY, cross_script_lists, duplicated_records,
    for_each_duplicated_person,
};
pub use people::{Happening, Nationality, TrueEvent, TruePerson, TruePersonId, Visibility};
pub use script::{NationalLatin, RuSystem, national_latin, ru_latin};
pub use sources::{SourceKind, capture_probability, expected_capture};

/// The capture model's constants (see the table in the crate documentation).
pub mod design {
    pub use crate::sources::{
        BASE, CAP, FAMILIES_DEPLOYED, HOTLINE_REPEAT, LAWYERS_ACTIONABLE, LAWYERS_NOT_REFERRED,
        LAWYERS_REFERRED, MEDIA_VIVID, REPRINTS,
    };
}
pub use testimony::{QUOTE_LABEL_EN, QUOTE_LABEL_RU};
pub use world::{CapturePatterns, World, WorldConfig, generate, label};
