//! The second pass: one post or page at a time becomes a file in `content/`, with its
//! media copied beside it and its projects made when the site has none with its code.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::error::{Diagnostic, Diagnostics};
use crate::funding::Programmes;
use crate::slug;

use super::ImportOptions;
use super::body;
use super::front::Front;
use super::funding;
use super::html;
use super::index::{Index, Lookup};
use super::item::{item_slug, language, post_date, tags, translation_group};
use super::media::{Media, PostMedia};
use super::paths::{lang_prefix, old_paths, page_path};
use super::projects::new_project;
use super::report::ImportReport;
use super::write::create_new;
use super::wxr::{Channel, Item};
use body::Attachments;

/// What the second pass reads from and what it has planned so far.
pub struct Pass<'a> {
    pub options: &'a ImportOptions,
    pub config: &'a Config,
    pub content: &'a Path,
    pub section: &'a str,
    pub default_lang: &'a str,
    pub channel: &'a Channel,
    pub index: &'a Index,
    pub media: &'a Media<'a>,
    pub programmes: &'a Programmes,
    pub sentences: &'a funding::Sentences,
    /// `https://skola.lv` of the old site, to tell its own links.
    pub origin: String,
    /// The site's projects by code, with those this import made.
    pub projects: BTreeMap<String, String>,
    /// The files this import writes (or would write, on a dry run).
    pub planned: HashSet<PathBuf>,
}

impl Pass<'_> {
    /// Import one item of the export, or say in `report` why it was skipped.
    pub fn item(&mut self, item: Item, report: &mut ImportReport) -> Result<(), Diagnostics> {
        let (options, config, content, section) =
            (self.options, self.config, self.content, self.section);
        let (default_lang, channel, index, media) =
            (self.default_lang, self.channel, self.index, self.media);
        let (programmes, sentences, origin) = (self.programmes, self.sentences, &self.origin);
        let (projects, planned) = (&mut self.projects, &mut self.planned);
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
            return Ok(());
        }
        if !matches!(item.kind.as_str(), "post" | "page") {
            report.skip(&item.kind);
            return Ok(());
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
                    return Ok(());
                }
                true
            }
            other => {
                report.skip(&format!("status {other}"));
                return Ok(());
            }
        };
        let date = match post_date(&item) {
            Ok(d) => d,
            Err(why) => {
                report.skip("broken");
                report.unsure.push((url, format!("not imported: {why}")));
                return Ok(());
            }
        };
        let lang = match language(&item) {
            Some(l) if config.languages.contains(&l) => l,
            Some(l) => {
                report.skip("in another language");
                report.unsure.push((url, format!("not imported: its language `{l}` is not one of the site's languages ({}); add it to `languages:` in site.yaml and import again", config.languages.join(", "))));
                return Ok(());
            }
            None => default_lang.to_string(),
        };
        let suffix = if lang == default_lang {
            String::new()
        } else {
            format!(".{lang}")
        };
        let slug = item_slug(&item);
        let (rel, new_path) = if item.kind == "page" {
            page_path(&item, &slug, index, &suffix, &lang, default_lang)
        } else {
            let day = date.get(..10).unwrap_or("").to_string();
            let stem = translation_group(&item)
                .and_then(|g| index.groups.get(&g).cloned())
                .unwrap_or_else(|| format!("{day}-{slug}"));
            let url_slug = slug::from_file_stem(&stem);
            (
                format!("{section}/{stem}{suffix}.md"),
                format!("{}/{section}/{url_slug}/", lang_prefix(&lang, default_lang)),
            )
        };
        let target = content.join(&rel);
        if target.exists() || planned.contains(&target) {
            report.skip("already imported");
            return Ok(());
        }
        let folder = target.parent().unwrap_or(content).to_path_buf();

        // Body: media, WordPress's rules and shortcodes, funding, Markdown.
        let mut post_media = PostMedia::default();
        let taken = |name: &str| {
            let p = folder.join(name);
            p.exists() || planned.contains(&p)
        };
        let rewritten = media.rewrite(&item.content, &mut post_media, &taken);
        let mut attachments = Lookup {
            index,
            media,
            post_media: &mut post_media,
            taken: &taken,
        };
        let prepared = body::prepare(&rewritten, item.id, &lang, &mut attachments);
        let cover = item
            .meta("_thumbnail_id")
            .and_then(|id| id.trim().parse().ok())
            .and_then(|id| attachments.photo(id))
            .map(|p| (p.src, p.alt));
        let found = funding::detect(&item.title, &prepared.html, programmes, sentences);
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
            for alias in old_paths(&item, origin) {
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
                    let id = new_project(content, code, planned, options.dry_run)
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
        Ok(())
    }
}
