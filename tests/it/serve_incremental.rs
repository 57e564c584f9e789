//! `serve` renders again only what a save reaches. Whatever the saves were, its folder
//! must then hold exactly what a fresh `lapa build` of the same files makes.

use crate::preview;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use preview::{REPORT, Serve, free_port, make_site};

const WAIT: Duration = Duration::from_secs(30);

/// Wait for serve's next "built" line (or its failure line, when `fails`).
fn wait_for_build(serve: &Serve, fails: bool) {
    let deadline = Instant::now() + WAIT;
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let Ok(line) = serve.lines.recv_timeout(left) else {
            panic!("no build within {WAIT:?}; lapa said: {seen:#?}");
        };
        if line.contains("the build failed") {
            assert!(fails, "a build failed: {seen:#?}");
            return;
        }
        if line.contains("built ") && line.contains(" pages") {
            assert!(!fails, "a build that should fail did not: {line}");
            return;
        }
        seen.push(line);
    }
}

/// Every file under `dir`, by its path under it. serve may be replacing files meanwhile
/// (the search index follows the pages), so a file gone before it is read is left out:
/// the comparison is tried again until it holds.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(dir).expect("under dir");
            let bytes = std::fs::read(e.path()).ok()?;
            Some((rel.to_string_lossy().into_owned(), bytes))
        })
        .collect()
}

/// Build `site` afresh as serve does (drafts, serve's address) and compare the folders;
/// serve's search index follows its pages within moments, so allow it a few seconds.
fn assert_same_as_full_build(serve: &Serve, site: &Path, out: &Path, after: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match compare_with_full_build(serve, site, out) {
            Ok(()) => return,
            Err(e) if Instant::now() > deadline => panic!("{after}: {e}"),
            Err(_) => std::thread::sleep(Duration::from_millis(100)),
        }
    }
}

fn compare_with_full_build(serve: &Serve, site: &Path, out: &Path) -> Result<(), String> {
    let built = Command::new(env!("CARGO_BIN_EXE_lapa"))
        .env("LAPA_LANG", "en")
        .args(["build", "--drafts", "--base-url", &serve.url, "--root"])
        .arg(site)
        .arg("--output")
        .arg(out)
        .output()
        .expect("run lapa build");
    if !built.status.success() {
        return Err(format!("the full build failed: {built:?}"));
    }
    let full = files(out);
    let served = files(&serve.private_folder().join("site"));
    let only = |a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>| -> Vec<String> {
        a.keys().filter(|k| !b.contains_key(*k)).cloned().collect()
    };
    let differ: Vec<&String> = full
        .iter()
        .filter(|(path, bytes)| served.get(*path) != Some(*bytes))
        .map(|(path, _)| path)
        .collect();
    let (missing, extra) = (only(&full, &served), only(&served, &full));
    if missing.is_empty() && extra.is_empty() && differ.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "serve's folder is not what a full build makes: missing {missing:?}, extra {extra:?}, different {differ:?}"
        ))
    }
}

fn write(site: &Path, rel: &str, text: &str) {
    let path = site.join(rel);
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
    std::fs::write(path, text).expect("save");
}

/// Put the example site's photo `name` in place of the test site's `budapest.jpg`.
fn copy_photo(site: &Path, name: &str) {
    let photo = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("content/news")
        .join(name);
    std::fs::copy(photo, site.join("content/news/budapest.jpg")).expect("copy a photo");
}

/// Save `rel` with `from` replaced by `to`.
fn replace_in(site: &Path, rel: &str, from: &str, to: &str) {
    let text = std::fs::read_to_string(site.join(rel)).expect("read");
    write(site, rel, &text.replace(from, to));
}

/// The test report with other front matter lines and body.
fn report(extra: &str, body: &str) -> String {
    format!(
        "---\ntitle: \"Mentorings Budapeštā\"\ndate: 2024-03-28\nauthors: [Ināra Jasvina]\n\
         project: kompetents-skolotajs-iii\ntags: [mentorings]\n{extra}---\n{body}\n"
    )
}

