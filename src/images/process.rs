//! One photo: decode it (within limits), turn it upright by its EXIF orientation, and
//! encode it at a few widths as WebP and as JPEG (PNG for pictures with transparency).
//!
//! Re-encoding writes pixels only: no EXIF, so no GPS position, camera or time.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageEncoder, ImageReader, Limits, RgbImage, RgbaImage};

/// The widths variants are made at; a photo is never made wider than it is.
pub const WIDTHS: [u32; 3] = [480, 960, 1600];
/// JPEG quality (0–100): at 80 a phone photo loses nothing a reader sees.
pub const JPEG_QUALITY: u8 = 80;
/// WebP quality (0–100); libwebp's 78 matches JPEG 80 in what a reader sees, at about half the bytes.
pub const WEBP_QUALITY: f32 = 78.0;
/// The longest side lapa decodes: WebP cannot hold more, and no phone takes more.
pub const MAX_SIDE: u32 = 16_383;
/// The most pixels lapa decodes: a 108-megapixel phone photo fits, a decompression bomb
/// (a small file that claims a vast picture) is refused before any pixel is read.
pub const MAX_PIXELS: u64 = 120_000_000;
/// The most memory one decode may use (image's default).
pub const MAX_ALLOC: u64 = 512 << 20;

/// The format browsers without WebP get.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fallback {
    Jpeg,
    /// For pictures that use transparency, which JPEG cannot hold.
    Png,
}

impl Fallback {
    /// The file extension of this format.
    pub fn extension(self) -> &'static str {
        match self {
            Fallback::Jpeg => "jpg",
            Fallback::Png => "png",
        }
    }

    /// The MIME type of this format.
    pub fn mime(self) -> &'static str {
        match self {
            Fallback::Jpeg => "image/jpeg",
            Fallback::Png => "image/png",
        }
    }
}

/// A photo's encoded variants, narrowest first.
#[derive(Debug)]
pub struct Encoded {
    /// The upright photo's size.
    pub width: u32,
    pub height: u32,
    pub fallback: Fallback,
    pub variants: Vec<EncodedVariant>,
}

/// One width of a photo, in both formats.
#[derive(Debug)]
pub struct EncodedVariant {
    pub width: u32,
    pub height: u32,
    pub webp: Vec<u8>,
    pub fallback: Vec<u8>,
}

/// Decode, orient, resize and encode the photo in `bytes`; an error says why it could not be.
pub fn process(bytes: &[u8]) -> Result<Encoded, String> {
    let mut image = decode(bytes)?;
    if let Some(o) = orientation(bytes) {
        image.apply_orientation(o);
    }
    let (width, height) = (image.width(), image.height());
    let fallback = if uses_transparency(&image) {
        Fallback::Png
    } else {
        Fallback::Jpeg
    };
    let widths = variant_widths(width);
    let mut variants = Vec::with_capacity(widths.len());
    // Widest first, each made from the one before: smaller steps, less work, the same look.
    let mut source = image;
    for &w in widths.iter().rev() {
        let h = scaled_height(width, height, w);
        if (w, h) != (source.width(), source.height()) {
            source = source.resize_exact(w, h, FilterType::CatmullRom);
        }
        variants.push(encode(&source, fallback)?);
    }
    variants.reverse();
    Ok(Encoded {
        width,
        height,
        fallback,
        variants,
    })
}

/// Whether `bytes` decode as a photo, without making anything of it.
pub fn check(bytes: &[u8]) -> Result<(), String> {
    decode(bytes).map(|_| ())
}

fn decode(bytes: &[u8]) -> Result<DynamicImage, String> {
    if bytes.is_empty() {
        return Err("the file is empty".into());
    }
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    match reader.format() {
        Some(image::ImageFormat::Jpeg | image::ImageFormat::Png) => {}
        _ => return Err("it is not a JPEG or PNG file inside".into()),
    }
    let decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let (w, h) = decoder.dimensions();
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(format!(
            "it is {w}×{h} pixels, more than lapa reads ({} megapixels)",
            MAX_PIXELS / 1_000_000
        ));
    }
    DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())
}

