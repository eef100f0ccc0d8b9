//! `tongbao check FILE…`: every problem of each file at once, as text (stderr, with source
//! lines and carets) or JSON (stdout); exit 1 when any file has an error or a contradiction.

use std::process::ExitCode;

use tongbao::diag::{Report, Severity, Style};
use tongbao::fonts::FontSet;

use super::args::{CheckArgs, ReportFormat};

pub fn check(args: &CheckArgs) -> ExitCode {
    let t = match super::templates(args.templates.as_deref()) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let style = Style::for_stderr(args.explain);
    let mut failed = false;
    let mut json = Vec::new();
    let mut fonts: Option<FontSet> = None;
    for file in &args.files {
        let report = match tongbao::prepare(file, &t, None) {
            // The tables are measured and the 版记 fitted too: a width hint their content
            // overrides, a 版记 longer than its page are reported.
            Ok(mut p) => {
                let fonts = fonts.get_or_insert_with(FontSet::embedded);
                for w in tongbao::layout::findings(&p.document, fonts) {
                    p.report.push(w);
                }
                p.report
            }
            Err(r) => r,
        };
        failed |= report.count(Severity::Error) + report.count(Severity::Contradiction) > 0;
        match args.format {
            ReportFormat::Text => {
                say_raw!("{}", report.render(&style));
                say!("{}", summary(&report));
            }
            ReportFormat::Json => json.push(report.to_json(args.explain)),
        }
    }
    if args.format == ReportFormat::Json {
        let text = serde_json::to_string_pretty(&json).unwrap_or_default();
        if super::write_stdout(format!("{text}\n").as_bytes()) != ExitCode::SUCCESS {
            return ExitCode::from(1);
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `q.yaml：1 个错误，0 处与数据矛盾，2 个警告`
pub fn summary(report: &Report) -> String {
    format!(
        "{}：{} 个错误，{} 处与数据矛盾，{} 个警告",
        report.file.display(),
        report.count(Severity::Error),
        report.count(Severity::Contradiction),
        report.count(Severity::Warning)
    )
}
