//! Input checks of the inspections: what the data says by itself, before anything is scored.
//! Ids and units unique, deductions against their indicators, formulas parsed (once: the
//! parsed formulas are handed to `score`), results written as 合格/不合格, counts that fit
//! together (total, passed, failed, in operation, the listed items), breakdowns whose parts add
//! up, tier rules naming real bands. `score` reports only what needs computed figures.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde_saphyr::Spanned;

use crate::diag::{pos, Diagnostic, Report};
use crate::load::did_you_mean;
use crate::model::{Band, Formula, Inspection, Item, Num, Part, Points, Quarter, Scheme};
use crate::score::formula::Expr;
use crate::score::{show, MAX_DECIMALS};

/// The values an item's `result` may take.
pub const RESULTS: [&str; 2] = ["合格", "不合格"];

/// Item fields a breakdown may be named after: its parts are then checked against the listed
/// items' values of that field.
const ITEM_FIELDS: [&str; 6] = ["platform", "category", "level", "parent", "unit", "tier"];

/// What validation hands on to scoring: each inspection's formulas, parsed (`None` where a
/// formula does not parse; the error is reported).
#[derive(Debug, Default)]
pub struct Validated {
    pub formulas: Vec<Vec<Option<Expr>>>,
}

/// Check every inspection.
pub fn check(q: &Quarter, report: &mut Report) -> Validated {
    let mut seen_ids: BTreeMap<&str, ()> = BTreeMap::new();
    let mut formulas = Vec::with_capacity(q.inspections.len());
    for (n, insp) in q.inspections.iter().enumerate() {
        let path = format!("inspections[{n}]");
        check_id(&insp.id, &path, report);
        if seen_ids.insert(&insp.id.value, ()).is_some() {
            report.push(Diagnostic::error(
                pos(&insp.id),
                format!("{path}.id"),
                format!("检查项目标识“{}”重复", insp.id.value),
            ));
        }
        let parsed = insp
            .scheme
            .as_ref()
            .map(|s| parse_formulas(s, &path, report))
            .unwrap_or_default();
        check_items(insp, &path, report);
        check_counts(insp, &path, report);
        check_breakdowns(insp, &path, report);
        if let Some(s) = &insp.scheme {
            check_scheme(s, insp, &path, report);
        }
        formulas.push(parsed);
    }
    Validated { formulas }
}

/// A group's points (`group_max`) belong to a group and are said once: two different values
/// would leave the header to whichever is read last.
fn check_group_max(s: &Scheme, path: &str, report: &mut Report) {
    let mut first: BTreeMap<&str, Decimal> = BTreeMap::new();
    for (k, ind) in s.indicators.iter().enumerate() {
        let Some(gm) = &ind.group_max else { continue };
        let field = format!("{path}.scheme.indicators[{k}].group_max");
        let Some(group) = &ind.group else {
            report.push(
                Diagnostic::error(
                    pos(gm),
                    field,
                    "写了组的分值 group_max，却没有写所属的组 group",
                )
                .with_hint("补上 group（如 group: 内容更新），或删去 group_max"),
            );
            continue;
        };
        match first.get(group.as_str()) {
            Some(v) if *v != gm.value.0 => report.push(
                Diagnostic::error(
                    pos(gm),
                    field,
                    format!(
                        "组“{group}”的分值前面已写作 {}，此处又写作 {}",
                        show(*v),
                        show(gm.value.0)
                    ),
                )
                .with_hint("一组的分值只写一次（写在组内任一指标上），或各处写成相同的值"),
            ),
            Some(_) => {}
            None => {
                first.insert(group, gm.value.0);
            }
        }
    }
}

/// Names of the template context an inspection id would hide.
const RESERVED: [&str; 8] = [
    "data",
    "document",
    "period",
    "quarter",
    "correction",
    "previous",
    "inspections",
    "this",
];

/// An id names the inspection in templates (`{{sites.count}}`): a bare Handlebars name that
/// hides nothing else.
fn check_id(id: &Spanned<String>, path: &str, report: &mut Report) {
    let v = id.value.as_str();
    let bare = !v.is_empty()
        && !v.starts_with(|c: char| c.is_ascii_digit())
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || !c.is_ascii());
    let message = if RESERVED.contains(&v) {
        format!("检查项目标识“{v}”与模板中的“{v}”重名：请换一个（如 sites、media）")
    } else if !bare {
        format!("检查项目标识“{v}”须由字母、数字、下划线或汉字组成，且不以数字开头（模板中写作 {{{{{v}.count}}}}）")
    } else {
        return;
    };
    report.push(Diagnostic::error(pos(id), format!("{path}.id"), message));
}

