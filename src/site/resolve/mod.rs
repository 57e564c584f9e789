//! From loaded sources to a [`Site`]: URLs, projects, translations, taxonomies, links.

mod bodies;
mod grouping;
mod kept;
mod links;
mod metadata;
mod paths;
mod projects;

use bodies::{Body, MadeBody, kept_or_rendered};
use grouping::{link_translations, order_pages, reports_by_lang, tag_groups, year_groups};
use kept::{Inputs, KeptPage};
use links::{Links, Recording, note_external, report_broken};
use metadata::PageMeta;
use paths::check_unique_urls;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use jiff::civil::Date;
use rayon::prelude::*;

use super::claims::{Claimant, Claims, Clash, Keyed};
use super::model::*;
use super::urls::{RESERVED, Urls};
use crate::collate;
use crate::config::Config;
use crate::content::{Content, IndexFront, Kind, PageFront, ProjectFront, Source, key_line};
use crate::date::PageDate;
use crate::error::{Diagnostic, Diagnostics};
use crate::markdown::{self, LinkResolver, Rendered};
use crate::slug;
use std::cell::RefCell;
use std::sync::Arc;

/// What a build publishes.
#[derive(Debug, Clone, Copy)]
pub struct Publish {
    /// Publish drafts and future-dated pages too (`--drafts`, and `serve`).
    pub drafts: bool,
    /// The build's time: later dates are "the future".
    pub now: Timestamp,
    /// Gather `Site::external_links` (no page shows them: `check --external` reads them).
    pub external_links: bool,
}

/// Longest summary taken from a first paragraph, in characters.
const SUMMARY_CHARS: usize = 300;

use bodies::Bodies;
pub use kept::ResolveMemo;

/// Resolve `content` into a [`Site`], or every error found: a one-shot resolve, which
/// keeps no page or body and records no link lookup for a next one (`ResolveMemo::off`).
pub fn resolve(config: Config, content: Content, options: &Publish) -> Result<Site, Diagnostics> {
    resolve_with(config, content, options, &mut ResolveMemo::off())
}

/// One page of a resolve: made anew from its file, or taken over from the memo.
/// (`'s`: the loaded content; `'m`: the memo's pages.)
enum Step<'s, 'm> {
    Fresh {
        // Boxed: a site's pages are moved about in lists of these.
        meta: Box<PageMeta<'s>>,
        errors: Diagnostics,
        inputs: Inputs<'s>,
    },
    /// Taken over; `source` is the file it was made from (the memo's, as this load has it).
    Kept {
        entry: &'m KeptPage,
        source: &'s Source,
    },
}

impl Step<'_, '_> {
    fn source(&self) -> &Source {
        match self {
            Step::Fresh { meta, .. } => meta.source,
            Step::Kept { source, .. } => source,
        }
    }

    fn url(&self) -> &str {
        match self {
            Step::Fresh { meta, .. } => &meta.url,
            Step::Kept { entry, .. } => &entry.page.url,
        }
    }

    /// `aliases:` as written, with where each redirect page goes.
    fn aliases(&self) -> &[(String, String)] {
        match self {
            Step::Fresh { meta, .. } => &meta.aliases,
            Step::Kept { entry, .. } => &entry.aliases,
        }
    }

    fn errors(&self) -> &Diagnostics {
        match self {
            Step::Fresh { errors, .. } => errors,
            Step::Kept { entry, .. } => &entry.errors,
        }
    }

    /// Whether the site shows it (the memo keeps published pages only).
    fn published(&self) -> bool {
        match self {
            Step::Fresh { meta, .. } => meta.published,
            Step::Kept { .. } => true,
        }
    }
}

/// What resolving one page adds to the site.
struct PageDone {
    /// Its entry in the memo, when made anew (and the memo keeps pages).
    kept: Option<Box<KeptPage>>,
    problems: Diagnostics,
    external: Vec<ExternalLink>,
    page: Page,
}

