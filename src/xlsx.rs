//! xlsx: the attachment tables of a Document as an Excel workbook (rust_xlsxwriter), for the
//! offices that attach the 统计表 as Excel too.
//!
//! One sheet per table, named after its attachment's title (Excel allows 31 characters): the
//! label and full title on top, the lines before the table, the header rows with their merged
//! cells, the body, then the lines after it (表注). Numbers are written as numbers (得分 88.9,
//! 合格率 83.3% as 0.833 shown with one decimal), never as formulas, so a reader sees the
//! values the circular prints. Output is deterministic: the workbook's creation date is the
//! circular's 成文日期.

use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use crate::ir::{self, Attachment, AttachmentBlock, Document, Table};

/// Excel's limit on a sheet name.
const SHEET_NAME_CHARS: usize = 31;

/// The workbook's bytes. Err is a Chinese message.
pub fn write(doc: &Document) -> Result<Vec<u8>, String> {
    build(doc).map_err(|e| format!("无法生成 Excel 工作簿：{e}"))
}

fn build(doc: &Document) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let mut props = DocProperties::new()
        .set_title(&doc.meta.title)
        .set_author(&doc.meta.issuer);
    if let Some(date) = doc.meta.date.and_then(|d| {
        ExcelDateTime::from_ymd(u16::try_from(d.year).ok()?, d.month as u8, d.day as u8).ok()
    }) {
        props = props.set_creation_datetime(&date);
    }
    book.set_properties(&props);
    let styles = Styles::new();
    let mut names: Vec<String> = Vec::new();
    for att in &doc.attachments {
        let tables: Vec<&Table> = att
            .content
            .iter()
            .filter_map(|b| match b {
                AttachmentBlock::Table(t) => Some(t),
                AttachmentBlock::Paragraph { .. } => None,
            })
            .collect();
        for (k, table) in tables.iter().enumerate() {
            let name = sheet_name(&att.title, k, &names);
            let sheet = book.add_worksheet();
            sheet.set_name(&name)?;
            names.push(name);
            write_sheet(sheet, att, table, &styles)?;
        }
    }
    if names.is_empty() {
        // A workbook needs a sheet: say there is no table rather than write an empty one.
        let sheet = book.add_worksheet();
        sheet.set_name("无附件表格")?;
        sheet.write_string(0, 0, "本通报没有附件表格")?;
    }
    book.save_to_buffer()
}

/// The title as a sheet name: without the characters Excel forbids, at most 31 characters,
/// unique in the workbook (a second table of one attachment gets "（2）").
fn sheet_name(title: &str, k: usize, taken: &[String]) -> String {
    let clean: String = title
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    let clean = clean.trim_matches('\'').trim();
    let base = if clean.is_empty() { "附件" } else { clean };
    (0..)
        .map(|n| {
            let suffix = match k + n {
                0 => String::new(),
                i => format!("（{}）", i + 1),
            };
            let keep = SHEET_NAME_CHARS - suffix.chars().count();
            format!("{}{suffix}", base.chars().take(keep).collect::<String>())
        })
        .find(|name| !taken.iter().any(|t| t.eq_ignore_ascii_case(name)))
        .unwrap_or_default()
}

struct Styles {
    title: Format,
    line: Format,
    head: Format,
    text: Format,
    centre: Format,
}

impl Styles {
    fn new() -> Self {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap();
        Styles {
            title: Format::new()
                .set_bold()
                .set_font_size(16)
                .set_align(FormatAlign::Center),
            line: Format::new(),
            head: cell.clone().set_bold().set_align(FormatAlign::Center),
            text: cell.clone().set_align(FormatAlign::Left),
            centre: cell.set_align(FormatAlign::Center),
        }
    }
}

