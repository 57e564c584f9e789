//! Words as lapa compares them: lowercase, Latvian (and other Latin) diacritics folded, so
//! "Budapešta" and "budapesta" are one word. The search index keeps its words this way and
//! `places` looks a city up by them; both take them from here, a leaf that knows only
//! `letters`.
//!
//! The browser does the same to a query with the fold table the search index writes into
//! its `meta.json` (`letters::FOLDS`), so the two sides cannot drift apart.

use std::sync::LazyLock;

/// Words longer than this are not indexed: they are URLs, hashes or keyboard mashing.
pub const MAX_WORD: usize = 40;

/// Append the folded form of the lowercase `c` to `word`; false when `c` ends a word.
/// A combining accent (from a keyboard that sends "a" and a macron) is dropped.
fn push_folded(c: char, word: &mut String) -> bool {
    if c.is_ascii_alphanumeric() {
        word.push(c);
    } else if c.is_ascii() {
        return false;
    } else if let Some(folded) = crate::letters::fold(c) {
        // A combining accent folds to nothing: the letter before it stands for both.
        word.push_str(folded);
    } else if c.is_alphanumeric() {
        word.push(c);
    } else {
        return false;
    }
    true
}

/// The first letter of [`LATIN`].
const LATIN_FIRST: u32 = 0xc0;

/// What a letter adds to a word.
enum Letter {
    /// Nothing: it ends the word.
    Ends,
    /// One ASCII letter.
    Ascii(u8),
    /// Some other text.
    Other(Box<str>),
}

/// What each letter from U+00C0 to U+017F (Latin-1 and Latin Extended-A: Latvian's
/// `ā`…`ž`, and every letter of `FOLDS`) adds to a word, upper or lower case. Worked out
/// once from the rules above, so it cannot disagree with them: most non-ASCII text lapa
/// indexes is these letters, two bytes each in UTF-8, and one lookup is much cheaper
/// than decoding, lowercasing and searching the fold table for each.
static LATIN: LazyLock<Vec<Letter>> = LazyLock::new(|| {
    (LATIN_FIRST..0x180)
        .map(|code| {
            let mut folded = String::new();
            let letter = char::from_u32(code).filter(|c| {
                c.to_lowercase()
                    .all(|lower| push_folded(lower, &mut folded))
            });
            match (letter, folded.as_bytes()) {
                (None, _) => Letter::Ends,
                (Some(_), &[b]) if b.is_ascii() => Letter::Ascii(b),
                (Some(_), _) => Letter::Other(folded.into()),
            }
        })
        .collect()
});

/// Each ASCII letter and digit in lowercase; 0 for every other byte.
static ASCII_WORD: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 128 {
        if (b as u8).is_ascii_alphanumeric() {
            table[b] = (b as u8).to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

/// Call `f` with each word of `text`, lowercased and folded, in order; words of one
/// character and words longer than [`MAX_WORD`] are left out. (A callback, not a list:
/// a 50 MB report has millions of words.)
pub fn visit_words(text: &str, mut f: impl FnMut(&str)) {
    let latin = &*LATIN;
    let bytes = text.as_bytes();
    let mut word = String::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii() {
            // A run of ASCII letters and digits is taken at once, and a whole word of
            // lowercase ones is passed on as it stands in `text`.
            let start = i;
            let mut upper = false;
            while let Some(&c) = bytes.get(i) {
                let lower = ASCII_WORD[usize::from(c)];
                if lower == 0 {
                    break;
                }
                upper |= lower != c;
                i += 1;
            }
            if i == start {
                finish(&mut word, &mut f);
                i += 1;
                continue;
            }
            let run = &text[start..i];
            if word.is_empty() && !upper && bytes.get(i).is_none_or(u8::is_ascii) {
                if (2..=MAX_WORD).contains(&run.len()) {
                    f(run);
                }
            } else {
                let from = word.len();
                word.push_str(run);
                if upper {
                    word[from..].make_ascii_lowercase();
                }
            }
            continue;
        }
        // A two-byte letter of U+00C0..U+017F: its code point from the bytes as they are.
        if let (0xc3..=0xc5, Some(&next)) = (b, bytes.get(i + 1)) {
            let code = (usize::from(b & 0x1f) << 6) | usize::from(next & 0x3f);
            if let Some(letter) = latin.get(code - LATIN_FIRST as usize) {
                match letter {
                    Letter::Ascii(a) => word.push(char::from(*a)),
                    Letter::Other(s) => word.push_str(s),
                    Letter::Ends => finish(&mut word, &mut f),
                }
                i += 2;
                continue;
            }
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        i += c.len_utf8();
        for lower in c.to_lowercase() {
            if !push_folded(lower, &mut word) {
                finish(&mut word, &mut f);
            }
        }
    }
    finish(&mut word, &mut f);
}

/// Pass `word` to `f` if it is long enough and not too long, and empty it.
fn finish(word: &mut String, f: &mut impl FnMut(&str)) {
    // Five bytes or more are at least two characters, and two to four bytes are
    // two characters unless they are one: most words need no count.
    let keep = match word.len() {
        0 | 1 => false,
        2..=4 => word.chars().nth(1).is_some(),
        5..=MAX_WORD => true,
        _ => word.chars().count() <= MAX_WORD,
    };
    if keep {
        f(word);
    }
    word.clear();
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
    fn other_scripts_fold_by_the_same_table() {
        assert_eq!(words("Школа, Рига"), ["shkola", "riga"]);
        assert_eq!(
            words("Їжак і ґанок, Αθήνα, ישראל"),
            ["izhak", "ganok", "athina", "yshral"]
        );
        assert_eq!(words("東京"), ["東京"]);
    }

    /// The words of `text` by the rules alone, without the table of Latin letters.
    fn words_by_the_rules(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut word = String::new();
        let mut finish = |word: &mut String| {
            if (2..=MAX_WORD).contains(&word.chars().count()) {
                out.push(word.clone());
            }
            word.clear();
        };
        for c in text.chars() {
            for lower in c.to_lowercase() {
                if !push_folded(lower, &mut word) {
                    finish(&mut word);
                }
            }
        }
        finish(&mut word);
        out
    }

    #[test]
    fn the_quick_paths_give_the_words_the_rules_give() {
        for code in LATIN_FIRST..0x180 {
            let c = char::from_u32(code).expect("a letter");
            let text = format!("ab{c}cd {c} {c}{c}x Ž{c} {c}AB1");
            assert_eq!(words(&text), words_by_the_rules(&text), "{c}");
        }
        let ascii = "Skola un SKOLA, sKola1 x 12 ab\u{304}c e-pasts Žogs ŽA aŽ a\u{a0}bc";
        assert_eq!(words(ascii), words_by_the_rules(ascii));
        let long = format!("{} {}", "a".repeat(MAX_WORD), "B".repeat(MAX_WORD + 1));
        assert_eq!(words(&long), words_by_the_rules(&long));
        assert_eq!(words("ĀBOLS Ūdens ķēde ×x"), ["abols", "udens", "kede"]);
    }
}
