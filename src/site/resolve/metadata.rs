//! Page metadata: sections, and each page's facts from its front matter and its section's
//! defaults, before its body is rendered.

//! From loaded sources to a [`Site`]: URLs, projects, translations, taxonomies, links.

use super::*;
use crate::msg;

/// A page's facts before its body is rendered.
pub(super) struct PageMeta<'a> {
    pub(super) source: &'a Source,
    pub(super) kind: PageKind,
    pub(super) slug: String,
    pub(super) url: String,
    pub(super) title: String,
    pub(super) date: Option<PageDate>,
    pub(super) authors: Vec<String>,
    pub(super) tags: Vec<Tag>,
    pub(super) projects: Vec<ProjectId>,
    pub(super) summary: Option<String>,
    pub(super) cover: Option<CoverImage>,
    pub(super) mobility: Option<Mobility>,
    pub(super) draft: bool,
    /// Whether its date is after the resolve's time (a draft until then).
    pub(super) future: bool,
    pub(super) published: bool,
    /// `aliases:` as written, with where each redirect page goes.
    pub(super) aliases: Vec<(String, String)>,
}

impl PageMeta<'_> {
    pub(super) fn into_page(self, body: Arc<Rendered>, ctx: &Ctx) -> Page {
        let summary = self
            .summary
            .unwrap_or_else(|| truncate_words(&body.first_paragraph, SUMMARY_CHARS));
        Page {
            kind: self.kind,
            file: ctx.file(&self.source.path),
            rel: self.source.rel.clone(),
            lang: self.source.lang.clone(),
            slug: self.slug,
            output: ctx.urls.output_file(&self.url),
            url: self.url,
            title: self.title,
            date: self.date,
            authors: self.authors,
            tags: self.tags,
            projects: self.projects,
            summary,
            cover: self.cover,
            mobility: self.mobility,
            draft: self.draft,
            body,
            body_line: self.source.body_line,
            front: FrontText {
                text: self.source.front_text.clone(),
                line: self.source.front_line,
            },
            translations: Vec::new(),
            aliases: self.aliases.into_iter().map(|(_, output)| output).collect(),
        }
    }
}

