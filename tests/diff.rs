//! Corrections: one changed datum in a fixture (the seeds, fixtures/example.yaml, city-large)
//! changes exactly the figures and text that depend on it, and nothing else.

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{prepare_text, root};

fn seed_000() -> String {
    std::fs::read_to_string(root().join("fixtures/seed-000.yaml")).unwrap()
}

/// 区教委 loses 10 points in 季度检查: 100 → 90.
fn corrected() -> String {
    let old = seed_000();
    let new = old.replace(
        "{unit: 区教委, name: 区教委专栏, score: 100",
        "{unit: 区教委, name: 区教委专栏, d: {季度检查: 10}, score: 100",
    );
    assert_ne!(old, new);
    new
}

#[test]
fn one_deduction_changes_exactly_its_dependents() {
    let old = prepare_text("old.yaml", &seed_000());
    let new = prepare_text("new.yaml", &corrected());
    let d = tongbao::diff::diff(&old, &new);
    assert!(d.warnings.is_empty());
    let places: Vec<&str> = d.document.iter().map(|c| c.place.as_str()).collect();

    // The sentence citing the full-mark count and list, and nothing else in the prose.
    let prose: Vec<_> = d
        .document
        .iter()
        .filter(|c| c.place.starts_with("正文"))
        .collect();
    assert_eq!(prose.len(), 1, "{prose:#?}");
    assert_eq!(prose[0].place, "正文／一、总体情况／第1段第2句");
    assert_eq!(prose[0].new, "其中，经开区办公室、区科技局等23个单位满分。");

    // The unit's own row: deduction, score, rank.
    for cell in [
        "附件1／表1／第3行／内容更新（50分）／季度检查",
        "附件1／表1／第3行／得分",
        "附件1／表1／第3行／排名",
    ] {
        assert!(places.contains(&cell), "{cell} not in {places:#?}");
    }
    // Every unit ranked below 100 and above 90 moves up one place; those at 90 make room.
    let rank_rows: Vec<(usize, &str, &str)> = d
        .document
        .iter()
        .filter(|c| c.place.ends_with("／排名") && c.place.starts_with("附件1"))
        .map(|c| {
            let row: usize = c
                .place
                .split("第")
                .nth(1)
                .unwrap()
                .split('行')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            (row, c.old.as_str(), c.new.as_str())
        })
        .collect();
    // Exactly these ranks move (row, old, new): 99s, 98s and 97 go up one place as 区教委
    // leaves the 100s; the 90s go up too because 区教委 now ties with them at 41st.
    let expected: Vec<(usize, &str, &str)> = vec![
        (3, "1", "41"),
        (5, "26", "25"),
        (6, "26", "25"),
        (7, "41", "40"),
        (8, "26", "25"),
        (11, "36", "35"),
        (12, "26", "25"),
        (13, "36", "35"),
        (14, "36", "35"),
        (16, "26", "25"),
        (17, "36", "35"),
        (19, "36", "35"),
        (25, "26", "25"),
        (26, "26", "25"),
        (30, "42", "41"),
        (35, "26", "25"),
        (36, "26", "25"),
        (37, "26", "25"),
        (40, "42", "41"),
        (46, "42", "41"),
        (50, "42", "41"),
        (52, "42", "41"),
        (54, "42", "41"),
        (57, "42", "41"),
    ];
    assert_eq!(rank_rows, expected);
    // Units at 89 or below keep their rank.
    assert!(!rank_rows.iter().any(|(row, _, _)| *row == 2));

    // Nothing outside the prose sentence and attachment 1 changes.
    assert!(
        d.document
            .iter()
            .all(|c| c.place.starts_with("正文") || c.place.starts_with("附件1／表1")),
        "{places:#?}"
    );
    assert_eq!(d.document.len(), 1 + 2 + 24);

    // Input and computed sides name the change and what it moved.
    assert_eq!(d.input.len(), 1);
    assert_eq!(
        d.input[0].place,
        "部门、镇街专栏／区教委/区教委专栏／季度检查"
    );
    assert!(d
        .computed
        .iter()
        .any(|c| c.place.ends_with("满分单位数") && c.old == "24" && c.new == "23"));
    assert!(d
        .computed
        .iter()
        .any(|c| c.place.ends_with("满分名单") && c.old == "移出：区教委"));
}

