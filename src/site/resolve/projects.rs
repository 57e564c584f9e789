//! Projects: each `content/projects/ID.md` checked into a [`Project`].

//! From loaded sources to a [`Site`]: URLs, projects, translations, taxonomies, links.

use super::*;

impl Ctx<'_> {
    pub(super) fn project(
        &self,
        source: &Source,
        id: &str,
        front: &ProjectFront,
    ) -> Result<Project, Diagnostic> {
        let f = &front.fields;
        let example =
            "e.g. `code: 2023-1-LV01-KA121-SCH-000138745` (the number on the grant agreement)";
        let title = f.title.clone().ok_or_else(|| {
            self.error(
                source,
                None,
                format!("project `{id}` has no `title:`: add the project's title"),
            )
        })?;
        let code = f.code.clone().ok_or_else(|| {
            self.error(
                source,
                None,
                format!("project `{id}` has no `code:`: {example}"),
            )
        })?;
        let programme_id = f.programme.clone().ok_or_else(|| {
            self.error(
                source,
                None,
                format!(
                    "project `{id}` has no `programme:`: expected one of {}",
                    self.known_programmes()
                ),
            )
        })?;
        let programme = self.config.programmes.get(&programme_id).ok_or_else(|| {
            self.error(source, Some("programme"), format!(
                "`programme: {programme_id}` is not a programme lapa knows: expected one of {} (or add it under `programmes:` in site.yaml)",
                self.known_programmes()
            ))
        })?;
        let facts = programme
            .check_code(&code)
            .map_err(|message| self.error(source, Some("code"), message))?;
        let start = self.optional_date(source, "start", f.start.as_deref())?;
        let end = self.optional_date(source, "end", f.end.as_deref())?;
        if let (Some(s), Some(e)) = (start, end)
            && e < s
        {
            return Err(self.error(
                source,
                Some("end"),
                format!("the project ends ({e}) before it starts ({s})"),
            ));
        }
        for lang in front.titles.keys() {
            if !self.config.languages.contains(lang) {
                return Err(self.error(source, Some(&format!("title_{lang}")), format!(
                    "`title_{lang}` is for a language the site does not have: expected one of {}",
                    self.config.languages.iter().map(|l| format!("title_{l}")).collect::<Vec<_>>().join(", ")
                )));
            }
        }
        Ok(Project {
            id: slug::slugify(id),
            file: self.file(&source.path),
            title,
            titles: front.titles.clone(),
            code,
            programme: programme_id,
            facts,
            beneficiary: f.beneficiary.clone(),
            agency: f.agency.clone(),
            start,
            end,
            disclaimer: f.disclaimer.clone(),
            body: Rendered::default(),
            reports: Vec::new(),
        })
    }

    pub(super) fn known_programmes(&self) -> String {
        self.config.programmes.ids().collect::<Vec<_>>().join(", ")
    }

    pub(super) fn optional_date(
        &self,
        source: &Source,
        key: &str,
        text: Option<&str>,
    ) -> Result<Option<Date>, Diagnostic> {
        text.map(|t| {
            t.trim().parse::<Date>().map_err(|_| {
                self.error(
                    source,
                    Some(key),
                    format!("`{key}: {t}` is not a date: expected e.g. `{key}: 2024-03-18`"),
                )
            })
        })
        .transpose()
    }
}
