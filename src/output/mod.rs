//! Writing: `Writer` brings a second folder (the output before the last build, kept
//! beside it, or a fresh staging folder the first time) up to date file by file, and
//! only when everything was written trades places with the output folder in one step;
//! `update` brings serve's folder up to date in place. Decides nothing about content.

use std::io;
use std::path::{Component, Path, PathBuf};

use crate::error::Diagnostic;
use crate::msg;

mod in_place;
pub mod resolve;
mod writer;

pub use in_place::{Manifest, digest, prepare, update, write_now};
pub use writer::{Moved, Writer};

use resolve::{Node, Unreachable};

/// The file that marks a folder as lapa's output, which lapa may replace.
pub const MARKER: &str = ".lapa-output";
const MARKER_TEXT: &str = "This folder is built by lapa and is replaced on every build.\n"; // not a message: a file's text

/// How much a build wrote.
#[derive(Debug, Clone, Copy, Default)]
pub struct Written {
    pub files: usize,
    pub bytes: u64,
    /// Files the previous output already had, byte for byte: taken over, not rewritten.
    pub unchanged: usize,
}

/// Refuse an output folder that would put the school's own files at risk; the folder the
/// path leads to (after `..`, `.` and links, as the kernel will walk it), which is the
/// one the build must write.
pub fn check_output_dir(root: &Path, output: &Path) -> Result<PathBuf, Diagnostic> {
    let refuse = |why: &str| {
        Err(Diagnostic::new(
            "--output",
            msg!("output-refused", folder = output.display(), why = why),
        ))
    };
    let root = absolute(root);
    let out = match resolve::resolve_on_disk(output) {
        Ok(r) => r,
        Err(Unreachable::NotAFolder(p)) => {
            return refuse(&msg!("output-not-folder-on-way", path = p.display()));
        }
        Err(Unreachable::Dangling(p)) => {
            return refuse(&msg!("output-dangling", path = p.display()));
        }
        Err(Unreachable::Loop(p)) => {
            return refuse(&msg!("output-loop", path = p.display()));
        }
    };
    if out.is == Node::Other {
        return refuse(&msg!("output-not-folder"));
    }
    let out = out.path;
    if out.parent().is_none() {
        return refuse(&msg!("output-root"));
    }
    if std::env::var_os("HOME").is_some_and(|home| absolute(Path::new(&home)) == out) {
        return refuse(&msg!("output-home"));
    }
    if root.starts_with(&out) {
        return refuse(&msg!("output-holds-site"));
    }
    for own in ["content", "themes", "templates", "i18n"] {
        if out.starts_with(root.join(own)) {
            return refuse(&msg!("output-inside-own", own = own));
        }
    }
    if root.join(crate::config::CONFIG_FILE) == out {
        return refuse(&msg!("output-settings"));
    }
    if out.is_dir() && !out.join(MARKER).is_file() && !is_empty_dir(&out) {
        return refuse(&msg!("output-not-lapas", marker = MARKER));
    }
    Ok(out)
}

fn parent_and_name(out: &Path) -> (PathBuf, String) {
    let parent = out.parent().map(Path::to_path_buf).unwrap_or_default();
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    (parent, name)
}

/// Files in an older output may be hard links shared with the live one: replace a file by
/// renaming a new one over it, never by writing into it.
fn replace_with_bytes(target: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
    if target.is_dir() {
        let _ = std::fs::remove_dir_all(target);
    }
    let tmp = temp_beside(target);
    std::fs::write(&tmp, bytes)
        .and_then(|()| std::fs::rename(&tmp, target))
        .map_err(|e| Diagnostic::new(target, msg!("file-unwritable", why = e)))
}

/// Copy `from` to `target` the same way: into a temporary file, renamed over it.
fn replace_with_copy(from: &Path, target: &Path) -> Result<(), Diagnostic> {
    let tmp = temp_beside(target);
    std::fs::copy(from, &tmp)
        .and_then(|_| std::fs::rename(&tmp, target))
        .map(drop)
        .map_err(|e| Diagnostic::new(from, msg!("output-uncopyable", why = e)))
}

/// Make the folder `target` goes in, replacing a file that stands where a folder must be.
fn make_parent(target: &Path) -> Result<(), Diagnostic> {
    let Some(parent) = target.parent() else {
        return Ok(());
    };
    if parent.is_dir() {
        return Ok(());
    }
    if std::fs::create_dir_all(parent).is_err() {
        for ancestor in parent.ancestors() {
            if ancestor.is_file() {
                let _ = std::fs::remove_file(ancestor);
            }
        }
    }
    std::fs::create_dir_all(parent)
        .map_err(|e| Diagnostic::new(parent, msg!("folder-uncreatable", why = e)))
}

fn replace_with_link(live: &Path, target: &Path) -> io::Result<()> {
    let tmp = temp_beside(target);
    std::fs::hard_link(live, &tmp)?;
    std::fs::rename(&tmp, target)
}

fn temp_beside(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(".lapa-tmp");
    target.with_file_name(name)
}

