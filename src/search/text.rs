//! A rendered body's plain text, for the index and for excerpts.

/// Elements whose content is not text a reader sees.
const HIDDEN: &[&str] = &["script", "style", "template", "svg", "noscript"];

/// Elements inside a line of text: no space where they start or end (`<em>x</em>,`).
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "del", "dfn", "em", "i", "ins", "kbd", "mark",
    "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
];

/// The text of `html`: tags dropped (with a space where a block or a line break was, so
/// words do not run together), scripts and styles left out, entities decoded,
/// whitespace collapsed.
pub fn plain_text(html: &str) -> String {
    let mut raw = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        raw.push_str(&rest[..lt]);
        let tag = &rest[lt..];
        let end = tag_end(tag);
        let name = tag_name(&tag[..end]);
        rest = &tag[end..];
        if !is_one_of(name, INLINE) {
            raw.push(' ');
        }
        let opens = !tag[1..].starts_with('/') && !tag[..end].ends_with("/>");
        if opens && is_one_of(name, HIDDEN) {
            rest = skip_past_close(rest, &name.to_ascii_lowercase());
        }
    }
    raw.push_str(rest);
    collapse(&decode_entities(raw))
}

/// Whether the element `name`, in any case, is one of `names` (lowercase).
fn is_one_of(name: &str, names: &[&str]) -> bool {
    names.iter().any(|n| n.eq_ignore_ascii_case(name))
}

/// The length of the tag at the start of `s` (through its `>`), minding quoted values.
fn tag_end(s: &str) -> usize {
    let mut quote = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    s.len()
}

/// The element name of a tag, as written (`<Script src=…>` → `Script`, `</em>` → `em`).
fn tag_name(tag: &str) -> &str {
    let name = tag[1..].trim_start_matches('/');
    let end = name
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(name.len());
    &name[..end]
}

/// What follows the closing tag of `name` in `s` (nothing when it never closes).
fn skip_past_close<'a>(s: &'a str, name: &str) -> &'a str {
    let lower = s.to_ascii_lowercase();
    match lower.find(&format!("</{name}")) {
        Some(i) => {
            let after = &s[i..];
            &after[tag_end(after)..]
        }
        None => "",
    }
}

/// Decode the entities pulldown-cmark writes and those a teacher's raw HTML may hold.
fn decode_entities(s: String) -> String {
    if !s.contains('&') {
        return s;
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let semi = rest[1..].find(';').filter(|&i| i <= 10).map(|i| i + 1);
        let decoded = semi.and_then(|i| entity(&rest[1..i]).map(|c| (c, i + 1)));
        match decoded {
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
        "nbsp" => ' ',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "laquo" => '«',
        "raquo" => '»',
        "bdquo" => '„',
        "ldquo" => '“',
        "rdquo" => '”',
        _ => return None,
    })
}

/// Runs of whitespace become one space; the ends are trimmed.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
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
    fn entities_and_quoted_brackets() {
        assert_eq!(plain_text("<a title=\"a > b\">x</a>"), "x");
        assert_eq!(
            plain_text("&#257;&#x161; &lt;b&gt; &bogus; & x"),
            "āš <b> &bogus; & x"
        );
    }
}
