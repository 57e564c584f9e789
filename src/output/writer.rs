//! Writing a build as it is rendered: each file goes into a folder beside the output (the
//! output before the last, kept as `.NAME.lapa-previous`, or a new staging folder) the
//! moment it is made, and that folder replaces the output in one step once all is there.
//!
//! A record of what each folder holds (`.NAME.lapa-files` beside them: every file, with
//! its hash, size and modification time when they are known) lets a build see that a file
//! is unchanged without reading it, and which files the kept folder holds that this build
//! does not want, without walking it. It is used only for a folder whose identity and
//! files still match it, and it is removed while a build writes, so a failed or killed
//! build leaves none that could lie.
//!
//! The record also says when lapa last finished changing each folder. A file added, removed
//! or renamed in a folder changes that folder's status time (`ctime`, which no program can
//! set back, unlike the modification time `tar` and `cp -a` restore), so only the folders
//! changed since then are listed to find what someone else put there: a build of 10,000
//! reports looks at each of its 15,000 folders' status instead of reading every one.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};

use super::{
    MARKER, MARKER_TEXT, Written, check_output_dir, make_parent, parent_and_name, remove_stale,
    replace_with_bytes, replace_with_copy, replace_with_link, safe_join, same_bytes, same_file,
    swap_dirs, swap_in, temp_beside,
};
use crate::error::Diagnostic;
use crate::files::{CopiedFile, OutputFile};
use crate::msg;

/// A file as the record knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Recorded {
    hash: u128,
    len: u64,
    /// Modification time, in nanoseconds since the epoch.
    modified: i128,
}

/// Every file a folder holds, by path; with its entry when its bytes are known (a copied
/// file's are not: copies are compared by size and time with their source instead).
type Files = HashMap<String, Option<Recorded>>;

/// What the record says of one folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Folder {
    files: Files,
    /// When lapa last finished changing it, as the file system's status time (ns since
    /// the epoch): a folder in it whose status time is earlier holds only these files
    /// and folders. None when that is not known: the whole folder is then listed.
    settled: Option<i128>,
}

/// A file put into the build.
struct Put {
    path: String,
    /// What the record says of it now (None for a copy).
    entry: Option<Recorded>,
    /// Written, rather than found unchanged or linked.
    written: bool,
    len: u64,
}

/// The build being written.
pub struct Writer {
    out: PathBuf,
    parent: PathBuf,
    name: String,
    /// Where this build's files go.
    dir: PathBuf,
    /// Whether `dir` is the kept previous output (else a new staging folder).
    kept: bool,
    /// The output now, to take unchanged files from by hard link.
    live: Option<PathBuf>,
    /// What `dir` and `live` hold by path, when the record of them can be trusted.
    in_dir: Option<Files>,
    in_live: Option<Arc<Files>>,
    /// When lapa last finished changing the live output, as the record says.
    live_settled: Option<i128>,
    /// What each file put became, sent from whichever thread put it: a channel takes
    /// them without a lock.
    done: Sender<Put>,
    /// The channel's end, read once when the build finishes (in a mutex only so that the
    /// writer may be shared between threads; it is never locked).
    puts: Mutex<Receiver<Put>>,
    finished: bool,
    /// The first of the folders above the output that this build made, removed again if
    /// it does not finish.
    made: Option<PathBuf>,
    /// Every file in the live output, listed on a thread of its own while the build
    /// renders (the live output does not change until the swap).
    listing: Option<std::thread::JoinHandle<Vec<String>>>,
    /// What someone else had put in the kept folder, moved aside before it was written.
    moved_early: Vec<String>,
}

/// Files that were in the output though no build of lapa put them there (a `CNAME`, an
/// upload), moved out of it so that they do not come and go with every other build.
#[derive(Debug, Clone, Default)]
pub struct Moved {
    /// The folder beside the output they are now in (`NAME.lapa-moved`).
    pub to: PathBuf,
    /// Their paths in the output (a folder that was empty is listed itself).
    pub files: Vec<String>,
}

