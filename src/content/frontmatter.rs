//! Front matter: the YAML block at the top of a Markdown file, split off and typed.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value as Json;

use crate::error::Diagnostic;
use crate::localized::Localized;
use crate::msg;
use crate::yaml;

/// A file split into its front matter and its Markdown body.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines ("" when the file has none).
    pub front: &'a str,
    pub body: &'a str,
    /// The 1-based line of the file the front matter's first line is on.
    pub front_line: usize,
    /// The 1-based line of the file the body starts on.
    pub body_line: usize,
}

/// Split `text` at its `---` fences; a file without an opening fence is all body.
pub fn split<'a>(text: &'a str, file: &Path) -> Result<Split<'a>, Diagnostic> {
    let Some(after_open) = strip_fence(text) else {
        return Ok(Split {
            front: "",
            body: text,
            front_line: 1,
            body_line: 1,
        });
    };
    let mut offset = text.len() - after_open.len();
    for (line, raw_line) in (2..).zip(after_open.split_inclusive('\n')) {
        let content = raw_line.trim_end_matches(['\n', '\r']);
        if content == "---" || content == "..." {
            let front = &text[text.len() - after_open.len()..offset];
            return Ok(Split {
                front,
                body: &text[offset + raw_line.len()..],
                front_line: 2,
                body_line: line + 1,
            });
        }
        offset += raw_line.len();
    }
    Err(Diagnostic::new(file, msg!("front-no-closing")).at(1, Some(1)))
}

fn strip_fence(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("---")?;
    rest.strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))
}

/// The 1-based line of top-level `key:` in a front matter text.
pub fn key_line(front: &str, key: &str) -> Option<usize> {
    front.lines().position(|l| {
        l.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
    })
}

/// `project: x` or `project: [x, y]`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum OneOrMany {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::None => Vec::new(),
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

/// `tags:` as one tag or a list of them.
fn tag_list<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    use serde::de::{SeqAccess, Visitor};
    struct Tags;
    impl<'de> Visitor<'de> for Tags {
        type Value = Option<Vec<String>>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str(&msg!("front-tags-expected"))
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(vec![v.to_string()]))
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D2: serde::Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
            d.deserialize_any(self)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut tags = Vec::new();
            while let Some(tag) = seq.next_element::<String>()? {
                tags.push(tag);
            }
            Ok(Some(tags))
        }
    }
    d.deserialize_any(Tags)
}

/// A report's or a plain page's front matter.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageFront {
    pub title: Option<String>,
    pub date: Option<String>,
    #[serde(default)]
    pub authors: OneOrMany,
    #[serde(default)]
    pub project: OneOrMany,
    /// One tag (`tags: mācības`) or a list (`tags: [mācības, Budapešta]`).
    #[serde(default, deserialize_with = "tag_list")]
    pub tags: Option<Vec<String>>,
    pub summary: Option<String>,
    pub cover: Option<Cover>,
    pub mobility: Option<MobilityFront>,
    #[serde(default)]
    pub draft: bool,
    pub lang: Option<String>,
    pub slug: Option<String>,
    /// Old paths of the page, each redirected to it (`aliases: [/2024/03/28/x/]`).
    #[serde(default)]
    pub aliases: OneOrMany,
}

/// `cover: { src: budapest.jpg, alt: "…" }`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cover {
    pub src: String,
    #[serde(default)]
    pub alt: Option<String>,
}

/// The `mobility:` block: what the mobility was.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MobilityFront {
    pub activity: Option<String>,
    pub title: Option<String>,
    pub place: Option<String>,
    /// ISO 3166-1 alpha-2; optional when `place` ends in a country lapa knows.
    pub country: Option<String>,
    /// How many people went (1 when left out).
    pub participants: Option<u32>,
    pub start: Option<String>,
    pub end: Option<String>,
}

/// A section's (or the home page's) `_index.md`: a title, an intro, and defaults.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexFront {
    pub title: Option<String>,
    #[serde(default)]
    pub project: OneOrMany,
    /// One tag (`tags: mācības`) or a list (`tags: [mācības, Budapešta]`).
    #[serde(default, deserialize_with = "tag_list")]
    pub tags: Option<Vec<String>>,
    pub lang: Option<String>,
}

/// A project's file, `content/projects/ID.md`.
#[derive(Debug, Clone, Default)]
pub struct ProjectFront {
    pub fields: ProjectFields,
    /// `title_en: …` and the like, by language.
    pub titles: BTreeMap<String, String>,
}

/// The fixed keys of a project's front matter.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectFields {
    pub title: Option<String>,
    pub code: Option<String>,
    pub programme: Option<String>,
    pub beneficiary: Option<String>,
    pub agency: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub disclaimer: Option<Localized>,
}

/// Parse a report's or page's front matter; lines in errors are the file's.
pub fn parse_page(split: &Split, file: &Path) -> Result<PageFront, Diagnostic> {
    parse_typed(split, file)
}

/// Parse an `_index.md`'s front matter.
pub fn parse_index(split: &Split, file: &Path) -> Result<IndexFront, Diagnostic> {
    parse_typed(split, file)
}