#[test]
fn after_a_series_of_saves_the_preview_is_what_a_full_build_makes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("site");
    let temp = dir.path().join("tmp");
    let out = dir.path().join("full");
    std::fs::create_dir_all(&temp).expect("mkdir");
    make_site(&site);
    // The built-in theme: every kind of page, with lists, translations and funding.
    for own in ["templates", "i18n"] {
        std::fs::remove_dir_all(site.join(own)).expect("remove the test theme");
    }
    // Enough reports that lists have several pages, so a new, deleted or moved report
    // shifts the entries of every later page.
    for i in 1..=7 {
        write(
            &site,
            &format!("content/news/2023-0{i}-0{i}-zinja-{i}.md"),
            &format!(
                "---\ntitle: \"Ziņa {i}\"\ndate: 2023-0{i}-0{i}\ntags: [mentorings, t{}]\n---\nTeksts {i}.\n",
                i % 3
            ),
        );
    }
    // The first build is done before serve says where it serves.
    let serve = Serve::start(&site, free_port(), &temp);
    assert_same_as_full_build(&serve, &site, &out, "the first build");

    type Edit = Box<dyn Fn(&Path)>;
    let edits: Vec<(&str, Edit, bool)> = vec![
        (
            "a report's text",
            Box::new(|s| write(s, REPORT, &report("", "Jauns teksts."))),
            false,
        ),
        (
            "a report's title",
            Box::new(|s| {
                let text = report("", "Jauns teksts.").replace("Budapeštā\"", "Budapeštā 2024\"");
                write(s, REPORT, &text);
            }),
            false,
        ),
        (
            "a new report that links to another",
            Box::new(|s| {
                write(
                    s,
                    "content/news/2024-07-01-saite.md",
                    "---\ntitle: Saite\ndate: 2024-07-01\ntags: [mentorings, jauns]\n---\n\
                     Skat. [Budapešta](2024-03-28-budapest-mentorings.md).\n",
                )
            }),
            false,
        ),
        (
            "the linked report's address",
            Box::new(|s| write(s, REPORT, &report("slug: budapesta\n", "Jauns teksts."))),
            false,
        ),
        (
            "a translation",
            Box::new(|s| {
                write(
                    s,
                    "content/news/2024-03-28-budapest-mentorings.en.md",
                    "---\ntitle: Mentoring in Budapest\ndate: 2024-03-28\n\
                     project: kompetents-skolotajs-iii\n---\nIn English.\n",
                )
            }),
            false,
        ),
        (
            "the translation's address",
            Box::new(|s| {
                write(
                    s,
                    "content/news/2024-03-28-budapest-mentorings.en.md",
                    "---\ntitle: Mentoring in Budapest\ndate: 2024-03-28\nslug: budapest\n\
                     project: kompetents-skolotajs-iii\n---\nIn English.\n",
                )
            }),
            false,
        ),
        (
            "a save by rename-over, with a tag added",
            Box::new(|s| {
                let tmp = s.join(format!("{REPORT}.tmp"));
                std::fs::write(
                    &tmp,
                    report("slug: budapesta\n", "Jauns teksts.")
                        .replace("tags: [mentorings]", "tags: [mentorings, budapešta]"),
                )
                .expect("save");
                std::fs::rename(&tmp, s.join(REPORT)).expect("rename");
            }),
            false,
        ),
        (
            "a report's date",
            Box::new(|s| {
                let text = report("slug: budapesta\n", "Jauns teksts.")
                    .replace("date: 2024-03-28", "date: 2024-08-15");
                write(s, REPORT, &text);
            }),
            false,
        ),
        (
            "a deleted report",
            Box::new(|s| {
                std::fs::remove_file(s.join("content/news/2024-05-27-lisabona.md")).expect("delete")
            }),
            false,
        ),
        (
            "the project's description",
            Box::new(|s| {
                replace_in(
                    s,
                    "content/projects/kompetents-skolotajs-iii.md",
                    "mērķi",
                    "jaunie mērķi",
                )
            }),
            false,
        ),
        (
            "a UI string",
            Box::new(|s| {
                let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/i18n");
                let text = std::fs::read_to_string(theme.join("lv.yaml")).expect("read");
                let text = text.replace("Lasīt vairāk", "Lasīt visu");
                write(s, "i18n/lv.yaml", &text);
            }),
            false,
        ),
        (
            "a broken front matter",
            Box::new(|s| write(s, REPORT, "---\ntitle: \"nepabeigts\n---\nx\n")),
            true,
        ),
        (
            "its fix",
            Box::new(|s| write(s, REPORT, &report("", "Salabots."))),
            false,
        ),
        (
            "the site's title",
            Box::new(|s| replace_in(s, "site.yaml", "vidusskola", "vidusskola Nr. 1")),
            false,
        ),
        (
            "a report file renamed",
            Box::new(|s| {
                std::fs::rename(
                    s.join("content/news/2024-07-01-saite.md"),
                    s.join("content/news/2024-07-02-saite-parsaukta.md"),
                )
                .expect("rename")
            }),
            false,
        ),
        (
            "a report's tags changed (one tag gone from the site, one new)",
            Box::new(|s| {
                replace_in(
                    s,
                    "content/news/2024-07-02-saite-parsaukta.md",
                    "tags: [mentorings, jauns]",
                    "tags: [mentorings, pavisam-jauns]",
                )
            }),
            false,
        ),
        (
            "a report's date moved to another year",
            Box::new(|s| {
                replace_in(
                    s,
                    "content/news/2024-07-02-saite-parsaukta.md",
                    "date: 2024-07-01",
                    "date: 2023-02-10",
                )
            }),
            false,
        ),
        (
            "a stylesheet and a file beside a report",
            Box::new(|s| {
                write(
                    s,
                    "themes/default/static/style.css",
                    "body { color: navy; }\n",
                );
                write(s, "content/news/programma.txt", "Kursa programma.\n");
            }),
            false,
        ),
        // A page is taken over from the last resolve while what it was made from is
        // unchanged: each of these changes something a page is made from besides its file.
        (
            "a report without tags or project of its own",
            Box::new(|s| {
                write(
                    s,
                    "content/news/2023-09-09-bez-birkam.md",
                    "---\ntitle: Bez birkām\ndate: 2023-09-09\n---\nSkat. \
                     [pārsauktā](2024-07-02-saite-parsaukta.md).\n",
                )
            }),
            false,
        ),
        (
            "the section's defaults (tags and project in _index.md)",
            Box::new(|s| {
                write(
                    s,
                    "content/news/_index.md",
                    "---\ntitle: Jaunumi\ntags: [skola]\nproject: kompetents-skolotajs-iii\n---\n",
                )
            }),
            false,
        ),
        (
            "a report names a project not written yet",
            Box::new(|s| {
                replace_in(
                    s,
                    "content/news/2023-09-09-bez-birkam.md",
                    "date: 2023-09-09\n",
                    "date: 2023-09-09\nproject: jauns-projekts\n",
                )
            }),
            true,
        ),
        (
            "the project's file written",
            Box::new(|s| {
                let text =
                    std::fs::read_to_string(s.join("content/projects/kompetents-skolotajs-iii.md"))
                        .expect("read")
                        .replace("Kompetents skolotājs III", "Jauns projekts")
                        .replace("000138745", "000138746");
                write(s, "content/projects/jauns-projekts.md", &text);
            }),
            false,
        ),
        (
            "a linked report renamed (the link to it broken)",
            Box::new(|s| {
                std::fs::rename(
                    s.join("content/news/2024-07-02-saite-parsaukta.md"),
                    s.join("content/news/2024-07-02-saite-atkal.md"),
                )
                .expect("rename")
            }),
            true,
        ),
        (
            "the linked report's name back (the link whole again)",
            Box::new(|s| {
                std::fs::rename(
                    s.join("content/news/2024-07-02-saite-atkal.md"),
                    s.join("content/news/2024-07-02-saite-parsaukta.md"),
                )
                .expect("rename")
            }),
            false,
        ),
        // The table of photos is kept while only Markdown changes and the pages show the
        // same photos: each of these must make it again (or keep it) as a build would.
        (
            "a report that shows a photo (not one that can be read)",
            Box::new(|s| write(s, REPORT, &report("", "![Tilts](budapest.jpg)\n\nTeksts."))),
            false,
        ),
        (
            "the photo's file made a real photo",
            Box::new(|s| copy_photo(s, "budapest.jpg")),
            false,
        ),
        (
            "the report's text, showing the same photo",
            Box::new(|s| write(s, REPORT, &report("", "![Tilts](budapest.jpg)\n\nCits."))),
            false,
        ),
        (
            "the photo's file replaced by another photo",
            Box::new(|s| copy_photo(s, "klase.jpg")),
            false,
        ),
        (
            "the report no longer shows the photo",
            Box::new(|s| write(s, REPORT, &report("", "Bez foto."))),
            false,
        ),
    ];
    for (what, edit, fails) in edits {
        // Saves within one file system time tick must still be seen as changes.
        std::thread::sleep(Duration::from_millis(50));
        edit(&site);
        wait_for_build(&serve, fails);
        if !fails {
            assert_same_as_full_build(&serve, &site, &out, what);
        }
    }

    // A report dated a moment ahead is a draft until then: the first save after that
    // moment shows it published, as a build then does, though its file is unchanged.
    let ahead = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(3);
    write(
        &site,
        "content/news/2024-09-01-drizumā.md",
        &format!("---\ntitle: Drīzumā\ndate: {ahead}\n---\nDrīz.\n"),
    );
    wait_for_build(&serve, false);
    let left = ahead.duration_since(jiff::Timestamp::now()) + jiff::SignedDuration::from_secs(1);
    std::thread::sleep(Duration::try_from(left).unwrap_or_default());
    write(&site, REPORT, &report("", "Pēc brīža."));
    wait_for_build(&serve, false);
    assert_same_as_full_build(&serve, &site, &out, "a report's date passed");
}

