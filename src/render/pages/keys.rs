//! Rebuild keys: which pages a change reaches, so `serve` renders only those again.
//!
//! A page's key is the site-wide inputs every page shows (theme, configuration, the
//! navigation's sections, projects, plain pages, photos, the date) and what the page
//! itself shows: a report its own data; a list page its place (its output path), the
//! length of its list (the pager) and the list entries of its own slice, nothing of the
//! rest of the list. So a new report renders again its own page and only the list pages
//! whose slice or length changed, never a list it is not in. Keys are kept by output
//! path, not by a page's position among the site's pages, which a new report shifts.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher as _};

use rayon::prelude::*;

use super::{Job, chunk};
use crate::hash::Hasher;
use crate::images::Photos;
use crate::site::{Page, PageId, PageKind, Project, Section, Site};
use crate::theme::Theme;

/// Hashes of everything pages are rendered from, made once per rebuild.
pub(super) struct Inputs<'a> {
    site: &'a Site,
    /// What every page shows.
    site_wide: u128,
    /// Each page as its own page shows it.
    pages: Vec<u128>,
    /// Each page as a list entry shows it, with what outcomes count of it (its mobility
    /// and projects).
    entries: Vec<u128>,
    /// Each language's tag slugs and years, for the links from a tag's or a year's list
    /// to the same list in the other languages.
    tag_slugs: HashMap<&'a str, HashSet<&'a str>>,
    years: HashMap<&'a str, HashSet<i16>>,
}

