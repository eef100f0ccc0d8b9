//! Where each key and value of a YAML text is: a tree of nodes with byte spans, built from the
//! parser's events (granit-parser, the parser serde-saphyr reads with).
//!
//! `load` uses it only when a file fails to load, to place the error (the key a bad value
//! belongs to, the parent of a missing field, the field path, duplicate keys); `roll` uses it
//! to edit a quarter file in place without losing its comments and layout.

use granit_parser::{Event, Parser, ScalarStyle, ScanError, StructureStyle};

/// One node with its place in the text.
#[derive(Debug, Clone)]
pub struct Node {
    pub kind: Kind,
    /// Byte offsets of the node's text (a block collection ends where the next one begins).
    pub start: usize,
    pub end: usize,
    /// 1-based line and 1-based column (in characters) of the start.
    pub line: u64,
    pub column: u64,
    /// Written in flow style (`{…}`, `[…]`), or a quoted scalar.
    pub flow: bool,
}

#[derive(Debug, Clone)]
pub enum Kind {
    Scalar(String),
    Map(Vec<Entry>),
    Seq(Vec<Node>),
    Alias,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

/// One step from a node to a child: a mapping key or a sequence index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// Deeper nesting is refused (a quarter file needs about 8 levels).
const MAX_DEPTH: usize = 128;

/// Parse the first document of `text`. An empty document is an empty scalar.
pub fn parse(text: &str) -> Result<Node, ScanError> {
    let mut stack: Vec<Building> = Vec::new();
    let mut root = None;
    for event in Parser::new_from_str(text) {
        let (event, span) = event?;
        let (start, line, column) = (
            span.start.byte_offset().unwrap_or(0),
            span.start.line() as u64,
            span.start.col() as u64 + 1,
        );
        let end = span.end.byte_offset().unwrap_or(start);
        let node = match event {
            Event::Scalar(value, style, ..) => Some(Node {
                kind: Kind::Scalar(value.into_owned()),
                start,
                end,
                line,
                column,
                flow: !matches!(style, ScalarStyle::Plain),
            }),
            Event::Alias(..) | Event::UnresolvedAlias(..) => Some(Node {
                kind: Kind::Alias,
                start,
                end,
                line,
                column,
                flow: false,
            }),
            Event::MappingStart(style, ..) | Event::SequenceStart(style, ..) => {
                let map = matches!(event, Event::MappingStart(..));
                if stack.len() == MAX_DEPTH {
                    return Err(ScanError::new(span.start, "nesting too deep"));
                }
                stack.push(Building {
                    node: Node {
                        kind: if map {
                            Kind::Map(Vec::new())
                        } else {
                            Kind::Seq(Vec::new())
                        },
                        start,
                        end: start,
                        line,
                        column,
                        flow: matches!(style, StructureStyle::Flow),
                    },
                    pending_key: None,
                });
                None
            }
            Event::MappingEnd | Event::SequenceEnd => stack.pop().map(|mut b| {
                b.node.end = end.max(b.node.start);
                b.node
            }),
            Event::DocumentEnd => break,
            _ => None,
        };
        let Some(node) = node else { continue };
        match stack.last_mut() {
            None => root = Some(node),
            Some(parent) => parent.add(node),
        }
    }
    Ok(root.unwrap_or(Node {
        kind: Kind::Scalar(String::new()),
        start: 0,
        end: 0,
        line: 1,
        column: 1,
        flow: false,
    }))
}

struct Building {
    node: Node,
    pending_key: Option<Node>,
}

impl Building {
    fn add(&mut self, child: Node) {
        match &mut self.node.kind {
            Kind::Seq(items) => items.push(child),
            Kind::Map(entries) => match self.pending_key.take() {
                None => self.pending_key = Some(child),
                Some(key) => entries.push(Entry { key, value: child }),
            },
            _ => {}
        }
    }
}

impl Node {
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar(s) => Some(s),
            _ => None,
        }
    }

    pub fn entries(&self) -> &[Entry] {
        match &self.kind {
            Kind::Map(e) => e,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Node] {
        match &self.kind {
            Kind::Seq(i) => i,
            _ => &[],
        }
    }

    /// The value under `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries()
            .iter()
            .find(|e| e.key.as_str() == Some(key))
            .map(|e| &e.value)
    }

    /// The entry under `key` in a mapping.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries().iter().find(|e| e.key.as_str() == Some(key))
    }

    fn contains(&self, offset: usize) -> bool {
        self.start <= offset && offset < self.end.max(self.start + 1)
    }

    /// The chain of nodes from this one down to the innermost node containing `offset`, with
    /// the step taken to reach each (a key's own text counts as inside its entry).
    pub fn chain_at(&self, offset: usize) -> Vec<(Option<Step>, &Node)> {
        let mut chain = vec![(None, self)];
        let mut node = self;
        loop {
            let next = match &node.kind {
                Kind::Map(entries) => entries.iter().find_map(|e| {
                    let name = e.key.as_str().unwrap_or("").to_string();
                    if e.value.contains(offset) {
                        Some((Step::Key(name), &e.value))
                    } else if e.key.contains(offset) {
                        Some((Step::Key(name), &e.key))
                    } else {
                        None
                    }
                }),
                Kind::Seq(items) => items
                    .iter()
                    .enumerate()
                    .find(|(_, n)| n.contains(offset))
                    .map(|(i, n)| (Step::Index(i), n)),
                _ => None,
            };
            match next {
                Some((step, child)) if !std::ptr::eq(child, node) => {
                    chain.push((Some(step), child));
                    node = child;
                }
                _ => return chain,
            }
        }
    }
}

