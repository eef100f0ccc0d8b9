//! GB/T 9704-2012 page layout: Document IR → pages of positioned glyph runs and rules.
//!
//! Independent of the PDF writer, so it can be tested and dumped on its own ([`dump`]).
//! All positions are in pt, x from the left edge of the page, y from its top edge (a text
//! run's y is its baseline). The body sits on the 22 × 28 grid of the type area.

pub mod record;
pub(crate) mod table;
pub mod text;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;

use crate::fonts::{FaceId, FontSet, Role};
use crate::ir::{self, AttachmentBlock, Block, Document, RunRole};
use record::{Hang, Record};
use text::SChar;

use crate::gbt9704 as gb;

/// Points per millimetre.
pub const MM: f32 = gb::pt(1.0);
/// A4 in pt (the exact MediaBox).
pub const PAGE_W: f32 = gb::pt(gb::PAPER_W);
pub const PAGE_H: f32 = gb::pt(gb::PAPER_H);
/// 订口 (left margin) and 天头 (top margin).
pub const LEFT: f32 = gb::pt(gb::LEFT);
pub const TOP: f32 = gb::pt(gb::TOP);
/// 版心 156 × 225 mm.
pub const WIDTH: f32 = gb::pt(gb::TYPE_W);
pub const HEIGHT: f32 = gb::pt(gb::TYPE_H);
/// Lines and characters of the grid.
pub const LINES: usize = gb::LINES;
pub const CHARS: usize = gb::CHARS;
/// Line pitch, 225 mm / 22.
pub const PITCH: f32 = gb::pt(gb::PITCH);
/// 3号 body size.
pub const BODY: f32 = gb::SIZE_3;
/// 2号 title size.
pub const TITLE: f32 = gb::SIZE_2;
/// 4号: 版记, page numbers, tables at most.
pub const SMALL: f32 = gb::SIZE_4;
/// Top of the em box relative to the baseline, in em (CJK ideographic em box).
const ASCENT: f32 = 0.88;

/// Width of one grid cell for text of `size` pt: 156 mm / 28 at 16 pt, proportionally
/// for other sizes (so 14 pt text keeps the same tracking).
pub fn cell(size: f32) -> f32 {
    WIDTH / CHARS as f32 * size / BODY
}

/// Options the IR does not carry.
#[derive(Debug, Clone, Default)]
pub struct LayoutOptions {
    /// Force the sealed (`Some(true)`) or unsealed signature layout; `None` follows the IR.
    pub sealed: Option<bool>,
    /// Size of the 发文机关标志 in pt; `None` chooses one from its length.
    pub mark_size: Option<f32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    Black,
    Red,
}

/// A glyph of a run, at `dx` pt from the run's x.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedGlyph {
    pub gid: u16,
    pub dx: f32,
    /// The glyph's own advance at the run's size, in pt.
    pub advance: f32,
    /// Byte range of the run's text this glyph stands for.
    pub range: Range<u32>,
}

/// Text in one face, size and colour, on one line.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    /// Grid line (0-based) when the run sits on the body grid.
    pub line: Option<u16>,
    pub x: f32,
    /// Baseline.
    pub y: f32,
    pub role: Role,
    pub face: FaceId,
    pub size: f32,
    pub color: Color,
    pub text: String,
    pub glyphs: Vec<PlacedGlyph>,
    /// Characters of this run not drawn from the role's face for the document's script
    /// (fallbacks and same-style substitutions, see [`Fallback`]).
    pub fallback: u32,
    /// A repetition for the reader only (a table's header rows on a continuation page): the
    /// PDF gives it an empty ActualText, so text extraction and search see the header once.
    pub artifact: bool,
    /// Extra spacing per gap of its justified line, in characters (negative: the line's marks
    /// were compressed instead); 0 for lines set at their natural width.
    pub stretch: f32,
}

/// A straight line (rules, table borders).
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub x1: f32,
    pub y1: f32,
    pub x2: f32,
    pub y2: f32,
    pub width: f32,
    pub color: Color,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Text(TextRun),
    Rule(Rule),
}

/// One page.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The sheet: A4 portrait, or A4 landscape for a 横排表格 page (see [`Page::landscape`]).
    pub width: f32,
    pub height: f32,
    /// The printed page number, if any.
    pub number: Option<u32>,
    pub items: Vec<Item>,
    /// The page number "— N —", below the page's type area.
    pub folio: Vec<TextRun>,
    /// What the page holds, for tests and the dump.
    pub kind: PageKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Body,
    Attachment,
    /// A blank page inserted so that the 版记 falls on an even page.
    Blank,
    /// A page holding only the 版记.
    Colophon,
}

/// Type-area geometry of a page (portrait or landscape).
#[derive(Debug, Clone, Copy)]
pub struct Area {
    pub left: f32,
    pub top: f32,
    pub width: f32,
    pub height: f32,
}

impl Area {
    pub const PORTRAIT: Area = Area {
        left: LEFT,
        top: TOP,
        width: WIDTH,
        height: HEIGHT,
    };
    /// A landscape page (横排表格): the portrait margins turned a quarter with the sheet, the
    /// portrait bottom margin on the left (see [`Page::landscape`]).
    pub const LANDSCAPE: Area = Area {
        left: gb::pt(gb::BOTTOM),
        top: gb::pt(gb::LEFT),
        width: HEIGHT,
        height: WIDTH,
    };
    pub fn bottom(&self) -> f32 {
        self.top + self.height
    }
    pub fn right(&self) -> f32 {
        self.left + self.width
    }
}

impl Page {
    /// A 横排表格 page (GB/T 9704 10.1): a landscape sheet, as Word and WPS print a landscape
    /// section and export it to PDF, so that the PDF, the OFD and the DOCX have the same pages
    /// and readers extract its text in reading order. The page number sits below the landscape
    /// type area, where the DOCX footer of a landscape section puts it.
    pub fn landscape(&self) -> bool {
        self.width > self.height
    }
    pub fn texts(&self) -> impl Iterator<Item = &TextRun> {
        self.items.iter().filter_map(|i| match i {
            Item::Text(t) => Some(t),
            _ => None,
        })
    }
    pub fn rules(&self) -> impl Iterator<Item = &Rule> {
        self.items.iter().filter_map(|i| match i {
            Item::Rule(r) => Some(r),
            _ => None,
        })
    }
}

/// The laid-out document.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub pages: Vec<Page>,
    /// Characters not set in their role's face for the document's script, by role and
    /// character.
    pub fallbacks: Vec<Fallback>,
    /// The decisions a backend that sets its own lines follows.
    pub record: Record,
    /// What the layout found in the input: warnings for width hints of table columns the
    /// content overrode ([`width_warnings`]), errors for a 版记 it cannot set
    /// ([`colophon`]; the render writes nothing then).
    pub findings: Vec<crate::diag::Diagnostic>,
}

