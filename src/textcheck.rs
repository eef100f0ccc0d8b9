//! Text checks at load, before the YAML is read into the model: every character of the file,
//! and every character a double-quoted string's escapes make (`"某某区\x0b政府"`), must be text.
//! C0 and C1 control characters (tab, line feed and carriage return aside), DEL and
//! noncharacters are errors with line and column; a lone surrogate escape (`"\ud800"`) too.
//! Word and web pages carry them into pasted text, where nobody sees them, and an XML part
//! holding one is not well-formed.
//!
//! Tab and newline are text, normalised where the document has no place for them
//! ([`normalise_document`]: a tab is a space; a line break inside a title, heading, table cell
//! or signature joins the lines).
//!
//! Also a lint: a `#` written after a value with one space and no space after it
//! (`recipients: 各镇人民政府 #1、街道办事处`) starts a YAML comment and silently cuts the value;
//! it is reported as a warning.

use std::borrow::Cow;

use granit_parser::{Event, Parser, ScalarStyle};

use crate::diag::{Diagnostic, Pos, Report};
use crate::ir::Document;

/// More problems than this are summed up in one last message: a file full of them is one
/// problem (a wrong export), not ten thousand.
const MAX_REPORTED: usize = 50;

/// What a character that is not text is called in messages, or `None` for text.
pub fn problem(c: char) -> Option<&'static str> {
    let u = c as u32;
    Some(match u {
        0x09 | 0x0A | 0x0D => return None,
        0x00 => "空字符（NUL）",
        0x07 => "响铃符（BEL）",
        0x08 => "退格符（BS）",
        0x0B => "垂直制表符（VT，Word 的手动换行复制后常见）",
        0x0C => "换页符（FF）",
        0x1B => "转义符（ESC）",
        0x01..=0x1F => "控制字符",
        0x7F => "删除符（DEL）",
        0x85 => "C1 控制字符“下一行”（NEL）",
        0x80..=0x9F => "C1 控制字符",
        0xFDD0..=0xFDEF => "非字符（noncharacter）",
        _ if u & 0xFFFE == 0xFFFE => "非字符（noncharacter）",
        _ => return None,
    })
}

/// Whether `text` may hold a character [`problem`] names, by its UTF-8 bytes: a C0 control
/// other than tab and line ends, DEL, a C1 control (C2 80–9F), U+FDD0–FDEF and U+FFFE/FFFF
/// (EF B7 …, EF BF …), a noncharacter of another plane (4 bytes). Most files have none, and
/// bytes are looked up three times faster than characters are decoded and named.
fn maybe_problems(text: &str) -> bool {
    let b = text.as_bytes();
    b.iter().enumerate().any(|(i, &c)| {
        LEADS[c as usize]
            && match c {
                0xC2 => b.get(i + 1).is_some_and(|&n| n <= 0x9F),
                0xEF => matches!(b.get(i + 1), Some(0xB7 | 0xBF)),
                _ => true,
            }
    })
}

/// The bytes [`maybe_problems`] looks at twice.
const LEADS: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 256 {
        t[c] =
            matches!(c as u8, 0x00..=0x08 | 0x0B | 0x0C | 0x0E..=0x1F | 0x7F | 0xC2 | 0xEF..=0xF4);
        c += 1;
    }
    t
};

/// Every character problem of the file `text` (as decoded from UTF-8), as errors.
pub fn errors(text: &str) -> Vec<Diagnostic> {
    // (byte offset, error) of raw characters, in file order.
    let mut raw: Vec<(usize, Diagnostic)> = Vec::new();
    let mut bad = 0usize;
    let (mut line, mut column) = (1u64, 0u64);
    let suspect = if maybe_problems(text) { text } else { "" };
    for (offset, c) in suspect.char_indices() {
        if c == '\n' {
            (line, column) = (line + 1, 0);
            continue;
        }
        column += 1;
        if let Some(name) = problem(c) {
            bad += 1;
            if raw.len() < MAX_REPORTED {
                let message = format!(
                    "此处有一个{name}（U+{:04X}）：它不是文字，看不见，多由 Word 或网页复制带入；请删除它",
                    c as u32
                );
                raw.push((
                    offset,
                    Diagnostic::error(Pos::new(line, column), "", message),
                ));
            }
        }
    }
    let mut escaped = Vec::new();
    // Escapes exist only in double-quoted strings: no backslash, nothing to decode.
    if !raw.is_empty() {
        // The YAML reader stops at a raw control character: read a copy where each is blanked
        // (byte for byte, so offsets hold) to place them all in their fields.
        let blanked: String = text
            .chars()
            .map(|c| {
                if problem(c).is_some() {
                    " ".repeat(c.len_utf8())
                } else {
                    c.to_string()
                }
            })
            .collect();
        scalar_pass(&blanked, &mut raw, &mut escaped, &mut bad);
    } else if text.contains('\\') {
        scalar_pass(text, &mut raw, &mut escaped, &mut bad);
    }
    let mut found: Vec<Diagnostic> = raw.into_iter().map(|(_, d)| d).collect();
    found.append(&mut escaped);
    found.truncate(MAX_REPORTED);
    if bad > found.len() {
        found.push(Diagnostic::error(
            Pos::default(),
            "",
            format!("另有 {} 处同类问题未逐一列出", bad - found.len()),
        ));
    }
    found
}

