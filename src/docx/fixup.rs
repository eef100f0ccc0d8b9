//! Post-processing of the parts docx-rs renders: everything it cannot express, done on parsed
//! XML (quick-xml events into a small element tree), never by searching and replacing text.
//!
//! - the tables (written by the builder as XML, with `w:tblHeader` on their header rows) in
//!   place of the placeholder paragraphs docx-rs carried for them;
//! - `w:firstLineChars` / `w:leftChars` / … on the named styles (two-character indents), and
//!   `w:overflowPunct` / `w:autoSpaceDE` / `w:autoSpaceDN` off (no hanging punctuation, no
//!   extra space around digits: the 28-character grid holds);
//! - header/footer references copied into every section that has none, so odd *and* even
//!   footers apply to all sections (docx-rs keeps only one kind per non-final section);
//! - core properties: title, creator, fixed dates;
//! - ECMA-376 schema order of child elements (docx-rs writes `sz` before `rFonts`, …);
//! - a deterministic deflate-compressed package: fixed timestamps, fixed entry order.

use std::io::{Cursor, Write};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::Error;
use crate::date::Date;

/// An XML element: qualified name, attributes with their raw (still escaped) values, children.
#[derive(Debug, Clone, PartialEq)]
pub struct Elem {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Elem(Elem),
    /// Character data exactly as it appeared (escaped), including entity references.
    Text(String),
    /// Comments, CDATA and processing instructions, kept verbatim.
    Raw(String),
}

/// A parsed part: the XML declaration (verbatim) and the root element.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub decl: Option<String>,
    pub root: Elem,
}

impl Elem {
    pub fn new(name: &str) -> Elem {
        Elem {
            name: name.to_owned(),
            attrs: vec![],
            children: vec![],
        }
    }

    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Sets an attribute (value given unescaped; only XML's five specials are escaped).
    pub fn set_attr(&mut self, name: &str, value: &str) {
        let v = crate::xml::escape_attr(value).into_owned();
        match self.attrs.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = v,
            None => self.attrs.push((name.to_owned(), v)),
        }
    }

    pub fn elems(&self) -> impl Iterator<Item = &Elem> {
        self.children.iter().filter_map(|n| match n {
            Node::Elem(e) => Some(e),
            _ => None,
        })
    }

    pub fn elems_mut(&mut self) -> impl Iterator<Item = &mut Elem> {
        self.children.iter_mut().filter_map(|n| match n {
            Node::Elem(e) => Some(e),
            _ => None,
        })
    }

    pub fn child(&self, name: &str) -> Option<&Elem> {
        self.elems().find(|e| e.name == name)
    }

    pub fn child_mut(&mut self, name: &str) -> Option<&mut Elem> {
        self.elems_mut().find(|e| e.name == name)
    }

    /// The child named `name`, created (appended; canonical order is restored later) if absent.
    pub fn child_or_insert(&mut self, name: &str) -> &mut Elem {
        let pos = self
            .children
            .iter()
            .position(|n| matches!(n, Node::Elem(e) if e.name == name));
        let i = match pos {
            Some(i) => i,
            None => {
                self.children.push(Node::Elem(Elem::new(name)));
                self.children.len() - 1
            }
        };
        match &mut self.children[i] {
            Node::Elem(e) => e,
            _ => unreachable!("position() matched an element"),
        }
    }

    /// Concatenated text content (still escaped).
    pub fn text(&self) -> String {
        let mut s = String::new();
        for n in &self.children {
            match n {
                Node::Text(t) => s.push_str(t),
                Node::Elem(e) => s.push_str(&e.text()),
                Node::Raw(_) => {}
            }
        }
        s
    }

    /// Replaces the content with one text node (given unescaped).
    pub fn set_text(&mut self, text: &str) {
        self.children = vec![Node::Text(crate::xml::escape_text(text).into_owned())];
    }

    /// Visits this element and all descendants, depth first, parents before children.
    pub fn walk_mut(&mut self, f: &mut impl FnMut(&mut Elem)) {
        f(self);
        for e in self.elems_mut() {
            e.walk_mut(f);
        }
    }
}

fn xml_err(part: &str, e: impl std::fmt::Display) -> Error {
    Error::Xml(format!("{part}: {e}"))
}

fn start_elem(part: &str, e: &BytesStart) -> Result<Elem, Error> {
    let name = String::from_utf8(e.name().as_ref().to_vec()).map_err(|e| xml_err(part, e))?;
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|e| xml_err(part, e))?;
        let k = String::from_utf8(a.key.as_ref().to_vec()).map_err(|e| xml_err(part, e))?;
        let v = String::from_utf8(a.value.to_vec()).map_err(|e| xml_err(part, e))?;
        attrs.push((k, v));
    }
    Ok(Elem {
        name,
        attrs,
        children: vec![],
    })
}

