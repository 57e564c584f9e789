//! serve's private output folder: `lapa-serve-PID/` in the temp folder, outside the site,
//! holding one `site-N/` folder per build; old ones are deleted in the background.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::thread::JoinHandle;

use crate::output::MARKER;

/// The prefix of serve's private output folder in the temp folder.
const FOLDER_PREFIX: &str = "lapa-serve-";

/// serve's private output folder, outside the site: `lapa-serve-PID` in the temp folder.
pub fn private() -> std::io::Result<PathBuf> {
    let temp = std::env::temp_dir();
    remove_stale(&temp);
    let dir = temp.join(format!("{FOLDER_PREFIX}{}", std::process::id()));
    if dir.exists() {
        // Left by an earlier process with this id, which is gone.
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
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

/// Holds only `site-N` folders that lapa's writer marked as its own (or staging ones).
fn is_ours(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().all(|e| {
        let name = e.file_name().to_string_lossy().into_owned();
        let site = name.starts_with("site-") || name.starts_with(".site-");
        site && e.path().join(MARKER).is_file()
    })
}

/// Deletes old build folders on a thread of its own, so the next save's build never
/// waits for hundreds of MB to be deleted. Dropping it waits for the deletions to end.
pub struct Sweeper {
    folders: Option<Sender<PathBuf>>,
    thread: Option<JoinHandle<()>>,
}

impl Sweeper {
    /// Start the deleting thread (or delete in place, should it not start).
    pub fn start() -> Sweeper {
        let (tx, rx) = std::sync::mpsc::channel::<PathBuf>();
        let thread = std::thread::Builder::new()
            .name("lapa-sweeper".into())
            .spawn(move || {
                for dir in rx {
                    let _ = std::fs::remove_dir_all(dir);
                }
            });
        match thread {
            Ok(t) => Sweeper {
                folders: Some(tx),
                thread: Some(t),
            },
            Err(_) => Sweeper {
                folders: None,
                thread: None,
            },
        }
    }

    /// Delete `dir`, soon.
    pub fn remove(&self, dir: PathBuf) {
        match &self.folders {
            Some(tx) => {
                if let Err(unsent) = tx.send(dir) {
                    let _ = std::fs::remove_dir_all(unsent.0);
                }
            }
            None => {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
    }
}

impl Drop for Sweeper {
    fn drop(&mut self) {
        self.folders.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_with_foreign_files_is_never_removed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("site-1")).unwrap();
        std::fs::write(dir.path().join("site-1").join(MARKER), "").unwrap();
        assert!(is_ours(dir.path()));
        std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        assert!(!is_ours(dir.path()));
    }
}
