//! Words as the search index keeps them: lowercase, Latvian (and other Latin) diacritics
//! folded, so "Budapešta" and "budapesta" are one word.
//!
//! The browser does the same to a query with the table this module writes into the
//! index's `meta.json` (`FOLDS`), so the two sides cannot drift apart.

/// Letters that fold to plain ASCII; any other letter or digit stays as it is.
pub const FOLDS: &[(char, &str)] = &[
    ('ā', "a"),
    ('á', "a"),
    ('à', "a"),
    ('â', "a"),
    ('ä', "a"),
    ('ã', "a"),
    ('å', "a"),
    ('ą', "a"),
    ('č', "c"),
    ('ć', "c"),
    ('ç', "c"),
    ('ď', "d"),
    ('đ', "d"),
    ('ē', "e"),
    ('é', "e"),
    ('è', "e"),
    ('ê', "e"),
    ('ë', "e"),
    ('ė', "e"),
    ('ę', "e"),
    ('ě', "e"),
    ('ģ', "g"),
    ('ğ', "g"),
    ('ī', "i"),
    ('í', "i"),
    ('ì', "i"),
    ('î', "i"),
    ('ï', "i"),
    ('į', "i"),
    ('ı', "i"),
    ('ķ', "k"),
    ('ļ', "l"),
    ('ł', "l"),
    ('ľ', "l"),
    ('ņ', "n"),
    ('ñ', "n"),
    ('ń', "n"),
    ('ň', "n"),
    ('ō', "o"),
    ('ó', "o"),
    ('ò', "o"),
    ('ô', "o"),
    ('ö', "o"),
    ('õ', "o"),
    ('ø', "o"),
    ('ő', "o"),
    ('ŗ', "r"),
    ('ř', "r"),
    ('š', "s"),
    ('ś', "s"),
    ('ş', "s"),
    ('ť', "t"),
    ('ū', "u"),
    ('ú', "u"),
    ('ù', "u"),
    ('û', "u"),
    ('ü', "u"),
    ('ų', "u"),
    ('ů', "u"),
    ('ű', "u"),
    ('ý', "y"),
    ('ÿ', "y"),
    ('ž', "z"),
    ('ź', "z"),
    ('ż', "z"),
    ('ß', "ss"),
    ('æ', "ae"),
    ('œ', "oe"),
];

/// Words longer than this are not indexed: they are URLs, hashes or keyboard mashing.
pub const MAX_WORD: usize = 40;

/// Append the folded form of the lowercase `c` to `word`; false when `c` ends a word.
/// A combining accent (from a keyboard that sends "a" and a macron) is dropped.
fn push_folded(c: char, word: &mut String) -> bool {
    if c.is_ascii_alphanumeric() {
        word.push(c);
    } else if c.is_ascii() {
        return false;
    } else if ('\u{300}'..='\u{36f}').contains(&c) {
        // dropped: the letter before it stands for both
    } else if let Some((_, to)) = FOLDS.iter().find(|(from, _)| *from == c) {
        word.push_str(to);
    } else if c.is_alphanumeric() {
        word.push(c);
    } else {
        return false;
    }
    true
}

/// Call `f` with each word of `text`, lowercased and folded, in order; words of one
/// character and words longer than [`MAX_WORD`] are left out. (A callback, not a list:
/// a 50 MB report has millions of words.)
pub fn visit_words(text: &str, mut f: impl FnMut(&str)) {
    let mut word = String::new();
    let mut finish = |word: &mut String| {
        if (2..=MAX_WORD).contains(&word.chars().count()) {
            f(word);
        }
        word.clear();
    };
    for c in text.chars() {
        // Most text is ASCII: a quick path for it keeps big sites (and debug builds) fast.
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                word.push(c.to_ascii_lowercase());
            } else {
                finish(&mut word);
            }
            continue;
        }
        for lower in c.to_lowercase() {
            if !push_folded(lower, &mut word) {
                finish(&mut word);
            }
        }
    }
    finish(&mut word);
}

/// The shard a word lives in: its first two characters, spelled safely for a file name
/// (`sk`; a non-ASCII character becomes `_` and its code point in hex, `_43a`).
pub fn shard_of(word: &str) -> String {
    let mut name = String::new();
    for c in word.chars().take(2) {
        if c.is_ascii_alphanumeric() {
            name.push(c);
        } else {
            name.push_str(&format!("_{:x}", c as u32));
        }
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        visit_words(text, |w| out.push(w.to_string()));
        out
    }

    #[test]
    fn latvian_letters_fold_and_case_goes() {
        assert_eq!(words("Budapešta"), ["budapesta"]);
        assert_eq!(words("SKOLOTĀJI"), ["skolotaji"]);
        assert_eq!(
            words("ā č ē ģ ī ķ ļ ņ š ū ž Ā Č Ē Ģ Ī Ķ Ļ Ņ Š Ū Ž").concat(),
            ""
        );
        assert_eq!(
            words("āč ēģ īķ ļņ šū žŽ ĀČ ĒĢ ĪĶ ĻŅ ŠŪ"),
            [
                "ac", "eg", "ik", "ln", "su", "zz", "ac", "eg", "ik", "ln", "su"
            ]
        );
    }

    #[test]
    fn punctuation_splits_and_short_words_go() {
        assert_eq!(
            words("Mentorings – rīks, (skolas) kopienai! a 5 X2"),
            ["mentorings", "riks", "skolas", "kopienai", "x2"]
        );
        assert_eq!(words("e-pasts"), ["pasts"]);
        assert_eq!(words(&"x".repeat(41)), Vec::<String>::new());
    }

    #[test]
    fn combining_accents_are_dropped_not_split() {
        // "ā" written as "a" and a combining macron, as some keyboards send it.
        assert_eq!(words("Ba\u{304}rbele"), ["barbele"]);
        assert_eq!(words("İzmir"), ["izmir"]);
    }

    #[test]
    fn other_scripts_stay_searchable() {
        assert_eq!(words("Школа, Рига"), ["школа", "рига"]);
        assert_eq!(shard_of("школа"), "_448_43a");
        assert_eq!(shard_of("skola"), "sk");
        assert_eq!(shard_of("2024"), "20");
    }

    #[test]
    fn the_fold_table_is_lowercase_and_its_targets_ascii() {
        for (from, to) in FOLDS {
            assert_eq!(from.to_lowercase().to_string(), from.to_string());
            assert!(to.bytes().all(|b| b.is_ascii_lowercase()), "{from}");
        }
    }
}
