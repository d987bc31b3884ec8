//! A person's name as one record writes it: which script and system, which surname (now or
//! before), which order, one field or three, with or without a patronymic.

use crate::dice::Dice;
use crate::people::{Nationality, TruePerson};
use crate::script::{Dzh, NationalLatin, RuSystem, Russify, national_latin, ru_latin, russify};

/// The script and system of one rendering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Script {
    /// The national Cyrillic of the person's tradition (Бекболот Асан уулу).
    National,
    /// Russian Cyrillic, as a Russian clerk or speaker writes it.
    Russian(Russify),
    /// A Russian passport or news system applied to the Russian rendering.
    RuLatin(RuSystem),
    /// A national Latin convention applied to the national form.
    NationalLatin(NationalLatin),
}

/// Where the parts of the name go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    /// One `name` field, given name first (Бекболат Асанов).
    GivenFirst,
    /// One `name` field, surname first, as Russian documents order it (Асанов Бекболат).
    SurnameFirst,
    /// Only the given name (hotline callers and news sources often give no more).
    GivenOnly,
    /// Given name and the surname's initial (Бекболат А.).
    GivenInitial,
    /// Given name and father's name with the particle, no surname (Бекболот Асан уулу).
    GivenFather,
    /// Separate `given_name`, `family_name`, `patronymic` fields.
    Split,
}

/// Which patronymic, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Patronymic {
    None,
    /// Formed the Russian way from the father's name (Асанович).
    Russian,
    /// The tradition's own (Асан уулу, Нұрланұлы, Баҳодир ўғли); Russian for those without.
    National,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NameStyle {
    pub(crate) script: Script,
    pub(crate) layout: Layout,
    pub(crate) patronymic: Patronymic,
    /// Use the earlier surname where the person has one.
    pub(crate) former_surname: bool,
    /// All capitals, as in a passport's data page.
    pub(crate) upper: bool,
}

/// The name fields of a record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct NameFields {
    pub(crate) name: Option<String>,
    pub(crate) given_name: Option<String>,
    pub(crate) family_name: Option<String>,
    pub(crate) patronymic: Option<String>,
}

impl NameFields {
    pub(crate) fn map(self, mut f: impl FnMut(String) -> String) -> NameFields {
        NameFields {
            name: self.name.map(&mut f),
            given_name: self.given_name.map(&mut f),
            family_name: self.family_name.map(&mut f),
            patronymic: self.patronymic.map(&mut f),
        }
    }
}

/// The national Latin conventions that apply to a tradition (Russians have none of their own).
pub(crate) fn national_latin_systems(n: Nationality) -> &'static [NationalLatin] {
    use NationalLatin::*;
    match n {
        Nationality::Kyrgyz => &[KyrgyzBgn, KyrgyzJ, KyrgyzZh],
        Nationality::Kazakh => &[KazakhPassport, Kazakh2021],
        Nationality::Uzbek => &[UzbekOfficial, UzbekAscii, UzbekNoApostrophe, UzbekPassport],
        Nationality::Tajik => &[TajikBgn, TajikPlain],
        Nationality::Russian => &[],
    }
}

/// A Russian rendering as a typical speaker of this source writes it: Uzbek ж as дж most of
/// the time, Soviet-era дж for older Kazakhs and Kyrgyz sometimes, Russian vowels in Uzbek and
/// Tajik -ов surnames sometimes.
pub(crate) fn russian_habits(p: &TruePerson, dice: &mut Dice, old_dzh: f64, drift: f64) -> Russify {
    let dzh = match p.nationality {
        Nationality::Uzbek if dice.chance(0.7) => Dzh::Everywhere,
        Nationality::Kyrgyz | Nationality::Kazakh if dice.chance(old_dzh) => Dzh::WordInitial,
        _ => Dzh::Keep,
    };
    let vowel_drift =
        matches!(p.nationality, Nationality::Uzbek | Nationality::Tajik) && dice.chance(drift);
    Russify { dzh, vowel_drift }
}

/// A Uzbek particle written the Russian way varies more than a letter table says.
fn russian_particle(s: String, dice: &mut Dice) -> String {
    if s.ends_with(" угли") && dice.chance(0.4) {
        return s.replace(" угли", " оглы");
    }
    if s.ends_with(" кизи") && dice.chance(0.4) {
        return s.replace(" кизи", " кызы");
    }
    s
}

/// How the Russian form behind a Latin rendering is written: Uzbek ж as дж (Dzhamshid).
fn latin_base(n: Nationality) -> Russify {
    let dzh = if n == Nationality::Uzbek {
        Dzh::Everywhere
    } else {
        Dzh::Keep
    };
    Russify {
        dzh,
        vowel_drift: false,
    }
}

