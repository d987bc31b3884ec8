//! The name lists in `data/` (compiled in with `include_str!`), read once, and drawn by cohort.
//!
//! Each list is a hand-compiled head (`ru_male.txt`: the common names with rough weights) and,
//! where a source exists, a long tail (`ru_male_tail.txt`: names vendored from mimesis and
//! Faker, or derived, with small Zipf-like weights; `data/README.md` has the rule and the
//! provenance, `tools/vendor_names.py` writes them).

use crate::dice::Dice;
use crate::people::Nationality;
use recount_types::Sex;
use std::sync::OnceLock;

/// One name with its rough popularity and the birth years it is common in.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) name: &'static str,
    /// A whole masculine surname (Kazakh lists' vendored tail) rather than an ancestor's name
    /// to build one from.
    pub(crate) surname: bool,
    weight: f64,
    born_from: u16,
    born_to: u16,
    /// From the vendored tail file rather than the hand-compiled head.
    #[cfg_attr(not(test), allow(dead_code))]
    tail: bool,
}

/// A weighted list of names, with cumulative weights ready for drawing: one table ignoring
/// cohort, and one per span of birth years in which every entry's cohort weight is constant.
#[derive(Debug, Clone)]
pub(crate) struct NameList {
    entries: Vec<Entry>,
    any: Vec<f64>,
    /// (first birth year of the span, cumulative weights), sorted by year; the first starts at 0.
    by_cohort: Vec<(u16, Vec<f64>)>,
}

/// Names outside their usual cohort still occur, at this fraction of their weight.
const OFF_COHORT_WEIGHT: f64 = 0.03;

/// What a list file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Holds {
    /// Given names, or ancestors' names that surnames are built from.
    Names,
    /// Whole surnames (masculine).
    Surnames,
}

impl NameList {
    /// Parses files in the `NAME WEIGHT BORN` format of `data/README.md`: a head, then any
    /// tails, in rank order. The files are part of the crate, so a malformed line is a bug
    /// caught by the tests, not user input.
    fn parse(files: &[(&'static str, Holds)]) -> NameList {
        let mut entries = Vec::new();
        for (i, (text, holds)) in files.iter().enumerate() {
            parse_into(text, *holds == Holds::Surnames, i > 0, &mut entries);
        }
        let cumulative = |weight: &dyn Fn(&Entry) -> f64| {
            let mut total = 0.0;
            entries
                .iter()
                .map(|e| {
                    total += weight(e);
                    total
                })
                .collect::<Vec<f64>>()
        };
        let any = cumulative(&|e| e.weight);
        let mut starts: Vec<u16> = std::iter::once(0)
            .chain(entries.iter().map(|e| e.born_from))
            .chain(entries.iter().filter_map(|e| e.born_to.checked_add(1)))
            .collect();
        starts.sort_unstable();
        starts.dedup();
        let by_cohort = starts
            .into_iter()
            .map(|born| (born, cumulative(&|e| cohort_weight(e, born))))
            .collect();
        NameList {
            entries,
            any,
            by_cohort,
        }
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    #[cfg(test)]
    pub(crate) fn entries(&self) -> &[Entry] {
        &self.entries
    }

    #[cfg(test)]
    pub(crate) fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.entries.iter().map(|e| e.name)
    }

    /// A name for someone born in `born`, weighted by popularity in that cohort.
    pub(crate) fn draw(&self, dice: &mut Dice, born: u16) -> &'static str {
        let span = self.by_cohort.partition_point(|(from, _)| *from <= born);
        // The first span starts at year 0, so `span` is at least 1.
        let cumulative = &self.by_cohort[span.saturating_sub(1)].1;
        self.entries[pick(cumulative, dice)].name
    }

    /// An entry drawn from the whole list, ignoring cohort.
    pub(crate) fn draw_any(&self, dice: &mut Dice) -> &Entry {
        &self.entries[pick(&self.any, dice)]
    }
}

fn cohort_weight(e: &Entry, born: u16) -> f64 {
    let in_cohort = (e.born_from..=e.born_to).contains(&born);
    e.weight * if in_cohort { 1.0 } else { OFF_COHORT_WEIGHT }
}

/// The index whose span of the cumulative weights a uniform draw falls in.
fn pick(cumulative: &[f64], dice: &mut Dice) -> usize {
    let total = cumulative.last().copied().unwrap_or(0.0);
    let x = dice.unit() * total;
    cumulative
        .partition_point(|c| *c <= x)
        .min(cumulative.len().saturating_sub(1))
}

fn parse_into(text: &'static str, surname: bool, tail: bool, entries: &mut Vec<Entry>) {
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let mut parts = line.split_whitespace();
        let name = parts.next().unwrap_or_default();
        let weight: f64 = parts.next().and_then(|w| w.parse().ok()).unwrap_or(1.0);
        let born = parts.next().unwrap_or("*");
        let (born_from, born_to) = match born.split_once('-') {
            _ if born == "*" => (0, u16::MAX),
            Some(("", to)) => (0, to.parse().unwrap_or(u16::MAX)),
            Some((from, "")) => (from.parse().unwrap_or(0), u16::MAX),
            Some((from, to)) => (from.parse().unwrap_or(0), to.parse().unwrap_or(u16::MAX)),
            None => (0, u16::MAX),
        };
        entries.push(Entry {
            name,
            surname,
            weight,
            born_from,
            born_to,
            tail,
        });
    }
}

