//! The accessibility statement: the page made from site.yaml's `accessibility:` block
//! (`config::Accessibility`) in each language, in the structure of the EU model statement (Commission
//! Implementing Decision (EU) 2018/1523, annex). The page is made as a plain page
//! (`content/pieklustamiba.md` and its translations), so it is listed in every page's
//! footer, searched and checked like any other.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, LazyLock};

use serde::Deserialize;

use crate::config::{Accessibility, CONFIG_FILE, Compliance, Config, Method, parse_date};
use crate::content::Content;
use crate::error::{Diagnostic, Diagnostics};
use crate::localized::Localized;

/// The statement's fixed words, per language (accessibility.yaml).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Words {
    title: String,
    intro: String,
    compliance: String,
    full: String,
    partial: String,
    none: String,
    not_accessible: String,
    not_accessible_intro: String,
    alternatives: String,
    preparation: String,
    prepared: String,
    self_assessment: String,
    third_party: String,
    reviewed: String,
    feedback: String,
    feedback_text: String,
    email: String,
    phone: String,
    enforcement: String,
    enforcement_text: String,
    to_fill: String,
}

static WORDS: LazyLock<BTreeMap<String, Words>> = LazyLock::new(|| {
    crate::yaml::from_str(
        include_str!("accessibility.yaml"),
        Path::new("src/accessibility.yaml"),
    )
    .expect("src/accessibility.yaml is invalid; the unit tests say where")
});

fn words(lang: &str) -> &'static Words {
    WORDS
        .get(lang)
        .or_else(|| WORDS.get("en"))
        .expect("accessibility.yaml has English")
}

impl Accessibility {
    /// The statement in `lang` as a Markdown file with front matter.
    pub fn markdown(&self, config: &Config, lang: &str) -> String {
        let w = words(lang);
        let default = config.default_language();
        let text = |t: &Option<Localized>| {
            t.as_ref()
                .and_then(|t| t.get(lang, default))
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map_or_else(|| format!("*{}*", w.to_fill), markdown_text)
        };
        let fill = |template: &str, values: &[(&str, &str)]| {
            values.iter().fold(template.to_string(), |t, (k, v)| {
                t.replace(&format!("{{{k}}}"), v)
            })
        };
        let site = config
            .base_url
            .absolute
            .trim_start_matches("https://")
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        let date = |d: &Option<String>| {
            parse_date(d.as_deref())
                .ok()
                .flatten()
                .map_or_else(|| format!("*{}*", w.to_fill), |d| d.to_string())
        };
        let mut md = String::new();
        let title = serde_json::to_string(&w.title).unwrap_or_default();
        md.push_str(&format!("---\ntitle: {title}\n---\n"));
        md.push_str(&fill(
            &w.intro,
            &[("school", &markdown_text(&config.title)), ("site", &site)],
        ));
        md.push_str(&format!("\n\n## {}\n\n", w.compliance));
        md.push_str(match self.status {
            Some(Compliance::Full) => &w.full,
            Some(Compliance::Partial) => &w.partial,
            Some(Compliance::None) => &w.none,
            None => "",
        });
        if self.status.is_none() {
            md.push_str(&format!("*{}*", w.to_fill));
        }
        if self.status != Some(Compliance::Full) {
            md.push_str(&format!(
                "\n\n## {}\n\n{}\n\n",
                w.not_accessible, w.not_accessible_intro
            ));
            let items = self
                .not_accessible
                .as_ref()
                .map_or(&[][..], |l| l.get(lang, default));
            let items: Vec<&String> = items.iter().filter(|s| !s.trim().is_empty()).collect();
            if items.is_empty() {
                md.push_str(&format!("- *{}*\n", w.to_fill));
            }
            for item in items {
                md.push_str(&format!("- {}\n", markdown_text(item.trim())));
            }
            md.push_str(&format!(
                "\n### {}\n\n{}",
                w.alternatives,
                text(&self.alternatives)
            ));
        }
        md.push_str(&format!("\n\n## {}\n\n", w.preparation));
        let method = match self.method {
            Some(Method::SelfAssessment) => w.self_assessment.clone(),
            Some(Method::ThirdParty) => w.third_party.clone(),
            None => format!("*{}*", w.to_fill),
        };
        md.push_str(&fill(
            &w.prepared,
            &[("date", &date(&self.prepared)), ("method", &method)],
        ));
        md.push_str(&format!("\n\n{}", text(&self.assessment)));
        md.push_str(&format!(
            "\n\n{}",
            fill(&w.reviewed, &[("date", &date(&self.reviewed))])
        ));
        md.push_str(&format!("\n\n## {}\n\n{}\n\n", w.feedback, w.feedback_text));
        let email = self.contact.email.as_deref().map(str::trim);
        let phone = self.contact.phone.as_deref().map(str::trim);
        match email.filter(|e| !e.is_empty()) {
            Some(e) => md.push_str(&format!(
                "- {}: [{}](mailto:{})\n",
                w.email,
                markdown_text(e),
                e.replace(['(', ')', ' ', '<', '>'], "")
            )),
            None => md.push_str(&format!("- {}: *{}*\n", w.email, w.to_fill)),
        }
        if let Some(p) = phone.filter(|p| !p.is_empty()) {
            md.push_str(&format!("- {}: {}\n", w.phone, markdown_text(p)));
        }
        md.push_str(&format!(
            "\n## {}\n\n{}\n\n",
            w.enforcement, w.enforcement_text
        ));
        md.push_str(&text(&self.supervisor.name));
        md.push_str("  \n");
        md.push_str(&text(&self.supervisor.address));
        if let Some(url) = self
            .supervisor
            .url
            .as_deref()
            .filter(|u| !u.trim().is_empty())
        {
            let url = url.trim().replace(['(', ')', ' ', '<', '>'], "");
            md.push_str(&format!("  \n[{}]({url})", markdown_text(&url)));
        }
        md.push('\n');
        md
    }
}

/// A school's text as Markdown that shows it as written (no HTML, no accidental markup).
fn markdown_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Add the statement page in every language to `content`, when site.yaml has an
/// `accessibility:` block. A page the school wrote at the same path is an error: one
/// address cannot hold two pages, and the statement must be the one made from site.yaml.
pub fn add_statement(config: &Config, content: &mut Content, problems: &mut Diagnostics) {
    let Some(a) = &config.accessibility else {
        return;
    };
    let yaml = config.root.join(CONFIG_FILE);
    let default = config.default_language();
    for lang in &config.languages {
        let rel = if lang == default {
            format!("{}.md", a.slug())
        } else {
            format!("{}.{lang}.md", a.slug())
        };
        if let Some(own) = content
            .sources
            .iter()
            .find(|s| s.key == a.slug() && s.lang == *lang)
        {
            problems.push(Diagnostic::new(
                &own.path,
                    "this page has the address of the accessibility statement lapa makes from site.yaml's `accessibility:` block: move what it says into that block and delete the file, or give the statement another address with `accessibility: slug: …`"
            ));
            continue;
        }
        let text = a.markdown(config, lang);
        match crate::content::parse(config, yaml.clone(), rel, text.into_bytes()) {
            Ok(source) => content.sources.push(Arc::new(source)),
            Err(d) => problems.push(d),
        }
    }
    content.sources.sort_by(|x, y| x.rel.cmp(&y.rel));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_word() {
        assert!(WORDS.contains_key("lv") && WORDS.contains_key("en"));
    }

    #[test]
    fn school_text_is_not_markup() {
        assert_eq!(markdown_text("<b>x</b> *y*"), "\\<b\\>x\\</b\\> \\*y\\*");
    }
}
