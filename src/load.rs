//! load: bytes of a quarter file → [`Quarter`], or every problem found, in Chinese with
//! file:line:column. Hostile input (alias bombs, deep nesting, huge files) is bounded.
//!
//! serde-saphyr stops at the first error. To list every error it can reach, the loader
//! patches the text where the error was (a placeholder value of the expected type, a
//! misspelt key renamed, the list element dropped: see `translate::Fix`) and reads it again,
//! keeping lines and columns where they were, until the file reads or no patch helps.
//!
//! While a file is read, a [`Session`] collects what the deserializers find besides errors:
//! values read the clerk's way (`crate::clerk`, shown by `check --explain`) and the problems
//! of spreadsheets the items are imported from (`crate::import`).

mod direct;
mod slips;
mod subset;
mod translate;

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use serde_saphyr::{Budget, Options};

use crate::diag::{Diagnostic, Pos, Report, Severity};
use crate::model::Quarter;
use crate::yamltree;

pub use translate::did_you_mean;
pub(crate) use translate::{expected_zh, message_hint};

/// Larger files are refused before parsing: a city-level quarter with 20,000 accounts is ≈ 3 MB.
const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// `check` lists at most this many load errors of one file.
const MAX_ERRORS: usize = 100;

/// A quarter file that did not read: its errors, and, when each of them could be set aside
/// without touching a figure, a list or a template (a misspelt key renamed, a text of the
/// document section emptied: `translate::Fix::keeps_figures`), the model read so: `check`
/// lists its other problems too.
#[derive(Debug)]
pub struct Unread {
    pub report: Report,
    pub patched: Option<Box<Quarter>>,
}

/// Read and parse a quarter file. Ok holds the model and a report with the file's text, the
/// spreadsheets it imports and any warnings or notes; on failure the report holds at least one
/// error.
pub fn load_file(path: &Path) -> Result<(Quarter, Report), Unread> {
    let mut report = Report::new(path);
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            let d = Diagnostic::error(
                Pos::default(),
                "",
                format!("无法读取文件：{}", io_reason(&e)),
            );
            report.push(match io_hint(&e, path) {
                Some(hint) => d.with_hint(hint),
                None => d,
            });
            return Err(Unread {
                report,
                patched: None,
            });
        }
    };
    let base = path.parent().unwrap_or(Path::new("")).to_path_buf();
    match read(&bytes, &base, &mut report) {
        Read::Whole(q) => Ok((q, report)),
        Read::Patched(q) => Err(Unread {
            report,
            patched: Some(Box::new(q)),
        }),
        Read::Failed => Err(Unread {
            report,
            patched: None,
        }),
    }
}

/// Why a file could not be read, in Chinese.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "文件不存在".into(),
        std::io::ErrorKind::PermissionDenied => "没有读取权限".into(),
        _ => crate::ioerror::reason(e),
    }
}

/// What to do about a file that could not be read.
fn io_hint(e: &std::io::Error, path: &Path) -> Option<String> {
    let folder = e.kind() == std::io::ErrorKind::IsADirectory || e.raw_os_error() == Some(21);
    match e.kind() {
        _ if folder => Some(format!(
            "请给出文件夹里的季度描述文件，如 {}",
            path.join("quarter.yaml").display()
        )),
        std::io::ErrorKind::NotFound => {
            Some("检查文件名和路径（相对路径从当前文件夹算起）；新建请用 tongbao init".into())
        }
        std::io::ErrorKind::PermissionDenied => {
            Some("用 ls -l 查看文件的权限，或把文件复制到有权读取的位置".into())
        }
        _ => None,
    }
}

/// Parse bytes into the model (spreadsheets named in it are looked up from the current
/// folder); the text is returned for later position look-ups. Err holds every error found.
pub fn parse(bytes: &[u8]) -> Result<(Quarter, String), Vec<Diagnostic>> {
    let mut report = Report::new(Path::new(""));
    match read(bytes, Path::new(""), &mut report) {
        Read::Whole(q) => Ok((q, report.text)),
        _ => Err(report.items),
    }
}

/// Parse a quarter file's bytes as if it were in `base` (spreadsheets looked up there), without
/// reading it from disk: for drafts checked before they are written.
pub fn parse_at(bytes: &[u8], base: &Path) -> Result<(Quarter, Report), Report> {
    let mut report = Report::new(Path::new(""));
    match read(bytes, base, &mut report) {
        Read::Whole(q) => Ok((q, report)),
        _ => Err(report),
    }
}

