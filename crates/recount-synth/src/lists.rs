//! The name lists in `data/` (compiled in with `include_str!`), read once, and drawn by cohort.

use crate::dice::Dice;
use crate::people::Nationality;
use recount_types::Sex;
use std::sync::OnceLock;

/// One name with its rough popularity and the birth years it is common in.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) name: &'static str,
    weight: f64,
    born_from: u16,
    born_to: u16,
}

/// A weighted list of names.
#[derive(Debug, Clone)]
pub(crate) struct NameList {
    entries: Vec<Entry>,
}

/// Names outside their usual cohort still occur, at this fraction of their weight.
const OFF_COHORT_WEIGHT: f64 = 0.03;

impl NameList {
    /// Parses the `NAME WEIGHT BORN` format of `data/README.md`. The files are part of the
    /// crate, so a malformed line is a bug caught by the tests, not user input.
    fn parse(text: &'static str) -> NameList {
        let mut entries = Vec::new();
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
                weight,
                born_from,
                born_to,
            });
        }
        NameList { entries }
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    #[cfg(test)]
    pub(crate) fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.entries.iter().map(|e| e.name)
    }

    /// A name for someone born in `born`, weighted by popularity in that cohort.
    pub(crate) fn draw(&self, dice: &mut Dice, born: u16) -> &'static str {
        let weight = |e: &Entry| {
            let in_cohort = (e.born_from..=e.born_to).contains(&born);
            e.weight * if in_cohort { 1.0 } else { OFF_COHORT_WEIGHT }
        };
        let total: f64 = self.entries.iter().map(weight).sum();
        let mut x = dice.unit() * total;
        for e in &self.entries {
            let w = weight(e);
            if x < w {
                return e.name;
            }
            x -= w;
        }
        self.entries[self.entries.len() - 1].name
    }

    /// A name drawn from the whole list, ignoring cohort.
    pub(crate) fn draw_any(&self, dice: &mut Dice) -> &'static str {
        let weights: Vec<f64> = self.entries.iter().map(|e| e.weight).collect();
        self.entries[dice.weighted_index(&weights)].name
    }
}

/// All the lists of one naming tradition.
#[derive(Debug)]
pub(crate) struct Tradition {
    pub(crate) male: NameList,
    pub(crate) female: NameList,
    /// Russian: surnames (masculine); the others: ancestors' names that surnames are built from.
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

fn lists() -> &'static Lists {
    static LISTS: OnceLock<Lists> = OnceLock::new();
    LISTS.get_or_init(|| {
        let t = |m, f, s| Tradition {
            male: NameList::parse(m),
            female: NameList::parse(f),
            surnames: NameList::parse(s),
        };
        Lists {
            ru: t(
                include_str!("data/ru_male.txt"),
                include_str!("data/ru_female.txt"),
                include_str!("data/ru_surnames.txt"),
            ),
            ky: t(
                include_str!("data/ky_male.txt"),
                include_str!("data/ky_female.txt"),
                include_str!("data/ky_surname_roots.txt"),
            ),
            kk: t(
                include_str!("data/kk_male.txt"),
                include_str!("data/kk_female.txt"),
                include_str!("data/kk_surname_roots.txt"),
            ),
            uz: t(
                include_str!("data/uz_male.txt"),
                include_str!("data/uz_female.txt"),
                include_str!("data/uz_surname_roots.txt"),
            ),
            tg: t(
                include_str!("data/tg_male.txt"),
                include_str!("data/tg_female.txt"),
                include_str!("data/tg_surname_roots.txt"),
            ),
        }
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
