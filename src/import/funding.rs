//! What schools pasted by hand: project codes, funding statements and disclaimers.
//!
//! Codes are accepted exactly as `build` accepts them (`Programme::check_code`). A
//! paragraph is removed only when every word of it belongs to a known statement or
//! disclaimer (or to the project's label next to a code); a paragraph that mixes them
//! with other words is left and reported.

use crate::funding::Programmes;

use super::html;

/// A project code found in a post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundCode {
    pub code: String,
    pub programme: String,
    /// The quoted title next to the code, when there is one.
    pub title: Option<String>,
}

/// What the funding pass found and did.
#[derive(Debug, Default)]
pub struct Findings {
    pub codes: Vec<FoundCode>,
    /// The HTML with the pasted paragraphs removed (when a code was found).
    pub html: String,
    /// How many paragraphs were removed.
    pub removed: usize,
    /// One sentence per doubt.
    pub unsure: Vec<String>,
}

/// The known sentences, normalised, longest first.
pub struct Sentences(Vec<String>);

/// Real pages' variants of the official texts.
const VARIANTS: &[&str] = &[
    "Šis projekts ir finansēts ar Eiropas Komisijas atbalstu.",
    "Projekts ir finansēts ar Eiropas Komisijas atbalstu.",
    "Šī publikācija atspoguļo tikai autora uzskatus, un Komisijai nevar uzlikt atbildību par tajā ietvertās informācijas jebkuru iespējamo izlietojumu.",
    "Līdzfinansē Eiropas Savienības Erasmus+ programma",
    "Co-funded by the Erasmus+ Programme of the European Union",
    "Finansē Eiropas Savienība",
    "Funded by the European Union",
    "Ar Eiropas Savienības Erasmus+ programmas atbalstu",
    "With the support of the Erasmus+ programme of the European Union",
];

/// Words that label a pasted disclaimer rather than say anything.
const LABELS: &[&str] = &[
    "paziņojums",
    "atruna",
    "atbildības",
    "ierobežojums",
    "disclaimer",
    "notice",
    "legal",
];

impl Sentences {
    /// Every statement and disclaimer of every programme, in every language, each
    /// also split into its sentences, plus the variants real pages have.
    pub fn new(programmes: &Programmes) -> Sentences {
        let mut all: Vec<String> = VARIANTS.iter().map(|s| normalise(s)).collect();
        for id in programmes.ids() {
            let Some(p) = programmes.get(id) else {
                continue;
            };
            for lang in ["lv", "en"] {
                let statement = p.statement.exact(lang).map(str::to_string);
                let disclaimers = crate::funding::disclaimer_variants(p, lang);
                for t in statement.iter().chain(&disclaimers) {
                    all.push(normalise(t));
                    for sentence in t.split_inclusive(". ") {
                        all.push(normalise(sentence));
                    }
                }
            }
        }
        all.retain(|s| s.split(' ').count() >= 3);
        all.sort_by_key(|s| std::cmp::Reverse(s.len()));
        all.dedup();
        Sentences(all)
    }
}

/// Lowercase words of letters and digits only: quotes, punctuation, `+` and spacing
/// variations vanish, so "Erasmus +" and "Erasmus+" match.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else {
            space = true;
        }
    }
    out
}