/// Parses one XML part into an element tree.
pub fn parse(part: &str, xml: &[u8]) -> Result<Part, Error> {
    let mut reader = Reader::from_reader(xml);
    reader.config_mut().trim_text(false);
    let mut decl = None;
    let mut stack: Vec<Elem> = vec![];
    let mut root = None;
    let mut buf = Vec::new();
    loop {
        let ev = reader
            .read_event_into(&mut buf)
            .map_err(|e| xml_err(part, e))?;
        let utf8 = |b: &[u8]| String::from_utf8(b.to_vec()).map_err(|e| xml_err(part, e));
        let push = |stack: &mut Vec<Elem>, n: Node| {
            if let Some(top) = stack.last_mut() {
                match (top.children.last_mut(), &n) {
                    (Some(Node::Text(t)), Node::Text(more)) => t.push_str(more),
                    _ => top.children.push(n),
                }
            }
        };
        match ev {
            Event::Decl(d) => decl = Some(format!("<?{}?>", utf8(&d)?)),
            Event::Start(s) => stack.push(start_elem(part, &s)?),
            Event::Empty(s) => {
                let e = start_elem(part, &s)?;
                if stack.is_empty() {
                    root = Some(e);
                } else {
                    push(&mut stack, Node::Elem(e));
                }
            }
            Event::End(_) => {
                let e = stack
                    .pop()
                    .ok_or_else(|| xml_err(part, "unbalanced end tag"))?;
                if stack.is_empty() {
                    root = Some(e);
                } else {
                    push(&mut stack, Node::Elem(e));
                }
            }
            Event::Text(t) => push(&mut stack, Node::Text(utf8(&t)?)),
            Event::GeneralRef(r) => push(&mut stack, Node::Text(format!("&{};", utf8(&r)?))),
            Event::CData(c) => push(&mut stack, Node::Raw(format!("<![CDATA[{}]]>", utf8(&c)?))),
            Event::Comment(c) => push(&mut stack, Node::Raw(format!("<!--{}-->", utf8(&c)?))),
            Event::PI(p) => push(&mut stack, Node::Raw(format!("<?{}?>", utf8(&p)?))),
            Event::DocType(_) => {}
            Event::Eof => break,
        }
        buf.clear();
    }
    let root = root.ok_or_else(|| xml_err(part, "no root element"))?;
    Ok(Part { decl, root })
}

fn write_elem<W: std::fmt::Write>(out: &mut W, e: &Elem) -> std::fmt::Result {
    out.write_char('<')?;
    out.write_str(&e.name)?;
    for (k, v) in &e.attrs {
        write!(out, " {k}=\"{v}\"")?;
    }
    if e.children.is_empty() {
        return out.write_str("/>");
    }
    out.write_char('>')?;
    for n in &e.children {
        match n {
            Node::Elem(c) => write_elem(out, c)?,
            Node::Text(t) | Node::Raw(t) => out.write_str(t)?,
        }
    }
    write!(out, "</{}>", e.name)
}

fn write_part<W: std::fmt::Write>(out: &mut W, part: &Part) -> std::fmt::Result {
    if let Some(d) = &part.decl {
        out.write_str(d)?;
        out.write_str("\r\n")?;
    }
    write_elem(out, &part.root)
}

/// Serialises a part compactly (no whitespace added).
pub fn serialize(part: &Part) -> Vec<u8> {
    let mut out = String::with_capacity(1024);
    // Writing into a String cannot fail.
    let _ = write_part(&mut out, part);
    out.into_bytes()
}

/// What a package entry holds: bytes, or a parsed part serialised straight into the archive
/// (word/document.xml, which holds every table: about 4 KB a row uncompressed, never held
/// whole beside its tree).
#[derive(Debug)]
pub enum Body {
    Bytes(Vec<u8>),
    Xml(Part),
}

/// A `fmt::Write` over an `io::Write`, keeping the first I/O error.
struct IoText<W: Write> {
    out: W,
    error: Option<std::io::Error>,
}

impl<W: Write> std::fmt::Write for IoText<W> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.out.write_all(s.as_bytes()).map_err(|e| {
            self.error = Some(e);
            std::fmt::Error
        })
    }
}

/// Pretty-prints a part for golden files: one element a line, indented by depth; an element
/// whose content includes text stays on one line, so text is never altered.
pub fn pretty(part: &Part) -> String {
    fn go(out: &mut String, e: &Elem, depth: usize) {
        for _ in 0..depth {
            out.push_str("  ");
        }
        let inline = e.children.iter().any(|n| !matches!(n, Node::Elem(_)));
        if inline || e.children.is_empty() {
            // Writing into a String cannot fail.
            let _ = write_elem(out, e);
            out.push('\n');
            return;
        }
        out.push('<');
        out.push_str(&e.name);
        for (k, v) in &e.attrs {
            out.push(' ');
            out.push_str(k);
            out.push_str("=\"");
            out.push_str(v);
            out.push('"');
        }
        out.push_str(">\n");
        for c in e.elems() {
            go(out, c, depth + 1);
        }
        for _ in 0..depth {
            out.push_str("  ");
        }
        out.push_str("</");
        out.push_str(&e.name);
        out.push_str(">\n");
    }
    let mut out = String::new();
    if let Some(d) = &part.decl {
        out.push_str(d);
        out.push('\n');
    }
    go(&mut out, &part.root, 0);
    out
}

// ---------------------------------------------------------------------------------------------
// ECMA-376 child order

