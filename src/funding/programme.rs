//! Funding programmes: the built-in three, and a site's overrides and additions.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::LazyLock;

use serde::Deserialize;

use super::code::{CodeFacts, CodeFormat, CodeSpec};
use crate::error::Diagnostic;
use crate::localized::Localized;
use crate::msg;

/// The texts lapa ships, compiled in so a site needs no data files of its own.
const PROGRAMMES_YAML: &str = include_str!("programmes.yaml");

/// programmes.yaml, parsed once; it is part of the program, so a parse error is a bug.
static CATALOGUE: LazyLock<ProgrammesData> = LazyLock::new(|| {
    parse_catalogue().expect("src/funding/programmes.yaml is invalid; the unit tests say where")
});

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogueFile {
    labels: Labels,
    programmes: BTreeMap<String, BuiltinProgramme>,
    authorities: Vec<Authority>,
    unknown_agency: AgencyWords,
    named_agency: AgencyWords,
    actions: Vec<Named>,
    fields: Vec<Named>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BuiltinProgramme {
    name: Localized,
    support: Support,
    #[serde(default)]
    aims_and_results: bool,
    /// A period's own statement in some languages (found in its documents); the others
    /// keep the words `support:` gives.
    #[serde(default)]
    statement: BTreeMap<String, String>,
    disclaimer: Option<Localized>,
    sources: Vec<TextSource>,
    code: CodeSpec,
}

/// Whether the Union funds a programme's projects in full or in part: one setting, from
/// which both the statement and the disclaimer's first sentence (`{statement}`) follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Support {
    /// "Co-funded by the European Union" / "Līdzfinansē Eiropas Savienība".
    CoFunded,
    /// "Funded by the European Union" / "Finansē Eiropas Savienība".
    Funded,
}

/// Where one of a programme's texts was taken from (programmes.yaml's `sources:`).
#[derive(Debug, Clone, PartialEq, Deserialize, Hash)]
#[serde(deny_unknown_fields)]
pub struct TextSource {
    /// Which text: "statement en", "disclaimer lv" …
    pub text: String,
    /// The document, named so a person can find it.
    pub document: String,
    /// The web page the wording was read on, where one was found.
    #[serde(default)]
    pub url: Option<String>,
    /// When a person last compared lapa's wording with that page (YYYY-MM-DD), if anyone has.
    #[serde(default)]
    pub checked: Option<String>,
}

/// A granting authority the disclaimer may name.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Authority {
    /// Its short name, e.g. `VIAA`; what `{authority}` becomes.
    pub id: String,
    /// The agency part of a project code it stands for, e.g. `LV01`.
    #[serde(default)]
    pub agency_code: Option<String>,
    pub name: Localized,
    /// The words after "of the European Union or", e.g. "the State Education Development Agency (VIAA)".
    pub of: Localized,
}

/// How the disclaimer names an authority lapa has no entry for.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AgencyWords {
    pub of: Localized,
    pub short: Localized,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Named {
    code: String,
    name: Localized,
}

/// The funding block's own words (programmes.yaml's `labels:`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Labels {
    /// The block's accessible name.
    pub funding: Localized,
    /// The emblem's text alternative.
    pub emblem: Localized,
    /// The project sentence's parts, with `{…}` placeholders.
    pub project: Localized,
    pub programme: Localized,
    pub beneficiary: Localized,
    pub agency: Localized,
    pub support: SupportLabels,
}

/// `base` with the languages `text` gives replaced (all of them when `text` is one text).
fn over(base: &Localized, text: &Localized) -> Localized {
    match text {
        Localized::One(_) => text.clone(),
        Localized::PerLanguage(map) => with_own_words(base, map.clone()),
    }
}

/// `base` with the languages in `own` replaced by their words.
fn with_own_words(base: &Localized, own: BTreeMap<String, String>) -> Localized {
    if own.is_empty() {
        return base.clone();
    }
    let mut words = match base {
        Localized::PerLanguage(map) => map.clone(),
        Localized::One(text) => ["lv", "en"]
            .into_iter()
            .map(|lang| (lang.to_string(), text.clone()))
            .collect(),
    };
    words.extend(own);
    Localized::PerLanguage(words)
}

/// The statement for each kind of support.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub(crate) struct SupportLabels {
    pub co_funded: Localized,
    pub funded: Localized,
}

impl SupportLabels {
    fn of(&self, support: Support) -> &Localized {
        match support {
            Support::CoFunded => &self.co_funded,
            Support::Funded => &self.funded,
        }
    }
}

