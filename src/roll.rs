//! roll: the next quarter's file from this one (`tongbao init --from 2023Q2.yaml`).
//!
//! The text is edited in place (through the node spans of `yamltree`), so the issuer,
//! recipients, scheme, units, templates, prose and every comment stay as the clerk wrote
//! them. Advanced: the year and quarter, the inspection period, the 成文日期 and 印发日期
//! (three months on), the year of the 发文字号, and the old quarter's name in the prose
//! (2023年第二季度 → 2023年第三季度). Cleared: each item's deductions and results (d, veto,
//! score, result, rank, featured, and tier where tier rules compute it), the stated figures and
//! a correction notice; kept with a note: the problems found, tiers given as input, the totals
//! and breakdowns, a spreadsheet import.
//! `previous:` names the old file, so that quarter-on-quarter figures can be computed.

use crate::date::{days_in_month, Date};
use crate::diag::{Diagnostic, Pos, Report};
use crate::yamltree::{self, Kind, Node};

/// The rolled file and what the clerk should look at.
pub struct Rolled {
    pub text: String,
    pub old: (u32, u32),
    pub new: (u32, u32),
    pub notes: Vec<String>,
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
    let quarter = root.get("quarter").ok_or_else(|| {
        fail(Diagnostic::error(
            Pos::new(1, 1),
            "quarter",
            "缺少 quarter，无法顺延",
        ))
    })?;
    let number = |key: &str| -> Result<(u32, &Node), Report> {
        let node = quarter.get(key).ok_or_else(|| {
            fail(Diagnostic::error(
                Pos::new(quarter.line, quarter.column),
                format!("quarter.{key}"),
                format!("缺少 quarter.{key}，无法顺延"),
            ))
        })?;
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
        Ok((value, node))
    };
    let (year, year_node) = number("year")?;
    let (q, q_node) = number("number")?;
    if !(1..=4).contains(&q) {
        return Err(fail(Diagnostic::error(
            Pos::new(q_node.line, q_node.column),
            "quarter.number",
            format!("季度须为 1 至 4，却是 {q}"),
        )));
    }
    let (ny, nq) = if q == 4 { (year + 1, 1) } else { (year, q + 1) };
    let mut edits = Edits::new(text);
    let mut notes = Vec::new();
    edits.scalar(year_node, &ny.to_string());
    edits.scalar(q_node, &nq.to_string());
    let (from, to) = bounds(ny, nq);
    for (key, value) in [("from", &from), ("to", &to)] {
        if let Some(n) = quarter.get(key) {
            edits.scalar(n, value);
        }
    }

    if let Some(doc) = root.get("document") {
        for key in ["date", "print_date"] {
            if let Some(n) = doc.get(key) {
                match n.as_str().and_then(|d| three_months_on(d.trim())) {
                    Some(d) => edits.scalar(n, &d.iso()),
                    None => notes.push(format!("document.{key} 不是有效日期，未顺延，请手改")),
                }
            }
        }
        if let Some(n) = doc.get("number") {
            let issued = doc
                .get("date")
                .and_then(Node::as_str)
                .and_then(three_months_on)
                .map_or(ny, |d| d.year);
            if let Some(s) = n.as_str().and_then(|s| docno_year(s, issued)) {
                edits.scalar(n, &s);
            }
            edits.comment(n, "发文字号的序号请改为本期的");
        }
    }

    // The old quarter named in the prose: 2023年第二季度 → 2023年第三季度.
    let (old_name, new_name) = (period_name(year, q), period_name(ny, nq));
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

    for (i, insp) in root
        .get("inspections")
        .map_or(&[][..], Node::items)
        .iter()
        .enumerate()
    {
        if let Some(e) = insp.entry("stated") {
            edits.remove_entry(insp, e);
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
        old: (year, q),
        new: (ny, nq),
        notes,
    })
}

/// The rolled file's name: the quarter in the old name advanced (2023Q2 → 2023Q3,
/// 2023年第二季度 → 2023年第三季度), or the new quarter added to the stem.
pub fn next_name(previous: &str, rolled: &Rolled) -> String {
    let ((oy, oq), (ny, nq)) = (rolled.old, rolled.new);
    for (old, new) in [
        (format!("{oy}Q{oq}"), format!("{ny}Q{nq}")),
        (format!("{oy}q{oq}"), format!("{ny}q{nq}")),
        (period_name(oy, oq), period_name(ny, nq)),
        (format!("{oy}-Q{oq}"), format!("{ny}-Q{nq}")),
    ] {
        if previous.contains(&old) {
            return previous.replacen(&old, &new, 1);
        }
    }
    let path = std::path::Path::new(previous);
    let stem = path
        .file_stem()
        .map_or("quarter".into(), |s| s.to_string_lossy());
    let ext = path
        .extension()
        .map_or("yaml".into(), |e| e.to_string_lossy());
    format!("{stem}-{ny}Q{nq}.{ext}")
}

fn period_name(year: u32, q: u32) -> String {
    const CN: [&str; 4] = ["一", "二", "三", "四"];
    format!("{year}年第{}季度", CN[(q as usize - 1).min(3)])
}

/// First and last day of a quarter, YYYY-MM-DD.
pub fn bounds(year: u32, q: u32) -> (String, String) {
    let first = (q - 1) * 3 + 1;
    let last = first + 2;
    (
        format!("{year}-{first:02}-01"),
        format!("{year}-{last:02}-{:02}", days_in_month(year, last)),
    )
}

/// A date as the clerk wrote it (any form [`Date::parse`] reads), three months on.
fn three_months_on(date: &str) -> Option<Date> {
    Date::parse(date).ok()?.three_months_on()
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
        assert_eq!((r.old, r.new), ((2023, 4), (2024, 1)));
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
    fn dates_move_three_months() {
        let on = |d: &str| three_months_on(d).map(|d| d.iso());
        assert_eq!(on("2021-07-07").as_deref(), Some("2021-10-07"));
        assert_eq!(on("2023-11-30").as_deref(), Some("2024-02-29"));
        assert_eq!(on("2023-05-31").as_deref(), Some("2023-08-31"));
        assert_eq!(on("2023年5月31日").as_deref(), Some("2023-08-31"));
        assert_eq!(on("2023.7.5").as_deref(), Some("2023-10-05"));
        assert_eq!(on("5月31日"), None);
        assert_eq!(on("2107-12-01"), None, "past the years a DOCX can date");
        assert_eq!(on("2023-02-30"), None);
        assert_eq!(
            docno_year("大足府办发〔2021〕85号", 2022).as_deref(),
            Some("大足府办发〔2022〕85号")
        );
    }
}
