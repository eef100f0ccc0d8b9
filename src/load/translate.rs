//! serde-saphyr's and the YAML parser's errors → Chinese diagnostics a clerk can act on: the
//! place (the value, or for a missing field the mapping that lacks it), the field path, what
//! was expected, and a 提示 with the likely cause (indentation, a tab, a full-width colon, an
//! unquoted #, a missing space after the colon) and the fix.
//!
//! Each translation also says how the loader may patch the text to look for the next error
//! ([`Fix`]), so that `check` lists every error it can reach.

use granit_parser::{ErrorKind, ScanError};
use serde_saphyr::Error as YamlError;

use super::slips;
use crate::diag::{Diagnostic, Pos};
use crate::yamltree::{self, Kind, Node, Step};

/// How the text may be patched to go on after an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Fix {
    /// Replace the value at the error with a harmless one of the expected type.
    Placeholder(String),
    /// Rename the unknown key at the error (a likely typo) to the expected name.
    RenameKey(String),
    /// Drop the key and its value at the error.
    DropEntry,
    /// Drop the list element the error is in.
    DropElement,
    /// Nothing sensible: stop looking.
    Stop,
}

impl Fix {
    /// Whether the text patched so at `field` still holds every figure, list and template the
    /// clerk wrote, so that its other problems can be checked: a misspelt key renamed, or a
    /// text of the document section (主送机关, 标题 …, which no figure reads) emptied or an
    /// unknown key there dropped. Anywhere else a dropped key or an emptied text may be a
    /// figure (`result:`, `tier:`, a key 扣分 holding the deductions).
    pub(super) fn keeps_figures(&self, field: &str) -> bool {
        let document_text = field.starts_with("document.") && !field.contains('[');
        match self {
            Fix::RenameKey(_) => true,
            Fix::DropEntry => document_text,
            Fix::Placeholder(p) => document_text && p == "\"\"",
            Fix::DropElement | Fix::Stop => false,
        }
    }
}

/// The field path and the nodes leading to a position.
struct Place<'a> {
    steps: Vec<Step>,
    nodes: Vec<&'a Node>,
}

impl<'a> Place<'a> {
    fn at(tree: Option<&'a Node>, text: &str, pos: Pos) -> Self {
        let Some(tree) = tree.filter(|_| pos.line > 0) else {
            return Place {
                steps: Vec::new(),
                nodes: Vec::new(),
            };
        };
        let offset = yamltree::offset_of(text, pos.line, pos.column);
        let chain = tree.chain_at(offset);
        let mut nodes: Vec<&Node> = chain.iter().map(|(_, n)| *n).collect();
        if let (Some(value), Some(last)) = (yamltree::value_of(&chain), nodes.last_mut()) {
            *last = value;
        }
        Place {
            steps: chain.iter().filter_map(|(s, _)| s.clone()).collect(),
            nodes,
        }
    }

    /// Where the value at the error is written (the error may be placed at its key).
    fn value_pos(&self, pos: Pos) -> Pos {
        match self.node() {
            Some(n) if n.as_str().is_some() => Pos::new(n.line, n.column),
            _ => pos,
        }
    }

    fn path(&self) -> String {
        yamltree::field_path(&self.steps)
    }

    /// The innermost node (the value at the error).
    fn node(&self) -> Option<&'a Node> {
        self.nodes.last().copied()
    }

    /// The innermost mapping, its path and the node its key is written at (the mapping itself
    /// when it is a list element or the whole file).
    fn mapping(&self) -> Option<(String, &'a Node, Pos)> {
        let i = self
            .nodes
            .iter()
            .rposition(|n| matches!(n.kind, Kind::Map(_)))?;
        let map = self.nodes[i];
        let path = yamltree::field_path(&self.steps[..i]);
        // The key naming this mapping is in the entry of its parent mapping (nodes[i] is
        // reached from nodes[i - 1] by steps[i - 1]).
        let key_pos = match i.checked_sub(1) {
            Some(p) => match &self.steps[p] {
                Step::Key(k) => self.nodes[p]
                    .entry(k)
                    .map(|e| Pos::new(e.key.line, e.key.column)),
                Step::Index(_) => None,
            },
            None => None,
        };
        Some((path, map, key_pos.unwrap_or(Pos::new(map.line, map.column))))
    }
}

