//! `lapa build`: a school's Markdown reports become a complete news site.

use crate::common;

use common::*;

fn two_language_site() -> TestSite {
    let site = TestSite::new();
    site.write("content/projects/kompetents-iii.md", PROJECT)
        .write("content/news/_index.md", "---\ntitle: Jaunumi\n---\nSkolas jaunumi.\n")
        .write("content/news/_index.en.md", "---\ntitle: News\n---\nSchool news.\n")
        .report(
            "news/2024-03-28-mentorings-kā-rīks.md",
            "Mentorings – rīks skolas kopienas stiprināšanai",
            "2024-03-28",
            "authors: [Ināra Jasvina]\ntags: [mentorings, koučings, Ķīmija]\nproject: kompetents-iii\n",
            "Pirmā rindkopa par Budapeštu.\n\nSkatīt arī [konferenci](2026-02-27-konference.md).",
        )
        .report(
            "news/2024-03-28-mentorings-kā-rīks.en.md",
            "Mentoring – a tool for the school community",
            "2024-03-28",
            "tags: [mentoring]\nproject: kompetents-iii\n",
            "First paragraph about Budapest.\n\nSee also [the conference](@/news/2026-02-27-konference.md).",
        )
        .report("news/2026-02-27-konference.md", "Metodiķu konference", "2026-02-27", "", "Konference Rīgā.")
        .report("news/2026-02-27-konference.en.md", "Methodologists' conference", "2026-02-27", "", "A conference in Riga.")
        .write("content/pieklustamiba.md", "---\ntitle: Paziņojums par piekļūstamību\n---\nMēs rūpējamies.\n")
        .write("content/news/budapest.jpg", "not really a jpeg");
    site
}

#[test]
fn every_page_type_exists_in_both_languages() {
    let site = two_language_site();
    site.build(&[]);
    for prefix in ["", "en/"] {
        for page in [
            "index.html",
            "news/index.html",
            "news/mentorings-ka-riks/index.html",
            "tags/index.html",
            "archive/index.html",
            "archive/2024/index.html",
            "projects/index.html",
            "projects/kompetents-iii/index.html",
            "projects/kompetents-iii/atom.xml",
            "search/index.html",
            "atom.xml",
        ] {
            assert!(
                site.exists(&format!("{prefix}{page}")),
                "{prefix}{page} is missing"
            );
        }
    }
    for file in [
        "pieklustamiba/index.html",
        "tags/kimija/index.html",
        "tags/koucings/index.html",
        "en/tags/mentoring/index.html",
        "sitemap.xml",
        "robots.txt",
        "404.html",
        "news/budapest.jpg",
        "projects/kompetents-iii/dissemination.csv",
        "projects/kompetents-iii/dissemination.json",
    ] {
        assert!(site.exists(file), "{file} is missing");
    }
    assert_eq!(site.read("news/budapest.jpg"), "not really a jpeg");
}

#[test]
fn diacritics_survive_in_titles_and_tags_and_leave_slugs() {
    let site = two_language_site();
    site.build(&[]);
    let report = site.read("news/mentorings-ka-riks/index.html");
    assert!(report.contains("Mentorings – rīks skolas kopienas stiprināšanai"));
    assert!(report.contains("koučings"));
    assert!(
        report.contains("href=\"/tags/koucings/\""),
        "tag link missing"
    );
    let tag = site.read("tags/kimija/index.html");
    assert!(tag.contains("Ķīmija"));
    assert!(tag.contains("href=\"/news/mentorings-ka-riks/\""));
}

#[test]
fn translations_link_to_each_other_and_carry_their_language() {
    let site = two_language_site();
    site.build(&[]);
    let lv = site.read("news/mentorings-ka-riks/index.html");
    let en = site.read("en/news/mentorings-ka-riks/index.html");
    assert!(lv.contains("<html lang=\"lv\""), "lv lang attribute");
    assert!(en.contains("<html lang=\"en\""), "en lang attribute");
    assert!(
        lv.contains("href=\"/en/news/mentorings-ka-riks/\""),
        "lv → en link"
    );
    assert!(
        en.contains("href=\"/news/mentorings-ka-riks/\""),
        "en → lv link"
    );
    assert!(lv.contains("hreflang=\"en\""));
    assert!(en.contains("hreflang=\"lv\""));
}

