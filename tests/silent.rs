//! The four ways of writing a table or a figure that used to give a wrong document while
//! `check` said nothing (issue 11): each is now either computed right or reported by
//! `tongbao check` with file:line:column, what is wrong and what to write.

mod common;

use std::path::PathBuf;
use std::process::Command;

const BASE: &str = r#"document: {issuer: 青石县人民政府办公室, date: 2024-07-01}
quarter: {year: 2024, number: 2}
inspections:
  - id: sites
    kind: 专属网页
    items:
      - {unit: 县发展改革局, name: 发改专页, category: 部门, tier: 维护较好}
      - {unit: 县教育局, name: 教育专页, category: 部门, result: 不合格}
      - {unit: 东岭镇, name: 东岭专页, category: 乡镇, problems: [栏目空白]}
      - {unit: 西岭镇, name: 西岭专页, category: 乡镇, tier: 维护较好}
      - {unit: 南岭镇, name: 南岭专页, category: 乡镇, tier: 维护较好}
      - {unit: 北岭镇, name: 北岭专页, category: 乡镇, tier: 维护较好}
sections:
  - heading: 总体情况
    paragraphs:
      - "共检查专属网页{{sites.count}}个，合格{{sites.passed}}个，合格率{{sites.pass_rate}}。"
"#;

/// `tongbao check` on BASE with `extra` appended (or `from` replaced by `to` first): its exit
/// code and the diagnostic lines (file:line:column: …), file name stripped.
fn check(edit: Option<(&str, &str)>, extra: &str) -> (i32, Vec<String>) {
    let mut yaml = BASE.to_string();
    if let Some((from, to)) = edit {
        assert_eq!(yaml.matches(from).count(), 1, "{from}");
        yaml = yaml.replace(from, to);
    }
    yaml.push_str(extra);
    check_text(&yaml)
}

/// `tongbao check` on a file holding `yaml`: as [`check`].
fn check_text(yaml: &str) -> (i32, Vec<String>) {
    let path: PathBuf = common::scratch_file("q.yaml", yaml);
    let out = Command::new(env!("CARGO_BIN_EXE_tongbao"))
        .arg("check")
        .arg(&path)
        .output()
        .unwrap();
    let prefix = format!("{}:", path.display());
    let text =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    let lines = text
        .lines()
        .filter_map(|l| l.strip_prefix(&prefix))
        .map(String::from)
        .collect();
    (out.status.code().unwrap_or(-1), lines)
}

#[test]
fn the_base_file_is_clean() {
    let (code, lines) = check(None, "");
    assert_eq!((code, lines.len()), (0, 0), "{lines:#?}");
}

/// 1. A literal cell is a template: a value that does not exist is an error at the cell.
#[test]
fn a_literal_cell_naming_a_missing_figure() {
    let (code, lines) = check(
        None,
        r#"attachments:
  - title: 汇总
    table:
      columns: [{header: 项目}, {header: 数量}]
      rows:
        - [专属网页, "{{sites.bands.0.count}}"]
"#,
    );
    assert_eq!(code, 1);
    assert_eq!(
        lines,
        ["22:19: 错误: attachments[0].table.rows[0][1]: 模板第 1 行第 1 列：引用了不存在的值“sites.bands.0.count”（可用的值见 templates/README.md）"]
    );
}

/// 2. `group_by` with columns that show nothing; items outside the wanted tier; a 序号.
#[test]
fn grouped_tables_that_used_to_print_blank_rows() {
    let (code, lines) = check(
        None,
        r#"attachments:
  - title: 按类别
    table:
      from: [sites]
      group_by: [category]
      columns:
        - {header: 序号}
        - {header: 单位}
"#,
    );
    assert_eq!(code, 1);
    assert_eq!(
        lines,
        [
            "23:20: 错误: attachments[0].table.columns[0]: 第 1 列“序号”没有内容：写 field（字段）、text（模板）或 list（名单）",
            "24:20: 错误: attachments[0].table.columns[1]: 第 2 列“单位”没有内容：写 field（字段）、text（模板）或 list（名单）",
        ]
    );
    let tiers = r#"attachments:
  - title: 维护较好
    table:
      from: [sites]
      group_by: [tier, category]
      columns:
        - {header: 序号, field: seq}
        - {header: 等次, field: tier}
        - {header: 类别, field: category}
        - {header: 单位, field: unit}
"#;
    let (code, lines) = check(None, tiers);
    assert_eq!(code, 0);
    assert_eq!(
        lines,
        ["21:18: 警告: attachments[0].table.group_by[0]: 教育专页、东岭专页 2 个检查对象的“tier”（等次）为空，自成一组，分组单元格为空。有意如此写 {field: tier, blank: keep}；不列入写 blank: drop；只列某些值用 where"]
    );
    // With the filter the table is what was meant, 序号 and all (rows checked in tests/tables.rs).
    let (code, lines) = check(
        None,
        &tiers.replace(
            "      group_by",
            "      where: {tier: 维护较好}\n      group_by",
        ),
    );
    assert_eq!((code, lines.len()), (0, 0), "{lines:#?}");
}

