//! tongbao: one YAML description of an inspection quarter → the quarterly 通报 as DOCX and PDF,
//! OFD for the archive and HTML for the website.
//!
//! The modules follow the pipeline, one direction only:
//! [`load`] (YAML → [`model`]) → [`validate`] + [`score`] (results, contradictions) →
//! [`compose`] (templates → [`ir::Document`]) → `zh` (script conversion) → `docx` / `layout` →
//! `pdf` / [`ofd`]; [`html`] renders the IR itself as the website's article.

pub mod charmap;
pub mod clerk;
pub mod compose;
pub mod date;
pub mod diag;
pub mod diff;
pub mod docx;
pub mod fields;
pub mod fonts;
pub mod gbt9704;
pub mod generate;
pub mod html;
pub mod import;
pub mod ioerror;
pub mod ir;
pub mod layout;
pub mod limits;
pub mod load;
pub mod model;
pub mod ofd;
pub mod output;
pub mod pdf;
pub mod period;
pub mod previous;
pub mod render;
pub mod roll;
pub mod score;
pub mod textcheck;
pub mod validate;
pub mod xlsx;
pub mod xml;
pub mod yamltree;
pub mod zh;
pub mod zipper;

use std::path::Path;

use diag::Report;

/// What every command needs before rendering: the model, its results and the composed document.
pub struct Prepared {
    pub quarter: model::Quarter,
    pub results: score::Results,
    pub document: ir::Document,
    /// Contradictions and warnings (no errors: those end `prepare` with `Err`).
    pub report: Report,
}

/// Load, validate, score and compose one quarter file. `Err` holds every error found.
pub fn prepare(
    path: &Path,
    templates: &compose::Templates,
    script: Option<zh::Script>,
) -> Result<Prepared, Report> {
    let (quarter, mut report) = match load::load_file(path) {
        Ok(loaded) => loaded,
        Err(unread) => return Err(checked_unread(unread, path, templates, script)),
    };
    // The text is lent to the checks and the templates (not copied: it is as long as the
    // file), then given back to the report, whose messages quote it.
    let source_text = std::mem::take(&mut report.text);
    let made = score_and_compose(&quarter, path, templates, script, &source_text, &mut report);
    report.text = source_text;
    match made {
        Some((results, document)) => Ok(Prepared {
            quarter,
            results,
            document,
            report,
        }),
        None => Err(report),
    }
}

/// The report of a file that did not read. When its errors could be set aside without touching
/// a figure ([`load::Unread::patched`]), the checks run on the model read so and add what they
/// find, but for what lies on the line of a load error (a consequence of setting it aside);
/// otherwise the report says that the figures are checked once the errors are mended.
fn checked_unread(
    unread: load::Unread,
    path: &Path,
    templates: &compose::Templates,
    script: Option<zh::Script>,
) -> Report {
    let mut report = unread.report;
    let Some(quarter) = unread.patched else {
        report.push(
            diag::Diagnostic::warning(
                diag::Pos::default(),
                "",
                "文件未能读入：其中的错误改正之前，数字、名单和模板无法检查",
            )
            .with_hint("改正本文件列出的错误后再运行 check，列出其余问题"),
        );
        return report;
    };
    let mut more = Report::new(path);
    score_and_compose(&quarter, path, templates, script, &report.text, &mut more);
    let lines: std::collections::HashSet<(u32, u64)> = report
        .items
        .iter()
        .filter(|d| d.severity == diag::Severity::Error && d.pos.line > 0)
        .map(|d| (d.pos.source, d.pos.line))
        .collect();
    report.items.extend(
        more.items
            .into_iter()
            .filter(|d| !lines.contains(&(d.pos.source, d.pos.line))),
    );
    report
}

/// The steps of [`prepare`] after the load; `None` when an error was reported.
fn score_and_compose(
    quarter: &model::Quarter,
    path: &Path,
    templates: &compose::Templates,
    script: Option<zh::Script>,
    source_text: &str,
    report: &mut Report,
) -> Option<(score::Results, ir::Document)> {
    textcheck::lint(source_text, report);
    let checked = validate::check(quarter, report);
    let mut results = score::compute(quarter, &checked, report);
    validate::sanity::check(quarter, &results, report);
    if let Some(before) = previous::load(quarter, path, report) {
        previous::review(&mut results, &before);
        results.previous = Some(Box::new(before));
    }
    let doc = &quarter.document;
    let source = doc
        .source_script
        .as_ref()
        .and_then(|s| s.value.get())
        .unwrap_or_default();
    let target = script
        .or(doc.script.as_ref().and_then(|s| s.value.get()))
        .unwrap_or(source);
    let opts = compose::ComposeOptions {
        templates,
        script: target,
        source: source_text,
    };
    let mut document = compose::compose(quarter, &results, &opts, report);
    textcheck::normalise_document(&mut document);
    limits::check(&document, source_text, report);
    if report.has_errors() {
        return None;
    }
    let zh_options = zh::Options {
        proper_nouns: doc.proper_nouns.iter().map(|s| s.value.clone()).collect(),
        overrides: doc
            .zh_overrides
            .iter()
            .map(|(f, t)| (f.clone(), t.clone()))
            .collect(),
    };
    if let Err(e) = zh::convert_document(&mut document, source, target, &zh_options) {
        report.push(diag::Diagnostic::error(
            diag::Pos::default(),
            "document.script",
            e,
        ));
        return None;
    }
    Some((results, document))
}
