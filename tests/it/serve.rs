//! `lapa serve`: what a school's editor gets while proofreading in the browser.

use crate::preview;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use preview::{
    Events, REPORT, REPORT_URL, SITE_YAML_MARK, Serve, eventually, free_port, listing, make_site,
    report, request,
};

const WAIT: Duration = Duration::from_secs(20);

/// A fresh site and a temp folder for the server, both removed at the end of the test.
fn site() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("site");
    let temp = dir.path().join("tmp");
    std::fs::create_dir_all(&temp).expect("mkdir");
    make_site(&site);
    (dir, site, temp)
}

#[test]
fn served_pages_get_the_live_script_and_built_files_do_not() {
    let (dir, site, temp) = site();
    let serve = Serve::start(&site, free_port(), &temp);
    let page = serve.get(REPORT_URL);
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains("<script src=\"/__lapa/live.js\""), "{html}");
    assert!(html.contains("Sākotnējais teksts par Budapeštu"), "{html}");
    // Links point at the preview, not at the real site.
    assert!(
        html.contains(&format!("{}news/budapest-mentorings/", serve.url)),
        "{html}"
    );
    let script = serve.get("/__lapa/live.js");
    assert_eq!(script.status, 200);
    assert!(script.text().contains("EventSource"));
    // Drafts and future reports are shown while proofreading.
    assert_eq!(serve.get("/news/melnraksts/").status, 200);
    assert_eq!(serve.get("/news/nakotne/").status, 200);

    let out = dir.path().join("built");
    let built = Command::new(env!("CARGO_BIN_EXE_lapa"))
        .env("LAPA_LANG", "en")
        .args(["build", "--drafts", "--root"])
        .arg(&site)
        .arg("--output")
        .arg(&out)
        .output()
        .expect("run lapa build");
    assert!(built.status.success(), "{built:?}");
    for file in listing(&out) {
        let name = file.split(' ').next().unwrap_or_default();
        let bytes = std::fs::read(out.join(name)).unwrap_or_default();
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__lapa"),
            "the built file {name} has the live script"
        );
    }
    assert!(!site.join("public").exists(), "serve wrote into the site");
}

