//! The city-level generator: the shipped fixture is its default output, other sizes and seeds
//! are valid quarters, and the generated document's prose agrees with its tables.

mod common;

use std::process::Command;

use tongbao::generate::{quarter_yaml, Params};
use tongbao::ir::AttachmentBlock;

#[test]
fn city_large_fixture_is_the_generator_default() {
    let shipped = std::fs::read_to_string(common::root().join("fixtures/city-large.yaml")).unwrap();
    assert!(
        shipped == quarter_yaml(&Params::default()),
        "fixtures/city-large.yaml is stale: run `tongbao generate --force -o fixtures/city-large.yaml`"
    );
}

#[test]
fn same_parameters_same_bytes_other_seed_other_data() {
    let p = Params {
        sites: 20,
        accounts: 300,
        seed: 7,
    };
    assert_eq!(quarter_yaml(&p), quarter_yaml(&p));
    assert_ne!(quarter_yaml(&p), quarter_yaml(&Params { seed: 8, ..p }));
}

#[test]
fn any_size_gives_a_clean_quarter_and_sound_prose() {
    let dir = std::env::temp_dir().join(format!("tongbao-sizes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (sites, accounts) in [(1, 1), (5, 20), (88, 5000), (200, 20)] {
        let yaml = quarter_yaml(&Params {
            sites,
            accounts,
            seed: 3,
        });
        let file = dir.join(format!("q-{sites}-{accounts}.yaml"));
        std::fs::write(&file, yaml).unwrap();
        let p = common::prepare_file(&file, None);
        assert_eq!(p.report.to_string(), "", "{sites}/{accounts}");
        assert_eq!(p.results.inspections[0].items.len(), sites);
        assert_eq!(p.results.inspections[1].items.len(), accounts);
        // No sentence left with an empty list where the data has nothing to name.
        let text = p.document.plain_text();
        for broken in ["其中综合", "：。", "等0个", "，。"] {
            assert!(
                !text.contains(broken),
                "{sites}/{accounts}: {broken}\n{text}"
            );
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The body rows of attachment `n` (0-based).
fn table_rows(doc: &tongbao::ir::Document, n: usize) -> Vec<Vec<String>> {
    let table = doc.attachments[n]
        .content
        .iter()
        .find_map(|b| match b {
            AttachmentBlock::Table(t) => Some(t),
            _ => None,
        })
        .expect("attachment has a table");
    assert_eq!(table.header.len(), 2, "two-row header under 内容更新");
    table
        .rows
        .iter()
        .map(|r| r.iter().map(|c| c.text.clone()).collect())
        .collect()
}

#[test]
fn city_large_prose_agrees_with_its_tables() {
    let p = common::fixture("city-large", None);
    assert_eq!(
        p.report.to_string(),
        "",
        "the generated quarter states nothing wrong"
    );
    let text = p.document.plain_text();
    for (n, id, count) in [(0, "sites", 88), (1, "media", 1146)] {
        let r = &p.results.inspections[n];
        assert_eq!(r.id, id);
        assert_eq!(r.count, count);
        let rows = table_rows(&p.document, n);
        assert_eq!(rows.len(), count as usize);
        let result_col = rows[0].len() - 2;
        let passed = rows.iter().filter(|r| r[result_col] == "合格").count();
        assert_eq!(passed as u32, r.passed);
        assert!(text.contains(&format!("合格{passed}个，合格率{}", r.pass_rate)));
        // Bands as the prose states them, recounted from the score column (a vetoed unit
        // shows no score by the default veto rule, and is in no band).
        let score_col = rows[0].len() - 3;
        let scores: Vec<f64> = rows
            .iter()
            .filter(|r| !r[score_col].is_empty())
            .map(|r| r[score_col].parse().unwrap())
            .collect();
        let top = scores.iter().filter(|&&s| s >= 110.0).count();
        let next = scores
            .iter()
            .filter(|&&s| (100.0..110.0).contains(&s))
            .count();
        assert!(top > 0 && next > 0, "both bands are populated");
        assert!(text.contains(&format!("得分110分及以上的{top}个，100—110分的{next}个")));
    }
    let media = &p.results.inspections[1];
    assert_eq!(
        media
            .platforms
            .iter()
            .map(|c| c.label.as_str())
            .collect::<Vec<_>>(),
        ["微信公众号", "新浪微博", "抖音", "今日头条", "快手"]
    );
    assert!(media.problem_count > 0 && media.problem_count < 1146);
}

#[test]
fn generate_command_writes_once_and_needs_force_to_overwrite() {
    let dir = std::env::temp_dir().join(format!("tongbao-generate-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("q.yaml");
    let run = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_tongbao"))
            .args(["generate", "--sites", "3", "--accounts", "10", "-o"])
            .arg(&out)
            .args(extra)
            .output()
            .unwrap()
    };
    assert!(run(&[]).status.success());
    let first = std::fs::read(&out).unwrap();
    let refused = run(&["--seed", "2"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("未覆盖"));
    assert_eq!(std::fs::read(&out).unwrap(), first);
    assert!(run(&["--seed", "2", "--force"]).status.success());
    let second = std::fs::read(&out).unwrap();
    assert_ne!(second, first);
    // A quarter needs at least one site and one account: a usage error, the file untouched.
    let empty = Command::new(env!("CARGO_BIN_EXE_tongbao"))
        .args(["generate", "--accounts", "0", "--force", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(empty.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&empty.stderr).contains("取值“0”无效"));
    assert_eq!(std::fs::read(&out).unwrap(), second);
    std::fs::remove_dir_all(&dir).unwrap();
}
