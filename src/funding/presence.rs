//! Whether a reader gets a page's funding block, decided on the browser's tree of the page.
//!
//! A block counts only when it is an element a reader gets: not in a comment, a raw-text
//! or RCDATA element (`<script>`, `<textarea>`, `<noscript>` …) or an attribute value, not
//! inert (`<template>`, `inert`), not hidden by markup (`hidden`, `aria-hidden="true"`, a
//! closed `<details>` …) or by an inline style (`display: none`, `visibility: hidden` …),
//! and it holds the emblem, the statement and the disclaimer where a reader sees them.
//!
//! The decision is made by one [`Reader`] walking the elements of the page in document
//! order. It is sound by construction, because the elements it walks are the browser's:
//!
//! - **The fast path** ([`presence_fast`]) reads pages written in a small subset of HTML
//!   in which a browser's tree builder does nothing but push an element for each start
//!   tag and pop it at its end tag: a whole document (`<html>`, `<head>`, `<body>` given,
//!   in that order, closed in order), whose body holds only elements from a list whose
//!   tree building is trivial, each end tag naming the element on top of the stack, and
//!   no start tag that would close or reopen anything (a block element while a `<p>` is
//!   open, an `<li>` outside a list, an `<a>` in an `<a>`, a table part outside its
//!   parent, text between a table's cells, HTML inside SVG …). The tokens come from
//!   [`super::lexer`], which stops at any byte it does not read as a WHATWG tokenizer
//!   does. In that subset the naive stack of open elements *is* the browser's tree. At
//!   the first token outside it, the fast path gives up.
//! - **Every other page** is parsed by html5ever's tree builder (the HTML standard's
//!   algorithm, [`presence_tree`]) and its tree is walked.
//!
//! Nothing here emulates the tree builder: where the fast path and a browser could
//! differ, the subset is narrowed. The `funding_presence` fuzz target checks the fast
//! path against html5ever's tree on every page the fast path reads.

use std::ops::ControlFlow;

use html5ever::tendril::TendrilSink;
use html5gum::State;
use html5gum::emitters::callback::CallbackEvent;
use markup5ever_rcdom::{Handle, NodeData, RcDom};

use super::lexer::StartTag;
use crate::msg;

/// The attribute that marks a funding block; its value is the project's code.
pub const MARKER: &str = "data-eu-funding";

/// What a page must show of one project's funding, as plain text.
#[derive(Debug, Clone, Copy)]
pub struct Required<'a> {
    pub code: &'a str,
    pub statement: &'a str,
    pub disclaimer: Option<&'a str>,
}

/// What became of one funding block (or one marker) a page holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// A block a reader gets, with the emblem, the statement and the disclaimer.
    Shown,
    /// No reader gets it; where it is, in words: "an HTML comment", "<div hidden>" …
    Hidden(String),
    /// A reader gets it, but it lacks something: "the EU emblem" …
    Incomplete(String),
}

/// One block (or marker) of a required project's code found in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: String,
    pub status: Status,
}

/// What a page shows of its funding blocks, and where a missing one can go.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Presence {
    pub findings: Vec<Finding>,
    /// The byte offset of the last `</main>` whose place a reader gets (fast path only).
    main_end: Option<usize>,
    /// The byte offset of `</body>` when a reader gets its place (fast path only).
    body_end: Option<usize>,
}

impl Presence {
    /// Whether the page shows a complete block for `code`.
    pub fn shown(&self, code: &str) -> bool {
        self.findings
            .iter()
            .any(|f| f.code == code && f.status == Status::Shown)
    }

    /// Where a block lapa adds may go, best first: the places the fast path saw a reader
    /// gets, then the last few `</main>` and `</body>` of the page (to be tried: a caller
    /// keeps one only when the page with the block put there shows it), then the end.
    pub(super) fn places(&self, html: &[u8]) -> Vec<usize> {
        let mut places: Vec<usize> = self.main_end.into_iter().chain(self.body_end).collect();
        for tag in [&b"</main"[..], b"</body"] {
            places.extend(last_tags(html, tag).take(3));
        }
        places.push(html.len());
        let mut seen = Vec::with_capacity(places.len());
        places.retain(|p| {
            let new = !seen.contains(p);
            seen.push(*p);
            new
        });
        places
    }
}

/// The offsets of `tag` (lowercase, matched in any case) in `html`, last first.
fn last_tags<'a>(html: &'a [u8], tag: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
    let mut end = html.len();
    std::iter::from_fn(move || {
        while end >= tag.len() {
            let at = memchr::memrchr(b'<', &html[..end])?;
            end = at;
            if html
                .get(at..at + tag.len())
                .is_some_and(|t| t.eq_ignore_ascii_case(tag))
            {
                return Some(at);
            }
        }
        None
    })
}

/// Read `html` and say, for each block or marker of a `required` project, whether a
/// reader gets it.
pub fn presence(html: &[u8], required: &[Required]) -> Presence {
    presence_with_body(html, required, None)
}

/// [`presence`] of a page that holds `body`, the HTML of a body lapa's Markdown wrote
/// with nothing in it that can hide, fake or unbalance a block (`Rendered::plain`): the
/// fast path jumps over it where it meets it between elements in a place where reading
/// it would change nothing (no block open, no `<p>`, `<a>`, heading or table around it,
/// not in SVG), and holds no marker. The answer is [`presence`]'s; the
/// `presence_body` fuzz target checks that it is.
pub fn presence_with_body(html: &[u8], required: &[Required], body: Option<&[u8]>) -> Presence {
    presence_with_known(html, required, body, &[])
}

/// [`presence_with_body`] that also jumps over `blocks`, funding blocks whose reading is
/// known (see [`KnownBlock`]), where it meets one as it meets the body, in a place no
/// ancestor hides: each counts as shown there. The answer is [`presence`]'s; the
/// `funding_presence` fuzz target checks that it is.
pub fn presence_with_known(
    html: &[u8],
    required: &[Required],
    body: Option<&[u8]>,
    blocks: &[KnownBlock],
) -> Presence {
    if let Some(found) = presence_fast_known(html, required, body, blocks) {
        crate::timing::count("pages read on the fast path"); // not a message: a timing counter
        return found;
    }
    crate::timing::count("pages read on html5ever's tree"); // not a message: a timing counter
    presence_tree(html, required)
}

/// [`presence`] for a page in the simple subset (see the module's documentation); None
/// for any other page.
pub fn presence_fast(html: &[u8], required: &[Required]) -> Option<Presence> {
    presence_fast_known(html, required, None, &[])
}

/// [`presence_fast`], jumping over `body` as [`presence_with_body`] says.
pub fn presence_fast_with_body(
    html: &[u8],
    required: &[Required],
    body: Option<&[u8]>,
) -> Option<Presence> {
    presence_fast_known(html, required, body, &[])
}

/// A funding block whose reading is known before it is read: the HTML lapa made for the
/// project `code`, which [`reads_alone`] found, alone in a page's `<main>`, to be one
/// complete block a reader gets and nothing else. Wherever the fast path may jump over a
/// body, in a place no ancestor hides, it reads the same: one shown block of `code`.
#[derive(Clone, Copy)]
pub struct KnownBlock<'a> {
    pub html: &'a [u8],
    pub code: &'a str,
}

/// Whether `block`, alone in a page's `<main>`, reads on the fast path as one complete
/// block of `required` that a reader gets, and nothing else: so that reading it anywhere
/// the fast path may jump over it gives the same (see [`KnownBlock`]). Its elements must
/// close within it, its only marker must be its own, and no character reference may
/// spell another (a reference's text is searched for markers, not the page's bytes).
pub fn reads_alone(block: &[u8], required: &Required) -> bool {
    let spelled = |tag: &[u8]| {
        block
            .windows(tag.len())
            .any(|w| w.eq_ignore_ascii_case(tag))
    };
    if !block.starts_with(b"<")
        || MARKER_FINDER.find_iter(block).count() != 1
        || memchr::memmem::find(block, b"&#").is_some()
        || [
            &b"<main"[..],
            b"</main",
            b"<body",
            b"</body",
            b"<html",
            b"</html",
        ]
        .iter()
        .any(|t| spelled(t))
    {
        return false;
    }
    let before = b"<!doctype html><html><head></head><body><main>";
    let mut page = Vec::with_capacity(block.len() + 64);
    page.extend_from_slice(before);
    page.extend_from_slice(block);
    let main_end = page.len();
    page.extend_from_slice(b"</main></body></html>");
    let Some(found) = presence_fast(&page, std::slice::from_ref(required)) else {
        return false;
    };
    found.main_end == Some(main_end)
        && found.findings
            == [Finding {
                code: required.code.to_string(),
                status: Status::Shown,
            }]
}

