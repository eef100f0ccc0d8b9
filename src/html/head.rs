//! The page's `<head>` (title, viewport, the metadata government pages carry, the disclosure
//! fields as JSON for CMS import, the stylesheet) and the visible 信息公开要素 box.

use serde_json::{Map, Value};

use crate::ir::Document;

use super::labels::Labels;
use super::markup;

/// One disclosure field: its key in the JSON block (the same in every script, for a CMS's
/// import mapping), its label in the page's script, its value.
struct Field<'a> {
    key: &'static str,
    label: &'a str,
    value: String,
}

/// The disclosure fields (索引号 if given, 发布机构, 成文日期, 文号).
fn disclosure<'a>(doc: &'a Document, labels: &'a Labels) -> Vec<Field<'a>> {
    let m = &doc.meta;
    let mut fields = Vec::new();
    if let Some(i) = &m.index_number {
        fields.push(Field {
            key: "索引号",
            label: &labels.index_number,
            value: i.clone(),
        });
    }
    fields.push(Field {
        key: "发布机构",
        label: &labels.publisher,
        value: m.issuer.clone(),
    });
    fields.push(Field {
        key: "成文日期",
        label: &labels.date,
        value: iso_date(doc),
    });
    if let Some(n) = &m.doc_number {
        fields.push(Field {
            key: "文号",
            label: &labels.doc_number,
            value: n.clone(),
        });
    }
    fields
}

/// The 成文日期 as `YYYY-MM-DD` (empty only for a document from invalid input, never written).
fn iso_date(doc: &Document) -> String {
    doc.meta.date.map(|d| d.iso()).unwrap_or_default()
}

fn meta(out: &mut String, name: &str, content: &str) {
    out.push_str("<meta name=\"");
    out.push_str(name);
    out.push_str("\" content=\"");
    markup::attr(out, content);
    out.push_str("\">\n");
}

/// `<head>…</head>`. PubDate is the 成文日期: the IR knows no later publication time.
pub fn write(out: &mut String, doc: &Document, labels: &Labels, style: &str) {
    let m = &doc.meta;
    out.push_str("<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
    );
    markup::text(out, &doc.title);
    out.push_str("</title>\n");
    meta(out, "ArticleTitle", &doc.title);
    meta(out, "PubDate", &iso_date(doc));
    meta(out, "ContentSource", &m.issuer);
    if let Some(n) = &m.doc_number {
        meta(out, "DocNumber", n);
    }
    meta(out, "DocDate", &iso_date(doc));
    if let Some(i) = &m.index_number {
        meta(out, "IndexNumber", i);
    }
    let json: Map<String, Value> = disclosure(doc, labels)
        .into_iter()
        .map(|f| (f.key.to_string(), Value::String(f.value)))
        .collect();
    out.push_str("<script type=\"application/json\" id=\"disclosure\">");
    out.push_str(&markup::script_json(&Value::Object(json)));
    out.push_str("</script>\n<style>\n");
    out.push_str(style);
    out.push_str("</style>\n</head>\n");
}

/// The 信息公开要素 box above the article, as government pages show it.
pub fn disclosure_box(out: &mut String, doc: &Document, labels: &Labels) {
    out.push_str("<aside class=\"disclosure\" aria-label=\"");
    markup::attr(out, &labels.info);
    out.push_str("\">\n<dl>\n");
    for f in disclosure(doc, labels) {
        out.push_str("<dt>");
        markup::text(out, f.label);
        out.push_str("</dt><dd>");
        markup::text(out, &f.value);
        out.push_str("</dd>\n");
    }
    out.push_str("</dl>\n</aside>\n");
}