/// The text of a quarter file: UTF-8 without BOM, not empty.
fn text_of(bytes: &[u8]) -> Result<&str, Diagnostic> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Diagnostic::error(
            Pos::default(),
            "",
            format!(
                "文件过大（{} 字节），上限为 {} 字节",
                bytes.len(),
                MAX_FILE_BYTES
            ),
        ));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.strip_prefix('\u{feff}').unwrap_or(t),
        Err(e) => {
            let pos = pos_of_offset(bytes, e.valid_up_to());
            return Err(
                Diagnostic::error(pos, "", "文件不是有效的 UTF-8 文本").with_hint(
                    "请用 UTF-8 编码保存（记事本“另存为”选 UTF-8），不要用 GBK 或 Excel 直接导出",
                ),
            );
        }
    };
    // Old Mac files end lines with CR alone: a line is what ends with either.
    let blank = text
        .split(['\n', '\r'])
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'));
    if blank {
        return Err(Diagnostic::error(
            Pos::new(1, 1),
            "",
            "文件为空：须包含 document、quarter 等字段",
        )
        .with_hint("可用 tongbao init 生成一个带注释的示例"));
    }
    Ok(text)
}

/// What [`read`] made of a file.
enum Read {
    Whole(Quarter),
    /// Read once its errors were set aside without touching a figure ([`Unread::patched`]).
    Patched(Quarter),
    Failed,
}

/// Read the text into the model, filling the report (text, sheets, errors, notes).
fn read(bytes: &[u8], base: &Path, report: &mut Report) -> Read {
    let text = match text_of(bytes) {
        Ok(t) => t,
        Err(d) => {
            report.push(d);
            return Read::Failed;
        }
    };
    report.text = text.to_string();
    let found = crate::textcheck::errors(text);
    if !found.is_empty() {
        report.items.extend(found);
        return Read::Failed;
    }
    let session = SessionGuard::start(base);
    let read = match attempt(text) {
        Ok(q) => Read::Whole(q),
        Err(e) => every_error(text, e, report).map_or(Read::Failed, Read::Patched),
    };
    let session = session.finish();
    report.sheets = session.sheets;
    let mut found = session.found;
    found.sort_by(|a, b| (a.pos, &a.message).cmp(&(b.pos, &b.message)));
    found.dedup();
    let import_failed = found.iter().any(|d| d.severity == Severity::Error);
    report.items.extend(found);
    match read {
        _ if import_failed => Read::Failed,
        Read::Whole(q) => {
            if !session.notes.is_empty() {
                report.items.extend(name_notes(text, session.notes));
            }
            Read::Whole(q)
        }
        other => other,
    }
}

fn options() -> Options {
    let mut budget = Budget::default();
    budget.max_depth = 64;
    budget.max_nodes = 4_000_000;
    budget.max_events = 8_000_000;
    budget.max_aliases = 1_000;
    let mut options = Options::default();
    options.budget = Some(budget);
    // The model keeps no comment: not collecting them (they are still scanned) saves ≈ 3 %.
    options.emit_comments = false;
    options
}

/// Read the text into the model: directly when it is in the subset `direct` reads (most
/// files: a third of the instructions), otherwise, and for every error, with serde-saphyr.
fn attempt(text: &str) -> Result<Quarter, serde_saphyr::Error> {
    with_session(|s| s.notes.clear());
    let before = with_session(|s| (s.sheets.len(), s.found.len()));
    if let Some(q) = direct::read::<Quarter>(text) {
        return Ok(q);
    }
    // What the direct reading imported before it gave up is imported again.
    with_session(|s| {
        s.notes.clear();
        if let Some((sheets, found)) = before {
            s.sheets.truncate(sheets);
            s.found.truncate(found);
        }
    });
    serde_saphyr::from_str_with_options::<Quarter>(text, options())
}

/// The position serde-saphyr gives an error (before translation).
fn raw_pos(e: &serde_saphyr::Error) -> Option<Pos> {
    let e = match e {
        serde_saphyr::Error::WithSnippet { error, .. } => error.as_ref(),
        other => other,
    };
    e.location().map(|l| Pos::of(&l)).filter(|p| p.line > 0)
}

