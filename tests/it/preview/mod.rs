//! Shared by the serve tests: a small real site, a running `lapa serve`, and a tiny
//! HTTP/1.x client on `std::net` (so the tests need no HTTP library).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The report the tests open and edit.
pub const REPORT: &str = "content/news/2024-03-28-budapest-mentorings.md";
/// Its URL.
pub const REPORT_URL: &str = "/news/budapest-mentorings/";
/// Text in site.yaml, so a test can tell if site.yaml itself was ever served.
pub const SITE_YAML_MARK: &str = "never-served-site-yaml";

const PAGE_TYPES: [&str; 13] = [
    "index", "section", "report", "page", "tags", "tag", "archive", "year", "projects", "project",
    "search", "404", "mobility",
];

/// The text of the test report, with `words` as its body.
pub fn report(words: &str) -> String {
    format!(
        "---\ntitle: \"Mentorings Budapeštā\"\ndate: 2024-03-28\nauthors: [Ināra Jasvina]\n\
         project: kompetents-skolotajs-iii\ntags: [mentorings]\n---\n{words}\n"
    )
}

/// Write a small, complete site into `root`: two languages, a project, reports (one a
/// draft, one dated in the future), an image, a stylesheet and an SVG.
pub fn make_site(root: &Path) {
    let write = |rel: &str, text: &[u8]| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("a file has a folder")).expect("mkdir");
        std::fs::write(path, text).expect("write a site file");
    };
    write(
        "site.yaml",
        format!(
            "# {SITE_YAML_MARK}\ntitle: Daugavpils Valstspilsētas vidusskola\n\
             base_url: https://www.example.lv/\nlanguages: [lv, en]\ntheme: default\npaginate: 5\n"
        )
        .as_bytes(),
    );
    write(
        "i18n/lv.yaml",
        "months: [janvāris, februāris, marts, aprīlis, maijs, jūnijs, jūlijs, augusts, septembris, oktobris, novembris, decembris]\n\
         date_format: \"{year}. gada {day}. {month}\"\nlanguage_name: Latviešu\nnot_found: Lapa nav atrasta\n"
            .as_bytes(),
    );
    write(
        "i18n/en.yaml",
        "months: [January, February, March, April, May, June, July, August, September, October, November, December]\n\
         date_format: \"{day} {month} {year}\"\nlanguage_name: English\nnot_found: Page not found\n"
            .as_bytes(),
    );
    for name in PAGE_TYPES {
        let template = format!(
            "<!doctype html><html lang=\"{{{{ lang }}}}\"><head><meta charset=\"utf-8\">\
             <title>{{{{ title }}}}</title><link rel=\"canonical\" href=\"{{{{ permalink }}}}\">\
             <link rel=\"stylesheet\" href=\"/style.css\"></head><body><main>\n<h1>{name}: {{{{ title }}}}</h1>\n\
             {{% if page %}}{{{{ page.content | safe }}}}{{% endif %}}\n\
             {{% if pages %}}{{% for p in pages %}}<a href=\"{{{{p.url}}}}\">{{{{p.title}}}}</a>{{% endfor %}}{{% endif %}}\n\
             </main></body></html>\n"
        );
        write(&format!("templates/{name}.html"), template.as_bytes());
    }
    write(
        "themes/default/static/style.css",
        b"body { font-family: sans-serif; }\n",
    );
    write(
        "themes/default/static/logo.svg",
        b"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 3 2\"><rect width=\"3\" height=\"2\" fill=\"#003399\"/></svg>\n",
    );
    write(
        "content/projects/kompetents-skolotajs-iii.md",
        "---\ntitle: \"Kompetents skolotājs III\"\ncode: 2023-1-LV01-KA121-SCH-000138745\n\
         programme: erasmus-plus\nbeneficiary: Daugavpils Valstspilsētas vidusskola\n\
         agency: Valsts izglītības attīstības aģentūra\nstart: 2023-06-01\nend: 2025-05-31\n---\n\
         Projekta mērķi un rezultāti.\n"
            .as_bytes(),
    );
    write("content/news/_index.md", b"---\ntitle: Jaunumi\n---\n");
    write(
        REPORT,
        report("Sākotnējais teksts par Budapeštu.").as_bytes(),
    );
    write(
        "content/news/2024-05-27-lisabona.md",
        "---\ntitle: \"Kurss Lisabonā\"\ndate: 2024-05-27\nproject: kompetents-skolotajs-iii\n---\nLisabona.\n"
            .as_bytes(),
    );
    write(
        "content/news/2024-06-01-melnraksts.md",
        b"---\ntitle: \"Melnraksts\"\ndate: 2024-06-01\ndraft: true\n---\nVel top.\n",
    );
    write(
        "content/news/2099-01-01-nakotne.md",
        "---\ntitle: \"Nākotnes ziņa\"\ndate: 2099-01-01\n---\nVēl nav.\n".as_bytes(),
    );
    // Enough of a JPEG for its type; the content type comes from the name.
    write(
        "content/news/budapest.jpg",
        &[
            0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0, 0xFF, 0xD9,
        ],
    );
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A running `lapa serve`, killed when dropped if it is still running.
pub struct Serve {
    pub child: Child,
    pub url: String,
    pub port: u16,
    /// Every later line of its output (stdout and stderr).
    pub lines: mpsc::Receiver<String>,
    /// Its temp folder (its `TMPDIR`), where its private output lives.
    pub temp: PathBuf,
    /// What it printed before the address.
    pub seen: Vec<String>,
}

