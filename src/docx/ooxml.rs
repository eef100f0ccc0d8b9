//! A small typed writer of WordprocessingML: paragraph, run, section and table properties as
//! structs whose `write` emits their children in ECMA-376 schema order, so every part is in
//! order by construction. Text and attribute values go through [`crate::xml`]'s escaping.

/// Markup under construction: held whole ([`Xml::into_string`]), or written to a sink in
/// pieces as it grows ([`Xml::to_sink`]), so that a part as long as a 20,000-row table is
/// never held whole.
#[derive(Default)]
pub struct Xml<'w> {
    text: String,
    sink: Option<&'w mut dyn std::io::Write>,
    /// The first write to the sink that failed; nothing more is written after it.
    error: Option<std::io::Error>,
}

/// Markup a sink is given at a time (and what is held before it is).
const PIECE: usize = 64 * 1024;

impl From<&str> for Xml<'_> {
    fn from(start: &str) -> Self {
        Xml {
            text: start.to_string(),
            ..Xml::default()
        }
    }
}

impl<'w> Xml<'w> {
    /// Markup written to `sink` as it is made; [`Xml::finish`] writes the rest.
    pub fn to_sink(sink: &'w mut dyn std::io::Write) -> Xml<'w> {
        Xml {
            text: String::with_capacity(PIECE + 4096),
            sink: Some(sink),
            error: None,
        }
    }

    /// The markup held (all of it without a sink).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn into_string(self) -> String {
        self.text
    }

    /// Writes what is held to the sink, if any.
    fn drain(&mut self) {
        let Some(sink) = self.sink.as_mut() else {
            return;
        };
        if self.error.is_none() {
            if let Err(e) = sink.write_all(self.text.as_bytes()) {
                self.error = Some(e);
            }
        }
        self.text.clear();
    }

    /// Writes the rest to the sink; the first write that failed is the error.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.drain();
        self.error.map_or(Ok(()), Err)
    }

    /// Raw markup (a declaration).
    pub fn raw(&mut self, markup: &str) {
        self.text.push_str(markup);
    }

    fn tag(&mut self, name: &str, attrs: &[(&str, &str)], empty: bool) {
        self.text.push('<');
        self.text.push_str(name);
        for (k, v) in attrs {
            self.text.push(' ');
            self.text.push_str(k);
            self.text.push_str("=\"");
            self.text.push_str(&crate::xml::escape_attr(v));
            self.text.push('"');
        }
        self.text.push_str(if empty { "/>" } else { ">" });
    }

    pub fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.tag(name, attrs, false);
    }

    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.tag(name, attrs, true);
    }

    /// An element with one `w:val`.
    pub fn val(&mut self, name: &str, v: impl std::fmt::Display) {
        let v = v.to_string();
        self.empty(name, &[("w:val", &v)]);
    }

    pub fn close(&mut self, name: &str) {
        self.text.push_str("</");
        self.text.push_str(name);
        self.text.push('>');
        if self.text.len() >= PIECE {
            self.drain();
        }
    }

    /// Character data (escaped; characters XML cannot carry become U+FFFD).
    pub fn text(&mut self, text: &str) {
        self.text.push_str(&crate::xml::escape_text(text));
    }
}

/// A border line: width in eighths of a point, colour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line {
    pub eighths: u32,
    pub space: u32,
    pub color: &'static str,
}

impl Line {
    pub fn write(&self, x: &mut Xml, side: &str) {
        let (sz, space) = (self.eighths.to_string(), self.space.to_string());
        x.empty(
            side,
            &[
                ("w:val", "single"),
                ("w:sz", &sz),
                ("w:space", &space),
                ("w:color", self.color),
            ],
        );
    }
}

/// Line spacing and space before and after, twips.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spacing {
    pub before: i32,
    pub after: i32,
    /// Exact line height; `None`: single (auto) spacing.
    pub exact: Option<i32>,
}

