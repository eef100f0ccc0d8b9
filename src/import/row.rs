//! One spreadsheet row as a serde Deserializer, so that an item is read from cells by the same
//! `Deserialize` code (and the same clerk rules) as from YAML, whatever fields the model has.
//!
//! The row is a map from the mapped field paths (`unit`, `d.季度检查`) to cells. A cell asked
//! for a `Spanned` value answers with its own place (sheet n, row, column) in serde-saphyr's
//! span representation, so that every later check on an imported value names its cell.

use std::fmt;

use serde::de::value::{MapDeserializer, SeqDeserializer, StrDeserializer, UnitDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, Visitor};

use super::header::{number_text, text};
use super::sheet::Value;

/// serde-saphyr asks for a `Spanned<T>` as a newtype of this name and reads the span from a
/// map whose first key is the marker (serde-saphyr 2.1, src/spanned.rs).
const SPANNED_NEWTYPE: &str = "__yaml_spanned";
const SPANNED_MARKER: &str = "__serde_saphyr_private_spanned";

/// Where a cell is: the import source (`Pos::source`), 1-based row and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub source: u32,
    pub row: u32,
    pub col: u32,
}

/// A problem reading a row, placed at a cell when it is about one.
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    pub at: Option<Place>,
    pub kind: ErrorKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ErrorKind {
    Message(String),
    Missing(&'static str),
    Unknown {
        field: String,
        expected: &'static [&'static str],
    },
    Type {
        unexpected: String,
        expected: String,
    },
}

impl RowError {
    fn at(mut self, place: Place) -> Self {
        self.at.get_or_insert(place);
        self
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.kind)
    }
}

impl std::error::Error for RowError {}

impl de::Error for RowError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        RowError {
            at: None,
            kind: ErrorKind::Message(msg.to_string()),
        }
    }
    fn missing_field(field: &'static str) -> Self {
        RowError {
            at: None,
            kind: ErrorKind::Missing(field),
        }
    }
    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        RowError {
            at: None,
            kind: ErrorKind::Unknown {
                field: field.to_string(),
                expected,
            },
        }
    }
    fn invalid_type(unexp: de::Unexpected, exp: &dyn de::Expected) -> Self {
        RowError {
            at: None,
            kind: ErrorKind::Type {
                unexpected: unexp.to_string(),
                expected: exp.to_string(),
            },
        }
    }
    fn invalid_value(unexp: de::Unexpected, exp: &dyn de::Expected) -> Self {
        Self::invalid_type(unexp, exp)
    }
}

/// A row or a group of its fields: keys in order, each a cell or a nested group.
pub struct Fields<'a> {
    pub entries: Vec<(String, Entry<'a>)>,
}

pub enum Entry<'a> {
    Cell(&'a Value, Place),
    Group(Fields<'a>),
}

impl<'a> Fields<'a> {
    /// Add a cell under a dotted path (`d.季度检查`).
    pub fn insert(&mut self, path: &str, value: &'a Value, place: Place) {
        match path.split_once('.') {
            None => self
                .entries
                .push((path.to_string(), Entry::Cell(value, place))),
            Some((head, rest)) => {
                let group = self.entries.iter_mut().find_map(|(k, e)| match e {
                    Entry::Group(g) if k == head => Some(g),
                    _ => None,
                });
                match group {
                    Some(g) => g.insert(rest, value, place),
                    None => {
                        let mut g = Fields {
                            entries: Vec::new(),
                        };
                        g.insert(rest, value, place);
                        self.entries.push((head.to_string(), Entry::Group(g)));
                    }
                }
            }
        }
    }

    /// Drop the cell at a place (after it was reported), and groups left empty.
    pub fn remove(&mut self, place: Place) {
        self.entries.retain_mut(|(_, e)| match e {
            Entry::Cell(_, p) => *p != place,
            Entry::Group(g) => {
                g.remove(place);
                !g.entries.is_empty()
            }
        });
    }

    /// The first cell of the entry under `key`, to place errors about the key.
    fn first_place(entry: &Entry) -> Place {
        match entry {
            Entry::Cell(_, p) => *p,
            Entry::Group(g) => g
                .entries
                .first()
                .map(|(_, e)| Self::first_place(e))
                .unwrap_or(Place {
                    source: 0,
                    row: 0,
                    col: 0,
                }),
        }
    }
}

impl<'de, 'a> Deserializer<'de> for &'a Fields<'a> {
    type Error = RowError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
        visitor.visit_map(FieldsAccess {
            entries: self.entries.iter(),
            current: None,
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

struct FieldsAccess<'a> {
    entries: std::slice::Iter<'a, (String, Entry<'a>)>,
    current: Option<&'a Entry<'a>>,
}

impl<'de, 'a> MapAccess<'de> for FieldsAccess<'a> {
    type Error = RowError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, RowError> {
        let Some((key, entry)) = self.entries.next() else {
            return Ok(None);
        };
        self.current = Some(entry);
        let de: StrDeserializer<RowError> = key.as_str().into_deserializer();
        seed.deserialize(de)
            .map(Some)
            .map_err(|e| e.at(Fields::first_place(entry)))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, RowError> {
        match self.current.take() {
            Some(Entry::Cell(value, place)) => seed.deserialize(Cell {
                value,
                place: *place,
            }),
            Some(Entry::Group(g)) => seed.deserialize(g),
            None => Err(de::Error::custom("内部错误：先取值后取键")),
        }
    }
}

/// One cell.
#[derive(Clone, Copy)]
struct Cell<'a> {
    value: &'a Value,
    place: Place,
}

impl Cell<'_> {
    fn text(&self) -> String {
        text(self.value)
    }

    /// A number written as text (numbers stored as text, full-width digits, 95分).
    fn number(&self) -> Option<f64> {
        match self.value {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            Value::String(s) => crate::clerk::numeral(s).parse().ok(),
            _ => None,
        }
    }
}

