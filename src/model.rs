//! The quarter description as written in YAML: what the drafting office knows before anything
//! is computed. Field names are the YAML keys; see `tongbao init` for a commented example.
//!
//! Values that later checks must point at carry their position (`Spanned`). Enums are plain
//! (no `#[serde(tag)]`): tagged enums blur serde-saphyr's error locations.

use std::collections::BTreeMap;
use std::fmt;

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use serde_saphyr::Spanned;

pub mod small_map;
pub mod tables;
pub use tables::{AttachmentSpec, ColumnSpec, TableSpec};

use crate::date::{Checked, Date};
use crate::zh::Script;

/// The whole YAML file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Quarter {
    pub document: DocumentMeta,
    /// The period inspected: a quarter, a month, a half-year, a year, a numbered round or a
    /// window of dates (the key may also be written `period:`).
    #[serde(alias = "period")]
    pub quarter: Period,
    /// The previous period's file (relative to this one), for 较上季度 figures and 复查.
    pub previous: Option<Spanned<String>>,
    #[serde(default)]
    pub inspections: Vec<Inspection>,
    /// 开头段 (basis and purpose), a template; the default is templates/opening.hbs.
    pub opening: Option<String>,
    #[serde(default)]
    pub sections: Vec<Section>,
    #[serde(default)]
    pub attachments: Vec<AttachmentSpec>,
    /// A corrected reissue: what changed and why; absent for a first issue.
    pub correction: Option<Correction>,
    /// Other figures the circular reports that no inspection computes (信息公开, 问政 …), by
    /// name, in templates as `{{data.name}}`: typed once here, then computed with
    /// (`{{percent data.问政.回复 data.问政.受理}}`). Any YAML value; maps keep their order.
    pub data: Option<serde_json::Value>,
}

/// 更正说明 of a reissued circular.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    /// Date of the correction.
    #[serde(default, deserialize_with = "crate::clerk::optional_date")]
    pub date: Option<Spanned<Checked<Date>>>,
    pub reason: Option<String>,
    /// The notice printed as the last paragraph of the body (a template), e.g.
    /// "因{{correction.reason}}，本通报于{{correction.date}}更正重发。"
    pub notice: Option<String>,
}

/// 版头, 主送, 落款, 版记 and output settings.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentMeta {
    /// 发文机关 (署名 and, by default, 发文机关标志 and 印发机关).
    pub issuer: Spanned<String>,
    /// 发文机关标志, when it differs from the issuer (e.g. "XX市人民政府办公室文件").
    pub mark: Option<Spanned<String>>,
    /// Print the 版头 (标志, 字号, red rule). Web reprints often have none.
    #[serde(default = "yes", deserialize_with = "crate::clerk::flag")]
    pub letterhead: bool,
    /// 发文字号 as printed: 机关代字〔年份〕序号号, e.g. "大足府办发〔2021〕85号".
    pub number: Option<Spanned<String>>,
    /// 索引号 in the disclosure catalogue, carried by the HTML page's metadata.
    pub index_number: Option<String>,
    /// 标题; derived from the quarter when absent (templates/title.hbs).
    pub title: Option<String>,
    /// The area the inspection covers as the title names it (全区, 全县, 全市 …); derived from
    /// the issuer's level when absent (see `compose::context::area`).
    pub area: Option<Spanned<String>>,
    /// 主送机关, without the final colon.
    pub recipients: Option<Spanned<String>>,
    /// 依据文件, available to the opening template as `basis`.
    pub basis: Option<Spanned<Vec<String>>>,
    /// 成文日期 (2024-07-05, 2024年7月5日 …: see [`Date::parse`]).
    #[serde(deserialize_with = "crate::clerk::date")]
    pub date: Spanned<Checked<Date>>,
    /// Print the 署名 and 成文日期.
    #[serde(default = "yes", deserialize_with = "crate::clerk::flag")]
    pub signature: bool,
    /// Sealed layout for the signature block.
    #[serde(default, deserialize_with = "crate::clerk::flag")]
    pub sealed: bool,
    /// 附注 without parentheses, e.g. 此件主动公开.
    pub note: Option<Spanned<String>>,
    /// 抄送 recipients (their place for the layout's finding when they overflow a page).
    pub cc: Option<Spanned<Vec<Spanned<String>>>>,
    /// 印发机关; defaults to the issuer.
    pub printer: Option<Spanned<String>>,
    /// 印发日期; with it the 版记 is printed.
    #[serde(default, deserialize_with = "crate::clerk::optional_date")]
    pub print_date: Option<Spanned<Checked<Date>>>,
    /// Output script: zh-Hans, zh-Hant, zh-TW, zh-HK; defaults to `source_script`. `--script` wins.
    pub script: Option<Spanned<Checked<Script>>>,
    /// Script this file is written in: zh-Hans (default), zh-Hant, zh-TW or zh-HK.
    pub source_script: Option<Spanned<Checked<Script>>>,
    /// Spans never converted between scripts (names written as their owner writes them).
    #[serde(default)]
    pub proper_nouns: Vec<Spanned<String>>,
    /// Conversion overrides for this document, `{原文: 转换结果}`; they win over OpenCC and over
    /// the shipped zh/overrides.tsv.
    #[serde(default)]
    pub zh_overrides: BTreeMap<String, String>,
}

