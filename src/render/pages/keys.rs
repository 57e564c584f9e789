//! Rebuild keys: which pages a change reaches, so `serve` renders only those again.

use rayon::prelude::*;
use std::hash::Hasher as _;

use super::{Job, chunk};
use crate::hash::Hasher;
use crate::images::Photos;
use crate::site::{PageId, PageKind, Site};
use crate::theme::Theme;

/// Hashes of everything pages are rendered from, to tell which pages a change reaches.
///
/// A job's key is the site-wide inputs (theme, configuration, projects, sections, lists'
/// lengths, photos, plain pages' titles…) and the pages it shows. Each page's hash
/// covers all of its data and its translations' languages and URLs, since a page and
/// every list item show those.
pub(super) struct Inputs {
    site_wide: u128,
    pages: Vec<u128>,
}

impl Inputs {
    pub(super) fn of(site: &Site, theme: &Theme, photos: &Photos) -> Inputs {
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

    pub(super) fn key(&self, site: &Site, job: Job) -> u128 {
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
