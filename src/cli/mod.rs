//! The `tongbao` command line: argument parsing in Chinese (`args`, `zh`), the outputs and
//! their naming (`outputs`), and one module per command that does more than call the library.
//! Exit codes: 0 success, 1 invalid input, 2 usage error.

/// `eprintln!` that never panics: a closed stderr is no reason to crash.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// `eprint!` that never panics.
macro_rules! say_raw {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

mod args;
mod check;
mod init;
mod outputs;
mod render;
mod watch;
mod zh;

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

use args::{Cli, Command, ReportFormat, Shell};
use tongbao::compose::Templates;
use tongbao::output::{Output, Replace};

pub fn run() -> ExitCode {
    let mut cmd = zh::localize(Cli::command());
    let matches = match cmd.try_get_matches_from_mut(std::env::args_os()) {
        Ok(m) => m,
        Err(e) => return usage_error(&e),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => return usage_error(&e),
    };
    match cli.command {
        Command::Render(a) => render::render(&a),
        Command::Watch(a) => watch::watch(&a),
        Command::Check(a) => check::check(&a),
        Command::Diff {
            old,
            new,
            format,
            templates,
        } => diff(&old, &new, format, templates.as_deref()),
        Command::Generate {
            out,
            sites,
            accounts,
            seed,
            force,
        } => generate(
            out.as_deref(),
            &tongbao::generate::Params {
                sites,
                accounts,
                seed,
            },
            force,
        ),
        Command::Init(a) => init::init(&a),
        Command::Completions { shell } => completions(&mut cmd, shell),
        Command::Man => man(cmd),
        Command::Help { command } => help(&mut cmd, command.as_deref()),
    }
}

/// clap's answer when parsing stops: help and version (exit 0), or a usage error (exit 2),
/// printed in Chinese.
fn usage_error(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            write_stdout(zh::help(&e.render(), std::io::stdout().is_terminal()).as_bytes())
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            say_raw!("{}", zh::help(&e.render(), std::io::stderr().is_terminal()));
            ExitCode::from(2)
        }
        _ => {
            say_raw!("{}", zh::error(e));
            ExitCode::from(2)
        }
    }
}

fn help(cmd: &mut clap::Command, name: Option<&str>) -> ExitCode {
    cmd.build();
    let colour = std::io::stdout().is_terminal();
    let Some(name) = name else {
        return write_stdout(zh::help(&cmd.render_help(), colour).as_bytes());
    };
    match cmd.find_subcommand_mut(name) {
        Some(sub) => write_stdout(zh::help(&sub.render_help(), colour).as_bytes()),
        None => {
            say!("错误：未知的命令“{name}”；可用的命令见 tongbao --help");
            ExitCode::from(2)
        }
    }
}

fn completions(cmd: &mut clap::Command, shell: Shell) -> ExitCode {
    use clap_complete::Shell as S;
    let shell = match shell {
        Shell::Bash => S::Bash,
        Shell::Zsh => S::Zsh,
        Shell::Fish => S::Fish,
        Shell::Powershell => S::PowerShell,
    };
    clap_complete::generate(shell, cmd, "tongbao", &mut std::io::stdout());
    ExitCode::SUCCESS
}

fn man(cmd: clap::Command) -> ExitCode {
    let mut out = Vec::new();
    if let Err(e) = clap_mangen::Man::new(cmd).render(&mut out) {
        say!("错误：无法生成手册页：{e}");
        return ExitCode::from(1);
    }
    write_stdout(&out)
}

/// Write to standard output; a reader that stops early (`| head`) is not an error.
fn write_stdout(bytes: &[u8]) -> ExitCode {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            say!("错误：无法写出：{}", tongbao::ioerror::reason(&e));
            ExitCode::from(1)
        }
        _ => ExitCode::SUCCESS,
    }
}

fn templates(dir: Option<&Path>) -> Result<Templates, ExitCode> {
    Templates::new(dir).map_err(|e| {
        say!("错误：{e}");
        ExitCode::from(1)
    })
}

fn diff(old: &Path, new: &Path, format: ReportFormat, dir: Option<&Path>) -> ExitCode {
    let Ok(t) = templates(dir) else {
        return ExitCode::from(2);
    };
    let style = tongbao::diag::Style::for_stderr(false);
    let mut failed = false;
    let mut prepared = Vec::new();
    for file in [old, new] {
        match tongbao::prepare(file, &t, None) {
            Ok(p) => prepared.push(p),
            Err(report) => {
                say_raw!("{}", report.render(&style));
                failed = true;
            }
        }
    }
    if failed {
        return ExitCode::from(2);
    }
    let report = tongbao::diff::diff(&prepared[0], &prepared[1]);
    let written = match format {
        ReportFormat::Text => write_stdout(report.to_string().as_bytes()),
        ReportFormat::Json => match serde_json::to_string_pretty(&report) {
            Ok(s) => write_stdout(format!("{s}\n").as_bytes()),
            Err(e) => {
                say!("错误：{e}");
                return ExitCode::from(2);
            }
        },
    };
    if written != ExitCode::SUCCESS {
        return ExitCode::from(2);
    }
    if report.documents_identical() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn generate(out: Option<&Path>, params: &tongbao::generate::Params, force: bool) -> ExitCode {
    let yaml = tongbao::generate::quarter_yaml(params);
    let Some(path) = out else {
        return write_stdout(yaml.as_bytes());
    };
    write_new_file(path, yaml.into_bytes(), force, "（要覆盖请加 --force）")
}

/// Write one file atomically (its folder created) and print its path. An existing file is
/// kept (exit 1, `hint` after the message) unless `overwrite`.
fn write_new_file(path: &Path, bytes: Vec<u8>, overwrite: bool, hint: &str) -> ExitCode {
    if path.is_dir() {
        say!("错误：{} 是一个文件夹，请给出文件名", path.display());
        return ExitCode::from(1);
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Err(e) = std::fs::create_dir_all(dir) {
            say!(
                "错误：无法创建目录 {}：{}",
                dir.display(),
                tongbao::ioerror::reason(&e)
            );
            return ExitCode::from(1);
        }
    }
    let replace = if overwrite {
        Replace::Always
    } else {
        Replace::Never
    };
    match tongbao::output::write_all(&[Output::new(path, bytes)], replace) {
        Ok(()) => {
            // The file is written; a closed stdout does not undo that.
            let _ = write_stdout(format!("{}\n", path.display()).as_bytes());
            ExitCode::SUCCESS
        }
        Err(e) => {
            say!("错误：{e}{hint}");
            ExitCode::from(1)
        }
    }
}
