//! Templates written in the quarter file: any text as the opening paragraph template of the
//! example quarter composes to a document or to errors (never a panic or a runaway partial).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tongbao::compose::{compose, ComposeOptions, Templates};

const EXAMPLE: &str = include_str!("../../fixtures/example.yaml");

fn templates() -> &'static Templates {
    static T: OnceLock<Templates> = OnceLock::new();
    T.get_or_init(|| Templates::new(None).expect("the shipped templates"))
}

fuzz_target!(|template: &str| {
    let (mut quarter, text) = tongbao::load::parse(EXAMPLE.as_bytes()).expect("the example loads");
    quarter.opening = Some(template.to_string());
    let mut report = tongbao::diag::Report::new(std::path::Path::new("fuzz.yaml"));
    let results = tongbao::score::compute(&quarter, &mut report);
    let opts = ComposeOptions {
        templates: templates(),
        script: tongbao::zh::Script::Hans,
        source: &text,
    };
    let _ = compose(&quarter, &results, &opts, &mut report);
});
