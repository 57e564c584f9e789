//! One photo: read its size, decode it once at the smallest scale that still covers its
//! widest variant (a JPEG's shrink-on-load: 1/2, 1/4 or 1/8 of its size, straight from
//! the compressed data), resize it to each width with SIMD, turn each variant upright by
//! the EXIF orientation, and encode it as WebP and as JPEG (PNG for pictures with
//! transparency).
//!
//! Re-encoding writes pixels only: no EXIF, so no GPS position, camera or time.

use std::borrow::Cow;
use std::io::Cursor;
use std::sync::{Mutex, OnceLock, PoisonError};

use crate::msg;
use fast_image_resize as fir;
use image::codecs::png::PngEncoder;
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

/// A photo's pixels as the file stores them (not yet upright), perhaps at a smaller scale.
struct Pixels {
    data: Vec<u8>,
    width: u32,
    height: u32,
    /// RGBA with some transparency; else RGB.
    alpha: bool,
    /// The size the file says, at full scale.
    full: (u32, u32),
}

/// Only one photo at a time is decoded and resized: the decode is the largest buffer a
/// photo needs (with jpeg-decoder's planes, about twice the decoded picture), so two
/// workers never both hold one; while one decodes, the others encode.
static DECODING: Mutex<()> = Mutex::new(());

/// Decode, orient, resize and encode the photo in `bytes`; an error says why it could not be.
///
/// The file's bytes are dropped once decoded, the decoded picture once every width is
/// made from it, and each width once it is encoded: a photo's memory is at its most
/// during the decode, which [`DECODING`] lets one photo do at a time.
pub fn process(bytes: Vec<u8>) -> Result<Encoded, String> {
    let orientation = orientation(&bytes);
    let turned = orientation.is_some_and(turns);
    // The widest variant, in the file's own (not yet upright) axes: what the decode must cover.
    let widest = |(w, h): (u32, u32)| {
        let upright = if turned { h } else { w };
        let top = *variant_widths(upright).last().unwrap_or(&upright);
        if turned { (0, top) } else { (top, 0) }
    };
    // A panic in a decoder poisons the lock without leaving anything half done in it.
    let gate = DECODING.lock().unwrap_or_else(PoisonError::into_inner);
    let pixels = decode(&bytes, widest)?;
    drop(bytes);
    let (sw, sh) = pixels.full;
    let (width, height) = if turned { (sh, sw) } else { (sw, sh) };
    let fallback = if pixels.alpha {
        Fallback::Png
    } else {
        Fallback::Jpeg
    };
    let sized = resize(pixels, turned, width, height)?;
    drop(gate);
    let mut variants = Vec::with_capacity(sized.len());
    for (w, h, data) in sized {
        let mut image = if fallback == Fallback::Png {
            RgbaImage::from_raw(w, h, data).map(DynamicImage::ImageRgba8)
        } else {
            RgbImage::from_raw(w, h, data).map(DynamicImage::ImageRgb8)
        }
        .ok_or_else(|| msg!("photo-resized-wrong-size"))?;
        if let Some(o) = orientation {
            image.apply_orientation(o);
        }
        variants.push(encode(&image, fallback)?);
    }
    Ok(Encoded {
        width,
        height,
        fallback,
        variants,
    })
}

/// Each variant's pixels (width, height and data, as the file stores them: not yet
/// upright), narrowest first, made from `pixels` with Lanczos3; `pixels` is dropped
/// when the last is made, or becomes the widest when it is already that size.
fn resize(
    pixels: Pixels,
    turned: bool,
    width: u32,
    height: u32,
) -> Result<Vec<(u32, u32, Vec<u8>)>, String> {
    let kind = if pixels.alpha {
        fir::PixelType::U8x4
    } else {
        fir::PixelType::U8x3
    };
    let mut resizer = fir::Resizer::new();
    let lanczos = fir::ResizeOptions::new()
        .resize_alg(fir::ResizeAlg::Convolution(fir::FilterType::Lanczos3));
    let mut sized = Vec::new();
    let mut whole = None;
    {
        let source = fir::images::ImageRef::new(pixels.width, pixels.height, &pixels.data, kind)
            .map_err(|e| msg!("photo-decoded-inconsistent", why = e))?;
        for w in variant_widths(width) {
            let h = scaled_height(width, height, w);
            let (tw, th) = if turned { (h, w) } else { (w, h) };
            if (tw, th) == (pixels.width, pixels.height) {
                // The decoded picture itself (a photo no wider than the widest variant).
                whole = Some(sized.len());
                sized.push((tw, th, Vec::new()));
                continue;
            }
            let mut out = fir::images::Image::new(tw, th, kind);
            resizer
                .resize(&source, &mut out, &lanczos)
                .map_err(|e| format!("resizing failed: {e}"))?;
            sized.push((tw, th, out.into_vec()));
        }
    }
    if let Some(i) = whole {
        sized[i].2 = pixels.data;
    }
    Ok(sized)
}

