//! The WordPress export (WXR 1.0–1.2), read as a stream: one `<item>` at a time.
//!
//! Architecture Invariant: memory holds the channel's header and one item, never the
//! file. Entities other than XML's five and character references are not expanded, and a
//! document type that declares entities is refused before anything is read.

use std::collections::BTreeMap;
use std::io::BufRead;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::msg;

/// The export's channel: the site's addresses and its authors.
#[derive(Debug, Default, Clone)]
pub struct Channel {
    /// `wp:base_site_url`, e.g. `https://skola.lv`.
    pub base_site_url: String,
    /// `wp:base_blog_url`.
    pub base_blog_url: String,
    /// `wp:author_login` → `wp:author_display_name`.
    pub authors: BTreeMap<String, String>,
}

/// One `<item>`: a post, a page, an attachment, a menu item …
#[derive(Debug, Default, Clone)]
pub struct Item {
    pub title: String,
    pub link: String,
    pub creator: String,
    pub content: String,
    pub excerpt: String,
    pub id: u64,
    pub date: String,
    pub date_gmt: String,
    pub name: String,
    pub status: String,
    pub parent: u64,
    pub kind: String,
    pub password: String,
    pub attachment_url: String,
    /// `(domain, nicename, name)` of each `<category>`: categories, tags, Polylang's
    /// `language` and `post_translations`.
    pub terms: Vec<(String, String, String)>,
    /// `wp:postmeta` pairs.
    pub meta: Vec<(String, String)>,
    /// Why the item could not be read, when it could not.
    pub broken: Option<String>,
}

impl Item {
    /// The value of a `wp:postmeta` key.
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The nicenames of the terms in `domain`.
    pub fn terms_in<'a>(&'a self, domain: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> {
        self.terms
            .iter()
            .filter(move |(d, _, _)| d == domain)
            .map(|(_, nice, name)| (nice.as_str(), name.as_str()))
    }
}

/// Why an export cannot be read at all.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    NotWxr(String),
    Entities,
}

/// A streaming reader of one export file.
pub struct Wxr<R: BufRead> {
    reader: Reader<R>,
    buf: Vec<u8>,
    /// The channel, complete once the first item is reached.
    pub channel: Channel,
    seen_version: bool,
    pending: Option<Item>,
    /// Where the reader stood at its last error: no progress since means stop.
    counted_to: u64,
}

impl<R: BufRead> Wxr<R> {
    /// Open an export and read its channel up to the first item.
    pub fn open(input: R) -> Result<Wxr<R>, Refusal> {
        let mut reader = Reader::from_reader(input);
        let config = reader.config_mut();
        config.trim_text(false);
        config.check_end_names = false;
        config.expand_empty_elements = true;
        let mut wxr = Wxr {
            reader,
            buf: Vec::new(),
            channel: Channel::default(),
            seen_version: false,
            pending: None,
            counted_to: u64::MAX,
        };
        wxr.read_header()?;
        Ok(wxr)
    }

    fn read_header(&mut self) -> Result<(), Refusal> {
        let not_wxr = |why: &str| Refusal::NotWxr(msg!("import-not-wxr", why = why));
        let mut path: Vec<Vec<u8>> = Vec::new();
        let mut text = String::new();
        let mut author: (String, String) = Default::default();
        let mut root_seen = false;
        loop {
            self.buf.clear();
            let event = self
                .reader
                .read_event_into(&mut self.buf)
                .map_err(|e| not_wxr(&msg!("import-not-xml", why = e)))?;
            match event {
                Event::DocType(d) => {
                    let decl = String::from_utf8_lossy(d.as_ref()).to_ascii_uppercase();
                    if decl.contains("<!ENTITY") {
                        return Err(Refusal::Entities);
                    }
                }
                Event::Start(e) => {
                    let name = e.name().as_ref().to_vec();
                    if !root_seen {
                        root_seen = true;
                        if name != b"rss" {
                            return Err(not_wxr(&msg!("import-no-rss")));
                        }
                    }
                    if name == b"item" {
                        if !self.seen_version {
                            return Err(not_wxr(&msg!("import-no-version")));
                        }
                        self.pending = Some(self.read_item());
                        return Ok(());
                    }
                    path.push(name);
                    text.clear();
                }
                Event::Text(t) => text.push_str(&t.decode().unwrap_or_default()),
                Event::CData(t) => text.push_str(&t.decode().unwrap_or_default()),
                Event::GeneralRef(r) => match resolve(&r) {
                    Some(s) => text.push_str(&s),
                    None => return Err(Refusal::Entities),
                },
                Event::End(_) => {
                    let Some(name) = path.pop() else { continue };
                    let value = text.trim().to_string();
                    match name.as_slice() {
                        b"wp:wxr_version" => self.seen_version = true,
                        b"wp:base_site_url" => self.channel.base_site_url = value,
                        b"wp:base_blog_url" => self.channel.base_blog_url = value,
                        b"wp:author_login" => author.0 = value,
                        b"wp:author_display_name" => author.1 = value,
                        b"wp:author" => {
                            let (login, display) = std::mem::take(&mut author);
                            let display = if display.is_empty() {
                                login.clone()
                            } else {
                                display
                            };
                            self.channel.authors.insert(login, display);
                        }
                        _ => {}
                    }
                    text.clear();
                }
                Event::Eof => {
                    return Err(if !root_seen {
                        not_wxr(&msg!("import-no-elements"))
                    } else if !self.seen_version {
                        not_wxr(&msg!("import-no-version"))
                    } else {
                        self.pending = None;
                        return Ok(());
                    });
                }
                _ => {}
            }
        }
    }

