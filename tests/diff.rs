//! Corrections: one changed deduction in seed 000 changes exactly the figures and text that
//! depend on it, and nothing else.

use std::path::PathBuf;
use std::process::Command;

use tongbao::compose::Templates;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn prepare_text(name: &str, text: &str) -> tongbao::Prepared {
    let dir = std::env::temp_dir().join(format!("tongbao-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    tongbao::prepare(&path, &Templates::new(None).unwrap(), None).unwrap_or_else(|r| panic!("{r}"))
}

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