/// The EXIF orientation, when the file has one that is not "upright already".
pub fn orientation(bytes: &[u8]) -> Option<Orientation> {
    let exif = exif::Reader::new()
        .read_from_container(&mut Cursor::new(bytes))
        .ok()?;
    let field = exif.get_field(exif::Tag::Orientation, exif::In::PRIMARY)?;
    let value = u8::try_from(field.value.get_uint(0)?).ok()?;
    Orientation::from_exif(value).filter(|o| *o != Orientation::NoTransforms)
}

/// The widths to make for a photo `width` pixels wide: each of [`WIDTHS`] below it, and
/// the photo's own width when it is narrower than the widest.
pub fn variant_widths(width: u32) -> Vec<u32> {
    let widest = WIDTHS[WIDTHS.len() - 1];
    let mut widths: Vec<u32> = WIDTHS.iter().copied().filter(|&w| w < width).collect();
    let top = width.min(widest);
    if widths.last() != Some(&top) {
        widths.push(top);
    }
    widths
}

/// The height that keeps the aspect of `width`×`height` at `new_width`, at least 1.
pub fn scaled_height(width: u32, height: u32, new_width: u32) -> u32 {
    let h = (u64::from(height) * u64::from(new_width) + u64::from(width) / 2) / u64::from(width);
    u32::try_from(h).unwrap_or(u32::MAX).max(1)
}

/// Whether any pixel is less than fully opaque.
fn uses_transparency(image: &DynamicImage) -> bool {
    if !image.color().has_alpha() {
        return false;
    }
    match image.as_rgba8() {
        Some(rgba) => rgba.pixels().any(|p| p.0[3] < u8::MAX),
        None => image.to_rgba8().pixels().any(|p| p.0[3] < u8::MAX),
    }
}