fn yes() -> bool {
    true
}

/// The period inspected. At most one of `number` (季度), `month`, `half`, `round` is given;
/// with none of them the period is the year, or the window `from`–`to` when `window: true`.
/// See `crate::period` for how each is named.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    #[serde(deserialize_with = "crate::clerk::count")]
    pub year: Spanned<u32>,
    /// 第几季度, 1–4.
    #[serde(default, deserialize_with = "crate::clerk::optional_count")]
    pub number: Option<Spanned<u32>>,
    /// A month, 1–12 (2023年9月).
    #[serde(default, deserialize_with = "crate::clerk::optional_count")]
    pub month: Option<Spanned<u32>>,
    /// 1 上半年, 2 下半年.
    #[serde(default, deserialize_with = "crate::clerk::optional_count")]
    pub half: Option<Spanned<u32>>,
    /// A numbered round: 第三批 (`round: 3`); `round_unit` 批 (default), 次 or 轮.
    #[serde(default, deserialize_with = "crate::clerk::optional_count")]
    pub round: Option<Spanned<u32>>,
    pub round_unit: Option<Spanned<String>>,
    /// The period is the inspection window `from`–`to` itself (9月10日至9月28日).
    #[serde(default, deserialize_with = "crate::clerk::flag")]
    pub window: bool,
    /// 检查时间, first and last day.
    #[serde(default, deserialize_with = "crate::clerk::optional_date")]
    pub from: Option<Spanned<Checked<Date>>>,
    #[serde(default, deserialize_with = "crate::clerk::optional_date")]
    pub to: Option<Spanned<Checked<Date>>>,
}

/// One kind of thing inspected, with its items and scoring scheme.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inspection {
    /// Name used in templates, e.g. `sites` → `{{sites.count}}`.
    pub id: Spanned<String>,
    /// 政府网站 / 政府网站专栏 / 政务新媒体 / 信息公开平台 …
    pub kind: String,
    pub scheme: Option<Scheme>,
    /// Number inspected when `items` lists only some of them (e.g. only those with problems).
    #[serde(default, deserialize_with = "crate::clerk::optional_count")]
    pub total: Option<Spanned<u32>>,
    /// 合格 and 不合格 counts when the items are not all listed; the listed items must fit them.
    #[serde(default, deserialize_with = "crate::clerk::optional_count")]
    pub passed: Option<Spanned<u32>>,
    #[serde(default, deserialize_with = "crate::clerk::optional_count")]
    pub failed: Option<Spanned<u32>>,
    /// 运行总数: how many are in operation; with it the 检查比例 is the inspected share.
    #[serde(default, deserialize_with = "crate::clerk::optional_count")]
    pub in_operation: Option<Spanned<u32>>,
    /// Counts by a label stated without listing the items (by platform, by level, by issuing
    /// body …), each under a name of its own; the parts of each must add up to the total, and
    /// a part's own `parts` to its count.
    #[serde(default)]
    pub breakdowns: BTreeMap<String, Vec<Part>>,
    /// The items as written, or imported from a spreadsheet (`crate::import::Spec`).
    #[serde(default, deserialize_with = "crate::import::items")]
    pub items: Vec<Item>,
    /// Figures the draft states (e.g. `full_mark_count: 27`), checked against the computed ones.
    #[serde(default)]
    pub stated: BTreeMap<String, Spanned<Scalar>>,
}

