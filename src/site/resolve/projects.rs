//! Projects: each `content/projects/ID.md` checked into a [`Project`].

//! From loaded sources to a [`Site`]: URLs, projects, translations, taxonomies, links.

use super::*;
use crate::msg;

impl Ctx<'_> {
    pub(super) fn project(
        &self,
        source: &Source,
        id: &str,
        front: &ProjectFront,
    ) -> Result<Project, Diagnostic> {
        let f = &front.fields;
        let example = msg!("project-code-example");
        let title = f
            .title
            .clone()
            .ok_or_else(|| self.error(source, None, msg!("project-no-title", id = id)))?;
        let code = f.code.clone().ok_or_else(|| {
            self.error(
                source,
                None,
                msg!("project-no-code", id = id, example = example),
            )
        })?;
        let programme_id = f.programme.clone().ok_or_else(|| {
            self.error(
                source,
                None,
                msg!(
                    "project-no-programme",
                    id = id,
                    known = self.known_programmes()
                ),
            )
        })?;
        let programme = self.config.programmes.get(&programme_id).ok_or_else(|| {
            self.error(
                source,
                Some("programme"),
                msg!(
                    "project-unknown-programme",
                    programme = programme_id,
                    known = self.known_programmes()
                ),
            )
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
                msg!("project-ends-before-start", end = e, start = s),
            ));
        }
        for lang in front.titles.keys() {
            if !self.config.languages.contains(lang) {
                return Err(self.error(
                    source,
                    Some(&format!("title_{lang}")),
                    msg!(
                        "project-title-other-language",
                        lang = lang,
                        known = self
                            .config
                            .languages
                            .iter()
                            .map(|l| format!("title_{l}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
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
            crate::date::parse_day(t).map_err(|why| {
                self.error(source, Some(key), msg!("field-date", key = key, why = why))
            })
        })
        .transpose()
    }
}
