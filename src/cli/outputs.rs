//! The output formats and where each output goes, in one place: `render` and `watch` plan
//! their outputs here, produce each format's bytes here and write them here.
//!
//! `-o` names a folder (outputs are `<folder>/<input stem>.<ext>`), a file with a format's
//! extension (`-o 通报.pdf`: that format only unless `--format` asks for more, which go
//! beside it under the same stem), or `-` (standard output, one format only). A new format
//! is a variant of [`Format`] with its extension in [`Format::ext`] and its bytes in
//! [`produce`].

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use tongbao::output::{Output, Replace};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Word 文档
    Docx,
    /// PDF 文件
    Pdf,
    /// OFD 版式文件（GB/T 33190，与 PDF 分页相同，供归档）
    Ofd,
    /// 网站发布用网页（<文件名>.html）及正文片段（<文件名>.fragment.html，供粘贴到网站内容管理系统）
    Html,
    /// The article alone, written with `Html` (not a choice of its own).
    #[value(skip)]
    Fragment,
    /// 附件表格的 Excel 工作簿
    Xlsx,
    /// 纯文本
    Txt,
    /// 排版前的文档结构
    Json,
}

impl Format {
    /// Written when `--format` is not given.
    pub const DEFAULT: &'static [Format] = &[Format::Docx, Format::Pdf];

    pub fn ext(self) -> &'static str {
        match self {
            Format::Docx => "docx",
            Format::Pdf => "pdf",
            Format::Ofd => "ofd",
            Format::Html => "html",
            Format::Fragment => "fragment.html",
            Format::Xlsx => "xlsx",
            Format::Txt => "txt",
            Format::Json => "json",
        }
    }

    fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Format::value_variants()
            .iter()
            .copied()
            .find(|f| f.ext() == ext)
    }
}

/// Where one output goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    File(PathBuf),
    Stdout,
}

/// Every output of one run, in the order of `Format::value_variants`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub outputs: Vec<(Format, Target)>,
    /// The folder to create before writing, if any.
    pub dir: Option<PathBuf>,
}

impl Plan {
    pub fn wants(&self, f: Format) -> bool {
        self.outputs.iter().any(|(g, _)| *g == f)
    }
}

/// Plan the outputs of `input` for `-o` and `--format`. Err is a usage error, in Chinese.
pub fn plan(input: &Path, out: Option<&Path>, formats: Option<&[Format]>) -> Result<Plan, String> {
    let chosen = |default: &[Format]| -> Vec<Format> {
        let asked = formats.unwrap_or(default);
        Format::value_variants()
            .iter()
            .copied()
            .filter(|f| asked.contains(f))
            // The page's fragment goes with it.
            .flat_map(|f| match f {
                Format::Html => vec![Format::Html, Format::Fragment],
                f => vec![f],
            })
            .collect()
    };
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "tongbao".into());
    let in_dir = |dir: &Path, stem: &str, formats: Vec<Format>| Plan {
        outputs: formats
            .into_iter()
            .map(|f| (f, Target::File(dir.join(format!("{stem}.{}", f.ext())))))
            .collect(),
        dir: Some(dir.to_path_buf()),
    };
    let Some(out) = out else {
        let dir = input.parent().unwrap_or(Path::new(""));
        return Ok(in_dir(dir, &stem, chosen(Format::DEFAULT)));
    };
    if out == Path::new("-") {
        // On standard output a page is the page alone.
        let mut formats = chosen(Format::DEFAULT);
        formats.retain(|f| *f != Format::Fragment);
        return match formats.as_slice() {
            [f] => Ok(Plan {
                outputs: vec![(*f, Target::Stdout)],
                dir: None,
            }),
            _ => Err("写到标准输出（-o -）时只能选一种格式，如 --format pdf".into()),
        };
    }
    match Format::from_path(out).filter(|_| !out.is_dir()) {
        Some(named) => {
            let formats = chosen(&[named]);
            if !formats.contains(&named) {
                return Err(format!(
                    "输出文件 {} 的扩展名与 --format 所选的格式不符",
                    out.display()
                ));
            }
            let dir = out.parent().unwrap_or(Path::new(""));
            let stem = out
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or(stem);
            let mut plan = in_dir(dir, &stem, formats);
            // The named file exactly as written (its extension's case kept).
            for (f, t) in &mut plan.outputs {
                if *f == named {
                    *t = Target::File(out.to_path_buf());
                }
            }
            Ok(plan)
        }
        None if out.exists() && !out.is_dir() => Err(format!(
            "{} 已存在且不是目录；要写成单个文件，请用 .docx、.pdf 等扩展名",
            out.display()
        )),
        None => Ok(in_dir(out, &stem, chosen(Format::DEFAULT))),
    }
}

