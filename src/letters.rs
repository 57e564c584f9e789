//! Letters as lapa compares them: one table folds a letter to ASCII for slugs, sorting
//! and search alike, and text is put in one Unicode form (NFC) where it enters lapa.

use std::borrow::Cow;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// `text` in Unicode's composed form (NFC): `ā` typed as `a` and a combining macron (as
/// macOS file names and some editors write it) becomes the one letter `ā`, so it makes
/// the same slug, tag and search word as an `ā` typed at once. Borrowed when it already
/// is (nearly always), after a quick check.
pub fn nfc(text: &str) -> Cow<'_, str> {
    if surely_nfc(text) || is_nfc_quick(text.chars()) == IsNormalized::Yes {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    }
}

/// Whether `text` is surely NFC without the quick check: every character is below
/// U+0300 (no character there decomposes or combines; Latvian's letters are
/// U+0100–U+017F) or is punctuation of U+2002–U+207F or `€` (dashes, quotes, `…`: the same
/// holds for them). It looks at bytes only (a character from U+0300 on starts with a
/// byte from 0xCC on), 64 at a time with no branch inside, and closer only at such a
/// byte: a fraction of what the quick check costs on a whole report.
fn surely_nfc(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let end = (i + 64).min(bytes.len());
        if bytes[i..end].iter().fold(0u8, |high, &b| high.max(b)) < 0xCC {
            i = end;
            continue;
        }
        while i < end {
            if bytes[i] >= 0xCC {
                match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
                    (0xE2, Some(0x80), Some(0x82..=0xBF))
                    | (0xE2, Some(0x81), Some(_))
                    | (0xE2, Some(0x82), Some(0xAC)) => i += 2,
                    _ => return false,
                }
            }
            i += 1;
        }
    }
    true
}

/// [`nfc`] of an owned text.
pub fn nfc_owned(text: String) -> String {
    match nfc(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(n) => n,
    }
}

/// The ASCII a lowercase letter folds to (`ā` → `a`, `ж` → `zh`); `""` for a mark that
/// the letter before it stands for (Hebrew vowel points), `None` for a letter the table
/// does not know (kept as it is by search, dropped by slugs).
pub fn fold(c: char) -> Option<&'static str> {
    if ('\u{300}'..='\u{36f}').contains(&c) {
        return Some("");
    }
    FOLDS
        .binary_search_by_key(&c, |(from, _)| *from)
        .ok()
        .map(|i| FOLDS[i].1)
}

