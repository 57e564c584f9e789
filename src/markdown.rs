//! Markdown bodies to HTML, with links between content files resolved.

mod gallery;
mod images;

use std::cell::Cell;
use std::collections::{HashSet, VecDeque};
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd, html};

use crate::msg;
use crate::slug::slugify;

/// What the renderer needs to know about the page being rendered and the site around it.
pub trait LinkResolver {
    /// The URL of the content file `rel` (a path under `content/`) for a page in `lang`,
    /// or None when there is no such file.
    fn page_url(&self, rel: &str, lang: &str) -> Option<String>;
    /// The site path of a file under `content/` (for images and other assets).
    fn asset_url(&self, rel: &str) -> String;
    /// `/skola/` for a site under a sub-path; `/` at a domain's root.
    fn base_path(&self) -> &str;
}

/// A body rendered to HTML, and what was learned on the way.
#[derive(Debug, Default, Clone)]
pub struct Rendered {
    pub html: String,
    /// The first paragraph as plain text.
    pub first_paragraph: String,
    /// The ids of the headings, for `#anchor` checks.
    pub anchors: Vec<String>,
    /// Links and images that lead nowhere, with the line (within the body) they are on.
    pub broken: Vec<(usize, String)>,
    /// Internal link targets (site paths with optional `#fragment`) and their lines.
    pub internal_links: Vec<(usize, String)>,
    /// Links and images leading to other websites (`http://`, `https://`), as written,
    /// and their lines: what `lapa check --external` asks for.
    pub external_links: Vec<(usize, String)>,
    /// Lines with an image that has no alt text.
    pub images_without_alt: Vec<usize>,
    /// Lines with raw HTML that runs script (`<script>`, `onclick=` …).
    pub scripts: Vec<usize>,
    /// Links with a `javascript:`, `vbscript:` or `data:` address, left out (their text
    /// kept), with their lines and the address as written.
    pub dropped_links: Vec<(usize, String)>,
    /// The images the body shows, in order, with where their `<img>` tags are in `html`.
    pub images: Vec<BodyImage>,
    /// What each stretch of `html` is, in order: a plain text, from its words, can skip
    /// reading the tags lapa wrote itself.
    pub runs: Vec<Run>,
    /// The HTML holds nothing but what lapa's Markdown writes itself: no raw HTML (but
    /// for a plain comment such as `<!--more-->`), no attributes an author wrote on a
    /// heading, no link inside a link (pulldown-cmark makes one of an autolink in a
    /// link's text; a footnote's mark there it leaves as text). Such HTML is balanced,
    /// hides nothing, and is read the same wherever a page puts it between elements, so
    /// the funding check may jump over it (`funding::presence_with_body`).
    pub plain: bool,
    /// A hash of all of the above, made once: a rebuild hashes every page, and a body is
    /// most of a page.
    pub(crate) digest: u128,
}

impl std::hash::Hash for Rendered {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.digest.hash(state);
    }
}

impl Rendered {
    fn digest(&self) -> u128 {
        // Every field, by name: a new one cannot be forgotten here.
        let Rendered {
            html,
            first_paragraph,
            anchors,
            broken,
            internal_links,
            external_links,
            images_without_alt,
            scripts,
            images,
            dropped_links,
            plain,
            // They only say what stretches of `html` are, and `html` is hashed.
            runs: _,
            digest: _,
        } = self;
        let mut h = crate::hash::Hasher::default();
        std::hash::Hash::hash(
            &(
                html,
                first_paragraph,
                anchors,
                broken,
                internal_links,
                external_links,
                images_without_alt,
                scripts,
                images,
                dropped_links,
                plain,
            ),
            &mut h,
        );
        h.digest()
    }
}

/// A stretch of a body's HTML, up to [`Run::end`], from the end of the one before.
///
/// Kept in four bytes (a body has hundreds and a site's bodies stay in memory until
/// they are written): the kind in the top two bits, the end in the other thirty. An end
/// past what they hold (a body over 1 GiB) is kept as their largest, which no body's
/// HTML reaches, so a reader of the runs reads such a body whole.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Run(u32);