/// The field path of the node being read (`document.issuer`, `inspections[0].items[3].unit`),
/// followed through the parser's events.
#[derive(Default)]
struct FieldPath {
    frames: Vec<Frame>,
}

enum Frame {
    /// A mapping: its current key, and whether the next node is a key.
    Map {
        key: String,
        at_key: bool,
    },
    Seq {
        index: usize,
    },
}

impl FieldPath {
    /// The path of the next node.
    fn path(&self) -> String {
        let mut out = String::new();
        for f in &self.frames {
            match f {
                Frame::Map { key, .. } => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(key);
                }
                Frame::Seq { index } => out.push_str(&format!("[{index}]")),
            }
        }
        out
    }

    /// Whether the next node is a mapping key.
    fn at_key(&self) -> bool {
        matches!(self.frames.last(), Some(Frame::Map { at_key: true, .. }))
    }

    /// A scalar was read: a key names the value that follows.
    fn scalar(&mut self, value: &str) {
        match self.frames.last_mut() {
            Some(Frame::Map { key, at_key }) if *at_key => {
                *key = value.to_string();
                *at_key = false;
            }
            _ => self.node_done(),
        }
    }

    fn node_done(&mut self) {
        match self.frames.last_mut() {
            Some(Frame::Map { at_key, .. }) => *at_key = true,
            Some(Frame::Seq { index }) => *index += 1,
            None => {}
        }
    }

    fn open(&mut self, frame: Frame) {
        self.frames.push(frame);
    }

    fn close(&mut self) {
        self.frames.pop();
        self.node_done();
    }
}

/// One pass over the scalars: raw problems get the field they are in, and the characters
/// double-quoted scalars' escapes produce are checked.
fn scalar_pass(
    text: &str,
    raw: &mut [(usize, Diagnostic)],
    escaped: &mut Vec<Diagnostic>,
    bad: &mut usize,
) {
    let mut parser = Parser::new_from_str(text);
    let mut path = FieldPath::default();
    // The raw problems not yet placed, and the last scalar read (byte offset, field): a problem
    // belongs to the last scalar that starts before it on its line (the problem, blanked, may
    // end the scalar).
    let mut unplaced = &mut raw[..];
    let mut last: Option<(usize, String)> = None;
    let place =
        |upto: usize, last: &Option<(usize, String)>, unplaced: &mut &mut [(usize, Diagnostic)]| {
            let n = unplaced.partition_point(|(o, _)| *o < upto);
            let (now, rest) = std::mem::take(unplaced).split_at_mut(n);
            if let Some((start, field)) = last {
                for (o, d) in now.iter_mut() {
                    if !text[*start..*o].contains('\n') {
                        d.field.clone_from(field);
                    }
                }
            }
            *unplaced = rest;
        };
    while let Some(event) = parser.next_event() {
        let (event, span) = match event {
            Ok(e) => e,
            Err(e) => {
                // A syntax error is the YAML reader's to report; a lone surrogate is ours.
                if e.to_string().contains("surrogate") {
                    *bad += 1;
                    let m = e.marker();
                    escaped.push(Diagnostic::error(
                        Pos {
                            source: 0,
                            line: m.line() as u64,
                            column: m.col() as u64 + 1,
                        },
                        path.path(),
                        "双引号字符串中的转义（\\uD800–\\uDFFF）是孤立的代理项，不是字符：请删除它，或直接写出要的字",
                    ));
                }
                break;
            }
        };
        match event {
            Event::Scalar(value, style, ..) => {
                let field = if path.at_key() {
                    let p = path.path();
                    if p.is_empty() {
                        value.to_string()
                    } else {
                        format!("{p}.{value}")
                    }
                } else {
                    path.path()
                };
                if let Some(start) = span.start.byte_offset() {
                    place(start, &last, &mut unplaced);
                    if !unplaced.is_empty() {
                        last = Some((start, field.clone()));
                    }
                }
                if style == ScalarStyle::DoubleQuoted {
                    for c in value.chars() {
                        let Some(name) = problem(c) else { continue };
                        *bad += 1;
                        escaped.push(Diagnostic::error(
                            Pos {
                                source: 0,
                                line: span.start.line() as u64,
                                column: span.start.col() as u64 + 1,
                            },
                            field.clone(),
                            format!(
                                "双引号字符串中的转义产生了一个{name}（U+{:04X}）：它不是文字；请删除这个转义",
                                c as u32
                            ),
                        ));
                    }
                }
                path.scalar(&value);
            }
            Event::MappingStart(..) => path.open(Frame::Map {
                key: String::new(),
                at_key: true,
            }),
            Event::SequenceStart(..) => path.open(Frame::Seq { index: 0 }),
            Event::MappingEnd | Event::SequenceEnd => path.close(),
            Event::Alias(_) => path.node_done(),
            _ => {}
        }
    }
    place(text.len(), &last, &mut unplaced);
}

