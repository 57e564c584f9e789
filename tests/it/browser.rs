//! `lapa serve` in a real browser (headless chromium driven by playwright-core): live
//! reload, the error overlay, and finding a restarted server.
//!
//! Needs `/usr/bin/chromium` and `tests/browser/node_modules`; fails with how to install
//! them when missing, unless `LAPA_SKIP_BROWSER=1` says to skip.

use crate::preview;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use preview::{Serve, free_port, make_site};

const CHROMIUM: &str = "/usr/bin/chromium";

/// The folder of the browser scripts, or `None` when this run skips the browser tests.
fn browser_tests() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    if std::env::var("LAPA_SKIP_BROWSER").is_ok_and(|v| v == "1") {
        eprintln!("skipped: LAPA_SKIP_BROWSER=1 is set, so the browser tests did not run");
        return None;
    }
    let chromium = std::env::var("LAPA_CHROMIUM").unwrap_or_else(|_| CHROMIUM.to_string());
    let missing: Vec<String> = [
        (!Path::new(&chromium).exists())
            .then(|| format!("{chromium} (install it: apt-get install -y chromium)")),
        (!dir.join("node_modules/playwright-core").is_dir()).then(|| {
            "tests/browser/node_modules (install it: npm ci --prefix tests/browser)".to_string()
        }),
    ]
    .into_iter()
    .flatten()
    .collect();
    assert!(
        missing.is_empty(),
        "the browser tests need {}; or set LAPA_SKIP_BROWSER=1 to skip them",
        missing.join(" and ")
    );
    Some(dir)
}

fn site() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("site");
    let temp = dir.path().join("tmp");
    std::fs::create_dir_all(&temp).expect("mkdir");
    make_site(&site);
    (dir, site, temp)
}

#[test]
fn a_tab_follows_every_save_and_shows_a_broken_one() {
    let Some(scripts) = browser_tests() else {
        return;
    };
    let (_dir, site, temp) = site();
    let serve = Serve::start(&site, free_port(), &temp);
    let out = Command::new("node")
        .arg(scripts.join("live-reload.mjs"))
        .arg(&serve.url)
        .arg(&site)
        .output()
        .expect("run node (is node installed?)");
    let log: Vec<String> = serve.lines.try_iter().collect();
    assert!(
        out.status.success(),
        "{}\n{}\nlapa serve said:\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
        log.join("\n")
    );
}

#[test]
fn a_tab_finds_a_restarted_server_and_reloads_once() {
    let Some(scripts) = browser_tests() else {
        return;
    };
    let (_dir, site, temp) = site();
    let serve = Serve::start(&site, free_port(), &temp);
    let port = serve.port;
    let mut node = Command::new("node")
        .arg(scripts.join("reconnect.mjs"))
        .arg(&serve.url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run node (is node installed?)");
    let stdout = node.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let opened = lines.next().and_then(Result::ok).unwrap_or_default();
    assert_eq!(opened, "opened", "the page did not open");
    assert_eq!(serve.stop_with("TERM"), Some(0));
    let again = Serve::start(&site, port, &temp);
    assert_eq!(again.port, port, "the restarted server took another port");
    let mut stdin = node.stdin.take().expect("stdin");
    writeln!(stdin, "restarted").expect("tell node");
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let out = node.wait_with_output().expect("wait for node");
    assert!(
        out.status.success(),
        "{}\n{}",
        rest.join("\n"),
        String::from_utf8_lossy(&out.stderr)
    );
}
