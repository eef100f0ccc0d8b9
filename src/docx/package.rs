//! The parts of the package around `word/document.xml`: content types, relationships, core
//! properties, styles, settings and the page-number footers.

use super::ooxml::{Ind, PPr, RPr, Spacing, Xml};
use super::*;

pub const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n";
pub const NS_W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
pub const NS_R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";

/// Core properties.
pub struct Core<'a> {
    pub title: &'a str,
    pub creator: &'a str,
    /// ISO `YYYY-MM-DD`, written as midnight UTC.
    pub date: &'a str,
}

/// Every part of the package but `word/document.xml`, `[Content_Types].xml` first: those
/// before it and those after it.
pub fn parts(fonts: &Fonts, core: &Core) -> [Vec<(String, String)>; 2] {
    let footers = [
        (FOOTER_ODD, "footer1.xml", Some(true)),
        (FOOTER_EVEN, "footer2.xml", Some(false)),
        (FOOTER_NONE, "footer3.xml", None),
    ];
    let before = vec![
        ("[Content_Types].xml".to_string(), content_types(&footers)),
        ("_rels/.rels".into(), package_rels()),
        ("docProps/core.xml".into(), core_xml(core)),
        ("docProps/app.xml".into(), app_xml()),
    ];
    let mut after = vec![
        (
            "word/_rels/document.xml.rels".to_string(),
            document_rels(&footers),
        ),
        ("word/styles.xml".into(), styles(fonts)),
        ("word/settings.xml".into(), settings()),
    ];
    for (_, file, odd) in footers {
        after.push((format!("word/{file}"), footer(odd)));
    }
    [before, after]
}

type Footers<'a> = [(&'a str, &'a str, Option<bool>); 3];

fn content_types(footers: &Footers) -> String {
    let mut x = Xml::from(DECL);
    x.open(
        "Types",
        &[(
            "xmlns",
            "http://schemas.openxmlformats.org/package/2006/content-types",
        )],
    );
    for (ext, ty) in [
        (
            "rels",
            "application/vnd.openxmlformats-package.relationships+xml",
        ),
        ("xml", "application/xml"),
    ] {
        x.empty("Default", &[("Extension", ext), ("ContentType", ty)]);
    }
    let wml = "application/vnd.openxmlformats-officedocument.wordprocessingml.";
    let mut overrides = vec![
        (
            "/docProps/core.xml".to_string(),
            "application/vnd.openxmlformats-package.core-properties+xml".to_string(),
        ),
        (
            "/docProps/app.xml".into(),
            "application/vnd.openxmlformats-officedocument.extended-properties+xml".into(),
        ),
        (
            "/word/document.xml".into(),
            format!("{wml}document.main+xml"),
        ),
        ("/word/styles.xml".into(), format!("{wml}styles+xml")),
        ("/word/settings.xml".into(), format!("{wml}settings+xml")),
    ];
    for (_, file, _) in footers {
        overrides.push((format!("/word/{file}"), format!("{wml}footer+xml")));
    }
    for (part, ty) in &overrides {
        x.empty("Override", &[("PartName", part), ("ContentType", ty)]);
    }
    x.close("Types");
    x.into_string()
}

fn relationships(rels: &[(&str, String, &str)]) -> String {
    let mut x = Xml::from(DECL);
    x.open(
        "Relationships",
        &[(
            "xmlns",
            "http://schemas.openxmlformats.org/package/2006/relationships",
        )],
    );
    for (id, ty, target) in rels {
        x.empty(
            "Relationship",
            &[("Id", id), ("Type", ty), ("Target", target)],
        );
    }
    x.close("Relationships");
    x.into_string()
}

fn package_rels() -> String {
    relationships(&[
        (
            "rId1",
            "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
                .into(),
            "docProps/core.xml",
        ),
        (
            "rId2",
            format!("{REL}extended-properties"),
            "docProps/app.xml",
        ),
        ("rId3", format!("{REL}officeDocument"), "word/document.xml"),
    ])
}

fn document_rels(footers: &Footers) -> String {
    let mut rels = vec![
        ("rIdStyles", format!("{REL}styles"), "styles.xml"),
        ("rIdSettings", format!("{REL}settings"), "settings.xml"),
    ];
    for (id, file, _) in footers {
        rels.push((id, format!("{REL}footer"), file));
    }
    relationships(&rels)
}

fn core_xml(core: &Core) -> String {
    let mut x = Xml::from(DECL);
    x.open(
        "cp:coreProperties",
        &[
            (
                "xmlns:cp",
                "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
            ),
            ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
            ("xmlns:dcterms", "http://purl.org/dc/terms/"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
        ],
    );
    let stamp = format!("{}T00:00:00Z", core.date);
    for (name, value) in [
        ("dc:title", core.title),
        ("dc:creator", core.creator),
        ("cp:lastModifiedBy", core.creator),
    ] {
        x.open(name, &[]);
        x.text(value);
        x.close(name);
    }
    for name in ["dcterms:created", "dcterms:modified"] {
        x.open(name, &[("xsi:type", "dcterms:W3CDTF")]);
        x.text(&stamp);
        x.close(name);
    }
    x.close("cp:coreProperties");
    x.into_string()
}

fn app_xml() -> String {
    let mut x = Xml::from(DECL);
    x.open(
        "Properties",
        &[(
            "xmlns",
            "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
        )],
    );
    x.open("Application", &[]);
    x.text("tongbao");
    x.close("Application");
    x.close("Properties");
    x.into_string()
}

/// A named style (CT_Style), in schema order.
struct Style<'a> {
    id: &'a str,
    name: &'a str,
    character: bool,
    based_on: Option<&'a str>,
    ppr: PPr<'a>,
    rpr: RPr<'a>,
}

