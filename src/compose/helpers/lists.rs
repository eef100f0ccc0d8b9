//! Lists: `join` (separators within and between groups, 等N个, the group's name dropped after
//! its first member, a block to format each element as 名称（平台）), `where` (filter items by
//! their fields), `featured` (the examples the office chose, from any list), `first`, `top` and
//! `bottom` (the first or last places of a ranking, ties included), `pluck` and `concat`.

use handlebars::{
    BlockContext, Context, Handlebars, Helper, HelperDef, HelperResult, JsonValue, Output,
    RenderContext, RenderError, Renderable, StringOutput,
};
use rust_decimal::Decimal;

use super::{as_u64, invalid, param, text_of};
use crate::load::did_you_mean;

/// Join with `sep`; past `limit` names, "A、B、C等N{etc}". With `etc` and no shortening only
/// the names are printed (prose does not say 甲、乙2个单位).
pub fn join_names(names: &[String], limit: Option<usize>, etc: Option<&str>, sep: &str) -> String {
    let groups = [names.to_vec()];
    join_groups(&groups, limit, etc, sep, "")
}

/// Groups joined with `group_sep`, names within a group with `sep`; `limit` counts names
/// across groups; 等N{etc} counts them all.
fn join_groups(
    groups: &[Vec<String>],
    limit: Option<usize>,
    etc: Option<&str>,
    sep: &str,
    group_sep: &str,
) -> String {
    let total: usize = groups.iter().map(Vec::len).sum();
    let mut left = limit.unwrap_or(total);
    let mut parts = Vec::new();
    for g in groups {
        if left == 0 {
            break;
        }
        let take = left.min(g.len());
        left -= take;
        parts.push(g[..take].join(sep));
    }
    let mut s = parts.join(group_sep);
    if let Some(etc) = etc {
        if limit.is_some_and(|l| l < total) {
            s.push_str(&format!("等{total}{etc}"));
        }
    }
    s
}

fn list<'a>(h: &'a Helper, helper: &str) -> Result<&'a Vec<JsonValue>, RenderError> {
    match param(h, 0)? {
        JsonValue::Array(a) => Ok(a),
        other => Err(invalid(helper, format!("第一个参数应为列表，却是 {other}"))),
    }
}

/// An object's field, or an error naming the fields it has.
fn field<'a>(v: &'a JsonValue, name: &str, helper: &str) -> Result<&'a JsonValue, RenderError> {
    let JsonValue::Object(o) = v else {
        return Err(invalid(
            helper,
            format!("列表的元素不是对象，没有字段“{name}”"),
        ));
    };
    o.get(name).ok_or_else(|| {
        let keys: Vec<&str> = o.keys().map(String::as_str).collect();
        let hint = did_you_mean(name, &keys)
            .map(|s| format!("，是否应为“{s}”？"))
            .unwrap_or_default();
        invalid(
            helper,
            format!(
                "列表的元素没有字段“{name}”{hint}（有：{}）",
                keys.join("、")
            ),
        )
    })
}

/// `{{join list}}`, `{{join items field="unit" sep="、" limit=3 etc="个单位"}}`,
/// `{{join items by="parent" group_sep="，" drop_prefix=true}}`, `unique=true`,
/// `{{#join items}}{{name}}（{{platform}}）{{/join}}`.
pub struct Join;