/// Find codes in a post and, when there is one, remove its pasted funding paragraphs.
pub fn detect(title: &str, body: &str, programmes: &Programmes, known: &Sentences) -> Findings {
    let mut f = Findings::default();
    // Each paragraph (and the title) on its own, so a quoted title is looked for only
    // beside its code.
    let mut chunks = vec![title.to_string()];
    for part in body.split("</p>") {
        chunks.extend(part.split("\n\n").map(html::text));
    }
    let candidates: Vec<(String, Option<String>)> = chunks
        .iter()
        .flat_map(|chunk| code_candidates(chunk))
        .collect();
    for (token, near_title) in candidates {
        let accepted = programmes.ids().find_map(|id| {
            let p = programmes.get(id)?;
            p.check_code(&token).ok().map(|_| id.to_string())
        });
        match accepted {
            Some(programme) => {
                if !f.codes.iter().any(|c| c.code == token) {
                    f.codes.push(FoundCode {
                        code: token,
                        programme,
                        title: near_title,
                    });
                }
            }
            None => {
                let why = programmes
                    .get(if token.contains('/') {
                        "esf-plus"
                    } else if token.split('-').count() >= 6 {
                        "erasmus-plus"
                    } else {
                        "erasmus-plus-2014"
                    })
                    .and_then(|p| p.check_code(&token).err())
                    .unwrap_or_default();
                f.unsure.push(format!(
                    "`{token}` looks like a project code but lapa cannot accept it ({why}); the text was left as it is"
                ));
            }
        }
    }
    f.html = body.to_string();
    let mut funding_paragraphs = 0;
    let mut kept = String::with_capacity(body.len());
    let mut removed_any = false;
    let mut rest = body;
    // Paragraphs: `<p …>…</p>`; anything between them is kept as it is.
    while let Some(start) = html::find_ci(rest, "<p") {
        let is_p = rest[start + 2..].starts_with(['>', ' ']);
        let Some(end) = html::find_ci(&rest[start..], "</p>").map(|e| start + e + 4) else {
            break;
        };
        if !is_p {
            kept.push_str(&rest[..start + 2]);
            rest = &rest[start + 2..];
            continue;
        }
        kept.push_str(&rest[..start]);
        let paragraph = &rest[start..end];
        rest = &rest[end..];
        match classify(paragraph, &f.codes, known) {
            ParagraphKind::Funding => {
                funding_paragraphs += 1;
                if !f.codes.is_empty() {
                    removed_any = true;
                    f.removed += 1;
                    continue;
                }
            }
            ParagraphKind::Label | ParagraphKind::Emblem if !f.codes.is_empty() => {
                // Removed below only when the post's disclaimer was removed too.
                kept.push('\u{1}');
                kept.push_str(paragraph);
                kept.push('\u{2}');
                continue;
            }
            ParagraphKind::Mixed => f.unsure.push(format!(
                "a paragraph mixes funding text with other words and was left as it is: “{}”",
                shorten(&html::text(paragraph))
            )),
            _ => {}
        }
        kept.push_str(paragraph);
    }
    kept.push_str(rest);
    // Labels and emblems go with the disclaimer they stood beside.
    let mut out = String::with_capacity(kept.len());
    let mut parts = kept.split('\u{1}');
    out.push_str(parts.next().unwrap_or(""));
    for part in parts {
        let (paragraph, after) = part.split_once('\u{2}').unwrap_or((part, ""));
        if removed_any {
            f.removed += 1;
        } else {
            out.push_str(paragraph);
        }
        out.push_str(after);
    }
    f.html = out;
    if funding_paragraphs > 0 && f.codes.is_empty() {
        f.unsure.push(
            "it has a pasted funding text but no project code lapa can accept; the text was left as it is: add `project:` by hand"
                .to_string(),
        );
    }
    f
}

/// What a pasted paragraph is, as far as the funding texts go.
enum ParagraphKind {
    Funding,
    Label,
    Emblem,
    Mixed,
    Other,
}

