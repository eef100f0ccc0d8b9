//! The `tongbao` command line. Exit codes: 0 success, 1 invalid input, 2 usage error.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use tongbao::compose::Templates;
use tongbao::diag::Severity;

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
        /// 输出格式，逗号分隔：docx、pdf、txt（IR 纯文本）
        #[arg(long, value_delimiter = ',', default_value = "docx,pdf")]
        format: Vec<Format>,
        /// 输出文字：zh-Hans、zh-Hant、zh-TW、zh-HK（优先于 YAML 中的 document.script）
        #[arg(long)]
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
    },
    /// 检查：一次列出全部问题（错误、矛盾、警告），无错误时退出码为 0
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
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DiffFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Script {
    #[value(name = "zh-Hans")]
    Hans,
    #[value(name = "zh-Hant")]
    Hant,
    #[value(name = "zh-TW")]
    Tw,
    #[value(name = "zh-HK")]
    Hk,
}

impl Script {
    fn tag(self) -> &'static str {
        match self {
            Script::Hans => "zh-Hans",
            Script::Hant => "zh-Hant",
            Script::Tw => "zh-TW",
            Script::Hk => "zh-HK",
        }
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
        } => render(
            &file,
            &RenderArgs {
                out: out.as_deref(),
                formats: &format,
                script,
                templates: templates.as_deref(),
                fonts: fonts.as_deref(),
                pdfa,
            },
        ),
        Command::Check { file, templates } => check(&file, templates.as_deref()),
        Command::Diff {
            old,
            new,
            format,
            templates,
        } => diff(&old, &new, format, templates.as_deref()),
        Command::Init { dir } => init(dir.as_deref().unwrap_or(Path::new("."))),
    }
}

fn templates(dir: Option<&Path>) -> Result<Templates, ExitCode> {
    Templates::new(dir).map_err(|e| {
        eprintln!("错误：{e}");
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
    eprint!("{report}");
    let (e, c, w) = (
        report.count(Severity::Error),
        report.count(Severity::Contradiction),
        report.count(Severity::Warning),
    );
    eprintln!(
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
    let prepared = match tongbao::prepare(file, &t, script.map(Script::tag)) {
        Ok(p) => p,
        Err(report) => {
            eprint!("{report}");
            eprintln!("{}：输入有误，未生成任何文件", file.display());
            return ExitCode::from(1);
        }
    };
    eprint!("{}", prepared.report);
    let dir = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| file.parent().map(Path::to_path_buf).unwrap_or_default());
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("错误：无法创建输出目录 {}：{e}", dir.display());
        return ExitCode::from(1);
    }
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "tongbao".into());
    let doc = &prepared.document;
    let mut files = Vec::new();
    for f in formats {
        match f {
            Format::Txt => files.push((
                dir.join(format!("{stem}.txt")),
                doc.plain_text().into_bytes(),
            )),
            Format::Docx => match tongbao::docx::write(doc, &tongbao::docx::DocxOptions::default())
            {
                Ok(bytes) => files.push((dir.join(format!("{stem}.docx")), bytes)),
                Err(e) => {
                    eprintln!("错误：生成 DOCX 失败：{e}");
                    return ExitCode::from(1);
                }
            },
            Format::Pdf => match pdf(doc, args) {
                Ok(bytes) => files.push((dir.join(format!("{stem}.pdf")), bytes)),
                Err(e) => {
                    eprintln!("错误：生成 PDF 失败：{e}");
                    return ExitCode::from(1);
                }
            },
        }
    }
    match tongbao::output::write_all(&files) {
        Ok(()) => {
            for (p, _) in &files {
                println!("{}", p.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("错误：{e}");
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
                eprint!("{report}");
                failed = true;
            }
        }
    }
    if failed {
        return ExitCode::from(2);
    }
    let report = tongbao::diff::diff(&prepared[0], &prepared[1]);
    match format {
        DiffFormat::Text => print!("{report}"),
        DiffFormat::Json => match serde_json::to_string_pretty(&report) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("错误：{e}");
                return ExitCode::from(2);
            }
        },
    }
    if report.documents_identical() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Lay out and write the PDF; reports characters set in a fallback face, per role.
fn pdf(doc: &tongbao::ir::Document, args: &RenderArgs) -> Result<Vec<u8>, String> {
    use tongbao::fonts::FontSet;
    let fonts = match args.fonts {
        Some(dir) => FontSet::from_dir(dir).map_err(|e| e.to_string())?,
        None => FontSet::embedded(),
    };
    let layout = tongbao::layout::layout(doc, &fonts, &tongbao::layout::LayoutOptions::default());
    for (role, n) in &layout.fallbacks {
        eprintln!("提示：{}有 {n} 个字符字体中没有，改用后备字体", role.zh());
    }
    let opts = tongbao::pdf::PdfOptions { pdfa: args.pdfa };
    tongbao::pdf::write(&layout, &fonts, &doc.meta, &opts).map_err(|e| e.to_string())
}

fn init(dir: &Path) -> ExitCode {
    let path = dir.join("quarter.yaml");
    if path.exists() {
        eprintln!("错误：{} 已存在，未覆盖", path.display());
        return ExitCode::from(1);
    }
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("错误：无法创建目录 {}：{e}", dir.display());
        return ExitCode::from(1);
    }
    match tongbao::output::write_all(&[(path.clone(), EXAMPLE.as_bytes().to_vec())]) {
        Ok(()) => {
            println!("{}", path.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("错误：{e}");
            ExitCode::from(1)
        }
    }
}
