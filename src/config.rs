//! `site.yaml`: the site's settings, read strictly (its `accessibility:` block in
//! `config/accessibility.rs`).

use crate::msg;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Diagnostic, Diagnostics};
use crate::funding::{ProgrammeOverride, Programmes};
use crate::yaml;

mod accessibility;

pub use accessibility::{
    Accessibility, Compliance, Contact, LocalizedList, Method, Supervisor, parse_date,
};

/// The file name of a site's settings.
pub const CONFIG_FILE: &str = "site.yaml";

/// site.yaml as written: every key the file may have, and no other.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteFile {
    title: String,
    base_url: String,
    #[serde(default = "default_languages")]
    languages: Vec<String>,
    #[serde(default = "default_theme")]
    theme: String,
    #[serde(default = "default_paginate")]
    paginate: usize,
    #[serde(default)]
    programmes: BTreeMap<String, ProgrammeOverride>,
    #[serde(default)]
    accessibility: Option<Accessibility>,
    #[serde(default = "default_publish_hidden")]
    publish_hidden: Vec<String>,
    #[serde(default)]
    photos: PhotoSettings,
}

/// `photos:` in site.yaml: what is published of an original photo, and where the
/// processed versions are kept.
#[derive(Debug, Clone, Default, Hash, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhotoSettings {
    #[serde(default)]
    pub originals: Originals,
    /// A folder for the photo cache, relative to the site's folder (e.g. `.lapa-cache`),
    /// so that a CI cache can keep it between deploys; None: the user's cache folder.
    #[serde(default)]
    pub cache: Option<PathBuf>,
}

/// `photos: cache:` must be a folder of the site's own that is never published: relative,
/// without `..`, and outside `content/`.
fn check_cache_dir(dir: &Path) -> Result<(), String> {
    use std::path::Component;
    let shown = dir.display();
    let plain = dir
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if !plain || dir.as_os_str().is_empty() {
        return Err(format!(
            "`photos: cache:` is `{shown}`: expected a folder inside the site's folder, written relative to it, e.g. .lapa-cache"
        ));
    }
    if dir
        .components()
        .find(|c| matches!(c, Component::Normal(_)))
        .is_some_and(|c| c.as_os_str() == "content")
    {
        return Err(format!(
            "`photos: cache:` is `{shown}`, inside content/, which is published: choose a folder beside it, e.g. .lapa-cache"
        ));
    }
    Ok(())
}

/// What is published of an original photo (`photos: originals:`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Originals {
    /// As it is, with its EXIF (GPS position, camera, time).
    Keep,
    /// Without its metadata, losslessly: the same pixels, only the orientation kept.
    #[default]
    Strip,
    /// Not at all: links to it go to its widest version.
    None,
}

fn default_publish_hidden() -> Vec<String> {
    vec![".well-known".to_string()]
}

fn default_languages() -> Vec<String> {
    vec!["lv".to_string(), "en".to_string()]
}

fn default_theme() -> String {
    "default".to_string()
}

fn default_paginate() -> usize {
    10
}

/// One of the site's languages: its place in [`Config::languages`] (0 is the default
/// language). Look its code up with [`Config::language`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LangId(usize);

/// The site's settings, checked and with defaults filled in.
#[derive(Debug, Clone, Hash)]
pub struct Config {
    /// The site's folder (holds site.yaml, content/, themes/, templates/).
    pub root: PathBuf,
    pub title: String,
    pub base_url: BaseUrl,
    /// The site's languages; the first is the default and lives at `/`.
    pub languages: Vec<String>,
    pub theme: String,
    /// Reports per list page.
    pub paginate: usize,
    /// Built-in programmes with the site's overrides applied.
    pub programmes: Programmes,
    /// The accessibility statement's facts; None when site.yaml has no such block.
    pub accessibility: Option<Accessibility>,
    /// Names starting with `.` that are published from content/ (`.well-known` unless
    /// site.yaml says otherwise); every other hidden file or folder never is.
    pub publish_hidden: Vec<String>,
    /// `photos:`: what is published of an original photo, and the cache's folder.
    pub photos: PhotoSettings,
}

