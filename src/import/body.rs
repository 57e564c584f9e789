//! A post's body: WordPress's paragraph rules, block comments, shortcodes, then HTML to
//! Markdown.
//!
//! What Markdown cannot say (a gallery, a video) is set aside as a numbered placeholder
//! paragraph before the HTML is converted, and its lapa Markdown put back after, so the
//! converter never escapes it.

use super::html;

/// An image a gallery or a caption shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedPhoto {
    /// The link as it will be written (a local file name, or the old URL).
    pub src: String,
    pub alt: String,
    pub caption: String,
}

/// What the body needs to know about the export's attachments.
pub trait Attachments {
    /// The attachment with this id: its URL, as rewritten, its alt text and caption.
    fn photo(&mut self, id: u64) -> Option<ImportedPhoto>;
    /// The images attached to a post, for a `[gallery]` without `ids`.
    fn attached_to(&mut self, post: u64) -> Vec<ImportedPhoto>;
}

/// A body ready for the funding pass: HTML with placeholders.
#[derive(Debug, Default)]
pub struct Prepared {
    pub html: String,
    blocks: Vec<String>,
    /// Shortcodes lapa does not know, left as text, e.g. `[contact-form-7]`.
    pub unknown_shortcodes: Vec<String>,
}

const PLACEHOLDER: &str = "LAPAIMPORTBLOCK";

/// Turn a post's stored content into HTML with WordPress's paragraphs and lapa's blocks
/// set aside.
pub fn prepare(content: &str, post: u64, lang: &str, media: &mut dyn Attachments) -> Prepared {
    let mut p = Prepared::default();
    let content = content.replace("\r\n", "\n");
    // Block-editor content has its paragraphs as HTML; classic content has WordPress's
    // paragraph rules applied when it is shown, so apply them here.
    let from_blocks = content.contains("<!-- wp:");
    let html = if from_blocks {
        blocks(&content, &mut p, lang)
    } else {
        content
    };
    let html = shortcodes(&html, post, &mut p, media, lang);
    let html = if from_blocks { html } else { autop(&html) };
    p.html = html;
    p
}

impl Prepared {
    fn set_aside(&mut self, markdown: String) -> String {
        self.blocks.push(markdown);
        format!("\n\n<p>{PLACEHOLDER}{}</p>\n\n", self.blocks.len() - 1)
    }
}

/// The Markdown of prepared HTML.
pub fn finish(prepared: &Prepared) -> String {
    let converter = htmd::HtmlToMarkdown::builder()
        .options(htmd::options::Options {
            heading_style: htmd::options::HeadingStyle::Atx,
            code_block_style: htmd::options::CodeBlockStyle::Fenced,
            ..Default::default()
        })
        .build();
    let markdown = converter
        .convert(&prepared.html)
        .unwrap_or_else(|_| html::text(&prepared.html));
    let mut out = String::with_capacity(markdown.len());
    for line in markdown.lines() {
        let trimmed = line.trim();
        if let Some(n) = trimmed
            .strip_prefix(PLACEHOLDER)
            .and_then(|n| n.parse::<usize>().ok())
            && let Some(block) = prepared.blocks.get(n)
        {
            out.push_str(block);
            out.push('\n');
            continue;
        }
        out.push_str(&clean_line(line));
        out.push('\n');
    }
    collapse_blank_lines(&out)
}

