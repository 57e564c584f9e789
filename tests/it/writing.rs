//! Writing a report: `lapa init`, `lapa new report`, `lapa check`.

use crate::common;

use assert_cmd::Command;
use common::*;

fn lapa(args: &[&str], dir: &std::path::Path) -> std::process::Output {
    Command::cargo_bin("lapa")
        .expect("binary")
        .env("LAPA_LANG", "en")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("runs")
}

#[test]
fn init_makes_a_site_that_builds_and_checks() {
    let tmp = tempfile::tempdir().expect("temp");
    let out = lapa(&["init", "skola"], tmp.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let root = tmp.path().join("skola");
    for file in [
        "site.yaml",
        "content/projects/mans-projekts.md",
        "content/news/_index.md",
    ] {
        assert!(root.join(file).exists(), "{file}");
    }
    let out = lapa(&["build", "--root", "skola"], tmp.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let html = std::fs::read_to_string(root.join("public/news/pirma-zina/index.html"))
        .expect("the first report");
    assert!(html.contains("data-eu-funding=\"2024-1-LV01-KA121-SCH-000000001\""));
    let out = lapa(&["check", "--root", "skola"], tmp.path());
    assert!(
        out.status.success(),
        "check on a new site: {}",
        stderr(&out)
    );
}

#[test]
fn init_refuses_a_folder_with_anything_in_it() {
    let tmp = tempfile::tempdir().expect("temp");
    std::fs::write(tmp.path().join("piezimes.txt"), "mine").expect("write");
    let out = lapa(&["init", "."], tmp.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("not empty"));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("piezimes.txt")).expect("kept"),
        "mine"
    );
    assert!(!tmp.path().join("site.yaml").exists());
}

#[test]
fn new_report_writes_a_dated_template_that_builds_and_never_overwrites() {
    let site = TestSite::new();
    site.write("content/projects/kompetents-iii.md", PROJECT);
    let out = site.lapa(&[
        "new",
        "report",
        "Mentorings Budapeštā",
        "--project",
        "kompetents-iii",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let printed = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let path = std::path::PathBuf::from(&printed);
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .expect("a file name");
    let today = jiff::Zoned::now().date().to_string();
    assert_eq!(name, format!("{today}-mentorings-budapesta.md"));
    let text = std::fs::read_to_string(&path).expect("the new file");
    for field in [
        "title: \"Mentorings Budapeštā\"",
        "project: kompetents-iii",
        "mobility:",
        "activity:",
        "authors:",
        "tags:",
    ] {
        assert!(text.contains(field), "{field} missing from:\n{text}");
    }
    site.build(&[]);
    assert!(
        site.read("news/mentorings-budapesta/index.html")
            .contains("data-eu-funding")
    );

    std::fs::write(&path, "my edits").expect("edit");
    let again = site.lapa(&["new", "report", "Mentorings Budapeštā"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("never overwrites"));
    assert_eq!(std::fs::read_to_string(&path).expect("kept"), "my edits");
}

#[test]
fn new_translation_takes_the_originals_name() {
    let site = TestSite::new();
    site.report(
        "news/2024-03-28-mentorings-budapesta.md",
        "Mentorings Budapeštā",
        "2024-03-28",
        "",
        "Teksts.",
    );
    let out = site.lapa(&["new", "report", "Mentorings Budapeštā", "--lang", "en"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .ends_with("news/2024-03-28-mentorings-budapesta.en.md")
    );
}

#[test]
fn new_checks_the_project() {
    let site = TestSite::new();
    site.write("content/projects/kompetents-iii.md", PROJECT);
    let out = site.lapa(&["new", "report", "X", "--project", "nav-tada"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("kompetents-iii"),
        "lists the known projects: {}",
        stderr(&out)
    );
    assert!(!site.path().join("content/news").exists());
}

/// A site with one of each problem `check` looks for beyond what `build` validates.
fn flawed_site() -> TestSite {
    let site = TestSite::new();
    site.write("content/projects/kompetents-iii.md", PROJECT)
        .write_bytes("content/news/foto.jpg", b"jpeg")
        .report(
            "news/2024-03-28-a.md",
            "A",
            "2024-03-28",
            "cover: { src: foto.jpg }\nproject: kompetents-iii\nmobility:\n  activity: course\n  start: 2022-01-10\n  end: 2022-01-14\n",
            "Ievads.\n\n![](foto.jpg)\n\n[uz B](2024-04-01-b.md#nav-tadas-nodalas)\n\n[nekur](/nav/tadas/lapas/)\n\n<div onclick=\"x()\">x</div>",
        )
        .report("news/2024-04-01-b.md", "B", "2024-04-01", "", "## Esoša nodaļa\n\nTeksts.")
        .report("news/2024-05-01-c.en.md", "C", "2024-05-01", "", "Only English.");
    site
}

#[test]
fn check_reports_each_problem_with_file_and_line() {
    let site = flawed_site();
    let out = site.lapa(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let a = "content/news/2024-03-28-a.md";
    for (needle, what) in [
        (format!("{a}:13:"), "image without alt text, with its line"),
        (
            format!("{a}:15:"),
            "anchor that leads nowhere, with its line",
        ),
        (format!("{a}:17:"), "link that leads nowhere, with its line"),
        (format!("{a}:19:"), "inline event handler, with its line"),
        (
            format!("{a}:4: error: the cover"),
            "cover without alt, at its line",
        ),
        (
            format!("{a}:6: error: the mobility"),
            "mobility outside the project's period, at its line",
        ),
        (
            "content/news/2024-05-01-c.en.md".to_string(),
            "translation without an original",
        ),
    ] {
        assert!(err.contains(&needle), "{what}: `{needle}` not in\n{err}");
    }
    assert!(!site.public().exists(), "check writes nothing");
}

#[test]
fn check_passes_on_the_example_site() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::cargo_bin("lapa")
        .expect("binary")
        .env("LAPA_LANG", "en")
        .args(["check", "--root"])
        .arg(root)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
}
