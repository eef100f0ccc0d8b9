//! The pipeline on the three seed fixtures: golden IR text, closeness to the published text,
//! and the contradictions `check` must find in seed 000.

mod common;

use common::{golden, root};
use tongbao::diag::Severity;

fn prepare(name: &str) -> tongbao::Prepared {
    common::fixture(name, None)
}

const FIXTURES: [(&str, &str); 3] = [
    ("seed-000", "000_5792efe19ea18838.txt"),
    ("seed-002", "002_67656402bc185d66.txt"),
    ("seed-004", "004_77bad30589fd1abc.txt"),
];

fn strip(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn seed(file: &str) -> String {
    let path = root().join("tests/data/seeds").join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("seed {} not found", path.display()));
    text.replace("[image: image1]", "")
}

#[test]
fn golden_ir_text() {
    for (name, _) in FIXTURES {
        golden(&format!("{name}.txt"), &prepare(name).document.plain_text());
    }
}

#[test]
fn fixtures_reproduce_the_published_text() {
    for (name, seed_file) in FIXTURES {
        let ours = strip(&prepare(name).document.plain_text());
        let theirs = strip(&seed(seed_file));
        let ratio = similar::TextDiff::configure()
            .timeout(std::time::Duration::from_secs(20))
            .diff_chars(&theirs, &ours)
            .ratio();
        assert!(ratio >= 0.98, "{name}: similarity {ratio:.4} < 0.98");
    }
}

fn messages(p: &tongbao::Prepared, severity: Severity) -> Vec<String> {
    p.report
        .items
        .iter()
        .filter(|d| d.severity == severity)
        .map(|d| format!("{}: {}", d.field, d.message))
        .collect()
}

#[test]
fn seed_000_contradictions_are_reported_and_computed_figures_used() {
    let p = prepare("seed-000");
    let c = messages(&p, Severity::Contradiction);
    let has = |needle: &str| c.iter().any(|m| m.contains(needle));
    assert!(has("满分单位数：文中写 27，按数据计算为 24"), "{c:#?}");
    assert!(has(
        "“区水利局专栏”写明检查结果“合格”，计算结果应为“不合格”（单项否决为“是”）"
    ));
    assert!(has("“雍溪镇专栏”写明排名 64，按得分 70 排名应为 62"));
    assert!(has("“季家镇专栏”写明排名 65，按得分 70 排名应为 62"));
    assert!(has("检查总数：文中写 65，按数据计算为 63"));
    // Every published score recomputes from the deductions: no score contradiction.
    assert!(!c.iter().any(|m| m.contains(".score:")), "{c:#?}");
    let text = p.document.plain_text();
    assert!(text.contains("检查部门、镇街专栏63个，检查比例100%，合格率96.8%"));
    assert!(text.contains("经开区办公室、区教委、区科技局等24个单位满分"));
    assert!(text.contains("15\t区水利局\t区水利局专栏\t是\t\t20\t\t\t1\t\t\t\t79\t不合格\t61"));
    assert!(text.contains("22\t区审计局\t区审计局专栏\t否\t\t10\t\t\t不考核\t\t\t\t88.9\t合格\t53"));
}

#[test]
fn seed_000_scores_recompute_to_the_published_ones() {
    let p = prepare("seed-000");
    let sites = &p.results.inspections[0];
    let media = &p.results.inspections[1];
    assert_eq!((sites.items.len(), media.items.len()), (63, 33));
    let scores: Vec<&str> = sites.items.iter().map(|i| i.score.as_str()).collect();
    assert_eq!(scores.iter().filter(|s| **s == "100").count(), 25);
    assert_eq!(scores.iter().filter(|s| **s == "88.9").count(), 4);
    assert_eq!(media.full_mark_count, 29);
    assert_eq!(media.pass_rate, "100%");
}

#[test]
fn seed_002_rates_and_tiers() {
    let p = prepare("seed-002");
    assert!(p.report.items.is_empty(), "{}", p.report);
    let text = p.document.plain_text();
    assert!(text.contains("检查合格44个,合格率97.7%"));
    assert!(text.contains("存在突出问题的政务新媒体2个,合格率99.2%"));
    assert!(text.contains("第四等次\t单否情形\t“市科技局”网 “市国资委”网 “市水利局”网"));
}

#[test]
fn seed_004_counts_across_inspections() {
    let p = prepare("seed-004");
    let text = p.document.plain_text();
    assert!(text.contains("检查中发现存在问题的单位有24家"));
    assert!(text.contains("共7家政务新媒体发布的信息有21处错敏问题"));
    assert!(text.contains("17家“村（居）信息公开平台”"));
}
