//! `lapa check`: everything `build` validates, plus what a reader or an auditor would
//! trip over: links and anchors that lead nowhere, images without alt text, funded pages
//! without a complete funding block, photos that cannot be read. Writes nothing (new
//! photos are only decoded, not processed into the cache). With `--external`, also the
//! links to other websites ([`external`]); without it, no network at all.

pub mod external;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use crate::build;
use crate::error::{Diagnostic, Diagnostics};
use crate::funding;
use crate::render::Rendered;
use crate::site::{ProjectId, Site, Urls};

/// Check the site, and its links to other websites when `external` is given; the
/// problems, sorted (errors and warnings).
pub fn check(options: &build::Options, external: Option<&external::Settings>) -> Diagnostics {
    let mut options = options.clone();
    options.process_photos = false;
    let build::Rendering {
        site,
        rendered,
        photos,
        ..
    } = match build::render(&options) {
        Ok(r) => r,
        Err(problems) => return problems,
    };
    let mut problems = photos.problems;
    source_problems(&site, &mut problems);
    let output = Output::new(&site, &rendered);
    link_problems(&site, &output, &mut problems);
    funding_problems(&site, &output, &mut problems);
    if let Some(settings) = external {
        problems.extend(external::problems(&site.external_links, settings));
    }
    problems.sorted()
}

/// The rendered site, indexed for lookups.
struct Output<'a> {
    urls: Urls,
    /// Output path → HTML text (HTML files only).
    html: HashMap<&'a str, &'a str>,
    /// Every output path, files and copies.
    paths: HashSet<&'a str>,
    /// Output path → the source file it was made from.
    sources: HashMap<String, PathBuf>,
}

impl<'a> Output<'a> {
    fn new(site: &Site, rendered: &'a Rendered) -> Output<'a> {
        let urls = Urls::new(site.config.base_url.clone(), site.config.default_language());
        let html = rendered
            .files
            .iter()
            .filter(|f| f.path.ends_with(".html"))
            .filter_map(|f| {
                std::str::from_utf8(&f.bytes)
                    .ok()
                    .map(|t| (f.path.as_str(), t))
            })
            .collect();
        let paths = rendered
            .files
            .iter()
            .map(|f| f.path.as_str())
            .chain(rendered.copies.iter().map(|c| c.to.as_str()))
            .collect();
        let mut sources: HashMap<String, PathBuf> = site
            .pages
            .iter()
            .map(|p| (p.output.clone(), p.file.clone()))
            .collect();
        for p in &site.projects {
            for lang in &site.config.languages {
                sources.insert(urls.output_file(&urls.project(lang, &p.id)), p.file.clone());
            }
        }
        Output {
            urls,
            html,
            paths,
            sources,
        }
    }

    /// The output file a site path leads to, if the site has it.
    fn target(&self, site_path: &str) -> Option<&str> {
        let rel = site_path.strip_prefix(self.urls.base_path())?;
        let rel = crate::markdown::percent_decode(rel);
        let candidates = [
            rel.clone(),
            format!("{rel}index.html"),
            format!("{rel}/index.html"),
        ];
        candidates
            .into_iter()
            .find_map(|c| self.paths.get(c.as_str()).copied())
    }

    fn file_of(&self, output: &str) -> PathBuf {
        self.sources
            .get(output)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(format!("public/{output}")))
    }
}

