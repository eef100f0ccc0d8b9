//! validate::tables: every name a table uses — `from`, `where`, `sort`, `group_by`, a column's
//! `field`, `list` and `by` — resolved against the field registry (src/fields.rs) and the
//! inspections, or reported with its position and a did-you-mean. The result is a [`Plan`],
//! which `compose::table` builds the rows from, so what is checked is what is built.
//! Checks that need the computed items (a `where` value no item has, blank group values) are
//! made while building.

use serde_saphyr::Spanned;

use crate::diag::{pos, Diagnostic, Pos};
use crate::fields::{self, FieldRef, Values};
use crate::load::did_you_mean;
use crate::model::tables::{Condition, GroupLevel};
use crate::model::{Inspection, Quarter, TableSpec};

/// The column name that numbers the rows; not an item field.
pub const SEQ: &str = "seq";
/// The `sort` value that keeps the YAML's order.
pub const GIVEN: &str = "given";

/// A table spec with every name resolved.
pub struct Plan<'a> {
    /// The `from` inspections: indices in `Quarter::inspections` and `Results::inspections`.
    pub sources: Vec<Source>,
    pub filters: Vec<Filter<'a>>,
    /// `None`: the given order.
    pub sort: Option<FieldRef<'a>>,
    pub levels: Vec<Level<'a>>,
    /// One per column.
    pub columns: Vec<Content<'a>>,
    /// One row per item (a table without groups, or with a column of the item's own: a field
    /// that is not a group level, or a template without `field`); otherwise one row per group
    /// of the last level.
    pub rows_are_items: bool,
    /// The indicators of the sources' schemes: the `d` of item templates.
    pub indicators: Vec<&'a str>,
}

/// One `from` entry: an inspection's items, or (`sites.review`) last period's problem items
/// with their 复查 state.
#[derive(Clone, Copy)]
pub struct Source {
    pub inspection: usize,
    pub review: bool,
}

/// The suffix of a `from` entry naming last period's problem items.
pub const REVIEW: &str = ".review";

pub struct Filter<'a> {
    pub key: &'a str,
    pub field: FieldRef<'a>,
    pub cond: &'a Spanned<Condition>,
}

pub struct Level<'a> {
    pub field: FieldRef<'a>,
    pub spec: &'a Spanned<GroupLevel>,
}

