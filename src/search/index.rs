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
//!
//! Pages are indexed a chunk at a time. Each page of a chunk, in parallel, becomes its
//! document file and its distinct words; then the words are merged into the index in
//! parallel, split by hash into parts that each visit the pages in order, so every
//! posting list is ascending. A page's text lives only while it is indexed.

use std::collections::BTreeMap;

use hashbrown::HashTable;
use hashbrown::hash_table::Entry;
use rayon::prelude::*;
use serde::{Serialize, Serializer};
use xxhash_rust::xxh3::{Xxh3Default, xxh3_64};

use super::documents::{Document, EXCERPT_SOURCE, excerpt_source};
use super::encode::Postings;
use super::text::body_text;
use crate::error::Diagnostic;
use crate::files::{OutputFile, Sink};
use crate::letters::FOLDS;
use crate::words::visit_words;

/// The format of the files; search.js refuses an index of another version.
pub const VERSION: u32 = 1;

/// Pages indexed at once: their words are held until they are merged.
const CHUNK: usize = 1024;

/// The index is merged in this many parts at once, each a share of the words.
const PARTS: usize = 64;

/// The part a word's hash falls in: bits the hash tables use neither for a slot (the
/// low ones) nor for a tag (the top seven), so the words of a part still spread evenly.
fn part_of(hash: u64) -> usize {
    (hash >> 32) as usize % PARTS
}

#[derive(Serialize)]
struct DocumentMeta<'a> {
    version: u32,
    docs: usize,
    stamp: String,
    shards: Vec<&'a str>,
    folds: BTreeMap<String, &'static str>,
}

/// The distinct words of one page, grouped by part.
struct PageWords {
    /// The words' letters, one word after the other.
    letters: String,
    words: Vec<PageWord>,
    /// Where each part's words start in `words`, and where the last part's end.
    parts: [usize; PARTS + 1],
}

#[derive(Clone, Copy, Default)]
struct PageWord {
    hash: u64,
    /// Where it is in `letters`.
    start: usize,
    end: usize,
    /// The lists it goes in: 1 (anywhere), 2 (also prominent: title, summary, tags,
    /// authors, the mobility's facts) or 3 (also the title).
    lists: u8,
}

impl PageWords {
    fn word(&self, w: &PageWord) -> &str {
        &self.letters[w.start..w.end]
    }

    /// The words in `part`.
    fn in_part(&self, part: usize) -> &[PageWord] {
        &self.words[self.parts[part]..self.parts[part + 1]]
    }
}

/// The distinct words of `doc`, whose body's plain text is `text`, each with the lists
/// it goes in.
fn page_words(doc: &Document, text: &str) -> PageWords {
    // A report has about one new word in 20 bytes of text; a huge page, fewer.
    let mut seen = Seen::with_capacity((text.len() / 20).min(1 << 16));
    let fields = [
        (doc.title.as_str(), 3),
        (&doc.summary, 2),
        (&doc.keywords, 2),
        (text, 1),
    ];
    for (field, lists) in fields {
        visit_words(field, |word| seen.add(word, lists));
    }
    // Grouped by part, in one counting pass.
    let mut parts = [0; PARTS + 1];
    for w in &seen.words {
        parts[part_of(w.hash) + 1] += 1;
    }
    for i in 1..=PARTS {
        parts[i] += parts[i - 1];
    }
    let mut next = parts;
    let mut words = vec![PageWord::default(); seen.words.len()];
    for w in seen.words {
        let slot = &mut next[part_of(w.hash)];
        words[*slot] = w;
        *slot += 1;
    }
    PageWords {
        letters: seen.letters,
        words,
        parts,
    }
}

/// The distinct words of a page as they are found: a table of places in `words`, at
/// least twice as many as the words, probed from the word's hash onwards. Every word of
/// every page passes through here; a general hash table cost twice as much a word.
struct Seen {
    /// 0 for an empty place, else a word's index in `words` plus one.
    places: Vec<usize>,
    words: Vec<PageWord>,
    letters: String,
}

impl Seen {
    fn with_capacity(words: usize) -> Seen {
        Seen {
            places: vec![0; (words * 2).next_power_of_two().max(64)],
            words: Vec::with_capacity(words),
            letters: String::with_capacity(words * 8),
        }
    }

    /// Note `word`, found in a field of `lists`.
    fn add(&mut self, word: &str, lists: u8) {
        let hash = word_hash(word.as_bytes());
        let mask = self.places.len() - 1;
        let mut place = hash as usize & mask;
        loop {
            match self.places[place] {
                0 => break,
                n => {
                    let w = &mut self.words[n - 1];
                    if w.hash == hash
                        && same(&self.letters.as_bytes()[w.start..w.end], word.as_bytes())
                    {
                        w.lists = w.lists.max(lists);
                        return;
                    }
                }
            }
            place = (place + 1) & mask;
        }
        let start = self.letters.len();
        self.letters.push_str(word);
        self.words.push(PageWord {
            hash,
            start,
            end: self.letters.len(),
            lists,
        });
        self.places[place] = self.words.len();
        if self.words.len() * 2 > self.places.len() {
            self.grow();
        }
    }

