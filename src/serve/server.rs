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
    ACCEPT_RANGES, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, ETAG,
    LAST_MODIFIED,
};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;
use tokio::sync::watch;
use tower_http::services::{ServeDir, ServeFile};

use super::reload::{Hub, Snapshot};
use crate::escape;

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

/// Listen on `interface:port`, or the next free port when it is taken.
pub fn bind(interface: IpAddr, port: u16) -> Result<TcpListener, String> {
    let mut last = None;
    for p in (0..PORT_TRIES).filter_map(|i| port.checked_add(i)) {
        let addr = SocketAddr::new(interface, p);
        match TcpListener::bind(addr) {
            Ok(listener) => return Ok(listener),
            Err(e) if e.kind() == io::ErrorKind::AddrInUse => last = Some(e),
            Err(e) => {
                return Err(format!(
                    "cannot listen on {addr}: {e}; choose another --interface or --port"
                ));
            }
        }
    }
    let e = last.map(|e| e.to_string()).unwrap_or_default();
    Err(format!(
        "ports {port} to {} on {interface} are all taken ({e}); stop the other server or choose another --port",
        port.saturating_add(PORT_TRIES - 1)
    ))
}

/// Serve until `stop` resolves, then let open requests finish (for a few seconds at most).
pub async fn run(
    listener: TcpListener,
    hub: Hub,
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
        });
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
async fn site(State(app): State<App>, req: Request) -> Response {
    if is_too_long(req.uri().path()) {
        return (
            StatusCode::URI_TOO_LONG,
            "This address is too long for any page of the site.",
        )
            .into_response();
    }
    let _reading = app.hub.files.read().await;
    let snapshot = app.hub.current();
    let head = req.method() == Method::HEAD;
    let Some(dir) = &snapshot.dir else {
        return no_site(&snapshot, head);
    };
    let mut files = ServeDir::new(dir).not_found_service(ServeFile::new(dir.join("404.html")));
    match files.try_call(req).await {
        Ok(res) => finish(res.map(Body::new), &snapshot, head).await,
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("lapa cannot read the built site: {e}"),
        )
            .into_response(),
    }
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
        return Response::from_parts(parts, body);
    }
    for h in [CONTENT_LENGTH, ACCEPT_RANGES, ETAG, LAST_MODIFIED] {
        parts.headers.remove(h);
    }
    if head {
        return Response::from_parts(parts, Body::empty());
    }
    match to_bytes(body, MAX_INJECT).await {
        Ok(bytes) => Response::from_parts(parts, Body::from(inject(&bytes, snapshot))),
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("lapa cannot read this page: {e}"),
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
    let body = if head {
        Body::empty()
    } else {
        Body::from(inject(page.as_bytes(), snapshot))
    };
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [
            (CONTENT_TYPE, "text/html; charset=utf-8"),
            (CACHE_CONTROL, "no-store"),
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
    fn a_page_without_body_gets_the_script_at_its_end() {
        let out = String::from_utf8(inject(b"<p>hi", &snap(Some("<div>x</div>")))).unwrap();
        assert!(out.starts_with("<p>hi<div>x</div><script"), "{out}");
    }
}
