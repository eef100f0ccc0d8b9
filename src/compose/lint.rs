//! The prose figure lint: a number typed into a template's free text that reads like a
//! computed figure (N个, N家, 合格率N%, 检查比例N%, 占比N%) is a 警告 naming the template
//! expression that computes it, and a 矛盾 when the figure it names disagrees.
//!
//! Which figure a number reads as comes from its clause: 合格率 → `pass_rate`, 不合格 →
//! `failed`, 检查比例 → `coverage` …; a bare count or rate is compared with every figure of the
//! inspections its sentence is about (those its templates name, or whose kind it mentions) and
//! reported only when one of them has that value. Text inside quotes (“”, 《》, 〔〕) and
//! durations (3个月) are not figures.

use crate::diag::{Diagnostic, Pos, Report};
use crate::score::figures::{template_expr, Figure};

/// The figures of one inspection, with what identifies it in prose.
pub struct Source<'a> {
    pub id: &'a str,
    pub kind: &'a str,
    pub figures: Vec<Figure>,
}

/// What a clause says a number is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reads {
    /// A specific figure: paths that would be it.
    Named(&'static [&'static str], &'static str),
    /// Some count or rate.
    AnyCount,
    AnyRate,
}

/// Keywords of a clause, most specific first: (keyword, paths, what it is).
const RATE_WORDS: [(&str, &[&str], &str); 8] = [
    ("不合格率", &["fail_rate"], "不合格率"),
    ("合格率", &["pass_rate"], "合格率"),
    ("检查比例", &["coverage"], "检查比例"),
    ("抽查比例", &["coverage"], "抽查比例"),
    ("检查率", &["coverage"], "检查率"),
    ("抽查率", &["coverage"], "抽查率"),
    ("覆盖率", &["coverage"], "覆盖率"),
    ("不合格", &["fail_rate"], "不合格率"),
];

const COUNT_WORDS: [(&str, &[&str], &str); 4] = [
    ("不合格", &["failed"], "不合格数"),
    ("合格", &["passed"], "合格数"),
    ("满分", &["full_mark_count"], "满分单位数"),
    ("存在问题", &["problem_count"], "存在问题的数量"),
];

/// Units that make a number a count; what follows some of them makes it something else.
const COUNT_UNITS: [char; 2] = ['个', '家'];
const NOT_COUNTS: [&str; 6] = ["个月", "个工作日", "个小时", "个百分点", "个季度", "个批次"];

/// One number found in the text.
struct Found {
    value: rust_decimal::Decimal,
    /// The number with its unit as written: 28个, 100%.
    written: String,
    rate: bool,
    clause: String,
    sentence: usize,
}

/// Words after a number that make it a bound (90%以上的单位), not a figure.
const BOUND_AFTER: [&str; 5] = ["以上", "以下", "及以上", "及以下", "左右"];
/// Words before a number that make it a bound or an estimate (超过90%, 不足3个, 近10个).
const BOUND_BEFORE: [&str; 9] = [
    "超过", "高于", "低于", "不足", "不到", "少于", "多于", "近", "约",
];

/// Spans of `{{…}}` (character offsets, end exclusive).
fn templates(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < chars.len() {
        if chars[i] == '{' && chars[i + 1] == '{' {
            let start = i;
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '}' && chars[i + 1] == '}') {
                i += 1;
            }
            out.push((start, (i + 2).min(chars.len())));
            i += 2;
        } else {
            i += 1;
        }
    }
    out
}

fn digit(c: char) -> Option<char> {
    match c {
        '0'..='9' | '.' => Some(c),
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
        '．' => Some('.'),
        _ => None,
    }
}

