//! The output folder, paths and small command-line faults: what no `--output`, section,
//! symlink or title may do to the school's files.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use common::*;

/// Every entry under `dir` (folders, links and special files too) with what it is, and
/// each file's bytes: a refused build must leave all of it as it was.
fn tree(dir: &Path) -> Vec<(PathBuf, String, Vec<u8>)> {
    let mut all: Vec<(PathBuf, String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("inside").to_path_buf();
            let t = e.file_type();
            let (kind, bytes) = if t.is_symlink() {
                let to = std::fs::read_link(e.path()).expect("a link");
                ("link".to_string(), to.to_string_lossy().as_bytes().to_vec())
            } else if t.is_dir() {
                ("dir".to_string(), Vec::new())
            } else if t.is_file() {
                ("file".to_string(), std::fs::read(e.path()).expect("read"))
            } else {
                (format!("{t:?}"), Vec::new())
            };
            (rel, kind, bytes)
        })
        .collect();
    all.sort();
    all
}

/// A site with one report, built once.
fn built() -> TestSite {
    let site = TestSite::new();
    site.report(
        "news/2024-01-01-labs.md",
        "Labs",
        "2024-01-01",
        "",
        "Teksts.",
    );
    site.build(&[]);
    site
}

/// `lapa ARGS` run from inside the site's folder (relative paths are the point).
fn lapa_in(dir: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("lapa")
        .expect("the lapa binary")
        .env("LAPA_LANG", "en")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("lapa runs")
}

fn all_output(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// After the build that said `out`: `rel` (a path in the output) was named, it is in
/// `public.lapa-moved/`, and it stays out of the output through three more builds. Its
/// path there.
fn moved_aside_for_good(site: &TestSite, out: &Output, rel: &str) -> PathBuf {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    assert!(all_output(out).contains(name), "{}", all_output(out));
    let moved = site.path().join("public.lapa-moved");
    assert!(moved.join(rel).is_file(), "{:?}", tree(&moved));
    for round in 0..3 {
        assert!(!site.exists(rel), "round {round}: {rel} is in the output");
        site.build(&[]);
    }
    assert!(!site.exists(rel), "{rel} came back");
    moved.join(rel)
}

// 1. An output path that is not a folder is refused, always. (A device node is the same
// case as a FIFO; /dev/null itself is not used here: tests may run as root.)

#[cfg(unix)]
#[test]
fn an_output_that_is_a_fifo_a_socket_or_a_link_to_one_is_refused() {
    use std::os::unix::fs::FileTypeExt;
    let site = built();
    let fifo = site.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let socket = site.path().join("sock");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).expect("a socket");
    std::os::unix::fs::symlink(&fifo, site.path().join("to-pipe")).expect("a link");
    let before = tree(site.path());
    for name in ["pipe", "sock", "to-pipe"] {
        let out = site.lapa(&[
            "build",
            "--output",
            site.path().join(name).to_str().expect("utf-8"),
        ]);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", all_output(&out));
        assert!(
            stderr(&out).contains("not a folder"),
            "{name}: {}",
            stderr(&out)
        );
        assert_eq!(tree(site.path()), before, "{name} changed the site");
    }
    let meta = std::fs::symlink_metadata(&fifo).expect("the fifo");
    assert!(meta.file_type().is_fifo());
}

// 2. The guards look at the folder the path names, after `..`, `.` and symlinks.

#[test]
fn climbing_out_of_a_missing_folder_cannot_reach_the_content_or_a_foreign_folder() {
    let site = built();
    site.write("theirs/notes.txt", "the school's own notes");
    let before = tree(site.path());
    for output in [
        "nope/../content",
        "nope/../content/news",
        "nope/./../site.yaml",
        "nope/more/../../theirs",
        "nope/../",
        "./nope/..",
    ] {
        let out = lapa_in(site.path(), &["build", "--output", output]);
        assert_eq!(out.status.code(), Some(1), "{output}: {}", all_output(&out));
        assert_eq!(tree(site.path()), before, "{output} changed the site");
    }
}

