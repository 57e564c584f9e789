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
mod index;
mod item;
mod media;
mod paths;
mod post;
mod projects;
mod report;
mod write;
mod wxr;

use std::collections::HashSet;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

pub use report::ImportReport;

use crate::config::Config;
use crate::error::{Diagnostic, Diagnostics};
use crate::slug;

use index::Index;
use media::Media;
use paths::origin_of;
use post::Pass;
use projects::existing_projects;
use wxr::{Refusal, Wxr};

/// What `lapa import wordpress` was asked to do.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub export: PathBuf,
    pub uploads: Option<PathBuf>,
    /// The section reports go to; `news` (what `lapa init` makes) by default.
    pub section: String,
    pub dry_run: bool,
    pub include_private: bool,
}

/// Section names lapa's own pages take.
const RESERVED: &[&str] = &["tags", "archive", "search", "page", "projects"];

/// Import `options.export` into the site at `root`.
pub fn wordpress(root: &Path, options: &ImportOptions) -> Result<ImportReport, Diagnostics> {
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

    let mut report = ImportReport {
        dry_run: options.dry_run,
        ..ImportReport::default()
    };
    let default_lang = config.default_language().to_string();

    // First pass: the index.
    let (index, channel) = Index::build(open()?, &default_lang);

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

    // Second pass: one post at a time.
    let mut pass = Pass {
        options,
        config: &config,
        content: &content,
        section,
        default_lang: &default_lang,
        channel: &channel,
        index: &index,
        media: &media,
        programmes: &programmes,
        sentences: &sentences,
        origin: origin_of(&channel.base_site_url),
        projects: existing_projects(&content),
        planned: HashSet::new(),
    };
    let mut wxr = open()?;
    while let Some(item) = wxr.next_item() {
        pass.item(item, &mut report)?;
    }
    Ok(report)
}
