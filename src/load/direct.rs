//! The model read straight from a [`subset`](super::subset) tree: a serde Deserializer that
//! answers each request as serde-saphyr 2.1 does for the same YAML (its `deserializer.rs` and
//! `spanned_deser.rs`), or gives up where that answer would take more than a few lines to
//! copy (an error, a float in exponent form, `yes` read as a number …).
//!
//! Giving up is never an error for the user: the caller then reads the text with serde-saphyr,
//! which gives the value or the error it always did. Loading city-large this way takes a
//! third of the instructions (bench/README.md).

use std::fmt;

use serde::de::value::{SeqDeserializer, StrDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, Visitor};

use super::subset::{self, Kind, Node, Place};

/// `text` read into `T`, or `None` if the subset reader or this deserializer gave up.
pub(super) fn read<'a, T: serde::Deserialize<'a>>(text: &'a str) -> Option<T> {
    let root = subset::parse(text)?;
    T::deserialize(De(&root)).ok()
}

/// Why the direct reading stopped (never shown: serde-saphyr reads the text again).
#[derive(Debug)]
pub(super) struct GiveUp;

impl fmt::Display for GiveUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("left to serde-saphyr")
    }
}

impl std::error::Error for GiveUp {}

impl de::Error for GiveUp {
    fn custom<T: fmt::Display>(_: T) -> Self {
        GiveUp
    }
}

type Result<T> = std::result::Result<T, GiveUp>;

/// serde-saphyr's `scalar_is_nullish` for a plain scalar.
fn is_null(s: &str) -> bool {
    matches!(s, "" | "~" | "null" | "Null" | "NULL")
}

/// serde-saphyr's `parse_yaml11_bool` (its default, `strict_booleans: false`).
fn yaml11_bool(s: &str) -> Option<bool> {
    let is = |words: &[&str]| words.iter().any(|w| s.eq_ignore_ascii_case(w));
    if is(&["true", "yes", "y", "on"]) {
        Some(true)
    } else if is(&["false", "no", "n", "off"]) {
        Some(false)
    } else {
        None
    }
}

/// A decimal integer without sign or redundant leading zero.
fn plain_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && (s.len() == 1 || !s.starts_with('0'))
}

/// What serde-saphyr makes of a plain scalar a typeless visitor is given.
enum Typed<'a> {
    Bool(bool),
    Int(u64),
    Float(f64),
    Str(&'a str),
}

/// Null is the caller's. Text that is no number, boolean or float in any spelling serde-saphyr
/// knows is a string; anything else that is not a plain decimal is given up.
fn typed(s: &str) -> Result<Typed<'_>> {
    if let Some(b) = yaml11_bool(s) {
        return Ok(Typed::Bool(b));
    }
    if plain_digits(s) {
        return s.parse().map(Typed::Int).map_err(|_| GiveUp);
    }
    if let Some((whole, fraction)) = s.split_once('.') {
        if plain_digits(whole)
            && !fraction.is_empty()
            && fraction.bytes().all(|b| b.is_ascii_digit())
        {
            return s.parse().map(Typed::Float).map_err(|_| GiveUp);
        }
    }
    // Numbers are written with digits, letters (exponent, radix, inf, nan), signs, `.`, `_`
    // and `:`, have a sign only first or after the exponent, and the only words are the
    // booleans above and inf, infinity, nan (Rust's float syntax).
    let not_a_number = s
        .bytes()
        .any(|b| !(b.is_ascii_alphanumeric() || b"+-._:".contains(&b)))
        || s.as_bytes()
            .windows(2)
            .any(|w| matches!(w[1], b'-' | b'+') && !matches!(w[0], b'e' | b'E'))
        || s.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_')
            && !["inf", "infinity", "nan"]
                .iter()
                .any(|w| s.eq_ignore_ascii_case(w));
    if not_a_number {
        Ok(Typed::Str(s))
    } else {
        Err(GiveUp)
    }
}

