//! The pipeline, end to end: configuration → content → site → rendered files → output.
//!
//! `build`, `serve`, `check` and `export` all start here, so they see the same site.
//! Photos are processed between resolving and rendering (`images::prepare`), since
//! that is the one stage after loading that reads files.

use std::path::{Path, PathBuf};

use jiff::Timestamp;

use crate::config::{BaseUrl, Config};
use crate::content;
use crate::error::{Diagnostic, Diagnostics};
use crate::files::{self, Checked, CopiedFile, OutputFile, Sink};
use crate::images;
use crate::output::{self, Written};
use crate::render::{self, PageKeys};
use crate::search;
use crate::site::{self, HandedBodies, Site};
use crate::theme::Theme;
use crate::timing::timed;

/// What to build, and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site's folder.
    pub root: PathBuf,
    /// Replaces site.yaml's `base_url` (`--base-url`, and `serve`'s local address).
    pub base_url: Option<String>,
    /// Publish drafts and future-dated pages.
    pub drafts: bool,
    /// The build's time: pages dated after it are "the future".
    pub now: Timestamp,
    /// Show a progress bar on a terminal while many new photos are processed.
    pub progress: bool,
    /// Make photo variants (kept in the cache); when false, only check that each photo
    /// can be read, writing nothing (`lapa check`).
    pub process_photos: bool,
    /// Where processed photos are kept between builds (outside the site's folder).
    pub photo_cache: PathBuf,
    /// Gather every link to another website into `Site::external_links` (for `lapa check
    /// --external`); the preview shows none of them, and leaves them out.
    pub external_links: bool,
}

impl BuildOptions {
    /// Build the site in `root` as of now.
    pub fn new(root: impl Into<PathBuf>) -> BuildOptions {
        BuildOptions {
            root: root.into(),
            base_url: None,
            drafts: false,
            now: Timestamp::now(),
            progress: false,
            process_photos: true,
            photo_cache: images::default_cache_dir(),
            external_links: true,
        }
    }
}

/// Every file a build makes, in memory.
#[derive(Debug, Default)]
pub struct SiteFiles {
    /// Sorted by path.
    pub files: Vec<OutputFile>,
    pub copies: Vec<CopiedFile>,
    /// Pages not rendered again because the output folder already holds them, unchanged
    /// (see [`render_with_to`]).
    pub kept: Vec<String>,
    /// The key of every page, for the next rebuild.
    pub keys: PageKeys,
}

/// What making the files tells beyond the files themselves.
#[derive(Debug, Default)]
pub struct Made {
    pub copies: Vec<CopiedFile>,
    /// Pages not rendered again (see [`SiteFiles::kept`]).
    pub kept: Vec<String>,
    pub keys: PageKeys,
    /// Changed pages left for later (see [`render_with_to`]).
    pub later: render::Later,
}

/// The site rendered into memory, and what its photos cost.
#[derive(Debug)]
pub struct Rendering {
    pub site: Site,
    pub rendered: SiteFiles,
    /// Photos processed and reused, and images that could not be (warnings).
    pub photos: images::PhotoReport,
    pub theme: Theme,
    /// The changed pages a rebuild left for later ([`render_with_to`]'s `first`), for
    /// [`render_later_to`].
    pub later: Option<Later>,
}

/// Changed pages not rendered yet, and the photos table they show; and the feeds, the
/// sitemap and the dissemination files, which a rebuild also makes after its first part.
#[derive(Debug)]
pub struct Later {
    photos: images::Photos,
    pub pages: render::Later,
    /// The output paths of the feeds, the sitemap and the dissemination files.
    pub feeds: Vec<String>,
}

/// What a build did: only what the command line reports, so the site itself is let go
/// before the output is finished (pruned and recorded).
#[derive(Debug)]
pub struct Built {
    /// How many pages the site has.
    pub pages: usize,
    /// The site's warnings, to print.
    pub warnings: Diagnostics,
    pub written: Written,
    pub photos: images::PhotoReport,
    /// Files found in the output that lapa did not make, moved out of it.
    pub moved: output::Moved,
}

