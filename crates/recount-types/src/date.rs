use crate::ValueError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

const EXPECTED: &str = "YYYY, YYYY-MM or YYYY-MM-DD";
const EXPECTED_RANGE: &str = "YYYY, YYYY-MM, YYYY-MM-DD or a range START/END of those";

/// How much of a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatePrecision {
    Year,
    Month,
    Day,
}

/// A calendar date known to a year, a month or a day (years 1900–2100).
///
/// Ordering compares the earliest day the date can mean, then the precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PartialDate {
    year: u16,
    month: Option<u8>,
    day: Option<u8>,
}

impl PartialDate {
    pub fn year_only(year: u16) -> Option<Self> {
        (1900..=2100).contains(&year).then_some(PartialDate {
            year,
            month: None,
            day: None,
        })
    }
    pub fn year_month(year: u16, month: u8) -> Option<Self> {
        let d = Self::year_only(year)?;
        (1..=12).contains(&month).then_some(PartialDate {
            month: Some(month),
            ..d
        })
    }
    pub fn ymd(year: u16, month: u8, day: u8) -> Option<Self> {
        let d = Self::year_month(year, month)?;
        (day >= 1 && day <= days_in_month(year, month)).then_some(PartialDate {
            day: Some(day),
            ..d
        })
    }
    pub fn year(self) -> u16 {
        self.year
    }
    pub fn month(self) -> Option<u8> {
        self.month
    }
    pub fn day(self) -> Option<u8> {
        self.day
    }
    pub fn precision(self) -> DatePrecision {
        match (self.month, self.day) {
            (_, Some(_)) => DatePrecision::Day,
            (Some(_), None) => DatePrecision::Month,
            _ => DatePrecision::Year,
        }
    }
    /// The first day this date can mean, as days since 1970-01-01.
    pub fn first_day(self) -> i32 {
        days_from_civil(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }
    /// The last day this date can mean, as days since 1970-01-01.
    pub fn last_day(self) -> i32 {
        let month = self.month.unwrap_or(12);
        let day = self.day.unwrap_or_else(|| days_in_month(self.year, month));
        days_from_civil(self.year, month, day)
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PartialDate {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.first_day(), self.precision()).cmp(&(other.first_day(), other.precision()))
    }
}

pub(crate) fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

pub(crate) fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(year: u16, month: u8, day: u8) -> i32 {
    let y = i32::from(year) - i32::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i32::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i32::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl fmt::Display for PartialDate {
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, written digit by digit: an import writes two dates
    /// per record (for its content hash), and the formatting machinery's padded integers
    /// were a tenth of the reading thread's time.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digit = |v: u16| b'0' + (v % 10) as u8;
        let y = self.year;
        let mut buf = [
            digit(y / 1000),
            digit(y / 100),
            digit(y / 10),
            digit(y),
            0,
            0,
            0,
            0,
            0,
            0,
        ];
        let mut len = 4;
        for part in [self.month, self.day].into_iter().flatten() {
            buf[len..len + 3].copy_from_slice(&[
                b'-',
                digit(u16::from(part) / 10),
                digit(u16::from(part)),
            ]);
            len += 3;
        }
        f.write_str(std::str::from_utf8(&buf[..len]).map_err(|_| fmt::Error)?)
    }
}

fn digits<T: FromStr>(part: &str, len: usize, whole: &str) -> Result<T, ValueError> {
    if part.len() != len || !part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ValueError::new(
            format!("'{whole}' is not a date in ISO form"),
            EXPECTED,
        ));
    }
    part.parse()
        .map_err(|_| ValueError::new(format!("'{whole}' is not a date"), EXPECTED))
}

impl FromStr for PartialDate {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let parts: Vec<&str> = t.split('-').collect();
        let year: u16 = digits(parts[0], 4, t)?;
        let out_of_range =
            || ValueError::new(format!("year {year} is outside 1900-2100"), EXPECTED);
        match parts.as_slice() {
            [_] => PartialDate::year_only(year).ok_or_else(out_of_range),
            [_, m] => {
                let month: u8 = digits(m, 2, t)?;
                PartialDate::year_only(year).ok_or_else(out_of_range)?;
                PartialDate::year_month(year, month).ok_or_else(|| {
                    ValueError::new(format!("month {month} does not exist in '{t}'"), EXPECTED)
                })
            }
            [_, m, d] => {
                let month: u8 = digits(m, 2, t)?;
                let day: u8 = digits(d, 2, t)?;
                PartialDate::year_only(year).ok_or_else(out_of_range)?;
                if PartialDate::year_month(year, month).is_none() {
                    return Err(ValueError::new(
                        format!("month {month} does not exist in '{t}'"),
                        EXPECTED,
                    ));
                }
                PartialDate::ymd(year, month, day).ok_or_else(|| {
                    ValueError::new(format!("day {day} does not exist in '{t}'"), EXPECTED)
                })
            }
            _ => Err(ValueError::new(
                format!("'{t}' is not a date in ISO form"),
                EXPECTED,
            )),
        }
    }
}

