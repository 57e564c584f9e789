//! One claim per output path: two things that would be written to one file are an error
//! naming both, before anything is written.
//!
//! Paths are compared as a case-insensitive file system compares them (Windows, macOS):
//! `NEWS/x/index.html` and `news/x/index.html` are one file there, and a segment's
//! trailing spaces and dots are dropped by Windows. A school may deploy to either.

use std::collections::HashMap;
use std::path::PathBuf;

/// Who claims an output path, in words for a message.
#[derive(Debug, Clone)]
pub struct Claimant {
    /// The file (relative to the site's root) that makes the claim.
    pub file: PathBuf,
    /// Its line, when the claim is a front matter key's.
    pub line: Option<usize>,
    /// What is written there, e.g. "the page", "the alias /old/".
    pub what: String,
}

/// A second claim on a path: the two claimants and the path as the first wrote it.
#[derive(Debug)]
pub struct Clash {
    pub first: Claimant,
    pub second: Claimant,
    pub path: String,
}

/// Every output path claimed so far.
#[derive(Debug, Default)]
pub struct Claims {
    by_key: HashMap<String, (String, Claimant)>,
}

impl Claims {
    /// Claim `path` (under the output folder) for `who`; a path already claimed is a clash.
    pub fn claim(&mut self, path: &str, who: Claimant) -> Result<(), Box<Clash>> {
        self.claim_keyed(Keyed::of(path), who)
    }

    /// [`Claims::claim`] of a path whose key was worked out before (on another core).
    pub fn claim_keyed(&mut self, path: Keyed, who: Claimant) -> Result<(), Box<Clash>> {
        let Keyed { path, key } = path;
        match self.by_key.entry(key) {
            std::collections::hash_map::Entry::Occupied(e) => {
                let (first_path, first) = e.get();
                Err(Box::new(Clash {
                    first: first.clone(),
                    second: who,
                    path: first_path.clone(),
                }))
            }
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert((path, who));
                Ok(())
            }
        }
    }
}

/// An output path and the form a case-insensitive file system finds it under.
#[derive(Debug)]
pub struct Keyed {
    path: String,
    key: String,
}

impl Keyed {
    pub fn of(path: &str) -> Keyed {
        Keyed {
            path: path.to_string(),
            key: key(path),
        }
    }
}

/// The form of `path` under which a case-insensitive file system finds it.
fn key(path: &str) -> String {
    let mut key = String::with_capacity(path.len());
    for (i, segment) in path.split('/').enumerate() {
        if i > 0 {
            key.push('/');
        }
        key.extend(
            segment
                .trim_end_matches([' ', '.'])
                .chars()
                .flat_map(char::to_lowercase),
        );
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who(file: &str) -> Claimant {
        Claimant {
            file: file.into(),
            line: None,
            what: "the page".into(),
        }
    }

    #[test]
    fn a_path_is_claimed_once_whatever_its_case() {
        let mut claims = Claims::default();
        claims.claim("news/x/index.html", who("a.md")).unwrap();
        let clash = claims.claim("NEWS/X/index.html", who("b.md")).unwrap_err();
        assert_eq!(clash.first.file, PathBuf::from("a.md"));
        assert_eq!(clash.path, "news/x/index.html");
        assert!(claims.claim("news /x/index.html", who("c.md")).is_err());
        claims.claim("news/y/index.html", who("d.md")).unwrap();
    }
}
