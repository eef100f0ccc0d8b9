//! Structure of the DOCX written for a realistic document (seed 000 built by hand): every part
//! is parsed back from the package and inspected as XML, never compared as strings.

mod common;

use std::io::{Cursor, Read};

use tongbao::docx::{self, read, read::Elem, DocxOptions, Error};
use tongbao::fonts::FontSet;
use tongbao::ir::*;
use tongbao::layout::{layout, Layout, LayoutOptions};

fn part(docx: &[u8], path: &str) -> Elem {
    let mut z = zip::ZipArchive::new(Cursor::new(docx)).unwrap();
    let mut f = z.by_name(path).unwrap_or_else(|_| panic!("no {path}"));
    let mut bytes = vec![];
    f.read_to_end(&mut bytes).unwrap();
    read::parse(path, &bytes).unwrap().root
}

fn laid(doc: &Document) -> Layout {
    layout(doc, &FontSet::embedded(), &LayoutOptions::default())
}

/// The DOCX of `doc` as its layout decided it.
fn write(doc: &Document) -> Result<Vec<u8>, Error> {
    docx::write(doc, &laid(doc), &DocxOptions::default())
}

fn seed() -> Vec<u8> {
    write(&common::seed000()).unwrap()
}

/// All descendants named `name`, depth first.
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

fn text_of(p: &Elem) -> String {
    all(p, "w:t").iter().map(|t| t.text()).collect()
}

fn style_of(p: &Elem) -> Option<&str> {
    p.child("w:pPr")?.child("w:pStyle")?.attr("w:val")
}

fn paragraph<'a>(doc: &'a Elem, starts: &str) -> &'a Elem {
    all(doc, "w:p")
        .into_iter()
        .find(|p| text_of(p).starts_with(starts))
        .unwrap_or_else(|| panic!("no paragraph starting {starts}"))
}

/// The attachments' tables (bordered; the 版记 table has only its rules).
fn tables(doc: &Elem) -> Vec<&Elem> {
    doc.child("w:body")
        .unwrap()
        .elems()
        .filter(|e| e.name == "w:tbl")
        .filter(|t| t.child("w:tblPr").unwrap().child("w:tblBorders").is_some())
        .collect()
}

/// Every part of the package parsed to its end, each character one XML 1.0 allows.
fn assert_well_formed(docx: &[u8]) {
    let mut z = zip::ZipArchive::new(Cursor::new(docx)).unwrap();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().to_string();
        let mut xml = String::new();
        f.read_to_string(&mut xml)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        if let Some(c) = xml.chars().find(|&c| !tongbao::xml::is_allowed(c)) {
            panic!("{name} holds {c:?}");
        }
        let mut r = quick_xml::Reader::from_str(&xml);
        r.config_mut().check_end_names = true;
        let mut depth = 0i64;
        loop {
            match r.read_event() {
                Ok(quick_xml::events::Event::Start(_)) => depth += 1,
                Ok(quick_xml::events::Event::End(_)) => depth -= 1,
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("{name} is not well-formed: {e}"),
            }
        }
        assert_eq!(depth, 0, "{name}: unclosed elements");
    }
}

/// Writes the sample to target/docx-samples/ for tests/clients/docx_check.sh; the file on disk
/// is the package, well-formed.
#[test]
fn write_samples() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/docx-samples");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("handmade-seed-000.docx");
    std::fs::write(&path, seed()).unwrap();
    let on_disk = std::fs::read(&path).unwrap();
    assert_eq!(on_disk, seed());
    assert_well_formed(&on_disk);
    assert!(text_of(&part(&on_disk, "word/document.xml")).contains("重庆市大足区人民政府办公室"));
}

/// Control characters and noncharacters that reach the writer (the loader refuses them) still
/// give well-formed parts: U+FFFD stands in for each, the rest of the text is kept.
#[test]
fn hostile_strings_give_well_formed_parts() {
    let mut d = common::seed000();
    let hostile = tongbao::xml::HOSTILE.concat();
    d.meta.title = hostile.clone();
    d.meta.issuer = hostile.clone();
    d.title = format!("关于{hostile}的通报");
    d.recipients = Some(hostile.clone());
    d.body.push(common::para(&hostile));
    if let Some(AttachmentBlock::Table(t)) = d.attachments[0]
        .content
        .iter_mut()
        .find(|b| matches!(b, AttachmentBlock::Table(_)))
    {
        t.rows[0][1] = Cell::new(hostile.clone());
    }
    if let Some(c) = &mut d.colophon {
        c.printer = hostile.clone();
    }
    let bytes = write(&d).unwrap();
    assert_well_formed(&bytes);
    let body = text_of(&part(&bytes, "word/document.xml"));
    assert!(
        body.contains("某某区\u{FFFD}政府"),
        "the text around is kept"
    );
    let core = part(&bytes, "docProps/core.xml");
    assert!(core.child("dc:title").unwrap().text().contains("响铃"));
}

