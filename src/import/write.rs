//! Writing a file the importer made: always a new file, never over one.

use std::io::Write;
use std::path::Path;

use crate::error::{Diagnostic, Diagnostics};
use crate::msg;

pub fn create_new(path: &Path, bytes: &[u8]) -> Result<(), Diagnostics> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| {
            Diagnostics::from(Diagnostic::new(parent, msg!("folder-uncreatable", why = e)))
        })?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| Diagnostics::from(Diagnostic::new(path, msg!("file-uncreatable", why = e))))?;
    f.write_all(bytes)
        .map_err(|e| Diagnostics::from(Diagnostic::new(path, msg!("file-unwritable", why = e))))
}