/// All the lists of one naming tradition.
#[derive(Debug)]
pub(crate) struct Tradition {
    pub(crate) male: NameList,
    pub(crate) female: NameList,
    /// Russian: surnames (masculine); the others: ancestors' names that surnames are built from
    /// (and, for Kazakhs, whole surnames: [`Entry::surname`]).
    pub(crate) surnames: NameList,
}

impl Tradition {
    pub(crate) fn given(&self, sex: Sex) -> &NameList {
        match sex {
            Sex::Male => &self.male,
            Sex::Female => &self.female,
        }
    }
}

#[derive(Debug)]
struct Lists {
    ru: Tradition,
    ky: Tradition,
    kk: Tradition,
    uz: Tradition,
    tg: Tradition,
}

/// A head file and its tail, both of names.
macro_rules! names {
    ($head:literal) => {
        NameList::parse(&[(include_str!(concat!("data/", $head, ".txt")), Holds::Names)])
    };
    ($head:literal, $tail:literal) => {
        NameList::parse(&[
            (include_str!(concat!("data/", $head, ".txt")), Holds::Names),
            (include_str!(concat!("data/", $tail, ".txt")), Holds::Names),
        ])
    };
}

fn lists() -> &'static Lists {
    static LISTS: OnceLock<Lists> = OnceLock::new();
    LISTS.get_or_init(|| Lists {
        ru: Tradition {
            male: names!("ru_male", "ru_male_tail"),
            female: names!("ru_female", "ru_female_tail"),
            surnames: NameList::parse(&[
                (include_str!("data/ru_surnames.txt"), Holds::Surnames),
                (include_str!("data/ru_surnames_tail.txt"), Holds::Surnames),
            ]),
        },
        ky: Tradition {
            male: names!("ky_male"),
            female: names!("ky_female"),
            surnames: names!("ky_surname_roots", "ky_surname_roots_tail"),
        },
        kk: Tradition {
            male: names!("kk_male", "kk_male_tail"),
            female: names!("kk_female", "kk_female_tail"),
            surnames: NameList::parse(&[
                (include_str!("data/kk_surname_roots.txt"), Holds::Names),
                (include_str!("data/kk_surnames_tail.txt"), Holds::Surnames),
            ]),
        },
        uz: Tradition {
            male: names!("uz_male", "uz_male_tail"),
            female: names!("uz_female", "uz_female_tail"),
            surnames: names!("uz_surname_roots", "uz_surname_roots_tail"),
        },
        tg: Tradition {
            male: names!("tg_male"),
            female: names!("tg_female"),
            surnames: names!("tg_surname_roots", "tg_surname_roots_tail"),
        },
    })
}

