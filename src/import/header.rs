//! The header of an inspection sheet: each column's name and the group names above it, read
//! through merged cells (a name merged over two header rows, a group such as
//! 内容更新（50分） merged over 周扫描 and 季度检查). Formats that do not record merges (ODS
//! and CSV here) keep a merged cell's text in its top-left cell only, which gives the same
//! result when the empty cells are filled from above and from the left.

use super::sheet::{excel_date, Grid, Value};

/// One column's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// 0-based column.
    pub col: usize,
    /// The column's own name, e.g. 周扫描 (normalised: no spaces or line breaks).
    pub name: String,
    /// The groups above it, outermost first, e.g. [内容更新（50分）].
    pub groups: Vec<String>,
}

impl Header {
    /// `内容更新（50分）/周扫描`, or just the name.
    pub fn full(&self) -> String {
        let mut parts = self.groups.clone();
        parts.push(self.name.clone());
        parts.join("/")
    }

    /// Whether a mapping key names this column: its name, its full name, or a tail of it
    /// (`内容更新（50分）/周扫描`, `周扫描`).
    pub fn is(&self, key: &str) -> bool {
        let key = normalise(key);
        !key.is_empty()
            && (self.name == key || self.full() == key || self.full().ends_with(&format!("/{key}")))
    }

    /// The name without a trailing bracket (政策解读（10分） → 政策解读), for a looser match.
    pub fn bare(&self) -> &str {
        bare(&self.name)
    }
}

pub fn bare(name: &str) -> &str {
    match name.find(['（', '(']) {
        Some(i) if i > 0 && name.ends_with(['）', ')']) => &name[..i],
        _ => name,
    }
}

