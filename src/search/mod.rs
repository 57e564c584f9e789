//! Search in the browser, with no server: lapa writes a sharded word index per language
//! under `search/LANG/`, and the theme's `search.js` reads only the parts a query needs.

mod documents;
mod encode;
mod index;
mod text;

use crate::error::Diagnostic;
use crate::files::{OutputFile, Sink};
use crate::site::Site;
use crate::theme::Theme;

use documents::documents;

/// The search index of every language of `site`.
pub fn index_files(site: &Site, theme: &Theme) -> Vec<OutputFile> {
    // Keeping every file fails none.
    crate::files::collected(|sink| index_files_to(site, theme, sink))
        .map(|(files, ())| files)
        .unwrap_or_default()
}

/// Hand the search index of every language of `site` to `sink`, file by file as they
/// are made, from both cores.
pub fn index_files_to(site: &Site, theme: &Theme, sink: &Sink) -> Result<(), Diagnostic> {
    let urls = &site.urls;
    for lang in &site.config.languages {
        let Some(ui) = theme
            .strings
            .get(lang)
            .or_else(|| theme.strings.values().next())
        else {
            continue;
        };
        let docs = documents(site, urls, ui, lang);
        index::write_to(&format!("search/{lang}/"), &docs, sink)?;
    }
    Ok(())
}
