//! Input validation, all of it: what serde cannot express in the model types. Here the
//! document metadata (发文字号 form, real dates, the period, the script, table columns and
//! sources, names in [`tables`]); in [`inspection`] the inspections (ids, units, deductions,
//! formulas, results, counts, breakdowns, tier rules); in [`stated`] the figures the file states
//! against those `score` computes (published scores, ranks, tiers, counts, `stated:`), which
//! `score::compute` calls once each inspection is computed.

pub mod inspection;
pub mod sanity;
pub mod stated;
pub mod tables;

use serde_saphyr::Spanned;

pub use inspection::Validated;

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

/// Validate the whole file; the parsed formulas go on to `score`.
pub fn check(q: &Quarter, report: &mut Report) -> Validated {
    check_document(q, report);
    inspection::check(q, report)
}

/// The 主送机关 as printed before the colon the layout adds: a colon typed at its end (copied
/// from a circular) is dropped, and `check` says so.
pub fn recipients_text(s: &str) -> &str {
    s.trim().trim_end_matches(['：', ':']).trim_end()
}

/// The 附注 inside the parentheses the layout adds: typed with its own （） or () it is taken
/// without them, and `check` says so.
pub fn note_text(s: &str) -> &str {
    let t = s.trim();
    [('（', '）'), ('(', ')'), ('（', ')'), ('(', '）')]
        .iter()
        .find_map(|&(open, close)| {
            let inner = t.strip_prefix(open)?.strip_suffix(close)?;
            // （甲）和（乙） is not one parenthesis.
            (!inner.contains(['（', '）', '(', ')'])).then(|| inner.trim())
        })
        .unwrap_or(t)
}

/// What the document section says that the layout would double or cannot set: a colon after
/// the 主送机关, parentheses around the 附注, an issuer the title cannot take an area from.
fn check_document_texts(q: &Quarter, report: &mut Report) {
    let doc = &q.document;
    if let Some(r) = &doc.recipients {
        if recipients_text(&r.value) != r.value.trim() {
            report.push(
                Diagnostic::warning(
                    Pos::of(&r.referenced),
                    "document.recipients",
                    "主送机关末尾的冒号由排版加上，这里写的冒号已去掉",
                )
                .with_hint("删去末尾的“：”"),
            );
        }
    }
    if let Some(n) = &doc.note {
        if note_text(&n.value) != n.value.trim() {
            report.push(
                Diagnostic::warning(
                    Pos::of(&n.referenced),
                    "document.note",
                    "附注两边的括号由排版加上，这里写的括号已去掉",
                )
                .with_hint(format!("写作 note: {}", note_text(&n.value))),
            );
        }
    }
    if let Some(cc) = &doc.cc {
        check_cc(cc, report);
    }
    // Parts of the 版头 and the 版记 that what else is written leaves out.
    if doc.print_date.is_none() {
        let cc = doc
            .cc
            .as_ref()
            .map(|c| (Pos::of(&c.referenced), "document.cc", "抄送（cc）"));
        let printer = doc.printer.as_ref().map(|p| {
            (
                Pos::of(&p.referenced),
                "document.printer",
                "印发机关（printer）",
            )
        });
        for (at, field, what) in [cc, printer].into_iter().flatten() {
            report.push(
                Diagnostic::warning(
                    at,
                    field,
                    format!("写了{what}，但没有印发日期（print_date）：版记只在写了印发日期时才印，{what}不会出现"),
                )
                .with_hint("加上 print_date: 2024-07-06（印发日期），或删去这一项"),
            );
        }
    }
    if let Some(mark) = doc.mark.as_ref().filter(|_| !doc.letterhead) {
        report.push(
            Diagnostic::warning(
                Pos::of(&mark.referenced),
                "document.mark",
                "写了发文机关标志（mark），但 letterhead: false 不印版头，标志不会出现",
            )
            .with_hint("要印版头就删去 letterhead: false，否则删去 mark"),
        );
    }
    let default_title = doc.title.is_none();
    if default_title && doc.area.is_none() && crate::compose::area(&doc.issuer.value).is_empty() {
        report.push(
            Diagnostic::warning(
                Pos::of(&doc.issuer.referenced),
                "document.issuer",
                format!(
                    "从发文机关“{}”看不出检查范围（全区、全县、全市……），标题和开头不写范围",
                    doc.issuer.value
                ),
            )
            .with_hint("在 document 下写 area: 全市（或 全县 等），或写出完整的 title"),
        );
    }
}

