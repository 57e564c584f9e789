//! The photo cache: encoded variants kept between builds, one folder per photo, named by
//! a hash of the source's bytes and of everything that decides the output. Renaming or
//! moving a photo costs nothing; changing one pixel, or lapa's settings, makes a new entry.

use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

use super::process::{Encoded, Fallback, JPEG_QUALITY, WEBP_QUALITY, WIDTHS};
use crate::msg;

/// Bump when the processing changes in a way the constants below do not show.
const VERSION: u32 = 3;
const META: &str = "photo.json";

/// The cache folder (`~/.cache/lapa/images/`, see [`super::default_cache_dir`]).
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

/// A photo's variants in the cache, narrowest first.
#[derive(Debug, Clone)]
pub struct CachedPhoto {
    pub key: String,
    pub width: u32,
    pub height: u32,
    pub fallback: Fallback,
    pub variants: Vec<CachedVariant>,
}

/// One width of a cached photo: its files in both formats.
#[derive(Debug, Clone)]
pub struct CachedVariant {
    pub width: u32,
    pub height: u32,
    pub webp: PathBuf,
    pub fallback: PathBuf,
}

/// What `photo.json` holds: enough to write the markup without opening an image.
#[derive(Serialize, Deserialize)]
struct Meta {
    width: u32,
    height: u32,
    /// `jpg` or `png`.
    fallback: String,
    /// (width, height) of each variant, narrowest first.
    variants: Vec<(u32, u32)>,
}

/// The cache key of a photo whose file holds `bytes`.
#[cfg(test)]
pub fn key(bytes: &[u8]) -> String {
    let mut h = salted();
    h.update(bytes);
    format!("{:032x}", h.digest128())
}

