//! Tables for the DOCX backend: the IR's spanning convention resolved into a grid, and the
//! geometry the layout module chose (orientation, size, widths) in DOCX units.

use crate::ir::{Cell, Table};
use crate::layout::TableGeometry;

use super::Error;

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

/// Width of a string in em: CJK and full-width characters count 1, ASCII and half-width 0.5.
pub(crate) fn text_em(s: &str) -> f32 {
    s.chars().map(char_em).sum()
}

fn char_em(c: char) -> f32 {
    if (c as u32) < 0x2E80 && !matches!(c, '—' | '…' | '“' | '”' | '‘' | '’') {
        0.5
    } else {
        1.0
    }
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
    /// Grid column widths in twips, summing to the table width.
    pub widths: Vec<usize>,
}

impl TablePlan {
    pub fn new(g: &TableGeometry, head: Vec<Vec<Slot>>, body: Vec<Vec<Slot>>) -> Self {
        let total: f32 = g.widths.iter().sum();
        TablePlan {
            head,
            body,
            landscape: g.landscape,
            size: (g.size * 2.0).round() as usize,
            widths: to_twips(&g.widths, (total * 20.0).round() as usize),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Align, Column};

    fn cols(n: usize) -> Vec<Column> {
        (0..n)
            .map(|_| Column {
                width: None,
                align: Align::Center,
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
        };
        let p = TablePlan::new(&g, vec![], vec![]);
        assert_eq!(p.size, 21);
        assert_eq!(p.widths, [2948, 2948, 2948]);
        let g = TableGeometry {
            landscape: true,
            size: 9.0,
            widths: vec![100.0, 200.0, 337.8],
        };
        let p = TablePlan::new(&g, vec![], vec![]);
        assert_eq!((p.landscape, p.size), (true, 18));
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

    #[test]
    fn em_counts_half_width() {
        assert_eq!(text_em("2021年"), 3.0);
        assert_eq!(text_em("（10分）"), 4.0);
    }
}