#[test]
fn each_kind_of_file_has_its_content_type() {
    let (_dir, site, temp) = site();
    let serve = Serve::start(&site, free_port(), &temp);
    for (path, expected) in [
        ("/", "text/html; charset=utf-8"),
        (REPORT_URL, "text/html; charset=utf-8"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/logo.svg", "image/svg+xml"),
        ("/news/budapest.jpg", "image/jpeg"),
        ("/sitemap.xml", "xml"),
        ("/atom.xml", "xml"),
    ] {
        let res = serve.get(path);
        assert_eq!(res.status, 200, "{path}");
        let ctype = res.header("content-type").unwrap_or_default();
        assert!(ctype.contains(expected), "{path}: {ctype}");
        if !ctype.starts_with("text/html") {
            assert!(!res.text().contains("__lapa"), "{path} got the live script");
        }
    }
    // A folder without its slash is redirected to it, and a folder serves its index.html.
    let folder = serve.get("/news");
    assert!(matches!(folder.status, 301 | 307 | 308), "{folder:?}");
    assert_eq!(folder.header("location"), Some("/news/"));
    assert_eq!(serve.get("/news/").status, 200);
}

#[test]
fn a_missing_page_gets_the_404_page_with_status_404() {
    let (_dir, site, temp) = site();
    let serve = Serve::start(&site, free_port(), &temp);
    let res = serve.get("/news/nav-tadas-zinas/");
    assert_eq!(res.status, 404);
    let html = res.text();
    assert!(html.contains("<h1>404: "), "{html}");
    assert!(html.contains("/__lapa/live.js"), "{html}");
}

#[test]
fn nothing_outside_the_output_folder_is_served() {
    let (dir, site, temp) = site();
    std::fs::write(dir.path().join("outside.txt"), "outside-secret").expect("write");
    let serve = Serve::start(&site, free_port(), &temp);
    for target in [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/%2E%2E/site.yaml",
        "/..%2fsite.yaml",
        "/..%2Fsite.yaml",
        "/%2e%2e%2fsite.yaml",
        "/news/../../site.yaml",
        "/news/%2e%2e/%2e%2e/site.yaml",
        "/..%5csite.yaml",
        "/../../../../../etc/passwd",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/../outside.txt",
        "/%2e%2e/%2e%2e/outside.txt",
    ] {
        let res = serve.get(target);
        let body = res.text();
        assert_ne!(res.status, 200, "{target} was served");
        assert!(!body.contains(SITE_YAML_MARK), "{target} served site.yaml");
        assert!(
            !body.contains("outside-secret"),
            "{target} served a file outside"
        );
        assert!(!body.contains("root:x:0"), "{target} served /etc/passwd");
    }
}

#[cfg(unix)]
#[test]
fn a_link_in_content_to_a_file_outside_the_site_is_never_served() {
    let (dir, site, temp) = site();
    let secret = dir.path().join("secret.txt");
    std::fs::write(&secret, "outside-secret").expect("write");
    std::os::unix::fs::symlink(&secret, site.join("content/news/secret.txt")).expect("link");
    std::os::unix::fs::symlink(dir.path(), site.join("content/news/up")).expect("link");
    let serve = Serve::start(&site, free_port(), &temp);
    for target in ["/news/secret.txt", "/news/up/secret.txt", "/news/up/tmp/"] {
        let res = serve.get(target);
        assert!(
            !res.text().contains("outside-secret"),
            "{target} was served"
        );
    }
    // The build says why, in the page.
    let home = serve.get("/").text();
    assert!(home.contains("lapa-overlay"), "{home}");
    assert!(home.contains("outside the site"), "{home}");
}

#[test]
fn a_taken_port_is_skipped_and_the_chosen_one_printed() {
    let (_dir, site, temp) = site();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let serve = Serve::start(&site, port, &temp);
    assert!(serve.port > port, "{}", serve.url);
    assert_eq!(serve.url, format!("http://127.0.0.1:{}/", serve.port));
    assert_eq!(serve.get("/").status, 200);
}

#[test]
fn an_address_that_cannot_be_used_exits_1() {
    let (_dir, site, _temp) = site();
    // 192.0.2.1 is reserved for documentation: no machine has it.
    let out = Command::new(env!("CARGO_BIN_EXE_lapa"))
        .env("LAPA_LANG", "en")
        .args(["serve", "--interface", "192.0.2.1", "--root"])
        .arg(&site)
        .output()
        .expect("run lapa serve");
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("192.0.2.1"), "{err}");
    let usage = Command::new(env!("CARGO_BIN_EXE_lapa"))
        .env("LAPA_LANG", "en")
        .args(["serve", "--port", "not-a-port"])
        .output()
        .expect("run lapa serve");
    assert_eq!(usage.status.code(), Some(2));
}

fn stops_cleanly_on(signal: &str) {
    let (_dir, site, temp) = site();
    let before = listing(&site);
    let serve = Serve::start(&site, free_port(), &temp);
    let private = serve.private_folder();
    assert!(
        private.is_dir(),
        "no private folder at {}",
        private.display()
    );
    assert_eq!(serve.get(REPORT_URL).status, 200);
    let mut events = Events::connect(serve.port);
    assert!(events.next(WAIT).is_some());
    assert_eq!(
        serve.stop_with(signal),
        Some(0),
        "exit code after SIG{signal}"
    );
    assert!(
        !private.exists(),
        "the private folder is left after SIG{signal}"
    );
    assert_eq!(std::fs::read_dir(&temp).map(|d| d.count()).unwrap_or(0), 0);
    assert_eq!(before, listing(&site), "the site folder changed");
}

#[test]
fn sigterm_stops_cleanly() {
    stops_cleanly_on("TERM");
}

#[test]
fn sigint_stops_cleanly() {
    stops_cleanly_on("INT");
}

/// Wait for the next rebuild's event, skipping none.
fn next_build(events: &mut Events) -> serde_json::Value {
    events.next(WAIT).expect("an event after the save")
}