/// The text of every template file (`*.hbs`, as handlebars loads them: the whole tree) under
/// `dir`: the first problems, as one message naming file, line and column.
pub fn check_template_dir(dir: &std::path::Path) -> Result<(), String> {
    let mut pending = vec![dir.to_path_buf()];
    let mut problems = Vec::new();
    while let Some(d) = pending.pop() {
        let entries =
            std::fs::read_dir(&d).map_err(|e| format!("无法读取模板目录 {}：{e}", d.display()))?;
        let mut paths: Vec<std::path::PathBuf> =
            entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            if p.is_dir() {
                pending.push(p);
            } else if p.extension().is_some_and(|e| e == "hbs") {
                let bytes =
                    std::fs::read(&p).map_err(|e| format!("无法读取模板 {}：{e}", p.display()))?;
                let Ok(text) = std::str::from_utf8(&bytes) else {
                    return Err(format!(
                        "模板 {} 不是有效的 UTF-8 文本（请用 UTF-8 编码保存）",
                        p.display()
                    ));
                };
                problems.extend(errors(text).into_iter().map(|d| {
                    format!(
                        "{}:{}:{}: {}",
                        p.display(),
                        d.pos.line,
                        d.pos.column,
                        d.message
                    )
                }));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("模板中有不是文字的字符：\n{}", problems.join("\n")))
    }
}

/// Whether some line has `X #Y`: a `#` after one space, itself followed by text. Comments as
/// written (`值  # 说明`) do not match, so most files never need the event pass.
fn may_cut_a_value(text: &str) -> bool {
    text.as_bytes().windows(4).any(|w| {
        w[1] == b' ' && w[2] == b'#' && !w[0].is_ascii_whitespace() && !w[3].is_ascii_whitespace()
    })
}

/// Warnings for values a `#` cuts short.
pub fn lint(text: &str, report: &mut Report) {
    if !may_cut_a_value(text) {
        return;
    }
    let mut parser = Parser::new_from_str(text);
    let mut last_plain: Option<(String, granit_parser::Span)> = None;
    while let Some(Ok((event, span))) = parser.next_event() {
        match event {
            Event::Comment(comment, _) => {
                let Some((value, value_span)) = last_plain.take() else {
                    continue;
                };
                let same_line = value_span.end.line() == span.start.line();
                let one_space = span.start.col() == value_span.end.col() + 1;
                let glued = !comment.starts_with([' ', '\t']) && !comment.is_empty();
                if same_line && one_space && glued {
                    let at = Pos::new(span.start.line() as u64, span.start.col() as u64 + 1);
                    report.push(value_cut_by_hash(at, &value, &comment));
                }
            }
            Event::Scalar(value, ScalarStyle::Plain, ..) => {
                last_plain = Some((value.into_owned(), span));
            }
            _ => last_plain = None,
        }
    }
}

/// The warning for a plain value `value #comment` that the `#` at `at` cuts short.
pub fn value_cut_by_hash(at: Pos, value: &str, comment: &str) -> Diagnostic {
    Diagnostic::warning(
        at,
        "",
        format!("“#{comment}”被当作注释忽略，取值只到“{value}”为止：空格后的 # 开始注释"),
    )
    .with_hint(format!(
        "如果 # 属于取值，请给整个值加引号：\"{value} #{comment}\""
    ))
}

/// Tabs and line breaks where the document has no place for them: a tab becomes a space; a
/// line break inside a one-line text (title, heading, cell, run) joins the lines, with a space
/// only between two Latin letters or digits.
pub fn normalise_document(doc: &mut Document) {
    doc.for_each_text_mut(|s| {
        if let Cow::Owned(n) = normalise_inline(s) {
            *s = n;
        }
    });
}