/// The last node of a chain, or when it is a mapping key, the value of that key (errors about
/// a value are sometimes placed at its key).
pub fn value_of<'a>(chain: &[(Option<Step>, &'a Node)]) -> Option<&'a Node> {
    let (_, last) = *chain.last()?;
    let parent = chain.len().checked_sub(2).map(|i| chain[i].1);
    Some(
        parent
            .and_then(|p| p.entries().iter().find(|e| std::ptr::eq(&e.key, last)))
            .map_or(last, |e| &e.value),
    )
}

/// `inspections[0].items[3].d.季度检查` from the steps of a chain.
pub fn field_path<'a>(steps: impl IntoIterator<Item = &'a Step>) -> String {
    let mut out = String::new();
    for step in steps {
        match step {
            Step::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// A key written twice in one mapping: its path, the first and the repeated key node.
pub struct Duplicate<'a> {
    pub path: String,
    pub first: &'a Node,
    pub again: &'a Node,
}

/// Every key written twice in the same mapping, in text order.
pub fn duplicates(root: &Node) -> Vec<Duplicate<'_>> {
    fn walk<'a>(node: &'a Node, path: &mut Vec<Step>, out: &mut Vec<Duplicate<'a>>) {
        match &node.kind {
            Kind::Map(entries) => {
                for (i, e) in entries.iter().enumerate() {
                    let name = e.key.as_str();
                    if let Some(first) = entries[..i].iter().find(|p| p.key.as_str() == name) {
                        path.push(Step::Key(name.unwrap_or("").to_string()));
                        out.push(Duplicate {
                            path: field_path(path.iter()),
                            first: &first.key,
                            again: &e.key,
                        });
                        path.pop();
                    }
                    path.push(Step::Key(name.unwrap_or("").to_string()));
                    walk(&e.value, path, out);
                    path.pop();
                }
            }
            Kind::Seq(items) => {
                for (i, n) in items.iter().enumerate() {
                    path.push(Step::Index(i));
                    walk(n, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(root, &mut Vec::new(), &mut out);
    out
}

/// Byte offset of a 1-based line and 1-based character column (clamped to the line's end).
pub fn offset_of(text: &str, line: u64, column: u64) -> usize {
    let mut offset = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i as u64 + 1 == line {
            let body = l.trim_end_matches(['\n', '\r']);
            return offset
                + body
                    .char_indices()
                    .nth(column.saturating_sub(1) as usize)
                    .map_or(body.len(), |(b, _)| b);
        }
        offset += l.len();
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "document:\n  issuer: x   # 注释\nitems:\n  - {unit: 甲, d: {季度检查: 十}}\n  - unit: 乙\n    name: y\nquarter: {year: 2024}\n";

    #[test]
    fn spans_and_paths() {
        let root = parse(TEXT).unwrap();
        let items = root.get("items").unwrap().items();
        assert_eq!(items.len(), 2);
        let ten = items[0].get("d").unwrap().get("季度检查").unwrap();
        assert_eq!(&TEXT[ten.start..ten.end], "十");
        assert_eq!((ten.line, ten.column), (4, 25));
        let chain = root.chain_at(ten.start);
        let steps: Vec<&Step> = chain.iter().filter_map(|(s, _)| s.as_ref()).collect();
        assert_eq!(field_path(steps), "items[0].d.季度检查");
        let name = items[1].get("name").unwrap();
        let chain = root.chain_at(name.start);
        let steps: Vec<&Step> = chain.iter().filter_map(|(s, _)| s.as_ref()).collect();
        assert_eq!(field_path(steps), "items[1].name");
        assert_eq!(offset_of(TEXT, 4, 25), ten.start);
    }

    #[test]
    fn duplicate_keys_are_found() {
        let root = parse("quarter:\n  year: 1\nquarter:\n  year: 2\n  year: 3\n").unwrap();
        let d = duplicates(&root);
        assert_eq!(d.len(), 2);
        assert_eq!(
            (d[0].path.as_str(), d[0].first.line, d[0].again.line),
            ("quarter", 1, 3)
        );
        assert_eq!((d[1].path.as_str(), d[1].again.line), ("quarter.year", 5));
    }

    #[test]
    fn syntax_errors_come_back() {
        assert!(parse("a: [1, 2\nb: 3\n").is_err());
    }
}
