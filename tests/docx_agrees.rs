//! The DOCX and the PDF layout agree, for every fixture: the DOCX's document.xml is read back
//! and compared with the pages the PDF draws (not with golden files) on title breaks, table
//! column widths, signature position and 版记 placement. Every fixture's DOCX and PDF also go
//! to target/docx-samples/ for tests/clients/docx_check.py.

mod common;

use std::io::{Cursor, Read};

use tongbao::docx::{self, read, read::Elem, DocxOptions};
use tongbao::fonts::{FontSet, Role};
use tongbao::layout::{self, Layout, LayoutOptions, TextRun, MM};

fn all<'a>(e: &'a Elem, name: &str) -> Vec<&'a Elem> {
    let mut out = vec![];
    fn go<'a>(e: &'a Elem, name: &str, out: &mut Vec<&'a Elem>) {
        for c in e.elems() {
            if c.name == name {
                out.push(c);
            }
            go(c, name, out);
        }
    }
    go(e, name, &mut out);
    out
}

fn style_of(p: &Elem) -> Option<&str> {
    p.child("w:pPr")?.child("w:pStyle")?.attr("w:val")
}

/// A paragraph's lines: its text split at `w:br`.
fn lines_of(p: &Elem) -> Vec<String> {
    let mut lines = vec![String::new()];
    for r in all(p, "w:r") {
        for c in r.elems() {
            match c.name.as_str() {
                "w:t" => lines.last_mut().unwrap().push_str(&c.text()),
                "w:br" => lines.push(String::new()),
                _ => {}
            }
        }
    }
    lines
}

fn text_of(p: &Elem) -> String {
    lines_of(p).concat()
}

fn num(e: &Elem, attr: &str) -> i32 {
    e.attr(attr).unwrap().parse().unwrap()
}

fn twips(pt: f32) -> i32 {
    (pt * 20.0).round() as i32
}

/// The title lines drawn on `page` (1-based): 小标宋 22 pt black runs, grouped by baseline.
fn drawn_title(l: &Layout, page: usize) -> Vec<String> {
    let mut lines: Vec<(f32, String)> = vec![];
    for t in l.pages[page - 1].texts() {
        if t.role != Role::Xiaobiaosong || t.size != 22.0 || t.color != layout::Color::Black {
            continue;
        }
        match lines.last_mut() {
            Some((y, s)) if (*y - t.y).abs() < 0.1 => s.push_str(&t.text),
            _ => lines.push((t.y, t.text.clone())),
        }
    }
    lines.into_iter().map(|(_, s)| s).collect()
}

fn document_xml(bytes: &[u8]) -> Elem {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut f = z.by_name("word/document.xml").unwrap();
    let mut xml = vec![];
    f.read_to_end(&mut xml).unwrap();
    read::parse("word/document.xml", &xml).unwrap().root
}

