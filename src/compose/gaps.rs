//! What an empty value or list leaves in a rendered text: 不合格的有：。 when nobody failed,
//! 前三名是：甲、乙；；丙。 when a rank has no one, （） around nothing; and a 附件N the
//! document does not have (附件1 of a single attachment, which is labelled 附件); a value in
//! one pair of braces, `{sites.count}`, that no template took and that would be printed as
//! is, and a brace a template left over (`{{sites.count}}}` prints 26}). Each is a 警告 at the
//! template, quoting the place.

use crate::diag::{Diagnostic, Pos, Report};

/// Two characters that no sentence puts side by side, but a template does when what it
/// joins between them is empty.
const GAPS: [&str; 14] = [
    "：。", "：；", "：，", "有。", "有；", "、、", "；；", "，，", "（）", "“”", "、。", "、；",
    "，。", "《》",
];

/// Warn of the gaps in `text` (rendered from a template when `templated`), and of 附件N
/// beyond the `attachments` the document has.
pub fn check(
    text: &str,
    templated: bool,
    field: &str,
    at: Pos,
    attachments: usize,
    report: &mut Report,
) {
    if templated {
        if let Some(gap) = GAPS.iter().find_map(|g| text.find(g).map(|b| (g, b))) {
            report.push(
                Diagnostic::warning(
                    at,
                    field,
                    format!(
                        "生成的文字“{}”中有空缺“{}”：模板取到的名单或数值是空的",
                        around(text, gap.1, gap.0.len()),
                        gap.0
                    ),
                )
                .with_hint("核对数据；名单可能为空时用 {{#if …}}……{{/if}} 只在有内容时写这句"),
            );
        }
    }
    // A brace left in the text: `{name}` (not a template), or one a template left over.
    if text.contains(['{', '}', '｛', '｝']) {
        match single_braced(text) {
            Some(braced) => {
                let inner = braced.trim_matches(['{', '}', '｛', '｝']);
                report.push(
                    Diagnostic::warning(
                        at,
                        field,
                        format!("文字中的“{braced}”不是模板，会原样印出：取值要用两层半角花括号"),
                    )
                    .with_hint(format!("写作 {{{{{inner}}}}}")),
                );
            }
            None => {
                if let Some(b) = text.find(['{', '}']).filter(|_| templated) {
                    report.push(
                        Diagnostic::warning(
                            at,
                            field,
                            format!(
                                "生成的文字“{}”中有多余的花括号：模板的括号多写了一个，或少写了一个",
                                around(text, b, 1)
                            ),
                        )
                        .with_hint("取值写作 {{sites.count}}，两边各两个半角花括号"),
                    );
                }
            }
        }
    }
    for n in attachment_numbers(text) {
        if attachments == 1 && n.parse::<usize>() == Ok(1) {
            // GB/T 9704 7.3.4: a single attachment is labelled 附件, not 附件1.
            report.push(
                Diagnostic::warning(
                    at,
                    field,
                    "文中提到“附件1”，本文只有 1 个附件，标作“附件”（GB/T 9704 只有多个附件时才编号）",
                )
                .with_hint("把“附件1”改为“附件”"),
            );
            continue;
        }
        // Too many digits for a usize is beyond any attachment count too.
        if n.parse::<usize>().map_or(true, |n| n > attachments) {
            let what = if attachments == 0 {
                "本文没有附件".to_string()
            } else {
                format!("本文只有 {attachments} 个附件")
            };
            report.push(
                Diagnostic::warning(at, field, format!("文中提到“附件{n}”，{what}"))
                    .with_hint("核对附件的编号，或在 attachments 中加上它"),
            );
        }
    }
}

/// The text around byte `b` (a gap of `len` bytes), a few characters each side.
fn around(text: &str, b: usize, len: usize) -> String {
    let before: String = text[..b]
        .chars()
        .rev()
        .take(8)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let after: String = text[b + len..].chars().take(4).collect();
    format!("…{before}{}{after}…", &text[b..b + len])
}

