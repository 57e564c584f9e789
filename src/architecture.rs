//! ARCHITECTURE.md stays true: every file, module and item it names exists.
//!
//! A map that names a file or a function that is gone sends the next reader looking for
//! it; this test fails instead. It reads the names in backticks (`output::Writer`,
//! `check/external.rs`), every `src/...` path, and the modules of the code map's first
//! column, and finds each in the source tree.

use std::path::{Path, PathBuf};

/// One Rust file of `src/`: its module path (`output::writer`) and its text.
struct RustFile {
    module: Vec<String>,
    text: String,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sources() -> Vec<RustFile> {
    let mut out = Vec::new();
    let mut stack = vec![root().join("src")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let Ok(rel) = path.strip_prefix(root().join("src")) else {
                continue;
            };
            let mut module: Vec<String> = rel
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if module.last().is_some_and(|m| m == "mod" || m == "lib") {
                module.pop();
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            out.push(RustFile { module, text });
        }
    }
    out
}

/// Every name written in single backticks that has no space in it.
fn backticked(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut rest = line;
        while let Some(start) = rest.find('`') {
            let after = &rest[start..];
            let ticks = after.len() - after.trim_start_matches('`').len();
            let inner = &after[ticks..];
            let Some(end) = inner.find(&"`".repeat(ticks)) else {
                break;
            };
            let token = &inner[..end];
            if ticks == 1 && !token.is_empty() && !token.contains(char::is_whitespace) {
                out.push(token.to_string());
            }
            rest = &inner[end + ticks..];
        }
    }
    out
}

/// Every `src/...` path, in backticks or not.
fn src_paths(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices("src/") {
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '/' || c == '_') {
            continue;
        }
        let path: String = text[at..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '/' | '_' | '.' | '-'))
            .collect();
        out.push(path.trim_end_matches(['.', ',']).to_string());
    }
    out
}

/// Whether `token` is a path of a file in the repository, not of a site or an output
/// (`public/`, `search/LANG/`): it has a folder and an extension, and no placeholder.
fn is_repo_file(token: &str) -> bool {
    let placeholder = |part: &str| {
        let stem = part.split('.').next().unwrap_or_default();
        !stem.is_empty() && stem.chars().all(|c| c.is_ascii_uppercase())
    };
    token.contains('/')
        && !token.ends_with('/')
        && !token.starts_with('/')
        && !token.contains('*')
        && !token.starts_with('~')
        && Path::new(token).extension().is_some()
        && !token.split('/').any(placeholder)
}

fn file_exists(token: &str) -> bool {
    ["", "src", "themes/default"]
        .iter()
        .any(|base| root().join(base).join(token).is_file())
}

/// The crates lapa uses, whose paths (`core::fmt`) are not lapa's.
fn crates() -> Vec<String> {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap_or_default();
    let mut out: Vec<String> = ["std", "core", "alloc", "crate"].map(String::from).to_vec();
    let mut in_deps = false;
    for line in manifest.lines() {
        if line.starts_with('[') {
            in_deps = line.contains("dependencies]");
        } else if in_deps && let Some((name, _)) = line.split_once('=') {
            out.push(name.trim().replace('-', "_"));
        }
    }
    out
}

/// Whether `name` is defined (or re-exported) in `text`: an item, a method, a field.
fn defines(text: &str, name: &str) -> bool {
    let defined = [
        "fn ", "struct ", "enum ", "type ", "trait ", "const ", "static ", "mod ",
    ]
    .iter()
    .any(|kw| {
        text.match_indices(&format!("{kw}{name}"))
            .any(|(at, m)| ends_word(text, at + m.len()) && starts_word(text, at))
    });
    let field_or_use = text.lines().any(|line| {
        let raw = line.trim_start();
        let line = raw.strip_prefix("pub ").unwrap_or(raw);
        line.starts_with(&format!("{name}:"))
            || line.starts_with(&format!("{name}("))
            || line.starts_with(&format!("{name},"))
            || raw.starts_with("pub use ")
                && raw
                    .match_indices(name)
                    .any(|(at, _)| starts_word(line, at) && ends_word(line, at + name.len()))
    });
    defined || field_or_use
}

fn starts_word(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
}

fn ends_word(text: &str, at: usize) -> bool {
    text[at..]
        .chars()
        .next()
        .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
}

/// Whether the Rust path `path` (`output::Writer`, `build::Memo::off`) names something
/// in lapa's source.
fn resolves(path: &str, sources: &[RustFile]) -> bool {
    let segments: Vec<&str> = path.trim_end_matches("()").split("::").collect();
    let first = segments[0];
    // The files the next name may be found in.
    let mut scope: Vec<&RustFile> = if first.starts_with(char::is_uppercase) {
        sources.iter().filter(|s| defines(&s.text, first)).collect()
    } else {
        let modules: Vec<&RustFile> = sources
            .iter()
            .filter(|s| s.module.last().is_some_and(|m| m == first))
            .collect();
        // A module's items may live in its submodules and be re-exported.
        sources
            .iter()
            .filter(|s| {
                modules
                    .iter()
                    .any(|m| s.module.starts_with(&m.module) && !m.module.is_empty())
            })
            .collect()
    };
    let mut module: Option<Vec<String>> = (!first.starts_with(char::is_uppercase))
        .then(|| scope.iter().map(|s| s.module.clone()).min_by_key(Vec::len))
        .flatten();
    for name in &segments[1..] {
        if scope.is_empty() {
            return false;
        }
        // A submodule first, then an item of the files in scope.
        if let Some(parent) = &module {
            let mut child = parent.clone();
            child.push((*name).to_string());
            let inner: Vec<&RustFile> = sources
                .iter()
                .filter(|s| s.module.starts_with(&child))
                .collect();
            if !inner.is_empty() {
                scope = inner;
                module = Some(child);
                continue;
            }
        }
        scope.retain(|s| defines(&s.text, name));
        module = None;
    }
    !scope.is_empty()
}