fn encode(image: &DynamicImage, fallback: Fallback) -> Result<EncodedVariant, String> {
    let (w, h) = (image.width(), image.height());
    let (webp, fallback_bytes) = match fallback {
        Fallback::Jpeg => {
            let rgb: RgbImage = image.to_rgb8();
            let webp = webp::Encoder::from_rgb(rgb.as_raw(), w, h)
                .encode_simple(false, WEBP_QUALITY)
                .map_err(|e| format!("WebP encoding failed: {e:?}"))?;
            let mut jpeg = Vec::new();
            JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY)
                .encode_image(&rgb)
                .map_err(|e| e.to_string())?;
            (webp.to_vec(), jpeg)
        }
        Fallback::Png => {
            let rgba: RgbaImage = image.to_rgba8();
            let webp = webp::Encoder::from_rgba(rgba.as_raw(), w, h)
                .encode_simple(false, WEBP_QUALITY)
                .map_err(|e| format!("WebP encoding failed: {e:?}"))?;
            let mut png = Vec::new();
            PngEncoder::new(&mut png)
                .write_image(rgba.as_raw(), w, h, image::ExtendedColorType::Rgba8)
                .map_err(|e| e.to_string())?;
            (webp.to_vec(), png)
        }
    };
    Ok(EncodedVariant {
        width: w,
        height: h,
        webp,
        fallback: fallback_bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_never_upscale() {
        assert_eq!(variant_widths(4000), vec![480, 960, 1600]);
        assert_eq!(variant_widths(1600), vec![480, 960, 1600]);
        assert_eq!(variant_widths(1200), vec![480, 960, 1200]);
        assert_eq!(variant_widths(300), vec![300]);
        assert_eq!(variant_widths(480), vec![480]);
    }

    #[test]
    fn heights_keep_the_aspect() {
        assert_eq!(scaled_height(4000, 3000, 960), 720);
        assert_eq!(scaled_height(800, 1200, 480), 720);
        assert_eq!(scaled_height(10_000, 1, 480), 1);
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        assert!(process(b"").is_err());
        assert!(process(b"not an image at all").is_err());
        let mut jpeg = Vec::new();
        let img = RgbImage::from_pixel(64, 48, image::Rgb([200, 100, 50]));
        JpegEncoder::new_with_quality(&mut jpeg, 90)
            .encode_image(&img)
            .unwrap();
        assert!(process(&jpeg[..jpeg.len() / 3]).is_err());
        // A tiny file claiming 12000×12000 pixels: refused before decoding.
        let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        jpeg[sof + 5..sof + 9].copy_from_slice(&[0x2E, 0xE0, 0x2E, 0xE0]);
        let e = process(&jpeg).unwrap_err();
        assert!(e.contains("12000×12000"), "{e}");
    }

    /// A JPEG with an EXIF block saying "rotate 90° clockwise" and a GPS position.
    fn rotated_jpeg(width: u32, height: u32) -> Vec<u8> {
        // Left half red, right half blue: upright, red is on top.
        let img = RgbImage::from_fn(width, height, |x, _| {
            if x < width / 2 {
                image::Rgb([220, 20, 20])
            } else {
                image::Rgb([20, 20, 220])
            }
        });
        let mut jpeg = Vec::new();
        JpegEncoder::new_with_quality(&mut jpeg, 95)
            .encode_image(&img)
            .unwrap();
        let mut tiff: Vec<u8> = b"II*\0\x08\0\0\0".to_vec();
        let entry = |tag: u16, kind: u16, count: u32, value: u32| {
            [
                &tag.to_le_bytes()[..],
                &kind.to_le_bytes(),
                &count.to_le_bytes(),
                &value.to_le_bytes(),
            ]
            .concat()
        };
        tiff.extend(2u16.to_le_bytes());
        tiff.extend(entry(0x0112, 3, 1, 6));
        tiff.extend(entry(0x8825, 4, 1, 38));
        tiff.extend(0u32.to_le_bytes());
        tiff.extend(1u16.to_le_bytes());
        tiff.extend(entry(0x0001, 2, 2, u32::from(b'N')));
        tiff.extend(0u32.to_le_bytes());
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend(tiff);
        let len = u16::try_from(app1.len() + 2).unwrap();
        let mut out = jpeg[..2].to_vec();
        out.extend([0xFF, 0xE1]);
        out.extend(len.to_be_bytes());
        out.extend(app1);
        out.extend(&jpeg[2..]);
        out
    }

    #[test]
    fn exif_orientation_is_applied_and_dropped() {
        let bytes = rotated_jpeg(60, 40);
        assert_eq!(orientation(&bytes), Some(Orientation::Rotate90));
        let e = process(&bytes).unwrap();
        assert_eq!((e.width, e.height, e.fallback), (40, 60, Fallback::Jpeg));
        let v = &e.variants[0];
        assert!(!v.fallback.windows(4).any(|w| w == b"Exif"));
        let out = image::load_from_memory(&v.fallback).unwrap().to_rgb8();
        assert_eq!(out.dimensions(), (40, 60));
        let (top, bottom) = (out.get_pixel(20, 5).0, out.get_pixel(20, 55).0);
        assert!(top[0] > 150 && top[2] < 100, "top is red: {top:?}");
        assert!(
            bottom[2] > 150 && bottom[0] < 100,
            "bottom is blue: {bottom:?}"
        );
    }

    #[test]
    fn a_small_photo_gets_one_variant_at_its_own_size() {
        let mut png = Vec::new();
        let img = RgbaImage::from_pixel(40, 30, image::Rgba([0, 0, 255, 128]));
        PngEncoder::new(&mut png)
            .write_image(img.as_raw(), 40, 30, image::ExtendedColorType::Rgba8)
            .unwrap();
        let e = process(&png).unwrap();
        assert_eq!((e.width, e.height, e.fallback), (40, 30, Fallback::Png));
        assert_eq!(e.variants.len(), 1);
        assert_eq!((e.variants[0].width, e.variants[0].height), (40, 30));
        assert!(e.variants[0].webp.starts_with(b"RIFF"));
        assert!(e.variants[0].fallback.starts_with(b"\x89PNG"));
    }
}