#[test]
fn saves_rebuild_the_site_and_tell_the_tabs() {
    let (_dir, site, temp) = site();
    let serve = Serve::start(&site, free_port(), &temp);
    let mut events = Events::connect(serve.port);
    let first = events.next(WAIT).expect("the current state first");
    assert!(first["error"].is_null(), "{first}");
    let report_path = site.join(REPORT);

    // A plain save.
    std::fs::write(&report_path, report("Otrais teksts.")).expect("save");
    let second = next_build(&mut events);
    assert_ne!(second["build"], first["build"]);
    assert!(serve.get(REPORT_URL).text().contains("Otrais teksts."));

    // Save as vim does: write a temp file, rename it over the report.
    let tmp = site.join(format!("{REPORT}.tmp"));
    std::fs::write(&tmp, report("Trešais teksts.")).expect("save");
    std::fs::rename(&tmp, &report_path).expect("rename");
    let third = next_build(&mut events);
    assert_ne!(third["build"], second["build"]);
    assert!(serve.get(REPORT_URL).text().contains("Trešais teksts."));

    // Delete and re-create; several files at once: one rebuild that sees all of it.
    std::fs::remove_file(&report_path).expect("delete");
    std::fs::write(&report_path, report("Ceturtais teksts.")).expect("save");
    std::fs::write(
        site.join("content/news/2024-05-27-lisabona.md"),
        "---\ntitle: \"Kurss Lisabonā, otrreiz\"\ndate: 2024-05-27\n---\nLisabona.\n",
    )
    .expect("save");
    let fourth = next_build(&mut events);
    assert!(fourth["error"].is_null(), "{fourth}");
    assert!(
        events.next(Duration::from_millis(1500)).is_none(),
        "one burst of saves made more than one rebuild"
    );
    assert!(serve.get(REPORT_URL).text().contains("Ceturtais teksts."));
    assert!(
        serve
            .get("/news/")
            .text()
            .contains("Kurss Lisabonā, otrreiz")
    );

    // Editor scratch files start no build.
    std::fs::write(site.join("content/news/.x.md.swp"), "swap").expect("save");
    std::fs::write(site.join("content/news/x.md~"), "backup").expect("save");
    assert!(events.next(Duration::from_millis(800)).is_none());

    // A deleted report disappears.
    std::fs::remove_file(&report_path).expect("delete");
    next_build(&mut events);
    assert_eq!(serve.get(REPORT_URL).status, 404);
}

/// How far apart the steps of an editor's save are here: more than an editor takes (a
/// millisecond or two), less than the watcher's wait for a file to be quiet.
const STEP: Duration = Duration::from_millis(4);

#[test]
fn a_save_made_in_two_steps_is_read_whole() {
    use std::io::Write as _;
    let (_dir, site, temp) = site();
    let serve = Serve::start(&site, free_port(), &temp);
    let mut events = Events::connect(serve.port);
    events.next(WAIT).expect("the current state first");
    let report_path = site.join(REPORT);
    let whole = |text: &str| report(text);
    let one_build = |events: &mut Events, what: &str, text: &str| {
        let built = next_build(events);
        assert!(
            built["error"].is_null(),
            "{what}: a half-saved file was read: {built}"
        );
        assert!(
            events.next(Duration::from_millis(600)).is_none(),
            "{what}: one save made more than one build"
        );
        assert!(
            serve.get(REPORT_URL).text().contains(text),
            "{what}: the page does not show the whole save"
        );
    };

    // In place: the file is emptied, then written in two parts (the front matter, half of
    // which alone is an error, then the rest).
    let text = whole("Saglabāts divos soļos.");
    let (head, tail) = text.split_at(text.find("date:").expect("a date line"));
    let mut file = std::fs::File::create(&report_path).expect("truncate");
    file.write_all(head.as_bytes()).expect("write");
    file.flush().expect("flush");
    std::thread::sleep(STEP);
    file.write_all(tail.as_bytes()).expect("write");
    drop(file);
    one_build(&mut events, "truncate and write", "Saglabāts divos soļos.");

    // As vim saves by default: the file becomes its backup, then a new file is written.
    let backup = site.join(format!("{REPORT}~"));
    std::fs::rename(&report_path, &backup).expect("rename to the backup");
    std::thread::sleep(STEP);
    std::fs::write(&report_path, whole("Saglabāts kā vim.")).expect("save");
    std::thread::sleep(STEP);
    std::fs::remove_file(&backup).expect("remove the backup");
    one_build(&mut events, "backup and write", "Saglabāts kā vim.");
}

