//! Fonts embedded as subsets. The `subsetter` crate (what krilla embeds the PDF's fonts with)
//! keeps the outlines, metrics and names of the glyphs the layout drew; it drops `cmap` and
//! `OS/2`, which a PDF does not need but an OFD reader does (TextCode holds Unicode text,
//! mapped to glyphs through the font's cmap). So a cmap for exactly the characters drawn is
//! written here, the original OS/2 is copied, and the table directory is rebuilt.

use std::collections::BTreeMap;

use crate::fonts::Face;

/// The subset of `face` holding the glyphs in `chars` (character → glyph id in `face`), with
/// a cmap mapping each character to its glyph in the subset.
pub fn subset(face: &Face, chars: &BTreeMap<char, u16>) -> Result<Vec<u8>, String> {
    let (data, index) = face.data();
    let gids: Vec<u16> = chars.values().copied().collect();
    let remapper = subsetter::GlyphRemapper::new_from_glyphs_sorted(&gids);
    let sub = subsetter::subset(data, index, &remapper).map_err(|e| e.to_string())?;
    let map: Vec<(u32, u16)> = chars
        .iter()
        .filter(|(_, g)| **g != 0)
        .filter_map(|(c, g)| remapper.get(*g).map(|n| (*c as u32, n)))
        .collect();
    let mut tables = read_tables(&sub).ok_or("子集字体的表目录无效")?;
    tables.push((*b"cmap", cmap(&map)));
    let raw = ttf_parser::RawFace::parse(data, index).map_err(|e| e.to_string())?;
    if let Some(os2) = raw.table(ttf_parser::Tag::from_bytes(b"OS/2")) {
        tables.push((*b"OS/2", os2.to_vec()));
    }
    Ok(write_sfnt(&sub[..4], tables))
}

/// The tables of an sfnt file (no collection), in directory order.
fn read_tables(font: &[u8]) -> Option<Vec<([u8; 4], Vec<u8>)>> {
    let be16 = |at: usize| Some(u16::from_be_bytes(font.get(at..at + 2)?.try_into().ok()?));
    let be32 = |at: usize| Some(u32::from_be_bytes(font.get(at..at + 4)?.try_into().ok()?));
    let count = be16(4)? as usize;
    (0..count)
        .map(|i| {
            let rec = 12 + 16 * i;
            let tag: [u8; 4] = font.get(rec..rec + 4)?.try_into().ok()?;
            let (offset, len) = (be32(rec + 8)? as usize, be32(rec + 12)? as usize);
            Some((tag, font.get(offset..offset + len)?.to_vec()))
        })
        .collect()
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let mut b = [0u8; 4];
        b[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(b))
    })
}

/// `(searchRange, entrySelector, rangeShift)` for `n` entries of `unit` bytes (the binary
/// search header of the table directory and of cmap format 4).
fn search_header(n: u16, unit: u16) -> [u16; 3] {
    let selector = 15 - n.max(1).leading_zeros() as u16;
    let range = (1u16 << selector) * unit;
    [range, selector, n * unit - range]
}

