//! `<picture>` markup for a processed photo, and body HTML with lapa's own `<img>` tags
//! replaced by it.

use super::{Photos, ProcessedPhoto};
use crate::escape;
use crate::markdown::Rendered;

/// `sizes` of a picture in the text column: the default theme's column is 43rem wide on
/// screens from 46rem; narrower screens give it the whole width. A hint for the browser's
/// choice of file: if a theme's column differs, pictures still fit, only the bytes differ.
pub const BODY_SIZES: &str = "(min-width: 46rem) 43rem, 100vw";
/// `sizes` of a picture in a gallery grid (about three a row on a wide screen, two on a phone).
pub const GALLERY_SIZES: &str = "(min-width: 46rem) 14rem, 50vw";

/// Where a picture goes: the layout's `sizes`, and whether it may wait until scrolled near.
#[derive(Debug, Clone, Copy)]
pub struct Placement<'a> {
    pub sizes: &'a str,
    /// Below the fold: `loading="lazy"`.
    pub lazy: bool,
}

/// `srcset` of a photo's variants in WebP (`webp`) or in its fallback format.
pub fn srcset(photo: &ProcessedPhoto, webp: bool) -> String {
    photo
        .variants
        .iter()
        .map(|v| {
            let file = if webp { &v.webp } else { &v.fallback };
            format!("{} {}w", file.url, v.width)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The `<picture>` of `photo`: WebP for browsers that take it, JPEG (or PNG) for the rest,
/// with `width` and `height` so the page does not jump while it loads.
pub fn picture(photo: &ProcessedPhoto, alt: &str, title: &str, placement: Placement) -> String {
    let sizes = escape::html(placement.sizes);
    let (src, width, height) = match (photo.default_variant(), photo.widest()) {
        (Some(d), Some(w)) => (d.fallback.url.as_str(), w.width, w.height),
        _ => ("", photo.width, photo.height),
    };
    let mut html = format!(
        "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{sizes}\"><img src=\"{}\" srcset=\"{}\" sizes=\"{sizes}\" width=\"{width}\" height=\"{height}\" alt=\"{}\"",
        escape::html(&srcset(photo, true)),
        escape::html(src),
        escape::html(&srcset(photo, false)),
        escape::html(alt),
    );
    if !title.is_empty() {
        html.push_str(&format!(" title=\"{}\"", escape::html(title)));
    }
    if placement.lazy {
        html.push_str(" loading=\"lazy\"");
    }
    html.push_str(" decoding=\"async\"></picture>");
    html
}

/// `body`'s HTML with each processed photo as a `<picture>`. The first image of the body
/// loads at once (it may be in view when the page opens); later ones load lazily.
pub fn rewrite_body(body: &Rendered, photos: &Photos) -> String {
    let html = pictures(body, photos);
    if photos.withheld_links.is_empty() {
        return html;
    }
    // Links to an original that is not published lead to its widest version.
    let mut html = html;
    for (from, to) in &photos.withheld_links {
        let from = format!("href=\"{}\"", escape::html(from));
        if html.contains(&from) {
            html = html.replace(&from, &format!("href=\"{}\"", escape::html(to)));
        }
    }
    html
}

fn pictures(body: &Rendered, photos: &Photos) -> String {
    if photos.is_empty() || body.images.is_empty() {
        return body.html.clone();
    }
    let mut out = String::with_capacity(body.html.len() + body.images.len() * 512);
    let mut done = 0;
    for (i, image) in body.images.iter().enumerate() {
        let Some(photo) = image.rel.as_deref().and_then(|rel| photos.get(rel)) else {
            continue;
        };
        let (start, end) = (image.span.start, image.span.end);
        let (Some(before), true) = (body.html.get(done..start), body.html.is_char_boundary(end))
        else {
            continue;
        };
        out.push_str(before);
        let sizes = if image.in_gallery {
            GALLERY_SIZES
        } else {
            BODY_SIZES
        };
        let lazy = i > 0;
        out.push_str(&picture(
            photo,
            &image.alt,
            &image.title,
            Placement { sizes, lazy },
        ));
        done = end;
    }
    out.push_str(body.html.get(done..).unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::{Fallback, Variant, VariantFile};
    use crate::markdown::BodyImage;

    fn photo() -> ProcessedPhoto {
        let file = |w: u32, ext: &str| VariantFile {
            cached: format!("/cache/{w}.{ext}").into(),
            output: format!("news/mana bilde-{w}.{ext}"),
            url: format!("/news/mana%20bilde-{w}.{ext}"),
        };
        ProcessedPhoto {
            width: 3000,
            height: 4000,
            fallback: Fallback::Jpeg,
            variants: [(480, 640), (960, 1280), (1600, 2133)]
                .iter()
                .map(|&(width, height)| Variant {
                    width,
                    height,
                    webp: file(width, "webp"),
                    fallback: file(width, "jpg"),
                })
                .collect(),
        }
    }

    #[test]
    fn a_picture_offers_every_width_in_both_formats() {
        let html = picture(
            &photo(),
            "Skolotāji \"pie\" tāfeles",
            "",
            Placement {
                sizes: BODY_SIZES,
                lazy: true,
            },
        );
        assert_eq!(
            html,
            "<picture><source type=\"image/webp\" srcset=\"/news/mana%20bilde-480.webp 480w, /news/mana%20bilde-960.webp 960w, /news/mana%20bilde-1600.webp 1600w\" sizes=\"(min-width: 46rem) 43rem, 100vw\">\
             <img src=\"/news/mana%20bilde-960.jpg\" srcset=\"/news/mana%20bilde-480.jpg 480w, /news/mana%20bilde-960.jpg 960w, /news/mana%20bilde-1600.jpg 1600w\" sizes=\"(min-width: 46rem) 43rem, 100vw\" width=\"1600\" height=\"2133\" alt=\"Skolotāji &quot;pie&quot; tāfeles\" loading=\"lazy\" decoding=\"async\"></picture>"
        );
    }

    #[test]
    fn only_the_first_body_image_loads_at_once() {
        let mut photos = Photos::default();
        photos.by_rel.insert("news/a.jpg".into(), photo());
        let html = "<p><img src=\"/news/a.jpg\" alt=\"A\" /> <img src=\"/x.gif\" alt=\"\" /> <img src=\"/news/a.jpg\" alt=\"B\" /></p>";
        let image = |span: std::ops::Range<usize>, rel: Option<&str>| BodyImage {
            line: 1,
            rel: rel.map(String::from),
            url: String::new(),
            alt: html[span.clone()]
                .split("alt=\"")
                .nth(1)
                .unwrap_or("")
                .split('"')
                .next()
                .unwrap_or("")
                .to_string(),
            title: String::new(),
            span,
            in_gallery: false,
        };
        let spans: Vec<std::ops::Range<usize>> = html
            .match_indices("<img")
            .map(|(s, _)| s..s + html[s..].find("/>").unwrap() + 2)
            .collect();
        let body = Rendered {
            html: html.to_string(),
            images: vec![
                image(spans[0].clone(), Some("news/a.jpg")),
                image(spans[1].clone(), None),
                image(spans[2].clone(), Some("news/a.jpg")),
            ],
            ..Rendered::default()
        };
        let out = rewrite_body(&body, &photos);
        assert_eq!(out.matches("<picture>").count(), 2, "{out}");
        assert!(out.contains("<img src=\"/x.gif\" alt=\"\" />"), "{out}");
        let (first, second) = out.split_at(out.find("</picture>").unwrap_or(0));
        assert!(
            !first.contains("loading=\"lazy\"") && first.contains("alt=\"A\""),
            "{out}"
        );
        assert!(second.contains("alt=\"B\" loading=\"lazy\""), "{out}");
        assert!(
            out.starts_with("<p><picture>") && out.ends_with("</picture></p>"),
            "{out}"
        );
    }
}
