//! Any bytes as a report: front matter and Markdown must become HTML or a Diagnostic, never a panic.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use lapa::config::Config;
use lapa::markdown::{self, LinkResolver};
use libfuzzer_sys::fuzz_target;

static CONFIG: LazyLock<Config> = LazyLock::new(|| {
    Config::parse(Path::new("/site"), "title: F\nbase_url: https://f.lv/sub/\nlanguages: [lv, en]\n").expect("a valid config")
});

struct Links;

impl LinkResolver for Links {
    fn page_url(&self, rel: &str, _lang: &str) -> Option<String> {
        rel.starts_with('a').then(|| format!("/sub/{rel}/"))
    }
    fn asset_url(&self, rel: &str) -> String {
        format!("/sub/{rel}")
    }
    fn base_path(&self) -> &str {
        "/sub/"
    }
}

fuzz_target!(|data: &[u8]| {
    let rel = "news/2024-01-01-x.en.md".to_string();
    if let Ok(source) = lapa::content::parse(&CONFIG, PathBuf::from("/site/content").join(&rel), rel, data.to_vec()) {
        let rendered = markdown::render(&source.body, &source.rel, &source.lang, &Links);
        assert!(rendered.html.len() <= source.body.len() * 64 + 1024);
    }
});
