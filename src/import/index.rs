//! The first pass: a small index of the export (each attachment's URL and alt text,
//! each page's slug and parent, each translation group's file name), and the lookups
//! of attachments the second pass makes through it.

use std::collections::{HashMap, HashSet};
use std::io::BufRead;

use super::body::{Attachments, ImportedPhoto};
use super::html;
use super::item::{day_of, item_slug, language, translation_group};
use super::media::{Media, PostMedia};
use super::wxr::{Channel, Wxr};

/// What the first pass remembers of an attachment.
#[derive(Debug, Clone)]
struct Attachment {
    url: String,
    alt: String,
    title: String,
    caption: String,
    parent: u64,
}

/// The small index the first pass builds.
#[derive(Default)]
pub struct Index {
    attachments: HashMap<u64, Attachment>,
    /// Page id → (slug, parent id).
    pub pages: HashMap<u64, (String, u64)>,
    /// Pages that have children.
    pub parents: HashSet<u64>,
    /// Polylang translation group → the file stem of its default-language post.
    pub groups: HashMap<String, String>,
}

impl Index {
    /// Read the whole export once; its channel comes back with the index.
    pub fn build<R: BufRead>(mut wxr: Wxr<R>, default_lang: &str) -> (Index, Channel) {
        let mut index = Index::default();
        while let Some(item) = wxr.next_item() {
            if item.broken.is_some() {
                continue;
            }
            match item.kind.as_str() {
                "attachment" => {
                    index.attachments.insert(
                        item.id,
                        Attachment {
                            url: item.attachment_url.clone(),
                            alt: item
                                .meta("_wp_attachment_image_alt")
                                .unwrap_or("")
                                .to_string(),
                            title: item.title.clone(),
                            caption: html::text(&item.excerpt),
                            parent: item.parent,
                        },
                    );
                }
                "page" => {
                    index.pages.insert(item.id, (item_slug(&item), item.parent));
                    if item.parent != 0 {
                        index.parents.insert(item.parent);
                    }
                }
                "post" => {
                    if let (Some(group), Some(lang)) = (translation_group(&item), language(&item))
                        && lang == default_lang
                        && let Some(day) = day_of(&item)
                    {
                        index
                            .groups
                            .insert(group, format!("{day}-{}", item_slug(&item)));
                    }
                }
                _ => {}
            }
        }
        (index, wxr.channel.clone())
    }
}

/// Attachment lookups for one post, copying what it uses.
pub struct Lookup<'a, 'b> {
    pub index: &'a Index,
    pub media: &'a Media<'a>,
    pub post_media: &'b mut PostMedia,
    pub taken: &'b dyn Fn(&str) -> bool,
}

impl Attachments for Lookup<'_, '_> {
    fn photo(&mut self, id: u64) -> Option<ImportedPhoto> {
        let a = self.index.attachments.get(&id)?;
        let src = if self.media.uploads.is_some() {
            self.media
                .local(&a.url, self.post_media, self.taken)
                .unwrap_or_else(|| a.url.clone())
        } else {
            a.url.clone()
        };
        let alt = if a.alt.is_empty() {
            a.title.clone()
        } else {
            a.alt.clone()
        };
        Some(ImportedPhoto {
            src,
            alt,
            caption: a.caption.clone(),
        })
    }

    fn attached_to(&mut self, post: u64) -> Vec<ImportedPhoto> {
        let mut ids: Vec<u64> = self
            .index
            .attachments
            .iter()
            .filter(|(_, a)| a.parent == post)
            .map(|(id, _)| *id)
            .collect();
        ids.sort_unstable();
        ids.into_iter().filter_map(|id| self.photo(id)).collect()
    }
}