#[test]
fn dates_read_in_the_pages_language() {
    let site = two_language_site();
    site.build(&[]);
    assert!(
        site.read("news/mentorings-ka-riks/index.html")
            .contains("2024. gada 28. marts")
    );
    assert!(
        site.read("en/news/mentorings-ka-riks/index.html")
            .contains("28 March 2024")
    );
    assert!(site.read("index.html").contains("2026. gada 27. februāris"));
}

#[test]
fn links_to_content_files_become_the_pages_urls_in_the_right_language() {
    let site = two_language_site();
    site.build(&[]);
    let lv = site.read("news/mentorings-ka-riks/index.html");
    assert!(
        lv.contains("href=\"/news/konference/\""),
        "relative .md link"
    );
    let en = site.read("en/news/mentorings-ka-riks/index.html");
    assert!(
        en.contains("href=\"/en/news/konference/\""),
        "@/ link picks the translation"
    );
    assert!(lv.contains("src=\"/news/budapest.jpg\"") || !lv.contains("budapest.jpg"));
}

#[test]
fn pagination_stops_at_the_last_page() {
    let site = TestSite::new();
    for day in 1..=5 {
        site.report(
            &format!("news/2024-01-0{day}-zina-{day}.md"),
            &format!("Ziņa {day}"),
            &format!("2024-01-0{day}"),
            "",
            "Teksts.",
        );
    }
    site.build(&[]);
    let first = site.read("index.html");
    assert!(first.contains("Ziņa 5") && first.contains("Ziņa 4") && !first.contains("Ziņa 3"));
    assert!(first.contains("href=\"/page/2/\""));
    let third = site.read("page/3/index.html");
    assert!(third.contains("Ziņa 1") && !third.contains("Ziņa 2"));
    assert!(!site.exists("page/4/index.html"));
    assert!(
        !site.exists("page/1/index.html"),
        "page 1 is the home page itself"
    );
    assert!(site.exists("news/page/3/index.html"));
}

#[test]
fn drafts_and_future_pages_are_left_out_unless_asked_for() {
    let site = TestSite::new();
    site.report(
        "news/2024-01-01-publiska.md",
        "Publiska ziņa",
        "2024-01-01",
        "",
        "Teksts.",
    )
    .report(
        "news/2024-01-02-melnraksts.md",
        "Melnraksta ziņa",
        "2024-01-02",
        "draft: true\n",
        "Teksts.",
    )
    .report(
        "news/2099-01-01-nakotne.md",
        "Nākotnes ziņa",
        "2099-01-01",
        "",
        "Teksts.",
    );
    site.build(&[]);
    for file in [
        "index.html",
        "news/index.html",
        "atom.xml",
        "sitemap.xml",
        "archive/2024/index.html",
    ] {
        let text = site.read(file);
        assert!(
            text.contains("publiska") || text.contains("Publiska"),
            "{file}: the published page"
        );
        assert!(
            !text.contains("Melnraksta ziņa") && !text.contains("melnraksts"),
            "{file}: a draft"
        );
        assert!(
            !text.contains("Nākotnes ziņa") && !text.contains("nakotne"),
            "{file}: the future"
        );
    }
    assert!(!site.exists("news/melnraksts/index.html"));
    assert!(!site.exists("archive/2099/index.html"));
    assert!(!site.read("archive/index.html").contains("2099"));

    site.build(&["--drafts"]);
    assert!(site.exists("news/melnraksts/index.html"));
    assert!(site.exists("news/nakotne/index.html"));
    assert!(site.read("index.html").contains("Melnraksta ziņa"));
}

