//! PDF output with krilla: the layout's glyph runs and rules, fonts embedded as subsets with
//! ToUnicode, exact A4 pages, fixed metadata (byte-identical output for identical input),
//! optional PDF/A-2b.

use std::fmt;

use krilla::color::rgb;
use krilla::configure::{Archival, ConfigurationBuilder, ValidationError};
use krilla::error::KrillaError;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::{DateTime, Metadata};
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, Stroke};
use krilla::text::{GlyphId, KrillaGlyph};
use krilla::{Document, SerializeSettings};

use crate::date::Date;
use crate::fonts::FontSet;
use crate::ir;
use crate::layout::{Color, Item, Layout, Rule, TextRun};

/// Options for the PDF writer.
#[derive(Debug, Clone, Default)]
pub struct PdfOptions {
    /// Write PDF/A-2b (archival) instead of plain PDF 1.7.
    pub pdfa: bool,
}

/// Why a PDF could not be written.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// A face could not be loaded by the PDF writer.
    Font(String),
    /// The document failed PDF/A validation or another writer check.
    Write(String),
    /// A page has a size no PDF can hold.
    Page(usize),
    /// What keeps the document from being PDF/A-2b (`--pdfa`), each reason once, in Chinese.
    Archival(Vec<String>),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Font(s) => write!(f, "PDF 无法嵌入字体 {s}"),
            Error::Write(s) => write!(f, "PDF 生成失败：{s}"),
            Error::Page(n) => write!(f, "PDF 生成失败：第 {n} 页的页面尺寸无效"),
            Error::Archival(reasons) => write!(
                f,
                "不能写成 PDF/A-2b（--pdfa）：{}；请删去或换用这些字符，或不加 --pdfa 生成普通 PDF",
                reasons.join("；")
            ),
        }
    }
}

impl std::error::Error for Error {}

fn paint(c: Color) -> rgb::Color {
    match c {
        Color::Black => rgb::Color::black(),
        Color::Red => rgb::Color::new(230, 0, 18),
    }
}