fn classify(paragraph: &str, codes: &[FoundCode], known: &Sentences) -> ParagraphKind {
    let text = html::text(paragraph);
    if text.is_empty() {
        let images = html::img_tags(paragraph);
        let emblem = !images.is_empty()
            && images.iter().all(|tag| {
                let words = normalise(&format!(
                    "{} {}",
                    html::attribute(tag, "src").unwrap_or_default(),
                    html::attribute(tag, "alt").unwrap_or_default()
                ));
                [
                    "erasmus",
                    "emblem",
                    "karog",
                    "flag",
                    "logo",
                    "eu ",
                    "es ",
                    "cofunded",
                    "lidzfinanse",
                    "esf",
                ]
                .iter()
                .any(|w| words.contains(w))
            });
        return if emblem {
            ParagraphKind::Emblem
        } else {
            ParagraphKind::Other
        };
    }
    let mut norm = format!(" {} ", normalise(&text));
    let before = norm.len();
    for sentence in &known.0 {
        let needle = format!(" {sentence} ");
        while let Some(i) = norm.find(&needle) {
            norm.replace_range(i..i + needle.len(), " ");
        }
    }
    let found_sentence = norm.len() != before;
    let leftover: Vec<&str> = norm
        .split(' ')
        .filter(|w| !w.is_empty() && !LABELS.contains(w))
        .collect();
    if found_sentence {
        return if leftover.is_empty() {
            ParagraphKind::Funding
        } else {
            ParagraphKind::Mixed
        };
    }
    // "Projekts Nr. 2023-1-LV01-KA121-SCH-000138745 „Kompetents skolotājs”": a label.
    let mut rest = format!(" {} ", normalise(&text));
    let mut had_code = false;
    for c in codes {
        for piece in [Some(normalise(&c.code)), c.title.as_deref().map(normalise)]
            .into_iter()
            .flatten()
        {
            let needle = format!(" {piece} ");
            if rest.contains(&needle) {
                had_code |= piece == normalise(&c.code);
                rest = rest.replace(&needle, " ");
            }
        }
    }
    const LABEL_WORDS: &[&str] = &[
        "projekts",
        "projekta",
        "project",
        "nr",
        "no",
        "number",
        "numurs",
        "erasmus",
        "esf",
        "ka1",
        "programma",
        "programmas",
        "programme",
    ];
    let only_label = rest
        .split(' ')
        .filter(|w| !w.is_empty())
        .all(|w| LABEL_WORDS.contains(&w));
    if had_code && only_label {
        ParagraphKind::Label
    } else {
        ParagraphKind::Other
    }
}

fn shorten(s: &str) -> String {
    if s.chars().count() <= 80 {
        s.to_string()
    } else {
        let cut: String = s.chars().take(79).collect();
        format!("{cut}…")
    }
}

/// Tokens shaped like a project code (digits and `-`, `.` or `/`) in one paragraph,
/// each with the quoted title nearest to it there.
fn code_candidates(text: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for raw in text.split(|c: char| c.is_whitespace() || "(),;:„“”\"«»[]".contains(c)) {
        let start = offset;
        offset += raw.len() + 1;
        let token = raw.trim_end_matches(['.', '!', '?']);
        let looks_erasmus = token.len() >= 20
            && token.as_bytes()[..4].iter().all(u8::is_ascii_digit)
            && token.as_bytes().get(4) == Some(&b'-')
            && token.contains("-KA");
        let looks_esf = token.matches('/').count() >= 3
            && token.starts_with(|c: char| c.is_ascii_digit())
            && token.split('/').next().is_some_and(|m| m.contains('.'));
        if looks_erasmus || looks_esf {
            out.push((token.to_string(), quoted_title(text, start)));
        }
    }
    out
}