/// The first `{name}` or `｛name｝` left in a text: a value meant for a template (`{sites.count}`,
/// `｛｛sites.count｝｝`) that no template took, as `{{…}}` would have. A name is letters,
/// digits, `_`, `.` and `@`, starting with a letter, `_` or `@`.
fn single_braced(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !matches!(chars[i], '{' | '｛') {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && matches!(chars[i], '{' | '｛') {
            i += 1;
        }
        let name_start = i;
        while i < chars.len() && (chars[i].is_alphanumeric() || matches!(chars[i], '_' | '.' | '@'))
        {
            i += 1;
        }
        let first = chars.get(name_start).copied();
        let named = i > name_start
            && first.is_some_and(|c| c.is_alphabetic() || c == '_' || c == '@')
            && chars.get(i).is_some_and(|c| matches!(c, '}' | '｝'));
        if named {
            let mut end = i;
            while end < chars.len() && matches!(chars[end], '}' | '｝') {
                end += 1;
            }
            return Some(chars[start..end].iter().collect());
        }
    }
    None
}

/// The N of every 附件N in `text` (附件1, 附件２), written in half-width digits as typed.
fn attachment_numbers(text: &str) -> Vec<String> {
    let digit = |c: char| match c {
        '0'..='9' => Some(c),
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
        _ => None,
    };
    text.match_indices("附件")
        .filter_map(|(b, m)| {
            let digits: String = text[b + m.len()..].chars().map_while(digit).collect();
            (!digits.is_empty()).then_some(digits)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warnings(text: &str, attachments: usize) -> Vec<String> {
        let mut r = Report::new(std::path::Path::new("q.yaml"));
        check(text, true, "f", Pos::default(), attachments, &mut r);
        r.items.iter().map(|d| d.message.clone()).collect()
    }

    #[test]
    fn a_value_in_single_or_full_width_braces_is_reported() {
        assert_eq!(
            warnings("共检查{sites.count}个。", 0),
            ["文字中的“{sites.count}”不是模板，会原样印出：取值要用两层半角花括号"]
        );
        assert_eq!(
            warnings("合格率｛｛sites.pass_rate｝｝。", 0),
            ["文字中的“｛｛sites.pass_rate｝｝”不是模板，会原样印出：取值要用两层半角花括号"]
        );
        // Braces that hold no name are not a value, but a brace in generated text is stray.
        assert_eq!(
            warnings("集合{1, 2}与{}不是取值。", 0),
            ["生成的文字“…集合{1, 2…”中有多余的花括号：模板的括号多写了一个，或少写了一个"]
        );
        assert_eq!(
            warnings("共检查26}个。", 0),
            ["生成的文字“…共检查26}个。…”中有多余的花括号：模板的括号多写了一个，或少写了一个"]
        );
    }

    #[test]
    fn an_empty_list_leaves_a_gap_that_is_reported() {
        assert_eq!(
            warnings("不合格的有：。", 1),
            ["生成的文字“…不合格的有：。…”中有空缺“：。”：模板取到的名单或数值是空的"]
        );
        assert_eq!(warnings("前三名是：甲、乙；；丙。", 1).len(), 1);
        assert!(warnings("不合格的有：甲、乙。", 1).is_empty());
    }

    #[test]
    fn an_attachment_the_document_does_not_have() {
        assert_eq!(
            warnings("名单见附件3，其余见附件1。", 2),
            ["文中提到“附件3”，本文只有 2 个附件"]
        );
        assert_eq!(
            warnings("详见附件２。", 0),
            ["文中提到“附件2”，本文没有附件"]
        );
        assert!(warnings("详见附件2。", 2).is_empty());
        assert_eq!(
            warnings("详见附件1。", 1),
            ["文中提到“附件1”，本文只有 1 个附件，标作“附件”（GB/T 9704 只有多个附件时才编号）"]
        );
        assert!(warnings("详见附件。", 1).is_empty());
        // The fuzzer's mutant: more digits than a usize holds (overflowed in a debug build).
        assert_eq!(
            warnings("详见附件99999999999999999999。", 2),
            ["文中提到“附件99999999999999999999”，本文只有 2 个附件"]
        );
    }
}