/// What a build leaves for the next one in the same process (`serve`): the files it parsed
/// and the bodies it rendered, each kept with everything it was made from, so a rebuild
/// with a memo makes the same site as one without.
#[derive(Debug, Default)]
pub struct Memo {
    pub sources: content::Parsed,
    /// Each page and body as the last resolve made it, with what it was made from.
    pub resolved: site::ResolveMemo,
    /// The files the watcher saw change since the last load, when it saw them all: the
    /// next load reads only those (`content::reload`), or everything if it cannot tell.
    pub changed: Option<Vec<PathBuf>>,
    /// The last photos table, with [`images::inputs`] of the site it was made for: taken
    /// again as it is while those inputs are equal and only Markdown files changed.
    pub photos: Option<PhotosMemo>,
    /// Keep nothing (a one-shot build).
    off: bool,
}

impl Memo {
    /// A memo that keeps nothing, for a build that is the only one: it does not look at
    /// the files' stamps nor record the links each body looked up.
    pub fn off() -> Memo {
        Memo {
            sources: content::Parsed::off(),
            resolved: site::ResolveMemo::off(),
            changed: None,
            photos: None,
            off: true,
        }
    }
}

/// A photos table kept for the next rebuild, with what its making reported.
#[derive(Debug)]
pub struct PhotosMemo {
    /// [`images::inputs`] of the site it was made for.
    inputs: u128,
    photos: images::Photos,
    /// Photos the table holds (all of them in the cache by the next rebuild).
    photos_found: usize,
    redirected: Vec<String>,
}

/// Load and resolve the site: everything `build` validates, without rendering.
pub fn load(options: &BuildOptions) -> Result<Site, Diagnostics> {
    load_config(options)
        .and_then(|config| load_site(config, options, &mut Memo::off()))
        .map_err(|p| p.relative_to(&options.root))
}

fn load_config(options: &BuildOptions) -> Result<Config, Diagnostics> {
    let mut config = Config::load(&options.root)?;
    if let Some(url) = &options.base_url {
        config.base_url = BaseUrl::parse(url).map_err(|m| Diagnostic::new("--base-url", m))?;
    }
    Ok(config)
}

fn load_site(config: Config, options: &BuildOptions, memo: &mut Memo) -> Result<Site, Diagnostics> {
    let (mut content, mut problems) = timed("load content", || {
        memo.changed
            .take()
            .and_then(|changed| content::reload(&config, &changed, &mut memo.sources))
            .unwrap_or_else(|| content::load_with(&config, &mut memo.sources))
    });
    crate::accessibility::add_statement(&config, &mut content, &mut problems);
    let resolved = timed("resolve", || {
        site::resolve_with(
            config,
            content,
            &site::Publish {
                drafts: options.drafts,
                now: options.now,
                external_links: options.external_links,
            },
            &mut memo.resolved,
        )
    });
    match resolved {
        Ok(mut site) if !problems.has_errors() => {
            // Warnings found while loading (`tags: a, b`) are reported with resolve's.
            if !problems.is_empty() {
                site.warnings.extend(problems);
                site.warnings = std::mem::take(&mut site.warnings).sorted();
            }
            Ok(site)
        }
        Ok(_) => Err(problems.sorted()),
        Err(more) => {
            problems.extend(more);
            Err(problems.sorted())
        }
    }
}

/// Load, resolve and render the site into memory, processing its photos on the way:
/// every file `build` would write, the search index included.
pub fn render(options: &BuildOptions) -> Result<Rendering, Diagnostics> {
    let rendered = || -> Result<Rendering, Diagnostics> {
        let Loaded {
            site,
            theme,
            photos,
            report,
        } = prepare(options, &mut Memo::off())?;
        let rendered = timed("render", || {
            collect(|sink| make_to(&site, &theme, &photos, sink))
        })?;
        Ok(Rendering {
            site,
            rendered,
            photos: report,
            theme,
            later: None,
        })
    };
    rendered().map_err(|p| p.relative_to(&options.root))
}

