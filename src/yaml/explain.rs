//! Why a YAML text does not read, in a teacher's words: the common mistakes of a hand
//! written front matter, found by looking at its lines, each with the line it is on.
//!
//! The parser's own message says where it gave up, which is often lines after the
//! mistake (an unclosed quote is noticed at the end of the text); these rules find the
//! line the writer has to change.

use crate::msg;

/// A mistake found in the text: its 1-based line and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub line: usize,
    pub message: String,
}

/// One `key: value` line (or `- key: value` in a list).
struct KeyLine<'a> {
    indent: usize,
    key: &'a str,
    /// What follows `key:`, trimmed.
    value: &'a str,
}

fn key_line(line: &str) -> Option<KeyLine<'_>> {
    let trimmed = line.trim_start_matches(' ');
    let indent = line.len() - trimmed.len();
    let trimmed = trimmed.strip_prefix("- ").unwrap_or(trimmed);
    let colon = trimmed.find(':')?;
    let key = &trimmed[..colon];
    if key.is_empty()
        || !key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
    {
        return None;
    }
    let rest = &trimmed[colon + 1..];
    if !(rest.is_empty() || rest.starts_with([' ', '\t', '\r'])) {
        return None;
    }
    Some(KeyLine {
        indent,
        key,
        value: rest.trim(),
    })
}

/// The first mistake in `text` at or before `upto` (the line the parser stopped at),
/// or anywhere when the parser gave no line.
pub fn syntax(text: &str, upto: Option<usize>) -> Option<Found> {
    let lines: Vec<&str> = text.lines().collect();
    let last = upto.unwrap_or(lines.len()).min(lines.len());
    let mut i = 0;
    while i < last {
        let line = lines[i];
        let number = i + 1;
        let indent_text: &str = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
        if indent_text.contains('\t') && !line.trim().is_empty() {
            return Some(Found {
                line: number,
                message: msg!("yaml-tab", line = number),
            });
        }
        if let Some(kv) = key_line(line) {
            if let Some(found) = in_value(&kv, number, &lines[i + 1..]) {
                return Some(found);
            }
            // A block text (`|` or `>`): its lines are text, not fields.
            if kv.value.starts_with(['|', '>']) {
                i += 1;
                while i < lines.len()
                    && (lines[i].trim().is_empty() || indent_of(lines[i]) > kv.indent)
                {
                    i += 1;
                }
                continue;
            }
            // A quoted value going on to the next lines: skip to its end.
            if let Some(q) = opening_quote(kv.value)
                && !closes(&kv.value[q.len_utf8()..], q)
            {
                i += 1;
                while i < lines.len() && !closes(lines[i], q) {
                    i += 1;
                }
                i += 1;
                continue;
            }
        } else if let Some(found) = missing_space(line, number) {
            return Some(found);
        }
        i += 1;
    }
    None
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn opening_quote(value: &str) -> Option<char> {
    match value.chars().next() {
        Some(q @ ('"' | '\'')) => Some(q),
        _ => None,
    }
}

/// Whether `rest` (text after an opening quote) has the closing one.
fn closes(rest: &str, quote: char) -> bool {
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        if quote == '"' && c == '\\' {
            chars.next();
        } else if c == quote {
            if quote == '\'' && chars.peek() == Some(&'\'') {
                chars.next();
                continue;
            }
            return true;
        }
    }
    false
}

/// Mistakes in the value of one `key: value` line.
fn in_value(kv: &KeyLine, number: usize, after: &[&str]) -> Option<Found> {
    let value = kv.value;
    let key = kv.key;
    if value.starts_with(['„', '“', '”']) {
        let body = &value[value.chars().next().map_or(0, char::len_utf8)..];
        let mark = if body.contains(": ") || body.ends_with(':') {
            Some(":")
        } else if body.contains(" #") {
            Some("#")
        } else {
            None
        };
        return mark.map(|mark| Found {
            line: number,
            message: msg!("yaml-latvian-quote", key = key, mark = mark),
        });
    }
    if let Some(q) = opening_quote(value) {
        let rest = &value[q.len_utf8()..];
        if closes(rest, q) {
            return None;
        }
        // A quoted text may go on over lines; one that runs into the next field (or to
        // the end) was never closed.
        let next = after.iter().find(|l| !l.trim().is_empty());
        let runs_on = match next {
            None => true,
            Some(l) => key_line(l).is_some_and(|k| k.indent <= kv.indent),
        };
        return runs_on.then(|| Found {
            line: number,
            message: msg!("yaml-unclosed-quote", key = key, quote = q),
        });
    }
    if value.starts_with(['[', '{', '|', '>', '&', '*', '!', '#']) || value.is_empty() {
        return None;
    }
    let text = value.split(" #").next().unwrap_or(value);
    if text.contains(": ") || text.ends_with(':') {
        return Some(Found {
            line: number,
            message: msg!(
                "yaml-colon-in-value",
                key = key,
                value = text.replace('"', "\\\"")
            ),
        });
    }
    None
}

