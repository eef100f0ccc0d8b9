//! roll: the next period's file from this one (`tongbao init --from 2023Q2.yaml`): the next
//! quarter, month (`month: 9`), half-year (`half: 1`) or year.
//!
//! The text is edited in place (through the node spans of `yamltree`), so the issuer,
//! recipients, scheme, units, templates, prose and every comment stay as the clerk wrote
//! them. Advanced: the year and quarter (month, half), the inspection period, the 成文日期 and
//! 印发日期 (by the period's length), the year of the 发文字号, and the old period's name in the
//! prose (2023年第二季度 → 2023年第三季度, 2024年9月 → 2024年10月). Cleared: each item's deductions and results (d, veto,
//! score, result, rank, featured, and tier where tier rules compute it), the stated figures,
//! the 合格/不合格 counts (passed, failed) and a correction notice; kept with a note: the problems found, tiers given as input, the totals
//! and breakdowns, a spreadsheet import.
//! `previous:` names the old file, so that quarter-on-quarter figures can be computed.

use crate::date::{days_in_month, Date};
use crate::diag::{Diagnostic, Pos, Report};
use crate::yamltree::{self, Kind, Node};

/// The rolled file and what the clerk should look at.
pub struct Rolled {
    pub text: String,
    pub old: Period,
    pub new: Period,
    pub notes: Vec<String>,
}

/// A period that rolls forward, with its year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Quarter(u32, u32),
    Month(u32, u32),
    /// 1 上半年, 2 下半年.
    Half(u32, u32),
    Year(u32),
}

impl Period {
    pub fn next(self) -> Period {
        match self {
            Period::Quarter(y, 4) => Period::Quarter(y + 1, 1),
            Period::Quarter(y, q) => Period::Quarter(y, q + 1),
            Period::Month(y, 12) => Period::Month(y + 1, 1),
            Period::Month(y, m) => Period::Month(y, m + 1),
            Period::Half(y, 2) => Period::Half(y + 1, 1),
            Period::Half(y, h) => Period::Half(y, h + 1),
            Period::Year(y) => Period::Year(y + 1),
        }
    }

    fn year(self) -> u32 {
        match self {
            Period::Quarter(y, _) | Period::Month(y, _) | Period::Half(y, _) | Period::Year(y) => y,
        }
    }

    /// Its length in months: how far its dates move.
    fn months(self) -> u32 {
        match self {
            Period::Quarter(..) => 3,
            Period::Month(..) => 1,
            Period::Half(..) => 6,
            Period::Year(_) => 12,
        }
    }

    /// The key of `quarter:` holding the number and the number, when there is one.
    fn number(self) -> Option<(&'static str, u32)> {
        match self {
            Period::Quarter(_, q) => Some(("number", q)),
            Period::Month(_, m) => Some(("month", m)),
            Period::Half(_, h) => Some(("half", h)),
            Period::Year(_) => None,
        }
    }

    /// As the prose names it; none for a year, whose name is in every date.
    fn name(self) -> Option<String> {
        const CN: [&str; 4] = ["一", "二", "三", "四"];
        match self {
            Period::Quarter(y, q) => Some(format!("{y}年第{}季度", CN[(q as usize - 1).min(3)])),
            Period::Month(y, m) => Some(format!("{y}年{m}月")),
            Period::Half(y, 1) => Some(format!("{y}年上半年")),
            Period::Half(y, _) => Some(format!("{y}年下半年")),
            Period::Year(_) => None,
        }
    }

    /// How file names write it, the first being the one a new name gets.
    fn tags(self) -> Vec<String> {
        match self {
            Period::Quarter(y, q) => {
                vec![format!("{y}Q{q}"), format!("{y}q{q}"), format!("{y}-Q{q}")]
            }
            Period::Month(y, m) => vec![format!("{y}-{m:02}"), format!("{y}{m:02}")],
            Period::Half(y, h) => vec![format!("{y}H{h}"), format!("{y}h{h}")],
            Period::Year(y) => vec![y.to_string()],
        }
        .into_iter()
        .chain(self.name())
        .collect()
    }

