//! DOCX writing speed: seed 000 (prose + a 63-row and a 33-row table) and a 1,200-row table,
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
    let opts = |doc: &Document| {
        DocxOptions::default().follow_layout(&layout(doc, &fonts, &LayoutOptions::default()))
    };
    let seed = common::seed000();
    let seed_opts = opts(&seed);
    c.bench_function("docx seed 000", |b| {
        b.iter(|| docx::write(black_box(&seed), &seed_opts).unwrap())
    });
    let mut big = common::seed000();
    big.attachments.truncate(1);
    big.attachments[0].content = vec![AttachmentBlock::Table(common::big_table(1200))];
    let big_opts = opts(&big);
    c.bench_function("docx 1200-row table", |b| {
        b.iter(|| docx::write(black_box(&big), &big_opts).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
