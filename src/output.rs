//! Writing output files safely: to a temporary name in the target folder, then renamed, so a
//! failed run never leaves a half-written file nor replaces a good one.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Write all files or none: every file goes to a temporary sibling first; only when all are
/// written are they renamed into place.
pub fn write_all(files: &[(PathBuf, Vec<u8>)]) -> Result<(), String> {
    let mut staged: Vec<(PathBuf, &Path)> = Vec::new();
    let cleanup = |staged: &[(PathBuf, &Path)]| {
        for (tmp, _) in staged {
            let _ = std::fs::remove_file(tmp);
        }
    };
    for (path, bytes) in files {
        let tmp = temp_name(path);
        let written = std::fs::File::create(&tmp).and_then(|mut f| {
            f.write_all(bytes)?;
            f.sync_all()
        });
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            cleanup(&staged);
            return Err(format!("无法写入 {}：{e}", path.display()));
        }
        staged.push((tmp, path));
    }
    for (tmp, path) in &staged {
        if let Err(e) = std::fs::rename(tmp, path) {
            cleanup(&staged);
            return Err(format!("无法写入 {}：{e}", path.display()));
        }
    }
    Ok(())
}

fn temp_name(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_replaces_atomically() {
        let dir = std::env::temp_dir().join(format!("tongbao-out-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let a = dir.join("a.txt");
        write_all(&[(a.clone(), b"one".to_vec())]).unwrap();
        write_all(&[(a.clone(), b"two".to_vec())]).unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), b"two");
        // A failing second file leaves the first untouched and no temporary behind.
        let bad = dir.join("missing-dir").join("b.txt");
        assert!(write_all(&[(a.clone(), b"three".to_vec()), (bad, b"x".to_vec())]).is_err());
        assert_eq!(std::fs::read(&a).unwrap(), b"two");
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .collect();
        assert_eq!(leftovers.len(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