/// What the fast path may jump over.
#[derive(Clone, Copy)]
enum Skip<'a> {
    /// A plain body of lapa's Markdown, this many bytes long.
    Body(usize),
    /// A [`KnownBlock`] of this code.
    Block(&'a str),
}

/// [`presence_fast`], jumping over `body` and `blocks` as [`presence_with_known`] says.
fn presence_fast_known(
    html: &[u8],
    required: &[Required],
    body: Option<&[u8]>,
    blocks: &[KnownBlock],
) -> Option<Presence> {
    let reader = Reader::new(required, html);
    let mut parts: Vec<&[u8]> = Vec::with_capacity(blocks.len() + 1);
    let mut kinds = Vec::with_capacity(blocks.len() + 1);
    if let Some(body) = body.filter(|b| b.starts_with(b"<")) {
        parts.push(body);
        kinds.push(Skip::Body(body.len()));
    }
    for b in blocks.iter().filter(|b| b.html.starts_with(b"<")) {
        parts.push(b.html);
        kinds.push(Skip::Block(b.code));
    }
    let mut simple = Simple {
        reader,
        phase: Phase::BeforeHtml,
        tag: Vec::new(),
        attributes: Vec::new(),
        main_end: None,
        body_end: None,
        skips: kinds,
    };
    if !super::lexer::read(html, &parts, &mut simple) {
        return None;
    }
    if !matches!(simple.phase, Phase::AfterBody | Phase::AfterHtml) {
        return None;
    }
    let (main_end, body_end) = (simple.main_end, simple.body_end);
    Some(simple.reader.finish(main_end, body_end))
}

/// [`presence`] on the tree html5ever's tree builder makes of the page.
pub fn presence_tree(html: &[u8], required: &[Required]) -> Presence {
    let text = String::from_utf8_lossy(html);
    let dom = html5ever::parse_document(RcDom::default(), Default::default()).one(&*text);
    let mut reader = Reader::new(required, &[]);
    let mut name_buf = Vec::new();
    enum Step {
        Enter(Handle),
        Exit,
    }
    // Depth first, with a stack of its own: a page may nest elements deeper than the
    // thread's stack would allow recursion to go.
    let mut steps: Vec<Step> = dom
        .document
        .children
        .borrow()
        .iter()
        .rev()
        .map(|c| Step::Enter(c.clone()))
        .collect();
    while let Some(step) = steps.pop() {
        let node = match step {
            Step::Exit => {
                reader.end();
                continue;
            }
            Step::Enter(node) => node,
        };
        match &node.data {
            NodeData::Text { contents } => reader.text(contents.borrow().as_bytes()),
            NodeData::Comment { contents } => reader.comment(contents.as_bytes()),
            NodeData::Element {
                name,
                attrs,
                template_contents,
                ..
            } => {
                for a in attrs.borrow().iter() {
                    // The name as the tokenizer read it (`xlink:href`, `viewbox`).
                    name_buf.clear();
                    if let Some(prefix) = &a.name.prefix {
                        name_buf.extend_from_slice(prefix.as_bytes());
                        name_buf.push(b':');
                    }
                    name_buf.extend_from_slice(a.name.local.as_bytes());
                    name_buf.make_ascii_lowercase();
                    reader.attribute_name(&name_buf);
                    if !a.value.is_empty() {
                        reader.attribute_value(&name_buf, a.value.as_bytes());
                    }
                }
                let html_ns = name.ns == html5ever::ns!(html);
                let children = node.children.borrow();
                // A declarative shadow root replaces what its host shows.
                let shadow = children.iter().any(|c| match &c.data {
                    NodeData::Element { name, attrs, .. } => {
                        &*name.local == "template"
                            && attrs
                                .borrow()
                                .iter()
                                .any(|a| matches!(&*a.name.local, "shadowrootmode" | "shadowroot"))
                    }
                    _ => false,
                });
                reader.start(name.local.as_bytes(), !html_ns, shadow);
                steps.push(Step::Exit);
                steps.extend(children.iter().rev().map(|c| Step::Enter(c.clone())));
                if let Some(contents) = &*template_contents.borrow() {
                    let inner = contents.children.borrow();
                    steps.extend(inner.iter().rev().map(|c| Step::Enter(c.clone())));
                }
            }
            _ => {}
        }
    }
    reader.finish(None, None)
}

/// The tree builder's insertion modes the fast path reads, in the order a page in its
/// subset goes through them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    BeforeHtml,
    BeforeHead,
    InHead,
    AfterHead,
    InBody,
    AfterBody,
    AfterHtml,
}

/// The fast path: the lexer's tokens, checked to lie in the simple subset, handed to the
/// [`Reader`] as the elements of the browser's tree.
struct Simple<'r> {
    reader: Reader<'r>,
    phase: Phase,
    /// The start tag being read, and its attribute names so far (each ended by a NUL,
    /// which a name the lexer reads never holds).
    tag: Vec<u8>,
    attributes: Vec<u8>,
    main_end: Option<usize>,
    body_end: Option<usize>,
    /// What each of the lexer's skips is.
    skips: Vec<Skip<'r>>,
}

/// What a fast-path step gives the lexer: the state to read on in, or a stop.
type Next = ControlFlow<(), Option<State>>;

const STOP: Next = ControlFlow::Break(());
const ON: Next = ControlFlow::Continue(None);

/// SVG elements the fast path reads inside `<svg>`: none of them is an HTML integration
/// point but `title` and `desc` (which may hold text only), none ends foreign content.
fn svg_leaf(name: &[u8]) -> bool {
    matches!(
        name,
        b"g" | b"path"
            | b"rect"
            | b"circle"
            | b"ellipse"
            | b"line"
            | b"polyline"
            | b"polygon"
            | b"use"
            | b"defs"
            | b"symbol"
            | b"title"
            | b"desc"
    )
}

/// Start tags a browser's "in body" rules do more with than push an element (or push and
/// pop a void one), beyond what [`Simple::body_start`] checks: the fast path stops there.
fn not_simple(name: &[u8]) -> bool {
    matches!(
        name,
        b"html"
            | b"body"
            | b"head"
            | b"frameset"
            | b"frame"
            | b"template"
            | b"plaintext"
            | b"listing"
            | b"nobr"
            | b"applet"
            | b"marquee"
            | b"object"
            | b"image"
            | b"select"
            | b"optgroup"
            | b"option"
            | b"rb"
            | b"rtc"
            | b"rp"
            | b"rt"
            | b"math"
            | b"caption"
            | b"col"
            | b"colgroup"
            | b"tbody"
            | b"thead"
            | b"tfoot"
            | b"tr"
            | b"td"
            | b"th"
            | b"keygen"
            | b"basefont"
            | b"bgsound"
            | b"isindex"
            | b"menuitem"
            | b"search"
    )
}

impl super::lexer::Tokens for Simple<'_> {
    fn event(&mut self, event: CallbackEvent<'_>, at: usize) -> Next {
        self.token(event, at)
    }

    /// The events of `tag` as [`Simple::token`] reads them, without the buffers the
    /// events one by one need (the name and its attributes are here at once).
    fn start_tag(&mut self, tag: &StartTag<'_>) -> Next {
        self.reader.attrs = Attributes::default();
        for (i, a) in tag.attributes.iter().enumerate() {
            // A browser keeps the first of two attributes of one name: not followed.
            if tag.attributes[..i].iter().any(|b| b.name == a.name) {
                return STOP;
            }
            self.reader.attribute_name(a.name);
            if !a.value.is_empty() {
                self.reader.attribute_value(a.name, a.value);
            }
        }
        self.open_tag(tag.name, tag.self_closing)
    }

    /// Whether a part met here may go unread: reading it would open and close its own
    /// elements only, each accepted as where it is (no `<p>`, `<a>`, `<button>` or
    /// `<form>` open for its own to meet, no heading, table or SVG around it), and no
    /// block is being read that its text or an emblem in it would count for. A known
    /// funding block, besides, must have no ancestor that hides it: it then counts as
    /// shown, as reading it would find.
    fn may_skip(&mut self, which: usize, at: usize) -> bool {
        let may = self.phase == Phase::InBody
            && self.reader.blocks.is_empty()
            && self.top().is_some_and(|t| {
                !t.foreign && !t.raw && !table_context(&t.name) && !heading(&t.name)
            })
            // (No element on the stack is SVG's when the top is not.)
            && self.reader.nesting == [0; 4];
        if !may {
            return false;
        }
        match self.skips.get(which) {
            // A body that holds a marker is read: the marker is a finding.
            Some(&Skip::Body(len)) => {
                let end = at + len;
                let marked = self
                    .reader
                    .marks
                    .iter()
                    .any(|&m| m < end && m + MARKER.len() > at);
                if !marked {
                    crate::timing::count("bodies the fast path did not read"); // not a message: a timing counter
                }
                !marked
            }
            Some(Skip::Block(code)) if self.top().is_some_and(|t| !t.hidden) => {
                self.reader.findings.push(Finding {
                    code: code.to_string(),
                    status: Status::Shown,
                });
                crate::timing::count("funding blocks the fast path did not read"); // not a message: a timing counter
                true
            }
            _ => false,
        }
    }
}