/// 3. `result:` on an unscored item is the input; anything but 合格/不合格 is an error.
#[test]
fn results_without_scores() {
    let (code, lines) = check(Some(("result: 不合格}", "result: 不及格}")), "");
    assert_eq!(code, 1);
    assert_eq!(
        lines,
        ["8:56: 错误: inspections[0].items[1].result: 检查结果“不及格”无效，是否应为“不合格”？（可用：合格、不合格）"]
    );
    // 不合格 counts: 教育 (result) and 东岭 (a problem) fail, 4 of 6 pass.
    let (code, lines) = check(Some(("合格率{{sites.pass_rate}}", "合格率66.7%")), "");
    assert_eq!(code, 0);
    assert_eq!(
        lines,
        ["16:54: 警告: sections[0].paragraphs[0]: “66.7%”像是计算结果却是手写的数字：请写作 {{sites.pass_rate}}（合格率），数据更正后它才会跟着变"]
    );
}

/// 4. A figure typed into the prose by hand.
#[test]
fn a_hand_typed_rate_over_data_that_computes_another() {
    let (code, lines) = check(Some(("合格率{{sites.pass_rate}}", "合格率100%")), "");
    assert_eq!(code, 1);
    assert_eq!(
        lines,
        ["16:54: 矛盾: sections[0].paragraphs[0]: 文中写合格率“100%”，按数据计算为 66.7%（{{sites.pass_rate}}）：请写作模板，不要手写数字"]
    );
    let (_, lines) = check(Some(("合格{{sites.passed}}个", "合格4个")), "");
    assert_eq!(
        lines,
        ["16:34: 警告: sections[0].paragraphs[0]: “4个”像是计算结果却是手写的数字：请写作 {{sites.passed}}（合格数），数据更正后它才会跟着变"]
    );
}

/// A group's points written twice with different values: the merged header would show
/// whichever came last. Now an error at the second value.
#[test]
fn a_group_max_said_twice_differently_is_an_error() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let example = std::fs::read_to_string(root.join("fixtures/example.yaml")).unwrap();
    let from = "- {name: 季度检查, group: 内容更新";
    assert_eq!(example.matches(from).count(), 1);
    let yaml = example.replace(from, &format!("{from}, group_max: 40"));
    let (code, lines) = check_text(&yaml);
    assert_eq!(code, 1, "{lines:?}");
    let line = 1 + yaml[..yaml.find("group_max: 40").unwrap()]
        .matches('\n')
        .count();
    let hit = lines
        .iter()
        .find(|l| l.contains("组“内容更新”的分值前面已写作 50，此处又写作 40"))
        .unwrap_or_else(|| panic!("{lines:?}"));
    assert!(hit.starts_with(&format!("{line}:")), "{hit}");
    assert!(hit.contains("group_max"), "{hit}");
    // The same value again is no contradiction.
    let same = example.replace(from, &format!("{from}, group_max: 50"));
    assert_eq!(check_text(&same).0, 0, "{:?}", check_text(&same).1);
}

/// Inputs only templates read, read by none: `basis:` under a file's own opening, `area:`
/// under its own title and opening, a `data:` entry no template names. Each was left out of
/// the circular with no word; now a 警告 at the input. Named, they are quiet.
#[test]
fn template_inputs_that_no_template_reads_are_warned_of() {
    let own = (
        "document: {issuer: 青石县人民政府办公室, date: 2024-07-01}",
        "document:\n  issuer: 青石县人民政府办公室\n  date: 2024-07-01\n  title: 关于专属网页检查情况的通报\n  area: 全县\n  basis: [《青石县政府网站管理办法》]\nopening: 现将检查情况通报如下：",
    );
    let data = "data:\n  问政: {受理: 12, 回复: 11}\n  信息公开: 35\n";
    let (code, lines) = check(Some(own), data);
    assert_eq!(code, 0, "{lines:?}");
    let at = |field: &str| {
        lines
            .iter()
            .find(|l| l.contains(&format!("警告: {field}: ")))
            .unwrap_or_else(|| panic!("no warning of {field}: {lines:?}"))
            .split(": ")
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(at("document.basis"), "6:10");
    assert_eq!(at("document.area"), "5:9");
    assert_eq!(at("data.问政"), "24:3");
    assert_eq!(at("data.信息公开"), "25:3");
    assert_eq!(lines.len(), 4, "{lines:?}");
    // Named by the opening, the same inputs are quiet.
    let named = own.1.replace(
        "opening: 现将检查情况通报如下：",
        "opening: \"根据{{#each document.basis}}{{this}}{{/each}}，{{document.area}}问政{{data.问政.受理}}件，信息公开{{data.信息公开}}条。现将检查情况通报如下：\"",
    );
    let (code, lines) = check(Some((own.0, &named)), data);
    assert_eq!((code, lines.len()), (0, 0), "{lines:?}");
}

/// A value in one pair of braces (`{sites.count}`, or full-width ones) was printed as typed,
/// with no word from `check`. Now a 警告 at the template saying how to write it.
#[test]
fn a_value_in_single_braces_is_not_printed_silently() {
    let (code, lines) = check(
        Some(("专属网页{{sites.count}}个", "专属网页{sites.count}个")),
        "",
    );
    assert_eq!(code, 0, "{lines:?}");
    assert_eq!(
        lines,
        ["16:10: 警告: sections[0].paragraphs[0]: 文字中的“{sites.count}”不是模板，会原样印出：取值要用两层半角花括号"]
    );
}
