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
        if c.phrase.is_empty() && !r.stderr.is_empty() {
            problems.push("a message where none is expected".into());
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
            if !left.iter().any(|f| f.ends_with(".pdf"))
                || !left.iter().any(|f| f.ends_with(".docx"))
            {
                problems.push(format!("a PDF and a DOCX expected, found {left:?}"));
            }
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
    // Cases 1, 6, 7 and 12 need a setup (the functions below and the client tests).
    for case in [2, 3, 4, 5, 9, 10, 11] {
        assert!(numbers.contains(&case), "case {case} has no row");
    }
}

// ---- Cases that need a setup ----

fn example_in(dir: &Path, name: &str) -> PathBuf {
    let file = dir.join(name);
    std::fs::copy(common::root().join("fixtures/example.yaml"), &file).unwrap();
    file
}

fn s(p: &Path) -> String {
    p.to_str().unwrap().to_string()
}

fn render_args(input: &Path, out: &Path, extra: &[&str]) -> Vec<String> {
    let mut a = vec!["render".to_string(), s(input), "-o".into(), s(out)];
    a.extend(extra.iter().map(|x| x.to_string()));
    a
}

fn temporaries(dir: &Path) -> Vec<String> {
    files_in(dir)
        .into_iter()
        .filter(|n| n.ends_with(tongbao::output::cleanup::TEMP_SUFFIX))
        .collect()
}

/// Case 1: a link planted at an output's name (or at the record's) is never written through;
/// without --force the run refuses, with it the link itself is replaced.
#[test]
fn case_1_a_planted_link_is_never_written_through() {
    let d = scratch("link");
    let input = example_in(&d, "q.yaml");
    let out = d.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let victim = d.join("victim.txt");
    std::fs::write(&victim, "不相干的文件").unwrap();
    std::os::unix::fs::symlink(&victim, out.join("q.pdf")).unwrap();
    std::os::unix::fs::symlink(&victim, out.join(".tongbao.sha256")).unwrap();
    let r = run(&render_args(&input, &out, &[]), "render over a link");
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(r.stderr.contains("q.pdf 是一个符号链接"), "{}", r.stderr);
    assert!(
        !out.join("q.docx").exists(),
        "nothing is written when one output is refused"
    );
    let r = run(
        &render_args(&input, &out, &["--force"]),
        "render --force over a link",
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "不相干的文件");
    for name in ["q.pdf", "q.docx", ".tongbao.sha256"] {
        let m = std::fs::symlink_metadata(out.join(name)).unwrap();
        assert!(m.is_file(), "{name} is a plain file now");
    }
    assert!(temporaries(&out).is_empty());
}

