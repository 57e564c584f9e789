//! What templates see: serialisable views of the site model, per docs/templates.md.

use std::sync::{Arc, OnceLock};

use serde::Serialize;

use crate::images::{self, Photos};
use crate::markdown::Rendered;
use crate::site::{CoverImage, HandedBodies, Page, PageId, PageKind, Site, Urls};
use crate::theme::UiStrings;

/// The variables every template gets that differ from page to page; the rest are
/// [`Shared`] by every page of a language.
#[derive(Serialize)]
pub struct Base<'a> {
    pub lang: &'a str,
    pub permalink: String,
    pub title: String,
    pub description: String,
    pub og_image: String,
    pub nav: Vec<NavItem>,
    pub translations: Vec<LangLink>,
}

/// The variables every page of a language shares, made into template values once per
/// build (the page's funding blocks, made once per project, come beside them): `site`
/// (a [`SiteView`]), `t`, `home_url`, `static_url` and `plain_pages` (the language's
/// plain pages, for the footer).
pub struct Shared {
    pub site: tera::Value,
    /// The language's one map, shared rather than copied.
    pub t: tera::Value,
    pub home_url: tera::Value,
    pub static_url: tera::Value,
    pub plain_pages: tera::Value,
}

#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub base_url: &'a str,
    pub origin: &'a str,
    pub languages: &'a [String],
}

#[derive(Serialize)]
pub struct NavItem {
    pub title: String,
    pub url: String,
    pub current: bool,
}

/// A link to this page (or list) in another language.
#[derive(Serialize, Clone)]
pub struct LangLink {
    pub lang: String,
    pub name: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct Link {
    pub name: String,
    pub url: String,
}

#[derive(Serialize, Clone)]
pub struct TitledLink {
    pub title: String,
    pub url: String,
}

/// A cover image. For a processed photo `src` is a mid-sized JPEG (or PNG) and the
/// `srcset`s, `width` and `height` are set; otherwise `src` is the file as it is.
#[derive(Serialize)]
pub struct CoverView {
    pub src: String,
    pub alt: String,
    /// The file as the teacher saved it.
    pub original: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// `480w`, `960w` … of the JPEG (or PNG) variants; empty when not processed.
    pub srcset: String,
    /// The same widths in WebP; empty when not processed.
    pub srcset_webp: String,
    /// The MIME type of `src` and `srcset` (`image/jpeg`, `image/png`), when processed.
    #[serde(rename = "type")]
    pub mime: String,
}

/// A report as a list shows it.
#[derive(Serialize)]
pub struct ListItem {
    pub title: String,
    pub url: String,
    pub lang: String,
    pub date: String,
    pub date_display: String,
    pub summary: String,
    pub cover: Option<CoverView>,
    pub tags: Vec<Link>,
    pub authors: Vec<String>,
    pub section: Option<TitledLink>,
    pub translations: Vec<LangLink>,
    pub draft: bool,
}

/// A report or plain page, whole.
#[derive(Serialize)]
pub struct PageView {
    #[serde(flatten)]
    pub item: ListItem,
    pub content: String,
    pub projects: Vec<ProjectLink>,
    pub mobility: Option<MobilityView>,
}

#[derive(Serialize)]
pub struct ProjectLink {
    pub id: String,
    pub title: String,
    pub code: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct MobilityView {
    pub activity: String,
    pub activity_display: String,
    pub title: Option<String>,
    pub place: Option<String>,
    /// The country's name in the page's language, when lapa knows it.
    pub country: Option<String>,
    pub participants: u32,
    pub start: Option<String>,
    pub end: Option<String>,
    pub start_display: Option<String>,
    pub end_display: Option<String>,
}

#[derive(Serialize)]
pub struct Paginator {
    pub current: usize,
    pub total: usize,
    pub prev_url: String,
    pub next_url: String,
    pub pages: Vec<PagerEntry>,
}

#[derive(Serialize)]
pub struct PagerEntry {
    pub number: usize,
    pub url: String,
    pub current: bool,
    /// Pages are left out between the previous entry and this one.
    pub gap_before: bool,
}

/// Pages a pager links to: the first, the last, and two on each side of the current one.
/// (Linking every page would make each of a 1,000-page list's pages list 1,000 links.)
const PAGER_REACH: usize = 2;

impl Paginator {
    /// The pager of page `current` (1-based) of `total` pages whose first is at `first`.
    pub fn new(urls: &Urls, first: &str, current: usize, total: usize) -> Option<Paginator> {
        if total <= 1 {
            return None;
        }
        let url = |n| urls.paginated(first, n);
        Some(Paginator {
            current,
            total,
            prev_url: if current > 1 {
                url(current - 1)
            } else {
                String::new()
            },
            next_url: if current < total {
                url(current + 1)
            } else {
                String::new()
            },
            pages: pager_numbers(current, total)
                .into_iter()
                .scan(0, |previous, n| {
                    let gap_before = *previous > 0 && n > *previous + 1;
                    *previous = n;
                    Some(PagerEntry {
                        number: n,
                        url: url(n),
                        current: n == current,
                        gap_before,
                    })
                })
                .collect(),
        })
    }
}

/// The page numbers a pager shows, in order.
fn pager_numbers(current: usize, total: usize) -> Vec<usize> {
    let low = current.saturating_sub(PAGER_REACH).max(1);
    let high = (current + PAGER_REACH).min(total);
    let mut numbers: Vec<usize> = std::iter::once(1)
        .chain(low..=high)
        .chain(std::iter::once(total))
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    numbers
}

/// Most tags a list entry shows (the report's own page shows them all).
pub const ENTRY_TAGS: usize = 12;
/// Most characters of summary a list entry shows.
pub const ENTRY_SUMMARY: usize = 1_000;

/// Builds views of pages for one site.
pub struct Views<'a> {
    pub site: &'a Site,
    pub urls: &'a Urls,
    pub photos: &'a Photos,
    pub strings: &'a std::collections::BTreeMap<String, UiStrings>,
    /// Each page's list entry, made the first time a list shows it and shared by every
    /// list after (a report is in the home page's, its section's, year's, tags' and
    /// projects' lists).
    items: Vec<OnceLock<tera::Value>>,
    /// Where pages' bodies are when a one-shot build has handed them off
    /// ([`HandedBodies::hand_off`]): each page takes its own once.
    bodies: Option<&'a HandedBodies>,
}

/// A view as templates get it. Views hold strings, numbers, lists and maps with string
/// keys, all of which a Tera value can hold.
pub fn value(view: &impl Serialize) -> tera::Value {
    tera::Value::from_serializable(view)
}

impl<'a> Views<'a> {
    pub fn new(
        site: &'a Site,
        urls: &'a Urls,
        photos: &'a Photos,
        strings: &'a std::collections::BTreeMap<String, UiStrings>,
    ) -> Views<'a> {
        Views {
            site,
            urls,
            photos,
            strings,
            items: (0..site.pages.len()).map(|_| OnceLock::new()).collect(),
            bodies: None,
        }
    }