impl Serve {
    /// Start `lapa serve --root site --port port` and wait until it says where it serves.
    pub fn start(site: &Path, port: u16, temp: &Path) -> Serve {
        Serve::start_with(site, port, temp, &[])
    }

    /// The same with more arguments (e.g. `--interface`); every line it printed before
    /// the address is in `seen`.
    pub fn start_with(site: &Path, port: u16, temp: &Path, args: &[&str]) -> Serve {
        Serve::start_speaking(site, port, temp, args, Some("en"))
    }

    /// The same with `LAPA_LANG` set to `lang`, or unset (`None`: the site's language
    /// and the system's decide what it says).
    pub fn start_speaking(
        site: &Path,
        port: u16,
        temp: &Path,
        args: &[&str],
        lang: Option<&str>,
    ) -> Serve {
        let mut command = Command::new(env!("CARGO_BIN_EXE_lapa"));
        match lang {
            Some(lang) => command.env("LAPA_LANG", lang),
            None => command.env_remove("LAPA_LANG"),
        };
        let mut child = command
            .args(["serve", "--root"])
            .arg(site)
            .args(["--port", &port.to_string()])
            .args(args)
            .env("TMPDIR", temp)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start lapa serve");
        let (tx, lines) = mpsc::channel();
        let out = child.stdout.take().expect("stdout");
        let err = child.stderr.take().expect("stderr");
        for stream in [Box::new(out) as Box<dyn Read + Send>, Box::new(err)] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok(line) = lines.recv_timeout(left) else {
                let _ = child.kill();
                let _ = child.wait();
                panic!("lapa serve never said where it serves: {seen:?}");
            };
            let at = if line.starts_with("Serving") {
                " at "
            } else {
                " adresē "
            };
            if let Some(url) = line
                .split(at)
                .nth(1)
                .filter(|_| line.starts_with("Serving") || line.starts_with("Priekšskatījums"))
            {
                let url = url.trim().to_string();
                let port = url
                    .trim_end_matches('/')
                    .rsplit(':')
                    .next()
                    .and_then(|p| p.parse().ok())
                    .expect("a port in the URL");
                return Serve {
                    child,
                    url,
                    port,
                    lines,
                    temp: temp.to_path_buf(),
                    seen,
                };
            }
            seen.push(line);
        }
    }

    /// The private output folder of this server.
    pub fn private_folder(&self) -> PathBuf {
        self.temp.join(format!("lapa-serve-{}", self.child.id()))
    }

    /// GET `path` from this server.
    pub fn get(&self, path: &str) -> Response {
        get(self.port, path)
    }

    /// Send `signal` (e.g. "TERM") and wait for the exit code.
    pub fn stop_with(mut self, signal: &str) -> Option<i32> {
        let status = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.child.id().to_string())
            .status()
            .expect("run kill");
        assert!(status.success());
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("lapa serve did not stop within 20 s of SIG{signal}");
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// An HTTP response.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// GET `target` exactly as written (no normalising of `..` or `%2e`).
pub fn get(port: u16, target: &str) -> Response {
    let host = format!("Host: 127.0.0.1:{port}");
    request(port, "GET", target, &[host.as_str()])
}

/// `method target` with exactly the header lines `headers` (`Host` included, or not).
pub fn request(port: u16, method: &str, target: &str, headers: &[&str]) -> Response {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let mut head = format!("{method} {target} HTTP/1.0\r\n");
    for line in headers {
        head.push_str(line);
        head.push_str("\r\n");
    }
    head.push_str("Connection: close\r\n\r\n");
    stream.write_all(head.as_bytes()).expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the response");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header block");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Response {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

/// A client on the event stream, as a browser tab is.
pub struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    /// Connect and read the response's header block.
    pub fn connect(port: u16) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        write!(
            stream,
            "GET /__lapa/events HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .expect("send");
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        loop {
            line.clear();
            reader.read_line(&mut line).expect("read headers");
            if line.trim().is_empty() {
                break;
            }
        }
        Events { reader }
    }

    /// The next event's data (a JSON object), or `None` after `timeout`.
    pub fn next(&mut self, timeout: Duration) -> Option<serde_json::Value> {
        let deadline = Instant::now() + timeout;
        let mut line = String::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            let stream = self.reader.get_ref();
            stream.set_read_timeout(Some(left)).ok()?;
            line.clear();
            match self.reader.read_line(&mut line) {
                Ok(0) => return None,
                Ok(_) => {
                    if let Some(data) = line.trim_end().strip_prefix("data: ") {
                        return serde_json::from_str(data).ok();
                    }
                }
                Err(_) => return None,
            }
        }
    }
}

/// Every file under `dir` with its size and modification time, for before/after checks.
pub fn listing(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            if meta.is_dir() {
                stack.push(path.clone());
            }
            out.push(format!(
                "{} {} {:?}",
                path.strip_prefix(dir).unwrap_or(&path).display(),
                meta.len(),
                meta.modified().ok()
            ));
        }
    }
    out.sort();
    out
}

/// Wait until `check` holds, polling; panic with `what` after `timeout`.
pub fn eventually(timeout: Duration, what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if check() {
            return;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    panic!("timed out waiting until {what}");
}