/// Every error of a file that failed to read: a syntax error (the parser cannot go on),
/// duplicate keys (serde-saphyr reads the first and fails on a consequence), or each value
/// error in turn, patching the text after each. Returns the model of the patched text when it
/// reads and no patch touched a figure or a list ([`translate::Fix::keeps_figures`]).
fn every_error(text: &str, first: serde_saphyr::Error, report: &mut Report) -> Option<Quarter> {
    if translate::is_refusal(&first) {
        // Refused for its size (budget, alias bomb): no second look at such a text.
        report.push(translate::translate(&first, text, None).0);
        return None;
    }
    let tree = match yamltree::parse(text) {
        Ok(t) => t,
        Err(scan) => {
            report
                .items
                .extend(syntax_errors(translate::syntax(&scan, text), text));
            return None;
        }
    };
    let dups = yamltree::duplicates(&tree);
    if !dups.is_empty() {
        report.items.extend(dups.iter().map(translate::duplicate));
        return None;
    }
    let mut patched = text.to_string();
    let mut tree = tree;
    let mut error = first;
    let mut keeps_figures = true;
    for n in 0.. {
        let (d, fix) = translate::translate(&error, &patched, Some(&tree));
        if n == MAX_ERRORS {
            report.push(Diagnostic::warning(
                d.pos,
                "",
                format!("错误过多，只列出前 {MAX_ERRORS} 个"),
            ));
            return None;
        }
        keeps_figures &= fix.keeps_figures(&d.field);
        report.push(slips::cause(&patched, &d).unwrap_or(d));
        let at = raw_pos(&error)?;
        let next = patch(&patched, &tree, at, &fix)?;
        let Ok(next_tree) = yamltree::parse(&next) else {
            return None;
        };
        match attempt(&next) {
            Ok(q) => return keeps_figures.then_some(q),
            // Only errors further on: one at or before the last is a consequence of a patch.
            Err(e) if raw_pos(&e).is_some_and(|p| p > at) => error = e,
            Err(_) => return None,
        }
        patched = next;
        tree = next_tree;
    }
    None
}

/// The parser's syntax error and every other likely slip of the file (the parser cannot go on
/// past the first), in line order; a slip on the error's line is the error itself.
fn syntax_errors(error: Diagnostic, text: &str) -> Vec<Diagnostic> {
    let mut all: Vec<Diagnostic> = slips::scan(text)
        .into_iter()
        .filter(|d| d.pos.line != error.pos.line)
        .collect();
    all.push(error);
    all.sort_by_key(|d| d.pos);
    all
}

/// The text with one fix applied at a position, lines and columns kept where possible.
fn patch(text: &str, tree: &yamltree::Node, at: Pos, fix: &translate::Fix) -> Option<String> {
    use translate::Fix;
    use yamltree::{Kind, Step};
    let offset = yamltree::offset_of(text, at.line, at.column);
    let chain = tree.chain_at(offset);
    let (_, node) = *chain.last()?;
    match fix {
        Fix::Stop => None,
        Fix::RenameKey(p) => Some(overwrite(text, node.start..node.end, p)),
        Fix::Placeholder(p) => {
            let value = yamltree::value_of(&chain)?;
            Some(overwrite(text, value.start..value.end, p))
        }
        Fix::DropEntry => {
            let map = chain
                .iter()
                .rev()
                .find(|(_, n)| matches!(n.kind, Kind::Map(_)))?
                .1;
            let entry = map
                .entries()
                .iter()
                .find(|e| e.key.start <= offset && offset < e.value.end.max(e.key.end))?;
            let mut end = entry.value.end.max(entry.key.end);
            if map.flow {
                end = comma_after(text, end);
            }
            Some(overwrite(text, entry.key.start..end, ""))
        }
        Fix::DropElement => {
            let i = chain
                .iter()
                .rposition(|(s, _)| matches!(s, Some(Step::Index(_))))?;
            let (seq, element) = (chain[i - 1].1, chain[i].1);
            let mut start = element.start;
            let mut end = element.end;
            if seq.flow {
                end = comma_after(text, end);
            } else {
                // The "- " before a block element goes too.
                let before = text[..start].trim_end_matches(' ');
                if before.ends_with('-') {
                    start = before.len() - 1;
                }
            }
            Some(overwrite(text, start..end, ""))
        }
    }
}

/// The offset just past the comma following `end` in a flow collection (or `end` itself).
fn comma_after(text: &str, end: usize) -> usize {
    let rest = &text[end..];
    let skipped = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    if rest[skipped..].starts_with(',') {
        end + skipped + 1
    } else {
        end
    }
}