/// When an event happened: one partial date, or a range `START/END`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventDate {
    On(PartialDate),
    Between(PartialDate, PartialDate),
}

impl EventDate {
    /// The earliest day the event can have happened (days since 1970-01-01).
    pub fn first_day(self) -> i32 {
        match self {
            EventDate::On(d) | EventDate::Between(d, _) => d.first_day(),
        }
    }
    /// The latest day the event can have happened (days since 1970-01-01).
    pub fn last_day(self) -> i32 {
        match self {
            EventDate::On(d) | EventDate::Between(_, d) => d.last_day(),
        }
    }
    /// The date that starts the event's window; its year and month stratify estimates.
    pub fn start(self) -> PartialDate {
        match self {
            EventDate::On(d) | EventDate::Between(d, _) => d,
        }
    }
}

impl fmt::Display for EventDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventDate::On(d) => d.fmt(f),
            EventDate::Between(a, b) => {
                a.fmt(f)?;
                f.write_str("/")?;
                b.fmt(f)
            }
        }
    }
}

impl FromStr for EventDate {
    type Err = ValueError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let with_range_hint = |e: ValueError| ValueError {
            expected: EXPECTED_RANGE,
            ..e
        };
        match s.split_once('/') {
            None => s.parse().map(EventDate::On).map_err(with_range_hint),
            Some((a, b)) => {
                let a: PartialDate = a.parse().map_err(with_range_hint)?;
                let b: PartialDate = b.parse().map_err(with_range_hint)?;
                if a.first_day() > b.last_day() {
                    return Err(ValueError::new(
                        format!("the range {a}/{b} ends before it starts"),
                        EXPECTED_RANGE,
                    ));
                }
                Ok(EventDate::Between(a, b))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: Result<&str, &str>) {
        let got = input.parse::<EventDate>().map(|d| d.to_string());
        match expected {
            Ok(v) => assert_eq!(got.as_deref(), Ok(v), "{input}"),
            Err(fragment) => {
                let err = got.expect_err(input);
                assert!(err.problem.contains(fragment), "{input}: {err}");
            }
        }
    }

    #[test]
    fn dates_in_every_form() {
        check("2022", Ok("2022"));
        check("2022-09", Ok("2022-09"));
        check("2022-12-22", Ok("2022-12-22"));
        check("2024-02-29", Ok("2024-02-29"));
        check("2022-09/2023-03", Ok("2022-09/2023-03"));
        check(" 2022-09-21 ", Ok("2022-09-21"));
    }

    #[test]
    fn every_date_is_written_as_padded_iso() {
        for year in 1900..=2100u16 {
            let y = PartialDate::year_only(year).unwrap();
            assert_eq!(y.to_string(), format!("{year:04}"));
            for month in 1..=12u8 {
                let m = PartialDate::year_month(year, month).unwrap();
                assert_eq!(m.to_string(), format!("{year:04}-{month:02}"));
                for day in 1..=31u8 {
                    if let Some(d) = PartialDate::ymd(year, month, day) {
                        assert_eq!(d.to_string(), format!("{year:04}-{month:02}-{day:02}"));
                        let range = EventDate::Between(y, d);
                        assert_eq!(range.to_string(), format!("{y}/{d}"));
                    }
                }
            }
        }
    }

    #[test]
    fn impossible_dates_are_refused_with_a_reason() {
        check("2022-13-01", Err("month 13 does not exist"));
        check("2023-02-29", Err("day 29 does not exist"));
        check("31.12.2022", Err("not a date in ISO form"));
        check("22-12-31", Err("not a date in ISO form"));
        check("2022-9-1", Err("not a date in ISO form"));
        check("1812", Err("outside 1900-2100"));
        check("2023-03/2022-09", Err("ends before it starts"));
        check("", Err("not a date in ISO form"));
    }

    #[test]
    fn precision_and_day_windows() {
        let d: PartialDate = "2022-02".parse().unwrap();
        assert_eq!(d.precision(), DatePrecision::Month);
        assert_eq!(d.last_day() - d.first_day(), 27);
        let epoch: PartialDate = "1970-01-01".parse().unwrap();
        assert_eq!(epoch.first_day(), 0);
        let y: PartialDate = "2000".parse().unwrap();
        assert_eq!(y.last_day() - y.first_day(), 365);
    }
}
