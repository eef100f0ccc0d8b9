//! Handlebars helpers for what circulars print: Chinese numerals, dates, 发文字号 and
//! percentages here; lists (joins, filters, featured examples) in [`lists`]; comparisons,
//! exact decimal arithmetic, shares in words and changes in [`numbers`]. Every helper that
//! computes a value returns it as JSON, so helpers compose: `{{#if (gt (len list) 3)}}`.

mod lists;
mod numbers;

use handlebars::{
    Context, Handlebars, Helper, HelperDef, JsonValue, RenderContext, RenderError,
    RenderErrorReason, ScopedJson,
};

use crate::date::Date;
use crate::model::{RateFormat, Rounding};
use crate::score;

pub use lists::join_names;

/// 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (heading numerals; larger numbers stay digits).
pub fn chinese_numeral(n: u64) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n as usize].to_string(),
        10..=19 => format!(
            "十{}",
            if n == 10 {
                ""
            } else {
                DIGITS[(n % 10) as usize]
            }
        ),
        20..=99 => format!(
            "{}十{}",
            DIGITS[(n / 10) as usize],
            if n.is_multiple_of(10) {
                ""
            } else {
                DIGITS[(n % 10) as usize]
            }
        ),
        _ => n.to_string(),
    }
}

/// A helper's error, in Chinese, naming the helper.
fn invalid(helper: &str, msg: impl std::fmt::Display) -> RenderError {
    RenderErrorReason::Other(format!("{helper}：{msg}")).into()
}

/// The `i`-th parameter (0-based) or an error naming the helper.
fn param<'a>(h: &'a Helper, i: usize) -> Result<&'a JsonValue, RenderError> {
    h.param(i)
        .map(|p| p.value())
        .ok_or_else(|| invalid(h.name(), format!("缺少第 {} 个参数", i + 1)))
}

fn as_u64(v: &JsonValue, helper: &str) -> Result<u64, RenderError> {
    v.as_u64()
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
        .ok_or_else(|| invalid(helper, format!("应为非负整数，却是 {v}")))
}

/// The text of a value as a template prints it ("88.9", "true").
fn text_of(v: &JsonValue) -> String {
    match v {
        JsonValue::String(s) => s.clone(),
        JsonValue::Null => String::new(),
        other => other.to_string(),
    }
}

/// What a value helper computes from its parameters.
type ValueFn = fn(&Helper) -> Result<JsonValue, RenderError>;

/// A helper computing a JSON value from its parameters.
struct Pure(ValueFn);

impl HelperDef for Pure {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        _: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        (self.0)(h).map(ScopedJson::Derived)
    }
}

fn cn(h: &Helper) -> Result<JsonValue, RenderError> {
    Ok(chinese_numeral(as_u64(param(h, 0)?, "cn")?).into())
}

fn inc(h: &Helper) -> Result<JsonValue, RenderError> {
    let n = as_u64(param(h, 0)?, "inc")?;
    let next = n
        .checked_add(1)
        .ok_or_else(|| invalid("inc", format!("数值过大：{n} 加 1 超出范围")))?;
    Ok(next.into())
}

fn len(h: &Helper) -> Result<JsonValue, RenderError> {
    let n = match param(h, 0)? {
        JsonValue::Array(a) => a.len(),
        JsonValue::Object(o) => o.len(),
        JsonValue::String(s) => s.chars().count(),
        other => return Err(invalid("len", format!("应为列表，却是 {other}"))),
    };
    Ok(n.into())
}

fn rounding_of(h: &Helper) -> Result<Rounding, RenderError> {
    match h.hash_get("rounding").map(|v| text_of(v.value())) {
        None => Ok(Rounding::HalfUp),
        Some(r) => match r.as_str() {
            "half_up" => Ok(Rounding::HalfUp),
            "half_even" => Ok(Rounding::HalfEven),
            "down" => Ok(Rounding::Down),
            other => Err(invalid(
                h.name(),
                format!("未知的舍入方式“{other}”（half_up、half_even、down）"),
            )),
        },
    }
}

fn decimals_of(h: &Helper, default: u64) -> Result<u32, RenderError> {
    let d = h
        .hash_get("decimals")
        .map(|v| as_u64(v.value(), h.name()))
        .transpose()?
        .unwrap_or(default);
    if d > u64::from(score::MAX_DECIMALS) {
        return Err(invalid(
            h.name(),
            format!("小数位数 {d} 过大：须为 0 至 {}", score::MAX_DECIMALS),
        ));
    }
    Ok(d as u32)
}

