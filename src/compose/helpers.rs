//! Handlebars helpers for what circulars print: Chinese numerals, lists joined with 、 and
//! shortened with 等N个, percentages with declared rounding, dates, 发文字号.

use handlebars::{
    Context, Handlebars, Helper, HelperResult, JsonValue, Output, RenderContext, RenderError,
    RenderErrorReason,
};
use rust_decimal::Decimal;

use crate::date::Date;
use crate::model::{RateFormat, Rounding};
use crate::score;

/// 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (heading numerals).
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

/// Join with 、; past `limit` names, "A、B、C等N{etc}"; with `etc` and no shortening, "A、B{N}{etc}"
/// is not wanted in prose, so only the names are printed then.
pub fn join_names(names: &[String], limit: Option<usize>, etc: Option<&str>, sep: &str) -> String {
    let shown = limit.map_or(names.len(), |l| l.min(names.len()));
    let mut s = names[..shown].join(sep);
    if let Some(etc) = etc {
        if shown < names.len() {
            s.push_str(&format!("等{}{etc}", names.len()));
        }
    }
    s
}

fn param<'a>(h: &'a Helper, i: usize, name: &str) -> Result<&'a JsonValue, RenderError> {
    h.param(i)
        .map(|p| p.value())
        .ok_or_else(|| RenderErrorReason::ParamNotFoundForIndex(leak(name), i).into())
}

// Handlebars wants 'static names in its error reasons; helper names are few and static anyway.
fn leak(name: &str) -> &'static str {
    match name {
        "cn" => "cn",
        "join" => "join",
        "percent" => "percent",
        "date" => "date",
        "docno" => "docno",
        "inc" => "inc",
        "len" => "len",
        "sum" => "sum",
        _ => "helper",
    }
}

fn invalid(helper: &str, msg: String) -> RenderError {
    RenderErrorReason::Other(format!("{helper}: {msg}")).into()
}

fn as_u64(v: &JsonValue, helper: &str) -> Result<u64, RenderError> {
    v.as_u64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        .ok_or_else(|| invalid(helper, format!("应为非负整数，却是 {v}")))
}

fn as_decimal(v: &JsonValue, helper: &str) -> Result<Decimal, RenderError> {
    match v {
        JsonValue::Number(n) => n.to_string().parse().ok(),
        JsonValue::String(s) => s.parse().ok(),
        _ => None,
    }
    .ok_or_else(|| invalid(helper, format!("应为数值，却是 {v}")))
}

fn write(out: &mut dyn Output, s: &str) -> HelperResult {
    out.write(s)?;
    Ok(())
}

fn cn(
    h: &Helper,
    _: &Handlebars,
    _: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let n = as_u64(param(h, 0, "cn")?, "cn")?;
    write(out, &chinese_numeral(n))
}

fn inc(
    h: &Helper,
    _: &Handlebars,
    _: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let n = as_u64(param(h, 0, "inc")?, "inc")?;
    let next = n
        .checked_add(1)
        .ok_or_else(|| invalid("inc", format!("数值过大：{n} 加 1 超出范围")))?;
    write(out, &next.to_string())
}

fn len(
    h: &Helper,
    _: &Handlebars,
    _: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let n = match param(h, 0, "len")? {
        JsonValue::Array(a) => a.len(),
        JsonValue::Object(o) => o.len(),
        JsonValue::String(s) => s.chars().count(),
        other => return Err(invalid("len", format!("应为列表，却是 {other}"))),
    };
    write(out, &n.to_string())
}

fn sum(
    h: &Helper,
    _: &Handlebars,
    _: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let mut total = Decimal::ZERO;
    for p in h.params() {
        total = total
            .checked_add(as_decimal(p.value(), "sum")?)
            .ok_or_else(|| {
                invalid(
                    "sum",
                    "数值过大：合计超出可计算的范围（约 7.9×10²⁸）".into(),
                )
            })?;
    }
    write(out, &score::show(total))
}