    /// First and last day, YYYY-MM-DD.
    fn bounds(self) -> (String, String) {
        let (y, first, last) = match self {
            Period::Quarter(y, q) => (y, (q - 1) * 3 + 1, (q - 1) * 3 + 3),
            Period::Month(y, m) => (y, m, m),
            Period::Half(y, h) => (y, (h - 1) * 6 + 1, (h - 1) * 6 + 6),
            Period::Year(y) => (y, 1, 12),
        };
        (
            format!("{y}-{first:02}-01"),
            format!("{y}-{last:02}-{:02}", days_in_month(y, last)),
        )
    }
}

/// Item fields that hold one quarter's deductions and results. `problems` stays (noted): in a
/// problem-list quarter the prose and tables are written around it.
const FINDINGS: &[&str] = &["d", "veto", "score", "result", "rank", "tier", "featured"];

/// The next quarter from `text`, the quarter file named `previous` (written into `previous:`).
pub fn next_quarter(text: &str, previous: &str) -> Result<Rolled, Report> {
    let fail = |d: Diagnostic| {
        let mut r = Report::new(std::path::Path::new(previous));
        r.text = text.to_string();
        r.push(d);
        r
    };
    let root = yamltree::parse(text).map_err(|e| {
        fail(Diagnostic::error(
            Pos::new(e.marker().line() as u64, e.marker().col() as u64 + 1),
            "",
            "YAML 写法有误，无法顺延（先用 tongbao check 改正）",
        ))
    })?;
    let quarter = root
        .get("quarter")
        .or_else(|| root.get("period"))
        .ok_or_else(|| {
            fail(Diagnostic::error(
                Pos::new(1, 1),
                "quarter",
                "缺少 quarter（期间），无法顺延",
            ))
        })?;
    let number = |key: &str| -> Result<Option<(u32, &Node)>, Report> {
        let Some(node) = quarter.get(key) else {
            return Ok(None);
        };
        let value = node
            .as_str()
            .and_then(|s| crate::clerk::digits(s.trim()).parse::<u32>().ok())
            .ok_or_else(|| {
                fail(Diagnostic::error(
                    Pos::new(node.line, node.column),
                    format!("quarter.{key}"),
                    "须为整数，无法顺延",
                ))
            })?;
        Ok(Some((value, node)))
    };
    let (year, year_node) = number("year")?.ok_or_else(|| {
        fail(Diagnostic::error(
            Pos::new(quarter.line, quarter.column),
            "quarter.year",
            "缺少 quarter.year，无法顺延",
        ))
    })?;
    for key in ["round", "window"] {
        if let Some(n) = quarter.get(key) {
            return Err(fail(Diagnostic::error(
                Pos::new(n.line, n.column),
                format!("quarter.{key}"),
                "按批次（round）或检查时段（window）编排的期间没有固定的下一期，无法自动顺延：请复制本文件后手改",
            )));
        }
    }
    let mut old = Period::Year(year);
    for (key, top, make) in [
        ("number", 4, Period::Quarter as fn(u32, u32) -> Period),
        ("month", 12, Period::Month),
        ("half", 2, Period::Half),
    ] {
        if let Some((n, node)) = number(key)? {
            if !(1..=top).contains(&n) {
                return Err(fail(Diagnostic::error(
                    Pos::new(node.line, node.column),
                    format!("quarter.{key}"),
                    format!("须为 1 至 {top}，却是 {n}"),
                )));
            }
            old = make(year, n);
            break;
        }
    }
    let new = old.next();
    let mut edits = Edits::new(text);
    let mut notes = Vec::new();
    edits.scalar(year_node, &new.year().to_string());
    if let (Some((key, _)), Some((_, n))) = (old.number(), new.number()) {
        if let Some(node) = quarter.get(key) {
            edits.scalar(node, &n.to_string());
        }
    }
    // The inspection window: the new period's bounds when it was the old one's, else moved on.
    let (old_from, old_to) = old.bounds();
    let (from, to) = new.bounds();
    for (key, was, bound) in [("from", &old_from, &from), ("to", &old_to, &to)] {
        if let Some(n) = quarter.get(key) {
            let written = n.as_str().map(str::trim).unwrap_or("");
            let moved = match crate::date::Date::parse(written) {
                Ok(d) if d.iso() == *was => Some(bound.clone()),
                _ => months_on(written, old.months()).map(|d| d.iso()),
            };
            match moved {
                Some(d) => edits.scalar(n, &d),
                None => notes.push(format!("quarter.{key} 不是日期，未顺延，请手改")),
            }
        }
    }

    if let Some(doc) = root.get("document") {
        for key in ["date", "print_date"] {
            if let Some(n) = doc.get(key) {
                match n.as_str().and_then(|d| months_on(d.trim(), old.months())) {
                    Some(d) => edits.scalar(n, &d.iso()),
                    None => notes.push(format!("document.{key} 不是有效日期，未顺延，请手改")),
                }
            }
        }
        if let Some(n) = doc.get("number") {
            let issued = doc
                .get("date")
                .and_then(Node::as_str)
                .and_then(|d| months_on(d.trim(), old.months()))
                .map_or(new.year(), |d| d.year);
            if let Some(s) = n.as_str().and_then(|s| docno_year(s, issued)) {
                edits.scalar(n, &s);
            }
            edits.comment(n, "发文字号的序号请改为本期的");
        }
    }

    // The old period named in the prose: 2023年第二季度 → 2023年第三季度.
    if let (Some(old_name), Some(new_name)) = (old.name(), new.name()) {
        let mut renamed = 0;
        each_scalar(&root, &mut |n| {
            if let Some(s) = n.as_str().filter(|s| s.contains(&old_name)) {
                if edits.replace_inside(n, &old_name, &new_name) {
                    renamed += s.matches(&old_name).count();
                }
            }
        });
        if renamed > 0 {
            notes.push(format!(
                "正文中的“{old_name}”已改为“{new_name}”（{renamed} 处）"
            ));
        }
    }

    for (i, insp) in root
        .get("inspections")
        .map_or(&[][..], Node::items)
        .iter()
        .enumerate()
    {
        if let Some(e) = insp.entry("stated") {
            edits.remove_entry(insp, e);
        }
        // The last period's 合格/不合格 counts: this period's come from its items or are
        // written anew.
        for key in ["passed", "failed"] {
            if let Some(e) = insp.entry(key) {
                edits.remove_entry(insp, e);
                notes.push(format!(
                    "删去了 inspections[{i}].{key}（上一期的数字）：本期不写则由列出的检查对象算出"
                ));
            }
        }
        for key in ["total", "breakdown"] {
            if insp.get(key).is_some() {
                notes.push(format!(
                    "inspections[{i}].{key} 保留了上一季度的数字，请核对"
                ));
            }
        }
        match insp.get("items") {
            Some(items) if matches!(items.kind, Kind::Map(_)) => {
                let from = items.get("from").and_then(Node::as_str).unwrap_or("");
                notes.push(format!(
                    "inspections[{i}].items 仍从“{from}”导入：请换成本季度的检查结果表格"
                ));
            }
            Some(items) => {
                if items.items().iter().any(|it| it.get("problems").is_some()) {
                    notes.push(format!(
                        "inspections[{i}] 各项的存在问题（problems）保留了上一季度的内容，请换成本季度的"
                    ));
                }
                // A tier without tier rules is the clerk's input, which prose is written around
                // (like problems); with rules it is the published tier to check, cleared.
                let tier_rules = insp.get("scheme").and_then(|s| s.get("tiers")).is_some();
                if !tier_rules && items.items().iter().any(|it| it.get("tier").is_some()) {
                    notes.push(format!(
                        "inspections[{i}] 各项的等次（tier）保留了上一季度的，请按本季度的检查改"
                    ));
                }
                for item in items.items() {
                    for key in FINDINGS.iter().filter(|k| tier_rules || **k != "tier") {
                        if let Some(e) = item.entry(key) {
                            edits.remove_entry(item, e);
                        }
                    }
                }
            }
            None => {}
        }
    }
    if let Some(e) = root.entry("correction") {
        edits.remove_entry(&root, e);
        notes.push("删去了上一季度的更正说明（correction）".into());
    }
    match root.get("previous") {
        Some(n) => edits.scalar(n, &crate::import::scaffold::quote(previous)),
        None => edits.append(&format!(
            "\n# 上一季度的文件：环比数字由它算出。\nprevious: {}\n",
            crate::import::scaffold::quote(previous)
        )),
    }
    Ok(Rolled {
        text: edits.apply(),
        old,
        new,
        notes,
    })
}

