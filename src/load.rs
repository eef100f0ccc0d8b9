//! load: bytes of a quarter file → [`Quarter`], or every problem found, in Chinese with
//! file:line:column. Hostile input (alias bombs, deep nesting, huge files) is bounded.

use std::path::Path;

use serde_saphyr::{Budget, Error as YamlError, Options};

use crate::diag::{Diagnostic, Pos, Report};
use crate::model::Quarter;

/// Larger files are refused before parsing: a city-level quarter with 20,000 accounts is ≈ 3 MB.
const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// Read and parse a quarter file. On failure the report holds at least one error.
pub fn load_file(path: &Path) -> Result<(Quarter, String), Report> {
    let mut report = Report::new(path);
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            report.push(Diagnostic::error(
                Pos::default(),
                "",
                format!("无法读取文件：{}", io_reason(&e)),
            ));
            return Err(report);
        }
    };
    match parse(&bytes) {
        Ok((q, text)) => Ok((q, text)),
        Err(found) => {
            report.items = found;
            Err(report)
        }
    }
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "文件不存在".into(),
        std::io::ErrorKind::PermissionDenied => "没有读取权限".into(),
        _ => e.to_string(),
    }
}

/// Parse bytes into the model; the text is returned for later position look-ups. On failure,
/// every problem found (at least one).
pub fn parse(bytes: &[u8]) -> Result<(Quarter, String), Vec<Diagnostic>> {
    parse_text(bytes).map_err(|d| vec![d]).and_then(|text| {
        let found = crate::textcheck::errors(text);
        if !found.is_empty() {
            return Err(found);
        }
        parse_yaml(text).map_err(|d| vec![d])
    })
}

/// The text of the file, or why it is none.
fn parse_text(bytes: &[u8]) -> Result<&str, Diagnostic> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            Pos::default(),
            "",
            format!(
                "文件过大（{} 字节），上限为 {} 字节",
                bytes.len(),
                MAX_FILE_BYTES
            ),
        ));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.strip_prefix('\u{feff}').unwrap_or(t),
        Err(e) => {
            let pos = pos_of_offset(bytes, e.valid_up_to());
            return Err(Diagnostic::error(
                pos,
                "",
                "文件不是有效的 UTF-8 文本（请用 UTF-8 编码保存，不要用 GBK 或 Excel 直接导出）",
            ));
        }
    };
    let blank = text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'));
    if blank {
        return Err(Diagnostic::error(
            Pos { line: 1, column: 1 },
            "",
            "文件为空：须包含 document、quarter 等字段（可用 tongbao init 生成示例）",
        ));
    }
    Ok(text)
}

fn parse_yaml(text: &str) -> Result<(Quarter, String), Diagnostic> {
    let mut budget = Budget::default();
    budget.max_depth = 64;
    budget.max_nodes = 4_000_000;
    budget.max_events = 8_000_000;
    budget.max_aliases = 1_000;
    let mut options = Options::default();
    options.budget = Some(budget);
    match serde_saphyr::from_str_with_options::<Quarter>(text, options) {
        Ok(q) => Ok((q, text.to_string())),
        Err(e) => Err(translate(&e, text)),
    }
}

