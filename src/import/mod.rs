//! `lapa import wordpress`: a WordPress export becomes reports, pages, projects and media
//! in the site's `content/`.
//!
//! Two passes over the export, each a stream: the first keeps a small index (each
//! attachment's URL and alt text, each page's slug and parent, each translation group's
//! file name), the second converts one post at a time and writes it.
//!
//! Architecture Invariant: the importer never overwrites a file and writes nothing
//! outside `content/`; every name it makes is a slug or a checked relative path.

mod body;
mod front;
mod funding;
mod html;
mod media;
mod report;
mod wxr;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};

pub use report::Report;

use crate::config::Config;
use crate::date::PageDate;
use crate::error::{Diagnostic, Diagnostics};
use crate::slug;

use body::{Attachments, Photo};
use front::Front;
use media::{Media, PostMedia};
use wxr::{Item, Refusal, Wxr};

/// What `lapa import wordpress` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub export: PathBuf,
    pub uploads: Option<PathBuf>,
    /// The section reports go to; `news` (what `lapa init` makes) by default.
    pub section: String,
    pub dry_run: bool,
    pub include_private: bool,
}

/// Section names lapa's own pages take.
const RESERVED: &[&str] = &["tags", "archive", "search", "page", "projects"];

/// What the first pass remembers of an attachment.
#[derive(Debug, Clone)]
struct Attachment {
    url: String,
    alt: String,
    title: String,
    caption: String,
    parent: u64,
}

/// The small index the first pass builds.
#[derive(Default)]
struct Index {
    attachments: HashMap<u64, Attachment>,
    /// Page id → (slug, parent id).
    pages: HashMap<u64, (String, u64)>,
    /// Pages that have children.
    parents: HashSet<u64>,
    /// Polylang translation group → the file stem of its default-language post.
    groups: HashMap<String, String>,
}