#[test]
fn markup_in_front_matter_arrives_escaped() {
    let site = TestSite::new();
    site.report(
        "news/2024-01-01-xss.md",
        "<script>alert(1)</script> & co",
        "2024-01-01",
        "tags: [\"<b>birka</b>\"]\nsummary: \"<img src=x onerror=alert(1)>\"\n",
        "Teksts.",
    );
    site.build(&[]);
    for file in [
        "news/xss/index.html",
        "index.html",
        "tags/b-birka-b/index.html",
    ] {
        let html = site.read(file);
        assert!(
            !html.contains("<script>alert(1)"),
            "{file} has a live script"
        );
        assert!(!html.contains("<img src=x"), "{file} has a live img");
        assert!(
            !html.contains("<b>birka"),
            "{file} has live markup from a tag"
        );
    }
    assert!(
        site.read("news/xss/index.html")
            .contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co")
    );
    let atom = site.read("atom.xml");
    roxmltree::Document::parse(&atom).expect("the feed is well-formed XML");
    assert!(atom.contains("&lt;script&gt;"));
}

#[test]
fn feeds_and_sitemap_are_well_formed_with_absolute_urls() {
    let site = two_language_site();
    site.build(&[]);
    for file in [
        "atom.xml",
        "en/atom.xml",
        "sitemap.xml",
        "projects/kompetents-iii/atom.xml",
    ] {
        let text = site.read(file);
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        let urls: Vec<&str> = doc
            .descendants()
            .filter_map(|n| match n.tag_name().name() {
                "loc" | "id" => n.text(),
                "link" => n.attribute("href"),
                _ => None,
            })
            .collect();
        assert!(!urls.is_empty(), "{file} has URLs");
        for url in urls {
            assert!(
                url.starts_with("https://skola.example.lv/"),
                "{file}: {url} is not absolute"
            );
        }
    }
    let atom = roxmltree::Document::parse(&site.read("atom.xml")).map(|d| {
        d.root_element()
            .children()
            .filter(|n| n.has_tag_name("entry"))
            .count()
    });
    assert_eq!(
        atom.ok(),
        Some(2),
        "two Latvian reports in the Latvian feed"
    );
}

#[test]
fn a_sub_path_base_url_prefixes_every_link() {
    let site = two_language_site();
    site.build(&["--base-url", "https://example.lv/skola/"]);
    let html = site.read("news/mentorings-ka-riks/index.html");
    assert!(html.contains("href=\"/skola/en/news/mentorings-ka-riks/\""));
    assert!(html.contains("href=\"/skola/news/konference/\""));
    assert!(html.contains("href=\"/skola/tags/koucings/\""));
    assert!(
        !html.contains("href=\"/news/"),
        "a link escaped the sub-path"
    );
    assert!(
        site.read("sitemap.xml")
            .contains("<loc>https://example.lv/skola/news/mentorings-ka-riks/</loc>")
    );
}

#[test]
fn a_sites_own_template_overrides_the_themes() {
    let site = two_language_site();
    site.write(
        "templates/page.html",
        "<!doctype html><html lang=\"{{ lang }}\"><body><main><h1 class=\"mine\">{{ page.title }}</h1></main></body></html>",
    );
    site.build(&[]);
    assert!(
        site.read("pieklustamiba/index.html")
            .contains("<h1 class=\"mine\">Paziņojums par piekļūstamību</h1>")
    );
}

#[test]
fn a_section_index_gives_a_title_and_defaults() {
    let site = TestSite::new();
    site.write("content/projects/kompetents-iii.md", PROJECT)
        .write(
            "content/mobilitate/_index.md",
            "---\ntitle: Mobilitāte\nproject: kompetents-iii\ntags: [erasmus]\n---\n",
        )
        .report(
            "mobilitate/2024-05-01-somija.md",
            "Ēnošana Somijā",
            "2024-05-01",
            "",
            "Teksts.",
        );
    site.build(&[]);
    let html = site.read("mobilitate/somija/index.html");
    assert!(html.contains("href=\"/tags/erasmus/\""), "inherited tag");
    assert!(
        html.contains("data-eu-funding=\"2023-1-LV01-KA121-SCH-000138745\""),
        "inherited project"
    );
    assert!(site.read("mobilitate/index.html").contains("Mobilitāte"));
}