/// Wait for serve's next "built" line and give the number of files it rendered.
fn files_rendered(serve: &Serve) -> usize {
    let deadline = Instant::now() + WAIT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = serve
            .lines
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("no build within {WAIT:?}"));
        assert!(!line.contains("the build failed"), "{line}");
        if let Some(n) = line
            .split_once(" pages (")
            .and_then(|(_, rest)| rest.split_once(" files rendered)"))
            .and_then(|(n, _)| n.parse().ok())
        {
            return n;
        }
    }
}

/// A temp folder with a Latvian site of no content yet, `paginate` reports a list page:
/// the folder, the site's, serve's temp folder and a full build's output folder.
fn latvian_site(paginate: usize) -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("site");
    let temp = dir.path().join("tmp");
    let out = dir.path().join("full");
    std::fs::create_dir_all(&temp).expect("mkdir");
    write(
        &site,
        "site.yaml",
        &format!(
            "title: Skola\nbase_url: https://www.example.lv/\nlanguages: [lv]\npaginate: {paginate}\n"
        ),
    );
    (dir, site, temp, out)
}

/// A report of section `section` dated `date` with `tags`.
fn dated(section: &str, date: &str, tags: &str, n: usize) -> String {
    format!("---\ntitle: \"{section} {n}\"\ndate: {date}\ntags: [{tags}]\n---\nTeksts {n}.\n")
}

