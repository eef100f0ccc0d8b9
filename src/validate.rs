//! Checks of the document metadata that serde cannot express: 发文字号 form, real dates, the
//! quarter number, the script, table columns and sources.

use serde_saphyr::Spanned;

use crate::date::Checked;
use crate::diag::{Diagnostic, Pos, Report};
use crate::model::Quarter;

/// A field parsed at load: its value, or its problem reported at its position.
pub fn checked<T: Copy>(s: &Spanned<Checked<T>>, field: &str, report: &mut Report) -> Option<T> {
    match &s.value.0 {
        Ok(v) => Some(*v),
        Err(m) => {
            report.push(Diagnostic::error(Pos::of(&s.referenced), field, m.clone()));
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
    if close < open {
        return Err(format!(
            "发文字号“{number}”的六角括号次序颠倒：应先写“〔”后写“〕”：{expected}"
        ));
    }
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

/// The item fields a table column may show.
pub const COLUMN_FIELDS: [&str; 13] = [
    "seq", "unit", "name", "platform", "filing", "category", "veto", "score", "result", "rank",
    "tier", "problems", "remark",
];

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
    let date = checked(&doc.date, "document.date", report);
    if let Some(p) = &doc.print_date {
        let printed = checked(p, "document.print_date", report);
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
            checked(s, field, report);
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
        checked(d, "correction.date", report);
    }
    let year = &q.quarter.year;
    if !crate::date::Date::YEARS.contains(&year.value) {
        report.push(Diagnostic::error(
            Pos::of(&year.referenced),
            "quarter.year",
            format!(
                "年份 {} 无效：须为四位年份，在 {} 至 {} 之间",
                year.value,
                crate::date::Date::YEARS.start(),
                crate::date::Date::YEARS.end()
            ),
        ));
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
        .and_then(|f| checked(f, "quarter.from", report));
    let to = q
        .quarter
        .to
        .as_ref()
        .and_then(|t| checked(t, "quarter.to", report));
    if let (Some(f), Some(t), Some(span)) = (from, to, &q.quarter.to) {
        if t < f {
            report.push(Diagnostic::error(
                Pos::of(&span.referenced),
                "quarter.to",
                format!("检查结束日期 {} 早于开始日期 {}", t.zh(), f.zh()),
            ));
        }
    }
    for (a, att) in q.attachments.iter().enumerate() {
        let Some(table) = &att.table else { continue };
        for (k, src) in table.from.iter().enumerate() {
            if !q.inspections.iter().any(|i| i.id.value == src.value) {
                let ids: Vec<&str> = q.inspections.iter().map(|i| i.id.value.as_str()).collect();
                report.push(Diagnostic::error(
                    Pos::of(&src.referenced),
                    format!("attachments[{a}].table.from[{k}]"),
                    format!(
                        "没有标识为“{}”的检查项目（已有：{}）",
                        src.value,
                        ids.join("、")
                    ),
                ));
            }
        }
        for (k, row) in table.rows.iter().enumerate() {
            if row.len() != table.columns.len() {
                report.push(Diagnostic::error(
                    Pos::default(),
                    format!("attachments[{a}].table.rows[{k}]"),
                    format!(
                        "第 {} 行有 {} 个单元格，表格有 {} 列（含半角逗号的单元格须加引号）",
                        k + 1,
                        row.len(),
                        table.columns.len()
                    ),
                ));
            }
        }
        for (k, col) in table.columns.iter().enumerate() {
            let Some(f) = &col.field else { continue };
            let ok = COLUMN_FIELDS.contains(&f.value.as_str()) || f.value.starts_with("d.");
            if !ok {
                let hint = crate::load::did_you_mean(&f.value, &COLUMN_FIELDS)
                    .map(|s| format!("，是否应为“{s}”？"))
                    .unwrap_or_default();
                report.push(Diagnostic::error(
                    Pos::of(&f.referenced),
                    format!("attachments[{a}].table.columns[{k}].field"),
                    format!(
                        "未知的列内容“{}”{hint}（可用：{}，或 d.指标名）",
                        f.value,
                        COLUMN_FIELDS.join("、")
                    ),
                ));
            }
        }
    }
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
        assert!(check_doc_number("大足府办发〕2021〔85号")
            .unwrap_err()
            .contains("次序颠倒"));
    }
}
