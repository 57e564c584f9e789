//! `lapa::output::resolve`, the function the output guard judges a path by, on random
//! relative and absolute paths (`..`, `.`, missing folders) in a random tree of folders,
//! files and symbolic links (loops and dangling ones too), checked against
//!
//! - a model that resolves the path on its own, in memory, by making the missing folders
//!   the way `mkdir -p` does, and
//! - the kernel: making the path's missing folders one by one (`mkdir -p`) succeeds when
//!   `resolve` says it leads to a folder (there or to be made), and `canonicalize` then
//!   names that folder.
//!
//! Paths that climb out of the temporary tree are resolved but not compared (the world
//! outside it is not the model's), and the kernel is asked only about paths the model
//! keeps inside the tree.
#![no_main]

use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};

use lapa::output::resolve::{Node, resolve, look_on_disk};
use libfuzzer_sys::fuzz_target;

/// Where entries may be made, relative to the tree's root; `w` is the current folder.
const PLACES: [&str; 8] = ["w/a", "w/b", "w/a/c", "x", "x/a", "w/c", "a", "w/b/b"];
/// What a link may say; `@/` stands for the tree's root (an absolute target).
const TARGETS: [&str; 12] = [
    "..", "a", "b", "c", "../x", "a/..", "@/x", "@/w/a", "missing", "../w", ".", "c/../..",
];
const PARTS: [&str; 8] = ["a", "b", "c", "x", "..", ".", "w", "new"];

