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

/// The template context, with every item.
pub fn context(q: &Quarter, results: &Results) -> Value {
    build(q, results, true)
}

/// Whether a template text names the items: `items` or `review` in one of its `{{…}}`. No
/// template can reach an inspection's items without writing one of the two.
pub fn names_items(text: &str) -> bool {
    expressions(text).any(|e| e.contains("items") || e.contains("review"))
}

/// The expressions of a template text: what stands between each `{{` and its `}}`.
pub fn expressions(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let start = rest.find("{{")?;
        let after = &rest[start + 2..];
        let end = after.find("}}").unwrap_or(after.len());
        rest = &after[end..];
        Some(&after[..end])
    })
}

/// The area an issuer's inspection covers, from its level: 全区 for 某某区人民政府办公室 and
/// 重庆市大足区人民政府办公室, 全县 for 中共某县县委网信办, 全市, 全省, 全州, 全旗, 全盟; empty when
/// the name shows no level (the title then names none). The level is the last of 省市区县州旗盟
/// that starts the name or is followed by what follows a level in an issuer's name (人民政府,
/// 政府, 委, 政务, 大数据 …), so that 市场监管局 is not a city.
pub fn area(issuer: &str) -> String {
    const AFTER: [&str; 9] = [
        "人民政府",
        "政府",
        "委",
        "政务",
        "大数据",
        "网信",
        "信息",
        "电子政务",
        "办公",
    ];
    issuer
        .char_indices()
        .rev()
        .find(|&(b, c)| {
            let rest = &issuer[b + c.len_utf8()..];
            "省市区县州旗盟".contains(c) && (b == 0 || AFTER.iter().any(|a| rest.starts_with(a)))
        })
        .map(|(_, c)| format!("全{c}"))
        .unwrap_or_default()
}

/// What the circular inspected, as its title names it, from the inspections' kinds: 政府网站和
/// 政务新媒体, 政府网站 or 政务新媒体 (a kind naming 新媒体, or 网站 or 专栏); otherwise the kinds
/// themselves (镇村信息公开平台和部门信息公开平台).
pub fn subject<'a>(kinds: impl Iterator<Item = &'a str>) -> String {
    let kinds: Vec<&str> = kinds.collect();
    let media = kinds.iter().any(|k| k.contains("新媒体"));
    let sites = kinds
        .iter()
        .any(|k| !k.contains("新媒体") && (k.contains("网站") || k.contains("专栏")));
    match (sites, media) {
        (true, true) => "政府网站和政务新媒体".into(),
        (true, false) => "政府网站".into(),
        (false, true) => "政务新媒体".into(),
        (false, false) => {
            let mut distinct: Vec<&str> = Vec::new();
            for k in kinds {
                if !distinct.contains(&k) {
                    distinct.push(k);
                }
            }
            match distinct.split_last() {
                Some((last, [])) => last.to_string(),
                Some((last, rest)) => format!("{}和{last}", rest.join("、")),
                None => String::new(),
            }
        }
    }
}

