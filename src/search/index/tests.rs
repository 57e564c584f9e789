use super::*;

/// The index files of `docs` under `dir` (`search/lv/`), the same bytes for the same
/// input, in path order.
fn write(dir: &str, docs: &[Document]) -> Vec<OutputFile> {
    let (mut files, ()) = crate::files::collected(|sink| write_to(dir, docs, sink))
        .expect("a sink that keeps every file fails none");
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

fn doc(title: &str, html: &'static str) -> Document<'static> {
    Document {
        url: format!("/{}/", crate::slug::slugify(title)),
        title: title.to_string(),
        date: "2024-03-28".into(),
        date_display: "2024. gada 28. marts".into(),
        summary: String::new(),
        html,
        runs: &[],
        handed: None,
        keywords: String::new(),
        text_lang: None,
    }
}

fn file(files: &[OutputFile], path: &str) -> serde_json::Value {
    let f = files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} is missing"));
    serde_json::from_slice(&f.bytes).expect("valid JSON")
}

fn site() -> Vec<Document<'static>> {
    let mut second = doc("Pieredzes diena", "Skolotājs stāstīja par mentoringu.");
    second.keywords = "Rīga".into();
    vec![
        doc("Mentorings Budapeštā", "Skolotāji mācījās Budapeštā."),
        second,
    ]
}

#[test]
fn words_go_to_the_shard_of_their_first_two_letters() {
    let files = write("search/lv/", &site());
    let sk = file(&files, "search/lv/w/sk.json");
    assert!(sk.get("skolotaji").is_some(), "{sk}");
    assert!(sk.get("skolotajs").is_some(), "{sk}");
    let bu = file(&files, "search/lv/w/bu.json");
    // In document 0 only: anywhere, in a prominent field, in the title.
    assert_eq!(bu["budapesta"], serde_json::json!(["AA==", "AA==", "AA=="]));
    let me = file(&files, "search/lv/w/me.json");
    // "mentoringu" is in document 1's text, not in a title.
    assert_eq!(me["mentoringu"], serde_json::json!(["AQ=="]));
    // "Rīga" is a keyword of document 1: prominent, not in its title.
    let ri = file(&files, "search/lv/w/ri.json");
    assert_eq!(ri["riga"], serde_json::json!(["AQ==", "AQ=="]));
    // A file name for any script.
    assert_eq!(shard_of("школа"), "_448_43a");
    assert_eq!(shard_of("skola"), "sk");
    assert_eq!(shard_of("2024"), "20");
}

#[test]
fn meta_lists_the_shards_and_the_folds() {
    let files = write("search/lv/", &site());
    let meta = file(&files, "search/lv/meta.json");
    assert_eq!(meta["version"], VERSION);
    assert_eq!(meta["docs"], 2);
    let shards: Vec<&str> = meta["shards"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|s| s.as_str())
        .collect();
    assert!(
        shards.contains(&"sk") && shards.contains(&"bu"),
        "{shards:?}"
    );
    assert!(shards.windows(2).all(|w| w[0] < w[1]), "sorted");
    assert_eq!(meta["folds"]["š"], "s");
    for shard in shards {
        file(&files, &format!("search/lv/w/{shard}.json"));
    }
}

#[test]
fn each_document_has_its_own_small_file() {
    let files = write("search/lv/", &site());
    let d = file(&files, "search/lv/d/1.json");
    assert_eq!(d["title"], "Pieredzes diena");
    assert_eq!(d["url"], "/pieredzes-diena/");
    assert_eq!(d["date_display"], "2024. gada 28. marts");
    assert_eq!(d["text"], "Skolotājs stāstīja par mentoringu.");
}

#[test]
fn the_same_site_gives_the_same_bytes() {
    let a = write("search/lv/", &site());
    let b = write("search/lv/", &site());
    let mut a: Vec<_> = a.into_iter().map(|f| (f.path, f.bytes)).collect();
    let mut b: Vec<_> = b.into_iter().map(|f| (f.path, f.bytes)).collect();
    a.sort();
    b.sort();
    assert_eq!(a, b);
    let mut other = site();
    other[1].html = "Skolotājs stāstīja par mentoringu. Vēl.";
    let c = write("search/lv/", &other);
    assert_ne!(
        file(&c, "search/lv/meta.json")["stamp"],
        file(&write("search/lv/", &site()), "search/lv/meta.json")["stamp"]
    );
    // The same bytes under other names are another index.
    assert_ne!(
        file(&write("search/en/", &site()), "search/en/meta.json")["stamp"],
        file(&write("search/lv/", &site()), "search/lv/meta.json")["stamp"]
    );
}

#[test]
fn an_empty_language_has_an_empty_index() {
    let files = write("search/en/", &[]);
    assert_eq!(files.len(), 1);
    let meta = file(&files, "search/en/meta.json");
    assert_eq!(meta["docs"], 0);
}

#[test]
fn strings_are_written_as_serde_json_writes_them() {
    for s in [
        "",
        "Skolotāji mācās",
        "a \"quoted\" word",
        "back\\slash",
        "line\nbreak\ttab\u{1}",
        "„pēdiņas“ – un €",
    ] {
        let mut out = Vec::new();
        super::push_json_str(&mut out, s);
        assert_eq!(out, serde_json::to_vec(s).expect("a string"), "{s:?}");
    }
}

#[test]
fn short_words_compare_and_hash_by_all_their_bytes() {
    let words = [
        "a",
        "ab",
        "ba",
        "abc",
        "acb",
        "skola",
        "skolas",
        "skolotaji",
        "skolotajs",
        "mentorings",
        "mentoringa",
        "abcdefghijklmnop",
        "abcdefghijklmnoq",
        "bcdefghijklmnopa",
        "abcdefghijklmnopq",
        "abcdefghijklmnopr",
    ];
    for a in words {
        for b in words {
            assert_eq!(super::same(a.as_bytes(), b.as_bytes()), a == b, "{a} {b}");
            if a != b {
                assert_ne!(
                    super::word_hash(a.as_bytes()),
                    super::word_hash(b.as_bytes())
                );
            }
        }
    }
}
