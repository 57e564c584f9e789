//! Funding: a block counts only when a reader gets it. A theme that hides the block (a
//! comment, a raw-text element, `hidden`, an inline style) or fakes its marker still
//! builds, with lapa's own block before `</main>`, and `lapa check` names the template.

use crate::common;

use common::*;

const CODE: &str = "2023-1-LV01-KA121-SCH-000138745";
const LV_STATEMENT: &str = "Līdzfinansē Eiropas Savienība";
const LV_DISCLAIMER: &str = "Ne Eiropas Savienība, ne VIAA nevar būt atbildīgas par tiem.";
const EN_STATEMENT: &str = "Co-funded by the European Union";
const EN_DISCLAIMER: &str = "Neither the European Union nor VIAA can be held responsible for them.";

/// The blocks lapa hands a template, as the default theme places them.
const BLOCKS: &str = "{% for f in funding %}{{ f | safe }}{% endfor %}";
/// The marker of the page's first project, written by the template itself.
const MARKER: &str = "data-eu-funding=\"{{ page.projects[0].code }}\"";

fn funded_site() -> TestSite {
    let site = TestSite::new();
    site.write("content/projects/kompetents-iii.md", PROJECT)
        .report(
            "news/2024-03-28-budapesta.md",
            "Mentorings Budapeštā",
            "2024-03-28",
            "project: kompetents-iii\n",
            "Teksts.",
        )
        .report(
            "news/2024-03-28-budapesta.en.md",
            "Mentoring in Budapest",
            "2024-03-28",
            "project: kompetents-iii\n",
            "Text.",
        )
        .write(
            "content/par-projektu.md",
            "---\ntitle: Par projektu\nproject: kompetents-iii\n---\nTeksts.\n",
        );
    site
}

/// A site whose report template puts `middle` inside `<main>`, after the report's text.
fn site_with(middle: &str) -> TestSite {
    let site = funded_site();
    site.write(
        "templates/report.html",
        &format!(
            "<!doctype html><html lang=\"{{{{ lang }}}}\"><head><title>{{{{ page.title }}}}</title></head>\
             <body><main><h1>{{{{ page.title }}}}</h1>{{{{ page.content | safe }}}}{middle}<p id=\"end\">.</p></main>\
             <footer>F</footer></body></html>"
        ),
    );
    site
}

/// What lies between the end of the template's own markup and `</main>`: where lapa
/// puts the block the template failed to show.
fn inserted(html: &str) -> &str {
    let from = html
        .find("<p id=\"end\">.</p>")
        .expect("the template's end marker");
    let to = html.rfind("</main>").expect("</main>");
    &html[from..to]
}

/// Build: exit 0, and the report holds lapa's own complete block where a reader sees it.
fn builds_with_a_visible_block(site: &TestSite) {
    site.build(&[]);
    let html = site.read("news/budapesta/index.html");
    let tail = inserted(&html);
    assert!(
        tail.contains(&format!(
            "<section class=\"eu-funding\" data-eu-funding=\"{CODE}\""
        )),
        "no block of lapa's own before </main>:\n{html}"
    );
    assert!(tail.contains("<svg class=\"eu-emblem\""), "{tail}");
    assert!(tail.contains(LV_STATEMENT), "{tail}");
    assert!(tail.contains(LV_DISCLAIMER), "{tail}");
    let en = site.read("en/news/budapesta/index.html");
    let tail = inserted(&en);
    assert!(
        tail.contains(EN_STATEMENT) && tail.contains(EN_DISCLAIMER),
        "{en}"
    );
}

/// `lapa check`: exit 1, naming the template, the page and `why`.
fn check_names_the_template(site: &TestSite, why: &str) {
    let out = site.lapa(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "check passed:\n{err}");
    assert!(err.contains("report.html"), "no template named:\n{err}");
    assert!(err.contains("/news/budapesta/"), "no page named:\n{err}");
    assert!(err.contains("funding block"), "{err}");
    assert!(err.contains(why), "no `{why}` in:\n{err}");
}

