//! Conversion of the whole seed 000 document (issue 3: under 5 ms, dictionary loading included).
//!
//!     cargo bench --bench zh
//!
//! - `first use in this process`: printed once, before criterion runs: the first
//!   `zh::convert_document` call of the process (builds the s2t converter in its OnceLock).
//!   Wall time of one event: on a busy machine repeat it (`cargo bench --bench zh -- nomatch`
//!   prints only this line) and read the minimum.
//! - `cold/*`: build OpenCC from its embedded dictionaries and convert the document, every
//!   iteration (what each process pays once).
//! - `steady/*`: the converter already loaded (every further document of the process).

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion};
use ferrous_opencc::OpenCC;
use tongbao::compose::Templates;
use tongbao::ir::Document;
use tongbao::zh::{self, Config, Converter, Options, Script};

fn seed_000() -> Document {
    let t = Templates::new(None).unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/seed-000.yaml");
    match tongbao::prepare(&path, &t, None) {
        Ok(p) => p.document,
        Err(r) => panic!("{r}"),
    }
}

fn bench(c: &mut Criterion) {
    let doc = seed_000();
    let chars = doc.plain_text().chars().count();
    let mut first = doc.clone();
    let start = Instant::now();
    Config::S2t.opencc().unwrap();
    let loaded = start.elapsed();
    zh::convert_document(&mut first, Script::Hans, Script::Hant, &Options::default()).unwrap();
    let total = start.elapsed();
    let mut second = doc.clone();
    let again = Instant::now();
    zh::convert_document(&mut second, Script::Hans, Script::Hant, &Options::default()).unwrap();
    let again = again.elapsed();
    eprintln!(
        "first use in this process, s2t, seed 000 ({chars} characters): wall {:.3} ms \
         (dictionary load {:.3} + first conversion {:.3}), second conversion {:.3} ms",
        total.as_secs_f64() * 1e3,
        loaded.as_secs_f64() * 1e3,
        (total - loaded).as_secs_f64() * 1e3,
        again.as_secs_f64() * 1e3,
    );
    let options = Options::default();
    for (script, config) in [
        (Script::Hant, Config::S2t),
        (Script::Tw, Config::S2tw),
        (Script::Hk, Config::S2hk),
    ] {
        c.bench_function(
            &format!("cold/{} seed-000 ({script})", config.name()),
            |b| {
                b.iter(|| {
                    let opencc = OpenCC::from_config(config.builtin()).unwrap();
                    let mut d = doc.clone();
                    Converter::with_opencc(config, &opencc, &options).convert_document(&mut d);
                    black_box(d)
                })
            },
        );
        c.bench_function(
            &format!("steady/{} seed-000 ({script})", config.name()),
            |b| {
                b.iter(|| {
                    let mut d = doc.clone();
                    zh::convert_document(&mut d, Script::Hans, script, &options).unwrap();
                    black_box(d)
                })
            },
        );
    }
    c.bench_function("clone seed-000 (baseline)", |b| {
        b.iter(|| black_box(doc.clone()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
