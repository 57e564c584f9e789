//! `lapa check`: everything `build` validates, plus what a reader or an auditor would
//! trip over: links and anchors that lead nowhere, images without alt text, funded pages
//! without a complete funding block, photos that cannot be read. Writes nothing (new
//! photos are only decoded, not processed into the cache). With `--external`, also the
//! links to other websites ([`external`]); without it, no network at all.

mod compliance;
pub mod external;

use crate::msg;
use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use crate::build;
use crate::build::SiteFiles;
use crate::error::{Diagnostic, Diagnostics};
use crate::funding;
use crate::site::{PageKind, ProjectId, Site, Urls};

/// Check the site, and its links to other websites when `external` is given; the
/// problems, sorted (errors and warnings).
pub fn check(options: &build::BuildOptions, external: Option<&external::Settings>) -> Diagnostics {
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
    problems.extend(site.warnings.iter().cloned());
    source_problems(&site, &mut problems);
    let output = Output::new(&site, &rendered, &photos.redirected);
    link_problems(&site, &output, &mut problems);
    funding_problems(&site, &output, &mut problems);
    compliance::problems(&site, &mut problems);
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
    /// Output path → the ids its HTML has, read the first time a link needs them, so
    /// checking links is linear in links plus anchors (a set per page, not a scan per link).
    ids: HashMap<&'a str, OnceCell<HashSet<String>>>,
}

