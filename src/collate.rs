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
    let mut key = Vec::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() || c.is_ascii_whitespace() {
                key.push(weight(c, false));
            }
            continue;
        }
        // Latvian's own letters come after their base letter; every other letter sorts
        // as the fold table spells it (`ā` as `a`, `ж` as `zh`), so a slug, a sorted
        // list and a search agree on what a letter is.
        let own = lang == "lv" && LATVIAN_OWN.contains(&c);
        match crate::letters::fold(c) {
            Some(ascii) if !ascii.is_empty() => {
                let mut chars = ascii.chars();
                if let Some(first) = chars.next() {
                    key.push(weight(first, own));
                }
                key.extend(chars.map(|a| weight(a, false)));
            }
            Some(_) => {}
            None if c.is_alphanumeric() || c.is_whitespace() => key.push(weight(c, false)),
            None => {}
        }
    }
    key
}

/// Letters Latvian sorts after their base letter (`č` after every `c`).
const LATVIAN_OWN: [char; 7] = ['č', 'ģ', 'ķ', 'ļ', 'ņ', 'š', 'ž'];

/// A letter's primary weight: the letter × 2, plus 1 for Latvian's own letters.
fn weight(base: char, own_letter: bool) -> u32 {
    u32::from(base) * 2 + u32::from(own_letter)
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

    #[test]
    fn other_alphabets_sort_as_they_are_spelt() {
        let mut words = vec!["Шахи", "Київ", "Αθήνα", "baznīca"];
        words.sort_by(|a, b| compare("lv", a, b));
        assert_eq!(words, vec!["Αθήνα", "baznīca", "Київ", "Шахи"]);
    }
}