fn heading(name: &[u8]) -> bool {
    matches!(name, b"h1" | b"h2" | b"h3" | b"h4" | b"h5" | b"h6")
}

impl Simple<'_> {
    fn token(&mut self, event: CallbackEvent<'_>, at: usize) -> Next {
        match event {
            CallbackEvent::OpenStartTag { name } => {
                self.tag.clear();
                self.tag.extend_from_slice(name);
                self.attributes.clear();
                self.reader.attrs = Attributes::default();
                ON
            }
            CallbackEvent::AttributeName { name } => {
                // A browser keeps the first of two attributes of one name: not followed.
                if self.attributes.split(|&b| b == 0).any(|a| a == name) {
                    return STOP;
                }
                self.attributes.extend_from_slice(name);
                self.attributes.push(0);
                self.reader.attribute_name(name);
                ON
            }
            CallbackEvent::AttributeValue { value } => {
                // The attribute's name is the last in `attributes`.
                let names = self.attributes.strip_suffix(&[0]).unwrap_or_default();
                let name = names.rsplit(|&b| b == 0).next().unwrap_or_default();
                self.reader.attribute_value(name, value);
                ON
            }
            CallbackEvent::CloseStartTag { self_closing } => {
                let name = std::mem::take(&mut self.tag);
                let next = self.open_tag(&name, self_closing);
                self.tag = name;
                next
            }
            CallbackEvent::EndTag { name } => self.end_tag(name, at),
            CallbackEvent::String { value } => self.text(value),
            CallbackEvent::Comment { value } => {
                self.reader.comment(value);
                ON
            }
            CallbackEvent::Doctype { .. } if self.phase == Phase::BeforeHtml => ON,
            CallbackEvent::Doctype { .. } | CallbackEvent::Error(_) => STOP,
        }
    }

    fn top(&self) -> Option<&Open> {
        self.reader.stack.last()
    }

    /// Whether an HTML element `name` (`p`, `a`, `button` or `form`) is open.
    fn open(&self, name: &[u8]) -> bool {
        nesting(name).is_some_and(|i| self.reader.nesting[i] > 0)
    }

    /// Whether an <li>, <dd> or <dt> starting here closes nothing: a browser looks down
    /// the stack for an open item to close, past <div>s only, and stops at a list. The
    /// fast path reads the case where it reaches a list (`<ul>`, `<ol>`, `<menu>`,
    /// `<dl>`) past nothing but <div>s.
    fn in_list(&self) -> bool {
        for o in self.reader.stack.iter().rev() {
            match &*o.name {
                b"div" => continue,
                b"ul" | b"ol" | b"menu" | b"dl" => return !o.foreign,
                _ => return false,
            }
        }
        false
    }

    /// The start tag `name`, its attributes read.
    fn open_tag(&mut self, name: &[u8], self_closing: bool) -> Next {
        let (expected, then) = match self.phase {
            Phase::BeforeHtml => (&b"html"[..], Phase::BeforeHead),
            Phase::BeforeHead => (&b"head"[..], Phase::InHead),
            Phase::AfterHead => (&b"body"[..], Phase::InBody),
            Phase::InHead => return self.head_start(name),
            Phase::InBody => return self.body_start(name, self_closing),
            Phase::AfterBody | Phase::AfterHtml => return STOP,
        };
        if name != expected {
            return STOP;
        }
        self.reader.start(name, false, false);
        self.phase = then;
        ON
    }

    fn head_start(&mut self, name: &[u8]) -> Next {
        if self.top().is_none_or(|o| &*o.name != b"head") {
            return STOP;
        }
        match name {
            b"meta" | b"link" | b"base" => {
                self.reader.start(name, false, false);
                self.reader.end();
                ON
            }
            b"title" | b"style" | b"script" | b"noscript" => {
                self.reader.start(name, false, false);
                match kind(name) {
                    Kind::Raw(state) => ControlFlow::Continue(Some(state)),
                    _ => STOP,
                }
            }
            _ => STOP,
        }
    }

    fn body_start(&mut self, name: &[u8], self_closing: bool) -> Next {
        let Some(top) = self.top() else {
            return STOP;
        };
        if top.foreign {
            // Inside SVG: leaves only, and text alone in <title> and <desc>.
            if !svg_leaf(name) || matches!(&*top.name, b"title" | b"desc") {
                return STOP;
            }
            self.reader.start(name, true, false);
            if self_closing {
                self.reader.end();
            }
            return ON;
        }
        let top: &[u8] = &top.name;
        // A table's parts, each given and each in its own parent.
        let parent: &[u8] = match name {
            b"thead" | b"tbody" | b"tfoot" => b"table",
            b"tr" => {
                if !matches!(top, b"thead" | b"tbody" | b"tfoot") {
                    return STOP;
                }
                top
            }
            b"td" | b"th" => b"tr",
            _ if table_context(top) => return STOP,
            _ => b"",
        };
        if !parent.is_empty() {
            if top != parent {
                return STOP;
            }
            self.reader.start(name, false, false);
            return ON;
        }
        if not_simple(name) {
            return STOP;
        }
        let stops = match name {
            b"h1" | b"h2" | b"h3" | b"h4" | b"h5" | b"h6" => heading(top),
            b"li" | b"dd" | b"dt" => !self.in_list(),
            b"a" | b"button" | b"form" => self.open(name),
            _ => false,
        };
        if stops {
            return STOP;
        }
        // A browser closes an open <p> before these: the fast path stops instead.
        if (closes_p(name) || matches!(name, b"li" | b"dd" | b"dt")) && self.open(b"p") {
            return STOP;
        }
        let kind = kind(name);
        let svg = name == b"svg";
        self.reader.start(name, svg, false);
        if kind == Kind::Void || (svg && self_closing) {
            self.reader.end();
        }
        match kind {
            Kind::Raw(State::PlainText) => STOP,
            Kind::Raw(state) => ControlFlow::Continue(Some(state)),
            _ => ON,
        }
    }

    fn end_tag(&mut self, name: &[u8], at: usize) -> Next {
        let Some(top) = self.top() else {
            return STOP;
        };
        // Every end tag names the element on top, so it closes that one and no other.
        if *top.name != *name {
            return STOP;
        }
        let shown = !top.hidden;
        match (self.phase, name) {
            (Phase::InHead, b"head") => self.phase = Phase::AfterHead,
            (Phase::InHead, _) => {}
            (Phase::InBody, b"body") => {
                self.phase = Phase::AfterBody;
                self.body_end = shown.then_some(at);
            }
            (Phase::InBody, b"main") => {
                if shown && !top.foreign {
                    self.main_end = Some(at);
                }
            }
            (Phase::InBody, _) => {}
            (Phase::AfterBody, b"html") => self.phase = Phase::AfterHtml,
            _ => return STOP,
        }
        self.reader.end();
        ON
    }

    fn text(&mut self, value: &[u8]) -> Next {
        let blank = || value.iter().all(|&b| lexer_space(b));
        let Some(top) = self.top() else {
            return if blank() { ON } else { STOP };
        };
        let read = match self.phase {
            // Text in a table but outside its cells is moved out of the table.
            Phase::InBody => top.foreign || !table_context(&top.name) || blank(),
            Phase::InHead => top.raw || blank(),
            _ => blank(),
        };
        if !read {
            return STOP;
        }
        self.reader.text(value);
        ON
    }
}

/// HTML's whitespace, as the tokenizer and tree builder read it (no CR: the lexer never
/// gives one).
fn lexer_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0C' | b' ')
}

/// Start tags that close an open <p> first.
fn closes_p(name: &[u8]) -> bool {
    matches!(
        name,
        b"address"
            | b"article"
            | b"aside"
            | b"blockquote"
            | b"center"
            | b"details"
            | b"dialog"
            | b"dir"
            | b"div"
            | b"dl"
            | b"fieldset"
            | b"figcaption"
            | b"figure"
            | b"footer"
            | b"form"
            | b"h1"
            | b"h2"
            | b"h3"
            | b"h4"
            | b"h5"
            | b"h6"
            | b"header"
            | b"hgroup"
            | b"hr"
            | b"listing"
            | b"main"
            | b"menu"
            | b"nav"
            | b"ol"
            | b"p"
            | b"plaintext"
            | b"pre"
            | b"search"
            | b"section"
            | b"summary"
            | b"table"
            | b"ul"
            | b"xmp"
    )
}

