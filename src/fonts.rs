//! The five GB/T 9704 font roles and the faces that play them.
//!
//! Each face is parsed once with ttf-parser; a glyph (face, glyph id, advance) is looked up
//! once per distinct character and role and cached. A character missing from a role's face
//! falls back to the first face of the set that covers it; the layout counts those per role.
//! The shipped free fonts are embedded in the binary, so `tongbao` works anywhere;
//! [`FontSet::from_dir`] replaces any role with a user's own licensed file.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{OnceLock, RwLock};

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
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Fangsong,
        Role::Xiaobiaosong,
        Role::Heiti,
        Role::Kaiti,
        Role::Songti,
    ];

    /// The file stem `FontSet::from_dir` looks for, and the name used in dumps.
    pub fn key(self) -> &'static str {
        match self {
            Role::Fangsong => "fangsong",
            Role::Xiaobiaosong => "xiaobiaosong",
            Role::Heiti => "heiti",
            Role::Kaiti => "kaiti",
            Role::Songti => "songti",
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
}

/// One parsed face.
pub struct Face {
    /// Where it came from ("embedded:FandolFang-Regular.otf" or a path).
    pub source: String,
    /// Full name from the name table.
    pub name: String,
    data: &'static [u8],
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
            name,
            data,
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

    /// Raw font data and the face index inside a collection.
    pub fn data(&self) -> (&'static [u8], u32) {
        (self.data, self.index)
    }

    /// The krilla font for this face, created (and hashed) once.
    pub fn krilla_font(&self) -> Option<krilla::text::Font> {
        self.krilla
            .get_or_init(|| krilla::text::Font::new(krilla::Data::from(self.data), self.index))
            .clone()
    }
}

fn full_name(face: &ttf_parser::Face) -> String {
    for id in [ttf_parser::name_id::FULL_NAME, ttf_parser::name_id::FAMILY] {
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
}

impl fmt::Display for FontError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FontError::Read(p, e) => write!(f, "无法读取字体文件 {}：{e}", p.display()),
            FontError::Parse(s) => write!(f, "无法解析字体 {s}：不是有效的 OpenType/TrueType 字体"),
        }
    }
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
    /// 仿宋 covering traditional characters.
    pub const FANGSONG_HANT: Option<(&str, &[u8])> = Some((
        "cwTeXQFangsong-Medium.ttf",
        include_bytes!("../fonts/cwTeXQFangsong-Medium.ttf"),
    ));
}

/// Number of cache slots: one per role plus the traditional 仿宋.
const SLOTS: usize = 6;
const HANT_SLOT: usize = 5;

/// The faces for every role, loaded once, with a per-character glyph cache.
pub struct FontSet {
    faces: Vec<Face>,
    primary: [FaceId; 5],
    /// A 仿宋 face for traditional text, if one is available.
    fangsong_hant: Option<FaceId>,
    /// Faces tried, in order, for a character the role's face lacks.
    fallback: Vec<FaceId>,
    cache: [RwLock<HashMap<char, Glyph>>; SLOTS],
}

impl fmt::Debug for FontSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("FontSet");
        for r in Role::ALL {
            d.field(
                r.key(),
                &self.faces[self.primary[r.index()] as usize].source,
            );
        }
        d.finish()
    }
}

impl FontSet {
    /// The shipped fonts, embedded in the binary.
    pub fn embedded() -> FontSet {
        Self::build([None, None, None, None, None], None).expect("the embedded fonts are valid")
    }

    /// The shipped fonts, with any role overridden by a file in `dir` named after the role
    /// (`fangsong.otf`, `xiaobiaosong.ttf`, `heiti.ttc`, `kaiti.*`, `songti.*`; a traditional
    /// 仿宋 as `fangsong-hant.*`).
    pub fn from_dir(dir: &Path) -> Result<FontSet, FontError> {
        let mut roles: [Option<Face>; 5] = [None, None, None, None, None];
        for role in Role::ALL {
            if let Some(face) = load_role_file(dir, role.key())? {
                roles[role.index()] = Some(face);
            }
        }
        let hant = load_role_file(dir, "fangsong-hant")?;
        Self::build(roles, hant)
    }

