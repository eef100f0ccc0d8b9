//! Tables for the DOCX backend: the IR's spanning convention resolved into a grid, the
//! geometry the layout chose (orientation, size, widths, padding) in DOCX units, and the
//! tables written in schema order: the attachments' tables and the 版记.

use crate::ir::{AttachmentBlock, Cell, Document, Table};
use crate::layout::TableGeometry;

use super::ooxml::{Line, PPr, RPr, Spacing, Xml};
use super::{Error, S_TABLE, S_TABLE_HEAD};

/// One grid slot of a resolved table part (header or body).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    /// The top-left slot of an IR cell: index of the cell in its IR row.
    Origin { cell: usize },
    /// Covered by a cell that started in an earlier row (vMerge continue), at its first column.
    Continue { col_span: u16 },
    /// Covered by a cell to the left (part of a gridSpan) or by a continuation's span.
    Covered,
    /// No IR cell here (short row): an empty cell is written.
    Empty,
}

/// Resolves rows of IR cells ("a spanning cell appears once, at its top-left position")
/// into a `rows × columns` grid of slots.
pub(crate) fn resolve(
    rows: &[Vec<Cell>],
    columns: usize,
    part: &str,
    table_no: usize,
) -> Result<Vec<Vec<Slot>>, Error> {
    let mut grid = vec![vec![Slot::Empty; columns]; rows.len()];
    for (r, row) in rows.iter().enumerate() {
        let mut c = 0;
        for (i, cell) in row.iter().enumerate() {
            while c < columns && grid[r][c] != Slot::Empty {
                c += 1;
            }
            let cs = usize::from(cell.col_span.max(1));
            let rs = usize::from(cell.row_span.max(1));
            if c + cs > columns {
                return Err(Error::Table(format!(
                    "第{table_no}个表格{part}第{}行的单元格“{}”超出{columns}列",
                    r + 1,
                    cell.text
                )));
            }
            if r + rs > rows.len() {
                return Err(Error::Table(format!(
                    "第{table_no}个表格{part}第{}行的单元格“{}”跨{rs}行，超出{part}的{}行",
                    r + 1,
                    cell.text,
                    rows.len()
                )));
            }
            for (dr, grid_row) in grid[r..r + rs].iter_mut().enumerate() {
                for (dc, slot) in grid_row[c..c + cs].iter_mut().enumerate() {
                    if *slot != Slot::Empty {
                        return Err(Error::Table(format!(
                            "第{table_no}个表格{part}第{}行的单元格“{}”与其他单元格重叠",
                            r + 1,
                            cell.text
                        )));
                    }
                    *slot = match (dr, dc) {
                        (0, 0) => Slot::Origin { cell: i },
                        (_, 0) => Slot::Continue {
                            col_span: cell.col_span.max(1),
                        },
                        _ => Slot::Covered,
                    };
                }
            }
            c += cs;
        }
    }
    Ok(grid)
}

/// Grid columns of a table: its declared columns, or more when a row spans more (the layout
/// module counts the same way, so both renderings agree on a table whose rows outgrow its
/// column list); the extra columns are centred, without a width hint.
pub(crate) fn column_count(t: &Table) -> usize {
    t.header
        .iter()
        .chain(&t.rows)
        .map(|r| r.iter().map(|c| usize::from(c.col_span.max(1))).sum())
        .max()
        .unwrap_or(0)
        .max(t.columns.len())
}

/// Alignment of grid column `c`.
pub(crate) fn column_align(t: &Table, c: usize) -> crate::ir::Align {
    t.columns
        .get(c)
        .map_or(crate::ir::Align::Center, |col| col.align)
}

/// A table ready to write: its resolved header and body grids and the layout's geometry in
/// DOCX units.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TablePlan {
    pub head: Vec<Vec<Slot>>,
    pub body: Vec<Vec<Slot>>,
    pub landscape: bool,
    /// Font size in half-points.
    pub size: usize,
    /// Cell padding (horizontal, vertical) and the exact line height, twips.
    pub pad: (i32, i32),
    pub line: i32,
    /// Grid column widths in twips, summing to the table width.
    pub widths: Vec<usize>,
    /// Each cell's text with the layout's line breaks ("\n"), header rows then body rows,
    /// cells in the IR's order; `None`: the IR's text, on one line.
    pub text: Vec<Vec<Option<String>>>,
    /// Each row's least height in twips, header rows then body rows: the layout's, less the
    /// border a word processor adds.
    pub heights: Vec<i32>,
    /// The last row kept on the page of the paragraph after the table (its note).
    pub keep_with_next: bool,
}

