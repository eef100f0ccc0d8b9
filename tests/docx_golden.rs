//! Golden DOCX parts for the seed fixtures: the pretty-printed word/document.xml of each, plus
//! styles and footers once (they do not depend on the fixture), reviewable as a diff.
//! `UPDATE_GOLDEN=1 cargo test --test docx_golden` rewrites them. The DOCX files themselves go
//! to target/docx-samples/ for tests/clients/docx_check.py.

use std::path::PathBuf;

use tongbao::compose::Templates;
use tongbao::docx::{self, DocxOptions};

const FIXTURES: [&str; 3] = ["seed-000", "seed-002", "seed-004"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn golden(file: &str, actual: &str) {
    let path = root().join("golden").join(file);
    if std::env::var("UPDATE_GOLDEN").as_deref() == Ok("1") {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing {}; run UPDATE_GOLDEN=1 cargo test --test docx_golden",
            path.display()
        )
    });
    if expected != actual {
        let diff = similar::TextDiff::from_lines(expected.as_str(), actual);
        panic!(
            "{file} differs from its golden file:\n{}",
            diff.unified_diff().header("golden", "actual")
        );
    }
}

fn render(name: &str) -> Vec<u8> {
    let t = Templates::new(None).unwrap();
    let path = root().join("fixtures").join(format!("{name}.yaml"));
    let prepared = match tongbao::prepare(&path, &t, None) {
        Ok(p) => p,
        Err(r) => panic!("{name} does not prepare:\n{r}"),
    };
    docx::write(&prepared.document, &DocxOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn golden_document_xml_per_fixture() {
    let samples = root().join("target/docx-samples");
    std::fs::create_dir_all(&samples).unwrap();
    for name in FIXTURES {
        let bytes = render(name);
        assert_eq!(bytes, render(name), "{name}: output is not deterministic");
        std::fs::write(samples.join(format!("{name}.docx")), &bytes).unwrap();
        let xml = docx::pretty_part(&bytes, "word/document.xml").unwrap();
        golden(&format!("{name}.document.xml"), &xml);
    }
}

#[test]
fn golden_styles_and_footers() {
    let bytes = render("seed-000");
    for (part, file) in [
        ("word/styles.xml", "docx.styles.xml"),
        ("word/footer1.xml", "docx.footer-odd.xml"),
        ("word/footer2.xml", "docx.footer-even.xml"),
        ("word/settings.xml", "docx.settings.xml"),
    ] {
        golden(file, &docx::pretty_part(&bytes, part).unwrap());
    }
}