fn source_problems(site: &Site, problems: &mut Diagnostics) {
    let default = site.config.default_language();
    let keys: HashSet<String> = site.pages.iter().map(|p| p.rel.clone()).collect();
    for page in &site.pages {
        let at = |line: usize| line + page_body_offset(page);
        for &line in &page.body.images_without_alt {
            problems.push(
                Diagnostic::new(&page.file, "an image has no alt text: write what it shows, e.g. ![Kursa dalībnieki Budapeštā](foto.jpg)")
                    .at(at(line), None),
            );
        }
        for &line in &page.body.scripts {
            problems.push(
                Diagnostic::new(&page.file, "raw HTML here runs a script (<script>, javascript: or an on…= handler): check it is meant to be there")
                    .at(at(line), None)
                    .warning(),
            );
        }
        if let Some(cover) = &page.cover
            && cover.alt.as_deref().is_none_or(|a| a.trim().is_empty())
        {
            problems.push(Diagnostic::new(&page.file, "the cover has no `alt:`: describe the picture, e.g. `cover: { src: foto.jpg, alt: \"Kursa dalībnieki Budapeštā\" }`").at(page.line_of("cover"), None));
        }
        if let Some(cover) = &page.cover
            && let Some(rel) = cover.rel.as_deref()
            && climbs_out(rel)
        {
            problems.push(Diagnostic::new(&page.file, format!("the cover `{rel}` lies outside content/ (its `../` climb above it): put the photo in content/, e.g. beside the report, and name it from there")).at(page.line_of("cover"), None));
        }
        if let Some(m) = &page.mobility {
            for &p in &page.projects {
                let project = &site.projects[p];
                let outside = |d: Option<jiff::civil::Date>| {
                    d.is_some_and(|d| {
                        project.start.is_some_and(|s| d < s) || project.end.is_some_and(|e| d > e)
                    })
                };
                if outside(m.start) || outside(m.end) {
                    problems.push(Diagnostic::new(
                        &page.file,
                        format!(
                            "the mobility ({} – {}) is outside project `{}`'s period ({} – {}): check the dates or the project",
                            m.start.map(|d| d.to_string()).unwrap_or_default(),
                            m.end.map(|d| d.to_string()).unwrap_or_default(),
                            project.id,
                            project.start.map(|d| d.to_string()).unwrap_or_default(),
                            project.end.map(|d| d.to_string()).unwrap_or_default(),
                        ),
                    ).at(page.line_of("mobility"), None));
                }
            }
        }
        if page.lang != default
            && page
                .translations
                .iter()
                .all(|&t| site.pages[t].lang != default)
        {
            let original = page.rel.replace(&format!(".{}.md", page.lang), ".md");
            if !keys.contains(&original) {
                problems.push(Diagnostic::new(
                    &page.file,
                    format!("this translation has no original: expected content/{original} beside it"),
                ).at(1, None));
            }
        }
    }
}

/// Lines in `Rendered` count from the body's first line; the file's count from its first.
fn page_body_offset(page: &crate::site::Page) -> usize {
    page.body_line.saturating_sub(1)
}

fn link_problems(site: &Site, output: &Output, problems: &mut Diagnostics) {
    let mut reported: HashSet<(PathBuf, String)> = HashSet::new();
    for page in &site.pages {
        for (line, url) in &page.body.internal_links {
            if let Some(message) = broken(output, url) {
                reported.insert((page.file.clone(), url.clone()));
                problems.push(
                    Diagnostic::new(&page.file, message).at(line + page_body_offset(page), None),
                );
            }
        }
    }
    let mut pages: Vec<(&&str, &&str)> = output.html.iter().collect();
    pages.sort();
    for (path, html) in pages {
        let file = output.file_of(path);
        for url in attribute_values(html, "href")
            .into_iter()
            .chain(attribute_values(html, "src"))
        {
            if is_relative(&url) {
                if let Some(message) = broken_relative(output, path, &url) {
                    reported.insert((file.clone(), url.clone()));
                    problems.push(Diagnostic::new(
                        &file,
                        format!("{message} (in the page at /{path})"),
                    ));
                }
                continue;
            }
            if !url.starts_with(output.urls.base_path()) && !url.starts_with('#') {
                continue;
            }
            let url = if let Some(fragment) = url.strip_prefix('#') {
                format!(
                    "{}#{fragment}",
                    output.urls.file(path).trim_end_matches("index.html")
                )
            } else {
                url
            };
            if reported.contains(&(file.clone(), url.clone())) {
                continue;
            }
            if let Some(message) = broken(output, &url) {
                reported.insert((file.clone(), url.clone()));
                problems.push(Diagnostic::new(
                    &file,
                    format!("{message} (in the page at /{path})"),
                ));
            }
        }
    }
}

/// Why `url` (a site path, maybe with `#fragment`) leads nowhere, or None.
fn broken(output: &Output, url: &str) -> Option<String> {
    let (path, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (url, None),
    };
    if !path.starts_with(output.urls.base_path()) {
        return None;
    }
    let Some(target) = output.target(path) else {
        return Some(format!("the link {url} leads to no page of the site"));
    };
    let fragment = fragment.filter(|f| !f.is_empty())?;
    let html = output.html.get(target)?;
    let found = attribute_values(html, "id").iter().any(|id| id == fragment);
    (!found).then(|| format!("the link {url} leads to no `#{fragment}` on that page (no heading or element has that id)"))
}

/// Does the path `rel` (under content/, `/`-separated) climb above its start?
fn climbs_out(rel: &str) -> bool {
    let mut depth = 0usize;
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return true,
            },
            _ => depth += 1,
        }
    }
    false
}