#[cfg(unix)]
#[test]
fn a_symlink_in_the_output_path_is_followed_before_deciding() {
    let site = built();
    std::os::unix::fs::symlink(
        site.path().join("content/news"),
        site.path().join("shortcut"),
    )
    .expect("a link");
    let before = tree(site.path());
    for output in ["shortcut", "shortcut/../../content", "shortcut/x/.."] {
        let out = lapa_in(site.path(), &["build", "--output", output]);
        assert_eq!(out.status.code(), Some(1), "{output}: {}", all_output(&out));
        assert_eq!(tree(site.path()), before, "{output} changed the site");
    }
}

#[test]
fn a_new_output_under_missing_folders_is_made_and_a_refused_one_leaves_none() {
    let site = built();
    let out = lapa_in(site.path(), &["build", "--output", "a/b/../c"]);
    assert!(out.status.success(), "{}", all_output(&out));
    assert!(site.path().join("a/c/index.html").is_file());
    assert!(!site.path().join("a/b").exists());
    // A content error: the build is refused, and the folders it would have made are not left.
    site.write("content/news/2024-02-02-bad.md", "---\ntitle: X\n---\n");
    let before = tree(site.path());
    let out = lapa_in(site.path(), &["build", "--output", "new/site"]);
    assert_eq!(out.status.code(), Some(1), "{}", all_output(&out));
    assert_eq!(tree(site.path()), before);
}

// 10. A section is a folder name under content/.

#[test]
fn a_section_that_climbs_out_or_is_absolute_is_refused() {
    let site = TestSite::new();
    let elsewhere = tempfile::tempdir().expect("a temp dir");
    let abs = elsewhere.path().join("x");
    let before = tree(site.path());
    for section in [
        "../../x",
        "../x",
        abs.to_str().expect("utf-8"),
        "news/../../x",
        ".",
        ".hidden",
    ] {
        let out = site.lapa(&["new", "report", "Mans ziņojums", "--section", section]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{section}: {}",
            all_output(&out)
        );
        assert!(
            stderr(&out).contains("--section"),
            "{section}: {}",
            stderr(&out)
        );
        assert_eq!(tree(site.path()), before, "{section} wrote in the site");
    }
    assert_eq!(
        tree(elsewhere.path()),
        vec![],
        "a section wrote outside the site"
    );
    assert!(!site.path().parent().expect("a parent").join("x").exists());
}

// 12. Files a user adds to the output folder: moved aside once, said once, never alternating.

#[test]
fn files_added_to_the_output_are_moved_aside_once_and_said_once() {
    let site = built();
    site.write("public/CNAME", "www.skola.lv\n");
    site.write("public/.well-known/security.txt", "Contact: x@skola.lv\n");
    site.write("public/uploads/plan.pdf", "%PDF");
    let out = site.build(&[]);
    let said = all_output(&out);
    assert!(
        said.contains("CNAME") && said.contains("public.lapa-moved"),
        "{said}"
    );
    let moved = site.path().join("public.lapa-moved");
    assert_eq!(
        std::fs::read_to_string(moved.join("CNAME")).expect("CNAME kept"),
        "www.skola.lv\n"
    );
    assert!(moved.join(".well-known/security.txt").is_file());
    assert!(moved.join("uploads/plan.pdf").is_file());
    let first = tree(&site.public());
    for round in 0..3 {
        let out = site.build(&[]);
        assert!(
            !all_output(&out).contains("moved"),
            "round {round}: said again"
        );
        assert!(!site.exists("CNAME"), "round {round}: CNAME came back");
        assert!(
            !site.exists("uploads/plan.pdf"),
            "round {round}: plan.pdf came back"
        );
        assert_eq!(
            tree(&site.public()),
            first,
            "round {round}: the output changed"
        );
    }
    assert_eq!(tree(&moved).len(), 5, "{:?}", tree(&moved));
}