/// [`render`] for a rebuild (`serve`): takes what it can from `memo` (and leaves this
/// build's there), does not render again a page whose key is in `previous` (the keys of
/// the pages the output folder holds now), leaves the search index out (`serve` makes it
/// on a thread of its own once the saves pause), and hands each file to `sink` as soon as
/// it is made instead of holding them all (a site whose every page changes is never all
/// in memory); the rendering's `files` are left empty.
///
/// With `first`, only the changed pages a reader waits for are rendered (a report's own
/// page, the first page of each list, the pages `first` names by output path: those a
/// browser has open); the other changed pages are left in `Rendering::later`, for
/// [`render_later_to`]. Their keys are in the rendering's keys already.
pub fn render_with_to(
    options: &BuildOptions,
    memo: &mut Memo,
    previous: &PageKeys,
    first: Option<&(dyn Fn(&str) -> bool + Sync)>,
    sink: &Sink,
) -> Result<Rendering, Diagnostics> {
    let mut streamed = || -> Result<Rendering, Diagnostics> {
        let Loaded {
            site,
            theme,
            photos,
            report,
        } = prepare(options, memo)?;
        let made = timed("render", || {
            pages_and_feeds_to(&site, &theme, &photos, Some(previous), first, sink)
        })?;
        let later = first.map(|_| Later {
            feeds: render::feed_paths(&site),
            photos,
            pages: made.later,
        });
        Ok(Rendering {
            site,
            rendered: SiteFiles {
                files: Vec::new(),
                copies: made.copies,
                kept: made.kept,
                keys: made.keys,
            },
            photos: report,
            theme,
            later,
        })
    };
    streamed().map_err(|p| p.relative_to(&options.root))
}

/// Render into `sink` the pages [`render_with_to`] left for later in `rendering`, and the
/// feeds, the sitemap and the dissemination files.
pub fn render_later_to(rendering: &Rendering, sink: &Sink) -> Result<(), Diagnostics> {
    let Some(later) = &rendering.later else {
        return Ok(());
    };
    let (pages, feeds) = rayon::join(
        || match later.pages.is_empty() {
            true => Ok(()),
            false => render::render_later(
                &rendering.site,
                &rendering.theme,
                &later.photos,
                &later.pages,
                sink,
            ),
        },
        || render::only_feeds_to(&rendering.site, &later.photos, sink),
    );
    pages?;
    feeds?;
    Ok(())
}

/// The files `make` hands to its sink, sorted by path, with what it tells about them.
fn collect(
    make: impl FnOnce(&Sink) -> Result<Made, Diagnostics>,
) -> Result<SiteFiles, Diagnostics> {
    let (mut files, made) = files::collected(make)?;
    // Files arrive in whatever order the threads finish them.
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(SiteFiles {
        files,
        copies: made.copies,
        kept: made.kept,
        keys: made.keys,
    })
}

/// Every file of the site in memory: [`make_to`], collected and sorted by path.
pub fn make(site: &Site, theme: &Theme, photos: &images::Photos) -> Result<SiteFiles, Diagnostics> {
    collect(|sink| make_to(site, theme, photos, sink))
}

/// Hand every file of the site to `sink` as soon as it is made: the pages, the feeds and
/// the search index side by side (none needs another's output).
pub fn make_to(
    site: &Site,
    theme: &Theme,
    photos: &images::Photos,
    sink: &Sink,
) -> Result<Made, Diagnostics> {
    let (made, index) = rayon::join(
        || pages_and_feeds_to(site, theme, photos, None, None, sink),
        || timed("search index", || search::index_files_to(site, theme, sink)),
    );
    let made = made?;
    index?;
    Ok(made)
}

