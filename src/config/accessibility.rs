//! site.yaml's `accessibility:` block: the facts of the accessibility statement, read with
//! the rest of the settings. The statement page made from them is `crate::accessibility`'s.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::localized::Localized;

/// The slug of the statement page when site.yaml names none.
pub const DEFAULT_SLUG: &str = "pieklustamiba";

/// site.yaml's `accessibility:` block. Every element may be left empty (`lapa check`
/// warns); only its shape is checked when the site is read.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Hash)]
#[serde(deny_unknown_fields)]
pub struct Accessibility {
    /// `full`, `partial` or `none`: how far the site meets WCAG 2.1 AA (EN 301 549).
    pub status: Option<Compliance>,
    /// What is not accessible, and why: one item per line, per language.
    #[serde(default)]
    pub not_accessible: Option<LocalizedList>,
    /// How a visitor gets the content that is not accessible another way.
    #[serde(default)]
    pub alternatives: Option<Localized>,
    /// `self-assessment` or `third-party`.
    pub method: Option<Method>,
    /// How it was assessed: pages, tools, what was tested.
    #[serde(default)]
    pub assessment: Option<Localized>,
    /// When the statement was first prepared (YYYY-MM-DD).
    pub prepared: Option<String>,
    /// When it was last reviewed (YYYY-MM-DD); a review is due every year.
    pub reviewed: Option<String>,
    /// Where a visitor reports a problem.
    #[serde(default)]
    pub contact: Contact,
    /// The body that takes complaints.
    #[serde(default)]
    pub supervisor: Supervisor,
    /// The page's slug (default `pieklustamiba`); the same in every language.
    pub slug: Option<String>,
}

/// How far the site complies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Compliance {
    Full,
    Partial,
    None,
}

/// How the site was assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    SelfAssessment,
    ThirdParty,
}

/// A list, once for every language or per language.
#[derive(Debug, Clone, PartialEq, Deserialize, Hash)]
#[serde(untagged)]
pub enum LocalizedList {
    One(Vec<String>),
    PerLanguage(BTreeMap<String, Vec<String>>),
}

impl LocalizedList {
    /// The list in `lang`, else in `fallback`, else in any language.
    pub fn get(&self, lang: &str, fallback: &str) -> &[String] {
        match self {
            LocalizedList::One(v) => v,
            LocalizedList::PerLanguage(m) => m
                .get(lang)
                .or_else(|| m.get(fallback))
                .or_else(|| m.values().next())
                .map_or(&[], Vec::as_slice),
        }
    }

    /// Whether any language has no item with words in it.
    pub fn is_blank(&self) -> bool {
        let blank = |v: &Vec<String>| v.iter().all(|s| s.trim().is_empty());
        match self {
            LocalizedList::One(v) => blank(v),
            LocalizedList::PerLanguage(m) => m.is_empty() || m.values().any(blank),
        }
    }
}

/// Where feedback goes.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Hash)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// The supervisory body for complaints.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Hash)]
#[serde(deny_unknown_fields)]
pub struct Supervisor {
    pub name: Option<Localized>,
    pub address: Option<Localized>,
    pub url: Option<String>,
}

impl Accessibility {
    /// The page's slug.
    pub fn slug(&self) -> &str {
        self.slug.as_deref().unwrap_or(DEFAULT_SLUG)
    }
}

/// A date element: None when empty, Err with a sentence when it is not a date.
pub fn parse_date(s: Option<&str>) -> Result<Option<jiff::civil::Date>, String> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s
            .parse::<jiff::civil::Date>()
            .map(Some)
            .map_err(|_| format!("`{s}` is not a date: write it as YYYY-MM-DD, e.g. 2026-09-01")),
    }
}