/// The 抄送 list is printed as written, its entries joined by ，(GB/T 9704 7.4.2): an entry
/// given twice, one ending in a mark (甲，, printed 甲，，乙) or holding two organs (甲、乙,
/// printed with 、 among the ，) would show.
fn check_cc(cc: &Spanned<Vec<Spanned<String>>>, report: &mut Report) {
    const MARKS: [char; 7] = ['，', '、', '；', ',', ';', '。', '：'];
    let mut seen: Vec<&str> = Vec::new();
    for (k, name) in cc.value.iter().enumerate() {
        let t = name.value.trim();
        let bare = t.trim_matches(MARKS.as_slice());
        let problem = if seen.contains(&t) {
            Some((
                format!("抄送机关“{t}”写了两次"),
                "删去重复的一项".to_string(),
            ))
        } else if bare.contains(['、', '，', ',']) {
            Some((
                format!("抄送机关“{t}”里有两个机关：抄送机关之间用逗号隔开，每个机关写一项"),
                format!("拆成两项：[{}]", bare.replace(['、', '，', ','], ", ")),
            ))
        } else if bare != t {
            Some((
                format!("抄送机关“{t}”首尾有标点：各项之间的逗号由排版加上"),
                format!("写作 {bare}"),
            ))
        } else {
            None
        };
        if let Some((message, hint)) = problem {
            report.push(
                Diagnostic::warning(
                    Pos::of(&name.referenced),
                    format!("document.cc[{k}]"),
                    message,
                )
                .with_hint(hint),
            );
        }
        seen.push(t);
    }
}

/// Everything about the document section, the period and the tables that the model types
/// cannot say.
fn check_document(q: &Quarter, report: &mut Report) {
    let doc = &q.document;
    check_document_texts(q, report);
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
    check_period(&q.quarter, report);
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
    if let Some(p) = &q.previous {
        if p.value.trim().is_empty() {
            report.push(Diagnostic::error(
                Pos::of(&p.referenced),
                "previous",
                "上一期文件的路径不能为空",
            ));
        }
    }
    let mut table_problems = Vec::new();
    tables::check(q, &mut table_problems);
    table_problems.into_iter().for_each(|d| report.push(d));
}

