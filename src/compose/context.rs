//! The template context: document, period, every inspection under its id (its results, the
//! scheme's figures, and with a previous file its `previous` results and `change` texts).
//! templates/README.md lists every name.

use serde_json::{json, Map, Value};

use super::helpers::chinese_numeral;
use crate::date::{Checked, Date};
use crate::model::Quarter;
use crate::period::{self, Kind};
use crate::previous;
use crate::score::Results;

fn date_of(d: &Option<serde_saphyr::Spanned<Checked<Date>>>) -> Option<Date> {
    d.as_ref().and_then(|d| d.value.get())
}

/// `period`: what every kind of period has, plus its own number (quarter `number`/`cn`,
/// `month`, `half`, round `round`/`cn`).
fn period_value(q: &Quarter) -> (Value, Value) {
    let p = &q.quarter;
    let (from, to) = (date_of(&p.from), date_of(&p.to));
    let zh = |d: Option<Date>| d.map(|d| d.zh()).unwrap_or_default();
    let window = period::window_text(from, to);
    let kind = period::kind(p);
    let mut v = json!({
        "kind": kind.tag(),
        "year": p.year.value,
        "name": period::name(p),
        "label": period::label(p),
        "before": period::before(p),
        "from": zh(from),
        "to": zh(to),
        "window": window,
    });
    // The quarter's own names, kept for the templates written before other periods existed.
    let mut quarter = json!({
        "year": p.year.value,
        "from": zh(from),
        "to": zh(to),
        "period": window,
    });
    match &kind {
        Kind::Quarter(n) => {
            for obj in [&mut v, &mut quarter] {
                obj["number"] = json!(n);
                obj["cn"] = json!(chinese_numeral(u64::from(*n)));
            }
        }
        Kind::Month(m) => v["month"] = json!(m),
        Kind::Half(h) => v["half"] = json!(h),
        Kind::Round(n, unit) => {
            v["round"] = json!(n);
            v["cn"] = json!(chinese_numeral(u64::from(*n)));
            v["unit"] = json!(unit);
        }
        Kind::Year | Kind::Window => {}
    }
    (v, quarter)
}

/// The template context.
pub fn context(q: &Quarter, results: &Results) -> Value {
    let date = q.document.date.value.get();
    let (period, quarter) = period_value(q);
    let mut ctx = Map::new();
    ctx.insert(
        "document".into(),
        json!({
            "issuer": q.document.issuer,
            "number": q.document.number.as_ref().map(|n| n.value.clone()).unwrap_or_default(),
            "date": date.map(|d| d.zh()).unwrap_or_default(),
            "recipients": q.document.recipients.clone().unwrap_or_default(),
            "basis": q.document.basis,
        }),
    );
    ctx.insert("period".into(), period);
    ctx.insert("quarter".into(), quarter);
    if let Some(c) = &q.correction {
        ctx.insert(
            "correction".into(),
            json!({
                "date": date_of(&c.date).map(|d| d.zh()).unwrap_or_default(),
                "reason": c.reason.clone().unwrap_or_default(),
            }),
        );
    }
    let before = results.previous.as_deref();
    if let Some(p) = before {
        ctx.insert(
            "previous".into(),
            json!({"file": p.file, "period": p.period_name, "issuer": p.issuer}),
        );
    }
    let mut list = Vec::with_capacity(results.inspections.len());
    for r in &results.inspections {
        let mut v = serde_json::to_value(r).unwrap_or_default();
        if let Some(then) = before.and_then(|p| p.results.inspections.iter().find(|x| x.id == r.id))
        {
            v["previous"] = serde_json::to_value(then).unwrap_or_default();
            v["change"] = previous::changes(r, then);
        }
        list.push(v.clone());
        ctx.insert(r.id.clone(), v);
    }
    ctx.insert("inspections".into(), Value::Array(list));
    Value::Object(ctx)
}