impl Run {
    const END: u32 = (1 << 30) - 1;

    pub fn new(end: usize, kind: RunKind) -> Run {
        let end = u32::try_from(end).map_or(Run::END, |e| e.min(Run::END));
        Run(end | (kind as u32) << 30)
    }

    /// Where the stretch ends in the HTML.
    pub fn end(self) -> usize {
        (self.0 & Run::END) as usize
    }

    pub fn kind(self) -> RunKind {
        match self.0 >> 30 {
            0 => RunKind::Text,
            1 => RunKind::Break,
            2 => RunKind::Inline,
            _ => RunKind::Html,
        }
    }
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Run")
            .field("end", &self.end())
            .field("kind", &self.kind())
            .finish()
    }
}

/// What a [`Run`] of HTML holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunKind {
    /// Text, escaped, without a tag.
    Text = 0,
    /// Tags that separate words (a paragraph's, a list item's, a line break).
    Break = 1,
    /// Tags inside a line of text (emphasis, a link's): nothing between words.
    Inline = 2,
    /// Anything else (raw HTML, code, footnote marks, images): to be read as HTML.
    Html = 3,
}

/// An image the body shows, and where lapa wrote its `<img>` tag.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BodyImage {
    /// The line (within the body) it is on.
    pub line: usize,
    /// The file under `content/`, when the image is one of the site's own files.
    pub rel: Option<String>,
    /// The URL written in `src`.
    pub url: String,
    pub alt: String,
    pub title: String,
    /// Where its `<img>` tag is in [`Rendered::html`], so a later stage can put a
    /// `<picture>` there without parsing HTML.
    pub span: Range<usize>,
    /// In a gallery grid (small pictures) rather than the text column.
    pub in_gallery: bool,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// `v` in a block of its own length, when it has more than an eighth of it to spare.
fn tight<T: Clone>(v: Vec<T>) -> Vec<T> {
    if v.capacity() > v.len() + v.len() / 8 {
        v.as_slice().to_vec()
    } else {
        v
    }
}

/// Render `body` of the file `rel` (under `content/`), for a page in `lang`.
pub fn render(body: &str, rel: &str, lang: &str, links: &dyn LinkResolver) -> Rendered {
    let dir = match rel.rfind('/') {
        Some(i) => &rel[..i],
        None => "",
    };
    let written = Cell::new(0);
    let mut walker = Walker {
        events: Parser::new_ext(body, options()).into_offset_iter(),
        pending: VecDeque::new(),
        dir,
        lang,
        links,
        line_starts: line_starts(body),
        out: Rendered {
            plain: true,
            ..Rendered::default()
        },
        used_ids: HashSet::new(),
        first_para: None,
        in_first_para: false,
        written: &written,
        visited: 0,
        yielded: 0,
        placed: VecDeque::new(),
        writing: None,
        open_links: Vec::new(),
    };
    let mut html_out = String::with_capacity(body.len() * 3 / 2);
    let _ = html::write_html_fmt(images::Counting::new(&mut html_out, &written), &mut walker);
    walker.end_run();
    let mut out = walker.out;
    // Kept as long as the page: without the room its growth left (or that the guess
    // above left), in a block of their own size. `shrink_to_fit` is not enough: the
    // allocator keeps a block it is asked to shrink by less than half.
    out.runs = tight(out.runs);
    out.anchors = tight(out.anchors);
    out.internal_links = tight(out.internal_links);
    out.external_links = tight(out.external_links);
    out.html = if html_out.capacity() > html_out.len() + html_out.len() / 8 {
        html_out.as_str().to_owned()
    } else {
        html_out
    };
    out.first_paragraph = walker.first_para.unwrap_or_default().trim().to_string();
    out.digest = out.digest();
    out
}

