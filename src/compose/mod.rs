//! compose: model + results → the Document IR, through Handlebars templates.
//!
//! Templates render text; each output line is a paragraph, with a small markup for headings
//! (see templates/README.md). Structure the YAML states (sections, run-in leads, tables) is
//! built here directly.

mod context;
pub mod helpers;
mod lint;
mod partials;

pub use context::context;

use std::path::Path;

use handlebars::Handlebars;

use crate::diag::{Diagnostic, Pos, Report};
use crate::ir::{
    Align, Attachment, AttachmentBlock, Block, Cell, Colophon, Column, Document, Header, Meta, Run,
    RunRole, Signature, Table,
};
use crate::model::{ColumnSpec, Paragraph, Quarter, TableSpec};
use crate::score::figures::catalogue;
use crate::score::{ItemResult, Results};

/// The default templates, embedded; a user directory overrides them by file name.
const DEFAULTS: [(&str, &str); 4] = [
    ("title", include_str!("../../templates/title.hbs")),
    ("opening", include_str!("../../templates/opening.hbs")),
    ("overview", include_str!("../../templates/overview.hbs")),
    (
        "formula_notes",
        include_str!("../../templates/formula_notes.hbs"),
    ),
];

/// The registered templates and helpers: built once per process, reused for every document.
pub struct Templates {
    hb: Handlebars<'static>,
}

impl Templates {
    /// The embedded defaults, overridden by `*.hbs` files in `dir` when given.
    pub fn new(dir: Option<&Path>) -> Result<Templates, String> {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        hb.register_escape_fn(handlebars::no_escape);
        helpers::register(&mut hb);
        for (name, text) in DEFAULTS {
            hb.register_template_string(name, text)
                .map_err(|e| format!("内置模板 {name} 有误：{e}"))?;
        }
        if let Some(dir) = dir {
            if !dir.is_dir() {
                return Err(format!("模板目录 {} 不存在", dir.display()));
            }
            crate::textcheck::check_template_dir(dir)?;
            hb.register_templates_directory(dir, handlebars::DirectorySourceOptions::default())
                .map_err(|e| template_error_text(&e.to_string()))?;
        }
        partials::check(&hb).map_err(|e| template_error_text(&e))?;
        Ok(Templates { hb })
    }
}

fn template_error_text(e: &str) -> String {
    format!("模板错误：{e}")
}

/// Everything compose needs besides the model.
pub struct ComposeOptions<'a> {
    pub templates: &'a Templates,
    /// Output script for `meta.script` (conversion happens later, in `zh`).
    pub script: crate::zh::Script,
    /// The YAML text, to point template errors at the line where the template is written.
    pub source: &'a str,
}

/// Renders template strings from the YAML, collecting errors instead of stopping at the first.
struct Renderer<'a> {
    hb: Handlebars<'a>,
    /// Wrapped once: `Handlebars::render` would serialise the whole context (every item of
    /// every inspection) again for each paragraph.
    ctx: handlebars::Context,
    report: &'a mut Report,
    source: &'a str,
    /// Every inspection's computed figures, for the prose figure lint.
    figures: Vec<lint::Source<'a>>,
}

/// Where a template string is written in the YAML: the first occurrence of its first line
/// (folded scalars keep the text of each line intact).
fn locate(source: &str, text: &str) -> Pos {
    let first: String = text
        .trim()
        .lines()
        .next()
        .unwrap_or("")
        .chars()
        .take(24)
        .collect();
    if first.is_empty() {
        return Pos::default();
    }
    source
        .lines()
        .enumerate()
        .find_map(|(i, l)| {
            l.find(&first)
                .map(|b| Pos::new(i as u64 + 1, l[..b].chars().count() as u64 + 1))
        })
        .unwrap_or_default()
}