#[test]
fn a_broken_save_shows_the_problem_and_keeps_the_last_good_site() {
    let (_dir, site, temp) = site();
    let serve = Serve::start(&site, free_port(), &temp);
    let mut events = Events::connect(serve.port);
    let good = events.next(WAIT).expect("the current state");
    let report_path = site.join(REPORT);
    std::fs::write(
        &report_path,
        "---\ntitle: \"<b>nepabeigts\ndate: 2024-03-28\n---\nTeksts.\n",
    )
    .expect("save");
    let broken = next_build(&mut events);
    let overlay = broken["error"].as_str().expect("an overlay").to_string();
    assert!(
        overlay.contains("content/news/2024-03-28-budapest-mentorings.md:"),
        "{overlay}"
    );
    assert!(
        !overlay.contains("<b>"),
        "the overlay is not escaped: {overlay}"
    );
    assert_eq!(
        broken["build"], good["build"],
        "the last good site is still served"
    );
    // A fresh load of any page shows the problem too, over the last good page.
    let page = serve.get(REPORT_URL);
    assert_eq!(page.status, 200);
    assert!(page.text().contains("Sākotnējais teksts"));
    assert!(page.text().contains("lapa-overlay"));
    assert!(serve.get("/").text().contains("budapest-mentorings.md"));

    // An unknown project, then a template error: each named.
    std::fs::write(
        &report_path,
        "---\ntitle: \"X\"\ndate: 2024-03-28\nproject: \"nav<i>tada\"\n---\nTeksts.\n",
    )
    .expect("save");
    let unknown = next_build(&mut events);
    let overlay = unknown["error"].as_str().unwrap_or_default();
    assert!(overlay.contains("nav&lt;i&gt;tada"), "{overlay}");
    std::fs::write(&report_path, report("Labots.")).expect("save");
    let fixed = next_build(&mut events);
    assert!(fixed["error"].is_null(), "{fixed}");
    assert_ne!(fixed["build"], good["build"]);
    let page = serve.get(REPORT_URL).text();
    assert!(
        page.contains("Labots.") && !page.contains("lapa-overlay"),
        "{page}"
    );

    std::fs::write(site.join("templates/report.html"), "{% if %}").expect("save");
    let template = next_build(&mut events);
    let overlay = template["error"].as_str().unwrap_or_default();
    assert!(overlay.contains("templates/report.html"), "{overlay}");
}

#[test]
fn a_site_that_never_built_shows_its_problems_until_fixed() {
    let (_dir, site, temp) = site();
    let config = std::fs::read_to_string(site.join("site.yaml")).expect("read");
    std::fs::write(site.join("site.yaml"), format!("{config}titel: typo\n")).expect("save");
    let serve = Serve::start(&site, free_port(), &temp);
    let page = serve.get(REPORT_URL);
    assert_eq!(page.status, 500);
    let html = page.text();
    assert!(
        html.contains("lapa-overlay") && html.contains("site.yaml"),
        "{html}"
    );
    assert!(html.contains("/__lapa/live.js"));
    std::fs::write(site.join("site.yaml"), config).expect("save");
    eventually(WAIT, "the fixed site is served", || {
        serve.get(REPORT_URL).status == 200
    });
    assert!(!serve.get(REPORT_URL).text().contains("lapa-overlay"));
}

#[test]
fn a_stylesheet_change_lets_tabs_swap_it_without_a_reload() {
    let (_dir, site, temp) = site();
    let serve = Serve::start(&site, free_port(), &temp);
    let mut events = Events::connect(serve.port);
    let first = events.next(WAIT).expect("the current state");
    std::fs::write(
        site.join("themes/default/static/style.css"),
        "body{color:red}",
    )
    .expect("save");
    let css = next_build(&mut events);
    assert_eq!(css["css_since"], first["build"], "{css}");
    assert!(serve.get("/style.css").text().contains("color:red"));
    std::fs::write(site.join(REPORT), report("Cits.")).expect("save");
    assert!(next_build(&mut events)["css_since"].is_null());
}

