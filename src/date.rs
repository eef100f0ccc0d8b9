//! The one calendar date of tongbao: parsed once, at load, from what a clerk writes
//! (2024-07-05, 2024-7-5, 2024/7/5, 2024.7.5, 2024年7月5日, also with full-width digits), and
//! used as such by every stage (validation, templates, the DOCX package and the PDF info).
//!
//! One range for every stage: the years a DOCX (a ZIP archive, whose entry dates are 1980–2107)
//! can carry, so a date `check` accepts is a date `render` can write.

use std::fmt;
use std::ops::RangeInclusive;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A real calendar day within [`Date::YEARS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u32,
    pub month: u32,
    pub day: u32,
}

/// How a date is written, for messages.
const FORMS: &str = "应写作 2024-07-05（也可写 2024-7-5、2024/7/5、2024.7.5 或 2024年7月5日）";

impl Date {
    /// The years every output format can hold.
    pub const YEARS: RangeInclusive<u32> = 1980..=2107;

    /// Parse a date as clerks write it; the error is a Chinese message quoting `s`.
    pub fn parse(s: &str) -> Result<Date, String> {
        let not_a_date = || format!("“{s}”不是日期：{FORMS}");
        // Full-width digits (２０２４) as typed with a Chinese input method.
        let t: String = s
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                c => c,
            })
            .filter(|c| *c != ' ')
            .collect();
        let parts: Vec<&str> = if let Some(rest) = t.strip_suffix('日') {
            rest.split(['年', '月']).collect()
        } else if t.contains(['年', '月']) {
            return Err(not_a_date());
        } else {
            let sep = t.chars().find(|c| matches!(c, '-' | '/' | '.'));
            match sep {
                Some(sep) => t.split(sep).collect(),
                None => return Err(not_a_date()),
            }
        };
        let [y, m, d] = parts[..] else {
            return Err(not_a_date());
        };
        let digits = |p: &str, max_len: usize| {
            (!p.is_empty() && p.len() <= max_len && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse::<u32>().ok())
                .flatten()
        };
        let (Some(year), Some(month), Some(day)) = (digits(y, 4), digits(m, 2), digits(d, 2))
        else {
            return Err(not_a_date());
        };
        if y.len() != 4 {
            return Err(format!("“{s}”的年份须写全四位：{FORMS}"));
        }
        if !Self::YEARS.contains(&year) {
            return Err(format!(
                "“{s}”的年份 {year} 超出范围：须在 {} 至 {} 年之间",
                Self::YEARS.start(),
                Self::YEARS.end()
            ));
        }
        if !(1..=12).contains(&month) {
            return Err(format!("“{s}”的月份无效：没有 {month} 月"));
        }
        let days = days_in_month(year, month);
        if day == 0 || day > days {
            return Err(format!("“{s}”不存在：{year}年{month}月只有 {days} 天"));
        }
        Ok(Date { year, month, day })
    }

    /// As printed in a 公文: 2021年7月7日 (full year, no zero padding).
    pub fn zh(&self) -> String {
        format!("{}年{}月{}日", self.year, self.month, self.day)
    }

    /// ISO 8601: 2021-07-07.
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// The same day `months` later, or the month's last day (11-30 → 02-29; a month's last
    /// day stays its last: 09-30 → 10-31); None past [`Date::YEARS`].
    pub fn months_on(self, months: u32) -> Option<Date> {
        let total = self.year * 12 + (self.month - 1) + months;
        let (year, month) = (total / 12, total % 12 + 1);
        let day = if self.day == days_in_month(self.year, self.month) {
            days_in_month(year, month)
        } else {
            self.day.min(days_in_month(year, month))
        };
        Self::YEARS
            .contains(&year)
            .then_some(Date { year, month, day })
    }
}

/// Days in `month` (1–12) of `year`, Gregorian.
pub fn days_in_month(year: u32, month: u32) -> u32 {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

/// Serialised as ISO text, as JSON consumers expect.
impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.iso())
    }
}

/// A value parsed from its text at load.
pub trait FromText: Sized {
    /// The value, or a Chinese message saying what is wrong with `text` and how to write it.
    fn from_text(text: &str) -> Result<Self, String>;
}

impl FromText for Date {
    fn from_text(text: &str) -> Result<Self, String> {
        Date::parse(text)
    }
}

/// A field parsed at load whose text may be invalid. An invalid value does not stop loading:
/// validation reports it at its position with every other problem, as `check` promises.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked<T>(pub Result<T, String>);

impl<T: Copy> Checked<T> {
    /// The parsed value, if the text was valid.
    pub fn get(&self) -> Option<T> {
        self.0.as_ref().ok().copied()
    }
}

struct CheckedVisitor<T>(std::marker::PhantomData<T>);

impl<T: FromText> Visitor<'_> for CheckedVisitor<T> {
    type Value = Checked<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Checked(T::from_text(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        self.visit_str(&v.to_string())
    }
}

impl<'de, T: FromText> Deserialize<'de> for Checked<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(CheckedVisitor(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_a_clerk_writes() {
        for s in [
            "2024-07-05",
            "2024-7-5",
            "2024/7/5",
            "2024.7.5",
            "2024年7月5日",
            "2024 年 7 月 5 日",
            "２０２４年７月５日",
            " 2024/07/05 ",
        ] {
            assert_eq!(
                Date::parse(s).map(|d| d.iso()),
                Ok("2024-07-05".into()),
                "{s}"
            );
        }
        assert_eq!(Date::parse("2021-07-07").unwrap().zh(), "2021年7月7日");
    }

    #[test]
    fn impossible_and_malformed_dates_are_refused_with_a_reason() {
        let err = |s: &str| Date::parse(s).unwrap_err();
        assert!(err("2023-02-29").contains("只有 28 天"));
        assert_eq!(Date::parse("2024-02-29").unwrap().iso(), "2024-02-29");
        assert!(err("2021-13-01").contains("月份"));
        assert!(err("21-07-07").contains("四位"));
        assert!(err("七月七日").contains("不是日期"));
        assert!(err("2024-7/5").contains("不是日期"));
        assert!(err("2024年7月").contains("不是日期"));
        assert!(err("2024-07-05-01").contains("不是日期"));
        assert!(err("+2024-07-05").contains("不是日期"));
        assert!(err("").contains("不是日期"));
    }

    #[test]
    fn parsed_once_at_load_and_reported_by_validation() {
        let yaml = "document: {issuer: 某区人民政府办公室, date: 2024年7月5日, print_date: 2024.7.6}\nquarter: {year: 2024, number: 2, from: 2024/4/1, to: 2150-06-30}\n";
        let (q, _) = crate::load::parse(yaml.as_bytes()).expect("loads");
        assert_eq!(
            q.document.date.value.get().map(|d| d.iso()).as_deref(),
            Some("2024-07-05")
        );
        let printed = q.document.print_date.as_ref().and_then(|p| p.value.get());
        assert_eq!(printed.map(|d| d.zh()).as_deref(), Some("2024年7月6日"));
        let mut report = crate::diag::Report::new(std::path::Path::new("q.yaml"));
        crate::validate::check(&q, &mut report);
        let text = report.to_string();
        assert!(
            text.contains("q.yaml:2:54: 错误: quarter.to: “2150-06-30”的年份 2150 超出范围"),
            "{text}"
        );
        assert_eq!(report.items.len(), 1, "{text}");
    }

    #[test]
    fn one_range_for_every_stage() {
        // 2150 was accepted by `check` and refused by `render` when each stage had its parser.
        assert!(Date::parse("2150-07-07")
            .unwrap_err()
            .contains("1980 至 2107"));
        assert!(Date::parse("1979-12-31").is_err());
        assert!(Date::parse("1980-01-01").is_ok());
        assert!(Date::parse("2107-12-31").is_ok());
    }
}
