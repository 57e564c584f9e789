//! Small HTML text helpers for what the importer must read before conversion: a
//! paragraph's words, an attribute's value.

/// The text of an HTML fragment: tags dropped, entities decoded, spaces collapsed.
pub fn text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    collapse(&decode_entities(&out))
}

/// Runs of white space (no-break spaces included) become one space; ends trimmed.
pub fn collapse(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Decode the entities WordPress writes (XML's, `&nbsp;`, typographic quotes and dashes,
/// numeric references); anything else stays as written.
pub fn decode_entities(s: &str) -> String {
    crate::escape::decode_entities(s)
}

/// The value of `name="…"` (or `'…'`) in a tag or a shortcode's attributes, decoded.
pub fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before_ok = at == 0
            || lower.as_bytes()[at - 1].is_ascii_whitespace()
            || lower.as_bytes()[at - 1] == b'[';
        let after = lower[from..].trim_start();
        if !before_ok || !after.starts_with('=') {
            continue;
        }
        let value_start = tag.len() - after.len() + 1;
        let value = tag[value_start..].trim_start();
        let (quote, body) = match value.chars().next() {
            Some(q @ ('"' | '\'')) => (Some(q), &value[1..]),
            _ => (None, value),
        };
        let end = match quote {
            Some(q) => body.find(q),
            None => body.find(|c: char| c.is_whitespace() || c == '>' || c == ']'),
        }
        .unwrap_or(body.len());
        return Some(decode_entities(&body[..end]));
    }
    None
}

/// Every `<img …>` tag in `html`, as written.
pub fn img_tags(html: &str) -> Vec<&str> {
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(i) = find_ci(rest, "<img") {
        let tag_end = rest[i..].find('>').map(|e| i + e + 1).unwrap_or(rest.len());
        tags.push(&rest[i..tag_end]);
        rest = &rest[tag_end..];
    }
    tags
}

/// The first place of an ASCII `needle` in `hay`, ignoring ASCII case.
pub fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let n = needle.len();
    hay.as_bytes()
        .windows(n)
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_drops_tags_and_decodes() {
        assert_eq!(
            text("<p>Līdz&shy;finansē&nbsp;&nbsp; <b>Eiropas</b>&#8217;s &amp; „ES”</p>"),
            "Līdz&shy;finansē Eiropas ’s & „ES”"
        );
    }

    #[test]
    fn attribute_values() {
        let tag = r#"<img class="wp-image-5" src="a.jpg" alt='Bērni &amp; skolotāji' width=300>"#;
        assert_eq!(attribute(tag, "src").as_deref(), Some("a.jpg"));
        assert_eq!(attribute(tag, "alt").as_deref(), Some("Bērni & skolotāji"));
        assert_eq!(attribute(tag, "width").as_deref(), Some("300"));
        assert_eq!(attribute(tag, "title"), None);
        assert_eq!(
            attribute("[gallery ids=\"4,5\"]", "ids").as_deref(),
            Some("4,5")
        );
    }
}
