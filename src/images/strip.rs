//! Metadata out of an original photo, losslessly: the file's own compressed pixels are
//! kept byte for byte and only the blocks around them that describe the photo (EXIF with
//! its GPS position, camera and time; XMP; IPTC; comments; text chunks) are left out.
//!
//! The orientation is the one fact kept: a photo whose EXIF says "turn me" gets a minimal
//! EXIF block holding the Orientation tag alone, so browsers still show it upright.
//! A colour profile (ICC) and Adobe's colour-transform marker stay too: they change how the
//! pixels look and say nothing about who, where or when.

use crate::msg;
use std::io::Cursor;

/// `bytes` without their metadata, or None when they hold none (the file can be published
/// as it is). A file cut short or damaged keeps what comes before the damage, so a broken
/// photo stays as broken as it was, never with its metadata. An error says that the file
/// is in another format (a HEIC photo named `.jpg`, say) that carries EXIF.
pub fn strip(bytes: &[u8]) -> Result<Option<Vec<u8>>, String> {
    let orientation = orientation(bytes);
    let out = if bytes.starts_with(&[0xFF, 0xD8]) {
        jpeg(bytes, orientation)?
    } else if bytes.starts_with(PNG_SIGNATURE) {
        png(bytes, orientation)?
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        webp(bytes, orientation)?
    } else if exif::Reader::new()
        .read_from_container(&mut Cursor::new(bytes))
        .is_ok()
    {
        return Err(msg!("photo-strip-unknown-format"));
    } else {
        // Not a photo lapa knows, and nothing in it that says where or when: as it is.
        return Ok(None);
    };
    Ok((out.as_slice() != bytes).then_some(out))
}

/// Whether `name` is a file [`strip`] reads: `.jpg`, `.jpeg`, `.png` or `.webp`, in any case.
pub fn is_strippable(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".jpg", ".jpeg", ".png", ".webp"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// Whether the photo in `bytes` says where it was taken: a GPS latitude or longitude in
/// its EXIF, or in its XMP.
pub fn has_gps(bytes: &[u8]) -> bool {
    let in_exif = exif::Reader::new()
        .read_from_container(&mut Cursor::new(bytes))
        .is_ok_and(|e| {
            e.fields().any(|f| {
                matches!(
                    f.tag,
                    exif::Tag::GPSLatitude | exif::Tag::GPSLongitude | exif::Tag::GPSDestLatitude
                )
            })
        });
    in_exif || memchr::memmem::find(bytes, b"GPSLatitude").is_some()
}

/// The EXIF orientation (2–8), when the file has one that turns or mirrors the photo.
pub(super) fn orientation(bytes: &[u8]) -> Option<u16> {
    let exif = exif::Reader::new()
        .read_from_container(&mut Cursor::new(bytes))
        .ok()?;
    let field = exif.get_field(exif::Tag::Orientation, exif::In::PRIMARY)?;
    let value = u16::try_from(field.value.get_uint(0)?).ok()?;
    (2..=8).contains(&value).then_some(value)
}

/// A big-endian TIFF block with one IFD holding one tag: Orientation.
fn minimal_tiff(orientation: u16) -> Vec<u8> {
    let mut t = b"MM\0*\0\0\0\x08".to_vec();
    t.extend(1u16.to_be_bytes());
    t.extend(0x0112u16.to_be_bytes()); // Orientation
    t.extend(3u16.to_be_bytes()); // SHORT
    t.extend(1u32.to_be_bytes()); // one value
    t.extend(orientation.to_be_bytes());
    t.extend([0, 0]); // the value is left-aligned in its four bytes
    t.extend(0u32.to_be_bytes()); // no next IFD
    t
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// A JPEG's marker segments, the ones that describe the photo left out. The compressed
/// data is copied as it is; what follows the end of the image (a phone's appended
/// preview, depth map or video, with EXIF of their own) is dropped.
fn jpeg(bytes: &[u8], orientation: Option<u16>) -> Result<Vec<u8>, String> {
    const SOS: u8 = 0xDA;
    const EOI: u8 = 0xD9;
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..2]);
    let mut orientation = orientation;
    let mut pos = 2;
    loop {
        // A marker: 0xFF (perhaps several), then its code.
        // Damage (no marker where one must be, a segment longer than the file): the
        // file ends there.
        if bytes.get(pos) != Some(&0xFF) {
            break;
        }
        while bytes.get(pos) == Some(&0xFF) {
            pos += 1;
        }
        let Some(&marker) = bytes.get(pos) else {
            break;
        };
        pos += 1;
        if marker == EOI {
            break;
        }
        if (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
            out.extend([0xFF, marker]);
            continue;
        }
        let Some(len) = bytes
            .get(pos..pos + 2)
            .map(|l| usize::from(u16::from_be_bytes([l[0], l[1]])))
            .filter(|&l| l >= 2)
        else {
            break;
        };
        let Some(segment) = bytes.get(pos..pos + len) else {
            break;
        };
        pos += len;
        let data = &segment[2..];
        let keep = match marker {
            // JFIF, ICC colour profile, Adobe's colour transform.
            0xE0 => true,
            0xE2 => data.starts_with(b"ICC_PROFILE\0"),
            0xEE => data.starts_with(b"Adobe"),
            // EXIF and XMP (APP1), IPTC (APP13), the rest of the APPn, comments.
            0xE1 if data.starts_with(b"Exif\0") => {
                if let Some(o) = orientation.take() {
                    let mut app1 = b"Exif\0\0".to_vec();
                    app1.extend(minimal_tiff(o));
                    out.extend([0xFF, 0xE1]);
                    out.extend(u16::try_from(app1.len() + 2).unwrap_or(0).to_be_bytes());
                    out.extend(app1);
                }
                false
            }
            0xE1..=0xEF | 0xFE => false,
            _ => true,
        };
        if keep {
            out.extend([0xFF, marker]);
            out.extend_from_slice(segment);
        }
        if marker == SOS {
            // The compressed data runs to the next marker that is not a restart marker
            // or a stuffed 0xFF 0x00; a file cut short there ends here.
            let start = pos;
            while pos < bytes.len() {
                if bytes[pos] == 0xFF
                    && let Some(&next) = bytes.get(pos + 1)
                    && next != 0
                    && next != 0xFF
                    && !(0xD0..=0xD7).contains(&next)
                {
                    break;
                }
                pos += 1;
            }
            out.extend_from_slice(&bytes[start..pos]);
            if pos >= bytes.len() {
                break;
            }
        }
    }
    out.extend([0xFF, EOI]);
    Ok(out)
}