/// `&nbsp;` runs and the double spaces WordPress leaves become one space; a line's
/// indentation and a Markdown line break (two trailing spaces) stay.
fn clean_line(line: &str) -> String {
    let line = line.replace('\u{a0}', " ");
    let indent = line.len() - line.trim_start().len();
    let hard_break = line.ends_with("  ") && !line.trim().is_empty();
    let mut out = line[..indent].to_string();
    let mut last_space = false;
    for c in line[indent..].trim_end().chars() {
        if c == ' ' {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    if hard_break {
        out.push_str("  ");
    }
    out
}

fn collapse_blank_lines(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank = 0;
    for line in s.trim().lines() {
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
            out.push('\n');
        } else {
            blank = 0;
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// WordPress's `wpautop`, in short: a blank line ends a paragraph, a single newline is a
/// line break; block-level HTML and `<pre>` are left as they are.
pub fn autop(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for chunk in split_paragraphs(&separate_blocks(text)) {
        let chunk = chunk.trim();
        if chunk.is_empty() {
            continue;
        }
        if starts_with_block(chunk) {
            out.push_str(chunk);
        } else {
            out.push_str("<p>");
            let lines: Vec<&str> = chunk.lines().map(str::trim_end).collect();
            out.push_str(&lines.join("<br />"));
            out.push_str("</p>");
        }
        out.push_str("\n\n");
    }
    out
}

/// A blank line before every block-level tag and after its end, as WordPress does, so
/// text beside a list or a table is a paragraph of its own.
fn separate_blocks(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let closing = rest[1..].starts_with('/');
        let name: String = rest[1 + usize::from(closing)..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        let end = rest.find('>').map(|e| e + 1).unwrap_or(rest.len());
        if is_block(&name) && name != "pre" {
            if closing {
                out.push_str(&rest[..end]);
                out.push_str("\n\n");
            } else {
                out.push_str("\n\n");
                out.push_str(&rest[..end]);
            }
        } else {
            out.push_str(&rest[..end]);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Chunks separated by blank lines, a `<pre>…</pre>` never split.
fn split_paragraphs(text: &str) -> Vec<String> {
    let mut chunks = Vec::new();
    let mut current = String::new();
    let mut in_pre = false;
    for line in text.lines() {
        let lower = line.to_ascii_lowercase();
        if lower.contains("<pre") {
            in_pre = true;
        }
        if lower.contains("</pre>") {
            in_pre = false;
        }
        if line.trim().is_empty() && !in_pre {
            if !current.trim().is_empty() {
                chunks.push(std::mem::take(&mut current));
            }
            current.clear();
            continue;
        }
        current.push_str(line);
        current.push('\n');
    }
    if !current.trim().is_empty() {
        chunks.push(current);
    }
    chunks
}

fn starts_with_block(chunk: &str) -> bool {
    if chunk.starts_with(PLACEHOLDER) {
        return true;
    }
    let Some(rest) = chunk.strip_prefix('<') else {
        return false;
    };
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let name: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    is_block(&name)
}

fn is_block(name: &str) -> bool {
    const BLOCKS: &[&str] = &[
        "table",
        "thead",
        "tbody",
        "tfoot",
        "caption",
        "tr",
        "td",
        "th",
        "div",
        "dl",
        "dd",
        "dt",
        "ul",
        "ol",
        "li",
        "pre",
        "form",
        "map",
        "area",
        "blockquote",
        "address",
        "math",
        "style",
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "fieldset",
        "legend",
        "section",
        "article",
        "aside",
        "hgroup",
        "header",
        "footer",
        "nav",
        "figure",
        "figcaption",
        "details",
        "menu",
        "summary",
        "iframe",
        "video",
        "audio",
        "object",
    ];
    BLOCKS.contains(&name)
}

/// Block-editor content: comments dropped, galleries and embeds set aside.
fn blocks(content: &str, p: &mut Prepared, lang: &str) -> String {
    let mut out = String::with_capacity(content.len());
    let mut rest = content;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        let Some(len) = rest[start..].find("-->") else {
            rest = "";
            break;
        };
        let comment = &rest[start + 4..start + len];
        rest = &rest[start + len + 3..];
        let name = comment.split_whitespace().next().unwrap_or("");
        if !comment.trim().ends_with('/') && matches!(name, "wp:gallery" | "wp:embed") {
            let close = format!("<!-- /{name} -->");
            let (inner, after) = match rest.find(&close) {
                Some(end) => (&rest[..end], &rest[end + close.len()..]),
                None => (rest, ""),
            };
            rest = after;
            let markdown = if name == "wp:gallery" {
                gallery_markdown(&photos_in(inner))
            } else {
                let url = json_url(comment)
                    .or_else(|| first_url(&html::text(inner)))
                    .unwrap_or_default();
                video_markdown(&url, lang)
            };
            out.push_str(&p.set_aside(markdown));
        }
    }
    out.push_str(rest);
    out
}

/// `{"url":"https://…"}` in a block comment's attributes.
fn json_url(comment: &str) -> Option<String> {
    let start = comment.find('{')?;
    let value: serde_json::Value = serde_json::from_str(comment[start..].trim_end()).ok()?;
    value.get("url")?.as_str().map(str::to_string)
}

fn first_url(text: &str) -> Option<String> {
    text.split_whitespace()
        .find(|w| w.starts_with("http://") || w.starts_with("https://"))
        .map(str::to_string)
}

/// Every image of a fragment, each with the figcaption that follows it.
fn photos_in(fragment: &str) -> Vec<ImportedPhoto> {
    let mut photos = Vec::new();
    let tags = html::img_tags(fragment);
    for (i, tag) in tags.iter().enumerate() {
        let Some(at) = fragment.find(tag) else {
            continue;
        };
        let after = &fragment[at + tag.len()..];
        let until = tags
            .get(i + 1)
            .and_then(|next| after.find(next))
            .unwrap_or(after.len());
        let caption = html::find_ci(&after[..until], "<figcaption")
            .map(|c| {
                let cap = &after[c..until];
                let end = html::find_ci(cap, "</figcaption>").unwrap_or(cap.len());
                html::text(&cap[..end])
            })
            .unwrap_or_default();
        photos.push(ImportedPhoto {
            src: html::attribute(tag, "src").unwrap_or_default(),
            alt: html::attribute(tag, "alt").unwrap_or_default(),
            caption,
        });
    }
    photos
}

/// lapa's gallery block.
pub fn gallery_markdown(photos: &[ImportedPhoto]) -> String {
    let mut out = String::from("```gallery\n");
    for photo in photos {
        if photo.src.is_empty() {
            continue;
        }
        if photo.src.contains(char::is_whitespace) {
            out.push_str(&format!("<{}>", photo.src));
        } else {
            out.push_str(&photo.src);
        }
        let alt = one_line(&photo.alt);
        let caption = one_line(&photo.caption);
        if !alt.is_empty() {
            out.push(' ');
            out.push_str(&alt.replace('|', "/"));
        }
        if !caption.is_empty() {
            out.push_str(" | ");
            out.push_str(&caption);
        }
        out.push('\n');
    }
    out.push_str("```\n");
    out
}

fn one_line(s: &str) -> String {
    html::collapse(s)
}

/// A link to a video: nothing loads from the video's website until the reader clicks it.
pub fn video_markdown(url: &str, lang: &str) -> String {
    let site = video_site(url).unwrap_or("");
    let label = match (lang, site) {
        ("lv", "") => "▶ Skatīties video".to_string(),
        ("lv", s) => format!("▶ Skatīties video vietnē {s}"),
        (_, "") => "▶ Watch the video".to_string(),
        (_, s) => format!("▶ Watch the video on {s}"),
    };
    format!("[{label}]({url})\n")
}

/// `YouTube` or `Vimeo` for a video address, None for anything else.
pub fn video_site(url: &str) -> Option<&'static str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split('/').next().unwrap_or("");
    let host = host.strip_prefix("www.").unwrap_or(host);
    let host = host.strip_prefix("m.").unwrap_or(host);
    match host {
        "youtube.com" | "youtu.be" | "youtube-nocookie.com" => Some("YouTube"),
        "vimeo.com" | "player.vimeo.com" => Some("Vimeo"),
        _ => None,
    }
}

/// `[caption]`, `[gallery]`, `[embed]` and video URLs alone on a line become lapa's
/// blocks; any other shortcode stays as text and is listed.
fn shortcodes(
    html: &str,
    post: u64,
    p: &mut Prepared,
    media: &mut dyn Attachments,
    lang: &str,
) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        rest = &rest[open..];
        let name: String = rest[1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        let after_name = &rest[1 + name.len()..];
        let is_tag = !name.is_empty()
            && name.starts_with(|c: char| c.is_ascii_lowercase())
            && (after_name.starts_with(']')
                || after_name.starts_with(' ')
                || after_name.starts_with('/'));
        let tag_end = rest.find(']');
        let (true, Some(tag_end)) = (is_tag, tag_end) else {
            out.push('[');
            rest = &rest[1..];
            continue;
        };
        let tag = &rest[..=tag_end];
        let close = format!("[/{name}]");
        let enclosed = rest[tag_end + 1..].find(&close).map(|c| {
            let inner = &rest[tag_end + 1..tag_end + 1 + c];
            (inner, tag_end + 1 + c + close.len())
        });
        match name.as_str() {
            "caption" | "wp_caption" => {
                let (inner, len) = enclosed.unwrap_or(("", tag.len()));
                let mut photos = photos_in(inner);
                if let Some(photo) = photos.first_mut() {
                    let after_img = html::img_tags(inner)
                        .last()
                        .and_then(|t| inner.find(t).map(|i| &inner[i + t.len()..]))
                        .unwrap_or("");
                    let caption = html::text(after_img);
                    photo.caption = if caption.is_empty() {
                        html::attribute(tag, "caption").unwrap_or_default()
                    } else {
                        caption
                    };
                    photos.truncate(1);
                    out.push_str(&p.set_aside(gallery_markdown(&photos)));
                }
                rest = &rest[len..];
            }
            "gallery" => {
                let photos: Vec<ImportedPhoto> = match html::attribute(tag, "ids") {
                    Some(ids) => ids
                        .split(',')
                        .filter_map(|id| id.trim().parse().ok())
                        .filter_map(|id| media.photo(id))
                        .collect(),
                    None => media.attached_to(post),
                };
                if !photos.is_empty() {
                    out.push_str(&p.set_aside(gallery_markdown(&photos)));
                }
                rest = &rest[tag.len()..];
            }
            "embed" | "video" => {
                let (inner, len) = enclosed.unwrap_or(("", tag.len()));
                let url = html::text(inner);
                let url = if url.is_empty() {
                    html::attribute(tag, "src").unwrap_or_default()
                } else {
                    url
                };
                out.push_str(&p.set_aside(video_markdown(&url, lang)));
                rest = &rest[len..];
            }
            _ => {
                if !p.unknown_shortcodes.contains(&name) {
                    p.unknown_shortcodes.push(name.clone());
                }
                out.push_str(tag);
                rest = &rest[tag.len()..];
            }
        }
    }
    out.push_str(rest);
    // A video URL alone on a line is an embed in WordPress.
    let mut lines = String::with_capacity(out.len());
    for line in out.lines() {
        let t = line.trim();
        if !t.contains(char::is_whitespace) && video_site(t).is_some() {
            lines.push_str(&p.set_aside(video_markdown(t, lang)));
        } else {
            lines.push_str(line);
            lines.push('\n');
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoMedia;
    impl Attachments for NoMedia {
        fn photo(&mut self, id: u64) -> Option<ImportedPhoto> {
            Some(ImportedPhoto {
                src: format!("foto{id}.jpg"),
                alt: format!("Foto {id}"),
                caption: String::new(),
            })
        }
        fn attached_to(&mut self, _post: u64) -> Vec<ImportedPhoto> {
            Vec::new()
        }
    }

    fn md(content: &str) -> String {
        finish(&prepare(content, 1, "lv", &mut NoMedia))
    }

    #[test]
    fn classic_paragraph_rules() {
        assert_eq!(
            md("Pirmā rinda\notrā rinda\n\nJauna rindkopa"),
            "Pirmā rinda  \notrā rinda\n\nJauna rindkopa\n"
        );
    }

    #[test]
    fn text_beside_a_list_is_a_paragraph_and_the_list_stays_a_list() {
        assert_eq!(
            md("Kursā apguvām:\n<ul>\n<li>sarunas</li>\n<li>saiti</li>\n</ul>\nUn vēl."),
            "Kursā apguvām:\n\n* sarunas\n* saiti\n\nUn vēl.\n"
        );
    }

    #[test]
    fn nbsp_runs_and_double_spaces_are_cleaned() {
        assert_eq!(md("Viens&nbsp;&nbsp; divi  trīs"), "Viens divi trīs\n");
    }

    #[test]
    fn headings_lists_links_emphasis_quotes() {
        let out = md(
            "<h2>Ko apguvām</h2>\n<ul>\n<li>viens</li>\n<li><a href=\"https://a.lv/\">divi</a></li>\n</ul>\n\n<blockquote>Citāts</blockquote>\n\n<strong>Treknrakstā</strong> un <em>slīprakstā</em>",
        );
        assert!(out.contains("## Ko apguvām"), "{out}");
        assert!(out.contains("* viens"), "{out}");
        assert!(out.contains("[divi](https://a.lv/)"), "{out}");
        assert!(out.contains("> Citāts"), "{out}");
        assert!(out.contains("**Treknrakstā**"), "{out}");
        assert!(
            out.contains("*slīprakstā*") || out.contains("_slīprakstā_"),
            "{out}"
        );
    }

    #[test]
    fn block_comments_are_dropped_and_html_kept() {
        let out = md(
            "<!-- wp:paragraph -->\n<p>Teksts ar <strong>vārdu</strong></p>\n<!-- /wp:paragraph -->\n\n<!-- wp:separator -->\n<hr class=\"wp-block-separator\"/>\n<!-- /wp:separator -->",
        );
        assert!(!out.contains("wp:"), "{out}");
        assert!(out.contains("Teksts ar **vārdu**"), "{out}");
    }

    #[test]
    fn caption_becomes_a_photo_with_its_caption() {
        let out = md(
            "[caption id=\"attachment_5\" align=\"alignnone\" width=\"300\"]<img class=\"size-medium wp-image-5\" src=\"foto-300x200.jpg\" alt=\"Skolotāji klasē\" width=\"300\" height=\"200\" /> Pirmā diena Budapeštā[/caption]\n\nTālāk teksts.",
        );
        assert!(
            out.contains(
                "```gallery\nfoto-300x200.jpg Skolotāji klasē | Pirmā diena Budapeštā\n```"
            ),
            "{out}"
        );
        assert!(out.contains("Tālāk teksts."), "{out}");
    }

    #[test]
    fn gallery_shortcode_uses_the_attachments() {
        let out = md("Bildes:\n\n[gallery ids=\"7,8\"]");
        assert!(
            out.contains("```gallery\nfoto7.jpg Foto 7\nfoto8.jpg Foto 8\n```"),
            "{out}"
        );
    }

    #[test]
    fn gallery_block_keeps_images_and_captions() {
        let out = md(
            "<!-- wp:gallery {\"linkTo\":\"none\"} -->\n<figure class=\"wp-block-gallery\"><!-- wp:image {\"id\":7} -->\n<figure class=\"wp-block-image\"><img src=\"a.jpg\" alt=\"Alfa\" class=\"wp-image-7\"/><figcaption>Pirmais</figcaption></figure>\n<!-- /wp:image -->\n<!-- wp:image {\"id\":8} -->\n<figure class=\"wp-block-image\"><img src=\"b.jpg\" alt=\"Beta\"/></figure>\n<!-- /wp:image --></figure>\n<!-- /wp:gallery -->",
        );
        assert_eq!(out, "```gallery\na.jpg Alfa | Pirmais\nb.jpg Beta\n```\n");
    }

    #[test]
    fn embeds_become_video_links() {
        for content in [
            "[embed]https://www.youtube.com/watch?v=abc[/embed]",
            "Skatieties:\n\nhttps://www.youtube.com/watch?v=abc\n\nBeigas.",
            "<!-- wp:embed {\"url\":\"https://www.youtube.com/watch?v=abc\",\"type\":\"video\",\"providerNameSlug\":\"youtube\"} -->\n<figure class=\"wp-block-embed\"><div class=\"wp-block-embed__wrapper\">\nhttps://www.youtube.com/watch?v=abc\n</div></figure>\n<!-- /wp:embed -->",
        ] {
            let out = md(content);
            assert!(
                out.contains(
                    "[▶ Skatīties video vietnē YouTube](https://www.youtube.com/watch?v=abc)"
                ),
                "{content}\n→ {out}"
            );
            assert!(!out.contains("<iframe"), "{out}");
        }
    }

    #[test]
    fn unknown_shortcodes_stay_and_are_listed() {
        let p = prepare(
            "Raksti mums: [contact-form-7 id=\"3\"]",
            1,
            "lv",
            &mut NoMedia,
        );
        assert_eq!(p.unknown_shortcodes, ["contact-form-7"]);
        assert!(finish(&p).contains("contact-form-7"));
    }

    #[test]
    fn tables_and_code() {
        let out = md(
            "<table><tr><th>Diena</th><th>Tēma</th></tr><tr><td>1</td><td>Koučings</td></tr></table>\n\n<pre><code>let x = 1;</code></pre>",
        );
        assert!(out.contains("Diena") && out.contains("Koučings"), "{out}");
        assert!(out.contains("let x = 1;"), "{out}");
    }
}
