//! Funding: the EU emblem and disclaimer on every funded page, and each project's archive.

use crate::common;

use common::*;

const LV_DISCLAIMER: &str = "Ne Eiropas Savienība, ne VIAA nevar būt atbildīgas par tiem.";
const EN_DISCLAIMER: &str = "Neither the European Union nor VIAA can be held responsible for them.";
const CODE: &str = "2023-1-LV01-KA121-SCH-000138745";
const ESF_CODE: &str = "4.2.2.3/1/24/I/001";

fn funded_site() -> TestSite {
    let site = TestSite::new();
    site.write("content/projects/kompetents-iii.md", PROJECT)
        .write("content/projects/atbalsta-sistema.md", ESF_PROJECT)
        .report(
            "news/2024-03-28-budapesta.md",
            "Mentorings Budapeštā",
            "2024-03-28",
            "project: kompetents-iii\nmobility:\n  activity: course\n  title: Coaching and Mentoring\n  place: Budapešta, Ungārija\n  start: 2024-03-18\n  end: 2024-03-23\nauthors: [Ināra Jasvina]\n",
            "Teksts.",
        )
        .report("news/2024-03-28-budapesta.en.md", "Mentoring in Budapest", "2024-03-28", "project: kompetents-iii\n", "Text.")
        .report("news/2026-02-27-konference.md", "Konference", "2026-02-27", &format!("project: \"{ESF_CODE}\"\n"), "Teksts.")
        .report("news/2025-01-10-abi.md", "Abi projekti", "2025-01-10", "project: [kompetents-iii, atbalsta-sistema]\n", "Teksts.")
        .report("news/2025-02-01-bez.md", "Bez projekta", "2025-02-01", "", "Teksts.");
    site
}

fn blocks(html: &str) -> usize {
    html.matches("data-eu-funding=").count()
}

#[test]
fn a_latvian_erasmus_report_carries_the_latvian_block() {
    let site = funded_site();
    site.build(&[]);
    let html = site.read("news/budapesta/index.html");
    assert!(html.contains(&format!("data-eu-funding=\"{CODE}\"")));
    assert!(html.contains("Līdzfinansē Eiropas Savienība"));
    assert!(html.contains(LV_DISCLAIMER));
    assert!(html.contains("Kompetents skolotājs – skolas attīstības pamats III"));
    assert!(html.contains("Valsts izglītības attīstības aģentūra"));
    assert_eq!(blocks(&html), 1);
}

#[test]
fn its_english_translation_carries_the_english_block() {
    let site = funded_site();
    site.build(&[]);
    let html = site.read("en/news/budapesta/index.html");
    assert!(html.contains(&format!("data-eu-funding=\"{CODE}\"")));
    assert!(html.contains("Co-funded by the European Union"));
    assert!(html.contains(EN_DISCLAIMER));
    assert!(html.contains("Competent teacher – the foundation for school development III"));
    assert!(!html.contains(LV_DISCLAIMER));
}

#[test]
fn an_esf_report_named_by_code_gets_its_own_block() {
    let site = funded_site();
    site.build(&[]);
    let html = site.read("news/konference/index.html");
    assert!(html.contains(&format!("data-eu-funding=\"{ESF_CODE}\"")));
    assert!(html.contains("Līdzfinansē Eiropas Savienība"));
    assert!(
        !html.contains(LV_DISCLAIMER),
        "ESF+ has no disclaimer by default"
    );
    assert_eq!(blocks(&html), 1);
}

#[test]
fn two_projects_two_blocks_and_no_project_no_block() {
    let site = funded_site();
    site.build(&[]);
    let html = site.read("news/abi/index.html");
    assert!(html.contains(&format!("data-eu-funding=\"{CODE}\"")));
    assert!(html.contains(&format!("data-eu-funding=\"{ESF_CODE}\"")));
    assert_eq!(blocks(&html), 2);
    assert_eq!(blocks(&site.read("news/bez/index.html")), 0);
}

#[test]
fn a_page_inheriting_its_sections_project_gets_the_block() {
    let site = funded_site();
    site.write(
        "content/mobilitate/_index.md",
        "---\ntitle: Mobilitāte\nproject: kompetents-iii\n---\n",
    )
    .report(
        "mobilitate/2024-05-01-somija.md",
        "Somijā",
        "2024-05-01",
        "",
        "Teksts.",
    );
    site.build(&[]);
    let html = site.read("mobilitate/somija/index.html");
    assert!(html.contains(&format!("data-eu-funding=\"{CODE}\"")));
    assert!(html.contains(LV_DISCLAIMER));
}

#[test]
fn the_sites_override_and_the_projects_override_win() {
    let site = funded_site();
    site.write(
        "site.yaml",
        &format!("{SITE_YAML}programmes:\n  erasmus-plus:\n    disclaimer:\n      lv: \"Skolas atruna.\"\n      en: \"The school's disclaimer.\"\n"),
    );
    site.build(&[]);
    let html = site.read("news/budapesta/index.html");
    assert!(html.contains("Skolas atruna."));
    assert!(!html.contains(LV_DISCLAIMER));

    site.write(
        "content/projects/kompetents-iii.md",
        &PROJECT.replace(
            "start:",
            "disclaimer:\n  lv: \"Projekta atruna.\"\n  en: \"The project's disclaimer.\"\nstart:",
        ),
    );
    site.build(&[]);
    let html = site.read("news/budapesta/index.html");
    assert!(html.contains("Projekta atruna."));
    assert!(!html.contains("Skolas atruna."));
    assert!(
        site.read("en/news/budapesta/index.html")
            .contains("The project&#39;s disclaimer.")
    );
}