/// Rewrites the parser's events on their way to the HTML writer, noting what it sees.
/// Only a heading's own events are held back (to give it an id from its text), so a
/// long report streams through without a copy of all its events.
struct Walker<'a, 'l> {
    events: pulldown_cmark::OffsetIter<'a, pulldown_cmark::DefaultBrokenLinkCallback>,
    pending: VecDeque<Event<'a>>,
    dir: &'l str,
    lang: &'l str,
    links: &'l dyn LinkResolver,
    line_starts: Vec<usize>,
    out: Rendered,
    used_ids: HashSet<String>,
    first_para: Option<String>,
    in_first_para: bool,
    /// How much HTML the writer has written: where the next event's HTML starts.
    written: &'l Cell<usize>,
    /// Events made by `visit`, and events handed to the writer (the same order).
    visited: usize,
    yielded: usize,
    /// Images in events not yet handed to the writer: (the event's index, the images
    /// with their spans relative to the event's HTML).
    placed: VecDeque<(usize, Vec<BodyImage>)>,
    /// The kind of HTML the event handed to the writer last is writing.
    writing: Option<RunKind>,
    /// The links open, innermost last: whether each was dropped (then its end is
    /// dropped too). pulldown-cmark puts an autolink inside a link's text
    /// (`[<https://e.lv>](x.md)`).
    open_links: Vec<bool>,
}

impl<'a> Iterator for Walker<'a, '_> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        // The writer has written all of the event before.
        self.end_run();
        let event = self.next_event()?;
        self.place_images();
        self.writing = Some(run_kind(&event));
        Some(event)
    }
}