/// [`resolve`], taking unchanged pages and bodies from `memo` and leaving this resolve's
/// in it.
pub fn resolve_with(
    config: Config,
    content: Content,
    options: &Publish,
    memo: &mut ResolveMemo,
) -> Result<Site, Diagnostics> {
    let mut problems = Diagnostics::default();
    let urls = Urls::new(config.base_url.clone(), config.default_language());
    memo.bodies.rendered_for(&config.base_url.absolute);
    let ctx = Ctx {
        config: &config,
        urls: &urls,
    };

    // A page's Markdown is needed only until its body is rendered: when nothing else
    // holds its source (a build; `serve`'s memo keeps its sources), it is taken out here,
    // in `page_src`'s order, and each text is dropped as soon as its body is made.
    let mut content = content;
    let page_texts: Vec<Option<String>> = content
        .sources
        .iter_mut()
        .filter(|s| matches!(s.kind, Kind::Report { .. } | Kind::Plain(_)))
        .map(|s| Arc::get_mut(s).map(|s| std::mem::take(&mut s.body)))
        .collect();

    let mut home_src = Vec::new();
    let mut index_src = Vec::new();
    let mut project_src = Vec::new();
    let mut page_src = Vec::new();
    for source in &content.sources {
        match &source.kind {
            Kind::Home(front) => home_src.push((&**source, front)),
            Kind::SectionIndex { section, front } => index_src.push((source, section, front)),
            Kind::Project { id, front } => project_src.push((&**source, id, front)),
            Kind::Report { section, front } => page_src.push((source, Some(section), front)),
            Kind::Plain(front) => page_src.push((source, None, front)),
        }
    }

    let mut projects: Vec<Project> = project_src
        .iter()
        .filter_map(|(s, id, f)| ctx.project(s, id, f).map_err(|d| problems.push(d)).ok())
        .collect();
    projects.sort_by(|a, b| a.id.cmp(&b.id));

    let mut sections = ctx.sections(&index_src, &page_src, &mut problems);
    let defaults: HashMap<(&str, &str), &IndexFront> = index_src
        .iter()
        .map(|(s, section, f)| ((section.as_str(), s.lang.as_str()), *f))
        .collect();
    let index_files: HashMap<(&str, &str), &Arc<Source>> = index_src
        .iter()
        .map(|(s, section, _)| ((section.as_str(), s.lang.as_str()), *s))
        .collect();

    // Each page is taken over from the memo while what it was made from is unchanged,
    // else made anew; the checks across pages (claims, links) then read them all.
    let context = kept::context(&config, &sections, &projects, options);
    memo.made_with(context);
    let old = &memo.pages;
    let steps: Vec<Step> = page_src
        .par_iter()
        .map(|(source, section, front)| {
            let section_id = section.and_then(|name| sections.iter().position(|s| &s.name == name));
            let inherited = section.and_then(|name| {
                let own = (name.as_str(), source.lang.as_str());
                let fallback = (name.as_str(), config.default_language());
                defaults
                    .get(&own)
                    .map(|f| (*f, index_files[&own]))
                    .or_else(|| {
                        defaults
                            .get(&fallback)
                            .map(|f| (*f, index_files[&fallback]))
                    })
            });
            let inputs = Inputs {
                source,
                index: inherited.map(|(_, s)| s),
                section: section_id,
            };
            if let Some(entry) = old
                .get(source.rel.as_str())
                .filter(|k| k.made_from(&inputs, options.now))
            {
                return Step::Kept { entry, source };
            }
            // A page with errors is still resolved as far as it goes, so its links are
            // checked too.
            let inherited = inherited.map(|(f, s)| (f, &**s));
            let (meta, errors) = ctx.page_meta(
                source, section_id, &sections, front, inherited, &projects, options,
            );
            Step::Fresh {
                meta: Box::new(meta),
                errors,
                inputs,
            }
        })
        .collect();
    for step in &steps {
        problems.extend(step.errors().iter().cloned());
    }
    // Claims and the link table are made again only when a page's file, address or
    // aliases changed (a new, deleted or renamed page), else taken over.
    let shape = memo
        .keeps()
        .then(|| kept::shape(&steps, &content.assets, &index_src, &home_src));
    let (clashes, links) = match memo.across.take() {
        Some(across) if Some(across.shape) == shape => (across.clashes, across.links),
        _ => {
            let mut clashes = Diagnostics::default();
            check_unique_urls(&steps, &sections, &content.assets, &ctx, &mut clashes);
            let links = ctx.links(&steps, &projects, &sections, &index_src, &home_src);
            (clashes, links)
        }
    };
    problems.extend(clashes.iter().cloned());
    let published: Vec<(Step, Option<String>)> = steps
        .into_iter()
        .zip(page_texts)
        .filter(|(s, _)| s.published())
        .collect();

    // Each page on its own core; what it adds to the site's lists, in page order after.
    let keeps = memo.keeps();
    let done: Vec<PageDone> = published
        .into_par_iter()
        .map(|(step, text)| {
            let (page, kept) = match step {
                Step::Kept { entry, .. } => entry.again(&links),
                Step::Fresh {
                    meta,
                    errors,
                    inputs,
                } => {
                    let text = text.as_deref().unwrap_or(&meta.source.body);
                    let source = meta.source;
                    if !keeps {
                        let body = markdown::render(text, &source.rel, &source.lang, &links);
                        ((*meta).into_page(Arc::new(body), &ctx), None)
                    } else {
                        let before = old.get(source.rel.as_str()).map(KeptPage::body);
                        let body = kept_or_rendered(before, source, text, &source.lang, &links)
                            .map_or_else(|new| new, Body::clone);
                        let (entry, page) = KeptPage::made(&inputs, *meta, errors, body, &ctx);
                        (page, Some(entry))
                    }
                }
            };
            let mut page = page;
            let mut problems = Diagnostics::default();
            let mut external = Vec::new();
            report_broken(&page.body, &page.file, page.body_line, &mut problems);
            if options.external_links {
                note_external(&page.body, &page.file, page.body_line, &mut external);
            }
            if let Some(cover) = page
                .cover
                .as_ref()
                .filter(|c| options.external_links && markdown::is_web_address(&c.url))
            {
                external.push(ExternalLink {
                    file: page.file.clone(),
                    line: key_line(&page.front.text, "cover").map_or(1, |l| l + page.front.line),
                    url: cover.url.clone(),
                });
            }
            // The site keeps the external links (above); a body nothing else holds (a
            // one-shot build's) lets go of its own copy of them.
            if let Some(only) = Arc::get_mut(&mut page.body) {
                only.external_links = Vec::new();
            }
            PageDone {
                kept,
                problems,
                external,
                page,
            }
        })
        .collect();
    let mut pages: Vec<Page> = Vec::with_capacity(done.len());
    let mut external_links = Vec::new();
    let mut kept = Vec::with_capacity(if keeps { done.len() } else { 0 });
    for d in done {
        kept.extend(d.kept);
        problems.extend(d.problems);
        external_links.extend(d.external);
        pages.push(d.page);
    }
    memo.keep(kept, &pages);
    let bodies = &mut memo.bodies;
    let mut made: Vec<MadeBody> = Vec::new();
    let mut body_of = |source: &Source, lang: &str| {
        let (rendered, new) = bodies.render(source, &source.body, lang, &links);
        made.extend(bodies.made(source, lang, new));
        Arc::unwrap_or_clone(rendered)
    };
    for (project, (source, ..)) in projects
        .iter_mut()
        .zip(sorted_project_sources(&project_src))
    {
        project.body = body_of(source, config.default_language());
        report_broken(
            &project.body,
            &ctx.file(&source.path),
            source.body_line,
            &mut problems,
        );
        if options.external_links {
            note_external(
                &project.body,
                &ctx.file(&source.path),
                source.body_line,
                &mut external_links,
            );
        }
    }
    for (source, name, _) in &index_src {
        let body = body_of(source, &source.lang);
        report_broken(
            &body,
            &ctx.file(&source.path),
            source.body_line,
            &mut problems,
        );
        if options.external_links {
            note_external(
                &body,
                &ctx.file(&source.path),
                source.body_line,
                &mut external_links,
            );
        }
        if let Some(section) = sections.iter_mut().find(|s| &s.name == *name) {
            section.intros.insert(source.lang.clone(), body);
        }
    }
    let mut home = BTreeMap::new();
    for (source, front) in &home_src {
        let body = body_of(source, &source.lang);
        report_broken(
            &body,
            &ctx.file(&source.path),
            source.body_line,
            &mut problems,
        );
        if options.external_links {
            note_external(
                &body,
                &ctx.file(&source.path),
                source.body_line,
                &mut external_links,
            );
        }
        home.insert(
            source.lang.clone(),
            Intro {
                title: front.title.clone(),
                body,
            },
        );
    }
    bodies.keep(made);
    memo.across = shape.map(|shape| kept::Across {
        shape,
        clashes,
        links,
    });
    if problems.has_errors() {
        return Err(problems.sorted());
    }

    order_pages(&mut pages);
    link_translations(&mut pages);
    let reports_by_lang = reports_by_lang(&pages, &config.languages);
    for (i, page) in pages.iter().enumerate() {
        let id = PageId::new(i);
        if let PageKind::Report { section } = page.kind {
            sections[section]
                .reports
                .entry(page.lang.clone())
                .or_default()
                .push(id);
        }
        for &p in &page.projects {
            projects[p.index()].reports.push(id);
        }
    }
    let tags = tag_groups(&pages, &reports_by_lang);
    let years = year_groups(&pages, &reports_by_lang);
    Ok(Site {
        config,
        urls,
        pages,
        projects,
        sections,
        home,
        assets: content.assets,
        reports_by_lang,
        tags,
        years,
        today: options.now.to_zoned(jiff::tz::TimeZone::UTC).date(),
        external_links,
        warnings: problems.sorted(),
    })
}

/// Project sources in the order projects are sorted in (by id).
fn sorted_project_sources<'a>(
    src: &[(&'a Source, &'a String, &'a ProjectFront)],
) -> Vec<(&'a Source, &'a String)> {
    let mut v: Vec<_> = src.iter().map(|(s, id, _)| (*s, *id)).collect();
    v.sort_by(|a, b| a.1.cmp(b.1));
    v
}

struct Ctx<'a> {
    config: &'a Config,
    urls: &'a Urls,
}

impl Ctx<'_> {
    /// A file's path as the user names it: relative to the site's root.
    fn file(&self, path: &Path) -> PathBuf {
        path.strip_prefix(&self.config.root)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| path.to_path_buf())
    }

    fn error(&self, source: &Source, key: Option<&str>, message: String) -> Diagnostic {
        let d = Diagnostic::new(self.file(&source.path), message);
        match key.and_then(|k| key_line(&source.front_text, k)) {
            Some(l) => d.at(l + source.front_line, None),
            None => d.at(1, None),
        }
    }
}
