//! The period a circular covers, as titles and prose name it: a quarter (2023年第二季度), a
//! month (2023年9月), a half-year (2023年上半年), a year (2023年), a numbered round
//! (2023年第三批) or an inspection window (2023年9月10日至9月28日); and which period comes
//! before it, for the previous-period comparison.

use crate::compose::helpers::chinese_numeral;
use crate::date::Date;
use crate::model::Period;

/// What kind of period, with its number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Quarter(u32),
    Month(u32),
    /// 1 上半年, 2 下半年.
    Half(u32),
    Year,
    /// 第N批 (or 次, 轮).
    Round(u32, String),
    Window,
}

impl Kind {
    /// The kind as the template context names it.
    pub fn tag(&self) -> &'static str {
        match self {
            Kind::Quarter(_) => "quarter",
            Kind::Month(_) => "month",
            Kind::Half(_) => "half",
            Kind::Year => "year",
            Kind::Round(..) => "round",
            Kind::Window => "window",
        }
    }
}

/// The kind of a period. Validation (`validate`) reports a period naming more than one kind;
/// here the first of quarter, month, half, round wins.
pub fn kind(p: &Period) -> Kind {
    if let Some(n) = &p.number {
        Kind::Quarter(n.value)
    } else if let Some(m) = &p.month {
        Kind::Month(m.value)
    } else if let Some(h) = &p.half {
        Kind::Half(h.value)
    } else if let Some(r) = &p.round {
        let unit = p.round_unit.as_ref().map_or("批", |u| u.value.as_str());
        Kind::Round(r.value, unit.to_string())
    } else if p.window {
        Kind::Window
    } else {
        Kind::Year
    }
}

/// The window `from`–`to` as printed: 2021年4月1日至6月30日 (the year once when both share it).
pub fn window_text(from: Option<Date>, to: Option<Date>) -> String {
    match (from, to) {
        (Some(f), Some(t)) if f.year == t.year => format!("{}至{}月{}日", f.zh(), t.month, t.day),
        (Some(f), Some(t)) => format!("{}至{}", f.zh(), t.zh()),
        (Some(f), None) => f.zh(),
        _ => String::new(),
    }
}

fn dates(p: &Period) -> (Option<Date>, Option<Date>) {
    let get = |d: &Option<serde_saphyr::Spanned<crate::date::Checked<Date>>>| {
        d.as_ref().and_then(|d| d.value.get())
    };
    (get(&p.from), get(&p.to))
}

/// The period without its year: 第二季度, 9月, 上半年, 全年, 第三批, 9月10日至9月28日.
pub fn label(p: &Period) -> String {
    match kind(p) {
        Kind::Quarter(n) => format!("第{}季度", chinese_numeral(n as u64)),
        Kind::Month(m) => format!("{m}月"),
        Kind::Half(1) => "上半年".into(),
        Kind::Half(_) => "下半年".into(),
        Kind::Year => "全年".into(),
        Kind::Round(n, unit) => format!("第{}{unit}", chinese_numeral(n as u64)),
        Kind::Window => {
            let (f, t) = dates(p);
            window_text(f, t)
                .split_once('年')
                .map(|(_, rest)| rest.to_string())
                .unwrap_or_default()
        }
    }
}

/// The period as a title names it: 2023年第二季度, 2023年9月, 2023年上半年, 2023年,
/// 2023年第三批, 2023年9月10日至9月28日.
pub fn name(p: &Period) -> String {
    let year = p.year.value;
    match kind(p) {
        Kind::Year => format!("{year}年"),
        Kind::Window => {
            let (f, t) = dates(p);
            window_text(f, t)
        }
        _ => format!("{year}年{}", label(p)),
    }
}

/// How prose names the period before this one, relative to it: 较上季度, 较上月, 较上半年 …
pub fn before(p: &Period) -> String {
    match kind(p) {
        Kind::Quarter(_) => "上季度".into(),
        Kind::Month(_) => "上月".into(),
        Kind::Half(1) => "上年下半年".into(),
        Kind::Half(_) => "上半年".into(),
        Kind::Year => "上年".into(),
        Kind::Round(_, unit) => format!("上一{unit}"),
        Kind::Window => "上次".into(),
    }
}

