//! Table geometry for the DOCX backend: resolving the IR's spanning convention into a grid,
//! estimating column widths and choosing the font size and the page orientation.

use crate::ir::{Cell, Table};

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

/// Characters that belong to the number before them (as in the layout module).
const UNITS: &str = "年月日时分秒个名家条次人万亿元号项岁天点位所件篇期批%％‰℃倍";

fn char_em(c: char) -> f32 {
    if (c as u32) < 0x2E80 && !matches!(c, '—' | '…' | '“' | '”' | '‘' | '’') {
        0.5
    } else {
        1.0
    }
}

/// Whether a line may break between `a` and `b`: the layout module's rule (GB/T 15834
/// 避头尾, numbers with their units kept whole); in a header, a number may leave its unit.
fn can_break(a: char, b: char, header: bool) -> bool {
    use crate::layout::text::{self, NO_START};
    text::can_break(a, b)
        || (header && a.is_ascii_digit() && UNITS.contains(b) && !NO_START.contains(b))
}

/// Natural width, widest unbreakable unit and widest character of a cell's text, in em.
fn metrics(text: &str, header: bool) -> (f32, f32, f32) {
    let chars: Vec<char> = text.chars().collect();
    let (mut unit, mut cur, mut natural, mut glyph) = (0.0f32, 0.0f32, 0.0f32, 0.0f32);
    for (i, &c) in chars.iter().enumerate() {
        if i > 0 && can_break(chars[i - 1], c, header) {
            unit = unit.max(cur);
            cur = 0.0;
        }
        cur += char_em(c);
        natural += char_em(c);
        glyph = glyph.max(char_em(c));
    }
    (natural, unit.max(cur), glyph)
}

/// Column geometry decided for one table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TablePlan {
    pub landscape: bool,
    /// Font size in half-points.
    pub size: usize,
    /// Grid column widths in twips, summing to the table width.
    pub widths: Vec<usize>,
}

/// Horizontal cell padding on each side at `size` pt, in points (a quarter of the size, as
/// the layout module pads its cells).
pub(crate) fn cell_pad(size_pt: f32) -> f32 {
    size_pt * 0.25
}

const BORDER: f32 = 0.5;

/// Minimum and maximum column widths in points at `size` pt (the layout module's
/// `column_bounds`): minimum = widest unbreakable unit (or widest character when wrapping at
/// any character), maximum = the body text on one line; headers only ever need their minimum.
fn bounds(table: &Table, size: f32, char_level: bool) -> (Vec<f32>, Vec<f32>) {
    let n = column_count(table);
    let pad = 2.0 * cell_pad(size) + BORDER;
    let mut min = vec![pad + size * 0.5; n];
    let mut max = min.clone();
    let mut spanned = vec![];
    for (rows, header) in [(&table.header, true), (&table.rows, false)] {
        let Ok(grid) = resolve(rows, n, "", 0) else {
            continue; // reported when the table is written
        };
        for (r, slots) in grid.iter().enumerate() {
            for (c, slot) in slots.iter().enumerate() {
                let Slot::Origin { cell } = *slot else {
                    continue;
                };
                let cell = &rows[r][cell];
                let (natural, unit, glyph) = metrics(&cell.text, header);
                let lo = pad + size * if char_level { glyph } else { unit };
                let hi = if header { lo } else { pad + size * natural };
                let cs = usize::from(cell.col_span.max(1)).min(n - c);
                if cs == 1 {
                    min[c] = min[c].max(lo);
                    max[c] = max[c].max(hi);
                } else {
                    spanned.push((c, cs, lo, hi));
                }
            }
        }
    }
    for (c, cs, lo, hi) in spanned {
        let have: f32 = min[c..c + cs].iter().sum();
        if lo > have {
            let add = (lo - have) / cs as f32;
            min[c..c + cs].iter_mut().for_each(|m| *m += add);
        }
        let have: f32 = max[c..c + cs].iter().sum();
        if hi > have {
            let add = (hi - have) / cs as f32;
            max[c..c + cs].iter_mut().for_each(|m| *m += add);
        }
    }
    for c in 0..n {
        max[c] = max[c].max(min[c]);
    }
    (min, max)
}

/// Column widths in points, by the layout module's rule (`layout::table::widths`).
fn widths(table: &Table, min: &[f32], max: &[f32], total: f32) -> Vec<f32> {
    let hints: Vec<Option<f32>> = (0..min.len())
        .map(|c| table.columns.get(c).and_then(|col| col.width))
        .collect();
    crate::layout::table::widths(min, max, &hints, total)
}

/// Table height in points at `size` with column widths `w`, estimating each cell's lines
/// from its natural width (the layout module's estimate).
fn estimate_height(table: &Table, w: &[f32], size: f32) -> f32 {
    let n = w.len();
    let pad = 2.0 * cell_pad(size) + BORDER;
    let mut total = 0.0;
    for rows in [&table.header, &table.rows] {
        let Ok(grid) = resolve(rows, n, "", 0) else {
            continue;
        };
        for (r, slots) in grid.iter().enumerate() {
            let mut lines = 1.0f32;
            for (c, slot) in slots.iter().enumerate() {
                let Slot::Origin { cell } = *slot else {
                    continue;
                };
                let cell = &rows[r][cell];
                let cs = usize::from(cell.col_span.max(1)).min(n - c);
                let inner: f32 = w[c..c + cs].iter().sum::<f32>() - pad;
                if inner > 0.0 && cell.row_span <= 1 {
                    lines = lines.max((text_em(&cell.text) * size / inner).ceil());
                }
            }
            total += lines * size * 1.3 + 2.0 * size * 0.2;
        }
    }
    total
}

