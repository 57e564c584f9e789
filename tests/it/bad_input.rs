//! Bad input gets a clear error naming the file, and the previous site stays as it was.

use crate::common;

use common::*;

/// A site that builds, built once, so a later failed build has an output to keep.
fn built_site() -> (TestSite, Vec<(std::path::PathBuf, Vec<u8>)>) {
    let site = TestSite::new();
    site.report(
        "news/2024-01-01-labs.md",
        "Labs raksts",
        "2024-01-01",
        "",
        "Teksts.",
    );
    site.build(&[]);
    let before = snapshot(&site.public());
    (site, before)
}

/// Run a build that must fail with exit code 1 and leave `public/` byte-for-byte as it was.
fn fails_keeping_output(site: &TestSite, before: &[(std::path::PathBuf, Vec<u8>)]) -> String {
    let out = site.lapa(&["build"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "exit code; stderr:\n{}",
        stderr(&out)
    );
    assert_eq!(snapshot(&site.public()), before, "public/ changed");
    stderr(&out)
}

#[test]
fn broken_yaml_names_the_file_and_line() {
    let (site, before) = built_site();
    site.write(
        "content/news/2024-02-01-slikts.md",
        "---\ntitle: Slikts\ndate: 2024-02-01\ntags: [a, b\n---\nTeksts.\n",
    );
    let err = fails_keeping_output(&site, &before);
    assert!(err.contains("content/news/2024-02-01-slikts.md:"), "{err}");
    let line: usize = err
        .split("slikts.md:")
        .nth(1)
        .and_then(|rest| rest.split(':').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!((4..=5).contains(&line), "line {line} in {err}");
}

#[test]
fn an_unknown_site_yaml_key_is_named() {
    let (site, before) = built_site();
    site.write("site.yaml", &format!("{SITE_YAML}paginat: 5\n"));
    let err = fails_keeping_output(&site, &before);
    assert!(err.contains("site.yaml:5"), "{err}");
    assert!(err.contains("paginat"), "{err}");
}

#[test]
fn two_files_with_one_url_name_both() {
    let (site, before) = built_site();
    site.report("news/2024-02-01-divi.md", "Viens", "2024-02-01", "", "A.")
        .report("news/2024-02-02-divi.md", "Otrs", "2024-02-02", "", "B.");
    let err = fails_keeping_output(&site, &before);
    assert!(
        err.contains("2024-02-01-divi.md") && err.contains("2024-02-02-divi.md"),
        "{err}"
    );
    assert!(err.contains("/news/divi/"), "{err}");
}

#[test]
fn a_missing_date_is_named() {
    let (site, before) = built_site();
    site.write(
        "content/news/bez-datuma.md",
        "---\ntitle: Bez datuma\n---\nTeksts.\n",
    );
    let err = fails_keeping_output(&site, &before);
    assert!(err.contains("content/news/bez-datuma.md"), "{err}");
    assert!(err.contains("date"), "{err}");
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let (site, before) = built_site();
    site.write("content/news/a.md", "---\ntitle: A\n---\n")
        .write("content/news/b.md", "---\ntitle: [B\n---\n")
        .report(
            "news/2024-03-01-c.md",
            "C",
            "2024-03-01",
            "project: nav-tada\n",
            "[x](nav.md)",
        );
    let err = fails_keeping_output(&site, &before);
    for needle in ["news/a.md", "news/b.md", "nav-tada", "nav.md"] {
        assert!(err.contains(needle), "{needle} missing from:\n{err}");
    }
}

#[test]
fn a_link_to_a_missing_file_is_an_error_with_its_line() {
    let (site, before) = built_site();
    site.report(
        "news/2024-03-01-c.md",
        "C",
        "2024-03-01",
        "",
        "Ievads.\n\n[saite](2024-01-01-nav.md)",
    );
    let err = fails_keeping_output(&site, &before);
    assert!(err.contains("content/news/2024-03-01-c.md:7"), "{err}");
}

#[test]
fn a_date_that_is_not_a_date_is_explained() {
    let (site, before) = built_site();
    site.report("news/vakar.md", "Vakar", "yesterday", "", "Teksts.");
    let err = fails_keeping_output(&site, &before);
    assert!(err.contains("content/news/vakar.md:3"), "{err}");
    assert!(
        err.contains("2024-03-28"),
        "the message shows the expected form: {err}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let site = TestSite::new();
    let out = site.lapa(&["build", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_folder_lapa_did_not_make_is_never_replaced() {
    let site = TestSite::new();
    site.report(
        "news/2024-01-01-labs.md",
        "Labs",
        "2024-01-01",
        "",
        "Teksts.",
    )
    .write("public/index.html", "the school's own page");
    let out = site.lapa(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains(".lapa-output"), "{}", stderr(&out));
    assert_eq!(site.read("index.html"), "the school's own page");
}

#[test]
fn the_output_may_not_be_the_content_folder() {
    let site = TestSite::new();
    site.report(
        "news/2024-01-01-labs.md",
        "Labs",
        "2024-01-01",
        "",
        "Teksts.",
    );
    let before = snapshot(site.path());
    let content = site.path().join("content");
    let out = site.lapa(&["build", "--output", content.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(snapshot(site.path()), before);
}

#[test]
fn a_binary_file_named_md_is_named_and_the_rest_still_reported() {
    let (site, before) = built_site();
    site.write_bytes(
        "content/news/foto.md",
        &[0xff, 0xd8, 0xff, 0xe0, 0, 0x10, b'J', b'F', b'I', b'F'],
    )
    .write("content/news/b.md", "---\ntitle: B\n---\n")
    .write_bytes(
        "content/news/c.md",
        b"---\ntitle: C\ndate: 2024-01-01\n---\nLatin-1 text: \xe2 la carte\n",
    );
    let err = fails_keeping_output(&site, &before);
    assert!(
        err.contains("content/news/foto.md:1") && err.contains("UTF-8"),
        "{err}"
    );
    assert!(err.contains("content/news/c.md:5"), "the line: {err}");
    assert!(
        err.contains("content/news/b.md"),
        "the other problem too: {err}"
    );
}

#[test]
fn a_bom_and_crlf_line_endings_simply_work() {
    let site = TestSite::new();
    site.write(
        "content/news/2024-01-01-windows.md",
        "\u{feff}---\r\ntitle: \"Rakstīts Windows\"\r\ndate: 2024-01-01\r\ntags: [ērti]\r\n---\r\nPirmā rindkopa.\r\n\r\n## Virsraksts\r\n",
    );
    site.build(&[]);
    let html = site.read("news/windows/index.html");
    assert!(html.contains("Rakstīts Windows"));
    assert!(html.contains("id=\"virsraksts\""));
    assert!(site.exists("tags/erti/index.html"));
}

#[test]
fn empty_and_unclosed_and_non_mapping_front_matter_are_each_explained() {
    let (site, before) = built_site();
    site.write("content/news/tukss.md", "")
        .write(
            "content/news/neaizverts.md",
            "---\ntitle: X\ndate: 2024-01-01\nTeksts bez beigām.\n",
        )
        .write(
            "content/news/saraksts.md",
            "---\n- title\n- date\n---\nTeksts.\n",
        )
        .write(
            "content/news/tips.md",
            "---\ntitle: T\ndate: 2024-01-01\ntags: 5\n---\nTeksts.\n",
        );
    let err = fails_keeping_output(&site, &before);
    assert!(
        err.contains("content/news/tukss.md") && err.contains("empty"),
        "{err}"
    );
    assert!(
        err.contains("content/news/neaizverts.md:1:1") && err.contains("closing"),
        "{err}"
    );
    assert!(
        err.contains("content/news/saraksts.md:2") && err.contains("key: value"),
        "{err}"
    );
    assert!(
        err.contains("content/news/tips.md:4"),
        "wrong type with its line: {err}"
    );
}

#[test]
fn a_symlink_loop_is_reported_not_followed_forever() {
    let (site, before) = built_site();
    std::os::unix::fs::symlink(
        site.path().join("content"),
        site.path().join("content/news/cilpa"),
    )
    .expect("symlink");
    let err = fails_keeping_output(&site, &before);
    assert!(
        err.contains("content/news/cilpa") && err.contains("loop"),
        "{err}"
    );
}

#[test]
fn a_template_with_a_syntax_error_or_an_unknown_variable_is_named() {
    let (site, before) = built_site();
    site.write(
        "templates/report.html",
        "<html>\n<body>\n{% if page.title %}\n<h1>{{ page.title }</h1>\n</body></html>",
    );
    let err = fails_keeping_output(&site, &before);
    assert!(err.contains("templates/report.html:4"), "{err}");

    site.write(
        "templates/report.html",
        "<html><body><main>{{ page.nav_tada_lauka }}</main></body></html>",
    );
    let err = fails_keeping_output(&site, &before);
    assert!(
        err.contains("templates/report.html:1:") && err.contains("nav_tada_lauka"),
        "{err}"
    );
}

#[test]
fn a_template_written_for_tera_1_says_what_to_change() {
    let (site, before) = built_site();
    site.write(
        "templates/report.html",
        "{% extends \"base.html\" %}\n{% import \"macros.html\" as m %}\n\
         {% block content %}{{ m::pager(paginator=paginator, t=t) }}{% endblock content %}",
    );
    let err = fails_keeping_output(&site, &before);
    assert!(
        err.contains("templates/report.html:2:")
            && err.contains("components instead of macros")
            && err.contains("docs/templates.md"),
        "{err}"
    );
}

#[test]
fn a_50_mb_report_builds() {
    let site = TestSite::new();
    let paragraph =
        "Skolotāji mācās no kolēģiem visā Eiropā, un skola dalās pieredzē ar pilsētu. ".repeat(40);
    let mut body = String::with_capacity(52 * 1024 * 1024);
    while body.len() < 50 * 1024 * 1024 {
        body.push_str("## Nodaļa\n\n");
        body.push_str(&paragraph);
        body.push_str("\n\n");
    }
    site.report("news/2024-01-01-liels.md", "Liels", "2024-01-01", "", &body);
    site.build(&[]);
    assert!(
        std::fs::metadata(site.public().join("news/liels/index.html"))
            .expect("built")
            .len()
            > 50 * 1024 * 1024
    );
}

#[test]
fn the_output_may_not_be_the_root_or_the_home_folder() {
    let site = TestSite::new();
    site.report(
        "news/2024-01-01-labs.md",
        "Labs",
        "2024-01-01",
        "",
        "Teksts.",
    );
    for dangerous in [
        "/".to_string(),
        std::env::var("HOME").unwrap_or_else(|_| "/root".into()),
    ] {
        let out = site.lapa(&["build", "--output", &dangerous]);
        assert_eq!(out.status.code(), Some(1), "{dangerous}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("will not build into"),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn a_build_killed_midway_leaves_the_previous_output_complete() {
    let site = TestSite::new();
    let body = "Teksts ar **treknu** vārdu un [saiti](https://example.lv/).\n\n".repeat(300);
    for i in 0..1500 {
        site.report(
            &format!("news/2024-01-01-zina-{i}.md"),
            &format!("Ziņa {i}"),
            "2024-01-01",
            "tags: [a, b, c]\n",
            &body,
        );
    }
    site.build(&[]);
    let before = snapshot(&site.public());
    let content_before = snapshot(&site.path().join("content"));
    site.write(
        "content/news/2024-01-02-jauna.md",
        "---\ntitle: Jauna\ndate: 2024-01-02\n---\nJauna.\n",
    );

    let mut killed_midway = 0;
    for delay_ms in [50, 150, 400, 900] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("lapa"))
            .env("LAPA_LANG", "en")
            .args(["build", "--root"])
            .arg(site.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("lapa starts");
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let still_running = child.try_wait().expect("status").is_none();
        child.kill().expect("SIGKILL");
        let _ = child.wait();
        if !still_running {
            continue;
        }
        killed_midway += 1;
        assert_eq!(
            snapshot(&site.public()),
            before,
            "public/ after SIGKILL at {delay_ms} ms"
        );
        assert!(!site.public().join("news/jauna").exists());
    }
    assert!(killed_midway > 0, "no build was still running when killed");
    assert_eq!(snapshot(&site.path().join("content")), {
        let mut c = content_before;
        c.push((
            "news/2024-01-02-jauna.md".into(),
            b"---\ntitle: Jauna\ndate: 2024-01-02\n---\nJauna.\n".to_vec(),
        ));
        c.sort();
        c
    });
    // The next build finishes and clears what the killed ones left beside the output.
    site.build(&[]);
    assert!(site.public().join("news/jauna/index.html").exists());
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .expect("site")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("lapa-"))
        // The previous output and the record of both folders, kept on purpose so the next
        // build writes only what changed.
        .filter(|e| e.file_name() != ".public.lapa-previous")
        .filter(|e| e.file_name() != ".public.lapa-files")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_file_that_cannot_be_read_is_named() {
    let (site, before) = built_site();
    // A link to nothing: the walk finds a name but the file cannot be opened (tests run as
    // root, where permissions do not stop reading).
    std::os::unix::fs::symlink(
        site.path().join("nav-tada.md"),
        site.path().join("content/news/2024-02-01-pazudis.md"),
    )
    .expect("symlink");
    let err = fails_keeping_output(&site, &before);
    assert!(err.contains("content/news/2024-02-01-pazudis.md"), "{err}");
}

#[test]
fn a_project_naming_a_project_itself_is_explained() {
    let (site, before) = built_site();
    site.write(
        "content/projects/p.md",
        &PROJECT.replace("start:", "project: p\nstart:"),
    );
    let err = fails_keeping_output(&site, &before);
    assert!(err.contains("content/projects/p.md:"), "{err}");
    assert!(err.contains("project"), "{err}");
}
