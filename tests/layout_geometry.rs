//! Geometry of GB/T 9704 asserted directly on the layout of a realistic document (seed 000).

mod common;

use tongbao::fonts::{FontSet, Role};
use tongbao::ir::{AttachmentBlock, Block, Document};
use tongbao::layout::{self, layout, Color, Layout, LayoutOptions, Page, PageKind, TextRun, MM};

fn fonts() -> &'static FontSet {
    static FONTS: std::sync::OnceLock<FontSet> = std::sync::OnceLock::new();
    FONTS.get_or_init(FontSet::embedded)
}

fn lay(doc: &Document) -> Layout {
    layout(doc, fonts(), &LayoutOptions::default())
}

fn seed_layout() -> Layout {
    lay(&common::seed000())
}

fn near(a: f32, b: f32, tol: f32) -> bool {
    (a - b).abs() <= tol
}

/// Right edge of a run (x of its last glyph plus that glyph's advance).
fn right(t: &TextRun) -> f32 {
    let g = t.glyphs.last().unwrap();
    t.x + g.dx + g.advance
}

/// Body lines of a page: 仿宋 16 pt runs on the grid, grouped by grid line.
fn body_lines(page: &Page) -> Vec<(u16, Vec<&TextRun>)> {
    let mut lines: std::collections::BTreeMap<u16, Vec<&TextRun>> = Default::default();
    for t in page.texts() {
        if let Some(l) = t.line {
            if t.size == 16.0 {
                lines.entry(l).or_default().push(t);
            }
        }
    }
    lines.into_iter().collect()
}

/// A page's text with the runs of one line joined (digits and Latin letters are runs of their
/// own face): consecutive runs on one baseline at one size become one run.
fn joined(page: &Page) -> Vec<TextRun> {
    let mut out: Vec<TextRun> = Vec::new();
    for t in page.texts() {
        match out.last_mut() {
            Some(prev) if prev.y == t.y && prev.size == t.size && t.x >= prev.x => {
                let at = prev.text.len() as u32;
                prev.text.push_str(&t.text);
                prev.glyphs
                    .extend(t.glyphs.iter().map(|g| layout::PlacedGlyph {
                        dx: g.dx + t.x - prev.x,
                        range: g.range.start + at..g.range.end + at,
                        ..g.clone()
                    }));
            }
            _ => out.push(t.clone()),
        }
    }
    out
}

fn page_number_run(page: &Page) -> Option<&TextRun> {
    page.folio
        .iter()
        .find(|t| t.role == Role::Songti && t.text.starts_with('—'))
}

#[test]
fn pages_are_a4_and_text_stays_in_the_type_area() {
    let l = seed_layout();
    for (i, p) in l.pages.iter().enumerate() {
        if p.landscape() {
            continue;
        }
        assert!(near(p.width, 595.276, 0.001) && near(p.height, 841.89, 0.001));
        for t in p.texts() {
            assert!(
                t.x >= 28.0 * MM - 0.01,
                "p{} run left of the type area: {}",
                i + 1,
                t.text
            );
            assert!(
                right(t) <= 184.0 * MM + 0.6,
                "p{} run right of the type area: {} ends {:.2} mm",
                i + 1,
                t.text,
                right(t) / MM
            );
            assert!(
                t.y >= 37.0 * MM && t.y <= 262.0 * MM,
                "p{} run outside vertically: {}",
                i + 1,
                t.text
            );
        }
    }
}

