//! Golden layout dumps of the seed fixtures: golden/<fixture>.layout.txt, compared with
//! `layout::dump` so that a change in line breaks or positions reviews as a diff.
//! `UPDATE_GOLDEN=1 cargo test` rewrites them.

use std::path::PathBuf;

use tongbao::compose::Templates;
use tongbao::fonts::FontSet;
use tongbao::layout::{dump, layout, LayoutOptions};

const FIXTURES: [&str; 3] = ["seed-000", "seed-002", "seed-004"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn document(name: &str) -> tongbao::ir::Document {
    let t = Templates::new(None).unwrap();
    let path = root().join("fixtures").join(format!("{name}.yaml"));
    match tongbao::prepare(&path, &t, None) {
        Ok(p) => p.document,
        Err(r) => panic!("{name} does not prepare:\n{r}"),
    }
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