impl Renderer<'_> {
    /// Render an inline template named by its YAML path (the name errors print).
    fn inline(&mut self, name: &str, text: &str) -> String {
        let pos = locate(self.source, text);
        lint::lint(text, name, pos, self.source, &self.figures, self.report);
        if !text.contains("{{") {
            return text.to_string();
        }
        let result = self
            .hb
            .register_template_string(name, text)
            .map_err(|e| e.to_string())
            // An inline template registered under a file template's name (`opening`) can
            // close a cycle of partials.
            .and_then(|_| match text.contains("{{>") {
                true => partials::check(&self.hb),
                false => Ok(()),
            })
            .and_then(|_| {
                self.hb
                    .render_with_context(name, &self.ctx)
                    .map_err(|e| render_error(&e, self.ctx.data()))
            });
        result.unwrap_or_else(|m| {
            self.report.push(Diagnostic::error(pos, name, m));
            String::new()
        })
    }

    /// Render a registered file template.
    fn named(&mut self, name: &str) -> String {
        if !self.hb.has_template(name) {
            self.report.push(Diagnostic::error(
                Pos::default(),
                name,
                format!("没有名为“{name}”的模板（templates/{name}.hbs）"),
            ));
            return String::new();
        }
        self.hb
            .render_with_context(name, &self.ctx)
            .unwrap_or_else(|e| {
                self.report.push(Diagnostic::error(
                    Pos::default(),
                    name,
                    render_error(&e, self.ctx.data()),
                ));
                String::new()
            })
    }
}

/// A render error in Chinese with the template's line and column.
fn render_error(e: &handlebars::RenderError, ctx: &serde_json::Value) -> String {
    let place = match (e.line_no, e.column_no) {
        (Some(l), Some(c)) => format!("模板第 {l} 行第 {c} 列"),
        _ => "模板中".to_string(),
    };
    let reason = match e.reason() {
        handlebars::RenderErrorReason::MissingVariable(Some(path)) => {
            let from_previous = path.starts_with("previous.")
                || path.contains(".previous.")
                || path.contains(".change.");
            let hint = match suggest(path, ctx) {
                Some(s) => format!("，是否应为“{s}”？"),
                // previous / change exist only when a previous file is given and loads.
                None if from_previous => {
                    "，这个值来自上一期文件（previous:），它没有给出或没有载入".to_string()
                }
                None => String::new(),
            };
            format!("引用了不存在的值“{path}”{hint}（可用的值见 templates/README.md）")
        }
        other => other.to_string(),
    };
    format!("{place}：{reason}")
}

/// The closest existing path to a missing one: walk the context along `path` and, at the
/// first segment that is not there, take the nearest key of that level.
fn suggest(path: &str, ctx: &serde_json::Value) -> Option<String> {
    let segments: Vec<&str> = path.split('.').collect();
    let mut node = ctx;
    for (k, seg) in segments.iter().enumerate() {
        let serde_json::Value::Object(map) = node else {
            return None;
        };
        match map.get(*seg) {
            Some(next) => node = next,
            None => {
                let keys: Vec<&str> = map.keys().map(String::as_str).collect();
                let near = crate::load::did_you_mean(seg, &keys)?;
                let mut fixed: Vec<&str> = segments[..k].to_vec();
                fixed.push(near);
                fixed.extend_from_slice(&segments[k + 1..]);
                return Some(fixed.join("."));
            }
        }
    }
    None
}

/// Text of one template output line → a block (heading, run-in paragraph or plain paragraph).
fn block_of_line(line: &str) -> Option<Block> {
    let line = line.trim();
    if line.is_empty() {
        return None;
    }
    if let Some(text) = line.strip_prefix("## ") {
        return Some(Block::Heading {
            level: 2,
            text: text.trim().into(),
        });
    }
    if let Some(text) = line.strip_prefix("# ") {
        return Some(Block::Heading {
            level: 1,
            text: text.trim().into(),
        });
    }
    let mut runs = Vec::new();
    let mut rest = line;
    if let Some(after) = line.strip_prefix("**") {
        if let Some((lead, body)) = after.split_once("**") {
            runs.push(Run {
                text: lead.into(),
                role: RunRole::Heading(2),
            });
            rest = body;
        }
    }
    if !rest.is_empty() {
        runs.push(Run {
            text: rest.into(),
            role: RunRole::Body,
        });
    }
    Some(Block::Paragraph { runs })
}

