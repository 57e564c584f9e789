//! The list pages: the home page, sections, tags, the archive and its years.

use serde::Serialize;

use super::{PageParts, Renderer, chunk, page_count};
use crate::error::Diagnostic;
use crate::files::OutputFile;
use crate::render::context::Paginator;
use crate::site::PageId;

/// One page of a paginated list: its entries and the links to the others.
#[derive(Serialize)]
struct Paged {
    pages: Vec<tera::Value>,
    paginator: Option<Paginator>,
}

#[derive(Serialize)]
struct ListExtra {
    intro: String,
    #[serde(flatten)]
    paged: Paged,
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
    #[serde(flatten)]
    paged: Paged,
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
    #[serde(flatten)]
    paged: Paged,
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
    #[serde(flatten)]
    paged: Paged,
}

impl Renderer<'_> {
    /// Page `n` of the list `ids`, whose first page is at `first`.
    fn paged(&self, ids: &[PageId], first: &str, n: usize) -> Paged {
        let per = self.site().config.paginate;
        Paged {
            pages: self.views.items(chunk(ids, per, n)),
            paginator: Paginator::new(self.urls(), first, n, page_count(ids.len(), per)),
        }
    }

    pub(super) fn home(&self, l: &str, n: usize) -> Result<OutputFile, Diagnostic> {
        let site = self.site();
        let urls = self.urls();
        let per = site.config.paginate;
        let ids = site.reports_by_lang.get(l).map_or(&[][..], Vec::as_slice);
        let first = urls.home(l);
        let intro = site.home.get(l);
        let title = intro
            .and_then(|i| i.title.clone())
            .unwrap_or_else(|| site.config.title.clone());
        self.finish(
            l,
            PageParts {
                description: intro
                    .map(|i| i.body.first_paragraph.clone())
                    .filter(|d| !d.is_empty()),
                translations: self.everywhere(
                    l,
                    |o| urls.paginated(&urls.home(o), n),
                    |o| page_count(site.reports_by_lang.get(o).map_or(0, Vec::len), per) >= n,
                ),
                ..PageParts::new(
                    "index.html",
                    urls.paginated(&first, n),
                    self.numbered(l, title, n),
                    ListExtra {
                        intro: if n == 1 {
                            intro
                                .map(|i| self.views.body_html(&i.body))
                                .unwrap_or_default()
                        } else {
                            String::new()
                        },
                        paged: self.paged(ids, &first, n),
                    },
                )
            },
        )
    }

    pub(super) fn section(
        &self,
        section: usize,
        l: &str,
        n: usize,
    ) -> Result<OutputFile, Diagnostic> {
        let site = self.site();
        let urls = self.urls();
        let per = site.config.paginate;
        let s = &site.sections[section];
        let ids = s.reports.get(l).map_or(&[][..], Vec::as_slice);
        let first = urls.section(l, &s.slug);
        self.finish(
            l,
            PageParts {
                translations: self.everywhere(
                    l,
                    |o| urls.paginated(&urls.section(o, &s.slug), n),
                    |o| {
                        s.exists_in(o) && page_count(s.reports.get(o).map_or(0, Vec::len), per) >= n
                    },
                ),
                ..PageParts::new(
                    "section.html",
                    urls.paginated(&first, n),
                    self.numbered(l, s.title_in(l).to_string(), n),
                    SectionExtra {
                        section: SectionView {
                            title: s.title_in(l).to_string(),
                            url: first.clone(),
                            content: s
                                .intros
                                .get(l)
                                .map(|i| self.views.body_html(i))
                                .unwrap_or_default(),
                        },
                        paged: self.paged(ids, &first, n),
                    },
                )
            },
        )
    }

    pub(super) fn tags(&self, l: &str) -> Result<OutputFile, Diagnostic> {
        let urls = self.urls();
        let groups = self.site().tags.get(l).map_or(&[][..], Vec::as_slice);
        self.finish(
            l,
            PageParts {
                translations: self.everywhere(l, |o| urls.tags(o), |_| true),
                ..PageParts::new(
                    "tags.html",
                    urls.tags(l),
                    self.views.ui(l).get("tags"),
                    TagsExtra {
                        tags: groups
                            .iter()
                            .map(|g| CountedLink {
                                name: g.tag.name.clone(),
                                url: urls.tag(l, &g.tag.slug),
                                count: g.pages.len(),
                            })
                            .collect(),
                    },
                )
            },
        )
    }

    pub(super) fn tag(&self, l: &str, tag: usize, n: usize) -> Result<OutputFile, Diagnostic> {
        let urls = self.urls();
        let group = &self.site().tags[l][tag];
        let first = urls.tag(l, &group.tag.slug);
        let slug = &group.tag.slug;
        self.finish(
            l,
            PageParts {
                translations: self.everywhere(
                    l,
                    |o| urls.tag(o, slug),
                    |o| {
                        self.tag_slugs
                            .get(o)
                            .is_some_and(|slugs| slugs.contains(slug.as_str()))
                    },
                ),
                ..PageParts::new(
                    "tag.html",
                    urls.paginated(&first, n),
                    self.numbered(l, group.tag.name.clone(), n),
                    TagExtra {
                        tag: CountedLink {
                            name: group.tag.name.clone(),
                            url: first.clone(),
                            count: group.pages.len(),
                        },
                        paged: self.paged(&group.pages, &first, n),
                    },
                )
            },
        )
    }

    pub(super) fn archive(&self, l: &str) -> Result<OutputFile, Diagnostic> {
        let urls = self.urls();
        let groups = self.site().years.get(l).map_or(&[][..], Vec::as_slice);
        self.finish(
            l,
            PageParts {
                translations: self.everywhere(l, |o| urls.archive(o), |_| true),
                ..PageParts::new(
                    "archive.html",
                    urls.archive(l),
                    self.views.ui(l).get("archive"),
                    ArchiveExtra {
                        years: groups
                            .iter()
                            .map(|g| YearLink {
                                year: g.year,
                                url: urls.year(l, g.year),
                                count: g.pages.len(),
                            })
                            .collect(),
                    },
                )
            },
        )
    }

    pub(super) fn year(&self, l: &str, year: usize, n: usize) -> Result<OutputFile, Diagnostic> {
        let site = self.site();
        let urls = self.urls();
        let group = &site.years[l][year];
        let first = urls.year(l, group.year);
        let y = group.year;
        self.finish(
            l,
            PageParts {
                translations: self.everywhere(
                    l,
                    |o| urls.year(o, y),
                    |o| {
                        site.years
                            .get(o)
                            .is_some_and(|gs| gs.iter().any(|g| g.year == y))
                    },
                ),
                ..PageParts::new(
                    "year.html",
                    urls.paginated(&first, n),
                    self.numbered(l, y.to_string(), n),
                    YearExtra {
                        year: YearView {
                            year: y,
                            count: group.pages.len(),
                        },
                        paged: self.paged(&group.pages, &first, n),
                    },
                )
            },
        )
    }
}
