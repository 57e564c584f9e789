//! Text files saved in another encoding than UTF-8: Windows-1257 (Baltic), which Latvian
//! Windows machines have long saved "plain text" in, is recognised and converted.

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
    if std::str::from_utf8(bytes).is_ok() || bytes.contains(&0) {
        return false;
    }
    let (text, had_errors) = WINDOWS_1257.decode_without_bom_handling(bytes);
    if had_errors {
        return false;
    }
    let (mut high, mut latvian) = (0usize, 0usize);
    for c in text.chars().filter(|c| !c.is_ascii()) {
        high += 1;
        if LATVIAN.contains(c) || "„”“–—…’«»".contains(c) {
            latvian += 1;
        }
    }
    latvian > 0 && latvian * 10 >= high * 8
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
}
