//! The words lapa says to its user, in the user's language.
//!
//! Every message a user reads comes from a catalogue, one per language (`en.yaml`,
//! `lv.yaml` beside this file, embedded in the binary): a key and a text with `{name}`
//! placeholders. `{n|page|pages}` is a count with its word, chosen by the language's
//! plural rules (`plural`): English lists the one and other forms, Latvian the zero,
//! one and other forms (`{n|problēmu|problēma|problēmas}`). Code names a message with
//! [`msg!`](crate::msg) and a literal key, so a unit test can hold every key used in
//! `src/` to both catalogues.

use std::collections::BTreeMap;
use std::fmt::Display;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU8, Ordering};

use crate::plural::{self, Form};

/// A language lapa speaks to its user in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Lv,
}

impl Lang {
    /// `lv` or `en` (with a region or encoding after it, as `LANG` writes it).
    pub fn from_code(code: &str) -> Option<Lang> {
        let code = code.trim().to_ascii_lowercase();
        let base = code.split(['_', '-', '.', '@']).next().unwrap_or("");
        match base {
            "lv" => Some(Lang::Lv),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Lv => "lv",
        }
    }
}

static CURRENT: AtomicU8 = AtomicU8::new(0);

/// Speak `lang` from now on (the command line decides once, before any work).
pub fn set(lang: Lang) {
    CURRENT.store(lang as u8, Ordering::Relaxed);
}

/// The language messages are in now (English until [`set`]).
pub fn current() -> Lang {
    match CURRENT.load(Ordering::Relaxed) {
        1 => Lang::Lv,
        _ => Lang::En,
    }
}

/// Which language to speak: `--messages`, else `LAPA_LANG`, else the site's default
/// language when it is Latvian, else the system's (`LC_ALL`, `LC_MESSAGES`, `LANG`),
/// else English.
pub fn choose(flag: Option<&str>, site_default: Option<&str>) -> Lang {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    if let Some(lang) = flag.and_then(Lang::from_code) {
        return lang;
    }
    if let Some(lang) = env("LAPA_LANG").as_deref().and_then(Lang::from_code) {
        return lang;
    }
    if site_default.and_then(Lang::from_code) == Some(Lang::Lv) {
        return Lang::Lv;
    }
    // The first of these that is set decides, as in C's setlocale.
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|name| env(name))
        .and_then(|v| Lang::from_code(&v))
        .unwrap_or(Lang::En)
}

const EN: &str = include_str!("en.yaml");
const LV: &str = include_str!("lv.yaml");

type Catalogue = BTreeMap<String, String>;

fn parse(text: &'static str, name: &str) -> Catalogue {
    // Embedded and held by a unit test, so a broken catalogue never reaches a user.
    crate::yaml::from_builtin_str(text, std::path::Path::new(name)).unwrap_or_default()
}

// One each, so a command reads only the catalogue of the language it speaks.
static CATALOGUES: [LazyLock<Catalogue>; 2] = [
    LazyLock::new(|| parse(EN, "en.yaml")),
    LazyLock::new(|| parse(LV, "lv.yaml")),
];

/// The text of `key` in the current language, its placeholders filled from `args`.
pub fn text(key: &str, args: &[(&str, &dyn Display)]) -> String {
    text_in(current(), key, args)
}

/// The text of `key` in `lang`.
pub fn text_in(lang: Lang, key: &str, args: &[(&str, &dyn Display)]) -> String {
    let catalogue = &CATALOGUES[lang as usize];
    match catalogue.get(key) {
        Some(template) => fill(lang, template, args),
        None => key.to_string(),
    }
}

/// Replace `{name}` by its argument and `{name|word|…}` by the count and its word.
fn fill(lang: Lang, template: &str, args: &[(&str, &dyn Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let inside = &after[..close];
        let mut parts = inside.split('|');
        let name = parts.next().unwrap_or("");
        let words: Vec<&str> = parts.collect();
        match args.iter().find(|(n, _)| *n == name) {
            Some((_, value)) => {
                let value = value.to_string();
                out.push_str(&value);
                if !words.is_empty() {
                    let n = value.parse::<u64>().unwrap_or(0);
                    out.push(' ');
                    out.push_str(word_for(lang, n, &words));
                }
            }
            None => {
                out.push('{');
                out.push_str(inside);
                out.push('}');
            }
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// The word for `n` among a plural placeholder's words.
fn word_for<'w>(lang: Lang, n: u64, words: &[&'w str]) -> &'w str {
    let index = match (lang, plural::form(lang.code(), n)) {
        (Lang::Lv, Form::Zero) => 0,
        (Lang::Lv, Form::One) => 1,
        (Lang::Lv, Form::Other) => 2,
        (Lang::En, Form::One) => 0,
        (Lang::En, _) => 1,
    };
    words.get(index).or(words.last()).copied().unwrap_or("")
}

/// A message from the catalogue: `msg!("build-done", pages = n, folder = path.display())`;
/// `msg!("new-report-template" in lang, …)` in another language than the current one
/// (a file written in the site's language).
#[macro_export]
macro_rules! msg {
    ($key:literal in $lang:expr $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::messages::text_in(
            $lang,
            $key,
            &[$((stringify!($name), &$value as &dyn ::std::fmt::Display)),*],
        )
    };
    ($key:literal $(, $name:ident = $value:expr)* $(,)?) => {
        $crate::messages::text(
            $key,
            &[$((stringify!($name), &$value as &dyn ::std::fmt::Display)),*],
        )
    };
}

#[cfg(test)]
mod tests;
