//! Feeds and machine-read files: Atom, sitemap, robots.txt, dissemination evidence.

use std::fmt::Write as _;

use crate::dissemination;
use crate::escape;
use crate::files::OutputFile;
use crate::funding;
use crate::images::{self, Photos};
use crate::site::{PageId, ProjectId, Site, Urls};

/// Entries in a feed.
const FEED_ENTRIES: usize = 20;

/// Render the feeds, the sitemap, robots.txt and each project's evidence.
pub fn render_feeds(site: &Site, photos: &Photos) -> Vec<OutputFile> {
    use rayon::prelude::*;
    let urls = &site.urls;
    // On both cores: at the end of a build they may be all that is left to do.
    jobs(site)
        .par_iter()
        .map(|job| job.render(site, urls, photos))
        .collect()
}

/// The output paths of the files [`render_feeds`] makes, without making them.
pub fn feed_paths(site: &Site) -> Vec<String> {
    jobs(site).iter().map(|job| job.path(site)).collect()
}

fn jobs(site: &Site) -> Vec<Feed<'_>> {
    let mut jobs = Vec::new();
    for lang in &site.config.languages {
        jobs.push(Feed::Site(lang));
        jobs.extend(site.project_ids().map(|p| Feed::Project(lang, p)));
    }
    for p in site.project_ids() {
        jobs.extend([Feed::Csv(p), Feed::Json(p)]);
    }
    jobs.extend([Feed::Sitemap, Feed::Robots]);
    jobs
}

/// One file of this module's.
enum Feed<'a> {
    /// A language's Atom feed of the newest reports.
    Site(&'a str),
    /// A project's Atom feed in a language.
    Project(&'a str, ProjectId),
    /// A project's dissemination evidence, as CSV and as JSON.
    Csv(ProjectId),
    Json(ProjectId),
    Sitemap,
    Robots,
}

impl Feed<'_> {
    /// Where the file goes in the output.
    fn path(&self, site: &Site) -> String {
        let urls = &site.urls;
        match *self {
            Feed::Site(lang) => urls.output_file(&urls.atom(&urls.home(lang))),
            Feed::Project(lang, project) => {
                urls.output_file(&urls.atom(&urls.project(lang, &site.project(project).id)))
            }
            Feed::Csv(project) => {
                urls.output_file(&urls.dissemination(&site.project(project).id, "csv"))
            }
            Feed::Json(project) => {
                urls.output_file(&urls.dissemination(&site.project(project).id, "json"))
            }
            Feed::Sitemap => urls.output_file(&urls.sitemap()),
            Feed::Robots => "robots.txt".into(),
        }
    }

    fn render(&self, site: &Site, urls: &Urls, photos: &Photos) -> OutputFile {
        let path = self.path(site);
        match *self {
            Feed::Site(lang) => {
                let ids = site
                    .reports_by_lang
                    .get(lang)
                    .map_or(&[][..], Vec::as_slice);
                let home = urls.home(lang);
                OutputFile {
                    path,
                    bytes: atom(
                        site,
                        urls,
                        photos,
                        lang,
                        &site.config.title,
                        &home,
                        &ids[..ids.len().min(FEED_ENTRIES)],
                    )
                    .into_bytes(),
                    checked: 0,
                }
            }
            Feed::Project(lang, project) => {
                let p = site.project(project);
                let url = urls.project(lang, &p.id);
                let ids: Vec<PageId> = p
                    .reports
                    .iter()
                    .copied()
                    .filter(|&i| site.page(i).lang == *lang)
                    .take(FEED_ENTRIES)
                    .collect();
                let title = format!("{} – {}", p.title_in(lang), site.config.title);
                OutputFile {
                    path,
                    bytes: atom(site, urls, photos, lang, &title, &url, &ids).into_bytes(),
                    checked: 0,
                }
            }
            Feed::Csv(project) => OutputFile {
                path,
                bytes: dissemination::to_csv_for(site, &[project]).into_bytes(),
                checked: 0,
            },
            Feed::Json(project) => OutputFile {
                path,
                bytes: dissemination::to_json_for(site, &[project]).into_bytes(),
                checked: 0,
            },
            Feed::Sitemap => OutputFile {
                path,
                bytes: sitemap(site, urls).into_bytes(),
                checked: 0,
            },
            Feed::Robots => OutputFile {
                path,
                bytes: format!(
                    "User-agent: *\nAllow: /\n\nSitemap: {}\n",
                    urls.absolute(&urls.sitemap())
                )
                .into_bytes(),
                checked: 0,
            },
        }
    }
}

