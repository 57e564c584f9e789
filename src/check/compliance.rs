//! What an auditor reads beyond the funding block's presence: a project page's aims and
//! results (Article 50 of Regulation (EU) 2021/1060), the authority the disclaimer names,
//! a site's own styling of the block (Annex IX), and the accessibility statement.
//! Everything here is a warning: the site still builds.

use std::path::{Path, PathBuf};

use crate::config::CONFIG_FILE;
use crate::config::{Compliance, parse_date};
use crate::error::{Diagnostic, Diagnostics};
use crate::funding::{self, GrantingAuthority};
use crate::localized::Localized;
use crate::site::Site;

/// Every compliance warning for `site`.
pub fn problems(site: &Site, problems: &mut Diagnostics) {
    aims_and_results(site, problems);
    authorities(site, problems);
    block_styles(&site.config.root, &site.config.theme, problems);
    accessibility_statement(site, problems);
}

/// Words that mark a heading as the aims, or the results (any language lapa ships).
const AIMS: &[&str] = &["mērķ", "merk", "aim", "objective", "goal"];
const RESULTS: &[&str] = &["rezultāt", "rezultat", "result", "outcome"];

/// A project funded by a programme with `aims_and_results` must have a heading for each.
fn aims_and_results(site: &Site, problems: &mut Diagnostics) {
    for p in &site.projects {
        let Some(programme) = site.config.programmes.get(&p.programme) else {
            continue;
        };
        if !programme.aims_and_results {
            continue;
        }
        let headings = headings(&p.body.html);
        let has = |marks: &[&str]| headings.iter().any(|h| marks.iter().any(|m| h.contains(m)));
        let mut missing = Vec::new();
        if !has(AIMS) {
            missing.push("`## Mērķi` (aims)");
        }
        if !has(RESULTS) {
            missing.push("`## Rezultāti` (results)");
        }
        if !missing.is_empty() {
            problems.push(
                Diagnostic::new(
                    &p.file,
                    format!(
                        "the project page must describe the project with its aims and results ({} rules, Regulation (EU) 2021/1060 Article 50): add a section {} to this file",
                        programme.name("en"),
                        missing.join(" and a section ")
                    ),
                )
                .warning(),
            );
        }
    }
}

/// The lowercased text of every `<h2>`–`<h6>` in `html`.
fn headings(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<h") {
        rest = &rest[i + 2..];
        let level = rest.as_bytes().first().copied().unwrap_or(b'0');
        if !(b'2'..=b'6').contains(&level) {
            continue;
        }
        let close = format!("</h{}>", level as char);
        let Some(end) = rest.find(&close) else {
            break;
        };
        let inner = &rest[..end];
        let inner = inner.find('>').map_or("", |g| &inner[g + 1..]);
        let mut text = String::new();
        let mut in_tag = false;
        for c in inner.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => text.extend(c.to_lowercase()),
                _ => {}
            }
        }
        out.push(text);
        rest = &rest[end..];
    }
    out
}

/// A national agency code lapa has no name for: the disclaimer says "the national agency".
fn authorities(site: &Site, problems: &mut Diagnostics) {
    let default = site.config.default_language();
    for (id, p) in site.projects_with_ids() {
        let Some(f) = site.funded(id, default) else {
            continue;
        };
        if f.programme.disclaimer.is_none() && p.disclaimer.is_none() {
            continue;
        }
        if let GrantingAuthority::UnknownAgency(code) = funding::granting_authority(&f) {
            problems.push(
                Diagnostic::new(
                    &p.file,
                    format!(
                        "the code names national agency {code}, which lapa has no name for, so the disclaimer says “the national agency ({code})”: write the agency's name in `agency:`"
                    ),
                )
                .warning(),
            );
        }
    }
}

