//! import: an inspection's items read from the monitoring platform's spreadsheet (XLSX, XLS,
//! ODS or CSV) instead of typed into the YAML:
//!
//! ```yaml
//! items:
//!   from: 检查结果.xlsx        # beside the quarter file
//!   sheet: 政务新媒体          # default: the first sheet
//!   header_row: 2              # default 1; data starts on the next row
//!   columns: {主办单位: unit, 账号名称: name, 平台: platform, 季度检查: d.季度检查, 序号: ~}
//! ```
//!
//! A column maps onto an item field by its YAML name (`d.<指标>` for a deduction); the item is
//! read by the model's own `Deserialize` (see `row`), so a field the model gains is mappable
//! at once, and 是/否, 不考核, numbers stored as text and full-width digits read as in YAML.
//! Every problem is reported at once, at its cell (`检查结果.xlsx 政务新媒体!D12`) or at the
//! mapping key; a column of the sheet left unmapped is a warning (map it to `~` to say it is
//! left out on purpose).

mod header;
mod row;
pub mod scaffold;
pub mod sheet;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::diag::{pos, Diagnostic, Pos};
use crate::model::Item;
use header::Header;
use row::{ErrorKind, Fields, Place, RowError};
use sheet::{Grid, Pick};

/// How an inspection's items are imported.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// The spreadsheet, relative to the quarter file.
    pub from: Spanned<String>,
    /// The worksheet (default: the first).
    pub sheet: Option<Spanned<String>>,
    /// The header's last row, 1-based (default 1); items start on the next row.
    #[serde(default, deserialize_with = "crate::clerk::optional_count")]
    pub header_row: Option<Spanned<u32>>,
    /// The last row of items (default: the last row of the sheet), to leave out totals and notes.
    #[serde(default, deserialize_with = "crate::clerk::optional_count")]
    pub last_row: Option<Spanned<u32>>,
    /// Header → field path (`unit`, `d.季度检查`), or `~` for a column left out.
    pub columns: Columns,
}

/// The column mapping in the order written, each key with its place.
#[derive(Debug, Default)]
pub struct Columns(pub Vec<(Spanned<String>, Option<Spanned<String>>)>);

impl<'de> Deserialize<'de> for Columns {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Columns;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map from column headers to item fields")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Columns, A::Error> {
                let mut out = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    out.push((key, map.next_value()?));
                }
                Ok(Columns(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// For `#[serde(deserialize_with)]` on `Inspection::items`: a list of items as written, or an
/// import [`Spec`] whose rows become the items (problems go to the load session).
pub fn items<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Item>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Vec<Item>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list of items, or a spreadsheet to import them from")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Item>, A::Error> {
            let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
            while let Some(item) = seq.next_element()? {
                items.push(item);
            }
            // The list grew by doubling: up to half of it would stay unused to the end.
            items.shrink_to_fit();
            Ok(items)
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Vec<Item>, A::Error> {
            let spec = Spec::deserialize(de::value::MapAccessDeserializer::new(map))?;
            Ok(import(&spec))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Vec<Item>, E> {
            Ok(Vec::new())
        }
    }
    d.deserialize_any(V)
}

/// Read the items of a spec, reporting its problems to the load session.
fn import(spec: &Spec) -> Vec<Item> {
    let base = crate::load::with_session(|s| s.base.clone()).unwrap_or_default();
    let mut found = Vec::new();
    let items = read(spec, &base, &mut found);
    crate::load::with_session(|s| s.found.extend(found));
    items
}

/// The sheet of a spec, or the problem why not.
pub fn open(spec: &Spec, base: &Path) -> Result<(PathBuf, Grid), Diagnostic> {
    let path = base.join(&spec.from.value);
    let pick = match &spec.sheet {
        Some(s) => Pick::Named(&s.value),
        None => Pick::First,
    };
    let grid = sheet::read(&path, pick).map_err(|f| match f {
        sheet::Failure::Unreadable(why) => Diagnostic::error(
            pos(&spec.from),
            "items.from",
            format!("无法读取表格“{}”：{why}", spec.from.value),
        )
        .with_hint("from 写表格的文件名（相对于本文件所在的文件夹），支持 xlsx、xls、ods、csv"),
        sheet::Failure::NoSuchSheet { available } => {
            let at = spec.sheet.as_ref().map_or(pos(&spec.from), pos);
            let wanted = spec.sheet.as_ref().map_or("", |s| s.value.as_str());
            let names: Vec<&str> = available.iter().map(String::as_str).collect();
            let mut d = Diagnostic::error(
                at,
                "items.sheet",
                format!(
                    "表格“{}”中没有工作表“{wanted}”（有：{}）",
                    spec.from.value,
                    names.join("、")
                ),
            );
            if let Some(s) = crate::load::did_you_mean(wanted, &names) {
                d = d.with_hint(format!("是否应为“{s}”？"));
            }
            d
        }
    })?;
    Ok((path, grid))
}

/// The import's rows as items; every problem goes to `found`.
pub fn read(spec: &Spec, base: &Path, found: &mut Vec<Diagnostic>) -> Vec<Item> {
    let grid = match open(spec, base) {
        Ok((_, g)) => g,
        Err(d) => {
            found.push(d);
            return Vec::new();
        }
    };
    let label = if grid.name == spec.from.value || spec.from.value.ends_with(&grid.name) {
        spec.from.value.clone()
    } else {
        format!("{} {}", spec.from.value, grid.name)
    };
    let source = crate::load::with_session(|s| match s.sheets.iter().position(|l| *l == label) {
        Some(i) => i,
        None => {
            s.sheets.push(label.clone());
            s.sheets.len() - 1
        }
    })
    .map_or(1, |i| i as u32 + 1);
    let header_row = spec.header_row.as_ref().map_or(1, |h| h.value.max(1)) as usize;
    let headers = header::headers(&grid, header_row - 1);
    let mapping = map_columns(spec, &headers, source, header_row, found);
    let last = spec.last_row.as_ref().map_or(grid.cells.len(), |l| {
        (l.value as usize).min(grid.cells.len())
    });
    let mut rows = Rows {
        spec,
        mapping,
        source,
        found,
        dropped: Vec::new(),
    };
    (header_row..last)
        .filter_map(|r| rows.item(&grid, r))
        .collect()
}

/// A mapped column: its 0-based index, its header and the field it fills.
struct Mapped<'a> {
    col: usize,
    header: String,
    field: &'a str,
    key: &'a Spanned<String>,
}

