//! A deterministic mutation fuzzer, inside `cargo test`: thousands of small mutations of the
//! fixtures (fixed seed) go through load, check (validate, score, compose) and render (layout,
//! DOCX; PDF for a sample: it is the slow stage in a debug build). Every mutant must end as a
//! document or as a report with at least one error in Chinese; no stage may panic; every DOCX
//! part must be well-formed and every PDF whole.
//!
//! The run is bounded by count (`TONGBAO_FUZZ_MUTANTS`, default 3,000) and by time
//! (`TONGBAO_FUZZ_SECONDS`, default 90: a loaded machine runs fewer); what it ran is printed
//! and kept in target/fuzz-mutations.txt. Mutant n is the same on every machine.

mod common;

use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tongbao::compose::Templates;
use tongbao::fonts::FontSet;

/// splitmix64: small, fast, and the same sequence everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// What a person, a pasted document or a spreadsheet export puts where a value goes.
const TOKENS: &[&str] = &[
    "\"某某区\\x0b政府\"",
    "\"\\0\"",
    "\"\\ud800\"",
    "\u{0B}",
    "\u{85}",
    "\u{FFFE}",
    "\t",
    "〕",
    "〔",
    "〔2024〕",
    "第",
    "不考核",
    "是",
    "70000000000000000000000000000",
    "-1",
    "0",
    "65536",
    "18446744073709551615",
    "2150-07-07",
    "2024年7月5日",
    "2024-02-30",
    "0000-00-00",
    "{{",
    "}}",
    "{{> formula_notes}}",
    "{{inc 18446744073709551615}}",
    "{{sum 1 2}}",
    "{{join}}",
    "{{#each items}}{{unit}}{{/each}}",
    "(((((",
    ")))",
    "÷0",
    "×",
    "[",
    "]",
    "{",
    "}",
    "*a",
    "&a ",
    "!!binary ",
    "---\n",
    "...\n",
    "# ",
    " #1",
    ": ",
    "- ",
    "~",
    "null",
    "true",
    "'",
    "\"",
    "\\",
    "\r",
    "\n",
    "\r\n",
    "：",
    "　",
    "😀",
    "𠀀",
];

/// A token, or now and then a long run of one character (a paragraph or cell of 2,000).
fn token(rng: &mut Rng) -> Vec<u8> {
    match rng.below(20) {
        0 => "长".repeat(2_000).into_bytes(),
        1 => "a".repeat(300).into_bytes(),
        _ => TOKENS[rng.below(TOKENS.len())].as_bytes().to_vec(),
    }
}

fn mutate(seed: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut b = seed.to_vec();
    for _ in 0..1 + rng.below(3) {
        let at = rng.below(b.len() + 1);
        match rng.below(13) {
            // A byte changed (often breaks UTF-8: the loader must say so).
            0 if !b.is_empty() => {
                let i = at.min(b.len() - 1);
                b[i] ^= 1 << rng.below(8);
            }
            // A token inserted at a random place, or after a colon (as a value).
            1 | 2 => {
                let t = token(rng);
                b.splice(at..at, t);
            }
            3..=6 => {
                if let Some(c) = b[at..].iter().position(|&x| x == b':') {
                    let mut t = vec![b' '];
                    t.extend(token(rng));
                    let p = at + c + 1;
                    let end = b[p..]
                        .iter()
                        .position(|&x| x == b'\n')
                        .map_or(b.len(), |e| p + e);
                    b.splice(p..end, t);
                }
            }
            // Lines deleted, duplicated or swapped.
            7..=8 => {
                let lines: Vec<&[u8]> = b.split_inclusive(|&x| x == b'\n').collect();
                if lines.len() < 2 {
                    continue;
                }
                let (i, j) = (rng.below(lines.len()), rng.below(lines.len()));
                let mut v: Vec<Vec<u8>> = lines.iter().map(|l| l.to_vec()).collect();
                match rng.below(3) {
                    0 => {
                        v.remove(i);
                    }
                    1 => {
                        let l = v[i].clone();
                        v.insert(j, l);
                    }
                    _ => v.swap(i, j),
                }
                b = v.concat();
            }
            // A number replaced by an extreme one.
            9..=11 => {
                if let Some(d) = b[at..].iter().position(|x| x.is_ascii_digit()) {
                    let p = at + d;
                    let end = b[p..]
                        .iter()
                        .position(|x| !x.is_ascii_digit())
                        .map_or(b.len(), |e| p + e);
                    let n = [
                        "0",
                        "-0",
                        "99999999999999999999",
                        "1e400",
                        "0.0000000000000000000000000001",
                        "-5",
                    ];
                    let pick = n[rng.below(n.len())];
                    b.splice(p..end, pick.bytes());
                }
            }
            // A span of bytes cut.
            _ => {
                let end = (at + rng.below(64)).min(b.len());
                b.drain(at..end);
            }
        }
    }
    b
}