/// The fonts Annex IX of Regulation (EU) 2021/1060 allows for the statement, lowercased,
/// and the generic families a stack may end with.
const FONTS: &[&str] = &[
    "arial",
    "auto",
    "calibri",
    "garamond",
    "trebuchet",
    "trebuchet ms",
    "tahoma",
    "verdana",
    "ubuntu",
];
const GENERIC: &[&str] = &["sans-serif", "serif", "inherit", "initial", "unset"];
const COLOURS: &[&str] = &[
    "#003399", "#039", "#000", "#000000", "black", "#fff", "#ffffff", "white", "inherit",
];

/// CSS in the site's own templates and theme that styles the block against Annex IX.
fn block_styles(root: &Path, theme: &str, problems: &mut Diagnostics) {
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in [
        root.join("templates"),
        root.join("themes").join(theme),
        root.join("content"),
    ] {
        if !dir.is_dir() {
            continue;
        }
        for entry in walkdir::WalkDir::new(&dir).sort_by_file_name() {
            let Ok(entry) = entry else { continue };
            let name = entry.file_name().to_string_lossy();
            let wanted =
                name.ends_with(".css") || (name.ends_with(".html") && !dir.ends_with("content"));
            if entry.file_type().is_file() && wanted {
                files.push(entry.into_path());
            }
        }
    }
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        for (line, why) in style_problems(&text) {
            problems.push(
                Diagnostic::new(
                    &rel,
                    format!("{why}: Annex IX of Regulation (EU) 2021/1060 asks for the statement beside the EU emblem in Arial, Auto, Calibri, Garamond, Trebuchet, Tahoma, Verdana or Ubuntu, upright, not underlined, in Reflex Blue (#003399), black or white; remove the rule or use those values"),
                )
                .at(line, None)
                .warning(),
            );
        }
    }
}

/// Rules for `.eu-funding` or its statement that set a font, colour or effect Annex IX does
/// not allow: (line, what).
fn style_problems(css: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut start = 0;
    while let Some(close) = css[start..].find('}') {
        let chunk = &css[start..start + close];
        let base = start;
        start += close + 1;
        let Some(open) = chunk.rfind('{') else {
            continue;
        };
        let selector = &chunk[..open];
        let selector = selector
            .rfind(['{', ';', '/'])
            .map_or(selector, |i| &selector[i + 1..]);
        let styles_block = selector.split(',').any(|s| {
            let last = s.split_whitespace().last().unwrap_or("");
            last.contains(".eu-funding__statement")
                || last.contains(".eu-funding__emblem-row")
                || last.ends_with(".eu-funding")
                || last.contains(".eu-funding:")
        });
        if !styles_block {
            continue;
        }
        let line = css[..base + open].matches('\n').count() + 1;
        for decl in chunk[open + 1..].split(';') {
            let Some((property, value)) = decl.split_once(':') else {
                continue;
            };
            let property = property.trim().to_ascii_lowercase();
            let value = value
                .trim()
                .trim_end_matches("!important")
                .trim()
                .to_ascii_lowercase();
            if value.contains("var(") {
                // A custom property's value is set elsewhere: lapa cannot tell it here.
                continue;
            }
            let why = match property.as_str() {
                "font-family" => value
                    .split(',')
                    .map(|f| f.trim().trim_matches(['"', '\'']).to_string())
                    .find(|f| !FONTS.contains(&f.as_str()) && !GENERIC.contains(&f.as_str()))
                    .map(|f| format!("`font-family` lists `{f}` for the funding statement")),
                "font" => Some("`font` sets the funding statement's font".to_string()),
                "color" if !COLOURS.contains(&value.as_str()) => {
                    Some(format!("`color: {value}` colours the funding statement"))
                }
                "font-style" if value != "normal" => Some(format!(
                    "`font-style: {value}` slants the funding statement"
                )),
                "text-decoration" | "text-decoration-line" if value != "none" => Some(format!(
                    "`{property}: {value}` decorates the funding statement"
                )),
                "text-shadow" if value != "none" => {
                    Some("`text-shadow` adds an effect to the funding statement".to_string())
                }
                _ => None,
            };
            if let Some(why) = why {
                out.push((line, why));
            }
        }
    }
    out
}