#[test]
fn two_writes_are_byte_identical() {
    assert_eq!(seed(), seed());
}

#[test]
fn package_is_deflated_ordered_and_dated() {
    let bytes = seed();
    let mut z = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
    // Every relationships part belongs to a part that exists.
    let names: Vec<String> = z.file_names().map(str::to_owned).collect();
    for n in &names {
        if let Some(rest) = n.strip_prefix("word/_rels/") {
            let source = format!("word/{}", rest.trim_end_matches(".rels"));
            assert!(names.contains(&source), "{n} without {source}");
        }
    }
    assert_eq!(z.by_index(0).unwrap().name(), "[Content_Types].xml");
    for i in 0..z.len() {
        let f = z.by_index(i).unwrap();
        assert_eq!(
            f.compression(),
            zip::CompressionMethod::Deflated,
            "{}",
            f.name()
        );
        let t = f.last_modified().unwrap();
        assert_eq!((t.year(), t.month(), t.day()), (2021, 7, 7), "{}", f.name());
    }
    // Deflate: the 100-row document is far smaller than its XML.
    let xml = z.by_name("word/document.xml").unwrap().size();
    assert!((bytes.len() as u64) * 5 < xml, "{} vs {xml}", bytes.len());
}

#[test]
fn every_part_is_in_schema_order() {
    let bytes = seed();
    for path in [
        "word/document.xml",
        "word/styles.xml",
        "word/settings.xml",
        "word/footer1.xml",
        "word/footer2.xml",
        "word/footer3.xml",
    ] {
        let root = part(&bytes, path);
        assert_eq!(common::schema::order_violation(&root), None, "{path}");
    }
}

#[test]
fn named_styles_exist_once_with_gbt9704_fonts_and_indents() {
    let styles = part(&seed(), "word/styles.xml");
    let by_id = |id: &str| {
        let found: Vec<&Elem> = styles
            .elems()
            .filter(|s| s.attr("w:styleId") == Some(id))
            .collect();
        assert_eq!(found.len(), 1, "style {id} appears {} times", found.len());
        found[0]
    };
    for id in [
        "Normal",
        "GwBody",
        "GwTitle",
        "GwHeading1",
        "GwHeading2",
        "GwHeading3",
        "GwHeading4",
        "GwHeading2Char",
        "GwAttachmentLabel",
        "GwAttachmentTitle",
        "GwTableText",
        "GwTableHeader",
        "GwColophon",
        "GwColophonCc",
        "GwPageNumber",
        "GwMark",
    ] {
        by_id(id);
    }
    assert_eq!(by_id("Normal").attr("w:default"), Some("1"));
    let font = |id: &str| {
        by_id(id)
            .child("w:rPr")
            .and_then(|r| r.child("w:rFonts"))
            .and_then(|f| f.attr("w:eastAsia"))
            .map(str::to_owned)
    };
    assert_eq!(font("Normal").as_deref(), Some("仿宋_GB2312"));
    assert_eq!(font("GwTitle").as_deref(), Some("方正小标宋简体"));
    assert_eq!(font("GwHeading1").as_deref(), Some("黑体"));
    assert_eq!(font("GwHeading2").as_deref(), Some("楷体_GB2312"));
    assert_eq!(font("GwPageNumber").as_deref(), Some("宋体"));
    let ind = by_id("GwBody")
        .child("w:pPr")
        .unwrap()
        .child("w:ind")
        .unwrap();
    assert_eq!(ind.attr("w:firstLineChars"), Some("200"));
    assert_eq!(ind.attr("w:firstLine"), Some("640"));
    // Exact 28.95 pt lines and −0.25 pt character spacing everywhere by default.
    let normal_spacing = by_id("Normal")
        .child("w:pPr")
        .unwrap()
        .child("w:spacing")
        .unwrap();
    assert_eq!(normal_spacing.attr("w:line"), Some("579"));
    assert_eq!(normal_spacing.attr("w:lineRule"), Some("exact"));
    let defaults = styles.child("w:docDefaults").unwrap();
    let sp = all(defaults, "w:spacing");
    assert!(sp.iter().any(|s| s.attr("w:val") == Some("-5")), "{sp:?}");
    // Configurable names.
    let mut opts = DocxOptions::default();
    opts.fonts.body = "FangSong".into();
    let doc = common::seed000();
    let styles = part(
        &docx::write(&doc, &laid(&doc), &opts).unwrap(),
        "word/styles.xml",
    );
    assert!(all(&styles, "w:rFonts")
        .iter()
        .any(|f| f.attr("w:eastAsia") == Some("FangSong")));
}