/// One node of the tree as a Deserializer.
pub(super) struct De<'a, 'n>(&'n Node<'a>);

impl<'a, 'n> IntoDeserializer<'a, GiveUp> for De<'a, 'n> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'a> De<'a, '_> {
    /// The scalar as a string, where serde-saphyr refuses null.
    fn text<V: Visitor<'a>>(&self, visitor: V) -> Result<V::Value> {
        match &self.0.kind {
            Kind::Plain(s) if !is_null(s) => visitor.visit_borrowed_str(s),
            Kind::Text(std::borrow::Cow::Borrowed(s)) => visitor.visit_borrowed_str(s),
            Kind::Text(s) => visitor.visit_str(s),
            _ => Err(GiveUp),
        }
    }

    /// A plain decimal integer for the integer requests.
    fn int<T: std::str::FromStr>(&self) -> Result<T> {
        match self.0.kind {
            Kind::Plain(s) if plain_digits(s) => s.parse().map_err(|_| GiveUp),
            _ => Err(GiveUp),
        }
    }
}

macro_rules! integers {
    ($($method:ident $visit:ident $ty:ty),*) => {$(
        fn $method<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value> {
            visitor.$visit(self.int::<$ty>()?)
        }
    )*};
}

macro_rules! given_up {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'a>>(self, _visitor: V) -> Result<V::Value> {
            Err(GiveUp)
        }
    )*};
}

impl<'a> Deserializer<'a> for De<'a, '_> {
    type Error = GiveUp;

    fn deserialize_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value> {
        match &self.0.kind {
            Kind::Plain(s) if is_null(s) => visitor.visit_unit(),
            Kind::Plain(s) => match typed(s)? {
                Typed::Bool(b) => visitor.visit_bool(b),
                Typed::Int(n) => visitor.visit_u64(n),
                Typed::Float(x) => visitor.visit_f64(x),
                Typed::Str(s) => visitor.visit_borrowed_str(s),
            },
            Kind::Text(_) => self.text(visitor),
            Kind::Map(entries) => visitor.visit_map(Entries {
                entries: entries.iter(),
                value: None,
            }),
            Kind::Seq(items) => visitor.visit_seq(SeqDeserializer::new(items.iter().map(De))),
        }
    }

    fn deserialize_bool<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value> {
        match self.0.kind {
            Kind::Plain(s) => visitor.visit_bool(yaml11_bool(s).ok_or(GiveUp)?),
            _ => Err(GiveUp),
        }
    }

    integers! {
        deserialize_i8 visit_i8 i8, deserialize_i16 visit_i16 i16,
        deserialize_i32 visit_i32 i32, deserialize_i64 visit_i64 i64,
        deserialize_u8 visit_u8 u8, deserialize_u16 visit_u16 u16,
        deserialize_u32 visit_u32 u32, deserialize_u64 visit_u64 u64
    }

    fn deserialize_str<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value> {
        self.text(visitor)
    }

    fn deserialize_string<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value> {
        self.text(visitor)
    }

    fn deserialize_identifier<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value> {
        self.text(visitor)
    }

    fn deserialize_option<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value> {
        match self.0.kind {
            Kind::Plain(s) if is_null(s) => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value> {
        match self.0.kind {
            Kind::Plain(s) if is_null(s) => visitor.visit_unit(),
            _ => Err(GiveUp),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'a>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        match name {
            "__yaml_spanned" => visitor.visit_newtype_struct(SpannedDe(self.0)),
            // serde-saphyr's other wrappers (anchors, tags, comments).
            _ if name.starts_with("__yaml_") => Err(GiveUp),
            _ => visitor.visit_newtype_struct(self),
        }
    }

    fn deserialize_seq<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value> {
        match self.0.kind {
            Kind::Seq(_) => self.deserialize_any(visitor),
            _ => Err(GiveUp),
        }
    }

    fn deserialize_tuple<V: Visitor<'a>>(self, _len: usize, visitor: V) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value> {
        match self.0.kind {
            Kind::Map(_) => self.deserialize_any(visitor),
            _ => Err(GiveUp),
        }
    }

    fn deserialize_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'a>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        // A unit variant written as a scalar; a variant with data (a mapping) is given up.
        let name = match &self.0.kind {
            Kind::Plain(s) if !is_null(s) => *s,
            Kind::Text(s) => s,
            _ => return Err(GiveUp),
        };
        let variant: StrDeserializer<GiveUp> = name.into_deserializer();
        visitor.visit_enum(variant)
    }