/// The schema order of the children of the elements docx-rs writes (ECMA-376 Part 1, §17).
fn schema_order(parent: &str) -> Option<&'static [&'static str]> {
    Some(match parent {
        "w:pPr" => &[
            "w:pStyle",
            "w:keepNext",
            "w:keepLines",
            "w:pageBreakBefore",
            "w:framePr",
            "w:widowControl",
            "w:numPr",
            "w:suppressLineNumbers",
            "w:pBdr",
            "w:shd",
            "w:tabs",
            "w:suppressAutoHyphens",
            "w:kinsoku",
            "w:wordWrap",
            "w:overflowPunct",
            "w:topLinePunct",
            "w:autoSpaceDE",
            "w:autoSpaceDN",
            "w:bidi",
            "w:adjustRightInd",
            "w:snapToGrid",
            "w:spacing",
            "w:ind",
            "w:contextualSpacing",
            "w:mirrorIndents",
            "w:suppressOverlap",
            "w:jc",
            "w:textDirection",
            "w:textAlignment",
            "w:textboxTightWrap",
            "w:outlineLvl",
            "w:divId",
            "w:cnfStyle",
            "w:rPr",
            "w:sectPr",
            "w:pPrChange",
        ],
        "w:rPr" => &[
            "w:ins",
            "w:del",
            "w:moveFrom",
            "w:moveTo",
            "w:rStyle",
            "w:rFonts",
            "w:b",
            "w:bCs",
            "w:i",
            "w:iCs",
            "w:caps",
            "w:smallCaps",
            "w:strike",
            "w:dstrike",
            "w:outline",
            "w:shadow",
            "w:emboss",
            "w:imprint",
            "w:noProof",
            "w:snapToGrid",
            "w:vanish",
            "w:webHidden",
            "w:color",
            "w:spacing",
            "w:w",
            "w:kern",
            "w:position",
            "w:sz",
            "w:szCs",
            "w:highlight",
            "w:u",
            "w:effect",
            "w:bdr",
            "w:shd",
            "w:fitText",
            "w:vertAlign",
            "w:rtl",
            "w:cs",
            "w:em",
            "w:lang",
            "w:eastAsianLayout",
            "w:specVanish",
            "w:oMath",
            "w:rPrChange",
        ],
        "w:pBdr" => &[
            "w:top",
            "w:left",
            "w:bottom",
            "w:right",
            "w:between",
            "w:bar",
        ],
        "w:tblBorders" | "w:tcBorders" => &[
            "w:top",
            "w:left",
            "w:start",
            "w:bottom",
            "w:right",
            "w:end",
            "w:insideH",
            "w:insideV",
            "w:tl2br",
            "w:tr2bl",
        ],
        "w:tblCellMar" | "w:tcMar" => {
            &["w:top", "w:left", "w:start", "w:bottom", "w:right", "w:end"]
        }
        "w:tbl" => &["w:tblPr", "w:tblGrid", "w:tr"],
        "w:tr" => &["w:tblPrEx", "w:trPr", "w:tc"],
        "w:tc" => &["w:tcPr"],
        "w:p" => &["w:pPr"],
        "w:r" => &["w:rPr"],
        "w:tblPr" => &[
            "w:tblStyle",
            "w:tblpPr",
            "w:tblOverlap",
            "w:bidiVisual",
            "w:tblStyleRowBandSize",
            "w:tblStyleColBandSize",
            "w:tblW",
            "w:jc",
            "w:tblCellSpacing",
            "w:tblInd",
            "w:tblBorders",
            "w:shd",
            "w:tblLayout",
            "w:tblCellMar",
            "w:tblLook",
            "w:tblCaption",
            "w:tblDescription",
            "w:tblPrChange",
        ],
        "w:trPr" => &[
            "w:cnfStyle",
            "w:divId",
            "w:gridBefore",
            "w:gridAfter",
            "w:wBefore",
            "w:wAfter",
            "w:cantSplit",
            "w:trHeight",
            "w:tblHeader",
            "w:tblCellSpacing",
            "w:jc",
            "w:hidden",
            "w:ins",
            "w:del",
            "w:trPrChange",
        ],
        "w:tcPr" => &[
            "w:cnfStyle",
            "w:tcW",
            "w:gridSpan",
            "w:hMerge",
            "w:vMerge",
            "w:tcBorders",
            "w:shd",
            "w:noWrap",
            "w:tcMar",
            "w:textDirection",
            "w:tcFitText",
            "w:vAlign",
            "w:hideMark",
            "w:headers",
            "w:cellIns",
            "w:cellDel",
            "w:cellMerge",
            "w:tcPrChange",
        ],
        "w:sectPr" => &[
            "w:headerReference",
            "w:footerReference",
            "w:footnotePr",
            "w:endnotePr",
            "w:type",
            "w:pgSz",
            "w:pgMar",
            "w:paperSrc",
            "w:pgBorders",
            "w:lnNumType",
            "w:pgNumType",
            "w:cols",
            "w:formProt",
            "w:vAlign",
            "w:noEndnote",
            "w:titlePg",
            "w:textDirection",
            "w:bidi",
            "w:rtlGutter",
            "w:docGrid",
            "w:printerSettings",
            "w:sectPrChange",
        ],
        "w:style" => &[
            "w:name",
            "w:aliases",
            "w:basedOn",
            "w:next",
            "w:link",
            "w:autoRedefine",
            "w:hidden",
            "w:uiPriority",
            "w:semiHidden",
            "w:unhideWhenUsed",
            "w:qFormat",
            "w:locked",
            "w:personal",
            "w:personalCompose",
            "w:personalReply",
            "w:rsid",
            "w:pPr",
            "w:rPr",
            "w:tblPr",
            "w:trPr",
            "w:tcPr",
            "w:tblStylePr",
        ],
        "w:settings" => &[
            "w:writeProtection",
            "w:view",
            "w:zoom",
            "w:removePersonalInformation",
            "w:removeDateAndTime",
            "w:doNotDisplayPageBoundaries",
            "w:displayBackgroundShape",
            "w:printPostScriptOverText",
            "w:printFractionalCharacterWidth",
            "w:printFormsData",
            "w:embedTrueTypeFonts",
            "w:embedSystemFonts",
            "w:saveSubsetFonts",
            "w:saveFormsData",
            "w:mirrorMargins",
            "w:alignBordersAndEdges",
            "w:bordersDoNotSurroundHeader",
            "w:bordersDoNotSurroundFooter",
            "w:gutterAtTop",
            "w:hideSpellingErrors",
            "w:hideGrammaticalErrors",
            "w:activeWritingStyle",
            "w:proofState",
            "w:formsDesign",
            "w:attachedTemplate",
            "w:linkStyles",
            "w:stylePaneFormatFilter",
            "w:stylePaneSortMethod",
            "w:documentType",
            "w:mailMerge",
            "w:revisionView",
            "w:trackRevisions",
            "w:doNotTrackMoves",
            "w:doNotTrackFormatting",
            "w:documentProtection",
            "w:autoFormatOverride",
            "w:styleLockTheme",
            "w:styleLockQFSet",
            "w:defaultTabStop",
            "w:autoHyphenation",
            "w:consecutiveHyphenLimit",
            "w:hyphenationZone",
            "w:doNotHyphenateCaps",
            "w:showEnvelope",
            "w:summaryLength",
            "w:clickAndTypeStyle",
            "w:defaultTableStyle",
            "w:evenAndOddHeaders",
            "w:bookFoldRevPrinting",
            "w:bookFoldPrinting",
            "w:bookFoldPrintingSheets",
            "w:drawingGridHorizontalSpacing",
            "w:drawingGridVerticalSpacing",
            "w:displayHorizontalDrawingGridEvery",
            "w:displayVerticalDrawingGridEvery",
            "w:doNotUseMarginsForDrawingGridOrigin",
            "w:drawingGridHorizontalOrigin",
            "w:drawingGridVerticalOrigin",
            "w:doNotShadeFormData",
            "w:noPunctuationKerning",
            "w:characterSpacingControl",
            "w:printTwoOnOne",
            "w:strictFirstAndLastChars",
            "w:noLineBreaksAfter",
            "w:noLineBreaksBefore",
            "w:savePreviewPicture",
            "w:doNotValidateAgainstSchema",
            "w:saveInvalidXml",
            "w:ignoreMixedContent",
            "w:alwaysShowPlaceholderText",
            "w:doNotDemarcateInvalidXml",
            "w:saveXmlDataOnly",
            "w:useXSLTWhenSaving",
            "w:saveThroughXslt",
            "w:showXMLTags",
            "w:alwaysMergeEmptyNamespace",
            "w:updateFields",
            "w:hdrShapeDefaults",
            "w:footnotePr",
            "w:endnotePr",
            "w:compat",
            "w:docVars",
            "w:rsids",
            "m:mathPr",
            "w:attachedSchema",
            "w:themeFontLang",
            "w:clrSchemeMapping",
            "w:doNotIncludeSubdocsInStats",
            "w:doNotAutoCompressPictures",
            "w:forceUpgrade",
            "w:captions",
            "w:readModeInkLockDown",
            "w:smartTagType",
            "sl:schemaLibrary",
            "w:shapeDefaults",
            "w:doNotEmbedSmartTags",
            "w:decimalSymbol",
            "w:listSeparator",
        ],
        "w:docDefaults" => &["w:rPrDefault", "w:pPrDefault"],
        "w:styles" => &["w:docDefaults", "w:latentStyles", "w:style"],
        _ => return None,
    })
}

