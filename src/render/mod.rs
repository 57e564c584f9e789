//! Rendering: the [`Site`] becomes HTML pages, feeds and lists, each handed to a [`Sink`] as
//! soon as it is made. Never reads the file system; knows nothing of the search index
//! (`build` runs it beside the pages).

mod aliases;
mod context;
mod feeds;
mod outcomes;
mod pages;

use crate::content::Asset;
use crate::error::{Diagnostic, Diagnostics};
use crate::files::{Checked, CopiedFile, OutputFile, Sink};
use crate::images::Photos;
use crate::site::{HandedBodies, Site};
use crate::theme::Theme;

pub use pages::{Later, PageKeys, Pages, render_later};

/// Render every HTML page of `site` into `sink` as it is made, showing `photos` as
/// `<picture>`s, except those whose key is in `previous` (the keys of the pages the output
/// folder holds now, when `serve` rebuilds in place; `None` renders every page).
pub fn pages_to(
    site: &Site,
    theme: &Theme,
    photos: &Photos,
    previous: Option<&PageKeys>,
    first: Option<&(dyn Fn(&str) -> bool + Sync)>,
    sink: &Sink,
) -> Result<Pages, Diagnostics> {
    crate::timing::timed("pages", || {
        pages::render_pages(site, theme, photos, previous, first, None, sink)
    })
}

/// [`pages_to`] for a one-shot build whose pages' bodies were handed off
/// ([`HandedBodies::hand_off`]): every page is rendered, each taking its body once, in the
/// site's order.
pub fn pages_taking_to(
    site: &Site,
    theme: &Theme,
    photos: &Photos,
    bodies: &HandedBodies,
    checked: &Checked,
    sink: &Sink,
) -> Result<Pages, Diagnostics> {
    crate::timing::timed("pages", || {
        pages::render_pages(
            site,
            theme,
            photos,
            None,
            None,
            Some((bodies, checked)),
            sink,
        )
    })
}

/// Hand the feeds, the sitemap, robots.txt, the dissemination files, the alias redirects
/// and the theme's own files to `sink`.
pub fn feeds_to(
    site: &Site,
    theme: &Theme,
    photos: &Photos,
    sink: &Sink,
) -> Result<(), Diagnostic> {
    only_feeds_to(site, photos, sink)?;
    redirects_and_statics_to(site, theme, sink)
}

/// Hand only the feeds, the sitemap, robots.txt and the dissemination files to `sink`:
/// what no reader's page waits for (`serve` makes them after the tabs are told).
pub fn only_feeds_to(site: &Site, photos: &Photos, sink: &Sink) -> Result<(), Diagnostic> {
    let feeds = crate::timing::timed("feeds", || feeds::render_feeds(site, photos));
    for file in feeds {
        sink(file)?;
    }
    Ok(())
}

/// The output paths of the files [`only_feeds_to`] makes.
pub fn feed_paths(site: &Site) -> Vec<String> {
    feeds::feed_paths(site)
}

/// Hand the alias redirects and the theme's own files to `sink`.
pub fn redirects_and_statics_to(site: &Site, theme: &Theme, sink: &Sink) -> Result<(), Diagnostic> {
    let rest =
        aliases::render_aliases(site, &site.urls)
            .into_iter()
            .chain(theme.statics.iter().map(|(path, bytes)| OutputFile {
                path: path.clone(),
                bytes: bytes.clone(),
                checked: 0,
            }));
    for file in rest {
        sink(file)?;
    }
    Ok(())
}

/// The files copied into the output as they are: the site's assets and the photos'
/// variants. Originals are copied too (a teacher may link to the full-size photo): a photo
/// without its metadata, or not at all, as `photos: originals:` says.
pub fn copies(site: &Site, photos: &Photos) -> Vec<CopiedFile> {
    site.assets
        .iter()
        .filter_map(|Asset { path, rel }| {
            Some(CopiedFile {
                from: photos.published_original(rel, path)?,
                to: rel.clone(),
            })
        })
        .chain(photos.files().map(|f| CopiedFile {
            from: f.cached.clone(),
            to: f.output.clone(),
        }))
        .collect()
}
