//! Diagnostics: every problem found in a quarter file, in Chinese, each with its place
//! (file:line:column, or the spreadsheet cell an imported value came from), the source line
//! with a caret under the column, and a `提示：` line with the fix where there is one.
//!
//! The first line of each message keeps the greppable `place: 错误: field: message` form
//! (editors jump to it); the snippet below it is drawn by annotate-snippets, which serde-saphyr
//! already builds, so it costs no crate of its own.

use std::fmt;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

/// How bad a problem is: errors stop `render`, warnings are printed and rendering goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Invalid input: nothing can be rendered.
    Error,
    /// A figure the YAML states that the data contradicts: `check` fails, `render` goes on
    /// and prints the computed figure.
    Contradiction,
    Warning,
    /// How an input written the clerk's way was read (是 → true, ２０２４ → 2024): shown by
    /// `check --explain`, never counted as a problem.
    Note,
}

impl Severity {
    pub fn zh(self) -> &'static str {
        match self {
            Severity::Error => "错误",
            Severity::Contradiction => "矛盾",
            Severity::Warning => "警告",
            Severity::Note => "说明",
        }
    }
}

/// A place in the input, 1-based; line 0 means unknown. `source` 0 is the quarter file itself;
/// n ≥ 1 is the n-th spreadsheet its items were imported from (`Report::sheets`), where the
/// line is the row and the column the column of the cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize)]
pub struct Pos {
    pub source: u32,
    pub line: u64,
    pub column: u64,
}

impl Pos {
    /// A place in the quarter file itself.
    pub const fn new(line: u64, column: u64) -> Self {
        Pos {
            source: 0,
            line,
            column,
        }
    }

    pub fn of(loc: &serde_saphyr::Location) -> Self {
        Pos {
            source: loc.source_id(),
            line: loc.line(),
            column: loc.column(),
        }
    }
}

/// Where a value read with its place was written.
pub fn pos<T>(s: &serde_saphyr::Spanned<T>) -> Pos {
    Pos::of(&s.referenced)
}

/// One problem: where, which field, what is wrong and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub pos: Pos,
    /// The field path, e.g. `inspections[0].items[14].result`; empty when not tied to one.
    pub field: String,
    pub message: String,
    /// How to fix it, printed after `提示：`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(pos: Pos, field: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            pos,
            field: field.into(),
            message: message.into(),
            hint: None,
        }
    }

    pub fn contradiction(pos: Pos, field: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Contradiction,
            ..Diagnostic::error(pos, field, message)
        }
    }

    pub fn warning(pos: Pos, field: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(pos, field, message)
        }
    }

    pub fn note(pos: Pos, field: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Note,
            ..Diagnostic::error(pos, field, message)
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// All diagnostics of one file.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub file: PathBuf,
    /// The file's text, for the source line under each message; empty when unknown.
    pub text: String,
    /// The spreadsheets items were imported from, as printed ("检查结果.xlsx 政务新媒体"):
    /// `Pos::source` n ≥ 1 names `sheets[n - 1]`.
    pub sheets: Vec<String>,
    pub items: Vec<Diagnostic>,
}

/// How to print a report: with colour (a terminal) or without, with the notes or without.
#[derive(Debug, Clone, Copy, Default)]
pub struct Style {
    pub colour: bool,
    /// Print the [`Severity::Note`]s too (`check --explain`).
    pub explain: bool,
}

impl Style {
    /// Colour when stderr is a terminal and `NO_COLOR` is unset or empty (no-color.org).
    pub fn for_stderr(explain: bool) -> Self {
        use std::io::IsTerminal;
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Style {
            colour: !no_color && std::io::stderr().is_terminal(),
            explain,
        }
    }
}

impl Report {
    pub fn new(file: &Path) -> Self {
        Report {
            file: file.to_path_buf(),
            ..Report::default()
        }
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    /// Diagnostics in file order (errors before warnings at the same place).
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        v.sort_by_key(|d| (d.pos, d.severity));
        v
    }

    /// Where a diagnostic points, as printed: `q.yaml:8:11`, `检查结果.xlsx 政务新媒体!D12`.
    pub fn place(&self, pos: Pos) -> String {
        if pos.source == 0 {
            let file = self.file.display();
            return match pos.line {
                0 => file.to_string(),
                _ => format!("{file}:{}:{}", pos.line, pos.column),
            };
        }
        let sheet = self
            .sheets
            .get(pos.source as usize - 1)
            .map_or("（导入的表格）", String::as_str);
        match pos.line {
            0 => sheet.to_string(),
            _ => format!("{sheet}!{}", cell_ref(pos.line, pos.column)),
        }
    }

