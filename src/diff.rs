//! diff: what changed between two versions of a quarter, for a reader — the input (which unit,
//! which indicator), the computed figures (scores, results, ranks, rates, lists) and every
//! sentence or table cell of the document whose text changed, with its location.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::ir::{AttachmentBlock, Block, Document, Table};
use crate::model::{Item, Points, Quarter, Scalar};
use crate::period;
use crate::score::figures::catalogue;
use crate::score::{InspectionResult, ItemResult, Shared};
use crate::Prepared;

/// One difference: where, old text, new text (empty when absent on that side).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub place: String,
    pub old: String,
    pub new: String,
}

#[derive(Debug, Default, Serialize)]
pub struct DiffReport {
    /// The two files describe different quarters or issuers.
    pub warnings: Vec<String>,
    pub input: Vec<Change>,
    pub computed: Vec<Change>,
    pub document: Vec<Change>,
}

impl DiffReport {
    /// The documents are identical (input or computed differences may still exist, e.g. a
    /// comment or a figure no template prints).
    pub fn documents_identical(&self) -> bool {
        self.document.is_empty()
    }
}

fn push(out: &mut Vec<Change>, place: String, old: impl Into<String>, new: impl Into<String>) {
    let (old, new) = (old.into(), new.into());
    if old != new {
        out.push(Change { place, old, new });
    }
}

/// Compare two prepared quarters.
pub fn diff(old: &Prepared, new: &Prepared) -> DiffReport {
    let mut r = DiffReport::default();
    let (oq, nq) = (&old.quarter, &new.quarter);
    let (op, np) = (period::name(&oq.quarter), period::name(&nq.quarter));
    if op != np {
        r.warnings.push(format!("两个文件不是同一期：{op} 与 {np}"));
    }
    if oq.document.issuer.value != nq.document.issuer.value {
        r.warnings.push(format!(
            "两个文件的发文机关不同：{} 与 {}",
            oq.document.issuer.value, nq.document.issuer.value
        ));
    }
    input_changes(oq, nq, &mut r.input);
    for o in &old.results.inspections {
        match new.results.inspections.iter().find(|n| n.id == o.id) {
            Some(n) => computed_changes(o, n, &mut r.computed),
            None => push(&mut r.computed, o.kind.clone(), "存在", "已删除"),
        }
    }
    for n in &new.results.inspections {
        if !old.results.inspections.iter().any(|o| o.id == n.id) {
            push(&mut r.computed, n.kind.clone(), "", "新增");
        }
    }
    document_changes(&old.document, &new.document, &mut r.document);
    r
}

fn item_key(i: &Item) -> String {
    let mut k = i.unit.value.clone();
    for part in [
        i.name.as_ref().map(|n| &n.value),
        i.platform.as_ref(),
        i.filing.as_ref(),
    ]
    .into_iter()
    .flatten()
    {
        k.push('/');
        k.push_str(part);
    }
    k
}

fn points(p: Option<&Points>) -> String {
    match p {
        None => String::new(),
        Some(Points::NotAssessed) => "不考核".into(),
        Some(Points::Value(v)) => crate::score::show(*v),
    }
}

