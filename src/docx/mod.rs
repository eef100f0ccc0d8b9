//! The DOCX backend: the Document IR as a GB/T 9704-2012 DOCX that Word, WPS and LibreOffice
//! open as real paragraphs, named styles and tables.
//!
//! The word processor sets the lines itself; everything else is the layout's decision, taken
//! from its [`Record`]: title breaks, the mark's size and tracking, the signature, 附件说明 and
//! 版记 indents, each table's orientation, size and column widths, where the 版记 goes, the
//! sections and their page numbers. Nothing is measured here. The parts are written directly,
//! in schema order ([`ooxml`]); [`package`] adds the fixed parts and zips them.
//!
//! Geometry (twips, from [`crate::gbt9704`]): A4 11906 × 16838, type area 8844 × 12756 at
//! 2098 from the top and 1587 from the left; `docGrid type="lines" linePitch="579"` with exact
//! 579-twip lines gives 22 lines a page; 16 pt text with −0.25 pt character spacing gives 28
//! characters a line in LibreOffice (measured; `linesAndChars` grids are drawn at about half
//! that density there).

pub mod ooxml;
mod package;
pub mod read;
mod table;

use std::fmt;

use crate::fonts::{FontSet, Role};
use crate::gbt9704 as gb;
use crate::ir::{Align, AttachmentBlock, Block, Document, RunRole};
use crate::layout::record::{Hang, Record};
use crate::layout::Layout;
use ooxml::{paragraph, Ind, Line, PPr, RPr, SectPr, Spacing, Xml};

/// Why a DOCX could not be written. Messages are in Chinese, for the drafting office.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// `meta.date` is missing or a date the package cannot carry.
    Date(String),
    /// A table whose spans do not fit its columns or rows.
    Table(String),
    /// A part could not be parsed back (reading only).
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
            Error::Xml(m) => write!(f, "读取 DOCX 时 XML 解析失败：{m}"),
            Error::Zip(m) => write!(f, "写入 DOCX 压缩包失败：{m}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<crate::zipper::Error> for Error {
    fn from(e: crate::zipper::Error) -> Error {
        match e {
            crate::zipper::Error::Date(d) => Error::Date(d),
            crate::zipper::Error::Zip(m) => Error::Zip(m),
        }
    }
}

/// Font names written into the DOCX: the GB/T 9704 names for the shipped faces (Word or WPS
/// with these fonts installed shows the real faces; others substitute), the family name of a
/// face given with `--fonts`, as the PDF embeds it.
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
    /// Digits and Latin letters of the 仿宋 text.
    pub latin: String,
}

impl Default for Fonts {
    fn default() -> Self {
        Fonts {
            body: "仿宋_GB2312".into(),
            title: "方正小标宋简体".into(),
            heading1: "黑体".into(),
            heading2: "楷体_GB2312".into(),
            page_number: "宋体".into(),
            latin: "Times New Roman".into(),
        }
    }
}

impl Fonts {
    /// The default names, with each role whose face the user gave named after that face.
    pub fn for_set(set: &FontSet) -> Fonts {
        let mut f = Fonts::default();
        for (role, slot) in [
            (Role::Fangsong, &mut f.body),
            (Role::Xiaobiaosong, &mut f.title),
            (Role::Heiti, &mut f.heading1),
            (Role::Kaiti, &mut f.heading2),
            (Role::Songti, &mut f.page_number),
            (Role::Latin, &mut f.latin),
        ] {
            let face = set.face(set.primary(role, false));
            if !face.source.starts_with("embedded:") && !face.family.is_empty() {
                *slot = face.family.clone();
            }
        }
        f
    }
}

/// Options of the DOCX backend.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DocxOptions {
    pub fonts: Fonts,
}

