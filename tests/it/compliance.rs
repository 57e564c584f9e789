//! Compliance beyond the block: the granting authority in the disclaimer, the statement and
//! the disclaimer agreeing, Article 50 descriptions, and the accessibility statement.

use crate::common;

use common::*;

const LV01: &str = "2023-1-LV01-KA121-SCH-000138745";
const ESF_CODE: &str = "4.2.2.3/1/24/I/001";

/// A project file with `code`, `programme` and more front matter lines.
fn project(code: &str, programme: &str, extra: &str, body: &str) -> String {
    format!(
        "---\ntitle: \"Projekts\"\ntitle_en: \"Project\"\ncode: \"{code}\"\nprogramme: {programme}\n{extra}---\n{body}\n"
    )
}

/// A site with one project (`content/projects/p.md`) and a report in each language naming it.
fn site_with(project_file: &str) -> TestSite {
    let site = TestSite::new();
    site.write("content/projects/p.md", project_file)
        .report(
            "news/2024-03-28-zina.md",
            "Ziņa",
            "2024-03-28",
            "project: p\n",
            "Teksts.",
        )
        .report(
            "news/2024-03-28-zina.en.md",
            "News",
            "2024-03-28",
            "project: p\n",
            "Text.",
        );
    site
}

/// The text of the page's disclaimer paragraph, if it has one.
fn disclaimer(html: &str) -> Option<String> {
    let start = html.find("<p class=\"eu-funding__disclaimer\">")?;
    let rest = &html[start..];
    let open = rest.find('>')? + 1;
    let close = rest.find("</p>")?;
    Some(rest[open..close].to_string())
}

/// The text of the page's statement paragraph.
fn statement(html: &str) -> String {
    let start = html
        .find("<p class=\"eu-funding__statement\">")
        .expect("a statement");
    let rest = &html[start..];
    let open = rest.find('>').expect("tag") + 1;
    let close = rest.find("</p>").expect("end");
    rest[open..close].to_string()
}

const ARTICLE_50: &str = "Īss apraksts.\n\n## Mērķi\n\nMērķis.\n\n## Rezultāti\n\nRezultāts.\n";

#[test]
fn a_ka121_lv01_project_names_viaa_in_both_languages_and_never_eacea() {
    let site = site_with(&project(LV01, "erasmus-plus", "", ARTICLE_50));
    site.build(&[]);
    for page in ["news/zina/index.html", "projects/p/index.html"] {
        let lv = disclaimer(&site.read(page)).expect("a disclaimer");
        assert!(
            lv.contains("Valsts izglītības attīstības aģentūras (VIAA)"),
            "{lv}"
        );
        assert!(lv.contains("ne VIAA nevar"), "{lv}");
        assert!(!lv.contains("EACEA"), "{lv}");
    }
    for page in ["en/news/zina/index.html", "en/projects/p/index.html"] {
        let en = disclaimer(&site.read(page)).expect("a disclaimer");
        assert!(
            en.contains("the European Union or the State Education Development Agency (VIAA)."),
            "{en}"
        );
        assert!(en.contains("Neither the European Union nor VIAA"), "{en}");
        assert!(!en.contains("EACEA"), "{en}");
    }
}

#[test]
fn an_lv02_project_names_the_youth_agency() {
    let code = "2024-1-LV02-KA152-YOU-000123456";
    let site = site_with(&project(code, "erasmus-plus", "", ARTICLE_50));
    site.build(&[]);
    let lv = disclaimer(&site.read("news/zina/index.html")).expect("a disclaimer");
    assert!(
        lv.contains("Jaunatnes starptautisko programmu aģentūras (JSPA)"),
        "{lv}"
    );
    let en = disclaimer(&site.read("en/news/zina/index.html")).expect("a disclaimer");
    assert!(
        en.contains("the Agency for International Programs for Youth (JSPA)"),
        "{en}"
    );
    assert!(!en.contains("EACEA") && !en.contains("VIAA"), "{en}");
}

