//! DOCX writing speed: the seed-000 and city-large fixtures and a 1,200-row table,
//! following their layout as `render` does (laid out once, outside the loop).
//! Targets: seed 000 under 20 ms, the 1,200-row table under 200 ms.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use tongbao::docx::{self, DocxOptions};
use tongbao::fonts::FontSet;
use tongbao::ir::{AttachmentBlock, Document};
use tongbao::layout::{layout, LayoutOptions};

#[path = "../tests/common/mod.rs"]
mod common;

fn bench(c: &mut Criterion) {
    let fonts = FontSet::embedded();
    let opts = DocxOptions::default();
    let laid = |doc: &Document| layout(doc, &fonts, &LayoutOptions::default());
    for name in ["seed-000", "city-large"] {
        let doc = common::fixture(name, None).document;
        let l = laid(&doc);
        c.bench_function(&format!("docx {name}"), |b| {
            b.iter(|| docx::write(black_box(&doc), &l, &opts).unwrap())
        });
    }
    let mut big = common::seed000();
    big.attachments.truncate(1);
    big.attachments[0].content = vec![AttachmentBlock::Table(common::big_table(1200))];
    let big_laid = laid(&big);
    c.bench_function("docx 1200-row table", |b| {
        b.iter(|| docx::write(black_box(&big), &big_laid, &opts).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