/// Parse a project's front matter, `title_LANG` keys apart.
pub fn parse_project(split: &Split, file: &Path) -> Result<ProjectFront, Diagnostic> {
    let value = parse_typed::<Json>(split, file)?;
    let mut mapping = match value {
        Json::Object(m) => m,
        Json::Null => serde_json::Map::new(),
        _ => return Err(not_a_mapping(split, file)),
    };
    let mut titles = BTreeMap::new();
    let title_keys: Vec<String> = mapping
        .keys()
        .filter(|k| k.starts_with("title_"))
        .cloned()
        .collect();
    for name in title_keys {
        let lang = name["title_".len()..].to_string();
        match mapping.remove(&name) {
            Some(Json::String(s)) => {
                titles.insert(lang, s);
            }
            _ => {
                let line =
                    key_line(split.front, &name).map_or(split.front_line, |l| l + split.front_line);
                return Err(Diagnostic::new(
                    file,
                    msg!("project-title-not-text", name = name, lang = lang),
                )
                .at(line, None));
            }
        }
    }
    let fields = serde_json::from_value::<ProjectFields>(Json::Object(mapping)).map_err(|e| {
        let d = Diagnostic::new(file, e.to_string());
        if let Some(d) = explain_field(split, file, &d.message, &[]) {
            return d;
        }
        let key = backticked(&d.message);
        let line = key
            .and_then(|k| key_line(split.front, k))
            .map_or(split.front_line, |l| l + split.front_line);
        d.at(line, None)
    })?;
    Ok(ProjectFront { fields, titles })
}

/// The first `word` in backticks of a serde message ("unknown field `titel`").
fn backticked(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(&message[start..start + len])
}

/// The fields of a report's front matter, and of its blocks: what an unknown field is
/// compared with (a unit test holds them to the structs above).
const PAGE_FIELDS: &[&str] = &[
    "title", "date", "authors", "project", "tags", "summary", "cover", "mobility", "draft", "lang",
    "slug", "aliases",
];
const BLOCKS: &[(&str, &[&str])] = &[
    (
        "mobility",
        &[
            "activity",
            "title",
            "place",
            "country",
            "participants",
            "start",
            "end",
        ],
    ),
    ("cover", &["src", "alt"]),
];

/// The fields whose value may be a list: `tags: a, b` there is probably meant as two.
pub const LIST_FIELDS: &[&str] = &["tags", "project", "aliases"];

/// Warnings about a front matter that reads but probably not as meant, in the file's lines.
pub fn warnings(split: &Split, file: &Path) -> Vec<Diagnostic> {
    yaml::warnings(split.front, LIST_FIELDS)
        .into_iter()
        .map(|f| {
            Diagnostic::new(file, f.message)
                .at(f.line + split.front_line - 1, None)
                .warning()
        })
        .collect()
}

/// serde's "unknown field `autors`, expected one of `title`, …" as a teacher can act on
/// it: the field's line, and the name meant, or the block it belongs in.
fn explain_field(
    split: &Split,
    file: &Path,
    message: &str,
    blocks: &[(&str, &[&str])],
) -> Option<Diagnostic> {
    let rest = message.strip_prefix("unknown field ")?;
    let key = backticked(rest)?;
    let expected: Vec<&str> = rest
        .split_once("expected")
        .map(|(_, list)| list.split('`').skip(1).step_by(2).collect())
        .unwrap_or_default();
    let (line, indent, parent, above) = yaml::placement(split.front, key)?;
    let at = line + split.front_line - 1;
    let tops: Vec<&str> = if blocks.is_empty() {
        expected.clone()
    } else {
        PAGE_FIELDS.to_vec()
    };
    let text = if let Some(block) = above.filter(|_| indent == 0).and_then(|a| {
        blocks
            .iter()
            .find(|(name, fields)| *name == a && fields.contains(&key))
    }) {
        msg!("yaml-field-belongs-under", key = key, parent = block.0)
    } else if let Some(parent) = parent.filter(|_| tops.contains(&key)) {
        msg!("yaml-field-belongs-top", key = key, parent = parent)
    } else if let Some(near) = yaml::nearest(key, &expected) {
        msg!("yaml-field-unknown-near", key = key, near = near)
    } else {
        msg!("yaml-field-unknown", key = key, known = expected.join(", "))
    };
    Some(Diagnostic::new(file, text).at(at, None))
}

fn parse_typed<T: serde::de::DeserializeOwned + Default>(
    split: &Split,
    file: &Path,
) -> Result<T, Diagnostic> {
    if split.front.trim().is_empty() {
        return Ok(T::default());
    }
    if let Some(found) = yaml::mistake(split.front, split.front_line - 1) {
        return Err(
            Diagnostic::new(file, found.message).at(found.line + split.front_line - 1, None)
        );
    }
    // Parsed once when it is a mapping, as nearly every front matter is. A struct
    // also reads from a sequence, so one of those is never taken here.
    let typed = yaml::from_str::<T>(split.front, file);
    if typed.is_ok() && !looks_like_a_sequence(split.front) {
        return typed;
    }
    // Otherwise the untyped value says what went wrong, in the words a teacher needs.
    match yaml::from_str::<Json>(split.front, file) {
        Ok(Json::Object(_)) => {}
        Ok(Json::Null) => return Ok(T::default()),
        Ok(_) => return Err(not_a_mapping(split, file)),
        Err(d) => return Err(d.shifted(split.front_line - 1)),
    }
    typed.map_err(|d| {
        explain_field(split, file, &d.message, BLOCKS)
            .unwrap_or_else(|| d.shifted(split.front_line - 1))
    })
}