/// `title:Kurss`: a field name and a value with no space between.
fn missing_space(line: &str, number: usize) -> Option<Found> {
    let trimmed = line.trim_start_matches(' ');
    let trimmed = trimmed.strip_prefix("- ").unwrap_or(trimmed);
    let colon = trimmed.find(':')?;
    let key = &trimmed[..colon];
    let value = trimmed[colon + 1..].trim_end();
    let is_name = key.starts_with(|c: char| c.is_ascii_lowercase())
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit());
    // `http://…` and `14:05` are not this mistake.
    if !is_name || value.is_empty() || value.starts_with(['/', ':']) || key.len() > 20 {
        return None;
    }
    Some(Found {
        line: number,
        message: msg!("yaml-no-space", key = key, value = value),
    })
}

/// The same field twice in one mapping: its second line, naming the first.
/// `offset` is added to the first line's number in the message (the file's line).
pub fn duplicate(text: &str, offset: usize) -> Option<Found> {
    // The keys seen in each open mapping, by indent.
    let mut open: Vec<(usize, Vec<(&str, usize)>)> = Vec::new();
    let mut block_indent: Option<usize> = None;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let indent = indent_of(line);
        if let Some(b) = block_indent {
            if indent > b {
                continue;
            }
            block_indent = None;
        }
        let Some(kv) = key_line(line) else { continue };
        let is_item = line.trim_start().starts_with("- ");
        while open.last().is_some_and(|(at, _)| *at > kv.indent) {
            open.pop();
        }
        if is_item {
            // A list item starts a new mapping at this indent.
            while open.last().is_some_and(|(at, _)| *at >= kv.indent) {
                open.pop();
            }
        }
        if open.last().is_none_or(|(at, _)| *at < kv.indent) {
            open.push((kv.indent, Vec::new()));
        }
        if let Some((_, keys)) = open.last_mut() {
            if let Some((_, first)) = keys.iter().find(|(k, _)| *k == kv.key) {
                return Some(Found {
                    line: i + 1,
                    message: msg!("yaml-duplicate", key = kv.key, first = first + offset),
                });
            }
            keys.push((kv.key, i + 1));
        }
        if kv.value.starts_with(['|', '>']) {
            block_indent = Some(kv.indent);
        }
    }
    None
}

/// Warnings about a text that reads but not as meant: `tags: a, b` is one tag.
pub fn warnings(text: &str, list_fields: &[&str]) -> Vec<Found> {
    let mut found = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some(kv) = key_line(line) else { continue };
        if kv.indent != 0 || !list_fields.contains(&kv.key) {
            continue;
        }
        let value = kv.value;
        if value.starts_with(['[', '"', '\'', '#']) || !value.contains(',') {
            continue;
        }
        let items: Vec<&str> = value
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        if items.len() < 2 {
            continue;
        }
        found.push(Found {
            line: i + 1,
            message: msg!(
                "yaml-list-as-text",
                key = kv.key,
                value = value,
                items = items.join(", ")
            ),
        });
    }
    found
}

/// The line of `key` as a field anywhere in `text` (indented or not).
pub fn line_of_key(text: &str, key: &str) -> Option<(usize, usize)> {
    text.lines().enumerate().find_map(|(i, l)| {
        key_line(l)
            .filter(|k| k.key == key)
            .map(|k| (i + 1, k.indent))
    })
}

/// The top-level field a line at `line` is indented under, if it is indented.
pub fn parent_of(text: &str, line: usize) -> Option<&str> {
    let lines: Vec<&str> = text.lines().collect();
    let own = indent_of(lines.get(line.checked_sub(1)?)?);
    if own == 0 {
        return None;
    }
    lines[..line - 1]
        .iter()
        .rev()
        .filter_map(|l| key_line(l))
        .find(|k| k.indent < own)
        .map(|k| k.key)
}

