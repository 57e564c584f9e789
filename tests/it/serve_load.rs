//! The preview server under load and abuse, on loopback only: bounded loops that stop by
//! themselves.

use crate::preview;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use preview::*;

/// Resident memory of a process, in KiB.
fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

/// `clients` threads, each sending a request every `clients` ms for `seconds`: together
/// about a thousand requests a second. Returns (requests, failures, latencies in µs).
fn load(port: u16, clients: usize, seconds: u64) -> (usize, usize, Vec<u128>) {
    let failures = Arc::new(AtomicUsize::new(0));
    let end = Instant::now() + Duration::from_secs(seconds);
    let pages = [
        "/",
        REPORT_URL,
        "/style.css",
        "/en/",
        "/tags/",
        "/nav-tadas-lapas/",
    ];
    let threads: Vec<_> = (0..clients)
        .map(|i| {
            let failures = failures.clone();
            std::thread::spawn(move || {
                let mut latencies = Vec::new();
                let pace = Duration::from_millis(clients as u64);
                let mut next = Instant::now() + Duration::from_micros((i as u64 * 997) % 200_000);
                while next < end {
                    std::thread::sleep(next.saturating_duration_since(Instant::now()));
                    let page = pages[(i + latencies.len()) % pages.len()];
                    let started = Instant::now();
                    let ok = std::panic::catch_unwind(|| get(port, page)).is_ok_and(|r| {
                        r.status == 200 || (page == "/nav-tadas-lapas/" && r.status == 404)
                    });
                    if !ok {
                        failures.fetch_add(1, Ordering::Relaxed);
                    }
                    latencies.push(started.elapsed().as_micros());
                    next += pace;
                }
                latencies
            })
        })
        .collect();
    let mut latencies: Vec<u128> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap_or_default())
        .collect();
    latencies.sort_unstable();
    (latencies.len(), failures.load(Ordering::Relaxed), latencies)
}

#[test]
fn two_hundred_clients_a_thousand_requests_a_second_without_an_error_or_a_leak() {
    let temp = tempfile::tempdir().expect("temp");
    let site = temp.path().join("site");
    make_site(&site);
    let serve = Serve::start(&site, free_port(), temp.path());
    let pid = serve.child.id();

    let (_, failed1, _) = load(serve.port, 200, 5);
    let after_first = rss_kib(pid);
    let (n2, failed2, latencies) = load(serve.port, 200, 10);
    let after_second = rss_kib(pid);

    let pct = |p: usize| {
        latencies
            .get(latencies.len() * p / 100)
            .copied()
            .unwrap_or(0)
    };
    eprintln!(
        "load: {n2} requests in 10 s ({:.0}/s) from 200 clients, {failed2} failed; latency p50 {} µs, p99 {} µs; RSS {after_first} KiB after the warm-up, {after_second} KiB after",
        n2 as f64 / 10.0,
        pct(50),
        pct(99)
    );
    assert_eq!(failed1 + failed2, 0, "requests failed under load");
    assert!(n2 >= 8_000, "only {n2} requests in 10 s");
    assert!(
        after_second < after_first + 20 * 1024,
        "memory grew from {after_first} KiB to {after_second} KiB between two equal rounds"
    );
    assert_eq!(serve.stop_with("TERM"), Some(0));
}

/// A line of a process's `/proc/PID/status`, after its name and colon.
fn status_line(pid: u32, name: &str) -> Option<String> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(':'))
        .map(|v| v.trim().to_string())
}

/// In transparent huge pages every 2 MiB a rebuild once touched counts whole for as long
/// as the preview runs: at 10,000 reports it grew by 100 MiB and more over a hundred saves.
#[test]
fn the_preview_asks_for_no_huge_pages() {
    let temp = tempfile::tempdir().expect("temp");
    let site = temp.path().join("site");
    make_site(&site);
    let serve = Serve::start(&site, free_port(), temp.path());
    assert_eq!(
        status_line(serve.child.id(), "THP_enabled").as_deref(),
        Some("0"),
        "the preview may be given transparent huge pages"
    );
    assert_eq!(serve.stop_with("TERM"), Some(0));
}

/// The niceness of each of a process's threads named `name` (as `/proc` shortens it).
fn thread_nice(pid: u32, name: &str) -> Vec<i64> {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return Vec::new();
    };
    tasks
        .flatten()
        .filter_map(|task| {
            let comm = std::fs::read_to_string(task.path().join("comm")).ok()?;
            if comm.trim_end() != name {
                return None;
            }
            let stat = std::fs::read_to_string(task.path().join("stat")).ok()?;
            // After the name in parentheses: state is field 3, nice field 19.
            let rest = &stat[stat.rfind(')')? + 2..];
            rest.split(' ').nth(16)?.parse().ok()
        })
        .collect()
}

