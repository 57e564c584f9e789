//! The funding block a funded page carries, and putting it in when a template forgot.

use super::code::CodeFacts;
use super::emblem::emblem_svg;
use super::programme::{Programme, authorities, labels, named_agency, unknown_agency};
use crate::escape::html as escape_html;
use crate::localized::Localized;

use std::sync::OnceLock;

use super::presence::{KnownBlock, Required, presence, presence_with_known, reads_alone};

/// What the funding block needs to know of one project (title already in the page's language).
#[derive(Debug, Clone, Copy)]
pub struct FundedProject<'a> {
    pub code: &'a str,
    pub title: &'a str,
    pub programme: &'a Programme,
    /// What the code tells (its national agency part picks the granting authority).
    pub facts: &'a CodeFacts,
    pub agency: Option<&'a str>,
    pub beneficiary: Option<&'a str>,
    /// The project's own disclaimer, which wins over the programme's.
    pub disclaimer: Option<&'a Localized>,
}

/// The block's HTML for a page in `lang` (`default_lang` for texts missing in `lang`).
pub fn funding_block(p: &FundedProject, lang: &str, default_lang: &str) -> String {
    let text = |t: &Localized| t.get(lang, default_lang).unwrap_or_default().to_string();
    let l = labels();
    let mut html = format!(
        "<section class=\"eu-funding\" data-eu-funding=\"{code}\" aria-label=\"{aria}\">\n  \
         <div class=\"eu-funding__emblem-row\">{svg}<p class=\"eu-funding__statement\">{statement}</p></div>\n",
        code = escape_html(p.code),
        aria = escape_html(&text(&l.funding)),
        svg = emblem_svg(&text(&l.emblem)),
        statement = escape_html(&statement_text(p, lang, default_lang)),
    );
    if let Some(d) = disclaimer_text(p, lang, default_lang) {
        html.push_str(&format!(
            "  <p class=\"eu-funding__disclaimer\">{}</p>\n",
            escape_html(&d)
        ));
    }
    html.push_str(&format!(
        "  <p class=\"eu-funding__project\">{}</p>\n</section>",
        escape_html(&project_sentence(p, lang, default_lang))
    ));
    html
}

/// The disclaimer a page in `lang` carries (project's own > programme's > none), plain
/// text, with `{statement}` (the statement's words, so the two agree), `{authority_of}`
/// and `{authority}` (the granting authority, see [`GrantingAuthority`]) filled in.
pub fn disclaimer_text(p: &FundedProject, lang: &str, default_lang: &str) -> Option<String> {
    let template = p
        .disclaimer
        .or(p.programme.disclaimer.as_ref())
        .and_then(|d| d.get(lang, default_lang))?;
    let statement = statement_text(p, lang, default_lang);
    let authority = granting_authority(p);
    let of = authority.of(lang, default_lang);
    let short = authority.short(lang, default_lang);
    Some(fill(
        template,
        &[
            ("statement", &statement),
            ("authority_of", &of),
            ("authority", &short),
        ],
    ))
}

/// Every disclaimer `programme` can show in `lang`: its text with each granting authority
/// lapa knows and with either support wording. A page pasted by hand may hold any of them
/// (often EACEA where the national agency is meant), and the importer must know them all.
pub fn disclaimer_variants(programme: &Programme, lang: &str) -> Vec<String> {
    let Some(template) = programme.disclaimer.as_ref().and_then(|d| d.exact(lang)) else {
        return Vec::new();
    };
    let support = &labels().support;
    let mut all = Vec::new();
    for statement in [&support.co_funded, &support.funded] {
        let statement = statement.exact(lang).unwrap_or_default();
        for authority in authorities() {
            let of = authority.of.exact(lang).unwrap_or_default();
            all.push(fill(
                template,
                &[
                    ("statement", statement),
                    ("authority_of", of),
                    ("authority", &authority.id),
                ],
            ));
        }
    }
    all
}

