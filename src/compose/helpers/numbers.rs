//! Comparisons (`eq ne gt ge lt le`), exact decimal arithmetic (`sum sub mul div`, checked:
//! an overflow is the error 数值过大, never a panic), shares in words (`fraction`: 三分之一,
//! 过半; `over`: 超过60%) and changes (`change`: 增加5个, 提高2.3个百分点, 持平).
//!
//! Numbers are read from JSON numbers or from text ("88.9", and rates "96.8%", taken as 96.8),
//! so computed figures, which templates see as text, compute directly.

use handlebars::{Helper, JsonValue, RenderError};
use rust_decimal::Decimal;

use super::{decimals_of, invalid, param, rounding_of, text_of};
use crate::previous::change_words;
use crate::score::{round, show};

/// A number, and whether it was written as a rate ("96.8%").
fn number(v: &JsonValue, helper: &str) -> Result<(Decimal, bool), RenderError> {
    let parsed = match v {
        JsonValue::Number(n) => n.to_string().parse().ok().map(|d| (d, false)),
        JsonValue::String(s) => {
            let s = s.trim();
            match s.strip_suffix(['%', '％']) {
                Some(p) => p.trim().parse().ok().map(|d| (d, true)),
                None => s.parse().ok().map(|d| (d, false)),
            }
        }
        _ => None,
    };
    parsed.ok_or_else(|| invalid(helper, format!("应为数值，却是 {v}")))
}

fn num(v: &JsonValue, helper: &str) -> Result<Decimal, RenderError> {
    number(v, helper).map(|(d, _)| d)
}

fn compare(h: &Helper) -> Result<std::cmp::Ordering, RenderError> {
    let (a, b) = (num(param(h, 0)?, h.name())?, num(param(h, 1)?, h.name())?);
    Ok(a.cmp(&b))
}

/// Equal as numbers when both are numbers (1 == "1", "96.8%" == 96.8), else as text.
fn same(h: &Helper) -> Result<bool, RenderError> {
    let (a, b) = (param(h, 0)?, param(h, 1)?);
    Ok(match (number(a, "eq"), number(b, "eq")) {
        (Ok((x, _)), Ok((y, _))) => x == y,
        _ => text_of(a) == text_of(b),
    })
}

pub fn eq(h: &Helper) -> Result<JsonValue, RenderError> {
    same(h).map(JsonValue::Bool)
}

pub fn ne(h: &Helper) -> Result<JsonValue, RenderError> {
    same(h).map(|s| JsonValue::Bool(!s))
}

pub fn gt(h: &Helper) -> Result<JsonValue, RenderError> {
    compare(h).map(|o| JsonValue::Bool(o.is_gt()))
}

pub fn ge(h: &Helper) -> Result<JsonValue, RenderError> {
    compare(h).map(|o| JsonValue::Bool(o.is_ge()))
}

pub fn lt(h: &Helper) -> Result<JsonValue, RenderError> {
    compare(h).map(|o| JsonValue::Bool(o.is_lt()))
}

pub fn le(h: &Helper) -> Result<JsonValue, RenderError> {
    compare(h).map(|o| JsonValue::Bool(o.is_le()))
}

fn too_large(helper: &str) -> RenderError {
    invalid(helper, "数值过大：超出可计算的范围（约 7.9×10²⁸）")
}

/// `{{sum a b c}}`: exact.
pub fn sum(h: &Helper) -> Result<JsonValue, RenderError> {
    let mut total = Decimal::ZERO;
    for p in h.params() {
        total = total
            .checked_add(num(p.value(), "sum")?)
            .ok_or_else(|| invalid("sum", "数值过大：合计超出可计算的范围（约 7.9×10²⁸）"))?;
    }
    Ok(show(total).into())
}

/// `{{sub a b}}`: a − b, exact (rates in percentage points: `sub "96.8%" "94.5%"` → 2.3).
pub fn sub(h: &Helper) -> Result<JsonValue, RenderError> {
    let (a, b) = (num(param(h, 0)?, "sub")?, num(param(h, 1)?, "sub")?);
    let d = a.checked_sub(b).ok_or_else(|| too_large("sub"))?;
    Ok(show(d).into())
}