fn percent(h: &Helper) -> Result<JsonValue, RenderError> {
    let count = |i| {
        let n = as_u64(param(h, i)?, "percent")?;
        u32::try_from(n).map_err(|_| invalid("percent", format!("数值过大：{n}")))
    };
    let (num, den) = (count(0)?, count(1)?);
    let fmt = RateFormat {
        decimals: decimals_of(h, 1)?,
        rounding: rounding_of(h)?,
        trim: true,
    };
    Ok(score::percent(num, den, &fmt).into())
}

fn date(h: &Helper) -> Result<JsonValue, RenderError> {
    let s = text_of(param(h, 0)?);
    let d = Date::parse(&s).map_err(|m| invalid("date", m))?;
    Ok(d.zh().into())
}

fn docno(h: &Helper) -> Result<JsonValue, RenderError> {
    let prefix = text_of(param(h, 0)?);
    let year = as_u64(param(h, 1)?, "docno")?;
    let seq = as_u64(param(h, 2)?, "docno")?;
    Ok(format!("{prefix}〔{year}〕{seq}号").into())
}

/// The value helpers, by name.
const PURE: [(&str, ValueFn); 26] = [
    ("cn", cn),
    ("inc", inc),
    ("len", len),
    ("percent", percent),
    ("date", date),
    ("docno", docno),
    ("eq", numbers::eq),
    ("ne", numbers::ne),
    ("gt", numbers::gt),
    ("ge", numbers::ge),
    ("lt", numbers::lt),
    ("le", numbers::le),
    ("sum", numbers::sum),
    ("sub", numbers::sub),
    ("mul", numbers::mul),
    ("div", numbers::div),
    ("fraction", numbers::fraction),
    ("over", numbers::over),
    ("change", numbers::change),
    ("where", lists::filter),
    ("featured", lists::featured),
    ("first", lists::first),
    ("top", lists::top),
    ("bottom", lists::bottom),
    ("pluck", lists::pluck),
    ("concat", lists::concat),
];

/// Handlebars' own block helpers, which templates use too.
const BUILT_IN: [&str; 5] = ["if", "unless", "each", "with", "lookup"];

/// Every helper a template may call, for the nearest name to one that does not exist.
pub fn names() -> impl Iterator<Item = &'static str> {
    PURE.iter()
        .map(|(name, _)| *name)
        .chain(["join"])
        .chain(BUILT_IN)
}

/// Every helper, by name.
pub fn register(hb: &mut Handlebars) {
    for (name, f) in PURE {
        hb.register_helper(name, Box::new(Pure(f)));
    }
    hb.register_helper("join", Box::new(lists::Join));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals() {
        let got: Vec<String> = [1, 2, 10, 11, 20, 21, 99]
            .iter()
            .map(|&n| chinese_numeral(n))
            .collect();
        assert_eq!(got, ["一", "二", "十", "十一", "二十", "二十一", "九十九"]);
    }

    pub(super) fn render(t: &str, ctx: serde_json::Value) -> Result<String, String> {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        hb.register_escape_fn(handlebars::no_escape);
        register(&mut hb);
        hb.render_template(t, &ctx).map_err(|e| e.to_string())
    }

    #[test]
    fn helpers_in_templates() {
        let ctx = serde_json::json!({"u": ["甲", "乙", "丙"], "n": 44, "d": 45});
        let ok = |t: &str| render(t, ctx.clone()).unwrap();
        assert_eq!(ok("{{percent n d rounding=\"down\"}}"), "97.7%");
        assert_eq!(ok("{{percent n d}}"), "97.8%");
        assert_eq!(
            ok("{{percent 58 64 decimals=2 rounding=\"half_even\"}}"),
            "90.62%"
        );
        assert_eq!(ok("{{date \"2021-07-07\"}}"), "2021年7月7日");
        assert_eq!(
            ok("{{docno \"大足府办发\" 2020 117}}"),
            "大足府办发〔2020〕117号"
        );
        assert_eq!(ok("{{cn 3}}、{{#if (eq (len u) 3)}}三{{/if}}"), "三、三");
        assert_eq!(ok("第{{inc 17}}条"), "第18条");
    }

    #[test]
    fn bad_parameters_are_errors_not_panics() {
        let ctx = serde_json::json!({});
        let err = |t: &str| render(t, ctx.clone()).unwrap_err();
        assert!(err("{{inc 18446744073709551615}}").contains("数值过大"));
        assert!(err("{{percent 1 3 decimals=65536}}").contains("小数位数 65536 过大：须为 0 至 10"));
        assert!(err("{{percent 1 3 rounding=\"up\"}}").contains("未知的舍入方式"));
        assert!(err("{{cn}}").contains("缺少第 1 个参数"));
        assert!(err("{{percent 4294967296 2}}").contains("数值过大：4294967296"));
    }
}