#[test]
fn the_example_site_builds() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().expect("temp");
    let output = out.path().join("public");
    let result = assert_cmd::Command::cargo_bin("lapa")
        .expect("binary")
        .env("LAPA_LANG", "en")
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(&output)
        .output()
        .expect("runs");
    assert!(result.status.success(), "{}", stderr(&result));
    assert!(output.join("news/budapest-mentorings/index.html").exists());
    assert!(
        output
            .join("en/news/budapest-mentorings/index.html")
            .exists()
    );
}

#[test]
fn building_twice_gives_byte_identical_output() {
    let site = two_language_site();
    site.build(&[]);
    let first = snapshot(&site.public());
    let elsewhere = tempfile::tempdir().expect("temp");
    let other = elsewhere.path().join("out");
    site.build(&["--output", other.to_str().expect("utf-8")]);
    assert_eq!(
        snapshot(&other),
        first,
        "a second build from scratch differs"
    );
}

#[test]
fn unchanged_files_are_taken_over_not_rewritten() {
    use std::os::unix::fs::MetadataExt;
    let site = two_language_site();
    site.build(&[]);
    let inode = |rel: &str| std::fs::metadata(site.public().join(rel)).expect(rel).ino();
    let (report, other) = (
        inode("news/mentorings-ka-riks/index.html"),
        inode("pieklustamiba/index.html"),
    );
    site.write(
        "content/pieklustamiba.md",
        "---\ntitle: Paziņojums par piekļūstamību\n---\nMēs rūpējamies vēl vairāk.\n",
    );
    let out = site.build(&[]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("unchanged"));
    assert_eq!(
        inode("news/mentorings-ka-riks/index.html"),
        report,
        "an unchanged page was rewritten"
    );
    assert_ne!(
        inode("pieklustamiba/index.html"),
        other,
        "a changed page was not written"
    );
    assert!(site.read("pieklustamiba/index.html").contains("vēl vairāk"));
}

#[test]
fn a_file_changed_in_the_output_by_hand_is_put_back() {
    let site = two_language_site();
    // Twice, so both the output and the kept previous output are on record.
    site.build(&[]);
    site.build(&[]);
    let page = "news/mentorings-ka-riks/index.html";
    let good = site.read(page);
    for folder in [site.public(), site.path().join(".public.lapa-previous")] {
        // The same size, so only the record's modification time can tell.
        let edited = good.replacen("<html", "<HTML", 1);
        assert_eq!(edited.len(), good.len());
        std::fs::write(folder.join(page), &edited).expect("edit by hand");
    }
    for build in ["first", "second"] {
        site.build(&[]);
        assert!(
            site.read(page) == good,
            "the hand edit survived the {build} build"
        );
    }
}

#[test]
fn a_series_of_edits_gives_the_same_output_as_a_fresh_build() {
    let site = two_language_site();
    let fresh = |site: &TestSite| {
        let dir = tempfile::tempdir().expect("temp");
        let out = dir.path().join("out");
        site.build(&["--output", out.to_str().expect("utf-8")]);
        (dir, snapshot(&out))
    };
    let edits: [&dyn Fn(&TestSite); 8] = [
        &|s| {
            s.write(
                "content/pieklustamiba.md",
                "---\ntitle: Piekļūstamība\n---\nJauns teksts.\n",
            );
        },
        &|s| {
            std::fs::remove_file(s.path().join("content/news/2026-02-27-konference.en.md"))
                .expect("delete");
        },
        &|s| {
            std::fs::rename(
                s.path().join("content/pieklustamiba.md"),
                s.path().join("content/pieejamiba.md"),
            )
            .expect("rename");
        },
        &|s| {
            s.report(
                "news/2024-05-01-jauna.md",
                "Jauna ziņa",
                "2024-05-01",
                "tags: [jauna]\n",
                "Teksts.",
            );
        },
        &|s| {
            s.write("content/news/budapest.jpg", "another picture");
        },
        &|s| {
            s.write("content/news/programma.pdf", "%PDF-1.4 a programme");
        },
        &|s| {
            std::fs::remove_file(s.path().join("content/news/programma.pdf")).expect("delete");
        },
        &|s| {
            std::fs::remove_file(s.path().join("content/news/2024-05-01-jauna.md"))
                .expect("delete");
        },
    ];
    site.build(&[]);
    for edit in edits {
        edit(&site);
        site.build(&[]);
        let (_keep, expected) = fresh(&site);
        assert_eq!(
            snapshot(&site.public()),
            expected,
            "public/ after an edit differs from a fresh build"
        );
    }
}

