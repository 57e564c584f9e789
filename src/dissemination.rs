//! Dissemination evidence: every published page naming a project, as CSV and JSON.
//!
//! This is what a school attaches to its final report to the national agency.

use serde::Serialize;

use crate::site::{ProjectId, Site};

/// One publication of one project.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct EvidenceRow {
    /// The project's code, so rows of several projects can share one table.
    pub project: String,
    pub date: String,
    pub title: String,
    pub language: String,
    pub url: String,
    pub authors: String,
    pub activity: String,
    pub mobility_title: String,
    pub place: String,
    pub start: String,
    pub end: String,
    /// The mobility's country (ISO 3166-1 alpha-2), days (start to end, both included)
    /// and participants; empty on a page without a mobility.
    pub country: String,
    pub days: String,
    pub participants: String,
}

/// The CSV header, in the order of [`EvidenceRow`]'s fields.
const HEADER: [&str; 14] = [
    "project",
    "date",
    "title",
    "language",
    "url",
    "authors",
    "activity",
    "mobility_title",
    "place",
    "start",
    "end",
    "country",
    "days",
    "participants",
];

/// A project's evidence as JSON: the project, then its publications.
#[derive(Debug, Serialize)]
pub struct Evidence<'a> {
    pub project: ProjectFacts<'a>,
    pub publications: Vec<EvidenceRow>,
    /// Each mobility once (a report and its translations are one mobility), oldest first.
    pub mobilities: Vec<MobilityRow>,
}

/// One mobility, counted once: what the final report to the agency asks for.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct MobilityRow {
    /// The URL of the report that tells of it (in the site's default language when it has one).
    pub report: String,
    pub date: String,
    pub activity: String,
    pub place: String,
    pub country: String,
    pub start: String,
    pub end: String,
    pub days: u64,
    pub participants: u32,
}

/// The mobilities of `project`, each once, oldest first.
pub fn mobilities(site: &Site, project: ProjectId) -> Vec<MobilityRow> {
    let urls = &site.urls;
    let mut rows: Vec<MobilityRow> = crate::outcomes::counts::counted_pages(site)
        .filter(|&id| site.page(id).projects.contains(&project))
        .filter_map(|id| {
            let page = site.page(id);
            let m = page.mobility.as_ref()?;
            Some(MobilityRow {
                report: urls.absolute(&page.url),
                date: page.date.map(|d| d.iso_day()).unwrap_or_default(),
                activity: m.activity.as_str().to_string(),
                place: m.place.clone().unwrap_or_default(),
                country: m.location.country.clone().unwrap_or_default(),
                start: m.start.map(|d| d.to_string()).unwrap_or_default(),
                end: m.end.map(|d| d.to_string()).unwrap_or_default(),
                days: crate::outcomes::counts::days(m),
                participants: m.participants,
            })
        })
        .collect();
    rows.reverse();
    rows
}

#[derive(Debug, Serialize)]
pub struct ProjectFacts<'a> {
    pub id: &'a str,
    pub code: &'a str,
    pub title: &'a str,
    pub programme: &'a str,
    pub beneficiary: Option<&'a str>,
    pub agency: Option<&'a str>,
}

/// The rows of `project`: its published pages, newest first, every language.
pub fn rows(site: &Site, project: ProjectId) -> Vec<EvidenceRow> {
    let urls = &site.urls;
    site.project(project)
        .reports
        .iter()
        .map(|&id| {
            let page = site.page(id);
            let m = page.mobility.as_ref();
            EvidenceRow {
                project: site.project(project).code.clone(),
                date: page.date.map(|d| d.iso_day()).unwrap_or_default(),
                title: page.title.clone(),
                language: page.lang.clone(),
                url: urls.absolute(&page.url),
                authors: page.authors.join("; "),
                activity: m
                    .map(|m| m.activity.as_str().to_string())
                    .unwrap_or_default(),
                mobility_title: m.and_then(|m| m.title.clone()).unwrap_or_default(),
                place: m.and_then(|m| m.place.clone()).unwrap_or_default(),
                start: m
                    .and_then(|m| m.start)
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                end: m
                    .and_then(|m| m.end)
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                country: m
                    .and_then(|m| m.location.country.clone())
                    .unwrap_or_default(),
                days: m
                    .map(|m| crate::outcomes::counts::days(m).to_string())
                    .unwrap_or_default(),
                participants: m.map(|m| m.participants.to_string()).unwrap_or_default(),
            }
        })
        .collect()
}