#[test]
fn body_text_sits_on_22_lines_of_28_characters() {
    let l = seed_layout();
    let pitch = 225.0 * MM / 22.0;
    let mut full_lines = 0;
    for p in l.pages.iter().filter(|p| p.kind == PageKind::Body) {
        for (k, runs) in body_lines(p) {
            assert!(k < 22, "grid line {k} beyond 22");
            for t in &runs {
                // Baseline at the same offset inside its grid line on every page.
                let top = 37.0 * MM + k as f32 * pitch;
                assert!(near(t.y - top, layout::baseline(0, 16.0) - 37.0 * MM, 0.01));
            }
            let first = runs.iter().map(|t| t.x).fold(f32::MAX, f32::min);
            let last = runs.iter().map(|t| right(t)).fold(0.0, f32::max);
            // A justified line ends on the right edge of the type area.
            if near(last, 184.0 * MM, 0.7) {
                let chars: usize = runs.iter().map(|t| t.text.chars().count()).sum();
                let cells: f32 = runs
                    .iter()
                    .flat_map(|t| t.text.chars())
                    .map(|c| if tongbao::fonts::is_wide(c) { 1.0 } else { 0.5 })
                    .sum();
                if near(first, 28.0 * MM, 0.01) {
                    full_lines += 1;
                    assert!(
                        (27.0..=28.5).contains(&cells),
                        "full line of {cells} cells ({chars} chars)"
                    );
                } else if near(first, 28.0 * MM + 2.0 * 156.0 * MM / 28.0, 0.01)
                    && !runs[0].text.starts_with("附件：")
                {
                    assert!(
                        (25.0..=26.5).contains(&cells),
                        "indented line of {cells} cells"
                    );
                }
            }
        }
    }
    assert!(full_lines > 20, "only {full_lines} full lines");
    // Body pages after the first use all 22 lines when the text runs on.
    let p2 = &l.pages[1];
    assert_eq!(p2.kind, PageKind::Body);
    let lines = body_lines(p2);
    assert_eq!(lines.first().unwrap().0, 0);
    assert_eq!(lines.last().unwrap().0, 21, "page 2 does not fill 22 lines");
}

#[test]
fn header_mark_number_and_red_rule() {
    let l = seed_layout();
    let p1 = &l.pages[0];
    let mark = p1
        .texts()
        .find(|t| t.color == Color::Red)
        .expect("red mark");
    assert_eq!(mark.role, Role::Xiaobiaosong);
    // Upper edge of the em box 35 mm below the type-area top (72 mm from the paper top).
    let top = mark.y - 0.88 * mark.size;
    assert!(near(top, 72.0 * MM, 0.05), "mark top at {:.1} mm", top / MM);
    // Centred.
    let mid = (mark.x + right(mark)) / 2.0;
    assert!(
        near(mid, 106.0 * MM, 1.0),
        "mark centre at {:.1} mm",
        mid / MM
    );
    let rule = p1
        .rules()
        .find(|r| r.color == Color::Red)
        .expect("red rule");
    assert!(near(rule.x1, 28.0 * MM, 0.01) && near(rule.x2, 184.0 * MM, 0.01));
    let number = joined(p1)
        .into_iter()
        .find(|t| t.text.contains("〔2021〕"))
        .expect("发文字号");
    // Red rule 4 mm below the 发文字号 (its em box bottom).
    let bottom = number.y + 0.12 * number.size;
    assert!(near(rule.y1 - bottom, 4.0 * MM, 0.05));
    // Two blank lines between the mark and the 发文字号.
    let pitch = 225.0 * MM / 22.0;
    let gap = (number.y - 0.88 * 16.0) - (mark.y + 0.12 * mark.size);
    assert!(
        gap > 1.5 * pitch && gap < 3.0 * pitch,
        "gap {:.1} mm",
        gap / MM
    );
    // Page 1 carries body text.
    assert!(p1.texts().any(|t| t.text.starts_with("为深入贯彻")));
}

#[test]
fn title_is_balanced_and_centred() {
    let l = seed_layout();
    let p1 = &l.pages[0];
    let title: Vec<&TextRun> = p1.texts().filter(|t| t.size == 22.0).collect();
    assert_eq!(title.len(), 2);
    assert_eq!(title[0].text, "关于2021年第二季度全区政府网站和");
    assert_eq!(title[1].text, "政府系统政务新媒体检查情况的通报");
    for t in &title {
        let mid = (t.x + right(t)) / 2.0;
        assert!(
            near(mid, 106.0 * MM, 1.5),
            "title line not centred: {}",
            t.text
        );
    }
}

