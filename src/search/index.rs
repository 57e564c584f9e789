//! The index of one language, as files under `search/LANG/`:
//!
//! - `meta.json`: the number of documents, the shards that exist, the fold table, and a
//!   stamp that changes with the index (so a browser never mixes two builds' files);
//! - `w/XX.json`: the words starting with `XX`, each with up to three posting lists:
//!   the documents holding it anywhere, in a prominent field, and in the title;
//! - `d/N.json`: document N's URL, title, date, summary and excerpt text (and the
//!   text's `lang` when it is not the index's).
//!
//! A query fetches `meta.json`, one shard per word and one document file per result
//! shown: never the whole site's text.

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;
use serde::Serialize;

use super::documents::{Document, EXCERPT_SOURCE, excerpt_source};
use super::encode::postings;
use super::normalise::{FOLDS, shard_of, visit_words};
use crate::render::OutputFile;

/// The format of the files; search.js refuses an index of another version.
pub const VERSION: u32 = 1;

/// Pages whose words are collected at once.
const CHUNK: usize = 512;

#[derive(Serialize)]
struct Meta<'a> {
    version: u32,
    docs: usize,
    stamp: String,
    shards: Vec<&'a str>,
    folds: BTreeMap<String, &'static str>,
}

#[derive(Serialize)]
struct DocFile<'a> {
    url: &'a str,
    title: &'a str,
    date: &'a str,
    date_display: &'a str,
    summary: &'a str,
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    lang: Option<&'a str>,
}

/// The words of one document: all of them, those in its prominent fields (title,
/// summary, tags, authors, the mobility's facts), and those of its title.
struct Words {
    all: HashSet<String>,
    prominent: HashSet<String>,
    title: HashSet<String>,
}

fn add_words(text: &str, to: &mut HashSet<String>) {
    visit_words(text, |w| {
        if !to.contains(w) {
            to.insert(w.to_string());
        }
    });
}

fn words_of(doc: &Document) -> Words {
    let mut title = HashSet::new();
    add_words(&doc.title, &mut title);
    let mut prominent = title.clone();
    add_words(&doc.summary, &mut prominent);
    add_words(&doc.keywords, &mut prominent);
    let mut all = prominent.clone();
    add_words(&doc.text, &mut all);
    Words {
        all,
        prominent,
        title,
    }
}

/// The index files of `docs` under `dir` (`search/lv/`), the same bytes for the same input.
pub fn write(dir: &str, docs: &[Document]) -> Vec<OutputFile> {
    let mut lists: HashMap<String, [Vec<u32>; 3]> = HashMap::new();
    let mut id = 0u32;
    // A chunk at a time, in parallel: every page's word sets at once would double the
    // build's memory on a large site.
    for chunk in docs.chunks(CHUNK) {
        let words: Vec<Words> = chunk.par_iter().map(words_of).collect();
        for w in words {
            for (field, set) in [w.all, w.prominent, w.title].into_iter().enumerate() {
                for word in set {
                    lists.entry(word).or_default()[field].push(id);
                }
            }
            id += 1;
        }
    }
    let count = u32::try_from(docs.len()).unwrap_or(u32::MAX);
    let mut shards: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    // Documents were visited in order, so every list is ascending, as `postings` needs.
    for (word, fields) in lists {
        // [all], [all, prominent] or [all, prominent, title]: empty tails are left off.
        let used = fields
            .iter()
            .rposition(|ids| !ids.is_empty())
            .map_or(0, |i| i + 1);
        let encoded = fields[..used]
            .iter()
            .map(|ids| postings(ids, count))
            .collect();
        shards
            .entry(shard_of(&word))
            .or_default()
            .insert(word, encoded);
    }

    let mut files: Vec<OutputFile> = shards
        .par_iter()
        .map(|(name, words)| OutputFile {
            path: format!("{dir}w/{name}.json"),
            bytes: json(words),
        })
        .collect();
    files.par_extend(docs.par_iter().enumerate().map(|(id, d)| OutputFile {
        path: format!("{dir}d/{id}.json"),
        bytes: json(&DocFile {
            url: &d.url,
            title: &d.title,
            date: &d.date,
            date_display: &d.date_display,
            summary: &d.summary,
            text: excerpt_source(&d.text, EXCERPT_SOURCE),
            lang: d.text_lang.as_deref(),
        }),
    }));
    let meta = Meta {
        version: VERSION,
        docs: docs.len(),
        stamp: stamp(&files),
        shards: shards.keys().map(String::as_str).collect(),
        folds: FOLDS.iter().map(|(c, to)| (c.to_string(), *to)).collect(),
    };
    files.push(OutputFile {
        path: format!("{dir}meta.json"),
        bytes: json(&meta),
    });
    files
}

fn json(value: &impl Serialize) -> Vec<u8> {
    // Maps of strings and numbers always serialise; an empty object is still valid JSON.
    serde_json::to_vec(value).unwrap_or_else(|_| b"{}".to_vec())
}

/// FNV-1a over every file's path and bytes, in path order: the same index, the same stamp.
fn stamp(files: &[OutputFile]) -> String {
    let mut sorted: Vec<&OutputFile> = files.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for f in sorted {
        for &b in f.path.as_bytes().iter().chain(&f.bytes) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests;
