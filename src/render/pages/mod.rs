//! The HTML pages: one job per output page, rendered in parallel. Each kind of page has
//! its own file (`lists`, `projects`); a report or plain page, the search page and the
//! 404 page are here, with what every page shares ([`PageParts::new`]'s defaults,
//! [`Renderer::finish`]). Rebuild keys are in `keys`.

mod keys;
mod lists;
mod projects;

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::context::*;
use crate::config::LangId;
use crate::error::{Diagnostic, Diagnostics};
use crate::files::{Checked, OutputFile, Sink};
use crate::funding;
use crate::images::Photos;
use crate::site::{HandedBodies, PageId, PageKind, ProjectId, Site, Urls};
use crate::theme::{Theme, template_error};

/// One page of output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Job {
    Home {
        lang: LangId,
        n: usize,
    },
    Section {
        section: usize,
        lang: LangId,
        n: usize,
    },
    Page(PageId),
    Tags {
        lang: LangId,
    },
    Tag {
        lang: LangId,
        tag: usize,
        n: usize,
    },
    Archive {
        lang: LangId,
    },
    Year {
        lang: LangId,
        year: usize,
        n: usize,
    },
    Projects {
        lang: LangId,
    },
    Project {
        lang: LangId,
        project: ProjectId,
    },
    Search {
        lang: LangId,
    },
    NotFound {
        lang: LangId,
    },
    /// `/mobility/`: the site's outcomes.
    Mobility {
        lang: LangId,
    },
}

fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page).max(1)
}

fn jobs(site: &Site) -> Vec<Job> {
    let per = site.config.paginate;
    let mut jobs: Vec<Job> = site.pages_with_ids().map(|(id, _)| Job::Page(id)).collect();
    for (li, lang) in site.config.languages_with_ids() {
        let reports = site.reports_by_lang.get(lang).map_or(0, Vec::len);
        jobs.extend((1..=page_count(reports, per)).map(|n| Job::Home { lang: li, n }));
        for (si, section) in site.sections.iter().enumerate() {
            let count = section.reports.get(lang).map_or(0, Vec::len);
            if section.exists_in(lang) {
                jobs.extend((1..=page_count(count, per)).map(|n| Job::Section {
                    section: si,
                    lang: li,
                    n,
                }));
            }
        }
        jobs.push(Job::Tags { lang: li });
        for (ti, group) in site.tags.get(lang).into_iter().flatten().enumerate() {
            jobs.extend((1..=page_count(group.pages.len(), per)).map(|n| Job::Tag {
                lang: li,
                tag: ti,
                n,
            }));
        }
        jobs.push(Job::Archive { lang: li });
        for (yi, group) in site.years.get(lang).into_iter().flatten().enumerate() {
            jobs.extend((1..=page_count(group.pages.len(), per)).map(|n| Job::Year {
                lang: li,
                year: yi,
                n,
            }));
        }
        jobs.push(Job::Projects { lang: li });
        jobs.extend(site.project_ids().map(|p| Job::Project {
            lang: li,
            project: p,
        }));
        jobs.push(Job::Search { lang: li });
        jobs.push(Job::NotFound { lang: li });
        if !site.projects.is_empty() {
            jobs.push(Job::Mobility { lang: li });
        }
    }
    jobs
}

/// The key of every page a build rendered, by its path under the output folder: a page
/// whose inputs hash to the same key renders to the same bytes.
#[derive(Debug, Default, Clone)]
pub struct PageKeys(HashMap<String, u128>);

/// What became of a build's HTML pages, beyond the files handed to the sink.
pub struct Pages {
    /// Output paths of pages whose key matched `previous`: not rendered again.
    pub kept: Vec<String>,
    /// The key of every page, those in `later` included.
    pub keys: PageKeys,
    /// Changed pages left for [`render_later`] (a rebuild that renders first what a
    /// reader waits for); empty unless asked for.
    pub later: Later,
}