pub(crate) fn tradition(nationality: Nationality) -> &'static Tradition {
    let l = lists();
    match nationality {
        Nationality::Russian => &l.ru,
        Nationality::Kyrgyz => &l.ky,
        Nationality::Kazakh => &l.kk,
        Nationality::Uzbek => &l.uz,
        Nationality::Tajik => &l.tg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_list_parses_into_cyrillic_names() {
        for n in Nationality::ALL {
            let t = tradition(n);
            for list in [&t.male, &t.female, &t.surnames] {
                assert!(list.len() >= 10, "{n:?} list too short");
                for name in list.names() {
                    let first = name.chars().next().unwrap();
                    assert!(first.is_uppercase(), "{name}");
                    assert!(
                        name.chars().all(|c| matches!(c, '\u{0400}'..='\u{04FF}')),
                        "{n:?}: {name} is not all Cyrillic"
                    );
                }
            }
        }
    }

    #[test]
    fn national_letters_occur_where_they_belong() {
        let has = |n: Nationality, letters: &str| {
            let t = tradition(n);
            t.male
                .names()
                .chain(t.female.names())
                .chain(t.surnames.names())
                .any(|name| name.chars().any(|c| letters.contains(c)))
        };
        assert!(has(Nationality::Kyrgyz, "үөң"));
        assert!(has(Nationality::Kazakh, "әғқңөұүі"));
        assert!(has(Nationality::Uzbek, "ўқғҳ"));
        assert!(has(Nationality::Tajik, "ғӣқӯҳҷ"));
        assert!(!has(Nationality::Russian, "үөңәғқұіўҳӣӯҷ"));
    }

    fn all_lists() -> impl Iterator<Item = (Nationality, &'static str, &'static NameList)> {
        Nationality::ALL.into_iter().flat_map(|n| {
            let t = tradition(n);
            [
                (n, "male", &t.male),
                (n, "female", &t.female),
                (n, "surnames", &t.surnames),
            ]
        })
    }

    #[test]
    fn tails_extend_heads_with_smaller_falling_weights() {
        let fold = |s: &str| s.replace('ё', "е");
        let mut tails = 0;
        for (n, kind, list) in all_lists() {
            let mut seen = std::collections::BTreeSet::new();
            for e in list.entries() {
                assert!(seen.insert(fold(e.name)), "{n:?} {kind}: {} twice", e.name);
            }
            let (head, tail): (Vec<&Entry>, Vec<&Entry>) =
                list.entries().iter().partition(|e| !e.tail);
            if tail.is_empty() {
                continue;
            }
            tails += 1;
            let rarest_head = head.iter().map(|e| e.weight).fold(f64::MAX, f64::min);
            // Ranks continue the head's: each tail weight c/rank, none above the rarest head
            // name (4 significant digits in the files).
            assert!(tail[0].weight <= rarest_head * 1.001, "{n:?} {kind}");
            for w in tail.windows(2) {
                assert!(w[1].weight <= w[0].weight, "{n:?} {kind}: {}", w[1].name);
            }
            let rank = |i: usize| (head.len() + 1 + i) as f64;
            let c = tail[0].weight * rank(0);
            let last = tail.len() - 1;
            assert!(
                (tail[last].weight * rank(last) / c - 1.0).abs() < 0.01,
                "{n:?} {kind}: not c/rank"
            );
        }
        // Russian (3), Kazakh (3), Uzbek (3), Kyrgyz and Tajik surname roots.
        assert_eq!(tails, 11);
        let kk = &tradition(Nationality::Kazakh).surnames;
        assert!(kk.entries().iter().any(|e| e.surname));
        for e in kk.entries().iter().filter(|e| e.surname) {
            assert!(
                ["ов", "ев", "ин"].iter().any(|s| e.name.ends_with(s)),
                "{}",
                e.name
            );
        }
    }

    #[test]
    fn draws_follow_the_weights() {
        // Cumulative tables against the weights themselves: a head name's share of draws.
        let t = tradition(Nationality::Russian);
        let total: f64 = t.surnames.entries().iter().map(|e| e.weight).sum();
        let ivanov = t
            .surnames
            .entries()
            .iter()
            .find(|e| e.name == "Иванов")
            .map(|e| e.weight / total)
            .unwrap();
        let mut d = Dice::new(5);
        let n = 40_000;
        let got = (0..n)
            .filter(|_| t.surnames.draw_any(&mut d).name == "Иванов")
            .count() as f64
            / n as f64;
        let se = (ivanov * (1.0 - ivanov) / n as f64).sqrt();
        assert!((got - ivanov).abs() < 4.0 * se, "{got} vs {ivanov}");
        // Cohort spans: every birth year draws only names of the list.
        for born in [0, 1940, 1961, 1985, 1986, 2004, u16::MAX] {
            let name = t.male.draw(&mut d, born);
            assert!(t.male.names().any(|m| m == name));
        }
    }

    #[test]
    fn cohorts_shift_the_draw() {
        let t = tradition(Nationality::Kyrgyz);
        let mut d = Dice::new(3);
        let old = (0..2_000)
            .filter(|_| t.male.draw(&mut d, 1965) == "Адилет")
            .count();
        let young = (0..2_000)
            .filter(|_| t.male.draw(&mut d, 1998) == "Адилет")
            .count();
        assert!(young > 10 * old.max(1), "old {old}, young {young}");
    }
}
