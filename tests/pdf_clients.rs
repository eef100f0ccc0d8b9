//! Real PDF clients read what we write: qpdf --check, pdffonts (every font embedded, subset,
//! with a Unicode map) and pdftotext (the text comes back). The PDFs are left in
//! target/pdf-check/ for a look (`pdftoppm -png -r 60`). A missing client fails the test with
//! the package to install (poppler-utils, qpdf): these tests never pass without checking.

mod common;

use std::path::PathBuf;
use std::process::Command;

use tongbao::fonts::FontSet;
use tongbao::ir::Document;
use tongbao::layout::{layout, LayoutOptions};
use tongbao::pdf::{write, PdfOptions};

fn out_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/pdf-check");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

use common::require;

fn render(doc: &Document, name: &str, pdfa: bool) -> (PathBuf, Vec<u8>) {
    let fonts = FontSet::embedded();
    let l = layout(doc, &fonts, &LayoutOptions::default());
    let bytes = write(&l, &fonts, &doc.meta, &PdfOptions { pdfa }).expect("pdf");
    let path = out_dir().join(name);
    std::fs::write(&path, &bytes).unwrap();
    (path, bytes)
}

fn run(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd).args(args).output().expect(cmd);
    assert!(
        out.status.success(),
        "{cmd} {args:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn check_with_clients(doc: &Document, name: &str, pdfa: bool) {
    let (path, bytes) = render(doc, name, pdfa);
    assert!(bytes.starts_with(b"%PDF-"));
    let p = path.to_str().unwrap();
    require("qpdf", "qpdf");
    require("pdffonts", "poppler-utils");
    require("pdftotext", "poppler-utils");
    let q = run("qpdf", &["--check", p]);
    assert!(q.contains("No syntax or stream encoding errors"), "{q}");

    let fonts = run("pdffonts", &[p]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(rows.len() >= 4, "expected the role fonts, got\n{fonts}");
    for row in &rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        // name type encoding emb sub uni object ID
        assert_eq!(
            &cols[n - 5..n - 2],
            &["yes", "yes", "yes"],
            "font not embedded/subset/unicode: {row}"
        );
        assert!(
            cols[0].len() > 7 && cols[0].as_bytes()[6] == b'+',
            "no subset tag: {row}"
        );
    }

    // The text comes back: every paragraph of the IR is found in the extracted text.
    // Page numbers ("— 3 —") interrupt paragraphs that run across pages: drop them.
    let raw = run("pdftotext", &["-raw", p, "-"]);
    let text = squeeze(
        &raw.lines()
            .filter(|l| !(l.starts_with('—') && l.ends_with('—')))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    let plain = doc.plain_text();
    for line in plain.lines() {
        let want = squeeze(line);
        if want.is_empty() || line.contains('\t') {
            continue;
        }
        assert!(text.contains(&want), "pdftotext lost: {line}");
    }
    // Table cells come back too.
    for att in &doc.attachments {
        for b in &att.content {
            if let tongbao::ir::AttachmentBlock::Table(t) = b {
                for row in t.rows.iter().take(5) {
                    for c in row {
                        assert!(text.contains(&squeeze(&c.text)), "cell lost: {}", c.text);
                    }
                }
            }
        }
    }
}

#[test]
fn seed000_pdf_passes_qpdf_pdffonts_pdftotext() {
    check_with_clients(&common::seed000(), "seed000.pdf", false);
}

#[test]
fn repeated_table_headers_are_drawn_but_extracted_once() {
    let (path, _) = render(&common::seed000(), "seed000-repeat.pdf", false);
    require("pdftotext", "poppler-utils");
    let text = squeeze(&run("pdftotext", &["-raw", path.to_str().unwrap(), "-"]));
    // Two tables, each spanning pages: their header label appears once per table.
    assert_eq!(text.matches("单项否决").count(), 2);
    let fonts = FontSet::embedded();
    let l = layout(&common::seed000(), &fonts, &LayoutOptions::default());
    let drawn = l
        .pages
        .iter()
        .flat_map(|p| p.texts())
        .filter(|t| t.text.starts_with("单项") || t.text == "单")
        .count();
    assert!(drawn > 2, "header rows are not repeated on the page");
}

#[test]
fn seed000_pdfa_passes_the_clients() {
    check_with_clients(&common::seed000(), "seed000-pdfa.pdf", true);
    let (_, bytes) = render(&common::seed000(), "seed000-pdfa.pdf", true);
    let s = String::from_utf8_lossy(&bytes);
    assert!(s.contains("pdfaid:part"), "PDF/A identification missing");
}

#[test]
fn output_is_byte_identical_and_a4() {
    let doc = common::seed000();
    let (path, a) = render(&doc, "seed000-a.pdf", false);
    let (_, b) = render(&doc, "seed000-b.pdf", false);
    assert!(a == b, "two renders differ");
    require("pdfinfo", "poppler-utils");
    let info = run(
        "pdfinfo",
        &["-box", "-f", "1", "-l", "1", path.to_str().unwrap()],
    );
    let mb = info
        .lines()
        .find(|l| l.contains("MediaBox"))
        .unwrap_or_default();
    let nums: Vec<&str> = mb.split_whitespace().skip(3).collect();
    assert_eq!(nums, ["0.00", "0.00", "595.28", "841.89"], "{info}");
}

fn fixture(name: &str) -> Document {
    common::fixture(name, None).document
}

#[test]
fn fixture_pdfs_pass_the_clients() {
    for name in ["seed-000", "seed-002", "seed-004"] {
        check_with_clients(&fixture(name), &format!("{name}.pdf"), false);
    }
}

/// A 横排表格 page is a landscape sheet, as Word prints a landscape section (GB/T 9704 10.1):
/// the MediaBox of that page alone is A4 landscape, the table's text comes back upright and in
/// the landscape type area, the page number below it.
#[test]
fn landscape_tables_get_landscape_sheets() {
    let doc = common::wide_table_doc();
    let (path, _) = render(&doc, "landscape.pdf", false);
    require("pdfinfo", "poppler-utils");
    let path = path.to_str().unwrap();
    let l = layout(&doc, &FontSet::embedded(), &LayoutOptions::default());
    let k = l
        .pages
        .iter()
        .position(|p| p.landscape())
        .expect("a landscape page")
        + 1;
    let info = run("pdfinfo", &["-box", "-f", "1", "-l", "99", path]);
    let boxes: Vec<&str> = info.lines().filter(|l| l.contains("MediaBox")).collect();
    assert!(boxes.len() >= 4, "{info}");
    for (i, b) in boxes.iter().enumerate() {
        let want = if i + 1 == k {
            "0.00     0.00   841.89   595.28"
        } else {
            "0.00     0.00   595.28   841.89"
        };
        assert!(b.ends_with(want), "page {}: {b}", i + 1);
    }
    // The landscape page, read back with pdftotext -bbox (pt, y down).
    let page = k.to_string();
    let bbox = run("pdftotext", &["-bbox", "-f", &page, "-l", &page, path, "-"]);
    struct Word {
        x0: f32,
        y0: f32,
        x1: f32,
        y1: f32,
        text: String,
    }
    let words: Vec<Word> = bbox
        .lines()
        .filter(|l| l.trim_start().starts_with("<word"))
        .map(|l| {
            let num = |key: &str| -> f32 {
                let at = l.find(&format!("{key}=\"")).unwrap() + key.len() + 2;
                l[at..].split('"').next().unwrap().parse().unwrap()
            };
            Word {
                x0: num("xMin"),
                y0: num("yMin"),
                x1: num("xMax"),
                y1: num("yMax"),
                text: l
                    .split('>')
                    .nth(1)
                    .unwrap()
                    .split('<')
                    .next()
                    .unwrap()
                    .into(),
            }
        })
        .collect();
    // Everything but the page number inside the landscape type area (35 mm / 28 mm, 225 ×
    // 156 mm), with a point of slack for glyph boxes.
    let mm = 72.0 / 25.4;
    let (folio, content): (Vec<&Word>, Vec<&Word>) = words.iter().partition(|w| w.y0 > 184.0 * mm);
    assert!(content.len() > 50);
    for w in &content {
        assert!(
            w.x0 >= 35.0 * mm - 1.0
                && w.x1 <= 260.0 * mm + 1.0
                && w.y0 >= 28.0 * mm - 1.0
                && w.y1 <= 184.0 * mm + 1.0,
            "{} outside the type area",
            w.text
        );
    }
    // Upright: cell text runs across the sheet (wider than tall), the table head (指标…)
    // above the body.
    let cell = content
        .iter()
        .find(|w| w.text == "10000000")
        .expect("a table cell");
    assert!(cell.x1 - cell.x0 > 2.0 * (cell.y1 - cell.y0), "upright");
    let head_bottom = content
        .iter()
        .filter(|w| w.text.starts_with("指标"))
        .map(|w| w.y1)
        .fold(f32::MIN, f32::max);
    let body_top = content
        .iter()
        .filter(|w| w.text.starts_with("1000"))
        .map(|w| w.y0)
        .fold(f32::MAX, f32::min);
    assert!(
        head_bottom < body_top,
        "head {head_bottom} above the body {body_top}"
    );
    // The page number 7 mm below the type area, one character in from the left edge on an
    // even page, from the right edge on an odd one.
    let number = folio.iter().find(|w| w.text == page).expect("the number");
    assert!(
        (number.y0 - 191.0 * mm).abs() < 3.0,
        "number at {}",
        number.y0
    );
    let left = folio.iter().map(|w| w.x0).fold(f32::MAX, f32::min);
    let right = folio.iter().map(|w| w.x1).fold(f32::MIN, f32::max);
    if k % 2 == 0 {
        assert!(
            (left - (35.0 * mm + 14.0)).abs() < 1.0,
            "even number at {left}"
        );
    } else {
        assert!(
            (right - (260.0 * mm - 14.0)).abs() < 1.0,
            "odd number ends at {right}"
        );
    }
}

/// A machine without a client fails these tests loudly, naming what to install.
#[test]
#[should_panic(expected = "apt-get install qpdf")]
fn a_missing_client_fails_naming_its_package() {
    require("qpdf-is-not-installed-here", "qpdf");
}

/// The Latin face is declared with the 仿宋's ascent and descent (FontDescriptor), so readers
/// box a digit and the hanzi on its baseline alike: one line box a line for text extraction,
/// selection and search highlights (Liberation Serif's own descent, 0.216 em against the
/// 仿宋's 0.12, hung the digits 1.5 pt lower, in a row of their own).
#[test]
fn the_latin_face_declares_the_fangsong_ascent_and_descent() {
    let (path, _) = render(&common::seed000(), "seed000-metrics.pdf", false);
    require("qpdf", "qpdf");
    let qdf = out_dir().join("seed000-metrics.qdf.pdf");
    let args = ["--qdf", "--object-streams=disable", path.to_str().unwrap()];
    run("qpdf", &[&args[..], &[qdf.to_str().unwrap()]].concat());
    let text = String::from_utf8_lossy(&std::fs::read(&qdf).unwrap()).into_owned();
    // (font name, Ascent, Descent) of every FontDescriptor.
    let descriptors: Vec<(String, f32, f32)> = text
        .split("endobj")
        .filter(|obj| obj.contains("/Type /FontDescriptor"))
        .map(|obj| {
            let value = |key: &str| {
                let at = obj
                    .find(key)
                    .unwrap_or_else(|| panic!("{key} missing: {obj}"));
                obj[at + key.len()..]
                    .split_whitespace()
                    .next()
                    .unwrap()
                    .to_string()
            };
            let number = |key| value(key).parse::<f32>().unwrap();
            (value("/FontName "), number("/Ascent "), number("/Descent "))
        })
        .collect();
    let find = |family: &str| {
        descriptors
            .iter()
            .find(|(name, _, _)| name.contains(family))
            .unwrap_or_else(|| panic!("no {family} in {descriptors:?}"))
    };
    let (_, fang_ascent, fang_descent) = find("FandolFang");
    let (_, latin_ascent, latin_descent) = find("LiberationSerif");
    // Liberation Serif has 2048 units per em: the 仿宋's figures rounded to one of its units.
    let unit = 1000.0 / 2048.0;
    assert!(
        (latin_ascent - fang_ascent).abs() <= unit && (latin_descent - fang_descent).abs() <= unit,
        "Latin {latin_ascent}/{latin_descent}, 仿宋 {fang_ascent}/{fang_descent}"
    );
}
