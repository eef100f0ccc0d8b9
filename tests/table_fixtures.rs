//! The three table fixtures (made-up places and data): golden text, the attachment worked out by
//! hand, and a corrections test each — one datum changed, and exactly the sentences, list
//! entries and table cells that depend on it change, attachments included.

mod common;

use common::{golden, prepare_text, root};

const FIXTURES: [&str; 3] = ["band-list", "tier-category", "unit-summary"];

fn source(name: &str) -> String {
    std::fs::read_to_string(root().join(format!("fixtures/{name}.yaml"))).unwrap()
}

/// `old` replaced by `new` in the fixture (which must contain it once).
fn corrected(name: &str, old: &str, new: &str) -> String {
    let text = source(name);
    assert_eq!(text.matches(old).count(), 1, "{old}");
    text.replace(old, new)
}

/// The document changes between the fixture and its correction, as (place, old, new).
fn changes(name: &str, corrected: &str) -> Vec<(String, String, String)> {
    let old = prepare_text(&format!("{name}-old.yaml"), &source(name));
    let new = prepare_text(&format!("{name}-new.yaml"), corrected);
    assert!(new.report.items.is_empty(), "{}", new.report);
    let d = tongbao::diff::diff(&old, &new);
    d.document
        .into_iter()
        .map(|c| (c.place, c.old, c.new))
        .collect()
}

fn triples(list: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    list.iter()
        .map(|(p, o, n)| (p.to_string(), o.to_string(), n.to_string()))
        .collect()
}

/// The attachment's table rows as tab-joined text.
fn attachment_rows(p: &tongbao::Prepared, a: usize) -> Vec<String> {
    p.document.attachments[a]
        .content
        .iter()
        .filter_map(|b| match b {
            tongbao::ir::AttachmentBlock::Table(t) => Some(t),
            _ => None,
        })
        .flat_map(|t| &t.rows)
        .map(|r| {
            r.iter()
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>()
                .join("\t")
        })
        .collect()
}

#[test]
fn golden_text_and_a_clean_check() {
    for name in FIXTURES {
        let p = common::fixture(name, None);
        assert!(p.report.items.is_empty(), "{name}:\n{}", p.report);
        golden(&format!("{name}.txt"), &p.document.plain_text());
    }
}

#[test]
fn band_list_by_hand() {
    // Scores sorted by hand: ≥90: 96 95 93 92 91 90; 80–90: 89 88 85 84 83 81; 60–80: 78 74 66; <60: 58.
    let p = common::fixture("band-list", None);
    assert_eq!(
        attachment_rows(&p, 0),
        [
            "90分及以上（6个）\t青禾市人民政府门户网站、青禾市卫生健康委员会网站、东溪区人民政府网站、青禾市教育局网站、西坪县人民政府网站、青禾市财政局网站",
            "80分（含）至90分（6个）\t青禾市生态环境局网站、青禾市发展和改革委员会网站、南屏区人民政府网站、青禾市公安局网站、青禾市交通运输局网站、青禾市人力资源和社会保障局网站",
            "60分（含）至80分（3个）\t北岸县人民政府网站、青禾市自然资源局网站、青禾市民政局网站",
            "60分以下（1个）\t青禾市住房和城乡建设局网站",
        ]
    );
    // 15 of 16 pass: 93.75% → 93.8% (half up).
    assert!(p.document.plain_text().contains("合格15个，合格率93.8%"));
}

