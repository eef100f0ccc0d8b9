//! The slips a clerk makes in YAML, found line by line: a Tab in the indentation, a full-width
//! colon after a key (`year：2024`), no space after the colon (`year:2024`), and a `#` that cuts
//! a value short (`recipients: 各镇 #1、街道`).
//!
//! The YAML parser stops at the first syntax error, so a file with three slips would need three
//! rounds of `check`. When it stops, [`scan`] looks at every line on its own and reports every
//! likely slip at once; [`translate::syntax`](super::translate) uses the same detectors to name
//! the cause of the error the parser did find.
//!
//! Lines inside block scalars (`>-`, `|`) are text, not structure, and are skipped; prose in
//! them is full of `：`.

use crate::diag::{Diagnostic, Pos};

/// A detector of one kind of slip on line `n`.
pub(super) type Detector = fn(n: u64, line: &str) -> Option<Diagnostic>;

/// More slips than this in one file are not a few slips but a file that is not YAML.
const MAX_SLIPS: usize = 50;

/// Every likely slip of `text`, in line order: Tabs, full-width colons and missing spaces as
/// errors, a `#` cutting a value as a warning (the value reads, only shorter).
pub(super) fn scan(text: &str) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    // Indentation of the line that opened the block scalar we are in.
    let mut block: Option<usize> = None;
    // Indentation and shape of the previous line of structure.
    let mut previous: Option<(usize, bool)> = None;
    for (i, line) in text.lines().enumerate() {
        let n = i as u64 + 1;
        let content = line.trim_start_matches([' ', '\t']);
        if content.is_empty() {
            continue;
        }
        let indent = line.len() - content.len();
        if let Some(opened) = block {
            if indent > opened {
                continue;
            }
            block = None;
        }
        if content.starts_with('#') {
            continue;
        }
        let slip = tab(n, line)
            .or_else(|| {
                let sibling = previous.is_some_and(|(at, key)| at == indent && key);
                full_width_colon(n, line, sibling)
            })
            .or_else(|| missing_space(n, line))
            .or_else(|| hash_cut(n, line));
        found.extend(slip);
        if opens_block_scalar(content) {
            block = Some(indent);
        }
        previous = Some((indent, is_key_line(content)));
        if found.len() == MAX_SLIPS {
            break;
        }
    }
    found
}

/// The slip on the line of a value error (`quarter:` over a lone `year：2024` is a string, not
/// a mapping): the slip's error in place of `error`, its field under `error`'s.
pub(super) fn cause(text: &str, error: &Diagnostic) -> Option<Diagnostic> {
    let n = error.pos.line;
    let line = text.lines().nth(usize::try_from(n).ok()?.checked_sub(1)?)?;
    let mut slip = tab(n, line)
        .or_else(|| full_width_colon(n, line, true))
        .or_else(|| missing_space(n, line))?;
    slip.field = match (error.field.is_empty(), slip.field.is_empty()) {
        (false, false) => format!("{}.{}", error.field, slip.field),
        (false, true) => error.field.clone(),
        (true, _) => slip.field,
    };
    Some(slip)
}

/// A Tab in the indentation of line `n`.
pub(super) fn tab(n: u64, line: &str) -> Option<Diagnostic> {
    let col = line
        .chars()
        .take_while(|c| c.is_whitespace())
        .position(|c| c == '\t')? as u64
        + 1;
    Some(
        Diagnostic::error(
            Pos::new(n, col),
            "",
            "缩进里有 Tab 字符，YAML 不允许用 Tab 缩进",
        )
        .with_hint("把 Tab 换成空格（同一层级左对齐，每深一层多两个空格）"),
    )
}

/// `key：value` on line `n` meant as a key: a field name (ASCII), or, where a key belongs
/// (`sibling`: the line above is a key at the same indentation, or the caller knows the parser
/// stopped here), a column or indicator name followed by a short value (主办单位：unit). A line
/// of prose with a ： (存在问题的单位有：…) is not one.
pub(super) fn full_width_colon(n: u64, line: &str, sibling: bool) -> Option<Diagnostic> {
    let (key, col) = key_with(line, '：')?;
    let value = after(line, col);
    let field = is_field_name(&key);
    let short =
        line.matches('：').count() == 1 && !value.contains("{{") && value.chars().count() <= 12;
    if !(field || (sibling && short)) {
        return None;
    }
    Some(
        Diagnostic::error(
            Pos::new(n, col),
            key.clone(),
            format!("“{key}”后面的冒号是全角的“：”，YAML 只认半角冒号"),
        )
        .with_hint(format!("改为半角冒号并在后面加一个空格：{key}: {value}")),
    )
}

/// `key:value` on line `n`, an ASCII field name and no space: YAML reads it as one string.
pub(super) fn missing_space(n: u64, line: &str) -> Option<Diagnostic> {
    let (key, col) = key_with(line, ':')?;
    let rest = after(line, col);
    let first = line.chars().nth(col as usize)?;
    if !is_field_name(&key) || first.is_whitespace() || rest.starts_with("//") {
        return None;
    }
    Some(
        Diagnostic::error(
            Pos::new(n, col),
            key.clone(),
            format!("“{key}:”的冒号后面缺少空格，整行被读成了一段文字"),
        )
        .with_hint(format!("在冒号后加一个空格：{key}: {rest}")),
    )
}

