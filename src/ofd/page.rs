//! One page's Content.xml: each text run of the layout a `TextObject` at the layout's position
//! (`DeltaX` carries the grid spacing), each rule a stroked `PathObject`. Units are mm, y
//! downwards from the page's top edge, as in the layout (which works in pt).

use std::fmt::Write as _;

use crate::layout::{Color, Item, Page, Rule, TextRun, MM};

use super::xml::{self, Ids};

/// The sheet in mm: A4, portrait or landscape.
pub fn sheet_mm(page: &Page) -> (f32, f32) {
    (page.width / MM, page.height / MM)
}

/// Top of a run's Boundary above its baseline, and its height, in em: room for the ideographic
/// em box (0.88 above the baseline) and descenders. Readers may clip text to the Boundary.
const ABOVE: f32 = 1.0;
const HEIGHT: f32 = 1.25;

/// The colour attribute value, `None` for black (the default fill and stroke).
fn rgb(c: Color) -> Option<&'static str> {
    match c {
        Color::Black => None,
        Color::Red => Some("230 0 18"),
    }
}

/// `v` in thousandths of a mm (1 µm), the precision every number is written with.
fn milli(v: f32) -> i64 {
    (v as f64 * 1000.0).round() as i64
}

/// A number in mm to a thousandth (1 µm), without trailing zeros.
pub fn num(out: &mut String, v: f32) {
    write_milli(out, milli(v));
}

/// Thousandths written as a decimal without trailing zeros: 5644 → "5.644", 1500 → "1.5".
fn write_milli(out: &mut String, m: i64) {
    if m < 0 {
        out.push('-');
    }
    let m = m.unsigned_abs();
    let _ = write!(out, "{}", m / 1000);
    let mut frac = m % 1000;
    if frac > 0 {
        out.push('.');
        let mut digits = 3;
        while frac.is_multiple_of(10) {
            frac /= 10;
            digits -= 1;
        }
        let _ = write!(out, "{frac:0digits$}");
    }
}

fn nums(out: &mut String, vs: &[f32]) {
    for (i, v) in vs.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        num(out, *v);
    }
}

/// `DeltaX` for advances in thousandths of a mm: runs of one value written `g N v` (as
/// GB/T 33190 allows).
fn delta_x(out: &mut String, deltas: &[i64]) {
    let mut i = 0;
    let mut first = true;
    while i < deltas.len() {
        let mut j = i + 1;
        while j < deltas.len() && deltas[j] == deltas[i] {
            j += 1;
        }
        if !first {
            out.push(' ');
        }
        first = false;
        if j - i > 1 {
            let _ = write!(out, "g {} ", j - i);
        }
        write_milli(out, deltas[i]);
        i = j;
    }
}

/// The Content.xml of `page`; `font_id(face)` is the resource ID of a face's font.
pub fn content(page: &Page, ids: &mut Ids, font_id: &dyn Fn(u16) -> u32) -> String {
    let (w, h) = sheet_mm(page);
    let mut out = String::with_capacity(64 * 1024);
    out.push_str(xml::DECL);
    let _ = write!(
        out,
        "<ofd:Page xmlns:ofd=\"{}\">\n<ofd:Area><ofd:PhysicalBox>0 0 ",
        xml::NS
    );
    nums(&mut out, &[w, h]);
    let _ = write!(
        out,
        "</ofd:PhysicalBox></ofd:Area>\n<ofd:Content>\n<ofd:Layer ID=\"{}\" Type=\"Body\">\n",
        ids.next()
    );
    for item in &page.items {
        if let Item::Rule(r) = item {
            rule(&mut out, r, ids);
        }
    }
    for item in page.texts().chain(&page.folio) {
        text(&mut out, item, ids, font_id(item.face));
    }
    out.push_str("</ofd:Layer>\n</ofd:Content>\n</ofd:Page>\n");
    out
}

