//! Golden DOCX parts for the seed fixtures: the pretty-printed word/document.xml of each, plus
//! styles and footers once (they do not depend on the fixture), reviewable as a diff.
//! `UPDATE_GOLDEN=1 cargo test --test docx_golden` rewrites them. The DOCX files themselves go
//! to target/docx-samples/ for tests/clients/docx_check.py, each beside tongbao's PDF of the
//! same fixture (the DOCX follows that layout's record, so the page counts must agree).

use tongbao::docx::{self, DocxOptions};

mod common;

use common::{golden, root, FIXTURES};

/// The fixture's DOCX, following the record of the layout the PDF draws, and that PDF.
fn render(name: &str) -> (Vec<u8>, Vec<u8>) {
    let prepared = common::fixture(name, None);
    let doc = &prepared.document;
    let fonts = tongbao::fonts::FontSet::embedded();
    let layout = tongbao::layout::layout(doc, &fonts, &tongbao::layout::LayoutOptions::default());
    let pdf = tongbao::pdf::write(&layout, &fonts, &doc.meta, &Default::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    let docx = docx::write(doc, &layout, &DocxOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    (docx, pdf)
}

#[test]
fn golden_document_xml_per_fixture() {
    let samples = root().join("target/docx-samples");
    std::fs::create_dir_all(&samples).unwrap();
    for name in FIXTURES {
        let (bytes, pdf) = render(name);
        assert_eq!(bytes, render(name).0, "{name}: output is not deterministic");
        std::fs::write(samples.join(format!("{name}.docx")), &bytes).unwrap();
        // Beside it, tongbao's own PDF: docx_check.py compares the page counts.
        std::fs::write(samples.join(format!("{name}.pdf")), &pdf).unwrap();
        let xml = docx::pretty_part(&bytes, "word/document.xml").unwrap();
        golden(&format!("{name}.document.xml"), &xml);
    }
}

#[test]
fn golden_styles_and_footers() {
    let bytes = render("seed-000").0;
    for (part, file) in [
        ("word/styles.xml", "docx.styles.xml"),
        ("word/footer1.xml", "docx.footer-odd.xml"),
        ("word/footer2.xml", "docx.footer-even.xml"),
        ("word/settings.xml", "docx.settings.xml"),
    ] {
        golden(file, &docx::pretty_part(&bytes, part).unwrap());
    }
}
