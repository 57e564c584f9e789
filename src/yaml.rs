//! Every YAML parse in lapa goes through here.
//!
//! `serde_yaml` is archived upstream; keeping it behind these functions means a
//! replacement touches one file.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::Diagnostic;
use crate::msg;

mod explain;

pub use explain::{Found, nearest};

/// A mistake a hand-written YAML text has even when it reads (a `#` after a Latvian
/// quote mark cuts the value short; a field written twice keeps only its last value),
/// or the mistake that makes it unreadable, on the line to change (counted within
/// `text`; `offset` is what turns such a line into the file's, for lines the message
/// names).
pub fn mistake(text: &str, offset: usize) -> Option<Found> {
    explain::syntax(text, None).or_else(|| explain::duplicate(text, offset))
}

/// Lines that read, but probably not as meant: `tags: a, b` is one tag (one warning per
/// line), for the fields of `list_fields`.
pub fn warnings(text: &str, list_fields: &[&str]) -> Vec<Found> {
    explain::warnings(text, list_fields)
}

/// Where a field that belongs elsewhere is: `(line, indent)` of `key`'s first line,
/// the field it is indented under, and the field-block just above it.
pub fn placement<'t>(
    text: &'t str,
    key: &str,
) -> Option<(usize, usize, Option<&'t str>, Option<&'t str>)> {
    let (line, indent) = explain::line_of_key(text, key)?;
    Some((
        line,
        indent,
        explain::parent_of(text, line),
        explain::block_above(text, line),
    ))
}

/// Parse `text` (the whole of `file`, or a part of it) into `T`.
///
/// For an untyped value, ask for `serde_json::Value`: the rest of lapa never sees a
/// YAML-specific type.
///
/// Errors carry the line and column the parser reports, counted within `text`; a
/// caller that parsed a part of a file shifts them with [`Diagnostic::shifted`].
pub fn from_str<T: DeserializeOwned>(text: &str, file: &Path) -> Result<T, Diagnostic> {
    // An alias (`*name`) needs an anchor (`&name`): text without both cannot grow.
    if text.contains('*') && text.contains('&') {
        check_expanded_size(text, file)?;
    }
    serde_yaml::from_str(text).map_err(|e| to_diagnostic(&e, text, file))
}

/// [`from_str`] for YAML built into lapa (its message catalogues, its programmes), which
/// unit tests read: lapa's own text is not checked for aliases that grow it.
pub fn from_builtin_str<T: DeserializeOwned>(
    text: &'static str,
    file: &Path,
) -> Result<T, Diagnostic> {
    serde_yaml::from_str(text).map_err(|e| to_diagnostic(&e, text, file))
}

/// How much bigger than its text a YAML block may get through aliases: a few repeated
/// lists are fine; a 100 KB block that expands to 400 MB (one long anchor used thousands
/// of times) is refused before any of it is built.
const EXPANSION_FACTOR: usize = 4;
const EXPANSION_ALLOWANCE: usize = 64 * 1024;

/// Walk `text`'s values without keeping them, counting what they would take; refuse it
/// once that passes [`EXPANSION_FACTOR`] times its size. Other problems are left to the
/// real parse, so that its messages are the usual ones.
fn check_expanded_size(text: &str, file: &Path) -> Result<(), Diagnostic> {
    let limit = text.len() * EXPANSION_FACTOR + EXPANSION_ALLOWANCE;
    let left = std::cell::Cell::new(limit);
    let walked = serde::de::DeserializeSeed::deserialize(
        size::Size { left: &left },
        serde_yaml::Deserializer::from_str(text),
    );
    match walked {
        Err(e) if e.to_string().contains(size::TOO_BIG) => {
            Err(Diagnostic::new(file, msg!("yaml-aliases", factor = EXPANSION_FACTOR)).at(1, None))
        }
        _ => Ok(()),
    }
}

mod size {
    //! A value's size, counted as it is read and never built.

    use std::cell::Cell;
    use std::fmt;

    use serde::de::{
        self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess,
        Visitor,
    };

    pub const TOO_BIG: &str = "lapa: expanded past the limit"; // not a message: the parser's signal, never shown

    #[derive(Clone, Copy)]
    pub struct Size<'c> {
        pub left: &'c Cell<usize>,
    }

    impl Size<'_> {
        fn take<E: de::Error>(self, n: usize) -> Result<(), E> {
            match self.left.get().checked_sub(n + 1) {
                Some(left) => {
                    self.left.set(left);
                    Ok(())
                }
                None => Err(E::custom(TOO_BIG)),
            }
        }
    }

    impl<'de> DeserializeSeed<'de> for Size<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for Size<'_> {
        type Value = ();
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("any YAML value")
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
            self.take(1)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
            self.take(8)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
            self.take(8)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
            self.take(8)
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
            self.take(v.len())
        }
        fn visit_unit<E: de::Error>(self) -> Result<(), E> {
            self.take(0)
        }
        fn visit_none<E: de::Error>(self) -> Result<(), E> {
            self.take(0)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            self.deserialize(d)
        }
        fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            self.deserialize(d)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            self.take(0)?;
            while seq.next_element_seed(self)?.is_some() {}
            Ok(())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            self.take(0)?;
            while map.next_entry_seed(self, self)?.is_some() {}
            Ok(())
        }
        fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
            // A tagged value (`!tag value`): the tag, then the value.
            let ((), variant) = data.variant_seed(self)?;
            variant.newtype_variant_seed(self)
        }
    }
}

/// The parser's error as a teacher can act on it: a mistake lapa recognises on the line
/// to change, else the parser's words. An error about the data (an unknown or missing
/// field, a wrong type) keeps serde's words for the caller, which knows the fields.
fn to_diagnostic(e: &serde_yaml::Error, text: &str, file: &Path) -> Diagnostic {
    let message = readable(&e.to_string());
    // serde_yaml names where in the data a field's error is (`mobility: unknown field …`).
    let data_error = |m: &str| {
        [
            "unknown field",
            "duplicate field",
            "missing field",
            "invalid ",
        ]
        .iter()
        .any(|p| m.starts_with(p))
    };
    let message = match message.split_once(": ") {
        Some((path, rest)) if !data_error(&message) && data_error(rest) && !path.contains(' ') => {
            rest.to_string()
        }
        _ => message,
    };
    let about_data = data_error(&message);
    if !about_data && let Some(found) = explain::syntax(text, e.location().map(|l| l.line())) {
        return Diagnostic::new(file, found.message).at(found.line, None);
    }
    let message = if about_data {
        message
    } else {
        msg!("yaml-unreadable", detail = message)
    };
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
    fn aliases_may_not_blow_a_small_text_up() {
        let long = "x".repeat(10_000);
        let mut text = format!("a: &big \"{long}\"\nb: [");
        text.push_str(&vec!["*big"; 200].join(", "));
        text.push_str("]\n");
        let err = from_str::<serde_json::Value>(&text, Path::new("x.md")).unwrap_err();
        assert!(err.message.contains("aliases"), "{err}");
        // A few repeats of a short list stay fine.
        let small = "a: &t [x, y]\nb: *t\nc: *t\n";
        assert!(from_str::<serde_json::Value>(small, Path::new("x.md")).is_ok());
    }

    #[test]
    fn broken_yaml_has_a_place() {
        let err =
            from_str::<BTreeMap<String, String>>("a: b\nc: [d\n", Path::new("x.yaml")).unwrap_err();
        assert_eq!(err.file, Path::new("x.yaml"));
        assert!(err.line.is_some(), "{err}");
        assert!(!err.message.contains(" at line "), "{err}");
    }
}
