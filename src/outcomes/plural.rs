//! Plural forms by Unicode CLDR's rules, so "1 mobilitāte, 2 mobilitātes, 11 mobilitāšu"
//! come from the theme's strings (`KEY_zero`, `KEY_one`, `KEY_other`).

/// A CLDR plural category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    Zero,
    One,
    Other,
}

impl Category {
    /// The suffix of the theme's string for this form (`mobilities_one`).
    pub fn suffix(self) -> &'static str {
        match self {
            Category::Zero => "zero",
            Category::One => "one",
            Category::Other => "other",
        }
    }
}

/// The plural category of a whole number `n` in `lang`. Latvian (and Latgalian's
/// written standard) has zero (n ends in 0, or 11–19), one (ends in 1, not 11) and
/// other; English and every other language here: one for 1, other otherwise.
pub fn category(lang: &str, n: u64) -> Category {
    match lang {
        "lv" => {
            let tens = n % 100;
            if n % 10 == 0 || (11..=19).contains(&tens) {
                Category::Zero
            } else if n % 10 == 1 {
                Category::One
            } else {
                Category::Other
            }
        }
        _ if n == 1 => Category::One,
        _ => Category::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latvian_by_cldr() {
        let forms: Vec<Category> = [0, 1, 2, 10, 11, 19, 21, 22, 101, 111, 1000]
            .iter()
            .map(|&n| category("lv", n))
            .collect();
        use Category::*;
        assert_eq!(
            forms,
            [
                Zero, One, Other, Zero, Zero, Zero, One, Other, One, Zero, Zero
            ]
        );
    }

    #[test]
    fn english_has_one_and_other() {
        assert_eq!(category("en", 1), Category::One);
        assert_eq!(category("en", 21), Category::Other);
        assert_eq!(category("en", 0), Category::Other);
    }
}
