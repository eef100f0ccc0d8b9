//! The DOCX backend: the Document IR as a GB/T 9704-2012 DOCX that Word, WPS and LibreOffice
//! open as real paragraphs, named styles and tables.
//!
//! docx-rs builds the package; [`fixup`] then adds, on parsed XML, what docx-rs cannot say
//! (header-row repeat, character-unit indents, per-section even footers, core title/creator,
//! schema child order) and zips it deterministically with deflate.
//!
//! Geometry (twips unless said otherwise): A4 11906 × 16838, margins top 2098, bottom 1984,
//! left 1588, right 1474 (type area 156 × 225 mm); `docGrid type="lines" linePitch="579"`
//! with exact 579-twip lines gives 22 lines a page; 16 pt text with −0.25 pt character spacing
//! gives 28 characters a line in LibreOffice (measured; `linesAndChars` grids are drawn at about
//! half that density there).

pub mod fixup;
mod table;

use std::fmt;

use docx_rs::{
    AlignmentType, BorderType, BreakType, DocGrid, DocGridType, Docx, FieldCharType, Footer,
    InstrPAGE, InstrText, LineSpacing, LineSpacingType, PageMargin, PageOrientationType, PageSize,
    Paragraph, ParagraphBorder, ParagraphBorderPosition, ParagraphBorders, Run, RunFonts, Section,
    SpecialIndentType, Style, StyleType, Tab, TabValueType,
};

use crate::ir::{self, Align, AttachmentBlock, Block, Document, RunRole};
use fixup::{Node, Plan, StyleProp};
use table::{Slot, TablePlan};

/// Why a DOCX could not be written. Messages are in Chinese, for the drafting office.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// `meta.date` is missing or a date the package cannot carry.
    Date(String),
    /// A table whose spans do not fit its columns or rows.
    Table(String),
    /// A part docx-rs rendered could not be parsed back (a bug).
    Xml(String),
    /// Writing the zip package failed.
    Zip(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Date(d) => write!(
                f,
                "成文日期“{d}”缺失或无法写入 DOCX（年份须在1980至2107之间）"
            ),
            Error::Table(m) => write!(f, "表格结构有误：{m}"),
            Error::Xml(m) => write!(f, "生成 DOCX 时内部 XML 处理失败：{m}"),
            Error::Zip(m) => write!(f, "写入 DOCX 压缩包失败：{m}"),
        }
    }
}

impl std::error::Error for Error {}

/// East Asian font names written into the DOCX, as GB/T 9704 names them. Word or WPS with
/// these fonts installed shows the real faces; others substitute.
#[derive(Debug, Clone, PartialEq)]
pub struct Fonts {
    /// 正文, 三级/四级标题, 表格, 版记: 仿宋.
    pub body: String,
    /// 标题, 发文机关标志: 小标宋.
    pub title: String,
    /// 一级标题, 附件标识, 表头: 黑体.
    pub heading1: String,
    /// 二级标题: 楷体.
    pub heading2: String,
    /// 页码: 宋体.
    pub page_number: String,
}

impl Default for Fonts {
    fn default() -> Self {
        Fonts {
            body: "仿宋_GB2312".into(),
            title: "方正小标宋简体".into(),
            heading1: "黑体".into(),
            heading2: "楷体_GB2312".into(),
            page_number: "宋体".into(),
        }
    }
}

/// Where the 版记 goes. The DOCX cannot know its own pagination; the PDF layout does, and
/// [`DocxOptions::follow_layout`] copies its decision so both files agree page for page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColophonPlacement {
    /// At the foot of the last page (after a landscape attachment: a page of its own).
    #[default]
    LastPage,
    /// On a page of its own, an even one; `blank_before`: the layout inserted a blank page
    /// before it, and neither page carries a number.
    OwnPage { blank_before: bool },
}

/// Options of the DOCX backend.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DocxOptions {
    /// Where the 版记 goes (see [`ColophonPlacement`]).
    pub colophon: ColophonPlacement,
    pub fonts: Fonts,
    /// Overrides `Signature::sealed` (sealed layout: date 右空四字, signature centred over it).
    pub sealed: Option<bool>,
    /// Size of the 发文机关标志 in points; by default it fills about 400 pt of the 442 pt
    /// line, between 22 and 36 pt.
    pub mark_size_pt: Option<f32>,
    /// How the layout set each table (document order). A table without one is measured the
    /// same way with the shipped fonts.
    pub tables: Vec<crate::layout::TableGeometry>,
}

impl DocxOptions {
    /// Takes the decisions of the PDF layout of the same document: whether the 版记 shares
    /// the last page or has an even page of its own, after a blank one or not; each table's
    /// orientation, size and column widths.
    pub fn follow_layout(mut self, layout: &crate::layout::Layout) -> Self {
        use crate::layout::PageKind;
        let kinds: Vec<PageKind> = layout.pages.iter().map(|p| p.kind).collect();
        self.colophon = match kinds.as_slice() {
            [.., PageKind::Blank, PageKind::Colophon] => {
                ColophonPlacement::OwnPage { blank_before: true }
            }
            [.., PageKind::Colophon] => ColophonPlacement::OwnPage {
                blank_before: false,
            },
            _ => ColophonPlacement::LastPage,
        };
        self.tables = layout.record.tables.clone();
        self
    }
}

