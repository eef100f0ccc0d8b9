//! A circular of another shape than the seeds (fixtures/county-media.yaml, made up): a 县's
//! half-year circular on 政务新媒体 only, with the default title, opening and overview, and
//! web addresses in its text and table. Then the slips of such a file that used to print a
//! wrong document silently, each a 警告 at its place now.

mod common;

use common::{fixture, golden, root, scratch_file, stderr, tongbao};

#[test]
fn a_county_media_only_half_year_circular_from_the_defaults() {
    let p = fixture("county-media", None);
    assert!(p.report.items.is_empty(), "{:#?}", p.report.items);
    let text = p.document.plain_text();
    golden("county-media.txt", &text);
    let lines: Vec<&str> = text.lines().collect();
    // The area from the issuer (青岚县…), the subject from the one inspection's kind.
    assert!(lines.contains(&"关于2024年上半年全县政务新媒体检查情况的通报"));
    assert!(lines.contains(
        &"青岚县人民政府办公室组织开展了2024年上半年全县政务新媒体检查工作，现将有关情况通报如下："
    ));
    // One inspection: no lone （一）; two attachments: no bare 详见附件.
    let overview = lines[lines.iter().position(|l| *l == "一、总体情况").unwrap() + 1];
    assert_eq!(
        overview,
        "正在运行的政务新媒体86个，抽查60个，抽查比例69.8%，合格56个，合格率93.3%；发现存在问题的4个。"
    );
}

/// `check` on the fixture with `from` replaced by `to`: its warning lines.
fn warnings(from: &str, to: &str) -> Vec<String> {
    warnings_after(&[(from, to)])
}

/// `check` on the fixture with each `(from, to)` of `edits` made: its warning lines.
fn warnings_after(edits: &[(&str, &str)]) -> Vec<String> {
    let mut text = std::fs::read_to_string(root().join("fixtures/county-media.yaml")).unwrap();
    for (from, to) in edits {
        assert_eq!(text.matches(from).count(), 1, "{from}");
        text = text.replace(from, to);
    }
    let file = scratch_file("q.yaml", &text);
    let o = tongbao(&["check", file.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    err.lines()
        .filter(|l| l.contains(": 警告: "))
        .map(|l| l[l.find("q.yaml:").unwrap()..].to_string())
        .collect()
}

/// Without the inspection's end date, a 成文日期 before the period itself is the slip.
#[test]
fn a_date_before_the_period_is_a_warning_when_no_end_date_is_given() {
    let got = warnings_after(&[
        ("  to: 2024-06-30\n", ""),
        ("  date: 2024-07-15", "  date: 2023-12-20"),
    ]);
    let want = "q.yaml:7:9: 警告: document.date: 成文日期 2023年12月20日 早于2024年上半年的开始 2024年1月1日";
    assert!(
        got.iter().any(|l| l.contains(want)),
        "want {want:?} in {got:#?}"
    );
    assert!(!got.iter().any(|l| l.contains("检查结束日期")), "{got:#?}");
}

#[test]
fn slips_that_printed_a_wrong_document_are_warnings_at_their_place() {
    let cases: [(&str, &str, &str); 9] = [
        ("各人民团体\n", "各人民团体：\n", "q.yaml:6:15: 警告: document.recipients: 主送机关末尾的冒号由排版加上"),
        ("note: 此件主动公开", "note: （此件主动公开）", "q.yaml:8:9: 警告: document.note: 附注两边的括号由排版加上"),
        ("（名单见附件2）", "（名单见附件3）", "警告: sections[1].paragraphs[0]: 文中提到“附件3”，本文只有 2 个附件"),
        ("  from: 2024-01-01", "  from: 2023-12-01", "q.yaml:15:9: 警告: quarter.from: 检查日期 2023年12月1日 不在2024年上半年"),
        ("  date: 2024-07-15", "  date: 2024-06-15", "q.yaml:7:9: 警告: document.date: 成文日期 2024年6月15日 早于检查结束日期 2024年6月30日"),
        ("青岚府办发〔2024〕45号", "青岚府办发〔2023〕45号", "q.yaml:5:11: 警告: document.number: 发文字号的年份〔2023〕与成文日期 2024年7月15日 的年份不同"),
        ("problems: [超过2周未更新]}\n      - {unit: 县教育局", "problems: [1.超过2周未更新；2.简介缺失]}\n      - {unit: 县教育局", "警告: inspections[0].items[0].problems: “1.超过2周未更新；2.简介缺失”像是几个问题写在一起"),
        (r#"result="不合格")}}{{name}}（{{platform}}）{{/join}}（详见附件1）"#, r#"result="优秀")}}{{name}}{{/join}}"#, "警告: sections[2].paragraphs[0]: 生成的文字“…不合格账号有：。…”中有空缺“：。”"),
        ("issuer: 青岚县人民政府办公室", "issuer: 青岚政务服务办公室", "警告: document.issuer: 从发文机关“青岚政务服务办公室”看不出检查范围"),
    ];
    for (from, to, want) in cases {
        let got = warnings(from, to);
        assert!(
            got.iter().any(|l| l.contains(want)),
            "{to}: want {want:?} in {got:#?}"
        );
    }
}