impl<'a> Walker<'a, '_> {
    /// [`rewrite`] of `dest`, a link or image written on `line` of this body.
    fn rewrite(&mut self, dest: &str, line: usize) -> (CowStr<'a>, Option<String>) {
        rewrite(dest, self.dir, self.lang, self.links, line, &mut self.out)
    }

    fn next_event(&mut self) -> Option<Event<'a>> {
        if let Some(e) = self.pending.pop_front() {
            return Some(e);
        }
        let (event, range) = self.events.next()?;
        let event = self.visit(event, range.start);
        if matches!(event, Event::Start(Tag::Heading { .. })) {
            let mut heading = vec![event];
            while let Some((e, r)) = self.events.next() {
                let e = self.visit(e, r.start);
                let end = matches!(e, Event::End(TagEnd::Heading(_)));
                heading.push(e);
                if end {
                    break;
                }
            }
            self.assign_heading_id(&mut heading);
            self.pending.extend(heading);
            return self.pending.pop_front();
        }
        Some(event)
    }

    /// Note the run of HTML the last event wrote, joined to the one before when it is of
    /// the same kind.
    fn end_run(&mut self) {
        let Some(kind) = self.writing.take() else {
            return;
        };
        let run = Run::new(self.written.get(), kind);
        match self.out.runs.last_mut() {
            Some(last) if last.kind() == kind => *last = run,
            _ => self.out.runs.push(run),
        }
    }

    /// The writer has written every event before the one it now takes: images in that
    /// event start where the HTML written so far ends.
    fn place_images(&mut self) {
        let index = self.yielded;
        self.yielded += 1;
        while self.placed.front().is_some_and(|(i, _)| *i == index) {
            if let Some((_, images)) = self.placed.pop_front() {
                let at = self.written.get();
                self.out.images.extend(images.into_iter().map(|mut image| {
                    image.span = at + image.span.start..at + image.span.end;
                    image
                }));
            }
        }
    }

    fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s <= offset)
    }

    /// One event: rewrite links, note images, scripts and the first paragraph.
    fn visit(&mut self, event: Event<'a>, offset: usize) -> Event<'a> {
        let index = self.visited;
        self.visited += 1;
        let event = match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(ref info)))
                if info.trim() == gallery::INFO =>
            {
                // Only what is noted needs its line (most events are text): found then.
                let line = self.line_of(offset);
                let text = self.read_code_block();
                let (html, images) = gallery::render(
                    &text,
                    line + 1,
                    self.dir,
                    self.lang,
                    self.links,
                    &mut self.out,
                );
                self.placed.push_back((index, images));
                Event::Html(CowStr::from(html))
            }
            Event::Start(Tag::Paragraph) if self.first_para.is_none() => {
                self.in_first_para = true;
                self.first_para = Some(String::new());
                Event::Start(Tag::Paragraph)
            }
            Event::End(TagEnd::Paragraph) => {
                self.in_first_para = false;
                Event::End(TagEnd::Paragraph)
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                // A link inside a link is nothing a browser reads as written (it closes
                // the outer one first): such a body is not plain.
                if !self.open_links.is_empty() {
                    self.out.plain = false;
                }
                let line = self.line_of(offset);
                let dropped = runs_when_followed(&dest_url);
                self.open_links.push(dropped);
                if dropped {
                    self.out.dropped_links.push((line, dest_url.to_string()));
                    Event::Text(CowStr::Borrowed(""))
                } else {
                    let (dest_url, _) = self.rewrite(&dest_url, line);
                    Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    })
                }
            }
            Event::End(TagEnd::Link) => match self.open_links.pop() {
                // A dropped link's end is dropped too.
                Some(true) => Event::Text(CowStr::Borrowed("")),
                _ => Event::End(TagEnd::Link),
            },
            Event::Start(Tag::Image {
                dest_url, title, ..
            }) => {
                let line = self.line_of(offset);
                let (url, rel) = self.rewrite(&dest_url, line);
                let alt = self.read_alt();
                if alt.trim().is_empty() {
                    self.out.images_without_alt.push(line);
                }
                let tag = images::img_tag(&url, &alt, &title);
                self.placed.push_back((
                    index,
                    vec![BodyImage {
                        line,
                        rel,
                        url: url.to_string(),
                        alt,
                        title: title.to_string(),
                        span: 0..tag.len(),
                        in_gallery: false,
                    }],
                ));
                Event::InlineHtml(CowStr::from(tag))
            }
            Event::Start(Tag::Heading { ref attrs, .. }) if !attrs.is_empty() => {
                self.out.plain = false;
                event
            }
            Event::Html(ref h) | Event::InlineHtml(ref h) => {
                if !plain_comment(h) {
                    self.out.plain = false;
                }
                if runs_script(h) {
                    self.out.scripts.push(self.line_of(offset));
                }
                event
            }
            other => other,
        };
        match &event {
            Event::Text(t) | Event::Code(t) => {
                if self.in_first_para
                    && let Some(p) = self.first_para.as_mut()
                {
                    p.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak if self.in_first_para => {
                if let Some(p) = self.first_para.as_mut() {
                    p.push(' ');
                }
            }
            _ => {}
        }
        event
    }

    /// An image's alt text: the text of its events up to its end, as pulldown-cmark's own
    /// writer takes it (an image inside the alt text gives its text too).
    fn read_alt(&mut self) -> String {
        let mut alt = String::new();
        let mut depth = 0;
        for (event, _) in self.events.by_ref() {
            match event {
                Event::Start(Tag::Image { .. }) => depth += 1,
                Event::End(TagEnd::Image) if depth == 0 => break,
                Event::End(TagEnd::Image) => depth -= 1,
                Event::Text(t) | Event::Code(t) => alt.push_str(&t),
                Event::SoftBreak | Event::HardBreak => alt.push(' '),
                _ => {}
            }
        }
        if self.in_first_para
            && let Some(p) = self.first_para.as_mut()
        {
            p.push_str(&alt);
        }
        alt
    }

    /// The text of a code block, up to its end.
    fn read_code_block(&mut self) -> String {
        let mut text = String::new();
        for (event, _) in self.events.by_ref() {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => break,
                _ => {}
            }
        }
        text
    }

    /// Give the heading in `events` (its start first) an id from its text, unless it has one.
    fn assign_heading_id(&mut self, events: &mut [Event<'a>]) {
        let text: String = events[1..]
            .iter()
            .filter_map(|e| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        if let Event::Start(Tag::Heading { id, level, .. }) = &mut events[0] {
            let chosen = match id {
                Some(existing) => existing.to_string(),
                None => {
                    let base = match slugify(&text) {
                        s if s.is_empty() => format!("h{}", *level as usize),
                        s => s,
                    };
                    let mut candidate = base.clone();
                    let mut n = 1;
                    while self.used_ids.contains(&candidate) {
                        candidate = format!("{base}-{n}");
                        n += 1;
                    }
                    *id = Some(CowStr::from(candidate.clone()));
                    candidate
                }
            };
            self.used_ids.insert(chosen.clone());
            self.out.anchors.push(chosen);
        }
    }
}

/// What the HTML the writer makes of `event` holds.
fn run_kind(event: &Event) -> RunKind {
    let tag = match event {
        Event::Text(_) => return RunKind::Text,
        Event::SoftBreak | Event::HardBreak | Event::Rule => return RunKind::Break,
        Event::Start(tag) => tag.to_end(),
        Event::End(tag) => *tag,
        _ => return RunKind::Html,
    };
    match tag {
        TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link => RunKind::Inline,
        TagEnd::Paragraph
        | TagEnd::Heading(_)
        | TagEnd::BlockQuote(_)
        | TagEnd::CodeBlock
        | TagEnd::List(_)
        | TagEnd::Item
        | TagEnd::Table
        | TagEnd::TableHead
        | TagEnd::TableRow
        | TagEnd::TableCell => RunKind::Break,
        _ => RunKind::Html,
    }
}

/// Whether raw HTML is a comment of letters, digits and spaces alone (`<!--more-->`),
/// which every reader reads as one comment.
fn plain_comment(html: &str) -> bool {
    html.trim_end_matches([' ', '\n'])
        .strip_prefix("<!--")
        .and_then(|c| c.strip_suffix("-->"))
        .is_some_and(|inner| {
            !inner.is_empty()
                && inner
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b' ' || b == b'_')
        })
}