impl Writer {
    /// Start a build of `output` (refusing folders a build must not replace).
    pub fn begin(root: &Path, output: &Path) -> Result<Writer, Diagnostic> {
        let out = check_output_dir(root, output)?;
        let (parent, name) = parent_and_name(&out);
        let io_err = |path: &Path, e: std::io::Error| {
            Diagnostic::new(path, msg!("output-unwritable-here", why = e))
        };
        let made = parent
            .ancestors()
            .take_while(|a| std::fs::symlink_metadata(a).is_err())
            .last()
            .map(Path::to_path_buf);
        std::fs::create_dir_all(&parent).map_err(|e| io_err(&parent, e))?;
        remove_stale(&parent, &name);
        let record_path = record_path(&parent, &name);
        let mut record = read_record(&record_path);
        // From here on the folders change: no record until this build has finished.
        let _ = std::fs::remove_file(&record_path);
        let ours = |p: &Path| p.join(MARKER).is_file();
        let twin = parent.join(format!(".{name}.lapa-previous"));
        let live = Some(out.clone()).filter(|o| ours(o));
        let (dir, kept) = if live.is_some() && ours(&twin) {
            (twin, true)
        } else {
            let staging = parent.join(format!(".{name}.lapa-staging-{}", std::process::id()));
            if staging.exists() {
                std::fs::remove_dir_all(&staging).map_err(|e| io_err(&staging, e))?;
            }
            std::fs::create_dir(&staging).map_err(|e| io_err(&staging, e))?;
            // Marked at once, so that if this build is killed the next one may remove it.
            let marker = staging.join(MARKER);
            std::fs::write(&marker, MARKER_TEXT).map_err(|e| io_err(&marker, e))?;
            (staging, false)
        };
        let mut take = |folder: &Path| identity(folder).and_then(|id| record.remove(&id));
        let (in_dir, moved_early) = if kept {
            // What is in the kept folder that lapa did not put there would otherwise
            // reach the output with this build; with no record the folder is pruned whole
            // when the build finishes (`remove_unwanted`).
            let known = take(&dir);
            let moved_early = known.as_ref().map_or_else(Vec::new, |known| {
                let found = listed_since(&dir, &known.files, known.settled);
                let strays: Vec<String> = found
                    .into_iter()
                    .filter(|rel| rel != MARKER && !known.files.contains_key(rel))
                    .collect();
                move_aside(&dir, &strays, &moved_to(&parent, &name))
            });
            (known.map(|k| k.files), moved_early)
        } else {
            (Some(HashMap::new()), Vec::new())
        };
        let (in_live, live_settled) = match live.as_deref().and_then(&mut take) {
            Some(known) => (Some(Arc::new(known.files)), known.settled),
            None => (None, None),
        };
        let (done, puts) = channel();
        let listing = live.clone().map(|live| {
            let known = in_live.clone();
            std::thread::spawn(move || match &known {
                Some(files) => listed_since(&live, files, live_settled),
                None => entries(&live, ""),
            })
        });
        Ok(Writer {
            out,
            parent,
            name,
            dir,
            kept,
            live,
            in_dir,
            in_live,
            live_settled,
            done,
            puts: Mutex::new(puts),
            finished: false,
            made,
            listing,
            moved_early,
        })
    }

    /// Whether this build's folder or the output already holds `bytes` at `path`, as a
    /// build of lapa put them there with the same `checked` (see [`OutputFile::checked`]),
    /// by the record (and the file's size and time): then the page passed the funding
    /// check for what it shows now, and need not be read again. With no record, false.
    pub fn holds_checked(&self, path: &str, bytes: &[u8], checked: u64) -> bool {
        let hash = file_hash(bytes, checked);
        let len = bytes.len() as u64;
        let held = |known: Option<&Files>, folder: &Path| {
            known
                .and_then(|k| k.get(path).copied().flatten())
                .filter(|e| e.hash == hash && e.len == len)
                .is_some_and(|e| {
                    safe_join(folder, path).is_ok_and(|file| entry_of(&file, hash) == Some(e))
                })
        };
        held(self.in_dir.as_ref(), &self.dir)
            || self
                .live
                .as_deref()
                .is_some_and(|live| held(self.in_live.as_deref(), live))
    }