#[test]
fn a_project_agency_field_overrides_the_code() {
    // A known agency named in `agency:` wins over the code's LV01.
    let site = site_with(&project(
        LV01,
        "erasmus-plus",
        "agency: Jaunatnes starptautisko programmu aģentūra\n",
        ARTICLE_50,
    ));
    site.build(&[]);
    let en = disclaimer(&site.read("en/news/zina/index.html")).expect("a disclaimer");
    assert!(en.contains("(JSPA)") && !en.contains("VIAA"), "{en}");
    // Any other name is used as it is written.
    let site = site_with(&project(
        LV01,
        "erasmus-plus",
        "agency: Skolu aģentūra X\n",
        ARTICLE_50,
    ));
    site.build(&[]);
    let lv = disclaimer(&site.read("news/zina/index.html")).expect("a disclaimer");
    assert!(lv.contains("Skolu aģentūra X"), "{lv}");
    assert!(!lv.contains("VIAA") && !lv.contains("EACEA"), "{lv}");
    let en = disclaimer(&site.read("en/news/zina/index.html")).expect("a disclaimer");
    assert!(en.contains("Skolu aģentūra X"), "{en}");
}

#[test]
fn the_statement_and_the_disclaimer_agree() {
    let site = site_with(&project(LV01, "erasmus-plus", "", ARTICLE_50));
    site.build(&[]);
    let lv = site.read("news/zina/index.html");
    assert_eq!(statement(&lv), "Līdzfinansē Eiropas Savienība");
    let d = disclaimer(&lv).expect("a disclaimer");
    assert!(d.starts_with("Līdzfinansē Eiropas Savienība. "), "{d}");
    let en = site.read("en/news/zina/index.html");
    assert_eq!(statement(&en), "Co-funded by the European Union");
    let d = disclaimer(&en).expect("a disclaimer");
    assert!(d.starts_with("Co-funded by the European Union. "), "{d}");

    // One setting turns both into "funded".
    site.write(
        "site.yaml",
        &format!("{SITE_YAML}programmes:\n  erasmus-plus:\n    support: funded\n"),
    );
    site.build(&[]);
    let lv = site.read("news/zina/index.html");
    assert_eq!(statement(&lv), "Finansē Eiropas Savienība");
    let d = disclaimer(&lv).expect("a disclaimer");
    assert!(d.starts_with("Finansē Eiropas Savienība. "), "{d}");
    let en = site.read("en/news/zina/index.html");
    assert_eq!(statement(&en), "Funded by the European Union");
    let d = disclaimer(&en).expect("a disclaimer");
    assert!(d.starts_with("Funded by the European Union. "), "{d}");
}

#[test]
fn a_2014_2020_project_shows_that_period_s_english_statement() {
    // The 2014–2020 Erasmus+ guidance for beneficiaries asks for "Co-funded by the
    // Erasmus+ Programme of the European Union" beside the emblem (docs/site.md, "Sources").
    let site = site_with(&project(
        "2019-1-LV01-KA101-060426",
        "erasmus-plus-2014",
        "",
        ARTICLE_50,
    ));
    site.build(&[]);
    let en = site.read("en/news/zina/index.html");
    assert_eq!(
        statement(&en),
        "Co-funded by the Erasmus+ Programme of the European Union"
    );
    // No Latvian wording of that period was found: the current Latvian statement stays.
    let lv = site.read("news/zina/index.html");
    assert_eq!(statement(&lv), "Līdzfinansē Eiropas Savienība");
}

