//! Where an imported post goes: its file under `content/`, its new URL, and the old
//! addresses kept as aliases.

use std::collections::HashSet;

use super::RESERVED;
use super::index::Index;
use super::wxr::Item;

pub fn lang_prefix(lang: &str, default: &str) -> String {
    if lang == default {
        String::new()
    } else {
        format!("/{lang}")
    }
}

/// A page's file and new URL path: a top-level page is a plain page; a page with
/// children becomes a section (its text the section's `_index.md`) holding them.
pub fn page_path(
    item: &Item,
    slug: &str,
    index: &Index,
    suffix: &str,
    lang: &str,
    default_lang: &str,
) -> (String, String) {
    let mut chain = Vec::new();
    let mut parent = item.parent;
    let mut seen = HashSet::new();
    while parent != 0 && seen.insert(parent) {
        match index.pages.get(&parent) {
            Some((s, p)) => {
                chain.push(s.clone());
                parent = *p;
            }
            None => break,
        }
    }
    chain.reverse();
    let prefix = lang_prefix(lang, default_lang);
    let top = |s: &str| {
        if RESERVED.contains(&s) {
            format!("{s}-lapa")
        } else {
            s.to_string()
        }
    };
    match chain.first() {
        None if index.parents.contains(&item.id) => (
            format!("{}/_index{suffix}.md", top(slug)),
            format!("{prefix}/{}/", top(slug)),
        ),
        None => (
            format!("{}{suffix}.md", top(slug)),
            format!("{prefix}/{}/", top(slug)),
        ),
        Some(root) => {
            let mut parts: Vec<String> = vec![top(root)];
            parts.extend(chain[1..].iter().cloned());
            let folder = parts.join("/");
            (
                format!("{folder}/{slug}{suffix}.md"),
                format!("{prefix}/{}/{slug}/", top(root)),
            )
        }
    }
}

/// `https://skola.lv/sub` → `https://skola.lv`.
pub fn origin_of(base: &str) -> String {
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    match base[scheme_end..].find('/') {
        Some(i) => base[..scheme_end + i].to_string(),
        None => base.trim_end_matches('/').to_string(),
    }
}

/// The post's old path from its `<link>`, and `/?p=ID`.
pub fn old_paths(item: &Item, origin: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let link = item.link.trim();
    let rest = link.strip_prefix(origin).or_else(|| {
        let other = if origin.starts_with("https://") {
            origin.replacen("https://", "http://", 1)
        } else {
            origin.replacen("http://", "https://", 1)
        };
        link.strip_prefix(other.as_str())
    });
    if let Some(rest) = rest
        && rest.starts_with('/')
        && !rest.starts_with("/?")
        && rest.len() > 1
    {
        let decoded = percent_encoding::percent_decode_str(rest).decode_utf8_lossy();
        if !on_lapas_own_pages(&decoded) {
            paths.push(decoded.into_owned());
        }
    }
    if item.id != 0 {
        paths.push(format!("/?p={}", item.id));
    }
    paths
}

/// `/tags/…`, `/archive/…`, `/atom.xml` and the like, also under `/LANG/`: lapa's own
/// pages are there, and an alias may not claim them.
fn on_lapas_own_pages(path: &str) -> bool {
    let mut parts = path.trim_start_matches('/').split('/');
    let mut first = parts.next().unwrap_or("");
    if first.len() == 2 && first.bytes().all(|b| b.is_ascii_lowercase()) {
        first = parts.next().unwrap_or("");
    }
    RESERVED.contains(&first)
        || matches!(
            first,
            "atom.xml" | "sitemap.xml" | "robots.txt" | "404.html"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_paths_on_lapas_own_pages_are_not_aliases() {
        let item = |link: &str| Item {
            link: link.to_string(),
            id: 7,
            ..Item::default()
        };
        assert_eq!(
            old_paths(
                &item("https://skola.lv/2024/03/28/m%C4%81c%C4%ABbas/"),
                "https://skola.lv"
            ),
            ["/2024/03/28/mācības/", "/?p=7"]
        );
        for own in [
            "https://skola.lv/archive/",
            "https://skola.lv/tags/erasmus/",
            "https://skola.lv/en/projects/",
            "https://skola.lv/atom.xml",
        ] {
            assert_eq!(
                old_paths(&item(own), "https://skola.lv"),
                ["/?p=7"],
                "{own}"
            );
        }
    }
}