#[test]
fn the_site_folder_is_never_written() {
    let (_dir, site, temp) = site();
    let before = listing(&site);
    let serve = Serve::start(&site, free_port(), &temp);
    assert_eq!(serve.get("/").status, 200);
    drop(serve);
    assert_eq!(before, listing(&site));
    assert!(!Path::new(&site.join("public")).exists());
}

#[test]
fn head_of_a_page_says_the_length_get_sends() {
    let (_dir, site, temp) = site();
    let serve = Serve::start(&site, free_port(), &temp);
    let host = format!("Host: 127.0.0.1:{}", serve.port);
    for path in [REPORT_URL, "/", "/news/nav-tadas-zinas/", "/style.css"] {
        let get = serve.get(path);
        let head = request(serve.port, "HEAD", path, &[host.as_str()]);
        assert_eq!(head.status, get.status, "{path}");
        assert!(head.body.is_empty(), "{path}: HEAD sent a body");
        assert_eq!(
            head.header("content-length"),
            Some(get.body.len().to_string().as_str()),
            "{path}: HEAD's length is not GET's ({} bytes)",
            get.body.len()
        );
        assert_eq!(
            head.header("content-type"),
            get.header("content-type"),
            "{path}"
        );
    }
}

#[test]
fn a_range_of_a_page_is_the_page_with_the_live_script() {
    let (_dir, site, temp) = site();
    let serve = Serve::start(&site, free_port(), &temp);
    let host = format!("Host: 127.0.0.1:{}", serve.port);
    let whole = serve.get(REPORT_URL);
    assert!(whole.text().contains("/__lapa/live.js"));
    for range in [
        "Range: bytes=0-",
        "Range: bytes=0-99",
        "Range: bytes=999999-",
    ] {
        let res = request(serve.port, "GET", REPORT_URL, &[host.as_str(), range]);
        assert_eq!(res.status, 200, "{range}: {:?}", res.headers);
        assert_eq!(res.text(), whole.text(), "{range}");
        assert_eq!(res.header("accept-ranges"), None, "{range}");
    }
    // Files lapa adds nothing to still answer a range.
    let css = request(
        serve.port,
        "GET",
        "/style.css",
        &[host.as_str(), "Range: bytes=0-3"],
    );
    assert_eq!(css.status, 206, "{:?}", css.headers);
    assert_eq!(css.text(), "body");
}

#[test]
fn only_requests_addressed_to_the_preview_are_answered() {
    let (_dir, site, temp) = site();
    let serve = Serve::start(&site, free_port(), &temp);
    let port = serve.port;
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LOCALHOST:{port}"),
        "localhost".to_string(),
        format!("[::1]:{port}"),
    ] {
        let line = format!("Host: {host}");
        let res = request(port, "GET", REPORT_URL, &[line.as_str()]);
        assert_eq!(res.status, 200, "{host}");
    }
    // A page on the internet whose name now leads to 127.0.0.1 (DNS rebinding) sends
    // its own name: it must read nothing, not the pages, not the script, not the events.
    for host in [
        format!("attacker.example:{port}"),
        "attacker.example".to_string(),
        format!("localhost.attacker.example:{port}"),
        format!("127.0.0.1.attacker.example:{port}"),
        format!("192.168.1.20:{port}"),
    ] {
        let line = format!("Host: {host}");
        for path in [
            REPORT_URL,
            "/news/melnraksts/",
            "/__lapa/live.js",
            "/__lapa/events",
        ] {
            let res = request(port, "GET", path, &[line.as_str()]);
            assert_eq!(res.status, 421, "{host} {path}: {:?}", res.headers);
            let text = res.text();
            assert!(!text.contains("Budapešt"), "{host} {path}: {text}");
            assert!(!text.contains("EventSource"), "{host} {path}: {text}");
            assert!(text.contains("127.0.0.1"), "{host} {path}: {text}");
        }
    }
    let no_host = request(port, "GET", REPORT_URL, &[]);
    assert_eq!(no_host.status, 421, "{:?}", no_host.headers);
}

