//! Messages a clerk can act on (issue 14, item 4): each slip a clerk makes in the quarter file
//! is reported by `check` at its file:line:column, with the source line, a caret under the
//! column and a Chinese 提示 saying how to fix it; YAML's own syntax errors in Chinese, and
//! every error of the file at once.

mod common;

use common::{root, scratch, stderr, tongbao};

/// One slip: example.yaml with `from` replaced by `to`.
struct Slip {
    name: &'static str,
    from: &'static str,
    to: &'static str,
    /// The line reported: the first that starts with this.
    line: &'static str,
    /// `q.yaml:LINE:COLUMN: 错误` (or 警告).
    at: (u64, &'static str),
    message: &'static str,
    hint: &'static str,
}

const SLIPS: &[Slip] = &[
    Slip {
        name: "tab",
        from: "  year: 2024",
        to: "\tyear: 2024",
        line: "\tyear: 2024",
        at: (1, "错误"),
        message: "缩进里有 Tab 字符",
        hint: "把 Tab 换成空格",
    },
    Slip {
        name: "full-width colon",
        from: "  year: 2024",
        to: "  year：2024",
        line: "  year：2024",
        at: (7, "错误"),
        message: "冒号是全角的“：”",
        hint: "改为半角冒号并在后面加一个空格：year: 2024",
    },
    Slip {
        name: "unquoted #",
        from: "  recipients: 各镇人民政府、街道办事处，区政府各部门，有关单位   # 主送机关，不写末尾冒号",
        to: "  recipients: 各镇人民政府 #1、街道办事处",
        line: "  recipients: 各镇人民政府 #1",
        at: (22, "警告"),
        message: "“#1、街道办事处”被当作注释忽略，取值只到“各镇人民政府”为止",
        hint: "请给整个值加引号：\"各镇人民政府 #1、街道办事处\"",
    },
    Slip {
        name: "no space after the colon",
        from: "  year: 2024",
        to: "  year:2024",
        line: "  year:2024",
        at: (7, "错误"),
        message: "冒号后面缺少空格",
        hint: "在冒号后加一个空格：year: 2024",
    },
    Slip {
        name: "one space too many",
        from: "  number: 2 ",
        to: "   number: 2 ",
        line: "   number: 2",
        at: (4, "错误"),
        message: "“number”比上一行多缩进了 1 格",
        hint: "把这一行的缩进改为 2 个空格",
    },
    // One space too few, below a line with a comment: the slip is the cause, not the comment
    // (this was reported as “以 # 开头的一行被当作注释” at the comment above).
    Slip {
        name: "one space too few",
        from: "  date: 2024-07-05",
        to: " date: 2024-07-05",
        line: " date: 2024-07-05",
        at: (2, "错误"),
        message: "“date”的缩进（1 格）与上面各层都对不齐",
        hint: "这一行大概应缩进 2 个空格",
    },
    Slip {
        name: "one space too few under comment lines",
        from: "  to: 2024-06-30",
        to: " to: 2024-06-30",
        line: " to: 2024-06-30",
        at: (2, "错误"),
        message: "“to”的缩进（1 格）与上面各层都对不齐",
        hint: "这一行大概应缩进 2 个空格",
    },
    Slip {
        name: "a missing field, at its parent",
        from: "  date: 2024-07-05                      # 成文日期\n",
        to: "",
        line: "document:",
        at: (1, "错误"),
        message: "“document”缺少必填字段“date”",
        hint: "在“document”下加上一行“date: 2024-07-05”",
    },
    Slip {
        name: "unclosed bracket",
        from: "  issuer: 某某区人民政府办公室",
        to: "  issuer: [某某区人民政府办公室",
        line: "  issuer: [",
        at: (11, "错误"),
        message: "“[”没有配对的“]”",
        hint: "补上配对的括号",
    },
    Slip {
        name: "unclosed quote",
        from: "  issuer: 某某区人民政府办公室",
        to: "  issuer: \"某某区人民政府办公室",
        line: "  issuer: \"",
        at: (11, "错误"),
        message: "引号没有闭合",
        hint: "补上配对的引号",
    },
    Slip {
        name: "a comment inside folded text",
        from: "      - 一是个别专栏更新不及时。二是部分单位政策解读数量较少。存在问题的单位有：",
        to: "      - 一是个别专栏更新不及时。\n        # 二是部分单位政策解读数量较少。\n        存在问题的单位有：",
        line: "        # 二是",
        at: (9, "错误"),
        message: "以 # 开头的一行被当作注释，截断了上面的多行文字",
        hint: "给整段文字加引号",
    },
    Slip {
        name: "a second colon in a value",
        from: "  note: 此件主动公开",
        to: "  note: 此件: 主动公开",
        line: "  note: 此件:",
        at: (11, "错误"),
        message: "这一行多了一个冒号",
        hint: "值里有“: ”时给整个值加引号",
    },
];

/// Words of the YAML parser's English messages that must not reach a clerk.
const ENGLISH: &[&str] = &[
    "while", "found", "expected", "mapping", "scalar", "comment", "tabs", "context", "invalid",
];

/// The width of text as a terminal shows it: CJK and full-width characters take two columns.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) < 0x1100 { 1 } else { 2 })
        .sum()
}