/// site.yaml's `accessibility:` block: present, complete, and reviewed within a year.
fn accessibility_statement(site: &Site, problems: &mut Diagnostics) {
    let file = site.config.root.join(CONFIG_FILE);
    let warn = |problems: &mut Diagnostics, message: String| {
        problems.push(Diagnostic::new(&file, message).warning());
    };
    let Some(a) = &site.config.accessibility else {
        warn(
            problems,
            "site.yaml has no `accessibility:` block, so the site has no accessibility statement made by lapa (a school's website must publish one, reviewed every year): add the block, see docs/site.md, \"The accessibility statement\"".to_string(),
        );
        return;
    };
    let langs = &site.config.languages;
    let blank = |t: &Option<Localized>| match t {
        None => true,
        Some(Localized::One(s)) => s.trim().is_empty(),
        Some(Localized::PerLanguage(m)) => langs
            .iter()
            .any(|l| m.get(l).is_none_or(|s| s.trim().is_empty())),
    };
    let empty = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
    let mut missing: Vec<&str> = Vec::new();
    if a.status.is_none() {
        missing.push("status");
    }
    if a.status != Some(Compliance::Full) {
        if a.not_accessible.as_ref().is_none_or(|l| l.is_blank()) {
            missing.push("not_accessible");
        }
        if blank(&a.alternatives) {
            missing.push("alternatives");
        }
    }
    if a.method.is_none() {
        missing.push("method");
    }
    if blank(&a.assessment) {
        missing.push("assessment");
    }
    if empty(&a.prepared) {
        missing.push("prepared");
    }
    if empty(&a.reviewed) {
        missing.push("reviewed");
    }
    if empty(&a.contact.email) && empty(&a.contact.phone) {
        missing.push("contact");
    }
    if blank(&a.supervisor.name) {
        missing.push("supervisor: name");
    }
    if blank(&a.supervisor.address) {
        missing.push("supervisor: address");
    }
    for key in missing {
        warn(
            problems,
            format!(
                "`accessibility: {key}:` is empty (in some language): the accessibility statement shows “to be filled in” there; write it in site.yaml"
            ),
        );
    }
    if let Ok(Some(reviewed)) = parse_date(a.reviewed.as_deref())
        && let Ok(due) = reviewed.checked_add(jiff::Span::new().years(1))
        && due < site.today
    {
        warn(
            problems,
            format!(
                "`accessibility: reviewed:` is {reviewed}, more than a year before today ({}): review the accessibility statement and write the date of the review",
                site.today
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_are_found_in_rendered_html() {
        let h = headings(
            "<p>x</p><h2 id=\"a\">Projekta <em>Mērķi</em></h2><h1>no</h1><h3>Results</h3>",
        );
        assert_eq!(h, ["projekta mērķi", "results"]);
    }

    #[test]
    fn allowed_styles_pass_and_others_are_named() {
        let ok = ".eu-funding__statement { font-family: Verdana, \"Trebuchet MS\", sans-serif; color: #003399; font-style: normal; text-decoration: none }\n.other { font-family: Comic Sans MS; }";
        assert!(style_problems(ok).is_empty(), "{:?}", style_problems(ok));
        let bad = "p { color: red }\n@media (min-width: 1px) {\n  .site .eu-funding__statement { font-family: \"Comic Sans MS\", Arial; color: #c00; font-style: italic; }\n}";
        let found = style_problems(bad);
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(found.iter().all(|(line, _)| *line == 3), "{found:?}");
        assert!(found[0].1.contains("comic sans ms"), "{found:?}");
        let on_block = ".eu-funding { color: green; }";
        assert_eq!(style_problems(on_block).len(), 1);
        // The default theme's own rules pass.
        let theme = include_str!("../../themes/default/static/style.css");
        assert!(
            style_problems(theme).is_empty(),
            "{:?}",
            style_problems(theme)
        );
    }
}
