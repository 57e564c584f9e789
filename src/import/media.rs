//! Media: the export's uploads URLs become files copied next to the report.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::slug;

/// Where a post's media come from and go to.
pub struct Media<'a> {
    /// `https://skola.lv/wp-content/uploads/` and its `http://` twin.
    prefixes: Vec<String>,
    /// A copy of `wp-content/uploads`, when given.
    pub uploads: Option<&'a Path>,
}

/// One file a post uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    /// The file under `--uploads`.
    pub from: PathBuf,
    /// Its name next to the report.
    pub name: String,
}

/// The media of one post: the files to copy and the URLs that were missing.
#[derive(Debug, Default)]
pub struct PostMedia {
    pub copies: Vec<Planned>,
    pub missing: Vec<String>,
    /// Old URL → local name, so a file used twice is copied once.
    by_url: BTreeMap<String, String>,
}

impl<'a> Media<'a> {
    /// `base` is the export's `wp:base_site_url` (or blog URL).
    pub fn new(bases: &[&str], uploads: Option<&'a Path>) -> Media<'a> {
        let mut prefixes = Vec::new();
        for base in bases {
            let base = base.trim_end_matches('/');
            if base.is_empty() {
                continue;
            }
            let rest = base
                .strip_prefix("https://")
                .or_else(|| base.strip_prefix("http://"))
                .unwrap_or(base);
            let path = rest.find('/').map(|i| &rest[i..]).unwrap_or("");
            for p in [
                format!("https://{rest}/wp-content/uploads/"),
                format!("http://{rest}/wp-content/uploads/"),
                format!("//{rest}/wp-content/uploads/"),
                // Root-relative, as some themes and editors write them.
                format!("{path}/wp-content/uploads/"),
            ] {
                if !prefixes.contains(&p) {
                    prefixes.push(p);
                }
            }
        }
        // Longest first, so `https://` is not taken for `//`.
        prefixes.sort_by_key(|p| std::cmp::Reverse(p.len()));
        Media { prefixes, uploads }
    }

    /// The path under uploads of an uploads URL (`2024/03/foto.jpg`), percent-decoded.
    pub fn relative(&self, url: &str) -> Option<String> {
        let rest = self
            .prefixes
            .iter()
            .find_map(|p| url.strip_prefix(p.as_str()))?;
        let rest = rest.split(['?', '#']).next().unwrap_or(rest);
        let decoded = percent_encoding::percent_decode_str(rest).decode_utf8_lossy();
        let safe = decoded
            .split('/')
            .all(|part| !part.is_empty() && part != ".." && part != "." && !part.contains('\\'));
        safe.then(|| decoded.into_owned())
    }

    /// Rewrite every uploads URL in `text` to the local name it gets, planning the copy.
    /// Without `--uploads`, the text is unchanged.
    pub fn rewrite(
        &self,
        text: &str,
        post: &mut PostMedia,
        taken: &dyn Fn(&str) -> bool,
    ) -> String {
        if self.uploads.is_none() || self.prefixes.is_empty() {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        loop {
            let next = self
                .prefixes
                .iter()
                .filter_map(|p| first_match(rest, p))
                .min();
            let Some(start) = next else { break };
            // `//host/…` is also the tail of `https://host/…`: start at the scheme.
            // (A root-relative match inside an absolute URL cannot come first: the
            // absolute URL's own match starts earlier.)
            let start = ["https:", "http:"]
                .iter()
                .find(|s| start >= s.len() && rest[..start].ends_with(*s))
                .map(|s| start - s.len())
                .unwrap_or(start);
            out.push_str(&rest[..start]);
            let end = rest[start..]
                .find(|c: char| c.is_whitespace() || "\"'<>()[]|".contains(c))
                .map(|e| start + e)
                .unwrap_or(rest.len());
            let url = &rest[start..end];
            rest = &rest[end..];
            match self.local(url, post, taken) {
                Some(name) => out.push_str(&name),
                None => out.push_str(url),
            }
        }
        out.push_str(rest);
        out
    }

    /// The local name for one uploads URL; None (and the URL noted as missing) when the
    /// file is not under `--uploads`.
    pub fn local(
        &self,
        url: &str,
        post: &mut PostMedia,
        taken: &dyn Fn(&str) -> bool,
    ) -> Option<String> {
        let uploads = self.uploads?;
        if let Some(name) = post.by_url.get(url) {
            return Some(name.clone());
        }
        let rel = self.relative(url)?;
        let Some(from) = existing(uploads, &rel) else {
            if !post.missing.iter().any(|m| m == url) {
                post.missing.push(url.to_string());
            }
            return None;
        };
        let file = from.file_name()?.to_string_lossy().into_owned();
        let (stem, ext) = match file.rsplit_once('.') {
            Some((s, e)) => (s.to_string(), format!(".{}", e.to_ascii_lowercase())),
            None => (file.clone(), String::new()),
        };
        let stem = match slug::slugify(&stem) {
            s if s.is_empty() => "fails".to_string(),
            s => s,
        };
        let mut name = format!("{stem}{ext}");
        let mut n = 2;
        while taken(&name) || post.copies.iter().any(|c| c.name == name && c.from != from) {
            name = format!("{stem}-{n}{ext}");
            n += 1;
        }
        if !post.copies.iter().any(|c| c.name == name) {
            post.copies.push(Planned {
                from,
                name: name.clone(),
            });
        }
        post.by_url.insert(url.to_string(), name.clone());
        Some(name)
    }
}

/// Where `prefix` first starts a URL in `text`: a root-relative prefix counts only
/// where no host stands before it (`https://other.lv/wp-content/…` is another site's).
fn first_match(text: &str, prefix: &str) -> Option<usize> {
    let relative = prefix.starts_with('/') && !prefix.starts_with("//");
    let mut from = 0;
    while let Some(i) = text[from..].find(prefix) {
        let at = from + i;
        let before = text[..at].chars().next_back();
        let ok = !relative || !before.is_some_and(|c| c.is_alphanumeric() || ".-_:/%".contains(c));
        if ok {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// The file for `rel` under uploads: itself, or for WordPress's resized copies
/// (`foto-1024x768.jpg`, `foto-scaled.jpg`) the original when only that exists.
pub fn existing(uploads: &Path, rel: &str) -> Option<PathBuf> {
    let path = uploads.join(rel);
    if path.is_file() {
        return Some(path);
    }
    let original = original_name(rel)?;
    let path = uploads.join(original);
    path.is_file().then_some(path)
}

/// `2024/03/foto-1024x768.jpg` → `2024/03/foto.jpg`; `foto-scaled.jpg` → `foto.jpg`.
pub fn original_name(rel: &str) -> Option<String> {
    let (stem, ext) = rel.rsplit_once('.')?;
    if let Some(s) = stem.strip_suffix("-scaled") {
        return Some(format!("{s}.{ext}"));
    }
    let (base, size) = stem.rsplit_once('-')?;
    let (w, h) = size.split_once('x')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (digits(w) && digits(h)).then(|| format!("{base}.{ext}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resized_names_map_to_the_original() {
        assert_eq!(
            original_name("2024/03/foto-1024x768.jpg").as_deref(),
            Some("2024/03/foto.jpg")
        );
        assert_eq!(
            original_name("2024/03/foto-scaled.jpg").as_deref(),
            Some("2024/03/foto.jpg")
        );
        assert_eq!(original_name("2024/03/foto-diena.jpg"), None);
    }

    #[test]
    fn urls_are_rewritten_copied_once_and_missing_ones_noted() {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::create_dir_all(dir.path().join("2024/03")).expect("dirs");
        std::fs::write(dir.path().join("2024/03/Bērni klasē.jpg"), b"jpeg").expect("write");
        let media = Media::new(&["https://skola.lv"], Some(dir.path()));
        let mut post = PostMedia::default();
        let text = "<img src=\"https://skola.lv/wp-content/uploads/2024/03/B%C4%93rni%20klas%C4%93-300x200.jpg\"> <a href=\"http://skola.lv/wp-content/uploads/2024/03/B%C4%93rni%20klas%C4%93.jpg\">x</a> <img src=\"https://skola.lv/wp-content/uploads/2020/01/nav.jpg\">";
        let out = media.rewrite(text, &mut post, &|_| false);
        assert_eq!(
            out,
            "<img src=\"berni-klase.jpg\"> <a href=\"berni-klase.jpg\">x</a> <img src=\"https://skola.lv/wp-content/uploads/2020/01/nav.jpg\">"
        );
        assert_eq!(post.copies.len(), 1);
        assert_eq!(
            post.missing,
            ["https://skola.lv/wp-content/uploads/2020/01/nav.jpg"]
        );
    }

    #[test]
    fn root_relative_urls_are_this_sites_and_other_sites_are_not() {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::create_dir_all(dir.path().join("2024")).expect("dirs");
        std::fs::write(dir.path().join("2024/a.jpg"), b"jpeg").expect("write");
        let media = Media::new(&["https://skola.lv"], Some(dir.path()));
        let mut post = PostMedia::default();
        let out = media.rewrite(
            "<img src=\"/wp-content/uploads/2024/a.jpg\"> <img src=\"https://cita.lv/wp-content/uploads/2024/a.jpg\">",
            &mut post,
            &|_| false,
        );
        assert_eq!(
            out,
            "<img src=\"a.jpg\"> <img src=\"https://cita.lv/wp-content/uploads/2024/a.jpg\">"
        );
    }

    #[test]
    fn paths_leaving_uploads_are_not_followed() {
        let media = Media::new(&["https://skola.lv"], None);
        assert_eq!(
            media.relative("https://skola.lv/wp-content/uploads/../../etc/passwd"),
            None
        );
        assert_eq!(
            media.relative("https://skola.lv/wp-content/uploads/2024/%2e%2e/x.jpg"),
            None
        );
    }
}