/// serde-saphyr's error → a Chinese diagnostic and how to go on.
pub(super) fn translate(e: &YamlError, text: &str, tree: Option<&Node>) -> (Diagnostic, Fix) {
    let e = match e {
        YamlError::WithSnippet { error, .. } => error.as_ref(),
        other => other,
    };
    let pos = e.location().map(|l| Pos::of(&l)).unwrap_or_default();
    let place = Place::at(tree, text, pos);
    let value = place.node().and_then(Node::as_str).unwrap_or("");
    let placeholder = |expected: &str| match placeholder(expected) {
        Some(p) => Fix::Placeholder(p.into()),
        None => Fix::DropElement,
    };
    match e {
        YamlError::SerdeUnknownField {
            field, expected, ..
        } => {
            let base = place.mapping().map(|m| m.0).unwrap_or_default();
            let d = Diagnostic::error(
                pos,
                join(&base, field),
                format!(
                    "未知字段“{field}”（此处可用的字段：{}）",
                    expected.join("、")
                ),
            );
            match did_you_mean(field, expected) {
                Some(s) => (
                    d.with_hint(format!("是否应为“{s}”？把“{field}”改为“{s}”")),
                    Fix::RenameKey(s.to_string()),
                ),
                None => (
                    d.with_hint("检查字段名的拼写；不用的内容可在行首加 # 注释掉"),
                    Fix::DropEntry,
                ),
            }
        }
        YamlError::SerdeMissingField { field, .. } => {
            let (path, at, owner) = match place.mapping() {
                Some((path, _, at)) => {
                    let owner = if path.is_empty() {
                        "文件顶层".to_string()
                    } else {
                        format!("“{path}”")
                    };
                    (path, at, owner)
                }
                None => (String::new(), pos, "文件顶层".to_string()),
            };
            let in_list = place.steps.iter().any(|s| matches!(s, Step::Index(_)));
            let d = Diagnostic::error(
                at,
                join(&path, field),
                format!("{owner}缺少必填字段“{field}”"),
            )
            .with_hint(format!(
                "在{owner}下加上一行“{field}: {}”，与同层的字段左对齐",
                example(field)
            ));
            (d, if in_list { Fix::DropElement } else { Fix::Stop })
        }
        YamlError::SerdeInvalidType {
            unexpected,
            expected,
            ..
        } => {
            let d = Diagnostic::error(
                place.value_pos(pos),
                place.path(),
                format!(
                    "类型不符：应为{}，实际为{}",
                    expected_zh(expected),
                    unexpected_zh(unexpected)
                ),
            );
            (with_value_hint(d, value, expected), placeholder(expected))
        }
        YamlError::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => {
            let d = Diagnostic::error(
                place.value_pos(pos),
                place.path(),
                format!("取值无效：{}，应为{}", unexpected, expected_zh(expected)),
            );
            (with_value_hint(d, value, expected), placeholder(expected))
        }
        YamlError::SerdeUnknownVariant {
            variant, expected, ..
        } => {
            let mut d = Diagnostic::error(
                place.value_pos(pos),
                place.path(),
                format!("取值无效：“{variant}”（可用：{}）", expected.join("、")),
            );
            if let Some(s) = did_you_mean(variant, expected) {
                d = d.with_hint(format!("是否应为“{s}”？"));
            }
            let fix = expected
                .first()
                .map_or(Fix::Stop, |v| Fix::Placeholder(v.to_string()));
            (d, fix)
        }
        YamlError::DuplicateMappingKey { key, .. } => (
            Diagnostic::error(
                pos,
                join(
                    &place.mapping().map(|m| m.0).unwrap_or_default(),
                    key.as_deref().unwrap_or(""),
                ),
                "同一层级中字段重复出现",
            )
            .with_hint("删去重复的一处，或把两处的内容合并到一处"),
            Fix::DropEntry,
        ),
        YamlError::Budget { .. } => (
            Diagnostic::error(
                pos,
                "",
                "文件结构超出安全上限（嵌套过深、别名展开过多或节点过多），已拒绝解析",
            ),
            Fix::Stop,
        ),
        YamlError::AliasReplayLimitExceeded { .. }
        | YamlError::AliasExpansionLimitExceeded { .. }
        | YamlError::AliasReplayStackDepthExceeded { .. }
        | YamlError::AliasReplayCounterOverflow { .. } => (
            Diagnostic::error(pos, "", "别名（&/*）展开过多，疑为“别名炸弹”，已拒绝解析"),
            Fix::Stop,
        ),
        YamlError::UnknownAnchor { .. } => (
            Diagnostic::error(pos, place.path(), "引用了未定义的锚点（*别名）")
                .with_hint("* 开头的值引用前面用 & 定义的锚点；要写星号本身，请给整个值加引号"),
            Fix::Stop,
        ),
        YamlError::Eof { .. } => (Diagnostic::error(pos, "", "文件意外结束"), Fix::Stop),
        YamlError::Unexpected { expected, .. } => {
            let d = Diagnostic::error(
                pos,
                place.path(),
                format!("结构不符：此处应为{}", expected_zh(expected)),
            );
            let d = match shape_hint(expected) {
                Some(h) => d.with_hint(h),
                None => d,
            };
            (d, placeholder(expected))
        }
        YamlError::InvalidScalar { ty, .. } => {
            let d = Diagnostic::error(
                place.value_pos(pos),
                place.path(),
                format!("类型不符：应为{}，实际为“{value}”", expected_zh(ty)),
            );
            (with_value_hint(d, value, ty), placeholder(ty))
        }
        YamlError::Message { msg, .. } => {
            let d = Diagnostic::error(place.value_pos(pos), place.path(), message_zh(msg));
            let d = match message_hint(msg) {
                Some(h) => d.with_hint(h),
                None => d,
            };
            // Our own deserializers (numbers, 不考核) speak Chinese and want a number.
            let fix = if place.node().is_some_and(|n| n.as_str().is_some()) {
                Fix::Placeholder("0".into())
            } else {
                Fix::DropElement
            };
            (d, fix)
        }
        _ => (
            Diagnostic::error(
                pos,
                place.path(),
                message_zh(e.to_string().lines().next().unwrap_or("")),
            ),
            Fix::Stop,
        ),
    }
}

