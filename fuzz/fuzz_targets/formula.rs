//! The score formula parser and evaluator: any text parses or is an error with its offset, and
//! a parsed formula evaluates to a value or an error (division by zero, too large).
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;
use tongbao::score::formula::Expr;

fuzz_target!(|text: &str| {
    let Ok(expr) = Expr::parse(text) else {
        return;
    };
    let mut vars = BTreeMap::new();
    for (i, v) in expr.vars().into_iter().enumerate() {
        // Values from small to the largest the decimal type holds.
        let value = match i % 3 {
            0 => Decimal::from(7),
            1 => Decimal::MAX,
            _ => Decimal::new(1, 28),
        };
        vars.insert(v, value);
    }
    let _ = expr.eval(&vars);
});
