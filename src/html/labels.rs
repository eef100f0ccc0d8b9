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
    /// The labels in `target`.
    pub fn for_script(target: Script) -> Labels {
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
pub fn lang(script: Script) -> &'static str {
    match script {
        Script::Hant => "zh-Hant",
        Script::Tw => "zh-TW",
        Script::Hk => "zh-HK",
        Script::Hans => "zh-CN",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_labels_are_converted() {
        let l = Labels::for_script(Script::Hant);
        assert_eq!(l.publisher, "發佈機構");
        assert_eq!(l.doc_number, "文號");
        assert_eq!(Labels::for_script(Script::Hans).doc_number, "文号");
    }

    #[test]
    fn lang_follows_the_script() {
        assert_eq!(lang(Script::Hans), "zh-CN");
        assert_eq!(lang(Script::Tw), "zh-TW");
        assert_eq!(lang(Script::Hk), "zh-HK");
        assert_eq!(lang(Script::Hant), "zh-Hant");
    }
}
