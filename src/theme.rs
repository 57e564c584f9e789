//! The theme: templates, static files and UI strings, from the built-in default theme,
//! a theme folder on disk, and the site's own `templates/` and `i18n/`, in that order.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;
use tera::Tera;

use crate::config::Config;
use crate::error::{Diagnostic, Diagnostics};
use crate::{msg, yaml};

include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));

/// A loaded theme, ready to render.
pub struct Theme {
    pub tera: Tera,
    /// Where each template came from, by name (for error messages).
    pub origins: BTreeMap<String, PathBuf>,
    /// Files copied to the output's root: (path in the output, contents).
    pub statics: Vec<(String, Vec<u8>)>,
    /// UI strings per language.
    pub strings: BTreeMap<String, UiStrings>,
    /// A hash of every file of the theme: equal fingerprints render equal pages.
    pub fingerprint: u128,
}

impl std::fmt::Debug for Theme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Theme")
            .field("statics", &self.statics.len())
            .field("strings", &self.strings.keys())
            .field("fingerprint", &self.fingerprint)
            .finish_non_exhaustive()
    }
}

/// Every field by name, with no `..`: a field added to `Theme` does not compile until it
/// is hashed here (rebuild keys hash the theme through this).
impl std::hash::Hash for Theme {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let Theme {
            // Compiled from the template files, which `fingerprint` hashes; a compiled
            // template cannot be hashed itself.
            tera: _,
            origins,
            statics,
            strings,
            fingerprint,
        } = self;
        fingerprint.hash(state);
        origins.hash(state);
        statics.hash(state);
        strings.hash(state);
    }
}

/// One language's UI strings.
#[derive(Debug, Clone)]
pub struct UiStrings {
    /// Every string, by key, as templates see them (`t.read_more`): made once, and
    /// shared by every page's context rather than copied into it.
    pub all: tera::Value,
    pub months: Vec<String>,
    pub date_format: String,
}

/// Every field by name, with no `..`, as for [`Theme`].
impl std::hash::Hash for UiStrings {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let UiStrings {
            // Tera's map has no `Hash` and no fixed order; its strings are read from the
            // theme's and the site's i18n files, which `Theme::fingerprint` hashes.
            all: _,
            months,
            date_format,
        } = self;
        months.hash(state);
        date_format.hash(state);
    }
}

impl UiStrings {
    /// A string by key, or the key itself so a missing string shows rather than breaks.
    pub fn get(&self, key: &str) -> String {
        self.all
            .as_map()
            .and_then(|strings| strings.get(&tera::value::Key::Str(key)))
            .and_then(tera::Value::as_str)
            .unwrap_or(key)
            .to_string()
    }

    /// A day in this language's format.
    pub fn day(&self, day: jiff::civil::Date) -> String {
        crate::date::format_day(day, &self.date_format, &self.months)
    }
}

/// A theme's file, and where it came from (for error messages).
struct ThemeFile {
    origin: PathBuf,
    bytes: Vec<u8>,
}

impl Theme {
    /// Load the site's theme; every template is compiled once, here.
    pub fn load(config: &Config) -> Result<Theme, Diagnostics> {
        let mut problems = Diagnostics::default();
        let mut files: BTreeMap<String, ThemeFile> = BTreeMap::new();
        if config.theme == "default" {
            for (rel, bytes) in DEFAULT_THEME {
                files.insert(
                    rel.to_string(),
                    ThemeFile {
                        origin: PathBuf::from(format!("(built-in theme)/{rel}")),
                        bytes: bytes.to_vec(),
                    },
                );
            }
        }
        let theme_dir = config.root.join("themes").join(&config.theme);
        if theme_dir.is_dir() {
            overlay(&theme_dir, "", &config.root, &mut files, &mut problems);
        } else if config.theme != "default" {
            problems.push(Diagnostic::new(
                config.root.join(crate::config::CONFIG_FILE),
                msg!("theme-missing", theme = config.theme),
            ));
        }
        overlay(
            &config.root.join("templates"),
            "templates/",
            &config.root,
            &mut files,
            &mut problems,
        );
        overlay(
            &config.root.join("i18n"),
            "i18n/",
            &config.root,
            &mut files,
            &mut problems,
        );

        let origins = files
            .iter()
            .filter_map(|(rel, f)| {
                let name = rel.strip_prefix("templates/")?;
                Some((name.to_string(), f.origin.clone()))
            })
            .collect();
        let tera = compile(&files, &origins, &mut problems);
        let strings = ui_strings(config, &files, &mut problems);
        let mut hasher = crate::hash::Hasher::default();
        for (rel, f) in &files {
            std::hash::Hash::hash(&(rel, &f.bytes), &mut hasher);
        }
        let fingerprint = hasher.digest();
        let statics = files
            .iter()
            .filter_map(|(rel, f)| {
                rel.strip_prefix("static/")
                    .map(|r| (r.to_string(), f.bytes.clone()))
            })
            .collect();
        match tera {
            Some(tera) if !problems.has_errors() => Ok(Theme {
                tera,
                origins,
                statics,
                strings,
                fingerprint,
            }),
            _ => Err(problems),
        }
    }
}

