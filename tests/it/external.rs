//! `lapa check --external`: links to other websites, asked for over the network, here a
//! small web server on 127.0.0.1 that plays those websites and counts what it is asked.

use crate::common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use assert_cmd::Command;
use common::*;

/// One request the server answered.
#[derive(Debug, Clone)]
struct Request {
    method: String,
    path: String,
    user_agent: String,
}

/// A web server on an ephemeral port of 127.0.0.1, one thread a connection:
/// `/ok`, `/landing` and `/ceļš` are pages, `/moved` redirects to `/landing`,
/// `/head-not-allowed` answers HEAD with 405 and GET with a page, `/slow` answers after
/// 3 s, the rest is 404.
struct Web {
    scheme: &'static str,
    port: u16,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl Web {
    fn start() -> Web {
        Web::serve(None)
    }

    /// The same over TLS, with a certificate for 127.0.0.1 and localhost signed by
    /// `tests/tls/authority.pem`, an authority no computer trusts unless told to.
    fn start_secure() -> Web {
        let certificate = include_bytes!("../tls/website.der").to_vec();
        let key = include_bytes!("../tls/website.key.der").to_vec();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(
                vec![certificate.into()],
                rustls::pki_types::PrivatePkcs8KeyDer::from(key).into(),
            )
            .expect("the test certificate");
        Web::serve(Some(Arc::new(config)))
    }

    fn serve(tls: Option<Arc<rustls::ServerConfig>>) -> Web {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
        let port = listener.local_addr().expect("its address").port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        let scheme = if tls.is_some() { "https" } else { "http" };
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let seen = Arc::clone(&seen);
                let tls = tls.clone();
                std::thread::spawn(move || match tls {
                    None => answer(stream, &seen),
                    Some(config) => {
                        if let Ok(connection) = rustls::ServerConnection::new(config) {
                            let mut stream = rustls::StreamOwned::new(connection, stream);
                            answer(&mut stream, &seen);
                            stream.conn.send_close_notify();
                            let _ = stream.flush();
                        }
                    }
                });
            }
        });
        Web {
            scheme,
            port,
            requests,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}://127.0.0.1:{}{path}", self.scheme, self.port)
    }

    fn requests(&self) -> Vec<Request> {
        self.requests.lock().expect("requests").clone()
    }

    /// How many requests asked for `path`, with `method` or any.
    fn asked(&self, method: Option<&str>, path: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.path == path && method.is_none_or(|m| r.method == m))
            .count()
    }
}

fn answer(mut stream: impl Read + Write, seen: &Mutex<Vec<Request>>) {
    let mut reader = BufReader::new(&mut stream);
    let mut first = String::new();
    if reader.read_line(&mut first).is_err() {
        return;
    }
    let mut user_agent = String::new();
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) if line == "\r\n" => break,
            Ok(_) => {
                if let Some((name, value)) = line.split_once(':')
                    && name.eq_ignore_ascii_case("user-agent")
                {
                    user_agent = value.trim().to_string();
                }
            }
        }
    }
    drop(reader);
    let mut parts = first.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let path = parts.next().unwrap_or_default().to_string();
    seen.lock().expect("requests").push(Request {
        method: method.clone(),
        path: path.clone(),
        user_agent,
    });
    // As a proxy (`HTTP_PROXY`): the client names the website in CONNECT, then sends its
    // request through the tunnel, which leads here again.
    if method == "CONNECT" {
        if write!(stream, "HTTP/1.1 200 Connection established\r\n\r\n").is_ok() {
            answer(stream, seen);
        }
        return;
    }
    let (status, headers) = match (method.as_str(), path.as_str()) {
        (_, "/ok" | "/landing" | "/ce%C4%BC%C5%A1") => ("200 OK", ""),
        ("HEAD", "/head-not-allowed") => ("405 Method Not Allowed", "Allow: GET\r\n"),
        ("GET", "/head-not-allowed") => ("200 OK", ""),
        (_, "/moved") => ("301 Moved Permanently", "Location: /landing\r\n"),
        (_, "/slow") => {
            std::thread::sleep(Duration::from_secs(3));
            ("200 OK", "")
        }
        _ => ("404 Not Found", ""),
    };
    let page = "<!doctype html><title>x</title>";
    let body = if method == "HEAD" { "" } else { page };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\n{headers}Content-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        page.len()
    );
}

/// A port nothing listens on: taken, then let go.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("its address").port()
}

/// `lapa ARGS --root SITE`, with no proxy between it and 127.0.0.1.
fn lapa(site: &TestSite, args: &[&str]) -> std::process::Output {
    lapa_trusting(site, args, None)
}

