//! PDF output with krilla: the layout's glyph runs and rules, fonts embedded as subsets with
//! ToUnicode, exact A4 pages, fixed metadata (byte-identical output for identical input),
//! optional PDF/A-2b.

use std::fmt;

use krilla::color::rgb;
use krilla::configure::{Archival, ConfigurationBuilder};
use krilla::geom::{PathBuilder, Point, Transform};
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
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Font(s) => write!(f, "PDF 无法嵌入字体 {s}"),
            Error::Write(s) => write!(f, "PDF 生成失败：{s}"),
            Error::Page(n) => write!(f, "PDF 生成失败：第 {n} 页的页面尺寸无效"),
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
                None,
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
    };
    for (pi, page) in layout.pages.iter().enumerate() {
        let (w, h) = page.sheet();
        let settings = PageSettings::from_wh(w, h).ok_or(Error::Page(pi + 1))?;
        let mut p = doc.start_page_with(settings);
        let mut s = p.surface();
        text.fill = None;
        if page.landscape() {
            // The landscape box turned a quarter counter-clockwise onto the sheet: its top
            // edge along the sheet's left edge, (x, y) → (y, h − x).
            s.push_transform(&Transform::from_row(0.0, -1.0, 1.0, 0.0, 0.0, h));
        }
        draw_rules(&mut s, &page.items);
        for item in &page.items {
            if let Item::Text(t) = item {
                text.draw(&mut s, t)?;
            }
        }
        if page.landscape() {
            s.pop();
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
    doc.finish().map_err(|e| Error::Write(e.to_string()))
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
    }
}