/// What fills one column.
pub enum Content<'a> {
    /// Nothing: a column of a literal table (its header and literal rows only).
    Empty,
    /// The row's 序号.
    Seq,
    /// An item's field.
    Field(FieldRef<'a>),
    /// The cell of a group of this level, spanning its rows: its label, or the template.
    Group {
        level: usize,
        text: Option<&'a Spanned<String>>,
    },
    /// A template over the item.
    Text(&'a Spanned<String>),
    /// The row group's values of a field, joined.
    List {
        field: FieldRef<'a>,
        sep: &'a str,
        by: Option<(FieldRef<'a>, &'a str)>,
    },
}

fn hint(got: &str, candidates: &[&str]) -> String {
    did_you_mean(got, candidates)
        .map(|s| format!("，是否应为“{s}”？"))
        .unwrap_or_default()
}

/// Resolves names against the registry and the sources, collecting what does not resolve.
struct Resolver<'a, 'o> {
    path: &'o str,
    indicators: Vec<&'a str>,
    out: &'o mut Vec<Diagnostic>,
}

impl<'a> Resolver<'a, '_> {
    fn error(&mut self, pos: Pos, field: String, message: String) {
        self.out.push(Diagnostic::error(pos, field, message));
    }

    /// A field name (`what` says where it is written, for the message).
    fn field(&mut self, name: &'a str, p: Pos, at: &str, what: &str) -> Option<FieldRef<'a>> {
        let field = format!("{}.{at}", self.path);
        match fields::lookup(name) {
            Some(FieldRef::Indicator(k)) if !self.indicators.contains(&k) => {
                let known = if self.indicators.is_empty() {
                    "表格的检查项目没有声明指标（scheme.indicators）".to_string()
                } else {
                    format!("已声明：{}", self.indicators.join("、"))
                };
                let h = hint(k, &self.indicators);
                self.error(
                    p,
                    field,
                    format!("{what}“{name}”：没有名为“{k}”的指标{h}（{known}）"),
                );
                None
            }
            Some(f) => Some(f),
            None => {
                let mut names = fields::names();
                if what == "列内容" {
                    names.insert(0, SEQ);
                }
                let h = hint(name, &names);
                self.error(
                    p,
                    field,
                    format!(
                        "未知的{what}“{name}”{h}（可用：{}，或 d.指标名；见 src/fields.rs）",
                        names.join("、")
                    ),
                );
                None
            }
        }
    }
}

/// Resolve one table; problems go to `out`.
pub fn plan<'a>(
    spec: &'a TableSpec,
    inspections: &'a [Inspection],
    path: &str,
    out: &mut Vec<Diagnostic>,
) -> Plan<'a> {
    let mut sources = Vec::new();
    for (k, src) in spec.from.iter().enumerate() {
        let (id, review) = match src.value.strip_suffix(REVIEW) {
            Some(base) => (base, true),
            None => (src.value.as_str(), false),
        };
        match inspections.iter().position(|i| i.id.value == id) {
            Some(inspection) => sources.push(Source { inspection, review }),
            None => {
                let ids: Vec<&str> = inspections.iter().map(|i| i.id.value.as_str()).collect();
                out.push(Diagnostic::error(
                    pos(src),
                    format!("{path}.from[{k}]"),
                    format!(
                        "没有标识为“{id}”的检查项目{}（已有：{}；上一期的问题对象写“标识{REVIEW}”）",
                        hint(id, &ids),
                        ids.join("、")
                    ),
                ));
            }
        }
    }
    let mut indicators: Vec<&str> = Vec::new();
    for src in &sources {
        for ind in inspections[src.inspection]
            .scheme
            .iter()
            .flat_map(|s| &s.indicators)
        {
            if !indicators.contains(&ind.name.as_str()) {
                indicators.push(&ind.name);
            }
        }
    }
    let mut r = Resolver {
        path,
        indicators,
        out,
    };

    let mut filters = Vec::new();
    for (key, cond) in spec.filter.iter().flat_map(|f| &f.value) {
        if let Some(field) = resolve_filter(&mut r, key, cond) {
            filters.push(Filter { key, field, cond });
        }
    }

    let sort = spec.sort.as_ref().and_then(|s| resolve_sort(&mut r, s));

    let mut levels: Vec<Level> = Vec::new();
    for (k, level) in spec.group_by.iter().enumerate() {
        let at = format!("group_by[{k}]");
        let name = level.value.field.as_str();
        if name == SEQ {
            r.error(
                pos(level),
                format!("{path}.{at}"),
                "不能按序号分组（seq 是行的序号，不是检查对象的字段）".into(),
            );
            continue;
        }
        if levels.iter().any(|l| l.spec.value.field == name) {
            r.error(
                pos(level),
                format!("{path}.{at}"),
                format!("“{name}”在 group_by 中重复出现"),
            );
            continue;
        }
        let Some(field) = r.field(name, pos(level), &at, "分组字段") else {
            continue;
        };
        let in_breakdowns = !sources.is_empty()
            && sources.iter().all(|s| {
                inspections[s.inspection]
                    .breakdowns
                    .get(name)
                    .is_some_and(|p| !p.is_empty())
            });
        // Tiers are declared only when a scheme lists them (rules or tier_order).
        let tiers_declared = sources.iter().any(|s| {
            inspections[s.inspection]
                .scheme
                .as_ref()
                .is_some_and(|sc| !sc.tiers.is_empty() || !sc.tier_order.is_empty())
        });
        let declared = match field.values() {
            Values::Open => false,
            Values::Declared(_) => name != "tier" || tiers_declared,
            Values::Fixed(_) => true,
        };
        if level.value.all && !declared && !in_breakdowns {
            r.error(
                pos(level),
                format!("{path}.{at}.all"),
                format!(
                    "all: true 只用于取值已声明的字段（result、分数段、scheme 中声明的等次，或各检查项目都有 breakdowns.{name} 分类），“{name}”的取值由数据决定"
                ),
            );
        }
        levels.push(Level { field, spec: level });
    }

    let columns: Vec<Content> = spec
        .columns
        .iter()
        .enumerate()
        .map(|(k, c)| resolve_column(&mut r, spec, &levels, k, c))
        .collect();

    let item_columns: Vec<usize> = (0..columns.len())
        .filter(|&k| matches!(columns[k], Content::Field(_) | Content::Text(_)))
        .collect();
    let rows_are_items = levels.is_empty() || !item_columns.is_empty();
    if let Some(&first_item) = item_columns.first() {
        for (k, c) in columns.iter().enumerate() {
            if matches!(c, Content::List { .. }) && !levels.is_empty() {
                r.error(
                    Pos::of(
                        &spec.columns[k]
                            .list
                            .as_ref()
                            .expect("list column")
                            .referenced,
                    ),
                    format!("{path}.columns[{k}].list"),
                    format!(
                        "名单（list）列须在每组一行的表格中，而第 {} 列“{}”逐项显示检查对象的字段；\
                         把它改为分组字段，或去掉名单列",
                        first_item + 1,
                        spec.columns[first_item].header.value
                    ),
                );
            }
        }
    }
    if !rows_are_items {
        for (k, level) in levels.iter().enumerate() {
            let shown = columns
                .iter()
                .any(|c| matches!(c, Content::Group { level: l, .. } if *l == k));
            if !shown && k + 1 < levels.len() {
                r.out.push(Diagnostic::warning(
                    pos(level.spec),
                    format!("{path}.group_by[{k}]"),
                    format!(
                        "分组字段“{}”没有列显示它，表中看不出分组（在 columns 中加 {{field: {}}}）",
                        level.spec.value.field, level.spec.value.field
                    ),
                ));
            }
        }
    }

    let n = spec.columns.len();
    for (k, row) in spec.rows.iter().enumerate() {
        if row.len() != n {
            r.error(
                row.first().map(pos).unwrap_or_default(),
                format!("{path}.rows[{k}]"),
                format!(
                    "第 {} 行有 {} 个单元格，表格有 {n} 列（含半角逗号的单元格须加引号）",
                    k + 1,
                    row.len()
                ),
            );
        }
    }
    if !spec.total_row.is_empty() {
        if spec.total_row.len() != n {
            r.error(
                pos(&spec.total_row[0]),
                format!("{path}.total_row"),
                format!("合计行有 {} 个单元格，表格有 {n} 列", spec.total_row.len()),
            );
        }
        if spec.from.is_empty() {
            r.error(
                pos(&spec.total_row[0]),
                format!("{path}.total_row"),
                "合计行汇总表格的检查对象，须有 from".into(),
            );
        }
    }

    let indicators = r.indicators;
    Plan {
        sources,
        filters,
        sort,
        levels,
        columns,
        rows_are_items,
        indicators,
    }
}

