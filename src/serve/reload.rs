//! The event hub: what the server serves now, and the news the browser tabs wait for.
//!
//! One value, replaced whole after every build: the server reads it per request and
//! every open tab gets it over the event stream, so a tab can never reload into an
//! older site than the one the server hands out.

use crate::msg;
use std::collections::{HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::json;
use tokio::sync::watch;

use crate::error::Diagnostics;
use crate::escape;

/// The state of the preview after the latest build.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// The id of the site being served; a tab whose page has another id reloads.
    pub build: String,
    /// The folder being served; `None` until a first build has succeeded.
    pub dir: Option<PathBuf>,
    /// The overlay (HTML) while the latest build failed; the last good site stays served.
    pub overlay: Option<String>,
    /// Set when this build changed only stylesheets since build `css_since`, so a tab on
    /// that build can swap its stylesheets instead of reloading.
    pub css_since: Option<String>,
}

/// Hands the latest [`Snapshot`] to the server and to every tab.
#[derive(Debug, Clone)]
pub struct Hub {
    tx: Arc<watch::Sender<Arc<Snapshot>>>,
    /// Held for reading while a request reads the served folder, and for writing while
    /// a build updates it: a request sees one build's files, never a mix.
    pub files: Arc<tokio::sync::RwLock<()>>,
    /// The files (output paths) of the served site that are not up to date yet: the
    /// changed pages a rebuild renders after telling the tabs. Changed only while
    /// `files` is held for writing; a request for one of them waits until it is written.
    pending: Arc<watch::Sender<Arc<HashSet<String>>>>,
    /// The pages (output paths) asked for lately, newest last: those a tab has open,
    /// which a rebuild renders first.
    open: Arc<Mutex<VecDeque<String>>>,
}

/// How many pages asked for lately a rebuild renders first.
const OPEN: usize = 32;

impl Default for Hub {
    fn default() -> Self {
        Hub {
            tx: Arc::new(watch::Sender::new(Arc::new(Snapshot::default()))),
            files: Arc::default(),
            pending: Arc::new(watch::Sender::new(Arc::default())),
            open: Arc::default(),
        }
    }
}

impl Hub {
    /// Replace the state; every tab is told right away.
    pub fn publish(&self, snapshot: Snapshot) {
        self.tx.send_replace(Arc::new(snapshot));
    }

    /// The state now.
    pub fn current(&self) -> Arc<Snapshot> {
        self.tx.borrow().clone()
    }

    /// A receiver that sees every later state.
    pub fn subscribe(&self) -> watch::Receiver<Arc<Snapshot>> {
        self.tx.subscribe()
    }

    /// Say which files are not up to date yet (call while holding `files` for writing).
    pub fn set_pending(&self, paths: HashSet<String>) {
        self.pending.send_replace(Arc::new(paths));
    }

    /// Whether any of `paths` (output paths) is not up to date yet.
    pub fn is_pending(&self, paths: &[String]) -> bool {
        let pending = self.pending.borrow();
        paths.iter().any(|p| pending.contains(p))
    }

    /// Wait until none of `paths` is pending.
    pub async fn written(&self, paths: &[String]) {
        let mut rx = self.pending.subscribe();
        // The sender lives as long as the hub: this ends when the paths are written.
        let _ = rx.wait_for(|p| !paths.iter().any(|f| p.contains(f))).await;
    }

    /// Note that a reader asked for the page at `path` (output path).
    pub fn opened(&self, path: &str) {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(i) = open.iter().position(|p| p == path) {
            open.remove(i);
        } else if open.len() == OPEN {
            open.pop_front();
        }
        open.push_back(path.to_string());
    }

    /// The pages asked for lately (output paths).
    pub fn open_pages(&self) -> HashSet<String> {
        let open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        open.iter().cloned().collect()
    }
}

