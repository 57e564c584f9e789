//! What an import did and what it was unsure of, for the person who runs it.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

/// The outcome of one `lapa import wordpress`.
#[derive(Debug, Default, Serialize)]
pub struct ImportReport {
    pub dry_run: bool,
    /// Published reports and pages written.
    pub imported: usize,
    /// Of those, written with `draft: true`.
    pub drafts: usize,
    /// Items not imported, by kind (`attachment`, `private`, `already imported` …).
    pub skipped: BTreeMap<String, usize>,
    pub media_copied: usize,
    /// `(post's old URL, missing file's URL)`.
    pub media_missing: Vec<(String, String)>,
    /// `(project id, code)` of each project file written.
    pub projects_created: Vec<(String, String)>,
    /// `(post's old URL, paragraphs removed)`.
    pub disclaimers_replaced: Vec<(String, usize)>,
    /// `(post's old URL, shortcode name)`.
    pub shortcodes_left: Vec<(String, String)>,
    /// `(post's old URL, what lapa was unsure of)`.
    pub unsure: Vec<(String, String)>,
    /// Warnings about the whole import.
    pub warnings: Vec<String>,
    /// Every file written (or, with --dry-run, that would be), relative to the site.
    pub files: Vec<String>,
}

impl ImportReport {
    pub fn skip(&mut self, kind: &str) {
        *self.skipped.entry(kind.to_string()).or_default() += 1;
    }

    /// True when the import wrote (or would write) nothing.
    pub fn nothing_new(&self) -> bool {
        self.files.is_empty()
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let would = if self.dry_run { "would be " } else { "" };
        for w in &self.warnings {
            writeln!(f, "warning: {w}")?;
        }
        for (url, media) in &self.media_missing {
            writeln!(
                f,
                "warning: {url}: the file {media} is not in the uploads folder; the link keeps the old address"
            )?;
        }
        for (url, what) in &self.unsure {
            writeln!(f, "unsure: {url}: {what}")?;
        }
        for (url, name) in &self.shortcodes_left {
            writeln!(
                f,
                "shortcode: {url}: [{name}] is not something lapa knows; it was left as text: replace or remove it"
            )?;
        }
        for (url, n) in &self.disclaimers_replaced {
            writeln!(
                f,
                "funding: {url}: {n} pasted funding {} replaced by lapa's funding block",
                if *n == 1 { "paragraph" } else { "paragraphs" }
            )?;
        }
        for (id, code) in &self.projects_created {
            writeln!(
                f,
                "project: content/projects/{id}.md {would}created for {code}: check its title, beneficiary, agency and dates"
            )?;
        }
        writeln!(
            f,
            "{} {would}imported ({} as drafts); media: {} {would}copied, {} missing; {} {} {would}created",
            self.imported,
            self.drafts,
            self.media_copied,
            self.media_missing.len(),
            self.projects_created.len(),
            if self.projects_created.len() == 1 {
                "project"
            } else {
                "projects"
            }
        )?;
        if !self.skipped.is_empty() {
            let parts: Vec<String> = self
                .skipped
                .iter()
                .map(|(k, n)| format!("{n} {k}"))
                .collect();
            writeln!(f, "not imported: {}", parts.join(", "))?;
        }
        if self.nothing_new() {
            writeln!(
                f,
                "Nothing new: every post of this export is already in content/, and no file was changed."
            )?;
        } else if self.dry_run {
            writeln!(f, "This was a dry run: nothing was written.")?;
        }
        Ok(())
    }
}