fn check(name: &str, fonts: &FontSet) {
    let prepared = common::fixture(name, None);
    let doc = &prepared.document;
    let l = layout::layout(doc, fonts, &LayoutOptions::default());
    let bytes = docx::write(doc, &l, &DocxOptions::default()).unwrap();
    let samples = common::root().join("target/docx-samples");
    std::fs::create_dir_all(&samples).unwrap();
    std::fs::write(samples.join(format!("{name}.docx")), &bytes).unwrap();
    let pdf = tongbao::pdf::write(&l, fonts, &doc.meta, &Default::default()).unwrap();
    std::fs::write(samples.join(format!("{name}.pdf")), pdf).unwrap();

    let d = document_xml(&bytes);
    let body: Vec<&Elem> = d.child("w:body").unwrap().elems().collect();
    let paras: Vec<&Elem> = all(&d, "w:p");

    // Titles: the main title, then each attachment's, broken where the PDF breaks them.
    let titles: Vec<Vec<String>> = paras
        .iter()
        .filter(|p| matches!(style_of(p), Some("GwTitle" | "GwAttachmentTitle")))
        .map(|p| lines_of(p))
        .collect();
    let mut drawn = vec![drawn_title(&l, 1)];
    for a in &l.record.attachments {
        drawn.push(drawn_title(&l, a.page));
    }
    assert_eq!(titles, drawn, "{name}: title lines");

    // Tables: DOCX grid columns on the column edges of the rules the PDF draws.
    let grids: Vec<Vec<i32>> = body
        .iter()
        .filter(|e| e.name == "w:tbl")
        .filter(|t| t.child("w:tblPr").unwrap().child("w:tblBorders").is_some())
        .map(|t| all(t, "w:gridCol").iter().map(|c| num(c, "w:w")).collect())
        .collect();
    assert_eq!(grids.len(), l.record.tables.len(), "{name}: tables");
    let mut pages_with_tables = l
        .record
        .attachments
        .iter()
        .zip(doc.attachments.iter())
        .flat_map(|(a, att)| {
            att.content
                .iter()
                .filter(|b| matches!(b, tongbao::ir::AttachmentBlock::Table(_)))
                .map(move |_| a.page)
        });
    for (k, grid) in grids.iter().enumerate() {
        let page = pages_with_tables.next().unwrap();
        // Vertical rules on the table's first page: the column edges.
        let mut xs: Vec<f32> = l.pages[page - 1]
            .rules()
            .filter(|r| (r.x1 - r.x2).abs() < 0.01 && r.width < 1.0)
            .map(|r| r.x1)
            .collect();
        xs.sort_by(f32::total_cmp);
        let left = xs[0];
        let mut edge = 0;
        for w in grid {
            edge += w;
            let x = left + edge as f32 / 20.0;
            assert!(
                xs.iter().any(|r| (r - x).abs() < 0.3),
                "{name}: table {} column edge at {x:.1} pt not drawn ({xs:?})",
                k + 1
            );
        }
    }

    // Table cells: every line the DOCX breaks a cell into is a line the PDF draws, so that a
    // word processor wraps no cell differently.
    // A drawn line: runs on one baseline that follow each other (a character from a fallback
    // face, or digits in the Latin face, are runs of their own; digits beside hanzi keep a
    // fifth of an em from them). The next cell's text is at least half an em away (padding).
    let mut drawn = std::collections::HashSet::new();
    for p in &l.pages {
        let mut line = String::new();
        let mut end: Option<(f32, f32)> = None;
        for t in p.texts() {
            let joins = end.is_some_and(|(y, x)| {
                (y - t.y).abs() < 0.01 && t.x - x > -0.5 && t.x - x < 0.3 * t.size
            });
            if !joins && !line.is_empty() {
                drawn.insert(std::mem::take(&mut line));
            }
            line.push_str(&t.text);
            let last = t.glyphs.last().map_or(0.0, |g| g.dx + g.advance);
            end = Some((t.y, t.x + last));
        }
        drawn.insert(line);
    }
    for t in body.iter().filter(|e| e.name == "w:tbl") {
        if t.child("w:tblPr").unwrap().child("w:tblBorders").is_none() {
            continue;
        }
        for p in all(t, "w:p") {
            for line in lines_of(p).iter().filter(|s| !s.is_empty()) {
                assert!(
                    drawn.contains(line.as_str()),
                    "{name}: cell line {line:?} is not drawn in the PDF"
                );
            }
        }
    }

    // Table notes: each note's first line is drawn on a page with table rows (never on a page
    // of its own), and its DOCX paragraph hangs where the PDF sets the text after 注：.
    let mut hangs = Vec::new();
    for (i, p) in l.pages.iter().enumerate() {
        let runs: Vec<&TextRun> = p.texts().collect();
        for (k, t) in runs.iter().enumerate() {
            if !t.text.starts_with("注：") {
                continue;
            }
            assert!(
                p.rules().any(|r| (r.x1 - r.x2).abs() < 0.01),
                "{name}: the note on page {} has no table rows above it",
                i + 1
            );
            let after = "注：".len() as u32;
            let x = match t.glyphs.iter().find(|g| g.range.start == after) {
                Some(g) => t.x + g.dx,
                None => runs[k + 1].x,
            };
            hangs.push(x - t.x);
        }
    }
    let noted: Vec<i32> = paras
        .iter()
        .filter(|p| text_of(p).starts_with("注：") && style_of(p) == Some("GwPlain"))
        .map(|p| {
            let ind = p.child("w:pPr").unwrap().child("w:ind");
            let ind = ind.unwrap_or_else(|| panic!("{name}: a note without a hanging indent"));
            assert_eq!(
                num(ind, "w:hanging"),
                num(ind, "w:left"),
                "{name}: note hang"
            );
            num(ind, "w:left")
        })
        .collect();
    assert_eq!(noted.len(), hangs.len(), "{name}: notes");
    for (docx, pdf) in noted.iter().zip(&hangs) {
        assert!(
            (docx - twips(*pdf)).abs() <= 20,
            "{name}: note hangs {docx} twips in the DOCX, {pdf:.1} pt in the PDF"
        );
    }

    // Signature: each line's left indent where the PDF starts it.
    if let Some(sig) = &doc.signature {
        let last_body_page = l
            .record
            .attachments
            .first()
            .map_or(l.pages.len(), |a| a.page - 1);
        let drawn_x = |text: &str| -> f32 {
            let runs: Vec<&TextRun> = l.pages[..last_body_page]
                .iter()
                .flat_map(|p| p.texts())
                .filter(|t| t.line.is_some())
                .collect();
            // The last line made of exactly this text (the signature repeats the mark's name).
            let mut found = None;
            for (i, r) in runs.iter().enumerate() {
                let same_line: String = runs[i..]
                    .iter()
                    .take_while(|o| (o.y - r.y).abs() < 0.1)
                    .map(|o| o.text.as_str())
                    .collect();
                let starts = i == 0 || (runs[i - 1].y - r.y).abs() > 0.1;
                if starts && same_line == text {
                    found = Some(r.x - layout::LEFT);
                }
            }
            found.unwrap_or_else(|| panic!("{name}: {text} not drawn"))
        };
        let record = l.record.signature.as_ref().unwrap();
        assert_eq!(
            record
                .issuer
                .iter()
                .map(|(t, _)| t.as_str())
                .collect::<String>()
                .replace('　', ""),
            sig.issuer.replace('　', ""),
            "{name}: the signature's lines"
        );
        let lines: Vec<&String> = record.issuer.iter().map(|(t, _)| t).collect();
        for text in lines.into_iter().chain([&sig.date]) {
            let p = paras
                .iter()
                .rev()
                .find(|p| text_of(p) == *text && style_of(p) == Some("GwPlain"))
                .unwrap_or_else(|| panic!("{name}: no paragraph {text}"));
            let left = num(p.child("w:pPr").unwrap().child("w:ind").unwrap(), "w:left");
            assert!(
                (left - twips(drawn_x(text))).abs() <= 2,
                "{name}: {text} at {left} twips, drawn at {:.1} pt",
                drawn_x(text)
            );
        }
    }

    // 版记: on the layout's page, rules where the PDF draws them, the DOCX table on the same
    // grid lines, after a section break exactly when it has a page of its own.
    if let Some(c) = &l.record.colophon {
        assert_eq!(c.page % 2, 0, "{name}: 版记 on an even page");
        assert_eq!(c.page, l.pages.len(), "{name}: 版记 on the last page");
        let drawn: Vec<(f32, f32)> = l.pages[c.page - 1]
            .rules()
            .filter(|r| r.width > 0.6 && r.color == layout::Color::Black)
            .map(|r| (r.y1, r.width))
            .collect();
        let recorded: Vec<(f32, f32)> = c.rules.iter().map(|r| (r.y, r.width)).collect();
        assert_eq!(drawn, recorded, "{name}: 版记 rules");
        let bottom = drawn.last().unwrap().0;
        assert!((bottom - (layout::TOP + layout::HEIGHT)).abs() < 0.01 * MM);
        let t = body
            .iter()
            .rposition(|e| e.name == "w:tbl")
            .expect("a 版记 table");
        assert!(text_of(body[t]).contains(&doc.colophon.as_ref().unwrap().printer));
        let rows: i32 = all(body[t], "w:trHeight")
            .iter()
            .map(|h| num(h, "w:val"))
            .sum();
        // The last row 20 twips short (LibreOffice's page holds 22 × 579 twips).
        assert_eq!(
            rows,
            (22 - c.first_line as i32) * 579 - 20,
            "{name}: 版记 rows"
        );
        let borders: Vec<i32> = all(body[t], "w:tcBorders")
            .iter()
            .flat_map(|b| b.elems().filter(|s| s.attr("w:val") == Some("single")))
            .map(|s| num(s, "w:sz"))
            .collect();
        let widths: Vec<i32> = c
            .rules
            .iter()
            .map(|r| (r.width * 8.0).round() as i32)
            .collect();
        assert_eq!(borders, widths, "{name}: 版记 rule widths");
        // Blank grid lines above it, down to its first line.
        let blanks = body[..t]
            .iter()
            .rev()
            .take_while(|e| e.name == "w:p" && text_of(e).is_empty())
            .count();
        assert!(
            blanks >= c.gap,
            "{name}: {blanks} blank lines above the 版记"
        );
        // After a table ending off the grid, the first of them is a spacer down to the next
        // grid line, less the 版记's top rule (a word processor adds it to the row).
        let exact: Vec<i32> = body[t - blanks..t]
            .iter()
            .filter_map(|p| p.child("w:pPr")?.child("w:spacing"))
            .map(|s| num(s, "w:line"))
            .collect();
        let spacer = twips(c.off_grid - c.rules[0].width);
        if spacer > 0 {
            assert_eq!(
                exact.first(),
                Some(&spacer),
                "{name}: spacer above the 版记"
            );
        }
        // A page of its own: a section break before the blank lines; after a blank page,
        // one of them starts the 版记's page.
        // (the paragraph carrying the break may itself be a blank line)
        let sect = body[t - blanks - 1..t].iter().any(|p| {
            p.child("w:pPr")
                .is_some_and(|p| p.child("w:sectPr").is_some())
        });
        assert_eq!(sect, c.own_page, "{name}: section break before the 版记");
        let page_break = body[t - blanks..t].iter().any(|p| {
            p.child("w:pPr")
                .unwrap()
                .child("w:pageBreakBefore")
                .is_some()
        });
        assert_eq!(
            page_break, c.blank_before,
            "{name}: blank page before the 版记"
        );
    }
}

#[test]
fn docx_follows_the_layout_for_every_fixture() {
    let fonts = FontSet::embedded();
    let mut names: Vec<String> = std::fs::read_dir(common::root().join("fixtures"))
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            (p.extension()? == "yaml").then(|| p.file_stem().unwrap().to_string_lossy().into())
        })
        .collect();
    names.sort();
    assert!(names.len() >= 10, "{names:?}");
    for name in &names {
        check(name, &fonts);
    }
}