impl<'a> Inputs<'a> {
    pub(super) fn of(site: &'a Site, theme: &Theme, photos: &Photos) -> Inputs<'a> {
        let (pages, entries) = site
            .pages
            .par_iter()
            .map(|p| (page_hash(site, p), entry_hash(site, p)))
            .unzip();
        Inputs {
            site,
            site_wide: site_wide(site, theme, photos),
            pages,
            entries,
            tag_slugs: super::tag_slugs(site),
            years: site
                .years
                .iter()
                .map(|(lang, groups)| (lang.as_str(), groups.iter().map(|g| g.year).collect()))
                .collect(),
        }
    }

    /// Where `job`'s page goes under the output folder: what its key is kept by.
    pub(super) fn path(&self, job: Job) -> String {
        let site = self.site;
        let urls = &site.urls;
        let lang = |id| site.config.language(id);
        let url = match job {
            Job::Page(id) => return site.page(id).output.clone(),
            Job::Home { lang: l, n } => urls.paginated(&urls.home(lang(l)), n),
            Job::Section {
                section,
                lang: l,
                n,
            } => urls.paginated(&urls.section(lang(l), &site.sections[section].slug), n),
            Job::Tags { lang: l } => urls.tags(lang(l)),
            Job::Tag { lang: l, tag, n } => {
                urls.paginated(&urls.tag(lang(l), &site.tags[lang(l)][tag].tag.slug), n)
            }
            Job::Archive { lang: l } => urls.archive(lang(l)),
            Job::Year { lang: l, year, n } => {
                urls.paginated(&urls.year(lang(l), site.years[lang(l)][year].year), n)
            }
            Job::Projects { lang: l } => urls.projects(lang(l)),
            Job::Project { lang: l, project } => urls.project(lang(l), &site.project(project).id),
            Job::Search { lang: l } => urls.search(lang(l)),
            Job::NotFound { lang: l } => urls.path(lang(l), "404.html"),
            Job::Mobility { lang: l } => urls.path(lang(l), "mobility/"),
        };
        urls.output_file(&url)
    }

    /// The key of `job`, whose page goes to `path`.
    pub(super) fn key(&self, job: Job, path: &str) -> u128 {
        let site = self.site;
        let per = site.config.paginate;
        let langs = &site.config.languages;
        let mut h = Hasher::default();
        h.write_u128(self.site_wide);
        path.hash(&mut h);
        let entries = |h: &mut Hasher, ids: &[PageId]| {
            h.write_usize(ids.len());
            ids.iter()
                .for_each(|&id| h.write_u128(self.entries[id.index()]));
        };
        let len = |ids: Option<&Vec<PageId>>| ids.map_or(0, Vec::len);
        match job {
            Job::Page(id) => h.write_u128(self.pages[id.index()]),
            Job::Home { lang, n } => {
                site.home.get(site.config.language(lang)).hash(&mut h);
                // The pager, and the links to the same page in the other languages.
                for l in langs {
                    h.write_usize(len(site.reports_by_lang.get(l)));
                }
                let ids = site
                    .reports_by_lang
                    .get(site.config.language(lang))
                    .map_or(&[][..], |v| v);
                entries(&mut h, chunk(ids, per, n));
            }
            Job::Section { section, lang, n } => {
                let s = &site.sections[section];
                for l in langs {
                    h.write_usize(len(s.reports.get(l)));
                }
                let ids = s
                    .reports
                    .get(site.config.language(lang))
                    .map_or(&[][..], |v| v);
                entries(&mut h, chunk(ids, per, n));
            }
            Job::Tags { lang } => {
                for g in site
                    .tags
                    .get(site.config.language(lang))
                    .into_iter()
                    .flatten()
                {
                    (&g.tag, g.pages.len()).hash(&mut h);
                }
            }
            Job::Tag { lang, tag, n } => {
                let g = &site.tags[site.config.language(lang)][tag];
                (&g.tag, g.pages.len()).hash(&mut h);
                for l in langs {
                    let has = self
                        .tag_slugs
                        .get(l.as_str())
                        .is_some_and(|s| s.contains(g.tag.slug.as_str()));
                    h.write_u8(u8::from(has));
                }
                entries(&mut h, chunk(&g.pages, per, n));
            }
            Job::Archive { lang } => {
                for g in site
                    .years
                    .get(site.config.language(lang))
                    .into_iter()
                    .flatten()
                {
                    (g.year, g.pages.len()).hash(&mut h);
                }
            }
            Job::Year { lang, year, n } => {
                let g = &site.years[site.config.language(lang)][year];
                (g.year, g.pages.len()).hash(&mut h);
                for l in langs {
                    let has = self
                        .years
                        .get(l.as_str())
                        .is_some_and(|s| s.contains(&g.year));
                    h.write_u8(u8::from(has));
                }
                entries(&mut h, chunk(&g.pages, per, n));
            }
            // Its reports by year, and the outcomes counted from them.
            Job::Project { project, .. } => entries(&mut h, &site.project(project).reports),
            // The outcomes count every report's mobility.
            Job::Mobility { .. } => {
                for (id, page) in site.pages_with_ids() {
                    if page.mobility.is_some() {
                        h.write_u128(self.entries[id.index()]);
                    }
                }
            }
            Job::Projects { .. } | Job::Search { .. } | Job::NotFound { .. } => {}
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
/// The lists (of a section, a project, a tag, a year, the home page) are not in it: each
/// list page's key has its own slice and length ([`Inputs::key`]).
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
        // The home pages' keys have it.
        home: _,
        // Copied as they are; no page lists them.
        assets: _,
        // List pages' keys have their own slice and length.
        reports_by_lang: _,
        tags: _,
        years: _,
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
    (theme, config, today, photos, plain).hash(&mut h);
    for section in sections {
        let Section {
            name,
            slug,
            titles,
            intros,
            reports,
        } = section;
        (name, slug, titles, intros).hash(&mut h);
        // The navigation names a section in the languages it has reports in.
        reports.keys().for_each(|lang| lang.hash(&mut h));
    }
    for project in projects {
        let Project {
            id,
            file,
            title,
            titles,
            code,
            programme,
            facts,
            beneficiary,
            agency,
            start,
            end,
            disclaimer,
            body,
            // The project's own pages' keys have them.
            reports: _,
        } = project;
        (
            id,
            file,
            title,
            titles,
            code,
            programme,
            facts,
            beneficiary,
            agency,
            start,
            end,
            disclaimer,
        )
            .hash(&mut h);
        body.hash(&mut h);
    }
    h.digest()
}

/// The addresses of a page's translations (not their positions, which a new page shifts).
fn translations(site: &Site, page: &Page, h: &mut Hasher) {
    for &t in &page.translations {
        let other = site.page(t);
        (&other.lang, &other.url).hash(h);
    }
}

/// All of a page's data, as its own page shows it.
fn page_hash(site: &Site, page: &Page) -> u128 {
    let Page {
        kind,
        file,
        rel,
        lang,
        slug,
        url,
        output,
        title,
        date,
        authors,
        tags,
        projects,
        summary,
        cover,
        mobility,
        draft,
        body,
        body_line,
        front,
        // By their addresses, below.
        translations: _,
        aliases,
    } = page;
    let mut h = Hasher::default();
    (
        kind, file, rel, lang, slug, url, output, title, date, authors, tags,
    )
        .hash(&mut h);
    (
        projects, summary, cover, mobility, draft, body, body_line, front, aliases,
    )
        .hash(&mut h);
    translations(site, page, &mut h);
    h.digest()
}

/// What a list entry shows of a page (`Views::item`), and what outcomes count of it.
fn entry_hash(site: &Site, page: &Page) -> u128 {
    let mut h = Hasher::default();
    (
        &page.kind,
        &page.url,
        &page.lang,
        &page.title,
        &page.date,
        &page.summary,
        &page.cover,
        &page.tags,
        &page.authors,
        &page.draft,
        &page.mobility,
        &page.projects,
    )
        .hash(&mut h);
    translations(site, page, &mut h);
    h.digest()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example site (the repository's own `content/`) and its theme.
    fn example() -> (Site, Theme) {
        let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let site = crate::build::load(&crate::build::BuildOptions::new(&root))
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
            ("a section's title", |s, _| {
                s.sections[0].titles.insert("xx".into(), "X".into());
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