/// Match each mapping key to one column; report keys that match none or several, and columns
/// that no key names.
fn map_columns<'a>(
    spec: &'a Spec,
    headers: &[Header],
    source: u32,
    header_row: usize,
    found: &mut Vec<Diagnostic>,
) -> Vec<Mapped<'a>> {
    let mut mapped = Vec::new();
    let mut claimed: Vec<usize> = Vec::new();
    for (key, field) in &spec.columns.0 {
        let mut matches: Vec<&Header> = headers.iter().filter(|h| h.is(&key.value)).collect();
        if matches.is_empty() {
            let bare = header::normalise(&key.value);
            matches = headers
                .iter()
                .filter(|h| h.bare() == header::bare(&bare))
                .collect();
        }
        match matches.as_slice() {
            [] => {
                let names: Vec<String> = headers.iter().map(Header::full).collect();
                let refs: Vec<&str> = names.iter().map(String::as_str).collect();
                let hint = match crate::load::did_you_mean(&header::normalise(&key.value), &refs) {
                    Some(s) => format!("是否应为“{s}”？"),
                    None => format!("表头在第 {header_row} 行吗？不是的话请改 header_row"),
                };
                found.push(
                    Diagnostic::error(
                        pos(key),
                        format!("items.columns.{}", key.value),
                        format!(
                            "表头中没有“{}”列（第 {header_row} 行的表头：{}）",
                            key.value,
                            refs.join("、")
                        ),
                    )
                    .with_hint(hint),
                );
            }
            [h] => {
                claimed.push(h.col);
                if let Some(field) = field {
                    mapped.push(Mapped {
                        col: h.col,
                        header: h.full(),
                        field: field.value.as_str(),
                        key,
                    });
                }
            }
            several => {
                let names: Vec<String> = several
                    .iter()
                    .map(|h| format!("{} 列（{}）", letters(h.col), h.full()))
                    .collect();
                found.push(
                    Diagnostic::error(
                        pos(key),
                        format!("items.columns.{}", key.value),
                        format!(
                            "表头中有 {} 列都叫“{}”：{}",
                            several.len(),
                            key.value,
                            names.join("、")
                        ),
                    )
                    .with_hint("写出上一层表头以区分，如“内容更新/周扫描”"),
                );
            }
        }
    }
    for (i, m) in mapped.iter().enumerate() {
        if let Some(first) = mapped[..i].iter().find(|p| p.field == m.field) {
            found.push(Diagnostic::error(
                pos(m.key),
                format!("items.columns.{}", m.key.value),
                format!(
                    "“{}”和“{}”两列都映射到 {}，一个字段只能来自一列",
                    first.header, m.header, m.field
                ),
            ));
        }
    }
    for h in headers.iter().filter(|h| !claimed.contains(&h.col)) {
        found.push(
            Diagnostic::warning(
                Pos {
                    source,
                    line: header_row as u64,
                    column: h.col as u64 + 1,
                },
                "items.columns",
                format!("“{}”列没有映射到字段，未导入", h.full()),
            )
            .with_hint(format!(
                "在 columns 中写上“{}: 字段名”，或写“{}: ~”表示有意不导入",
                h.name, h.name
            )),
        );
    }
    mapped
}

/// "D" for column 3 (0-based).
fn letters(col: usize) -> String {
    let r = crate::diag::cell_ref(1, col as u64 + 1);
    r.trim_end_matches('1').to_string()
}

/// Rows to items, with what was already reported.
struct Rows<'a, 'f> {
    spec: &'a Spec,
    mapping: Vec<Mapped<'a>>,
    source: u32,
    found: &'f mut Vec<Diagnostic>,
    /// Mapping fields found not to be item fields (reported once, then left out).
    dropped: Vec<String>,
}

