//! Line breaking on the character grid: shaping to cached glyphs, 避头尾 and never-split units,
//! greedy filling, justification, and the balanced wrapping of titles.

use crate::fonts::{is_wide, FontSet, Glyph, Role};

use super::{cell, Color, PlacedGlyph, TextRun};

/// Never at the start of a line (GB/T 15834 via the OOXML kinsoku list).
pub const NO_START: &str = "、。，；：？！）》」』】〕〗〉］｝’”%‰℃…·．,.;:?!)]}％：｡､ー々〻";
/// Never at the end of a line.
pub const NO_END: &str = "（《「『【〔〖〈［｛‘“([{";
/// Characters that belong to the number before them (a year, a date, a count with its unit).
const UNITS: &str = "年月日时分秒个名家条次人万亿元号项岁天点位所件篇期批%％‰℃倍";

/// A character with its face and width.
#[derive(Debug, Clone, Copy)]
pub struct SChar {
    pub ch: char,
    pub role: Role,
    pub glyph: Glyph,
    /// Advance on the grid, in pt.
    pub w: f32,
    pub color: Color,
}

/// Resolve each character of styled pieces to a glyph and a grid width at `size`.
pub fn shape(
    fonts: &FontSet,
    pieces: &[(&str, Role)],
    size: f32,
    traditional: bool,
    color: Color,
) -> Vec<SChar> {
    let c = cell(size);
    let mut out = Vec::new();
    for (text, role) in pieces {
        for ch in text.chars() {
            if ch == '\n' || ch == '\r' || ch == '\t' {
                continue;
            }
            let glyph = fonts.glyph(*role, ch, traditional);
            let w = if is_wide(ch) { c } else { glyph.advance * c };
            out.push(SChar {
                ch,
                role: *role,
                glyph,
                w,
                color,
            });
        }
    }
    out
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
    if NO_START.contains(b) || NO_END.contains(a) {
        return false;
    }
    if (a == '—' && b == '—') || (a == '…' && b == '…') || (a == '⋯' && b == '⋯') {
        return false;
    }
    if is_digit(a) && UNITS.contains(b) {
        return false;
    }
    true
}

/// `brk[i]`: a line may start at character `i` (i > 0).
pub fn break_points(chars: &[SChar]) -> Vec<bool> {
    let mut brk = vec![false; chars.len()];
    for i in 1..chars.len() {
        brk[i] = can_break(chars[i - 1].ch, chars[i].ch);
    }
    brk
}

/// One line: a range of characters and the width they take (trailing spaces excluded).
#[derive(Debug, Clone, PartialEq)]
pub struct LineSpan {
    pub start: usize,
    pub end: usize,
    pub width: f32,
}

fn span_width(chars: &[SChar], start: usize, end: usize) -> f32 {
    let mut e = end;
    while e > start && chars[e - 1].ch.is_whitespace() {
        e -= 1;
    }
    chars[start..e].iter().map(|c| c.w).sum()
}

/// Greedy line filling: `limit(n)` is the measure of the n-th line (0-based).
pub fn break_lines(chars: &[SChar], limit: impl Fn(usize) -> f32) -> Vec<LineSpan> {
    let brk = break_points(chars);
    let mut lines = Vec::new();
    let mut s = 0;
    let eps = 0.01;
    while s < chars.len() {
        // A line never starts with a space.
        while s < chars.len() && chars[s].ch == ' ' {
            s += 1;
        }
        if s >= chars.len() {
            break;
        }
        let max = limit(lines.len());
        let mut width = 0.0;
        let mut last_break = None;
        let mut i = s;
        let mut end = chars.len();
        while i < chars.len() {
            if i > s && brk[i] {
                last_break = Some(i);
            }
            width += chars[i].w;
            if width > max + eps && !chars[i].ch.is_whitespace() {
                end = match last_break {
                    Some(b) => b,
                    // One unit longer than the line: break it where it overflows.
                    None if i > s => i,
                    None => i + 1,
                };
                break;
            }
            i += 1;
        }
        lines.push(LineSpan {
            start: s,
            end,
            width: span_width(chars, s, end),
        });
        s = end;
    }
    lines
}

/// x offsets (pt, from the line start) of each character in `chars[span]`, stretched to
/// `measure` when `justify` (only between characters that are not inside a half-width word).
pub fn place(chars: &[SChar], span: &LineSpan, measure: f32, justify: bool) -> Vec<f32> {
    let line = &chars[span.start..span.end];
    let mut n_visible = line.len();
    while n_visible > 0 && line[n_visible - 1].ch.is_whitespace() {
        n_visible -= 1;
    }
    let gaps: Vec<bool> = (1..n_visible)
        .map(|i| !(is_halfwidth_word(line[i - 1].ch) && is_halfwidth_word(line[i].ch)))
        .collect();
    let n_gaps = gaps.iter().filter(|g| **g).count();
    let slack = measure - span.width;
    let extra = if justify && n_gaps > 0 && slack > 0.0 {
        slack / n_gaps as f32
    } else {
        0.0
    };
    let mut xs = Vec::with_capacity(line.len());
    let mut x = 0.0;
    for (i, c) in line.iter().enumerate() {
        if i > 0 && i < n_visible && gaps[i - 1] {
            x += extra;
        }
        xs.push(x);
        x += c.w;
    }
    xs
}