impl Style<'_> {
    fn write(&self, x: &mut Xml) {
        let kind = if self.character {
            "character"
        } else {
            "paragraph"
        };
        if self.id == S_NORMAL {
            x.open(
                "w:style",
                &[("w:type", kind), ("w:default", "1"), ("w:styleId", self.id)],
            );
        } else {
            x.open("w:style", &[("w:type", kind), ("w:styleId", self.id)]);
        }
        x.val("w:name", self.name);
        if let Some(b) = self.based_on {
            x.val("w:basedOn", b);
        }
        if !self.character {
            x.val("w:next", S_BODY);
        }
        x.empty("w:qFormat", &[]);
        self.ppr.write(x);
        self.rpr.write(x);
        x.close("w:style");
    }
}

fn styles(f: &Fonts) -> String {
    let font = |name| RPr {
        font: Some(name),
        ..RPr::default()
    };
    let para = |id, name, ppr, rpr| Style {
        id,
        name,
        character: false,
        based_on: Some(S_NORMAL),
        ppr,
        rpr,
    };
    let centred = PPr {
        snap_to_grid: Some(false),
        jc: Some("center"),
        ..PPr::default()
    };
    let title = RPr {
        font: Some(&f.title),
        size: Some(SZ_TITLE),
        ..RPr::default()
    };
    // Table text is off the body grid: single lines, each full-width character its whole em
    // (no −0.25 pt tracking); sizes and exact lines come from the layout per table.
    let table_ppr = PPr {
        snap_to_grid: Some(false),
        spacing: Some(Spacing {
            before: 0,
            after: 0,
            exact: None,
        }),
        jc: Some("center"),
        ..PPr::default()
    };
    let table_rpr = |font| RPr {
        font,
        spacing: Some(0),
        size: Some(24),
        ..RPr::default()
    };
    // 仿宋 text: its digits and Latin letters in the Latin face, as the layout sets them.
    let body = RPr {
        font: Some(&f.body),
        latin: Some(&f.latin),
        ..RPr::default()
    };
    let chars = |n: i32| Some(n * 100);
    let mut list = vec![
        Style {
            id: S_NORMAL,
            name: "Normal",
            character: false,
            based_on: None,
            // No punctuation hanging past the margin, no extra space between hanzi and digits
            // or Latin letters: each character keeps its grid cell, as in the PDF.
            ppr: PPr {
                grid_strict: true,
                spacing: Some(Spacing::exact(PITCH)),
                jc: Some("both"),
                ..PPr::default()
            },
            rpr: RPr {
                size: Some(SZ_BODY),
                ..body.clone()
            },
        },
        para(
            S_BODY,
            "公文正文",
            PPr {
                ind: Some(Ind {
                    first: 2 * gb::pt_twips(gb::SIZE_3),
                    first_chars: chars(2),
                    ..Ind::default()
                }),
                ..PPr::default()
            },
            RPr::default(),
        ),
        para(S_PLAIN, "公文无缩进", PPr::default(), RPr::default()),
        para(
            S_MARK,
            "发文机关标志",
            centred.clone(),
            RPr {
                font: Some(&f.title),
                color: Some(RED),
                ..RPr::default()
            },
        ),
        para(S_DOCNUM, "发文字号", centred.clone(), RPr::default()),
        // Not snapped to the grid: a 22 pt line of a CJK face is taller than the 28.95 pt
        // pitch and LibreOffice would give it two grid lines; the exact 579 twips keep one.
        para(
            S_TITLE,
            "公文标题",
            PPr {
                keep_next: true,
                keep_lines: true,
                ..centred.clone()
            },
            title.clone(),
        ),
    ];
    let heading_faces = [
        font(&f.heading1),
        font(&f.heading2),
        body.clone(),
        body.clone(),
    ];
    let heading_names = ["一级标题", "二级标题", "三级标题", "四级标题"];
    let run_names = [
        "一级标题（段中）",
        "二级标题（段中）",
        "三级标题（段中）",
        "四级标题（段中）",
    ];
    for l in 0..4 {
        list.push(Style {
            id: S_HEADINGS[l],
            name: heading_names[l],
            character: false,
            based_on: Some(S_BODY),
            ppr: PPr {
                keep_next: true,
                outline: Some(l as u8),
                ..PPr::default()
            },
            rpr: heading_faces[l].clone(),
        });
        list.push(Style {
            id: S_HEADING_RUNS[l],
            name: run_names[l],
            character: true,
            based_on: None,
            ppr: PPr::default(),
            rpr: heading_faces[l].clone(),
        });
    }
    list.extend([
        para(S_ATT_LABEL, "附件标识", PPr::default(), font(&f.heading1)),
        para(
            S_ATT_TITLE,
            "附件标题",
            PPr {
                keep_next: true,
                ..centred
            },
            title,
        ),
        para(S_TABLE, "表格文字", table_ppr.clone(), table_rpr(None)),
        para(
            S_TABLE_HEAD,
            "表头文字",
            table_ppr,
            table_rpr(Some(&f.heading1)),
        ),
        para(
            S_COLOPHON,
            "版记",
            PPr {
                ind: Some(Ind {
                    left: CHAR_SMALL,
                    right: CHAR_SMALL,
                    left_chars: chars(1),
                    right_chars: chars(1),
                    ..Ind::default()
                }),
                jc: Some("left"),
                ..PPr::default()
            },
            RPr {
                size: Some(SZ_SMALL),
                ..RPr::default()
            },
        ),
        // 抄送：wrapped lines align after the colon (one character in, then three).
        Style {
            id: S_COLOPHON_CC,
            name: "版记抄送",
            character: false,
            based_on: Some(S_COLOPHON),
            ppr: PPr {
                ind: Some(Ind {
                    left: 4 * CHAR_SMALL,
                    right: CHAR_SMALL,
                    first: -3 * CHAR_SMALL,
                    left_chars: chars(4),
                    right_chars: chars(1),
                    first_chars: chars(-3),
                }),
                ..PPr::default()
            },
            rpr: RPr::default(),
        },
        para(
            S_FOOTER,
            "页码",
            PPr {
                snap_to_grid: Some(false),
                spacing: Some(Spacing::exact(CHAR_SMALL)),
                ..PPr::default()
            },
            RPr {
                font: Some(&f.page_number),
                size: Some(SZ_SMALL),
                ..RPr::default()
            },
        ),
    ]);
    let mut x = Xml::from(DECL);
    x.open("w:styles", &[("xmlns:w", NS_W)]);
    x.open("w:docDefaults", &[]);
    x.open("w:rPrDefault", &[]);
    RPr {
        spacing: Some(CHAR_SPACING),
        size: Some(SZ_BODY),
        ..body
    }
    .write(&mut x);
    x.close("w:rPrDefault");
    x.close("w:docDefaults");
    for s in &list {
        s.write(&mut x);
    }
    x.close("w:styles");
    x.into_string()
}

