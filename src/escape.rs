//! Escaping text for the formats lapa writes: HTML and XML.

/// Escape text for HTML content and attribute values: the five characters that can
/// change markup, and no others (Tera's default also escapes `/`, which makes every
/// URL unreadable in the page source).
pub fn html(text: &str) -> String {
    replace_ascii(text, |b| match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&#39;"),
        _ => None,
    })
}

/// Escape text for XML element content and attribute values; control characters,
/// which XML 1.0 does not allow at all, are dropped.
pub fn xml(text: &str) -> String {
    replace_ascii(text, |b| match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&apos;"),
        b'\t' | b'\n' | b'\r' => None,
        b if b < 0x20 => Some(""),
        _ => None,
    })
}

/// `text` with each byte `with` has a replacement for replaced. Only ASCII bytes may
/// have one, so the runs between them are copied whole, cut at character boundaries.
/// (Templates escape every value they show: this is hot.)
fn replace_ascii(text: &str, with: impl Fn(u8) -> Option<&'static str>) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut run = 0;
    for (i, b) in text.bytes().enumerate() {
        if let Some(entity) = with(b).filter(|_| b.is_ascii()) {
            out.push_str(&text[run..i]);
            out.push_str(entity);
            run = i + 1;
        }
    }
    out.push_str(&text[run..]);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_becomes_text() {
        assert_eq!(
            super::html("<a href='x'>&</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;"
        );
        assert_eq!(super::html("ā\"ē&ī"), "ā&quot;ē&amp;ī");
        assert_eq!(super::html("bez zīmēm"), "bez zīmēm");
        assert_eq!(super::xml("a\u{1}<b>"), "a&lt;b&gt;");
        assert_eq!(super::xml("ā\tē\u{1f}'"), "ā\tē&apos;");
    }
}
