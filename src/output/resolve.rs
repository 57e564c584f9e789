//! Where an output path leads, decided the way the kernel will walk it once lapa has made
//! the folders that are missing: the guards judge that folder, never the path as written
//! (`nope/../content` is `content/`, whatever `nope` is).
//!
//! [`resolve`] is pure: it asks `look` what is at each place and touches nothing itself,
//! so the fuzz target `output_guard` can check it against a model and against the kernel.

use std::collections::{HashSet, VecDeque};
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

/// What is at a place on disk, as far as resolving a path needs to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// Nothing: a folder lapa would make.
    Missing,
    Dir,
    /// A file, a device, a FIFO, a socket: anything that cannot hold files.
    Other,
    /// A symbolic link, and what it says.
    Link(PathBuf),
}

/// Where a path leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// Absolute, with no `.`, `..` or symbolic link in it.
    pub path: PathBuf,
    /// What is there now.
    pub is: Node,
}

/// Why a path leads nowhere lapa could write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreachable {
    /// A part of it is a file (or device …) that the rest would go inside.
    NotAFolder(PathBuf),
    /// A link whose target does not exist: the kernel will not make a folder through it.
    Dangling(PathBuf),
    /// More than [`MAX_LINKS`] links followed (a loop).
    Loop(PathBuf),
}

/// As many links as Linux follows in one path before it gives up (`ELOOP`).
pub const MAX_LINKS: usize = 40;

/// Resolve `path` (relative paths start at `cwd`, which must be absolute and resolved)
/// the way the kernel will once the missing folders are made: `.` is dropped, a symbolic
/// link is replaced by its target, `..` leads to the parent of the folder reached so far
/// (of a link's target, not of the link), and a missing part is a folder to be made, whose
/// `..` is the folder it is made in. `look` is asked what is at an absolute path with no
/// `.`, `..` or link in it; the last part's [`Node`] is returned (a link there is
/// followed, so it is never [`Node::Link`]).
pub fn resolve(
    cwd: &Path,
    path: &Path,
    look: &mut dyn FnMut(&Path) -> Node,
) -> Result<Resolved, Unreachable> {
    let mut walk = Walk {
        look,
        links: 0,
        made: HashSet::new(),
    };
    let start = if path.has_root() {
        PathBuf::from("/")
    } else {
        cwd.to_path_buf()
    };
    let (path, is) = walk.parts(start, parts(path), true)?;
    Ok(Resolved { path, is })
}

/// A path's parts, in order, with `..` kept as `..` (`.` is left out).
fn parts(path: &Path) -> VecDeque<OsString> {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(n) => Some(n.to_os_string()),
            Component::ParentDir => Some(OsString::from("..")),
            Component::CurDir | Component::RootDir | Component::Prefix(_) => None,
        })
        .collect()
}

struct Walk<'l> {
    look: &'l mut dyn FnMut(&Path) -> Node,
    links: usize,
    /// The folders walking this path makes (they are not on disk yet).
    made: HashSet<PathBuf>,
}

impl Walk<'_> {
    /// Walk `parts` from `at` (resolved, existing). `may_make`: missing parts become
    /// folders to make (false inside a link's target, which must exist).
    fn parts(
        &mut self,
        mut at: PathBuf,
        mut parts: VecDeque<OsString>,
        may_make: bool,
    ) -> Result<(PathBuf, Node), Unreachable> {
        // How many of `at`'s last parts do not exist yet.
        let mut to_make = 0usize;
        let mut is = Node::Dir;
        while let Some(part) = parts.pop_front() {
            if part == ".." {
                if !matches!(is, Node::Dir | Node::Missing) {
                    return Err(Unreachable::NotAFolder(at));
                }
                at.pop();
                to_make = to_make.saturating_sub(1);
                is = if to_make > 0 {
                    Node::Missing
                } else {
                    Node::Dir
                };
                continue;
            }
            if !matches!(is, Node::Dir | Node::Missing) {
                return Err(Unreachable::NotAFolder(at));
            }
            at.push(&part);
            // A folder this path makes is there for the rest of it (a link may lead into it).
            if self.made.contains(&at) {
                to_make += 1;
                is = Node::Missing;
                continue;
            }
            if to_make > 0 {
                if !may_make {
                    return Err(Unreachable::Dangling(at));
                }
                to_make += 1;
                self.made.insert(at.clone());
                continue;
            }
            is = (self.look)(&at);
            match is.clone() {
                Node::Missing if may_make => {
                    to_make = 1;
                    self.made.insert(at.clone());
                }
                Node::Missing => return Err(Unreachable::Dangling(at)),
                Node::Dir | Node::Other => {}
                Node::Link(target) => {
                    self.links += 1;
                    if self.links > MAX_LINKS {
                        return Err(Unreachable::Loop(at));
                    }
                    at.pop();
                    let from = if target.has_root() {
                        PathBuf::from("/")
                    } else {
                        at.clone()
                    };
                    let link = at.join(&part);
                    let (reached, node) =
                        self.parts(from, self::parts(&target), false)
                            .map_err(|e| match e {
                                Unreachable::Dangling(_) => Unreachable::Dangling(link),
                                other => other,
                            })?;
                    at = reached;
                    is = node;
                }
            }
        }
        Ok((at, is))
    }
}