impl Config {
    /// Read `site.yaml` in `root`, reporting every problem in it.
    pub fn load(root: &Path) -> Result<Config, Diagnostics> {
        let file = root.join(CONFIG_FILE);
        let text = std::fs::read_to_string(&file).map_err(|e| {
            let hint = if e.kind() == std::io::ErrorKind::NotFound {
                msg!(
                    "config-missing",
                    file = CONFIG_FILE,
                    folder = root.display()
                )
            } else {
                msg!("config-unreadable", file = CONFIG_FILE, why = e)
            };
            Diagnostics::from(Diagnostic::new(&file, hint))
        })?;
        Config::parse(root, &text)
    }

    /// Read settings from the text of `root`'s site.yaml.
    pub fn parse(root: &Path, text: &str) -> Result<Config, Diagnostics> {
        let file = root.join(CONFIG_FILE);
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let raw: SiteFile = yaml::from_str(text, &file)?;
        Config::from_file(root, &file, raw)
    }

    fn from_file(root: &Path, file: &Path, raw: SiteFile) -> Result<Config, Diagnostics> {
        let mut problems = Diagnostics::default();
        let base_url = BaseUrl::parse(&raw.base_url).unwrap_or_else(|message| {
            problems.push(Diagnostic::new(file, message));
            BaseUrl::local()
        });
        if raw.languages.is_empty() {
            problems.push(Diagnostic::new(file, msg!("config-no-languages")));
        }
        for lang in &raw.languages {
            if !is_language_code(lang) {
                problems.push(Diagnostic::new(
                    file,
                    msg!("config-bad-language", lang = lang),
                ));
            }
        }
        if raw.paginate == 0 {
            problems.push(Diagnostic::new(file, msg!("config-paginate-zero")));
        }
        for name in &raw.publish_hidden {
            let plain = name.len() > 1
                && name.starts_with('.')
                && name != ".."
                && !name.contains(['/', '\\'])
                && !name.starts_with(".lapa")
                && !name.contains(".lapa-");
            if !plain {
                problems.push(Diagnostic::new(
                    file,
                    format!("`{name}` in `publish_hidden` is not a hidden file or folder name: expected a name starting with a dot, e.g. .well-known or .htaccess"),
                ));
            }
        }
        let programmes = Programmes::builtin()
            .with_site_overrides(&raw.programmes, file)
            .unwrap_or_else(|errors| {
                problems.extend(errors);
                Programmes::builtin()
            });
        if let Some(a) = &raw.accessibility {
            for (key, value) in [("prepared", &a.prepared), ("reviewed", &a.reviewed)] {
                if let Err(why) = parse_date(value.as_deref()) {
                    problems.push(Diagnostic::new(
                        file,
                        format!("`accessibility: {key}:` {why}"),
                    ));
                }
            }
            if a.slug().is_empty() || crate::slug::from_file_stem(a.slug()) != a.slug() {
                problems.push(Diagnostic::new(
                    file,
                    format!("`accessibility: slug:` `{}` is not a plain address part: use lowercase letters, digits and -, e.g. pieklustamiba", a.slug()),
                ));
            }
        }
        if let Some(dir) = &raw.photos.cache
            && let Err(why) = check_cache_dir(dir)
        {
            problems.push(Diagnostic::new(file, why));
        }
        if problems.has_errors() {
            return Err(problems);
        }
        Ok(Config {
            root: root.to_path_buf(),
            title: raw.title,
            base_url,
            languages: raw.languages,
            theme: raw.theme,
            paginate: raw.paginate,
            programmes,
            accessibility: raw.accessibility,
            publish_hidden: raw.publish_hidden,
            photos: raw.photos,
        })
    }

    /// The default language (the first of `languages`).
    pub fn default_language(&self) -> &str {
        &self.languages[0]
    }

    /// The code of language `id` (`lv`).
    pub fn language(&self, id: LangId) -> &str {
        &self.languages[id.0]
    }

    /// Every language's id and code, the default language first.
    pub fn languages_with_ids(&self) -> impl Iterator<Item = (LangId, &str)> {
        self.languages
            .iter()
            .enumerate()
            .map(|(i, l)| (LangId(i), l.as_str()))
    }

    /// Whether a file or folder named `name` may be published: not hidden (no leading
    /// `.`), or listed in `publish_hidden`.
    pub fn may_publish(&self, name: &str) -> bool {
        !name.starts_with('.') || self.publish_hidden.iter().any(|h| h == name)
    }

    /// The folder with everything the school writes.
    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }
}

fn is_language_code(s: &str) -> bool {
    (2..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase())
}

/// Where the site lives: the absolute URL, and the path part every link starts with.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BaseUrl {
    /// `https://www.example.lv/skola/`, always ending in `/`.
    pub absolute: String,
    /// `/skola/`, or `/` at a domain's root.
    pub path: String,
}