/// A tag name, kept inline when short (as nearly all are), so that opening an element
/// allocates nothing.
enum Name {
    Inline { len: u8, bytes: [u8; 22] },
    Heap(Box<[u8]>),
}

impl Name {
    fn new(name: &[u8]) -> Name {
        let mut bytes = [0; 22];
        match (bytes.get_mut(..name.len()), u8::try_from(name.len())) {
            (Some(inline), Ok(len)) => {
                inline.copy_from_slice(name);
                Name::Inline { len, bytes }
            }
            _ => Name::Heap(name.into()),
        }
    }
}

impl std::ops::Deref for Name {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Name::Inline { len, bytes } => &bytes[..usize::from(*len)],
            Name::Heap(name) => name,
        }
    }
}

/// An element the reader is inside.
struct Open {
    /// Tag name (lowercase, as the tokenizer gives it, for every element the fast path
    /// reads).
    name: Name,
    /// In SVG or MathML (this element or an ancestor).
    foreign: bool,
    /// This element or an ancestor keeps its content from readers.
    hidden: bool,
    /// Why this element itself keeps its content from readers.
    why: Option<Why>,
    /// A raw-text or RCDATA element: its content is text, never markup.
    raw: bool,
    /// The funding block this element is (an index into `Reader::blocks`).
    block: Option<usize>,
    /// Which of `Reader::nesting` counts this element.
    nests: Option<usize>,
}

/// Which count of `Reader::nesting` an HTML element `name` is in: the elements a start
/// tag of the same name closes or is refused in (`<a>`, `<button>`, `<form>`), or that
/// a block element closes (`<p>`).
fn nesting(name: &[u8]) -> Option<usize> {
    match name {
        b"p" => Some(0),
        b"a" => Some(1),
        b"button" => Some(2),
        b"form" => Some(3),
        _ => None,
    }
}

/// A visible block being read.
struct Block {
    finding: usize,
    required: usize,
    emblem: bool,
    /// The text a reader gets, whitespace collapsed.
    text: String,
}

/// Finds `MARKER`; built once, not for every page.
static MARKER_FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
    std::sync::LazyLock::new(|| memchr::memmem::Finder::new(MARKER.as_bytes()));

/// What the elements of a page, met in document order, show of its funding blocks.
struct Reader<'r> {
    required: &'r [Required<'r>],
    /// Finds `MARKER` in comments, raw text and attribute values.
    marker: &'static memchr::memmem::Finder<'static>,
    stack: Vec<Open>,
    /// How many HTML `<p>`, `<a>`, `<button>` and `<form>` elements are open (see
    /// [`nesting`]), so that no start tag looks down the stack for one.
    nesting: [u32; 4],
    blocks: Vec<Block>,
    findings: Vec<Finding>,
    /// The attributes of the element about to start.
    attrs: Attributes,
    /// The page as the fast path reads it (empty on html5ever's tree), and the offsets of
    /// `MARKER` in it: a text that lies in the page holds a marker only where one of
    /// these does, so most texts need no search of their own.
    page: &'r [u8],
    marks: Vec<usize>,
}

/// The attributes of a start tag that decide visibility, and the block's code.
#[derive(Default)]
struct Attributes {
    marker: Option<String>,
    hidden: bool,
    inert: bool,
    aria_hidden: bool,
    open: bool,
    style: Option<String>,
    /// Which of the above the current attribute is (the first of each name counts).
    current: Option<Which>,
    seen: u8,
}

impl Attributes {
    /// Read the value of the attribute just named, unless one of its name came first
    /// (a browser keeps the first).
    fn take(&mut self, which: Which) {
        if self.seen & which as u8 == 0 {
            self.seen |= which as u8;
            self.current = Some(which);
        }
    }
}

#[derive(Clone, Copy)]
enum Which {
    Marker = 1,
    AriaHidden = 2,
    Style = 4,
}

/// What an HTML element's name says about how a browser reads and shows it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// No content and no end tag (`<br>`, `<img>` …).
    Void,
    /// Content no reader gets, whatever the attributes (`<template>`, `<svg>` …).
    NotShown,
    /// A raw-text or RCDATA element: its content is text, read in this state.
    Raw(State),
    /// Content shown only with `open`.
    Details,
    Dialog,
    Other,
}

/// An element that, open on top, means a table but not a cell.
fn table_context(name: &[u8]) -> bool {
    matches!(
        name,
        b"table" | b"tbody" | b"thead" | b"tfoot" | b"tr" | b"colgroup"
    )
}

/// One `match`, so the many tags of a page cost a jump each, not list searches.
fn kind(name: &[u8]) -> Kind {
    match name {
        b"area" | b"base" | b"basefont" | b"bgsound" | b"br" | b"col" | b"embed" | b"frame"
        | b"hr" | b"img" | b"input" | b"keygen" | b"link" | b"meta" | b"param" | b"source"
        | b"track" | b"wbr" => Kind::Void,
        b"template" | b"head" | b"select" | b"datalist" | b"audio" | b"video" | b"canvas"
        | b"object" | b"frameset" | b"svg" | b"math" => Kind::NotShown,
        b"textarea" | b"title" => Kind::Raw(State::RcData),
        b"script" => Kind::Raw(State::ScriptData),
        b"style" | b"xmp" | b"iframe" | b"noembed" | b"noframes" | b"noscript" => {
            Kind::Raw(State::RawText)
        }
        b"plaintext" => Kind::Raw(State::PlainText),
        b"details" => Kind::Details,
        b"dialog" => Kind::Dialog,
        _ => Kind::Other,
    }
}

impl<'r> Reader<'r> {
    /// A reader of the page `page` (empty when the elements come from html5ever's tree).
    fn new(required: &'r [Required<'r>], page: &'r [u8]) -> Reader<'r> {
        let marker: &'static memchr::memmem::Finder<'static> = &MARKER_FINDER;
        let marks = marker.find_iter(page).collect();
        Reader {
            required,
            marker,
            stack: Vec::with_capacity(32),
            nesting: [0; 4],
            blocks: Vec::new(),
            findings: Vec::new(),
            attrs: Attributes::default(),
            page,
            marks,
        }
    }

    /// Whether `text` holds `MARKER`.
    fn has_marker(&self, text: &[u8]) -> bool {
        let page = self.page.as_ptr_range();
        let within = text.as_ptr_range();
        if !self.page.is_empty() && page.start <= within.start && within.end <= page.end {
            // A slice of the page itself (not a decoded copy): look up the offsets.
            let from = within.start as usize - page.start as usize;
            let to = from + text.len();
            return self
                .marks
                .iter()
                .any(|&m| from <= m && m + MARKER.len() <= to);
        }
        self.marker.find(text).is_some()
    }

    fn attribute_name(&mut self, name: &[u8]) {
        let a = &mut self.attrs;
        a.current = None;
        match name {
            b"hidden" => a.hidden = true,
            b"inert" => a.inert = true,
            b"open" => a.open = true,
            b"aria-hidden" => a.take(Which::AriaHidden),
            b"style" => a.take(Which::Style),
            b"data-eu-funding" => a.take(Which::Marker),
            _ => {}
        }
    }

    /// The value of the attribute `name` just named.
    fn attribute_value(&mut self, name: &[u8], value: &[u8]) {
        let text = || String::from_utf8_lossy(value).into_owned();
        match self.attrs.current {
            Some(Which::Marker) => self.attrs.marker = Some(text()),
            Some(Which::AriaHidden) => {
                self.attrs.aria_hidden = value.trim_ascii().eq_ignore_ascii_case(b"true")
            }
            Some(Which::Style) => self.attrs.style = Some(text()),
            None => {
                if self.has_marker(value) {
                    let attr = String::from_utf8_lossy(name).into_owned();
                    self.stray(value, || msg!("presence-in-attribute", attr = attr));
                }
            }
        }
    }

    fn comment(&mut self, value: &[u8]) {
        self.stray(value, || msg!("presence-in-comment"));
    }

    /// A marker of a required code in text no reader gets as markup.
    fn stray(&mut self, text: &[u8], why: impl Fn() -> String) {
        if !self.has_marker(text) {
            return;
        }
        for r in self.required {
            let escaped = crate::escape::html(r.code);
            let has = |code: &str| memchr::memmem::find(text, code.as_bytes()).is_some();
            if has(r.code) || has(&escaped) {
                self.findings.push(Finding {
                    code: r.code.to_string(),
                    status: Status::Hidden(why()),
                });
            }
        }
    }

