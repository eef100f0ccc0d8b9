//! compose::table: a table spec → an IR table. The items of the `from` inspections are kept by
//! `where`, ordered by `sort` and grouped by `group_by` into a tree, then emitted one row per
//! item (or, in a table of groups, one per group of the last level), each group's cell spanning
//! its rows. Literal rows come first, the total row last; every cell written in the YAML is a
//! template. Linear in the rows: each level partitions its parent's rows once, by hash.

use std::borrow::Cow;
use std::collections::HashMap;

use serde_json::{json, Map, Value};
use serde_saphyr::Spanned;

use super::Renderer;
use crate::diag::{pos, Diagnostic, Pos};
use crate::fields::{Best, FieldRef, Row, Values};
use crate::ir::{Align, Cell, Column, Table};
use crate::load::did_you_mean;
use crate::model::tables::{Align as SpecAlign, Blank, Condition};
use crate::model::{Quarter, RateFormat, TableSpec};
use crate::score::{percent, InspectionResult, Results};
use crate::validate::tables::{plan, Content, Filter, Plan};

/// One group of the tree.
struct Group<'a> {
    level: usize,
    label: Cow<'a, str>,
    /// Indices into the table's rows, in table order.
    rows: Vec<usize>,
    parent: Option<usize>,
    /// Number within its parent (from 1).
    seq: u32,
    /// Output rows it covers, and the first of them.
    span: u32,
    first: u32,
}

/// One output row: its group at each level (shorter for an empty group above the last level)
/// and its item, if rows are items.
struct OutRow {
    path: Vec<usize>,
    item: Option<usize>,
}