#[test]
fn page_numbers_odd_right_even_left_7mm_below() {
    let l = seed_layout();
    let mut seen = 0;
    for (i, p) in l.pages.iter().enumerate() {
        let Some(n) = p.number else { continue };
        assert_eq!(n as usize, i + 1);
        let run = page_number_run(p).expect("number run");
        assert_eq!(run.text, format!("— {n} —"));
        assert_eq!(run.size, 14.0);
        // The type area's bottom, left and right edge in mm, portrait or landscape.
        let (bottom, left, right_edge) = if p.landscape() {
            (184.0, 35.0, 260.0)
        } else {
            (262.0, 28.0, 184.0)
        };
        let top = run.y - 0.88 * 14.0;
        assert!(
            near(top, (bottom + 7.0) * MM, 0.05),
            "number top {:.1} mm",
            top / MM
        );
        if n % 2 == 1 {
            assert!(
                near(right(run), right_edge * MM - 14.0, 0.05),
                "odd page number right edge"
            );
        } else {
            assert!(
                near(run.x, left * MM + 14.0, 0.05),
                "even page number left edge"
            );
        }
        seen += 1;
    }
    assert!(seen >= 8);
}

#[test]
fn colophon_sits_on_an_even_page_with_its_last_rule_on_the_type_bottom() {
    let l = seed_layout();
    let last = l.pages.last().unwrap();
    assert_eq!(l.pages.len() % 2, 0, "版记 not on an even page");
    let rules: Vec<_> = last.rules().collect();
    let bottom = rules.iter().map(|r| r.y1).fold(0.0, f32::max);
    assert!(near(bottom, 262.0 * MM, 0.01));
    let widths: Vec<f32> = {
        let mut r: Vec<_> = rules.iter().filter(|r| r.x2 - r.x1 > 150.0 * MM).collect();
        r.sort_by(|a, b| a.y1.total_cmp(&b.y1));
        r.iter()
            .map(|r| (r.width / MM * 100.0).round() / 100.0)
            .collect()
    };
    assert_eq!(widths, [0.35, 0.25, 0.35]);
    let printed = last.texts().find(|t| t.text.ends_with("印发")).unwrap();
    assert_eq!(printed.size, 14.0);
    assert!(
        near(right(printed), 184.0 * MM - 14.0, 0.5),
        "印发日期 one character in"
    );
    let cc = last.texts().find(|t| t.text.starts_with("抄送：")).unwrap();
    assert!(
        near(cc.x, 28.0 * MM + 14.0 * 156.0 * MM / 28.0 / 16.0, 0.05),
        "抄送 one character in"
    );
}

/// A 版记 on the page of a table ending between grid lines: the record says how far above the
/// next grid line the table ends (its bottom rule), the blank lines start from there; after
/// text, nothing.
#[test]
fn colophon_after_a_table_records_the_space_to_the_grid() {
    let l = lay(&common::fixture("unit-summary", None).document);
    let c = l.record.colophon.as_ref().unwrap();
    assert!(!c.own_page);
    let page = &l.pages[c.page - 1];
    let first = layout::TOP + c.first_line as f32 * layout::PITCH;
    let table_bottom = page
        .rules()
        .map(|r| r.y1.max(r.y2))
        .filter(|&y| y < first - 1.0)
        .fold(0.0, f32::max);
    let start = first - c.gap as f32 * layout::PITCH;
    assert!(
        c.off_grid > 1.0,
        "the table ends off the grid: {}",
        c.off_grid
    );
    assert!(near(start - c.off_grid, table_bottom, 0.01));

    // After text (seed 000's first two paragraphs: the 版记 below them on page 2).
    let mut doc = common::seed000();
    doc.attachments.clear();
    doc.attachment_note.clear();
    doc.body.truncate(2);
    let l = lay(&doc);
    let c = l.record.colophon.as_ref().unwrap();
    assert!(!c.own_page && c.gap > 0);
    assert!(near(c.off_grid, 0.0, 0.01), "{}", c.off_grid);
}