/// A PNG's chunks without text (`tEXt`, `zTXt`, `iTXt`), EXIF (`eXIf`) and time (`tIME`);
/// an orientation is kept in a minimal `eXIf`.
fn png(bytes: &[u8], orientation: Option<u16>) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(PNG_SIGNATURE);
    let mut pos = PNG_SIGNATURE.len();
    let mut orientation = orientation;
    while pos < bytes.len() {
        // A chunk cut short: the file ends before it.
        let Some(head) = bytes.get(pos..pos + 8) else {
            break;
        };
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]);
        let kind = &head[4..8];
        let Some(chunk) = usize::try_from(len)
            .ok()
            .and_then(|len| bytes.get(pos..pos + 12 + len))
        else {
            break;
        };
        let len = chunk.len() - 12;
        pos += 12 + len;
        match kind {
            b"eXIf" => {
                if let Some(o) = orientation.take() {
                    let data = minimal_tiff(o);
                    out.extend(u32::try_from(data.len()).unwrap_or(0).to_be_bytes());
                    let mut crc = crc32fast::Hasher::new();
                    crc.update(b"eXIf");
                    crc.update(&data);
                    out.extend(b"eXIf");
                    out.extend(&data);
                    out.extend(crc.finalize().to_be_bytes());
                }
            }
            b"tEXt" | b"zTXt" | b"iTXt" | b"tIME" => {}
            _ => out.extend_from_slice(chunk),
        }
        if kind == b"IEND" {
            break;
        }
    }
    Ok(out)
}