#[test]
fn a_save_renders_only_the_pages_it_changes() {
    let (_dir, site, temp, out) = latvian_site(5);
    // Two sections of 30 reports each, over two years, with a tag of their own: 60
    // report pages, and lists of several pages each.
    for (section, tag) in [("news", "jaunumi"), ("pieredze", "pieredze")] {
        for i in 1..=30 {
            let year = if i <= 15 { 2022 } else { 2023 };
            let date = format!("{year}-{:02}-{:02}", i % 12 + 1, i % 28 + 1);
            write(
                &site,
                &format!("content/{section}/{date}-r{i}.md"),
                &dated(section, &date, tag, i),
            );
        }
    }
    let reports = 60;
    let serve = Serve::start(&site, free_port(), &temp);
    assert_same_as_full_build(&serve, &site, &out, "the first build");

    type Edit = Box<dyn Fn(&Path)>;
    let edits: Vec<(&str, Edit)> = vec![
        (
            "a report's text",
            Box::new(|s| {
                write(
                    s,
                    "content/news/2022-02-02-r1.md",
                    &dated("news", "2022-02-02", "jaunumi", 1).replace("Teksts 1.", "Cits teksts."),
                )
            }),
        ),
        (
            "a new report",
            Box::new(|s| {
                write(
                    s,
                    "content/pieredze/2023-12-30-jauns.md",
                    &dated("pieredze", "2023-12-30", "pieredze, jauns", 99),
                )
            }),
        ),
        (
            "a deleted report",
            Box::new(|s| {
                std::fs::remove_file(s.join("content/pieredze/2023-12-30-jauns.md"))
                    .expect("delete")
            }),
        ),
        (
            "a report's date",
            Box::new(|s| {
                write(
                    s,
                    "content/news/2022-02-02-r1.md",
                    &dated("news", "2022-06-15", "jaunumi", 1),
                )
            }),
        ),
        (
            "a report's tags",
            Box::new(|s| {
                write(
                    s,
                    "content/news/2022-02-02-r1.md",
                    &dated("news", "2022-06-15", "jaunumi, citi", 1),
                )
            }),
        ),
        (
            "a report renamed",
            Box::new(|s| {
                std::fs::rename(
                    s.join("content/news/2022-02-02-r1.md"),
                    s.join("content/news/2022-02-02-r1-jauns.md"),
                )
                .expect("rename")
            }),
        ),
    ];
    for (what, edit) in edits {
        std::thread::sleep(Duration::from_millis(50));
        edit(&site);
        let rendered = files_rendered(&serve);
        // One report, the list pages it is in (home, its section, its year, its tags:
        // every page of a list whose slices it shifts), the archive and tag index, the
        // feeds and the sitemap: never every report again (all of them, before, 125).
        assert!(
            rendered < reports,
            "{what}: {rendered} files rendered, for a site of {reports} reports"
        );
        assert_same_as_full_build(&serve, &site, &out, what);
        // The pages rendered after the tabs were told (the later pages of the lists).
        let rendered = rendered + rendered_later(&serve);
        assert!(
            rendered < reports,
            "{what}: {rendered} files rendered, for a site of {reports} reports"
        );
    }
}

