//! generate: a synthetic but realistic city-level quarter (websites and new-media accounts with
//! deductions, bonuses, vetoes and problems), for benchmarks and scaling tests.
//!
//! The output is a quarter YAML like any office would write, built from a fixed-seed generator:
//! the same parameters always give the same bytes, so `fixtures/city-large.yaml` is
//! `tongbao generate` with the defaults, and other sizes are one flag away.

use std::collections::HashSet;
use std::fmt::Write;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Params {
    pub sites: usize,
    pub accounts: usize,
    pub seed: u64,
}

impl Default for Params {
    /// The city-level case: 88 websites and 1,146 accounts.
    fn default() -> Self {
        Params {
            sites: 88,
            accounts: 1146,
            seed: 1,
        }
    }
}

/// SplitMix64: tiny, fast and the same on every platform (no dependency for a fixture generator).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    /// Pick by weight: `(value, weight)` pairs.
    fn weighted<T: Copy>(&mut self, table: &[(T, u64)]) -> T {
        let total: u64 = table.iter().map(|(_, w)| w).sum();
        let mut r = self.next() % total;
        for &(v, w) in table {
            if r < w {
                return v;
            }
            r -= w;
        }
        table[table.len() - 1].0
    }
}

const CITY: &str = "江州";

/// 市政府部门 (each runs a website and some accounts).
const CITY_DEPARTMENTS: &[(&str, &str)] = &[
    ("市发展改革委", "发改"),
    ("市教育局", "教育"),
    ("市科技局", "科技"),
    ("市经济和信息化局", "经信"),
    ("市民族宗教局", "民宗"),
    ("市公安局", "公安"),
    ("市民政局", "民政"),
    ("市司法局", "司法"),
    ("市财政局", "财政"),
    ("市人力资源社会保障局", "人社"),
    ("市自然资源局", "自然资源"),
    ("市生态环境局", "生态环境"),
    ("市住房城乡建设局", "住建"),
    ("市交通运输局", "交通"),
    ("市水利局", "水利"),
    ("市农业农村局", "农业农村"),
    ("市商务局", "商务"),
    ("市文化广电旅游局", "文旅"),
    ("市卫生健康委", "健康"),
    ("市退役军人事务局", "退役军人"),
    ("市应急管理局", "应急管理"),
    ("市审计局", "审计"),
    ("市国资委", "国资"),
    ("市市场监管局", "市场监管"),
    ("市体育局", "体育"),
    ("市统计局", "统计"),
    ("市医疗保障局", "医保"),
    ("市林业局", "林业"),
    ("市乡村振兴局", "乡村振兴"),
    ("市信访局", "信访"),
    ("市城市管理局", "城管"),
    ("市政务服务管理局", "政务服务"),
    ("市大数据发展局", "大数据"),
    ("市机关事务管理局", "机关事务"),
    ("市住房公积金中心", "公积金"),
    ("市人防办", "人防"),
    ("市地方金融监管局", "金融"),
    ("市档案馆", "档案"),
    ("市气象局", "气象"),
    ("市税务局", "税务"),
];

/// 区县 (each runs a portal, departments and towns with their own accounts).
const DISTRICTS: &[&str] = &[
    "东湖区",
    "西山区",
    "南城区",
    "北江区",
    "青溪县",
    "白石县",
    "云台县",
    "龙泉县",
    "临水县",
    "安宁县",
];

/// 区县部门, as short names prefixed by the district.
const DISTRICT_DEPARTMENTS: &[&str] = &[
    "发展改革局",
    "教育局",
    "公安分局",
    "民政局",
    "财政局",
    "人力社保局",
    "自然资源局",
    "住房城乡建设局",
    "交通运输局",
    "农业农村局",
    "文化旅游局",
    "卫生健康局",
    "应急管理局",
    "市场监管局",
    "医保局",
];

const TOWN_STEMS: &[&str] = &[
    "长安", "永丰", "太平", "福兴", "安居", "石桥", "清河", "金山", "玉泉", "双龙", "白鹤", "青山",
];

/// Platforms and their share of accounts (percent).
const PLATFORMS: &[(&str, u64)] = &[
    ("微信公众号", 45),
    ("新浪微博", 20),
    ("抖音", 15),
    ("今日头条", 12),
    ("快手", 8),
];

const ACCOUNT_SUFFIXES: &[&str] = &["发布", "微讯", "在线", "之声", "政务", "服务", "资讯"];

/// Problems an account's deductions come from, by indicator.
const PROBLEMS: &[(&str, &str)] = &[
    ("基本信息", "账号名称、认证信息与备案信息不一致"),
    ("季度检查", "监测时间点前2周内无更新"),
    ("互动回应", "网民留言未及时回复"),
    ("错情整改", "发布内容存在错敏信息且未及时整改"),
];