// Page geometry, twips.
const PAGE_W: u32 = 11906;
const PAGE_H: u32 = 16838;
const MARGIN_TOP: i32 = 2098;
const MARGIN_BOTTOM: i32 = 1984;
const MARGIN_LEFT: i32 = 1588;
const MARGIN_RIGHT: i32 = 1474;
/// Type width in portrait (156 mm) and in landscape (225 mm).
const TYPE_W: usize = 8844;
const TYPE_W_LANDSCAPE: usize = 12756;
/// 225 mm / 22 lines.
const LINE_PITCH: usize = 579;
/// Distance from the paper's bottom edge to the footer's bottom: the page number's top edge
/// sits 7 mm below the type area (35 mm − 7 mm − one 14 pt line).
const FOOTER_DIST: i32 = 1307;
/// Header distance (no headers are used; Word wants a value).
const HEADER_DIST: i32 = 851;
/// 3号 (16 pt) and 4号 (14 pt) in half-points.
const SZ_BODY: usize = 32;
const SZ_SMALL: usize = 28;
const SZ_TITLE: usize = 44;
/// Run character spacing in twentieths of a point: −0.25 pt, 28 characters a line.
const CHAR_SPACING: i32 = -5;
/// One 16 pt character, and its advance with the character spacing.
const CHAR: i32 = 320;
const CHAR_ADV: f32 = 315.0;
/// One 14 pt character.
const CHAR_SMALL: i32 = 280;
const RED: &str = "FF0000";

// Style ids (names in Chinese, as WPS/Word users see them).
const S_NORMAL: &str = "Normal";
const S_BODY: &str = "GwBody";
const S_PLAIN: &str = "GwPlain";
const S_MARK: &str = "GwMark";
const S_DOCNUM: &str = "GwDocNumber";
const S_TITLE: &str = "GwTitle";
const S_HEADINGS: [&str; 4] = ["GwHeading1", "GwHeading2", "GwHeading3", "GwHeading4"];
const S_HEADING_RUNS: [&str; 4] = [
    "GwHeading1Char",
    "GwHeading2Char",
    "GwHeading3Char",
    "GwHeading4Char",
];
const S_ATT_LABEL: &str = "GwAttachmentLabel";
const S_ATT_TITLE: &str = "GwAttachmentTitle";
const S_TABLE: &str = "GwTableText";
const S_TABLE_HEAD: &str = "GwTableHeader";
const S_COLOPHON: &str = "GwColophon";
const S_COLOPHON_CC: &str = "GwColophonCc";
const S_FOOTER: &str = "GwPageNumber";

fn fonts(name: &str) -> RunFonts {
    RunFonts::new()
        .ascii(name)
        .hi_ansi(name)
        .east_asia(name)
        .cs(name)
}

fn exact(twips: usize) -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(twips as i32)
        .before(0)
        .after(0)
}

fn para_style(id: &str, name: &str) -> Style {
    Style::new(id, StyleType::Paragraph)
        .name(name)
        .based_on(S_NORMAL)
        .next(S_BODY)
}

