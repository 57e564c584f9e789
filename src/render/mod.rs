//! Rendering: the [`Site`] becomes output files in memory. Never reads the file system.

mod aliases;
mod context;
mod feeds;
mod outcomes;
mod pages;

use std::path::PathBuf;

use crate::content::Asset;
use crate::error::{Diagnostic, Diagnostics};
use crate::images::Photos;
use crate::site::Site;
use crate::theme::Theme;

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Its path under the output folder, with `/` separators.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// A file copied into the output as it is.
#[derive(Debug, Clone)]
pub struct CopiedFile {
    pub from: PathBuf,
    /// Its path under the output folder.
    pub to: String,
}

pub use pages::PageKeys;

/// Everything a build writes.
#[derive(Debug, Default)]
pub struct Rendered {
    pub files: Vec<OutputFile>,
    pub copies: Vec<CopiedFile>,
    /// Pages not rendered again because the output folder already holds them, unchanged
    /// (see [`Options::previous`]).
    pub kept: Vec<String>,
    /// The key of every page, for the next rebuild (when [`Options::previous`] was given).
    pub keys: PageKeys,
}

/// What to render.
#[derive(Debug, Default, Clone, Copy)]
pub struct Options<'a> {
    /// The keys of the pages the output folder holds now (`serve` rebuilding in place):
    /// a page whose key is unchanged is not rendered again. `None` renders every page.
    pub previous: Option<&'a PageKeys>,
    /// Leave the search index out, for a caller that makes it afterwards with
    /// [`crate::search::index_files`] (`serve`, so that a save reaches the browser sooner).
    pub without_search: bool,
}

/// Takes each rendered file as soon as it is made (from any thread): a build writes it
/// out and lets it go, so the whole site is never in memory at once.
pub type Sink<'a> = dyn Fn(OutputFile) -> Result<(), Diagnostic> + Sync + 'a;

/// The files `make` hands to its sink, in the order they came, and what it returns.
pub fn collected<T, E>(
    make: impl FnOnce(&Sink) -> Result<T, E>,
) -> Result<(Vec<OutputFile>, T), E> {
    // A channel takes files from every thread without a lock.
    let (files, received) = std::sync::mpsc::channel();
    let made = make(&|f| {
        // `received` lives until every file is in: a send cannot fail.
        let _ = files.send(f);
        Ok(())
    })?;
    Ok((received.try_iter().collect(), made))
}

/// What rendering tells beyond the files themselves.
#[derive(Debug, Default)]
pub struct Streamed {
    pub copies: Vec<CopiedFile>,
    /// Pages not rendered again (see [`Rendered::kept`]).
    pub kept: Vec<String>,
    pub keys: PageKeys,
}

/// Render every page, feed and list of `site` with `theme`, showing `photos` as `<picture>`s.
pub fn render(
    site: &Site,
    theme: &Theme,
    photos: &Photos,
    options: Options,
) -> Result<Rendered, Diagnostics> {
    let (mut files, streamed) = collected(|sink| render_to(site, theme, photos, options, sink))?;
    // Pages arrive in whatever order the threads finish them.
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Rendered {
        files,
        copies: streamed.copies,
        kept: streamed.kept,
        keys: streamed.keys,
    })
}

/// [`render`], handing every file to `sink` as soon as it is made.
pub fn render_to(
    site: &Site,
    theme: &Theme,
    photos: &Photos,
    options: Options,
    sink: &Sink,
) -> Result<Streamed, Diagnostics> {
    // The search index needs no rendered page, so it is built beside the pages; the feeds
    // and the theme's files follow the pages, which finish first.
    let (pages, index) = rayon::join(
        || -> Result<pages::Pages, Diagnostics> {
            let pages = crate::timing::timed("pages", || {
                pages::render_pages(site, theme, photos, options.previous, sink)
            })?;
            let urls = crate::site::Urls::new(
                site.config.base_url.clone(),
                site.config.default_language(),
            );
            let rest = crate::timing::timed("feeds", || feeds::render_feeds(site, photos))
                .into_iter()
                .chain(aliases::render_aliases(site, &urls))
                .chain(theme.statics.iter().map(|(path, bytes)| OutputFile {
                    path: path.clone(),
                    bytes: bytes.clone(),
                }));
            for file in rest {
                sink(file)?;
            }
            Ok(pages)
        },
        || -> Result<(), Diagnostic> {
            if options.without_search {
                return Ok(());
            }
            crate::timing::timed("search index", || {
                crate::search::index_files_to(site, theme, sink)
            })
        },
    );
    let pages = pages?;
    index?;
    // Originals are copied too (a teacher may link to the full-size photo): a photo
    // without its metadata, or not at all, as `photos: originals:` says.
    let copies = site
        .assets
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
        .collect();
    Ok(Streamed {
        copies,
        kept: pages.kept,
        keys: pages.keys,
    })
}