/// One inspected unit: its full name and the short name its accounts carry.
struct Unit {
    name: String,
    short: String,
}

/// The units of the city in the order a 通报 lists them: city departments, then each district
/// with its departments and towns.
fn units() -> Vec<Unit> {
    let mut out: Vec<Unit> = CITY_DEPARTMENTS
        .iter()
        .map(|(name, short)| Unit {
            name: name.to_string(),
            short: format!("{CITY}{short}"),
        })
        .collect();
    for district in DISTRICTS {
        let stem = district.trim_end_matches(['区', '县']);
        out.push(Unit {
            name: format!("{district}人民政府"),
            short: district.to_string(),
        });
        for dept in DISTRICT_DEPARTMENTS {
            out.push(Unit {
                name: format!("{district}{dept}"),
                short: format!("{stem}{}", dept.trim_end_matches(['局', '分'])),
            });
        }
        for town in TOWN_STEMS {
            out.push(Unit {
                name: format!("{district}{town}镇"),
                short: format!("{stem}{town}"),
            });
        }
    }
    out
}

/// Deductions of one item as a YAML flow mapping body (`季度检查: 10, 加分: 5`), empty when none.
fn deductions(pairs: &[(&str, u32)]) -> String {
    pairs
        .iter()
        .filter(|(_, v)| *v > 0)
        .map(|(k, v)| format!("{k}: {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The websites: the city portal, the district portals, then department sites.
fn write_sites(out: &mut String, rng: &mut Rng, units: &[Unit], n: usize) {
    let portal = |name: &str| format!("{name}门户网站");
    let mut sites: Vec<(String, String)> = vec![(
        format!("{CITY}市人民政府办公室"),
        portal(&format!("{CITY}市人民政府")),
    )];
    sites.extend(DISTRICTS.iter().map(|d| {
        (
            format!("{d}人民政府办公室"),
            portal(&format!("{d}人民政府")),
        )
    }));
    // Department sites: every unit but the district governments (their portals are above)
    // and the towns, which run columns on the portals rather than sites of their own.
    sites.extend(
        units
            .iter()
            .filter(|u| !u.name.ends_with("镇") && !u.name.ends_with("人民政府"))
            .map(|u| (u.name.clone(), format!("{}网站", u.name))),
    );
    let mut k = 0;
    while sites.len() < n {
        // Beyond the city's own sites: topical sites of any unit, numbered across all.
        let u = &units[k % units.len()];
        k += 1;
        sites.push((u.name.clone(), format!("{}专题网站{}", u.name, k)));
    }
    sites.truncate(n);
    for (unit, name) in sites {
        let weekly = rng.weighted(&[(0, 55), (2, 20), (4, 15), (6, 7), (10, 3)]);
        let quarterly = rng.weighted(&[(0, 60), (5, 20), (10, 15), (20, 4), (40, 1)]);
        let interaction = rng.weighted(&[(0, 75), (2, 15), (5, 10)]);
        let service = rng.weighted(&[(0, 70), (1, 15), (2, 10), (5, 5)]);
        let errors = rng.weighted(&[(0, 85), (5, 10), (10, 5)]);
        let security = rng.weighted(&[(0, 95), (5, 5)]);
        let bonus = rng.weighted(&[(0, 45), (2, 15), (5, 15), (10, 15), (15, 7), (20, 3)]);
        let d = deductions(&[
            ("周扫描", weekly),
            ("季度检查", quarterly),
            ("互动回应", interaction),
            ("办事服务", service),
            ("错情整改", errors),
            ("安全防护", security),
            ("加分", bonus),
        ]);
        let _ = write!(out, "      - {{unit: {unit}, name: {name}");
        if rng.chance(2) {
            out.push_str(", veto: true");
        }
        if !d.is_empty() {
            let _ = write!(out, ", d: {{{d}}}");
        }
        out.push_str("}\n");
    }
}

/// The accounts: spread over the units and platforms, names unique per unit and platform.
fn write_accounts(out: &mut String, rng: &mut Rng, units: &[Unit], n: usize) {
    let mut taken = HashSet::new();
    for k in 0..n {
        // Walk the units in order so the table reads unit by unit, as published tables do.
        let unit = &units[k * units.len() / n.max(1)];
        let platform = rng.weighted(PLATFORMS);
        // A random suffix; on a clash the next free one, and a number once all are taken.
        let first = (rng.next() % ACCOUNT_SUFFIXES.len() as u64) as usize;
        let name = (0..)
            .map(|t| {
                let suffix = ACCOUNT_SUFFIXES[(first + t) % ACCOUNT_SUFFIXES.len()];
                match t / ACCOUNT_SUFFIXES.len() {
                    0 => format!("{}{suffix}", unit.short),
                    round => format!("{}{suffix}{}", unit.short, round + 1),
                }
            })
            .find(|name| taken.insert((unit.name.clone(), name.clone(), platform)))
            .expect("an unbounded sequence of distinct names has a free one");
        let basic = rng.weighted(&[(0, 90), (2, 7), (5, 3)]);
        let weekly = rng.weighted(&[(0, 60), (2, 20), (4, 12), (10, 8)]);
        let quarterly = rng.weighted(&[(0, 70), (10, 18), (20, 9), (60, 3)]);
        let interaction = rng.weighted(&[(0, 85), (5, 15)]);
        let errors = rng.weighted(&[(0, 92), (10, 6), (20, 2)]);
        let bonus = rng.weighted(&[(0, 50), (2, 15), (5, 15), (10, 12), (20, 8)]);
        let pairs = [
            ("基本信息", basic),
            ("周扫描", weekly),
            ("季度检查", quarterly),
            ("互动回应", interaction),
            ("错情整改", errors),
            ("加分", bonus),
        ];
        let _ = write!(
            out,
            "      - {{unit: {}, name: {name}, platform: {platform}",
            unit.name
        );
        if rng.chance(1) {
            out.push_str(", veto: true");
        }
        let d = deductions(&pairs);
        if !d.is_empty() {
            let _ = write!(out, ", d: {{{d}}}");
        }
        let problems: Vec<&str> = PROBLEMS
            .iter()
            .filter(|(indicator, _)| {
                let threshold = if *indicator == "季度检查" { 20 } else { 1 };
                pairs.iter().any(|(k, v)| k == indicator && *v >= threshold)
            })
            .map(|(_, text)| *text)
            .collect();
        if !problems.is_empty() {
            let _ = write!(out, ", problems: [{}]", problems.join(", "));
        }
        out.push_str("}\n");
    }
}

/// The quarter YAML for `params`.
pub fn quarter_yaml(params: &Params) -> String {
    let mut rng = Rng(params.seed);
    let units = units();
    let mut out = String::with_capacity(200 + 150 * (params.sites + params.accounts));
    let _ = write!(
        out,
        "# 由 tongbao generate 生成（--sites {} --accounts {} --seed {}）：虚构的{CITY}市季度检查，\n\
         # 单位、网站和账号均为虚构，用于性能测试和规模测试。\n",
        params.sites, params.accounts, params.seed
    );
    out.push_str(HEAD);
    write_sites(&mut out, &mut rng, &units, params.sites);
    out.push_str(MEDIA_HEAD);
    write_accounts(&mut out, &mut rng, &units, params.accounts);
    out.push_str(TAIL);
    out
}

/// Document, quarter and the websites' scheme, up to the first item.
const HEAD: &str = r#"document:
  issuer: 江州市人民政府办公室
  number: 江州府办发〔2024〕52号
  title: 关于2024年第三季度全市政府网站和政务新媒体检查情况的通报
  recipients: 各区县人民政府，市政府各部门，有关单位
  date: 2024-10-15
  note: 此件主动公开
  cc: [市委办公室, 市人大常委会办公室, 市政协办公室, 市纪委监委, 市中级法院, 市检察院]
  print_date: 2024-10-16

quarter:
  year: 2024
  number: 3
  from: 2024-07-01
  to: 2024-09-30

opening: >-
  为深入贯彻落实国务院办公厅关于加强政府网站和政务新媒体建设管理的工作要求，持续提升全市政府网站和政务新媒体规范化水平，市政府办公室组织开展了{{quarter.year}}年第{{quarter.cn}}季度全市政府网站和政务新媒体检查工作，现将有关情况通报如下：

inspections:
  - id: sites
    kind: 政府网站
    scheme:
      full_mark: 100
      pass_mark: 60
      bonus_cap: 20
      indicators:
        - {name: 周扫描, group: 内容更新（50分）}
        - {name: 季度检查, group: 内容更新（50分）, max: 50}
        - {name: 互动回应, max: 10}
        - {name: 办事服务, max: 10}
        - {name: 错情整改, max: 20}
        - {name: 安全防护, max: 10}
        - {name: 加分, max: 20, bonus: true}
      formulas:
        - expr: 100-（周扫描÷2）-季度检查-互动回应-办事服务-错情整改-安全防护+加分
      bands:
        - {label: 110分及以上, min: 110}
        - {label: 100—110分, min: 100, below: 110}
    items:
"#;

/// The accounts' inspection, up to the first item.
const MEDIA_HEAD: &str = r#"
  - id: media
    kind: 政务新媒体
    scheme:
      bonus_cap: 20
      indicators:
        - {name: 基本信息, max: 10}
        - {name: 周扫描, group: 内容更新（60分）}
        - {name: 季度检查, group: 内容更新（60分）, max: 60}
        - {name: 互动回应, max: 10}
        - {name: 错情整改, max: 20}
        - {name: 加分, max: 20, bonus: true}
      formulas:
        - expr: 100-基本信息-（周扫描÷2）-季度检查-互动回应-错情整改+加分
      bands:
        - {label: 110分及以上, min: 110}
        - {label: 100—110分, min: 100, below: 110}
    items:
"#;

/// Sections and the two attachment tables (two-row headers under 内容更新).
const TAIL: &str = r#"
sections:
  - heading: 总体情况
    paragraphs:
      - lead: 政府网站方面。
        text: >-
          本季度共检查全市政府网站{{sites.count}}个，检查比例{{sites.coverage}}，合格{{sites.passed}}个，合格率{{sites.pass_rate}}。得分{{sites.bands.0.label}}的{{sites.bands.0.count}}个，{{sites.bands.1.label}}的{{sites.bands.1.count}}个。{{#if sites.bands.0.members}}{{join sites.bands.0.members limit=5 etc="个网站"}}综合表现突出。{{/if}}{{#if sites.failed}}{{join sites.failed_units limit=5 etc="个单位"}}的网站检查不合格。{{/if}}
      - lead: 政务新媒体方面。
        text: >-
          本季度共检查全市政务新媒体{{media.count}}个，其中{{#each media.platforms}}{{label}}{{count}}个{{#unless @last}}、{{/unless}}{{/each}}，检查比例{{media.coverage}}，合格{{media.passed}}个，合格率{{media.pass_rate}}。得分{{media.bands.0.label}}的{{media.bands.0.count}}个，{{media.bands.1.label}}的{{media.bands.1.count}}个。{{#if media.bands.0.members}}{{join media.bands.0.members limit=5 etc="个账号"}}综合表现突出。{{/if}}
  - heading: 存在问题
    paragraphs:
      - >-
        {{#if media.problem_count}}检查发现存在问题的政务新媒体{{media.problem_count}}个，问题主要有：{{#each media.problems_by_count}}{{label}}（{{count}}个）{{#unless @last}}；{{/unless}}{{/each}}。{{/if}}部分单位对政府网站和政务新媒体的日常监管不够到位，信息发布审核把关不严，互动回应渠道不够畅通。
  - heading: 工作要求
    paragraphs:
      - lead: 压实主体责任。
        text: >-
          各区县、各部门要切实履行主管主办责任，建立健全常态化监管机制，严格落实信息发布“三审三校”制度，确保政府网站和政务新媒体安全平稳运行。
      - lead: 抓好问题整改。
        text: >-
          对本次检查发现的问题（详见附件），相关单位要逐项整改到位，并于{{quarter.year}}年11月15日前将整改情况报市政府办公室。
      - lead: 提升服务水平。
        text: >-
          各区县、各部门要围绕企业和群众关切，优化办事服务和互动交流功能，丰富政策解读形式，不断提升政府网站和政务新媒体的传播力、引导力和服务力。

attachments:
  - title: "{{quarter.year}}年第{{quarter.cn}}季度全市政府网站检查情况统计表"
    before: ["检查时间：{{quarter.period}}"]
    table:
      from: [sites]
      columns:
        - {header: 序号, field: seq}
        - {header: 主办单位, field: unit}
        - {header: 网站名称, field: name}
        - {header: 单项否决, field: veto}
        - {header: 周扫描, group: 内容更新（50分）, field: d.周扫描}
        - {header: 季度检查, group: 内容更新（50分）, field: d.季度检查}
        - {header: 互动回应（10分）, field: d.互动回应}
        - {header: 办事服务（10分）, field: d.办事服务}
        - {header: 错情整改（20分）, field: d.错情整改}
        - {header: 安全防护（10分）, field: d.安全防护}
        - {header: 加分（20分）, field: d.加分}
        - {header: 得分, field: score}
        - {header: 检查结果, field: result}
        - {header: 排名, field: rank}
    after: ["{{> formula_notes sites.scheme}}"]
  - title: "{{quarter.year}}年第{{quarter.cn}}季度全市政务新媒体检查情况统计表"
    before: ["检查时间：{{quarter.period}}"]
    table:
      from: [media]
      columns:
        - {header: 序号, field: seq}
        - {header: 主管单位, field: unit}
        - {header: 账号名称, field: name}
        - {header: 平台, field: platform}
        - {header: 单项否决, field: veto}
        - {header: 基本信息（10分）, field: d.基本信息}
        - {header: 周扫描, group: 内容更新（60分）, field: d.周扫描}
        - {header: 季度检查, group: 内容更新（60分）, field: d.季度检查}
        - {header: 互动回应（10分）, field: d.互动回应}
        - {header: 错情整改（20分）, field: d.错情整改}
        - {header: 加分（20分）, field: d.加分}
        - {header: 得分, field: score}
        - {header: 检查结果, field: result}
        - {header: 排名, field: rank}
    after: ["{{> formula_notes media.scheme}}"]
"#;