/// Changed pages not rendered yet: the later pages of long lists, project pages,
/// `/mobility/` (see [`render_pages`]'s `first`).
#[derive(Debug, Default)]
pub struct Later(Vec<(Job, String)>);

impl Later {
    /// The output paths of the pages left to render.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(_, p)| p.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Whether a changed page is rendered in a rebuild's first part: a report or plain page,
/// the first page of a list, the indexes of tags and years, the search and 404 pages;
/// or a page a reader has open (`open`, by output path). The rest (every later page of a
/// list, which a report entering or leaving it shifts, projects' pages and `/mobility/`,
/// which list many reports) can follow a moment later.
fn is_first(job: Job, path: &str, open: &dyn Fn(&str) -> bool) -> bool {
    let first = match job {
        Job::Home { n, .. } | Job::Section { n, .. } | Job::Tag { n, .. } | Job::Year { n, .. } => {
            n == 1
        }
        Job::Page(_)
        | Job::Tags { .. }
        | Job::Archive { .. }
        | Job::Search { .. }
        | Job::NotFound { .. } => true,
        Job::Projects { .. } | Job::Project { .. } | Job::Mobility { .. } => false,
    };
    first || open(path)
}

/// Render every HTML page of the site into `sink` as it is made, except those whose key is
/// in `previous` (the keys of what the output folder holds now). With `first` (and
/// `previous`), a changed page that is not `is_first` is not rendered but left in
/// `Pages::later`, for [`render_later`].
///
/// With `once` (a one-shot build that handed the pages' bodies off, and its writer's
/// answer to whether a funded page is in the output already, checked), each report or
/// plain page takes its body from there, and the pages are rendered a block at a time in
/// the site's order, so that the search index, reading the bodies in the same order
/// beside them, lets each go soon after its page is written.
pub fn render_pages(
    site: &Site,
    theme: &Theme,
    photos: &Photos,
    previous: Option<&PageKeys>,
    first: Option<&(dyn Fn(&str) -> bool + Sync)>,
    once: Option<(&HandedBodies, &Checked)>,
    sink: &Sink,
) -> Result<Pages, Diagnostics> {
    let r = renderer(
        site,
        theme,
        photos,
        once.map(|(bodies, _)| bodies),
        once.map(|(_, checked)| checked),
    );
    let inputs = previous.map(|_| keys::Inputs::of(site, theme, photos));
    let jobs = jobs(site);
    let one = |&job: &Job| -> Result<Finished, Diagnostic> {
        let key = inputs.as_ref().map(|i| {
            let path = i.path(job);
            (i.key(job, &path), path)
        });
        if let Some((key, path)) = &key
            && previous.and_then(|p| p.0.get(path)) == Some(key)
        {
            return Ok(Finished {
                key: Some(*key),
                done: Done::Kept(path.clone()),
            });
        }
        if let (Some(open), Some((key, path))) = (first, &key)
            && !is_first(job, path, open)
        {
            return Ok(Finished {
                key: Some(*key),
                done: Done::Later(job, path.clone()),
            });
        }
        let key = key.map(|(key, _)| key);
        let file = r.render(job)?;
        let path = file.path.clone();
        sink(file)?;
        Ok(Finished {
            key,
            done: Done::Rendered(path),
        })
    };
    // Small pieces: pages cost from microseconds (a tag list) to many milliseconds (a
    // project's archive), and a core that finishes the search index must find pages left
    // to take.
    let results: Vec<Result<Finished, Diagnostic>> = match once {
        None => jobs.par_iter().with_max_len(16).map(one).collect(),
        // In blocks, one after the other: rayon would otherwise start a second core half
        // way through the list, on pages whose bodies the search index reads last.
        Some(_) => jobs
            .chunks(IN_ORDER_BLOCK)
            .flat_map(|block| {
                block
                    .par_iter()
                    .with_max_len(16)
                    .map(one)
                    .collect::<Vec<_>>()
            })
            .collect(),
    };
    let mut pages = Pages {
        kept: Vec::new(),
        keys: PageKeys::default(),
        later: Later::default(),
    };
    let mut problems = Diagnostics::default();
    for result in results {
        let Finished { key, done } = match result {
            Ok(r) => r,
            Err(d) => {
                problems.push(d);
                continue;
            }
        };
        let path = match done {
            Done::Kept(path) => {
                pages.kept.push(path.clone());
                path
            }
            Done::Rendered(path) => path,
            Done::Later(job, path) => {
                pages.later.0.push((job, path.clone()));
                path
            }
        };
        if let Some(key) = key {
            pages.keys.0.insert(path, key);
        }
    }
    if problems.has_errors() {
        Err(problems.sorted())
    } else {
        Ok(pages)
    }
}

/// A job's key (when keys are kept), and what became of it.
struct Finished {
    key: Option<u128>,
    done: Done,
}

/// Where a job's page went: rendered (into the sink), kept, or left for later; its
/// output path.
enum Done {
    Rendered(String),
    Kept(String),
    Later(Job, String),
}

/// Pages rendered at once when they are rendered in order (see [`render_pages`]).
const IN_ORDER_BLOCK: usize = 256;

/// What every page's rendering shares, made once per rendering.
fn renderer<'a>(
    site: &'a Site,
    theme: &'a Theme,
    photos: &'a Photos,
    bodies: Option<&'a HandedBodies>,
    checked: Option<&'a Checked<'a>>,
) -> Renderer<'a> {
    let views = Views::new(site, &site.urls, photos, &theme.strings).taking_bodies(bodies);
    Renderer {
        shared: shared(site, &views),
        views,
        theme,
        blocks: funding_blocks(site),
        outcomes: crate::outcomes::Outcomes::of(site),
        tag_slugs: tag_slugs(site),
        checked,
    }
}