/// Reorders the children of every element whose schema order is known (stable: unknown
/// children keep their relative order, after the known ones); the header and footer
/// references of a `w:sectPr` share the first rank, as the schema allows them interleaved.
pub fn canonicalize(e: &mut Elem) {
    if let Some(order) = schema_order(&e.name) {
        let rank = |n: &Node| -> usize {
            match n {
                Node::Elem(c) => {
                    let name = if c.name == "w:footerReference" {
                        "w:headerReference"
                    } else {
                        c.name.as_str()
                    };
                    order.iter().position(|o| *o == name).unwrap_or(order.len())
                }
                // Whitespace and other text stay with the content (rank past the known ones).
                _ => order.len(),
            }
        };
        let sorted = e.children.windows(2).all(|w| rank(&w[0]) <= rank(&w[1]));
        if !sorted {
            e.children.sort_by_key(|n| rank(n));
        }
    }
    for c in e.elems_mut() {
        canonicalize(c);
    }
}

/// The first element (depth first) whose children are out of schema order, as
/// "parent: a before b", or `None` when the whole tree is in order.
pub fn order_violation(e: &Elem) -> Option<String> {
    if let Some(order) = schema_order(&e.name) {
        let rank = |c: &Elem| {
            let name = if c.name == "w:footerReference" {
                "w:headerReference"
            } else {
                c.name.as_str()
            };
            order.iter().position(|o| *o == name).unwrap_or(order.len())
        };
        let kids: Vec<&Elem> = e.elems().collect();
        for w in kids.windows(2) {
            if rank(w[0]) > rank(w[1]) {
                return Some(format!("{}: {} before {}", e.name, w[0].name, w[1].name));
            }
        }
    }
    e.elems().find_map(order_violation)
}

// ---------------------------------------------------------------------------------------------
// Edits

/// Style id of the paragraph docx-rs writes where a table goes (never in styles.xml: every
/// such paragraph is replaced).
pub const TABLE_PLACEHOLDER: &str = "TongbaoTablePlaceholder";

/// Puts the tables, in order, in place of the placeholder paragraphs (`w:p` directly in the
/// body whose `w:pStyle` is [`TABLE_PLACEHOLDER`]). The counts must agree.
pub fn insert_tables(document: &mut Elem, tables: Vec<Node>) -> Result<(), Error> {
    let body = document
        .child_mut("w:body")
        .ok_or_else(|| xml_err("word/document.xml", "no w:body"))?;
    let want = tables.len();
    let mut tables = tables.into_iter();
    let mut placed = 0;
    for n in body.children.iter_mut() {
        let Node::Elem(p) = n else { continue };
        let is_placeholder = p.name == "w:p"
            && p.child("w:pPr")
                .and_then(|ppr| ppr.child("w:pStyle"))
                .and_then(|s| s.attr("w:val"))
                == Some(TABLE_PLACEHOLDER);
        if is_placeholder {
            let t = tables.next().ok_or_else(|| {
                xml_err("word/document.xml", "more table placeholders than tables")
            })?;
            *n = t;
            placed += 1;
        }
    }
    if placed != want {
        return Err(xml_err(
            "word/document.xml",
            format!("{want} tables for {placed} placeholders"),
        ));
    }
    Ok(())
}

/// A paragraph property docx-rs cannot write, to set in a named style: the element `element`
/// of the style's `w:pPr` (created if absent) gets `attrs` (e.g. `w:ind` with
/// `w:firstLineChars="200"`, or `w:overflowPunct` with `w:val="0"`).
#[derive(Debug, Clone, PartialEq)]
pub struct StyleProp {
    pub style_id: String,
    pub element: String,
    pub attrs: Vec<(String, String)>,
}

