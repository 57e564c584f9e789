//! A fast reader of the HTML tokens of plain markup, for [`super::presence`].
//!
//! It reads the common part of the WHATWG tokenizer's work (tags with quoted or plain
//! attributes, text, the character references lapa's Markdown and templates write,
//! comments, `<!doctype html>`, and the raw text of `<title>`, `<style>`, `<script>` …)
//! and gives the same events html5gum's callback emitter gives for it. At the first byte
//! it does not read exactly as html5gum (a stray `<`, a named reference other than the
//! six it knows, a carriage return, a comment that ends oddly, `<script>` holding `<!--`
//! …) it stops and says so: the caller then reads the whole page again with html5gum.
//! So a page is either read by this lexer, token for token as html5gum reads it, or by
//! html5gum; `funding_presence`'s fuzz target checks the two agree.

use std::ops::ControlFlow;

use html5gum::State;
use html5gum::emitters::callback::CallbackEvent;

/// What the reader of the tokens says after each: the state to read on in after a start
/// tag (as with html5gum), or stop.
pub(super) type Next = ControlFlow<(), Option<State>>;

/// The state a step says to read on in, or None when it says stop.
fn go(next: Next) -> Option<Option<State>> {
    match next {
        ControlFlow::Continue(state) => Some(state),
        ControlFlow::Break(()) => None,
    }
}

/// Where the tokens of [`read`] go.
pub(super) trait Tokens {
    /// One token and the byte offset of its start.
    fn event(&mut self, event: CallbackEvent<'_>, at: usize) -> Next;

    /// A start tag whose names hold no capital and whose values no reference, read
    /// whole: by default, its events one by one.
    fn start_tag(&mut self, tag: &StartTag<'_>) -> Next {
        emit(tag, self, &mut Vec::new(), &mut Vec::new())
    }

    /// Whether the reading may jump over `parts[which]` (given to [`read`]), which
    /// starts here, at byte `at`, in the data state, between tokens.
    fn may_skip(&mut self, which: usize, at: usize) -> bool {
        let _ = (which, at);
        false
    }
}

/// A closure as a [`Tokens`] that never skips.
#[cfg(test)]
pub(super) struct Each<F>(pub F);

#[cfg(test)]
impl<F: FnMut(CallbackEvent<'_>, usize) -> Next> Tokens for Each<F> {
    fn event(&mut self, event: CallbackEvent<'_>, at: usize) -> Next {
        (self.0)(event, at)
    }
}

/// Read `html`, handing each token and the byte offset of its start to `tokens`. Returns
/// false when it stopped, at something it does not read or because `tokens` said so; the
/// events given so far are then to be thrown away. Where the page holds one of `parts`
/// at a `<` the reading meets in the data state and `tokens` says it may, the reading
/// goes on after it without reading it.
pub(super) fn read(html: &[u8], parts: &[&[u8]], tokens: &mut impl Tokens) -> bool {
    // html5gum turns CR and CR LF into LF, and NUL into U+FFFD: leave those to it.
    if memchr::memchr2(b'\r', b'\0', html).is_some() {
        return false;
    }
    let mut lexer = Lexer {
        html,
        at: 0,
        parts,
        text: Vec::new(),
        name: Vec::new(),
        attributes: Vec::new(),
    };
    lexer.run(tokens).is_some()
}

struct Lexer<'h> {
    html: &'h [u8],
    at: usize,
    /// What the reading may jump over (see [`read`]).
    parts: &'h [&'h [u8]],
    /// Decoded text or attribute value.
    text: Vec<u8>,
    /// A tag or attribute name written with capitals, lowercased.
    name: Vec<u8>,
    /// The attributes of the start tag being read.
    attributes: Vec<Attribute<'h>>,
}

/// A start tag as written in the page.
pub(super) struct StartTag<'a> {
    /// The name as written (lowercase when handed to [`Tokens::start_tag`]).
    pub name: &'a [u8],
    /// The byte offset of its `<`.
    pub at: usize,
    pub attributes: &'a [Attribute<'a>],
    /// Ended by `/>`.
    pub self_closing: bool,
    /// The name holds an ASCII capital.
    upper: bool,
}

