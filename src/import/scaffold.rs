//! `tongbao init --items 检查结果.xlsx`: a quarter file drafted from an inspection sheet, for
//! the clerk to confirm. The column mapping is guessed from the header row (unit and name
//! columns by their names, indicators from the numeric columns, 是/否 columns as veto), the
//! year and quarter from the sheet's title or the file name.
//!
//! The draft must check and render as written: it is loaded and scored here with the real
//! engine, and a guess the sheet's own figures contradict is withdrawn (a formula the
//! published scores do not follow: the scores are read as given; ranks or results computed
//! differently: those columns are left out, with a comment saying why).

use std::fmt::Write as _;
use std::path::Path;

use super::header::{self, Header};
use super::sheet::{self, Grid, Pick, Value};
use crate::diag::Severity;

/// What the caller asked for.
pub struct Request<'a> {
    /// The spreadsheet, as the quarter file will name it (relative to the quarter file).
    pub from: &'a str,
    /// The folder the quarter file will be written in.
    pub base: &'a Path,
    pub sheet: Option<&'a str>,
    /// 1-based; guessed when absent.
    pub header_row: Option<u32>,
    /// Year and quarter when the sheet does not say (the caller's "today").
    pub fallback: (u32, u32),
}

/// The draft, and what the clerk must know about it.
pub struct Draft {
    pub yaml: String,
    /// Things guessed that the clerk should confirm, in Chinese.
    pub notes: Vec<String>,
}

