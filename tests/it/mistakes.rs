//! The common mistakes of a hand-written report, and what lapa says about each: the
//! line to change and what to do, in English and in Latvian (docs/mistakes.md).

use crate::common;

use common::{TestSite, stderr};

/// Build a site whose one report is `text`, in `lang`; the build must fail. Returns
/// what lapa said.
fn fails(lang: &str, text: &str) -> String {
    let site = TestSite::new();
    site.write("content/news/zinojums.md", text);
    let out = site.lapa_in(Some(lang), &["build"]);
    let said = stderr(&out);
    assert!(!out.status.success(), "the build should fail:\n{said}");
    said
}

/// The report's problem is on `line` and the message has every one of `words`.
fn says(said: &str, line: usize, words: &[&str]) {
    let place = format!("content/news/zinojums.md:{line}");
    assert!(
        said.contains(&place),
        "expected a problem at {place}:\n{said}"
    );
    let message = said
        .lines()
        .find(|l| l.contains(&place))
        .unwrap_or_default();
    for word in words {
        assert!(message.contains(word), "expected `{word}` in:\n{message}");
    }
}

/// A report with `front` as the lines between `---`.
fn report(front: &str) -> String {
    format!("---\n{front}---\nTeksts.\n")
}

#[test]
fn an_unclosed_quote_is_shown_on_the_line_it_opens() {
    let text = report("title: \"Kurss Budapeštā\ndate: 2024-03-28\nsummary: \"Par kursu\"\n");
    says(&fails("en", &text), 2, &["`title`", "never closed", "\""]);
    says(
        &fails("lv", &text),
        2,
        &["`title`", "netiek aizvērtas", "kļūda"],
    );
}

#[test]
fn a_tab_in_the_indentation() {
    let text = report("title: Kurss\ndate: 2024-03-28\nmobility:\n\tplace: Budapešta\n");
    says(&fails("en", &text), 5, &["tab", "spaces"]);
    says(&fails("lv", &text), 5, &["Tab", "atstarpes"]);
}

#[test]
fn a_missing_space_after_the_colon() {
    let text = report("title:Kurss\ndate: 2024-03-28\n");
    says(
        &fails("en", &text),
        2,
        &["`title:`", "space", "title: Kurss"],
    );
    says(
        &fails("lv", &text),
        2,
        &["`title:`", "atstarpei", "title: Kurss"],
    );
}

#[test]
fn a_colon_inside_an_unquoted_value() {
    let text = report("date: 2024-03-28\ntitle: Kurss: Budapešta\n");
    says(
        &fails("en", &text),
        3,
        &["`title`", "double quotes", "title: \"Kurss: Budapešta\""],
    );
    says(
        &fails("lv", &text),
        3,
        &["`title`", "dubultpēdiņās", "title: \"Kurss: Budapešta\""],
    );
}

#[test]
fn latvian_quote_marks_around_a_colon_or_a_hash() {
    let colon = report("title: „Kurss: Budapešta”\ndate: 2024-03-28\n");
    says(
        &fails("en", &colon),
        2,
        &["Latvian quote mark", "`:`", "straight double quotes"],
    );
    says(
        &fails("lv", &colon),
        2,
        &["latviešu pēdiņām", "`:`", "taisnās dubultpēdiņās"],
    );
    // `#` would silently cut the title to „Kurss: it is refused too.
    let hash = report("date: 2024-03-28\ntitle: „Kurss #1”\n");
    says(&fails("en", &hash), 3, &["Latvian quote mark", "`#`"]);
    says(&fails("lv", &hash), 3, &["latviešu pēdiņām", "`#`"]);
}

#[test]
fn a_list_without_brackets_is_one_tag_and_a_warning() {
    for (lang, words) in [
        ("en", ["warning", "one value", "tags: [mācības, Budapešta]"]),
        (
            "lv",
            ["brīdinājums", "viena vērtība", "tags: [mācības, Budapešta]"],
        ),
    ] {
        let site = TestSite::new();
        site.report(
            "news/2024-03-28-kurss.md",
            "Kurss",
            "2024-03-28",
            "tags: mācības, Budapešta\n",
            "Teksts.",
        );
        let out = site.lapa_in(Some(lang), &["build"]);
        let said = stderr(&out);
        assert!(
            out.status.success(),
            "a warning does not fail the build:\n{said}"
        );
        let line = said
            .lines()
            .find(|l| l.contains("content/news/2024-03-28-kurss.md:4"))
            .unwrap_or_else(|| panic!("a warning at line 4:\n{said}"));
        for w in words {
            assert!(line.contains(w), "`{w}` in {line}");
        }
    }
}