/// Case 3: a reader that stops early (`diff --format json | head -c 10`) is no panic.
#[test]
fn case_3_a_closed_pipe_is_not_a_panic() {
    let d = scratch("pipe");
    let old = example_in(&d, "old.yaml");
    let new = d.join("new.yaml");
    let text = std::fs::read_to_string(&old).unwrap();
    std::fs::write(
        &new,
        text.replace("d: {季度检查: 10}}", "d: {季度检查: 20}}"),
    )
    .unwrap();
    let mut child = tongbao(&[
        "diff".into(),
        s(&old),
        s(&new),
        "--format".into(),
        "json".into(),
    ])
    .spawn()
    .unwrap();
    // `| head -c 10` at its harshest: the reader is gone before diff writes its first byte.
    drop(child.stdout.take());
    let r = finish(child, "diff | head -c 10", Duration::from_secs(60));
    assert_eq!(r.code, Some(1), "the documents differ: {}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}

/// Case 6: a file size limit (`ulimit -f`, SIGXFSZ) is a Chinese message with exit 1; the
/// good files of the last run stay, no temporary is left.
#[test]
fn case_6_a_file_size_limit_keeps_the_old_files() {
    let d = scratch("fsize");
    let input = example_in(&d, "q.yaml");
    let out = d.join("out");
    let r = run(&render_args(&input, &out, &[]), "first render");
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let before: Vec<Vec<u8>> = ["q.docx", "q.pdf"]
        .iter()
        .map(|f| std::fs::read(out.join(f)).unwrap())
        .collect();
    std::fs::write(
        &input,
        std::fs::read_to_string(&input)
            .unwrap()
            .replace("区教委专栏", "区教育委员会专栏"),
    )
    .unwrap();
    let script = format!(
        "ulimit -f 32; exec '{}' \"$@\"",
        env!("CARGO_BIN_EXE_tongbao")
    );
    let mut c = Command::new("bash");
    c.arg("-c")
        .arg(script)
        .arg("tongbao")
        .args(render_args(&input, &out, &[]));
    c.stdout(Stdio::piped()).stderr(Stdio::piped());
    let r = finish(
        c.spawn().unwrap(),
        "render under ulimit -f 32",
        Duration::from_secs(60),
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    assert!(
        r.stderr.contains("文件大小超出限制") && r.stderr.contains("原有文件保持原样"),
        "{}",
        r.stderr
    );
    let after: Vec<Vec<u8>> = ["q.docx", "q.pdf"]
        .iter()
        .map(|f| std::fs::read(out.join(f)).unwrap())
        .collect();
    assert!(before == after, "the last good files are kept");
    assert!(temporaries(&out).is_empty(), "{:?}", temporaries(&out));
}

/// Case 6: a full disk (ENOSPC: a 256 KB tmpfs mounted over the output folder in a user
/// namespace, where the example fits and city-large does not) is a Chinese message with
/// exit 1; the good files of the last run stay, no temporary is left.
#[test]
fn case_6_a_full_disk_keeps_the_old_files() {
    let d = scratch("enospc");
    let input = example_in(&d, "q.yaml");
    let (out, keep) = (d.join("out"), d.join("keep"));
    std::fs::create_dir_all(&out).unwrap();
    std::fs::create_dir_all(&keep).unwrap();
    // The mount is gone when unshare ends: what the test checks is copied out first.
    let script = r#"set -e
mount -t tmpfs -o size=256k tmpfs "$2"
"$1" render "$3" -o "$2" >/dev/null
cp -a "$2" "$5/before"
cp "$4" "$3"
set +e
"$1" render "$3" -o "$2" >/dev/null 2>"$5/stderr"
echo $? >"$5/code"
cp -a "$2" "$5/after""#;
    let city = common::root().join("fixtures/city-large.yaml");
    let status = Command::new("unshare")
        .args(["-rm", "sh", "-c", script, "sh"])
        .args([
            env!("CARGO_BIN_EXE_tongbao").to_string(),
            s(&out),
            s(&input),
        ])
        .args([s(&city), s(&keep)])
        .status()
        .expect("this test needs unshare (package util-linux)");
    assert!(
        status.success(),
        "unshare -rm could not mount a tmpfs: this test needs unprivileged user namespaces"
    );
    let code = std::fs::read_to_string(keep.join("code")).unwrap();
    let stderr = std::fs::read_to_string(keep.join("stderr")).unwrap();
    assert_eq!(code.trim(), "1", "{stderr}");
    assert!(
        stderr.contains("磁盘空间不足") && stderr.contains("原有文件保持原样"),
        "{stderr}"
    );
    let (before, after) = (keep.join("before"), keep.join("after"));
    assert_eq!(files_in(&before), files_in(&after), "no temporary left");
    for f in files_in(&before) {
        assert_eq!(
            std::fs::read(before.join(&f)).unwrap(),
            std::fs::read(after.join(&f)).unwrap(),
            "{f} is kept"
        );
    }
    assert!(files_in(&before).contains(&"q.pdf".to_string()));
}

/// Start a render of city-large and deliver `signal` while its temporaries exist: the status
/// it ended with, or `None` when it ended before one was seen (the window is a few
/// milliseconds: the caller tries again).
fn signal_while_writing(out: &Path, signal: i32) -> Option<std::process::ExitStatus> {
    let city = common::root().join("fixtures/city-large.yaml");
    let mut child = tongbao(&render_args(&city, out, &["--force"]))
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if !temporaries(out).is_empty() {
            // SAFETY: signalling our own child, which has not been waited for.
            unsafe { libc::kill(child.id() as i32, signal) };
            return Some(child.wait().unwrap());
        }
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{status:?}");
            return None;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "render did not finish"
        );
        std::thread::sleep(Duration::from_micros(200));
    }
}

/// Case 6: SIGTERM and SIGINT during the writes remove the run's temporaries; `kill -9` leaves
/// them, and the next run in the folder recognises and removes them.
#[test]
fn case_6_interrupted_and_killed_runs_leave_nothing_behind() {
    let d = scratch("kill");
    let out = d.join("out");
    std::fs::create_dir_all(&out).unwrap();
    for signal in [libc::SIGTERM, libc::SIGINT, libc::SIGKILL] {
        let mut caught = None;
        for _ in 0..20 {
            if let Some(r) = signal_while_writing(&out, signal) {
                caught = Some(r);
                break;
            }
        }
        let status =
            caught.unwrap_or_else(|| panic!("never caught a temporary to signal {signal}"));
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(signal), "ended by the signal");
        if signal == libc::SIGKILL {
            assert!(!temporaries(&out).is_empty(), "kill -9 cannot clean up");
            let city = common::root().join("fixtures/city-large.yaml");
            let r = run(&render_args(&city, &out, &[]), "the next run");
            assert_eq!(r.code, Some(0), "{}", r.stderr);
        }
        assert!(
            temporaries(&out).is_empty(),
            "signal {signal}: {:?}",
            temporaries(&out)
        );
    }
    // Whatever was replaced is whole: the outputs are the deterministic render.
    let pdf = std::fs::read(out.join("city-large.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-") && pdf.trim_ascii_end().ends_with(b"%%EOF"));
}