/// An attribute as written in the page; its value is empty when it has none.
pub(super) struct Attribute<'a> {
    pub name: &'a [u8],
    pub name_at: usize,
    pub value: &'a [u8],
    /// The byte offset of the value (its opening quote, if quoted).
    pub value_at: usize,
    /// The name holds an ASCII capital.
    upper: bool,
    /// The value holds a `&`.
    amp: bool,
}

/// The events html5gum gives for `tag`: its names lowercased and its values decoded
/// (into `name` and `text`). Stops at the first step `tokens` stops at.
fn emit(
    tag: &StartTag<'_>,
    tokens: &mut (impl Tokens + ?Sized),
    text: &mut Vec<u8>,
    name: &mut Vec<u8>,
) -> Next {
    let open = CallbackEvent::OpenStartTag {
        name: lowercase(tag.name, tag.upper, name),
    };
    tokens.event(open, tag.at)?;
    for a in tag.attributes {
        let attribute = CallbackEvent::AttributeName {
            name: lowercase(a.name, a.upper, name),
        };
        tokens.event(attribute, a.name_at)?;
        let value = if a.amp {
            if decode(a.value, text).is_none() {
                return ControlFlow::Break(());
            }
            &text[..]
        } else {
            a.value
        };
        // html5gum gives no event for an empty value.
        if !value.is_empty() {
            tokens.event(CallbackEvent::AttributeValue { value }, a.value_at)?;
        }
    }
    let close = CallbackEvent::CloseStartTag {
        self_closing: tag.self_closing,
    };
    tokens.event(close, tag.at)
}

/// Bytes a tag or attribute name holds nearly always, and that never end it or hold a
/// capital: ASCII lowercase letters, digits, `-`, `_`, `:`.
static PLAIN_NAME: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = matches!(b as u8, b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b':');
        b += 1;
    }
    table
};

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0C' | b' ')
}

impl<'h> Lexer<'h> {
    fn run(&mut self, event: &mut impl Tokens) -> Option<()> {
        let html = self.html;
        while self.at < html.len() {
            let start = self.at;
            // The text up to the next `<`, and whether it holds a reference: one search
            // for both, since most texts hold none.
            let (lt, amp) = if html[start] == b'<' {
                // Most tags follow a tag: no text, no search.
                (start, false)
            } else {
                match memchr::memchr2(b'<', b'&', &html[start..]) {
                    None => (html.len(), false),
                    Some(k) if html[start + k] == b'<' => (start + k, false),
                    Some(k) => (
                        memchr::memchr(b'<', &html[start + k..])
                            .map_or(html.len(), |j| start + k + j),
                        true,
                    ),
                }
            };
            if lt > start {
                let raw = &html[start..lt];
                let value = if amp {
                    decode(raw, &mut self.text)?;
                    &self.text[..]
                } else {
                    raw
                };
                go(event.event(CallbackEvent::String { value }, start))?;
            }
            if lt == html.len() {
                break;
            }
            // The parts start with `<`: their second byte is looked at first.
            let next = html.get(lt + 1);
            if let Some(which) = self
                .parts
                .iter()
                .position(|p| p.len() > 1 && p.get(1) == next && html[lt..].starts_with(p))
                && event.may_skip(which, lt)
            {
                self.at = lt + self.parts[which].len();
                continue;
            }
            self.at = lt;
            match *html.get(lt + 1)? {
                b if b.is_ascii_alphabetic() => {
                    if let Some((state, tag)) = self.start_tag(event)? {
                        self.raw_text(state, tag, event)?;
                    }
                }
                b'/' if html.get(lt + 2)?.is_ascii_alphabetic() => self.end_tag(event)?,
                b'!' => self.markup_declaration(event)?,
                _ => return None,
            }
        }
        Some(())
    }

    fn skip_space(&mut self) {
        while self.html.get(self.at).copied().is_some_and(is_space) {
            self.at += 1;
        }
    }

