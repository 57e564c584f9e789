//! Text that a site may give once or once per language.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// `"text"` or `{ lv: "…", en: "…" }` in YAML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(untagged)]
pub enum Localized {
    One(String),
    PerLanguage(BTreeMap<String, String>),
}

impl Localized {
    /// The text for `lang`, falling back to `fallback`, then to `en`, then to any.
    pub fn get(&self, lang: &str, fallback: &str) -> Option<&str> {
        match self {
            Localized::One(s) => Some(s),
            Localized::PerLanguage(map) => map
                .get(lang)
                .or_else(|| map.get(fallback))
                .or_else(|| map.get("en"))
                .or_else(|| map.values().next())
                .map(String::as_str),
        }
    }

    /// The text for exactly `lang`, with no fallback.
    pub fn exact(&self, lang: &str) -> Option<&str> {
        match self {
            Localized::One(s) => Some(s),
            Localized::PerLanguage(map) => map.get(lang).map(String::as_str),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falls_back() {
        let mut m = BTreeMap::new();
        m.insert("en".to_string(), "Hello".to_string());
        let t = Localized::PerLanguage(m);
        assert_eq!(t.get("lv", "lv"), Some("Hello"));
        assert_eq!(t.exact("lv"), None);
        assert_eq!(Localized::One("x".into()).get("en", "lv"), Some("x"));
    }
}
