//! Whether a reader gets a page's funding block, decided on the page's HTML tokens.
//!
//! A block counts only when it is an element a reader gets: not in a comment, a raw-text
//! or RCDATA element (`<script>`, `<textarea>`, `<noscript>` …) or an attribute value, not
//! inert (`<template>`, `inert`), not hidden by markup (`hidden`, `aria-hidden="true"`, a
//! closed `<details>` …) or by an inline style (`display: none`, `visibility: hidden` …),
//! and it holds the emblem, the statement and the disclaimer where a reader sees them.
//!
//! The tokens come from a WHATWG tokenizer, so comments, raw text and attribute values
//! are read as a browser reads them: [`super::lexer`] for plain markup (most pages,
//! several times faster), html5gum for any page that lexer does not read token for token
//! as html5gum does. A stack of open elements stands in for the browser's tree builder;
//! where the two can differ (elements closed implicitly, foreign content) the stack keeps
//! more ancestors than the browser does, so it errs towards "hidden" (lapa then adds a
//! block of its own, never drops one). Tables follow the standard's insertion modes: a
//! cell or row closed by the next one, a `<table>` in a row closing its table, the
//! `<tbody>` and `<tr>` a browser implies, table parts outside a table ignored, and end
//! tags read in table, button and list scope. Markup a browser moves out of a table
//! (foster parenting: text or tags between a table's cells) is not followed: no block
//! from there on counts, and no `</main>` there is a place for one, so lapa's own block
//! goes before it (sound by construction). The cases where a browser adds an ancestor the
//! stack lacks (a mis-nested formatting element such as `<b hidden>` being reopened)
//! likewise stop any later block from counting.

use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Span, State, Tokenizer};

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
    /// The byte offset of the last `</main>` whose place a reader gets.
    main_end: Option<usize>,
    /// The byte offset of the last `</body>` whose place a reader gets.
    body_end: Option<usize>,
}

impl Presence {
    /// Whether the page shows a complete block for `code`.
    pub fn shown(&self, code: &str) -> bool {
        self.findings
            .iter()
            .any(|f| f.code == code && f.status == Status::Shown)
    }

    /// Where a block lapa adds goes: before the last `</main>` a reader gets, else the
    /// last such `</body>`, else the end of the page (`len`).
    pub fn insertion_point(&self, len: usize) -> usize {
        self.main_end.or(self.body_end).unwrap_or(len)
    }
}

/// Read `html` and say, for each block or marker of a `required` project, whether a
/// reader gets it.
pub fn presence(html: &[u8], required: &[Required]) -> Presence {
    let mut scan = Scan::new(required);
    if super::lexer::read(html, &mut |event, at| scan.event(event, at)) {
        return scan.finish();
    }
    presence_html5gum(html, required)
}

/// [`presence`] with every page read by html5gum (what the fast lexer is checked against).
pub fn presence_html5gum(html: &[u8], required: &[Required]) -> Presence {
    let mut scan = Scan::new(required);
    {
        let emitter = CallbackEmitter::new(
            |event: CallbackEvent<'_>, span: Span<usize>| -> Option<State> {
                scan.event(event, span.start)
            },
        );
        let mut tokens = Tokenizer::new_with_emitter(html, emitter);
        // The reader of a slice in memory cannot fail. The callback returns a state
        // after the start tag of a raw-text element; the tokenizer reads on in it.
        while let Some(Ok(state)) = tokens.next() {
            tokens.set_state(state);
        }
    }
    scan.finish()
}