/// Case 7: an output edited by hand (or made read-only) since tongbao wrote it is kept, and so
/// are the others, unless --force; the message names the file and why.
#[test]
fn case_7_hand_edited_and_read_only_outputs_are_kept() {
    let d = scratch("edited");
    let input = example_in(&d, "q.yaml");
    let out = d.join("out");
    let r = run(&render_args(&input, &out, &[]), "first render");
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let pdf = std::fs::read(out.join("q.pdf")).unwrap();
    // The clerk touches the DOCX up in Word.
    let mut docx = std::fs::read(out.join("q.docx")).unwrap();
    docx.extend_from_slice(b"edited");
    std::fs::write(out.join("q.docx"), &docx).unwrap();
    std::fs::write(
        &input,
        std::fs::read_to_string(&input)
            .unwrap()
            .replace("区教委专栏", "区教育委员会专栏"),
    )
    .unwrap();
    let r = run(
        &render_args(&input, &out, &[]),
        "render over an edited DOCX",
    );
    assert_eq!(r.code, Some(1));
    assert!(
        r.stderr.contains("q.docx 在 tongbao 写出后被修改过"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("--force"), "{}", r.stderr);
    assert_eq!(
        std::fs::read(out.join("q.docx")).unwrap(),
        docx,
        "the edits are kept"
    );
    assert_eq!(
        std::fs::read(out.join("q.pdf")).unwrap(),
        pdf,
        "the other output too"
    );
    let r = run(&render_args(&input, &out, &["--force"]), "render --force");
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_ne!(std::fs::read(out.join("q.pdf")).unwrap(), pdf);
    // chmod 444.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(out.join("q.pdf"), std::fs::Permissions::from_mode(0o444)).unwrap();
    let r = run(
        &render_args(&input, &out, &[]),
        "render over a read-only PDF",
    );
    assert_eq!(r.code, Some(1));
    assert!(r.stderr.contains("q.pdf 是只读文件"), "{}", r.stderr);
    // Unchanged outputs are replaced without a word.
    std::fs::set_permissions(out.join("q.pdf"), std::fs::Permissions::from_mode(0o644)).unwrap();
    let r = run(&render_args(&input, &out, &[]), "render again");
    assert_eq!(r.code, Some(0), "{}", r.stderr);
}

/// Case 9: fonts cut short or damaged are errors naming the file, before anything is written.
#[test]
fn case_9_broken_fonts_are_errors_naming_the_file() {
    let d = scratch("fonts");
    let input = example_in(&d, "q.yaml");
    let kaiti = std::fs::read(common::root().join("fonts/gkai00mp.ttf")).unwrap();
    let n = kaiti.len();
    let mut damaged = kaiti.clone();
    damaged[n / 4..n / 2].fill(0xA5);
    for (what, bytes, phrase) in [
        ("truncated", &kaiti[..1024], "kaiti.ttf"),
        ("damaged", &damaged[..], "已损坏"),
    ] {
        let fonts = d.join(what);
        std::fs::create_dir_all(&fonts).unwrap();
        std::fs::write(fonts.join("kaiti.ttf"), bytes).unwrap();
        let out = d.join(format!("out-{what}"));
        let r = run(&render_args(&input, &out, &["--fonts", &s(&fonts)]), what);
        assert_eq!(r.code, Some(1), "{what}: {}", r.stderr);
        assert!(
            r.stderr.contains("kaiti.ttf") && r.stderr.contains(phrase),
            "{what}: {}",
            r.stderr
        );
        assert!(files_in(&out).is_empty(), "{what}");
    }
}