fn join(
    h: &Helper,
    _: &Handlebars,
    _: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let JsonValue::Array(list) = param(h, 0, "join")? else {
        return Err(invalid("join", "第一个参数应为列表".into()));
    };
    let names: Vec<String> = list
        .iter()
        .map(|v| match v {
            JsonValue::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect();
    let limit = h
        .hash_get("limit")
        .map(|v| as_u64(v.value(), "join"))
        .transpose()?;
    let etc = h.hash_get("etc").and_then(|v| v.value().as_str());
    let sep = h
        .hash_get("sep")
        .and_then(|v| v.value().as_str())
        .unwrap_or("、");
    write(
        out,
        &join_names(&names, limit.map(|l| l as usize), etc, sep),
    )
}

fn percent(
    h: &Helper,
    _: &Handlebars,
    _: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let count = |i| {
        let n = as_u64(param(h, i, "percent")?, "percent")?;
        u32::try_from(n).map_err(|_| invalid("percent", format!("数值过大：{n}")))
    };
    let (num, den) = (count(0)?, count(1)?);
    let decimals = h
        .hash_get("decimals")
        .map(|v| as_u64(v.value(), "percent"))
        .transpose()?;
    let rounding = match h.hash_get("rounding").and_then(|v| v.value().as_str()) {
        None | Some("half_up") => Rounding::HalfUp,
        Some("half_even") => Rounding::HalfEven,
        Some("down") => Rounding::Down,
        Some(other) => {
            return Err(invalid(
                "percent",
                format!("未知的舍入方式“{other}”（half_up、half_even、down）"),
            ))
        }
    };
    let decimals = decimals.unwrap_or(1);
    if decimals > u64::from(score::MAX_DECIMALS) {
        return Err(invalid(
            "percent",
            format!(
                "小数位数 {decimals} 过大：须为 0 至 {}",
                score::MAX_DECIMALS
            ),
        ));
    }
    let fmt = RateFormat {
        decimals: decimals as u32,
        rounding,
        trim: true,
    };
    write(out, &score::percent(num, den, &fmt))
}

fn date(
    h: &Helper,
    _: &Handlebars,
    _: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let s = param(h, 0, "date")?.as_str().unwrap_or_default();
    let d = Date::parse(s).map_err(|m| invalid("date", m))?;
    write(out, &d.zh())
}

fn docno(
    h: &Helper,
    _: &Handlebars,
    _: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let prefix = param(h, 0, "docno")?.as_str().unwrap_or_default();
    let year = as_u64(param(h, 1, "docno")?, "docno")?;
    let seq = as_u64(param(h, 2, "docno")?, "docno")?;
    write(out, &format!("{prefix}〔{year}〕{seq}号"))
}

fn eq(
    h: &Helper,
    _: &Handlebars,
    _: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let a = param(h, 0, "eq")?;
    let b = param(h, 1, "eq")?;
    // Compare numbers by value so that 1 == "1" (a `len` result is text).
    let same = a == b || a.to_string().trim_matches('"') == b.to_string().trim_matches('"');
    if same {
        write(out, "true")
    } else {
        Ok(())
    }
}

pub fn register(hb: &mut Handlebars) {
    hb.register_helper("cn", Box::new(cn));
    hb.register_helper("inc", Box::new(inc));
    hb.register_helper("len", Box::new(len));
    hb.register_helper("sum", Box::new(sum));
    hb.register_helper("join", Box::new(join));
    hb.register_helper("percent", Box::new(percent));
    hb.register_helper("date", Box::new(date));
    hb.register_helper("docno", Box::new(docno));
    hb.register_helper("eq", Box::new(eq));
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

    #[test]
    fn joining() {
        let names: Vec<String> = ["甲", "乙", "丙", "丁"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            join_names(&names, Some(2), Some("个单位"), "、"),
            "甲、乙等4个单位"
        );
        assert_eq!(
            join_names(&names, None, Some("个单位"), "、"),
            "甲、乙、丙、丁"
        );
        assert_eq!(join_names(&names, Some(9), None, "，"), "甲，乙，丙，丁");
    }

    fn render(t: &str, ctx: serde_json::Value) -> String {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        register(&mut hb);
        hb.render_template(t, &ctx).unwrap()
    }

    #[test]
    fn helpers_in_templates() {
        let ctx = serde_json::json!({"u": ["甲", "乙", "丙"], "n": 44, "d": 45});
        assert_eq!(
            render("{{join u limit=2 etc=\"个\"}}", ctx.clone()),
            "甲、乙等3个"
        );
        assert_eq!(
            render("{{percent n d rounding=\"down\"}}", ctx.clone()),
            "97.7%"
        );
        assert_eq!(render("{{percent n d}}", ctx.clone()), "97.8%");
        assert_eq!(
            render(
                "{{percent 58 64 decimals=2 rounding=\"half_even\"}}",
                ctx.clone()
            ),
            "90.62%"
        );
        assert_eq!(
            render("{{date \"2021-07-07\"}}", ctx.clone()),
            "2021年7月7日"
        );
        assert_eq!(
            render("{{docno \"大足府办发\" 2020 117}}", ctx.clone()),
            "大足府办发〔2020〕117号"
        );
        assert_eq!(
            render("{{cn 3}}、{{#if (eq (len u) 3)}}三{{/if}}", ctx),
            "三、三"
        );
    }

    fn render_err(t: &str) -> String {
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        register(&mut hb);
        hb.render_template(t, &serde_json::json!({}))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn out_of_range_arguments_are_errors_not_panics_or_wraps() {
        assert!(render_err("{{inc 18446744073709551615}}").contains("数值过大"));
        let big = "70000000000000000000000000000";
        assert!(render_err(&format!("{{{{sum {big} {big}}}}}")).contains("数值过大"));
        assert!(render_err("{{percent 1 2 decimals=65536}}").contains("小数位数 65536 过大"));
        assert!(render_err("{{percent 4294967296 2}}").contains("数值过大"));
    }
}
