use crate::ValueError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

const EXPECTED: &str = "an ISO 3166-1 alpha-2 country code such as RU, KG, KZ, UZ or TJ";

/// The 249 officially assigned ISO 3166-1 alpha-2 codes, sorted.
const ASSIGNED: &str = concat!(
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE ",
    "BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD ",
    "CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM ",
    "DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF ",
    "GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ",
    "ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN ",
    "KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME ",
    "MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA ",
    "NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM ",
    "PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI ",
    "SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK ",
    "TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI ",
    "VN VU WF WS YE YT ZA ZM ZW ",
);

/// An ISO 3166-1 alpha-2 country code (`RU`, `KG`), upper case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    pub fn as_str(&self) -> &str {
        // Both bytes are ASCII upper-case letters by construction.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CountryCode {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_uppercase();
        let b = t.as_bytes();
        if b.len() != 2 || !b.iter().all(u8::is_ascii_uppercase) {
            return Err(ValueError::new(
                format!("'{s}' is not a two-letter country code"),
                EXPECTED,
            ));
        }
        if !ASSIGNED.split(' ').any(|c| c == t) {
            return Err(ValueError::new(
                format!("'{s}' is not an assigned country code"),
                EXPECTED,
            ));
        }
        Ok(CountryCode([b[0], b[1]]))
    }
}

impl TryFrom<String> for CountryCode {
    type Error = ValueError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<CountryCode> for String {
    fn from(c: CountryCode) -> String {
        c.as_str().to_owned()
    }
}

/// Parses `RU;KG` (codes joined by `;`, spaces allowed) into sorted, distinct codes.
pub fn parse_country_list(s: &str) -> Result<Vec<CountryCode>, ValueError> {
    let mut out = Vec::new();
    for part in s.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        out.push(part.parse()?);
    }
    out.sort();
    out.dedup();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assigned_codes_only() {
        assert_eq!("kg".parse::<CountryCode>().unwrap().as_str(), "KG");
        assert!(
            "XX".parse::<CountryCode>()
                .unwrap_err()
                .problem
                .contains("not an assigned")
        );
        assert!(
            "RUS"
                .parse::<CountryCode>()
                .unwrap_err()
                .problem
                .contains("two-letter")
        );
        assert_eq!(ASSIGNED.split(' ').filter(|c| !c.is_empty()).count(), 249);
    }

    #[test]
    fn lists_are_sorted_and_distinct() {
        let got: Vec<String> = parse_country_list("RU; KG;RU")
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        assert_eq!(got, ["KG", "RU"]);
        assert!(parse_country_list("").unwrap().is_empty());
        assert!(parse_country_list("RU;Kyrgyzstan").is_err());
    }
}
