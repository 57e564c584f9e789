//! The table of processed photos that rendering reads: sizes, variants, files and URLs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::process::Fallback;

/// The site's processed photos, by their file under `content/` (`news/budapest.jpg`).
#[derive(Debug, Clone, Default, Hash)]
pub struct Photos {
    pub(super) by_rel: BTreeMap<String, ProcessedPhoto>,
    /// Originals not published as they are, by their file under `content/`.
    pub(super) originals: BTreeMap<String, Original>,
    /// With `photos: originals: none`: each withheld original's `href` in a page's HTML,
    /// and the URL of its widest version that links go to instead.
    pub(super) withheld_links: Vec<(String, String)>,
}

/// What is published at an original photo's own path instead of the file itself.
#[derive(Debug, Clone, Hash)]
pub(super) enum Original {
    /// A copy without its metadata, in the cache.
    Stripped(PathBuf),
    /// Nothing: `photos: originals: none`, or a file whose metadata could not be taken out.
    Withheld,
}

impl Photos {
    /// The processed photo made from `rel`, if it was one.
    pub fn get(&self, rel: &str) -> Option<&ProcessedPhoto> {
        self.by_rel.get(rel)
    }

    /// Every variant file: (where it is in the cache, its path under the output folder).
    pub fn files(&self) -> impl Iterator<Item = &VariantFile> {
        self.by_rel
            .values()
            .flat_map(|p| p.variants.iter())
            .flat_map(|v| [&v.webp, &v.fallback])
    }

    /// The file to publish at `rel` (under `content/`, found at `source`): the source as it
    /// is, a copy of it without metadata, or nothing when the original is not published.
    pub fn published_original(&self, rel: &str, source: &Path) -> Option<PathBuf> {
        match self.originals.get(rel) {
            None => Some(source.to_path_buf()),
            Some(Original::Stripped(copy)) => Some(copy.clone()),
            Some(Original::Withheld) => None,
        }
    }

    /// Whether the original at `rel` is not published (links to it go to its widest version).
    pub fn withheld(&self, rel: &str) -> bool {
        matches!(self.originals.get(rel), Some(Original::Withheld))
    }

    /// How many photos there are.
    pub fn len(&self) -> usize {
        self.by_rel.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.by_rel.is_empty()
    }
}

/// One photo, ready to be shown: its upright size and its variants, narrowest first.
#[derive(Debug, Clone, Hash)]
pub struct ProcessedPhoto {
    pub width: u32,
    pub height: u32,
    pub fallback: Fallback,
    pub variants: Vec<Variant>,
}

impl ProcessedPhoto {
    /// The variant an old browser (no `srcset`) gets: the widest up to 960 pixels.
    pub fn default_variant(&self) -> Option<&Variant> {
        self.variants
            .iter()
            .rev()
            .find(|v| v.width <= 960)
            .or(self.variants.first())
    }

    /// The widest variant (for social media previews).
    pub fn widest(&self) -> Option<&Variant> {
        self.variants.last()
    }
}

/// One width of a photo, in both formats.
#[derive(Debug, Clone, Hash)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub webp: VariantFile,
    pub fallback: VariantFile,
}

/// A variant's file: where it is kept, where the build puts it, and its URL.
#[derive(Debug, Clone, Hash)]
pub struct VariantFile {
    /// The file in the cache.
    pub cached: PathBuf,
    /// Its path under the output folder (`news/budapest-960.webp`).
    pub output: String,
    /// Its site path, percent-encoded for `srcset` (`/news/budapest-960.webp`).
    pub url: String,
}
