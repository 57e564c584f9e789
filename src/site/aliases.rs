//! `aliases:`: a page's old paths, each of which becomes a small redirect page.

use crate::msg;

/// Where the redirect page of `alias` (as written in front matter) goes under the output
/// folder: `/2024/03/28/mentorings/` → `2024/03/28/mentorings/index.html`.
///
/// `Ok(None)` for a path with a query (`/?p=123`): a static host serves a file by path
/// alone, so no file can answer it. A `#fragment` is never sent to a server and is
/// dropped. `%XX` escapes are decoded, as a web server does before it looks for the file.
pub fn output_of(alias: &str) -> Result<Option<String>, String> {
    let alias = alias.trim();
    if alias.contains("://") || alias.starts_with("//") {
        return Err(msg!("alias-whole-address", alias = alias));
    }
    if !alias.starts_with('/') {
        return Err(msg!("alias-not-rooted", alias = alias));
    }
    let path = alias.split('#').next().unwrap_or(alias);
    if path.contains('?') {
        return Ok(None);
    }
    let decoded = percent_decode(path).ok_or_else(|| msg!("alias-bad-percent", alias = alias))?;
    let mut out = String::with_capacity(decoded.len() + 10);
    let segments: Vec<&str> = decoded[1..].split('/').collect();
    let last = segments.len() - 1;
    for (i, segment) in segments.iter().enumerate() {
        if *segment == ".." || *segment == "." {
            return Err(msg!("alias-dots", alias = alias, segment = segment));
        }
        if segment.chars().any(|c| c.is_control() || c == '\\') {
            return Err(msg!("alias-control", alias = alias));
        }
        if segment.is_empty() {
            if i == last {
                break;
            }
            return Err(msg!("alias-empty-part", alias = alias));
        }
        out.push_str(segment);
        if i < last {
            out.push('/');
        }
    }
    let file = if out.is_empty() || out.ends_with('/') {
        format!("{out}index.html")
    } else if out.ends_with(".html") || out.ends_with(".htm") {
        out
    } else {
        // `/old` is asked for as the folder `/old/` by every common static host.
        format!("{out}/index.html")
    };
    Ok(Some(file))
}

fn percent_decode(path: &str) -> Option<String> {
    if !path.contains('%') {
        return Some(path.to_string());
    }
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_files() {
        let f = |a: &str| output_of(a).unwrap();
        assert_eq!(
            f("/2024/03/28/mentorings/").as_deref(),
            Some("2024/03/28/mentorings/index.html")
        );
        assert_eq!(f("/old").as_deref(), Some("old/index.html"));
        assert_eq!(f("/old.html").as_deref(), Some("old.html"));
        assert_eq!(
            f("/m%C4%81c%C4%ABbas/").as_deref(),
            Some("mācības/index.html")
        );
        assert_eq!(f("/x/#top").as_deref(), Some("x/index.html"));
        assert_eq!(f("/").as_deref(), Some("index.html"));
        assert_eq!(f("/?p=123"), None);
        assert_eq!(f("/index.php?p=123"), None);
    }

    #[test]
    fn climbing_and_relative_paths_are_refused() {
        for bad in [
            "/../etc/",
            "/a/../../b/",
            "/a/%2e%2e/b/",
            "old/",
            "https://x.lv/old/",
            "//x.lv/old/",
            "/a//b/",
            "/a\\b/",
            "/a%ZZ/",
        ] {
            assert!(output_of(bad).is_err(), "{bad}");
        }
    }
}
