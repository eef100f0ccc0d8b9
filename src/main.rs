//! The `tongbao` command line; see `cli`. Exit codes: 0 success, 1 invalid input, 2 usage error.

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