/// Import `options.export` into the site at `root`.
pub fn wordpress(root: &Path, options: &Options) -> Result<Report, Diagnostics> {
    let config = Config::load(root)?;
    let content = config.content_dir();
    let section = options.section.as_str();
    if slug::slugify(section) != section || RESERVED.contains(&section) {
        return Err(Diagnostic::new(
            "--section",
            format!(
                "`{section}` cannot be a section: use lowercase letters, digits and hyphens, and not one of {}",
                RESERVED.join(", ")
            ),
        )
        .into());
    }
    let open = || -> Result<Wxr<BufReader<File>>, Diagnostics> {
        let file = File::open(&options.export)
            .map_err(|e| Diagnostic::new(&options.export, format!("cannot open this file: {e}")))?;
        Wxr::open(BufReader::with_capacity(1 << 16, file)).map_err(|r| {
            let message = match r {
                Refusal::NotWxr(m) => m,
                Refusal::Entities => "this export declares XML entities (a document type with <!ENTITY …>); a WordPress export never does, and lapa does not expand them: export again from WordPress".to_string(),
            };
            Diagnostic::new(&options.export, message).into()
        })
    };

    let mut report = Report {
        dry_run: options.dry_run,
        ..Report::default()
    };
    let default_lang = config.default_language().to_string();

    // First pass: the index.
    let mut index = Index::default();
    let mut wxr = open()?;
    while let Some(item) = wxr.next_item() {
        if item.broken.is_some() {
            continue;
        }
        match item.kind.as_str() {
            "attachment" => {
                index.attachments.insert(
                    item.id,
                    Attachment {
                        url: item.attachment_url.clone(),
                        alt: item
                            .meta("_wp_attachment_image_alt")
                            .unwrap_or("")
                            .to_string(),
                        title: item.title.clone(),
                        caption: html::text(&item.excerpt),
                        parent: item.parent,
                    },
                );
            }
            "page" => {
                index.pages.insert(item.id, (item_slug(&item), item.parent));
                if item.parent != 0 {
                    index.parents.insert(item.parent);
                }
            }
            "post" => {
                if let (Some(group), Some(lang)) = (translation_group(&item), language(&item))
                    && lang == default_lang
                    && let Some(day) = day_of(&item)
                {
                    index
                        .groups
                        .insert(group, format!("{day}-{}", item_slug(&item)));
                }
            }
            _ => {}
        }
    }
    let channel = wxr.channel.clone();
    drop(wxr);

    let uploads = options.uploads.as_deref();
    if uploads.is_none() {
        report.warnings.push(format!(
            "no --uploads folder was given, so images and files keep their old addresses under {}/wp-content/uploads/; copy wp-content/uploads from the old server and import again with --uploads to bring them into the site",
            channel.base_site_url.trim_end_matches('/')
        ));
    } else if let Some(dir) = uploads
        && !dir.is_dir()
    {
        return Err(Diagnostic::new(
            dir,
            "--uploads is not a folder: give the copy of wp-content/uploads",
        )
        .into());
    }
    let media = Media::new(
        &[
            channel.base_site_url.as_str(),
            channel.base_blog_url.as_str(),
        ],
        uploads,
    );
    let programmes = config.programmes.clone();
    let sentences = funding::Sentences::new(&programmes);
    let mut projects = existing_projects(&content);
    let mut planned: HashSet<PathBuf> = HashSet::new();
    let origin = origin_of(&channel.base_site_url);

    // Second pass: one post at a time.
    let mut wxr = open()?;
    while let Some(item) = wxr.next_item() {
        let url = if item.link.is_empty() {
            format!(
                "{}/?p={}",
                channel.base_site_url.trim_end_matches('/'),
                item.id
            )
        } else {
            item.link.clone()
        };
        if let Some(why) = &item.broken {
            report.skip("broken");
            report.unsure.push((url, format!("not imported: {why}")));
            continue;
        }
        if !matches!(item.kind.as_str(), "post" | "page") {
            report.skip(&item.kind);
            continue;
        }
        let private = item.status == "private" || !item.password.is_empty();
        let draft = match item.status.as_str() {
            "publish" if !private => false,
            "draft" | "pending" | "future" => true,
            "private" | "publish" if private => {
                if !options.include_private {
                    report.skip(if item.password.is_empty() {
                        "private"
                    } else {
                        "password-protected"
                    });
                    continue;
                }
                true
            }
            other => {
                report.skip(&format!("status {other}"));
                continue;
            }
        };
        let date = match post_date(&item) {
            Ok(d) => d,
            Err(why) => {
                report.skip("broken");
                report.unsure.push((url, format!("not imported: {why}")));
                continue;
            }
        };
        let lang = match language(&item) {
            Some(l) if config.languages.contains(&l) => l,
            Some(l) => {
                report.skip("in another language");
                report.unsure.push((url, format!("not imported: its language `{l}` is not one of the site's languages ({}); add it to `languages:` in site.yaml and import again", config.languages.join(", "))));
                continue;
            }
            None => default_lang.clone(),
        };
        let suffix = if lang == default_lang {
            String::new()
        } else {
            format!(".{lang}")
        };
        let slug = item_slug(&item);
        let (rel, new_path) = if item.kind == "page" {
            page_path(&item, &slug, &index, &suffix, &lang, &default_lang)
        } else {
            let day = date.get(..10).unwrap_or("").to_string();
            let stem = translation_group(&item)
                .and_then(|g| index.groups.get(&g).cloned())
                .unwrap_or_else(|| format!("{day}-{slug}"));
            let url_slug = slug::from_file_stem(&stem);
            (
                format!("{section}/{stem}{suffix}.md"),
                format!(
                    "{}/{section}/{url_slug}/",
                    lang_prefix(&lang, &default_lang)
                ),
            )
        };
        let target = content.join(&rel);
        if target.exists() || planned.contains(&target) {
            report.skip("already imported");
            continue;
        }
        let folder = target.parent().unwrap_or(&content).to_path_buf();

        // Body: media, WordPress's rules and shortcodes, funding, Markdown.
        let mut post_media = PostMedia::default();
        let taken = |name: &str| {
            let p = folder.join(name);
            p.exists() || planned.contains(&p)
        };
        let rewritten = media.rewrite(&item.content, &mut post_media, &taken);
        let mut attachments = Lookup {
            index: &index,
            media: &media,
            post_media: &mut post_media,
            taken: &taken,
        };
        let prepared = body::prepare(&rewritten, item.id, &lang, &mut attachments);
        let cover = item
            .meta("_thumbnail_id")
            .and_then(|id| id.trim().parse().ok())
            .and_then(|id| attachments.photo(id))
            .map(|p| (p.src, p.alt));
        let found = funding::detect(&item.title, &prepared.html, &programmes, &sentences);
        let mut prepared = prepared;
        prepared.html = found.html.clone();
        let markdown = body::finish(&prepared);

        let mut front = Front {
            title: html::decode_entities(&item.title),
            date: (item.kind == "post" || rel.contains('/')).then(|| date.clone()),
            authors: channel
                .authors
                .get(&item.creator)
                .cloned()
                .or_else(|| (!item.creator.is_empty()).then(|| item.creator.clone()))
                .into_iter()
                .collect(),
            tags: tags(&item),
            summary: Some(html::text(&item.excerpt)).filter(|s| !s.is_empty()),
            cover,
            draft,
            ..Front::default()
        };
        if front.title.trim().is_empty() {
            front.title = format!("Bez nosaukuma ({})", item.id);
        }
        if !rel.ends_with("_index.md") {
            for alias in old_paths(&item, &origin) {
                if alias != new_path && !front.aliases.contains(&alias) {
                    front.aliases.push(alias);
                }
            }
        } else {
            front.date = None;
            front.authors.clear();
            front.summary = None;
            front.cover = None;
            front.draft = false;
        }
        for code in &found.codes {
            let id = match projects.get(&code.code) {
                Some(id) => id.clone(),
                None => {
                    let id = new_project(&content, code, &mut planned, options.dry_run)
                        .map_err(Diagnostics::from)?;
                    report
                        .projects_created
                        .push((id.clone(), code.code.clone()));
                    report.files.push(format!("content/projects/{id}.md"));
                    projects.insert(code.code.clone(), id.clone());
                    id
                }
            };
            front.projects.push(id);
        }
        if found.removed > 0 {
            report
                .disclaimers_replaced
                .push((url.clone(), found.removed));
        }
        for u in found.unsure {
            report.unsure.push((url.clone(), u));
        }
        for s in &prepared.unknown_shortcodes {
            report.shortcodes_left.push((url.clone(), s.clone()));
        }
        for m in &post_media.missing {
            report.media_missing.push((url.clone(), m.clone()));
        }

        let text = format!("{}{markdown}", front.to_yaml());
        planned.insert(target.clone());
        for copy in &post_media.copies {
            planned.insert(folder.join(&copy.name));
        }
        if !options.dry_run {
            create_new(&target, text.as_bytes())?;
            for copy in &post_media.copies {
                let to = folder.join(&copy.name);
                let bytes = std::fs::read(&copy.from).map_err(|e| {
                    Diagnostics::from(Diagnostic::new(
                        &copy.from,
                        format!("cannot read this upload: {e}"),
                    ))
                })?;
                create_new(&to, &bytes)?;
            }
        }
        report.files.push(format!("content/{rel}"));
        report.media_copied += post_media.copies.len();
        report.imported += 1;
        if draft {
            report.drafts += 1;
        }
    }
    Ok(report)
}