/// Whether an orientation swaps width and height.
fn turns(o: Orientation) -> bool {
    matches!(
        o,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

/// Whether `bytes` decode as a photo, without making anything of it (a JPEG at 1/8 scale:
/// every byte of its compressed data is still read).
pub fn check(bytes: &[u8]) -> Result<(), String> {
    decode(bytes, |_| (1, 1)).map(|_| ())
}

/// Decode `bytes` at the smallest scale at which the picture is at least `least(full size)`
/// (a JPEG's shrink-on-load; other files and unusual JPEGs at full size).
fn decode(bytes: &[u8], least: impl Fn((u32, u32)) -> (u32, u32)) -> Result<Pixels, String> {
    if bytes.is_empty() {
        return Err(msg!("photo-empty"));
    }
    if bytes.starts_with(&[0xFF, 0xD8]) {
        if let Some(pixels) = decode_scaled_jpeg(bytes, &least)? {
            return Ok(pixels);
        }
    }
    decode_full(bytes)
}

/// The picture is `width`×`height`: refuse it when lapa does not read that much.
fn within_limits(width: u32, height: u32) -> Result<(), String> {
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(msg!(
            "photo-too-many-pixels",
            width = width,
            height = height,
            limit = MAX_PIXELS / 1_000_000
        ));
    }
    Ok(())
}

/// A JPEG decoded by `jpeg-decoder` with its IDCT scaled down (1/8 to 1/1); None for a
/// JPEG it does not read as RGB or grey (CMYK, 16-bit, arithmetic coding): `image` reads those.
fn decode_scaled_jpeg(
    bytes: &[u8],
    least: impl Fn((u32, u32)) -> (u32, u32),
) -> Result<Option<Pixels>, String> {
    let mut decoder = jpeg_decoder::Decoder::new(bytes);
    decoder.set_max_decoding_buffer_size(usize::try_from(MAX_ALLOC).unwrap_or(usize::MAX));
    if decoder.read_info().is_err() {
        return Ok(None);
    }
    let Some(info) = decoder.info() else {
        return Ok(None);
    };
    let full = (u32::from(info.width), u32::from(info.height));
    within_limits(full.0, full.1)?;
    if full.0 > MAX_SIDE || full.1 > MAX_SIDE {
        return Ok(None);
    }
    if !matches!(
        info.pixel_format,
        jpeg_decoder::PixelFormat::RGB24 | jpeg_decoder::PixelFormat::L8
    ) {
        return Ok(None);
    }
    let (min_w, min_h) = least(full);
    // jpeg-decoder's own rounding of a side at `eighths`/8 of its size.
    let scaled = |side: u32, eighths: u32| (side * eighths).div_ceil(8);
    let eighths = [1, 2, 4]
        .into_iter()
        .find(|&e| scaled(full.0, e) >= min_w && scaled(full.1, e) >= min_h)
        .unwrap_or(8);
    let (w, h) = (scaled(full.0, eighths), scaled(full.1, eighths));
    let (Ok(rw), Ok(rh)) = (u16::try_from(w), u16::try_from(h)) else {
        return Ok(None);
    };
    let (w, h) = decoder.scale(rw, rh).map_err(|e| e.to_string())?;
    let data = decoding_threads()?
        .install(|| decoder.decode())
        .map_err(|e| e.to_string())?;
    let (width, height) = (u32::from(w), u32::from(h));
    let data = match info.pixel_format {
        jpeg_decoder::PixelFormat::L8 => data.iter().flat_map(|&l| [l, l, l]).collect(),
        _ => data,
    };
    if data.len() != width as usize * height as usize * 3 {
        return Err(msg!("photo-decoder-wrong-size"));
    }
    Ok(Some(Pixels {
        data,
        width,
        height,
        alpha: false,
        full,
    }))
}

/// The threads jpeg-decoder does its IDCT and colour conversion on (as many as rayon's
/// own, `RAYON_NUM_THREADS`), started once. Not rayon's global pool: the photo stage is
/// itself called from one of its threads, which waits for the photos, so with one thread
/// the decode would wait for it for ever. Nor jpeg-decoder's own way without rayon, a new
/// thread per colour component per photo: each thread's freed memory stayed with mimalloc
/// after the thread ended, and the photos' peak memory grew with their number.
fn decoding_threads() -> Result<&'static rayon::ThreadPool, String> {
    static POOL: OnceLock<Result<rayon::ThreadPool, String>> = OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(rayon::current_num_threads())
            .thread_name(|i| format!("photo decoding {i}")) // not a message: a thread's name
            .build()
            .map_err(|e| e.to_string())
    })
    .as_ref()
    .map_err(Clone::clone)
}

