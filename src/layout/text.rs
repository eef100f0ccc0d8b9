//! Line breaking on the character grid: shaping to cached glyphs, 避头尾 and never-split units,
//! greedy filling, justification, and the balanced wrapping of titles.

use crate::charmap::CharMap;
use crate::fonts::{is_wide, FontSet, Glyph, Role};

use super::{cell, Color, PlacedGlyph, TextRun};

// The character classes below are `matches!` rather than `str::contains`: they are asked of
// every character shaped and every break considered, and a match is a few compares where a
// search walks the whole string.

/// Never at the start of a line (GB/T 15834 via the OOXML kinsoku list).
#[rustfmt::skip]
fn no_start(ch: char) -> bool {
    matches!(
        ch,
        '、' | '。' | '，' | '；' | '：' | '？' | '！' | '）' | '》' | '」' | '』' | '】' | '〕'
            | '〗' | '〉' | '］' | '｝' | '’' | '”' | '%' | '‰' | '℃' | '…' | '·' | '．' | ','
            | '.' | ';' | ':' | '?' | '!' | ')' | ']' | '}' | '％' | '｡' | '､' | 'ー' | '々' | '〻'
    )
}
/// Never at the end of a line.
#[rustfmt::skip]
fn no_end(ch: char) -> bool {
    matches!(
        ch,
        '（' | '《' | '「' | '『' | '【' | '〔' | '〖' | '〈' | '［' | '｛' | '‘' | '“' | '(' | '['
            | '{'
    )
}
/// Characters that belong to the number before them (a year, a date, a count with its unit).
#[rustfmt::skip]
fn is_unit(ch: char) -> bool {
    matches!(
        ch,
        '年' | '月' | '日' | '时' | '分' | '秒' | '个' | '名' | '家' | '条' | '次' | '人' | '万'
            | '亿' | '元' | '号' | '项' | '岁' | '天' | '点' | '位' | '所' | '件' | '篇' | '期'
            | '批' | '%' | '％' | '‰' | '℃' | '倍'
    )
}

/// A character with its face and width.
#[derive(Debug, Clone, Copy)]
pub struct SChar {
    pub ch: char,
    pub role: Role,
    pub glyph: Glyph,
    /// Advance on the grid, in pt, after the 标点挤压 of adjacent marks.
    pub w: f32,
    /// Advance before that (what a mark takes at the end of a line, its partner on the next).
    pub full: f32,
    /// How much of `w` a line may take back by compressing this mark (its blank half), pt.
    pub shrink: f32,
    /// Where the glyph is drawn inside its box, pt from the box's left edge.
    pub dx: f32,
    pub color: Color,
    /// Part of a long half-width run (a web address, [`LONG_RUN`]): it may break inside, and
    /// a justified line spreads its slack between its characters too.
    pub long_run: bool,
}

impl SChar {
    /// The same character at `k` times the size (tables are shaped at 1 pt, then scaled).
    pub fn scaled(&self, k: f32) -> SChar {
        SChar {
            w: self.w * k,
            full: self.full * k,
            shrink: self.shrink * k,
            dx: self.dx * k,
            ..*self
        }
    }
}

/// Marks whose ink sits in the left half of the em box (the right half is blank).
#[rustfmt::skip]
fn closing(ch: char) -> bool {
    matches!(
        ch,
        '，' | '。' | '、' | '）' | '》' | '」' | '』' | '】' | '〕' | '〗' | '〉' | '］' | '｝'
            | '”' | '’'
    )
}
/// Marks whose ink sits in the right half (the left half is blank).
#[rustfmt::skip]
fn opening(ch: char) -> bool {
    matches!(
        ch,
        '（' | '《' | '「' | '『' | '【' | '〔' | '〖' | '〈' | '［' | '｛' | '“' | '‘'
    )
}

/// Resolve each character of styled pieces to a glyph and a grid width at `size`, then apply
/// 标点挤压 (W3C clreq 3.1.6, GB/T 15834): of two adjacent marks, the blank halves between
/// them go, so that "），" or "。”" takes a cell and a half.
pub fn shape(
    fonts: &FontSet,
    pieces: &[(&str, Role)],
    size: f32,
    traditional: bool,
    color: Color,
) -> Vec<SChar> {
    let mut out = shape_plain(fonts, pieces, size, traditional, color);
    for i in 1..out.len() {
        let (a, b) = (out[i - 1].ch, out[i].ch);
        if out[i - 1].shrink > 0.0
            && closing(a)
            && (closing(b) || opening(b) || "：；？！".contains(b))
        {
            compress(&mut out[i - 1], false);
        } else if out[i].shrink > 0.0 && opening(a) && opening(b) {
            compress(&mut out[i], true);
        }
    }
    out
}

/// [`shape`] without the 标点挤压 of adjacent marks: every mark keeps its full cell.
pub fn shape_plain(
    fonts: &FontSet,
    pieces: &[(&str, Role)],
    size: f32,
    traditional: bool,
    color: Color,
) -> Vec<SChar> {
    let mut out = Vec::new();
    shape_plain_into(&mut out, fonts, pieces, size, traditional, color);
    out
}

/// [`shape_plain`] into `out`, which is cleared first (a buffer used again from cell to
/// cell; a new one is sized exactly).
pub fn shape_plain_into(
    out: &mut Vec<SChar>,
    fonts: &FontSet,
    pieces: &[(&str, Role)],
    size: f32,
    traditional: bool,
    color: Color,
) {
    let c = cell(size);
    let latin = fonts.primary(Role::Latin, false);
    out.clear();
    out.reserve_exact(pieces.iter().map(|(text, _)| text.chars().count()).sum());
    for (text, role) in pieces {
        let shown = text
            .chars()
            .filter(|&ch| ch != '\n' && ch != '\r' && ch != '\t');
        for (ch, glyph) in fonts.glyphs(*role, traditional, shown) {
            // The Latin face is proportional: its digits take half a cell, its period a
            // quarter, as a compositor sets them. In the CJK faces, digits, narrow letters and
            // half-width punctuation take half a cell, as on Word's character grid; wider
            // glyphs (%, capitals) keep their advance.
            let w = if is_wide(ch) {
                c
            } else if ch == ' ' || glyph.face == latin || glyph.advance > 0.6 {
                glyph.advance * c
            } else {
                c / 2.0
            };
            let dx = if is_wide(ch) {
                mark_offset(fonts, &glyph, ch, w, size)
            } else {
                0.0
            };
            let compressible = is_wide(ch) && (closing(ch) || opening(ch));
            out.push(SChar {
                ch,
                role: *role,
                glyph,
                w,
                full: w,
                shrink: if compressible { w / 2.0 } else { 0.0 },
                dx,
                color,
                long_run: false,
            });
        }
    }
    mark_long_runs(out);
    // A sign of the Latin face outside a number or a word (a formula's - + = [ ] among hanzi,
    // "1." before one, the ")," of "(详见附件1),") keeps the half cell it has on the grid, as in
    // the CJK faces: only with a letter or digit on each side, through other signs ("96.8",
    // "gov.cn", "http://www") does it close up to its own width.
    let latin_sign = |c: &SChar| c.glyph.face == latin && c.ch.is_ascii_punctuation();
    let word = |c: &SChar| c.glyph.face == latin && c.ch.is_ascii_alphanumeric();
    let mut i = 0;
    while i < out.len() {
        if !latin_sign(&out[i]) {
            i += 1;
            continue;
        }
        // A run of signs, out[i..j], between out[i - 1] and out[j].
        let mut j = i;
        while j < out.len() && latin_sign(&out[j]) {
            j += 1;
        }
        let inside = i > 0 && word(&out[i - 1]) && out.get(j).is_some_and(word);
        if !inside {
            for c in &mut out[i..j] {
                if c.w < cell(size) / 2.0 {
                    c.w = cell(size) / 2.0;
                    c.full = c.w;
                }
            }
        }
        i = j;
    }
}