// Twips.
const PAGE_W: i32 = gb::twips(gb::PAPER_W);
const PAGE_H: i32 = gb::twips(gb::PAPER_H);
const TOP: i32 = gb::twips(gb::TOP);
const LEFT: i32 = gb::twips(gb::LEFT);
const TYPE_W: i32 = gb::twips(gb::TYPE_W);
const TYPE_H: i32 = gb::twips(gb::TYPE_H);
/// The grid pitch, rounded down so that 22 lines fit the type area.
const PITCH: i32 = TYPE_H / gb::LINES as i32;
/// The 版记's last row is this much short of its grid line: LibreOffice's page holds exactly
/// 22 × 579 twips, 0.9 pt less than the 225 mm type area, and a row of exact height that
/// reaches past it goes to the next page. The last rule sits 1 pt above the type-area bottom.
const COLOPHON_SLACK: i32 = 20;
/// Distance from the paper's bottom edge to the footer's bottom, below a type area that ends
/// `bottom_margin` twips above it: the page number's top edge sits 7 mm below the type area
/// (one 14 pt line above this distance), on portrait and landscape pages alike.
const fn footer_dist(bottom_margin: i32) -> i32 {
    bottom_margin - gb::twips(gb::FOLIO_GAP) - gb::pt_twips(gb::SIZE_4)
}
/// 3号, 2号, 4号 in half-points.
const SZ_BODY: u32 = (gb::SIZE_3 * 2.0) as u32;
const SZ_TITLE: u32 = (gb::SIZE_2 * 2.0) as u32;
const SZ_SMALL: u32 = (gb::SIZE_4 * 2.0) as u32;
/// Run character spacing: 28 characters of 16 pt a line in LibreOffice (−0.25 pt).
const CHAR_SPACING: i32 = -5;
/// One 14 pt character (the page number's inset).
const CHAR_SMALL: i32 = gb::pt_twips(gb::SIZE_4);
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

/// Footer relationship ids: odd pages, even pages, the unnumbered 版记 page.
const FOOTER_ODD: &str = "rIdFooterOdd";
const FOOTER_EVEN: &str = "rIdFooterEven";
const FOOTER_NONE: &str = "rIdFooterNone";

/// A width in pt as twips.
fn tw(pt: f32) -> i32 {
    gb::pt_twips(pt)
}

/// Eighths of a point, for border widths given in pt.
fn eighths(pt: f32) -> u32 {
    (pt * 8.0).round() as u32
}

/// A paragraph whose properties may still change: the last one before a section break
/// carries that section's properties.
struct Para<'a> {
    ppr: PPr<'a>,
    runs: Vec<(RPr<'a>, String)>,
}

struct Body<'a> {
    x: Xml<'a>,
    pending: Option<Para<'a>>,
    landscape: bool,
    /// The open section's pages carry numbers (not the blank page and the 版记 after it).
    numbered: bool,
}

impl<'a> Body<'a> {
    fn flush(&mut self) {
        if let Some(p) = self.pending.take() {
            let runs: Vec<(RPr, &str)> = p
                .runs
                .iter()
                .map(|(r, t)| (r.clone(), t.as_str()))
                .collect();
            paragraph(&mut self.x, &p.ppr, &runs);
        }
    }

