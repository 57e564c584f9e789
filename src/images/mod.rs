//! Photos: the JPEG and PNG files that pages show, made into a few widths of WebP and
//! JPEG (upright, without EXIF), cached between builds, and printed as `<picture>`; and
//! the originals published without their metadata (`strip`), as `photos: originals:` says.
//!
//! This stage runs after `resolve` and before `render`: it reads files, so rendering
//! does not have to. See ARCHITECTURE.md.

mod cache;
mod html;
mod model;
mod prepare;
mod process;
mod strip;

pub use html::{BODY_SIZES, GALLERY_SIZES, Placement, picture, rewrite_body, srcset};
pub use model::{Photos, ProcessedPhoto, Variant, VariantFile};
pub use prepare::{
    CACHE_ENV, PhotoReport, PrepareOptions, cache_dir, default_cache_dir, inputs, prepare,
};
pub use process::{Fallback, WIDTHS};
pub use strip::{has_gps, strip};