/// Line and column (1-based, in characters) of a byte offset.
fn pos_of_offset(bytes: &[u8], offset: usize) -> Pos {
    let before = &bytes[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count() as u64
        + 1;
    Pos { line, column }
}

/// The mapping key written on a line, used to name the field of a type error.
fn key_on_line(text: &str, line: u64) -> String {
    let Some(l) = text.lines().nth(line.saturating_sub(1) as usize) else {
        return String::new();
    };
    let l = l
        .trim_start()
        .trim_start_matches("- ")
        .trim_start_matches('{');
    match l.split_once(':') {
        Some((k, _)) if !k.contains(' ') || k.starts_with('"') => k.trim_matches('"').to_string(),
        _ => String::new(),
    }
}

/// serde-saphyr's error → one Chinese diagnostic at its position.
fn translate(e: &YamlError, text: &str) -> Diagnostic {
    let e = match e {
        YamlError::WithSnippet { error, .. } => error.as_ref(),
        other => other,
    };
    let pos = e.location().map(|l| Pos::of(&l)).unwrap_or_default();
    let field = key_on_line(text, pos.line);
    let (field, message) = match e {
        YamlError::SerdeUnknownField {
            field, expected, ..
        } => {
            let hint = match did_you_mean(field, expected) {
                Some(s) => format!("，是否应为“{s}”？"),
                None => String::new(),
            };
            (
                field.clone(),
                format!(
                    "未知字段“{field}”{hint}（此处可用的字段：{}）",
                    expected.join("、")
                ),
            )
        }
        YamlError::SerdeMissingField { field, .. } => {
            (field.to_string(), format!("缺少必填字段“{field}”"))
        }
        YamlError::SerdeInvalidType {
            unexpected,
            expected,
            ..
        } => (
            field,
            format!(
                "类型不符：应为{}，实际为{}",
                expected_zh(expected),
                unexpected_zh(unexpected)
            ),
        ),
        YamlError::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => (
            field,
            format!("取值无效：{}，应为{}", unexpected, expected_zh(expected)),
        ),
        YamlError::SerdeUnknownVariant {
            variant, expected, ..
        } => {
            let hint = did_you_mean(variant, expected)
                .map(|s| format!("，是否应为“{s}”？"))
                .unwrap_or_default();
            (
                field,
                format!(
                    "取值无效：“{variant}”{hint}（可用：{}）",
                    expected.join("、")
                ),
            )
        }
        YamlError::DuplicateMappingKey { key, .. } => (
            key.clone().unwrap_or_default(),
            "同一层级中字段重复出现".to_string(),
        ),
        YamlError::Budget { .. } => (
            String::new(),
            "文件结构超出安全上限（嵌套过深、别名展开过多或节点过多），已拒绝解析".to_string(),
        ),
        YamlError::AliasReplayLimitExceeded { .. }
        | YamlError::AliasExpansionLimitExceeded { .. }
        | YamlError::AliasReplayStackDepthExceeded { .. }
        | YamlError::AliasReplayCounterOverflow { .. } => (
            String::new(),
            "别名（&/*）展开过多，疑为“别名炸弹”，已拒绝解析".to_string(),
        ),
        YamlError::UnknownAnchor { .. } => (String::new(), "引用了未定义的锚点（*别名）".into()),
        YamlError::Message { msg, .. } => (field, message_zh(msg)),
        YamlError::Eof { .. } => (String::new(), "文件意外结束".into()),
        YamlError::Unexpected { expected, .. } => (
            field,
            format!("结构不符：此处应为{}", expected_zh(expected)),
        ),
        YamlError::InvalidScalar { ty, .. } => {
            (field, format!("类型不符：应为{}", expected_zh(ty)))
        }
        _ => (
            field,
            message_zh(e.to_string().lines().next().unwrap_or("")),
        ),
    };
    Diagnostic::error(pos, field, message)
}

/// Our own deserializers already speak Chinese; the rest of serde's messages get a prefix.
fn message_zh(msg: &str) -> String {
    if msg.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
        msg.to_string()
    } else if msg.contains("did not match any variant") {
        "格式不符：应为一段文字，或含 lead（小标题）与 text（正文）的映射".to_string()
    } else if msg.contains("recursion limit") || msg.contains("depth") {
        "嵌套层级过深，已拒绝解析".to_string()
    } else {
        format!("YAML 语法或结构错误：{msg}")
    }
}

fn expected_zh(expected: &str) -> String {
    let e = expected.to_ascii_lowercase();
    if e.contains("struct") || e.contains("map") {
        "映射（键: 值）".into()
    } else if e.contains("sequence") {
        "列表（- 项）".into()
    } else if e.contains("u32") || e.contains("integer") {
        "整数".into()
    } else if e.contains("number") {
        "数值".into()
    } else if e.contains("bool") {
        "true 或 false".into()
    } else if e.contains("string") || e.contains("char") {
        "文字".into()
    } else {
        expected.to_string()
    }
}