    /// Put one file of the build in place (from any thread).
    pub fn put(&self, file: &OutputFile) -> Result<(), Diagnostic> {
        let target = safe_join(&self.dir, &file.path)?;
        let hash = file_hash(&file.bytes, file.checked);
        let len = file.bytes.len() as u64;
        // When the file at `path` already holds these bytes: what the record says of it
        // (looked up once, and checked against the file), or with no record, its entry
        // after comparing the bytes.
        let unchanged = |known: Option<&Files>, path: &Path| match known {
            Some(known) => {
                let e = known
                    .get(&file.path)
                    .copied()
                    .flatten()
                    .filter(|e| e.hash == hash && e.len == len)?;
                (entry_of(path, hash) == Some(e)).then_some(Some(e))
            }
            None => same_bytes(path, &file.bytes).then(|| entry_of(path, hash)),
        };
        let (entry, written) = if let Some(entry) = unchanged(self.in_dir.as_ref(), &target) {
            (entry, false)
        } else if let Some(live) = self
            .live
            .as_ref()
            .map(|l| l.join(&file.path))
            .filter(|l| unchanged(self.in_live.as_deref(), l).is_some())
            && make_parent(&target).is_ok()
            && replace_with_link(&live, &target).is_ok()
        {
            (entry_of(&target, hash), false)
        } else {
            make_parent(&target)?;
            replace_with_bytes(&target, &file.bytes)?;
            (entry_of(&target, hash), true)
        };
        self.record(file.path.clone(), entry, written, len);
        Ok(())
    }

    /// Copy a file into the build as it is (from any thread).
    pub fn copy(&self, copy: &CopiedFile) -> Result<(), Diagnostic> {
        let target = safe_join(&self.dir, &copy.to)?;
        let len = std::fs::metadata(&copy.from).map_or(0, |m| m.len());
        let written = if same_file(&target, &copy.from) {
            false
        } else if let Some(live) = self
            .live
            .as_ref()
            .map(|l| l.join(&copy.to))
            .filter(|l| same_file(l, &copy.from))
            && make_parent(&target).is_ok()
            && replace_with_link(&live, &target).is_ok()
        {
            false
        } else {
            make_parent(&target)?;
            replace_with_copy(&copy.from, &target)?;
            true
        };
        self.record(copy.to.clone(), None, written, len);
        Ok(())
    }

    fn record(&self, path: String, entry: Option<Recorded>, written: bool, len: u64) {
        // The receiving end lives as long as the writer: a send cannot fail.
        let _ = self.done.send(Put {
            path,
            entry,
            written,
            len,
        });
    }

