//! The previous period: `previous: FILE.yaml` loads last period's file (validated and scored
//! like any other; its own errors are reported with its own file:line:column), checks that it
//! is the same issuer's period just before this one, and gives
//! - every figure's previous value (`sites.previous.pass_rate`) and its change
//!   (`sites.change.pass_rate` → 提高2.3个百分点, `sites.change.count` → 增加5个, 持平);
//! - 复查: last period's problem items with their state now (`sites.review`, each with
//!   `review` 已整改 / 仍存在 / 本期未检查 and `open_problems`, those of its problems found
//!   again), counted in `review_fixed` and `review_open`.

use std::path::Path;

use rust_decimal::Decimal;
use serde_json::{Map, Value};

use crate::diag::{Diagnostic, Pos, Report, Severity};
use crate::model::Quarter;
use crate::period;
use crate::score::figures::{self, catalogue, Figure};
use crate::score::{self, show, InspectionResult, ItemResult, Results, Shared};
use crate::validate;

/// Last period's file, loaded and scored.
#[derive(Debug, Clone)]
pub struct Previous {
    /// The file as written in `previous:`.
    pub file: String,
    /// Its period as a title names it (2023年第一季度).
    pub period_name: String,
    pub issuer: String,
    pub results: Results,
}

/// 复查 states.
pub const FIXED: &str = "已整改";
pub const OPEN: &str = "仍存在";
pub const NOT_INSPECTED: &str = "本期未检查";

/// Load the previous file named in `q.previous` (relative to `path`, this file). Problems go
/// to `report` at the `previous:` field; `None` when there is no previous file or it does not
/// load.
pub fn load(q: &Quarter, path: &Path, report: &mut Report) -> Option<Previous> {
    let spec = q.previous.as_ref()?;
    let at = Pos::of(&spec.referenced);
    let file = path
        .parent()
        .unwrap_or(Path::new("."))
        .join(spec.value.trim());
    if !file.is_file() {
        report.push(Diagnostic::error(
            at,
            "previous",
            format!(
                "上一期文件“{}”不存在（路径相对于本文件所在的文件夹：{}）",
                spec.value,
                file.display()
            ),
        ));
        return None;
    }
    if same_file(&file, path) {
        report.push(Diagnostic::error(
            at,
            "previous",
            "previous 指向本文件自己：应为上一期的文件",
        ));
        return None;
    }
    let forward = |theirs: &Report, report: &mut Report| {
        for d in theirs
            .sorted()
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
        {
            let place = if d.pos.line > 0 {
                format!("{}:{}:{}", file.display(), d.pos.line, d.pos.column)
            } else {
                file.display().to_string()
            };
            let field = if d.field.is_empty() {
                String::new()
            } else {
                format!("{}: ", d.field)
            };
            report.push(Diagnostic::error(
                at,
                "previous",
                format!("上一期文件有误：{place}: {field}{}", d.message),
            ));
        }
    };
    let (before, _) = match crate::load::load_file(&file) {
        Ok(x) => x,
        Err(theirs) => {
            forward(&theirs.report, report);
            return None;
        }
    };
    let mut theirs = Report::new(&file);
    let checked = validate::check(&before, &mut theirs);
    let results = score::compute(&before, &checked, &mut theirs);
    if theirs.has_errors() {
        forward(&theirs, report);
        return None;
    }
    if before.document.issuer.value != q.document.issuer.value {
        report.push(Diagnostic::warning(
            at,
            "previous",
            format!(
                "上一期文件的发文机关是“{}”，本文件是“{}”：比较的是另一机关的数据",
                before.document.issuer.value, q.document.issuer.value
            ),
        ));
    }
    if let (Some(then), Some(now)) = (&before.document.number, &q.document.number) {
        if then.value == now.value {
            report.push(
                Diagnostic::warning(
                    Pos::of(&now.referenced),
                    "document.number",
                    format!("发文字号“{}”与上一期文件的相同", now.value),
                )
                .with_hint("换成本期的发文字号"),
            );
        }
    }
    let same_items = q.inspections.iter().any(|i| {
        before.inspections.iter().any(|b| {
            b.id.value == i.id.value
                && !i.items.is_empty()
                && b.items.len() == i.items.len()
                && b.items.iter().zip(&i.items).all(|(x, y)| same_item(x, y))
        })
    });
    if same_items {
        report.push(
            Diagnostic::warning(
                at,
                "previous",
                "本期有一项检查的检查对象、扣分和问题与上一期文件完全相同：是否还是上一期的数据？",
            )
            .with_hint("核对 items（或 items.from 所指的表格）是否已换成本期的检查结果"),
        );
    }
    if !period::is_just_before(&before.quarter, &q.quarter) {
        report.push(Diagnostic::warning(
            at,
            "previous",
            format!(
                "上一期文件是{}，不是{}的上一期：“较{}”的数字比较的是这两期",
                period::name(&before.quarter),
                period::name(&q.quarter),
                period::before(&q.quarter)
            ),
        ));
    }
    Some(Previous {
        file: spec.value.clone(),
        period_name: period::name(&before.quarter),
        issuer: before.document.issuer.value.clone(),
        results,
    })
}