fn parse_formulas(scheme: &Scheme, path: &str, report: &mut Report) -> Vec<Option<Expr>> {
    scheme
        .formulas
        .iter()
        .enumerate()
        .map(|(k, f)| {
            let field = format!("{path}.scheme.formulas[{k}].expr");
            match Expr::parse(&f.expr.value) {
                Ok(e) => {
                    for v in e.vars() {
                        if !scheme.indicators.iter().any(|i| i.name == v) {
                            report.push(Diagnostic::error(
                                pos(&f.expr),
                                field.clone(),
                                format!("公式中的“{v}”不是已声明的指标（indicators 中的 name）"),
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
                        field,
                        format!(
                            "公式无法解析：{}（第 {} 个字符处）",
                            e.message,
                            e.offset + 1
                        ),
                    ));
                    None
                }
            }
        })
        .collect()
}

/// The formula that scores an item whose `not_assessed` indicators are 不考核: the first whose
/// `when_not_assessed` are all among them, else (when none is 不考核) the default formula.
pub fn pick_formula(formulas: &[Formula], not_assessed: &[&str]) -> Option<usize> {
    formulas
        .iter()
        .position(|f| {
            !f.when_not_assessed.is_empty()
                && f.when_not_assessed
                    .iter()
                    .all(|w| not_assessed.contains(&w.as_str()))
        })
        .or_else(|| {
            if not_assessed.is_empty() {
                formulas.iter().position(|f| f.when_not_assessed.is_empty())
            } else {
                None
            }
        })
}

/// `s` as a reader takes it: without spaces, full-width letters, digits and brackets as their
/// ASCII twins (“区教委(网站)” and “区教委 （网站）” name one object).
fn as_read(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().filter(|c| !c.is_whitespace()).map(|c| match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    })
}

fn who(item: &Item) -> String {
    match &item.name {
        Some(n) => format!("{} / {}", item.unit.value, n.value),
        None => item.unit.value.clone(),
    }
}

fn check_items(insp: &Inspection, path: &str, report: &mut Report) {
    let scheme = insp.scheme.as_ref();
    let scored = scheme.is_some_and(|s| !s.formulas.is_empty());
    // Keyed by the spelling as read (no spaces, one width of brackets and letters): the first
    // item so keyed and its line.
    let mut seen: BTreeMap<String, (&Item, u64)> = BTreeMap::new();
    for (k, item) in insp.items.iter().enumerate() {
        let ipath = format!("{path}.items[{k}]");
        let mut key = String::new();
        for field in [
            item.unit.value.as_str(),
            item.name.as_ref().map_or("", |n| n.value.as_str()),
            item.platform.as_deref().unwrap_or(""),
            item.filing.as_deref().unwrap_or(""),
        ] {
            key.extend(as_read(field));
            key.push('\u{0}');
        }
        if let Some((first, line)) = seen.get(&key) {
            let (this, there) = (who(item), who(first));
            let d = if this == there {
                Diagnostic::error(
                    pos(&item.unit),
                    format!("{ipath}.unit"),
                    format!("重复的检查对象：“{this}”已在第 {line} 行出现"),
                )
            } else {
                Diagnostic::error(
                    pos(&item.unit),
                    format!("{ipath}.unit"),
                    format!("重复的检查对象：“{this}”与第 {line} 行的“{there}”只差空格或全角半角"),
                )
                .with_hint("同一检查对象只列一次；若确是两个对象，请改用能区分的名称")
            };
            report.push(d);
        } else {
            seen.insert(key, (item, pos(&item.unit).line));
        }
        if let Some(r) = &item.result {
            if !RESULTS.contains(&r.value.trim()) {
                let near = did_you_mean(r.value.trim(), &RESULTS);
                let hint = near
                    .map(|s| format!("，是否应为“{s}”？"))
                    .unwrap_or_default();
                let d = Diagnostic::error(
                    pos(r),
                    format!("{ipath}.result"),
                    format!(
                        "检查结果“{}”无效{hint}（可用：{}）",
                        r.value,
                        RESULTS.join("、")
                    ),
                );
                // 基本合格, 优秀, 良好 …: a grade, which tier: carries.
                report.push(match near {
                    Some(_) => d,
                    None => d.with_hint(format!(
                        "“{}”这样的等次写在 tier: 中，result 只写合格或不合格，如 {{result: 合格, tier: {}}}；名单和分组可按 tier 列出",
                        r.value.trim(),
                        r.value.trim()
                    )),
                });
            }
        }
        if let (Some(t), Some(sc)) = (&item.tier, scheme) {
            check_given_tier(t, sc, &format!("{ipath}.tier"), report);
        }
        if let Some(s) = &item.score {
            if let crate::model::Scalar::Text(t) = &s.value {
                report.push(Diagnostic::error(
                    pos(s),
                    format!("{ipath}.score"),
                    format!("得分应为数值，却是“{t}”"),
                ));
            }
        }
        if !item.deductions.is_empty() && scheme.is_none() {
            report.push(Diagnostic::error(
                pos(&item.unit),
                format!("{ipath}.d"),
                "写了扣分（d），但本检查项目没有计分方案（scheme）".to_string(),
            ));
            continue;
        }
        let Some(scheme) = scheme else { continue };
        check_deductions(scheme, item, &ipath, report);
        let not_assessed: Vec<&str> = item
            .deductions
            .iter()
            .filter(|(_, v)| v.value == Points::NotAssessed)
            .map(|(k, _)| k.as_str())
            .collect();
        if scored && pick_formula(&scheme.formulas, &not_assessed).is_none() {
            report.push(Diagnostic::error(
                pos(&item.unit),
                format!("{ipath}.d"),
                format!(
                    "没有适用于“{}”不考核的计分公式（请在 scheme.formulas 中用 when_not_assessed 声明）",
                    not_assessed.join("、")
                ),
            ));
        }
    }
}

fn check_deductions(scheme: &Scheme, item: &Item, path: &str, report: &mut Report) {
    let names: Vec<&str> = scheme.indicators.iter().map(|i| i.name.as_str()).collect();
    let mut bonus_total = Decimal::ZERO;
    for (name, value) in &item.deductions {
        let field = format!("{path}.d.{name}");
        let Some(ind) = scheme.indicators.iter().find(|i| &i.name == name) else {
            let hint = did_you_mean(name, &names)
                .map(|s| format!("，是否应为“{s}”？"))
                .unwrap_or_default();
            report.push(Diagnostic::error(
                pos(value),
                field,
                format!("未声明的指标“{name}”{hint}（已声明：{}）", names.join("、")),
            ));
            continue;
        };
        let Points::Value(v) = value.value else {
            continue;
        };
        if v < Decimal::ZERO {
            report.push(Diagnostic::error(
                pos(value),
                field.clone(),
                format!("分值不能为负数（{}）：扣分和加分都写正数", show(v)),
            ));
        }
        if let Some(max) = ind.max {
            if v > max.0 {
                report.push(Diagnostic::error(
                    pos(value),
                    field.clone(),
                    format!("“{name}”为 {}，超过该项分值上限 {}", show(v), show(max.0)),
                ));
            }
        }
        if ind.bonus {
            match bonus_total.checked_add(v) {
                Some(t) => bonus_total = t,
                None => report.push(Diagnostic::error(
                    pos(value),
                    field,
                    "数值过大：加分合计超出可计算的范围（约 7.9×10²⁸），请检查这一分值",
                )),
            }
        }
    }
    if let Some(cap) = scheme.bonus_cap {
        if cap.0 >= Decimal::ZERO && bonus_total > cap.0 {
            report.push(Diagnostic::warning(
                pos(&item.unit),
                format!("{path}.d"),
                format!(
                    "加分合计 {} 超过上限 {}，按上限计",
                    show(bonus_total),
                    show(cap.0)
                ),
            ));
        }
    }
}

/// Scheme settings that arithmetic or formatting cannot take, and tier rules.
fn check_scheme(s: &Scheme, insp: &Inspection, path: &str, report: &mut Report) {
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
    check_tier_order(s, path, report);
    check_group_max(s, path, report);
    check_bands(s, path, report);
    let bands: Vec<&str> = s.bands.iter().map(|b| b.label.value.as_str()).collect();
    for (k, rule) in s.tiers.iter().enumerate() {
        let field = format!("{path}.scheme.tiers[{k}]");
        if let Some(b) = &rule.band {
            if !bands.contains(&b.value.as_str()) {
                let hint = did_you_mean(&b.value, &bands)
                    .map(|s| format!("，是否应为“{s}”？"))
                    .unwrap_or_default();
                report.push(Diagnostic::error(
                    pos(b),
                    format!("{field}.band"),
                    format!(
                        "没有名为“{}”的分数段{hint}（scheme.bands 中有：{}）",
                        b.value,
                        if bands.is_empty() {
                            "无".to_string()
                        } else {
                            bands.join("、")
                        }
                    ),
                ));
            }
        }
        if let Some(r) = &rule.result {
            if !RESULTS.contains(&r.value.trim()) {
                report.push(Diagnostic::error(
                    pos(r),
                    format!("{field}.result"),
                    format!("检查结果“{}”无效（可用：{}）", r.value, RESULTS.join("、")),
                ));
            }
        }
    }
}

/// An item's given tier against the scheme's `tier_order` (rules are checked in `score`).
fn check_given_tier(t: &Spanned<String>, s: &Scheme, field: &str, report: &mut Report) {
    let order: Vec<&str> = s.tier_order.iter().map(|t| t.value.as_str()).collect();
    if order.is_empty() || !s.tiers.is_empty() || order.contains(&t.value.as_str()) {
        return;
    }
    let hint = did_you_mean(&t.value, &order)
        .map(|s| format!("，是否应为“{s}”？"))
        .unwrap_or_default();
    report.push(Diagnostic::error(
        pos(t),
        field.to_string(),
        format!(
            "等次“{}”不在 scheme.tier_order 中{hint}（已声明：{}）",
            t.value,
            order.join("、")
        ),
    ));
}

/// `tier_order` lists each tier once, and only when there are no tier rules (the rules
/// declare their own order).
fn check_tier_order(s: &Scheme, path: &str, report: &mut Report) {
    let Some(first) = s.tier_order.first() else {
        return;
    };
    if !s.tiers.is_empty() {
        report.push(Diagnostic::error(
            pos(first),
            format!("{path}.scheme.tier_order"),
            "有等次规则（scheme.tiers）时不写 tier_order：等次按规则的顺序排列".to_string(),
        ));
    }
    for (k, t) in s.tier_order.iter().enumerate() {
        if s.tier_order[..k].iter().any(|e| e.value == t.value) {
            report.push(Diagnostic::error(
                pos(t),
                format!("{path}.scheme.tier_order[{k}]"),
                format!("等次“{}”重复", t.value),
            ));
        }
    }
}

/// Total, passed, failed, in operation and the number of listed items.
fn check_counts(insp: &Inspection, path: &str, report: &mut Report) {
    let listed = insp.items.len() as u64;
    let count = insp.total.as_ref().map_or(listed, |t| u64::from(t.value));
    if let Some(t) = &insp.total {
        if u64::from(t.value) < listed {
            report.push(Diagnostic::error(
                pos(t),
                format!("{path}.total"),
                format!(
                    "总数 {} 小于列出的检查对象数 {listed}：total 是检查总数，须包括列出的每一个",
                    t.value
                ),
            ));
        }
    }
    for (field, value) in [("passed", &insp.passed), ("failed", &insp.failed)] {
        if let Some(v) = value {
            if u64::from(v.value) > count {
                report.push(Diagnostic::error(
                    pos(v),
                    format!("{path}.{field}"),
                    format!("{} 大于检查总数 {count}", v.value),
                ));
            }
        }
    }
    if let (Some(p), Some(f)) = (&insp.passed, &insp.failed) {
        let sum = u64::from(p.value) + u64::from(f.value);
        if sum != count {
            report.push(Diagnostic::contradiction(
                pos(f),
                format!("{path}.failed"),
                format!(
                    "合格 {} 个加不合格 {} 个为 {sum} 个，与检查总数 {count} 不符（写 passed 或 failed 之一即可，另一个由总数算出）",
                    p.value, f.value
                ),
            ));
        }
    }
    if let Some(op) = &insp.in_operation {
        if u64::from(op.value) < count {
            report.push(Diagnostic::error(
                pos(op),
                format!("{path}.in_operation"),
                format!(
                    "运行总数 {} 小于检查总数 {count}：in_operation 是正在运行的总数，检查的只是其中一部分",
                    op.value
                ),
            ));
        }
    }
}

/// Every breakdown adds up to the total, every part's parts to its count; a breakdown named
/// after an item field (platform, category …) agrees with the listed items.
fn check_breakdowns(insp: &Inspection, path: &str, report: &mut Report) {
    let listed = insp.items.len() as u64;
    let count = insp.total.as_ref().map_or(listed, |t| u64::from(t.value));
    for (name, parts) in &insp.breakdowns {
        let field = format!("{path}.breakdowns.{name}");
        let op = insp.in_operation.as_ref().map(|o| u64::from(o.value));
        check_parts(parts, (count, op), None, &field, report);
        if !ITEM_FIELDS.contains(&name.as_str()) {
            continue;
        }
        let mut tally: BTreeMap<&str, u64> = BTreeMap::new();
        for item in &insp.items {
            if let Some(v) = item_field(item, name) {
                *tally.entry(v).or_insert(0) += 1;
            }
        }
        let all_listed = listed == count;
        for (k, part) in parts.iter().enumerate() {
            let n = tally.remove(part.label.as_str()).unwrap_or(0);
            let wrong = if all_listed {
                n != u64::from(part.count.value)
            } else {
                n > u64::from(part.count.value)
            };
            if wrong {
                report.push(Diagnostic::contradiction(
                    pos(&part.count),
                    format!("{field}[{k}].count"),
                    format!(
                        "“{}”写明 {} 个，列出的检查对象中 {name} 为“{}”的有 {n} 个",
                        part.label, part.count.value, part.label
                    ),
                ));
            }
        }
        for (label, n) in tally {
            let labels: Vec<&str> = parts.iter().map(|p| p.label.as_str()).collect();
            let hint = did_you_mean(label, &labels)
                .map(|s| format!("；是否应为“{s}”？"))
                .unwrap_or_default();
            report.push(Diagnostic::contradiction(
                pos(&insp.id),
                field.clone(),
                format!(
                    "列出的检查对象中有 {n} 个 {name} 为“{label}”，分类中没有这一项（有：{}）{hint}",
                    labels.join("、")
                ),
            ));
        }
    }
}

/// `whole`: the count the parts add up to, and its 运行总数 when declared; `of`: the part
/// they split (`None`: the inspection).
fn check_parts(
    parts: &[Part],
    (whole, whole_op): (u64, Option<u64>),
    of: Option<&str>,
    field: &str,
    report: &mut Report,
) {
    if parts.is_empty() {
        return;
    }
    let (whole_name, op_name) = match of {
        None => ("检查总数".to_string(), "运行总数".to_string()),
        Some(l) => (format!("“{l}”的数量"), format!("“{l}”的运行总数")),
    };
    for (k, p) in parts.iter().enumerate() {
        if let Some(op) = p.in_operation.as_ref().filter(|o| o.value < p.count.value) {
            report.push(Diagnostic::error(
                pos(op),
                format!("{field}[{k}].in_operation"),
                format!(
                    "“{}”的运行总数 {} 小于其检查数 {}：in_operation 是正在运行的总数",
                    p.label, op.value, p.count.value
                ),
            ));
        }
    }
    let ops: Option<Vec<(&str, u64)>> = parts
        .iter()
        .map(|p| {
            p.in_operation
                .as_ref()
                .map(|o| (p.label.as_str(), u64::from(o.value)))
        })
        .collect();
    if let (Some(ops), Some(whole_op)) = (ops, whole_op) {
        let sum: u64 = ops.iter().map(|(_, n)| n).sum();
        if sum != whole_op {
            let list: Vec<String> = ops.iter().map(|(l, n)| format!("{l}{n}")).collect();
            report.push(Diagnostic::contradiction(
                parts[0]
                    .in_operation
                    .as_ref()
                    .map_or(pos(&parts[0].count), pos),
                field.to_string(),
                format!(
                    "各项运行总数合计 {sum}（{}），与{op_name} {whole_op} 不符",
                    list.join("＋")
                ),
            ));
        }
    }
    let sum: u64 = parts.iter().map(|p| u64::from(p.count.value)).sum();
    if sum != whole {
        let list: Vec<String> = parts
            .iter()
            .map(|p| format!("{}{}", p.label, p.count.value))
            .collect();
        report.push(Diagnostic::contradiction(
            pos(&parts[0].count),
            field.to_string(),
            format!(
                "各项合计 {sum}（{}），与{whole_name} {whole} 不符",
                list.join("＋")
            ),
        ));
    }
    for (k, p) in parts.iter().enumerate() {
        check_parts(
            &p.parts,
            (
                u64::from(p.count.value),
                p.in_operation.as_ref().map(|o| u64::from(o.value)),
            ),
            Some(&p.label),
            &format!("{field}[{k}].parts"),
            report,
        );
    }
}

/// An item's value of a field a breakdown can be named after.
pub fn item_field<'a>(item: &'a Item, name: &str) -> Option<&'a str> {
    match name {
        "platform" => item.platform.as_deref(),
        "category" => item.category.as_deref(),
        "level" => item.level.as_deref(),
        "parent" => item.parent.as_deref(),
        "unit" => Some(item.unit.value.as_str()),
        "tier" => item.tier.as_ref().map(|t| t.value.as_str()),
        _ => None,
    }
}

