//! Annex IX of Regulation (EU) 2021/1060: where other logos are shown beside the EU
//! emblem, the emblem is at least as large, in height or width, as the largest of them.
//!
//! What a page's HTML tells: the `<img>` and `<svg>` elements that share the funding
//! block's container (the element a template put the block in, or the block itself when
//! that is the page's `<main>`, `<article>` or `<body>`, where photos would pass for logos),
//! with their `width` and `height` attributes in pixels. A logo sized by CSS, by a
//! percentage, or placed elsewhere on the page is not seen; photos (in `<picture>` or
//! `<figure>`) are not logos.

use html5gum::{Token, Tokenizer};

/// A logo drawn larger than the emblem in both height and width.
#[derive(Debug, Clone, PartialEq)]
pub struct LargerLogo {
    /// The logo's start tag as a reader of the template would find it, e.g. `<img src="/logo.png">`.
    pub logo: String,
    pub width: f64,
    pub height: f64,
    pub emblem_width: f64,
    pub emblem_height: f64,
}

/// Elements that never have an end tag.
const VOID: &[&[u8]] = &[
    b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta",
    b"source", b"track", b"wbr",
];

/// Containers too wide to count as "beside the emblem".
const WIDE: &[&[u8]] = &[b"html", b"body", b"main", b"article"];

/// An open element: what has been seen inside it so far. A container of funding blocks
/// judges its logos when it closes; any other element hands them to its parent.
struct OpenElement {
    name: Vec<u8>,
    container: bool,
    emblem: Option<(f64, f64)>,
    logos: Vec<(String, f64, f64)>,
}

impl OpenElement {
    fn new(name: Vec<u8>) -> OpenElement {
        OpenElement {
            name,
            container: false,
            emblem: None,
            logos: Vec::new(),
        }
    }
}

/// The logos in a funding block's container that are larger than its emblem in both
/// height and width (so no measure makes the emblem as large).
pub fn larger_than_emblem(html: &str) -> Vec<LargerLogo> {
    // The document itself is the bottom of the stack, so every element has a parent.
    let mut stack: Vec<OpenElement> = vec![OpenElement::new(Vec::new())];
    let mut found = Vec::new();
    for token in Tokenizer::new(html).flatten() {
        match token {
            Token::StartTag(tag) => {
                let name = tag.name.0.to_ascii_lowercase();
                let attr = |key: &str| {
                    tag.attributes
                        .get(key.as_bytes())
                        .map(|v| String::from_utf8_lossy(&v.value).into_owned())
                };
                let in_photo = stack
                    .iter()
                    .any(|e| e.name == b"picture" || e.name == b"figure");
                let in_svg = stack.iter().any(|e| e.name == b"svg");
                if (name == b"img" || (name == b"svg" && !in_svg))
                    && !in_photo
                    && let (Some(w), Some(h)) = (
                        attr("width").as_deref().and_then(pixels),
                        attr("height").as_deref().and_then(pixels),
                    )
                    && let Some(top) = stack.last_mut()
                {
                    let emblem = attr("class")
                        .is_some_and(|c| c.split_ascii_whitespace().any(|c| c == "eu-emblem"));
                    if emblem {
                        top.emblem.get_or_insert((w, h));
                    } else {
                        top.logos.push((describe(&name, &attr), w, h));
                    }
                }
                let mut open = OpenElement::new(name);
                if attr("data-eu-funding").is_some() {
                    let parent = stack.len() - 1;
                    if parent == 0 || WIDE.contains(&stack[parent].name.as_slice()) {
                        open.container = true;
                    } else {
                        stack[parent].container = true;
                    }
                }
                if !tag.self_closing && !VOID.contains(&open.name.as_slice()) {
                    stack.push(open);
                }
            }
            Token::EndTag(tag) => {
                let name = tag.name.0.to_ascii_lowercase();
                if let Some(i) = stack
                    .iter()
                    .rposition(|e| e.name == name)
                    .filter(|&i| i > 0)
                {
                    while stack.len() > i {
                        close(&mut stack, &mut found);
                    }
                }
            }
            _ => {}
        }
    }
    while stack.len() > 1 {
        close(&mut stack, &mut found);
    }
    found
}