impl HelperDef for Join {
    fn call<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        r: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        rc: &mut RenderContext<'reg, 'rc>,
        out: &mut dyn Output,
    ) -> HelperResult {
        let items = list(h, "join")?;
        let hash = |k: &str| h.hash_get(k).map(|v| text_of(v.value()));
        let field_name = hash("field").unwrap_or_else(|| "label".into());
        let mut names = Vec::with_capacity(items.len());
        for v in items {
            let name = match (h.template(), v) {
                (Some(t), _) => {
                    let mut block = BlockContext::new();
                    block.set_base_value(v.clone());
                    rc.push_block(block);
                    let mut buf = StringOutput::new();
                    let rendered = t.render(r, ctx, rc, &mut buf);
                    rc.pop_block();
                    rendered?;
                    buf.into_string()
                        .map_err(|e| invalid("join", e.to_string()))?
                }
                (None, JsonValue::Object(_)) => text_of(field(v, &field_name, "join")?),
                (None, other) => text_of(other),
            };
            names.push(name);
        }
        // `unique=true`: a name given twice (a unit with a site and an account) once.
        let unique = h
            .hash_get("unique")
            .is_some_and(|v| v.value().as_bool() == Some(true));
        let keep: Vec<bool> = names
            .iter()
            .enumerate()
            .map(|(i, n)| !unique || !names[..i].contains(n))
            .collect();
        let (items, names): (Vec<&JsonValue>, Vec<String>) = items
            .iter()
            .zip(names)
            .zip(keep)
            .filter(|(_, k)| *k)
            .map(|(pair, _)| pair)
            .unzip();
        // Groups by a field, in order of first appearance.
        let groups: Vec<Vec<String>> = match hash("by") {
            None => vec![names],
            Some(by) => {
                let mut groups: Vec<(String, Vec<String>)> = Vec::new();
                for (v, name) in items.iter().zip(names) {
                    let key = text_of(field(v, &by, "join")?);
                    match groups.iter_mut().find(|g| g.0 == key) {
                        Some(g) => g.1.push(name),
                        None => groups.push((key, vec![name])),
                    }
                }
                let drop = h
                    .hash_get("drop_prefix")
                    .is_some_and(|v| v.value().as_bool() == Some(true));
                groups
                    .into_iter()
                    .map(|(key, mut members)| {
                        if drop && !key.is_empty() {
                            for m in members.iter_mut().skip(1) {
                                if let Some(rest) = m.strip_prefix(key.as_str()) {
                                    if !rest.is_empty() {
                                        *m = rest.to_string();
                                    }
                                }
                            }
                        }
                        members
                    })
                    .collect()
            }
        };
        let limit = h
            .hash_get("limit")
            .map(|v| as_u64(v.value(), "join"))
            .transpose()?
            .map(|l| l as usize);
        let etc = hash("etc");
        let sep = hash("sep").unwrap_or_else(|| "、".into());
        let group_sep = hash("group_sep").unwrap_or_else(|| "，".into());
        out.write(&join_groups(
            &groups,
            limit,
            etc.as_deref(),
            &sep,
            &group_sep,
        ))?;
        Ok(())
    }
}

/// Whether an element meets one `where` condition.
fn meets(v: &JsonValue, key: &str, want: &JsonValue) -> Result<bool, RenderError> {
    let score = || -> Option<Decimal> { text_of(v.get("score")?).parse().ok() };
    let bound = || -> Result<Decimal, RenderError> {
        text_of(want)
            .parse()
            .map_err(|_| invalid("where", format!("{key} 应为数值，却是 {want}")))
    };
    Ok(match key {
        "has_problems" => {
            let has = field(v, "problems", "where")?
                .as_array()
                .is_some_and(|a| !a.is_empty());
            has == (want.as_bool() == Some(true) || text_of(want) == "true")
        }
        "problem" => field(v, "problems", "where")?
            .as_array()
            .is_some_and(|a| a.iter().any(|p| text_of(p) == text_of(want))),
        "min" => {
            let b = bound()?;
            score().is_some_and(|s| s >= b)
        }
        "below" => {
            let b = bound()?;
            score().is_some_and(|s| s < b)
        }
        _ => text_of(field(v, key, "where")?) == text_of(want),
    })
}

/// `(where items result="不合格" category="乡镇街道" has_problems=true problem="…" min=90 below=100)`.
pub fn filter(h: &Helper) -> Result<JsonValue, RenderError> {
    let items = list(h, "where")?;
    let mut out = Vec::new();
    for v in items {
        let mut keep = true;
        for (k, want) in h.hash() {
            if !meets(v, k, want.value())? {
                keep = false;
                break;
            }
        }
        if keep {
            out.push(v.clone());
        }
    }
    Ok(JsonValue::Array(out))
}

/// `(featured list)`: the elements marked `featured: true`, or the whole list when none is.
pub fn featured(h: &Helper) -> Result<JsonValue, RenderError> {
    let items = list(h, "featured")?;
    let chosen: Vec<JsonValue> = items
        .iter()
        .filter(|v| v.get("featured").and_then(JsonValue::as_bool) == Some(true))
        .cloned()
        .collect();
    Ok(JsonValue::Array(if chosen.is_empty() {
        items.clone()
    } else {
        chosen
    }))
}