/// The cache key of the photo in the file at `path` ([`key`] of its bytes), read a piece
/// at a time: the file is never held whole.
pub fn key_of_file(path: &Path) -> io::Result<String> {
    let mut h = salted();
    let mut file = std::fs::File::open(path)?;
    let mut piece = vec![0; 64 << 10];
    loop {
        match file.read(&mut piece) {
            Ok(0) => break,
            Ok(n) => h.update(&piece[..n]),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(format!("{:032x}", h.digest128()))
}

/// The hasher of a photo's key, salted with everything that decides the variants.
fn salted() -> Xxh3 {
    let mut h = Xxh3::new();
    h.update(
        format!("lapa photo v{VERSION} widths {WIDTHS:?} jpeg {JPEG_QUALITY} webp {WEBP_QUALITY}") // not a message: the cache key's salt
            .as_bytes(),
    );
    h
}

impl Cache {
    /// The cache in `dir`; nothing is created until a photo is stored.
    pub fn new(dir: impl Into<PathBuf>) -> Cache {
        Cache { dir: dir.into() }
    }

    /// The folder of the cache.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The entry for `key`, when it is there whole.
    pub fn get(&self, key: &str) -> Option<CachedPhoto> {
        let folder = self.dir.join(key);
        let text = std::fs::read(folder.join(META)).ok()?;
        let meta: Meta = serde_json::from_slice(&text).ok()?;
        let entry = entry(key, &folder, &meta)?;
        entry
            .variants
            .iter()
            .all(|v| v.webp.is_file() && v.fallback.is_file())
            .then_some(entry)
    }

    /// Store `encoded` under `key`: written beside the cache and renamed into place, so an
    /// interrupted build never leaves half an entry.
    pub fn put(&self, key: &str, encoded: &Encoded) -> io::Result<CachedPhoto> {
        std::fs::create_dir_all(&self.dir)?;
        let folder = self.dir.join(key);
        let temp = self.dir.join(format!(".{key}.tmp-{}", std::process::id()));
        if temp.exists() {
            std::fs::remove_dir_all(&temp)?;
        }
        std::fs::create_dir_all(&temp)?;
        let ext = encoded.fallback.extension();
        for v in &encoded.variants {
            std::fs::write(temp.join(format!("{}.webp", v.width)), &v.webp)?;
            std::fs::write(temp.join(format!("{}.{ext}", v.width)), &v.fallback)?;
        }
        let meta = Meta {
            width: encoded.width,
            height: encoded.height,
            fallback: ext.to_string(),
            variants: encoded
                .variants
                .iter()
                .map(|v| (v.width, v.height))
                .collect(),
        };
        let json = serde_json::to_vec_pretty(&meta).map_err(io::Error::other)?;
        std::fs::write(temp.join(META), json)?;
        if folder.exists() {
            // A broken entry (a file deleted by hand): replace it.
            let _ = std::fs::remove_dir_all(&folder);
        }
        if let Err(e) = std::fs::rename(&temp, &folder) {
            let _ = std::fs::remove_dir_all(&temp);
            // Another lapa (a `serve` beside a `build`) stored the same photo first.
            return self.get(key).ok_or(e);
        }
        entry(key, &folder, &meta)
            .ok_or_else(|| io::Error::other(msg!("photo-cache-entry-unreadable")))
    }
}

/// Where an original's copy without metadata is kept, by a hash of the original's bytes.
const ORIGINALS: &str = "originals";

impl Cache {
    /// The copy without metadata of the original whose file holds `bytes` (a `.{ext}` file),
    /// made by `strip` the first time; None when `strip` finds nothing to take out (the file
    /// is published as it is; an empty `.as-is` file remembers that).
    pub fn stripped(
        &self,
        bytes: &[u8],
        ext: &str,
        strip: impl FnOnce(&[u8]) -> Result<Option<Vec<u8>>, String>,
    ) -> Result<Option<PathBuf>, String> {
        let mut h = Xxh3::new();
        h.update(format!("lapa original v{VERSION} strip 1").as_bytes()); // not a message: the key's salt
        h.update(bytes);
        let key = format!("{:032x}", h.digest128());
        let folder = self.dir.join(ORIGINALS);
        let copy = folder.join(format!("{key}.{}", ext.to_ascii_lowercase()));
        let as_is = folder.join(format!("{key}.as-is"));
        if copy.is_file() {
            return Ok(Some(copy));
        }
        if as_is.is_file() {
            return Ok(None);
        }
        let stripped = strip(bytes)?;
        let cannot = |e: io::Error| {
            msg!(
                "photo-cache-unwritable",
                folder = self.dir.display(),
                why = e
            )
        };
        std::fs::create_dir_all(&folder).map_err(cannot)?;
        let (target, data) = match &stripped {
            Some(out) => (&copy, out.as_slice()),
            None => (&as_is, &[][..]),
        };
        // Written beside and renamed into place: an interrupted build leaves no half file.
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let temp = folder.join(format!(".{key}.tmp-{}-{n}", std::process::id()));
        std::fs::write(&temp, data).map_err(cannot)?;
        std::fs::rename(&temp, target).map_err(cannot)?;
        Ok(stripped.map(|_| copy))
    }
}

fn entry(key: &str, folder: &Path, meta: &Meta) -> Option<CachedPhoto> {
    let fallback = match meta.fallback.as_str() {
        "jpg" => Fallback::Jpeg,
        "png" => Fallback::Png,
        _ => return None,
    };
    let ext = fallback.extension();
    if meta.variants.is_empty() {
        return None;
    }
    Some(CachedPhoto {
        key: key.to_string(),
        width: meta.width,
        height: meta.height,
        fallback,
        variants: meta
            .variants
            .iter()
            .map(|&(width, height)| CachedVariant {
                width,
                height,
                webp: folder.join(format!("{width}.webp")),
                fallback: folder.join(format!("{width}.{ext}")),
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::process::EncodedVariant;

    fn encoded() -> Encoded {
        Encoded {
            width: 1000,
            height: 500,
            fallback: Fallback::Jpeg,
            variants: vec![
                EncodedVariant {
                    width: 480,
                    height: 240,
                    webp: b"RIFF480".to_vec(),
                    fallback: b"jpeg480".to_vec(),
                },
                EncodedVariant {
                    width: 960,
                    height: 480,
                    webp: b"RIFF960".to_vec(),
                    fallback: b"jpeg960".to_vec(),
                },
            ],
        }
    }

    #[test]
    fn a_file_read_in_pieces_has_the_key_of_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        // Longer than one piece, and not a multiple of it.
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let path = dir.path().join("foto.jpg");
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(key_of_file(&path).unwrap(), key(&bytes));
        assert_ne!(key_of_file(&path).unwrap(), key(&bytes[1..]));
        assert!(key_of_file(&dir.path().join("missing.jpg")).is_err());
    }

    #[test]
    fn an_entry_is_found_again_only_when_whole() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().join("images"));
        let k = key(b"photo bytes");
        assert!(cache.get(&k).is_none());
        let stored = cache.put(&k, &encoded()).unwrap();
        let found = cache.get(&k).unwrap();
        assert_eq!((found.width, found.height), (1000, 500));
        assert_eq!(found.variants.len(), 2);
        assert_eq!(std::fs::read(&found.variants[1].webp).unwrap(), b"RIFF960");
        assert_eq!(stored.variants[0].fallback, found.variants[0].fallback);
        std::fs::remove_file(&found.variants[0].fallback).unwrap();
        assert!(cache.get(&k).is_none());
        cache.put(&k, &encoded()).unwrap();
        assert!(cache.get(&k).is_some());
    }

    #[test]
    fn the_key_follows_the_bytes() {
        assert_eq!(key(b"a"), key(b"a"));
        assert_ne!(key(b"a"), key(b"b"));
        assert_eq!(key(b"a").len(), 32);
    }
}
