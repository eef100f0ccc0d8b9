//! HTML and OFD (issue 15): golden files, determinism, structure, and the samples that the real
//! clients read (tests/clients/publish_check.sh: Chromium with axe-core, the nu validator and
//! html5lib for the HTML; easyofd and pdftotext for the OFD). The samples are written to
//! target/publish-samples/: for every fixture its page, fragment, OFD and PDF, and
//! `<name>.repeats.json`, the text of each page's repeated table header rows (drawn in both
//! files, extracted from our PDF only once), which the OFD check needs to compare texts.

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::PathBuf;

use tongbao::fonts::FontSet;
use tongbao::html::{self, Download, HtmlOptions};
use tongbao::ir::Document;
use tongbao::layout::{layout, Layout, LayoutOptions};
use tongbao::pdf::PdfOptions;

/// Every fixture of fixtures/, and the traditional renderings of seed 000.
fn samples() -> Vec<(String, Option<&'static str>)> {
    let mut v: Vec<_> = common::every_fixture()
        .into_iter()
        .map(|f| (f, None))
        .collect();
    for script in ["zh-Hant", "zh-TW", "zh-HK"] {
        v.push(("seed-000".to_string(), Some(script)));
    }
    v
}

fn sample_name(name: &str, script: Option<&str>) -> String {
    match script {
        Some(s) => format!("{name}.{s}"),
        None => name.to_string(),
    }
}

fn samples_dir() -> PathBuf {
    let dir = common::root().join("target/publish-samples");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn page_html(doc: &Document, stem: &str) -> html::Html {
    let downloads = ["PDF", "OFD"]
        .iter()
        .map(|l| Download {
            label: l.to_string(),
            href: format!("{stem}.{}", l.to_ascii_lowercase()),
        })
        .collect();
    html::write(doc, &HtmlOptions { downloads })
}

fn ofd_parts(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an OFD is a zip");
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut v = Vec::new();
            f.read_to_end(&mut v).unwrap();
            (f.name().to_string(), v)
        })
        .collect()
}

/// The repeated header rows' text on each page (1-based page → lines), for the OFD check.
fn repeats(l: &Layout) -> BTreeMap<usize, Vec<String>> {
    l.pages
        .iter()
        .enumerate()
        .map(|(i, p)| {
            (
                i + 1,
                p.texts()
                    .filter(|t| t.artifact)
                    .map(|t| t.text.clone())
                    .collect(),
            )
        })
        .filter(|(_, v): &(usize, Vec<String>)| !v.is_empty())
        .collect()
}

fn write_sample(stem: &str, doc: &Document, fonts: &FontSet) {
    let dir = samples_dir();
    let h = page_html(doc, stem);
    let l = layout(doc, fonts, &LayoutOptions::default());
    let pdf = tongbao::pdf::write(&l, fonts, &doc.meta, &PdfOptions::default()).unwrap();
    let ofd = tongbao::ofd::write(&l, fonts, &doc.meta).unwrap();
    std::fs::write(dir.join(format!("{stem}.html")), &h.page).unwrap();
    std::fs::write(dir.join(format!("{stem}.fragment.html")), &h.fragment).unwrap();
    std::fs::write(dir.join(format!("{stem}.pdf")), pdf).unwrap();
    std::fs::write(dir.join(format!("{stem}.ofd")), &ofd).unwrap();
    std::fs::write(
        dir.join(format!("{stem}.repeats.json")),
        serde_json::to_string_pretty(&repeats(&l)).unwrap(),
    )
    .unwrap();
}

/// Writes the samples the clients check, and checks what needs no client: the OFD has one
/// Content.xml per page of the layout the PDF draws, each part is well-formed XML in the OFD
/// namespace, the fragment is the page's article.
#[test]
fn samples_for_the_clients() {
    let fonts = FontSet::embedded();
    for (name, script) in samples() {
        let stem = sample_name(&name, script);
        let doc = common::fixture(&name, script).document;
        write_sample(&stem, &doc, &fonts);
        let ofd = std::fs::read(samples_dir().join(format!("{stem}.ofd"))).unwrap();
        let pages = layout(&doc, &fonts, &LayoutOptions::default()).pages.len();
        check_ofd_structure(&stem, &ofd, pages);
    }
    // 横排表格: a table too wide for portrait, set on landscape pages turned onto the sheet.
    let doc = common::wide_table_doc();
    write_sample("landscape", &doc, &fonts);
}

