//! The photo stage: find every JPEG and PNG the site's pages show, take what the cache
//! has, process the rest in parallel, and name each variant's output file and URL.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use super::cache::{self, Cache, CachedPhoto};
use super::model::Original;
use super::process;
use super::strip;
use super::{Photos, ProcessedPhoto, Variant, VariantFile};
use crate::config::Originals;
use crate::error::{Diagnostic, Diagnostics};
use crate::markdown;
use crate::msg;
use crate::site::Site;

/// The environment variable that chooses lapa's cache folder (for CI caches and tests).
pub const CACHE_ENV: &str = "LAPA_CACHE_DIR";
/// A progress bar is shown from this many photos to process (fewer take a moment).
const PROGRESS_FROM: usize = 5;

/// Where photos are cached: `images/` in `$LAPA_CACHE_DIR`, else in the user's cache
/// folder (`$XDG_CACHE_HOME/lapa` or `~/.cache/lapa`; `~/Library/Caches/lapa` on macOS;
/// `%LOCALAPPDATA%\lapa` on Windows), else in the temp folder. Never in the site's
/// folder: `serve` and `check` leave that exactly as it was.
pub fn default_cache_dir() -> PathBuf {
    let var = |key: &str| {
        std::env::var_os(key)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    let base = var(CACHE_ENV).or_else(|| {
        if cfg!(windows) {
            var("LOCALAPPDATA").map(|p| p.join("lapa"))
        } else if cfg!(target_os = "macos") {
            var("HOME").map(|h| h.join("Library/Caches/lapa"))
        } else {
            var("XDG_CACHE_HOME")
                .map(|p| p.join("lapa"))
                .or_else(|| var("HOME").map(|h| h.join(".cache/lapa")))
        }
    });
    base.unwrap_or_else(|| std::env::temp_dir().join("lapa-cache"))
        .join("images")
}

/// The photo cache of the site `config` describes: the `images/` folder in `photos: cache:`
/// when site.yaml names one (so that a CI cache can keep it with the site) and
/// `$LAPA_CACHE_DIR` is not set; else `default` (see [`default_cache_dir`]).
pub fn cache_dir(config: &crate::config::Config, default: &Path) -> PathBuf {
    match &config.photos.cache {
        Some(dir) if std::env::var_os(CACHE_ENV).is_none() => config.root.join(dir).join("images"),
        _ => default.to_path_buf(),
    }
}

/// Where the cache is, and whether a progress bar may be drawn.
#[derive(Debug, Clone)]
pub struct PrepareOptions {
    pub cache_dir: PathBuf,
    /// Draw a progress bar on a terminal when many photos are new (`lapa build`).
    pub progress: bool,
    /// Make and cache the variants; when false, only check that new photos decode.
    pub process: bool,
}

/// What the stage did: photos processed now, photos taken from the cache, and the
/// files it could not use (warnings: such an image is shown as it is).
#[derive(Debug, Default)]
pub struct PhotoReport {
    pub processed: usize,
    pub reused: usize,
    pub problems: Diagnostics,
    /// Originals not published (`photos: originals: none`) whose links lead to their
    /// widest version: files under `content/`.
    pub redirected: Vec<String>,
}

/// A page (or intro, or project) that shows a photo, for messages.
#[derive(Debug, Clone)]
struct Use {
    file: PathBuf,
    line: Option<usize>,
}

/// Process every photo `site` shows, using and filling the cache.
pub fn prepare(site: &Site, options: &PrepareOptions) -> (Photos, PhotoReport) {
    let mut report = PhotoReport::default();
    let cache = Cache::new(&options.cache_dir);
    let sources = sources(site);
    // First pass: hash each file as it is read (no copy of it is held) and look it up;
    // only the misses are read again.
    let looked: Vec<Result<(String, Option<CachedPhoto>), String>> = sources
        .par_iter()
        .map(|(_, path, _)| {
            let key = cache::key_of_file(path).map_err(|e| msg!("photo-read-failed", why = e))?;
            let entry = cache.get(&key);
            Ok((key, entry))
        })
        .collect();
    let mut todo: BTreeMap<&str, &Path> = BTreeMap::new();
    for ((_, path, _), found) in sources.iter().zip(&looked) {
        if let Ok((key, None)) = found {
            todo.entry(key.as_str()).or_insert(path.as_path());
        }
    }
    let bar = progress_bar(options.progress, todo.len());
    // Freed memory goes back to the system until the originals are written too (each is
    // read whole to be stripped).
    let _purging = options.process.then(PurgeWhileProcessing::start);
    let todo: Vec<(&str, &Path)> = todo.into_iter().collect();
    let made: HashMap<&str, Result<Option<CachedPhoto>, String>> =
        on_workers(&todo, |&(key, path)| {
            let result = make(&cache, key, path, options.process);
            if let Some(bar) = &bar {
                bar.inc(1);
            }
            (key, result)
        })
        .into_iter()
        .collect();
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    report.processed = made.values().filter(|r| matches!(r, Ok(Some(_)))).count();

    let mut entries: BTreeMap<&str, CachedPhoto> = BTreeMap::new();
    for ((rel, _, uses), found) in sources.iter().zip(&looked) {
        let result = match found {
            Err(why) => Err(why.clone()),
            Ok((_, Some(entry))) => {
                report.reused += 1;
                Ok(Some(entry.clone()))
            }
            Ok((key, None)) => made
                .get(key.as_str())
                .cloned()
                .unwrap_or_else(|| Err(msg!("photo-not-processed"))),
        };
        match result {
            Ok(Some(entry)) => {
                entries.insert(rel.as_str(), entry);
            }
            Ok(None) => {}
            Err(why) => {
                for d in warnings(rel, &why, uses) {
                    report.problems.push(d.relative_to(&site.config.root));
                }
            }
        }
    }
    let processed: HashSet<&str> = entries.keys().copied().collect();
    let mut photos = name_outputs(site, entries);
    photos.originals = originals(site, &cache, &processed, options.process, &mut report);
    let urls = &site.urls;
    photos.withheld_links = photos
        .by_rel
        .iter()
        .filter(|(rel, _)| photos.withheld(rel))
        .filter_map(|(rel, photo)| {
            let widest = photo.widest()?.fallback.url.clone();
            let hrefs = [urls.file(rel), urls.file(&url_path(rel))];
            Some(hrefs.map(|from| (from, widest.clone())))
        })
        .flatten()
        .collect();
    report.redirected = photos
        .by_rel
        .keys()
        .filter(|rel| photos.withheld(rel))
        .cloned()
        .collect();
    (photos, report)
}

/// What is published of each original photo under `content/` (JPEG, PNG or WebP, shown
/// or only linked), by `photos: originals:`: with `strip`, a copy without metadata (kept
/// in the cache); with `none`, nothing for a photo that has versions (`processed`), a copy
/// without metadata for the rest; with `keep`, each file as it is, and a warning for
/// each that says where it was taken. A file whose metadata cannot be taken out is not
/// published (a warning says why). When not `process`ing (`lapa check`), nothing is written.
fn originals(
    site: &Site,
    cache: &Cache,
    processed: &HashSet<&str>,
    process: bool,
    report: &mut PhotoReport,
) -> BTreeMap<String, Original> {
    let setting = site.config.photos.originals;
    let results: Vec<(&str, &Path, Published)> = site
        .assets
        .par_iter()
        .filter(|a| strip::is_strippable(&a.rel))
        .map(|a| {
            let rel = a.rel.as_str();
            let result = if setting == Originals::None && processed.contains(rel) {
                (Some(Original::Withheld), None)
            } else {
                published(cache, &a.path, rel, setting, process)
            };
            (rel, a.path.as_path(), result)
        })
        .collect();
    let mut originals = BTreeMap::new();
    for (rel, path, (original, warning)) in results {
        if let Some(original) = original {
            originals.insert(rel.to_string(), original);
        }
        if let Some(why) = warning {
            report.problems.push(
                Diagnostic::new(path, why)
                    .warning()
                    .relative_to(&site.config.root),
            );
        }
    }
    originals
}

/// What is published of one original (None: the file as it is), and a warning about it.
type Published = (Option<Original>, Option<String>);

fn published(
    cache: &Cache,
    path: &Path,
    rel: &str,
    setting: Originals,
    process: bool,
) -> Published {
    let withheld = |why: String| (Some(Original::Withheld), Some(why));
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            return withheld(msg!("photo-unreadable", file = rel, why = e));
        }
    };
    if setting == Originals::Keep {
        let warning = strip::has_gps(&bytes).then(|| msg!("photo-gps-kept", file = rel));
        return (None, warning);
    }
    let ext = rel.rsplit_once('.').map_or("jpg", |(_, ext)| ext);
    let result = if process {
        cache
            .stripped(&bytes, ext, strip::strip)
            .map(|copy| copy.map(Original::Stripped))
    } else {
        strip::strip(&bytes).map(|_| None)
    };
    match result {
        Ok(original) => (original, None),
        Err(why) => withheld(msg!("photo-metadata-unstrippable", file = rel, why = why)),
    }
}

