//! `tongbao render`: prepare the document, lay it out once, produce every asked format and
//! write them all or none. `watch` runs the same [`Job`] again on every save.

use std::path::PathBuf;
use std::process::ExitCode;

use tongbao::diag::{Report, Severity, Style};
use tongbao::fonts::FontSet;
use tongbao::output::Replace;

use super::args::RenderArgs;
use super::outputs::{self, Format, Plan, Target};

/// What stays the same from one run to the next: the outputs' plan and the fonts.
pub struct Job {
    pub args: RenderArgs,
    pub plan: Plan,
    fonts: FontSet,
}

/// What one run did: the report of the input and the files written (None when it failed).
pub struct Outcome {
    pub report: Report,
    pub files: Option<Vec<PathBuf>>,
}

impl Job {
    /// Check the arguments and load the fonts. Err is the exit code, the message printed.
    pub fn new(args: &RenderArgs) -> Result<Job, ExitCode> {
        let plan = outputs::plan(&args.file, args.out.as_deref(), args.format.as_deref()).map_err(
            |e| {
                say!("错误：{e}");
                ExitCode::from(2)
            },
        )?;
        let fonts = match &args.fonts {
            Some(dir) => FontSet::from_dir(dir).map_err(|e| {
                say!("错误：{e}");
                ExitCode::from(1)
            })?,
            None => FontSet::embedded(),
        };
        Ok(Job {
            args: args.clone(),
            plan,
            fonts,
        })
    }

    /// Render once, printing the input's problems and any failure.
    pub fn run(&self, style: &Style) -> Outcome {
        let args = &self.args;
        let failed = |report| Outcome {
            report,
            files: None,
        };
        let t = match super::templates(args.templates.as_deref()) {
            Ok(t) => t,
            Err(_) => return failed(Report::new(&args.file)),
        };
        let prepared = match tongbao::prepare(&args.file, &t, args.script) {
            Ok(p) => p,
            Err(report) => {
                say_raw!("{}", report.render(style));
                say!("{}：输入有误，未生成任何文件", args.file.display());
                return failed(report);
            }
        };
        say_raw!("{}", prepared.report.render(style));
        // Only the document is drawn: the model and its results are freed before the layout.
        let tongbao::Prepared {
            quarter,
            results,
            document: doc,
            report,
        } = prepared;
        drop((quarter, results));
        let opts = tongbao::render::RenderOptions {
            docx: self.plan.wants(Format::Docx),
            pdf: self.plan.wants(Format::Pdf),
            ofd: self.plan.wants(Format::Ofd),
            pdfa: args.pdfa,
        };
        let mut report = report;
        let mut rendered = match tongbao::render::render(&doc, &self.fonts, &opts) {
            Ok(r) => r,
            Err(e) => {
                say!("错误：{e}");
                return failed(report);
            }
        };
        // The layout's findings (width hints it overrode, a 版记 it cannot set), printed as
        // the input's were.
        if !rendered.findings.is_empty() {
            let mut found = Report::new(&report.file);
            found.text = std::mem::take(&mut report.text);
            found.sheets = report.sheets.clone();
            found.items = std::mem::take(&mut rendered.findings);
            say_raw!("{}", found.render(style));
            report.text = found.text;
            report.items.append(&mut found.items);
        }
        if report.count(Severity::Error) > 0 {
            say!("{}：版面有误，未生成任何文件", args.file.display());
            return failed(report);
        }
        for line in tongbao::layout::fallback_report(&rendered.fallbacks) {
            say!("{line}");
        }
        let mut bytes = Vec::new();
        for (format, _) in &self.plan.outputs {
            match outputs::produce(*format, &doc, &mut rendered, &self.plan) {
                Ok(b) => bytes.push((*format, b)),
                Err(e) => {
                    say!("错误：生成 {} 失败：{e}", format.ext());
                    return failed(report);
                }
            }
        }
        let replace = if args.force {
            Replace::Always
        } else {
            Replace::Unchanged
        };
        match outputs::write(&self.plan, bytes, replace) {
            Ok(files) => Outcome {
                report,
                files: Some(files),
            },
            Err(e) => {
                say!("错误：{e}");
                failed(report)
            }
        }
    }

    /// Writes to standard output (then nothing else may go there).
    pub fn to_stdout(&self) -> bool {
        self.plan.outputs.iter().any(|(_, t)| *t == Target::Stdout)
    }
}

pub fn render(args: &RenderArgs) -> ExitCode {
    let job = match Job::new(args) {
        Ok(j) => j,
        Err(code) => return code,
    };
    let outcome = job.run(&Style::for_stderr(false));
    match outcome.files {
        Some(files) => {
            if !job.to_stdout() {
                let list: String = files.iter().map(|f| format!("{}\n", f.display())).collect();
                // The files are written; a closed stdout does not undo that.
                let _ = super::write_stdout(list.as_bytes());
            }
            ExitCode::SUCCESS
        }
        None => ExitCode::from(1),
    }
}