impl TablePlan {
    pub fn new(g: &TableGeometry, head: Vec<Vec<Slot>>, body: Vec<Vec<Slot>>) -> Self {
        let total: f32 = g.widths.iter().sum();
        TablePlan {
            head,
            body,
            landscape: g.landscape,
            size: (g.size * 2.0).round() as usize,
            // Word processors add the borders to a row's height; the layout counts them in.
            pad: (super::tw(g.pad_h), super::tw(g.pad_v - g.border / 2.0)),
            line: super::tw(g.line),
            widths: to_twips(&g.widths, (total * 20.0).round() as usize),
            heights: g.heights.iter().map(|h| super::tw(h - g.border)).collect(),
            keep_with_next: g.keep_with_next,
            // No lines: the cell's text set on one line, as the IR has it.
            text: g
                .lines
                .iter()
                .map(|row| {
                    row.iter()
                        .map(|lines| (!lines.is_empty()).then(|| lines.join("\n")))
                        .collect()
                })
                .collect(),
        }
    }
}

/// Integer twips in proportion to `w`, summing exactly to `total`.
fn to_twips(w: &[f32], total: usize) -> Vec<usize> {
    let n = w.len();
    if n == 0 {
        return vec![];
    }
    let sum: f32 = w.iter().sum();
    let mut out: Vec<usize> = if sum > 0.0 {
        w.iter()
            .map(|x| (x / sum * total as f32).floor() as usize)
            .collect()
    } else {
        vec![total / n; n]
    };
    let used: usize = out.iter().sum();
    // Hand the rounding remainder to the first columns, one twip each.
    for x in out.iter_mut().take(total.saturating_sub(used)) {
        *x += 1;
    }
    out
}

/// Each table of the document with the layout's geometry for it (`geometry`, in document
/// order), its grids resolved. Malformed spans are reported here.
pub(crate) fn plans(doc: &Document, geometry: &[TableGeometry]) -> Result<Vec<TablePlan>, Error> {
    let tables = doc
        .attachments
        .iter()
        .flat_map(|a| &a.content)
        .filter_map(|b| match b {
            AttachmentBlock::Table(t) => Some(t),
            AttachmentBlock::Paragraph { .. } => None,
        });
    tables
        .enumerate()
        .map(|(k, t)| {
            let n = column_count(t);
            let head = resolve(&t.header, n, "表头", k + 1)?;
            let body = resolve(&t.rows, n, "表体", k + 1)?;
            let g = geometry
                .get(k)
                .filter(|g| g.widths.len() == n)
                .ok_or_else(|| {
                    Error::Table(format!("第{}个表格没有与其列数相符的排版结果", k + 1))
                })?;
            Ok(TablePlan::new(g, head, body))
        })
        .collect()
}

fn dxa(x: &mut Xml, name: &str, w: i32) {
    x.empty(name, &[("w:w", &w.to_string()), ("w:type", "dxa")]);
}

