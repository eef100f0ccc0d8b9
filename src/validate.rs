//! Checks of the document metadata that serde cannot express: 发文字号 form, real dates, the
//! quarter number, the script; the tables' names in [`tables`].

use serde_saphyr::Spanned;

pub mod tables;

use crate::diag::{Diagnostic, Pos, Report};
use crate::model::Quarter;

/// A calendar date (validated).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: u32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// Parse `YYYY-MM-DD` (also `YYYY/M/D`), rejecting impossible days.
    pub fn parse(s: &str) -> Result<Date, String> {
        let parts: Vec<&str> = s.trim().split(['-', '/', '.']).collect();
        let [y, m, d] = parts[..] else {
            return Err(format!("“{s}”不是日期，应写作 YYYY-MM-DD，如 2021-07-07"));
        };
        let num = |p: &str| {
            p.parse::<u32>()
                .map_err(|_| format!("“{s}”不是日期，应写作 YYYY-MM-DD"))
        };
        let (year, month, day) = (num(y)?, num(m)?, num(d)?);
        if !(1949..=2200).contains(&year) || y.len() != 4 {
            return Err(format!("“{s}”的年份无效：须为四位年份"));
        }
        if !(1..=12).contains(&month) {
            return Err(format!("“{s}”的月份无效：没有 {month} 月"));
        }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        if day == 0 || day > days {
            return Err(format!("“{s}”不存在：{year}年{month}月只有 {days} 天"));
        }
        Ok(Date { year, month, day })
    }

    /// As printed in a 公文: 2021年7月7日 (full year, no zero padding).
    pub fn zh(&self) -> String {
        format!("{}年{}月{}日", self.year, self.month, self.day)
    }

    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Parse a spanned date, reporting a problem at its position.
pub fn date_field(s: &Spanned<String>, field: &str, report: &mut Report) -> Option<Date> {
    match Date::parse(&s.value) {
        Ok(d) => Some(d),
        Err(m) => {
            report.push(Diagnostic::error(Pos::of(&s.referenced), field, m));
            None
        }
    }
}

/// Check a 发文字号: 机关代字〔YYYY〕N号, full year in 六角括号, no 第, no leading zero.
pub fn check_doc_number(number: &str) -> Result<(), String> {
    let expected = "应写作“机关代字〔年份〕序号号”，如 大足府办发〔2021〕85号";
    if number.contains('第') {
        return Err(format!("发文字号“{number}”不加“第”字：{expected}"));
    }
    let (Some(open), Some(close)) = (number.find('〔'), number.find('〕')) else {
        let hint = if number.contains(['[', '(', '（', '【', '［']) {
            "年份须用六角括号〔〕，不用方括号或圆括号"
        } else {
            "缺少六角括号〔〕括起的年份"
        };
        return Err(format!("发文字号“{number}”{hint}：{expected}"));
    };
    let year = &number[open + '〔'.len_utf8()..close];
    if year.len() != 4 || !year.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "发文字号“{number}”的年份须写全四位阿拉伯数字：{expected}"
        ));
    }
    let rest = &number[close + '〕'.len_utf8()..];
    let Some(seq) = rest.strip_suffix('号').or_else(|| rest.strip_suffix('號')) else {
        return Err(format!("发文字号“{number}”须以“号”结尾：{expected}"));
    };
    if seq.is_empty() || !seq.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "发文字号“{number}”的序号须为阿拉伯数字：{expected}"
        ));
    }
    if seq.starts_with('0') {
        return Err(format!(
            "发文字号“{number}”的序号不编虚位（不以 0 开头）：{expected}"
        ));
    }
    Ok(())
}

pub const SCRIPTS: [&str; 4] = ["zh-Hans", "zh-Hant", "zh-TW", "zh-HK"];

