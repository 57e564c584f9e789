//! Rebuilding: each request runs the same pipeline as `lapa build` (`build::render_with_to`)
//! and brings serve's private folder up to date in place (`output::update`), then tells
//! the tabs.
//!
//! A rebuild keeps what the last one made (`build::Memo`: parsed files, rendered
//! bodies; the keys of the pages in the folder), so a save renders only the pages it
//! reaches. The folder is written while the server waits (`Hub::files`), so a request
//! sees the site before the save or after it, never half of it. The search index is
//! made on a thread of its own once the tabs have been told: it is the slowest part of
//! a big site, no page shows it, and the next save need not wait for it.

use crate::msg;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use jiff::Timestamp;

use super::reload::{Hub, Snapshot, overlay_html};
use super::watch::{Request, Watcher};
use crate::build;
use crate::error::{Diagnostic, Diagnostics};
use crate::files::OutputFile;
use crate::output::{self, Manifest};
use crate::render::PageKeys;
use crate::site::Site;
use crate::theme::Theme;

/// After a batch of changes, wait this long for more (the debouncer reports files one
/// tick apart, and an editor saving several files spreads them over a few ticks).
const SETTLE: Duration = Duration::from_millis(10);

/// How long the saves must pause before the search index is made again.
const QUIET: Duration = Duration::from_millis(500);

/// How often the search thread, while it waits for the saves to pause, looks whether a
/// build has started.
const LOOK: Duration = Duration::from_millis(25);

/// Builds the site into serve's private folder and publishes each outcome.
pub struct Builder {
    options: build::BuildOptions,
    /// The folder the server serves, updated in place.
    dir: PathBuf,
    hub: Hub,
    /// Tells this server's builds from an earlier server's, so a reconnecting tab reloads.
    session: u128,
    count: u64,
    memo: build::Memo,
    /// The keys of the pages in `dir`.
    keys: PageKeys,
    folder: Arc<Mutex<Folder>>,
    /// The number of the latest site in `dir`: an older site's search index is dropped.
    latest: Arc<AtomicU64>,
    /// The number of the build running or last run: an index being made for an older
    /// one stops, so it takes no core from the build a save is waiting for.
    building: Arc<AtomicU64>,
    /// The thread that makes the search index, and the way to hand it sites.
    search: Option<(Sender<ToIndex>, JoinHandle<()>)>,
    /// Set when the server stops: a build that has not started writing then never does.
    stopping: Arc<AtomicBool>,
}

/// The files a rendering hands over, sorted as they come: one the folder holds already is
/// let go at once (its path noted), so a site whose every page changes is never all in
/// memory.
#[derive(Default)]
struct Incoming {
    /// Changed files, to be written while no request is answered.
    changed: Mutex<Vec<OutputFile>>,
    /// Files the folder holds already (or that were written as they came).
    same: Mutex<Vec<String>>,
    /// How many files were handed over.
    count: AtomicUsize,
}

impl Incoming {
    /// Take `f`; with `now` (before the first site is served, when nobody can see a
    /// half-written folder), a changed file is written into that folder as it comes.
    fn take(
        &self,
        f: OutputFile,
        folder: &Mutex<Folder>,
        now: Option<&Path>,
    ) -> Result<(), Diagnostic> {
        self.count.fetch_add(1, Ordering::Relaxed);
        let hash = output::digest(&f.bytes);
        if lock(folder).manifest.holds(&f.path, hash) {
            lock(&self.same).push(f.path);
        } else if let Some(dir) = now {
            output::write_now(dir, &f)?;
            lock(folder).manifest.record(f.path.clone(), hash);
            lock(&self.same).push(f.path);
        } else {
            lock(&self.changed).push(f);
        }
        Ok(())
    }
}

/// A site for the search thread to index, and the number of the build that made it.
struct ToIndex {
    count: u64,
    site: Site,
    theme: Theme,
}

/// What the served folder holds.
#[derive(Debug, Default)]
struct Folder {
    manifest: Manifest,
    /// The search index's files.
    search: HashSet<String>,
}

