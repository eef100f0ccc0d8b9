//! zh: simplified ↔ traditional conversion of the whole Document IR, with OpenCC's dictionaries
//! (ferrous-opencc), an override dictionary and protected spans.
//!
//! # Which conversion
//! The quarter file declares the script it is written in (`document.source_script`, default
//! zh-Hans); the output script is `--script` or `document.script`, defaulting to the source
//! script. The configs:
//!
//! | source            | output  | config |
//! |-------------------|---------|--------|
//! | zh-Hans           | zh-Hans | none   |
//! | any               | zh-Hant | s2t    |
//! | any               | zh-TW   | s2tw (not s2twp: its phrase table rewrites official vocabulary, 发布→釋出) |
//! | any               | zh-HK   | s2hk   |
//! | zh-Hant/TW/HK     | zh-Hans | t2s / tw2s / hk2s |
//!
//! A traditional target is reached with an s2* config even from a traditional source: the
//! default templates (title, opening, 合格/不合格 …) are simplified, so the composed IR of a
//! traditional quarter file mixes both scripts, and s2* leaves text that is already traditional
//! as it is (tests/zh.rs checks s2t∘s2t = s2t on seed 000). A simplified source is never run
//! through t2s, which is not the identity on simplified text.
//!
//! # What is never converted
//! - ASCII runs: digits, %, URLs, e-mail addresses, times, Latin names;
//! - the spans listed in `document.proper_nouns`.
//!
//! The 发文字号, in the header and quoted in running text, is converted like the text around it
//! (大足府办发〔2021〕85号 → 大足府辦發〔2021〕85號, as the published traditional circulars print
//! it; its digits and 〔〕 are untouched; list it in `proper_nouns` to keep it as written):
//! this keeps the document in one script, so the traditional body face needs no fallback.
//!
//! # Overrides
//! zh/overrides.tsv (embedded) lists OpenCC's known misses per config; `document.zh_overrides`
//! adds entries for one document and wins over the shipped ones. Matching is leftmost-longest
//! before OpenCC sees the text: the source span is cut out, the rest converted, and the
//! override's target spliced in.
//!
//! Each OpenCC converter is built once per process ([`OnceLock`]), never per text node.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use ferrous_opencc::config::BuiltinConfig;
use ferrous_opencc::OpenCC;

use crate::ir::Document;

/// The shipped override dictionary.
pub const OVERRIDES_TSV: &str = include_str!("../zh/overrides.tsv");

/// An output or source script: the one script type of every stage, parsed once (from the YAML
/// at load, from `--script` by the command line) and carried by the IR (`Meta::script`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Script {
    #[default]
    Hans,
    Hant,
    Tw,
    Hk,
}

impl Script {
    pub const ALL: [Script; 4] = [Script::Hans, Script::Hant, Script::Tw, Script::Hk];

    /// Parse a BCP 47 tag as used by `--script` and the YAML: zh-Hans, zh-Hant, zh-TW, zh-HK.
    pub fn parse(tag: &str) -> Option<Script> {
        Script::ALL.into_iter().find(|s| s.tag() == tag)
    }

    pub fn tag(self) -> &'static str {
        match self {
            Script::Hans => "zh-Hans",
            Script::Hant => "zh-Hant",
            Script::Tw => "zh-TW",
            Script::Hk => "zh-HK",
        }
    }

    pub fn is_traditional(self) -> bool {
        self != Script::Hans
    }
}

impl crate::date::FromText for Script {
    fn from_text(text: &str) -> Result<Script, String> {
        Script::parse(text.trim()).ok_or_else(|| {
            let tags: Vec<&str> = Script::ALL.iter().map(|s| s.tag()).collect();
            format!("不支持的文字“{text}”，应为 {}", tags.join("、"))
        })
    }
}

/// `--script` takes the tags.
impl clap::ValueEnum for Script {
    fn value_variants<'a>() -> &'a [Self] {
        &Script::ALL
    }
    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.tag()))
    }
}

/// Serialised as its BCP 47 tag.
impl serde::Serialize for Script {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.tag())
    }
}

impl fmt::Display for Script {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

/// The OpenCC configs tongbao uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Config {
    S2t,
    S2tw,
    S2hk,
    T2s,
    Tw2s,
    Hk2s,
}

impl Config {
    pub const ALL: [Config; 6] = [
        Config::S2t,
        Config::S2tw,
        Config::S2hk,
        Config::T2s,
        Config::Tw2s,
        Config::Hk2s,
    ];

