//! `tongbao init`: a commented example quarter file; `--from` the next quarter from this
//! one; `--items` a working draft from an inspection spreadsheet.

use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use tongbao::import::scaffold;

use super::args::InitArgs;

const EXAMPLE: &str = include_str!("../../fixtures/example.yaml");

pub fn init(args: &InitArgs) -> ExitCode {
    if let Some(sheet) = &args.items {
        return from_items(sheet, args);
    }
    if let Some(old) = &args.from {
        return from_previous(old, args.out.as_deref());
    }
    let dir = args.dir.as_deref().unwrap_or(Path::new("."));
    super::write_new_file(
        &dir.join("quarter.yaml"),
        EXAMPLE.as_bytes().to_vec(),
        false,
        "",
    )
}

fn from_items(sheet: &Path, args: &InitArgs) -> ExitCode {
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| sheet.with_extension("yaml"));
    let base = folder(&out);
    let from = relative(sheet, &base);
    let req = scaffold::Request {
        from: &from,
        base: &base,
        sheet: args.sheet.as_deref(),
        header_row: args.header_row,
        fallback: last_quarter(),
    };
    let draft = match scaffold::draft(&req) {
        Ok(d) => d,
        Err(e) => {
            say!("错误：{e}");
            return ExitCode::from(1);
        }
    };
    let code = super::write_new_file(&out, draft.yaml.into_bytes(), false, "");
    if code == ExitCode::SUCCESS {
        for n in &draft.notes {
            say!("提示：{n}");
        }
        say!(
            "提示：各列的含义是按表头猜的，请打开 {} 逐项确认，再运行 tongbao check",
            out.display()
        );
    }
    code
}

fn from_previous(old: &Path, out: Option<&Path>) -> ExitCode {
    let text = match std::fs::read_to_string(old) {
        Ok(t) => t,
        Err(e) => {
            say!(
                "错误：无法读取 {}：{}",
                old.display(),
                tongbao::load::io_reason(&e)
            );
            return ExitCode::from(1);
        }
    };
    // `previous:` is read relative to the new file: beside the old one it is the old name.
    let previous = match out {
        Some(p) => relative(old, &folder(p)),
        None => old
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    let rolled = match tongbao::roll::next_quarter(&text, &previous) {
        Ok(r) => r,
        Err(report) => {
            let mut report = report;
            report.file = old.to_path_buf();
            say_raw!(
                "{}",
                report.render(&tongbao::diag::Style::for_stderr(false))
            );
            say!("{}：无法顺延，未写出文件", old.display());
            return ExitCode::from(1);
        }
    };
    let target = match out {
        Some(p) => p.to_path_buf(),
        None => old.with_file_name(tongbao::roll::next_name(&previous, &rolled)),
    };
    let code = super::write_new_file(&target, rolled.text.into_bytes(), false, "");
    if code == ExitCode::SUCCESS {
        for n in &rolled.notes {
            say!("提示：{n}");
        }
    }
    code
}

/// The folder a file is (to be) written in.
fn folder(file: &Path) -> PathBuf {
    match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A file's path as a quarter file in `base` names it.
fn relative(sheet: &Path, base: &Path) -> String {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (sheet_abs, base_abs) = (abs(sheet), abs(base));
    let s: Vec<Component> = sheet_abs.components().collect();
    let b: Vec<Component> = base_abs.components().collect();
    let common = s.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return sheet_abs.display().to_string();
    }
    let mut rel = PathBuf::new();
    for _ in common..b.len() {
        rel.push("..");
    }
    for c in &s[common..] {
        rel.push(c);
    }
    rel.display().to_string()
}

/// The quarter before today's, for a sheet that does not say which quarter it is.
fn last_quarter() -> (u32, u32) {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400);
    let today = tongbao::import::sheet::excel_date(days as f64 + 25_569.0);
    let year: u32 = today[..4].parse().unwrap_or(2024);
    let month: u32 = today[5..7].parse().unwrap_or(1);
    match (month - 1) / 3 {
        0 => (year - 1, 4),
        q => (year, q),
    }
}