/// The same, trusting only the certificates in `authorities` when given.
fn lapa_trusting(
    site: &TestSite,
    args: &[&str],
    authorities: Option<&std::path::Path>,
) -> std::process::Output {
    let mut cmd = Command::cargo_bin("lapa").expect("the lapa binary");
    cmd.env("LAPA_LANG", "en");
    cmd.env_remove("SSL_CERT_FILE").env_remove("SSL_CERT_DIR");
    if let Some(file) = authorities {
        cmd.env("SSL_CERT_FILE", file);
    }
    for proxy in [
        "ALL_PROXY",
        "all_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
    ] {
        cmd.env_remove(proxy);
    }
    cmd.args(args)
        .arg("--root")
        .arg(site.path())
        .output()
        .expect("lapa runs")
}

/// The lines of `err` that name `place` (`content/…md:9:`).
fn lines_at<'e>(err: &'e str, place: &str) -> Vec<&'e str> {
    err.lines().filter(|l| l.starts_with(place)).collect()
}

#[test]
fn external_links_are_checked_only_when_asked_and_each_address_once() {
    let web = Web::start();
    let refused = format!("http://127.0.0.1:{}/", closed_port());
    let site = TestSite::new();
    // A body starts on the file's line 5, or 6 below a line of more front matter.
    site.report(
        "news/2024-03-28-a.md",
        "A",
        "2024-03-28",
        "",
        &format!(
            "Ievads.\n\n[darbojas]({ok})\n\n[pazudis]({missing})\n\n[lēns]({slow})\n\n[bez HEAD]({head})\n\n[pārcelts]({moved})\n\n[slēgts]({refused})\n\n![Foto no kursa]({missing}#foto)\n\n[ceļš]({path})",
            ok = web.url("/ok"),
            missing = web.url("/missing"),
            slow = web.url("/slow"),
            head = web.url("/head-not-allowed"),
            moved = web.url("/moved"),
            path = web.url("/ceļš"),
        ),
    )
    .report(
        "news/2024-04-01-b.md",
        "B",
        "2024-04-01",
        &format!(
            "cover: {{ src: \"{}\", alt: Foto }}\n",
            web.url("/gone.jpg")
        ),
        &format!(
            "[atkal]({}) un [atkal pazudis]({})",
            web.url("/ok"),
            web.url("/missing")
        ),
    );

    site.write(
        "content/projects/kompetents-iii.md",
        &format!("{PROJECT}\n[Projekta lapa]({})\n", web.url("/project")),
    );

    let out = lapa(&site, &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        web.requests().is_empty(),
        "without --external nothing is asked: {:?}",
        web.requests()
    );

    let out = lapa(&site, &["check", "--external", "--timeout", "1"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let a = "content/news/2024-03-28-a.md";
    let b = "content/news/2024-04-01-b.md";
    let missing = format!(
        "error: the external link {} answered 404 (not found)",
        web.url("/missing")
    );
    for (place, expected) in [
        (format!("{a}:9:"), missing.clone()),
        (
            format!("{a}:11:"),
            format!(
                "warning: the external link {} did not answer within 1 s",
                web.url("/slow")
            ),
        ),
        (
            format!("{a}:17:"),
            format!(
                "error: the external link {refused} cannot be reached: nothing answers at {} (connection refused)",
                refused.trim_start_matches("http://").trim_end_matches('/')
            ),
        ),
        (
            format!("{a}:19:"),
            format!(
                "error: the external link {}#foto answered 404",
                web.url("/missing")
            ),
        ),
        (format!("{b}:6:"), missing),
        (
            format!("{b}:4:"),
            format!(
                "error: the external link {} answered 404",
                web.url("/gone.jpg")
            ),
        ),
        (
            "content/projects/kompetents-iii.md:13:".to_string(),
            format!(
                "error: the external link {} answered 404",
                web.url("/project")
            ),
        ),
    ] {
        let lines = lines_at(&err, &place);
        assert_eq!(lines.len(), 1, "one problem at {place}:\n{err}");
        assert!(
            lines[0].contains(&expected),
            "`{expected}` at {place}:\n{err}"
        );
    }
    for good in ["/ok", "/head-not-allowed", "/moved", "/landing", "/ceļš"] {
        assert!(
            !err.contains(&format!("{} ", web.url(good))),
            "{good} works and is not reported:\n{err}"
        );
    }
    assert_eq!(
        err.lines().filter(|l| l.contains("external link")).count(),
        7,
        "{err}"
    );

    assert_eq!(web.asked(None, "/ok"), 1, "linked twice, asked once");
    assert_eq!(web.asked(Some("HEAD"), "/ok"), 1, "with HEAD");
    assert_eq!(web.asked(None, "/missing"), 2, "HEAD, then GET to be sure");
    assert_eq!(
        web.asked(Some("GET"), "/head-not-allowed"),
        1,
        "GET after a 405"
    );
    assert_eq!(web.asked(None, "/landing"), 1, "the redirect is followed");
    assert_eq!(web.asked(None, "/slow"), 1, "a time-out is not asked again");
    assert_eq!(
        web.asked(Some("HEAD"), "/ce%C4%BC%C5%A1"),
        1,
        "Latvian letters are sent %-encoded"
    );
    let agents: Vec<String> = web.requests().into_iter().map(|r| r.user_agent).collect();
    let expected = format!("lapa/{} (link check)", env!("CARGO_PKG_VERSION"));
    assert!(agents.iter().all(|a| *a == expected), "{agents:?}");
    assert!(!site.public().exists(), "check writes nothing");
}

#[test]
fn a_site_with_content_errors_asks_nothing() {
    let web = Web::start();
    let site = TestSite::new();
    site.report(
        "news/2024-03-28-a.md",
        "A",
        "2024-03-28",
        "project: nav-tada\n",
        &format!("[darbojas]({})", web.url("/ok")),
    );
    let out = lapa(&site, &["check", "--external"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("nav-tada"), "{}", stderr(&out));
    assert!(web.requests().is_empty(), "{:?}", web.requests());
}

#[test]
fn timeout_needs_external_and_a_sensible_number() {
    let site = TestSite::new();
    for args in [
        &["check", "--timeout", "5"][..],
        &["check", "--external", "--timeout", "nulle"],
        &["check", "--external", "--timeout", "0"],
    ] {
        let out = lapa(&site, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
}

/// The certificates a secure website is checked against are the computer's own (on Linux,
/// the system's store, or the file in `SSL_CERT_FILE`), as its browser's are.
#[cfg(target_os = "linux")]
#[test]
fn secure_websites_are_checked_with_the_computers_certificates() {
    let web = Web::start_secure();
    let site = TestSite::new();
    site.report(
        "news/2024-03-28-a.md",
        "A",
        "2024-03-28",
        "",
        &format!(
            "[droši]({})\n\n[pazudis]({})",
            web.url("/ok"),
            web.url("/missing")
        ),
    );
    let a = "content/news/2024-03-28-a.md";

    let out = lapa(&site, &["check", "--external"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    for (place, path) in [(format!("{a}:5:"), "/ok"), (format!("{a}:7:"), "/missing")] {
        let expected = format!(
            "error: the external link {} could not be opened securely: the website's security certificate is not signed by an authority this computer trusts",
            web.url(path)
        );
        assert_eq!(lines_at(&err, &place).len(), 1, "{err}");
        assert!(err.contains(&expected), "`{expected}` in\n{err}");
    }
    assert!(web.requests().is_empty(), "{:?}", web.requests());

    let authority =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/tls/authority.pem");
    let out = lapa_trusting(&site, &["check", "--external"], Some(&authority));
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(lines_at(&err, &format!("{a}:5:")).is_empty(), "{err}");
    assert!(
        lines_at(&err, &format!("{a}:7:"))
            .iter()
            .any(|l| l.contains("answered 404 (not found)")),
        "{err}"
    );
    assert_eq!(web.asked(Some("HEAD"), "/ok"), 1);
}

#[test]
fn an_internationalised_domain_is_asked_by_its_ascii_name() {
    // `.lv` has names with Latvian letters; DNS knows them by their punycode form. The
    // test server stands in as the proxy, so it sees the name lapa asks for.
    let web = Web::start();
    let site = TestSite::new();
    let port = web.port;
    site.report(
        "news/2024-03-28-a.md",
        "A",
        "2024-03-28",
        "",
        &format!(
            "Ievads.\n\n[mājas](http://mājas.lv:{port}/ok)\n\n[ģimene](http://ĢIMENE.lv:{port}/missing)\n"
        ),
    );
    let out = Command::cargo_bin("lapa")
        .expect("the lapa binary")
        .env("LAPA_LANG", "en")
        .env("HTTP_PROXY", format!("http://127.0.0.1:{port}"))
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("http_proxy")
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .args(["check", "--external", "--root"])
        .arg(site.path())
        .output()
        .expect("lapa runs");
    let err = stderr(&out);
    let connects: Vec<String> = web
        .requests()
        .iter()
        .filter(|r| r.method == "CONNECT")
        .map(|r| r.path.clone())
        .collect();
    assert!(
        connects.contains(&format!("xn--mjas-qsa.lv:{port}")),
        "{connects:?}\n{err}"
    );
    assert!(
        connects.contains(&format!("xn--imene-71a.lv:{port}")),
        "{connects:?}\n{err}"
    );
    assert_eq!(web.asked(None, "/ok"), 1, "{:?}", web.requests());
    assert_eq!(out.status.code(), Some(1), "{err}");
    let a = "content/news/2024-03-28-a.md";
    assert_eq!(
        lines_at(&err, &format!("{a}:9:")),
        [format!(
            "{a}:9: error: the external link http://ĢIMENE.lv:{port}/missing answered 404 (not found): the page is gone or the address is mistyped; open it in a browser and fix or remove the link"
        )],
        "{err}"
    );
    assert!(lines_at(&err, &format!("{a}:7:")).is_empty(), "{err}");
}
