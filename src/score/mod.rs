//! score: the model → every figure the document prints (scores, 合格/不合格, ranks, rates,
//! counts, full-mark lists, bands, tiers, problem counts), and every figure the YAML states
//! that the data contradicts, as a diagnostic.

pub mod formula;

use std::collections::BTreeMap;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use serde_saphyr::Spanned;

use crate::diag::{Diagnostic, Pos, Report};
use crate::model::{Inspection, Item, Points, Quarter, RankMethod, RateFormat, Rounding, Scalar};
use formula::Expr;

/// Computed results of one inspection: the template context under its id.
#[derive(Debug, Clone, Serialize)]
pub struct InspectionResult {
    pub id: String,
    pub kind: String,
    /// Number inspected (the declared total, or the number of items).
    pub count: u32,
    pub passed: u32,
    pub failed: u32,
    /// 合格率 as printed, e.g. "96.8%".
    pub pass_rate: String,
    pub full_mark_count: u32,
    /// Units with full marks (and 合格), in table order.
    pub full_mark_units: Vec<String>,
    /// The full-mark units the office chose to name (`featured: true`), in table order.
    pub full_mark_featured: Vec<String>,
    /// Items with at least one problem.
    pub problem_count: u32,
    /// Number of items per problem text.
    pub problem_kinds: BTreeMap<String, u32>,
    /// Counts per platform / category (from the items, or from `breakdown` when declared).
    pub by_platform: BTreeMap<String, u32>,
    /// `by_platform` largest first (ties in name order), as prose lists them.
    pub platforms: Vec<Count>,
    /// `problem_kinds` most frequent first (ties in text order).
    pub problems_by_count: Vec<Count>,
    pub by_category: BTreeMap<String, u32>,
    pub breakdown: Vec<Count>,
    pub bands: Vec<Group>,
    pub tiers: Vec<Group>,
    pub failed_units: Vec<String>,
    pub items: Vec<ItemResult>,
    /// The scheme's formulas as printed: for the table note.
    pub formulas: Vec<FormulaText>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Count {
    pub label: String,
    pub count: u32,
}

/// A band or tier with its members (units, or names where the item has one).
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub label: String,
    pub count: u32,
    pub members: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FormulaText {
    pub label: String,
    pub expr: String,
}

/// One item with everything its table row prints.
#[derive(Debug, Clone, Serialize)]
pub struct ItemResult {
    pub seq: u32,
    pub unit: String,
    pub name: String,
    pub platform: String,
    pub filing: String,
    pub category: String,
    pub veto: bool,
    /// Deductions as printed ("10", "不考核"; empty when none).
    pub d: BTreeMap<String, String>,
    /// Score as printed ("88.9"); empty when the inspection is not scored.
    pub score: String,
    #[serde(skip)]
    pub score_value: Option<Decimal>,
    pub passed: bool,
    /// 合格 / 不合格 (empty when not scored).
    pub result: String,
    pub rank: Option<u32>,
    pub tier: String,
    pub problems: Vec<String>,
    pub remark: String,
}

/// All results: per inspection, in YAML order.
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    pub inspections: Vec<InspectionResult>,
}

/// Round a decimal as declared.
pub fn round(value: Decimal, decimals: u32, rounding: Rounding) -> Decimal {
    let strategy = match rounding {
        Rounding::HalfUp => RoundingStrategy::MidpointAwayFromZero,
        Rounding::HalfEven => RoundingStrategy::MidpointNearestEven,
        Rounding::Down => RoundingStrategy::ToZero,
    };
    value.round_dp_with_strategy(decimals, strategy)
}

/// A number as printed: trailing zeros dropped (100, 88.9).
pub fn show(value: Decimal) -> String {
    value.normalize().to_string()
}

/// A rate num/den as a percentage with the declared precision: 44/45 → "97.7%" (down),
/// 58/64 → "90.62%" (two decimals). An empty population prints as "0%".
pub fn percent(num: u32, den: u32, fmt: &RateFormat) -> String {
    if den == 0 {
        return "0%".into();
    }
    let value = Decimal::from(num) * Decimal::from(100) / Decimal::from(den);
    // More decimals are refused at validation; this keeps a direct caller safe.
    let decimals = fmt.decimals.min(MAX_DECIMALS);
    let r = round(value, decimals, fmt.rounding);
    if fmt.trim {
        format!("{}%", show(r))
    } else {
        format!("{:.*}%", decimals as usize, r)
    }
}

