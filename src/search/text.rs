//! A rendered body's plain text, for the index and for excerpts.

use crate::markdown::{Run, RunKind};

/// The text of `html`: tags dropped (with a space where a block or a line break was, so
/// words do not run together), scripts and styles left out, entities decoded,
/// whitespace collapsed.
pub fn plain_text(html: &str) -> String {
    // Most text has no entity (an `&` in a link's address is not text): it is collapsed
    // as its pieces come.
    let mut text = Collapsed::with_capacity(html.len());
    let mut entity = false;
    let _ = pieces(html, |piece| {
        entity = entity || piece.contains('&');
        if !entity {
            text.push(piece);
        }
    });
    if !entity {
        return text.out;
    }
    // An entity may decode to whitespace, or be cut by an inline tag (`&am<b></b>p;`):
    // the whole text is decoded first, then collapsed.
    let mut raw = String::with_capacity(html.len());
    let _ = pieces(html, |piece| raw.push_str(piece));
    let mut text = Collapsed::with_capacity(raw.len());
    text.push(&decode_entities(raw));
    text.out
}

/// The plain text of a body lapa rendered, as [`plain_text`] gives it, read from its runs:
/// text is taken as it is, and only the HTML lapa did not write itself (raw HTML, code,
/// images) is read tag by tag. A body where that would differ from reading it whole (an
/// entity, a script that runs past its stretch) is read whole.
pub fn body_text(html: &str, runs: &[Run]) -> String {
    let mut text = Collapsed::with_capacity(html.len());
    let mut exact = true;
    let mut start = 0;
    // Where the stretch of HTML still to be read began.
    let mut unread: Option<usize> = None;
    for &run in runs {
        let end = run.end();
        let Some(span) = html.get(start..end) else {
            return plain_text(html);
        };
        if run.kind() != RunKind::Html
            && let Some(from) = unread.take()
        {
            exact &= read_html(&html[from..start], &mut text);
        }
        match run.kind() {
            RunKind::Text => {
                exact &= !span.contains('&');
                text.push(span);
            }
            RunKind::Break => text.push(" "),
            RunKind::Inline => {}
            RunKind::Html => {
                unread.get_or_insert(start);
            }
        }
        start = end;
    }
    exact &= read_html(&html[unread.unwrap_or(start)..], &mut text);
    if exact { text.out } else { plain_text(html) }
}

/// Add the text of `html` to `text`; false when it holds an entity or a hidden element
/// that does not close within it.
fn read_html(html: &str, text: &mut Collapsed) -> bool {
    let mut entity = false;
    let closed = pieces(html, |piece| {
        entity |= piece.contains('&');
        text.push(piece);
    });
    closed && !entity
}

/// Call `f` with each piece of text of `html` in order, and with `" "` for each tag that
/// separates words; false when a hidden element (a script) does not close.
fn pieces(html: &str, mut f: impl FnMut(&str)) -> bool {
    let bytes = html.as_bytes();
    let mut text = 0;
    let mut closed = true;
    while let Some(lt) = memchr::memchr(b'<', &bytes[text..]).map(|i| text + i) {
        f(&html[text..lt]);
        let end = lt + tag_end(&bytes[lt..]);
        let tag = &bytes[lt..end];
        let kind = element_kind(tag_name(tag));
        if kind != Effect::Inline {
            f(" ");
        }
        text = end;
        let opens = tag.get(1) != Some(&b'/') && !tag.ends_with(b"/>");
        if opens && kind == Effect::Hidden {
            match skip_past_close(&bytes[end..], tag_name(tag)) {
                Some(after) => text = end + after,
                None => {
                    closed = false;
                    text = bytes.len();
                }
            }
        }
    }
    f(&html[text..]);
    closed
}

/// What an element does to the text around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Effect {
    /// It sits inside a line of text: no space where it starts or ends (`<em>x</em>,`).
    Inline,
    /// It holds no text a reader sees (a script, a style).
    Hidden,
    /// It separates words.
    Block,
}