/// A band's label is printed in the circular, its bounds decide who is in it: a label whose
/// scores are not its bounds (95分以下 with `below: 90`) and two bands that share scores (a
/// score there counts in the first only) are 警告 at the label.
fn check_bands(s: &Scheme, path: &str, report: &mut Report) {
    let bound = |n: &Option<Num>| n.as_ref().map(|n| n.0.normalize());
    for (k, b) in s.bands.iter().enumerate() {
        let field = format!("{path}.scheme.bands[{k}]");
        let (min, below) = (bound(&b.min), bound(&b.below));
        let range = match (min, below) {
            (Some(m), Some(u)) => format!("{m}分（含）至{u}分"),
            (Some(m), None) => format!("{m}分及以上"),
            (None, Some(u)) => format!("{u}分以下"),
            (None, None) => "所有得分".to_string(),
        };
        // What a label may name: its bounds, the score below its upper bound (80-89分 for
        // [80, 90)), the full mark (90—100分 for the top band).
        let step = Decimal::new(1, s.score_decimals.min(MAX_DECIMALS));
        let full = s.full_mark.0.normalize();
        let fits = |n: &Decimal| {
            Some(*n) == min
                || below.is_some_and(|u| *n == u || *n == u - Decimal::ONE || *n == u - step)
                || *n == full
        };
        if label_scores(&b.label.value).iter().any(|n| !fits(n)) {
            report.push(
                Diagnostic::warning(
                    pos(&b.label),
                    format!("{field}.label"),
                    format!(
                        "分数段“{}”的名称与它的范围（{range}）不符：名称印在通报里，范围决定哪些单位算在这一段",
                        b.label.value
                    ),
                )
                .with_hint("改正 min、below 或名称，使两者一致"),
            );
        }
        let overlaps = |o: &Band| {
            let lo = min.max(bound(&o.min));
            let hi = match (below, bound(&o.below)) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            match (lo, hi) {
                (Some(l), Some(h)) => l < h,
                _ => true,
            }
        };
        if let Some(earlier) = s.bands[..k].iter().find(|o| overlaps(o)) {
            report.push(
                Diagnostic::warning(
                    pos(&b.label),
                    format!("{field}.label"),
                    format!(
                        "分数段“{}”（{range}）与前面的“{}”有重叠：重叠处的得分只算入“{}”",
                        b.label.value, earlier.label.value, earlier.label.value
                    ),
                )
                .with_hint("改正 min、below，使各段首尾相接、互不重叠"),
            );
        }
    }
}