#[test]
fn a_template_that_forgets_the_block_still_gets_it() {
    let site = funded_site();
    site.write(
        "templates/report.html",
        "<!doctype html><html lang=\"{{ lang }}\"><body><main><h1>{{ page.title }}</h1>{{ page.content | safe }}</main><footer>F</footer></body></html>",
    );
    site.build(&[]);
    let html = site.read("news/budapesta/index.html");
    let block = html
        .find(&format!("data-eu-funding=\"{CODE}\""))
        .expect("the block is inserted");
    let main_end = html.find("</main>").expect("main");
    assert!(block < main_end, "inserted inside <main>");
    assert!(html.contains(LV_DISCLAIMER));
}

#[test]
fn the_emblem_is_drawn_to_the_official_geometry() {
    let site = funded_site();
    site.build(&[]);
    let html = site.read("news/budapesta/index.html");
    let start = html.find("<svg class=\"eu-emblem\"").expect("the emblem");
    let end = html[start..].find("</svg>").expect("svg end") + start + "</svg>".len();
    let doc = roxmltree::Document::parse(&html[start..end]).expect("the emblem is well-formed");
    let svg = doc.root_element();
    let view: Vec<f64> = svg
        .attribute("viewBox")
        .expect("viewBox")
        .split_whitespace()
        .map(|n| n.parse().expect("number"))
        .collect();
    let (w, h) = (view[2], view[3]);
    assert!((w / h - 1.5).abs() < 1e-9, "3:2");
    assert!(
        svg.attribute("aria-label").is_some() || svg.children().any(|c| c.has_tag_name("title")),
        "a text alternative"
    );
    let fills: Vec<&str> = svg
        .descendants()
        .filter_map(|n| n.attribute("fill"))
        .collect();
    assert!(
        fills.iter().any(|f| f.eq_ignore_ascii_case("#003399")),
        "Reflex Blue"
    );
    assert!(
        fills.iter().any(|f| f.eq_ignore_ascii_case("#FFCC00")),
        "Yellow"
    );
    let stars: Vec<Vec<(f64, f64)>> = svg
        .descendants()
        .filter(|n| n.has_tag_name("polygon"))
        .map(|n| {
            n.attribute("points")
                .expect("points")
                .split_whitespace()
                .map(|p| {
                    let (x, y) = p.split_once(',').expect("x,y");
                    (x.parse().expect("x"), y.parse().expect("y"))
                })
                .collect()
        })
        .collect();
    assert_eq!(stars.len(), 12, "twelve stars");
    let (cx, cy) = (view[0] + w / 2.0, view[1] + h / 2.0);
    for star in &stars {
        // Ten corners: outer points at even positions.
        let outer: Vec<(f64, f64)> = star.iter().step_by(2).copied().collect();
        assert_eq!(outer.len(), 5, "five-pointed");
        let sx = outer.iter().map(|p| p.0).sum::<f64>() / 5.0;
        let sy = outer.iter().map(|p| p.1).sum::<f64>() / 5.0;
        let r = ((sx - cx).powi(2) + (sy - cy).powi(2)).sqrt();
        assert!(
            (r - h / 3.0).abs() < 0.01,
            "star centre on the circle of radius h/3: {r}"
        );
        for (x, y) in &outer {
            let d = ((x - sx).powi(2) + (y - sy).powi(2)).sqrt();
            assert!(
                (d - h / 18.0).abs() < 0.01,
                "point at h/18 from the star's centre: {d}"
            );
        }
        assert!(
            outer.iter().any(|(x, y)| (x - sx).abs() < 0.01 && *y < sy),
            "one point straight up"
        );
    }
}

#[test]
fn feed_entries_of_funded_pages_carry_the_disclaimer() {
    let site = funded_site();
    site.build(&[]);
    let atom = site.read("atom.xml");
    let doc = roxmltree::Document::parse(&atom).expect("well-formed");
    let entry = doc
        .descendants()
        .find(|n| {
            n.has_tag_name("entry")
                && n.descendants()
                    .any(|t| t.has_tag_name("title") && t.text() == Some("Mentorings Budapeštā"))
        })
        .expect("the funded entry");
    let content = entry
        .descendants()
        .find(|n| n.has_tag_name("content"))
        .and_then(|n| n.text())
        .unwrap_or_default();
    assert!(content.contains(LV_DISCLAIMER), "{content}");
    assert!(content.contains("Līdzfinansē Eiropas Savienība"));
}