/// The findings of [`Layout::findings`] without laying the pages out: the attachments' tables
/// are measured (shaped, sized, their columns' widths chosen) and the 版记 fitted as
/// [`layout`] does, so that `check` reports what `render` would.
pub fn findings(doc: &Document, fonts: &FontSet) -> Vec<crate::diag::Diagnostic> {
    let ctx = Ctx {
        fonts,
        trad: doc.meta.script.is_traditional(),
    };
    let tables = doc
        .attachments
        .iter()
        .flat_map(|att| width_warnings(att, &measure_tables(&ctx, att)));
    let mut out: Vec<_> = tables.collect();
    if let Some(col) = &doc.colophon {
        colophon(&ctx, col, &mut out);
    }
    out
}

/// Each table of the attachment, measured with what shares its pages, in order.
fn measure_tables<'a>(ctx: &Ctx<'a>, att: &'a ir::Attachment) -> Vec<table::TableLayout<'a>> {
    // A table too wide for portrait turns the attachment's pages to landscape. Each is
    // measured with what shares its pages, so that its size is chosen for the pages they take
    // together.
    let surround =
        |k: usize| [Area::PORTRAIT, Area::LANDSCAPE].map(|area| surround(ctx, att, k, area.width));
    att.content
        .iter()
        .enumerate()
        .filter_map(|(k, b)| match b {
            AttachmentBlock::Table(t) => Some(table::measure(ctx.fonts, ctx.trad, t, surround(k))),
            _ => None,
        })
        .collect()
}

/// A 警告 for each column width hint a measured table of `att` could not follow, at the
/// hint's place in the YAML: “列宽 1 份（约 5%）容不下“（10分）”，已加宽到 9%”.
fn width_warnings(
    att: &ir::Attachment,
    tables: &[table::TableLayout],
) -> Vec<crate::diag::Diagnostic> {
    let irs = att.content.iter().filter_map(|b| match b {
        AttachmentBlock::Table(t) => Some(t),
        _ => None,
    });
    // Whole percents, or tenths when the two would read the same (8% → 8%).
    let pct = |f: f32, tenths: bool| {
        let p = f * 100.0;
        if tenths {
            format!("{p:.1}%")
        } else {
            format!("{:.0}%", p.max(1.0))
        }
    };
    let mut out = Vec::new();
    for (t, laid) in irs.zip(tables) {
        for note in &laid.width_notes {
            let place = t.columns.get(note.col).and_then(|c| c.hint_at.clone());
            let (pos, field) = place.map(|p| (p.pos, p.field)).unwrap_or_default();
            let tenths = format!("{:.0}", note.share * 100.0) == format!("{:.0}", note.got * 100.0);
            let hint = if note.hint.fract() == 0.0 {
                format!("{:.0}", note.hint)
            } else {
                format!("{}", note.hint)
            };
            let asked = if note.percent {
                format!("列宽 {hint}（即表宽的 {}）", pct(note.share, tenths))
            } else {
                format!("列宽 {hint} 份（约 {}）", pct(note.share, tenths))
            };
            let message = if note.raised {
                let unit = match &note.unit {
                    Some(u) => format!("“{u}”"),
                    None => "本列最长的一段文字".to_string(),
                };
                format!("{asked}容不下{unit}，已加宽到 {}", pct(note.got, tenths))
            } else {
                format!("{asked}因其他列须加宽，已收窄到 {}", pct(note.got, tenths))
            };
            out.push(crate::diag::Diagnostic::warning(pos, field, message));
        }
    }
    out
}

/// A character its role's face for the document's script lacks, and how often it is set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fallback {
    pub role: Role,
    pub ch: char,
    pub count: u32,
    /// Full name of the face that sets it (None: no face has it, a .notdef box is drawn).
    pub face: Option<String>,
    /// That face is the role's face for the other script, the same style (啓 from the
    /// simplified 仿宋 in a traditional document); otherwise another style or none (.notdef).
    pub same_style: bool,
}

/// Every character of `pages` not set in its role's face for the script, in role and
/// character order. Only runs that counted one are read again.
fn fallbacks(ctx: &Ctx, pages: &[Page]) -> Vec<Fallback> {
    let mut by_char: BTreeMap<(Role, char), Fallback> = BTreeMap::new();
    for t in pages.iter().flat_map(|p| p.texts().chain(&p.folio)) {
        if t.fallback == 0 {
            continue;
        }
        for ch in t.text.chars().filter(|c| !c.is_whitespace()) {
            let g = ctx.fonts.glyph(t.role, ch, ctx.trad);
            if !(g.fallback || g.same_style) {
                continue;
            }
            by_char
                .entry((t.role, ch))
                .or_insert_with(|| Fallback {
                    role: t.role,
                    ch,
                    count: 0,
                    face: (g.gid != 0).then(|| ctx.fonts.face(g.face).name.clone()),
                    same_style: g.same_style,
                })
                .count += 1;
        }
    }
    by_char.into_values().collect()
}

/// What `render` tells the user about `fallbacks`: one line per role and face that sets
/// characters the role's face lacks (the same-style face, a fallback face, or none), each
/// character with its count.
pub fn fallback_report(fallbacks: &[Fallback]) -> Vec<String> {
    let mut groups: BTreeMap<(Role, bool, Option<&str>), Vec<&Fallback>> = BTreeMap::new();
    for f in fallbacks {
        groups
            .entry((f.role, !f.same_style, f.face.as_deref()))
            .or_default()
            .push(f);
    }
    groups
        .into_iter()
        .map(|((role, other_style, face), group)| {
            let total: u32 = group.iter().map(|f| f.count).sum();
            let list: Vec<String> = group.iter().map(|f| format!("{} ×{}", f.ch, f.count)).collect();
            let (list, role, n) = (list.join("、"), role.zh(), group.len());
            match (other_style, face) {
                (false, Some(face)) => format!(
                    "提示：{role}字体缺 {n} 个字（共 {total} 处），取自同风格的 {face}：{list}"
                ),
                (true, Some(face)) => format!(
                    "提示：{role}字体缺 {n} 个字（共 {total} 处），改用后备字体 {face}：{list}。如需统一字形，请用 --fonts 指定含这些字的{role}字体"
                ),
                (_, None) => format!(
                    "提示：{role}有 {n} 个字（共 {total} 处）所有字体都没有，显示为空框：{list}。请用 --fonts 指定含这些字的{role}字体"
                ),
            }
        })
        .collect()
}

