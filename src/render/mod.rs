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

/// Everything a build writes.
#[derive(Debug, Default)]
pub struct Rendered {
    pub files: Vec<OutputFile>,
    pub copies: Vec<CopiedFile>,
}

/// Render every page, feed and list of `site` with `theme`, showing `photos` as `<picture>`s.
pub fn render(site: &Site, theme: &Theme, photos: &Photos) -> Result<Rendered, Diagnostics> {
    // The search index needs no rendered page, so it is built beside the pages.
    let (pages, index) = rayon::join(
        || pages::render_pages(site, theme, photos),
        || crate::build::timed("search index", || crate::search::index_files(site, theme)),
    );
    let mut files = pages?;
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
    Ok(Rendered { files, copies })
}
