//! Rendering: the [`Site`] becomes output files in memory. Never reads the file system.

mod context;
mod feeds;
mod pages;

use std::path::PathBuf;

use crate::content::Asset;
use crate::error::Diagnostics;
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
    /// [`search_index`] (`serve`, so that a save reaches the browser sooner).
    pub without_search: bool,
}

/// Render every page, feed and list of `site` with `theme`, showing `photos` as `<picture>`s.
pub fn render(
    site: &Site,
    theme: &Theme,
    photos: &Photos,
    options: Options,
) -> Result<Rendered, Diagnostics> {
    // The search index needs no rendered page, so it is built beside the pages.
    let (pages, index) = rayon::join(
        || pages::render_pages(site, theme, photos, options.previous),
        || {
            if options.without_search {
                Vec::new()
            } else {
                search_index(site, theme)
            }
        },
    );
    let pages = pages?;
    let mut files = pages.files;
    files.extend(feeds::render_feeds(site, theme));
    files.extend(index);
    files.extend(theme.statics.iter().map(|(path, bytes)| OutputFile {
        path: path.clone(),
        bytes: bytes.clone(),
    }));
    // Originals are copied too: a teacher may link to the full-size photo.
    let copies = site
        .assets
        .iter()
        .map(|Asset { path, rel }| CopiedFile {
            from: path.clone(),
            to: rel.clone(),
        })
        .chain(photos.files().map(|f| CopiedFile {
            from: f.cached.clone(),
            to: f.output.clone(),
        }))
        .collect();
    Ok(Rendered {
        files,
        copies,
        kept: pages.kept,
        keys: pages.keys,
    })
}

/// The search index's files.
pub fn search_index(site: &Site, theme: &Theme) -> Vec<OutputFile> {
    crate::search::index_files(site, theme)
}