/// The parser refused the text for its size or shape (budget, alias expansion).
pub(super) fn is_refusal(e: &YamlError) -> bool {
    let e = match e {
        YamlError::WithSnippet { error, .. } => error.as_ref(),
        other => other,
    };
    matches!(
        e,
        YamlError::Budget { .. }
            | YamlError::AliasReplayLimitExceeded { .. }
            | YamlError::AliasExpansionLimitExceeded { .. }
            | YamlError::AliasReplayStackDepthExceeded { .. }
            | YamlError::AliasReplayCounterOverflow { .. }
    ) || matches!(e, YamlError::Message { msg, .. } if msg.contains("recursion limit") || msg.contains("depth"))
}

fn join(base: &str, field: &str) -> String {
    match (base.is_empty(), field.is_empty()) {
        (true, _) => field.to_string(),
        (false, true) => base.to_string(),
        (false, false) => format!("{base}.{field}"),
    }
}

/// A harmless value of the expected type, to read on after an error.
fn placeholder(expected: &str) -> Option<&'static str> {
    let e = expected.to_ascii_lowercase();
    if e.contains("sequence") || e.contains("seq") {
        Some("[]")
    } else if e.contains("struct") || e.contains("map") {
        Some("{}")
    } else if e.contains("bool") {
        Some("false")
    } else if e.contains("int")
        || e.contains("u32")
        || e.contains("u64")
        || e.contains("number")
        || e.contains("float")
    {
        Some("0")
    } else if e.contains("string") || e.contains("char") {
        Some("\"\"")
    } else {
        None
    }
}

