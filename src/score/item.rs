//! One item: deductions → score, 合格/不合格 with its reason, the veto's effect on the score
//! shown and the rank, the score band and the tier.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::formula::Expr;
use super::{round, show, ItemResult, Pool, Shared};
use crate::diag::{pos, Diagnostic, Report};
use crate::model::{
    Inspection, Item, Points, Rounding, Scalar, Scheme, TierRule, VetoRank, VetoScore,
};
use crate::validate::inspection::pick_formula;

/// The formula's score of an item, `None` when it has none (unscored inspection, or an input
/// error `validate` reported). Arithmetic that overflows is reported here.
fn formula_score(
    scheme: &Scheme,
    item: &Item,
    exprs: &[Option<Expr>],
    path: &str,
    report: &mut Report,
) -> Option<Decimal> {
    let mut vars: BTreeMap<&str, Decimal> = BTreeMap::new();
    let mut not_assessed: Vec<&str> = Vec::new();
    let mut bonus_total = Decimal::ZERO;
    for (name, value) in &item.deductions {
        let Some(ind) = scheme.indicators.iter().find(|i| &i.name == name) else {
            continue;
        };
        match value.value {
            Points::NotAssessed => not_assessed.push(name),
            Points::Value(v) => {
                if ind.bonus {
                    bonus_total = bonus_total.checked_add(v)?;
                }
                vars.insert(name, v);
            }
        }
    }
    if let Some(cap) = scheme.bonus_cap {
        if cap.0 >= Decimal::ZERO && bonus_total > cap.0 {
            // Scale every bonus down proportionally so the formula sees the capped total.
            let factor = cap.0.checked_div(bonus_total)?;
            for ind in scheme.indicators.iter().filter(|i| i.bonus) {
                if let Some(v) = vars.get_mut(ind.name.as_str()) {
                    // factor < 1: the product is smaller than the bonus, it cannot overflow.
                    *v = v.checked_mul(factor).unwrap_or(*v);
                }
            }
        }
    }
    let k = pick_formula(&scheme.formulas, &not_assessed)?;
    let expr = exprs.get(k)?.as_ref()?;
    match expr.eval(&vars) {
        Ok(v) => Some(v),
        Err(e) => {
            report.push(Diagnostic::error(
                pos(&item.unit),
                path.to_string(),
                format!("按“{}”的公式计算时{e}", scheme.formulas[k].label),
            ));
            None
        }
    }
}

/// What makes an item fail, or `None` when it passes.
fn failure(item: &Item, scheme: Option<&Scheme>, score: Option<Decimal>) -> Option<String> {
    if item.veto {
        return Some("单项否决".into());
    }
    if let (Some(s), Some(v)) = (scheme, score) {
        return (v < s.pass_mark.0).then(|| format!("得分低于{}分", show(s.pass_mark.0)));
    }
    match item.result.as_ref().map(|r| r.value.trim()) {
        Some("合格") => None,
        Some(_) if !item.problems.is_empty() => Some("存在问题".into()),
        Some(_) => Some("检查结果为不合格".into()),
        None if !item.problems.is_empty() => Some("存在问题".into()),
        None => None,
    }
}

fn tier_matches(rule: &TierRule, r: &ItemResult) -> bool {
    rule.band.as_ref().is_none_or(|b| b.value == r.band)
        && rule
            .min
            .is_none_or(|m| r.score_value.is_some_and(|v| v >= m.0))
        && rule
            .below
            .is_none_or(|m| r.score_value.is_some_and(|v| v < m.0))
        && rule
            .result
            .as_ref()
            .is_none_or(|x| x.value.trim() == r.result)
        && rule.has_problems.is_none_or(|h| h != r.problems.is_empty())
        && rule.veto.is_none_or(|v| v == r.veto)
}

