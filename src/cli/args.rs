//! The command line as clap reads it. Every argument is described in Chinese; `zh` turns
//! clap's own words (headings, usage, errors) into Chinese too.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use super::outputs::Format;

#[derive(Parser)]
#[command(
    name = "tongbao",
    version,
    about = "政府网站和政务新媒体检查情况通报：YAML → DOCX / PDF / OFD（GB/T 9704-2012），及网站发布用 HTML",
    after_help = "退出码：0 成功，1 输入有误，2 用法错误。“tongbao 命令 --help”显示各命令的说明。"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// 生成通报：默认写出与输入同名的 .docx 和 .pdf
    Render(RenderArgs),
    /// 检查：一次列出全部问题（错误、矛盾、警告）；没有错误和矛盾时退出码为 0
    Check(CheckArgs),
    /// 监视季度描述文件：每次保存都重新生成，并打印检查结果（Ctrl-C 结束）
    Watch(RenderArgs),
    /// 比较两个版本：输入、计算结果和文件内容的变化；文件相同退出码 0，不同 1，出错 2
    Diff {
        /// 原来的季度描述文件
        #[arg(value_name = "原文件")]
        old: PathBuf,
        /// 修改后的季度描述文件
        #[arg(value_name = "新文件")]
        new: PathBuf,
        /// 输出格式：text（文字）或 json
        #[arg(long, value_name = "格式", default_value = "text")]
        format: ReportFormat,
        /// 模板目录：其中的 *.hbs 覆盖内置模板
        #[arg(long, value_name = "目录")]
        templates: Option<PathBuf>,
    },
    /// 生成虚构的市级季度描述文件（固定随机种子），用于性能测试和规模测试
    Generate {
        /// 写入此文件（默认输出到标准输出）；已存在时不覆盖，除非加 --force
        #[arg(short = 'o', long = "out", value_name = "文件")]
        out: Option<PathBuf>,
        /// 政府网站个数（1 至 200000，默认 88）
        #[arg(long, value_name = "个数", default_value_t = 88, value_parser = generated_count)]
        sites: usize,
        /// 政务新媒体账号个数（1 至 200000，默认 1146）
        #[arg(long, value_name = "个数", default_value_t = 1146, value_parser = generated_count)]
        accounts: usize,
        /// 随机种子：相同参数总是生成相同的文件（默认 1）
        #[arg(long, value_name = "种子", default_value_t = 1)]
        seed: u64,
        /// 覆盖已存在的文件
        #[arg(long)]
        force: bool,
    },
    /// 新建季度描述文件：带注释的示例，或由上一季度的文件、检查结果表格生成
    Init(InitArgs),
    /// 输出 shell 补全脚本：bash、zsh、fish、powershell
    Completions {
        /// shell 名称
        #[arg(value_name = "SHELL")]
        shell: Shell,
    },
    /// 输出 man 手册页（roff 格式），如 tongbao man > tongbao.1
    Man,
    /// 显示某个命令的说明
    Help {
        /// 命令名称
        #[arg(value_name = "命令")]
        command: Option<String>,
    },
}

/// What `render` and `watch` take.
#[derive(Args, Clone)]
pub struct RenderArgs {
    /// 季度描述文件（YAML）
    #[arg(value_name = "文件")]
    pub file: PathBuf,
    /// 输出位置：目录（写出 目录/<文件名>.docx 等，默认与输入同目录）；带扩展名的文件（如 通报.pdf：只写这一种格式，除非另用 --format）；或 -（写到标准输出，只能一种格式）
    #[arg(short = 'o', long = "out", value_name = "位置")]
    pub out: Option<PathBuf>,
    /// 输出格式，逗号分隔（默认 docx,pdf）：docx、pdf、ofd（GB/T 33190 版式文件，与 PDF 分页相同，供归档）、html（网站发布：<文件名>.html 网页和 <文件名>.fragment.html 正文片段，网页链接同时生成的 docx、pdf、ofd）、xlsx（附件表格）、txt（纯文本）、json（排版前的文档结构，供其他工具使用）
    #[arg(long, value_name = "格式", value_delimiter = ',')]
    pub format: Option<Vec<Format>>,
    /// 输出文字：zh-Hans、zh-Hant、zh-TW、zh-HK（优先于文件中的 document.script）
    #[arg(long, value_name = "文字")]
    pub script: Option<tongbao::zh::Script>,
    /// 模板目录：其中的 *.hbs 覆盖内置模板
    #[arg(long, value_name = "目录")]
    pub templates: Option<PathBuf>,
    /// 字体目录：fangsong.*、xiaobiaosong.*、heiti.*、kaiti.*、songti.*、latin.*（数字与西文）、fangsong-hant.*、kaiti-hant.* 覆盖内置字体
    #[arg(long, value_name = "目录")]
    pub fonts: Option<PathBuf>,
    /// 生成 PDF/A-2b（归档用）
    #[arg(long)]
    pub pdfa: bool,
    /// 替换已有的输出文件，即使它在上次生成后被修改过、是只读的或不是 tongbao 写出的
    #[arg(long)]
    pub force: bool,
}

#[derive(Args)]
pub struct CheckArgs {
    /// 一个或多个季度描述文件（YAML）
    #[arg(value_name = "文件", required = true)]
    pub files: Vec<PathBuf>,
    /// 输出格式：text（文字，写到标准错误）或 json（写到标准输出，供其他工具使用）
    #[arg(long, value_name = "格式", default_value = "text")]
    pub format: ReportFormat,
    /// 同时列出按办事员写法读取的值（如“是”读作 true、2024年7月5日读作 2024-07-05、全角数字读作半角），逐一核对
    #[arg(long)]
    pub explain: bool,
    /// 模板目录：其中的 *.hbs 覆盖内置模板
    #[arg(long, value_name = "目录")]
    pub templates: Option<PathBuf>,
}

#[derive(Args)]
pub struct InitArgs {
    /// 目标目录：在其中写出示例 quarter.yaml（默认当前目录）
    #[arg(value_name = "目录", conflicts_with_all = ["from", "items", "out"])]
    pub dir: Option<PathBuf>,
    /// 由上一季度的文件生成下一季度：年份、季度、检查时间和日期顺延，扣分、结果和已写数字清空
    #[arg(long, value_name = "文件", conflicts_with = "items")]
    pub from: Option<PathBuf>,
    /// 由检查结果表格（xlsx、xls、ods、csv）生成：按表头猜出各列的含义，请逐项确认
    #[arg(long, value_name = "表格")]
    pub items: Option<PathBuf>,
    /// 表格中的工作表名称（默认第一个）
    #[arg(long, value_name = "名称", requires = "items")]
    pub sheet: Option<String>,
    /// 表头所在的行号（默认自动识别）
    #[arg(long, value_name = "行号", requires = "items", value_parser = at_least_one_u32)]
    pub header_row: Option<u32>,
    /// 写入此文件（默认：--from 时把文件名中的季度顺延，--items 时与表格同名）；已存在时不覆盖
    #[arg(short = 'o', long = "out", value_name = "文件")]
    pub out: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// 文字
    Text,
    /// JSON
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
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

/// A row number: a whole number from 1.
fn at_least_one_u32(s: &str) -> Result<u32, String> {
    s.parse::<u32>()
        .ok()
        .filter(|&n| n >= 1)
        .ok_or_else(|| "行号须为从 1 起的整数".into())
}
