//! Links between content files: the table a Markdown link is looked up in, and what a
//! body's links tell (broken ones, links to other websites).

//! From loaded sources to a [`Site`]: URLs, projects, translations, taxonomies, links.

use super::*;
use crate::msg;

impl Ctx<'_> {
    /// The table a Markdown link to a content file is looked up in.
    pub(super) fn links(
        &self,
        pages: &[Step<'_, '_>],
        projects: &[Project],
        sections: &[Section],
        index_src: &[(&Arc<Source>, &String, &IndexFront)],
        home_src: &[(&Source, &IndexFront)],
    ) -> Links {
        let mut links = Links {
            urls: self.urls.clone(),
            by_rel: HashMap::with_capacity(pages.len()),
            by_key: HashMap::with_capacity(pages.len()),
        };
        for p in pages {
            let source = p.source();
            links.add(&source.rel, &source.key, &source.lang, p.url().to_string());
        }
        let languages = &self.config.languages;
        for p in projects {
            let key = format!("projects/{}", p.id);
            for l in languages {
                links.add(&format!("{key}.md"), &key, l, self.urls.project(l, &p.id));
            }
        }
        for (source, name, _) in index_src {
            if let Some(section) = sections.iter().find(|s| &s.name == *name) {
                for l in languages {
                    links.add(
                        &source.rel,
                        &source.key,
                        l,
                        self.urls.section(l, &section.slug),
                    );
                }
            }
        }
        for (source, _) in home_src {
            for l in languages {
                links.add(&source.rel, &source.key, l, self.urls.home(l));
            }
        }
        links
    }
}

/// Passes lookups on to [`Links`], writing down each one and its answer.
pub(super) struct Recording<'a> {
    pub(super) links: &'a Links,
    pub(super) lookups: RefCell<Vec<(String, String, Option<String>)>>,
}

impl LinkResolver for Recording<'_> {
    fn page_url(&self, rel: &str, lang: &str) -> Option<String> {
        let url = self.links.page_url(rel, lang);
        self.lookups
            .borrow_mut()
            .push((rel.to_string(), lang.to_string(), url.clone()));
        url
    }

    fn asset_url(&self, rel: &str) -> String {
        self.links.asset_url(rel)
    }

    fn base_path(&self) -> &str {
        self.links.base_path()
    }
}

/// Looks up where a Markdown link to a content file leads.
#[derive(Debug)]
pub(super) struct Links {
    urls: Urls,
    /// A file under `content/` → its translation key and its own language.
    by_rel: HashMap<String, (String, String)>,
    /// A translation key → (language, URL) of each version.
    by_key: HashMap<String, Vec<(String, String)>>,
}

impl Links {
    pub(super) fn add(&mut self, rel: &str, key: &str, lang: &str, url: String) {
        self.by_rel
            .entry(rel.to_string())
            .or_insert_with(|| (key.to_string(), lang.to_string()));
        let group = self.by_key.entry(key.to_string()).or_default();
        if !group.iter().any(|(l, _)| l == lang) {
            group.push((lang.to_string(), url));
        }
    }
}

impl LinkResolver for Links {
    /// The linked file's version in `lang` when there is one, else the file itself.
    fn page_url(&self, rel: &str, lang: &str) -> Option<String> {
        let (key, own_lang) = self.by_rel.get(rel)?;
        let group = self.by_key.get(key)?;
        group
            .iter()
            .find(|(l, _)| l == lang)
            .or_else(|| group.iter().find(|(l, _)| l == own_lang))
            .map(|(_, url)| url.clone())
    }

    fn asset_url(&self, rel: &str) -> String {
        self.urls.file(rel)
    }

    fn base_path(&self) -> &str {
        self.urls.base_path()
    }
}

/// The broken links in `body` (of `file`, whose body starts at `body_line`) as errors, and
/// the links a script would have followed, dropped, as warnings, at their lines.
pub(super) fn report_broken(
    body: &Rendered,
    file: &Path,
    body_line: usize,
    problems: &mut Diagnostics,
) {
    for (line, message) in &body.broken {
        problems.push(
            Diagnostic::new(file.to_path_buf(), message.clone()).at(line + body_line - 1, None),
        );
    }
    for (line, url) in &body.dropped_links {
        let shown: String = url.chars().take(60).collect();
        problems.push(
            Diagnostic::new(
                file.to_path_buf(),
                msg!("link-script-dropped", shown = shown),
            )
            .at(line + body_line - 1, None)
            .warning(),
        );
    }
}

/// The links in `body` (of `file`, whose body starts at `body_line`) that lead to other
/// websites, at their lines in the file.
pub(super) fn note_external(
    body: &Rendered,
    file: &Path,
    body_line: usize,
    links: &mut Vec<ExternalLink>,
) {
    links.extend(body.external_links.iter().map(|(line, url)| ExternalLink {
        file: file.to_path_buf(),
        line: line + body_line - 1,
        url: url.clone(),
    }));
}