fn render_part(part: &str, n: Nationality, script: Script, dice: &mut Dice) -> String {
    let russian_already = n == Nationality::Russian;
    match script {
        Script::National => part.to_owned(),
        Script::Russian(how) => {
            if russian_already {
                part.to_owned()
            } else {
                russian_particle(russify(part, how), dice)
            }
        }
        Script::RuLatin(sys) => {
            let ru = if russian_already {
                part.to_owned()
            } else {
                russify(part, latin_base(n))
            };
            ru_latin(&ru, sys)
        }
        Script::NationalLatin(sys) => {
            if russian_already {
                ru_latin(part, RuSystem::Icao2013)
            } else {
                national_latin(part, sys)
            }
        }
    }
}

/// A part already in Russian (a Russian patronymic) in the target script.
fn render_russian(part: &str, script: Script) -> String {
    match script {
        Script::National | Script::Russian(_) => part.to_owned(),
        Script::RuLatin(sys) => ru_latin(part, sys),
        Script::NationalLatin(_) => ru_latin(part, RuSystem::Icao2013),
    }
}

fn initial(s: &str) -> String {
    match s.chars().next() {
        Some(c) => format!("{c}."),
        None => String::new(),
    }
}

/// Renders a person's name in a style.
pub(crate) fn render(p: &TruePerson, style: &NameStyle, dice: &mut Dice) -> NameFields {
    // A Russian person's name is already Russian; their "national" form is the Russian one.
    let script = match (p.nationality, style.script) {
        (Nationality::Russian, Script::NationalLatin(_)) => Script::RuLatin(RuSystem::News),
        (Nationality::Russian, Script::Russian(_)) => Script::National,
        (_, s) => s,
    };
    let surname = match (&p.former_family_name, style.former_surname) {
        (Some(f), true) => f.as_str(),
        _ => p.family_name.as_str(),
    };
    let n = p.nationality;
    let given = render_part(&p.given_name, n, script, dice);
    let family = render_part(surname, n, script, dice);
    let patronymic = match style.patronymic {
        Patronymic::None => None,
        Patronymic::Russian => Some(render_russian(&p.russian_patronymic, script)),
        Patronymic::National => p
            .patronymic
            .as_ref()
            .map(|pat| render_part(pat, n, script, dice)),
    };
    let mut fields = match style.layout {
        Layout::Split => NameFields {
            name: None,
            given_name: Some(given),
            family_name: Some(family),
            patronymic,
        },
        Layout::GivenOnly => NameFields {
            name: Some(given),
            ..NameFields::default()
        },
        Layout::GivenInitial => NameFields {
            name: Some(format!("{given} {}", initial(&family))),
            ..NameFields::default()
        },
        Layout::GivenFather => {
            let father = match (&p.patronymic, p.nationality) {
                (Some(pat), Nationality::Kyrgyz | Nationality::Kazakh | Nationality::Uzbek) => {
                    render_part(pat, n, script, dice)
                }
                _ => family.clone(),
            };
            NameFields {
                name: Some(format!("{given} {father}")),
                ..NameFields::default()
            }
        }
        Layout::GivenFirst => {
            let mut parts = vec![given];
            parts.extend(patronymic);
            parts.push(family);
            NameFields {
                name: Some(parts.join(" ")),
                ..NameFields::default()
            }
        }
        Layout::SurnameFirst => {
            let mut parts = vec![family, given];
            parts.extend(patronymic);
            NameFields {
                name: Some(parts.join(" ")),
                ..NameFields::default()
            }
        }
    };
    if style.upper {
        fields = fields.map(|s| s.to_uppercase());
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::people::population;

    fn style(script: Script, layout: Layout, patronymic: Patronymic) -> NameStyle {
        NameStyle {
            script,
            layout,
            patronymic,
            former_surname: false,
            upper: false,
        }
    }

    #[test]
    fn views_of_one_person_differ_by_script_and_layout() {
        let mut d = Dice::new(9);
        let people = population(&mut d, 400);
        let p = people
            .iter()
            .find(|p| p.nationality == Nationality::Kyrgyz && p.family_name.ends_with("ов"))
            .expect("an -ов Kyrgyz");
        let national = render(
            p,
            &style(Script::National, Layout::GivenFirst, Patronymic::None),
            &mut d,
        );
        assert_eq!(
            national.name.as_deref(),
            Some(format!("{} {}", p.given_name, p.family_name).as_str())
        );
        let split = render(
            p,
            &style(
                Script::Russian(Russify::PLAIN),
                Layout::Split,
                Patronymic::Russian,
            ),
            &mut d,
        );
        assert_eq!(
            split.patronymic.as_deref(),
            Some(p.russian_patronymic.as_str())
        );
        assert!(split.name.is_none());
        let latin = render(
            p,
            &NameStyle {
                upper: true,
                ..style(
                    Script::RuLatin(RuSystem::Icao2013),
                    Layout::Split,
                    Patronymic::None,
                )
            },
            &mut d,
        );
        let fam = latin.family_name.unwrap();
        assert!(fam.chars().all(|c| c.is_ascii_uppercase()), "{fam}");
        let given_father = render(
            p,
            &style(Script::National, Layout::GivenFather, Patronymic::None),
            &mut d,
        );
        assert!(given_father.name.unwrap().ends_with(" уулу"));
    }
}