fn blocks_of_text(text: &str) -> impl Iterator<Item = Block> + '_ {
    text.lines().filter_map(block_of_line)
}

/// Build the Document IR. Template problems go to the report.
pub fn compose(
    q: &Quarter,
    results: &Results,
    opts: &ComposeOptions,
    report: &mut Report,
) -> Document {
    let ctx = context(q, results);
    let mut r = Renderer {
        hb: opts.templates.hb.clone(),
        ctx: ctx.into(),
        report,
        source: opts.source,
        figures: results
            .inspections
            .iter()
            .map(|r| lint::Source {
                id: &r.id,
                kind: &r.kind,
                figures: catalogue(r),
            })
            .collect(),
    };
    let doc = &q.document;
    let date = doc.date.value.get();

    let problems_before = r.report.items.len();
    let title = match &doc.title {
        Some(t) => r.inline("document.title", t),
        None => r.named("title").trim().to_string(),
    };
    if title.trim().is_empty() && r.report.items.len() == problems_before {
        let (field, cause) = match &doc.title {
            Some(_) => ("document.title", "document.title 为空"),
            None => ("title", "模板 title.hbs 没有生成任何文字"),
        };
        r.report.push(Diagnostic::error(
            Pos::default(),
            field,
            format!("通报没有标题：{cause}；请写出标题，或删去 document.title 使用默认标题"),
        ));
    }

    let mut body: Vec<Block> = Vec::new();
    let opening = match &q.opening {
        Some(t) => r.inline("opening", t),
        None => r.named("opening"),
    };
    body.extend(blocks_of_text(&opening));
    let mut l1 = 0;
    for (s, section) in q.sections.iter().enumerate() {
        let heading = r.inline(&format!("sections[{s}].heading"), &section.heading);
        let text = if section.numbered {
            l1 += 1;
            format!("{}、{}", helpers::chinese_numeral(l1), heading)
        } else {
            heading
        };
        body.push(Block::Heading { level: 1, text });
        if let Some(t) = &section.template {
            let out = r.named(t);
            body.extend(blocks_of_text(&out));
        }
        let mut l2 = 0;
        for (p, para) in section.paragraphs.iter().enumerate() {
            let name = format!("sections[{s}].paragraphs[{p}]");
            match para {
                Paragraph::Text(t) => {
                    let out = r.inline(&name, t);
                    body.extend(blocks_of_text(&out));
                }
                Paragraph::Lead(lp) => {
                    l2 += 1;
                    let lead = r.inline(&format!("{name}.lead"), &lp.lead);
                    let text = r.inline(&format!("{name}.text"), &lp.text);
                    let mut runs = vec![Run {
                        text: format!("（{}）{}", helpers::chinese_numeral(l2), lead),
                        role: RunRole::Heading(2),
                    }];
                    if !text.trim().is_empty() {
                        runs.push(Run {
                            text: text.trim().to_string(),
                            role: RunRole::Body,
                        });
                    }
                    body.push(Block::Paragraph { runs });
                }
            }
        }
    }

    if let Some(notice) = q.correction.as_ref().and_then(|c| c.notice.as_ref()) {
        let out = r.inline("correction.notice", notice);
        body.extend(blocks_of_text(&out));
    }

    let numbered = q.attachments.len() > 1;
    let mut attachments = Vec::new();
    for (a, spec) in q.attachments.iter().enumerate() {
        let path = format!("attachments[{a}]");
        let title = r
            .inline(&format!("{path}.title"), &spec.title)
            .trim()
            .to_string();
        let mut content = Vec::new();
        for (k, t) in spec.before.iter().enumerate() {
            let out = r.inline(&format!("{path}.before[{k}]"), t);
            content.extend(out.lines().filter(|l| !l.trim().is_empty()).map(|l| {
                AttachmentBlock::Paragraph {
                    text: l.trim().into(),
                    align: Align::Left,
                }
            }));
        }
        if let Some(t) = &spec.table {
            content.push(AttachmentBlock::Table(build_table(t, results)));
        }
        for (k, t) in spec.after.iter().enumerate() {
            let out = r.inline(&format!("{path}.after[{k}]"), t);
            content.extend(out.lines().filter(|l| !l.trim().is_empty()).map(|l| {
                AttachmentBlock::Paragraph {
                    text: l.trim().into(),
                    align: Align::Justify,
                }
            }));
        }
        attachments.push(Attachment {
            label: if numbered {
                format!("附件{}", a + 1)
            } else {
                "附件".into()
            },
            title,
            content,
        });
    }

    let printer = doc.printer.clone().unwrap_or_else(|| doc.issuer.clone());
    let colophon = doc
        .print_date
        .as_ref()
        .and_then(|p| p.value.get())
        .map(|d| Colophon {
            cc: (!doc.cc.is_empty()).then(|| doc.cc.join("，")),
            printer,
            print_date: format!("{}印发", d.zh()),
        });
    Document {
        meta: Meta {
            title: title.clone(),
            issuer: doc.issuer.clone(),
            date,
            script: opts.script,
            doc_number: doc.number.as_ref().map(|n| n.value.clone()),
            index_number: doc.index_number.clone(),
        },
        header: Header {
            copy_number: None,
            secrecy: None,
            urgency: None,
            issuer_mark: doc
                .letterhead
                .then(|| doc.mark.clone().unwrap_or_else(|| doc.issuer.clone())),
            doc_number: if doc.letterhead {
                doc.number.as_ref().map(|n| n.value.clone())
            } else {
                None
            },
        },
        title,
        recipients: doc.recipients.clone(),
        body,
        attachment_note: attachments.iter().map(|a| a.title.clone()).collect(),
        signature: (doc.signature && date.is_some()).then(|| Signature {
            issuer: doc.issuer.clone(),
            date: date.map(|d| d.zh()).unwrap_or_default(),
            sealed: doc.sealed,
        }),
        note: doc.note.as_ref().map(|n| format!("（{n}）")),
        attachments,
        colophon,
    }
}

