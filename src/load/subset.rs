//! The YAML most quarter files are written in, read in one pass into a tree with the places
//! granit-parser gives (so that `Spanned` values are the same): block mappings and sequences,
//! one-line flow collections, one-line plain and quoted scalars, `|` and `>` block scalars,
//! comments.
//!
//! Anything else (anchors, tags, multi-line plain or flow text, escapes, Tabs, CR, a syntax
//! error …) is `None`: the caller reads the file with serde-saphyr, which also reports the
//! errors. A `Some` tree is never wrong; a `None` only costs time.

use std::borrow::Cow;

/// Where a node is, as serde-saphyr's `Location` has it: 1-based line and column, offset and
/// length in characters and in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Place {
    pub line: u32,
    pub column: u32,
    pub index: u64,
    pub len: u64,
    pub byte: u64,
    pub byte_len: u64,
}

#[derive(Debug)]
pub(super) struct Node<'a> {
    pub kind: Kind<'a>,
    pub at: Place,
}

#[derive(Debug)]
pub(super) enum Kind<'a> {
    /// A plain scalar; "" is an empty value (null).
    Plain(&'a str),
    /// A quoted or block scalar: always a string.
    Text(Cow<'a, str>),
    Map(Vec<(Node<'a>, Node<'a>)>),
    Seq(Vec<Node<'a>>),
}

/// Deeper nesting is left to serde-saphyr's budget (64), and so are larger files in nodes.
const MAX_DEPTH: usize = 48;
const MAX_NODES: usize = 1_000_000;
/// granit-parser looks this far for the `:` of a key (serde-saphyr's budget: 1,024).
const MAX_KEY_CHARS: usize = 200;

/// The tree of `text` (a mapping at the root), or `None` when it is not in the subset.
pub(super) fn parse(text: &str) -> Option<Node<'_>> {
    // Tabs and CR are the slow path's (and U+2028, U+2029, U+FEFF, which parsers disagree on).
    if text.bytes().any(|b| matches!(b, b'\t' | b'\r'))
        || text.contains(['\u{2028}', '\u{2029}', '\u{feff}'])
    {
        return None;
    }
    let mut r = Reader {
        text,
        b: text.as_bytes(),
        pos: 0,
        cursor: Cursor::default(),
        nodes: 0,
        depth: 0,
    };
    let indent = r.next_content_line()?;
    if r.at_document_marker() {
        return None;
    }
    let root = r.block_map(indent)?;
    // The root mapping ends at the end of the text.
    (r.next_content_line().is_none()).then_some(root)
}

/// Character offset, line and line start of a byte offset, counted forwards.
#[derive(Default)]
struct Cursor {
    byte: usize,
    chars: u64,
    line: u32,
    line_start: u64,
}

struct Mark {
    line: u32,
    column: u32,
    index: u64,
    byte: usize,
}

struct Reader<'a> {
    text: &'a str,
    b: &'a [u8],
    pos: usize,
    cursor: Cursor,
    nodes: usize,
    depth: usize,
}

impl<'a> Reader<'a> {
    /// The mark of byte offset `at`, never before the last one asked for.
    fn mark(&mut self, at: usize) -> Mark {
        let c = &mut self.cursor;
        for &byte in &self.b[c.byte..at] {
            if byte & 0xC0 != 0x80 {
                c.chars += 1;
            }
            if byte == b'\n' {
                c.line += 1;
                c.line_start = c.chars;
            }
        }
        c.byte = at;
        Mark {
            line: c.line + 1,
            column: (c.chars - c.line_start) as u32 + 1,
            index: c.chars,
            byte: at,
        }
    }

