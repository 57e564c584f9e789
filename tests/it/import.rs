//! Import: a school's WordPress export becomes a lapa site.

use crate::common;

use std::path::{Path, PathBuf};

use common::*;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wordpress")
}

/// A site made by `lapa init`, as a school starts one.
fn init_site() -> TestSite {
    let site = TestSite {
        dir: tempfile::tempdir().expect("a temp dir"),
    };
    let out = site.lapa(&["init"]);
    assert!(out.status.success(), "{}", stderr(&out));
    site
}

fn import(site: &TestSite, export: &Path, extra: &[&str]) -> std::process::Output {
    let export = export.to_string_lossy().into_owned();
    let mut args = vec!["import", "wordpress", export.as_str()];
    args.extend_from_slice(extra);
    site.lapa(&args)
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn content(site: &TestSite, rel: &str) -> String {
    let path = site.path().join("content").join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{} is missing: {e}", path.display()))
}

/// A minimal WXR 1.2 export around `items`.
fn wxr(items: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Skola</title>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://skola.lv</wp:base_site_url>
<wp:base_blog_url>https://skola.lv</wp:base_blog_url>
<wp:author><wp:author_login><![CDATA[inara]]></wp:author_login><wp:author_display_name><![CDATA[Ināra Jasvina]]></wp:author_display_name></wp:author>
{items}
</channel>
</rss>
"#
    )
}

/// One post item.
fn post(id: u64, title: &str, name: &str, date: &str, extra: &str, body: &str) -> String {
    format!(
        "<item><title>{title}</title><link>https://skola.lv/{name}/</link><dc:creator><![CDATA[inara]]></dc:creator>\
<content:encoded><![CDATA[{body}]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>\
<wp:post_id>{id}</wp:post_id><wp:post_date><![CDATA[{date}]]></wp:post_date><wp:post_date_gmt><![CDATA[{date}]]></wp:post_date_gmt>\
<wp:post_name><![CDATA[{name}]]></wp:post_name><wp:status><![CDATA[publish]]></wp:status><wp:post_parent>0</wp:post_parent>\
<wp:post_type><![CDATA[post]]></wp:post_type><wp:post_password><![CDATA[]]></wp:post_password>{extra}</item>\n"
    )
}

fn write_export(site: &TestSite, text: &str) -> PathBuf {
    // Outside content/: an export is not part of the site.
    let path = site.path().join("eksports.xml");
    std::fs::write(&path, text).expect("write the export");
    path
}

