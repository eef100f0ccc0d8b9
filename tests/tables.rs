//! Tables as views over the items: every option on a small made-up quarter (青石县), checked
//! cell by cell, and every way of writing a table that used to print a wrong table silently.

mod common;

use tongbao::diag::{Report, Severity};
use tongbao::ir::{AttachmentBlock, Cell, Document, Table};

const DATA: &str = r#"document: {issuer: 青石县人民政府办公室, date: 2024-07-01}
quarter: {year: 2024, number: 2}
inspections:
  - id: sites
    kind: 政府网站
    scheme:
      indicators: [{name: 内容更新, max: 40}, {name: 互动回应, max: 20}]
      formulas: [{expr: 100-内容更新-互动回应}]
      bands: [{label: 90分及以上, min: 90}, {label: 60分以下, below: 60}]
    items:
      - {unit: 县发展改革局, name: 县发展改革局网站, code: "5101230001", url: "http://fgj.qs.gov.cn", category: 部门, tier: 维护较好}
      - {unit: 县教育局, name: 县教育局网站, code: "5101230002", url: "http://jyj.qs.gov.cn", category: 部门, d: {内容更新: 15}}
      - {unit: 东岭镇, name: 东岭镇网站, code: "5101230003", url: "http://dl.qs.gov.cn", category: 乡镇, d: {内容更新: 40, 互动回应: 5}, problems: [首页栏目长期未更新]}
      - {unit: 西岭镇, name: 西岭镇网站, code: "5101230004", url: "http://xl.qs.gov.cn", category: 乡镇, tier: 维护较好}
  - id: media
    kind: 政务新媒体
    items:
      - {unit: 县教育局, name: 青石教育, platform: 微信公众号, filing: "QS-0001"}
      - {unit: 县教育局, name: 青石教育, platform: 新浪微博, filing: "QS-0002", problems: [超2周未更新]}
      - {unit: 东岭镇, name: 东岭发布, platform: 微信公众号, filing: "QS-0003"}
"#;

/// Prepare DATA with these attachments: the document (when there is no error) and the report.
fn run(attachments: &str) -> (Option<Document>, Report) {
    run_with(DATA, attachments)
}

fn run_with(data: &str, attachments: &str) -> (Option<Document>, Report) {
    let yaml = format!("{data}attachments:\n{attachments}");
    let path = common::scratch_file("q.yaml", &yaml);
    let templates = tongbao::compose::Templates::new(None).unwrap();
    match tongbao::prepare(&path, &templates, None) {
        Ok(p) => (Some(p.document), p.report),
        Err(r) => (None, r),
    }
}

/// The first table of the first attachment.
fn table(doc: &Document) -> &Table {
    doc.attachments[0]
        .content
        .iter()
        .find_map(|b| match b {
            AttachmentBlock::Table(t) => Some(t),
            _ => None,
        })
        .expect("a table")
}

/// Body rows as tab-joined text (spanned cells appear once, in their first row).
fn body(t: &Table) -> Vec<String> {
    t.rows.iter().map(|r| texts(r).join("\t")).collect()
}

fn texts(row: &[Cell]) -> Vec<&str> {
    row.iter().map(|c| c.text.as_str()).collect()
}

/// Render without errors or warnings and return the table's body.
fn clean(attachments: &str) -> (Document, Vec<String>) {
    let (doc, report) = run(attachments);
    assert!(report.items.is_empty(), "{report}");
    let doc = doc.unwrap();
    let rows = body(table(&doc));
    (doc, rows)
}

/// The report's diagnostics, one line each (file:line:column: 错误: field: message), without
/// the quoted source lines under them.
fn lines(report: &Report) -> Vec<String> {
    let file = report.file.display().to_string();
    report
        .to_string()
        .lines()
        .filter(|l| l.starts_with(&file))
        .map(String::from)
        .collect()
}

