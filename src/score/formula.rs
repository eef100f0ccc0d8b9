//! Score formulas as printed in the 注 under a table: `100-（周扫描÷2）-季度检查+加分`,
//! `[90-…]×100÷90`. Parsed once per scheme, evaluated exactly in decimal.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

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
    Ok(out)
}

struct Parser {
    toks: Vec<(usize, Tok)>,
    pos: usize,
    len: usize,
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

    /// Evaluate with unset variables as 0 (an empty cell is no deduction). `None` on division by zero.
    pub fn eval(&self, vars: &BTreeMap<&str, Decimal>) -> Option<Decimal> {
        Some(match self {
            Expr::Num(n) => *n,
            Expr::Var(v) => vars.get(v.as_str()).copied().unwrap_or_default(),
            Expr::Neg(x) => -x.eval(vars)?,
            Expr::Bin(a, op, b) => {
                let (a, b) = (a.eval(vars)?, b.eval(vars)?);
                match op {
                    Op::Add => a.checked_add(b)?,
                    Op::Sub => a.checked_sub(b)?,
                    Op::Mul => a.checked_mul(b)?,
                    Op::Div => a.checked_div(b)?,
                }
            }
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
            Some(Decimal::from(89))
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
        assert_eq!(e.eval(&vars(&[])), Some(Decimal::from(100)));
    }

    #[test]
    fn precedence_and_unary_minus() {
        let e = Expr::parse("2+3*4-(-1)").unwrap();
        assert_eq!(e.eval(&BTreeMap::new()), Some(Decimal::from(15)));
    }

    #[test]
    fn errors_point_at_the_problem() {
        assert_eq!(
            Expr::parse("100-（周扫描÷2").unwrap_err().message,
            "缺少右括号"
        );
        assert_eq!(Expr::parse("100-").unwrap_err().offset, 4);
        assert!(Expr::parse("100 加分").is_err());
        assert_eq!(Expr::parse("1÷0").unwrap().eval(&BTreeMap::new()), None);
    }
}
