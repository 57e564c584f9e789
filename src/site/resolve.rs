//! From loaded sources to a [`Site`]: URLs, projects, translations, taxonomies, links.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use jiff::civil::Date;
use rayon::prelude::*;

use super::claims::{Claimant, Claims, Clash};
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
pub struct Options {
    /// Publish drafts and future-dated pages too (`--drafts`, and `serve`).
    pub drafts: bool,
    /// The build's time: later dates are "the future".
    pub now: Timestamp,
}

/// Longest summary taken from a first paragraph, in characters.
const SUMMARY_CHARS: usize = 300;

/// Bodies rendered by an earlier resolve, kept for the next one (`serve`): a body whose
/// text is unchanged, and whose links still lead where they led, is not rendered again.
#[derive(Debug, Default)]
pub struct Bodies {
    /// The base URL the bodies were rendered for (their asset URLs start with it).
    base: String,
    by_file: HashMap<(String, String), Body>,
    /// Keep nothing: there is no next resolve (`build`).
    off: bool,
}

#[derive(Debug)]
struct Body {
    text: u128,
    /// Every link lookup the rendering made, and its answer.
    lookups: Vec<(String, String, Option<String>)>,
    rendered: Arc<Rendered>,
}

impl Bodies {
    /// Bodies that keep nothing, for a resolve that is the only one.
    pub fn off() -> Bodies {
        Bodies {
            off: true,
            ..Bodies::default()
        }
    }

    /// `source`'s body in `lang`, rendered, or taken over from the previous resolve.
    fn render(&self, source: &Source, lang: &str, links: &Links) -> (Arc<Rendered>, Option<Body>) {
        if self.off {
            let rendered = markdown::render(&source.body, &source.rel, lang, links);
            return (Arc::new(rendered), None);
        }
        let text = xxhash_rust::xxh3::xxh3_128(source.body.as_bytes());
        if let Some(old) = self.by_file.get(&(source.rel.clone(), lang.to_string()))
            && old.text == text
            && old
                .lookups
                .iter()
                .all(|(rel, l, url)| links.page_url(rel, l) == *url)
        {
            return (old.rendered.clone(), None);
        }
        let recording = Recording {
            links,
            lookups: RefCell::default(),
        };
        let rendered = Arc::new(markdown::render(
            &source.body,
            &source.rel,
            lang,
            &recording,
        ));
        let body = Body {
            text,
            lookups: recording.lookups.into_inner(),
            rendered: rendered.clone(),
        };
        (rendered, Some(body))
    }
}

impl Bodies {
    /// Remember this resolve's bodies (and only those) for the next.
    /// What to remember of `source`'s body in `lang` for [`Bodies::keep`]: nothing when
    /// these bodies keep nothing.
    fn made(&self, source: &Source, lang: &str, new: Option<Body>) -> Option<Made> {
        (!self.off).then(|| ((source.rel.clone(), lang.to_string()), new))
    }

    fn keep(&mut self, made: Vec<Made>) {
        let mut old = std::mem::take(&mut self.by_file);
        for (key, new) in made {
            if let Some(body) = new.or_else(|| old.remove(&key)) {
                self.by_file.insert(key, body);
            }
        }
    }
}

/// Resolve `content` into a [`Site`], or every error found.
pub fn resolve(config: Config, content: Content, options: &Options) -> Result<Site, Diagnostics> {
    resolve_with(config, content, options, &mut Bodies::default())
}

/// A body by (file, language), and what to remember of it when it was rendered anew.
type Made = ((String, String), Option<Body>);

/// What resolving one page adds to the site.
struct PageDone {
    made: Option<Made>,
    problems: Diagnostics,
    external: Vec<ExternalLink>,
    page: Page,
}