    fn push(&mut self, ppr: PPr<'a>, runs: Vec<(RPr<'a>, String)>) {
        self.flush();
        self.pending = Some(Para { ppr, runs });
    }

    fn text(&mut self, style: &'a str, text: &str) {
        self.push(
            PPr {
                style: Some(style),
                ..PPr::default()
            },
            vec![(RPr::default(), text.to_owned())],
        );
    }

    fn blank(&mut self) {
        self.push(
            PPr {
                style: Some(S_PLAIN),
                ..PPr::default()
            },
            vec![],
        );
    }

    /// A block that cannot end a section (a table), written by `f`.
    fn block(&mut self, f: impl FnOnce(&mut Xml)) {
        self.flush();
        f(&mut self.x);
    }

    fn sect(&self) -> SectPr {
        let margins = [TOP, PAGE_W - LEFT - TYPE_W, PAGE_H - TOP - TYPE_H, LEFT];
        let (size, margins) = if self.landscape {
            // The portrait margins turned with the page: the table head faces the binding edge.
            let [t, r, b, l] = margins;
            ((PAGE_H, PAGE_W), [l, t, r, b])
        } else {
            ((PAGE_W, PAGE_H), margins)
        };
        SectPr {
            footers: if self.numbered {
                (FOOTER_ODD, FOOTER_EVEN)
            } else {
                (FOOTER_NONE, FOOTER_NONE)
            },
            landscape: self.landscape,
            size,
            footer: footer_dist(margins[2]),
            margins,
            line_pitch: (!self.landscape).then_some(PITCH),
        }
    }

    /// An empty paragraph exactly `height` twips high, off the line grid.
    fn spacer(&mut self, height: i32) {
        self.push(
            PPr {
                style: Some(S_PLAIN),
                snap_to_grid: Some(false),
                spacing: Some(Spacing::exact(height)),
                mark: Some(RPr {
                    size: Some(2),
                    ..RPr::default()
                }),
                ..PPr::default()
            },
            vec![],
        );
    }

    /// Ends the open section; the next one starts on a new page, in `landscape` or portrait.
    fn section(&mut self, landscape: bool) {
        let sect = self.sect();
        match &mut self.pending {
            Some(p) => p.ppr.sect = Some(sect),
            // After a table: a paragraph of its own, one twip high, carries the break.
            None => {
                self.spacer(1);
                if let Some(p) = &mut self.pending {
                    p.ppr.sect = Some(sect);
                }
            }
        }
        self.flush();
        self.landscape = landscape;
    }
}

fn hang(h: &Hang) -> Ind {
    Ind {
        left: tw(h.rest),
        first: tw(h.first - h.rest),
        ..Ind::default()
    }
}

struct Writer<'a> {
    doc: &'a Document,
    rec: &'a Record,
    fonts: &'a Fonts,
    body: Body<'a>,
}

impl<'a> Writer<'a> {
    fn header(&mut self) {
        let h = &self.doc.header;
        let f = self.fonts;
        let mut line = 0;
        if let Some(n) = &h.copy_number {
            self.body.text(S_PLAIN, n);
            line += 1;
        }
        for s in [&h.secrecy, &h.urgency].into_iter().flatten() {
            self.body.push(
                PPr {
                    style: Some(S_PLAIN),
                    ..PPr::default()
                },
                vec![(
                    RPr {
                        font: Some(&f.heading1),
                        ..RPr::default()
                    },
                    s.clone(),
                )],
            );
            line += 1;
        }
        if let (Some(mark), Some(m)) = (&h.issuer_mark, self.rec.mark) {
            // The mark paragraph fills the grid lines down to the mark's lower edge exactly, so
            // the grid below keeps its phase: space before, one exact line of 1.3 × the size
            // (the face's box), the rest after. The ideograph's upper edge sits about 0.28 em
            // below the top of that box.
            let size = m.size * 20.0;
            let above = line as f32 * PITCH as f32;
            let exact = (size * 1.3).round();
            let before = (tw(m.top) as f32 - 0.28 * size - above).max(0.0).round();
            let after = (m.lines as f32 * PITCH as f32 - above - before - exact)
                .max(0.0)
                .round();
            self.body.push(
                PPr {
                    style: Some(S_MARK),
                    spacing: Some(Spacing {
                        before: before as i32,
                        after: after as i32,
                        exact: Some(exact as i32),
                    }),
                    ..PPr::default()
                },
                vec![(
                    RPr {
                        spacing: (m.tracking > 0.0).then(|| tw(m.tracking)),
                        size: Some((m.size * 2.0).round() as u32),
                        ..RPr::default()
                    },
                    mark.clone(),
                )],
            );
            line = m.lines;
            let num_line = self.rec.doc_number_line.unwrap_or(line + 2);
            while line < num_line {
                self.body.blank();
                line += 1;
            }
            // The red rule: a bottom border of the 发文字号 paragraph across the type width, 6 pt
            // below the line box (about 4 mm below the glyphs). The line is shortened by the
            // border's space and width so the paragraph still takes one grid line.
            let rule = gb::pt(gb::RED_RULE_W);
            self.body.push(
                PPr {
                    style: Some(S_DOCNUM),
                    border_bottom: Some(Line {
                        eighths: eighths(rule),
                        space: 6,
                        color: RED,
                    }),
                    spacing: Some(Spacing::exact(PITCH - tw(6.0 + rule) - 10)),
                    ..PPr::default()
                },
                h.doc_number
                    .iter()
                    .map(|n| (RPr::default(), n.clone()))
                    .collect(),
            );
            line += 1;
        } else if let Some(n) = &h.doc_number {
            let num_line = self.rec.doc_number_line.unwrap_or(line);
            while line < num_line {
                self.body.blank();
                line += 1;
            }
            self.body.text(S_DOCNUM, n);
            line += 1;
        }
        while line < self.rec.title_line {
            self.body.blank();
            line += 1;
        }
    }