/// The template context; without `items`, the inspections' `items` and `review` are left out
/// (see [`names_items`]).
pub fn build(q: &Quarter, results: &Results, items: bool) -> Value {
    let date = q.document.date.value.get();
    let (period, quarter) = period_value(q);
    let mut ctx = Map::new();
    ctx.insert(
        "document".into(),
        json!({
            "issuer": q.document.issuer.value,
            "number": q.document.number.as_ref().map(|n| n.value.clone()).unwrap_or_default(),
            "date": date.map(|d| d.zh()).unwrap_or_default(),
            "recipients": q.document.recipients.as_ref()
                .map(|r| crate::validate::recipients_text(&r.value))
                .unwrap_or_default(),
            "basis": q.document.basis.as_ref().map(|b| b.value.clone()).unwrap_or_default(),
            "area": q.document.area.as_ref().map_or_else(|| area(&q.document.issuer.value), |a| a.value.clone()),
            "subject": subject(q.inspections.iter().map(|i| i.kind.as_str())),
            "attachments": q.attachments.len(),
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
    if let Some(d) = &q.data {
        ctx.insert("data".into(), d.clone());
    }
    let before = results.previous.as_deref();
    if let Some(p) = before {
        ctx.insert(
            "previous".into(),
            json!({"file": p.file, "period": p.period_name, "issuer": p.issuer}),
        );
    }
    let mut list = Vec::with_capacity(results.inspections.len());
    let json = |r: &crate::score::InspectionResult| {
        let v = if items {
            serde_json::to_value(r)
        } else {
            crate::score::without_items(|| serde_json::to_value(r))
        };
        v.unwrap_or_default()
    };
    for r in &results.inspections {
        let mut v = json(r);
        if let Some(then) = before.and_then(|p| p.results.inspections.iter().find(|x| x.id == r.id))
        {
            v["previous"] = json(then);
            v["change"] = previous::changes(r, then);
        }
        // The list has every figure but not the items (a copy of every item for nothing):
        // templates take those by id.
        let figures: Map<String, Value> = v
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(k, _)| !matches!(k.as_str(), "items" | "review" | "previous"))
            .map(|(k, x)| (k.clone(), x.clone()))
            .collect();
        list.push(Value::Object(figures));
        ctx.insert(r.id.clone(), v);
    }
    ctx.insert("inspections".into(), Value::Array(list));
    Value::Object(ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_area_follows_the_issuers_level() {
        for (issuer, want) in [
            ("某某区人民政府办公室", "全区"),
            ("重庆市大足区人民政府办公室", "全区"),
            ("石门县人民政府办公室", "全县"),
            ("中共某县县委网信办", "全县"),
            ("青禾市人民政府办公室", "全市"),
            ("某某省人民政府办公厅", "全省"),
            ("区政务公开领导小组办公室", "全区"),
            ("溪口区政务公开工作领导小组办公室", "全区"),
            ("某某自治州人民政府办公室", "全州"),
            ("青禾市市场监督管理局", ""),
            ("某某市大数据发展局", "全市"),
            ("政务服务管理办公室", ""),
        ] {
            assert_eq!(area(issuer), want, "{issuer}");
        }
    }

    #[test]
    fn the_subject_follows_the_kinds_inspected() {
        let s = |kinds: &[&str]| subject(kinds.iter().copied());
        assert_eq!(
            s(&["部门、镇街专栏", "政府系统政务新媒体"]),
            "政府网站和政务新媒体"
        );
        assert_eq!(s(&["政府网站"]), "政府网站");
        assert_eq!(s(&["政务新媒体"]), "政务新媒体");
        assert_eq!(
            s(&["政务新媒体", "镇村信息公开平台", "部门信息公开平台"]),
            "政务新媒体"
        );
        assert_eq!(
            s(&["镇村信息公开平台", "部门信息公开平台"]),
            "镇村信息公开平台和部门信息公开平台"
        );
    }

    #[test]
    fn a_template_names_the_items_only_inside_braces() {
        assert!(names_items(
            "共{{len (where sites.items result=\"不合格\")}}个"
        ));
        assert!(names_items("{{#each sites.review}}{{unit}}{{/each}}"));
        assert!(names_items(
            "{{#with sites}}{{#each items}}{{/each}}{{/with}}"
        ));
        assert!(!names_items("items: 不在模板里 {{sites.count}}"));
        assert!(!names_items(
            "{{sites.bands.0.members}}{{join sites.failed_units}}"
        ));
    }

    #[test]
    fn items_are_in_the_context_when_asked_for() {
        let yaml = "document: {issuer: 某区人民政府办公室, date: 2024-07-01}\nquarter: {year: 2024, number: 2}\ninspections:\n  - {id: s, kind: 网站, items: [{unit: 甲}]}\n";
        let (q, _) = crate::load::parse(yaml.as_bytes()).unwrap();
        let mut report = crate::diag::Report::new(std::path::Path::new("t.yaml"));
        let v = crate::validate::check(&q, &mut report);
        let r = crate::score::compute(&q, &v, &mut report);
        assert_eq!(build(&q, &r, true)["s"]["items"][0]["unit"], "甲");
        let light = build(&q, &r, false);
        assert!(light["s"].get("items").is_none() && light["s"]["count"] == 1);
        // Serialising elsewhere is not affected.
        assert!(serde_json::to_value(&r.inspections[0]).unwrap()["items"].is_array());
    }
}