#[test]
fn listening_on_every_network_warns_and_still_refuses_other_names() {
    let (_dir, site, temp) = site();
    let serve = Serve::start_with(&site, free_port(), &temp, &["--interface", "0.0.0.0"]);
    let port = serve.port;
    let mut printed = serve.seen.join("\n");
    while let Ok(line) = serve.lines.recv_timeout(Duration::from_millis(300)) {
        printed.push_str(&line);
    }
    assert!(
        printed.contains("drafts") && printed.contains("network"),
        "no warning: {printed}"
    );
    // Colleagues use this computer's address: any address of it is answered.
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("192.168.1.20:{port}"),
        format!("[fe80::1]:{port}"),
    ] {
        let line = format!("Host: {host}");
        assert_eq!(
            request(port, "GET", "/", &[line.as_str()]).status,
            200,
            "{host}"
        );
    }
    let line = format!("Host: attacker.example:{port}");
    assert_eq!(request(port, "GET", "/", &[line.as_str()]).status, 421);
}

#[test]
fn an_interface_given_is_answered_by_its_address() {
    let (_dir, site, temp) = site();
    let serve = Serve::start_with(&site, free_port(), &temp, &["--interface", "127.0.0.2"]);
    let port = serve.port;
    let mut stream = std::net::TcpStream::connect(("127.0.0.2", port)).expect("connect");
    use std::io::{Read, Write};
    write!(stream, "GET / HTTP/1.0\r\nHost: 127.0.0.2:{port}\r\n\r\n").expect("send");
    let mut raw = String::new();
    let _ = stream.read_to_string(&mut raw);
    assert!(
        raw.starts_with("HTTP/1.0 200") || raw.starts_with("HTTP/1.1 200"),
        "{raw}"
    );
    let mut stream = std::net::TcpStream::connect(("127.0.0.2", port)).expect("connect");
    write!(
        stream,
        "GET / HTTP/1.0\r\nHost: attacker.example:{port}\r\n\r\n"
    )
    .expect("send");
    let mut raw = String::new();
    let _ = stream.read_to_string(&mut raw);
    assert!(raw.contains(" 421 "), "{raw}");
}

#[cfg(unix)]
#[test]
fn the_preview_folder_is_private_to_the_user() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, site, temp) = site();
    let serve = Serve::start(&site, free_port(), &temp);
    let private = serve.private_folder();
    let mode = std::fs::metadata(&private)
        .expect("the folder")
        .permissions()
        .mode();
    assert_eq!(
        format!("{:o}", mode & 0o777),
        "700",
        "{} is readable by others",
        private.display()
    );
}

#[test]
fn the_overlay_and_the_terminal_say_the_same_in_the_sites_language() {
    // The test site's first language is lv, and nothing else asks for a language.
    let (_dir, site, temp) = site();
    let serve = Serve::start_speaking(&site, free_port(), &temp, &[], None);
    let mut events = Events::connect(serve.port);
    events.next(WAIT).expect("the current state");
    std::fs::write(
        site.join(REPORT),
        "---\ntitle: \"Kurss Budapeštā\ndate: 2024-03-28\n---\nTeksts.\n",
    )
    .expect("save");
    let broken = next_build(&mut events);
    let overlay = broken["error"].as_str().expect("an overlay").to_string();
    for words in [
        "lapa nevarēja uzbūvēt vietni",
        "kļūda",
        "`title` vērtība atver pēdiņas",
    ] {
        assert!(
            overlay.contains(words),
            "`{words}` in the overlay: {overlay}"
        );
    }
    assert!(
        overlay.contains("2024-03-28-budapest-mentorings.md:2"),
        "the line the quote opens on: {overlay}"
    );
    // The terminal has the same sentence.
    let mut seen = Vec::new();
    let said = loop {
        let line = serve
            .lines
            .recv_timeout(WAIT)
            .unwrap_or_else(|_| panic!("the terminal never said it: {seen:?}"));
        if line.contains("`title` vērtība atver pēdiņas") {
            break line;
        }
        seen.push(line);
    };
    assert!(
        said.contains("2024-03-28-budapest-mentorings.md:2") && said.contains("kļūda"),
        "{said}"
    );
}