    /// The config that turns text written in `source` into `target`; `None` when nothing is to do.
    pub fn for_scripts(source: Script, target: Script) -> Option<Config> {
        match (source, target) {
            (Script::Hans, Script::Hans) => None,
            (Script::Hant, Script::Hans) => Some(Config::T2s),
            (Script::Tw, Script::Hans) => Some(Config::Tw2s),
            (Script::Hk, Script::Hans) => Some(Config::Hk2s),
            (_, Script::Hant) => Some(Config::S2t),
            (_, Script::Tw) => Some(Config::S2tw),
            (_, Script::Hk) => Some(Config::S2hk),
        }
    }

    /// The name OpenCC uses (`s2t` for s2t.json).
    pub fn name(self) -> &'static str {
        match self {
            Config::S2t => "s2t",
            Config::S2tw => "s2tw",
            Config::S2hk => "s2hk",
            Config::T2s => "t2s",
            Config::Tw2s => "tw2s",
            Config::Hk2s => "hk2s",
        }
    }

    /// ferrous-opencc's name for this config.
    pub fn builtin(self) -> BuiltinConfig {
        match self {
            Config::S2t => BuiltinConfig::S2t,
            Config::S2tw => BuiltinConfig::S2tw,
            Config::S2hk => BuiltinConfig::S2hk,
            Config::T2s => BuiltinConfig::T2s,
            Config::Tw2s => BuiltinConfig::Tw2s,
            Config::Hk2s => BuiltinConfig::Hk2s,
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    /// The process-wide OpenCC converter for this config, built on first use.
    pub fn opencc(self) -> Result<&'static OpenCC, String> {
        static CONVERTERS: [OnceLock<Result<OpenCC, String>>; 6] = [
            OnceLock::new(),
            OnceLock::new(),
            OnceLock::new(),
            OnceLock::new(),
            OnceLock::new(),
            OnceLock::new(),
        ];
        CONVERTERS[self.index()]
            .get_or_init(|| {
                OpenCC::from_config(self.builtin())
                    .map_err(|e| format!("无法加载 OpenCC 配置 {}：{e}", self.name()))
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The shipped overrides (zh/overrides.tsv) that apply to this config, as (from, to).
    pub fn shipped_overrides(self) -> &'static [(String, String)] {
        static TABLES: OnceLock<Vec<Vec<(String, String)>>> = OnceLock::new();
        &TABLES.get_or_init(|| {
            let mut tables = vec![Vec::new(); Config::ALL.len()];
            for (configs, from, to) in parse_overrides(OVERRIDES_TSV) {
                for c in configs {
                    tables[c.index()].push((from.clone(), to.clone()));
                }
            }
            tables
        })[self.index()]
    }

    fn from_name(name: &str) -> Option<Config> {
        Config::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// Parse the override TSV. Malformed lines panic: the file is shipped and tested.
fn parse_overrides(tsv: &str) -> Vec<(Vec<Config>, String, String)> {
    tsv.lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|line| {
            let mut cols = line.split('\t');
            let (Some(configs), Some(from), Some(to)) = (cols.next(), cols.next(), cols.next())
            else {
                panic!("zh/overrides.tsv: malformed line {line:?}");
            };
            let configs = configs
                .split(',')
                .map(|c| {
                    Config::from_name(c.trim())
                        .unwrap_or_else(|| panic!("zh/overrides.tsv: unknown config {c:?}"))
                })
                .collect();
            assert!(
                !from.is_empty(),
                "zh/overrides.tsv: empty source in {line:?}"
            );
            (configs, from.to_string(), to.to_string())
        })
        .collect()
}

/// What a document adds to the shipped dictionary.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Spans kept verbatim (`document.proper_nouns`).
    pub proper_nouns: Vec<String>,
    /// (from, to) pairs (`document.zh_overrides`); they win over the shipped ones.
    pub overrides: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
enum Action {
    Keep,
    Replace(String),
}

/// One conversion of one document: the converter, its overrides and the protected spans.
pub struct Converter<'a> {
    config: Config,
    opencc: &'a OpenCC,
    /// First character → (key, action), longest key first.
    table: HashMap<char, Vec<(String, Action)>>,
}

impl Converter<'static> {
    /// A converter for `config`; the OpenCC dictionaries are loaded once per process.
    pub fn new(config: Config, options: &Options) -> Result<Converter<'static>, String> {
        Ok(Converter::with_opencc(config, config.opencc()?, options))
    }
}

