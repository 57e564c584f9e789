//! Outcomes at a glance: a project's mobilities and the site's, counted and drawn on a
//! map of Europe (`/mobility/`, a project's "Outcomes"), in both languages.

use crate::common;

use common::{ESF_PROJECT, PROJECT, TestSite, stderr};

/// A small site with known mobilities: several countries, a city in Latvian and one in
/// English, a place lapa cannot read and a city it does not know, a translation pair, a
/// draft, a report in the future, a course across a month's end, and a second project.
fn site() -> TestSite {
    let site = TestSite::new();
    let m = |activity: &str, place: &str, extra: &str, start: &str, end: &str| {
        format!(
            "project: kompetents-iii\nmobility:\n  activity: {activity}\n  place: {place}\n{extra}  start: {start}\n  end: {end}\n"
        )
    };
    site.write("content/projects/kompetents-iii.md", PROJECT)
        .write("content/projects/atbalsts.md", ESF_PROJECT)
        .report("news/2024-03-28-budapesta.md", "Kursi Budapeštā", "2024-03-28",
            &m("course", "Budapešta, Ungārija", "", "2024-03-18", "2024-03-23"), "Teksts.")
        .report("news/2024-03-28-budapesta.en.md", "A course in Budapest", "2024-03-28",
            &m("course", "Budapest, Hungary", "", "2024-03-18", "2024-03-23"), "Text.")
        // A course across a month's end: 29 April to 3 May is 5 days.
        .report("news/2024-05-27-lisabona.md", "Kursi Lisabonā", "2024-05-27",
            &m("course", "Lisbon", "  country: PT\n  participants: 2\n", "2024-04-29", "2024-05-03"), "Teksts.")
        .report("news/2024-10-18-tampere.md", "Tamperē", "2024-10-18",
            &m("job-shadowing", "Tampere, Somija", "  participants: 11\n", "2024-10-07", "2024-10-11"), "Teksts.")
        .report("news/2024-11-05-mazciemats.md", "Konference", "2024-11-05",
            &m("conference", "Mazciemats, Ungārija", "", "2024-11-04", "2024-11-04"), "Teksts.")
        .report("news/2024-12-03-kaut-kur.md", "Mācīšana", "2024-12-03",
            &m("teaching", "Kaut kur", "  participants: 5\n", "2024-12-02", "2024-12-03"), "Teksts.")
        .report("news/2024-06-01-melnraksts.md", "Melnraksts", "2024-06-01",
            &format!("draft: true\n{}", m("course", "Roma, Itālija", "  participants: 7\n", "2024-05-20", "2024-05-24")), "Teksts.")
        .report("news/2099-01-01-nakotne.md", "Nākotnē", "2099-01-01",
            &m("course", "Parīze, Francija", "", "2098-12-01", "2098-12-05"), "Teksts.")
        .report("news/2025-02-10-esf.md", "ESF kursi", "2025-02-10",
            "project: atbalsts\nmobility:\n  activity: course\n  place: Budapest, Hungary\n  start: 2025-02-03\n  end: 2025-02-07\n", "Teksts.");
    site
}

fn fact(html: &str, key: &str) -> String {
    let start = format!("data-count=\"{key}\">");
    let at = html
        .find(&start)
        .unwrap_or_else(|| panic!("no {key} count in:\n{html}"));
    let rest = &html[at + start.len()..];
    rest[..rest.find('<').expect("end of the count")].to_string()
}

fn facts(html: &str) -> Vec<String> {
    [
        "mobilities",
        "participants",
        "participant_days",
        "countries",
        "cities",
    ]
    .iter()
    .map(|k| fact(html, k))
    .collect()
}

