//! Inputs that only templates read, read by none of this document's: `document.basis` (the
//! 依据文件 of the default opening), `document.area` (the 范围 of the default title and
//! opening) and each entry of `data:`. A file that writes its own opening keeps its `basis:`
//! out of the circular with no word; now that is a 警告 at the input, saying what to write.
//!
//! What a document's templates name is read from the text of those it rendered (inline ones,
//! the file templates, the partials they include): a name inside `{{…}}`.

use std::path::Path;

use crate::diag::{pos, Diagnostic, Pos, Report};
use crate::model::Quarter;

/// Every `*.hbs` file under `dir` by its template name (its path below `dir` without the
/// extension, `/` between folders), as handlebars registers a template directory.
pub fn dir_sources(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    collect(dir, "", &mut out);
    out.sort();
    out
}

fn collect(dir: &Path, prefix: &str, out: &mut Vec<(String, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if path.is_dir() {
            collect(&path, &format!("{prefix}{stem}/"), out);
        } else if path.extension().is_some_and(|x| x == "hbs") {
            if let Ok(text) = std::fs::read_to_string(&path) {
                out.push((format!("{prefix}{stem}"), text));
            }
        }
    }
}

/// The expressions (`{{…}}` contents) of `rendered` and of every partial it includes, found
/// in `sources` by name.
fn expressions(rendered: &str, sources: &[(String, String)]) -> Vec<String> {
    let mut texts = vec![rendered];
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    while let Some(text) = texts.pop() {
        for e in super::context::expressions(text) {
            let expr = e.trim_start_matches(['{', '#', '/', '~', '^']);
            if let Some(partial) = expr.strip_prefix('>') {
                let name = partial.split_whitespace().next().unwrap_or("");
                if !seen.contains(&name) {
                    if let Some((_, t)) = sources.iter().find(|(n, _)| n == name) {
                        texts.push(t);
                    }
                    seen.push(name);
                }
            }
            out.push(expr.to_string());
        }
    }
    out
}

/// Whether an expression names `word` as one segment of a path (`document.basis`,
/// `(join basis)`), or, for a `data` entry, anywhere (`data.[县(区)]`).
fn names(expr: &str, word: &str) -> bool {
    expr.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .any(|w| w == word)
        || expr.contains(&format!("[{word}]"))
}

/// Whether an expression names `data` itself (`{{#each data}}`), so every entry of it.
fn names_all_data(expr: &str) -> bool {
    expr.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .any(|w| w == "data")
}

/// Warn of each template-only input that no rendered template names.
pub fn check(
    q: &Quarter,
    rendered: &str,
    sources: &[(String, String)],
    source: &str,
    report: &mut Report,
) {
    let doc = &q.document;
    let has_basis = doc.basis.as_ref().is_some_and(|b| !b.value.is_empty());
    let has_data = q.data.as_ref().is_some_and(|d| d.is_object());
    if !has_basis && doc.area.is_none() && !has_data {
        return;
    }
    let exprs = expressions(rendered, sources);
    let named = |word: &str| exprs.iter().any(|e| names(e, word));
    let all_data = exprs.iter().any(|e| names_all_data(e));
    if let Some(basis) = doc.basis.as_ref().filter(|_| has_basis && !named("basis")) {
        report.push(
            Diagnostic::warning(
                pos(basis),
                "document.basis",
                "依据文件（basis）没有印进通报：所用的模板都不引用 document.basis（自己写了 opening 时，默认开头不再使用）",
            )
            .with_hint("在 opening 里写 {{#each document.basis}}{{this}}{{/each}}，或删去 basis"),
        );
    }
    if let Some(area) = doc.area.as_ref().filter(|_| !named("area")) {
        report.push(
            Diagnostic::warning(
                pos(area),
                "document.area",
                format!(
                    "范围（area: {}）没有印进通报：所用的模板都不引用 document.area（写了 title 和 opening 时，默认标题和开头不再使用）",
                    area.value
                ),
            )
            .with_hint("在标题或正文里写 {{document.area}}，或删去 area"),
        );
    }
    if let Some(serde_json::Value::Object(entries)) = q.data.as_ref().filter(|_| !all_data) {
        for key in entries.keys().filter(|k| !named(k)) {
            report.push(
                Diagnostic::warning(
                    data_entry(source, key),
                    format!("data.{key}"),
                    format!("data 中的“{key}”没有印进通报：所用的模板都不引用 data.{key}"),
                )
                .with_hint(format!("在正文里写 {{{{data.{key}}}}}，或删去这一项")),
            );
        }
    }
}

/// Where `key:` is written under `data:`: among the entries at the first entry's indent, or
/// in `data: {…}` written on one line.
fn data_entry(source: &str, key: &str) -> Pos {
    let mut lines = source.lines().enumerate();
    let Some((at, head)) = lines.find(|(_, l)| l.starts_with("data:")) else {
        return Pos::default();
    };
    let is_key = |body: &str| {
        let bare = body.trim_start_matches(['"', '\'']);
        bare.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start_matches(['"', '\'']).starts_with(':'))
    };
    if let Some(b) = head.find('{') {
        // Flow style: the key inside the braces, else the line.
        let inner = &head[b..];
        let column = inner
            .match_indices(key)
            .find(|(k, _)| is_key(&inner[*k..]))
            .map_or(1, |(k, _)| head[..b + k].chars().count() as u64 + 1);
        return Pos::new(at as u64 + 1, column);
    }
    let mut indent = None;
    for (i, line) in lines {
        let body = line.trim_start();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let depth = line.len() - body.len();
        if depth == 0 {
            break;
        }
        if *indent.get_or_insert(depth) == depth && is_key(body) {
            return Pos::new(i as u64 + 1, line[..depth].chars().count() as u64 + 1);
        }
    }
    Pos::new(at as u64 + 1, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_a_template() {
        let sources = vec![("overview".to_string(), "{{document.area}}".to_string())];
        let exprs = expressions(
            "根据{{#each document.basis}}{{this}}{{/each}}{{> overview}}",
            &sources,
        );
        assert!(exprs.iter().any(|e| names(e, "basis")));
        assert!(
            exprs.iter().any(|e| names(e, "area")),
            "through the partial: {exprs:?}"
        );
        assert!(!exprs.iter().any(|e| names(e, "data")));
        assert!(names("percent data.问政.回复 data.问政.受理", "问政"));
        assert!(names("data.[县(区)]", "县(区)"));
        assert!(!names("document.basisx", "basis"));
    }

    #[test]
    fn the_place_of_a_data_entry() {
        let source = "document: {}\ndata:\n  问政:\n    受理: 3\n  受理: 9\n  \"信息公开\": 5\nsections: []\n";
        assert_eq!(data_entry(source, "问政"), Pos::new(3, 3));
        // The entry, not the key of the same name inside another.
        assert_eq!(data_entry(source, "受理"), Pos::new(5, 3));
        assert_eq!(data_entry(source, "信息公开"), Pos::new(6, 3));
        assert_eq!(data_entry(source, "其他"), Pos::new(2, 1));
        assert_eq!(
            data_entry("data: {问政: 3, 受理: 2}\n", "受理"),
            Pos::new(1, 15)
        );
    }

    #[test]
    fn each_over_data_names_every_entry() {
        let exprs = expressions("{{#each data}}{{@key}}{{this}}{{/each}}", &[]);
        assert!(exprs.iter().any(|e| names_all_data(e)));
        assert!(!names_all_data("data.问政.受理"));
        assert!(!names_all_data("percent data.问政.回复 data.问政.受理"));
        assert!(names_all_data("len data"));
    }
}
