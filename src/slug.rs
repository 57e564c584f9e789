//! Slugs: the ASCII part of a URL made from a file name, a title or a tag.

/// `2024-03-28-mentorings-kā-rīks` → `mentorings-ka-riks`.
pub fn from_file_stem(stem: &str) -> String {
    slugify(strip_date_prefix(stem))
}

/// Drop a leading `YYYY-MM-DD-` (the date belongs to front matter, not the URL).
pub fn strip_date_prefix(stem: &str) -> &str {
    let b = stem.as_bytes();
    let is_date = b.len() > 11
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
        && b[10] == b'-';
    if is_date { &stem[11..] } else { stem }
}

/// Lowercase ASCII letters and digits joined by single hyphens, letters of other
/// alphabets spelt in ASCII by the one fold table ([`crate::letters::FOLDS`]): `Ķīmija
/// un Šahs!` → `kimija-un-sahs`, `Київ` → `kiiv`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    let mut push = |a: char, out: &mut String| {
        if a.is_ascii_alphanumeric() {
            if pending_dash {
                out.push('-');
                pending_dash = false;
            }
            out.push(a.to_ascii_lowercase());
        } else {
            pending_dash = !out.is_empty();
        }
    };
    for c in text.chars() {
        // Most of a title is ASCII (and every heading's id is made with this).
        if c.is_ascii() {
            push(c, &mut out);
            continue;
        }
        for lower in c.to_lowercase() {
            match crate::letters::fold(lower) {
                // A mark ("" in the table) adds nothing and splits nothing.
                Some(ascii) => {
                    for a in ascii.chars() {
                        push(a, &mut out);
                    }
                }
                None => push(' ', &mut out),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latvian_letters_become_ascii() {
        assert_eq!(slugify("mentorings-kā-rīks"), "mentorings-ka-riks");
        assert_eq!(
            slugify("ā č ē ģ ī ķ ļ ņ š ū ž Ā Č Ē Ģ Ī Ķ Ļ Ņ Š Ū Ž"),
            "a-c-e-g-i-k-l-n-s-u-z-a-c-e-g-i-k-l-n-s-u-z"
        );
    }

    #[test]
    fn every_alphabet_the_schools_meet_gives_a_readable_slug() {
        assert_eq!(slugify("Київ і Львів"), "kiiv-i-lviv");
        assert_eq!(slugify("Ґанок, їжак, єнот"), "ganok-izhak-ienot");
        assert_eq!(slugify("Школа №1"), "shkola-1");
        assert_eq!(slugify("Αθήνα"), "athina");
        assert_eq!(slugify("שָׁלוֹם"), "shlvm");
        // Decomposed Latvian letters (macOS file names) give the composed letters' slug.
        assert_eq!(slugify("ma\u{304}ci\u{304}bas"), "macibas");
    }

    #[test]
    fn punctuation_collapses_to_one_hyphen() {
        assert_eq!(slugify("  Mentorings – rīks!  "), "mentorings-riks");
        assert_eq!(slugify("<script>"), "script");
        assert_eq!(slugify("***"), "");
    }

    #[test]
    fn the_date_prefix_goes() {
        assert_eq!(
            from_file_stem("2024-03-28-budapest-mentorings"),
            "budapest-mentorings"
        );
        assert_eq!(from_file_stem("2024-03-28"), "2024-03-28");
        assert_eq!(from_file_stem("pieklūstamība"), "pieklustamiba");
    }
}
