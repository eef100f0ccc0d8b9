//! An IR table as an HTML table: `caption`, header rows in `thead` with `th scope`, merged
//! cells as `rowspan`/`colspan`, inside a box that scrolls sideways on its own (the page never
//! widens on a phone).

use crate::fonts::is_wide;
use crate::ir::{Align, Cell, Table};

use super::markup;

/// Widest a column is sized for, in em: longer cells wrap.
const MAX_COLUMN_EM: f32 = 12.0;
/// Narrowest column, in em (a 序号 or a score).
const MIN_COLUMN_EM: f32 = 2.5;

/// Write `t` with its caption; `id` names the caption for the scroll box's label.
pub fn write(out: &mut String, t: &Table, caption: &str, id: &str) {
    // The scroll box is focusable and named so keyboard users can scroll it (WCAG 2.1.1);
    // its overflow is inline as well, so the pasted fragment scrolls without the page's CSS.
    out.push_str("<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"");
    markup::attr(out, id);
    out.push_str("\" style=\"overflow-x:auto;max-width:100%\">\n<table style=\"min-width:");
    out.push_str(&format!("{:.0}em", min_width_em(t)));
    out.push_str("\">\n<caption id=\"");
    markup::attr(out, id);
    out.push_str("\">");
    markup::text(out, caption);
    out.push_str("</caption>\n");
    let aligns: Vec<Align> = t.columns.iter().map(|c| c.align).collect();
    if !t.header.is_empty() {
        out.push_str("<thead>\n");
        rows(out, &t.header, &aligns, true);
        out.push_str("</thead>\n");
    }
    out.push_str("<tbody>\n");
    rows(out, &t.rows, &aligns, false);
    out.push_str("</tbody>\n</table>\n</div>\n");
}

/// Rows of one section; `header` cells become `th` with the scope their span gives them.
fn rows(out: &mut String, rows: &[Vec<Cell>], aligns: &[Align], header: bool) {
    // Rows still covered by a cell above, per column: a cell's column is the first free one.
    let mut covered = vec![0u16; aligns.len().max(1)];
    for row in rows {
        out.push_str("<tr>");
        let mut col = 0usize;
        for cell in row {
            while col < covered.len() && covered[col] > 0 {
                col += 1;
            }
            let span = cell.col_span.max(1) as usize;
            for c in covered.iter_mut().skip(col).take(span) {
                *c = cell.row_span.max(1);
            }
            let th = header && !cell.text.is_empty();
            out.push_str(if th { "<th" } else { "<td" });
            if th {
                out.push_str(if span > 1 {
                    " scope=\"colgroup\""
                } else {
                    " scope=\"col\""
                });
            }
            if let Some(class) = aligns.get(col).map(|a| align_class(*a)) {
                out.push_str(" class=\"");
                out.push_str(class);
                out.push('"');
            }
            if span > 1 {
                out.push_str(&format!(" colspan=\"{span}\""));
            }
            if cell.row_span > 1 {
                out.push_str(&format!(" rowspan=\"{}\"", cell.row_span));
            }
            out.push('>');
            markup::text(out, &cell.text);
            out.push_str(if th { "</th>" } else { "</td>" });
            col += span;
        }
        out.push_str("</tr>\n");
        for c in &mut covered {
            *c = c.saturating_sub(1);
        }
    }
}

/// The class that sets text alignment (`.l`, `.c`, `.r`, `.j` in the stylesheet).
pub fn align_class(a: Align) -> &'static str {
    match a {
        Align::Left => "l",
        Align::Center => "c",
        Align::Right => "r",
        Align::Justify => "j",
    }
}

/// Width in em of a cell's text on one line (half-width characters take half an em).
fn text_em(s: &str) -> f32 {
    s.chars().map(|c| if is_wide(c) { 1.0 } else { 0.55 }).sum()
}

/// The width a table needs to stay legible: each column as wide as its longest single-column
/// cell up to [`MAX_COLUMN_EM`], plus padding. A phone scrolls the table instead of
/// squeezing it to a character a line.
fn min_width_em(t: &Table) -> f32 {
    let n = t.columns.len().max(1);
    let mut widths = vec![MIN_COLUMN_EM; n];
    for row in t.header.iter().chain(&t.rows) {
        // Cells are at their top-left column; spanning cells do not size a column.
        let mut col = 0usize;
        for cell in row {
            if cell.col_span <= 1 && cell.row_span <= 1 && col < n {
                let w = text_em(&cell.text).min(MAX_COLUMN_EM);
                widths[col] = widths[col].max(w);
            }
            col += cell.col_span.max(1) as usize;
        }
    }
    widths.iter().map(|w| w + 0.8).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::Column;

    fn cols(n: usize) -> Vec<Column> {
        (0..n)
            .map(|i| Column {
                width: None,
                align: if i == 0 { Align::Center } else { Align::Left },
                hint_at: None,
            })
            .collect()
    }

    #[test]
    fn merged_header_cells_span_and_scope() {
        let t = Table {
            columns: cols(3),
            header: vec![
                vec![Cell::span("序号", 1, 2), Cell::span("内容更新", 2, 1)],
                vec![Cell::new("周扫描"), Cell::new("季度检查")],
            ],
            rows: vec![vec![Cell::new("1"), Cell::new("2"), Cell::new("<3>")]],
        };
        let mut s = String::new();
        write(&mut s, &t, "表", "t1");
        assert!(
            s.contains("<th scope=\"col\" class=\"c\" rowspan=\"2\">序号</th>"),
            "{s}"
        );
        assert!(s.contains("<th scope=\"colgroup\" class=\"l\" colspan=\"2\">内容更新</th>"));
        // The second header row starts in column 1 (column 0 is covered by 序号).
        assert!(
            s.contains("<tr><th scope=\"col\" class=\"l\">周扫描</th>"),
            "{s}"
        );
        assert!(s.contains("<td class=\"l\">&lt;3&gt;</td>"));
        assert!(s.contains("<caption id=\"t1\">表</caption>"));
    }

    #[test]
    fn a_cell_spanning_rows_shifts_the_cells_below_it() {
        let t = Table {
            columns: cols(2),
            header: vec![],
            rows: vec![
                vec![Cell::span("优秀", 1, 2), Cell::new("甲")],
                vec![Cell::new("乙")],
            ],
        };
        let mut s = String::new();
        write(&mut s, &t, "表", "t");
        assert!(s.contains("<td class=\"c\" rowspan=\"2\">优秀</td><td class=\"l\">甲</td>"));
        assert!(s.contains("<tr><td class=\"l\">乙</td></tr>"), "{s}");
        assert!(!s.contains("<thead>"));
    }

    #[test]
    fn long_cells_widen_the_table_up_to_a_limit() {
        let t = Table {
            columns: cols(2),
            header: vec![],
            rows: vec![vec![Cell::new("1"), Cell::new("很".repeat(40))]],
        };
        assert_eq!(min_width_em(&t), MIN_COLUMN_EM + MAX_COLUMN_EM + 1.6);
    }
}
