//! What a WordPress item says of itself: its slug, language, translation group, date
//! and tags.

use crate::date::PageDate;
use crate::slug;

use super::html;
use super::wxr::Item;

/// `post_name` percent-decoded and made a lapa slug; the title's, or `ieraksts-ID`.
pub fn item_slug(item: &Item) -> String {
    let decoded = percent_encoding::percent_decode_str(&item.name).decode_utf8_lossy();
    let from_name = slug::slugify(&decoded);
    if !from_name.is_empty() {
        return cap(from_name);
    }
    let from_title = slug::slugify(&html::decode_entities(&item.title));
    if !from_title.is_empty() {
        return cap(from_title);
    }
    format!("ieraksts-{}", item.id)
}

/// Long slugs are cut at a hyphen so file names stay well within system limits.
pub fn cap(s: String) -> String {
    if s.len() <= 80 {
        return s;
    }
    let cut = s[..80].rfind('-').unwrap_or(80);
    s[..cut].to_string()
}

pub fn language(item: &Item) -> Option<String> {
    item.terms_in("language")
        .next()
        .map(|(nice, _)| nice.to_string())
}

pub fn translation_group(item: &Item) -> Option<String> {
    item.terms_in("post_translations")
        .next()
        .map(|(nice, _)| nice.to_string())
}

pub fn day_of(item: &Item) -> Option<String> {
    post_date(item).ok().map(|d| d[..10].to_string())
}

/// `post_date_gmt` as UTC, or `post_date` (WordPress's local time) without a zone.
pub fn post_date(item: &Item) -> Result<String, String> {
    let gmt = item.date_gmt.trim();
    let (text, zone) = if !gmt.is_empty() && !gmt.starts_with("0000") {
        (gmt, "Z")
    } else {
        (item.date.trim(), "")
    };
    let candidate = format!("{}{zone}", text.replacen(' ', "T", 1));
    match PageDate::parse(&candidate) {
        Ok(_) if candidate.len() >= 10 => Ok(candidate),
        _ => Err(format!(
            "its date `{}` is not a date WordPress writes (YYYY-MM-DD HH:MM:SS)",
            item.date
        )),
    }
}

/// Tags, and categories but the default one.
pub fn tags(item: &Item) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for domain in ["category", "post_tag"] {
        for (nice, name) in item.terms_in(domain) {
            let name = html::decode_entities(name);
            let default = domain == "category"
                && (matches!(nice, "uncategorized" | "nekategorizets" | "nekategorizeti")
                    || matches!(name.as_str(), "Uncategorized" | "Nekategorizēts"));
            if !default && !name.is_empty() && !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}
