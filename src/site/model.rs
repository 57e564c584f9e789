//! The resolved site: every page, project, translation and taxonomy, checked and immutable.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use jiff::civil::Date;

use crate::config::Config;
use crate::content::Asset;
use crate::date::PageDate;
use crate::funding::{CodeFacts, FundedProject};
use crate::localized::Localized;
use crate::markdown::Rendered;

/// A page: its place in [`Site::pages`] (reports newest first, then plain pages by file),
/// so ids order as the pages do. Only `resolve` makes them; look a page up with
/// [`Site::page`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PageId(usize);

/// A project: its place in [`Site::projects`]. Only `resolve` makes them; look a project
/// up with [`Site::project`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProjectId(usize);

impl PageId {
    /// The page at `index` in [`Site::pages`].
    pub(crate) fn new(index: usize) -> PageId {
        PageId(index)
    }

    /// Its place in [`Site::pages`].
    pub fn index(self) -> usize {
        self.0
    }
}

impl ProjectId {
    /// The project at `index` in [`Site::projects`].
    pub(crate) fn new(index: usize) -> ProjectId {
        ProjectId(index)
    }

    /// Its place in [`Site::projects`].
    pub fn index(self) -> usize {
        self.0
    }
}

/// Everything the renderer needs, and nothing it has to look up on disk.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    /// The site's URL scheme, built once from `config`: every URL is made by it.
    pub urls: super::Urls,
    /// Published pages: reports newest first, then plain pages by file.
    pub pages: Vec<Page>,
    /// Projects, by id.
    pub projects: Vec<Project>,
    /// Sections by folder name, in name order.
    pub sections: Vec<Section>,
    /// The home page's intro per language (from `content/_index.md`).
    pub home: BTreeMap<String, Intro>,
    /// Files copied as they are.
    pub assets: Vec<Asset>,
    /// Reports per language, newest first (ids into `pages`).
    pub reports_by_lang: BTreeMap<String, Vec<PageId>>,
    /// Tags per language, in the language's collation order.
    pub tags: BTreeMap<String, Vec<TagGroup>>,
    /// Years per language, newest first.
    pub years: BTreeMap<String, Vec<YearGroup>>,
    /// The build's day, which decides whether a project is current or finished.
    pub today: Date,
    /// Every link and image leading to another website, page by page (`check --external`
    /// reports them sorted, with every other problem).
    pub external_links: Vec<ExternalLink>,
    /// What resolving noticed but published anyway (a link it left out), for the build
    /// to print.
    pub warnings: crate::error::Diagnostics,
}

/// A link or image leading to another website (`https://…`), and where it is written.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ExternalLink {
    /// The file, relative to the site's root, for messages.
    pub file: PathBuf,
    pub line: usize,
    /// The address as written.
    pub url: String,
}

impl Page {
    /// The file's line of front matter key `key` (line 1 when it has none).
    pub fn line_of(&self, key: &str) -> usize {
        crate::content::key_line(&self.front.text, key).map_or(1, |l| l + self.front.line)
    }
}

impl Site {
    /// The page `id` names.
    pub fn page(&self, id: PageId) -> &Page {
        &self.pages[id.0]
    }

    /// The project `id` names.
    pub fn project(&self, id: ProjectId) -> &Project {
        &self.projects[id.0]
    }

    /// Every page with its id, in [`Site::pages`]' order.
    pub fn pages_with_ids(&self) -> impl Iterator<Item = (PageId, &Page)> {
        self.pages.iter().enumerate().map(|(i, p)| (PageId(i), p))
    }

    /// Every project's id, in [`Site::projects`]' order.
    pub fn project_ids(&self) -> impl Iterator<Item = ProjectId> + use<> {
        (0..self.projects.len()).map(ProjectId)
    }

    /// Every project with its id, in [`Site::projects`]' order.
    pub fn projects_with_ids(&self) -> impl Iterator<Item = (ProjectId, &Project)> {
        self.projects
            .iter()
            .enumerate()
            .map(|(i, p)| (ProjectId(i), p))
    }

    /// What the funding rules need to know of `project` on a page in `lang`.
    pub fn funded(&self, project: ProjectId, lang: &str) -> Option<FundedProject<'_>> {
        let p = self.project(project);
        Some(FundedProject {
            code: &p.code,
            title: p.title_in(lang),
            programme: self.config.programmes.get(&p.programme)?,
            facts: &p.facts,
            agency: p.agency.as_deref(),
            beneficiary: p.beneficiary.as_deref(),
            disclaimer: p.disclaimer.as_ref(),
        })
    }
}

/// A report or a plain page.
#[derive(Debug, Clone, Hash)]
pub struct Page {
    pub kind: PageKind,
    /// The file, relative to the site's root (`content/news/x.md`), for messages.
    pub file: PathBuf,
    /// The file under `content/` (`news/x.md`).
    pub rel: String,
    pub lang: String,
    pub slug: String,
    /// The site path, with the base URL's sub-path (`/en/news/x/`).
    pub url: String,
    /// Where it is written under the output folder (`en/news/x/index.html`).
    pub output: String,
    pub title: String,
    pub date: Option<PageDate>,
    pub authors: Vec<String>,
    pub tags: Vec<Tag>,
    pub projects: Vec<ProjectId>,
    /// Plain text: front matter's `summary`, else the first paragraph.
    pub summary: String,
    pub cover: Option<CoverImage>,
    pub mobility: Option<Mobility>,
    pub draft: bool,
    /// The body, rendered (shared with the memo a rebuild keeps).
    pub body: Arc<Rendered>,
    /// The file's line the body starts on (lines in `body` count from there).
    pub body_line: usize,
    /// The front matter as written, to point at a key's line later.
    pub front: FrontText,
    /// The same page in the site's other languages.
    pub translations: Vec<PageId>,
    /// Where its redirect pages go under the output folder (from `aliases:`).
    pub aliases: Vec<String>,
}