fn input_changes(old: &Quarter, new: &Quarter, out: &mut Vec<Change>) {
    for oi in &old.inspections {
        let Some(ni) = new.inspections.iter().find(|n| n.id.value == oi.id.value) else {
            continue;
        };
        let olds: BTreeMap<String, &Item> = oi.items.iter().map(|i| (item_key(i), i)).collect();
        let news: BTreeMap<String, &Item> = ni.items.iter().map(|i| (item_key(i), i)).collect();
        for (key, o) in &olds {
            let place = |what: &str| format!("{}／{key}／{what}", oi.kind);
            let Some(n) = news.get(key) else {
                push(out, place("检查对象"), "存在", "已删除");
                continue;
            };
            let indicators: std::collections::BTreeSet<&String> =
                o.deductions.keys().chain(n.deductions.keys()).collect();
            for ind in indicators {
                push(
                    out,
                    place(ind),
                    points(o.deductions.get(ind).map(|s| &s.value)),
                    points(n.deductions.get(ind).map(|s| &s.value)),
                );
            }
            let yes_no = |b: bool| if b { "是" } else { "否" };
            push(out, place("单项否决"), yes_no(o.veto), yes_no(n.veto));
            let scalar = |s: &Option<Box<serde_saphyr::Spanned<Scalar>>>| {
                s.as_ref().map(|s| s.value.to_string()).unwrap_or_default()
            };
            push(
                out,
                place("得分（录入）"),
                scalar(&o.score),
                scalar(&n.score),
            );
            push(
                out,
                place("等次"),
                o.tier.as_ref().map(|t| t.value.clone()).unwrap_or_default(),
                n.tier.as_ref().map(|t| t.value.clone()).unwrap_or_default(),
            );
            push(
                out,
                place("存在问题"),
                o.problems.join("；"),
                n.problems.join("；"),
            );
            let text = |s: &Option<String>| s.clone().unwrap_or_default();
            for (what, a, b) in [
                ("类别", &o.category, &n.category),
                ("层级", &o.level, &n.level),
                ("所属", &o.parent, &n.parent),
                ("简称", &o.short, &n.short),
            ] {
                push(out, place(what), text(a), text(b));
            }
            let result = |r: &Option<Box<serde_saphyr::Spanned<String>>>| {
                r.as_ref().map(|r| r.value.clone()).unwrap_or_default()
            };
            push(
                out,
                place("检查结果（录入）"),
                result(&o.result),
                result(&n.result),
            );
        }
        for key in news.keys().filter(|k| !olds.contains_key(*k)) {
            push(out, format!("{}／{key}／检查对象", oi.kind), "", "新增");
        }
        let total = |t: &Option<serde_saphyr::Spanned<u32>>| {
            t.as_ref().map(|t| t.value.to_string()).unwrap_or_default()
        };
        for (what, a, b) in [
            ("总数", &oi.total, &ni.total),
            ("合格数（录入）", &oi.passed, &ni.passed),
            ("不合格数（录入）", &oi.failed, &ni.failed),
            ("运行总数", &oi.in_operation, &ni.in_operation),
        ] {
            push(out, format!("{}／{what}", oi.kind), total(a), total(b));
        }
        let names: std::collections::BTreeSet<&String> =
            oi.breakdowns.keys().chain(ni.breakdowns.keys()).collect();
        for name in names {
            let parts = |q: &crate::model::Inspection| {
                q.breakdowns
                    .get(name)
                    .map(|ps| parts_text(ps))
                    .unwrap_or_default()
            };
            push(
                out,
                format!("{}／分类 {name}", oi.kind),
                parts(oi),
                parts(ni),
            );
        }
    }
}

/// A breakdown as written: 微信公众号38（区直部门20，镇街18）、微博12.
fn parts_text(parts: &[crate::model::Part]) -> String {
    parts
        .iter()
        .map(|p| {
            let inner = if p.parts.is_empty() {
                String::new()
            } else {
                format!("（{}）", parts_text(&p.parts).replace('、', "，"))
            };
            format!("{}{}{inner}", p.label, p.count.value)
        })
        .collect::<Vec<_>>()
        .join("、")
}

fn item_label(i: &ItemResult) -> String {
    if i.name.is_empty() {
        i.unit.to_string()
    } else {
        format!("{}（{}）", i.name, i.unit)
    }
}

