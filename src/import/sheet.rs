//! One worksheet as a grid of cells: XLSX, XLS and ODS through calamine, CSV read here (UTF-8
//! with or without BOM, or GB18030 as Excel saves it on a Chinese Windows), with the merged
//! regions where the format records them.

use std::path::Path;

use calamine::{open_workbook_auto, Data, Reader, Sheets};

/// A cell's value as read.
pub type Value = Data;

/// A worksheet from its top-left corner (row 0, column 0), whatever its used range.
pub struct Grid {
    /// The sheet's name (the file name for CSV).
    pub name: String,
    pub cells: Vec<Vec<Value>>,
    /// Merged regions: (first row, first column, last row, last column), 0-based.
    pub merges: Vec<(u32, u32, u32, u32)>,
    /// Whether the format records merged regions (ODS and CSV do not, here).
    pub knows_merges: bool,
}

impl Grid {
    pub fn get(&self, row: usize, col: usize) -> &Value {
        static EMPTY: Value = Data::Empty;
        self.cells
            .get(row)
            .and_then(|r| r.get(col))
            .unwrap_or(&EMPTY)
    }

    pub fn width(&self) -> usize {
        self.cells.iter().map(Vec::len).max().unwrap_or(0)
    }

    /// The merged region covering a cell, if any.
    pub fn merge_at(&self, row: usize, col: usize) -> Option<(u32, u32, u32, u32)> {
        let (r, c) = (row as u32, col as u32);
        self.merges
            .iter()
            .copied()
            .find(|&(r0, c0, r1, c1)| r0 <= r && r <= r1 && c0 <= c && c <= c1)
    }
}

/// Which sheet to read.
pub enum Pick<'a> {
    First,
    Named(&'a str),
}

/// Why a sheet could not be read, in Chinese.
pub enum Failure {
    Unreadable(String),
    NoSuchSheet { available: Vec<String> },
}

/// Read one sheet of a workbook, or a CSV file.
pub fn read(path: &Path, pick: Pick) -> Result<Grid, Failure> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if ext == "csv" || ext == "tsv" || ext == "txt" {
        let bytes = std::fs::read(path).map_err(|e| Failure::Unreadable(io(&e)))?;
        let sep = if ext == "tsv" { '\t' } else { ',' };
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        return Ok(Grid {
            name,
            cells: csv(&decode(&bytes), sep),
            merges: Vec::new(),
            knows_merges: false,
        });
    }
    if !path.exists() {
        return Err(Failure::Unreadable("文件不存在".into()));
    }
    let mut book = open_workbook_auto(path).map_err(|e| {
        Failure::Unreadable(format!(
            "无法作为 XLSX、XLS 或 ODS 工作簿打开（{}）",
            brief(&e.to_string())
        ))
    })?;
    let names = book.sheet_names();
    let name = match pick {
        Pick::First => names.first().cloned(),
        Pick::Named(n) => names
            .iter()
            .find(|s| s.as_str() == n || s.trim() == n.trim())
            .cloned(),
    }
    .ok_or(Failure::NoSuchSheet {
        available: names.clone(),
    })?;
    let range = book.worksheet_range(&name).map_err(|e| {
        Failure::Unreadable(format!(
            "无法读取工作表“{name}”（{}）",
            brief(&e.to_string())
        ))
    })?;
    let (merges, knows_merges) = merges(&mut book, &name);
    let mut cells = Vec::new();
    if let (Some((r0, c0)), Some((r1, c1))) = (range.start(), range.end()) {
        cells = vec![Vec::new(); r1 as usize + 1];
        for r in r0..=r1 {
            let row = &mut cells[r as usize];
            row.resize(c1 as usize + 1, Data::Empty);
            for c in c0..=c1 {
                if let Some(v) = range.get_value((r, c)) {
                    row[c as usize] = v.clone();
                }
            }
        }
    }
    Ok(Grid {
        name,
        cells,
        merges,
        knows_merges,
    })
}

fn merges<RS: std::io::Read + std::io::Seek>(
    book: &mut Sheets<RS>,
    name: &str,
) -> (Vec<(u32, u32, u32, u32)>, bool) {
    let dims = match book {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(name).ok(),
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(name).ok(),
        _ => None,
    };
    match dims {
        Some(d) => (
            d.iter()
                .map(|m| (m.start.0, m.start.1, m.end.0, m.end.1))
                .collect(),
            true,
        ),
        None => (Vec::new(), false),
    }
}

fn io(e: &std::io::Error) -> String {
    crate::load::io_reason(e)
}

/// The first line of a library's message, for the parenthesis after ours.
fn brief(s: &str) -> String {
    s.lines().next().unwrap_or("").chars().take(120).collect()
}

/// CSV text: UTF-8 (a BOM dropped), else GB18030 (Excel's "CSV" on a Chinese Windows).
fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    }
}

/// RFC 4180 fields: quoted fields may hold separators, line breaks and doubled quotes.
fn csv(text: &str, sep: char) -> Vec<Vec<Value>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut was_quoted = false;
    let mut chars = text.chars().peekable();
    let push = |field: &mut String, row: &mut Vec<Value>, was_quoted: bool| {
        let f = std::mem::take(field);
        row.push(if f.is_empty() && !was_quoted {
            Data::Empty
        } else {
            Data::String(f)
        });
    };
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                '"' => quoted = false,
                c => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => {
                quoted = true;
                was_quoted = true;
            }
            c if c == sep => {
                push(&mut field, &mut row, was_quoted);
                was_quoted = false;
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                push(&mut field, &mut row, was_quoted);
                was_quoted = false;
                rows.push(std::mem::take(&mut row));
            }
            c => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() || was_quoted {
        push(&mut field, &mut row, was_quoted);
        rows.push(row);
    }
    // A quoted empty field is text, but an empty one in any case.
    for row in &mut rows {
        for v in row.iter_mut() {
            if matches!(v, Data::String(s) if s.is_empty()) {
                *v = Data::Empty;
            }
        }
    }
    rows
}

/// An Excel serial date (days since 1899-12-30) as YYYY-MM-DD.
pub fn excel_date(serial: f64) -> String {
    // Days from 1970-01-01, then the civil-from-days algorithm (H. Hinnant).
    let z = serial.floor() as i64 - 25_569 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields() {
        let rows = csv("a,\"b,1\",\"say \"\"hi\"\"\"\r\n,x\n\"多\n行\",", ',');
        assert_eq!(
            rows,
            vec![
                vec![
                    Data::String("a".into()),
                    Data::String("b,1".into()),
                    Data::String("say \"hi\"".into())
                ],
                vec![Data::Empty, Data::String("x".into())],
                vec![Data::String("多\n行".into()), Data::Empty],
            ]
        );
    }

    #[test]
    fn gb18030_csv() {
        let (bytes, _, _) = encoding_rs::GB18030.encode("主办单位,得分\n区教委,90\n");
        let rows = csv(&decode(&bytes), ',');
        assert_eq!(rows[0][0], Data::String("主办单位".into()));
    }

    #[test]
    fn serial_dates() {
        assert_eq!(excel_date(45478.0), "2024-07-05");
        assert_eq!(excel_date(45478.75), "2024-07-05");
        assert_eq!(excel_date(36526.0), "2000-01-01");
    }
}
