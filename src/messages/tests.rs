use std::collections::BTreeSet;

use super::*;

fn placeholders(template: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after.find('}').expect("a closed placeholder");
        let name = after[..close].split('|').next().unwrap_or("");
        names.insert(name.to_string());
        rest = &after[close + 1..];
    }
    names
}

/// Every `msg!("key"` in `src/`.
fn keys_in_code() -> BTreeSet<String> {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut keys = BTreeSet::new();
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.expect("src/ reads");
        // This file names the macro without using it.
        if entry.path().extension().is_none_or(|e| e != "rs")
            || entry.path().ends_with("messages/tests.rs")
        {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).expect("a source file");
        for (i, _) in text.match_indices("msg!(") {
            let rest = text[i + 5..].trim_start();
            // The macro's own definition and this test's mentions are not uses.
            let Some(rest) = rest.strip_prefix('"') else {
                continue;
            };
            let end = rest.find('"').expect("a closed key");
            keys.insert(rest[..end].to_string());
        }
    }
    keys
}

#[test]
fn both_catalogues_parse_and_have_the_same_keys_and_placeholders() {
    let en = crate::yaml::from_str::<Catalogue>(EN, std::path::Path::new("en.yaml")).unwrap();
    let lv = crate::yaml::from_str::<Catalogue>(LV, std::path::Path::new("lv.yaml")).unwrap();
    let en_keys: Vec<&String> = en.keys().collect();
    let lv_keys: Vec<&String> = lv.keys().collect();
    assert_eq!(en_keys, lv_keys, "en.yaml and lv.yaml list different keys");
    for (key, en_text) in &en {
        let lv_text = &lv[key];
        assert_eq!(
            placeholders(en_text),
            placeholders(lv_text),
            "`{key}` has different placeholders in en.yaml and lv.yaml"
        );
    }
}

#[test]
fn plural_placeholders_list_each_languages_forms() {
    for (lang, text, forms) in [(Lang::En, EN, 2), (Lang::Lv, LV, 3)] {
        let catalogue = parse(text, "x.yaml");
        for (key, template) in &catalogue {
            let mut rest = template.as_str();
            while let Some(open) = rest.find('{') {
                let after = &rest[open + 1..];
                let close = after.find('}').expect("closed");
                let words = after[..close].split('|').count() - 1;
                assert!(
                    words == 0 || words == forms,
                    "`{key}` in {lang:?} has {words} plural words, not {forms}"
                );
                rest = &after[close + 1..];
            }
        }
    }
}

#[test]
fn every_key_the_code_uses_is_in_the_catalogue_and_every_key_is_used() {
    let catalogue = parse(EN, "en.yaml");
    let used = keys_in_code();
    let missing: Vec<&String> = used
        .iter()
        .filter(|k| !catalogue.contains_key(*k))
        .collect();
    assert!(
        missing.is_empty(),
        "keys used in src/ but not in the catalogue: {missing:?}"
    );
    let unused: Vec<&String> = catalogue.keys().filter(|k| !used.contains(*k)).collect();
    assert!(
        unused.is_empty(),
        "keys in the catalogue that no code uses: {unused:?}"
    );
}

#[test]
fn counts_take_each_languages_plural_forms() {
    let problems = |lang, n: u64| text_in(lang, "problems-found", &[("n", &n), ("after", &"")]);
    assert!(
        problems(Lang::Lv, 1).starts_with("lapa: 1 problēma;"),
        "{}",
        problems(Lang::Lv, 1)
    );
    assert!(
        problems(Lang::Lv, 2).contains("2 problēmas"),
        "{}",
        problems(Lang::Lv, 2)
    );
    assert!(
        problems(Lang::Lv, 11).contains("11 problēmu"),
        "{}",
        problems(Lang::Lv, 11)
    );
    assert!(
        problems(Lang::Lv, 21).contains("21 problēma"),
        "{}",
        problems(Lang::Lv, 21)
    );
    assert!(
        problems(Lang::En, 1).contains("1 problem found"),
        "{}",
        problems(Lang::En, 1)
    );
    assert!(
        problems(Lang::En, 2).contains("2 problems found"),
        "{}",
        problems(Lang::En, 2)
    );
}

#[test]
fn language_codes_as_the_system_writes_them() {
    assert_eq!(Lang::from_code("lv_LV.UTF-8"), Some(Lang::Lv));
    assert_eq!(Lang::from_code("en_GB"), Some(Lang::En));
    assert_eq!(Lang::from_code("C.UTF-8"), None);
    assert_eq!(choose(Some("lv"), Some("en")), Lang::Lv);
}

#[test]
fn a_missing_argument_stays_visible() {
    assert_eq!(fill(Lang::En, "a {x} b", &[]), "a {x} b");
    assert_eq!(fill(Lang::En, "{n|page|pages}", &[("n", &1)]), "1 page");
    assert_eq!(
        fill(Lang::Lv, "{n|lapu|lapa|lapas}", &[("n", &10)]),
        "10 lapu"
    );
}

/// Files of `src/` that still hold English-only text a user reads, each with why. The
/// list may only shrink: a file converted to the catalogue comes off it.
const STILL_ENGLISH: &[(&str, &str)] = &[(
    "cli.rs",
    "clap's argument errors, read before the language is chosen",
)];

/// A string literal of Rust code that reads as an English sentence: three lowercase
/// words in a row. Code, HTML, CSS and paths do not look like that; a message does.
fn english_in(literal: &str) -> bool {
    let words: Vec<&str> = literal
        .split([' ', '\n'])
        .map(|w| w.trim_matches(|c: char| ",.;:()`'\"".contains(c)))
        .collect();
    words.windows(3).any(|three| {
        three
            .iter()
            .all(|w| w.len() > 1 && w.chars().all(|c| c.is_ascii_lowercase() || c == '\''))
    })
}

/// The string literals of one line of Rust code.
fn literals(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(open) = rest.find('"') {
        let after = &rest[open + 1..];
        let mut end = None;
        let mut escaped = false;
        for (i, c) in after.char_indices() {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => {
                    end = Some(i);
                    break;
                }
                _ => escaped = false,
            }
        }
        let Some(end) = end else {
            out.push(after);
            break;
        };
        out.push(&after[..end]);
        rest = &after[end + 1..];
    }
    out
}

/// Every message a user reads comes from the catalogue: no code outside the files still
/// listed in `STILL_ENGLISH` writes an English sentence of its own. Test code
/// (`architecture.rs` is all test code), comments, `expect` texts (a program error, not a
/// user's) and a line marked `// not a message` (a file's text, a key) are left out.
#[test]
fn no_english_sentence_outside_the_catalogue() {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.expect("src/ reads");
        let path = entry.path();
        let rel = path
            .strip_prefix(&src)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        if path.extension().is_none_or(|e| e != "rs")
            || rel.starts_with("messages/")
            || rel.ends_with("tests.rs")
            || rel == "architecture.rs"
            || STILL_ENGLISH.iter().any(|(file, _)| *file == rel)
        {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("a source file");
        for (i, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("#[cfg(test)]") {
                break;
            }
            let code = line.trim_start();
            if code.starts_with("//")
                || line.contains("expect(\"")
                || line.contains("// not a message")
            {
                continue;
            }
            for literal in literals(line) {
                if english_in(literal) {
                    found.push(format!("src/{rel}:{}: \"{literal}\"", i + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "English text outside the catalogue (give it a key in en.yaml and lv.yaml and use msg!):\n{}",
        found.join("\n")
    );
}