    /// Remove what this build does not have, and put the folder in place of the output;
    /// what was in the output that no build made is moved out of it.
    pub fn finish(mut self) -> Result<(Written, Moved), Diagnostic> {
        let done: Vec<Put> = self
            .puts
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .try_iter()
            .collect();
        if self.kept {
            crate::timing::timed("prune", || match &self.in_dir {
                Some(held) => remove_listed(&self.dir, held, &done),
                None => remove_unwanted(&self.dir, &done),
            });
        }
        let marker = self.dir.join(MARKER);
        std::fs::write(&marker, MARKER_TEXT)
            .map_err(|e| Diagnostic::new(&marker, msg!("output-unwritable-here", why = e)))?;
        // The marker is the last thing this build writes in the folder: anything that
        // changes one of its folders from here on gives that folder a later status time.
        // A file system whose status times do not move on (none kept, or a clock set
        // back) is trusted with none: the next build lists the whole folder.
        let settled = status_time(&marker)
            .filter(|&t| t > 0 && self.live_settled.is_none_or(|before| t > before));
        let mut moved = Moved {
            to: moved_to(&self.parent, &self.name),
            files: std::mem::take(&mut self.moved_early),
        };
        // The previous output, once it is out of place: what in it is neither this build's
        // nor the record's was put there by hand. Its listing is finished before the swap,
        // since the paths it reads name the new output once the folders have traded places.
        let listed = self
            .listing
            .take()
            .map(|l| l.join().unwrap_or_else(|_| entries(&self.out, "")));
        let mut listed = listed.or_else(|| self.live.as_deref().map(|live| entries(live, "")));
        let mut move_strays = |old: &Path| {
            let made: HashSet<&str> = done.iter().map(|p| p.path.as_str()).collect();
            let strays: Vec<String> = crate::timing::timed("strays", || {
                listed
                    .take()
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|rel| {
                        rel != MARKER
                            && !made.contains(rel.as_str())
                            && self.in_live.as_ref().is_none_or(|k| !k.contains_key(rel))
                    })
                    .collect()
            });
            moved.files.extend(move_aside(old, &strays, &moved.to));
            moved.files.sort();
        };
        let put_in_place = if self.kept {
            swap_dirs(&self.dir, &self.out, &self.parent, &self.name).inspect(|()| {
                if self.live.is_some() {
                    move_strays(&self.dir);
                }
            })
        } else {
            swap_in(&self.dir, &self.out, &self.parent, &self.name, &mut |old| {
                if self.live.is_some() {
                    move_strays(old);
                }
            })
        };
        put_in_place.map_err(|e| Diagnostic::new(&self.out, msg!("output-no-swap", why = e)))?;
        self.finished = true;
        // The output now holds this build; the kept previous output, what `live` held.
        let now: Files = done.iter().map(|p| (p.path.clone(), p.entry)).collect();
        let twin = self.parent.join(format!(".{}.lapa-previous", self.name));
        let mut record = Vec::new();
        record.extend(identity(&self.out).map(|id| {
            let files = now;
            (id, Folder { files, settled })
        }));
        // The previous output was last changed by lapa when the build before this one
        // finished (and since then only where strays were moved out of it).
        if let Some(previous) = self.in_live.take() {
            let folder = Folder {
                files: Arc::unwrap_or_clone(previous),
                settled: self.live_settled,
            };
            record.extend(identity(&twin).map(|id| (id, folder)));
        }
        crate::timing::timed("record", || {
            write_record(&record_path(&self.parent, &self.name), &record)
        });
        let written = Written {
            files: done.len(),
            bytes: done.iter().map(|p| p.len).sum(),
            unchanged: done.iter().filter(|p| !p.written).count(),
        };
        Ok((written, moved))
    }
}

/// Every file under `dir` (and every empty folder), as paths with `/` from `dir`; the
/// entries of each folder on both cores.
fn entries(dir: &Path, rel: &str) -> Vec<String> {
    use rayon::prelude::*;
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let list: Vec<std::fs::DirEntry> = read.flatten().collect();
    if list.is_empty() && !rel.is_empty() {
        return vec![rel.to_string()];
    }
    list.par_iter()
        .with_max_len(64)
        .flat_map_iter(|e| {
            let path = child(rel, e);
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                entries(&e.path(), &path)
            } else {
                vec![path]
            }
        })
        .collect()
}

/// The path of the entry `e` of the folder at `rel` (`""` for the top).
fn child(rel: &str, e: &std::fs::DirEntry) -> String {
    let name = e.file_name().to_string_lossy().into_owned();
    if rel.is_empty() {
        name
    } else {
        format!("{rel}/{name}")
    }
}

