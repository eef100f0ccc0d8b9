//! What the computed results and the dates say a clerk should look at before the circular
//! goes out: nothing here is invalid, but each would print a document that reads wrong
//! (合格率0% of nothing, a score below zero, 第三季度 inspected in May). Warnings, each at the
//! field it is about.

use crate::diag::{Diagnostic, Pos, Report};
use crate::model::{Period, Quarter};
use crate::period::{self, Kind};
use crate::score::Results;

pub fn check(q: &Quarter, results: &Results, report: &mut Report) {
    check_dates(q, report);
    for (n, (insp, r)) in q.inspections.iter().zip(&results.inspections).enumerate() {
        let at = Pos::of(&insp.id.referenced);
        if r.count == 0 {
            report.push(
                Diagnostic::warning(
                    at,
                    format!("inspections[{n}]"),
                    format!(
                        "“{}”没有检查对象（检查数为 0）：文中的合格率、抽查比例将印作 0%，名单为空",
                        insp.kind
                    ),
                )
                .with_hint("写出 items，或写 total（检查数）；不报告这项检查就删去它"),
            );
        }
        // With a bonus, a score above the full mark is the scheme's design (107分).
        let full = insp
            .scheme
            .as_ref()
            .filter(|s| !s.indicators.iter().any(|i| i.bonus))
            .map(|s| s.full_mark.0);
        for (k, (item, ir)) in insp.items.iter().zip(&r.items).enumerate() {
            let at = Pos::of(&item.unit.referenced);
            let field = format!("inspections[{n}].items[{k}]");
            let score = ir.score_value;
            if score.is_some_and(|s| s.is_sign_negative() && !s.is_zero()) {
                report.push(
                    Diagnostic::warning(
                        at,
                        field,
                        format!("“{}”得分为 {}，低于 0 分", item.unit.value, ir.score),
                    )
                    .with_hint("核对扣分，或在 scheme 的 indicators 中给该项写上限 max"),
                );
            } else if full.zip(score).is_some_and(|(f, s)| s > f) {
                report.push(
                    Diagnostic::warning(
                        at,
                        field,
                        format!(
                            "“{}”得分 {} 超过满分 {}（评分方案没有加分项）",
                            item.unit.value,
                            ir.score,
                            crate::score::show(full.unwrap_or_default())
                        ),
                    )
                    .with_hint(
                        "核对得分；有加分时在 scheme 的 indicators 中把该项写作 bonus: true",
                    ),
                );
            }
            for problem in &item.problems {
                if holds_several(problem) {
                    report.push(
                        Diagnostic::warning(
                            at,
                            format!("inspections[{n}].items[{k}].problems"),
                            format!(
                                "“{problem}”像是几个问题写在一起：问题分类统计（problem_kinds、problems_by_count）把它算作一种"
                            ),
                        )
                        .with_hint("每个问题写成列表的一项：problems: [首页超2周未更新, 政策解读缺失]"),
                    );
                }
            }
        }
    }
}

/// A problem text that numbers or lists several problems: 1.…；2.…, or clauses apart by ；.
fn holds_several(p: &str) -> bool {
    let numbered = ["2.", "2．", "2、", "（2）", "(2)", "二是"]
        .iter()
        .any(|m| p.contains(m));
    numbered || p.trim_end_matches(['；', ';']).contains(['；', ';'])
}

/// The period, the inspection's dates and the 成文日期 must tell one story.
fn check_dates(q: &Quarter, report: &mut Report) {
    let p = &q.quarter;
    let date = q.document.date.value.get();
    let range = period_range(p);
    let name = period::name(p);
    for (field, d) in [("quarter.from", &p.from), ("quarter.to", &p.to)] {
        let Some(span) = d else { continue };
        let Some(v) = span.value.get() else { continue };
        if let Some((first, last)) = range {
            if v < first || v > last {
                report.push(
                    Diagnostic::warning(
                        Pos::of(&span.referenced),
                        field,
                        format!(
                            "检查日期 {} 不在{name}（{}至{}）之内",
                            v.zh(),
                            first.zh(),
                            last.zh()
                        ),
                    )
                    .with_hint("核对 quarter 的 year、number（或 month、half）和检查日期"),
                );
            }
        }
    }
    if let Some(d) = date {
        let after = p.to.as_ref().and_then(|t| t.value.get());
        let early = if let Some(to) = after.filter(|to| d < *to) {
            Some((
                format!("成文日期 {} 早于检查结束日期 {}", d.zh(), to.zh()),
                "核对成文日期（document.date）和检查日期（quarter.to）",
            ))
        } else {
            range.filter(|(first, _)| d < *first).map(|(first, _)| {
                (
                    format!("成文日期 {} 早于{name}的开始 {}", d.zh(), first.zh()),
                    "核对成文日期和 quarter 的年份、季度",
                )
            })
        };
        if let Some((message, hint)) = early {
            report.push(
                Diagnostic::warning(
                    Pos::of(&q.document.date.referenced),
                    "document.date",
                    message,
                )
                .with_hint(hint),
            );
        }
        if let Some(n) = &q.document.number {
            if let Some(year) = number_year(&n.value).filter(|y| *y != d.year) {
                report.push(
                    Diagnostic::warning(
                        Pos::of(&n.referenced),
                        "document.number",
                        format!("发文字号的年份〔{year}〕与成文日期 {} 的年份不同", d.zh()),
                    )
                    .with_hint("发文字号的年份是成文的年份：核对两者"),
                );
            }
        }
    }
}

/// The year in a 发文字号's 〔〕.
fn number_year(n: &str) -> Option<u32> {
    let inner = n.split_once('〔')?.1.split_once('〕')?.0;
    inner.parse().ok()
}

/// The first and last day of the period, for a quarter, a month, a half-year or a year.
fn period_range(p: &Period) -> Option<(crate::date::Date, crate::date::Date)> {
    use crate::date::Date;
    let y = p.year.value;
    let (m0, months) = match period::kind(p) {
        Kind::Quarter(n) if (1..=4).contains(&n) => (3 * (n - 1) + 1, 3),
        Kind::Month(m) if (1..=12).contains(&m) => (m, 1),
        Kind::Half(h) if (1..=2).contains(&h) => (6 * (h - 1) + 1, 6),
        Kind::Year => (1, 12),
        _ => return None,
    };
    let first = Date {
        year: y,
        month: m0,
        day: 1,
    };
    let month = m0 + months - 1;
    let last = Date {
        year: y,
        month,
        day: crate::date::days_in_month(y, month),
    };
    Some((first, last))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_problems_in_one_text_are_recognised() {
        assert!(holds_several("1.首页超2周未更新；2.政策解读缺失"));
        assert!(holds_several("首页超2周未更新；政策解读缺失"));
        assert!(holds_several("一是更新不及时，二是解读缺失"));
        assert!(!holds_several("首页超2周未更新"));
        assert!(!holds_several("留言未回复；"));
    }

    #[test]
    fn the_year_of_a_document_number() {
        assert_eq!(number_year("大足府办发〔2021〕85号"), Some(2021));
        assert_eq!(number_year("某府办发12号"), None);
    }
}