/// Header text as compared: without spaces, full-width spaces and line breaks.
pub fn normalise(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A cell as text: what a person sees in it.
pub fn text(v: &Value) -> String {
    match v {
        Value::Empty => String::new(),
        Value::String(s) => s.trim().to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => number_text(*f),
        Value::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        Value::DateTime(d) => excel_date(d.as_f64()),
        Value::DateTimeIso(s) | Value::DurationIso(s) => s.clone(),
        Value::Error(e) => format!("#{e:?}"),
    }
}

/// A float as written: 10 for 10.0, 88.9 for 88.9 (the shortest form that reads back).
pub fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

fn filled(grid: &Grid, row: usize) -> usize {
    grid.cells
        .get(row)
        .map_or(0, |r| r.iter().filter(|v| !text(v).is_empty()).count())
}

/// The rows of the header block ending at `header_row`: upwards while a row has at least two
/// cells (a title above the table has one).
fn block_start(grid: &Grid, header_row: usize) -> usize {
    let mut start = header_row;
    while start > 0 && filled(grid, start - 1) >= 2 {
        start -= 1;
    }
    start
}

/// The header of every column that has one, reading `header_row` (0-based) and the header
/// rows above it.
pub fn headers(grid: &Grid, header_row: usize) -> Vec<Header> {
    let start = block_start(grid, header_row);
    // A workbook whose header has no merge records (LibreOffice's from a CSV, many platform
    // exports) lays its groups out as a CSV does: read it the same way.
    let merged = grid.knows_merges
        && grid
            .merges
            .iter()
            .any(|&(r0, _, r1, _)| r0 as usize <= header_row && r1 as usize >= start);
    let mut out = Vec::new();
    for col in 0..grid.width() {
        // The name: the header row's cell, or the merged cell (or, without merges, the
        // nearest text above) covering it.
        let mut from_row = header_row;
        let mut name = normalise(&text(grid.get(header_row, col)));
        if name.is_empty() {
            if let Some((r0, c0, _, _)) = grid.merge_at(header_row, col) {
                name = normalise(&text(grid.get(r0 as usize, c0 as usize)));
                from_row = r0 as usize;
            } else if !merged {
                if let Some(r) = (start..header_row)
                    .rev()
                    .find(|&r| !text(grid.get(r, col)).is_empty())
                {
                    name = normalise(&text(grid.get(r, col)));
                    from_row = r;
                }
            }
        }
        if name.is_empty() {
            continue;
        }
        let mut groups = Vec::new();
        for r in start..from_row {
            let group = if let Some((r0, c0, r1, c1)) = grid.merge_at(r, col) {
                (c1 > c0 && (r1 as usize) < from_row)
                    .then(|| text(grid.get(r0 as usize, c0 as usize)))
            } else if merged {
                Some(text(grid.get(r, col)))
            } else {
                // Without merges: this cell, or the nearest text to its left in this row.
                (0..=col)
                    .rev()
                    .map(|c| text(grid.get(r, c)))
                    .find(|t| !t.is_empty())
            };
            if let Some(g) = group.map(|g| normalise(&g)).filter(|g| !g.is_empty()) {
                if g != name && !groups.contains(&g) {
                    groups.push(g);
                }
            }
        }
        out.push(Header { col, name, groups });
    }
    out
}

/// The header row of a sheet (0-based), when not given: the row with the most text cells in
/// the first ten, or the row under it when that one holds the names under its groups.
pub fn guess_row(grid: &Grid) -> usize {
    let texts = |r: usize| {
        grid.cells.get(r).map_or(0, |row| {
            row.iter()
                .filter(|v| matches!(v, Value::String(s) if !s.trim().is_empty() && s.trim().parse::<f64>().is_err()))
                .count()
        })
    };
    let rows = grid.cells.len().min(10);
    let Some(main) = (0..rows).max_by_key(|&r| (texts(r), std::cmp::Reverse(r))) else {
        return 0;
    };
    let next = main + 1;
    let numeric = |r: usize| {
        grid.cells.get(r).is_some_and(|row| {
            row.iter().any(|v| {
                matches!(v, Value::Int(_) | Value::Float(_))
                    || matches!(v, Value::String(s) if s.trim().parse::<f64>().is_ok())
            })
        })
    };
    let under_groups = (0..grid.width())
        .filter(|&c| !text(grid.get(next, c)).is_empty())
        .all(|c| {
            let above = text(grid.get(main, c));
            let merged = grid.merge_at(main, c).is_some_and(|(_, c0, _, c1)| c1 > c0);
            above.is_empty() || merged || text(grid.get(main, c + 1)).is_empty()
        });
    if filled(grid, next) > 0 && !numeric(next) && under_groups {
        next
    } else {
        main
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(t: &str) -> Value {
        if t.is_empty() {
            Value::Empty
        } else {
            Value::String(t.into())
        }
    }

    /// 序号 and 单位 over two rows, 内容更新 over 周扫描 and 季度检查, as a CSV keeps it;
    /// `records`: with the merge records of a workbook that has them.
    fn two_row_header(knows_merges: bool, records: bool) -> Grid {
        let rows = [
            vec!["2024年第二季度检查结果", "", "", "", ""],
            vec!["序号", "主办\n单位", "内容更新（50分）", "", "得分"],
            vec!["", "", "周扫描", "季度检查", ""],
            vec!["1", "区教委", "4", "10", "88"],
        ];
        Grid {
            name: "表".into(),
            cells: rows
                .iter()
                .map(|r| r.iter().map(|t| s(t)).collect())
                .collect(),
            merges: if records {
                vec![
                    (0, 0, 0, 4),
                    (1, 0, 2, 0),
                    (1, 1, 2, 1),
                    (1, 2, 1, 3),
                    (1, 4, 2, 4),
                ]
            } else {
                Vec::new()
            },
            knows_merges,
        }
    }

    #[test]
    fn merged_headers_with_and_without_merge_records() {
        // A workbook with merges, one without (LibreOffice's XLSX of a CSV), a CSV.
        for (knows, records) in [(true, true), (true, false), (false, false)] {
            let g = two_row_header(knows, records);
            assert_eq!(guess_row(&g), 2, "knows merges: {knows}");
            let h = headers(&g, 2);
            let full: Vec<String> = h.iter().map(Header::full).collect();
            assert_eq!(
                full,
                [
                    "序号",
                    "主办单位",
                    "内容更新（50分）/周扫描",
                    "内容更新（50分）/季度检查",
                    "得分"
                ],
                "knows merges: {knows}"
            );
            assert!(h[2].is("周扫描") && h[2].is("内容更新（50分）/周扫描"));
            assert!(h[1].is("主办 单位"));
            assert!(!h[2].is("季度检查"));
        }
    }

    #[test]
    fn bare_names() {
        assert_eq!(bare("政策解读（10分）"), "政策解读");
        assert_eq!(bare("得分"), "得分");
        assert_eq!(number_text(10.0), "10");
        assert_eq!(number_text(88.9), "88.9");
    }
}
