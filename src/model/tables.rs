//! Attachments and their tables as written in YAML: a table is a view over the items of some
//! inspections (filtered, sorted, grouped), or literal rows, or both. What every key does is in
//! templates/README.md (“Tables”) and fixtures/example.yaml; the names are checked in
//! `validate::tables`, the rows built in `compose::table`.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_saphyr::Spanned;

use super::Num;

/// One 附件.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachmentSpec {
    /// Title (a template).
    pub title: String,
    /// Lines above the table (templates), e.g. 检查时间：….
    #[serde(default)]
    pub before: Vec<String>,
    pub table: Option<TableSpec>,
    /// Lines below the table (templates). `{{formula_notes}}` prints the scheme's formulas.
    #[serde(default)]
    pub after: Vec<String>,
}

/// A table: rows from the items of the inspections in `from` (kept by `where`, ordered by
/// `sort`, grouped by `group_by`), after any literal `rows`, then an optional `total_row`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableSpec {
    /// Inspection ids whose items become rows.
    #[serde(default)]
    pub from: Vec<Spanned<String>>,
    /// Keep only the items meeting every condition, by field name:
    /// `{result: 不合格}`, `{tier: [好, 较好]}`, `{score: {min: 90, below: 100}}`.
    #[serde(rename = "where")]
    pub filter: Option<Spanned<BTreeMap<String, Spanned<Condition>>>>,
    /// Row order: `given` (the YAML's, the default) or a sortable field, best first
    /// (`score`: highest first, `rank`: 1 first). Ties keep the given order.
    pub sort: Option<Spanned<String>>,
    /// Group levels, outermost first: a field name, or `{field: category, blank: keep}`.
    #[serde(default)]
    pub group_by: Vec<Spanned<GroupLevel>>,
    pub columns: Vec<ColumnSpec>,
    /// Literal body rows printed before the rows from items; cells are templates. A cell "^"
    /// continues the cell above, "<" the cell to the left (also in column headers).
    #[serde(default)]
    pub rows: Vec<Vec<Spanned<String>>>,
    /// A last row, one template per column over all the table's rows as one group:
    /// `[合计, "{{count}}", "{{failed}}", "{{pass_rate}}"]`.
    #[serde(default)]
    pub total_row: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnSpec {
    /// Header text (a template); columns sharing a `group` get a merged header cell above them.
    pub header: Spanned<String>,
    pub group: Option<String>,
    /// What fills the column: an item field (`unit`, `score`, `d.周扫描` … see src/fields.rs),
    /// `seq` (the row's 序号), or a `group_by` field (the group's cell, spanning its rows).
    pub field: Option<Spanned<String>>,
    /// A template: over the group when `field` is a `group_by` field (`{{label}}（{{count}}个）`),
    /// otherwise over the item (`{{name}}（{{platform}}）`).
    pub text: Option<Spanned<String>>,
    /// The values of this field of the row's group, joined (a table of groups: one row each).
    pub list: Option<Spanned<String>>,
    /// Separator between list entries (default 、).
    pub sep: Option<String>,
    /// Cluster the list by this field: entries of one value together, clusters joined by `by_sep`.
    pub by: Option<Spanned<String>>,
    /// Separator between clusters (default ，).
    pub by_sep: Option<String>,
    /// Horizontal alignment of the body cells; by default problems and remarks left, the rest centred.
    pub align: Option<Align>,
    /// Relative width; kept as far as the content allows (`layout::table::widths`).
    pub width: Option<Spanned<f32>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    Left,
    Center,
    Right,
}

/// One group level.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupLevel {
    pub field: String,
    pub blank: Blank,
    /// Also list the field's declared values no item has (bands, 合格/不合格), as empty groups.
    pub all: bool,
}

/// Items whose group field is empty.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Blank {
    /// Not said: they form a group with an empty cell, and `check` warns.
    #[default]
    Unset,
    /// They form a group with an empty cell (as intended).
    Keep,
    /// They are left out of the table.
    Drop,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupLevelMap {
    field: String,
    #[serde(default)]
    blank: Blank,
    #[serde(default, deserialize_with = "crate::clerk::flag")]
    all: bool,
}

impl<'de> Deserialize<'de> for GroupLevel {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = GroupLevel;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("字段名，或含 field 的映射（如 {field: category, blank: keep}）")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<GroupLevel, E> {
                Ok(GroupLevel {
                    field: v.to_string(),
                    blank: Blank::Unset,
                    all: false,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<GroupLevel, A::Error> {
                let m = GroupLevelMap::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(GroupLevel {
                    field: m.field,
                    blank: m.blank,
                    all: m.all,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// One `where` condition on a field.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// The field's value as printed is one of these (a scalar is a list of one).
    AnyOf(Vec<String>),
    /// A numeric field within bounds: `min` ≤ value ≤ `max`, value < `below`.
    Range {
        min: Option<Num>,
        max: Option<Num>,
        below: Option<Num>,
    },
}

/// How a flag field (veto, has_problems) prints, so `true` in a `where` matches it.
fn yes_no(v: bool) -> &'static str {
    if v {
        "是"
    } else {
        "否"
    }
}

/// A scalar condition value as text: numbers as printed (100, 88.9), booleans as 是/否.
struct Text(String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("文字、数值或 true/false")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.trim().to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text(yes_no(v).into()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                super::decimal_from_f64(v).map(|d| Text(d.normalize().to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RangeMap {
    min: Option<Num>,
    max: Option<Num>,
    below: Option<Num>,
}

impl<'de> Deserialize<'de> for Condition {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Condition;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("一个取值、取值列表，或范围 {min: …, max: …, below: …}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Condition, E> {
                Ok(Condition::AnyOf(vec![v.trim().to_string()]))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Condition, E> {
                Ok(Condition::AnyOf(vec![yes_no(v).into()]))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Condition, E> {
                Ok(Condition::AnyOf(vec![v.to_string()]))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Condition, E> {
                Ok(Condition::AnyOf(vec![v.to_string()]))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Condition, E> {
                super::decimal_from_f64(v)
                    .map(|d| Condition::AnyOf(vec![d.normalize().to_string()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Condition, A::Error> {
                let mut values = Vec::new();
                while let Some(Text(t)) = seq.next_element()? {
                    values.push(t);
                }
                Ok(Condition::AnyOf(values))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Condition, A::Error> {
                let r = RangeMap::deserialize(de::value::MapAccessDeserializer::new(map))?;
                if r.min.is_none() && r.max.is_none() && r.below.is_none() {
                    return Err(de::Error::custom(
                        "范围须写 min（不低于）、max（不高于）或 below（低于）中的至少一个",
                    ));
                }
                Ok(Condition::Range {
                    min: r.min,
                    max: r.max,
                    below: r.below,
                })
            }
        }
        d.deserialize_any(V)
    }
}