/// One kind of period at most, each number in its range.
fn check_period(p: &crate::model::Period, report: &mut Report) {
    let kinds: Vec<(&str, &Spanned<u32>)> = [
        ("number", &p.number),
        ("month", &p.month),
        ("half", &p.half),
        ("round", &p.round),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.as_ref().map(|v| (k, v)))
    .collect();
    if kinds.len() > 1 || (p.window && !kinds.is_empty()) {
        let mut names: Vec<&str> = kinds.iter().map(|(k, _)| *k).collect();
        if p.window {
            names.push("window");
        }
        report.push(Diagnostic::error(
            Pos::of(&kinds[0].1.referenced),
            format!("quarter.{}", kinds[0].0),
            format!(
                "期间只能是一种：季度（number）、月（month）、半年（half）、批次（round）或检查时段（window），这里同时写了 {}",
                names.join("、")
            ),
        ));
    }
    for (field, v) in &kinds {
        let (range, what) = match *field {
            "number" => (1..=4, "季度须为 1 至 4"),
            "month" => (1..=12, "月份须为 1 至 12"),
            "half" => (1..=2, "半年须为 1（上半年）或 2（下半年）"),
            _ => (1..=99, "批次须为 1 至 99"),
        };
        if !range.contains(&v.value) {
            report.push(Diagnostic::error(
                Pos::of(&v.referenced),
                format!("quarter.{field}"),
                format!("{what}，却是 {}", v.value),
            ));
        }
    }
    if let Some(u) = &p.round_unit {
        if !["批", "次", "轮"].contains(&u.value.as_str()) {
            report.push(Diagnostic::error(
                Pos::of(&u.referenced),
                "quarter.round_unit",
                format!("批次的量词须为 批、次 或 轮，却是“{}”", u.value),
            ));
        }
        if p.round.is_none() {
            report.push(Diagnostic::error(
                Pos::of(&u.referenced),
                "quarter.round_unit",
                "写了 round_unit 却没有 round（第几批）",
            ));
        }
    }
    if p.window && (p.from.is_none() || p.to.is_none()) {
        report.push(Diagnostic::error(
            Pos::of(&p.year.referenced),
            "quarter.window",
            "window: true 须同时写检查时段的起止日期 from 和 to",
        ));
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

    fn problems(yaml: &str) -> String {
        let (q, _) = crate::load::parse(yaml.as_bytes()).unwrap();
        let mut report = Report::new(std::path::Path::new("t.yaml"));
        check(&q, &mut report);
        report.to_string()
    }

    #[test]
    fn one_kind_of_period_each_in_its_range() {
        let base = "document: {issuer: 某区人民政府办公室, date: 2024-07-01}\nquarter: ";
        let p = |q: &str| problems(&format!("{base}{q}\n"));
        assert_eq!(p("{year: 2024, month: 9}"), "");
        assert_eq!(p("{year: 2024, round: 3, round_unit: 次}"), "");
        assert!(p("{year: 2024, number: 2, month: 5}")
            .contains("期间只能是一种：季度（number）、月（month）、半年（half）、批次（round）或检查时段（window），这里同时写了 number、month"));
        assert!(p("{year: 2024, month: 13}").contains("月份须为 1 至 12，却是 13"));
        assert!(p("{year: 2024, half: 3}").contains("半年须为 1（上半年）或 2（下半年）"));
        assert!(p("{year: 2024, number: 5}").contains("季度须为 1 至 4，却是 5"));
        assert!(p("{year: 2024, window: true, from: 2024-09-10}")
            .contains("须同时写检查时段的起止日期"));
        assert!(p("{year: 2024, round: 1, round_unit: 期}").contains("批次的量词须为 批、次 或 轮"));
    }

    #[test]
    fn inspection_ids_must_be_template_names() {
        let base = "document: {issuer: 某区人民政府办公室, date: 2024-07-01}\nquarter: {year: 2024, number: 2}\ninspections:\n";
        let p = |id: &str| problems(&format!("{base}  - {{id: \"{id}\", kind: 网站}}\n"));
        assert_eq!(p("sites"), "");
        assert_eq!(p("网站"), "");
        assert!(p("period").contains("检查项目标识“period”与模板中的“period”重名"));
        assert!(p("my sites").contains("须由字母、数字、下划线或汉字组成"));
        assert!(p("2sites").contains("不以数字开头"));
    }

    #[test]
    fn band_labels_agree_with_their_bounds() {
        let base = "document: {issuer: 某区人民政府办公室, date: 2024-07-01}\nquarter: {year: 2024, number: 2}\ninspections:\n  - id: sites\n    kind: 网站\n    scheme:\n      bands:\n";
        let p = |bands: &str| problems(&format!("{base}{bands}"));
        let good = "        - {label: 90分及以上, min: 90}\n        - {label: 80分（含）至90分, min: 80, below: 90}\n        - {label: 80分以下, below: 80}\n        - {label: 优秀, min: 95}\n";
        // 优秀 names no score; it overlaps 90分及以上, as a top band may.
        assert_eq!(
            p(good),
            "t.yaml:11:19: 警告: inspections[0].scheme.bands[3].label: 分数段“优秀”（95分及以上）与前面的“90分及以上”有重叠：重叠处的得分只算入“90分及以上”\n = 提示：改正 min、below，使各段首尾相接、互不重叠\n"
        );
        let named =
            p("        - {label: 95分及以上, min: 95}\n        - {label: 95分以下, below: 90}\n");
        assert!(named.contains("9:19: 警告: inspections[0].scheme.bands[1].label: 分数段“95分以下”的名称与它的范围（90分以下）不符"), "{named}");
        let shared = p("        - {label: 90分及以上, min: 90}\n        - {label: 85分（含）至95分, min: 85, below: 95}\n");
        assert!(shared.contains("与前面的“90分及以上”有重叠"), "{shared}");
        // The usual ways of naming a range are no contradiction.
        let usual = "        - {label: 90—100分, min: 90}\n        - {label: 80-89分, min: 80, below: 90}\n        - {label: 第3档（80分以下）, below: 80}\n";
        assert_eq!(p(usual), "");
    }

    #[test]
    fn parts_of_the_header_and_colophon_left_out_are_named() {
        let base = "quarter: {year: 2024, number: 2}\ndocument: {issuer: 某区人民政府办公室, date: 2024-07-01, ";
        let p = |more: &str| problems(&format!("{base}{more}}}\n"));
        assert_eq!(p("cc: [区委办公室], print_date: 2024-07-02"), "");
        let no_date = p("cc: [区委办公室], printer: 某区人民政府办公室");
        assert!(
            no_date.contains("警告: document.cc: 写了抄送（cc），但没有印发日期（print_date）"),
            "{no_date}"
        );
        assert!(
            no_date.contains("警告: document.printer: 写了印发机关（printer），但没有印发日期"),
            "{no_date}"
        );
        assert!(
            p("letterhead: false, mark: 某区人民政府办公室文件").contains(
                "警告: document.mark: 写了发文机关标志（mark），但 letterhead: false 不印版头"
            )
        );
        assert_eq!(p("mark: 某区人民政府办公室文件"), "");
    }

    #[test]
    fn a_cc_list_printed_as_written() {
        let base = "quarter: {year: 2024, number: 2}\ndocument: {issuer: 某区人民政府办公室, date: 2024-07-01, cc: ";
        let p = |cc: &str| problems(&format!("{base}{cc}, print_date: 2024-07-02}}\n"));
        assert_eq!(p("[区委办公室, 区人大办公室]"), "");
        let twice = p("[区委办公室, 区委办公室]");
        assert!(
            twice.contains("t.yaml:2:61: 警告: document.cc[1]: 抄送机关“区委办公室”写了两次"),
            "{twice}"
        );
        assert!(p("[区委办公室，, 区人大办公室]").contains("首尾有标点"));
        assert!(p("[区委办公室、区人大办公室]").contains("拆成两项：[区委办公室, 区人大办公室]"));
        assert!(p("[区委办公室，区人大办公室。]").contains("拆成两项：[区委办公室, 区人大办公室]"));
    }
}