#[test]
fn page_setup_is_gbt9704() {
    let doc = part(&seed(), "word/document.xml");
    let sects = all(&doc, "w:sectPr");
    assert!(!sects.is_empty());
    for s in &sects {
        let sz = s.child("w:pgSz").unwrap();
        let mar = s.child("w:pgMar").unwrap();
        if sz.attr("w:orient") != Some("landscape") {
            // The 22-line grid (landscape table pages have none).
            let grid = s.child("w:docGrid").unwrap();
            assert_eq!(grid.attr("w:type"), Some("lines"));
            assert_eq!(grid.attr("w:linePitch"), Some("579"));
            assert_eq!(
                (sz.attr("w:w"), sz.attr("w:h")),
                (Some("11906"), Some("16838"))
            );
            assert_eq!(
                [
                    mar.attr("w:top"),
                    mar.attr("w:bottom"),
                    mar.attr("w:left"),
                    mar.attr("w:right")
                ],
                [Some("2098"), Some("1984"), Some("1587"), Some("1475")]
            );
        }
        // Odd and even footers on every section.
        let refs: Vec<_> = s
            .elems()
            .filter(|e| e.name == "w:footerReference")
            .filter_map(|e| e.attr("w:type"))
            .collect();
        assert_eq!(refs, ["default", "even"]);
    }
    let settings = part(&seed(), "word/settings.xml");
    assert!(settings.child("w:evenAndOddHeaders").is_some());
}

#[test]
fn footers_are_dash_page_dash_with_one_character_inset() {
    let bytes = seed();
    for (path, jc, side) in [
        ("word/footer1.xml", "right", "w:right"),
        ("word/footer2.xml", "left", "w:left"),
    ] {
        let f = part(&bytes, path);
        let p = &all(&f, "w:p")[0];
        let ppr = p.child("w:pPr").unwrap();
        assert_eq!(ppr.child("w:jc").unwrap().attr("w:val"), Some(jc), "{path}");
        assert_eq!(
            ppr.child("w:ind").unwrap().attr(side),
            Some("280"),
            "{path}"
        );
        assert_eq!(text_of(p), "— 1 —");
        let instr: String = all(p, "w:instrText").iter().map(|i| i.text()).collect();
        assert_eq!(instr.trim(), "PAGE");
    }
}

#[test]
fn header_mark_rule_title_and_body_paragraphs() {
    let doc = part(&seed(), "word/document.xml");
    let mark = paragraph(&doc, "重庆市大足区人民政府办公室");
    assert_eq!(style_of(mark), Some("GwMark"));
    let num = paragraph(&doc, "大足府办发〔2021〕85号");
    let rule = num
        .child("w:pPr")
        .unwrap()
        .child("w:pBdr")
        .unwrap()
        .child("w:bottom")
        .unwrap();
    assert_eq!(rule.attr("w:color"), Some("FF0000"));
    let title = paragraph(&doc, "关于2021年");
    assert_eq!(style_of(title), Some("GwTitle"));
    assert_eq!(all(title, "w:br").len(), 1, "title wraps into two lines");
    assert_eq!(style_of(paragraph(&doc, "各镇街人民政府")), Some("GwPlain"));
    assert!(text_of(paragraph(&doc, "各镇街人民政府")).ends_with("有关单位："));
    assert_eq!(
        style_of(paragraph(&doc, "一、总体情况")),
        Some("GwHeading1")
    );
    assert_eq!(style_of(paragraph(&doc, "此次共检查")), Some("GwBody"));
    // Run-in heading: one paragraph, first run in the heading face.
    let p = paragraph(&doc, "（一）进一步强化日常监管。");
    assert_eq!(style_of(p), Some("GwBody"));
    let runs = all(p, "w:r");
    assert_eq!(runs.len(), 2);
    let rstyle = |r: &Elem| {
        r.child("w:rPr")
            .and_then(|x| x.child("w:rStyle"))
            .and_then(|x| x.attr("w:val"))
            .map(str::to_owned)
    };
    assert_eq!(rstyle(runs[0]).as_deref(), Some("GwHeading2Char"));
    assert_eq!(rstyle(runs[1]), None);
    assert!(text_of(runs[1]).starts_with("各单位要充分认识"));
    // 附件说明, signature, 附注.
    assert!(text_of(paragraph(&doc, "附件：1．")).ends_with("检查情况统计表"));
    let second = paragraph(&doc, "2．2021年");
    let ind = second.child("w:pPr").unwrap().child("w:ind").unwrap();
    assert!(ind.attr("w:hanging").is_some());
    assert_eq!(
        style_of(paragraph(&doc, "（此件主动公开）")),
        Some("GwBody")
    );
    let date = paragraph(&doc, "2021年7月7日");
    let sig = all(&doc, "w:p")
        .into_iter()
        .filter(|p| text_of(p) == "重庆市大足区人民政府办公室")
        .nth(1)
        .expect("signature paragraph");
    let left = |p: &Elem| -> i32 {
        p.child("w:pPr")
            .unwrap()
            .child("w:ind")
            .unwrap()
            .attr("w:left")
            .unwrap()
            .parse()
            .unwrap()
    };
    // Date starts two characters (2 × 156 mm / 28) right of the signature's first character.
    assert_eq!(left(date) - left(sig), 632);
}

