//! The article: the Document IR as semantic HTML5, in reading order, ending as government
//! sites end a circular (附件说明, 署名 and 成文日期, 附注, the attachments, the 版记).

use crate::ir::{AttachmentBlock, Block, Document, RunRole};

use super::labels::Labels;
use super::{markup, table};

/// Write `<article>` for `doc`. `lang` is set on it too, so the pasted fragment keeps it.
pub fn write(out: &mut String, doc: &Document, labels: &Labels, lang: &str) {
    out.push_str("<article class=\"tongbao\" lang=\"");
    out.push_str(lang);
    out.push_str("\">\n");
    masthead(out, doc);
    element(out, "h1", "", &doc.title);
    if let Some(r) = &doc.recipients {
        element(out, "p", "recipients", &format!("{r}："));
    }
    for block in &doc.body {
        match block {
            // 一、 is the article's first level under the title (h2); （一） h3, 1. h4, （1） h5.
            Block::Heading { level, text } => {
                let h = format!("h{}", (*level).clamp(1, 4) + 1);
                element(out, &h, "", text);
            }
            Block::Paragraph { runs } => {
                out.push_str("<p>");
                for run in runs {
                    match run.role {
                        RunRole::Heading(_) => {
                            out.push_str("<strong>");
                            markup::text(out, &run.text);
                            out.push_str("</strong>");
                        }
                        RunRole::Body => markup::text(out, &run.text),
                    }
                }
                out.push_str("</p>\n");
            }
        }
    }
    attachment_note(out, doc, labels);
    if let Some(sig) = &doc.signature {
        out.push_str("<div class=\"signature\">\n");
        element(out, "p", "", &sig.issuer);
        out.push_str("<p><time datetime=\"");
        markup::attr(out, &doc.meta.date.map(|d| d.iso()).unwrap_or_default());
        out.push_str("\">");
        markup::text(out, &sig.date);
        out.push_str("</time></p>\n</div>\n");
    }
    if let Some(n) = &doc.note {
        element(out, "p", "note", n);
    }
    for (i, att) in doc.attachments.iter().enumerate() {
        let id = attachment_id(i);
        out.push_str(&format!(
            "<section class=\"attachment\" id=\"{id}\" aria-labelledby=\"{id}-title\">\n<h2 id=\"{id}-title\"><span class=\"attachment-label\">"
        ));
        markup::text(out, &att.label);
        out.push_str("</span> <span class=\"attachment-title\">");
        markup::text(out, &att.title);
        out.push_str("</span></h2>\n");
        let tables = att
            .content
            .iter()
            .filter(|b| matches!(b, AttachmentBlock::Table(_)))
            .count();
        let mut n = 0;
        for block in &att.content {
            match block {
                AttachmentBlock::Paragraph { text, align } => {
                    element(out, "p", table::align_class(*align), text);
                }
                AttachmentBlock::Table(t) => {
                    n += 1;
                    let caption = if tables > 1 {
                        format!("{}（{n}）", att.title)
                    } else {
                        att.title.clone()
                    };
                    table::write(out, t, &caption, &format!("{id}-table-{n}"));
                }
            }
        }
        out.push_str("</section>\n");
    }
    if let Some(c) = &doc.colophon {
        out.push_str("<footer class=\"colophon\">\n");
        if let Some(cc) = &c.cc {
            element(out, "p", "cc", &format!("{}{cc}。", labels.cc));
        }
        out.push_str("<p class=\"printer\"><span>");
        markup::text(out, &c.printer);
        out.push_str("</span> <span>");
        markup::text(out, &c.print_date);
        out.push_str("</span></p>\n</footer>\n");
    }
    out.push_str("</article>\n");
}

/// The 版头 as the article's header: the red 发文机关标志 and the 发文字号 above a red rule.
fn masthead(out: &mut String, doc: &Document) {
    let h = &doc.header;
    let marks: Vec<(&str, &String)> = [
        ("copy-number", &h.copy_number),
        ("secrecy", &h.secrecy),
        ("urgency", &h.urgency),
        ("issuer-mark", &h.issuer_mark),
        ("doc-number", &h.doc_number),
    ]
    .into_iter()
    .filter_map(|(class, v)| v.as_ref().map(|v| (class, v)))
    .collect();
    if marks.is_empty() {
        return;
    }
    out.push_str("<header class=\"masthead\">\n");
    for (class, text) in marks {
        element(out, "p", class, text);
    }
    out.push_str("</header>\n");
}

/// 附件说明: "附件：" and the attachment names, each a link to its section.
fn attachment_note(out: &mut String, doc: &Document, labels: &Labels) {
    if doc.attachment_note.is_empty() {
        return;
    }
    out.push_str("<div class=\"attachment-note\">\n<span class=\"attachment-note-label\">");
    markup::text(out, &labels.attachments);
    out.push_str("</span>\n");
    let many = doc.attachment_note.len() > 1;
    out.push_str(if many { "<ol>\n" } else { "<ul>\n" });
    for (i, name) in doc.attachment_note.iter().enumerate() {
        out.push_str(&format!("<li><a href=\"#{}\">", attachment_id(i)));
        markup::text(out, name);
        out.push_str("</a></li>\n");
    }
    out.push_str(if many { "</ol>\n" } else { "</ul>\n" });
    out.push_str("</div>\n");
}

fn attachment_id(i: usize) -> String {
    format!("attachment-{}", i + 1)
}

/// `<tag class="class">text</tag>` on its own line (no class attribute when `class` is empty).
fn element(out: &mut String, tag: &str, class: &str, text: &str) {
    out.push('<');
    out.push_str(tag);
    if !class.is_empty() {
        out.push_str(" class=\"");
        out.push_str(class);
        out.push('"');
    }
    out.push('>');
    markup::text(out, text);
    out.push_str("</");
    out.push_str(tag);
    out.push_str(">\n");
}
