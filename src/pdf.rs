//! PDF output with krilla: the layout's glyph runs and rules, fonts embedded as subsets with
//! ToUnicode, exact A4 pages, fixed metadata (byte-identical output for identical input),
//! optional PDF/A-2b.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use krilla::color::rgb;
use krilla::configure::{Archival, ConfigurationBuilder};
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::{DateTime, Metadata};
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule};
use krilla::text::{GlyphId, KrillaGlyph};
use krilla::{Document, SerializeSettings};

use crate::fonts::FontSet;
use crate::ir;
use crate::layout::{Color, Item, Layout};

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

/// "YYYY-MM-DD" → a PDF date (midnight, China Standard Time).
fn date(iso: &str) -> Option<DateTime> {
    let mut it = iso.trim().split('-');
    let y: u16 = it.next()?.parse().ok()?;
    let m: u8 = it.next()?.parse().ok()?;
    let d: u8 = it.next()?.parse().ok()?;
    Some(
        DateTime::new(y)
            .month(m)
            .day(d)
            .hour(0)
            .minute(0)
            .second(0)
            .utc_offset_hour(8)
            .utc_offset_minute(0),
    )
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

    let subsets = subset_fonts(layout, fonts)?;

    let mut glyphs: Vec<KrillaGlyph> = Vec::new();
    for (pi, page) in layout.pages.iter().enumerate() {
        let settings = PageSettings::from_wh(page.width, page.height).ok_or(Error::Page(pi + 1))?;
        let mut p = doc.start_page_with(settings);
        let mut s = p.surface();
        // Rules as filled rectangles, one path per colour.
        for color in [Color::Black, Color::Red] {
            let mut pb = PathBuilder::new();
            let mut any = false;
            for item in &page.items {
                if let Item::Rule(r) = item {
                    if r.color != color {
                        continue;
                    }
                    let h = r.width / 2.0;
                    let rect = if (r.y1 - r.y2).abs() < 0.001 {
                        Rect::from_ltrb(
                            r.x1.min(r.x2) - h / 2.0,
                            r.y1 - h,
                            r.x1.max(r.x2) + h / 2.0,
                            r.y1 + h,
                        )
                    } else {
                        Rect::from_ltrb(r.x1 - h, r.y1.min(r.y2), r.x1 + h, r.y1.max(r.y2))
                    };
                    if let Some(rect) = rect {
                        pb.push_rect(rect);
                        any = true;
                    }
                }
            }
            if let (true, Some(path)) = (any, pb.finish()) {
                s.set_fill(Some(fill(color)));
                s.draw_path(&path);
            }
        }
        let mut current = None;
        for item in &page.items {
            let Item::Text(t) = item else { continue };
            if t.glyphs.is_empty() {
                continue;
            }
            let Some(sub) = subsets[t.face as usize].as_ref() else {
                return Err(Error::Font(fonts.face(t.face).source.clone()));
            };
            let font = sub.font.clone();
            if current != Some(t.color) {
                s.set_fill(Some(fill(t.color)));
                current = Some(t.color);
            }
            glyphs.clear();
            // A repetition (a table's header rows again on a continuation page) is drawn
            // with an empty ActualText: readers show it, text extraction and search skip it.
            let repeat = t.artifact;
            for (i, g) in t.glyphs.iter().enumerate() {
                let next = t
                    .glyphs
                    .get(i + 1)
                    .map(|n| n.dx)
                    .unwrap_or(g.dx + g.advance);
                let gid = sub.map.get(&g.gid).copied().unwrap_or(0);
                glyphs.push(KrillaGlyph::new(
                    GlyphId::new(gid as u32),
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
                Point::from_xy(t.x + t.glyphs[0].dx, t.y),
                &glyphs,
                font,
                if repeat { "" } else { &t.text },
                t.size,
                false,
            );
        }
        s.finish();
        p.finish();
    }

    let mut md = Metadata::new()
        .title(meta.title.clone())
        .authors(vec![meta.issuer.clone()])
        .creator("tongbao".to_string())
        .language(meta.script.clone());
    if let Some(d) = date(&meta.date) {
        md = md.creation_date(d);
    }
    doc.set_metadata(md);
    doc.finish().map_err(|e| Error::Write(e.to_string()))
}

/// A face cut down to the glyphs the layout uses, and the map from its old glyph ids.
struct Subset {
    font: krilla::text::Font,
    map: HashMap<u16, u16>,
}

/// Subset every used face, in parallel (krilla subsets fonts one after another while it
/// serialises; cutting the multi-megabyte CJK faces first, on all cores, leaves it only
/// small fonts to handle).
fn subset_fonts(layout: &Layout, fonts: &FontSet) -> Result<Vec<Option<Subset>>, Error> {
    let n = fonts.faces().len();
    let mut used: Vec<Vec<u16>> = vec![Vec::new(); n];
    for page in &layout.pages {
        for t in page.texts() {
            used[t.face as usize].extend(t.glyphs.iter().map(|g| g.gid));
        }
    }
    for u in &mut used {
        u.sort_unstable();
        u.dedup();
    }
    // Largest faces first, so the longest jobs start at once.
    let mut jobs: Vec<usize> = (0..n).filter(|&f| !used[f].is_empty()).collect();
    jobs.sort_by_key(|&f| std::cmp::Reverse(fonts.faces()[f].data().0.len()));
    let results: Vec<Mutex<Option<Result<Subset, Error>>>> =
        (0..n).map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism()
        .map(|p| p.get())
        .unwrap_or(1)
        .min(jobs.len())
        .max(1);
    let work = || loop {
        let j = next.fetch_add(1, Ordering::Relaxed);
        let Some(&f) = jobs.get(j) else { break };
        let r = subset_one(fonts, f, &used[f]);
        *results[f].lock().expect("subset result") = Some(r);
    };
    std::thread::scope(|s| {
        for _ in 1..threads {
            s.spawn(work);
        }
        work();
    });
    results
        .into_iter()
        .map(|m| m.into_inner().expect("subset result").transpose())
        .collect()
}

fn subset_one(fonts: &FontSet, face: usize, gids: &[u16]) -> Result<Subset, Error> {
    let f = &fonts.faces()[face];
    let (data, index) = f.data();
    let remapper = subsetter::GlyphRemapper::new_from_glyphs(gids);
    let bytes = subsetter::subset(data, index, &remapper)
        .map_err(|e| Error::Font(format!("{}（{e}）", f.source)))?;
    // The subsetter drops OS/2; krilla takes the PDF font descriptor's ascent and descent
    // from it (else from hhea, much taller for the Noto faces), so put the original back.
    let bytes = match ttf_parser::RawFace::parse(data, index)
        .ok()
        .and_then(|raw| raw.table(ttf_parser::Tag::from_bytes(b"OS/2")))
    {
        Some(os2) => add_table(&bytes, *b"OS/2", os2).unwrap_or(bytes),
        None => bytes,
    };
    let font = krilla::text::Font::new(krilla::Data::from(bytes), 0)
        .ok_or_else(|| Error::Font(f.source.clone()))?;
    let map = gids
        .iter()
        .filter_map(|&g| remapper.get(g).map(|n| (g, n)))
        .collect();
    Ok(Subset { font, map })
}

/// Rebuild an sfnt (OpenType/TrueType, not a collection) with one more table.
fn add_table(font: &[u8], tag: [u8; 4], table: &[u8]) -> Option<Vec<u8>> {
    let be16 = |o: usize| -> Option<u16> {
        Some(u16::from_be_bytes(font.get(o..o + 2)?.try_into().ok()?))
    };
    let be32 = |o: usize| -> Option<u32> {
        Some(u32::from_be_bytes(font.get(o..o + 4)?.try_into().ok()?))
    };
    let n = be16(4)? as usize;
    let mut tables: Vec<([u8; 4], &[u8])> = Vec::with_capacity(n + 1);
    for i in 0..n {
        let rec = 12 + 16 * i;
        let t: [u8; 4] = font.get(rec..rec + 4)?.try_into().ok()?;
        if t == tag {
            return None;
        }
        let off = be32(rec + 8)? as usize;
        let len = be32(rec + 12)? as usize;
        tables.push((t, font.get(off..off + len)?));
    }
    tables.push((tag, table));
    tables.sort_by_key(|t| t.0);
    let count = tables.len();
    let mut out = Vec::with_capacity(font.len() + table.len() + 64);
    out.extend_from_slice(font.get(0..4)?);
    let pow = 1usize << (usize::BITS - 1 - count.leading_zeros());
    let search = (pow * 16) as u16;
    out.extend_from_slice(&(count as u16).to_be_bytes());
    out.extend_from_slice(&search.to_be_bytes());
    out.extend_from_slice(&(pow.trailing_zeros() as u16).to_be_bytes());
    out.extend_from_slice(&((count * 16) as u16 - search).to_be_bytes());
    let mut offset = 12 + 16 * count;
    let mut body = Vec::new();
    for (t, data) in &tables {
        let sum = data
            .chunks(4)
            .map(|c| {
                let mut w = [0u8; 4];
                w[..c.len()].copy_from_slice(c);
                u32::from_be_bytes(w)
            })
            .fold(0u32, u32::wrapping_add);
        out.extend_from_slice(t);
        out.extend_from_slice(&sum.to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        body.extend_from_slice(data);
        let padded = data.len().div_ceil(4) * 4;
        body.resize(body.len() + padded - data.len(), 0);
        offset += padded;
    }
    out.extend_from_slice(&body);
    Some(out)
}