/// [`resolve`], taking unchanged bodies from `bodies` and leaving this resolve's in it.
pub fn resolve_with(
    config: Config,
    content: Content,
    options: &Options,
    bodies: &mut Bodies,
) -> Result<Site, Diagnostics> {
    let mut problems = Diagnostics::default();
    let urls = Urls::new(config.base_url.clone(), config.default_language());
    if bodies.base != config.base_url.absolute {
        bodies.by_file.clear();
        bodies.base = config.base_url.absolute.clone();
    }
    let ctx = Ctx {
        config: &config,
        urls: &urls,
    };

    let mut home_src = Vec::new();
    let mut index_src = Vec::new();
    let mut project_src = Vec::new();
    let mut page_src = Vec::new();
    for source in content.sources.iter().map(|s| &**s) {
        match &source.kind {
            Kind::Home(front) => home_src.push((source, front)),
            Kind::SectionIndex { section, front } => index_src.push((source, section, front)),
            Kind::Project { id, front } => project_src.push((source, id, front)),
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
    let index_files: HashMap<(&str, &str), &Source> = index_src
        .iter()
        .map(|(s, section, _)| ((section.as_str(), s.lang.as_str()), *s))
        .collect();

    let resolved: Vec<(PageMeta, Diagnostics)> = page_src
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
            // A page with errors is still resolved as far as it goes, so its links are
            // checked too.
            ctx.page_meta(
                source, section_id, &sections, front, inherited, &projects, options,
            )
        })
        .collect();
    let mut metas = Vec::with_capacity(resolved.len());
    for (meta, errors) in resolved {
        problems.extend(errors);
        metas.push(meta);
    }
    check_unique_urls(&metas, &sections, &ctx, &mut problems);

    let links = ctx.links(&metas, &projects, &sections, &index_src, &home_src);
    let published: Vec<PageMeta> = metas.into_iter().filter(|m| m.published).collect();

    // Every body this resolve shows, by (file, language), with what to remember of it.
    let mut made: Vec<Made> = Vec::new();
    let rendered: Vec<(Arc<Rendered>, Option<Body>)> = published
        .par_iter()
        .map(|m| bodies.render(m.source, &m.source.lang, &links))
        .collect();
    // Each page on its own core; what it adds to the site's lists, in page order after.
    let done: Vec<PageDone> = published
        .into_par_iter()
        .zip(rendered)
        .map(|(meta, (body, new))| {
            let mut problems = Diagnostics::default();
            let mut external = Vec::new();
            report_broken(&body, meta.source, &ctx, &mut problems);
            note_external(&body, meta.source, &ctx, &mut external);
            if let Some(cover) = meta
                .cover
                .as_ref()
                .filter(|c| markdown::is_web_address(&c.url))
            {
                external.push(ExternalLink {
                    file: ctx.file(&meta.source.path),
                    line: key_line(&meta.source.front_text, "cover")
                        .map_or(1, |l| l + meta.source.front_line),
                    url: cover.url.clone(),
                });
            }
            PageDone {
                made: bodies.made(meta.source, &meta.source.lang, new),
                problems,
                external,
                page: meta.into_page(body, &ctx),
            }
        })
        .collect();
    let mut pages: Vec<Page> = Vec::with_capacity(done.len());
    let mut external_links = Vec::new();
    for d in done {
        made.extend(d.made);
        problems.extend(d.problems);
        external_links.extend(d.external);
        pages.push(d.page);
    }
    let mut body_of = |source: &Source, lang: &str| {
        let (rendered, new) = bodies.render(source, lang, &links);
        made.extend(bodies.made(source, lang, new));
        Arc::unwrap_or_clone(rendered)
    };
    for (project, (source, ..)) in projects
        .iter_mut()
        .zip(sorted_project_sources(&project_src))
    {
        project.body = body_of(source, config.default_language());
        report_broken(&project.body, source, &ctx, &mut problems);
        note_external(&project.body, source, &ctx, &mut external_links);
    }
    for (source, name, _) in &index_src {
        let body = body_of(source, &source.lang);
        report_broken(&body, source, &ctx, &mut problems);
        note_external(&body, source, &ctx, &mut external_links);
        if let Some(section) = sections.iter_mut().find(|s| &s.name == *name) {
            section.intros.insert(source.lang.clone(), body);
        }
    }
    let mut home = BTreeMap::new();
    for (source, front) in &home_src {
        let body = body_of(source, &source.lang);
        report_broken(&body, source, &ctx, &mut problems);
        note_external(&body, source, &ctx, &mut external_links);
        home.insert(
            source.lang.clone(),
            Intro {
                title: front.title.clone(),
                body,
            },
        );
    }
    bodies.keep(made);
    if problems.has_errors() {
        return Err(problems.sorted());
    }

    order_pages(&mut pages);
    link_translations(&mut pages);
    let reports_by_lang = reports_by_lang(&pages, &config.languages);
    for (id, page) in pages.iter().enumerate() {
        if let PageKind::Report { section } = page.kind {
            sections[section]
                .reports
                .entry(page.lang.clone())
                .or_default()
                .push(id);
        }
        for &p in &page.projects {
            projects[p].reports.push(id);
        }
    }
    let tags = tag_groups(&pages, &reports_by_lang);
    let years = year_groups(&pages, &reports_by_lang);
    Ok(Site {
        config,
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

/// A page's facts before its body is rendered.
struct PageMeta<'a> {
    source: &'a Source,
    kind: PageKind,
    slug: String,
    url: String,
    title: String,
    date: Option<PageDate>,
    authors: Vec<String>,
    tags: Vec<Tag>,
    projects: Vec<ProjectId>,
    summary: Option<String>,
    cover: Option<CoverImage>,
    mobility: Option<Mobility>,
    draft: bool,
    published: bool,
    /// `aliases:` as written, with where each redirect page goes.
    aliases: Vec<(String, String)>,
}

impl PageMeta<'_> {
    fn into_page(self, body: Arc<Rendered>, ctx: &Ctx) -> Page {
        let summary = self
            .summary
            .unwrap_or_else(|| truncate_words(&body.first_paragraph, SUMMARY_CHARS));
        Page {
            kind: self.kind,
            file: ctx.file(&self.source.path),
            rel: self.source.rel.clone(),
            lang: self.source.lang.clone(),
            slug: self.slug,
            output: ctx.urls.output_file(&self.url),
            url: self.url,
            title: self.title,
            date: self.date,
            authors: self.authors,
            tags: self.tags,
            projects: self.projects,
            summary,
            cover: self.cover,
            mobility: self.mobility,
            draft: self.draft,
            body,
            body_line: self.source.body_line,
            front: (self.source.front_text.clone(), self.source.front_line),
            translations: Vec::new(),
            aliases: self.aliases.into_iter().map(|(_, output)| output).collect(),
        }
    }
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

    fn project(
        &self,
        source: &Source,
        id: &str,
        front: &ProjectFront,
    ) -> Result<Project, Diagnostic> {
        let f = &front.fields;
        let example =
            "e.g. `code: 2023-1-LV01-KA121-SCH-000138745` (the number on the grant agreement)";
        let title = f.title.clone().ok_or_else(|| {
            self.error(
                source,
                None,
                format!("project `{id}` has no `title:`: add the project's title"),
            )
        })?;
        let code = f.code.clone().ok_or_else(|| {
            self.error(
                source,
                None,
                format!("project `{id}` has no `code:`: {example}"),
            )
        })?;
        let programme_id = f.programme.clone().ok_or_else(|| {
            self.error(
                source,
                None,
                format!(
                    "project `{id}` has no `programme:`: expected one of {}",
                    self.known_programmes()
                ),
            )
        })?;
        let programme = self.config.programmes.get(&programme_id).ok_or_else(|| {
            self.error(source, Some("programme"), format!(
                "`programme: {programme_id}` is not a programme lapa knows: expected one of {} (or add it under `programmes:` in site.yaml)",
                self.known_programmes()
            ))
        })?;
        let facts = programme
            .check_code(&code)
            .map_err(|message| self.error(source, Some("code"), message))?;
        let start = self.optional_date(source, "start", f.start.as_deref())?;
        let end = self.optional_date(source, "end", f.end.as_deref())?;
        if let (Some(s), Some(e)) = (start, end)
            && e < s
        {
            return Err(self.error(
                source,
                Some("end"),
                format!("the project ends ({e}) before it starts ({s})"),
            ));
        }
        for lang in front.titles.keys() {
            if !self.config.languages.contains(lang) {
                return Err(self.error(source, Some(&format!("title_{lang}")), format!(
                    "`title_{lang}` is for a language the site does not have: expected one of {}",
                    self.config.languages.iter().map(|l| format!("title_{l}")).collect::<Vec<_>>().join(", ")
                )));
            }
        }
        Ok(Project {
            id: slug::slugify(id),
            file: self.file(&source.path),
            title,
            titles: front.titles.clone(),
            code,
            programme: programme_id,
            facts,
            beneficiary: f.beneficiary.clone(),
            agency: f.agency.clone(),
            start,
            end,
            disclaimer: f.disclaimer.clone(),
            body: Rendered::default(),
            reports: Vec::new(),
        })
    }

    fn known_programmes(&self) -> String {
        self.config.programmes.ids().collect::<Vec<_>>().join(", ")
    }

    fn optional_date(
        &self,
        source: &Source,
        key: &str,
        text: Option<&str>,
    ) -> Result<Option<Date>, Diagnostic> {
        text.map(|t| {
            t.trim().parse::<Date>().map_err(|_| {
                self.error(
                    source,
                    Some(key),
                    format!("`{key}: {t}` is not a date: expected e.g. `{key}: 2024-03-18`"),
                )
            })
        })
        .transpose()
    }

    fn sections(
        &self,
        index_src: &[(&Source, &String, &IndexFront)],
        page_src: &[(&Source, Option<&String>, &PageFront)],
        problems: &mut Diagnostics,
    ) -> Vec<Section> {
        let mut names: Vec<&String> = index_src
            .iter()
            .map(|(_, s, _)| *s)
            .chain(page_src.iter().filter_map(|(_, s, _)| *s))
            .collect();
        names.sort();
        names.dedup();
        let mut sections = Vec::new();
        for name in names {
            let slug = slug::slugify(name);
            if RESERVED.contains(&slug.as_str()) || slug.is_empty() {
                problems.push(Diagnostic::new(
                    format!("content/{name}"),
                    format!("a section cannot be called `{name}`: lapa uses /{slug}/ for its own pages; rename the folder"),
                ));
                continue;
            }
            let titles = index_src
                .iter()
                .filter(|(_, s, _)| *s == name)
                .filter_map(|(src, _, f)| f.title.clone().map(|t| (src.lang.clone(), t)))
                .collect();
            sections.push(Section {
                name: name.clone(),
                slug,
                titles,
                intros: BTreeMap::new(),
                reports: BTreeMap::new(),
            });
        }
        sections
    }

    #[allow(clippy::too_many_arguments)]
    fn page_meta<'s>(
        &self,
        source: &'s Source,
        section: Option<usize>,
        sections: &[Section],
        front: &PageFront,
        inherited: Option<(&IndexFront, &Source)>,
        projects: &[Project],
        options: &Options,
    ) -> (PageMeta<'s>, Diagnostics) {
        let mut errors = Diagnostics::default();
        let is_report = section.is_some();
        let title = front.title.clone().unwrap_or_else(|| {
            errors.push(
                self.error(
                    source,
                    None,
                    "no `title:`: every page needs a title, e.g. `title: \"Mentorings Budapeštā\"`"
                        .into(),
                ),
            );
            String::new()
        });
        let date = match &front.date {
            Some(text) => PageDate::parse(text)
                .map_err(|m| errors.push(self.error(source, Some("date"), m)))
                .ok(),
            None if is_report => {
                errors.push(self.error(source, None, "no `date:`: a report needs the day it was published, e.g. `date: 2024-03-28`".into()));
                None
            }
            None => None,
        };
        let file_stem = source.key.rsplit('/').next().unwrap_or(&source.key);
        let slug = match &front.slug {
            Some(s) => slug::slugify(s),
            None => slug::from_file_stem(file_stem),
        };
        if slug.is_empty() {
            errors.push(self.error(source, Some("slug"), "the page's URL would be empty: give the file a name with letters, or set `slug:`".into()));
        }
        if section.is_none() && RESERVED.contains(&slug.as_str()) {
            errors.push(self.error(source, Some("slug"), format!(
                "a page cannot have the URL /{slug}/: lapa uses it for its own pages; rename the file or set `slug:`"
            )));
        }
        let url = match section {
            Some(s) => self.urls.report(&source.lang, &sections[s].slug, &slug),
            None => self.urls.plain(&source.lang, &slug),
        };

        let (project_names, project_src, project_key) = match (&front.project, inherited) {
            (crate::content::OneOrMany::None, Some((index, index_source))) => {
                (index.project.clone().into_vec(), index_source, "project")
            }
            (p, _) => (p.clone().into_vec(), source, "project"),
        };
        let mut project_ids = Vec::new();
        for name in project_names {
            match projects
                .iter()
                .position(|p| p.id == name || p.code == name || p.id == slug::slugify(&name))
            {
                Some(i) if !project_ids.contains(&i) => project_ids.push(i),
                Some(_) => {}
                None => {
                    let known: Vec<&str> = projects.iter().map(|p| p.id.as_str()).collect();
                    errors.push(self.error(project_src, Some(project_key), format!(
                        "`project: {name}` names no project: known projects are {} (files in content/projects/)",
                        if known.is_empty() { "none yet".to_string() } else { known.join(", ") }
                    )));
                }
            }
        }

        let tag_names = front
            .tags
            .clone()
            .or_else(|| inherited.and_then(|(i, _)| i.tags.clone()))
            .unwrap_or_default();
        let mut tags: Vec<Tag> = Vec::new();
        for name in tag_names {
            let name = name.trim().to_string();
            let tag_slug = slug::slugify(&name);
            if tag_slug.is_empty() {
                errors.push(self.error(
                    source,
                    Some("tags"),
                    format!(
                        "the tag `{name}` has no letters or digits: its page would have no URL"
                    ),
                ));
            } else if !tags.iter().any(|t| t.slug == tag_slug) {
                tags.push(Tag {
                    name,
                    slug: tag_slug,
                });
            }
        }

        let cover = front.cover.as_ref().map(|c| {
            let (url, rel) = self.file_url(&source.rel, &c.src);
            CoverImage {
                url,
                rel,
                alt: c.alt.clone(),
            }
        });
        let mobility = match &front.mobility {
            Some(m) => self.mobility(source, m).map_err(|d| errors.push(d)).ok(),
            None => None,
        };
        let mut aliases = Vec::new();
        for alias in front.aliases.clone().into_vec() {
            match super::aliases::output_of(&alias) {
                Ok(Some(output)) => aliases.push((alias, output)),
                Ok(None) => {}
                Err(message) => errors.push(self.error(source, Some("aliases"), message)),
            }
        }
        let future = date.is_some_and(|d| d.instant > options.now);
        let meta = PageMeta {
            source,
            kind: match section {
                Some(section) => PageKind::Report { section },
                None => PageKind::Plain,
            },
            slug,
            url,
            title,
            date,
            authors: front.authors.clone().into_vec(),
            tags,
            projects: project_ids,
            summary: front.summary.clone(),
            cover,
            mobility,
            draft: front.draft || future,
            published: options.drafts || !(front.draft || future),
            aliases,
        };
        (meta, errors)
    }

    /// The URL of a file named in front matter (relative to the Markdown file, or a site path).
    fn file_url(&self, page_rel: &str, src: &str) -> (String, Option<String>) {
        if src.contains("://") {
            return (src.to_string(), None);
        }
        if let Some(site_path) = src.strip_prefix('/') {
            return (self.urls.file(site_path), Some(site_path.to_string()));
        }
        let dir = page_rel.rsplit_once('/').map_or("", |(d, _)| d);
        let rel = if dir.is_empty() {
            src.to_string()
        } else {
            format!("{dir}/{src}")
        };
        (self.urls.file(&rel), Some(rel))
    }

    fn mobility(
        &self,
        source: &Source,
        m: &crate::content::MobilityFront,
    ) -> Result<Mobility, Diagnostic> {
        let activity = match m.activity.as_deref() {
            None => Activity::Other,
            Some(a) => Activity::parse(a).ok_or_else(|| {
                self.error(source, Some("mobility"), format!(
                    "`activity: {a}` is not a kind of mobility: expected course, job-shadowing, teaching, conference or other"
                ))
            })?,
        };
        let date = |key: &str, v: &Option<String>| -> Result<Option<Date>, Diagnostic> {
            v.as_deref()
                .map(|t| {
                    t.trim().parse::<Date>().map_err(|_| {
                        self.error(source, Some("mobility"), format!("mobility `{key}: {t}` is not a date: expected e.g. `{key}: 2024-03-18`"))
                    })
                })
                .transpose()
        };
        let start = date("start", &m.start)?;
        let end = date("end", &m.end)?;
        if let (Some(s), Some(e)) = (start, end)
            && e < s
        {
            return Err(self.error(
                source,
                Some("mobility"),
                format!("the mobility ends ({e}) before it starts ({s})"),
            ));
        }
        Ok(Mobility {
            activity,
            title: m.title.clone(),
            place: m.place.clone(),
            start,
            end,
        })
    }

    /// The table a Markdown link to a content file is looked up in.
    fn links(
        &self,
        metas: &[PageMeta],
        projects: &[Project],
        sections: &[Section],
        index_src: &[(&Source, &String, &IndexFront)],
        home_src: &[(&Source, &IndexFront)],
    ) -> Links {
        let mut links = Links {
            urls: self.urls.clone(),
            by_rel: HashMap::new(),
            by_key: HashMap::new(),
        };
        for m in metas {
            links.add(&m.source.rel, &m.source.key, &m.source.lang, m.url.clone());
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
struct Recording<'a> {
    links: &'a Links,
    lookups: RefCell<Vec<(String, String, Option<String>)>>,
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
struct Links {
    urls: Urls,
    /// A file under `content/` → its translation key and its own language.
    by_rel: HashMap<String, (String, String)>,
    /// A translation key → (language, URL) of each version.
    by_key: HashMap<String, Vec<(String, String)>>,
}

impl Links {
    fn add(&mut self, rel: &str, key: &str, lang: &str, url: String) {
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

fn report_broken(body: &Rendered, source: &Source, ctx: &Ctx, problems: &mut Diagnostics) {
    for (line, message) in &body.broken {
        problems.push(
            Diagnostic::new(ctx.file(&source.path), message.clone())
                .at(line + source.body_line - 1, None),
        );
    }
    for (line, url) in &body.dropped_links {
        let shown: String = url.chars().take(60).collect();
        problems.push(
            Diagnostic::new(
                ctx.file(&source.path),
                format!(
                    "the link to `{shown}` was left out (its text is kept): `javascript:`, `vbscript:` and `data:` addresses run code in the reader's browser; link to a page or a file instead"
                ),
            )
            .at(line + source.body_line - 1, None)
            .warning(),
        );
    }
}

/// The links in `body` that lead to other websites, at their lines in the file.
fn note_external(body: &Rendered, source: &Source, ctx: &Ctx, links: &mut Vec<ExternalLink>) {
    links.extend(body.external_links.iter().map(|(line, url)| ExternalLink {
        file: ctx.file(&source.path),
        line: line + source.body_line - 1,
        url: url.clone(),
    }));
}

/// Claim every output path a page, a section, a language's home or an alias makes, so
/// that two of them at one file (in any letter case) are an error naming both.
fn check_unique_urls(
    metas: &[PageMeta],
    sections: &[Section],
    ctx: &Ctx,
    problems: &mut Diagnostics,
) {
    let mut claims = Claims::default();
    let urls = ctx.urls;
    // Lapa's own pages first, so that a clash is reported on the file that makes it.
    for lang in &ctx.config.languages {
        let home = urls.home(lang);
        let who = Claimant {
            file: "site.yaml".into(),
            line: None,
            what: format!("the home page of the language `{lang}` ({home})"),
        };
        // Languages are distinct: their homes cannot clash with each other.
        let _ = claims.claim(&urls.output_file(&home), who);
    }
    for section in sections {
        for lang in &ctx.config.languages {
            let url = urls.section(lang, &section.slug);
            let who = Claimant {
                file: ctx.file(&ctx.config.root.join("content").join(&section.name)),
                line: None,
                what: format!("the section folder `content/{}` ({url})", section.name),
            };
            if let Err(clash) = claims.claim(&urls.output_file(&url), who) {
                problems.push(clash_error(
                    &clash,
                    "rename one of the folders (or merge them)",
                ));
            }
        }
    }
    for m in metas {
        let who = Claimant {
            file: ctx.file(&m.source.path),
            line: None,
            what: format!("this page ({})", m.url),
        };
        if let Err(clash) = claims.claim(&urls.output_file(&m.url), who) {
            problems.push(clash_error(&clash, "change one file's name or its `slug:`"));
        }
    }
    for m in metas {
        for (alias, output) in &m.aliases {
            let who = Claimant {
                file: ctx.file(&m.source.path),
                line: key_line(&m.source.front_text, "aliases").map(|l| l + m.source.front_line),
                what: format!("the alias `{alias}` of this page"),
            };
            if let Some(own) = lapas_own(output, &ctx.config.languages) {
                problems.push(
                    Diagnostic::new(who.file, format!(
                        "the alias `{alias}` is inside {own}, which lapa makes for its own pages: remove the alias or change it"
                    ))
                    .at(who.line.unwrap_or(1), None),
                );
            } else if let Err(clash) = claims.claim(output, who) {
                problems.push(clash_error(&clash, "remove or change the alias"));
            }
        }
    }
}

/// The place of lapa's own pages and files that `output` is in (`tags/`, `en/atom.xml` …).
fn lapas_own(output: &str, languages: &[String]) -> Option<String> {
    let lower = output.to_lowercase();
    let rest = languages
        .iter()
        .find_map(|l| lower.strip_prefix(&format!("{l}/")))
        .unwrap_or(&lower);
    let first = rest.split('/').next().unwrap_or(rest);
    if RESERVED.contains(&first) && rest.contains('/') {
        return Some(format!("/{first}/"));
    }
    ["atom.xml", "sitemap.xml", "robots.txt", "404.html"]
        .contains(&rest)
        .then(|| format!("/{rest}"))
}

/// The error for a second claim on an output path, on the second claimant's file.
fn clash_error(clash: &Clash, advice: &str) -> Diagnostic {
    let first = &clash.first;
    let first_what = first
        .what
        .strip_prefix("this page")
        .map_or_else(|| first.what.clone(), |rest| format!("the page{rest}"));
    let first_desc = if first.what.starts_with("the home page") || first.file == clash.second.file {
        first_what
    } else {
        format!("{first_what} in `{}`", first.file.display())
    };
    let mut message = format!(
        "{} and {first_desc} would be one file, {}",
        clash.second.what, clash.path
    );
    message.push_str(
        " (addresses that differ only in capital letters or trailing spaces are one file on Windows and macOS hosts): ",
    );
    message.push_str(advice);
    Diagnostic::new(clash.second.file.clone(), message).at(clash.second.line.unwrap_or(1), None)
}

/// Reports newest first (then by file, so equal dates keep one order), then plain pages.
fn order_pages(pages: &mut [Page]) {
    // By a key made once per page: the pages themselves are big, and a sort by
    // comparison would move each of them many times.
    pages.sort_by_cached_key(|p| {
        (
            p.kind == PageKind::Plain,
            std::cmp::Reverse(p.date),
            p.rel.clone(),
        )
    });
}

fn link_translations(pages: &mut [Page]) {
    let mut groups: HashMap<String, Vec<PageId>> = HashMap::new();
    for (id, p) in pages.iter().enumerate() {
        groups.entry(translation_key(p)).or_default().push(id);
    }
    for ids in groups.values().filter(|ids| ids.len() > 1) {
        for &id in ids {
            pages[id].translations = ids.iter().copied().filter(|&o| o != id).collect();
        }
    }
}

/// The file path without its language suffix: translations share it.
fn translation_key(p: &Page) -> String {
    let stem = p.rel.strip_suffix(".md").unwrap_or(&p.rel);
    match stem.rsplit_once('.') {
        Some((base, suffix)) if suffix == p.lang => base.to_string(),
        _ => stem.to_string(),
    }
}

fn reports_by_lang(pages: &[Page], languages: &[String]) -> BTreeMap<String, Vec<PageId>> {
    let mut map: BTreeMap<String, Vec<PageId>> =
        languages.iter().map(|l| (l.clone(), Vec::new())).collect();
    for (id, p) in pages.iter().enumerate() {
        if matches!(p.kind, PageKind::Report { .. }) {
            map.entry(p.lang.clone()).or_default().push(id);
        }
    }
    map
}

fn tag_groups(
    pages: &[Page],
    by_lang: &BTreeMap<String, Vec<PageId>>,
) -> BTreeMap<String, Vec<TagGroup>> {
    by_lang
        .iter()
        .map(|(lang, ids)| {
            let mut groups: BTreeMap<&str, TagGroup> = BTreeMap::new();
            for &id in ids {
                for tag in &pages[id].tags {
                    groups
                        .entry(&tag.slug)
                        .or_insert_with(|| TagGroup {
                            tag: tag.clone(),
                            pages: Vec::new(),
                        })
                        .pages
                        .push(id);
                }
            }
            let mut groups: Vec<TagGroup> = groups.into_values().collect();
            groups.sort_by(|a, b| collate::compare(lang, &a.tag.name, &b.tag.name));
            (lang.clone(), groups)
        })
        .collect()
}

fn year_groups(
    pages: &[Page],
    by_lang: &BTreeMap<String, Vec<PageId>>,
) -> BTreeMap<String, Vec<YearGroup>> {
    by_lang
        .iter()
        .map(|(lang, ids)| {
            let mut groups: Vec<YearGroup> = Vec::new();
            for &id in ids {
                let Some(year) = pages[id].date.map(|d| d.year()) else {
                    continue;
                };
                match groups.last_mut() {
                    Some(g) if g.year == year => g.pages.push(id),
                    _ => groups.push(YearGroup {
                        year,
                        pages: vec![id],
                    }),
                }
            }
            (lang.clone(), groups)
        })
        .collect()
}

/// Cut `text` at a word boundary before `max` characters, with an ellipsis.
fn truncate_words(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let at = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end_matches([',', ';', ':', ' ']))
}