/// Attachment lookups for one post, copying what it uses.
struct Lookup<'a, 'b> {
    index: &'a Index,
    media: &'a Media<'a>,
    post_media: &'b mut PostMedia,
    taken: &'b dyn Fn(&str) -> bool,
}

impl Attachments for Lookup<'_, '_> {
    fn photo(&mut self, id: u64) -> Option<Photo> {
        let a = self.index.attachments.get(&id)?;
        let src = if self.media.uploads.is_some() {
            self.media
                .local(&a.url, self.post_media, self.taken)
                .unwrap_or_else(|| a.url.clone())
        } else {
            a.url.clone()
        };
        let alt = if a.alt.is_empty() {
            a.title.clone()
        } else {
            a.alt.clone()
        };
        Some(Photo {
            src,
            alt,
            caption: a.caption.clone(),
        })
    }

    fn attached_to(&mut self, post: u64) -> Vec<Photo> {
        let mut ids: Vec<u64> = self
            .index
            .attachments
            .iter()
            .filter(|(_, a)| a.parent == post)
            .map(|(id, _)| *id)
            .collect();
        ids.sort_unstable();
        ids.into_iter().filter_map(|id| self.photo(id)).collect()
    }
}

fn create_new(path: &Path, bytes: &[u8]) -> Result<(), Diagnostics> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| {
            Diagnostics::from(Diagnostic::new(
                parent,
                format!("cannot create this folder: {e}"),
            ))
        })?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            Diagnostics::from(Diagnostic::new(
                path,
                format!("cannot create this file: {e}"),
            ))
        })?;
    f.write_all(bytes).map_err(|e| {
        Diagnostics::from(Diagnostic::new(
            path,
            format!("cannot write this file: {e}"),
        ))
    })
}

