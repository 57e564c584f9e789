//! Updating an output folder in place, for `serve`: only the files that changed are
//! written, each by renaming a new file over the old one, so a reader never sees half a
//! file and a request in flight keeps the version it opened.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::time::SystemTime;

use rayon::prelude::*;

use super::{
    MARKER, MARKER_TEXT, Written, make_parent, replace_with_bytes, replace_with_copy, safe_join,
};
use crate::error::Diagnostic;
use crate::files::{CopiedFile, OutputFile};
use crate::msg;

/// What a folder updated in place holds, as far as lapa wrote it: per output path, the
/// hash of its bytes or the stamp of the file it was copied from.
#[derive(Debug, Default)]
pub struct Manifest {
    files: HashMap<String, Held>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Held {
    Bytes(u128),
    Copy { len: u64, modified: SystemTime },
}

impl Manifest {
    /// Whether the folder holds `path` with exactly the bytes whose [`digest`] is `hash`.
    pub fn holds(&self, path: &str, hash: u128) -> bool {
        self.files.get(path) == Some(&Held::Bytes(hash))
    }

    /// Note that the folder now holds `path` with the bytes whose [`digest`] is `hash`
    /// (written by [`write_now`]).
    pub fn record(&mut self, path: String, hash: u128) {
        self.files.insert(path, Held::Bytes(hash));
    }

    /// The output paths the folder holds.
    #[cfg(test)]
    fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }
}

/// The hash a [`Manifest`] keeps of a file's bytes.
pub fn digest(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// Make `dir` an output folder (with its `.lapa-output` marker) if it is not one yet.
pub fn prepare(dir: &Path) -> Result<(), Diagnostic> {
    let io_err = |path: &Path, e: std::io::Error| {
        Diagnostic::new(path, msg!("output-unwritable-here", why = e))
    };
    std::fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
    let marker = dir.join(MARKER);
    if !marker.is_file() {
        std::fs::write(&marker, MARKER_TEXT).map_err(|e| io_err(&marker, e))?;
    }
    Ok(())
}

/// Write `file` into `dir` (made by [`prepare`]) now, by rename; [`Manifest::record`]
/// notes it.
pub fn write_now(dir: &Path, file: &OutputFile) -> Result<(), Diagnostic> {
    let target = safe_join(dir, &file.path)?;
    make_parent(&target)?;
    replace_with_bytes(&target, &file.bytes)
}

/// Bring `dir`, which `manifest` describes, up to date: write `files` and `copies` where
/// they changed, and remove every other file unless `keep` says it stays.
pub fn update(
    dir: &Path,
    manifest: &mut Manifest,
    files: &[OutputFile],
    copies: &[CopiedFile],
    keep: impl Fn(&str) -> bool,
) -> Result<Written, Diagnostic> {
    prepare(dir)?;
    let wanted: HashSet<&str> = files
        .iter()
        .map(|f| f.path.as_str())
        .chain(copies.iter().map(|c| c.to.as_str()))
        .collect();
    let stale: Vec<String> = manifest
        .files
        .keys()
        .filter(|p| !wanted.contains(p.as_str()) && !keep(p))
        .cloned()
        .collect();
    for rel in stale {
        manifest.files.remove(&rel);
        let path = safe_join(dir, &rel)?;
        let _ = std::fs::remove_file(&path);
        // A page that goes leaves its folder empty: remove it, so its URL is a 404.
        for parent in path.ancestors().skip(1) {
            if parent == dir || std::fs::remove_dir(parent).is_err() {
                break;
            }
        }
    }
    let known = &manifest.files;
    let written: Vec<(usize, Option<Held>)> = files
        .par_iter()
        .enumerate()
        .map(|(i, f)| {
            let held = Held::Bytes(digest(&f.bytes));
            if known.get(&f.path) == Some(&held) {
                return Ok((i, None));
            }
            let target = safe_join(dir, &f.path)?;
            make_parent(&target)?;
            replace_with_bytes(&target, &f.bytes).map(|()| (i, Some(held)))
        })
        .chain(copies.par_iter().enumerate().map(|(i, c)| {
            let i = files.len() + i;
            let meta = std::fs::metadata(&c.from)
                .map_err(|e| Diagnostic::new(&c.from, msg!("file-unreadable", why = e)))?;
            let held = Held::Copy {
                len: meta.len(),
                modified: meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
            };
            if known.get(&c.to) == Some(&held) {
                return Ok((i, None));
            }
            let target = safe_join(dir, &c.to)?;
            make_parent(&target)?;
            replace_with_copy(&c.from, &target)?;
            Ok((i, Some(held)))
        }))
        .collect::<Result<_, Diagnostic>>()?;
    let mut report = Written {
        files: wanted.len(),
        ..Written::default()
    };
    for (i, held) in written {
        let path = match files.get(i) {
            Some(f) => &f.path,
            None => &copies[i - files.len()].to,
        };
        match held {
            Some(held) => {
                manifest.files.insert(path.clone(), held);
            }
            None => report.unchanged += 1,
        }
    }
    report.bytes = files.iter().map(|f| f.bytes.len() as u64).sum();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.to_string(),
            bytes: text.as_bytes().to_vec(),
            checked: 0,
        }
    }

    #[test]
    fn writes_what_changed_and_removes_what_went() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let mut manifest = Manifest::default();
        let first = [file("a/index.html", "a"), file("b/index.html", "b")];
        let w = update(&out, &mut manifest, &first, &[], |_| false).unwrap();
        assert_eq!((w.files, w.unchanged), (2, 0));
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "a"
        );

        let second = [file("a/index.html", "a2"), file("c/index.html", "c")];
        let w = update(&out, &mut manifest, &second, &[], |_| false).unwrap();
        assert_eq!((w.files, w.unchanged), (2, 0));
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "a2"
        );
        assert!(!out.join("b").exists(), "a page that went leaves no folder");

        // Kept paths stay although nothing was rendered for them this time.
        let w = update(
            &out,
            &mut manifest,
            &[file("c/index.html", "c")],
            &[],
            |p| p == "a/index.html",
        )
        .unwrap();
        assert_eq!((w.files, w.unchanged), (1, 1));
        assert!(out.join("a/index.html").is_file());
        let mut held: Vec<&str> = manifest.paths().collect();
        held.sort();
        assert_eq!(held, ["a/index.html", "c/index.html"]);
    }

    #[test]
    fn an_unchanged_file_is_not_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site");
        let mut manifest = Manifest::default();
        update(&out, &mut manifest, &[file("x.html", "same")], &[], |_| {
            false
        })
        .unwrap();
        // Change the file behind lapa's back: an update that thinks it unchanged leaves it.
        std::fs::write(out.join("x.html"), "touched").unwrap();
        let w = update(&out, &mut manifest, &[file("x.html", "same")], &[], |_| {
            false
        })
        .unwrap();
        assert_eq!(w.unchanged, 1);
        assert_eq!(
            std::fs::read_to_string(out.join("x.html")).unwrap(),
            "touched"
        );
    }
}