/// Who granted a project, as the disclaimer names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GrantingAuthority<'a> {
    /// One lapa knows (EACEA, VIAA, JSPA), by its id.
    Known(&'a str),
    /// A national agency code lapa has no name for, e.g. `DE02`.
    UnknownAgency(&'a str),
    /// A name written in the project's `agency:` that lapa does not know.
    Named(&'a str),
}

/// The project's `agency:` when given (a known id or name, else its words as they are);
/// else the national agency of the code's agency part; else (a code without one, i.e. a
/// centrally managed project) EACEA.
pub fn granting_authority<'a>(p: &FundedProject<'a>) -> GrantingAuthority<'a> {
    let known = |f: &dyn Fn(&super::programme::Authority) -> bool| {
        authorities()
            .iter()
            .find(|a| f(a))
            .map(|a| GrantingAuthority::Known(a.id.as_str()))
    };
    if let Some(agency) = p.agency.map(str::trim).filter(|a| !a.is_empty()) {
        let same = |t: &str| t.trim().eq_ignore_ascii_case(agency) || t.trim() == agency;
        let names = |a: &super::programme::Authority| match &a.name {
            Localized::One(n) => same(n),
            Localized::PerLanguage(m) => m.values().any(|n| same(n)),
        };
        return known(&|a| same(&a.id) || names(a)).unwrap_or(GrantingAuthority::Named(agency));
    }
    match p.facts.agency.as_deref() {
        Some(code) => known(&|a| a.agency_code.as_deref() == Some(code))
            .unwrap_or(GrantingAuthority::UnknownAgency(code)),
        None => GrantingAuthority::Known("EACEA"),
    }
}

impl GrantingAuthority<'_> {
    /// The words after "of the European Union or" in `lang`.
    fn of(&self, lang: &str, default_lang: &str) -> String {
        self.words(lang, default_lang, true)
    }

    /// The short name, after "Neither the European Union nor".
    fn short(&self, lang: &str, default_lang: &str) -> String {
        self.words(lang, default_lang, false)
    }

    fn words(&self, lang: &str, default_lang: &str, of: bool) -> String {
        let pick = |w: &super::programme::AgencyWords| {
            let t = if of { &w.of } else { &w.short };
            t.get(lang, default_lang).unwrap_or_default().to_string()
        };
        match *self {
            GrantingAuthority::Known(id) => {
                let Some(a) = authorities().iter().find(|a| a.id == id) else {
                    return id.to_string();
                };
                if of {
                    a.of.get(lang, default_lang).unwrap_or(id).to_string()
                } else {
                    id.to_string()
                }
            }
            GrantingAuthority::UnknownAgency(code) => {
                fill(&pick(unknown_agency()), &[("code", code)])
            }
            GrantingAuthority::Named(name) => fill(&pick(named_agency()), &[("agency", name)]),
        }
    }
}

/// The statement beside the emblem ("Līdzfinansē Eiropas Savienība") in `lang`.
pub fn statement_text(p: &FundedProject, lang: &str, default_lang: &str) -> String {
    p.programme
        .statement
        .get(lang, default_lang)
        .unwrap_or_default()
        .to_string()
}

/// "Projekts „TITLE”, Nr. CODE, programma Erasmus+, administrē AGENCY." in `lang`, plain text.
pub fn project_sentence(p: &FundedProject, lang: &str, default_lang: &str) -> String {
    let l = labels();
    let programme = p
        .programme
        .name
        .get(lang, default_lang)
        .unwrap_or(&p.programme.id);
    let values = [
        ("title", p.title),
        ("code", p.code),
        ("programme", programme),
        ("beneficiary", p.beneficiary.unwrap_or_default()),
        ("agency", p.agency.unwrap_or_default()),
    ];
    let parts = [
        Some(&l.project),
        Some(&l.programme),
        p.beneficiary.map(|_| &l.beneficiary),
        p.agency.map(|_| &l.agency),
    ];
    let parts: Vec<String> = parts
        .into_iter()
        .flatten()
        .map(|t| fill(t.get(lang, default_lang).unwrap_or_default(), &values))
        .collect();
    format!("{}.", parts.join(", "))
}

