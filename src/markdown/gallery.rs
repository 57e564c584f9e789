//! The gallery shortcut: a fenced block whose info string is `gallery`, one photo a line
//! (`foto.jpg Alt text`, optionally `| caption`), becomes a grid of `<figure>`s.
//! A teacher writes no HTML, and GitHub's preview still shows the list as text.

use super::{BodyImage, LinkResolver, Rendered, images, rewrite};
use crate::escape;

/// The info string that marks a fenced block as a gallery.
pub const INFO: &str = "gallery";

/// One line of a gallery block, split.
#[derive(Debug, PartialEq, Eq)]
struct GalleryLine<'a> {
    src: &'a str,
    alt: &'a str,
    caption: &'a str,
}

/// `foto.jpg Alt text | Caption`; `<mana bilde.jpg> Alt` for a name with spaces.
fn parse(line: &str) -> Option<GalleryLine<'_>> {
    let line = line.trim();
    if line.is_empty() {
        return None;
    }
    let (src, rest) = match line.strip_prefix('<') {
        Some(quoted) => quoted.split_once('>')?,
        None => line.split_once(char::is_whitespace).unwrap_or((line, "")),
    };
    let (alt, caption) = rest.split_once('|').unwrap_or((rest, ""));
    Some(GalleryLine {
        src: src.trim(),
        alt: alt.trim(),
        caption: caption.trim(),
    })
}

/// The HTML of a gallery whose text is `text`, its first line being body line
/// `first_line`, and its images with their spans in that HTML.
pub(super) fn render(
    text: &str,
    first_line: usize,
    dir: &str,
    lang: &str,
    links: &dyn LinkResolver,
    out: &mut Rendered,
) -> (String, Vec<BodyImage>) {
    let mut html = String::from("<div class=\"gallery\">\n");
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some(item) = parse(line) else {
            continue;
        };
        let line = first_line + i;
        let (url, rel) = rewrite(item.src, dir, lang, links, line, out);
        if item.alt.is_empty() {
            out.images_without_alt.push(line);
        }
        html.push_str("<figure class=\"gallery__item\">");
        let tag = images::img_tag(&url, item.alt, "");
        found.push(BodyImage {
            line,
            rel,
            url: url.to_string(),
            alt: item.alt.to_string(),
            title: String::new(),
            span: html.len()..html.len() + tag.len(),
            in_gallery: true,
        });
        html.push_str(&tag);
        if !item.caption.is_empty() {
            html.push_str(&format!(
                "<figcaption>{}</figcaption>",
                escape::html(item.caption)
            ));
        }
        html.push_str("</figure>\n");
    }
    html.push_str("</div>\n");
    (html, found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_split_into_file_alt_and_caption() {
        let item = |src, alt, caption| Some(GalleryLine { src, alt, caption });
        assert_eq!(
            parse("foto1.jpg Skolotāji pie tāfeles"),
            item("foto1.jpg", "Skolotāji pie tāfeles", "")
        );
        assert_eq!(
            parse("  foto2.jpg   Klase | Pirmā diena "),
            item("foto2.jpg", "Klase", "Pirmā diena")
        );
        assert_eq!(
            parse("<mana bilde.jpg> Alt"),
            item("mana bilde.jpg", "Alt", "")
        );
        assert_eq!(parse("foto3.jpg"), item("foto3.jpg", "", ""));
        assert_eq!(parse("   "), None);
        assert_eq!(parse("<bez beigām.jpg Alt"), None);
    }
}