/// Numbers followed by 个/家 or %, outside templates and quotes, with their clause.
fn numbers(text: &str) -> (Vec<Found>, Vec<String>) {
    let chars: Vec<char> = text.chars().collect();
    let spans = templates(&chars);
    // The text with every template replaced by one placeholder, keeping offsets.
    let mut plain = chars.clone();
    for &(a, b) in &spans {
        for c in &mut plain[a..b] {
            *c = '\u{FFFC}';
        }
    }
    // Sentences: the template sources within each, to find the inspections it names.
    let mut sentence_of = vec![0usize; plain.len()];
    let mut sentence_text = vec![String::new()];
    for (i, &c) in chars.iter().enumerate() {
        sentence_of[i] = sentence_text.len() - 1;
        sentence_text.last_mut().expect("one sentence").push(c);
        let in_template = spans.iter().any(|&(a, b)| i >= a && i < b);
        if !in_template && matches!(c, '。' | '；' | '！' | '？' | '\n') {
            sentence_text.push(String::new());
        }
    }
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut i = 0;
    while i < plain.len() {
        let c = plain[i];
        match c {
            '“' | '《' | '〔' | '「' | '『' => depth += 1,
            '”' | '》' | '〕' | '」' | '』' => depth = (depth - 1).max(0),
            _ => {}
        }
        let starts_number = digit(c).is_some_and(|d| d != '.')
            && (i == 0 || digit(plain[i - 1]).is_none())
            && !(i > 0 && (plain[i - 1].is_ascii_alphabetic() || plain[i - 1] == '第'));
        if depth > 0 || !starts_number {
            i += 1;
            continue;
        }
        let mut j = i;
        let mut num = String::new();
        while j < plain.len() {
            match digit(plain[j]) {
                Some(d) => num.push(d),
                None => break,
            }
            j += 1;
        }
        let unit = plain.get(j).copied();
        let rest: String = plain[j..(j + 4).min(plain.len())].iter().collect();
        let rate = matches!(unit, Some('%' | '％'));
        let count = unit.is_some_and(|u| COUNT_UNITS.contains(&u))
            && !NOT_COUNTS.iter().any(|n| rest.starts_with(n));
        let value = num.trim_end_matches('.').parse().ok();
        // A bound, not a figure: 合格率达到100%的区县, 90%以上, 超过90%, 不足3个.
        let after: String = plain[(j + 1).min(plain.len())..(j + 4).min(plain.len())]
            .iter()
            .collect();
        let before: String = plain[i.saturating_sub(2)..i].iter().collect();
        let bound = after.starts_with('的')
            || BOUND_AFTER.iter().any(|w| after.starts_with(w))
            || BOUND_BEFORE.iter().any(|w| before.ends_with(w));
        if let (true, false, Some(value)) = (rate || count, bound, value) {
            // The clause: back to the last clause mark, forward to the unit.
            let start = plain[..i]
                .iter()
                .rposition(|c| matches!(c, '，' | ',' | '、' | '；' | '。' | '：' | '（' | '\n'))
                .map_or(0, |p| p + 1);
            out.push(Found {
                value,
                written: chars[i..=j].iter().collect(),
                rate,
                clause: plain[start..i].iter().collect(),
                sentence: sentence_of[i],
            });
        }
        i = j.max(i + 1);
    }
    (out, sentence_text)
}

fn reads(f: &Found) -> Reads {
    if f.rate {
        for (word, paths, what) in RATE_WORDS {
            if f.clause.contains(word) {
                return Reads::Named(paths, what);
            }
        }
        return Reads::AnyRate;
    }
    for (word, paths, what) in COUNT_WORDS {
        if f.clause.contains(word) && !(word == "合格" && f.clause.contains("不合格")) {
            return Reads::Named(paths, what);
        }
    }
    Reads::AnyCount
}