    /// Twice the places, the words placed again.
    fn grow(&mut self) {
        let mut places = vec![0; self.places.len() * 2];
        let mask = places.len() - 1;
        for (n, w) in self.words.iter().enumerate() {
            let mut place = w.hash as usize & mask;
            while places[place] != 0 {
                place = (place + 1) & mask;
            }
            places[place] = n + 1;
        }
        self.places = places;
    }
}

/// A word's hash. Most words are a few bytes: those are hashed from two overlapping
/// loads that hold all of their bytes, mixed by one multiplication; longer ones by xxh3.
fn word_hash(w: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let Some((a, b)) = ends(w) else {
        return xxh3_64(w);
    };
    let m = u128::from(a ^ K) * u128::from(b ^ (w.len() as u64).wrapping_mul(K).rotate_left(32));
    (m as u64) ^ ((m >> 64) as u64)
}

/// Whether two words are the same letters: a short one by the loads `word_hash` uses.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len()
        && match (ends(a), ends(b)) {
            (Some(x), Some(y)) => x == y,
            _ => a == b,
        }
}

/// The bytes of a word of up to 16 bytes as two numbers that together hold every byte
/// (for its length): its first and last 8, 4 or 1 bytes, overlapping in the middle.
fn ends(w: &[u8]) -> Option<(u64, u64)> {
    let n = w.len();
    let first = |k: usize| w.get(..k);
    let last = |k: usize| w.get(n.checked_sub(k)?..);
    match n {
        9..=16 => Some((
            u64::from_le_bytes(first(8)?.try_into().ok()?),
            u64::from_le_bytes(last(8)?.try_into().ok()?),
        )),
        4..=8 => Some((
            u64::from(u32::from_le_bytes(first(4)?.try_into().ok()?)),
            u64::from(u32::from_le_bytes(last(4)?.try_into().ok()?)),
        )),
        1..=3 => Some((
            u64::from(w[0]) | u64::from(w[n / 2]) << 8,
            u64::from(w[n - 1]),
        )),
        _ => None,
    }
}

/// One word of the index: the pages it is in, anywhere, in a prominent field, in the title.
struct Word {
    hash: u64,
    word: Box<str>,
    lists: [Postings; 3],
}

/// Add the words in `part` of `pages`, numbered from `first`, to that part of the index.
fn merge(index: &mut HashTable<Word>, part: usize, pages: &[PageWords], first: u32) {
    for (page, id) in pages.iter().zip(first..) {
        for w in page.in_part(part) {
            let word = page.word(w);
            let entry = match index.entry(w.hash, |x| *x.word == *word, |x| x.hash) {
                Entry::Occupied(e) => e.into_mut(),
                Entry::Vacant(e) => e
                    .insert(Word {
                        hash: w.hash,
                        word: word.into(),
                        lists: Default::default(),
                    })
                    .into_mut(),
            };
            for list in &mut entry.lists[..usize::from(w.lists)] {
                list.push(id);
            }
        }
    }
}

/// A page's document file and its words.
fn index_page(dir: &str, id: u32, doc: &Document) -> (OutputFile, PageWords) {
    let text = match doc.handed {
        // Taken for as long as its text is made: the page may be done with it already.
        Some((bodies, page)) => {
            let body = bodies.take(page);
            body_text(&body.html, &body.runs)
        }
        None => body_text(doc.html, doc.runs),
    };
    let file = OutputFile {
        path: format!("{dir}d/{id}.json"),
        bytes: doc_file(doc, excerpt_source(&text, EXCERPT_SOURCE)),
        checked: 0,
    };
    (file, page_words(doc, &text))
}

/// A document's file: `{"url":…,"title":…,"date":…,"date_display":…,"summary":…,
/// "text":…}`, and `"lang"` when the text's language is not the index's.
fn doc_file(doc: &Document, text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 512);
    let fields = [
        ("url", doc.url.as_str()),
        ("title", &doc.title),
        ("date", &doc.date),
        ("date_display", &doc.date_display),
        ("summary", &doc.summary),
        ("text", text),
    ];
    let lang = doc.text_lang.as_deref().map(|lang| ("lang", lang));
    out.push(b'{');
    for (i, (key, value)) in fields.into_iter().chain(lang).enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_json_str(&mut out, key);
        out.push(b':');
        push_json_str(&mut out, value);
    }
    out.push(b'}');
    out
}