fn list_changes(place: String, old: &[Shared], new: &[Shared], out: &mut Vec<Change>) {
    let lost: Vec<&str> = old
        .iter()
        .filter(|x| !new.contains(x))
        .map(Shared::as_str)
        .collect();
    let gained: Vec<&str> = new
        .iter()
        .filter(|x| !old.contains(x))
        .map(Shared::as_str)
        .collect();
    if !lost.is_empty() || !gained.is_empty() {
        out.push(Change {
            place,
            old: if lost.is_empty() {
                String::new()
            } else {
                format!("移出：{}", lost.join("、"))
            },
            new: if gained.is_empty() {
                String::new()
            } else {
                format!("新增：{}", gained.join("、"))
            },
        });
    }
}

fn computed_changes(o: &InspectionResult, n: &InspectionResult, out: &mut Vec<Change>) {
    let k = &o.kind;
    let (olds, news) = (catalogue(o), catalogue(n));
    for f in &olds {
        let new = news.iter().find(|g| g.path == f.path);
        push(
            out,
            format!("{k}／{}", f.label),
            f.text(),
            new.map(|g| g.text()).unwrap_or_default(),
        );
    }
    for g in news
        .iter()
        .filter(|g| !olds.iter().any(|f| f.path == g.path))
    {
        push(out, format!("{k}／{}", g.label), "", g.text());
    }
    list_changes(
        format!("{k}／满分名单"),
        &o.full_mark_units,
        &n.full_mark_units,
        out,
    );
    list_changes(
        format!("{k}／不合格名单"),
        &o.failed_units,
        &n.failed_units,
        out,
    );
    let key = |i: &ItemResult| format!("{}/{}/{}/{}", i.unit, i.name, i.platform, i.filing);
    let news: BTreeMap<String, &ItemResult> = n.items.iter().map(|i| (key(i), i)).collect();
    for oi in &o.items {
        let Some(ni) = news.get(&key(oi)) else {
            continue;
        };
        let who = item_label(oi);
        push(
            out,
            format!("{k}／{who}／得分"),
            oi.score.clone(),
            ni.score.clone(),
        );
        push(
            out,
            format!("{k}／{who}／检查结果"),
            oi.result.clone(),
            ni.result.clone(),
        );
        let rank = |r: Option<u32>| r.map(|r| r.to_string()).unwrap_or_default();
        push(
            out,
            format!("{k}／{who}／排名"),
            rank(oi.rank),
            rank(ni.rank),
        );
    }
}

/// Every text unit of a document with a reader's location: sentences of the body, cells of
/// the tables (by row number and column header), and the other elements by name.
pub fn text_units(doc: &Document) -> Vec<(String, String)> {
    units(doc, None)
}

