//! The page's own words (toolbar, info box, list labels), written in simplified Chinese and
//! converted with the document's script, so the traditional page is the same page in zh-Hant.

use crate::zh::{Config, Converter, Options, Script};

/// Every fixed string the HTML writer prints besides the IR's text.
#[derive(Debug, Clone)]
pub struct Labels {
    pub tools: String,
    pub large_text: String,
    pub print: String,
    pub downloads: String,
    pub info: String,
    pub index_number: String,
    pub publisher: String,
    pub date: String,
    pub doc_number: String,
    pub attachments: String,
    pub cc: String,
}

const HANS: [&str; 11] = [
    "阅读工具",
    "大字版",
    "打印正文",
    "下载",
    "信息公开要素",
    "索引号",
    "发布机构",
    "成文日期",
    "文号",
    "附件：",
    "抄送：",
];

impl Labels {
    /// The labels in `script` (BCP 47 tag as in `ir::Meta::script`).
    pub fn for_script(script: &str) -> Labels {
        let target = Script::parse(script).unwrap_or(Script::Hans);
        let conv = Config::for_scripts(Script::Hans, target)
            .and_then(|c| Converter::new(c, &Options::default()).ok());
        let [tools, large_text, print, downloads, info, index_number, publisher, date, doc_number, attachments, cc] =
            HANS.map(|s| match &conv {
                Some(c) => c.convert(s),
                None => s.to_string(),
            });
        Labels {
            tools,
            large_text,
            print,
            downloads,
            info,
            index_number,
            publisher,
            date,
            doc_number,
            attachments,
            cc,
        }
    }
}

/// The `lang` of the page: zh-CN for simplified text (what government sites declare), the
/// script's own tag otherwise.
pub fn lang(script: &str) -> &'static str {
    match Script::parse(script) {
        Some(Script::Hant) => "zh-Hant",
        Some(Script::Tw) => "zh-TW",
        Some(Script::Hk) => "zh-HK",
        Some(Script::Hans) | None => "zh-CN",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_labels_are_converted() {
        let l = Labels::for_script("zh-Hant");
        assert_eq!(l.publisher, "發佈機構");
        assert_eq!(l.doc_number, "文號");
        assert_eq!(Labels::for_script("zh-Hans").doc_number, "文号");
    }

    #[test]
    fn lang_follows_the_script() {
        assert_eq!(lang("zh-Hans"), "zh-CN");
        assert_eq!(lang("zh-TW"), "zh-TW");
        assert_eq!(lang("zh-HK"), "zh-HK");
        assert_eq!(lang("zh-Hant"), "zh-Hant");
    }
}
