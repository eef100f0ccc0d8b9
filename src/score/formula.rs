//! Score formulas as printed in the 注 under a table: `100-（周扫描÷2）-季度检查+加分`,
//! `[90-…]×100÷90`. Parsed once per scheme, evaluated exactly in decimal.
//!
//! Parsing, evaluating and dropping a formula recurse over its tree, so its size is bounded
//! ([`MAX_CHARS`], [`MAX_TERMS`], [`MAX_DEPTH`]) far above any printed formula and far below
//! what a stack holds: 20,000 nested parentheses are a Chinese error, not a stack overflow.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

/// Longest formula, in characters (seed 000's is 54).
pub const MAX_CHARS: usize = 1_000;
/// Most numbers and indicator names in one formula.
pub const MAX_TERMS: usize = 200;
/// Deepest nesting of parentheses and unary minus signs.
pub const MAX_DEPTH: usize = 32;

/// A parsed formula.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Num(Decimal),
    Var(String),
    Neg(Box<Expr>),
    Bin(Box<Expr>, Op, Box<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(Decimal),
    Var(String),
    Op(Op),
    Open,
    Close,
}

/// A parse error with the character offset where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub offset: usize,
    pub message: String,
}

fn op_of(c: char) -> Option<Op> {
    Some(match c {
        '+' | '＋' => Op::Add,
        '-' | '－' | '−' => Op::Sub,
        '*' | '×' | '＊' => Op::Mul,
        '/' | '÷' | '／' => Op::Div,
        _ => return None,
    })
}

fn is_open(c: char) -> bool {
    matches!(c, '(' | '（' | '[' | '［' | '【')
}

fn is_close(c: char) -> bool {
    matches!(c, ')' | '）' | ']' | '］' | '】')
}

fn tokenize(src: &str) -> Result<Vec<(usize, Tok)>, ParseError> {
    let chars: Vec<char> = src.chars().collect();
    if chars.len() > MAX_CHARS {
        return Err(ParseError {
            offset: MAX_CHARS,
            message: format!("公式过长：{} 个字符，上限为 {MAX_CHARS} 个", chars.len()),
        });
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if let Some(op) = op_of(c) {
            out.push((i, Tok::Op(op)));
            i += 1;
        } else if is_open(c) {
            out.push((i, Tok::Open));
            i += 1;
        } else if is_close(c) {
            out.push((i, Tok::Close));
            i += 1;
        } else if c.is_ascii_digit() || c == '.' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let s: String = chars[start..i].iter().collect();
            let n = s.parse::<Decimal>().map_err(|_| ParseError {
                offset: start,
                message: format!("无法识别的数字“{s}”"),
            })?;
            out.push((start, Tok::Num(n)));
        } else {
            let start = i;
            while i < chars.len()
                && !chars[i].is_whitespace()
                && op_of(chars[i]).is_none()
                && !is_open(chars[i])
                && !is_close(chars[i])
            {
                i += 1;
            }
            out.push((start, Tok::Var(chars[start..i].iter().collect())));
        }
    }
    let terms = out
        .iter()
        .filter(|(_, t)| matches!(t, Tok::Num(_) | Tok::Var(_)))
        .count();
    if terms > MAX_TERMS {
        return Err(ParseError {
            offset: 0,
            message: format!("公式的项过多：{terms} 个数字和指标，上限为 {MAX_TERMS} 个"),
        });
    }
    Ok(out)
}