/// A hint from the value itself: a value that ran on into the next line (an indentation slip),
/// Chinese numerals where digits are wanted, 是/否 where true/false is.
fn with_value_hint(d: Diagnostic, value: &str, expected: &str) -> Diagnostic {
    let e = expected.to_ascii_lowercase();
    let number = e.contains("int") || e.contains("u32") || e.contains("number");
    if let Some((_, rest)) = value.split_once(' ').filter(|(_, r)| r.contains(": ")) {
        let key = rest.split(':').next().unwrap_or("");
        return d.with_hint(format!(
            "下一行的“{key}”缩进比这一行多，被读成了这个值的一部分：同一层级的字段须左对齐"
        ));
    }
    if number
        && value
            .chars()
            .any(|c| "〇一二三四五六七八九十百千".contains(c))
    {
        return d.with_hint("请用阿拉伯数字书写，如 2024、2");
    }
    if e.contains("bool") {
        return d.with_hint("写 true 或 false（也可写 是/否、有/无）");
    }
    d
}

/// An example value for a required field, for the hint of a missing one.
fn example(field: &str) -> &'static str {
    match field {
        "date" | "print_date" | "from" | "to" => "2024-07-05",
        "issuer" => "某某区人民政府办公室",
        "year" => "2024",
        "number" => "2",
        "unit" => "某某单位",
        "id" => "sites",
        "kind" => "政府网站",
        "expr" => "100-季度检查",
        "name" => "名称",
        "header" => "表头文字",
        "heading" => "总体情况",
        "title" => "标题",
        "label" => "标签",
        "count" => "1",
        "document" => "（发文机关、成文日期等，见 tongbao init 的示例）",
        "quarter" => "（year 和 number，见 tongbao init 的示例）",
        _ => "…",
    }
}

/// The fix for a message of the model's own deserializers.
pub(crate) fn message_hint(msg: &str) -> Option<&'static str> {
    if msg.contains("不考核") {
        Some("扣分写阿拉伯数字（如 10、0.5），不考核的指标写“不考核”")
    } else if msg.contains("超出范围") || msg.contains("过大") {
        Some("数值过大：检查是否多打了数字，或误写成了 1e40 这样的科学计数法")
    } else if msg.contains("须为数值") {
        Some("写阿拉伯数字，如 100、88.5")
    } else if msg.contains("true 或 false") {
        Some("写 是 或 否（也可写 true/false、有/无）")
    } else {
        None
    }
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
        "YAML 结构错误：此处的内容无法读取".to_string()
    }
}

pub(crate) fn expected_zh(expected: &str) -> String {
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

/// How to write the shape a field wants, for a value of another shape.
fn shape_hint(expected: &str) -> Option<&'static str> {
    let e = expected.to_ascii_lowercase();
    if e.contains("sequence") {
        Some("写成方括号列表，如 [区委办公室, 区政协办公室]，或每项一行、以“- ”开头；一段文字里用“、”隔开的几项要拆成几项")
    } else if e.contains("string") || e.contains("char") {
        Some("写成一段文字，如 甲镇、乙镇；方括号 [ ] 在 YAML 中表示列表，要写方括号本身请给整个值加引号")
    } else if e.contains("struct") || e.contains("map") {
        Some("写成“键: 值”的映射，下一层比本层多缩进两格")
    } else {
        None
    }
}

fn unexpected_zh(unexpected: &str) -> String {
    let u = unexpected.to_ascii_lowercase();
    if u.starts_with("map") {
        "映射".into()
    } else if u.starts_with("sequence") {
        "列表".into()
    } else if let Some(s) = unexpected.strip_prefix("string ") {
        format!("文字“{}”", s.trim_matches('"'))
    } else {
        unexpected.to_string()
    }
}