/// The kind of the element named `name`, in any case.
fn element_kind(name: &[u8]) -> Effect {
    // Element names worth knowing are short: a longer one is a block.
    let mut lower = [0u8; 8];
    let Some(buf) = lower.get_mut(..name.len()) else {
        return Effect::Block;
    };
    for (to, from) in buf.iter_mut().zip(name) {
        *to = from.to_ascii_lowercase();
    }
    match &*buf {
        b"a" | b"abbr" | b"b" | b"bdi" | b"bdo" | b"cite" | b"code" | b"del" | b"dfn" | b"em"
        | b"i" | b"ins" | b"kbd" | b"mark" | b"q" | b"s" | b"samp" | b"small" | b"span"
        | b"strong" | b"sub" | b"sup" | b"time" | b"u" | b"var" => Effect::Inline,
        b"script" | b"style" | b"template" | b"svg" | b"noscript" => Effect::Hidden,
        _ => Effect::Block,
    }
}

/// The length of the tag at the start of `s` (through its `>`), minding quoted values.
fn tag_end(s: &[u8]) -> usize {
    let mut i = 1;
    while let Some(at) = s
        .get(i..)
        .and_then(|rest| memchr::memchr3(b'>', b'"', b'\'', rest))
    {
        let mark = i + at;
        if s[mark] == b'>' {
            return mark + 1;
        }
        // A quoted value: its closing quote, then on.
        match memchr::memchr(s[mark], &s[mark + 1..]) {
            Some(close) => i = mark + 1 + close + 1,
            None => return s.len(),
        }
    }
    s.len()
}

/// The element name of a tag, as written (`<Script src=…>` → `Script`, `</em>` → `em`).
fn tag_name(tag: &[u8]) -> &[u8] {
    let after = tag.get(1..).unwrap_or_default();
    let slashes = after.iter().take_while(|&&b| b == b'/').count();
    let name = &after[slashes..];
    let end = name
        .iter()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(name.len());
    &name[..end]
}

/// How many bytes of `s` there are through the closing tag of `name`, if it closes.
fn skip_past_close(s: &[u8], name: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = memchr::memmem::find(&s[from..], b"</").map(|i| from + i) {
        let after = &s[at + 2..];
        if after.len() >= name.len() && after[..name.len()].eq_ignore_ascii_case(name) {
            return Some(at + tag_end(&s[at..]));
        }
        from = at + 2;
    }
    None
}

/// The text with its character references decoded (`&nbsp;` becomes U+00A0, which the
/// collapsing of whitespace reads as a space).
fn decode_entities(s: String) -> String {
    if !s.contains('&') {
        return s;
    }
    crate::escape::decode_entities(&s)
}

/// Text with its runs of whitespace made one space and its ends trimmed (what
/// `split_whitespace` and `join` give), built a piece at a time.
struct Collapsed {
    out: String,
    /// Whitespace was seen since the last text.
    space: bool,
}

impl Collapsed {
    fn with_capacity(bytes: usize) -> Collapsed {
        Collapsed {
            out: String::with_capacity(bytes),
            space: false,
        }
    }

    /// Add `s`. Text between runs of whitespace that are already one space is copied in
    /// one piece, not a word at a time.
    fn push(&mut self, s: &str) {
        if s == " " {
            // What a tag between two words leaves: nothing more to look at.
            self.space = true;
            return;
        }
        let bytes = s.as_bytes();
        if single_spaced(bytes) {
            // Most text: words with one space between them, copied whole.
            let inner = s.strip_prefix(' ').unwrap_or(s);
            self.space |= inner.len() < s.len();
            let words = inner.strip_suffix(' ').unwrap_or(inner);
            self.text(words);
            self.space |= words.len() < inner.len();
            return;
        }
        let mut copied = 0;
        let mut i = 0;
        // Skip to each byte that may start whitespace: most bytes cannot.
        while let Some(n) = bytes[i..]
            .iter()
            .position(|&b| MAY_BE_SPACE[usize::from(b)])
        {
            i += n;
            // One space between two words is already what the text should hold.
            if bytes[i] == b' '
                && i > copied
                && bytes
                    .get(i + 1)
                    .is_some_and(|&next| !MAY_BE_SPACE[usize::from(next)])
            {
                i += 1;
                continue;
            }
            let run = i;
            while i < bytes.len() {
                match whitespace_at(s, i) {
                    0 => break,
                    more => i += more,
                }
            }
            if i == run {
                // A first byte of something else (`–`, `„`).
                i += 1;
                continue;
            }
            self.text(&s[copied..run]);
            self.space = true;
            copied = i;
        }
        self.text(&s[copied..]);
    }