fn hidden_case(middle: &str, why: &str) {
    let site = site_with(middle);
    builds_with_a_visible_block(&site);
    check_names_the_template(&site, why);
}

#[test]
fn a_block_inside_a_comment_does_not_count() {
    hidden_case(&format!("<!--{BLOCKS}-->"), "comment");
}

#[test]
fn a_block_inside_a_template_element_does_not_count() {
    hidden_case(&format!("<template>{BLOCKS}</template>"), "<template>");
}

#[test]
fn a_block_inside_a_textarea_does_not_count() {
    hidden_case(&format!("<textarea>{BLOCKS}</textarea>"), "<textarea>");
}

#[test]
fn a_block_inside_noscript_does_not_count() {
    hidden_case(&format!("<noscript>{BLOCKS}</noscript>"), "<noscript>");
}

#[test]
fn a_block_inside_a_script_does_not_count() {
    hidden_case(
        &format!("<script type=\"text/html\">{BLOCKS}</script>"),
        "<script>",
    );
}

#[test]
fn a_block_inside_a_hidden_element_does_not_count() {
    hidden_case(&format!("<div class=\"x\" hidden>{BLOCKS}</div>"), "hidden");
}

#[test]
fn a_block_styled_display_none_does_not_count() {
    hidden_case(
        &format!("<div style=\"color: red; DISPLAY : none !important\">{BLOCKS}</div>"),
        "display: none",
    );
}

#[test]
fn a_block_styled_visibility_hidden_does_not_count() {
    hidden_case(
        &format!("<div style=\"visibility:hidden\">{BLOCKS}</div>"),
        "visibility: hidden",
    );
}

#[test]
fn a_fake_marker_in_a_comment_does_not_stop_the_real_block() {
    hidden_case(&format!("<!-- {MARKER} -->"), "comment");
}

#[test]
fn a_fake_marker_in_a_script_does_not_stop_the_real_block() {
    hidden_case(
        &format!("<script>var block = '<section {MARKER}>';</script>"),
        "<script>",
    );
}

#[test]
fn a_fake_marker_in_an_attribute_value_does_not_stop_the_real_block() {
    hidden_case(
        &format!("<p title='{MARKER}'>Projekts.</p>"),
        "attribute `title`",
    );
}

#[test]
fn a_block_without_the_disclaimer_does_not_count() {
    hidden_case(
        &format!(
            "<section {MARKER}><svg viewBox=\"0 0 3 2\"></svg><p>{LV_STATEMENT}</p></section>"
        ),
        "disclaimer",
    );
}

#[test]
fn a_block_without_the_emblem_does_not_count() {
    hidden_case(
        &format!("<section {MARKER}><p>{LV_STATEMENT}</p><p>{LV_DISCLAIMER}</p></section>"),
        "emblem",
    );
}

#[test]
fn a_block_whose_emblem_is_hidden_does_not_count() {
    hidden_case(
        &format!(
            "<section {MARKER}><svg hidden viewBox=\"0 0 3 2\"></svg><p>{LV_STATEMENT}</p><p>{LV_DISCLAIMER}</p></section>"
        ),
        "emblem",
    );
}

#[test]
fn a_template_that_hides_main_gets_the_block_in_body() {
    let site = funded_site();
    site.write(
        "templates/report.html",
        &format!(
            "<!doctype html><html><body><main hidden><h1>{{{{ page.title }}}}</h1>{BLOCKS}</main><p id=\"end\">.</p></body></html>"
        ),
    );
    site.build(&[]);
    let html = site.read("news/budapesta/index.html");
    let from = html.find("<p id=\"end\">").expect("end marker");
    let to = html.rfind("</body>").expect("</body>");
    assert!(
        html[from..to].contains(&format!("data-eu-funding=\"{CODE}\"")),
        "lapa's block must not go inside the hidden <main>:\n{html}"
    );
    check_names_the_template(&site, "hidden");
}