fn unexpected_zh(unexpected: &str) -> String {
    let u = unexpected.to_ascii_lowercase();
    if u.starts_with("map") {
        "映射".into()
    } else if u.starts_with("sequence") {
        "列表".into()
    } else if u.starts_with("string") {
        unexpected.replacen("string", "文字", 1)
    } else {
        unexpected.to_string()
    }
}

/// The closest expected name by edit distance, if close enough to be a typo.
pub fn did_you_mean<'a>(got: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(got, c), *c))
        .filter(|(d, c)| *d <= c.chars().count().div_ceil(3))
        .min()
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> Diagnostic {
        match parse(text.as_bytes()) {
            Ok(_) => panic!("expected an error for {text:?}"),
            Err(mut d) => d.remove(0),
        }
    }

    const MINIMAL: &str = "document:\n  issuer: 某区人民政府办公室\n  date: 2021-07-07\nquarter:\n  year: 2021\n  number: 2\n";

    #[test]
    fn minimal_file_parses() {
        let (q, _) = parse(MINIMAL.as_bytes()).unwrap();
        assert_eq!(q.document.issuer, "某区人民政府办公室");
        assert_eq!(q.quarter.number.value, 2);
    }

    #[test]
    fn unknown_field_suggests_the_right_one() {
        let d = err(&MINIMAL.replace("  issuer:", "  isuer:"));
        assert_eq!(d.pos.line, 2);
        assert_eq!(d.field, "isuer");
        assert!(d.message.contains("是否应为“issuer”"), "{}", d.message);
    }

    #[test]
    fn missing_field_is_named() {
        let d = err("document:\n  issuer: X\nquarter:\n  year: 2021\n  number: 2\n");
        assert_eq!(d.field, "date");
        assert!(d.message.contains("缺少必填字段“date”"));
    }

    #[test]
    fn wrong_type_names_line_and_field() {
        let d = err(&MINIMAL.replace("year: 2021", "year: 二〇二一"));
        assert_eq!((d.pos.line, d.field.as_str()), (5, "year"));
        assert!(d.message.contains("整数"), "{}", d.message);
    }

    #[test]
    fn invalid_utf8_is_located() {
        let mut bytes = b"document:\n  issuer: ".to_vec();
        bytes.extend_from_slice(&[0xb4, 0xf3]); // GBK bytes
        let d = parse(&bytes).unwrap_err().remove(0);
        assert_eq!((d.pos.line, d.pos.column), (2, 11));
        assert!(d.message.contains("UTF-8"));
    }

    #[test]
    fn empty_and_wrong_top_level() {
        assert!(err("").message.contains("文件为空"));
        assert!(err("   \n# 只有注释\n").message.contains("文件为空"));
        let d = err("- a\n- b\n");
        assert!(d.message.contains("映射"), "{}", d.message);
    }

    #[test]
    fn syntax_error_is_located() {
        let d = err("document:\n  issuer: [未闭合\nquarter: {}\n");
        assert!(d.pos.line >= 2, "{d:?}");
    }

    #[test]
    fn alias_bomb_is_refused_fast() {
        let big = "长".repeat(10_000);
        let refs = vec!["*s"; 5_000].join(", ");
        let y = format!("document:\n  issuer: &s {big}\n  date: 2021-07-07\n  basis: [{refs}]\nquarter: {{year: 2021, number: 2}}\n");
        let t = std::time::Instant::now();
        let d = err(&y);
        assert!(t.elapsed().as_secs() < 1);
        assert!(
            d.message.contains("别名") || d.message.contains("安全上限"),
            "{}",
            d.message
        );
    }

    #[test]
    fn deep_nesting_is_refused() {
        let y = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let d = err(&y);
        assert!(
            d.message.contains("嵌套") || d.message.contains("安全上限"),
            "{}",
            d.message
        );
    }

    #[test]
    fn edit_distance_suggestions() {
        assert_eq!(
            did_you_mean("recipient", &["recipients", "issuer"]),
            Some("recipients")
        );
        assert_eq!(did_you_mean("zzz", &["recipients", "issuer"]), None);
    }
}