fn write_sheet(
    sheet: &mut Worksheet,
    att: &Attachment,
    table: &Table,
    st: &Styles,
) -> Result<(), XlsxError> {
    let ncols = table.columns.len().max(
        table
            .header
            .iter()
            .chain(&table.rows)
            .map(|r| r.iter().map(|c| c.col_span.max(1) as usize).sum())
            .max()
            .unwrap_or(1),
    );
    let last_col = (ncols - 1) as u16;
    let mut row: u32 = 0;
    sheet.write_string(row, 0, &att.label)?;
    row += 1;
    merged_line(sheet, row, last_col, &att.title, &st.title)?;
    row += 1;
    let (before, after) = around(att, table);
    for text in before {
        merged_line(sheet, row, last_col, text, &st.line)?;
        row += 1;
    }
    let header_top = row;
    row = cells(sheet, row, &table.header, ncols, table, st, true)?;
    if row > header_top {
        sheet.set_repeat_rows(header_top, row - 1)?;
        sheet.set_freeze_panes(row, 0)?;
    }
    row = cells(sheet, row, &table.rows, ncols, table, st, false)?;
    for text in after {
        merged_line(sheet, row, last_col, text, &st.line)?;
        row += 1;
    }
    for (c, width) in widths(table, ncols).into_iter().enumerate() {
        sheet.set_column_width(c as u16, width)?;
    }
    if ncols > 8 {
        sheet.set_landscape();
    }
    Ok(())
}

/// The attachment's lines before and after this table.
fn around<'a>(att: &'a Attachment, table: &Table) -> (Vec<&'a str>, Vec<&'a str>) {
    let at = att
        .content
        .iter()
        .position(|b| matches!(b, AttachmentBlock::Table(t) if std::ptr::eq(t, table)))
        .unwrap_or(0);
    let lines = |blocks: &'a [AttachmentBlock]| {
        blocks
            .iter()
            .filter_map(|b| match b {
                AttachmentBlock::Paragraph { text, .. } => Some(text.as_str()),
                AttachmentBlock::Table(_) => None,
            })
            .collect::<Vec<_>>()
    };
    // Lines up to the previous table belong to it.
    let start = att.content[..at]
        .iter()
        .rposition(|b| matches!(b, AttachmentBlock::Table(_)))
        .map_or(0, |i| i + 1);
    let end = att.content[at + 1..]
        .iter()
        .position(|b| matches!(b, AttachmentBlock::Table(_)))
        .map_or(att.content.len(), |i| at + 1 + i);
    (
        lines(&att.content[start..at]),
        lines(&att.content[at + 1..end]),
    )
}

fn merged_line(
    sheet: &mut Worksheet,
    row: u32,
    last_col: u16,
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    if last_col == 0 {
        sheet.write_string_with_format(row, 0, text, format)?;
    } else {
        sheet.merge_range(row, 0, row, last_col, text, format)?;
    }
    Ok(())
}

/// Write rows of cells from `top`, merging spans; returns the next free row.
fn cells(
    sheet: &mut Worksheet,
    top: u32,
    rows: &[Vec<ir::Cell>],
    ncols: usize,
    table: &Table,
    st: &Styles,
    header: bool,
) -> Result<u32, XlsxError> {
    for (r, placed) in ir::grid(rows, ncols).into_iter().enumerate() {
        let row = top + r as u32;
        for (col, cell) in placed {
            let format = if header {
                &st.head
            } else if matches!(
                table.columns.get(col).map(|c| c.align),
                Some(ir::Align::Left | ir::Align::Justify)
            ) {
                &st.text
            } else {
                &st.centre
            };
            let (cs, rs) = (cell.col_span.max(1) as u32, cell.row_span.max(1) as u32);
            let last_col = (col as u32 + cs - 1).min(ncols as u32 - 1) as u16;
            let last_row = row + rs - 1;
            if cs > 1 || rs > 1 {
                // The merged range carries the text; a number in it stays a number.
                sheet.merge_range(row, col as u16, last_row, last_col, "", format)?;
            }
            value(sheet, row, col as u16, &cell.text, format, header)?;
        }
    }
    Ok(top + rows.len() as u32)
}

