//! What a reader gets from the example site (the repository's own `content/`): every page
//! type passes axe (WCAG 2.1 AA) in a real browser and the Nu HTML Checker, and search
//! works in the browser, by keyboard, with and without diacritics.
//!
//! Needs `/usr/bin/chromium`, `tests/browser/node_modules` and `java`; fails with how to
//! install them when missing, unless `LAPA_SKIP_BROWSER=1` says to skip.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const CHROMIUM: &str = "/usr/bin/chromium";

fn scripts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// Whether this run may use the browser tools: `false` when `LAPA_SKIP_BROWSER=1`; a
/// failing assertion that says how to install what is missing otherwise.
fn tools_present(needs_java: bool) -> bool {
    if std::env::var("LAPA_SKIP_BROWSER").is_ok_and(|v| v == "1") {
        eprintln!("skipped: LAPA_SKIP_BROWSER=1 is set, so the browser and vnu tests did not run");
        return false;
    }
    let mut missing = Vec::new();
    if !Path::new(CHROMIUM).exists() {
        missing.push(format!(
            "{CHROMIUM} (install it: apt-get install -y chromium)"
        ));
    }
    for package in ["playwright-core", "axe-core", "vnu-jar"] {
        if !scripts().join("node_modules").join(package).is_dir() {
            missing.push(format!(
                "tests/browser/node_modules/{package} (install it: npm ci --prefix tests/browser)"
            ));
        }
    }
    let java = Command::new("java").arg("-version").output();
    if needs_java && !java.is_ok_and(|o| o.status.success()) {
        missing.push("java (install it: apt-get install -y default-jre-headless)".to_string());
    }
    assert!(
        missing.is_empty(),
        "these tests need {}; or set LAPA_SKIP_BROWSER=1 to skip them",
        missing.join(", ")
    );
    true
}

/// The example site, built once for every test in this file.
fn example_site() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("reader-example-site");
        let status = assert_cmd::Command::cargo_bin("lapa")
            .expect("the lapa binary")
            .env("LAPA_LANG", "en")
            .args(["build", "--root", env!("CARGO_MANIFEST_DIR"), "--output"])
            .arg(&out)
            .output()
            .expect("lapa runs");
        assert!(
            status.status.success(),
            "lapa build of the example site failed:\n{}",
            String::from_utf8_lossy(&status.stderr)
        );
        out
    })
}

fn node(script: &str, site: &Path) {
    let mut child = Command::new("node")
        .arg(scripts().join(script))
        .arg(site)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run node (is node installed?)");
    // A browser that stops answering must fail the test, not hang the suite: the output
    // is read on threads of its own while this one watches the clock.
    let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = drain(child.stderr.take().map(|p| Box::new(p) as _));
    let limit = std::time::Instant::now() + std::time::Duration::from_secs(600);
    let status = loop {
        if let Some(status) = child.try_wait().expect("node runs") {
            break status;
        }
        if std::time::Instant::now() > limit {
            let _ = child.kill();
            break child.wait().expect("node ends");
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    let out = std::process::Output {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.lines().last() == Some("ok"),
        "{script} failed:\n{stdout}\n{stderr}"
    );
}

#[test]
fn every_page_type_passes_axe_in_both_languages_and_reflows() {
    if tools_present(false) {
        node("axe.mjs", example_site());
    }
}

#[test]
fn search_finds_reports_with_and_without_diacritics_by_keyboard() {
    if tools_present(false) {
        node("search.mjs", example_site());
    }
}

#[test]
fn every_page_is_valid_html() {
    if !tools_present(true) {
        return;
    }
    let jar = scripts().join("node_modules/vnu-jar/build/dist/vnu.jar");
    let out = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--skip-non-html"])
        .arg(example_site())
        .output()
        .expect("run java");
    let report = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && report.trim().is_empty(),
        "the Nu HTML Checker found errors:\n{report}"
    );
}

/// Readable on a phone: nothing fetched from elsewhere, small CSS (its one font, for the
/// funding statement, from the site itself), no script but search's.
#[test]
fn the_search_index_is_in_the_output_and_only_the_search_page_has_a_script() {
    let site = example_site();
    for lang in ["lv", "en"] {
        let meta = site.join(format!("search/{lang}/meta.json"));
        assert!(meta.is_file(), "{} is missing", meta.display());
    }
    let search = std::fs::read_to_string(site.join("search/index.html")).expect("search page");
    assert!(search.contains("search.js\" defer"), "{search}");
    for page in walkdir::WalkDir::new(site)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
    {
        let html = std::fs::read_to_string(page.path()).expect("read");
        let is_search = page.path().ends_with("search/index.html");
        for attr in ["src=\"http", "src=\"//", "stylesheet\" href=\"http"] {
            assert!(
                !html.contains(attr),
                "{}: loads something from another site ({attr})",
                page.path().display()
            );
        }
        assert_eq!(
            html.contains("<script"),
            is_search,
            "{}: only the search page loads a script",
            page.path().display()
        );
    }
    let css = std::fs::read_to_string(site.join("style.css")).expect("style.css");
    assert!(css.len() < 30 * 1024, "style.css is {} bytes", css.len());
    assert!(
        !css.contains("@import"),
        "style.css imports another stylesheet"
    );
    // The only files the CSS fetches are the funding statement's font, from the site itself.
    let fetched: Vec<&str> = css
        .split("url(")
        .skip(1)
        .map(|rest| rest.split(')').next().unwrap_or_default())
        .collect();
    assert_eq!(
        fetched,
        [
            "fonts/ubuntu-latin-700-normal.woff2",
            "fonts/ubuntu-latin-ext-700-normal.woff2"
        ],
        "style.css fetches something else"
    );
    for file in fetched {
        assert!(site.join(file).is_file(), "{file} is not in the output");
    }
    let js = std::fs::metadata(site.join("search.js")).expect("search.js");
    assert!(js.len() < 10 * 1024, "search.js is {} bytes", js.len());
}

/// The funding statement's font, colour, style and place beside the emblem (Annex IX of
/// Regulation (EU) 2021/1060) on a funded report, a project page and a plain page naming a
/// project, at 320, 768 and 1280 px, light and dark.
#[test]
fn the_funding_statement_follows_annex_ix() {
    if !tools_present(false) {
        return;
    }
    node("funding-statement.mjs", example_site());
}
