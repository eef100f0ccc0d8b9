//! score: the model → every figure the document prints (scores, 合格/不合格, ranks, rates,
//! counts, full-mark lists, bands, tiers, breakdowns, problem counts), and every figure the
//! YAML states that the data contradicts, as a diagnostic (found by `validate::stated`). Input
//! errors are `validate`'s.
//!
//! [`item`] scores one item, [`figures`] is the catalogue of computed figures (path → value)
//! that `stated:`, the prose lint and the previous-period comparison share.

pub mod figures;
pub mod formula;
pub mod item;
pub mod shared;

use std::collections::BTreeMap;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Serialize, Serializer};

use crate::diag::Report;
use crate::model::{Inspection, Part, Quarter, RankMethod, RateFormat, Rounding};
use crate::validate::{stated, Validated};
pub use shared::{Pool, Shared};

/// Computed results of one inspection: the template context under its id.
#[derive(Debug, Clone, Serialize)]
pub struct InspectionResult {
    pub id: String,
    pub kind: String,
    /// Number inspected (the declared total, or the number of items).
    pub count: u32,
    /// Number of items listed (all of them, or only some: often the failing ones).
    pub listed: u32,
    /// 运行总数 (declared, or the number inspected).
    pub in_operation: u32,
    /// 检查比例: inspected / in operation.
    pub coverage: Rate,
    pub passed: u32,
    pub failed: u32,
    /// 合格率 as printed, e.g. "96.8%".
    pub pass_rate: Rate,
    pub fail_rate: Rate,
    pub full_mark_count: u32,
    /// Units with full marks (and 合格), in table order.
    pub full_mark_units: Vec<Shared>,
    /// The full-mark units the office chose to name (`featured: true`), in table order.
    pub full_mark_featured: Vec<Shared>,
    /// Items with at least one problem.
    pub problem_count: u32,
    /// Number of items per problem text.
    pub problem_kinds: BTreeMap<String, u32>,
    /// Counts of the listed items per platform / category / level.
    pub by_platform: BTreeMap<String, u32>,
    /// `by_platform` largest first (ties in name order), as prose lists them.
    pub platforms: Vec<Count>,
    /// `problem_kinds` most frequent first (ties in text order).
    pub problems_by_count: Vec<Count>,
    pub by_category: BTreeMap<String, u32>,
    pub by_level: BTreeMap<String, u32>,
    /// Declared breakdowns by name; each part keyed by its label, in the declared order.
    pub breakdowns: BTreeMap<String, Parts>,
    /// The scheme's own figures; absent without a scheme.
    pub scheme: Option<SchemeValues>,
    pub bands: Vec<Group>,
    pub tiers: Vec<Group>,
    /// The tiers the scheme declares (its rules' labels, or `tier_order`), in order; empty
    /// when tiers are only given by the items.
    #[serde(skip)]
    pub declared_tiers: Vec<String>,
    pub failed_units: Vec<Shared>,
    #[serde(skip_serializing_if = "leave_items_out")]
    pub items: Vec<ItemResult>,
    /// Last period's problem items with their state now (`review`: 已整改 / 仍存在); empty
    /// without a previous file.
    #[serde(skip_serializing_if = "leave_items_out")]
    pub review: Vec<ItemResult>,
    /// Of `review`: how many are 已整改 and how many 仍存在.
    pub review_fixed: u32,
    pub review_open: u32,
    /// The scheme's formulas as printed: for the table note.
    pub formulas: Vec<FormulaText>,
}

thread_local! {
    static ITEMS_OUT: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Serialise inside `f` without the inspections' `items` and `review`: building the template
/// context when no template names them (every item as JSON is most of compose's time).
pub fn without_items<R>(f: impl FnOnce() -> R) -> R {
    ITEMS_OUT.set(true);
    let r = f();
    ITEMS_OUT.set(false);
    r
}

fn leave_items_out(_: &[ItemResult]) -> bool {
    ITEMS_OUT.get()
}

/// A rate: the rounded percentage and its printed form ("96.8%"); templates see the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rate {
    pub value: Decimal,
    pub text: String,
}

impl Serialize for Rate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl PartialEq<&str> for Rate {
    fn eq(&self, other: &&str) -> bool {
        self.text == *other
    }
}

impl std::fmt::Display for Rate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
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
    /// Share of the inspected total.
    pub share: Rate,
    pub members: Vec<Shared>,
}

/// One part of a declared breakdown, with its own parts.
#[derive(Debug, Clone, Serialize)]
pub struct PartResult {
    pub label: String,
    pub count: u32,
    /// Share of the whole it is a part of.
    pub share: Rate,
    /// 运行总数: as declared, else the count.
    pub in_operation: u32,
    /// Whether `in_operation` was declared (only then is it a figure of its own).
    #[serde(skip)]
    pub in_operation_declared: bool,
    /// 检查比例: count ÷ in_operation.
    pub coverage: Rate,
    pub parts: Parts,
}

/// Parts in their declared order, serialised as a map keyed by label so that a template can
/// name one (`media.breakdowns.platform.微博.count`) or walk them all (`#each`).
#[derive(Debug, Clone, Default)]
pub struct Parts(pub Vec<PartResult>);

impl Serialize for Parts {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|p| (&p.label, p)))
    }
}