/// `post_name` percent-decoded and made a lapa slug; the title's, or `ieraksts-ID`.
fn item_slug(item: &Item) -> String {
    let decoded = percent_encoding::percent_decode_str(&item.name).decode_utf8_lossy();
    let from_name = slug::slugify(&decoded);
    if !from_name.is_empty() {
        return cap(from_name);
    }
    let from_title = slug::slugify(&html::decode_entities(&item.title));
    if !from_title.is_empty() {
        return cap(from_title);
    }
    format!("ieraksts-{}", item.id)
}

/// Long slugs are cut at a hyphen so file names stay well within system limits.
fn cap(s: String) -> String {
    if s.len() <= 80 {
        return s;
    }
    let cut = s[..80].rfind('-').unwrap_or(80);
    s[..cut].to_string()
}

fn language(item: &Item) -> Option<String> {
    item.terms_in("language")
        .next()
        .map(|(nice, _)| nice.to_string())
}

fn translation_group(item: &Item) -> Option<String> {
    item.terms_in("post_translations")
        .next()
        .map(|(nice, _)| nice.to_string())
}

fn day_of(item: &Item) -> Option<String> {
    post_date(item).ok().map(|d| d[..10].to_string())
}

/// `post_date_gmt` as UTC, or `post_date` (WordPress's local time) without a zone.
fn post_date(item: &Item) -> Result<String, String> {
    let gmt = item.date_gmt.trim();
    let (text, zone) = if !gmt.is_empty() && !gmt.starts_with("0000") {
        (gmt, "Z")
    } else {
        (item.date.trim(), "")
    };
    let candidate = format!("{}{zone}", text.replacen(' ', "T", 1));
    match PageDate::parse(&candidate) {
        Ok(_) if candidate.len() >= 10 => Ok(candidate),
        _ => Err(format!(
            "its date `{}` is not a date WordPress writes (YYYY-MM-DD HH:MM:SS)",
            item.date
        )),
    }
}

fn lang_prefix(lang: &str, default: &str) -> String {
    if lang == default {
        String::new()
    } else {
        format!("/{lang}")
    }
}

/// A page's file and new URL path: a top-level page is a plain page; a page with
/// children becomes a section (its text the section's `_index.md`) holding them.
fn page_path(
    item: &Item,
    slug: &str,
    index: &Index,
    suffix: &str,
    lang: &str,
    default_lang: &str,
) -> (String, String) {
    let mut chain = Vec::new();
    let mut parent = item.parent;
    let mut seen = HashSet::new();
    while parent != 0 && seen.insert(parent) {
        match index.pages.get(&parent) {
            Some((s, p)) => {
                chain.push(s.clone());
                parent = *p;
            }
            None => break,
        }
    }
    chain.reverse();
    let prefix = lang_prefix(lang, default_lang);
    let top = |s: &str| {
        if RESERVED.contains(&s) {
            format!("{s}-lapa")
        } else {
            s.to_string()
        }
    };
    match chain.first() {
        None if index.parents.contains(&item.id) => (
            format!("{}/_index{suffix}.md", top(slug)),
            format!("{prefix}/{}/", top(slug)),
        ),
        None => (
            format!("{}{suffix}.md", top(slug)),
            format!("{prefix}/{}/", top(slug)),
        ),
        Some(root) => {
            let mut parts: Vec<String> = vec![top(root)];
            parts.extend(chain[1..].iter().cloned());
            let folder = parts.join("/");
            (
                format!("{folder}/{slug}{suffix}.md"),
                format!("{prefix}/{}/{slug}/", top(root)),
            )
        }
    }
}

/// `https://skola.lv/sub` → `https://skola.lv`.
fn origin_of(base: &str) -> String {
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    match base[scheme_end..].find('/') {
        Some(i) => base[..scheme_end + i].to_string(),
        None => base.trim_end_matches('/').to_string(),
    }
}

/// The post's old path from its `<link>`, and `/?p=ID`.
fn old_paths(item: &Item, origin: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let link = item.link.trim();
    let rest = link.strip_prefix(origin).or_else(|| {
        let other = if origin.starts_with("https://") {
            origin.replacen("https://", "http://", 1)
        } else {
            origin.replacen("http://", "https://", 1)
        };
        link.strip_prefix(other.as_str())
    });
    if let Some(rest) = rest
        && rest.starts_with('/')
        && !rest.starts_with("/?")
        && rest.len() > 1
    {
        let decoded = percent_encoding::percent_decode_str(rest).decode_utf8_lossy();
        if !on_lapas_own_pages(&decoded) {
            paths.push(decoded.into_owned());
        }
    }
    if item.id != 0 {
        paths.push(format!("/?p={}", item.id));
    }
    paths
}