#[test]
fn attachments_start_pages_with_label_then_title_on_line_three() {
    let doc = part(&seed(), "word/document.xml");
    let body: Vec<&Elem> = doc.child("w:body").unwrap().elems().collect();
    for (label, title) in [
        ("附件1", "2021年第二季度全区政府网站专栏检查情况统计表"),
        (
            "附件2",
            "2021年第二季度全区政府系统政务新媒体检查情况统计表",
        ),
    ] {
        let i = body
            .iter()
            .position(|e| e.name == "w:p" && text_of(e) == label)
            .unwrap();
        assert_eq!(style_of(body[i]), Some("GwAttachmentLabel"));
        let ppr = body[i].child("w:pPr").unwrap();
        let new_section = body[i - 1]
            .child("w:pPr")
            .is_some_and(|p| p.child("w:sectPr").is_some());
        assert!(
            ppr.child("w:pageBreakBefore").is_some() || new_section,
            "{label} starts a page"
        );
        assert_eq!(text_of(body[i + 1]), "", "line 2 is blank");
        assert_eq!(style_of(body[i + 2]), Some("GwAttachmentTitle"));
        assert_eq!(text_of(body[i + 2]), title);
        assert_eq!(text_of(body[i + 3]), "", "a blank line before the content");
    }
}

#[test]
fn tables_repeat_merged_headers_and_merge_as_the_ir_spans() {
    let doc = part(&seed(), "word/document.xml");
    let t = tables(&doc);
    assert_eq!(t.len(), 2);
    for (tbl, cols, rows) in [(t[0], 15, 65), (t[1], 14, 35)] {
        let grid = tbl.child("w:tblGrid").unwrap().elems().count();
        assert_eq!(grid, cols);
        let trs: Vec<&Elem> = tbl.elems().filter(|e| e.name == "w:tr").collect();
        assert_eq!(trs.len(), rows);
        for (i, tr) in trs.iter().enumerate() {
            let header = tr
                .child("w:trPr")
                .is_some_and(|p| p.child("w:tblHeader").is_some());
            assert_eq!(header, i < 2, "row {i}");
            // Every row covers every grid column.
            let covered: usize = tr
                .elems()
                .filter(|e| e.name == "w:tc")
                .map(|tc| {
                    tc.child("w:tcPr")
                        .and_then(|p| p.child("w:gridSpan"))
                        .and_then(|g| g.attr("w:val"))
                        .map_or(1, |v| v.parse().unwrap())
                })
                .sum();
            assert_eq!(covered, cols, "row {i}");
        }
        let tcs =
            |r: usize| -> Vec<&Elem> { trs[r].elems().filter(|e| e.name == "w:tc").collect() };
        let vmerge = |tc: &Elem| {
            tc.child("w:tcPr")
                .and_then(|p| p.child("w:vMerge"))
                .map(|v| v.attr("w:val").unwrap_or("continue").to_owned())
        };
        // 序号 spans both header rows; 内容更新 spans two columns over 周扫描 / 季度检查.
        assert_eq!(vmerge(tcs(0)[0]).as_deref(), Some("restart"));
        assert_eq!(vmerge(tcs(1)[0]).as_deref(), Some("continue"));
        let span = tcs(0)
            .into_iter()
            .find(|tc| text_of(tc).starts_with("内容更新"))
            .unwrap();
        assert_eq!(
            span.child("w:tcPr")
                .unwrap()
                .child("w:gridSpan")
                .unwrap()
                .attr("w:val"),
            Some("2")
        );
        let second: Vec<String> = tcs(1)
            .iter()
            .map(|tc| text_of(tc))
            .filter(|t| !t.is_empty())
            .collect();
        assert_eq!(second, ["周扫描", "季度检查"]);
        // Header in 黑体 (style), body in 仿宋.
        assert_eq!(style_of(all(tcs(0)[0], "w:p")[0]), Some("GwTableHeader"));
        assert_eq!(style_of(all(tcs(2)[0], "w:p")[0]), Some("GwTableText"));
    }
}