impl Spacing {
    pub fn exact(line: i32) -> Spacing {
        Spacing {
            before: 0,
            after: 0,
            exact: Some(line),
        }
    }
}

/// Indents, twips, with their character-unit forms (hundredths of a character) that Word and
/// WPS show and keep when the size changes.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Ind {
    pub left: i32,
    pub right: i32,
    /// Positive: first-line indent; negative: hanging indent.
    pub first: i32,
    pub left_chars: Option<i32>,
    pub right_chars: Option<i32>,
    pub first_chars: Option<i32>,
}

/// Paragraph properties (CT_PPr), in schema order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PPr<'a> {
    pub style: Option<&'a str>,
    pub keep_next: bool,
    pub keep_lines: bool,
    pub page_break_before: bool,
    pub border_bottom: Option<Line>,
    /// Right tab stops, twips.
    pub right_tab: Option<i32>,
    /// No hanging punctuation, no automatic space between hanzi and Latin or digits, so the
    /// lines hold what the PDF's do. Word honours it; LibreOffice (7.4 and later) ignores
    /// autoSpaceDE/DN on import and puts a fifth of the font height at every hanzi–digit
    /// boundary, so its lines with numbers hold 1–3 characters fewer (passfail-counted runs to
    /// a fifth page there). Its only switch, a lines-and-characters grid, sets 12–17 characters
    /// a line: not a cure.
    pub grid_strict: bool,
    pub snap_to_grid: Option<bool>,
    pub spacing: Option<Spacing>,
    pub ind: Option<Ind>,
    pub jc: Option<&'static str>,
    pub outline: Option<u8>,
    /// Run properties of the paragraph mark.
    pub mark: Option<RPr<'a>>,
    /// Properties of the section this paragraph ends.
    pub sect: Option<SectPr>,
}

impl PPr<'_> {
    pub fn write(&self, x: &mut Xml) {
        if *self == PPr::default() {
            return;
        }
        x.open("w:pPr", &[]);
        if let Some(s) = self.style {
            x.val("w:pStyle", s);
        }
        for (on, name) in [
            (self.keep_next, "w:keepNext"),
            (self.keep_lines, "w:keepLines"),
            (self.page_break_before, "w:pageBreakBefore"),
        ] {
            if on {
                x.empty(name, &[]);
            }
        }
        if let Some(b) = self.border_bottom {
            x.open("w:pBdr", &[]);
            b.write(x, "w:bottom");
            x.close("w:pBdr");
        }
        if let Some(pos) = self.right_tab {
            x.open("w:tabs", &[]);
            x.empty("w:tab", &[("w:val", "right"), ("w:pos", &pos.to_string())]);
            x.close("w:tabs");
        }
        if self.grid_strict {
            for name in ["w:overflowPunct", "w:autoSpaceDE", "w:autoSpaceDN"] {
                x.val(name, 0);
            }
        }
        if let Some(s) = self.snap_to_grid {
            x.val("w:snapToGrid", u8::from(s));
        }
        if let Some(s) = self.spacing {
            let (b, a) = (s.before.to_string(), s.after.to_string());
            match s.exact {
                Some(l) => x.empty(
                    "w:spacing",
                    &[
                        ("w:before", &b),
                        ("w:after", &a),
                        ("w:line", &l.to_string()),
                        ("w:lineRule", "exact"),
                    ],
                ),
                None => x.empty(
                    "w:spacing",
                    &[
                        ("w:before", &b),
                        ("w:after", &a),
                        ("w:line", "240"),
                        ("w:lineRule", "auto"),
                    ],
                ),
            }
        }
        if let Some(i) = self.ind {
            let mut attrs: Vec<(&str, String)> = vec![("w:left", i.left.to_string())];
            if let Some(c) = i.left_chars {
                attrs.push(("w:leftChars", c.to_string()));
            }
            attrs.push(("w:right", i.right.to_string()));
            if let Some(c) = i.right_chars {
                attrs.push(("w:rightChars", c.to_string()));
            }
            let (name, chars) = if i.first < 0 {
                ("w:hanging", "w:hangingChars")
            } else {
                ("w:firstLine", "w:firstLineChars")
            };
            if i.first != 0 || i.first_chars.is_some() {
                attrs.push((name, i.first.abs().to_string()));
            }
            if let Some(c) = i.first_chars {
                attrs.push((chars, c.abs().to_string()));
            }
            let attrs: Vec<(&str, &str)> = attrs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            x.empty("w:ind", &attrs);
        }
        if let Some(j) = self.jc {
            x.val("w:jc", j);
        }
        if let Some(l) = self.outline {
            x.val("w:outlineLvl", l);
        }
        if let Some(r) = &self.mark {
            r.write(x);
        }
        if let Some(s) = &self.sect {
            s.write(x);
        }
        x.close("w:pPr");
    }
}