fn fill(c: Color) -> Fill {
    Fill {
        paint: paint(c).into(),
        opacity: krilla::num::NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

/// `v` to a hundredth of a point (3.5 µm, far below what prints or shows): shorter numbers in
/// the content streams, which compress markedly better.
fn hundredth(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

/// The page's rules as stroked lines, one path per colour and width. A horizontal rule reaches
/// half its width past its ends, so it covers the vertical rules' ends and corners are square.
fn draw_rules(s: &mut krilla::surface::Surface, items: &[Item]) {
    let rules: Vec<&Rule> = items
        .iter()
        .filter_map(|i| match i {
            Item::Rule(r) => Some(r),
            Item::Text(_) => None,
        })
        .collect();
    let mut styles: Vec<(Color, f32)> = Vec::new();
    for r in &rules {
        if !styles.contains(&(r.color, r.width)) {
            styles.push((r.color, r.width));
        }
    }
    s.set_fill(None);
    for (color, width) in styles {
        let mut pb = PathBuilder::new();
        for r in rules
            .iter()
            .filter(|r| (r.color, r.width) == (color, width))
        {
            let (from, to) = if (r.y1 - r.y2).abs() < 0.001 {
                let ext = r.width / 2.0;
                ((r.x1.min(r.x2) - ext, r.y1), (r.x1.max(r.x2) + ext, r.y1))
            } else {
                ((r.x1, r.y1.min(r.y2)), (r.x1, r.y1.max(r.y2)))
            };
            pb.move_to(hundredth(from.0), hundredth(from.1));
            pb.line_to(hundredth(to.0), hundredth(to.1));
        }
        if let Some(path) = pb.finish() {
            s.set_stroke(Some(Stroke {
                paint: paint(color).into(),
                width,
                ..Stroke::default()
            }));
            s.draw_path(&path);
        }
    }
    s.set_stroke(None);
}

/// Draws text runs with the document's fonts, reusing one glyph buffer.
struct TextWriter<'a> {
    fonts: &'a FontSet,
    kfonts: Vec<Option<krilla::text::Font>>,
    glyphs: Vec<KrillaGlyph>,
    /// The fill colour last set on the current page.
    fill: Option<Color>,
    /// The page number, given with each glyph: PDF/A validation locates what it finds by it.
    page: krilla::surface::Location,
}

impl TextWriter<'_> {
    fn draw(&mut self, s: &mut krilla::surface::Surface, t: &TextRun) -> Result<(), Error> {
        if t.glyphs.is_empty() {
            return Ok(());
        }
        let Some(font) = self.kfonts[t.face as usize].clone() else {
            return Err(Error::Font(self.fonts.face(t.face).source.clone()));
        };
        if self.fill != Some(t.color) {
            s.set_fill(Some(fill(t.color)));
            self.fill = Some(t.color);
        }
        self.glyphs.clear();
        // A repetition (a table's header rows again on a continuation page) is drawn with an
        // empty ActualText: readers show it, text extraction and search skip it.
        let repeat = t.artifact;
        for (i, g) in t.glyphs.iter().enumerate() {
            let next = t
                .glyphs
                .get(i + 1)
                .map(|n| n.dx)
                .unwrap_or(g.dx + g.advance);
            self.glyphs.push(KrillaGlyph::new(
                GlyphId::new(g.gid as u32),
                (next - g.dx) / t.size,
                0.0,
                0.0,
                0.0,
                if repeat {
                    0..0
                } else {
                    g.range.start as usize..g.range.end as usize
                },
                Some(self.page),
            ));
        }
        s.draw_glyphs(
            Point::from_xy(hundredth(t.x + t.glyphs[0].dx), hundredth(t.y)),
            &self.glyphs,
            font,
            if repeat { "" } else { &t.text },
            t.size,
            false,
        );
        Ok(())
    }
}

/// The 成文日期 as a PDF date (midnight, China Standard Time).
fn date(d: Date) -> DateTime {
    DateTime::new(d.year as u16)
        .month(d.month as u8)
        .day(d.day as u8)
        .hour(0)
        .minute(0)
        .second(0)
        .utc_offset_hour(8)
        .utc_offset_minute(0)
}

/// From now on, every PDF keeps its compressed pages and font subsets for the next one, which
/// takes those it has unchanged instead of computing them again (a watcher rendering nearly
/// the same document on every save; see vendor/krilla/PATCH.md).
pub fn reuse_between_documents() {
    krilla::reuse::enable();
}

/// Write the laid-out document as PDF bytes.
pub fn write(
    layout: &Layout,
    fonts: &FontSet,
    meta: &ir::Meta,
    opts: &PdfOptions,
) -> Result<Vec<u8>, Error> {
    let mut settings = SerializeSettings::default();
    if opts.pdfa {
        settings.configuration = ConfigurationBuilder::new()
            .with_archival_validator(Archival::A2_B)
            .finish()
            .map_err(|e| Error::Write(format!("{e:?}")))?;
    }
    settings.enable_tagging = false;
    let mut doc = Document::new_with(settings);

    let mut kfonts = Vec::with_capacity(fonts.faces().len());
    for face in fonts.faces() {
        kfonts.push(face.krilla_font());
    }

    let mut text = TextWriter {
        fonts,
        kfonts,
        glyphs: Vec::new(),
        fill: None,
        page: std::num::NonZeroU64::MIN,
    };
    for (pi, page) in layout.pages.iter().enumerate() {
        let settings = PageSettings::from_wh(page.width, page.height).ok_or(Error::Page(pi + 1))?;
        let mut p = doc.start_page_with(settings);
        let mut s = p.surface();
        text.page = std::num::NonZeroU64::MIN.saturating_add(pi as u64);
        text.fill = None;
        draw_rules(&mut s, &page.items);
        for item in &page.items {
            if let Item::Text(t) = item {
                text.draw(&mut s, t)?;
            }
        }
        for t in &page.folio {
            text.draw(&mut s, t)?;
        }
        s.finish();
        p.finish();
    }

    let mut md = Metadata::new()
        .title(meta.title.clone())
        .authors(vec![meta.issuer.clone()])
        .creator("tongbao".to_string())
        .language(meta.script.tag().to_string());
    if let Some(d) = meta.date.map(date) {
        md = md.creation_date(d);
    }
    doc.set_metadata(md);
    doc.finish().map_err(|e| match e {
        KrillaError::Validation(errors) => Error::Archival(archival_reasons(&errors)),
        e => Error::Write(e.to_string()),
    })
}

/// The PDF/A validation errors in the clerk's words, each once with the pages it is on
/// ("“😀”在所有字体中都没有字形（第 3、4 页）").
fn archival_reasons(errors: &[(ValidationError, krilla::configure::Validators)]) -> Vec<String> {
    let mut found: Vec<(String, Vec<u64>)> = Vec::new();
    for (e, _) in errors {
        let (what, page) = archival_reason(e);
        let at = match found.iter().position(|(w, _)| *w == what) {
            Some(i) => i,
            None => {
                found.push((what, Vec::new()));
                found.len() - 1
            }
        };
        if let Some(p) = page.map(|p| p.get()) {
            if !found[at].1.contains(&p) {
                found[at].1.push(p);
            }
        }
    }
    found
        .into_iter()
        .map(|(what, pages)| match pages.as_slice() {
            [] => what,
            _ => {
                let list: Vec<String> = pages.iter().map(u64::to_string).collect();
                format!("{what}（第 {} 页）", list.join("、"))
            }
        })
        .collect()
}

/// One PDF/A validation error and its page. Only the first few can come from a circular
/// (its text and metadata); the rest would be a writer bug, named by krilla's code.
fn archival_reason(e: &ValidationError) -> (String, Option<krilla::surface::Location>) {
    match e {
        ValidationError::ContainsNotDefGlyph(_, loc, text) => {
            (format!("“{text}”在所有字体中都没有字形"), *loc)
        }
        ValidationError::InvalidCodepointMapping(_, _, c, loc) => {
            (format!("字符 U+{:04X} 不能写入 PDF/A", *c as u32), *loc)
        }
        ValidationError::UnicodePrivateArea(_, _, c, loc) => (
            format!("私用区字符 U+{:04X} 在 PDF/A 中不能没有替代文字", *c as u32),
            *loc,
        ),
        ValidationError::NoCodepointMapping(_, _, loc) => ("有字形对应不到任何字符".into(), *loc),
        ValidationError::RestrictedLicense(_) => ("所用字体的授权不允许嵌入".into(), None),
        ValidationError::TooLongString => ("标题或发文机关超过 32,767 个字符".into(), None),
        ValidationError::NoDocumentTitle => ("文档没有标题".into(), None),
        ValidationError::NoDocumentLanguage => ("文档没有语言标记".into(), None),
        other => (format!("不符合 PDF/A-2b 的一项要求（{other:?}）"), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_chinese() {
        assert_eq!(
            Error::Page(3).to_string(),
            "PDF 生成失败：第 3 页的页面尺寸无效"
        );
        assert!(Error::Font("x.otf".into())
            .to_string()
            .contains("无法嵌入字体"));
        let archival = Error::Archival(vec!["“😀”在所有字体中都没有字形（第 3、4 页）".into()]);
        assert_eq!(
            archival.to_string(),
            "不能写成 PDF/A-2b（--pdfa）：“😀”在所有字体中都没有字形（第 3、4 页）；\
             请删去或换用这些字符，或不加 --pdfa 生成普通 PDF"
        );
    }
}