/// Render the pages [`render_pages`] left for later (of the same `site`, `theme` and
/// `photos`) into `sink`.
pub fn render_later(
    site: &Site,
    theme: &Theme,
    photos: &Photos,
    later: &Later,
    sink: &Sink,
) -> Result<(), Diagnostics> {
    crate::timing::timed("later pages", || {
        let r = renderer(site, theme, photos, None, None);
        let problems: Vec<Diagnostic> = later
            .0
            .par_iter()
            .with_max_len(16)
            .filter_map(|(job, _)| r.render(*job).and_then(sink).err())
            .collect();
        if problems.is_empty() {
            return Ok(());
        }
        let mut all = Diagnostics::default();
        all.extend(problems);
        Err(all.sorted())
    })
}

/// A project's funding block in one language, its HTML as a template value, and what
/// the funding check reads a page for when it shows this block (see [`checked_for`]).
struct Block {
    block: funding::PageBlock,
    value: tera::Value,
    fingerprint: u64,
}

/// What a page showing `blocks` passes the funding check for, as one nonzero number
/// ([`crate::files::OutputFile::checked`]): lapa's version (whose rules the check
/// follows) and each block's code, statement, disclaimer and HTML, in order. A page
/// whose bytes the output holds with the same number passed that very check already.
fn checked_for(blocks: &[&Block]) -> u64 {
    let mut all = Vec::with_capacity(8 * blocks.len());
    for b in blocks {
        all.extend_from_slice(&b.fingerprint.to_le_bytes());
    }
    xxhash_rust::xxh3::xxh3_64(&all) | 1
}

/// A block's part of [`checked_for`].
fn fingerprint(block: &funding::PageBlock) -> u64 {
    let r = block.required();
    let parts = [
        Some(env!("CARGO_PKG_VERSION")),
        Some(r.code),
        Some(r.statement),
        r.disclaimer,
        Some(block.html()),
    ];
    let mut all = Vec::new();
    for p in parts {
        // Each part with its length (none with a length no text has), so that no two
        // lists of parts run together alike.
        let len = p.map_or(u64::MAX, |p| p.len() as u64);
        all.extend_from_slice(&len.to_le_bytes());
        all.extend_from_slice(p.unwrap_or_default().as_bytes());
    }
    xxhash_rust::xxh3::xxh3_64(&all)
}