struct Parser {
    toks: Vec<(usize, Tok)>,
    pos: usize,
    len: usize,
    /// Parentheses and unary minus signs open at this point.
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(_, t)| t)
    }
    fn offset(&self) -> usize {
        self.toks.get(self.pos).map_or(self.len, |(o, _)| *o)
    }
    fn fail<T>(&self, message: &str) -> Result<T, ParseError> {
        Err(ParseError {
            offset: self.offset(),
            message: message.to_string(),
        })
    }
    // expr := term (('+'|'-') term)*
    fn expr(&mut self) -> Result<Expr, ParseError> {
        let mut lhs = self.term()?;
        while let Some(Tok::Op(op @ (Op::Add | Op::Sub))) = self.peek().cloned() {
            self.pos += 1;
            lhs = Expr::Bin(Box::new(lhs), op, Box::new(self.term()?));
        }
        Ok(lhs)
    }
    // term := factor (('*'|'/') factor)*
    fn term(&mut self) -> Result<Expr, ParseError> {
        let mut lhs = self.factor()?;
        while let Some(Tok::Op(op @ (Op::Mul | Op::Div))) = self.peek().cloned() {
            self.pos += 1;
            lhs = Expr::Bin(Box::new(lhs), op, Box::new(self.factor()?));
        }
        Ok(lhs)
    }
    fn factor(&mut self) -> Result<Expr, ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.fail(&format!("括号或负号嵌套过深：上限为 {MAX_DEPTH} 层"));
        }
        let e = self.factor_inner();
        self.depth -= 1;
        e
    }
    fn factor_inner(&mut self) -> Result<Expr, ParseError> {
        match self.peek().cloned() {
            Some(Tok::Num(n)) => {
                self.pos += 1;
                Ok(Expr::Num(n))
            }
            Some(Tok::Var(v)) => {
                self.pos += 1;
                Ok(Expr::Var(v))
            }
            Some(Tok::Op(Op::Sub)) => {
                self.pos += 1;
                Ok(Expr::Neg(Box::new(self.factor()?)))
            }
            Some(Tok::Open) => {
                self.pos += 1;
                let e = self.expr()?;
                if self.peek() != Some(&Tok::Close) {
                    return self.fail("缺少右括号");
                }
                self.pos += 1;
                Ok(e)
            }
            Some(_) => self.fail("此处应为数字、指标名或左括号"),
            None => self.fail("公式意外结束"),
        }
    }
}

impl Expr {
    pub fn parse(src: &str) -> Result<Expr, ParseError> {
        let toks = tokenize(src)?;
        let mut p = Parser {
            toks,
            pos: 0,
            len: src.chars().count(),
            depth: 0,
        };
        let e = p.expr()?;
        if p.pos != p.toks.len() {
            return p.fail("多余的内容（括号不配对或缺少运算符）");
        }
        Ok(e)
    }

    /// Every indicator name the formula uses, in order of first use.
    pub fn vars(&self) -> Vec<&str> {
        fn walk<'a>(e: &'a Expr, out: &mut Vec<&'a str>) {
            match e {
                Expr::Num(_) => {}
                Expr::Var(v) => {
                    if !out.contains(&v.as_str()) {
                        out.push(v)
                    }
                }
                Expr::Neg(x) => walk(x, out),
                Expr::Bin(a, _, b) => {
                    walk(a, out);
                    walk(b, out);
                }
            }
        }
        let mut out = Vec::new();
        walk(self, &mut out);
        out
    }

    /// Evaluate with unset variables as 0 (an empty cell is no deduction).
    pub fn eval(&self, vars: &BTreeMap<&str, Decimal>) -> Result<Decimal, EvalError> {
        Ok(match self {
            Expr::Num(n) => *n,
            Expr::Var(v) => vars.get(v.as_str()).copied().unwrap_or_default(),
            Expr::Neg(x) => -x.eval(vars)?,
            Expr::Bin(a, op, b) => {
                let (a, b) = (a.eval(vars)?, b.eval(vars)?);
                let r = match op {
                    Op::Add => a.checked_add(b),
                    Op::Sub => a.checked_sub(b),
                    Op::Mul => a.checked_mul(b),
                    Op::Div if b.is_zero() => return Err(EvalError::DivisionByZero),
                    Op::Div => a.checked_div(b),
                };
                r.ok_or(EvalError::TooLarge)?
            }
        })
    }
}

/// Why a formula has no value for an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvalError {
    DivisionByZero,
    /// Beyond the decimal type (about 7.9 × 10²⁸).
    TooLarge,
}

