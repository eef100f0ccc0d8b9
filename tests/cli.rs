//! The command-line contract: exit codes, Chinese messages with file:line:column, no output
//! file on bad input, `check` listing every problem at once.

mod common;

use std::io::Read;
use std::path::Path;
use std::process::Command;

use common::{require, scratch, stderr, tongbao};

fn example() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/example.yaml"))
        .unwrap()
}

#[test]
fn bad_inputs_exit_1_with_located_chinese_message_and_no_output() {
    let dir = scratch("cli-bad");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", b"".to_vec(), "文件为空"),
        ("binary", vec![0xff, 0xfe, 0x00, 0x01, 0x02], "UTF-8"),
        ("syntax", b"document:\n  issuer: [\n".to_vec(), ":2:"),
        ("toplevel", b"- 1\n- 2\n".to_vec(), "映射"),
        (
            "unknown",
            example()
                .replace("  recipients:", "  recipient:")
                .into_bytes(),
            "是否应为“recipients”",
        ),
        (
            "missing",
            example().replace("  date: 2024-07-05", "").into_bytes(),
            "缺少必填字段“date”",
        ),
        (
            "type",
            example()
                .replace("year: 2024", "year: 二〇二四")
                .into_bytes(),
            "整数",
        ),
        (
            "date",
            example()
                .replace("date: 2024-07-05", "date: 2024-02-30")
                .into_bytes(),
            "只有 29 天",
        ),
        (
            "max",
            example()
                .replace("d: {季度检查: 10}}", "d: {季度检查: 60}}")
                .into_bytes(),
            "超过该项分值上限 50",
        ),
        (
            "dup",
            example()
                .replace("{unit: 乙镇, name: 乙镇专栏", "{unit: 甲镇, name: 甲镇专栏")
                .into_bytes(),
            "重复的检查对象",
        ),
        (
            // One object typed twice, with a space and half-width brackets the second time.
            "dup-spelling",
            example()
                .replace(
                    "{unit: 乙镇, name: 乙镇专栏",
                    "{unit: 甲镇, name: 甲镇 专栏",
                )
                .into_bytes(),
            "重复的检查对象：“甲镇 / 甲镇 专栏”与第 70 行的“甲镇 / 甲镇专栏”只差空格或全角半角",
        ),
        (
            "number",
            example()
                .replace("〔2024〕12号", "〔2024〕第12号")
                .into_bytes(),
            "不加“第”字",
        ),
        (
            "template",
            example()
                .replace("{{sites.count}}", "{{sites.cuont}}")
                .into_bytes(),
            "sites.cuont",
        ),
    ];
    for (name, bytes, needle) in cases {
        let file = dir.join(format!("{name}.yaml"));
        std::fs::write(&file, &bytes).unwrap();
        let o = tongbao(&["render", file.to_str().unwrap(), "--format", "txt"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{name}: {err}");
        assert!(
            err.contains(needle),
            "{name}: expected {needle:?} in\n{err}"
        );
        assert!(
            err.contains(&format!("{name}.yaml")),
            "{name}: the file is named"
        );
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert!(
            !dir.join(format!("{name}.txt")).exists(),
            "{name}: no output on bad input"
        );
    }
}

#[test]
fn check_lists_every_problem_at_once() {
    let dir = scratch("cli-many");
    let text = example()
        .replace("date: 2024-07-05", "date: 2024-13-05")
        .replace("d: {季度检查: 10}}", "d: {季度检查: 60}}")
        .replace("〔2024〕12号", "〔24〕12号");
    let file = dir.join("q.yaml");
    std::fs::write(&file, text).unwrap();
    let o = tongbao(&["check", file.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1));
    for needle in ["document.date", "季度检查", "document.number", "3 个错误"] {
        assert!(err.contains(needle), "{needle:?} missing in\n{err}");
    }
    // Each message carries file:line:column.
    assert!(err.contains("q.yaml:8:11: 错误: document.number"), "{err}");
    assert!(err.contains("q.yaml:11:9: 错误: document.date"), "{err}");
}

#[test]
fn check_seed_000_exits_1_on_its_contradictions() {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seed-000.yaml");
    let o = tongbao(&["check", seed.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("0 个错误"));
    let clean = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seed-002.yaml");
    assert_eq!(
        tongbao(&["check", clean.to_str().unwrap()]).status.code(),
        Some(0)
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(tongbao(&["render"]).status.code(), Some(2));
    assert_eq!(tongbao(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(
        tongbao(&["render", "x.yaml", "--script", "zh-XX"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(tongbao(&["--help"]).status.code(), Some(0));
}

#[test]
fn init_writes_a_valid_example_and_never_overwrites() {
    let dir = scratch("cli-init");
    let o = tongbao(&["init", dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let file = dir.join("quarter.yaml");
    assert_eq!(
        tongbao(&["check", file.to_str().unwrap()]).status.code(),
        Some(0)
    );
    std::fs::write(&file, "# 已改过\n").unwrap();
    assert_eq!(
        tongbao(&["init", dir.to_str().unwrap()]).status.code(),
        Some(1)
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "# 已改过\n");
}

#[test]
fn render_writes_next_to_the_input_by_default() {
    let dir = scratch("cli-render");
    let file = dir.join("q2.yaml");
    std::fs::write(&file, example()).unwrap();
    let o = tongbao(&["render", file.to_str().unwrap(), "--format", "txt"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let txt = std::fs::read_to_string(dir.join("q2.txt")).unwrap();
    assert!(txt.contains("合格率83.3%"));
}

#[test]
fn render_json_is_the_composed_document() {
    let dir = scratch("cli-json");
    let file = dir.join("q2.yaml");
    std::fs::write(&file, example()).unwrap();
    let o = tongbao(&["render", file.to_str().unwrap(), "--format", "json,txt"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("q2.json")).unwrap()).unwrap();
    assert_eq!(json["header"]["doc_number"], "某府办发〔2024〕12号");
    let table = &json["attachments"][0]["content"][1]["Table"];
    // 内容更新 spans two columns over 周扫描 / 季度检查; the others span both header rows.
    assert_eq!(table["header"][0][4]["text"], "内容更新（50分）");
    assert_eq!(table["header"][0][4]["col_span"], 2);
    assert_eq!(table["header"][1][0]["text"], "周扫描");
    assert_eq!(table["rows"].as_array().unwrap().len(), 6);
    let txt = std::fs::read_to_string(dir.join("q2.txt")).unwrap();
    assert!(txt.contains(json["title"].as_str().unwrap()));
    assert!(!dir.join("q2.pdf").exists(), "only the asked formats");
}

/// The command line itself writes the DOCX and the PDF (the default formats) and real clients
/// read them: qpdf --check, pdftotext finds the text, every DOCX part parses to its end. Copies
/// go to target/docx-samples/ (each DOCX beside its PDF), where tests/clients/docx_check.sh has
/// LibreOffice convert them and compare page counts.
#[test]
fn render_writes_docx_and_pdf_that_clients_read() {
    require("qpdf", "qpdf");
    require("pdftotext", "poppler-utils");
    let dir = scratch("cli-docx-pdf");
    let file = dir.join("q2.yaml");
    std::fs::write(&file, example()).unwrap();
    let o = tongbao(&["render", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (docx, pdf) = (dir.join("q2.docx"), dir.join("q2.pdf"));
    let listed = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(
        listed.lines().collect::<Vec<_>>(),
        [docx.to_str().unwrap(), pdf.to_str().unwrap()]
    );

    let check = Command::new("qpdf")
        .args(["--check", pdf.to_str().unwrap()])
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "{report}");
    assert!(
        report.contains("No syntax or stream encoding errors"),
        "{report}"
    );
    let text = Command::new("pdftotext")
        .args([pdf.to_str().unwrap(), "-"])
        .output()
        .unwrap();
    let text: String = String::from_utf8_lossy(&text.stdout)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    for phrase in [
        "关于2024年第二季度",
        "合格率83.3%",
        "某某区人民政府办公室",
        "区发展改革委专栏",
    ] {
        assert!(text.contains(phrase), "{phrase} not in the PDF text");
    }

    let bytes = std::fs::read(&docx).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    let mut body = String::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().to_string();
        let mut xml = String::new();
        f.read_to_string(&mut xml).unwrap();
        let mut r = quick_xml::Reader::from_str(&xml);
        r.config_mut().check_end_names = true;
        loop {
            match r.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(quick_xml::events::Event::Text(t)) if name == "word/document.xml" => {
                    body.push_str(&t.decode().unwrap())
                }
                Ok(_) => {}
                Err(e) => panic!("{name} is not well-formed: {e}"),
            }
        }
    }
    for phrase in ["关于2024年第二季度", "区发展改革委专栏", "此件主动公开"] {
        assert!(body.contains(phrase), "{phrase} not in word/document.xml");
    }

    let samples = common::root().join("target/docx-samples");
    std::fs::create_dir_all(&samples).unwrap();
    std::fs::copy(&docx, samples.join("cli-example.docx")).unwrap();
    std::fs::copy(&pdf, samples.join("cli-example.pdf")).unwrap();
}

/// Dates as clerks write them (issue 14) are read once at load and printed the same way by
/// every output: 成文日期 2024年7月5日, 印发日期 2024.7.6, 检查时间 2024/4/1 to 2024-6-30.
#[test]
fn clerk_style_dates_are_read() {
    let dir = scratch("cli-dates");
    let file = dir.join("q2.yaml");
    let text = example()
        .replace("  date: 2024-07-05", "  date: 2024年7月5日")
        .replace("print_date: 2024-07-06", "print_date: 2024.7.6")
        .replace("from: 2024-04-01", "from: 2024/4/1")
        .replace("to: 2024-06-30", "to: 2024-6-30");
    std::fs::write(&file, text).unwrap();
    let o = tongbao(&["render", file.to_str().unwrap(), "--format", "txt,json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let txt = std::fs::read_to_string(dir.join("q2.txt")).unwrap();
    for phrase in ["2024年7月5日", "2024年7月6日印发", "2024年4月1日至6月30日"] {
        assert!(txt.contains(phrase), "{phrase} not in\n{txt}");
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("q2.json")).unwrap()).unwrap();
    assert_eq!(json["meta"]["date"], "2024-07-05");
    assert_eq!(json["meta"]["script"], "zh-Hans");
}

#[test]
fn output_naming_file_folder_and_stdout() {
    let dir = scratch("cli-naming");
    let file = dir.join("q2.yaml");
    std::fs::write(&file, example()).unwrap();
    let f = file.to_str().unwrap();
    // A file name with a format's extension: that file, that format only.
    let pdf = dir.join("通报.pdf");
    let o = tongbao(&["render", f, "-o", pdf.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    assert!(!dir.join("通报.pdf").is_dir());
    assert!(!dir.join("通报.docx").exists() && !dir.join("q2.docx").exists());
    // More formats beside it, under its stem.
    let docx = dir.join("sub").join("通知.docx");
    let o = tongbao(&[
        "render",
        f,
        "-o",
        docx.to_str().unwrap(),
        "--format",
        "docx,txt",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read(&docx).unwrap().starts_with(b"PK"));
    assert!(dir.join("sub").join("通知.txt").exists());
    // A folder, created when missing.
    let out = dir.join("out");
    let o = tongbao(&["render", f, "-o", out.to_str().unwrap(), "--format", "txt"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(out.join("q2.txt").is_file());
    // Standard output: the bytes and nothing else; one format only.
    let o = tongbao(&["render", f, "-o", "-", "--format", "txt"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(o.stdout, std::fs::read(out.join("q2.txt")).unwrap());
    let o = tongbao(&["render", f, "-o", "-"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("只能选一种格式"), "{}", stderr(&o));
    let o = tongbao(&["render", f, "-o", pdf.to_str().unwrap(), "--format", "docx"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("扩展名"), "{}", stderr(&o));
}

#[test]
fn check_takes_several_files_and_speaks_json() {
    let dir = scratch("cli-checkjson");
    let good = dir.join("good.yaml");
    std::fs::write(&good, example()).unwrap();
    let bad = dir.join("bad.yaml");
    std::fs::write(
        &bad,
        example()
            .replace("year: 2024", "year: 二〇二四")
            .replace("number: 2 ", "number: 二 "),
    )
    .unwrap();
    let o = tongbao(&["check", good.to_str().unwrap(), bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("good.yaml：0 个错误"), "{err}");
    assert!(err.contains("bad.yaml：2 个错误"), "{err}");
    let o = tongbao(&[
        "check",
        good.to_str().unwrap(),
        bad.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json[0]["errors"], 0);
    assert_eq!(json[1]["errors"], 2);
    let all = json[1]["diagnostics"].as_array().unwrap();
    // Numbers that did not read leave the figures unchecked, and the report says so.
    assert!(
        all[0]["message"].as_str().unwrap().contains("无法检查"),
        "{all:?}"
    );
    let d = all.iter().find(|d| d["field"] == "quarter.number").unwrap();
    assert_eq!(d["line"], 22);
    assert!(d["hint"].as_str().unwrap().contains("阿拉伯数字"));
}

#[test]
fn help_and_usage_errors_are_in_chinese() {
    let latin = |s: &str| {
        // Words of clap's English templates that must not survive.
        [
            "Usage",
            "Options",
            "Arguments",
            "Commands",
            "error:",
            "Print help",
            "tip:",
            "[OPTIONS]",
        ]
        .into_iter()
        .filter(|w| s.contains(w))
        .map(str::to_string)
        .collect::<Vec<_>>()
    };
    for args in [
        vec!["--help"],
        vec!["render", "--help"],
        vec!["check", "--help"],
        vec!["init", "--help"],
        vec!["help", "watch"],
    ] {
        let o = tongbao(&args);
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        let out = String::from_utf8_lossy(&o.stdout).into_owned();
        assert!(out.contains("用法："), "{args:?}: {out}");
        assert!(
            latin(&out).is_empty(),
            "{args:?}: {:?} in\n{out}",
            latin(&out)
        );
        // Every argument is described.
        for line in out.lines().filter(|l| l.trim_start().starts_with('-')) {
            assert!(
                line.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{args:?}: undescribed {line}"
            );
        }
    }
    for (args, needle) in [
        (vec!["rendr"], "未知的命令“rendr”"),
        (vec!["render"], "缺少必需的参数"),
        (
            vec!["render", "q.yaml", "--frmat", "pdf"],
            "未知的参数“--frmat”",
        ),
        (vec!["render", "q.yaml", "--format", "pdff"], "可用的值"),
        (vec!["generate", "--sites", "0"], "个数须为 1 至"),
    ] {
        let o = tongbao(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(err.starts_with("错误："), "{args:?}: {err}");
        assert!(latin(&err).is_empty(), "{args:?}: {err}");
    }
}

#[test]
fn completions_and_man_page() {
    for (shell, needle) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef tongbao"),
        ("fish", "complete -c tongbao"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let o = tongbao(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(out.contains(needle), "{shell}: {out}");
        assert!(
            out.contains("render") && out.contains("--format"),
            "{shell}"
        );
    }
    let o = tongbao(&["man"]);
    assert_eq!(o.status.code(), Some(0));
    let man = String::from_utf8_lossy(&o.stdout);
    assert!(
        man.starts_with(".ie") || man.contains(".TH tongbao"),
        "{man}"
    );
    assert!(man.contains("生成通报"), "{man}");
}

#[test]
fn a_score_written_with_its_unit_reads_as_the_number_and_is_noted() {
    let fixture = |f: &str| {
        std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures")
                .join(f),
        )
        .unwrap()
    };
    let dir = scratch("cli-score-unit");
    let plain = dir.join("plain.yaml");
    let with_unit = dir.join("unit.yaml");
    let text = fixture("band-list.yaml");
    assert!(text.contains("score: 96}") && text.contains("score: 93}"));
    std::fs::write(&plain, &text).unwrap();
    std::fs::write(
        &with_unit,
        text.replace("score: 96}", "score: 96分}")
            .replace("score: 93}", "score: ９３ 分}"),
    )
    .unwrap();
    let o = tongbao(&["check", "--explain", with_unit.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("“96分”读作 96"), "{err}");
    assert!(err.contains("“９３ 分”读作 93"), "{err}");
    // The same document as the scores written bare.
    for f in [&plain, &with_unit] {
        let o = tongbao(&["render", f.to_str().unwrap(), "--format", "txt"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    assert_eq!(
        std::fs::read(dir.join("plain.txt")).unwrap(),
        std::fs::read(dir.join("unit.txt")).unwrap()
    );
}
