//! fields: the one registry of item fields. Table columns (`field:`), filters (`where:`), sort
//! keys (`sort:`), groups (`group_by:`) and the templates of item cells (`text: "{{name}}"`) all
//! name an item's values through it, so a name means the same everywhere and an unknown name gets
//! one list of suggestions.
//!
//! To add a field: put its value on `score::ItemResult` (or compute it from the row here), then
//! add one [`Field`] to [`FIELDS`]: its name, the Chinese label messages use, how it prints, and,
//! when it has them, its numeric value (score ranges, sorting) and its closed set of values
//! (`where:` then rejects anything else). `d.<指标名>` (an indicator's deduction) is the one
//! family of names not listed: [`lookup`] resolves it.

use std::borrow::Cow;

use rust_decimal::Decimal;

use crate::score::{InspectionResult, ItemResult};

/// One table row's source: an item and the inspection it belongs to.
#[derive(Clone, Copy)]
pub struct Row<'a> {
    pub inspection: &'a InspectionResult,
    pub item: &'a ItemResult,
}

/// Which end of a numeric field is the best, for `sort:` (best first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Best {
    Highest,
    Lowest,
    /// As the item's rank goes (`ItemResult::standing`): highest score first, an item a veto
    /// ranks `last` after every other whatever score it shows; so the ranks a table sorted by
    /// it prints increase down the table.
    Standing,
}

/// The values a field can take, for checking `where:` clauses.
#[derive(Clone, Copy)]
pub enum Values {
    /// Any text (unit names, categories …): a value no item has is worth a warning.
    Open,
    /// Only these (合格/不合格, 是/否): anything else is an error.
    Fixed(&'static [&'static str]),
    /// Only those the inspection declares (its scheme's band labels, its declared tiers);
    /// `None`: this inspection declares none, any text goes.
    Declared(fn(&InspectionResult) -> Option<Vec<String>>),
}

type TextFn = for<'a> fn(Row<'a>) -> Cow<'a, str>;
type NumberFn = fn(Row<'_>) -> Option<Decimal>;

/// One item field.
pub struct Field {
    /// The name written in the YAML: `score`, `category` …
    pub name: &'static str,
    /// What it is, in messages and docs: 得分, 类别 …
    pub label: &'static str,
    /// The value as printed in a cell.
    pub text: TextFn,
    /// The value as a number, for score ranges in `where:`; `None`: not numeric.
    pub number: Option<NumberFn>,
    /// Sortable (`sort:`), and which end comes first.
    pub sort: Option<Best>,
    pub values: Values,
}

const YES_NO: &[&str] = &["是", "否"];

fn yes_no(b: bool) -> Cow<'static, str> {
    Cow::Borrowed(if b { "是" } else { "否" })
}

fn borrowed(s: &str) -> Cow<'_, str> {
    Cow::Borrowed(s)
}

/// Every named item field, in the order messages list them.
pub const FIELDS: &[Field] = &[
    Field {
        name: "unit",
        label: "主管/责任单位",
        text: |r| borrowed(&r.item.unit),
        number: None,
        sort: None,
        values: Values::Open,
    },
    Field {
        name: "name",
        label: "名称",
        text: |r| borrowed(&r.item.name),
        number: None,
        sort: None,
        values: Values::Open,
    },
    Field {
        name: "label",
        label: "名称（无名称时为单位）",
        text: |r| borrowed(&r.item.label),
        number: None,
        sort: None,
        values: Values::Open,
    },
    Field {
        name: "short",
        label: "简称",
        text: |r| borrowed(&r.item.short),
        number: None,
        sort: None,
        values: Values::Open,
    },
    Field {
        name: "platform",
        label: "平台/类型",
        text: |r| borrowed(&r.item.platform),
        number: None,
        sort: None,
        values: Values::Open,
    },
    Field {
        name: "filing",
        label: "备案号",
        text: |r| borrowed(&r.item.filing),
        number: None,
        sort: None,
        values: Values::Open,
    },
    Field {
        name: "code",
        label: "网站标识码",
        text: |r| borrowed(&r.item.code),
        number: None,
        sort: None,
        values: Values::Open,
    },
    Field {
        name: "url",
        label: "网址",
        text: |r| borrowed(&r.item.url),
        number: None,
        sort: None,
        values: Values::Open,
    },
    Field {
        name: "category",
        label: "类别",
        text: |r| borrowed(&r.item.category),
        number: None,
        sort: None,
        values: Values::Open,
    },
    Field {
        name: "level",
        label: "层级",
        text: |r| borrowed(&r.item.level),
        number: None,
        sort: None,
        values: Values::Open,
    },
    Field {
        name: "parent",
        label: "所属",
        text: |r| borrowed(&r.item.parent),
        number: None,
        sort: None,
        values: Values::Open,
    },
    Field {
        name: "inspection",
        label: "检查项目（kind）",
        text: |r| borrowed(&r.inspection.kind),
        number: None,
        sort: None,
        values: Values::Open,
    },
    Field {
        name: "veto",
        label: "单项否决",
        text: |r| yes_no(r.item.veto),
        number: None,
        sort: None,
        values: Values::Fixed(YES_NO),
    },
    Field {
        name: "score",
        label: "得分",
        text: |r| borrowed(&r.item.score),
        number: Some(|r| r.item.score_value),
        sort: Some(Best::Standing),
        values: Values::Open,
    },
    Field {
        name: "result",
        label: "检查结果",
        text: |r| borrowed(&r.item.result),
        number: None,
        sort: None,
        values: Values::Fixed(&["合格", "不合格"]),
    },
    Field {
        name: "reason",
        label: "不合格原因",
        text: |r| borrowed(&r.item.reason),
        number: None,
        sort: None,
        values: Values::Open,
    },
    Field {
        name: "rank",
        label: "排名",
        text: |r| {
            r.item
                .rank
                .map(|n| n.to_string())
                .unwrap_or_default()
                .into()
        },
        number: Some(|r| r.item.rank.map(Decimal::from)),
        sort: Some(Best::Lowest),
        values: Values::Open,
    },
    Field {
        name: "band",
        label: "分数段",
        text: |r| borrowed(&r.item.band),
        number: None,
        sort: None,
        values: Values::Declared(|i| Some(i.bands.iter().map(|b| b.label.clone()).collect())),
    },
    Field {
        name: "tier",
        label: "等次",
        text: |r| borrowed(&r.item.tier),
        number: None,
        sort: None,
        values: Values::Declared(|i| {
            (!i.declared_tiers.is_empty()).then(|| i.declared_tiers.clone())
        }),
    },
    Field {
        name: "problems",
        label: "存在问题",
        text: |r| r.item.problems.join("；").into(),
        number: None,
        sort: None,
        values: Values::Open,
    },
    Field {
        name: "has_problems",
        label: "是否存在问题",
        text: |r| yes_no(!r.item.problems.is_empty()),
        number: None,
        sort: None,
        values: Values::Fixed(YES_NO),
    },
    Field {
        name: "problem_count",
        label: "问题数",
        text: |r| r.item.problems.len().to_string().into(),
        number: Some(|r| Some(r.item.problems.len().into())),
        sort: Some(Best::Lowest),
        values: Values::Open,
    },
    Field {
        name: "featured",
        label: "点名举例",
        text: |r| yes_no(r.item.featured),
        number: None,
        sort: None,
        values: Values::Fixed(YES_NO),
    },
    Field {
        name: "review",
        label: "复查情况",
        text: |r| borrowed(&r.item.review),
        number: None,
        sort: None,
        values: Values::Open,
    },
    Field {
        name: "open_problems",
        label: "仍存在的问题",
        text: |r| r.item.open_problems.join("；").into(),
        number: None,
        sort: None,
        values: Values::Open,
    },
    Field {
        name: "remark",
        label: "备注",
        text: |r| borrowed(&r.item.remark),
        number: None,
        sort: None,
        values: Values::Open,
    },
];

