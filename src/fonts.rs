//! The five GB/T 9704 font roles, the Latin face of the 仿宋 text, and the faces that play them.
//!
//! Each face is parsed once with ttf-parser; a glyph (face, glyph id, advance) is looked up
//! once per distinct character and role and cached. A character missing from a role's face
//! falls back to the first face of the set that covers it; the layout counts those per role.
//! The shipped free fonts are embedded in the binary, so `tongbao` works anywhere;
//! [`FontSet::from_dir`] replaces any role with a user's own licensed file.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{OnceLock, RwLock};

use crate::charmap::CharMap;

mod vertical;

/// What a face is used for, in GB/T 9704 terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Role {
    /// 仿宋: body text, 发文字号, signature, tables, 版记.
    Fangsong,
    /// 小标宋: 发文机关标志 and titles.
    Xiaobiaosong,
    /// 黑体: level-1 headings, "附件1", table headers.
    Heiti,
    /// 楷体: level-2 headings.
    Kaiti,
    /// 宋体: page-number digits and dashes.
    Songti,
    /// The Latin face (Times New Roman in a DOCX): digits, letters and ASCII punctuation of
    /// the 仿宋 text, set at their own proportional widths.
    Latin,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Fangsong,
        Role::Xiaobiaosong,
        Role::Heiti,
        Role::Kaiti,
        Role::Songti,
        Role::Latin,
    ];

    /// The file stem `FontSet::from_dir` looks for, and the name used in dumps.
    pub fn key(self) -> &'static str {
        match self {
            Role::Fangsong => "fangsong",
            Role::Xiaobiaosong => "xiaobiaosong",
            Role::Heiti => "heiti",
            Role::Kaiti => "kaiti",
            Role::Songti => "songti",
            Role::Latin => "latin",
        }
    }

    /// The Chinese name users see in reports.
    pub fn zh(self) -> &'static str {
        match self {
            Role::Fangsong => "仿宋",
            Role::Xiaobiaosong => "小标宋",
            Role::Heiti => "黑体",
            Role::Kaiti => "楷体",
            Role::Songti => "宋体",
            Role::Latin => "西文",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Index of a face in a [`FontSet`].
pub type FaceId = u16;

/// A character resolved to a face: what the layout places and the PDF draws.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Glyph {
    pub face: FaceId,
    pub gid: u16,
    /// Horizontal advance in em.
    pub advance: f32,
    /// The role's own face lacks the character (another face, or .notdef, is used).
    pub fallback: bool,
    /// Taken from the role's face for the other script, the same style (啓 from the simplified
    /// 仿宋 in a traditional document): no fallback, but reported with them.
    pub same_style: bool,
}

/// One parsed face.
pub struct Face {
    /// Where it came from ("embedded:FandolFang-Regular.otf" or a path).
    pub source: String,
    /// Full name from the name table.
    pub name: String,
    /// Family name, what a word processor looks the face up by.
    pub family: String,
    data: &'static [u8],
    /// For the Latin face: `data` with the 仿宋's vertical metrics, what the PDF and OFD
    /// embed (see [`vertical`]); `face` keeps reading `data`, whose glyphs are the same.
    embedded_data: Option<Vec<u8>>,
    index: u32,
    face: ttf_parser::Face<'static>,
    upem: f32,
    krilla: OnceLock<Option<krilla::text::Font>>,
}

impl Face {
    fn parse(source: String, data: &'static [u8], want: Option<&str>) -> Result<Face, FontError> {
        let count = ttf_parser::fonts_in_collection(data).unwrap_or(1);
        let mut chosen = None;
        for index in 0..count {
            let Ok(face) = ttf_parser::Face::parse(data, index) else {
                continue;
            };
            let name = full_name(&face);
            let matches = want.is_some_and(|w| name.contains(w));
            if chosen.is_none() || matches {
                chosen = Some((index, face, name));
            }
            if matches {
                break;
            }
        }
        let (index, face, name) = chosen.ok_or_else(|| FontError::Parse(source.clone()))?;
        let upem = face.units_per_em() as f32;
        Ok(Face {
            source,
            family: name_of(&face, &[ttf_parser::name_id::FAMILY]),
            name,
            data,
            embedded_data: None,
            index,
            face,
            upem,
            krilla: OnceLock::new(),
        })
    }