/// The HTML standard's "special" elements: an end tag of another kind that meets one of
/// them open is ignored by a browser.
fn is_special(name: &[u8]) -> bool {
    matches!(
        name,
        b"address"
            | b"applet"
            | b"area"
            | b"article"
            | b"aside"
            | b"base"
            | b"basefont"
            | b"bgsound"
            | b"blockquote"
            | b"body"
            | b"br"
            | b"button"
            | b"caption"
            | b"center"
            | b"col"
            | b"colgroup"
            | b"dd"
            | b"details"
            | b"dialog"
            | b"dir"
            | b"div"
            | b"dl"
            | b"dt"
            | b"embed"
            | b"fieldset"
            | b"figcaption"
            | b"figure"
            | b"footer"
            | b"form"
            | b"frame"
            | b"frameset"
            | b"h1"
            | b"h2"
            | b"h3"
            | b"h4"
            | b"h5"
            | b"h6"
            | b"head"
            | b"header"
            | b"hgroup"
            | b"hr"
            | b"html"
            | b"iframe"
            | b"img"
            | b"input"
            | b"keygen"
            | b"li"
            | b"link"
            | b"listing"
            | b"main"
            | b"marquee"
            | b"menu"
            | b"meta"
            | b"nav"
            | b"noembed"
            | b"noframes"
            | b"noscript"
            | b"object"
            | b"ol"
            | b"p"
            | b"param"
            | b"plaintext"
            | b"pre"
            | b"script"
            | b"search"
            | b"section"
            | b"select"
            | b"source"
            | b"style"
            | b"summary"
            | b"table"
            | b"tbody"
            | b"td"
            | b"template"
            | b"textarea"
            | b"tfoot"
            | b"th"
            | b"thead"
            | b"title"
            | b"tr"
            | b"track"
            | b"ul"
            | b"wbr"
            | b"xmp"
    )
}

/// HTML start tags that end SVG or MathML content (the standard's "breakout" list).
fn is_breakout(name: &[u8]) -> bool {
    matches!(
        name,
        b"b" | b"big"
            | b"blockquote"
            | b"body"
            | b"br"
            | b"center"
            | b"code"
            | b"dd"
            | b"div"
            | b"dl"
            | b"dt"
            | b"em"
            | b"embed"
            | b"font"
            | b"h1"
            | b"h2"
            | b"h3"
            | b"h4"
            | b"h5"
            | b"h6"
            | b"head"
            | b"hr"
            | b"i"
            | b"img"
            | b"li"
            | b"listing"
            | b"menu"
            | b"meta"
            | b"nobr"
            | b"ol"
            | b"p"
            | b"pre"
            | b"ruby"
            | b"s"
            | b"small"
            | b"span"
            | b"strike"
            | b"strong"
            | b"sub"
            | b"sup"
            | b"table"
            | b"tt"
            | b"u"
            | b"ul"
            | b"var"
    )
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

/// Formatting elements: their end tags are reparented (the adoption agency), not ignored.
fn is_formatting(name: &[u8]) -> bool {
    matches!(
        name,
        b"a" | b"b"
            | b"big"
            | b"code"
            | b"em"
            | b"font"
            | b"i"
            | b"nobr"
            | b"s"
            | b"small"
            | b"strike"
            | b"strong"
            | b"tt"
            | b"u"
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

/// An element the stack holds open.
struct Open {
    /// Lowercase tag name.
    name: Name,
    /// One of the standard's "special" elements (see [`is_special`]), not in SVG or MathML.
    special: bool,
    /// In SVG or MathML (where HTML's rules for tags do not apply).
    foreign: bool,
    /// This element or an ancestor keeps its content from readers.
    hidden: bool,
    /// Why this element itself keeps its content from readers.
    why: Option<String>,
    /// A raw-text or RCDATA element: its content is text, never markup.
    raw: bool,
    /// A formatting element (`<b>`, `<a>` …), which a browser may reopen.
    formatting: bool,
    /// The funding block this element is (an index into `Scan::blocks`).
    block: Option<usize>,
}

/// A visible block being read.
struct Block {
    finding: usize,
    required: usize,
    emblem: bool,
    /// The text a reader gets, whitespace collapsed.
    text: String,
}

struct Scan<'r> {
    required: &'r [Required<'r>],
    /// Finds `MARKER` in comments, raw text and attribute values.
    marker: memchr::memmem::Finder<'static>,
    stack: Vec<Open>,
    blocks: Vec<Block>,
    findings: Vec<Finding>,
    /// The start tag being read: name, position, the attributes that matter.
    tag: Vec<u8>,
    attr: Vec<u8>,
    attrs: Attributes,
    main_end: Option<usize>,
    body_end: Option<usize>,
    /// Why no block from here on counts (a mis-nested formatting element that hides).
    poisoned: Option<String>,
    /// Why nothing on the page counts (`<body hidden>` given late, a shadow root).
    page_hidden: Option<String>,
}

/// The attributes of a start tag that decide visibility, and the block's code.
#[derive(Default)]
struct Attributes {
    marker: Option<String>,
    hidden: bool,
    inert: bool,
    aria_hidden: bool,
    open: bool,
    shadow_root: bool,
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
    /// A formatting element (`<b>`, `<a>` …), which a browser may reopen.
    Formatting,
    /// Content no reader gets, whatever the attributes (`<template>`, `<svg>` …).
    NotShown,
    /// A raw-text or RCDATA element: its content is text, read in this state.
    Raw(State),
    /// Content shown only with `open`.
    Details,
    Dialog,
    Other,
}

/// The tree builder's insertion modes that lapa follows (see [`Scan::mode`]).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Body,
    Table,
    TableBody,
    Row,
    Cell,
    Caption,
    ColumnGroup,
    Select,
    Template,
}

