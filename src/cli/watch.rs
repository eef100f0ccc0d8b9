//! `tongbao watch FILE`: render, then render again each time the file (or a spreadsheet beside
//! it, or a template) is saved, printing the check result each time.
//!
//! The folder is watched rather than the file, because editors save by writing a new file
//! and renaming it over the old one. Our own outputs and temporaries are ignored, and the
//! events of one save (often several) are taken together before rendering.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

use tongbao::diag::Style;

use super::args::RenderArgs;
use super::check::summary;
use super::outputs::Target;
use super::render::Job;

/// Events closer together than this are one save.
const SETTLE: Duration = Duration::from_millis(15);

/// Besides the quarter file itself: spreadsheets it may import and templates.
const INPUT_EXTENSIONS: &[&str] = &["xlsx", "xls", "xlsm", "ods", "csv", "hbs"];

pub fn watch(args: &RenderArgs) -> ExitCode {
    let job = match Job::new(args) {
        Ok(j) => j,
        Err(code) => return code,
    };
    tongbao::pdf::reuse_between_documents();
    if job.to_stdout() {
        say!("错误：watch 写文件，不能用 -o -");
        return ExitCode::from(2);
    }
    let (tx, rx) = mpsc::channel();
    let mut watcher = match notify::recommended_watcher(move |e| {
        let _ = tx.send(e);
    }) {
        Ok(w) => w,
        Err(e) => {
            say!("错误：无法监视文件：{e}");
            return ExitCode::from(1);
        }
    };
    let folder = folder_of(&args.file);
    let mut folders = vec![folder.clone()];
    folders.extend(args.templates.iter().cloned());
    for f in &folders {
        if let Err(e) = watcher.watch(f, RecursiveMode::NonRecursive) {
            say!("错误：无法监视 {}：{e}", f.display());
            return ExitCode::from(1);
        }
    }
    let outputs: Vec<PathBuf> = job
        .plan
        .outputs
        .iter()
        .filter_map(|(_, t)| match t {
            Target::File(p) => Some(absolute(p)),
            Target::Stdout => None,
        })
        .collect();
    let input = absolute(&args.file);
    let style = Style::for_stderr(false);
    say!("正在监视 {}（Ctrl-C 结束）", args.file.display());
    run(&job, &style, Instant::now());
    while let Ok(event) = rx.recv() {
        if !relevant(&event, &input, &outputs) {
            continue;
        }
        let started = Instant::now();
        // The rest of this save's events.
        while let Ok(more) = rx.recv_timeout(SETTLE) {
            drop(more);
        }
        run(&job, &style, started);
    }
    ExitCode::SUCCESS
}

fn run(job: &Job, style: &Style, started: Instant) {
    let outcome = job.run(style);
    say!("{}", summary(&outcome.report));
    match outcome.files {
        Some(files) => {
            let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
            say!(
                "已生成 {}（{} 毫秒）",
                names.join("、"),
                started.elapsed().as_millis()
            );
        }
        None => say!("未生成文件：改正后保存即可重新生成"),
    }
}

/// A change to an input: a file we read (not one we wrote, not a temporary).
fn relevant(event: &notify::Result<notify::Event>, input: &Path, outputs: &[PathBuf]) -> bool {
    let Ok(event) = event else { return false };
    if matches!(event.kind, EventKind::Access(_)) {
        return false;
    }
    event.paths.iter().any(|p| {
        if absolute(p) == input {
            return true;
        }
        let hidden = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_none_or(|n| n.starts_with('.') || n.ends_with('~'));
        let input = p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| INPUT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
        input && !hidden && !outputs.contains(&absolute(p))
    })
}

fn folder_of(file: &Path) -> PathBuf {
    match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}