    fn title(&mut self, style: &'a str, lines: &[String]) {
        self.body.push(
            PPr {
                style: Some(style),
                ..PPr::default()
            },
            vec![(RPr::default(), lines.join("\n"))],
        );
    }

    fn main(&mut self) {
        let doc = self.doc;
        self.title(S_TITLE, &self.rec.title);
        if let Some(r) = &doc.recipients {
            self.body.blank();
            self.body.text(S_PLAIN, &format!("{r}："));
        }
        for block in &doc.body {
            match block {
                Block::Heading { level, text } => {
                    let l = usize::from(level.clamp(&1, &4) - 1);
                    self.body.text(S_HEADINGS[l], text);
                }
                Block::Paragraph { runs } => {
                    let runs = runs
                        .iter()
                        .map(|r| {
                            let style = match r.role {
                                RunRole::Heading(level) => {
                                    Some(S_HEADING_RUNS[usize::from(level.clamp(1, 4) - 1)])
                                }
                                RunRole::Body => None,
                            };
                            (
                                RPr {
                                    style,
                                    ..RPr::default()
                                },
                                r.text.clone(),
                            )
                        })
                        .collect();
                    self.body.push(
                        PPr {
                            style: Some(S_BODY),
                            ..PPr::default()
                        },
                        runs,
                    );
                }
            }
        }
        // 附件说明: "附件：1．名称", wrapped lines aligned with the name.
        if !doc.attachment_note.is_empty() {
            self.body.blank();
            let many = doc.attachment_note.len() > 1;
            for (i, (name, h)) in doc
                .attachment_note
                .iter()
                .zip(&self.rec.attachment_note)
                .enumerate()
            {
                let number = if many {
                    format!("{}．", i + 1)
                } else {
                    String::new()
                };
                let label = if i == 0 { "附件：" } else { "" };
                self.body.push(
                    PPr {
                        style: Some(S_PLAIN),
                        ind: Some(hang(h)),
                        ..PPr::default()
                    },
                    vec![(RPr::default(), format!("{label}{number}{name}"))],
                );
            }
        }
        if let (Some(sig), Some(s)) = (&doc.signature, &self.rec.signature) {
            for _ in 0..s.blank_lines {
                self.body.blank();
            }
            let date = (&sig.date, s.date_x);
            for (text, x) in s.issuer.iter().map(|(t, x)| (t, *x)).chain([date]) {
                self.body.push(
                    PPr {
                        style: Some(S_PLAIN),
                        ind: Some(Ind {
                            left: tw(x),
                            ..Ind::default()
                        }),
                        jc: Some("left"),
                        ..PPr::default()
                    },
                    vec![(RPr::default(), text.clone())],
                );
            }
        }
        if let (Some(n), Some(h)) = (&doc.note, self.rec.note) {
            if doc.signature.is_none() {
                self.body.blank();
            }
            self.body.push(
                PPr {
                    style: Some(S_BODY),
                    ind: Some(Ind {
                        first: tw(h.first - h.rest),
                        left: tw(h.rest),
                        ..Ind::default()
                    }),
                    ..PPr::default()
                },
                vec![(RPr::default(), n.clone())],
            );
        }
    }

