//! Which plural form a count takes, by the CLDR rules of each language lapa speaks: pick
//! the word with [`english`] or [`latvian`] ("1 page", "2 pages"; "1 lapa", "21 lapa",
//! "11 lapas").

/// A plural form, as CLDR names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Latvian only: 0, 10–20, 30, 40 …, 100, 110–119 …
    Zero,
    One,
    Other,
}

impl Form {
    /// The ending of a UI string's key for this form: `mobilities_zero`, `_one`, `_other`.
    pub fn key(self) -> &'static str {
        match self {
            Form::Zero => "zero",
            Form::One => "one",
            Form::Other => "other",
        }
    }
}

/// The form `n` takes in `lang`: Latvian by its rules, every other language by English ones.
pub fn form(lang: &str, n: u64) -> Form {
    match lang {
        "lv" => latvian(n),
        _ => english(n),
    }
}

/// English: one for 1, other for every other count.
pub fn english(n: u64) -> Form {
    if n == 1 { Form::One } else { Form::Other }
}

/// Latvian (CLDR): zero when n ends in 0 or in 11–19; one when n ends in 1 but not in 11;
/// other for the rest.
pub fn latvian(n: u64) -> Form {
    if n % 10 == 0 || (11..=19).contains(&(n % 100)) {
        Form::Zero
    } else if n % 10 == 1 {
        Form::One
    } else {
        Form::Other
    }
}

/// `1 page`, `2 pages`: the count and the English word for it.
pub fn count_en(n: u64, one: &str, other: &str) -> String {
    match english(n) {
        Form::One => format!("{n} {one}"),
        Form::Zero | Form::Other => format!("{n} {other}"),
    }
}

/// `1 lapa`, `2 lapas`, `10 lapu`: the count and the Latvian word for its form.
pub fn count_lv(n: u64, zero: &str, one: &str, other: &str) -> String {
    let word = match latvian(n) {
        Form::Zero => zero,
        Form::One => one,
        Form::Other => other,
    };
    format!("{n} {word}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_forms() {
        let forms: Vec<Form> = [0, 1, 2, 11, 21, 111].into_iter().map(english).collect();
        use Form::*;
        assert_eq!(forms, [Other, One, Other, Other, Other, Other]);
        assert_eq!(count_en(1, "page", "pages"), "1 page");
        assert_eq!(count_en(21, "page", "pages"), "21 pages");
    }

    #[test]
    fn a_language_picks_its_rules_and_a_key() {
        assert_eq!(form("lv", 21).key(), "one");
        assert_eq!(form("lv", 11).key(), "zero");
        assert_eq!(form("en", 21).key(), "other");
        assert_eq!(form("en", 1).key(), "one");
    }

    #[test]
    fn latvian_forms() {
        let forms: Vec<Form> = [0, 1, 2, 11, 21, 111, 10, 19, 101, 1011]
            .into_iter()
            .map(latvian)
            .collect();
        use Form::*;
        assert_eq!(
            forms,
            [Zero, One, Other, Zero, One, Zero, Zero, Zero, One, Zero]
        );
        assert_eq!(count_lv(21, "lapu", "lapa", "lapas"), "21 lapa");
        assert_eq!(count_lv(2, "lapu", "lapa", "lapas"), "2 lapas");
        assert_eq!(count_lv(11, "lapu", "lapa", "lapas"), "11 lapu");
    }
}