impl<'de> Deserializer<'de> for Cell<'_> {
    type Error = RowError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
        let r = match self.value {
            Value::Int(i) => visitor.visit_i64(*i),
            Value::Float(f) => visitor.visit_f64(*f),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Error(e) => Err(de::Error::custom(format!(
                "单元格是错误值 #{e:?}（公式出错），应为数值或文字"
            ))),
            Value::Empty => visitor.visit_unit(),
            _ => visitor.visit_str(&self.text()),
        };
        r.map_err(|e: RowError| e.at(self.place))
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
        // A number in a text field is text as shown (备案号 50010602000123, not 5.0e13).
        let text = match self.value {
            Value::Float(f) => number_text(*f),
            _ => self.text(),
        };
        visitor
            .visit_str(&text)
            .map_err(|e: RowError| e.at(self.place))
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
        match self.number() {
            Some(n) if n >= 0.0 && n.fract() == 0.0 => visitor
                .visit_u64(n as u64)
                .map_err(|e: RowError| e.at(self.place)),
            _ => self.deserialize_any(visitor),
        }
    }

    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
        self.deserialize_u32(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
        match self.number() {
            Some(n) => visitor.visit_f64(n).map_err(|e: RowError| e.at(self.place)),
            None => self.deserialize_any(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
        visitor.visit_some(self)
    }

    /// A list in one cell: one entry a line, or separated by ；or ;.
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
        let text = self.text();
        let parts = text
            .split(['\n', '；', ';'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        visitor
            .visit_seq(SeqDeserializer::<_, RowError>::new(parts))
            .map_err(|e: RowError| e.at(self.place))
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, RowError> {
        if name == SPANNED_NEWTYPE {
            visitor
                .visit_newtype_struct(Spanned(self))
                .map_err(|e: RowError| e.at(self.place))
        } else {
            visitor.visit_newtype_struct(self)
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u128 f32 char
        bytes byte_buf unit unit_struct tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// A cell asked for with its place.
struct Spanned<'a>(Cell<'a>);

impl<'de> Deserializer<'de> for Spanned<'_> {
    type Error = RowError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, RowError> {
        visitor.visit_map(SpannedAccess {
            cell: self.0,
            step: 0,
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

struct SpannedAccess<'a> {
    cell: Cell<'a>,
    step: u8,
}

impl<'de> MapAccess<'de> for SpannedAccess<'_> {
    type Error = RowError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, RowError> {
        let key = match self.step {
            0 => SPANNED_MARKER,
            1 => "value",
            2 => "referenced",
            3 => "defined",
            _ => return Ok(None),
        };
        let de: StrDeserializer<RowError> = key.into_deserializer();
        seed.deserialize(de).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, RowError> {
        self.step += 1;
        match self.step {
            1 => seed.deserialize(UnitDeserializer::<RowError>::new()),
            2 => seed.deserialize(self.cell),
            _ => {
                let p = self.cell.place;
                let location = [("line", p.row), ("column", p.col), ("source_id", p.source)];
                seed.deserialize(MapDeserializer::<_, RowError>::new(location.into_iter()))
            }
        }
    }
}
