//! `lapa check --external`: ask every other website the content links to whether the
//! page is still there. Each address is asked once however often it is linked (HEAD, and
//! GET when the server refuses HEAD), a few at a time and at most two at a time per
//! website, each within a time limit. Nothing else in lapa touches the network.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::panic::AssertUnwindSafe;
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::Duration;

use crate::error::{Diagnostic, Diagnostics};
use crate::msg;
use crate::site::ExternalLink;

/// How `--external` asks.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The longest one address may take to answer, redirects included.
    pub timeout: Duration,
    /// Addresses asked at the same time.
    pub parallel: usize,
    /// Addresses of one website asked at the same time.
    pub per_site: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            timeout: Duration::from_secs(10),
            parallel: 8,
            per_site: 2,
        }
    }
}

/// Redirects followed before an address counts as broken.
const MAX_REDIRECTS: u32 = 10;

/// The problems with the links in `links`: each address asked once, each place reported.
pub fn problems(links: &[ExternalLink], settings: &Settings) -> Diagnostics {
    let mut places: BTreeMap<&str, Vec<&ExternalLink>> = BTreeMap::new();
    for link in links {
        let address = link.url.split('#').next().unwrap_or_default();
        places.entry(address).or_default().push(link);
    }
    let addresses: Vec<&str> = places.keys().copied().collect();
    let answers = ask_all(&addresses, settings);
    let mut problems = Diagnostics::default();
    if let Some(offline) = offline(&addresses, &answers) {
        problems.push(offline);
        return problems;
    }
    for (places, answer) in places.values().zip(&answers) {
        let Some(verdict) = verdict(answer, settings.timeout) else {
            continue;
        };
        for place in places {
            let d = Diagnostic::new(
                &place.file,
                msg!("external-link", url = place.url, verdict = verdict.text),
            )
            .at(place.line, None);
            problems.push(if verdict.warning { d.warning() } else { d });
        }
    }
    problems
}

/// What asking an address came to.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Answer {
    /// The final HTTP status, after redirects.
    Status(u16),
    TimedOut,
    /// The domain name does not exist (or no name server could be reached).
    NoSuchHost(String),
    /// Nothing listens at the host and port.
    Refused(String),
    /// No connection for another reason, in words.
    NoConnection(String),
    /// The secure connection failed, in words.
    Insecure(String),
    TooManyRedirects,
    NotAnAddress,
    /// Anything else, in words.
    Failed(String),
    /// lapa could not ask, which says nothing about the link, in words.
    NotAsked(String),
}

/// A problem to report about one address.
#[derive(Debug, PartialEq, Eq)]
struct Verdict {
    /// What comes after "the external link URL".
    text: String,
    /// Likely to pass by itself (a busy or slow server): listed, but `check` still passes.
    warning: bool,
}

fn verdict(answer: &Answer, timeout: Duration) -> Option<Verdict> {
    let error = |text: String| {
        Some(Verdict {
            text,
            warning: false,
        })
    };
    let warning = |text: String| {
        Some(Verdict {
            text,
            warning: true,
        })
    };
    match answer {
        Answer::Status(200..=299) => None,
        Answer::Status(429) => warning(msg!("external-429")),
        Answer::Status(code @ 500..=599) => warning(msg!(
            "external-5xx",
            code = code,
            words = status_words(*code)
        )),
        Answer::Status(401) => error(msg!("external-401")),
        Answer::Status(403) => warning(msg!("external-403")),
        Answer::Status(code @ 400..=499) => error(msg!(
            "external-4xx",
            code = code,
            words = status_words(*code)
        )),
        Answer::Status(code) => warning(msg!("external-other-status", code = code)),
        Answer::TimedOut => warning(msg!("external-timeout", seconds = seconds(timeout))),
        Answer::NoSuchHost(host) => error(msg!("external-no-host", host = host)),
        Answer::Refused(at) => error(msg!("external-refused", at = at)),
        Answer::NoConnection(why) => error(msg!("external-no-connection", why = why)),
        Answer::Insecure(why) => error(msg!("external-insecure", why = why)),
        Answer::TooManyRedirects => error(msg!("external-redirects", max = MAX_REDIRECTS)),
        Answer::NotAnAddress => error(msg!("external-not-address")),
        Answer::Failed(why) => error(msg!("external-failed", why = why)),
        Answer::NotAsked(why) => warning(msg!("external-not-asked", why = why)),
    }
}

/// `10 s`, `2.5 s`.
fn seconds(d: Duration) -> String {
    format!("{} s", d.as_secs_f64())
}