/// Replace each `{name}` in `template` in one pass, so a value holding `{code}` stays as it is.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            let v = values.iter().find(|(n, _)| *n == name)?.1;
            Some((v, close))
        });
        match value {
            Some((v, close)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// One project's funding block on a page: its HTML, and the texts a reader must get
/// from it (plain text).
#[derive(Debug, Clone)]
pub struct PageBlock {
    code: String,
    html: String,
    statement: String,
    disclaimer: Option<String>,
    /// Whether the funding check may jump over `html` (`presence::reads_alone`): found
    /// once for a block that many pages show (so the fields are not to change: they are
    /// read through methods only).
    known: OnceLock<bool>,
}

impl PageBlock {
    /// The block of `p` on a page in `lang`.
    pub fn new(p: &FundedProject, lang: &str, default_lang: &str) -> PageBlock {
        PageBlock::of(
            p.code.to_string(),
            funding_block(p, lang, default_lang),
            statement_text(p, lang, default_lang),
            disclaimer_text(p, lang, default_lang),
        )
    }

    /// The block `html` of the project `code`, which must show `statement` and
    /// `disclaimer`.
    pub fn of(
        code: String,
        html: String,
        statement: String,
        disclaimer: Option<String>,
    ) -> PageBlock {
        PageBlock {
            code,
            html,
            statement,
            disclaimer,
            known: OnceLock::new(),
        }
    }

    /// The project's code.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The block's HTML.
    pub fn html(&self) -> &str {
        &self.html
    }

    /// This block as the funding check may jump over it, when it may.
    fn known(&self) -> Option<KnownBlock<'_>> {
        let known = *self
            .known
            .get_or_init(|| reads_alone(self.html.as_bytes(), &self.required()));
        known.then_some(KnownBlock {
            html: self.html.as_bytes(),
            code: &self.code,
        })
    }

    /// What a reader must get of this block.
    pub fn required(&self) -> Required<'_> {
        Required {
            code: &self.code,
            statement: &self.statement,
            disclaimer: self.disclaimer.as_deref(),
        }
    }
}

/// Insert each block the page does not show a reader (see [`presence`]) before the last
/// `</main>` a reader gets (else the last such `</body>`, else at the end). Where a reader
/// gets a place is not guessed: the page with the blocks put there is read again, and the
/// place is kept only when it then shows them all. A block the template hid stays where it
/// is: lapa adds its own, it never removes the theme's.
pub fn ensure_blocks(html: Vec<u8>, blocks: &[PageBlock]) -> Vec<u8> {
    let blocks: Vec<&PageBlock> = blocks.iter().collect();
    ensure_blocks_with_body(html, &blocks, None)
}