/// What may be in `dir` besides `files`, the files the record says it held when lapa last
/// finished changing it at `settled`: every entry of each of its folders whose status
/// has changed since (a folder that is not one of theirs, whole), as paths with `/` from
/// `dir`. With no `settled`, every file under `dir`.
fn listed_since(dir: &Path, files: &Files, settled: Option<i128>) -> Vec<String> {
    use rayon::prelude::*;
    let Some(settled) = settled else {
        return entries(dir, "");
    };
    let mut folders: HashSet<&str> = HashSet::from([""]);
    for file in files.keys() {
        let mut path = file.as_str();
        while let Some((parent, _)) = path.rsplit_once('/') {
            if !folders.insert(parent) {
                break;
            }
            path = parent;
        }
    }
    let list: Vec<&str> = folders.iter().copied().collect();
    list.par_iter()
        .with_max_len(64)
        .flat_map_iter(|&rel| {
            let path = if rel.is_empty() {
                dir.to_path_buf()
            } else {
                dir.join(rel)
            };
            // Unchanged, or gone, or no folder now: then it is an entry of a changed
            // folder, and found there.
            let nothing_new = std::fs::symlink_metadata(&path)
                .ok()
                .filter(std::fs::Metadata::is_dir)
                .is_none_or(|m| status_of(&m).is_some_and(|t| t < settled));
            let mut found = Vec::new();
            if nothing_new {
                return found;
            }
            for e in std::fs::read_dir(&path).into_iter().flatten().flatten() {
                let path = child(rel, &e);
                if e.file_type().is_ok_and(|t| t.is_dir()) {
                    if !folders.contains(path.as_str()) {
                        found.extend(entries(&e.path(), &path));
                    }
                } else if !files.contains_key(&path) {
                    found.push(path);
                }
            }
            found
        })
        .collect()
}

/// Move each of `rels` from `from` into `to` at the same path (with `.2`, `.3` … added
/// when one is there already: nothing moved earlier is replaced), and remove the folders
/// that leaves empty. The paths moved.
fn move_aside(from: &Path, rels: &[String], to: &Path) -> Vec<String> {
    let mut moved = Vec::new();
    for rel in rels {
        let (Ok(source), Ok(first)) = (safe_join(from, rel), safe_join(to, rel)) else {
            continue;
        };
        let mut target = first.clone();
        let mut n = 2;
        while std::fs::symlink_metadata(&target).is_ok() {
            let mut name = first.file_name().unwrap_or_default().to_os_string();
            name.push(format!(".{n}"));
            target = first.with_file_name(name);
            n += 1;
        }
        let parent_ready = target
            .parent()
            .is_none_or(|p| std::fs::create_dir_all(p).is_ok());
        if parent_ready && std::fs::rename(&source, &target).is_ok() {
            moved.push(rel.clone());
            for folder in source.ancestors().skip(1).take_while(|f| *f != from) {
                if std::fs::remove_dir(folder).is_err() {
                    break;
                }
            }
        }
    }
    moved.sort();
    moved
}

impl Drop for Writer {
    /// A build that did not finish leaves no staging folder (a kept previous output stays
    /// for the next build, which finds it without a record and compares its files).
    fn drop(&mut self) {
        if !self.finished && !self.kept {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
        if !self.finished
            && let Some(made) = &self.made
        {
            for folder in self.parent.ancestors() {
                if std::fs::remove_dir(folder).is_err() || folder == made {
                    break;
                }
            }
        }
    }
}

/// Remove the files the record says `dir` holds that this build did not put there, and
/// the folders they leave empty: the record lists every file, so nothing else can be left.
fn remove_listed(dir: &Path, held: &Files, done: &[Put]) {
    let put: HashSet<&str> = done.iter().map(|p| p.path.as_str()).collect();
    for path in held.keys().filter(|p| !put.contains(p.as_str())) {
        let Ok(file) = safe_join(dir, path) else {
            continue;
        };
        // Gone already when a folder of this build took its place.
        let _ = std::fs::remove_file(&file);
        for folder in file.ancestors().skip(1).take_while(|f| *f != dir) {
            if std::fs::remove_dir(folder).is_err() {
                break;
            }
        }
    }
}

/// Remove every file and folder in `dir` that this build did not put there (nor the
/// marker), looking at each.
fn remove_unwanted(dir: &Path, done: &[Put]) {
    let wanted: HashSet<PathBuf> = done
        .iter()
        .filter_map(|p| safe_join(dir, &p.path).ok())
        .collect();
    let marker = dir.join(MARKER);
    prune(dir, &|path| path == marker || wanted.contains(path));
}

/// Remove what `keep` refuses under `dir`, a folder's contents before the folder; the
/// entries of each folder on both cores (a site's reports are one folder of thousands).
/// Whether `dir` is empty now.
fn prune(dir: &Path, keep: &(dyn Fn(&Path) -> bool + Sync)) -> bool {
    use rayon::prelude::*;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    let entries: Vec<std::fs::DirEntry> = entries.flatten().collect();
    let kept = entries
        .par_iter()
        .with_max_len(64)
        .filter(|e| {
            let path = e.path();
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                // A folder is kept while it holds anything: the files it is wanted for.
                !prune(&path, keep) || std::fs::remove_dir(&path).is_err()
            } else {
                keep(&path) || std::fs::remove_file(&path).is_err()
            }
        })
        .count();
    kept == 0
}