fn status_words(code: u16) -> String {
    match code {
        400 => msg!("http-400"),
        404 => msg!("http-404"),
        405 => msg!("http-405"),
        410 => msg!("http-410"),
        451 => msg!("http-451"),
        500 => msg!("http-500"),
        502 => msg!("http-502"),
        503 => msg!("http-503"),
        504 => msg!("http-504"),
        ..500 => msg!("http-refused"),
        _ => msg!("http-failed"),
    }
}

/// One problem instead of one per link, when no website could be reached at all: the
/// computer is most likely offline, and the links are not to blame.
fn offline(addresses: &[&str], answers: &[Answer]) -> Option<Diagnostic> {
    let hosts: HashSet<String> = addresses.iter().map(|a| host(a)).collect();
    let unreachable = |a: &Answer| {
        matches!(
            a,
            Answer::NoSuchHost(_) | Answer::NoConnection(_) | Answer::TimedOut
        )
    };
    if hosts.len() < 2 || !answers.iter().all(unreachable) {
        return None;
    }
    Some(Diagnostic::new(
        "--external",
        msg!("external-offline", n = hosts.len()),
    ))
}

/// The host of `url` (`http://user@Skola.lv:8080/x` → `skola.lv:8080`), lowercased.
fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    host.to_ascii_lowercase()
}

/// `address` as a request target, as a browser sends it: parsed as the WHATWG URL
/// standard says (`url`), so a website name with letters outside ASCII (`.lv` has them:
/// `https://ģimene.lv/`) becomes its IDNA form (`xn--imene-71a.lv`), and letters outside
/// ASCII in the path (`https://lv.wikipedia.org/wiki/Rīga`) are %-encoded; the fragment
/// is dropped, and the characters a request line may not hold are %-encoded too. None
/// for what is not a web address.
fn request_target(address: &str) -> Option<String> {
    let mut url = url::Url::parse(address).ok()?;
    if !matches!(url.scheme(), "http" | "https") || !url.has_host() {
        return None;
    }
    url.set_fragment(None);
    let url = url.as_str();
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if c.is_ascii_graphic()
            && !matches!(c, '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}')
        {
            out.push(c);
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    Some(out)
}

/// Ask every address, `settings.parallel` at a time; the answers in the same order.
fn ask_all(addresses: &[&str], settings: &Settings) -> Vec<Answer> {
    if addresses.is_empty() {
        return Vec::new();
    }
    let agent = agent(settings);
    let queue = Queue::new(addresses, settings.per_site.max(1));
    let workers = settings.parallel.clamp(1, addresses.len());
    let mut answers: Vec<Option<Answer>> = vec![None; addresses.len()];
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    while let Some(i) = queue.take() {
                        // A panic in the HTTP client must neither end the check nor
                        // leave the website marked busy for the other workers.
                        let answer = std::panic::catch_unwind(AssertUnwindSafe(|| {
                            ask(&agent, addresses[i])
                        }))
                        .unwrap_or_else(|_| Answer::NotAsked(msg!("external-ask-failed")));
                        mine.push((i, answer));
                        queue.done(i);
                    }
                    mine
                })
            })
            .collect();
        for handle in handles {
            for (i, answer) in handle.join().unwrap_or_default() {
                answers[i] = Some(answer);
            }
        }
    });
    answers
        .into_iter()
        .map(|a| a.unwrap_or_else(|| Answer::NotAsked(msg!("external-ask-stopped"))))
        .collect()
}

