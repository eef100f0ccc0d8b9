//! Escaping for HTML text and attribute values: the only way text from the IR enters the page.

/// Append `s` as HTML text (`&`, `<`, `>` escaped).
pub fn text(out: &mut String, s: &str) {
    escape(out, s, false);
}

/// Append `s` as a double-quoted attribute value (also `"` escaped).
pub fn attr(out: &mut String, s: &str) {
    escape(out, s, true);
}

fn escape(out: &mut String, s: &str, quote: bool) {
    let mut from = 0;
    for (i, b) in s.bytes().enumerate() {
        let rep = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' if quote => "&quot;",
            _ => continue,
        };
        out.push_str(&s[from..i]);
        out.push_str(rep);
        from = i + 1;
    }
    out.push_str(&s[from..]);
}

/// A JSON value for a `<script type="application/json">` block: `<` written as `\u003c`, so no
/// string in it can close the element (`</script>`) or open a comment.
pub fn script_json(value: &serde_json::Value) -> String {
    value.to_string().replace('<', "\\u003c")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped() {
        let mut s = String::new();
        text(&mut s, "a<b>&\"c\"");
        assert_eq!(s, "a&lt;b&gt;&amp;\"c\"");
        let mut s = String::new();
        attr(&mut s, "\"x\" & <y>");
        assert_eq!(s, "&quot;x&quot; &amp; &lt;y&gt;");
    }

    #[test]
    fn json_cannot_close_its_script_element() {
        let v = serde_json::json!({"文号": "</script><!--"});
        let s = script_json(&v);
        assert!(!s.contains('<'), "{s}");
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}