/// `text` shows the message at (line, column) with its source line, a caret under the column
/// and a 提示; returns the block of that message.
fn assert_located(
    text: &str,
    file: &str,
    (line, column, severity): (u64, u64, &str),
    source: &str,
    what: &str,
) {
    let head = format!("{file}:{line}:{column}: {severity}: ");
    let start = text
        .find(&head)
        .unwrap_or_else(|| panic!("{what}: no {head:?} in\n{text}"));
    let block: Vec<&str> = text[start..].lines().take(7).collect();
    let gutter = format!("{line} | ");
    let src = block
        .iter()
        .find(|l| l.trim_start().starts_with(&gutter))
        .unwrap_or_else(|| panic!("{what}: no source line {gutter:?} in\n{}", block.join("\n")));
    let shown = &src[src.find(&gutter).unwrap() + gutter.len()..];
    let caret = block
        .iter()
        .find(|l| l.contains('^') && l.trim_start().starts_with('|'))
        .unwrap_or_else(|| panic!("{what}: no caret in\n{}", block.join("\n")));
    // The caret stands under the column: as wide as the line's text before it.
    if !shown.contains("...") {
        let before: String = source.chars().take(column as usize - 1).collect();
        let bar = caret.find('|').unwrap() + 2;
        let at = width(&caret[..caret.find('^').unwrap()]) - bar;
        assert_eq!(
            at,
            width(&before.replace('\t', "    ")),
            "{what}: caret column in\n{}",
            block.join("\n")
        );
    }
    assert!(
        block.iter().any(|l| l.trim_start().starts_with("= 提示：")),
        "{what}: no 提示 in\n{}",
        block.join("\n")
    );
}

/// The 1-based number and text of the first line starting with `start`.
fn line_starting<'a>(text: &'a str, start: &str) -> (u64, &'a str) {
    text.lines()
        .enumerate()
        .find(|(_, l)| l.starts_with(start))
        .map(|(i, l)| (i as u64 + 1, l))
        .unwrap_or_else(|| panic!("no line starts with {start:?}"))
}

#[test]
fn each_slip_shows_its_line_a_caret_and_a_hint() {
    let dir = scratch("slips");
    let example = std::fs::read_to_string(root().join("fixtures/example.yaml")).unwrap();
    for slip in SLIPS {
        assert!(
            example.contains(slip.from),
            "{}: {:?} not in example.yaml",
            slip.name,
            slip.from
        );
        let text = example.replacen(slip.from, slip.to, 1);
        let file = dir.join("q.yaml");
        std::fs::write(&file, &text).unwrap();
        let o = tongbao(&["check", file.to_str().unwrap()]);
        let err = stderr(&o);
        let expected_code = if slip.at.1 == "错误" { 1 } else { 0 };
        assert_eq!(o.status.code(), Some(expected_code), "{}: {err}", slip.name);
        let (n, source) = line_starting(&text, slip.line);
        assert_located(&err, "q.yaml", (n, slip.at.0, slip.at.1), source, slip.name);
        assert!(
            err.contains(slip.message),
            "{}: {:?} not in\n{err}",
            slip.name,
            slip.message
        );
        assert!(
            err.contains(slip.hint),
            "{}: {:?} not in\n{err}",
            slip.name,
            slip.hint
        );
        let words: Vec<&&str> = ENGLISH.iter().filter(|w| err.contains(**w)).collect();
        assert!(
            words.is_empty(),
            "{}: English {words:?} in\n{err}",
            slip.name
        );
        assert!(
            !err.contains("\u{1b}["),
            "{}: no colour when piped",
            slip.name
        );
    }
}