fn agent(settings: &Settings) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(settings.timeout))
        .timeout_connect(Some(settings.timeout))
        .max_redirects(MAX_REDIRECTS)
        .http_status_as_error(false)
        // The computer's own trusted certificates, as its browser uses: a school network
        // that inspects secure traffic adds its own there.
        .tls_config(
            ureq::tls::TlsConfig::builder()
                .root_certs(ureq::tls::RootCerts::PlatformVerifier)
                .build(),
        )
        .user_agent(format!("lapa/{} (link check)", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// HEAD first; when the server answers it with anything but a page (many refuse HEAD
/// with 405, 501, 403 or even 404, or answer it with a body), GET, whose answer decides.
/// A time-out or a failed connection is not asked again: it would fail the same way,
/// only later.
fn ask(agent: &ureq::Agent, address: &str) -> Answer {
    let Some(target) = request_target(address) else {
        return Answer::NotAnAddress;
    };
    let head = agent.head(&target).call();
    let again = match &head {
        Ok(response) => !matches!(response.status().as_u16(), 200..=299 | 429),
        Err(ureq::Error::Protocol(_)) => true,
        Err(_) => false,
    };
    let result = if again {
        agent.get(&target).call()
    } else {
        head
    };
    match result {
        Ok(response) => Answer::Status(response.status().as_u16()),
        Err(e) => answer_to(e, &target),
    }
}

/// A failure to ask, in the reader's words.
fn answer_to(error: ureq::Error, address: &str) -> Answer {
    match error {
        ureq::Error::StatusCode(code) => Answer::Status(code),
        ureq::Error::Timeout(_) => Answer::TimedOut,
        ureq::Error::HostNotFound => Answer::NoSuchHost(host(address)),
        ureq::Error::TooManyRedirects => Answer::TooManyRedirects,
        ureq::Error::BadUri(_) | ureq::Error::Http(_) => Answer::NotAnAddress,
        ureq::Error::Io(e) => io_answer(&e, address),
        ureq::Error::ConnectionFailed => {
            Answer::NoConnection(msg!("external-no-accept", host = host(address)))
        }
        ureq::Error::ConnectProxyFailed(why) => {
            Answer::NoConnection(msg!("external-proxy", why = why))
        }
        ureq::Error::Rustls(e) => Answer::Insecure(tls_words(&e)),
        ureq::Error::Tls(why) => Answer::Insecure(why.to_string()),
        ureq::Error::Protocol(e) => Answer::Failed(msg!("external-bad-http", why = e)),
        other => Answer::Failed(other.to_string()),
    }
}

fn io_answer(error: &std::io::Error, address: &str) -> Answer {
    use std::io::ErrorKind;
    // rustls reports through the socket's reads and writes, so its errors come as I/O.
    if let Some(tls) = error.get_ref().and_then(|e| e.downcast_ref()) {
        return Answer::Insecure(tls_words(tls));
    }
    match error.kind() {
        ErrorKind::TimedOut | ErrorKind::WouldBlock => Answer::TimedOut,
        ErrorKind::ConnectionRefused => Answer::Refused(host_and_port(address)),
        ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted | ErrorKind::UnexpectedEof => {
            Answer::NoConnection(msg!("external-closed"))
        }
        ErrorKind::NetworkUnreachable | ErrorKind::HostUnreachable => {
            Answer::NoConnection(msg!("external-unreachable"))
        }
        // A name that does not resolve comes without a kind of its own ("failed to lookup
        // address information" on Unix, "No such host is known" on Windows): look it up.
        _ if name_unknown(address) => Answer::NoSuchHost(host(address)),
        _ => Answer::NoConnection(error.to_string()),
    }
}

/// Whether the website name in `address` has no network address.
fn name_unknown(address: &str) -> bool {
    use std::net::ToSocketAddrs;
    match host_and_port(address).to_socket_addrs() {
        Ok(mut found) => found.next().is_none(),
        Err(_) => true,
    }
}

/// `skola.lv:443` for an address on the default port, as a connection error names it.
fn host_and_port(address: &str) -> String {
    let host = host(address);
    if host
        .rsplit_once(':')
        .is_some_and(|(_, p)| p.parse::<u16>().is_ok())
    {
        return host;
    }
    let port = if address
        .get(..6)
        .is_some_and(|s| s.eq_ignore_ascii_case("https:"))
    {
        443
    } else {
        80
    };
    format!("{host}:{port}")
}

fn tls_words(error: &rustls::Error) -> String {
    use rustls::CertificateError as C;
    match error {
        rustls::Error::InvalidCertificate(c) => match c {
            C::Expired | C::ExpiredContext { .. } => msg!("tls-expired"),
            C::NotValidForName | C::NotValidForNameContext { .. } => msg!("tls-other-name"),
            C::UnknownIssuer => msg!("tls-unknown-issuer"),
            C::Revoked => msg!("tls-revoked"),
            _ => msg!("tls-invalid"),
        },
        other => msg!("tls-failed", why = other),
    }
}

/// The addresses still to ask, and how many of each website's are being asked: a worker
/// takes the first address whose website has room.
struct Queue<'a> {
    addresses: &'a [&'a str],
    per_site: usize,
    state: Mutex<QueueState>,
    room: Condvar,
}

struct QueueState {
    waiting: VecDeque<usize>,
    busy: HashMap<String, usize>,
}