    /// The face's glyph for `ch`, if it has one, with its advance in em.
    pub fn lookup(&self, ch: char) -> Option<(u16, f32)> {
        let gid = self.face.glyph_index(ch)?;
        let adv = self.face.glyph_hor_advance(gid).unwrap_or(0) as f32 / self.upem;
        Some((gid.0, adv))
    }

    /// The horizontal extent of a glyph's ink, in em from its origin (None: no outline).
    pub fn ink(&self, gid: u16) -> Option<(f32, f32)> {
        let b = self.face.glyph_bounding_box(ttf_parser::GlyphId(gid))?;
        Some((b.x_min as f32 / self.upem, b.x_max as f32 / self.upem))
    }

    /// The font data to embed and the face index inside a collection.
    pub fn data(&self) -> (&[u8], u32) {
        (
            self.embedded_data.as_deref().unwrap_or(self.data),
            self.index,
        )
    }

    /// The krilla font for this face, created (and hashed) once.
    pub fn krilla_font(&self) -> Option<krilla::text::Font> {
        self.krilla
            .get_or_init(|| {
                let data = match &self.embedded_data {
                    Some(copy) => krilla::Data::from(copy.clone()),
                    None => krilla::Data::from(self.data),
                };
                krilla::text::Font::new(data, self.index)
            })
            .clone()
    }

    /// Embed this face with `model`'s ascent, descent and line gap (see [`vertical`]).
    fn embed_with_vertical_metrics_of(&mut self, model: &Face) {
        self.embedded_data = vertical::like(self.data, self.index, &model.face);
        // validate() may have created the krilla font from the file's own metrics.
        self.krilla = OnceLock::new();
    }
}

fn full_name(face: &ttf_parser::Face) -> String {
    name_of(
        face,
        &[ttf_parser::name_id::FULL_NAME, ttf_parser::name_id::FAMILY],
    )
}

/// The first of the name-table entries `ids` the face has.
fn name_of(face: &ttf_parser::Face, ids: &[u16]) -> String {
    for &id in ids {
        if let Some(n) = face
            .names()
            .into_iter()
            .filter(|n| n.name_id == id && n.is_unicode())
            .find_map(|n| n.to_string())
        {
            return n;
        }
    }
    String::new()
}

/// A font could not be used.
#[derive(Debug, Clone, PartialEq)]
pub enum FontError {
    Read(PathBuf, String),
    Parse(String),
    /// The `--fonts` folder: missing, not a folder, or without any font tongbao looks for.
    Dir(PathBuf, String),
    /// The file parses but cannot be trusted: a table outside the file, a wrong checksum, a
    /// glyph that does not decode, the characters its role sets missing.
    Corrupt(String, String),
}

impl fmt::Display for FontError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FontError::Read(p, e) => write!(f, "无法读取字体文件 {}：{e}", p.display()),
            FontError::Parse(s) => write!(
                f,
                "无法解析字体 {s}：不是有效的 OpenType/TrueType 字体（文件不完整或已损坏）"
            ),
            FontError::Dir(p, why) => write!(f, "字体目录 {}{why}", p.display()),
            FontError::Corrupt(s, why) => write!(f, "字体 {s} 不能使用：{why}"),
        }
    }
}

/// Characters every face of a role must set: a face that lacks one is the wrong font (a Latin
/// font named fangsong.ttf) or a broken one. The 宋体 sets only page numbers.
fn probe(role: Role, traditional: bool) -> &'static str {
    match (role, traditional) {
        (Role::Songti, _) => "0123456789",
        (Role::Latin, _) => "0123456789.%abcxyzABCXYZ",
        (_, false) => "关于政府网站检查情况的通报",
        (_, true) => "關於政府網站檢查情況的通報",
    }
}