fn check_ofd_structure(stem: &str, ofd: &[u8], pages: usize) {
    let parts = ofd_parts(ofd);
    let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        &names[..3],
        ["OFD.xml", "Doc_0/Document.xml", "Doc_0/PublicRes.xml"]
    );
    let contents = names.iter().filter(|n| n.ends_with("/Content.xml")).count();
    assert_eq!(contents, pages, "{stem}: one Content.xml per page");
    for (name, bytes) in &parts {
        if !name.ends_with(".xml") {
            continue;
        }
        let mut r = quick_xml::reader::NsReader::from_reader(bytes.as_slice());
        let mut buf = Vec::new();
        loop {
            match r.read_resolved_event_into(&mut buf) {
                Ok((
                    ns,
                    quick_xml::events::Event::Start(_) | quick_xml::events::Event::Empty(_),
                )) => {
                    assert!(
                        matches!(ns, quick_xml::name::ResolveResult::Bound(n) if n.as_ref() == b"http://www.ofdspec.org/2016"),
                        "{stem}/{name}: an element outside the OFD namespace"
                    );
                }
                Ok((_, quick_xml::events::Event::Eof)) => break,
                Ok(_) => {}
                Err(e) => panic!("{stem}/{name}: not well-formed: {e}"),
            }
            buf.clear();
        }
    }
}

#[test]
fn html_and_ofd_are_deterministic() {
    let fonts = FontSet::embedded();
    let doc = common::fixture("seed-002", None).document;
    let l = layout(&doc, &fonts, &LayoutOptions::default());
    let a = tongbao::ofd::write(&l, &fonts, &doc.meta).unwrap();
    let b = tongbao::ofd::write(
        &layout(&doc, &fonts, &LayoutOptions::default()),
        &fonts,
        &doc.meta,
    )
    .unwrap();
    assert!(a == b, "two OFD renders differ");
    assert_eq!(page_html(&doc, "x"), page_html(&doc, "x"));
    // Every zip entry carries the 成文日期, not the time of the run.
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(&a)).unwrap();
    for i in 0..z.len() {
        let t = z.by_index(i).unwrap().last_modified().unwrap();
        assert_eq!((t.year(), t.month(), t.day()), (2023, 6, 9), "{i}");
    }
}

/// The page with its stylesheet and script replaced by their file names: they are reviewed in
/// src/html/, the golden file shows what the document put in the page.
fn without_assets(page: &str) -> String {
    let mut out = page.to_string();
    for (open, close, name) in [
        ("<style>\n", "</style>", "/* src/html/style.css */\n"),
        ("<script>\n", "</script>", "/* src/html/switch.js */\n"),
    ] {
        let from = out.find(open).expect("asset present") + open.len();
        let to = from + out[from..].find(close).expect("asset closed");
        out.replace_range(from..to, name);
    }
    out
}

/// The golden files: the page of each seed (the fragment is the page's `<article>`) and the
/// zh-Hant page of seed 000; the OFD's document-level parts, its first page and its entry list.
#[test]
fn golden_html_and_ofd() {
    let fonts = FontSet::embedded();
    for (name, script) in [
        ("seed-000", None),
        ("seed-002", None),
        ("seed-004", None),
        ("seed-000", Some("zh-Hant")),
    ] {
        let stem = sample_name(name, script);
        let doc = common::fixture(name, script).document;
        let h = page_html(&doc, &stem);
        assert!(
            h.page.contains(&h.fragment),
            "{stem}: the fragment is not the page's article"
        );
        common::golden(&format!("{stem}.html"), &without_assets(&h.page));
        if script.is_some() {
            continue;
        }
        let l = layout(&doc, &fonts, &LayoutOptions::default());
        let parts = ofd_parts(&tongbao::ofd::write(&l, &fonts, &doc.meta).unwrap());
        let mut dump = String::new();
        for (n, bytes) in &parts {
            dump.push_str(&format!("== {n}\n"));
            if n.ends_with(".xml") && (!n.contains("/Pages/") || n.contains("/Page_0/")) {
                dump.push_str(std::str::from_utf8(bytes).unwrap());
            }
        }
        common::golden(&format!("{stem}.ofd.txt"), &dump);
    }
}