/// The text of one item's cell.
fn field_text(item: &ItemResult, field: &str, seq: u32) -> String {
    match field {
        "seq" => seq.to_string(),
        "unit" => item.unit.clone(),
        "name" => item.name.clone(),
        "label" => item.label.clone(),
        "short" => item.short.clone(),
        "level" => item.level.clone(),
        "parent" => item.parent.clone(),
        "reason" => item.reason.clone(),
        "band" => item.band.clone(),
        "review" => item.review.clone(),
        "open_problems" => item.open_problems.join("；"),
        "platform" => item.platform.clone(),
        "filing" => item.filing.clone(),
        "category" => item.category.clone(),
        "veto" => if item.veto { "是" } else { "否" }.into(),
        "score" => item.score.clone(),
        "result" => item.result.clone(),
        "rank" => item.rank.map(|r| r.to_string()).unwrap_or_default(),
        "tier" => item.tier.clone(),
        "problems" => item.problems.join("；"),
        "remark" => item.remark.clone(),
        other => other
            .strip_prefix("d.")
            .and_then(|k| item.d.get(k))
            .cloned()
            .unwrap_or_default(),
    }
}

fn column_align(c: &ColumnSpec) -> Align {
    match c.field.as_ref().map(|f| f.value.as_str()) {
        Some("problems" | "remark") => Align::Left,
        _ => Align::Center,
    }
}