/// The scheme's figures as printed (trailing zeros dropped; `bonus_cap` empty when none).
#[derive(Debug, Clone, Serialize)]
pub struct SchemeValues {
    pub full_mark: String,
    pub pass_mark: String,
    pub bonus_cap: String,
    /// The formulas as printed, also here so that `{{> formula_notes sites.scheme}}` hands the
    /// partial this small object (a partial copies its context: `sites` would copy every item).
    pub formulas: Vec<FormulaText>,
    /// Each indicator's maximum as printed, by name, for headers such as
    /// `政策解读（{{sites.scheme.max.政策解读}}分）`; indicators without one are absent.
    pub max: BTreeMap<String, String>,
    /// Each indicator group's points (`group_max`) as printed, by group name, for a merged
    /// header such as `内容更新（{{sites.scheme.group_max.内容更新}}分）`.
    pub group_max: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FormulaText {
    pub label: String,
    pub expr: String,
}

/// One item with everything its table row prints, the derived fields included.
#[derive(Debug, Clone, Serialize)]
pub struct ItemResult {
    pub seq: u32,
    pub unit: Shared,
    pub name: Shared,
    /// The name, or the unit when there is none: what lists print.
    pub label: Shared,
    /// 简称 (input `short`), or the unit.
    pub short: Shared,
    pub platform: Shared,
    pub filing: Shared,
    /// 网站标识码.
    pub code: Shared,
    pub url: Shared,
    pub category: Shared,
    pub level: Shared,
    pub parent: Shared,
    pub veto: bool,
    /// Deductions as printed ("10", "不考核"; empty when none).
    pub d: crate::model::small_map::SmallMap<Shared, Shared>,
    /// Score as printed ("88.9"); empty when not scored or when a veto hides it.
    pub score: Shared,
    /// The shown score.
    #[serde(skip)]
    pub score_value: Option<Decimal>,
    /// The formula's score, also when a veto hides it.
    #[serde(skip)]
    pub computed_score: Option<Decimal>,
    pub passed: bool,
    /// 合格 / 不合格.
    pub result: Shared,
    /// Why 不合格 (单项否决, 得分低于60分, 存在问题, 检查结果为不合格); empty when 合格.
    pub reason: Shared,
    pub rank: Option<u32>,
    /// Where the item stands, best (highest) first: the key its rank is given by (items a veto
    /// ranks `last` after every other: `(false, score)`), else its shown score; `None`: neither.
    /// `sort: score` orders by it, so a table sorted by score prints its ranks increasing.
    #[serde(skip)]
    pub standing: Option<(bool, Decimal)>,
    /// The scheme band the shown score falls in.
    pub band: Shared,
    pub tier: Shared,
    pub problems: Vec<Shared>,
    pub remark: Shared,
    pub featured: bool,
    /// 复查 state (已整改 / 仍存在 / 本期未检查), on the items of `review` only.
    pub review: Shared,
    /// Of last period's problems, those still found now (on the items of `review` only).
    pub open_problems: Vec<Shared>,
}

/// All results: per inspection, in YAML order.
#[derive(Debug, Clone, Serialize)]
pub struct Results {
    pub inspections: Vec<InspectionResult>,
    /// The previous period's results, when a `previous:` file was given and loaded.
    #[serde(skip)]
    pub previous: Option<Box<crate::previous::Previous>>,
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

/// Decimals a score or rate may be printed with: more than any circular prints, and far from
/// what the decimal type (28 digits) and the formatter can hold (`validate` refuses more).
pub const MAX_DECIMALS: u32 = 10;

/// A rate num/den as a percentage with the declared precision: 44/45 → 97.7% (down),
/// 58/64 → 90.62% (two decimals). An empty population is 0%.
pub fn rate(num: u32, den: u32, fmt: &RateFormat) -> Rate {
    if den == 0 {
        return Rate {
            value: Decimal::ZERO,
            text: "0%".into(),
        };
    }
    let value = Decimal::from(num) * Decimal::from(100) / Decimal::from(den);
    // More decimals are refused at validation; this keeps a direct caller safe.
    let decimals = fmt.decimals.min(MAX_DECIMALS);
    let r = round(value, decimals, fmt.rounding);
    let text = if fmt.trim {
        format!("{}%", show(r))
    } else {
        format!("{:.*}%", decimals as usize, r)
    };
    Rate { value: r, text }
}

/// [`rate`]'s printed form.
pub fn percent(num: u32, den: u32, fmt: &RateFormat) -> String {
    rate(num, den, fmt).text
}

/// Ranks by a key (higher is better) in input order; `None` keys get no rank.
pub fn ranks<K: Ord>(keys: &[Option<K>], method: RankMethod) -> Vec<Option<u32>> {
    let mut order: Vec<usize> = (0..keys.len()).filter(|&i| keys[i].is_some()).collect();
    // Stable: ties keep table order, which is what ordinal ranking uses.
    order.sort_by(|&a, &b| keys[b].cmp(&keys[a]));
    let mut out = vec![None; keys.len()];
    let mut dense = 0;
    for (pos, &i) in order.iter().enumerate() {
        let tied_with_previous = pos > 0 && keys[order[pos - 1]] == keys[i];
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

/// Compute every inspection; contradicted figures go to the report (input errors were
/// reported by `validate`, which parsed the formulas handed in `checked`).
pub fn compute(q: &Quarter, checked: &Validated, report: &mut Report) -> Results {
    let mut pool = Pool::default();
    let inspections = q
        .inspections
        .iter()
        .enumerate()
        .map(|(n, insp)| {
            let exprs = checked.formulas.get(n).map_or(&[][..], |f| &f[..]);
            let r = compute_one(insp, exprs, &mut pool, report, n);
            let path = format!("inspections[{n}]");
            stated::published(insp, &r, &path, report);
            stated::listed_counts(insp, &r, &path, report);
            stated::stated(insp, &r, &path, report);
            r
        })
        .collect();
    Results {
        inspections,
        previous: None,
    }
}

fn formula_texts(s: &crate::model::Scheme) -> Vec<FormulaText> {
    s.formulas
        .iter()
        .map(|f| FormulaText {
            label: f.label.clone(),
            expr: f.expr.value.clone(),
        })
        .collect()
}

fn tally(items: &[ItemResult], field: fn(&ItemResult) -> &str) -> BTreeMap<String, u32> {
    let mut m = BTreeMap::new();
    for i in items {
        let k = field(i);
        if !k.is_empty() {
            *m.entry(k.to_string()).or_insert(0) += 1;
        }
    }
    m
}

fn parts_of(parts: &[Part], whole: u32, fmt: &RateFormat) -> Parts {
    Parts(
        parts
            .iter()
            .map(|p| {
                let count = p.count.value;
                let in_operation = p
                    .in_operation
                    .as_ref()
                    .map_or(count, |o| o.value.max(count));
                PartResult {
                    label: p.label.clone(),
                    count,
                    share: rate(count, whole, fmt),
                    in_operation,
                    in_operation_declared: p.in_operation.is_some(),
                    coverage: rate(count, in_operation, fmt),
                    parts: parts_of(&p.parts, count, fmt),
                }
            })
            .collect(),
    )
}

/// Groups of items by a label (band, tier) in the given label order, with their members.
fn groups(
    labels: &[&str],
    items: &[ItemResult],
    of: fn(&ItemResult) -> &str,
    whole: u32,
    fmt: &RateFormat,
) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for label in labels {
        if out.iter().any(|g| g.label == *label) {
            continue;
        }
        let members: Vec<Shared> = items
            .iter()
            .filter(|i| of(i) == *label)
            .map(|i| i.label.clone())
            .collect();
        out.push(Group {
            label: label.to_string(),
            count: members.len() as u32,
            share: rate(members.len() as u32, whole, fmt),
            members,
        });
    }
    out
}

fn compute_one(
    insp: &Inspection,
    exprs: &[Option<formula::Expr>],
    pool: &mut Pool,
    report: &mut Report,
    n: usize,
) -> InspectionResult {
    let path = format!("inspections[{n}]");
    let scheme = insp.scheme.as_ref();
    let rate_fmt = scheme.map(|s| s.rate).unwrap_or_default();

    let mut items: Vec<ItemResult> = insp
        .items
        .iter()
        .enumerate()
        .map(|(k, it)| {
            item::score(
                insp,
                it,
                k as u32 + 1,
                exprs,
                &format!("{path}.items[{k}]"),
                pool,
                report,
            )
        })
        .collect();

    // Ranks on the printed (rounded) scores: what a reader can check. The same keys order a
    // table sorted by score (`standing`), so the ranks it prints increase down the table.
    if let Some(s) = scheme {
        let keys: Vec<Option<(bool, Decimal)>> =
            items.iter().map(|i| item::rank_key(i, s)).collect();
        for ((item, rank), key) in items.iter_mut().zip(ranks(&keys, s.rank)).zip(keys) {
            item.rank = rank;
            item.standing = key;
        }
    }
    // Unranked (no scheme, or a veto with `rank: none`): by the shown score among the rest.
    for item in &mut items {
        if item.standing.is_none() {
            item.standing = item.score_value.map(|v| (true, v));
        }
    }

    let scored = scheme.is_some_and(|s| !s.formulas.is_empty())
        || items.iter().any(|i| i.score_value.is_some());
    let listed = items.len() as u32;
    let count = insp.total.as_ref().map_or(listed, |t| t.value.max(listed));
    // Unlisted items are taken as passed unless `passed`/`failed` say otherwise; never fewer
    // failures than listed (`validate::stated::listed_counts` reports the contradiction).
    let failed_listed = items.iter().filter(|i| !i.passed).count() as u32;
    let declared_failed = insp
        .failed
        .as_ref()
        .map(|f| f.value)
        .or_else(|| insp.passed.as_ref().map(|p| count.saturating_sub(p.value)));
    let failed = declared_failed.unwrap_or(0).max(failed_listed).min(count);
    let passed = count - failed;
    // 运行总数: declared, else the sum of the parts' of a breakdown that gives every part's.
    let by_parts = insp.breakdowns.values().find_map(|parts| {
        let each: Option<Vec<u32>> = parts
            .iter()
            .map(|p| p.in_operation.as_ref().map(|o| o.value.max(p.count.value)))
            .collect();
        each.filter(|e| !e.is_empty())
            .map(|e| e.iter().fold(0u32, |a, b| a.saturating_add(*b)))
    });
    let in_operation = insp
        .in_operation
        .as_ref()
        .map(|o| o.value)
        .or(by_parts)
        .map_or(count, |o| o.max(count));

    let full_mark = scheme.map(|s| s.full_mark.0);
    let is_full =
        |i: &ItemResult| scored && i.passed && full_mark.is_some() && i.score_value == full_mark;
    let full_mark_units: Vec<Shared> = items
        .iter()
        .filter(|i| is_full(i))
        .map(|i| i.unit.clone())
        .collect();
    let full_mark_featured = items
        .iter()
        .filter(|i| i.featured && is_full(i))
        .map(|i| i.unit.clone())
        .collect();

    let mut problem_kinds = BTreeMap::new();
    for p in items.iter().flat_map(|i| &i.problems) {
        *problem_kinds.entry(p.to_string()).or_insert(0) += 1;
    }
    let by_platform = tally(&items, |i| &i.platform);

    let band_labels: Vec<&str> = scheme
        .map(|s| s.bands.iter().map(|b| b.label.value.as_str()).collect())
        .unwrap_or_default();
    let bands = groups(&band_labels, &items, |i| &i.band, count, &rate_fmt);
    // Tiers in the order the scheme declares them (rules, or `tier_order`), then any other
    // given tier in order of appearance (`validate` reports those when an order is declared).
    let declared_tiers: Vec<String> = scheme
        .map(|s| {
            let rules = s.tiers.iter().map(|t| t.label.clone());
            let order = s.tier_order.iter().map(|t| t.value.clone());
            rules.chain(order).collect()
        })
        .unwrap_or_default();
    let mut tier_labels: Vec<&str> = declared_tiers.iter().map(String::as_str).collect();
    for i in &items {
        if !i.tier.is_empty() && !tier_labels.contains(&i.tier.as_str()) {
            tier_labels.push(&i.tier);
        }
    }
    let tiers = groups(&tier_labels, &items, |i| &i.tier, count, &rate_fmt);

    InspectionResult {
        id: insp.id.value.clone(),
        kind: insp.kind.clone(),
        count,
        listed,
        in_operation,
        coverage: rate(count, in_operation, &rate_fmt),
        passed,
        failed,
        pass_rate: rate(passed, count, &rate_fmt),
        fail_rate: rate(failed, count, &rate_fmt),
        full_mark_count: full_mark_units.len() as u32,
        full_mark_units,
        full_mark_featured,
        problem_count: items.iter().filter(|i| !i.problems.is_empty()).count() as u32,
        problems_by_count: largest_first(&problem_kinds),
        problem_kinds,
        platforms: largest_first(&by_platform),
        by_platform,
        by_category: tally(&items, |i| &i.category),
        by_level: tally(&items, |i| &i.level),
        breakdowns: insp
            .breakdowns
            .iter()
            .map(|(name, parts)| (name.clone(), parts_of(parts, count, &rate_fmt)))
            .collect(),
        scheme: scheme.map(|s| SchemeValues {
            full_mark: show(s.full_mark.0),
            pass_mark: show(s.pass_mark.0),
            bonus_cap: s.bonus_cap.map(|c| show(c.0)).unwrap_or_default(),
            formulas: formula_texts(s),
            max: s
                .indicators
                .iter()
                .filter_map(|i| Some((i.name.clone(), show(i.max?.0))))
                .collect(),
            group_max: s
                .indicators
                .iter()
                .filter_map(|i| Some((i.group.clone()?, show(i.group_max.as_ref()?.value.0))))
                .collect(),
        }),
        bands,
        tiers,
        declared_tiers,
        failed_units: items
            .iter()
            .filter(|i| !i.passed)
            .map(|i| i.unit.clone())
            .collect(),
        formulas: scheme.map(formula_texts).unwrap_or_default(),
        items,
        review: Vec::new(),
        review_fixed: 0,
        review_open: 0,
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
            "document: {{issuer: 某区人民政府办公室, date: 2024-07-01}}\nquarter: {{year: 2024, number: 2}}\ninspections:\n  - id: s\n    kind: 网站\n    scheme:\n      indicators:\n        - {{name: 扣分, max: 50}}\n        - {{name: 不考核项, max: 10}}\n        - {{name: 加分, bonus: true}}\n      formulas:\n        - expr: 100-扣分-不考核项+加分\n{extra_scheme}    items:\n{items}"
        );
        let (q, _) =
            crate::load::parse(yaml.as_bytes()).unwrap_or_else(|d| panic!("{d:?}\n{yaml}"));
        let mut report = Report::new(std::path::Path::new("t.yaml"));
        let checked = crate::validate::check(&q, &mut report);
        let r = compute(&q, &checked, &mut report);
        (r, report)
    }

    #[test]
    fn stated_figures_are_checked_and_unknown_names_are_errors() {
        let items = "      - {unit: A, d: {扣分: 10}}\n      - {unit: B}\n    stated: {count: 2, passed: 2, pass_rate: 50%, full_mark_count: 1, bands: 3}\n";
        let (_, report) = run(items, "");
        let lines: Vec<String> = report.to_string().lines().map(String::from).collect();
        assert_eq!(lines.len(), 2, "{report}");
        assert!(lines[0].contains("stated.pass_rate") && lines[0].contains("按数据计算为 100%"));
        assert!(lines[1].contains("stated.bands") && lines[1].contains("没有路径为“bands”"));
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
            (b[0].label.as_str(), b[0].count, &b[0].members[..]),
            ("110分及以上", 1, &["A".into()][..])
        );
        assert_eq!(
            (b[1].count, &b[1].members[..]),
            (2, &["B".into(), "C".into()][..])
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
        assert_eq!(
            (s.passed, s.failed, s.pass_rate.text.as_str()),
            (1, 1, "50%")
        );
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

#[cfg(test)]
mod input_tests {
    use super::*;
    use crate::diag::Severity;

    /// Validate and score a file whose `inspections:` are `inspections`.
    fn run(inspections: &str) -> (Results, Report) {
        let yaml = format!(
            "document: {{issuer: 某区人民政府办公室, date: 2024-07-01}}\nquarter: {{year: 2024, number: 2}}\ninspections:\n{inspections}"
        );
        let (q, _) =
            crate::load::parse(yaml.as_bytes()).unwrap_or_else(|d| panic!("{d:?}\n{yaml}"));
        let mut report = Report::new(std::path::Path::new("t.yaml"));
        let checked = crate::validate::check(&q, &mut report);
        (compute(&q, &checked, &mut report), report)
    }

    fn lines(r: &Report) -> Vec<String> {
        r.to_string().lines().map(String::from).collect()
    }

    #[test]
    fn pass_fail_results_without_scores_are_used() {
        let (r, report) = run("  - id: z\n    kind: 专属网页\n    items:\n      - {unit: 甲, result: 合格}\n      - {unit: 乙, result: 不合格}\n      - {unit: 丙, result: 不合格, problems: [栏目空白]}\n      - {unit: 丁, result: 合格, problems: [个别错字]}\n      - {unit: 戊}\n      - {unit: 己, problems: [链接失效]}\n");
        assert!(report.items.is_empty(), "{report}");
        let z = &r.inspections[0];
        let got: Vec<(&str, &str)> = z
            .items
            .iter()
            .map(|i| (i.result.as_str(), i.reason.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("合格", ""),
                ("不合格", "检查结果为不合格"),
                ("不合格", "存在问题"),
                ("合格", ""),
                ("合格", ""),
                ("不合格", "存在问题"),
            ]
        );
        assert_eq!(
            (z.passed, z.failed, z.pass_rate.text.as_str()),
            (3, 3, "50%")
        );
    }

    #[test]
    fn a_result_that_is_neither_is_an_error_with_the_allowed_values() {
        let (_, report) =
            run("  - id: z\n    kind: 专属网页\n    items:\n      - {unit: 甲, result: 不及格}\n");
        let l = lines(&report);
        assert_eq!(l.len(), 1, "{report}");
        assert!(
            l[0].contains(
                "t.yaml:7:27: 错误: inspections[0].items[0].result: 检查结果“不及格”无效"
            ) && l[0].contains("（可用：合格、不合格）"),
            "{report}"
        );
    }

    #[test]
    fn counted_but_not_listed() {
        let items = "    items:\n      - {unit: 甲, result: 不合格}\n      - {unit: 乙, problems: [超2周未更新]}\n";
        let (r, report) = run(&format!(
            "  - id: m\n    kind: 政务新媒体\n    total: 20\n    failed: 3\n{items}"
        ));
        assert!(report.items.is_empty(), "{report}");
        let m = &r.inspections[0];
        assert_eq!(
            (
                m.count,
                m.listed,
                m.passed,
                m.failed,
                m.pass_rate.text.as_str()
            ),
            (20, 2, 17, 3, "85%")
        );
        // Declared passed gives failed = total − passed.
        let (r, _) = run(&format!(
            "  - id: m\n    kind: 政务新媒体\n    total: 20\n    passed: 16\n{items}"
        ));
        assert_eq!((r.inspections[0].passed, r.inspections[0].failed), (16, 4));
        // Fewer failures declared than listed: a contradiction, and the listed count wins.
        let (r, report) = run(&format!(
            "  - id: m\n    kind: 政务新媒体\n    total: 20\n    failed: 1\n{items}"
        ));
        assert_eq!(r.inspections[0].failed, 2);
        let l = lines(&report);
        assert_eq!(l.len(), 1, "{report}");
        assert!(
            l[0].contains(":7:13: 矛盾: inspections[0].failed: 按写明的数字不合格 1 个，但列出的检查对象中已有 2 个不合格")
                && l[0].contains("应写作 failed: 2"),
            "{report}"
        );
        // passed + failed must be the total.
        let (_, report) = run(&format!(
            "  - id: m\n    kind: 政务新媒体\n    total: 20\n    passed: 16\n    failed: 3\n{items}"
        ));
        assert!(
            report
                .to_string()
                .contains("合格 16 个加不合格 3 个为 19 个，与检查总数 20 不符"),
            "{report}"
        );
        // A total below the listed items is an error.
        let (_, report) = run(&format!(
            "  - id: m\n    kind: 政务新媒体\n    total: 1\n{items}"
        ));
        assert!(
            report.has_errors() && report.to_string().contains("总数 1 小于列出的检查对象数 2")
        );
    }

    #[test]
    fn coverage_from_the_number_in_operation() {
        let (r, report) =
            run("  - id: m\n    kind: 政务新媒体\n    in_operation: 1061\n    total: 173\n");
        assert!(report.items.is_empty(), "{report}");
        assert_eq!(r.inspections[0].coverage.text, "16.3%");
        let (r, _) = run("  - id: m\n    kind: 政务新媒体\n    total: 5\n");
        assert_eq!(r.inspections[0].coverage.text, "100%");
        let (_, report) =
            run("  - id: m\n    kind: 政务新媒体\n    in_operation: 4\n    total: 5\n");
        assert!(report.has_errors() && report.to_string().contains("运行总数 4 小于检查总数 5"));
    }

    #[test]
    fn breakdowns_must_add_up_at_every_level() {
        let ok = "  - id: m\n    kind: 政务新媒体\n    total: 300\n    breakdowns:\n      platform:\n        - label: 微信公众号\n          count: 218\n          parts:\n            - {label: 市直单位, count: 53}\n            - {label: 县（市）区, count: 165}\n        - {label: 微博, count: 82}\n";
        let (r, report) = run(ok);
        assert!(report.items.is_empty(), "{report}");
        let p = &r.inspections[0].breakdowns["platform"].0;
        assert_eq!(
            (p[0].label.as_str(), p[0].count, p[0].share.text.as_str()),
            ("微信公众号", 218, "72.7%")
        );
        assert_eq!(
            (p[0].parts.0[1].label.as_str(), p[0].parts.0[1].count),
            ("县（市）区", 165)
        );
        let (_, report) = run(&ok.replace("count: 165", "count: 160"));
        let l = lines(&report);
        assert_eq!(l.len(), 1, "{report}");
        assert!(l[0].contains("矛盾: inspections[0].breakdowns.platform[0].parts: 各项合计 213（市直单位53＋县（市）区160），与“微信公众号”的数量 218 不符"), "{report}");
        let (_, report) = run(&ok.replace("count: 82", "count: 80"));
        assert!(
            report
                .to_string()
                .contains("各项合计 298（微信公众号218＋微博80），与检查总数 300 不符"),
            "{report}"
        );
        assert_eq!(report.count(Severity::Contradiction), 1);
    }

    #[test]
    fn parts_in_operation_give_their_coverage_and_the_total() {
        let yaml = "  - id: m\n    kind: 政务新媒体\n    total: 10\n    breakdowns:\n      unit:\n        - {label: 甲, count: 6, in_operation: 8}\n        - {label: 乙, count: 4, in_operation: 12}\n";
        let (r, report) = run(yaml);
        assert!(report.items.is_empty(), "{report}");
        let m = &r.inspections[0];
        let p = &m.breakdowns["unit"].0;
        assert_eq!((p[0].in_operation, p[0].coverage.text.as_str()), (8, "75%"));
        assert_eq!(
            (p[1].in_operation, p[1].coverage.text.as_str()),
            (12, "33.3%")
        );
        // The inspection's 运行总数 is the parts' sum when it declares none: 10 of 20.
        assert_eq!((m.in_operation, m.coverage.text.as_str()), (20, "50%"));
        let paths: Vec<String> = figures::catalogue(m)
            .into_iter()
            .map(|f| format!("{}={}", f.path, f.text()))
            .filter(|p| p.starts_with("breakdowns.unit.甲"))
            .collect();
        assert_eq!(
            paths,
            [
                "breakdowns.unit.甲.count=6",
                "breakdowns.unit.甲.share=60%",
                "breakdowns.unit.甲.in_operation=8",
                "breakdowns.unit.甲.coverage=75%"
            ]
        );
        // Declared both ways, they must agree; a part cannot run fewer than it had inspected.
        let (_, report) = run(&yaml.replace("total: 10\n", "total: 10\n    in_operation: 21\n"));
        let l = lines(&report);
        assert_eq!(l.len(), 1, "{report}");
        assert!(
            l[0].contains(":10:46: 矛盾: inspections[0].breakdowns.unit: 各项运行总数合计 20（甲8＋乙12），与运行总数 21 不符"),
            "{report}"
        );
        let (_, report) = run(&yaml.replace("in_operation: 8}", "in_operation: 5}"));
        let l = lines(&report);
        assert_eq!(l.len(), 1, "{report}");
        assert!(
            l[0].contains(":9:46: 错误: inspections[0].breakdowns.unit[0].in_operation: “甲”的运行总数 5 小于其检查数 6"),
            "{report}"
        );
    }

    #[test]
    fn tier_order_declares_the_given_tiers_and_their_order() {
        let yaml = "  - id: z\n    kind: 专属网页\n    scheme: {tier_order: [好, 较好, 一般]}\n    items:\n      - {unit: 甲, tier: 较好}\n      - {unit: 乙, tier: 好}\n      - {unit: 丙, tier: 较好}\n";
        let (r, report) = run(yaml);
        assert!(report.items.is_empty(), "{report}");
        let tiers: Vec<(&str, u32)> = r.inspections[0]
            .tiers
            .iter()
            .map(|g| (g.label.as_str(), g.count))
            .collect();
        // In the declared order (not 较好 first), 一般 listed with 0.
        assert_eq!(tiers, [("好", 1), ("较好", 2), ("一般", 0)]);
        let (_, report) = run(&yaml.replace("tier: 好}", "tier: 良好}"));
        let l = lines(&report);
        assert_eq!(l.len(), 1, "{report}");
        assert!(
            l[0].contains(
                ":9:25: 错误: inspections[0].items[1].tier: 等次“良好”不在 scheme.tier_order 中"
            ) && l[0].contains("（已声明：好、较好、一般）"),
            "{report}"
        );
        let (_, report) = run(&yaml.replace(
            "{tier_order: [好, 较好, 一般]}",
            "{tier_order: [好, 较好, 好], tiers: [{label: 好}]}",
        ));
        let l: Vec<String> = lines(&report)
            .into_iter()
            .filter(|l| l.contains("tier_order"))
            .collect();
        assert_eq!(l.len(), 2, "{report}");
        assert!(
            l[0].contains("有等次规则（scheme.tiers）时不写 tier_order"),
            "{report}"
        );
        assert!(
            l[1].contains("scheme.tier_order[2]: 等次“好”重复"),
            "{report}"
        );
    }

    #[test]
    fn a_breakdown_named_after_an_item_field_agrees_with_the_listed_items() {
        let yaml = "  - id: m\n    kind: 政务新媒体\n    breakdowns:\n      platform:\n        - {label: 微信, count: 2}\n        - {label: 微博, count: 1}\n    items:\n      - {unit: 甲, platform: 微信}\n      - {unit: 乙, platform: 微信}\n      - {unit: 丙, platform: 微搏}\n";
        let (_, report) = run(yaml);
        let text = report.to_string();
        assert!(
            text.contains("“微博”写明 1 个，列出的检查对象中 platform 为“微博”的有 0 个"),
            "{text}"
        );
        assert!(
            text.contains("列出的检查对象中有 1 个 platform 为“微搏”，分类中没有这一项（有：微信、微博）；是否应为"),
            "{text}"
        );
    }

    fn scored(veto: &str, items: &str) -> (Results, Report) {
        run(&format!(
            "  - id: s\n    kind: 网站\n    scheme:\n      indicators: [{{name: 扣分, max: 50}}]\n      formulas: [{{expr: 100-扣分}}]\n      bands:\n        - {{label: 90分及以上, min: 90}}\n        - {{label: 60—90分, min: 60, below: 90}}\n        - {{label: 60分以下, below: 60}}\n{veto}    items:\n{items}"
        ))
    }

    const THREE: &str = "      - {unit: A, veto: true}\n      - {unit: B, d: {扣分: 5}}\n      - {unit: C, d: {扣分: 20}}\n";

    fn shown(r: &Results) -> Vec<(String, Option<u32>, String, String)> {
        r.inspections[0]
            .items
            .iter()
            .map(|i| {
                (
                    i.score.to_string(),
                    i.rank,
                    i.result.to_string(),
                    i.band.to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn veto_by_default_is_unscored_and_unranked() {
        let (r, report) = scored("", THREE);
        assert!(report.items.is_empty(), "{report}");
        let s = |x: &str| x.to_string();
        assert_eq!(
            shown(&r),
            [
                (s(""), None, s("不合格"), s("")),
                (s("95"), Some(1), s("合格"), s("90分及以上")),
                (s("80"), Some(2), s("合格"), s("60—90分")),
            ]
        );
        assert_eq!(r.inspections[0].items[0].reason, "单项否决");
        assert_eq!(r.inspections[0].bands[0].count, 1);
    }

    #[test]
    fn veto_rules_declared_in_the_scheme() {
        let s = |x: &str| x.to_string();
        let (r, _) = scored("      veto: {rank: last, score: 59}\n", THREE);
        assert_eq!(
            shown(&r),
            [
                (s("59"), Some(3), s("不合格"), s("60分以下")),
                (s("95"), Some(1), s("合格"), s("90分及以上")),
                (s("80"), Some(2), s("合格"), s("60—90分")),
            ]
        );
        let (r, _) = scored("      veto: {rank: by_score, score: computed}\n", THREE);
        assert_eq!(
            shown(&r)[0],
            (s("100"), Some(1), s("不合格"), s("90分及以上"))
        );
        assert!(r.inspections[0].full_mark_units.is_empty());
        let (r, _) = scored("      veto: {rank: last}\n", THREE);
        assert_eq!(shown(&r)[0], (s(""), Some(3), s("不合格"), s("")));
    }

    /// Every rank rule with every score rule: A (vetoed, formula score 100), B 95, C 80.
    #[test]
    fn veto_rank_and_score_rules_in_every_combination() {
        // (veto rule, A's shown score, A's band, ranks of A B C)
        let cases: [(&str, &str, &str, [Option<u32>; 3]); 9] = [
            (
                "{rank: none, score: none}",
                "",
                "",
                [None, Some(1), Some(2)],
            ),
            (
                "{rank: none, score: computed}",
                "100",
                "90分及以上",
                [None, Some(1), Some(2)],
            ),
            (
                "{rank: none, score: 59}",
                "59",
                "60分以下",
                [None, Some(1), Some(2)],
            ),
            // Last: after every unvetoed item, by the formula's score even when none is shown.
            (
                "{rank: last, score: none}",
                "",
                "",
                [Some(3), Some(1), Some(2)],
            ),
            (
                "{rank: last, score: computed}",
                "100",
                "90分及以上",
                [Some(3), Some(1), Some(2)],
            ),
            (
                "{rank: last, score: 59}",
                "59",
                "60分以下",
                [Some(3), Some(1), Some(2)],
            ),
            // By score: the score shown, else the formula's.
            (
                "{rank: by_score, score: none}",
                "",
                "",
                [Some(1), Some(2), Some(3)],
            ),
            (
                "{rank: by_score, score: computed}",
                "100",
                "90分及以上",
                [Some(1), Some(2), Some(3)],
            ),
            (
                "{rank: by_score, score: 59}",
                "59",
                "60分以下",
                [Some(3), Some(1), Some(2)],
            ),
        ];
        for (rule, score, band, ranks) in cases {
            let (r, report) = scored(&format!("      veto: {rule}\n"), THREE);
            assert!(report.items.is_empty(), "{rule}: {report}");
            let s = &r.inspections[0];
            let a = &s.items[0];
            assert_eq!(
                (a.score.as_str(), a.band.as_str(), a.result.as_str()),
                (score, band, "不合格"),
                "{rule}"
            );
            assert_eq!(a.reason, "单项否决", "{rule}");
            let got: Vec<Option<u32>> = s.items.iter().map(|i| i.rank).collect();
            assert_eq!(got, ranks, "{rule}");
            // Always 不合格, never a full mark, whatever is shown.
            assert_eq!((s.passed, s.failed, s.full_mark_count), (2, 1, 0), "{rule}");
            assert_eq!(s.failed_units, ["A"], "{rule}");
            let in_top_band = usize::from(band == "90分及以上");
            assert_eq!(s.bands[0].count as usize, 1 + in_top_band, "{rule}");
        }
        // The default is the national rule: no score, no rank.
        let (r, _) = scored("", THREE);
        assert_eq!(
            (
                r.inspections[0].items[0].score.as_str(),
                r.inspections[0].items[0].rank
            ),
            ("", None)
        );
    }

    #[test]
    fn a_wrong_veto_score_names_the_choices() {
        let yaml = "document: {issuer: 某区人民政府办公室, date: 2024-07-01}\nquarter: {year: 2024, number: 2}\ninspections:\n  - id: s\n    kind: 网站\n    scheme: {veto: {score: 零分}}\n";
        let d = crate::load::parse(yaml.as_bytes()).unwrap_err();
        assert!(
            d[0].message
                .contains("none（不显示得分）、computed（显示计算得分）或一个分值"),
            "{d:?}"
        );
    }

    #[test]
    fn tiers_from_rules_and_given_tiers_checked() {
        let rules = "      tiers:\n        - {label: 好, band: 90分及以上, has_problems: false}\n        - {label: 较好, result: 合格}\n        - {label: 差}\n";
        let items = "      - {unit: A, problems: [错字]}\n      - {unit: B, tier: 较好}\n      - {unit: C, d: {扣分: 50}}\n      - {unit: D, d: {扣分: 20}}\n";
        let (r, report) = scored(rules, items);
        let tiers: Vec<&str> = r.inspections[0]
            .items
            .iter()
            .map(|i| i.tier.as_str())
            .collect();
        assert_eq!(tiers, ["较好", "好", "差", "较好"]);
        let groups: Vec<(&str, u32)> = r.inspections[0]
            .tiers
            .iter()
            .map(|g| (g.label.as_str(), g.count))
            .collect();
        assert_eq!(groups, [("好", 1), ("较好", 2), ("差", 1)]);
        let l = lines(&report);
        assert_eq!(l.len(), 1, "{report}");
        assert!(
            l[0].contains("“B”写明等次“较好”，按 scheme.tiers 的规则应为“好”（应写作 tier: 好"),
            "{report}"
        );
        let (_, report) = scored(
            "      tiers: [{label: 好, band: 90分以上}]\n",
            "      - {unit: A}\n",
        );
        assert!(
            report
                .to_string()
                .contains("没有名为“90分以上”的分数段，是否应为“90分及以上”？"),
            "{report}"
        );
    }

    #[test]
    fn stated_figures_by_any_path() {
        let stated = "    stated: {bands.0.count: 2, bands.1.share: 25%, coverage: 100%, by_platform.微信: 3, pass_rate: 75%, scheme.pass_mark: 60, failed: 2, bands.0.cnt: 2}\n";
        let items = "      - {unit: A, platform: 微信, d: {扣分: 5}}\n      - {unit: B, platform: 微信}\n      - {unit: C, platform: 微信, d: {扣分: 45}}\n      - {unit: D, platform: 抖音, d: {扣分: 20}}\n";
        let (_, report) = scored(stated, items);
        let l = lines(&report);
        assert_eq!(l.len(), 2, "{report}");
        assert!(
            l[0].contains("矛盾: inspections[0].stated.failed: 不合格数：文中写 2，按数据计算为 1（文件中使用计算值；正文中写作 {{s.failed}}）"),
            "{report}"
        );
        assert!(
            l[1].contains("错误: inspections[0].stated.bands.0.cnt: 没有路径为“bands.0.cnt”的计算结果，是否应为“bands.0.count”？"),
            "{report}"
        );
    }
}