#[test]
fn a_field_beside_its_block_instead_of_under_it() {
    let text = report(
        "title: Kurss\ndate: 2024-03-28\nmobility:\n  activity: job-shadowing\nstart: 2024-03-18\n",
    );
    says(
        &fails("en", &text),
        6,
        &["`start`", "under `mobility:`", "two spaces"],
    );
    says(
        &fails("lv", &text),
        6,
        &["`start`", "pie `mobility:`", "divas atstarpes"],
    );
    // And a top-level field indented into the block.
    let text = report("title: Kurss\nmobility:\n  place: Rīga\n  date: 2024-03-28\n");
    says(
        &fails("en", &text),
        5,
        &["`date`", "not a field of `mobility`", "top level"],
    );
    says(
        &fails("lv", &text),
        5,
        &["`date`", "nav `mobility` lauks", "augšējā līmenī"],
    );
}

#[test]
fn a_field_written_twice() {
    let text = report("title: Kurss\ndate: 2024-03-28\ntitle: Kurss Budapeštā\n");
    says(&fails("en", &text), 4, &["`title`", "twice", "line 2"]);
    says(&fails("lv", &text), 4, &["`title`", "divreiz", "2. rindā"]);
}

#[test]
fn an_unknown_field_names_the_nearest_known_one() {
    let text = report("title: Kurss\ndate: 2024-03-28\nautors: Anna Bērziņa\n");
    says(
        &fails("en", &text),
        4,
        &["`autors`", "did you mean `authors`"],
    );
    says(
        &fails("lv", &text),
        4,
        &["`autors`", "vai domājāt `authors`"],
    );
    let text = report("title: Kurss\ndatums: 2024-03-28\n");
    says(&fails("en", &text), 3, &["`datums`", "did you mean `date`"]);
    says(&fails("lv", &text), 3, &["`datums`", "vai domājāt `date`"]);
}

#[test]
fn the_closing_fence_is_missing() {
    let text = "---\ntitle: Kurss\ndate: 2024-03-28\nTeksts.\n";
    says(&fails("en", text), 1, &["closing `---`"]);
    says(&fails("lv", text), 1, &["noslēdzošās `---`"]);
}

/// `text` as Windows-1257 bytes (the Latvian letters it has, and ASCII).
fn windows_1257(text: &str) -> Vec<u8> {
    let table = [
        ('ā', 0xE2),
        ('č', 0xE8),
        ('ē', 0xE7),
        ('ģ', 0xEC),
        ('ī', 0xEE),
        ('ķ', 0xED),
        ('ļ', 0xEF),
        ('ņ', 0xF2),
        ('š', 0xF0),
        ('ū', 0xFB),
        ('ž', 0xFE),
        ('Š', 0xD0),
    ];
    let mut bytes = Vec::new();
    for c in text.chars() {
        match table.iter().find(|(l, _)| *l == c) {
            Some((_, b)) => bytes.push(*b),
            None => bytes.push(u8::try_from(c).expect("an ASCII letter")),
        }
    }
    bytes
}

#[test]
fn a_file_saved_as_windows_1257_is_named_and_fixed() {
    let text = "---\ntitle: Mācību vizīte Budapeštā\ndate: 2024-03-28\n---\nŠodien ļoti jauki.\n";
    for (lang, words) in [
        ("en", ["Windows-1257", "lapa fix-encoding"]),
        ("lv", ["kodējumā Windows-1257", "lapa fix-encoding"]),
    ] {
        let site = TestSite::new();
        site.write_bytes("content/news/zinojums.md", &windows_1257(text));
        let out = site.lapa_in(Some(lang), &["build"]);
        assert!(!out.status.success());
        says(&stderr(&out), 2, &words);
    }
    let site = TestSite::new();
    site.write_bytes("content/news/zinojums.md", &windows_1257(text));
    let file = site.path().join("content/news/zinojums.md");
    let file_arg = file.to_str().expect("a UTF-8 path");
    let out = site.lapa_in(Some("lv"), &["fix-encoding", file_arg]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("tagad tas ir UTF-8"));
    assert_eq!(std::fs::read_to_string(&file).expect("UTF-8 now"), text);
    let backup = site.path().join("content/news/.zinojums.md.orig");
    assert_eq!(
        std::fs::read(&backup).expect("a backup"),
        windows_1257(text)
    );
    // The hidden backup is not published; the report is.
    site.build(&[]);
    assert!(!site.exists("news/.zinojums.md.orig"));
    // A second run changes nothing.
    let again = site.lapa_in(Some("en"), &["fix-encoding", file_arg]);
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("UTF-8 already"),
        "{}",
        stderr(&again)
    );
}