#[test]
fn a_real_wordpress_export_becomes_a_compliant_site() {
    let site = init_site();
    let uploads = fixture().join("uploads");
    let out = import(
        &site,
        &fixture().join("skola.WordPress.xml"),
        &["--uploads", uploads.to_str().expect("utf-8 path")],
    );
    let report = stdout(&out);
    assert!(out.status.success(), "{report}{}", stderr(&out));

    // Reports, with Latvian letters and titles intact, dates with their zone.
    let mentorings = content(&site, "news/2024-03-28-mentorings-riks.md");
    assert!(
        mentorings.contains("title: \"Mentorings – rīks skolas kopienas stiprināšanai\""),
        "{mentorings}"
    );
    assert!(
        mentorings.contains("date: \"2024-03-28T10:15:00Z\""),
        "{mentorings}"
    );
    assert!(
        mentorings.contains("authors: [\"Ināra Jasvina\"]"),
        "{mentorings}"
    );
    assert!(
        mentorings.contains("tags: [\"Erasmus+\", \"koučings\", \"mentorings\"]"),
        "{mentorings}"
    );
    assert!(mentorings.contains("summary: \"Ko skolotāja mācījās kursā Budapeštā.\""));
    assert!(
        mentorings.contains("cover: { src: \"foto1.jpg\", alt: \"Kursa dalībnieki Budapeštā\" }"),
        "{mentorings}"
    );
    // The pasted 2014–2020 disclaimer, the project label and the emblem are gone.
    assert!(!mentorings.contains("Komisijas atbalstu"), "{mentorings}");
    assert!(!mentorings.contains("erasmus-logo"), "{mentorings}");
    assert!(!mentorings.contains("Projekts Nr."), "{mentorings}");
    // The caption's resized copy was not in the uploads: the original stands in.
    assert!(
        mentorings
            .contains("```gallery\nfoto1.jpg Kursa dalībnieki Budapeštā | Pirmā kursa diena\n```"),
        "{mentorings}"
    );
    assert!(site.path().join("content/news/foto1.jpg").is_file());
    assert!(
        mentorings.contains("Budapeštā.  \nTas bija intensīvs."),
        "{mentorings}"
    );

    // The project was created from the code and the quoted title next to it.
    let project = content(
        &site,
        "projects/kompetents-skolotajs-skolas-attistibas-pamats-iii.md",
    );
    assert!(
        project.contains("code: \"2023-1-LV01-KA121-SCH-000138745\""),
        "{project}"
    );
    assert!(project.contains("programme: erasmus-plus"), "{project}");
    assert!(
        mentorings.contains("project: \"kompetents-skolotajs-skolas-attistibas-pamats-iii\""),
        "{mentorings}"
    );

    // Block editor: gallery, video link, pasted English disclaimer.
    let somija = content(&site, "news/2024-05-10-darba-enosana-somija.md");
    assert!(
        somija.contains("title: \"Darba ēnošana Somijā: \\\"skola bez zvaniem\\\"\""),
        "{somija}"
    );
    assert!(
        somija.contains(
            "```gallery\nfoto2.jpg Darbs grupās\nfoto3.jpg Skolotāji pie tāfeles | Otrā diena\n```"
        ),
        "{somija}"
    );
    assert!(
        somija.contains(
            "[▶ Skatīties video vietnē YouTube](https://www.youtube.com/watch?v=dQw4w9WgXcQ)"
        ),
        "{somija}"
    );
    assert!(!somija.contains("Views and opinions"), "{somija}");
    assert!(somija.contains("## Ko redzējām"), "{somija}");

    // ESF+, a percent-encoded Latvian slug, a missing upload, an unknown shortcode.
    let esf = content(&site, "news/2024-09-20-pedagogu-atbalsta-sistema.md");
    assert!(!esf.contains("Līdzfinansē"), "{esf}");
    assert!(esf.contains("[contact-form-7"), "{esf}");
    assert!(
        esf.contains("vietnē Vimeo](https://vimeo.com/76979871)"),
        "{esf}"
    );
    assert!(
        report.contains("foto5.jpg is not in the uploads folder"),
        "{report}"
    );
    assert!(
        report.contains("[contact-form-7] is not something lapa knows"),
        "{report}"
    );

    // Drafts are drafts; private and password-protected posts stay out.
    let draft = content(&site, "news/2024-10-01-melnraksts-plani-rudenim.md");
    assert!(draft.contains("draft: true"), "{draft}");
    let all = snapshot(&site.path().join("content"));
    assert!(
        !all.iter()
            .any(|(p, _)| p.to_string_lossy().contains("privats")
                || p.to_string_lossy().contains("paroli")),
        "{all:?}"
    );
    assert!(report.contains("1 private"), "{report}");
    assert!(report.contains("1 password-protected"), "{report}");

    // Pages: a page with a child page becomes a folder holding it.
    assert!(content(&site, "par-skolu/_index.md").contains("Mūsu skola Daugavpilī."));
    assert!(content(&site, "par-skolu/komanda.md").contains("## Vadība"));
    assert!(content(&site, "kontakti.md").contains("Tālrunis"));

    // The site builds and passes the check.
    site.build(&[]);
    let check = site.lapa(&["check"]);
    assert!(
        check.status.success(),
        "{}{}",
        stdout(&check),
        stderr(&check)
    );
    let page = site.read("news/mentorings-riks/index.html");
    assert!(page.contains("data-eu-funding=\"2023-1-LV01-KA121-SCH-000138745\""));
    assert!(
        !page.contains("Komisijas atbalstu"),
        "the pasted text is gone"
    );
    assert!(page.contains("Mentorings – rīks skolas kopienas stiprināšanai"));
    assert!(page.contains("foto1"), "the photo is shown");
    let esf_page = site.read("news/pedagogu-atbalsta-sistema/index.html");
    assert!(esf_page.contains("data-eu-funding=\"4.2.2.3/1/24/I/001\""));
    let somija_page = site.read("news/darba-enosana-somija/index.html");
    assert!(somija_page.contains("data-eu-funding=\"2022-1-LV01-KA121-SCH-000056789\""));
    assert!(
        !somija_page.contains("<iframe"),
        "nothing loads from YouTube"
    );
    assert!(!site.exists("news/melnraksts-plani-rudenim/index.html"));
    assert!(site.exists("par-skolu/komanda/index.html"));
    // The old address redirects to the new one.
    let old = site.read("2024/03/28/mentorings-riks/index.html");
    assert!(old.contains("http-equiv=\"refresh\""), "{old}");
    assert!(old.contains("/news/mentorings-riks/"), "{old}");

    // A second import changes nothing, and says so.
    let before = snapshot(&site.path().join("content"));
    let again = import(
        &site,
        &fixture().join("skola.WordPress.xml"),
        &["--uploads", uploads.to_str().expect("utf-8 path")],
    );
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(stdout(&again).contains("Nothing new"), "{}", stdout(&again));
    assert_eq!(before, snapshot(&site.path().join("content")));
}