/// A PNG, or a JPEG that `jpeg-decoder` does not read, decoded whole by `image`.
fn decode_full(bytes: &[u8]) -> Result<Pixels, String> {
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
        _ => return Err(msg!("photo-not-jpeg-or-png")),
    }
    let decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let (w, h) = decoder.dimensions();
    within_limits(w, h)?;
    let image = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    let alpha = uses_transparency(&image);
    let data = if alpha {
        image.into_rgba8().into_raw()
    } else {
        image.into_rgb8().into_raw()
    };
    Ok(Pixels {
        data,
        width: w,
        height: h,
        alpha,
        full: (w, h),
    })
}

/// The EXIF orientation, when the file has one that is not "upright already".
pub fn orientation(bytes: &[u8]) -> Option<Orientation> {
    Orientation::from_exif(u8::try_from(super::strip::orientation(bytes)?).ok()?)
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

/// A JPEG of `rgb` at [`JPEG_QUALITY`]: 4:2:0 chroma (colour at half the resolution of
/// brightness, as libvips, Hugo and phones write it: about a third fewer bytes than 4:4:4
/// for no difference a reader sees, see BENCHMARKS.md) and optimised Huffman tables.
/// Baseline, not progressive: `jpeg-encoder`'s progressive scans made the same pixels a
/// tenth larger (BENCHMARKS.md, "Photos"), and a phone waits for the bytes.
fn jpeg(rgb: &RgbImage) -> Result<Vec<u8>, String> {
    let (w, h) = rgb.dimensions();
    let (Ok(w), Ok(h)) = (u16::try_from(w), u16::try_from(h)) else {
        return Err(msg!("photo-too-large-for-jpeg", width = w, height = h));
    };
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, JPEG_QUALITY);
    encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::R_4_2_0);
    encoder.set_optimized_huffman_tables(true);
    encoder
        .encode(rgb.as_raw(), w, h, jpeg_encoder::ColorType::Rgb)
        .map_err(|e| format!("JPEG encoding failed: {e}"))?;
    Ok(out)
}

