//! Rebuild keys: which pages a change reaches, so `serve` renders only those again.

use rayon::prelude::*;
use std::hash::{Hash as _, Hasher as _};

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
        let site_wide = site_wide(site, theme, photos);
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

/// The hash of what every page is rendered from.
///
/// Every field of `Site` is named here, with no `..`: a field added to it does not
/// compile until it is put in the key or said to be covered elsewhere. Each part is fed
/// by its `Hash`, derived or listing every field by name (`Theme`, `markdown::Rendered`),
/// never by its `Debug` text, which may leave fields out or print a map in no fixed order.
fn site_wide(site: &Site, theme: &Theme, photos: &Photos) -> u128 {
    let Site {
        config,
        // Made from `config`.
        urls: _,
        // Each page is hashed on its own (`Inputs::pages`); only the plain pages' titles
        // and URLs are on every page (the footer).
        pages,
        projects,
        sections,
        home,
        // Copied as they are; no page lists them.
        assets: _,
        reports_by_lang,
        tags,
        years,
        today,
        // What `check --external` asks for, and what the build prints: never on a page.
        external_links: _,
        warnings: _,
    } = site;
    let plain: Vec<(&str, &str, &str)> = pages
        .iter()
        .filter(|p| p.kind == PageKind::Plain)
        .map(|p| (p.lang.as_str(), p.title.as_str(), p.url.as_str()))
        .collect();
    let mut h = Hasher::default();
    (
        theme,
        config,
        projects,
        sections,
        home,
        reports_by_lang,
        tags,
        years,
        today,
        photos,
        plain,
    )
        .hash(&mut h);
    h.digest()
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The example site (the repository's own `content/`) and its theme.
    fn example() -> (Site, Theme) {
        let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let site = crate::build::load(&crate::build::Options::new(&root))
            .unwrap_or_else(|d| panic!("{d:?}"));
        let theme = Theme::load(&site.config).unwrap_or_else(|d| panic!("{d:?}"));
        (site, theme)
    }

    type Change = fn(&mut Site, &mut Theme);

    #[test]
    fn the_site_wide_key_changes_when_any_input_changes() {
        let photos = Photos::default();
        let (site, theme) = example();
        let before = site_wide(&site, &theme, &photos);
        let (again, again_theme) = example();
        assert_eq!(
            site_wide(&again, &again_theme, &photos),
            before,
            "one site, two keys"
        );
        let changes: Vec<(&str, Change)> = vec![
            ("the site's title", |s, _| s.config.title.push('!')),
            ("paginate", |s, _| s.config.paginate += 1),
            ("the base URL", |s, _| s.config.base_url.path.push_str("x/")),
            ("a project's title", |s, _| s.projects[0].title.push('!')),
            ("a project's code", |s, _| s.projects[0].code.push('1')),
            ("a project's reports", |s, _| s.projects[0].reports.push(0)),
            ("a section's title", |s, _| {
                s.sections[0].titles.insert("xx".into(), "X".into());
            }),
            ("the home page's intro", |s, _| {
                if let Some(intro) = s.home.values_mut().next() {
                    intro.title = Some("X".into());
                }
            }),
            ("a list's length", |s, _| {
                s.reports_by_lang.values_mut().for_each(|ids| {
                    ids.pop();
                });
            }),
            ("a tag's name", |s, _| {
                s.tags
                    .values_mut()
                    .for_each(|groups| groups[0].tag.name.push('!'));
            }),
            ("a year", |s, _| {
                s.years.values_mut().for_each(|groups| groups[0].year += 1);
            }),
            ("the build's day", |s, _| {
                s.today = s.today.tomorrow().unwrap_or(s.today);
            }),
            ("a plain page's title", |s, _| {
                if let Some(p) = s.pages.iter_mut().find(|p| p.kind == PageKind::Plain) {
                    p.title.push('!');
                }
            }),
            ("the theme's files", |_, t| t.fingerprint += 1),
            ("a month's name", |_, t| {
                t.strings.values_mut().for_each(|ui| ui.months[0].push('!'));
            }),
            ("a file of the theme's static folder", |_, t| {
                t.statics[0].1.push(b' ')
            }),
        ];
        for (what, change) in changes {
            let (mut site, mut theme) = example();
            change(&mut site, &mut theme);
            assert_ne!(
                site_wide(&site, &theme, &photos),
                before,
                "the key did not change with {what}"
            );
        }
    }
}