/// The year and kind of the period just before this one; `None` for a window (any earlier
/// window will do) and for a first round.
pub fn previous_of(p: &Period) -> Option<(u32, Kind)> {
    let y = p.year.value;
    Some(match kind(p) {
        Kind::Quarter(1) => (y.checked_sub(1)?, Kind::Quarter(4)),
        Kind::Quarter(n) => (y, Kind::Quarter(n - 1)),
        Kind::Month(1) => (y.checked_sub(1)?, Kind::Month(12)),
        Kind::Month(m) => (y, Kind::Month(m - 1)),
        Kind::Half(1) => (y.checked_sub(1)?, Kind::Half(2)),
        Kind::Half(_) => (y, Kind::Half(1)),
        Kind::Year => (y.checked_sub(1)?, Kind::Year),
        Kind::Round(n, unit) if n > 1 => (y, Kind::Round(n - 1, unit)),
        Kind::Round(..) | Kind::Window => return None,
    })
}

/// Whether `earlier` is the period just before `later` (for a window: ends before it starts).
pub fn is_just_before(earlier: &Period, later: &Period) -> bool {
    match previous_of(later) {
        Some((y, k)) => earlier.year.value == y && kind(earlier) == k,
        None if kind(later) == Kind::Window => {
            let ((_, end), (start, _)) = (dates(earlier), dates(later));
            matches!((end, start), (Some(e), Some(s)) if e < s)
        }
        // A first round has no round before it in the same series: any earlier file is fine.
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(yaml: &str) -> Period {
        let text =
            format!("document: {{issuer: 某区人民政府办公室, date: 2024-07-01}}\nquarter: {{year: 2023, {yaml}}}\n");
        crate::load::parse(text.as_bytes()).unwrap().0.quarter
    }

    #[test]
    fn names_of_every_kind() {
        let cases = [
            ("number: 2", "2023年第二季度", "第二季度", "上季度"),
            ("month: 9", "2023年9月", "9月", "上月"),
            ("half: 1", "2023年上半年", "上半年", "上年下半年"),
            ("half: 2", "2023年下半年", "下半年", "上半年"),
            ("round: 3", "2023年第三批", "第三批", "上一批"),
            (
                "round: 2, round_unit: 轮",
                "2023年第二轮",
                "第二轮",
                "上一轮",
            ),
            (
                "window: true, from: 2023-09-10, to: 2023-09-28",
                "2023年9月10日至9月28日",
                "9月10日至9月28日",
                "上次",
            ),
        ];
        for (yaml, full, short, prev) in cases {
            let p = period(yaml);
            assert_eq!(
                (name(&p), label(&p), before(&p)),
                (full.into(), short.into(), prev.into()),
                "{yaml}"
            );
        }
        let year = crate::load::parse(
            "document: {issuer: 某区人民政府办公室, date: 2024-07-01}\nquarter: {year: 2023}\n"
                .as_bytes(),
        )
        .unwrap()
        .0
        .quarter;
        assert_eq!(
            (name(&year), kind(&year)),
            ("2023年".to_string(), Kind::Year)
        );
    }

    #[test]
    fn the_period_before() {
        assert!(!is_just_before(&period("number: 4"), &period("number: 4")));
        let q1 = period("number: 1");
        let mut q4 = period("number: 4");
        q4.year.value = 2022;
        assert!(is_just_before(&q4, &q1));
        assert!(is_just_before(&period("number: 1"), &period("number: 2")));
        assert!(!is_just_before(&period("number: 1"), &period("number: 3")));
        assert!(is_just_before(&period("month: 8"), &period("month: 9")));
        assert!(!is_just_before(&period("month: 8"), &period("number: 3")));
        assert!(is_just_before(
            &period("window: true, from: 2023-06-01, to: 2023-06-20"),
            &period("window: true, from: 2023-09-10, to: 2023-09-28")
        ));
        assert!(!is_just_before(
            &period("window: true, from: 2023-09-01, to: 2023-09-20"),
            &period("window: true, from: 2023-09-10, to: 2023-09-28")
        ));
    }
}