/// Where a full-width character's glyph is drawn in its box of `w` pt. A mark whose ink sits
/// on the wrong side of its box (a traditional face's centred brackets, its proportional
/// quotes) is moved to where the simplified face draws it: an opening mark's ink against the
/// character after it, a closing mark's against the one before, [`MARK_BEARING`] from the box's
/// edge, so that 标点挤压 takes a blank half. Other narrow glyphs are centred.
fn mark_offset(fonts: &FontSet, glyph: &Glyph, ch: char, w: f32, size: f32) -> f32 {
    let bracket = !matches!(ch, '，' | '。' | '、');
    let open = opening(ch);
    if bracket && (open || closing(ch)) {
        if let Some((x0, x1)) = fonts.face(glyph.face).ink(glyph.gid) {
            let (x0, x1) = (x0 * size, x1 * size);
            let half = w / 2.0 + 0.01;
            if open && x0 < w - half {
                return w - MARK_BEARING * size - x1;
            }
            if !open && x1 > half {
                return MARK_BEARING * size - x0;
            }
        }
        return 0.0;
    }
    let advance = glyph.advance * size;
    if advance >= w - 0.01 || closing(ch) {
        0.0
    } else {
        (w - advance) / 2.0
    }
}

/// The blank between a mark's ink and the outer edge of its box, in em (the simplified
/// 仿宋's brackets and quotes leave about a tenth).
const MARK_BEARING: f32 = 0.1;

/// Take a mark's blank half away for good (an opening mark's blank half is on its left).
fn compress(c: &mut SChar, opening: bool) {
    c.w -= c.shrink;
    if opening {
        // An opening mark never ends a line: nothing to give back there.
        c.full = c.w;
    }
    if opening {
        c.dx -= c.shrink;
    }
    c.shrink = 0.0;
}

fn is_halfwidth_word(ch: char) -> bool {
    !is_wide(ch) && !ch.is_whitespace()
}

fn is_digit(ch: char) -> bool {
    ch.is_ascii_digit() || ('０'..='９').contains(&ch)
}

/// Whether a line may break between `a` and `b`.
pub fn can_break(a: char, b: char) -> bool {
    if a.is_whitespace() {
        return true;
    }
    if b.is_whitespace() {
        return false;
    }
    if is_halfwidth_word(a) && is_halfwidth_word(b) {
        return false;
    }
    if no_start(b) || no_end(a) {
        return false;
    }
    if (a == '—' && b == '—') || (a == '…' && b == '…') || (a == '⋯' && b == '⋯') {
        return false;
    }
    if is_digit(a) && is_unit(b) {
        return false;
    }
    true
}

/// `brk[i]`: a line may start at character `i` (i > 0).
pub fn break_points(chars: &[SChar]) -> Vec<bool> {
    let mut brk: Vec<bool> = breaks(chars).collect();
    for i in long_run_breaks(chars) {
        brk[i] = true;
    }
    brk
}

/// A run of half-width characters at least this long that holds a letter is taken for a web
/// address, a file name or an account ID (http://www.….gov.cn/…/t20240612_1234567.html).
/// Such a run is longer than what remains of most lines, so it may break inside (see
/// [`long_run_breaks`]); a shorter one (zengdu.gov.cn, 2024-07-05, 96.8%) stays whole.
const LONG_RUN: usize = 20;

/// Set `long_run` on the characters of every long half-width run ([`LONG_RUN`]).
fn mark_long_runs(chars: &mut [SChar]) {
    let n = chars.len();
    let mut i = 0;
    while i < n {
        if !is_halfwidth_word(chars[i].ch) {
            i += 1;
            continue;
        }
        let s = i;
        while i < n && is_halfwidth_word(chars[i].ch) {
            i += 1;
        }
        let run = &mut chars[s..i];
        if run.len() >= LONG_RUN && run.iter().any(|c| c.ch.is_ascii_alphabetic()) {
            run.iter_mut().for_each(|c| c.long_run = true);
        }
    }
}

/// Where a long half-width run may break, as the Chicago Manual breaks a URL: after a slash
/// (not between the two of //), before . ? # & = _ - ~ (not before a second one). Such a
/// break costs as splitting a document number does ([`keep_whole`]), so a line takes it only
/// where nothing better is left.
fn long_run_breaks(chars: &[SChar]) -> impl Iterator<Item = usize> + '_ {
    let before = |c: char| matches!(c, '.' | '?' | '#' | '&' | '=' | '_' | '-' | '~');
    (1..chars.len()).filter(move |&k| {
        let (a, b) = (&chars[k - 1], &chars[k]);
        a.long_run
            && b.long_run
            && ((a.ch == '/' && b.ch != '/') || (before(b.ch) && !before(a.ch) && a.ch != '/'))
    })
}

fn breaks(chars: &[SChar]) -> impl Iterator<Item = bool> + '_ {
    (0..chars.len()).map(|i| i > 0 && can_break(chars[i - 1].ch, chars[i].ch))
}

/// Break points inside a table cell, into `brk` (cleared first): as [`break_points`], never
/// inside a word of the vocabulary ([`words`]: 不合格, 扫描, 专栏 …), so that a cell wraps
/// between words, and never before a last ideograph (a 孤字 such as 区住房城乡建｜委 alone
/// on the cell's last line).
pub fn cell_break_points(chars: &[SChar], brk: &mut Vec<bool>) {
    brk.clear();
    brk.extend(breaks(chars));
    for i in long_run_breaks(chars) {
        brk[i] = true;
    }
    let mut i = 0;
    for len in word_lengths(chars) {
        brk[i + 1..i + len].fill(false);
        i += len;
    }
    let n = chars.len();
    if n >= 2 && is_wide(chars[n - 1].ch) && is_wide(chars[n - 2].ch) {
        brk[n - 1] = false;
    }
}

/// `keep[i]`: a break before character `i` would split a group a reader takes as one: a
/// document number (渝府办发〔2019〕63号, with the last four characters of its issuer code),
/// a date (2019年7月31日) or a reference to an attachment (附件2). Such breaks are allowed,
/// at a cost (see [`fit`]).
pub fn keep_whole(chars: &[SChar]) -> Vec<bool> {
    let n = chars.len();
    let mut keep = vec![false; n];
    let ch = |i: usize| chars[i].ch;
    for i in 0..n {
        match ch(i) {
            '〔' => {
                // Issuer code: up to four ideographs before the bracket.
                let mut s = i;
                while s > 0
                    && i - s < 4
                    && is_wide(ch(s - 1))
                    && !no_start(ch(s - 1))
                    && !no_end(ch(s - 1))
                {
                    s -= 1;
                }
                let mut e = i + 1;
                while e < n && ch(e) != '号' && (is_digit(ch(e)) || ch(e) == '〕') && e - i < 12 {
                    e += 1;
                }
                if e < n && ch(e) == '号' {
                    keep[s + 1..=e].iter_mut().for_each(|k| *k = true);
                }
            }
            '年' | '月' if i + 1 < n && is_digit(ch(i + 1)) && i > 0 && is_digit(ch(i - 1)) => {
                keep[i + 1] = true;
            }
            '附' if i + 1 < n && ch(i + 1) == '件' => {
                keep[i + 1] = true;
                if i + 2 < n && is_digit(ch(i + 2)) {
                    keep[i + 2] = true;
                }
            }
            _ => {}
        }
    }
    for i in long_run_breaks(chars) {
        keep[i] = true;
    }
    keep
}

/// One line: a range of characters and the width they take (trailing spaces excluded).
#[derive(Debug, Clone, PartialEq)]
pub struct LineSpan {
    pub start: usize,
    pub end: usize,
    pub width: f32,
}

fn visible_end(chars: &[SChar], start: usize, end: usize) -> usize {
    let mut e = end;
    while e > start && chars[e - 1].ch.is_whitespace() {
        e -= 1;
    }
    e
}

fn span_width(chars: &[SChar], start: usize, end: usize) -> f32 {
    let e = visible_end(chars, start, end);
    if e == start {
        return 0.0;
    }
    chars[start..e - 1].iter().map(|c| c.w).sum::<f32>() + chars[e - 1].full
}

/// The line of `chars[start..end]`.
pub fn span(chars: &[SChar], start: usize, end: usize) -> LineSpan {
    LineSpan {
        start,
        end,
        width: span_width(chars, start, end),
    }
}