    /// A name up to whitespace, `/`, `>` (and `=` for an attribute), as written, and
    /// whether it holds an ASCII capital (see [`lowercase`]).
    fn read_name(&mut self, attribute: bool) -> Option<(&'h [u8], bool)> {
        let html = self.html;
        let start = self.at;
        let mut upper = false;
        let mut i = start;
        loop {
            // Most of a name is lowercase letters, digits and `-`: passed over at once.
            while html.get(i).is_some_and(|&b| PLAIN_NAME[usize::from(b)]) {
                i += 1;
            }
            match *html.get(i)? {
                b'\t' | b'\n' | b'\x0C' | b' ' | b'/' | b'>' => break,
                b'=' if attribute => break,
                // Quotes and `<` in a name are parse errors html5gum reads its own way.
                b'"' | b'\'' | b'<' => return None,
                b'A'..=b'Z' => upper = true,
                _ => {}
            }
            i += 1;
        }
        self.at = i;
        Some((&html[start..i], upper))
    }

    /// `<name attr="value" …>`, read whole, then handed on: to [`Tokens::start_tag`]
    /// when its names hold no capital and its values no reference (nearly every tag of a
    /// page), else as the events html5gum gives. Returns the state the callback asks for,
    /// with the tag's name as written.
    fn start_tag(&mut self, tokens: &mut impl Tokens) -> Option<Option<(State, &'h [u8])>> {
        let html = self.html;
        let at = self.at;
        self.at += 1;
        let (name, upper) = self.read_name(false)?;
        let mut plain = !upper;
        self.attributes.clear();
        let self_closing = loop {
            self.skip_space();
            match *html.get(self.at)? {
                b'>' => {
                    self.at += 1;
                    break false;
                }
                b'/' => {
                    if html.get(self.at + 1) != Some(&b'>') {
                        return None;
                    }
                    self.at += 2;
                    break true;
                }
                b'=' => return None,
                _ => {}
            }
            let attribute = self.attribute()?;
            plain &= !attribute.upper && !attribute.amp;
            self.attributes.push(attribute);
        };
        let tag = StartTag {
            name,
            at,
            attributes: &self.attributes,
            self_closing,
            upper,
        };
        let next = if plain {
            tokens.start_tag(&tag)
        } else {
            emit(&tag, tokens, &mut self.text, &mut self.name)
        };
        Some(go(next)?.map(|state| (state, name)))
    }