/// Build one table; problems go to the renderer's report.
pub(super) fn build(
    spec: &TableSpec,
    path: &str,
    q: &Quarter,
    results: &Results,
    r: &mut Renderer,
) -> Table {
    // Names were checked by validate::tables; here unresolved ones are just absent.
    let plan = plan(spec, &q.inspections, path, &mut Vec::new());
    let rate = plan
        .sources
        .first()
        .and_then(|s| q.inspections[s.inspection].scheme.as_ref())
        .map(|s| s.rate)
        .unwrap_or_default();
    let rows: Vec<Row> = plan
        .sources
        .iter()
        .flat_map(|s| {
            let inspection = &results.inspections[s.inspection];
            let items = if s.review {
                &inspection.review
            } else {
                &inspection.items
            };
            items.iter().map(move |item| Row { inspection, item })
        })
        .collect();

    let sources: Vec<&InspectionResult> = plan
        .sources
        .iter()
        .map(|s| &results.inspections[s.inspection])
        .collect();
    let view = View {
        plan: &plan,
        rows: &rows,
        sources,
        path,
    };
    let warned = check_filter_values(&view, r);
    let mut kept: Vec<usize> = (0..rows.len())
        .filter(|&k| plan.filters.iter().all(|f| matches(f, rows[k])))
        .collect();
    if !plan.filters.is_empty() && kept.is_empty() && !warned {
        let first = spec.filter.as_ref().map(pos).unwrap_or_default();
        r.report.push(Diagnostic::warning(
            first,
            format!("{path}.where"),
            format!(
                "筛选条件（where）没有选出任何检查对象（共 {} 个），表格只有表头",
                rows.len()
            ),
        ));
    }
    if let Some(f) = plan.sort {
        sort(&mut kept, &rows, f);
    }

    let mut groups: Vec<Group> = Vec::new();
    let mut out: Vec<OutRow> = Vec::new();
    if plan.levels.is_empty() {
        out.extend(kept.iter().map(|&k| OutRow {
            path: Vec::new(),
            item: Some(k),
        }));
    } else {
        let top = partition(&view, 0, &kept, r);
        emit(&view, top, None, r, &mut groups, &mut out);
    }

    let mut body = literal_rows(&render_literal(&spec.rows, path, "rows", r));
    let mut contexts = GroupContexts {
        view: &view,
        groups: &groups,
        rows: &rows,
        rate: &rate,
        inspections: inspection_values(spec, &plan, results, r),
        ids: source_ids(&view.sources),
        built: HashMap::new(),
    };
    let sample = plan
        .sources
        .first()
        .and_then(|s| {
            contexts
                .inspections
                .get(&results.inspections[s.inspection].id)
        })
        .cloned()
        .unwrap_or_else(|| json!({}));
    let mut cells = Cells::new(&plan, spec, path, sample, &contexts.ids, r);
    // Per column: list entries left out for an empty value.
    let mut unlisted = vec![0usize; plan.columns.len()];
    for (o, row) in out.iter().enumerate() {
        let mut line = Vec::with_capacity(plan.columns.len());
        for (k, content) in plan.columns.iter().enumerate() {
            let text = match content {
                Content::Empty => String::new(),
                Content::Seq => (o + 1).to_string(),
                Content::Field(f) => row
                    .item
                    .map(|i| f.text(rows[i]).into_owned())
                    .unwrap_or_default(),
                Content::Group { level, text } => {
                    let Some(&g) = row.path.get(*level) else {
                        line.push(Cell::new(""));
                        continue;
                    };
                    if groups[g].first != o as u32 {
                        continue;
                    }
                    let text = match text {
                        Some(_) => cells.render(k, contexts.of(g), &groups[g].label, r),
                        None => groups[g].label.to_string(),
                    };
                    line.push(Cell::span(text, 1, groups[g].span as u16));
                    continue;
                }
                Content::Text(_) => match row.item {
                    Some(i) => cells.item(k, rows[i], o + 1, &plan, r),
                    None => String::new(),
                },
                Content::List { field, sep, by } => match row.path.last() {
                    Some(&g) => {
                        list_cell(&groups[g].rows, &rows, *field, sep, *by, &mut unlisted[k])
                    }
                    None => String::new(),
                },
            };
            line.push(Cell::new(text));
        }
        body.push(line);
    }
    for (k, &n) in unlisted.iter().enumerate().filter(|(_, n)| **n > 0) {
        let (Content::List { field, .. }, Some(list)) = (&plan.columns[k], &spec.columns[k].list)
        else {
            continue;
        };
        r.report.push(Diagnostic::warning(
            pos(list),
            format!("{path}.columns[{k}].list"),
            format!("{n} 个检查对象的“{}”为空，未列入名单", field.label()),
        ));
    }
    if !spec.total_row.is_empty() {
        let all = Group {
            level: 0,
            label: Cow::Borrowed("合计"),
            rows: kept.clone(),
            parent: None,
            seq: 1,
            span: 1,
            first: 0,
        };
        let ctx = contexts.value(&all, None);
        let line = spec
            .total_row
            .iter()
            .enumerate()
            .map(|(k, t)| total_cell(k, t, &ctx, path, r))
            .collect();
        body.extend(literal_rows(&[line]));
    }

    let headers: Vec<(String, Option<String>)> = spec
        .columns
        .iter()
        .enumerate()
        .map(|(k, c)| {
            let name = format!("{path}.columns[{k}].header");
            let h = r.inline_at(&name, &c.header.value, Some(pos(&c.header)));
            let group = c
                .group
                .as_deref()
                .map(|g| r.inline_at(&format!("{path}.columns[{k}].group"), g, None));
            (h, group)
        })
        .collect();
    let table = Table {
        columns: spec
            .columns
            .iter()
            .zip(&plan.columns)
            .enumerate()
            .map(|(k, (c, content))| Column {
                width: c.width.as_ref().map(|w| w.value),
                align: align(c.align, content),
                hint_at: c.width.as_ref().map(|w| crate::ir::HintPlace {
                    pos: pos(w),
                    field: format!("{path}.columns[{k}].width"),
                }),
            })
            .collect(),
        header: header_rows(&headers),
        rows: body,
    };
    report_raw_templates(&table, path, r);
    table
}

fn align(given: Option<SpecAlign>, content: &Content) -> Align {
    match given {
        Some(SpecAlign::Left) => Align::Left,
        Some(SpecAlign::Center) => Align::Center,
        Some(SpecAlign::Right) => Align::Right,
        None => match content {
            Content::Field(FieldRef::Named(f)) if matches!(f.name, "problems" | "remark") => {
                Align::Left
            }
            _ => Align::Center,
        },
    }
}

fn matches(f: &Filter, row: Row) -> bool {
    match &f.cond.value {
        Condition::AnyOf(values) => {
            let v = f.field.text(row);
            values.iter().any(|w| *w == v)
        }
        Condition::Range { min, max, below } => f.field.number(row).is_some_and(|v| {
            min.is_none_or(|m| v >= m.0)
                && max.is_none_or(|m| v <= m.0)
                && below.is_none_or(|m| v < m.0)
        }),
    }
}