impl StyleProp {
    pub fn new(style_id: &str, element: &str, attrs: &[(&str, &str)]) -> StyleProp {
        StyleProp {
            style_id: style_id.to_owned(),
            element: element.to_owned(),
            attrs: attrs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }
}

/// Sets paragraph properties on the named styles in styles.xml.
pub fn set_style_props(styles: &mut Elem, props: &[StyleProp]) -> Result<(), Error> {
    for sp in props {
        let style = styles
            .elems_mut()
            .find(|e| e.name == "w:style" && e.attr("w:styleId") == Some(sp.style_id.as_str()))
            .ok_or_else(|| {
                xml_err(
                    "word/styles.xml",
                    format!("no style with w:styleId=\"{}\"", sp.style_id),
                )
            })?;
        let el = style.child_or_insert("w:pPr").child_or_insert(&sp.element);
        for (k, v) in &sp.attrs {
            el.set_attr(k, v);
        }
    }
    Ok(())
}

/// Copies the default and even header and footer references of the final section
/// (`w:body/w:sectPr`) into every earlier section (`w:p/w:pPr/w:sectPr`) that has none, so
/// every section carries both the odd (default) and the even footer.
pub fn share_section_references(document: &mut Elem) -> Result<(), Error> {
    let body = document
        .child_mut("w:body")
        .ok_or_else(|| xml_err("word/document.xml", "no w:body"))?;
    let is_ref = |e: &Elem| e.name == "w:headerReference" || e.name == "w:footerReference";
    // A first-page footer belongs to its own section (the 版记 page without a number).
    let shared = |e: &Elem| is_ref(e) && e.attr("w:type") != Some("first");
    let refs: Vec<Node> = match body.child("w:sectPr") {
        Some(s) => s
            .elems()
            .filter(|e| shared(e))
            .cloned()
            .map(Node::Elem)
            .collect(),
        None => return Ok(()),
    };
    if refs.is_empty() {
        return Ok(());
    }
    for p in body.elems_mut().filter(|e| e.name == "w:p") {
        if let Some(sect) = p
            .child_mut("w:pPr")
            .and_then(|ppr| ppr.child_mut("w:sectPr"))
        {
            if !sect.elems().any(is_ref) {
                let mut children = refs.clone();
                children.append(&mut sect.children);
                sect.children = children;
            }
        }
    }
    Ok(())
}

/// Core properties: `dc:title`, `dc:creator`, `cp:lastModifiedBy`, and both dates set to
/// `date` (ISO `YYYY-MM-DD`, written as midnight UTC).
pub fn set_core(core: &mut Elem, title: &str, creator: &str, date: &str) {
    let stamp = format!("{date}T00:00:00Z");
    for (name, value) in [
        ("dc:title", title),
        ("dc:creator", creator),
        ("cp:lastModifiedBy", creator),
        ("dcterms:created", stamp.as_str()),
        ("dcterms:modified", stamp.as_str()),
    ] {
        let e = core.child_or_insert(name);
        if name.starts_with("dcterms:") && e.attr("xsi:type").is_none() {
            e.set_attr("xsi:type", "dcterms:W3CDTF");
        }
        e.set_text(value);
    }
}

/// docx-rs always writes its own empty `Normal` style before the styles it is given: a later
/// style with the same id replaces an earlier one, in place, and `Normal` becomes the default
/// paragraph style (`w:default="1"`), as Word expects.
pub fn dedupe_styles(styles: &mut Elem) {
    let mut seen: Vec<(String, usize)> = vec![];
    let mut keep = vec![true; styles.children.len()];
    let mut moves: Vec<(usize, usize)> = vec![];
    for (i, n) in styles.children.iter().enumerate() {
        let Node::Elem(e) = n else { continue };
        if e.name != "w:style" {
            continue;
        }
        let Some(id) = e.attr("w:styleId") else {
            continue;
        };
        match seen.iter().find(|(s, _)| s == id) {
            Some(&(_, first)) => {
                keep[i] = false;
                moves.push((i, first));
            }
            None => seen.push((id.to_owned(), i)),
        }
    }
    for (from, to) in moves {
        styles.children[to] = styles.children[from].clone();
    }
    let mut i = 0;
    styles.children.retain(|_| {
        i += 1;
        keep[i - 1]
    });
    for e in styles.elems_mut() {
        if e.name == "w:style" && e.attr("w:styleId") == Some("Normal") {
            e.set_attr("w:default", "1");
        }
    }
}

/// Settings: drops the compatibility option `w:balanceSingleByteDoubleByteWidth` docx-rs sets
/// (Word would then widen half-width digits and Latin letters, breaking the 28-character grid).
pub fn fix_settings(settings: &mut Elem) {
    if let Some(compat) = settings.child_mut("w:compat") {
        compat.children.retain(
            |n| !matches!(n, Node::Elem(e) if e.name == "w:balanceSingleByteDoubleByteWidth"),
        );
    }
}

/// Removes what carries no information: `w14:paraId` attributes (docx-rs numbers them per
/// build call, so a section's closing paragraph repeats an id, which Word may reject; Word
/// assigns its own) and empty `w:rPr` / `w:pPr` elements.
pub fn strip_noise(e: &mut Elem) {
    e.attrs
        .retain(|(k, _)| k != "w14:paraId" && k != "w14:textId");
    e.children.retain(|n| {
        !matches!(n, Node::Elem(c) if (c.name == "w:rPr" || c.name == "w:pPr")
            && c.attrs.is_empty() && c.children.is_empty())
    });
    for c in e.elems_mut() {
        strip_noise(c);
    }
    // A pPr that only held an empty rPr is empty now.
    e.children.retain(|n| {
        !matches!(n, Node::Elem(c) if c.name == "w:pPr" && c.attrs.is_empty() && c.children.is_empty())
    });
}

// ---------------------------------------------------------------------------------------------
// Package

/// What the builder knows that the post-pass needs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    pub title: String,
    pub creator: String,
    /// ISO `YYYY-MM-DD`.
    pub date: String,
    /// The tables in document order (elements, or serialised XML as `Node::Raw`), replacing
    /// the placeholders docx-rs wrote.
    pub tables: Vec<Node>,
    pub style_props: Vec<StyleProp>,
}