/// A key written twice in one mapping.
pub(super) fn duplicate(d: &yamltree::Duplicate) -> Diagnostic {
    Diagnostic::error(
        Pos::new(d.again.line, d.again.column),
        d.path.clone(),
        format!(
            "字段“{}”在第 {} 行已经出现过，同一层级中不能重复",
            d.again.as_str().unwrap_or(""),
            d.first.line
        ),
    )
    .with_hint("删去重复的一处，或把两处的内容合并到一处（后一处不会覆盖前一处）")
}

/// A syntax error from the parser → the likely cause, placed where the clerk must edit.
pub(super) fn syntax(e: &ScanError, text: &str) -> Diagnostic {
    let line = e.marker().line() as u64;
    let column = e.marker().col() as u64 + 1;
    let lines: Vec<&str> = text.lines().collect();
    let nearby = |n: u64| lines.get(n.checked_sub(1)? as usize).copied();
    // The error line and the two content lines above it: a slip shows up a line late.
    let mut window: Vec<(u64, &str)> = Vec::new();
    let mut n = line;
    while n >= 1 && window.len() < 3 {
        if let Some(l) = nearby(n) {
            if !l.trim().is_empty() && (n == line || !l.trim_start().starts_with('#')) {
                window.push((n, l));
            }
        }
        n -= 1;
    }
    let kind = e.kind();

    // The slip the parser stumbled on: a Tab first, then a full-width colon, then a missing
    // space, on the error line or a line above it.
    let detectors: [slips::Detector; 3] = [
        slips::tab,
        |n, l| slips::full_width_colon(n, l, true),
        slips::missing_space,
    ];
    for detect in detectors {
        if let Some(d) = window.iter().find_map(|&(n, l)| detect(n, l)) {
            return d;
        }
    }
    if let Some(d) = unclosed_bracket(&window) {
        return d;
    }
    if matches!(
        kind,
        ErrorKind::UnclosedQuotedScalar
            | ErrorKind::InvalidQuotedScalarIndent
            | ErrorKind::InvalidFlowScalarIndent
    ) {
        // The quote opened on a line above, whose value runs on into the next lines.
        if let Some((n, col)) = window
            .iter()
            .skip(1)
            .find_map(|&(n, l)| Some((n, unclosed_quote(l)?)))
        {
            return Diagnostic::error(Pos::new(n, col), "", "这一行的引号没有闭合")
                .with_hint("在值的末尾补上配对的引号；值里不需要引号的话，去掉开头的引号");
        }
    }
    if let Some(d) = comment_inside_text(&lines, line) {
        return d;
    }
    if let Some(d) = indentation(&lines, line, kind) {
        return d;
    }
    let (message, hint): (String, &str) = match kind {
        ErrorKind::UnclosedFlowCollection { open } => (
            format!("“{open}”没有配对的“{}”", closing(*open)),
            "检查这一行的括号是否成对；文字里有逗号、冒号或括号时，给整个值加引号",
        ),
        ErrorKind::MismatchedFlowCollectionEnd { open, close } => (
            format!("“{open}”与“{close}”不配对"),
            "{ } 包映射，[ ] 包列表，须成对出现",
        ),
        ErrorKind::MisplacedFlowCollectionEnd => (
            "多出一个右括号".into(),
            "删去多余的 } 或 ]；文字里要用括号时，给整个值加引号",
        ),
        ErrorKind::ExpectedFlowMappingSeparator | ErrorKind::ExpectedFlowSequenceSeparator => (
            "花括号或方括号里的各项之间缺少逗号，或者一项文字里有未加引号的冒号".into(),
            "各项用半角逗号分隔；含冒号、逗号的文字请加引号",
        ),
        ErrorKind::InvalidQuotedScalarIndent | ErrorKind::InvalidFlowScalarIndent => (
            "引号里的文字换行后缩进不够，或者引号没有闭合".into(),
            "引号须成对；引号里的文字换行时，续行要比字段名多缩进",
        ),
        ErrorKind::UnclosedQuotedScalar
        | ErrorKind::UnexpectedEofFlowMapping
        | ErrorKind::UnexpectedEofFlowSequence => (
            "引号或括号没有闭合，直到文件末尾".into(),
            "找到这一处开始的引号或括号，补上配对的另一半",
        ),
        ErrorKind::InvalidTrailingSingleQuotedScalar
        | ErrorKind::InvalidTrailingDoubleQuotedScalar => (
            "引号结束后还有文字".into(),
            "引号要包住整个值；文字里要用单引号时写两个（''），或改用双引号",
        ),
        ErrorKind::UnexpectedCharacter { character } => {
            (format!("值不能以“{character}”开头"), "给整个值加引号")
        }
        ErrorKind::CommentInterceptedScalar | ErrorKind::CommentNotSeparated => (
            "# 之后被当作注释，截断了这里的文字".into(),
            "文字里要用 # 时，给整个值加引号",
        ),
        ErrorKind::RecursionLimitExceeded | ErrorKind::Custom(_) => (
            "嵌套层级过深，已拒绝解析".into(),
            "季度描述文件用不到这么多层括号或缩进：检查是否误粘贴了别的内容",
        ),
        ErrorKind::TabNotAllowed | ErrorKind::TabInIndentation | ErrorKind::TabInPlainScalar => {
            ("这里有 Tab 字符，YAML 不允许".into(), "把 Tab 换成空格")
        }
        ErrorKind::BlockSequenceEntryNotAllowed => (
            "这里不能开始一个列表（- 项）".into(),
            "列表项须另起一行，并比上一层的字段多缩进",
        ),
        ErrorKind::MappingValueNotAllowed | ErrorKind::InvalidColonPlacement => (
            "这一行多了一个冒号，或者缩进与上一行不一致".into(),
            "值里有“: ”时给整个值加引号；同一层级的字段须左对齐",
        ),
        ErrorKind::ExpectedBlockMappingKey | ErrorKind::ExpectedBlockSequenceEntry => (
            "这一行与上面的内容对不齐：缩进不一致".into(),
            "同一层级的字段须左对齐（用空格，不用 Tab）",
        ),
        _ => (
            "YAML 写法有误，无法解析".into(),
            "常见原因：缩进不齐、用了 Tab、全角冒号“：”、冒号后缺空格、文字里的 # 未加引号",
        ),
    };
    Diagnostic::error(Pos::new(line, column), "", message).with_hint(hint)
}