/// Both files of one variant, encoded from the pixels in place (a copy only for a
/// picture `image::apply_orientation` left in another layout, which it does not).
fn encode(image: &DynamicImage, fallback: Fallback) -> Result<EncodedVariant, String> {
    let (w, h) = (image.width(), image.height());
    let (webp, fallback_bytes) = match fallback {
        Fallback::Jpeg => {
            let rgb = match image.as_rgb8() {
                Some(rgb) => Cow::Borrowed(rgb),
                None => Cow::Owned(image.to_rgb8()),
            };
            let webp = webp::Encoder::from_rgb(rgb.as_raw(), w, h)
                .encode_simple(false, WEBP_QUALITY)
                .map_err(|e| format!("WebP encoding failed: {e:?}"))?;
            (webp.to_vec(), jpeg(&rgb)?)
        }
        Fallback::Png => {
            let rgba = match image.as_rgba8() {
                Some(rgba) => Cow::Borrowed(rgba),
                None => Cow::Owned(image.to_rgba8()),
            };
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
    use image::codecs::jpeg::JpegEncoder;

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
        assert!(process(Vec::new()).is_err());
        assert!(process(b"not an image at all".to_vec()).is_err());
        let mut jpeg = Vec::new();
        let img = RgbImage::from_pixel(64, 48, image::Rgb([200, 100, 50]));
        JpegEncoder::new_with_quality(&mut jpeg, 90)
            .encode_image(&img)
            .unwrap();
        assert!(process(jpeg[..jpeg.len() / 3].to_vec()).is_err());
        // A tiny file claiming 12000×12000 pixels: refused before decoding.
        let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        jpeg[sof + 5..sof + 9].copy_from_slice(&[0x2E, 0xE0, 0x2E, 0xE0]);
        let e = process(jpeg.clone()).unwrap_err();
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

    /// A JPEG's pixels as libjpeg-turbo (browsers) and jpeg-decoder read them. image's
    /// zune-jpeg 0.5 reads jpeg-encoder's baseline 4:2:0 files' flat colours as green.
    fn rgb(jpeg: &[u8]) -> RgbImage {
        let mut decoder = jpeg_decoder::Decoder::new(jpeg);
        let pixels = decoder.decode().unwrap();
        let info = decoder.info().unwrap();
        RgbImage::from_raw(u32::from(info.width), u32::from(info.height), pixels).unwrap()
    }

    #[test]
    fn exif_orientation_is_applied_and_dropped() {
        let bytes = rotated_jpeg(60, 40);
        assert_eq!(orientation(&bytes), Some(Orientation::Rotate90));
        let e = process(bytes.clone()).unwrap();
        assert_eq!((e.width, e.height, e.fallback), (40, 60, Fallback::Jpeg));
        let v = &e.variants[0];
        assert!(!v.fallback.windows(4).any(|w| w == b"Exif"));
        let out = rgb(&v.fallback);
        assert_eq!(out.dimensions(), (40, 60));
        let (top, bottom) = (out.get_pixel(20, 5).0, out.get_pixel(20, 55).0);
        assert!(top[0] > 150 && top[2] < 100, "top is red: {top:?}");
        assert!(
            bottom[2] > 150 && bottom[0] < 100,
            "bottom is blue: {bottom:?}"
        );
    }

    #[test]
    fn jpeg_versions_are_4_2_0_baseline() {
        let img = RgbImage::from_fn(1200, 900, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
        });
        let mut source = Vec::new();
        JpegEncoder::new_with_quality(&mut source, 95)
            .encode_image(&img)
            .unwrap();
        let e = process(source.clone()).unwrap();
        let v = &e.variants[0];
        // A baseline frame (SOF0) whose luma is sampled 2×2 and whose chroma 1×1.
        let sof = v.fallback.windows(2).position(|w| w == [0xFF, 0xC0]);
        let sof = sof.expect("a baseline JPEG");
        let components = &v.fallback[sof + 10..sof + 19];
        assert_eq!(
            [components[1], components[4], components[7]],
            [0x22, 0x11, 0x11]
        );
        let out = image::load_from_memory(&v.fallback).unwrap();
        assert_eq!((out.width(), out.height()), (v.width, v.height));
    }

    #[test]
    fn a_large_rotated_photo_is_decoded_at_half_size_and_comes_out_upright() {
        // Stored 4000×3200, turned by EXIF: upright 3200 wide, so half scale (2000×1600
        // as stored) still covers the widest variant, 1600 px.
        let bytes = rotated_jpeg(4000, 3200);
        let half = decode(&bytes, |_| (0, 1600)).unwrap();
        assert_eq!(
            (half.width, half.height, half.full),
            (2000, 1600, (4000, 3200))
        );
        let quarter = decode(&bytes, |_| (0, 800)).unwrap();
        assert_eq!((quarter.width, quarter.height), (1000, 800));
        let e = process(bytes.clone()).unwrap();
        assert_eq!((e.width, e.height), (3200, 4000));
        let sizes: Vec<_> = e.variants.iter().map(|v| (v.width, v.height)).collect();
        assert_eq!(sizes, [(480, 600), (960, 1200), (1600, 2000)]);
        for v in &e.variants {
            let out = rgb(&v.fallback);
            assert_eq!(out.dimensions(), (v.width, v.height));
            let (x, h) = (v.width / 2, v.height);
            let (top, bottom) = (out.get_pixel(x, h / 10).0, out.get_pixel(x, h - h / 10).0);
            assert!(top[0] > 150 && top[2] < 100, "top is red: {top:?}");
            assert!(
                bottom[2] > 150 && bottom[0] < 100,
                "bottom is blue: {bottom:?}"
            );
        }
    }

    #[test]
    fn a_photo_narrower_than_twice_the_widest_variant_is_decoded_whole() {
        let bytes = rotated_jpeg(3000, 2400);
        let whole = decode(&bytes, |_| (0, 1600)).unwrap();
        assert_eq!((whole.width, whole.height), (3000, 2400));
        // `lapa check` reads every byte of the data, at an eighth of the size.
        assert!(check(&bytes).is_ok());
        assert!(check(&bytes[..bytes.len() / 2]).is_err());
    }

    #[test]
    fn a_small_photo_gets_one_variant_at_its_own_size() {
        let mut png = Vec::new();
        let img = RgbaImage::from_pixel(40, 30, image::Rgba([0, 0, 255, 128]));
        PngEncoder::new(&mut png)
            .write_image(img.as_raw(), 40, 30, image::ExtendedColorType::Rgba8)
            .unwrap();
        let e = process(png.clone()).unwrap();
        assert_eq!((e.width, e.height, e.fallback), (40, 30, Fallback::Png));
        assert_eq!(e.variants.len(), 1);
        assert_eq!((e.variants[0].width, e.variants[0].height), (40, 30));
        assert!(e.variants[0].webp.starts_with(b"RIFF"));
        assert!(e.variants[0].fallback.starts_with(b"\x89PNG"));
    }
}
