//! The site's projects as the importer sees them: the codes already in
//! `content/projects/`, and a new project file for a code no project has.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use crate::error::Diagnostic;
use crate::slug;

use super::item::cap;
use super::write::create_new;
use super::{front, funding};

/// Codes of the projects in `content/projects/`, each with its id.
pub fn existing_projects(content: &Path) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    let Ok(dir) = std::fs::read_dir(content.join("projects")) else {
        return map;
    };
    for entry in dir.flatten() {
        let path = entry.path();
        let (Some(stem), Some("md")) = (
            path.file_stem().and_then(|s| s.to_str()),
            path.extension().and_then(|s| s.to_str()),
        ) else {
            continue;
        };
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let Ok(split) = crate::content::frontmatter::split(&text, &path) else {
            continue;
        };
        if let Ok(value) = crate::yaml::from_str::<serde_json::Value>(split.front, &path)
            && let Some(code) = value.get("code").and_then(|c| c.as_str())
        {
            map.insert(code.to_string(), stem.to_string());
        }
    }
    map
}

/// Write `content/projects/ID.md` for a code no project has; the id from its title.
pub fn new_project(
    content: &Path,
    code: &funding::FoundCode,
    planned: &mut HashSet<PathBuf>,
    dry_run: bool,
) -> Result<String, Diagnostic> {
    let title = code
        .title
        .clone()
        .unwrap_or_else(|| format!("Projekts {}", code.code));
    let base = cap(match slug::slugify(&title) {
        s if s.is_empty() => slug::slugify(&code.code),
        s => s,
    });
    let mut id = base.clone();
    let mut n = 2;
    loop {
        let path = content.join("projects").join(format!("{id}.md"));
        if !path.exists() && !planned.contains(&path) {
            let text = format!(
                "---\n# Made by `lapa import wordpress` from a post that named this project's code.\n# Check the title, and add beneficiary, agency, start and end.\ntitle: {}\ncode: {}\nprogramme: {}\n---\n",
                front::quote(&title),
                front::quote(&code.code),
                code.programme
            );
            if !dry_run {
                create_new(&path, text.as_bytes()).map_err(|d| {
                    d.into_iter()
                        .next()
                        .unwrap_or_else(|| Diagnostic::new(&path, "cannot write this file"))
                })?;
            }
            planned.insert(path);
            return Ok(id);
        }
        id = format!("{base}-{n}");
        n += 1;
    }
}