#[test]
fn the_agency_s_own_latvian_disclaimer_from_site_yaml_replaces_lapa_s() {
    // The form docs/site.md shows a school whose agency gave it its own wording.
    let site = site_with(&project(LV01, "erasmus-plus", "", ARTICLE_50));
    site.write(
        "site.yaml",
        &format!(
            "{SITE_YAML}programmes:\n  erasmus-plus:\n    disclaimer:\n      lv: \"{{statement}}. Aģentūras teksts par {{authority_of}} viedokli. Ne Eiropas Savienība, ne {{authority}} neatbild.\"\n"
        ),
    );
    site.build(&[]);
    let lv = disclaimer(&site.read("news/zina/index.html")).expect("a disclaimer");
    assert_eq!(
        lv,
        "Līdzfinansē Eiropas Savienība. Aģentūras teksts par Valsts izglītības attīstības aģentūras (VIAA) viedokli. Ne Eiropas Savienība, ne VIAA neatbild."
    );
    // The English page keeps lapa's English text.
    let en = disclaimer(&site.read("en/news/zina/index.html")).expect("a disclaimer");
    assert!(
        en.starts_with("Co-funded by the European Union. Views and opinions"),
        "{en}"
    );
}

#[test]
fn an_esf_plus_project_gets_its_statement_and_no_disclaimer() {
    let site = site_with(&project(ESF_CODE, "esf-plus", "", ARTICLE_50));
    site.build(&[]);
    for (page, words) in [
        ("news/zina/index.html", "Līdzfinansē Eiropas Savienība"),
        ("en/news/zina/index.html", "Co-funded by the European Union"),
        ("projects/p/index.html", "Līdzfinansē Eiropas Savienība"),
    ] {
        let html = site.read(page);
        assert!(html.contains(&format!("data-eu-funding=\"{ESF_CODE}\"")));
        assert_eq!(statement(&html), words);
        assert_eq!(disclaimer(&html), None, "{page}");
    }
}

/// `lapa check`'s output (it must not fail on warnings alone).
fn check(site: &TestSite) -> String {
    let out = site.lapa(&["check"]);
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    assert!(out.status.success(), "{text}");
    text
}

#[test]
fn check_warns_when_an_esf_project_lacks_aims_or_results() {
    let site = site_with(&project(ESF_CODE, "esf-plus", "", "Tikai apraksts.\n"));
    let out = check(&site);
    let line = out
        .lines()
        .find(|l| l.contains("aims and results"))
        .unwrap_or_else(|| panic!("no Article 50 warning:\n{out}"));
    assert!(line.contains("content/projects/p.md"), "{line}");
    assert!(line.contains("warning"), "{line}");
    assert!(
        line.contains("`## Mērķi`") && line.contains("`## Rezultāti`"),
        "{line}"
    );

    // Only results missing: only results named.
    site.write(
        "content/projects/p.md",
        &project(
            ESF_CODE,
            "esf-plus",
            "",
            "Apraksts.\n\n## Projekta mērķis\n\nX.\n",
        ),
    );
    let out = check(&site);
    let line = out
        .lines()
        .find(|l| l.contains("aims and results"))
        .unwrap_or_else(|| panic!("no Article 50 warning:\n{out}"));
    assert!(
        !line.contains("`## Mērķi`") && line.contains("`## Rezultāti`"),
        "{line}"
    );

    // Both sections (in English too): silent.
    site.write(
        "content/projects/p.md",
        &project(
            ESF_CODE,
            "esf-plus",
            "",
            "About.\n\n## Aims\n\nX.\n\n## Expected results\n\nY.\n",
        ),
    );
    assert!(!check(&site).contains("aims and results"));
}

#[test]
fn check_is_silent_about_aims_for_a_programme_without_that_duty() {
    let site = site_with(&project(LV01, "erasmus-plus", "", "Tikai apraksts.\n"));
    assert!(!check(&site).contains("aims and results"));
    // A site may give Erasmus+ the duty too.
    site.write(
        "site.yaml",
        &format!("{SITE_YAML}programmes:\n  erasmus-plus:\n    aims_and_results: true\n"),
    );
    assert!(check(&site).contains("aims and results"));
}