    /// Add `t`, which neither starts nor ends with whitespace.
    fn text(&mut self, t: &str) {
        if t.is_empty() {
            return;
        }
        if self.space && !self.out.is_empty() {
            self.out.push(' ');
        }
        self.space = false;
        self.out.push_str(t);
    }
}

/// Whether the only whitespace in `bytes` is single spaces. Every byte is looked at,
/// with no early exit and no table, so the compiler checks many at once.
fn single_spaced(bytes: &[u8]) -> bool {
    let other = |b: u8| u8::from(may_be_space(b) && b != b' ');
    let Some((&last, rest)) = bytes.split_last() else {
        return true;
    };
    let mut seen = other(last);
    for (&b, &next) in rest.iter().zip(&bytes[1..]) {
        seen |= other(b) | (u8::from(b == b' ') & u8::from(next == b' '));
    }
    seen == 0
}

/// Whether `b` may start whitespace: ASCII's, and the first bytes of the other
/// whitespace characters (U+0085, U+00A0, U+1680, U+2000–U+205F, U+3000).
const fn may_be_space(b: u8) -> bool {
    matches!(b, 0x09..=0x0d | 0x20 | 0xc2 | 0xe1..=0xe3)
}

/// [`may_be_space`] of each byte, looked up where a loop stops at the first.
static MAY_BE_SPACE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = may_be_space(b as u8);
        b += 1;
    }
    table
};

/// The length of the whitespace character at byte `i` of `s`, or 0 when there is none.
#[inline]
fn whitespace_at(s: &str, i: usize) -> usize {
    let b = s.as_bytes()[i];
    if !MAY_BE_SPACE[usize::from(b)] {
        0
    } else if b.is_ascii() {
        1
    } else {
        // A first byte is never the middle of a character, so `i` is a boundary.
        other_whitespace_at(s, i)
    }
}

fn other_whitespace_at(s: &str, i: usize) -> usize {
    s[i..]
        .chars()
        .next()
        .filter(|c| c.is_whitespace())
        .map_or(0, char::len_utf8)
}

#[cfg(test)]
mod tests {
    use super::plain_text;

    #[test]
    fn tags_go_and_words_stay_apart() {
        assert_eq!(
            plain_text("<h2 id=\"x\">Ko apguvām</h2><p>Pirmā<br>rinda &amp; (<em>otrā</em>)</p>"),
            "Ko apguvām Pirmā rinda & (otrā)"
        );
    }

    #[test]
    fn scripts_and_styles_are_not_text() {
        assert_eq!(
            plain_text("a<script>var x = '<p>';</script>b<STYLE>p{}</STYLE>c"),
            "a b c"
        );
        assert_eq!(plain_text("a<script>never closed"), "a");
    }

    #[test]
    fn text_with_and_without_entities_collapses_alike() {
        let htmls = [
            "<p>Pirmā  rinda</p>\n<p> otrā\trinda </p>",
            "a <em> b </em> c<br>d<strong>e</strong>f",
            "<ul>\n  <li>x</li>\n  <li>y\u{a0}z</li>\n</ul>\n",
            " <p></p> ",
            "&am<em></em>p; x &#32; y",
        ];
        // What plain_text is: the pieces, decoded, split at whitespace and joined.
        let by_definition = |html: &str| {
            let mut raw = String::new();
            let _ = super::pieces(html, |piece| raw.push_str(piece));
            let decoded = super::decode_entities(raw);
            decoded.split_whitespace().collect::<Vec<_>>().join(" ")
        };
        for html in htmls {
            assert_eq!(plain_text(html), by_definition(html), "{html:?}");
            let with_entity = format!("{html}&amp;&nbsp;x");
            assert_eq!(plain_text(&with_entity), by_definition(&with_entity));
            let in_a_link = format!("<a href=\"/?a=1&amp;b=2\">{html}</a>");
            assert_eq!(plain_text(&in_a_link), by_definition(&in_a_link));
        }
    }