fn small_doc(table: Table) -> Document {
    let mut d = common::seed000();
    d.attachments.truncate(1);
    d.attachments[0].content = vec![AttachmentBlock::Table(table)];
    d.attachment_note.truncate(1);
    d
}

#[test]
fn body_row_spans_become_vertical_merges() {
    // Seed 002: the 等次 column spans the rows of each tier.
    let c = |t: &str| Cell::new(t);
    let table = Table {
        columns: (0..3)
            .map(|_| Column {
                width: None,
                align: Align::Center,
                hint_at: None,
            })
            .collect(),
        header: vec![vec![c("等次"), c("网站名称"), c("得分")]],
        rows: vec![
            vec![Cell::span("优秀", 1, 2), c("甲网站"), c("98")],
            vec![c("乙网站"), c("95")],
            vec![c("良好"), c("丙网站"), c("88")],
        ],
    };
    let doc = part(&write(&small_doc(table)).unwrap(), "word/document.xml");
    let tbl = tables(&doc)[0];
    let trs: Vec<&Elem> = tbl.elems().filter(|e| e.name == "w:tr").collect();
    let first = |r: usize| trs[r].elems().find(|e| e.name == "w:tc").unwrap();
    fn vm(tc: &Elem) -> Option<Option<String>> {
        let v = tc.child("w:tcPr").unwrap().child("w:vMerge")?;
        Some(v.attr("w:val").map(str::to_owned))
    }
    assert_eq!(vm(first(1)), Some(Some("restart".into())));
    assert_eq!(
        vm(first(2)),
        Some(Some("continue".into())),
        "continuation cell"
    );
    let row2: Vec<String> = trs[2]
        .elems()
        .filter(|e| e.name == "w:tc")
        .map(text_of)
        .collect();
    assert_eq!(row2, ["", "乙网站", "95"]);
    assert_eq!(vm(first(3)), None);
    // One header row, marked; body rows are not.
    assert_eq!(all(tbl, "w:tblHeader").len(), 1);
}

#[test]
fn a_table_too_wide_for_portrait_gets_a_landscape_section() {
    let columns = 60;
    let table = Table {
        columns: (0..columns)
            .map(|_| Column {
                width: None,
                align: Align::Center,
                hint_at: None,
            })
            .collect(),
        header: vec![(0..columns).map(|i| Cell::new(format!("列{i}"))).collect()],
        rows: vec![(0..columns).map(|_| Cell::new("甲")).collect()],
    };
    let d = small_doc(table);
    let blank_before = laid(&d).record.colophon.unwrap().blank_before;
    let bytes = write(&d).unwrap();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/docx-samples");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("handmade-landscape.docx"), &bytes).unwrap();
    let doc = part(&bytes, "word/document.xml");
    let sects = all(&doc, "w:sectPr");
    let orient: Vec<Option<&str>> = sects
        .iter()
        .map(|s| s.child("w:pgSz").unwrap().attr("w:orient"))
        .collect();
    // Portrait body, landscape attachment, portrait again for the 版记.
    assert_eq!(orient, [None, Some("landscape"), None]);
    // The 版记's own page, without a number when a blank page precedes it.
    let numbered = |s: &Elem| {
        s.elems()
            .any(|e| e.name == "w:footerReference" && e.attr("r:id") == Some("rIdFooterOdd"))
    };
    assert_eq!(numbered(sects[2]), !blank_before);
    assert!(numbered(sects[0]) && numbered(sects[1]));
    let land = sects[1].child("w:pgSz").unwrap();
    assert_eq!(
        (land.attr("w:w"), land.attr("w:h")),
        (Some("16838"), Some("11906"))
    );
    // The landscape pages keep their whole 156 mm: no line grid (LibreOffice would cut the
    // body to 15 grid lines), and the page number within the bottom margin, not above it.
    assert!(sects[1].child("w:docGrid").is_none());
    assert!(sects[0].child("w:docGrid").is_some());
    let mar = sects[1].child("w:pgMar").unwrap();
    let twips = |a: &str| mar.attr(a).unwrap().parse::<i32>().unwrap();
    let (bottom, footer) = (twips("w:bottom"), twips("w:footer"));
    assert!(
        footer + 280 <= bottom,
        "footer {footer} + 14 pt above bottom margin {bottom}"
    );
    let w: usize = tables(&doc)[0]
        .child("w:tblGrid")
        .unwrap()
        .elems()
        .map(|g| g.attr("w:w").unwrap().parse::<usize>().unwrap())
        .sum();
    assert_eq!(w, 12756, "the table fills the 225 mm landscape type width");
}