/// [`make_to`] for a build that needs the site no more once its files are made: the
/// feeds first, then the pages' bodies are handed off ([`HandedBodies::hand_off`]) to the
/// pages and the search index, which run side by side and take them in the same order,
/// so each body is let go soon after both have read it rather than when both are done.
fn make_once_to(
    site: &mut Site,
    theme: &Theme,
    photos: &images::Photos,
    checked: &Checked,
    sink: &Sink,
) -> Result<Made, Diagnostics> {
    // The feeds show the newest bodies of each language and project: made before the
    // bodies are handed off (they take a moment).
    render::feeds_to(site, theme, photos, sink)?;
    let bodies = HandedBodies::hand_off(site, 2);
    let site = &*site;
    let (pages, index) = rayon::join(
        || render::pages_taking_to(site, theme, photos, &bodies, checked, sink),
        || {
            timed("search index", || {
                search::index_files_taking_to(site, theme, &bodies, sink)
            })
        },
    );
    let pages = pages?;
    index?;
    Ok(Made {
        copies: render::copies(site, photos),
        kept: pages.kept,
        keys: pages.keys,
        later: pages.later,
    })
}

/// The pages (but for those whose key is in `previous`) and the feeds, side by side; with
/// `first`, the feeds are left for [`render_later_to`].
fn pages_and_feeds_to(
    site: &Site,
    theme: &Theme,
    photos: &images::Photos,
    previous: Option<&PageKeys>,
    first: Option<&(dyn Fn(&str) -> bool + Sync)>,
    sink: &Sink,
) -> Result<Made, Diagnostics> {
    let (pages, feeds) = rayon::join(
        || render::pages_to(site, theme, photos, previous, first, sink),
        || match first {
            None => render::feeds_to(site, theme, photos, sink),
            Some(_) => render::redirects_and_statics_to(site, theme, sink),
        },
    );
    let pages = pages?;
    feeds?;
    Ok(Made {
        copies: render::copies(site, photos),
        kept: pages.kept,
        keys: pages.keys,
        later: pages.later,
    })
}

/// Everything rendering needs.
struct Loaded {
    site: Site,
    theme: Theme,
    photos: images::Photos,
    report: images::PhotoReport,
}

/// Load and resolve the site, load its theme, and process its photos.
fn prepare(options: &BuildOptions, memo: &mut Memo) -> Result<Loaded, Diagnostics> {
    let config = load_config(options)?;
    // The photos table depends on photo files only through their bytes: while only
    // Markdown files changed, the last table still holds for equal inputs.
    let only_markdown = memo.changed.as_ref().is_some_and(|changed| {
        changed
            .iter()
            .all(|p| p.extension().is_some_and(|e| e == "md"))
    });
    // The theme's templates compile on one core while the content loads on the other;
    // template problems are reported along with content ones.
    let (site, theme) = rayon::join(
        || load_site(config.clone(), options, memo),
        || timed("load theme", || Theme::load(&config)),
    );
    match (site, theme) {
        (Ok(site), Ok(theme)) => {
            let (photos, report) = timed("photos", || {
                let inputs = (!memo.off).then(|| images::inputs(&site));
                if let Some(kept) = memo
                    .photos
                    .as_ref()
                    .filter(|m| only_markdown && Some(m.inputs) == inputs)
                {
                    let report = images::PhotoReport {
                        reused: kept.photos_found,
                        redirected: kept.redirected.clone(),
                        ..images::PhotoReport::default()
                    };
                    return (kept.photos.clone(), report);
                }
                let (photos, report) = images::prepare(
                    &site,
                    &images::PrepareOptions {
                        cache_dir: images::cache_dir(&site.config, &options.photo_cache),
                        progress: options.progress,
                        process: options.process_photos,
                    },
                );
                // A table with problems is made again each time, so its warnings (on the
                // lines that show each photo) are those of the site as it is now.
                memo.photos = inputs
                    .filter(|_| report.problems.is_empty() && options.process_photos)
                    .map(|inputs| PhotosMemo {
                        inputs,
                        photos: photos.clone(),
                        photos_found: report.processed + report.reused,
                        redirected: report.redirected.clone(),
                    });
                (photos, report)
            });
            Ok(Loaded {
                site,
                theme,
                photos,
                report,
            })
        }
        (Ok(_), Err(t)) => Err(t.sorted()),
        (Err(mut s), Err(t)) => {
            s.extend(t);
            Err(s.sorted())
        }
        (Err(s), Ok(_)) => Err(s),
    }
}