/// Build text runs (one per face/role/colour) from placed characters.
/// `x0`/`y` are the line origin and baseline in pt; `xs` are offsets from `x0`.
pub fn runs(
    chars: &[SChar],
    xs: &[f32],
    x0: f32,
    y: f32,
    size: f32,
    line: Option<u16>,
) -> Vec<TextRun> {
    let mut out: Vec<TextRun> = Vec::new();
    let mut n = chars.len();
    while n > 0 && chars[n - 1].ch.is_whitespace() {
        n -= 1;
    }
    for i in 0..n {
        let c = &chars[i];
        let x = x0 + xs[i];
        let same = out.last().is_some_and(|r: &TextRun| {
            r.face == c.glyph.face && r.role == c.role && r.color == c.color
        });
        if !same {
            out.push(TextRun {
                line,
                x,
                y,
                role: c.role,
                face: c.glyph.face,
                size,
                color: c.color,
                text: String::new(),
                glyphs: Vec::new(),
                fallback: 0,
            });
        }
        let run = out.last_mut().expect("a run");
        let start = run.text.len() as u32;
        run.text.push(c.ch);
        if c.glyph.fallback && !c.ch.is_whitespace() {
            run.fallback += 1;
        }
        run.glyphs.push(PlacedGlyph {
            gid: c.glyph.gid,
            dx: x - run.x,
            advance: c.glyph.advance * size,
            range: start..run.text.len() as u32,
        });
    }
    out
}

/// Word-internal pairs a title should not be broken inside (a tiny lexicon of the words
/// circular titles are made of; everything else gets a moderate penalty).
const TITLE_WORDS: &[&str] = &[
    "关于",
    "政府",
    "网站",
    "政务",
    "新媒体",
    "媒体",
    "检查",
    "情况",
    "通报",
    "季度",
    "全区",
    "全市",
    "全县",
    "全省",
    "系统",
    "专栏",
    "工作",
    "信息",
    "公开",
    "平台",
    "第一",
    "第二",
    "第三",
    "第四",
    "抽查",
    "结果",
    "有关",
    "事项",
    "开展",
    "部门",
    "单位",
    "管理",
    "运行",
    "监管",
    "年度",
    "普查",
    "關於",
    "政務",
    "網站",
    "檢查",
    "情況",
    "通報",
    "全區",
    "系統",
    "專欄",
    "資訊",
    "結果",
];

/// Penalty for breaking a title between `chars[i-1]` and `chars[i]`.
fn title_penalty(chars: &[SChar], i: usize) -> f32 {
    let a = chars[i - 1].ch;
    let b = chars[i].ch;
    if "和与及、，；的或并暨與並".contains(a) {
        return 0.0;
    }
    if b == '的' {
        return 8.0;
    }
    if a == '年' || a == '度' || a == '于' || a == '於' {
        return 1.0;
    }
    // Inside a known word?
    for w in TITLE_WORDS {
        let wc: Vec<char> = w.chars().collect();
        for k in 1..wc.len() {
            if i >= k
                && i + wc.len() - k <= chars.len()
                && (0..wc.len()).all(|j| chars[i - k + j].ch == wc[j])
            {
                return 60.0;
            }
        }
    }
    if !is_wide(a) || !is_wide(b) {
        return 4.0;
    }
    6.0
}

/// Wrap a title into balanced lines (a trapezoid or diamond) of at most `max` pt, breaking
/// only where [`can_break`] allows and preferring natural points (after 和、的, between words).
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
    let mut best: Option<(f32, Vec<usize>)> = None;
    for n in min_lines..=min_lines + 1 {
        let target = total / n as f32;
        // dp[k][i]: best cost of k lines covering chars[..i], with back pointers.
        let len = chars.len();
        let mut prefix = vec![0.0f32; len + 1];
        for i in 0..len {
            prefix[i + 1] = prefix[i] + chars[i].w;
        }
        let inf = f32::INFINITY;
        let mut dp = vec![vec![inf; len + 1]; n + 1];
        let mut back = vec![vec![0usize; len + 1]; n + 1];
        dp[0][0] = 0.0;
        for k in 1..=n {
            for i in 1..=len {
                if i < len && !brk[i] {
                    continue;
                }
                for j in (k - 1)..i {
                    if dp[k - 1][j] == inf || (j > 0 && !brk[j]) {
                        continue;
                    }
                    let w = span_width(chars, j, i);
                    if w > max + 0.01 {
                        continue;
                    }
                    let dev = (w - target) / unit;
                    let pen = if i < len {
                        title_penalty(chars, i)
                    } else {
                        0.0
                    };
                    let cost = dp[k - 1][j] + dev * dev + pen;
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