/// `key: value #more` on line `n`: a `#` after one space, glued to the text after it, in a
/// plain value, starts a comment and cuts the value at the space.
fn hash_cut(n: u64, line: &str) -> Option<Diagnostic> {
    let (_, col) = key_with(line, ':')?;
    let value = line
        .char_indices()
        .nth(col as usize)
        .map_or("", |(b, _)| &line[b..]);
    let value = value.strip_prefix(' ')?.trim_start();
    if value.starts_with(['"', '\'', '{', '[', '|', '>', '&', '*', '#']) {
        return None;
    }
    let at = value.find(" #")?;
    let (kept, comment) = (&value[..at], &value[at + 2..]);
    if kept.ends_with([' ', '\t']) || comment.is_empty() || comment.starts_with([' ', '\t']) {
        return None;
    }
    let column = line[..line.len() - value.len() + at + 1].chars().count() as u64 + 1;
    Some(crate::textcheck::value_cut_by_hash(
        Pos::new(n, column),
        kept,
        comment,
    ))
}

/// A line `  key<sep>value` (optionally a list item): the key and the column of `sep`.
fn key_with(line: &str, sep: char) -> Option<(String, u64)> {
    let body = line.trim_start();
    let body = body.strip_prefix("- ").unwrap_or(body);
    let i = body.find(sep)?;
    let key = &body[..i];
    if key.is_empty()
        || key
            .chars()
            .any(|c| c.is_whitespace() || "#:'\"{}[],".contains(c))
    {
        return None;
    }
    let prefix = line.len() - body.len();
    Some((
        key.to_string(),
        line[..prefix + i].chars().count() as u64 + 1,
    ))
}

/// A field name of the quarter file: ASCII letters, digits and `_`, starting with a letter
/// (not a time of day such as 10:30).
fn is_field_name(key: &str) -> bool {
    key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The text after the character at a 1-based column.
fn after(line: &str, col: u64) -> &str {
    line.char_indices()
        .nth(col as usize)
        .map_or("", |(b, _)| &line[b..])
        .trim()
}

/// `key:` or `key: value` (or a list item holding one).
fn is_key_line(content: &str) -> bool {
    let body = content.strip_prefix("- ").unwrap_or(content);
    body.contains(": ") || body.trim_end().ends_with(':')
}

/// A line whose value is a block scalar header (`key: >-`, `- |`), the text on the lines below.
fn opens_block_scalar(content: &str) -> bool {
    let value = match content.find(": ") {
        Some(i) => &content[i + 2..],
        None => content.strip_prefix("- ").unwrap_or(""),
    };
    let value = value.split(" #").next().unwrap_or("").trim();
    let mut chars = value.chars();
    matches!(chars.next(), Some('|' | '>')) && chars.all(|c| matches!(c, '+' | '-' | '1'..='9'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slips(text: &str) -> Vec<String> {
        scan(text)
            .iter()
            .map(|d| {
                format!(
                    "{}:{} {:?} {} 提示：{}",
                    d.pos.line,
                    d.pos.column,
                    d.severity,
                    d.message,
                    d.hint.as_deref().unwrap_or("")
                )
            })
            .collect()
    }

    #[test]
    fn every_slip_of_a_file_at_once() {
        let text = "document:\n  issuer: 某区人民政府办公室\n\tdate: 2021-07-07\n  recipients: 各镇人民政府 #1、街道办事处\nquarter:\n  year：2021\n  number:2\n";
        assert_eq!(
            slips(text),
            [
                "3:1 Error 缩进里有 Tab 字符，YAML 不允许用 Tab 缩进 提示：把 Tab 换成空格（同一层级左对齐，每深一层多两个空格）",
                "4:22 Warning “#1、街道办事处”被当作注释忽略，取值只到“各镇人民政府”为止：空格后的 # 开始注释 提示：如果 # 属于取值，请给整个值加引号：\"各镇人民政府 #1、街道办事处\"",
                "6:7 Error “year”后面的冒号是全角的“：”，YAML 只认半角冒号 提示：改为半角冒号并在后面加一个空格：year: 2021",
                "7:9 Error “number:”的冒号后面缺少空格，整行被读成了一段文字 提示：在冒号后加一个空格：number: 2",
            ]
        );
    }

    #[test]
    fn text_is_not_structure() {
        // Prose in a block scalar, comments as written, URLs, times and quoted values.
        let text = "opening: >-\n  现将有关情况通报如下：\n  会议于10:30召开。\nsections:\n  - heading: 总体情况\n    paragraphs:\n      - 存在问题的单位有：甲、乙\n      - 一是个别专栏更新不及时。\n        部分单位：\nurl: http://example.org\nnote: 此件主动公开  # 版记\ncc: \"甲 #1\"\nrecipients: 各镇 # 说明\n";
        assert_eq!(slips(text), Vec::<String>::new());
    }

    #[test]
    fn a_column_name_with_a_full_width_colon_among_keys() {
        let text = "columns:\n  单位名称: unit\n  主办单位：name\n";
        assert_eq!(
            slips(text),
            ["3:7 Error “主办单位”后面的冒号是全角的“：”，YAML 只认半角冒号 提示：改为半角冒号并在后面加一个空格：主办单位: name"]
        );
    }

    #[test]
    fn a_block_scalar_ends_at_its_indentation() {
        let text = "opening: |\n  甲：乙\nquarter:\n  year:2021\n";
        assert_eq!(slips(text).len(), 1);
        assert!(slips(text)[0].starts_with("4:7 Error “year:”"));
    }
}