    /// Views that take each page's body from `bodies` (once a page) rather than from the
    /// site.
    pub fn taking_bodies(self, bodies: Option<&'a HandedBodies>) -> Views<'a> {
        Views { bodies, ..self }
    }

    pub fn ui(&self, lang: &str) -> &UiStrings {
        self.strings
            .get(lang)
            .or_else(|| self.strings.values().next())
            .expect("Theme::load gives strings for every language")
    }

    pub fn language_name(&self, lang: &str) -> String {
        self.strings
            .get(lang)
            .map(|s| s.get("language_name"))
            .unwrap_or_else(|| lang.to_string())
    }

    pub fn lang_link(&self, lang: &str, url: String) -> LangLink {
        LangLink {
            lang: lang.to_string(),
            name: self.language_name(lang),
            url,
        }
    }

    pub fn translations(&self, page: &Page) -> Vec<LangLink> {
        page.translations
            .iter()
            .map(|&t| {
                let other = self.site.page(t);
                self.lang_link(&other.lang, other.url.clone())
            })
            .collect()
    }

    pub fn item(&self, id: PageId) -> ListItem {
        let page = self.site.page(id);
        let ui = self.ui(&page.lang);
        ListItem {
            title: page.title.clone(),
            url: page.url.clone(),
            lang: page.lang.clone(),
            date: page.date.map(|d| d.iso_day()).unwrap_or_default(),
            date_display: page.date.map(|d| ui.day(d.day)).unwrap_or_default(),
            summary: page.summary.clone(),
            cover: page.cover.as_ref().map(|c| self.cover(c)),
            tags: page
                .tags
                .iter()
                .map(|t| Link {
                    name: t.name.clone(),
                    url: self.urls.tag(&page.lang, &t.slug),
                })
                .collect(),
            authors: page.authors.clone(),
            section: match page.kind {
                PageKind::Report { section } => {
                    let s = &self.site.sections[section];
                    Some(TitledLink {
                        title: s.title_in(&page.lang).to_string(),
                        url: self.urls.section(&page.lang, &s.slug),
                    })
                }
                PageKind::Plain => None,
            },
            translations: self.translations(page),
            draft: page.draft,
        }
    }

    /// A cover as templates see it: with its variants when it is a processed photo.
    pub fn cover(&self, c: &CoverImage) -> CoverView {
        let alt = c.alt.clone().unwrap_or_default();
        let photo = c.rel.as_deref().and_then(|rel| self.photos.get(rel));
        match photo.and_then(|p| Some((p, p.default_variant()?, p.widest()?))) {
            Some((photo, default, widest)) => CoverView {
                src: default.fallback.url.clone(),
                alt,
                // With `photos: originals: none` the original is not published.
                original: match c.rel.as_deref() {
                    Some(rel) if self.photos.withheld(rel) => widest.fallback.url.clone(),
                    _ => c.url.clone(),
                },
                width: Some(widest.width),
                height: Some(widest.height),
                srcset: images::srcset(photo, false),
                srcset_webp: images::srcset(photo, true),
                mime: photo.fallback.mime().to_string(),
            },
            None => CoverView {
                src: c.url.clone(),
                alt,
                original: c.url.clone(),
                width: None,
                height: None,
                srcset: String::new(),
                srcset_webp: String::new(),
                mime: String::new(),
            },
        }
    }

    /// The cover's URL for social media: the widest JPEG variant rather than a 5 MB original.
    pub fn og_image_url(&self, c: &CoverImage) -> String {
        c.rel
            .as_deref()
            .and_then(|rel| self.photos.get(rel))
            .and_then(|p| p.widest())
            .map_or_else(|| c.url.clone(), |v| v.fallback.url.clone())
    }

    /// A body's HTML, its photos shown as `<picture>`s.
    pub fn body_html(&self, body: &Rendered) -> String {
        images::rewrite_body(body, self.photos)
    }

    /// The list entry of page `id`, as templates get it: its first [`ENTRY_TAGS`] tags
    /// and [`ENTRY_SUMMARY`] characters of summary at most, so that a list page's size
    /// depends on its own entries alone, not on how many tags (or how long a summary)
    /// each of them has (a report with 5,000 tags is in 5,000 tag pages' lists).
    pub fn entry(&self, id: PageId) -> tera::Value {
        self.items[id.index()]
            .get_or_init(|| {
                let mut item = self.item(id);
                item.tags.truncate(ENTRY_TAGS);
                if let Some((cut, _)) = item.summary.char_indices().nth(ENTRY_SUMMARY) {
                    item.summary.truncate(cut);
                    item.summary.push('…');
                }
                value(&item)
            })
            .clone()
    }

    /// The list entries of `ids`.
    pub fn items(&self, ids: &[PageId]) -> Vec<tera::Value> {
        ids.iter().map(|&id| self.entry(id)).collect()
    }

    /// Page `id`'s body: its own, or taken from the hand-off when a one-shot build handed
    /// the bodies off (once a page: the page is then the one that holds it).
    pub fn body(&self, id: PageId) -> Arc<Rendered> {
        match self.bodies {
            Some(bodies) => bodies.take(id),
            None => Arc::clone(&self.site.page(id).body),
        }
    }

    /// Page `id` as templates get it, with `body` ([`Views::body`]) as its content.
    pub fn page(&self, id: PageId, body: &Rendered) -> PageView {
        let page = self.site.page(id);
        let ui = self.ui(&page.lang);
        PageView {
            item: self.item(id),
            content: self.body_html(body),
            projects: page
                .projects
                .iter()
                .map(|&p| {
                    let project = self.site.project(p);
                    ProjectLink {
                        id: project.id.clone(),
                        title: project.title_in(&page.lang).to_string(),
                        code: project.code.clone(),
                        url: self.urls.project(&page.lang, &project.id),
                    }
                })
                .collect(),
            mobility: page.mobility.as_ref().map(|m| MobilityView {
                activity: m.activity.as_str().to_string(),
                activity_display: ui.get(&m.activity.ui_key()),
                title: m.title.clone(),
                place: m.place.clone(),
                country: m
                    .location
                    .country
                    .as_deref()
                    .map(|cc| crate::places::country_name(cc, &page.lang)),
                participants: m.participants,
                start: m.start.map(|d| d.to_string()),
                end: m.end.map(|d| d.to_string()),
                start_display: m.start.map(|d| ui.day(d)),
                end_display: m.end.map(|d| ui.day(d)),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::pager_numbers;

    #[test]
    fn a_pager_shows_a_window_not_every_page() {
        assert_eq!(pager_numbers(1, 3), vec![1, 2, 3]);
        assert_eq!(pager_numbers(1, 1000), vec![1, 2, 3, 1000]);
        assert_eq!(
            pager_numbers(500, 1000),
            vec![1, 498, 499, 500, 501, 502, 1000]
        );
        assert_eq!(pager_numbers(1000, 1000), vec![1, 998, 999, 1000]);
    }
}
