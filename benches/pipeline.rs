//! Every stage of the pipeline on seed 000 (63 + 33 table rows) and on the city-level case
//! (fixtures/city-large.yaml: 88 websites, 1,146 accounts): load, score, compose, convert
//! (zh-Hans → zh-Hant), layout, PDF write, DOCX write, and the whole render (prepare + layout +
//! both writers), as `tongbao render` runs it. Figures are kept in bench/README.md.

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion};
use tongbao::compose::{compose, ComposeOptions, Templates};
use tongbao::diag::Report;
use tongbao::docx::DocxOptions;
use tongbao::fonts::FontSet;
use tongbao::layout::{layout, LayoutOptions};
use tongbao::pdf::PdfOptions;
use tongbao::render::{render, RenderOptions};
use tongbao::zh::{self, Script};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(format!("{name}.yaml"))
}

fn stages(c: &mut Criterion, name: &str, fonts: &FontSet, templates: &Templates) {
    let path = fixture(name);
    let (quarter, loaded) = tongbao::load::load_file(&path).unwrap();
    let source = loaded.text;
    let mut report = Report::new(&path);
    let checked = tongbao::validate::check(&quarter, &mut report);
    let results = tongbao::score::compute(&quarter, &checked, &mut report);
    let opts = ComposeOptions {
        templates,
        script: tongbao::zh::Script::Hans,
        source: &source,
    };
    let doc = compose(&quarter, &results, &opts, &mut report);
    let laid = layout(&doc, fonts, &LayoutOptions::default());
    let zh_opts = zh::Options::default();

    let mut g = c.benchmark_group(name);
    g.sample_size(20);
    g.bench_function("load", |b| {
        b.iter(|| tongbao::load::load_file(&path).unwrap())
    });
    g.bench_function("score", |b| {
        b.iter(|| {
            let mut r = Report::new(&path);
            let checked = tongbao::validate::check(&quarter, &mut r);
            tongbao::score::compute(&quarter, &checked, &mut r)
        })
    });
    g.bench_function("compose", |b| {
        b.iter(|| compose(&quarter, &results, &opts, &mut Report::new(&path)))
    });
    g.bench_function("convert zh-Hant", |b| {
        b.iter_batched(
            || doc.clone(),
            |mut d| zh::convert_document(&mut d, Script::Hans, Script::Hant, &zh_opts).unwrap(),
            criterion::BatchSize::LargeInput,
        )
    });
    g.bench_function("layout", |b| {
        b.iter(|| layout(&doc, fonts, &LayoutOptions::default()))
    });
    g.bench_function("pdf write", |b| {
        b.iter(|| tongbao::pdf::write(&laid, fonts, &doc.meta, &PdfOptions::default()).unwrap())
    });
    // Issue 15: OFD within 1.3× the PDF write of the same layout.
    g.bench_function("ofd write", |b| {
        b.iter(|| tongbao::ofd::write(&laid, fonts, &doc.meta).unwrap())
    });
    // Issue 15: HTML of city-large under 10 ms.
    g.bench_function("html write", |b| {
        b.iter(|| tongbao::html::write(&doc, &tongbao::html::HtmlOptions::default()))
    });
    let docx_opts = DocxOptions::default();
    g.bench_function("docx write", |b| {
        b.iter(|| tongbao::docx::write(&doc, &laid, &docx_opts).unwrap())
    });
    let both = RenderOptions {
        docx: true,
        pdf: true,
        ofd: false,
        pdfa: false,
    };
    g.bench_function("render", |b| {
        b.iter(|| {
            let prepared = tongbao::prepare(&path, templates, None).unwrap();
            render(&prepared.document, fonts, &both).unwrap()
        })
    });
    g.finish();
}

fn bench(c: &mut Criterion) {
    let fonts = FontSet::embedded();
    let templates = Templates::new(None).unwrap();
    for name in ["seed-000", "city-large"] {
        stages(c, name, &fonts, &templates);
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