/// `/tags/…`, `/archive/…`, `/atom.xml` and the like, also under `/LANG/`: lapa's own
/// pages are there, and an alias may not claim them.
fn on_lapas_own_pages(path: &str) -> bool {
    let mut parts = path.trim_start_matches('/').split('/');
    let mut first = parts.next().unwrap_or("");
    if first.len() == 2 && first.bytes().all(|b| b.is_ascii_lowercase()) {
        first = parts.next().unwrap_or("");
    }
    RESERVED.contains(&first)
        || matches!(
            first,
            "atom.xml" | "sitemap.xml" | "robots.txt" | "404.html"
        )
}

/// Tags, and categories but the default one.
fn tags(item: &Item) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for domain in ["category", "post_tag"] {
        for (nice, name) in item.terms_in(domain) {
            let name = html::decode_entities(name);
            let default = domain == "category"
                && (matches!(nice, "uncategorized" | "nekategorizets" | "nekategorizeti")
                    || matches!(name.as_str(), "Uncategorized" | "Nekategorizēts"));
            if !default && !name.is_empty() && !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

/// Codes of the projects in `content/projects/`, each with its id.
fn existing_projects(content: &Path) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    let Ok(dir) = std::fs::read_dir(content.join("projects")) else {
        return map;
    };
    for entry in dir.flatten() {
        let path = entry.path();
        let (Some(stem), Some("md")) = (
            path.file_stem().and_then(|s| s.to_str()),
            path.extension().and_then(|s| s.to_str()),
        ) else {
            continue;
        };
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let Ok(split) = crate::content::frontmatter::split(&text, &path) else {
            continue;
        };
        if let Ok(value) = crate::yaml::from_str::<serde_json::Value>(split.front, &path)
            && let Some(code) = value.get("code").and_then(|c| c.as_str())
        {
            map.insert(code.to_string(), stem.to_string());
        }
    }
    map
}

/// Write `content/projects/ID.md` for a code no project has; the id from its title.
fn new_project(
    content: &Path,
    code: &funding::FoundCode,
    planned: &mut HashSet<PathBuf>,
    dry_run: bool,
) -> Result<String, Diagnostic> {
    let title = code
        .title
        .clone()
        .unwrap_or_else(|| format!("Projekts {}", code.code));
    let base = cap(match slug::slugify(&title) {
        s if s.is_empty() => slug::slugify(&code.code),
        s => s,
    });
    let mut id = base.clone();
    let mut n = 2;
    loop {
        let path = content.join("projects").join(format!("{id}.md"));
        if !path.exists() && !planned.contains(&path) {
            let text = format!(
                "---\n# Made by `lapa import wordpress` from a post that named this project's code.\n# Check the title, and add beneficiary, agency, start and end.\ntitle: {}\ncode: {}\nprogramme: {}\n---\n",
                front::quote(&title),
                front::quote(&code.code),
                code.programme
            );
            if !dry_run {
                create_new(&path, text.as_bytes()).map_err(|d| {
                    d.into_iter()
                        .next()
                        .unwrap_or_else(|| Diagnostic::new(&path, "cannot write this file"))
                })?;
            }
            planned.insert(path);
            return Ok(id);
        }
        id = format!("{base}-{n}");
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_paths_on_lapas_own_pages_are_not_aliases() {
        let item = |link: &str| Item {
            link: link.to_string(),
            id: 7,
            ..Item::default()
        };
        assert_eq!(
            old_paths(
                &item("https://skola.lv/2024/03/28/m%C4%81c%C4%ABbas/"),
                "https://skola.lv"
            ),
            ["/2024/03/28/mācības/", "/?p=7"]
        );
        for own in [
            "https://skola.lv/archive/",
            "https://skola.lv/tags/erasmus/",
            "https://skola.lv/en/projects/",
            "https://skola.lv/atom.xml",
        ] {
            assert_eq!(
                old_paths(&item(own), "https://skola.lv"),
                ["/?p=7"],
                "{own}"
            );
        }
    }
}