/// Values of the field a group level or filter may take, when they are declared: by the field
/// (合格/不合格), by the scheme (bands, tiers), or by a breakdown named after the field in
/// every source (`breakdowns: {level: [...]}`), in the declared order.
fn declared(field: FieldRef, sources: &[&InspectionResult]) -> Option<Vec<String>> {
    let mut all: Vec<String> = Vec::new();
    let mut add = |labels: Vec<String>| {
        for v in labels {
            if !all.contains(&v) {
                all.push(v);
            }
        }
    };
    let by_scheme = match field.values() {
        Values::Declared(of) => {
            let lists: Vec<Vec<String>> = sources.iter().filter_map(|i| of(i)).collect();
            (!lists.is_empty()).then_some(lists)
        }
        _ => None,
    };
    match (field.values(), field) {
        (Values::Fixed(list), _) => return Some(list.iter().map(|s| s.to_string()).collect()),
        (Values::Declared(_), _) if by_scheme.is_some() => {
            by_scheme.into_iter().flatten().for_each(&mut add)
        }
        (Values::Open | Values::Declared(_), FieldRef::Named(f)) => {
            let declared =
                |i: &&InspectionResult| i.breakdowns.get(f.name).is_some_and(|p| !p.0.is_empty());
            if sources.is_empty() || !sources.iter().all(declared) {
                return None;
            }
            for i in sources {
                add(i.breakdowns[f.name]
                    .0
                    .iter()
                    .map(|p| p.label.clone())
                    .collect());
            }
        }
        (_, FieldRef::Indicator(_)) => return None,
    }
    Some(all)
}

/// What building one table reads: its plan, the rows of its sources, the sources themselves.
struct View<'a, 'p> {
    plan: &'p Plan<'p>,
    rows: &'p [Row<'a>],
    sources: Vec<&'a InspectionResult>,
    path: &'p str,
}

/// A `where` value no item has is a warning (a value the field cannot take, an error);
/// true when something was reported.
fn check_filter_values(v: &View, r: &mut Renderer) -> bool {
    let (plan, rows, path) = (v.plan, v.rows, v.path);
    let before = r.report.items.len();
    for f in &plan.filters {
        let Condition::AnyOf(values) = &f.cond.value else {
            continue;
        };
        if let Values::Fixed(allowed) = f.field.values() {
            if values.iter().any(|v| !allowed.contains(&v.as_str())) {
                continue; // an error already (validate::tables)
            }
        }
        let field = format!("{path}.where.{}", f.key);
        if let (Values::Declared(_), Some(allowed)) =
            (f.field.values(), declared(f.field, &v.sources))
        {
            for v in values.iter().filter(|v| !allowed.contains(v)) {
                let names: Vec<&str> = allowed.iter().map(String::as_str).collect();
                r.report.push(Diagnostic::error(
                    pos(f.cond),
                    field.clone(),
                    format!(
                        "“{}”（{}）没有取值“{v}”{}（已声明：{}）",
                        f.key,
                        f.field.label(),
                        hint(v, &names),
                        names.join("、")
                    ),
                ));
            }
            continue;
        }
        let mut present: Vec<Cow<str>> = Vec::new();
        let mut seen: std::collections::HashSet<Cow<str>> = Default::default();
        for &row in rows {
            let v = f.field.text(row);
            if !v.is_empty() && seen.insert(v.clone()) {
                present.push(v);
            }
        }
        for v in values.iter().filter(|v| !seen.contains(v.as_str())) {
            let names: Vec<&str> = present.iter().map(|c| c.as_ref()).collect();
            let shown: Vec<&str> = names.iter().take(12).copied().collect();
            let more = if names.len() > shown.len() { "等" } else { "" };
            r.report.push(Diagnostic::warning(
                pos(f.cond),
                field.clone(),
                format!(
                    "没有检查对象的“{}”（{}）为“{v}”{}（现有：{}{more}）",
                    f.key,
                    f.field.label(),
                    hint(v, &names),
                    if shown.is_empty() {
                        "无".to_string()
                    } else {
                        shown.join("、")
                    }
                ),
            ));
        }
    }
    r.report.items.len() > before
}

fn hint(got: &str, candidates: &[&str]) -> String {
    did_you_mean(got, candidates)
        .map(|s| format!("，是否应为“{s}”？"))
        .unwrap_or_default()
}