/// Applies every fix to the rendered parts and returns them as `(path, bytes)` in package order.
pub fn fix_parts(x: docx_rs::XMLDocx, plan: Plan) -> Result<Vec<(String, Body)>, Error> {
    let mut tables = Some(plan.tables);
    let mut parts: Vec<(String, Vec<u8>)> = vec![
        ("[Content_Types].xml".into(), x.content_type),
        ("_rels/.rels".into(), x.rels),
        ("docProps/app.xml".into(), x.doc_props.app),
        ("docProps/core.xml".into(), x.doc_props.core),
        ("docProps/custom.xml".into(), x.doc_props.custom),
        ("word/_rels/document.xml.rels".into(), x.document_rels),
        ("word/document.xml".into(), x.document),
        ("word/styles.xml".into(), x.styles),
        ("word/settings.xml".into(), x.settings),
        ("word/fontTable.xml".into(), x.font_table),
        ("word/comments.xml".into(), x.comments),
        ("word/numbering.xml".into(), x.numberings),
        ("word/commentsExtended.xml".into(), x.comments_extended),
        ("word/footnotes.xml".into(), x.footnotes),
    ];
    // docx-rs renders a relationships part per section for headers and footers that may not
    // exist: only those of existing parts are packed.
    let (headers, footers) = (x.headers.len(), x.footers.len());
    for (i, h) in x.headers.into_iter().enumerate() {
        parts.push((format!("word/header{}.xml", i + 1), h));
    }
    for (i, r) in x.header_rels.into_iter().enumerate().take(headers) {
        parts.push((format!("word/_rels/header{}.xml.rels", i + 1), r));
    }
    for (i, f) in x.footers.into_iter().enumerate() {
        parts.push((format!("word/footer{}.xml", i + 1), f));
    }
    for (i, r) in x.footer_rels.into_iter().enumerate().take(footers) {
        parts.push((format!("word/_rels/footer{}.xml.rels", i + 1), r));
    }
    let mut out = Vec::with_capacity(parts.len());
    for (path, bytes) in parts {
        if !path.ends_with(".xml") && !path.ends_with(".rels") {
            out.push((path, Body::Bytes(bytes)));
            continue;
        }
        let mut part = parse(&path, &bytes)?;
        drop(bytes);
        match path.as_str() {
            "word/document.xml" => {
                share_section_references(&mut part.root)?;
                strip_noise(&mut part.root);
                canonicalize(&mut part.root);
                // The tables are written in schema order already: inserted after the pass.
                insert_tables(&mut part.root, tables.take().unwrap_or_default())?;
                out.push((path, Body::Xml(part)));
                continue;
            }
            p if p.starts_with("word/footer") || p.starts_with("word/header") => {
                strip_noise(&mut part.root)
            }
            "word/styles.xml" => {
                dedupe_styles(&mut part.root);
                set_style_props(&mut part.root, &plan.style_props)?;
                strip_noise(&mut part.root);
            }
            "word/settings.xml" => fix_settings(&mut part.root),
            "docProps/core.xml" => set_core(&mut part.root, &plan.title, &plan.creator, &plan.date),
            _ => {}
        }
        canonicalize(&mut part.root);
        out.push((path, Body::Bytes(serialize(&part))));
    }
    Ok(out)
}