/// The title in typographic or straight quotes („…”, “…”, "…", «…») nearest to `at`.
fn quoted_title(text: &str, at: usize) -> Option<String> {
    let mut best: Option<(usize, String)> = None;
    for (open, closes) in [('„', "”“\""), ('“', "”"), ('"', "\""), ('«', "»")] {
        for (i, _) in text.match_indices(open) {
            let after = &text[i + open.len_utf8()..];
            let Some(j) = after.find(|c: char| closes.contains(c)) else {
                continue;
            };
            let title = after[..j].trim();
            let n = title.chars().count();
            if !(3..=200).contains(&n) {
                continue;
            }
            let distance = i.abs_diff(at);
            if best.as_ref().is_none_or(|(d, _)| distance < *d) {
                best = Some((distance, title.to_string()));
            }
        }
    }
    best.map(|(_, t)| t)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LV_2021: &str = "Finansē Eiropas Savienība. Paustie viedokļi un uzskati ir tikai autora(-u) viedokļi un uzskati, un tie ne vienmēr atspoguļo Eiropas Savienības vai Eiropas Izglītības un kultūras izpildaģentūras (EACEA) viedokli. Ne Eiropas Savienība, ne EACEA nevar būt atbildīgas par tiem.";

    fn run(body: &str) -> Findings {
        let p = Programmes::builtin();
        detect("Virsraksts", body, &p, &Sentences::new(&p))
    }

    #[test]
    fn a_pasted_disclaimer_with_a_code_is_removed() {
        let body = format!(
            "<p>Mēs mācījāmies Budapeštā.</p>\n<p>Projekts Nr. 2023-1-LV01-KA121-SCH-000138745 „Kompetents skolotājs”</p>\n<p><img src=\"https://skola.lv/wp-content/uploads/erasmus-logo.jpg\" alt=\"\" /></p>\n<p>Paziņojums: {}</p>\n<p>Līdzfinansē Eiropas Savienība</p>",
            LV_2021.replace("Erasmus+", "Erasmus +")
        );
        let f = run(&body);
        assert_eq!(
            f.codes,
            [FoundCode {
                code: "2023-1-LV01-KA121-SCH-000138745".into(),
                programme: "erasmus-plus".into(),
                title: Some("Kompetents skolotājs".into())
            }]
        );
        assert_eq!(
            f.html.trim(),
            "<p>Mēs mācījāmies Budapeštā.</p>",
            "{}",
            f.html
        );
        assert_eq!(f.removed, 4);
        assert!(f.unsure.is_empty(), "{:?}", f.unsure);
    }

    #[test]
    fn the_wrong_period_text_and_spacing_variants_are_recognised() {
        let body = "<p>2022-1-LV01-KA121-SCH-000012345</p>\n<p>„Šis projekts tika finansēts ar Eiropas  Komisijas atbalstu. Šī publikācija atspoguļo vienīgi autora uzskatus, un Komisijai nevar uzlikt atbildību par tajā ietvertās informācijas jebkuru iespējamo izlietojumu.”</p>";
        let f = run(body);
        assert_eq!(f.codes.len(), 1);
        assert_eq!(f.html.trim(), "");
    }

    #[test]
    fn a_sentence_about_the_project_stays() {
        let body = "<p>Mobilitāte notika projekta „Kompetents skolotājs” (Nr. 2023-1-LV01-KA121-SCH-000138745) ietvaros.</p>";
        let f = run(body);
        assert_eq!(f.codes.len(), 1);
        assert_eq!(f.html, body);
    }

    #[test]
    fn esf_and_2014_codes_get_their_programmes() {
        let f = run("<p>ESF+ projekts Nr. 4.2.2.3/1/24/I/001 un 2019-1-LV01-KA101-060426.</p>");
        let got: Vec<(&str, &str)> = f
            .codes
            .iter()
            .map(|c| (c.code.as_str(), c.programme.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("4.2.2.3/1/24/I/001", "esf-plus"),
                ("2019-1-LV01-KA101-060426", "erasmus-plus-2014")
            ]
        );
    }

    #[test]
    fn the_project_title_is_the_quoted_one_nearest_its_code() {
        let f = run(
            "<p>Kursā „Coaching and Mentoring” mācījāmies daudz. Projekts Nr. 2023-1-LV01-KA121-SCH-000138745 „Kompetents skolotājs”.</p>\n<p>Projekts 2019-1-LV01-KA101-060426.</p>",
        );
        assert_eq!(f.codes[0].title.as_deref(), Some("Kompetents skolotājs"));
        assert_eq!(
            f.codes[1].title, None,
            "no title beside it, and the other paragraph's is not taken"
        );
    }

    #[test]
    fn unsure_cases_leave_the_text() {
        // A code lapa cannot accept (a KA121 code in the 2014 shape), and a disclaimer
        // beside other words.
        let body = format!(
            "<p>Projekts 2023-1-LV01-KA121-000138745.</p>\n<p>Paldies visiem! {LV_2021}</p>"
        );
        let f = run(&body);
        assert!(f.codes.is_empty());
        assert_eq!(f.html, body);
        assert_eq!(f.unsure.len(), 2, "{:?}", f.unsure);
    }
}