    /// Read from just after `<item>` to its `</item>`.
    fn read_item(&mut self) -> Item {
        let mut item = Item::default();
        let mut path: Vec<Vec<u8>> = Vec::new();
        let mut text = String::new();
        let mut meta: (String, String) = Default::default();
        let mut term: Option<(String, String)> = None;
        loop {
            self.buf.clear();
            let event = match self.reader.read_event_into(&mut self.buf) {
                Ok(e) => e,
                Err(e) => {
                    item.broken
                        .get_or_insert_with(|| msg!("import-item-broken-xml", why = e));
                    if path.is_empty() && self.reader.buffer_position() == self.counted_to {
                        return item;
                    }
                    self.counted_to = self.reader.buffer_position();
                    continue;
                }
            };
            match event {
                Event::Start(e) => {
                    if e.name().as_ref() == b"category" {
                        term = Some((attribute(&e, b"domain"), attribute(&e, b"nicename")));
                    }
                    path.push(e.name().as_ref().to_vec());
                    text.clear();
                }
                Event::Text(t) => text.push_str(&t.decode().unwrap_or_default()),
                Event::CData(t) => text.push_str(&t.decode().unwrap_or_default()),
                Event::GeneralRef(r) => match resolve(&r) {
                    Some(s) => text.push_str(&s),
                    None => {
                        item.broken.get_or_insert_with(|| {
                            msg!(
                                "import-item-entity",
                                entity = String::from_utf8_lossy(r.as_ref())
                            )
                        });
                    }
                },
                Event::End(e) => {
                    if path.is_empty() {
                        // `</item>` (or a stray end tag where the item ends).
                        if e.name().as_ref() != b"item" {
                            item.broken.get_or_insert_with(|| {
                                msg!(
                                    "import-item-stray-end",
                                    name = String::from_utf8_lossy(e.name().as_ref())
                                )
                            });
                        }
                        return item;
                    }
                    let name = path.pop().unwrap_or_default();
                    let value = std::mem::take(&mut text);
                    match name.as_slice() {
                        b"title" => item.title = value.trim().to_string(),
                        b"link" => item.link = value.trim().to_string(),
                        b"dc:creator" => item.creator = value.trim().to_string(),
                        b"content:encoded" => item.content = value,
                        b"excerpt:encoded" => item.excerpt = value,
                        b"wp:post_id" => item.id = value.trim().parse().unwrap_or(0),
                        b"wp:post_date" => item.date = value.trim().to_string(),
                        b"wp:post_date_gmt" => item.date_gmt = value.trim().to_string(),
                        b"wp:post_name" => item.name = value.trim().to_string(),
                        b"wp:status" => item.status = value.trim().to_string(),
                        b"wp:post_parent" => item.parent = value.trim().parse().unwrap_or(0),
                        b"wp:post_type" => item.kind = value.trim().to_string(),
                        b"wp:post_password" => item.password = value.trim().to_string(),
                        b"wp:attachment_url" => item.attachment_url = value.trim().to_string(),
                        b"wp:meta_key" => meta.0 = value.trim().to_string(),
                        b"wp:meta_value" => meta.1 = value,
                        b"wp:postmeta" => item.meta.push(std::mem::take(&mut meta)),
                        b"category" => {
                            if let Some((domain, nice)) = term.take() {
                                item.terms.push((domain, nice, value.trim().to_string()));
                            }
                        }
                        _ => {}
                    }
                }
                Event::Eof => {
                    item.broken.get_or_insert_with(|| msg!("import-item-cut"));
                    return item;
                }
                _ => {}
            }
        }
    }