fn resolve_filter<'a>(
    r: &mut Resolver<'a, '_>,
    key: &'a str,
    cond: &'a Spanned<Condition>,
) -> Option<FieldRef<'a>> {
    let at = format!("where.{key}");
    let field = r.field(key, pos(cond), &at, "筛选字段")?;
    let path = format!("{}.{at}", r.path);
    match &cond.value {
        Condition::Range { .. } if !field.is_numeric() => {
            r.error(
                pos(cond),
                path,
                format!("“{key}”（{}）不是数值，不能用范围筛选", field.label()),
            );
            None
        }
        Condition::AnyOf(values) if values.is_empty() => {
            r.error(pos(cond), path, "取值列表为空，什么也筛选不出".into());
            None
        }
        Condition::AnyOf(values) => {
            if let Values::Fixed(allowed) = field.values() {
                for v in values.iter().filter(|v| !allowed.contains(&v.as_str())) {
                    r.error(
                        pos(cond),
                        path.clone(),
                        format!(
                            "“{key}”（{}）没有取值“{v}”{}（可用：{}）",
                            field.label(),
                            hint(v, allowed),
                            allowed.join("、")
                        ),
                    );
                }
            }
            Some(field)
        }
        Condition::Range { .. } => Some(field),
    }
}

fn resolve_sort<'a>(r: &mut Resolver<'a, '_>, s: &'a Spanned<String>) -> Option<FieldRef<'a>> {
    if s.value == GIVEN {
        return None;
    }
    let mut sortable: Vec<&str> = vec![GIVEN];
    sortable.extend(
        fields::FIELDS
            .iter()
            .filter(|f| f.sort.is_some())
            .map(|f| f.name),
    );
    let field = r.field(&s.value, pos(s), "sort", "排序字段")?;
    if field.sort().is_none() {
        r.error(
            pos(s),
            format!("{}.sort", r.path),
            format!(
                "不能按“{}”（{}）排序（可用：{}，或 d.指标名）",
                s.value,
                field.label(),
                sortable.join("、")
            ),
        );
        return None;
    }
    Some(field)
}