/// A cell as a number when it is one as printed (88.9, 83.3%), else as text.
fn value(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    text: &str,
    format: &Format,
    header: bool,
) -> Result<(), XlsxError> {
    match (!header).then(|| number(text)).flatten() {
        Some((n, num_format)) => {
            let f = format.clone().set_num_format(num_format);
            sheet.write_number_with_format(row, col, n, &f)?;
        }
        None => {
            sheet.write_string_with_format(row, col, text, format)?;
        }
    }
    Ok(())
}

/// A printed number and the Excel format that prints it the same way: "88.9" → (88.9,
/// "0.0"), "83.3%" → (0.833, "0.0%"). Codes with a leading zero or more than 15 digits
/// (备案号) stay text.
fn number(text: &str) -> Option<(f64, String)> {
    let t = text.trim();
    let (body, percent) = match t.strip_suffix('%') {
        Some(b) => (b, true),
        None => (t, false),
    };
    let digits = body.trim_start_matches('-');
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let plain = !int.is_empty()
        && int.chars().all(|c| c.is_ascii_digit())
        && frac.chars().all(|c| c.is_ascii_digit())
        && !(int.len() > 1 && int.starts_with('0'))
        && int.len() + frac.len() <= 15;
    if !plain || (digits.contains('.') && frac.is_empty()) {
        return None;
    }
    let n: f64 = body.parse().ok()?;
    let decimals = if frac.is_empty() {
        String::new()
    } else {
        format!(".{}", "0".repeat(frac.len()))
    };
    Some(if percent {
        (n / 100.0, format!("0{decimals}%"))
    } else {
        (n, format!("0{decimals}"))
    })
}

/// Column widths in Excel's character units: the widest text of the column (a CJK character
/// counts two), at least 4 and at most 40, headers wrapped to that.
fn widths(table: &Table, ncols: usize) -> Vec<f64> {
    let mut w = vec![4.0f64; ncols];
    for placed in ir::grid(&table.rows, ncols) {
        for (col, cell) in placed {
            if cell.col_span <= 1 {
                w[col] = w[col].max(display_width(&cell.text) + 2.0);
            }
        }
    }
    for placed in ir::grid(&table.header, ncols) {
        for (col, cell) in placed {
            if cell.col_span <= 1 {
                // Headers wrap: half their width, but the longest word must fit.
                w[col] = w[col].max((display_width(&cell.text) / 2.0).max(4.0) + 2.0);
            }
        }
    }
    w.into_iter().map(|x| x.min(40.0)).collect()
}

fn display_width(s: &str) -> f64 {
    s.chars()
        .map(|c| if c.is_ascii() { 1.0 } else { 2.0 })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_numbers() {
        assert_eq!(number("100"), Some((100.0, "0".into())));
        assert_eq!(number("88.9"), Some((88.9, "0.0".into())));
        assert_eq!(number("83.3%"), Some((0.833, "0.0%".into())));
        assert_eq!(number("-2.5"), Some((-2.5, "0.0".into())));
        assert_eq!(number("100%"), Some((1.0, "0%".into())));
        for text in [
            "不考核",
            "是",
            "",
            "007",
            "50010602000123456",
            "1.",
            "1e5",
            "第1名",
        ] {
            assert_eq!(number(text), None, "{text}");
        }
    }

    #[test]
    fn sheet_names_fit_excel() {
        let long = "2021年第二季度全区政府网站和政府系统政务新媒体检查情况统计表（专栏）";
        let a = sheet_name(long, 0, &[]);
        assert_eq!(a.chars().count(), 31);
        let b = sheet_name(long, 0, std::slice::from_ref(&a));
        assert!(b.ends_with("（2）") && b.chars().count() == 31, "{b}");
        assert_eq!(sheet_name("表[1]:a/b", 0, &[]), "表_1__a_b");
    }
}