/// One part of a breakdown: 微信公众号 218, itself split into 市直单位 53 and 县（市）区 165.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Part {
    pub label: String,
    #[serde(deserialize_with = "crate::clerk::count")]
    pub count: Spanned<u32>,
    /// 运行总数 of the part (a unit's sites or accounts in operation): with it the part has its
    /// own 检查比例, and summary tables print it (`{{part.in_operation}}`).
    #[serde(default, deserialize_with = "crate::clerk::optional_count")]
    pub in_operation: Option<Spanned<u32>>,
    #[serde(default)]
    pub parts: Vec<Part>,
}

/// One inspected site, column or account.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// 主管/责任单位.
    pub unit: Spanned<String>,
    /// 名称 (site, column or account name).
    pub name: Option<Spanned<String>>,
    /// 平台/类型 (微信公众号订阅号, 新浪微博 …).
    pub platform: Option<String>,
    /// 备案单号.
    pub filing: Option<String>,
    /// 网站标识码.
    pub code: Option<String>,
    /// 网址 (a site's address).
    pub url: Option<String>,
    /// 类别 (乡镇街道, 政府部门, 县(区)政府门户网站 …).
    pub category: Option<String>,
    /// 层级 (市直, 县区 …).
    pub level: Option<String>,
    /// 所属 (the town of a village committee, the county of a department …): lists group by it.
    pub parent: Option<String>,
    /// 简称, as prose names the unit (市医保局 for 市医疗保障局).
    pub short: Option<String>,
    /// Deductions and bonuses by indicator name; a value may be 不考核.
    #[serde(default, rename = "d")]
    pub deductions: small_map::SmallMap<Spanned<Points>>,
    /// 单项否决.
    #[serde(default, deserialize_with = "crate::clerk::flag")]
    pub veto: bool,
    /// The score: input when the scheme has no formula, otherwise the published figure to check.
    /// Boxed, as are `result` and `tier`: most items have none, and an item is the unit of a
    /// quarter's memory (a position is 56 bytes).
    pub score: Option<Box<Spanned<Scalar>>>,
    /// 检查结果 合格/不合格: input when the item has no score, otherwise the published figure
    /// to check.
    pub result: Option<Box<Spanned<String>>>,
    /// Published 排名, checked (boxed, as `score` is).
    #[serde(default, deserialize_with = "crate::clerk::optional_boxed_count")]
    pub rank: Option<Box<Spanned<u32>>>,
    /// 等次 (第一等次 …): input, or the published tier to check when the scheme has tier rules.
    pub tier: Option<Box<Spanned<String>>>,
    /// 存在问题.
    #[serde(default)]
    pub problems: Vec<String>,
    /// 备注.
    pub remark: Option<String>,
    /// Named in the prose when a list is shortened with 等N个 (any list: full marks, a band, a tier).
    #[serde(default, deserialize_with = "crate::clerk::flag")]
    pub featured: bool,
}