struct ProgrammesData {
    labels: Labels,
    programmes: Programmes,
    authorities: Vec<Authority>,
    unknown_agency: AgencyWords,
    named_agency: AgencyWords,
    actions: Vec<Named>,
    fields: Vec<Named>,
}

fn parse_catalogue() -> Result<ProgrammesData, Diagnostic> {
    let file: CatalogueFile =
        crate::yaml::from_builtin_str(PROGRAMMES_YAML, Path::new("src/funding/programmes.yaml"))?;
    let field_codes: Vec<String> = file.fields.iter().map(|f| f.code.clone()).collect();
    let by_id = file
        .programmes
        .into_iter()
        .map(|(id, p)| {
            let programme = Programme {
                id: id.clone(),
                name: p.name,
                support: p.support,
                aims_and_results: p.aims_and_results,
                statement: with_own_words(file.labels.support.of(p.support), p.statement),
                disclaimer: p.disclaimer,
                sources: p.sources,
                code: p.code.into_format(&field_codes),
            };
            (id, programme)
        })
        .collect();
    Ok(ProgrammesData {
        labels: file.labels,
        programmes: Programmes { by_id },
        authorities: file.authorities,
        unknown_agency: file.unknown_agency,
        named_agency: file.named_agency,
        actions: file.actions,
        fields: file.fields,
    })
}

/// The funding block's own words.
pub(crate) fn labels() -> &'static Labels {
    &CATALOGUE.labels
}

/// The granting authorities lapa knows by name.
pub(crate) fn authorities() -> &'static [Authority] {
    &CATALOGUE.authorities
}

/// How the disclaimer names a national agency lapa has no name for.
pub(crate) fn unknown_agency() -> &'static AgencyWords {
    &CATALOGUE.unknown_agency
}

/// How the disclaimer names an authority written in a project's `agency:`.
pub(crate) fn named_agency() -> &'static AgencyWords {
    &CATALOGUE.named_agency
}

/// An Erasmus+ key action's name, e.g. `KA121` → "akreditētā mobilitāte"; unknown → None.
pub fn action_name(action: &str, lang: &str) -> Option<String> {
    named(&CATALOGUE.actions, action, lang)
}

/// An Erasmus+ field's name, e.g. `SCH` → "school education"; unknown → None.
pub fn field_name(field: &str, lang: &str) -> Option<String> {
    named(&CATALOGUE.fields, field, lang)
}

fn named(list: &[Named], code: &str, lang: &str) -> Option<String> {
    let entry = list.iter().find(|n| n.code == code)?;
    entry.name.get(lang, "en").map(str::to_string)
}

/// Every programme a site knows, by id.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Programmes {
    by_id: BTreeMap<String, Programme>,
}

/// One funding programme: what the funding block says, and its project code format.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Programme {
    /// The id a project names in `programme:`.
    pub id: String,
    pub name: Localized,
    /// Funded in full or in part: decides the statement's words.
    pub support: Support,
    /// Whether a project's page must say its aims and results (Article 50 of
    /// Regulation (EU) 2021/1060); `lapa check` warns when it does not.
    pub aims_and_results: bool,
    /// The sentence beside the emblem ("Co-funded by the European Union").
    pub statement: Localized,
    /// May hold `{statement}`, `{authority_of}` and `{authority}` (block.rs fills them).
    pub disclaimer: Option<Localized>,
    /// Where the built-in texts come from (empty for a site's own programme).
    pub sources: Vec<TextSource>,
    /// What its project codes look like.
    pub code: CodeFormat,
}

/// One entry of site.yaml's `programmes:`: texts to replace, or a whole new programme.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeOverride {
    pub name: Option<Localized>,
    /// `funded` or `co-funded`: the statement and the disclaimer's first sentence follow it.
    pub support: Option<Support>,
    /// `true`: `lapa check` warns when a project's page lacks aims or results.
    pub aims_and_results: Option<bool>,
    pub statement: Option<Localized>,
    pub disclaimer: Option<Localized>,
    /// `9` a digit, `A` a capital letter, anything else itself, e.g. `AB-9999`.
    pub code_pattern: Option<String>,
    pub code_example: Option<String>,
}

impl Programmes {
    /// The three built-in programmes, from the embedded programmes.yaml.
    pub fn builtin() -> Programmes {
        CATALOGUE.programmes.clone()
    }