impl<'a> Queue<'a> {
    fn new(addresses: &'a [&'a str], per_site: usize) -> Self {
        Queue {
            addresses,
            per_site,
            state: Mutex::new(QueueState {
                waiting: (0..addresses.len()).collect(),
                busy: HashMap::new(),
            }),
            room: Condvar::new(),
        }
    }

    /// The next address to ask, waiting while every website left is busy; None when
    /// none is left.
    fn take(&self) -> Option<usize> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if state.waiting.is_empty() {
                return None;
            }
            let free = state.waiting.iter().position(|&i| {
                state
                    .busy
                    .get(&host(self.addresses[i]))
                    .copied()
                    .unwrap_or(0)
                    < self.per_site
            });
            if let Some(i) = free.and_then(|at| state.waiting.remove(at)) {
                *state.busy.entry(host(self.addresses[i])).or_default() += 1;
                return Some(i);
            }
            state = self
                .room
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    fn done(&self, i: usize) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(n) = state.busy.get_mut(&host(self.addresses[i])) {
            *n = n.saturating_sub(1);
        }
        self.room.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEN: Duration = Duration::from_secs(10);

    #[test]
    fn pages_pass_and_missing_pages_fail() {
        assert_eq!(verdict(&Answer::Status(200), TEN), None);
        assert_eq!(verdict(&Answer::Status(204), TEN), None);
        let missing = verdict(&Answer::Status(404), TEN).expect("a problem");
        assert!(!missing.warning);
        assert!(
            missing.text.starts_with("answered 404 (not found)"),
            "{}",
            missing.text
        );
        assert!(
            !verdict(&Answer::Status(410), TEN)
                .expect("a problem")
                .warning
        );
        assert!(
            !verdict(&Answer::Status(401), TEN)
                .expect("a problem")
                .warning
        );
    }

    #[test]
    fn what_passes_by_itself_is_a_warning() {
        for answer in [
            Answer::Status(403),
            Answer::Status(429),
            Answer::Status(503),
            Answer::TimedOut,
        ] {
            let v = verdict(&answer, TEN).expect("a problem");
            assert!(v.warning, "{answer:?}");
        }
        assert!(
            verdict(&Answer::TimedOut, Duration::from_millis(2500))
                .expect("a problem")
                .text
                .starts_with("did not answer within 2.5 s")
        );
    }

    #[test]
    fn hosts_are_compared_without_user_and_case() {
        assert_eq!(host("https://Skola.LV/zinas"), "skola.lv");
        assert_eq!(host("http://a:b@x.lv:8080?q"), "x.lv:8080");
        assert_eq!(host("https://x.lv#top"), "x.lv");
        assert_eq!(host_and_port("https://x.lv/a"), "x.lv:443");
        assert_eq!(host_and_port("HTTP://x.lv"), "x.lv:80");
        assert_eq!(host_and_port("http://127.0.0.1:9/"), "127.0.0.1:9");
    }

    #[test]
    fn addresses_are_sent_as_a_browser_sends_them() {
        assert_eq!(
            request_target("https://lv.wikipedia.org/wiki/Rīga#Vēsture").as_deref(),
            Some("https://lv.wikipedia.org/wiki/R%C4%ABga")
        );
        assert_eq!(
            request_target("https://x.lv/a b?q=1|2").as_deref(),
            Some("https://x.lv/a%20b?q=1%7C2")
        );
        assert_eq!(
            request_target("https://ādaži.lv/").as_deref(),
            Some("https://xn--dai-0oa14d.lv/")
        );
        assert_eq!(
            request_target("http://Mājas.LV:8080/ceļš?q=ā#x").as_deref(),
            Some("http://xn--mjas-qsa.lv:8080/ce%C4%BC%C5%A1?q=%C4%81")
        );
        assert_eq!(request_target("https://a b.lv/"), None);
        assert_eq!(request_target("mailto:skola@x.lv"), None);
    }

    #[test]
    fn offline_is_one_problem_not_one_per_link() {
        let addresses = ["https://a.lv/1", "https://a.lv/2", "https://b.lv/"];
        let dns = Answer::NoSuchHost("a.lv".into());
        let all_failed = [dns.clone(), dns.clone(), Answer::TimedOut];
        assert!(offline(&addresses, &all_failed).is_some());
        let one_answered = [dns.clone(), dns, Answer::Status(404)];
        assert!(offline(&addresses, &one_answered).is_none());
        assert!(
            offline(&addresses[..2], &all_failed[..2]).is_none(),
            "one website"
        );
    }

    #[test]
    fn a_busy_website_waits_while_others_go_ahead() {
        let addresses = ["https://a.lv/1", "https://a.lv/2", "https://b.lv/"];
        let queue = Queue::new(&addresses, 1);
        assert_eq!(queue.take(), Some(0));
        assert_eq!(queue.take(), Some(2), "a.lv is busy: b.lv goes first");
        queue.done(0);
        assert_eq!(queue.take(), Some(1));
        assert_eq!(queue.take(), None);
    }
}