/// Header rows: one row, or two when some columns share a group (the group cell spans them,
/// the others span both rows).
fn header_rows(columns: &[ColumnSpec]) -> Vec<Vec<Cell>> {
    if columns.iter().all(|c| c.header.is_empty()) {
        return Vec::new();
    }
    if columns.iter().all(|c| c.group.is_none()) {
        return literal_rows(&[columns.iter().map(|c| c.header.clone()).collect()]);
    }
    let (mut top, mut bottom) = (Vec::new(), Vec::new());
    let mut i = 0;
    while i < columns.len() {
        match &columns[i].group {
            Some(g) => {
                let n = columns[i..]
                    .iter()
                    .take_while(|c| c.group.as_ref() == Some(g))
                    .count();
                top.push(Cell::span(g.clone(), n as u16, 1));
                bottom.extend(
                    columns[i..i + n]
                        .iter()
                        .map(|c| Cell::new(c.header.clone())),
                );
                i += n;
            }
            None => {
                top.push(Cell::span(columns[i].header.clone(), 1, 2));
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

fn build_table(spec: &TableSpec, results: &Results) -> Table {
    // `from: [sites.review]` takes last period's problem items with their 复查 state.
    let sources: Vec<&[ItemResult]> = spec
        .from
        .iter()
        .filter_map(|id| {
            let (id, review) = match id.value.strip_suffix(".review") {
                Some(base) => (base, true),
                None => (id.value.as_str(), false),
            };
            let r = results.inspections.iter().find(|r| r.id == id)?;
            Some(if review { &r.review[..] } else { &r.items[..] })
        })
        .collect();
    let mut rows = literal_rows(&spec.rows);
    if let [outer, inner] = &spec.group_by[..] {
        rows.extend(grouped_rows(&sources, &outer.value, &inner.value, spec));
        return table_of(spec, rows);
    }
    let mut seq = 0;
    for item in sources.iter().flat_map(|r| r.iter()) {
        if spec.only_problems && item.problems.is_empty() && item.passed {
            continue;
        }
        seq += 1;
        rows.push(
            spec.columns
                .iter()
                .map(|c| {
                    Cell::new(
                        c.field
                            .as_ref()
                            .map(|f| field_text(item, &f.value, seq))
                            .unwrap_or_default(),
                    )
                })
                .collect(),
        );
    }
    table_of(spec, rows)
}

fn table_of(spec: &TableSpec, rows: Vec<Vec<Cell>>) -> Table {
    Table {
        columns: spec
            .columns
            .iter()
            .map(|c| Column {
                width: c.width,
                align: column_align(c),
            })
            .collect(),
        header: header_rows(&spec.columns),
        rows,
    }
}

/// Rows of a grouped table: [outer value (spanning its rows), inner value, members].
fn grouped_rows(
    sources: &[&[ItemResult]],
    outer: &str,
    inner: &str,
    spec: &TableSpec,
) -> Vec<Vec<Cell>> {
    let list = spec.list.as_ref().map_or("name", |l| l.value.as_str());
    // (outer value, [(inner value, members)]) in first-appearance order.
    type Inner = Vec<(String, Vec<String>)>;
    let mut groups: Vec<(String, Inner)> = Vec::new();
    for item in sources.iter().flat_map(|r| r.iter()) {
        let (o, i, m) = (
            field_text(item, outer, 0),
            field_text(item, inner, 0),
            field_text(item, list, 0),
        );
        let pos = groups.iter().position(|g| g.0 == o).unwrap_or_else(|| {
            groups.push((o, Vec::new()));
            groups.len() - 1
        });
        let subs = &mut groups[pos].1;
        match subs.iter_mut().find(|s| s.0 == i) {
            Some(s) => s.1.push(m),
            None => subs.push((i, vec![m])),
        }
    }
    let mut rows = Vec::new();
    for (o, subs) in groups {
        let span = subs.len() as u16;
        for (k, (i, members)) in subs.into_iter().enumerate() {
            let mut row = Vec::new();
            if k == 0 {
                row.push(Cell::span(o.clone(), 1, span));
            }
            row.push(Cell::new(i));
            row.push(Cell::new(members.join(&spec.list_sep)));
            rows.push(row);
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_lines() {
        assert_eq!(
            block_of_line("**（一）标题。**正文"),
            Some(Block::Paragraph {
                runs: vec![
                    Run {
                        text: "（一）标题。".into(),
                        role: RunRole::Heading(2)
                    },
                    Run {
                        text: "正文".into(),
                        role: RunRole::Body
                    },
                ]
            })
        );
        assert_eq!(
            block_of_line("# 一、总体情况"),
            Some(Block::Heading {
                level: 1,
                text: "一、总体情况".into()
            })
        );
        assert_eq!(block_of_line("   "), None);
    }

    #[test]
    fn header_spans_and_headerless_tables() {
        let col = |h: &str| ColumnSpec {
            header: h.into(),
            group: None,
            field: None,
            width: None,
        };
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