impl<'a> Output<'a> {
    /// `redirected`: originals not published whose links lead to a version instead.
    fn new(site: &Site, rendered: &'a SiteFiles, redirected: &'a [String]) -> Output<'a> {
        let urls = &site.urls;
        let html: HashMap<&str, &str> = rendered
            .files
            .iter()
            .filter(|f| f.path.ends_with(".html"))
            .filter_map(|f| {
                std::str::from_utf8(&f.bytes)
                    .ok()
                    .map(|t| (f.path.as_str(), t))
            })
            .collect();
        let ids = html.keys().map(|&path| (path, OnceCell::new())).collect();
        let paths = rendered
            .files
            .iter()
            .map(|f| f.path.as_str())
            .chain(rendered.copies.iter().map(|c| c.to.as_str()))
            .chain(redirected.iter().map(String::as_str))
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
            urls: urls.clone(),
            html,
            paths,
            sources,
            ids,
        }
    }

    /// Whether the HTML page at `output` has an element with this `id`.
    fn has_id(&self, output: &str, id: &str) -> bool {
        let (Some(html), Some(ids)) = (self.html.get(output), self.ids.get(output)) else {
            return false;
        };
        ids.get_or_init(|| attribute_values(html, "id").into_iter().collect())
            .contains(id)
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
            problems
                .push(Diagnostic::new(&page.file, msg!("check-image-no-alt")).at(at(line), None));
        }
        for &line in &page.body.scripts {
            problems.push(
                Diagnostic::new(&page.file, msg!("check-script"))
                    .at(at(line), None)
                    .warning(),
            );
        }
        if let Some(cover) = &page.cover
            && cover.alt.as_deref().is_none_or(|a| a.trim().is_empty())
        {
            problems.push(
                Diagnostic::new(&page.file, msg!("check-cover-no-alt"))
                    .at(page.line_of("cover"), None),
            );
        }
        if let Some(cover) = &page.cover
            && let Some(rel) = cover.rel.as_deref()
            && climbs_out(rel)
        {
            problems.push(
                Diagnostic::new(&page.file, msg!("check-cover-outside", cover = rel))
                    .at(page.line_of("cover"), None),
            );
        }
        if let Some(m) = &page.mobility {
            problems.extend(crate::outcomes::places::check(page, m));
            for &p in &page.projects {
                let project = site.project(p);
                let outside = |d: Option<jiff::civil::Date>| {
                    d.is_some_and(|d| {
                        project.start.is_some_and(|s| d < s) || project.end.is_some_and(|e| d > e)
                    })
                };
                if outside(m.start) || outside(m.end) {
                    problems.push(
                        Diagnostic::new(
                            &page.file,
                            msg!(
                                "check-mobility-outside-project",
                                start = m.start.map(|d| d.to_string()).unwrap_or_default(),
                                end = m.end.map(|d| d.to_string()).unwrap_or_default(),
                                project = project.id,
                                project_start =
                                    project.start.map(|d| d.to_string()).unwrap_or_default(),
                                project_end =
                                    project.end.map(|d| d.to_string()).unwrap_or_default(),
                            ),
                        )
                        .at(page.line_of("mobility"), None),
                    );
                }
            }
        }
        if page.lang != default
            && page
                .translations
                .iter()
                .all(|&t| site.page(t).lang != default)
        {
            let original = page.rel.replace(&format!(".{}.md", page.lang), ".md");
            if !keys.contains(&original) {
                problems.push(
                    Diagnostic::new(
                        &page.file,
                        msg!("check-translation-no-original", original = original),
                    )
                    .at(1, None),
                );
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
                        msg!("check-in-page", message = message, path = path),
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
                    msg!("check-in-page", message = message, path = path),
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
        return Some(msg!("check-link-no-page", url = url));
    };
    let fragment = fragment.filter(|f| !f.is_empty())?;
    output.html.get(target)?;
    let found = output.has_id(target, fragment);
    (!found).then(|| msg!("check-link-no-fragment", url = url, fragment = fragment))
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
    let advice = msg!("check-link-advice");
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
                    return Some(msg!("check-link-climbs", url = url, advice = advice));
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
    broken(output, &with_fragment).map(|_| {
        msg!(
            "check-link-no-file",
            url = url,
            absolute = absolute,
            advice = advice
        )
    })
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

/// A funded page: its output path, source file, projects, language and template.
struct Funded {
    path: String,
    file: PathBuf,
    projects: Vec<ProjectId>,
    lang: String,
    template: &'static str,
}

/// Every funded page must show each project's block to its readers; a template that
/// hides one, fakes its marker or writes an incomplete one is named.
fn funding_problems(site: &Site, output: &Output, problems: &mut Diagnostics) {
    let urls = &output.urls;
    let mut funded: Vec<Funded> = site
        .pages
        .iter()
        .filter(|p| !p.projects.is_empty())
        .map(|p| Funded {
            path: p.output.clone(),
            file: p.file.clone(),
            projects: p.projects.clone(),
            lang: p.lang.clone(),
            template: match p.kind {
                PageKind::Report { .. } => "report.html",
                PageKind::Plain => "page.html",
            },
        })
        .collect();
    for (id, p) in site.projects_with_ids() {
        for lang in &site.config.languages {
            funded.push(Funded {
                path: urls.output_file(&urls.project(lang, &p.id)),
                file: p.file.clone(),
                projects: vec![id],
                lang: lang.clone(),
                template: "project.html",
            });
        }
    }
    let default = site.config.default_language();
    // A template's logo is on every page it makes: one warning for each.
    let mut larger_logos = HashSet::new();
    for Funded {
        path,
        file,
        projects,
        lang,
        template,
    } in funded
    {
        let html = output.html.get(path.as_str()).copied().unwrap_or_default();
        let blocks: Vec<(ProjectId, funding::PageBlock)> = projects
            .into_iter()
            .filter_map(|p| {
                let f = site.funded(p, &lang)?;
                Some((p, funding::PageBlock::new(&f, &lang, default)))
            })
            .collect();
        let required: Vec<funding::Required> = blocks.iter().map(|(_, b)| b.required()).collect();
        let found = funding::presence(html.as_bytes(), &required);
        for big in funding::larger_than_emblem(html) {
            if larger_logos.insert((template, big.logo.clone())) {
                problems.push(
                    Diagnostic::new(
                        &file,
                        msg!(
                            "check-logo-larger",
                            template = template,
                            logo = big.logo,
                            width = big.width,
                            height = big.height,
                            path = path,
                            emblem_width = big.emblem_width,
                            emblem_height = big.emblem_height
                        ),
                    )
                    .warning(),
                );
            }
        }
        for (p, block) in &blocks {
            let id = &site.project(*p).id;
            let code = block.code();
            let marker = format!("{}=\"{code}\"", funding::MARKER);
            for f in found.findings.iter().filter(|f| f.code == code) {
                let what = match &f.status {
                    funding::Status::Shown => continue,
                    funding::Status::Hidden(why) => {
                        msg!("check-block-hidden", id = id, marker = marker, why = why)
                    }
                    funding::Status::Incomplete(missing) => msg!(
                        "check-block-incomplete",
                        id = id,
                        marker = marker,
                        missing = missing
                    ),
                };
                problems.push(Diagnostic::new(
                    &file,
                    msg!(
                        "check-block-twice",
                        template = template,
                        what = what,
                        path = path
                    ),
                ));
            }
            if !found.shown(code) {
                problems.push(Diagnostic::new(
                    &file,
                    msg!(
                        "check-block-missing",
                        path = path,
                        id = id,
                        marker = marker,
                        template = template
                    ),
                ));
            }
        }
    }
}
