//! The measurements of GB/T 9704-2012 the backends use, each defined once, in the unit the
//! standard states it in (mm; type sizes in pt), with the conversions to pt (layout, PDF, OFD)
//! and twips (DOCX). Nothing else in the crate spells one of these numbers.

/// Millimetres to points.
pub const fn pt(mm: f32) -> f32 {
    mm * 72.0 / 25.4
}

/// Points to twips (1/20 pt), rounded.
pub const fn pt_twips(pt: f32) -> i32 {
    let t = pt * 20.0;
    if t < 0.0 {
        (t - 0.5) as i32
    } else {
        (t + 0.5) as i32
    }
}

/// Millimetres to twips, rounded.
pub const fn twips(mm: f32) -> i32 {
    pt_twips(pt(mm))
}

/// A4 paper.
pub const PAPER_W: f32 = 210.0;
pub const PAPER_H: f32 = 297.0;
/// 天头 (top margin) and 订口 (left margin).
pub const TOP: f32 = 37.0;
pub const LEFT: f32 = 28.0;
/// 版心 (type area).
pub const TYPE_W: f32 = 156.0;
pub const TYPE_H: f32 = 225.0;
/// Right and bottom margins: what the paper leaves around the type area.
pub const RIGHT: f32 = PAPER_W - LEFT - TYPE_W;
pub const BOTTOM: f32 = PAPER_H - TOP - TYPE_H;
/// Lines a page and characters a line.
pub const LINES: usize = 22;
pub const CHARS: usize = 28;
/// Line pitch.
pub const PITCH: f32 = TYPE_H / LINES as f32;

/// Upper edge of the 发文机关标志 below the top of the type area.
pub const MARK_TOP: f32 = 35.0;
/// The red rule: its distance below the 发文字号 and its width.
pub const RED_RULE_GAP: f32 = 4.0;
pub const RED_RULE_W: f32 = 0.5;
/// 版记 rules: the first and the last, and those between.
pub const COLOPHON_RULE_OUTER: f32 = 0.35;
pub const COLOPHON_RULE_INNER: f32 = 0.25;
/// Page number below the type area.
pub const FOLIO_GAP: f32 = 7.0;

/// Type sizes (字号), pt.
pub const SIZE_2: f32 = 22.0;
pub const SIZE_3: f32 = 16.0;
pub const SIZE_4: f32 = 14.0;
pub const SIZE_5: f32 = 10.5;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions() {
        assert!((pt(PAPER_W) - 595.276).abs() < 0.001);
        assert!((pt(PAPER_H) - 841.89).abs() < 0.001);
        assert_eq!(twips(PAPER_W), 11906);
        assert_eq!(twips(PAPER_H), 16838);
        assert_eq!(twips(TYPE_W), 8844);
        assert_eq!(twips(TYPE_H) / LINES as i32, 579);
        assert_eq!(pt_twips(-0.25), -5);
        assert_eq!((RIGHT, BOTTOM), (26.0, 35.0));
    }
}
