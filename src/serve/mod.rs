//! `lapa serve`: a live preview, as a thin layer over `build::render_with_to` and `output::update`.
//! See docs/serve.md.

mod folder;
mod rebuild;
mod reload;
mod server;
mod watch;

use crate::msg;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::sync::mpsc;

use crate::build;
use crate::output;
use reload::Hub;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site's folder.
    pub root: PathBuf,
    /// The address to listen on (loopback unless the user says otherwise).
    pub interface: IpAddr,
    /// The first port to try.
    pub port: u16,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    /// Look at the files every few hundred ms instead of asking the OS (network drives, WSL).
    pub poll: bool,
}

/// How long the preview keeps memory it freed before handing it back (ms).
const PURGE_AFTER_MS: std::ffi::c_long = 10;

/// Serve the site until Ctrl-C or SIGTERM: 0 then, 1 when the address cannot be used.
pub fn serve(options: ServeOptions) -> ExitCode {
    // `main` tells the allocator to keep freed memory, for a build that is over in
    // seconds. The preview runs for hours, and each rebuild frees most of what it made,
    // on whichever threads made it: handed back, it is not counted against the preview
    // (nor kept from other programs) until a bigger rebuild asks for it again. In huge
    // pages, every 2 MiB a rebuild once touched would count whole for as long as it runs.
    crate::memory::set_purge_delay(PURGE_AFTER_MS);
    crate::memory::no_huge_pages();
    let listener = match server::bind(options.interface, options.port) {
        Ok(l) => l,
        Err(message) => return fail(&message),
    };
    let url = match listener.local_addr() {
        Ok(addr) => local_url(addr),
        Err(e) => return fail(&msg!("serve-no-address", why = e)),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return fail(&msg!("serve-no-start", why = e)),
    };
    let output = match folder::private() {
        Ok(dir) => dir,
        Err(e) => return fail(&msg!("serve-no-folder", why = e)),
    };
    let code = runtime.block_on(session(options, listener, url, output.clone()));
    let _ = std::fs::remove_dir_all(&output);
    code
}

/// Build, watch and serve; stopping waits for a running build, so nothing writes afterwards.
async fn session(
    options: ServeOptions,
    listener: std::net::TcpListener,
    url: String,
    output: PathBuf,
) -> ExitCode {
    // Take over Ctrl-C and SIGTERM before anything else: a stop must always clean up.
    let mut stop = server::Stop::listen();
    let root = output::absolute(&options.root);
    let mut build_options = build::BuildOptions::new(&root);
    build_options.drafts = true;
    // No page shows the list of links to other websites (only `check --external` reads it).
    build_options.external_links = false;
    build_options.base_url = Some(url.clone());
    let hub = Hub::default();
    let (requests, received) = mpsc::channel();
    let watcher = match watch::start(&root, &output, options.poll, requests.clone()) {
        Ok(w) => w,
        Err(e) => return fail(&msg!("serve-no-watch", why = e)),
    };
    let mut builder = rebuild::Builder::new(build_options, &output, hub.clone());
    let first = tokio::task::spawn_blocking(move || {
        builder.rebuild(&[]);
        builder
    });
    let Ok(builder) = first.await else {
        return fail(&msg!("serve-first-build-stopped"));
    };
    let stopping = builder.stopping();
    let rebuilds = std::thread::spawn(move || rebuild::run(builder, watcher, received));
    if !options.interface.is_loopback() {
        eprintln!(
            "{}",
            msg!("serve-open-to-network", interface = options.interface)
        );
    }
    println!(
        "{}",
        msg!("serve-serving", root = root.display(), url = url)
    );
    println!("{}", msg!("serve-drafts-shown"));
    if options.open {
        open_browser(&url);
    }
    let hosts = server::Hosts::new(options.interface, &url);
    let served = server::run(listener, hub, hosts, async move { stop.wait().await }).await;
    stopping.store(true, Ordering::Relaxed);
    let _ = requests.send(watch::Request::Stop);
    let _ = tokio::task::spawn_blocking(move || rebuilds.join()).await;
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&msg!("serve-stopped", why = e)),
    }
}

/// The address to print and to build links with: loopback when listening everywhere.
fn local_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::from([127, 0, 0, 1]),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::from([0, 0, 0, 0, 0, 0, 0, 1]),
        ip => ip,
    };
    format!("http://{}/", SocketAddr::new(ip, addr.port()))
}

fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    if let Err(e) = command.arg(url).spawn() {
        eprintln!("{}", msg!("serve-no-browser", why = e, url = url));
    }
}

fn fail(message: &str) -> ExitCode {
    eprintln!("lapa: {message}");
    ExitCode::from(1)
}