/// Greedy line filling for ragged text (centred lines): `limit(n)` is the measure of the
/// n-th line (0-based); a line may take back its marks' blank halves (compressed and squeezed,
/// [`room`]) to hold one more unit.
pub fn break_lines(chars: &[SChar], limit: impl Fn(usize) -> f32) -> Vec<LineSpan> {
    let brk = break_points(chars);
    let mut lines = Vec::new();
    let mut s = 0;
    while let Some(start) = line_start(chars, s) {
        let end = greedy_end(chars, &brk, start, limit(lines.len()), true);
        lines.push(span(chars, start, end));
        s = end;
    }
    lines
}

/// A line of a table cell ends at a space between list items rather than inside the item that
/// follows, when the line is still this share of the measure full. (Only a space: a 、 or ，
/// in a cell is as often inside a sentence, whose lines should stay full.)
const LIST_FILL: f32 = 0.6;

/// Lines of a table cell `max` wide: greedy at full widths, except that a line that would end
/// inside a list item ends before it (“市林业局”网 ｜“市退役军人事务局”网, not
/// “市林业局”网 “市｜退役军人事务局”网) when that leaves it [`LIST_FILL`] full.
pub fn break_cell_lines<'a>(
    chars: &'a [SChar],
    brk: &'a [bool],
    max: f32,
) -> impl Iterator<Item = LineSpan> + 'a {
    let separator = |c: char| c.is_whitespace();
    let mut s = 0;
    std::iter::from_fn(move || {
        let start = line_start(chars, s)?;
        let mut end = greedy_end(chars, brk, start, max, false);
        if end < chars.len() && !separator(chars[end - 1].ch) {
            if let Some(p) = (start + 1..end)
                .rev()
                .find(|&p| brk[p] && separator(chars[p - 1].ch))
            {
                if span_width(chars, start, p) >= LIST_FILL * max {
                    end = p;
                }
            }
        }
        s = end;
        Some(span(chars, start, end))
    })
}

/// Where the next line starts at or after `s`: never at a space; `None` at the end.
fn line_start(chars: &[SChar], mut s: usize) -> Option<usize> {
    while s < chars.len() && chars[s].ch == ' ' {
        s += 1;
    }
    (s < chars.len()).then_some(s)
}

/// The end of the longest line from `s` that fits `max`, at a break point (or cut inside a
/// unit longer than the line); `tighten`: with its marks compressed (not in table cells,
/// which a word processor sets at full widths).
fn greedy_end(chars: &[SChar], brk: &[bool], s: usize, max: f32, tighten: bool) -> usize {
    let mut last_break = None;
    let ends = (s + 1..chars.len())
        .filter(|&e| brk[e])
        .chain([chars.len()]);
    for e in ends {
        let room = if tighten {
            shrink_room(chars, s, e, max)
        } else {
            0.0
        };
        if span_width(chars, s, e) - room > max + 0.01 {
            return last_break.unwrap_or_else(|| overflow_end(chars, s, max));
        }
        last_break = Some(e);
    }
    chars.len()
}

/// One unit longer than the line: cut it where it overflows (at least one character).
fn overflow_end(chars: &[SChar], s: usize, max: f32) -> usize {
    let mut w = 0.0;
    for (i, c) in chars.iter().enumerate().skip(s) {
        w += c.w;
        if w > max + 0.01 {
            return i.max(s + 1);
        }
    }
    chars.len()
}

/// A line holds at most two characters more than its measure, counting a cell for each
/// full-width character and half for the others as GB/T 9704's 28 characters a line are
/// counted (a full line more than one is penalised, see [`COUNT_PENALTY`]): compression
/// beyond that would show.
fn too_full(line: &[SChar], measure: f32, em: f32) -> bool {
    nominal(line) > measure / em + 2.0 + 0.01
}

/// The compression a line may take.
fn shrink_room(chars: &[SChar], start: usize, end: usize, measure: f32) -> f32 {
    let line = &chars[start..visible_end(chars, start, end)];
    let em = line.iter().map(|c| c.w).fold(0.0, f32::max);
    if too_full(line, measure, em) {
        return 0.0;
    }
    room(line, em).1
}

/// The gaps of a justified line: between characters, not inside a half-width word; a gap
/// between an ideograph and a Latin word or number is a boundary.
#[derive(Clone, Copy, PartialEq)]
enum Gap {
    None,
    Plain,
    Boundary,
}

fn gap(a: &SChar, b: &SChar) -> Gap {
    if a.long_run && b.long_run {
        // A web address on a justified line takes its share of the slack: otherwise the
        // ideographs beside it would take all of it.
        return Gap::Plain;
    }
    let (a, b) = (a.ch, b.ch);
    match (is_halfwidth_word(a), is_halfwidth_word(b)) {
        (true, true) => Gap::None,
        (false, false) => Gap::Plain,
        // Only letters and digits: a formula's signs (100-（…）+加分) stay tight.
        (true, false) if a.is_alphanumeric() && !is_punct(b) => Gap::Boundary,
        (false, true) if b.is_alphanumeric() && !is_punct(a) => Gap::Boundary,
        _ => Gap::Plain,
    }
}

fn gaps(line: &[SChar]) -> usize {
    (1..line.len())
        .filter(|&i| gap(&line[i - 1], &line[i]) != Gap::None)
        .count()
}

/// A boundary between ideographs and Latin text takes up to this much of a line's slack first,
/// in characters.
const BOUNDARY: f32 = 1.0 / 8.0;

/// What a boundary may hold in all when a chosen line is still loose, in characters (clreq
/// 3.2.3: at most a quarter character there, the way Word's autospacing sets it): the number
/// that could not fit at the line's end widens its own gaps before the ideographs are
/// letter-spaced past [`LOOSE`]. Line breaking does not count on it: such a line stays loose
/// to the breaker, taken only when no better break exists.
const BOUNDARY_LOOSE: f32 = 1.0 / 4.0;

/// How `slack` pt is spread over a line: (extra at each boundary, extra at every gap);
/// `placing`: the line is set, its boundaries may take up to [`BOUNDARY_LOOSE`].
fn spread(line: &[SChar], slack: f32, em: f32, placing: bool) -> (f32, f32) {
    let (all, bounds) = gap_counts(line);
    spread_over(all, bounds, slack, em, placing)
}

/// A line's gaps: (all, of which boundaries).
fn gap_counts(line: &[SChar]) -> (usize, usize) {
    let (mut all, mut bounds) = (0usize, 0usize);
    for i in 1..line.len() {
        match gap(&line[i - 1], &line[i]) {
            Gap::None => {}
            Gap::Plain => all += 1,
            Gap::Boundary => {
                all += 1;
                bounds += 1;
            }
        }
    }
    (all, bounds)
}

/// [`spread`] over a line with `all` gaps, `bounds` of them boundaries.
fn spread_over(all: usize, bounds: usize, slack: f32, em: f32, placing: bool) -> (f32, f32) {
    if all == 0 {
        // One character (or one word): nothing to spread over, all of it is loose.
        return (0.0, slack);
    }
    if slack <= 0.0 || bounds == 0 {
        return (0.0, slack / all as f32);
    }
    let b = (slack / bounds as f32).min(em * BOUNDARY);
    let extra = (slack - b * bounds as f32) / all as f32;
    if !placing || extra <= em * LOOSE {
        return (b, extra);
    }
    // Loose: every gap keeps LOOSE, the boundaries take the rest up to BOUNDARY_LOOSE in all.
    let tight = em * LOOSE * all as f32;
    let b = ((slack - tight) / bounds as f32).min(em * (BOUNDARY_LOOSE - LOOSE));
    (b, (slack - b * bounds as f32) / all as f32)
}

/// The width the checker of GB/T 9704's 28 characters a line counts: a cell for a full-width
/// character, half for the others and for the Latin-1 signs × ÷ (counted by code point).
fn nominal(line: &[SChar]) -> f32 {
    line.iter().map(|c| nominal_of(c.ch)).sum()
}

/// One character's share of [`nominal`].
fn nominal_of(ch: char) -> f32 {
    if is_wide(ch) && ch as u32 > 0xFF {
        1.0
    } else {
        0.5
    }
}

/// Stretch in characters per gap (what line-stretch.py measures) above which a line is loose.
pub const LOOSE: f32 = 1.0 / 16.0;