/// Stable: ties keep the given order; items without a value go last.
/// `score` sorts as ranks are given (`Best::Standing`), so a vetoed item ranked `last` comes
/// after every other even when the score it shows is higher.
fn sort(kept: &mut [usize], rows: &[Row], f: FieldRef) {
    let best = f.sort().unwrap_or(Best::Lowest);
    let key = |k: usize| match best {
        Best::Standing => rows[k].item.standing,
        Best::Highest | Best::Lowest => f.number(rows[k]).map(|n| (true, n)),
    };
    kept.sort_by(|&a, &b| match (key(a), key(b)) {
        (Some(x), Some(y)) => match best {
            Best::Highest | Best::Standing => y.cmp(&x),
            Best::Lowest => x.cmp(&y),
        },
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
}

/// The rows of one parent split by the value of level `level`: (label, rows), in the field's
/// declared order when it has one, else in order of first appearance.
fn partition<'a>(
    v: &View<'a, '_>,
    level: usize,
    members: &[usize],
    r: &mut Renderer,
) -> Vec<(Cow<'a, str>, Vec<usize>)> {
    let (rows, path) = (v.rows, v.path);
    let l = &v.plan.levels[level];
    let mut index: HashMap<Cow<'a, str>, usize> = HashMap::new();
    let mut parts: Vec<(Cow<'a, str>, Vec<usize>)> = Vec::new();
    let mut blanks: Vec<usize> = Vec::new();
    for &m in members {
        let v = l.field.text(rows[m]);
        if v.is_empty() {
            match l.spec.value.blank {
                Blank::Drop => continue,
                Blank::Unset => blanks.push(m),
                Blank::Keep => {}
            }
        }
        match index.get(&v) {
            Some(&p) => parts[p].1.push(m),
            None => {
                index.insert(v.clone(), parts.len());
                parts.push((v, vec![m]));
            }
        }
    }
    if !blanks.is_empty() {
        let name = &l.spec.value.field;
        let who: Vec<String> = blanks
            .iter()
            .take(3)
            .map(|&m| member(rows[m]).to_string())
            .collect();
        let etc = if blanks.len() > who.len() { "等" } else { "" };
        r.report.push(Diagnostic::warning(
            pos(l.spec),
            format!("{path}.group_by[{level}]"),
            format!(
                "{}{etc} {} 个检查对象的“{name}”（{}）为空，自成一组，分组单元格为空。\
                 有意如此写 {{field: {name}, blank: keep}}；不列入写 blank: drop；只列某些值用 where",
                who.join("、"),
                blanks.len(),
                l.field.label()
            ),
        ));
    }
    if let Some(order) = declared(l.field, &v.sources) {
        let rank = |label: &str| order.iter().position(|o| o == label).unwrap_or(order.len());
        parts.sort_by_key(|(label, _)| rank(label));
        if l.spec.value.all {
            for (k, o) in order.iter().enumerate() {
                if !parts.iter().any(|(label, _)| label == o) {
                    let at = parts
                        .iter()
                        .position(|(label, _)| rank(label) > k)
                        .unwrap_or(parts.len());
                    parts.insert(at, (Cow::Owned(o.clone()), Vec::new()));
                }
            }
        }
    }
    parts
}

/// Turn partitions into groups (recursively, depth first) and output rows.
fn emit<'a>(
    v: &View<'a, '_>,
    parts: Vec<(Cow<'a, str>, Vec<usize>)>,
    parent: Option<usize>,
    r: &mut Renderer,
    groups: &mut Vec<Group<'a>>,
    out: &mut Vec<OutRow>,
) {
    let plan = v.plan;
    let level = parent.map_or(0, |p| groups[p].level + 1);
    for (n, (label, members)) in parts.into_iter().enumerate() {
        let g = groups.len();
        let first = out.len() as u32;
        let mut prefix: Vec<usize> = parent.map(|p| out_path(groups, p)).unwrap_or_default();
        prefix.push(g);
        groups.push(Group {
            level,
            label,
            rows: members,
            parent,
            seq: n as u32 + 1,
            span: 0,
            first,
        });
        let last = level + 1 == plan.levels.len();
        if !last && !groups[g].rows.is_empty() {
            let members = groups[g].rows.clone();
            let sub = partition(v, level + 1, &members, r);
            emit(v, sub, Some(g), r, groups, out);
        } else if last && plan.rows_are_items && !groups[g].rows.is_empty() {
            for &m in &groups[g].rows {
                out.push(OutRow {
                    path: prefix.clone(),
                    item: Some(m),
                });
            }
        } else {
            // A table of groups, or an empty group (declared with all: true): one row.
            out.push(OutRow {
                path: prefix,
                item: None,
            });
        }
        groups[g].span = out.len() as u32 - first;
    }
}

/// The group indices from the top level down to `g`.
fn out_path(groups: &[Group], g: usize) -> Vec<usize> {
    let mut p = vec![g];
    let mut at = g;
    while let Some(up) = groups[at].parent {
        p.push(up);
        at = up;
    }
    p.reverse();
    p
}

/// What an item is called in lists and messages: its name, or its unit when it has none.
fn member<'a>(row: Row<'a>) -> &'a str {
    &row.item.label
}