fn styles(docx: Docx, o: &DocxOptions) -> (Docx, Vec<StyleProp>) {
    let f = &o.fonts;
    let ind = |id: &str, attrs: &[(&str, &str)]| StyleProp::new(id, "w:ind", attrs);
    // No punctuation hanging past the margin, no extra space between hanzi and digits or
    // Latin letters: each character keeps its grid cell, as in the PDF.
    let mut indents = vec![
        StyleProp::new(S_NORMAL, "w:overflowPunct", &[("w:val", "0")]),
        StyleProp::new(S_NORMAL, "w:autoSpaceDE", &[("w:val", "0")]),
        StyleProp::new(S_NORMAL, "w:autoSpaceDN", &[("w:val", "0")]),
    ];
    let normal = Style::new(S_NORMAL, StyleType::Paragraph)
        .name("Normal")
        .fonts(fonts(&f.body))
        .size(SZ_BODY)
        .align(AlignmentType::Both)
        .line_spacing(exact(LINE_PITCH));
    let body = para_style(S_BODY, "公文正文").indent(
        None,
        Some(SpecialIndentType::FirstLine(2 * CHAR)),
        None,
        None,
    );
    indents.push(ind(S_BODY, &[("w:firstLineChars", "200")]));
    let plain = para_style(S_PLAIN, "公文无缩进");
    let mut mark = para_style(S_MARK, "发文机关标志")
        .fonts(fonts(&f.title))
        .color(RED)
        .align(AlignmentType::Center);
    mark.paragraph_property = mark.paragraph_property.snap_to_grid(false);
    let mut docnum = para_style(S_DOCNUM, "发文字号").align(AlignmentType::Center);
    docnum.paragraph_property = docnum.paragraph_property.snap_to_grid(false);
    let mut title = para_style(S_TITLE, "公文标题")
        .fonts(fonts(&f.title))
        .size(SZ_TITLE)
        .align(AlignmentType::Center);
    // Not snapped to the grid: a 22 pt line of a CJK face is taller than the 28.95 pt pitch
    // and LibreOffice would give it two grid lines; the exact 579 twips keep one.
    title.paragraph_property = title
        .paragraph_property
        .keep_next(true)
        .keep_lines(true)
        .snap_to_grid(false);
    let heading_faces = [&f.heading1, &f.heading2, &f.body, &f.body];
    let heading_names = ["一级标题", "二级标题", "三级标题", "四级标题"];
    let mut docx = docx
        .add_style(normal)
        .add_style(body)
        .add_style(plain)
        .add_style(mark)
        .add_style(docnum)
        .add_style(title);
    for l in 0..4 {
        let mut h = Style::new(S_HEADINGS[l], StyleType::Paragraph)
            .name(heading_names[l])
            .based_on(S_BODY)
            .next(S_BODY)
            .fonts(fonts(heading_faces[l]))
            .outline_lvl(l);
        h.paragraph_property = h.paragraph_property.keep_next(true);
        let r = Style::new(S_HEADING_RUNS[l], StyleType::Character)
            .name(format!("{}（段中）", heading_names[l]))
            .fonts(fonts(heading_faces[l]));
        docx = docx.add_style(h).add_style(r);
    }
    let att_label = para_style(S_ATT_LABEL, "附件标识").fonts(fonts(&f.heading1));
    let mut att_title = para_style(S_ATT_TITLE, "附件标题")
        .fonts(fonts(&f.title))
        .size(SZ_TITLE)
        .align(AlignmentType::Center);
    att_title.paragraph_property = att_title
        .paragraph_property
        .keep_next(true)
        .snap_to_grid(false);
    let mut table_text = para_style(S_TABLE, "表格文字")
        .size(24)
        .align(AlignmentType::Center)
        .line_spacing(
            LineSpacing::new()
                .line_rule(LineSpacingType::Auto)
                .line(240)
                .before(0)
                .after(0),
        );
    table_text.paragraph_property = table_text.paragraph_property.snap_to_grid(false);
    // Table text is off the body grid: each full-width character takes its whole em, as in
    // the layout module (no −0.25 pt tracking).
    table_text.run_property = table_text.run_property.character_spacing(0);
    let mut table_head = para_style(S_TABLE_HEAD, "表头文字")
        .fonts(fonts(&f.heading1))
        .size(24)
        .align(AlignmentType::Center)
        .line_spacing(
            LineSpacing::new()
                .line_rule(LineSpacingType::Auto)
                .line(240)
                .before(0)
                .after(0),
        );
    table_head.paragraph_property = table_head.paragraph_property.snap_to_grid(false);
    table_head.run_property = table_head.run_property.character_spacing(0);
    let colophon = para_style(S_COLOPHON, "版记")
        .size(SZ_SMALL)
        .align(AlignmentType::Left)
        .indent(Some(CHAR_SMALL), None, Some(CHAR_SMALL), None);
    indents.push(ind(
        S_COLOPHON,
        &[("w:leftChars", "100"), ("w:rightChars", "100")],
    ));
    // 抄送：wrapped lines align after the colon (one character in, then three).
    let colophon_cc = para_style(S_COLOPHON_CC, "版记抄送")
        .based_on(S_COLOPHON)
        .size(SZ_SMALL)
        .align(AlignmentType::Left)
        .indent(
            Some(4 * CHAR_SMALL),
            Some(SpecialIndentType::Hanging(3 * CHAR_SMALL)),
            Some(CHAR_SMALL),
            None,
        );
    indents.push(ind(
        S_COLOPHON_CC,
        &[
            ("w:leftChars", "400"),
            ("w:hangingChars", "300"),
            ("w:rightChars", "100"),
        ],
    ));
    let mut footer = para_style(S_FOOTER, "页码")
        .fonts(fonts(&f.page_number))
        .size(SZ_SMALL)
        .line_spacing(exact(280));
    footer.paragraph_property = footer.paragraph_property.snap_to_grid(false);
    let docx = docx
        .add_style(att_label)
        .add_style(att_title)
        .add_style(table_text)
        .add_style(table_head)
        .add_style(colophon)
        .add_style(colophon_cc)
        .add_style(footer)
        .default_fonts(fonts(&f.body))
        .default_size(SZ_BODY)
        .default_spacing(CHAR_SPACING);
    (docx, indents)
}

/// A page-number footer: "— N —", odd pages right and even pages left, one character in.
fn page_footer(odd: bool) -> Footer {
    let (align, ind) = if odd {
        (AlignmentType::Right, (None, Some(CHAR_SMALL)))
    } else {
        (AlignmentType::Left, (Some(CHAR_SMALL), None))
    };
    let p = Paragraph::new()
        .style(S_FOOTER)
        .align(align)
        .indent(ind.0, None, ind.1, None)
        .add_run(Run::new().add_text("— "))
        .add_run(
            Run::new()
                .add_field_char(FieldCharType::Begin, false)
                .add_instr_text(InstrText::PAGE(InstrPAGE::new()))
                .add_field_char(FieldCharType::Separate, false)
                .add_text("1")
                .add_field_char(FieldCharType::End, false),
        )
        .add_run(Run::new().add_text(" —"));
    Footer::new().add_paragraph(p)
}

fn blank() -> Paragraph {
    Paragraph::new().style(S_PLAIN)
}

fn text_para(style: &str, text: &str) -> Paragraph {
    Paragraph::new()
        .style(style)
        .add_run(Run::new().add_text(crate::xml::clean(text)))
}

