//! Text from the IR into the page: through the project's one escaping routine
//! ([`crate::xml`]: HTML text and attribute values need what XML needs, and the characters it
//! refuses have no place in a page either), and JSON that cannot close its script element.

/// Append `s` as HTML text.
pub fn text(out: &mut String, s: &str) {
    out.push_str(&crate::xml::escape_text(s));
}

/// Append `s` as a double-quoted attribute value.
pub fn attr(out: &mut String, s: &str) {
    out.push_str(&crate::xml::escape_attr(s));
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
