//! Photos: a teacher's phone photos become small, upright, metadata-free variants in
//! `<picture>` markup, processed once and then taken from the cache.

use crate::common;

use std::path::Path;
use std::time::SystemTime;

use common::*;
use image::ImageEncoder;

/// A `width`×`height` JPEG whose EXIF says "rotate 90° clockwise to view" and carries
/// a GPS position, as a phone held upright writes it. Left half red, right half blue.
fn phone_jpeg(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        let shade = u8::try_from(y * 100 / height).unwrap_or(0);
        if x < width / 2 {
            image::Rgb([220, shade, 20])
        } else {
            image::Rgb([20, shade, 220])
        }
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
        .encode_image(&img)
        .unwrap();
    // A little-endian TIFF: IFD0 (Orientation = 6, a pointer to the GPS IFD), then a GPS
    // IFD with latitude N 56° 57' 30", the rationals after it.
    let entry = |tag: u16, kind: u16, count: u32, value: u32| {
        [
            &tag.to_le_bytes()[..],
            &kind.to_le_bytes(),
            &count.to_le_bytes(),
            &value.to_le_bytes(),
        ]
        .concat()
    };
    let mut tiff = b"II*\0\x08\0\0\0".to_vec();
    tiff.extend(2u16.to_le_bytes());
    tiff.extend(entry(0x0112, 3, 1, 6));
    tiff.extend(entry(0x8825, 4, 1, 38));
    tiff.extend(0u32.to_le_bytes());
    assert_eq!(tiff.len(), 38);
    tiff.extend(2u16.to_le_bytes());
    tiff.extend(entry(0x0001, 2, 2, u32::from(b'N')));
    tiff.extend(entry(0x0002, 5, 3, 68));
    tiff.extend(0u32.to_le_bytes());
    assert_eq!(tiff.len(), 68);
    for (n, d) in [(56u32, 1u32), (57, 1), (30, 1)] {
        tiff.extend(n.to_le_bytes());
        tiff.extend(d.to_le_bytes());
    }
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(tiff);
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend(u16::try_from(app1.len() + 2).unwrap().to_be_bytes());
    out.extend(app1);
    out.extend(&jpeg[2..]);
    out
}

/// A JPEG whose header claims 60000×60000 pixels: a decompression bomb.
fn huge_jpeg() -> Vec<u8> {
    let mut jpeg = phone_jpeg(16, 16);
    let sof = jpeg
        .windows(2)
        .position(|w| w == [0xFF, 0xC0])
        .expect("a baseline JPEG has SOF0");
    jpeg[sof + 5..sof + 9].copy_from_slice(&[0xEA, 0x60, 0xEA, 0x60]);
    jpeg
}

fn transparent_png() -> Vec<u8> {
    let img = image::RgbaImage::from_fn(300, 200, |x, _| image::Rgba([0, 90, 40, (x % 256) as u8]));
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(img.as_raw(), 300, 200, image::ExtendedColorType::Rgba8)
        .unwrap();
    png
}

/// Width and height from a lossy WebP's VP8 frame header.
fn webp_size(bytes: &[u8]) -> (u32, u32) {
    assert!(
        bytes.starts_with(b"RIFF") && &bytes[8..16] == b"WEBPVP8 ",
        "a lossy WebP"
    );
    let w = u16::from_le_bytes([bytes[26], bytes[27]]) & 0x3fff;
    let h = u16::from_le_bytes([bytes[28], bytes[29]]) & 0x3fff;
    (u32::from(w), u32::from(h))
}

fn jpeg_size(bytes: &[u8]) -> (u32, u32) {
    let img = image::load_from_memory_with_format(bytes, image::ImageFormat::Jpeg).unwrap();
    (img.width(), img.height())
}