#[test]
fn literal_cells_are_templates() {
    let (_, rows) = clean(
        r#"  - title: 汇总
    table:
      columns: [{header: 项目}, {header: 数量}]
      rows:
        - [网站, "{{sites.count}}个"]
        - [满分以上, "{{sites.bands.0.count}}"]
"#,
    );
    assert_eq!(rows, ["网站\t4个", "满分以上\t2"]);
}

#[test]
fn a_literal_cell_naming_a_missing_value_is_an_error_at_its_place() {
    let (doc, report) = run(r#"  - title: 汇总
    table:
      columns: [{header: 项目}, {header: 数量}]
      rows:
        - [网站, "{{sites.bands.5.count}}"]
"#);
    assert!(doc.is_none());
    let l = lines(&report);
    assert_eq!(l.len(), 1, "{l:#?}");
    // Line 26 of the file (DATA has 21 lines, then "attachments:"), at the template inside
    // the quoted cell.
    assert!(
        l[0].contains(".yaml:26:17: 错误: attachments[0].table.rows[0][1]")
            && l[0].contains("sites.bands.5.count"),
        "{l:#?}"
    );
}

#[test]
fn one_group_level_gives_one_row_per_group_not_blank_rows() {
    let (_, rows) = clean(
        r#"  - title: 按类别
    table:
      from: [sites]
      group_by: [category]
      columns:
        - {header: 类别, field: category, text: "{{label}}（{{count}}个）"}
        - {header: 单位, list: unit}
"#,
    );
    assert_eq!(
        rows,
        [
            "部门（2个）\t县发展改革局、县教育局",
            "乡镇（2个）\t东岭镇、西岭镇"
        ]
    );
}

#[test]
fn a_grouped_column_without_content_is_an_error() {
    // What used to print one blank row per item.
    let (doc, report) = run(r#"  - title: 按类别
    table:
      from: [sites]
      group_by: [category]
      columns:
        - {header: 类别}
        - {header: 单位}
"#);
    assert!(doc.is_none());
    let l = lines(&report);
    assert_eq!(l.len(), 2, "{l:#?}");
    assert!(
        l[0].contains(":27:20: 错误: attachments[0].table.columns[0]: 第 1 列“类别”没有内容"),
        "{l:#?}"
    );
    assert!(l[1].contains(":28:20: 错误: attachments[0].table.columns[1]: 第 2 列“单位”没有内容"));
}

#[test]
fn items_outside_the_wanted_tier_are_a_warning_and_where_leaves_them_out() {
    let spec = |filter: &str| {
        format!(
            r#"  - title: 维护较好的网站
    table:
      from: [sites]
{filter}      group_by: [tier, category]
      columns:
        - {{header: 等次, field: tier}}
        - {{header: 类别, field: category}}
        - {{header: 网站, list: name}}
"#
        )
    };
    let (doc, report) = run(&spec(""));
    let l = lines(&report);
    assert_eq!(l.len(), 1, "{l:#?}");
    assert!(
        l[0].contains(":25:18: 警告: attachments[0].table.group_by[0]: 县教育局网站、东岭镇网站 2 个检查对象的“tier”（等次）为空，自成一组"),
        "{l:#?}"
    );
    // Still rendered, the blank group visible as such.
    let rows = body(table(doc.as_ref().unwrap()));
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[2], "\t部门\t县教育局网站");

    let (_, rows) = clean(&spec("      where: {tier: 维护较好}\n"));
    assert_eq!(
        rows,
        ["维护较好\t部门\t县发展改革局网站", "乡镇\t西岭镇网站"]
    );
}

#[test]
fn blank_groups_kept_or_dropped_on_request() {
    let spec = |blank: &str| {
        format!(
            r#"  - title: 等次
    table:
      from: [sites]
      group_by: [{{field: tier, blank: {blank}}}]
      columns:
        - {{header: 等次, field: tier}}
        - {{header: 网站, list: name}}
"#
        )
    };
    let (_, rows) = clean(&spec("keep"));
    assert_eq!(
        rows,
        [
            "维护较好\t县发展改革局网站、西岭镇网站",
            "\t县教育局网站、东岭镇网站"
        ]
    );
    let (_, rows) = clean(&spec("drop"));
    assert_eq!(rows, ["维护较好\t县发展改革局网站、西岭镇网站"]);
}

#[test]
fn grouped_tables_number_rows_and_groups() {
    // 序号 of the rows, the category cell spanning its items.
    let (doc, rows) = clean(
        r#"  - title: 维护较好
    table:
      from: [sites]
      group_by: [category]
      columns:
        - {header: 序号, field: seq}
        - {header: 类别, field: category}
        - {header: 单位, field: unit}
"#,
    );
    assert_eq!(
        rows,
        [
            "1\t部门\t县发展改革局",
            "2\t县教育局",
            "3\t乡镇\t东岭镇",
            "4\t西岭镇"
        ]
    );
    assert_eq!(table(&doc).rows[0][1].row_span, 2);
    // 序号 of the groups: the group's own number in a cell spanning its rows.
    let (doc, rows) = clean(
        r#"  - title: 账号
    table:
      from: [media]
      group_by: [unit]
      columns:
        - {header: 序号, field: unit, text: "{{seq}}"}
        - {header: 单位, field: unit}
        - {header: 账号, text: "{{name}}（{{platform}}）"}
"#,
    );
    assert_eq!(
        rows,
        [
            "1\t县教育局\t青石教育（微信公众号）",
            "青石教育（新浪微博）",
            "2\t东岭镇\t东岭发布（微信公众号）"
        ]
    );
    let t = table(&doc);
    assert_eq!((t.rows[0][0].row_span, t.rows[0][1].row_span), (2, 2));
}

#[test]
fn an_unknown_indicator_or_field_is_an_error_with_a_suggestion() {
    let (doc, report) = run(r#"  - title: 得分
    table:
      from: [sites]
      columns:
        - {header: 单位, field: unti}
        - {header: 更新, field: d.没有这个}
        - {header: 互动, field: d.互动回映}
"#);
    assert!(doc.is_none());
    let l = lines(&report);
    assert_eq!(l.len(), 3, "{l:#?}");
    assert!(l[0].contains(":26:31: 错误: attachments[0].table.columns[0].field: 未知的列内容“unti”，是否应为“unit”？"), "{l:#?}");
    assert!(l[1].contains(":27:31: 错误: attachments[0].table.columns[1].field: 列内容“d.没有这个”：没有名为“没有这个”的指标（已声明：内容更新、互动回应）"), "{l:#?}");
    assert!(
        l[2].contains("没有名为“互动回映”的指标，是否应为“互动回应”？"),
        "{l:#?}"
    );
}

#[test]
fn every_name_a_table_uses_is_checked() {
    let (doc, report) = run(r#"  - title: 错
    table:
      from: [site]
      where: {reslt: 合格, result: 及格, category: 部门, score: {min: 90}, unit: {min: 1}}
      sort: unit
      group_by: [categroy, seq]
      columns:
        - {header: 单位, list: unit, sep: "，", by: platfrom}
        - {header: 名称, field: name, sep: "、"}
"#);
    assert!(doc.is_none());
    let l = lines(&report);
    let has = |s: &str| l.iter().any(|x| x.contains(s));
    assert!(
        has("table.from[0]: 没有标识为“site”的检查项目，是否应为“sites”？"),
        "{l:#?}"
    );
    assert!(has(
        "where.reslt: 未知的筛选字段“reslt”，是否应为“result”？"
    ));
    assert!(has(
        "where.result: “result”（检查结果）没有取值“及格”，是否应为“合格”？（可用：合格、不合格）"
    ));
    assert!(has(
        "where.unit: “unit”（主管/责任单位）不是数值，不能用范围筛选"
    ));
    assert!(has(
        "table.sort: 不能按“unit”（主管/责任单位）排序（可用：given、score、rank、problem_count"
    ));
    assert!(has(
        "group_by[0]: 未知的分组字段“categroy”，是否应为“category”？"
    ));
    assert!(has("group_by[1]: 不能按序号分组"));
    assert!(has(
        "columns[0].by: 未知的名单分段字段“platfrom”，是否应为“platform”？"
    ));
    assert!(has(
        "columns[1].sep: 第 2 列“名称”：sep 只用于名单（list）列"
    ));
    // Every problem at a place in the file.
    assert!(l.iter().all(|x| x.contains(".yaml:")), "{l:#?}");
}

#[test]
fn a_where_matching_nothing_is_a_warning() {
    let (doc, report) = run(r#"  - title: 不合格
    table:
      from: [sites]
      where: {result: 不合格, category: 部门}
      columns:
        - {header: 单位, field: unit}
"#);
    let l = lines(&report);
    assert_eq!(l.len(), 1, "{l:#?}");
    assert!(l[0].contains(":25:14: 警告: attachments[0].table.where: 筛选条件（where）没有选出任何检查对象（共 4 个）"), "{l:#?}");
    assert!(body(table(&doc.unwrap())).is_empty());
    // A value no item has names the values there are.
    let (_, report) = run(r#"  - title: 镇
    table:
      from: [sites]
      where: {category: 部们}
      columns:
        - {header: 单位, field: unit}
"#);
    let l = lines(&report);
    assert_eq!(l.len(), 1, "{l:#?}");
    assert!(l[0].contains("警告: attachments[0].table.where.category: 没有检查对象的“category”（类别）为“部们”，是否应为“部门”？（现有：部门、乡镇）"), "{l:#?}");
}

#[test]
fn a_group_template_naming_a_missing_value_is_an_error_at_its_line_and_column() {
    let (doc, report) = run(r#"  - title: 按类别
    table:
      from: [sites]
      group_by: [category]
      where: {category: 没有}
      columns:
        - {header: 类别, field: category, text: "{{label}}（{{cuont}}个）"}
        - {header: 单位, list: unit}
"#);
    assert!(doc.is_none());
    let l = lines(&report);
    let err: Vec<&String> = l.iter().filter(|x| x.contains("错误")).collect();
    assert_eq!(err.len(), 1, "{l:#?}");
    // Even with no group to render. Column 58 is the “{{” of {{cuont}} in that line.
    assert!(
        err[0].contains(":28:58: 错误: attachments[0].table.columns[0].text: “类别”列的模板第 1 行第 11 列引用了不存在的值“cuont”，是否应为“count”？"),
        "{l:#?}"
    );
}

#[test]
fn sorted_ranked_score_table() {
    let (_, rows) = clean(
        r#"  - title: 得分
    table:
      from: [sites]
      sort: score
      columns:
        - {header: 序号, field: seq}
        - {header: 单位, field: unit}
        - {header: 内容更新, field: d.内容更新}
        - {header: 得分, field: score}
        - {header: 检查结果, field: result}
        - {header: 排名, field: rank}
"#,
    );
    assert_eq!(
        rows,
        [
            "1\t县发展改革局\t\t100\t合格\t1",
            "2\t西岭镇\t\t100\t合格\t1",
            "3\t县教育局\t15\t85\t合格\t3",
            "4\t东岭镇\t40\t55\t不合格\t4",
        ]
    );
}

/// `sort: score` orders as the ranks go: units a veto ranks `last` come after every other,
/// among themselves by score, even when the score they show is higher; so the ranks printed
/// increase down the table (they once read 1, 2, 5, 6, 3, 4: the vetoed rows stayed where
/// their shown scores put them while their ranks were counted after the rest). Unvetoed units
/// below every vetoed score, a vetoed pair in reverse order and a hidden score (`score: none`)
/// with the ranks still going by the formula's score, for every way a veto shows its score.
#[test]
fn a_table_sorted_by_score_puts_units_a_veto_ranks_last_after_the_rest() {
    let data = |score: &str| {
        format!(
            r#"document: {{issuer: 青石县人民政府办公室, date: 2024-07-01}}
quarter: {{year: 2024, number: 2}}
inspections:
  - id: sites
    kind: 政府网站
    scheme:
      indicators: [{{name: 扣分, max: 60}}]
      formulas: [{{expr: 100-扣分}}]
      veto: {{rank: last, score: {score}}}
    items:
      - {{unit: 甲, d: {{扣分: 1}}}}
      - {{unit: 乙, d: {{扣分: 2}}}}
      - {{unit: 丙, d: {{扣分: 4}}, veto: true}}
      - {{unit: 丁, d: {{扣分: 3}}, veto: true}}
      - {{unit: 戊, d: {{扣分: 45}}}}
      - {{unit: 己, d: {{扣分: 50}}}}
"#
        )
    };
    let attachments = r#"  - title: 得分
    table:
      from: [sites]
      sort: score
      columns:
        - {header: 序号, field: seq}
        - {header: 单位, field: unit}
        - {header: 得分, field: score}
        - {header: 排名, field: rank}
"#;
    for (score, shown) in [
        ("computed", ["97", "96"]),
        ("59", ["59", "59"]),
        ("none", ["", ""]),
    ] {
        let (doc, report) = run_with(&data(score), attachments);
        assert!(
            !report.items.iter().any(|d| d.severity == Severity::Error),
            "{report}"
        );
        let rows = body(table(&doc.unwrap()));
        // 丁 (97) before 丙 (96): by the formula's score also when none is shown; with 59
        // shown for both they tie, in the YAML order, and share rank 5.
        let (first, second, ranks) = match score {
            "59" => (("丙", shown[0]), ("丁", shown[1]), ["5", "5"]),
            _ => (("丁", shown[0]), ("丙", shown[1]), ["5", "6"]),
        };
        assert_eq!(
            rows,
            [
                "1\t甲\t99\t1".to_string(),
                "2\t乙\t98\t2".into(),
                "3\t戊\t55\t3".into(),
                "4\t己\t50\t4".into(),
                format!("5\t{}\t{}\t{}", first.0, first.1, ranks[0]),
                format!("6\t{}\t{}\t{}", second.0, second.1, ranks[1]),
            ],
            "veto score: {score}"
        );
    }
}

#[test]
fn problem_list_from_two_inspections() {
    let (doc, rows) = clean(
        r#"  - title: 问题清单
    table:
      from: [sites, media]
      where: {has_problems: true}
      columns:
        - {header: 序号, field: seq}
        - {header: 名称, field: name}
        - {header: 类型, field: inspection}
        - {header: 存在问题, field: problems}
"#,
    );
    assert_eq!(
        rows,
        [
            "1\t东岭镇网站\t政府网站\t首页栏目长期未更新",
            "2\t青石教育\t政务新媒体\t超2周未更新"
        ]
    );
    // Problems are left-aligned by default.
    assert_eq!(table(&doc).columns[3].align, tongbao::ir::Align::Left);
}

#[test]
fn site_list_and_account_list() {
    let (_, rows) = clean(
        r#"  - title: 网站
    table:
      from: [sites]
      where: {score: {min: 60, below: 100}}
      columns:
        - {header: 网站标识码, field: code}
        - {header: 名称, field: name}
        - {header: 网址, field: url, align: left}
        - {header: 是否合格, field: result}
"#,
    );
    assert_eq!(
        rows,
        ["5101230002\t县教育局网站\thttp://jyj.qs.gov.cn\t合格"]
    );
    let (doc, rows) = clean(
        r#"  - title: 账号
    table:
      from: [media]
      where: {platform: [微信公众号]}
      columns:
        - {header: 备案号, field: filing, align: right}
        - {header: 账号名称, field: name}
        - {header: 平台, field: platform}
"#,
    );
    assert_eq!(
        rows,
        [
            "QS-0001\t青石教育\t微信公众号",
            "QS-0003\t东岭发布\t微信公众号"
        ]
    );
    assert_eq!(table(&doc).columns[0].align, tongbao::ir::Align::Right);
}

#[test]
fn per_unit_summary_with_a_total_row() {
    let (_, rows) = clean(
        r#"  - title: 汇总
    table:
      from: [sites, media]
      group_by: [unit]
      columns:
        - {header: 序号, field: seq}
        - {header: 单位, field: unit}
        - {header: 检查数, field: unit, text: "{{count}}"}
        - {header: 不合格数, field: unit, text: "{{failed}}"}
        - {header: 合格率, field: unit, text: "{{pass_rate}}"}
      total_row: [合计, "<", "{{count}}", "{{failed}}", "{{pass_rate}}"]
"#,
    );
    assert_eq!(
        rows,
        [
            "1\t县发展改革局\t1\t0\t100%",
            "2\t县教育局\t3\t1\t66.7%",
            "3\t东岭镇\t2\t1\t50%",
            "4\t西岭镇\t1\t0\t100%",
            "合计\t7\t2\t71.4%",
        ]
    );
}

#[test]
fn list_cells_cluster_with_two_separators() {
    let (_, rows) = clean(
        r#"  - title: 名单
    table:
      from: [sites]
      group_by: [result]
      columns:
        - {header: 结果, field: result, text: "{{label}}（{{count}}个）"}
        - {header: 单位, list: unit, by: category, by_sep: "；"}
"#,
    );
    // 合格 before 不合格: the field's declared order.
    assert_eq!(
        rows,
        [
            "合格（3个）\t县发展改革局、县教育局；西岭镇",
            "不合格（1个）\t东岭镇"
        ]
    );
}

#[test]
fn a_list_beside_an_item_column_is_an_error() {
    let (doc, report) = run(r#"  - title: 名单
    table:
      from: [sites]
      group_by: [category]
      columns:
        - {header: 类别, field: category}
        - {header: 得分, field: score}
        - {header: 单位, list: unit}
"#);
    assert!(doc.is_none());
    assert!(report
        .to_string()
        .contains("名单（list）列须在每组一行的表格中，而第 2 列“得分”逐项显示检查对象的字段"));
}

#[test]
fn no_braces_left_in_a_cell() {
    let yaml = DATA.replace("problems: [首页栏目长期未更新]", "problems: [\"{{未填}}\"]");
    let dir = std::env::temp_dir().join(format!("tongbao-tables-raw-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("raw.yaml");
    let att = "attachments:\n  - title: 问题\n    table:\n      from: [sites]\n      columns: [{header: 问题, field: problems}]\n";
    std::fs::write(&path, format!("{yaml}{att}")).unwrap();
    let templates = tongbao::compose::Templates::new(None).unwrap();
    let report = tongbao::prepare(&path, &templates, None)
        .err()
        .expect("an error");
    assert_eq!(report.count(Severity::Error), 1, "{report}");
    assert!(report.to_string().contains("含未求值的“{{”"), "{report}");
}

#[test]
fn band_groups_follow_the_scheme_and_undeclared_bands_are_errors() {
    // 县教育局 scores 85: in neither band (90分及以上, 60分以下), so its band is empty.
    let (doc, report) = run(r#"  - title: 分段
    table:
      from: [sites]
      group_by: [{field: band, all: true, blank: drop}]
      columns:
        - {header: 区间, field: band, text: "{{label}}（{{count}}个）"}
        - {header: 网站, list: name}
"#);
    assert!(report.items.is_empty(), "{report}");
    assert_eq!(
        body(table(&doc.unwrap())),
        [
            "90分及以上（2个）\t县发展改革局网站、西岭镇网站",
            "60分以下（1个）\t东岭镇网站"
        ]
    );
    let (doc, report) = run(r#"  - title: 分段
    table:
      from: [sites]
      where: {band: 90分以上}
      columns:
        - {header: 网站, field: name}
"#);
    assert!(doc.is_none());
    let l = lines(&report);
    assert_eq!(l.len(), 1, "{l:#?}");
    assert!(
        l[0].contains(":25:21: 错误: attachments[0].table.where.band: “band”（分数段）没有取值“90分以上”，是否应为“90分及以上”？（已声明：90分及以上、60分以下）"),
        "{l:#?}"
    );
}

#[test]
fn tier_groups_follow_the_order_the_scheme_declares() {
    let spec = r#"  - title: 等次
    table:
      from: [sites]
      group_by: [{field: tier, all: true, blank: drop}]
      columns:
        - {header: 等次, field: tier}
        - {header: 网站, list: name}
"#;
    // Tiers given by the items: without a declaration there is no order, nor empty tiers.
    let (doc, report) = run(spec);
    assert!(doc.is_none());
    assert!(
        report
            .to_string()
            .contains("group_by[0].all: all: true 只用于取值已声明的字段"),
        "{report}"
    );
    let data = DATA
        .replace(
            "{label: 60分以下, below: 60}]\n",
            "{label: 60分以下, below: 60}]\n      tier_order: [优秀, 一般, 维护较好]\n",
        )
        .replace(
            "category: 部门, d: {内容更新: 15}}",
            "category: 部门, tier: 一般, d: {内容更新: 15}}",
        );
    let (doc, report) = run_with(&data, spec);
    assert!(report.items.is_empty(), "{report}");
    // 维护较好 comes first in the items, last in the declaration; 优秀 has none.
    assert_eq!(
        body(table(&doc.unwrap())),
        [
            "优秀\t",
            "一般\t县教育局网站",
            "维护较好\t县发展改革局网站、西岭镇网站"
        ]
    );
    // A where naming an undeclared tier is an error with the declared ones.
    let (_, report) = run_with(
        &data,
        "  - title: 较好\n    table:\n      from: [sites]\n      where: {tier: 维护良好}\n      columns: [{header: 网站, field: name}]\n",
    );
    assert!(
        report.to_string().contains("“tier”（等次）没有取值“维护良好”，是否应为“维护较好”？（已声明：优秀、一般、维护较好）"),
        "{report}"
    );
}

#[test]
fn summary_of_an_inspection_counted_but_not_listed() {
    // 10 accounts checked (6 镇街, 4 部门), only the 2 failing ones listed, both 镇街: the
    // 检查数 per level comes from the breakdown, the 部门 row from the breakdown alone.
    let yaml = r#"document: {issuer: 青石县人民政府办公室, date: 2024-07-01}
quarter: {year: 2024, number: 2}
inspections:
  - id: media
    kind: 政务新媒体
    total: 10
    breakdowns:
      level:
        - {label: 镇街, count: 6}
        - {label: 部门, count: 4}
    items:
      - {unit: 东岭镇, name: 东岭发布, level: 镇街, problems: [超2周未更新]}
      - {unit: 西岭镇, name: 西岭发布, level: 镇街, problems: [留言未回复]}
attachments:
  - title: 汇总
    table:
      from: [media]
      group_by: [{field: level, all: true}]
      columns:
        - {header: 层级, field: level}
        - {header: 检查数, field: level, text: "{{part.count}}"}
        - {header: 不合格数, field: level, text: "{{failed}}"}
        - {header: 不合格账号, field: level, text: "{{join names}}"}
      total_row: [合计, "{{inspection.count}}", "{{inspection.failed}}", "{{join names}}"]
"#;
    let dir = std::env::temp_dir().join(format!("tongbao-tables-parts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("parts.yaml");
    std::fs::write(&path, yaml).unwrap();
    let templates = tongbao::compose::Templates::new(None).unwrap();
    let p = tongbao::prepare(&path, &templates, None).unwrap_or_else(|r| panic!("{r}"));
    assert!(p.report.items.is_empty(), "{}", p.report);
    assert_eq!(
        body(table(&p.document)),
        [
            "镇街\t6\t2\t东岭发布、西岭发布",
            "部门\t4\t0\t",
            "合计\t10\t2\t东岭发布、西岭发布"
        ]
    );
}

#[test]
fn list_entries_left_out_for_an_empty_value_are_one_warning() {
    let (doc, report) = run(r#"  - title: 平台
    table:
      from: [sites, media]
      group_by: [unit]
      columns:
        - {header: 单位, field: unit}
        - {header: 平台, list: platform}
"#);
    let l = lines(&report);
    assert_eq!(l.len(), 1, "{l:#?}");
    assert!(
        l[0].contains(":28:30: 警告: attachments[0].table.columns[1].list: 4 个检查对象的“平台/类型”为空，未列入名单"),
        "{l:#?}"
    );
    assert_eq!(
        body(table(&doc.unwrap())),
        [
            "县发展改革局\t",
            "县教育局\t微信公众号、新浪微博",
            "东岭镇\t微信公众号",
            "西岭镇\t"
        ]
    );
}

/// A problem list whose clerk gave every column a width (序号 `width: 1`, too narrow for its
/// header): the 页面地址 column of long addresses and 问题描述 get about their hinted shares
/// (6 and 5 of 19 parts), 序号 is widened to its header, and that is a 警告 at the hint, the
/// same from `check` (the tables measured) as from the layout.
#[test]
fn width_hints_are_kept_as_far_as_the_content_allows() {
    let data = r#"document: {issuer: 青石县人民政府办公室, date: 2024-07-01}
quarter: {year: 2024, number: 2}
inspections:
  - id: sites
    kind: 政府网站
    items:
      - {unit: 县发展改革局, name: 县发展改革局网站, url: "http://fgj.qs.gov.cn/zwgk/xxgkml/zcjd/202406/t20240612_1234567.html", category: 部门, problems: [首页栏目长期未更新，政策解读栏目内容与原文件不对应]}
      - {unit: 县教育局, name: 县教育局网站, url: "http://jyj.qs.gov.cn/xxgk/fdzdgknr/ghxx/202405/t20240520_7654321.html", category: 部门, problems: [互动交流栏目留言超过规定时限未回复]}
      - {unit: 东岭镇, name: 东岭镇网站, url: "http://dl.qs.gov.cn/zfxxgk/zfxxgkml/202404/t20240415_1111111.html", category: 乡镇, problems: [办事指南要素缺失，链接无法打开]}
"#;
    let attachments = r#"  - title: 问题清单
    table:
      from: [sites]
      columns:
        - {header: 序号, field: seq, width: 1}
        - {header: 网站名称, field: name, width: 4}
        - {header: 页面地址, field: url, width: 6, align: left}
        - {header: 问题类型, field: category, width: 3}
        - {header: 问题描述, field: problems, width: 5}
"#;
    let (doc, report) = run_with(data, attachments);
    assert!(report.items.is_empty(), "{report}");
    let doc = doc.unwrap();
    let fonts = tongbao::fonts::FontSet::embedded();
    let laid = tongbao::layout::layout(&doc, &fonts, &Default::default());
    let w = &laid.record.tables[0].widths;
    let total: f32 = w.iter().sum();
    let share = |c: usize| w[c] / total;
    assert!((share(2) - 6.0 / 19.0).abs() < 0.03, "{w:?}");
    assert!((share(4) - 5.0 / 19.0).abs() < 0.03, "{w:?}");
    assert!(share(0) > 1.0 / 19.0 + 0.01, "{w:?}");

    // The warning: at the `1` of `width: 1`, naming the hint, its share and what it got.
    let yaml = format!("{data}attachments:\n{attachments}");
    let (line, text) = yaml
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("width: 1}"))
        .unwrap();
    let column = text[..text.find("width: 1}").unwrap()].chars().count() + "width: ".len() + 1;
    assert_eq!(laid.findings.len(), 1, "{:?}", laid.findings);
    let d = &laid.findings[0];
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(d.field, "attachments[0].table.columns[0].width");
    assert_eq!((d.pos.line, d.pos.column), (line as u64 + 1, column as u64));
    let got = format!("{:.0}%", share(0) * 100.0);
    assert_eq!(
        d.message,
        format!("列宽 1 份（约 5%）容不下“序号”，已加宽到 {got}")
    );
    assert_eq!(tongbao::layout::findings(&doc, &fonts), laid.findings);
}