/// `(first list 3)`: the first N elements.
pub fn first(h: &Helper) -> Result<JsonValue, RenderError> {
    let items = list(h, "first")?;
    let n = as_u64(param(h, 1)?, "first")? as usize;
    Ok(JsonValue::Array(items.iter().take(n).cloned().collect()))
}

/// `(top items 3)`: the items ranked in the first N places, in rank order, ties included: 排名前三
/// of ranks 1, 2, 3, 3 is four items. Items without a rank are not in a ranking.
pub fn top(h: &Helper) -> Result<JsonValue, RenderError> {
    places(h, "top", Places::First)
}

/// `(bottom items 3)`: the items ranked in the last N places, in rank order, ties included.
pub fn bottom(h: &Helper) -> Result<JsonValue, RenderError> {
    places(h, "bottom", Places::Last)
}

enum Places {
    First,
    Last,
}

fn places(h: &Helper, helper: &str, which: Places) -> Result<JsonValue, RenderError> {
    let items = list(h, helper)?;
    let n = as_u64(param(h, 1)?, helper)? as usize;
    let rank = |v: &JsonValue| match v.get("rank")? {
        JsonValue::Number(r) => r.as_u64(),
        JsonValue::String(r) => r.trim().parse().ok(),
        _ => None,
    };
    let mut ranked: Vec<(u64, &JsonValue)> =
        items.iter().filter_map(|v| Some((rank(v)?, v))).collect();
    if ranked.is_empty() && !items.is_empty() {
        return Err(invalid(
            helper,
            "列表中没有排名（rank）：排名由计分方案按得分给出（scheme 的 rank），或逐项写 rank:",
        ));
    }
    ranked.sort_by_key(|&(r, _)| r);
    let chosen: Vec<JsonValue> = match (n, which) {
        _ if n == 0 || ranked.is_empty() => Vec::new(),
        (_, Places::First) => {
            let cut = ranked[n.min(ranked.len()) - 1].0;
            ranked
                .iter()
                .filter(|&&(r, _)| r <= cut)
                .map(|&(_, v)| v.clone())
                .collect()
        }
        (_, Places::Last) => {
            let cut = ranked[ranked.len().saturating_sub(n)].0;
            ranked
                .iter()
                .filter(|&&(r, _)| r >= cut)
                .map(|&(_, v)| v.clone())
                .collect()
        }
    };
    Ok(JsonValue::Array(chosen))
}

/// `(pluck items "unit")`: one field of every element.
pub fn pluck(h: &Helper) -> Result<JsonValue, RenderError> {
    let items = list(h, "pluck")?;
    let name = text_of(param(h, 1)?);
    items
        .iter()
        .map(|v| field(v, &name, "pluck").cloned())
        .collect::<Result<Vec<_>, _>>()
        .map(JsonValue::Array)
}

/// `(concat a b …)`: the lists one after the other.
pub fn concat(h: &Helper) -> Result<JsonValue, RenderError> {
    let mut out = Vec::new();
    for p in h.params() {
        match p.value() {
            JsonValue::Array(a) => out.extend(a.iter().cloned()),
            other => return Err(invalid("concat", format!("参数应为列表，却是 {other}"))),
        }
    }
    Ok(JsonValue::Array(out))
}

#[cfg(test)]
mod tests {
    use super::super::tests::render;
    use super::*;

    #[test]
    fn joining() {
        let names: Vec<String> = ["甲", "乙", "丙", "丁"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            join_names(&names, Some(2), Some("个单位"), "、"),
            "甲、乙等4个单位"
        );
        assert_eq!(
            join_names(&names, None, Some("个单位"), "、"),
            "甲、乙、丙、丁"
        );
        assert_eq!(join_names(&names, Some(9), None, "，"), "甲，乙，丙，丁");
    }

    fn items() -> serde_json::Value {
        serde_json::json!({"items": [
            {"label": "舟白街道", "unit": "舟白街道", "category": "街道", "parent": "", "platform": "微信", "problems": ["a"], "score": "90", "featured": false},
            {"label": "正阳街道", "unit": "正阳街道", "category": "街道", "parent": "", "platform": "微博", "problems": [], "score": "100", "featured": true},
            {"label": "区发展改革委", "unit": "区发展改革委", "category": "部门", "parent": "", "platform": "微信", "problems": ["a", "b"], "score": "80", "featured": false},
            {"label": "区民政局", "unit": "区民政局", "category": "部门", "parent": "", "platform": "抖音", "problems": [], "score": "59", "featured": true},
        ], "villages": [
            {"label": "万店镇兴隆村村民委员会", "parent": "万店镇"},
            {"label": "万店镇泉水寺村村民委员会", "parent": "万店镇"},
            {"label": "何店镇乔麦河村村民委员会", "parent": "何店镇"},
            {"label": "何店镇金花岭村村民委员会", "parent": "何店镇"},
        ]})
    }