    /// Apply site.yaml's `programmes:`; every problem is reported, each naming `file`.
    pub fn with_site_overrides(
        mut self,
        overrides: &BTreeMap<String, ProgrammeOverride>,
        file: &Path,
    ) -> Result<Programmes, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        for (id, o) in overrides {
            let mut error = |m: String| errors.push(Diagnostic::new(file, m));
            for (key, text) in [
                ("name", &o.name),
                ("statement", &o.statement),
                ("disclaimer", &o.disclaimer),
            ] {
                if text.as_ref().is_some_and(is_blank) {
                    error(msg!("programme-empty", id = id, key = key));
                }
            }
            let result = match self.by_id.get(id) {
                Some(p) => overridden(p.clone(), o),
                None => new_programme(id, o),
            };
            match result {
                Ok(p) => {
                    self.by_id.insert(id.clone(), p);
                }
                Err(messages) => messages.into_iter().for_each(&mut error),
            }
        }
        if errors.is_empty() {
            Ok(self)
        } else {
            Err(errors)
        }
    }

    /// The programme with this id.
    pub fn get(&self, id: &str) -> Option<&Programme> {
        self.by_id.get(id)
    }

    /// Every id, sorted.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.by_id.keys().map(String::as_str)
    }
}

fn is_blank(text: &Localized) -> bool {
    match text {
        Localized::One(s) => s.trim().is_empty(),
        Localized::PerLanguage(m) => m.is_empty() || m.values().any(|s| s.trim().is_empty()),
    }
}

/// A built-in (or earlier) programme with the site's texts and code format in place.
fn overridden(mut p: Programme, o: &ProgrammeOverride) -> Result<Programme, Vec<String>> {
    let id = p.id.clone();
    if let Some(name) = &o.name {
        p.name = name.clone();
    }
    if let Some(required) = o.aims_and_results {
        p.aims_and_results = required;
    }
    if let Some(support) = o.support {
        p.support = support;
        p.statement = labels().support.of(support).clone();
    }
    // A text given for some languages replaces those only: the others keep lapa's words.
    if let Some(statement) = &o.statement {
        p.statement = over(&p.statement, statement);
    }
    if let Some(disclaimer) = &o.disclaimer {
        p.disclaimer = Some(match &p.disclaimer {
            Some(builtin) => over(builtin, disclaimer),
            None => disclaimer.clone(),
        });
    }
    let example = o.code_example.as_deref();
    let code = match &o.code_pattern {
        Some(pattern) => CodeFormat::pattern(&p.code.label, pattern, example),
        None => p.code.clone().with_example(example),
    };
    p.code = code.map_err(|m| vec![format!("`programmes: {id}:` {m}")])?;
    Ok(p)
}

/// A programme the site adds: it needs a name, a statement and a code pattern.
fn new_programme(id: &str, o: &ProgrammeOverride) -> Result<Programme, Vec<String>> {
    let missing =
        |key: &str, what: String| msg!("programme-needs", id = id, key = key, what = what);
    let mut errors = Vec::new();
    if o.name.is_none() {
        errors.push(missing("name", msg!("programme-needs-name")));
    }
    if o.statement.is_none() && o.support.is_none() {
        errors.push(missing("statement", msg!("programme-needs-statement")));
    }
    if o.code_pattern.is_none() {
        errors.push(missing("code_pattern", msg!("programme-needs-pattern")));
    }
    let support = o.support.unwrap_or(Support::CoFunded);
    let statement = o
        .statement
        .clone()
        .or_else(|| o.support.map(|s| labels().support.of(s).clone()));
    let (Some(name), Some(statement), Some(pattern)) = (&o.name, statement, &o.code_pattern) else {
        return Err(errors);
    };
    let label = name.get("en", "en").unwrap_or(id);
    let code = CodeFormat::pattern(label, pattern, o.code_example.as_deref())
        .map_err(|m| vec![format!("`programmes: {id}:` {m}")])?;
    Ok(Programme {
        id: id.to_string(),
        name: name.clone(),
        support,
        aims_and_results: o.aims_and_results.unwrap_or(false),
        statement,
        disclaimer: o.disclaimer.clone(),
        sources: Vec::new(),
        code,
    })
}

impl Programme {
    /// Check a project code against the programme's format; Err is a sentence for a teacher.
    pub fn check_code(&self, code: &str) -> Result<CodeFacts, String> {
        self.code.check(code)
    }