/// The rolled file's name: the period in the old name advanced (2023Q2 → 2023Q3,
/// 2023年第二季度 → 2023年第三季度, 2024-09 → 2024-10), or the new period added to the stem.
pub fn next_name(previous: &str, rolled: &Rolled) -> String {
    let new = rolled.new.tags();
    for (old, new) in rolled.old.tags().iter().zip(&new) {
        if previous.contains(old.as_str()) {
            return previous.replacen(old.as_str(), new, 1);
        }
    }
    let path = std::path::Path::new(previous);
    let stem = path
        .file_stem()
        .map_or("quarter".into(), |s| s.to_string_lossy());
    let ext = path
        .extension()
        .map_or("yaml".into(), |e| e.to_string_lossy());
    format!("{stem}-{}.{ext}", new[0])
}

/// First and last day of a quarter, YYYY-MM-DD.
pub fn bounds(year: u32, q: u32) -> (String, String) {
    Period::Quarter(year, q).bounds()
}

/// A date as the clerk wrote it (any form [`Date::parse`] reads), `months` on.
fn months_on(date: &str, months: u32) -> Option<Date> {
    Date::parse(date).ok()?.months_on(months)
}

/// The 发文字号 with the year inside 〔〕 replaced.
fn docno_year(number: &str, year: u32) -> Option<String> {
    let open = number.find('〔')?;
    let close = number[open..].find('〕')? + open;
    Some(format!(
        "{}〔{year}〕{}",
        &number[..open],
        &number[close + '〕'.len_utf8()..]
    ))
}

