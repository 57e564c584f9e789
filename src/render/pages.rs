//! The HTML pages: one job per output page, rendered in parallel.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::context::*;
use super::{OutputFile, Sink};
use crate::error::{Diagnostic, Diagnostics};
use crate::funding;
use crate::hash::Hasher;
use crate::images::Photos;
use crate::site::{PageId, PageKind, ProjectId, Site, Urls};
use crate::theme::{Theme, template_error};
use std::hash::Hasher as _;

/// One page of output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Job {
    Home {
        lang: usize,
        n: usize,
    },
    Section {
        section: usize,
        lang: usize,
        n: usize,
    },
    Page(PageId),
    Tags {
        lang: usize,
    },
    Tag {
        lang: usize,
        tag: usize,
        n: usize,
    },
    Archive {
        lang: usize,
    },
    Year {
        lang: usize,
        year: usize,
        n: usize,
    },
    Projects {
        lang: usize,
    },
    Project {
        lang: usize,
        project: ProjectId,
    },
    Search {
        lang: usize,
    },
    NotFound {
        lang: usize,
    },
    /// `/mobility/`: the site's outcomes.
    Mobility {
        lang: usize,
    },
}

fn page_count(items: usize, per_page: usize) -> usize {
    items.div_ceil(per_page).max(1)
}