/// `render --format html,ofd,pdf` writes the page, the fragment, the OFD and the PDF side by
/// side; the page links the PDF and the OFD of the same render, and carries the 索引号 given.
#[test]
fn render_writes_html_and_ofd_with_links_between_them() {
    let dir = samples_dir().join("cli");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let yaml = std::fs::read_to_string(common::root().join("fixtures/seed-004.yaml")).unwrap();
    let yaml = yaml.replacen(
        "document:\n",
        "document:\n  index_number: 011000000/2023-00042\n",
        1,
    );
    let input = dir.join("q.yaml");
    std::fs::write(&input, yaml).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tongbao"))
        .args([
            "render",
            input.to_str().unwrap(),
            "--format",
            "html,ofd,pdf",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for f in ["q.html", "q.fragment.html", "q.ofd", "q.pdf"] {
        assert!(dir.join(f).exists(), "{f} not written");
    }
    assert!(!dir.join("q.docx").exists());
    let page = std::fs::read_to_string(dir.join("q.html")).unwrap();
    assert!(page.contains("<a href=\"q.pdf\">PDF</a><a href=\"q.ofd\">OFD</a>"));
    assert!(!page.contains("q.docx"));
    assert!(page.contains("<meta name=\"IndexNumber\" content=\"011000000/2023-00042\">"));
    assert!(page.contains("\"索引号\":\"011000000/2023-00042\""));
    let fragment = std::fs::read_to_string(dir.join("q.fragment.html")).unwrap();
    assert!(fragment.starts_with("<article class=\"tongbao\" lang=\"zh-CN\">"));
}

/// The semantic structure the page promises, on seed 000: one h1, the 一、 headings as h2,
/// run-in leads as strong, the attachment list linking to sections that exist, tables with a
/// caption, header scopes and merged cells.
#[test]
fn the_article_is_semantic_html() {
    let doc = common::fixture("seed-000", None).document;
    let h = page_html(&doc, "s");
    let f = &h.fragment;
    assert_eq!(f.matches("<h1>").count(), 1);
    assert!(f.contains("<h1>关于2021年第二季度全区政府网站和政府系统政务新媒体检查情况的通报</h1>"));
    assert!(f.contains("<h2>一、总体情况</h2>"));
    assert!(f.contains("<p><strong>（一）"), "run-in lead");
    for i in 1..=2 {
        assert!(f.contains(&format!("<li><a href=\"#attachment-{i}\">")));
        assert!(f.contains(&format!(
            "<section class=\"attachment\" id=\"attachment-{i}\""
        )));
    }
    assert_eq!(f.matches("<caption").count(), 2);
    assert!(f.contains("<th scope=\"colgroup\" class=\"c\" colspan=\"2\">内容更新（50分）</th>"));
    assert!(f.contains("rowspan=\"2\">序号</th>"));
    assert!(f.contains("<p class=\"note\">（此件主动公开）</p>"));
    assert!(f.contains("<footer class=\"colophon\">"));
    // The page: lang, the government meta tags, the JSON block.
    let p = &h.page;
    assert!(p.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
    assert!(p.contains("<meta name=\"ContentSource\" content=\"重庆市大足区人民政府办公室\">"));
    assert!(p.contains("<meta name=\"PubDate\" content=\"2021-07-07\">"));
    let json = p
        .split("id=\"disclosure\">")
        .nth(1)
        .unwrap()
        .split("</script>")
        .next()
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(v["文号"], "大足府办发〔2021〕85号");
    assert_eq!(v["发布机构"], "重庆市大足区人民政府办公室");
    // Traditional: the same page in zh-Hant, its own words converted too.
    let t = page_html(&common::fixture("seed-000", Some("zh-Hant")).document, "s").page;
    assert!(t.starts_with("<!DOCTYPE html>\n<html lang=\"zh-Hant\">"));
    assert!(
        t.contains("<dt>發佈機構</dt>") || t.contains("<dt>發布機構</dt>"),
        "labels not converted"
    );
    assert!(t.contains("<h2>一、總體情況</h2>"));
}

/// Whatever a text holds (tongbao::xml::HOSTILE: controls, noncharacters, markup), the OFD's
/// parts stay well-formed XML and the page's text cannot open an element.
#[test]
fn hostile_text_keeps_both_outputs_well_formed() {
    let fonts = FontSet::embedded();
    let mut doc = common::seed000();
    let hostile = tongbao::xml::HOSTILE.join("");
    doc.title = format!("关于{hostile}的通报");
    doc.body.insert(0, common::para(&hostile));
    doc.attachments[0].title = hostile.clone();
    let l = layout(&doc, &fonts, &LayoutOptions::default());
    let ofd = tongbao::ofd::write(&l, &fonts, &doc.meta).unwrap();
    check_ofd_structure("hostile", &ofd, l.pages.len());
    let h = page_html(&doc, "h");
    assert!(
        !h.fragment.contains("<w:t>"),
        "markup from the text reached the page"
    );
    assert!(h.fragment.contains("&lt;w:t&gt;&amp;amp;&lt;/w:t&gt;"));
    assert!(!h.page.contains('\u{0}') && !h.page.contains('\u{1B}'));
    // The fragment has no void element: it parses as XML, which checks every escape.
    let mut r = quick_xml::Reader::from_str(&h.fragment);
    loop {
        match r.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("fragment not well-formed: {e}"),
        }
    }
}
