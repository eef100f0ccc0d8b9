//! HTML for the government website, from the Document IR (not from the layout): a standalone
//! page with the metadata government pages carry, and the article alone (the fragment a CMS
//! editor pastes in). Accessible to WCAG 2.1 AA and GB/T 37668-2019: `lang` from the script,
//! semantic headings and lists, data tables with captions and header scopes that scroll inside
//! their own box, a 适老化 large-text switch and a print stylesheet.
//!
//! One concern a file: [`article`] (the IR as HTML5), [`table`], [`head`] (metadata and the
//! disclosure JSON), [`labels`] (the page's own words, converted with the document's script),
//! [`markup`] (escaping). The output is a pure function of its input (deterministic bytes).

mod article;
mod head;
mod labels;
mod markup;
mod table;

use crate::ir::Document;

/// A file produced by the same render, linked from the page ("下载：DOCX PDF OFD").
#[derive(Debug, Clone, PartialEq)]
pub struct Download {
    /// What the link says, e.g. "PDF".
    pub label: String,
    /// The file name, relative to the page (they are written side by side).
    pub href: String,
}

/// What the IR does not carry.
#[derive(Debug, Clone, Default)]
pub struct HtmlOptions {
    pub downloads: Vec<Download>,
}

/// The two HTML outputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Html {
    /// `<stem>.html`: a complete page.
    pub page: String,
    /// `<stem>.fragment.html`: the `<article>` alone.
    pub fragment: String,
}

const STYLE: &str = include_str!("style.css");
const SWITCH: &str = include_str!("switch.js");

/// Write the page and the fragment of `doc`.
pub fn write(doc: &Document, opts: &HtmlOptions) -> Html {
    let labels = labels::Labels::for_script(doc.meta.script);
    let lang = labels::lang(doc.meta.script);
    let mut fragment = String::with_capacity(64 * 1024);
    article::write(&mut fragment, doc, &labels, lang);

    let mut page = String::with_capacity(fragment.len() + STYLE.len() + 4096);
    page.push_str("<!DOCTYPE html>\n<html lang=\"");
    page.push_str(lang);
    page.push_str("\">\n");
    head::write(&mut page, doc, &labels, STYLE);
    page.push_str("<body>\n");
    tools(&mut page, &labels, &opts.downloads);
    head::disclosure_box(&mut page, doc, &labels);
    page.push_str("<main id=\"main\">\n");
    page.push_str(&fragment);
    page.push_str("</main>\n<script>\n");
    page.push_str(SWITCH);
    page.push_str("</script>\n</body>\n</html>\n");
    Html { page, fragment }
}

/// The banner: the 大字版 and 打印 buttons (shown by the script, useless without it) and the
/// links to the other files of the render.
fn tools(out: &mut String, labels: &labels::Labels, downloads: &[Download]) {
    out.push_str("<header class=\"site-tools\">\n<nav id=\"tools\" aria-label=\"");
    markup::attr(out, &labels.tools);
    out.push_str("\" hidden>\n<button type=\"button\" id=\"large-text\" aria-pressed=\"false\">");
    markup::text(out, &labels.large_text);
    out.push_str("</button>\n<button type=\"button\" id=\"print\">");
    markup::text(out, &labels.print);
    out.push_str("</button>\n</nav>\n");
    if !downloads.is_empty() {
        out.push_str("<p class=\"downloads\">");
        markup::text(out, &labels.downloads);
        out.push('：');
        for d in downloads {
            out.push_str("<a href=\"");
            markup::attr(out, &d.href);
            out.push_str("\">");
            markup::text(out, &d.label);
            out.push_str("</a>");
        }
        out.push_str("</p>\n");
    }
    out.push_str("</header>\n");
}
