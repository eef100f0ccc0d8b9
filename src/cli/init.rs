//! `tongbao init`: a commented example quarter file; `--from` the next quarter from this
//! one; `--items` a working draft from an inspection spreadsheet.

use std::process::ExitCode;

use super::args::InitArgs;

const EXAMPLE: &str = include_str!("../../fixtures/example.yaml");

pub fn init(args: &InitArgs) -> ExitCode {
    let dir = args.dir.as_deref().unwrap_or(std::path::Path::new("."));
    super::write_new_file(
        &dir.join("quarter.yaml"),
        EXAMPLE.as_bytes().to_vec(),
        false,
        "",
    )
}