    /// One attribute of a start tag, from its name on, as written.
    fn attribute(&mut self) -> Option<Attribute<'h>> {
        let html = self.html;
        let name_at = self.at;
        let (name, upper) = self.read_name(true)?;
        self.skip_space();
        let mut attribute = Attribute {
            name,
            name_at,
            value: &[],
            value_at: self.at,
            upper,
            amp: false,
        };
        if html.get(self.at) != Some(&b'=') {
            return Some(attribute);
        }
        self.at += 1;
        self.skip_space();
        attribute.value_at = self.at;
        attribute.value = match *html.get(self.at)? {
            quote @ (b'"' | b'\'') => {
                let open = self.at + 1;
                // The closing quote, and whether a reference comes first.
                let close = match memchr::memchr2(quote, b'&', &html[open..])? {
                    k if html[open + k] == quote => open + k,
                    k => {
                        attribute.amp = true;
                        open + k + memchr::memchr(quote, &html[open + k..])?
                    }
                };
                self.at = close + 1;
                // html5gum reads on without the missing space; lapa does not.
                let next = *html.get(self.at)?;
                if !(is_space(next) || next == b'/' || next == b'>') {
                    return None;
                }
                &html[open..close]
            }
            b'>' => return None,
            _ => {
                let open = self.at;
                while let Some(&b) = html.get(self.at) {
                    if is_space(b) || b == b'>' {
                        break;
                    }
                    if matches!(b, b'"' | b'\'' | b'<' | b'=' | b'`') {
                        return None;
                    }
                    attribute.amp |= b == b'&';
                    self.at += 1;
                }
                &html[open..self.at]
            }
        };
        Some(attribute)
    }

    /// `</name>`, with nothing between the name and `>` but whitespace.
    fn end_tag(&mut self, event: &mut impl Tokens) -> Option<()> {
        let tag_start = self.at;
        self.at += 2;
        let (name, upper) = self.read_name(false)?;
        self.skip_space();
        if self.html.get(self.at) != Some(&b'>') {
            return None;
        }
        self.at += 1;
        go(event.event(
            CallbackEvent::EndTag {
                name: lowercase(name, upper, &mut self.name),
            },
            tag_start,
        ))?;
        Some(())
    }

    /// The text of a raw-text or RCDATA element `tag` (its name as written), up to its
    /// end tag (which the main loop then reads).
    fn raw_text(&mut self, state: State, tag: &[u8], event: &mut impl Tokens) -> Option<()> {
        let html = self.html;
        let start = self.at;
        let mut from = start;
        let end = loop {
            let lt = from + memchr::memmem::find(&html[from..], b"</")?;
            let after = lt + 2 + tag.len();
            if html
                .get(lt + 2..after)
                .is_some_and(|n| n.eq_ignore_ascii_case(tag))
                && html
                    .get(after)
                    .is_some_and(|&b| is_space(b) || b == b'/' || b == b'>')
            {
                break lt;
            }
            from = lt + 2;
        };
        let content = &html[start..end];
        let value = match state {
            State::RcData => decoded(content, &mut self.text)?,
            State::RawText => content,
            // Script data has escape states of its own around `<!--`.
            State::ScriptData if memchr::memmem::find(content, b"<!--").is_none() => content,
            _ => return None,
        };
        if !value.is_empty() {
            go(event.event(CallbackEvent::String { value }, start))?;
        }
        self.at = end;
        Some(())
    }

    /// `<!--comment-->` or `<!doctype html>`.
    fn markup_declaration(&mut self, event: &mut impl Tokens) -> Option<()> {
        let html = self.html;
        let start = self.at;
        let rest = &html[start..];
        if let Some(comment) = rest.strip_prefix(b"<!--") {
            // `<!-->`, `<!--->` and `--!>` end a comment early.
            if comment.starts_with(b">") || comment.starts_with(b"->") {
                return None;
            }
            let end = memchr::memmem::find(comment, b"-->")?;
            let value = &comment[..end];
            if memchr::memmem::find(value, b"--!").is_some() {
                return None;
            }
            go(event.event(CallbackEvent::Comment { value }, start))?;
            self.at = start + 4 + end + 3;
            return Some(());
        }
        let doctype = b"<!doctype html>";
        if rest.len() >= doctype.len() && rest[..doctype.len()].eq_ignore_ascii_case(doctype) {
            go(event.event(
                CallbackEvent::Doctype {
                    name: b"html",
                    public_identifier: None,
                    system_identifier: None,
                    force_quirks: false,
                },
                start,
            ))?;
            self.at = start + doctype.len();
            return Some(());
        }
        None
    }
}

/// `name` in lowercase: itself when it holds no capital (`upper` false), else lowered
/// into `buf`.
fn lowercase<'a>(name: &'a [u8], upper: bool, buf: &'a mut Vec<u8>) -> &'a [u8] {
    if !upper {
        return name;
    }
    buf.clear();
    buf.extend(name.iter().map(u8::to_ascii_lowercase));
    buf
}

/// `raw` with its character references decoded (into `buf` when it has any); None for a
/// reference this lexer does not read exactly as html5gum.
fn decoded<'a>(raw: &'a [u8], buf: &'a mut Vec<u8>) -> Option<&'a [u8]> {
    if memchr::memchr(b'&', raw).is_none() {
        return Some(raw);
    }
    decode(raw, buf)?;
    Some(buf)
}