impl Builder {
    /// A builder for `options` (drafts on, local base URL) writing `output/site`.
    pub fn new(options: build::BuildOptions, output: &Path, hub: Hub) -> Builder {
        let session = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or_default();
        Builder {
            options,
            dir: output.join("site"),
            hub,
            session,
            count: 0,
            memo: build::Memo::default(),
            keys: PageKeys::default(),
            folder: Arc::default(),
            latest: Arc::default(),
            building: Arc::default(),
            search: None,
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
        self.building.store(self.count, Ordering::Relaxed);
        self.options.now = Timestamp::now();
        self.memo.sources.forget(changed);
        self.memo.changed = Some(changed.to_vec());
        let root = self.options.root.clone();
        let before = self.hub.current();
        // Files are looked at as they are rendered, so a site whose every page changes is
        // never all in memory: one the folder already holds is let go at once; before the
        // first site is served nobody can see a half-written folder, so each file is
        // written as it comes; after, changed files wait for the write below, made while
        // no request is answered.
        let stream = before.dir.is_none() && output::prepare(&self.dir).is_ok();
        let incoming = Incoming::default();
        let (folder, dir) = (&self.folder, &self.dir);
        let streamed = stream.then_some(dir.as_path());
        let sink = |f: OutputFile| incoming.take(f, folder, streamed);
        // Once a site is served, the changed pages a reader waits for come first: the
        // tabs are told as soon as those are written, and the rest follow (`later`).
        let open = self.hub.open_pages();
        let is_open = |p: &str| open.contains(p);
        let first: Option<&(dyn Fn(&str) -> bool + Sync)> = (!stream).then_some(&is_open);
        let rendered =
            build::render_with_to(&self.options, &mut self.memo, &self.keys, first, &sink);
        if self.stopping.load(Ordering::Relaxed) {
            return;
        }
        let Incoming {
            changed: changed_files,
            same: in_folder,
            count,
        } = incoming;
        let rendered_count = count.into_inner();
        let changed_files = changed_files
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let in_folder = in_folder
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner);
        let built = rendered.and_then(|r| {
            for d in r.photos.problems.iter() {
                eprintln!("{d}");
            }
            // The pages left for later, and the feeds, the sitemap and the dissemination
            // files: no reader's page waits for them.
            let later: HashSet<String> = r
                .later
                .iter()
                .flat_map(|l| l.pages.paths().chain(l.feeds.iter().map(String::as_str)))
                .map(str::to_string)
                .collect();
            let kept: HashSet<&str> = r
                .rendered
                .kept
                .iter()
                .chain(&in_folder)
                .chain(&later)
                .map(String::as_str)
                .collect();
            let written = {
                let _writing = self.hub.files.blocking_write();
                let mut folder = self.folder.lock().unwrap_or_else(PoisonError::into_inner);
                let Folder { manifest, search } = &mut *folder;
                let written = update_apart(
                    &self.dir,
                    manifest,
                    &changed_files,
                    &r.rendered.copies,
                    |p| kept.contains(p) || search.contains(p),
                );
                // The pages left for later keep their old files meanwhile: a request for
                // one waits until it is written.
                if written.is_ok() {
                    self.hub.set_pending(later);
                }
                written
            };
            match written {
                Ok(_) => Ok(r),
                Err(d) => {
                    // The folder may hold part of this build: render every page next time,
                    // and look at every photo again (a cached file may have gone).
                    self.keys = PageKeys::default();
                    self.memo.photos = None;
                    Err(Diagnostics::from(d))
                }
            }
        });
        match built {
            Ok(mut r) => {
                let css_only = !changed.is_empty()
                    && changed.iter().all(|p| is_theme_css(p, &root))
                    && before.dir.is_some()
                    && before.overlay.is_none();
                let took = started.elapsed();
                self.latest.store(self.count, Ordering::Relaxed);
                self.hub.publish(Snapshot {
                    build: format!("{}-{}", self.session, self.count),
                    dir: Some(self.dir.clone()),
                    overlay: None,
                    css_since: css_only.then(|| before.build.clone()),
                });
                println!(
                    "{}{}",
                    describe(changed, &root),
                    msg!(
                        "serve-built",
                        pages = r.site.pages.len(),
                        files = rendered_count,
                        ms = took.as_millis()
                    )
                );
                self.keys = std::mem::take(&mut r.rendered.keys);
                if r.later.is_some() {
                    let started = Instant::now();
                    match self.write_later(&r) {
                        Ok(n) => {
                            println!(
                                "{}",
                                msg!(
                                    "serve-built-later",
                                    files = n,
                                    ms = started.elapsed().as_millis()
                                )
                            );
                        }
                        Err(problems) => {
                            // Some pages may be out of date: render every page next time.
                            self.keys = PageKeys::default();
                            self.failed(&problems, changed, &root);
                            return;
                        }
                    }
                }
                self.index(self.count, r.site, r.theme);
            }
            Err(problems) => self.failed(&problems, changed, &root),
        }
    }

