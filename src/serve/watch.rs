//! Watching the site's files: debounced file events become rebuild requests.
//!
//! Only what a build reads is watched: `site.yaml`, `content/`, `themes/`,
//! `templates/` and `i18n/`. Editors' swap and backup files, reads (a build's own
//! reads would start another build) and the private output folder are ignored.

use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, DebouncedEvent, Debouncer, RecommendedCache, new_debouncer_opt,
};

use crate::config::CONFIG_FILE;
use crate::msg;

/// What the rebuild loop is asked to do.
#[derive(Debug)]
pub enum Request {
    /// These files changed (the site's root when anything may have): build again.
    Changed(Vec<PathBuf>),
    /// The server is stopping.
    Stop,
}

/// The folders of a site that a build reads.
pub const WATCHED: [&str; 4] = ["content", "themes", "templates", "i18n"];
/// Quiet time after a file's last event before it is reported: long enough to see a
/// save through, short enough to feel instant. Editors save in one go: in place
/// (truncate, write), by a temp file renamed over the original, or as vim does by
/// default (rename the file to its backup, write a new one); each step follows the last
/// within a millisecond or two, far inside this wait (`tests/it/serve.rs` saves in two
/// steps a few milliseconds apart and sees one build, of the whole file).
const DEBOUNCE: Duration = Duration::from_millis(25);
const TICK: Duration = Duration::from_millis(5);
/// How often `--poll` looks at the files.
const POLL_INTERVAL: Duration = Duration::from_millis(300);

enum Inner {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, RecommendedCache>),
}

/// A running watcher over one site; stops when dropped.
pub struct Watcher {
    inner: Inner,
    root: PathBuf,
}

/// Watch the site at `root` (an absolute path), sending a request per batch of changes.
pub fn start(
    root: &Path,
    output: &Path,
    poll: bool,
    requests: Sender<Request>,
) -> notify::Result<Watcher> {
    let (root_c, output) = (root.to_path_buf(), output.to_path_buf());
    let handler = move |result: DebounceEventResult| {
        let paths = match result {
            Ok(events) => site_paths(&events, &root_c, &output),
            Err(errors) => {
                for e in errors {
                    eprintln!("{}", msg!("serve-watch-error", why = e));
                }
                // Some events may be lost: build from what is on disk now.
                vec![root_c.clone()]
            }
        };
        if !paths.is_empty() {
            let _ = requests.send(Request::Changed(paths));
        }
    };
    let inner = if poll {
        let config = notify::Config::default().with_poll_interval(POLL_INTERVAL);
        Inner::Poll(new_debouncer_opt(
            DEBOUNCE,
            Some(TICK),
            handler,
            RecommendedCache::new(),
            config,
        )?)
    } else {
        Inner::Native(new_debouncer_opt(
            DEBOUNCE,
            Some(TICK),
            handler,
            RecommendedCache::new(),
            notify::Config::default(),
        )?)
    };
    let mut watcher = Watcher {
        inner,
        root: root.to_path_buf(),
    };
    // The root itself, not recursively: site.yaml, and the folders coming and going.
    watcher.watch(root, RecursiveMode::NonRecursive)?;
    for dir in WATCHED {
        let path = root.join(dir);
        if path.is_dir() {
            watcher.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    Ok(watcher)
}

impl Watcher {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match &mut self.inner {
            Inner::Native(d) => d.watch(path, mode),
            Inner::Poll(d) => d.watch(path, mode),
        }
    }

    fn unwatch(&mut self, path: &Path) {
        let _ = match &mut self.inner {
            Inner::Native(d) => d.unwatch(path),
            Inner::Poll(d) => d.unwatch(path),
        };
    }

    /// Watch again each of the site's folders that was created, removed or replaced.
    pub fn rewatch(&mut self, changed: &[PathBuf]) {
        for dir in WATCHED {
            let path = self.root.join(dir);
            if !changed.contains(&path) {
                continue;
            }
            self.unwatch(&path);
            if path.is_dir() {
                if let Err(e) = self.watch(&path, RecursiveMode::Recursive) {
                    eprintln!(
                        "{}",
                        msg!("serve-cannot-watch", path = path.display(), why = e)
                    );
                }
            }
        }
    }
}

/// The site files named by `events`, in order, without repeats.
fn site_paths(events: &[DebouncedEvent], root: &Path, output: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = Vec::new();
    for event in events {
        if matches!(event.kind, EventKind::Access(_)) {
            continue;
        }
        if event.need_rescan() {
            // Events were lost: the site's folder stands for "anything may have changed".
            if !paths.contains(&root.to_path_buf()) {
                paths.push(root.to_path_buf());
            }
            continue;
        }
        for path in &event.paths {
            if is_site_file(path, root, output) && !paths.contains(path) {
                paths.push(path.clone());
            }
        }
    }
    paths
}

/// Whether a change to `path` can change the built site.
pub fn is_site_file(path: &Path, root: &Path, output: &Path) -> bool {
    if path.starts_with(output) {
        return false;
    }
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let mut parts = rel.components();
    let Some(Component::Normal(first)) = parts.next() else {
        return false;
    };
    if first == OsStr::new(CONFIG_FILE) {
        return parts.next().is_none();
    }
    WATCHED.iter().any(|d| first == OsStr::new(d))
        && !path.file_name().is_some_and(is_editor_scratch)
}

/// Swap, backup and temporary files that editors write beside the file being saved.
fn is_editor_scratch(name: &OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name == "4913" // vim checks that it may write to a folder with this file
        || [".swp", ".swx", ".tmp", ".bak", "___jb_tmp___", "___jb_old___"]
            .iter()
            .any(|end| name.ends_with(end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_a_build_reads_counts() {
        let root = Path::new("/site");
        let out = Path::new("/tmp/lapa-serve-1");
        let yes = |p: &str| is_site_file(Path::new(p), root, out);
        assert!(yes("/site/site.yaml"));
        assert!(yes("/site/content/news/x.md"));
        assert!(yes("/site/content"));
        assert!(yes("/site/themes/default/static/style.css"));
        assert!(yes("/site/templates/report.html"));
        assert!(yes("/site/i18n/lv.yaml"));
        assert!(!yes("/site/public/index.html"));
        assert!(!yes("/site/README.md"));
        assert!(!yes("/site/content/news/.x.md.swp"));
        assert!(!yes("/site/content/news/x.md~"));
        assert!(!yes("/site/content/news/x.md.tmp"));
        assert!(!yes("/site/content/news/4913"));
        assert!(!yes("/site/content/news/#x.md#"));
        assert!(!yes("/elsewhere/content/x.md"));
        assert!(!is_site_file(
            Path::new("/tmp/lapa-serve-1/site/index.html"),
            Path::new("/tmp"),
            out
        ));
    }
}