fn normalise_inline(s: &str) -> Cow<'_, str> {
    if !s.contains(['\t', '\n', '\r']) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut pending_break = false;
    for c in s.chars() {
        match c {
            '\n' | '\r' => pending_break = true,
            c => {
                if pending_break {
                    let latin = |c: char| c.is_ascii_alphanumeric();
                    if out.chars().next_back().is_some_and(latin) && latin(c) {
                        out.push(' ');
                    }
                    pending_break = false;
                }
                out.push(if c == '\t' { ' ' } else { c });
            }
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(text: &str) -> Vec<String> {
        errors(text)
            .iter()
            .map(|d| format!("{}:{} {}", d.pos.line, d.pos.column, d.message))
            .collect()
    }

    #[test]
    fn raw_control_characters_are_located() {
        let m = messages("document:\n  issuer: 某某区\u{0B}政府\n  note: \u{85}\n");
        let fields: Vec<String> =
            errors("document:\n  issuer: 某某区\u{0B}政府\n  cc: [a, 甲\u{07}乙]\n")
                .into_iter()
                .map(|d| d.field)
                .collect();
        assert_eq!(fields, ["document.issuer", "document.cc[1]"]);
        assert_eq!(m.len(), 2, "{m:?}");
        assert!(m[0].starts_with("2:14 此处有一个垂直制表符"), "{m:?}");
        assert!(
            m[1].starts_with("3:9 此处有一个C1 控制字符“下一行”"),
            "{m:?}"
        );
        assert!(messages("a: 1\tb\r\nc: \u{FEFF}d\n").is_empty());
    }

    #[test]
    fn the_byte_test_misses_no_character() {
        let mut named = 0;
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            if problem(c).is_some() {
                named += 1;
                assert!(maybe_problems(&format!("甲{c}乙")), "U+{:04X}", c as u32);
            }
        }
        assert_eq!(
            named,
            29 + 1 + 32 + 32 + 34,
            "C0, DEL, C1, FDD0–FDEF, xFFFE/xFFFF"
        );
        assert!(!maybe_problems(
            "document:\n\tissuer: 某区，（２０２４）·“办公室”\r\n"
        ));
    }

    #[test]
    fn escapes_in_double_quoted_strings_are_checked() {
        for (esc, name) in [
            ("\\x0b", "垂直制表符"),
            ("\\0", "空字符"),
            ("\\a", "响铃符"),
            ("\\e", "转义符"),
            ("\\x1b", "转义符"),
            ("\\uFFFE", "非字符"),
            ("\\N", "下一行"),
        ] {
            let m = messages(&format!("document:\n  issuer: \"某某区{esc}政府\"\n"));
            assert_eq!(m.len(), 1, "{esc}: {m:?}");
            assert!(
                m[0].starts_with("2:11 双引号字符串中的转义产生了一个"),
                "{m:?}"
            );
            assert!(m[0].contains(name), "{esc}: {m:?}");
        }
        let d = &errors("inspections:\n  - id: s\n    items:\n      - {unit: \"甲\\x07\"}\n")[0];
        assert_eq!(
            (d.pos.line, d.field.as_str()),
            (4, "inspections[0].items[0].unit")
        );
        let m = messages("a: \"x\\ud800y\"\n");
        assert!(m[0].contains("孤立的代理项"), "{m:?}");
        // Escapes of real characters are fine; single quotes and plain scalars have none.
        assert!(messages("a: \"\\t\\u4E2D\\n\"\nb: 'x\\x0b'\nc: x\\0\n").is_empty());
    }

    #[test]
    fn a_file_full_of_them_is_summed_up() {
        let m = messages(&"\u{07}".repeat(500));
        assert_eq!(m.len(), MAX_REPORTED + 1);
        assert!(m[MAX_REPORTED].contains("另有 450 处"));
    }

    #[test]
    fn a_hash_glued_to_text_after_one_space_is_a_warning() {
        let lint_of = |text: &str| {
            let mut r = Report::new(std::path::Path::new("q.yaml"));
            lint(text, &mut r);
            r.items
                .iter()
                .map(|d| format!("{}:{} {}", d.pos.line, d.pos.column, d.message))
                .collect::<Vec<_>>()
        };
        let w = lint_of("document:\n  recipients: 各镇人民政府 #1、街道办事处\n");
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(
            w[0].starts_with("2:22 “#1、街道办事处”被当作注释忽略，取值只到“各镇人民政府”为止"),
            "{w:?}"
        );
        // Comments as people write them, a # inside a value, quoted values: nothing.
        for ok in [
            "a: 值  #说明\n",
            "a: 值 # 说明\n",
            "a: 各镇#1\n",
            "a: \"各镇 #1\"\n",
            "# 注释 #1\na: b\n",
            "a: >-\n  x #1 y\n",
        ] {
            assert!(lint_of(ok).is_empty(), "{ok:?}: {:?}", lint_of(ok));
        }
    }

    #[test]
    fn tabs_and_breaks_are_normalised_in_one_line_texts() {
        assert_eq!(normalise_inline("某某区\n政府"), "某某区政府");
        assert_eq!(normalise_inline("Web\r\nsite"), "Web site");
        assert_eq!(normalise_inline("甲\t乙"), "甲 乙");
        assert!(matches!(normalise_inline("甲乙"), Cow::Borrowed(_)));
    }
}
