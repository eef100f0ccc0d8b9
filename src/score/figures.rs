//! The catalogue of computed figures of an inspection: every count, rate and scheme value a
//! document may print, by its path, with a Chinese label. A path is the figure's template path
//! under the inspection (`count`, `pass_rate`, `bands.0.count`,
//! `breakdowns.platform.微博.count`, `by_platform.微信公众号`), so `stated:` paths, the prose
//! lint's suggestions (`{{media.coverage}}`) and the previous-period comparison
//! (`media.change.pass_rate`) all name a figure the same way.

use rust_decimal::Decimal;

use super::{show, Group, InspectionResult, Parts, Rate};
use crate::model::Scalar;

/// A figure's value: a count, a rate or another number.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Count(u32),
    Rate(Rate),
    Number(Decimal),
}

/// One computed figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Template path under the inspection, e.g. `bands.0.count`.
    pub path: String,
    /// What it is, in Chinese, e.g. 合格率, “110分及以上”的数量.
    pub label: String,
    pub value: Value,
}

impl Figure {
    /// The value as printed: 63, 96.8%, 59.
    pub fn text(&self) -> String {
        match &self.value {
            Value::Count(n) => n.to_string(),
            Value::Rate(r) => r.text.clone(),
            Value::Number(d) => show(*d),
        }
    }

    /// The value as a number (a rate as its percentage: 96.8).
    pub fn number(&self) -> Decimal {
        match &self.value {
            Value::Count(n) => Decimal::from(*n),
            Value::Rate(r) => r.value,
            Value::Number(d) => *d,
        }
    }

    /// Whether a stated value (63, "96.8%", 96.8) is this figure.
    pub fn agrees(&self, stated: &Scalar) -> bool {
        match stated {
            Scalar::Number(n) => *n == self.number(),
            Scalar::Text(t) => {
                let t = t.trim();
                t == self.text()
                    || t.strip_suffix(['%', '％'])
                        .and_then(|n| n.trim().parse::<Decimal>().ok())
                        .is_some_and(|n| matches!(self.value, Value::Rate(_)) && n == self.number())
            }
        }
    }

    pub fn is_rate(&self) -> bool {
        matches!(self.value, Value::Rate(_))
    }
}

fn count(path: impl Into<String>, label: impl Into<String>, n: u32) -> Figure {
    Figure {
        path: path.into(),
        label: label.into(),
        value: Value::Count(n),
    }
}

fn rate(path: impl Into<String>, label: impl Into<String>, r: &Rate) -> Figure {
    Figure {
        path: path.into(),
        label: label.into(),
        value: Value::Rate(r.clone()),
    }
}

fn groups(out: &mut Vec<Figure>, field: &str, what: &str, groups: &[Group]) {
    for (i, g) in groups.iter().enumerate() {
        out.push(count(
            format!("{field}.{i}.count"),
            format!("{what}“{}”的数量", g.label),
            g.count,
        ));
        out.push(rate(
            format!("{field}.{i}.share"),
            format!("{what}“{}”的占比", g.label),
            &g.share,
        ));
    }
}

fn parts(out: &mut Vec<Figure>, prefix: &str, what: &str, parts: &Parts) {
    for p in &parts.0 {
        let path = format!("{prefix}.{}", p.label);
        let label = format!("{what}“{}”", p.label);
        out.push(count(
            format!("{path}.count"),
            format!("{label}的数量"),
            p.count,
        ));
        out.push(rate(
            format!("{path}.share"),
            format!("{label}的占比"),
            &p.share,
        ));
        if p.in_operation_declared {
            out.push(count(
                format!("{path}.in_operation"),
                format!("{label}的运行总数"),
                p.in_operation,
            ));
            out.push(rate(
                format!("{path}.coverage"),
                format!("{label}的检查比例"),
                &p.coverage,
            ));
        }
        self::parts(out, &format!("{path}.parts"), &label, &p.parts);
    }
}

/// Every computed figure of one inspection, in a fixed order (totals first).
pub fn catalogue(r: &InspectionResult) -> Vec<Figure> {
    let mut out = vec![
        count("count", "检查总数", r.count),
        count("listed", "列出的检查对象数", r.listed),
        count("in_operation", "运行总数", r.in_operation),
        rate("coverage", "检查比例", &r.coverage),
        count("passed", "合格数", r.passed),
        count("failed", "不合格数", r.failed),
        rate("pass_rate", "合格率", &r.pass_rate),
        rate("fail_rate", "不合格率", &r.fail_rate),
        count("full_mark_count", "满分单位数", r.full_mark_count),
        count("problem_count", "存在问题的数量", r.problem_count),
    ];
    if !r.review.is_empty() {
        out.push(count("review_fixed", "复查已整改的数量", r.review_fixed));
        out.push(count("review_open", "复查仍存在问题的数量", r.review_open));
    }
    if let Some(s) = &r.scheme {
        for (path, label, v) in [
            ("scheme.full_mark", "满分", &s.full_mark),
            ("scheme.pass_mark", "合格分", &s.pass_mark),
            ("scheme.bonus_cap", "加分上限", &s.bonus_cap),
        ] {
            if let Ok(d) = v.parse::<Decimal>() {
                out.push(Figure {
                    path: path.into(),
                    label: label.into(),
                    value: Value::Number(d),
                });
            }
        }
    }
    groups(&mut out, "bands", "分数段", &r.bands);
    groups(&mut out, "tiers", "等次", &r.tiers);
    for (field, what, tally) in [
        ("by_platform", "平台", &r.by_platform),
        ("by_category", "类别", &r.by_category),
        ("by_level", "层级", &r.by_level),
    ] {
        for (label, n) in tally {
            out.push(count(
                format!("{field}.{label}"),
                format!("{what}为“{label}”的数量"),
                *n,
            ));
        }
    }
    for (text, n) in &r.problem_kinds {
        out.push(count(
            format!("problem_kinds.{text}"),
            format!("存在“{text}”问题的数量"),
            *n,
        ));
    }
    for (name, p) in &r.breakdowns {
        parts(&mut out, &format!("breakdowns.{name}"), "", p);
    }
    out
}

/// Whether a path segment can be written bare in a Handlebars path (else it needs `[…]`).
fn bare(segment: &str) -> bool {
    !segment.is_empty()
        && segment.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '$' | ':') || !c.is_ascii()
        })
        && !segment.chars().any(char::is_whitespace)
        && !segment.contains(['。', '，'])
}

/// The template expression (without braces) for a figure of inspection `id`:
/// `sites.bands.0.count`, `media.by_platform.[县(区)]`.
pub fn template_expr(id: &str, path: &str) -> String {
    let mut out = id.to_string();
    for seg in path.split('.') {
        out.push('.');
        if bare(seg) {
            out.push_str(seg);
        } else {
            out.push('[');
            out.push_str(seg);
            out.push(']');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions_bracket_what_handlebars_cannot_read_bare() {
        assert_eq!(
            template_expr("sites", "bands.0.count"),
            "sites.bands.0.count"
        );
        assert_eq!(
            template_expr("m", "by_category.县(区)政府门户网站"),
            "m.by_category.[县(区)政府门户网站]"
        );
        assert_eq!(
            template_expr("m", "by_platform.微信公众号"),
            "m.by_platform.微信公众号"
        );
    }
}
