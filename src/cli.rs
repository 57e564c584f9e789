//! The command line: parse arguments, run a command, turn the outcome into an exit code.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

use crate::build;
use crate::error::Diagnostics;

/// lapa: a school's mobility reports become a news site.
#[derive(Debug, Parser)]
#[command(name = "lapa", version, about, long_about = None)]
struct Cli {
    /// The site's folder (the one with site.yaml).
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site into public/ (or --output).
    Build {
        /// Where to write the site.
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        /// The address the site will live at (replaces site.yaml's base_url).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Publish drafts and future-dated reports too.
        #[arg(long)]
        drafts: bool,
    },
}

/// Run lapa with the process's arguments; the exit code follows the spec: 0, 1 or 2.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Build {
            output,
            base_url,
            drafts,
        } => {
            let mut options = build::Options::new(&cli.root);
            options.base_url = base_url;
            options.drafts = drafts;
            let output = output.unwrap_or_else(|| cli.root.join("public"));
            let started = Instant::now();
            build::build(&options, &output).map(|(site, written)| {
                println!(
                    "Built {} pages ({} files) into {} in {} ms",
                    site.pages.len(),
                    written.files,
                    output.display(),
                    started.elapsed().as_millis()
                );
            })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(problems) => {
            report(&problems);
            ExitCode::from(1)
        }
    }
}

/// Print every problem, then a count a person can take in at a glance.
fn report(problems: &Diagnostics) {
    eprint!("{problems}");
    let errors = problems.iter().filter(|d| d.is_error()).count();
    eprintln!(
        "lapa: {errors} {} found; nothing was written, the previous site is unchanged",
        if errors == 1 { "problem" } else { "problems" }
    );
}