/// Whether the first line that is not blank or a comment starts a YAML sequence.
fn looks_like_a_sequence(front: &str) -> bool {
    front
        .lines()
        .map(str::trim_start)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_some_and(|l| l.starts_with('-') || l.starts_with('['))
}

fn not_a_mapping(split: &Split, file: &Path) -> Diagnostic {
    Diagnostic::new(file, msg!("front-not-mapping")).at(split.front_line, Some(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let s = split("---\ntitle: X\n---\nBody\n", Path::new("a.md")).unwrap();
        assert_eq!(s.front, "title: X\n");
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn crlf_works() {
        let s = split("---\r\ntitle: X\r\n---\r\nBody\r\n", Path::new("a.md")).unwrap();
        assert_eq!(s.front, "title: X\r\n");
        assert_eq!(s.body, "Body\r\n");
        let f = parse_page(&s, Path::new("a.md")).unwrap();
        assert_eq!(f.title.as_deref(), Some("X"));
    }

    #[test]
    fn no_closing_fence_is_an_error_at_line_1() {
        let e = split("---\ntitle: X\nBody\n", Path::new("a.md")).unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(e.message.contains("closing"));
    }

    #[test]
    fn yaml_errors_carry_the_files_line() {
        let text = "---\ntitle: X\ntags: [a\n---\n";
        let s = split(text, Path::new("a.md")).unwrap();
        let e = parse_page(&s, Path::new("a.md")).unwrap_err();
        assert!(e.line.unwrap() >= 3, "{e}");
    }

    #[test]
    fn a_list_is_not_a_mapping() {
        let s = split("---\n- a\n- b\n---\n", Path::new("a.md")).unwrap();
        let e = parse_page(&s, Path::new("a.md")).unwrap_err();
        assert!(e.message.contains("key: value"), "{e}");
        // One item would fill a struct's first field: still refused.
        let s = split(
            "---\n# virsraksts\n- Mans ceļojums\n---\n",
            Path::new("a.md"),
        )
        .unwrap();
        let e = parse_page(&s, Path::new("a.md")).unwrap_err();
        assert!(e.message.contains("key: value"), "{e}");
        let s = split("---\ntikai teksts\n---\n", Path::new("a.md")).unwrap();
        let e = parse_page(&s, Path::new("a.md")).unwrap_err();
        assert!(e.message.contains("key: value"), "{e}");
    }

    #[test]
    fn comments_alone_are_an_empty_front_matter() {
        let s = split("---\n# nekas\n---\nTeksts\n", Path::new("a.md")).unwrap();
        let front = parse_page(&s, Path::new("a.md")).unwrap();
        assert!(front.title.is_none());
    }

    #[test]
    fn project_titles_per_language() {
        let s = split(
            "---\ntitle: T\ntitle_en: E\ncode: C\n---\n",
            Path::new("p.md"),
        )
        .unwrap();
        let p = parse_project(&s, Path::new("p.md")).unwrap();
        assert_eq!(p.titles.get("en").map(String::as_str), Some("E"));
        assert_eq!(p.fields.code.as_deref(), Some("C"));
    }

    #[test]
    fn the_field_lists_are_the_structs_fields() {
        let expected = |text: &str| -> String {
            let s = split(text, Path::new("a.md")).unwrap();
            let e = yaml::from_str::<PageFront>(s.front, Path::new("a.md")).unwrap_err();
            e.message
        };
        let page = expected(
            "---
zzz: 1
---
",
        );
        for f in PAGE_FIELDS {
            assert!(page.contains(&format!("`{f}`")), "{f}: {page}");
        }
        assert_eq!(
            page.matches('`').count(),
            2 * PAGE_FIELDS.len() + 2,
            "{page}"
        );
        for (block, fields) in BLOCKS {
            let text = match *block {
                "cover" => "---\ncover:\n  src: a\n  zzz: 1\n---\n",
                _ => "---\nmobility:\n  zzz: 1\n---\n",
            };
            let m = expected(text);
            assert_eq!(m.matches('`').count(), 2 * fields.len() + 2, "{block}: {m}");
            for f in *fields {
                assert!(m.contains(&format!("`{f}`")), "{f}: {m}");
            }
        }
    }

    #[test]
    fn a_project_with_an_unknown_key_names_its_line() {
        let s = split("---\ntitle: T\ncdoe: C\n---\n", Path::new("p.md")).unwrap();
        let e = parse_project(&s, Path::new("p.md")).unwrap_err();
        assert!(e.message.contains("cdoe"), "{e}");
        assert_eq!(e.line, Some(3));
    }
}
