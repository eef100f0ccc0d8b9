//! The Document IR: what `compose` produces and every backend (layout/PDF, DOCX) consumes.
//!
//! It carries meaning (a heading's level, a run's role), never fonts or positions: the
//! backends map roles to the GB/T 9704 faces and sizes themselves, so both renderings of one
//! document agree. Every human-visible string lives in a `String` reachable through
//! [`Document::for_each_text_mut`], which is how `zh` converts the whole document.

use serde::Serialize;

use crate::date::Date;
use crate::zh::Script;

/// One 通报, ready to render.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    pub meta: Meta,
    pub header: Header,
    /// 标题, one string; the layout wraps it into a trapezoid or diamond.
    pub title: String,
    /// 主送机关, without the final full-width colon (backends add "：").
    pub recipients: Option<String>,
    /// 正文: headings and paragraphs in reading order.
    pub body: Vec<Block>,
    /// 附件说明: the attachment names in order (must match `attachments`).
    pub attachment_note: Vec<String>,
    pub signature: Option<Signature>,
    /// 附注, already in full-width parentheses: "（此件主动公开）".
    pub note: Option<String>,
    pub attachments: Vec<Attachment>,
    /// 版记 (抄送, 印发机关和印发日期).
    pub colophon: Option<Colophon>,
}

/// Document metadata for PDF info / DOCX core properties.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Meta {
    /// Plain title (same as `Document::title`).
    pub title: String,
    /// 发文机关 (author).
    pub issuer: String,
    /// 成文日期: the fixed creation date of both files (determinism); `None` only in a
    /// document composed from invalid input, which is never written.
    pub date: Option<Date>,
    /// Script of the text.
    pub script: Script,
    /// 发文字号, also when the 版头 is not printed (the HTML page's 文号); converted by `zh`.
    pub doc_number: Option<String>,
    /// 索引号 of the disclosure catalogue (政府信息公开目录), for the HTML page. Never converted.
    pub index_number: Option<String>,
}

/// The 版头: everything above the red rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Header {
    /// 份号 (optional, rare in a published 通报).
    pub copy_number: Option<String>,
    /// 密级和保密期限.
    pub secrecy: Option<String>,
    /// 紧急程度.
    pub urgency: Option<String>,
    /// 发文机关标志, e.g. "重庆市大足区人民政府办公室" (printed as given; `None` for a
    /// circular published without the 版头, as web reprints often are).
    pub issuer_mark: Option<String>,
    /// 发文字号 fully formatted, e.g. "大足府办发〔2021〕85号" (converted by `zh` like any text).
    pub doc_number: Option<String>,
}

/// A block of the 正文.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Block {
    /// A heading on its own line: level 1 "一、总体情况" (黑体), 2 "（一）…" (楷体), 3 "1." and 4 "（1）" (仿宋).
    Heading { level: u8, text: String },
    /// A paragraph indented two characters. A run-in heading is its first run with
    /// `RunRole::Heading(level)`, followed by body runs.
    Paragraph { runs: Vec<Run> },
}

/// A piece of text with one role.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Run {
    pub text: String,
    pub role: RunRole,
}

/// What a run is, which decides its face: body text in 仿宋, heading levels as in [`Block::Heading`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RunRole {
    Body,
    Heading(u8),
}

/// 发文机关署名 and 成文日期.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signature {
    /// 署名, e.g. "重庆市大足区人民政府办公室".
    pub issuer: String,
    /// 成文日期 as printed: "2021年7月7日".
    pub date: String,
    /// Sealed layout (date 右空四字, signature centred over it) instead of the unsealed one.
    pub sealed: bool,
}

/// One 附件: a new page with "附件N" on line 1 and the title on line 3.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attachment {
    /// "附件1" (or "附件" when there is only one unnumbered attachment).
    pub label: String,
    pub title: String,
    pub content: Vec<AttachmentBlock>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum AttachmentBlock {
    /// A line of text above or below a table, e.g. "检查时间：2021年4月1至6月30日" or a 注.
    Paragraph {
        text: String,
        align: Align,
    },
    Table(Table),
}

/// A table with optional multi-row merged headers that repeat on every page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    pub columns: Vec<Column>,
    /// Header rows; a cell spanning rows or columns appears once, at its top-left position.
    pub header: Vec<Vec<Cell>>,
    /// Body rows, with the same spanning convention (seed 002's 等次 spans rows).
    pub rows: Vec<Vec<Cell>>,
}

/// (column, cell) for each row of a header or body, resolving the spans with an occupancy
/// grid (a spanning cell appears once, at its top-left position).
pub fn grid(rows: &[Vec<Cell>], ncols: usize) -> Vec<Vec<(usize, &Cell)>> {
    let mut occupied: Vec<Vec<bool>> = vec![vec![false; ncols]; rows.len()];
    let mut out = Vec::with_capacity(rows.len());
    for (r, row) in rows.iter().enumerate() {
        let mut col = 0;
        let mut placed = Vec::with_capacity(row.len());
        for cell in row {
            while col < ncols && occupied[r][col] {
                col += 1;
            }
            if col >= ncols {
                break;
            }
            let cs = (cell.col_span.max(1) as usize).min(ncols - col);
            let rs = cell.row_span.max(1) as usize;
            for occ in occupied.iter_mut().take((r + rs).min(rows.len())).skip(r) {
                occ[col..col + cs].iter_mut().for_each(|o| *o = true);
            }
            placed.push((col, cell));
            col += cs;
        }
        out.push(placed);
    }
    out
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    /// Relative width hint (any unit); `None` lets the layout size the column from its content.
    pub width: Option<f32>,
    pub align: Align,
    /// Where the width hint was written in the YAML, for the layout's warnings when the content
    /// overrides it (not part of the document: left out of its JSON).
    #[serde(skip)]
    pub hint_at: Option<HintPlace>,
}

