//! The project pages: the list of projects by programme, each project's page, and
//! `/mobility/` (the site's outcomes).

use serde::Serialize;

use super::{PageParts, Renderer};
use crate::error::Diagnostic;
use crate::files::OutputFile;
use crate::funding;
use crate::render::outcomes;
use crate::site::ProjectId;

#[derive(Serialize)]
struct ProjectSummary {
    id: String,
    title: String,
    code: String,
    url: String,
    period_display: String,
    current: bool,
}

#[derive(Serialize)]
struct ProgrammeGroup {
    id: String,
    name: String,
    projects: Vec<ProjectSummary>,
}

#[derive(Serialize)]
struct ProjectsExtra {
    programmes: Vec<ProgrammeGroup>,
}

#[derive(Serialize)]
struct LangTitle {
    lang: String,
    title: String,
}

#[derive(Serialize)]
struct ProjectView {
    id: String,
    title: String,
    code: String,
    url: String,
    programme_name: String,
    action_display: String,
    field_display: String,
    beneficiary: String,
    agency: String,
    period_display: String,
    current: bool,
    content: String,
    atom_url: String,
    csv_url: String,
    json_url: String,
    titles: Vec<LangTitle>,
}

#[derive(Serialize)]
struct YearItems {
    year: i16,
    pages: Vec<tera::Value>,
}

#[derive(Serialize)]
struct ProjectExtra {
    project: ProjectView,
    years: Vec<YearItems>,
    outcomes: outcomes::OutcomesView,
}

#[derive(Serialize)]
struct MobilityExtra {
    outcomes: outcomes::OutcomesView,
    projects: Vec<outcomes::TallyRow>,
}