/// The hash the record keeps of a file: of its bytes, and for a page checked for its
/// funding blocks, of what it was checked for too (the seed), so that the same bytes
/// checked for other blocks never look unchanged.
fn file_hash(bytes: &[u8], checked: u64) -> u128 {
    xxhash_rust::xxh3::xxh3_128_with_seed(bytes, checked)
}

/// What the record says of the file at `path`, if it holds bytes hashing to `hash`.
fn entry_of(path: &Path, hash: u128) -> Option<Recorded> {
    let meta = std::fs::metadata(path).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_nanos();
    Some(Recorded {
        hash,
        len: meta.len(),
        modified: i128::try_from(modified).ok()?,
    })
}

/// Where what someone else put in the output is moved: `NAME.lapa-moved` beside it.
fn moved_to(parent: &Path, name: &str) -> PathBuf {
    parent.join(format!("{name}.lapa-moved"))
}

/// When the status of the file at `path` last changed (ns since the epoch).
fn status_time(path: &Path) -> Option<i128> {
    std::fs::symlink_metadata(path)
        .ok()
        .and_then(|m| status_of(&m))
}

#[cfg(unix)]
fn status_of(meta: &std::fs::Metadata) -> Option<i128> {
    use std::os::unix::fs::MetadataExt;
    Some(i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()))
}

/// Elsewhere no record is kept (see [`identity`]).
#[cfg(not(unix))]
fn status_of(_meta: &std::fs::Metadata) -> Option<i128> {
    None
}

fn record_path(parent: &Path, name: &str) -> PathBuf {
    parent.join(format!(".{name}.lapa-files"))
}

/// Which folder this is, however it is named: device and inode.
#[cfg(unix)]
fn identity(folder: &Path) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(folder).ok()?;
    Some(format!("{}:{}", meta.dev(), meta.ino()))
}

/// Elsewhere no record is kept, and files are compared byte for byte.
#[cfg(not(unix))]
fn identity(_folder: &Path) -> Option<String> {
    None
}

const RECORD_HEADER: &str = "lapa-files 3";

/// The record: per folder identity, its files and when lapa last finished changing it.
/// Anything unreadable is no record at all.
fn read_record(path: &Path) -> HashMap<String, Folder> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return HashMap::new();
    };
    let mut lines = text.lines();
    if lines.next() != Some(RECORD_HEADER) {
        return HashMap::new();
    }
    let mut record: HashMap<String, Folder> = HashMap::new();
    // The folder whose lines these are, and its files so far.
    let mut folder: Option<(String, Folder)> = None;
    for line in lines {
        if let Some(rest) = line.strip_prefix("folder ") {
            let (id, settled) = match rest.split_once(' ') {
                Some((id, settled)) => match settled.parse() {
                    Ok(settled) => (id, Some(settled)),
                    Err(_) => return HashMap::new(),
                },
                None => (rest, None),
            };
            let new = Folder {
                files: Files::new(),
                settled,
            };
            record.extend(folder.replace((id.to_string(), new)));
            continue;
        }
        let Some((_, Folder { files, .. })) = folder.as_mut() else {
            return HashMap::new();
        };
        if let Some(file) = line.strip_prefix("unknown ") {
            files.insert(file.to_string(), None);
            continue;
        }
        let mut parts = line.splitn(4, ' ');
        let (Some(hash), Some(len), Some(modified), Some(file)) = (
            parts.next().and_then(|h| u128::from_str_radix(h, 16).ok()),
            parts.next().and_then(|l| l.parse().ok()),
            parts.next().and_then(|m| m.parse().ok()),
            parts.next(),
        ) else {
            return HashMap::new();
        };
        files.insert(
            file.to_string(),
            Some(Recorded {
                hash,
                len,
                modified,
            }),
        );
    }
    record.extend(folder);
    record
}