impl Rows<'_, '_> {
    fn place(&self, row: usize, col: usize) -> Place {
        Place {
            source: self.source,
            row: row as u32 + 1,
            col: col as u32 + 1,
        }
    }

    fn at(place: Place) -> Pos {
        Pos {
            source: place.source,
            line: place.row as u64,
            column: place.col as u64,
        }
    }

    /// One row (0-based) as an item, or None when it is blank or has errors (reported).
    fn item(&mut self, grid: &Grid, r: usize) -> Option<Item> {
        let mut fields = Fields {
            entries: Vec::new(),
        };
        for m in &self.mapping {
            let v = grid.get(r, m.col);
            if !header::text(v).is_empty() && !self.dropped.iter().any(|d| d == m.field) {
                fields.insert(m.field, v, self.place(r, m.col));
            }
        }
        if fields.entries.is_empty() {
            self.unread_row(grid, r);
            return None;
        }
        let mut failed = false;
        // Each error drops its cell and the row is read again, so every cell is checked.
        for _ in 0..=self.mapping.len() {
            match Item::deserialize(&fields) {
                Ok(item) => return (!failed).then_some(item),
                Err(e) => {
                    failed = true;
                    match self.report(&e, grid, r) {
                        Some(place) => fields.remove(place),
                        None => return None,
                    }
                }
            }
        }
        None
    }

    /// A row with text only in unmapped columns (a total, a note) is not silently dropped.
    fn unread_row(&mut self, grid: &Grid, r: usize) {
        let Some(row) = grid.cells.get(r) else { return };
        if let Some((c, v)) = row
            .iter()
            .enumerate()
            .find(|(_, v)| !header::text(v).is_empty())
        {
            let text: String = header::text(v).chars().take(20).collect();
            self.found.push(
                Diagnostic::warning(
                    Self::at(self.place(r, c)),
                    "items",
                    format!("第 {} 行没有已映射列的内容，未导入（“{text}”）", r + 1),
                )
                .with_hint("合计、注释等行可用 last_row 排除在外"),
            );
        }
    }

    /// Report a row's error; the place to drop and read on, or None to give up the row.
    fn report(&mut self, e: &RowError, grid: &Grid, r: usize) -> Option<Place> {
        let column = |place: Place| {
            self.mapping
                .iter()
                .find(|m| m.col + 1 == place.col as usize)
        };
        match &e.kind {
            ErrorKind::Unknown { field, expected } => {
                let place = e.at?;
                let m = column(place)?;
                let key = m.key;
                self.found.push(
                    Diagnostic::error(
                        pos(key),
                        format!("items.columns.{}", key.value),
                        format!(
                            "“{field}”不是检查对象的字段（可用：{}，扣分写 d.指标名）",
                            expected.join("、")
                        ),
                    )
                    .with_hint(
                        match crate::load::did_you_mean(field, expected) {
                            Some(s) => format!("是否应为“{s}”？"),
                            None => "不导入这一列时写 ~".to_string(),
                        },
                    ),
                );
                self.dropped.push(m.field.to_string());
                Some(place)
            }
            ErrorKind::Missing(field) => {
                let mapped = self
                    .mapping
                    .iter()
                    .find(|m| m.field == *field || m.field.starts_with(&format!("{field}.")));
                match mapped {
                    Some(m) => {
                        let place = self.place(r, m.col);
                        self.found.push(
                            Diagnostic::error(
                                Self::at(place),
                                field.to_string(),
                                format!("第 {} 行的“{}”为空，而 {field} 是必填的", r + 1, m.header),
                            )
                            .with_hint(
                                "补上这一格；不是检查对象的行（合计、注释）可用 last_row 排除",
                            ),
                        );
                    }
                    None if !self.dropped.iter().any(|d| d == field) => {
                        self.dropped.push(field.to_string());
                        self.found.push(
                            Diagnostic::error(
                                pos(&self.spec.from),
                                "items.columns",
                                format!("columns 中没有映射到必填字段 {field} 的列"),
                            )
                            .with_hint(format!("在 columns 中写上“表头: {field}”")),
                        );
                    }
                    None => {}
                }
                None
            }
            ErrorKind::Message(_) | ErrorKind::Type { .. } => {
                let place = e.at?;
                let m = column(place)?;
                let cell = header::text(grid.get(r, m.col));
                let what = match &e.kind {
                    ErrorKind::Type { expected, .. } => {
                        format!(
                            "应为{}，单元格内容为“{cell}”",
                            crate::load::expected_zh(expected)
                        )
                    }
                    ErrorKind::Message(msg) if !msg.is_ascii() => msg.clone(),
                    _ => format!("无法读取单元格内容“{cell}”"),
                };
                let mut d = Diagnostic::error(
                    Self::at(place),
                    m.field.to_string(),
                    format!("“{}”列：{what}", m.header),
                );
                if let Some(h) = crate::load::message_hint(&what) {
                    d = d.with_hint(h);
                }
                self.found.push(d);
                Some(place)
            }
        }
    }
}