/// `raw` with its character references decoded into `out`; None for a reference this
/// lexer does not read exactly as html5gum (any named one but six, a numeric one outside
/// the plain ranges, one without `;`).
fn decode(raw: &[u8], out: &mut Vec<u8>) -> Option<()> {
    out.clear();
    let mut rest = raw;
    while let Some(amp) = memchr::memchr(b'&', rest) {
        out.extend_from_slice(&rest[..amp]);
        rest = &rest[amp + 1..];
        let Some(&next) = rest.first() else {
            out.push(b'&');
            break;
        };
        if !next.is_ascii_alphanumeric() && next != b'#' {
            // A bare `&` is text.
            out.push(b'&');
            continue;
        }
        let semi = memchr::memchr(b';', rest)?;
        let reference = &rest[..semi];
        let c = match reference {
            b"amp" => '&',
            b"lt" => '<',
            b"gt" => '>',
            b"quot" => '"',
            b"apos" => '\'',
            b"nbsp" => '\u{a0}',
            [b'#', b'x' | b'X', hex @ ..] => numeric(hex, 16)?,
            [b'#', digits @ ..] => numeric(digits, 10)?,
            _ => return None,
        };
        let mut buf = [0; 4];
        out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        rest = &rest[semi + 1..];
    }
    out.extend_from_slice(rest);
    Some(())
}

