//! Every YAML parse in lapa goes through here.
//!
//! `serde_yaml` is archived upstream; keeping it behind these two functions means a
//! replacement touches one file.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::Diagnostic;

/// Parse `text` (the whole of `file`, or a part of it) into `T`.
///
/// For an untyped value, ask for `serde_json::Value`: the rest of lapa never sees a
/// YAML-specific type.
///
/// Errors carry the line and column the parser reports, counted within `text`; a
/// caller that parsed a part of a file shifts them with [`Diagnostic::shifted`].
pub fn from_str<T: DeserializeOwned>(text: &str, file: &Path) -> Result<T, Diagnostic> {
    serde_yaml::from_str(text).map_err(|e| to_diagnostic(&e, file))
}

fn to_diagnostic(e: &serde_yaml::Error, file: &Path) -> Diagnostic {
    let message = readable(&e.to_string());
    let d = Diagnostic::new(file, message);
    match e.location() {
        Some(loc) => d.at(loc.line(), Some(loc.column())),
        None => d,
    }
}

/// serde_yaml appends " at line L column C" to its messages; the diagnostic has the
/// place already, so drop it.
fn readable(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn broken_yaml_has_a_place() {
        let err =
            from_str::<BTreeMap<String, String>>("a: b\nc: [d\n", Path::new("x.yaml")).unwrap_err();
        assert_eq!(err.file, Path::new("x.yaml"));
        assert!(err.line.is_some(), "{err}");
        assert!(!err.message.contains(" at line "), "{err}");
    }
}
