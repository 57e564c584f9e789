//! The event hub: what the server serves now, and the news the browser tabs wait for.
//!
//! One value, replaced whole after every build: the server reads it per request and
//! every open tab gets it over the event stream, so a tab can never reload into an
//! older site than the one the server hands out.

use crate::msg;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
}

impl Default for Hub {
    fn default() -> Self {
        Hub {
            tx: Arc::new(watch::Sender::new(Arc::new(Snapshot::default()))),
            files: Arc::default(),
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