    /// Show `problems` over the last good site (or alone, before the first one).
    fn failed(&self, problems: &Diagnostics, changed: &[PathBuf], root: &Path) {
        let before = self.hub.current();
        self.hub.publish(Snapshot {
            overlay: Some(overlay_html(problems, root)),
            css_since: None,
            ..(*before).clone()
        });
        for d in problems.iter() {
            eprintln!("{}", d.clone().relative_to(root));
        }
        let failed = if before.dir.is_some() {
            msg!("serve-failed-kept")
        } else {
            msg!("serve-failed-first")
        };
        eprintln!("{}{failed}", describe(changed, root));
    }

    /// Render and write the changed pages the first part of a rebuild left for later,
    /// then let the requests that wait for them go on; the number of files rendered.
    /// No request reads a pending page, so each is written as it comes, never all held.
    fn write_later(&self, r: &build::Rendering) -> Result<usize, Diagnostics> {
        let incoming = Incoming::default();
        let made = build::render_later_to(r, &|f| {
            if self.stopping.load(Ordering::Relaxed) {
                return Ok(());
            }
            incoming.take(f, &self.folder, Some(&self.dir))
        });
        let _writing = self.hub.files.blocking_write();
        self.hub.set_pending(HashSet::new());
        made.map(|()| incoming.count.into_inner())
    }

    /// Have the search index of build `count` made and put in place, unless a later
    /// build comes first.
    fn index(&mut self, count: u64, site: Site, theme: Theme) {
        if self.search.is_none() {
            let (tx, rx) = std::sync::mpsc::channel();
            let indexer = Indexer {
                dir: self.dir.clone(),
                root: self.options.root.clone(),
                hub: self.hub.clone(),
                folder: self.folder.clone(),
                latest: self.latest.clone(),
                building: self.building.clone(),
                stopping: self.stopping.clone(),
            };
            match std::thread::Builder::new()
                .name("lapa-search".into())
                .spawn(move || indexer.run(&rx))
            {
                Ok(thread) => self.search = Some((tx, thread)),
                Err(e) => eprintln!("{}", msg!("serve-no-search", why = e)),
            }
        }
        if let Some((tx, _)) = &self.search {
            let _ = tx.send(ToIndex { count, site, theme });
        }
    }
}

impl Drop for Builder {
    /// Wait for the search thread, so nothing writes once the server has stopped.
    fn drop(&mut self) {
        if let Some((tx, thread)) = self.search.take() {
            drop(tx);
            let _ = thread.join();
        }
    }
}

/// Makes the search index of each new site and puts it in the served folder.
struct Indexer {
    dir: PathBuf,
    root: PathBuf,
    hub: Hub,
    folder: Arc<Mutex<Folder>>,
    latest: Arc<AtomicU64>,
    building: Arc<AtomicU64>,
    stopping: Arc<AtomicBool>,
}

impl Indexer {
    /// The site to index once the saves pause: `next`, or a newer one. Only the newest
    /// site is worth an index, and the index must not slow the rebuild of the next save
    /// down. A site whose next build has started is let go at once rather than held
    /// beside the one being built (the new one comes when that build is done; a build
    /// that fails sends none, and the index waits for the next good one). `None` once
    /// the builder is gone.
    fn settled(&self, mut next: ToIndex, sites: &Receiver<ToIndex>) -> Option<ToIndex> {
        let mut since = Instant::now();
        loop {
            match sites.recv_timeout(LOOK) {
                Ok(newer) => {
                    next = newer;
                    since = Instant::now();
                }
                Err(RecvTimeoutError::Timeout) => {
                    if self.building.load(Ordering::Relaxed) != next.count {
                        drop(next);
                        next = sites.recv().ok()?;
                        since = Instant::now();
                    } else if since.elapsed() >= QUIET {
                        return Some(next);
                    }
                }
                Err(RecvTimeoutError::Disconnected) => return None,
            }
        }
    }

