//! output: the one write path of every file tongbao produces (DOCX, PDF, text, JSON, the YAML
//! of `init` and `generate`, and whatever formats come), so that no run loses or corrupts a
//! document:
//!
//! - each file is written to a temporary file created exclusively (`O_EXCL`, never through a
//!   link planted at its name) with an unpredictable name in the target folder, synced, and
//!   renamed over the target only when every file of the run is written; on any error the
//!   temporaries are removed and the old files stay as they were;
//! - an interrupted run (SIGINT, SIGTERM, SIGHUP) removes its temporaries before it dies; a run
//!   killed outright leaves names [`cleanup`] recognises, removed by the next run in the folder;
//! - a full disk (ENOSPC), a quota and a file size limit (`ulimit -f`: SIGXFSZ is ignored, so
//!   the write fails with EFBIG instead of killing the process) are Chinese messages;
//! - `render` replaces only outputs it wrote itself and nobody changed since ([`record`]: the
//!   SHA-256 of each file it writes, kept beside it); an output edited by hand (a DOCX touched
//!   up in Word), read-only, or not a plain file is kept, and the run writes nothing, unless
//!   `--force`.

pub mod cleanup;
pub mod record;

use std::io::Write;
use std::path::{Path, PathBuf};

/// One file to write.
#[derive(Debug, Clone)]
pub struct Output {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

impl Output {
    pub fn new(path: impl Into<PathBuf>, bytes: Vec<u8>) -> Output {
        Output {
            path: path.into(),
            bytes,
        }
    }
}

/// What may happen to a file already at an output's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replace {
    /// Keep it: the run fails (`init`, `generate` without `--force`).
    Never,
    /// Replace it only if tongbao wrote it and it is unchanged since (`render`).
    Unchanged,
    /// Replace whatever is there, never writing through it (`--force`).
    Always,
}

/// Why a file cannot be written or replaced, in Chinese.
fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::PermissionDenied => "没有写入权限".into(),
        K::NotFound => "目录不存在".into(),
        _ => crate::ioerror::reason(e),
    }
}

/// Why `path` may not be replaced under `replace`, if it may not.
fn refusal(path: &Path, replace: Replace, records: &record::Records) -> Option<String> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    let name = path.display();
    if meta.is_dir() {
        return Some(format!("{name} 是一个目录，不能用文件替换"));
    }
    let force = "确认要替换请加 --force";
    match replace {
        Replace::Always => None,
        Replace::Never => Some(format!("{name} 已存在，未覆盖")),
        Replace::Unchanged if meta.file_type().is_symlink() => Some(format!(
            "{name} 是一个符号链接，不是 tongbao 写出的文件，未覆盖（{force}：替换的是链接本身，不会写入它指向的文件）"
        )),
        Replace::Unchanged if !meta.is_file() => {
            Some(format!("{name} 不是普通文件，未覆盖（{force}）"))
        }
        Replace::Unchanged if meta.permissions().readonly() => Some(format!(
            "{name} 是只读文件（有人设为只读以免被改动），未覆盖（{force}）"
        )),
        Replace::Unchanged => match records.check(path) {
            record::State::Unchanged => None,
            record::State::Changed => Some(format!(
                "{name} 在 tongbao 写出后被修改过（例如在 Word 中改过），未覆盖，以免丢失修改（先另存修改过的文件；{force}）"
            )),
            record::State::Unknown => Some(format!(
                "{name} 已存在，但没有 tongbao 写出它的记录，无法确认它未被手工修改，未覆盖（{force}）"
            )),
        },
    }
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// `f` in a temporary beside its target, synced.
fn stage(f: &Output) -> std::io::Result<cleanup::Temp> {
    let mut t = cleanup::Temp::create(&f.path)?;
    t.file().write_all(&f.bytes)?;
    t.file().sync_all()?;
    Ok(t)
}