#[test]
fn latvian_dates_build_and_show_in_latvian() {
    let site = TestSite::new();
    site.report("news/kurss.md", "Kurss", "28.03.2024", "", "Teksts.");
    site.report("news/vizite.md", "Vizīte", "\"29.03.2024.\"", "", "Teksts.");
    site.report(
        "news/sanaksme.md",
        "Sanāksme",
        "30.03.2024 14:05",
        "",
        "Teksts.",
    );
    // A mobility's and a project's days too.
    site.report(
        "news/mobilitate.md",
        "Mobilitāte",
        "31.03.2024",
        "mobility:\n  activity: course\n  start: 18.03.2024\n  end: 23.03.2024.\n",
        "Teksts.",
    );
    site.write(
        "content/projects/kompetents.md",
        &common::PROJECT
            .replace("start: 2023-06-01", "start: 01.06.2023")
            .replace("end: 2025-05-31", "end: 31.05.2025"),
    );
    site.build(&[]);
    assert!(
        site.read("news/kurss/index.html")
            .contains("2024. gada 28. marts")
    );
    assert!(
        site.read("news/vizite/index.html")
            .contains("2024. gada 29. marts")
    );
    assert!(
        site.read("news/sanaksme/index.html")
            .contains("2024. gada 30. marts")
    );
}

#[test]
fn a_slash_date_shows_both_readings() {
    let text = report("title: Kurss\ndate: 03/04/2024\n");
    says(
        &fails("en", &text),
        3,
        &[
            "03.04.2024 (2024-04-03)",
            "04.03.2024 (2024-03-04)",
            "day.month.year",
        ],
    );
    says(
        &fails("lv", &text),
        3,
        &[
            "03.04.2024 (2024-04-03)",
            "04.03.2024 (2024-03-04)",
            "diena.mēnesis.gads",
        ],
    );
}

#[test]
fn counts_take_each_languages_plural_forms() {
    for (n, lv, en) in [
        (1, "lapa: 1 problēma;", "lapa: 1 problem found;"),
        (2, "lapa: 2 problēmas;", "lapa: 2 problems found;"),
        (11, "lapa: 11 problēmu;", "lapa: 11 problems found;"),
    ] {
        let site = TestSite::new();
        for i in 0..n {
            site.write(&format!("content/news/r{i}.md"), "---\ntitle: \"X\n---\n");
        }
        let said = stderr(&site.lapa_in(Some("lv"), &["build"]));
        assert!(said.contains(lv), "{lv} in:\n{said}");
        let said = stderr(&site.lapa_in(Some("en"), &["build"]));
        assert!(said.contains(en), "{en} in:\n{said}");
    }
}

#[test]
fn the_language_is_the_sites_then_the_systems_unless_asked() {
    let site = TestSite::new();
    site.report("news/kurss.md", "Kurss", "2024-03-28", "", "Teksts.");
    // The test site's first language is lv: Latvian, whatever the system says.
    let out = site.lapa_in(None, &["build"]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("Vietne uzbūvēta"), "{said}");
    // --messages wins over everything.
    let out = site.lapa_in(Some("lv"), &["build", "--messages", "en"]);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Built "));
    // An English site follows the system's language.
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://x.example/\nlanguages: [en]\n",
    );
    let run = |lang: &str| {
        let out = assert_cmd::Command::cargo_bin("lapa")
            .expect("the lapa binary")
            .env_remove("LAPA_LANG")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", lang)
            .args(["build", "--root"])
            .arg(site.path())
            .output()
            .expect("lapa runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(run("lv_LV.UTF-8").contains("Vietne uzbūvēta"));
    assert!(run("C.UTF-8").starts_with("Built "));
}