/// The files of the served folder a request for `path` (a URL path, base `/`) may be
/// answered from: `posts/x/index.html` for `/posts/x/` (and for `/posts/x`, which
/// is redirected there), `a.css` for `/a.css`. Empty for a path that names no file.
pub fn files_for(path: &str) -> Vec<String> {
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    let rel = decoded.trim_start_matches('/');
    if rel.is_empty() {
        return vec!["index.html".to_string()];
    }
    if rel.split('/').any(|part| part == ".." || part == ".") {
        return Vec::new();
    }
    if rel.ends_with('/') {
        vec![format!("{rel}index.html")]
    } else {
        vec![rel.to_string(), format!("{rel}/index.html")]
    }
}

impl Snapshot {
    /// The message sent to the tabs: `{build, error, css_since}`.
    pub fn event_json(&self) -> String {
        json!({
            "build": self.build,
            "error": self.overlay,
            "css_since": self.css_since,
        })
        .to_string()
    }
}

/// The overlay that lists a failed build's problems, every text HTML-escaped.
pub fn overlay_html(problems: &Diagnostics, root: &Path) -> String {
    let mut items = String::new();
    for d in problems.iter() {
        let d = d.clone().relative_to(root);
        let mut place = d.file.display().to_string();
        if let Some(line) = d.line {
            place.push_str(&format!(":{line}"));
            if let Some(col) = d.column {
                place.push_str(&format!(":{col}"));
            }
        }
        let kind = if d.is_error() {
            msg!("label-error")
        } else {
            msg!("label-warning")
        };
        items.push_str(&format!(
            "<li style=\"margin:0 0 .8em\"><code style=\"font-weight:bold\">{}</code> \
             <span style=\"color:#ffb4a9\">{kind}</span><br>{}</li>",
            escape::html(&place),
            escape::html(&d.message)
        ));
    }
    format!(
        "<div id=\"lapa-overlay\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;\
         overflow:auto;background:rgba(20,20,20,.94);color:#fff;font:16px/1.5 system-ui,sans-serif;\
         padding:2em;text-align:left\"><h2 style=\"color:#ff8a7a;margin:0 0 .5em;font-size:1.4em\">\
         {}</h2><p style=\"margin:0 0 1em\">{}</p>\
         <ul style=\"list-style:none;padding:0;margin:0;font-family:ui-monospace,monospace;\
         white-space:pre-wrap\">{items}</ul></div>",
        escape::html(&msg!("serve-overlay-title")),
        escape::html(&msg!("serve-overlay-help")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Diagnostic;

    #[test]
    fn the_overlay_escapes_file_and_message() {
        let problems: Diagnostics =
            Diagnostic::new("/site/content/<a>.md", "found `<script>` & more")
                .at(3, Some(7))
                .into();
        let html = overlay_html(&problems, Path::new("/site"));
        assert!(html.contains("content/&lt;a&gt;.md:3:7"), "{html}");
        assert!(html.contains("found `&lt;script&gt;` &amp; more"), "{html}");
        assert!(!html.contains("<script>"));
    }

    #[test]
    fn a_url_names_the_files_it_is_answered_from() {
        assert_eq!(files_for("/"), ["index.html"]);
        assert_eq!(files_for("/posts/x/"), ["posts/x/index.html"]);
        assert_eq!(files_for("/posts/x"), ["posts/x", "posts/x/index.html"]);
        assert_eq!(files_for("/tags/%C4%81/"), ["tags/ā/index.html"]);
        assert!(files_for("/a/../b/").is_empty());
    }

    #[test]
    fn the_pages_asked_for_lately_are_kept_newest_last() {
        let hub = Hub::default();
        for i in 0..OPEN + 5 {
            hub.opened(&format!("p{i}/index.html"));
        }
        hub.opened("p10/index.html");
        let open = hub.open_pages();
        assert_eq!(open.len(), OPEN);
        assert!(open.contains("p10/index.html") && open.contains("p36/index.html"));
        assert!(!open.contains("p4/index.html"));
    }

    #[test]
    fn tabs_see_the_latest_state() {
        let hub = Hub::default();
        let rx = hub.subscribe();
        hub.publish(Snapshot {
            build: "b1".into(),
            ..Snapshot::default()
        });
        assert_eq!(rx.borrow().build, "b1");
        assert!(hub.current().event_json().contains("\"build\":\"b1\""));
    }
}