/// While photos are processed, memory they free goes back to the system at once: each
/// photo's buffers are large and of sizes the next photo does not reuse exactly, so with
/// purging off (as `main` sets it for `check`) the photos' peak memory grew with
/// their number (BENCHMARKS.md, "Photos"). The setting before is put back on drop.
struct PurgeWhileProcessing(std::ffi::c_long);

impl PurgeWhileProcessing {
    fn start() -> PurgeWhileProcessing {
        map_large_c_blocks();
        let before = crate::memory::purge_delay();
        crate::memory::set_purge_delay(0);
        PurgeWhileProcessing(before)
    }
}

impl Drop for PurgeWhileProcessing {
    fn drop(&mut self) {
        crate::memory::set_purge_delay(self.0);
    }
}

/// `work` done on each of `items` by as many plain threads as rayon has (`RAYON_NUM_THREADS`),
/// each taking the next item when done with one; the results in no particular order.
///
/// Not on rayon's own threads: jpeg-decoder does its IDCT on rayon's pool, and a rayon
/// thread waiting for that would start another photo meanwhile, so more photos than
/// threads would be in memory at once (and one thread would wait for the decode it holds).
fn on_workers<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let threads = rayon::current_num_threads().clamp(1, items.len().max(1));
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    while let Some(item) = items.get(next.fetch_add(1, Ordering::Relaxed)) {
                        done.push(work(item));
                    }
                    done
                })
            })
            .collect();
        // A worker's panic (not a decoder's: `make` catches those) loses its results,
        // and their photos are reported as not processed.
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    })
}

