//! render: one Document → its DOCX, PDF and OFD bytes. The layout is computed once and shared:
//! the PDF and the OFD draw it, the DOCX follows its record of decisions (title breaks,
//! indents, tables, where the 版记 goes, sections). The writers run on their own threads.

use crate::diag::Severity;
use crate::docx::DocxOptions;
use crate::fonts::FontSet;
use crate::ir::Document;
use crate::layout::{layout, Fallback, LayoutOptions};
use crate::pdf::PdfOptions;

/// What to produce.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    pub docx: bool,
    pub pdf: bool,
    pub ofd: bool,
    pub pdfa: bool,
}

/// The produced files and what the PDF had to set in fallback faces.
#[derive(Debug, Default)]
pub struct Rendered {
    pub docx: Option<Vec<u8>>,
    pub pdf: Option<Vec<u8>>,
    pub ofd: Option<Vec<u8>>,
    pub pages: usize,
    /// Characters not set in their role's face for the script, by role and character.
    pub fallbacks: Vec<Fallback>,
    /// What the layout found in the input ([`crate::layout::Layout::findings`]); with an
    /// error among them no file is produced.
    pub findings: Vec<crate::diag::Diagnostic>,
}

/// Lay out once, then write DOCX, PDF and OFD in parallel. Errors are Chinese messages.
pub fn render(doc: &Document, fonts: &FontSet, opts: &RenderOptions) -> Result<Rendered, String> {
    if !opts.docx && !opts.pdf && !opts.ofd {
        return Ok(Rendered::default());
    }
    let laid = layout(doc, fonts, &LayoutOptions::default());
    if laid.findings.iter().any(|d| d.severity == Severity::Error) {
        return Ok(Rendered {
            pages: laid.pages.len(),
            findings: laid.findings,
            ..Rendered::default()
        });
    }
    let docx_opts = DocxOptions {
        fonts: crate::docx::Fonts::for_set(fonts),
    };
    let pdf_opts = PdfOptions { pdfa: opts.pdfa };
    let (docx, pdf, ofd) = std::thread::scope(|s| {
        let docx = opts.docx.then(|| {
            s.spawn(|| {
                crate::docx::write(doc, &laid, &docx_opts)
                    .map_err(|e| format!("生成 DOCX 失败：{e}"))
            })
        });
        let ofd = opts.ofd.then(|| {
            s.spawn(|| {
                crate::ofd::write(&laid, fonts, &doc.meta)
                    .map_err(|e| format!("生成 OFD 失败：{e}"))
            })
        });
        let pdf = opts.pdf.then(|| {
            crate::pdf::write(&laid, fonts, &doc.meta, &pdf_opts)
                .map_err(|e| format!("生成 PDF 失败：{e}"))
        });
        let docx = docx.map(|h| {
            h.join()
                .unwrap_or_else(|_| Err("生成 DOCX 时内部错误".into()))
        });
        let ofd = ofd.map(|h| {
            h.join()
                .unwrap_or_else(|_| Err("生成 OFD 时内部错误".into()))
        });
        (docx, pdf, ofd)
    });
    Ok(Rendered {
        docx: docx.transpose()?,
        pdf: pdf.transpose()?,
        ofd: ofd.transpose()?,
        pages: laid.pages.len(),
        fallbacks: laid.fallbacks,
        findings: laid.findings,
    })
}
