//! A realistic test document built by hand from seed 000 (大足 2021 Q2): prose, run-in
//! headings, 附件说明, signature, 附注, two attachment tables (63 and 33 rows, the first with
//! 内容更新 merged over 周扫描/季度检查) and the 版记.
#![allow(dead_code)]

pub mod schema;

use tongbao::ir::*;

pub fn para(text: &str) -> Block {
    Block::Paragraph {
        runs: vec![Run {
            text: text.into(),
            role: RunRole::Body,
        }],
    }
}

pub fn heading(level: u8, text: &str) -> Block {
    Block::Heading {
        level,
        text: text.into(),
    }
}

pub fn run_in(head: &str, rest: &str) -> Block {
    Block::Paragraph {
        runs: vec![
            Run {
                text: head.into(),
                role: RunRole::Heading(2),
            },
            Run {
                text: rest.into(),
                role: RunRole::Body,
            },
        ],
    }
}

fn tsv(data: &str) -> Vec<Vec<Cell>> {
    data.lines()
        .map(|l| l.split('\t').map(Cell::new).collect())
        .collect()
}

fn columns(n: usize) -> Vec<Column> {
    (0..n)
        .map(|_| Column {
            width: None,
            align: Align::Center,
            hint_at: None,
        })
        .collect()
}

/// A header row: cells spanning both header rows, except `split` which spans two columns
/// over `sub` in the second row.
fn two_row_header(before: &[&str], split: &str, sub: [&str; 2], after: &[&str]) -> Vec<Vec<Cell>> {
    let mut top: Vec<Cell> = before.iter().map(|t| Cell::span(*t, 1, 2)).collect();
    top.push(Cell::span(split, 2, 1));
    top.extend(after.iter().map(|t| Cell::span(*t, 1, 2)));
    vec![top, vec![Cell::new(sub[0]), Cell::new(sub[1])]]
}

pub fn table1() -> Table {
    Table {
        columns: columns(15),
        header: two_row_header(
            &["序号", "主管单位", "名称", "单项否决"],
            "内容更新（50分）",
            ["周扫描", "季度检查"],
            &[
                "政策解读（10分）",
                "错情整改（20分）",
                "办事指南（10分）",
                "公开信箱（8分）",
                "网站找错（2分）",
                "加分（20分）",
                "得分",
                "检查结果",
                "排名",
            ],
        ),
        rows: tsv(include_str!("../data/seed000-table1.tsv")),
    }
}

pub fn table2() -> Table {
    Table {
        columns: columns(14),
        header: two_row_header(
            &[
                "序号",
                "主管单位",
                "政务新媒体名称",
                "类别",
                "单项否决",
                "基本信息（10分）",
            ],
            "内容更新（60分）",
            ["周扫描", "季度检查"],
            &[
                "错情整改（20分）",
                "功能设计（10分）",
                "加分（20分）",
                "得分",
                "检查结果",
                "排名",
            ],
        ),
        rows: tsv(include_str!("../data/seed000-table2.tsv")),
    }
}

/// A table of `n` rows shaped like table 1 (the city-level case).
pub fn big_table(n: usize) -> Table {
    let mut t = table1();
    let base = t.rows.clone();
    t.rows = (0..n)
        .map(|i| {
            let mut r = base[i % base.len()].clone();
            r[0] = Cell::new((i + 1).to_string());
            r
        })
        .collect();
    t
}