    #[test]
    fn joins_with_groups_blocks_and_shortening() {
        let ok = |t: &str| render(t, items()).unwrap();
        assert_eq!(
            ok("{{join items by=\"category\"}}"),
            "舟白街道、正阳街道，区发展改革委、区民政局"
        );
        assert_eq!(
            ok("{{join villages by=\"parent\" drop_prefix=true}}"),
            "万店镇兴隆村村民委员会、泉水寺村村民委员会，何店镇乔麦河村村民委员会、金花岭村村民委员会"
        );
        assert_eq!(
            ok("{{#join items}}{{label}}（{{platform}}）{{/join}}"),
            "舟白街道（微信）、正阳街道（微博）、区发展改革委（微信）、区民政局（抖音）"
        );
        assert_eq!(
            ok("{{join items by=\"category\" limit=3 etc=\"个单位\"}}"),
            "舟白街道、正阳街道，区发展改革委等4个单位"
        );
        assert_eq!(
            ok("{{join items field=\"platform\" sep=\"/\"}}"),
            "微信/微博/微信/抖音"
        );
        assert!(render("{{join items field=\"plat\"}}", items())
            .unwrap_err()
            .contains("没有字段“plat”"));
    }

    #[test]
    fn filters_and_featured() {
        let ok = |t: &str| render(t, items()).unwrap();
        assert_eq!(
            ok("{{join (where items category=\"部门\")}}"),
            "区发展改革委、区民政局"
        );
        assert_eq!(
            ok("{{join (where items has_problems=true)}}"),
            "舟白街道、区发展改革委"
        );
        assert_eq!(ok("{{join (where items problem=\"b\")}}"), "区发展改革委");
        assert_eq!(
            ok("{{join (where items min=80 below=100)}}"),
            "舟白街道、区发展改革委"
        );
        assert_eq!(ok("{{join (featured items)}}"), "正阳街道、区民政局");
        assert_eq!(
            ok("{{join (featured (where items category=\"部门\" has_problems=true))}}"),
            "区发展改革委"
        );
        assert_eq!(ok("{{len (where items platform=\"微信\")}}"), "2");
        assert_eq!(ok("{{join (first items 2)}}"), "舟白街道、正阳街道");
        assert_eq!(
            ok("{{join (pluck (concat items villages) \"parent\") sep=\"|\"}}"),
            "||||万店镇|万店镇|何店镇|何店镇"
        );
        let err = render("{{join (where items categroy=\"部门\")}}", items()).unwrap_err();
        assert!(err.contains("是否应为“category”"), "{err}");
    }

    #[test]
    fn first_and_last_places_keep_ties() {
        let ranking = serde_json::json!({"items": [
            {"label": "丙", "rank": "3"}, {"label": "甲", "rank": "1"},
            {"label": "丁", "rank": "3"}, {"label": "戊", "rank": "5"},
            {"label": "乙", "rank": "2"}, {"label": "己", "rank": ""},
        ]});
        let ok = |t: &str| render(t, ranking.clone()).unwrap();
        assert_eq!(ok("{{join (top items 3)}}"), "甲、乙、丙、丁");
        assert_eq!(ok("{{join (top items 2)}}"), "甲、乙");
        assert_eq!(ok("{{len (top items 9)}}"), "5");
        assert_eq!(ok("{{join (bottom items 1)}}"), "戊");
        assert_eq!(ok("{{join (bottom items 2)}}"), "丙、丁、戊");
        assert_eq!(ok("{{len (bottom items 0)}}"), "0");
        assert_eq!(ok("{{len (top (first items 0) 3)}}"), "0");
        assert_eq!(ok("{{len (bottom (first items 0) 3)}}"), "0");
        let err = render("{{join (top items 3)}}", items()).unwrap_err();
        assert!(err.contains("没有排名"), "{err}");
    }
}