impl std::fmt::Display for EvalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            EvalError::DivisionByZero => "出现除以零",
            EvalError::TooLarge => "数值过大：结果超出可计算的范围（约 7.9×10²⁸）",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&'static str, i64)]) -> BTreeMap<&'static str, Decimal> {
        pairs.iter().map(|(k, v)| (*k, Decimal::from(*v))).collect()
    }

    const SEED000: &str =
        "100-（周扫描÷2）-季度检查-政策解读-错情整改-办事指南-公开信箱+网站找错+加分";
    const SEED000_NO_SERVICE: &str =
        "[90-（周扫描÷2）-季度检查-政策解读-错情整改-办事指南-公开信箱-网站找错+加分]×100÷90";

    #[test]
    fn seed_000_formula_as_printed() {
        let e = Expr::parse(SEED000).unwrap();
        assert_eq!(
            e.vars(),
            [
                "周扫描",
                "季度检查",
                "政策解读",
                "错情整改",
                "办事指南",
                "公开信箱",
                "网站找错",
                "加分"
            ]
        );
        assert_eq!(
            e.eval(&vars(&[("季度检查", 10), ("办事指南", 1)])),
            Ok(Decimal::from(89))
        );
        assert_eq!(
            e.eval(&vars(&[("周扫描", 3)]))
                .unwrap()
                .normalize()
                .to_string(),
            "98.5"
        );
    }

    #[test]
    fn no_service_formula_is_exact() {
        let e = Expr::parse(SEED000_NO_SERVICE).unwrap();
        let s = e.eval(&vars(&[("季度检查", 10)])).unwrap();
        assert_eq!(s.round_dp(1).to_string(), "88.9");
        assert_eq!(e.eval(&vars(&[])), Ok(Decimal::from(100)));
    }

    #[test]
    fn precedence_and_unary_minus() {
        let e = Expr::parse("2+3*4-(-1)").unwrap();
        assert_eq!(e.eval(&BTreeMap::new()), Ok(Decimal::from(15)));
    }

    #[test]
    fn errors_point_at_the_problem() {
        assert_eq!(
            Expr::parse("100-（周扫描÷2").unwrap_err().message,
            "缺少右括号"
        );
        assert_eq!(Expr::parse("100-").unwrap_err().offset, 4);
        assert!(Expr::parse("100 加分").is_err());
        assert_eq!(
            Expr::parse("1÷0").unwrap().eval(&BTreeMap::new()),
            Err(EvalError::DivisionByZero)
        );
    }

    #[test]
    fn hostile_formulas_are_errors_not_stack_overflows() {
        let nested = format!("{}1{}", "(".repeat(20_000), ")".repeat(20_000));
        assert!(Expr::parse(&nested)
            .unwrap_err()
            .message
            .contains("公式过长"));
        let terms = vec!["1"; 50_000].join("+");
        assert!(Expr::parse(&terms)
            .unwrap_err()
            .message
            .contains("公式过长"));
        let minus = format!("{}1", "-".repeat(100_000));
        assert!(Expr::parse(&minus)
            .unwrap_err()
            .message
            .contains("公式过长"));
        // Within the length limit, the depth and term limits hold.
        let deep = format!("{}1{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        let e = Expr::parse(&deep).unwrap_err();
        assert!(e.message.contains("嵌套过深"), "{e:?}");
        let ok = format!(
            "{}1{}",
            "(".repeat(MAX_DEPTH - 1),
            ")".repeat(MAX_DEPTH - 1)
        );
        assert!(Expr::parse(&ok).is_ok());
        assert!(Expr::parse(&format!("{}1", "-".repeat(MAX_DEPTH)))
            .unwrap_err()
            .message
            .contains("嵌套过深"));
        let many = vec!["1"; MAX_TERMS + 1].join("+");
        assert!(Expr::parse(&many).unwrap_err().message.contains("项过多"));
        let most = vec!["1"; MAX_TERMS].join("+");
        assert_eq!(
            Expr::parse(&most).unwrap().eval(&BTreeMap::new()),
            Ok(Decimal::from(MAX_TERMS as u32))
        );
    }

    #[test]
    fn overflow_is_an_error() {
        let e = Expr::parse("70000000000000000000000000000+70000000000000000000000000000").unwrap();
        assert_eq!(e.eval(&BTreeMap::new()), Err(EvalError::TooLarge));
        assert!(EvalError::TooLarge.to_string().contains("数值过大"));
    }
}
