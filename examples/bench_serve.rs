//! Save-to-reload latency of `lapa serve`: the time from writing a file to the moment a
//! client on the event stream (as a browser tab is) hears that the new site is in place.
//!
//! Usage: `bench_serve LAPA_BINARY SITE_DIR FILE [SAVES]` (FILE relative to SITE_DIR;
//! it is edited, so give it a copy of a site). scripts/bench-serve.sh runs it.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [lapa, site, file, rest @ ..] = args.as_slice() else {
        return Err("usage: bench_serve LAPA_BINARY SITE_DIR FILE [SAVES]".into());
    };
    let saves: usize = rest.first().and_then(|n| n.parse().ok()).unwrap_or(20);
    let path = Path::new(site).join(file);
    let original = std::fs::read_to_string(&path).map_err(|e| format!("{file}: {e}"))?;
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();

    let started = Instant::now();
    let mut child = Command::new(lapa)
        .args(["serve", "--root", site, "--port", &port.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start {lapa}: {e}"))?;
    let (tx, lines) = mpsc::channel();
    let stdout = child.stdout.take().ok_or("no stdout")?;
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut pages = String::new();
    loop {
        let line = lines
            .recv_timeout(Duration::from_secs(600))
            .map_err(|_| "lapa serve did not start")?;
        if let Some(rest) = line.strip_prefix("built ") {
            pages = rest.split(" pages").next().unwrap_or_default().to_string();
        }
        if line.starts_with("Serving") {
            break;
        }
    }
    let startup = started.elapsed();

    let mut events = connect(port)?;
    let first = next_event(&mut events)?;
    let mut latencies = Vec::new();
    let mut builds = Vec::new();
    for i in 0..saves {
        std::thread::sleep(Duration::from_millis(300));
        while lines.try_recv().is_ok() {}
        let text = format!("{original}\n\nLabojums nr. {i}.\n");
        let rename = i % 2 == 1;
        let t0 = Instant::now();
        if rename {
            // As vim saves: a temp file renamed over the original.
            let tmp = path.with_extension("md.tmp");
            std::fs::write(&tmp, &text).map_err(|e| e.to_string())?;
            std::fs::rename(&tmp, &path).map_err(|e| e.to_string())?;
        } else {
            std::fs::write(&path, &text).map_err(|e| e.to_string())?;
        }
        let event = next_event(&mut events)?;
        latencies.push(t0.elapsed());
        if event.contains("\"error\":\"") || event == first {
            return Err(format!("save {i} did not give a good new build: {event}"));
        }
        if let Ok(line) = lines.recv_timeout(Duration::from_secs(5)) {
            if let Some(ms) = line
                .rsplit(" in ")
                .next()
                .and_then(|t| t.strip_suffix(" ms"))
            {
                builds.push(ms.parse::<u64>().unwrap_or_default());
            }
        }
    }
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
    let _ = std::fs::write(&path, original);

    let mut ms: Vec<f64> = latencies.iter().map(|d| d.as_secs_f64() * 1000.0).collect();
    ms.sort_by(f64::total_cmp);
    builds.sort_unstable();
    let pick = |q: f64| ms[((ms.len() - 1) as f64 * q).round() as usize];
    println!("site: {site} ({pages} pages), edited {file}");
    println!("start-up to first served build: {} ms", startup.as_millis());
    println!(
        "save -> reload event, {} saves (half in place, half renamed over): \
         min {:.0} ms, median {:.0} ms, p90 {:.0} ms, max {:.0} ms",
        ms.len(),
        pick(0.0),
        pick(0.5),
        pick(0.9),
        pick(1.0)
    );
    if !builds.is_empty() {
        println!(
            "  of which the rebuild (load, render, write): median {} ms",
            builds[builds.len() / 2]
        );
    }
    Ok(())
}

fn connect(port: u16) -> Result<BufReader<TcpStream>, String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    write!(
        stream,
        "GET /__lapa/events HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(600)))
        .map_err(|e| e.to_string())?;
    Ok(BufReader::new(stream))
}

/// The next `data:` line of the event stream.
fn next_event(events: &mut BufReader<TcpStream>) -> Result<String, String> {
    let mut line = String::new();
    loop {
        line.clear();
        match events.read_line(&mut line) {
            Ok(0) => return Err("the event stream ended".into()),
            Ok(_) => {
                if let Some(data) = line.trim_end().strip_prefix("data: ") {
                    return Ok(data.to_string());
                }
            }
            Err(e) => return Err(format!("the event stream: {e}")),
        }
    }
}