/// `{{mul a b}}`: exact.
pub fn mul(h: &Helper) -> Result<JsonValue, RenderError> {
    let mut total = Decimal::ONE;
    for p in h.params() {
        total = total
            .checked_mul(num(p.value(), "mul")?)
            .ok_or_else(|| too_large("mul"))?;
    }
    Ok(show(total).into())
}

/// `{{div a b decimals=2 rounding="half_up"}}`: a ÷ b rounded as asked (2 decimals by default).
pub fn div(h: &Helper) -> Result<JsonValue, RenderError> {
    let (a, b) = (num(param(h, 0)?, "div")?, num(param(h, 1)?, "div")?);
    if b.is_zero() {
        return Err(invalid("div", "除数为零"));
    }
    let q = a.checked_div(b).ok_or_else(|| too_large("div"))?;
    Ok(show(round(q, decimals_of(h, 2)?, rounding_of(h)?)).into())
}

/// The fractions circulars name, smallest first: (numerator, denominator, words).
const FRACTIONS: [(u32, u32, &str); 15] = [
    (1, 10, "十分之一"),
    (1, 5, "五分之一"),
    (1, 4, "四分之一"),
    (3, 10, "十分之三"),
    (1, 3, "三分之一"),
    (2, 5, "五分之二"),
    (1, 2, "一半"),
    (3, 5, "五分之三"),
    (2, 3, "三分之二"),
    (7, 10, "十分之七"),
    (3, 4, "四分之三"),
    (4, 5, "五分之四"),
    (9, 10, "十分之九"),
    (1, 1, "全部"),
    (0, 1, "无"),
];

/// a/b in the words circulars use, never overstating: the exact fraction when it is one
/// (三分之一, 一半, 全部), else the largest fraction below it as a bound (超过三分之二, 过半),
/// or 不到十分之一.
pub fn fraction_words(a: Decimal, b: Decimal) -> Option<String> {
    if b <= Decimal::ZERO || a < Decimal::ZERO || a > b {
        return None;
    }
    let exact = FRACTIONS
        .iter()
        .find(|(n, d, _)| a * Decimal::from(*d) == b * Decimal::from(*n));
    if let Some((_, _, w)) = exact {
        return Some(w.to_string());
    }
    let below = FRACTIONS[..13]
        .iter()
        .rev()
        .find(|(n, d, _)| a * Decimal::from(*d) > b * Decimal::from(*n));
    Some(match below {
        Some((1, 2, _)) => "过半".into(),
        Some((_, _, w)) => format!("超过{w}"),
        None => "不到十分之一".into(),
    })
}

/// `{{fraction part whole}}`: 三分之一, 过半, 超过三分之二.
pub fn fraction(h: &Helper) -> Result<JsonValue, RenderError> {
    let (a, b) = (
        num(param(h, 0)?, "fraction")?,
        num(param(h, 1)?, "fraction")?,
    );
    fraction_words(a, b)
        .map(JsonValue::from)
        .ok_or_else(|| invalid("fraction", format!("部分 {a} 须在 0 与整体 {b} 之间")))
}

/// A percentage as a bound rounded down to a multiple of `step`: 65.3 → 超过60%, 60 → 60%,
/// 4 → 不到10%.
pub fn over_words(percent: Decimal, step: Decimal) -> String {
    let floor = (percent / step).floor() * step;
    if floor == percent {
        format!("{}%", show(percent))
    } else if floor.is_zero() {
        format!("不到{}%", show(step))
    } else {
        format!("超过{}%", show(floor))
    }
}

/// `{{over part whole step=10}}` or `{{over sites.pass_rate}}`: 超过60%.
pub fn over(h: &Helper) -> Result<JsonValue, RenderError> {
    let percent = match h.param(1) {
        Some(whole) => {
            let (a, b) = (num(param(h, 0)?, "over")?, num(whole.value(), "over")?);
            if b.is_zero() {
                return Err(invalid("over", "整体为零"));
            }
            a.checked_mul(Decimal::ONE_HUNDRED)
                .and_then(|x| x.checked_div(b))
                .ok_or_else(|| too_large("over"))?
        }
        None => num(param(h, 0)?, "over")?,
    };
    let step = match h.hash_get("step") {
        Some(s) => num(s.value(), "over")?,
        None => Decimal::TEN,
    };
    if step <= Decimal::ZERO {
        return Err(invalid("over", "step 须大于 0"));
    }
    Ok(over_words(percent, step).into())
}