/// Write every file or none. Stale temporaries of killed runs in the target folders are removed
/// first; existing files are replaced as `replace` allows, and for [`Replace::Unchanged`] and
/// [`Replace::Always`] what was written is recorded.
pub fn write_all(files: &[Output], replace: Replace) -> Result<(), String> {
    cleanup::install();
    let mut dirs: Vec<&Path> = files.iter().map(|f| parent(&f.path)).collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        cleanup::remove_stale(d);
    }
    let records: Vec<record::Records> = dirs.iter().map(|d| record::Records::read(d)).collect();
    let records_of = |path: &Path| &records[dirs.binary_search(&parent(path)).unwrap_or(0)];
    let refused: Vec<String> = files
        .iter()
        .filter_map(|f| refusal(&f.path, replace, records_of(&f.path)))
        .collect();
    if !refused.is_empty() {
        let mut msg = refused.join("\n");
        if files.len() > refused.len() {
            msg.push_str("\n其余文件也未写入，均保持原样");
        }
        return Err(msg);
    }
    // Each folder's record with what this run writes, staged with the files and renamed after
    // them.
    let recorded: Vec<Output> = if replace == Replace::Never {
        Vec::new()
    } else {
        dirs.iter()
            .zip(records)
            .map(|(d, mut r)| {
                for f in files.iter().filter(|f| parent(&f.path) == *d) {
                    r.set(&f.path, &f.bytes);
                }
                Output::new(d.join(record::FILE_NAME), r.contents().into_bytes())
            })
            .collect()
    };
    let all: Vec<&Output> = files.iter().chain(&recorded).collect();
    // Each file is written and synced on a thread of its own: the syncs wait for the disk
    // together, not one after another.
    let written: Vec<std::io::Result<cleanup::Temp>> = std::thread::scope(|s| {
        let jobs: Vec<_> = all.iter().map(|f| s.spawn(|| stage(f))).collect();
        jobs.into_iter()
            .map(|j| {
                j.join()
                    .unwrap_or_else(|_| Err(std::io::Error::other("内部错误")))
            })
            .collect()
    });
    let name = |i: usize| {
        if i < files.len() {
            all[i].path.display().to_string()
        } else {
            format!("{} 中的写出记录", parent(&all[i].path).display())
        }
    };
    let mut staged = Vec::with_capacity(all.len());
    for (i, w) in written.into_iter().enumerate() {
        match w {
            Ok(s) => staged.push(s),
            // Dropping `staged` (and the rest of `written`) removes every temporary of the run.
            Err(e) => {
                return Err(format!(
                    "无法写入 {}：{}；未写入任何文件，原有文件保持原样",
                    name(i),
                    io_reason(&e)
                ))
            }
        }
    }
    for (i, s) in staged.into_iter().enumerate() {
        s.persist(&all[i].path)
            .map_err(|e| format!("无法写入 {}：{}", name(i), io_reason(&e)))?;
    }
    for d in &dirs {
        // The renames reach the disk with the folder.
        if let Ok(dir) = std::fs::File::open(d) {
            let _ = dir.sync_all();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("tongbao-out-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn writes_and_replaces_what_it_wrote_atomically() {
        let dir = scratch("replace");
        let a = dir.join("a.txt");
        write_all(&[Output::new(&a, b"one".to_vec())], Replace::Unchanged).unwrap();
        write_all(&[Output::new(&a, b"two".to_vec())], Replace::Unchanged).unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), b"two");
        // A failing second file leaves the first untouched and no temporary behind.
        let bad = dir.join("missing-dir").join("b.txt");
        let e = write_all(
            &[
                Output::new(&a, b"three".to_vec()),
                Output::new(bad, b"x".to_vec()),
            ],
            Replace::Unchanged,
        )
        .unwrap_err();
        assert!(
            e.contains("目录不存在") && e.contains("原有文件保持原样"),
            "{e}"
        );
        assert_eq!(std::fs::read(&a).unwrap(), b"two");
        assert_eq!(names(&dir), [record::FILE_NAME, "a.txt"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_changed_read_only_or_unknown_output_is_kept_unless_forced() {
        let dir = scratch("protect");
        let (a, b) = (dir.join("q.docx"), dir.join("q.pdf"));
        let both = |x: &[u8]| [Output::new(&a, x.to_vec()), Output::new(&b, x.to_vec())];
        write_all(&both(b"v1"), Replace::Unchanged).unwrap();
        std::fs::write(&a, b"edited in Word").unwrap();
        let e = write_all(&both(b"v2"), Replace::Unchanged).unwrap_err();
        assert!(
            e.contains("q.docx 在 tongbao 写出后被修改过") && e.contains("其余文件也未写入"),
            "{e}"
        );
        assert_eq!(std::fs::read(&a).unwrap(), b"edited in Word");
        assert_eq!(std::fs::read(&b).unwrap(), b"v1");
        write_all(&both(b"v2"), Replace::Always).unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), b"v2");
        // Read-only.
        let mut p = std::fs::metadata(&b).unwrap().permissions();
        p.set_readonly(true);
        std::fs::set_permissions(&b, p).unwrap();
        let e = write_all(&both(b"v3"), Replace::Unchanged).unwrap_err();
        assert!(e.contains("q.pdf 是只读文件"), "{e}");
        // Not written by tongbao.
        let c = dir.join("other.txt");
        std::fs::write(&c, b"mine").unwrap();
        let e = write_all(&[Output::new(&c, b"x".to_vec())], Replace::Unchanged).unwrap_err();
        assert!(e.contains("没有 tongbao 写出它的记录"), "{e}");
        let e = write_all(&[Output::new(&c, b"x".to_vec())], Replace::Never).unwrap_err();
        assert!(e.contains("other.txt 已存在，未覆盖"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_planted_link_is_never_written_through() {
        let dir = scratch("link");
        let victim = dir.join("victim.txt");
        std::fs::write(&victim, b"precious").unwrap();
        let q = dir.join("q.pdf");
        std::os::unix::fs::symlink(&victim, &q).unwrap();
        let e = write_all(&[Output::new(&q, b"pdf".to_vec())], Replace::Unchanged).unwrap_err();
        assert!(e.contains("符号链接"), "{e}");
        write_all(&[Output::new(&q, b"pdf".to_vec())], Replace::Always).unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
        assert!(!std::fs::symlink_metadata(&q)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read(&q).unwrap(), b"pdf");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_full_disk_is_a_chinese_message() {
        let full = std::io::Error::from_raw_os_error(libc::ENOSPC);
        assert_eq!(io_reason(&full), "磁盘空间不足（或超出磁盘配额）");
        let big = std::io::Error::from_raw_os_error(libc::EFBIG);
        assert!(io_reason(&big).contains("ulimit -f"));
        // /dev/full fails every write with ENOSPC, as a full disk does.
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let e = f.write_all(b"x").and_then(|_| f.sync_all()).unwrap_err();
        assert_eq!(io_reason(&e), "磁盘空间不足（或超出磁盘配额）");
    }
}