fn photo_site() -> TestSite {
    let site = TestSite::new();
    let body = "Ievads.\n\n![Pirmā bilde](foto.jpg)\n\nTeksts.\n\n![Otrā bilde](foto.jpg \"Virsraksts\")\n\n\
                ![Bojāta](bojats.jpg) ![Tukša](tukšs.jpg) ![Milzīga](milzigs.jpg)\n\n\
                ![Logo](logo.svg) ![Ārēja](https://example.org/x.jpg)\n\n\
                ```gallery\nfoto.jpg Galerijas foto | Paraksts\n<caurspīdīga bilde.png> Caurspīdīga\n```\n";
    site.report(
        "news/2024-03-28-budapest.md",
        "Budapešta",
        "2024-03-28",
        "cover: { src: foto.jpg, alt: \"Kursa dalībnieki\" }\n",
        body,
    )
    .write_bytes("content/news/foto.jpg", &phone_jpeg(1200, 800))
    .write_bytes("content/news/caurspīdīga bilde.png", &transparent_png())
    .write_bytes("content/news/bojats.jpg", &phone_jpeg(200, 100)[..300])
    .write_bytes("content/news/tukšs.jpg", b"")
    .write_bytes("content/news/milzigs.jpg", &huge_jpeg())
    .write(
        "content/news/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    site
}

/// Where a test site's photos are cached: its own folder, so every test starts empty
/// and none uses (or fills) the user's cache.
fn cache(site: &TestSite) -> std::path::PathBuf {
    site.path().join("cache")
}

/// `lapa ARGS --root SITE`, with the site's own photo cache.
fn lapa(site: &TestSite, args: &[&str]) -> std::process::Output {
    assert_cmd::Command::cargo_bin("lapa")
        .expect("the lapa binary")
        .env("LAPA_LANG", "en")
        .args(args)
        .arg("--root")
        .arg(site.path())
        .env("LAPA_CACHE_DIR", cache(site))
        .output()
        .expect("lapa runs")
}

/// `lapa build`, which must succeed.
fn build(site: &TestSite) -> std::process::Output {
    let out = lapa(site, &["build"]);
    assert!(
        out.status.success(),
        "lapa build failed:\n{}{}",
        stdout(&out),
        stderr(&out)
    );
    out
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn modified(dir: &Path) -> Vec<(std::path::PathBuf, SystemTime)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let time = e.metadata().unwrap().modified().unwrap();
            (e.path().to_path_buf(), time)
        })
        .collect()
}

#[test]
fn photos_are_made_upright_small_and_without_metadata() {
    let site = photo_site();
    let out = build(&site);
    assert!(
        stdout(&out).contains("photos: 2 processed, 0 from the cache"),
        "{}",
        stdout(&out)
    );
    // 1200×800 turned upright is 800×1200: variants keep the portrait aspect, never upscaled.
    for (w, h) in [(480, 720), (800, 1200)] {
        let jpeg = std::fs::read(site.public().join(format!("news/foto-{w}.jpg"))).unwrap();
        assert_eq!(jpeg_size(&jpeg), (w, h));
        let webp = std::fs::read(site.public().join(format!("news/foto-{w}.webp"))).unwrap();
        assert_eq!(webp_size(&webp), (w, h));
        for bytes in [&jpeg, &webp] {
            assert!(!bytes.windows(4).any(|x| x == b"Exif" || x == b"EXIF"));
        }
        // Upright: red (the photo's left) is now on top. Read as a browser's libjpeg-turbo
        // reads it; zune-jpeg (image's decoder) shows these flat colours green.
        let pixels = jpeg_decoder::Decoder::new(&jpeg[..]).decode().unwrap();
        let at = ((h / 10 * w + w / 2) * 3) as usize;
        let top = &pixels[at..at + 3];
        assert!(top[0] > 150 && top[2] < 100, "top is red: {top:?}");
    }
    assert!(!site.exists("news/foto-960.jpg") && !site.exists("news/foto-1600.webp"));
    // The original is still there, for a teacher who links to it, without its GPS position.
    let original = std::fs::read(site.public().join("news/foto.jpg")).unwrap();
    assert!(original.len() < phone_jpeg(1200, 800).len());
    assert!(!original.windows(4).any(|x| x == [0x88, 0x25, 0, 4]));
    // A picture with transparency keeps it: PNG, not JPEG, beside the WebP.
    assert!(site.exists("news/caurspīdīga bilde-300.png"));
    assert!(site.exists("news/caurspīdīga bilde-300.webp"));
    assert!(!site.exists("news/caurspīdīga bilde-300.jpg"));
}