/// A file put deep in a folder of the output whose dates are then set back, as `tar` and
/// `cp -a` set them: the folder was still changed after the build, and it is found.
#[cfg(unix)]
#[test]
fn a_file_added_deep_in_the_output_is_found_though_its_folder_looks_old() {
    let site = built();
    site.build(&[]);
    let folder = site.public().join("news/labs");
    assert!(
        folder.join("index.html").is_file(),
        "{:?}",
        tree(&site.public())
    );
    let long_ago =
        std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
    site.write("public/news/labs/plan.pdf", "%PDF");
    for dir in [
        folder.as_path(),
        folder.parent().expect("news"),
        &site.public(),
    ] {
        std::fs::File::open(dir)
            .and_then(|f| {
                f.set_times(
                    std::fs::FileTimes::new()
                        .set_modified(long_ago)
                        .set_accessed(long_ago),
                )
            })
            .expect("dates set back");
    }
    let out = site.build(&[]);
    moved_aside_for_good(&site, &out, "news/labs/plan.pdf");
}

/// A file put in the output lapa keeps beside the public one (`.public.lapa-previous`,
/// where the next build is written) never reaches the output: it is moved aside with the
/// others, at the next build.
#[test]
fn a_file_put_in_the_kept_previous_output_never_reaches_the_output() {
    let site = built();
    site.build(&[]);
    let previous = site.path().join(".public.lapa-previous");
    assert!(
        previous.join("news/labs/index.html").is_file(),
        "{:?}",
        tree(&previous)
    );
    std::fs::write(previous.join("news/labs/extra.txt"), "mine").expect("written");
    let out = site.build(&[]);
    let moved = moved_aside_for_good(&site, &out, "news/labs/extra.txt");
    assert_eq!(std::fs::read_to_string(moved).expect("kept"), "mine");
}

// 13. Symlinks into the output, and hidden folders, are never published.

#[cfg(unix)]
#[test]
fn a_symlink_into_the_output_is_refused_and_nothing_nests() {
    let site = built();
    std::os::unix::fs::symlink(site.public(), site.path().join("content/news/site-copy"))
        .expect("a link");
    std::os::unix::fs::symlink(
        site.public().join("index.html"),
        site.path().join("content/home.html"),
    )
    .expect("a link");
    let before = tree(&site.public());
    let out = site.lapa(&["build"]);
    assert_eq!(out.status.code(), Some(1), "{}", all_output(&out));
    assert!(stderr(&out).contains("site-copy"), "{}", stderr(&out));
    assert!(stderr(&out).contains("home.html"), "{}", stderr(&out));
    assert_eq!(tree(&site.public()), before);
}

#[cfg(unix)]
#[test]
fn hidden_folders_are_never_published_unless_listed() {
    let site = built();
    site.write(
        ".git/config",
        "[remote] url = https://token@example.com/x\n",
    );
    site.write("content/news/.git/config", "secret");
    site.write("content/.env", "PASSWORD=1");
    site.write("content/.well-known/security.txt", "Contact: x@skola.lv\n");
    site.write("content/.well-known/.htpasswd", "admin:x");
    std::os::unix::fs::symlink(site.path().join(".git"), site.path().join("content/git"))
        .expect("a link");
    let out = site.lapa(&["build"]);
    assert_eq!(out.status.code(), Some(1), "{}", all_output(&out));
    assert!(stderr(&out).contains("content/git"), "{}", stderr(&out));
    std::fs::remove_file(site.path().join("content/git")).expect("unlink");
    site.build(&[]);
    assert!(!site.exists("news/.git/config"));
    assert!(!site.exists(".env"));
    assert!(!site.exists(".well-known/.htpasswd"));
    assert_eq!(
        site.read(".well-known/security.txt"),
        "Contact: x@skola.lv\n"
    );
    let published: Vec<String> = tree(&site.public())
        .into_iter()
        .map(|(p, _, _)| p.to_string_lossy().into_owned())
        .collect();
    assert!(
        published.iter().all(|p| !p.contains("/.")
            && (!p.starts_with('.') || p.starts_with(".well-known") || p == ".lapa-output")),
        "{published:?}"
    );
    // A setting lists other hidden names; `.well-known` is then published only if listed.
    site.write(
        "site.yaml",
        &format!("{SITE_YAML}publish_hidden: [.htaccess]\n"),
    );
    site.write("content/.htaccess", "Options -Indexes\n");
    site.build(&[]);
    assert_eq!(site.read(".htaccess"), "Options -Indexes\n");
    assert!(!site.exists(".well-known/security.txt"));
}

