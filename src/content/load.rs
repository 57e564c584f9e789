//! Walk `content/`, read each file once, and parse what it is.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;
use walkdir::WalkDir;

use super::frontmatter::{self, IndexFront, PageFront, ProjectFront, Split};
use crate::config::Config;
use crate::error::{Diagnostic, Diagnostics};
use crate::msg;
use crate::output::MARKER;

/// The folder under `content/` that holds project definitions.
pub const PROJECTS_DIR: &str = "projects";

/// Everything loaded from `content/`.
#[derive(Debug, Default, Clone)]
pub struct Content {
    /// Markdown sources, in file-name order.
    pub sources: Vec<Arc<Source>>,
    /// Files copied as they are.
    pub assets: Vec<Asset>,
}

/// A non-Markdown file under `content/`.
#[derive(Debug, Clone)]
pub struct Asset {
    pub path: PathBuf,
    /// Its path under `content/`, with `/` separators: also its path in the output.
    pub rel: String,
}

/// One Markdown file, parsed.
#[derive(Debug)]
pub struct Source {
    pub path: PathBuf,
    /// The path under `content/` with `/` separators (`news/2024-03-28-x.en.md`).
    pub rel: String,
    /// What the file is, with its typed front matter.
    pub kind: Kind,
    pub lang: String,
    /// The path under `content/` without language suffix and `.md`: translations share it.
    pub key: String,
    pub body: String,
    /// The 1-based line the body starts on, so Markdown problems name the file's line.
    pub body_line: usize,
    /// The front matter's text, to find a key's line for errors found later.
    pub front_text: String,
    pub front_line: usize,
    /// What reads but is probably not meant (`tags: a, b`), reported on every load.
    pub warnings: Vec<Diagnostic>,
    /// A hash of `body`, made the first time a rebuild asks (`site::Bodies`) and kept with
    /// the file for as long as it is unchanged, so an unchanged body is not hashed again.
    pub body_digest: std::sync::OnceLock<u128>,
}

/// What a Markdown file is, by where it lies.
#[derive(Debug)]
pub enum Kind {
    /// `content/_index.md`: the home page's intro.
    Home(IndexFront),
    /// `content/SECTION/_index.md`.
    SectionIndex { section: String, front: IndexFront },
    /// `content/SECTION/**.md`.
    Report { section: String, front: PageFront },
    /// `content/NAME.md`.
    Plain(PageFront),
    /// `content/projects/ID.md`.
    Project { id: String, front: ProjectFront },
}

/// Files parsed by an earlier load, kept for the next one (`serve`): a file whose size
/// and modification time are unchanged is not read again.
#[derive(Debug, Default)]
pub struct Parsed {
    languages: Vec<String>,
    files: HashMap<PathBuf, (Stamp, Arc<Source>)>,
    /// Keep nothing: there is no next load (`build`).
    off: bool,
    /// The last load's content when it found no problem, for [`reload`].
    last: Option<Content>,
}

/// What tells a file that changed from one that did not, without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
}

impl Parsed {
    /// A memo that keeps nothing, for a load that is the only one (a file's stamp is not
    /// even looked at).
    pub fn off() -> Parsed {
        Parsed {
            off: true,
            ..Parsed::default()
        }
    }

    /// Read `paths` again next time, whatever their stamps say (the watcher saw them change;
    /// some file systems keep times to the second or two).
    pub fn forget(&mut self, paths: &[PathBuf]) {
        for p in paths {
            self.files.remove(p);
        }
    }
}

