//! DOCX writing speed: seed 000 (prose + a 63-row and a 33-row table) and a 1,200-row table.
//! Targets: seed 000 under 20 ms, the 1,200-row table under 200 ms.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use tongbao::docx::{self, DocxOptions};
use tongbao::ir::AttachmentBlock;

#[path = "../tests/common/mod.rs"]
mod common;

fn bench(c: &mut Criterion) {
    let opts = DocxOptions::default();
    let seed = common::seed000();
    c.bench_function("docx seed 000", |b| {
        b.iter(|| docx::write(black_box(&seed), &opts).unwrap())
    });
    let mut big = common::seed000();
    big.attachments.truncate(1);
    big.attachments[0].content = vec![AttachmentBlock::Table(common::big_table(1200))];
    c.bench_function("docx 1200-row table", |b| {
        b.iter(|| docx::write(black_box(&big), &opts).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