    /// An element `name` starts, with the attributes read since the last one: `foreign`
    /// when it is in SVG's or MathML's namespace, `shadow` when it hosts a declarative
    /// shadow root.
    fn start(&mut self, name: &[u8], foreign: bool, shadow: bool) {
        let attrs = std::mem::take(&mut self.attrs);
        let (parent_foreign, parent_hidden) = self
            .stack
            .last()
            .map_or((false, false), |o| (o.foreign, o.hidden));
        // In SVG and MathML, names mean nothing to HTML.
        let kind = if parent_foreign {
            Kind::Other
        } else {
            kind(name)
        };
        let mut own = own_hiding(kind, &attrs);
        if shadow && own.is_none() {
            own = Some(Why::ShadowRoot);
        }
        self.separate();
        let hidden = parent_hidden || own.is_some();
        if name == b"svg"
            && !parent_foreign
            && !parent_hidden
            && own_attribute_hiding(&attrs).is_none()
        {
            for b in &mut self.blocks {
                b.emblem = true;
            }
        }
        let mut block = None;
        if let Some(code) = &attrs.marker
            && let Some(required) = self.required.iter().position(|r| r.code == code)
        {
            let finding = self.findings.len();
            let status = if hidden {
                let own = own.as_ref().map(|w| w.words(name));
                Status::Hidden(own.or_else(|| self.reason()).unwrap_or_default())
            } else {
                Status::Shown
            };
            self.findings.push(Finding {
                code: code.clone(),
                status: status.clone(),
            });
            if status == Status::Shown {
                block = Some(self.blocks.len());
                self.blocks.push(Block {
                    finding,
                    required,
                    emblem: false,
                    text: String::new(),
                });
            }
        }
        let foreign = parent_foreign || foreign;
        let nests = if foreign { None } else { nesting(name) };
        if let Some(i) = nests {
            self.nesting[i] += 1;
        }
        self.stack.push(Open {
            name: Name::new(name),
            foreign,
            hidden,
            why: own,
            raw: matches!(kind, Kind::Raw(_)),
            block,
            nests,
        });
    }

    /// The innermost element ends.
    fn end(&mut self) {
        self.separate();
        let Some(open) = self.stack.pop() else {
            return;
        };
        if let Some(i) = open.nests {
            self.nesting[i] -= 1;
        }
        if let Some(b) = open.block {
            self.finish_block(b);
        }
    }

    /// Why the open elements hide their content: the innermost reason.
    fn reason(&self) -> Option<String> {
        self.stack
            .iter()
            .rev()
            .find_map(|o| Some(o.why.as_ref()?.words(&o.name)))
    }

    fn finish_block(&mut self, b: usize) {
        let block = &self.blocks[b];
        let r = &self.required[block.required];
        let has = |t: &str| contains(block.text.as_bytes(), collapse(t).trim().as_bytes());
        let status = if !block.emblem {
            Status::Incomplete(msg!("presence-lacks-emblem"))
        } else if !has(r.statement) {
            Status::Incomplete(msg!("presence-lacks-statement", statement = r.statement))
        } else if r.disclaimer.is_some_and(|d| !has(d)) {
            Status::Incomplete(msg!("presence-lacks-disclaimer"))
        } else {
            Status::Shown
        };
        self.findings[block.finding].status = status;
        // Blocks finish innermost first; a finished one reads no more text.
        self.blocks.truncate(b);
    }

    fn text(&mut self, value: &[u8]) {
        let Some(top) = self.stack.last() else {
            return;
        };
        if top.raw {
            if !self.has_marker(value) {
                return;
            }
            let tag = String::from_utf8_lossy(&top.name).into_owned();
            self.stray(value, || format!("<{tag}>"));
            return;
        }
        if top.foreign {
            // Text in SVG or MathML (a CDATA section's, say) is no block.
            if self.has_marker(value) {
                let why = self.reason().unwrap_or_default();
                self.stray(value, || why.clone());
            }
            return;
        }
        if top.hidden || self.blocks.is_empty() {
            return;
        }
        let text = String::from_utf8_lossy(value);
        for b in &mut self.blocks {
            push_collapsed(&mut b.text, &text);
        }
    }

    /// A tag between two texts separates their words.
    fn separate(&mut self) {
        for b in &mut self.blocks {
            if !b.text.is_empty() && !b.text.ends_with(' ') {
                b.text.push(' ');
            }
        }
    }

    fn finish(mut self, main_end: Option<usize>, body_end: Option<usize>) -> Presence {
        while !self.stack.is_empty() {
            self.end();
        }
        Presence {
            findings: self.findings,
            main_end,
            body_end,
        }
    }
}

/// Why an element keeps its content from readers; put in words (with the element's
/// name) only for a block or marker it hides.
enum Why {
    Hidden,
    Inert,
    AriaHidden,
    /// A declaration of its inline style, as "display: none".
    Style(String),
    /// Its name: `<template>`, `<svg>`, `<textarea>` …
    Element,
    ClosedDetails,
    ClosedDialog,
    ShadowRoot,
}

impl Why {
    /// The reason in words, for the element `name`.
    fn words(&self, name: &[u8]) -> String {
        let name = String::from_utf8_lossy(name);
        match self {
            Why::Hidden => format!("<{name} hidden>"),
            Why::Inert => format!("<{name} inert>"),
            Why::AriaHidden => format!("<{name} aria-hidden=\"true\">"),
            Why::Style(d) => format!("<{name} style=\"{d}\">"),
            Why::Element => format!("<{name}>"),
            Why::ClosedDetails => msg!("presence-in-closed-details"),
            Why::ClosedDialog => msg!("presence-in-closed-dialog"),
            Why::ShadowRoot => msg!("presence-in-shadow-root"),
        }
    }
}

/// Why an element keeps its content from readers, by its kind or its attributes.
fn own_hiding(kind: Kind, attrs: &Attributes) -> Option<Why> {
    if let Some(why) = own_attribute_hiding(attrs) {
        return Some(why);
    }
    match kind {
        Kind::NotShown | Kind::Raw(_) => Some(Why::Element),
        Kind::Details if !attrs.open => Some(Why::ClosedDetails),
        Kind::Dialog if !attrs.open => Some(Why::ClosedDialog),
        _ => None,
    }
}

/// Why an element's attributes keep it from readers: `hidden`, `inert`,
/// `aria-hidden="true"`, or an inline style.
fn own_attribute_hiding(attrs: &Attributes) -> Option<Why> {
    if attrs.hidden {
        return Some(Why::Hidden);
    }
    if attrs.inert {
        return Some(Why::Inert);
    }
    if attrs.aria_hidden {
        return Some(Why::AriaHidden);
    }
    let style = attrs.style.as_deref()?;
    hiding_declaration(style).map(Why::Style)
}

/// The declaration of an inline style that hides an element, as "display: none".
fn hiding_declaration(style: &str) -> Option<String> {
    // An escape could spell any property or value: lapa does not try to read it.
    if style.contains('\\') {
        return Some(style.trim().to_string());
    }
    let style = strip_css_comments(style).to_ascii_lowercase();
    for declaration in style.split(';') {
        let Some((property, value)) = declaration.split_once(':') else {
            continue;
        };
        let property = property.trim();
        let value = collapse(value.trim().trim_end_matches("!important").trim());
        let hides = match property {
            "display" => value == "none",
            "visibility" => value == "hidden" || value == "collapse",
            "content-visibility" => value == "hidden",
            "opacity" => {
                let v = value.trim_end_matches('%');
                v.parse::<f64>().is_ok_and(|o| o <= 0.0)
            }
            _ => false,
        };
        if hides {
            return Some(format!("{property}: {value}"));
        }
    }
    None
}

fn strip_css_comments(style: &str) -> String {
    let mut out = String::with_capacity(style.len());
    let mut rest = style;
    while let Some(open) = rest.find("/*") {
        out.push_str(&rest[..open]);
        out.push(' ');
        rest = match rest[open + 2..].find("*/") {
            Some(close) => &rest[open + 2 + close + 2..],
            None => "",
        };
    }
    out.push_str(rest);
    out
}

/// `text` with each run of whitespace as one space.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_collapsed(&mut out, text);
    out
}

/// Whether `haystack` holds `needle`. A block's text and the texts it must hold are short,
/// where building a searcher costs more than comparing at each place the needle's first
/// byte is; a long pair (which a page could make) gets a searcher, so the time stays linear.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    let Some(&first) = needle.first() else {
        return true;
    };
    if haystack.len().saturating_mul(needle.len()) > 1 << 22 {
        return memchr::memmem::find(haystack, needle).is_some();
    }
    let mut from = 0;
    while let Some(k) = memchr::memchr(first, &haystack[from..]) {
        if haystack[from + k..].starts_with(needle) {
            return true;
        }
        from += k + 1;
    }
    false
}

/// The bytes that may begin a whitespace character (`char::is_whitespace`): ASCII's
/// own, and the first bytes of U+0085, U+00A0, U+1680, U+2000–U+205F and U+3000.
static MAY_BEGIN_SPACE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = matches!(b, 0x09..=0x0D | 0x20 | 0xC2 | 0xE1 | 0xE2 | 0xE3);
        b += 1;
    }
    table
};