/// Zips the parts with deflate, in the given order ([Content_Types].xml first), every entry
/// stamped with `date` at midnight: the same input gives the same bytes. [`Date::YEARS`] are
/// the years a ZIP entry can carry.
pub fn zip_parts(parts: &[(String, Body)], date: Date) -> Result<Vec<u8>, Error> {
    let zerr = |e: zip::result::ZipError| Error::Zip(e.to_string());
    let stamp = zip::DateTime::from_date_and_time(
        date.year as u16,
        date.month as u8,
        date.day as u8,
        0,
        0,
        0,
    )
    .map_err(|_| Error::Date(date.iso()))?;
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(stamp)
        .unix_permissions(0o644);
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let ioerr = |e: std::io::Error| Error::Zip(e.to_string());
    for (path, body) in parts {
        zip.start_file(path.as_str(), opts).map_err(zerr)?;
        match body {
            Body::Bytes(bytes) => zip.write_all(bytes).map_err(ioerr)?,
            Body::Xml(part) => {
                let mut text = IoText {
                    out: std::io::BufWriter::with_capacity(1 << 16, &mut zip),
                    error: None,
                };
                if write_part(&mut text, part).is_err() {
                    return Err(ioerr(text.error.unwrap_or_else(|| {
                        std::io::Error::other("XML serialisation failed")
                    })));
                }
                text.out.flush().map_err(ioerr)?;
            }
        }
    }
    Ok(zip.finish().map_err(zerr)?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(xml: &str) -> Part {
        parse("test.xml", xml.as_bytes()).unwrap()
    }

    fn s(part: &Part) -> String {
        String::from_utf8(serialize(part)).unwrap()
    }

    #[test]
    fn round_trip_keeps_text_entities_and_declaration() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="x"><w:body><w:p><w:r><w:t xml:space="preserve">A &amp; B &lt; “引号” </w:t></w:r></w:p><!--c--></w:body></w:document>"#;
        let part = p(xml);
        let out = s(&part);
        assert!(out.starts_with(r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#));
        assert!(out.contains(r#"<w:t xml:space="preserve">A &amp; B &lt; “引号” </w:t>"#));
        assert!(out.contains("<!--c-->"));
        assert_eq!(p(&out), part);
    }

    #[test]
    fn canonicalize_orders_run_properties() {
        let mut part = p(
            r#"<w:rPr><w:sz w:val="32"/><w:spacing w:val="-5"/><w:rFonts w:eastAsia="仿宋_GB2312"/><w:rStyle w:val="X"/></w:rPr>"#,
        );
        canonicalize(&mut part.root);
        let names: Vec<&str> = part.root.elems().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["w:rStyle", "w:rFonts", "w:spacing", "w:sz"]);
    }

    #[test]
    fn canonicalize_orders_paragraph_and_section_properties() {
        let mut part = p(
            r#"<w:pPr><w:rPr/><w:jc w:val="center"/><w:ind w:left="0"/><w:spacing w:line="579"/><w:pStyle w:val="A"/><w:pBdr><w:bottom/><w:top/></w:pBdr></w:pPr>"#,
        );
        canonicalize(&mut part.root);
        let names: Vec<&str> = part.root.elems().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            ["w:pStyle", "w:pBdr", "w:spacing", "w:ind", "w:jc", "w:rPr"]
        );
        let bdr: Vec<&str> = part
            .root
            .child("w:pBdr")
            .unwrap()
            .elems()
            .map(|e| e.name.as_str())
            .collect();
        assert_eq!(bdr, ["w:top", "w:bottom"]);

        let mut sect = p(
            r#"<w:sectPr><w:pgSz/><w:docGrid/><w:footerReference w:type="default"/><w:pgMar/><w:headerReference w:type="even"/><w:cols/></w:sectPr>"#,
        );
        canonicalize(&mut sect.root);
        let names: Vec<&str> = sect.root.elems().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "w:footerReference",
                "w:headerReference",
                "w:pgSz",
                "w:pgMar",
                "w:cols",
                "w:docGrid"
            ]
        );
    }

    #[test]
    fn canonicalize_leaves_sorted_children_alone() {
        let xml = r#"<w:tcPr><w:tcW w:w="1"/><w:gridSpan w:val="2"/><w:vMerge/></w:tcPr>"#;
        let mut part = p(xml);
        canonicalize(&mut part.root);
        assert_eq!(s(&part), xml);
    }

    #[test]
    fn tables_replace_their_placeholders_in_order() {
        let ph = format!(r#"<w:p><w:pPr><w:pStyle w:val="{TABLE_PLACEHOLDER}"/></w:pPr></w:p>"#);
        let mut part = p(&format!(
            r#"<w:document><w:body><w:p/>{ph}<w:p><w:r><w:t>x</w:t></w:r></w:p>{ph}</w:body></w:document>"#
        ));
        let t = |n: &str| {
            let mut e = Elem::new("w:tbl");
            e.set_attr("n", n);
            Node::Elem(e)
        };
        insert_tables(
            &mut part.root,
            vec![t("1"), Node::Raw(r#"<w:tbl n="2"/>"#.into())],
        )
        .unwrap();
        assert_eq!(
            s(&part),
            r#"<w:document><w:body><w:p/><w:tbl n="1"/><w:p><w:r><w:t>x</w:t></w:r></w:p><w:tbl n="2"/></w:body></w:document>"#
        );
    }

    #[test]
    fn table_and_placeholder_counts_must_agree() {
        let ph = format!(r#"<w:p><w:pPr><w:pStyle w:val="{TABLE_PLACEHOLDER}"/></w:pPr></w:p>"#);
        let mut part = p(&format!("<w:document><w:body>{ph}</w:body></w:document>"));
        assert!(insert_tables(&mut part.root.clone(), vec![]).is_err());
        let two = vec![
            Node::Elem(Elem::new("w:tbl")),
            Node::Elem(Elem::new("w:tbl")),
        ];
        assert!(insert_tables(&mut part.root, two).is_err());
    }

    #[test]
    fn style_props_are_added_to_the_named_style() {
        let mut part = p(
            r#"<w:styles><w:style w:styleId="A"><w:name w:val="a"/><w:pPr><w:jc w:val="both"/><w:ind w:firstLine="640"/></w:pPr></w:style><w:style w:styleId="B"><w:rPr/><w:name w:val="b"/></w:style></w:styles>"#,
        );
        set_style_props(
            &mut part.root,
            &[
                StyleProp::new("A", "w:ind", &[("w:firstLineChars", "200")]),
                StyleProp::new("A", "w:overflowPunct", &[("w:val", "0")]),
                StyleProp::new("B", "w:ind", &[("w:leftChars", "100")]),
            ],
        )
        .unwrap();
        canonicalize(&mut part.root);
        let out = s(&part);
        assert!(out.contains(r#"<w:pPr><w:overflowPunct w:val="0"/><w:ind w:firstLine="640" w:firstLineChars="200"/><w:jc w:val="both"/></w:pPr>"#), "{out}");
        assert!(out.contains(r#"<w:style w:styleId="B"><w:name w:val="b"/><w:pPr><w:ind w:leftChars="100"/></w:pPr><w:rPr/></w:style>"#), "{out}");
        let missing = StyleProp::new("Z", "w:ind", &[]);
        assert!(set_style_props(&mut part.root, &[missing]).is_err());
    }

    #[test]
    fn sections_share_the_final_footers() {
        let mut part = p(
            r#"<w:document><w:body><w:p><w:pPr><w:sectPr><w:pgSz w:orient="landscape"/></w:sectPr></w:pPr></w:p><w:p><w:pPr><w:sectPr><w:footerReference w:type="default" r:id="own"/></w:sectPr></w:pPr></w:p><w:sectPr><w:footerReference w:type="default" r:id="rIdFooter1"/><w:footerReference w:type="even" r:id="rIdFooter2"/><w:footerReference w:type="first" r:id="rIdFooter3"/><w:pgSz/></w:sectPr></w:body></w:document>"#,
        );
        share_section_references(&mut part.root).unwrap();
        let out = s(&part);
        assert!(out.contains(r#"<w:sectPr><w:footerReference w:type="default" r:id="rIdFooter1"/><w:footerReference w:type="even" r:id="rIdFooter2"/><w:pgSz w:orient="landscape"/></w:sectPr>"#), "{out}");
        // A section with references of its own keeps them.
        assert!(
            out.contains(
                r#"<w:sectPr><w:footerReference w:type="default" r:id="own"/></w:sectPr>"#
            ),
            "{out}"
        );
    }

    #[test]
    fn core_properties_get_title_creator_and_dates() {
        let mut part = p(
            r#"<cp:coreProperties><dcterms:created xsi:type="dcterms:W3CDTF">1970-01-01T00:00:00Z</dcterms:created><dc:creator>unknown</dc:creator><cp:lastModifiedBy>unknown</cp:lastModifiedBy><dcterms:modified xsi:type="dcterms:W3CDTF">1970-01-01T00:00:00Z</dcterms:modified></cp:coreProperties>"#,
        );
        set_core(&mut part.root, "关于A&B的通报", "某办公室", "2021-07-07");
        let out = s(&part);
        assert!(
            out.contains("<dc:title>关于A&amp;B的通报</dc:title>"),
            "{out}"
        );
        assert!(out.contains("<dc:creator>某办公室</dc:creator>"));
        assert!(out.contains("<cp:lastModifiedBy>某办公室</cp:lastModifiedBy>"));
        assert_eq!(out.matches("2021-07-07T00:00:00Z").count(), 2);
        assert!(!out.contains("1970"));
    }

    #[test]
    fn zip_is_deterministic_deflated_and_ordered() {
        let document = p(&format!(
            "<?xml version=\"1.0\"?><w:document>{}</w:document>",
            "<w:p>通报</w:p>".repeat(100)
        ));
        let parts = vec![
            (
                "[Content_Types].xml".to_string(),
                Body::Bytes(b"<Types/>".repeat(100)),
            ),
            ("word/document.xml".to_string(), Body::Xml(document.clone())),
        ];
        let date = Date::parse("2021-07-07").unwrap();
        let a = zip_parts(&parts, date).unwrap();
        let b = zip_parts(&parts, date).unwrap();
        assert_eq!(a, b);
        let mut z = zip::ZipArchive::new(Cursor::new(&a)).unwrap();
        assert_eq!(z.len(), 2);
        let f = z.by_index(0).unwrap();
        assert_eq!(f.name(), "[Content_Types].xml");
        assert_eq!(f.compression(), zip::CompressionMethod::Deflated);
        assert!(f.compressed_size() < f.size());
        let t = f.last_modified().unwrap();
        assert_eq!((t.year(), t.month(), t.day(), t.hour()), (2021, 7, 7, 0));
        drop(f);
        let mut streamed = Vec::new();
        let mut f = z.by_index(1).unwrap();
        assert_eq!(f.name(), "word/document.xml");
        std::io::Read::read_to_end(&mut f, &mut streamed).unwrap();
        assert_eq!(
            streamed,
            serialize(&document),
            "a tree is zipped as it serialises"
        );
        drop(f);
        for year in [Date::YEARS.start(), Date::YEARS.end()] {
            let edge = Date {
                year: *year,
                month: 12,
                day: 31,
            };
            assert!(zip_parts(&parts, edge).is_ok(), "{edge}");
        }
    }

    #[test]
    fn duplicate_styles_keep_the_last_in_place_and_normal_is_default() {
        let mut part = p(
            r#"<w:styles><w:docDefaults/><w:style w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:styleId="A"/><w:style w:styleId="Normal"><w:name w:val="Normal"/><w:rPr><w:sz w:val="32"/></w:rPr></w:style></w:styles>"#,
        );
        dedupe_styles(&mut part.root);
        assert_eq!(
            s(&part),
            r#"<w:styles><w:docDefaults/><w:style w:styleId="Normal" w:default="1"><w:name w:val="Normal"/><w:rPr><w:sz w:val="32"/></w:rPr></w:style><w:style w:styleId="A"/></w:styles>"#
        );
    }

    #[test]
    fn settings_lose_the_double_byte_balance_and_are_ordered() {
        let mut part = p(
            r#"<w:settings><w:defaultTabStop w:val="840"/><w:zoom w:percent="100"/><w:compat><w:spaceForUL/><w:balanceSingleByteDoubleByteWidth/></w:compat><w:evenAndOddHeaders/></w:settings>"#,
        );
        fix_settings(&mut part.root);
        canonicalize(&mut part.root);
        assert_eq!(
            s(&part),
            r#"<w:settings><w:zoom w:percent="100"/><w:defaultTabStop w:val="840"/><w:evenAndOddHeaders/><w:compat><w:spaceForUL/></w:compat></w:settings>"#
        );
    }

    #[test]
    fn noise_is_stripped() {
        let mut part = p(
            r#"<w:body><w:p w14:paraId="00000001"><w:pPr><w:rPr/></w:pPr><w:r><w:rPr/><w:t>x</w:t></w:r></w:p><w:p w14:paraId="00000001"><w:pPr><w:jc w:val="left"/><w:rPr/></w:pPr><w:r><w:rPr><w:b/></w:rPr></w:r></w:p></w:body>"#,
        );
        strip_noise(&mut part.root);
        assert_eq!(
            s(&part),
            r#"<w:body><w:p><w:r><w:t>x</w:t></w:r></w:p><w:p><w:pPr><w:jc w:val="left"/></w:pPr><w:r><w:rPr><w:b/></w:rPr></w:r></w:p></w:body>"#
        );
    }

    #[test]
    fn pretty_keeps_text_inline() {
        let part = p(r#"<a><b><c x="1"/><t>文 字</t></b></a>"#);
        assert_eq!(
            pretty(&part),
            "<a>\n  <b>\n    <c x=\"1\"/>\n    <t>文 字</t>\n  </b>\n</a>\n"
        );
    }
}