fn closing(open: char) -> char {
    match open {
        '{' => '}',
        '[' => ']',
        c => c,
    }
}

/// A line that opens a quoted value and does not close it (outside comments): the column of
/// the opening quote.
fn unclosed_quote(line: &str) -> Option<u64> {
    let body = line.trim_start();
    let body = body.strip_prefix("- ").unwrap_or(body);
    let value_at = if body.starts_with(['"', '\'']) {
        line.len() - body.len()
    } else {
        let colon = body.find(": ")?;
        let rest = &body[colon + 2..];
        let value = rest.trim_start();
        line.len() - value.len()
    };
    let q = line[value_at..]
        .chars()
        .next()
        .filter(|c| *c == '"' || *c == '\'')?;
    let mut escaped = false;
    for c in line[value_at + 1..].chars() {
        match c {
            '\\' if q == '"' && !escaped => escaped = true,
            c if c == q && !escaped => return None,
            _ => escaped = false,
        }
    }
    Some(line[..value_at].chars().count() as u64 + 1)
}

/// A line above the error that opens more brackets than it closes (outside quotes).
fn unclosed_bracket(window: &[(u64, &str)]) -> Option<Diagnostic> {
    for &(n, l) in window.iter().skip(1) {
        let mut depth: Vec<(char, usize)> = Vec::new();
        let mut quote = None;
        for (i, c) in l.chars().enumerate() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '#') if i > 0 && l.chars().nth(i - 1) == Some(' ') => break,
                (None, '[' | '{') => depth.push((c, i)),
                (None, ']' | '}') => {
                    depth.pop();
                }
                _ => {}
            }
        }
        if let Some(&(open, col)) = depth.first() {
            return Some(
                Diagnostic::error(
                    Pos::new(n, col as u64 + 1),
                    "",
                    format!("“{open}”没有配对的“{}”", closing(open)),
                )
                .with_hint(
                    "在这一行末尾补上配对的括号；一个映射或列表写在一行里时，括号须在同一行内闭合",
                ),
            );
        }
    }
    None
}

