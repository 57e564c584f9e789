//! Project code formats, checked by small hand parsers.

use serde::Deserialize;

use crate::msg;

/// What a valid project code tells about the project.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct CodeFacts {
    /// The Erasmus+ key action, e.g. `KA121`.
    pub action: Option<String>,
    /// The Erasmus+ field, e.g. `SCH`.
    pub field: Option<String>,
    /// The national agency part of an Erasmus+ code, e.g. `LV01`.
    pub agency: Option<String>,
}

/// The format of one programme's project codes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CodeFormat {
    /// What the codes are called in a message, e.g. "Erasmus+ 2021–2027".
    pub label: String,
    /// The shape a teacher compares with, e.g. `YYYY-R-CCNN-KAnnn-FFF-nnnnnnnnn`.
    pub shape: String,
    /// A code that fits.
    pub example: Option<String>,
    rule: Rule,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Rule {
    Erasmus {
        years: (u16, u16),
        fields: Option<Vec<String>>,
        serial_digits: usize,
    },
    Esf,
    /// `9` a digit, `A` an uppercase letter, anything else itself.
    Pattern(String),
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum RuleName {
    Erasmus,
    Esf,
}

/// A built-in format as written in programmes.yaml.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CodeSpec {
    label: String,
    shape: String,
    example: String,
    rule: RuleName,
    #[serde(default)]
    years: Option<(u16, u16)>,
    #[serde(default)]
    field: bool,
    #[serde(default)]
    serial_digits: Option<usize>,
}

impl CodeSpec {
    /// The format, with `fields` the Erasmus+ field codes a code may name.
    pub(super) fn into_format(self, fields: &[String]) -> CodeFormat {
        let rule = match self.rule {
            RuleName::Erasmus => Rule::Erasmus {
                years: self.years.unwrap_or((2014, 2027)),
                fields: self.field.then(|| fields.to_vec()),
                serial_digits: self.serial_digits.unwrap_or(9),
            },
            RuleName::Esf => Rule::Esf,
        };
        CodeFormat {
            label: self.label,
            shape: self.shape,
            example: Some(self.example),
            rule,
        }
    }
}

impl CodeFormat {
    /// A format from a site's `code_pattern`; the example, if any, must fit it.
    pub fn pattern(
        label: &str,
        pattern: &str,
        example: Option<&str>,
    ) -> Result<CodeFormat, String> {
        if pattern.trim().is_empty() {
            return Err(msg!("code-pattern-empty"));
        }
        let format = CodeFormat {
            label: label.to_string(),
            shape: pattern.to_string(),
            example: None,
            rule: Rule::Pattern(pattern.to_string()),
        };
        format.with_example(example)
    }

    /// The same format with another example, which must fit it.
    pub fn with_example(mut self, example: Option<&str>) -> Result<CodeFormat, String> {
        if let Some(example) = example {
            if let Err(why) = self.problems(example) {
                return Err(msg!(
                    "code-example-misfit",
                    example = example,
                    shape = self.shape,
                    why = why
                ));
            }
            self.example = Some(example.to_string());
        }
        Ok(self)
    }

    /// Check `code`; the error is a sentence naming the expected format and the example.
    pub fn check(&self, code: &str) -> Result<CodeFacts, String> {
        self.problems(code).map_err(|why| {
            let example = match &self.example {
                Some(e) => msg!("code-refused-example", example = e),
                None => String::new(),
            };
            msg!(
                "code-refused",
                code = code,
                label = self.label,
                shape = self.shape,
                example = example,
                why = why
            )
        })
    }

    fn problems(&self, code: &str) -> Result<CodeFacts, String> {
        if code.trim().is_empty() {
            return Err(msg!("code-empty"));
        }
        match &self.rule {
            Rule::Erasmus {
                years,
                fields,
                serial_digits,
            } => erasmus(code, *years, fields.as_deref(), *serial_digits),
            Rule::Esf => esf(code).map(|()| CodeFacts::default()),
            Rule::Pattern(p) => pattern(code, p).map(|()| CodeFacts::default()),
        }
    }
}

fn digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

fn upper(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_uppercase())
}