/// A one-page body with a colophon: the 版记 needs page 2, which follows an odd page: no
/// blank page, numbered. A body that fills page 2 pushes the 版记 to page 4 with an
/// unnumbered blank page 3, and page 4 unnumbered too.
#[test]
fn blank_page_before_colophon_and_numbering() {
    let mut doc = common::seed000();
    doc.attachments.clear();
    doc.attachment_note.clear();
    doc.body.truncate(2);
    let l = lay(&doc);
    assert_eq!(l.pages.len(), 2);
    assert_eq!(l.pages[1].kind, PageKind::Body);
    let numbers: Vec<Option<u32>> = l.pages.iter().map(|p| p.number).collect();
    assert_eq!(
        numbers,
        [Some(1), Some(2)],
        "both pages numbered, the 版记's page too"
    );

    // Make the body end near the bottom of page 2.
    let mut doc = common::seed000();
    doc.attachments.clear();
    doc.attachment_note.clear();
    let filler =
        common::para(&"此次共检查部门、镇街专栏65个，检查比例100%，合格率100%。".repeat(6));
    let mut n = 0;
    loop {
        let l = lay(&doc);
        let body_pages = l.pages.iter().filter(|p| p.kind == PageKind::Body).count();
        if body_pages % 2 == 0 && l.pages.last().unwrap().kind != PageKind::Body {
            // 版记 did not fit on the last (even) body page.
            let k = l.pages.len();
            assert_eq!(l.pages[k - 1].kind, PageKind::Colophon);
            assert_eq!(l.pages[k - 2].kind, PageKind::Blank);
            assert_eq!(l.pages[k - 1].number, None);
            assert_eq!(l.pages[k - 2].number, None);
            assert!(l.pages[k - 2].items.is_empty());
            assert_eq!(k % 2, 0);
            return;
        }
        doc.body.push(filler.clone());
        n += 1;
        assert!(n < 40, "never produced a blank page before the 版记");
    }
}

#[test]
fn attachments_start_on_new_pages_with_label_and_title() {
    let l = seed_layout();
    // Line 1 and line 3 of the type area, portrait or landscape (whose lines are not the
    // body grid's, so they are found by position).
    let label_to_title = layout::baseline(2, 22.0) - layout::baseline(0, 16.0);
    let starts: Vec<(&Page, &TextRun)> = l
        .pages
        .iter()
        .filter_map(|p| {
            let label = p.texts().next()?;
            (label.text.starts_with("附件") && label.role == Role::Heiti).then_some((p, label))
        })
        .collect();
    assert_eq!(starts.len(), 2);
    for (p, label) in starts {
        if !p.landscape() {
            assert_eq!(label.line, Some(0), "label on line 1");
        }
        let title = p.texts().find(|t| t.size == 22.0).expect("a title");
        assert!(
            near(title.y - label.y, label_to_title, 0.1),
            "attachment title on line 3"
        );
    }
}

