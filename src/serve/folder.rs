//! serve's private output folder: `lapa-serve-PID/` in the temp folder, outside the site,
//! holding the `site/` folder that every build updates in place.

use std::path::{Path, PathBuf};

use crate::output::MARKER;

/// The prefix of serve's private output folder in the temp folder.
const FOLDER_PREFIX: &str = "lapa-serve-";

/// serve's private output folder, outside the site: `lapa-serve-PID` in the temp folder,
/// readable by this user only (drafts are built into it, and the temp folder is shared).
pub fn private() -> std::io::Result<PathBuf> {
    let temp = std::env::temp_dir();
    remove_stale(&temp);
    let dir = temp.join(format!("{FOLDER_PREFIX}{}", std::process::id()));
    if std::fs::symlink_metadata(&dir).is_ok() {
        // Left by an earlier process with this id, which is gone.
        std::fs::remove_dir_all(&dir)?;
    }
    // Made here, not found: a folder someone else made first is an error, not ours to use.
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(&dir)?;
    Ok(dir)
}

/// Remove the private folders of serve processes that were killed before they could.
fn remove_stale(temp: &Path) {
    // Only where a process's liveness can be seen; elsewhere a live server's folder is safe.
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(temp) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix(FOLDER_PREFIX)
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists() {
            continue;
        }
        if is_ours(&entry.path()) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Holds only the `site` folder that lapa's writer marked as its own.
fn is_ours(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries
        .flatten()
        .all(|e| e.file_name() == "site" && e.path().join(MARKER).is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_with_foreign_files_is_never_removed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("site")).unwrap();
        std::fs::write(dir.path().join("site").join(MARKER), "").unwrap();
        assert!(is_ours(dir.path()));
        std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        assert!(!is_ours(dir.path()));
    }
}