/// `YYYY-R-CCNN-KAnnn[-FFF]-serial`; every problem found, joined.
fn erasmus(
    code: &str,
    (first, last): (u16, u16),
    fields: Option<&[String]>,
    serial_digits: usize,
) -> Result<CodeFacts, String> {
    let parts: Vec<&str> = code.split('-').collect();
    let want = if fields.is_some() { 6 } else { 5 };
    if parts.len() != want {
        return Err(msg!(
            "code-parts",
            have = parts.len(),
            sep = "-",
            want = want
        ));
    }
    let mut why = Vec::new();
    match parts[0].parse::<u16>() {
        Ok(y) if digits(parts[0], 4) && (first..=last).contains(&y) => {}
        Ok(y) if digits(parts[0], 4) => why.push(msg!(
            "code-year-range",
            year = y,
            first = first,
            last = last
        )),
        _ => why.push(msg!("code-year-four", year = parts[0])),
    }
    if !matches!(parts[1], "1" | "2" | "3") {
        why.push(msg!("code-round-erasmus", round = parts[1]));
    }
    let agency = parts[2];
    // ASCII first, so slicing at byte 2 cannot split a character.
    if !(agency.is_ascii() && agency.len() == 4 && upper(&agency[..2]) && digits(&agency[2..], 2)) {
        why.push(msg!("code-agency", agency = agency));
    }
    let action = parts[3];
    if !(action.starts_with("KA") && digits(&action[2..], 3)) {
        why.push(msg!("code-action", action = action));
    }
    let field = match fields {
        Some(known) => {
            let f = parts[4];
            if !known.iter().any(|k| k == f) {
                why.push(msg!("code-field", field = f, known = known.join(", ")));
            }
            Some(f.to_string())
        }
        None => None,
    };
    let serial = parts[want - 1];
    if !digits(serial, serial_digits) {
        why.push(msg!("code-serial", serial = serial, n = serial_digits));
    }
    if why.is_empty() {
        Ok(CodeFacts {
            action: Some(action.to_string()),
            field,
            agency: Some(agency.to_string()),
        })
    } else {
        Err(why.join("; "))
    }
}

/// Latvian measure numbering: `4.2.2.3/1/24/I/001`.
fn esf(code: &str) -> Result<(), String> {
    let parts: Vec<&str> = code.split('/').collect();
    if parts.len() != 5 {
        return Err(msg!("code-parts", have = parts.len(), sep = "/", want = 5));
    }
    let mut why = Vec::new();
    let measure: Vec<&str> = parts[0].split('.').collect();
    if measure.len() < 2 || !measure.iter().all(|m| !m.is_empty() && digits(m, m.len())) {
        why.push(msg!("code-measure", measure = parts[0]));
    }
    if !(digits(parts[1], 1) || digits(parts[1], 2)) {
        why.push(msg!("code-round-number", round = parts[1]));
    }
    if !digits(parts[2], 2) {
        why.push(msg!("code-year-two", year = parts[2]));
    }
    if !upper(parts[3]) {
        why.push(msg!("code-roman", part = parts[3]));
    }
    if !digits(parts[4], 3) {
        why.push(msg!("code-serial-three", serial = parts[4]));
    }
    if why.is_empty() {
        Ok(())
    } else {
        Err(why.join("; "))
    }
}

