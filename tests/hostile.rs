//! The hostile-input suite of issue 12: every case that crashed, hung, wrote a corrupt file or
//! lost a document, kept as a regression test. tests/hostile/cases.tsv lists the runs over the
//! input files beside it (one file per case, the expected exit code, a phrase of the message);
//! the cases that need a setup (a planted link, a killed run, a hand-edited output, a broken
//! font) are the functions below.
//!
//! Every run must end by itself within a minute, with no panic and no signal, and a failed run
//! must leave its output folder empty.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn dir() -> PathBuf {
    common::root().join("tests/hostile")
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("tongbao-hostile-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// What a finished run left.
struct Run {
    code: Option<i32>,
    stderr: String,
    stdout: String,
}

/// Wait for `child` at most `limit`; a run still going then is killed and fails the test.
fn finish(mut child: Child, what: &str, limit: Duration) -> Run {
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("{what}: still running after {limit:?} (a hang)");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    let mut stdout = String::new();
    if let Some(mut e) = child.stderr.take() {
        e.read_to_string(&mut stderr).unwrap();
    }
    if let Some(mut o) = child.stdout.take() {
        o.read_to_string(&mut stdout).unwrap();
    }
    use std::os::unix::process::ExitStatusExt;
    assert!(
        status.signal().is_none(),
        "{what}: killed by signal {:?} (a stack overflow aborts with SIGABRT)\n{stderr}",
        status.signal()
    );
    Run {
        code: status.code(),
        stderr,
        stdout,
    }
}

fn tongbao(args: &[String]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tongbao"));
    c.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn run(args: &[String], what: &str) -> Run {
    // Output is small: the pipes cannot fill before the child ends.
    let child = tongbao(args).spawn().unwrap();
    finish(child, what, Duration::from_secs(60))
}

fn files_in(d: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(d)
        .map(|it| {
            it.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// One row of cases.tsv.
struct Case {
    line: usize,
    case: u32,
    args: String,
    exit: i32,
    phrase: String,
}

fn cases() -> Vec<Case> {
    let text = std::fs::read_to_string(dir().join("cases.tsv")).unwrap();
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .map(|(i, l)| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 4, "cases.tsv:{}: four tab-separated fields", i + 1);
            Case {
                line: i + 1,
                case: f[0].parse().expect("case number"),
                args: f[1].to_string(),
                exit: f[2].parse().expect("exit code"),
                phrase: f[3].to_string(),
            }
        })
        .collect()
}

#[test]
fn every_listed_case_exits_as_expected_with_its_message() {
    let example = common::root().join("fixtures/example.yaml");
    let mut failures = Vec::new();
    for c in cases() {
        let out = scratch(&format!("case-{}", c.line));
        let args: Vec<String> = c
            .args
            .split(' ')
            .map(|a| {
                a.replace("{dir}", dir().to_str().unwrap())
                    .replace("{out}", out.to_str().unwrap())
                    .replace("{example}", example.to_str().unwrap())
            })
            .collect();
        let what = format!("cases.tsv:{} (case {}) tongbao {}", c.line, c.case, c.args);
        let r = run(&args, &what);
        let mut problems = Vec::new();
        if r.code != Some(c.exit) {
            problems.push(format!("exit {:?}, expected {}", r.code, c.exit));
        }
        if !r.stderr.contains(&c.phrase) {
            problems.push(format!("no “{}” in the message", c.phrase));
        }
        if [&r.stderr, &r.stdout]
            .iter()
            .any(|s| s.contains("panicked") || s.contains("RUST_BACKTRACE"))
        {
            problems.push("a panic".into());
        }
        let left = files_in(&out);
        if c.exit != 0 && !left.is_empty() {
            problems.push(format!("a failed run left {left:?}"));
        }
        if c.exit == 0 && args[0] == "render" {
            for f in &left {
                let bytes = std::fs::read(out.join(f)).unwrap();
                if f.ends_with(".pdf")
                    && !(bytes.starts_with(b"%PDF-") && bytes.trim_ascii_end().ends_with(b"%%EOF"))
                {
                    problems.push(format!("{f} is not a whole PDF"));
                }
                if f.ends_with(".docx")
                    && zip::ZipArchive::new(std::io::Cursor::new(&bytes)).is_err()
                {
                    problems.push(format!("{f} is not a zip"));
                }
            }
        }
        if !problems.is_empty() {
            failures.push(format!("{what}: {}\n{}", problems.join("; "), r.stderr));
        }
        let _ = std::fs::remove_dir_all(&out);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Every input file of the folder is used by a row, so none is kept without its check.
#[test]
fn every_input_file_has_its_row() {
    let rows: String = cases().iter().map(|c| format!("{} ", c.args)).collect();
    for name in files_in(&dir()) {
        if name == "cases.tsv" {
            continue;
        }
        assert!(
            rows.contains(&format!("{{dir}}/{name} "))
                || rows.contains(&format!("{{dir}}/{name}/")),
            "tests/hostile/{name} is used by no row of cases.tsv"
        );
    }
    let numbers: std::collections::BTreeSet<u32> = cases().iter().map(|c| c.case).collect();
    assert!(numbers.contains(&2) && numbers.contains(&4) && numbers.contains(&10));
}