/// Chooses size and orientation the way the layout module does, so the DOCX and the PDF set a
/// table alike: portrait before landscape, unbreakable units before wrapping at any
/// character; within each, among the sizes (14, 12, 10.5, 9 pt; 10.5 and 9 when wrapping at
/// any character) at which the minimum widths fit, the largest whose estimated height needs
/// no more pages than the shortest and is at most half as tall again; failing all, landscape
/// at 9 pt in equal columns. `portrait` and `landscape` are the type widths in twips.
pub(crate) fn plan(table: &Table, portrait: usize, landscape: usize) -> TablePlan {
    let n = column_count(table);
    for (land, char_level) in [(false, false), (false, true), (true, false), (true, true)] {
        let twips = if land { landscape } else { portrait };
        let total = twips as f32 / 20.0;
        // Type-area heights: 225 mm portrait, 156 mm landscape.
        let page_h = if land { 442.2 } else { 637.8 };
        let sizes: &[f32] = if char_level {
            &[10.5, 9.0]
        } else {
            &[14.0, 12.0, 10.5, 9.0]
        };
        let mut options = vec![];
        for &size in sizes {
            let (min, max) = bounds(table, size, char_level);
            if min.iter().sum::<f32>() > total + 0.01 {
                continue;
            }
            let w = widths(table, &min, &max, total);
            options.push((estimate_height(table, &w, size), size, w));
        }
        let shortest = options.iter().map(|o| o.0).fold(f32::INFINITY, f32::min);
        let pages = |h: f32| (h / page_h).ceil();
        if let Some((_, size, w)) = options
            .into_iter()
            .find(|(h, _, _)| pages(*h) <= pages(shortest) && *h <= shortest * 1.5)
        {
            return TablePlan {
                landscape: land,
                size: (size * 2.0).round() as usize,
                widths: to_twips(&w, twips),
            };
        }
    }
    TablePlan {
        landscape: true,
        size: 18,
        widths: to_twips(&vec![1.0; n], landscape),
    }
}

/// Integer twips in proportion to `w`, summing exactly to `total`.
fn to_twips(w: &[f32], total: usize) -> Vec<usize> {
    distribute(w, &vec![0.0; w.len()], total)
}

/// Scales `weights` (+ `base`) to integer twips summing exactly to `total`.
fn distribute(weights: &[f32], base: &[f32], total: usize) -> Vec<usize> {
    let n = weights.len();
    if n == 0 {
        return vec![];
    }
    let w: Vec<f32> = weights.iter().zip(base).map(|(a, b)| a + b).collect();
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

    fn table(cols_n: usize, header: &str, body: &str) -> Table {
        Table {
            columns: cols(cols_n),
            header: vec![(0..cols_n).map(|_| Cell::new(header)).collect()],
            rows: vec![(0..cols_n).map(|_| Cell::new(body)).collect()],
        }
    }

    #[test]
    fn size_and_orientation_follow_the_layout_rules() {
        for (cols, body, want) in [
            // Single-line rows: the largest size at most half as tall again as at 9 pt.
            (3, "区教委专栏", (false, 24)),
            // Only 9 pt keeps ten four-character cells on one line.
            (10, "区教委专", (false, 18)),
            (30, "区生态环境局专栏", (false, 18)),
            // Long numbers are unbreakable units: 25 of them need wrapping at any character.
            (25, "12345678", (false, 21)),
            // Sixty columns do not fit portrait at all: landscape, 9 pt.
            (60, "乙", (true, 18)),
        ] {
            let p = plan(&table(cols, "甲", body), 8844, 12756);
            assert_eq!((p.landscape, p.size), want, "{cols} × {body}");
            let total = if p.landscape { 12756 } else { 8844 };
            assert_eq!(p.widths.iter().sum::<usize>(), total, "{cols} × {body}");
        }
    }

    #[test]
    fn units_keep_numbers_and_brackets_whole() {
        // "（" cannot end a line, "10分" is a number with its unit, "）" cannot start one.
        assert_eq!(metrics("政策解读（10分）", false), (8.0, 4.0, 1.0));
        assert_eq!(metrics("88.9", false), (2.0, 2.0, 0.5));
        assert_eq!(metrics("2021年", false), (3.0, 3.0, 1.0));
        // In a header a number may leave its unit: "（10" and "分）".
        assert_eq!(metrics("政策解读（10分）", true), (8.0, 2.0, 1.0));
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
        assert_eq!(plan(&t, 8844, 12756).widths.len(), 4);
        assert_eq!(column_align(&t, 3), Align::Center);
    }

    #[test]
    fn em_counts_half_width() {
        assert_eq!(text_em("2021年"), 3.0);
        assert_eq!(text_em("（10分）"), 4.0);
    }
}