/// An sfnt file from its tables (sorted by tag), with checksums and head.checkSumAdjustment.
fn write_sfnt(version: &[u8], mut tables: Vec<([u8; 4], Vec<u8>)>) -> Vec<u8> {
    tables.sort_by_key(|(tag, _)| *tag);
    let n = tables.len() as u16;
    let mut out = version.to_vec();
    out.extend(n.to_be_bytes());
    for v in search_header(n, 16) {
        out.extend(v.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for (tag, data) in &mut tables {
        if tag == b"head" && data.len() >= 12 {
            data[8..12].fill(0);
            head_at = Some(offset + 8);
        }
        out.extend(*tag);
        out.extend(checksum(data).to_be_bytes());
        out.extend((offset as u32).to_be_bytes());
        out.extend((data.len() as u32).to_be_bytes());
        offset += data.len().next_multiple_of(4);
    }
    for (_, data) in &tables {
        out.extend(data);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    if let Some(at) = head_at {
        let adjust = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[at..at + 4].copy_from_slice(&adjust.to_be_bytes());
    }
    out
}

/// A cmap table: format 4 (Windows BMP) for the BMP characters, and format 12 (Windows full
/// repertoire) for all of them when some lie beyond the BMP. `map` is sorted by character.
fn cmap(map: &[(u32, u16)]) -> Vec<u8> {
    // Runs of consecutive characters with consecutive glyphs: one segment or group each.
    let mut runs: Vec<(u32, u32, u16)> = Vec::new();
    for &(c, g) in map {
        match runs.last_mut() {
            Some((start, end, g0)) if c == *end + 1 && g as u32 == *g0 as u32 + (c - *start) => {
                *end = c
            }
            _ => runs.push((c, c, g)),
        }
    }
    let mut f4 = Vec::new();
    let bmp: Vec<&(u32, u32, u16)> = runs.iter().filter(|r| r.1 < 0xFFFF).collect();
    let seg = bmp.len() as u16 + 1;
    for v in [4u16, 0, 0, seg * 2] {
        f4.extend(v.to_be_bytes());
    }
    for v in search_header(seg, 2) {
        f4.extend(v.to_be_bytes());
    }
    for r in &bmp {
        f4.extend((r.1 as u16).to_be_bytes());
    }
    f4.extend([0xFF, 0xFF, 0, 0]); // the final segment's end, then reservedPad
    for r in &bmp {
        f4.extend((r.0 as u16).to_be_bytes());
    }
    f4.extend([0xFF, 0xFF]);
    for r in &bmp {
        f4.extend(r.2.wrapping_sub(r.0 as u16).to_be_bytes());
    }
    f4.extend(1u16.to_be_bytes());
    f4.extend(vec![0u8; seg as usize * 2]); // idRangeOffset: none
    let len = f4.len() as u16;
    f4[2..4].copy_from_slice(&len.to_be_bytes());

    let full = runs.iter().any(|r| r.1 > 0xFFFF);
    let mut f12 = Vec::new();
    if full {
        f12.extend([0, 12, 0, 0]);
        f12.extend((16 + 12 * runs.len() as u32).to_be_bytes());
        f12.extend(0u32.to_be_bytes());
        f12.extend((runs.len() as u32).to_be_bytes());
        for r in &runs {
            f12.extend(r.0.to_be_bytes());
            f12.extend(r.1.to_be_bytes());
            f12.extend((r.2 as u32).to_be_bytes());
        }
    }
    let records: u16 = if full { 2 } else { 1 };
    let mut out = Vec::new();
    out.extend(0u16.to_be_bytes());
    out.extend(records.to_be_bytes());
    let first = 4 + 8 * records as u32;
    out.extend([0, 3, 0, 1]);
    out.extend(first.to_be_bytes());
    if full {
        out.extend([0, 3, 0, 10]);
        out.extend((first + f4.len() as u32).to_be_bytes());
    }
    out.extend(f4);
    out.extend(f12);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::{FontSet, Role};

    /// The subset is a font ttf-parser reads back: every character maps, through the new cmap,
    /// to a glyph with the advance it had in the full face.
    #[test]
    fn subset_maps_every_drawn_character_to_its_glyph() {
        let fonts = FontSet::embedded();
        for role in [Role::Fangsong, Role::Kaiti] {
            let id = fonts.primary(role, false);
            let face = fonts.face(id);
            let chars: BTreeMap<char, u16> = "通报大足区2021年第二季度（一）：—%"
                .chars()
                .filter_map(|c| face.lookup(c).map(|(g, _)| (c, g)))
                .collect();
            let bytes = subset(face, &chars).unwrap();
            let (data, _) = face.data();
            assert!(bytes.len() * 20 < data.len(), "{role:?}: not a subset");
            let sub = ttf_parser::Face::parse(&bytes, 0).unwrap();
            assert!(sub.tables().os2.is_some());
            for c in chars.keys() {
                let g = sub
                    .glyph_index(*c)
                    .unwrap_or_else(|| panic!("{c} unmapped"));
                let adv = sub.glyph_hor_advance(g).unwrap() as f32 / sub.units_per_em() as f32;
                let (_, want) = face.lookup(*c).unwrap();
                assert!((adv - want).abs() < 1e-4, "{c}: {adv} ≠ {want}");
            }
            assert_eq!(sub.glyph_index('政'), None);
        }
    }

    #[test]
    fn the_latin_subset_carries_the_fangsong_vertical_metrics() {
        let fonts = FontSet::embedded();
        let em_metrics = |role: Role, bytes: &[u8]| {
            let f = ttf_parser::Face::parse(bytes, 0).unwrap();
            let upem = f.units_per_em() as f32;
            let typo = (f.typographic_ascender(), f.typographic_descender());
            let (Some(a), Some(d)) = typo else {
                panic!("{role:?}: no OS/2 typo metrics")
            };
            let em = |v: i16| v as f32 / upem;
            [em(a), em(d), em(f.ascender()), em(f.descender())]
        };
        let sub = |role| {
            let face = fonts.face(fonts.primary(role, false));
            let chars: BTreeMap<char, u16> = "2021年"
                .chars()
                .filter_map(|c| face.lookup(c).map(|(g, _)| (c, g)))
                .collect();
            em_metrics(role, &subset(face, &chars).unwrap())
        };
        let (latin, fangsong) = (sub(Role::Latin), sub(Role::Fangsong));
        for (l, f) in latin.iter().zip(fangsong) {
            assert!(
                (l - f).abs() <= 1.0 / 2048.0,
                "Latin {latin:?}, 仿宋 {fangsong:?}"
            );
        }
    }

    #[test]
    fn cmap_groups_consecutive_characters_and_covers_the_supplementary_planes() {
        let t = cmap(&[(0x41, 1), (0x42, 2), (0x44, 3), (0x20000, 4)]);
        // Two subtables (format 4 and format 12).
        assert_eq!(u16::from_be_bytes([t[2], t[3]]), 2);
        let f12 = &t[t.len() - 16 - 3 * 12..];
        assert_eq!(&f12[..2], &[0, 12]);
        // Three groups: A–B, D, U+20000.
        assert_eq!(u32::from_be_bytes(f12[12..16].try_into().unwrap()), 3);
    }
}