/// The top-level field just above `line` whose value is a block of indented lines
/// (`mobility:` with nothing after the colon), if the line comes right after one.
pub fn block_above(text: &str, line: usize) -> Option<&str> {
    let lines: Vec<&str> = text.lines().collect();
    lines
        .get(..line.checked_sub(1)?)?
        .iter()
        .rev()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| key_line(l))
        .find(|k| k.indent == 0)
        .filter(|k| k.value.is_empty())
        .map(|k| k.key)
}

/// The known name nearest to `unknown`: a Latvian name for it, or one within a couple of
/// typing mistakes.
pub fn nearest<'k>(unknown: &str, known: &[&'k str]) -> Option<&'k str> {
    const LATVIAN: &[(&str, &str)] = &[
        ("virsraksts", "title"),
        ("nosaukums", "title"),
        ("datums", "date"),
        ("autors", "authors"),
        ("autori", "authors"),
        ("projekts", "project"),
        ("birkas", "tags"),
        ("tagi", "tags"),
        ("kopsavilkums", "summary"),
        ("apraksts", "summary"),
        ("attels", "cover"),
        ("attēls", "cover"),
        ("vāks", "cover"),
        ("mobilitāte", "mobility"),
        ("melnraksts", "draft"),
        ("valoda", "lang"),
        ("sākums", "start"),
        ("beigas", "end"),
        ("vieta", "place"),
        ("valsts", "country"),
        ("dalībnieki", "participants"),
        ("kods", "code"),
        ("programma", "programme"),
        ("aktivitāte", "activity"),
    ];
    let lower = unknown.to_lowercase();
    if let Some((_, name)) = LATVIAN.iter().find(|(lv, _)| *lv == lower) {
        return known.iter().find(|k| *k == name).copied();
    }
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(&lower, k), *k))
        .filter(|(d, k)| *d <= 2 && *d < k.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> Option<usize> {
        syntax(text, None).map(|f| f.line)
    }

    #[test]
    fn each_mistake_is_found_on_its_line() {
        assert_eq!(line("title: X\n\tdate: 2024-03-28\n"), Some(2));
        assert_eq!(line("title: \"Kurss\ndate: 2024-03-28\n"), Some(1));
        assert_eq!(line("date: 2024-03-28\ntitle: 'Kurss\n"), Some(2));
        assert_eq!(line("title:Kurss\ndate: 2024-03-28\n"), Some(1));
        assert_eq!(line("date: 2024-03-28\ntitle: Kurss: Budapešta\n"), Some(2));
        assert_eq!(line("title: „Kurss: Budapešta”\n"), Some(1));
        assert_eq!(line("title: „Kurss #1”\n"), Some(1));
    }

    #[test]
    fn good_yaml_has_no_mistake() {
        let good = "title: \"Kurss: Budapešta\"\nsummary: \"a\n  b\"\nlink: https://x.lv/a\ndate: 2024-03-28 14:05\nbody: |\n  a: b\n  c:d\ntags: [a, b]\ntitle2: „Kurss”\n";
        assert_eq!(syntax(good, None), None);
        assert_eq!(duplicate(good, 0), None);
        assert!(warnings(good, &["tags"]).is_empty());
    }

    #[test]
    fn duplicates_count_within_one_mapping() {
        let text = "title: A\nmobility:\n  title: B\n  start: x\ncover:\n  src: a\ntitle: C\n";
        let found = duplicate(text, 0).unwrap();
        assert_eq!(found.line, 7);
        assert_eq!(duplicate("a:\n  - x: 1\n  - x: 2\n", 0), None);
    }

    #[test]
    fn a_comma_list_without_brackets_is_a_warning() {
        let w = warnings("tags: mācības, Budapešta\n", &["tags"]);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].line, 1);
    }

    #[test]
    fn nearest_names() {
        let known = ["title", "date", "authors", "tags"];
        assert_eq!(nearest("autors", &known), Some("authors"));
        assert_eq!(nearest("datums", &known), Some("date"));
        assert_eq!(nearest("titel", &known), Some("title"));
        assert_eq!(nearest("zzzzzz", &known), None);
    }
}