    fn place(&mut self, start: usize, end: usize) -> Option<Place> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return None;
        }
        let s = self.mark(start);
        let e = self.mark(end);
        Some(Place {
            line: s.line,
            column: s.column,
            index: s.index,
            len: e.index - s.index,
            byte: s.byte as u64,
            byte_len: (e.byte - s.byte) as u64,
        })
    }

    fn peek(&self) -> u8 {
        self.b.get(self.pos).copied().unwrap_or(0)
    }

    fn at(&self, i: usize) -> u8 {
        self.b.get(i).copied().unwrap_or(0)
    }

    fn skip_spaces(&mut self) {
        while self.peek() == b' ' {
            self.pos += 1;
        }
    }

    fn line_end(&self) -> usize {
        self.b[self.pos..]
            .iter()
            .position(|&c| c == b'\n')
            .map_or(self.b.len(), |i| self.pos + i)
    }

    /// Past spaces and a comment to the end of the line: false if anything else is there.
    fn end_of_line(&mut self) -> bool {
        self.skip_spaces();
        match self.peek() {
            0 | b'\n' => true,
            b'#' if self.pos == 0 || matches!(self.b[self.pos - 1], b' ' | b'\n') => {
                self.pos = self.line_end();
                true
            }
            _ => false,
        }
    }

    /// From the end of a line (or the indentation of one), to the first character of the
    /// next line with content (not blank, not a comment): its column, or `None` at the end
    /// of the text. Asking again gives the same.
    fn next_content_line(&mut self) -> Option<usize> {
        loop {
            self.skip_spaces();
            match self.peek() {
                0 => return None,
                b'\n' => self.pos += 1,
                b'#' => self.pos = self.line_end(),
                _ => {
                    let line = self.b[..self.pos]
                        .iter()
                        .rposition(|&c| c == b'\n')
                        .map_or(0, |i| i + 1);
                    return Some(self.pos - line);
                }
            }
        }
    }

    fn at_document_marker(&self) -> bool {
        let rest = &self.b[self.pos..];
        rest.starts_with(b"---") || rest.starts_with(b"...") || rest.starts_with(b"%")
    }

    fn deeper(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    /// A block mapping whose keys are at column `indent`, the first at `pos`.
    fn block_map(&mut self, indent: usize) -> Option<Node<'a>> {
        self.deeper()?;
        let at = self.place(self.pos, self.pos)?;
        let mut entries: Vec<(Node<'a>, Node<'a>)> = Vec::new();
        loop {
            let key = self.block_key()?;
            if !new_key(&entries, &key) {
                return None;
            }
            let colon = self.pos;
            self.pos += 1;
            let value = self.block_value(indent, colon)?;
            entries.push((key, value));
            match self.next_content_line() {
                Some(n) if n == indent && !self.at_document_marker() => {
                    if self.peek() == b'-' && matches!(self.at(self.pos + 1), b' ' | b'\n' | 0) {
                        return None;
                    }
                }
                Some(n) if n < indent => break,
                None => break,
                Some(_) => return None,
            }
        }
        self.depth -= 1;
        Some(Node {
            kind: Kind::Map(entries),
            at,
        })
    }

    /// A plain key followed by `:` and a space or the end of the line; `pos` left at the `:`.
    fn block_key(&mut self) -> Option<Node<'a>> {
        let start = self.pos;
        if !plain_start(self.b, start) || self.peek() == b'-' {
            return None;
        }
        let end = self.line_end();
        let mut i = start;
        while i < end {
            match self.b[i] {
                b':' if matches!(self.at(i + 1), b' ' | b'\n' | 0) => break,
                b'#' if self.b[i - 1] == b' ' => return None,
                _ => i += 1,
            }
        }
        if i == end || self.b[i - 1] == b' ' || i - start > MAX_KEY_CHARS {
            return None;
        }
        self.pos = i;
        Some(Node {
            kind: Kind::Plain(&self.text[start..i]),
            at: self.place(start, i)?,
        })
    }

    /// The value of a mapping entry or sequence element: on the rest of the line, or below
    /// (deeper than `indent`); `empty` is where an empty value is placed.
    fn block_value(&mut self, indent: usize, empty: usize) -> Option<Node<'a>> {
        self.skip_spaces();
        if self.end_of_line() {
            let back = self.pos;
            let below = self.next_content_line();
            return match below {
                Some(n) if n > indent && !self.at_document_marker() => {
                    if self.peek() == b'-' && matches!(self.at(self.pos + 1), b' ' | b'\n' | 0) {
                        self.block_seq(n)
                    } else {
                        self.block_map(n)
                    }
                }
                _ => {
                    self.pos = back;
                    Some(Node {
                        kind: Kind::Plain(""),
                        at: self.place(empty, empty)?,
                    })
                }
            };
        }
        let node = match self.peek() {
            b'{' | b'[' | b'"' | b'\'' => {
                let node = self.flow_node()?;
                if !self.end_of_line() {
                    return None;
                }
                node
            }
            b'|' | b'>' => self.block_scalar(indent)?,
            _ => {
                let start = self.pos;
                if !plain_start(self.b, start) {
                    return None;
                }
                let end = self.line_end();
                let mut i = start;
                while i < end {
                    match self.b[i] {
                        b':' if matches!(self.at(i + 1), b' ' | b'\n' | 0) => return None,
                        b'#' if self.b[i - 1] == b' ' => break,
                        _ => i += 1,
                    }
                }
                let mut stop = i;
                while self.b[stop - 1] == b' ' {
                    stop -= 1;
                }
                self.pos = i;
                if !self.end_of_line() {
                    return None;
                }
                Node {
                    kind: Kind::Plain(&self.text[start..stop]),
                    at: self.place(start, stop)?,
                }
            }
        };
        // Text on the lines below that is deeper would continue a scalar: not in the subset.
        let back = self.pos;
        match self.next_content_line() {
            Some(n) if n > indent => None,
            _ => {
                self.pos = back;
                Some(node)
            }
        }
    }

    /// A block sequence whose dashes are at column `indent`, the first at `pos`.
    fn block_seq(&mut self, indent: usize) -> Option<Node<'a>> {
        self.deeper()?;
        let at = self.place(self.pos, self.pos)?;
        let mut items = Vec::new();
        loop {
            // At a dash followed by a space or the end of the line.
            self.pos += 1;
            let dash = self.pos;
            self.skip_spaces();
            let inline_key = !matches!(self.peek(), b'\n' | 0 | b'#') && self.is_key_here();
            let item = if inline_key {
                let column = indent + (self.pos - dash) + 1;
                self.block_map(column)?
            } else {
                if self.peek() == b'-' && matches!(self.at(self.pos + 1), b' ' | b'\n' | 0) {
                    return None;
                }
                let item = self.block_value(indent, dash)?;
                if matches!(item.kind, Kind::Plain("")) && item.at.len == 0 {
                    // An empty element: placed differently by granit-parser.
                    return None;
                }
                item
            };
            items.push(item);
            match self.next_content_line() {
                Some(n)
                    if n == indent
                        && self.peek() == b'-'
                        && matches!(self.at(self.pos + 1), b' ' | b'\n' | 0) => {}
                Some(n) if n < indent => break,
                None => break,
                Some(_) => return None,
            }
        }
        self.depth -= 1;
        Some(Node {
            kind: Kind::Seq(items),
            at,
        })
    }

    /// Whether a plain key (`name:` then a space or the line's end) starts at `pos`.
    fn is_key_here(&self) -> bool {
        if !plain_start(self.b, self.pos) || self.peek() == b'-' {
            return false;
        }
        let end = self.line_end();
        let mut i = self.pos;
        while i < end {
            match self.b[i] {
                b':' if matches!(self.at(i + 1), b' ' | b'\n' | 0) => return true,
                b'#' if self.b[i - 1] == b' ' => return false,
                _ => i += 1,
            }
        }
        false
    }

    /// `|` or `>` with an optional `-`, and the lines below deeper than `indent`.
    fn block_scalar(&mut self, indent: usize) -> Option<Node<'a>> {
        let folded = self.peek() == b'>';
        self.pos += 1;
        let strip = self.peek() == b'-';
        if strip {
            self.pos += 1;
        }
        if !matches!(self.peek(), b' ' | b'\n' | 0) || !self.end_of_line() {
            return None;
        }
        if self.peek() != b'\n' {
            return None;
        }
        self.pos += 1;
        // The first line sets the indentation; blank lines before it are not in the subset.
        let first = self.pos;
        self.skip_spaces();
        let content = self.pos - first;
        if content <= indent || matches!(self.peek(), b'\n' | 0) {
            return None;
        }
        let start = self.pos;
        let mut lines: Vec<&'a str> = Vec::new();
        let mut line_start = first;
        let end = loop {
            // At `line_start`: a line of the scalar, a blank line, or the first line after.
            let mut i = line_start;
            while self.at(i) == b' ' {
                i += 1;
            }
            let spaces = i - line_start;
            match self.at(i) {
                b'\n' if spaces <= content => {
                    lines.push("");
                    line_start = i + 1;
                }
                // Spaces beyond the indentation on a blank line are text: not in the subset.
                b'\n' => return None,
                0 if i >= self.b.len() => break i,
                _ if spaces >= content => {
                    let stop = self.b[i..]
                        .iter()
                        .position(|&c| c == b'\n')
                        .map_or(self.b.len(), |k| i + k);
                    let body = &self.text[line_start + content..stop];
                    if folded && body.starts_with(' ') {
                        return None;
                    }
                    lines.push(body);
                    if stop >= self.b.len() {
                        line_start = stop;
                        break stop;
                    }
                    line_start = stop + 1;
                }
                _ if spaces < content => break i,
                _ => return None,
            }
        };
        // Trailing blank lines are not part of the text (chomping), and neither is the last
        // line break when stripped.
        while lines.last() == Some(&"") {
            lines.pop();
        }
        let mut value = String::new();
        for (k, line) in lines.iter().enumerate() {
            // Folding joins two lines of text with a space; a blank line between is a break.
            if k > 0 {
                if !folded || line.is_empty() {
                    value.push('\n');
                } else if !lines[k - 1].is_empty() {
                    value.push(' ');
                }
            }
            value.push_str(line);
        }
        if !strip {
            value.push('\n');
        }
        // At the indentation of the line after (a `#` line ends the scalar only when less
        // indented: one inside is text).
        self.pos = if end >= self.b.len() {
            self.b.len()
        } else {
            line_start
        };
        Some(Node {
            kind: Kind::Text(Cow::Owned(value)),
            at: self.place(start, end)?,
        })
    }

    /// A flow collection or a quoted scalar on one line, from `pos`.
    fn flow_node(&mut self) -> Option<Node<'a>> {
        match self.peek() {
            b'{' | b'[' => {
                self.deeper()?;
                let map = self.peek() == b'{';
                let at = self.place(self.pos, self.pos + 1)?;
                self.pos += 1;
                let close = if map { b'}' } else { b']' };
                let mut entries = Vec::new();
                let mut items = Vec::new();
                loop {
                    self.skip_spaces();
                    if self.peek() == close {
                        self.pos += 1;
                        break;
                    }
                    let first = self.flow_scalar_or_collection()?;
                    self.skip_spaces();
                    if map {
                        if !new_key(&entries, &first)
                            || self.peek() != b':'
                            || self.at(self.pos + 1) != b' '
                        {
                            return None;
                        }
                        self.pos += 1;
                        self.skip_spaces();
                        if matches!(self.peek(), b',' | b'}') {
                            return None;
                        }
                        let value = self.flow_scalar_or_collection()?;
                        self.skip_spaces();
                        entries.push((first, value));
                    } else {
                        if self.peek() == b':' {
                            return None;
                        }
                        items.push(first);
                    }
                    match self.peek() {
                        // A comma before the bracket is left to serde-saphyr.
                        b',' => {
                            self.pos += 1;
                            self.skip_spaces();
                            if self.peek() == close {
                                return None;
                            }
                        }
                        c if c == close => {
                            self.pos += 1;
                            break;
                        }
                        _ => return None,
                    }
                }
                self.depth -= 1;
                Some(Node {
                    kind: if map {
                        Kind::Map(entries)
                    } else {
                        Kind::Seq(items)
                    },
                    at,
                })
            }
            b'"' => {
                let start = self.pos;
                let rest = &self.b[start + 1..self.line_end()];
                let k = rest.iter().position(|&c| c == b'"' || c == b'\\')?;
                if rest[k] == b'\\' {
                    return None;
                }
                self.pos = start + 1 + k + 1;
                Some(Node {
                    kind: Kind::Text(Cow::Borrowed(&self.text[start + 1..start + 1 + k])),
                    at: self.place(start, self.pos)?,
                })
            }
            b'\'' => {
                let start = self.pos;
                let end = self.line_end();
                let mut i = start + 1;
                let mut doubled = false;
                loop {
                    if i >= end {
                        return None;
                    }
                    if self.b[i] == b'\'' {
                        if self.at(i + 1) == b'\'' {
                            doubled = true;
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                let body = &self.text[start + 1..i];
                self.pos = i + 1;
                Some(Node {
                    kind: Kind::Text(if doubled {
                        Cow::Owned(body.replace("''", "'"))
                    } else {
                        Cow::Borrowed(body)
                    }),
                    at: self.place(start, self.pos)?,
                })
            }
            _ => None,
        }
    }

    /// A node inside a flow collection: a nested collection, a quoted or a plain scalar.
    fn flow_scalar_or_collection(&mut self) -> Option<Node<'a>> {
        if matches!(self.peek(), b'{' | b'[' | b'"' | b'\'') {
            return self.flow_node();
        }
        let start = self.pos;
        if !plain_start(self.b, start) || self.peek() == b'-' && self.at(start + 1) == b' ' {
            return None;
        }
        let mut i = start;
        loop {
            match self.at(i) {
                b',' | b'[' | b']' | b'{' | b'}' | b':' => break,
                b'#' if self.b[i - 1] == b' ' => return None,
                b'\n' | 0 => return None,
                _ => i += 1,
            }
        }
        let mut stop = i;
        while self.b[stop - 1] == b' ' {
            stop -= 1;
        }
        self.pos = i;
        Some(Node {
            kind: Kind::Plain(&self.text[start..stop]),
            at: self.place(start, stop)?,
        })
    }
}

/// Whether `key` is a plain key not yet in `entries`: serde-saphyr refuses a repeated key
/// (its error is the one to report) and merges `<<`.
fn new_key(entries: &[(Node, Node)], key: &Node) -> bool {
    let Kind::Plain(name) = key.kind else {
        return false;
    };
    !matches!(name, "" | "~" | "null" | "Null" | "NULL" | "<<")
        && !entries
            .iter()
            .any(|(k, _)| matches!(k.kind, Kind::Plain(n) if n == name))
}

/// Whether a plain scalar may start at byte `i` (no indicator that means something else).
fn plain_start(b: &[u8], i: usize) -> bool {
    match b.get(i) {
        None => false,
        Some(
            b'[' | b']' | b'{' | b'}' | b',' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\''
            | b'"' | b'%' | b'@' | b'`' | b'?' | b':' | b' ' | b'\n',
        ) => false,
        Some(b'-') => !matches!(b.get(i + 1), None | Some(b' ' | b'\n')),
        Some(_) => true,
    }
}