/// A table's checksum as the OpenType spec defines it: big-endian u32 words, zero padded.
fn table_checksum(table: &[u8]) -> u32 {
    table.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

/// Glyphs decoded to check a face whose outline tables' checksums hold: spread over the font.
const SAMPLED_GLYPHS: u16 = 1024;

/// A user's font, checked once when it is loaded, so that a damaged file is an error naming it
/// rather than boxes, a fallback count or a failed PDF. Every table must lie inside the file;
/// the characters its role sets and a sample of all its glyphs must decode, every glyph when
/// an outline table's checksum is wrong. (A wrong checksum alone is no error: fonts in wide
/// use, AR PL KaitiM GB among them, carry some.)
fn validate(face: &Face, role: Role, traditional: bool) -> Result<(), FontError> {
    let corrupt = |why: String| FontError::Corrupt(face.source.clone(), why);
    let raw = face.face.raw_face();
    let mut suspect = false;
    for r in raw.table_records {
        let (start, len) = (r.offset as usize, r.length as usize);
        let Some(table) = start
            .checked_add(len)
            .and_then(|end| raw.data.get(start..end))
        else {
            return Err(corrupt(format!("表 {} 超出文件末尾（文件不完整）", r.tag)));
        };
        let outlines = [b"glyf", b"loca", b"CFF ", b"CFF2"].map(ttf_parser::Tag::from_bytes);
        if outlines.contains(&r.tag) && table_checksum(table) != r.check_sum {
            suspect = true;
        }
    }
    struct Outline;
    impl ttf_parser::OutlineBuilder for Outline {
        fn move_to(&mut self, _: f32, _: f32) {}
        fn line_to(&mut self, _: f32, _: f32) {}
        fn quad_to(&mut self, _: f32, _: f32, _: f32, _: f32) {}
        fn curve_to(&mut self, _: f32, _: f32, _: f32, _: f32, _: f32, _: f32) {}
        fn close(&mut self) {}
    }
    for ch in probe(role, traditional).chars() {
        let Some(gid) = face.face.glyph_index(ch) else {
            let kind = if role == Role::Latin {
                "数字与西文字体"
            } else {
                "中文字体"
            };
            return Err(corrupt(format!(
                "没有“{ch}”字：不是{}所需的{kind}（或字符映射表已损坏）",
                role.zh()
            )));
        };
        if face.face.outline_glyph(gid, &mut Outline).is_none() {
            return Err(corrupt(format!("“{ch}”的字形数据无法解码（文件已损坏）")));
        }
    }
    let glyphs = face.face.number_of_glyphs();
    let step = if suspect {
        1
    } else {
        (glyphs / SAMPLED_GLYPHS).max(1)
    };
    // A glyph without an outline is empty (a space) or undecodable; a font has few empty
    // glyphs, a damaged one many that do not decode.
    let mut undecodable = 0u32;
    let mut tried = 0u32;
    for gid in (1..glyphs).step_by(step as usize) {
        tried += 1;
        if face
            .face
            .outline_glyph(ttf_parser::GlyphId(gid), &mut Outline)
            .is_none()
        {
            undecodable += 1;
        }
    }
    if undecodable > 8 + tried / 20 {
        return Err(corrupt(format!(
            "抽查的 {tried} 个字形中有 {undecodable} 个没有可解码的字形数据（文件已损坏）"
        )));
    }
    if face.krilla_font().is_none() {
        return Err(corrupt("PDF 写入器无法读取它".into()));
    }
    Ok(())
}

impl std::error::Error for FontError {}

/// The shipped fonts, embedded in the binary.
mod embedded {
    pub const FANGSONG: (&str, &[u8]) = (
        "FandolFang-Regular.otf",
        include_bytes!("../fonts/FandolFang-Regular.otf"),
    );
    pub const XIAOBIAOSONG: (&str, &[u8]) = (
        "NotoSerifCJKsc-Bold-GBK.otf",
        include_bytes!("../fonts/NotoSerifCJKsc-Bold-GBK.otf"),
    );
    pub const HEITI: (&str, &[u8]) = (
        "NotoSansCJKsc-Regular-GBK.otf",
        include_bytes!("../fonts/NotoSansCJKsc-Regular-GBK.otf"),
    );
    pub const KAITI: (&str, &[u8]) = ("gkai00mp.ttf", include_bytes!("../fonts/gkai00mp.ttf"));
    pub const SONGTI: (&str, &[u8]) = (
        "NotoSerifCJKsc-Regular-GBK.otf",
        include_bytes!("../fonts/NotoSerifCJKsc-Regular-GBK.otf"),
    );
    /// Liberation Serif, metric-compatible with Times New Roman.
    pub const LATIN: (&str, &[u8]) = (
        "LiberationSerif-Regular.ttf",
        include_bytes!("../fonts/LiberationSerif-Regular.ttf"),
    );
    /// 仿宋 and 楷体 for traditional text (Big5 repertoire).
    pub const FANGSONG_HANT: (&str, &[u8]) = (
        "cwTeXQFangsong-Medium.ttf",
        include_bytes!("../fonts/cwTeXQFangsong-Medium.ttf"),
    );
    pub const KAITI_HANT: (&str, &[u8]) = ("cwkai.ttf", include_bytes!("../fonts/cwkai.ttf"));
}

/// The roles with a face of their own for traditional text, and the file `from_dir` takes it
/// from.
const HANT_ROLES: [(Role, &str); 2] = [
    (Role::Fangsong, "fangsong-hant"),
    (Role::Kaiti, "kaiti-hant"),
];

/// The faces for every role, loaded once, with a per-character glyph cache.
pub struct FontSet {
    faces: Vec<Face>,
    /// Per role, the face for simplified text and the face for traditional text (the same
    /// face where the role has no traditional one).
    role_faces: [[FaceId; 2]; 6],
    /// Per role, whether its two faces are one design pair (both shipped, or both the user's):
    /// then a character one lacks is taken from the other without counting as a fallback. A
    /// user's licensed 仿宋 lacking a character is reported, not silently filled from ours.
    paired: [bool; 6],
    /// Faces tried, in order, for a character both faces of the role lack.
    fallback: Vec<FaceId>,
    /// One cache per role and script.
    cache: [RwLock<CharMap<Glyph>>; 12],
}

impl fmt::Debug for FontSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("FontSet");
        for r in Role::ALL {
            d.field(
                r.key(),
                &self.faces[self.role_faces[r.index()][0] as usize].source,
            );
        }
        d.finish()
    }
}