#[test]
fn check_warns_about_an_agency_code_lapa_cannot_name() {
    let site = site_with(&project(
        "2023-1-DE02-KA121-SCH-000138745",
        "erasmus-plus",
        "",
        ARTICLE_50,
    ));
    site.build(&[]);
    let en = disclaimer(&site.read("en/news/zina/index.html")).expect("a disclaimer");
    assert!(en.contains("or the national agency (DE02)."), "{en}");
    let out = check(&site);
    assert!(
        out.lines().any(|l| l.contains("content/projects/p.md")
            && l.contains("national agency DE02")
            && l.contains("`agency:`")),
        "{out}"
    );
    // With `agency:` written, silent.
    site.write(
        "content/projects/p.md",
        &project(
            "2023-1-DE02-KA121-SCH-000138745",
            "erasmus-plus",
            "agency: Nationale Agentur\n",
            ARTICLE_50,
        ),
    );
    assert!(!check(&site).contains("national agency DE02"));
}

#[test]
fn check_warns_when_site_css_styles_the_statement_against_annex_ix() {
    let site = site_with(&project(LV01, "erasmus-plus", "", ARTICLE_50));
    assert!(!check(&site).contains("Annex IX"));
    site.write(
        "templates/extra.css",
        "body { color: red; font-family: Comic Sans MS; }\n\n.eu-funding__statement {\n  font-family: \"Comic Sans MS\", cursive;\n  font-style: italic;\n}\n",
    );
    let out = check(&site);
    let lines: Vec<&str> = out.lines().filter(|l| l.contains("Annex IX")).collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(
        lines.iter().all(|l| l.contains("templates/extra.css:3")),
        "{out}"
    );
    assert!(lines[0].contains("comic sans ms") || lines[1].contains("comic sans ms"));
    // Allowed values: silent.
    site.write(
        "templates/extra.css",
        ".eu-funding__statement { font-family: Verdana, Tahoma, sans-serif; color: #003399; }\n",
    );
    assert!(!check(&site).contains("Annex IX"));
}

/// The default funding partial with a school's logo beside the blocks.
fn partial_with_logo(width: u32, height: u32) -> String {
    format!(
        "{{%- if funding %}}\n<div class=\"funding\">\n<img src=\"/skola.png\" alt=\"Skola\" width=\"{width}\" height=\"{height}\">\n{{%- for f in funding %}}\n{{{{ f | safe }}}}\n{{%- endfor %}}\n</div>\n{{%- endif %}}\n"
    )
}

#[test]
fn check_warns_when_a_logo_beside_the_block_is_larger_than_the_emblem() {
    let site = site_with(&project(LV01, "erasmus-plus", "", ARTICLE_50));
    site.write("content/skola.png", "a logo");
    // The default theme: no other logo, no warning.
    assert!(!check(&site).contains("larger than the EU emblem"));

    // 200×120 beside an emblem of 81×54: larger both ways.
    site.write(
        "templates/partials/funding.html",
        &partial_with_logo(200, 120),
    );
    let out = check(&site);
    let warnings: Vec<&str> = out
        .lines()
        .filter(|l| l.contains("larger than the EU emblem"))
        .collect();
    // One warning for each template that shows the logo, not one for each page.
    assert_eq!(warnings.len(), 2, "{out}");
    for template in ["report.html", "project.html"] {
        assert!(
            warnings.iter().any(|l| l.contains("warning:")
                && l.contains(&format!(
                    "the template {template} shows <img src=\"/skola.png\"> (200×120 px)"
                ))
                && l.contains("(81×54 px)")
                && l.contains("Annex IX")),
            "{template}: {out}"
        );
    }

    // As high as the emblem (wider is allowed: "in height or width"): silent.
    site.write(
        "templates/partials/funding.html",
        &partial_with_logo(160, 54),
    );
    assert!(!check(&site).contains("larger than the EU emblem"));
}