impl Renderer<'_> {
    pub(super) fn projects(&self, l: &str) -> Result<OutputFile, Diagnostic> {
        let urls = self.urls();
        self.finish(
            l,
            PageParts {
                translations: self.everywhere(l, |o| urls.projects(o), |_| true),
                ..PageParts::new(
                    "projects.html",
                    urls.projects(l),
                    self.views.ui(l).get("projects"),
                    ProjectsExtra {
                        programmes: self.programmes(l),
                    },
                )
            },
        )
    }

    pub(super) fn project(&self, l: &str, project: ProjectId) -> Result<OutputFile, Diagnostic> {
        let urls = self.urls();
        let p = self.site().project(project);
        self.finish(
            l,
            PageParts {
                description: Some(p.body.first_paragraph.clone()).filter(|d| !d.is_empty()),
                translations: self.everywhere(l, |o| urls.project(o, &p.id), |_| true),
                funding: vec![project],
                ..PageParts::new(
                    "project.html",
                    urls.project(l, &p.id),
                    p.title_in(l).to_string(),
                    ProjectExtra {
                        project: self.project_view(project, l),
                        years: self.project_years(project, l),
                        outcomes: outcomes::view(
                            self.outcomes.project(project),
                            self.views.ui(l),
                            l,
                            "outcomes-map",
                        ),
                    },
                )
            },
        )
    }

    pub(super) fn mobility(&self, l: &str) -> Result<OutputFile, Diagnostic> {
        let site = self.site();
        let urls = self.urls();
        let ui = self.views.ui(l);
        self.finish(
            l,
            PageParts {
                description: Some(ui.get("outcomes_intro")),
                translations: self.everywhere(l, |o| urls.mobility(o), |_| true),
                ..PageParts::new(
                    "mobility.html",
                    urls.mobility(l),
                    ui.get("mobility_page"),
                    MobilityExtra {
                        outcomes: outcomes::view(&self.outcomes.site, ui, l, "outcomes-map"),
                        projects: site
                            .projects
                            .iter()
                            .zip(&self.outcomes.projects)
                            .map(|(p, s)| {
                                outcomes::project_row(
                                    p.title_in(l).to_string(),
                                    urls.project(l, &p.id),
                                    s,
                                )
                            })
                            .collect(),
                    },
                )
            },
        )
    }

    fn programmes(&self, lang: &str) -> Vec<ProgrammeGroup> {
        let site = self.site();
        let ui = self.views.ui(lang);
        let mut groups: Vec<ProgrammeGroup> = Vec::new();
        for id in site.config.programmes.ids() {
            let Some(programme) = site.config.programmes.get(id) else {
                continue;
            };
            let projects: Vec<ProjectSummary> = site
                .projects
                .iter()
                .filter(|p| p.programme == id)
                .map(|p| ProjectSummary {
                    id: p.id.clone(),
                    title: p.title_in(lang).to_string(),
                    code: p.code.clone(),
                    url: self.urls().project(lang, &p.id),
                    period_display: period(ui, p.start, p.end),
                    current: p.end.is_none_or(|end| end >= site.today),
                })
                .collect();
            if !projects.is_empty() {
                groups.push(ProgrammeGroup {
                    id: id.to_string(),
                    name: programme.name(lang).to_string(),
                    projects,
                });
            }
        }
        groups
    }

    fn project_view(&self, id: ProjectId, lang: &str) -> ProjectView {
        let site = self.site();
        let p = site.project(id);
        let ui = self.views.ui(lang);
        let urls = self.urls();
        let url = urls.project(lang, &p.id);
        let programme_name = site
            .config
            .programmes
            .get(&p.programme)
            .map(|g| g.name(lang).to_string())
            .unwrap_or_default();
        let mut titles = vec![LangTitle {
            lang: site.config.default_language().to_string(),
            title: p.title.clone(),
        }];
        titles.extend(p.titles.iter().map(|(l, t)| LangTitle {
            lang: l.clone(),
            title: t.clone(),
        }));
        ProjectView {
            id: p.id.clone(),
            title: p.title_in(lang).to_string(),
            code: p.code.clone(),
            programme_name,
            action_display: p
                .facts
                .action
                .as_deref()
                .map(|a| action_text(a, lang))
                .unwrap_or_default(),
            field_display: p
                .facts
                .field
                .as_deref()
                .map(|f| field_text(f, lang))
                .unwrap_or_default(),
            beneficiary: p.beneficiary.clone().unwrap_or_default(),
            agency: p.agency.clone().unwrap_or_default(),
            period_display: period(ui, p.start, p.end),
            current: p.end.is_none_or(|end| end >= site.today),
            content: self.views.body_html(&p.body),
            atom_url: urls.atom(&url),
            csv_url: urls.dissemination(&p.id, "csv"),
            json_url: urls.dissemination(&p.id, "json"),
            url,
            titles,
        }
    }

    fn project_years(&self, id: ProjectId, lang: &str) -> Vec<YearItems> {
        let site = self.site();
        let mut years: Vec<YearItems> = Vec::new();
        for &page in site
            .project(id)
            .reports
            .iter()
            .filter(|&&pg| site.page(pg).lang == lang)
        {
            let year = site.page(page).date.map_or(0, |d| d.year());
            match years.last_mut() {
                Some(y) if y.year == year => y.pages.push(self.views.entry(page)),
                _ => years.push(YearItems {
                    year,
                    pages: vec![self.views.entry(page)],
                }),
            }
        }
        years
    }
}

fn action_text(code: &str, lang: &str) -> String {
    match funding::action_name(code, lang) {
        Some(name) => format!("{code} – {name}"),
        None => code.to_string(),
    }
}

fn field_text(code: &str, lang: &str) -> String {
    match funding::field_name(code, lang) {
        Some(name) => format!("{code} – {name}"),
        None => code.to_string(),
    }
}

fn period(
    ui: &crate::theme::UiStrings,
    start: Option<jiff::civil::Date>,
    end: Option<jiff::civil::Date>,
) -> String {
    match (start, end) {
        (Some(s), Some(e)) => format!("{} – {}", ui.day(s), ui.day(e)),
        (Some(s), None) => format!("{} –", ui.day(s)),
        (None, Some(e)) => format!("– {}", ui.day(e)),
        (None, None) => String::new(),
    }
}