impl FontSet {
    /// The shipped fonts, embedded in the binary.
    pub fn embedded() -> FontSet {
        Self::build(Default::default(), Default::default()).expect("the embedded fonts are valid")
    }

    /// The shipped fonts, with any role overridden by a file in `dir` named after the role
    /// (`fangsong.otf`, `xiaobiaosong.ttf`, `heiti.ttc`, `kaiti.*`, `songti.*`, `latin.*`; the
    /// faces for traditional text as `fangsong-hant.*` and `kaiti-hant.*`).
    ///
    /// Every file found is validated; a folder that is missing, not a folder, or holds none of
    /// these files is an error (the fonts asked for would silently not be used).
    pub fn from_dir(dir: &Path) -> Result<FontSet, FontError> {
        if !dir.exists() {
            return Err(FontError::Dir(dir.into(), " 不存在".into()));
        }
        if !dir.is_dir() {
            return Err(FontError::Dir(
                dir.into(),
                " 不是目录：--fonts 应指向存放字体文件的目录".into(),
            ));
        }
        let mut roles: [Option<Face>; 6] = Default::default();
        for role in Role::ALL {
            roles[role.index()] = load_role_file(dir, role.key(), role, false)?;
        }
        let mut hant: [Option<Face>; 2] = Default::default();
        for (slot, (role, key)) in hant.iter_mut().zip(HANT_ROLES) {
            *slot = load_role_file(dir, key, role, true)?;
        }
        if roles.iter().chain(&hant).all(Option::is_none) {
            let names: Vec<String> = Role::ALL
                .iter()
                .map(|r| r.key())
                .chain(HANT_ROLES.iter().map(|(_, k)| *k))
                .map(|k| format!("{k}.otf"))
                .collect();
            return Err(FontError::Dir(
                dir.into(),
                format!(
                    " 中没有 tongbao 使用的字体文件：应命名为 {}（或 .ttf、.ttc）",
                    names.join("、")
                ),
            ));
        }
        Self::build(roles, hant)
    }