fn has_hanzi(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

fn well_formed_docx(bytes: &[u8]) -> Result<(), String> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
    for i in 0..z.len() {
        let mut f = z.by_index(i).map_err(|e| e.to_string())?;
        let name = f.name().to_string();
        let mut xml = String::new();
        f.read_to_string(&mut xml)
            .map_err(|e| format!("{name}: {e}"))?;
        if let Some(c) = xml.chars().find(|&c| !tongbao::xml::is_allowed(c)) {
            return Err(format!("{name} holds {c:?}"));
        }
        let mut r = quick_xml::Reader::from_str(&xml);
        r.config_mut().check_end_names = true;
        loop {
            match r.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => return Err(format!("{name}: {e}")),
            }
        }
    }
    Ok(())
}

#[derive(Default)]
struct Tally {
    mutants: AtomicUsize,
    refused_at_load: AtomicUsize,
    errors_at_check: AtomicUsize,
    prepared: AtomicUsize,
    docx: AtomicUsize,
    pdf: AtomicUsize,
}

/// One mutant through every stage; a broken promise is returned as text.
fn one(
    n: usize,
    input: &[u8],
    scratch: &Path,
    t: &Templates,
    fonts: &FontSet,
    tally: &Tally,
) -> Result<(), String> {
    let chinese =
        |items: &[tongbao::diag::Diagnostic]| match items.iter().find(|d| !has_hanzi(&d.message)) {
            Some(d) => Err(format!("a message not in Chinese: {}", d.message)),
            None => Ok(()),
        };
    let loaded = tongbao::load::parse(input);
    let file = scratch.join(format!("m{n}.yaml"));
    std::fs::write(&file, input).unwrap();
    // A mutant that does not load still goes through `prepare`: its errors set aside, the
    // checks run on what was read (tongbao::load::Unread).
    let prepared = tongbao::prepare(&file, t, None);
    let _ = std::fs::remove_file(&file);
    if let Err(found) = loaded {
        if found.is_empty() {
            return Err("refused at load without a message".into());
        }
        let Err(report) = prepared else {
            return Err("prepared a file that does not load".into());
        };
        if !report.has_errors() {
            return Err(format!(
                "a file that does not load, prepared without an error:\n{report}"
            ));
        }
        tally.refused_at_load.fetch_add(1, Ordering::Relaxed);
        return chinese(&report.items);
    }
    let p = match prepared {
        Ok(p) => p,
        Err(report) => {
            if !report.has_errors() {
                return Err(format!("refused without an error:\n{report}"));
            }
            tally.errors_at_check.fetch_add(1, Ordering::Relaxed);
            return chinese(&report.items);
        }
    };
    chinese(&p.report.items)?;
    tally.prepared.fetch_add(1, Ordering::Relaxed);
    let doc = &p.document;
    let laid = tongbao::layout::layout(doc, fonts, &tongbao::layout::LayoutOptions::default());
    match tongbao::docx::write(doc, &laid, &Default::default()) {
        Ok(bytes) => well_formed_docx(&bytes).map_err(|e| format!("corrupt DOCX: {e}"))?,
        Err(e) if has_hanzi(&e.to_string()) => {}
        Err(e) => return Err(format!("DOCX error not in Chinese: {e}")),
    }
    tally.docx.fetch_add(1, Ordering::Relaxed);
    if n.is_multiple_of(97) {
        let pdf = tongbao::pdf::write(&laid, fonts, &doc.meta, &Default::default())
            .map_err(|e| format!("PDF failed: {e}"))?;
        if !(pdf.starts_with(b"%PDF-") && pdf.trim_ascii_end().ends_with(b"%%EOF")) {
            return Err("a PDF that is not whole".into());
        }
        tally.pdf.fetch_add(1, Ordering::Relaxed);
    }
    Ok(())
}

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[test]
fn thousands_of_mutated_fixtures_never_crash_or_corrupt() {
    let budget = Duration::from_secs(env_or("TONGBAO_FUZZ_SECONDS", 90));
    let max = env_or("TONGBAO_FUZZ_MUTANTS", 3_000) as usize;
    // The small fixtures more often: more mutants within the time.
    let seeds: Vec<(String, Vec<u8>)> = [
        "example", "example", "example", "seed-004", "seed-002", "seed-000",
    ]
    .iter()
    .map(|n| {
        let path = common::root().join(format!("fixtures/{n}.yaml"));
        (n.to_string(), std::fs::read(path).unwrap())
    })
    .collect();
    // Mutant n comes from its own generator: the same n is the same mutant on every machine.
    let mutant = |n: usize| {
        let mut rng = Rng(0x7469_6e67_6261_6f00 ^ n as u64);
        let (name, seed) = &seeds[rng.below(seeds.len())];
        (name.clone(), mutate(seed, &mut rng))
    };
    let scratch: PathBuf =
        std::env::temp_dir().join(format!("tongbao-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    let templates = Templates::new(None).unwrap();
    let fonts = FontSet::embedded();
    let tally = Tally::default();
    let next = AtomicUsize::new(0);
    let failures: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let start = Instant::now();
    // A panic is caught and reported with its mutant; keep the default hook quiet for them.
    std::panic::set_hook(Box::new(|_| {}));
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= max || start.elapsed() > budget {
                    break;
                }
                let (name, input) = mutant(n);
                let result = catch_unwind(AssertUnwindSafe(|| {
                    one(n, &input, &scratch, &templates, &fonts, &tally)
                }));
                tally.mutants.fetch_add(1, Ordering::Relaxed);
                let problem = match result {
                    Ok(Ok(())) => continue,
                    Ok(Err(e)) => e,
                    Err(panic) => format!(
                        "panicked: {}",
                        panic
                            .downcast_ref::<String>()
                            .cloned()
                            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                            .unwrap_or_default()
                    ),
                };
                let kept = scratch.join(format!("failed-{n}.yaml"));
                std::fs::write(&kept, &input).unwrap();
                failures.lock().unwrap().push(format!(
                    "mutant {n} of {name} (kept as {}): {problem}",
                    kept.display()
                ));
            });
        }
    });
    let _ = std::panic::take_hook();
    let l = |c: &AtomicUsize| c.load(Ordering::Relaxed);
    let summary = format!(
        "mutation fuzzer: {} mutants of the fixtures in {:.1} s: {} refused at load, {} with errors at check, {} prepared; {} laid out and written as DOCX, {} also as PDF",
        l(&tally.mutants),
        start.elapsed().as_secs_f64(),
        l(&tally.refused_at_load),
        l(&tally.errors_at_check),
        l(&tally.prepared),
        l(&tally.docx),
        l(&tally.pdf),
    );
    println!("{summary}");
    let _ = std::fs::write(
        common::root().join("target/fuzz-mutations.txt"),
        format!("{summary}\n"),
    );
    let failures = failures.into_inner().unwrap();
    assert!(failures.is_empty(), "{summary}\n{}", failures.join("\n"));
    let _ = std::fs::remove_dir_all(&scratch);
    // A run that tested next to nothing is no pass.
    assert!(
        l(&tally.mutants) >= 500 || l(&tally.mutants) == max,
        "{summary}"
    );
    assert!(
        l(&tally.prepared) > 0 && l(&tally.refused_at_load) > 0,
        "{summary}"
    );
}
