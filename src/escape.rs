//! Escaping text for the formats lapa writes: HTML and XML.

/// Escape text for HTML content and attribute values: the five characters that can
/// change markup, and no others (Tera's default also escapes `/`, which makes every
/// URL unreadable in the page source).
pub fn html(text: &str) -> String {
    replace_ascii(text, &HTML)
}

/// [`html`], written to `out`: how templates escape the values they show.
pub fn html_to(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = text.as_bytes();
    // Most values have nothing to escape. A short one (a title, a URL) is looked at
    // byte by byte; memchr looks at a long one many bytes at once, but costs more to set
    // up than a short value takes to read.
    let plain = if bytes.len() < 64 {
        !bytes.iter().any(|&b| HTML[usize::from(b)].is_some())
    } else {
        memchr::memchr3(b'&', b'<', b'>', bytes).is_none()
            && memchr::memchr2(b'"', b'\'', bytes).is_none()
    };
    if plain {
        return out.write_all(bytes);
    }
    escaped(text, &HTML, |piece| out.write_all(piece.as_bytes()))
}

/// Escape text for XML element content and attribute values; control characters and
/// U+FFFE, U+FFFF, which XML 1.0 does not allow at all, are dropped.
pub fn xml(text: &str) -> String {
    match without_nonchars(text) {
        Some(clean) => replace_ascii(&clean, &XML),
        None => replace_ascii(text, &XML),
    }
}

/// [`xml`], appended to `out`: a feed escapes whole report bodies into itself.
pub fn xml_into(text: &str, out: &mut String) {
    match without_nonchars(text) {
        Some(clean) => push_escaped(&clean, &XML, out),
        None => push_escaped(text, &XML, out),
    }
}

/// `text` with its character references decoded: numeric ones, and the named ones that
/// Markdown, WordPress and a teacher's raw HTML write (`&amp;`, `&nbsp;`, quotes, dashes …).
/// Anything else stays as written.
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let semi = rest[1..].find(';').filter(|&i| i <= 10).map(|i| i + 1);
        match semi.and_then(|i| entity(&rest[1..i]).map(|c| (c, i + 1))) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character a reference's name (between `&` and `;`) stands for.
fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "bdquo" => '„',
        "laquo" => '«',
        "raquo" => '»',
        "euro" => '€',
        "copy" => '©',
        _ => return None,
    })
}

/// `text` without U+FFFE and U+FFFF, when it has any (their UTF-8 is `EF BF BE`/`BF`).
fn without_nonchars(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let has = memchr::memmem::find_iter(bytes, b"\xEF\xBF")
        .any(|i| matches!(bytes.get(i + 2), Some(0xBE | 0xBF)));
    has.then(|| text.replace(['\u{FFFE}', '\u{FFFF}'], ""))
}

/// What each byte becomes; `None` for itself. Only ASCII bytes have an entry.
type Table = [Option<&'static str>; 256];

const fn markup(apostrophe: &'static str) -> Table {
    let mut t = [None; 256];
    t[b'&' as usize] = Some("&amp;");
    t[b'<' as usize] = Some("&lt;");
    t[b'>' as usize] = Some("&gt;");
    t[b'"' as usize] = Some("&quot;");
    t[b'\'' as usize] = Some(apostrophe);
    t
}

const HTML: Table = markup("&#39;");

const XML: Table = {
    let mut t = markup("&apos;");
    let mut b = 0;
    while b < 0x20 {
        if !matches!(b, b'\t' | b'\n' | b'\r') {
            t[b as usize] = Some("");
        }
        b += 1;
    }
    t
};

/// `text` with each byte that `table` has an entry for replaced. Those are ASCII, so
/// the runs between them are copied whole, cut at character boundaries. (Templates
/// escape every value they show: this is hot, and most values need nothing.)
fn replace_ascii(text: &str, table: &Table) -> String {
    let bytes = text.as_bytes();
    let special = |b: &u8| table[usize::from(*b)].is_some();
    let Some(first) = bytes.iter().position(special) else {
        return text.to_owned();
    };
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    out.push_str(&text[..first]);
    push_escaped(&text[first..], table, &mut out);
    out
}

/// Append `text`, escaped by `table`, to `out`.
fn push_escaped(text: &str, table: &Table, out: &mut String) {
    let _ = escaped(text, table, |piece| {
        out.push_str(piece);
        Ok::<(), std::convert::Infallible>(())
    });
}

/// Hand `text`, escaped by `table`, to `put` piece by piece: the runs that need nothing
/// whole, and the entity for each byte between them.
fn escaped<E>(
    text: &str,
    table: &Table,
    mut put: impl FnMut(&str) -> Result<(), E>,
) -> Result<(), E> {
    let mut run = 0;
    for (i, b) in text.bytes().enumerate() {
        if let Some(entity) = table[usize::from(b)] {
            put(&text[run..i])?;
            put(entity)?;
            run = i + 1;
        }
    }
    put(&text[run..])
}

#[cfg(test)]
mod tests {
    use super::decode_entities;

    #[test]
    fn references_decode_to_the_characters_they_name() {
        assert_eq!(
            decode_entities("Rock&apos;n&#39;roll &ndash; 5&nbsp;&euro; &#x101; &bogus; & x"),
            "Rock'n'roll – 5\u{a0}€ ā &bogus; & x"
        );
    }

    #[test]
    fn markup_becomes_text() {
        assert_eq!(
            super::html("<a href='x'>&</a>"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;"
        );
        assert_eq!(super::html("ā\"ē&ī"), "ā&quot;ē&amp;ī");
        assert_eq!(super::html("bez zīmēm"), "bez zīmēm");
        for text in ["<a href='x'>&</a>", "ā\"ē&ī", "bez zīmēm", ""] {
            let mut written = Vec::new();
            super::html_to(text, &mut written).expect("into memory");
            assert_eq!(
                String::from_utf8(written).expect("UTF-8"),
                super::html(text)
            );
        }
        assert_eq!(super::xml("a\u{1}<b>"), "a&lt;b&gt;");
        assert_eq!(super::xml("ā\tē\u{1f}'"), "ā\tē&apos;");
        let mut feed = String::from("<content>");
        super::xml_into("a\u{1}<b>", &mut feed);
        super::xml_into("ā&", &mut feed);
        assert_eq!(feed, "<content>a&lt;b&gt;ā&amp;");
    }
}