#[test]
fn band_list_correction_moves_one_site_between_bands() {
    let new = corrected(
        "band-list",
        "name: 南屏区人民政府网站, score: 85}",
        "name: 南屏区人民政府网站, score: 91}",
    );
    let expected = triples(&[
        (
            "正文／一、总体情况／第1段第2句",
            "其中，90分及以上的6个，80分（含）至90分的6个，60分（含）至80分的3个，60分以下的1个（名单详见附件）。",
            "其中，90分及以上的7个，80分（含）至90分的5个，60分（含）至80分的3个，60分以下的1个（名单详见附件）。",
        ),
        ("附件／表1／第1行／得分区间", "90分及以上（6个）", "90分及以上（7个）"),
        (
            "附件／表1／第1行／网站名称",
            "青禾市人民政府门户网站、青禾市卫生健康委员会网站、东溪区人民政府网站、青禾市教育局网站、西坪县人民政府网站、青禾市财政局网站",
            // 91 ties with 西坪县; ties keep the YAML order, where 南屏区 comes first.
            "青禾市人民政府门户网站、青禾市卫生健康委员会网站、东溪区人民政府网站、青禾市教育局网站、南屏区人民政府网站、西坪县人民政府网站、青禾市财政局网站",
        ),
        ("附件／表1／第2行／得分区间", "80分（含）至90分（6个）", "80分（含）至90分（5个）"),
        (
            "附件／表1／第2行／网站名称",
            "青禾市生态环境局网站、青禾市发展和改革委员会网站、南屏区人民政府网站、青禾市公安局网站、青禾市交通运输局网站、青禾市人力资源和社会保障局网站",
            "青禾市生态环境局网站、青禾市发展和改革委员会网站、青禾市公安局网站、青禾市交通运输局网站、青禾市人力资源和社会保障局网站",
        ),
    ]);
    assert_eq!(changes("band-list", &new), expected);
}

#[test]
fn tier_category_by_hand() {
    let p = common::fixture("tier-category", None);
    // 维护较好: sites first (YAML order), then accounts; 镇街 before 区级部门 (first seen).
    assert_eq!(
        attachment_rows(&p, 0),
        [
            "1\t镇街\t溪口街道办事处\t溪口街道专栏",
            "2\t白沙镇人民政府\t白沙镇专栏",
            "3\t石滩镇人民政府\t石滩镇专栏",
            "4\t白沙镇人民政府\t白沙发布（微信公众号）",
            "5\t区级部门\t区发展和改革局\t区发展和改革局专栏",
            "6\t区司法局\t区司法局专栏",
            "7\t区财政局\t区财政局专栏",
            "8\t区教育局\t溪口教育（微信公众号）",
            "9\t区卫生健康局\t健康溪口（抖音）",
        ]
    );
    let t = match &p.document.attachments[0].content[0] {
        tongbao::ir::AttachmentBlock::Table(t) => t,
        other => panic!("{other:?}"),
    };
    assert_eq!((t.rows[0][1].row_span, t.rows[4][1].row_span), (4, 5));
}

#[test]
fn tier_category_correction_one_unit_no_longer_well_maintained() {
    let new = corrected(
        "tier-category",
        "name: 区司法局专栏, category: 区级部门, tier: 维护较好}",
        "name: 区司法局专栏, category: 区级部门}",
    );
    let expected = triples(&[
        (
            "正文／一、总体情况／第1段第2句",
            "检查区政府网站专栏9个，发现存在问题的2个，6个专栏维护较好。",
            "检查区政府网站专栏9个，发现存在问题的2个，5个专栏维护较好。",
        ),
        ("附件1／表1／第6行／责任单位", "区司法局", "区财政局"),
        ("附件1／表1／第6行／名称", "区司法局专栏", "区财政局专栏"),
        ("附件1／表1／第7行／责任单位", "区财政局", "区教育局"),
        (
            "附件1／表1／第7行／名称",
            "区财政局专栏",
            "溪口教育（微信公众号）",
        ),
        ("附件1／表1／第8行／责任单位", "区教育局", "区卫生健康局"),
        (
            "附件1／表1／第8行／名称",
            "溪口教育（微信公众号）",
            "健康溪口（抖音）",
        ),
        ("附件1／表1／第9行／序号", "9", ""),
        ("附件1／表1／第9行／责任单位", "区卫生健康局", ""),
        ("附件1／表1／第9行／名称", "健康溪口（抖音）", ""),
    ]);
    assert_eq!(changes("tier-category", &new), expected);
}

#[test]
fn tier_category_summary_by_inspection_by_hand() {
    let p = common::fixture("tier-category", None);
    // 镇街: sites 溪口, 白沙, 青林 (a problem), 石滩; media 白沙发布, 青林之声.
    // 区级部门: sites 发改, 教育, 司法, 财政, 农业农村 (a problem); media 溪口教育, 健康溪口,
    // 溪口文旅 (a problem).
    assert_eq!(
        attachment_rows(&p, 1),
        [
            "镇街\t4\t1\t2\t0\t6",
            "区级部门\t5\t1\t3\t1\t8",
            "合计\t9\t2\t5\t1\t14",
        ]
    );
    // One account fixed: only its inspection's column of its category and the totals move.
    let new = corrected(
        "tier-category",
        "platform: 新浪微博, category: 区级部门, problems: [超过2周未更新]}",
        "platform: 新浪微博, category: 区级部门}",
    );
    let expected = triples(&[
        ("附件2／表1／第2行／政务新媒体／存在问题", "1", "0"),
        ("附件2／表1／第3行／政务新媒体／存在问题", "1", "0"),
    ]);
    let moved: Vec<_> = changes("tier-category", &new)
        .into_iter()
        .filter(|c| c.0.starts_with("附件2"))
        .collect();
    assert_eq!(moved, expected);
}