/// A field a table may name: one of [`FIELDS`], or an indicator's deduction (`d.周扫描`).
#[derive(Clone, Copy)]
pub enum FieldRef<'a> {
    Named(&'static Field),
    Indicator(&'a str),
}

/// The prefix of indicator fields.
pub const INDICATOR_PREFIX: &str = "d.";

/// Resolve a name; `None` when it is neither a field nor `d.<something>`. Whether the
/// indicator exists is the caller's check (it depends on the inspections a table reads).
pub fn lookup(name: &str) -> Option<FieldRef<'_>> {
    if let Some(ind) = name.strip_prefix(INDICATOR_PREFIX) {
        return Some(FieldRef::Indicator(ind));
    }
    FIELDS.iter().find(|f| f.name == name).map(FieldRef::Named)
}

/// Every field name, for suggestions and messages.
pub fn names() -> Vec<&'static str> {
    FIELDS.iter().map(|f| f.name).collect()
}

impl<'a> FieldRef<'a> {
    pub fn text<'r>(&self, row: Row<'r>) -> Cow<'r, str> {
        match self {
            FieldRef::Named(f) => (f.text)(row),
            FieldRef::Indicator(k) => row
                .item
                .d
                .get(k)
                .map(|s| Cow::Borrowed(s.as_str()))
                .unwrap_or_default(),
        }
    }

    /// The value as a number (`None` for text fields and empty values).
    pub fn number(&self, row: Row<'_>) -> Option<Decimal> {
        match self {
            FieldRef::Named(f) => f.number.and_then(|n| n(row)),
            FieldRef::Indicator(k) => row.item.d.get(k).and_then(|s| s.parse().ok()),
        }
    }

    pub fn is_numeric(&self) -> bool {
        match self {
            FieldRef::Named(f) => f.number.is_some(),
            FieldRef::Indicator(_) => true,
        }
    }

    pub fn sort(&self) -> Option<Best> {
        match self {
            FieldRef::Named(f) => f.sort,
            // A deduction: the smallest is the best.
            FieldRef::Indicator(_) => Some(Best::Lowest),
        }
    }

    pub fn values(&self) -> Values {
        match self {
            FieldRef::Named(f) => f.values,
            FieldRef::Indicator(_) => Values::Open,
        }
    }

    pub fn label(&self) -> Cow<'a, str> {
        match self {
            FieldRef::Named(f) => Cow::Borrowed(f.label),
            FieldRef::Indicator(k) => Cow::Owned(format!("指标“{k}”")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_resolve() {
        let names = names();
        for (i, n) in names.iter().enumerate() {
            assert!(!names[..i].contains(n), "{n} twice");
            assert!(matches!(lookup(n), Some(FieldRef::Named(f)) if f.name == *n));
        }
        assert!(matches!(
            lookup("d.周扫描"),
            Some(FieldRef::Indicator("周扫描"))
        ));
        assert!(lookup("scor").is_none());
    }
}
