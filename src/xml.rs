//! The one XML escaping routine of every part tongbao writes (DOCX parts; any other XML
//! writer): whatever the string, the result is well-formed character data or attribute text.
//!
//! Load refuses control characters and noncharacters (`textcheck`), so in practice nothing is
//! replaced here; this is what makes a well-formed part a property of the writer rather than
//! of its input. A character XML 1.0 does not allow (C0 controls other than tab, line feed and
//! carriage return; U+FFFE, U+FFFF) or discourages (DEL, C1 controls, noncharacters) becomes
//! U+FFFD, the replacement character.

use std::borrow::Cow;

/// Whether `c` may appear, as itself, in a part Word and LibreOffice open.
pub fn is_allowed(c: char) -> bool {
    let u = c as u32;
    match u {
        0x09 | 0x0A | 0x0D => true,
        0x00..=0x1F | 0x7F..=0x9F => false,
        0xFDD0..=0xFDEF => false,
        _ => u & 0xFFFE != 0xFFFE,
    }
}

/// `s` with every character [`is_allowed`] refuses replaced by U+FFFD.
pub fn clean(s: &str) -> Cow<'_, str> {
    if s.chars().all(is_allowed) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(
            s.chars()
                .map(|c| if is_allowed(c) { c } else { '\u{FFFD}' })
                .collect(),
        )
    }
}

fn escape(s: &str, attribute: bool) -> Cow<'_, str> {
    let special = |c: char| {
        matches!(c, '&' | '<' | '>')
            || (attribute && matches!(c, '"' | '\'' | '\t' | '\n' | '\r'))
            || (!attribute && c == '\r')
            || !is_allowed(c)
    };
    if !s.chars().any(special) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\'' if attribute => out.push_str("&apos;"),
            // Written as references, or a parser normalises them (attribute values) or folds
            // a CR LF pair (text).
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if !is_allowed(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Character data of an element.
pub fn escape_text(s: &str) -> Cow<'_, str> {
    escape(s, false)
}

/// The value of an attribute, for either quote.
pub fn escape_attr(s: &str) -> Cow<'_, str> {
    escape(s, true)
}

/// Strings a pasted document or a YAML escape can carry; every XML writer's tests use them.
pub const HOSTILE: [&str; 16] = [
    "某某区\u{0B}政府",
    "\0",
    "\u{07}响铃",
    "\u{1B}[31m",
    "\u{FFFE}",
    "\u{FFFF}",
    "\u{FDD0}",
    "\u{85}下一行",
    "\u{9F}",
    "\u{7F}",
    "a\r\nb\rc",
    "<w:t>&amp;</w:t>",
    "\"'\t\n",
    "]]>",
    "&#0;&#x1F;",
    "\u{10FFFF}\u{1FFFE}",
];

#[cfg(test)]
mod tests {
    use super::*;
    use quick_xml::events::Event;

    /// Parse `xml` completely, checking characters as XML 1.0 requires; return its text and
    /// the value of attribute `v`.
    fn parse(xml: &str) -> (String, String) {
        let mut r = quick_xml::Reader::from_str(xml);
        let (mut text, mut attr) = (String::new(), String::new());
        loop {
            match r.read_event().expect("well-formed") {
                Event::Start(e) => {
                    for a in e.attributes() {
                        let a = a.expect("attribute");
                        attr = a
                            .normalized_value(quick_xml::XmlVersion::Explicit1_0)
                            .expect("attribute value")
                            .into_owned();
                    }
                }
                Event::Text(t) => text.push_str(&t.decode().expect("text")),
                Event::GeneralRef(g) => {
                    let name = String::from_utf8(g.to_vec()).unwrap();
                    let c = match name.as_str() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        n => {
                            let code = n
                                .strip_prefix('#')
                                .and_then(|d| d.parse::<u32>().ok())
                                .expect("a character reference");
                            char::from_u32(code).unwrap()
                        }
                    };
                    text.push(c);
                }
                Event::Eof => break,
                _ => {}
            }
        }
        for c in xml.chars().chain(text.chars()).chain(attr.chars()) {
            assert!(is_allowed(c), "{c:?} in {xml:?}");
        }
        (text, attr)
    }

    #[test]
    fn every_hostile_string_gives_well_formed_xml() {
        for s in HOSTILE {
            let xml = format!("<a v=\"{}\">{}</a>", escape_attr(s), escape_text(s));
            let (text, attr) = parse(&xml);
            let expected: String = clean(s).into_owned();
            assert_eq!(text, expected, "{s:?}");
            assert_eq!(attr, expected, "{s:?}");
        }
    }

    #[test]
    fn plain_text_is_borrowed_and_kept() {
        let s = "关于2024年第二季度的通报（A&B）";
        assert!(matches!(escape_text("关于通报"), Cow::Borrowed(_)));
        assert_eq!(escape_text(s), "关于2024年第二季度的通报（A&amp;B）");
        assert_eq!(escape_attr("a\"b"), "a&quot;b");
        assert_eq!(clean("某某区\u{0B}政府"), "某某区\u{FFFD}政府");
    }
}