/// A table: header rows marked `w:tblHeader` so they repeat on every page, spans as
/// `w:gridSpan` / `w:vMerge`, rows kept whole, widths, size and padding as the layout set them.
pub(crate) fn write(x: &mut Xml, t: &Table, plan: &TablePlan) {
    let n = plan.widths.len();
    let widths = &plan.widths;
    let span_width = |c: usize, cs: usize| widths[c..(c + cs).min(n)].iter().sum::<usize>();
    x.open("w:tbl", &[]);
    x.open("w:tblPr", &[]);
    dxa(x, "w:tblW", widths.iter().sum::<usize>() as i32);
    x.val("w:jc", "center");
    x.open("w:tblBorders", &[]);
    let border = Line {
        eighths: 4,
        space: 0,
        color: "000000",
    };
    for side in [
        "w:top",
        "w:left",
        "w:bottom",
        "w:right",
        "w:insideH",
        "w:insideV",
    ] {
        border.write(x, side);
    }
    x.close("w:tblBorders");
    x.empty("w:tblLayout", &[("w:type", "fixed")]);
    x.open("w:tblCellMar", &[]);
    let (pad_h, pad_v) = plan.pad;
    for (side, w) in [
        ("w:top", pad_v),
        ("w:left", pad_h),
        ("w:bottom", pad_v),
        ("w:right", pad_h),
    ] {
        dxa(x, side, w);
    }
    x.close("w:tblCellMar");
    x.close("w:tblPr");
    x.open("w:tblGrid", &[]);
    for w in widths {
        x.empty("w:gridCol", &[("w:w", &w.to_string())]);
    }
    x.close("w:tblGrid");
    let run = RPr {
        size: Some(plan.size as u32),
        ..RPr::default()
    };
    let parts = [
        (&t.header, &plan.head, true, 0),
        (&t.rows, &plan.body, false, plan.head.len()),
    ];
    for (part, grid, header, first_row) in parts {
        for (r, slots) in grid.iter().enumerate() {
            x.open("w:tr", &[]);
            x.open("w:trPr", &[]);
            x.empty("w:cantSplit", &[]);
            if let Some(h) = plan.heights.get(first_row + r) {
                x.empty(
                    "w:trHeight",
                    &[("w:val", &h.to_string()), ("w:hRule", "atLeast")],
                );
            }
            if header {
                x.empty("w:tblHeader", &[]);
            }
            x.close("w:trPr");
            let mut c = 0;
            while c < n {
                let (cs, vmerge, align, text) = match slots[c] {
                    Slot::Origin { cell } => {
                        let ir = &part[r][cell];
                        let align = if header {
                            "center"
                        } else {
                            super::jc(column_align(t, c))
                        };
                        let vm = (ir.row_span > 1).then_some("restart");
                        let text = plan
                            .text
                            .get(first_row + r)
                            .and_then(|row| row.get(cell))
                            .and_then(Option::as_deref)
                            .unwrap_or(ir.text.as_str());
                        (usize::from(ir.col_span.max(1)), vm, align, text)
                    }
                    Slot::Continue { col_span } => {
                        (usize::from(col_span), Some("continue"), "center", "")
                    }
                    Slot::Covered => {
                        // Only reachable for a malformed grid; resolve() prevents it.
                        c += 1;
                        continue;
                    }
                    Slot::Empty => (1, None, "center", ""),
                };
                x.open("w:tc", &[]);
                x.open("w:tcPr", &[]);
                dxa(x, "w:tcW", span_width(c, cs) as i32);
                if cs > 1 {
                    x.val("w:gridSpan", cs);
                }
                if let Some(v) = vmerge {
                    x.val("w:vMerge", v);
                }
                x.val("w:vAlign", "center");
                x.close("w:tcPr");
                let ppr = PPr {
                    style: Some(if header { S_TABLE_HEAD } else { S_TABLE }),
                    // A row whose paragraphs keep with the next goes to its page.
                    keep_next: plan.keep_with_next && !header && r + 1 == grid.len(),
                    spacing: Some(Spacing::exact(plan.line)),
                    jc: Some(align),
                    ..PPr::default()
                };
                let runs: &[(RPr, &str)] = if text.is_empty() {
                    &[]
                } else {
                    &[(run.clone(), text)]
                };
                super::ooxml::paragraph(x, &ppr, runs);
                x.close("w:tc");
                c += cs;
            }
            x.close("w:tr");
        }
    }
    x.close("w:tbl");
}

/// One row of the 版记 table: as many grid lines high as the layout gives its block; its
/// top and bottom borders are 版记 rules; its runs are separated by a tab.
pub(crate) struct ColophonRow<'a> {
    pub lines: usize,
    pub top: Option<Line>,
    pub bottom: Option<Line>,
    pub para: PPr<'a>,
    pub runs: Vec<String>,
}