/// How a table was set; the DOCX copies it so both files set the table alike.
#[derive(Debug, Clone, PartialEq)]
pub struct TableGeometry {
    /// Set on landscape pages.
    pub landscape: bool,
    /// Text size in pt.
    pub size: f32,
    /// Column widths in pt; they add up to the table's width.
    pub widths: Vec<f32>,
    /// Cell padding, horizontal and vertical, the height of a text line and the width of
    /// the borders (counted inside each row's height), in pt.
    pub pad_h: f32,
    pub pad_v: f32,
    pub line: f32,
    pub border: f32,
    /// Each cell's lines as broken: header rows then body rows, each row's cells in the IR's
    /// order (the DOCX writes them with line breaks, so that a word processor wraps no cell
    /// otherwise and sets every row as tall as the PDF does). No lines: the cell is set on
    /// one line exactly as its text reads.
    pub lines: Vec<Vec<Vec<String>>>,
    /// Each row's height in pt (borders counted in), header rows then body rows: the DOCX
    /// holds its rows at least this tall, so that a word processor sets no table shorter.
    pub heights: Vec<f32>,
    /// The last row goes to the page of the paragraph after it (the table's note), as the
    /// layout placed it (a page holds the header, the last rows and the note).
    pub keep_with_next: bool,
}

/// Baseline of text of `size` centred on grid line `k` of the portrait type area.
pub fn baseline(k: usize, size: f32) -> f32 {
    TOP + k as f32 * PITCH + (PITCH - size) / 2.0 + ASCENT * size
}

fn run_role(role: RunRole) -> Role {
    match role {
        RunRole::Body => Role::Fangsong,
        RunRole::Heading(1) => Role::Heiti,
        RunRole::Heading(2) => Role::Kaiti,
        RunRole::Heading(_) => Role::Fangsong,
    }
}

fn heading_role(level: u8) -> Role {
    run_role(RunRole::Heading(level))
}

/// A line of the grid flow: its runs are positioned as if on grid line 0 of a page.
#[derive(Debug, Clone, Default)]
struct FlowLine {
    runs: Vec<TextRun>,
    /// This line must not end a page (a heading; the lines tied to the signature).
    keep_with_next: bool,
    blank: bool,
}

impl FlowLine {
    fn blank(keep_with_next: bool) -> FlowLine {
        FlowLine {
            runs: Vec::new(),
            keep_with_next,
            blank: true,
        }
    }
}

struct Ctx<'a> {
    fonts: &'a FontSet,
    trad: bool,
}

impl Ctx<'_> {
    fn shape(&self, pieces: &[(&str, Role)], size: f32, color: Color) -> Vec<SChar> {
        text::shape(self.fonts, pieces, size, self.trad, color)
    }

    /// A paragraph on the grid: `first` and `rest` are the left indents in cells.
    fn paragraph(&self, chars: &[SChar], first: f32, rest: f32, justify: bool) -> Vec<FlowLine> {
        let c = cell(BODY);
        let measure = |n: usize| WIDTH - c * if n == 0 { first } else { rest };
        let spans = text::fit(chars, measure(0), measure(1));
        let count = spans.len();
        spans
            .iter()
            .enumerate()
            .map(|(n, span)| {
                let last = n + 1 == count;
                let indent = c * if n == 0 { first } else { rest };
                FlowLine {
                    runs: set_line(
                        &chars[span.start..span.end],
                        &text::place(chars, span, measure(n), justify && !last),
                        LEFT + indent,
                        baseline(0, BODY),
                        BODY,
                        Some(0),
                    ),
                    keep_with_next: false,
                    blank: false,
                }
            })
            .collect()
    }

    /// A single line placed at `x` (pt from the type-area left) on the grid.
    fn line_at(&self, chars: &[SChar], x: f32, size: f32) -> FlowLine {
        let xs = text::natural(chars);
        FlowLine {
            runs: text::runs(chars, &xs, LEFT + x, baseline(0, size), size, Some(0)).collect(),
            keep_with_next: false,
            blank: false,
        }
    }
}

/// The runs of a placed line, each carrying the line's stretch.
fn set_line(
    chars: &[SChar],
    placed: &text::Placed,
    x0: f32,
    y: f32,
    size: f32,
    line: Option<u16>,
) -> Vec<TextRun> {
    text::runs(chars, &placed.xs, x0, y, size, line)
        .map(|r| TextRun {
            stretch: placed.extra / size,
            ..r
        })
        .collect()
}

fn width(chars: &[SChar]) -> f32 {
    chars.iter().map(|c| c.w).sum()
}

/// Move runs placed on grid line 0 of the portrait area to line `k` on the same page.
fn to_line(mut runs: Vec<TextRun>, k: usize) -> Vec<TextRun> {
    for r in &mut runs {
        r.y += k as f32 * PITCH;
        r.line = Some(k as u16);
    }
    runs
}

/// Lay out a document.
pub fn layout(doc: &Document, fonts: &FontSet, opts: &LayoutOptions) -> Layout {
    let ctx = Ctx {
        fonts,
        trad: doc.meta.script.is_traditional(),
    };
    let mut pages: Vec<Page> = Vec::new();
    let mut rec = Record::default();
    let mut findings = Vec::new();

    // --- page 1: 版头 (absolute) and the line where the grid flow starts.
    let (head_items, first_line) = header(&ctx, doc, opts, &mut rec);
    rec.title_line = first_line;

    // --- the grid flow: title, 主送机关, body, 附件说明, signature, 附注.
    let flow = body_flow(&ctx, doc, opts, &mut rec);
    let mut page_lines = paginate(flow, first_line);
    if page_lines.is_empty() {
        page_lines.push(Vec::new());
    }
    for (i, lines) in page_lines.into_iter().enumerate() {
        let mut items = if i == 0 {
            head_items.clone()
        } else {
            Vec::new()
        };
        let start = if i == 0 { first_line } else { 0 };
        for (k, line) in lines.into_iter().enumerate() {
            items.extend(to_line(line.runs, start + k).into_iter().map(Item::Text));
        }
        pages.push(Page {
            width: PAGE_W,
            height: PAGE_H,
            number: None,
            items,
            folio: Vec::new(),
            kind: PageKind::Body,
        });
    }
    // Where the last body page's content ends (for the 版记).
    let mut last_bottom = last_text_bottom(pages.last().expect("a page"));

    // --- attachments, each from a new page.
    for att in &doc.attachments {
        let (att_pages, bottom, title, paragraphs) =
            attachment(&ctx, att, &mut rec.tables, &mut findings);
        rec.attachments.push(record::AttachmentRecord {
            page: pages.len() + 1,
            landscape: att_pages[0].landscape(),
            title,
            paragraphs,
        });
        pages.extend(att_pages);
        last_bottom = bottom;
    }

    // --- 版记 on an even page, its last rule on the type-area bottom.
    let mut unnumbered = Vec::new();
    if let Some(col) = &doc.colophon {
        let (items, height, mut placed) = colophon(&ctx, col, &mut findings);
        let last = pages.len();
        let fits = last_bottom + PITCH * 0.5 + height <= TOP + HEIGHT + 0.01
            && !pages[last - 1].landscape();
        placed.own_page = !(last.is_multiple_of(2) && fits);
        placed.blank_before = placed.own_page && last.is_multiple_of(2);
        placed.page = last + usize::from(placed.own_page) + usize::from(placed.blank_before);
        let used = ((last_bottom - TOP) / PITCH - 0.01).ceil().max(0.0) as usize;
        if placed.own_page {
            placed.gap = placed.first_line;
        } else {
            placed.gap = placed.first_line.saturating_sub(used);
            placed.off_grid = (TOP + used as f32 * PITCH - last_bottom).max(0.0);
        }
        rec.colophon = Some(placed);
        if last.is_multiple_of(2) && fits {
            pages[last - 1].items.extend(items);
        } else {
            if last.is_multiple_of(2) {
                pages.push(Page {
                    width: PAGE_W,
                    height: PAGE_H,
                    number: None,
                    items: Vec::new(),
                    folio: Vec::new(),
                    kind: PageKind::Blank,
                });
                unnumbered.push(pages.len() - 1);
                unnumbered.push(pages.len());
            }
            pages.push(Page {
                width: PAGE_W,
                height: PAGE_H,
                number: None,
                items,
                folio: Vec::new(),
                kind: PageKind::Colophon,
            });
        }
    }

    // --- page numbers.
    for (i, page) in pages.iter_mut().enumerate() {
        // Kept until every writer is done: the slack of growing (a third of a table page's
        // item list) goes back. Runs are made to size (text::runs).
        page.items.shrink_to_fit();
        if unnumbered.contains(&i) {
            continue;
        }
        let n = i as u32 + 1;
        page.number = Some(n);
        let area = if page.landscape() {
            Area::LANDSCAPE
        } else {
            Area::PORTRAIT
        };
        page.folio = page_number(&ctx, n, area);
    }

    let fallbacks = fallbacks(&ctx, &pages);
    rec.page_numbers = pages.iter().map(|p| p.number).collect();
    rec.sections = sections(&pages, rec.colophon.as_ref());
    Layout {
        pages,
        fallbacks,
        record: rec,
        findings,
    }
}

