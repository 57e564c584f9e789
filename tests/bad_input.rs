//! Bad input gets a clear error naming the file, and the previous site stays as it was.

mod common;

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