    /// The programme's name in `lang`, else English, else any, else its id.
    pub fn name(&self, lang: &str) -> &str {
        self.name.get(lang, "en").unwrap_or(&self.id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(yaml: &str) -> BTreeMap<String, ProgrammeOverride> {
        crate::yaml::from_str(yaml, Path::new("site.yaml")).expect("test YAML")
    }

    fn apply(yaml: &str) -> Result<Programmes, Vec<Diagnostic>> {
        Programmes::builtin().with_site_overrides(&site(yaml), Path::new("site.yaml"))
    }

    #[test]
    fn embedded_programmes_yaml_parses() {
        let catalogue = parse_catalogue().unwrap_or_else(|d| panic!("{d}"));
        let ids: Vec<&str> = catalogue.programmes.ids().collect();
        assert_eq!(ids, ["erasmus-plus", "erasmus-plus-2014", "esf-plus"]);
        // Every built-in example fits its own format.
        for id in ids {
            let p = catalogue.programmes.get(id).expect("listed");
            let example = p.code.example.as_deref().expect("built-ins have examples");
            p.check_code(example).unwrap_or_else(|e| panic!("{e}"));
            for lang in ["lv", "en"] {
                assert!(p.name.exact(lang).is_some() && p.statement.exact(lang).is_some());
            }
        }
    }

    #[test]
    fn every_builtin_text_names_its_source() {
        let all = Programmes::builtin();
        for id in all.ids() {
            let p = all.get(id).expect("listed");
            for lang in ["lv", "en"] {
                let mut texts = vec!["statement"];
                if p.disclaimer.is_some() {
                    texts.push("disclaimer");
                }
                for text in texts {
                    let what = format!("{text} {lang}");
                    let source = p.sources.iter().find(|s| s.text == what);
                    assert!(
                        source.is_some_and(|s| !s.document.trim().is_empty()),
                        "{id}: `{what}` has no source in programmes.yaml"
                    );
                }
            }
        }
    }

    /// docs/site.md's "Sources" table, made from programmes.yaml's `sources:`.
    fn sources_table() -> String {
        let all = Programmes::builtin();
        let mut table = String::from(
            "| programme | text | document | page | checked |\n| --- | --- | --- | --- | --- |\n",
        );
        for id in all.ids() {
            let p = all.get(id).expect("listed");
            for s in &p.sources {
                let page = s
                    .url
                    .as_deref()
                    .map_or("—".to_string(), |u| format!("<{u}>"));
                let checked = s.checked.as_deref().unwrap_or("**not compared**");
                table.push_str(&format!(
                    "| `{id}` | {} | {} | {page} | {checked} |\n",
                    s.text, s.document
                ));
            }
        }
        table
    }

    #[test]
    fn docs_list_every_source_as_the_data_has_it() {
        let docs =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/site.md"))
                .expect("docs/site.md");
        let table = sources_table();
        assert!(
            docs.contains(&table),
            "docs/site.md, \"Sources\", must hold this table (made from src/funding/programmes.yaml):\n{table}"
        );
    }

    #[test]
    fn a_checked_source_names_its_page_and_a_real_date() {
        let all = Programmes::builtin();
        for id in all.ids() {
            for s in &all.get(id).expect("listed").sources {
                if let Some(date) = &s.checked {
                    assert!(
                        date.len() == 10 && date.parse::<jiff::civil::Date>().is_ok(),
                        "{id}: `{}` checked: {date} is not YYYY-MM-DD",
                        s.text
                    );
                    assert!(
                        s.url.is_some(),
                        "{id}: `{}` is checked against no page",
                        s.text
                    );
                }
            }
        }
    }

    #[test]
    fn support_decides_the_statement() {
        let all = apply("erasmus-plus:\n  support: funded\n").expect("valid");
        let ep = all.get("erasmus-plus").expect("built-in");
        assert_eq!(ep.support, Support::Funded);
        assert_eq!(ep.statement.exact("lv"), Some("Finansē Eiropas Savienība"));
        assert_eq!(
            ep.statement.exact("en"),
            Some("Funded by the European Union")
        );
        let all =
            apply("x:\n  name: X\n  support: funded\n  code_pattern: AB-99\n").expect("valid");
        let x = all.get("x").expect("added");
        assert_eq!(
            x.statement.exact("en"),
            Some("Funded by the European Union")
        );
    }

    #[test]
    fn builtin_texts() {
        let all = Programmes::builtin();
        let ep = all.get("erasmus-plus").expect("built-in");
        assert_eq!(ep.name("lv"), "Erasmus+");
        assert_eq!(
            ep.statement.exact("lv"),
            Some("Līdzfinansē Eiropas Savienība")
        );
        assert_eq!(
            ep.statement.exact("en"),
            Some("Co-funded by the European Union")
        );
        let esf = all.get("esf-plus").expect("built-in");
        assert_eq!(esf.name("lv"), "Eiropas Sociālais fonds Plus");
        assert_eq!(esf.name("de"), "European Social Fund Plus");
        assert_eq!(esf.disclaimer, None);
        assert_eq!(
            all.get("erasmus-plus-2014").map(|p| p.name("en")),
            Some("Erasmus+ (2014–2020)")
        );
    }

    #[test]
    fn actions_and_fields_have_names() {
        assert_eq!(
            action_name("KA121", "lv").as_deref(),
            Some("akreditētā mobilitāte")
        );
        assert_eq!(
            action_name("KA121", "en").as_deref(),
            Some("accredited mobility")
        );
        assert_eq!(
            action_name("KA122", "en").as_deref(),
            Some("short-term mobility")
        );
        assert_eq!(action_name("KA999", "en"), None);
        assert_eq!(field_name("SCH", "lv").as_deref(), Some("skolu izglītība"));
        assert_eq!(field_name("SCH", "fr").as_deref(), Some("school education"));
        assert_eq!(field_name("XXX", "en"), None);
    }

    #[test]
    fn site_override_of_a_disclaimer_wins() {
        let all = apply("erasmus-plus:\n  disclaimer:\n    lv: Mūsu teksts.\n").expect("valid");
        let ep = all.get("erasmus-plus").expect("built-in");
        let d = ep.disclaimer.as_ref().expect("disclaimer");
        assert_eq!(d.exact("lv"), Some("Mūsu teksts."));
        // The rest of the programme is untouched.
        assert_eq!(
            ep.statement,
            Programmes::builtin()
                .get("erasmus-plus")
                .expect("x")
                .statement
        );
        assert!(ep.check_code("2023-1-LV01-KA121-SCH-000138745").is_ok());
    }

    #[test]
    fn a_new_programme_from_site_yaml_works() {
        let all = apply(
            "nordplus:\n  name: Nordplus\n  statement: { lv: Atbalsta Nordplus, en: Supported by Nordplus }\n  \
             code_pattern: NPJR-9999/AA\n  code_example: NPJR-2024/LV\n",
        )
        .unwrap_or_else(|d| panic!("{d:?}"));
        let np = all.get("nordplus").expect("added");
        assert_eq!(np.name("lv"), "Nordplus");
        assert_eq!(np.disclaimer, None);
        assert!(np.check_code("NPJR-2031/EE").is_ok());
        let err = np.check_code("NPJR-20x1/EE").expect_err("letter for digit");
        assert!(
            err.contains("expected NPJR-9999/AA, e.g. NPJR-2024/LV"),
            "{err}"
        );
        assert!(err.contains("character 8 is `x`, not a digit"), "{err}");
        let err = np.check_code("NPJR-2031/E").expect_err("short");
        assert!(err.contains("11 characters, not 12"), "{err}");
        assert_eq!(all.ids().count(), 4);
    }

    #[test]
    fn a_new_programme_missing_keys_is_an_error() {
        let errors =
            apply("nordplus:\n  name: Nordplus\nother:\n  statement: x\n").expect_err("incomplete");
        let messages: Vec<&str> = errors.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(errors.len(), 4, "{messages:#?}");
        assert!(errors.iter().all(|d| d.file == Path::new("site.yaml")));
        assert!(
            messages
                .iter()
                .any(|m| m.contains("nordplus") && m.contains("`statement:`"))
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("nordplus") && m.contains("`code_pattern:`"))
        );
        assert!(
            messages
                .iter()
                .any(|m| m.contains("other") && m.contains("`name:`"))
        );
    }

    #[test]
    fn bad_overrides_are_errors() {
        let errors = apply(
            "erasmus-plus:\n  code_example: 2020-1-LV01-KA121-SCH-000138745\nesf-plus:\n  disclaimer: ''\n",
        )
        .expect_err("both wrong");
        assert_eq!(errors.len(), 2, "{errors:#?}");
        assert!(
            errors[0].message.contains("impossible year"),
            "{}",
            errors[0]
        );
        assert!(
            errors[1]
                .message
                .contains("`programmes: esf-plus: disclaimer:` is empty")
        );
        let errors =
            apply("x:\n  name: X\n  statement: Y\n  code_pattern: AB-99\n  code_example: AB-123\n")
                .expect_err("example does not fit");
        assert!(
            errors[0]
                .message
                .contains("`code_example` `AB-123` does not fit"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn a_builtin_may_take_a_code_pattern() {
        let all = apply("esf-plus:\n  code_pattern: 9.9.9.9/9/99/A/999\n").expect("valid");
        let esf = all.get("esf-plus").expect("built-in");
        assert!(esf.check_code("4.2.2.3/1/24/I/001").is_ok());
        assert!(esf.check_code("4.2.2.3/1/24/II/001").is_err());
    }
}
