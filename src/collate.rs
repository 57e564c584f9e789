//! Sorting words the way a Latvian (or English) reader expects.
//!
//! Latvian treats č ģ ķ ļ ņ š ž as letters of their own (after c g k l n s z), while
//! ā ē ī ū sort with their plain vowels unless the words are otherwise equal. A byte
//! sort would put every accented letter after z.

use std::cmp::Ordering;

/// Compare two words in `lang`'s collation (Latvian rules for `lv`, plain letters otherwise).
pub fn compare(lang: &str, a: &str, b: &str) -> Ordering {
    let primary = primary_key(lang, a).cmp(&primary_key(lang, b));
    primary
        .then_with(|| a.to_lowercase().cmp(&b.to_lowercase()))
        .then_with(|| a.cmp(b))
}

fn primary_key(lang: &str, s: &str) -> Vec<u32> {
    s.chars()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .map(|c| weight(lang, c))
        .collect()
}

/// A letter's primary weight: its base letter × 2, plus 1 for Latvian's own letters.
fn weight(lang: &str, c: char) -> u32 {
    let (base, own_letter) = match c {
        'ā' | 'á' | 'à' | 'ä' | 'â' => ('a', false),
        'ē' | 'é' | 'è' | 'ë' | 'ê' => ('e', false),
        'ī' | 'í' | 'ì' | 'ï' | 'î' => ('i', false),
        'ū' | 'ú' | 'ù' | 'ü' | 'û' => ('u', false),
        'ō' | 'ó' | 'ò' | 'ö' | 'ô' => ('o', false),
        'č' => ('c', true),
        'ģ' => ('g', true),
        'ķ' => ('k', true),
        'ļ' => ('l', true),
        'ņ' => ('n', true),
        'š' => ('s', true),
        'ž' => ('z', true),
        other => (other, false),
    };
    u32::from(base) * 2 + u32::from(own_letter && lang == "lv")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latvian_order() {
        let mut words = vec![
            "šahs", "zāle", "sports", "ābols", "ceļš", "čūska", "abats", "žagata",
        ];
        words.sort_by(|a, b| compare("lv", a, b));
        assert_eq!(
            words,
            vec![
                "abats", "ābols", "ceļš", "čūska", "sports", "šahs", "zāle", "žagata"
            ]
        );
    }
}