/// [`load_with`] when only the files `changed` (the watcher's paths) may have changed
/// since the last load: those are read again, every other file is taken from the last
/// load as it was, and the folder is not walked. `None` when that cannot be trusted, and
/// the caller loads everything: no last load (or it found a problem), other languages,
/// nothing named, a path outside `content/`, a folder, a link, a hidden name a setting
/// lets through, a folder gone with files in it.
pub fn reload(
    config: &Config,
    changed: &[PathBuf],
    memo: &mut Parsed,
) -> Option<(Content, Diagnostics)> {
    if memo.off || changed.is_empty() || memo.languages != config.languages {
        return None;
    }
    let mut content = memo.last.take()?;
    let dir = config.content_dir();
    let mut problems = Diagnostics::default();
    for path in changed {
        let rel = path.strip_prefix(&dir).ok()?;
        let names: Vec<String> = rel
            .components()
            .map(|c| match c {
                std::path::Component::Normal(n) => Some(n.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect::<Option<_>>()?;
        let name = names.last()?;
        if names.iter().any(|n| !config.may_publish(n)) || is_ignored(name.as_ref()) {
            // Never content, as the walk skips it.
            continue;
        }
        if names.iter().any(|n| n.starts_with('.')) {
            return None;
        }
        // Every folder on the way is a plain folder the walk enters.
        let mut folder = dir.clone();
        for n in &names[..names.len() - 1] {
            folder.push(n);
            let meta = std::fs::symlink_metadata(&folder).ok()?;
            if !meta.is_dir() || folder.join(MARKER).exists() {
                return None;
            }
        }
        let rel = relative(path, &dir)?;
        let is_markdown = rel.ends_with(".md");
        let at = content
            .sources
            .binary_search_by(|s| s.path.as_path().cmp(path));
        let asset_at = content
            .assets
            .binary_search_by(|a| a.path.as_path().cmp(path));
        match std::fs::symlink_metadata(path) {
            Ok(meta) if meta.is_file() => {
                if is_markdown {
                    let stamp = Stamp {
                        len: meta.len(),
                        modified: meta.modified().ok(),
                    };
                    match read_source(config, path.clone(), rel) {
                        Ok(source) => {
                            let source = Arc::new(source);
                            memo.files.insert(path.clone(), (stamp, source.clone()));
                            match at {
                                Ok(i) => content.sources[i] = source,
                                Err(i) => content.sources.insert(i, source),
                            }
                        }
                        Err(d) => {
                            problems.push(d);
                            if let Ok(i) = at {
                                content.sources.remove(i);
                            }
                        }
                    }
                } else if let Err(i) = asset_at {
                    content.assets.insert(
                        i,
                        Asset {
                            path: path.clone(),
                            rel,
                        },
                    );
                }
            }
            Ok(_) => return None,
            Err(_) => {
                let inside = |p: &Path| p.starts_with(path) && p != path;
                if content.sources.iter().any(|s| inside(&s.path))
                    || content.assets.iter().any(|a| inside(&a.path))
                {
                    return None;
                }
                memo.files.remove(path);
                if let Ok(i) = at {
                    content.sources.remove(i);
                }
                if let Ok(i) = asset_at {
                    content.assets.remove(i);
                }
            }
        }
    }
    for s in &content.sources {
        problems.extend(s.warnings.iter().cloned());
    }
    if !problems.has_errors() {
        memo.last = Some(content.clone());
    }
    Some((content, problems))
}

/// Load every file under `config.root/content`, collecting every problem.
pub fn load(config: &Config) -> (Content, Diagnostics) {
    load_with(config, &mut Parsed::off())
}

/// [`load`], taking unchanged files from `memo` and leaving this load's files in it.
pub fn load_with(config: &Config, memo: &mut Parsed) -> (Content, Diagnostics) {
    memo.last = None;
    if memo.languages != config.languages {
        // What a file is and its language depend on the site's languages.
        memo.files.clear();
        memo.languages = config.languages.clone();
    }
    let dir = config.content_dir();
    let mut problems = Diagnostics::default();
    let mut markdown = Vec::new();
    let mut assets = Vec::new();
    if !dir.is_dir() {
        problems.push(Diagnostic::new(&dir, msg!("content-missing")));
        return (Content::default(), problems);
    }
    // Links are followed, but only to places inside the site: a link must not publish
    // (or let the preview serve) a file from elsewhere on the computer.
    let site = std::fs::canonicalize(&config.root).unwrap_or_else(|_| config.root.clone());
    let mut walk = WalkDir::new(&dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walk.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                problems.push(walk_problem(&e, &dir));
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy();
        let is_dir = entry.file_type().is_dir();
        if entry.depth() > 0 && !config.may_publish(&name) {
            // Hidden: `.git`, `.env` … never published, nor anything in them.
            if is_dir {
                walk.skip_current_dir();
            }
            continue;
        }
        if entry.path_is_symlink()
            && !is_ignored(entry.file_name())
            && let Some(why) = link_problem(entry.path(), &site, config)
        {
            problems.push(Diagnostic::new(entry.path(), why));
            if is_dir {
                walk.skip_current_dir();
            }
            continue;
        }
        if is_dir && entry.depth() > 0 && entry.path().join(MARKER).is_file() {
            problems.push(Diagnostic::new(
                entry.path(),
                msg!("content-holds-output", marker = MARKER),
            ));
            walk.skip_current_dir();
            continue;
        }
        if !entry.file_type().is_file() || is_ignored(entry.file_name()) {
            continue;
        }
        let stamp = (!memo.off)
            .then(|| entry.metadata().ok())
            .flatten()
            .map(|m| Stamp {
                len: m.len(),
                modified: m.modified().ok(),
            });
        let path = entry.into_path();
        let Some(rel) = relative(&path, &dir) else {
            continue;
        };
        // Under a hidden folder a setting lets through (`.well-known`), every file is
        // published as it is.
        if rel.ends_with(".md") && !rel.starts_with('.') && !rel.contains("/.") {
            markdown.push((path, rel, stamp));
        } else {
            assets.push(Asset { path, rel });
        }
    }
    let kept = &memo.files;
    /// A Markdown file read (or kept from the memo), and its time and size then.
    struct Reading {
        stamp: Option<Stamp>,
        source: Result<Arc<Source>, Diagnostic>,
    }
    let parsed: Vec<Reading> = markdown
        .into_par_iter()
        .map(|(path, rel, stamp)| {
            if let Some((old, source)) = kept.get(&path)
                && Some(*old) == stamp
            {
                return Reading {
                    stamp,
                    source: Ok(source.clone()),
                };
            }
            Reading {
                stamp,
                source: read_source(config, path, rel).map(Arc::new),
            }
        })
        .collect();
    let mut sources = Vec::with_capacity(parsed.len());
    memo.files.clear();
    for Reading { stamp, source: p } in parsed {
        match p {
            Ok(s) => {
                if let Some(stamp) = stamp {
                    memo.files.insert(s.path.clone(), (stamp, s.clone()));
                }
                problems.extend(s.warnings.iter().cloned());
                sources.push(s);
            }
            Err(d) => problems.push(d),
        }
    }
    let content = Content { sources, assets };
    memo.last = (!memo.off && !problems.has_errors()).then(|| content.clone());
    (content, problems)
}

/// Why the link at `path` may not be followed, if it may not: it leads out of the site,
/// to a hidden file or folder, or into a site lapa built (which would then be published
/// inside itself).
fn link_problem(path: &Path, site: &Path, config: &Config) -> Option<String> {
    let target = std::fs::canonicalize(path).ok()?;
    let Ok(inside) = target.strip_prefix(site) else {
        return Some(msg!("link-outside", target = target.display()));
    };
    if let Some(hidden) = inside
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .find(|name| !config.may_publish(name))
    {
        return Some(msg!(
            "link-hidden",
            target = inside.display(),
            hidden = hidden
        ));
    }
    let built = target
        .ancestors()
        .take_while(|a| a.starts_with(site))
        .find(|a| a.join(MARKER).is_file())?;
    Some(msg!(
        "link-into-output",
        target = built.strip_prefix(site).unwrap_or(built).display()
    ))
}

/// Editors' swap and backup files are never content (hidden names are decided by
/// [`Config::may_publish`]).
fn is_ignored(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('#') || name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".tmp")
}

fn relative(path: &Path, dir: &Path) -> Option<String> {
    let rel = path.strip_prefix(dir).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| crate::letters::nfc_owned(c.as_os_str().to_string_lossy().into_owned()))
        .collect();
    Some(parts.join("/"))
}

fn walk_problem(e: &walkdir::Error, dir: &Path) -> Diagnostic {
    let path = e.path().unwrap_or(dir).to_path_buf();
    let message = if let Some(ancestor) = e.loop_ancestor() {
        msg!("walk-symlink-loop", folder = ancestor.display())
    } else if let Some(io) = e.io_error() {
        msg!("walk-unreadable", why = io)
    } else {
        e.to_string()
    };
    Diagnostic::new(path, message)
}

fn read_source(config: &Config, path: PathBuf, rel: String) -> Result<Source, Diagnostic> {
    let bytes = std::fs::read(&path)
        .map_err(|e| Diagnostic::new(&path, msg!("file-unreadable", why = e)))?;
    parse(config, path, rel, bytes)
}

/// Parse the bytes of the Markdown file `rel` (under `content/`) at `path`.
pub fn parse(
    config: &Config,
    path: PathBuf,
    rel: String,
    bytes: Vec<u8>,
) -> Result<Source, Diagnostic> {
    // Checked many bytes at a time: a site's text is most of what a build reads.
    let text = simdutf8::compat::from_utf8(&bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        let message = if crate::encoding::is_windows_1257(&bytes) {
            msg!("file-windows-1257", file = path.display())
        } else {
            msg!("file-not-utf8")
        };
        Diagnostic::new(&path, message).at(line, None)
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // One Unicode form for names and text, however the editor or the Mac wrote them.
    let text = &*crate::letters::nfc(text);
    let rel = crate::letters::nfc_owned(rel);
    if text.trim().is_empty() {
        return Err(Diagnostic::new(&path, msg!("file-empty")));
    }
    let split = frontmatter::split(text, &path)?;
    let (stem_lang, key) = language_of(&rel, &config.languages);
    let kind = classify(&rel, &split, &path)?;
    let front_lang = match &kind {
        Kind::Home(f) | Kind::SectionIndex { front: f, .. } => f.lang.clone(),
        Kind::Report { front, .. } | Kind::Plain(front) => front.lang.clone(),
        Kind::Project { .. } => None,
    };
    let lang = match front_lang {
        Some(l) if config.languages.contains(&l) => l,
        Some(l) => {
            let line =
                frontmatter::key_line(split.front, "lang").map_or(1, |n| n + split.front_line);
            return Err(Diagnostic::new(
                &path,
                msg!(
                    "file-unknown-lang",
                    lang = l,
                    languages = config.languages.join(", ")
                ),
            )
            .at(line, None));
        }
        None => stem_lang.unwrap_or_else(|| config.default_language().to_string()),
    };
    Ok(Source {
        rel,
        kind,
        lang,
        key,
        body: split.body.to_string(),
        body_line: split.body_line,
        front_text: split.front.to_string(),
        front_line: split.front_line,
        warnings: frontmatter::warnings(&split, &path),
        path,
        body_digest: std::sync::OnceLock::new(),
    })
}

/// `news/x.en.md` → (Some("en"), "news/x"); a suffix that is no site language is part of the name.
fn language_of(rel: &str, languages: &[String]) -> (Option<String>, String) {
    let without_md = rel.strip_suffix(".md").unwrap_or(rel);
    if let Some((stem, suffix)) = without_md.rsplit_once('.')
        && !stem.ends_with('/')
        && languages.iter().any(|l| l == suffix)
    {
        return (Some(suffix.to_string()), stem.to_string());
    }
    (None, without_md.to_string())
}

fn classify(rel: &str, split: &Split, path: &Path) -> Result<Kind, Diagnostic> {
    let parts: Vec<&str> = rel.split('/').collect();
    let file_stem = parts[parts.len() - 1]
        .strip_suffix(".md")
        .unwrap_or(parts[parts.len() - 1]);
    let is_index = file_stem == "_index" || file_stem.starts_with("_index.");
    Ok(match parts.as_slice() {
        [_] if is_index => Kind::Home(frontmatter::parse_index(split, path)?),
        [_] => Kind::Plain(frontmatter::parse_page(split, path)?),
        [section, _] if is_index => Kind::SectionIndex {
            section: section.to_string(),
            front: frontmatter::parse_index(split, path)?,
        },
        [dir, _] if *dir == PROJECTS_DIR => Kind::Project {
            id: file_stem.to_string(),
            front: frontmatter::parse_project(split, path)?,
        },
        [section, ..] => Kind::Report {
            section: section.to_string(),
            front: frontmatter::parse_page(split, path)?,
        },
        [] => return Err(Diagnostic::new(path, msg!("content-not-a-file"))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_suffixes() {
        let langs = vec!["lv".to_string(), "en".to_string()];
        assert_eq!(
            language_of("news/x.en.md", &langs),
            (Some("en".to_string()), "news/x".to_string())
        );
        assert_eq!(
            language_of("news/x.md", &langs),
            (None, "news/x".to_string())
        );
        assert_eq!(
            language_of("news/v1.2.md", &langs),
            (None, "news/v1.2".to_string())
        );
    }
}

#[cfg(test)]
mod link_tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_link_out_of_the_site_is_refused_and_a_link_inside_is_followed() {
        let dir = tempfile::tempdir().unwrap();
        let (site, outside) = (dir.path().join("site"), dir.path().join("outside"));
        std::fs::create_dir_all(site.join("content/news")).unwrap();
        std::fs::create_dir_all(site.join("shared")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(
            site.join("site.yaml"),
            "title: T\nbase_url: https://x.lv/\n",
        )
        .unwrap();
        std::fs::write(outside.join("secret.txt"), "secret").unwrap();
        std::fs::write(site.join("shared/logo.png"), "png").unwrap();
        let news = site.join("content/news");
        std::os::unix::fs::symlink(outside.join("secret.txt"), news.join("secret.txt")).unwrap();
        std::os::unix::fs::symlink(&outside, news.join("elsewhere")).unwrap();
        std::os::unix::fs::symlink(site.join("shared/logo.png"), news.join("logo.png")).unwrap();
        let config = Config::load(&site).unwrap();
        let (content, problems) = load(&config);
        let rels: Vec<&str> = content.assets.iter().map(|a| a.rel.as_str()).collect();
        assert_eq!(rels, ["news/logo.png"]);
        assert_eq!(problems.iter().count(), 2, "{problems}");
        assert!(
            problems
                .iter()
                .all(|d| d.message.contains("outside the site"))
        );
    }
}

#[cfg(test)]
mod reload_tests {
    use super::*;

    /// What a load found, by file: (path, body) of each source, each asset's path.
    fn summary(content: &Content) -> (Vec<(PathBuf, String)>, Vec<PathBuf>) {
        (
            content
                .sources
                .iter()
                .map(|s| (s.path.clone(), s.body.clone()))
                .collect(),
            content.assets.iter().map(|a| a.path.clone()).collect(),
        )
    }

    /// A site folder with a `site.yaml` and nothing else.
    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("site.yaml"),
            "title: T\nbase_url: https://x.lv/\n",
        )
        .unwrap();
        dir
    }

    fn report(title: &str) -> String {
        format!("---\ntitle: {title}\ndate: 2024-01-02\n---\nTeksts par {title}.\n")
    }

    #[test]
    fn a_reload_of_the_changed_files_finds_what_a_full_load_finds() {
        let dir = site();
        let site = dir.path();
        let news = site.join("content/news");
        std::fs::create_dir_all(news.join("a")).unwrap();
        for name in ["b.md", "d.md", "a/x.md"] {
            std::fs::write(news.join(name), report(name)).unwrap();
        }
        std::fs::write(news.join("a.png"), "png").unwrap();
        let config = Config::load(site).unwrap();
        let mut memo = Parsed::default();
        let (first, problems) = load_with(&config, &mut memo);
        assert!(problems.is_empty(), "{problems}");
        assert_eq!(first.sources.len(), 3);
        // An edit, a new report between two others, a deleted one, a new asset, an
        // editor's swap file.
        std::fs::write(news.join("b.md"), report("B labots")).unwrap();
        std::fs::write(news.join("c.md"), report("C")).unwrap();
        std::fs::remove_file(news.join("d.md")).unwrap();
        std::fs::write(news.join("a/y.png"), "png").unwrap();
        std::fs::write(news.join(".b.md.swp"), "swap").unwrap();
        let changed: Vec<PathBuf> = ["b.md", "c.md", "d.md", "a/y.png", ".b.md.swp"]
            .iter()
            .map(|n| news.join(n))
            .collect();
        let (again, problems) = reload(&config, &changed, &mut memo).expect("a reload");
        assert!(problems.is_empty(), "{problems}");
        let (full, _) = load(&config);
        assert_eq!(summary(&again), summary(&full));
        assert!(again.sources.iter().any(|s| s.body.contains("B labots")));
        // A folder, or a path outside `content/`, is a full load.
        assert!(reload(&config, &[news.join("a")], &mut memo).is_none());
        load_with(&config, &mut memo);
        assert!(reload(&config, &[site.join("site.yaml")], &mut memo).is_none());
        // So is a folder gone with its files.
        load_with(&config, &mut memo);
        std::fs::remove_dir_all(news.join("a")).unwrap();
        assert!(reload(&config, &[news.join("a")], &mut memo).is_none());
    }

    #[test]
    fn after_a_load_with_problems_the_next_load_is_full() {
        let dir = site();
        let site = dir.path();
        let news = site.join("content/news");
        std::fs::create_dir_all(&news).unwrap();
        std::fs::write(news.join("b.md"), "---\ntitle: \"nepabeigts\n---\nx\n").unwrap();
        let config = Config::load(site).unwrap();
        let mut memo = Parsed::default();
        let (_, problems) = load_with(&config, &mut memo);
        assert!(problems.has_errors());
        assert!(reload(&config, &[news.join("b.md")], &mut memo).is_none());
    }
}