impl BaseUrl {
    /// Check and normalise a base URL from site.yaml or `--base-url`.
    pub fn parse(url: &str) -> Result<BaseUrl, String> {
        let url = url.trim();
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .ok_or_else(|| msg!("config-base-url-scheme", url = url))?;
        let (host, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        if host.is_empty() || host.contains(['?', '#', ' ']) || path.contains(['?', '#', ' ']) {
            return Err(msg!("config-base-url-plain", url = url));
        }
        let path = if path.ends_with('/') {
            path.to_string()
        } else {
            format!("{path}/")
        };
        let scheme = &url[..url.len() - rest.len()];
        Ok(BaseUrl {
            absolute: format!("{scheme}{host}{path}"),
            path,
        })
    }

    /// The address `serve` uses before it knows its port.
    pub fn local() -> BaseUrl {
        BaseUrl {
            absolute: "http://127.0.0.1/".to_string(),
            path: "/".to_string(),
        }
    }

    /// The absolute URL of a site path such as `/skola/news/x/`.
    pub fn absolute(&self, site_path: &str) -> String {
        format!("{}{site_path}", self.origin())
    }

    /// The scheme and host (`https://example.lv`), with no `/` after them.
    pub fn origin(&self) -> &str {
        &self.absolute[..self.absolute.len() - self.path.len()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photo_settings_are_read_strictly() {
        let root = Path::new("/site");
        let parse = |extra: &str| {
            Config::parse(
                root,
                &format!("title: T\nbase_url: https://example.lv/\n{extra}"),
            )
        };
        let default = parse("").unwrap();
        assert_eq!(default.photos.originals, Originals::Strip);
        assert_eq!(default.photos.cache, None);
        let set = parse("photos:\n  originals: none\n  cache: .lapa-cache\n").unwrap();
        assert_eq!(set.photos.originals, Originals::None);
        assert_eq!(set.photos.cache, Some(PathBuf::from(".lapa-cache")));
        assert!(parse("photos:\n  originals: sometimes\n").is_err());
        assert!(parse("photos:\n  origianls: keep\n").is_err());
        for bad in ["../cache", "/tmp/cache", "content/.cache", "./content"] {
            let e = parse(&format!("photos:\n  cache: {bad}\n")).unwrap_err();
            let text = format!("{e:?}");
            assert!(text.contains("photos: cache:"), "{bad}: {text}");
        }
    }

    #[test]
    fn base_url_with_a_sub_path() {
        let b = BaseUrl::parse("https://example.lv/skola").unwrap();
        assert_eq!(b.absolute, "https://example.lv/skola/");
        assert_eq!(b.path, "/skola/");
        assert_eq!(b.absolute("/skola/news/"), "https://example.lv/skola/news/");
    }

    #[test]
    fn base_url_at_the_root() {
        let b = BaseUrl::parse("http://127.0.0.1:1111").unwrap();
        assert_eq!(b.absolute, "http://127.0.0.1:1111/");
        assert_eq!(b.path, "/");
    }

    #[test]
    fn base_url_without_a_scheme_is_refused() {
        assert!(BaseUrl::parse("www.example.lv").is_err());
    }

    #[test]
    fn an_unknown_key_names_the_key() {
        let err = yaml::from_str::<SiteFile>(
            "title: X\nbase_url: https://x.lv/\ntitel: Y\n",
            Path::new("site.yaml"),
        )
        .unwrap_err();
        assert!(err.message.contains("titel"), "{err}");
        assert_eq!(err.line, Some(3));
    }

    #[test]
    fn publish_hidden_takes_only_hidden_names() {
        let root = Path::new("/site");
        let base = "title: T\nbase_url: https://x.lv/\n";
        let config = Config::parse(root, base).unwrap();
        assert!(config.may_publish(".well-known") && config.may_publish("news"));
        assert!(!config.may_publish(".git"));
        let config = Config::parse(root, &format!("{base}publish_hidden: [.htaccess]\n")).unwrap();
        assert!(config.may_publish(".htaccess") && !config.may_publish(".well-known"));
        for bad in ["secrets", "../x", ".lapa-output", "a/.b", ".."] {
            let e =
                Config::parse(root, &format!("{base}publish_hidden: [\"{bad}\"]\n")).unwrap_err();
            assert!(e.to_string().contains("publish_hidden"), "{bad}: {e}");
        }
    }
}