/// A page's front matter as written.
#[derive(Debug, Clone, Hash)]
pub struct FrontText {
    /// Its text, between the `---` lines.
    pub text: String,
    /// The file's line its first line is on.
    pub line: usize,
}

/// Where a page belongs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PageKind {
    /// A page in a section (index into [`Site::sections`]).
    Report { section: usize },
    /// A page directly under `content/`.
    Plain,
}

/// A tag as a page names it, and its URL-safe form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Tag {
    pub name: String,
    pub slug: String,
}

/// A cover image: its URL and the words that describe it.
#[derive(Debug, Clone, Hash)]
pub struct CoverImage {
    pub url: String,
    /// The file under `content/`, when the cover is one of the site's own files.
    pub rel: Option<String>,
    pub alt: Option<String>,
}

/// What the mobility was.
#[derive(Debug, Clone, Hash)]
pub struct Mobility {
    pub activity: Activity,
    pub title: Option<String>,
    pub place: Option<String>,
    /// The country and city lapa read from `place` and `country` (`places`).
    pub location: crate::places::Place,
    /// How many people went (at least 1).
    pub participants: u32,
    pub start: Option<Date>,
    pub end: Option<Date>,
}

/// The kinds of mobility activity the spec knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Activity {
    Course,
    JobShadowing,
    Teaching,
    Conference,
    Other,
}

impl Activity {
    /// Parse the front matter word.
    pub fn parse(s: &str) -> Option<Activity> {
        Some(match s {
            "course" => Activity::Course,
            "job-shadowing" => Activity::JobShadowing,
            "teaching" => Activity::Teaching,
            "conference" => Activity::Conference,
            "other" => Activity::Other,
            _ => return None,
        })
    }

    /// The front matter word.
    pub fn as_str(self) -> &'static str {
        match self {
            Activity::Course => "course",
            Activity::JobShadowing => "job-shadowing",
            Activity::Teaching => "teaching",
            Activity::Conference => "conference",
            Activity::Other => "other",
        }
    }

    /// The UI string key of its name (`activity_job_shadowing`).
    pub fn ui_key(self) -> String {
        format!("activity_{}", self.as_str().replace('-', "_"))
    }
}

/// An EU-funded project, from `content/projects/ID.md`.
#[derive(Debug, Hash)]
pub struct Project {
    pub id: String,
    pub file: PathBuf,
    /// The title in the site's default language.
    pub title: String,
    /// Titles in other languages (`title_en`).
    pub titles: BTreeMap<String, String>,
    pub code: String,
    pub programme: String,
    pub facts: CodeFacts,
    pub beneficiary: Option<String>,
    pub agency: Option<String>,
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub disclaimer: Option<Localized>,
    /// The description from the file's body.
    pub body: Rendered,
    /// Published reports naming it, newest first, every language.
    pub reports: Vec<PageId>,
}

impl Project {
    /// The title in `lang`, else the default language's.
    pub fn title_in(&self, lang: &str) -> &str {
        self.titles.get(lang).unwrap_or(&self.title)
    }
}

/// A section: a folder under `content/`.
#[derive(Debug, Hash)]
pub struct Section {
    pub name: String,
    pub slug: String,
    /// Title per language (from `_index.md`), else the folder name.
    pub titles: BTreeMap<String, String>,
    /// Intro text per language (from `_index.md`'s body).
    pub intros: BTreeMap<String, Rendered>,
    /// Published reports per language, newest first.
    pub reports: BTreeMap<String, Vec<PageId>>,
}

impl Section {
    /// Whether the section has a page in `lang`: a report in it, or a title for it.
    /// The one answer for its list, the menu and the language switcher.
    pub fn exists_in(&self, lang: &str) -> bool {
        // Reports are only ever pushed into `reports`, so a language's list is never empty.
        self.reports.contains_key(lang) || self.titles.contains_key(lang)
    }

    /// The title in `lang`, else in any language, else the folder name.
    pub fn title_in(&self, lang: &str) -> &str {
        self.titles
            .get(lang)
            .or_else(|| self.titles.values().next())
            .map_or(&self.name, String::as_str)
    }
}

/// The home page's title and intro in one language.
#[derive(Debug, Default, Hash)]
pub struct Intro {
    pub title: Option<String>,
    pub body: Rendered,
}

/// One tag's pages in one language.
#[derive(Debug, Hash)]
pub struct TagGroup {
    pub tag: Tag,
    pub pages: Vec<PageId>,
}

/// One year's pages in one language.
#[derive(Debug, Hash)]
pub struct YearGroup {
    pub year: i16,
    pub pages: Vec<PageId>,
}