/// Write the record of `folders`. A folder with a file whose name holds a line break
/// cannot be listed, and is left out: the next build looks at each of its files.
/// (Every file of a big site is a line here, written at the very end of a build: the
/// lines are put together as bytes, without the formatting machinery.)
fn write_record(path: &Path, folders: &[(String, Folder)]) {
    let mut text = Vec::with_capacity(
        folders
            .iter()
            .map(|(_, folder)| folder.files.len() * 96)
            .sum::<usize>()
            + 64,
    );
    text.extend_from_slice(RECORD_HEADER.as_bytes());
    text.push(b'\n');
    let mut number = itoa::Buffer::new();
    for (id, Folder { files, settled }) in folders {
        if files.keys().any(|f| f.contains('\n')) {
            continue;
        }
        text.extend_from_slice(b"folder ");
        text.extend_from_slice(id.as_bytes());
        if let Some(settled) = settled {
            text.push(b' ');
            text.extend_from_slice(number.format(*settled).as_bytes());
        }
        text.push(b'\n');
        for (file, e) in files {
            match e {
                Some(e) => {
                    push_hex(&mut text, e.hash);
                    text.push(b' ');
                    text.extend_from_slice(number.format(e.len).as_bytes());
                    text.push(b' ');
                    text.extend_from_slice(number.format(e.modified).as_bytes());
                    text.push(b' ');
                }
                None => text.extend_from_slice(b"unknown "),
            }
            text.extend_from_slice(file.as_bytes());
            text.push(b'\n');
        }
    }
    let tmp = temp_beside(path);
    if std::fs::write(&tmp, text).is_ok() {
        let _ = std::fs::rename(&tmp, path);
    }
}

/// `hash` as 32 lowercase hex digits, as `{:032x}` writes it.
fn push_hex(out: &mut Vec<u8>, hash: u128) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for byte in hash.to_be_bytes() {
        out.push(DIGITS[usize::from(byte >> 4)]);
        out.push(DIGITS[usize::from(byte & 0xf)]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_record_reads_back_what_was_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".public.lapa-files");
        let entry = Recorded {
            hash: 0xfeed,
            len: 3,
            modified: 1_700_000_000_123_456_789,
        };
        let files = HashMap::from([
            ("a b/index.html".to_string(), Some(entry)),
            ("news/photo.jpg".to_string(), None),
        ]);
        let unlistable = HashMap::from([("a\nb".to_string(), None)]);
        let folder = |files: &Files, settled| Folder {
            files: files.clone(),
            settled,
        };
        let settled = Some(1_700_000_000_987_654_321);
        write_record(
            &path,
            &[
                ("1:2".to_string(), folder(&files, settled)),
                ("1:3".to_string(), folder(&unlistable, settled)),
                ("1:4".to_string(), folder(&files, None)),
            ],
        );
        let back = read_record(&path);
        assert_eq!(back.get("1:2"), Some(&folder(&files, settled)));
        assert_eq!(back.get("1:4"), Some(&folder(&files, None)));
        for hash in [0, 0xfeed, u128::MAX, 1 << 127] {
            let mut hex = Vec::new();
            push_hex(&mut hex, hash);
            assert_eq!(hex, format!("{hash:032x}").into_bytes());
        }
        assert_eq!(back.get("1:3"), None, "a folder it cannot list is left out");
        for damaged in [
            "lapa-files 3\nfolder 1:2\nnot a line\n",
            "lapa-files 3\nfolder 1:2 yesterday\n",
            "lapa-files 2\nfolder 1:2\n",
        ] {
            std::fs::write(&path, damaged).unwrap();
            assert!(read_record(&path).is_empty(), "{damaged:?} is no record");
        }
    }
}