    /// `roles` and `hant` (in the order of [`HANT_ROLES`]) override the embedded faces.
    fn build(mut roles: [Option<Face>; 6], hant: [Option<Face>; 2]) -> Result<FontSet, FontError> {
        let embedded_face = |(name, data): (&str, &'static [u8]), want| {
            Face::parse(format!("embedded:{name}"), data, want)
        };
        let mut faces = Vec::new();
        let mut role_faces = [[0; 2]; 6];
        let defaults = [
            embedded::FANGSONG,
            embedded::XIAOBIAOSONG,
            embedded::HEITI,
            embedded::KAITI,
            embedded::SONGTI,
            embedded::LATIN,
        ];
        for role in Role::ALL {
            let face = match roles[role.index()].take() {
                Some(f) => f,
                None => embedded_face(defaults[role.index()], Some(" SC"))?,
            };
            let id = faces.len() as FaceId;
            role_faces[role.index()] = [id, id];
            faces.push(face);
        }
        let hant_defaults = [embedded::FANGSONG_HANT, embedded::KAITI_HANT];
        for ((given, default), (role, _)) in hant.into_iter().zip(hant_defaults).zip(HANT_ROLES) {
            let face = match given {
                Some(f) => f,
                None => embedded_face(default, None)?,
            };
            role_faces[role.index()][1] = faces.len() as FaceId;
            faces.push(face);
        }
        // The Latin face sits in the 仿宋's lines: one line box for both. Role::ALL pushes the
        // Latin face after the 仿宋.
        let [latin, fangsong] = [Role::Latin, Role::Fangsong].map(|r| role_faces[r.index()][0]);
        let (before, from_latin) = faces.split_at_mut(latin as usize);
        from_latin[0].embed_with_vertical_metrics_of(&before[fangsong as usize]);
        // Fallback order: the broad-coverage Noto faces first (宋体 regular, 黑体, 小标宋),
        // then the rest.
        let first: Vec<FaceId> = [Role::Songti, Role::Heiti, Role::Xiaobiaosong]
            .iter()
            .map(|r| role_faces[r.index()][0])
            .collect();
        let rest = (0..faces.len() as FaceId).filter(|f| !first.contains(f));
        let fallback: Vec<FaceId> = first.iter().copied().chain(rest).collect();
        let shipped = |f: FaceId| faces[f as usize].source.starts_with("embedded:");
        let paired = role_faces.map(|[s, t]| shipped(s) == shipped(t));
        Ok(FontSet {
            faces,
            role_faces,
            paired,
            fallback,
            cache: Default::default(),
        })
    }

    /// All faces; a [`Glyph::face`] indexes this.
    pub fn faces(&self) -> &[Face] {
        &self.faces
    }

    pub fn face(&self, id: FaceId) -> &Face {
        &self.faces[id as usize]
    }

    /// The face a role uses for simplified or traditional text.
    pub fn primary(&self, role: Role, traditional: bool) -> FaceId {
        self.role_faces[role.index()][usize::from(traditional)]
    }