/// Tightening between characters a line may take after its marks' compression, in
/// characters per gap: invisible, and what lets a line keep a number with its unit.
const SQUEEZE: f32 = 1.0 / 40.0;

/// How much a line may be shortened: its marks' blank halves (not the line-end mark's: its
/// glyph box would stick out of the type area, and text extraction, the reader's copy and
/// search, would see a line wider than 156 mm), then [`SQUEEZE`] a gap. Returns (from the
/// marks, in all).
fn room(line: &[SChar], em: f32) -> (f32, f32) {
    let Some((_, body)) = line.split_last() else {
        return (0.0, 0.0);
    };
    let marks: f32 = body.iter().map(|c| c.shrink).sum();
    (marks, marks + gaps(line) as f32 * em * SQUEEZE)
}

/// Cost of a line of width `w` set to `measure` with `gaps` gaps, `em` pt a character
/// (`last`: the paragraph's last line, which is not stretched); `marks` is the compression its
/// marks allow: a line wider than the measure is compressed there first, then squeezed (the
/// caller checked that it can be).
fn line_cost(gaps: (usize, usize), w: f32, measure: f32, marks: f32, em: f32, last: bool) -> f32 {
    if w > measure {
        // Compression costs about as much as a well-stretched line: it is the compositor's
        // first resort, not free; squeezing is the last.
        let need = w - measure;
        let from_marks = need.min(marks);
        return (8.0 * from_marks + 40.0 * (need - from_marks)) / em;
    }
    if last {
        return 0.0;
    }
    let f = spread_over(gaps.0, gaps.1, measure - w, em, false).1 / em / LOOSE;
    if f <= 1.0 {
        10.0 * f * f
    } else {
        10.0 + 400.0 * (f - 1.0)
    }
}

/// Breaking a group [`keep_whole`] marks.
const KEEP_PENALTY: f32 = 40.0;
/// A full line holding fewer than 27 or more than 29 characters.
const COUNT_PENALTY: f32 = 150.0;
/// A last line holding a single character (孤字), punctuation aside.
const LONE_PENALTY: f32 = 200.0;

fn is_punct(ch: char) -> bool {
    closing(ch) || opening(ch) || no_start(ch)
}

/// Running sums over a paragraph, so that [`fit`] measures each candidate line in constant
/// time instead of walking it: the same figures as [`nominal`], [`room`]'s marks and
/// [`gap_counts`] of `chars[s..v]`.
struct Prefix {
    nominal: Vec<f32>,
    shrink: Vec<f32>,
    /// Gaps between `chars[i - 1]` and `chars[i]` for i < k (all, boundaries).
    gaps: Vec<(usize, usize)>,
}

impl Prefix {
    fn new(chars: &[SChar]) -> Prefix {
        let n = chars.len();
        let (mut nominal, mut shrink, mut gaps) = (
            Vec::with_capacity(n + 1),
            Vec::with_capacity(n + 1),
            Vec::with_capacity(n + 1),
        );
        let (mut nom, mut shr, mut g) = (0.0f32, 0.0f32, (0usize, 0usize));
        for (i, c) in chars.iter().enumerate() {
            nominal.push(nom);
            shrink.push(shr);
            gaps.push(g);
            nom += nominal_of(c.ch);
            shr += c.shrink;
            if i > 0 {
                match gap(&chars[i - 1], c) {
                    Gap::None => {}
                    Gap::Plain => g.0 += 1,
                    Gap::Boundary => g = (g.0 + 1, g.1 + 1),
                }
            }
        }
        nominal.push(nom);
        shrink.push(shr);
        gaps.push(g);
        Prefix {
            nominal,
            shrink,
            gaps,
        }
    }

    fn nominal(&self, s: usize, v: usize) -> f32 {
        self.nominal[v] - self.nominal[s]
    }

    /// The marks' compression of `chars[s..v]` but its last character's.
    fn marks(&self, s: usize, v: usize) -> f32 {
        if v <= s + 1 {
            return 0.0;
        }
        self.shrink[v - 1] - self.shrink[s]
    }

    /// The gaps inside `chars[s..v]` (pairs i - 1, i with s < i < v).
    fn gaps(&self, s: usize, v: usize) -> (usize, usize) {
        if v <= s + 1 {
            return (0, 0);
        }
        let (a, b) = (self.gaps[v], self.gaps[s + 1]);
        (a.0 - b.0, a.1 - b.1)
    }
}

/// Justified paragraph lines of `first` pt (the first line) and `rest` pt (the others), chosen
/// over the whole paragraph as a compositor would (total fit, linear in its length: a line
/// holds a bounded number of characters): compress marks before letter-spacing, keep document
/// numbers and dates whole where that costs no loose line, and never leave one character alone
/// on the last line.
pub fn fit(chars: &[SChar], first: f32, rest: f32) -> Vec<LineSpan> {
    let n = chars.len();
    if n == 0 {
        return Vec::new();
    }
    let brk = break_points(chars);
    let keep = keep_whole(chars);
    let em = chars.iter().map(|c| c.w).fold(0.0, f32::max).max(1.0);
    let pre = Prefix::new(chars);
    let inf = f32::INFINITY;
    // best[i]: cost of setting chars[..i] with a line starting at i; from[i]: that line's start.
    let mut best = vec![inf; n + 1];
    let mut from = vec![0usize; n + 1];
    best[0] = 0.0;
    for j in 0..n {
        // best[j] is finite only at a break point, or where a unit too long for a line was
        // cut (below): a line starts there too.
        if best[j] == inf {
            continue;
        }
        let mut s = j;
        while s < n && chars[s].ch == ' ' {
            s += 1;
        }
        if s == n {
            if best[j] < best[n] {
                best[n] = best[j];
                from[n] = j;
            }
            continue;
        }
        let measure = if j == 0 { first } else { rest };
        let mut found = false;
        let (mut acc, mut w) = (0.0, 0.0);
        for e in s + 1..=n {
            let c = &chars[e - 1];
            if !c.ch.is_whitespace() {
                w = acc + c.full;
            }
            acc += c.w;
            if e < n && !brk[e] {
                continue;
            }
            let v = visible_end(chars, s, e);
            let nominal = pre.nominal(s, v);
            if nominal > measure / em + 2.0 + 0.01 {
                break; // too full, as [`too_full`]
            }
            let gaps = pre.gaps(s, v);
            // What [`room`] gives: the marks' halves but the last's, and SQUEEZE a gap.
            let marks = pre.marks(s, v);
            let all = marks + gaps.0 as f32 * em * SQUEEZE;
            if w - all > measure + 0.01 {
                continue;
            }
            let line = &chars[s..v];
            let last = e == n;
            let mut cost = line_cost(gaps, w, measure, marks, em, last);
            // A full line holds 28 characters, give or take one (GB/T 9704 5.2.2).
            if !last && (nominal - measure / em).abs() > 1.0 && measure / em > 27.5 {
                cost += COUNT_PENALTY;
            }
            if !last && keep[e] {
                cost += KEEP_PENALTY;
            }
            if last && j > 0 && line.iter().filter(|c| !is_punct(c.ch)).count() <= 1 {
                cost += LONE_PENALTY;
            }
            found = true;
            let total = best[j] + cost;
            if total < best[e] {
                best[e] = total;
                from[e] = j;
            }
        }
        if !found {
            // Nothing fits: the unit is longer than the line; cut it where it overflows.
            let e = overflow_end(chars, s, measure);
            let total = best[j] + 1000.0;
            if total < best[e] {
                best[e] = total;
                from[e] = j;
            }
        }
    }
    let mut cuts = vec![n];
    let mut i = n;
    while i > 0 {
        i = from[i];
        cuts.push(i);
    }
    cuts.reverse();
    cuts.windows(2)
        .map(|w| {
            let mut s = w[0];
            while s < w[1] && chars[s].ch == ' ' {
                s += 1;
            }
            span(chars, s, w[1])
        })
        .collect()
}

/// A placed line: each character's glyph position (pt from the line start) and the extra
/// spacing per gap (negative: the line was compressed instead).
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    pub xs: Vec<f32>,
    pub extra: f32,
}