    /// The next item, or None at the end of the export.
    pub fn next_item(&mut self) -> Option<Item> {
        if let Some(item) = self.pending.take() {
            return Some(item);
        }
        loop {
            self.buf.clear();
            match self.reader.read_event_into(&mut self.buf) {
                Ok(Event::Start(e)) if e.name().as_ref() == b"item" => {
                    return Some(self.read_item());
                }
                Ok(Event::Eof) => return None,
                Ok(_) => {}
                Err(_) => {
                    // Between items: nothing to lose; stop when the reader cannot move on.
                    if self.reader.buffer_position() == self.counted_to {
                        return None;
                    }
                    self.counted_to = self.reader.buffer_position();
                }
            }
        }
    }
}

/// XML's five entities and character references; None for anything else.
fn resolve(r: &quick_xml::events::BytesRef) -> Option<String> {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return Some(c.to_string());
    }
    let name: &[u8] = r.as_ref();
    match name {
        b"amp" => Some("&".into()),
        b"lt" => Some("<".into()),
        b"gt" => Some(">".into()),
        b"quot" => Some("\"".into()),
        b"apos" => Some("'".into()),
        _ => None,
    }
}

fn attribute(e: &BytesStart, name: &[u8]) -> String {
    e.try_get_attribute(name)
        .ok()
        .flatten()
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Skola</title>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://skola.lv</wp:base_site_url>
<wp:base_blog_url>https://skola.lv</wp:base_blog_url>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[inara]]></wp:author_login><wp:author_display_name><![CDATA[Ināra Jasvina]]></wp:author_display_name></wp:author>
"#;

    fn items(xml: &str) -> (Channel, Vec<Item>) {
        let mut wxr = Wxr::open(xml.as_bytes()).expect("a WXR");
        let mut all = Vec::new();
        while let Some(i) = wxr.next_item() {
            all.push(i);
        }
        (wxr.channel.clone(), all)
    }

    #[test]
    fn reads_channel_and_items() {
        let xml = format!(
            "{HEAD}<item><title>Mācības &amp; „prieks”</title><link>https://skola.lv/2024/03/28/x/</link>\
<dc:creator><![CDATA[inara]]></dc:creator><content:encoded><![CDATA[<p>Sveiki</p>]]></content:encoded>\
<wp:post_id>12</wp:post_id><wp:post_type><![CDATA[post]]></wp:post_type>\
<category domain=\"post_tag\" nicename=\"mentorings\"><![CDATA[Mentorings]]></category>\
<wp:postmeta><wp:meta_key><![CDATA[_thumbnail_id]]></wp:meta_key><wp:meta_value><![CDATA[40]]></wp:meta_value></wp:postmeta>\
</item><item><title>Otrs</title><wp:post_id>13</wp:post_id></item></channel></rss>"
        );
        let (channel, items) = items(&xml);
        assert_eq!(channel.base_site_url, "https://skola.lv");
        assert_eq!(channel.authors["inara"], "Ināra Jasvina");
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].title, "Mācības & „prieks”");
        assert_eq!(items[0].content, "<p>Sveiki</p>");
        assert_eq!(items[0].meta("_thumbnail_id"), Some("40"));
        assert_eq!(
            items[0].terms_in("post_tag").collect::<Vec<_>>(),
            [("mentorings", "Mentorings")]
        );
        assert_eq!(items[1].id, 13);
        assert!(items.iter().all(|i| i.broken.is_none()));
    }

    #[test]
    fn a_dtd_declaring_entities_is_refused() {
        let xml = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]><rss><channel><wp:wxr_version>1.2</wp:wxr_version><item><title>&b;</title></item></channel></rss>";
        assert_eq!(Wxr::open(xml.as_bytes()).err(), Some(Refusal::Entities));
    }

    #[test]
    fn other_xml_is_not_wxr() {
        for xml in [
            "<html><body>hi</body></html>",
            "<rss><channel><item><title>x</title></item></channel></rss>",
            "just text",
        ] {
            assert!(
                matches!(Wxr::open(xml.as_bytes()), Err(Refusal::NotWxr(_))),
                "{xml}"
            );
        }
    }

    #[test]
    fn an_unknown_entity_breaks_only_its_item() {
        let xml = format!(
            "{HEAD}<item><title>Labs &nbsp; virsraksts</title><wp:post_id>1</wp:post_id></item><item><title>Labs</title><wp:post_id>2</wp:post_id></item></channel></rss>"
        );
        let (_, items) = items(&xml);
        assert_eq!(items.len(), 2);
        assert!(items[0].broken.as_deref().unwrap_or("").contains("&nbsp;"));
        assert!(items[1].broken.is_none());
        assert_eq!(items[1].title, "Labs");
    }
}