#[test]
fn the_site_page_counts_every_published_mobility_once_in_both_languages() {
    let site = site();
    site.build(&[]);
    let lv = site.read("mobility/index.html");
    // 6 mobilities: the translation counts once, the draft and the future one not at all.
    // Participants 1+2+11+1+5+1 = 21; participant-days 1×6 + 2×5 + 11×5 + 1×1 + 5×2 + 1×5.
    assert_eq!(
        facts(&lv),
        [
            "6 mobilitātes",
            "21 dalībnieks",
            "87 dalībnieku dienas",
            "3 valstis",
            "4 pilsētas"
        ]
    );
    let en = site.read("en/mobility/index.html");
    assert_eq!(
        facts(&en),
        [
            "6 mobilities",
            "21 participants",
            "87 participant-days",
            "3 countries",
            "4 cities"
        ]
    );
    // The country table: cities as the page's language writes them, most mobilities first.
    assert!(lv.contains("<tr data-country=\"HU\"><th scope=\"row\">Ungārija</th><td>Budapešta (2), Mazciemats</td><td class=\"num\">3</td><td class=\"num\">3</td></tr>"), "{lv}");
    assert!(lv.contains("<tr data-country=\"FI\"><th scope=\"row\">Somija</th><td>Tampere</td><td class=\"num\">1</td><td class=\"num\">11</td></tr>"), "{lv}");
    assert!(lv.contains("<tr data-country=\"PT\"><th scope=\"row\">Portugāle</th><td>Lisbon</td><td class=\"num\">1</td><td class=\"num\">2</td></tr>"), "{lv}");
    assert!(en.contains("<tr data-country=\"HU\"><th scope=\"row\">Hungary</th><td>Budapest (2), Mazciemats</td><td class=\"num\">3</td><td class=\"num\">3</td></tr>"), "{en}");
    assert!(
        !lv.contains("Itālija") && !lv.contains("Francija"),
        "a draft or a future report was counted"
    );
    // By year: 2025 has the ESF course, 2024 the rest.
    assert!(lv.contains("<tr data-year=\"2024\"><th scope=\"row\">2024</th><td class=\"num\">5</td><td class=\"num\">20</td><td class=\"num\">82</td><td class=\"num\">3</td><td class=\"num\">4</td></tr>"), "{lv}");
    assert!(lv.contains("<tr data-year=\"2025\"><th scope=\"row\">2025</th><td class=\"num\">1</td><td class=\"num\">1</td><td class=\"num\">5</td><td class=\"num\">1</td><td class=\"num\">1</td></tr>"), "{lv}");
    // By activity.
    for (name, n) in [
        ("Kursi", 3),
        ("Darba vērošana", 1),
        ("Mācīšanas uzdevums", 1),
        ("Konference", 1),
    ] {
        assert!(
            lv.contains(&format!(
                "<tr><th scope=\"row\">{name}</th><td class=\"num\">{n}</td></tr>"
            )),
            "{name}: {lv}"
        );
    }
    // Every project's row, linking to its page.
    assert!(lv.contains("<a href=\"/projects/kompetents-iii/\">Kompetents skolotājs – skolas attīstības pamats III</a></th><td class=\"num\">5</td><td class=\"num\">20</td><td class=\"num\">82</td><td class=\"num\">3</td><td class=\"num\">4</td>"), "{lv}");
    assert!(en.contains("<a href=\"/en/projects/atbalsts/\">Development of a professional support system for teachers</a></th><td class=\"num\">1</td><td class=\"num\">1</td><td class=\"num\">5</td><td class=\"num\">1</td><td class=\"num\">1</td>"), "{en}");
    // In the menu of every page, and credited.
    let home = site.read("index.html");
    assert!(
        home.contains("<a href=\"/mobility/\">Mobilitātes</a>"),
        "{home}"
    );
    assert!(
        site.read("en/index.html")
            .contains("<a href=\"/en/mobility/\">Mobilities</a>")
    );
    assert!(lv.contains("GeoNames") && lv.contains("CC BY 4.0") && lv.contains("Natural Earth"));
}

#[test]
fn a_report_shows_how_many_went() {
    let site = site();
    site.build(&[]);
    let tampere = site.read("news/tampere/index.html");
    assert!(
        tampere.contains("<div><dt>Dalībnieki</dt><dd>11</dd></div>"),
        "{tampere}"
    );
    let budapest = site.read("news/budapesta/index.html");
    assert!(
        !budapest.contains("<dt>Dalībnieki</dt>"),
        "one participant is not worth a line"
    );
}

#[test]
fn each_project_page_has_its_outcomes() {
    let site = site();
    site.build(&[]);
    let a = site.read("projects/kompetents-iii/index.html");
    assert!(
        a.contains("<h2 id=\"outcomes-heading\">Rezultāti</h2>"),
        "{a}"
    );
    assert_eq!(
        facts(&a),
        [
            "5 mobilitātes",
            "20 dalībnieku",
            "82 dalībnieku dienas",
            "3 valstis",
            "4 pilsētas"
        ]
    );
    let b = site.read("en/projects/atbalsts/index.html");
    assert_eq!(
        facts(&b),
        [
            "1 mobility",
            "1 participant",
            "5 participant-days",
            "1 country",
            "1 city"
        ]
    );
    let b = site.read("projects/atbalsts/index.html");
    assert_eq!(
        facts(&b),
        [
            "1 mobilitāte",
            "1 dalībnieks",
            "5 dalībnieku dienas",
            "1 valsts",
            "1 pilsēta"
        ]
    );
}

