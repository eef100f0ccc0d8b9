//! tongbao: one YAML description of an inspection quarter → the quarterly 通报 as DOCX and PDF.
//!
//! The modules follow the pipeline, one direction only:
//! `load` (YAML → model) → `score` (results) → `compose` (templates → [`ir::Document`])
//! → `zh` (script conversion) → `docx` / `layout` → `pdf`.

pub mod fonts;
pub mod ir;
pub mod layout;
pub mod pdf;