/// Replace a span by `with` followed by spaces, keeping the span's line breaks, so that the
/// text after it stays on the same line and column.
fn overwrite(text: &str, span: std::ops::Range<usize>, with: &str) -> String {
    let mut out = String::with_capacity(text.len() + with.len());
    out.push_str(&text[..span.start]);
    out.push_str(with);
    let mut skip = with.chars().count();
    for c in text[span.clone()].chars() {
        if c == '\n' || c == '\r' {
            out.push(c);
            skip = 0;
        } else if skip > 0 {
            skip -= 1;
        } else {
            out.push(' ');
        }
    }
    out.push_str(&text[span.end..]);
    out
}

/// Notes of the quarter file named by the field they were read for.
fn name_notes(text: &str, notes: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let tree = yamltree::parse(text).ok();
    notes
        .into_iter()
        .map(|mut d| {
            if let (Some(tree), 0) = (&tree, d.pos.source) {
                let offset = yamltree::offset_of(text, d.pos.line, d.pos.column);
                let chain = tree.chain_at(offset);
                d.field = yamltree::field_path(chain.iter().filter_map(|(s, _)| s.as_ref()));
            }
            d
        })
        .collect()
}

/// Line and column (1-based, in characters) of a byte offset.
fn pos_of_offset(bytes: &[u8], offset: usize) -> Pos {
    let before = &bytes[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count() as u64
        + 1;
    Pos::new(line, column)
}

/// What the deserializers of one file report besides errors.
#[derive(Default)]
pub(crate) struct Session {
    /// The folder spreadsheets are looked up from (the quarter file's).
    pub base: PathBuf,
    /// Spreadsheets imported, as printed; `Pos::source` n is `sheets[n - 1]`.
    pub sheets: Vec<String>,
    /// Problems of the imported spreadsheets.
    pub found: Vec<Diagnostic>,
    /// How values written the clerk's way were read.
    pub notes: Vec<Diagnostic>,
}

thread_local! {
    static SESSION: RefCell<Option<Session>> = const { RefCell::new(None) };
}

/// The session of the file being read on this thread, if any. `f` must not read YAML itself.
pub(crate) fn with_session<R>(f: impl FnOnce(&mut Session) -> R) -> Option<R> {
    SESSION.with(|s| s.borrow_mut().as_mut().map(f))
}

/// Record a value read the clerk's way.
pub(crate) fn note(pos: Pos, message: String) {
    with_session(|s| s.notes.push(Diagnostic::note(pos, "", message)));
}

/// Installs a session for one file and restores the previous one (a nested load) after.
struct SessionGuard {
    previous: Option<Session>,
}

impl SessionGuard {
    fn start(base: &Path) -> Self {
        let session = Session {
            base: base.to_path_buf(),
            ..Session::default()
        };
        SessionGuard {
            previous: SESSION.with(|s| s.borrow_mut().replace(session)),
        }
    }

    fn finish(mut self) -> Session {
        let previous = self.previous.take();
        SESSION
            .with(|s| std::mem::replace(&mut *s.borrow_mut(), previous))
            .unwrap_or_default()
    }
}

impl Drop for SessionGuard {
    fn drop(&mut self) {
        if let Some(previous) = self.previous.take() {
            SESSION.with(|s| *s.borrow_mut() = Some(previous));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errs(text: &str) -> Vec<Diagnostic> {
        match parse(text.as_bytes()) {
            Ok(_) => panic!("expected an error for {text:?}"),
            Err(d) => d,
        }
    }

    fn err(text: &str) -> Diagnostic {
        errs(text).remove(0)
    }

    const MINIMAL: &str = "document:\n  issuer: 某区人民政府办公室\n  date: 2021-07-07\nquarter:\n  year: 2021\n  number: 2\n";

    #[test]
    fn minimal_file_parses() {
        let (q, _) = parse(MINIMAL.as_bytes()).unwrap();
        assert_eq!(q.document.issuer.value, "某区人民政府办公室");
        assert_eq!(q.quarter.number.as_ref().map(|n| n.value), Some(2));
    }

    #[test]
    fn unknown_field_suggests_the_right_one() {
        let d = err(&MINIMAL.replace("  issuer:", "  isuer:"));
        assert_eq!(d.pos.line, 2);
        assert_eq!(d.field, "document.isuer");
        assert!(
            d.hint.as_deref().unwrap().contains("是否应为“issuer”"),
            "{d:?}"
        );
    }

    #[test]
    fn missing_field_is_placed_at_its_parent() {
        let d = err("document:\n  issuer: X\nquarter:\n  year: 2021\n  number: 2\n");
        assert_eq!(d.field, "document.date");
        assert!(d.message.contains("“document”缺少必填字段“date”"), "{d:?}");
        assert_eq!((d.pos.line, d.pos.column), (1, 1), "{d:?}");
        assert!(d.hint.unwrap().contains("date: 2024-07-05"));
    }

    #[test]
    fn wrong_type_names_line_and_field() {
        let d = err(&MINIMAL.replace("year: 2021", "year: 二〇二一"));
        assert_eq!((d.pos.line, d.field.as_str()), (5, "quarter.year"));
        assert!(d.message.contains("整数"), "{}", d.message);
        assert!(d.hint.unwrap().contains("阿拉伯数字"));
    }

    #[test]
    fn every_value_error_at_once() {
        let text = MINIMAL
            .replace("year: 2021", "year: 二〇二一")
            .replace("number: 2", "number: 二")
            .replace("  isuer:", "  issuer:")
            .replace("  date:", "  dat:");
        let found = errs(&text);
        let fields: Vec<&str> = found.iter().map(|d| d.field.as_str()).collect();
        assert_eq!(
            fields,
            ["document.dat", "quarter.year", "quarter.number"],
            "{found:#?}"
        );
    }

    #[test]
    fn full_width_digits_and_yes_no_are_read_and_noted() {
        let text = MINIMAL
            .replace("year: 2021", "year: ２０２１")
            .replace("  date: 2021-07-07", "  sealed: 是\n  date: 2021年7月7日");
        let mut report = Report::new(Path::new("q.yaml"));
        let Read::Whole(q) = read(text.as_bytes(), Path::new(""), &mut report) else {
            panic!("does not read: {:?}", report.items);
        };
        assert_eq!(q.quarter.year.value, 2021);
        assert!(q.document.sealed);
        let notes: Vec<String> = report
            .items
            .iter()
            .map(|d| format!("{}:{} {} {}", d.pos.line, d.pos.column, d.field, d.message))
            .collect();
        assert_eq!(
            notes,
            [
                "3:11 document.sealed “是”读作 true（是）",
                "4:9 document.date “2021年7月7日”读作 2021-07-07",
                "6:9 quarter.year “２０２１”读作 2021"
            ],
            "{report:?}"
        );
    }

    #[test]
    fn invalid_utf8_is_located() {
        let mut bytes = b"document:\n  issuer: ".to_vec();
        bytes.extend_from_slice(&[0xb4, 0xf3]); // GBK bytes
        let d = parse(&bytes).unwrap_err().remove(0);
        assert_eq!((d.pos.line, d.pos.column), (2, 11));
        assert!(d.message.contains("UTF-8"));
    }

    #[test]
    fn empty_and_wrong_top_level() {
        assert!(err("").message.contains("文件为空"));
        assert!(err("   \n# 只有注释\n").message.contains("文件为空"));
        let d = err("- a\n- b\n");
        assert!(d.message.contains("映射"), "{}", d.message);
    }

    #[test]
    fn cr_only_line_ends_are_lines() {
        let text = format!("# 注释\n{MINIMAL}").replace('\n', "\r");
        let (q, _) = parse(text.as_bytes()).unwrap();
        assert_eq!(q.quarter.year.value, 2021);
    }

    #[test]
    fn duplicate_top_level_key_is_named() {
        let text = MINIMAL.replace("quarter:\n", "quarter:\n  year: 2021\nquarter:\n");
        let d = err(&text);
        assert_eq!((d.pos.line, d.field.as_str()), (6, "quarter"), "{d:?}");
        assert!(d.message.contains("第 4 行已经出现过"), "{d:?}");
    }

    #[test]
    fn a_bad_deduction_is_named_by_its_own_key() {
        let text = format!(
            "{MINIMAL}inspections:\n  - id: a\n    kind: 专栏\n    items:\n      - {{unit: 甲, d: {{季度检查: 十}}}}\n      - {{unit: 乙, d: {{季度检查: 1e40}}}}\n"
        );
        let found = errs(&text);
        let fields: Vec<&str> = found.iter().map(|d| d.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "inspections[0].items[0].d.季度检查",
                "inspections[0].items[1].d.季度检查"
            ],
            "{found:#?}"
        );
    }

    #[test]
    fn syntax_error_is_located() {
        let d = err("document:\n  issuer: [未闭合\nquarter: {}\n");
        assert!(d.pos.line >= 2, "{d:?}");
        assert!(d.hint.is_some());
    }

    #[test]
    fn clerk_slips_are_named_with_a_hint() {
        let cases = [
            ("  year: 2021", "\tyear: 2021", (5, 1), "Tab", "空格"),
            ("  year: 2021", "  year：2021", (5, 7), "全角", "year: 2021"),
            (
                "  year: 2021",
                "  year:2021",
                (5, 7),
                "缺少空格",
                "year: 2021",
            ),
            (
                "  number: 2",
                "   number: 2",
                (6, 4),
                "多缩进了 1 格",
                "2 个空格",
            ),
            ("  date:", " date:", (3, 2), "对不齐", "缩进"),
        ];
        for (from, to, (line, column), message, hint) in cases {
            let d = err(&MINIMAL.replace(from, to));
            assert_eq!((d.pos.line, d.pos.column), (line, column), "{to}: {d:?}");
            assert!(d.message.contains(message), "{to}: {d:?}");
            assert!(
                d.hint.as_deref().unwrap_or("").contains(hint),
                "{to}: {d:?}"
            );
        }
    }

    #[test]
    fn every_slip_is_named_when_the_parser_stops() {
        let text = MINIMAL
            .replace("  issuer:", "\tissuer:")
            .replace("  date: 2021-07-07", "  date：2021-07-07")
            .replace("number: 2", "number:2");
        let found: Vec<(u64, u64, bool)> = errs(&text)
            .iter()
            .map(|d| (d.pos.line, d.pos.column, d.hint.is_some()))
            .collect();
        assert_eq!(found, [(2, 1, true), (3, 7, true), (6, 9, true)]);
    }

    #[test]
    fn a_slip_that_reads_as_a_wrong_value_is_named() {
        // The only key of a mapping, written with a slip, makes the mapping a string.
        for (slip, column, message) in [("year：2021", 7, "全角"), ("year:2021", 7, "缺少空格")]
        {
            let text = format!("document:\n  issuer: X\n  date: 2021-07-07\nquarter:\n  {slip}\n");
            let d = err(&text);
            assert_eq!((d.pos.line, d.pos.column), (5, column), "{slip}: {d:?}");
            assert!(d.message.contains(message), "{slip}: {d:?}");
            assert_eq!(d.field, "quarter.year", "{slip}: {d:?}");
            assert!(d.hint.unwrap().contains("year: 2021"), "{slip}");
        }
    }

    #[test]
    fn a_comment_inside_folded_text_is_named() {
        let text = format!(
            "{MINIMAL}sections:\n  - heading: 总体情况\n    paragraphs:\n      - 一是个别专栏更新不及时。\n        # 二是\n        部分单位\n"
        );
        let d = err(&text);
        assert_eq!(d.pos.line, 11, "{d:?}");
        assert!(d.message.contains("#"), "{d:?}");
    }

    #[test]
    fn alias_bomb_is_refused_fast() {
        let big = "长".repeat(10_000);
        let refs = vec!["*s"; 5_000].join(", ");
        let y = format!("document:\n  issuer: &s {big}\n  date: 2021-07-07\n  basis: [{refs}]\nquarter: {{year: 2021, number: 2}}\n");
        let t = std::time::Instant::now();
        let d = err(&y);
        assert!(t.elapsed().as_secs() < 1);
        assert!(
            d.message.contains("别名") || d.message.contains("安全上限"),
            "{}",
            d.message
        );
    }

    #[test]
    fn deep_nesting_is_refused() {
        let y = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let d = err(&y);
        assert!(
            d.message.contains("嵌套") || d.message.contains("安全上限"),
            "{}",
            d.message
        );
    }

    #[test]
    fn overwrite_keeps_columns() {
        assert_eq!(overwrite("a: 十十\nb: 1", 3..9, "0"), "a: 0 \nb: 1");
        assert_eq!(overwrite("[x, y]", 1..4, ""), "[   y]");
    }

    #[test]
    fn edit_distance_suggestions() {
        assert_eq!(
            did_you_mean("recipient", &["recipients", "issuer"]),
            Some("recipients")
        );
        assert_eq!(did_you_mean("zzz", &["recipients", "issuer"]), None);
    }
}
