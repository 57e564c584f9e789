//! The search index `lapa build` writes: where it is, what it holds, and that it is the
//! same for the same site. (tests/it/reader.rs searches it in a real browser.)

use crate::common;

use common::{PROJECT, TestSite, snapshot};

fn site() -> TestSite {
    let site = TestSite::new();
    site.write("content/projects/kompetents.md", PROJECT)
        .report(
            "news/2024-03-28-budapest.md",
            "Mentorings Budapeštā",
            "2024-03-28",
            "project: kompetents\ntags: [Koučings]\nmobility: { activity: course, place: \"Budapešta, Ungārija\" }\n",
            "Skolotāji mācījās **kopā**.",
        )
        .report(
            "news/2024-03-28-budapest.en.md",
            "Mentoring in Budapest",
            "2024-03-28",
            "",
            "Teachers learned together.",
        )
        .report(
            "news/2025-01-10-drafts.md",
            "Melnraksts <script>",
            "2025-01-10",
            "draft: true\n",
            "Slepens teksts.",
        );
    site
}

fn json(site: &TestSite, rel: &str) -> serde_json::Value {
    serde_json::from_str(&site.read(rel)).expect("valid JSON")
}

#[test]
fn each_language_gets_its_index_under_the_base_path() {
    let site = site();
    site.build(&["--base-url", "https://skola.example.lv/daugavpils/"]);
    let page = site.read("search/index.html");
    assert!(
        page.contains("data-search-index=\"/daugavpils/search/lv/\""),
        "{page}"
    );
    assert!(
        page.contains("src=\"/daugavpils/search.js\" defer"),
        "{page}"
    );
    let en = site.read("en/search/index.html");
    assert!(en.contains("data-search-index=\"/daugavpils/search/en/\""));

    // The report, then the project: published pages of the language only.
    let meta = json(&site, "search/lv/meta.json");
    assert_eq!(meta["docs"], 2, "{meta}");
    let report = json(&site, "search/lv/d/0.json");
    assert_eq!(report["url"], "/daugavpils/news/budapest/");
    assert_eq!(report["title"], "Mentorings Budapeštā");
    assert_eq!(report["date"], "2024-03-28");
    assert_eq!(report["date_display"], "2024. gada 28. marts");
    assert_eq!(report["text"], "Skolotāji mācījās kopā.");
    let project = json(&site, "search/lv/d/1.json");
    assert_eq!(project["url"], "/daugavpils/projects/kompetents/");
    let en = json(&site, "search/en/d/0.json");
    assert_eq!(en["url"], "/daugavpils/en/news/budapest/");
    assert!(en.get("lang").is_none(), "{en}");
    // The project's description is Latvian on the English side too, and says so.
    let en_project = json(&site, "search/en/d/1.json");
    assert_eq!(en_project["url"], "/daugavpils/en/projects/kompetents/");
    assert_eq!(en_project["lang"], "lv");
}

#[test]
fn words_are_folded_and_tags_and_places_are_found() {
    let site = site();
    site.build(&[]);
    let bu = json(&site, "search/lv/w/bu.json");
    // In the title, and so in all three lists.
    assert_eq!(bu["budapesta"].as_array().map(Vec::len), Some(3), "{bu}");
    let un = json(&site, "search/lv/w/un.json");
    assert!(un.get("ungarija").is_some(), "the mobility's place: {un}");
    let ko = json(&site, "search/lv/w/ko.json");
    assert!(ko.get("koucings").is_some(), "the tag: {ko}");
    assert!(ko.get("kopa").is_some(), "bold text: {ko}");
    let sk = json(&site, "search/lv/w/sk.json");
    assert!(sk.get("skolotaji").is_some(), "{sk}");
    // The draft is not published, so not searchable.
    assert!(!site.exists("search/lv/w/sl.json"));
}

#[test]
fn drafts_are_searchable_only_when_built_with_drafts() {
    let site = site();
    site.build(&["--drafts"]);
    let sl = json(&site, "search/lv/w/sl.json");
    assert!(sl.get("slepens").is_some(), "{sl}");
    let draft = json(&site, "search/lv/d/0.json");
    assert_eq!(draft["title"], "Melnraksts <script>");
}

#[test]
fn the_same_site_gives_the_same_index() {
    let site = site();
    site.build(&[]);
    let first = snapshot(&site.public().join("search"));
    site.build(&[]);
    assert_eq!(first, snapshot(&site.public().join("search")));
    assert!(first.len() > 5);
}

/// `lapa build` lets each body go once its page and the search index have both read it.
/// With more reports than either reads at once (a block of pages, a chunk of the index),
/// in two languages and with a plain page, every report's page and every search document
/// still hold their own text, never another page's or none.
#[test]
fn every_page_and_search_document_of_a_large_build_has_its_own_text() {
    let site = TestSite::new();
    let reports: usize = 1300;
    for i in 0..reports {
        let date = format!(
            "{}-{:02}-{:02}",
            2000 + i / 336,
            i / 28 % 12 + 1,
            i % 28 + 1
        );
        site.report(
            &format!("news/{date}-r{i}.md"),
            &format!("Ziņa {i}"),
            &date,
            "",
            &format!("Teksts ar vārdu zīme{i}x."),
        );
        if i % 3 == 0 {
            site.report(
                &format!("news/{date}-r{i}.en.md"),
                &format!("News {i}"),
                &date,
                "",
                &format!("Text with the word mark{i}x."),
            );
        }
    }
    site.write(
        "content/par-skolu.md",
        "---\ntitle: Par skolu\n---\nSkolas apraksts ar vārdu skolaszīme.\n",
    );
    site.build(&[]);

    for i in 0..reports {
        let page = site.read(&format!("news/r{i}/index.html"));
        assert!(page.contains(&format!("zīme{i}x")), "news/r{i}/: {page}");
        if i % 3 == 0 {
            let page = site.read(&format!("en/news/r{i}/index.html"));
            assert!(page.contains(&format!("mark{i}x")), "en/news/r{i}/: {page}");
        }
    }
    assert!(site.read("par-skolu/index.html").contains("skolaszīme"));

    for (lang, prefix, mark, docs) in [
        ("lv", "/news/r", "zīme", reports + 1),
        ("en", "/en/news/r", "mark", reports.div_ceil(3)),
    ] {
        let meta = json(&site, &format!("search/{lang}/meta.json"));
        assert_eq!(meta["docs"], docs, "{meta}");
        for n in 0..docs {
            let doc = json(&site, &format!("search/{lang}/d/{n}.json"));
            let url = doc["url"].as_str().expect("a URL");
            let text = doc["text"].as_str().expect("a text");
            let want = match url.strip_prefix(prefix) {
                Some(i) => format!("{mark}{}x", i.trim_end_matches('/')),
                None => "skolaszīme".to_string(),
            };
            assert!(text.contains(&want), "{lang} {n} {url}: {text}");
        }
    }
}
