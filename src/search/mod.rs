//! Search in the browser, with no server: lapa writes a sharded word index per language
//! under `search/LANG/`, and the theme's `search.js` reads only the parts a query needs.

mod documents;
mod encode;
mod index;
mod text;

use crate::error::Diagnostic;
use crate::files::{OutputFile, Sink};
use crate::site::{HandedBodies, Site};
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
    index_to(site, theme, None, sink)
}

/// [`index_files_to`] for a one-shot build whose pages' bodies were handed off
/// ([`HandedBodies::hand_off`]): each page's body is taken once, as the page is indexed.
pub fn index_files_taking_to(
    site: &Site,
    theme: &Theme,
    bodies: &HandedBodies,
    sink: &Sink,
) -> Result<(), Diagnostic> {
    index_to(site, theme, Some(bodies), sink)
}

fn index_to(
    site: &Site,
    theme: &Theme,
    bodies: Option<&HandedBodies>,
    sink: &Sink,
) -> Result<(), Diagnostic> {
    let urls = &site.urls;
    for lang in &site.config.languages {
        let Some(ui) = theme
            .strings
            .get(lang)
            .or_else(|| theme.strings.values().next())
        else {
            continue;
        };
        let docs = documents(site, urls, ui, lang, bodies);
        index::write_to(&format!("search/{lang}/"), &docs, sink)?;
    }
    Ok(())
}