#[test]
fn the_default_theme_sets_the_statement_by_annex_ix() {
    let site = site_with(&project(LV01, "erasmus-plus", "", ARTICLE_50));
    site.build(&[]);
    let css = site.read("style.css");
    let rule = css
        .split("\n.eu-funding__statement {")
        .nth(1)
        .and_then(|r| r.split('}').next())
        .expect("a rule for the statement");
    for want in [
        "font-family: var(--eu-statement-font);",
        "font-style: normal;",
        "color: var(--eu-statement);",
        "text-decoration: none;",
    ] {
        assert!(rule.contains(want), "{want} in {rule}");
    }
    assert!(css.contains(
        "--eu-statement-font: Ubuntu, Arial, Verdana, Tahoma, Calibri, \"Trebuchet MS\", Garamond, sans-serif;"
    ));
    assert!(css.contains("--eu-statement: #003399;"));
    // The theme brings the Ubuntu font with its licence, loaded without hiding the text.
    for file in [
        "ubuntu-latin-700-normal.woff2",
        "ubuntu-latin-ext-700-normal.woff2",
    ] {
        assert!(
            css.contains(&format!("url(fonts/{file}) format(\"woff2\")")),
            "{file}"
        );
        let bytes = std::fs::read(site.public().join("fonts").join(file)).expect("the font file");
        assert_eq!(&bytes[..4], b"wOF2", "{file} is a WOFF2 font");
    }
    assert_eq!(css.matches("font-display: swap;").count(), 2);
    assert!(
        site.read("fonts/UBUNTU-FONT-LICENCE.txt")
            .contains("UBUNTU FONT LICENCE Version 1.0")
    );
    // Nothing else in the theme asks for Ubuntu, so only the statement downloads it.
    let mut bare = String::new();
    let mut rest = css.as_str();
    while let Some(i) = rest.find("/*") {
        bare.push_str(&rest[..i]);
        rest = rest[i..].find("*/").map_or("", |j| &rest[i + j + 2..]);
    }
    bare.push_str(rest);
    let uses: Vec<&str> = bare
        .lines()
        .filter(|l| l.contains("Ubuntu") && !l.trim_start().starts_with("src:"))
        .filter(|l| l.trim() != "font-family: Ubuntu;")
        .collect();
    assert_eq!(
        uses,
        [
            "  --eu-statement-font: Ubuntu, Arial, Verdana, Tahoma, Calibri, \"Trebuchet MS\", Garamond, sans-serif;"
        ]
    );
}