/// Glyph positions of `chars` set at their widths, one after the other.
pub fn natural(chars: &[SChar]) -> Vec<f32> {
    let mut x = 0.0;
    chars
        .iter()
        .map(|c| {
            let here = x + c.dx;
            x += c.w;
            here
        })
        .collect()
}

/// Place `chars[span]` on `measure` pt: a line too long takes back its marks' blank halves
/// (the line-start mark first, then the others from the end; see [`shrink_room`]); a line
/// too short, when `justify`, is letter-spaced between characters not inside a half-width word.
pub fn place(chars: &[SChar], span: &LineSpan, measure: f32, justify: bool) -> Placed {
    let line = &chars[span.start..span.end];
    let n_visible = visible_end(line, 0, line.len());
    // `xs` holds what each character's box gives up first (a line too long takes its marks'
    // blank halves), then the positions: no other buffer per line.
    let mut xs = vec![0.0; line.len()];
    let mut slack = measure - span.width;
    if slack < -0.01 && n_visible > 0 {
        let order = std::iter::once(0).chain((1..n_visible.saturating_sub(1)).rev());
        for i in order {
            let c = &line[i];
            if slack >= -0.01 || c.shrink == 0.0 {
                continue;
            }
            let take = c.shrink.min(-slack);
            xs[i] = take;
            slack += take;
        }
    }
    let em = line.iter().map(|c| c.w).fold(0.0, f32::max);
    let visible = &line[..n_visible];
    let (bound, extra) = if slack < -0.01 || (justify && slack > 0.0) {
        spread(visible, slack, em, true)
    } else {
        (0.0, 0.0)
    };
    let mut x = 0.0;
    for (i, c) in line.iter().enumerate() {
        let take = xs[i];
        // The last visible character keeps its full box (a mark's blank half at the line end).
        let w = if i + 1 == n_visible { c.full } else { c.w } - take;
        // An opening mark's blank half is on its left: its glyph moves with it.
        let dx = if take > 0.0 && opening(c.ch) {
            c.dx - take
        } else {
            c.dx
        };
        if i > 0 && i < n_visible {
            x += match gap(&line[i - 1], &line[i]) {
                Gap::None => 0.0,
                Gap::Plain => extra,
                Gap::Boundary => extra + bound,
            };
        }
        xs[i] = x + dx;
        x += w;
    }
    Placed { xs, extra }
}

/// Build text runs (one per face/role/colour) from placed characters.
/// `x0`/`y` are the line origin and baseline in pt; `xs` are offsets from `x0`.
pub fn runs<'a>(
    chars: &'a [SChar],
    xs: &'a [f32],
    x0: f32,
    y: f32,
    size: f32,
    line: Option<u16>,
) -> impl Iterator<Item = TextRun> + 'a {
    let mut n = chars.len();
    while n > 0 && chars[n - 1].ch.is_whitespace() {
        n -= 1;
    }
    let mut i = 0;
    std::iter::from_fn(move || {
        let first = chars[..n].get(i)?;
        let len = chars[i..n]
            .iter()
            .take_while(|c| {
                c.glyph.face == first.glyph.face && c.role == first.role && c.color == first.color
            })
            .count();
        let part = &chars[i..i + len];
        // Sized exactly, not grown: a long table's runs are most of the pages and are kept.
        let mut run = TextRun {
            line,
            x: x0 + xs[i],
            y,
            role: first.role,
            face: first.glyph.face,
            size,
            color: first.color,
            text: String::with_capacity(part.iter().map(|c| c.ch.len_utf8()).sum()),
            glyphs: Vec::with_capacity(len),
            fallback: 0,
            artifact: false,
            stretch: 0.0,
        };
        for (c, x) in part.iter().zip(&xs[i..]) {
            let start = run.text.len() as u32;
            run.text.push(c.ch);
            if (c.glyph.fallback || c.glyph.same_style) && !c.ch.is_whitespace() {
                run.fallback += 1;
            }
            run.glyphs.push(PlacedGlyph {
                gid: c.glyph.gid,
                dx: x0 + x - run.x,
                advance: c.glyph.advance * size,
                range: start..run.text.len() as u32,
            });
        }
        i += len;
        Some(run)
    })
}

/// The vocabulary of circular titles (zh/words.txt), for [`words`].
const WORDS: &str = include_str!("../../zh/words.txt");

/// The vocabulary by first character: the rest of each word of two characters or more,
/// longest first.
fn dictionary() -> &'static CharMap<Vec<Vec<char>>> {
    static D: std::sync::OnceLock<CharMap<Vec<Vec<char>>>> = std::sync::OnceLock::new();
    D.get_or_init(|| {
        let mut by_first: CharMap<Vec<Vec<char>>> = CharMap::default();
        for word in WORDS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let mut chars = word.chars();
            let Some(first) = chars.next() else {
                continue;
            };
            let rest: Vec<char> = chars.collect();
            if !rest.is_empty() {
                by_first.entry(first).or_default().push(rest);
            }
        }
        for rests in by_first.values_mut() {
            rests.sort_by_key(|r| std::cmp::Reverse(r.len()));
        }
        by_first
    })
}

/// `inside[i]`: a break before character `i` would split a word ([`word_lengths`]).
pub fn words(chars: &[SChar]) -> Vec<bool> {
    let mut inside = vec![false; chars.len()];
    let mut i = 0;
    for len in word_lengths(chars) {
        inside[i + 1..i + len].fill(true);
        i += len;
    }
    inside
}

/// The length in characters of each word of `chars`, in order. Forward maximum matching over
/// zh/words.txt, linear in the text (at most the words of the vocabulary that begin with a
/// character tried there); characters outside the dictionary are words of one.
fn word_lengths(chars: &[SChar]) -> impl Iterator<Item = usize> + '_ {
    let dict = dictionary();
    let mut i = 0;
    std::iter::from_fn(move || {
        let first = chars.get(i)?;
        let after = &chars[i + 1..];
        let len = dict
            .get(&first.ch)
            .and_then(|rests| {
                rests.iter().find(|rest| {
                    rest.len() <= after.len() && rest.iter().zip(after).all(|(r, c)| *r == c.ch)
                })
            })
            .map_or(1, |rest| rest.len() + 1);
        i += len;
        Some(len)
    })
}

/// Penalty for breaking a title between `chars[i-1]` and `chars[i]` (`inside`: [`words`]).
fn title_penalty(chars: &[SChar], inside: &[bool], i: usize) -> f32 {
    let a = chars[i - 1].ch;
    let b = chars[i].ch;
    let after = |w: &str| {
        let n = w.chars().count();
        i >= n && w.chars().zip(&chars[i - n..i]).all(|(c, s)| s.ch == c)
    };
    // 关于 begins a line: never left at the end of one.
    if after("关于") || after("關於") {
        return 80.0;
    }
    if inside[i] {
        return 60.0;
    }
    // An issuer before 关于 stands on its own line(s): a bonus, worth a line more.
    if (b == '关' || b == '關')
        && !inside[i]
        && i + 1 < chars.len()
        && "于於".contains(chars[i + 1].ch)
    {
        return -30.0;
    }
    if "和与及、，；的或并暨與並".contains(a) {
        return 0.0;
    }
    if b == '的' {
        return 8.0;
    }
    if a == '年' || a == '度' {
        return 1.0;
    }
    if !is_wide(a) || !is_wide(b) {
        return 4.0;
    }
    6.0
}