impl<'a> Converter<'a> {
    /// A converter over a given OpenCC instance (which must be built from `config`): for
    /// benchmarks of the cold start; everything else uses [`Converter::new`].
    pub fn with_opencc(config: Config, opencc: &'a OpenCC, options: &Options) -> Converter<'a> {
        let mut entries: HashMap<String, Action> = HashMap::new();
        for (from, to) in config.shipped_overrides() {
            entries.insert(from.clone(), Action::Replace(to.clone()));
        }
        for (from, to) in &options.overrides {
            if !from.is_empty() {
                entries.insert(from.clone(), Action::Replace(to.clone()));
            }
        }
        for noun in &options.proper_nouns {
            if !noun.is_empty() {
                entries.insert(noun.clone(), Action::Keep);
            }
        }
        let mut table: HashMap<char, Vec<(String, Action)>> = HashMap::new();
        for (key, action) in entries {
            let first = key.chars().next().expect("keys are not empty");
            table.entry(first).or_default().push((key, action));
        }
        for list in table.values_mut() {
            list.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        }
        Converter {
            config,
            opencc,
            table,
        }
    }

    pub fn config(&self) -> Config {
        self.config
    }

    /// Convert one string, leaving the protected spans as they are.
    pub fn convert(&self, s: &str) -> String {
        let mut out = String::with_capacity(s.len() + s.len() / 8);
        let mut pending = 0;
        let mut i = 0;
        let flush = |out: &mut String, from: usize, to: usize| {
            if from < to {
                out.push_str(&self.opencc.convert(&s[from..to]));
            }
        };
        while i < s.len() {
            let rest = &s[i..];
            let c = rest.chars().next().expect("i is on a char boundary");
            if c.is_ascii() {
                let len = rest.find(|c: char| !c.is_ascii()).unwrap_or(rest.len());
                flush(&mut out, pending, i);
                out.push_str(&rest[..len]);
                i += len;
                pending = i;
                continue;
            }
            if let Some((key, action)) = self
                .table
                .get(&c)
                .and_then(|list| list.iter().find(|(k, _)| rest.starts_with(k.as_str())))
            {
                flush(&mut out, pending, i);
                match action {
                    Action::Keep => out.push_str(key),
                    Action::Replace(to) => out.push_str(to),
                }
                i += key.len();
                pending = i;
                continue;
            }
            i += c.len_utf8();
        }
        flush(&mut out, pending, s.len());
        out
    }

    /// Convert every text node of `doc` and set its script.
    ///
    /// Text nodes repeat (table cells such as 合格, 否, unit names), so each distinct one is
    /// converted once.
    pub fn convert_document(&self, doc: &mut Document) {
        let mut seen: HashMap<String, String> = HashMap::new();
        doc.for_each_text_mut(|s| {
            if s.is_ascii() {
                return;
            }
            if let Some(done) = seen.get(s.as_str()) {
                s.clone_from(done);
                return;
            }
            let converted = self.convert(s);
            seen.insert(std::mem::replace(s, converted.clone()), converted);
        });
    }
}

/// Convert `doc` from `source` into `target`; sets `meta.script` to `target`.
pub fn convert_document(
    doc: &mut Document,
    source: Script,
    target: Script,
    options: &Options,
) -> Result<(), String> {
    if let Some(config) = Config::for_scripts(source, target) {
        Converter::new(config, options)?.convert_document(doc);
    }
    doc.meta.script = target;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conv(config: Config, s: &str) -> String {
        Converter::new(config, &Options::default())
            .unwrap()
            .convert(s)
    }

    #[test]
    fn shipped_overrides_parse() {
        assert!(Config::S2t
            .shipped_overrides()
            .iter()
            .any(|(f, t)| f == "旺苍发布" && t == "旺蒼發布"));
        assert!(Config::T2s.shipped_overrides().is_empty());
    }

    #[test]
    fn ascii_and_numbers_protected() {
        let out = conv(
            Config::S2t,
            "关于2023年第二季度的通报 http://www.dazu.gov.cn/发布 10:30 a@b.cn 〔2021〕85号",
        );
        assert_eq!(
            out,
            "關於2023年第二季度的通報 http://www.dazu.gov.cn/發佈 10:30 a@b.cn 〔2021〕85號"
        );
    }

    #[test]
    fn proper_nouns_and_document_overrides() {
        let opts = Options {
            proper_nouns: vec!["发发".into()],
            overrides: vec![("发布".into(), "發布".into())],
        };
        let c = Converter::new(Config::S2t, &opts).unwrap();
        assert_eq!(c.convert("发发发布发"), "发发發布發");
    }
}