/// [`text_units`], the table columns named by `names`' tables where they have as many
/// columns (the other version of the document: a changed header is then one change, not a
/// change of every cell under it).
fn units(doc: &Document, names: Option<&Document>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    out.push(("标题".to_string(), doc.title.clone()));
    if let Some(r) = &doc.recipients {
        out.push(("主送机关".into(), r.clone()));
    }
    let mut section = "开头".to_string();
    let mut para = 0;
    for block in &doc.body {
        match block {
            Block::Heading { level: 1, text } => {
                section = text.clone();
                para = 0;
                out.push((format!("正文／{section}／标题"), text.clone()));
            }
            Block::Heading { text, .. } => {
                para += 1;
                out.push((format!("正文／{section}／第{para}段"), text.clone()));
            }
            Block::Paragraph { runs } => {
                para += 1;
                let text: String = runs.iter().map(|r| r.text.as_str()).collect();
                for (s, sentence) in sentences(&text).into_iter().enumerate() {
                    out.push((
                        format!("正文／{section}／第{para}段第{}句", s + 1),
                        sentence,
                    ));
                }
            }
        }
    }
    for (i, name) in doc.attachment_note.iter().enumerate() {
        out.push((format!("附件说明／{}", i + 1), name.clone()));
    }
    if let Some(sig) = &doc.signature {
        out.push(("落款".into(), format!("{} {}", sig.issuer, sig.date)));
    }
    for (a, att) in doc.attachments.iter().enumerate() {
        out.push((format!("{}／标题", att.label), att.title.clone()));
        let (mut para, mut tables) = (0, 0);
        for block in &att.content {
            match block {
                AttachmentBlock::Paragraph { text, .. } => {
                    para += 1;
                    out.push((format!("{}／第{para}段", att.label), text.clone()));
                }
                AttachmentBlock::Table(table) => {
                    tables += 1;
                    let header_starts = grid_columns(&table.header, table.columns.len());
                    for (r, row) in table.header.iter().enumerate() {
                        for (cell, &c) in row.iter().zip(&header_starts[r]) {
                            out.push((
                                format!(
                                    "{}／表{tables}／表头第{}行第{}列",
                                    att.label,
                                    r + 1,
                                    c + 1
                                ),
                                cell.text.clone(),
                            ));
                        }
                    }
                    let headers = names
                        .and_then(|d| nth_table(d, a, tables))
                        .filter(|t| t.columns.len() == table.columns.len())
                        .map_or_else(|| column_names(table), column_names);
                    let starts = grid_columns(&table.rows, table.columns.len());
                    for (r, row) in table.rows.iter().enumerate() {
                        for (cell, &c) in row.iter().zip(&starts[r]) {
                            let col = headers
                                .get(c)
                                .cloned()
                                .unwrap_or_else(|| format!("第{}列", c + 1));
                            out.push((
                                format!("{}／表{tables}／第{}行／{col}", att.label, r + 1),
                                cell.text.clone(),
                            ));
                        }
                    }
                }
            }
        }
    }
    if let Some(c) = &doc.colophon {
        out.push(("版记／抄送".into(), c.cc.clone().unwrap_or_default()));
        out.push((
            "版记／印发".into(),
            format!("{} {}", c.printer, c.print_date),
        ));
    }
    out
}