/// Wrap a title into balanced lines (a trapezoid or diamond) of at most `max` pt, breaking
/// only where [`can_break`] allows and preferring natural points (after 和、的, between words).
/// Linear in the title's length: a line is tried only from the break points at most `max`
/// before its end, and only where the lines before and after it can hold the rest.
pub fn wrap_title(chars: &[SChar], max: f32) -> Vec<LineSpan> {
    let total: f32 = chars.iter().map(|c| c.w).sum();
    if total <= max + 0.01 || chars.is_empty() {
        return vec![LineSpan {
            start: 0,
            end: chars.len(),
            width: total,
        }];
    }
    let brk = break_points(chars);
    let unit = chars.iter().map(|c| c.w).fold(0.0f32, f32::max).max(1.0);
    let min_lines = (total / max).ceil() as usize;
    let len = chars.len();
    let inside = words(chars);
    let pen: Vec<f32> = (0..len)
        .map(|i| {
            if brk[i] {
                title_penalty(chars, &inside, i)
            } else {
                0.0
            }
        })
        .collect();
    // A line is at least as wide as its characters other than spaces: ink[i] of them in
    // chars[..i] need that many lines before i, and the rest that many after.
    let mut ink = vec![0.0f32; len + 1];
    for i in 0..len {
        ink[i + 1] = ink[i]
            + if chars[i].ch.is_whitespace() {
                0.0
            } else {
                chars[i].w
            };
    }
    let line_max = max + 0.01;
    let slack = unit / 2.0;
    let mut best: Option<(f32, Vec<usize>)> = None;
    for n in min_lines..=min_lines + 1 {
        let target = total / n as f32;
        // dp[k][i]: best cost of k lines covering chars[..i], with back pointers.
        let inf = f32::INFINITY;
        let mut dp = vec![vec![inf; len + 1]; n + 1];
        let mut back = vec![vec![0usize; len + 1]; n + 1];
        dp[0][0] = 0.0;
        for k in 1..=n {
            for i in 1..=len {
                if (i < len && !brk[i])
                    || ink[i] > k as f32 * line_max + slack
                    || ink[len] - ink[i] > (n - k) as f32 * line_max + slack
                {
                    continue;
                }
                // The width of chars[j..i] without its trailing spaces, grown leftwards.
                let mut end = i;
                while end > 0 && chars[end - 1].ch.is_whitespace() {
                    end -= 1;
                }
                let mut sum = 0.0f32;
                for j in (k - 1..i).rev() {
                    let w = if j >= end {
                        0.0
                    } else {
                        if j < end - 1 {
                            sum += chars[j].w;
                        }
                        sum + chars[end - 1].full
                    };
                    if w > line_max {
                        break;
                    }
                    if dp[k - 1][j] == inf || (j > 0 && !brk[j]) {
                        continue;
                    }
                    let dev = (w - target) / unit;
                    let p = if i < len { pen[i] } else { 0.0 };
                    let cost = dp[k - 1][j] + dev * dev + p;
                    if cost < dp[k][i] {
                        dp[k][i] = cost;
                        back[k][i] = j;
                    }
                }
            }
        }
        if dp[n][len] < inf {
            let mut cuts = vec![len];
            let mut i = len;
            for k in (1..=n).rev() {
                i = back[k][i];
                cuts.push(i);
            }
            cuts.reverse();
            // One more line than needed only wins when it avoids a bad break.
            let cost = dp[n][len] + if n > min_lines { 12.0 } else { 0.0 };
            if best.as_ref().is_none_or(|(c, _)| cost < *c) {
                best = Some((cost, cuts));
            }
        }
    }
    match best {
        Some((_, cuts)) => cuts
            .windows(2)
            .map(|w| LineSpan {
                start: w[0],
                end: w[1],
                width: span_width(chars, w[0], w[1]),
            })
            .collect(),
        None => break_lines(chars, |_| max),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{cell, BODY, TITLE, WIDTH};

    fn fonts() -> &'static FontSet {
        static F: std::sync::OnceLock<FontSet> = std::sync::OnceLock::new();
        F.get_or_init(FontSet::embedded)
    }

    fn body(s: &str) -> Vec<SChar> {
        shape(fonts(), &[(s, Role::Fangsong)], BODY, false, Color::Black)
    }

    fn lines(s: &str, cells: f32) -> Vec<String> {
        let chars = body(s);
        break_lines(&chars, |_| cells * cell(BODY))
            .iter()
            .map(|l| chars[l.start..l.end].iter().map(|c| c.ch).collect())
            .collect()
    }

    #[test]
    fn kinsoku_pairs() {
        assert!(!can_break('字', '。'));
        assert!(!can_break('字', '，'));
        assert!(!can_break('字', '）'));
        assert!(!can_break('（', '字'));
        assert!(!can_break('“', '字'));
        assert!(!can_break('—', '—'));
        assert!(!can_break('…', '…'));
        assert!(!can_break('3', '年'));
        assert!(!can_break('6', '%'));
        assert!(!can_break('9', '.'));
        assert!(!can_break('5', '个'));
        assert!(can_break('字', '字'));
        assert!(can_break('。', '字'));
        assert!(can_break('了', '2'));
    }

    #[test]
    fn never_starts_a_line_with_closing_punctuation() {
        // 27 characters then "。": the mark must not start line 2, so "字。" moves down.
        let text = format!("{}字。后", "中".repeat(27));
        let l = lines(&text, 28.0);
        assert_eq!(l[0].chars().count(), 27, "{l:?}");
        assert_eq!(l[1], "字。后");
    }

    #[test]
    fn never_ends_a_line_with_an_opening_bracket() {
        let text = format!("{}《通知》", "中".repeat(27));
        let l = lines(&text, 28.0);
        assert!(l.iter().all(|x| !x.ends_with('《')), "{l:?}");
        assert_eq!(l.concat(), text);
    }

    #[test]
    fn dash_ellipsis_year_percent_and_numbers_stay_whole() {
        for (unit, cells) in [
            ("——", 2.0),
            ("……", 2.0),
            ("2023年", 3.0),
            ("96.6%", 2.0),
            ("65个", 2.0),
        ] {
            for pad in 24..28 {
                let text = format!("{}{unit}后面的文字", "中".repeat(pad));
                let l = lines(&text, 28.0);
                let joined: String = l.concat();
                assert_eq!(joined, text);
                assert!(
                    l.iter().any(|line| line.contains(unit)),
                    "{unit} split at pad {pad} ({cells} cells): {l:?}"
                );
            }
        }
    }

    #[test]
    fn digits_and_latin_are_set_in_the_latin_face_at_their_own_widths() {
        let fs = fonts();
        let latin = fs.primary(Role::Latin, false);
        for trad in [false, true] {
            let chars = shape(
                fs,
                &[("率96.8%，gov.cn", Role::Fangsong)],
                BODY,
                trad,
                Color::Black,
            );
            let by = |ch: char| chars.iter().find(|c| c.ch == ch).unwrap();
            for ch in "96.8%gov".chars() {
                let c = by(ch);
                assert_eq!(c.glyph.face, latin, "{ch}");
                assert!(!c.glyph.fallback && !c.glyph.same_style, "{ch}");
                let own = c.glyph.advance * cell(BODY);
                assert!((c.w - own).abs() < 1e-3, "{ch}: {} pt, not {own}", c.w);
            }
            // Times metrics: digits half a cell, the period a quarter (it was a half cell
            // with FandolFang's 0.28 em glyph in it: "96. 8").
            assert!((by('9').w - cell(BODY) / 2.0).abs() < 0.01);
            assert!(by('.').w <= cell(BODY) * 0.26, "{}", by('.').w);
            assert_ne!(by('率').glyph.face, latin);
        }
        // The heading faces keep their own digits.
        let g = fs.glyph(Role::Heiti, '9', false);
        assert_eq!(g.face, fs.primary(Role::Heiti, false));
    }

    #[test]
    fn traditional_brackets_and_quotes_sit_as_in_the_simplified_face() {
        let text = "設“網上政府”（一）「三」《通知》‘是’";
        let ink = |trad: bool| -> Vec<(char, f32, f32)> {
            shape(fonts(), &[(text, Role::Fangsong)], BODY, trad, Color::Black)
                .iter()
                .filter(|c| is_punct(c.ch))
                .map(|c| {
                    let (x0, x1) = fonts().face(c.glyph.face).ink(c.glyph.gid).unwrap();
                    (
                        c.ch,
                        (c.dx + x0 * BODY) / c.full,
                        (c.dx + x1 * BODY) / c.full,
                    )
                })
                .collect()
        };
        for trad in [false, true] {
            for (ch, left, right) in ink(trad) {
                // Ink (as a fraction of the mark's box) on the side of the character the mark
                // belongs to: an opening mark's in the right half, a closing mark's in the left.
                if opening(ch) {
                    assert!(
                        left >= 0.49 && right <= 1.0,
                        "{trad} {ch}: {left:.2}–{right:.2}"
                    );
                } else {
                    assert!(
                        left >= -0.02 && right <= 0.51,
                        "{trad} {ch}: {left:.2}–{right:.2}"
                    );
                }
            }
        }
        // The simplified face's marks are where the face puts them.
        let simplified = shape(
            fonts(),
            &[(text, Role::Fangsong)],
            BODY,
            false,
            Color::Black,
        );
        assert!(simplified.iter().all(|c| c.dx == 0.0));
        // And the traditional “ is no longer at the left of its box ("建設“ 網上政府”").
        let trad = shape(fonts(), &[(text, Role::Fangsong)], BODY, true, Color::Black);
        assert!(trad[1].dx > BODY / 2.0, "“ at {} pt", trad[1].dx);
    }

    #[test]
    fn half_width_runs_are_kept_together_and_take_half_cells() {
        let chars = body("ab2023");
        for c in &chars {
            assert!(c.w <= cell(BODY) * 0.6, "{} is {} pt", c.ch, c.w);
        }
        let l = lines(&format!("{}www.gov.cn网站", "中".repeat(25)), 28.0);
        assert!(l.iter().any(|x| x.contains("www.gov.cn")), "{l:?}");
    }

    #[test]
    fn justified_lines_fill_28_cells_and_26_when_indented() {
        let text = "为深入贯彻党中央、国务院决策部署，以及市委、市政府关于深化政务公开、加强数字政府建设的工作要求，落实区委、区政府关于推进政务公开的工作安排。";
        let chars = body(text);
        let c = cell(BODY);
        let measure = |n: usize| if n == 0 { WIDTH - 2.0 * c } else { WIDTH };
        let spans = fit(&chars, measure(0), measure(1));
        assert_eq!(spans[0].end - spans[0].start, 26);
        assert_eq!(spans[1].end - spans[1].start, 28);
        for (n, span) in spans.iter().enumerate().take(spans.len() - 1) {
            let p = place(&chars, span, measure(n), true);
            let last = p.xs.last().unwrap() + chars[span.end - 1].full;
            assert!((last - measure(n)).abs() < 0.01, "line {n} ends at {last}");
        }
        // The last line is not stretched.
        let span = spans.last().unwrap();
        let p = place(&chars, span, WIDTH, false);
        assert_eq!(p.extra, 0.0);
        for (i, x) in p.xs.iter().enumerate() {
            assert!((x - i as f32 * c).abs() < 0.01);
        }
    }

    fn fitted(s: &str, first: f32, rest: f32) -> Vec<String> {
        let chars = body(s);
        let c = cell(BODY);
        fit(&chars, first * c, rest * c)
            .iter()
            .map(|l| chars[l.start..l.end].iter().map(|c| c.ch).collect())
            .collect()
    }

    #[test]
    fn a_last_line_never_holds_a_single_character() {
        let l = fitted(&format!("{}统计表", "中".repeat(25)), 27.0, 27.0);
        assert_eq!(l.len(), 2);
        assert!(l[1].chars().count() >= 2, "{l:?}");
        // Nor one character and its mark (主送机关 "…单位：").
        let l = fitted(&format!("{}单位：", "中".repeat(27)), 28.0, 28.0);
        assert!(l.last().unwrap().chars().count() >= 3, "{l:?}");
    }

    #[test]
    fn marks_are_compressed_before_a_line_is_letter_spaced() {
        // 26 cells, then "（156个）；" (5.5 cells): greedy filling would leave 26 cells spread
        // over 28; compressing the marks of the line brings the group up.
        let text = format!(
            "{}，{}（156个）；后面还有文字",
            "中".repeat(12),
            "中".repeat(11)
        );
        let chars = body(&text);
        let c = cell(BODY);
        let spans = fit(&chars, 28.0 * c, 28.0 * c);
        let line: String = chars[spans[0].start..spans[0].end]
            .iter()
            .map(|c| c.ch)
            .collect();
        assert!(line.ends_with("（156个）；"), "{line}");
        let p = place(&chars, &spans[0], 28.0 * c, true);
        assert!(p.extra <= 0.0, "{line}: {}", p.extra);
        // The line ends on the measure: its last mark keeps its full box.
        let end = p.xs.last().unwrap() + chars[spans[0].end - 1].full;
        assert!((end - 28.0 * c).abs() < 0.01, "{end}");
    }

    #[test]
    fn no_body_line_is_loose_when_marks_or_boundaries_can_take_it() {
        let text = "（一）信息公开检查情况。第二季度全区主动公开信息1942条。区司法局通过区政府门户网站受理依申请公开1件，区财政局通过区政府门户网站受理依申请公开4件。";
        let chars = body(text);
        let c = cell(BODY);
        let spans = fit(&chars, 26.0 * c, 28.0 * c);
        for (n, s) in spans.iter().enumerate().take(spans.len() - 1) {
            let m = if n == 0 { 26.0 } else { 28.0 } * c;
            let p = place(&chars, s, m, true);
            assert!(p.extra / BODY <= LOOSE, "line {n}: {}", p.extra / BODY);
        }
    }

    #[test]
    fn a_loose_line_widens_its_number_gaps_before_its_ideographs() {
        // "71.43%；" cannot fit at the end of the first line: it is set loose, and its numbers'
        // gaps take up to a quarter character so the ideographs stay within LOOSE.
        let text = "全县运行政务新媒体14个，本季度检查10个，检查比例71.43%；合格7个。";
        let chars = body(text);
        let c = cell(BODY);
        let spans = fit(&chars, 26.0 * c, 28.0 * c);
        let first: String = chars[spans[0].start..spans[0].end]
            .iter()
            .map(|c| c.ch)
            .collect();
        assert!(first.ends_with("检查比例"), "{first}");
        let p = place(&chars, &spans[0], 26.0 * c, true);
        assert!(p.extra / BODY <= LOOSE, "{}", p.extra / BODY);
        let one = first.chars().position(|ch| ch == '1').unwrap();
        let boundary = p.xs[one] - p.xs[one - 1] - chars[one - 1].w;
        assert!(boundary > c / 8.0 + p.extra, "{boundary}");
        assert!(boundary <= c / 4.0 + 0.01, "{boundary}");
    }

    #[test]
    fn document_numbers_stay_whole_where_the_line_allows() {
        // Breaking before 渝 leaves 27 of 28 cells: no loose line, the number stays whole.
        let text = format!(
            "{}渝府办发〔2019〕63号文件要求，各单位要认真落实。",
            "中".repeat(27)
        );
        let l = fitted(&text, 28.0, 28.0);
        assert!(l[1].starts_with("渝府办发〔2019〕63号"), "{l:?}");
        // Keeping it whole would leave 8 cells of a line empty: it is broken after 〕.
        let text = format!(
            "{}渝府办发〔2019〕63号文件要求，各单位要认真落实。",
            "中".repeat(20)
        );
        let l = fitted(&text, 28.0, 28.0);
        assert!(l[0].ends_with("〔2019〕"), "{l:?}");
        // A date likewise.
        let text = format!("{}2019年7月31日前完成整改。", "中".repeat(22));
        let l = fitted(&text, 28.0, 28.0);
        assert!(l.iter().any(|x| x.contains("2019年7月31日")), "{l:?}");
    }

    #[test]
    fn fit_is_linear_in_the_paragraph_length() {
        let text = "区政府门户网站受理依申请公开1件，".repeat(120);
        let chars = body(&text);
        let c = cell(BODY);
        let spans = fit(&chars, 26.0 * c, 28.0 * c);
        assert_eq!(spans.last().unwrap().end, chars.len());
        assert!(spans.len() > 60);
    }

    #[test]
    fn adjacent_punctuation_is_compressed() {
        let chars = body("号），区");
        assert!(
            (chars[1].w - cell(BODY) / 2.0).abs() < 0.01,
            "）before，takes half a cell"
        );
        assert!((chars[1].full - cell(BODY)).abs() < 0.01);
        assert!((chars[2].w - cell(BODY)).abs() < 0.01);
    }

    fn title(s: &str) -> Vec<String> {
        let chars = shape(
            fonts(),
            &[(s, Role::Xiaobiaosong)],
            TITLE,
            false,
            Color::Black,
        );
        wrap_title(&chars, 20.0 * cell(TITLE))
            .iter()
            .map(|l| chars[l.start..l.end].iter().map(|c| c.ch).collect())
            .collect()
    }

    #[test]
    fn the_segmenter_finds_the_words_of_circular_titles() {
        let chars = body("全区政府网站和政府系统政务新媒体检查情况的通报");
        let inside = words(&chars);
        let cuts: String = chars
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i > 0 && !inside[i] {
                    format!("|{}", c.ch)
                } else {
                    c.ch.to_string()
                }
            })
            .collect();
        assert_eq!(
            cuts,
            "全区|政府网站|和|政府系统|政务新媒体|检查情况|的|通报"
        );
    }

    #[test]
    fn guanyu_begins_a_line() {
        let t = title("重庆市大足区人民政府办公室关于2021年第二季度全区政府网站检查情况的通报");
        assert!(t.iter().all(|l| !l.ends_with("关于")), "{t:?}");
        assert!(t.iter().skip(1).any(|l| l.starts_with("关于")), "{t:?}");
    }

    #[test]
    fn titles_wrap_balanced_at_natural_points() {
        assert_eq!(
            title("关于2021年第二季度全区政府网站和政府系统政务新媒体检查情况的通报"),
            [
                "关于2021年第二季度全区政府网站和",
                "政府系统政务新媒体检查情况的通报"
            ]
        );
        assert_eq!(title("关于开展检查的通报"), ["关于开展检查的通报"]);
        let t = title("关于2023年第四季度全市政府网站与政务新媒体以及政务服务平台和信息公开专栏检查情况的通报");
        assert_eq!(t.len(), 3, "{t:?}");
        for line in &t {
            assert!(line.chars().count() <= 20);
            // No line ends inside a word of the lexicon.
            assert!(
                !line.ends_with('政') && !line.ends_with('检') && !line.ends_with('网'),
                "{t:?}"
            );
        }
        let lens: Vec<usize> = t.iter().map(|l| l.chars().count()).collect();
        let (min, max) = (lens.iter().min().unwrap(), lens.iter().max().unwrap());
        assert!(max - min <= 6, "unbalanced {t:?}");
    }

    /// Issue 12 case 5: wrapping was cubic (1,000 characters 14.7 s, 2,000 over 5 minutes).
    /// Linear now: 2,000 characters take about 2 ms (release, benches/pipeline.rs), so a
    /// second even unoptimised and on a loaded machine is a bound only the old way misses.
    #[test]
    fn a_title_of_2000_characters_wraps_at_once_into_full_balanced_lines() {
        let text = format!("关于{}的通报", "政府网站和政务新媒体检查情况".repeat(142));
        let chars = shape(
            fonts(),
            &[(&text, Role::Xiaobiaosong)],
            TITLE,
            false,
            Color::Black,
        );
        let max = 20.0 * cell(TITLE);
        let start = std::time::Instant::now();
        let spans = wrap_title(&chars, max);
        let took = start.elapsed();
        assert!(took < std::time::Duration::from_secs(1), "{took:?}");
        assert_eq!(spans.first().unwrap().start, 0);
        assert_eq!(spans.last().unwrap().end, chars.len());
        assert!(spans.windows(2).all(|w| w[0].end == w[1].start));
        assert!(spans.iter().all(|s| s.width <= max + 0.01));
        let min = (chars.len() as f32 / 20.0).ceil() as usize;
        assert!((min..=min + 1).contains(&spans.len()), "{}", spans.len());
    }

    fn fit_lines(text: &str) -> (Vec<SChar>, Vec<LineSpan>) {
        let chars = body(text);
        let c = cell(BODY);
        let spans = fit(&chars, 26.0 * c, 28.0 * c);
        (chars, spans)
    }

    /// Every character set once, in order, and no line wider than its measure (compression
    /// taken into account by `place`, which must not set a line tighter than its marks allow).
    fn assert_within_measure(chars: &[SChar], spans: &[LineSpan]) {
        let c = cell(BODY);
        assert_eq!(spans.first().unwrap().start, 0);
        assert_eq!(spans.last().unwrap().end, chars.len());
        assert!(spans.windows(2).all(|w| w[0].end <= w[1].start));
        for (n, s) in spans.iter().enumerate() {
            let m = if n == 0 { 26.0 } else { 28.0 } * c;
            let p = place(chars, s, m, n + 1 < spans.len());
            let end = p.xs.last().unwrap() + chars[s.end - 1].w;
            assert!(
                p.xs.windows(2).all(|x| x[0] < x[1]),
                "line {n} runs backwards"
            );
            assert!(end <= m + 0.5, "line {n} ends at {end}, past {m}");
        }
    }

    /// A web address longer than a line broke no line: the whole paragraph became one line,
    /// drawn backwards over the margins, and nothing said so.
    #[test]
    fn a_web_address_longer_than_a_line_breaks_after_a_slash_or_before_a_dot() {
        let url = "http://www.moumouqu.gov.cn/zwgk/zcwj/bmwj/202406/t20240612_1234567890.html";
        let (chars, spans) = fit_lines(&format!(
            "一是个别专栏更新不及时，如{url}页面长期未更新，也存在类似问题。"
        ));
        assert!(spans.len() >= 3, "{}", spans.len());
        assert_within_measure(&chars, &spans);
        for w in spans.windows(2) {
            let (a, b) = (chars[w[0].end - 1].ch, chars[w[1].start].ch);
            if a.is_ascii() && b.is_ascii() {
                assert!(a == '/' || ".?#&=_-~".contains(b), "broke {a}|{b}");
            }
        }
        // Short addresses, numbers and dates stay whole.
        let text = "本季度zengdu.gov.cn的首页访问量增长96.8%，2024-07-05起全部整改。".repeat(3);
        let (chars, spans) = fit_lines(&text);
        for w in spans.windows(2) {
            let (a, b) = (chars[w[0].end - 1].ch, chars[w[1].start].ch);
            assert!(!(a.is_ascii() && b.is_ascii()), "broke {a}|{b}");
        }
    }

    #[test]
    fn a_unit_with_no_break_inside_is_cut_where_it_overflows_and_the_paragraph_goes_on() {
        let (chars, spans) = fit_lines(&format!(
            "统一社会信用代码为{}的单位未按要求公开信息，请于本月底前整改。",
            "1".repeat(70)
        ));
        assert!(spans.len() >= 3, "{}", spans.len());
        assert_within_measure(&chars, &spans);
    }

    #[test]
    fn signs_inside_a_web_address_close_up_and_signs_among_hanzi_keep_half_a_cell() {
        let half = cell(BODY) / 2.0;
        let w = |text: &str, at: usize| body(text)[at].w;
        // http://www: the colon and the slashes at their own widths, narrower than half.
        assert!(w("见http://www", 5) < half);
        assert!(w("见http://www", 6) < half);
        // A formula's =[ after a hanzi, the ), of "(详见附件1)," before one: half a cell.
        assert_eq!(w("得分=[90", 3), half);
        assert_eq!(w("附件1),要", 3), half);
        assert_eq!(w("附件1),要", 4), half);
    }

    /// Web addresses took none of a line's slack: the ideographs beside them took it all, and
    /// the breaker, finding every address line loose, set one line of 11 characters spread
    /// over 28 (1.48 character a gap).
    #[test]
    fn a_paragraph_of_web_addresses_sets_no_line_loose() {
        let text = "问题网站：云江市教育局网站（https://jyj.yunjiang.gov.cn/xxgk/zcwj/202407/t20240715_1234567.html?from=index&channel=zcwj）、云江市民政局网站（https://mzj.yunjiang.gov.cn/col/col12345/art/2024/art_9f8e7d6c5b4a39281706f5e4d3c2b1a0.html）、云江市财政局网站（http://czj.yunjiang.gov.cn/）。";
        let (chars, spans) = fit_lines(text);
        assert_within_measure(&chars, &spans);
        let c = cell(BODY);
        for (n, s) in spans.iter().enumerate().take(spans.len() - 1) {
            let m = if n == 0 { 26.0 } else { 28.0 } * c;
            let p = place(&chars, s, m, true);
            assert!(p.extra / BODY < 0.1, "line {n}: {}", p.extra / BODY);
        }
    }
}