    /// The glyph for `ch` in `role`, from the role's face for the script, then (if the two are
    /// a pair) its other face, then falling back per character to a covering face. The 仿宋's
    /// digits, letters and ASCII punctuation come from the Latin face first.
    pub fn glyph(&self, role: Role, ch: char, traditional: bool) -> Glyph {
        let slot = role.index() * 2 + usize::from(traditional);
        if let Some(g) = self.cache[slot].read().expect("glyph cache").get(&ch) {
            return *g;
        }
        let own = self.primary(role, traditional);
        let g = if role == Role::Fangsong && ch.is_ascii_graphic() {
            // Not a substitution when the Latin face lacks it: the 仿宋 sets it then.
            self.resolve(self.primary(Role::Latin, false), own, ch)
        } else if self.paired[role.index()] {
            let mut g = self.resolve(own, self.primary(role, !traditional), ch);
            g.same_style = !g.fallback && g.face != own;
            g
        } else {
            self.resolve(own, own, ch)
        };
        self.cache[slot].write().expect("glyph cache").insert(ch, g);
        g
    }

    /// [`Self::glyph`] of each of `chars`, the cache read under one lock for as long as it
    /// holds them (a lock per character, its counter passed between the cores shaping table
    /// rows, cost more than the lookups). The caller asks for no other glyph meanwhile.
    pub fn glyphs<'a>(
        &'a self,
        role: Role,
        traditional: bool,
        chars: impl Iterator<Item = char> + 'a,
    ) -> impl Iterator<Item = (char, Glyph)> + 'a {
        let slot = role.index() * 2 + usize::from(traditional);
        let mut cache = None;
        chars.map(move |ch| {
            let read = cache.get_or_insert_with(|| self.cache[slot].read().expect("glyph cache"));
            match read.get(&ch) {
                Some(g) => (ch, *g),
                None => {
                    // Resolved and cached under the write lock.
                    cache = None;
                    (ch, self.glyph(role, ch, traditional))
                }
            }
        })
    }

    fn resolve(&self, primary: FaceId, same_style: FaceId, ch: char) -> Glyph {
        for face in [primary, same_style] {
            if let Some((gid, advance)) = self.faces[face as usize].lookup(ch) {
                return Glyph {
                    face,
                    gid,
                    advance,
                    fallback: false,
                    same_style: false,
                };
            }
        }
        // Control characters and the like are not "missing": they are never drawn.
        for &f in &self.fallback {
            if f == primary || f == same_style {
                continue;
            }
            if let Some((gid, advance)) = self.faces[f as usize].lookup(ch) {
                return Glyph {
                    face: f,
                    gid,
                    advance,
                    fallback: true,
                    same_style: false,
                };
            }
        }
        Glyph {
            face: primary,
            gid: 0,
            advance: if is_wide(ch) { 1.0 } else { 0.5 },
            fallback: true,
            same_style: false,
        }
    }
}

fn load_role_file(
    dir: &Path,
    stem: &str,
    role: Role,
    traditional: bool,
) -> Result<Option<Face>, FontError> {
    for ext in ["otf", "ttf", "ttc", "otc", "OTF", "TTF", "TTC"] {
        let path = dir.join(format!("{stem}.{ext}"));
        if path.is_file() {
            let data = std::fs::read(&path)
                .map_err(|e| FontError::Read(path.clone(), crate::ioerror::reason(&e)))?;
            // A font set is built once per process; its data lives as long as the process,
            // which lets the parsed face borrow it without re-parsing per lookup.
            let data: &'static [u8] = Box::leak(data.into_boxed_slice());
            let want = if ext.eq_ignore_ascii_case("ttc") || ext.eq_ignore_ascii_case("otc") {
                Some(" SC")
            } else {
                None
            };
            let face = Face::parse(path.display().to_string(), data, want)?;
            validate(&face, role, traditional)?;
            return Ok(Some(face));
        }
    }
    Ok(None)
}

