//! An in-memory copy of the Latin face's file whose vertical metrics are the 仿宋's.
//!
//! A PDF reader boxes a glyph from baseline + Descent × size up to baseline + Ascent × size,
//! Descent and Ascent being the FontDescriptor's (krilla takes them from OS/2 typo metrics;
//! the embedded subset keeps hhea). Liberation Serif declares a descent of 0.216 em, the 仿宋
//! 0.12 em: a digit's box hung 1.5 pt below the hanzi on its baseline, so pdftotext, search
//! highlights and selection split one line of text into two rows. With the 仿宋's figures
//! every line is one box. Only these fields change (no outline, advance or position), so the
//! page renders exactly as before; the font file on disk is never rewritten.

use ttf_parser::{RawFace, Tag};

/// A vertical-metrics field: its table, its byte offset there, whether it is signed.
struct Field {
    table: &'static [u8; 4],
    at: usize,
    signed: bool,
}

const fn field(table: &'static [u8; 4], at: usize, signed: bool) -> Field {
    Field { table, at, signed }
}

const HHEA_ASCENDER: Field = field(b"hhea", 4, true);
const HHEA_DESCENDER: Field = field(b"hhea", 6, true);
const HHEA_LINE_GAP: Field = field(b"hhea", 8, true);

/// Each field copied, with the 仿宋's field it falls back to when the 仿宋 has no OS/2 (what
/// krilla then declares for it: the hhea metrics).
const COPIED: [(Field, Field); 8] = [
    (HHEA_ASCENDER, HHEA_ASCENDER),
    (HHEA_DESCENDER, HHEA_DESCENDER),
    (HHEA_LINE_GAP, HHEA_LINE_GAP),
    (field(b"OS/2", 68, true), HHEA_ASCENDER), // sTypoAscender
    (field(b"OS/2", 70, true), HHEA_DESCENDER), // sTypoDescender
    (field(b"OS/2", 72, true), HHEA_LINE_GAP), // sTypoLineGap
    (field(b"OS/2", 74, false), HHEA_ASCENDER), // usWinAscent
    (field(b"OS/2", 76, false), HHEA_DESCENDER), // usWinDescent (positive, below the baseline)
];

/// `data` (face `index`) with the hhea ascender, descender and line gap and the OS/2 typo and
/// win metrics of `model`, scaled to `data`'s units per em. None if either face cannot be read.
pub fn like(data: &[u8], index: u32, model: &ttf_parser::Face) -> Option<Vec<u8>> {
    let own_upem = ttf_parser::Face::parse(data, index).ok()?.units_per_em() as f64;
    let scale = own_upem / model.units_per_em() as f64;
    let model_raw = model.raw_face();
    let own_raw = RawFace::parse(data, index).ok()?;
    let mut copy = data.to_vec();
    for (target, fallback) in &COPIED {
        let Some(own) = table_range(data, &own_raw, target.table) else {
            continue;
        };
        if own.len() < target.at + 2 {
            continue;
        }
        // usWinDescent counts down from the baseline, hhea's descender up.
        let model_value = read(model_raw, target)
            .or_else(|| read(model_raw, fallback).map(|v| if target.signed { v } else { -v }));
        let Some(value) = model_value else { continue };
        let scaled = (value as f64 * scale).round() as i32;
        let bytes = if target.signed {
            (scaled.clamp(i16::MIN.into(), i16::MAX.into()) as i16).to_be_bytes()
        } else {
            (scaled.clamp(0, u16::MAX.into()) as u16).to_be_bytes()
        };
        let at = own.start + target.at;
        copy[at..at + 2].copy_from_slice(&bytes);
    }
    // Table checksums are left stale: the copy is only read, and what is embedded (the PDF's
    // subset, the OFD's) is rebuilt with fresh checksums.
    Some(copy)
}

/// A field's value in `face`, if its table is long enough to hold it.
fn read(face: &RawFace, f: &Field) -> Option<i32> {
    let table = face.table(Tag::from_bytes(f.table))?;
    let b: [u8; 2] = table.get(f.at..f.at + 2)?.try_into().ok()?;
    Some(if f.signed {
        i16::from_be_bytes(b).into()
    } else {
        u16::from_be_bytes(b).into()
    })
}

/// Where a table of `face` lies in `data` (a font collection's tables are offset from the
/// start of the file).
fn table_range(data: &[u8], face: &RawFace, tag: &[u8; 4]) -> Option<std::ops::Range<usize>> {
    let tag = Tag::from_bytes(tag);
    let rec = face.table_records.into_iter().find(|r| r.tag == tag)?;
    let start = rec.offset as usize;
    let end = start.checked_add(rec.length as usize)?;
    data.get(start..end)?;
    Some(start..end)
}
