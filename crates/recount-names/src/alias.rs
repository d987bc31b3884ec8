//! The given-name table (`data/aliases.txt`, compiled in): alias groups of spellings that string
//! folds do not join (Магомед ~ Muhammad, Yusuf ~ Jusup), and known given names with their sex.
//! Everything is looked up by skeleton, so the table is written once in any script.

use crate::fold;
use recount_types::Sex;
use std::collections::HashMap;
use std::sync::OnceLock;

const TABLE: &str = include_str!("../data/aliases.txt");

/// A group of the given-name table: an alias group or a single known name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GivenName {
    /// The group's number (its line in the table); equal numbers are the same name.
    pub group: u16,
    /// Whether the group came from an alias line (several spellings of one name).
    pub is_alias_group: bool,
    pub sex: Option<Sex>,
}

/// FNV-1a: the table's keys are short ASCII skeletons, and the lookup runs once per name part at
/// ingest; SipHash's protection against chosen keys buys nothing here.
#[derive(Default)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FnvMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

struct Table {
    by_skeleton: FnvMap<String, GivenName>,
    /// The first form of each group, by group number (for explanations).
    heads: Vec<String>,
}

fn table() -> &'static Table {
    static TABLE_CELL: OnceLock<Table> = OnceLock::new();
    TABLE_CELL.get_or_init(|| build(TABLE).0)
}

/// Builds the table; also returns skeletons claimed by two groups (a test asserts there are none).
fn build(text: &str) -> (Table, Vec<String>) {
    let mut by_skeleton = FnvMap::default();
    let mut heads = Vec::new();
    let mut clashes = Vec::new();
    let mut insert = |form: &str, g: GivenName, by: &mut FnvMap<String, GivenName>| {
        let skel = fold::latin_skeleton(form);
        if skel.is_empty() || skel.contains(' ') {
            return;
        }
        match by.get(&skel) {
            Some(old) if old.group != g.group => clashes.push(skel),
            Some(_) => {}
            None => {
                by.insert(skel, g);
            }
        }
    };
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (alias, rest) = match line.strip_prefix('=') {
            Some(r) => (true, r.trim()),
            None => (false, line),
        };
        let Some((sex, forms)) = rest.split_once(':') else {
            continue;
        };
        let sex = match sex.trim() {
            "m" => Some(Sex::Male),
            "f" => Some(Sex::Female),
            _ => None,
        };
        if alias {
            let group = heads.len() as u16;
            let g = GivenName {
                group,
                is_alias_group: true,
                sex,
            };
            let mut first = None;
            for form in forms.split(',') {
                let form = form.trim();
                if form.is_empty() {
                    continue;
                }
                first.get_or_insert_with(|| fold::latin_skeleton(form));
                insert(form, g, &mut by_skeleton);
            }
            heads.push(first.unwrap_or_default());
        } else {
            for form in forms.split_whitespace() {
                let group = heads.len() as u16;
                let g = GivenName {
                    group,
                    is_alias_group: false,
                    sex,
                };
                heads.push(fold::latin_skeleton(form));
                insert(form, g, &mut by_skeleton);
            }
        }
    }
    (Table { by_skeleton, heads }, clashes)
}

/// The given-name group a skeleton belongs to, if the table knows it.
pub(crate) fn lookup(skel: &str) -> Option<GivenName> {
    table().by_skeleton.get(skel).copied()
}

/// The head form (skeleton) of a group, for explanations.
pub(crate) fn head(group: u16) -> &'static str {
    table()
        .heads
        .get(group as usize)
        .map(String::as_str)
        .unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_skeleton_belongs_to_two_groups() {
        let (_, clashes) = build(TABLE);
        assert!(clashes.is_empty(), "skeletons in two groups: {clashes:?}");
    }

    fn check(a: &str, b: &str, same: bool) {
        let ga = lookup(&fold::latin_skeleton(a)).map(|g| g.group);
        let gb = lookup(&fold::latin_skeleton(b)).map(|g| g.group);
        assert!(ga.is_some() && gb.is_some(), "{a} or {b} not in the table");
        assert_eq!(ga == gb, same, "{a} / {b}");
    }

    #[test]
    fn alias_groups_join_what_folds_cannot() {
        check("Магомед", "Muhammad", true);
        check("Mukhammed", "Мухаммад", true);
        check("Jusup", "Yusuf", true);
        check("Iusup", "Юсуф", true);
        check("Ibragim", "Ibrohim", true);
        check("Ыбырайым", "Ibrahim", true);
        check("Amir", "Damir", false);
        check("Valentin", "Valentina", false);
        check("Nurlan", "Nurlanbek", false);
    }

    #[test]
    fn known_names_carry_sex() {
        let sex = |n: &str| lookup(&fold::latin_skeleton(n)).and_then(|g| g.sex);
        assert_eq!(sex("Валентина"), Some(Sex::Female));
        assert_eq!(sex("Bekbolot"), Some(Sex::Male));
        assert_eq!(sex("Zzyzx"), None);
    }
}
