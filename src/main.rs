//! The `tongbao` command line. Exit codes: 0 success, 1 invalid input, 2 usage error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use tongbao::compose::Templates;
use tongbao::diag::Severity;
use tongbao::output::{Output, Replace};
use tongbao::zh::Script;

#[derive(Parser)]
#[command(
    name = "tongbao",
    version,
    about = "政府网站和政务新媒体检查情况通报：YAML → DOCX / PDF（GB/T 9704-2012）"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 生成通报：写出 DIR/<文件名>.docx 和 .pdf
    Render {
        /// 季度描述文件（YAML）
        file: PathBuf,
        /// 输出目录（默认与输入文件同目录）
        #[arg(short = 'o', long = "out")]
        out: Option<PathBuf>,
        /// 输出格式，逗号分隔：docx、pdf、txt（纯文本）、json（排版前的文档结构，供其他工具使用）
        #[arg(long, value_delimiter = ',', default_value = "docx,pdf")]
        format: Vec<Format>,
        /// 输出文字：zh-Hans、zh-Hant、zh-TW、zh-HK（优先于 YAML 中的 document.script）
        #[arg(long, value_parser = script_tag)]
        script: Option<Script>,
        /// 模板目录：其中的 *.hbs 覆盖内置模板
        #[arg(long)]
        templates: Option<PathBuf>,
        /// 字体目录：fangsong.*、xiaobiaosong.*、heiti.*、kaiti.*、songti.* 覆盖内置字体
        #[arg(long)]
        fonts: Option<PathBuf>,
        /// 生成 PDF/A-2b（归档用）
        #[arg(long)]
        pdfa: bool,
        /// 替换已有的输出文件，即使它在上次生成后被修改过、是只读的或不是 tongbao 写出的
        #[arg(long)]
        force: bool,
    },
    /// 检查：一次列出全部问题（错误、矛盾、警告），既无错误也无矛盾时退出码为 0
    Check {
        file: PathBuf,
        #[arg(long)]
        templates: Option<PathBuf>,
    },
    /// 比较两个版本：输入、计算结果和文件内容的变化；文件相同退出码 0，不同 1，出错 2
    Diff {
        old: PathBuf,
        new: PathBuf,
        /// 输出格式：text 或 json
        #[arg(long, default_value = "text")]
        format: DiffFormat,
        #[arg(long)]
        templates: Option<PathBuf>,
    },
    /// 生成虚构的市级季度描述文件（固定随机种子），用于性能测试和规模测试
    Generate {
        /// 写入此文件（默认输出到标准输出）；已存在时不覆盖，除非加 --force
        #[arg(short = 'o', long = "out")]
        out: Option<PathBuf>,
        /// 政府网站个数（1 至 200000）
        #[arg(long, default_value_t = 88, value_parser = generated_count)]
        sites: usize,
        /// 政务新媒体账号个数（1 至 200000）
        #[arg(long, default_value_t = 1146, value_parser = generated_count)]
        accounts: usize,
        /// 随机种子：相同参数总是生成相同的文件
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// 覆盖已存在的文件
        #[arg(long)]
        force: bool,
    },
    /// 生成带注释的示例季度描述文件 quarter.yaml
    Init {
        /// 目标目录（默认当前目录）
        dir: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Docx,
    Pdf,
    Txt,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DiffFormat {
    Text,
    Json,
}

/// `--script`: the one [`Script`] type, from its tag.
fn script_tag(tag: &str) -> Result<Script, String> {
    tongbao::date::FromText::from_text(tag)
}

/// Most websites or accounts `generate` makes: beyond, the file outgrows what `load` reads.
const MAX_GENERATED: usize = 200_000;

/// A count of 1 to [`MAX_GENERATED`] (an inspection without items is not a quarter).
fn generated_count(s: &str) -> Result<usize, String> {
    s.parse::<usize>()
        .ok()
        .filter(|n| (1..=MAX_GENERATED).contains(n))
        .ok_or_else(|| format!("个数须为 1 至 {MAX_GENERATED} 的整数"))
}

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

/// Write to stdout. A reader that stops early (`| head`) is not an error: what it wanted, it
/// got; other failures are returned.
fn print_out(text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e),
        _ => Ok(()),
    }
}

const EXAMPLE: &str = include_str!("../fixtures/example.yaml");

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(2),
            };
        }
    };
    match cli.command {
        Command::Render {
            file,
            out,
            format,
            script,
            templates,
            fonts,
            pdfa,
            force,
        } => render(
            &file,
            &RenderArgs {
                out: out.as_deref(),
                formats: &format,
                script,
                templates: templates.as_deref(),
                fonts: fonts.as_deref(),
                pdfa,
                force,
            },
        ),
        Command::Check { file, templates } => check(&file, templates.as_deref()),
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
        Command::Init { dir } => init(dir.as_deref().unwrap_or(Path::new("."))),
    }
}

fn templates(dir: Option<&Path>) -> Result<Templates, ExitCode> {
    Templates::new(dir).map_err(|e| {
        say!("错误：{e}");
        ExitCode::from(1)
    })
}

fn check(file: &Path, dir: Option<&Path>) -> ExitCode {
    let t = match templates(dir) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let report = match tongbao::prepare(file, &t, None) {
        Ok(p) => p.report,
        Err(r) => r,
    };
    say_raw!("{report}");
    let (e, c, w) = (
        report.count(Severity::Error),
        report.count(Severity::Contradiction),
        report.count(Severity::Warning),
    );
    say!(
        "{}：{e} 个错误，{c} 处与数据矛盾，{w} 个警告",
        file.display()
    );
    if e + c > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// What `render` was asked for, besides the input file.
struct RenderArgs<'a> {
    out: Option<&'a Path>,
    formats: &'a [Format],
    script: Option<Script>,
    templates: Option<&'a Path>,
    fonts: Option<&'a Path>,
    pdfa: bool,
    force: bool,
}