/// Staging and old folders left by a build that was killed.
fn remove_stale(parent: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let ours = file_name.starts_with(&format!(".{name}.lapa-staging-"))
            || file_name.starts_with(&format!(".{name}.lapa-old-"));
        let pid_alive = file_name
            .rsplit('-')
            .next()
            .and_then(|p| p.parse::<u32>().ok())
            .is_some_and(|pid| {
                pid != std::process::id() && Path::new(&format!("/proc/{pid}")).exists()
            });
        if ours && !pid_alive && entry.path().join(MARKER).is_file() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Does the previous output's file at `old` hold exactly `bytes`? (Then the new output
/// takes it over by a hard link instead of writing it again.)
fn same_bytes(old: &Path, bytes: &[u8]) -> bool {
    std::fs::metadata(old).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && std::fs::read(old).is_ok_and(|b| b == bytes)
}

/// Is the previous output's copy at `old` still the same as its source `from`?
fn same_file(old: &Path, from: &Path) -> bool {
    let (Ok(o), Ok(f)) = (std::fs::metadata(old), std::fs::metadata(from)) else {
        return false;
    };
    // A copy is newer than its source; a source edited since is newer than the copy.
    o.is_file()
        && o.len() == f.len()
        && matches!((o.modified(), f.modified()), (Ok(om), Ok(fm)) if om >= fm)
}

/// `staging/rel`, refusing a path that would climb out of it.
fn safe_join(staging: &Path, rel: &str) -> Result<PathBuf, Diagnostic> {
    let rel = Path::new(rel);
    let ok = rel.components().all(|c| matches!(c, Component::Normal(_)));
    if ok {
        Ok(staging.join(rel))
    } else {
        Err(Diagnostic::new(rel, msg!("output-path-leaves")))
    }
}

/// Put `staging` where `out` is. On Linux the two folders trade places in one atomic
/// step, so a build killed at any moment leaves a complete output; elsewhere (or on a
/// file system without that call) the old output is moved aside first and put back on
/// failure. `old` is shown the previous output once it is out of place, before it is kept
/// or removed.
fn swap_in(
    staging: &Path,
    out: &Path,
    parent: &Path,
    name: &str,
    old: &mut dyn FnMut(&Path),
) -> io::Result<()> {
    if !out.exists() {
        return std::fs::rename(staging, out);
    }
    if exchange(staging, out).is_ok() {
        old(staging);
        // `staging` now holds the previous output: keep it for the next build to update.
        let twin = parent.join(format!(".{name}.lapa-previous"));
        if twin.exists() && twin.join(MARKER).is_file() {
            let _ = std::fs::remove_dir_all(&twin);
        }
        if twin.exists() || std::fs::rename(staging, &twin).is_err() {
            return std::fs::remove_dir_all(staging);
        }
        return Ok(());
    }
    let aside = parent.join(format!(".{name}.lapa-old-{}", std::process::id()));
    if aside.exists() {
        std::fs::remove_dir_all(&aside)?;
    }
    std::fs::rename(out, &aside)?;
    if let Err(e) = std::fs::rename(staging, out) {
        let _ = std::fs::rename(&aside, out);
        return Err(e);
    }
    old(&aside);
    std::fs::remove_dir_all(&aside)
}

/// Trade the places of two folders: atomically where the system can, else by three renames.
fn swap_dirs(a: &Path, b: &Path, parent: &Path, name: &str) -> io::Result<()> {
    if exchange(a, b).is_ok() {
        return Ok(());
    }
    let aside = parent.join(format!(".{name}.lapa-old-{}", std::process::id()));
    std::fs::rename(b, &aside)?;
    if let Err(e) = std::fs::rename(a, b) {
        let _ = std::fs::rename(&aside, b);
        return Err(e);
    }
    std::fs::rename(&aside, a)
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both are valid NUL-terminated paths that outlive the call.
    let r = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "no atomic exchange here", // not a message: the caller falls back, nothing is shown
    ))
}

fn is_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none())
}

/// An absolute, `..`-free form of `path` without touching the disk for parts that do not exist.
pub fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    // Resolve symlinks of the longest existing prefix, then add the rest.
    let mut existing = joined.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(n), Some(p)) => {
                rest.push(n.to_os_string());
                existing = p.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = std::fs::canonicalize(&existing).unwrap_or(existing);
    for part in rest.into_iter().rev() {
        match Path::new(&part).components().next() {
            Some(Component::ParentDir) => {
                out.pop();
            }
            Some(Component::CurDir) | None => {}
            _ => out.push(part),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_dangerous_outputs() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_output_dir(root, Path::new("/")).is_err());
        assert!(check_output_dir(root, root).is_err());
        assert!(check_output_dir(root, &root.join("content")).is_err());
        assert!(check_output_dir(root, &root.join("content/x")).is_err());
        assert!(check_output_dir(root, &root.join("public")).is_ok());
        std::fs::create_dir_all(root.join("docs")).unwrap();
        std::fs::write(root.join("docs/a.txt"), "mine").unwrap();
        let e = check_output_dir(root, &root.join("docs")).unwrap_err();
        assert!(e.message.contains(MARKER), "{e}");
    }

    #[test]
    fn a_path_cannot_climb_out() {
        assert!(safe_join(Path::new("/tmp/x"), "../etc/passwd").is_err());
        assert!(safe_join(Path::new("/tmp/x"), "a/b.html").is_ok());
    }
}
