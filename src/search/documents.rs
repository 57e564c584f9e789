//! What is searchable: every published report and plain page of a language, and its
//! projects, with the fields each is found by and the body its text is taken from.

use rayon::prelude::*;

use crate::site::{HandedBodies, Page, PageId, PageKind, Site, Urls};
use crate::theme::UiStrings;

/// Excerpts are cut from at most this many characters of a page's text; the index
/// still holds every word of the page.
pub const EXCERPT_SOURCE: usize = 20_000;

/// One searchable page.
#[derive(Debug, Clone)]
pub struct Document<'a> {
    /// The site path, with the base URL's sub-path (`/skola/news/x/`).
    pub url: String,
    pub title: String,
    /// ISO date (`2024-03-28`), or empty.
    pub date: String,
    /// The date in the page's language, or empty.
    pub date_display: String,
    /// Front matter's summary, else the first paragraph: the excerpt when the words are
    /// not in the text.
    pub summary: String,
    /// The rendered body. Its plain text is made while the page is indexed, and dropped
    /// after: every page's text at once would be as big as the site's Markdown.
    pub html: &'a str,
    /// What each stretch of `html` is (see [`crate::markdown::Run`]).
    pub runs: &'a [crate::markdown::Run],
    /// Where the body is instead of `html` and `runs` when a one-shot build handed the
    /// pages' bodies off: taken once, when the page is indexed.
    pub handed: Option<(&'a HandedBodies, PageId)>,
    /// Words it is found by but that are not shown: tags, authors, the mobility's facts.
    pub keywords: String,
    /// The language of `summary` and the body when it is not the page's (a project's
    /// description is written once, in the default language), for the excerpt's `lang`.
    pub text_lang: Option<String>,
}

/// The searchable pages of `lang`, in the order results are shown when they rank the
/// same: reports newest first, then plain pages, then projects.
/// With `bodies`, pages' bodies are taken from there as each is indexed.
pub fn documents<'a>(
    site: &'a Site,
    urls: &Urls,
    ui: &UiStrings,
    lang: &str,
    bodies: Option<&'a HandedBodies>,
) -> Vec<Document<'a>> {
    let mut pages: Vec<(PageId, &Page)> = site
        .pages_with_ids()
        .filter(|(_, p)| p.lang == lang)
        .collect();
    // Reports are newest first in `site.pages`; a stable sort keeps that order.
    pages.sort_by_key(|(_, p)| p.kind == PageKind::Plain);
    let mut docs: Vec<Document> = pages
        .par_iter()
        .map(|&(id, page)| Document {
            handed: bodies.map(|b| (b, id)),
            ..document(page, ui)
        })
        .collect();
    for project in &site.projects {
        docs.push(Document {
            url: urls.project(lang, &project.id),
            title: project.title_in(lang).to_string(),
            date: String::new(),
            date_display: String::new(),
            summary: project.body.first_paragraph.clone(),
            html: &project.body.html,
            runs: &project.body.runs,
            handed: None,
            keywords: [
                project.code.as_str(),
                project.beneficiary.as_deref().unwrap_or_default(),
                project.agency.as_deref().unwrap_or_default(),
            ]
            .join(" "),
            text_lang: (lang != site.config.default_language())
                .then(|| site.config.default_language().to_string()),
        });
    }
    docs
}

fn document<'a>(page: &'a Page, ui: &UiStrings) -> Document<'a> {
    let mut keywords: Vec<&str> = page.tags.iter().map(|t| t.name.as_str()).collect();
    keywords.extend(page.authors.iter().map(String::as_str));
    if let Some(m) = &page.mobility {
        keywords.extend(m.title.as_deref());
        keywords.extend(m.place.as_deref());
    }
    Document {
        url: page.url.clone(),
        title: page.title.clone(),
        date: page.date.map(|d| d.iso_day()).unwrap_or_default(),
        date_display: page.date.map(|d| ui.day(d.day)).unwrap_or_default(),
        summary: page.summary.clone(),
        html: &page.body.html,
        runs: &page.body.runs,
        handed: None,
        keywords: keywords.join(" "),
        text_lang: None,
    }
}

/// The first `max` characters of `text`, cut at a space where one is near.
pub fn excerpt_source(text: &str, max: usize) -> &str {
    if text.len() <= max {
        // No more bytes than `max`, so no more characters: most pages end here.
        return text;
    }
    match text.char_indices().nth(max) {
        None => text,
        Some((end, _)) => {
            let cut = &text[..end];
            match cut.rfind(' ') {
                Some(space) if space > end / 2 => &cut[..space],
                _ => cut,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::excerpt_source;

    #[test]
    fn long_text_is_cut_at_a_space() {
        assert_eq!(excerpt_source("īsa", 10), "īsa");
        assert_eq!(excerpt_source("āž ēģ īķ", 6), "āž ēģ");
        assert_eq!(excerpt_source("ābcdefgh", 3), "ābc");
    }
}
