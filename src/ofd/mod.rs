//! OFD (GB/T 33190-2016) from the same layout the PDF draws, so pages break alike: OFD.xml
//! with the document info, Doc_0/Document.xml, Doc_0/PublicRes.xml with the fonts embedded as
//! subsets (Doc_0/Res/), one Doc_0/Pages/Page_N/Content.xml per page. Deterministic bytes: the
//! parts in a fixed order, every zip entry stamped with the 成文日期.
//!
//! One concern a file: [`page`] (Content.xml), [`xml`] (the document-level parts, namespace,
//! IDs), [`font`] (subsets with a cmap). The package is zipped by
//! [`Zip`](crate::zipper::Zip), as the DOCX is; the pages are deflated as they are made.

mod font;
mod page;
mod xml;

use std::collections::BTreeMap;
use std::fmt;

use crate::fonts::{FaceId, FontSet};
use crate::ir::Meta;
use crate::layout::{Item, Layout, TextRun};

/// Why an OFD could not be written.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// A face could not be subset (its file, the reason).
    Font(String, String),
    /// The zip package could not be written.
    Package(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Font(file, e) => write!(f, "OFD 无法嵌入字体 {file}：{e}"),
            Error::Package(e) => write!(f, "OFD 打包失败：{e}"),
        }
    }
}

impl std::error::Error for Error {}

/// Every character drawn, per face: character → glyph id (what the subset and its cmap keep).
fn glyphs_by_face(layout: &Layout) -> BTreeMap<FaceId, BTreeMap<char, u16>> {
    let mut out: BTreeMap<FaceId, BTreeMap<char, u16>> = BTreeMap::new();
    let mut add = |t: &TextRun| {
        let chars = out.entry(t.face).or_default();
        for g in &t.glyphs {
            let s = &t.text[g.range.start as usize..g.range.end as usize];
            if let Some(c) = s.chars().next().filter(|c| !c.is_whitespace()) {
                chars.entry(c).or_insert(g.gid);
            }
        }
    };
    for p in &layout.pages {
        for item in &p.items {
            if let Item::Text(t) = item {
                add(t);
            }
        }
        p.folio.iter().for_each(&mut add);
    }
    out
}

/// A document identifier from the content (the same document, the same ID): two 64-bit
/// multiply-xorshift hashes over the XML parts (the pages as they are made, then
/// Document.xml and PublicRes.xml), eight bytes at a time, as 32 hex digits. The fonts are
/// left out: they follow from the text the pages draw.
struct DocId([u64; 2]);

impl DocId {
    fn new() -> DocId {
        DocId([0x9e37_79b9_7f4a_7c15, 0xc2b2_ae3d_27d4_eb4f])
    }

    /// Takes in one XML part, its name then its bytes.
    fn add(&mut self, name: &str, bytes: &[u8]) {
        for chunk in name.as_bytes().chunks(8).chain(bytes.chunks(8)) {
            let mut w = [0u8; 8];
            w[..chunk.len()].copy_from_slice(chunk);
            let word = u64::from_le_bytes(w) ^ ((chunk.len() as u64) << 56);
            for (k, v) in self.0.iter_mut().enumerate() {
                *v = (*v ^ word.wrapping_add(k as u64)).wrapping_mul(0xff51_afd7_ed55_8ccd);
                *v ^= *v >> 29;
            }
        }
    }

    fn hex(&self) -> String {
        format!("{:016x}{:016x}", self.0[0], self.0[1])
    }
}

/// The pages, deflated as they were made.
struct ZippedPages {
    /// Every page's Content.xml, in a package of their own.
    package: Vec<u8>,
    /// Each page's (ID, location), for Document.xml.
    pages: Vec<(u32, String)>,
    /// The document's ID, the pages taken in.
    id: DocId,
}

fn zip_pages(
    layout: &Layout,
    date: crate::date::Date,
    ids: &mut xml::Ids,
    font_id: &dyn Fn(u16) -> u32,
) -> Result<ZippedPages, crate::zipper::Error> {
    let mut zip = crate::zipper::Zip::new(date)?;
    let mut pages = Vec::new();
    let mut doc_id = DocId::new();
    for (i, p) in layout.pages.iter().enumerate() {
        let id = ids.next();
        let loc = format!("Pages/Page_{i}/Content.xml");
        let xml = page::content(p, ids, font_id);
        let name = format!("Doc_0/{loc}");
        doc_id.add(&name, xml.as_bytes());
        zip.part(&name, xml.as_bytes())?;
        pages.push((id, loc));
    }
    Ok(ZippedPages {
        package: zip.finish()?,
        pages,
        id: doc_id,
    })
}