/// `text` pushed onto `out` with each run of whitespace (`char::is_whitespace`) as one
/// space, and none at the start of `out`. Runs of other characters are copied whole.
fn push_collapsed(out: &mut String, text: &str) {
    let mut space = out.is_empty() || out.ends_with(' ');
    let bytes = text.as_bytes();
    // The start of the run of other characters not yet copied.
    let mut from = 0;
    let mut i = 0;
    while let Some(k) = bytes[i..]
        .iter()
        .position(|&b| MAY_BEGIN_SPACE[usize::from(b)])
    {
        i += k;
        let width = if bytes[i].is_ascii() {
            1
        } else {
            match text[i..].chars().next() {
                Some(c) if c.is_whitespace() => c.len_utf8(),
                _ => 0,
            }
        };
        if width == 0 {
            i += 1;
            continue;
        }
        if from < i {
            out.push_str(&text[from..i]);
            space = false;
        }
        if !space {
            out.push(' ');
            space = true;
        }
        i += width;
        from = i;
    }
    if from < bytes.len() {
        out.push_str(&text[from..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BLOCK: &str = "<section data-eu-funding=\"A-1\"><svg viewBox=\"0 0 3 2\"><title>Karogs</title></svg>\
         <p>Līdzfinansē Eiropas Savienība</p><p>Atruna &amp; teksts.</p></section>";

    fn required() -> [Required<'static>; 1] {
        [Required {
            code: "A-1",
            statement: "Līdzfinansē Eiropas Savienība",
            disclaimer: Some("Atruna & teksts."),
        }]
    }

    fn status(html: &str) -> Vec<Status> {
        presence(html.as_bytes(), &required())
            .findings
            .into_iter()
            .map(|f| f.status)
            .collect()
    }

    /// Where lapa puts its block in `html`, which has none.
    fn added_at(html: &str) -> usize {
        let [r] = required();
        let block = crate::funding::PageBlock::of(
            r.code.into(),
            BLOCK.into(),
            r.statement.into(),
            r.disclaimer.map(Into::into),
        );
        let out = crate::funding::ensure_blocks(html.as_bytes().to_vec(), &[block]);
        let out = String::from_utf8(out).unwrap_or_default();
        out.find(BLOCK).unwrap_or(usize::MAX)
    }

    fn hidden(html: &str) -> String {
        match status(html).as_slice() {
            [Status::Hidden(why)] => why.clone(),
            other => panic!("expected one hidden block in {html}, got {other:?}"),
        }
    }

    /// `body` in a whole document, as the fast path wants it.
    fn page(body: &str) -> String {
        format!(
            "<!doctype html>\n<html lang=lv>\n<head>\n<meta charset=utf-8>\n<title>t</title>\n\
             <style>p > a {{ color: red }}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
        )
    }

    #[test]
    fn a_plain_page_is_read_on_the_fast_path() {
        for body in [
            format!(
                "<main><article><h1>x</h1><p>a <b>b</b> <a href=/>c</a></p></article>{BLOCK}</main>"
            ),
            format!(
                "<main><ul><li>a<ul><li>b</li></ul></li></ul><dl><div><dt>a</dt><dd>b</dd></div></dl>\
                 <table><thead><tr><th>a</th></tr></thead><tbody><tr><td>b</td></tr></tbody></table>\
                 <!--more--><p><picture><source srcset=x><img src=x alt=\"\"></picture></p>\
                 <div class=funding>{BLOCK}</div></main>"
            ),
        ] {
            let html = page(&body);
            let fast = presence_fast(html.as_bytes(), &required());
            assert_eq!(
                fast.map(|p| p.findings),
                Some(presence_tree(html.as_bytes(), &required()).findings),
                "{html}"
            );
            assert_eq!(status(&html), [Status::Shown], "{html}");
        }
        // Hidden on the fast path as on the tree.
        let html = page(&format!("<main><div hidden>{BLOCK}</div></main>"));
        assert!(presence_fast(html.as_bytes(), &required()).is_some());
        assert_eq!(hidden(&html), "<div hidden>");
    }

    /// A "body" the fast path cannot read (a stray `<`): on the fast path only when it
    /// goes unread.
    const UNREADABLE: &str = "<p>a < b</p>";

    #[test]
    fn a_plain_body_goes_unread_only_where_reading_it_changes_nothing() {
        let unread = |html: &str, body: &str| {
            presence_fast_with_body(html.as_bytes(), &required(), Some(body.as_bytes()))
        };
        // Between elements, no block open: jumped over, the answer the page's own.
        for html in [
            page(&format!(
                "<main><div class=content>{UNREADABLE}</div>{BLOCK}</main>"
            )),
            page(&format!(
                "<main>{UNREADABLE}<div hidden>{BLOCK}</div></main>"
            )),
            page(&format!(
                "<main><div hidden>{UNREADABLE}</div>{BLOCK}</main>"
            )),
        ] {
            let found = unread(&html, UNREADABLE);
            assert!(found.is_some(), "{html}");
            let reference = html.replace(UNREADABLE, "<p>a - b</p>");
            assert_eq!(
                found,
                presence_fast(reference.as_bytes(), &required()),
                "{html}"
            );
        }
        // Where its elements would meet the page's (an open <p>, <a>, heading, table or
        // SVG), inside a block whose text it would add to, or holding a marker: read.
        for html in [
            page(&format!(
                "<main><p><span>{UNREADABLE}</span></p>{BLOCK}</main>"
            )),
            page(&format!(
                "<main><a href=/><div>{UNREADABLE}</div></a>{BLOCK}</main>"
            )),
            page(&format!("<main><h2>{UNREADABLE}</h2>{BLOCK}</main>")),
            page(&format!("<main><table>{UNREADABLE}</table>{BLOCK}</main>")),
            page(&format!("<main><svg>{UNREADABLE}</svg>{BLOCK}</main>")),
            page(&format!(
                "<main><section data-eu-funding=\"A-1\">{UNREADABLE}</section>{BLOCK}</main>"
            )),
        ] {
            assert_eq!(unread(&html, UNREADABLE), None, "{html}");
        }
        let marked = "<p title=\"data-eu-funding A-1\">a < b</p>";
        let html = page(&format!("<main><div>{marked}</div>{BLOCK}</main>"));
        assert_eq!(unread(&html, marked), None, "{html}");
        // A body the page does not hold, or not at a tag, is read.
        let html = page(&format!("<main><div>x{UNREADABLE}</div>{BLOCK}</main>"));
        assert_eq!(unread(&html, &format!("x{UNREADABLE}")), None, "{html}");
        assert_eq!(unread(&html, "<p>elsewhere</p>"), None, "{html}");
    }

    #[test]
    fn only_a_block_that_reads_alone_as_one_shown_block_is_known() {
        let [r] = required();
        assert!(reads_alone(BLOCK.as_bytes(), &r));
        // lapa's own block, as it makes it.
        let all = crate::funding::Programmes::builtin();
        let facts = crate::funding::CodeFacts::default();
        let own = crate::funding::PageBlock::new(
            &crate::funding::FundedProject {
                code: "2023-1-LV01-KA121-SCH-000138745",
                title: "Kompetents skolotājs",
                programme: all.get("erasmus-plus").expect("built in"),
                facts: &facts,
                agency: None,
                beneficiary: None,
                disclaimer: None,
            },
            "lv",
            "lv",
        );
        assert!(reads_alone(own.html().as_bytes(), &own.required()));
        for block in [
            // Not what a reader gets, or not all of it.
            BLOCK.replacen("<section", "<section hidden", 1),
            BLOCK.replace("Atruna", "Cita atruna"),
            BLOCK.replace("<svg viewBox=\"0 0 3 2\"><title>Karogs</title></svg>", ""),
            // More than one block, or a marker besides its own.
            format!("{BLOCK}{BLOCK}"),
            BLOCK.replace("<p>Līdz", "<p title=\"data-eu-funding\">Līdz"),
            BLOCK.replace("Atruna", "&#65;truna"),
            // Elements that do not close within it, or close what is outside it.
            BLOCK.replace("</section>", ""),
            format!("{BLOCK}</div>"),
            format!("<main>{BLOCK}</main>"),
            format!("{BLOCK}<script>"),
            // Markup the fast path does not read.
            BLOCK.replace("Atruna", "a < b"),
            format!(" {BLOCK}"),
        ] {
            assert!(!reads_alone(block.as_bytes(), &r), "{block}");
        }
    }

    #[test]
    fn a_known_block_goes_unread_only_where_no_ancestor_hides_it() {
        let [r] = required();
        // A block lacking its disclaimer, claimed known: where it goes unread, it counts
        // as shown; where it is read, it is incomplete.
        let lacking = "<section data-eu-funding=\"A-1\"><svg></svg><p>Līdzfinansē Eiropas Savienība</p></section>";
        let claimed = [KnownBlock {
            html: lacking.as_bytes(),
            code: r.code,
        }];
        let unread = |html: &str| {
            presence_with_known(html.as_bytes(), &required(), None, &claimed).shown(r.code)
        };
        for html in [
            page(&format!("<main><h1>x</h1>{lacking}</main>")),
            page(&format!("<main><div class=funding>{lacking}</div></main>")),
            page(&format!("<main><div hidden>x</div>{lacking}</main>")),
        ] {
            assert!(unread(&html), "{html}");
            assert!(
                !presence(html.as_bytes(), &required()).shown(r.code),
                "{html}"
            );
        }
        for html in [
            page(&format!("<main><div hidden>{lacking}</div></main>")),
            page(&format!(
                "<main><div style=\"display:none\"><b>{lacking}</b></div></main>"
            )),
            page(&format!("<main><p><span>{lacking}</span></p></main>")),
            page(&format!("<main><a href=/>{lacking}</a></main>")),
            page(&format!("<main><h2>{lacking}</h2></main>")),
            page(&format!("<main><table>{lacking}</table></main>")),
            page(&format!("<main><svg>{lacking}</svg></main>")),
            page(&format!("<main><!-- {lacking} --></main>")),
            page(&format!("<main><template>{lacking}</template></main>")),
            page(&format!("<main><textarea>{lacking}</textarea></main>")),
            page(&format!(
                "<main><section data-eu-funding=\"A-1\">{lacking}</section></main>"
            )),
            format!("<!doctype html><html><head>{lacking}</head><body></body></html>"),
        ] {
            assert!(!unread(&html), "{html}");
        }
        // A block that reads alone gives, unread, the answer reading the page gives.
        let known = [KnownBlock {
            html: BLOCK.as_bytes(),
            code: r.code,
        }];
        for html in [
            page(&format!("<main><h1>x</h1>{BLOCK}</main>")),
            page(&format!("<main>{BLOCK}<div hidden>{BLOCK}</div></main>")),
            page(&format!("<main><div hidden>{BLOCK}</div>{BLOCK}</main>")),
            page(&format!("<main><!-- {BLOCK} -->{BLOCK}</main>")),
            page(&format!("<main><p>{BLOCK}</p></main>")),
            page(&format!("<main>{BLOCK}</main><body hidden>")),
        ] {
            assert_eq!(
                presence_with_known(html.as_bytes(), &required(), None, &known),
                presence(html.as_bytes(), &required()),
                "{html}"
            );
        }
    }

    #[test]
    fn markup_a_browser_rearranges_leaves_the_fast_path() {
        for body in [
            // A block element closes an open <p>; an item outside its list closes one.
            format!("<main><p>{BLOCK}</p></main>"),
            format!("<main><li>x</li>{BLOCK}</main>"),
            format!("<main><ul><li><span><li>x</li></span></li></ul>{BLOCK}</main>"),
            // Out of order, or an end tag with nothing to close.
            format!("<main><b><i>x</b></i>{BLOCK}</main>"),
            format!("<main></p>{BLOCK}</main>"),
            format!("<main><a href=/><a href=/>x</a></a>{BLOCK}</main>"),
            // Tables without their implied parts, or with text outside the cells.
            format!("<main><table><tr><td>x</td></tr></table>{BLOCK}</main>"),
            format!("<main><table><tbody>x<tr><td>x</td></tr></tbody></table>{BLOCK}</main>"),
            // Elements with rules of their own.
            format!("<main><template>x</template>{BLOCK}</main>"),
            format!("<main><select><option>x</option></select>{BLOCK}</main>"),
            format!("<main><math></math>{BLOCK}</main>"),
            format!("<main>{BLOCK}</main><body hidden>"),
            // HTML inside SVG, and markup in an SVG <title>.
            format!("<main><svg><p>x</p></svg>{BLOCK}</main>"),
            format!("<main><svg><title><b>x</b></title></svg>{BLOCK}</main>"),
            // Two attributes of one name.
            format!("<main><div class=a class=b>{BLOCK}</div></main>"),
        ] {
            let html = page(&body);
            assert_eq!(presence_fast(html.as_bytes(), &required()), None, "{html}");
        }
        // A fragment, or a page whose body is never closed.
        for html in [
            format!("<main>{BLOCK}</main>"),
            page(BLOCK).replace("</body>", ""),
        ] {
            assert_eq!(presence_fast(html.as_bytes(), &required()), None, "{html}");
        }
    }

    #[test]
    fn a_plain_block_is_shown() {
        assert_eq!(status(&format!("<main>{BLOCK}</main>")), [Status::Shown]);
        // Other quotes, upper case, whitespace across lines: the same block to a browser.
        let other = "<SECTION DATA-EU-FUNDING=A-1><SVG></SVG><P>Līdzfinansē\n  Eiropas Savienība</P>\
                     <P>Atruna &#38; teksts.</P></SECTION>";
        assert_eq!(status(other), [Status::Shown]);
    }

    #[test]
    fn an_end_tag_out_of_scope_does_not_close_a_template() {
        // Found by fuzzing: a browser ignores `</main>` inside an unclosed <template>
        // (main is not in scope there), so all that follows stays inert.
        let html =
            format!("<body><main><template><div>x</div></main><footer>f</footer>{BLOCK}</body>");
        assert_eq!(hidden(&html), "<template>");
        // Nor does `</div>` close a hidden cell it lies outside of.
        let html = format!("<div><table><tr><td hidden></div>{BLOCK}</td></tr></table></div>");
        assert_eq!(hidden(&html), "<td hidden>");
        // Nor does `</span>` close a <details> opened inside it.
        let html = format!("<span><details><div>x</div></span><p>y</p>{BLOCK}</details>");
        assert_eq!(hidden(&html), "a closed <details>");
        // A <p> holding the marker is closed by the <p> that holds the statement.
        let html = "<div><p data-eu-funding=\"A-1\"><svg></svg><p>Līdzfinansē Eiropas Savienība</p>\
                    <p>Atruna &amp; teksts.</p></div>";
        assert!(
            matches!(status(html).as_slice(), [Status::Incomplete(_)]),
            "{html}"
        );
        // And a <p hidden> is closed by the <section> of a block, which a reader then gets.
        assert_eq!(status(&format!("<p hidden>{BLOCK}")), [Status::Shown]);
        // HTML inside SVG, which a browser reads against the elements further up.
        let html = format!("<svg><body hidden></svg>{BLOCK}");
        assert!(
            matches!(status(&html).as_slice(), [Status::Hidden(_)]),
            "{html}"
        );
        // `</main>` inside an open <select> closes nothing.
        let html = format!("<main><select></main>{BLOCK}");
        assert!(
            matches!(status(&html).as_slice(), [Status::Hidden(_)]),
            "{html}"
        );
        // A table's own end tags still close what they close.
        let html = format!("<table><tr><td hidden>x</table>{BLOCK}");
        assert_eq!(status(&html), [Status::Shown]);
    }

    #[test]
    fn a_formatting_end_tag_over_a_block_element_stops_the_reading() {
        // Found by fuzzing: `</b>` with a <div> opened inside the <b> moves the <div>
        // (the adoption agency) and keeps it open, so the `</div>` that follows closes it,
        // not the hiding <div> outside; the block lapa would add before `</main>` stays in
        // that one.
        let html = format!(
            "<main><div style=\"visibility:hidden\"><b><div hidden>x</b></div><p>y</p>{BLOCK}</main>"
        );
        assert!(
            matches!(status(&html).as_slice(), [Status::Hidden(_)]),
            "{html}"
        );
        let html =
            "<main><div style=\"visibility:hidden\"><b><div hidden>x</b></div><p>y</p></main>";
        assert_eq!(added_at(html), html.len());
    }

    #[test]
    fn a_reopened_hiding_formatting_element_hides_what_it_wraps() {
        // Found by fuzzing: an <li> closes the <li> before it and the <b hidden> in it,
        // which a browser reopens (in the block) around what follows.
        let html = format!("<main><li><b hidden>x<li>{BLOCK}</main>");
        assert!(
            matches!(status(&html).as_slice(), [Status::Incomplete(_)]),
            "{html}"
        );
    }

    #[test]
    fn tables_are_read_as_a_browser_builds_them() {
        // Found by fuzzing: a <tr> in a cell closes the cell (and the <span><div> in it),
        // a <table> in a row closes the table, so the `</div>` closes nothing and the
        // <main hidden> stays open around the block.
        let html = format!(
            "<main><table><tr><td><span><div><tr><table><tr><td>x</td></tr></table>\
             <main hidden></div>{BLOCK}</main>"
        );
        assert_eq!(hidden(&html), "<main hidden>");
        // `</td>` in a row of a table inside a cell closes nothing; the block then goes
        // before the inner table, inside the <div hidden>.
        let html = format!("<table><tr><td><div hidden><table><tr></td>{BLOCK}");
        assert!(
            matches!(status(&html).as_slice(), [Status::Hidden(_)]),
            "{html}"
        );
        // A table's parts outside any table are ignored by a browser.
        assert_eq!(
            status(&format!("<div><td hidden>{BLOCK}</div>")),
            [Status::Shown]
        );
        // Cells and rows whose end tags are left out, and implied <tbody>s.
        let html = format!(
            "<table><colgroup><col><thead><tr><th>a<th>b<tbody><tr><td>c<td>{BLOCK}</table>"
        );
        assert_eq!(status(&html), [Status::Shown]);
        // A table part ends the cell it meets, with what is open in the cell.
        let html = format!("<table><tr><td><div hidden>x<td>{BLOCK}</table>");
        assert_eq!(status(&html), [Status::Shown]);
    }

    #[test]
    fn an_end_tag_is_read_in_its_own_scope() {
        // `</p>` does not reach a <p> outside a <button>, nor `</li>` an <li> outside a list.
        let html = format!("<p><button><main hidden></p>{BLOCK}");
        assert_eq!(hidden(&html), "<main hidden>");
        let html = format!("<li><ul><main hidden></li>{BLOCK}");
        assert_eq!(hidden(&html), "<main hidden>");
        // `</table>` closes a <select> in the table, not what follows the table.
        let html = format!("<table><tr><td><select></table><main hidden></select>{BLOCK}");
        assert!(
            matches!(status(&html).as_slice(), [Status::Hidden(_)]),
            "{html}"
        );
    }

    #[test]
    fn what_hides_a_block_is_named() {
        assert_eq!(hidden(&format!("<!--{BLOCK}-->")), "an HTML comment");
        assert_eq!(
            hidden(&format!("<template>{BLOCK}</template>")),
            "<template>"
        );
        assert_eq!(
            hidden(&format!("<textarea>{BLOCK}</textarea>")),
            "<textarea>"
        );
        assert_eq!(
            hidden(&format!("<noframes>{BLOCK}</noframes>")),
            "<noframes>"
        );
        assert_eq!(hidden(&format!("<xmp>{BLOCK}</xmp>")), "<xmp>");
        assert_eq!(
            hidden(&format!("<div hidden>{BLOCK}</div>")),
            "<div hidden>"
        );
        assert_eq!(
            hidden(&format!("<div inert><span>{BLOCK}</span></div>")),
            "<div inert>"
        );
        assert_eq!(
            hidden(&format!("<div aria-hidden=TRUE>{BLOCK}</div>")),
            "<div aria-hidden=\"true\">"
        );
        assert_eq!(
            hidden(&format!("<div style='/* x */ Opacity: 0%'>{BLOCK}</div>")),
            "<div style=\"opacity: 0%\">"
        );
        assert_eq!(
            hidden(&format!("<div style='visibility : collapse'>{BLOCK}</div>")),
            "<div style=\"visibility: collapse\">"
        );
        assert_eq!(
            hidden(&format!("<details>{BLOCK}</details>")),
            "a closed <details>"
        );
        assert_eq!(
            hidden(&format!(
                "<p title=\"{}\">x</p>",
                BLOCK.replace('"', "&quot;")
            )),
            "the attribute `title`"
        );
        assert_eq!(
            hidden(&BLOCK.replace("<section", "<section hidden")),
            "<section hidden>"
        );
    }

    #[test]
    fn visible_neighbours_do_not_hide_a_block() {
        let html = format!(
            "<main><details open><summary>x</summary></details><div style=\"display:block\"><br>\
             <img src=x.png></div><script>if (a<b) {{}}</script><style>p{{display:none}}</style>{BLOCK}</main>"
        );
        assert_eq!(status(&html), [Status::Shown]);
        let without = html.replace(BLOCK, "");
        assert_eq!(added_at(&without), without.len() - "</main>".len());
    }

    #[test]
    fn a_block_lacking_a_visible_part_is_incomplete() {
        let no_emblem = BLOCK.replace("<svg viewBox=\"0 0 3 2\"><title>Karogs</title></svg>", "");
        assert_eq!(
            status(&no_emblem),
            [Status::Incomplete("the EU emblem".into())]
        );
        let hidden_emblem = BLOCK.replace("<svg ", "<svg style=\"display:none\" ");
        assert_eq!(
            status(&hidden_emblem),
            [Status::Incomplete("the EU emblem".into())]
        );
        let hidden_text = BLOCK.replace("<p>Atruna", "<p hidden>Atruna");
        assert_eq!(
            status(&hidden_text),
            [Status::Incomplete("the programme's disclaimer".into())]
        );
        let void = "<img data-eu-funding=\"A-1\">";
        assert!(matches!(status(void).as_slice(), [Status::Incomplete(_)]));
    }

    #[test]
    fn markup_a_browser_reads_its_own_way_is_read_on_its_tree() {
        // <p> and <b hidden> closed out of order: a browser reopens the <b hidden> inside
        // the block, around its statement.
        let html = format!("<main><p><b hidden>x</p>{BLOCK}</main>");
        assert!(
            matches!(status(&html).as_slice(), [Status::Incomplete(_)]),
            "{html}"
        );
        // A late <body hidden> hides the whole page.
        assert_eq!(
            hidden(&format!("<body><main>{BLOCK}</main><body hidden>")),
            "<body hidden>"
        );
        // Inside SVG, HTML elements are SVG's.
        assert_eq!(hidden(&format!("<svg>{BLOCK}</svg>")), "<svg>");
        // A CDATA section in SVG is text, whatever it looks like.
        let cdata = format!("<svg><![CDATA[ a > </svg>{BLOCK} ]]></svg>");
        assert_eq!(hidden(&cdata), "<svg>");
        // A declarative shadow root decides what is shown: lapa does not guess.
        let shadow = format!("<div><template shadowrootmode=open></template>{BLOCK}</div>");
        assert!(hidden(&shadow).contains("shadow root"));
    }

    #[test]
    fn a_missing_block_goes_where_a_reader_gets_it() {
        let html = "<body><main hidden>x</main><p>y</p></body><script>'</main></body>'</script>";
        let p = presence(html.as_bytes(), &required());
        assert!(p.findings.is_empty());
        assert_eq!(added_at(html), html.find("</body>").unwrap_or(0));
    }

    #[test]
    fn a_text_is_found_in_a_short_or_a_long_block() {
        assert!(contains(b"abcabd", b"abd"));
        assert!(!contains(b"abcabc", b"abd"));
        assert!(!contains(b"ab", b"abc"));
        assert!(contains(b"x", b""));
        let long = "a".repeat(5_000_000) + "b";
        assert!(contains(long.as_bytes(), b"aab"));
        assert!(!contains(long.as_bytes(), b"ba"));
    }

    #[test]
    fn whitespace_collapses_as_char_is_whitespace_says() {
        // Each of Unicode's white space characters, beside letters that share their
        // first byte (ā is C4, Ł C5, ‐ E2 80 90, 〈 E3 80 88, ᚁ E1 9A 81).
        let spaces = "\t\n\u{b}\u{c}\r \u{85}\u{a0}\u{1680}\u{2000}\u{200a}\u{2028}\u{2029}\u{202f}\u{205f}\u{3000}";
        for text in [
            format!("a{spaces}b"),
            format!("{spaces}ā\u{a9}Ł ‐〈ᚁ\u{2010}x{spaces}"),
            "  Līdzfinansē\u{a0}\u{a0}Eiropas\n\tSavienība ".to_string(),
            String::new(),
        ] {
            for before in ["", "x", "x "] {
                let mut out = before.to_string();
                push_collapsed(&mut out, &text);
                // The same, one character at a time.
                let mut expected = before.to_string();
                for c in text.chars() {
                    if !c.is_whitespace() {
                        expected.push(c);
                    } else if !expected.is_empty() && !expected.ends_with(' ') {
                        expected.push(' ');
                    }
                }
                assert_eq!(out, expected, "{text:?} after {before:?}");
            }
        }
    }

    #[test]
    fn inline_styles_are_read_as_declarations() {
        assert_eq!(
            hiding_declaration("color: red; DISPLAY : none !important").as_deref(),
            Some("display: none")
        );
        assert_eq!(
            hiding_declaration("display: nonexistent; opacity: 0.5"),
            None
        );
        assert_eq!(hiding_declaration("/* display: none */ color: red"), None);
        assert!(hiding_declaration("displa\\79 : none").is_some());
    }
}