// 14. Links that climb above the site, and covers outside content/.

#[test]
fn check_refuses_links_above_the_site_and_a_cover_outside_content() {
    let site = TestSite::new();
    site.write("outside.jpg", "not a photo");
    site.report(
        "news/2024-01-01-labs.md",
        "Labs",
        "2024-01-01",
        "",
        "Teksts.\n\n[parole](../../../../etc/passwd) un [iestatījumi](../../site.yaml).",
    );
    site.report(
        "news/2024-01-02-vaks.md",
        "Vāks",
        "2024-01-02",
        "cover: { src: ../../outside.jpg, alt: \"Vāks\" }\n",
        "Teksts.",
    );
    let out = site.lapa(&["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", all_output(&out));
    let err = stderr(&out);
    assert!(err.contains("../../../../etc/passwd"), "{err}");
    assert!(err.contains("../../site.yaml"), "{err}");
    assert!(
        err.lines().any(|l| l.contains("2024-01-02-vaks.md:4")
            && l.contains("cover")
            && l.contains("content/")),
        "{err}"
    );
}

// 17. Small faults.

#[test]
fn an_output_of_dot_slash_names_the_option_not_an_empty_file() {
    let site = built();
    let out = lapa_in(site.path(), &["build", "--output", "./"]);
    assert_eq!(out.status.code(), Some(1));
    let first = stderr(&out).lines().next().unwrap_or_default().to_string();
    assert!(first.starts_with("--output: error:"), "{first}");
}

#[test]
fn init_on_a_file_says_it_is_a_file() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "x").expect("write");
    let out = Command::cargo_bin("lapa")
        .expect("the lapa binary")
        .env("LAPA_LANG", "en")
        .args(["init", file.to_str().expect("utf-8")])
        .output()
        .expect("lapa runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("is a file"), "{}", stderr(&out));
    assert!(!stderr(&out).contains("not empty"), "{}", stderr(&out));
}

#[test]
fn one_page_is_one_page() {
    let site = TestSite::new();
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://x.lv/\nlanguages: [lv]\n",
    );
    site.write("content/par.md", "---\ntitle: Par\n---\nTeksts.\n");
    let out = site.build(&[]);
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(said.starts_with("Built 1 page ("), "{said}");
}

#[test]
fn a_very_long_title_makes_a_shorter_file_name() {
    let site = TestSite::new();
    let title = "Ļoti garš virsraksts par mobilitāti ".repeat(20);
    let out = site.lapa(&["new", "report", title.trim()]);
    assert!(out.status.success(), "{}", all_output(&out));
    let printed = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let name = Path::new(&printed)
        .file_name()
        .expect("a file name")
        .to_string_lossy()
        .into_owned();
    assert!(name.len() <= 100, "{name}");
    assert!(
        name.ends_with(".md") && name.contains("-loti-gars-virsraksts"),
        "{name}"
    );
    let text = std::fs::read_to_string(&printed).expect("the report");
    assert!(text.contains(title.trim()), "the title is kept whole");
    // The English version finds its original by the same shortened name.
    let out = site.lapa(&["new", "report", title.trim(), "--lang", "en"]);
    assert!(out.status.success(), "{}", all_output(&out));
    let en = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert_eq!(en, printed.replace(".md", ".en.md"));
}
