//! Inputs as clerks write them: 是/否 and 有/无 for yes and no, full-width digits (２０２４,
//! １２．５) in numbers, a score with its unit (95分). Each value read this way is noted with its place, and `check --explain`
//! shows the notes back, so nothing is guessed silently.
//!
//! Used from the model with `#[serde(deserialize_with = "crate::clerk::flag")]` (booleans) and
//! `crate::clerk::count` (whole numbers with their place); [`numeral`] is the one normalisation
//! of figures written as text, used by the decimal types and the spreadsheet import.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde_saphyr::Spanned;

use crate::date::{Checked, Date};

/// Full-width digits, point, signs and percent → ASCII; everything else unchanged.
pub fn digits(s: &str) -> Cow<'_, str> {
    if s.is_ascii() || !s.chars().any(is_full_width_numeric) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| {
                if is_full_width_numeric(c) {
                    char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
                } else {
                    c
                }
            })
            .collect(),
    )
}

/// The number in a figure as clerks write it: [`digits`], and a score's unit 分 after it
/// (95分, ９３.５ 分 → 93.5); other text unchanged but trimmed.
pub fn numeral(s: &str) -> Cow<'_, str> {
    let t = s.trim();
    let bare = |t: &str| {
        t.strip_suffix('分')
            .map(str::trim_end)
            .filter(|n| n.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+'))
            .map(str::to_string)
    };
    match digits(t) {
        Cow::Borrowed(b) => bare(b).map_or(Cow::Borrowed(b), Cow::Owned),
        Cow::Owned(o) => Cow::Owned(bare(&o).unwrap_or(o)),
    }
}

fn is_full_width_numeric(c: char) -> bool {
    matches!(c, '０'..='９' | '．' | '－' | '＋' | '％')
}

/// 是/否, 有/无 (and true/false written as text) → a boolean.
pub fn yes_no(s: &str) -> Option<bool> {
    match s.trim() {
        "是" | "有" | "true" | "True" | "TRUE" => Some(true),
        "否" | "无" | "無" | "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// Record how a value written the clerk's way was read, at the place it was written.
fn note<T>(spanned: &Spanned<T>, written: &str, read: impl fmt::Display) {
    crate::load::note(
        crate::diag::Pos::of(&spanned.referenced),
        format!("“{written}”读作 {read}"),
    );
}

/// A value with the text it was written as, when that text had to be normalised.
struct Read<T> {
    value: T,
    written: Option<String>,
}

struct FlagVisitor;

impl Visitor<'_> for FlagVisitor {
    type Value = Read<bool>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a boolean (true/false, 是/否, 有/无)")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Read {
            value: v,
            written: None,
        })
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        match yes_no(v) {
            Some(b) => Ok(Read {
                value: b,
                written: Some(v.to_string()),
            }),
            None => Err(E::custom(format!(
                "须为 true 或 false（也可写 是/否、有/无），却是“{v}”"
            ))),
        }
    }
}

impl<'de> Deserialize<'de> for Read<bool> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(FlagVisitor)
    }
}

/// A boolean written as true/false, 是/否 or 有/无.
pub fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let read = Spanned::<Read<bool>>::deserialize(d)?;
    if let Some(w) = &read.value.written {
        note(
            &read,
            w,
            if read.value.value {
                "true（是）"
            } else {
                "false（否）"
            },
        );
    }
    Ok(read.value.value)
}

struct CountVisitor;

impl Visitor<'_> for CountVisitor {
    type Value = Read<u32>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a whole number")
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        u32::try_from(v)
            .map(|value| Read {
                value,
                written: None,
            })
            .map_err(|_| E::custom(format!("整数 {v} 过大")))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        match u64::try_from(v) {
            Ok(u) => self.visit_u64(u),
            Err(_) => Err(E::custom(format!("须为不小于 0 的整数，却是 {v}"))),
        }
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        if v.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(&v) {
            self.visit_u64(v as u64)
        } else {
            Err(E::custom(format!("须为整数，却是 {v}")))
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let ascii = digits(v.trim());
        match ascii.parse::<u32>() {
            Ok(value) => Ok(Read {
                value,
                written: (ascii != v).then(|| v.to_string()),
            }),
            Err(_) => Err(E::invalid_type(de::Unexpected::Str(v), &"an integer")),
        }
    }
}

impl<'de> Deserialize<'de> for Read<u32> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(CountVisitor)
    }
}

/// A whole number with its place; full-width digits are read as digits.
pub fn count<'de, D: Deserializer<'de>>(d: D) -> Result<Spanned<u32>, D::Error> {
    let read = Spanned::<Read<u32>>::deserialize(d)?;
    if let Some(w) = &read.value.written {
        note(&read, w, read.value.value);
    }
    Ok(Spanned::new(
        read.value.value,
        read.referenced,
        read.defined,
    ))
}

/// [`count`] for an optional field.
pub fn optional_count<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Spanned<u32>>, D::Error> {
    count(d).map(Some)
}

/// [`count`] for an optional field most items leave out, boxed.
pub fn optional_boxed_count<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Box<Spanned<u32>>>, D::Error> {
    count(d).map(|c| Some(Box::new(c)))
}

/// A scalar's text, whatever YAML typed it as (a date may be read as a string or a number).
struct Text(String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// A date with its place, parsed at load; one written otherwise than YYYY-MM-DD
/// (2024年7月5日, 2024.7.5) is noted with how it was read. An invalid one is kept for
/// validation to report.
pub fn date<'de, D: Deserializer<'de>>(d: D) -> Result<Spanned<Checked<Date>>, D::Error> {
    let read = Spanned::<Text>::deserialize(d)?;
    let written = read.value.0.as_str();
    let parsed = Date::parse(written);
    if let Ok(date) = &parsed {
        if date.iso() != written.trim() {
            note(&read, written, date.iso());
        }
    }
    Ok(Spanned::new(Checked(parsed), read.referenced, read.defined))
}

/// [`date`] for an optional field.
pub fn optional_date<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Spanned<Checked<Date>>>, D::Error> {
    date(d).map(Some)
}

/// Note a number written the clerk's way (full-width digits, 95分), for the decimal types of
/// the model, which read it through [`numeral`]; `spanned` is where it was written.
pub fn note_number<T>(spanned: &Spanned<T>, written: &str) {
    let read = numeral(written);
    if read != written.trim() {
        note(spanned, written, read);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_digits() {
        assert_eq!(digits("２０２４"), "2024");
        assert_eq!(digits("１２．５"), "12.5");
        assert_eq!(digits("９８％"), "98%");
        assert_eq!(digits("第２季度"), "第2季度");
        assert!(matches!(digits("2024"), Cow::Borrowed(_)));
        assert!(matches!(digits("合格"), Cow::Borrowed(_)));
    }

    #[test]
    fn scores_with_their_unit() {
        assert_eq!(numeral("95分"), "95");
        assert_eq!(numeral(" ９３．５ 分 "), "93.5");
        assert_eq!(numeral("-2分"), "-2");
        assert_eq!(numeral("88.9"), "88.9");
        // Not a number with its unit: left as written, for the caller's error.
        assert_eq!(numeral("满分"), "满分");
        assert_eq!(numeral("分"), "分");
        assert_eq!(numeral("不考核"), "不考核");
    }

    #[test]
    fn yes_and_no() {
        assert_eq!(yes_no("是"), Some(true));
        assert_eq!(yes_no(" 否 "), Some(false));
        assert_eq!(yes_no("有"), Some(true));
        assert_eq!(yes_no("无"), Some(false));
        assert_eq!(yes_no("不考核"), None);
    }
}