/// Write the laid-out document as OFD bytes.
pub fn write(layout: &Layout, fonts: &FontSet, meta: &Meta) -> Result<Vec<u8>, Error> {
    let package = |e: crate::zipper::Error| Error::Package(e.to_string());
    let date = meta
        .date
        .ok_or_else(|| Error::Package("缺少成文日期，无法确定文件时间".into()))?;
    let mut ids = xml::Ids::default();
    let used = glyphs_by_face(layout);
    // Font resources first (IDs 1…), subset on a second thread while the pages are written.
    let res: Vec<(FaceId, xml::FontRes)> = used
        .keys()
        .map(|&face| {
            let id = ids.next();
            let name = fonts.face(face).name.clone();
            (
                face,
                xml::FontRes {
                    id,
                    name,
                    file: String::new(),
                },
            )
        })
        .collect();
    let font_id = |face: u16| {
        res.iter()
            .find(|(f, _)| *f == face)
            .map(|(_, r)| r.id)
            .unwrap_or(0)
    };
    // The pages are deflated (and taken into the ID) as they are made, into a package of
    // their own (a large document's page XML is tens of MB), and copied into the OFD's
    // without being deflated again once the parts that go before them are known.
    let (subsets, pages_zip, mut id, document) = std::thread::scope(|s| {
        let subsets = s.spawn(|| {
            used.iter()
                .map(|(&face, chars)| {
                    let f = fonts.face(face);
                    font::subset(f, chars).map_err(|e| Error::Font(f.source.clone(), e))
                })
                .collect::<Result<Vec<Vec<u8>>, Error>>()
        });
        let zipped = zip_pages(layout, date, &mut ids, &font_id);
        let subsets = subsets
            .join()
            .unwrap_or_else(|_| Err(Error::Package("字体子集化线程异常退出".into())));
        let ZippedPages {
            package: pages_zip,
            pages,
            id,
        } = zipped.map_err(package)?;
        let sheet = layout
            .pages
            .first()
            .map(page::sheet_mm)
            .unwrap_or((210.0, 297.0));
        let document = xml::document(ids.max(), sheet, &pages);
        Ok::<_, Error>((subsets, pages_zip, id, document))
    })?;
    let subsets = subsets?;
    let mut res: Vec<xml::FontRes> = res.into_iter().map(|(_, r)| r).collect();
    for (r, bytes) in res.iter_mut().zip(&subsets) {
        let ext = if bytes.starts_with(b"OTTO") {
            "otf"
        } else {
            "ttf"
        };
        r.file = format!("font_{}.{ext}", r.id);
    }
    let public_res = xml::public_res(&res);
    id.add("Doc_0/Document.xml", document.as_bytes());
    id.add("Doc_0/PublicRes.xml", public_res.as_bytes());
    let mut zip = crate::zipper::Zip::new(date).map_err(package)?;
    zip.part("OFD.xml", xml::ofd(meta, &id.hex()).as_bytes())
        .map_err(package)?;
    zip.part("Doc_0/Document.xml", document.as_bytes())
        .map_err(package)?;
    zip.part("Doc_0/PublicRes.xml", public_res.as_bytes())
        .map_err(package)?;
    zip.copy_parts(&pages_zip).map_err(package)?;
    for (r, bytes) in res.iter().zip(&subsets) {
        zip.part(&format!("Doc_0/Res/{}", r.file), bytes)
            .map_err(package)?;
    }
    zip.finish().map_err(package)
}

#[cfg(test)]
mod tests {
    use super::DocId;

    fn id(parts: &[(&str, &str)]) -> String {
        let mut id = DocId::new();
        for (name, bytes) in parts {
            id.add(name, bytes.as_bytes());
        }
        id.hex()
    }

    #[test]
    fn the_id_follows_every_part_and_its_place() {
        let page = (
            "Doc_0/Pages/Page_0/Content.xml",
            "<ofd:Page>通报</ofd:Page>",
        );
        let doc = ("Doc_0/Document.xml", "<ofd:Document/>");
        let base = id(&[page, doc]);
        assert_eq!(base, id(&[page, doc]));
        assert_eq!(base.len(), 32);
        assert_ne!(
            base,
            id(&[
                (
                    "Doc_0/Pages/Page_0/Content.xml",
                    "<ofd:Page>通告</ofd:Page>"
                ),
                doc
            ])
        );
        assert_ne!(base, id(&[doc, page]));
        assert_ne!(base, id(&[page]));
    }
}
