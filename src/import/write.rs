//! Writing a file the importer made: always a new file, never over one.

use std::io::Write;
use std::path::Path;

use crate::error::{Diagnostic, Diagnostics};

pub fn create_new(path: &Path, bytes: &[u8]) -> Result<(), Diagnostics> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| {
            Diagnostics::from(Diagnostic::new(
                parent,
                format!("cannot create this folder: {e}"),
            ))
        })?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            Diagnostics::from(Diagnostic::new(
                path,
                format!("cannot create this file: {e}"),
            ))
        })?;
    f.write_all(bytes).map_err(|e| {
        Diagnostics::from(Diagnostic::new(
            path,
            format!("cannot write this file: {e}"),
        ))
    })
}
