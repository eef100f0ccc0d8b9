//! What the YAML states against what `score` computed: published scores, results, ranks and
//! tiers of items, declared counts against the listed items, and `stated:` figures by their path
//! in the catalogue. Each contradiction says what to write instead; the document uses the
//! computed figure. `score::compute` calls these once each inspection is computed.

use crate::diag::{pos, Diagnostic, Report};
use crate::load::did_you_mean;
use crate::model::{Inspection, Scalar};
use crate::score::figures::{catalogue, template_expr};
use crate::score::{InspectionResult, ItemResult};

fn who(r: &ItemResult) -> &str {
    &r.label
}

/// Published per-item figures (score, result, rank, tier) against the computed ones.
pub fn published(insp: &Inspection, r: &InspectionResult, path: &str, report: &mut Report) {
    let scheme = insp.scheme.as_ref();
    let recomputed = scheme.is_some_and(|s| !s.formulas.is_empty());
    let tier_rules = scheme.is_some_and(|s| !s.tiers.is_empty());
    for (k, (src, res)) in insp.items.iter().zip(&r.items).enumerate() {
        let field = |f: &str| format!("{path}.items[{k}].{f}");
        if let (true, Some(s)) = (recomputed, &src.score) {
            let stated = match &s.value {
                Scalar::Number(n) => Some(n.normalize()),
                Scalar::Text(_) => None,
            };
            if stated != res.score_value {
                let instead = if res.score.is_empty() {
                    "删去 score（单项否决不显示得分）".to_string()
                } else {
                    format!("应写作 score: {}，或删去 score", res.score)
                };
                report.push(Diagnostic::contradiction(
                    pos(s),
                    field("score"),
                    format!(
                        "“{}”写明得分 {}，按扣分和公式计算应为 {}（{instead}）",
                        who(res),
                        s.value,
                        if res.score.is_empty() {
                            "不显示得分"
                        } else {
                            &res.score
                        }
                    ),
                ));
            }
        }
        // On an unscored item `result` is the input itself, not a figure to check.
        let judged = res.score_value.is_some() || res.computed_score.is_some() || res.veto;
        if let (true, Some(s)) = (judged, &src.result) {
            if s.value.trim() != res.result {
                let why = match res.reason.as_str() {
                    "" => String::new(),
                    "单项否决" => "（单项否决为“是”）".to_string(),
                    other => format!("（{other}）"),
                };
                report.push(Diagnostic::contradiction(
                    pos(s),
                    field("result"),
                    format!(
                        "“{}”写明检查结果“{}”，计算结果应为“{}”{why}（应写作 result: {}，或删去 result）",
                        who(res),
                        s.value,
                        res.result,
                        res.result
                    ),
                ));
            }
        }
        if let Some(s) = &src.rank {
            if res.rank != Some(s.value) {
                let message = match res.rank {
                    Some(rank) => format!(
                        "“{}”写明排名 {}，按得分 {} 排名应为 {rank}（并列同分同名次；应写作 rank: {rank}，或删去 rank）",
                        who(res),
                        s.value,
                        res.score
                    ),
                    None => format!(
                        "“{}”写明排名 {}，按计分方案它不参加排名（删去 rank）",
                        who(res),
                        s.value
                    ),
                };
                report.push(Diagnostic::contradiction(pos(s), field("rank"), message));
            }
        }
        if let (true, Some(t)) = (tier_rules, &src.tier) {
            if t.value != res.tier {
                report.push(Diagnostic::contradiction(
                    pos(t),
                    field("tier"),
                    format!(
                        "“{}”写明等次“{}”，按 scheme.tiers 的规则应为“{}”（应写作 tier: {}，或删去 tier）",
                        who(res),
                        t.value,
                        res.tier,
                        res.tier
                    ),
                ));
            }
        }
    }
}

/// Declared passed/failed against the listed items: no fewer failures, no fewer passes than
/// listed.
pub fn listed_counts(insp: &Inspection, r: &InspectionResult, path: &str, report: &mut Report) {
    let failed_listed = r.items.iter().filter(|i| !i.passed).count() as u32;
    let passed_listed = r.listed - failed_listed;
    let declared_failed = insp
        .failed
        .as_ref()
        .map(|f| (f, f.value, "failed"))
        .or_else(|| {
            insp.passed
                .as_ref()
                .map(|p| (p, r.count.saturating_sub(p.value), "passed"))
        });
    if let Some((span, failed, field)) = declared_failed {
        if failed < failed_listed {
            report.push(Diagnostic::contradiction(
                pos(span),
                format!("{path}.{field}"),
                format!(
                    "按写明的数字不合格 {failed} 个，但列出的检查对象中已有 {failed_listed} 个不合格（文件中按 {failed_listed} 个计；应写作 failed: {failed_listed}）"
                ),
            ));
        }
        if r.count - failed < passed_listed {
            report.push(Diagnostic::contradiction(
                pos(span),
                format!("{path}.{field}"),
                format!(
                    "按写明的数字合格 {} 个，但列出的检查对象中已有 {passed_listed} 个合格",
                    r.count - failed
                ),
            ));
        }
    }
}

/// Figures stated in `stated:` (any path of the catalogue) against the computed ones.
pub fn stated(insp: &Inspection, r: &InspectionResult, path: &str, report: &mut Report) {
    if insp.stated.is_empty() {
        return;
    }
    let figures = catalogue(r);
    for (key, stated) in &insp.stated {
        let field = format!("{path}.stated.{key}");
        let Some(figure) = figures.iter().find(|f| f.path == *key) else {
            let paths: Vec<&str> = figures.iter().map(|f| f.path.as_str()).collect();
            let hint = did_you_mean(key, &paths)
                .map(|s| format!("，是否应为“{s}”？"))
                .unwrap_or_default();
            let common: Vec<&str> = paths.iter().copied().take(12).collect();
            report.push(Diagnostic::error(
                pos(stated),
                field,
                format!(
                    "没有路径为“{key}”的计算结果{hint}（可用：{} 等，全部路径见 templates/README.md）",
                    common.join("、")
                ),
            ));
            continue;
        };
        if !figure.agrees(&stated.value) {
            report.push(Diagnostic::contradiction(
                pos(stated),
                field,
                format!(
                    "{}：文中写 {}，按数据计算为 {}（文件中使用计算值；正文中写作 {{{{{}}}}}）",
                    figure.label,
                    stated.value,
                    figure.text(),
                    template_expr(&r.id, &figure.path)
                ),
            ));
        }
    }
}
