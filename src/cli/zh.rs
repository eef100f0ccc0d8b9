//! clap in Chinese: the help layout and headings, the help and version flags, the usage line
//! and every usage error. clap's templates name their parts in English ("Usage:", "Options:",
//! "[OPTIONS]", "error: unexpected argument"); this module replaces each of them.

use clap::builder::StyledStr;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

const TEMPLATE: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// The command tree with Chinese headings, flags and layout, recursively.
pub fn localize(cmd: Command) -> Command {
    let cmd = cmd
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .help_template(TEMPLATE)
        .subcommand_help_heading("命令")
        .subcommand_value_name("命令")
        .mut_args(|a| {
            let heading = if a.is_positional() {
                "参数"
            } else {
                "选项"
            };
            let takes_value = a.get_action().takes_values();
            a.help_heading(heading).hide_possible_values(takes_value)
        })
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("显示帮助")
                .help_heading("选项"),
        );
    let cmd = if cmd.get_version().is_some() {
        cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("显示版本")
                .help_heading("选项"),
        )
    } else {
        cmd
    };
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    names
        .iter()
        .fold(cmd, |cmd, name| cmd.mut_subcommand(name, localize))
}

/// clap's placeholders that survive the template.
fn words(s: &str) -> String {
    s.replace("[OPTIONS]", "[选项]")
        .replace("Usage: ", "")
        .replace("[default: ", "[默认：")
        .replace("命令:\n", "命令：\n")
        .replace("参数:\n", "参数：\n")
        .replace("选项:\n", "选项：\n")
}

/// Help or usage text rendered by clap, in Chinese.
pub fn help(text: &StyledStr, colour: bool) -> String {
    let mut s = words(&if colour {
        text.ansi().to_string()
    } else {
        text.to_string()
    });
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s
}

fn strings(v: Option<&ContextValue>) -> Vec<String> {
    match v {
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::StyledStr(s)) => vec![s.to_string()],
        Some(ContextValue::StyledStrs(v)) => v.iter().map(|s| s.to_string()).collect(),
        Some(ContextValue::Number(n)) => vec![n.to_string()],
        _ => Vec::new(),
    }
}

/// A usage error in Chinese: what is wrong, a suggestion when clap has one, the usage line
/// and where to read more.
pub fn error(e: &clap::Error) -> String {
    let get = |k| strings(e.get(k));
    let one = |k| get(k).into_iter().next().unwrap_or_default();
    let arg = one(ContextKind::InvalidArg);
    let value = one(ContextKind::InvalidValue);
    let valid = get(ContextKind::ValidValue);
    let mut out = String::from("错误：");
    out.push_str(&match e.kind() {
        ErrorKind::InvalidValue if value.is_empty() => format!("参数 {arg} 需要一个值"),
        ErrorKind::InvalidValue => format!("参数 {arg} 的取值“{value}”无效"),
        ErrorKind::UnknownArgument => format!("未知的参数“{arg}”"),
        ErrorKind::InvalidSubcommand => {
            format!("未知的命令“{}”", one(ContextKind::InvalidSubcommand))
        }
        ErrorKind::NoEquals => format!("参数 {arg} 的值须用等号给出"),
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e)
                .map(|s| format!("：{s}"))
                .unwrap_or_default();
            format!("参数 {arg} 的取值“{value}”无效{why}")
        }
        ErrorKind::TooManyValues => format!("参数 {arg} 多给了一个值“{value}”"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("参数 {arg} 的值个数不对")
        }
        ErrorKind::ArgumentConflict => {
            let prior = get(ContextKind::PriorArg);
            if prior.is_empty() || prior == [arg.clone()] {
                format!("参数 {arg} 只能给一次")
            } else {
                format!("参数 {arg} 不能与 {} 同时使用", prior.join("、"))
            }
        }
        ErrorKind::MissingRequiredArgument => {
            format!("缺少必需的参数：{}", get(ContextKind::InvalidArg).join(" "))
        }
        ErrorKind::MissingSubcommand => "缺少命令".to_string(),
        ErrorKind::InvalidUtf8 => "参数不是有效的 UTF-8 文字".to_string(),
        _ => "命令行有误".to_string(),
    });
    out.push('\n');
    if !valid.is_empty() {
        out.push_str(&format!("  可用的值：{}\n", valid.join("、")));
    }
    let suggested: Vec<String> = [
        ContextKind::SuggestedArg,
        ContextKind::SuggestedSubcommand,
        ContextKind::SuggestedValue,
    ]
    .into_iter()
    .flat_map(get)
    .collect();
    if !suggested.is_empty() {
        out.push_str(&format!("  提示：是否应为 {}？\n", suggested.join(" 或 ")));
    }
    if e.kind() == ErrorKind::UnknownArgument && arg.starts_with('-') {
        out.push_str(&format!(
            "  提示：如果“{arg}”是文件名而不是选项，请写成 -- {arg}\n"
        ));
    }
    if let Some(usage) = e.get(ContextKind::Usage) {
        let usage = strings(Some(usage)).concat();
        out.push_str(&format!("\n用法：{}\n", words(usage.trim())));
    }
    out.push_str("\n更多说明请用 --help\n");
    out
}