#[test]
fn latvian_plural_forms_at_0_1_2_11_21() {
    let site = TestSite::new();
    for (i, n) in [1, 2, 11, 21].iter().enumerate() {
        let project = PROJECT.replace("000138745", &format!("00013874{i}"));
        site.write(&format!("content/projects/p{n}.md"), &project).report(
            &format!("news/2024-03-0{}-r{n}.md", i + 1),
            "Kursi",
            &format!("2024-03-0{}", i + 1),
            &format!("project: p{n}\nmobility:\n  place: Budapešta, Ungārija\n  participants: {n}\n  start: 2024-03-01\n  end: 2024-03-01\n"),
            "Teksts.",
        );
    }
    site.write(
        "content/projects/p0.md",
        &PROJECT.replace("000138745", "000138749"),
    );
    site.build(&[]);
    for (n, lv, en) in [
        (1, "1 dalībnieks", "1 participant"),
        (2, "2 dalībnieki", "2 participants"),
        (11, "11 dalībnieku", "11 participants"),
        (21, "21 dalībnieks", "21 participants"),
    ] {
        assert_eq!(
            fact(
                &site.read(&format!("projects/p{n}/index.html")),
                "participants"
            ),
            lv
        );
        assert_eq!(
            fact(
                &site.read(&format!("en/projects/p{n}/index.html")),
                "participants"
            ),
            en
        );
    }
    let none = site.read("projects/p0/index.html");
    assert_eq!(fact(&none, "mobilities"), "0 mobilitāšu");
    assert_eq!(fact(&none, "participants"), "0 dalībnieku");
    assert!(
        none.contains("Vēl nav publicēta neviena mobilitāte."),
        "{none}"
    );
    assert_eq!(
        fact(&site.read("en/projects/p0/index.html"), "mobilities"),
        "0 mobilities"
    );
    // The site: 35 participants ("35 dalībnieki"), 4 mobilities, 1 country, 1 city.
    assert_eq!(
        facts(&site.read("mobility/index.html")),
        [
            "4 mobilitātes",
            "35 dalībnieki",
            "35 dalībnieku dienas",
            "1 valsts",
            "1 pilsēta"
        ]
    );
}

/// The map's country outlines: every ring of a path's `M…L…Z` subpaths.
fn rings(d: &str) -> Vec<Vec<(f64, f64)>> {
    let mut rings = Vec::new();
    for sub in d.split('M').filter(|s| !s.is_empty()) {
        let ring: Vec<(f64, f64)> = sub
            .trim_end_matches('Z')
            .split('L')
            .map(|p| {
                let (x, y) = p.split_once(',').expect("x,y");
                (x.parse().expect("x"), y.parse().expect("y"))
            })
            .collect();
        rings.push(ring);
    }
    rings
}

/// Even-odd point in polygon over all the rings of a country.
fn inside(rings: &[Vec<(f64, f64)>], (x, y): (f64, f64)) -> bool {
    let mut inside = false;
    for ring in rings {
        let n = ring.len();
        for i in 0..n {
            let (x1, y1) = ring[i];
            let (x2, y2) = ring[(i + 1) % n];
            if (y1 > y) != (y2 > y) && x < x1 + (y - y1) * (x2 - x1) / (y2 - y1) {
                inside = !inside;
            }
        }
    }
    inside
}