/// Split after 。！？； keeping the punctuation.
fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for ch in text.chars() {
        cur.push(ch);
        if matches!(ch, '。' | '！' | '？' | '；') {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The `n`-th table (from 1) of the attachment at `index`.
fn nth_table(doc: &Document, index: usize, n: usize) -> Option<&Table> {
    doc.attachments
        .get(index)?
        .content
        .iter()
        .filter_map(|b| match b {
            AttachmentBlock::Table(t) => Some(t),
            AttachmentBlock::Paragraph { .. } => None,
        })
        .nth(n - 1)
}

/// The header text over each column: "内容更新（50分）／周扫描" under a merged group.
fn leaf_headers(table: &Table) -> Vec<String> {
    let ncols = table.columns.len();
    let mut names = vec![String::new(); ncols];
    let starts = grid_columns(&table.header, ncols);
    for (row, starts) in table.header.iter().zip(&starts) {
        for (cell, &col) in row.iter().zip(starts) {
            for name in names.iter_mut().skip(col).take(cell.col_span as usize) {
                if !name.is_empty() {
                    name.push('／');
                }
                name.push_str(&cell.text);
            }
        }
    }
    names
}

/// Each column's name for a cell's place: its header, with its number when it has none or
/// shares it with another column (网站名称 over two columns), so no two cells of a row share a
/// place.
fn column_names(table: &Table) -> Vec<String> {
    let names = leaf_headers(table);
    names
        .iter()
        .enumerate()
        .map(|(c, n)| {
            if n.is_empty() {
                format!("第{}列", c + 1)
            } else if names.iter().filter(|m| *m == n).count() > 1 {
                format!("{n}（第{}列）", c + 1)
            } else {
                n.clone()
            }
        })
        .collect()
}

/// The grid column each cell starts at: a cell spanning rows appears only in its first row,
/// so later rows' cells skip the columns it covers.
fn grid_columns(rows: &[Vec<crate::ir::Cell>], ncols: usize) -> Vec<Vec<usize>> {
    // Rows still covered, per column, by a cell spanning down from an earlier row.
    let mut covered = vec![0u16; ncols];
    rows.iter()
        .map(|row| {
            let mut col = 0;
            let mut starts = Vec::with_capacity(row.len());
            for cell in row {
                while col < ncols && covered[col] > 0 {
                    covered[col] -= 1;
                    col += 1;
                }
                starts.push(col);
                for c in covered.iter_mut().skip(col).take(cell.col_span as usize) {
                    *c = cell.row_span.saturating_sub(1);
                }
                col += cell.col_span as usize;
            }
            while col < ncols {
                covered[col] = covered[col].saturating_sub(1);
                col += 1;
            }
            starts
        })
        .collect()
}

fn document_changes(old: &Document, new: &Document, out: &mut Vec<Change>) {
    let olds = units(old, Some(new));
    let news = text_units(new);
    let new_map: BTreeMap<&str, &str> =
        news.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let old_map: BTreeMap<&str, &str> =
        olds.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    for (k, v) in &olds {
        push(
            out,
            k.clone(),
            v.clone(),
            new_map.get(k.as_str()).copied().unwrap_or_default(),
        );
    }
    for (k, v) in &news {
        if !old_map.contains_key(k.as_str()) {
            push(out, k.clone(), "", v.clone());
        }
    }
}

impl fmt::Display for DiffReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for w in &self.warnings {
            writeln!(f, "警告：{w}")?;
        }
        for (title, list) in [
            ("输入的变化", &self.input),
            ("计算结果的变化", &self.computed),
            ("文件内容的变化", &self.document),
        ] {
            writeln!(f, "{title}（{} 处）", list.len())?;
            for c in list.iter() {
                let old = if c.old.is_empty() {
                    "（无）"
                } else {
                    &c.old
                };
                let new = if c.new.is_empty() {
                    "（无）"
                } else {
                    &c.new
                };
                writeln!(f, "  {}：{old} → {new}", c.place)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Cell;

    #[test]
    fn sentences_keep_their_punctuation() {
        assert_eq!(sentences("甲。乙；丙"), ["甲。", "乙；", "丙"]);
    }

    #[test]
    fn leaf_headers_under_a_merged_group() {
        let t = Table {
            columns: vec![
                crate::ir::Column {
                    width: None,
                    align: crate::ir::Align::Center,
                    hint_at: None
                };
                4
            ],
            header: vec![
                vec![
                    Cell::span("序号", 1, 2),
                    Cell::span("内容更新", 2, 1),
                    Cell::span("得分", 1, 2),
                ],
                vec![Cell::new("周扫描"), Cell::new("季度检查")],
            ],
            rows: vec![],
        };
        assert_eq!(
            leaf_headers(&t),
            ["序号", "内容更新／周扫描", "内容更新／季度检查", "得分"]
        );
    }

    #[test]
    fn cells_under_a_cell_spanning_rows_keep_their_column() {
        let rows = vec![
            vec![Cell::new("1"), Cell::span("镇街", 1, 2), Cell::new("甲")],
            vec![Cell::new("2"), Cell::new("乙")],
            vec![Cell::new("3"), Cell::new("部门"), Cell::new("丙")],
        ];
        assert_eq!(
            grid_columns(&rows, 3),
            [vec![0, 1, 2], vec![0, 2], vec![0, 1, 2]]
        );
    }

    #[test]
    fn columns_without_a_header_of_their_own_are_numbered() {
        let col = crate::ir::Column {
            width: None,
            align: crate::ir::Align::Center,
            hint_at: None,
        };
        let t = Table {
            columns: vec![col; 4],
            header: vec![vec![
                Cell::new("等次"),
                Cell::span("网站名称", 2, 1),
                Cell::new(""),
            ]],
            rows: vec![],
        };
        assert_eq!(
            column_names(&t),
            ["等次", "网站名称（第2列）", "网站名称（第3列）", "第4列"]
        );
    }
}
