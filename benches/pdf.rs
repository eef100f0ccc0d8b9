//! Layout + PDF of seed 000 (two pages of prose, a 63-row and a 33-row table) and of a
//! 1,200-row table, fonts subset and embedded. The font set is loaded once, as `render` does.
//! Also the title wrapping of a 2,000-character title (issue 12 case 5: it was cubic).

#[path = "../tests/common/mod.rs"]
mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use tongbao::fonts::{FontSet, Role};
use tongbao::ir::{AttachmentBlock, Document};
use tongbao::layout::{cell, layout, text, Color, LayoutOptions, TITLE};
use tongbao::pdf::{write, PdfOptions};

fn big() -> Document {
    let mut doc = common::seed000();
    doc.attachments.truncate(1);
    doc.attachment_note.truncate(1);
    doc.attachments[0].content[1] = AttachmentBlock::Table(common::big_table(1200));
    doc
}

fn render(doc: &Document, fonts: &FontSet) -> Vec<u8> {
    let l = layout(doc, fonts, &LayoutOptions::default());
    write(&l, fonts, &doc.meta, &PdfOptions::default()).unwrap()
}

fn bench(c: &mut Criterion) {
    let fonts = FontSet::embedded();
    let seed = common::seed000();
    let big = big();
    // Warm the caches once (font parsing, krilla font hashing), as a second render would.
    let a = render(&seed, &fonts);
    let b = render(&big, &fonts);
    eprintln!("seed000: {} bytes; 1200 rows: {} bytes", a.len(), b.len());
    let mut g = c.benchmark_group("pdf");
    g.sample_size(20);
    g.bench_function("seed000 layout", |b| {
        b.iter(|| layout(&seed, &fonts, &LayoutOptions::default()))
    });
    g.bench_function("seed000 layout+pdf", |b| b.iter(|| render(&seed, &fonts)));
    g.bench_function("1200 rows layout+pdf", |b| b.iter(|| render(&big, &fonts)));
    let title = format!("关于{}的通报", "政府网站和政务新媒体检查情况".repeat(143));
    let chars = text::shape(
        &fonts,
        &[(&title, Role::Xiaobiaosong)],
        TITLE,
        false,
        Color::Black,
    );
    g.bench_function("wrap a title of 2007 characters", |b| {
        b.iter(|| text::wrap_title(&chars, 20.0 * cell(TITLE)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