/// Whether two items say the same: unit, name, deductions, veto, score, result, problems.
fn same_item(a: &crate::model::Item, b: &crate::model::Item) -> bool {
    let name = |i: &crate::model::Item| i.name.as_ref().map(|n| n.value.clone());
    let result = |i: &crate::model::Item| i.result.as_ref().map(|r| r.value.clone());
    let score = |i: &crate::model::Item| i.score.as_ref().map(|s| s.value.clone());
    a.unit.value == b.unit.value
        && name(a) == name(b)
        && a.veto == b.veto
        && a.problems == b.problems
        && result(a) == result(b)
        && score(a) == score(b)
        && a.deductions.len() == b.deductions.len()
        && a.deductions
            .iter()
            .zip(b.deductions.iter())
            .all(|((ka, va), (kb, vb))| ka == kb && va.value == vb.value)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

fn key(i: &ItemResult) -> (&str, &str, &str, &str) {
    (&i.unit, &i.name, &i.platform, &i.filing)
}

/// 复查: fill each inspection's `review` from last period's items that failed or had problems.
pub fn review(results: &mut Results, before: &Previous) {
    for r in &mut results.inspections {
        let Some(then) = before.results.inspections.iter().find(|x| x.id == r.id) else {
            continue;
        };
        // When only some items are listed, an unlisted one passed this period.
        let partial = r.listed < r.count;
        r.review = then
            .items
            .iter()
            .filter(|i| !i.passed || !i.problems.is_empty())
            .map(|old| {
                let now = r.items.iter().find(|i| key(i) == key(old));
                let open: Vec<Shared> = now
                    .map(|i| {
                        old.problems
                            .iter()
                            .filter(|p| i.problems.contains(p))
                            .cloned()
                            .collect()
                    })
                    .unwrap_or_default();
                // Still open: one of last period's problems is found again, or it failed then
                // for another reason (score, veto) and fails again.
                let state = match now {
                    Some(i) if !open.is_empty() || (old.problems.is_empty() && !i.passed) => OPEN,
                    Some(_) => FIXED,
                    None if partial => FIXED,
                    None => NOT_INSPECTED,
                };
                ItemResult {
                    review: state.into(),
                    open_problems: open,
                    ..old.clone()
                }
            })
            .collect();
        r.review_fixed = r.review.iter().filter(|i| i.review == FIXED).count() as u32;
        r.review_open = r.review.iter().filter(|i| i.review == OPEN).count() as u32;
    }
}

/// A change as prose says it: 增加5个, 减少1个, 持平; for rates (in percentage points)
/// 提高2.3个百分点, 下降0.5个百分点.
pub fn change_words(diff: Decimal, rate: bool, unit: &str) -> String {
    let (up, down, unit) = if rate {
        ("提高", "下降", "个百分点")
    } else {
        ("增加", "减少", unit)
    };
    match diff.cmp(&Decimal::ZERO) {
        std::cmp::Ordering::Equal => "持平".into(),
        std::cmp::Ordering::Greater => format!("{up}{}{unit}", show(diff)),
        std::cmp::Ordering::Less => format!("{down}{}{unit}", show(-diff)),
    }
}

/// The change of one figure: counts in 个, rates in percentage points, other numbers bare.
fn change_text(now: &Figure, then: &Figure) -> String {
    let unit = match now.value {
        figures::Value::Count(_) => "个",
        _ => "",
    };
    match now.number().checked_sub(then.number()) {
        Some(diff) => change_words(diff, now.is_rate(), unit),
        None => String::new(),
    }
}

/// `change`: the change text of every figure both periods have, as a tree of the figures'
/// paths (`change.bands.0.count`).
pub fn changes(now: &InspectionResult, then: &InspectionResult) -> Value {
    let before = catalogue(then);
    let mut tree = Map::new();
    for f in catalogue(now) {
        let Some(g) = before.iter().find(|g| g.path == f.path) else {
            continue;
        };
        insert(&mut tree, &f.path, change_text(&f, g));
    }
    Value::Object(tree)
}

/// Put `text` at a dotted path of the tree; a path running through a leaf (a label with a dot
/// in it) is left out.
fn insert(tree: &mut Map<String, Value>, path: &str, text: String) {
    match path.split_once('.') {
        None => {
            tree.entry(path.to_string()).or_insert(Value::String(text));
        }
        Some((head, rest)) => {
            let node = tree
                .entry(head.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(inner) = node {
                insert(inner, rest, text);
            }
        }
    }
}