/// Each source inspection's figures as templates see them (`{{sites.count}}`), without its
/// items: the `inspection` of a group whose rows all come from it.
fn inspection_values(
    spec: &TableSpec,
    plan: &Plan,
    results: &Results,
    r: &Renderer,
) -> HashMap<String, Value> {
    let used = !spec.total_row.is_empty()
        || plan
            .columns
            .iter()
            .any(|c| matches!(c, Content::Group { text: Some(_), .. }));
    if !used {
        return HashMap::new();
    }
    let data = r.ctx.data();
    plan.sources
        .iter()
        .filter_map(|s| {
            let id = &results.inspections[s.inspection].id;
            let figures: Map<String, Value> = data
                .get(id)?
                .as_object()?
                .iter()
                .filter(|(k, _)| k.as_str() != "items")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            Some((id.clone(), Value::Object(figures)))
        })
        .collect()
}

/// The counts of some of a table's rows: `count`, `passed`, `failed`, `pass_rate`,
/// `problem_count`.
fn counts(members: &[usize], rows: &[Row], rate: &RateFormat) -> Map<String, Value> {
    let count = members.len() as u32;
    let failed = members.iter().filter(|&&m| !rows[m].item.passed).count() as u32;
    let problems = members
        .iter()
        .filter(|&&m| !rows[m].item.problems.is_empty())
        .count();
    let mut c = Map::new();
    c.insert("count".into(), json!(count));
    c.insert("passed".into(), json!(count - failed));
    c.insert("failed".into(), json!(failed));
    c.insert(
        "pass_rate".into(),
        json!(percent(count - failed, count, rate)),
    );
    c.insert("problem_count".into(), json!(problems));
    c
}

/// A group's values for templates: its counts, also `by` each of the table's inspections
/// (`{{by.media.failed}}`: a district's failing accounts in a table over sites and media).
fn group_value(
    g: &Group,
    rows: &[Row],
    rate: &RateFormat,
    parent: Option<Value>,
    ids: &[&str],
) -> Value {
    let by: Map<String, Value> = ids
        .iter()
        .map(|id| {
            let mine: Vec<usize> = g
                .rows
                .iter()
                .copied()
                .filter(|&m| rows[m].inspection.id == *id)
                .collect();
            (id.to_string(), Value::Object(counts(&mine, rows, rate)))
        })
        .collect();
    let mut v = json!({
        "label": g.label,
        "seq": g.seq,
        "by": by,
        "members": g.rows.iter().map(|&m| member(rows[m])).collect::<Vec<_>>(),
        "names": g.rows.iter().map(|&m| rows[m].item.name.as_str()).collect::<Vec<_>>(),
        "units": g.rows.iter().map(|&m| rows[m].item.unit.as_str()).collect::<Vec<_>>(),
        "failed_units": g
            .rows
            .iter()
            .filter(|&&m| !rows[m].item.passed)
            .map(|&m| rows[m].item.unit.as_str())
            .collect::<Vec<_>>(),
    });
    if let Value::Object(o) = &mut v {
        o.extend(counts(&g.rows, rows, rate));
    }
    if let Some(p) = parent {
        v["parent"] = p;
    }
    v
}

/// The ids of a table's inspections, each once, in `from` order.
fn source_ids<'a>(sources: &[&'a InspectionResult]) -> Vec<&'a str> {
    let mut ids: Vec<&str> = Vec::new();
    for s in sources {
        if !ids.contains(&s.id.as_str()) {
            ids.push(&s.id);
        }
    }
    ids
}

/// Group contexts, built on first use (only groups whose cells are templates need one).
struct GroupContexts<'g, 'a> {
    view: &'g View<'a, 'g>,
    groups: &'g [Group<'a>],
    rows: &'g [Row<'g>],
    rate: &'g RateFormat,
    /// By inspection id.
    inspections: HashMap<String, Value>,
    /// The ids of the table's inspections, for each group's `by`.
    ids: Vec<&'g str>,
    built: HashMap<usize, Value>,
}