fn each_scalar<'a>(node: &'a Node, f: &mut impl FnMut(&'a Node)) {
    match &node.kind {
        Kind::Scalar(_) => f(node),
        Kind::Map(entries) => entries.iter().for_each(|e| each_scalar(&e.value, f)),
        Kind::Seq(items) => items.iter().for_each(|n| each_scalar(n, f)),
        Kind::Alias => {}
    }
}

/// Edits of the text by byte span, applied together at the end.
struct Edits<'a> {
    text: &'a str,
    edits: Vec<(usize, usize, String)>,
    tail: String,
}

impl<'a> Edits<'a> {
    fn new(text: &'a str) -> Self {
        Edits {
            text,
            edits: Vec::new(),
            tail: String::new(),
        }
    }

    /// A scalar's new value, in the quotes it was written with.
    fn scalar(&mut self, node: &Node, value: &str) {
        let raw = &self.text[node.start..node.end];
        let value = match raw.chars().next() {
            Some(q @ ('"' | '\'')) if raw.ends_with(q) => format!("{q}{value}{q}"),
            _ => value.to_string(),
        };
        self.edits.push((node.start, node.end, value));
    }

    /// Replace a phrase inside a scalar's text where it is written verbatim (folded and
    /// literal blocks keep each line intact, so the phrase is found as written).
    fn replace_inside(&mut self, node: &Node, old: &str, new: &str) -> bool {
        let raw = &self.text[node.start..node.end];
        if !raw.contains(old) {
            return false;
        }
        self.edits
            .push((node.start, node.end, raw.replace(old, new)));
        true
    }