/// The page's links to the files of the same render written beside it (DOCX, PDF, OFD).
fn downloads(plan: &Plan) -> Vec<tongbao::html::Download> {
    [
        (Format::Docx, "DOCX"),
        (Format::Pdf, "PDF"),
        (Format::Ofd, "OFD"),
    ]
    .into_iter()
    .filter_map(|(f, label)| {
        let (_, target) = plan.outputs.iter().find(|(g, _)| *g == f)?;
        let Target::File(path) = target else {
            return None;
        };
        Some(tongbao::html::Download {
            label: label.into(),
            href: path.file_name()?.to_string_lossy().into_owned(),
        })
    })
    .collect()
}

/// The bytes of one format. DOCX, PDF and OFD come from the renderer (laid out once for all).
pub fn produce(
    format: Format,
    doc: &tongbao::ir::Document,
    rendered: &mut tongbao::render::Rendered,
    plan: &Plan,
) -> Result<Vec<u8>, String> {
    let html = || {
        let opts = tongbao::html::HtmlOptions {
            downloads: downloads(plan),
        };
        tongbao::html::write(doc, &opts)
    };
    match format {
        Format::Docx => rendered
            .docx
            .take()
            .ok_or_else(|| "内部错误：未生成 DOCX".to_string()),
        Format::Pdf => rendered
            .pdf
            .take()
            .ok_or_else(|| "内部错误：未生成 PDF".to_string()),
        Format::Ofd => rendered
            .ofd
            .take()
            .ok_or_else(|| "内部错误：未生成 OFD".to_string()),
        Format::Html => Ok(html().page.into_bytes()),
        Format::Fragment => Ok(html().fragment.into_bytes()),
        Format::Xlsx => tongbao::xlsx::write(doc),
        Format::Txt => Ok(doc.plain_text().into_bytes()),
        Format::Json => serde_json::to_vec_pretty(doc).map_err(|e| e.to_string()),
    }
}

/// Write every output: files all or none (through [`tongbao::output`]: temporaries, and an
/// existing file replaced as `replace` allows), or standard output. Returns the files written.
pub fn write(
    plan: &Plan,
    bytes: Vec<(Format, Vec<u8>)>,
    replace: Replace,
) -> Result<Vec<PathBuf>, String> {
    if let Some(dir) = &plan.dir {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir).map_err(|e| {
                format!(
                    "无法创建输出目录 {}：{}",
                    dir.display(),
                    tongbao::ioerror::reason(&e)
                )
            })?;
        }
    }
    let mut files = Vec::new();
    for (format, data) in bytes {
        let target = plan
            .outputs
            .iter()
            .find(|(f, _)| *f == format)
            .map(|(_, t)| t);
        match target {
            Some(Target::Stdout) => {
                use std::io::Write;
                let mut out = std::io::stdout().lock();
                match out.write_all(&data).and_then(|_| out.flush()) {
                    Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                        return Err(format!(
                            "无法写到标准输出：{}",
                            tongbao::ioerror::reason(&e)
                        ))
                    }
                    _ => {}
                }
            }
            Some(Target::File(p)) => files.push(Output::new(p, data)),
            None => {}
        }
    }
    tongbao::output::write_all(&files, replace)?;
    Ok(files.into_iter().map(|f| f.path).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(plan: &Plan) -> Vec<String> {
        plan.outputs
            .iter()
            .map(|(_, t)| match t {
                Target::File(p) => p.display().to_string(),
                Target::Stdout => "-".into(),
            })
            .collect()
    }

    #[test]
    fn naming() {
        let q = Path::new("in/q2.yaml");
        assert_eq!(
            files(&plan(q, None, None).unwrap()),
            ["in/q2.docx", "in/q2.pdf"]
        );
        let out = plan(q, Some(Path::new("out")), Some(&[Format::Txt])).unwrap();
        assert_eq!(files(&out), ["out/q2.txt"]);
        let one = plan(q, Some(Path::new("x/通报.PDF")), None).unwrap();
        assert_eq!(files(&one), ["x/通报.PDF"]);
        let two = plan(
            q,
            Some(Path::new("x/通报.pdf")),
            Some(&[Format::Pdf, Format::Docx]),
        )
        .unwrap();
        assert_eq!(files(&two), ["x/通报.docx", "x/通报.pdf"]);
        let stdout = plan(q, Some(Path::new("-")), Some(&[Format::Txt])).unwrap();
        assert_eq!(stdout.outputs, [(Format::Txt, Target::Stdout)]);
        assert!(plan(q, Some(Path::new("-")), None).is_err());
        assert!(plan(q, Some(Path::new("a.pdf")), Some(&[Format::Docx])).is_err());
        // The page and its fragment, side by side; on standard output the page alone.
        let html = plan(
            q,
            Some(Path::new("out")),
            Some(&[Format::Html, Format::Ofd]),
        )
        .unwrap();
        assert_eq!(
            files(&html),
            ["out/q2.ofd", "out/q2.html", "out/q2.fragment.html"]
        );
        let page = plan(q, Some(Path::new("-")), Some(&[Format::Html])).unwrap();
        assert_eq!(page.outputs, [(Format::Html, Target::Stdout)]);
    }
}