/// `{{change now before unit="家"}}`: 增加5家, 减少1家, 持平; rates (96.8%) in percentage
/// points: 提高2.3个百分点.
pub fn change(h: &Helper) -> Result<JsonValue, RenderError> {
    let (now, rate) = number(param(h, 0)?, "change")?;
    let (before, _) = number(param(h, 1)?, "change")?;
    let diff = now.checked_sub(before).ok_or_else(|| too_large("change"))?;
    let unit = h
        .hash_get("unit")
        .map(|u| text_of(u.value()))
        .unwrap_or_else(|| "个".into());
    Ok(change_words(diff, rate, &unit).into())
}

#[cfg(test)]
mod tests {
    use super::super::tests::render;
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn comparisons_by_value() {
        let ctx = serde_json::json!({"rate": "96.8%", "n": 3, "s": "3"});
        let ok = |t: &str| render(t, ctx.clone()).unwrap();
        assert_eq!(
            ok("{{eq n s}} {{eq rate 96.8}} {{ne n 4}}"),
            "true true true"
        );
        assert_eq!(
            ok("{{gt rate 90}} {{ge n 3}} {{lt n 3}} {{le n 3}}"),
            "true true false true"
        );
        assert_eq!(
            ok("{{eq \"甲\" \"甲\"}} {{eq \"甲\" \"乙\"}}"),
            "true false"
        );
        assert!(render("{{gt \"甲\" 1}}", ctx)
            .unwrap_err()
            .contains("应为数值"));
    }

    #[test]
    fn arithmetic_is_exact_and_checked() {
        let ctx =
            serde_json::json!({"a": "0.1", "b": "0.2", "big": "70000000000000000000000000000"});
        let ok = |t: &str| render(t, ctx.clone()).unwrap();
        assert_eq!(ok("{{sum a b}}"), "0.3");
        assert_eq!(ok("{{sub \"96.8%\" \"94.5%\"}}"), "2.3");
        assert_eq!(ok("{{mul 1.5 4}}"), "6");
        assert_eq!(ok("{{div 173 1061}} {{div 1 3 decimals=4}}"), "0.16 0.3333");
        assert_eq!(ok("{{sum (sub 10 3) 1}}"), "8");
        let err = |t: &str| render(t, ctx.clone()).unwrap_err();
        assert!(err("{{sum big big big}}").contains("数值过大"));
        assert!(err("{{mul big big}}").contains("数值过大"));
        assert!(err("{{div 1 0}}").contains("除数为零"));
    }

    #[test]
    fn shares_in_words() {
        let w = |a: &str, b: &str| fraction_words(d(a), d(b)).unwrap();
        assert_eq!(w("1", "3"), "三分之一");
        assert_eq!(w("4", "8"), "一半");
        assert_eq!(w("11", "20"), "过半");
        assert_eq!(w("5", "8"), "超过五分之三");
        assert_eq!(w("7", "10"), "十分之七");
        assert_eq!(w("8", "11"), "超过十分之七");
        assert_eq!(w("1", "30"), "不到十分之一");
        assert_eq!(w("9", "9"), "全部");
        assert_eq!(over_words(d("65.3"), d("10")), "超过60%");
        assert_eq!(over_words(d("60"), d("10")), "60%");
        assert_eq!(over_words(d("4"), d("10")), "不到10%");
        assert_eq!(over_words(d("96.8"), d("5")), "超过95%");
        let ctx = serde_json::json!({"r": "65.3%"});
        assert_eq!(
            render("{{over r}} {{over 2 3}} {{fraction 2 3}}", ctx).unwrap(),
            "超过60% 超过60% 三分之二"
        );
    }

    #[test]
    fn changes_in_words() {
        let ctx = serde_json::json!({"now": "96.8%", "then": "94.5%"});
        let ok = |t: &str| render(t, ctx.clone()).unwrap();
        assert_eq!(ok("{{change now then}}"), "提高2.3个百分点");
        assert_eq!(ok("{{change then now}}"), "下降2.3个百分点");
        assert_eq!(
            ok("{{change 12 7 unit=\"家\"}} {{change 7 12}} {{change 5 5}}"),
            "增加5家 减少5个 持平"
        );
    }
}