/// A rule as a stroked line; a horizontal rule reaches half its width past its ends (square
/// corners where it meets the vertical rules), as in the PDF.
fn rule(out: &mut String, r: &Rule, ids: &mut Ids) {
    let lw = r.width / MM;
    let (mut x1, y1, mut x2, y2) = (r.x1 / MM, r.y1 / MM, r.x2 / MM, r.y2 / MM);
    if (y1 - y2).abs() < 0.001 {
        let (a, b) = (x1.min(x2), x1.max(x2));
        (x1, x2) = (a - lw / 2.0, b + lw / 2.0);
    }
    let (left, top) = (x1.min(x2) - lw / 2.0, y1.min(y2) - lw / 2.0);
    let (bw, bh) = ((x1 - x2).abs() + lw, (y1 - y2).abs() + lw);
    let _ = write!(out, "<ofd:PathObject ID=\"{}\" Boundary=\"", ids.next());
    nums(out, &[left, top, bw, bh]);
    out.push_str("\" LineWidth=\"");
    num(out, lw);
    out.push_str("\">\n");
    if let Some(c) = rgb(r.color) {
        let _ = writeln!(out, "<ofd:StrokeColor Value=\"{c}\"/>");
    }
    out.push_str("<ofd:AbbreviatedData>M ");
    nums(out, &[x1 - left, y1 - top]);
    out.push_str(" L ");
    nums(out, &[x2 - left, y2 - top]);
    out.push_str("</ofd:AbbreviatedData>\n</ofd:PathObject>\n");
}

/// A text run as one TextObject with one TextCode per stretch of non-space characters (spaces
/// are positions, not text: readers trim them from element text).
fn text(out: &mut String, t: &TextRun, ids: &mut Ids, font: u32) {
    if t.glyphs.is_empty() {
        return;
    }
    let size = t.size / MM;
    let x0 = (t.x + t.glyphs[0].dx) / MM;
    let base = t.y / MM;
    let last = t.glyphs.last().expect("not empty");
    let width = (last.dx + last.advance - t.glyphs[0].dx) / MM;
    let _ = write!(out, "<ofd:TextObject ID=\"{}\" Boundary=\"", ids.next());
    // The object's own space is the run's box.
    let (ox, oy) = (x0, base - ABOVE * size);
    nums(out, &[ox, oy, width, HEIGHT * size]);
    let _ = write!(out, "\" Font=\"{font}\" Size=\"");
    num(out, size);
    out.push_str("\">\n");
    if let Some(c) = rgb(t.color) {
        let _ = writeln!(out, "<ofd:FillColor Value=\"{c}\"/>");
    }
    let mut i = 0;
    let n = t.glyphs.len();
    let is_space = |k: usize| {
        let g = &t.glyphs[k];
        t.text[g.range.start as usize..g.range.end as usize]
            .chars()
            .all(char::is_whitespace)
    };
    let mut deltas: Vec<i64> = Vec::new();
    while i < n {
        if is_space(i) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < n && !is_space(j) {
            j += 1;
        }
        out.push_str("<ofd:TextCode X=\"");
        num(out, x0 + (t.glyphs[i].dx - t.glyphs[0].dx) / MM - ox);
        out.push_str("\" Y=\"");
        num(out, base - oy);
        out.push('"');
        if j - i > 1 {
            deltas.clear();
            deltas.extend((i..j - 1).map(|k| milli((t.glyphs[k + 1].dx - t.glyphs[k].dx) / MM)));
            out.push_str(" DeltaX=\"");
            delta_x(out, &deltas);
            out.push('"');
        }
        out.push('>');
        let from = t.glyphs[i].range.start as usize;
        let to = t.glyphs[j - 1].range.end as usize;
        xml::text(out, &t.text[from..to]);
        out.push_str("</ofd:TextCode>\n");
        i = j;
    }
    out.push_str("</ofd:TextObject>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_millimetres_to_a_micrometre() {
        let mut s = String::new();
        nums(&mut s, &[5.644_444, 0.0, -0.0001, 210.0, 1.5, -2.05, 0.007]);
        assert_eq!(s, "5.644 0 0 210 1.5 -2.05 0.007");
    }

    #[test]
    fn equal_advances_are_abbreviated() {
        let mut s = String::new();
        delta_x(&mut s, &[5600, 5600, 5600, 2800, 5600]);
        assert_eq!(s, "g 3 5.6 2.8 5.6");
    }
}