    /// A comment at the end of the line of a node, unless the line has one.
    fn comment(&mut self, node: &Node, comment: &str) {
        let end = self.text[node.end..]
            .find('\n')
            .map_or(self.text.len(), |i| node.end + i);
        let line_start = self.text[..node.start].rfind('\n').map_or(0, |i| i + 1);
        if self.text[line_start..end].contains(" #") || self.text[node.end..end].contains('#') {
            return;
        }
        self.edits.push((end, end, format!("   # {comment}")));
    }

    /// Remove a mapping entry: `, key: value` in a flow map, the entry's lines in a block map.
    fn remove_entry(&mut self, map: &Node, entry: &yamltree::Entry) {
        let text = self.text;
        let (start, end) = (entry.key.start, entry.value.end.max(entry.key.end));
        if map.flow {
            // With the comma before it, or after it when it is the first entry.
            let before = text[..start].trim_end();
            if before.ends_with(',') {
                self.edits.push((before.len() - 1, end, String::new()));
            } else {
                let rest = &text[end..];
                let gap = rest.len() - rest.trim_start().len();
                let end = if rest.trim_start().starts_with(',') {
                    let after = &rest[gap + 1..];
                    end + gap + 1 + (after.len() - after.trim_start_matches(' ').len())
                } else {
                    end
                };
                self.edits.push((start, end, String::new()));
            }
        } else {
            let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
            // A block value ends where the next entry begins; a scalar at its end of line.
            let line_end = if text[end.saturating_sub(1)..].starts_with('\n') {
                end
            } else {
                text[end..].find('\n').map_or(text.len(), |i| end + i + 1)
            };
            self.edits.push((line_start, line_end, String::new()));
        }
    }

    fn append(&mut self, s: &str) {
        self.tail.push_str(s);
    }