#[test]
fn pages_show_pictures_lazy_only_below_the_fold() {
    let site = photo_site();
    build(&site);
    let html = site.read("news/budapest/index.html");
    let pictures: Vec<&str> = html.split("<picture").skip(1).collect();
    assert_eq!(
        pictures.len(),
        5,
        "cover, two body photos, two gallery photos:\n{html}"
    );
    let cover = pictures[0];
    assert!(
        cover.contains(r#"srcset="/news/foto-480.webp 480w, /news/foto-800.webp 800w""#),
        "{cover}"
    );
    assert!(
        cover.contains(r#"/news/foto-480.jpg 480w, /news/foto-800.jpg 800w"#),
        "{cover}"
    );
    assert!(cover.contains(r#"width="800" height="1200""#), "{cover}");
    assert!(
        !cover.contains("loading=\"lazy\""),
        "the cover is above the fold: {cover}"
    );
    let first = pictures[1];
    assert!(
        first.contains("alt=\"Pirmā bilde\"") && !first.contains("lazy"),
        "{first}"
    );
    assert!(first.contains(r#"<source type="image/webp" srcset="/news/foto-480.webp 480w"#));
    assert!(first.contains(r#"sizes=""#) && first.contains(r#"width="800" height="1200""#));
    let second = pictures[2];
    assert!(
        second.contains("title=\"Virsraksts\" loading=\"lazy\" decoding=\"async\""),
        "{second}"
    );
    // What cannot be processed is shown as it is.
    for plain in [
        r#"<img src="/news/bojats.jpg" alt="Bojāta" />"#,
        r#"<img src="/news/tukšs.jpg" alt="Tukša" />"#,
        r#"<img src="/news/milzigs.jpg" alt="Milzīga" />"#,
        r#"<img src="/news/logo.svg" alt="Logo" />"#,
        r#"<img src="https://example.org/x.jpg" alt="Ārēja" />"#,
    ] {
        assert!(html.contains(plain), "{plain} in\n{html}");
    }
    // The gallery: a grid of figures with the same picture markup.
    let gallery = &html[html.find("<div class=\"gallery\">").expect("a gallery")..];
    assert_eq!(
        gallery
            .matches("<figure class=\"gallery__item\"><picture>")
            .count(),
        2
    );
    assert!(
        gallery.contains("<figcaption>Paraksts</figcaption>"),
        "{gallery}"
    );
    assert!(
        gallery.contains("/news/caursp%C4%ABd%C4%ABga%20bilde-300.webp 300w"),
        "{gallery}"
    );
    assert!(gallery.contains("type=\"image/webp\""));
    // Lists and social media get the small files too.
    let list = site.read("news/index.html");
    assert!(list.contains("/news/foto-480.webp 480w"), "{list}");
    assert!(
        html.contains("content=\"https://skola.example.lv/news/foto-800.jpg\""),
        "og:image"
    );
}

#[test]
fn a_second_build_takes_every_photo_from_the_cache() {
    let site = photo_site();
    build(&site);
    let cache = cache(&site).join("images");
    let before = modified(&cache);
    // foto.jpg: 2 widths × 2 formats + photo.json; the PNG: 1 width × 2 formats + photo.json.
    let versions = |files: &[(std::path::PathBuf, SystemTime)]| {
        files
            .iter()
            .filter(|(p, _)| !p.starts_with(cache.join("originals")))
            .count()
    };
    assert_eq!(versions(&before), 5 + 3, "{before:?}");
    // The originals without metadata: foto.jpg's, milzigs.jpg's and bojats.jpg's copies
    // (the last two as broken as they were), and notes that the PNG and the empty
    // file had nothing to take out.
    assert_eq!(before.len() - versions(&before), 5, "{before:?}");
    let out = build(&site);
    assert!(
        stdout(&out).contains("photos: 0 processed, 2 from the cache"),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        modified(&cache),
        before,
        "nothing in the cache was written again"
    );
    assert_eq!(
        jpeg_size(&std::fs::read(site.public().join("news/foto-800.jpg")).unwrap()),
        (800, 1200)
    );
    // The same photo under another name costs nothing either.
    site.write_bytes("content/news/kopija.jpg", &phone_jpeg(1200, 800));
    site.report(
        "news/2024-03-29-kopija.md",
        "Kopija",
        "2024-03-29",
        "",
        "![Kopija](kopija.jpg)",
    );
    let out = build(&site);
    assert!(
        stdout(&out).contains("photos: 0 processed, 3 from the cache"),
        "{}",
        stdout(&out)
    );
    assert!(site.exists("news/kopija-800.webp"));
}

#[test]
fn unreadable_photos_are_warnings_not_errors() {
    let site = photo_site();
    let out = build(&site);
    let err = stderr(&out);
    for name in ["bojats.jpg", "tukšs.jpg", "milzigs.jpg"] {
        assert!(
            err.contains(&format!(
                "the image `news/{name}` cannot be made into smaller versions"
            )),
            "{err}"
        );
    }
    assert!(
        err.contains("content/news/2024-03-28-budapest.md:"),
        "{err}"
    );
    assert!(err.contains("warning"), "{err}");
    let check = lapa(&site, &["check"]);
    assert!(
        check.status.success(),
        "{}{}",
        stdout(&check),
        stderr(&check)
    );
    assert!(
        stderr(&check).contains("news/bojats.jpg"),
        "{}",
        stderr(&check)
    );
}

#[test]
fn check_writes_no_cache() {
    let site = photo_site();
    let check = lapa(&site, &["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(!cache(&site).exists());
    assert!(!site.public().exists());
}

#[test]
fn a_taken_name_gets_the_cache_key_in_it() {
    let site = TestSite::new();
    site.report(
        "news/2024-03-28-a.md",
        "A",
        "2024-03-28",
        "",
        "![Kā JPEG](foto.jpg) ![Kā PNG](foto.png)",
    )
    .write_bytes("content/news/foto.jpg", &phone_jpeg(600, 400))
    .write_bytes("content/news/foto.png", &transparent_png());
    build(&site);
    // foto.jpg (400 wide, upright) and foto.png (300 wide) share a stem, not a name.
    assert!(site.exists("news/foto-400.webp") && site.exists("news/foto-300.webp"));
    // A teacher's own file with a variant's name keeps it; the variant moves aside.
    let mut own = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut own, 90)
        .encode_image(&image::RgbImage::from_pixel(20, 10, image::Rgb([9, 9, 9])))
        .unwrap();
    site.write_bytes("content/news/foto-400.jpg", &own);
    build(&site);
    assert_eq!(
        std::fs::read(site.public().join("news/foto-400.jpg")).unwrap(),
        own
    );
    let html = site.read("news/a/index.html");
    let hashed: Vec<&str> = html
        .split('"')
        .filter(|s| s.starts_with("/news/foto-") && s.ends_with("-400.jpg"))
        .collect();
    assert!(
        !hashed.is_empty()
            && hashed
                .iter()
                .all(|s| s.len() == "/news/foto-12345678-400.jpg".len()),
        "{html}"
    );
}

/// A phone photo made by ImageMagick (`width`×`height` as stored, a red top band on the
/// stored pixels' left side) with the metadata exiftool gives it: a GPS position, a camera,
/// a time and, when `rotate`, the orientation "turn 90° clockwise to view".
fn real_phone_photo(dir: &Path, name: &str, gps: bool, rotate: bool) -> std::path::PathBuf {
    let path = dir.join(name);
    let made = std::process::Command::new("convert")
        .args([
            "-seed",
            "7",
            "-size",
            "1200x900",
            "plasma:fractal",
            "-blur",
            "0x1",
        ])
        .args([
            "-fill",
            "#e02020",
            "-draw",
            "rectangle 0,0 300,899",
            "-quality",
            "90",
        ])
        .arg(&path)
        .status()
        .expect("ImageMagick's convert (scripts/test installs imagemagick)");
    assert!(made.success());
    let mut tags = vec![
        "-Make=Telefons".to_string(),
        "-Model=Skolas telefons 12".to_string(),
        "-DateTimeOriginal=2024:03:20 10:00:00".to_string(),
    ];
    if gps {
        tags.extend(
            [
                "-GPSLatitude=56.95",
                "-GPSLatitudeRef=N",
                "-GPSLongitude=24.1",
            ]
            .map(String::from),
        );
        tags.push("-GPSLongitudeRef=E".into());
    }
    if rotate {
        tags.push("-Orientation=6".into());
    }
    let tagged = std::process::Command::new("exiftool")
        .args(["-q", "-overwrite_original", "-n"])
        .args(&tags)
        .arg(&path)
        .status()
        .expect("exiftool (scripts/test installs libimage-exiftool-perl)");
    assert!(tagged.success());
    path
}

/// Every tag exiftool reads in `path`, by name (`GPSLatitude`, `Make`, `Orientation`…).
fn exif_tags(path: &Path) -> serde_json::Map<String, serde_json::Value> {
    let out = std::process::Command::new("exiftool")
        .args(["-j", "-n", "-a"])
        .arg(path)
        .output()
        .expect("exiftool");
    assert!(out.status.success(), "{}", stderr(&out));
    let all: Vec<serde_json::Map<String, serde_json::Value>> =
        serde_json::from_slice(&out.stdout).expect("exiftool's JSON");
    all.into_iter().next().expect("one file")
}

fn site_with_real_photo(yaml_extra: &str, gps: bool) -> TestSite {
    let site = TestSite::new();
    site.write("site.yaml", &format!("{SITE_YAML}{yaml_extra}"))
        .write("content/projects/kompetents.md", PROJECT)
        .report(
            "news/2024-03-28-budapest.md",
            "Budapešta",
            "2024-03-28",
            "project: kompetents\ncover: { src: telefons.jpg, alt: \"Kursa dalībnieki\" }\n",
            "Ievads.\n\n![Tāfele](telefons.jpg)\n\n[Pilnā izmērā](telefons.jpg)\n",
        );
    real_phone_photo(&site.path().join("content/news"), "telefons.jpg", gps, true);
    site
}

#[test]
fn a_published_original_has_no_location_camera_or_time_and_stays_upright() {
    let site = site_with_real_photo("", true);
    let source = site.path().join("content/news/telefons.jpg");
    let before = exif_tags(&source);
    assert!(before.contains_key("GPSLatitude") && before.contains_key("Make"));
    build(&site);
    let published = site.public().join("news/telefons.jpg");
    let after = exif_tags(&published);
    for gone in [
        "GPSLatitude",
        "GPSLongitude",
        "GPSPosition",
        "Make",
        "Model",
        "DateTimeOriginal",
        "CreateDate",
        "ModifyDate",
    ] {
        assert!(
            !after.contains_key(gone),
            "{gone} is still published: {after:?}"
        );
    }
    // Upright as a browser shows it: the stored 1200×900 pixels, turned by orientation 6
    // (the only tag kept) into a 900×1200 portrait.
    assert_eq!(
        after.get("Orientation"),
        Some(&serde_json::json!(6)),
        "{after:?}"
    );
    assert_eq!(
        (after.get("ImageWidth"), after.get("ImageHeight")),
        (
            Some(&serde_json::json!(1200)),
            Some(&serde_json::json!(900))
        )
    );
    // Losslessly: the very same pixels.
    let a = image::open(&source).unwrap().to_rgb8();
    let b = image::open(&published).unwrap().to_rgb8();
    assert!(
        a == b,
        "the published original's pixels differ from the photo's"
    );
}

#[test]
fn feeds_and_og_image_name_versions_never_the_original() {
    let site = site_with_real_photo("", true);
    build(&site);
    let feeds: Vec<std::path::PathBuf> = walkdir::WalkDir::new(site.public())
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.path().to_path_buf())
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .filter(|p| std::fs::read_to_string(p).is_ok_and(|t| t.contains("<feed")))
        .collect();
    // The site's feed, and the project's.
    assert!(feeds.len() >= 2, "{feeds:?}");
    for feed in &feeds {
        let text = std::fs::read_to_string(feed).unwrap();
        if !text.contains("Budapešta") {
            continue;
        }
        assert!(
            !text.contains("src=&quot;/news/telefons.jpg&quot;")
                && !text.contains("/news/telefons.jpg "),
            "{} shows the original: {text}",
            feed.display()
        );
        // The 1200×900 photo is 900×1200 upright: its versions are 480 and 900 wide.
        assert!(
            text.contains("src=&quot;/news/telefons-900.jpg&quot;"),
            "{text}"
        );
    }
    let page = site.read("news/budapest/index.html");
    let og: Vec<&str> = page
        .split("<meta property=\"og:image\" content=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap_or(""))
        .collect();
    assert_eq!(og, ["https://skola.example.lv/news/telefons-900.jpg"]);
}

#[test]
fn originals_none_publishes_only_versions() {
    let site = site_with_real_photo("photos:\n  originals: none\n", true);
    build(&site);
    assert!(
        !site.exists("news/telefons.jpg"),
        "the original is published"
    );
    assert!(site.exists("news/telefons-900.jpg"));
    let page = site.read("news/budapest/index.html");
    assert!(!page.contains("telefons.jpg\""), "{page}");
    // The link to the full-size photo leads to its widest version.
    assert!(
        page.contains("<a href=\"/news/telefons-900.jpg\">Pilnā izmērā</a>"),
        "{page}"
    );
    let check = lapa(&site, &["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn originals_keep_publishes_the_file_as_it_is() {
    let site = site_with_real_photo("photos:\n  originals: keep\n", true);
    build(&site);
    assert_eq!(
        std::fs::read(site.public().join("news/telefons.jpg")).unwrap(),
        std::fs::read(site.path().join("content/news/telefons.jpg")).unwrap()
    );
}

#[test]
fn check_warns_about_a_kept_original_that_says_where_it_was_taken() {
    let warning = "says where it was taken";
    let site = site_with_real_photo("photos:\n  originals: keep\n", true);
    let out = lapa(&site, &["check"]);
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert!(text.contains(warning), "{text}");
    assert!(text.contains("content/news/telefons.jpg"), "{text}");
    assert!(
        text.contains("`telefons.jpg`") || text.contains("news/telefons.jpg`"),
        "{text}"
    );
    // Stripped (the default): nothing to warn about.
    let site = site_with_real_photo("", true);
    let text = stdout(&lapa(&site, &["check"])) + &stderr(&lapa(&site, &["check"]));
    assert!(!text.contains(warning), "{text}");
    // Kept, but the photo has no GPS position: nothing either.
    let site = site_with_real_photo("photos:\n  originals: keep\n", false);
    let out = lapa(&site, &["check"]);
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert!(!text.contains(warning), "{text}");
}

#[test]
fn a_cache_folder_in_the_site_carries_the_work_to_a_fresh_copy() {
    let site = site_with_real_photo("photos:\n  cache: .lapa-cache\n", true);
    let run = |root: &Path| {
        assert_cmd::Command::cargo_bin("lapa")
            .unwrap()
            .args(["build", "--root"])
            .arg(root)
            .env_remove("LAPA_CACHE_DIR")
            .env("HOME", root.join("no-home"))
            .env_remove("XDG_CACHE_HOME")
            .env("LAPA_LANG", "en")
            .output()
            .unwrap()
    };
    let out = run(site.path());
    assert!(
        stdout(&out).contains("photos: 1 processed, 0 from the cache"),
        "{}",
        stdout(&out)
    );
    assert!(site.path().join(".lapa-cache/images").is_dir());
    // A fresh clone that got the cache folder back (as a CI cache restores it).
    let clone = tempfile::tempdir().unwrap();
    for rel in ["site.yaml", "content", ".lapa-cache"] {
        copy_tree(&site.path().join(rel), &clone.path().join(rel));
    }
    let out = run(clone.path());
    assert!(
        stdout(&out).contains("photos: 0 processed, 1 from the cache"),
        "{}",
        stdout(&out)
    );
    assert!(!clone.path().join("no-home").exists());
    // Inside content/ it would be published: refused.
    site.write(
        "site.yaml",
        &format!("{SITE_YAML}photos:\n  cache: content/.cache\n"),
    );
    let out = run(site.path());
    assert!(!out.status.success());
    assert!(stderr(&out).contains("inside content/"), "{}", stderr(&out));
}

fn copy_tree(from: &Path, to: &Path) {
    if from.is_file() {
        std::fs::copy(from, to).unwrap();
        return;
    }
    for e in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let target = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// A `width`×`height` JPEG of coloured noise (which no encoder shortcuts), seeded by `seed`.
fn noisy_jpeg(width: u32, height: u32, seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761) | 1;
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let [a, b, c, _] = state.to_le_bytes();
        image::Rgb([a / 2 + (x % 128) as u8, b / 2 + (y % 128) as u8, c])
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
        .encode_image(&img)
        .unwrap();
    jpeg
}

/// The peak memory (resident set, in KiB) of `lapa build` on a site of `count` photos of
/// 3200×2400, on two worker threads: read from the kernel's own account of that one process.
#[cfg(target_os = "linux")]
// The child is waited for by `wait4`, which std does not offer, so clippy does not see it.
#[allow(clippy::zombie_processes)]
fn peak_kib_of_a_build_with(count: u32) -> i64 {
    let site = TestSite::new();
    let mut body = String::new();
    for i in 0..count {
        site.write_bytes(
            &format!("content/news/foto{i}.jpg"),
            &noisy_jpeg(3200, 2400, i + 1),
        );
        body.push_str(&format!("\n![Foto {i}](foto{i}.jpg)\n"));
    }
    site.report("news/2024-03-28-foto.md", "Foto", "2024-03-28", "", &body);
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("lapa"))
        .args(["build", "--root"])
        .arg(site.path())
        .env("LAPA_CACHE_DIR", cache(&site))
        .env("RAYON_NUM_THREADS", "2")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("lapa runs");
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid, and `wait4` fills it for this child alone.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "waited for lapa");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "lapa build failed"
    );
    assert_eq!(
        walkdir::WalkDir::new(site.public().join("news"))
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with("-1600.webp"))
            .count(),
        count as usize,
        "every photo got its versions"
    );
    usage.ru_maxrss
}

#[test]
#[cfg(target_os = "linux")]
fn memory_does_not_grow_with_the_number_of_photos() {
    let two = peak_kib_of_a_build_with(2);
    let twelve = peak_kib_of_a_build_with(12);
    // Two photos at a time are in memory whatever their number; 30 MiB is room for what
    // ten more photos add to the page and the tables, far less than one decoded photo.
    assert!(
        twelve < two + 30 * 1024,
        "12 photos peaked at {} MiB, 2 photos at {} MiB",
        twelve / 1024,
        two / 1024
    );
}