pub fn seed000() -> Document {
    let title = "关于2021年第二季度全区政府网站和政府系统政务新媒体检查情况的通报";
    let a1 = "2021年第二季度全区政府网站专栏检查情况统计表";
    let a2 = "2021年第二季度全区政府系统政务新媒体检查情况统计表";
    let time = AttachmentBlock::Paragraph {
        text: "检查时间：2021年4月1至6月30日".into(),
        align: Align::Left,
    };
    Document {
        meta: Meta {
            title: title.into(),
            issuer: "重庆市大足区人民政府办公室".into(),
            date: tongbao::date::Date::parse("2021-07-07").ok(),
            script: tongbao::zh::Script::Hans,
            doc_number: Some("大足府办发〔2021〕85号".into()),
            index_number: None,
        },
        header: Header {
            copy_number: None,
            secrecy: None,
            urgency: None,
            issuer_mark: Some("重庆市大足区人民政府办公室".into()),
            doc_number: Some("大足府办发〔2021〕85号".into()),
        },
        title: title.into(),
        recipients: Some("各镇街人民政府（办事处），区政府各部门，有关单位".into()),
        body: vec![
        para("为深入贯彻党中央、国务院决策部署，以及市委、市政府关于深化政务公开、加强数字政府建设的工作要求，落实区委、区政府关于推进政务公开、建设“网上政府”的工作安排，积极推动全区政府网站和政务新媒体健康有序发展，更好传播政府声音，及时回应社会关切，按照《重庆市大足区人民政府办公室关于印发大足区政府网站和政务新媒体运行管理考核方案的通知》（大足府办发〔2020〕117号），区政府办公室组织开展了2021年第二季度全区政府网站和政府系统政务新媒体检查工作，现将相关情况通报如下："),
        heading(1, "一、总体情况"),
        para("此次共检查部门、镇街专栏65个，检查比例100%，合格率100%。其中，经开区办公室、区教委、区科技局、区应急局等27个单位满分。共检查政府系统政务新媒体33个，部门政务新媒体28个，镇街政务新媒体5个，检查比例100%，合格率100%。其中，区政府新闻办、区文化旅游委、区政务服务管理办等29个政府系统政务新媒体满分。从检查情况看，各政府网站专栏和政府系统政务新媒体运行总体良好，各单位均能认真对照大足府办发〔2020〕117号文件要求整改优化，切实加强信息内容建设，不断提升政府网站和政务新媒体政务服务能力和规范化管理水平。"),
        heading(1, "二、存在问题"),
        para("一是个别政府网站专栏仍存在长期不更新或更新不及时的栏目。二是部分单位未严格落实“三审三校”制度，发布信息存在图片无法显示、错误链接、错别字等问题。三是多数单位办事指南存在办理材料格式要求不明确、信息错误、或与实际办事要求不一致等问题。四是个别政府网站专栏领导信息栏目存在领导照片、分管工作、个人简历缺失的问题。五是个别单位存在政策解读力度不够，解读数量较少，解读质量不高的问题。"),
        heading(1, "三、工作要求"),
        run_in("（一）进一步强化日常监管。", "各单位要充分认识做好政府网站专栏和政务新媒体日常管理和常态化监管工作的重要性，扎实做好内容更新、审核把关、安全防护、互动回应、办事服务等基础工作，对区政府信息网络中心日扫描、周调度排查出的问题要及时核实整改，并按要求反馈整改情况。政府网站专栏、政务新媒体和政务公开分管领导及工作人员发生变化的，要及时向区政府信息网络中心报备，政务公开分管领导发生变化的，还需在本单位政府网站专栏领导信息栏目中进行变更。"),
        run_in("（二）进一步规范政策解读。", "各单位要高度重视政策解读工作，按照《重庆市大足区人民政府办公室关于开展行政机关政策解读工作的通知》（大足府办发〔2020〕48号）要求，做好行政规范性文件、涉及面广、社会关注度高、专业性强、与群众利益密切相关的其他政策性文件的解读工作。进一步提高解读质量，丰富政策解读形式，提倡运用图片、图表、图解、动漫、音视频等展现方式，使解读材料更可视、可读、可感。"),
        run_in("（三）进一步完善办事指南。", "各单位要依托“渝快办”政务服务平台，进一步完善政务服务事项办事指南，建立健全办事指南动态调整机制。确保事项名称、设定依据、申请条件、办理材料、办理地点、办理机构、收费标准、办理时间、联系电话、办理流程等重点要素类别完整，办理要求表述准确，办理材料格式要求明确。"),
        run_in("（四）进一步做好政务新媒体管理。", "各单位要严格落实政务新媒体备案管理制度，规范开设、变更、关停、注销等流程。加强对政务新媒体发布信息的审核，统筹推动政务新媒体与政府网站专栏整体协同发展，共享信息资源，同步更新重点领域内容，切实提高政务新媒体政务服务水平。"),
        ],
        attachment_note: vec![a1.into(), a2.into()],
        signature: Some(Signature {
            issuer: "重庆市大足区人民政府办公室".into(),
            date: "2021年7月7日".into(),
            sealed: false,
        }),
        note: Some("（此件主动公开）".into()),
        attachments: vec![
            Attachment {
                label: "附件1".into(),
                title: a1.into(),
                content: vec![
                    time.clone(),
                    AttachmentBlock::Table(table1()),
                    AttachmentBlock::Paragraph {
                        text: "注：1.得分=100-（周扫描÷2）-季度检查-政策解读-错情整改-办事指南-公开信箱+网站找错+加分；".into(),
                        align: Align::Left,
                    },
                    AttachmentBlock::Paragraph {
                        text: "2.无对外服务职能单位得分=[90-（周扫描÷2）-季度检查-政策解读-错情整改-办事指南-公开信箱-网站找错+加分]×100÷90。".into(),
                        align: Align::Left,
                    },
                ],
            },
            Attachment {
                label: "附件2".into(),
                title: a2.into(),
                content: vec![
                    time,
                    AttachmentBlock::Table(table2()),
                    AttachmentBlock::Paragraph {
                        text: "注：得分=100-（周扫描÷2）-季度检查-错情整改-功能设计+加分".into(),
                        align: Align::Left,
                    },
                ],
            },
        ],
        colophon: Some(Colophon {
            cc: Some("区委办公室，区人大常委会办公室，区政协办公室，经开区办公室，区人武部，区法院，区检察院，群团各部门".into()),
            printer: "重庆市大足区人民政府办公室".into(),
            print_date: "2021年7月8日印发".into(),
            cc_at: None,
            printer_at: None,
        }),
    }
}