#[test]
fn the_project_page_has_its_card_block_and_reports_by_year() {
    let site = funded_site();
    site.build(&[]);
    let html = site.read("projects/kompetents-iii/index.html");
    for needle in [
        CODE,
        "KA121",
        "SCH",
        "Valsts izglītības attīstības aģentūra",
        "Testa skola",
        "Projekta mērķi un rezultāti.",
        "Mentorings Budapeštā",
        "Abi projekti",
        "2024",
        "2025",
    ] {
        assert!(
            html.contains(needle),
            "{needle} missing from the project page"
        );
    }
    assert!(
        !html.contains("Mentoring in Budapest"),
        "only this language's reports"
    );
    assert!(
        html.find("Abi projekti") < html.find("Mentorings Budapeštā"),
        "newest first"
    );
    assert!(html.contains(&format!("data-eu-funding=\"{CODE}\"")));
    let en = site.read("en/projects/kompetents-iii/index.html");
    assert!(en.contains("Mentoring in Budapest"));
    assert!(en.contains("Competent teacher – the foundation for school development III"));
    let list = site.read("projects/index.html");
    assert!(
        list.contains("Kompetents skolotājs") && list.contains("Pedagogu profesionālā atbalsta")
    );
}

#[test]
fn dissemination_csv_and_json_parse_with_real_readers() {
    let site = funded_site();
    site.build(&[]);
    let csv_text = site.read("projects/kompetents-iii/dissemination.csv");
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = reader.headers().expect("a header row").clone();
    assert_eq!(&headers[1], "date");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a valid row")).collect();
    assert_eq!(rows.len(), 3, "lv, en and the two-project report");
    let budapest = rows
        .iter()
        .find(|r| &r[2] == "Mentorings Budapeštā")
        .expect("the Budapest row");
    assert_eq!(&budapest[3], "lv");
    assert_eq!(&budapest[4], "https://skola.example.lv/news/budapesta/");
    assert_eq!(&budapest[8], "Budapešta, Ungārija");
    assert_eq!(&budapest[9], "2024-03-18");

    let json: serde_json::Value =
        serde_json::from_str(&site.read("projects/kompetents-iii/dissemination.json"))
            .expect("JSON");
    assert_eq!(json["project"]["code"], CODE);
    assert_eq!(json["publications"].as_array().map(Vec::len), Some(3));

    let out = site.lapa(&[
        "export",
        "dissemination",
        "--project",
        "kompetents-iii",
        "--format",
        "csv",
    ]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        csv_text,
        "export prints what the site publishes"
    );
    let out = site.lapa(&["export", "dissemination", "--format", "json"]);
    let all: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(all.as_array().map(Vec::len), Some(2), "both projects");
}

fn fails_naming(site: &TestSite, file: &str, needles: &[&str]) {
    let out = site.lapa(&["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(file), "{file} not named in:\n{err}");
    for n in needles {
        assert!(err.contains(n), "{n} not in:\n{err}");
    }
}

#[test]
fn a_code_that_does_not_fit_its_programme_is_an_error() {
    for (code, why) in [
        ("2023-1-LV01-KA121-XXX-000138745", "XXX"),
        ("2019-1-LV01-KA121-SCH-000138745", "2019"),
        (
            "2023-1-LV01-KA121-SCH-00013874",
            "2023-1-LV01-KA121-SCH-000138745",
        ),
    ] {
        let site = TestSite::new();
        site.write("content/projects/p.md", &PROJECT.replace(CODE, code));
        fails_naming(
            &site,
            "content/projects/p.md",
            &[code, why, "2023-1-LV01-KA121-SCH-000138745"],
        );
    }
}

#[test]
fn unknown_projects_and_programmes_and_missing_codes_are_errors() {
    let site = TestSite::new();
    site.write("content/projects/p.md", PROJECT).report(
        "news/2024-01-01-a.md",
        "A",
        "2024-01-01",
        "project: nav-tada\n",
        "Teksts.",
    );
    fails_naming(&site, "content/news/2024-01-01-a.md:4", &["nav-tada", "p"]);

    let site = TestSite::new();
    site.write(
        "content/projects/p.md",
        &PROJECT.replace("programme: erasmus-plus", "programme: horizon"),
    );
    fails_naming(
        &site,
        "content/projects/p.md",
        &["horizon", "erasmus-plus", "esf-plus"],
    );

    let site = TestSite::new();
    site.write(
        "content/projects/p.md",
        &PROJECT.replace(&format!("code: {CODE}\n"), ""),
    );
    fails_naming(
        &site,
        "content/projects/p.md",
        &["code", "2023-1-LV01-KA121-SCH-000138745"],
    );
}

#[test]
fn check_fails_when_a_theme_fakes_the_block() {
    let site = funded_site();
    site.write(
        "templates/report.html",
        "<!doctype html><html lang=\"{{ lang }}\"><body><main><h1>{{ page.title }}</h1>{% for p in page.projects %}<div data-eu-funding=\"{{ p.code }}\"></div>{% endfor %}</main></body></html>",
    );
    let out = site.lapa(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("content/news/2024-03-28-budapesta.md"),
        "{err}"
    );
    assert!(err.contains("funding block"), "{err}");
    assert!(!site.public().exists(), "check writes nothing");
}
