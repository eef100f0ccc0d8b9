//! What tongbao wrote in a folder: the SHA-256 of each output, in `.tongbao.sha256` beside
//! them, in `sha256sum` format (`sha256sum -c .tongbao.sha256` checks the files by hand). An
//! output whose bytes no longer have the recorded hash was changed since (edited in Word or
//! WPS, replaced by another program), and `render` keeps it.

use std::collections::BTreeMap;
use std::path::Path;

use sha2::{Digest, Sha256};

/// The record's file name in each output folder.
pub const FILE_NAME: &str = ".tongbao.sha256";

/// A record larger than this is not tongbao's: ignored (and replaced when written).
const MAX_BYTES: u64 = 1 << 20;

const HEADER: &str =
    "# tongbao 写出的文件及其 SHA-256（可用 sha256sum -c 核对）：改动过的文件，tongbao 不会覆盖\n";

/// Whether an existing file is the one tongbao recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Unchanged,
    Changed,
    /// No record of it.
    Unknown,
}

/// The record of one folder: file name → hex SHA-256.
#[derive(Debug, Default)]
pub struct Records {
    hashes: BTreeMap<String, String>,
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A file name the record can hold on one line.
fn recordable(name: &str) -> bool {
    !name.is_empty() && !name.contains(['\n', '\r', '\\'])
}

impl Records {
    /// The record of `dir`; none (or one that is not a plain file: a planted link) is empty.
    pub fn read(dir: &Path) -> Records {
        let path = dir.join(FILE_NAME);
        let plain =
            std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file() && m.len() <= MAX_BYTES);
        let text = if plain {
            std::fs::read_to_string(&path).unwrap_or_default()
        } else {
            String::new()
        };
        let hashes = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let (hash, name) = l.split_once("  ")?;
                let hex = hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit());
                hex.then(|| (name.to_string(), hash.to_ascii_lowercase()))
            })
            .collect();
        Records { hashes }
    }

    /// Whether the file at `path` (a plain file in this record's folder) is as recorded.
    pub fn check(&self, path: &Path) -> State {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let Some(recorded) = name.and_then(|n| self.hashes.get(&n)) else {
            return State::Unknown;
        };
        match std::fs::read(path) {
            Ok(bytes) if sha256_hex(&bytes) == *recorded => State::Unchanged,
            _ => State::Changed,
        }
    }

    /// Record `bytes` as what was written at `path`.
    pub fn set(&mut self, path: &Path, bytes: &[u8]) {
        if let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) {
            if recordable(&name) {
                self.hashes.insert(name, sha256_hex(bytes));
            }
        }
    }

    /// The record's file (`FILE_NAME`): written as the outputs are, atomically, after them.
    pub fn contents(&self) -> String {
        let mut text = String::from(HEADER);
        for (name, hash) in &self.hashes {
            text.push_str(&format!("{hash}  {name}\n"));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_record_is_sha256sum_format_and_reads_back() {
        let dir = std::env::temp_dir().join(format!("tongbao-record-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let q = dir.join("q.txt");
        std::fs::write(&q, b"abc").unwrap();
        let mut r = Records::default();
        r.set(&q, b"abc");
        r.set(&dir.join("bad\nname"), b"x");
        std::fs::write(dir.join(FILE_NAME), r.contents()).unwrap();
        let text = std::fs::read_to_string(dir.join(FILE_NAME)).unwrap();
        // SHA-256("abc"), as sha256sum prints it.
        assert!(text.ends_with(
            "\nba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  q.txt\n"
        ));
        assert_eq!(text.lines().count(), 2);
        let back = Records::read(&dir);
        assert_eq!(back.check(&q), State::Unchanged);
        std::fs::write(&q, b"abd").unwrap();
        assert_eq!(back.check(&q), State::Changed);
        assert_eq!(back.check(&dir.join("other")), State::Unknown);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