impl GroupContexts<'_, '_> {
    /// A group's values, with its parent's and, when its rows come from one inspection (or
    /// the table has one), that inspection's figures and the part of its breakdown named after
    /// the group's field whose label is the group's (`{{part.count}}`: counted, not listed).
    fn value(&self, g: &Group, parent: Option<Value>) -> Value {
        let mut v = group_value(g, self.rows, self.rate, parent, &self.ids);
        let one = match &self.view.sources[..] {
            [only] => Some(*only),
            _ => {
                let first = g.rows.first().map(|&m| self.rows[m].inspection);
                first.filter(|f| {
                    g.rows
                        .iter()
                        .all(|&m| std::ptr::eq(self.rows[m].inspection, *f))
                })
            }
        };
        let Some(insp) = one else { return v };
        if let Some(figures) = self.inspections.get(&insp.id) {
            v["inspection"] = figures.clone();
        }
        let field = self.view.plan.levels.get(g.level).map(|l| l.field);
        if let Some(FieldRef::Named(f)) = field {
            let part = insp
                .breakdowns
                .get(f.name)
                .and_then(|p| p.0.iter().find(|p| p.label == g.label));
            if let Some(part) = part {
                v["part"] = serde_json::to_value(part).unwrap_or_default();
            }
        }
        v
    }

    fn of(&mut self, g: usize) -> Value {
        if let Some(v) = self.built.get(&g) {
            return v.clone();
        }
        let parent = self.groups[g].parent.map(|p| self.of(p));
        let v = self.value(&self.groups[g], parent);
        self.built.insert(g, v.clone());
        v
    }
}

/// The template columns of one table: registered once, checked once against a sample of the
/// right shape (so a name that does not exist is an error even when the table has no rows).
struct Cells {
    /// Per column: the registered template's name and place, or `None` (not a template, or
    /// broken: reported once).
    names: Vec<Option<(String, Pos)>>,
}

impl Cells {
    /// `inspection`: a sample of the values of a group's `inspection`.
    fn new(
        plan: &Plan,
        spec: &TableSpec,
        path: &str,
        inspection: Value,
        ids: &[&str],
        r: &mut Renderer,
    ) -> Cells {
        let probe_item = item_probe(plan);
        let probe_group = {
            let g = Group {
                level: 0,
                label: Cow::Borrowed(""),
                rows: Vec::new(),
                parent: None,
                seq: 1,
                span: 1,
                first: 0,
            };
            let rate = RateFormat::default();
            let parent = group_value(&g, &[], &rate, None, ids);
            let mut v = group_value(&g, &[], &rate, Some(parent), ids);
            v["inspection"] = inspection;
            v["part"] = json!({"label": "", "count": 0, "share": "0%", "in_operation": 0, "coverage": "0%", "parts": {}});
            v
        };
        let names = plan
            .columns
            .iter()
            .enumerate()
            .map(|(k, content)| {
                let (text, over_group) = match content {
                    Content::Group { text: Some(t), .. } => (*t, true),
                    Content::Text(t) => (*t, false),
                    _ => return None,
                };
                let name = format!("{path}.columns[{k}].text");
                let header = &spec.columns[k].header.value;
                let probe = if over_group {
                    &probe_group
                } else {
                    &probe_item
                };
                let what = if over_group { "组内" } else { "逐项" };
                register(r, &name, text, probe, what, header).then(|| (name, pos(text)))
            })
            .collect();
        Cells { names }
    }

    /// Render column `k` for one row or group (`who` names it in a message).
    fn render(&mut self, k: usize, ctx: Value, who: &str, r: &mut Renderer) -> String {
        let Some((name, at)) = &self.names[k] else {
            return String::new();
        };
        match r
            .hb
            .render_with_context(name, &handlebars::Context::from(ctx))
        {
            Ok(s) => s.trim().to_string(),
            Err(e) => {
                r.report.push(Diagnostic::error(
                    *at,
                    name.clone(),
                    format!("（“{who}”）{}", super::render_error(&e, &Value::Null)),
                ));
                self.names[k] = None;
                String::new()
            }
        }
    }

    fn item(&mut self, k: usize, row: Row, seq: usize, plan: &Plan, r: &mut Renderer) -> String {
        if self.names[k].is_none() {
            return String::new();
        }
        let ctx = item_value(row, seq, plan);
        self.render(k, ctx, member(row), r)
    }
}