/// Everything about the document section and the tables that the model types cannot say.
pub fn check(q: &Quarter, report: &mut Report) {
    let doc = &q.document;
    if let Some(n) = &doc.number {
        if let Err(m) = check_doc_number(&n.value) {
            report.push(Diagnostic::error(
                Pos::of(&n.referenced),
                "document.number",
                m,
            ));
        }
    }
    let date = date_field(&doc.date, "document.date", report);
    if let Some(p) = &doc.print_date {
        let printed = date_field(p, "document.print_date", report);
        if let (Some(d), Some(p2)) = (date, printed) {
            if p2 < d {
                report.push(Diagnostic::error(
                    Pos::of(&p.referenced),
                    "document.print_date",
                    format!("印发日期 {} 早于成文日期 {}", p2.zh(), d.zh()),
                ));
            }
        }
    }
    for (s, field) in [
        (&doc.script, "document.script"),
        (&doc.source_script, "document.source_script"),
    ] {
        if let Some(s) = s {
            if !SCRIPTS.contains(&s.value.as_str()) {
                report.push(Diagnostic::error(
                    Pos::of(&s.referenced),
                    field,
                    format!("不支持的文字“{}”，应为 {}", s.value, SCRIPTS.join("、")),
                ));
            }
        }
    }
    for (i, noun) in doc.proper_nouns.iter().enumerate() {
        if noun.value.trim().is_empty() {
            report.push(Diagnostic::error(
                Pos::of(&noun.referenced),
                format!("document.proper_nouns[{i}]"),
                "专有名词不能为空",
            ));
        }
    }
    for from in doc.zh_overrides.keys() {
        if from.is_empty() {
            report.push(Diagnostic::error(
                Pos::default(),
                "document.zh_overrides",
                "简繁转换覆盖词条的原文不能为空",
            ));
        }
    }
    if let Some(d) = q.correction.as_ref().and_then(|c| c.date.as_ref()) {
        date_field(d, "correction.date", report);
    }
    let qn = &q.quarter.number;
    if !(1..=4).contains(&qn.value) {
        report.push(Diagnostic::error(
            Pos::of(&qn.referenced),
            "quarter.number",
            format!("季度须为 1 至 4，却是 {}", qn.value),
        ));
    }
    let from = q
        .quarter
        .from
        .as_ref()
        .and_then(|f| date_field(f, "quarter.from", report));
    let to = q
        .quarter
        .to
        .as_ref()
        .and_then(|t| date_field(t, "quarter.to", report));
    if let (Some(f), Some(t), Some(span)) = (from, to, &q.quarter.to) {
        if t < f {
            report.push(Diagnostic::error(
                Pos::of(&span.referenced),
                "quarter.to",
                format!("检查结束日期 {} 早于开始日期 {}", t.zh(), f.zh()),
            ));
        }
    }
    let mut table_problems = Vec::new();
    tables::check(q, &mut table_problems);
    table_problems.into_iter().for_each(|d| report.push(d));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_numbers() {
        assert!(check_doc_number("大足府办发〔2021〕85号").is_ok());
        assert!(check_doc_number("〔2023〕69号").is_ok());
        assert!(check_doc_number("大足府办发〔2021〕第85号")
            .unwrap_err()
            .contains("不加“第”"));
        assert!(check_doc_number("大足府办发[2021]85号")
            .unwrap_err()
            .contains("六角括号"));
        assert!(check_doc_number("大足府办发（2021）85号")
            .unwrap_err()
            .contains("六角括号"));
        assert!(check_doc_number("大足府办发〔21〕85号")
            .unwrap_err()
            .contains("四位"));
        assert!(check_doc_number("大足府办发〔2021〕085号")
            .unwrap_err()
            .contains("虚位"));
        assert!(check_doc_number("大足府办发〔2021〕85")
            .unwrap_err()
            .contains("“号”结尾"));
    }

    #[test]
    fn dates() {
        assert_eq!(Date::parse("2021-07-07").unwrap().zh(), "2021年7月7日");
        assert_eq!(Date::parse("2024-02-29").unwrap().iso(), "2024-02-29");
        assert!(Date::parse("2023-02-29")
            .unwrap_err()
            .contains("只有 28 天"));
        assert!(Date::parse("2021-13-01").unwrap_err().contains("月份"));
        assert!(Date::parse("21-07-07").unwrap_err().contains("四位"));
        assert!(Date::parse("七月七日").is_err());
    }
}