/// Runs of pages of one orientation; the 版记's own page starts one on an even page.
fn sections(pages: &[Page], colophon: Option<&record::ColophonRecord>) -> Vec<record::Section> {
    use record::{Section, Start};
    let own = colophon.filter(|c| c.own_page).map(|c| c.page);
    let mut out: Vec<Section> = Vec::new();
    for (i, p) in pages.iter().enumerate() {
        let page = i + 1;
        let landscape = p.landscape();
        let start = match out.last() {
            None => Start::Document,
            Some(_) if Some(page) == own => Start::EvenPage,
            Some(s) if s.landscape != landscape => Start::NextPage,
            Some(_) => continue,
        };
        if p.kind == PageKind::Blank {
            // The page an even-page start leaves blank belongs to the section before.
            continue;
        }
        out.push(Section {
            page,
            landscape,
            start,
        });
    }
    out
}

fn last_text_bottom(page: &Page) -> f32 {
    page.items
        .iter()
        .map(|i| match i {
            Item::Text(t) => t.y + (1.0 - ASCENT) * t.size + (PITCH - t.size) / 2.0,
            Item::Rule(r) => r.y1.max(r.y2),
        })
        .fold(TOP, f32::max)
}

/// The 版头 items of page 1 and the grid line where the title goes.
fn header(ctx: &Ctx, doc: &Document, opts: &LayoutOptions, rec: &mut Record) -> (Vec<Item>, usize) {
    let h = &doc.header;
    let mut items = Vec::new();
    let mut line = 0usize;
    for (text, role) in [
        (&h.copy_number, Role::Fangsong),
        (&h.secrecy, Role::Heiti),
        (&h.urgency, Role::Heiti),
    ] {
        if let Some(t) = text {
            let chars = ctx.shape(&[(t, role)], BODY, Color::Black);
            items.extend(
                to_line(ctx.line_at(&chars, 0.0, BODY).runs, line)
                    .into_iter()
                    .map(Item::Text),
            );
            line += 1;
        }
    }
    let Some(mark) = &h.issuer_mark else {
        if let Some(num) = &h.doc_number {
            // No 版头 mark: 发文字号 centred on the first free line.
            let chars = ctx.shape(&[(num, Role::Fangsong)], BODY, Color::Black);
            let x = (WIDTH - width(&chars)) / 2.0;
            items.extend(
                to_line(ctx.line_at(&chars, x, BODY).runs, line)
                    .into_iter()
                    .map(Item::Text),
            );
            rec.doc_number_line = Some(line);
            line += 2;
        }
        return (items, line);
    };
    // 发文机关标志: red 小标宋, upper edge 35 mm below the type-area top, letter-spaced.
    let n = mark.chars().count().max(1) as f32;
    let size = opts
        .mark_size
        .unwrap_or_else(|| (WIDTH * 0.88 / n).clamp(22.0, 36.0))
        .min(WIDTH / n);
    let chars = ctx.shape(&[(mark, Role::Xiaobiaosong)], size, Color::Red);
    let natural: f32 = chars.iter().map(|c| c.glyph.advance * size).sum();
    // A short mark is spread to a balanced width, at most one character of spacing.
    let target = natural.clamp(WIDTH * 0.62, WIDTH);
    let gap = if chars.len() > 1 {
        ((target - natural) / (chars.len() - 1) as f32).clamp(0.0, size)
    } else {
        0.0
    };
    let mut xs = Vec::new();
    let mut x = 0.0;
    for c in &chars {
        xs.push(x);
        x += c.glyph.advance * size + gap;
    }
    let mark_w = x - gap;
    let mark_top = TOP + gb::pt(gb::MARK_TOP);
    let mark_base = mark_top + ASCENT * size;
    items.extend(
        text::runs(
            &chars,
            &xs,
            LEFT + (WIDTH - mark_w) / 2.0,
            mark_base,
            size,
            None,
        )
        .map(Item::Text),
    );
    let mark_bottom = mark_top + size;
    // 发文字号 two blank lines below the mark.
    let mark_last_line = ((mark_bottom - TOP) / PITCH).ceil() as usize;
    let num_line = mark_last_line + 2;
    rec.mark = Some(record::Mark {
        size,
        tracking: gap,
        top: mark_top - TOP,
        lines: mark_last_line,
    });
    rec.doc_number_line = h.doc_number.as_ref().map(|_| num_line);
    if let Some(num) = &h.doc_number {
        let chars = ctx.shape(&[(num, Role::Fangsong)], BODY, Color::Black);
        let x = (WIDTH - width(&chars)) / 2.0;
        items.extend(
            to_line(ctx.line_at(&chars, x, BODY).runs, num_line)
                .into_iter()
                .map(Item::Text),
        );
    }
    // The red rule 4 mm below the 发文字号.
    let num_bottom = baseline(num_line, BODY) + (1.0 - ASCENT) * BODY;
    let rule_y = num_bottom + gb::pt(gb::RED_RULE_GAP);
    items.push(Item::Rule(Rule {
        x1: LEFT,
        y1: rule_y,
        x2: LEFT + WIDTH,
        y2: rule_y,
        width: gb::pt(gb::RED_RULE_W),
        color: Color::Red,
    }));
    // Title two lines below the rule.
    let title_line = ((rule_y - TOP) / PITCH).ceil() as usize + 1;
    (items, title_line)
}