/// A comment line inside multi-line text (a folded paragraph): the text stops there and what
/// follows no longer fits the structure.
fn comment_inside_text(lines: &[&str], line: u64) -> Option<Diagnostic> {
    let at = (line as usize).checked_sub(1)?;
    let indent_of = |l: &str| l.len() - l.trim_start().len();
    let error_indent = indent_of(lines.get(at)?);
    // Only the comments right above the error line: one further up (with a line of the
    // structure between) is no part of the text, and an indentation slip below it is the cause.
    for back in 1..=3 {
        let Some(i) = at.checked_sub(back) else { break };
        let l = lines[i];
        if l.trim().is_empty() {
            continue;
        }
        if !l.trim_start().starts_with('#') {
            break;
        }
        if indent_of(l) >= error_indent && indent_of(l) > 0 {
            return Some(
                Diagnostic::error(
                    Pos::new(i as u64 + 1, indent_of(l) as u64 + 1),
                    "",
                    "以 # 开头的一行被当作注释，截断了上面的多行文字",
                )
                .with_hint("文字里要用 # 时，给整段文字加引号；真是注释的话，删去这一行或移到段外"),
            );
        }
    }
    None
}

/// A line indented differently from the line it should align with.
fn indentation(lines: &[&str], line: u64, kind: &ErrorKind) -> Option<Diagnostic> {
    if !matches!(
        kind,
        ErrorKind::MappingValueNotAllowed
            | ErrorKind::ExpectedBlockMappingKey
            | ErrorKind::ExpectedBlockSequenceEntry
            | ErrorKind::InvalidColonPlacement
            | ErrorKind::BlockSequenceEntryNotAllowed
    ) {
        return None;
    }
    let at = (line as usize).checked_sub(1)?;
    let indent_of = |l: &str| l.len() - l.trim_start().len();
    let here = lines.get(at)?;
    let mine = indent_of(here);
    let previous = lines[..at]
        .iter()
        .rposition(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))?;
    let prev = lines[previous];
    let theirs = indent_of(prev);
    let key = here.trim_start().split(':').next().unwrap_or("").trim();
    let key_line = here.trim_start().contains(": ") || here.trim_end().ends_with(':');
    if !key_line || mine == theirs {
        return None;
    }
    let prev_opens = prev.trim_end().ends_with(':');
    if mine > theirs && !prev_opens {
        return Some(
            Diagnostic::error(
                Pos::new(line, mine as u64 + 1),
                key,
                format!(
                    "“{key}”比上一行多缩进了 {} 格，被读成了上一行的值的一部分",
                    mine - theirs
                ),
            )
            .with_hint(format!(
                "同一层级的字段须左对齐：把这一行的缩进改为 {theirs} 个空格"
            )),
        );
    }
    // Dedented (or indented under a key that opens a block) to a column no sibling has.
    let siblings: Vec<usize> = lines[..at]
        .iter()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|l| indent_of(l))
        .collect();
    if !siblings.contains(&mine) || mine < theirs {
        let target = siblings
            .iter()
            .copied()
            .filter(|&s| s <= theirs)
            .min_by_key(|&s| (s.abs_diff(mine), std::cmp::Reverse(s)))
            .unwrap_or(0);
        return Some(
            Diagnostic::error(
                Pos::new(line, mine as u64 + 1),
                key,
                format!("“{key}”的缩进（{mine} 格）与上面各层都对不齐"),
            )
            .with_hint(format!(
                "同一层级的字段须左对齐：这一行大概应缩进 {target} 个空格，与上面同层的字段对齐"
            )),
        );
    }
    None
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