#[test]
fn unit_summary_by_hand() {
    let p = common::fixture("unit-summary", None);
    // 融媒体中心 2 of 3 = 66.67%; 教育局 1 of 2 = 50%; 云台乡 0 of 1; all: 7 of 10 = 70%.
    // 运行总数 per unit from the breakdown, the total its sum: 4+2+5+1+2 = 14 (10 of 14 = 71.43%).
    assert_eq!(
        attachment_rows(&p, 0),
        [
            "1\t石门县融媒体中心\t4\t3\t2\t1\t66.67%",
            "2\t县教育局\t2\t2\t1\t1\t50%",
            "3\t县公安局\t5\t3\t3\t0\t100%",
            "4\t云台乡人民政府\t1\t1\t0\t1\t0%",
            "5\t柳溪镇人民政府\t2\t1\t1\t0\t100%",
            "合计\t14\t10\t7\t3\t70%",
        ]
    );
    assert_eq!(
        attachment_rows(&p, 1),
        [
            "1\t石门县融媒\t抖音\t石门县融媒体中心\t超过2周未更新",
            "2\t石门教育\t今日头条\t县教育局\t账号信息与备案不一致",
            "3\t云台乡\t微信公众号\t云台乡人民政府\t超过2周未更新；留言未回复",
        ]
    );
}

#[test]
fn unit_summary_correction_one_account_fixed() {
    let new = corrected(
        "unit-summary",
        "name: 石门教育, platform: 今日头条, problems: [账号信息与备案不一致]}",
        "name: 石门教育, platform: 今日头条}",
    );
    let expected = triples(&[
        (
            "正文／一、检查情况／第1段第2句",
            "合格7个，不合格3个，合格率70%。",
            "合格8个，不合格2个，合格率80%。",
        ),
        ("附件1／表1／第2行／合格数", "1", "2"),
        ("附件1／表1／第2行／不合格数", "1", "0"),
        ("附件1／表1／第2行／合格率", "50%", "100%"),
        ("附件1／表1／第6行／合格数", "7", "8"),
        ("附件1／表1／第6行／不合格数", "3", "2"),
        ("附件1／表1／第6行／合格率", "70%", "80%"),
        ("附件2／表1／第2行／账号名称", "石门教育", "云台乡"),
        ("附件2／表1／第2行／平台", "今日头条", "微信公众号"),
        ("附件2／表1／第2行／主办单位", "县教育局", "云台乡人民政府"),
        (
            "附件2／表1／第2行／存在问题",
            "账号信息与备案不一致",
            "超过2周未更新；留言未回复",
        ),
        ("附件2／表1／第3行／序号", "3", ""),
        ("附件2／表1／第3行／账号名称", "云台乡", ""),
        ("附件2／表1／第3行／平台", "微信公众号", ""),
        ("附件2／表1／第3行／主办单位", "云台乡人民政府", ""),
        (
            "附件2／表1／第3行／存在问题",
            "超过2周未更新；留言未回复",
            "",
        ),
    ]);
    assert_eq!(changes("unit-summary", &new), expected);
}

#[test]
fn unit_summary_correction_one_unit_runs_one_more_account() {
    let new = corrected(
        "unit-summary",
        "{label: 县公安局, count: 3, in_operation: 5}",
        "{label: 县公安局, count: 3, in_operation: 6}",
    );
    let expected = triples(&[
        (
            "正文／一、检查情况／第1段第1句",
            "全县运行政务新媒体14个，本季度检查10个，检查比例71.43%；",
            "全县运行政务新媒体15个，本季度检查10个，检查比例66.67%；",
        ),
        ("附件1／表1／第3行／运行总数", "5", "6"),
        ("附件1／表1／第6行／运行总数", "14", "15"),
    ]);
    assert_eq!(changes("unit-summary", &new), expected);
}