#[test]
fn colophon_is_a_table_of_rules_on_the_last_grid_lines() {
    let doc = common::seed000();
    let rec = laid(&doc).record.colophon.unwrap();
    let body = part(&seed(), "word/document.xml");
    let t = *all(&body, "w:tbl").last().unwrap();
    assert!(text_of(t).starts_with("抄送："));
    assert!(all(&body, "w:framePr").is_empty());
    let rows: Vec<&Elem> = t.elems().filter(|e| e.name == "w:tr").collect();
    assert_eq!(rows.len(), 2, "抄送 and 印发");
    let border = |r: &Elem, side: &str| {
        all(r, "w:tcBorders")[0]
            .child(side)
            .and_then(|b| b.attr("w:sz"))
            .map(str::to_owned)
    };
    // 0.35 mm ≈ 1 pt above 抄送, 0.25 mm ≈ ¾ pt between, 0.35 mm below 印发.
    assert_eq!(border(rows[0], "w:top").as_deref(), Some("8"));
    assert_eq!(border(rows[0], "w:bottom").as_deref(), Some("6"));
    assert_eq!(border(rows[1], "w:bottom").as_deref(), Some("8"));
    // Rows fill the grid lines from the layout's first 版记 line to the page's last.
    let height: i32 = all(t, "w:trHeight")
        .iter()
        .map(|h| h.attr("w:val").unwrap().parse::<i32>().unwrap())
        .sum();
    // The last row 20 twips short: LibreOffice's page holds 22 × 579 twips exactly.
    assert_eq!(height, (22 - rec.first_line as i32) * 579 - 20);
    let width: i32 = all(t, "w:gridCol")[0].attr("w:w").unwrap().parse().unwrap();
    assert_eq!(width, 8844, "156 mm");
    // 印发日期 ends one character in: a right tab at the right indent.
    let printer = all(rows[1], "w:p")[0];
    assert_eq!(
        text_of(printer),
        "重庆市大足区人民政府办公室2021年7月8日印发"
    );
    let ppr = printer.child("w:pPr").unwrap();
    let ind = ppr.child("w:ind").unwrap();
    let right: i32 = ind.attr("w:right").unwrap().parse().unwrap();
    let tab: i32 = all(ppr, "w:tab")[0].attr("w:pos").unwrap().parse().unwrap();
    assert_eq!(tab, 8844 - right);
    assert_eq!(
        ind.attr("w:left"),
        ind.attr("w:right"),
        "one character each side"
    );
}

#[test]
fn core_properties_carry_title_issuer_and_date() {
    let core = part(&seed(), "docProps/core.xml");
    let text = |n: &str| core.child(n).unwrap().text();
    assert_eq!(
        text("dc:title"),
        "关于2021年第二季度全区政府网站和政府系统政务新媒体检查情况的通报"
    );
    assert_eq!(text("dc:creator"), "重庆市大足区人民政府办公室");
    assert_eq!(text("dcterms:created"), "2021-07-07T00:00:00Z");
    assert_eq!(text("dcterms:modified"), "2021-07-07T00:00:00Z");
}

#[test]
fn bad_input_gives_chinese_errors() {
    let mut d = common::seed000();
    d.meta.date = None;
    let Err(e) = write(&d) else {
        panic!("a document without its date is rejected");
    };
    assert!(matches!(e, Error::Date(_)));
    assert!(e.to_string().contains("成文日期"), "{e}");

    let table = Table {
        columns: vec![Column {
            width: None,
            align: Align::Left,
            hint_at: None,
        }],
        header: vec![vec![Cell::span("跨行过多", 1, 3)]],
        rows: vec![],
    };
    let Err(e) = write(&small_doc(table)) else {
        panic!("a header cell spanning three of its one rows is rejected");
    };
    assert!(matches!(e, Error::Table(_)));
    assert!(e.to_string().contains("表头第1行"), "{e}");
    assert!(e.to_string().contains("跨3行"), "{e}");
}

