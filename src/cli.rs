//! The command line: parse arguments, run a command, turn the outcome into an exit code.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};

use crate::error::Diagnostic;
use crate::error::Diagnostics;
use crate::{build, check, dissemination, import, messages, msg, output, scaffold, serve};

/// lapa: a school's mobility reports become a news site.
#[derive(Debug, Parser)]
#[command(name = "lapa", version, about, long_about = None)]
struct Cli {
    /// The site's folder (the one with site.yaml).
    #[arg(long, global = true, default_value = ".", value_name = "DIR")]
    root: PathBuf,
    /// The language of lapa's messages (default: LAPA_LANG, else Latvian for a site
    /// whose first language is lv, else the system's language).
    #[arg(long, global = true, value_name = "LANG", value_parser = ["lv", "en"])]
    messages: Option<String>,
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
    /// Check the site (links, anchors, alt text, funding blocks) without writing anything.
    Check {
        /// Also check drafts and future-dated reports.
        #[arg(long)]
        drafts: bool,
        /// Also check links to other websites (needs the internet).
        #[arg(long)]
        external: bool,
        /// With --external: how long one website may take to answer.
        #[arg(long, value_name = "SECONDS", default_value = "10", value_parser = seconds, requires = "external")]
        timeout: Duration,
    },
    /// Make a new site in DIR (default: the --root folder), ready for `lapa serve`.
    Init {
        /// The new site's folder; must be empty or not exist.
        dir: Option<PathBuf>,
    },
    /// Write a new file with a filled-in template.
    New {
        #[command(subcommand)]
        what: New,
    },
    /// Print evidence for the national agency.
    Export {
        #[command(subcommand)]
        what: Export,
    },
    /// Bring another system's posts into content/.
    Import {
        #[command(subcommand)]
        what: Import,
    },
    /// Preview the site in a browser: rebuilds on every save and reloads the page.
    Serve {
        /// The first port to try; the next free one is used when it is taken.
        #[arg(long, short, default_value_t = 1111, value_name = "N")]
        port: u16,
        /// The address to listen on; 0.0.0.0 lets other computers see the preview.
        #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
        interface: IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Look for changes by reading the files every 300 ms (network drives, WSL's /mnt).
        #[arg(long)]
        poll: bool,
    },
    /// Convert a Markdown file saved in another encoding (Windows-1257) to UTF-8, keeping
    /// the original beside it as FILE.orig.
    FixEncoding {
        /// The file to convert.
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum New {
    /// A dated report in content/SECTION/, with every field explained.
    Report {
        /// The report's title.
        title: String,
        /// The project it is about (its id or its code).
        #[arg(long, value_name = "ID")]
        project: Option<String>,
        /// The section (a folder under content/).
        #[arg(long, default_value = "news")]
        section: String,
        /// The report's language (default: the site's first language).
        #[arg(long)]
        lang: Option<String>,
    },
    /// A project in content/projects/, with sections for its aims and results.
    Project {
        /// The project's title (its file name is made from it).
        title: String,
        /// The number on the grant agreement, e.g. 2024-1-LV01-KA121-SCH-000000001.
        #[arg(long, value_name = "CODE")]
        code: String,
        /// The programme (default: the one the code fits).
        #[arg(long, value_name = "ID")]
        programme: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum Export {
    /// Every published page naming a project: date, title, language, URL, authors, mobility.
    Dissemination {
        /// Only this project (its id or its code).
        #[arg(long, value_name = "ID")]
        project: Option<String>,
        /// The format printed on standard output.
        #[arg(long, value_enum, default_value_t = Format::Csv)]
        format: Format,
    },
}

#[derive(Debug, Subcommand)]
enum Import {
    /// A WordPress export (Tools → Export) becomes reports, pages, projects and media.
    Wordpress {
        /// The .xml file WordPress's Tools → Export downloaded.
        export: PathBuf,
        /// A copy of the old site's wp-content/uploads folder.
        #[arg(long, value_name = "DIR")]
        uploads: Option<PathBuf>,
        /// The section (a folder under content/) posts go to.
        #[arg(long, default_value = "news", value_name = "NAME")]
        section: String,
        /// Write nothing; print what would be done.
        #[arg(long)]
        dry_run: bool,
        /// Also import private and password-protected posts, as drafts.
        #[arg(long)]
        include_private: bool,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// Formats of `lapa export`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Csv,
    Json,
}

/// Run lapa with the process's arguments; the exit code follows the spec: 0, 1 or 2.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    messages::set(messages::choose(
        cli.messages.as_deref(),
        site_language(&cli.root).as_deref(),
    ));
    let after_failure = match cli.command {
        Command::Build { .. } => msg!("after-build"),
        Command::Check { .. } => msg!("after-check"),
        Command::Export { .. } => msg!("after-export"),
        Command::Init { .. } | Command::New { .. } | Command::FixEncoding { .. } => {
            msg!("after-write")
        }
        Command::Import { .. } => msg!("after-import"),
        Command::Serve { .. } => msg!("after-serve"),
    };
    let result = match cli.command {
        Command::Build {
            output,
            base_url,
            drafts,
        } => {
            let mut options = build::BuildOptions::new(&cli.root);
            options.base_url = base_url;
            options.drafts = drafts;
            options.progress = true;
            let output = output.unwrap_or_else(|| cli.root.join("public"));
            let started = Instant::now();
            build::lean_memory();
            build::build(&options, &output).map(|built| {
                eprint!("{}", built.warnings);
                eprint!("{}", built.photos.problems);
                say_moved(&output, &built.moved);
                println!(
                    "{}",
                    msg!(
                        "build-done",
                        pages = built.pages,
                        files = built.written.files,
                        unchanged = built.written.unchanged,
                        folder = output.display(),
                        ms = started.elapsed().as_millis(),
                        photos = photo_note(&built.photos),
                    )
                );
                // The process ends here: freeing the site piece by piece would only delay it.
                std::mem::forget(built);
            })
        }
        Command::Check {
            drafts,
            external,
            timeout,
        } => {
            let mut options = build::BuildOptions::new(&cli.root);
            options.drafts = drafts;
            let settings = external.then(|| check::external::Settings {
                timeout,
                ..Default::default()
            });
            if let Some(s) = &settings {
                eprintln!(
                    "{}",
                    msg!(
                        "check-external-start",
                        parallel = s.parallel,
                        seconds = s.timeout.as_secs_f64()
                    )
                );
            }
            let problems = check::check(&options, settings.as_ref());
            if problems.is_empty() {
                println!("{}", msg!("check-no-problems"));
                Ok(())
            } else if problems.has_errors() {
                Err(problems)
            } else {
                eprint!("{problems}");
                Ok(())
            }
        }
        Command::Init { dir } => {
            let dir = dir.unwrap_or_else(|| cli.root.clone());
            scaffold::init(&dir, jiff::Zoned::now().date()).map(|files| {
                for f in files {
                    println!("{}", f.display());
                }
                println!("{}", msg!("init-ready", folder = dir.display()));
            })
        }
        Command::New {
            what:
                New::Report {
                    title,
                    project,
                    section,
                    lang,
                },
        } => {
            let new = scaffold::NewReport {
                title,
                project,
                section,
                lang,
                today: jiff::Zoned::now().date(),
            };
            scaffold::new_report(&cli.root, &new).map(|path| println!("{}", path.display()))
        }
        Command::New {
            what:
                New::Project {
                    title,
                    code,
                    programme,
                },
        } => {
            let new = scaffold::NewProject {
                title,
                code,
                programme,
            };
            scaffold::new_project(&cli.root, &new).map(|path| println!("{}", path.display()))
        }
        Command::Export {
            what: Export::Dissemination { project, format },
        } => export_dissemination(&cli.root, project.as_deref(), format),
        Command::Import {
            what:
                Import::Wordpress {
                    export,
                    uploads,
                    section,
                    dry_run,
                    include_private,
                    json,
                },
        } => {
            let options = import::ImportOptions {
                export,
                uploads,
                section,
                dry_run,
                include_private,
            };
            import::wordpress(&cli.root, &options).map(|report| {
                if json {
                    println!(
                        "{}",
                        serde_json::to_string_pretty(&report).unwrap_or_default()
                    );
                } else {
                    print!("{report}");
                }
            })
        }
        Command::Serve {
            port,
            interface,
            open,
            poll,
        } => {
            return serve::serve(serve::ServeOptions {
                root: cli.root,
                interface,
                port,
                open,
                poll,
            });
        }
        Command::FixEncoding { file } => crate::encoding::fix_file(&file).map(|was| {
            println!(
                "{}",
                msg!(
                    "fix-encoding-done",
                    file = file.display(),
                    encoding = was,
                    backup = crate::encoding::backup_of(&file).display()
                )
            )
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(problems) => {
            report(&problems, &after_failure);
            ExitCode::from(1)
        }
    }
}

fn export_dissemination(
    root: &std::path::Path,
    project: Option<&str>,
    format: Format,
) -> Result<(), Diagnostics> {
    let site = build::load(&build::BuildOptions::new(root))?;
    let ids: Vec<crate::site::ProjectId> = match project {
        Some(wanted) => {
            let found = site
                .projects_with_ids()
                .find(|(_, p)| p.id == wanted || p.code == wanted)
                .map(|(id, _)| id);
            let known: Vec<&str> = site.projects.iter().map(|p| p.id.as_str()).collect();
            vec![found.ok_or_else(|| {
                Diagnostic::new(
                    "--project",
                    msg!(
                        "export-unknown-project",
                        wanted = wanted,
                        known = known.join(", ")
                    ),
                )
            })?]
        }
        None => site.project_ids().collect(),
    };
    let text = match format {
        Format::Csv => dissemination::to_csv_for(&site, &ids),
        Format::Json => dissemination::to_json_for(&site, &ids),
    };
    print!("{text}");
    Ok(())
}

/// The site's first language, read from its site.yaml before anything else (the
/// language of every message depends on it); `lv`, as `Config` assumes, when site.yaml
/// lists none, and nothing when there is no readable site.yaml.
fn site_language(root: &std::path::Path) -> Option<String> {
    let text = std::fs::read_to_string(root.join("site.yaml")).ok()?;
    let value: serde_json::Value =
        crate::yaml::from_str(&text, std::path::Path::new("site.yaml")).ok()?;
    match value.get("languages") {
        None => Some("lv".to_string()),
        Some(languages) => languages.get(0)?.as_str().map(str::to_string),
    }
}

/// A time limit in seconds, `10` or `2.5`: more than nothing, at most ten minutes.
fn seconds(text: &str) -> Result<Duration, String> {
    let n: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if n > 0.0 && n <= 600.0 {
        Ok(Duration::from_secs_f64(n))
    } else {
        Err("give a number of seconds above 0 and at most 600".into())
    }
}

/// `; photos: 2 processed, 5 from the cache`, or nothing for a site without photos.
fn photo_note(report: &crate::images::PhotoReport) -> String {
    if report.processed + report.reused == 0 {
        return String::new();
    }
    msg!(
        "build-photos",
        processed = report.processed,
        reused = report.reused
    )
}

/// Say once which files found in the output folder were moved out of it, and why.
fn say_moved(output: &std::path::Path, moved: &output::Moved) {
    let Some(first) = moved.files.first() else {
        return;
    };
    let n = moved.files.len() as u64;
    let shown: Vec<&str> = moved.files.iter().take(5).map(String::as_str).collect();
    let more = if moved.files.len() > 5 { ", …" } else { "" };
    eprintln!(
        "{}",
        msg!(
            "build-moved",
            output = output.display(),
            n = n,
            shown = format!("{}{more}", shown.join(", ")),
            to = moved.to.display(),
            first = first,
        )
    );
}

/// Print every problem, then a count a person can take in at a glance.
fn report(problems: &Diagnostics, after: &str) {
    eprint!("{problems}");
    let errors = problems.iter().filter(|d| d.is_error()).count();
    eprintln!("{}", msg!("problems-found", n = errors, after = after));
}
