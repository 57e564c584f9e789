//! The pipeline, end to end: configuration → content → site → rendered files → output.
//!
//! `build`, `serve`, `check` and `export` all start here, so they see the same site.

use std::path::{Path, PathBuf};

use jiff::Timestamp;

use crate::config::{BaseUrl, Config};
use crate::content;
use crate::error::{Diagnostic, Diagnostics};
use crate::output::{self, Written};
use crate::render::{self, Rendered};
use crate::site::{self, Site};
use crate::theme::Theme;

/// What to build, and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site's folder.
    pub root: PathBuf,
    /// Replaces site.yaml's `base_url` (`--base-url`, and `serve`'s local address).
    pub base_url: Option<String>,
    /// Publish drafts and future-dated pages.
    pub drafts: bool,
    /// The build's time: pages dated after it are "the future".
    pub now: Timestamp,
}

impl Options {
    /// Build the site in `root` as of now.
    pub fn new(root: impl Into<PathBuf>) -> Options {
        Options {
            root: root.into(),
            base_url: None,
            drafts: false,
            now: Timestamp::now(),
        }
    }
}

/// Load and resolve the site: everything `build` validates, without rendering.
pub fn load(options: &Options) -> Result<Site, Diagnostics> {
    load_site(options).map_err(|p| p.relative_to(&options.root))
}

fn load_site(options: &Options) -> Result<Site, Diagnostics> {
    let mut config = Config::load(&options.root)?;
    if let Some(url) = &options.base_url {
        config.base_url = BaseUrl::parse(url).map_err(|m| Diagnostic::new("--base-url", m))?;
    }
    let (content, mut problems) = timed("load content", || content::load(&config));
    let resolved = timed("resolve", || {
        site::resolve(
            config,
            content,
            &site::Options {
                drafts: options.drafts,
                now: options.now,
            },
        )
    });
    match resolved {
        Ok(site) if !problems.has_errors() => Ok(site),
        Ok(_) => Err(problems.sorted()),
        Err(more) => {
            problems.extend(more);
            Err(problems.sorted())
        }
    }
}

/// Load, resolve and render the site into memory.
pub fn render(options: &Options) -> Result<(Site, Rendered), Diagnostics> {
    render_site(options).map_err(|p| p.relative_to(&options.root))
}

fn render_site(options: &Options) -> Result<(Site, Rendered), Diagnostics> {
    let config_problems;
    let site = load(options);
    let theme = match &site {
        Ok(s) => timed("load theme", || Theme::load(&s.config)),
        Err(_) => {
            // Report template problems along with content ones when site.yaml itself is fine.
            config_problems = Config::load(&options.root).ok();
            match &config_problems {
                Some(c) => Theme::load(c),
                None => Err(Diagnostics::default()),
            }
        }
    };
    match (site, theme) {
        (Ok(site), Ok(theme)) => {
            let rendered = timed("render", || render::render(&site, &theme))?;
            Ok((site, rendered))
        }
        (Ok(_), Err(t)) => Err(t.sorted()),
        (Err(mut s), Err(t)) => {
            s.extend(t);
            Err(s.sorted())
        }
        (Err(s), Ok(_)) => Err(s),
    }
}

/// Build the site into `output`; the previous output stays untouched on any error.
pub fn build(options: &Options, output: &Path) -> Result<(Site, Written), Diagnostics> {
    output::check_output_dir(&options.root, output)?;
    let (site, rendered) = render(options)?;
    let written = timed("write", || output::write(&options.root, output, &rendered))?;
    Ok((site, written))
}

/// Run `f`, and print how long it took when `LAPA_TIMINGS` is set (for profiling a build).
fn timed<T>(stage: &str, f: impl FnOnce() -> T) -> T {
    if std::env::var_os("LAPA_TIMINGS").is_none() {
        return f();
    }
    let started = std::time::Instant::now();
    let result = f();
    eprintln!("{stage:>14}: {:>6} ms", started.elapsed().as_millis());
    result
}