/// The scoring scheme of one inspection.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scheme {
    #[serde(default = "hundred")]
    pub full_mark: Num,
    #[serde(default = "sixty")]
    pub pass_mark: Num,
    #[serde(default)]
    pub indicators: Vec<Indicator>,
    /// The first formula whose `when_not_assessed` indicators are all 不考核 for an item applies;
    /// a formula without `when_not_assessed` is the default.
    #[serde(default)]
    pub formulas: Vec<Formula>,
    /// Decimals shown for scores (trailing zeros dropped: 100, 88.9).
    #[serde(default = "one")]
    pub score_decimals: u32,
    /// The sum of bonus indicators is capped at this.
    pub bonus_cap: Option<Num>,
    #[serde(default)]
    pub rank: RankMethod,
    #[serde(default)]
    pub rate: RateFormat,
    /// Score bands, e.g. {label: 110分及以上, min: 110}.
    #[serde(default)]
    pub bands: Vec<Band>,
    /// What 单项否决 does besides 不合格: the score shown and the rank.
    #[serde(default)]
    pub veto: VetoRule,
    /// Tier rules, first match wins: e.g. {label: 优秀, band: 90分及以上}, {label: 维护较好,
    /// has_problems: false}; a rule without conditions catches the rest.
    #[serde(default)]
    pub tiers: Vec<TierRule>,
    /// Without rules: the tiers items give (`tier:`), in the order tables and `tiers` list
    /// them (第一等次, 第二等次 …); an item's tier must be one of them.
    #[serde(default)]
    pub tier_order: Vec<Spanned<String>>,
}

/// 单项否决: always 不合格; by default (国办秘函〔2019〕19号) nothing else is scored: no score
/// shown, no rank.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VetoRule {
    #[serde(default)]
    pub rank: VetoRank,
    #[serde(default)]
    pub score: VetoScore,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VetoRank {
    /// No rank.
    #[default]
    None,
    /// After every item without a veto, among themselves by score.
    Last,
    /// Ranked by score like any other item.
    ByScore,
}

/// The score printed for a vetoed item.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub enum VetoScore {
    /// None (the cell stays empty).
    #[default]
    None,
    /// The score the formula computes.
    Computed,
    /// A fixed figure, e.g. 59.
    Fixed(Decimal),
}

/// One tier rule: every condition given must hold.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierRule {
    pub label: String,
    /// The item's score band (a `bands` label).
    pub band: Option<Spanned<String>>,
    /// Score range: at least `min`, below `below`.
    pub min: Option<Num>,
    pub below: Option<Num>,
    /// 合格 or 不合格.
    pub result: Option<Spanned<String>>,
    pub has_problems: Option<bool>,
    pub veto: Option<bool>,
}

fn hundred() -> Num {
    Num(Decimal::from(100))
}
fn sixty() -> Num {
    Num(Decimal::from(60))
}
fn one() -> u32 {
    1
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    pub name: String,
    /// Group for a merged header (内容更新 over 周扫描/季度检查).
    pub group: Option<String>,
    /// Points of the group, printed under its name (written once a group; checked).
    pub group_max: Option<Spanned<Num>>,
    /// Maximum deduction (or bonus); a larger value is an input error.
    pub max: Option<Num>,
    /// A bonus (加分) rather than a deduction.
    #[serde(default, deserialize_with = "crate::clerk::flag")]
    pub bonus: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Formula {
    /// What the formula computes as printed in the table note: 得分, 无对外服务职能单位得分.
    #[serde(default = "default_formula_label")]
    pub label: String,
    /// The expression as printed: 100-（周扫描÷2）-季度检查+加分; also + - * / × ÷ ( ) [ ].
    pub expr: Spanned<String>,
    #[serde(default)]
    pub when_not_assessed: Vec<String>,
}

fn default_formula_label() -> String {
    "得分".into()
}

/// Tie rule for ranks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RankMethod {
    /// 1, 2, 2, 4.
    #[default]
    Competition,
    /// 1, 2, 2, 3.
    Dense,
    /// 1, 2, 3, 4 in table order.
    Ordinal,
}

/// How rates (合格率, 检查比例) are printed.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateFormat {
    #[serde(default = "one")]
    pub decimals: u32,
    #[serde(default)]
    pub rounding: Rounding,
    /// Drop trailing zeros (100% rather than 100.0%).
    #[serde(default = "yes", deserialize_with = "crate::clerk::flag")]
    pub trim: bool,
}

