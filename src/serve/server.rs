//! The HTTP side: the current build's files, the live script, and the event stream.
//!
//! Files come from `ServeDir`, which refuses `..`, absolute and encoded paths; the
//! served folder holds only what the build wrote (copies, never links), so nothing
//! outside it can be reached. The live script is added here, to HTML responses only:
//! it is never part of a built file.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::header::{
    ACCEPT_RANGES, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, ETAG, HOST,
    IF_RANGE, LAST_MODIFIED, RANGE,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;
use tokio::sync::watch;
use tower_http::services::{ServeDir, ServeFile};

use super::reload::{Hub, Snapshot};
use crate::escape;
use crate::msg;

/// Where the tabs listen for rebuilds.
pub const EVENTS_PATH: &str = "/__lapa/events";
/// The script that reloads a tab.
pub const LIVE_JS_PATH: &str = "/__lapa/live.js";
const LIVE_JS: &str = include_str!("live.js");
/// How many ports after `--port` to try when it is taken.
const PORT_TRIES: u16 = 20;
/// The largest HTML page read into memory to add the live script to (far above any real page).
const MAX_INJECT: usize = 256 << 20;

#[derive(Clone)]
struct App {
    hub: Hub,
    stop: watch::Receiver<bool>,
}

/// The names a request may be addressed to (its `Host`): the address serve listens on.
///
/// A web page on the internet can make its own name lead to 127.0.0.1 (DNS rebinding)
/// and then read whatever answers there as its own; its requests still carry its name,
/// so answering only this computer's names keeps the preview (drafts included) private.
#[derive(Debug, Clone)]
pub struct Hosts {
    /// The `--interface` given.
    interface: IpAddr,
    /// The address printed, named in the refusal.
    url: String,
}

impl Hosts {
    /// The names of a server listening on `interface` and printed as `url`.
    pub fn new(interface: IpAddr, url: &str) -> Hosts {
        Hosts {
            interface,
            url: url.to_string(),
        }
    }

    /// Whether `host` (a `Host` value, with or without a port) names this server:
    /// `localhost`, `127.0.0.1`, `[::1]` or the interface; when listening on every
    /// network (`0.0.0.0`, `::`), any IP address, since colleagues use the computer's.
    fn allows(&self, host: &str) -> bool {
        let name = match host.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or_default(),
            None => host.split(':').next().unwrap_or_default(),
        };
        let name = name.strip_suffix('.').unwrap_or(name);
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        let Ok(ip) = name.parse::<IpAddr>() else {
            return false;
        };
        self.interface.is_unspecified()
            || ip == self.interface
            || ip == IpAddr::from([127, 0, 0, 1])
            || ip == IpAddr::from([0, 0, 0, 0, 0, 0, 0, 1])
    }
}

/// Refuse a request that names another host (or none), before it reaches any file.
async fn addressed_here(State(hosts): State<Hosts>, req: Request, next: Next) -> Response {
    let host = match req.uri().authority() {
        Some(authority) => Some(authority.as_str().to_string()),
        None => req
            .headers()
            .get(HOST)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
    };
    match host {
        Some(host) if hosts.allows(&host) => next.run(req).await,
        host => {
            let named = host.map_or_else(|| msg!("serve-no-host"), |h| format!("`{h}`"));
            (
                StatusCode::MISDIRECTED_REQUEST,
                [
                    (CONTENT_TYPE, "text/plain; charset=utf-8"),
                    (CACHE_CONTROL, "no-store"),
                ],
                msg!("serve-wrong-host", named = named, url = hosts.url) + "\n",
            )
                .into_response()
        }
    }
}

/// Listen on `interface:port`, or the next free port when it is taken.
pub fn bind(interface: IpAddr, port: u16) -> Result<TcpListener, String> {
    let mut last = None;
    for p in (0..PORT_TRIES).filter_map(|i| port.checked_add(i)) {
        let addr = SocketAddr::new(interface, p);
        match TcpListener::bind(addr) {
            Ok(listener) => return Ok(listener),
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => last = Some(e),
            Err(e) => {
                return Err(msg!("serve-cannot-listen", addr = addr, why = e));
            }
        }
    }
    let e = last.map(|e| e.to_string()).unwrap_or_default();
    Err(msg!(
        "serve-ports-taken",
        port = port,
        last = port.saturating_add(PORT_TRIES - 1),
        interface = interface,
        why = e
    ))
}

/// Serve until `stop` resolves, then let open requests finish (for a few seconds at most).
pub async fn run(
    listener: TcpListener,
    hub: Hub,
    hosts: Hosts,
    stop: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let (stop_tx, stop_rx) = watch::channel(false);
    tokio::spawn(async move {
        stop.await;
        let _ = stop_tx.send(true);
    });
    let app = Router::new()
        .route(EVENTS_PATH, get(events))
        .route(LIVE_JS_PATH, get(live_js))
        .fallback(site)
        .with_state(App {
            hub,
            stop: stop_rx.clone(),
        })
        .layer(middleware::from_fn_with_state(hosts, addressed_here));
    let mut graceful = stop_rx.clone();
    let mut deadline = stop_rx;
    let server = axum::serve(listener, app).with_graceful_shutdown(async move {
        let _ = graceful.wait_for(|s| *s).await;
    });
    tokio::select! {
        result = server.into_future() => result,
        _ = async move {
            let _ = deadline.wait_for(|s| *s).await;
            tokio::time::sleep(Duration::from_secs(3)).await;
        } => Ok(()),
    }
}

