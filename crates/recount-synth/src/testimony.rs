//! Short synthetic testimony for the `quote` field, in Russian or English. Every quote is
//! labelled as synthetic and names no one: it only echoes the kind of words scenario.md reports.

use crate::dice::Dice;
use crate::people::{Happening, TrueEvent};
use crate::places::{CITIES, CROSSINGS};

/// The label every synthetic quote starts with, in the quote's language.
pub const QUOTE_LABEL_RU: &str = "[синтетический текст]";
pub const QUOTE_LABEL_EN: &str = "[synthetic text]";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lang {
    Ru,
    En,
}

/// Who is speaking, which changes the grammar of the quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Voice {
    /// The person themself.
    First,
    /// A relative or witness about the person.
    Third,
}

/// The city names of [`CITIES`] after "в" with motion (accusative) and location (prepositional).
const CITY_TO: [&str; 8] = [
    "Москву",
    "Санкт-Петербург",
    "Екатеринбург",
    "Новосибирск",
    "Сургут",
    "Красноярск",
    "Казань",
    "Тюмень",
];
const CITY_IN: [&str; 8] = [
    "Москве",
    "Санкт-Петербурге",
    "Екатеринбурге",
    "Новосибирске",
    "Сургуте",
    "Красноярске",
    "Казани",
    "Тюмени",
];

fn until_ru(e: &TrueEvent) -> String {
    match e.barred_until {
        Some(d) => format!(" до {d}"),
        None => String::new(),
    }
}

fn until_en(e: &TrueEvent) -> String {
    match e.barred_until {
        Some(d) => format!(" until {d}"),
        None => String::new(),
    }
}

fn crossing_en(e: &TrueEvent) -> &'static str {
    e.crossing.map(|c| CROSSINGS[c].en).unwrap_or("the border")
}

/// A quote about an event, with its label.
pub(crate) fn quote(
    e: &TrueEvent,
    city: usize,
    age: u8,
    lang: Lang,
    voice: Voice,
    dice: &mut Dice,
) -> String {
    let city_to = CITY_TO[city % CITY_TO.len()];
    let city_in = CITY_IN[city % CITY_IN.len()];
    let city_en = CITIES[city].0.en;
    let text = match (e.happening, lang, voice) {
        (Happening::ExitRefused, Lang::Ru, Voice::First) => match dice.below(3) {
            0 => format!(
                "На границе сказали, что я в списке мобилизации и не имею права выезжать{}.",
                until_ru(e)
            ),
            1 => format!(
                "Пограничники забрали паспорт на час, потом сказали ехать обратно в {city_to}."
            ),
            _ => "Меня развернули на пункте пропуска, остальных пассажиров пропустили.".to_owned(),
        },
        (Happening::ExitRefused, Lang::Ru, Voice::Third) => match dice.below(2) {
            0 => format!(
                "Его развернули на казахской границе и отправили обратно в {city_to}, хотя у других в машине не было российских паспортов."
            ),
            _ => format!(
                "Брату сказали, что он в мобилизационном списке и выезд ему закрыт{}.",
                until_ru(e)
            ),
        },
        (Happening::ExitRefused, Lang::En, _) => format!(
            "Border guards at {} told him he was on a mobilization list and could not leave{}.",
            crossing_en(e),
            until_en(e)
        ),
        (Happening::Summoned, Lang::Ru, Voice::First) => {
            "Пришла повестка из военкомата, хотя я получил паспорт всего два года назад.".to_owned()
        }
        (Happening::Summoned, Lang::Ru, Voice::Third) => {
            format!(
                "Ему вручили повестку в {city_in}, сказали явиться в военкомат на следующий день."
            )
        }
        (Happening::Summoned, Lang::En, _) => {
            format!(
                "He received a summons from a recruitment office in {city_en} after 21 September."
            )
        }
        (Happening::Threatened, Lang::Ru, Voice::First) => {
            "В военкомате побеседовали, отпустили и предупредили, что за уклонение накажут строго."
                .to_owned()
        }
        (Happening::Threatened, Lang::Ru, Voice::Third) => {
            "В военкомате ему пригрозили уголовным делом за уклонение.".to_owned()
        }
        (Happening::Threatened, Lang::En, _) => {
            "He was interviewed, released and warned that desertion is punished severely."
                .to_owned()
        }
        (Happening::Deployed, Lang::Ru, _) => {
            if age >= 55 {
                "Ему почти шестьдесят, а его отправили на Украину.".to_owned()
            } else {
                "Его отправили в зону боевых действий через несколько недель после повестки."
                    .to_owned()
            }
        }
        (Happening::Deployed, Lang::En, _) => {
            if age >= 55 {
                "A man close to 60 years old was reported sent to Ukraine.".to_owned()
            } else {
                "He was sent to the front weeks after receiving a summons.".to_owned()
            }
        }
    };
    let label = match lang {
        Lang::Ru => QUOTE_LABEL_RU,
        Lang::En => QUOTE_LABEL_EN,
    };
    format!("{label} {text}")
}