/// Title lines (22 pt 小标宋, centred, wrapped into a balanced shape), each on a grid line,
/// and their texts.
fn title_lines(ctx: &Ctx, title: &str, measure: f32) -> (Vec<FlowLine>, Vec<String>) {
    let chars = ctx.shape(&[(title, Role::Xiaobiaosong)], TITLE, Color::Black);
    let max = (measure / cell(TITLE)).floor().min(20.0) * cell(TITLE);
    text::wrap_title(&chars, max)
        .iter()
        .map(|span| {
            let part = &chars[span.start..span.end];
            let x = (measure - span.width) / 2.0;
            let mut l = ctx.line_at(part, x, TITLE);
            l.keep_with_next = true;
            (l, part.iter().map(|c| c.ch).collect::<String>())
        })
        .unzip()
}

fn body_flow(ctx: &Ctx, doc: &Document, opts: &LayoutOptions, rec: &mut Record) -> Vec<FlowLine> {
    let (mut flow, title) = title_lines(ctx, &doc.title, WIDTH);
    rec.title = title;
    if let Some(r) = &doc.recipients {
        flow.push(FlowLine::blank(true));
        let text = format!("{r}：");
        let chars = ctx.shape(&[(&text, Role::Fangsong)], BODY, Color::Black);
        flow.extend(ctx.paragraph(&chars, 0.0, 0.0, true));
    }
    for block in &doc.body {
        match block {
            Block::Heading { level, text } => {
                let chars = ctx.shape(&[(text, heading_role(*level))], BODY, Color::Black);
                for mut l in ctx.paragraph(&chars, 2.0, 0.0, true) {
                    l.keep_with_next = true;
                    flow.push(l);
                }
            }
            Block::Paragraph { runs } => {
                let pieces: Vec<(&str, Role)> = runs
                    .iter()
                    .map(|r| (r.text.as_str(), run_role(r.role)))
                    .collect();
                let chars = ctx.shape(&pieces, BODY, Color::Black);
                flow.extend(ctx.paragraph(&chars, 2.0, 0.0, true));
            }
        }
    }
    // The last lines of the body stay with what follows them (附件说明, signature), so the
    // signature never stands alone on a page.
    let has_tail = !doc.attachment_note.is_empty() || doc.signature.is_some();
    if has_tail {
        let body_lines = flow.len();
        for l in flow.iter_mut().skip(body_lines.saturating_sub(2)) {
            l.keep_with_next = true;
        }
    }
    // 附件说明: "附件：1．名称", continuation lines aligned with the name.
    if !doc.attachment_note.is_empty() {
        flow.push(FlowLine::blank(true));
        let many = doc.attachment_note.len() > 1;
        let label = ctx.shape(&[("附件：", Role::Fangsong)], BODY, Color::Black);
        let label_cells = width(&label) / cell(BODY);
        for (i, name) in doc.attachment_note.iter().enumerate() {
            let prefix = if many {
                format!("{}．", i + 1)
            } else {
                String::new()
            };
            let pchars = ctx.shape(&[(&prefix, Role::Fangsong)], BODY, Color::Black);
            let pcells = width(&pchars) / cell(BODY);
            let mut chars = if i == 0 { label.clone() } else { Vec::new() };
            chars.extend(pchars);
            chars.extend(ctx.shape(&[(name, Role::Fangsong)], BODY, Color::Black));
            let first = if i == 0 { 2.0 } else { 2.0 + label_cells };
            let rest = 2.0 + label_cells + pcells;
            rec.attachment_note.push(Hang {
                first: first * cell(BODY),
                rest: rest * cell(BODY),
            });
            for mut l in ctx.paragraph(&chars, first, rest, true) {
                l.keep_with_next = true;
                flow.push(l);
            }
        }
    }
    if let Some(sig) = &doc.signature {
        flow.push(FlowLine::blank(true));
        let sealed = opts.sealed.unwrap_or(sig.sealed);
        let c = cell(BODY);
        let s = ctx.shape(&[(&sig.issuer, Role::Fangsong)], BODY, Color::Black);
        let d = ctx.shape(&[(&sig.date, Role::Fangsong)], BODY, Color::Black);
        let dw = width(&d);
        // A name longer than what a line holds before its 右空二字 is set on several lines,
        // each ending there (GB/T 9704 7.3.5.2 sets joint issuers' names one under another).
        let avail = WIDTH - 2.0 * c;
        let spans = signature_lines(&s, avail);
        let sw = spans.iter().map(|l| l.width).fold(0.0, f32::max);
        let (sx, dx) = if sealed {
            // 成文日期右空四字, 署名 centred over it.
            let dx = WIDTH - 4.0 * c - dw;
            (dx + (dw - sw) / 2.0, dx)
        } else {
            // 署名右空二字; the date starts two characters right of the signature.
            let sx = WIDTH - 2.0 * c - sw;
            let dx = sx + 2.0 * c;
            if dx + dw > WIDTH - 2.0 * c + 0.01 {
                let dx = WIDTH - 2.0 * c - dw;
                (dx - 2.0 * c, dx)
            } else {
                (sx, dx)
            }
        };
        // One line starts at sx; the lines of a long name each end where the longest does.
        let lines: Vec<(String, f32)> = spans
            .iter()
            .map(|l| {
                let text: String = s[l.start..l.end].iter().map(|c| c.ch).collect();
                let text = text.trim_end().to_string();
                let x = if spans.len() == 1 {
                    sx
                } else {
                    sx + sw - l.width
                };
                (text, x.max(0.0))
            })
            .collect();
        for (span, (_, x)) in spans.iter().zip(&lines) {
            let mut l = ctx.line_at(&s[span.start..span.end], *x, BODY);
            l.keep_with_next = true;
            flow.push(l);
        }
        rec.signature = Some(record::Signature {
            sealed,
            issuer: lines,
            date_x: dx.max(0.0),
            blank_lines: 1,
        });
        let mut l = ctx.line_at(&d, dx.max(0.0), BODY);
        l.keep_with_next = doc.note.is_some();
        flow.push(l);
    }
    if let Some(note) = &doc.note {
        if doc.signature.is_none() {
            flow.push(FlowLine::blank(true));
        }
        let chars = ctx.shape(&[(note, Role::Fangsong)], BODY, Color::Black);
        rec.note = Some(Hang {
            first: 2.0 * cell(BODY),
            rest: 0.0,
        });
        flow.extend(ctx.paragraph(&chars, 2.0, 0.0, true));
    }
    flow
}