#[test]
fn identical_files_have_no_document_changes() {
    let a = prepare_text("a.yaml", &seed_000());
    let b = prepare_text("b.yaml", &seed_000());
    let d = tongbao::diff::diff(&a, &b);
    assert!(d.documents_identical() && d.input.is_empty() && d.computed.is_empty());
}

#[test]
fn correction_block_renders_only_when_present() {
    let plain = prepare_text("plain.yaml", &seed_000());
    let with = seed_000().replace(
        "\nquarter:",
        "\ncorrection:\n  date: 2021-07-12\n  reason: 区教委季度检查扣分有误\n  notice: 因{{correction.reason}}，本通报于{{correction.date}}更正后重新印发。\nquarter:",
    );
    let fixed = prepare_text("fixed.yaml", &with);
    let last = |p: &tongbao::Prepared| p.document.body.last().cloned();
    assert_ne!(last(&plain), last(&fixed));
    assert!(fixed
        .document
        .plain_text()
        .contains("因区教委季度检查扣分有误，本通报于2021年7月12日更正后重新印发。"));
    assert!(!plain.document.plain_text().contains("更正"));
}

#[test]
fn cli_exit_codes() {
    let dir = std::env::temp_dir().join(format!("tongbao-diff-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (a, b, bad) = (dir.join("a.yaml"), dir.join("b.yaml"), dir.join("bad.yaml"));
    std::fs::write(&a, seed_000()).unwrap();
    std::fs::write(&b, corrected()).unwrap();
    std::fs::write(&bad, "document: [").unwrap();
    let run = |x: &PathBuf, y: &PathBuf, json: bool| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_tongbao"));
        c.arg("diff").arg(x).arg(y);
        if json {
            c.args(["--format", "json"]);
        }
        c.output().unwrap()
    };
    assert_eq!(run(&a, &a, false).status.code(), Some(0));
    let o = run(&a, &b, false);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).contains("排名：1 → 41"));
    let j = run(&a, &b, true);
    let v: serde_json::Value = serde_json::from_slice(&j.stdout).unwrap();
    assert_eq!(v["input"].as_array().unwrap().len(), 1);
    assert_eq!(run(&a, &bad, false).status.code(), Some(2));
}