/// The block size from which glibc's allocator, used by libwebp (C), maps memory for a
/// block of its own and gives it back when freed: its default (128 KiB at first, then
/// rising to the largest block freed) kept libwebp's encoder buffers in its arenas after
/// each photo, about 40 MiB of the 24-photo build's peak (BENCHMARKS.md, "Photos").
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const C_MAP_FROM: libc::c_int = 128 << 10;

/// Tell glibc to map [`C_MAP_FROM`] bytes and more (once set, for the rest of the
/// process: lapa's own memory is mimalloc's, and only libwebp's comes from glibc).
fn map_large_c_blocks() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` may be called at any time; it only changes a threshold.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, C_MAP_FROM);
    }
}

/// Decode, process and store one photo whose cache key is `key` (or, when not
/// `process`ing, only decode it); a panic in a decoder is caught as an error.
fn make(
    cache: &Cache,
    key: &str,
    path: &Path,
    process: bool,
) -> Result<Option<CachedPhoto>, String> {
    let bytes = std::fs::read(path).map_err(|e| msg!("photo-read-failed", why = e))?;
    let caught = |_| msg!("photo-decoder-failed");
    if !process {
        return std::panic::catch_unwind(|| process::check(&bytes))
            .map_err(caught)?
            .map(|()| None);
    }
    let encoded = std::panic::catch_unwind(|| process::process(bytes)).map_err(caught)??;
    cache
        .put(key, &encoded)
        .map_err(|e| {
            msg!(
                "photo-cache-unwritable",
                folder = cache.dir().display(),
                why = e
            )
        })
        .map(Some)
}

fn progress_bar(wanted: bool, count: usize) -> Option<ProgressBar> {
    if !wanted || count < PROGRESS_FROM || !std::io::stdout().is_terminal() {
        return None;
    }
    let bar = ProgressBar::with_draw_target(Some(count as u64), ProgressDrawTarget::stdout());
    if let Ok(style) = ProgressStyle::with_template(&format!(
        "{} {{bar:30}} {{pos}}/{{len}} {{eta}}",
        msg!("photos-progress")
    )) {
        bar.set_style(style);
    }
    Some(bar)
}

fn warnings(rel: &str, why: &str, uses: &[Use]) -> Vec<Diagnostic> {
    let message = msg!("photo-no-variants", file = rel, why = why);
    uses.iter()
        .map(|u| {
            let d = Diagnostic::new(&u.file, message.clone()).warning();
            match u.line {
                Some(l) => d.at(l, None),
                None => d,
            }
        })
        .collect()
}

/// The JPEG and PNG files under `content/` that published pages show, with where.
fn sources(site: &Site) -> Vec<(String, PathBuf, Vec<Use>)> {
    let mut uses: BTreeMap<String, Vec<Use>> = BTreeMap::new();
    let mut add = |rel: Option<&str>, file: &Path, line: Option<usize>| {
        if let Some(rel) = rel.filter(|r| is_photo(r)) {
            uses.entry(rel.to_string()).or_default().push(Use {
                file: file.to_path_buf(),
                line,
            });
        }
    };
    // Intros have no file of their own in the model: their messages name the image.
    let mut body = |b: &markdown::Rendered, file: Option<&Path>, first_line: Option<usize>| {
        for image in &b.images {
            let Some(rel) = image.rel.as_deref() else {
                continue;
            };
            let image_file = Path::new("content").join(rel);
            add(
                Some(rel),
                file.unwrap_or(&image_file),
                first_line.map(|f| f + image.line - 1),
            );
        }
    };
    for page in &site.pages {
        body(&page.body, Some(&page.file), Some(page.body_line));
    }
    for project in &site.projects {
        body(&project.body, Some(&project.file), None);
    }
    for section in &site.sections {
        for intro in section.intros.values() {
            body(intro, None, None);
        }
    }
    for intro in site.home.values() {
        body(&intro.body, None, None);
    }
    for page in &site.pages {
        if let Some(cover) = &page.cover {
            add(
                cover.rel.as_deref(),
                &page.file,
                Some(page.line_of("cover")),
            );
        }
    }
    let assets: HashMap<&str, &Path> = site
        .assets
        .iter()
        .map(|a| (a.rel.as_str(), a.path.as_path()))
        .collect();
    uses.into_iter()
        .filter_map(|(rel, uses)| {
            let path = assets.get(rel.as_str())?.to_path_buf();
            Some((rel, path, uses))
        })
        .collect()
}

/// A hash of everything [`prepare`] reads from `site`: the photos every body and cover
/// shows, the site's files under `content/`, and its configuration. Equal inputs, with no
/// photo file changed since, make an equal table (`serve` reuses the last one then).
pub fn inputs(site: &Site) -> u128 {
    use std::hash::Hash;
    let mut h = crate::hash::Hasher::default();
    let bodies = site
        .pages
        .iter()
        .map(|p| &*p.body)
        .chain(site.projects.iter().map(|p| &p.body))
        .chain(site.sections.iter().flat_map(|s| s.intros.values()))
        .chain(site.home.values().map(|i| &i.body));
    for body in bodies {
        for image in &body.images {
            image.rel.hash(&mut h);
        }
    }
    for page in &site.pages {
        page.cover.as_ref().map(|c| &c.rel).hash(&mut h);
    }
    for asset in &site.assets {
        (&asset.rel, &asset.path).hash(&mut h);
    }
    site.config.hash(&mut h);
    h.digest()
}

/// `.jpg`, `.jpeg` and `.png`, in any case (phones write `IMG_0001.JPG`).
fn is_photo(rel: &str) -> bool {
    let lower = rel.to_ascii_lowercase();
    [".jpg", ".jpeg", ".png"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// Give each variant an output path beside its photo (`news/budapest-960.webp`), or with
/// the cache key in the name when that path is taken (a `budapest.png` beside the
/// `budapest.jpg`, or a teacher's own `budapest-960.jpg`).
fn name_outputs(site: &Site, entries: BTreeMap<&str, CachedPhoto>) -> Photos {
    let urls = &site.urls;
    let mut taken: HashSet<String> = site.assets.iter().map(|a| a.rel.clone()).collect();
    let mut photos = Photos::default();
    for (rel, entry) in entries {
        let stem = match rel.rsplit_once('.') {
            Some((stem, _)) => stem,
            None => rel,
        };
        let ext = entry.fallback.extension();
        let names = |tag: &str| -> Vec<(String, String)> {
            entry
                .variants
                .iter()
                .map(|v| {
                    (
                        format!("{stem}{tag}-{}.webp", v.width),
                        format!("{stem}{tag}-{}.{ext}", v.width),
                    )
                })
                .collect()
        };
        let mut chosen = names("");
        if chosen
            .iter()
            .any(|(a, b)| taken.contains(a) || taken.contains(b))
        {
            chosen = names(&format!("-{}", &entry.key[..8]));
        }
        let file = |cached: &Path, output: String| VariantFile {
            cached: cached.to_path_buf(),
            url: urls.file(&url_path(&output)),
            output,
        };
        let variants = entry
            .variants
            .iter()
            .zip(chosen)
            .map(|(v, (webp, fallback))| {
                taken.insert(webp.clone());
                taken.insert(fallback.clone());
                Variant {
                    width: v.width,
                    height: v.height,
                    webp: file(&v.webp, webp),
                    fallback: file(&v.fallback, fallback),
                }
            })
            .collect();
        photos.by_rel.insert(
            rel.to_string(),
            ProcessedPhoto {
                width: entry.width,
                height: entry.height,
                fallback: entry.fallback,
                variants,
            },
        );
    }
    photos
}

/// Percent-encode a path for a URL: spaces and commas would break a `srcset`.
fn url_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photo_files_and_urls() {
        assert!(is_photo("news/IMG_0001.JPG") && is_photo("a/b.jpeg") && is_photo("x.png"));
        assert!(!is_photo("logo.svg") && !is_photo("anim.gif") && !is_photo("jpg"));
        assert_eq!(
            url_path("news/mana bilde, ķīmija-960.webp"),
            "news/mana%20bilde%2C%20%C4%B7%C4%ABmija-960.webp"
        );
    }
}
