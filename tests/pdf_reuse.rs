//! `pdf::reuse_between_documents` (what `watch` turns on): a PDF written again from the same
//! layout, and one from an edited document, take the previous document's compressed pages and
//! font subsets where they are unchanged, and are byte for byte what a fresh process writes.
//! Its own test binary: the reuse is process-wide.

mod common;

use tongbao::fonts::FontSet;
use tongbao::layout::{layout, LayoutOptions};

fn pdf(doc: &tongbao::ir::Document, fonts: &FontSet) -> Vec<u8> {
    let laid = layout(doc, fonts, &LayoutOptions::default());
    tongbao::pdf::write(&laid, fonts, &doc.meta, &Default::default()).expect("pdf")
}

#[test]
fn reused_pages_and_subsets_give_the_same_bytes() {
    let fonts = FontSet::embedded();
    let doc = common::fixture("seed-000", None).document;
    // One paragraph longer, with characters the document had not used: its pages from there
    // on and the 仿宋's subset change, the pages before it do not.
    let mut edited = doc.clone();
    let para = edited
        .body
        .iter_mut()
        .rev()
        .find_map(|b| match b {
            tongbao::ir::Block::Paragraph { runs } => runs.last_mut(),
            tongbao::ir::Block::Heading { .. } => None,
        })
        .expect("a paragraph");
    para.text.push_str("此段为测试所加，檩桷榫卯。");
    let (fresh, fresh_edited) = (pdf(&doc, &fonts), pdf(&edited, &fonts));
    assert_ne!(fresh, fresh_edited);
    tongbao::pdf::reuse_between_documents();
    assert_eq!(pdf(&doc, &fonts), fresh, "first document with reuse on");
    assert_eq!(pdf(&doc, &fonts), fresh, "the same document again");
    assert_eq!(
        pdf(&edited, &fonts),
        fresh_edited,
        "an edited document after it"
    );
    assert_eq!(pdf(&doc, &fonts), fresh, "and back");
}