/// The byte offset each line starts at, to turn offsets into 1-based lines.
fn line_starts(body: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', body.as_bytes()).map(|i| i + 1))
        .collect()
}

fn runs_script(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    lower.contains("<script")
        || lower.contains("javascript:")
        || lower.match_indices(" on").any(|(i, _)| {
            let rest = &lower[i + 3..];
            let name_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
            name_len > 0 && rest[name_len..].trim_start().starts_with('=')
        })
}

/// Turn a link written in Markdown into the URL the site serves, and the file under
/// `content/` it leads to when that is not a page (an image, a PDF).
fn rewrite<'a>(
    dest: &str,
    dir: &str,
    lang: &str,
    links: &dyn LinkResolver,
    line: usize,
    out: &mut Rendered,
) -> (CowStr<'a>, Option<String>) {
    if is_web_address(dest) {
        out.external_links.push((line, dest.to_string()));
    }
    if dest.is_empty() || dest.starts_with('#') || has_scheme(dest) || dest.starts_with("//") {
        return (CowStr::from(dest.to_string()), None);
    }
    let (path, fragment) = match dest.find('#') {
        Some(i) => (&dest[..i], &dest[i..]),
        None => (dest, ""),
    };
    let path = percent_decode(path);
    let content_target = if let Some(rest) = path.strip_prefix("@/") {
        Some(rest.to_string())
    } else if path.ends_with(".md") && !path.starts_with('/') {
        join(dir, &path)
    } else {
        None
    };
    if let Some(target) = content_target {
        let url = match links.page_url(&target, lang) {
            Some(url) => {
                out.internal_links.push((line, format!("{url}{fragment}")));
                CowStr::from(format!("{url}{fragment}"))
            }
            None => {
                out.broken
                    .push((line, msg!("link-no-file", dest = dest, target = target)));
                CowStr::from(dest.to_string())
            }
        };
        return (url, None);
    }
    let (url, rel) = if let Some(site_path) = path.strip_prefix('/') {
        let base = links.base_path();
        match path.strip_prefix(base) {
            Some(rel) => (path.to_string(), rel.to_string()),
            None => (format!("{base}{site_path}"), site_path.to_string()),
        }
    } else {
        match join(dir, &path) {
            Some(rel) => (links.asset_url(&rel), rel),
            None => return (CowStr::from(dest.to_string()), None),
        }
    };
    out.internal_links.push((line, format!("{url}{fragment}")));
    (CowStr::from(format!("{url}{fragment}")), Some(rel))
}