/// The search index is made while the saves pause and must never hold the cores a save's
/// rebuild waits for: its thread runs at a lower priority than the rebuilds'.
#[test]
fn the_search_index_is_made_at_a_lower_priority() {
    let temp = tempfile::tempdir().expect("temp");
    let site = temp.path().join("site");
    make_site(&site);
    let serve = Serve::start(&site, free_port(), temp.path());
    let pid = serve.child.id();
    let mut nice = Vec::new();
    eventually(
        Duration::from_secs(30),
        "the search index's thread starts",
        || {
            nice = thread_nice(pid, "lapa-search-ind");
            !nice.is_empty()
        },
    );
    assert_eq!(nice, [10], "the search index's thread is not at nice 10");
    assert_eq!(serve.stop_with("TERM"), Some(0));
}

#[test]
fn a_save_storm_ends_in_a_correct_site() {
    let temp = tempfile::tempdir().expect("temp");
    let site = temp.path().join("site");
    make_site(&site);
    let serve = Serve::start(&site, free_port(), temp.path());
    let path = site.join(REPORT);
    for i in 0..50 {
        let text = report(&format!("Vētras saglabāšana numur {i}."));
        if i % 2 == 0 {
            std::fs::write(&path, text).expect("save");
        } else {
            let tmp = site.join("content/news/.saglabajas.tmp");
            std::fs::write(&tmp, text).expect("temp save");
            std::fs::rename(&tmp, &path).expect("rename over");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    eventually(Duration::from_secs(60), "the last save is served", || {
        serve
            .get(REPORT_URL)
            .text()
            .contains("Vētras saglabāšana numur 49.")
    });
    let page = serve.get(REPORT_URL).text();
    assert!(!page.contains("numur 48."), "an older save is served");
    assert!(!page.contains("lapa-overlay"), "an error overlay is shown");
}

#[test]
fn over_long_and_traversing_urls_get_4xx() {
    let temp = tempfile::tempdir().expect("temp");
    let site = temp.path().join("site");
    make_site(&site);
    let serve = Serve::start(&site, free_port(), temp.path());
    for target in [
        format!("/{}", "a".repeat(100_000)),
        format!("/{}/", "garš/".repeat(5_000)),
        "/../site.yaml".to_string(),
        "/%2e%2e/site.yaml".to_string(),
    ] {
        let mut stream = TcpStream::connect(("127.0.0.1", serve.port)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .expect("timeout");
        let _ = write!(stream, "GET {target} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
        let mut head = [0u8; 12];
        let read = stream.read(&mut head).unwrap_or(0);
        let status = String::from_utf8_lossy(&head[..read]);
        assert!(
            status.starts_with("HTTP/1.0 4") || status.starts_with("HTTP/1.1 4"),
            "{} bytes of URL got `{status}`",
            target.len()
        );
    }
    assert_eq!(serve.get("/").status, 200, "the server still answers");
}

#[test]
fn clients_that_disconnect_midway_do_not_hurt_the_server() {
    let temp = tempfile::tempdir().expect("temp");
    let site = temp.path().join("site");
    make_site(&site);
    // A big page, so a response is still being sent when the client leaves.
    std::fs::write(
        site.join(REPORT),
        report(&"Garš teksts par mentoringu. ".repeat(200_000)),
    )
    .expect("write");
    let serve = Serve::start(&site, free_port(), temp.path());
    eventually(Duration::from_secs(60), "the big page is served", || {
        serve.get(REPORT_URL).body.len() > 4_000_000
    });
    for _ in 0..100 {
        let mut stream = TcpStream::connect(("127.0.0.1", serve.port)).expect("connect");
        let _ = write!(
            stream,
            "GET {REPORT_URL} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        );
        let mut some = [0u8; 1024];
        let _ = stream.read(&mut some);
        drop(stream);
    }
    // Half-sent requests too.
    for _ in 0..50 {
        let mut stream = TcpStream::connect(("127.0.0.1", serve.port)).expect("connect");
        let _ = write!(stream, "GET /news/ HTT");
        drop(stream);
    }
    assert_eq!(serve.get("/").status, 200);
    assert!(serve.get(REPORT_URL).body.len() > 4_000_000);
    assert_eq!(serve.stop_with("INT"), Some(0));
}
