//! Search in the browser, with no server: lapa writes a sharded word index per language
//! under `search/LANG/`, and the theme's `search.js` reads only the parts a query needs.

mod documents;
mod encode;
mod index;
mod normalise;
mod text;

use crate::render::OutputFile;
use crate::site::{Site, Urls};
use crate::theme::Theme;

use documents::documents;

/// The search index of every language of `site`.
pub fn index_files(site: &Site, theme: &Theme) -> Vec<OutputFile> {
    let urls = Urls::new(site.config.base_url.clone(), site.config.default_language());
    let mut files = Vec::new();
    for lang in &site.config.languages {
        let Some(ui) = theme
            .strings
            .get(lang)
            .or_else(|| theme.strings.values().next())
        else {
            continue;
        };
        let docs = documents(site, &urls, ui, lang);
        files.extend(index::write(&format!("search/{lang}/"), &docs));
    }
    files
}