/// One cell of the total row: a template over all the table's rows as one group.
fn total_cell(k: usize, t: &Spanned<String>, ctx: &Value, path: &str, r: &mut Renderer) -> String {
    if !t.value.contains("{{") {
        return t.value.clone();
    }
    let name = format!("{path}.total_row[{k}]");
    if !register(r, &name, t, ctx, "合计行", "") {
        return String::new();
    }
    r.hb.render_with_context(&name, &handlebars::Context::from(ctx.clone()))
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

/// Register a cell template and render it once against `probe`; errors are reported at the
/// template's place in the YAML with the names that exist. True when it is usable.
fn register(
    r: &mut Renderer,
    name: &str,
    text: &Spanned<String>,
    probe: &Value,
    what: &str,
    header: &str,
) -> bool {
    let at = pos(text);
    let column = if header.is_empty() {
        String::new()
    } else {
        format!("“{header}”列的")
    };
    r.rendered.push_str(&text.value);
    if let Err(e) = r.hb.register_template_string(name, &text.value) {
        r.report.push(Diagnostic::error(
            at,
            name,
            format!("{column}{}", super::syntax_error(&e)),
        ));
        return false;
    }
    let Err(e) =
        r.hb.render_with_context(name, &handlebars::Context::from(probe.clone()))
    else {
        return true;
    };
    let message = match e.reason() {
        handlebars::RenderErrorReason::MissingVariable(Some(var)) => {
            let keys: Vec<&str> = probe
                .as_object()
                .map(|o| o.keys().map(String::as_str).collect())
                .unwrap_or_default();
            let hint = super::suggest(var, probe)
                .map(|s| format!("，是否应为“{s}”？"))
                .unwrap_or_default();
            let place = match (e.line_no, e.column_no) {
                (Some(l), Some(c)) => format!("模板第 {l} 行第 {c} 列"),
                _ => "模板中".into(),
            };
            format!(
                "{column}{place}引用了不存在的值“{var}”{hint}（{what}可用：{}）",
                keys.join("、")
            )
        }
        _ => format!("{column}{}", super::render_error(&e, probe)),
    };
    let at = match (e.line_no, e.column_no) {
        (Some(1), Some(c)) if at.source == 0 => inner(r.source, at, c),
        _ => at,
    };
    r.report.push(Diagnostic::error(at, name, message));
    false
}

/// The file position of column `c` of a one-line template starting at `at` (after its quote).
fn inner(source: &str, at: Pos, c: usize) -> Pos {
    let line = source
        .lines()
        .nth(at.line.saturating_sub(1) as usize)
        .unwrap_or("");
    let start = line.chars().nth(at.column.saturating_sub(1) as usize);
    let quote = u64::from(matches!(start, Some('"' | '\'')));
    Pos {
        column: at.column + quote + c as u64 - 1,
        ..at
    }
}

/// An item's values for templates: every registry field by name, `d` with every indicator of
/// the table's schemes (empty when the item has no deduction), and `seq`, the row's number.
fn item_value(row: Row, seq: usize, plan: &Plan) -> Value {
    let mut m = Map::new();
    for f in crate::fields::FIELDS {
        m.insert(f.name.into(), Value::String((f.text)(row).into_owned()));
    }
    let d: Map<String, Value> = plan
        .indicators
        .iter()
        .map(|k| {
            (
                k.to_string(),
                Value::String(row.item.d.get(k).map(|s| s.to_string()).unwrap_or_default()),
            )
        })
        .collect();
    m.insert("d".into(), Value::Object(d));
    m.insert("seq".into(), json!(seq));
    Value::Object(m)
}

fn item_probe(plan: &Plan) -> Value {
    let mut m: Map<String, Value> = crate::fields::FIELDS
        .iter()
        .map(|f| (f.name.to_string(), Value::String(String::new())))
        .collect();
    let d: Map<String, Value> = plan
        .indicators
        .iter()
        .map(|k| (k.to_string(), Value::String(String::new())))
        .collect();
    m.insert("d".into(), Value::Object(d));
    m.insert("seq".into(), json!(1));
    Value::Object(m)
}

/// The values of `field` over a group's rows, joined; with `by`, clustered by that field.
/// Empty values are left out and counted in `empty`.
fn list_cell(
    members: &[usize],
    rows: &[Row],
    field: FieldRef,
    sep: &str,
    by: Option<(FieldRef, &str)>,
    empty: &mut usize,
) -> String {
    let mut clusters: Vec<(Cow<str>, Vec<Cow<str>>)> = Vec::new();
    let mut index: HashMap<Cow<str>, usize> = HashMap::new();
    for &m in members {
        let v = field.text(rows[m]);
        if v.is_empty() {
            *empty += 1;
            continue;
        }
        let key = by.map(|(b, _)| b.text(rows[m])).unwrap_or_default();
        match index.get(&key) {
            Some(&c) => clusters[c].1.push(v),
            None => {
                index.insert(key.clone(), clusters.len());
                clusters.push((key, vec![v]));
            }
        }
    }
    let between = by.map_or("", |(_, s)| s);
    clusters
        .iter()
        .map(|(_, vs)| vs.join(sep))
        .collect::<Vec<_>>()
        .join(between)
}

fn render_literal(
    rows: &[Vec<Spanned<String>>],
    path: &str,
    key: &str,
    r: &mut Renderer,
) -> Vec<Vec<String>> {
    rows.iter()
        .enumerate()
        .map(|(i, row)| {
            row.iter()
                .enumerate()
                .map(|(k, c)| {
                    r.inline_at(&format!("{path}.{key}[{i}][{k}]"), &c.value, Some(pos(c)))
                })
                .map(|s| s.trim().to_string())
                .collect()
        })
        .collect()
}

/// No cell may keep a `{{`: it would be printed as is.
fn report_raw_templates(t: &Table, path: &str, r: &mut Renderer) {
    for (i, row) in t.header.iter().chain(&t.rows).enumerate() {
        for cell in row.iter().filter(|c| c.text.contains("{{")) {
            r.report.push(Diagnostic::error(
                Pos::default(),
                path.to_string(),
                format!(
                    "第 {} 行的单元格“{}”含未求值的“{{{{”（数据中的模板标记须去掉）",
                    i + 1,
                    cell.text
                ),
            ));
        }
    }
}

/// Header rows: one row, or two when some columns share a group (the group cell spans them,
/// the others span both rows).
fn header_rows(columns: &[(String, Option<String>)]) -> Vec<Vec<Cell>> {
    if columns.iter().all(|(h, _)| h.is_empty()) {
        return Vec::new();
    }
    if columns.iter().all(|(_, g)| g.is_none()) {
        return literal_rows(&[columns.iter().map(|(h, _)| h.clone()).collect()]);
    }
    let (mut top, mut bottom) = (Vec::new(), Vec::new());
    let mut i = 0;
    while i < columns.len() {
        match &columns[i].1 {
            Some(g) => {
                let n = columns[i..]
                    .iter()
                    .take_while(|c| c.1.as_ref() == Some(g))
                    .count();
                top.push(Cell::span(g.clone(), n as u16, 1));
                bottom.extend(columns[i..i + n].iter().map(|c| Cell::new(c.0.clone())));
                i += n;
            }
            None => {
                top.push(Cell::span(columns[i].0.clone(), 1, 2));
                i += 1;
            }
        }
    }
    vec![top, bottom]
}

/// Literal rows with span markers: "^" continues the cell above, "<" the cell to the left.
fn literal_rows(rows: &[Vec<String>]) -> Vec<Vec<Cell>> {
    // Positions (row, index in out row) of the cell covering each grid slot.
    let mut owner: Vec<Vec<Option<(usize, usize)>>> = Vec::new();
    let mut out: Vec<Vec<Cell>> = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        out.push(Vec::new());
        owner.push(Vec::new());
        for (c, text) in row.iter().enumerate() {
            let covering = match text.as_str() {
                "^" if r > 0 => owner[r - 1].get(c).copied().flatten(),
                "<" if c > 0 => owner[r][c - 1],
                _ => None,
            };
            match covering {
                Some((or, oc)) => {
                    let cell = &mut out[or][oc];
                    if text == "^" && or + cell.row_span as usize == r {
                        cell.row_span += 1;
                    } else if text == "<" && or == r {
                        cell.col_span += 1;
                    }
                    owner[r].push(Some((or, oc)));
                }
                None => {
                    out[r].push(Cell::new(text.clone()));
                    owner[r].push(Some((r, out[r].len() - 1)));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_spans_and_headerless_tables() {
        let col = |h: &str| (h.to_string(), None);
        let h = header_rows(&[col("等次"), col("网站名称"), col("<")]);
        assert_eq!(h.len(), 1);
        assert_eq!((h[0].len(), h[0][1].col_span), (2, 2));
        assert!(header_rows(&[col(""), col("")]).is_empty());
    }

    #[test]
    fn literal_spans() {
        let rows: Vec<Vec<String>> = [
            ["第一等次", "县区", "甲"],
            ["^", "部门", "乙"],
            ["第二等次", "<", "丙"],
        ]
        .iter()
        .map(|r| r.iter().map(|s| s.to_string()).collect())
        .collect();
        let out = literal_rows(&rows);
        assert_eq!(out[0][0].row_span, 2);
        assert_eq!(out[1].len(), 2);
        assert_eq!(out[2][0].col_span, 2);
        assert_eq!(out[2].len(), 2);
    }
}