    fn run(&self, sites: &Receiver<ToIndex>) {
        while let Ok(first) = sites.recv() {
            let Some(next) = self.settled(first, sites) else {
                return;
            };
            let ToIndex { count, site, theme } = next;
            // Only while build `count` is the last one started: a save made meanwhile
            // stops the index at its next file (it is made again once the saves pause).
            let current = || {
                !self.stopping.load(Ordering::Relaxed)
                    && self.latest.load(Ordering::Relaxed) == count
                    && self.building.load(Ordering::Relaxed) == count
            };
            if !current() {
                continue;
            }
            // As with pages: a file the folder holds already is let go at once, so only
            // the changed files are ever in memory, not the whole index.
            let changed: Mutex<Vec<OutputFile>> = Mutex::default();
            let same: Mutex<HashSet<String>> = Mutex::default();
            let made = index_apart(|| {
                crate::search::index_files_to(&site, &theme, &|f: OutputFile| {
                    if !current() {
                        return Err(Diagnostic::new(
                            "search",
                            "a newer build came", // not a message: stops the index, never shown
                        ));
                    }
                    if lock(&self.folder)
                        .manifest
                        .holds(&f.path, output::digest(&f.bytes))
                    {
                        lock(&same).insert(f.path);
                    } else {
                        lock(&changed).push(f);
                    }
                    Ok(())
                })
            });
            drop((site, theme));
            if made.is_err() {
                continue;
            }
            let changed = changed.into_inner().unwrap_or_else(PoisonError::into_inner);
            let same = same.into_inner().unwrap_or_else(PoisonError::into_inner);
            let _writing = self.hub.files.blocking_write();
            if !current() {
                continue;
            }
            let mut folder = self.folder.lock().unwrap_or_else(PoisonError::into_inner);
            let Folder { manifest, search } = &mut *folder;
            let old = std::mem::take(search);
            let kept = |p: &str| !old.contains(p) || same.contains(p);
            match update_apart(&self.dir, manifest, &changed, &[], kept) {
                Ok(_) => {
                    *search = same
                        .into_iter()
                        .chain(changed.into_iter().map(|f| f.path))
                        .collect()
                }
                Err(d) => {
                    // Part of either index may be there: the next index replaces both.
                    *search = old
                        .into_iter()
                        .chain(same)
                        .chain(changed.into_iter().map(|f| f.path))
                        .collect();
                    eprintln!("{}", d.relative_to(&self.root));
                }
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

/// [`output::update`], run on threads of its own while the caller holds the `Folder`
/// lock. On rayon's shared threads, a thread waiting for its part of the update could
/// take up a rendering job whose sink waits for that lock (the builder's and the search
/// index's files are checked against the folder as they come): each would wait for the
/// other forever. These threads run nothing but the update.
fn update_apart(
    dir: &Path,
    manifest: &mut Manifest,
    files: &[OutputFile],
    copies: &[crate::files::CopiedFile],
    keep: impl Fn(&str) -> bool + Send + Sync,
) -> Result<output::Written, Diagnostic> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    let threads = || {
        rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .thread_name(|i| format!("lapa-write-{i}"))
    };
    install(&POOL, threads, || {
        output::update(dir, manifest, files, copies, keep)
    })
}

/// Run `work` on the threads of `pool`, made as `threads` says the first time; on
/// rayon's shared threads when the system gives no thread.
fn install<T: Send>(
    pool: &'static OnceLock<Option<rayon::ThreadPool>>,
    threads: impl FnOnce() -> rayon::ThreadPoolBuilder,
    work: impl FnOnce() -> T + Send,
) -> T {
    match pool.get_or_init(|| threads().build().ok()) {
        Some(pool) => pool.install(work),
        None => work(),
    }
}

/// Run `make` (the search index) on a thread of its own, at a lower priority than the
/// rebuilds. On rayon's shared threads, the index's last part (its words sorted into
/// shards, which no save can stop) held both cores while a save's pages waited in line
/// behind it: one save in ten took 1.5 s instead of 0.1 s at 10,000 reports. Here a
/// save's rebuild takes the cores as soon as it starts, and the index goes on in what
/// they leave.
fn index_apart<T: Send>(make: impl FnOnce() -> T + Send) -> T {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    let thread = || {
        rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .thread_name(|_| "lapa-search-index".to_string())
            .start_handler(|_| yield_to_rebuilds())
    };
    install(&POOL, thread, make)
}

/// Lower the calling thread's priority (nice 10), so the rebuilds' threads come first.
fn yield_to_rebuilds() {
    #[cfg(target_os = "linux")]
    // SAFETY: `setpriority` takes no pointers; on Linux, `PRIO_PROCESS` with 0 names the
    // calling thread only. Raising one's own niceness is always allowed; if it fails,
    // the thread keeps its priority.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}

/// `m`, locked, whether a thread panicked while holding it or not (what it guards is
/// whole at every step).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// "content/news/x.md changed: " for the log line.
fn describe(changed: &[PathBuf], root: &Path) -> String {
    match changed {
        [] => String::new(),
        [one] => msg!(
            "serve-changed-one",
            file = one.strip_prefix(root).unwrap_or(one).display()
        ),
        [one, rest @ ..] => msg!(
            "serve-changed-many",
            file = one.strip_prefix(root).unwrap_or(one).display(),
            n = rest.len()
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