fn resolve_column<'a>(
    r: &mut Resolver<'a, '_>,
    spec: &'a TableSpec,
    levels: &[Level<'a>],
    k: usize,
    c: &'a crate::model::ColumnSpec,
) -> Content<'a> {
    let path = format!("{}.columns[{k}]", r.path);
    let at = format!("columns[{k}]");
    let header = &c.header.value;
    let at_header = pos(&c.header);
    // Keys that only mean something on a list column.
    if c.list.is_none() {
        let stray = [
            ("sep", c.sep.is_some()),
            ("by", c.by.is_some()),
            ("by_sep", c.by_sep.is_some()),
        ];
        for (key, _) in stray.iter().filter(|(_, set)| *set) {
            r.error(
                at_header,
                format!("{path}.{key}"),
                format!("第 {} 列“{header}”：{key} 只用于名单（list）列", k + 1),
            );
        }
    }
    let level_of = |name: &str| levels.iter().position(|l| l.spec.value.field == name);
    match (&c.field, &c.text, &c.list) {
        (None, None, None) => {
            if !spec.from.is_empty() {
                r.error(
                    at_header,
                    path,
                    format!(
                        "第 {} 列“{header}”没有内容：写 field（字段）、text（模板）或 list（名单）",
                        k + 1
                    ),
                );
            }
            Content::Empty
        }
        (Some(_), _, Some(l)) | (None, Some(_), Some(l)) => {
            let other = if c.field.is_some() { "field" } else { "text" };
            r.error(
                pos(l),
                path,
                format!("第 {} 列“{header}”：list 不能与 {other} 同用", k + 1),
            );
            Content::Empty
        }
        _ if spec.from.is_empty() => {
            let p = c.field.as_ref().or(c.text.as_ref()).or(c.list.as_ref());
            r.error(
                p.map(pos).unwrap_or_default(),
                path,
                format!(
                    "第 {} 列“{header}”从检查对象取值，但表格没有 from（写 from: [检查项目标识]）",
                    k + 1
                ),
            );
            Content::Empty
        }
        (Some(f), text, None) if f.value == SEQ => {
            if let Some(t) = text {
                r.error(
                    pos(t),
                    format!("{path}.text"),
                    format!(
                        "第 {} 列“{header}”：序号列不用 text（分组的序号写 text: \"{{{{seq}}}}\" 于该分组字段的列）",
                        k + 1
                    ),
                );
            }
            Content::Seq
        }
        (Some(f), text, None) => {
            if let Some(level) = level_of(&f.value) {
                return Content::Group {
                    level,
                    text: text.as_ref(),
                };
            }
            let Some(field) = r.field(&f.value, pos(f), &format!("{at}.field"), "列内容") else {
                return Content::Empty;
            };
            if let Some(t) = text {
                r.error(
                    pos(t),
                    format!("{path}.text"),
                    format!(
                        "第 {} 列“{header}”：field 与 text 同用时，field 须是 group_by 中的分组字段（“{}”不是）；\
                         逐项的模板只写 text",
                        k + 1,
                        f.value
                    ),
                );
            }
            Content::Field(field)
        }
        (None, Some(t), None) => Content::Text(t),
        (None, None, Some(l)) => {
            if levels.is_empty() {
                r.error(
                    pos(l),
                    format!("{path}.list"),
                    format!(
                        "第 {} 列“{header}”是名单（list），表格须有 group_by（名单列出每组的检查对象）",
                        k + 1
                    ),
                );
            }
            let field = r.field(&l.value, pos(l), &format!("{at}.list"), "名单字段");
            let by =
                c.by.as_ref()
                    .and_then(|b| r.field(&b.value, pos(b), &format!("{at}.by"), "名单分段字段"));
            match field {
                Some(field) => Content::List {
                    field,
                    sep: c.sep.as_deref().unwrap_or("、"),
                    by: by.map(|b| (b, c.by_sep.as_deref().unwrap_or("，"))),
                },
                None => Content::Empty,
            }
        }
    }
}

/// Check every attachment table of the quarter.
pub fn check(q: &Quarter, out: &mut Vec<Diagnostic>) {
    for (a, att) in q.attachments.iter().enumerate() {
        if let Some(table) = &att.table {
            plan(
                table,
                &q.inspections,
                &format!("attachments[{a}].table"),
                out,
            );
        }
    }
}