/// A place in the YAML a layout warning points at: file position and field path
/// (`attachments[0].table.columns[2].width`).
#[derive(Debug, Clone, PartialEq)]
pub struct HintPlace {
    pub pos: crate::diag::Pos,
    pub field: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    pub text: String,
    pub col_span: u16,
    pub row_span: u16,
}

impl Cell {
    pub fn new(text: impl Into<String>) -> Self {
        Cell {
            text: text.into(),
            col_span: 1,
            row_span: 1,
        }
    }

    pub fn span(text: impl Into<String>, col_span: u16, row_span: u16) -> Self {
        Cell {
            text: text.into(),
            col_span,
            row_span,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Align {
    Left,
    Center,
    Right,
    Justify,
}

/// 版记.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Colophon {
    /// 抄送 recipients joined with "，", without "抄送：" and without the final "。".
    pub cc: Option<String>,
    /// 印发机关.
    pub printer: String,
    /// 印发日期 as printed, with its verb so that `zh` converts it too: "2021年7月8日印发".
    pub print_date: String,
    /// Where the 抄送 list and the 印发机关 were written, for the layout's findings when they
    /// overflow (not part of the document: left out of its JSON).
    #[serde(skip)]
    pub cc_at: Option<HintPlace>,
    #[serde(skip)]
    pub printer_at: Option<HintPlace>,
}

impl Document {
    /// Visit every human-visible text node, the 发文字号 included.
    pub fn for_each_text_mut(&mut self, mut f: impl FnMut(&mut String)) {
        let Document {
            meta,
            header,
            title,
            recipients,
            body,
            attachment_note,
            signature,
            note,
            attachments,
            colophon,
        } = self;
        f(&mut meta.title);
        f(&mut meta.issuer);
        meta.doc_number.iter_mut().for_each(&mut f);
        for s in [
            &mut header.doc_number,
            &mut header.copy_number,
            &mut header.secrecy,
            &mut header.urgency,
        ] {
            s.iter_mut().for_each(&mut f);
        }
        header.issuer_mark.iter_mut().for_each(&mut f);
        f(title);
        recipients.iter_mut().for_each(&mut f);
        for block in body {
            match block {
                Block::Heading { text, .. } => f(text),
                Block::Paragraph { runs } => runs.iter_mut().for_each(|r| f(&mut r.text)),
            }
        }
        attachment_note.iter_mut().for_each(&mut f);
        if let Some(sig) = signature {
            f(&mut sig.issuer);
            f(&mut sig.date);
        }
        note.iter_mut().for_each(&mut f);
        for att in attachments {
            f(&mut att.label);
            f(&mut att.title);
            for block in &mut att.content {
                match block {
                    AttachmentBlock::Paragraph { text, .. } => f(text),
                    AttachmentBlock::Table(t) => {
                        for cell in t.header.iter_mut().chain(t.rows.iter_mut()).flatten() {
                            f(&mut cell.text);
                        }
                    }
                }
            }
        }
        if let Some(c) = colophon {
            c.cc.iter_mut().for_each(&mut f);
            f(&mut c.printer);
            f(&mut c.print_date);
        }
    }

    /// Plain text, one block a line, in reading order: the golden form and what the seeds are
    /// compared against.
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        let mut line = |s: &str| {
            out.push_str(s);
            out.push('\n');
        };
        let h = &self.header;
        for s in [&h.copy_number, &h.secrecy, &h.urgency]
            .into_iter()
            .flatten()
        {
            line(s);
        }
        if let Some(m) = &h.issuer_mark {
            line(m);
        }
        if let Some(n) = &h.doc_number {
            line(n);
        }
        line(&self.title);
        if let Some(r) = &self.recipients {
            line(&format!("{r}："));
        }
        for block in &self.body {
            match block {
                Block::Heading { text, .. } => line(text),
                Block::Paragraph { runs } => {
                    line(&runs.iter().map(|r| r.text.as_str()).collect::<String>())
                }
            }
        }
        for (i, name) in self.attachment_note.iter().enumerate() {
            let prefix = if i == 0 { "附件：" } else { "" };
            if self.attachment_note.len() > 1 {
                line(&format!("{prefix}{}．{name}", i + 1));
            } else {
                line(&format!("{prefix}{name}"));
            }
        }
        if let Some(sig) = &self.signature {
            line(&sig.issuer);
            line(&sig.date);
        }
        if let Some(n) = &self.note {
            line(n);
        }
        for att in &self.attachments {
            line(&att.label);
            line(&att.title);
            for block in &att.content {
                match block {
                    AttachmentBlock::Paragraph { text, .. } => line(text),
                    AttachmentBlock::Table(t) => {
                        for row in t.header.iter().chain(&t.rows) {
                            let cells: Vec<&str> = row.iter().map(|c| c.text.as_str()).collect();
                            line(&cells.join("\t"));
                        }
                    }
                }
            }
        }
        if let Some(c) = &self.colophon {
            if let Some(cc) = &c.cc {
                line(&format!("抄送：{cc}。"));
            }
            line(&format!("{}\t{}", c.printer, c.print_date));
        }
        out
    }
}
