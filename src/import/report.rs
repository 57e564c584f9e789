//! What an import did and what it was unsure of, for the person who runs it.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::msg;

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
        let warning = msg!("label-warning");
        for w in &self.warnings {
            writeln!(f, "{warning}: {w}")?;
        }
        for (url, media) in &self.media_missing {
            let line = msg!("import-media-missing", url = url, media = media);
            writeln!(f, "{warning}: {line}")?;
        }
        for (url, what) in &self.unsure {
            writeln!(f, "{}: {url}: {what}", msg!("import-label-unsure"))?;
        }
        for (url, name) in &self.shortcodes_left {
            let line = msg!("import-shortcode-left", url = url, name = name);
            writeln!(f, "{}: {line}", msg!("import-label-shortcode"))?;
        }
        for (url, n) in &self.disclaimers_replaced {
            let line = msg!("import-disclaimers-replaced", url = url, n = n);
            writeln!(f, "{}: {line}", msg!("import-label-funding"))?;
        }
        for (id, code) in &self.projects_created {
            let line = if self.dry_run {
                msg!("import-project-would-create", id = id, code = code)
            } else {
                msg!("import-project-created", id = id, code = code)
            };
            writeln!(f, "{}: {line}", msg!("import-label-project"))?;
        }
        let (imported, drafts, copied) = (self.imported, self.drafts, self.media_copied);
        let (missing, projects) = (self.media_missing.len(), self.projects_created.len());
        let summary = if self.dry_run {
            msg!(
                "import-summary-dry-run",
                imported = imported,
                drafts = drafts,
                copied = copied,
                missing = missing,
                projects = projects
            )
        } else {
            msg!(
                "import-summary",
                imported = imported,
                drafts = drafts,
                copied = copied,
                missing = missing,
                projects = projects
            )
        };
        writeln!(f, "{summary}")?;
        if !self.skipped.is_empty() {
            let parts: Vec<String> = self
                .skipped
                .iter()
                .map(|(kind, n)| msg!("import-skipped-kind", n = n, kind = kind_words(kind)))
                .collect();
            writeln!(f, "{}", msg!("import-skipped", list = parts.join(", ")))?;
        }
        if self.nothing_new() {
            writeln!(f, "{}", msg!("import-nothing-new"))?;
        } else if self.dry_run {
            writeln!(f, "{}", msg!("import-dry-run"))?;
        }
        Ok(())
    }
}

/// A kind of skipped item in the user's words; WordPress's own post types (`revision`,
/// `nav_menu_item` …) stay as WordPress names them. The JSON report keeps the kinds as
/// they are, for scripts.
fn kind_words(kind: &str) -> String {
    match kind {
        "attachment" => msg!("import-kind-attachment"),
        "private" => msg!("import-kind-private"),
        "password-protected" => msg!("import-kind-password"),
        "already imported" => msg!("import-kind-already"),
        "broken" => msg!("import-kind-broken"),
        "in another language" => msg!("import-kind-other-language"), // not a message: the key of the JSON report
        _ => match kind.strip_prefix("status ") {
            Some(status) => msg!("import-kind-status", status = status),
            None => kind.to_string(),
        },
    }
}