fn settings() -> String {
    let mut x = Xml::from(DECL);
    x.open("w:settings", &[("xmlns:w", NS_W)]);
    x.empty("w:zoom", &[("w:percent", "100")]);
    x.val("w:defaultTabStop", 420);
    // Odd and even pages have their own footers (the page number changes sides).
    x.empty("w:evenAndOddHeaders", &[]);
    // Every punctuation mark keeps its full cell, as on the 28-character grid.
    x.val("w:characterSpacingControl", "doNotCompress");
    x.open("w:compat", &[]);
    x.empty("w:useFELayout", &[]);
    x.empty(
        "w:compatSetting",
        &[
            ("w:name", "compatibilityMode"),
            ("w:uri", "http://schemas.microsoft.com/office/word"),
            ("w:val", "15"),
        ],
    );
    x.close("w:compat");
    x.close("w:settings");
    x.into_string()
}

/// A page-number footer: "— N —", odd pages right and even pages left, one character in;
/// `None`: an empty footer (the unnumbered 版记 page).
fn footer(odd: Option<bool>) -> String {
    let mut x = Xml::from(DECL);
    x.open("w:ftr", &[("xmlns:w", NS_W), ("xmlns:r", NS_R)]);
    let (jc, ind) = match odd {
        Some(true) => (
            Some("right"),
            Some(Ind {
                right: CHAR_SMALL,
                ..Ind::default()
            }),
        ),
        Some(false) => (
            Some("left"),
            Some(Ind {
                left: CHAR_SMALL,
                ..Ind::default()
            }),
        ),
        None => (None, None),
    };
    x.open("w:p", &[]);
    PPr {
        style: Some(S_FOOTER),
        ind,
        jc,
        ..PPr::default()
    }
    .write(&mut x);
    if odd.is_some() {
        let none = RPr::default();
        ooxml::run(&mut x, &none, "— ");
        for (kind, instr) in [("begin", None), ("separate", Some("PAGE")), ("end", None)] {
            if let Some(i) = instr {
                x.open("w:r", &[]);
                x.open("w:instrText", &[("xml:space", "preserve")]);
                x.text(&format!(" {i} "));
                x.close("w:instrText");
                x.close("w:r");
            }
            x.open("w:r", &[]);
            x.empty("w:fldChar", &[("w:fldCharType", kind)]);
            x.close("w:r");
            if kind == "separate" {
                ooxml::run(&mut x, &none, "1");
            }
        }
        ooxml::run(&mut x, &none, " —");
    }
    x.close("w:p");
    x.close("w:ftr");
    x.into_string()
}