/// Close the innermost open element.
fn close(stack: &mut Vec<OpenElement>, found: &mut Vec<LargerLogo>) {
    let Some(open) = stack.pop() else {
        return;
    };
    if open.container {
        let Some((ew, eh)) = open.emblem else {
            return;
        };
        for (logo, w, h) in open.logos {
            if w > ew && h > eh {
                found.push(LargerLogo {
                    logo,
                    width: w,
                    height: h,
                    emblem_width: ew,
                    emblem_height: eh,
                });
            }
        }
    } else if let Some(parent) = stack.last_mut() {
        parent.logos.extend(open.logos);
        if parent.emblem.is_none() {
            parent.emblem = open.emblem;
        }
    }
}

/// `120` or `120px`: pixels; a percentage or another unit cannot be told from HTML.
fn pixels(value: &str) -> Option<f64> {
    let v = value.trim();
    let v = v.strip_suffix("px").unwrap_or(v).trim_end();
    v.parse::<f64>().ok().filter(|n| n.is_finite() && *n > 0.0)
}

/// `<img src="…">`, or an `<svg>` by its label or class, for a message.
fn describe(name: &[u8], attr: &dyn Fn(&str) -> Option<String>) -> String {
    let name = String::from_utf8_lossy(name);
    for key in ["src", "alt", "aria-label", "class", "id"] {
        if let Some(v) = attr(key) {
            return format!("<{name} {key}=\"{v}\">");
        }
    }
    format!("<{name}>")
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMBLEM: &str = "<svg class=\"eu-emblem\" width=\"81\" height=\"54\"><rect width=\"810\" height=\"540\"/></svg>";

    fn block() -> String {
        format!(
            "<section class=\"eu-funding\" data-eu-funding=\"X\"><div class=\"eu-funding__emblem-row\">{EMBLEM}<p>Statement</p></div></section>"
        )
    }

    #[test]
    fn a_larger_logo_beside_the_block_is_found() {
        let html = format!(
            "<main><div class=\"funding\"><img src=\"/skola.png\" alt=\"Skola\" width=\"200\" height=\"120\">{}</div></main>",
            block()
        );
        let found = larger_than_emblem(&html);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].logo, "<img src=\"/skola.png\">");
        assert_eq!(
            (
                found[0].width,
                found[0].height,
                found[0].emblem_width,
                found[0].emblem_height
            ),
            (200.0, 120.0, 81.0, 54.0)
        );
        // An <svg> logo too, with `px`.
        let html = format!(
            "<footer><div>{}<svg aria-label=\"Partneris\" width=\"300px\" height=\"90px\"></svg></div></footer>",
            block()
        );
        assert_eq!(
            larger_than_emblem(&html)[0].logo,
            "<svg aria-label=\"Partneris\">"
        );
    }

    #[test]
    fn smaller_or_unmeasurable_or_distant_logos_are_not() {
        for html in [
            // As large in height, wider: the emblem is as large in one measure.
            format!(
                "<div><img src=\"a.png\" width=\"300\" height=\"54\">{}</div>",
                block()
            ),
            // Sized by CSS or in percent: lapa cannot tell.
            format!(
                "<div><img src=\"a.png\" style=\"height:200px\">{}</div>",
                block()
            ),
            format!(
                "<div><img src=\"a.png\" width=\"50%\" height=\"50%\">{}</div>",
                block()
            ),
            // A photo in the same container.
            format!(
                "<div><picture><img src=\"p.jpg\" width=\"960\" height=\"720\"></picture>{}</div>",
                block()
            ),
            // The block right in <main>: the report's photos around it are not logos.
            format!(
                "<main><img src=\"p.jpg\" width=\"960\" height=\"720\">{}</main>",
                block()
            ),
            // A large logo in another part of the page.
            format!(
                "<header><img src=\"logo.png\" width=\"400\" height=\"200\"></header><div class=\"funding\">{}</div>",
                block()
            ),
        ] {
            assert_eq!(larger_than_emblem(&html), Vec::new(), "{html}");
        }
    }
}