    /// Every diagnostic (notes only with `style.explain`), each followed by its source line
    /// with a caret and its 提示.
    pub fn render(&self, style: &Style) -> String {
        let renderer = if style.colour {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let mut out = String::new();
        for d in self.sorted() {
            if d.severity == Severity::Note && !style.explain {
                continue;
            }
            out.push_str(&self.place(d.pos));
            out.push_str(": ");
            out.push_str(d.severity.zh());
            out.push_str(": ");
            if !d.field.is_empty() {
                out.push_str(&d.field);
                out.push_str(": ");
            }
            out.push_str(&d.message);
            out.push('\n');
            let level = match d.severity {
                Severity::Error => Level::ERROR,
                Severity::Contradiction | Severity::Warning => Level::WARNING,
                Severity::Note => Level::NOTE,
            };
            let mut group = Group::with_level(level.clone());
            let mut drawn = false;
            if let Some((line, span)) = self.source_line(d.pos) {
                group = group.element(
                    Snippet::source(line)
                        .line_start(d.pos.line as usize)
                        .annotation(AnnotationKind::Primary.span(span)),
                );
                drawn = true;
            }
            if let Some(hint) = &d.hint {
                group = group.element(Level::HELP.no_name().message(format!("提示：{hint}")));
                drawn = true;
            }
            if drawn {
                out.push_str(&renderer.render(&[group]));
                out.push('\n');
            }
        }
        out
    }

    /// The line of the quarter file a position is on, and the byte span of its character.
    fn source_line(&self, pos: Pos) -> Option<(&str, std::ops::Range<usize>)> {
        if pos.source != 0 || pos.line == 0 {
            return None;
        }
        let line = self
            .text
            .split_inclusive('\n')
            .nth(pos.line as usize - 1)?
            .trim_end_matches(['\n', '\r']);
        let column = pos.column.max(1) as usize - 1;
        let start = line
            .char_indices()
            .nth(column)
            .map_or(line.len(), |(b, _)| b);
        let end = line[start..]
            .chars()
            .next()
            .map_or(start, |c| start + c.len_utf8());
        Some((line, start..end))
    }

    /// The report as JSON for other tools: `{file, errors, contradictions, warnings,
    /// diagnostics: [{severity, place, line, column, field, message, hint}]}` (notes only
    /// when `explain`).
    pub fn to_json(&self, explain: bool) -> serde_json::Value {
        let diagnostics: Vec<serde_json::Value> = self
            .sorted()
            .into_iter()
            .filter(|d| explain || d.severity != Severity::Note)
            .map(|d| {
                let mut v = serde_json::json!({
                    "severity": d.severity,
                    "place": self.place(d.pos),
                    "line": d.pos.line,
                    "column": d.pos.column,
                    "field": d.field,
                    "message": d.message,
                });
                if d.pos.source != 0 {
                    v["sheet"] = self.sheets.get(d.pos.source as usize - 1).cloned().into();
                }
                if let Some(h) = &d.hint {
                    v["hint"] = h.clone().into();
                }
                v
            })
            .collect();
        serde_json::json!({
            "file": self.file.display().to_string(),
            "errors": self.count(Severity::Error),
            "contradictions": self.count(Severity::Contradiction),
            "warnings": self.count(Severity::Warning),
            "diagnostics": diagnostics,
        })
    }
}

/// A spreadsheet cell's name: row 12, column 4 → "D12".
pub fn cell_ref(row: u64, column: u64) -> String {
    let mut letters = Vec::new();
    let mut n = column;
    while n > 0 {
        let r = (n - 1) % 26;
        letters.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{row}", String::from_utf8_lossy(&letters))
}

impl fmt::Display for Report {
    /// The plain rendering (no colour, no notes), as printed when stderr is not a terminal.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(&Style::default()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Report {
        Report {
            file: "q.yaml".into(),
            text: "quarter:\n  year：2024\n".into(),
            sheets: vec!["检查结果.xlsx 政务新媒体".into()],
            items: Vec::new(),
        }
    }

    #[test]
    fn cell_names() {
        assert_eq!(cell_ref(12, 4), "D12");
        assert_eq!(cell_ref(1, 26), "Z1");
        assert_eq!(cell_ref(3, 27), "AA3");
        assert_eq!(cell_ref(3, 52), "AZ3");
    }

    #[test]
    fn message_with_source_line_caret_and_hint() {
        let mut r = report();
        r.push(
            Diagnostic::error(Pos::new(2, 7), "quarter.year", "冒号是全角的“：”")
                .with_hint("改为半角冒号加空格：year: 2024"),
        );
        let text = r.to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "q.yaml:2:7: 错误: quarter.year: 冒号是全角的“：”");
        let src = lines.iter().position(|l| l.contains("year：2024")).unwrap();
        assert!(lines[src].starts_with("2 |"), "{text}");
        // The caret sits under the full-width colon, which is two columns wide.
        let caret = lines[src + 1];
        let col = |s: &str, upto: usize| {
            s.chars()
                .take(upto)
                .map(|c| if c.is_ascii() { 1 } else { 2 })
                .sum::<usize>()
        };
        let colon = lines[src].chars().position(|c| c == '：').unwrap();
        assert_eq!(caret.find('^').unwrap(), col(lines[src], colon), "{text}");
        assert!(
            caret.contains("^^"),
            "a wide character gets two carets: {text}"
        );
        assert!(text.contains("= 提示：改为半角冒号加空格"), "{text}");
        assert!(!text.contains('\u{1b}'), "no colour in the plain form");
        let coloured = r.render(&Style {
            colour: true,
            explain: false,
        });
        assert!(coloured.contains('\u{1b}'));
    }

    #[test]
    fn cells_are_named_by_sheet_and_notes_only_when_explaining() {
        let mut r = report();
        r.push(Diagnostic::error(
            Pos {
                source: 1,
                line: 12,
                column: 4,
            },
            "inspections[0].items[9].d.季度检查",
            "须为分值或“不考核”，却是“十”",
        ));
        r.push(Diagnostic::note(Pos::new(2, 3), "veto", "“是”读作 true"));
        let plain = r.to_string();
        assert!(
            plain.starts_with("检查结果.xlsx 政务新媒体!D12: 错误: "),
            "{plain}"
        );
        assert!(!plain.contains("读作"));
        let explained = r.render(&Style {
            colour: false,
            explain: true,
        });
        assert!(explained.contains("q.yaml:2:3: 说明: veto: “是”读作 true"));
        let json = r.to_json(false);
        assert_eq!(json["errors"], 1);
        assert_eq!(
            json["diagnostics"][0]["place"],
            "检查结果.xlsx 政务新媒体!D12"
        );
        assert_eq!(json["diagnostics"].as_array().unwrap().len(), 1);
    }
}
