//! What a page tells social media and search engines: its description, canonical URL,
//! Open Graph and Twitter card, the translations as hreflang alternates, and a favicon.

use crate::common;

use common::{PROJECT, TestSite};

/// A report with a cover and an English translation, on a site under a sub-path.
fn site() -> TestSite {
    let site = TestSite::new();
    site.write("content/projects/kompetents.md", PROJECT)
        .write_bytes("content/news/budapest.jpg", b"\xff\xd8\xff\xe0 not really a photo")
        .report(
            "news/2024-03-28-budapest-mentorings.md",
            "Mentorings – rīks & kopiena",
            "2024-03-28",
            "project: kompetents\nsummary: \"Ināra Budapeštā apguva mentoringu.\"\ncover: { src: budapest.jpg, alt: \"Ķēžu tilts\" }\n",
            "Teksts.",
        )
        .report(
            "news/2024-03-28-budapest-mentorings.en.md",
            "Mentoring – a tool",
            "2024-03-28",
            "project: kompetents\nsummary: \"Ināra learned mentoring in Budapest.\"\ncover: { src: budapest.jpg, alt: \"The Chain Bridge\" }\n",
            "Text.",
        );
    site.build(&["--base-url", "https://skola.example.lv/daugavpils/"]);
    site
}

/// The `content` of `<meta ATTR="NAME" content="…">` elements, in order.
fn meta(html: &str, attr: &str, name: &str) -> Vec<String> {
    let start = format!("<meta {attr}=\"{name}\" content=\"");
    html.match_indices(&start)
        .map(|(i, _)| {
            let rest = &html[i + start.len()..];
            rest[..rest.find('"').expect("a closing quote")].to_string()
        })
        .collect()
}

/// The `href` of `<link rel="REL" …>` elements whose attributes contain `with`.
fn links(html: &str, rel: &str, with: &str) -> Vec<String> {
    html.match_indices("<link ")
        .map(|(i, _)| &html[i..i + html[i..].find('>').expect("a closing >")])
        .filter(|tag| tag.contains(&format!("rel=\"{rel}\"")) && tag.contains(with))
        .map(|tag| {
            let h = tag.find("href=\"").expect("an href") + 6;
            tag[h..h + tag[h..].find('"').expect("a closing quote")].to_string()
        })
        .collect()
}

const LV: &str = "https://skola.example.lv/daugavpils/news/budapest-mentorings/";
const EN: &str = "https://skola.example.lv/daugavpils/en/news/budapest-mentorings/";
const COVER: &str = "https://skola.example.lv/daugavpils/news/budapest.jpg";

#[test]
fn a_report_has_its_canonical_url_and_hreflang_alternates() {
    let site = site();
    let lv = site.read("news/budapest-mentorings/index.html");
    assert_eq!(links(&lv, "canonical", ""), [LV]);
    assert_eq!(links(&lv, "alternate", "hreflang=\"lv\""), [LV]);
    assert_eq!(links(&lv, "alternate", "hreflang=\"en\""), [EN]);
    assert_eq!(links(&lv, "alternate", "hreflang=\"x-default\""), [LV]);
    let en = site.read("en/news/budapest-mentorings/index.html");
    assert_eq!(links(&en, "canonical", ""), [EN]);
    assert_eq!(links(&en, "alternate", "hreflang=\"en\""), [EN]);
    assert_eq!(links(&en, "alternate", "hreflang=\"lv\""), [LV]);
    assert_eq!(links(&en, "alternate", "hreflang=\"x-default\""), [LV]);
}

#[test]
fn a_report_has_open_graph_and_twitter_cards_with_an_absolute_image() {
    let site = site();
    let lv = site.read("news/budapest-mentorings/index.html");
    assert_eq!(
        meta(&lv, "name", "description"),
        ["Ināra Budapeštā apguva mentoringu."]
    );
    assert_eq!(
        meta(&lv, "property", "og:title"),
        ["Mentorings – rīks &amp; kopiena"]
    );
    assert_eq!(
        meta(&lv, "property", "og:description"),
        ["Ināra Budapeštā apguva mentoringu."]
    );
    assert_eq!(meta(&lv, "property", "og:url"), [LV]);
    assert_eq!(meta(&lv, "property", "og:type"), ["article"]);
    assert_eq!(meta(&lv, "property", "og:image"), [COVER]);
    assert_eq!(meta(&lv, "property", "og:image:alt"), ["Ķēžu tilts"]);
    assert_eq!(meta(&lv, "property", "og:locale"), ["lv_LV"]);
    assert_eq!(meta(&lv, "property", "og:locale:alternate"), ["en_GB"]);
    assert_eq!(meta(&lv, "property", "og:site_name"), ["Testa skola"]);
    assert_eq!(meta(&lv, "name", "twitter:card"), ["summary_large_image"]);
    assert_eq!(meta(&lv, "name", "twitter:image"), [COVER]);
    assert_eq!(
        meta(&lv, "name", "twitter:title"),
        ["Mentorings – rīks &amp; kopiena"]
    );

    let en = site.read("en/news/budapest-mentorings/index.html");
    assert_eq!(meta(&en, "property", "og:locale"), ["en_GB"]);
    assert_eq!(meta(&en, "property", "og:locale:alternate"), ["lv_LV"]);
    assert_eq!(meta(&en, "property", "og:image"), [COVER]);
    assert_eq!(
        meta(&en, "name", "description"),
        ["Ināra learned mentoring in Budapest."]
    );
}

#[test]
fn a_page_without_a_cover_gets_a_summary_card_and_every_page_a_favicon() {
    let site = site();
    let tags = site.read("tags/index.html");
    assert_eq!(meta(&tags, "name", "twitter:card"), ["summary"]);
    assert!(meta(&tags, "property", "og:image").is_empty());
    assert_eq!(
        links(&tags, "canonical", ""),
        ["https://skola.example.lv/daugavpils/tags/"]
    );
    assert_eq!(
        links(&tags, "alternate", "hreflang=\"en\""),
        ["https://skola.example.lv/daugavpils/en/tags/"]
    );
    for page in [
        "index.html",
        "tags/index.html",
        "search/index.html",
        "en/news/budapest-mentorings/index.html",
    ] {
        let html = site.read(page);
        assert_eq!(
            links(&html, "icon", ""),
            ["/daugavpils/favicon.svg"],
            "{page}"
        );
        assert_eq!(meta(&html, "name", "description").len(), 1, "{page}");
    }
    assert!(site.exists("favicon.svg"));
}
