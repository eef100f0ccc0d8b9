//! Golden layout dumps of the seed fixtures: golden/<fixture>.layout.txt, compared with
//! `layout::dump` so that a change in line breaks or positions reviews as a diff.
//! `UPDATE_GOLDEN=1 cargo test` rewrites them.

use tongbao::fonts::FontSet;
use tongbao::layout::{dump, layout, LayoutOptions};

mod common;

use common::{root, FIXTURES};

fn document(name: &str) -> tongbao::ir::Document {
    common::fixture(name, None).document
}

#[test]
fn golden_layout_dumps() {
    let fonts = FontSet::embedded();
    let mut failures = Vec::new();
    for name in FIXTURES {
        let actual = dump(&layout(&document(name), &fonts, &LayoutOptions::default()));
        let path = root().join("golden").join(format!("{name}.layout.txt"));
        if std::env::var("UPDATE_GOLDEN").as_deref() == Ok("1") {
            std::fs::write(&path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
            panic!("missing {}; run UPDATE_GOLDEN=1 cargo test", path.display())
        });
        if expected != actual {
            let diff = similar::TextDiff::from_lines(expected.as_str(), actual.as_str());
            failures.push(format!(
                "{name}.layout.txt differs from its golden file:\n{}",
                diff.unified_diff()
                    .context_radius(2)
                    .header("golden", "actual")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
