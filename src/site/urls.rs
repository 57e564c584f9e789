//! The URL of every kind of page: one place that knows the site's URL scheme.

use crate::config::BaseUrl;

/// Builds site paths (with the base URL's sub-path) and output file paths.
#[derive(Debug, Clone)]
pub struct Urls {
    base: BaseUrl,
    default_lang: String,
}

impl Urls {
    pub fn new(base: BaseUrl, default_lang: &str) -> Urls {
        Urls {
            base,
            default_lang: default_lang.to_string(),
        }
    }

    /// `/skola/`: what every site path starts with.
    pub fn base_path(&self) -> &str {
        &self.base.path
    }

    /// The absolute URL of a site path.
    pub fn absolute(&self, site_path: &str) -> String {
        self.base.absolute(site_path)
    }

    /// A path under the language's root, e.g. `("en", "news/x/")` → `/skola/en/news/x/`
    /// (the default language has no folder of its own).
    pub fn path(&self, lang: &str, rest: &str) -> String {
        // Pieces pushed, not `format!`: every link of every page is made here.
        let mut path = String::with_capacity(self.base.path.len() + lang.len() + 1 + rest.len());
        path.push_str(&self.base.path);
        if lang != self.default_lang {
            path.push_str(lang);
            path.push('/');
        }
        path.push_str(rest);
        path
    }

    /// The output file for a site path: `/skola/en/news/x/` → `en/news/x/index.html`.
    pub fn output_file(&self, site_path: &str) -> String {
        let rel = site_path.strip_prefix(&self.base.path).unwrap_or(site_path);
        if rel.is_empty() || rel.ends_with('/') {
            format!("{rel}index.html")
        } else {
            rel.to_string()
        }
    }

    pub fn home(&self, lang: &str) -> String {
        self.path(lang, "")
    }

    /// Page `n` (1-based) of a list whose first page is `first`.
    pub fn paginated(&self, first: &str, n: usize) -> String {
        if n <= 1 {
            first.to_string()
        } else {
            format!("{first}page/{n}/")
        }
    }

    pub fn section(&self, lang: &str, slug: &str) -> String {
        self.path(lang, &format!("{slug}/"))
    }

    pub fn report(&self, lang: &str, section_slug: &str, slug: &str) -> String {
        self.path(lang, &format!("{section_slug}/{slug}/"))
    }

    pub fn plain(&self, lang: &str, slug: &str) -> String {
        self.path(lang, &format!("{slug}/"))
    }

    pub fn projects(&self, lang: &str) -> String {
        self.path(lang, "projects/")
    }

    pub fn project(&self, lang: &str, id: &str) -> String {
        self.path(lang, &format!("projects/{id}/"))
    }

    pub fn tags(&self, lang: &str) -> String {
        self.path(lang, "tags/")
    }

    pub fn tag(&self, lang: &str, slug: &str) -> String {
        self.path(lang, &format!("tags/{slug}/"))
    }

    pub fn archive(&self, lang: &str) -> String {
        self.path(lang, "archive/")
    }

    pub fn year(&self, lang: &str, year: i16) -> String {
        self.path(lang, &format!("archive/{year}/"))
    }

    pub fn search(&self, lang: &str) -> String {
        self.path(lang, "search/")
    }

    /// `/mobility/`: the site's outcomes.
    pub fn mobility(&self, lang: &str) -> String {
        self.path(lang, "mobility/")
    }

    /// The page a host shows for an address that leads nowhere.
    pub fn not_found(&self, lang: &str) -> String {
        self.path(lang, "404.html")
    }

    /// The Atom feed of the list whose first page is at `list` (a language's home, a
    /// project's page).
    pub fn atom(&self, list: &str) -> String {
        format!("{list}atom.xml")
    }

    /// A project's evidence file (`ext` is `csv` or `json`), one for every language.
    pub fn dissemination(&self, project: &str, ext: &str) -> String {
        self.file(&format!("projects/{project}/dissemination.{ext}"))
    }

    pub fn sitemap(&self) -> String {
        self.file("sitemap.xml")
    }

    /// A file copied from `content/` or the theme's `static/`.
    pub fn file(&self, rel: &str) -> String {
        format!("{}{rel}", self.base.path)
    }
}

/// First-level names the generator's own pages use; a section or plain page may not take them.
pub const RESERVED: &[&str] = &["tags", "archive", "search", "page", "projects", "mobility"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_files() {
        let u = Urls::new(BaseUrl::parse("https://x.lv/skola/").unwrap(), "lv");
        assert_eq!(u.report("lv", "news", "a"), "/skola/news/a/");
        assert_eq!(u.report("en", "news", "a"), "/skola/en/news/a/");
        assert_eq!(u.output_file("/skola/en/news/a/"), "en/news/a/index.html");
        assert_eq!(u.output_file("/skola/"), "index.html");
        assert_eq!(u.paginated("/skola/", 2), "/skola/page/2/");
        assert_eq!(u.absolute("/skola/tags/"), "https://x.lv/skola/tags/");
    }
}