/// The inspections a sentence is about: those its templates name, else those whose kind it
/// mentions.
fn about<'a>(sentence: &str, sources: &'a [Source<'a>]) -> Vec<&'a Source<'a>> {
    let chars: Vec<char> = sentence.chars().collect();
    let exprs: Vec<String> = templates(&chars)
        .into_iter()
        .map(|(a, b)| chars[a..b].iter().collect())
        .collect();
    let named: Vec<&Source> = sources
        .iter()
        .filter(|s| {
            exprs.iter().any(|e| {
                e.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .any(|w| w == s.id)
            })
        })
        .collect();
    if !named.is_empty() {
        return named;
    }
    sources
        .iter()
        .filter(|s| !s.kind.is_empty() && sentence.contains(s.kind))
        .collect()
}

/// Where in the YAML the number is: the first occurrence of its clause after `after` (the
/// previous number found in the same template), else at or after the template's own position.
fn place(source: &str, from: Pos, after: Option<Pos>, snippet: &str) -> Pos {
    let start = after.unwrap_or(Pos::new(from.line, 0));
    for (n, line) in source
        .lines()
        .enumerate()
        .skip(start.line.saturating_sub(1) as usize)
    {
        let skip_chars = if n as u64 + 1 == start.line {
            start.column as usize
        } else {
            0
        };
        let offset = line
            .char_indices()
            .nth(skip_chars)
            .map_or(line.len(), |(b, _)| b);
        if let Some(b) = line[offset..].find(snippet) {
            return Pos::new(n as u64 + 1, line[..offset + b].chars().count() as u64 + 1);
        }
    }
    from
}