#[test]
fn a_minimal_document_without_header_attachments_or_colophon() {
    let d = Document {
        meta: Meta {
            title: "关于测试的通报".into(),
            issuer: "某单位".into(),
            date: tongbao::date::Date::parse("2024-01-02").ok(),
            script: tongbao::zh::Script::Hans,
            doc_number: None,
            index_number: None,
        },
        header: Header {
            copy_number: None,
            secrecy: None,
            urgency: None,
            issuer_mark: None,
            doc_number: None,
        },
        title: "关于测试的通报".into(),
        recipients: None,
        body: vec![Block::Paragraph {
            runs: vec![Run {
                text: "正文。".into(),
                role: RunRole::Body,
            }],
        }],
        attachment_note: vec![],
        signature: None,
        note: None,
        attachments: vec![],
        colophon: None,
    };
    let bytes = write(&d).unwrap();
    let doc = part(&bytes, "word/document.xml");
    assert_eq!(tables(&doc).len(), 0);
    assert!(all(&doc, "w:framePr").is_empty());
    assert_eq!(all(&doc, "w:sectPr").len(), 1);
    assert_eq!(text_of(paragraph(&doc, "正文")), "正文。");
}

#[test]
fn colophon_on_its_own_page_gets_a_section_and_the_layouts_blank_page() {
    // Without the attachments (whose wide tables are set landscape, a section each), so that
    // the 版记's is the only section break.
    let mut doc = common::seed000();
    doc.attachments.clear();
    for blank_before in [false, true] {
        let mut l = laid(&doc);
        let c = l.record.colophon.as_mut().unwrap();
        c.own_page = true;
        c.blank_before = blank_before;
        c.gap = c.first_line;
        let first_line = c.first_line;
        let bytes = docx::write(&doc, &l, &DocxOptions::default()).unwrap();
        let body = part(&bytes, "word/document.xml");
        let sects = all(&body, "w:sectPr");
        let last = sects.last().unwrap();
        assert_eq!(sects.len(), 2, "the 版记 has a section of its own");
        assert_eq!(
            last.child("w:type").unwrap().attr("w:val"),
            Some("nextPage")
        );
        // Numbered unless the layout put a blank page before it; then neither is.
        let footers: Vec<&str> = last
            .elems()
            .filter(|e| e.name == "w:footerReference")
            .map(|e| e.attr("r:id").unwrap())
            .collect();
        let want = if blank_before {
            ["rIdFooterNone", "rIdFooterNone"]
        } else {
            ["rIdFooterOdd", "rIdFooterEven"]
        };
        assert_eq!(footers, want, "blank_before {blank_before}");
        // The 版记 is the only content of that section, below blank grid lines; after the
        // blank page, the first of them starts a page.
        let elems: Vec<&Elem> = body.child("w:body").unwrap().elems().collect();
        let cut = elems
            .iter()
            .rposition(|e| {
                e.child("w:pPr")
                    .is_some_and(|p| p.child("w:sectPr").is_some())
            })
            .unwrap();
        let rest = &elems[cut + 1..];
        let blanks = rest.iter().take_while(|e| e.name == "w:p").count();
        assert_eq!(blanks, first_line + usize::from(blank_before));
        let breaks: Vec<bool> = rest[..blanks]
            .iter()
            .map(|p| {
                p.child("w:pPr")
                    .unwrap()
                    .child("w:pageBreakBefore")
                    .is_some()
            })
            .collect();
        assert_eq!(
            breaks.iter().filter(|b| **b).count(),
            usize::from(blank_before)
        );
        assert_eq!(breaks.get(1).copied().unwrap_or(false), blank_before);
        assert!(text_of(rest[blanks]).starts_with("抄送："));
    }
}