/// How long a one-shot build keeps memory it freed before handing it back (ms).
const BUILD_PURGE_AFTER_MS: std::ffi::c_long = 10;

/// The same while the pages are rendered. The build's peak is behind it by then (the
/// site model and the Markdown, while the site resolves), and rendering frees and asks
/// again for much the same memory page after page: kept a second, a 10,000-report build
/// takes about 64,000 fresh pages from the kernel instead of 75,000 (kept 100 ms), for a
/// peak of 224–229 MiB instead of 214–218, under the 240 MiB goal (BENCHMARKS.md,
/// "'Nothing slower', round four"). A bigger site, rendering for longer, still hands
/// back what it has not used again within a second.
const RENDER_PURGE_AFTER_MS: std::ffi::c_long = 1000;

/// How a one-shot `lapa build` asks for memory, set before it starts: in ordinary 4 KiB
/// pages, never transparent huge pages (the allocator's arena would otherwise be backed
/// 2 MiB at a time, every 2 MiB it has touched counting whole, and the kernel would clear
/// each anew), and with what it frees handed back to the system after 10 ms instead of
/// never (`main`'s setting for the other commands): the Markdown a build has let go is
/// not then counted while the pages are made (which keep what they free a second,
/// [`RENDER_PURGE_AFTER_MS`]). A 10,000-report build holds tens of MiB less at its peak
/// either way, for less CPU time in all: a little more in lapa itself
/// (smaller pages, more address lookups), much less in the kernel (BENCHMARKS.md,
/// "Memory of a 10,000-report build, round three"). Both last until the process ends.
pub fn lean_memory() {
    crate::memory::no_huge_pages();
    crate::memory::set_purge_delay(BUILD_PURGE_AFTER_MS);
}

/// Build the site into `output`; the previous output stays untouched on any error.
///
/// Each file is written as soon as it is rendered and then let go, so a big site is
/// never all in memory at once.
pub fn build(options: &BuildOptions, output: &Path) -> Result<Built, Diagnostics> {
    build_site(options, output).map_err(|p| p.relative_to(&options.root))
}

fn build_site(options: &BuildOptions, output: &Path) -> Result<Built, Diagnostics> {
    output::check_output_dir(&options.root, output)?;
    // The previous output's record is read while the site loads.
    let (prepared, writer) = rayon::join(
        || prepare(options, &mut Memo::off()),
        || {
            timed("open output", || {
                output::Writer::begin(&options.root, output)
            })
        },
    );
    let Loaded {
        mut site,
        theme,
        photos,
        report,
    } = prepared?;
    let writer = writer?;
    if crate::memory::purge_delay() == BUILD_PURGE_AFTER_MS {
        crate::memory::set_purge_delay(RENDER_PURGE_AFTER_MS);
    }
    let made = timed("render+write", || {
        make_once_to(
            &mut site,
            &theme,
            &photos,
            &|path, bytes, checked| writer.holds_checked(path, bytes, checked),
            &|f| writer.put(&f),
        )
    })?;
    // Everything the pages were made from is let go before the copies and the writer's
    // finish, which reads the output folder and writes its record.
    // A build renders every page at once: nothing is left for later.
    let Made {
        copies,
        kept,
        keys,
        later,
    } = made;
    let pages = site.pages.len();
    let warnings = std::mem::take(&mut site.warnings);
    drop((site, theme, photos, kept, keys, later));
    timed("copy", || {
        use rayon::prelude::*;
        copies.par_iter().try_for_each(|c| writer.copy(c))
    })?;
    let (written, moved) = timed("finish", || writer.finish())?;
    Ok(Built {
        pages,
        warnings,
        written,
        photos: report,
        moved,
    })
}