/// The rank key of an item: higher ranks first; vetoed items per the scheme's rule.
pub fn rank_key(r: &ItemResult, s: &Scheme) -> Option<(bool, Decimal)> {
    let score = r.score_value.or(r.computed_score)?;
    match (r.veto, s.veto.rank) {
        (false, _) | (true, VetoRank::ByScore) => Some((true, score)),
        (true, VetoRank::Last) => Some((false, score)),
        (true, VetoRank::None) => None,
    }
}

/// Score one item (rank is set later, over the whole inspection).
pub fn score(
    insp: &Inspection,
    item: &Item,
    seq: u32,
    exprs: &[Option<Expr>],
    path: &str,
    pool: &mut Pool,
    report: &mut Report,
) -> ItemResult {
    let scheme = insp.scheme.as_ref();
    let formulas = scheme.is_some_and(|s| !s.formulas.is_empty());
    let d: crate::model::small_map::SmallMap<Shared, Shared> = item
        .deductions
        .iter()
        .map(|(k, v)| {
            let shown = match v.value {
                Points::NotAssessed => pool.get("不考核"),
                Points::Value(x) => pool.get(&show(x)),
            };
            (pool.get(k), shown)
        })
        .collect();
    let computed = match scheme {
        Some(s) if formulas => formula_score(s, item, exprs, path, report),
        _ => match item.score.as_ref().map(|s| &s.value) {
            Some(Scalar::Number(n)) => Some(*n),
            _ => None,
        },
    };
    let decimals = scheme.map_or(1, |s| s.score_decimals.min(super::MAX_DECIMALS));
    let computed = computed.map(|v| round(v, decimals, Rounding::HalfUp).normalize());
    let shown = match (item.veto, scheme.map(|s| s.veto.score)) {
        (true, Some(VetoScore::None)) => None,
        (true, Some(VetoScore::Fixed(v))) => Some(v.normalize()),
        _ => computed,
    };
    let reason = failure(item, scheme, shown.or(computed)).unwrap_or_default();
    let band = scheme
        .and_then(|s| {
            let v = shown?;
            s.bands
                .iter()
                .find(|b| b.min.is_none_or(|m| v >= m.0) && b.below.is_none_or(|m| v < m.0))
        })
        .map(|b| pool.get(&b.label.value))
        .unwrap_or_default();
    let unit = pool.get(&item.unit.value);
    // A name is the item's own; the label and the short name share it or the unit.
    let name: Shared = item
        .name
        .as_ref()
        .map(|s| s.value.as_str().into())
        .unwrap_or_default();
    let mut r = ItemResult {
        seq,
        label: if name.is_empty() {
            unit.clone()
        } else {
            name.clone()
        },
        name,
        short: match &item.short {
            Some(s) => pool.get(s),
            None => unit.clone(),
        },
        unit,
        platform: pool.given(item.platform.as_deref()),
        filing: pool.given(item.filing.as_deref()),
        code: pool.given(item.code.as_deref()),
        url: pool.given(item.url.as_deref()),
        category: pool.given(item.category.as_deref()),
        level: pool.given(item.level.as_deref()),
        parent: pool.given(item.parent.as_deref()),
        veto: item.veto,
        d,
        score: shown.map(|v| pool.get(&show(v))).unwrap_or_default(),
        score_value: shown,
        computed_score: computed,
        standing: None,
        passed: reason.is_empty(),
        result: pool.get(if reason.is_empty() {
            "合格"
        } else {
            "不合格"
        }),
        reason: pool.get(&reason),
        rank: None,
        band,
        tier: Shared::default(),
        problems: item.problems.iter().map(|p| pool.get(p)).collect(),
        remark: pool.given(item.remark.as_deref()),
        featured: item.featured,
        review: Shared::default(),
        open_problems: Vec::new(),
    };
    r.tier = match scheme.map(|s| &s.tiers[..]) {
        Some(rules) if !rules.is_empty() => rules
            .iter()
            .find(|rule| tier_matches(rule, &r))
            .map(|rule| pool.get(&rule.label))
            .unwrap_or_default(),
        _ => item
            .tier
            .as_ref()
            .map(|t| pool.get(&t.value))
            .unwrap_or_default(),
    };
    r
}