#[test]
fn table_header_rows_repeat_on_every_page() {
    let l = seed_layout();
    let table_pages: Vec<&Page> = l
        .pages
        .iter()
        .filter(|p| {
            p.kind == PageKind::Attachment && p.texts().any(|t| t.text == "序号" || t.text == "序")
        })
        .collect();
    assert!(table_pages.len() >= 3, "tables span pages");
    for p in &table_pages {
        assert!(
            p.texts().any(|t| t.text.starts_with('周')),
            "merged sub-header missing"
        );
        assert!(
            p.texts().any(|t| t.text.contains("内容")),
            "merged header missing"
        );
    }
    // Every body row of both tables is drawn exactly once: count the 序号 cells (integers
    // in the leftmost column of each table page).
    let doc = common::seed000();
    let rows: usize = doc
        .attachments
        .iter()
        .flat_map(|a| &a.content)
        .map(|b| match b {
            AttachmentBlock::Table(t) => t.rows.len(),
            _ => 0,
        })
        .sum();
    let mut numbers = Vec::new();
    for p in &table_pages {
        let small: Vec<&TextRun> = p
            .texts()
            .filter(|t| t.size < 16.0 && t.role == Role::Fangsong)
            .collect();
        let left = small.iter().map(|t| t.x).fold(f32::MAX, f32::min);
        for t in small {
            if t.x < left + 8.0 {
                numbers.push(t.text.parse::<usize>().expect("序号"));
            }
        }
    }
    assert_eq!(numbers.len(), rows);
    let expected: Vec<usize> = (1..=63).chain(1..=33).collect();
    assert_eq!(numbers, expected);
    // The merged header spans exactly the two sub-header columns.
    let p = table_pages[0];
    let over = p.texts().find(|t| t.text.starts_with("内容")).unwrap();
    let subs: Vec<_> = p
        .texts()
        .filter(|t| t.text.starts_with('周') || t.text.starts_with('季'))
        .collect();
    let lo = subs.iter().map(|t| t.x).fold(f32::MAX, f32::min);
    let hi = subs.iter().map(|t| right(t)).fold(0.0, f32::max);
    let mid = (over.x + right(over)) / 2.0;
    assert!(mid > lo && mid < hi);
}

#[test]
fn a_heading_never_ends_a_page_and_the_signature_is_not_alone() {
    // Shift the text line by line and check both rules at every position.
    for extra in 0..22 {
        let mut doc = common::seed000();
        doc.attachments.clear();
        doc.colophon = None;
        for _ in 0..extra {
            doc.body.insert(0, common::para("各单位要高度重视。"));
        }
        let l = lay(&doc);
        for p in &l.pages {
            let lines = body_lines(p);
            if let Some((_, last)) = lines.last() {
                if p.number != Some(l.pages.len() as u32) {
                    assert!(
                        !last.iter().any(|t| t.role == Role::Heiti),
                        "heading ends page (extra {extra})"
                    );
                }
            }
            let first_texts: Vec<&str> = lines
                .first()
                .map(|(_, r)| r.iter().map(|t| t.text.as_str()).collect())
                .unwrap_or_default();
            assert!(
                first_texts.first() != Some(&"重庆市大足区人民政府办公室"),
                "signature alone at the top of a page (extra {extra})"
            );
        }
    }
}

#[test]
fn fallbacks_are_listed_per_character_with_count_role_and_face() {
    let mut doc = common::seed000();
    doc.body.push(Block::Paragraph {
        runs: vec![tongbao::ir::Run {
            text: "请王堃、李喆、王堃同志联系。".into(),
            role: tongbao::ir::RunRole::Body,
        }],
    });
    let l = lay(&doc);
    let listed: Vec<(Role, char, u32, bool)> = l
        .fallbacks
        .iter()
        .map(|f| (f.role, f.ch, f.count, f.same_style))
        .collect();
    assert_eq!(
        listed,
        [
            (Role::Fangsong, '喆', 1, false),
            (Role::Fangsong, '堃', 2, false)
        ]
    );
    assert!(l.fallbacks.iter().all(|f| f
        .face
        .as_deref()
        .is_some_and(|n| n.contains("Noto Serif CJK"))));
    let dump = layout::dump(&l);
    assert!(
        dump.contains(
            "fallbacks\n  fangsong 喆 ×1 fallback Noto Serif CJK SC\n  fangsong 堃 ×2 fallback"
        ),
        "{}",
        &dump[dump.find("fallbacks").unwrap()..]
    );
    let report = layout::fallback_report(&l.fallbacks).join("\n");
    assert_eq!(
        report,
        "提示：仿宋字体缺 2 个字（共 3 处），改用后备字体 Noto Serif CJK SC：喆 ×1、堃 ×2。\
         如需统一字形，请用 --fonts 指定含这些字的仿宋字体"
    );
    assert!(seed_layout().fallbacks.is_empty());
}