/// Run properties (CT_RPr), in schema order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RPr<'a> {
    pub style: Option<&'a str>,
    /// The face for every script, or for East Asian text when `latin` is given.
    pub font: Option<&'a str>,
    /// The face for ASCII and Latin text (w:ascii, w:hAnsi), with `font`.
    pub latin: Option<&'a str>,
    pub color: Option<&'static str>,
    /// Character spacing, twips.
    pub spacing: Option<i32>,
    /// Size, half-points.
    pub size: Option<u32>,
}

impl RPr<'_> {
    pub fn write(&self, x: &mut Xml) {
        if *self == RPr::default() {
            return;
        }
        x.open("w:rPr", &[]);
        if let Some(s) = self.style {
            x.val("w:rStyle", s);
        }
        if let Some(f) = self.font {
            let latin = self.latin.unwrap_or(f);
            x.empty(
                "w:rFonts",
                &[
                    ("w:ascii", latin),
                    ("w:eastAsia", f),
                    ("w:hAnsi", latin),
                    ("w:cs", f),
                ],
            );
        }
        if let Some(c) = self.color {
            x.val("w:color", c);
        }
        if let Some(s) = self.spacing {
            x.val("w:spacing", s);
        }
        if let Some(s) = self.size {
            x.val("w:sz", s);
            x.val("w:szCs", s);
        }
        x.close("w:rPr");
    }
}

/// A run of text (`\n` in `text` becomes a line break).
pub fn run(x: &mut Xml, rpr: &RPr, text: &str) {
    x.open("w:r", &[]);
    rpr.write(x);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            x.empty("w:br", &[]);
        }
        if !line.is_empty() {
            x.open("w:t", &[("xml:space", "preserve")]);
            x.text(line);
            x.close("w:t");
        }
    }
    x.close("w:r");
}

/// A paragraph of runs.
pub fn paragraph(x: &mut Xml, ppr: &PPr, runs: &[(RPr, &str)]) {
    x.open("w:p", &[]);
    ppr.write(x);
    for (rpr, text) in runs {
        run(x, rpr, text);
    }
    x.close("w:p");
}

/// Section properties (CT_SectPr), in schema order. Every section starts on a new page: the
/// layout decides the pages, blank ones included (LibreOffice 7.4 sets the first page after an
/// `evenPage` break about 10 pt low, off the grid).
#[derive(Debug, Clone, PartialEq)]
pub struct SectPr {
    /// Relationship ids of the odd (default) and even footers.
    pub footers: (&'static str, &'static str),
    pub landscape: bool,
    /// Page size and margins (top, right, bottom, left), twips, as the sheet lies.
    pub size: (i32, i32),
    pub margins: [i32; 4],
    pub footer: i32,
    /// The line grid's pitch; `None`: no grid (a landscape table's pages, whose 156 mm
    /// LibreOffice would cut to whole grid lines, 15 × 579 twips, 8 pt short).
    pub line_pitch: Option<i32>,
}