#[test]
fn tables_take_the_layout_geometry() {
    let doc = common::seed000();
    let l = laid(&doc);
    assert_eq!(l.record.tables.len(), 2);
    let grid = |bytes: &[u8]| -> Vec<Vec<f32>> {
        let d = part(bytes, "word/document.xml");
        tables(&d)
            .iter()
            .map(|t| {
                all(t, "w:gridCol")
                    .iter()
                    .map(|c| c.attr("w:w").unwrap().parse::<f32>().unwrap() / 20.0)
                    .collect()
            })
            .collect()
    };
    let bytes = seed();
    assert_eq!(grid(&bytes).len(), l.record.tables.len());
    for (cols, g) in grid(&bytes).iter().zip(&l.record.tables) {
        assert_eq!(cols.len(), g.widths.len());
        for (c, w) in cols.iter().zip(&g.widths) {
            assert!((c - w).abs() <= 0.1, "{cols:?} vs {:?}", g.widths);
        }
    }
    // The layout's text size, in half-points.
    let d = part(&bytes, "word/document.xml");
    for (t, g) in tables(&d).iter().zip(&l.record.tables) {
        let want = ((g.size * 2.0).round() as usize).to_string();
        let sizes: Vec<String> = all(t, "w:sz")
            .iter()
            .map(|e| e.attr("w:val").unwrap().to_string())
            .collect();
        assert!(
            !sizes.is_empty() && sizes.iter().all(|s| *s == want),
            "{sizes:?} vs {want}"
        );
    }
    // A table the layout sets landscape gets a landscape section and the layout's widths.
    let wide = common::wide_table_doc();
    let l = laid(&wide);
    assert!(l.record.tables[0].landscape);
    let bytes = write(&wide).unwrap();
    let cols = &grid(&bytes)[0];
    assert_eq!(cols.len(), l.record.tables[0].widths.len());
    for (c, w) in cols.iter().zip(&l.record.tables[0].widths) {
        assert!((c - w).abs() <= 0.1, "{c} vs {w}");
    }
    let d = part(&bytes, "word/document.xml");
    let orients: Vec<Option<&str>> = all(&d, "w:pgSz")
        .iter()
        .map(|e| e.attr("w:orient"))
        .collect();
    assert!(orients.contains(&Some("landscape")), "{orients:?}");
}

/// A face given with `--fonts` is named in the DOCX by its family, as the PDF embeds it; the
/// roles left to the shipped faces keep the GB/T 9704 names.
#[test]
fn fonts_given_by_the_user_are_named_by_their_family() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        common::root().join("fonts/gkai00mp.ttf"),
        dir.path().join("fangsong.ttf"),
    )
    .unwrap();
    let set = FontSet::from_dir(dir.path()).unwrap();
    let fonts = docx::Fonts::for_set(&set);
    let family = &set
        .face(set.primary(tongbao::fonts::Role::Fangsong, false))
        .family;
    assert!(!family.is_empty());
    assert_eq!(&fonts.body, family);
    assert_eq!(fonts.title, docx::Fonts::default().title);
    let doc = common::seed000();
    let l = layout(&doc, &set, &LayoutOptions::default());
    let styles = part(
        &docx::write(&doc, &l, &DocxOptions { fonts }).unwrap(),
        "word/styles.xml",
    );
    assert!(all(&styles, "w:rFonts")
        .iter()
        .any(|f| f.attr("w:eastAsia") == Some(family.as_str())));
}

/// The 仿宋 text names Times New Roman for its digits and Latin letters (ascii/hAnsi), as the
/// PDF sets them in the shipped Liberation Serif; a `latin.*` face is named by its family.
#[test]
fn body_text_names_the_latin_face_for_ascii() {
    let doc = common::seed000();
    let body_fonts = |set: &FontSet| -> Vec<(String, String)> {
        let l = layout(&doc, set, &LayoutOptions::default());
        let fonts = docx::Fonts::for_set(set);
        let styles = part(
            &docx::write(&doc, &l, &DocxOptions { fonts }).unwrap(),
            "word/styles.xml",
        );
        all(&styles, "w:rFonts")
            .iter()
            .filter(|f| f.attr("w:eastAsia") == Some("仿宋_GB2312"))
            .map(|f| {
                assert_eq!(f.attr("w:ascii"), f.attr("w:hAnsi"));
                (
                    f.attr("w:ascii").unwrap().to_string(),
                    f.attr("w:cs").unwrap().to_string(),
                )
            })
            .collect()
    };
    let shipped = body_fonts(&FontSet::embedded());
    assert!(!shipped.is_empty());
    assert!(shipped
        .iter()
        .all(|(ascii, cs)| ascii == "Times New Roman" && cs == "仿宋_GB2312"));
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        common::root().join("fonts/NotoSerifCJKsc-Regular-GBK.otf"),
        dir.path().join("latin.otf"),
    )
    .unwrap();
    let set = FontSet::from_dir(dir.path()).unwrap();
    let family = set
        .face(set.primary(tongbao::fonts::Role::Latin, false))
        .family
        .clone();
    assert!(body_fonts(&set).iter().all(|(ascii, _)| *ascii == family));
}