/// The lines of a 署名 `avail` wide at most: one when it fits; else one a name when it is
/// several names apart by spaces (a joint issue typed on one line) that each fit; else as
/// many full lines as it takes.
fn signature_lines(s: &[SChar], avail: f32) -> Vec<text::LineSpan> {
    let all = text::break_lines(s, |_| avail);
    if all.len() <= 1 {
        return all;
    }
    let mut names = Vec::new();
    let mut start = 0;
    for i in 0..=s.len() {
        if i == s.len() || s[i].ch.is_whitespace() {
            if i > start {
                names.push(text::span(s, start, i));
            }
            start = i + 1;
        }
    }
    if names.iter().all(|n| n.width <= avail + 0.01) {
        names
    } else {
        all
    }
}

/// Distribute grid lines over pages: 22 a page (page 1 from `first_line`); a line marked
/// keep-with-next never ends a page; a blank line never starts one.
fn paginate(flow: Vec<FlowLine>, first_line: usize) -> Vec<Vec<FlowLine>> {
    let mut pages: Vec<Vec<FlowLine>> = Vec::new();
    let mut cur: Vec<FlowLine> = Vec::new();
    let cap = |pages: &Vec<Vec<FlowLine>>| {
        if pages.is_empty() {
            LINES.saturating_sub(first_line).max(1)
        } else {
            LINES
        }
    };
    for line in flow {
        if cur.is_empty() && line.blank && !pages.is_empty() {
            continue;
        }
        if cur.len() >= cap(&pages) {
            // Carry the keep-with-next tail of the full page over to the next one.
            let mut k = cur.len();
            while k > 0 && cur[k - 1].keep_with_next {
                k -= 1;
            }
            // Never move a whole page (or leave page 1 without body text).
            let carry = if k == 0 || (pages.is_empty() && k <= 1) {
                Vec::new()
            } else {
                cur.split_off(k)
            };
            pages.push(std::mem::take(&mut cur));
            cur = carry.into_iter().skip_while(|l| l.blank).collect();
        }
        if cur.is_empty() && line.blank && !pages.is_empty() {
            continue;
        }
        cur.push(line);
    }
    if !cur.is_empty() {
        pages.push(cur);
    }
    pages
}

/// Grid line (0-based) of an attachment's first page where its title starts.
const ATTACHMENT_TITLE_LINE: usize = 2;

/// Attachment pages: "附件N" on line 1, the title on line 3, then paragraphs and tables, whose
/// geometry is added to `geometry`.
fn attachment(
    ctx: &Ctx,
    att: &ir::Attachment,
    geometry: &mut Vec<TableGeometry>,
    warnings: &mut Vec<crate::diag::Diagnostic>,
) -> (Vec<Page>, f32, Vec<String>, Vec<record::ParagraphRecord>) {
    // A table too wide for portrait turns the attachment's pages to landscape.
    let tables = measure_tables(ctx, att);
    warnings.extend(width_warnings(att, &tables));
    let landscape = tables.iter().any(|t| t.landscape);
    let area = if landscape {
        Area::LANDSCAPE
    } else {
        Area::PORTRAIT
    };
    let (pw, ph) = if landscape {
        (PAGE_H, PAGE_W)
    } else {
        (PAGE_W, PAGE_H)
    };
    let new_page = || Page {
        width: pw,
        height: ph,
        number: None,
        items: Vec::new(),
        folio: Vec::new(),
        kind: PageKind::Attachment,
    };
    let mut pages = vec![new_page()];
    let dy = area.top - TOP;
    let dx = area.left - LEFT;
    let shift = |runs: Vec<TextRun>, k: usize| -> Vec<Item> {
        to_line(runs, k)
            .into_iter()
            .map(|mut r| {
                r.x += dx;
                r.y += dy;
                if area.top != TOP {
                    r.line = None;
                }
                Item::Text(r)
            })
            .collect()
    };
    let lines_per_page = (area.height / PITCH).floor() as usize;
    // Label, line 1.
    let label = ctx.shape(&[(&att.label, Role::Heiti)], BODY, Color::Black);
    pages[0]
        .items
        .extend(shift(ctx.line_at(&label, 0.0, BODY).runs, 0));
    // Title from line 3.
    let mut line = ATTACHMENT_TITLE_LINE;
    let (lines, title) = title_lines(ctx, &att.title, area.width);
    for l in lines {
        pages[0].items.extend(shift(l.runs, line));
        line += 1;
    }
    line += 1;
    let mut y = area.top + line as f32 * PITCH;
    let mut tables = tables.into_iter();
    let mut note_hang = 0.0;
    let mut paragraphs = Vec::new();
    for (b, block) in att.content.iter().enumerate() {
        match block {
            AttachmentBlock::Paragraph { text: t, align } => {
                let mut k = ((next_grid_line(area, y) - area.top) / PITCH).round() as usize;
                let p = AttParagraph::set(ctx, t, *align, area.width, &mut note_hang);
                let (chars, spans) = (&p.chars, &p.spans);
                let record::Hang { first, rest } = p.hang;
                paragraphs.push(record::ParagraphRecord {
                    hang: p.hang,
                    keep_with_next: in_note(att, b + 1),
                });
                let justify = *align == ir::Align::Justify;
                let count = spans.len();
                for (n, span) in spans.iter().enumerate() {
                    if k >= lines_per_page {
                        pages.push(new_page());
                        k = 0;
                    }
                    let indent = if n == 0 { first } else { rest };
                    let x = indent
                        + match align {
                            ir::Align::Left | ir::Align::Justify => 0.0,
                            ir::Align::Center => (area.width - span.width) / 2.0,
                            ir::Align::Right => area.width - span.width,
                        };
                    let measure = area.width - indent;
                    let placed = text::place(chars, span, measure, justify && n + 1 < count);
                    let part = &chars[span.start..span.end];
                    let runs = set_line(part, &placed, LEFT + x, baseline(0, BODY), BODY, Some(0));
                    let page = pages.last_mut().expect("a page");
                    page.items.extend(shift(runs, k));
                    k += 1;
                }
                y = area.top + k as f32 * PITCH;
            }
            AttachmentBlock::Table(_) => {
                let t = tables.next().expect("measured table");
                // The note under a table goes with its last rows to the page it starts on.
                let note = note_height(ctx, att, b + 1, area.width);
                let (below, g) = table::place(t, &mut pages, &new_page, area, y, note);
                y = below;
                geometry.push(g);
            }
        }
    }
    (pages, y, title, paragraphs)
}

/// An attachment's paragraph, broken for its width: a note hangs after 注：, its numbered
/// items (2.…) under the first.
struct AttParagraph {
    chars: Vec<text::SChar>,
    spans: Vec<text::LineSpan>,
    hang: record::Hang,
}