impl SectPr {
    pub fn write(&self, x: &mut Xml) {
        x.open("w:sectPr", &[]);
        for (kind, id) in [("default", self.footers.0), ("even", self.footers.1)] {
            x.empty("w:footerReference", &[("w:type", kind), ("r:id", id)]);
        }
        x.val("w:type", "nextPage");
        let (w, h) = (self.size.0.to_string(), self.size.1.to_string());
        if self.landscape {
            x.empty(
                "w:pgSz",
                &[("w:w", &w), ("w:h", &h), ("w:orient", "landscape")],
            );
        } else {
            x.empty("w:pgSz", &[("w:w", &w), ("w:h", &h)]);
        }
        let m = self.margins.map(|v| v.to_string());
        let footer = self.footer.to_string();
        x.empty(
            "w:pgMar",
            &[
                ("w:top", &m[0]),
                ("w:right", &m[1]),
                ("w:bottom", &m[2]),
                ("w:left", &m[3]),
                ("w:header", "851"),
                ("w:footer", &footer),
                ("w:gutter", "0"),
            ],
        );
        if let Some(pitch) = self.line_pitch {
            x.empty(
                "w:docGrid",
                &[("w:type", "lines"), ("w:linePitch", &pitch.to_string())],
            );
        }
        x.close("w:sectPr");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(x: &mut Xml, n: usize) {
        for i in 0..n {
            x.open("w:p", &[]);
            x.text(&format!("第{i}行<"));
            x.close("w:p");
        }
    }

    #[test]
    fn markup_written_to_a_sink_is_the_markup_held_whole() {
        let mut whole = Xml::from("<?xml?>");
        rows(&mut whole, 20_000);
        let mut out = Vec::new();
        let mut streamed = Xml::to_sink(&mut out);
        streamed.raw("<?xml?>");
        rows(&mut streamed, 20_000);
        // Never more than a piece and one element held.
        assert!(
            streamed.as_str().len() < PIECE + 100,
            "{}",
            streamed.as_str().len()
        );
        streamed.finish().unwrap();
        let whole = whole.into_string();
        assert!(whole.len() > 4 * PIECE);
        assert_eq!(String::from_utf8(out).unwrap(), whole);
    }

    #[test]
    fn a_failed_write_to_the_sink_is_the_error() {
        struct Full;
        impl std::io::Write for Full {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Err(std::io::ErrorKind::StorageFull.into())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut sink = Full;
        let mut x = Xml::to_sink(&mut sink);
        rows(&mut x, 20_000);
        let e = x.finish().unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::StorageFull);
    }

    #[test]
    fn paragraph_properties_come_in_schema_order() {
        let mut x = Xml::default();
        PPr {
            style: Some("S"),
            keep_next: true,
            jc: Some("center"),
            ind: Some(Ind {
                left: 560,
                first: -280,
                left_chars: Some(200),
                first_chars: Some(-100),
                ..Ind::default()
            }),
            spacing: Some(Spacing::exact(579)),
            snap_to_grid: Some(false),
            ..PPr::default()
        }
        .write(&mut x);
        assert_eq!(
            x.as_str(),
            r#"<w:pPr><w:pStyle w:val="S"/><w:keepNext/><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="579" w:lineRule="exact"/><w:ind w:left="560" w:leftChars="200" w:right="0" w:hanging="280" w:hangingChars="100"/><w:jc w:val="center"/></w:pPr>"#
        );
    }

    #[test]
    fn runs_escape_text_and_break_lines() {
        let mut x = Xml::default();
        run(
            &mut x,
            &RPr {
                size: Some(44),
                font: Some("A&B"),
                ..RPr::default()
            },
            "关于<甲>\n通报",
        );
        assert_eq!(
            x.as_str(),
            r#"<w:r><w:rPr><w:rFonts w:ascii="A&amp;B" w:eastAsia="A&amp;B" w:hAnsi="A&amp;B" w:cs="A&amp;B"/><w:sz w:val="44"/><w:szCs w:val="44"/></w:rPr><w:t xml:space="preserve">关于&lt;甲&gt;</w:t><w:br/><w:t xml:space="preserve">通报</w:t></w:r>"#
        );
    }
}
