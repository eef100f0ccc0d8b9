//! Deterministic zip packages (DOCX, OFD): deflate, entries in the given order, every entry
//! stamped with the document's date at midnight, so the same input gives the same bytes.

use std::io::{Cursor, Write};

use crate::date::Date;

/// Why a package could not be zipped.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// A date a ZIP entry cannot carry (see [`Date::YEARS`]).
    Date(String),
    Zip(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Date(d) => write!(f, "日期“{d}”无法写入压缩包（年份须在1980至2107之间）"),
            Error::Zip(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for Error {}

/// A package written part by part, in order. A large part can be written through
/// [`Zip::start`] as it is made, deflated on the way, so that it is never held whole.
pub struct Zip {
    zip: zip::ZipWriter<Cursor<Vec<u8>>>,
    opts: zip::write::SimpleFileOptions,
}

fn zip_error(e: zip::result::ZipError) -> Error {
    Error::Zip(e.to_string())
}

fn io_error(e: std::io::Error) -> Error {
    Error::Zip(e.to_string())
}

impl Zip {
    /// An empty package whose entries carry `date`.
    pub fn new(date: Date) -> Result<Zip, Error> {
        let stamp = zip::DateTime::from_date_and_time(
            date.year as u16,
            date.month as u8,
            date.day as u8,
            0,
            0,
            0,
        )
        .map_err(|_| Error::Date(date.iso()))?;
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(stamp)
            .unix_permissions(0o644);
        Ok(Zip {
            zip: zip::ZipWriter::new(Cursor::new(Vec::new())),
            opts,
        })
    }

    /// Adds a part whose bytes are at hand.
    pub fn part(&mut self, path: &str, bytes: &[u8]) -> Result<(), Error> {
        self.start(path)?.write_all(bytes).map_err(io_error)
    }

    /// Starts a part; what is written to the returned writer is its content, until the next
    /// part starts or the package is finished.
    pub fn start(&mut self, path: &str) -> Result<&mut dyn Write, Error> {
        self.zip.start_file(path, self.opts).map_err(zip_error)?;
        Ok(&mut self.zip)
    }

    /// Adds every part of the package `zipped`, in its order, as it was deflated there.
    pub fn copy_parts(&mut self, zipped: &[u8]) -> Result<(), Error> {
        let mut from = zip::ZipArchive::new(Cursor::new(zipped)).map_err(zip_error)?;
        for i in 0..from.len() {
            let part = from.by_index_raw(i).map_err(zip_error)?;
            self.zip.raw_copy_file(part).map_err(zip_error)?;
        }
        Ok(())
    }

    /// The package's bytes.
    pub fn finish(self) -> Result<Vec<u8>, Error> {
        Ok(self.zip.finish().map_err(zip_error)?.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip_parts(parts: &[(String, Vec<u8>)], date: Date) -> Result<Vec<u8>, Error> {
        let mut zip = Zip::new(date)?;
        for (path, bytes) in parts {
            zip.part(path, bytes)?;
        }
        zip.finish()
    }

    #[test]
    fn copied_parts_are_the_parts_written_in_place() {
        let date = Date::parse("2021-07-07").unwrap();
        let parts: Vec<(String, Vec<u8>)> = (0..3)
            .map(|i| {
                (
                    format!("Doc_0/Pages/Page_{i}/Content.xml"),
                    "<页/>".repeat(50 + i).into_bytes(),
                )
            })
            .collect();
        let first = ("OFD.xml".to_string(), b"<ofd:OFD/>".to_vec());
        // Written in place, and the pages zipped apart and copied in after the first part.
        let whole: Vec<_> = std::iter::once(first.clone())
            .chain(parts.clone())
            .collect();
        let direct = zip_parts(&whole, date).unwrap();
        let pages = zip_parts(&parts, date).unwrap();
        let mut zip = Zip::new(date).unwrap();
        zip.part(&first.0, &first.1).unwrap();
        zip.copy_parts(&pages).unwrap();
        assert_eq!(zip.finish().unwrap(), direct);
    }

    #[test]
    fn zip_is_deterministic_deflated_and_ordered() {
        let parts = vec![
            ("[Content_Types].xml".to_string(), b"<Types/>".repeat(100)),
            (
                "word/document.xml".to_string(),
                "<w:document>通报</w:document>".repeat(100).into_bytes(),
            ),
        ];
        let date = Date::parse("2021-07-07").unwrap();
        let a = zip_parts(&parts, date).unwrap();
        let b = zip_parts(&parts, date).unwrap();
        assert_eq!(a, b);
        let mut z = zip::ZipArchive::new(Cursor::new(&a)).unwrap();
        assert_eq!(z.len(), 2);
        let f = z.by_index(0).unwrap();
        assert_eq!(f.name(), "[Content_Types].xml");
        assert_eq!(f.compression(), zip::CompressionMethod::Deflated);
        assert!(f.compressed_size() < f.size());
        let t = f.last_modified().unwrap();
        assert_eq!((t.year(), t.month(), t.day(), t.hour()), (2021, 7, 7, 0));
        drop(f);
        assert_eq!(z.by_index(1).unwrap().name(), "word/document.xml");
        for year in [Date::YEARS.start(), Date::YEARS.end()] {
            let edge = Date {
                year: *year,
                month: 12,
                day: 31,
            };
            assert!(zip_parts(&parts, edge).is_ok(), "{edge}");
        }
    }
}
