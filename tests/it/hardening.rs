//! Hardening: every output file is claimed once, old addresses redirect (`aliases:`),
//! and no title, tag, file name, link or YAML trick breaks a URL, a feed or the disk.

use crate::common;

use common::*;

/// A build that must fail with exit code 1; its messages.
fn fails(site: &TestSite) -> String {
    let out = site.lapa(&["build"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "exit code; stderr:\n{}",
        stderr(&out)
    );
    stderr(&out)
}

/// Every file under public/, relative, with `/` separators.
fn files(site: &TestSite) -> Vec<String> {
    walkdir::WalkDir::new(site.public())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(site.public())
                .expect("under public/")
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect()
}

#[test]
fn an_alias_is_a_small_redirect_page_kept_out_of_lists() {
    let site = TestSite::new();
    site.report(
        "news/2024-03-28-mentorings.md",
        "Mentorings <Budapeštā>",
        "2024-03-28",
        "aliases: [/2024/03/28/mentorings/, \"/?p=123\", /vecais/raksts.html, /m%C4%81c%C4%ABbas]\n",
        "Teksts.",
    );
    site.build(&[]);
    let page = site.read("2024/03/28/mentorings/index.html");
    assert!(
        page.contains(r#"<meta http-equiv="refresh" content="0; url=/news/mentorings/">"#),
        "{page}"
    );
    assert!(
        page.contains(r#"<link rel="canonical" href="https://skola.example.lv/news/mentorings/">"#),
        "{page}"
    );
    assert!(
        page.contains(r#"<meta name="robots" content="noindex">"#),
        "{page}"
    );
    assert!(
        page.contains(r#"<a href="/news/mentorings/">Mentorings &lt;Budapeštā&gt;</a>"#),
        "{page}"
    );
    assert!(page.contains(r#"<html lang="lv">"#), "{page}");
    assert!(site.exists("vecais/raksts.html"));
    assert!(site.exists("mācības/index.html"));
    // A query cannot be a static file: nothing is written for it, and nothing else moves.
    assert!(!site.read("index.html").contains("refresh"));
    for (file, old) in [
        ("sitemap.xml", "2024/03/28"),
        ("atom.xml", "2024/03/28"),
        ("news/index.html", "2024/03/28"),
        ("tags/index.html", "2024/03/28"),
    ] {
        assert!(!site.read(file).contains(old), "{file} lists the alias");
    }
    let search: Vec<String> = files(&site)
        .into_iter()
        .filter(|f| f.starts_with("search/") && f.ends_with(".json"))
        .collect();
    assert!(!search.is_empty());
    for f in search {
        assert!(!site.read(&f).contains("2024/03/28"), "{f} has the alias");
    }
}

#[test]
fn two_pages_claiming_one_alias_name_both_files() {
    let site = TestSite::new();
    site.report(
        "news/2024-01-01-a.md",
        "A",
        "2024-01-01",
        "aliases: [/vecais/]\n",
        "A.",
    )
    .report(
        "news/2024-01-02-b.md",
        "B",
        "2024-01-02",
        "aliases:\n  - /Vecais/\n",
        "B.",
    );
    let err = fails(&site);
    assert!(
        err.contains("2024-01-01-a.md") && err.contains("2024-01-02-b.md"),
        "{err}"
    );
    assert!(err.contains("vecais/index.html"), "{err}");
}

#[test]
fn an_alias_on_a_real_pages_address_names_both_files() {
    let site = TestSite::new();
    site.report("news/2024-01-01-a.md", "A", "2024-01-01", "", "A.")
        .report(
            "news/2024-01-02-b.md",
            "B",
            "2024-01-02",
            "aliases: [/news/a/]\n",
            "B.",
        );
    let err = fails(&site);
    assert!(
        err.contains("content/news/2024-01-02-b.md:4:")
            && err.contains("content/news/2024-01-01-a.md"),
        "{err}"
    );
    let site = TestSite::new();
    site.report(
        "news/2024-01-01-a.md",
        "A",
        "2024-01-01",
        "aliases: [/tags/x/]\n",
        "A.",
    );
    assert!(fails(&site).contains("/tags/"));
}

#[test]
fn an_alias_that_climbs_or_is_not_a_site_path_is_refused() {
    for alias in [
        "/../../etc/",
        "/a/%2e%2e/%2e%2e/b/",
        "vecais/",
        "https://old.example.lv/x/",
    ] {
        let site = TestSite::new();
        site.report(
            "news/2024-01-01-a.md",
            "A",
            "2024-01-01",
            &format!("aliases: [\"{alias}\"]\n"),
            "A.",
        );
        let err = fails(&site);
        assert!(
            err.contains("content/news/2024-01-01-a.md:4:"),
            "{alias}: {err}"
        );
        assert!(err.contains(alias), "{alias}: {err}");
    }
}

#[test]
fn yaml_aliases_may_not_blow_a_small_front_matter_up() {
    let site = TestSite::new();
    let long = "Ināra ".repeat(2_000);
    let authors = vec!["*a"; 1_000].join(", ");
    site.write(
        "content/news/2024-01-01-a.md",
        &format!("---\ntitle: A\ndate: 2024-01-01\nsummary: &a \"{long}\"\nauthors: [{authors}]\n---\nA.\n"),
    );
    let err = fails(&site);
    assert!(err.contains("content/news/2024-01-01-a.md:2:"), "{err}");
    assert!(err.contains("aliases (`*name`)"), "{err}");
    assert!(!site.public().exists());
}

#[test]
fn feeds_drop_code_points_xml_forbids() {
    let site = TestSite::new();
    site.write("content/projects/kompetents.md", PROJECT)
        .report(
            "news/2024-01-01-a.md",
            "Mentorings\\uFFFF Budapeštā\\uFFFE",
            "2024-01-01",
            "project: kompetents\n",
            "Teksts \u{FFFF}ar\u{FFFE} zīmēm.",
        );
    site.build(&[]);
    for feed in ["atom.xml", "projects/kompetents/atom.xml", "sitemap.xml"] {
        let xml = site.read(feed);
        let doc = roxmltree::Document::parse(&xml)
            .unwrap_or_else(|e| panic!("{feed} is not well-formed: {e}"));
        if feed.ends_with("atom.xml") {
            let title = doc
                .descendants()
                .filter(|n| n.has_tag_name("title"))
                .nth(1)
                .and_then(|n| n.text())
                .unwrap_or_default()
                .to_string();
            assert_eq!(title, "Mentorings Budapeštā", "{feed}");
            assert!(xml.contains("Teksts ar zīmēm."), "{feed}");
        }
    }
}

#[test]
fn script_and_data_links_are_dropped_with_a_warning_keeping_the_text() {
    let site = TestSite::new();
    site.report(
        "news/2024-01-01-a.md",
        "A",
        "2024-01-01",
        "",
        "Ievads.\n\n[Spied šeit](javascript:alert(document.cookie)) un [šeit](VBScript:msgbox) un [te](data:text/html;base64,PHNjcmlwdD4=) un [labā](https://example.lv/).",
    );
    let out = site.build(&[]);
    let page = site.read("news/a/index.html");
    assert!(!page.to_lowercase().contains("script:"), "{page}");
    assert!(!page.contains("data:text"), "{page}");
    assert!(
        page.contains(
            "<p>Spied šeit un šeit un te un <a href=\"https://example.lv/\">labā</a>.</p>"
        ),
        "{page}"
    );
    let err = stderr(&out);
    assert_eq!(
        err.matches("content/news/2024-01-01-a.md:7: warning:")
            .count(),
        3,
        "{err}"
    );
    assert!(err.contains("javascript:alert(document.cookie)"), "{err}");
    let check = site.lapa(&["check"]);
    assert!(
        stderr(&check).contains("content/news/2024-01-01-a.md:7: warning:"),
        "{}",
        stderr(&check)
    );
}

#[test]
fn a_section_or_page_at_a_language_home_is_an_error_naming_both() {
    let site = TestSite::new();
    site.report("en/2024-01-01-a.md", "A", "2024-01-01", "", "A.");
    let err = fails(&site);
    assert!(err.contains("content/en"), "{err}");
    assert!(err.contains("home page of the language `en`"), "{err}");

    for (file, front) in [("content/en.md", ""), ("content/par.md", "slug: en\n")] {
        let site = TestSite::new();
        site.write(file, &format!("---\ntitle: En\n{front}---\nX.\n"));
        let err = fails(&site);
        assert!(err.contains(file), "{err}");
        assert!(err.contains("home page of the language `en`"), "{err}");
        assert!(err.contains("en/index.html"), "{err}");
    }
}

#[test]
fn folders_differing_only_in_case_or_a_trailing_space_are_one_address() {
    for other in ["NEWS", "news "] {
        let site = TestSite::new();
        site.report("news/2024-01-01-a.md", "A", "2024-01-01", "", "A.")
            .report(
                &format!("{other}/2024-01-02-b.md"),
                "B",
                "2024-01-02",
                "",
                "B.",
            );
        let err = fails(&site);
        assert!(
            err.contains(&format!("content/{other}")) && err.contains("content/news`"),
            "{other}: {err}"
        );
    }
    let site = TestSite::new();
    site.report("news/2024-01-01-Labs.md", "A", "2024-01-01", "", "A.")
        .report("news/2024-01-02-labs.md", "B", "2024-01-02", "", "B.");
    let err = fails(&site);
    assert!(
        err.contains("2024-01-01-Labs.md") && err.contains("2024-01-02-labs.md"),
        "{err}"
    );
}

/// Bytes under `dir`.
fn total_bytes(dir: &std::path::Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

/// A site whose one report has `n` tags, built; its output's size and its largest tag page's.
fn site_with_tags(n: usize) -> (u64, u64) {
    let site = TestSite::new();
    let tags: Vec<String> = (0..n).map(|i| format!("temats-{i}")).collect();
    site.report(
        "news/2024-01-01-a.md",
        "A",
        "2024-01-01",
        &format!("tags: [{}]\n", tags.join(", ")),
        "Teksts.",
    );
    site.build(&[]);
    let largest_tag_page = (0..n)
        .map(|i| {
            std::fs::metadata(site.public().join(format!("tags/temats-{i}/index.html")))
                .expect("a tag page")
                .len()
        })
        .max()
        .unwrap_or(0);
    (total_bytes(&site.public()), largest_tag_page)
}

#[test]
fn output_grows_linearly_with_the_tags_of_a_report() {
    let (small, small_page) = site_with_tags(1_000);
    let (large, large_page) = site_with_tags(3_000);
    // Three times the tags: three times the output (plus what every site has), not nine.
    assert!(
        large < small * 35 / 10,
        "1,000 tags: {small} bytes; 3,000 tags: {large} bytes"
    );
    // A tag page's size does not depend on how many other tags there are.
    assert!(
        large_page < small_page + small_page / 20,
        "largest tag page: {small_page} bytes with 1,000 tags, {large_page} with 3,000"
    );
}

#[test]
fn decomposed_letters_make_one_slug_and_one_tag() {
    let site = TestSite::new();
    // "mācības" as a Mac writes file names: letters and combining macrons.
    let nfd = "ma\u{304}ci\u{304}bas";
    site.report(
        &format!("news/2024-01-01-{nfd}.md"),
        &format!("Par {nfd}"),
        "2024-01-01",
        &format!("tags: [{nfd}]\n"),
        "A.",
    )
    .report(
        "news/2024-01-02-cits.md",
        "Cits",
        "2024-01-02",
        "tags: [mācības]\n",
        "B.",
    );
    site.build(&[]);
    assert!(site.exists("news/macibas/index.html"));
    let tags: Vec<String> = files(&site)
        .into_iter()
        .filter(|f| f.starts_with("tags/") && f.ends_with("/index.html") && f != "tags/index.html")
        .collect();
    assert_eq!(tags, ["tags/macibas/index.html"]);
    let tag = site.read("tags/macibas/index.html");
    assert!(tag.contains("Par mācības") && tag.contains("Cits"), "{tag}");
    assert!(!site.read("news/macibas/index.html").contains('\u{304}'));
}

#[test]
fn cyrillic_greek_and_hebrew_titles_tags_and_file_names_get_readable_slugs() {
    let site = TestSite::new();
    site.report(
        "news/2024-01-01-київ.md",
        "Київ",
        "2024-01-01",
        "tags: [Школа, ґанок, Αθήνα, שָׁלוֹם]\n",
        "Текст.",
    )
    .write(
        "content/news/2024-01-02-x.md",
        "---\ntitle: Їжак\ndate: 2024-01-02\nslug: Єнот і їжак\n---\nA.\n",
    );
    site.build(&[]);
    for page in [
        "news/kiiv/index.html",
        "news/ienot-i-izhak/index.html",
        "tags/shkola/index.html",
        "tags/ganok/index.html",
        "tags/athina/index.html",
        "tags/shlvm/index.html",
    ] {
        assert!(site.exists(page), "{page} is missing: {:?}", files(&site));
    }
    // The tag list is in the order of the same spelling: athina, ganok, shkola, shlvm.
    let list = site.read("tags/index.html");
    let at = |t: &str| list.find(t).unwrap_or_else(|| panic!("{t}: {list}"));
    assert!(
        at("/tags/athina/") < at("/tags/ganok/")
            && at("/tags/ganok/") < at("/tags/shkola/")
            && at("/tags/shkola/") < at("/tags/shlvm/"),
        "{list}"
    );
}

#[test]
fn two_copied_files_differing_only_in_case_name_both() {
    let site = TestSite::new();
    site.report("news/2024-01-01-a.md", "A", "2024-01-01", "", "A.")
        .write_bytes("content/news/Foto.JPG", b"one")
        .write_bytes("content/news/foto.jpg", b"two");
    let err = fails(&site);
    assert!(
        err.contains("content/news/Foto.JPG") && err.contains("content/news/foto.jpg"),
        "{err}"
    );
}