/// `s` as a JSON string, byte for byte as serde_json writes it. A page's text rarely
/// needs an escape (its whitespace is spaces by now): then it is copied whole.
fn push_json_str(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    // Without an early exit, so the compiler checks many bytes at once.
    let control = bytes.iter().fold(false, |seen, &b| seen | (b < 0x20));
    if control || memchr::memchr2(b'"', b'\\', bytes).is_some() {
        // Writing into memory cannot fail.
        let _ = serde_json::to_writer(&mut *out, s);
    } else {
        out.push(b'"');
        out.extend_from_slice(bytes);
        out.push(b'"');
    }
}

/// A word as a shard holds it, with its encoded lists.
struct ShardWord {
    shard: String,
    word: Box<str>,
    lists: Vec<String>,
}

/// The words of one shard, written as a JSON object in order.
struct Shard<'a>(&'a [ShardWord]);

impl Serialize for Shard<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|w| (&w.word, &w.lists)))
    }
}

/// Hand the index files of `docs` under `dir` to `sink`, each document's file as soon
/// as it is made (a big site's texts are never all in memory at once).
pub fn write_to(dir: &str, docs: &[Document], sink: &Sink) -> Result<(), Diagnostic> {
    let mut index: Vec<HashTable<Word>> = (0..PARTS).map(|_| HashTable::new()).collect();
    // Each file's path and hash, for the stamp.
    let mut hashes: Vec<(String, u64)> = Vec::with_capacity(docs.len() + 1024);
    for (chunk, first) in docs.chunks(CHUNK).zip((0u32..).step_by(CHUNK)) {
        let done: Vec<((String, u64), PageWords)> = chunk
            .par_iter()
            .zip(first..u32::MAX)
            .map(|(doc, id)| {
                let (file, words) = index_page(dir, id, doc);
                let hash = (file.path.clone(), xxh3_64(&file.bytes));
                sink(file)?;
                Ok((hash, words))
            })
            .collect::<Result<_, Diagnostic>>()?;
        let (chunk_hashes, words): (Vec<(String, u64)>, Vec<PageWords>) = done.into_iter().unzip();
        hashes.extend(chunk_hashes);
        index
            .par_iter_mut()
            .enumerate()
            .for_each(|(part, index)| merge(index, part, &words, first));
    }

    let count = u32::try_from(docs.len()).unwrap_or(u32::MAX);
    let mut words: Vec<ShardWord> = index
        .into_par_iter()
        .flat_map_iter(HashTable::into_iter)
        .map(|w| {
            // [all], [all, prominent] or [all, prominent, title]: empty tails are left off.
            let used = w
                .lists
                .iter()
                .rposition(|ids| !ids.is_empty())
                .map_or(0, |i| i + 1);
            ShardWord {
                shard: shard_of(&w.word),
                lists: w.lists[..used].iter().map(|l| l.encode(count)).collect(),
                word: w.word,
            }
        })
        .collect();
    words.par_sort_unstable_by(|a, b| (&a.shard, &a.word).cmp(&(&b.shard, &b.word)));
    let shards: Vec<&[ShardWord]> = words.chunk_by(|a, b| a.shard == b.shard).collect();

    let shard_hashes: Vec<(String, u64)> = shards
        .par_iter()
        .map(|words| {
            let file = OutputFile {
                path: format!("{dir}w/{}.json", words[0].shard),
                bytes: json(&Shard(words)),
                checked: 0,
            };
            let hash = (file.path.clone(), xxh3_64(&file.bytes));
            sink(file)?;
            Ok(hash)
        })
        .collect::<Result<_, Diagnostic>>()?;
    hashes.extend(shard_hashes);
    let meta = DocumentMeta {
        version: VERSION,
        docs: docs.len(),
        stamp: stamp(hashes),
        shards: shards.iter().map(|words| words[0].shard.as_str()).collect(),
        folds: FOLDS.iter().map(|(c, to)| (c.to_string(), *to)).collect(),
    };
    sink(OutputFile {
        path: format!("{dir}meta.json"),
        bytes: json(&meta),
        checked: 0,
    })
}

/// `value` as JSON.
fn json(value: &impl Serialize) -> Vec<u8> {
    let mut bytes = Vec::new();
    // Maps of strings and numbers always serialise; an empty object is still valid JSON.
    match serde_json::to_writer(&mut bytes, value) {
        Ok(()) => bytes,
        Err(_) => b"{}".to_vec(),
    }
}

/// A hash of every file's path and the hash of its bytes, in path order: the same index,
/// the same stamp.
fn stamp(mut hashes: Vec<(String, u64)>) -> String {
    hashes.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut all = Xxh3Default::new();
    for (path, hash) in hashes {
        // A path holds no NUL, so path, NUL and a hash of eight bytes read back one way.
        all.update(path.as_bytes());
        all.update(&[0]);
        all.update(&hash.to_le_bytes());
    }
    format!("{:016x}", all.digest())
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
mod tests;