/// Lint one template text named `field`, written at `at()` in `source` (asked only when a
/// number is reported).
pub fn lint(
    text: &str,
    field: &str,
    at: &dyn Fn() -> Pos,
    source: &str,
    sources: &[Source],
    report: &mut Report,
) {
    if !text
        .chars()
        .any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    {
        return;
    }
    let (found, sentences) = numbers(text);
    let mut last: Option<Pos> = None;
    for f in found {
        let sentence = &sentences[f.sentence];
        let mut insps = about(sentence, sources);
        let reading = reads(&f);
        if insps.is_empty() {
            match reading {
                // A named figure in a sentence about no inspection: any inspection's.
                Reads::Named(..) => insps = sources.iter().collect(),
                _ => continue,
            }
        }
        let candidates: Vec<(&str, &Figure)> = insps
            .iter()
            .flat_map(|s| s.figures.iter().map(move |g| (s.id, g)))
            .filter(|(_, g)| match reading {
                Reads::Named(paths, _) => paths.contains(&g.path.as_str()),
                Reads::AnyRate => g.is_rate(),
                Reads::AnyCount => matches!(g.value, crate::score::figures::Value::Count(_)),
            })
            .collect();
        if candidates.is_empty() {
            continue;
        }
        // Located by the clause's text after its last template, and the number.
        let tail = f.clause.rsplit('\u{FFFC}').next().unwrap_or("");
        let pos = place(source, at(), last, &format!("{tail}{}", f.written));
        last = Some(pos);
        let matching: Vec<&(&str, &Figure)> = candidates
            .iter()
            .filter(|(_, g)| g.number() == f.value)
            .collect();
        let expr = |(id, g): &(&str, &Figure)| {
            format!("{{{{{}}}}}（{}）", template_expr(id, &g.path), g.label)
        };
        if !matching.is_empty() {
            let list: Vec<String> = matching.iter().take(3).map(|m| expr(m)).collect();
            report.push(Diagnostic::warning(
                pos,
                field.to_string(),
                format!(
                    "“{}”像是计算结果却是手写的数字：请写作 {}，数据更正后它才会跟着变",
                    f.written,
                    list.join(" 或 ")
                ),
            ));
        } else if let Reads::Named(_, what) = reading {
            let list: Vec<String> = candidates
                .iter()
                .take(3)
                .map(|(id, g)| format!("{}（{{{{{}}}}}）", g.text(), template_expr(id, &g.path)))
                .collect();
            report.push(Diagnostic::contradiction(
                pos,
                field.to_string(),
                format!(
                    "文中写{what}“{}”，按数据计算为 {}：请写作模板，不要手写数字",
                    f.written,
                    list.join("、")
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::figures::Value;
    use crate::score::Rate;

    fn fig(path: &str, label: &str, value: Value) -> Figure {
        Figure {
            path: path.into(),
            label: label.into(),
            value,
        }
    }

    fn rate(text: &str) -> Value {
        Value::Rate(Rate {
            value: text.trim_end_matches('%').parse().unwrap(),
            text: text.into(),
        })
    }

    fn sources() -> Vec<Source<'static>> {
        vec![
            Source {
                id: "sites",
                kind: "政府网站",
                figures: vec![
                    fig("count", "检查总数", Value::Count(6)),
                    fig("passed", "合格数", Value::Count(5)),
                    fig("pass_rate", "合格率", rate("83.3%")),
                    fig("coverage", "检查比例", rate("100%")),
                ],
            },
            Source {
                id: "media",
                kind: "政务新媒体",
                figures: vec![
                    fig("count", "检查总数", Value::Count(33)),
                    fig("by_category.部门", "类别为“部门”的数量", Value::Count(28)),
                    fig("pass_rate", "合格率", rate("100%")),
                ],
            },
        ]
    }

    fn run(text: &str) -> Vec<String> {
        let mut report = Report::new(std::path::Path::new("q.yaml"));
        let source = format!("x:\n  - {text}\n");
        lint(
            text,
            "sections[0].paragraphs[0]",
            &|| Pos::new(2, 5),
            &source,
            &sources(),
            &mut report,
        );
        report.to_string().lines().map(String::from).collect()
    }

    #[test]
    fn a_typed_rate_that_disagrees_is_a_contradiction() {
        let l = run("共检查政府网站{{sites.count}}个，合格率100%。");
        assert_eq!(l.len(), 1, "{l:#?}");
        assert!(l[0].starts_with("q.yaml:2:"), "{l:#?}");
        assert!(l[0].contains("矛盾: sections[0].paragraphs[0]: 文中写合格率“100%”，按数据计算为 83.3%（{{sites.pass_rate}}）"), "{l:#?}");
    }

    #[test]
    fn a_typed_figure_that_agrees_is_a_warning_naming_the_template() {
        let l =
            run("共检查政府系统政务新媒体{{media.count}}个，部门政务新媒体28个，检查比例100%。");
        assert_eq!(l.len(), 1, "{l:#?}");
        assert!(l[0].contains("警告: sections[0].paragraphs[0]: “28个”像是计算结果却是手写的数字：请写作 {{media.by_category.部门}}（类别为“部门”的数量）"), "{l:#?}");
        let l =
            run("此次共检查政府网站{{sites.count}}个，检查比例100%，合格率{{sites.pass_rate}}。");
        assert_eq!(l.len(), 1, "{l:#?}");
        assert!(
            l[0].contains("“100%”像是计算结果") && l[0].contains("{{sites.coverage}}（检查比例）"),
            "{l:#?}"
        );
    }

    #[test]
    fn bounds_are_not_figures() {
        assert!(run("{{sites.count}}个网站中，合格率达到100%的区县有3个以上。").is_empty());
        assert!(run("共检查政府网站{{sites.count}}个，合格率超过90%。").is_empty());
        assert!(run("共检查政府网站{{sites.count}}个，90%以上的网站合格。").is_empty());
    }

    #[test]
    fn narrative_numbers_are_left_alone() {
        assert!(run("第二季度共10个部门受理问政信件17件，办结率100%。").is_empty());
        assert!(run("连续6个月未更新，“广元财政”订阅人数28个。").is_empty());
        assert!(run("按照《关于开展2个专项的通知》（大足府办发〔2020〕117号）要求。").is_empty());
        assert!(
            run("政务新媒体{{media.count}}个，市本级33个单位，平均每个单位1个月更新3个栏目。")
                .iter()
                .all(|l| l.contains("“33个”")),
            "only the one equal to a figure"
        );
    }
}