/// Seed 000 with one attachment: 14 columns of 8-digit numbers (4 cells each, unbreakable), too
/// wide for the 156 mm portrait type width at 9 pt, not for the 225 mm landscape one.
pub fn wide_table_doc() -> Document {
    let cols = 14;
    let t = Table {
        columns: columns(cols),
        header: vec![(0..cols).map(|i| Cell::new(format!("指标{i}"))).collect()],
        rows: (0..5)
            .map(|r| {
                (0..cols)
                    .map(|i| Cell::new(format!("{}", 10_000_000 + r * 100 + i)))
                    .collect()
            })
            .collect(),
    };
    let mut doc = seed000();
    doc.attachments.truncate(1);
    doc.attachment_note.truncate(1);
    doc.attachments[0].content = vec![AttachmentBlock::Table(t)];
    doc
}

// ---- The seed fixtures and golden files, shared by every suite that compares with golden/ ----

/// The fixtures that reproduce the shared seeds.
pub const FIXTURES: [&str; 3] = ["seed-000", "seed-002", "seed-004"];

pub fn root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The stem of every fixture in fixtures/, sorted: suites that promise "every fixture" read the
/// folder, so a new fixture is checked without anyone adding it to a list.
pub fn every_fixture() -> Vec<String> {
    let mut stems: Vec<String> = std::fs::read_dir(root().join("fixtures"))
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.strip_suffix(".yaml").map(str::to_string)
        })
        .collect();
    stems.sort();
    stems
}

/// `text` written as `name` in a folder of its own, made for this call. Tests run in parallel,
/// and several write the same name and text (a fixture before its correction): sharing a file,
/// one would read it while another rewrites it.
pub fn scratch_file(name: &str, text: &str) -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    let n = CALLS.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("tongbao-test-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Prepare `text` as a YAML file named `name` (see [`prepare_file`], [`scratch_file`]).
pub fn prepare_text(name: &str, text: &str) -> tongbao::Prepared {
    let path = scratch_file(name, text);
    let prepared = prepare_file(&path, None);
    let _ = std::fs::remove_dir_all(path.parent().expect("its folder"));
    prepared
}

/// Prepare a YAML file (load, score, compose, convert); panics with the report on errors.
pub fn prepare_file(path: &std::path::Path, script: Option<&str>) -> tongbao::Prepared {
    let t = tongbao::compose::Templates::new(None).unwrap();
    let script = script.map(|s| tongbao::zh::Script::parse(s).expect("a script tag"));
    match tongbao::prepare(path, &t, script) {
        Ok(p) => p,
        Err(r) => panic!("{} does not prepare:\n{r}", path.display()),
    }
}

/// Prepare fixtures/<name>.yaml.
pub fn fixture(name: &str, script: Option<&str>) -> tongbao::Prepared {
    prepare_file(
        &root().join("fixtures").join(format!("{name}.yaml")),
        script,
    )
}

/// Compare with golden/<file>, or rewrite it when UPDATE_GOLDEN=1.
pub fn golden(file: &str, actual: &str) {
    let path = root().join("golden").join(file);
    if std::env::var("UPDATE_GOLDEN").as_deref() == Ok("1") {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing {}; run UPDATE_GOLDEN=1 cargo test", path.display()));
    if expected != actual {
        let diff = similar::TextDiff::from_lines(expected.as_str(), actual);
        panic!(
            "{file} differs from its golden file:\n{}",
            diff.unified_diff().header("golden", "actual")
        );
    }
}

/// Run the tongbao binary of this build.
pub fn tongbao(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_tongbao"))
        .args(args)
        .output()
        .unwrap()
}

/// What a run printed on standard error.
pub fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh, empty folder for one test (named after it and this process).
pub fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tongbao-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A client program a test runs: present, or the test fails, naming the Debian package that
/// provides it. Never a silent skip: a machine without the client does not pass these tests.
pub fn require(tool: &str, package: &str) {
    let present = std::process::Command::new(tool)
        .arg("--help")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok();
    assert!(
        present,
        "{tool} is not installed: this test checks the output with it; install it with `apt-get install {package}` (.ci/run does)"
    );
}
