//! compose: model + results → the Document IR, through Handlebars templates.
//!
//! Templates render text; each output line is a paragraph, with a small markup for headings
//! (see templates/README.md). Structure the YAML states (sections, run-in leads, tables) is
//! built here directly.

mod context;
mod gaps;
pub mod helpers;
mod lint;
mod partials;
mod table;
mod unused;

pub use context::{area, context};

use std::path::Path;

use handlebars::Handlebars;

use crate::diag::{Diagnostic, Pos, Report};
use crate::ir::{
    Align, Attachment, AttachmentBlock, Block, Colophon, Document, Header, Meta, Run, RunRole,
    Signature,
};
use crate::model::{Paragraph, Quarter};
use crate::score::figures::catalogue;
use crate::score::Results;

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
    /// Some template file names the items (`items`, `review`): the context must carry them.
    names_items: bool,
    /// Each file template's text by name (the defaults, as the directory overrides them): what
    /// a document's templates name is read from the ones it renders ([`unused`]).
    sources: Vec<(String, String)>,
}

impl Templates {
    /// The embedded defaults, overridden by `*.hbs` files in `dir` when given.
    pub fn new(dir: Option<&Path>) -> Result<Templates, String> {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        hb.register_escape_fn(handlebars::no_escape);
        helpers::register(&mut hb);
        let mut names_items = DEFAULTS.iter().any(|(_, t)| context::names_items(t));
        let mut sources: Vec<(String, String)> = Vec::new();
        for (name, text) in DEFAULTS {
            hb.register_template_string(name, text)
                .map_err(|e| format!("内置模板 {name} 有误：{e}"))?;
            sources.push((name.to_string(), text.to_string()));
        }
        if let Some(dir) = dir {
            if !dir.is_dir() {
                return Err(format!("模板目录 {} 不存在", dir.display()));
            }
            crate::textcheck::check_template_dir(dir)?;
            hb.register_templates_directory(dir, handlebars::DirectorySourceOptions::default())
                .map_err(|e| {
                    let name = e.name().map(|n| format!("{n}.hbs ")).unwrap_or_default();
                    template_error_text(&format!("{name}{}", syntax_error(&e)))
                })?;
            for (name, text) in unused::dir_sources(dir) {
                names_items |= context::names_items(&text);
                sources.retain(|(n, _)| *n != name);
                sources.push((name, text));
            }
        }
        partials::check(&hb).map_err(|e| template_error_text(&e))?;
        Ok(Templates {
            hb,
            names_items,
            sources,
        })
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
    /// How many attachments the document has, for the 附件N a text names.
    attachments: usize,
    /// The text of every template rendered, for the inputs none of them names ([`unused`]).
    rendered: String,
    sources: &'a [(String, String)],
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
        self.inline_at(name, text, None)
    }

    /// Render an inline template whose position in the YAML is known (else it is searched for,
    /// only when something is reported: a scan of the whole YAML per template).
    fn inline_at(&mut self, name: &str, text: &str, at: Option<Pos>) -> String {
        let source = self.source;
        let pos = || at.unwrap_or_else(|| locate(source, text));
        lint::lint(text, name, &pos, source, &self.figures, self.report);
        if !text.contains("{{") {
            // Nothing rendered: no input named.
            gaps::check(text, false, name, pos(), self.attachments, self.report);
            return text.to_string();
        }
        self.rendered.push_str(text);
        let result = self
            .hb
            .register_template_string(name, text)
            .map_err(|e| vec![(e.pos(), syntax_error(&e))])
            // An inline template registered under a file template's name (`opening`) can
            // close a cycle of partials.
            .and_then(|_| match text.contains("{{>") {
                true => partials::check(&self.hb).map_err(|e| vec![(None, e)]),
                false => Ok(()),
            })
            .and_then(|_| self.render(name));
        if let Ok(out) = &result {
            gaps::check(out, true, name, pos(), self.attachments, self.report);
        }
        result.unwrap_or_else(|messages| {
            let at = pos();
            for (place, m) in messages {
                let at = place.map_or(at, |(l, c)| in_scalar(source, at, text, l, c));
                self.report.push(Diagnostic::error(at, name, m));
            }
            String::new()
        })
    }