/// A link relative to the page it is in (`../x.jpg`): no scheme, not a site path, not
/// only an anchor or a query. lapa writes every link it resolves as a site path, so in a
/// page it is one a Markdown link left as written (it climbed above content/) or raw HTML.
fn is_relative(url: &str) -> bool {
    let scheme = url.find(':').is_some_and(|i| {
        url[..i]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
    });
    !(url.is_empty() || scheme || url.starts_with(['/', '#', '?']))
}

/// Why the relative link `url` in the page at output path `page` leads nowhere, or None.
fn broken_relative(output: &Output, page: &str, url: &str) -> Option<String> {
    let advice = "a link to a file is written relative to the Markdown file, and must lead to a file inside content/";
    let site_url = output.urls.file(page);
    let dir = &site_url[..site_url.rfind('/').map_or(0, |i| i + 1)];
    let base = output.urls.base_path();
    let (path, fragment) = url
        .split_once('#')
        .map_or((url, None), |(p, f)| (p, Some(f)));
    let path = path.split('?').next().unwrap_or_default();
    let joined = format!("{dir}{path}");
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.strip_prefix(base).unwrap_or(&joined).split('/') {
        match part {
            "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Some(format!("the link {url} climbs above the site: {advice}"));
                }
            }
            p => parts.push(p),
        }
    }
    let absolute = format!("{base}{}", parts.join("/"));
    let with_fragment = match fragment {
        Some(f) => format!("{absolute}#{f}"),
        None => absolute.clone(),
    };
    broken(output, &with_fragment)
        .map(|_| format!("the link {url} (so {absolute}) leads to no file of the site: {advice}"))
}

/// The values of every `name="…"` attribute in `html`, with `&amp;` decoded.
fn attribute_values(html: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    html.match_indices(&needle)
        .filter_map(|(i, m)| {
            let rest = &html[i + m.len()..];
            let end = rest.find('"')?;
            Some(rest[..end].replace("&amp;", "&"))
        })
        .collect()
}

fn funding_problems(site: &Site, output: &Output, problems: &mut Diagnostics) {
    let urls = &output.urls;
    let mut funded: Vec<(String, PathBuf, Vec<ProjectId>, String)> = site
        .pages
        .iter()
        .filter(|p| !p.projects.is_empty())
        .map(|p| {
            (
                p.output.clone(),
                p.file.clone(),
                p.projects.clone(),
                p.lang.clone(),
            )
        })
        .collect();
    for (id, p) in site.projects.iter().enumerate() {
        for lang in &site.config.languages {
            funded.push((
                urls.output_file(&urls.project(lang, &p.id)),
                p.file.clone(),
                vec![id],
                lang.clone(),
            ));
        }
    }
    let default = site.config.default_language();
    for (path, file, projects, lang) in funded {
        let html = output.html.get(path.as_str()).copied().unwrap_or_default();
        for p in projects {
            let Some(f) = site.funded(p, &lang) else {
                continue;
            };
            let statement = crate::escape::html(&funding::statement_text(&f, &lang, default));
            let disclaimer =
                funding::disclaimer_text(&f, &lang, default).map(|d| crate::escape::html(&d));
            let block = funding_block_text(html, f.code);
            let missing = match block {
                None => Some("has no funding block".to_string()),
                Some(b) if !b.contains("<svg") => {
                    Some("has a funding block without the EU emblem".to_string())
                }
                Some(b) if !b.contains(&statement) => Some(format!(
                    "has a funding block without the statement “{statement}”"
                )),
                Some(b) if disclaimer.as_ref().is_some_and(|d| !b.contains(d.as_str())) => {
                    Some("has a funding block without the programme's disclaimer".to_string())
                }
                Some(_) => None,
            };
            if let Some(what) = missing {
                problems.push(Diagnostic::new(
                    &file,
                    format!("the page /{path} {what} for project {} (data-eu-funding=\"{}\"): the theme must not replace the block lapa puts in", site.projects[p].id, f.code),
                ));
            }
        }
    }
}

/// The text of the element marked `data-eu-funding="CODE"`, up to the next block or the page's end.
fn funding_block_text<'h>(html: &'h str, code: &str) -> Option<&'h str> {
    let code = crate::escape::html(code);
    let marker = format!("data-eu-funding=\"{code}\"");
    let start = html.find(&marker)?;
    let rest = &html[start..];
    let end = rest[marker.len()..]
        .find("data-eu-funding=")
        .map_or(rest.len(), |i| i + marker.len());
    Some(&rest[..end])
}