fn atom(
    site: &Site,
    urls: &Urls,
    photos: &Photos,
    lang: &str,
    title: &str,
    home: &str,
    ids: &[PageId],
) -> String {
    let self_url = urls.absolute(&urls.atom(home));
    let updated = ids
        .iter()
        .filter_map(|&i| site.page(i).date)
        .max()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_string(), |d| d.rfc3339());
    let mut x = String::with_capacity(4096 + ids.len() * 4096);
    let _ = write!(
        x,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{lang}\">\n  <title>{}</title>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  <id>{}</id>\n  <updated>{updated}</updated>\n",
        escape::xml(title),
        escape::xml(&self_url),
        escape::xml(&urls.absolute(home)),
        escape::xml(&self_url),
    );
    for &id in ids {
        let page = site.page(id);
        let url = escape::xml(&urls.absolute(&page.url));
        let date = page.date.map_or_else(|| updated.clone(), |d| d.rfc3339());
        let _ = write!(
            x,
            "  <entry>\n    <title>{}</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n    <id>{url}</id>\n    <published>{date}</published>\n    <updated>{date}</updated>\n",
            escape::xml(&page.title)
        );
        for author in &page.authors {
            let _ = writeln!(
                x,
                "    <author><name>{}</name></author>",
                escape::xml(author)
            );
        }
        if page.authors.is_empty() {
            let _ = writeln!(
                x,
                "    <author><name>{}</name></author>",
                escape::xml(&site.config.title)
            );
        }
        for tag in &page.tags {
            let _ = writeln!(
                x,
                "    <category term=\"{}\" label=\"{}\"/>",
                escape::xml(&tag.slug),
                escape::xml(&tag.name)
            );
        }
        let _ = writeln!(x, "    <summary>{}</summary>", escape::xml(&page.summary));
        // The body and the funding texts after it, as HTML escaped into the feed.
        x.push_str("    <content type=\"html\">");
        // Photos as their versions: a feed reader never fetches a full-size original.
        escape::xml_into(&images::rewrite_body(&page.body, photos), &mut x);
        for text in funding_texts(site, &page.projects, lang) {
            let html = format!(
                "<p class=\"eu-funding__disclaimer\">{}</p>",
                escape::xml(&text)
            );
            escape::xml_into(&html, &mut x);
        }
        x.push_str("</content>\n  </entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

/// The statement and disclaimer a funded page's feed entry carries, per project.
fn funding_texts(site: &Site, projects: &[ProjectId], lang: &str) -> Vec<String> {
    let default = site.config.default_language();
    projects
        .iter()
        .filter_map(|&p| site.funded(p, lang))
        .map(|f| {
            let statement = funding::statement_text(&f, lang, default);
            match funding::disclaimer_text(&f, lang, default) {
                Some(d) => format!("{statement} ({}). {d}", f.code),
                None => format!("{statement} ({}).", f.code),
            }
        })
        .collect()
}

fn sitemap(site: &Site, urls: &Urls) -> String {
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let mut entry = |path: &str, lastmod: Option<String>| {
        let _ = write!(x, "  <url><loc>{}</loc>", escape::xml(&urls.absolute(path)));
        if let Some(d) = lastmod {
            let _ = write!(x, "<lastmod>{d}</lastmod>");
        }
        x.push_str("</url>\n");
    };
    for lang in &site.config.languages {
        entry(&urls.home(lang), None);
        for s in &site.sections {
            if s.reports.contains_key(lang) {
                entry(&urls.section(lang, &s.slug), None);
            }
        }
        entry(&urls.projects(lang), None);
        for p in &site.projects {
            entry(&urls.project(lang, &p.id), None);
        }
        entry(&urls.tags(lang), None);
        for g in site.tags.get(lang).into_iter().flatten() {
            entry(&urls.tag(lang, &g.tag.slug), None);
        }
        entry(&urls.archive(lang), None);
        for g in site.years.get(lang).into_iter().flatten() {
            entry(&urls.year(lang, g.year), None);
        }
    }
    for page in &site.pages {
        entry(&page.url, page.date.map(|d| d.iso_day()));
    }
    x.push_str("</urlset>\n");
    x
}