    fn deserialize_ignored_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_any(visitor)
    }

    given_up! { deserialize_char deserialize_bytes deserialize_byte_buf deserialize_i128 deserialize_u128 }

    // A float is what `deserialize_any` gives (an integer as a float, as serde-saphyr reads it).
    serde::forward_to_deserialize_any! { <W: Visitor<'a>> f32 f64 }
}

/// The entries of a mapping.
struct Entries<'a, 'n> {
    entries: std::slice::Iter<'n, (Node<'a>, Node<'a>)>,
    value: Option<&'n Node<'a>>,
}

impl<'a> MapAccess<'a> for Entries<'a, '_> {
    type Error = GiveUp;

    fn next_key_seed<K: DeserializeSeed<'a>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(value);
        seed.deserialize(De(key)).map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'a>>(&mut self, seed: S) -> Result<S::Value> {
        seed.deserialize(De(self.value.take().ok_or(GiveUp)?))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// A `Spanned<T>`: serde-saphyr's internal map of the marker, the value and its two places
/// (where it is used and where it is defined: the same without aliases).
struct SpannedDe<'a, 'n>(&'n Node<'a>);

const SPANNED_FIELDS: [&str; 4] = [
    "__serde_saphyr_private_spanned",
    "value",
    "referenced",
    "defined",
];

impl<'a> Deserializer<'a> for SpannedDe<'a, '_> {
    type Error = GiveUp;

    fn deserialize_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_map(SpannedAccess {
            node: self.0,
            next: 0,
        })
    }

    serde::forward_to_deserialize_any! {
        <W: Visitor<'a>>
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

struct SpannedAccess<'a, 'n> {
    node: &'n Node<'a>,
    next: usize,
}

impl<'a> MapAccess<'a> for SpannedAccess<'a, '_> {
    type Error = GiveUp;

    fn next_key_seed<K: DeserializeSeed<'a>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        let Some(key) = SPANNED_FIELDS.get(self.next) else {
            return Ok(None);
        };
        self.next += 1;
        seed.deserialize(key.into_deserializer()).map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'a>>(&mut self, seed: S) -> Result<S::Value> {
        match self.next {
            1 => seed.deserialize(true.into_deserializer()),
            2 => seed.deserialize(De(self.node)),
            3 | 4 => seed.deserialize(Meta::Location(self.node.at)),
            _ => Err(GiveUp),
        }
    }
}

/// serde-saphyr's `Location` (line, column, span, source_id) and `Span` (offset, len,
/// byte_info) of a place, as the maps and pair its own deserializers give.
#[derive(Clone, Copy)]
enum Meta {
    Location(Place),
    Span(Place),
}

impl<'a> Deserializer<'a> for Meta {
    type Error = GiveUp;