/// Splits a title into lines of at most `max_em` em that keep a balanced (trapezoid) shape:
/// break points after 的/和/与/及/、 or before 关于 are preferred near the middle.
fn wrap_title(title: &str, max_em: f32) -> Vec<String> {
    let total = table::text_em(title);
    if total <= max_em {
        return vec![title.to_owned()];
    }
    let lines = (total / max_em).ceil() as usize;
    let chars: Vec<char> = title.chars().collect();
    let mut out = vec![];
    let mut start = 0;
    for k in 1..lines {
        let target = total * k as f32 / lines as f32;
        let mut em = 0.0;
        let mut best: Option<(f32, usize)> = None;
        for (i, c) in chars.iter().enumerate() {
            em += table::text_em(&c.to_string());
            let i = i + 1;
            if i <= start || i >= chars.len() {
                continue;
            }
            let line_em = table::text_em(&chars[start..i].iter().collect::<String>());
            if line_em > max_em {
                break;
            }
            // Never break inside ASCII runs (years, numbers) or before closing punctuation.
            let next = chars[i];
            if (chars[i - 1].is_ascii_alphanumeric() && next.is_ascii_alphanumeric())
                || "、。，；：？！）》」』】〕".contains(next)
                || "（《「『【〔".contains(chars[i - 1])
            {
                continue;
            }
            let preferred =
                "的和与及、".contains(chars[i - 1]) || chars[i..].starts_with(&['关', '于']);
            let cost = (em - target).abs() - if preferred { 2.5 } else { 0.0 };
            if best.is_none_or(|(c, _)| cost < c) {
                best = Some((cost, i));
            }
        }
        let cut = best.map(|(_, i)| i).unwrap_or(chars.len());
        out.push(chars[start..cut].iter().collect());
        start = cut;
        if start >= chars.len() {
            break;
        }
    }
    if start < chars.len() {
        out.push(chars[start..].iter().collect());
    }
    out
}

fn title_para(style: &str, title: &str, max_em: f32) -> Paragraph {
    let mut run = Run::new();
    for (i, line) in wrap_title(title, max_em).iter().enumerate() {
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        run = run.add_text(crate::xml::clean(line));
    }
    Paragraph::new().style(style).add_run(run)
}

struct Chunk {
    landscape: bool,
    children: Vec<Paragraph>,
}

struct Builder<'a> {
    opts: &'a DocxOptions,
    chunks: Vec<Chunk>,
    /// The tables in document order, as XML (see `table`).
    table_xml: Vec<Node>,
    /// The 版记 is alone in the last section (see `colophon`): whether that page is numbered.
    colophon_alone: Option<bool>,
}