/// The backticked names in the first column of the code map's table.
fn code_map_modules(text: &str) -> Vec<String> {
    let Some(start) = text.find("## Code map") else {
        return Vec::new();
    };
    let map = &text[start..];
    let map = &map[..map[3..].find("\n## ").map_or(map.len(), |e| e + 3)];
    map.lines()
        .filter(|l| l.starts_with("| `"))
        .filter_map(|l| l.split('|').nth(1))
        .flat_map(backticked)
        .collect()
}

#[test]
fn architecture_names_only_what_exists() {
    let text = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap_or_default();
    assert!(
        text.contains("## Code map"),
        "ARCHITECTURE.md has no code map"
    );
    let sources = sources();
    let crates = crates();
    let mut missing = Vec::new();
    for path in src_paths(&text) {
        if !root().join(&path).exists() {
            missing.push(format!("the file {path}"));
        }
    }
    let tokens = backticked(&text);
    for token in &tokens {
        if is_repo_file(token) && !file_exists(token) {
            missing.push(format!("the file {token}"));
        }
        let rust_path = token.trim_end_matches("()");
        let is_path = rust_path.contains("::")
            && rust_path
                .split("::")
                .all(|s| !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() || c == '_'));
        let external = crates
            .iter()
            .any(|c| rust_path.starts_with(&format!("{c}::")));
        if is_path && !external && !resolves(rust_path, &sources) {
            missing.push(format!("the Rust path {token}"));
        }
    }
    for name in code_map_modules(&text) {
        let module: Vec<&str> = name.split("::").collect();
        if !sources.iter().any(|s| s.module == module) {
            missing.push(format!("the module {name}"));
        }
    }
    assert!(
        tokens.len() > 50 && code_map_modules(&text).len() > 10,
        "ARCHITECTURE.md was not read as expected"
    );
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names what does not exist:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_check_finds_what_is_gone() {
    let sources = sources();
    assert!(resolves("output::Writer", &sources));
    assert!(resolves("output::update", &sources));
    assert!(resolves("build::Memo::off()", &sources));
    assert!(resolves("Site::external_links", &sources));
    assert!(!resolves("output::write", &sources));
    assert!(!resolves("output::Writer::no_such_method", &sources));
    assert!(!resolves("nothing::here", &sources));
    assert_eq!(
        src_paths("see src/serve/server.rs, and `src/lib.rs`."),
        ["src/serve/server.rs", "src/lib.rs"]
    );
    assert!(is_repo_file("check/external.rs"));
    assert!(!is_repo_file("search/LANG/"));
    assert!(!is_repo_file("d/N.json"));
    assert!(file_exists("check/external.rs"));
    assert!(!file_exists("check/internal.rs"));
    assert_eq!(
        backticked("a `x::y` and ```` ```gallery ```` `b/c.rs`"),
        ["x::y", "b/c.rs"]
    );
}

/// Which top-level modules each top-level module names (`crate::site::…`), from the
/// source of `src/`, leaving out test code (`#[cfg(test)]` to the end of a file).
fn imports(sources: &[RustFile]) -> std::collections::BTreeMap<String, Vec<String>> {
    let tops: std::collections::BTreeSet<&str> = sources
        .iter()
        .filter_map(|s| s.module.first().map(String::as_str))
        .collect();
    let mut graph: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for source in sources {
        let Some(top) = source.module.first() else {
            continue;
        };
        let code = source.text.split("#[cfg(test)]").next().unwrap_or_default();
        // Comments name modules without importing them.
        let code: String = code
            .lines()
            .map(|l| l.split_once("//").map_or(l, |(code, _)| code))
            .collect::<Vec<_>>()
            .join("\n");
        let uses = graph.entry(top.clone()).or_default();
        for (at, _) in code.match_indices("crate::") {
            let name: String = code[at + "crate::".len()..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                .collect();
            if name != *top && tops.contains(name.as_str()) && !uses.contains(&name) {
                uses.push(name);
            }
        }
    }
    graph
}

/// Every pair of top-level modules that import each other, each pair once, in name order.
fn import_cycles(graph: &std::collections::BTreeMap<String, Vec<String>>) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for (a, uses) in graph {
        for b in uses {
            if a < b && graph.get(b).is_some_and(|back| back.contains(a)) {
                pairs.push((a.clone(), b.clone()));
            }
        }
    }
    pairs.sort();
    pairs
}

/// `cargo test --lib architecture`: no top-level module imports a module that imports it
/// back (data flows one way through the pipeline).
#[test]
fn no_module_imports_a_module_that_imports_it_back() {
    let found = import_cycles(&imports(&sources()));
    assert!(
        found.is_empty(),
        "these modules import each other: {found:?}; move what both need to the module that owns it, or to a module of its own (as `files` holds what every stage hands on)"
    );
}

#[test]
fn the_cycle_check_finds_a_cycle() {
    let source = |module: &str, text: &str| RustFile {
        module: vec![module.to_string()],
        text: text.to_string(),
    };
    let sources = [
        // A comment imports nothing: `render` does not import `build`.
        source(
            "render",
            "use crate::search::index_files_to; // run by crate::build\n//! see crate::build",
        ),
        source(
            "search",
            "use crate::render::{OutputFile, Sink};\n#[cfg(test)]\nuse crate::build;",
        ),
        source("build", "use crate::render; use crate::search;"),
    ];
    assert_eq!(
        import_cycles(&imports(&sources)),
        vec![("render".to_string(), "search".to_string())]
    );
}