/// The 版记 as a one-column table across the type width, without cell margins, rows of exact
/// grid-line heights (the last `slack` twips short): the rules are cell borders, so every word
/// processor draws each one.
pub(crate) fn colophon(x: &mut Xml, rows: &[ColophonRow], width: i32, pitch: i32, slack: i32) {
    x.open("w:tbl", &[]);
    x.open("w:tblPr", &[]);
    dxa(x, "w:tblW", width);
    dxa(x, "w:tblInd", 0);
    x.empty("w:tblLayout", &[("w:type", "fixed")]);
    x.open("w:tblCellMar", &[]);
    for side in ["w:top", "w:left", "w:bottom", "w:right"] {
        dxa(x, side, 0);
    }
    x.close("w:tblCellMar");
    x.close("w:tblPr");
    x.open("w:tblGrid", &[]);
    x.empty("w:gridCol", &[("w:w", &width.to_string())]);
    x.close("w:tblGrid");
    for (i, row) in rows.iter().enumerate() {
        let short = if i + 1 == rows.len() { slack } else { 0 };
        x.open("w:tr", &[]);
        x.open("w:trPr", &[]);
        x.empty("w:cantSplit", &[]);
        x.empty(
            "w:trHeight",
            &[
                ("w:val", &(row.lines as i32 * pitch - short).to_string()),
                ("w:hRule", "exact"),
            ],
        );
        x.close("w:trPr");
        x.open("w:tc", &[]);
        x.open("w:tcPr", &[]);
        dxa(x, "w:tcW", width);
        x.open("w:tcBorders", &[]);
        for (side, line) in [
            ("w:top", row.top),
            ("w:left", None),
            ("w:bottom", row.bottom),
            ("w:right", None),
        ] {
            match line {
                Some(l) => l.write(x, side),
                None => x.empty(side, &[("w:val", "nil")]),
            }
        }
        x.close("w:tcBorders");
        x.val("w:vAlign", "top");
        x.close("w:tcPr");
        x.open("w:p", &[]);
        PPr {
            snap_to_grid: Some(false),
            spacing: Some(Spacing::exact(pitch)),
            ..row.para.clone()
        }
        .write(x);
        for (i, text) in row.runs.iter().enumerate() {
            if i > 0 {
                x.open("w:r", &[]);
                x.empty("w:tab", &[]);
                x.close("w:r");
            }
            super::ooxml::run(x, &RPr::default(), text);
        }
        x.close("w:p");
        x.close("w:tc");
        x.close("w:tr");
    }
    x.close("w:tbl");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Align, Column};

    fn cols(n: usize) -> Vec<Column> {
        (0..n)
            .map(|_| Column {
                width: None,
                align: Align::Center,
                hint_at: None,
            })
            .collect()
    }

    #[test]
    fn resolves_two_row_header() {
        let header = vec![
            vec![
                Cell::span("序号", 1, 2),
                Cell::span("内容更新", 2, 1),
                Cell::span("得分", 1, 2),
            ],
            vec![Cell::new("周扫描"), Cell::new("季度检查")],
        ];
        let g = resolve(&header, 4, "表头", 1).unwrap();
        assert_eq!(
            g[0],
            vec![
                Slot::Origin { cell: 0 },
                Slot::Origin { cell: 1 },
                Slot::Covered,
                Slot::Origin { cell: 2 }
            ]
        );
        assert_eq!(
            g[1],
            vec![
                Slot::Continue { col_span: 1 },
                Slot::Origin { cell: 0 },
                Slot::Origin { cell: 1 },
                Slot::Continue { col_span: 1 }
            ]
        );
    }

    #[test]
    fn rejects_overflowing_span() {
        let rows = vec![vec![Cell::new("a"), Cell::span("b", 2, 1)]];
        let e = resolve(&rows, 2, "表体", 1).unwrap_err();
        assert!(e.to_string().contains("超出2列"), "{e}");
        let rows = vec![vec![Cell::span("a", 1, 3)]];
        assert!(resolve(&rows, 1, "表体", 1).is_err());
    }

    #[test]
    fn short_rows_leave_empty_slots() {
        let rows = vec![vec![Cell::new("a")]];
        assert_eq!(
            resolve(&rows, 3, "表体", 1).unwrap()[0],
            vec![Slot::Origin { cell: 0 }, Slot::Empty, Slot::Empty]
        );
    }

    #[test]
    fn plan_is_the_layout_geometry_in_twips() {
        // The full portrait type width, 442.2 pt, is 8,844 twips; the remainder of the
        // rounding goes to the first columns.
        let g = TableGeometry {
            landscape: false,
            size: 10.5,
            widths: vec![147.4; 3],
            pad_h: 3.5,
            pad_v: 1.0,
            line: 12.5,
            border: 0.5,
            lines: vec![vec![vec!["政策解读".into(), "（10分）".into()]]],
            heights: vec![33.0],
            keep_with_next: false,
        };
        let p = TablePlan::new(&g, vec![], vec![]);
        assert_eq!((p.size, p.pad, p.line), (21, (70, 15), 250));
        assert_eq!(p.widths, [2948, 2948, 2948]);
        assert_eq!(p.text, [[Some("政策解读\n（10分）".to_string())]]);
        let g = TableGeometry {
            landscape: true,
            size: 9.0,
            widths: vec![100.0, 200.0, 337.8],
            pad_h: 2.0,
            pad_v: 1.0,
            line: 11.0,
            border: 0.5,
            lines: vec![],
            heights: vec![],
            keep_with_next: true,
        };
        let p = TablePlan::new(&g, vec![], vec![]);
        assert_eq!((p.landscape, p.size, p.keep_with_next), (true, 18, true));
        assert_eq!(p.widths.iter().sum::<usize>(), 12756);
        assert_eq!(p.widths[..2], [2000, 4000]);
    }

    #[test]
    fn rows_wider_than_the_column_list_widen_the_grid() {
        let t = Table {
            columns: cols(3),
            header: vec![vec![Cell::new(""), Cell::new(""), Cell::new("")]],
            rows: vec![vec![
                Cell::span("工作", 1, 2),
                Cell::new("好"),
                Cell::new("甲"),
                Cell::new("乙"),
            ]],
        };
        assert_eq!(column_count(&t), 4);
        assert_eq!(column_align(&t, 3), Align::Center);
    }
}