/// The scores a band's label names: the numbers followed by 分 or a range mark, or after one
/// (95分及以上 → 95; 80分（含）至90分 → 80, 90; 80-89分 → 80, 89; not the 1 of 第1档).
fn label_scores(label: &str) -> Vec<Decimal> {
    const RANGE: [char; 6] = ['—', '-', '～', '~', '至', '到'];
    let chars: Vec<char> = crate::clerk::digits(label).chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
            i += 1;
        }
        let number: String = chars[start..i].iter().collect();
        let after = chars[i..].iter().find(|c| !c.is_whitespace());
        let before = chars[..start].iter().rev().find(|c| !c.is_whitespace());
        let scored = after.is_some_and(|c| *c == '分' || RANGE.contains(c))
            || before.is_some_and(|c| RANGE.contains(c));
        if let (true, Ok(d)) = (scored, number.trim_end_matches('.').parse::<Decimal>()) {
            out.push(d.normalize());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    fn as_read(s: &str) -> String {
        super::as_read(s).collect()
    }

    #[test]
    fn spellings_a_reader_takes_for_one_name_read_alike() {
        assert_eq!(as_read("区教委（网站）"), as_read("区教委 (网站)"));
        assert_eq!(as_read("ＡＢＣ１２３"), "ABC123");
        assert_eq!(as_read("甲镇\u{3000}专栏"), "甲镇专栏");
        assert_ne!(as_read("甲镇专栏"), as_read("乙镇专栏"));
    }
}