impl AttParagraph {
    /// `note_hang`: the hang of the note this paragraph may continue (0 when none); updated.
    fn set(ctx: &Ctx, t: &str, align: ir::Align, width: f32, note_hang: &mut f32) -> Self {
        let chars = ctx.shape(&[(t, Role::Fangsong)], BODY, Color::Black);
        let (first, rest) = if t.starts_with(NOTE) {
            *note_hang = self::width(&chars[..NOTE.chars().count()]);
            (0.0, *note_hang)
        } else if *note_hang > 0.0 && t.starts_with(|c: char| c.is_ascii_digit()) {
            (*note_hang, *note_hang)
        } else {
            *note_hang = 0.0;
            (0.0, 0.0)
        };
        let spans = if align == ir::Align::Justify {
            text::fit(&chars, width - first, width - rest)
        } else {
            text::break_lines(&chars, |_| width)
        };
        AttParagraph {
            chars,
            spans,
            hang: record::Hang { first, rest },
        }
    }
}

/// The first grid line of `area` at or below `y` (text after a table snaps to the grid).
fn next_grid_line(area: Area, y: f32) -> f32 {
    area.top + ((y - area.top) / PITCH - 0.01).ceil().max(0.0) * PITCH
}

/// What opens a table's note.
const NOTE: &str = "注：";

/// Block `b` of the attachment continues a note: a numbered item (2.…) after the paragraph
/// that opens it with 注： or after another item.
fn in_note(att: &ir::Attachment, b: usize) -> bool {
    let text = |i: usize| match att.content.get(i) {
        Some(AttachmentBlock::Paragraph { text, .. }) => Some(text.as_str()),
        _ => None,
    };
    let Some(t) = text(b) else {
        return false;
    };
    if !t.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    (0..b)
        .rev()
        .map_while(text)
        .find(|t| !t.starts_with(|c: char| c.is_ascii_digit()))
        .is_some_and(|t| t.starts_with(NOTE))
}

/// Height of the note that starts at block `b` (注： and its numbered items), `width` wide;
/// 0 when block `b` does not open one.
fn note_height(ctx: &Ctx, att: &ir::Attachment, b: usize, width: f32) -> f32 {
    let mut hang = 0.0;
    let mut lines = 0;
    for (i, block) in att.content.iter().enumerate().skip(b) {
        let AttachmentBlock::Paragraph { text, align } = block else {
            break;
        };
        if !(i == b && text.starts_with(NOTE) || i > b && in_note(att, i)) {
            break;
        }
        lines += AttParagraph::set(ctx, text, *align, width, &mut hang)
            .spans
            .len();
    }
    lines as f32 * PITCH
}

/// What shares the pages of the table at block `k` of the attachment, `width` wide: above it
/// on its first page (for the first table: the label, the title and the paragraphs before it),
/// below it on its last (its note).
fn surround(ctx: &Ctx, att: &ir::Attachment, k: usize, width: f32) -> table::Surround {
    let first_table = !att.content[..k]
        .iter()
        .any(|b| matches!(b, AttachmentBlock::Table(_)));
    let above = if first_table {
        let (title, _) = title_lines(ctx, &att.title, width);
        let mut hang = 0.0;
        let before: usize = att.content[..k]
            .iter()
            .map(|b| match b {
                AttachmentBlock::Paragraph { text, align } => {
                    AttParagraph::set(ctx, text, *align, width, &mut hang)
                        .spans
                        .len()
                }
                AttachmentBlock::Table(_) => 0,
            })
            .sum();
        (ATTACHMENT_TITLE_LINE + title.len() + 1 + before) as f32 * PITCH
    } else {
        0.0
    };
    table::Surround {
        above,
        below: note_height(ctx, att, k + 1, width),
    }
}

/// The 版记 items (positioned on a portrait page), the height they take, and their record
/// (its page still to be decided). What keeps it from being set as GB/T 9704 asks goes to
/// `findings` as errors at the YAML's place: a 抄送 list longer than a page (set from the
/// page's first line down, its overflow cut), a 印发机关 that runs into the 印发日期; the
/// render writes nothing then.
fn colophon(
    ctx: &Ctx,
    col: &ir::Colophon,
    findings: &mut Vec<crate::diag::Diagnostic>,
) -> (Vec<Item>, f32, record::ColophonRecord) {
    let c = cell(SMALL);
    let bottom = TOP + HEIGHT;
    let at =
        |place: &Option<ir::HintPlace>| place.clone().map(|p| (p.pos, p.field)).unwrap_or_default();
    let mut lines: Vec<Vec<TextRun>> = Vec::new();
    let mut cc_hang = None;
    if let Some(cc) = &col.cc {
        let label = ctx.shape(&[("抄送：", Role::Fangsong)], SMALL, Color::Black);
        let hang = width(&label);
        cc_hang = Some(Hang {
            first: c,
            rest: c + hang,
        });
        let mut chars = label;
        chars.extend(ctx.shape(&[(&format!("{cc}。"), Role::Fangsong)], SMALL, Color::Black));
        let measure = |n: usize| WIDTH - 2.0 * c - if n == 0 { 0.0 } else { hang };
        let spans = text::fit(&chars, measure(0), measure(1));
        let count = spans.len();
        if count + 1 > LINES {
            let (pos, field) = at(&col.cc_at);
            findings.push(
                crate::diag::Diagnostic::error(
                    pos,
                    field,
                    format!(
                        "抄送名单排成 {count} 行，加上印发机关一行，超出版记所在一页的 {LINES} 行"
                    ),
                )
                .with_hint("删减抄送机关，或以“各部门”“群团各部门”等统称合并"),
            );
        }
        for (n, span) in spans.iter().enumerate().take(LINES - 1) {
            let placed = text::place(&chars, span, measure(n), n + 1 < count);
            let x = LEFT + c + if n == 0 { 0.0 } else { hang };
            lines.push(set_line(
                &chars[span.start..span.end],
                &placed,
                x,
                0.0,
                SMALL,
                None,
            ));
        }
    }
    let n_cc = lines.len();
    let printer = ctx.shape(&[(&col.printer, Role::Fangsong)], SMALL, Color::Black);
    // The IR's 印发日期 carries its verb ("2021年7月8日印发").
    let date = ctx.shape(&[(&col.print_date, Role::Fangsong)], SMALL, Color::Black);
    // The two share one line, each one character in, at least a character apart.
    if width(&printer) + width(&date) + 3.0 * c > WIDTH + 0.01 {
        let (pos, field) = at(&col.printer_at);
        findings.push(
            crate::diag::Diagnostic::error(
                pos,
                field,
                format!("印发机关“{}”与印发日期排不进版记的同一行", col.printer),
            )
            .with_hint("印发机关写规范简称，如“某某区人民政府办公室”"),
        );
    }
    let mut last: Vec<TextRun> = text::runs(
        &printer,
        &text::natural(&printer),
        LEFT + c,
        0.0,
        SMALL,
        None,
    )
    .collect();
    let dx = LEFT + WIDTH - c - width(&date);
    last.extend(text::runs(
        &date,
        &text::natural(&date),
        dx,
        0.0,
        SMALL,
        None,
    ));
    lines.push(last);
    let total = lines.len();
    let mut items = Vec::new();
    let first_k = LINES - total;
    for (i, runs) in lines.into_iter().enumerate() {
        let k = first_k + i;
        for mut r in runs {
            r.y = baseline(k, SMALL);
            r.line = Some(k as u16);
            items.push(Item::Text(r));
        }
    }
    let mut rules = Vec::new();
    let mut rule = |y: f32, w: f32| {
        rules.push(record::ColophonRule {
            y,
            width: gb::pt(w),
        });
        Item::Rule(Rule {
            x1: LEFT,
            y1: y,
            x2: LEFT + WIDTH,
            y2: y,
            width: gb::pt(w),
            color: Color::Black,
        })
    };
    let top = bottom - total as f32 * PITCH;
    items.push(rule(top, gb::COLOPHON_RULE_OUTER));
    if n_cc > 0 {
        items.push(rule(bottom - PITCH, gb::COLOPHON_RULE_INNER));
    }
    items.push(rule(bottom, gb::COLOPHON_RULE_OUTER));
    let placed = record::ColophonRecord {
        page: 0,
        own_page: false,
        blank_before: false,
        first_line: first_k,
        gap: 0,
        off_grid: 0.0,
        cc: cc_hang,
        printer_x: c,
        date_right: c,
        rules,
    };
    (items, total as f32 * PITCH, placed)
}

