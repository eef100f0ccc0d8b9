//! Diagnostics: every problem found in a quarter file, with file:line:column, in Chinese.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is: errors stop `render`, warnings are printed and rendering goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Invalid input: nothing can be rendered.
    Error,
    /// A figure the YAML states that the data contradicts: `check` fails, `render` goes on
    /// and prints the computed figure.
    Contradiction,
    Warning,
}

/// A position in the input file, 1-based; 0 means unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: u64,
    pub column: u64,
}

impl Pos {
    pub fn of(loc: &serde_saphyr::Location) -> Self {
        Pos {
            line: loc.line(),
            column: loc.column(),
        }
    }
}

/// One problem: where, which field, what is wrong and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub pos: Pos,
    /// The field path, e.g. `inspections[0].items[14].result`; empty when not tied to one.
    pub field: String,
    pub message: String,
}

impl Diagnostic {
    pub fn error(pos: Pos, field: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            pos,
            field: field.into(),
            message: message.into(),
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
}

/// All diagnostics of one file, printable as `file:line:column: 错误: field: message`.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub file: PathBuf,
    pub items: Vec<Diagnostic>,
}

impl Report {
    pub fn new(file: &Path) -> Self {
        Report {
            file: file.to_path_buf(),
            items: Vec::new(),
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
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in self.sorted() {
            let kind = match d.severity {
                Severity::Error => "错误",
                Severity::Contradiction => "矛盾",
                Severity::Warning => "警告",
            };
            write!(f, "{}", self.file.display())?;
            if d.pos.line > 0 {
                write!(f, ":{}:{}", d.pos.line, d.pos.column)?;
            }
            write!(f, ": {kind}: ")?;
            if !d.field.is_empty() {
                write!(f, "{}: ", d.field)?;
            }
            writeln!(f, "{}", d.message)?;
        }
        Ok(())
    }
}
