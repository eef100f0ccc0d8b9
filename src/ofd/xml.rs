//! The package's document-level XML (OFD.xml, Document.xml, PublicRes.xml), the OFD namespace,
//! escaping, and the document-wide object IDs. Every element is in the namespace GB/T 33190
//! defines, with the `ofd:` prefix its examples (and every reader) use.

use std::fmt::Write as _;

use crate::ir::Meta;

pub const NS: &str = "http://www.ofdspec.org/2016";
pub const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

/// Object IDs, unique in the document and increasing (Document.xml's MaxUnitID is the last).
#[derive(Debug, Default)]
pub struct Ids(u32);

impl Ids {
    pub fn next(&mut self) -> u32 {
        self.0 += 1;
        self.0
    }
    pub fn max(&self) -> u32 {
        self.0
    }
}

/// Append `s` as XML character data or a double-quoted attribute value (the project's one
/// escaping routine, [`crate::xml`]).
pub fn text(out: &mut String, s: &str) {
    out.push_str(&crate::xml::escape_attr(s));
}

fn element(out: &mut String, name: &str, value: &str) {
    let _ = write!(out, "<ofd:{name}>");
    text(out, value);
    let _ = writeln!(out, "</ofd:{name}>");
}

/// OFD.xml: the document's info (title, issuer, 成文日期, 发文字号) and its root.
pub fn ofd(meta: &Meta, doc_id: &str) -> String {
    let mut out = String::from(DECL);
    let _ = writeln!(
        out,
        "<ofd:OFD xmlns:ofd=\"{NS}\" Version=\"1.0\" DocType=\"OFD\">\n<ofd:DocBody>\n<ofd:DocInfo>"
    );
    element(&mut out, "DocID", doc_id);
    element(&mut out, "Title", &meta.title);
    element(&mut out, "Author", &meta.issuer);
    let date = meta.date.map(|d| d.iso()).unwrap_or_default();
    if meta.date.is_some() {
        element(&mut out, "CreationDate", &date);
    }
    element(&mut out, "Creator", "tongbao");
    element(&mut out, "CreatorVersion", env!("CARGO_PKG_VERSION"));
    out.push_str("<ofd:CustomDatas>\n");
    let mut custom = |name: &str, value: &str| {
        out.push_str("<ofd:CustomData Name=\"");
        text(&mut out, name);
        out.push_str("\">");
        text(&mut out, value);
        out.push_str("</ofd:CustomData>\n");
    };
    custom("发文机关", &meta.issuer);
    custom("成文日期", &date);
    if let Some(n) = &meta.doc_number {
        custom("发文字号", n);
    }
    custom("语言", meta.script.tag());
    out.push_str("</ofd:CustomDatas>\n</ofd:DocInfo>\n<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>\n</ofd:DocBody>\n</ofd:OFD>\n");
    out
}

/// Document.xml: the default page area, the public resources and the pages (ID, Content.xml).
pub fn document(max_id: u32, sheet_mm: (f32, f32), pages: &[(u32, String)]) -> String {
    let mut out = String::from(DECL);
    let _ = write!(
        out,
        "<ofd:Document xmlns:ofd=\"{NS}\">\n<ofd:CommonData>\n<ofd:MaxUnitID>{max_id}</ofd:MaxUnitID>\n<ofd:PageArea><ofd:PhysicalBox>0 0 "
    );
    super::page::num(&mut out, sheet_mm.0);
    out.push(' ');
    super::page::num(&mut out, sheet_mm.1);
    out.push_str("</ofd:PhysicalBox></ofd:PageArea>\n<ofd:PublicRes>PublicRes.xml</ofd:PublicRes>\n</ofd:CommonData>\n<ofd:Pages>\n");
    for (id, loc) in pages {
        let _ = writeln!(out, "<ofd:Page ID=\"{id}\" BaseLoc=\"{loc}\"/>");
    }
    out.push_str("</ofd:Pages>\n</ofd:Document>\n");
    out
}

/// A font resource: its ID, names and file (relative to the resource folder `Res`).
pub struct FontRes {
    pub id: u32,
    pub name: String,
    pub file: String,
}

/// PublicRes.xml: the embedded fonts.
pub fn public_res(fonts: &[FontRes]) -> String {
    let mut out = String::from(DECL);
    let _ = writeln!(
        out,
        "<ofd:Res xmlns:ofd=\"{NS}\" BaseLoc=\"Res\">\n<ofd:Fonts>"
    );
    for f in fonts {
        let _ = write!(out, "<ofd:Font ID=\"{}\" FontName=\"", f.id);
        text(&mut out, &f.name);
        out.push_str("\" FamilyName=\"");
        text(&mut out, &f.name);
        out.push_str("\">\n<ofd:FontFile>");
        text(&mut out, &f.file);
        out.push_str("</ofd:FontFile>\n</ofd:Font>\n");
    }
    out.push_str("</ofd:Fonts>\n</ofd:Res>\n");
    out
}