/// "— N —" in 14 pt 宋体, 7 mm below the page's type `area`, one character in from its right
/// edge on odd pages and from its left edge on even ones.
fn page_number(ctx: &Ctx, n: u32, area: Area) -> Vec<TextRun> {
    let text = format!("— {n} —");
    let chars = ctx.shape(&[(&text, Role::Songti)], SMALL, Color::Black);
    let mut xs = Vec::new();
    let mut x = 0.0;
    for c in &chars {
        xs.push(x);
        x += c.glyph.advance * SMALL;
    }
    let w = x;
    let left = if n % 2 == 1 {
        area.right() - SMALL - w
    } else {
        area.left + SMALL
    };
    let y = area.bottom() + gb::pt(gb::FOLIO_GAP) + ASCENT * SMALL;
    text::runs(&chars, &xs, left, y, SMALL, None).collect()
}

/// One run of the dump: grid line, position in mm, role, size, colour, text.
fn dump_text(out: &mut String, t: &TextRun) {
    let line = match t.line {
        Some(l) => format!("L{:02}", l + 1),
        None => "---".into(),
    };
    let stretch = if t.stretch.abs() >= 0.0005 {
        format!(" stretch={:+.3}", t.stretch)
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "  {line} x={:6.1} y={:6.1} {:<12} {:>4}{}{}{stretch} {}",
        t.x / MM,
        t.y / MM,
        t.role.key(),
        t.size,
        if t.color == Color::Red { " red" } else { "" },
        if t.artifact { " repeat" } else { "" },
        t.text
    );
}

/// A text dump of the layout that reviews well as a diff: one line per run or rule, in mm.
pub fn dump(layout: &Layout) -> String {
    let mut out = String::new();
    for (i, page) in layout.pages.iter().enumerate() {
        let _ = writeln!(
            out,
            "page {} {}{} {:?}",
            i + 1,
            if page.landscape() {
                "landscape"
            } else {
                "portrait"
            },
            match page.number {
                Some(n) => format!(" number {n}"),
                None => " unnumbered".into(),
            },
            page.kind
        );
        for item in &page.items {
            match item {
                Item::Text(t) => dump_text(&mut out, t),
                Item::Rule(r) => {
                    let _ = writeln!(
                        out,
                        "  rule {:6.1},{:6.1} → {:6.1},{:6.1} w={:.2}{}",
                        r.x1 / MM,
                        r.y1 / MM,
                        r.x2 / MM,
                        r.y2 / MM,
                        r.width / MM,
                        if r.color == Color::Red { " red" } else { "" }
                    );
                }
            }
        }
        for t in &page.folio {
            dump_text(&mut out, t);
        }
    }
    if !layout.fallbacks.is_empty() {
        let _ = writeln!(out, "fallbacks");
        for f in &layout.fallbacks {
            let how = if f.same_style {
                "same-style"
            } else {
                "fallback"
            };
            let _ = writeln!(
                out,
                "  {} {} ×{} {how} {}",
                f.role.key(),
                f.ch,
                f.count,
                f.face.as_deref().unwrap_or(".notdef")
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(tag: &str, keep: bool) -> FlowLine {
        FlowLine {
            runs: vec![TextRun {
                line: Some(0),
                x: LEFT,
                y: baseline(0, BODY),
                role: Role::Fangsong,
                face: 0,
                size: BODY,
                color: Color::Black,
                text: tag.into(),
                glyphs: Vec::new(),
                fallback: 0,
                artifact: false,
                stretch: 0.0,
            }],
            keep_with_next: keep,
            blank: false,
        }
    }

    fn tags(pages: &[Vec<FlowLine>]) -> Vec<Vec<String>> {
        pages
            .iter()
            .map(|p| {
                p.iter()
                    .map(|l| l.runs.first().map(|r| r.text.clone()).unwrap_or_default())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn twenty_two_lines_a_page() {
        let flow: Vec<FlowLine> = (0..50).map(|i| line(&i.to_string(), false)).collect();
        let pages = paginate(flow, 0);
        assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [22, 22, 6]);
        let pages = paginate((0..30).map(|i| line(&i.to_string(), false)).collect(), 12);
        assert_eq!(pages[0].len(), 10);
    }

    #[test]
    fn a_heading_on_the_last_line_moves_to_the_next_page() {
        let mut flow: Vec<FlowLine> = (0..21).map(|i| line(&i.to_string(), false)).collect();
        flow.push(line("heading", true));
        flow.extend((0..5).map(|i| line(&format!("b{i}"), false)));
        let pages = tags(&paginate(flow, 0));
        assert_eq!(pages[0].len(), 21);
        assert_eq!(pages[1][0], "heading");
    }

    #[test]
    fn the_signature_block_takes_body_lines_with_it_and_blank_lines_vanish_at_the_top() {
        let mut flow: Vec<FlowLine> = (0..20).map(|i| line(&i.to_string(), false)).collect();
        // The last two body lines are tied to the signature block.
        flow[18].keep_with_next = true;
        flow[19].keep_with_next = true;
        flow.push(FlowLine::blank(true));
        flow.push(line("署名", true));
        flow.push(line("日期", false));
        let pages = tags(&paginate(flow, 0));
        assert_eq!(pages[0].len(), 18);
        assert_eq!(pages[1], ["18", "19", "", "署名", "日期"]);
        // A blank line that would open a page is dropped.
        let mut flow: Vec<FlowLine> = (0..22).map(|i| line(&i.to_string(), false)).collect();
        flow.push(FlowLine::blank(false));
        flow.push(line("next", false));
        let pages = tags(&paginate(flow, 0));
        assert_eq!(pages[1], ["next"]);
    }
}