#[test]
fn counts_read_by_each_languages_plural_rules() {
    let site = TestSite::new();
    for day in 1..=21 {
        let date = format!("2024-03-{day:02}");
        site.report(
            &format!("news/{date}-zina-{day}.md"),
            "Ziņa",
            &date,
            "tags: [kursi]\n",
            "Teksts.",
        );
        site.report(
            &format!("news/{date}-zina-{day}.en.md"),
            "News",
            &date,
            "tags: [courses]\n",
            "Text.",
        );
    }
    site.build(&[]);
    let lv = site.read("tags/kursi/index.html");
    let en = site.read("en/tags/courses/index.html");
    // Latvian: 21 ends in 1 (not 11), so the singular; English: 21 is plural.
    assert!(
        lv.contains("21 ziņa<") || lv.contains("21 ziņa "),
        "lv tag page: {lv}"
    );
    assert!(
        en.contains("21 reports"),
        "en tag page says: {}",
        en.lines().find(|l| l.contains("21 ")).unwrap_or("")
    );
}

/// Resolve lets each page's Markdown go as soon as its body is rendered: every page still
/// shows its own body, whatever lies around it (plain pages and reports in one folder
/// walk, a draft left out between two reports, the home page's and a section's intros).
#[test]
fn every_page_shows_its_own_body_with_drafts_and_plain_pages_between() {
    let site = TestSite::new();
    site.write(
        "content/_index.md",
        "---\ntitle: Skola\n---\nSākumlapas ievads.\n",
    )
    .write(
        "content/a-lapa.md",
        "---\ntitle: A lapa\n---\nPirmās lapas teksts.\n",
    )
    .write(
        "content/news/_index.md",
        "---\ntitle: Jaunumi\n---\nSadaļas ievads.\n",
    )
    .report(
        "news/2024-01-01-pirmais.md",
        "Pirmais",
        "2024-01-01",
        "",
        "Pirmā ziņa.",
    )
    .report(
        "news/2024-01-02-otrais.md",
        "Otrais",
        "2024-01-02",
        "draft: true\n",
        "Otrā ziņa, melnraksts.",
    )
    .report(
        "news/2024-01-03-tresais.md",
        "Trešais",
        "2024-01-03",
        "",
        "Trešā ziņa.",
    )
    .write(
        "content/z-lapa.md",
        "---\ntitle: Z lapa\n---\nPēdējās lapas teksts.\n",
    );
    site.build(&[]);
    let bodies = [
        ("a-lapa/index.html", "Pirmās lapas teksts."),
        ("news/pirmais/index.html", "Pirmā ziņa."),
        ("news/tresais/index.html", "Trešā ziņa."),
        ("z-lapa/index.html", "Pēdējās lapas teksts."),
        ("index.html", "Sākumlapas ievads."),
        ("news/index.html", "Sadaļas ievads."),
    ];
    for (page, own) in bodies {
        let html = site.read(page);
        assert!(html.contains(own), "{page} does not show {own:?}:\n{html}");
        for (other, text) in bodies {
            if other != page && !["index.html", "news/index.html"].contains(&page) {
                assert!(!html.contains(text), "{page} shows {other}'s {text:?}");
            }
        }
        assert!(!html.contains("melnraksts"), "{page} shows the draft");
    }
    assert!(
        !site.exists("news/otrais/index.html"),
        "the draft is published"
    );
}