/// What is at `path` on this computer's disk (a link is not followed).
pub fn look_on_disk(path: &Path) -> Node {
    match std::fs::symlink_metadata(path) {
        Err(_) => Node::Missing,
        Ok(m) if m.file_type().is_symlink() => match std::fs::read_link(path) {
            Ok(target) => Node::Link(target),
            Err(_) => Node::Other,
        },
        Ok(m) if m.is_dir() => Node::Dir,
        Ok(_) => Node::Other,
    }
}

/// [`resolve`] on this computer's disk, from the current folder.
pub fn resolve_on_disk(path: &Path) -> Result<Resolved, Unreachable> {
    let cwd = std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .unwrap_or_else(|_| PathBuf::from("/"));
    resolve(&cwd, path, &mut look_on_disk)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn on(tree: &[(&str, Node)], path: &str) -> Result<Resolved, Unreachable> {
        let tree: HashMap<PathBuf, Node> = tree
            .iter()
            .map(|(p, n)| (PathBuf::from(p), n.clone()))
            .collect();
        resolve(Path::new("/site"), Path::new(path), &mut |p: &Path| {
            if p == Path::new("/") {
                return Node::Dir;
            }
            tree.get(p).cloned().unwrap_or(Node::Missing)
        })
    }

    fn dirs() -> Vec<(&'static str, Node)> {
        vec![
            ("/site", Node::Dir),
            ("/site/content", Node::Dir),
            ("/site/site.yaml", Node::Other),
            ("/site/news", Node::Link(PathBuf::from("content"))),
            ("/site/up", Node::Link(PathBuf::from("/site/content/.."))),
            ("/site/loop", Node::Link(PathBuf::from("loop"))),
            ("/site/gone", Node::Link(PathBuf::from("nowhere"))),
            ("/site/later", Node::Link(PathBuf::from("made"))),
        ]
    }

    #[test]
    fn a_missing_folder_and_its_dot_dot_cancel_out() {
        let r = on(&dirs(), "nope/../content").unwrap();
        assert_eq!(r.path, Path::new("/site/content"));
        assert_eq!(r.is, Node::Dir);
        let r = on(&dirs(), "a/b/../c").unwrap();
        assert_eq!((r.path, r.is), (PathBuf::from("/site/a/c"), Node::Missing));
    }

    #[test]
    fn links_are_followed_and_dot_dot_leaves_their_target() {
        assert_eq!(
            on(&dirs(), "news").unwrap().path,
            Path::new("/site/content")
        );
        assert_eq!(
            on(&dirs(), "news/x/..").unwrap().path,
            Path::new("/site/content")
        );
        assert_eq!(
            on(&dirs(), "up/./content").unwrap().path,
            Path::new("/site/content")
        );
        assert_eq!(on(&dirs(), "/../..").unwrap().path, Path::new("/"));
        // A folder the path makes is there when a link later leads into it.
        assert_eq!(
            on(&dirs(), "made/../later").unwrap().path,
            Path::new("/site/made")
        );
        assert!(on(&dirs(), "later").is_err());
    }

    #[test]
    fn files_loops_and_dangling_links_are_unreachable() {
        assert_eq!(on(&dirs(), "site.yaml").unwrap().is, Node::Other);
        assert!(matches!(
            on(&dirs(), "site.yaml/x"),
            Err(Unreachable::NotAFolder(_))
        ));
        assert!(matches!(on(&dirs(), "loop"), Err(Unreachable::Loop(_))));
        assert!(matches!(
            on(&dirs(), "gone/x"),
            Err(Unreachable::Dangling(_))
        ));
    }
}