/// A WebP's RIFF chunks without `XMP `, its EXIF reduced to the orientation, and the
/// extended header's flags saying so.
fn webp(bytes: &[u8], orientation: Option<u16>) -> Result<Vec<u8>, String> {
    const EXIF_FLAG: u8 = 0x08;
    const XMP_FLAG: u8 = 0x04;
    let broken = || msg!("photo-webp-size-wrong");
    let declared = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]);
    let end = usize::try_from(declared)
        .ok()
        .map(|d| (d + 8).min(bytes.len()))
        .ok_or_else(broken)?;
    let mut out = b"RIFF\0\0\0\0WEBP".to_vec();
    let mut pos = 12;
    let mut vp8x_flags = None;
    let mut exif_kept = false;
    while pos + 8 <= end {
        let kind = &bytes[pos..pos + 4];
        let len = u32::from_le_bytes([
            bytes[pos + 4],
            bytes[pos + 5],
            bytes[pos + 6],
            bytes[pos + 7],
        ]);
        // A chunk cut short: the file ends before it.
        let Some(chunk) = usize::try_from(len)
            .ok()
            .and_then(|len| bytes.get(pos..pos + 8 + len + (len & 1)))
        else {
            break;
        };
        let padded = chunk.len() - 8;
        pos += 8 + padded;
        match kind {
            b"EXIF" => {
                if let Some(o) = orientation {
                    let data = minimal_tiff(o);
                    out.extend(b"EXIF");
                    out.extend(u32::try_from(data.len()).unwrap_or(0).to_le_bytes());
                    out.extend(&data);
                    exif_kept = true;
                }
            }
            b"XMP " => {}
            b"VP8X" => {
                vp8x_flags = Some(out.len() + 8);
                out.extend_from_slice(chunk);
            }
            _ => out.extend_from_slice(chunk),
        }
    }
    if let Some(at) = vp8x_flags {
        out[at] &= !(EXIF_FLAG | XMP_FLAG);
        if exif_kept {
            out[at] |= EXIF_FLAG;
        }
    }
    let size = u32::try_from(out.len() - 8).map_err(|_| broken())?;
    out[4..8].copy_from_slice(&size.to_le_bytes());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(marker: u8, data: &[u8]) -> Vec<u8> {
        let mut s = vec![0xFF, marker];
        s.extend(u16::try_from(data.len() + 2).unwrap().to_be_bytes());
        s.extend(data);
        s
    }

    /// A JPEG made by the `image` crate with EXIF (orientation 6 and GPS), XMP, IPTC and a
    /// comment put in, and a phone's appended preview after its end.
    fn tagged_jpeg() -> (Vec<u8>, Vec<u8>) {
        let img = image::RgbImage::from_pixel(32, 16, image::Rgb([10, 200, 30]));
        let mut plain = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 90)
            .encode_image(&img)
            .unwrap();
        let mut tiff = b"MM\0*\0\0\0\x08\0\x02".to_vec();
        tiff.extend([0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]);
        tiff.extend([0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38]);
        tiff.extend([0, 0, 0, 0]);
        tiff.extend([0, 1, 0, 2, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0]);
        tiff.extend([0, 0, 0, 0]);
        let mut exif = b"Exif\0\0".to_vec();
        exif.extend(tiff);
        let mut tagged = plain[..2].to_vec();
        tagged.extend(segment(0xE1, &exif));
        tagged.extend(segment(
            0xE1,
            b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta exif:GPSLatitude=\"56,57N\"/>",
        ));
        tagged.extend(segment(0xED, b"Photoshop 3.0\08BIM Riga"));
        tagged.extend(segment(0xFE, b"Nikon, Riga"));
        tagged.extend(&plain[2..]);
        tagged.extend(b"\xFF\xD8 appended preview Exif GPS");
        (plain, tagged)
    }

    #[test]
    fn a_jpeg_keeps_its_pixels_and_only_its_orientation() {
        let (plain, tagged) = tagged_jpeg();
        assert!(has_gps(&tagged));
        let out = strip(&tagged).unwrap().unwrap();
        assert!(!has_gps(&out));
        for gone in [&b"Riga"[..], b"xmpmeta", b"Nikon", b"appended"] {
            assert!(memchr::memmem::find(&out, gone).is_none(), "{gone:?} left");
        }
        assert_eq!(orientation(&out), Some(6));
        let a = image::load_from_memory(&plain).unwrap().to_rgb8();
        let b = image::load_from_memory(&out).unwrap().to_rgb8();
        assert_eq!(a, b, "the same pixels");
        // The compressed data is the encoder's, byte for byte.
        let sos = |j: &[u8]| j.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
        assert_eq!(&out[sos(&out)..], &plain[sos(&plain)..]);
        assert_eq!(strip(&out).unwrap(), None, "nothing more to take out");
    }

    #[test]
    fn a_jpeg_without_orientation_gets_no_exif_at_all() {
        let (plain, _) = tagged_jpeg();
        let mut tagged = plain[..2].to_vec();
        tagged.extend(segment(0xFE, b"comment"));
        tagged.extend(&plain[2..]);
        let out = strip(&tagged).unwrap().unwrap();
        assert_eq!(out, plain);
        assert_eq!(strip(&plain).unwrap(), None);
    }

    #[test]
    fn png_text_and_exif_chunks_go() {
        let img = image::RgbaImage::from_pixel(8, 8, image::Rgba([1, 2, 3, 255]));
        let mut plain = Vec::new();
        image::ImageEncoder::write_image(
            image::codecs::png::PngEncoder::new(&mut plain),
            img.as_raw(),
            8,
            8,
            image::ExtendedColorType::Rgba8,
        )
        .unwrap();
        let chunk = |kind: &[u8], data: &[u8]| {
            let mut c = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
            c.extend(kind);
            c.extend(data);
            let mut crc = crc32fast::Hasher::new();
            crc.update(kind);
            crc.update(data);
            c.extend(crc.finalize().to_be_bytes());
            c
        };
        let ihdr_end = 8 + 12 + 13;
        let mut tagged = plain[..ihdr_end].to_vec();
        tagged.extend(chunk(b"tEXt", b"Author\0Riga school"));
        tagged.extend(chunk(b"tIME", &[7, 232, 3, 20, 10, 0, 0]));
        tagged.extend(&plain[ihdr_end..]);
        let out = strip(&tagged).unwrap().unwrap();
        assert_eq!(out, plain);
        // Cut short in its header: only the signature is left.
        assert_eq!(
            strip(b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR").unwrap(),
            Some(PNG_SIGNATURE.to_vec())
        );
    }

    #[test]
    fn webp_loses_xmp_and_exif_and_their_flags() {
        let vp8x = [0x0C, 0, 0, 0, 7, 0, 0, 7, 0, 0];
        let mut riff = b"RIFF\0\0\0\0WEBP".to_vec();
        for (kind, data) in [
            (&b"VP8X"[..], &vp8x[..]),
            (b"VP8L", &[0x2F, 7, 0xC0, 0x1C, 0][..]),
            (b"EXIF", b"MM\0*GPS"),
            (b"XMP ", b"<xmp/>"),
        ] {
            riff.extend(kind);
            riff.extend(u32::try_from(data.len()).unwrap().to_le_bytes());
            riff.extend(data);
            if data.len() % 2 == 1 {
                riff.push(0);
            }
        }
        let size = u32::try_from(riff.len() - 8).unwrap();
        riff[4..8].copy_from_slice(&size.to_le_bytes());
        let out = strip(&riff).unwrap().unwrap();
        assert!(memchr::memmem::find(&out, b"GPS").is_none());
        assert!(memchr::memmem::find(&out, b"xmp").is_none());
        assert_eq!(out[20], 0, "no EXIF or XMP flag");
        assert_eq!(
            usize::try_from(u32::from_le_bytes([out[4], out[5], out[6], out[7]])).unwrap(),
            out.len() - 8
        );
    }

    #[test]
    fn a_damaged_file_keeps_what_comes_before_the_damage_and_no_metadata() {
        let (_, tagged) = tagged_jpeg();
        let cut = &tagged[..tagged.len() / 2];
        let out = strip(cut).unwrap().unwrap();
        assert!(!has_gps(&out) && memchr::memmem::find(&out, b"Riga").is_none());
        // An EXIF block longer than the file: only the start of the file is left.
        assert_eq!(
            strip(b"\xFF\xD8\xFF\xE1\xFF\xFFExif\0\0GPS")
                .unwrap()
                .unwrap(),
            b"\xFF\xD8\xFF\xD9"
        );
        // Not a photo format lapa knows, and no EXIF in it: as it is.
        assert_eq!(strip(b"").unwrap(), None);
        assert_eq!(strip(b"GIF89a").unwrap(), None);
        // A TIFF-like file with EXIF, named .jpg: not published.
        let mut tiff = b"II*\0\x08\0\0\0\x01\0".to_vec();
        tiff.extend([0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0]);
        assert!(strip(&tiff).is_err());
    }
}