/// The document changes when `from` becomes `to` in fixtures/<name>.yaml, as (place, old, new).
fn seed_correction(name: &str, from: &str, to: &str) -> Vec<(String, String, String)> {
    let old = std::fs::read_to_string(root().join(format!("fixtures/{name}.yaml"))).unwrap();
    assert_eq!(old.matches(from).count(), 1, "{from}");
    let a = prepare_text(&format!("{name}-a.yaml"), &old);
    let b = prepare_text(&format!("{name}-b.yaml"), &old.replace(from, to));
    tongbao::diff::diff(&a, &b)
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

/// Seed 000's 部门/镇街 counts come from the accounts' category: one account moved, one
/// sentence changes (no table shows the category).
#[test]
fn seed_000_account_category_moves_the_prose_counts() {
    let changes = seed_correction(
        "seed-000",
        "{unit: 海棠新城开发区, category: 部门",
        "{unit: 海棠新城开发区, category: 镇街",
    );
    assert_eq!(
        changes,
        owned(&[(
            "正文／一、总体情况／第1段第3句",
            "共检查政府系统政务新媒体33个，部门政务新媒体28个，镇街政务新媒体5个，检查比例100%，合格率100%。",
            "共检查政府系统政务新媒体33个，部门政务新媒体27个，镇街政务新媒体6个，检查比例100%，合格率100%。",
        )])
    );
}

/// Seed 002: one account's problem withdrawn: the count and rate (238 of 239 = 99.6%), the
/// accounts named in 存在的问题, and the problem list (its row goes, the next moves up).
#[test]
fn seed_002_withdrawn_problem_changes_counts_names_and_list() {
    let changes = seed_correction(
        "seed-002",
        "name: 健康广元(抖音), problems: [监测时间点前2周内无更新]",
        "name: 健康广元(抖音)",
    );
    assert_eq!(
        changes,
        owned(&[
            (
                "正文／一、总体情况／第1段第6句",
                "检查发现存在突出问题的政务新媒体2个,合格率99.2%。",
                "检查发现存在突出问题的政务新媒体1个,合格率99.6%。",
            ),
            (
                "正文／三、存在的问题／第5段第2句",
                "个别单位主办责任落实不到位,未按规定要求及时更新账号信息,如健康广元(抖音)、广元应急管理 (今日头条)。",
                "个别单位主办责任落实不到位,未按规定要求及时更新账号信息,如广元应急管理 (今日头条)。",
            ),
            ("附件1／表1／第2行／名称", "健康广元(抖音)", "广元应急管理 (今日头条)"),
            ("附件1／表1／第2行／责任单位", "市卫生健康委", "市应急管理局"),
            ("附件1／表1／第3行／序号", "3", ""),
            ("附件1／表1／第3行／名称", "广元应急管理 (今日头条)", ""),
            ("附件1／表1／第3行／责任单位", "市应急管理局", ""),
            ("附件1／表1／第3行／存在问题", "监测时间点前2周内无更新", ""),
        ])
    );
}

/// Seed 004: the 科经局 account's problem was a 严重表述错误, not 超2周未更新: its sentence
/// goes (the paragraph's later sentences move up one), the 错敏 count goes from 7 to 8, its cell
/// in 附件1 changes.
#[test]
fn seed_004_reclassified_problem_changes_sentences_and_cell() {
    let changes = seed_correction(
        "seed-004",
        "problems: [超2周未更新]",
        "problems: [出现严重表述错误]",
    );
    let towns =
        "万店镇人民政府、曾都经济开发区管理委员会等2家“镇办信息公开平台”多个栏目应更新未更新。";
    let depts = "区司法局、区自然资源和规划局、区卫生健康局、区应急管理局、区统计局等5家“部门信息公开平台”多个栏目应更新未更新。";
    let villages = "万店镇兴隆村村民委员会、泉水寺村村民委员会，何店镇乔麦河村村民委员会、金花岭村村民委员会、三岔湖村村民委员会、向阳村村民委员会、汪谌村村民委员会、棋盘山村村民委员会，曾都经济开发区星光社区居民委员会、龚家棚村村民委员会、太山庙村村民委员会、新春村村民委员会、首义社区居民委员会、六草屋社区居民委员会、两水沟社区居民委员会、周家寨村村民委员会、余家老湾村村民委员会等17家“村（居）信息公开平台”多个栏目应更新未更新。";
    assert_eq!(
        changes,
        owned(&[
            ("正文／二、存在主要问题／第1段第2句", "“曾都区科经局”微信公众号信息超2周未更新。", towns),
            ("正文／二、存在主要问题／第1段第3句", towns, depts),
            ("正文／二、存在主要问题／第1段第4句", depts, villages),
            ("正文／二、存在主要问题／第1段第5句", villages, ""),
            (
                "正文／二、存在主要问题／第2段第2句",
                "在政务新媒体检查中发现共7家政务新媒体发布的信息有21处错敏问题，部分单位落实日常巡检、信息发布审核制度不力，未及时发现稿件中存在的严重表述错误。",
                "在政务新媒体检查中发现共8家政务新媒体发布的信息有21处错敏问题，部分单位落实日常巡检、信息发布审核制度不力，未及时发现稿件中存在的严重表述错误。",
            ),
            ("附件1／表1／第7行／存在的突出问题", "超2周未更新", "出现严重表述错误"),
        ])
    );
}

/// fixtures/example.yaml: 乙镇's 周扫描 was 12, not 4 (100 − 12÷2 − 2: 96 → 92): it leaves the
/// 95分及以上 band (the prose count, both band rows of 附件2) and its own row of 附件1; at 92 it
/// still ranks 3rd (ahead of 90 and 88.9), and 附件3 (results only) does not move.
#[test]
fn example_one_deduction_moves_a_site_between_bands() {
    let changes = seed_correction(
        "example",
        "d: {周扫描: 4, 政策解读: 2}",
        "d: {周扫描: 12, 政策解读: 2}",
    );
    assert_eq!(
        changes,
        owned(&[
            (
                "正文／一、总体情况／第1段第2句",
                "其中，区发展改革委、甲镇等2个单位满分，得分95分及以上的3个；",
                "其中，区发展改革委、甲镇等2个单位满分，得分95分及以上的2个；",
            ),
            ("附件1／表1／第5行／内容更新（50分）／周扫描", "4", "12"),
            ("附件1／表1／第5行／得分", "96", "92"),
            (
                "附件2／表1／第1行／得分区间",
                "95分及以上（3个）",
                "95分及以上（2个）"
            ),
            (
                "附件2／表1／第1行／专栏名称",
                "区发展改革委专栏；甲镇专栏、乙镇专栏",
                "区发展改革委专栏；甲镇专栏",
            ),
            (
                "附件2／表1／第2行／得分区间",
                "95分以下（2个）",
                "95分以下（3个）"
            ),
            // Sorted by score, 乙镇 (92) comes first: its category's cluster leads.
            (
                "附件2／表1／第2行／专栏名称",
                "区教委专栏、区审计局专栏",
                "乙镇专栏；区教委专栏、区审计局专栏",
            ),
        ])
    );
}

/// fixtures/city-large.yaml (88 sites, 1,146 accounts): one account's problem withdrawn: the
/// one sentence counting problems changes, and no table (none lists problems).
#[test]
fn city_large_withdrawn_problem_changes_one_sentence() {
    let changes = seed_correction(
        "city-large",
        "name: 江州发改服务, platform: 抖音, d: {错情整改: 20}, problems: [发布内容存在错敏信息且未及时整改]}",
        "name: 江州发改服务, platform: 抖音, d: {错情整改: 20}}",
    );
    assert_eq!(
        changes,
        owned(&[
            (
                "正文／二、存在问题／第1段第1句",
                "检查发现存在问题的政务新媒体415个，问题主要有：网民留言未及时回复（156个）；",
                "检查发现存在问题的政务新媒体414个，问题主要有：网民留言未及时回复（156个）；",
            ),
            (
                "正文／二、存在问题／第1段第4句",
                "发布内容存在错敏信息且未及时整改（82个）。",
                "发布内容存在错敏信息且未及时整改（81个）。",
            ),
        ])
    );
}

/// Seed 000's table headers print the scheme's maxima (政策解读（10分）, 内容更新（50分）): a
/// changed maximum changes its header cell, and nothing else (no score depends on a maximum).
#[test]
fn seed_000_changed_maximum_changes_its_header() {
    let changes = seed_correction(
        "seed-000",
        "{name: 政策解读, max: 10}",
        "{name: 政策解读, max: 12}",
    );
    assert_eq!(
        changes,
        owned(&[(
            "附件1／表1／表头第1行第7列",
            "政策解读（10分）",
            "政策解读（12分）"
        )])
    );
    let changes = seed_correction(
        "seed-000",
        "{name: 周扫描, group: 内容更新, group_max: 60}",
        "{name: 周扫描, group: 内容更新, group_max: 65}",
    );
    assert_eq!(
        changes,
        owned(&[(
            "附件2／表1／表头第1行第7列",
            "内容更新（60分）",
            "内容更新（65分）"
        )])
    );
}