    /// The section that starts on `page`, if one does: whether it is landscape.
    fn section_at(&self, page: usize) -> Option<bool> {
        self.rec
            .sections
            .iter()
            .find(|s| s.page == page)
            .map(|s| s.landscape)
    }

    fn attachments(&mut self) -> Result<(), Error> {
        let mut tables = table::plans(self.doc, &self.rec.tables)?.into_iter();
        for (att, rec) in self.doc.attachments.iter().zip(&self.rec.attachments) {
            let new_section = self.section_at(rec.page);
            if let Some(landscape) = new_section {
                self.body.section(landscape);
            }
            self.body.push(
                PPr {
                    style: Some(S_ATT_LABEL),
                    page_break_before: new_section.is_none(),
                    ..PPr::default()
                },
                vec![(RPr::default(), att.label.clone())],
            );
            self.body.blank();
            self.title(S_ATT_TITLE, &rec.title);
            // One blank line between the title and the content, as the layout leaves.
            self.body.blank();
            let mut paragraphs = rec.paragraphs.iter();
            for block in &att.content {
                match block {
                    AttachmentBlock::Paragraph { text, align } => {
                        let p = paragraphs
                            .next()
                            .ok_or_else(|| Error::Table("附件段落数与排版记录不符".into()))?;
                        let hung = p.hang.first != 0.0 || p.hang.rest != 0.0;
                        self.body.push(
                            PPr {
                                style: Some(S_PLAIN),
                                keep_next: p.keep_with_next,
                                ind: hung.then(|| hang(&p.hang)),
                                jc: Some(jc(*align)),
                                ..PPr::default()
                            },
                            vec![(RPr::default(), text.clone())],
                        )
                    }
                    AttachmentBlock::Table(t) => {
                        let plan = tables
                            .next()
                            .ok_or_else(|| Error::Table("表格数与排版记录不符".into()))?;
                        self.body.block(|x| table::write(x, t, &plan));
                    }
                }
            }
        }
        Ok(())
    }