    /// Render a registered template. A missing value is reported and the rendering goes on
    /// with an empty stand-in for it, so that one `check` names every missing value of the
    /// template, not only the first (up to [`MAX_MISSING`]; a value missing inside a loop
    /// over items is named once).
    /// Each message comes with the template line and column it is about, when known.
    fn render(&self, name: &str) -> Result<String, Vec<Placed>> {
        let first = match self.hb.render_with_context(name, &self.ctx) {
            Ok(text) => return Ok(text),
            Err(e) => e,
        };
        let place = |e: &handlebars::RenderError| e.line_no.zip(e.column_no);
        let mut messages = vec![(place(&first), render_error(&first, self.ctx.data()))];
        let mut data = self.ctx.data().clone();
        let mut err = first;
        while messages.len() < MAX_MISSING {
            let handlebars::RenderErrorReason::MissingVariable(Some(path)) = err.reason() else {
                break;
            };
            if !stand_in(&mut data, path) {
                break;
            }
            let ctx = handlebars::Context::from(data.clone());
            match self.hb.render_with_context(name, &ctx) {
                Ok(_) => break,
                Err(e) => {
                    let message = (place(&e), render_error(&e, self.ctx.data()));
                    if messages.contains(&message) {
                        break;
                    }
                    messages.push(message);
                    err = e;
                }
            }
        }
        Err(messages)
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
        if let Some((_, text)) = self.sources.iter().find(|(n, _)| n == name) {
            self.rendered.push_str(text);
        }
        let result = self.render(name);
        if let Ok(out) = &result {
            gaps::check(
                out,
                true,
                name,
                Pos::default(),
                self.attachments,
                self.report,
            );
        }
        result.unwrap_or_else(|messages| {
            for (_, m) in messages {
                self.report.push(Diagnostic::error(Pos::default(), name, m));
            }
            String::new()
        })
    }
}

/// The place in the YAML of column `column` of line `line` of a template that starts at `at`:
/// exact when the template's line is written on one line of the file (a plain or quoted
/// scalar, or a line of a literal block), else `at` itself.
fn in_scalar(source: &str, at: Pos, text: &str, line: usize, column: usize) -> Pos {
    let Some(wanted) = text.lines().nth(line.saturating_sub(1)) else {
        return at;
    };
    let first = at.line.saturating_sub(1) as usize;
    // A literal block's line k is written on the k-th line after its indicator.
    source
        .lines()
        .enumerate()
        .skip(first)
        .take(line + 1)
        .find_map(|(i, l)| {
            let b = l.find(wanted)?;
            let col = l[..b].chars().count() + column;
            Some(Pos::new(i as u64 + 1, col as u64))
        })
        .unwrap_or(at)
}

/// A message about a template, with the template line and column it is about when known.
type Placed = (Option<(usize, usize)>, String);

/// At most this many missing values are named for one template.
const MAX_MISSING: usize = 20;

/// Put an empty string at `path` (a.b.c) in `data`, making the objects on the way; false when
/// the path runs through something that is not an object (a list, a number), or is there.
fn stand_in(data: &mut serde_json::Value, path: &str) -> bool {
    let mut node = data;
    let segments: Vec<&str> = path.split('.').collect();
    for (k, seg) in segments.iter().enumerate() {
        let serde_json::Value::Object(map) = node else {
            return false;
        };
        let last = k + 1 == segments.len();
        if last {
            return map
                .insert(seg.to_string(), serde_json::Value::String(String::new()))
                .is_none();
        }
        node = map
            .entry(seg.to_string())
            .or_insert_with(|| serde_json::Value::Object(Default::default()));
    }
    false
}

/// A template that does not parse, in Chinese with the template's line and column (the
/// parser's own text is English and quotes its grammar).
fn syntax_error(e: &handlebars::TemplateError) -> String {
    use handlebars::TemplateErrorReason as R;
    let place = match e.pos() {
        Some((l, c)) => format!("模板第 {l} 行第 {c} 列"),
        None => "模板中".to_string(),
    };
    let reason = match e.reason() {
        R::MismatchingClosedHelper(open, close) | R::MismatchingClosedDecorator(open, close) => {
            format!("“{{{{#{open}}}}}”要用“{{{{/{open}}}}}”结束，这里却是“{{{{/{close}}}}}”")
        }
        R::InvalidParam(p) => format!("参数“{p}”无效"),
        R::NestedSubexpression => "不支持这样嵌套的括号表达式".to_string(),
        _ => {
            "写法有误：检查 {{ 与 }} 是否成对，“{{#…}}”是否有对应的“{{/…}}”，“{{>”后是否紧跟模板名"
                .to_string()
        }
    };
    format!("{place}：{reason}（模板写法见 templates/README.md）")
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
        other => reason_zh(other),
    };
    format!("{place}：{reason}")
}