/// [`ensure_blocks`] for a page that shows `body`, a plain body of lapa's Markdown (see
/// [`presence_with_body`](super::presence_with_body)), and with the blocks themselves
/// unread where a reader gets them ([`KnownBlock`]): the same page, found with less
/// reading.
pub fn ensure_blocks_with_body(
    html: Vec<u8>,
    blocks: &[&PageBlock],
    body: Option<&str>,
) -> Vec<u8> {
    if blocks.is_empty() {
        return html;
    }
    let required: Vec<Required> = blocks.iter().map(|b| b.required()).collect();
    let known: Vec<KnownBlock> = blocks.iter().filter_map(|b| b.known()).collect();
    let found = presence_with_known(&html, &required, body.map(str::as_bytes), &known);
    let missing: Vec<&PageBlock> = blocks
        .iter()
        .copied()
        .filter(|b| !found.shown(&b.code))
        .collect();
    if missing.is_empty() {
        return html;
    }
    let added: String = missing.iter().map(|b| format!("{}\n", b.html)).collect();
    // The last place is the end of the page, kept when no place shows the blocks.
    let mut page = Vec::new();
    for at in found.places(&html) {
        page.clear();
        page.reserve(html.len() + added.len());
        page.extend_from_slice(&html[..at]);
        page.extend_from_slice(added.as_bytes());
        page.extend_from_slice(&html[at..]);
        let now = presence(&page, &required);
        if missing.iter().all(|b| now.shown(&b.code)) {
            break;
        }
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::funding::Programmes;

    const CODE: &str = "2023-1-LV01-KA121-SCH-000138745";

    static FACTS: std::sync::LazyLock<CodeFacts> = std::sync::LazyLock::new(|| CodeFacts {
        action: Some("KA121".into()),
        field: Some("SCH".into()),
        agency: Some("LV01".into()),
    });

    fn project<'a>(programme: &'a Programme, title: &'a str) -> FundedProject<'a> {
        FundedProject {
            code: CODE,
            title,
            programme,
            facts: &FACTS,
            agency: Some("Valsts izglītības attīstības aģentūra"),
            beneficiary: None,
            disclaimer: None,
        }
    }

    #[test]
    fn latvian_block() {
        let all = Programmes::builtin();
        let ep = all.get("erasmus-plus").expect("built-in");
        let html = funding_block(&project(ep, "Kompetents skolotājs"), "lv", "lv");
        assert!(html.starts_with(&format!(
            "<section class=\"eu-funding\" data-eu-funding=\"{CODE}\" aria-label=\"Finansējums\">"
        )));
        assert!(html.contains("<svg class=\"eu-emblem\""));
        assert!(html.contains("aria-label=\"Eiropas Savienības karogs\""));
        assert!(html.contains(
            "</svg><p class=\"eu-funding__statement\">Līdzfinansē Eiropas Savienība</p></div>"
        ));
        assert!(html.contains(
            "<p class=\"eu-funding__disclaimer\">Līdzfinansē Eiropas Savienība. Paustie viedokļi"
        ));
        assert!(html.contains(&format!(
            "<p class=\"eu-funding__project\">Projekts „Kompetents skolotājs”, Nr. {CODE}, \
             programma Erasmus+, administrē Valsts izglītības attīstības aģentūra.</p>"
        )));
        assert!(html.ends_with("</section>"));
    }

    #[test]
    fn english_block() {
        let all = Programmes::builtin();
        let ep = all.get("erasmus-plus").expect("built-in");
        let mut p = project(ep, "Competent teacher");
        p.beneficiary = Some("Daugavpils Valstspilsētas vidusskola");
        let html = funding_block(&p, "en", "lv");
        assert!(html.contains("aria-label=\"Funding\""));
        assert!(html.contains("aria-label=\"Flag of the European Union\""));
        assert!(html.contains(">Co-funded by the European Union</p>"));
        assert!(html.contains(">Co-funded by the European Union. Views and opinions expressed"));
        assert!(!html.contains("Līdzfinansē"));
        assert!(html.contains(&format!(
            "Project “Competent teacher”, No. {CODE}, Erasmus+ programme, implemented by \
             Daugavpils Valstspilsētas vidusskola, administered by Valsts izglītības attīstības aģentūra.</p>"
        )));
        // A language the texts lack falls back to the site's default.
        let de = funding_block(&p, "de", "lv");
        assert!(de.contains(">Līdzfinansē Eiropas Savienība</p>"));
    }

    #[test]
    fn a_project_disclaimer_wins_over_the_programme() {
        let all = Programmes::builtin();
        let ep = all.get("erasmus-plus").expect("built-in");
        let own = Localized::One("Projekta paša atruna.".into());
        let mut p = project(ep, "T");
        assert!(disclaimer_text(&p, "en", "lv").is_some_and(|d| d.starts_with("Co-funded by")));
        p.disclaimer = Some(&own);
        assert_eq!(
            disclaimer_text(&p, "en", "lv").as_deref(),
            Some("Projekta paša atruna.")
        );
        assert!(funding_block(&p, "lv", "lv").contains(">Projekta paša atruna.</p>"));
        assert_eq!(
            statement_text(&p, "lv", "lv"),
            "Līdzfinansē Eiropas Savienība"
        );
    }

    #[test]
    fn the_granting_authority_comes_from_agency_then_code_then_eacea() {
        let all = Programmes::builtin();
        let ep = all.get("erasmus-plus").expect("built-in");
        let mut p = project(ep, "T");
        // The test project names VIAA in `agency:`.
        assert_eq!(granting_authority(&p), GrantingAuthority::Known("VIAA"));
        p.agency = None;
        assert_eq!(granting_authority(&p), GrantingAuthority::Known("VIAA"));
        let de = CodeFacts {
            agency: Some("DE02".into()),
            ..CodeFacts::default()
        };
        p.facts = &de;
        assert_eq!(
            granting_authority(&p),
            GrantingAuthority::UnknownAgency("DE02")
        );
        let en = disclaimer_text(&p, "en", "lv").expect("a disclaimer");
        assert!(en.contains("or the national agency (DE02). Neither the European Union nor the national agency can"), "{en}");
        let none = CodeFacts::default();
        p.facts = &none;
        assert_eq!(granting_authority(&p), GrantingAuthority::Known("EACEA"));
        let en = disclaimer_text(&p, "en", "lv").expect("a disclaimer");
        assert!(
            en.contains("(EACEA). Neither the European Union nor EACEA can"),
            "{en}"
        );
        p.agency = Some("jspa");
        assert_eq!(granting_authority(&p), GrantingAuthority::Known("JSPA"));
    }

    #[test]
    fn no_disclaimer_means_no_paragraph() {
        let all = Programmes::builtin();
        let esf = all.get("esf-plus").expect("built-in");
        let mut p = project(esf, "T");
        p.code = "4.2.2.3/1/24/I/001";
        p.agency = None;
        let html = funding_block(&p, "lv", "lv");
        assert!(!html.contains("eu-funding__disclaimer"));
        assert!(html.contains(
            "Projekts „T”, Nr. 4.2.2.3/1/24/I/001, programma Eiropas Sociālais fonds Plus.</p>"
        ));
    }

    #[test]
    fn text_is_escaped() {
        let all = Programmes::builtin();
        let ep = all.get("erasmus-plus").expect("built-in");
        let mut p = project(ep, "<script>alert(1)</script> & {code}");
        p.code = "X\"><b>";
        let html = funding_block(&p, "en", "lv");
        assert!(!html.contains("<script>") && !html.contains("<b>"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; {code}"));
        assert!(html.contains("data-eu-funding=\"X&quot;&gt;&lt;b&gt;\""));
    }

    /// A complete block for code A-1, as a theme or lapa writes it.
    fn block(code: &str) -> PageBlock {
        PageBlock::of(
            code.into(),
            format!(
                "<section data-eu-funding=\"{code}\"><svg></svg><p>Statement.</p><p>Disclaimer.</p></section>"
            ),
            "Statement.".into(),
            Some("Disclaimer.".into()),
        )
    }

    fn ensure(html: &str, blocks: &[PageBlock]) -> String {
        String::from_utf8(ensure_blocks(html.as_bytes().to_vec(), blocks)).expect("UTF-8")
    }

    #[test]
    fn ensure_blocks_inserts_before_main_end() {
        let html = "<body><main><p>x</p></main><footer></footer></body>";
        let a = block("A-1").html().to_string();
        assert_eq!(
            ensure(html, &[block("A-1")]),
            format!("<body><main><p>x</p>{a}\n</main><footer></footer></body>")
        );
    }

    #[test]
    fn ensure_blocks_keeps_an_existing_block() {
        let html = format!("<main>{}</main>", block("A-1").html());
        assert_eq!(ensure(&html, &[block("A-1")]), html);
        let out = ensure(&html, &[block("A-1"), block("B-2")]);
        assert_eq!(out.matches("data-eu-funding=\"A-1\"").count(), 1);
        assert!(out.ends_with(&format!("{}\n</main>", block("B-2").html())));
    }

    #[test]
    fn ensure_blocks_falls_back_to_body_then_end() {
        let a = block("A-1").html().to_string();
        let out = ensure("<BODY><p>x</p></BODY></html>", &[block("A-1")]);
        assert_eq!(out, format!("<BODY><p>x</p>{a}\n</BODY></html>"));
        let out = ensure("<p>ā</p>", &[block("A-1")]);
        assert_eq!(out, format!("<p>ā</p>{a}\n"));
        // The last </main> counts, not one quoted earlier in the page or in a script.
        let out = ensure(
            "<main><pre>&lt;/main&gt;</pre></main><script>'</main>'</script>",
            &[block("A-1")],
        );
        assert!(out.starts_with(&format!("<main><pre>&lt;/main&gt;</pre>{a}\n</main>")));
    }
}