#[test]
fn the_default_themes_block_counts_once_on_every_funded_page() {
    let site = funded_site();
    site.build(&[]);
    for page in [
        "news/budapesta/index.html",
        "en/news/budapesta/index.html",
        "projects/kompetents-iii/index.html",
        "en/projects/kompetents-iii/index.html",
        "par-projektu/index.html",
    ] {
        let html = site.read(page);
        assert_eq!(
            html.matches(&format!("data-eu-funding=\"{CODE}\"")).count(),
            1,
            "{page} must hold the theme's block once:\n{html}"
        );
    }
    let out = site.lapa(&["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// In Debian's chromium: the default theme's block has a box, is displayed and visible,
/// and shows the emblem, statement and disclaimer on a report, a project page and a
/// plain page naming a project, in Latvian and English (`tests/browser/funding.mjs`).
/// Skipped when `LAPA_SKIP_BROWSER=1`; otherwise fails saying what to install.
#[test]
fn the_default_themes_block_is_visible_in_a_browser() {
    if std::env::var("LAPA_SKIP_BROWSER").is_ok_and(|v| v == "1") {
        eprintln!("skipped: LAPA_SKIP_BROWSER=1 is set");
        return;
    }
    let scripts = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    assert!(
        std::path::Path::new("/usr/bin/chromium").exists()
            && scripts.join("node_modules/playwright-core").is_dir(),
        "this test needs /usr/bin/chromium (apt-get install -y chromium) and \
         tests/browser/node_modules (npm ci --prefix tests/browser); or set LAPA_SKIP_BROWSER=1"
    );
    let site = funded_site();
    site.write(
        "content/par-projektu.en.md",
        "---\ntitle: About the project\nproject: kompetents-iii\n---\nText.\n",
    );
    site.build(&[]);
    let out = std::process::Command::new("node")
        .arg(scripts.join("funding.mjs"))
        .arg(site.public())
        .output()
        .expect("run node (is node installed?)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.lines().last() == Some("ok"),
        "funding.mjs failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `lapa build` with `LAPA_TIMINGS=1`: what it printed on stderr (the stages' counts).
fn timed(site: &TestSite) -> String {
    let out = assert_cmd::Command::cargo_bin("lapa")
        .expect("the lapa binary")
        .env("LAPA_LANG", "en")
        .env("LAPA_TIMINGS", "1")
        .args(["build", "--root"])
        .arg(site.path())
        .output()
        .expect("lapa runs");
    assert!(out.status.success(), "{}", stderr(&out));
    stderr(&out)
}

/// How many funded pages a build found in its output already, checked for the same
/// blocks, and so did not read (summed over the stages that counted them).
fn checked_before(err: &str) -> usize {
    err.lines()
        .filter_map(|l| {
            l.trim()
                .strip_suffix(" funding checks a previous build did")
        })
        .map(|n| n.parse::<usize>().expect("a count"))
        .sum()
}

/// The site's funded pages, as `funded_site` makes them.
const FUNDED_PAGES: [&str; 5] = [
    "news/budapesta/index.html",
    "en/news/budapesta/index.html",
    "projects/kompetents-iii/index.html",
    "en/projects/kompetents-iii/index.html",
    "par-projektu/index.html",
];

/// A rebuild reads again only the funded pages whose bytes are not in the output as a
/// build left them: the others passed the same check already.
#[test]
fn a_rebuild_reads_only_the_funded_pages_that_changed() {
    let site = funded_site();
    assert_eq!(
        checked_before(&timed(&site)),
        0,
        "a first build reads every page"
    );
    let before: Vec<String> = FUNDED_PAGES.iter().map(|p| site.read(p)).collect();
    assert_eq!(checked_before(&timed(&site)), FUNDED_PAGES.len());
    let again: Vec<String> = FUNDED_PAGES.iter().map(|p| site.read(p)).collect();
    assert_eq!(before, again, "the pages are the same");

    // One report's text changes: its page is read again, and any other page it changes.
    site.report(
        "news/2024-03-28-budapesta.md",
        "Mentorings Budapeštā",
        "2024-03-28",
        "project: kompetents-iii\n",
        "Cits teksts.",
    );
    let err = timed(&site);
    let now: Vec<String> = FUNDED_PAGES.iter().map(|p| site.read(p)).collect();
    let unchanged = before.iter().zip(&now).filter(|(b, n)| b == n).count();
    assert!(unchanged < FUNDED_PAGES.len(), "the report changed");
    assert_eq!(checked_before(&err), unchanged, "{err}");
    assert!(
        site.read("news/budapesta/index.html")
            .contains("Cits teksts.")
    );

    // A page changed by hand in the output is no page lapa checked: it is read again.
    let page = site.public().join("par-projektu/index.html");
    let html = site.read("par-projektu/index.html");
    let from = html
        .find("<section class=\"eu-funding\"")
        .expect("the block");
    let to = html[from..].find("</section>").expect("its end") + from + "</section>".len();
    std::fs::write(&page, format!("{}{}", &html[..from], &html[to..])).expect("written");
    let err = timed(&site);
    assert_eq!(checked_before(&err), FUNDED_PAGES.len() - 1, "{err}");
    for page in FUNDED_PAGES {
        let html = site.read(page);
        assert_eq!(
            html.matches(&format!("data-eu-funding=\"{CODE}\"")).count(),
            1,
            "{page}:\n{html}"
        );
    }
}

/// A page whose bytes stay the same while the disclaimer it must show changes (the
/// template writes its block out by hand) is read again, and gets lapa's block with the
/// new disclaimer: the output's record keeps what each page was checked for.
#[test]
fn the_same_page_is_read_again_when_its_blocks_change() {
    let disclaimer = |lv: &str| {
        format!(
            "{SITE_YAML}programmes:\n  erasmus-plus:\n    disclaimer:\n      lv: \"{lv}\"\n      en: \"The school's disclaimer.\"\n"
        )
    };
    let site = site_with(&format!(
        "<section data-eu-funding=\"{CODE}\"><svg viewBox=\"0 0 3 2\"></svg><p>{LV_STATEMENT}</p><p>Skolas atruna.</p></section>"
    ));
    site.write("site.yaml", &disclaimer("Skolas atruna."));
    site.build(&[]);
    let first = site.read("news/budapesta/index.html");
    assert_eq!(
        first.matches("data-eu-funding=").count(),
        1,
        "the template's own block is enough:\n{first}"
    );

    site.write("site.yaml", &disclaimer("Cita atruna."));
    let err = timed(&site);
    let html = site.read("news/budapesta/index.html");
    assert!(
        inserted(&html).contains("Cita atruna."),
        "lapa's block with the new disclaimer is missing:\n{html}\n{err}"
    );
}

/// The default theme's funded pages lie in the subset of HTML lapa reads without building
/// the browser's tree (`LAPA_TIMINGS=1` counts the pages of each kind); a template a
/// browser rearranges is read on html5ever's tree.
#[test]
fn the_default_themes_pages_are_read_on_the_fast_path() {
    let err = timed(&funded_site());
    assert!(err.contains("pages read on the fast path"), "{err}");
    assert!(!err.contains("html5ever"), "{err}");
    // The three funded pages' bodies are plain Markdown: a one-shot build jumps over each.
    assert!(
        err.contains("  3 bodies the fast path did not read"),
        "{err}"
    );
    let site = site_with(&format!("<p><b hidden>x</p>{BLOCKS}"));
    let err = timed(&site);
    assert!(err.contains("pages read on html5ever's tree"), "{err}");
}