/// Two type errors: both are reported, each at its place with its hint.
#[test]
fn two_type_errors_are_both_reported() {
    let dir = scratch("two-types");
    let text = std::fs::read_to_string(root().join("fixtures/example.yaml"))
        .unwrap()
        .replacen("  year: 2024", "  year: 二〇二四", 1)
        .replacen("  number: 2 ", "  number: 二 ", 1);
    let file = dir.join("q.yaml");
    std::fs::write(&file, &text).unwrap();
    let o = tongbao(&["check", file.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let (n, year) = line_starting(&text, "  year: 二〇二四");
    assert_located(&err, "q.yaml", (n, 9, "错误"), year, "year");
    let (n, number) = line_starting(&text, "  number: 二 ");
    assert_located(&err, "q.yaml", (n, 11, "错误"), number, "number");
    assert!(err.contains("应为整数，实际为文字“二〇二四”"), "{err}");
    assert!(err.contains("提示：请用阿拉伯数字书写"), "{err}");
    assert!(err.contains("q.yaml：2 个错误"), "{err}");
}

/// Errors without a source line still say what to do, in Chinese: a folder given as the file
/// (was "Is a directory (os error 21)"), a missing file, and clap's usage errors.
#[test]
fn file_and_usage_errors_carry_a_chinese_hint() {
    let dir = scratch("no-file");
    let folder = dir.to_str().unwrap();
    for args in [
        vec!["check", folder],
        vec!["render", folder, "--format", "txt"],
    ] {
        let o = tongbao(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains("这是一个文件夹，不是文件"), "{args:?}: {err}");
        assert!(
            err.contains("提示：请给出文件夹里的季度描述文件"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("os error"), "{args:?}: {err}");
    }
    let missing = dir.join("没有这个文件.yaml");
    let o = tongbao(&["check", missing.to_str().unwrap()]);
    let err = stderr(&o);
    assert!(
        err.contains("文件不存在") && err.contains("提示：检查文件名和路径"),
        "{err}"
    );
    for (args, hint) in [
        (
            vec!["render", "q.yaml", "--frmat", "pdf"],
            "提示：是否应为 --format？",
        ),
        (vec!["rendr"], "提示：是否应为 render？"),
    ] {
        let o = tongbao(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(err.contains(hint), "{args:?}: {err}");
    }
}

/// Every missing value of a template is named at its own column, not only the first at the
/// start of the paragraph; a missing value inside a loop over items is named once.
#[test]
fn every_missing_value_of_a_template_is_named_at_its_column() {
    let dir = scratch("template-values");
    let para =
        "      - 三是{{sites.pass_rat}}，{{site.count}}；{{#each media.items}}{{nme}}{{/each}}。";
    let text = std::fs::read_to_string(root().join("fixtures/example.yaml"))
        .unwrap()
        .replacen("      - 一是", &format!("{para}\n      - 一是"), 1);
    let file = dir.join("q.yaml");
    std::fs::write(&file, &text).unwrap();
    let o = tongbao(&["check", file.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    let (n, _) = line_starting(&text, "      - 三是");
    let column = |needle: &str| para[..para.find(needle).unwrap()].chars().count() as u64 + 1;
    for (value, hint) in [
        ("sites.pass_rat", "是否应为“sites.pass_rate”"),
        ("site.count", "是否应为“sites.count”"),
        ("nme", "不存在的值“nme”"),
    ] {
        let at = format!("q.yaml:{n}:{}: 错误: ", column(&format!("{{{{{value}")));
        let line = err
            .lines()
            .find(|l| l.contains(&at))
            .unwrap_or_else(|| panic!("{value}: no {at:?} in\n{err}"));
        assert!(line.contains(hint), "{line}");
    }
    assert_eq!(err.matches("“nme”").count(), 1, "{err}");
    assert!(err.contains("q.yaml：3 个错误"), "{err}");
}

#[test]
fn a_misspelt_helper_is_named_in_chinese_with_the_nearest_one() {
    let dir = scratch("diag-helper");
    let q = dir.join("q.yaml");
    let text = std::fs::read_to_string(root().join("fixtures/example.yaml")).unwrap();
    let from = "{{join (where (concat sites.items";
    assert_eq!(text.matches(from).count(), 1);
    std::fs::write(&q, text.replace(from, "{{join (wehre (concat sites.items")).unwrap();
    let o = tongbao(&["check", q.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("没有名为“wehre”的 helper，是否应为“where”？"),
        "{err}"
    );
    assert!(!err.contains("Helper not found"), "{err}");
}

#[test]
fn a_grade_written_as_the_result_is_shown_where_it_goes() {
    let dir = scratch("diag-grade");
    let q = dir.join("q.yaml");
    let text = std::fs::read_to_string(root().join("fixtures/passfail-counted.yaml")).unwrap();
    let from = "name: 青禾水务网, level: 区直部门, result: 合格";
    assert_eq!(text.matches(from).count(), 1);
    let grade = text.replace(from, "name: 青禾水务网, level: 区直部门, result: 基本合格");
    std::fs::write(&q, &grade).unwrap();
    let o = tongbao(&["check", q.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("检查结果“基本合格”无效（可用：合格、不合格）"),
        "{err}"
    );
    assert!(err.contains("如 {result: 合格, tier: 基本合格}"), "{err}");
    // Written as the hint says, the file is clean of errors.
    let as_told = text.replace(
        from,
        "name: 青禾水务网, level: 区直部门, result: 合格, tier: 基本合格",
    );
    std::fs::write(&q, as_told).unwrap();
    let o = tongbao(&["check", q.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}