/// What a column is taken to be.
#[derive(Debug, Clone, PartialEq)]
enum Role {
    Field(&'static str),
    Indicator { bonus: bool },
    Veto,
    Skip(&'static str),
}

struct Column {
    header: Header,
    role: Role,
}

pub fn draft(req: &Request) -> Result<Draft, String> {
    let path = req.base.join(req.from);
    let pick = req.sheet.map_or(Pick::First, Pick::Named);
    let grid = sheet::read(&path, pick).map_err(|f| match f {
        sheet::Failure::Unreadable(why) => format!("无法读取 {}：{why}", path.display()),
        sheet::Failure::NoSuchSheet { available } => format!(
            "{} 中没有这个工作表（有：{}）",
            path.display(),
            available.join("、")
        ),
    })?;
    let header_row = req
        .header_row
        .map_or_else(|| header::guess_row(&grid) + 1, |r| r as usize);
    let headers = header::headers(&grid, header_row - 1);
    if headers.is_empty() {
        return Err(format!(
            "第 {header_row} 行没有表头（可用 --header-row 指明）"
        ));
    }
    let mut notes = Vec::new();
    let mut columns = classify(&grid, header_row, headers);
    if !columns.iter().any(|c| c.role == Role::Field("unit")) {
        return Err(format!(
            "认不出哪一列是单位（表头：{}）；请用 --header-row 指明表头所在行，或手写 columns",
            columns
                .iter()
                .map(|c| c.header.full())
                .collect::<Vec<_>>()
                .join("、")
        ));
    }
    let (year, quarter, found) = period(&grid, header_row, req);
    if !found {
        notes.push(format!(
            "表格中没有写明年份和季度，按今天填为 {year} 年第 {quarter} 季度，请核对"
        ));
    }
    let media = columns.iter().any(|c| {
        c.role == Role::Field("platform")
            || c.header.name.contains("账号")
            || c.header.name.contains("新媒体")
    });
    let mut plan = Plan {
        req,
        sheet_name: (grid.name
            != path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default())
        .then(|| grid.name.clone()),
        header_row,
        year,
        quarter,
        id: if media { "media" } else { "sites" },
        kind: if media {
            "政务新媒体"
        } else {
            "政府网站"
        },
        formula: columns
            .iter()
            .any(|c| matches!(c.role, Role::Indicator { .. })),
        not_assessed: not_assessed(&grid, header_row, &columns),
    };
    // Withdraw what the sheet's own figures contradict, then what the engine still refuses.
    for _ in 0..4 {
        let yaml = plan.yaml(&columns);
        let Some(contradicted) = contradicted(&yaml, req.base) else {
            break;
        };
        let mut changed = false;
        if contradicted.contains(&"score") && plan.formula {
            plan.formula = false;
            notes.push(
                "表中得分与“满分减各项扣分加加分”不符：得分按表格读入，请在 scheme 中写出评分公式"
                    .into(),
            );
            changed = true;
        }
        for field in ["rank", "result"] {
            if contradicted.contains(&field) {
                for c in columns.iter_mut().filter(|c| c.role == Role::Field(field)) {
                    c.role = Role::Skip(if field == "rank" {
                        "表中排名与按得分计算的不一致，未导入（由 tongbao 计算）"
                    } else {
                        "表中检查结果与按得分计算的不一致，未导入（由 tongbao 计算）"
                    });
                    notes.push(format!(
                        "“{}”列：{}",
                        c.header.full(),
                        match &c.role {
                            Role::Skip(why) => why,
                            _ => "",
                        }
                    ));
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    Ok(Draft {
        yaml: plan.yaml(&columns),
        notes,
    })
}

/// Which published figures (score, rank, result) the draft's own computation contradicts;
/// None when it loads and checks clean.
fn contradicted(yaml: &str, base: &Path) -> Option<Vec<&'static str>> {
    let (quarter, mut report) = crate::load::parse_at(yaml.as_bytes(), base).ok()?;
    let checked = crate::validate::check(&quarter, &mut report);
    crate::score::compute(&quarter, &checked, &mut report);
    let fields: Vec<&'static str> = report
        .items
        .iter()
        .filter(|d| d.severity == Severity::Contradiction)
        .filter_map(|d| {
            ["score", "rank", "result"]
                .into_iter()
                .find(|f| d.field.ends_with(&format!(".{f}")))
        })
        .collect();
    (!fields.is_empty()).then_some(fields)
}

/// Guess each column's role from its name and its data.
fn classify(grid: &Grid, header_row: usize, headers: Vec<Header>) -> Vec<Column> {
    let by_name: &[(&[&str], Role)] = &[
        (&["序号", "编号"], Role::Skip("序号由 tongbao 编排")),
        (
            &["单位", "主体", "主办", "主管", "责任"],
            Role::Field("unit"),
        ),
        (
            &["名称", "账号", "网站", "专栏", "栏目"],
            Role::Field("name"),
        ),
        (&["平台", "类型", "媒体"], Role::Field("platform")),
        (&["类别", "分类"], Role::Field("category")),
        (&["备案", "标识码", "ICP"], Role::Field("filing")),
        (&["得分", "总分", "分数"], Role::Field("score")),
        (&["检查结果", "结果", "是否合格"], Role::Field("result")),
        (&["排名", "名次"], Role::Field("rank")),
        (&["等次", "等级"], Role::Field("tier")),
        (&["存在问题", "问题"], Role::Field("problems")),
        (&["备注"], Role::Field("remark")),
    ];
    let mut out: Vec<Column> = Vec::new();
    for h in headers {
        let values: Vec<&Value> = (header_row..grid.cells.len())
            .map(|r| grid.get(r, h.col))
            .filter(|v| !header::text(v).is_empty())
            .collect();
        let yes_no = !values.is_empty()
            && values.iter().all(|v| {
                matches!(v, Value::Bool(_)) || crate::clerk::yes_no(&header::text(v)).is_some()
            });
        let numeric = !values.is_empty()
            && values.iter().all(|v| {
                let t = header::text(v);
                matches!(v, Value::Int(_) | Value::Float(_))
                    || crate::clerk::numeral(&t).parse::<f64>().is_ok()
                    || matches!(t.as_str(), "不考核" | "/" | "-" | "—")
            });
        let taken = |role: &Role| out.iter().any(|c| &c.role == role);
        let named = by_name
            .iter()
            .find(|(words, role)| words.iter().any(|w| h.name.contains(w)) && !taken(role))
            .map(|(_, role)| role.clone());
        let role = match named {
            Some(Role::Field("score" | "rank")) | Some(Role::Skip(_))
                if !numeric && !values.is_empty() =>
            {
                Role::Skip("未识别，请确认")
            }
            Some(role) => role,
            None if yes_no && !taken(&Role::Veto) => Role::Veto,
            None if yes_no => Role::Skip("又一个“是/否”列：单项否决只取一列，请确认"),
            None if numeric => Role::Indicator {
                bonus: h.name.contains("加分") || h.name.contains("奖励"),
            },
            None if values.is_empty() => Role::Skip("整列为空"),
            None => Role::Skip("未识别，请确认"),
        };
        out.push(Column { header: h, role });
    }
    out
}

/// The sets of indicators rows mark 不考核, larger sets first (the first formula whose
/// `when_not_assessed` all hold applies): each set needs a formula of its own.
fn not_assessed(grid: &Grid, header_row: usize, columns: &[Column]) -> Vec<Vec<String>> {
    let mut sets: Vec<Vec<String>> = Vec::new();
    for r in header_row..grid.cells.len() {
        let set: Vec<String> = columns
            .iter()
            .filter(|c| matches!(c.role, Role::Indicator { .. }))
            .filter(|c| header::text(grid.get(r, c.header.col)).trim() == "不考核")
            .map(|c| c.header.name.clone())
            .collect();
        if !set.is_empty() && !sets.contains(&set) {
            sets.push(set);
        }
    }
    sets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    sets
}

/// Year and quarter from a title cell above the header, the sheet name or the file name;
/// the fallback otherwise (the flag says whether they were found).
fn period(grid: &Grid, header_row: usize, req: &Request) -> (u32, u32, bool) {
    let mut texts: Vec<String> = (0..header_row.saturating_sub(1))
        .flat_map(|r| (0..grid.width()).map(move |c| (r, c)))
        .map(|(r, c)| header::text(grid.get(r, c)))
        .filter(|t| !t.is_empty())
        .collect();
    texts.push(grid.name.clone());
    texts.push(req.from.to_string());
    texts
        .iter()
        .find_map(|t| year_quarter(t))
        .map_or((req.fallback.0, req.fallback.1, false), |(y, q)| {
            (y, q, true)
        })
}

/// "2024年第二季度", "2024年第2季度", "2024Q2", "2024年二季度" → (2024, 2).
pub fn year_quarter(text: &str) -> Option<(u32, u32)> {
    let chars: Vec<char> = text.chars().collect();
    for i in 0..chars.len() {
        if i + 4 > chars.len() || !chars[i..i + 4].iter().all(|c| c.is_ascii_digit()) {
            continue;
        }
        if i > 0 && chars[i - 1].is_ascii_digit() {
            continue;
        }
        let year: u32 = chars[i..i + 4].iter().collect::<String>().parse().ok()?;
        let rest: String = chars[i + 4..].iter().take(8).collect();
        let rest = rest.trim_start_matches(['年', ' ', '-', '_']);
        let rest = rest.strip_prefix('第').unwrap_or(rest);
        let q = match rest.chars().next() {
            Some('Q' | 'q') => rest.chars().nth(1),
            c => c.filter(|_| rest.chars().nth(1) == Some('季')),
        };
        let n = match q {
            Some('1' | '一') => 1,
            Some('2' | '二') => 2,
            Some('3' | '三') => 3,
            Some('4' | '四') => 4,
            _ => continue,
        };
        if (2000..2100).contains(&year) {
            return Some((year, n));
        }
    }
    None
}

/// Everything the YAML is written from.
struct Plan<'a> {
    req: &'a Request<'a>,
    sheet_name: Option<String>,
    header_row: usize,
    year: u32,
    quarter: u32,
    id: &'static str,
    kind: &'static str,
    /// Score from the deductions (full mark − deductions + bonuses) rather than as given.
    formula: bool,
    /// The sets of indicators some rows mark 不考核.
    not_assessed: Vec<Vec<String>>,
}

impl Plan<'_> {
    fn yaml(&self, columns: &[Column]) -> String {
        let (y, q) = (self.year, self.quarter);
        let (from, to) = crate::roll::bounds(y, q);
        let (ny, nq) = if q == 4 { (y + 1, 1) } else { (y, q + 1) };
        let (date, _) = crate::roll::bounds(ny, nq);
        let date = format!("{}-05", &date[..7]);
        let mut s = String::new();
        let w = &mut s;
        let _ = writeln!(
            w,
            "# 由 tongbao init --items {} 生成：各列的含义是按表头猜的，请逐项确认。",
            self.req.from
        );
        let _ = writeln!(
            w,
            "# 确认后运行 tongbao check 本文件（列出全部问题），再 tongbao render 本文件。"
        );
        let _ = writeln!(w);
        let _ = writeln!(w, "document:");
        let _ = writeln!(
            w,
            "  issuer: 某某区人民政府办公室          # 请改为发文机关"
        );
        let _ = writeln!(w, "  # number: 某府办发〔{ny}〕1号          # 发文字号");
        let _ = writeln!(
            w,
            "  recipients: 各镇人民政府、街道办事处，区政府各部门，有关单位"
        );
        let _ = writeln!(w, "  date: {date}                      # 成文日期，请核对");
        let _ = writeln!(w, "  note: 此件主动公开");
        let _ = writeln!(w);
        let _ = writeln!(w, "quarter:");
        let _ = writeln!(w, "  year: {y}");
        let _ = writeln!(w, "  number: {q}");
        let _ = writeln!(w, "  from: {from}");
        let _ = writeln!(w, "  to: {to}");
        let _ = writeln!(w);
        let _ = writeln!(w, "inspections:");
        let _ = writeln!(w, "  - id: {}", self.id);
        let _ = writeln!(w, "    kind: {}", self.kind);
        let indicators: Vec<&Column> = columns
            .iter()
            .filter(|c| matches!(c.role, Role::Indicator { .. }))
            .collect();
        let scored =
            !indicators.is_empty() || columns.iter().any(|c| c.role == Role::Field("score"));
        if scored {
            let _ = writeln!(w, "    scheme:");
            let _ = writeln!(w, "      full_mark: 100");
            let _ = writeln!(w, "      pass_mark: 60");
            if !indicators.is_empty() {
                let _ = writeln!(
                    w,
                    "      indicators:                       # 各项的上限可用 max 写明"
                );
                for c in &indicators {
                    let mut entry = format!("name: {}", quote(&c.header.name));
                    if let Some(g) = c.header.groups.last() {
                        let _ = write!(entry, ", group: {}", quote(g));
                    }
                    if c.role == (Role::Indicator { bonus: true }) {
                        entry.push_str(", bonus: true");
                    }
                    let _ = writeln!(w, "        - {{{entry}}}");
                }
            }
            if self.formula {
                // Full mark less each deduction plus each bonus, leaving out `skip`.
                let expr = |skip: &[String]| {
                    let mut expr = String::from("100");
                    for c in indicators.iter().filter(|c| !skip.contains(&c.header.name)) {
                        let sign = if c.role == (Role::Indicator { bonus: true }) {
                            '+'
                        } else {
                            '-'
                        };
                        let _ = write!(expr, "{sign}{}", c.header.name);
                    }
                    expr
                };
                let _ = writeln!(w, "      formulas:                         # 按表注原样书写，如 100-（周扫描÷2）-季度检查");
                let _ = writeln!(w, "        - expr: {}", quote(&expr(&[])));
                for set in &self.not_assessed {
                    let names: Vec<String> = set.iter().map(|n| quote(n)).collect();
                    let label = format!("{}不考核的单位得分", set.join("、"));
                    let _ = writeln!(w, "        - label: {}", quote(&label));
                    let _ = writeln!(w, "          when_not_assessed: [{}]", names.join(", "));
                    let _ = writeln!(
                        w,
                        "          expr: {}   # 请按考核方案改写，如 [90-…]×100÷90",
                        quote(&expr(set))
                    );
                }
            }
        }
        let _ = writeln!(w, "    items:");
        let _ = writeln!(w, "      from: {}", quote(self.req.from));
        if let Some(sheet) = &self.sheet_name {
            let _ = writeln!(w, "      sheet: {}", quote(sheet));
        }
        let _ = writeln!(w, "      header_row: {}", self.header_row);
        let _ = writeln!(w, "      columns:");
        for c in columns {
            let key = quote(&c.header.full());
            match &c.role {
                Role::Field(f) => {
                    let _ = writeln!(w, "        {key}: {f}");
                }
                Role::Indicator { .. } => {
                    let _ = writeln!(
                        w,
                        "        {key}: {}",
                        quote(&format!("d.{}", c.header.name))
                    );
                }
                Role::Veto => {
                    let _ = writeln!(
                        w,
                        "        {key}: veto                # 是/否 列，读作单项否决"
                    );
                }
                Role::Skip(why) => {
                    let _ = writeln!(w, "        {key}: ~                   # {why}");
                }
            }
        }
        let _ = writeln!(w);
        let _ = writeln!(w, "sections:");
        let _ = writeln!(w, "  - heading: 总体情况");
        let _ = writeln!(w, "    template: overview");
        let _ = writeln!(w);
        let _ = writeln!(w, "attachments:");
        let _ = writeln!(
            w,
            "  - title: \"{{{{quarter.year}}}}年第{{{{quarter.cn}}}}季度{}检查情况统计表\"",
            self.kind
        );
        let _ = writeln!(w, "    before: [\"检查时间：{{{{quarter.period}}}}\"]");
        let _ = writeln!(w, "    table:");
        let _ = writeln!(w, "      from: [{}]", self.id);
        let _ = writeln!(w, "      columns:");
        let _ = writeln!(w, "        - {{header: 序号, field: seq}}");
        for c in columns {
            let field = match &c.role {
                Role::Field(f) => f.to_string(),
                Role::Indicator { .. } => format!("d.{}", c.header.name),
                Role::Veto => "veto".into(),
                Role::Skip(_) => continue,
            };
            let mut entry = format!("header: {}", quote(&c.header.name));
            if let (Role::Indicator { .. }, Some(g)) = (&c.role, c.header.groups.last()) {
                let _ = write!(entry, ", group: {}", quote(g));
            }
            let _ = writeln!(w, "        - {{{entry}, field: {}}}", quote(&field));
        }
        if scored && !columns.iter().any(|c| c.role == Role::Field("score")) {
            let _ = writeln!(w, "        - {{header: 得分, field: score}}");
        }
        if scored && !columns.iter().any(|c| c.role == Role::Field("result")) {
            let _ = writeln!(w, "        - {{header: 检查结果, field: result}}");
        }
        if scored && !columns.iter().any(|c| c.role == Role::Field("rank")) {
            let _ = writeln!(w, "        - {{header: 排名, field: rank}}");
        }
        if self.formula {
            let _ = writeln!(w, "    after: [\"{{{{> formula_notes {}}}}}\"]", self.id);
        }
        s
    }
}

/// A YAML scalar, quoted when plain style would read it as something else.
pub fn quote(s: &str) -> String {
    let special = s.is_empty()
        || s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`~ ".contains(c))
        || s.ends_with(' ')
        || s.contains(": ")
        || s.contains(" #")
        || s.contains(['{', '}', '[', ']', ',', '\n', '\t', '"'])
        || matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "null" | "on" | "off"
        )
        || s.parse::<f64>().is_ok();
    if !special {
        return s.to_string();
    }
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_and_quarter_from_titles() {
        assert_eq!(
            year_quarter("2024年第二季度政务新媒体检查结果"),
            Some((2024, 2))
        );
        assert_eq!(year_quarter("检查结果2023Q4.xlsx"), Some((2023, 4)));
        assert_eq!(year_quarter("2022年第3季度"), Some((2022, 3)));
        assert_eq!(year_quarter("2021年一季度"), Some((2021, 1)));
        assert_eq!(year_quarter("2024年7月"), None);
        assert_eq!(year_quarter("12024Q1"), None);
    }

    #[test]
    fn quoting() {
        assert_eq!(quote("主办单位"), "主办单位");
        assert_eq!(quote("d.季度检查"), "d.季度检查");
        assert_eq!(quote("2024"), "\"2024\"");
        assert_eq!(quote("a: b"), "\"a: b\"");
        assert_eq!(quote("[x]"), "\"[x]\"");
        assert_eq!(quote("#1"), "\"#1\"");
        assert_eq!(quote("yes"), "\"yes\"");
    }
}