    #[test]
    fn element_names_in_any_case() {
        assert_eq!(plain_text("a<EM>b</Em>c<Script>x</SCRIPT>d"), "abc d");
    }

    fn collapse(s: &str) -> String {
        let mut text = super::Collapsed::with_capacity(s.len());
        text.push(s);
        text.out
    }

    #[test]
    fn every_kind_of_whitespace_collapses() {
        let spaces: String = (0..=0x3000u32)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
            .collect();
        let text = format!("{spaces}ā{spaces}b\u{2003}c\u{2010}d\u{00a1}e{spaces}");
        assert_eq!(
            collapse(&text),
            text.split_whitespace().collect::<Vec<_>>().join(" ")
        );
        // Every string of up to four of these pieces.
        let pieces = [
            "a", "ā", " ", "  ", "\n", "\u{a0}", "\u{2003}", "\u{2010}", "b c",
        ];
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|t| pieces.iter().map(move |p| format!("{t}{p}")))
                .collect();
            texts.extend(longer);
        }
        for text in texts {
            let expected = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse(&text), expected, "{text:?}");
            // Pushed in two pieces, cut anywhere: the same.
            for (cut, _) in text.char_indices() {
                let mut two = super::Collapsed::with_capacity(text.len());
                two.push(&text[..cut]);
                two.push(&text[cut..]);
                assert_eq!(two.out, expected, "{text:?} cut at {cut}");
            }
        }
    }

    struct NoSite;
    impl crate::markdown::LinkResolver for NoSite {
        fn page_url(&self, _: &str, _: &str) -> Option<String> {
            Some("/news/x/".to_string())
        }
        fn asset_url(&self, rel: &str) -> String {
            format!("/{rel}")
        }
        fn base_path(&self) -> &str {
            "/"
        }
    }

    #[test]
    fn a_body_read_by_its_runs_gives_the_text_read_whole() {
        let bodies = [
            "Mentorings *ir* **rīks**, ~~nav~~ [saite](x.md) un `kods`.\nOtrā rinda.  \nTrešā.",
            "## Virsraksts {#id}\n\n- viens\n- divi\n\n1. a\n2. b\n\n> citāts\n\n---\n",
            "| a | b |\n| --- | :-: |\n| x | y |\n\n```rust\nfn a()  {}\n```\n",
            "Teksts[^1] un ![attēls](foto.jpg \"virsraksts\").\n\n[^1]: Piezīme.\n",
            "<div>raw <b>html</b></div>\n\n<script>\nvar x = '<p>';\n</script>\n\nPēc tam.",
            "Vārdi <span>iekšā</span> rindā, <svg><text>slēpts</text></svg> beigas.",
            "Zīmes: a & b, 1 < 2, \"pēdiņas\", &amp; un &copy;.",
            "- [ ] darīt\n- [x] izdarīts\n\n  atkāpe\twith tab\u{a0}un nbsp",
            "",
        ];
        for body in bodies {
            let r = crate::markdown::render(body, "news/x.md", "lv", &NoSite);
            assert_eq!(
                super::body_text(&r.html, &r.runs),
                plain_text(&r.html),
                "{body:?} → {:?}",
                r.html
            );
        }
    }

    #[test]
    fn entities_and_quoted_brackets() {
        assert_eq!(plain_text("<a title=\"a > b\">x</a>"), "x");
        assert_eq!(
            plain_text("&#257;&#x161; &lt;b&gt; &bogus; & x"),
            "āš <b> &bogus; & x"
        );
    }
}
