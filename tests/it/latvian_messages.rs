//! lapa speaks Latvian to a Latvian site: a representative message of each area (import,
//! build, check, themes, links, addresses, places) read in the words a teacher reads.

use crate::common;

use common::*;

fn all_output(out: &std::process::Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(out))
}

fn export(site: &TestSite, body_title: &str) -> std::path::PathBuf {
    let text = format!(
        r#"<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://skola.lv</wp:base_site_url>
<item><title>{body_title}</title><link>https://skola.lv/kurss/</link><dc:creator>inara</dc:creator>
<content:encoded><![CDATA[<p>Teksts.</p>]]></content:encoded><wp:post_id>5</wp:post_id>
<wp:post_date>2024-03-28 10:15:00</wp:post_date><wp:post_date_gmt>2024-03-28 08:15:00</wp:post_date_gmt>
<wp:post_name>kurss</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item>
</channel>
</rss>
"#
    );
    let (bytes, _, _) = encoding_rs::WINDOWS_1257.encode(&text);
    let path = site.path().join("eksports.xml");
    std::fs::write(&path, &bytes).expect("write the export");
    path
}

#[test]
fn the_import_report_is_in_latvian() {
    let site = TestSite::new();
    site.write("content/news/_index.md", "---\ntitle: Ziņas\n---\n");
    let path = export(&site, "Kurss Rīgā");
    let path = path.to_string_lossy().into_owned();
    let out = site.lapa_in(Some("lv"), &["import", "wordpress", &path, "--dry-run"]);
    let text = all_output(&out);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("Windows-1257 (Baltijas) kodējumā"), "{text}");
    assert!(
        text.contains("brīdinājums: mape --uploads netika norādīta"),
        "{text}"
    );
    assert!(text.contains("Tiktu importēti: 1"), "{text}");
    assert!(
        text.contains("Tas bija izmēģinājums: nekas netika ierakstīts."),
        "{text}"
    );
    // The same in English when asked.
    let out = site.lapa_in(Some("en"), &["import", "wordpress", &path, "--dry-run"]);
    let text = all_output(&out);
    assert!(text.contains("1 would be imported"), "{text}");
}

#[test]
fn content_mistakes_are_explained_in_latvian() {
    let site = TestSite::new();
    site.report(
        "news/2024-03-28-kurss.md",
        "Kurss",
        "2024-03-28",
        "aliases: [\"https://skola.lv/vecais/\"]\n",
        "Teksts.",
    );
    let out = site.lapa_in(Some("lv"), &["build"]);
    let text = all_output(&out);
    assert!(!out.status.success(), "{text}");
    assert!(
        text.contains("vecā adrese `https://skola.lv/vecais/` (aliases) ir pilna adrese"),
        "{text}"
    );

    let site = TestSite::new();
    site.report(
        "news/2024-03-28-kurss.md",
        "Kurss",
        "2024-03-28",
        "mobility:\n  activity: course\n  place: Nekurienes ciems\n",
        "Teksts.",
    );
    let out = site.lapa_in(Some("lv"), &["check"]);
    let text = all_output(&out);
    assert!(
        text.contains("lapa nevar noteikt, kurā valstī ir `place: Nekurienes ciems`"),
        "{text}"
    );
    assert!(
        text.contains("site.yaml nav bloka `accessibility:`"),
        "{text}"
    );

    site.write(
        "content/news/2024-03-29-plans.md",
        "---\ntitle: Plāns\ndate: 2024-03-29\n---\nSkatīt [plānu](plans.md).\n",
    );
    let out = site.lapa_in(Some("lv"), &["check"]);
    let text = all_output(&out);
    assert!(
        text.contains("saite `plans.md` ved uz `content/news/plans.md`, kura nav"),
        "{text}"
    );
}

#[test]
fn site_and_folder_problems_are_in_latvian() {
    let site = TestSite::new();
    site.write("site.yaml", &format!("{SITE_YAML}theme: nav\n"));
    let out = site.lapa_in(Some("lv"), &["build"]);
    let text = all_output(&out);
    assert!(
        text.contains("`theme: nav` nav mapes themes/nav/"),
        "{text}"
    );

    let site = TestSite::new();
    site.report(
        "news/2024-03-28-kurss.md",
        "Kurss",
        "2024-03-28",
        "",
        "Teksts.",
    );
    let out = site.lapa_in(Some("lv"), &["build", "--output", "content"]);
    let text = all_output(&out);
    assert!(text.contains("lapa nebūvēs mapē `content`"), "{text}");
}