impl Default for RateFormat {
    fn default() -> Self {
        RateFormat {
            decimals: 1,
            rounding: Rounding::HalfUp,
            trim: true,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// 四舍五入.
    #[default]
    HalfUp,
    /// Banker's rounding.
    HalfEven,
    /// Truncation (44/45 → 97.7%).
    Down,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub label: Spanned<String>,
    pub min: Option<Num>,
    /// Exclusive upper bound.
    pub below: Option<Num>,
}

/// A free-text section: 一、heading, then paragraphs (templates).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub heading: String,
    /// Number the heading 一、二、… (default true).
    #[serde(default = "yes", deserialize_with = "crate::clerk::flag")]
    pub numbered: bool,
    /// A template file rendered before the paragraphs (e.g. `overview`).
    pub template: Option<String>,
    #[serde(default)]
    pub paragraphs: Vec<Paragraph>,
}

/// A paragraph: a template string, or a run-in heading (numbered （一）…) with its text.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Paragraph {
    Text(String),
    Lead(LeadParagraph),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeadParagraph {
    pub lead: String,
    #[serde(default)]
    pub text: String,
}

/// A deduction value: points, or 不考核 (not assessed).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Points {
    Value(Decimal),
    NotAssessed,
}

/// A number kept exactly as decimal (88.9 stays 88.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Num(pub Decimal);

/// A stated figure: a number or text such as "100%".
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    Number(Decimal),
    Text(String),
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scalar::Number(d) => write!(f, "{}", d.normalize()),
            Scalar::Text(s) => f.write_str(s),
        }
    }
}

/// Parse a YAML float exactly: through its shortest decimal form, never via binary arithmetic.
fn decimal_from_f64<E: de::Error>(v: f64) -> Result<Decimal, E> {
    if !v.is_finite() {
        return Err(E::custom("须为有限数值"));
    }
    v.to_string()
        .parse::<Decimal>()
        .map_err(|_| E::custom("数值超出范围"))
}

struct ScalarVisitor;

/// A scalar and, when it was a number written the clerk's way (full-width digits, 95分), the
/// text as written.
struct RawScalar(Scalar, Option<String>);

impl Visitor<'_> for ScalarVisitor {
    type Value = RawScalar;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number or a string")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawScalar, E> {
        Ok(RawScalar(Scalar::Number(Decimal::from(v)), None))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawScalar, E> {
        Ok(RawScalar(Scalar::Number(Decimal::from(v)), None))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawScalar, E> {
        decimal_from_f64(v).map(|d| RawScalar(Scalar::Number(d), None))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<RawScalar, E> {
        let read = crate::clerk::numeral(v);
        Ok(match read.parse::<Decimal>() {
            Ok(d) => RawScalar(Scalar::Number(d), (read != v.trim()).then(|| v.to_string())),
            Err(_) => RawScalar(Scalar::Text(v.to_string()), None),
        })
    }
}

impl<'de> Deserialize<'de> for RawScalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

/// A scalar, noting a number written the clerk's way (`crate::clerk`).
fn scalar<'de, D: Deserializer<'de>>(d: D) -> Result<Scalar, D::Error> {
    let raw = Spanned::<RawScalar>::deserialize(d)?;
    if let Some(written) = &raw.value.1 {
        crate::clerk::note_number(&raw, written);
    }
    Ok(raw.value.0)
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        scalar(d)
    }
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match scalar(d)? {
            Scalar::Number(n) => Ok(Num(n)),
            Scalar::Text(t) => Err(de::Error::custom(format!("须为数值，却是“{t}”"))),
        }
    }
}

impl<'de> Deserialize<'de> for VetoScore {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match scalar(d)? {
            Scalar::Number(n) => Ok(VetoScore::Fixed(n)),
            Scalar::Text(t) if t.trim() == "none" => Ok(VetoScore::None),
            Scalar::Text(t) if t.trim() == "computed" => Ok(VetoScore::Computed),
            Scalar::Text(t) => Err(de::Error::custom(format!(
                "须为 none（不显示得分）、computed（显示计算得分）或一个分值（如 59），却是“{t}”"
            ))),
        }
    }
}

impl<'de> Deserialize<'de> for Points {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match scalar(d)? {
            Scalar::Number(n) => Ok(Points::Value(n)),
            Scalar::Text(t) if matches!(t.trim(), "不考核" | "不考覈") => {
                Ok(Points::NotAssessed)
            }
            Scalar::Text(t) => Err(de::Error::custom(format!("须为分值或“不考核”，却是“{t}”"))),
        }
    }
}