#[test]
fn dry_run_writes_nothing_and_prints_the_report() {
    let site = init_site();
    let before = snapshot(site.path());
    let uploads = fixture().join("uploads");
    let out = import(
        &site,
        &fixture().join("skola.WordPress.xml"),
        &[
            "--uploads",
            uploads.to_str().expect("utf-8 path"),
            "--dry-run",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("would be imported"),
        "{}",
        stdout(&out)
    );
    assert!(
        stdout(&out).contains("dry run: nothing was written"),
        "{}",
        stdout(&out)
    );
    assert_eq!(before, snapshot(site.path()));
}

#[test]
fn json_report() {
    let site = init_site();
    let out = import(
        &site,
        &fixture().join("skola.WordPress.xml"),
        &["--json", "--dry-run"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    // Three reports and a draft of the school's, WordPress's own first post, sample page
    // and draft privacy page, and three pages.
    assert_eq!(json["imported"], 10, "{json}");
    assert_eq!(json["drafts"], 2, "{json}");
    assert_eq!(
        json["projects_created"].as_array().map(Vec::len),
        Some(3),
        "{json}"
    );
    assert_eq!(json["skipped"]["attachment"], 6, "{json}");
    assert_eq!(json["warnings"].as_array().map(Vec::len), Some(1), "{json}");
}

#[test]
fn without_uploads_links_keep_their_old_addresses_with_one_warning() {
    let site = init_site();
    let out = import(&site, &fixture().join("skola.WordPress.xml"), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = stdout(&out);
    assert_eq!(report.matches("warning:").count(), 1, "{report}");
    assert!(report.contains("no --uploads folder"), "{report}");
    let somija = content(&site, "news/2024-05-10-darba-enosana-somija.md");
    assert!(
        somija
            .contains("https://skola.example.lv/wp-content/uploads/2024/03/foto2.jpg Darbs grupās"),
        "{somija}"
    );
}

#[test]
fn a_file_that_is_not_a_wordpress_export_is_refused() {
    let site = init_site();
    for text in ["<html><body>Sveiki</body></html>", "title,date\nx,y\n", ""] {
        let path = write_export(&site, text);
        let out = import(&site, &path, &[]);
        assert_eq!(out.status.code(), Some(1), "{text}");
        assert!(
            stderr(&out).contains("this is not a WordPress export"),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn an_entity_bomb_is_refused_at_once() {
    let site = init_site();
    let mut dtd = String::from("<!DOCTYPE rss [\n<!ENTITY a0 \"ha\">\n");
    for i in 1..30 {
        let p = i - 1;
        dtd.push_str(&format!(
            "<!ENTITY a{i} \"&a{p};&a{p};&a{p};&a{p};&a{p};&a{p};&a{p};&a{p};&a{p};&a{p};\">\n"
        ));
    }
    dtd.push_str("]>\n");
    let text = wxr(&post(
        1,
        "&a29;",
        "bumba",
        "2024-01-01 10:00:00",
        "",
        "&a29;",
    ))
    .replacen("<rss", &format!("{dtd}<rss"), 1);
    let path = write_export(&site, &text);
    let started = std::time::Instant::now();
    let out = import(&site, &path, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("declares XML entities"),
        "{}",
        stderr(&out)
    );
    assert!(started.elapsed().as_secs() < 10);
    assert!(
        !site
            .path()
            .join("content/news/2024-01-01-bumba.md")
            .exists()
    );
}

#[test]
fn a_broken_post_is_reported_and_the_rest_imported() {
    let site = init_site();
    let items = [
        post(1, "Labs", "labs", "2024-01-01 10:00:00", "", "Teksts."),
        post(
            2,
            "Slikts datums",
            "slikts",
            "2024-13-45 99:00:00",
            "",
            "Teksts.",
        ),
        post(
            3,
            "Nezināma &vienība; virsrakstā",
            "vieniba",
            "2024-01-02 10:00:00",
            "",
            "Teksts.",
        ),
        post(
            4,
            "Arī labs",
            "ari-labs",
            "2024-01-03 10:00:00",
            "",
            "Teksts.",
        ),
    ];
    let path = write_export(&site, &wxr(&items.concat()));
    let out = import(&site, &path, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = stdout(&out);
    assert!(
        report.contains("https://skola.lv/slikts/: not imported: its date"),
        "{report}"
    );
    assert!(
        report.contains("https://skola.lv/vieniba/: not imported"),
        "{report}"
    );
    assert!(report.contains("2 broken"), "{report}");
    assert!(site.path().join("content/news/2024-01-01-labs.md").exists());
    assert!(
        site.path()
            .join("content/news/2024-01-03-ari-labs.md")
            .exists()
    );
}

#[test]
fn polylang_translations_become_pairs() {
    let site = init_site();
    let lang = |code: &str, group: &str| {
        format!(
            "<category domain=\"language\" nicename=\"{code}\"><![CDATA[{code}]]></category><category domain=\"post_translations\" nicename=\"{group}\"><![CDATA[{group}]]></category>"
        )
    };
    let items = [
        post(
            5,
            "Mentorings in Budapest",
            "mentoring-budapest",
            "2024-03-29 10:00:00",
            &lang("en", "pll_1"),
            "In English.",
        ),
        post(
            4,
            "Mentorings Budapeštā",
            "mentorings-budapesta",
            "2024-03-28 10:00:00",
            &lang("lv", "pll_1"),
            "Latviski.",
        ),
        post(
            6,
            "Tikai latviski",
            "tikai-latviski",
            "2024-04-01 10:00:00",
            "",
            "Teksts.",
        ),
    ];
    let path = write_export(&site, &wxr(&items.concat()));
    let out = import(&site, &path, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(content(&site, "news/2024-03-28-mentorings-budapesta.md").contains("Latviski."));
    assert!(content(&site, "news/2024-03-28-mentorings-budapesta.en.md").contains("In English."));
    assert!(
        site.path()
            .join("content/news/2024-04-01-tikai-latviski.md")
            .exists()
    );
}

#[test]
fn posts_go_to_the_section_asked_for_and_never_outside_content() {
    let site = init_site();
    let items = post(
        1,
        "Ceļš",
        "..%2F..%2Fetc",
        "2024-01-01 10:00:00",
        "",
        "Teksts.",
    );
    let path = write_export(&site, &wxr(&items));
    let bad = import(&site, &path, &["--section", "../ārā"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stderr(&bad).contains("cannot be a section"),
        "{}",
        stderr(&bad)
    );
    let out = import(&site, &path, &["--section", "arhivs"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        site.path()
            .join("content/arhivs/2024-01-01-etc.md")
            .exists()
    );
}

/// An export saved again on a Latvian Windows machine (Windows-1257, the XML declaration
/// still saying UTF-8) is converted as it is read, with a warning, and its Latvian
/// letters reach the report intact.
#[test]
fn a_windows_1257_export_is_converted_with_a_warning() {
    let site = init_site();
    let text = wxr(&post(
        11,
        "Mācību vizīte Rīgā",
        "macibu-vizite",
        "2024-03-28 10:15:00",
        "",
        "<p>Skolotāja ieguva jaunas zināšanas.</p>",
    ));
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1257.encode(&text);
    assert!(!unmappable);
    let export = site.path().join("eksports.xml");
    std::fs::write(&export, &bytes).expect("write the export");

    let out = import(&site, &export, &[]);
    let report = stdout(&out);
    assert!(out.status.success(), "{report}{}", stderr(&out));
    assert!(
        report.contains("warning:") && report.contains("Windows-1257"),
        "{report}"
    );
    let written = content(&site, "news/2024-03-28-macibu-vizite.md");
    assert!(
        written.contains("title: \"Mācību vizīte Rīgā\""),
        "{written}"
    );
    assert!(
        written.contains("authors: [\"Ināra Jasvina\"]"),
        "{written}"
    );
    assert!(
        written.contains("Skolotāja ieguva jaunas zināšanas."),
        "{written}"
    );
}