#[test]
fn an_unreachable_external_link_is_explained_in_latvian() {
    let site = TestSite::new();
    site.report(
        "news/2024-03-28-kurss.md",
        "Kurss",
        "2024-03-28",
        "",
        "Skatīt [kursu](http://127.0.0.1:9/kurss).",
    );
    let out = site.lapa_in(Some("lv"), &["check", "--external"]);
    let text = all_output(&out);
    assert!(
        text.contains("ārējā saite http://127.0.0.1:9/kurss: nav sasniedzama"),
        "{text}"
    );
}

#[test]
fn a_photo_problem_is_told_in_latvian() {
    let site = TestSite::new();
    site.report(
        "news/2024-03-28-budapest.md",
        "Budapešta",
        "2024-03-28",
        "",
        "Teksts.\n\n![Tukša](tukšs.jpg)\n",
    )
    .write_bytes("content/news/tukšs.jpg", b"");
    let cache = site.path().join("photo-cache");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lapa"))
        .env("LAPA_LANG", "lv")
        .env("LAPA_CACHE_DIR", &cache)
        .args(["build", "--root"])
        .arg(site.path())
        .output()
        .expect("lapa runs");
    let text = all_output(&out);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains(
            "no attēla `news/tukšs.jpg` nevar izveidot mazākas versijas (fails ir tukšs): \
             tas tiek rādīts tāds, kāds ir, pilnā izmērā"
        ),
        "{text}"
    );
}

#[test]
fn a_refused_project_code_is_explained_in_latvian() {
    let site = TestSite::new();
    let out = site.lapa_in(
        Some("lv"),
        &[
            "new",
            "project",
            "Kursi",
            "--code",
            "2023-4-LV01-KA121-SCH-000138745",
        ],
    );
    let text = all_output(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains(
            "`2023-4-LV01-KA121-SCH-000138745` neatbilst programmas Erasmus+ 2021–2027 projektu kodiem: \
             gaidīts YYYY-R-CCNN-KAnnn-FFF-nnnnnnnnn, piemēram, 2023-1-LV01-KA121-SCH-000138745 \
             (kārta `4` nav 1, 2 vai 3)"
        ),
        "{text}"
    );
    assert!(!text.contains("does not fit"), "{text}");
}

#[test]
fn a_new_report_on_a_latvian_site_has_latvian_headings_and_hints() {
    let site = TestSite::new();
    // The file follows the site's language, whatever language lapa speaks to the user.
    let out = site.lapa_in(Some("en"), &["new", "report", "Kursi Rīgā"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let text = std::fs::read_to_string(&path).expect("the new report");
    for latvian in [
        "\n## Ko mēs iemācījāmies\n",
        "\n## Kā skola to izmantos\n",
        "Rakstiet šeit, ko darījāt un ko iemācījāties",
        "# publicēšanas diena",
        "# projekts, par kuru ir šī ziņa",
    ] {
        assert!(text.contains(latvian), "{latvian} missing from:\n{text}");
    }
    assert!(!text.contains("What we learned"), "{text}");
    // Its English translation gets English headings.
    let out = site.lapa_in(Some("lv"), &["new", "report", "Kursi Rīgā", "--lang", "en"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let text = std::fs::read_to_string(&path).expect("the translation");
    assert!(text.contains("\n## What we learned\n"), "{text}");
    assert!(text.contains("lang: en\n---\n"), "{text}");
    // Both build.
    site.build(&[]);
}

#[test]
fn init_in_latvian_writes_latvian_hints_into_a_site_that_builds() {
    let tmp = tempfile::tempdir().expect("temp");
    let lapa = |lang: &str, args: &[&str]| {
        assert_cmd::Command::cargo_bin("lapa")
            .expect("binary")
            .env("LAPA_LANG", lang)
            .args(args)
            .current_dir(tmp.path())
            .output()
            .expect("runs")
    };
    let out = lapa("lv", &["init", "skola"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let yaml = std::fs::read_to_string(tmp.path().join("skola/site.yaml")).expect("site.yaml");
    assert!(
        yaml.starts_with("# Skolas vietne. Rindas, kas sākas ar #, ir piezīmes cilvēkiem"),
        "{yaml}"
    );
    assert!(yaml.contains("# Cik ziņu rāda saraksta lapa"), "{yaml}");
    assert!(!yaml.contains("The name shown"), "{yaml}");
    let out = lapa("lv", &["build", "--root", "skola"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // Asked in English, the hints are English.
    let out = lapa("en", &["init", "school"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let yaml = std::fs::read_to_string(tmp.path().join("school/site.yaml")).expect("site.yaml");
    assert!(
        yaml.contains("# The name shown at the top of every page."),
        "{yaml}"
    );
}