/// Seed 000 in traditional script, tables, run-in 楷体 headings and the converted 文号
/// included, is set without a single fallback character: 仿宋 and 楷体 have traditional faces.
#[test]
fn traditional_seed_000_sets_every_character_in_its_role_style() {
    for script in ["zh-Hant", "zh-TW"] {
        let doc = common::fixture("seed-000", Some(script)).document;
        assert!(doc.title.contains("關於"), "{script}: {}", doc.title);
        let l = lay(&doc);
        // The 版头's 发文字号 is converted too (大足府辦發〔2021〕85號): nothing left to take
        // from the simplified face.
        assert!(l.fallbacks.is_empty(), "{script}: {:?}", l.fallbacks);
        let faces: std::collections::BTreeSet<&str> = l
            .pages
            .iter()
            .flat_map(|p| p.texts())
            .filter(|t| t.role == Role::Kaiti)
            .map(|t| fonts().face(t.face).source.as_str())
            .collect();
        assert_eq!(
            faces.into_iter().collect::<Vec<_>>(),
            ["embedded:cwkai.ttf"],
            "{script}: run-in headings in the traditional 楷体"
        );
    }
}

/// Digits and Latin letters are drawn in the Latin face at its widths: no "96. 8%" gap after
/// the period, in the body and in the tables.
#[test]
fn numbers_have_no_gap_after_their_period() {
    let l = lay(&common::fixture("seed-000", None).document);
    let latin = fonts().primary(Role::Latin, false);
    let mut seen = 0;
    for page in &l.pages {
        for t in page.texts().filter(|t| t.text.contains('.')) {
            for (i, g) in t.glyphs.iter().enumerate() {
                let ch = &t.text[g.range.start as usize..g.range.end as usize];
                let Some(next) = t.glyphs.get(i + 1) else {
                    continue;
                };
                let after = &t.text[next.range.start as usize..next.range.end as usize];
                if ch == "." && after.chars().all(|c| c.is_ascii_digit()) {
                    assert_eq!(t.face, latin, "{:?}", t.text);
                    // The period's own advance, and where the next digit starts: a quarter
                    // em in Times metrics, never the half cell that showed as "96. 8".
                    assert!(g.advance <= 0.26 * t.size, "{:?}: {}", t.text, g.advance);
                    assert!(next.dx - g.dx <= 0.26 * t.size + 0.01, "{:?}", t.text);
                    seen += 1;
                }
            }
        }
    }
    // 96.8% in the body, 88.9 four times in the first attachment's table.
    assert_eq!(seen, 5, "decimal points");
    assert!(l
        .pages
        .iter()
        .flat_map(|p| p.texts())
        .any(|t| t.text == "96.8%" && t.face == latin));
}