impl Builder<'_> {
    fn push(&mut self, p: Paragraph) {
        self.chunks
            .last_mut()
            .expect("a chunk exists")
            .children
            .push(p);
    }

    fn landscape(&self) -> bool {
        self.chunks.last().is_some_and(|c| c.landscape)
    }

    /// Starts a new section if the orientation changes; returns whether it did.
    fn orient(&mut self, landscape: bool) -> bool {
        if self.landscape() == landscape {
            return false;
        }
        self.chunks.push(Chunk {
            landscape,
            children: vec![],
        });
        true
    }

    fn header(&mut self, doc: &Document) {
        let h = &doc.header;
        if let Some(n) = &h.copy_number {
            self.push(text_para(S_PLAIN, n));
        }
        for s in [&h.secrecy, &h.urgency].into_iter().flatten() {
            self.push(text_para(S_PLAIN, s).fonts(fonts(&self.opts.fonts.heading1)));
        }
        let Some(mark) = &h.issuer_mark else {
            return;
        };
        // Size and letter-spacing as the layout module sets them: about 88% of the type width,
        // 22–36 pt, a short mark spread to at least 62% of the width.
        let n = mark.chars().count().max(1) as f32;
        let width_pt = TYPE_W as f32 / 20.0;
        let size_pt = self
            .opts
            .mark_size_pt
            .unwrap_or_else(|| (width_pt * 0.88 / n).clamp(22.0, 36.0))
            .min(width_pt / n);
        let natural = table::text_em(mark) * size_pt;
        let gap = if n > 1.0 {
            ((natural.clamp(width_pt * 0.62, width_pt) - natural) / (n - 1.0)).clamp(0.0, size_pt)
        } else {
            0.0
        };
        // Grid lines the 版头 takes down to the mark's lower edge (upper edge 35 mm = 1984
        // twips below the type-area top); the mark paragraph fills them exactly, so the grid
        // below keeps its phase: space before, one exact line of 1.3 × the size (the face's
        // box), the rest after.
        let pitch = LINE_PITCH as f32;
        let lines = ((1984.0 + size_pt * 20.0) / pitch).ceil();
        let above = [&h.copy_number, &h.secrecy, &h.urgency]
            .into_iter()
            .flatten()
            .count() as f32
            * pitch;
        let line = (size_pt * 20.0 * 1.3).round();
        // The ideograph's upper edge sits about 0.28 em below the top of the face's box.
        let before = (1984.0 - 0.28 * size_pt * 20.0 - above).max(0.0).round();
        let after = (lines * pitch - above - before - line).max(0.0).round();
        let mut run = Run::new()
            .add_text(crate::xml::clean(mark))
            .size((size_pt * 2.0).round() as usize);
        if gap > 0.0 {
            run = run.character_spacing((gap * 20.0).round() as i32);
        }
        let p = Paragraph::new().style(S_MARK).add_run(run).line_spacing(
            LineSpacing::new()
                .line_rule(LineSpacingType::Exact)
                .line(line as i32)
                .before(before as u32)
                .after(after as u32),
        );
        self.push(p);
        self.push(blank());
        self.push(blank());
        // The red rule: a bottom border of the 发文字号 paragraph, 1.5 pt (≈ 0.5 mm) thick,
        // across the type width, 6 pt below the line box (≈ 4 mm below the glyphs). The line is
        // shortened by the border's space and width so the paragraph still takes one grid line.
        let rule = ParagraphBorders::with_empty().set(
            ParagraphBorder::new(ParagraphBorderPosition::Bottom)
                .val(BorderType::Single)
                .size(12)
                .space(6)
                .color(RED),
        );
        let mut p = match &h.doc_number {
            Some(n) => text_para(S_DOCNUM, n),
            None => Paragraph::new().style(S_DOCNUM),
        }
        .line_spacing(exact(LINE_PITCH - (6 + 1) * 20 - 10));
        p.property = p.property.set_borders(rule);
        self.push(p);
        self.push(blank());
        self.push(blank());
    }

    fn body(&mut self, doc: &Document) {
        for block in &doc.body {
            match block {
                Block::Heading { level, text } => {
                    let l = usize::from(level.clamp(&1, &4) - 1);
                    self.push(text_para(S_HEADINGS[l], text));
                }
                Block::Paragraph { runs } => {
                    let mut p = Paragraph::new().style(S_BODY);
                    for r in runs {
                        let mut run = Run::new().add_text(crate::xml::clean(&r.text));
                        if let RunRole::Heading(level) = r.role {
                            let l = usize::from(level.clamp(1, 4) - 1);
                            run = run.style(S_HEADING_RUNS[l]);
                        }
                        p = p.add_run(run);
                    }
                    self.push(p);
                }
            }
        }
    }

    /// 附件说明: "附件：1．名称", wrapped lines aligned with the name.
    fn attachment_note(&mut self, doc: &Document) {
        if doc.attachment_note.is_empty() {
            return;
        }
        self.push(blank());
        let n = doc.attachment_note.len();
        let label = "附件：";
        for (i, name) in doc.attachment_note.iter().enumerate() {
            let number = if n > 1 {
                format!("{}．", i + 1)
            } else {
                String::new()
            };
            let prefix_em = table::text_em(label) + table::text_em(&number);
            let lead = if i == 0 {
                format!("{label}{number}")
            } else {
                number.clone()
            };
            let lead_em = table::text_em(&lead);
            // Text of every line starts at 2 + prefix characters; the first line starts
            // `lead` earlier.
            let left = (2.0 * CHAR_ADV + prefix_em * CHAR_ADV).round() as i32;
            let hanging = (lead_em * CHAR_ADV).round() as i32;
            let p = Paragraph::new()
                .style(S_PLAIN)
                .indent(
                    Some(left),
                    Some(SpecialIndentType::Hanging(hanging)),
                    None,
                    None,
                )
                .add_run(Run::new().add_text(crate::xml::clean(&format!("{lead}{name}"))));
            self.push(p);
        }
    }

    fn signature(&mut self, doc: &Document) {
        let Some(sig) = &doc.signature else {
            return;
        };
        let sealed = self.opts.sealed.unwrap_or(sig.sealed);
        let sig_em = table::text_em(&sig.issuer);
        let date_em = table::text_em(&sig.date);
        let adv = CHAR_ADV;
        let width = TYPE_W as f32;
        let left_of = |start_em: f32| (start_em * adv).max(0.0).round() as i32;
        let (sig_left, date_left);
        if sealed {
            // 成文日期右空四字; 署名 centred over the date.
            let date_start = (width - 4.0 * CHAR as f32) / adv - date_em;
            let centre = date_start + date_em / 2.0;
            date_left = left_of(date_start);
            sig_left = left_of((centre - sig_em / 2.0).min(width / adv - 2.0 - sig_em));
            self.push(blank());
            self.push(blank());
        } else {
            // 署名右空二字; date starts two characters right of the signature's first
            // character, unless it is too long: then the date is 右空二字 and the signature
            // moves left to start two characters before it.
            let line_em = width / adv;
            let mut sig_start = line_em - 2.0 - sig_em;
            let mut date_start = sig_start + 2.0;
            if date_start + date_em > line_em - 2.0 {
                date_start = line_em - 2.0 - date_em;
                sig_start = date_start - 2.0;
            }
            sig_left = left_of(sig_start);
            date_left = left_of(date_start);
            self.push(blank());
        }
        for (text, left) in [(&sig.issuer, sig_left), (&sig.date, date_left)] {
            let p = Paragraph::new()
                .style(S_PLAIN)
                .align(AlignmentType::Left)
                .indent(Some(left), None, None, None)
                .add_run(Run::new().add_text(crate::xml::clean(text)));
            self.push(p);
        }
    }

    fn attachments(&mut self, doc: &Document) -> Result<(), Error> {
        let mut plans = table_plans(doc, self.opts)?.into_iter();
        for att in &doc.attachments {
            let plans: Vec<Option<TablePlan>> = att
                .content
                .iter()
                .map(|b| match b {
                    AttachmentBlock::Table(_) => plans.next(),
                    AttachmentBlock::Paragraph { .. } => None,
                })
                .collect();
            let landscape = plans.iter().flatten().any(|p| p.landscape);
            let new_section = self.orient(landscape);
            let width = if landscape { TYPE_W_LANDSCAPE } else { TYPE_W };
            let label = text_para(S_ATT_LABEL, &att.label).page_break_before(!new_section);
            self.push(label);
            self.push(blank());
            self.push(title_para(
                S_ATT_TITLE,
                &att.title,
                width as f32 / (22.0 * 20.0),
            ));

            // One blank line between the title and the content, as the layout leaves.
            self.push(blank());
            for (block, plan) in att.content.iter().zip(plans) {
                match block {
                    AttachmentBlock::Paragraph { text, align } => {
                        self.push(text_para(S_PLAIN, text).align(alignment(*align)));
                    }
                    AttachmentBlock::Table(t) => {
                        let plan = plan.expect("a plan for each table");
                        let tbl = self.table(t, &plan);
                        self.table_xml.push(Node::Raw(tbl));
                        // docx-rs carries a placeholder paragraph; the post-pass puts the
                        // table in its place.
                        self.push(Paragraph::new().style(fixup::TABLE_PLACEHOLDER));
                    }
                }
            }
        }
        Ok(())
    }

    /// A table as WordprocessingML, serialised directly (docx-rs's writer needed 24 ms for seed
    /// 000's hundred rows, more than the whole 20 ms budget; an element tree, 300 ms for 1,200
    /// rows): header rows marked `w:tblHeader` so they repeat on every page, spans as
    /// `w:gridSpan` / `w:vMerge`, rows kept whole, children in schema order.
    fn table(&self, t: &ir::Table, plan: &TablePlan) -> String {
        let n = table::column_count(t);
        let (head, body) = (&plan.head, &plan.body);
        let widths = &plan.widths;
        let span_width = |c: usize, cs: usize| widths[c..(c + cs).min(n)].iter().sum::<usize>();
        // Padding and line pitch as the layout sets them (pt × 20 = twips).
        let size = plan.size as f32 / 2.0;
        let twips = |pt: f32| (pt * 20.0).round() as usize;
        let pad_h = twips(crate::layout::table::pad_h(size));
        let pad_v = twips(crate::layout::table::pad_v(size));
        let line = twips(crate::layout::table::line_height(size));
        let mut x = Xml(String::with_capacity(
            400 * (t.header.len() + t.rows.len()) * n,
        ));
        x.open("w:tbl");
        x.open("w:tblPr");
        x.raw(&format!(
            r#"<w:tblW w:w="{}" w:type="dxa"/><w:jc w:val="center"/>"#,
            widths.iter().sum::<usize>()
        ));
        x.open("w:tblBorders");
        for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
            x.raw(&format!(
                r#"<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#
            ));
        }
        x.close("w:tblBorders");
        x.raw(&format!(
            r#"<w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="{pad_v}" w:type="dxa"/><w:left w:w="{pad_h}" w:type="dxa"/><w:bottom w:w="{pad_v}" w:type="dxa"/><w:right w:w="{pad_h}" w:type="dxa"/></w:tblCellMar>"#
        ));
        x.close("w:tblPr");
        x.open("w:tblGrid");
        for w in widths {
            x.raw(&format!(r#"<w:gridCol w:w="{w}"/>"#));
        }
        x.close("w:tblGrid");
        let para = |x: &mut Xml, header: bool, align: &str, text: &str| {
            let style = if header { S_TABLE_HEAD } else { S_TABLE };
            x.raw(&format!(
                r#"<w:p><w:pPr><w:pStyle w:val="{style}"/><w:spacing w:before="0" w:after="0" w:line="{line}" w:lineRule="exact"/><w:jc w:val="{align}"/></w:pPr>"#
            ));
            if !text.is_empty() {
                x.raw(&format!(
                    r#"<w:r><w:rPr><w:sz w:val="{0}"/><w:szCs w:val="{0}"/></w:rPr><w:t xml:space="preserve">"#,
                    plan.size
                ));
                x.text(text);
                x.raw("</w:t></w:r>");
            }
            x.close("w:p");
        };
        for (part, grid, header) in [(&t.header, head, true), (&t.rows, body, false)] {
            for (r, slots) in grid.iter().enumerate() {
                x.open("w:tr");
                x.raw(if header {
                    "<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
                } else {
                    "<w:trPr><w:cantSplit/></w:trPr>"
                });
                let mut c = 0;
                while c < n {
                    let (cs, vmerge, align, text) = match slots[c] {
                        Slot::Origin { cell } => {
                            let ir = &part[r][cell];
                            let align = if header {
                                "center"
                            } else {
                                jc(table::column_align(t, c))
                            };
                            let vm = (ir.row_span > 1).then_some("restart");
                            (usize::from(ir.col_span.max(1)), vm, align, ir.text.as_str())
                        }
                        Slot::Continue { col_span } => {
                            (usize::from(col_span), Some("continue"), "center", "")
                        }
                        Slot::Covered => {
                            // Only reachable for a malformed grid; resolve() prevents it.
                            c += 1;
                            continue;
                        }
                        Slot::Empty => (1, None, "center", ""),
                    };
                    x.open("w:tc");
                    x.raw(&format!(
                        r#"<w:tcPr><w:tcW w:w="{}" w:type="dxa"/>"#,
                        span_width(c, cs)
                    ));
                    if cs > 1 {
                        x.raw(&format!(r#"<w:gridSpan w:val="{cs}"/>"#));
                    }
                    if let Some(v) = vmerge {
                        x.raw(&format!(r#"<w:vMerge w:val="{v}"/>"#));
                    }
                    x.raw(r#"<w:vAlign w:val="center"/></w:tcPr>"#);
                    para(&mut x, header, align, text);
                    x.close("w:tc");
                    c += cs;
                }
                x.close("w:tr");
            }
        }
        x.close("w:tbl");
        x.0
    }

    /// 版记 at the foot of the last page: framed paragraphs anchored to the bottom of the type
    /// area (real paragraphs, editable), rules as paragraph borders, 0.35 mm first and last.
    fn colophon(&mut self, doc: &Document) {
        let Some(c) = &doc.colophon else {
            return;
        };
        match self.opts.colophon {
            ColophonPlacement::OwnPage { blank_before } => {
                // A section of its own that starts on an even page (Word and LibreOffice
                // insert the blank page); numbered unless a blank page precedes it.
                self.chunks.push(Chunk {
                    landscape: false,
                    children: vec![],
                });
                self.colophon_alone = Some(!blank_before);
            }
            ColophonPlacement::LastPage if self.landscape() => {
                // After a landscape attachment the 版记 gets a portrait page of its own: an
                // even page, without a page number.
                self.orient(false);
                self.colophon_alone = Some(false);
            }
            ColophonPlacement::LastPage => {}
        }
        let frame = |p: Paragraph| {
            p.wrap("around")
                .v_anchor("margin")
                .h_anchor("margin")
                .x_align("center")
                .y_align("bottom")
                .frame_width(TYPE_W as u32)
        };
        let rule = |pos, size| {
            ParagraphBorder::new(pos)
                .val(BorderType::Single)
                .size(size)
                .space(1)
                .color("000000")
        };
        let thick = 8; // eighths of a point: 1 pt ≈ 0.35 mm
                       // Both paragraphs carry the same borders, so Word and LibreOffice treat them as one
                       // bordered group in one frame: 0.35 mm above the first and below the last. The 0.25 mm
                       // rule between 抄送 and 印发 would need differing borders or a `between` border, and
                       // LibreOffice 7.4 then drops the frame (and the rules) altogether, so it is left out.
        let borders = || {
            ParagraphBorders::with_empty()
                .set(rule(ParagraphBorderPosition::Top, thick))
                .set(rule(ParagraphBorderPosition::Bottom, thick))
        };
        if let Some(cc) = &c.cc {
            let mut p = frame(text_para(S_COLOPHON_CC, &format!("抄送：{cc}。")));
            p.property = p.property.set_borders(borders());
            self.push(p);
        }
        // Printer one character in from the left, date one character in from the right: a
        // right tab at the right indent.
        let tab_pos = (TYPE_W as i32 - 2 * CHAR_SMALL) as usize;
        let mut p = frame(
            Paragraph::new()
                .style(S_COLOPHON)
                .add_tab(Tab::new().val(TabValueType::Right).pos(tab_pos))
                .add_run(Run::new().add_text(crate::xml::clean(&c.printer)))
                .add_run(Run::new().add_tab())
                .add_run(Run::new().add_text(crate::xml::clean(&c.print_date))),
        );
        p.property = p.property.set_borders(borders());
        self.push(p);
        // The paragraph the frame anchors to (LibreOffice drops a frame with nothing after
        // it): one twip high, so it never adds a line to the page.
        let mut anchor = Paragraph::new()
            .style(S_PLAIN)
            .line_spacing(exact(1))
            .size(2);
        anchor.property = anchor.property.snap_to_grid(false);
        self.push(anchor);
    }
}

/// A minimal XML serialiser for the tables: markup is written as given (attribute values are
/// numbers and style ids), text is escaped.
struct Xml(String);

impl Xml {
    fn open(&mut self, name: &str) {
        self.0.push('<');
        self.0.push_str(name);
        self.0.push('>');
    }

    fn close(&mut self, name: &str) {
        self.0.push_str("</");
        self.0.push_str(name);
        self.0.push('>');
    }

    fn raw(&mut self, markup: &str) {
        self.0.push_str(markup);
    }

    fn text(&mut self, text: &str) {
        self.0.push_str(&crate::xml::escape_text(text));
    }
}

fn jc(a: Align) -> &'static str {
    match a {
        Align::Left => "left",
        Align::Center => "center",
        Align::Right => "right",
        Align::Justify => "both",
    }
}

fn alignment(a: Align) -> AlignmentType {
    match a {
        Align::Left => AlignmentType::Left,
        Align::Center => AlignmentType::Center,
        Align::Right => AlignmentType::Right,
        Align::Justify => AlignmentType::Both,
    }
}

fn page_setup(landscape: bool) -> (PageSize, PageMargin, DocGrid) {
    let margin = PageMargin::new()
        .header(HEADER_DIST)
        .footer(FOOTER_DIST)
        .gutter(0);
    if landscape {
        // The portrait margins turned with the page: the table head faces the binding edge.
        (
            PageSize::new()
                .size(PAGE_H, PAGE_W)
                .orient(PageOrientationType::Landscape),
            margin
                .top(MARGIN_LEFT)
                .bottom(MARGIN_RIGHT)
                .left(MARGIN_BOTTOM)
                .right(MARGIN_TOP),
            DocGrid::with_empty()
                .grid_type(DocGridType::Lines)
                .line_pitch(LINE_PITCH),
        )
    } else {
        (
            PageSize::new().size(PAGE_W, PAGE_H),
            margin
                .top(MARGIN_TOP)
                .bottom(MARGIN_BOTTOM)
                .left(MARGIN_LEFT)
                .right(MARGIN_RIGHT),
            DocGrid::with_empty()
                .grid_type(DocGridType::Lines)
                .line_pitch(LINE_PITCH),
        )
    }
}

/// Each table's orientation, size and column widths: the layout's (`DocxOptions::tables`), or,
/// without a matching one, measured by the layout module with the shipped fonts; with the grids
/// resolved once. Malformed spans are reported here, before anything measures them.
fn table_plans(doc: &Document, opts: &DocxOptions) -> Result<Vec<TablePlan>, Error> {
    let tables = doc
        .attachments
        .iter()
        .flat_map(|a| &a.content)
        .filter_map(|b| match b {
            AttachmentBlock::Table(t) => Some(t),
            AttachmentBlock::Paragraph { .. } => None,
        });
    let mut fonts = None;
    let trad = doc.meta.script.is_traditional();
    tables
        .enumerate()
        .map(|(k, t)| {
            let n = table::column_count(t);
            let head = table::resolve(&t.header, n, "表头", k + 1)?;
            let body = table::resolve(&t.rows, n, "表体", k + 1)?;
            // A geometry is only taken for a table with as many columns (one from another
            // document would misplace cells); otherwise the table is measured here.
            let geometry = match opts.tables.get(k).filter(|g| g.widths.len() == n) {
                Some(g) => g.clone(),
                None => {
                    let fonts = fonts.get_or_insert_with(crate::fonts::FontSet::embedded);
                    crate::layout::table::measure(fonts, trad, t).geometry()
                }
            };
            Ok(TablePlan::new(&geometry, head, body))
        })
        .collect()
}

/// Renders the document as a DOCX package (the bytes of the .docx file).
pub fn write(doc: &Document, opts: &DocxOptions) -> Result<Vec<u8>, Error> {
    let date = doc.meta.date.ok_or_else(|| Error::Date(String::new()))?;
    let mut b = Builder {
        opts,
        chunks: vec![Chunk {
            landscape: false,
            children: vec![],
        }],
        table_xml: vec![],
        colophon_alone: None,
    };
    b.header(doc);
    b.push(title_para(S_TITLE, &doc.title, 20.0));
    if let Some(r) = &doc.recipients {
        b.push(blank());
        b.push(text_para(S_PLAIN, &format!("{r}：")));
    }
    b.body(doc);
    b.attachment_note(doc);
    b.signature(doc);
    if let Some(n) = &doc.note {
        b.push(text_para(S_BODY, n));
    }
    b.attachments(doc)?;
    b.colophon(doc);

    let (docx, style_props) = styles(Docx::new(), opts);
    let mut docx = docx
        .footer(page_footer(true))
        .even_footer(page_footer(false))
        .created_at(&format!("{date}T00:00:00Z"))
        .updated_at(&format!("{date}T00:00:00Z"));
    // Every punctuation mark keeps its full cell, as on the 28-character grid.
    docx.settings = docx
        .settings
        .character_spacing_control(docx_rs::CharacterSpacingValues::DoNotCompress);
    let last = b.chunks.pop().expect("at least one chunk");
    for chunk in b.chunks {
        let (size, margin, grid) = page_setup(chunk.landscape);
        let mut s = Section::new()
            .page_size(size)
            .page_margin(margin)
            .doc_grid(grid);
        for p in chunk.children {
            s = s.add_paragraph(p);
        }
        docx = docx.add_section(s);
    }
    let (size, margin, grid) = page_setup(last.landscape);
    docx.document = docx
        .document
        .page_size(size)
        .page_margin(margin)
        .doc_grid(grid);
    if let Some(numbered) = b.colophon_alone {
        if !numbered {
            let empty = Footer::new().add_paragraph(Paragraph::new().style(S_FOOTER));
            docx = docx.first_footer(empty);
        }
        docx.document.section_property.section_type = Some(docx_rs::SectionType::EvenPage);
    }
    for p in last.children {
        docx = docx.add_paragraph(p);
    }
    let plan = Plan {
        title: doc.meta.title.clone(),
        creator: doc.meta.issuer.clone(),
        date: date.iso(),
        tables: b.table_xml,
        style_props,
    };
    let parts = fixup::fix_parts(docx.build(), plan)?;
    fixup::zip_parts(&parts, date)
}

/// The pretty-printed `word/document.xml` of a DOCX written by [`write`] (for golden files).
pub fn pretty_part(docx: &[u8], path: &str) -> Result<String, Error> {
    use std::io::Read;
    let mut z =
        zip::ZipArchive::new(std::io::Cursor::new(docx)).map_err(|e| Error::Zip(e.to_string()))?;
    let mut f = z.by_name(path).map_err(|e| Error::Zip(e.to_string()))?;
    let mut bytes = vec![];
    f.read_to_end(&mut bytes)
        .map_err(|e| Error::Zip(e.to_string()))?;
    Ok(fixup::pretty(&fixup::parse(path, &bytes)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_wrap_into_balanced_lines() {
        let t = "关于2021年第二季度全区政府网站和政府系统政务新媒体检查情况的通报";
        let lines = wrap_title(t, 20.0);
        assert_eq!(lines.concat(), t);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines.iter().all(|l| table::text_em(l) <= 20.0), "{lines:?}");
        assert_eq!(lines[0], "关于2021年第二季度全区政府网站和", "{lines:?}");
        assert_eq!(wrap_title("关于通报", 20.0), vec!["关于通报"]);
    }

    #[test]
    fn error_messages_are_chinese() {
        assert!(Error::Date("x".into()).to_string().contains("成文日期"));
        assert!(Error::Zip("io".into()).to_string().starts_with("写入 DOCX"));
    }
}