#[test]
fn the_map_shades_visited_countries_and_puts_each_city_inside_its_country() {
    let site = site();
    site.report("news/2024-09-01-lisabona-atkal.md", "Lisabonā", "2024-09-01",
        "project: kompetents-iii\nmobility:\n  place: Lisabona, Portugāle\n  start: 2024-08-26\n  end: 2024-08-30\n", "Teksts.");
    site.build(&[]);
    let html = site.read("mobility/index.html");
    let start = html.find("<svg class=\"europe-map\"").expect("the map");
    let end = html[start..].find("</svg>").expect("its end") + start + 6;
    let doc = roxmltree::Document::parse(&html[start..end]).expect("the map is well-formed XML");
    let svg = doc.root_element();
    assert_eq!(svg.attribute("role"), Some("img"));
    let labelled: Vec<&str> = svg
        .attribute("aria-labelledby")
        .expect("labelled")
        .split(' ')
        .collect();
    let text_of = |id: &str| {
        doc.descendants()
            .find(|n| n.attribute("id") == Some(id))
            .and_then(|n| n.text())
            .unwrap_or_else(|| panic!("no #{id}"))
            .to_string()
    };
    assert_eq!(
        text_of(labelled[0]),
        "Eiropas karte: kur devās mūsu skolotāji"
    );
    assert_eq!(
        text_of(labelled[1]),
        "7 mobilitātes, 3 valstis, 4 pilsētas. Ungārija: 3 mobilitātes; Portugāle: 2 mobilitātes; Somija: 1 mobilitāte."
    );
    let country = |cc: &str| {
        doc.descendants()
            .find(|n| n.has_tag_name("path") && n.attribute("data-country") == Some(cc))
            .unwrap_or_else(|| panic!("{cc} is not shaded"))
    };
    for (cc, n, shade, title) in [
        ("HU", "3", "2", "Ungārija: 3 mobilitātes"),
        ("PT", "2", "2", "Portugāle: 2 mobilitātes"),
        ("FI", "1", "1", "Somija: 1 mobilitāte"),
    ] {
        let path = country(cc);
        assert_eq!(path.attribute("data-mobilities"), Some(n), "{cc}");
        assert!(
            path.attribute("class")
                .is_some_and(|c| c.contains(&format!("europe-map__shade-{shade}"))),
            "{cc}: {:?}",
            path.attribute("class")
        );
        let t = path
            .children()
            .find(|c| c.has_tag_name("title"))
            .and_then(|t| t.text());
        assert_eq!(t, Some(title));
    }
    // Countries not visited are drawn, unshaded and without a count.
    let unvisited = doc
        .descendants()
        .filter(|n| n.has_tag_name("path") && n.attribute("data-country").is_none())
        .count();
    assert!(unvisited > 30, "only {unvisited} other countries drawn");
    for (city, cc) in [("Budapest", "HU"), ("Lisbon", "PT"), ("Tampere", "FI")] {
        let dot = doc
            .descendants()
            .find(|n| n.attribute("data-city") == Some(city))
            .unwrap_or_else(|| panic!("no dot for {city}"));
        assert_eq!(dot.attribute("data-country"), Some(cc));
        let circle = dot
            .children()
            .find(|c| c.has_tag_name("circle"))
            .expect("a circle");
        let at = |a: &str| {
            circle
                .attribute(a)
                .and_then(|v| v.parse::<f64>().ok())
                .expect(a)
        };
        let point = (at("cx"), at("cy"));
        let outline = rings(country(cc).attribute("d").expect("d"));
        assert!(
            inside(&outline, point),
            "{city} at {point:?} is not inside {cc}"
        );
        for other in ["HU", "PT", "FI"].iter().filter(|o| **o != cc) {
            assert!(
                !inside(&rings(country(other).attribute("d").expect("d")), point),
                "{city} is inside {other}"
            );
        }
    }
    // Lisbon has 2 mobilities: a larger dot than Tampere's 1.
    let r = |city: &str| {
        doc.descendants()
            .find(|n| n.attribute("data-city") == Some(city))
            .and_then(|g| g.children().find(|c| c.has_tag_name("circle")))
            .and_then(|c| c.attribute("r"))
            .and_then(|r| r.parse::<f64>().ok())
            .expect("r")
    };
    assert!(r("Lisbon") > r("Tampere"));
}

#[test]
fn check_warns_about_a_place_it_cannot_read_but_the_build_passes() {
    let site = site();
    let out = site.lapa(&["check"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("content/news/2024-12-03-kaut-kur.md:7: warning: lapa cannot tell which country `place: Kaut kur` is in"),
        "{err}"
    );
    assert!(
        err.contains("content/news/2024-11-05-mazciemats.md:7: warning: lapa does not know the city `Mazciemats` in Hungary, so the map shows this mobility by its country only"),
        "{err}"
    );
    assert!(!err.contains("budapesta.md"), "{err}");
}

#[test]
fn dissemination_files_and_export_list_each_mobility() {
    let site = site();
    site.build(&[]);
    let csv = site.read("projects/kompetents-iii/dissemination.csv");
    let header = csv.lines().next().expect("header");
    assert!(
        header.ends_with(",start,end,country,days,participants"),
        "{header}"
    );
    assert!(
        csv.contains(",Lisbon,2024-04-29,2024-05-03,PT,5,2\r\n"),
        "{csv}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&site.read("projects/kompetents-iii/dissemination.json"))
            .expect("json");
    let mobilities = json["mobilities"].as_array().expect("mobilities");
    // The translation pair is one mobility; oldest first.
    assert_eq!(mobilities.len(), 5);
    assert_eq!(
        mobilities[0]["report"],
        "https://skola.example.lv/news/budapesta/"
    );
    assert_eq!(mobilities[0]["country"], "HU");
    assert_eq!(mobilities[0]["days"], 6);
    assert_eq!(mobilities[1]["place"], "Lisbon");
    assert_eq!(mobilities[1]["participants"], 2);
    let out = site.lapa(&[
        "export",
        "dissemination",
        "--project",
        "kompetents-iii",
        "--format",
        "json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let exported: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(exported["mobilities"], json["mobilities"]);
}