fn render(file: &Path, args: &RenderArgs) -> ExitCode {
    let RenderArgs {
        out,
        formats,
        script,
        ..
    } = *args;
    let t = match templates(args.templates) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let prepared = match tongbao::prepare(file, &t, script) {
        Ok(p) => p,
        Err(report) => {
            say_raw!("{report}");
            say!("{}：输入有误，未生成任何文件", file.display());
            return ExitCode::from(1);
        }
    };
    say_raw!("{}", prepared.report);
    let dir = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| file.parent().map(Path::to_path_buf).unwrap_or_default());
    if let Err(e) = std::fs::create_dir_all(&dir) {
        say!("错误：无法创建输出目录 {}：{e}", dir.display());
        return ExitCode::from(1);
    }
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "tongbao".into());
    let doc = &prepared.document;
    let want = |f: Format| formats.contains(&f);
    let fonts = match args.fonts {
        Some(dir) => match tongbao::fonts::FontSet::from_dir(dir) {
            Ok(f) => f,
            Err(e) => {
                say!("错误：{e}");
                return ExitCode::from(1);
            }
        },
        None => tongbao::fonts::FontSet::embedded(),
    };
    let opts = tongbao::render::RenderOptions {
        docx: want(Format::Docx),
        pdf: want(Format::Pdf),
        pdfa: args.pdfa,
    };
    let rendered = match tongbao::render::render(doc, &fonts, &opts) {
        Ok(r) => r,
        Err(e) => {
            say!("错误：{e}");
            return ExitCode::from(1);
        }
    };
    for (role, n) in &rendered.fallbacks {
        say!("提示：{}有 {n} 个字符字体中没有，改用后备字体", role.zh());
    }
    let mut files = Vec::new();
    if want(Format::Txt) {
        files.push(Output::new(
            dir.join(format!("{stem}.txt")),
            doc.plain_text().into_bytes(),
        ));
    }
    if want(Format::Json) {
        match serde_json::to_vec_pretty(doc) {
            Ok(bytes) => files.push(Output::new(dir.join(format!("{stem}.json")), bytes)),
            Err(e) => {
                say!("错误：{e}");
                return ExitCode::from(1);
            }
        }
    }
    if let Some(bytes) = rendered.docx {
        files.push(Output::new(dir.join(format!("{stem}.docx")), bytes));
    }
    if let Some(bytes) = rendered.pdf {
        files.push(Output::new(dir.join(format!("{stem}.pdf")), bytes));
    }
    let replace = if args.force {
        Replace::Always
    } else {
        Replace::Unchanged
    };
    match tongbao::output::write_all(&files, replace) {
        Ok(()) => {
            for f in &files {
                // The files are written; a closed stdout does not undo that.
                let _ = print_out(&format!("{}\n", f.path.display()));
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            say!("错误：{e}");
            ExitCode::from(1)
        }
    }
}

fn diff(old: &Path, new: &Path, format: DiffFormat, dir: Option<&Path>) -> ExitCode {
    let Ok(t) = templates(dir) else {
        return ExitCode::from(2);
    };
    let mut failed = false;
    let mut prepared = Vec::new();
    for file in [old, new] {
        match tongbao::prepare(file, &t, None) {
            Ok(p) => prepared.push(p),
            Err(report) => {
                say_raw!("{report}");
                failed = true;
            }
        }
    }
    if failed {
        return ExitCode::from(2);
    }
    let report = tongbao::diff::diff(&prepared[0], &prepared[1]);
    let text = match format {
        DiffFormat::Text => Ok(report.to_string()),
        DiffFormat::Json => serde_json::to_string_pretty(&report).map(|s| s + "\n"),
    };
    if let Err(e) = text
        .map_err(|e| e.to_string())
        .and_then(|t| print_out(&t).map_err(|e| e.to_string()))
    {
        say!("错误：无法写出比较结果：{e}");
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
        return match print_out(&yaml) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                say!("错误：无法写出：{e}");
                ExitCode::from(1)
            }
        };
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Err(e) = std::fs::create_dir_all(dir) {
            say!("错误：无法创建目录 {}：{e}", dir.display());
            return ExitCode::from(1);
        }
    }
    write_new_file(path, yaml.into_bytes(), force, "（要覆盖请加 --force）")
}

fn init(dir: &Path) -> ExitCode {
    if let Err(e) = std::fs::create_dir_all(dir) {
        say!("错误：无法创建目录 {}：{e}", dir.display());
        return ExitCode::from(1);
    }
    write_new_file(
        &dir.join("quarter.yaml"),
        EXAMPLE.as_bytes().to_vec(),
        false,
        "",
    )
}

/// Write one file atomically and print its path. An existing file is kept (exit 1, `hint`
/// after the message) unless `overwrite`.
fn write_new_file(path: &Path, bytes: Vec<u8>, overwrite: bool, hint: &str) -> ExitCode {
    let replace = if overwrite {
        Replace::Always
    } else {
        Replace::Never
    };
    match tongbao::output::write_all(&[Output::new(path, bytes)], replace) {
        Ok(()) => {
            let _ = print_out(&format!("{}\n", path.display()));
            ExitCode::SUCCESS
        }
        Err(e) => {
            say!("错误：{e}{hint}");
            ExitCode::from(1)
        }
    }
}