/// Ctrl-C and SIGTERM, caught from the moment [`Stop::listen`] is called.
pub struct Stop {
    #[cfg(unix)]
    interrupt: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    terminate: Option<tokio::signal::unix::Signal>,
}

impl Stop {
    /// Catch the stop signals from now on (inside the runtime).
    pub fn listen() -> Stop {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Stop {
                interrupt: signal(SignalKind::interrupt()).ok(),
                terminate: signal(SignalKind::terminate()).ok(),
            }
        }
        #[cfg(not(unix))]
        Stop {}
    }

    /// Wait for the first stop signal.
    pub async fn wait(&mut self) {
        #[cfg(unix)]
        {
            async fn recv(signal: &mut Option<tokio::signal::unix::Signal>) {
                match signal {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending().await,
                }
            }
            tokio::select! {
                _ = recv(&mut self.interrupt) => {}
                _ = recv(&mut self.terminate) => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

/// The event stream: the state now, then every later one, until the server stops.
async fn events(State(app): State<App>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let mut rx = app.hub.subscribe();
    rx.mark_changed();
    let stream = futures_util::stream::unfold((rx, app.stop), |(mut rx, mut stop)| async move {
        tokio::select! {
            changed = rx.changed() => changed.ok()?,
            _ = stop.wait_for(|s| *s) => return None,
        }
        let data = rx.borrow_and_update().event_json();
        // A short retry: a restarted server is found again within half a second.
        let event = Event::default()
            .retry(Duration::from_millis(500))
            .data(data);
        Some((Ok(event), (rx, stop)))
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

async fn live_js() -> Response {
    (
        [
            (CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (CACHE_CONTROL, "no-store"),
        ],
        LIVE_JS,
    )
        .into_response()
}

/// A file of the current build, with `404.html` for a missing one.
///
/// HEAD and a range of an HTML page get what GET gets, since the page sent is not the
/// file: HEAD is answered from a GET (its length is the page's with the live script), and
/// a range of an HTML page is answered with the whole page (a server may ignore `Range`).
async fn site(State(app): State<App>, mut req: Request) -> Response {
    if is_too_long(req.uri().path()) {
        return (StatusCode::URI_TOO_LONG, msg!("serve-too-long")).into_response();
    }
    // A page a rebuild has not written yet is never answered from its old file: the
    // request waits until it is written (the rebuild's second part, see `rebuild`).
    let wanted = super::reload::files_for(req.uri().path());
    let _reading = loop {
        app.hub.written(&wanted).await;
        let reading = app.hub.files.read().await;
        if !app.hub.is_pending(&wanted) {
            break reading;
        }
    };
    if let Some(page) = wanted.iter().find(|p| p.ends_with(".html")) {
        app.hub.opened(page);
    }
    let snapshot = app.hub.current();
    let head = req.method() == Method::HEAD;
    let Some(dir) = &snapshot.dir else {
        return no_site(&snapshot, head);
    };
    if head {
        *req.method_mut() = Method::GET;
    }
    let whole = req
        .headers()
        .contains_key(RANGE)
        .then(|| without_range(&req));
    let mut files = ServeDir::new(dir).not_found_service(ServeFile::new(dir.join("404.html")));
    let mut res = files.try_call(req).await;
    let partial_page = res
        .as_ref()
        .is_ok_and(|r| is_html(r.headers()) && r.status() != StatusCode::OK);
    if let Some(whole) = whole.filter(|_| partial_page) {
        res = files.try_call(whole).await;
    }
    match res {
        Ok(res) => finish(res.map(Body::new), &snapshot, head).await,
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            msg!("serve-unreadable-site", why = e),
        )
            .into_response(),
    }
}

/// `req` without its `Range` (and `If-Range`) header: the request for the whole file.
fn without_range(req: &Request) -> Request {
    let mut whole = Request::new(Body::empty());
    *whole.method_mut() = req.method().clone();
    *whole.uri_mut() = req.uri().clone();
    *whole.version_mut() = req.version();
    *whole.headers_mut() = req.headers().clone();
    whole.headers_mut().remove(RANGE);
    whole.headers_mut().remove(IF_RANGE);
    whole
}

fn is_html(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"))
}

/// Longer than any page lapa makes: such a path would only reach the file system to fail
/// there ("file name too long"), which a visitor should see as their mistake, not ours.
fn is_too_long(path: &str) -> bool {
    const MAX_PATH: usize = 2048;
    const MAX_SEGMENT: usize = 255;
    path.len() > MAX_PATH || path.split('/').any(|s| s.len() > MAX_SEGMENT)
}

/// Headers for a preview, and the live script in an HTML page.
async fn finish(res: Response, snapshot: &Snapshot, head: bool) -> Response {
    let (mut parts, body) = res.into_parts();
    // Every build rewrites every file: a cached copy is never worth the risk.
    parts
        .headers
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    let ctype = parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    // lapa writes UTF-8 only; say so, so Latvian letters never depend on a meta tag.
    let textual = ctype.starts_with("text/") || ctype == "application/javascript";
    if textual && !ctype.contains("charset") {
        if let Ok(v) = HeaderValue::from_str(&format!("{ctype}; charset=utf-8")) {
            parts.headers.insert(CONTENT_TYPE, v);
        }
    }
    let injectable = ctype.starts_with("text/html")
        && matches!(parts.status, StatusCode::OK | StatusCode::NOT_FOUND)
        && !parts.headers.contains_key(CONTENT_ENCODING);
    if !injectable {
        if head {
            // The file's own length stays: ServeDir sent it for the GET this was.
            return Response::from_parts(parts, Body::empty());
        }
        return Response::from_parts(parts, body);
    }
    for h in [ACCEPT_RANGES, ETAG, LAST_MODIFIED] {
        parts.headers.remove(h);
    }
    match to_bytes(body, MAX_INJECT).await {
        Ok(bytes) => {
            let page = inject(&bytes, snapshot);
            parts
                .headers
                .insert(CONTENT_LENGTH, HeaderValue::from(page.len()));
            let body = if head {
                Body::empty()
            } else {
                Body::from(page)
            };
            Response::from_parts(parts, body)
        }
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            msg!("serve-unreadable-page", why = e),
        )
            .into_response(),
    }
}

/// The page served before any build has succeeded: the overlay says why.
fn no_site(snapshot: &Snapshot, head: bool) -> Response {
    let page = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
        <title>lapa: the site could not be built</title></head><body><main>\
        <h1>The site could not be built yet</h1><p>Fix the problems lapa lists and save: \
        this page reloads by itself.</p></main></body></html>";
    let page = inject(page.as_bytes(), snapshot);
    let length = HeaderValue::from(page.len());
    let body = if head {
        Body::empty()
    } else {
        Body::from(page)
    };
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [
            (
                CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (CONTENT_LENGTH, length),
        ],
        body,
    )
        .into_response()
}

/// `page` with the overlay (while the site is broken) and the live script before `</body>`.
pub fn inject(page: &[u8], snapshot: &Snapshot) -> Vec<u8> {
    let mut snippet = snapshot.overlay.clone().unwrap_or_default();
    snippet.push_str(&format!(
        "<script src=\"{LIVE_JS_PATH}\" data-build=\"{}\" defer></script>",
        escape::html(&snapshot.build)
    ));
    let at = rfind_ascii_ci(page, b"</body").unwrap_or(page.len());
    let mut out = Vec::with_capacity(page.len() + snippet.len());
    out.extend_from_slice(&page[..at]);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(&page[at..]);
    out
}

/// The last place of `needle` in `hay`, ignoring ASCII case.
fn rfind_ascii_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.len() > hay.len() {
        return None;
    }
    (0..=hay.len() - needle.len())
        .rev()
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(overlay: Option<&str>) -> Snapshot {
        Snapshot {
            build: "7-1".into(),
            overlay: overlay.map(str::to_string),
            ..Snapshot::default()
        }
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let page = b"<html><body><p>&lt;/body&gt;</p></BODY></html>";
        let out = String::from_utf8(inject(page, &snap(None))).unwrap_or_default();
        assert!(
            out.ends_with(
                "<script src=\"/__lapa/live.js\" data-build=\"7-1\" defer></script></BODY></html>"
            ),
            "{out}"
        );
    }

    #[test]
    fn hosts_are_this_computers_names_only() {
        let loopback = Hosts::new(IpAddr::from([127, 0, 0, 1]), "http://127.0.0.1:1111/");
        for host in [
            "127.0.0.1:1111",
            "localhost",
            "LocalHost.:1111",
            "[::1]:1111",
            "[::1]",
        ] {
            assert!(loopback.allows(host), "{host}");
        }
        for host in [
            "evil.lv:1111",
            "127.0.0.1.evil.lv",
            "localhost.evil.lv",
            "10.0.0.2",
            "",
        ] {
            assert!(!loopback.allows(host), "{host}");
        }
        let everywhere = Hosts::new(IpAddr::from([0, 0, 0, 0]), "http://127.0.0.1:1111/");
        assert!(everywhere.allows("192.168.1.20:1111"));
        assert!(everywhere.allows("[fe80::1]:1111"));
        assert!(!everywhere.allows("skola.lv:1111"));
        let lan = Hosts::new(IpAddr::from([192, 168, 1, 5]), "http://192.168.1.5:1111/");
        assert!(lan.allows("192.168.1.5:1111"));
        assert!(!lan.allows("192.168.1.6:1111"));
    }

    #[test]
    fn a_page_without_body_gets_the_script_at_its_end() {
        let out = String::from_utf8(inject(b"<p>hi", &snap(Some("<div>x</div>")))).unwrap();
        assert!(out.starts_with("<p>hi<div>x</div><script"), "{out}");
    }
}
