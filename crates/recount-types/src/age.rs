use crate::ValueError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

const EXPECTED: &str = "whole years (e.g. 57) or a range low-high (e.g. 55-60)";

/// An age in whole years at the event, exact (`min == max`) or a range as reported
/// ("close to sixty" is best recorded as `55-60`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AgeRange {
    min: u8,
    max: u8,
}

impl AgeRange {
    /// The range `min..=max`; `None` when reversed or beyond 130 years.
    pub fn new(min: u8, max: u8) -> Option<Self> {
        (min <= max && max <= 130).then_some(AgeRange { min, max })
    }
    pub fn exact(age: u8) -> Option<Self> {
        Self::new(age, age)
    }
    pub fn min(self) -> u8 {
        self.min
    }
    pub fn max(self) -> u8 {
        self.max
    }
    pub fn contains(self, age: u8) -> bool {
        self.min <= age && age <= self.max
    }
    pub fn is_exact(self) -> bool {
        self.min == self.max
    }
}

impl fmt::Display for AgeRange {
    /// `57` or `55-60`, written digit by digit (see `PartialDate`'s `Display`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn push(buf: &mut [u8; 7], len: &mut usize, years: u8) {
            for (div, at_least) in [(100, 100), (10, 10), (1, 0)] {
                if years >= at_least {
                    buf[*len] = b'0' + years / div % 10;
                    *len += 1;
                }
            }
        }
        let (mut buf, mut len) = ([0u8; 7], 0);
        push(&mut buf, &mut len, self.min);
        if !self.is_exact() {
            buf[len] = b'-';
            len += 1;
            push(&mut buf, &mut len, self.max);
        }
        f.write_str(std::str::from_utf8(&buf[..len]).map_err(|_| fmt::Error)?)
    }
}

fn parse_years(s: &str) -> Result<u8, ValueError> {
    let t = s.trim();
    if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ValueError::new(
            format!("'{s}' is not a whole number of years"),
            EXPECTED,
        ));
    }
    match t.parse::<u16>() {
        Ok(n) if n <= 130 => Ok(n as u8),
        _ => Err(ValueError::new(
            format!("{t} years is not a plausible age"),
            EXPECTED,
        )),
    }
}

impl FromStr for AgeRange {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.split_once('-') {
            None => {
                let n = parse_years(s)?;
                Ok(AgeRange { min: n, max: n })
            }
            Some((lo, hi)) => {
                let (lo, hi) = (parse_years(lo)?, parse_years(hi)?);
                AgeRange::new(lo, hi).ok_or_else(|| {
                    ValueError::new(format!("the range {lo}-{hi} is reversed"), EXPECTED)
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: Result<(u8, u8), &str>) {
        let got = input.parse::<AgeRange>().map(|a| (a.min(), a.max()));
        match expected {
            Ok(v) => assert_eq!(got, Ok(v), "{input}"),
            Err(fragment) => {
                let err = got.expect_err(input);
                assert!(err.problem.contains(fragment), "{input}: {err}");
            }
        }
    }

    #[test]
    fn ages_and_ranges() {
        check("57", Ok((57, 57)));
        check(" 33 ", Ok((33, 33)));
        check("55-60", Ok((55, 60)));
        check("60-55", Err("reversed"));
        check("abc", Err("not a whole number"));
        check("-5", Err("not a whole number"));
        check("200", Err("not a plausible age"));
        check("", Err("not a whole number"));
    }

    #[test]
    fn display_round_trips() {
        for s in ["57", "55-60"] {
            assert_eq!(s.parse::<AgeRange>().unwrap().to_string(), s);
        }
        // Every age and range, against the formatting machinery the digits replace.
        for min in 0..=130u8 {
            for max in min..=130 {
                let age = AgeRange::new(min, max).unwrap();
                let expected = if min == max {
                    format!("{min}")
                } else {
                    format!("{min}-{max}")
                };
                assert_eq!(age.to_string(), expected);
            }
        }
    }
}