/// zh-HK keeps OpenCC's Hong Kong forms: 閲 is in the simplified 仿宋 only (a same-style
/// substitution), 羣 and 衞 in neither 仿宋 (fallbacks to the Noto Serif cut). Each is listed
/// with its count.
#[test]
fn hong_kong_forms_are_listed_as_fallbacks_and_same_style_substitutions() {
    let doc = common::fixture("seed-000", Some("zh-HK")).document;
    let l = lay(&doc);
    let listed: Vec<(Role, char, bool, &str)> = l
        .fallbacks
        .iter()
        .map(|f| (f.role, f.ch, f.same_style, f.face.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(
        listed,
        [
            (Role::Fangsong, '羣', false, "Noto Serif CJK SC"),
            (Role::Fangsong, '衞', false, "Noto Serif CJK SC"),
            (Role::Fangsong, '閲', true, "FandolFang R"),
        ]
    );
    let text = doc.plain_text();
    for f in &l.fallbacks {
        assert_eq!(f.count as usize, text.matches(f.ch).count(), "{}", f.ch);
    }
    let report = layout::fallback_report(&l.fallbacks);
    assert_eq!(report.len(), 2, "{report:?}");
    assert_eq!(
        report[0],
        "提示：仿宋字体缺 1 个字（共 13 处），取自同风格的 FandolFang R：閲 ×13"
    );
    assert!(
        report[1].starts_with(
            "提示：仿宋字体缺 2 个字（共 4 处），改用后备字体 Noto Serif CJK SC：羣 ×2、衞 ×2。"
        ),
        "{}",
        report[1]
    );
}

#[test]
fn sealed_and_unsealed_signature_positions() {
    let cell = 156.0 * MM / 28.0;
    let find = |l: &Layout, s: &str| -> TextRun {
        l.pages
            .iter()
            .flat_map(joined)
            .rfind(|t| t.text == s && t.size == 16.0)
            .unwrap()
    };
    let doc = common::seed000();
    let l = lay(&doc);
    let sig = find(&l, "重庆市大足区人民政府办公室");
    let date = find(&l, "2021年7月7日");
    // Unsealed: signature 右空二字, date two characters right of the signature's start.
    assert!(near(right(&sig), 184.0 * MM - 2.0 * cell, 0.6));
    assert!(near(date.x, sig.x + 2.0 * cell, 0.01));
    assert_eq!(date.line.unwrap(), sig.line.unwrap() + 1);
    let l = layout(
        &doc,
        fonts(),
        &LayoutOptions {
            sealed: Some(true),
            ..Default::default()
        },
    );
    let sig = find(&l, "重庆市大足区人民政府办公室");
    let date = find(&l, "2021年7月7日");
    // Sealed: date 右空四字, signature centred over it.
    let date_w: f32 = 6.0 * cell; // 2021 (2 cells) 年 7 月 7 日
    assert!(near(date.x + date_w, 184.0 * MM - 4.0 * cell, 0.6));
    assert!(near(
        (sig.x + right(&sig)) / 2.0,
        date.x + date_w / 2.0,
        1.0
    ));
}

#[test]
fn attachment_note_continuation_lines_align_with_the_name() {
    let l = seed_layout();
    let cell = 156.0 * MM / 28.0;
    let texts: Vec<TextRun> = l.pages.iter().flat_map(joined).collect();
    let i = texts
        .iter()
        .position(|t| t.text.starts_with("附件：1．"))
        .expect("附件说明");
    assert!(near(texts[i].x, 28.0 * MM + 2.0 * cell, 0.01));
    // "附件：" is 3 cells, "1．" 1.5 cells: item 2 starts under "1", its name's
    // continuation under the name.
    let second = texts[i + 2..]
        .iter()
        .find(|t| t.text.starts_with("2．"))
        .unwrap();
    assert!(near(second.x, 28.0 * MM + 5.0 * cell, 0.01));
    let cont = &texts[i + 1];
    assert!(
        near(cont.x, 28.0 * MM + 6.5 * cell, 0.5),
        "continuation at {:.1} mm",
        cont.x / MM
    );
}

#[test]
fn a_table_too_wide_for_portrait_goes_landscape() {
    let doc = common::wide_table_doc();
    let l = lay(&doc);
    let wide: Vec<&Page> = l.pages.iter().filter(|p| p.landscape()).collect();
    assert_eq!(wide.len(), 1);
    let p = wide[0];
    assert!(near(p.width, 841.89, 0.01) && near(p.height, 595.276, 0.01));
    for t in p.texts() {
        assert!(
            right(t) <= p.width - 20.0 * MM,
            "{} beyond the landscape type area",
            t.text
        );
    }
    // Numbered in sequence, the number 7 mm below the landscape type area (28 mm from the top,
    // 156 mm high), one character in from its right edge (35 + 225 mm) on odd pages and from
    // its left edge on even ones: where the DOCX footer of a landscape section puts it.
    let i = l.pages.iter().position(|q| std::ptr::eq(q, p)).unwrap();
    let n = i as u32 + 1;
    assert_eq!(p.number, Some(n));
    let run = page_number_run(p).expect("number run");
    assert!(near(run.y - 0.88 * 14.0, 191.0 * MM, 0.05));
    if n % 2 == 1 {
        assert!(near(right(run), 260.0 * MM - 14.0, 0.05));
    } else {
        assert!(near(run.x, 35.0 * MM + 14.0, 0.05));
    }
}

#[test]
fn tall_tables_keep_row_spans_together_and_rows_whole() {
    let mut doc = common::seed000();
    doc.attachments.truncate(1);
    doc.attachment_note.truncate(1);
    doc.attachments[0].content[1] = AttachmentBlock::Table(common::big_table(300));
    let l = lay(&doc);
    // Every row number appears exactly once, in order, across the pages.
    let mut numbers = Vec::new();
    for p in l.pages.iter().filter(|p| p.kind == PageKind::Attachment) {
        let small: Vec<&TextRun> = p
            .texts()
            .filter(|t| t.size < 16.0 && t.role == Role::Fangsong)
            .collect();
        let left = small.iter().map(|t| t.x).fold(f32::MAX, f32::min);
        numbers.extend(
            small
                .iter()
                .filter(|t| t.x < left + 8.0)
                .map(|t| t.text.parse::<usize>().unwrap()),
        );
        // Nothing below the type area.
        for t in p.texts() {
            if t.role != Role::Songti {
                assert!(t.y <= 262.0 * MM);
            }
        }
    }
    assert_eq!(numbers, (1..=300).collect::<Vec<_>>());
}

#[test]
fn a_row_taller_than_a_page_is_cut_by_lines() {
    use tongbao::ir::{Align, Cell, Column, Table};
    let long =
        "各单位要严格落实政务新媒体备案管理制度，规范开设、变更、关停、注销等流程。".repeat(60);
    let t = Table {
        columns: vec![
            Column {
                width: Some(1.0),
                align: Align::Center,
                hint_at: None,
            },
            Column {
                width: Some(6.0),
                align: Align::Left,
                hint_at: None,
            },
        ],
        header: vec![vec![Cell::new("序号"), Cell::new("问题")]],
        rows: vec![
            vec![Cell::new("1"), Cell::new(long.clone())],
            vec![Cell::new("2"), Cell::new("无")],
        ],
    };
    let mut doc = common::seed000();
    doc.attachments.truncate(1);
    doc.attachment_note.truncate(1);
    doc.attachments[0].content = vec![AttachmentBlock::Table(t)];
    let l = lay(&doc);
    let mut text = String::new();
    for p in l.pages.iter().filter(|p| p.kind == PageKind::Attachment) {
        for t in p.texts() {
            assert!(
                t.y <= 262.0 * MM || t.role == Role::Songti,
                "text below the type area"
            );
            if t.size < 16.0
                && t.role == Role::Fangsong
                && t.text != "1"
                && t.text != "2"
                && t.text != "无"
            {
                text.push_str(&t.text);
            }
        }
        for r in p.rules() {
            assert!(
                r.y1.max(r.y2) <= 262.0 * MM + 0.01,
                "border below the type area"
            );
        }
    }
    assert_eq!(text, long);
    let pages = l
        .pages
        .iter()
        .filter(|p| p.kind == PageKind::Attachment)
        .count();
    assert!(pages >= 2);
}