impl Ctx<'_> {
    pub(super) fn sections(
        &self,
        index_src: &[(&Arc<Source>, &String, &IndexFront)],
        page_src: &[(&Arc<Source>, Option<&String>, &PageFront)],
        problems: &mut Diagnostics,
    ) -> Vec<Section> {
        let mut names: Vec<&String> = index_src
            .iter()
            .map(|(_, s, _)| *s)
            .chain(page_src.iter().filter_map(|(_, s, _)| *s))
            .collect();
        names.sort();
        names.dedup();
        let mut sections = Vec::new();
        for name in names {
            let slug = slug::slugify(name);
            if RESERVED.contains(&slug.as_str()) || slug.is_empty() {
                problems.push(Diagnostic::new(
                    format!("content/{name}"),
                    msg!("section-reserved", name = name, slug = slug),
                ));
                continue;
            }
            let titles = index_src
                .iter()
                .filter(|(_, s, _)| *s == name)
                .filter_map(|(src, _, f)| f.title.clone().map(|t| (src.lang.clone(), t)))
                .collect();
            sections.push(Section {
                name: name.clone(),
                slug,
                titles,
                intros: BTreeMap::new(),
                reports: BTreeMap::new(),
            });
        }
        sections
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn page_meta<'s>(
        &self,
        source: &'s Source,
        section: Option<usize>,
        sections: &[Section],
        front: &PageFront,
        inherited: Option<(&IndexFront, &Source)>,
        projects: &[Project],
        options: &Publish,
    ) -> (PageMeta<'s>, Diagnostics) {
        let mut errors = Diagnostics::default();
        let is_report = section.is_some();
        let title = front.title.clone().unwrap_or_else(|| {
            errors.push(self.error(source, None, msg!("page-no-title")));
            String::new()
        });
        let date = match &front.date {
            Some(text) => PageDate::parse(text)
                .map_err(|m| errors.push(self.error(source, Some("date"), m)))
                .ok(),
            None if is_report => {
                errors.push(self.error(source, None, msg!("report-no-date")));
                None
            }
            None => None,
        };
        let file_stem = source.key.rsplit('/').next().unwrap_or(&source.key);
        let slug = match &front.slug {
            Some(s) => slug::slugify(s),
            None => slug::from_file_stem(file_stem),
        };
        if slug.is_empty() {
            errors.push(self.error(source, Some("slug"), msg!("page-empty-url")));
        }
        if section.is_none() && RESERVED.contains(&slug.as_str()) {
            errors.push(self.error(source, Some("slug"), msg!("page-reserved-url", slug = slug)));
        }
        let url = match section {
            Some(s) => self.urls.report(&source.lang, &sections[s].slug, &slug),
            None => self.urls.plain(&source.lang, &slug),
        };

        let (project_names, project_src, project_key) = match (&front.project, inherited) {
            (crate::content::OneOrMany::None, Some((index, index_source))) => {
                (index.project.clone().into_vec(), index_source, "project")
            }
            (p, _) => (p.clone().into_vec(), source, "project"),
        };
        let mut project_ids = Vec::new();
        for name in project_names {
            match projects
                .iter()
                .position(|p| p.id == name || p.code == name || p.id == slug::slugify(&name))
                .map(ProjectId::new)
            {
                Some(id) if !project_ids.contains(&id) => project_ids.push(id),
                Some(_) => {}
                None => {
                    let known: Vec<&str> = projects.iter().map(|p| p.id.as_str()).collect();
                    errors.push(self.error(
                        project_src,
                        Some(project_key),
                        if known.is_empty() {
                            msg!("project-unknown-none-yet", name = name)
                        } else {
                            msg!("project-unknown", name = name, known = known.join(", "))
                        },
                    ));
                }
            }
        }

        let tag_names = front
            .tags
            .clone()
            .or_else(|| inherited.and_then(|(i, _)| i.tags.clone()))
            .unwrap_or_default();
        let mut tags: Vec<Tag> = Vec::new();
        for name in tag_names {
            let name = name.trim().to_string();
            let tag_slug = slug::slugify(&name);
            if tag_slug.is_empty() {
                errors.push(self.error(source, Some("tags"), msg!("tag-no-letters", name = name)));
            } else if !tags.iter().any(|t| t.slug == tag_slug) {
                tags.push(Tag {
                    name,
                    slug: tag_slug,
                });
            }
        }

        let cover = front.cover.as_ref().map(|c| {
            let (url, rel) = self.file_url(&source.rel, &c.src);
            CoverImage {
                url,
                rel,
                alt: c.alt.clone(),
            }
        });
        let mobility = match &front.mobility {
            Some(m) => self.mobility(source, m).map_err(|d| errors.push(d)).ok(),
            None => None,
        };
        let mut aliases = Vec::new();
        for alias in front.aliases.clone().into_vec() {
            match super::super::aliases::output_of(&alias) {
                Ok(Some(output)) => aliases.push((alias, output)),
                Ok(None) => {}
                Err(message) => errors.push(self.error(source, Some("aliases"), message)),
            }
        }
        let future = kept::in_future(date, options.now);
        let meta = PageMeta {
            source,
            kind: match section {
                Some(section) => PageKind::Report { section },
                None => PageKind::Plain,
            },
            slug,
            url,
            title,
            date,
            authors: front.authors.clone().into_vec(),
            tags,
            projects: project_ids,
            summary: front.summary.clone(),
            cover,
            mobility,
            draft: front.draft || future,
            future,
            published: options.drafts || !(front.draft || future),
            aliases,
        };
        (meta, errors)
    }

    /// The URL of a file named in front matter (relative to the Markdown file, or a site path).
    pub(super) fn file_url(&self, page_rel: &str, src: &str) -> (String, Option<String>) {
        if src.contains("://") {
            return (src.to_string(), None);
        }
        if let Some(site_path) = src.strip_prefix('/') {
            return (self.urls.file(site_path), Some(site_path.to_string()));
        }
        let dir = page_rel.rsplit_once('/').map_or("", |(d, _)| d);
        let rel = if dir.is_empty() {
            src.to_string()
        } else {
            format!("{dir}/{src}")
        };
        (self.urls.file(&rel), Some(rel))
    }

    pub(super) fn mobility(
        &self,
        source: &Source,
        m: &crate::content::MobilityFront,
    ) -> Result<Mobility, Diagnostic> {
        let activity = match m.activity.as_deref() {
            None => Activity::Other,
            Some(a) => Activity::parse(a).ok_or_else(|| {
                self.error(
                    source,
                    Some("mobility"),
                    msg!("mobility-unknown-activity", activity = a),
                )
            })?,
        };
        let date = |key: &str, v: &Option<String>| -> Result<Option<Date>, Diagnostic> {
            v.as_deref()
                .map(|t| {
                    crate::date::parse_day(t).map_err(|why| {
                        self.error(
                            source,
                            Some("mobility"),
                            msg!("mobility-date", key = key, why = why),
                        )
                    })
                })
                .transpose()
        };
        let start = date("start", &m.start)?;
        let end = date("end", &m.end)?;
        if let (Some(s), Some(e)) = (start, end)
            && e < s
        {
            return Err(self.error(
                source,
                Some("mobility"),
                msg!("mobility-ends-before-start", end = e, start = s),
            ));
        }
        if m.participants == Some(0) {
            return Err(self.error(source, Some("mobility"), msg!("mobility-no-participants")));
        }
        Ok(Mobility {
            activity,
            title: m.title.clone(),
            place: m.place.clone(),
            location: crate::places::read(m.place.as_deref(), m.country.as_deref()),
            participants: m.participants.unwrap_or(1),
            start,
            end,
        })
    }
}

/// Cut `text` at a word boundary before `max` characters, with an ellipsis.
pub(super) fn truncate_words(text: &str, max: usize) -> String {
    // The first `max` characters, found without counting every character of a long text.
    let Some((end, _)) = text.char_indices().nth(max) else {
        return text.to_string();
    };
    let cut = &text[..end];
    let at = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end_matches([',', ';', ':', ' ']))
}
