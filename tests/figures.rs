//! The figure model on made-up fixtures: a pass/fail inspection counted but not listed
//! (fixtures/passfail-counted.yaml) and a quarter compared with the one before, with 复查
//! (fixtures/review-2024q2.yaml, previous: review-2024q1.yaml). Golden text, figures worked out
//! by hand, corrections (one datum changed: exactly these sentences and cells change), and the
//! previous file's errors.

mod common;

use std::path::{Path, PathBuf};

use common::{fixture, golden, root};
use tongbao::compose::Templates;
use tongbao::diag::Severity;

const MADE_UP: [&str; 3] = ["passfail-counted", "review-2024q1", "review-2024q2"];

#[test]
fn golden_text() {
    for name in MADE_UP {
        let p = fixture(name, None);
        assert!(p.report.items.is_empty(), "{name}: {}", p.report);
        golden(&format!("{name}.txt"), &p.document.plain_text());
    }
}

/// A scratch folder of its own (tests run in parallel) with the fixture's previous file
/// beside it, so `previous:` resolves.
fn scratch(tag: &str) -> PathBuf {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir =
        std::env::temp_dir().join(format!("tongbao-figures-{tag}-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        root().join("fixtures/review-2024q1.yaml"),
        dir.join("review-2024q1.yaml"),
    )
    .unwrap();
    dir
}

fn prepare_at(path: &Path) -> Result<tongbao::Prepared, tongbao::diag::Report> {
    tongbao::prepare(path, &Templates::new(None).unwrap(), None)
}

fn text_of(name: &str) -> String {
    std::fs::read_to_string(root().join(format!("fixtures/{name}.yaml"))).unwrap()
}

/// Prepare `name` with `from` replaced by `to` (once, and it must be there).
fn corrected(name: &str, from: &str, to: &str) -> (tongbao::Prepared, tongbao::Prepared) {
    let old = text_of(name);
    assert_eq!(old.matches(from).count(), 1, "{from}");
    let dir = scratch(name);
    let (a, b) = (dir.join(format!("{name}.yaml")), dir.join("new.yaml"));
    std::fs::write(&a, &old).unwrap();
    std::fs::write(&b, old.replace(from, to)).unwrap();
    let ok = |p: &Path| prepare_at(p).unwrap_or_else(|r| panic!("{r}"));
    (ok(&a), ok(&b))
}

fn document_changes(
    old: &tongbao::Prepared,
    new: &tongbao::Prepared,
) -> Vec<(String, String, String)> {
    tongbao::diff::diff(old, new)
        .document
        .into_iter()
        .map(|c| (c.place, c.old, c.new))
        .collect()
}

fn owned(v: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    v.iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect()
}

#[test]
fn pass_fail_figures_worked_by_hand() {
    let p = fixture("passfail-counted", None);
    let (sites, media) = (&p.results.inspections[0], &p.results.inspections[1]);
    // 26 sites, 2 declared 不合格 (both listed), the third listed one passes with a problem.
    assert_eq!(
        (sites.count, sites.listed, sites.failed, sites.passed),
        (26, 3, 2, 24)
    );
    assert_eq!(sites.pass_rate, "92.3%"); // 24/26 = 92.31%
                                          // 64 of 212 accounts inspected (30.19%), the 4 listed ones fail: 60/64 = 93.75% → 93.8%.
    assert_eq!(
        (media.in_operation, media.count, media.passed),
        (212, 64, 60)
    );
    assert_eq!(
        (media.coverage.text.as_str(), media.pass_rate.text.as_str()),
        ("30.2%", "93.8%")
    );
    let text = p.document.plain_text();
    for sentence in [
        "其中区直部门网站18个、镇街网站8个，检查比例100%。检查合格24个，合格率92.3%；青禾文旅网、石门镇政府网站检查不合格。",
        "本次抽查64个，抽查比例30.2%，其中微信公众号38个（区直部门20个，镇街18个）、微博12个、抖音14个。",
        // 2 of the 4 failing accounts are 镇街 ones.
        "不合格的4个账号中，一半为镇街账号，分别是青禾市场监管（微信公众号）、柳岸发布（微信公众号）、云溪之声（抖音）、青禾应急（微博）。",
        "3个政务新媒体超过2周未更新，2个政府网站首页栏目超过2周未更新。",
        "涉及的单位有：区文化旅游局、区市场监管局、区应急管理局，石门镇人民政府、柳岸街道办事处、云溪镇人民政府。",
        "关于2024年9月全区政府网站和政务新媒体检查情况的通报",
    ] {
        assert!(text.contains(sentence), "{sentence}\n{text}");
    }
}

#[test]
fn pass_fail_correction_changes_exactly_its_dependents() {
    // 云溪之声's typo turns out not to be one: it passes, and is no longer listed.
    let (old, new) = corrected(
        "passfail-counted",
        "problems: [发布内容有错别字]",
        "problems: []",
    );
    let expected = owned(&[
        ("正文／一、总体情况／第2段第3句", "抽查合格60个，合格率93.8%。", "抽查合格61个，合格率95.3%。"),
        (
            "正文／一、总体情况／第2段第4句",
            "不合格的4个账号中，一半为镇街账号，分别是青禾市场监管（微信公众号）、柳岸发布（微信公众号）、云溪之声（抖音）、青禾应急（微博）。",
            "不合格的3个账号中，三分之一为镇街账号，分别是青禾市场监管（微信公众号）、柳岸发布（微信公众号）、青禾应急（微博）。",
        ),
        (
            "正文／二、存在问题／第1段第3句",
            "涉及的单位有：区文化旅游局、区市场监管局、区应急管理局，石门镇人民政府、柳岸街道办事处、云溪镇人民政府。",
            "涉及的单位有：区文化旅游局、区市场监管局、区应急管理局，石门镇人民政府、柳岸街道办事处。",
        ),
        // The problem list: its row goes, the last row moves up.
        ("附件／表1／第6行／名称", "云溪之声", "青禾应急"),
        ("附件／表1／第6行／责任单位", "云溪镇人民政府", "区应急管理局"),
        ("附件／表1／第6行／平台", "抖音", "微博"),
        ("附件／表1／第6行／存在问题", "发布内容有错别字", "超过2周未更新"),
        ("附件／表1／第7行／序号", "7", ""),
        ("附件／表1／第7行／名称", "青禾应急", ""),
        ("附件／表1／第7行／责任单位", "区应急管理局", ""),
        ("附件／表1／第7行／平台", "微博", ""),
        ("附件／表1／第7行／存在问题", "超过2周未更新", ""),
        ("附件／表1／第7行／检查结果", "不合格", ""),
    ]);
    assert_eq!(document_changes(&old, &new), expected);
    // The reader's side of the report: the one input, and the figures it moved.
    let d = tongbao::diff::diff(&old, &new);
    let input: Vec<(String, String, String)> = d
        .input
        .into_iter()
        .map(|c| (c.place, c.old, c.new))
        .collect();
    assert_eq!(
        input,
        owned(&[(
            "政务新媒体／云溪镇人民政府/云溪之声/抖音／存在问题",
            "发布内容有错别字",
            ""
        )])
    );
    for (place, old, new) in [
        ("政务新媒体／合格数", "60", "61"),
        ("政务新媒体／不合格数", "4", "3"),
        ("政务新媒体／合格率", "93.8%", "95.3%"),
        ("政务新媒体／存在问题的数量", "4", "3"),
    ] {
        assert!(
            d.computed
                .iter()
                .any(|c| c.place == place && c.old == old && c.new == new),
            "{place}: {:#?}",
            d.computed
        );
    }
}

#[test]
fn previous_quarter_figures_worked_by_hand() {
    let p = fixture("review-2024q2", None);
    assert!(p.report.items.is_empty(), "{}", p.report);
    let text = p.document.plain_text();
    // Q1: 8 of 10 pass (鹿鸣健康网 55, 鹿鸣文旅网 vetoed), one full mark (鹿鸣民政网).
    // Q2: 9 of 10 (白沙镇网站 55), full marks 发改 民政 市场监管; 90+: 8 (Q1: 95 100 90 90 105 95 = 6).
    for sentence in [
        "本季度共检查政府网站10个，合格9个，合格率90%，较上季度提高10个百分点。",
        "区发展改革局、区民政局、区市场监管局得满分，满分网站3个，较上季度增加2个。",
        "得分90分及以上的8个（上季度6个），60—90分的1个（上季度2个），60分以下的1个，较上季度持平。",
        // Q1's problem sites: 教育 (fixed), 健康 (one of its two problems remains), 文旅 (vetoed, fixed).
        "对2024年第一季度通报存在问题的3个网站进行了复查：鹿鸣教育网、鹿鸣文旅网已完成整改，鹿鸣健康网仍存在“办事指南要素缺失”的问题（详见附件2）。",
    ] {
        assert!(text.contains(sentence), "{sentence}\n{text}");
    }
    let review: Vec<(&str, &str)> = p.results.inspections[0]
        .review
        .iter()
        .map(|i| (i.name.as_str(), i.review.as_str()))
        .collect();
    assert_eq!(
        review,
        [
            ("鹿鸣教育网", "已整改"),
            ("鹿鸣健康网", "仍存在"),
            ("鹿鸣文旅网", "已整改")
        ]
    );
    assert!(text.contains("2\t区卫生健康局\t鹿鸣健康网\t栏目长期未更新；办事指南要素缺失\t仍存在"));
}

#[test]
fn previous_quarter_correction_changes_exactly_its_dependents() {
    // 鹿鸣健康网 had in fact fixed its 办事指南 too.
    let (old, new) = corrected(
        "review-2024q2",
        "d: {内容更新: 20}, problems: [办事指南要素缺失]",
        "d: {内容更新: 20}",
    );
    let expected = owned(&[
        (
            "正文／二、复查情况／第1段第1句",
            "对2024年第一季度通报存在问题的3个网站进行了复查：鹿鸣教育网、鹿鸣文旅网已完成整改，鹿鸣健康网仍存在“办事指南要素缺失”的问题（详见附件2）。",
            "对2024年第一季度通报存在问题的3个网站进行了复查：鹿鸣教育网、鹿鸣健康网、鹿鸣文旅网已完成整改（详见附件2）。",
        ),
        ("附件2／表1／第2行／复查情况", "仍存在", "已整改"),
    ]);
    assert_eq!(document_changes(&old, &new), expected);
    // A correction of last quarter's file moves the comparison figures only.
    let dir = scratch("q1");
    let q1 = text_of("review-2024q1").replace(
        "{unit: 区民政局, name: 鹿鸣民政网}",
        "{unit: 区民政局, name: 鹿鸣民政网, d: {互动回应: 5}}",
    );
    std::fs::write(dir.join("review-2024q2.yaml"), text_of("review-2024q2")).unwrap();
    let before = prepare_at(&dir.join("review-2024q2.yaml")).unwrap();
    std::fs::write(dir.join("review-2024q1.yaml"), q1).unwrap();
    let after = prepare_at(&dir.join("review-2024q2.yaml")).unwrap();
    assert_eq!(
        document_changes(&before, &after),
        owned(&[(
            "正文／一、总体情况／第1段第2句",
            "区发展改革局、区民政局、区市场监管局得满分，满分网站3个，较上季度增加2个。",
            "区发展改革局、区民政局、区市场监管局得满分，满分网站3个，较上季度增加3个。",
        )])
    );
}

fn previous_problems(previous_yaml: Option<&str>, previous: &str) -> (bool, Vec<String>) {
    let dir = scratch("bad");
    if let Some(y) = previous_yaml {
        std::fs::write(dir.join("prev.yaml"), y).unwrap();
    }
    let q2 = text_of("review-2024q2").replace(
        "previous: review-2024q1.yaml",
        &format!("previous: {previous}"),
    );
    std::fs::write(dir.join("q2.yaml"), q2).unwrap();
    let (errors, report) = match prepare_at(&dir.join("q2.yaml")) {
        Ok(p) => (false, p.report),
        Err(r) => (true, r),
    };
    let lines = report
        .items
        .iter()
        .filter(|d| d.field == "previous")
        .map(|d| {
            let kind = if d.severity == Severity::Error {
                "错误"
            } else {
                "警告"
            };
            format!("{}:{} {kind} {}", d.pos.line, d.pos.column, d.message)
        })
        .collect();
    (errors, lines)
}

#[test]
fn a_previous_file_that_is_missing_or_does_not_load_is_an_error() {
    let (failed, l) = previous_problems(None, "nowhere.yaml");
    assert!(failed);
    assert_eq!(l.len(), 1, "{l:#?}");
    assert!(
        l[0].starts_with("18:11 错误 上一期文件“nowhere.yaml”不存在"),
        "{l:#?}"
    );
    // Its own errors, with its own file, line and column.
    let broken = text_of("review-2024q1").replace("number: 1\n", "number: 1\n  month: 3\n");
    let (failed, l) = previous_problems(Some(&broken), "prev.yaml");
    assert!(failed);
    assert_eq!(l.len(), 1, "{l:#?}");
    assert!(
        l[0].contains("上一期文件有误：")
            && l[0].contains("prev.yaml:11:11: quarter.number: 期间只能是一种"),
        "{l:#?}"
    );
    let (failed, l) = previous_problems(Some("document: ["), "prev.yaml");
    assert!(
        failed && l.len() == 1 && l[0].contains("prev.yaml:1:"),
        "{l:#?}"
    );
}

#[test]
fn a_previous_file_of_another_issuer_or_period_is_a_warning() {
    let other = text_of("review-2024q1").replace(
        "issuer: 鹿鸣区人民政府办公室",
        "issuer: 白鹭县人民政府办公室",
    );
    let (failed, l) = previous_problems(Some(&other), "prev.yaml");
    assert!(!failed);
    assert_eq!(
        l,
        ["18:11 警告 上一期文件的发文机关是“白鹭县人民政府办公室”，本文件是“鹿鸣区人民政府办公室”：比较的是另一机关的数据"]
    );
    let older =
        text_of("review-2024q1").replace("year: 2024\n  number: 1", "year: 2023\n  number: 4");
    let (failed, l) = previous_problems(Some(&older), "prev.yaml");
    assert!(!failed);
    assert_eq!(
        l,
        ["18:11 警告 上一期文件是2023年第四季度，不是2024年第二季度的上一期：“较上季度”的数字比较的是这两期"]
    );
}

#[test]
fn previous_quarter_file_correction_on_its_own() {
    // 鹿鸣健康网's 办事服务 deduction was 5, not 15: 55 → 65, it passes and keeps rank 9.
    let (old, new) = corrected(
        "review-2024q1",
        "d: {内容更新: 30, 办事服务: 15}",
        "d: {内容更新: 30, 办事服务: 5}",
    );
    assert_eq!(
        document_changes(&old, &new),
        owned(&[
            (
                "正文／一、总体情况／第1段第1句",
                "本季度共检查政府网站10个，合格8个，合格率80%；",
                "本季度共检查政府网站10个，合格9个，合格率90%；",
            ),
            (
                "正文／一、总体情况／第1段第2句",
                "鹿鸣健康网、鹿鸣文旅网不合格。",
                "鹿鸣文旅网不合格。",
            ),
            ("附件／表1／第5行／得分", "55", "65"),
            ("附件／表1／第5行／检查结果", "不合格", "合格"),
        ])
    );
}
