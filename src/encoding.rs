//! Text files saved in another encoding than UTF-8: Windows-1257 (Baltic), which Latvian
//! Windows machines have long saved "plain text" in, is recognised and converted.

use std::io::Read;
use std::path::{Path, PathBuf};

use encoding_rs::WINDOWS_1257;

use crate::error::Diagnostic;
use crate::msg;

/// Latvian letters, as Windows-1257 encodes them in its upper half.
const LATVIAN: &str = "āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ";

/// Whether `bytes`, not UTF-8, read as Windows-1257 text with Latvian letters: every
/// byte above 127 decodes, and most of them to Latvian letters or the quote marks and
/// dashes a word processor puts in (so a photo or a Word document is not taken for it).
pub fn is_windows_1257(bytes: &[u8]) -> bool {
    if std::str::from_utf8(bytes).is_ok() {
        return false;
    }
    let mut tally = Tally::default();
    tally.add(bytes);
    tally.is_latvian()
}

/// [`is_windows_1257`] for a file too large to hold: `input` is read a piece at a time.
pub fn reads_as_windows_1257(mut input: impl Read) -> std::io::Result<bool> {
    let mut buf = vec![0u8; 1 << 16];
    let mut tally = Tally::default();
    // The end of a UTF-8 character cut by the piece's end, or None once it is not UTF-8.
    let mut unfinished: Option<Vec<u8>> = Some(Vec::new());
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let piece = &buf[..n];
        tally.add(piece);
        if let Some(pending) = &mut unfinished {
            pending.extend_from_slice(piece);
            match std::str::from_utf8(pending) {
                Ok(_) => pending.clear(),
                Err(e) if e.error_len().is_none() => {
                    let rest = pending.split_off(e.valid_up_to());
                    *pending = rest;
                }
                Err(_) => unfinished = None,
            }
        }
    }
    let utf8 = unfinished.is_some_and(|pending| pending.is_empty());
    Ok(!utf8 && tally.is_latvian())
}

/// The bytes above 127 seen so far, read as Windows-1257 (one byte, one letter, so
/// pieces of a file can be added one after another).
#[derive(Default)]
struct Tally {
    high: usize,
    latvian: usize,
    /// A zero byte or a byte Windows-1257 leaves undefined: not text in it.
    not_text: bool,
}

impl Tally {
    fn add(&mut self, bytes: &[u8]) {
        if bytes.contains(&0) {
            self.not_text = true;
        }
        let (text, had_errors) = WINDOWS_1257.decode_without_bom_handling(bytes);
        if had_errors {
            self.not_text = true;
        }
        for c in text.chars().filter(|c| !c.is_ascii()) {
            self.high += 1;
            if LATVIAN.contains(c) || "„”“–—…’«»".contains(c) {
                self.latvian += 1;
            }
        }
    }

    fn is_latvian(&self) -> bool {
        !self.not_text && self.latvian > 0 && self.latvian * 10 >= self.high * 8
    }
}

/// A reader of Windows-1257 text that gives it as UTF-8, a piece at a time.
pub struct Windows1257Reader<R> {
    input: R,
    decoded: Vec<u8>,
    at: usize,
}

impl<R: Read> Windows1257Reader<R> {
    pub fn new(input: R) -> Self {
        Windows1257Reader {
            input,
            decoded: Vec::new(),
            at: 0,
        }
    }
}

impl<R: Read> Read for Windows1257Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.at == self.decoded.len() {
            let mut raw = [0u8; 1 << 14];
            let n = self.input.read(&mut raw)?;
            if n == 0 {
                return Ok(0);
            }
            // One byte is one letter: a piece decodes on its own.
            self.decoded = decode_windows_1257(&raw[..n]).into_bytes();
            self.at = 0;
        }
        let n = buf.len().min(self.decoded.len() - self.at);
        buf[..n].copy_from_slice(&self.decoded[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// Where [`fix_file`] keeps the original: a hidden file beside it (never published).
pub fn backup_of(file: &Path) -> PathBuf {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    file.with_file_name(format!(".{name}.orig"))
}

/// The text of Windows-1257 `bytes` as UTF-8.
pub fn decode_windows_1257(bytes: &[u8]) -> String {
    WINDOWS_1257
        .decode_without_bom_handling(bytes)
        .0
        .into_owned()
}

/// Convert `file` from Windows-1257 to UTF-8 in place, keeping the original at
/// [`backup_of`]; refuse a file that is UTF-8 already or that is not Latvian
/// Windows-1257 text. Returns the encoding it was in.
pub fn fix_file(file: &Path) -> Result<&'static str, crate::error::Diagnostics> {
    let fail = |message: String| Diagnostic::new(file, message);
    let bytes = std::fs::read(file).map_err(|e| fail(msg!("file-unreadable", why = e)))?;
    if std::str::from_utf8(&bytes).is_ok() {
        return Err(fail(msg!("fix-encoding-already-utf8")).into());
    }
    if !is_windows_1257(&bytes) {
        return Err(fail(msg!("fix-encoding-unknown")).into());
    }
    let backup = backup_of(file);
    let text = decode_windows_1257(&bytes);
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&backup)
        .and_then(|mut f| std::io::Write::write_all(&mut f, &bytes));
    if let Err(e) = written {
        return Err(fail(msg!(
            "fix-encoding-no-backup",
            backup = backup.display(),
            why = e
        ))
        .into());
    }
    // Written beside it and renamed over it, so the file is never half converted.
    let temporary = file.with_file_name(format!(
        ".{}.lapa-utf8",
        file.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default()
    ));
    std::fs::write(&temporary, text.as_bytes())
        .and_then(|()| std::fs::rename(&temporary, file))
        .map_err(|e| {
            let _ = std::fs::remove_file(&temporary);
            fail(msg!("file-unwritable", why = e))
        })?;
    Ok("Windows-1257")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latvian_windows_1257_is_recognised() {
        let (bytes, _, _) =
            WINDOWS_1257.encode("---\ntitle: Mācību vizīte Budapeštā\n---\nŠodien ļoti jauki.\n");
        assert!(is_windows_1257(&bytes));
        assert!(!is_windows_1257("Mācību vizīte".as_bytes()));
        // A JPEG's start is not text.
        assert!(!is_windows_1257(&[
            0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, b'J', b'F'
        ]));
    }

    #[test]
    fn a_long_file_is_told_and_converted_a_piece_at_a_time() {
        // Longer than one piece, with a two-byte letter across a piece's end.
        let text = format!(
            "{}ā{}",
            "a".repeat((1 << 16) - 1),
            "Rīgā, Liepājā. ".repeat(5000)
        );
        assert!(!reads_as_windows_1257(text.as_bytes()).expect("read"));
        let (bytes, _, _) = WINDOWS_1257.encode(&text);
        assert!(reads_as_windows_1257(&bytes[..]).expect("read"));
        let mut back = String::new();
        Windows1257Reader::new(&bytes[..])
            .read_to_string(&mut back)
            .expect("read");
        assert_eq!(back, text);
        // UTF-8 broken in one place is not taken for Windows-1257.
        let mut broken = text.clone().into_bytes();
        broken[10] = 0xff;
        assert!(!reads_as_windows_1257(&broken[..]).expect("read"));
    }
}