    fn deserialize_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_map(MetaAccess {
            meta: self,
            next: 0,
        })
    }

    serde::forward_to_deserialize_any! {
        <W: Visitor<'a>>
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

struct MetaAccess {
    meta: Meta,
    next: usize,
}

impl<'a> MapAccess<'a> for MetaAccess {
    type Error = GiveUp;

    fn next_key_seed<K: DeserializeSeed<'a>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        let keys: &[&str] = match self.meta {
            Meta::Location(_) => &["line", "column", "span", "source_id"],
            Meta::Span(_) => &["offset", "len", "byte_info"],
        };
        let Some(key) = keys.get(self.next) else {
            return Ok(None);
        };
        self.next += 1;
        seed.deserialize(key.into_deserializer()).map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'a>>(&mut self, seed: S) -> Result<S::Value> {
        match (self.meta, self.next) {
            (Meta::Location(p), 1) => seed.deserialize(p.line.into_deserializer()),
            (Meta::Location(p), 2) => seed.deserialize(p.column.into_deserializer()),
            (Meta::Location(p), 3) => seed.deserialize(Meta::Span(p)),
            (Meta::Location(_), 4) => seed.deserialize(0u32.into_deserializer()),
            (Meta::Span(p), 1) => seed.deserialize(p.index.into_deserializer()),
            (Meta::Span(p), 2) => seed.deserialize(p.len.into_deserializer()),
            (Meta::Span(p), 3) => seed.deserialize(SeqDeserializer::<_, GiveUp>::new(
                [p.byte, p.byte_len].into_iter(),
            )),
            _ => Err(GiveUp),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_saphyr::Spanned;

    use super::*;
    use crate::model::Quarter;

    /// serde-saphyr's reading of `text`, as the loader configures it.
    fn saphyr<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
        serde_saphyr::from_str_with_options(text, super::super::options()).ok()
    }

    /// Whenever the direct reading gives a value, serde-saphyr gives the same one.
    fn agrees<T: serde::de::DeserializeOwned + fmt::Debug>(text: &str) -> bool {
        let Some(direct) = read::<T>(text) else {
            return false;
        };
        let theirs = saphyr::<T>(text);
        assert_eq!(
            Some(format!("{direct:?}")),
            theirs.map(|t| format!("{t:?}")),
            "{text}"
        );
        true
    }

    /// Every top-level value with its place, and every value below it untyped.
    type Probe = BTreeMap<String, Spanned<serde_json::Value>>;

    #[test]
    fn scalars_are_typed_as_serde_saphyr_types_them() {
        let words = [
            "true",
            "True",
            "TRUE",
            "tRuE",
            "yes",
            "Yes",
            "no",
            "NO",
            "y",
            "n",
            "on",
            "off",
            "0",
            "00",
            "007",
            "12",
            "18446744073709551615",
            "18446744073709551616",
            "12.5",
            "0.5",
            "1.",
            ".5",
            "1e5",
            "1E-5",
            "-1",
            "+1",
            "0x1F",
            "0o17",
            "1_000",
            ".inf",
            "-.inf",
            ".nan",
            "inf",
            "Infinity",
            "nan",
            "2024-10-15",
            "2024-7-5",
            "10:30",
            "null",
            "Null",
            "~",
            "by_score",
            "last",
            "sites",
            "a-b",
            "e-5",
            "1 2",
            "一二三",
            "２０２４",
            "１２．５",
            "A单位",
            "http://example.org",
            "甲 #乙",
        ];
        let mut given = 0;
        for w in words {
            let text = format!("v: {w}\nw: [{w}]\nx: {{k: {w}}}\n");
            given += usize::from(agrees::<Probe>(&text));
        }
        assert!(given >= 30, "{given}");
    }

    #[test]
    fn structure_and_places_are_serde_saphyr_s() {
        let texts = [
            "a: 1\nb:\n  c: 甲 乙  # 注释\n  d: [x, 'y''z', \"双 引\"]\n  e:\nf: {g: 1, h: {i: 二}, j: []}\n",
            "# 注释\n\nitems:\n  - id: sites\n    kind: 政府网站\n  - {unit: 甲}\n  -\n    x: 1\nlast: 9",
            "a:\n  - - 1\n",
            "items:\n- a\n- b\n",
            "  indented: 1\n  root: 2\n",
            "t: >-\n  为深入\n  贯彻\n\n  落实\nu: |\n  a\n   b\n\n\nv: |-\n  w\n\n  # 不是注释\nx: >\n  p\n\n\n  q\n  \ny: 1\n",
            "t: |\n  末尾",
            "t: >\n  一\n    二\n",
            "a: |+\n  x\n\nb: 1\n",
            "a: |2\n   x\n",
            "a:\n  - 1\n  -\n  - 3\n",
            "a: [1, 2,]\n",
            "a: {b: 1, b: 2}\n",
            "a: 1\na: 2\n",
            "<<: {a: 1}\n",
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: \"x\\ty\"\n",
            "a: 多行\n  文字\n",
            "a: [1,\n  2]\n",
            "---\na: 1\n",
            "a: 1\n---\nb: 2\n",
            "a:\tb\n",
            "a: b: c\n",
            "a: 'x'y\n",
            "? a\n: b\n",
            "a: b #c\n",
            "a: b#c\n",
            "a: {b: c d , e: \"f\" }  # x\n",
            "\"a\": 1\n",
            "a : 1\n",
            "a:1\n",
            "- a\n",
            "a: -1\nb: - 1\n",
            "a: {b: http://x}\n",
            "a: [b: c]\n",
            "a:\n  b: 1\n c: 2\n",
            "a:\n  b: 1\n    c: 2\n",
            "a: >-\n\n  x\n",
            "a: |\n    x\n   y\n",
        ];
        let mut given = 0;
        for t in texts {
            given += usize::from(agrees::<Probe>(t));
            agrees::<serde_json::Value>(t);
        }
        assert!(given >= 8, "{given}");
    }

    fn fixture(name: &str) -> String {
        let path = format!("{}/fixtures/{name}.yaml", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(path).unwrap()
    }

    #[test]
    fn the_fixtures_are_read_directly_and_alike() {
        let dir = format!("{}/fixtures", env!("CARGO_MANIFEST_DIR"));
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        names.sort();
        for path in names {
            let text = std::fs::read_to_string(&path).unwrap();
            // Anchors and aliases are serde-saphyr's.
            let direct = !text.contains('&');
            assert_eq!(agrees::<Quarter>(&text), direct, "{}", path.display());
        }
    }

    /// splitmix64, for mutants that are the same on every run.
    fn next(state: &mut u64) -> u64 {
        *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    #[test]
    fn mutants_read_directly_read_alike() {
        const TOKENS: &[&str] = &[
            " ",
            "  ",
            "\n",
            "\n  ",
            "\n\n",
            "\n#",
            "\n- ",
            "\n  - x: ",
            "  - ",
            "a: b",
            ": |\n",
            ">-\n  x\n",
            " > ",
            "'a''b'",
            "true",
            "-1",
            "0x1",
            "1:30",
            "&",
            "*",
            ": ",
            ":",
            "- ",
            "-",
            "#",
            " #",
            "'",
            "\"",
            "''",
            "{",
            "}",
            "[",
            "]",
            ",",
            "|",
            ">-",
            "~",
            "null",
            "yes",
            "1e5",
            "12.5",
            "０",
            "是",
            "&a ",
            "*a",
            "!!str ",
            "? ",
            "---\n",
            "\\",
            "007",
            "2024-13-01",
            "甲",
        ];
        let bases = ["seed-000", "example", "unit-summary"].map(fixture);
        let mut state = 11;
        let (mut direct, mut total) = (0, 0);
        for k in 0..600 {
            let base = &bases[k % bases.len()];
            let mut text = base.clone();
            for _ in 0..=next(&mut state) % 2 {
                let mut at = (next(&mut state) % text.len() as u64) as usize;
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                if next(&mut state).is_multiple_of(3) {
                    let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
                    text.replace_range(at..end, "");
                } else {
                    let token = TOKENS[(next(&mut state) % TOKENS.len() as u64) as usize];
                    text.insert_str(at, token);
                }
            }
            total += 1;
            direct += usize::from(agrees::<Quarter>(&text));
        }
        // Most mutants stay in the subset; the rest are serde-saphyr's.
        assert!(direct > total / 3 && direct < total, "{direct} of {total}");
    }
}