/// Ranks of scores (higher is better) in input order; `None` scores get no rank.
pub fn ranks(scores: &[Option<Decimal>], method: RankMethod) -> Vec<Option<u32>> {
    let mut order: Vec<usize> = (0..scores.len()).filter(|&i| scores[i].is_some()).collect();
    // Stable: ties keep table order, which is what ordinal ranking uses.
    order.sort_by(|&a, &b| scores[b].cmp(&scores[a]));
    let mut out = vec![None; scores.len()];
    let mut dense = 0;
    for (pos, &i) in order.iter().enumerate() {
        let tied_with_previous = pos > 0 && scores[order[pos - 1]] == scores[i];
        if !tied_with_previous {
            dense += 1;
        }
        out[i] = Some(match method {
            RankMethod::Ordinal => pos as u32 + 1,
            RankMethod::Dense => dense,
            RankMethod::Competition if tied_with_previous => out[order[pos - 1]].unwrap_or(1),
            RankMethod::Competition => pos as u32 + 1,
        });
    }
    out
}

fn pos<T>(s: &Spanned<T>) -> Pos {
    Pos::of(&s.referenced)
}

/// A tally as a list, largest count first; equal counts keep the map's order (by code point).
fn largest_first(tally: &BTreeMap<String, u32>) -> Vec<Count> {
    let mut list: Vec<Count> = tally
        .iter()
        .map(|(label, &count)| Count {
            label: label.clone(),
            count,
        })
        .collect();
    list.sort_by_key(|c| std::cmp::Reverse(c.count));
    list
}

/// Compute every inspection; problems (invalid data, contradicted figures) go to the report.
pub fn compute(q: &Quarter, report: &mut Report) -> Results {
    let mut seen_ids: BTreeMap<&str, ()> = BTreeMap::new();
    let inspections = q
        .inspections
        .iter()
        .enumerate()
        .map(|(n, insp)| {
            if seen_ids.insert(&insp.id.value, ()).is_some() {
                report.push(Diagnostic::error(
                    pos(&insp.id),
                    format!("inspections[{n}].id"),
                    format!("检查项目标识“{}”重复", insp.id.value),
                ));
            }
            compute_one(insp, n, report)
        })
        .collect();
    Results { inspections }
}

/// The parsed formulas of a scheme; parse errors reported.
struct Formulas<'a> {
    list: Vec<(&'a crate::model::Formula, Option<Expr>)>,
}

impl<'a> Formulas<'a> {
    fn pick(&self, not_assessed: &[&str]) -> Option<&(&'a crate::model::Formula, Option<Expr>)> {
        self.list
            .iter()
            .filter(|(f, _)| !f.when_not_assessed.is_empty())
            .find(|(f, _)| {
                f.when_not_assessed
                    .iter()
                    .all(|w| not_assessed.contains(&w.as_str()))
            })
            .or_else(|| {
                if not_assessed.is_empty() {
                    self.list
                        .iter()
                        .find(|(f, _)| f.when_not_assessed.is_empty())
                } else {
                    None
                }
            })
    }
}