    /// The 版记: a two-column-free table of one row per block (抄送, 印发), each row as many
    /// grid lines high as the layout gives it, its cell borders the three rules across the
    /// type width; blank lines above it down to the layout's first 版记 line.
    fn colophon(&mut self) {
        let (Some(col), Some(rec)) = (&self.doc.colophon, &self.rec.colophon) else {
            return;
        };
        if rec.own_page {
            // A section of its own, portrait, on the even page the layout chose.
            self.body.section(false);
            if rec.blank_before {
                // The blank page before it: neither page carries a number.
                self.body.numbered = false;
                self.body.blank();
            }
        }
        // After a table that ends between grid lines, down to the next one: a word processor
        // sets the blank lines below right after the table, not on the grid. It adds the
        // 版记's top rule (a cell border) to the row's height, so the spacer leaves it out.
        let top_rule = rec.rules.first().map_or(0.0, |r| r.width);
        let off_grid = tw(rec.off_grid - top_rule);
        if off_grid > 0 {
            self.body.spacer(off_grid);
        }
        for i in 0..rec.gap {
            self.body.push(
                PPr {
                    style: Some(S_PLAIN),
                    page_break_before: rec.blank_before && i == 0,
                    ..PPr::default()
                },
                vec![],
            );
        }
        let lines = gb::LINES - rec.first_line;
        let rule = |i: usize| {
            let r = rec.rules.get(i).copied();
            r.map(|r| Line {
                eighths: eighths(r.width),
                space: 0,
                color: "000000",
            })
        };
        let mut rows: Vec<table::ColophonRow> = Vec::new();
        let mut next_rule = 1;
        if let (Some(cc), Some(h)) = (&col.cc, &rec.cc) {
            rows.push(table::ColophonRow {
                lines: lines - 1,
                top: rule(0),
                bottom: rule(1),
                para: PPr {
                    style: Some(S_COLOPHON_CC),
                    ind: Some(Ind {
                        right: tw(rec.date_right),
                        ..hang(h)
                    }),
                    ..PPr::default()
                },
                runs: vec![format!("抄送：{cc}。")],
            });
            next_rule = 2;
        }
        rows.push(table::ColophonRow {
            lines: 1,
            top: if rows.is_empty() { rule(0) } else { None },
            bottom: rule(next_rule),
            para: PPr {
                style: Some(S_COLOPHON),
                // The date ends one character in: a right tab at the right indent (tab stops
                // count from the type area's left edge).
                right_tab: Some(TYPE_W - tw(rec.date_right)),
                ind: Some(Ind {
                    left: tw(rec.printer_x),
                    right: tw(rec.date_right),
                    ..Ind::default()
                }),
                ..PPr::default()
            },
            runs: vec![col.printer.clone(), col.print_date.clone()],
        });
        self.body
            .block(|x| table::colophon(x, &rows, TYPE_W, PITCH, COLOPHON_SLACK));
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

/// Renders the document, as `layout` decided it, as a DOCX package (the bytes of the file).
/// `word/document.xml` is deflated as it is written.
pub fn write(doc: &Document, layout: &Layout, opts: &DocxOptions) -> Result<Vec<u8>, Error> {
    let date = doc.meta.date.ok_or_else(|| Error::Date(String::new()))?;
    let [before, after] = package::parts(
        &opts.fonts,
        &package::Core {
            title: &doc.meta.title,
            creator: &doc.meta.issuer,
            date: &date.iso(),
        },
    );
    let mut zip = crate::zipper::Zip::new(date)?;
    for (path, xml) in &before {
        zip.part(path, xml.as_bytes())?;
    }
    let mut x = Xml::to_sink(zip.start("word/document.xml")?);
    x.raw(package::DECL);
    x.open(
        "w:document",
        &[("xmlns:w", package::NS_W), ("xmlns:r", package::NS_R)],
    );
    x.open("w:body", &[]);
    let mut w = Writer {
        doc,
        rec: &layout.record,
        fonts: &opts.fonts,
        body: Body {
            x,
            pending: None,
            landscape: false,
            numbered: true,
        },
    };
    w.header();
    w.main();
    w.attachments()?;
    w.colophon();
    let mut body = w.body;
    body.flush();
    let last = body.sect();
    let mut document = body.x;
    last.write(&mut document);
    document.close("w:body");
    document.close("w:document");
    document.finish().map_err(|e| Error::Zip(e.to_string()))?;
    for (path, xml) in &after {
        zip.part(path, xml.as_bytes())?;
    }
    Ok(zip.finish()?)
}

/// The pretty-printed part `path` of a DOCX written by [`write`] (for golden files).
pub fn pretty_part(docx: &[u8], path: &str) -> Result<String, Error> {
    use std::io::Read;
    let mut z =
        zip::ZipArchive::new(std::io::Cursor::new(docx)).map_err(|e| Error::Zip(e.to_string()))?;
    let mut f = z.by_name(path).map_err(|e| Error::Zip(e.to_string()))?;
    let mut bytes = vec![];
    f.read_to_end(&mut bytes)
        .map_err(|e| Error::Zip(e.to_string()))?;
    Ok(read::pretty(&read::parse(path, &bytes)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_geometry_is_the_standard_in_twips() {
        assert_eq!((PAGE_W, PAGE_H, TYPE_W, PITCH), (11906, 16838, 8844, 579));
        assert_eq!((TOP, LEFT, PAGE_H - TOP - TYPE_H), (2098, 1587, 1984));
        assert!(gb::LINES as i32 * PITCH <= TYPE_H);
        assert_eq!(footer_dist(PAGE_H - TOP - TYPE_H), 1307);
        assert_eq!((SZ_BODY, SZ_TITLE, SZ_SMALL), (32, 44, 28));
    }

    #[test]
    fn error_messages_are_chinese() {
        assert!(Error::Date("x".into()).to_string().contains("成文日期"));
        assert!(Error::Zip("io".into()).to_string().starts_with("写入 DOCX"));
    }
}