/// Characters that take a full grid cell: CJK ideographs, kana, full-width forms and CJK
/// punctuation (including the dash, the ellipsis and the signs × ÷, which the 仿宋 sets full
/// width: a formula may break around them as around hanzi).
pub fn is_wide(ch: char) -> bool {
    let c = ch as u32;
    matches!(c,
        0xD7 | 0xF7 | 0x2014 | 0x2015 | 0x2026 | 0x2018..=0x201F | 0x2E80..=0x303F | 0x3040..=0x9FFF
        | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF01..=0xFF60 | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFF | 0x2460..=0x24FF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_cover_gb2312_text_without_fallback() {
        let fs = FontSet::embedded();
        for ch in "关于第二季度全区政府网站检查情况的通报".chars() {
            for role in Role::ALL {
                if matches!(role, Role::Songti | Role::Latin) {
                    continue;
                }
                let g = fs.glyph(role, ch, false);
                assert!(!g.fallback, "{role:?} lacks {ch}");
                assert!(g.gid != 0);
                assert!(
                    (g.advance - 1.0).abs() < 0.01,
                    "{role:?} {ch} advance {}",
                    g.advance
                );
            }
        }
    }

    #[test]
    fn rare_character_falls_back_to_a_covering_face() {
        let fs = FontSet::embedded();
        // 堃 is outside GB2312: FandolFang lacks it, the Noto GBK cut has it.
        let g = fs.glyph(Role::Fangsong, '堃', false);
        assert!(g.fallback);
        assert_ne!(g.face, fs.primary(Role::Fangsong, false));
        assert_ne!(g.gid, 0);
    }

    #[test]
    fn traditional_text_uses_the_traditional_faces_of_its_role() {
        let fs = FontSet::embedded();
        for role in [Role::Fangsong, Role::Kaiti] {
            assert_ne!(fs.primary(role, true), fs.primary(role, false));
            for ch in "關於全區政府網站檢查情況的通報進一步強化監管".chars() {
                let g = fs.glyph(role, ch, true);
                assert!(!g.fallback, "{role:?} falls back for {ch}");
                assert_eq!(g.face, fs.primary(role, true), "{role:?} {ch}");
            }
        }
        // The simplified 仿宋 lacks 況: a simplified document takes it from the traditional
        // 仿宋, the same style, not from a fallback face.
        let g = fs.glyph(Role::Fangsong, '況', false);
        assert_eq!(
            (g.face, g.fallback),
            (fs.primary(Role::Fangsong, true), false)
        );
        // The traditional 仿宋 lacks 办 (in a name kept as written): the simplified 仿宋 has it.
        let g = fs.glyph(Role::Fangsong, '办', true);
        assert_eq!(
            (g.face, g.fallback),
            (fs.primary(Role::Fangsong, false), false)
        );
    }

    #[test]
    fn from_dir_overrides_one_role() {
        let dir = std::env::temp_dir().join(format!("tongbao-fonts-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("heiti.ttf"), embedded::KAITI.1).unwrap();
        let fs = FontSet::from_dir(&dir).unwrap();
        let heiti = fs.face(fs.primary(Role::Heiti, false));
        assert!(heiti.source.ends_with("heiti.ttf"), "{}", heiti.source);
        assert!(fs
            .face(fs.primary(Role::Kaiti, true))
            .source
            .ends_with("cwkai.ttf"));
        // A user's 仿宋 (here the 楷体 file standing in) lacking 況 falls back, counted, although
        // the shipped traditional 仿宋 has it: the two are not one design.
        std::fs::write(dir.join("fangsong.ttf"), embedded::KAITI.1).unwrap();
        let fs = FontSet::from_dir(&dir).unwrap();
        assert!(fs.glyph(Role::Fangsong, '況', false).fallback);
        assert!(
            !FontSet::embedded()
                .glyph(Role::Fangsong, '況', false)
                .fallback
        );
        std::fs::remove_file(dir.join("fangsong.ttf")).unwrap();
        std::fs::write(dir.join("kaiti-hant.ttf"), embedded::KAITI_HANT.1).unwrap();
        let fs = FontSet::from_dir(&dir).unwrap();
        let kaiti = fs.face(fs.primary(Role::Kaiti, true));
        assert!(kaiti.source.ends_with("kaiti-hant.ttf"), "{}", kaiti.source);
        // The Latin face: the 仿宋's digits come from it, the heading faces keep theirs.
        std::fs::write(dir.join("latin.ttf"), embedded::KAITI.1).unwrap();
        let fs = FontSet::from_dir(&dir).unwrap();
        let digit = fs.glyph(Role::Fangsong, '9', true);
        assert!(fs.face(digit.face).source.ends_with("latin.ttf"));
        assert_eq!(
            fs.glyph(Role::Heiti, '9', false).face,
            fs.primary(Role::Heiti, false)
        );
        std::fs::remove_file(dir.join("latin.ttf")).unwrap();
        std::fs::write(dir.join("kaiti.ttf"), b"not a font").unwrap();
        let err = FontSet::from_dir(&dir).unwrap_err();
        assert!(err.to_string().contains("无法解析字体"));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_shipped_faces_pass_the_checks_user_faces_get() {
        let fs = FontSet::embedded();
        for role in Role::ALL {
            for trad in [false, true] {
                let face = fs.face(fs.primary(role, trad));
                assert_eq!(validate(face, role, trad), Ok(()), "{}", face.source);
            }
        }
    }

    #[test]
    fn broken_font_files_are_errors_naming_the_file() {
        let dir = std::env::temp_dir().join(format!("tongbao-badfonts-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let kaiti = embedded::KAITI.1;
        let err = |bytes: &[u8]| {
            std::fs::write(dir.join("kaiti.ttf"), bytes).unwrap();
            FontSet::from_dir(&dir).unwrap_err().to_string()
        };
        // Truncated to 1 KB: the table directory points past the end.
        let e = err(&kaiti[..1024]);
        assert!(
            e.contains("kaiti.ttf") && (e.contains("不完整") || e.contains("无法解析")),
            "{e}"
        );
        // The middle of the file (inside glyf) overwritten: its glyphs no longer decode.
        let mut damaged = kaiti.to_vec();
        let n = damaged.len();
        damaged[n / 4..n / 2].fill(0xA5);
        let e = err(&damaged);
        assert!(e.contains("kaiti.ttf") && e.contains("已损坏"), "{e}");
        // The character map overwritten: the font no longer sets the characters of its role.
        let face = ttf_parser::Face::parse(kaiti, 0).unwrap();
        let cmap = face
            .raw_face()
            .table_records
            .into_iter()
            .find(|r| r.tag == ttf_parser::Tag::from_bytes(b"cmap"))
            .unwrap();
        let mut damaged = kaiti.to_vec();
        let (at, len) = (cmap.offset as usize, cmap.length as usize);
        damaged[at + 4..at + len].fill(0);
        let e = err(&damaged);
        assert!(e.contains("kaiti.ttf") && e.contains("没有“关”字"), "{e}");
        // A face without hanzi in a hanzi role.
        let songti = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fonts/NotoSerifCJKsc-Regular-GBK.otf"
        ))
        .unwrap();
        std::fs::remove_file(dir.join("kaiti.ttf")).unwrap();
        std::fs::write(dir.join("songti.otf"), &songti).unwrap();
        assert!(FontSet::from_dir(&dir).is_ok());
        std::fs::remove_dir_all(&dir).unwrap();
        std::fs::create_dir_all(&dir).unwrap();
        let e = FontSet::from_dir(&dir).unwrap_err().to_string();
        assert!(e.contains("没有 tongbao 使用的字体文件"), "{e}");
        let e = FontSet::from_dir(&dir.join("missing"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("missing 不存在"), "{e}");
        std::fs::write(dir.join("plain"), b"x").unwrap();
        let e = FontSet::from_dir(&dir.join("plain"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("不是目录"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
