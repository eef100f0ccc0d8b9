//! tongbao: one YAML description of an inspection quarter → the quarterly 通报 as DOCX and PDF.
//!
//! The modules follow the pipeline, one direction only:
//! [`load`] (YAML → [`model`]) → [`validate`] + [`score`] (results, contradictions) →
//! [`compose`] (templates → [`ir::Document`]) → `zh` (script conversion) → `docx` / `layout` → `pdf`.

pub mod compose;
pub mod diag;
pub mod diff;
pub mod docx;
pub mod fonts;
pub mod ir;
pub mod layout;
pub mod load;
pub mod model;
pub mod output;
pub mod pdf;
pub mod score;
pub mod validate;

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
    script: Option<&str>,
) -> Result<Prepared, Report> {
    let (quarter, source) = load::load_file(path)?;
    let mut report = Report::new(path);
    validate::check(&quarter, &mut report);
    let results = score::compute(&quarter, &mut report);
    let script = script
        .map(str::to_string)
        .or_else(|| quarter.document.script.as_ref().map(|s| s.value.clone()))
        .unwrap_or_else(|| "zh-Hans".into());
    let opts = compose::ComposeOptions {
        templates,
        script,
        source: &source,
    };
    let document = compose::compose(&quarter, &results, &opts, &mut report);
    if report.has_errors() {
        return Err(report);
    }
    Ok(Prepared {
        quarter,
        results,
        document,
        report,
    })
}
