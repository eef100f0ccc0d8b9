//! Partial nesting, checked before anything is rendered: handlebars expands `{{> name}}`
//! recursively with no limit of its own (it refuses only a template including itself), so
//! `a.hbs` → `b.hbs` → `a.hbs` overflowed the stack. Every template's partials are read from
//! its parsed form; a cycle, a chain deeper than [`MAX_DEPTH`] or a partial named by an
//! expression (which cannot be followed before rendering) is an error naming the templates.

use std::collections::{BTreeMap, BTreeSet};

use handlebars::template::{Parameter, Template, TemplateElement};
use handlebars::Handlebars;

/// Deepest chain of partials (the shipped templates use one level).
pub const MAX_DEPTH: usize = 16;

/// The partials each template (and each inline partial it defines) includes.
fn graph(hb: &Handlebars) -> Result<BTreeMap<String, BTreeSet<String>>, String> {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, t) in hb.get_templates() {
        collect(name, t, &mut edges)?;
    }
    Ok(edges)
}

fn collect(
    from: &str,
    t: &Template,
    edges: &mut BTreeMap<String, BTreeSet<String>>,
) -> Result<(), String> {
    edges.entry(from.to_string()).or_default();
    for e in &t.elements {
        match e {
            TemplateElement::PartialExpression(d) | TemplateElement::PartialBlock(d) => {
                let name = match &d.name {
                    Parameter::Literal(j) => j.as_str().map(str::to_string),
                    other => other.as_name().map(str::to_string),
                };
                let Some(name) = name else {
                    return Err(format!(
                        "模板“{from}”用表达式指定要引入的模板（{{{{> (…)}}}}）：不支持，请直接写模板名"
                    ));
                };
                edges.entry(from.to_string()).or_default().insert(name);
                if let Some(inner) = &d.template {
                    collect(from, inner, edges)?;
                }
            }
            TemplateElement::DecoratorBlock(d) => {
                // {{#*inline "name"}}…{{/inline}} defines a partial: a node of its own.
                let inline = d.name.as_name() == Some("inline");
                let defined = d.params.first().and_then(|p| match p {
                    Parameter::Literal(j) => j.as_str().map(str::to_string),
                    _ => None,
                });
                if let Some(inner) = &d.template {
                    match (inline, defined) {
                        (true, Some(name)) => collect(&name, inner, edges)?,
                        _ => collect(from, inner, edges)?,
                    }
                }
            }
            TemplateElement::HelperBlock(h) => {
                for inner in [&h.template, &h.inverse].into_iter().flatten() {
                    collect(from, inner, edges)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Every chain of partials ends, within [`MAX_DEPTH`].
pub fn check(hb: &Handlebars) -> Result<(), String> {
    let edges = graph(hb)?;
    // Depth of the longest chain from each template, computed once (memo); `path` is the
    // chain being followed, to name a cycle.
    let mut depth: BTreeMap<&str, usize> = BTreeMap::new();
    fn visit<'a>(
        name: &'a str,
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        depth: &mut BTreeMap<&'a str, usize>,
        path: &mut Vec<&'a str>,
    ) -> Result<usize, String> {
        if let Some(&d) = depth.get(name) {
            return Ok(d);
        }
        if let Some(start) = path.iter().position(|p| *p == name) {
            let mut cycle: Vec<&str> = path[start..].to_vec();
            cycle.push(name);
            return Err(format!(
                "模板互相引入，形成循环：{}（请删去其中一处 {{{{> …}}}}）",
                cycle.join(" → ")
            ));
        }
        if path.len() > MAX_DEPTH {
            return Err(format!(
                "模板逐层引入超过 {MAX_DEPTH} 层：{} → …",
                path.join(" → ")
            ));
        }
        path.push(name);
        let mut d = 0;
        for next in edges.get(name).into_iter().flatten() {
            d = d.max(visit(next, edges, depth, path)? + 1);
        }
        path.pop();
        if d > MAX_DEPTH {
            return Err(format!(
                "模板“{name}”逐层引入超过 {MAX_DEPTH} 层，请减少嵌套"
            ));
        }
        depth.insert(name, d);
        Ok(d)
    }
    for name in edges.keys() {
        visit(name, &edges, &mut depth, &mut Vec::new())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hb(templates: &[(&str, &str)]) -> Handlebars<'static> {
        let mut hb = Handlebars::new();
        for (name, text) in templates {
            hb.register_template_string(name, text).unwrap();
        }
        hb
    }

    #[test]
    fn cycles_are_named() {
        let e = check(&hb(&[("a", "A{{> b}}"), ("b", "B{{#if x}}{{> a}}{{/if}}")])).unwrap_err();
        assert!(e.contains("a → b → a"), "{e}");
        let e = check(&hb(&[(
            "t",
            "{{#*inline \"p\"}}{{> q}}{{/inline}}{{#*inline \"q\"}}{{> p}}{{/inline}}{{> p}}",
        )]))
        .unwrap_err();
        assert!(e.contains("p → q → p"), "{e}");
    }

    #[test]
    fn depth_is_bounded_and_dynamic_names_refused() {
        let chain: Vec<(String, String)> = (0..=MAX_DEPTH + 1)
            .map(|i| (format!("t{i:02}"), format!("{{{{> t{:02}}}}}", i + 1)))
            .collect();
        let refs: Vec<(&str, &str)> = chain
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        assert!(check(&hb(&refs)).unwrap_err().contains("超过 16 层"));
        let short: Vec<(&str, &str)> = refs[refs.len() - 4..].to_vec();
        assert!(check(&hb(&short)).is_ok());
        let e = check(&hb(&[("a", "{{> (lookup this \"n\")}}")])).unwrap_err();
        assert!(e.contains("表达式"), "{e}");
    }

    #[test]
    fn the_shipped_templates_pass() {
        let t = crate::compose::Templates::new(None).unwrap();
        assert!(check(&t.hb).is_ok());
    }
}