    fn build(mut roles: [Option<Face>; 5], hant: Option<Face>) -> Result<FontSet, FontError> {
        let mut faces = Vec::new();
        let mut primary = [0; 5];
        let defaults = [
            embedded::FANGSONG,
            embedded::XIAOBIAOSONG,
            embedded::HEITI,
            embedded::KAITI,
            embedded::SONGTI,
        ];
        for role in Role::ALL {
            let face = match roles[role.index()].take() {
                Some(f) => f,
                None => {
                    let (name, data) = defaults[role.index()];
                    Face::parse(format!("embedded:{name}"), data, Some(" SC"))?
                }
            };
            primary[role.index()] = faces.len() as FaceId;
            faces.push(face);
        }
        let hant = match hant {
            Some(f) => Some(f),
            None => match embedded::FANGSONG_HANT {
                Some((name, data)) => Some(Face::parse(format!("embedded:{name}"), data, None)?),
                None => None,
            },
        };
        let fangsong_hant = hant.map(|f| {
            faces.push(f);
            (faces.len() - 1) as FaceId
        });
        // Fallback order: the broad-coverage Noto faces first (宋体 regular, 黑体, 小标宋),
        // then the traditional 仿宋, then the rest.
        let mut fallback = vec![
            primary[Role::Songti.index()],
            primary[Role::Heiti.index()],
            primary[Role::Xiaobiaosong.index()],
        ];
        fallback.extend(fangsong_hant);
        fallback.push(primary[Role::Fangsong.index()]);
        fallback.push(primary[Role::Kaiti.index()]);
        let mut seen = Vec::new();
        fallback.retain(|f| {
            let new = !seen.contains(f);
            seen.push(*f);
            new
        });
        Ok(FontSet {
            faces,
            primary,
            fangsong_hant,
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

    /// The face a role uses (for traditional text, the traditional 仿宋 if any).
    pub fn primary(&self, role: Role, traditional: bool) -> FaceId {
        match (role, traditional, self.fangsong_hant) {
            (Role::Fangsong, true, Some(f)) => f,
            _ => self.primary[role.index()],
        }
    }

    /// Whether a traditional-capable 仿宋 is available.
    pub fn has_traditional_fangsong(&self) -> bool {
        self.fangsong_hant.is_some()
    }

    /// The glyph for `ch` in `role`, falling back per character to a covering face.
    pub fn glyph(&self, role: Role, ch: char, traditional: bool) -> Glyph {
        let slot = match (role, traditional, self.fangsong_hant) {
            (Role::Fangsong, true, Some(_)) => HANT_SLOT,
            _ => role.index(),
        };
        if let Some(g) = self.cache[slot].read().expect("glyph cache").get(&ch) {
            return *g;
        }
        let g = self.resolve(self.primary(role, traditional), ch);
        self.cache[slot].write().expect("glyph cache").insert(ch, g);
        g
    }

    fn resolve(&self, primary: FaceId, ch: char) -> Glyph {
        if let Some((gid, advance)) = self.faces[primary as usize].lookup(ch) {
            return Glyph {
                face: primary,
                gid,
                advance,
                fallback: false,
            };
        }
        // Control characters and the like are not "missing": they are never drawn.
        for &f in &self.fallback {
            if f == primary {
                continue;
            }
            if let Some((gid, advance)) = self.faces[f as usize].lookup(ch) {
                return Glyph {
                    face: f,
                    gid,
                    advance,
                    fallback: true,
                };
            }
        }
        Glyph {
            face: primary,
            gid: 0,
            advance: if is_wide(ch) { 1.0 } else { 0.5 },
            fallback: true,
        }
    }
}

fn load_role_file(dir: &Path, stem: &str) -> Result<Option<Face>, FontError> {
    for ext in ["otf", "ttf", "ttc", "otc", "OTF", "TTF", "TTC"] {
        let path = dir.join(format!("{stem}.{ext}"));
        if path.is_file() {
            let data =
                std::fs::read(&path).map_err(|e| FontError::Read(path.clone(), e.to_string()))?;
            // A font set is built once per process; its data lives as long as the process,
            // which lets the parsed face borrow it without re-parsing per lookup.
            let data: &'static [u8] = Box::leak(data.into_boxed_slice());
            let want = if ext.eq_ignore_ascii_case("ttc") || ext.eq_ignore_ascii_case("otc") {
                Some(" SC")
            } else {
                None
            };
            return Face::parse(path.display().to_string(), data, want).map(Some);
        }
    }
    Ok(None)
}

/// Characters that take a full grid cell: CJK ideographs, kana, full-width forms and CJK
/// punctuation (including the dash and ellipsis, which the fonts set full width).
pub fn is_wide(ch: char) -> bool {
    let c = ch as u32;
    matches!(c,
        0x2014 | 0x2015 | 0x2026 | 0x2018..=0x201F | 0x2E80..=0x303F | 0x3040..=0x9FFF
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
                if role == Role::Songti {
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
    fn traditional_body_text_uses_a_traditional_face() {
        let fs = FontSet::embedded();
        if !fs.has_traditional_fangsong() {
            return;
        }
        for ch in "關於全區政府網站檢查情況的通報".chars() {
            let g = fs.glyph(Role::Fangsong, ch, true);
            assert!(!g.fallback, "{ch} falls back");
        }
        // The simplified face lacks 況.
        assert!(fs.glyph(Role::Fangsong, '況', false).fallback);
    }

    #[test]
    fn from_dir_overrides_one_role() {
        let dir = std::env::temp_dir().join(format!("tongbao-fonts-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("heiti.ttf"), embedded::KAITI.1).unwrap();
        let fs = FontSet::from_dir(&dir).unwrap();
        let heiti = fs.face(fs.primary(Role::Heiti, false));
        assert!(heiti.source.ends_with("heiti.ttf"), "{}", heiti.source);
        std::fs::write(dir.join("kaiti.ttf"), b"not a font").unwrap();
        let err = FontSet::from_dir(&dir).unwrap_err();
        assert!(err.to_string().contains("无法解析字体"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
