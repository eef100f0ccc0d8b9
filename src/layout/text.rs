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
    /// Advance before 标点挤压 (what the mark takes at the end of a line).
    pub full: f32,
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
            // Digits, narrow letters and half-width punctuation take half a cell, as on
            // Word's character grid; wider glyphs (%, capitals) keep their advance.
            let w = if is_wide(ch) {
                c
            } else if ch == ' ' || glyph.advance > 0.6 {
                glyph.advance * c
            } else {
                c / 2.0
            };
            out.push(SChar {
                ch,
                role: *role,
                glyph,
                w,
                full: w,
                color,
            });
        }
    }
    compress_punctuation(&mut out, c);
    out
}

/// Punctuation whose ink sits in the left half of its em box.
const CLOSING: &str = "，。、）》」』】〕〗〉］｝”’";
/// Full-width punctuation that may follow it.
const PUNCT: &str = "，。、）》」』】〕〗〉］｝”’（《「『【〔〖〈［｛“‘：；？！";

/// 标点挤压: a closing mark followed by another mark takes half a cell ("），" "。”").
fn compress_punctuation(chars: &mut [SChar], cell: f32) {
    for i in 1..chars.len() {
        let (a, b) = (chars[i - 1].ch, chars[i].ch);
        if CLOSING.contains(a) && PUNCT.contains(b) {
            chars[i - 1].w = cell / 2.0;
        }
    }
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

/// Break points for the narrow header cells of a table: as [`break_points`], except that a
/// score in a header label may wrap before its unit ("（10" / "分）"); 避头尾 still holds.
pub fn break_points_header(chars: &[SChar]) -> Vec<bool> {
    let mut brk = break_points(chars);
    for i in 1..chars.len() {
        let (a, b) = (chars[i - 1].ch, chars[i].ch);
        if !brk[i] && is_digit(a) && UNITS.contains(b) && !NO_START.contains(b) {
            brk[i] = true;
        }
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
    if e == start {
        return 0.0;
    }
    chars[start..e - 1].iter().map(|c| c.w).sum::<f32>() + chars[e - 1].full
}

/// Greedy line filling: `limit(n)` is the measure of the n-th line (0-based).
pub fn break_lines(chars: &[SChar], limit: impl Fn(usize) -> f32) -> Vec<LineSpan> {
    break_lines_tol(chars, limit, 0.01)
}

/// Greedy line filling that lets a line exceed its measure by `tol` (then squeezed by
/// [`place`]: a fraction of a point between characters, invisible).
pub fn break_lines_tol(chars: &[SChar], limit: impl Fn(usize) -> f32, tol: f32) -> Vec<LineSpan> {
    break_lines_at(chars, &break_points(chars), limit, tol)
}

/// Greedy line filling with given break points.
pub fn break_lines_at(
    chars: &[SChar],
    brk: &[bool],
    limit: impl Fn(usize) -> f32,
    tol: f32,
) -> Vec<LineSpan> {
    let mut lines = Vec::new();
    let mut s = 0;
    let eps = tol;
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
            if width - chars[i].w + chars[i].full > max + eps && !chars[i].ch.is_whitespace() {
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

/// A paragraph's last line holding a single character (孤字) takes the last unit of the line
/// before it, when that line keeps at least half its characters.
pub fn avoid_lone_last_char(chars: &[SChar], spans: &mut [LineSpan]) {
    let n = spans.len();
    if n < 2 {
        return;
    }
    let visible = |s: &LineSpan| {
        chars[s.start..s.end]
            .iter()
            .filter(|c| !c.ch.is_whitespace())
            .count()
    };
    if visible(&spans[n - 1]) != 1 {
        return;
    }
    let brk = break_points(chars);
    let prev = &spans[n - 2];
    let Some(b) = (prev.start + 1..prev.end).rev().find(|&i| brk[i]) else {
        return;
    };
    if (b - prev.start) * 2 < prev.end - prev.start {
        return;
    }
    let (ps, le) = (prev.start, spans[n - 1].end);
    spans[n - 2] = LineSpan {
        start: ps,
        end: b,
        width: span_width(chars, ps, b),
    };
    spans[n - 1] = LineSpan {
        start: b,
        end: le,
        width: span_width(chars, b, le),
    };
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
    let extra = if n_gaps > 0 && (slack < 0.0 || (justify && slack > 0.0)) {
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
                artifact: false,
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
        let n = w.chars().count();
        for k in 1..n {
            if i >= k
                && i + n - k <= chars.len()
                && w.chars().zip(&chars[i - k..]).all(|(c, s)| s.ch == c)
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
    let pen: Vec<f32> = (0..len)
        .map(|i| if brk[i] { title_penalty(chars, i) } else { 0.0 })
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
        assert!(!l[0].ends_with('《'), "{l:?}");
        assert!(l[1].starts_with("《通"));
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
        let spans = break_lines(&chars, measure);
        assert_eq!(spans[0].end - spans[0].start, 26);
        assert_eq!(spans[1].end - spans[1].start, 28);
        for (n, span) in spans.iter().enumerate().take(spans.len() - 1) {
            let xs = place(&chars, span, measure(n), true);
            let last = xs.last().unwrap() + chars[span.end - 1].full;
            assert!((last - measure(n)).abs() < 0.01, "line {n} ends at {last}");
        }
        // The last line is not stretched.
        let span = spans.last().unwrap();
        let xs = place(&chars, span, WIDTH, false);
        for (i, x) in xs.iter().enumerate() {
            assert!((x - i as f32 * c).abs() < 0.01);
        }
    }

    #[test]
    fn a_last_line_never_holds_a_single_character() {
        let chars = body(&format!("{}统计表", "中".repeat(25)));
        let mut spans = break_lines(&chars, |_| 27.0 * cell(BODY));
        assert_eq!(spans[1].end - spans[1].start, 1);
        avoid_lone_last_char(&chars, &mut spans);
        assert_eq!(spans[1].end - spans[1].start, 2);
        assert_eq!(spans[0].end, spans[1].start);
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
}