/// The number of files serve says it rendered after telling the tabs, if it says so
/// within a moment (the folder is already up to date when this is asked).
fn rendered_later(serve: &Serve) -> usize {
    while let Ok(line) = serve.lines.recv_timeout(Duration::from_millis(300)) {
        if let Some(n) = line
            .split_once("and the other ")
            .and_then(|(_, rest)| rest.split_once(" file"))
            .and_then(|(n, _)| n.parse().ok())
        {
            return n;
        }
    }
    0
}

/// The title of report `i`: a word no other title contains.
fn numbered(i: usize) -> String {
    format!("Ziņa-{i}-beigas")
}

#[test]
fn a_page_asked_for_while_the_lists_catch_up_is_the_new_one() {
    let (_dir, site, temp, out) = latvian_site(1);
    // One report a list page: a new newest report shifts every page of the home page's,
    // the section's and the year's lists, far more pages than a save renders first.
    let reports = 600;
    for i in 1..=reports {
        // One a day, the newest last.
        let date = jiff::civil::date(2021, 1, 1)
            .checked_add(jiff::Span::new().days(i64::try_from(i).expect("small")))
            .expect("a date");
        write(
            &site,
            &format!("content/news/r{i}.md"),
            &format!(
                "---\ntitle: \"{}\"\ndate: {date}\n---\nTeksts.\n",
                numbered(i)
            ),
        );
    }
    let serve = Serve::start(&site, free_port(), &temp);
    let folder = serve.private_folder().join("site");
    // Newest first: page n shows report `reports + 1 - n`, and after a newer report
    // comes, report `reports + 2 - n`. (Read from the folder: a page asked for would be
    // one a tab has open, which a save renders first.)
    let pages = [reports + 1, reports, 450, 300, 2];
    for n in &pages[1..] {
        let file = folder.join(format!("page/{n}/index.html"));
        let text = std::fs::read_to_string(&file).expect("a list page");
        assert!(
            text.contains(&numbered(reports + 1 - n)),
            "{}",
            file.display()
        );
    }
    let mut events = preview::Events::connect(serve.port);
    events.next(WAIT).expect("the current build");
    write(
        &site,
        "content/news/jauns.md",
        "---\ntitle: Jaunākā\ndate: 2025-01-01\n---\nTeksts.\n",
    );
    events.next(WAIT).expect("the tabs are told");
    let mut caught = 0;
    for n in pages {
        let shows = numbered(reports + 2 - n);
        for url in [format!("/page/{n}/"), format!("/news/page/{n}/")] {
            // Its file in the folder is still the old one (or none): the request is made
            // while the page waits its turn.
            let file = folder.join(url.trim_start_matches('/')).join("index.html");
            let old = std::fs::read_to_string(&file).map_or(true, |t| !t.contains(&shows));
            caught += usize::from(old);
            let page = serve.get(&url);
            assert_eq!(page.status, 200, "{url}");
            assert!(
                page.text().contains(&shows),
                "{url} asked for before it was written again does not show {shows}:\n{}",
                page.text()
            );
        }
    }
    assert!(
        caught > 0,
        "every page was written before it was asked for: the test shows nothing"
    );
    assert!(serve.get("/").text().contains("Jaunākā"));
    assert_same_as_full_build(&serve, &site, &out, "a new newest report");
}