/// A numeric reference's character, when it is one html5gum keeps as it is.
fn numeric(digits: &[u8], radix: u32) -> Option<char> {
    if digits.is_empty() || digits.len() > 6 {
        return None;
    }
    let digits = std::str::from_utf8(digits).ok()?;
    let value = u32::from_str_radix(digits, radix).ok()?;
    let plain = matches!(value, 0x09 | 0x0A | 0x20..=0x7E | 0xA0..=0xD7FF | 0xE000..=0xFDCF | 0xFDF0..=0xFFFD | 0x10000..=0x1FFFD);
    if !plain {
        return None;
    }
    char::from_u32(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The events of `html` from this lexer and from html5gum, as text, with offsets.
    fn both(html: &str) -> (Option<Vec<String>>, Vec<String>) {
        let show = |e: &CallbackEvent<'_>, at: usize| {
            let s = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
            match e {
                CallbackEvent::OpenStartTag { name } => format!("<{}", s(name)),
                CallbackEvent::AttributeName { name } => format!(" {}", s(name)),
                CallbackEvent::AttributeValue { value } => format!("={}", s(value)),
                CallbackEvent::CloseStartTag { self_closing } => format!(">{self_closing}"),
                CallbackEvent::EndTag { name } => format!("@{at}</{}>", s(name)),
                CallbackEvent::String { value } => s(value),
                CallbackEvent::Comment { value } => format!("<!--{}-->", s(value)),
                CallbackEvent::Doctype { name, .. } => format!("<!doctype {}>", s(name)),
                CallbackEvent::Error(_) => String::new(),
            }
        };
        let state = |e: &CallbackEvent<'_>, last: &str| match e {
            CallbackEvent::CloseStartTag { .. } => match last {
                "title" | "textarea" => Some(State::RcData),
                "style" => Some(State::RawText),
                "script" => Some(State::ScriptData),
                _ => None,
            },
            _ => None,
        };
        let mut fast = Vec::new();
        let mut last = String::new();
        let read_fast = read(
            html.as_bytes(),
            &[],
            &mut Each(|e: CallbackEvent<'_>, at| {
                if let CallbackEvent::OpenStartTag { name } = &e {
                    last = String::from_utf8_lossy(name).into_owned();
                }
                fast.push(show(&e, at));
                ControlFlow::Continue(state(&e, &last))
            }),
        );
        let mut slow: Vec<String> = Vec::new();
        let mut last = String::new();
        {
            let emitter = html5gum::emitters::callback::CallbackEmitter::new(
                |e: CallbackEvent<'_>, span: html5gum::Span<usize>| -> Option<State> {
                    if let CallbackEvent::OpenStartTag { name } = &e {
                        last = String::from_utf8_lossy(name).into_owned();
                    }
                    slow.push(show(&e, span.start));
                    state(&e, &last)
                },
            );
            let mut tokens = html5gum::Tokenizer::new_with_emitter(html.as_bytes(), emitter);
            while let Some(Ok(state)) = tokens.next() {
                tokens.set_state(state);
            }
        }
        // Text comes in one event or several: compare it joined.
        let join = |v: Vec<String>| {
            let mut out: Vec<String> = Vec::new();
            for e in v.into_iter().filter(|e| !e.is_empty()) {
                let text = !e.starts_with(['<', ' ', '=', '>', '@']);
                match out.last_mut() {
                    Some(l) if text && !l.starts_with(['<', ' ', '=', '>', '@']) => l.push_str(&e),
                    _ => out.push(e),
                }
            }
            out
        };
        (read_fast.then(|| join(fast)), join(slow))
    }

    #[test]
    fn plain_markup_is_read_as_html5gum_reads_it() {
        for html in [
            "<!DOCTYPE html><html lang=lv><head><title>A &amp; B</title>\
             <style>p > a { color: red }</style><script>if (a < b) {}</script></head>\
             <body class=\"x\"><main id='m'><p>Tom &amp; Jerry &#x27;1&#39; &nbsp;&lt;&gt;&quot; & a</p>\
             <!-- more --><img src=x.png alt=\"a&quot;b\" hidden><br/><svg><rect width=\"3\"/></svg>\
             <DIV Data-EU-Funding=\"A-1\" style=\"\">x</DIV ></main></body></html>",
            "<p title='x'>a</p><!---- x ---><a href=/x/y>b</a>",
            "<p a b=c d = 'e' f=\"\" g=h/>x</p><br a=b/><img\talt=\"\"\nsrc = x ><hr/>",
            "<P a=b><p A=b><p a=&amp;><p a='&lt;'><p a=\"x\" B=\"&#65;\" c>",
            "<TITLE>A &lt; B</Title><P Title=\"a &amp; b\" ID=x>c</P><a href=/x?a&amp;b>d</a>\
             <STYLE>p { }</style><Script>x</SCRIPT >",
        ] {
            let (fast, slow) = both(html);
            assert_eq!(fast.as_ref(), Some(&slow), "{html}");
        }
    }

    #[test]
    fn a_plain_start_tag_is_handed_whole_and_any_other_as_events() {
        /// How many start tags came whole and how many as events.
        #[derive(Default)]
        struct Count {
            whole: usize,
            events: usize,
        }
        impl Tokens for Count {
            fn event(&mut self, event: CallbackEvent<'_>, _: usize) -> Next {
                if matches!(event, CallbackEvent::OpenStartTag { .. }) {
                    self.events += 1;
                }
                ControlFlow::Continue(None)
            }

            fn start_tag(&mut self, _: &StartTag<'_>) -> Next {
                self.whole += 1;
                ControlFlow::Continue(None)
            }
        }
        for (html, whole, events) in [
            ("<p class=x id=\"y\" hidden title=''>", 1, 0),
            ("<br/><img src='x' alt=\"\">", 2, 0),
            ("<P class=x>", 0, 1),
            ("<p Class=x>", 0, 1),
            ("<p title=\"a&amp;b\">", 0, 1),
            ("<p title=a&amp;b><b>", 1, 1),
        ] {
            let mut count = Count::default();
            assert!(read(html.as_bytes(), &[], &mut count), "{html}");
            assert_eq!((count.whole, count.events), (whole, events), "{html}");
        }
    }

    #[test]
    fn anything_else_is_left_to_html5gum() {
        for html in [
            "a < b",
            "a &copy; b",
            "a &amp b",
            "<p\rx>",
            "<!-->",
            "<!-- a --!> b -->",
            "<script><!-- </script> --></script>",
            "<p title=\"a\"b=c>",
            "<!doctype html public>",
            "</p x>",
            "<p",
            "<textarea>no end",
            "&#128;",
            "<p =x>",
            "<p a=>",
            "<p a/b>",
            "<p a='x'",
            "<p a=x`>",
            "<p a=\"&copy;\">",
            "<P A=\"&copy;\">",
        ] {
            let (fast, _) = both(html);
            assert_eq!(fast, None, "{html}");
        }
    }
}