#[test]
fn new_project_writes_a_project_with_aims_and_results() {
    let site = TestSite::new();
    let out = site.lapa(&[
        "new",
        "project",
        "Kompetents skolotājs IV",
        "--code",
        "2025-1-LV01-KA121-SCH-000111222",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(
        path.ends_with("content/projects/kompetents-skolotajs-iv.md"),
        "{path}"
    );
    let text = std::fs::read_to_string(&path).expect("written");
    assert!(
        text.contains("code: \"2025-1-LV01-KA121-SCH-000111222\""),
        "{text}"
    );
    assert!(text.contains("programme: erasmus-plus"), "{text}");
    assert!(
        text.contains("\n## Mērķi\n") && text.contains("\n## Rezultāti\n"),
        "{text}"
    );
    // The programme follows the code's shape; it builds and never overwrites.
    let esf = site.lapa(&["new", "project", "ESF projekts", "--code", ESF_CODE]);
    assert!(esf.status.success(), "{}", stderr(&esf));
    let text = std::fs::read_to_string(site.path().join("content/projects/esf-projekts.md"))
        .expect("written");
    assert!(text.contains("programme: esf-plus"), "{text}");
    assert!(!check(&site).contains("aims and results"));
    let again = site.lapa(&[
        "new",
        "project",
        "Kompetents skolotājs IV",
        "--code",
        "2025-1-LV01-KA121-SCH-000111222",
    ]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("never overwrites"),
        "{}",
        stderr(&again)
    );
    let bad = site.lapa(&["new", "project", "X", "--code", "2025-1-LV01-KA1-SCH-1"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("does not fit"), "{}", stderr(&bad));
}

const STATEMENT_YAML: &str = "accessibility:
  status: partial
  not_accessible:
    lv: [\"Vecākiem PDF failiem nav teksta slāņa.\"]
    en: [\"Older PDF files have no text layer.\"]
  alternatives: { lv: \"Rakstiet mums.\", en: \"Write to us.\" }
  method: self-assessment
  assessment: { lv: \"Pārbaudījām ar axe.\", en: \"We checked with axe.\" }
  prepared: 2026-09-01
  reviewed: REVIEWED
  contact: { email: skola@example.lv }
  supervisor:
    name: { lv: \"Valsts reģionālās attīstības aģentūra\", en: \"State Regional Development Agency\" }
    address: \"Elizabetes iela 19, Rīga\"
";

/// Today's date (UTC, as lapa's build date) moved by `span`, as YYYY-MM-DD: tests of the
/// yearly review must not depend on the day they run.
fn today_minus(span: jiff::Span) -> String {
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date()
        .checked_sub(span)
        .expect("a date")
        .to_string()
}

fn recently() -> String {
    today_minus(jiff::Span::new().days(10))
}

fn statement_site(reviewed: &str) -> TestSite {
    let site = site_with(&project(LV01, "erasmus-plus", "", ARTICLE_50));
    site.write(
        "site.yaml",
        &format!(
            "{SITE_YAML}{}",
            STATEMENT_YAML.replace("REVIEWED", reviewed)
        ),
    );
    site
}

#[test]
fn the_accessibility_statement_is_made_from_site_yaml_in_each_language() {
    let reviewed = recently();
    let site = statement_site(&reviewed);
    site.build(&[]);
    let lv = site.read("pieklustamiba/index.html");
    for want in [
        "<h1",
        "Paziņojums par piekļūstamību",
        "Testa skola apņemas nodrošināt",
        "skola.example.lv",
        "Atbilstības statuss",
        "daļēji atbilst",
        "Nepiekļūstamais saturs",
        "Vecākiem PDF failiem nav teksta slāņa.",
        "Rakstiet mums.",
        "Paziņojuma sagatavošana",
        "2026-09-01",
        "pašnovērtējumu",
        reviewed.as_str(),
        "mailto:skola@example.lv",
        "Pārsūdzības kārtība",
        "Valsts reģionālās attīstības aģentūra",
        "Elizabetes iela 19, Rīga",
    ] {
        assert!(lv.contains(want), "{want} is missing");
    }
    let en = site.read("en/pieklustamiba/index.html");
    for want in [
        "Accessibility statement",
        "partially compliant",
        "Older PDF files have no text layer.",
        "a self-assessment",
        "Enforcement procedure",
        "State Regional Development Agency",
    ] {
        assert!(en.contains(want), "{want} is missing");
    }
    // Linked from every page's footer, in its language.
    for (page, link) in [
        ("index.html", "href=\"/pieklustamiba/\""),
        ("news/zina/index.html", "href=\"/pieklustamiba/\""),
        ("projects/p/index.html", "href=\"/pieklustamiba/\""),
        ("en/news/zina/index.html", "href=\"/en/pieklustamiba/\""),
    ] {
        let html = site.read(page);
        let footer = &html[html.find("<footer").expect("a footer")..];
        assert!(footer.contains(link), "{page}: {footer}");
    }
    assert!(!check(&site).contains("accessibility"));
}

#[test]
fn a_hand_written_page_at_the_statement_address_is_an_error() {
    let site = statement_site(&recently());
    site.write(
        "content/pieklustamiba.md",
        "---\ntitle: Mūsu paziņojums\n---\nTeksts.\n",
    );
    let out = site.lapa(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("content/pieklustamiba.md"), "{err}");
    assert!(err.contains("accessibility:"), "{err}");
    // Without the block, the hand-written page is the site's statement, and check says
    // the block is missing.
    site.write("site.yaml", SITE_YAML);
    site.build(&[]);
    assert!(
        site.read("pieklustamiba/index.html")
            .contains("Mūsu paziņojums")
    );
    let out = check(&site);
    assert!(
        out.lines()
            .any(|l| l.contains("site.yaml") && l.contains("no `accessibility:` block")),
        "{out}"
    );
}

#[test]
fn check_warns_about_empty_elements_and_an_old_review() {
    let site = statement_site("2020-01-15");
    let out = check(&site);
    assert!(
        out.lines()
            .any(|l| l.contains("`accessibility: reviewed:` is 2020-01-15")
                && l.contains("more than a year")),
        "{out}"
    );
    assert!(!out.contains("is empty"), "{out}");
    let site = TestSite::new();
    site.write(
        "site.yaml",
        &format!("{SITE_YAML}accessibility:\n  status: partial\n  contact: {{ email: \"\" }}\n"),
    );
    let out = check(&site);
    for key in [
        "not_accessible",
        "alternatives",
        "method",
        "assessment",
        "prepared",
        "reviewed",
        "contact",
        "supervisor: name",
        "supervisor: address",
    ] {
        assert!(
            out.contains(&format!("`accessibility: {key}:` is empty")),
            "{key}: {out}"
        );
    }
    assert!(!out.contains("`accessibility: status:` is empty"), "{out}");
    site.build(&[]);
    assert!(
        site.read("pieklustamiba/index.html")
            .contains("vēl jāaizpilda")
    );
}

#[test]
fn a_review_exactly_a_year_ago_is_due_today_and_not_yet_late() {
    let year = jiff::Span::new().years(1);
    let site = statement_site(&today_minus(year));
    assert!(!check(&site).contains("more than a year"));
    let late = today_minus(year.days(1));
    let site = statement_site(&late);
    let out = check(&site);
    assert!(
        out.lines().any(|l| l.contains("warning:")
            && l.contains(&format!(
                "`accessibility: reviewed:` is {late}, more than a year"
            ))),
        "{out}"
    );
}

#[test]
fn a_bad_accessibility_date_or_key_is_an_error() {
    let site = statement_site("2026-13-01");
    let out = site.lapa(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("`accessibility: reviewed:`"),
        "{}",
        stderr(&out)
    );
    let site = TestSite::new();
    site.write(
        "site.yaml",
        &format!("{SITE_YAML}accessibility:\n  statuss: full\n"),
    );
    let out = site.lapa(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("statuss"), "{}", stderr(&out));
}

#[test]
fn init_writes_the_statement_block_and_a_project_with_aims_and_results() {
    let dir = tempfile::tempdir().expect("temp");
    let root = dir.path().join("skola");
    let out = assert_cmd::Command::cargo_bin("lapa")
        .expect("lapa")
        .env("LAPA_LANG", "en")
        .args(["init"])
        .arg(&root)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let yaml = std::fs::read_to_string(root.join("site.yaml")).expect("site.yaml");
    assert!(yaml.contains("\naccessibility:\n"), "{yaml}");
    assert!(yaml.contains("axe"), "{yaml}");
    let project =
        std::fs::read_to_string(root.join("content/projects/mans-projekts.md")).expect("project");
    assert!(project.contains("\n## Mērķi\n") && project.contains("\n## Rezultāti\n"));
    let check = assert_cmd::Command::cargo_bin("lapa")
        .expect("lapa")
        .env("LAPA_LANG", "en")
        .args(["check", "--root"])
        .arg(&root)
        .output()
        .expect("runs");
    let err = stderr(&check);
    assert!(check.status.success(), "{err}");
    // The school's parts are marked to fill, and check says which.
    assert!(err.contains("`accessibility: contact:` is empty"), "{err}");
    assert!(
        !err.contains("`accessibility: assessment:` is empty"),
        "{err}"
    );
    assert!(!err.contains("aims and results"), "{err}");
}