/// The evidence of one project as JSON (an object), or of several (an array of them).
pub fn to_json_for(site: &Site, projects: &[ProjectId]) -> String {
    let text = match projects {
        [one] => serde_json::to_string_pretty(&evidence(site, *one)),
        many => serde_json::to_string_pretty(
            &many.iter().map(|&p| evidence(site, p)).collect::<Vec<_>>(),
        ),
    };
    // Serialising plain strings cannot fail.
    text.unwrap_or_default() + "\n"
}

/// The evidence of several projects as one CSV table.
pub fn to_csv_for(site: &Site, projects: &[ProjectId]) -> String {
    let rows: Vec<EvidenceRow> = projects.iter().flat_map(|&p| rows(site, p)).collect();
    to_csv(&rows)
}

fn evidence(site: &Site, project: ProjectId) -> Evidence<'_> {
    let p = site.project(project);
    Evidence {
        project: ProjectFacts {
            id: &p.id,
            code: &p.code,
            title: &p.title,
            programme: &p.programme,
            beneficiary: p.beneficiary.as_deref(),
            agency: p.agency.as_deref(),
        },
        publications: rows(site, project),
        mobilities: mobilities(site, project),
    }
}

/// Rows as CSV (RFC 4180, UTF-8, a header row).
pub fn to_csv(rows: &[EvidenceRow]) -> String {
    let mut out = String::new();
    push_record(&mut out, HEADER.iter().copied());
    for r in rows {
        push_record(
            &mut out,
            [
                &r.project,
                &r.date,
                &r.title,
                &r.language,
                &r.url,
                &r.authors,
                &r.activity,
                &r.mobility_title,
                &r.place,
                &r.start,
                &r.end,
                &r.country,
                &r.days,
                &r.participants,
            ]
            .into_iter()
            .map(String::as_str),
        );
    }
    out
}

fn push_record<'a>(out: &mut String, fields: impl Iterator<Item = &'a str>) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_field(out, field);
    }
    out.push_str("\r\n");
}

/// Quote a field when it needs it, and defuse text a spreadsheet would run as a formula.
fn push_field(out: &mut String, field: &str) {
    let neutral;
    let field = if field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        neutral = format!("'{field}");
        neutral.as_str()
    } else {
        field
    };
    if field.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(title: &str) -> EvidenceRow {
        EvidenceRow {
            project: "2023-1-LV01-KA121-SCH-000138745".into(),
            date: "2024-03-28".into(),
            title: title.into(),
            language: "lv".into(),
            url: "https://x.lv/a/".into(),
            authors: "A; B".into(),
            activity: "course".into(),
            mobility_title: String::new(),
            place: "Budapešta, Ungārija".into(),
            start: String::new(),
            end: String::new(),
            country: "HU".into(),
            days: String::new(),
            participants: String::new(),
        }
    }

    #[test]
    fn quoting_and_formulas() {
        let csv = to_csv(&[row("Saka \"sveiki\""), row("=HYPERLINK(\"x\")")]);
        let lines: Vec<&str> = csv.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "project,date,title,language,url,authors,activity,mobility_title,place,start,end,country,days,participants"
        );
        assert!(lines[1].contains("\"Saka \"\"sveiki\"\"\""), "{}", lines[1]);
        assert!(lines[1].contains("\"Budapešta, Ungārija\""));
        assert!(
            lines[2].contains("\"'=HYPERLINK(\"\"x\"\")\""),
            "{}",
            lines[2]
        );
    }
}
