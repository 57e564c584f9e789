//! The files every stage hands on: what rendering and the search index make
//! ([`OutputFile`], [`CopiedFile`]), and the [`Sink`] that takes them as they are made.
//!
//! A leaf: it knows no other stage, so `render`, `search`, `output` and `build` can all
//! use these types without knowing each other.

use std::path::PathBuf;

use crate::error::Diagnostic;

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Its path under the output folder, with `/` separators.
    pub path: String,
    pub bytes: Vec<u8>,
    /// For a page that shows funding blocks, what its bytes passed the funding check
    /// for (`render::pages`: lapa's version and each block's code, statement, disclaimer
    /// and HTML, as one nonzero number); 0 for any other file. The output's record keeps
    /// it with the file's hash, so a later build finds these bytes checked for the same.
    pub checked: u64,
}

/// A file copied into the output as it is.
#[derive(Debug, Clone)]
pub struct CopiedFile {
    pub from: PathBuf,
    /// Its path under the output folder.
    pub to: String,
}

/// Takes each made file as soon as it is made (from any thread): a build writes it out
/// and lets it go, so the whole site is never in memory at once.
pub type Sink<'a> = dyn Fn(OutputFile) -> Result<(), Diagnostic> + Sync + 'a;

/// Whether the output already holds a page's bytes (its path, its bytes) as a build of
/// lapa put them there after they passed the funding check for the same blocks (its
/// [`OutputFile::checked`]): such a page is not read again. Only a build that keeps a
/// record of its output can say yes.
pub type Checked<'a> = dyn Fn(&str, &[u8], u64) -> bool + Sync + 'a;

/// The files `make` hands to its sink, in the order they came, and what it returns.
pub fn collected<T, E>(
    make: impl FnOnce(&Sink) -> Result<T, E>,
) -> Result<(Vec<OutputFile>, T), E> {
    // A channel takes files from every thread without a lock.
    let (files, received) = std::sync::mpsc::channel();
    let made = make(&|f| {
        // `received` lives until every file is in: a send cannot fail.
        let _ = files.send(f);
        Ok(())
    })?;
    Ok((received.try_iter().collect(), made))
}