fn compute_one(insp: &Inspection, n: usize, report: &mut Report) -> InspectionResult {
    let path = format!("inspections[{n}]");
    let scheme = insp.scheme.as_ref();
    let rate_fmt = scheme.map(|s| s.rate).unwrap_or_default();
    if let Some(s) = scheme {
        check_scheme_limits(s, &path, insp, report);
    }

    let formulas = Formulas {
        list: scheme
            .map(|s| &s.formulas[..])
            .unwrap_or(&[])
            .iter()
            .enumerate()
            .map(|(k, f)| {
                let parsed = match Expr::parse(&f.expr.value) {
                    Ok(e) => {
                        for v in e.vars() {
                            let known =
                                scheme.is_some_and(|s| s.indicators.iter().any(|i| i.name == v));
                            if !known {
                                report.push(Diagnostic::error(
                                    pos(&f.expr),
                                    format!("{path}.scheme.formulas[{k}].expr"),
                                    format!(
                                        "公式中的“{v}”不是已声明的指标（indicators 中的 name）"
                                    ),
                                ));
                            }
                        }
                        Some(e)
                    }
                    Err(e) => {
                        let mut p = pos(&f.expr);
                        p.column += e.offset as u64;
                        report.push(Diagnostic::error(
                            p,
                            format!("{path}.scheme.formulas[{k}].expr"),
                            format!(
                                "公式无法解析：{}（第 {} 个字符处）",
                                e.message,
                                e.offset + 1
                            ),
                        ));
                        None
                    }
                };
                (f, parsed)
            })
            .collect(),
    };

    let mut seen_units: BTreeMap<[String; 4], Pos> = BTreeMap::new();
    let mut items: Vec<ItemResult> = Vec::with_capacity(insp.items.len());
    for (k, item) in insp.items.iter().enumerate() {
        let ipath = format!("{path}.items[{k}]");
        let name = item
            .name
            .as_ref()
            .map(|s| s.value.clone())
            .unwrap_or_default();
        let key = [
            item.unit.value.clone(),
            name.clone(),
            item.platform.clone().unwrap_or_default(),
            item.filing.clone().unwrap_or_default(),
        ];
        if let Some(first) = seen_units.insert(key, pos(&item.unit)) {
            report.push(Diagnostic::error(
                pos(&item.unit),
                format!("{ipath}.unit"),
                format!(
                    "重复的检查对象：“{}{}”已在第 {} 行出现",
                    item.unit.value,
                    if name.is_empty() {
                        String::new()
                    } else {
                        format!(" / {name}")
                    },
                    first.line
                ),
            ));
        }
        items.push(score_item(
            insp,
            item,
            k as u32 + 1,
            &formulas,
            &ipath,
            report,
        ));
    }

    // Ranks on the printed (rounded) scores: what a reader can check.
    if let Some(s) = scheme {
        let scores: Vec<Option<Decimal>> = items.iter().map(|i| i.score_value).collect();
        for (item, rank) in items.iter_mut().zip(ranks(&scores, s.rank)) {
            item.rank = rank;
        }
    }

    let scored = scheme.is_some_and(|s| !s.formulas.is_empty())
        || items.iter().any(|i| i.score_value.is_some());
    let count = insp.total.as_ref().map_or(items.len() as u32, |t| t.value);
    if let Some(t) = &insp.total {
        if (t.value as usize) < items.len() {
            report.push(Diagnostic::error(
                pos(t),
                format!("{path}.total"),
                format!("总数 {} 小于列出的检查对象数 {}", t.value, items.len()),
            ));
        }
    }
    if !insp.breakdown.is_empty() {
        let sum: u32 = insp.breakdown.iter().map(|b| b.count).sum();
        if sum != count {
            report.push(Diagnostic::error(
                insp.total
                    .as_ref()
                    .map(pos)
                    .unwrap_or_else(|| pos(&insp.id)),
                format!("{path}.breakdown"),
                format!("分类数合计 {sum} 与检查总数 {count} 不符"),
            ));
        }
    }
    // Unlisted items (count − listed) are taken as passed: lists of problem items only.
    let failed_listed = items.iter().filter(|i| !i.passed).count() as u32;
    let failed = failed_listed;
    let passed = count - failed.min(count);
    let full_mark = scheme.map(|s| s.full_mark.0);
    let is_full =
        |i: &ItemResult| scored && i.passed && full_mark.is_some() && i.score_value == full_mark;
    let full_mark_units: Vec<String> = items
        .iter()
        .filter(|i| is_full(i))
        .map(|i| i.unit.clone())
        .collect();
    let full_mark_featured = insp
        .items
        .iter()
        .zip(&items)
        .filter(|(src, res)| src.featured && is_full(res))
        .map(|(_, res)| res.unit.clone())
        .collect();
    for (k, (src, res)) in insp.items.iter().zip(&items).enumerate() {
        if src.featured && scored && !is_full(res) {
            report.push(Diagnostic::warning(
                pos(&src.unit),
                format!("{path}.items[{k}].featured"),
                format!(
                    "“{}”标为 featured 但计算结果不是满分且合格，正文不列出它",
                    res.unit
                ),
            ));
        }
    }

    let mut problem_kinds = BTreeMap::new();
    for p in items.iter().flat_map(|i| &i.problems) {
        *problem_kinds.entry(p.clone()).or_insert(0) += 1;
    }
    let tally = |f: fn(&ItemResult) -> &str| {
        let mut m = BTreeMap::new();
        for i in &items {
            let k = f(i);
            if !k.is_empty() {
                *m.entry(k.to_string()).or_insert(0) += 1;
            }
        }
        m
    };
    let mut by_platform = tally(|i| &i.platform);
    let by_category = tally(|i| &i.category);
    let breakdown: Vec<Count> = insp
        .breakdown
        .iter()
        .map(|b| Count {
            label: b.label.clone(),
            count: b.count,
        })
        .collect();
    if !breakdown.is_empty() && by_platform.is_empty() {
        by_platform = breakdown
            .iter()
            .map(|b| (b.label.clone(), b.count))
            .collect();
    }

    let member = |i: &ItemResult| {
        if i.name.is_empty() {
            i.unit.clone()
        } else {
            i.name.clone()
        }
    };
    let bands = scheme
        .map(|s| {
            s.bands
                .iter()
                .map(|b| {
                    let members: Vec<String> = items
                        .iter()
                        .filter(|i| {
                            i.score_value.is_some_and(|v| {
                                b.min.is_none_or(|m| v >= m.0) && b.below.is_none_or(|m| v < m.0)
                            })
                        })
                        .map(member)
                        .collect();
                    Group {
                        label: b.label.clone(),
                        count: members.len() as u32,
                        members,
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let mut tiers: Vec<Group> = Vec::new();
    for i in items.iter().filter(|i| !i.tier.is_empty()) {
        match tiers.iter_mut().find(|t| t.label == i.tier) {
            Some(t) => {
                t.count += 1;
                t.members.push(member(i));
            }
            None => tiers.push(Group {
                label: i.tier.clone(),
                count: 1,
                members: vec![member(i)],
            }),
        }
    }

    let result = InspectionResult {
        id: insp.id.value.clone(),
        kind: insp.kind.clone(),
        count,
        passed,
        failed,
        pass_rate: percent(passed, count, &rate_fmt),
        full_mark_count: full_mark_units.len() as u32,
        full_mark_units,
        full_mark_featured,
        problem_count: items.iter().filter(|i| !i.problems.is_empty()).count() as u32,
        problems_by_count: largest_first(&problem_kinds),
        problem_kinds,
        platforms: largest_first(&by_platform),
        by_platform,
        by_category,
        breakdown,
        bands,
        tiers,
        failed_units: items
            .iter()
            .filter(|i| !i.passed)
            .map(|i| i.unit.clone())
            .collect(),
        formulas: formulas
            .list
            .iter()
            .map(|(f, _)| FormulaText {
                label: f.label.clone(),
                expr: f.expr.value.clone(),
            })
            .collect(),
        items,
    };
    check_published(insp, &result, &path, report);
    check_stated(insp, &result, &path, report);
    result
}

/// Decimals a score or rate may be printed with: more than any circular prints, and far from
/// what the decimal type (28 digits) and the formatter can hold.
pub const MAX_DECIMALS: u32 = 10;

/// Scheme settings whose values arithmetic or formatting cannot take.
fn check_scheme_limits(
    s: &crate::model::Scheme,
    path: &str,
    insp: &Inspection,
    report: &mut Report,
) {
    let at = pos(&insp.id);
    if s.bonus_cap.is_some_and(|c| c.0 < Decimal::ZERO) {
        report.push(Diagnostic::error(
            at,
            format!("{path}.scheme.bonus_cap"),
            "加分上限不能为负数：写 0 表示不加分，不写表示不设上限",
        ));
    }
    for (field, decimals) in [
        ("rate.decimals", s.rate.decimals),
        ("score_decimals", s.score_decimals),
    ] {
        if decimals > MAX_DECIMALS {
            report.push(Diagnostic::error(
                at,
                format!("{path}.scheme.{field}"),
                format!("小数位数 {decimals} 过大：须为 0 至 {MAX_DECIMALS}"),
            ));
        }
    }
}

/// A sum that does not fit the decimal type (about 7.9 × 10²⁸).
fn too_large<T>(at: &Spanned<T>, field: &str, what: &str) -> Diagnostic {
    Diagnostic::error(
        pos(at),
        field,
        format!("数值过大：{what}超出可计算的范围（约 7.9×10²⁸），请检查这一分值"),
    )
}

fn score_item(
    insp: &Inspection,
    item: &Item,
    seq: u32,
    formulas: &Formulas,
    path: &str,
    report: &mut Report,
) -> ItemResult {
    let scheme = insp.scheme.as_ref();
    let mut vars: BTreeMap<&str, Decimal> = BTreeMap::new();
    let mut not_assessed: Vec<&str> = Vec::new();
    let mut d = BTreeMap::new();
    let mut bonus_total = Decimal::ZERO;
    for (name, value) in &item.deductions {
        let indicator = scheme.and_then(|s| s.indicators.iter().find(|i| &i.name == name));
        let Some(ind) = indicator else {
            let names: Vec<&str> = scheme
                .map(|s| s.indicators.iter().map(|i| i.name.as_str()).collect())
                .unwrap_or_default();
            let hint = crate::load::did_you_mean(name, &names)
                .map(|s| format!("，是否应为“{s}”？"))
                .unwrap_or_default();
            report.push(Diagnostic::error(
                pos(value),
                format!("{path}.d.{name}"),
                format!("未声明的指标“{name}”{hint}（已声明：{}）", names.join("、")),
            ));
            continue;
        };
        match value.value {
            Points::NotAssessed => {
                not_assessed.push(name);
                d.insert(name.clone(), "不考核".to_string());
            }
            Points::Value(v) => {
                if v < Decimal::ZERO {
                    report.push(Diagnostic::error(
                        pos(value),
                        format!("{path}.d.{name}"),
                        format!("分值不能为负数（{}）：扣分和加分都写正数", show(v)),
                    ));
                }
                if let Some(max) = ind.max {
                    if v > max.0 {
                        report.push(Diagnostic::error(
                            pos(value),
                            format!("{path}.d.{name}"),
                            format!("“{name}”为 {}，超过该项分值上限 {}", show(v), show(max.0)),
                        ));
                    }
                }
                if ind.bonus {
                    match bonus_total.checked_add(v) {
                        Some(t) => bonus_total = t,
                        None => {
                            report.push(too_large(value, &format!("{path}.d.{name}"), "加分合计"))
                        }
                    }
                }
                vars.insert(name, v);
                d.insert(name.clone(), show(v));
            }
        }
    }
    // A negative cap is reported with the scheme (compute_one).
    if let Some(cap) = scheme
        .and_then(|s| s.bonus_cap)
        .filter(|c| c.0 >= Decimal::ZERO)
    {
        if bonus_total > cap.0 {
            report.push(Diagnostic::warning(
                pos(&item.unit),
                format!("{path}.d"),
                format!(
                    "加分合计 {} 超过上限 {}，按上限计",
                    show(bonus_total),
                    show(cap.0)
                ),
            ));
            // Scale every bonus down proportionally so the formula sees the capped total.
            let factor = cap.0 / bonus_total;
            for ind in scheme
                .into_iter()
                .flat_map(|s| &s.indicators)
                .filter(|i| i.bonus)
            {
                if let Some(v) = vars.get_mut(ind.name.as_str()) {
                    // factor < 1: the product is smaller than the bonus, it cannot overflow.
                    *v = v.checked_mul(factor).unwrap_or(*v);
                }
            }
        }
    }

    let mut score_value = None;
    if scheme.is_some_and(|s| !s.formulas.is_empty()) {
        match formulas.pick(&not_assessed) {
            Some((f, Some(expr))) => match expr.eval(&vars) {
                Ok(v) => score_value = Some(v),
                Err(e) => report.push(Diagnostic::error(
                    pos(&item.unit),
                    path.to_string(),
                    format!("按“{}”的公式计算时{e}", f.label),
                )),
            },
            Some((_, None)) => {} // the formula's parse error is already reported
            None => report.push(Diagnostic::error(
                pos(&item.unit),
                format!("{path}.d"),
                format!(
                    "没有适用于“{}”不考核的计分公式（请在 scheme.formulas 中用 when_not_assessed 声明）",
                    not_assessed.join("、")
                ),
            )),
        }
    } else if let Some(s) = &item.score {
        match &s.value {
            Scalar::Number(n) => score_value = Some(*n),
            Scalar::Text(t) => report.push(Diagnostic::error(
                pos(s),
                format!("{path}.score"),
                format!("得分应为数值，却是“{t}”"),
            )),
        }
    }
    let decimals = scheme.map_or(1, |s| s.score_decimals.min(MAX_DECIMALS));
    let score_value = score_value.map(|v| round(v, decimals, Rounding::HalfUp).normalize());
    let passed = match (scheme, score_value) {
        _ if item.veto => false,
        (Some(s), Some(v)) => v >= s.pass_mark.0,
        _ => item.problems.is_empty(),
    };
    ItemResult {
        seq,
        unit: item.unit.value.clone(),
        name: item
            .name
            .as_ref()
            .map(|s| s.value.clone())
            .unwrap_or_default(),
        platform: item.platform.clone().unwrap_or_default(),
        filing: item.filing.clone().unwrap_or_default(),
        category: item.category.clone().unwrap_or_default(),
        veto: item.veto,
        d,
        score: score_value.map(show).unwrap_or_default(),
        score_value,
        passed,
        result: if score_value.is_some() {
            if passed { "合格" } else { "不合格" }.to_string()
        } else {
            String::new()
        },
        rank: None,
        tier: item.tier.clone().unwrap_or_default(),
        problems: item.problems.clone(),
        remark: item.remark.clone().unwrap_or_default(),
    }
}

/// Published per-item figures (score, result, rank) against the computed ones.
fn check_published(insp: &Inspection, r: &InspectionResult, path: &str, report: &mut Report) {
    let recomputed = insp.scheme.as_ref().is_some_and(|s| !s.formulas.is_empty());
    for (k, (src, res)) in insp.items.iter().zip(&r.items).enumerate() {
        let who = if res.name.is_empty() {
            res.unit.clone()
        } else {
            res.name.clone()
        };
        if let (true, Some(s)) = (recomputed, &src.score) {
            let stated = match &s.value {
                Scalar::Number(n) => Some(*n),
                Scalar::Text(_) => None,
            };
            if stated.map(|n| n.normalize()) != res.score_value {
                report.push(Diagnostic::contradiction(
                    pos(s),
                    format!("{path}.items[{k}].score"),
                    format!(
                        "“{who}”写明得分 {}，按扣分和公式计算应为 {}",
                        s.value, res.score
                    ),
                ));
            }
        }
        if let Some(s) = &src.result {
            if !res.result.is_empty() && s.value.trim() != res.result {
                let why = if res.veto {
                    "（单项否决为“是”）"
                } else {
                    ""
                };
                report.push(Diagnostic::contradiction(
                    pos(s),
                    format!("{path}.items[{k}].result"),
                    format!(
                        "“{who}”写明检查结果“{}”，计算结果应为“{}”{why}",
                        s.value, res.result
                    ),
                ));
            }
        }
        if let (Some(s), Some(rank)) = (&src.rank, res.rank) {
            if s.value != rank {
                report.push(Diagnostic::contradiction(
                    pos(s),
                    format!("{path}.items[{k}].rank"),
                    format!(
                        "“{who}”写明排名 {}，按得分 {} 排名应为 {}（并列同分同名次）",
                        s.value, res.score, rank
                    ),
                ));
            }
        }
    }
}

/// A figure a draft may state, as the document prints it.
type Figure = fn(&InspectionResult) -> String;

/// The figures a draft may state (`stated:`): name, the label its messages use, the value.
const STATED: [(&str, &str, Figure); 6] = [
    ("count", "检查总数", |r| r.count.to_string()),
    ("passed", "合格数", |r| r.passed.to_string()),
    ("failed", "不合格数", |r| r.failed.to_string()),
    ("pass_rate", "合格率", |r| r.pass_rate.clone()),
    ("full_mark_count", "满分单位数", |r| {
        r.full_mark_count.to_string()
    }),
    ("problem_count", "存在问题的数量", |r| {
        r.problem_count.to_string()
    }),
];

/// Figures stated in `stated:` against the computed ones.
fn check_stated(insp: &Inspection, r: &InspectionResult, path: &str, report: &mut Report) {
    for (key, stated) in &insp.stated {
        let field = format!("{path}.stated.{key}");
        let Some((_, label, figure)) = STATED.iter().find(|(k, _, _)| k == key) else {
            report.push(Diagnostic::error(
                pos(stated),
                field,
                format!(
                    "没有名为“{key}”的计算结果（可用：{}）",
                    STATED.map(|(k, _, _)| k).join("、")
                ),
            ));
            continue;
        };
        let shown = figure(r);
        let agrees = match &stated.value {
            Scalar::Number(n) => shown.parse::<Decimal>().ok() == Some(*n),
            Scalar::Text(t) => t.trim() == shown,
        };
        if !agrees {
            report.push(Diagnostic::contradiction(
                pos(stated),
                field,
                format!(
                    "{}：文中写 {}，按数据计算为 {}（文件中使用计算值）",
                    label, stated.value, shown
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn competition_dense_ordinal() {
        let s: Vec<Option<Decimal>> = ["100", "90", "90", "80", "70", "70"]
            .iter()
            .map(|x| Some(dec(x)))
            .collect();
        let r = |m| {
            ranks(&s, m)
                .into_iter()
                .map(|x| x.unwrap())
                .collect::<Vec<_>>()
        };
        assert_eq!(r(RankMethod::Competition), [1, 2, 2, 4, 5, 5]);
        assert_eq!(r(RankMethod::Dense), [1, 2, 2, 3, 4, 4]);
        assert_eq!(r(RankMethod::Ordinal), [1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn unscored_items_get_no_rank() {
        let s = vec![None, Some(dec("5")), Some(dec("9"))];
        assert_eq!(ranks(&s, RankMethod::Competition), [None, Some(2), Some(1)]);
    }

    #[test]
    fn rates_as_the_seeds_print_them() {
        let down = RateFormat {
            decimals: 1,
            rounding: Rounding::Down,
            trim: true,
        };
        let half_up = RateFormat {
            decimals: 1,
            rounding: Rounding::HalfUp,
            trim: true,
        };
        let two = RateFormat {
            decimals: 2,
            rounding: Rounding::HalfEven,
            trim: true,
        };
        assert_eq!(percent(44, 45, &down), "97.7%"); // seed 002 (half-up would be 97.8%)
        assert_eq!(percent(44, 45, &half_up), "97.8%");
        assert_eq!(percent(237, 239, &half_up), "99.2%"); // seed 002, new media
        assert_eq!(percent(58, 64, &two), "90.62%"); // seed 003: 90.625 → banker's
        assert_eq!(
            percent(
                58,
                64,
                &RateFormat {
                    rounding: Rounding::HalfUp,
                    ..two
                }
            ),
            "90.63%"
        );
        assert_eq!(percent(65, 65, &half_up), "100%");
        assert_eq!(percent(61, 63, &half_up), "96.8%");
        assert_eq!(percent(0, 0, &half_up), "0%");
        let untrimmed = RateFormat {
            trim: false,
            ..half_up
        };
        assert_eq!(percent(65, 65, &untrimmed), "100.0%");
    }

    #[test]
    fn rounding_modes() {
        assert_eq!(
            round(dec("88.888"), 1, Rounding::HalfUp).to_string(),
            "88.9"
        );
        assert_eq!(round(dec("2.25"), 1, Rounding::HalfEven).to_string(), "2.2");
        assert_eq!(round(dec("2.25"), 1, Rounding::HalfUp).to_string(), "2.3");
        assert_eq!(round(dec("2.29"), 1, Rounding::Down).to_string(), "2.2");
        assert_eq!(show(dec("100.0")), "100");
    }
}

#[cfg(test)]
mod scheme_tests {
    use super::*;
    use crate::diag::Severity;

    fn run(items: &str, extra_scheme: &str) -> (Results, Report) {
        let yaml = format!(
            "document: {{issuer: X, date: 2024-07-01}}\nquarter: {{year: 2024, number: 2}}\ninspections:\n  - id: s\n    kind: 网站\n    scheme:\n      indicators:\n        - {{name: 扣分, max: 50}}\n        - {{name: 不考核项, max: 10}}\n        - {{name: 加分, bonus: true}}\n      formulas:\n        - expr: 100-扣分-不考核项+加分\n{extra_scheme}    items:\n{items}"
        );
        let (q, _) =
            crate::load::parse(yaml.as_bytes()).unwrap_or_else(|d| panic!("{d:?}\n{yaml}"));
        let mut report = Report::new(std::path::Path::new("t.yaml"));
        let r = compute(&q, &mut report);
        (r, report)
    }

    #[test]
    fn stated_figures_are_checked_and_unknown_names_are_errors() {
        let items = "      - {unit: A, d: {扣分: 10}}\n      - {unit: B}\n    stated: {count: 2, passed: 2, pass_rate: 50%, full_mark_count: 1, bands: 3}\n";
        let (_, report) = run(items, "");
        let lines: Vec<String> = report.to_string().lines().map(String::from).collect();
        assert_eq!(lines.len(), 2, "{report}");
        assert!(lines[0].contains("stated.pass_rate") && lines[0].contains("按数据计算为 100%"));
        assert!(lines[1].contains("stated.bands") && lines[1].contains("没有名为“bands”"));
        assert_eq!(report.count(Severity::Contradiction), 1);
        assert!(report.has_errors());
    }

    #[test]
    fn largest_first_orders_by_count_then_name() {
        let tally: BTreeMap<String, u32> = [("抖音", 2), ("微博", 5), ("快手", 2), ("微信", 9)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        let order: Vec<(String, u32)> = largest_first(&tally)
            .into_iter()
            .map(|c| (c.label, c.count))
            .collect();
        let expected = [("微信", 9), ("微博", 5), ("快手", 2), ("抖音", 2)];
        assert_eq!(order, expected.map(|(k, v)| (k.to_string(), v)).to_vec());
    }

    #[test]
    fn bands_count_scores_in_ranges() {
        let items = "      - {unit: A, d: {加分: 15}}\n      - {unit: B, d: {加分: 5}}\n      - {unit: C}\n      - {unit: D, d: {扣分: 5}}\n";
        let bands = "      bands:\n        - {label: 110分及以上, min: 110}\n        - {label: 100—110分, min: 100, below: 110}\n";
        let (r, report) = run(items, bands);
        assert!(report.items.is_empty(), "{report}");
        let b = &r.inspections[0].bands;
        assert_eq!(
            (b[0].label.as_str(), b[0].count, b[0].members.clone()),
            ("110分及以上", 1, vec!["A".to_string()])
        );
        assert_eq!(
            (b[1].count, b[1].members.clone()),
            (2, vec!["B".to_string(), "C".to_string()])
        );
    }

    #[test]
    fn bonus_cap_limits_the_bonus_total() {
        let (r, report) = run(
            "      - {unit: A, d: {加分: 30}}\n",
            "      bonus_cap: 20\n",
        );
        assert_eq!(r.inspections[0].items[0].score, "120");
        assert_eq!(report.count(Severity::Warning), 1);
        assert!(report.to_string().contains("加分合计 30 超过上限 20"));
    }

    #[test]
    fn veto_fails_and_leaves_the_full_mark_list() {
        let (r, _) = run("      - {unit: A, veto: true}\n      - {unit: B}\n", "");
        let s = &r.inspections[0];
        assert_eq!(s.items[0].result, "不合格");
        assert_eq!(s.full_mark_units, ["B"]);
        assert_eq!((s.passed, s.failed, s.pass_rate.as_str()), (1, 1, "50%"));
        assert_eq!(s.failed_units, ["A"]);
    }

    #[test]
    fn not_assessed_needs_a_formula() {
        let (_, report) = run("      - {unit: A, d: {不考核项: 不考核}}\n", "");
        assert!(report.has_errors());
        assert!(
            report
                .to_string()
                .contains("没有适用于“不考核项”不考核的计分公式"),
            "{report}"
        );
    }

    #[test]
    fn pass_mark_and_dense_ranks() {
        let (r, _) = run(
            "      - {unit: A, d: {扣分: 41}}\n      - {unit: B, d: {扣分: 40}}\n      - {unit: C, d: {扣分: 40}}\n",
            "      rank: dense\n",
        );
        let s = &r.inspections[0];
        assert_eq!(
            s.items
                .iter()
                .map(|i| i.result.as_str())
                .collect::<Vec<_>>(),
            ["不合格", "合格", "合格"]
        );
        assert_eq!(
            s.items.iter().map(|i| i.rank.unwrap()).collect::<Vec<_>>(),
            [2, 1, 1]
        );
    }
}