/// Read every file under `dir` over `files`, as `prefix` + its path under `dir`.
fn overlay(
    dir: &Path,
    prefix: &str,
    root: &Path,
    files: &mut BTreeMap<String, ThemeFile>,
    problems: &mut Diagnostics,
) {
    if !dir.is_dir() {
        return;
    }
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                problems.push(Diagnostic::new(
                    e.path().unwrap_or(dir),
                    msg!("walk-unreadable", why = e),
                ));
                continue;
            }
        };
        if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let Ok(rel) = path.strip_prefix(dir) else {
            continue;
        };
        let rel = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        match std::fs::read(path) {
            Ok(bytes) => {
                let origin = path.strip_prefix(root).unwrap_or(path).to_path_buf();
                files.insert(format!("{prefix}{rel}"), ThemeFile { origin, bytes });
            }
            Err(e) => problems.push(Diagnostic::new(path, msg!("file-unreadable", why = e))),
        }
    }
}

fn compile(
    files: &BTreeMap<String, ThemeFile>,
    origins: &BTreeMap<String, PathBuf>,
    problems: &mut Diagnostics,
) -> Option<Tera> {
    let mut templates = Vec::new();
    for (rel, f) in files {
        let Some(name) = rel.strip_prefix("templates/") else {
            continue;
        };
        match std::str::from_utf8(&f.bytes) {
            Ok(text) => templates.push((name, text)),
            Err(_) => problems.push(Diagnostic::new(&f.origin, msg!("theme-template-not-utf8"))),
        }
    }
    let mut tera = Tera::default();
    tera.autoescape_on([".html", ".htm", ".xml"]);
    tera.set_escape_fn(crate::escape::html_to);
    let sources: BTreeMap<&str, &str> = templates.iter().copied().collect();
    match tera.add_raw_templates(templates) {
        Ok(()) => Some(tera),
        Err(e) => {
            let mut d = template_error(&e, origins);
            if let tera::ErrorKind::SyntaxError(report) = e.kind()
                && let Some(hint) = sources
                    .get(report.filename())
                    .and_then(|text| text.lines().nth(report.span().start_line.saturating_sub(1)))
                    .and_then(tera_1_hint)
            {
                d.message = format!("{}: {hint}", d.message);
            }
            problems.push(d);
            None
        }
    }
}

/// What to do instead, when a template's failing line is written for Tera 1.
fn tera_1_hint(line: &str) -> Option<String> {
    let tag = |name: &str| {
        ["{% ", "{%- "]
            .iter()
            .any(|open| line.contains(&format!("{open}{name}")))
    };
    if tag("import") || tag("macro") || line.contains("::") {
        Some(msg!("theme-tera-1"))
    } else {
        None
    }
}

/// A Tera error as a diagnostic: at the file and line it points to (a template's name is
/// its path under `templates/`), else about the templates as a whole.
pub fn template_error(e: &tera::Error, origins: &BTreeMap<String, PathBuf>) -> Diagnostic {
    match e.kind() {
        tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
            let name = report.filename();
            let file = origins
                .get(name)
                .cloned()
                .unwrap_or_else(|| PathBuf::from(format!("templates/{name}")));
            let span = report.span();
            Diagnostic::new(file, report.message().trim_end_matches('.'))
                .at(span.start_line, Some(span.start_col + 1))
        }
        _ => Diagnostic::new("templates", describe_tera_error(e)),
    }
}

/// Tera's error with every cause, on one line each.
pub fn describe_tera_error(e: &tera::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

fn ui_strings(
    config: &Config,
    files: &BTreeMap<String, ThemeFile>,
    problems: &mut Diagnostics,
) -> BTreeMap<String, UiStrings> {
    let mut out = BTreeMap::new();
    for lang in &config.languages {
        let own = format!("i18n/{lang}.yaml");
        // A language the theme does not know starts from English and is completed by the site.
        let theme_file = files.get(&own).or_else(|| files.get("i18n/en.yaml"));
        let mut all = serde_json::Map::new();
        for file in [theme_file, files.get(&format!("site-i18n/{lang}.yaml"))]
            .into_iter()
            .flatten()
        {
            let text = String::from_utf8_lossy(&file.bytes);
            match yaml::from_str::<serde_json::Map<String, Json>>(&text, &file.origin) {
                // The site's file adds or replaces strings one key at a time.
                Ok(strings) => all.extend(strings),
                Err(d) => problems.push(d),
            }
        }
        if all.is_empty() {
            problems.push(Diagnostic::new(&own, msg!("theme-no-strings", lang = lang)));
            continue;
        }
        let months: Vec<String> = all
            .get("months")
            .and_then(Json::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|m| m.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        if months.len() != 12 {
            let origin = theme_file.map_or_else(|| PathBuf::from(&own), |f| f.origin.clone());
            problems.push(Diagnostic::new(origin, msg!("theme-months")));
        }
        let date_format = all
            .get("date_format")
            .and_then(Json::as_str)
            .unwrap_or("{year}-{month}-{day}")
            .to_string();
        // Text, numbers, lists and maps always convert; anything else is reported.
        let all = match tera::Value::try_from_serializable(&all) {
            Ok(value) => value,
            Err(e) => {
                problems.push(Diagnostic::new(
                    &own,
                    msg!("theme-strings-unusable", why = e),
                ));
                continue;
            }
        };
        out.insert(
            lang.clone(),
            UiStrings {
                all,
                months,
                date_format,
            },
        );
    }
    out
}