/// A `javascript:`, `vbscript:` or `data:` address: following it runs code or opens a
/// document made of the address itself. Read as a browser reads it: in any case, with
/// spaces and control characters before it and tabs or line breaks inside it ignored.
fn runs_when_followed(url: &str) -> bool {
    let scheme: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take_while(|&c| c != ':')
        .take(11)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    url.contains(':') && matches!(scheme.as_str(), "javascript" | "vbscript" | "data")
}

/// `http://…` or `https://…`, in any case: an address on another website.
pub fn is_web_address(url: &str) -> bool {
    let scheme = url.split_once("://").map_or("", |(s, _)| s);
    scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")
}

fn has_scheme(url: &str) -> bool {
    match url.find(':') {
        Some(i) => url[..i]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-' || b == b'.'),
        None => false,
    }
}

/// `news` + `../x.md` → `x.md`; None when it climbs out of `content/`.
fn join(dir: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// Decode `%20` and the like, so `mana%20bilde.jpg` finds `mana bilde.jpg`.
pub(crate) fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct StubSite;
    impl LinkResolver for StubSite {
        fn page_url(&self, rel: &str, lang: &str) -> Option<String> {
            (rel == "news/2026-02-27-konference.md").then(|| {
                if lang == "en" {
                    "/skola/en/news/konference/".to_string()
                } else {
                    "/skola/news/konference/".to_string()
                }
            })
        }
        fn asset_url(&self, rel: &str) -> String {
            format!("/skola/{rel}")
        }
        fn base_path(&self) -> &str {
            "/skola/"
        }
    }

    #[test]
    fn a_body_of_markdown_alone_is_plain() {
        let plain = |md: &str| render(md, "news/a.md", "lv", &StubSite).plain;
        for md in [
            "# Virsraksts\n\nTeksts ar **treknu**, _slīpu_, `kodu` un [saiti](https://e.lv/).\n",
            "Ievads.\n\n<!--more-->\n\nTālāk.\n",
            "- a\n- [ ] b\n\n1. c\n\n> citāts\n\n---\n",
            "| a | b |\n|---|:-:|\n| c | d |\n",
            "Teksts[^1].\n\n[^1]: Piezīme.\n",
            "![Attēls](foto.jpg \"nosaukums\") un [![ikona](i.png)](https://e.lv/)\n",
            "```gallery\nfoto.jpg Alt | Paraksts\n```\n",
            "## Ar id {#mans-id .klase}\n",
            "a < b & c > d \"e\"\n",
            // A footnote's mark makes the brackets around it text, not a link.
            "[saite ar piezīmi[^1]](https://e.lv/)\n\n[^1]: x\n",
        ] {
            assert!(plain(md), "{md}");
        }
        for md in [
            // An autolink in a link's text: a link in a link.
            "[skatīt <https://e.lv>](x.md)\n",
            "<div hidden>x</div>\n",
            "Teksts <span style=\"display:none\">x</span>.\n",
            "<!-- a -- b -->\n",
            "## Virsraksts {hidden}\n",
        ] {
            assert!(
                !plain(md),
                "{md}: {}",
                render(md, "news/a.md", "lv", &StubSite).html
            );
        }
    }

    #[test]
    fn a_run_keeps_its_end_and_kind_in_four_bytes() {
        assert_eq!(std::mem::size_of::<Run>(), 4);
        for kind in [
            RunKind::Text,
            RunKind::Break,
            RunKind::Inline,
            RunKind::Html,
        ] {
            for end in [0, 1, 12_345, (1 << 30) - 1] {
                let run = Run::new(end, kind);
                assert_eq!((run.end(), run.kind()), (end, kind));
            }
            // Past what a run holds: kept as the largest end, its kind intact.
            let run = Run::new(usize::MAX, kind);
            assert_eq!((run.end(), run.kind()), ((1 << 30) - 1, kind));
        }
        let r = render("*a* b\n\nc", "x.md", "en", &StubSite);
        let ends: Vec<usize> = r.runs.iter().map(|r| r.end()).collect();
        assert_eq!(ends.last(), Some(&r.html.len()), "{:?} {}", r.runs, r.html);
        assert!(ends.is_sorted(), "{ends:?}");
    }

    #[test]
    fn links_to_content_files_become_urls() {
        let r = render(
            "[a](2026-02-27-konference.md) [b](@/news/2026-02-27-konference.md#x)",
            "news/y.md",
            "en",
            &StubSite,
        );
        assert!(
            r.html.contains(r#"href="/skola/en/news/konference/""#),
            "{}",
            r.html
        );
        assert!(
            r.html.contains(r#"href="/skola/en/news/konference/#x""#),
            "{}",
            r.html
        );
        assert!(r.broken.is_empty());
    }

    #[test]
    fn a_missing_file_is_reported_with_its_line() {
        let r = render("intro\n\n[a](nav.md)", "news/y.md", "lv", &StubSite);
        assert_eq!(r.broken.len(), 1);
        assert_eq!(r.broken[0].0, 3);
    }

    #[test]
    fn images_and_root_links_get_the_base_path() {
        let r = render(
            "![Foto](budapest.jpg) [x](/news/)",
            "news/y.md",
            "lv",
            &StubSite,
        );
        assert!(
            r.html.contains(r#"src="/skola/news/budapest.jpg""#),
            "{}",
            r.html
        );
        assert!(r.html.contains(r#"href="/skola/news/""#), "{}", r.html);
    }

    #[test]
    fn images_are_recorded_with_the_place_of_their_tags() {
        let r = render(
            "Teksts ![Foto *ar* `x`](budapest.jpg \"Virsraksts\")\n\n[![Iekšā ![b](b.png)](a%20b.png)](c.jpg) <b>x</b>",
            "news/y.md",
            "lv",
            &StubSite,
        );
        assert_eq!(r.images.len(), 2, "{:?}", r.images);
        let a = &r.images[0];
        assert_eq!(a.rel.as_deref(), Some("news/budapest.jpg"));
        assert_eq!((a.alt.as_str(), a.line), ("Foto ar x", 1));
        assert_eq!(
            &r.html[a.span.clone()],
            r#"<img src="/skola/news/budapest.jpg" alt="Foto ar x" title="Virsraksts" />"#
        );
        let b = &r.images[1];
        assert_eq!((b.rel.as_deref(), b.line), (Some("news/a b.png"), 3));
        assert_eq!(
            &r.html[b.span.clone()],
            r#"<img src="/skola/news/a b.png" alt="Iekšā b" />"#
        );
        assert!(
            r.html.contains(r#"<a href="/skola/news/c.jpg"><img"#),
            "{}",
            r.html
        );
        assert_eq!(r.first_paragraph, "Teksts Foto ar x");
    }

    #[test]
    fn a_gallery_block_becomes_figures() {
        let r = render(
            "Ievads\n\n```gallery\nfoto1.jpg Pirmā | Paraksts <b>\n\nhttps://x.lv/f.jpg\n```\n",
            "news/y.md",
            "lv",
            &StubSite,
        );
        assert!(r.html.contains(r#"<div class="gallery">"#), "{}", r.html);
        assert!(
            r.html
                .contains("<figcaption>Paraksts &lt;b&gt;</figcaption>"),
            "{}",
            r.html
        );
        assert_eq!(r.images.len(), 2);
        assert!(r.images.iter().all(|i| i.in_gallery));
        assert_eq!(r.images[0].rel.as_deref(), Some("news/foto1.jpg"));
        assert_eq!(r.images[0].line, 4);
        assert_eq!(r.images[1].rel, None);
        assert_eq!(r.images_without_alt, vec![6]);
        assert!(r.html[r.images[0].span.clone()].starts_with("<img src=\"/skola/news/foto1.jpg\""));
        assert!(!r.html.contains("<code"), "{}", r.html);
    }

    #[test]
    fn links_to_other_websites_are_noted_with_their_lines() {
        let r = render(
            "[a](https://www.erasmusplus.lv/#x) <HTTP://A.LV>\n\n![Foto](http://x.lv/f.jpg)\n\n[b](mailto:a@b.lv) [c](ftp://x.lv/) [d](/news/)\n\n```gallery\nhttps://x.lv/g.jpg Foto\n```\n",
            "news/y.md",
            "lv",
            &StubSite,
        );
        assert_eq!(
            r.external_links,
            vec![
                (1, "https://www.erasmusplus.lv/#x".to_string()),
                (1, "HTTP://A.LV".to_string()),
                (3, "http://x.lv/f.jpg".to_string()),
                (8, "https://x.lv/g.jpg".to_string()),
            ]
        );
    }

    #[test]
    fn script_and_data_links_are_dropped_keeping_their_text() {
        let r = render(
            "[a](javascript:alert(1)) [b](JavaScript:x) [c](vbscript:x)\n\n[d](data:text/html,x) [e](java&#9;script:x) <javascript:alert(2)> [f](https://x.lv/?data:x)",
            "news/x.md",
            "lv",
            &StubSite,
        );
        assert_eq!(r.html.matches("<a ").count(), 1, "{}", r.html);
        assert!(r.html.contains("<p>a b c</p>"), "{}", r.html);
        assert!(
            r.html.contains("<p>d e javascript:alert(2) <a"),
            "{}",
            r.html
        );
        assert!(
            r.html.contains(r#"<a href="https://x.lv/?data:x">f</a>"#),
            "{}",
            r.html
        );
        let lines: Vec<usize> = r.dropped_links.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [1, 1, 1, 3, 3, 3], "{:?}", r.dropped_links);
        assert_eq!(r.dropped_links[0].1, "javascript:alert(1)");
    }

    #[test]
    fn headings_get_unique_ids() {
        let r = render(
            "## Ķīmija\n\n## Ķīmija\n\n## X {#mans}",
            "a.md",
            "lv",
            &StubSite,
        );
        assert!(r.html.contains(r#"<h2 id="kimija">"#), "{}", r.html);
        assert!(r.html.contains(r#"<h2 id="kimija-1">"#), "{}", r.html);
        assert_eq!(r.anchors, vec!["kimija", "kimija-1", "mans"]);
    }

    #[test]
    fn first_paragraph_and_extensions() {
        let r = render(
            "Pirmā *rindkopa*\nturpinās.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] darīts\n\n~~nē~~[^1]\n\n[^1]: Piezīme.",
            "a.md",
            "lv",
            &StubSite,
        );
        assert_eq!(r.first_paragraph, "Pirmā rindkopa turpinās.");
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("checkbox"));
        assert!(r.html.contains("<del>"));
        assert!(r.html.contains("footnote"));
    }

    #[test]
    fn scripts_and_missing_alt_are_noticed() {
        let r = render(
            "![](a.jpg)\n\n<div onclick=\"x()\">x</div>\n\n<script>x</script>",
            "a.md",
            "lv",
            &StubSite,
        );
        assert_eq!(r.images_without_alt, vec![1]);
        assert_eq!(r.scripts.len(), 2);
    }
}