/// Letters that fold to plain ASCII, lowercase, sorted by code point (a letter is found
/// by binary search). The search index writes it into `meta.json`, so the browser folds
/// a query exactly as lapa folded the pages.
///
/// Latin: the letter without its accent (Latvian's `ā č ē ģ ī ķ ļ ņ š ū ž` too).
/// Cyrillic (Russian, Ukrainian, Belarusian, Serbian, Macedonian, Bulgarian): ICAO Doc
/// 9303, the transliteration of passports (`ж` zh, `х` kh, `щ` shch, `ю` iu, `я` ia, Ukrainian
/// `і ї` i, `є` ie, `ґ` g). Greek: ELOT 743 (`θ` th, `χ` ch, `ψ` ps). Hebrew: consonants
/// (`ש` sh, `צ` ts, `א ע` a), vowel points dropped.
pub const FOLDS: &[(char, &str)] = &[
    ('ß', "ss"),
    ('à', "a"),
    ('á', "a"),
    ('â', "a"),
    ('ã', "a"),
    ('ä', "a"),
    ('å', "a"),
    ('æ', "ae"),
    ('ç', "c"),
    ('è', "e"),
    ('é', "e"),
    ('ê', "e"),
    ('ë', "e"),
    ('ì', "i"),
    ('í', "i"),
    ('î', "i"),
    ('ï', "i"),
    ('ñ', "n"),
    ('ò', "o"),
    ('ó', "o"),
    ('ô', "o"),
    ('õ', "o"),
    ('ö', "o"),
    ('ø', "o"),
    ('ù', "u"),
    ('ú', "u"),
    ('û', "u"),
    ('ü', "u"),
    ('ý', "y"),
    ('ÿ', "y"),
    ('ā', "a"),
    ('ą', "a"),
    ('ć', "c"),
    ('č', "c"),
    ('ď', "d"),
    ('đ', "d"),
    ('ē', "e"),
    ('ė', "e"),
    ('ę', "e"),
    ('ě', "e"),
    ('ğ', "g"),
    ('ģ', "g"),
    ('ī', "i"),
    ('į', "i"),
    ('ı', "i"),
    ('ķ', "k"),
    ('ļ', "l"),
    ('ľ', "l"),
    ('ł', "l"),
    ('ń', "n"),
    ('ņ', "n"),
    ('ň', "n"),
    ('ō', "o"),
    ('ő', "o"),
    ('œ', "oe"),
    ('ŗ', "r"),
    ('ř', "r"),
    ('ś', "s"),
    ('ş', "s"),
    ('š', "s"),
    ('ť', "t"),
    ('ū', "u"),
    ('ů', "u"),
    ('ű', "u"),
    ('ų', "u"),
    ('ź', "z"),
    ('ż', "z"),
    ('ž', "z"),
    ('ΐ', "i"),
    ('ά', "a"),
    ('έ', "e"),
    ('ή', "i"),
    ('ί', "i"),
    ('ΰ', "y"),
    ('α', "a"),
    ('β', "v"),
    ('γ', "g"),
    ('δ', "d"),
    ('ε', "e"),
    ('ζ', "z"),
    ('η', "i"),
    ('θ', "th"),
    ('ι', "i"),
    ('κ', "k"),
    ('λ', "l"),
    ('μ', "m"),
    ('ν', "n"),
    ('ξ', "x"),
    ('ο', "o"),
    ('π', "p"),
    ('ρ', "r"),
    ('ς', "s"),
    ('σ', "s"),
    ('τ', "t"),
    ('υ', "y"),
    ('φ', "f"),
    ('χ', "ch"),
    ('ψ', "ps"),
    ('ω', "o"),
    ('ϊ', "i"),
    ('ϋ', "y"),
    ('ό', "o"),
    ('ύ', "y"),
    ('ώ', "o"),
    ('а', "a"),
    ('б', "b"),
    ('в', "v"),
    ('г', "g"),
    ('д', "d"),
    ('е', "e"),
    ('ж', "zh"),
    ('з', "z"),
    ('и', "i"),
    ('й', "i"),
    ('к', "k"),
    ('л', "l"),
    ('м', "m"),
    ('н', "n"),
    ('о', "o"),
    ('п', "p"),
    ('р', "r"),
    ('с', "s"),
    ('т', "t"),
    ('у', "u"),
    ('ф', "f"),
    ('х', "kh"),
    ('ц', "ts"),
    ('ч', "ch"),
    ('ш', "sh"),
    ('щ', "shch"),
    ('ъ', "ie"),
    ('ы', "y"),
    ('ь', ""),
    ('э', "e"),
    ('ю', "iu"),
    ('я', "ia"),
    ('ѐ', "e"),
    ('ё', "e"),
    ('ђ', "d"),
    ('ѓ', "g"),
    ('є', "ie"),
    ('ѕ', "dz"),
    ('і', "i"),
    ('ї', "i"),
    ('ј', "j"),
    ('љ', "lj"),
    ('њ', "nj"),
    ('ћ', "c"),
    ('ќ', "k"),
    ('ѝ', "i"),
    ('ў', "u"),
    ('џ', "dz"),
    ('ґ', "g"),
    ('\u{5b0}', ""), // hebrew point sheva
    ('\u{5b1}', ""), // hebrew point hataf segol
    ('\u{5b2}', ""), // hebrew point hataf patah
    ('\u{5b3}', ""), // hebrew point hataf qamats
    ('\u{5b4}', ""), // hebrew point hiriq
    ('\u{5b5}', ""), // hebrew point tsere
    ('\u{5b6}', ""), // hebrew point segol
    ('\u{5b7}', ""), // hebrew point patah
    ('\u{5b8}', ""), // hebrew point qamats
    ('\u{5b9}', ""), // hebrew point holam
    ('\u{5ba}', ""), // hebrew point holam haser for vav
    ('\u{5bb}', ""), // hebrew point qubuts
    ('\u{5bc}', ""), // hebrew point dagesh or mapiq
    ('\u{5bd}', ""), // hebrew point meteg
    ('\u{5bf}', ""), // hebrew point rafe
    ('\u{5c1}', ""), // hebrew point shin dot
    ('\u{5c2}', ""), // hebrew point sin dot
    ('\u{5c4}', ""), // hebrew mark upper dot
    ('\u{5c5}', ""), // hebrew mark lower dot
    ('\u{5c7}', ""), // hebrew point qamats qatan
    ('א', "a"),
    ('ב', "b"),
    ('ג', "g"),
    ('ד', "d"),
    ('ה', "h"),
    ('ו', "v"),
    ('ז', "z"),
    ('ח', "ch"),
    ('ט', "t"),
    ('י', "y"),
    ('ך', "k"),
    ('כ', "k"),
    ('ל', "l"),
    ('ם', "m"),
    ('מ', "m"),
    ('ן', "n"),
    ('נ', "n"),
    ('ס', "s"),
    ('ע', "a"),
    ('ף', "p"),
    ('פ', "p"),
    ('ץ', "ts"),
    ('צ', "ts"),
    ('ק', "k"),
    ('ר', "r"),
    ('ש', "sh"),
    ('ת', "t"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_lowercase_and_ascii() {
        assert!(FOLDS.windows(2).all(|w| w[0].0 < w[1].0));
        for (from, to) in FOLDS {
            assert_eq!(from.to_lowercase().to_string(), from.to_string());
            assert!(to.bytes().all(|b| b.is_ascii_lowercase()), "{from}");
        }
    }

    #[test]
    fn decomposed_text_is_composed() {
        assert_eq!(nfc("ma\u{304}ci\u{304}bas"), "mācības");
        assert!(matches!(nfc("mācības"), Cow::Borrowed(_)));
        assert!(matches!(nfc("skola"), Cow::Borrowed(_)));
        assert!(matches!(nfc("Київ"), Cow::Borrowed(_)));
        assert!(surely_nfc("mācības – “ŽŪ”… 5 €"));
        assert!(!surely_nfc("ma\u{304}"));
        assert!(!surely_nfc("Київ"));
        assert!(!surely_nfc("\u{2000}"));
        assert!(!surely_nfc(&format!("{}a\u{304}", "x".repeat(63))));
    }
}
