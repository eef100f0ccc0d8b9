//! Reading a DOCX part back: a small element tree parsed with quick-xml, for golden files
//! ([`pretty`]) and for tests that inspect what the writer produced.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::Error;

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
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn elems(&self) -> impl Iterator<Item = &Elem> {
        self.children.iter().filter_map(|n| match n {
            Node::Elem(e) => Some(e),
            _ => None,
        })
    }

    pub fn child(&self, name: &str) -> Option<&Elem> {
        self.elems().find(|e| e.name == name)
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

fn write_elem(out: &mut String, e: &Elem) {
    out.push('<');
    out.push_str(&e.name);
    for (k, v) in &e.attrs {
        out.push(' ');
        out.push_str(k);
        out.push_str("=\"");
        out.push_str(v);
        out.push('"');
    }
    if e.children.is_empty() {
        out.push_str("/>");
        return;
    }
    out.push('>');
    for n in &e.children {
        match n {
            Node::Elem(c) => write_elem(out, c),
            Node::Text(t) | Node::Raw(t) => out.push_str(t),
        }
    }
    out.push_str("</");
    out.push_str(&e.name);
    out.push('>');
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
            write_elem(out, e);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_keeps_text_inline_and_entities_escaped() {
        let part = parse(
            "t.xml",
            "<?xml version=\"1.0\"?><w:p a=\"1\"><w:r><w:t>A&amp;B 通报</w:t></w:r><w:x/></w:p>"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(part.root.text(), "A&amp;B 通报");
        assert_eq!(
            pretty(&part),
            "<?xml version=\"1.0\"?>\n<w:p a=\"1\">\n  <w:r>\n    <w:t>A&amp;B 通报</w:t>\n  </w:r>\n  <w:x/>\n</w:p>\n"
        );
    }
}
