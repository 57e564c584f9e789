//! The redirect page of each `aliases:` path: the old address leads to the page.

use crate::escape;
use crate::files::OutputFile;
use crate::site::{Site, Urls};

/// One small page per alias: a `<meta http-equiv="refresh">` to the page, its canonical
/// address and a visible link (for a browser that does not follow the refresh), kept out
/// of search engines' indexes with `noindex`. Not in any list, feed, sitemap or search.
pub fn render_aliases(site: &Site, urls: &Urls) -> Vec<OutputFile> {
    let mut files = Vec::new();
    for page in &site.pages {
        for output in &page.aliases {
            let to = escape::html(&page.url);
            let canonical = escape::html(&urls.absolute(&page.url));
            let title = escape::html(&page.title);
            let lang = escape::html(&page.lang);
            let html = format!(
                "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
                 <title>{title}</title>\n<meta name=\"robots\" content=\"noindex\">\n\
                 <link rel=\"canonical\" href=\"{canonical}\">\n\
                 <meta http-equiv=\"refresh\" content=\"0; url={to}\">\n</head>\n<body>\n\
                 <p><a href=\"{to}\">{title}</a></p>\n</body>\n</html>\n"
            );
            files.push(OutputFile {
                path: output.clone(),
                bytes: html.into_bytes(),
                checked: 0,
            });
        }
    }
    files
}