#[derive(Clone, Debug)]
enum Entry {
    Dir,
    File,
    Link(&'static str),
}

/// The tree in memory: a path from the root (parts) → what is there. The root and `w`
/// are folders.
type Tree = BTreeMap<Vec<String>, Entry>;

fn split(path: &str) -> Vec<String> {
    path.split('/')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// Resolve `path` from `cwd` in the model the way `mkdir -p PATH` then `realpath PATH`
/// would: each missing part of the path as written is made; a part reached through a
/// link's target must exist. None: it fails (a file in the way, a dangling link, a
/// loop); Some(None): it leaves the tree.
fn model(tree: &mut Tree, cwd: &[String], path: &str) -> Option<Option<Vec<String>>> {
    let (mut at, rest) = match path.strip_prefix("@/") {
        Some(rest) => (Vec::new(), rest),
        None => (cwd.to_vec(), path),
    };
    // Each part, and whether it came from a link's target.
    let mut queue: VecDeque<(String, bool)> = rest
        .split('/')
        .map(|p| (p.to_string(), false))
        .collect();
    let mut hops = 0;
    // The kind of what `at` names: only a folder may be walked on from.
    let mut is_dir = true;
    while let Some((part, linked)) = queue.pop_front() {
        if part.is_empty() || part == "." {
            continue;
        }
        if !is_dir {
            return None;
        }
        if part == ".." {
            if at.pop().is_none() {
                return Some(None);
            }
            continue;
        }
        at.push(part);
        match tree.get(&at).cloned() {
            None if linked => return None,
            None => {
                tree.insert(at.clone(), Entry::Dir);
            }
            Some(Entry::Dir) => {}
            Some(Entry::File) => is_dir = false,
            Some(Entry::Link(target)) => {
                hops += 1;
                if hops > 40 {
                    return None;
                }
                at.pop();
                let (start, text) = match target.strip_prefix("@/") {
                    Some(t) => (Vec::new(), t),
                    None => (at.clone(), target),
                };
                at = start;
                for p in text.split('/').rev() {
                    queue.push_front((p.to_string(), true));
                }
            }
        }
    }
    // `mkdir -p` fails on a file at the end too.
    is_dir.then_some(Some(at))
}

fn build(root: &Path, bytes: &[u8]) -> Option<(Tree, usize)> {
    let mut tree = Tree::new();
    tree.insert(vec!["w".to_string()], Entry::Dir);
    std::fs::create_dir(root.join("w")).ok()?;
    let count = usize::from(*bytes.first()? % 8);
    let mut used = 1;
    for pair in bytes.get(1..)?.chunks(2).take(count) {
        used += pair.len();
        let [place, kind] = pair else { break };
        let place = PLACES[usize::from(*place) % PLACES.len()];
        let parts = split(place);
        // Only inside folders that are there.
        let parent_ok = (1..parts.len()).all(|n| matches!(tree.get(&parts[..n]), Some(Entry::Dir)));
        if !parent_ok || tree.contains_key(&parts) {
            continue;
        }
        let on_disk = root.join(place);
        let entry = match kind % 3 {
            0 => {
                std::fs::create_dir_all(&on_disk).ok()?;
                Entry::Dir
            }
            1 => {
                std::fs::write(&on_disk, "x").ok()?;
                Entry::File
            }
            _ => {
                let target = TARGETS[usize::from(kind / 3) % TARGETS.len()];
                let real = match target.strip_prefix("@/") {
                    Some(t) => root.join(t),
                    None => PathBuf::from(target),
                };
                std::os::unix::fs::symlink(real, &on_disk).ok()?;
                Entry::Link(target)
            }
        };
        // A parent made by create_dir_all above is a folder in the model too.
        for n in 1..parts.len() {
            tree.entry(parts[..n].to_vec()).or_insert(Entry::Dir);
        }
        tree.insert(parts, entry);
    }
    Some((tree, used))
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else { return };
    let Ok(root) = std::fs::canonicalize(dir.path()) else { return };
    let Some((mut tree, used)) = build(&root, bytes) else { return };
    let rest = &bytes[used.min(bytes.len())..];
    let absolute = rest.first().is_some_and(|b| b & 0x80 != 0);
    let parts: Vec<&str> = rest
        .iter()
        .take(12)
        .map(|b| PARTS[usize::from(b & 0x7f) % PARTS.len()])
        .collect();
    let written = parts.join("/");
    let (path, model_path) = if absolute {
        (root.join(&written), format!("@/{written}"))
    } else {
        (PathBuf::from(&written), written.clone())
    };
    let cwd = root.join("w");
    let resolved = resolve(&cwd, &path, &mut |p: &Path| look_on_disk(p));
    let expected = model(&mut tree, &["w".to_string()], &model_path);
    let Some(expected) = expected else {
        // The model says it fails: so must resolve (a file where a folder must be, or
        // a link that leads nowhere).
        assert!(
            !matches!(&resolved, Ok(r) if r.is != Node::Other),
            "{written:?}: the model fails, resolve gives {resolved:?}"
        );
        return;
    };
    let Some(expected) = expected else { return };
    let expected = expected.iter().fold(root.clone(), |p, part| p.join(part));
    match &resolved {
        Ok(r) if r.is != Node::Other => assert_eq!(r.path, expected, "{written:?}"),
        other => panic!("{written:?}: the model reaches {expected:?}, resolve gives {other:?}"),
    }
    // The kernel, on the real tree: make each missing folder of the path as written, in
    // order (what `mkdir -p` does), then ask where the path leads.
    let start = if absolute { root.clone() } else { cwd.clone() };
    let real = mkdir_p(&start, &parts).expect("the kernel makes what resolve promised");
    let canonical = std::fs::canonicalize(&real).expect("the folder is there");
    assert_eq!(canonical, expected, "{written:?}: the kernel disagrees");
});

/// `mkdir -p`: make each part of `parts` under `start` that is missing; the path, if it
/// then leads to a folder.
fn mkdir_p(start: &Path, parts: &[&str]) -> Option<PathBuf> {
    let mut at = start.as_os_str().to_os_string();
    for part in parts {
        at.push("/");
        at.push(part);
        if *part == "." || *part == ".." {
            continue;
        }
        match std::fs::create_dir(&at) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(_) => return None,
        }
    }
    let at = PathBuf::from(at);
    at.is_dir().then_some(at)
}