    fn apply(mut self) -> String {
        // An edit inside another (a phrase renamed inside a removed entry) gives way to it.
        self.edits.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut kept: Vec<(usize, usize, String)> = Vec::new();
        for e in self.edits {
            if kept
                .last()
                .is_none_or(|k| e.0 >= k.1 && (e.0 > k.0 || k.0 == k.1))
            {
                kept.push(e);
            }
        }
        let mut out = self.text.to_string();
        for (start, end, with) in kept.into_iter().rev() {
            out.replace_range(start..end, &with);
        }
        if !self.tail.is_empty() {
            if !out.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(&self.tail);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OLD: &str = "# 注释保留\ndocument:\n  issuer: 某区政府办公室\n  number: 某府办发〔2023〕85号\n  title: 关于2023年第四季度检查情况的通报\n  date: 2023-12-31\n  print_date: \"2024-01-02\"\nquarter:\n  year: 2023\n  number: 4   # 第几季度\n  from: 2023-10-01\n  to: 2023-12-31\ninspections:\n  - id: sites\n    kind: 专栏\n    stated: {full_mark_count: 3}\n    items:\n      - {unit: 甲, d: {季度检查: 10}, score: 90, rank: 2}\n      - {d: {季度检查: 10}, unit: 乙}\n      - unit: 丙\n        veto: true\n        score: 0\n        name: 丙专栏\ncorrection:\n  date: 2024-01-05\n  reason: 数据有误\n";

    #[test]
    fn next_quarter_advances_and_clears() {
        let r = next_quarter(OLD, "2023Q4.yaml").unwrap();
        assert_eq!(
            (r.old, r.new),
            (Period::Quarter(2023, 4), Period::Quarter(2024, 1))
        );
        let t = &r.text;
        for want in [
            "# 注释保留",
            "  year: 2024\n",
            "  number: 1   # 第几季度",
            "  from: 2024-01-01",
            "  to: 2024-03-31",
            "  date: 2024-03-31",
            "  print_date: \"2024-04-02\"",
            "某府办发〔2024〕85号   # 发文字号的序号请改为本期的",
            "关于2024年第一季度检查情况的通报",
            "      - {unit: 甲}\n",
            "      - {unit: 乙}\n",
            "      - unit: 丙\n        name: 丙专栏\n",
            "previous: 2023Q4.yaml\n",
        ] {
            assert!(t.contains(want), "{want:?} missing in\n{t}");
        }
        for gone in ["stated", "score", "veto", "correction", "数据有误", "d: {"] {
            assert!(!t.contains(gone), "{gone:?} left in\n{t}");
        }
        assert_eq!(next_name("2023Q4.yaml", &r), "2024Q1.yaml");
        assert_eq!(next_name("大足.yaml", &r), "大足-2024Q1.yaml");
        assert_eq!(next_name("2023年第四季度.yaml", &r), "2024年第一季度.yaml");
        // The rolled file reads as YAML again.
        assert!(yamltree::parse(t).is_ok());
    }

    #[test]
    fn dates_move_by_the_period() {
        let on = |d: &str, n| months_on(d, n).map(|d| d.iso());
        assert_eq!(on("2021-07-07", 3).as_deref(), Some("2021-10-07"));
        assert_eq!(on("2023-11-30", 3).as_deref(), Some("2024-02-29"));
        assert_eq!(on("2023-05-31", 3).as_deref(), Some("2023-08-31"));
        assert_eq!(on("2024-09-30", 1).as_deref(), Some("2024-10-31"));
        assert_eq!(on("2024-12-10", 1).as_deref(), Some("2025-01-10"));
        assert_eq!(on("2023年5月31日", 3).as_deref(), Some("2023-08-31"));
        assert_eq!(on("2023.7.5", 6).as_deref(), Some("2024-01-05"));
        assert_eq!(on("5月31日", 3), None);
        assert_eq!(on("2107-12-01", 3), None, "past the years a DOCX can date");
        assert_eq!(on("2023-02-30", 3), None);
        assert_eq!(
            docno_year("大足府办发〔2021〕85号", 2022).as_deref(),
            Some("大足府办发〔2022〕85号")
        );
    }

    #[test]
    fn months_halves_and_years_roll_too() {
        let month = "document: {issuer: 某区, date: 2024-10-12}\nquarter:\n  year: 2024\n  month: 12\n  from: 2024-12-10\n  to: 2024-12-31\nsections:\n  - {heading: 总体情况, paragraphs: [2024年12月检查了网站。]}\n";
        let r = next_quarter(month, "2024-12.yaml").unwrap();
        assert_eq!(r.new, Period::Month(2025, 1));
        for want in [
            "year: 2025",
            "month: 1",
            "from: 2025-01-10",
            "to: 2025-01-31",
            "date: 2024-11-12",
            "2025年1月检查了网站",
        ] {
            assert!(r.text.contains(want), "{want:?} missing in\n{}", r.text);
        }
        assert_eq!(next_name("2024-12.yaml", &r), "2025-01.yaml");
        let half = "document: {issuer: 某区, date: 2024-07-05}\nperiod: {year: 2024, half: 1}\n";
        let r = next_quarter(half, "上半年.yaml").unwrap();
        assert_eq!(r.new, Period::Half(2024, 2));
        assert!(
            r.text.contains("half: 2") && r.text.contains("date: 2025-01-05"),
            "{}",
            r.text
        );
        assert_eq!(next_name("上半年.yaml", &r), "上半年-2024H2.yaml");
        let year = "document: {issuer: 某区, date: 2024-01-05}\nquarter: {year: 2023}\n";
        let r = next_quarter(year, "2023.yaml").unwrap();
        assert_eq!(r.new, Period::Year(2024));
        assert_eq!(next_name("2023.yaml", &r), "2024.yaml");
        let round = "document: {issuer: 某区, date: 2024-01-05}\nquarter: {year: 2023, round: 3}\n";
        assert!(next_quarter(round, "r.yaml").is_err());
    }
}