/// Every project's funding block in every language, made once per build.
fn funding_blocks(site: &Site) -> HashMap<(ProjectId, &str), Block> {
    let default = site.config.default_language();
    let mut blocks = HashMap::new();
    for lang in &site.config.languages {
        for p in site.project_ids() {
            if let Some(f) = site.funded(p, lang) {
                let block = funding::PageBlock::new(&f, lang, default);
                let value = tera::Value::from(block.html());
                let fingerprint = fingerprint(&block);
                blocks.insert(
                    (p, lang.as_str()),
                    Block {
                        block,
                        value,
                        fingerprint,
                    },
                );
            }
        }
    }
    blocks
}

/// What every page of each language shares, made into template values once per build
/// rather than once per page.
fn shared<'a>(site: &'a Site, views: &Views) -> HashMap<&'a str, Shared> {
    let view = SiteView {
        title: &site.config.title,
        base_url: &site.config.base_url.absolute,
        origin: site.config.base_url.origin(),
        languages: &site.config.languages,
    };
    let site_value = tera::Value::from_serializable(&view);
    let mut plain_pages: HashMap<&str, Vec<TitledLink>> = HashMap::new();
    for p in site.pages.iter().filter(|p| p.kind == PageKind::Plain) {
        plain_pages
            .entry(p.lang.as_str())
            .or_default()
            .push(TitledLink {
                title: p.title.clone(),
                url: p.url.clone(),
            });
    }
    site.config
        .languages
        .iter()
        .map(|lang| {
            let plain = plain_pages
                .get(lang.as_str())
                .map_or(&[][..], Vec::as_slice);
            let shared = Shared {
                site: site_value.clone(),
                t: views.ui(lang).all.clone(),
                home_url: site.urls.home(lang).into(),
                static_url: site.urls.base_path().into(),
                plain_pages: tera::Value::from_serializable(plain),
            };
            (lang.as_str(), shared)
        })
        .collect()
}

struct Renderer<'a> {
    views: Views<'a>,
    theme: &'a Theme,
    blocks: HashMap<(ProjectId, &'a str), Block>,
    /// What every page of a language shares (its plain pages for the footer among it).
    shared: HashMap<&'a str, Shared>,
    /// The mobilities counted, once per build.
    outcomes: crate::outcomes::Outcomes,
    /// Each language's tag slugs: a tag page links to its translations without a walk
    /// over every tag (which, once per tag, grew with the square of their number).
    tag_slugs: HashMap<&'a str, HashSet<&'a str>>,
    /// What says a funded page's bytes are in the output already, checked for the same
    /// blocks (a build's writer); with none, every funded page is read.
    checked: Option<&'a Checked<'a>>,
}

/// What a job renders: its template, its URL, its base variables and its own.
struct PageParts<'b, T: Serialize> {
    template: &'static str,
    url: String,
    title: String,
    description: Option<String>,
    og_image: Option<String>,
    translations: Vec<LangLink>,
    funding: Vec<ProjectId>,
    /// The page's body as it is in the page, when it is plain and the page funded.
    body: Option<&'b str>,
    extra: T,
}

impl<T: Serialize> PageParts<'_, T> {
    /// A page with no description of its own (the site's title stands in), no image to
    /// share, no translations and no funding block.
    fn new(template: &'static str, url: String, title: String, extra: T) -> Self {
        PageParts {
            template,
            url,
            title,
            description: None,
            og_image: None,
            translations: Vec::new(),
            funding: Vec::new(),
            body: None,
            extra,
        }
    }
}