/// What went wrong in a template, in Chinese; the library's own text is English.
fn reason_zh(reason: &handlebars::RenderErrorReason) -> String {
    use handlebars::RenderErrorReason as R;
    match reason {
        R::HelperNotFound(name) => {
            let names: Vec<&str> = helpers::names().collect();
            let hint = crate::load::did_you_mean(name, &names)
                .map(|s| format!("，是否应为“{s}”？"))
                .unwrap_or_default();
            format!("没有名为“{name}”的 helper{hint}（可用的 helper 见 templates/README.md）")
        }
        R::PartialNotFound(name) | R::TemplateNotFound(name) => {
            format!("没有名为“{name}”的模板（模板目录中的 {name}.hbs）")
        }
        R::ParamNotFoundForIndex(helper, i) => format!("“{helper}”缺少第 {} 个参数", i + 1),
        R::ParamNotFoundForName(helper, name) => format!("“{helper}”缺少参数 {name}"),
        R::ParamTypeMismatchForName(helper, name, want)
        | R::HashTypeMismatchForName(helper, name, want) => {
            format!("“{helper}”的参数 {name} 类型不符，应为 {want}")
        }
        R::InvalidParamType(want) => format!("参数类型不符，应为 {want}"),
        R::BlockContentRequired => "这个 helper 须写成块：{{#名称 …}}…{{/名称}}".to_string(),
        R::InvalidJsonPath(path) | R::InvalidJsonIndex(path) => {
            format!("取值写法有误：“{path}”（列表的元素写作 bands.0.count）")
        }
        R::CannotIncludeSelf => "模板不能引用它自己".to_string(),
        // Our helpers' messages (`invalid`) are Chinese already.
        R::Other(message) => message.clone(),
        other => format!("模板无法填写：{other}"),
    }
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
    // Every item as JSON is most of compose's time; only a template naming them needs it.
    let items = opts.templates.names_items || context::names_items(opts.source);
    let ctx = context::build(q, results, items);
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
        attachments: q.attachments.len(),
        rendered: String::new(),
        sources: &opts.templates.sources,
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
            let table = table::build(t, &format!("{path}.table"), q, results, &mut r);
            content.push(AttachmentBlock::Table(table));
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

    unused::check(q, &r.rendered, r.sources, r.source, r.report);

    let printer = doc.printer.as_ref().unwrap_or(&doc.issuer);
    let colophon = doc
        .print_date
        .as_ref()
        .and_then(|p| p.value.get())
        .map(|d| {
            let cc = doc.cc.as_ref().filter(|cc| !cc.value.is_empty());
            fn place<T>(s: &serde_saphyr::Spanned<T>, field: &str) -> crate::ir::HintPlace {
                crate::ir::HintPlace {
                    pos: crate::diag::pos(s),
                    field: field.into(),
                }
            }
            Colophon {
                cc: cc.map(|cc| {
                    let names: Vec<&str> = cc.value.iter().map(|n| n.value.as_str()).collect();
                    names.join("，")
                }),
                printer: printer.value.clone(),
                print_date: format!("{}印发", d.zh()),
                cc_at: cc.map(|cc| place(cc, "document.cc")),
                printer_at: Some(place(
                    printer,
                    if doc.printer.is_some() {
                        "document.printer"
                    } else {
                        "document.issuer"
                    },
                )),
            }
        });
    Document {
        meta: Meta {
            title: title.clone(),
            issuer: doc.issuer.value.clone(),
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
                .then(|| doc.mark.as_ref().unwrap_or(&doc.issuer).value.clone()),
            doc_number: if doc.letterhead {
                doc.number.as_ref().map(|n| n.value.clone())
            } else {
                None
            },
        },
        title,
        recipients: doc
            .recipients
            .as_ref()
            .map(|r| crate::validate::recipients_text(&r.value).to_string()),
        body,
        attachment_note: attachments.iter().map(|a| a.title.clone()).collect(),
        signature: (doc.signature && date.is_some()).then(|| Signature {
            issuer: doc.issuer.value.clone(),
            date: date.map(|d| d.zh()).unwrap_or_default(),
            sealed: doc.sealed,
        }),
        note: doc
            .note
            .as_ref()
            .map(|n| format!("（{}）", crate::validate::note_text(&n.value))),
        attachments,
        colophon,
    }
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
}
