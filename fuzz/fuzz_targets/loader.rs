//! The loader and the checks after it: any bytes give a model or errors (never a panic, a hang
//! or a stack overflow), and a model goes through validation and scoring.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok((quarter, text)) = tongbao::load::parse(data) else {
        return;
    };
    let mut report = tongbao::diag::Report::new(std::path::Path::new("fuzz.yaml"));
    tongbao::textcheck::lint(&text, &mut report);
    tongbao::validate::check(&quarter, &mut report);
    let _ = tongbao::score::compute(&quarter, &mut report);
});
