//! Rebuilding: each request runs the same pipeline as `lapa build` (`build::render`, then
//! `output::write`) into a fresh folder of serve's private output, then hands the result
//! to the server and the tabs.
//!
//! Every build gets its own folder, so the server switches from one complete site to
//! the next in one step (no moment without files); the previous folder is kept one
//! build longer for requests still reading it.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use jiff::Timestamp;

use super::folder::Sweeper;
use super::reload::{Hub, Snapshot, overlay_html};
use super::watch::{Request, Watcher};
use crate::build;
use crate::error::Diagnostics;
use crate::output;

/// After a batch of changes, wait this long for more (the debouncer reports files one
/// tick apart, and an editor saving several files spreads them over a few ticks).
const SETTLE: Duration = Duration::from_millis(15);

/// Builds the site into serve's private folder and publishes each outcome.
pub struct Builder {
    options: build::Options,
    output: PathBuf,
    hub: Hub,
    /// Tells this server's builds from an earlier server's, so a reconnecting tab reloads.
    session: u128,
    count: u64,
    folders: VecDeque<PathBuf>,
    sweeper: Sweeper,
    /// Set when the server stops: a build that has not started writing then never does.
    stopping: Arc<AtomicBool>,
}

impl Builder {
    /// A builder for `options` (drafts on, local base URL) writing under `output`.
    pub fn new(options: build::Options, output: PathBuf, hub: Hub) -> Builder {
        let session = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or_default();
        Builder {
            options,
            output,
            hub,
            session,
            count: 0,
            folders: VecDeque::new(),
            sweeper: Sweeper::start(),
            stopping: Arc::new(AtomicBool::new(false)),
        }
    }

    /// The flag that stops this builder before its next write.
    pub fn stopping(&self) -> Arc<AtomicBool> {
        self.stopping.clone()
    }

    /// Build once; publish the new site, or the problems beside the last good site.
    pub fn rebuild(&mut self, changed: &[PathBuf]) {
        let started = Instant::now();
        self.count += 1;
        self.options.now = Timestamp::now();
        let dir = self.output.join(format!("site-{}", self.count));
        let root = self.options.root.clone();
        let before = self.hub.current();
        let built = build::render(&self.options).and_then(|r| {
            let build::Rendering {
                site,
                rendered,
                photos,
            } = r;
            for d in photos.problems.iter() {
                eprintln!("{d}");
            }
            if self.stopping.load(Ordering::Relaxed) {
                return Err(Diagnostics::default());
            }
            let previous = self.folders.back().map(PathBuf::as_path);
            output::write_after(&root, &dir, &rendered, previous)
                .map(|written| (site, written))
                .map_err(Diagnostics::from)
        });
        if self.stopping.load(Ordering::Relaxed) {
            return;
        }
        match built {
            Ok((site, written)) => {
                let css_only = !changed.is_empty()
                    && changed.iter().all(|p| is_theme_css(p, &root))
                    && before.dir.is_some()
                    && before.overlay.is_none();
                let took = started.elapsed();
                self.hub.publish(Snapshot {
                    build: format!("{}-{}", self.session, self.count),
                    dir: Some(dir.clone()),
                    overlay: None,
                    css_since: css_only.then(|| before.build.clone()),
                });
                println!(
                    "{}built {} pages ({} files) in {} ms",
                    describe(changed, &root),
                    site.pages.len(),
                    written.files,
                    took.as_millis()
                );
                self.folders.push_back(dir);
                while self.folders.len() > 2 {
                    if let Some(old) = self.folders.pop_front() {
                        self.sweeper.remove(old);
                    }
                }
            }
            Err(problems) => {
                self.hub.publish(Snapshot {
                    overlay: Some(overlay_html(&problems, &root)),
                    css_since: None,
                    ..(*before).clone()
                });
                for d in problems.iter() {
                    eprintln!("{}", d.clone().relative_to(&root));
                }
                let kept = if before.dir.is_some() {
                    "the last good site is still served"
                } else {
                    "the browser shows these problems until they are fixed"
                };
                eprintln!("{}the build failed: {kept}", describe(changed, &root));
            }
        }
    }
}

/// Serve the rebuild requests until a stop: one build per burst of changes, and one
/// more for everything that changed while a build ran.
pub fn run(mut builder: Builder, mut watcher: Watcher, requests: Receiver<Request>) {
    while let Ok(request) = requests.recv() {
        let Request::Changed(mut changed) = request else {
            return;
        };
        loop {
            match requests.recv_timeout(SETTLE) {
                Ok(Request::Changed(more)) => changed.extend(more),
                Ok(Request::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                Err(RecvTimeoutError::Timeout) => break,
            }
        }
        changed.sort();
        changed.dedup();
        watcher.rewatch(&changed);
        builder.rebuild(&changed);
    }
}

/// "content/news/x.md changed: " for the log line.
fn describe(changed: &[PathBuf], root: &Path) -> String {
    match changed {
        [] => String::new(),
        [one] => format!(
            "{} changed: ",
            one.strip_prefix(root).unwrap_or(one).display()
        ),
        [one, rest @ ..] => format!(
            "{} and {} more changed: ",
            one.strip_prefix(root).unwrap_or(one).display(),
            rest.len()
        ),
    }
}

/// A theme's stylesheet: copied as it is, so a change to it changes no page.
fn is_theme_css(path: &Path, root: &Path) -> bool {
    path.starts_with(root.join("themes"))
        && path.components().any(|c| c.as_os_str() == "static")
        && path.extension().is_some_and(|e| e == "css")
        && path.is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_theme_stylesheets_are_css_only() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let css = root.join("themes/default/static/style.css");
        std::fs::create_dir_all(css.parent().unwrap()).unwrap();
        std::fs::write(&css, "body{}").unwrap();
        assert!(is_theme_css(&css, root));
        assert!(!is_theme_css(&root.join("content/x.css"), root));
        assert!(!is_theme_css(
            &root.join("themes/default/templates/a.html"),
            root
        ));
    }
}