/// A site's pattern: the first character that does not fit, or a wrong length.
fn pattern(code: &str, pattern: &str) -> Result<(), String> {
    let (have, want) = (code.chars().count(), pattern.chars().count());
    if have != want {
        return Err(msg!("code-length", have = have, want = want));
    }
    for (i, (c, p)) in code.chars().zip(pattern.chars()).enumerate() {
        let wanted = match p {
            '9' if !c.is_ascii_digit() => msg!("code-want-digit"),
            'A' if !c.is_ascii_uppercase() => msg!("code-want-capital"),
            '9' | 'A' => continue,
            _ if c != p => format!("`{p}`"),
            _ => continue,
        };
        return Err(msg!(
            "code-character",
            n = i + 1,
            found = c,
            wanted = wanted
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::funding::Programmes;

    fn check(programme: &str, code: &str) -> Result<super::CodeFacts, String> {
        let all = Programmes::builtin();
        let p = all.get(programme).expect("built-in programme");
        p.check_code(code)
    }

    /// The error names the code, the expected shape and the example, and says `why`.
    fn rejects(programme: &str, code: &str, shape: &str, example: &str, why: &str) {
        let err = check(programme, code).expect_err(code);
        assert!(err.starts_with(&format!("`{code}` does not fit ")), "{err}");
        assert!(
            err.contains(&format!("expected {shape}, e.g. {example}")),
            "{err}"
        );
        assert!(err.contains(why), "{err}");
    }

    const E21: &str = "YYYY-R-CCNN-KAnnn-FFF-nnnnnnnnn";
    const X21: &str = "2023-1-LV01-KA121-SCH-000138745";

    #[test]
    fn erasmus_plus_accepts_its_example_and_tells_action_and_field() {
        let facts = check("erasmus-plus", X21).expect("example fits");
        assert_eq!(facts.action.as_deref(), Some("KA121"));
        assert_eq!(facts.field.as_deref(), Some("SCH"));
    }

    #[test]
    fn erasmus_plus_rejects_wrong_codes() {
        let err = check("erasmus-plus", "2023-1-LV01-KA121-XXX-000138745").expect_err("XXX");
        assert_eq!(
            err,
            "`2023-1-LV01-KA121-XXX-000138745` does not fit Erasmus+ 2021–2027 project codes: \
             expected YYYY-R-CCNN-KAnnn-FFF-nnnnnnnnn, e.g. 2023-1-LV01-KA121-SCH-000138745 \
             (field XXX is not one of SCH, VET, ADU, HED, YOU)"
        );
        let ep = "erasmus-plus";
        rejects(
            ep,
            "2020-1-LV01-KA121-SCH-000138745",
            E21,
            X21,
            "impossible year for this programme",
        );
        rejects(
            ep,
            "2028-1-LV01-KA121-SCH-000138745",
            E21,
            X21,
            "impossible year",
        );
        rejects(
            ep,
            "2023-1-LV01-KA121-SCH-00013874",
            E21,
            X21,
            "not 9 digits",
        );
        rejects(
            ep,
            "2023-1-LV01-KA12-SCH-000138745",
            E21,
            X21,
            "key action `KA12`",
        );
        rejects(ep, "2023-4-LV01-KA121-SCH-000138745", E21, X21, "round `4`");
        rejects(
            ep,
            "2023-1-LV1-KA121-SCH-000138745",
            E21,
            X21,
            "national agency `LV1`",
        );
        rejects(
            ep,
            "2023-1-āa-KA121-SCH-000138745",
            E21,
            X21,
            "national agency",
        );
        rejects(ep, "23-1-LV01-KA121-SCH-000138745", E21, X21, "year `23`");
        rejects(
            ep,
            "2019-1-LV01-KA101-060426",
            E21,
            X21,
            "5 parts separated by `-`, not 6",
        );
        rejects(ep, "", E21, X21, "the code is empty");
    }

    #[test]
    fn erasmus_plus_2014_accepts_its_example_and_rejects_wrong_codes() {
        let (shape, example) = ("YYYY-R-CCNN-KAnnn-nnnnnn", "2019-1-LV01-KA101-060426");
        let facts = check("erasmus-plus-2014", example).expect("example fits");
        assert_eq!(facts.action.as_deref(), Some("KA101"));
        assert_eq!(facts.field, None);
        let ep = "erasmus-plus-2014";
        rejects(
            ep,
            "2021-1-LV01-KA101-060426",
            shape,
            example,
            "impossible year for this programme",
        );
        rejects(
            ep,
            "2013-1-LV01-KA101-060426",
            shape,
            example,
            "2013 is not in 2014–2020",
        );
        rejects(
            ep,
            "2019-1-LV01-KA101-06042",
            shape,
            example,
            "not 6 digits",
        );
        rejects(ep, "2019-1-LV01-KA101-SCH-060426", shape, example, "not 5");
    }

    #[test]
    fn esf_plus_accepts_its_example_and_rejects_wrong_codes() {
        let (shape, example) = ("M.M.M.M/R/YY/X/NNN", "4.2.2.3/1/24/I/001");
        assert_eq!(check("esf-plus", example), Ok(super::CodeFacts::default()));
        check("esf-plus", "4.2.2.3/12/24/IV/001").expect("two-digit round, IV");
        let ep = "esf-plus";
        rejects(ep, "4.2.2.3/1/24/I/01", shape, example, "not three digits");
        rejects(ep, "4.2.2.3/1/2024/I/001", shape, example, "year `2024`");
        rejects(ep, "4.2..3/1/24/I/001", shape, example, "measure `4.2..3`");
        rejects(ep, "4.2.2.3/1/24/i/001", shape, example, "roman numeral");
        rejects(ep, "4.2.2.3/1/24/001", shape, example, "4 parts");
    }
}
