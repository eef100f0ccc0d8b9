//! The record of the layout's decisions: what a backend that does not draw the pages itself
//! (the DOCX, where the word processor sets the lines) needs to set the document as the PDF
//! shows it. Lengths in pt; x from the left edge of the type area.

use super::TableGeometry;

/// Every decision [`layout`](super::layout) made that the DOCX carries.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Record {
    /// The 发文机关标志, when the 版头 has one.
    pub mark: Option<Mark>,
    /// Grid line (0-based) of page 1 holding the 发文字号.
    pub doc_number_line: Option<usize>,
    /// Grid line (0-based) of page 1 where the title starts.
    pub title_line: usize,
    /// The main title's lines, as broken.
    pub title: Vec<String>,
    /// Per 附件说明 entry: where its first line and its continuation lines start.
    pub attachment_note: Vec<Hang>,
    pub signature: Option<Signature>,
    /// The 附注 (first line two characters in).
    pub note: Option<Hang>,
    pub attachments: Vec<AttachmentRecord>,
    /// Each table of the attachments, in document order.
    pub tables: Vec<TableGeometry>,
    pub colophon: Option<ColophonRecord>,
    /// Runs of pages set alike, in order; the first starts on page 1.
    pub sections: Vec<Section>,
    /// Per page, its printed number (None: unnumbered).
    pub page_numbers: Vec<Option<u32>>,
}

/// Size and letter-spacing of the 发文机关标志.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mark {
    pub size: f32,
    /// Extra space after each character but the last.
    pub tracking: f32,
    /// Upper edge of the em box below the type-area top.
    pub top: f32,
    /// Grid lines from the type-area top down to its lower edge (rounded up).
    pub lines: usize,
}

/// Left indents of a paragraph's first line and of its other lines.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hang {
    pub first: f32,
    pub rest: f32,
}

/// Where the 署名 and the 成文日期 start.
#[derive(Debug, Clone, PartialEq)]
pub struct Signature {
    pub sealed: bool,
    /// The 署名's lines and where each starts: one line, or several when the name is longer
    /// than a line can hold with its 右空二字 (each line then ends there).
    pub issuer: Vec<(String, f32)>,
    pub date_x: f32,
    /// Blank grid lines between the body and the 署名.
    pub blank_lines: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AttachmentRecord {
    /// 1-based page where the attachment starts.
    pub page: usize,
    pub landscape: bool,
    /// Its title's lines, as broken.
    pub title: Vec<String>,
    /// Each of its paragraphs, in order.
    pub paragraphs: Vec<ParagraphRecord>,
}

/// A paragraph of an attachment (a table's note hangs after 注：).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParagraphRecord {
    pub hang: Hang,
    /// On the page of the paragraph after it (the items of a note stay together).
    pub keep_with_next: bool,
}

/// A 版记 rule: its distance from the page top and its width.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ColophonRule {
    pub y: f32,
    pub width: f32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ColophonRecord {
    /// 1-based page holding it (always even).
    pub page: usize,
    /// It has that page to itself (a page break before it).
    pub own_page: bool,
    /// A blank page precedes it.
    pub blank_before: bool,
    /// Grid line (0-based) of its first text line; its lines fill the page to the last.
    pub first_line: usize,
    /// Blank grid lines between what precedes it on its page and its first line.
    pub gap: usize,
    /// What precedes it on its page ends this far (pt) above the next grid line (a table ends
    /// between grid lines; 0 after text): the `gap` blank lines start below this space.
    pub off_grid: f32,
    /// The 抄送 lines: one character in; wrapped lines align after “抄送：”.
    pub cc: Option<Hang>,
    /// The 印发 line: the printer one character in, the date ending one character in.
    pub printer_x: f32,
    pub date_right: f32,
    /// Top to bottom: 0.35 mm, 0.25 mm between 抄送 and 印发, 0.35 mm on the type-area bottom.
    pub rules: Vec<ColophonRule>,
}

/// How a run of pages starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// The first section.
    Document,
    /// On the next page.
    NextPage,
    /// On the next even page (the 版记's own page).
    EvenPage,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Section {
    /// 1-based first page.
    pub page: usize,
    pub landscape: bool,
    pub start: Start,
}
