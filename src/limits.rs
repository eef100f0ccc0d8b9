//! Size limits of the composed document, checked before layout: far above any circular (a
//! table cell of a problem description is a few hundred characters, a paragraph a few hundred
//! more), and far below what would take the layout minutes or gigabytes. A cell of 160,000
//! characters split over hundreds of pages took 7.8 s and 1.8 GB (each continuation page
//! carries the rest of the row); a paragraph is set linearly but has a bound too. A title is
//! wrapped in linear time; a long one is only warned about (likely a paragraph pasted there).

use crate::diag::{Diagnostic, Pos, Report};
use crate::ir::{AttachmentBlock, Block, Document};

/// Longest table cell, in characters (about 20 pages of one row in the narrowest column).
pub const MAX_CELL_CHARS: usize = 5_000;
/// Longest paragraph or heading, in characters (about 130 pages).
pub const MAX_PARAGRAPH_CHARS: usize = 100_000;
/// Longest title without a warning, in characters (five lines of 20).
pub const LONG_TITLE_CHARS: usize = 100;

/// Where a long text is written in the YAML: the first line holding its first characters.
fn locate(source: &str, text: &str) -> Pos {
    let head: String = text.trim().chars().take(16).collect();
    if head.is_empty() {
        return Pos::default();
    }
    source
        .lines()
        .enumerate()
        .find_map(|(i, l)| {
            l.find(&head)
                .map(|b| Pos::new(i as u64 + 1, l[..b].chars().count() as u64 + 1))
        })
        .unwrap_or_default()
}

/// Every text of `doc` over its limit, as errors (`source` is the YAML, to locate them).
pub fn check(doc: &Document, source: &str, report: &mut Report) {
    let n = doc.meta.title.chars().count();
    if n > LONG_TITLE_CHARS {
        report.push(Diagnostic::warning(
            locate(source, &doc.meta.title),
            "document.title",
            format!(
                "标题过长：{n} 个字符，约排成 {} 行；公文标题宜简明，请检查是否误把正文写进了标题",
                n.div_ceil(20)
            ),
        ));
    }
    // `place` is only named for a text over its limit: a long table has thousands of cells.
    let mut over = |text: &str, max: usize, place: &dyn Fn() -> String, what: &str| {
        // No more characters than bytes: most texts are passed without counting.
        if text.len() <= max {
            return;
        }
        let n = text.chars().count();
        if n > max {
            report.push(Diagnostic::error(
                locate(source, text),
                place(),
                format!("{what}过长：{n} 个字符，上限为 {max} 个；请删减，或分成几段（几行）"),
            ));
        }
    };
    for (b, block) in doc.body.iter().enumerate() {
        let text = match block {
            Block::Heading { text, .. } => text.clone(),
            Block::Paragraph { runs } => runs.iter().map(|r| r.text.as_str()).collect(),
        };
        over(
            &text,
            MAX_PARAGRAPH_CHARS,
            &|| format!("正文／第{}段", b + 1),
            "段落",
        );
    }
    for att in &doc.attachments {
        for (k, block) in att.content.iter().enumerate() {
            match block {
                AttachmentBlock::Paragraph { text, .. } => over(
                    text,
                    MAX_PARAGRAPH_CHARS,
                    &|| format!("{}／第{}段", att.label, k + 1),
                    "段落",
                ),
                AttachmentBlock::Table(t) => {
                    for (r, row) in t.header.iter().chain(&t.rows).enumerate() {
                        for (c, cell) in row.iter().enumerate() {
                            over(
                                &cell.text,
                                MAX_CELL_CHARS,
                                &|| format!("{}／表格第{}行第{}个单元格", att.label, r + 1, c + 1),
                                "表格单元格",
                            );
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_cells_are_errors_with_their_place() {
        let yaml = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/example.yaml"
        ))
        .unwrap();
        let long = "区教委专栏".repeat(MAX_CELL_CHARS / 5 + 1);
        let yaml = yaml.replacen("name: 区教委专栏,", &format!("name: {long},"), 1);
        let dir = std::env::temp_dir().join(format!("tongbao-limits-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("q.yaml");
        std::fs::write(&file, &yaml).unwrap();
        let t = crate::compose::Templates::new(None).unwrap();
        let report = match crate::prepare(&file, &t, None) {
            Ok(_) => panic!("a cell of {} characters is refused", long.chars().count()),
            Err(r) => r,
        };
        let d = report
            .items
            .iter()
            .find(|d| d.message.contains("表格单元格过长"))
            .expect("the cell");
        assert!(
            d.field.starts_with("附件") && d.field.contains("／表格第"),
            "{}",
            d.field
        );
        assert!(d.pos.line > 0, "located in the YAML");
        let para = "一".repeat(MAX_PARAGRAPH_CHARS + 1);
        let yaml = yaml.replacen("一是个别专栏更新不及时。", &para, 1);
        std::fs::write(&file, &yaml).unwrap();
        let report = crate::prepare(&file, &t, None).err().expect("refused");
        assert!(
            report
                .items
                .iter()
                .any(|d| d.message.contains("段落过长") && d.field.starts_with("正文／第")),
            "{report:?}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