impl Renderer<'_> {
    fn site(&self) -> &Site {
        self.views.site
    }

    fn urls(&self) -> &Urls {
        self.views.urls
    }

    fn lang(&self, id: LangId) -> &str {
        self.site().config.language(id)
    }

    fn render(&self, job: Job) -> Result<OutputFile, Diagnostic> {
        match job {
            Job::Page(id) => self.page(id),
            Job::Home { lang, n } => self.home(self.lang(lang), n),
            Job::Section { section, lang, n } => self.section(section, self.lang(lang), n),
            Job::Tags { lang } => self.tags(self.lang(lang)),
            Job::Tag { lang, tag, n } => self.tag(self.lang(lang), tag, n),
            Job::Archive { lang } => self.archive(self.lang(lang)),
            Job::Year { lang, year, n } => self.year(self.lang(lang), year, n),
            Job::Projects { lang } => self.projects(self.lang(lang)),
            Job::Project { lang, project } => self.project(self.lang(lang), project),
            Job::Mobility { lang } => self.mobility(self.lang(lang)),
            Job::Search { lang } => self.search(self.lang(lang)),
            Job::NotFound { lang } => self.not_found(self.lang(lang)),
        }
    }

    /// A report or a plain page.
    fn page(&self, id: PageId) -> Result<OutputFile, Diagnostic> {
        let page = self.site().page(id);
        let template = match page.kind {
            PageKind::Report { .. } => "report.html",
            PageKind::Plain => "page.html",
        };
        // The body itself, not `page.body`: a one-shot build has handed that off.
        let own = self.views.body(id);
        let view = self.views.page(id, &own);
        // A plain body the funding check may jump over (`funding::presence_with_body`).
        let body = (own.plain && !page.projects.is_empty()).then_some(view.content.as_str());
        drop(own);
        self.finish(
            &page.lang,
            PageParts {
                body,
                description: Some(page.summary.clone()),
                og_image: page
                    .cover
                    .as_ref()
                    .map(|c| self.absolute(&self.views.og_image_url(c))),
                translations: self.views.translations(page),
                funding: page.projects.clone(),
                ..PageParts::new(
                    template,
                    page.url.clone(),
                    page.title.clone(),
                    PageExtra { page: &view },
                )
            },
        )
    }

    fn search(&self, l: &str) -> Result<OutputFile, Diagnostic> {
        let urls = self.urls();
        self.finish(
            l,
            PageParts {
                translations: self.everywhere(l, |o| urls.search(o), |_| true),
                ..PageParts::new(
                    "search.html",
                    urls.search(l),
                    self.views.ui(l).get("search"),
                    Empty {},
                )
            },
        )
    }

    fn not_found(&self, l: &str) -> Result<OutputFile, Diagnostic> {
        self.finish(
            l,
            PageParts::new(
                "404.html",
                self.urls().not_found(l),
                self.views.ui(l).get("not_found"),
                Empty {},
            ),
        )
    }

    /// "Title – page 2" for the second and later pages of a list.
    fn numbered(&self, lang: &str, title: String, n: usize) -> String {
        if n <= 1 {
            title
        } else {
            let page = self
                .views
                .ui(lang)
                .get("page_n")
                .replace("{n}", &n.to_string());
            format!("{title} – {page}")
        }
    }

    fn absolute(&self, url: &str) -> String {
        if url.contains("://") {
            url.to_string()
        } else {
            self.urls().absolute(url)
        }
    }

    /// Links to the same list in every other language where `exists` says it exists.
    fn everywhere(
        &self,
        lang: &str,
        url: impl Fn(&str) -> String,
        exists: impl Fn(&str) -> bool,
    ) -> Vec<LangLink> {
        self.site()
            .config
            .languages
            .iter()
            .filter(|o| o.as_str() != lang && exists(o))
            .map(|o| self.views.lang_link(o, url(o)))
            .collect()
    }

    fn nav(&self, lang: &str, url: &str) -> Vec<NavItem> {
        let site = self.site();
        let urls = self.urls();
        let ui = self.views.ui(lang);
        let mut items: Vec<(String, String)> = site
            .sections
            .iter()
            .filter(|s| s.exists_in(lang))
            .map(|s| (s.title_in(lang).to_string(), urls.section(lang, &s.slug)))
            .collect();
        if !site.projects.is_empty() {
            items.push((ui.get("projects"), urls.projects(lang)));
            items.push((ui.get("mobility_page"), urls.mobility(lang)));
        }
        items.push((ui.get("archive"), urls.archive(lang)));
        items.push((ui.get("tags"), urls.tags(lang)));
        items.push((ui.get("search"), urls.search(lang)));
        items
            .into_iter()
            .map(|(title, item_url)| NavItem {
                current: url.starts_with(&item_url),
                title,
                url: item_url,
            })
            .collect()
    }

    fn finish<T: Serialize>(&self, lang: &str, p: PageParts<T>) -> Result<OutputFile, Diagnostic> {
        let site = self.site();
        let blocks: Vec<&Block> = p
            .funding
            .iter()
            .filter_map(|&id| self.blocks.get(&(id, lang)))
            .collect();
        let base = Base {
            lang,
            permalink: self.urls().absolute(&p.url),
            description: p
                .description
                .filter(|d| !d.is_empty())
                .unwrap_or_else(|| site.config.title.clone()),
            title: p.title,
            og_image: p.og_image.unwrap_or_default(),
            nav: self.nav(lang, &p.url),
            translations: p.translations,
        };
        let template_error = |e: tera::Error| {
            let mut d = template_error(&e, &self.theme.origins);
            d.message = format!("{} (while rendering {})", d.message, p.url);
            d
        };
        let mut ctx = Context::from_serialize(&base).map_err(template_error)?;
        let shared = self
            .shared
            .get(lang)
            .or_else(|| self.shared.values().next());
        if let Some(s) = shared {
            ctx.insert_value("site", s.site.clone());
            ctx.insert_value("t", s.t.clone());
            ctx.insert_value("home_url", s.home_url.clone());
            ctx.insert_value("static_url", s.static_url.clone());
            ctx.insert_value("plain_pages", s.plain_pages.clone());
        }
        let funding: Vec<tera::Value> = blocks.iter().map(|b| b.value.clone()).collect();
        ctx.insert_value("funding", funding.into());
        ctx.extend(Context::from_serialize(&p.extra).map_err(template_error)?);
        // Straight into bytes: templates are UTF-8 and so is every value in the context.
        let mut html = Vec::with_capacity(32 * 1024);
        self.theme
            .tera
            .render_to(p.template, &ctx, &mut html)
            .map_err(template_error)?;
        let path = self.urls().output_file(&p.url);
        if blocks.is_empty() {
            return Ok(OutputFile {
                path,
                bytes: html,
                checked: 0,
            });
        }
        let checked = checked_for(&blocks);
        let bytes = if self.checked.is_some_and(|c| c(&path, &html, checked)) {
            crate::timing::count("funding checks a previous build did"); // not a message: a timing counter
            html
        } else {
            let blocks: Vec<&funding::PageBlock> = blocks.iter().map(|b| &b.block).collect();
            funding::ensure_blocks_with_body(html, &blocks, p.body)
        };
        Ok(OutputFile {
            path,
            bytes,
            checked,
        })
    }
}

/// Page `n` (1-based) of `ids`, `per` a page.
fn chunk(ids: &[PageId], per: usize, n: usize) -> &[PageId] {
    let start = (n - 1) * per;
    &ids[start.min(ids.len())..(start + per).min(ids.len())]
}

#[derive(Serialize)]
struct Empty {}

#[derive(Serialize)]
struct PageExtra<'v> {
    page: &'v PageView,
}

/// Each language's tag slugs, for the links from a tag's list to the same tag's list in
/// the other languages.
fn tag_slugs(site: &Site) -> HashMap<&str, HashSet<&str>> {
    site.tags
        .iter()
        .map(|(lang, groups)| {
            (
                lang.as_str(),
                groups.iter().map(|g| g.tag.slug.as_str()).collect(),
            )
        })
        .collect()
}