fn jobs(site: &Site) -> Vec<Job> {
    let per = site.config.paginate;
    let mut jobs: Vec<Job> = (0..site.pages.len()).map(Job::Page).collect();
    for (li, lang) in site.config.languages.iter().enumerate() {
        let reports = site.reports_by_lang.get(lang).map_or(0, Vec::len);
        jobs.extend((1..=page_count(reports, per)).map(|n| Job::Home { lang: li, n }));
        for (si, section) in site.sections.iter().enumerate() {
            let count = section.reports.get(lang).map_or(0, Vec::len);
            if count > 0 || section.titles.contains_key(lang) {
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
        jobs.extend((0..site.projects.len()).map(|p| Job::Project {
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

/// The key of every page a build rendered, and where it went: a page whose inputs hash
/// to the same key renders to the same bytes at the same place.
#[derive(Debug, Default, Clone)]
pub struct PageKeys(HashMap<Job, (u128, String)>);

/// What became of a build's HTML pages, beyond the files handed to the sink.
pub struct Pages {
    /// Output paths of pages whose key matched `previous`: not rendered again.
    pub kept: Vec<String>,
    pub keys: PageKeys,
}

/// Render every HTML page of the site into `sink` as it is made, except those whose key is
/// in `previous` (the keys of what the output folder holds now).
pub fn render_pages(
    site: &Site,
    theme: &Theme,
    photos: &Photos,
    previous: Option<&PageKeys>,
    sink: &Sink,
) -> Result<Pages, Diagnostics> {
    let urls = Urls::new(site.config.base_url.clone(), site.config.default_language());
    let r = Renderer {
        views: Views::new(site, &urls, photos, &theme.strings),
        theme,
        blocks: funding_blocks(site),
        plain_pages: plain_pages(site),
        outcomes: crate::outcomes::Outcomes::of(site),
        tag_slugs: site
            .tags
            .iter()
            .map(|(lang, groups)| {
                (
                    lang.as_str(),
                    groups.iter().map(|g| g.tag.slug.as_str()).collect(),
                )
            })
            .collect(),
    };
    let inputs = previous.map(|_| Inputs::of(site, theme, photos));
    let results: Vec<Result<Outcome, Diagnostic>> = jobs(site)
        .par_iter()
        // Small pieces: pages cost from microseconds (a tag list) to many milliseconds (a
        // project's archive), and a core that finishes the search index must find pages
        // left to take.
        .with_max_len(16)
        .map(|&job| {
            let key = inputs.as_ref().map(|i| i.key(site, job));
            if let (Some(key), Some((old, path))) = (key, previous.and_then(|p| p.0.get(&job)))
                && *old == key
            {
                return Ok((job, Some(key), Done::Kept(path.clone())));
            }
            let file = r.render(job)?;
            let path = file.path.clone();
            sink(file)?;
            Ok((job, key, Done::Rendered(path)))
        })
        .collect();
    let mut pages = Pages {
        kept: Vec::new(),
        keys: PageKeys::default(),
    };
    let mut problems = Diagnostics::default();
    for result in results {
        let (job, key, done) = match result {
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
        };
        if let Some(key) = key {
            pages.keys.0.insert(job, (key, path));
        }
    }
    if problems.has_errors() {
        Err(problems.sorted())
    } else {
        Ok(pages)
    }
}

fn list(ids: Option<&Vec<PageId>>) -> &[PageId] {
    ids.map_or(&[], Vec::as_slice)
}

/// The pages a list job shows.
fn shown(site: &Site, job: Job) -> &[PageId] {
    let per = site.config.paginate;
    let lang = |i: usize| site.config.languages[i].as_str();
    match job {
        Job::Home { lang: l, n } => chunk(list(site.reports_by_lang.get(lang(l))), per, n),
        Job::Section {
            section,
            lang: l,
            n,
        } => chunk(list(site.sections[section].reports.get(lang(l))), per, n),
        Job::Tag { lang: l, tag, n } => chunk(&site.tags[lang(l)][tag].pages, per, n),
        Job::Year { lang: l, year, n } => chunk(&site.years[lang(l)][year].pages, per, n),
        Job::Project { project, .. } => &site.projects[project].reports,
        Job::Page(_)
        | Job::Tags { .. }
        | Job::Archive { .. }
        | Job::Projects { .. }
        | Job::Search { .. }
        | Job::NotFound { .. }
        | Job::Mobility { .. } => &[],
    }
}

/// A job, its key (when keys are kept), and what became of it.
type Outcome = (Job, Option<u128>, Done);

/// Where a job's page went: rendered (into the sink) or kept; its output path.
enum Done {
    Rendered(String),
    Kept(String),
}

/// Hashes of everything pages are rendered from, to tell which pages a change reaches.
///
/// A job's key is the site-wide inputs (theme, configuration, projects, sections, lists'
/// lengths, photos, plain pages' titles…) and the pages it shows. Each page's hash
/// covers all of its data and its translations' languages and URLs, since a page and
/// every list item show those.
struct Inputs {
    site_wide: u128,
    pages: Vec<u128>,
}

impl Inputs {
    fn of(site: &Site, theme: &Theme, photos: &Photos) -> Inputs {
        let mut h = Hasher::default();
        h.write_u128(theme.fingerprint);
        let plain: Vec<(&str, &str, &str)> = site
            .pages
            .iter()
            .filter(|p| p.kind == PageKind::Plain)
            .map(|p| (p.lang.as_str(), p.title.as_str(), p.url.as_str()))
            .collect();
        h.debug(&(
            &site.config,
            &site.projects,
            &site.sections,
            &site.home,
            &site.reports_by_lang,
            &site.tags,
            &site.years,
            &site.today,
            photos,
            plain,
        ));
        let site_wide = h.digest();
        let pages = site
            .pages
            .par_iter()
            .map(|p| {
                let mut h = Hasher::default();
                std::hash::Hash::hash(p, &mut h);
                for &t in &p.translations {
                    let other = &site.pages[t];
                    std::hash::Hash::hash(&(&other.lang, &other.url), &mut h);
                }
                h.digest()
            })
            .collect();
        Inputs { site_wide, pages }
    }

    fn key(&self, site: &Site, job: Job) -> u128 {
        let mut h = Hasher::default();
        h.write_u128(self.site_wide);
        std::hash::Hash::hash(&job, &mut h);
        if let Job::Page(id) = job {
            h.write_u128(self.pages[id]);
        }
        // The outcomes page counts every report's mobility.
        if let Job::Mobility { .. } = job {
            for (id, page) in site.pages.iter().enumerate() {
                if page.mobility.is_some() {
                    h.write_u128(self.pages[id]);
                }
            }
        }
        for &id in shown(site, job) {
            h.write_u128(self.pages[id]);
        }
        h.digest()
    }
}
/// Every project's funding block in every language, made once per build: (code, HTML).
fn funding_blocks(site: &Site) -> HashMap<(ProjectId, &str), funding::PageBlock> {
    let default = site.config.default_language();
    let mut blocks = HashMap::new();
    for lang in &site.config.languages {
        for p in 0..site.projects.len() {
            if let Some(f) = site.funded(p, lang) {
                blocks.insert(
                    (p, lang.as_str()),
                    funding::PageBlock::new(&f, lang, default),
                );
            }
        }
    }
    blocks
}

/// Each language's plain pages, once per build rather than once per page.
fn plain_pages(site: &Site) -> HashMap<&str, Vec<TitledLink>> {
    let mut map: HashMap<&str, Vec<TitledLink>> = HashMap::new();
    for p in site.pages.iter().filter(|p| p.kind == PageKind::Plain) {
        map.entry(p.lang.as_str()).or_default().push(TitledLink {
            title: p.title.clone(),
            url: p.url.clone(),
        });
    }
    map
}

struct Renderer<'a> {
    views: Views<'a>,
    theme: &'a Theme,
    blocks: HashMap<(ProjectId, &'a str), funding::PageBlock>,
    /// Each language's plain pages, for every page's footer.
    plain_pages: HashMap<&'a str, Vec<TitledLink>>,
    /// The mobilities counted, once per build.
    outcomes: crate::outcomes::Outcomes,
    /// Each language's tag slugs: a tag page links to its translations without a walk
    /// over every tag (which, once per tag, grew with the square of their number).
    tag_slugs: HashMap<&'a str, std::collections::HashSet<&'a str>>,
}

/// What a job renders: its template, its URL, its base variables and its own.
struct Prepared<T: Serialize> {
    template: &'static str,
    url: String,
    title: String,
    description: Option<String>,
    og_image: Option<String>,
    translations: Vec<LangLink>,
    funding: Vec<ProjectId>,
    extra: T,
}

impl Renderer<'_> {
    fn site(&self) -> &Site {
        self.views.site
    }

    fn urls(&self) -> &Urls {
        self.views.urls
    }

    fn lang(&self, i: usize) -> &str {
        &self.site().config.languages[i]
    }

    fn render(&self, job: Job) -> Result<OutputFile, Diagnostic> {
        let site = self.site();
        let urls = self.urls();
        let per = site.config.paginate;
        match job {
            Job::Page(id) => {
                let page = &site.pages[id];
                let template = match page.kind {
                    PageKind::Report { .. } => "report.html",
                    PageKind::Plain => "page.html",
                };
                self.finish(
                    &page.lang,
                    Prepared {
                        template,
                        url: page.url.clone(),
                        title: page.title.clone(),
                        description: Some(page.summary.clone()),
                        og_image: page
                            .cover
                            .as_ref()
                            .map(|c| self.absolute(&self.views.og_image_url(c))),
                        translations: self.views.translations(page),
                        funding: page.projects.clone(),
                        extra: PageExtra {
                            page: self.views.page(id),
                        },
                    },
                )
            }
            Job::Home { lang, n } => {
                let l = self.lang(lang);
                let ids = site.reports_by_lang.get(l).map_or(&[][..], Vec::as_slice);
                let first = urls.home(l);
                let intro = site.home.get(l);
                let title = intro
                    .and_then(|i| i.title.clone())
                    .unwrap_or_else(|| site.config.title.clone());
                self.finish(
                    l,
                    Prepared {
                        template: "index.html",
                        url: urls.paginated(&first, n),
                        title: self.numbered(l, title, n),
                        description: intro
                            .map(|i| i.body.first_paragraph.clone())
                            .filter(|d| !d.is_empty()),
                        og_image: None,
                        translations: self.everywhere(
                            l,
                            |o| urls.paginated(&urls.home(o), n),
                            |o| {
                                page_count(site.reports_by_lang.get(o).map_or(0, Vec::len), per)
                                    >= n
                            },
                        ),
                        funding: Vec::new(),
                        extra: ListExtra {
                            intro: if n == 1 {
                                intro
                                    .map(|i| self.views.body_html(&i.body))
                                    .unwrap_or_default()
                            } else {
                                String::new()
                            },
                            pages: self.views.items(chunk(ids, per, n)),
                            paginator: Paginator::new(urls, &first, n, page_count(ids.len(), per)),
                        },
                    },
                )
            }
            Job::Section { section, lang, n } => {
                let l = self.lang(lang);
                let s = &site.sections[section];
                let ids = s.reports.get(l).map_or(&[][..], Vec::as_slice);
                let first = urls.section(l, &s.slug);
                self.finish(
                    l,
                    Prepared {
                        template: "section.html",
                        url: urls.paginated(&first, n),
                        title: self.numbered(l, s.title_in(l).to_string(), n),
                        description: None,
                        og_image: None,
                        translations: self.everywhere(
                            l,
                            |o| urls.paginated(&urls.section(o, &s.slug), n),
                            |o| {
                                let count = s.reports.get(o).map_or(0, Vec::len);
                                (count > 0 || s.titles.contains_key(o))
                                    && page_count(count, per) >= n
                            },
                        ),
                        funding: Vec::new(),
                        extra: SectionExtra {
                            section: SectionView {
                                title: s.title_in(l).to_string(),
                                url: first.clone(),
                                content: s
                                    .intros
                                    .get(l)
                                    .map(|i| self.views.body_html(i))
                                    .unwrap_or_default(),
                            },
                            pages: self.views.items(chunk(ids, per, n)),
                            paginator: Paginator::new(urls, &first, n, page_count(ids.len(), per)),
                        },
                    },
                )
            }
            Job::Tags { lang } => {
                let l = self.lang(lang);
                let groups = site.tags.get(l).map_or(&[][..], Vec::as_slice);
                self.finish(
                    l,
                    Prepared {
                        template: "tags.html",
                        url: urls.tags(l),
                        title: self.views.ui(l).get("tags"),
                        description: None,
                        og_image: None,
                        translations: self.everywhere(l, |o| urls.tags(o), |_| true),
                        funding: Vec::new(),
                        extra: TagsExtra {
                            tags: groups
                                .iter()
                                .map(|g| CountedLink {
                                    name: g.tag.name.clone(),
                                    url: urls.tag(l, &g.tag.slug),
                                    count: g.pages.len(),
                                })
                                .collect(),
                        },
                    },
                )
            }
            Job::Tag { lang, tag, n } => {
                let l = self.lang(lang);
                let group = &site.tags[l][tag];
                let first = urls.tag(l, &group.tag.slug);
                let slug = &group.tag.slug;
                self.finish(
                    l,
                    Prepared {
                        template: "tag.html",
                        url: urls.paginated(&first, n),
                        title: self.numbered(l, group.tag.name.clone(), n),
                        description: None,
                        og_image: None,
                        translations: self.everywhere(
                            l,
                            |o| urls.tag(o, slug),
                            |o| {
                                self.tag_slugs
                                    .get(o)
                                    .is_some_and(|slugs| slugs.contains(slug.as_str()))
                            },
                        ),
                        funding: Vec::new(),
                        extra: TagExtra {
                            tag: CountedLink {
                                name: group.tag.name.clone(),
                                url: first.clone(),
                                count: group.pages.len(),
                            },
                            pages: self.views.items(chunk(&group.pages, per, n)),
                            paginator: Paginator::new(
                                urls,
                                &first,
                                n,
                                page_count(group.pages.len(), per),
                            ),
                        },
                    },
                )
            }
            Job::Archive { lang } => {
                let l = self.lang(lang);
                let groups = site.years.get(l).map_or(&[][..], Vec::as_slice);
                self.finish(
                    l,
                    Prepared {
                        template: "archive.html",
                        url: urls.archive(l),
                        title: self.views.ui(l).get("archive"),
                        description: None,
                        og_image: None,
                        translations: self.everywhere(l, |o| urls.archive(o), |_| true),
                        funding: Vec::new(),
                        extra: ArchiveExtra {
                            years: groups
                                .iter()
                                .map(|g| YearLink {
                                    year: g.year,
                                    url: urls.year(l, g.year),
                                    count: g.pages.len(),
                                })
                                .collect(),
                        },
                    },
                )
            }
            Job::Year { lang, year, n } => {
                let l = self.lang(lang);
                let group = &site.years[l][year];
                let first = urls.year(l, group.year);
                let y = group.year;
                self.finish(
                    l,
                    Prepared {
                        template: "year.html",
                        url: urls.paginated(&first, n),
                        title: self.numbered(l, y.to_string(), n),
                        description: None,
                        og_image: None,
                        translations: self.everywhere(
                            l,
                            |o| urls.year(o, y),
                            |o| {
                                site.years
                                    .get(o)
                                    .is_some_and(|gs| gs.iter().any(|g| g.year == y))
                            },
                        ),
                        funding: Vec::new(),
                        extra: YearExtra {
                            year: YearView {
                                year: y,
                                count: group.pages.len(),
                            },
                            pages: self.views.items(chunk(&group.pages, per, n)),
                            paginator: Paginator::new(
                                urls,
                                &first,
                                n,
                                page_count(group.pages.len(), per),
                            ),
                        },
                    },
                )
            }
            Job::Projects { lang } => {
                let l = self.lang(lang);
                self.finish(
                    l,
                    Prepared {
                        template: "projects.html",
                        url: urls.projects(l),
                        title: self.views.ui(l).get("projects"),
                        description: None,
                        og_image: None,
                        translations: self.everywhere(l, |o| urls.projects(o), |_| true),
                        funding: Vec::new(),
                        extra: ProjectsExtra {
                            programmes: self.programmes(l),
                        },
                    },
                )
            }
            Job::Project { lang, project } => {
                let l = self.lang(lang);
                let p = &site.projects[project];
                self.finish(
                    l,
                    Prepared {
                        template: "project.html",
                        url: urls.project(l, &p.id),
                        title: p.title_in(l).to_string(),
                        description: Some(p.body.first_paragraph.clone()).filter(|d| !d.is_empty()),
                        og_image: None,
                        translations: self.everywhere(l, |o| urls.project(o, &p.id), |_| true),
                        funding: vec![project],
                        extra: ProjectExtra {
                            project: self.project_view(project, l),
                            years: self.project_years(project, l),
                            outcomes: super::outcomes::view(
                                &self.outcomes.projects[project],
                                self.views.ui(l),
                                l,
                                "outcomes-map",
                            ),
                        },
                    },
                )
            }
            Job::Search { lang } => {
                let l = self.lang(lang);
                self.finish(
                    l,
                    Prepared {
                        template: "search.html",
                        url: urls.search(l),
                        title: self.views.ui(l).get("search"),
                        description: None,
                        og_image: None,
                        translations: self.everywhere(l, |o| urls.search(o), |_| true),
                        funding: Vec::new(),
                        extra: Empty {},
                    },
                )
            }
            Job::Mobility { lang } => {
                let l = self.lang(lang);
                let ui = self.views.ui(l);
                self.finish(
                    l,
                    Prepared {
                        template: "mobility.html",
                        url: urls.path(l, "mobility/"),
                        title: ui.get("mobility_page"),
                        description: Some(ui.get("outcomes_intro")),
                        og_image: None,
                        translations: self.everywhere(l, |o| urls.path(o, "mobility/"), |_| true),
                        funding: Vec::new(),
                        extra: MobilityExtra {
                            outcomes: super::outcomes::view(
                                &self.outcomes.site,
                                ui,
                                l,
                                "outcomes-map",
                            ),
                            projects: site
                                .projects
                                .iter()
                                .zip(&self.outcomes.projects)
                                .map(|(p, s)| {
                                    super::outcomes::project_row(
                                        p.title_in(l).to_string(),
                                        urls.project(l, &p.id),
                                        s,
                                    )
                                })
                                .collect(),
                        },
                    },
                )
            }
            Job::NotFound { lang } => {
                let l = self.lang(lang);
                self.finish(
                    l,
                    Prepared {
                        template: "404.html",
                        url: urls.path(l, "404.html"),
                        title: self.views.ui(l).get("not_found"),
                        description: None,
                        og_image: None,
                        translations: Vec::new(),
                        funding: Vec::new(),
                        extra: Empty {},
                    },
                )
            }
        }
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
            .filter(|s| s.reports.contains_key(lang) || s.titles.contains_key(lang))
            .map(|s| (s.title_in(lang).to_string(), urls.section(lang, &s.slug)))
            .collect();
        if !site.projects.is_empty() {
            items.push((ui.get("projects"), urls.projects(lang)));
            items.push((ui.get("mobility_page"), urls.path(lang, "mobility/")));
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

    fn finish<T: Serialize>(&self, lang: &str, p: Prepared<T>) -> Result<OutputFile, Diagnostic> {
        let site = self.site();
        let blocks: Vec<funding::PageBlock> = p
            .funding
            .iter()
            .filter_map(|&id| self.blocks.get(&(id, lang)).cloned())
            .collect();
        let base = Base {
            site: SiteView {
                title: &site.config.title,
                base_url: &site.config.base_url.absolute,
                origin: site.config.base_url.origin(),
                languages: &site.config.languages,
            },
            lang,
            t: self.views.ui(lang).all.clone(),
            home_url: self.urls().home(lang),
            static_url: self.urls().base_path().to_string(),
            permalink: self.urls().absolute(&p.url),
            description: p
                .description
                .filter(|d| !d.is_empty())
                .unwrap_or_else(|| site.config.title.clone()),
            title: p.title,
            og_image: p.og_image.unwrap_or_default(),
            nav: self.nav(lang, &p.url),
            plain_pages: self.plain_pages.get(lang).cloned().unwrap_or_default(),
            translations: p.translations,
            funding: blocks.iter().map(|b| b.html.clone()).collect(),
        };
        let template_error = |e: tera::Error| {
            let mut d = template_error(&e, &self.theme.origins);
            d.message = format!("{} (while rendering {})", d.message, p.url);
            d
        };
        let mut ctx = Context::from_serialize(&base).map_err(template_error)?;
        ctx.extend(Context::from_serialize(&p.extra).map_err(template_error)?);
        // Straight into bytes: templates are UTF-8 and so is every value in the context.
        let mut html = Vec::with_capacity(32 * 1024);
        self.theme
            .tera
            .render_to(p.template, &ctx, &mut html)
            .map_err(template_error)?;
        Ok(OutputFile {
            path: self.urls().output_file(&p.url),
            bytes: funding::ensure_blocks(html, &blocks),
        })
    }

    fn programmes(&self, lang: &str) -> Vec<ProgrammeGroup> {
        let site = self.site();
        let ui = self.views.ui(lang);
        let mut groups: Vec<ProgrammeGroup> = Vec::new();
        for id in site.config.programmes.ids() {
            let Some(programme) = site.config.programmes.get(id) else {
                continue;
            };
            let projects: Vec<ProjectSummary> = site
                .projects
                .iter()
                .filter(|p| p.programme == id)
                .map(|p| ProjectSummary {
                    id: p.id.clone(),
                    title: p.title_in(lang).to_string(),
                    code: p.code.clone(),
                    url: self.urls().project(lang, &p.id),
                    period_display: period(ui, p.start, p.end),
                    current: p.end.is_none_or(|end| end >= site.today),
                })
                .collect();
            if !projects.is_empty() {
                groups.push(ProgrammeGroup {
                    id: id.to_string(),
                    name: programme.name(lang).to_string(),
                    projects,
                });
            }
        }
        groups
    }

    fn project_view(&self, id: ProjectId, lang: &str) -> ProjectView {
        let site = self.site();
        let p = &site.projects[id];
        let ui = self.views.ui(lang);
        let urls = self.urls();
        let url = urls.project(lang, &p.id);
        let programme_name = site
            .config
            .programmes
            .get(&p.programme)
            .map(|g| g.name(lang).to_string())
            .unwrap_or_default();
        let mut titles = vec![LangTitle {
            lang: site.config.default_language().to_string(),
            title: p.title.clone(),
        }];
        titles.extend(p.titles.iter().map(|(l, t)| LangTitle {
            lang: l.clone(),
            title: t.clone(),
        }));
        ProjectView {
            id: p.id.clone(),
            title: p.title_in(lang).to_string(),
            code: p.code.clone(),
            programme_name,
            action_display: p
                .facts
                .action
                .as_deref()
                .map(|a| action_text(a, lang))
                .unwrap_or_default(),
            field_display: p
                .facts
                .field
                .as_deref()
                .map(|f| field_text(f, lang))
                .unwrap_or_default(),
            beneficiary: p.beneficiary.clone().unwrap_or_default(),
            agency: p.agency.clone().unwrap_or_default(),
            period_display: period(ui, p.start, p.end),
            current: p.end.is_none_or(|end| end >= site.today),
            content: self.views.body_html(&p.body),
            atom_url: format!("{url}atom.xml"),
            csv_url: format!("{}projects/{}/dissemination.csv", urls.base_path(), p.id),
            json_url: format!("{}projects/{}/dissemination.json", urls.base_path(), p.id),
            url,
            titles,
        }
    }

    fn project_years(&self, id: ProjectId, lang: &str) -> Vec<YearItems> {
        let site = self.site();
        let mut years: Vec<YearItems> = Vec::new();
        for &page in site.projects[id]
            .reports
            .iter()
            .filter(|&&pg| site.pages[pg].lang == lang)
        {
            let year = site.pages[page].date.map_or(0, |d| d.year());
            match years.last_mut() {
                Some(y) if y.year == year => y.pages.push(self.views.entry(page)),
                _ => years.push(YearItems {
                    year,
                    pages: vec![self.views.entry(page)],
                }),
            }
        }
        years
    }
}

fn action_text(code: &str, lang: &str) -> String {
    match funding::action_name(code, lang) {
        Some(name) => format!("{code} – {name}"),
        None => code.to_string(),
    }
}

fn field_text(code: &str, lang: &str) -> String {
    match funding::field_name(code, lang) {
        Some(name) => format!("{code} – {name}"),
        None => code.to_string(),
    }
}

fn period(
    ui: &crate::theme::UiStrings,
    start: Option<jiff::civil::Date>,
    end: Option<jiff::civil::Date>,
) -> String {
    match (start, end) {
        (Some(s), Some(e)) => format!("{} – {}", ui.day(s), ui.day(e)),
        (Some(s), None) => format!("{} –", ui.day(s)),
        (None, Some(e)) => format!("– {}", ui.day(e)),
        (None, None) => String::new(),
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
struct PageExtra {
    page: PageView,
}

#[derive(Serialize)]
struct ListExtra {
    intro: String,
    pages: Vec<tera::Value>,
    paginator: Option<Paginator>,
}

#[derive(Serialize)]
struct SectionView {
    title: String,
    url: String,
    content: String,
}

#[derive(Serialize)]
struct SectionExtra {
    section: SectionView,
    pages: Vec<tera::Value>,
    paginator: Option<Paginator>,
}

#[derive(Serialize)]
struct CountedLink {
    name: String,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct TagsExtra {
    tags: Vec<CountedLink>,
}

#[derive(Serialize)]
struct TagExtra {
    tag: CountedLink,
    pages: Vec<tera::Value>,
    paginator: Option<Paginator>,
}

#[derive(Serialize)]
struct YearLink {
    year: i16,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct ArchiveExtra {
    years: Vec<YearLink>,
}

#[derive(Serialize)]
struct YearView {
    year: i16,
    count: usize,
}

#[derive(Serialize)]
struct YearExtra {
    year: YearView,
    pages: Vec<tera::Value>,
    paginator: Option<Paginator>,
}

#[derive(Serialize)]
struct ProjectSummary {
    id: String,
    title: String,
    code: String,
    url: String,
    period_display: String,
    current: bool,
}

#[derive(Serialize)]
struct ProgrammeGroup {
    id: String,
    name: String,
    projects: Vec<ProjectSummary>,
}

#[derive(Serialize)]
struct ProjectsExtra {
    programmes: Vec<ProgrammeGroup>,
}

#[derive(Serialize)]
struct LangTitle {
    lang: String,
    title: String,
}

#[derive(Serialize)]
struct ProjectView {
    id: String,
    title: String,
    code: String,
    url: String,
    programme_name: String,
    action_display: String,
    field_display: String,
    beneficiary: String,
    agency: String,
    period_display: String,
    current: bool,
    content: String,
    atom_url: String,
    csv_url: String,
    json_url: String,
    titles: Vec<LangTitle>,
}

#[derive(Serialize)]
struct YearItems {
    year: i16,
    pages: Vec<tera::Value>,
}

#[derive(Serialize)]
struct ProjectExtra {
    project: ProjectView,
    years: Vec<YearItems>,
    outcomes: super::outcomes::OutcomesView,
}

#[derive(Serialize)]
struct MobilityExtra {
    outcomes: super::outcomes::OutcomesView,
    projects: Vec<super::outcomes::Row>,
}
