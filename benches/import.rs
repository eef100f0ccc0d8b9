//! Importing an inspection's items from a spreadsheet (issue 14: under 20 ms for 1,200 rows):
//! a platform-style workbook of 1,200 accounts (a title row, a two-row header with merged
//! cells, 是/否, 不考核, blank cells, numbers stored as text), written once by rust_xlsxwriter;
//! measured: the items read (workbook, header, mapping, every row through the model), and the
//! whole load of a quarter file that imports them. Figures are kept in bench/README.md.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use rust_xlsxwriter::Workbook;

const ROWS: usize = 1_200;

const PLATFORMS: [&str; 5] = ["微信公众号", "新浪微博", "抖音", "今日头条", "快手"];

fn workbook(path: &Path) {
    let mut book = Workbook::new();
    let s = book.add_worksheet();
    s.set_name("政务新媒体").unwrap();
    s.merge_range(
        0,
        0,
        0,
        8,
        "2024年第二季度政务新媒体检查结果",
        &Default::default(),
    )
    .unwrap();
    for (c, h) in ["序号", "主办单位", "账号名称", "平台", "单项否决"]
        .iter()
        .enumerate()
    {
        s.merge_range(1, c as u16, 2, c as u16, h, &Default::default())
            .unwrap();
    }
    s.merge_range(1, 5, 1, 6, "内容更新", &Default::default())
        .unwrap();
    s.write(2, 5, "周扫描").unwrap();
    s.write(2, 6, "季度检查").unwrap();
    s.merge_range(1, 7, 2, 7, "互动回应", &Default::default())
        .unwrap();
    s.merge_range(1, 8, 2, 8, "加分", &Default::default())
        .unwrap();
    for i in 0..ROWS {
        let r = 3 + i as u32;
        s.write(r, 0, (i + 1) as f64).unwrap();
        s.write(r, 1, format!("第{}单位", i / 3 + 1)).unwrap();
        s.write(r, 2, format!("账号{}", i + 1)).unwrap();
        s.write(r, 3, PLATFORMS[i % PLATFORMS.len()]).unwrap();
        s.write(r, 4, if i % 97 == 0 { "是" } else { "否" })
            .unwrap();
        if i % 4 != 0 {
            s.write(r, 5, (i % 5) as f64).unwrap();
        }
        // Numbers stored as text, as platform exports often do.
        s.write(r, 6, format!("{}", (i % 3) * 5)).unwrap();
        if i % 50 == 0 {
            s.write(r, 7, "不考核").unwrap();
        } else {
            s.write(r, 7, (i % 2) as f64).unwrap();
        }
        if i % 10 == 0 {
            s.write(r, 8, 2.0).unwrap();
        }
    }
    book.save(path).unwrap();
}

const MAPPING: &str = "from: 检查结果.xlsx\nsheet: 政务新媒体\nheader_row: 3\ncolumns: {序号: ~, 主办单位: unit, 账号名称: name, 平台: platform, 单项否决: veto, 内容更新/周扫描: d.周扫描, 内容更新/季度检查: d.季度检查, 互动回应: d.互动回应, 加分: d.加分}\n";

fn quarter_yaml() -> String {
    let items: String = MAPPING.lines().map(|l| format!("      {l}\n")).collect();
    format!(
        "document: {{issuer: 某某区人民政府办公室, date: 2024-07-05}}\nquarter: {{year: 2024, number: 2}}\ninspections:\n  - id: media\n    kind: 政务新媒体\n    scheme:\n      indicators:\n        - {{name: 周扫描, group: 内容更新}}\n        - {{name: 季度检查, group: 内容更新}}\n        - {{name: 互动回应}}\n        - {{name: 加分, bonus: true}}\n      formulas:\n        - expr: 100-（周扫描÷2）-季度检查-互动回应+加分\n        - {{when_not_assessed: [互动回应], expr: \"[90-（周扫描÷2）-季度检查+加分]×100÷90\"}}\n    items:\n{items}"
    )
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    workbook(&dir.path().join("检查结果.xlsx"));
    let quarter = dir.path().join("q.yaml");
    std::fs::write(&quarter, quarter_yaml()).unwrap();
    let spec: tongbao::import::Spec = serde_saphyr::from_str(MAPPING).unwrap();

    // Once outside the loop: every row read, no problem found.
    let mut found = Vec::new();
    let items = tongbao::import::read(&spec, dir.path(), &mut found);
    assert_eq!(items.len(), ROWS);
    assert!(found.is_empty(), "{found:?}");
    let (q, report) = tongbao::load::load_file(&quarter).unwrap();
    assert_eq!(q.inspections[0].items.len(), ROWS);
    assert!(!report.has_errors());

    let mut g = c.benchmark_group("import 1200 rows");
    g.bench_function("read items (xlsx)", |b| {
        b.iter(|| {
            let mut found = Vec::new();
            tongbao::import::read(&spec, dir.path(), &mut found)
        })
    });
    g.bench_function("load quarter file", |b| {
        b.iter(|| tongbao::load::load_file(&quarter).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