/// An element that, open on top, means a table but not a cell: what goes in must be a
/// table part, else a browser moves it out of the table.
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
        b"a" | b"b" | b"big" | b"code" | b"em" | b"font" | b"i" | b"nobr" | b"s" | b"small"
        | b"strike" | b"strong" | b"tt" | b"u" => Kind::Formatting,
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

impl<'r> Scan<'r> {
    fn new(required: &'r [Required<'r>]) -> Scan<'r> {
        Scan {
            required,
            marker: memchr::memmem::Finder::new(MARKER.as_bytes()),
            stack: Vec::with_capacity(32),
            blocks: Vec::new(),
            findings: Vec::new(),
            tag: Vec::new(),
            attr: Vec::new(),
            attrs: Attributes::default(),
            main_end: None,
            body_end: None,
            poisoned: None,
            page_hidden: None,
        }
    }

    fn event(&mut self, event: CallbackEvent<'_>, at: usize) -> Option<State> {
        match event {
            CallbackEvent::OpenStartTag { name } => {
                self.tag.clear();
                self.tag.extend_from_slice(name);
                self.attrs = Attributes::default();
                None
            }
            CallbackEvent::AttributeName { name } => {
                self.attr.clear();
                self.attr.extend_from_slice(name);
                let a = &mut self.attrs;
                a.current = None;
                match name {
                    b"hidden" => a.hidden = true,
                    b"inert" => a.inert = true,
                    b"open" => a.open = true,
                    b"shadowrootmode" | b"shadowroot" => a.shadow_root = true,
                    b"aria-hidden" => a.take(Which::AriaHidden),
                    b"style" => a.take(Which::Style),
                    b"data-eu-funding" => a.take(Which::Marker),
                    _ => {}
                }
                None
            }
            CallbackEvent::AttributeValue { value } => {
                let text = || String::from_utf8_lossy(value).into_owned();
                match self.attrs.current {
                    Some(Which::Marker) => self.attrs.marker = Some(text()),
                    Some(Which::AriaHidden) => {
                        self.attrs.aria_hidden = value.trim_ascii().eq_ignore_ascii_case(b"true")
                    }
                    Some(Which::Style) => self.attrs.style = Some(text()),
                    None => {
                        if self.marker.find(value).is_some() {
                            let attr = String::from_utf8_lossy(&self.attr).into_owned();
                            self.stray(value, || format!("the attribute `{attr}`"));
                        }
                    }
                }
                None
            }
            CallbackEvent::CloseStartTag { self_closing } => self.start_tag(self_closing),
            CallbackEvent::EndTag { name } => {
                self.attrs = Attributes::default();
                self.end_tag(name, at);
                None
            }
            CallbackEvent::String { value } => {
                self.text(value);
                None
            }
            CallbackEvent::Comment { value } => {
                // In SVG or MathML a browser reads `<![CDATA[` up to `]]>`; the tokenizer
                // up to the first `>`. What follows cannot be trusted.
                if value.starts_with(b"[CDATA[") && self.stack.last().is_some_and(|o| o.foreign) {
                    self.poisoned.get_or_insert_with(|| {
                        "after a CDATA section in SVG or MathML, which lapa does not read".into()
                    });
                }
                self.stray(value, || "an HTML comment".to_string());
                None
            }
            CallbackEvent::Doctype { .. } | CallbackEvent::Error(_) => None,
        }
    }

    /// A marker of a required code in text no reader gets as markup.
    fn stray(&mut self, text: &[u8], why: impl Fn() -> String) {
        if self.marker.find(text).is_none() {
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

    fn start_tag(&mut self, self_closing: bool) -> Option<State> {
        let name = Name::new(&self.tag);
        let attrs = std::mem::take(&mut self.attrs);
        if self.stack.last().is_none_or(|o| !o.foreign) && !self.table_start_tag(&name) {
            // A browser ignores this tag.
            return None;
        }
        self.close_implied(&name);
        let (parent_foreign, parent_hidden) = self
            .stack
            .last()
            .map_or((false, false), |o| (o.foreign, o.hidden));
        if attrs.shadow_root && &*name == b"template" {
            self.page_hidden
                .get_or_insert_with(|| "a declarative shadow root (<template shadowrootmode>), which lapa does not read through".into());
        }
        // Most HTML tags inside SVG or MathML end the foreign content and are read as
        // HTML again, against elements further up: lapa does not follow that.
        if parent_foreign && is_breakout(&name) {
            self.page_hidden.get_or_insert_with(|| {
                format!(
                    "a <{}> inside SVG or MathML, which lapa does not read through",
                    String::from_utf8_lossy(&name)
                )
            });
        }
        // In SVG and MathML, names mean nothing to HTML.
        let kind = if parent_foreign {
            Kind::Other
        } else {
            kind(&name)
        };
        let own = own_hiding(&name, kind, &attrs);
        // A second <html> or <body> adds its attributes to the first: it hides everything.
        if !parent_foreign
            && matches!(&*name, b"html" | b"body")
            && self.stack.iter().any(|o| *o.name == *name)
        {
            if let Some(why) = own {
                self.page_hidden.get_or_insert(why);
            }
            return None;
        }
        self.separate();
        let foreign = parent_foreign || matches!(&*name, b"svg" | b"math");
        let hidden = parent_hidden || own.is_some();
        if &*name == b"svg"
            && !parent_foreign
            && !parent_hidden
            && own_attribute_hiding(&name, &attrs).is_none()
        {
            for b in &mut self.blocks {
                b.emblem = true;
            }
        }
        let raw = match kind {
            Kind::Raw(state) => Some(state),
            _ => None,
        };
        let mut block = None;
        if let Some(code) = &attrs.marker
            && let Some(required) = self.required.iter().position(|r| r.code == code)
        {
            let finding = self.findings.len();
            let status = if hidden {
                Status::Hidden(self.reason().or(own.clone()).unwrap_or_default())
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
        let void = if parent_foreign {
            self_closing
        } else {
            kind == Kind::Void
        };
        let formatting = kind == Kind::Formatting;
        self.stack.push(Open {
            special: is_special(&name),
            name,
            foreign,
            hidden,
            why: own,
            raw: raw.is_some(),
            formatting,
            block,
        });
        if void {
            self.pop_to(self.stack.len() - 1);
        }
        raw
    }

    /// Follow the standard's table insertion modes for a start tag `name`: close the
    /// cells, rows and tables it closes, open the <tbody>, <tr> or <colgroup> it implies.
    /// Returns whether the tag is then read as usual (`false`: a browser ignores it).
    /// Markup a browser moves out of a table ("foster parenting") is not followed: no
    /// block counts after it.
    fn table_start_tag(&mut self, name: &[u8]) -> bool {
        let part = matches!(
            name,
            b"caption"
                | b"col"
                | b"colgroup"
                | b"tbody"
                | b"td"
                | b"tfoot"
                | b"th"
                | b"thead"
                | b"tr"
        );
        let closes_select = matches!(
            name,
            b"table" | b"input" | b"keygen" | b"textarea" | b"select"
        );
        if !part && !closes_select && !self.stack.last().is_some_and(|o| table_context(&o.name)) {
            return true;
        }
        loop {
            match self.mode() {
                Mode::Template => return true,
                Mode::Body => return !part,
                Mode::Select => {
                    if part || closes_select {
                        self.poison_table();
                    }
                    return true;
                }
                Mode::Cell | Mode::Caption if !part => return true,
                Mode::Cell => {
                    let Some(i) = self.in_table_scope(&[b"td", b"th"]) else {
                        return false;
                    };
                    self.pop_to(i);
                }
                Mode::Caption => {
                    let Some(i) = self.in_table_scope(&[b"caption"]) else {
                        return false;
                    };
                    self.pop_to(i);
                }
                Mode::Row => match name {
                    b"td" | b"th" => return true,
                    b"table" => return self.close_table(),
                    _ if part => {
                        let Some(i) = self.in_table_scope(&[b"tr"]) else {
                            return false;
                        };
                        self.pop_to(i);
                    }
                    _ => return self.outside_cells(name),
                },
                Mode::TableBody => match name {
                    b"tr" => return true,
                    b"td" | b"th" => {
                        self.push_implied(b"tr");
                        return true;
                    }
                    b"table" => return self.close_table(),
                    _ if part => {
                        let Some(i) = self.in_table_scope(&[b"tbody", b"thead", b"tfoot"]) else {
                            return false;
                        };
                        self.pop_to(i);
                    }
                    _ => return self.outside_cells(name),
                },
                Mode::Table => match name {
                    b"caption" | b"colgroup" | b"tbody" | b"thead" | b"tfoot" => return true,
                    b"col" => {
                        self.push_implied(b"colgroup");
                        return true;
                    }
                    b"tr" | b"td" | b"th" => self.push_implied(b"tbody"),
                    b"table" => return self.close_table(),
                    _ => return self.outside_cells(name),
                },
                Mode::ColumnGroup => match name {
                    b"col" | b"template" => return true,
                    // Anything else closes the <colgroup> and is read again in the table.
                    _ => {
                        let last = self.stack.len() - 1;
                        self.pop_to(last);
                    }
                },
            }
        }
    }

    /// A <table> where a table (not a cell) is open closes that table; the new one is
    /// then read where it lands.
    fn close_table(&mut self) -> bool {
        match self.in_table_scope(&[b"table"]) {
            Some(i) => {
                self.pop_to(i);
                self.table_start_tag(b"table")
            }
            None => false,
        }
    }

    /// A start tag in a table but outside its cells: scripts, styles and templates stay,
    /// anything else is moved before the table by a browser, which lapa does not follow.
    fn outside_cells(&mut self, name: &[u8]) -> bool {
        if !matches!(name, b"script" | b"style" | b"template") {
            self.poison_table();
        }
        true
    }

    fn poison_table(&mut self) {
        self.poisoned.get_or_insert_with(|| {
            "after markup a browser moves out of a table (text or tags outside its cells, or a table part in a <select>), which lapa does not follow".into()
        });
    }

    /// The innermost open element named one of `names` "in table scope" (no <table> or
    /// <template> above it).
    fn in_table_scope(&self, names: &[&[u8]]) -> Option<usize> {
        for (i, o) in self.stack.iter().enumerate().rev() {
            if names.contains(&&*o.name) {
                return Some(i);
            }
            if matches!(&*o.name, b"table" | b"template" | b"html") {
                return None;
            }
        }
        None
    }

    /// The insertion mode a browser is in, as far as tables and <select> go: the innermost
    /// open element that sets one.
    fn mode(&self) -> Mode {
        for o in self.stack.iter().rev() {
            return match &*o.name {
                b"td" | b"th" => Mode::Cell,
                b"tr" => Mode::Row,
                b"tbody" | b"thead" | b"tfoot" => Mode::TableBody,
                b"caption" => Mode::Caption,
                b"colgroup" => Mode::ColumnGroup,
                b"table" => Mode::Table,
                b"select" => Mode::Select,
                b"template" => Mode::Template,
                _ => continue,
            };
        }
        Mode::Body
    }

    /// An element a browser opens without a tag for it (<tbody> for a <tr> …).
    fn push_implied(&mut self, name: &[u8]) {
        let hidden = self.stack.last().is_some_and(|o| o.hidden);
        self.stack.push(Open {
            name: Name::new(name),
            special: is_special(name),
            foreign: false,
            hidden,
            why: None,
            raw: false,
            formatting: false,
            block: None,
        });
    }

    /// Why the open elements hide their content: the outermost reason.
    fn reason(&self) -> Option<String> {
        self.stack.iter().find_map(|o| o.why.clone())
    }

    fn end_tag(&mut self, name: &[u8], at: usize) {
        self.separate();
        let top_hidden = self.stack.last().is_some_and(|o| o.hidden);
        // A block put where a table (not a cell) is open would be moved out of it.
        let in_table = self.stack.last().is_some_and(|o| table_context(&o.name));
        let shown = !top_hidden && !in_table && self.poisoned.is_none();
        match name {
            b"main" if shown => self.main_end = Some(at),
            b"body" => {
                if shown {
                    self.body_end = Some(at);
                }
                // A browser keeps <body> open: what follows still goes in it.
                return;
            }
            b"html" => return,
            _ => {}
        }
        let table_part = matches!(
            name,
            b"table" | b"tbody" | b"thead" | b"tfoot" | b"tr" | b"td" | b"th" | b"caption"
        );
        // In a <select> in a table, a table's end tag closes the <select> (and what lapa
        // kept open in it): not followed.
        if table_part
            && self.stack.last().is_some_and(|o| !o.foreign)
            && self.mode() == Mode::Select
        {
            self.poison_table();
        }
        let Some(i) = self.stack.iter().rposition(|o| &*o.name == name) else {
            return;
        };
        // A browser ignores an end tag whose element is not "in scope": one that lies below
        // a <template>, or (for any but a table's own tags) a table, cell or object.
        let bounds = |o: &Open| match &*o.name {
            b"template" => true,
            // Inside a <select> a browser ignores every end tag but its own and its options'.
            b"select" => !matches!(name, b"select" | b"option" | b"optgroup"),
            b"applet" | b"caption" | b"marquee" | b"object" | b"td" | b"th" => !table_part,
            // A table bounds every end tag but its own ("table scope").
            b"table" => name != b"table",
            // `</p>` looks no further than a <button>, `</li>` than a list.
            b"button" => name == b"p",
            b"ol" | b"ul" => name == b"li",
            _ => false,
        };
        if self.stack[i + 1..].iter().any(bounds) {
            return;
        }
        // "Any other end tag" (a <span>, say) is ignored when a special element such as
        // <div> or <details> is open inside its element: it closes nothing.
        if !is_special(name)
            && !is_formatting(name)
            && self.stack[i + 1..].iter().any(|o| o.special)
        {
            return;
        }
        let last = self.stack.len() - 1;
        if i < last
            && let Some(f) = self.stack[i..]
                .iter()
                .find(|o| o.formatting && o.why.is_some())
        {
            let tag = String::from_utf8_lossy(&f.name);
            self.poisoned.get_or_insert_with(|| {
                format!("after a <{tag}> that hides its content and is closed out of order")
            });
        }
        // The end tag of a formatting element with a block element (<div>, <p> …) opened
        // inside it: a browser moves that element out and keeps it open (the adoption
        // agency), which lapa does not follow.
        if is_formatting(name) && self.stack[i + 1..].iter().any(|o| o.special) {
            let tag = String::from_utf8_lossy(name);
            self.poisoned.get_or_insert_with(|| {
                format!("after a </{tag}> that closes a <{tag}> around a block element, which lapa does not follow")
            });
        }
        self.pop_to(i);
    }

    /// What a browser closes before it opens `name`: an open <p> (for <div>, <section>,
    /// another <p> …), and an open <li> for <li>, <dd> or <dt> for <dd>/<dt>.
    fn close_implied(&mut self, name: &[u8]) {
        if self.stack.last().is_none_or(|o| o.foreign) {
            return;
        }
        let siblings: &[&[u8]] = match name {
            b"li" => &[b"li"],
            b"dd" | b"dt" => &[b"dd", b"dt"],
            _ => &[],
        };
        if !siblings.is_empty() {
            for i in (0..self.stack.len()).rev() {
                let open = &*self.stack[i].name;
                if siblings.contains(&open) {
                    self.close_implicitly(i);
                    break;
                }
                if is_special(open) && !matches!(open, b"address" | b"div" | b"p") {
                    break;
                }
            }
        }
        if !siblings.is_empty() || closes_p(name) {
            // An open <p> "in button scope".
            for i in (0..self.stack.len()).rev() {
                let open = &*self.stack[i].name;
                if open == b"p" {
                    self.close_implicitly(i);
                    break;
                }
                if matches!(
                    open,
                    b"button"
                        | b"applet"
                        | b"caption"
                        | b"html"
                        | b"table"
                        | b"td"
                        | b"th"
                        | b"marquee"
                        | b"object"
                        | b"template"
                ) {
                    break;
                }
            }
        }
    }

    /// Close the elements from `i` up for a start tag that implies their end (`<li>`,
    /// `<p>` …). A formatting element that hides and is closed so is reopened by a
    /// browser around what follows: no block from here on counts.
    fn close_implicitly(&mut self, i: usize) {
        if let Some(f) = self.stack[i..]
            .iter()
            .find(|o| o.formatting && o.why.is_some())
        {
            let tag = String::from_utf8_lossy(&f.name);
            self.poisoned.get_or_insert_with(|| {
                format!("after a <{tag}> that hides its content and is closed out of order")
            });
        }
        self.pop_to(i);
    }

    /// Close the elements from `i` up, finishing the blocks among them.
    fn pop_to(&mut self, i: usize) {
        while self.stack.len() > i {
            let Some(open) = self.stack.pop() else { break };
            if let Some(b) = open.block {
                self.finish_block(b);
            }
        }
    }

    fn finish_block(&mut self, b: usize) {
        let block = &self.blocks[b];
        let r = &self.required[block.required];
        let has = |t: &str| block.text.contains(collapse(t).trim());
        let status = if let Some(why) = &self.poisoned {
            Status::Hidden(why.clone())
        } else if !block.emblem {
            Status::Incomplete("the EU emblem".into())
        } else if !has(r.statement) {
            Status::Incomplete(format!("the statement “{}”", r.statement))
        } else if r.disclaimer.is_some_and(|d| !has(d)) {
            Status::Incomplete("the programme's disclaimer".into())
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
            if self.marker.find(value).is_none() {
                return;
            }
            let tag = String::from_utf8_lossy(&top.name).into_owned();
            self.stray(value, || format!("<{tag}>"));
            return;
        }
        if !top.foreign && table_context(&top.name) && !value.trim_ascii().is_empty() {
            // Text in a table but outside its cells: a browser moves it before the table.
            self.poison_table();
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

    fn finish(mut self) -> Presence {
        self.pop_to(0);
        if let Some(why) = self.page_hidden {
            for f in &mut self.findings {
                if f.status == Status::Shown {
                    f.status = Status::Hidden(why.clone());
                }
            }
            self.main_end = None;
            self.body_end = None;
        }
        Presence {
            findings: self.findings,
            main_end: self.main_end,
            body_end: self.body_end,
        }
    }
}

/// Why an element keeps its content from readers, by its name or its attributes.
fn own_hiding(name: &[u8], kind: Kind, attrs: &Attributes) -> Option<String> {
    if let Some(why) = own_attribute_hiding(name, attrs) {
        return Some(why);
    }
    match kind {
        Kind::NotShown | Kind::Raw(_) => Some(format!("<{}>", String::from_utf8_lossy(name))),
        Kind::Details if !attrs.open => Some("a closed <details>".into()),
        Kind::Dialog if !attrs.open => Some("a <dialog> that is not open".into()),
        _ => None,
    }
}

/// Why an element's attributes keep it from readers: `hidden`, `inert`,
/// `aria-hidden="true"`, or an inline style.
fn own_attribute_hiding(name: &[u8], attrs: &Attributes) -> Option<String> {
    let name = || String::from_utf8_lossy(name);
    if attrs.hidden {
        return Some(format!("<{} hidden>", name()));
    }
    if attrs.inert {
        return Some(format!("<{} inert>", name()));
    }
    if attrs.aria_hidden {
        return Some(format!("<{} aria-hidden=\"true\">", name()));
    }
    let style = attrs.style.as_deref()?;
    hiding_declaration(style).map(|d| format!("<{} style=\"{d}\">", name()))
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

fn push_collapsed(out: &mut String, text: &str) {
    for c in text.chars() {
        if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
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

    fn hidden(html: &str) -> String {
        match status(html).as_slice() {
            [Status::Hidden(why)] => why.clone(),
            other => panic!("expected one hidden block in {html}, got {other:?}"),
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
        let p = presence(html.as_bytes(), &required());
        assert_eq!(p.insertion_point(html.len()), html.len());
    }

    #[test]
    fn an_implied_end_of_a_hiding_formatting_element_stops_the_reading() {
        // Found by fuzzing: an <li> closes the <li> before it and the <b hidden> in it,
        // which a browser reopens around the emblem that follows.
        let html = format!("<main><li><b hidden>x<li>{BLOCK}</main>");
        assert!(
            matches!(status(&html).as_slice(), [Status::Hidden(_)]),
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
        let p = presence(html.as_bytes(), &required());
        assert_eq!(p.insertion_point(html.len()), html.len() - "</main>".len());
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
    fn markup_a_browser_reads_differently_errs_towards_hidden() {
        // <p> and <b hidden> closed out of order: a browser reopens the <b hidden> later.
        let html = format!("<main><p><b hidden>x</p>{BLOCK}</main>");
        assert!(hidden(&html).contains("<b>"));
        // A late <body hidden> hides the whole page.
        assert_eq!(
            hidden(&format!("<body><main>{BLOCK}</main><body hidden>")),
            "<body hidden>"
        );
        // Inside SVG, HTML elements are SVG's.
        assert_eq!(hidden(&format!("<svg>{BLOCK}</svg>")), "<svg>");
        // A CDATA section in SVG: the tokenizer would end it at the first `>`.
        let cdata = format!("<svg><![CDATA[ a > </svg>{BLOCK} ]]></svg>");
        assert!(hidden(&cdata).contains("CDATA"));
        // A declarative shadow root decides what is shown: lapa does not guess.
        let shadow = format!("<div><template shadowrootmode=open></template>{BLOCK}</div>");
        assert!(hidden(&shadow).contains("shadow root"));
    }

    #[test]
    fn a_missing_block_goes_where_a_reader_gets_it() {
        let html = "<body><main hidden>x</main><p>y</p></body><script>'</main></body>'</script>";
        let p = presence(html.as_bytes(), &required());
        assert!(p.findings.is_empty());
        assert_eq!(
            p.insertion_point(html.len()),
            html.find("</body>").unwrap_or(0)
        );
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
