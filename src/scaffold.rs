//! `lapa init` and `lapa new`: files a teacher starts from. Never overwrites anything.

use crate::messages::Lang;
use crate::msg;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::build;
use crate::config::Config;
use crate::error::{Diagnostic, Diagnostics};
use crate::slug;

/// What `lapa new report` is asked for.
#[derive(Debug, Clone)]
pub struct NewReport {
    pub title: String,
    pub project: Option<String>,
    pub section: String,
    pub lang: Option<String>,
    /// The report's date (today, in the school's time zone).
    pub today: jiff::civil::Date,
}

/// Write a new report with a filled-in front matter template; return its path.
pub fn new_report(root: &Path, new: &NewReport) -> Result<PathBuf, Diagnostics> {
    let config = Config::load(root)?;
    let lang = new
        .lang
        .clone()
        .unwrap_or_else(|| config.default_language().to_string());
    if !config.languages.contains(&lang) {
        return Err(Diagnostic::new(
            "--lang",
            msg!(
                "new-unknown-lang",
                lang = lang,
                languages = config.languages.join(", ")
            ),
        )
        .into());
    }
    let speak = Lang::from_code(&lang).unwrap_or(Lang::En);
    let project_line = match &new.project {
        Some(wanted) => {
            let site = build::load(&build::BuildOptions {
                drafts: true,
                ..build::BuildOptions::new(root)
            })?;
            let project = site
                .projects
                .iter()
                .find(|p| &p.id == wanted || &p.code == wanted)
                .ok_or_else(|| {
                    let known: Vec<&str> = site.projects.iter().map(|p| p.id.as_str()).collect();
                    Diagnostic::new(
                        "--project",
                        if known.is_empty() {
                            msg!("new-no-projects-yet", wanted = wanted)
                        } else {
                            msg!(
                                "export-unknown-project",
                                wanted = wanted,
                                known = known.join(", ")
                            )
                        },
                    )
                })?;
            msg!("new-report-project" in speak, id = project.id)
        }
        None => msg!("new-report-no-project" in speak),
    };
    check_section(&new.section)?;
    let section_slug = slug::slugify(&new.section);
    let title_slug = shortened(&slug::slugify(&new.title));
    if section_slug.is_empty() || title_slug.is_empty() {
        return Err(Diagnostic::new("lapa new", msg!("new-report-no-letters")).into());
    }
    let dir = config.content_dir().join(&new.section);
    let file = if lang == config.default_language() {
        dir.join(format!("{}-{title_slug}.md", new.today))
    } else {
        let original = find_original(&dir, &title_slug);
        match original {
            Some(stem) => dir.join(format!("{stem}.{lang}.md")),
            None => dir.join(format!("{}-{title_slug}.{lang}.md", new.today)),
        }
    };
    let text = report_template(
        speak,
        &new.title,
        new.today,
        &project_line,
        (lang != config.default_language()).then_some(lang.as_str()),
    );
    create_new(&file, &text)?;
    Ok(file)
}

/// What `lapa new project` is asked for.
#[derive(Debug, Clone)]
pub struct NewProject {
    pub title: String,
    /// The number on the grant agreement.
    pub code: String,
    /// The programme's id; guessed from the code's shape when not given.
    pub programme: Option<String>,
}

/// Write `content/projects/ID.md` with the project's front matter and the sections its
/// page must have (a description, `## Mērķi`, `## Rezultāti`); return its path.
pub fn new_project(root: &Path, new: &NewProject) -> Result<PathBuf, Diagnostics> {
    let config = Config::load(root)?;
    let id = shortened(&slug::slugify(&new.title));
    if id.is_empty() {
        let command = "lapa new project"; // not a message: where the problem is
        return Err(Diagnostic::new(command, msg!("new-project-no-letters")).into());
    }
    let code = new.code.trim();
    let programme = match &new.programme {
        Some(p) => p.clone(),
        None => config
            .programmes
            .ids()
            .find(|id| {
                config
                    .programmes
                    .get(id)
                    .is_some_and(|p| p.check_code(code).is_ok())
            })
            .unwrap_or("erasmus-plus")
            .to_string(),
    };
    let Some(p) = config.programmes.get(&programme) else {
        let known: Vec<&str> = config.programmes.ids().collect();
        return Err(Diagnostic::new(
            "--programme",
            msg!(
                "new-unknown-programme",
                programme = programme,
                known = known.join(", ")
            ),
        )
        .into());
    };
    if let Err(why) = p.check_code(code) {
        return Err(Diagnostic::new("--code", why).into());
    }
    let file = config
        .content_dir()
        .join("projects")
        .join(format!("{id}.md"));
    let speak = Lang::from_code(config.default_language()).unwrap_or(Lang::En);
    create_new(
        &file,
        &project_template(speak, &new.title, code, &programme),
    )?;
    Ok(file)
}

/// A project file: front matter, and the sections Article 50 asks a project page for: a
/// description, `## Mērķi` and `## Rezultāti` (`lapa check` looks for the two headings;
/// they are Latvian in both catalogues).
fn project_template(lang: Lang, title: &str, code: &str, programme: &str) -> String {
    let title = title.replace('\\', "\\\\").replace('"', "\\\"");
    msg!(
        "new-project-template" in lang,
        title = title,
        code = code,
        programme = programme
    )
}

/// A file name's slug is cut to this many characters (at a `-` where there is one): a file
/// system allows 255 bytes in a name, and a reader a lot less.
const MAX_SLUG: usize = 60;

/// `slug`, cut after at most [`MAX_SLUG`] characters, at a word's end where it can be.
fn shortened(slug: &str) -> String {
    if slug.len() <= MAX_SLUG {
        return slug.to_string();
    }
    // Slugs are ASCII, so every byte is a character boundary.
    let cut = &slug[..MAX_SLUG];
    let cut = match cut.rfind('-') {
        Some(i) if i > MAX_SLUG / 2 => &cut[..i],
        _ => cut,
    };
    cut.trim_end_matches('-').to_string()
}

/// A section is one folder name under content/: nothing that climbs out or starts elsewhere.
fn check_section(section: &str) -> Result<(), Diagnostic> {
    let mut parts = Path::new(section).components();
    let one_name = matches!(
        (parts.next(), parts.next()),
        (Some(std::path::Component::Normal(_)), None)
    );
    if one_name && !section.starts_with('.') && !section.contains(['/', '\\']) {
        return Ok(());
    }
    Err(Diagnostic::new(
        "--section",
        msg!("new-bad-section", section = section),
    ))
}

/// A default-language report in `dir` whose name, without its date, is `slug`.
fn find_original(dir: &Path, slug_wanted: &str) -> Option<String> {
    let mut stems: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter_map(|n| n.strip_suffix(".md").map(str::to_string))
        .filter(|stem| !stem.contains('.') && slug::from_file_stem(stem) == slug_wanted)
        .collect();
    stems.sort();
    stems.pop()
}

fn report_template(
    lang: Lang,
    title: &str,
    today: jiff::civil::Date,
    project_line: &str,
    lang_code: Option<&str>,
) -> String {
    let title = title.replace('\\', "\\\\").replace('"', "\\\"");
    let lang_line = lang_code
        .map(|l| format!("lang: {l}\n"))
        .unwrap_or_default();
    msg!(
        "new-report-template" in lang,
        title = title,
        today = today,
        project = project_line,
        lang_line = lang_line
    )
}

/// Write `text` to `path`, refusing to replace a file that exists.
fn create_new(path: &Path, text: &str) -> Result<(), Diagnostic> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Diagnostic::new(parent, msg!("folder-uncreatable", why = e)))?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Diagnostic::new(path, msg!("new-file-exists"))
            } else {
                Diagnostic::new(path, msg!("file-uncreatable", why = e))
            }
        })?;
    f.write_all(text.as_bytes())
        .map_err(|e| Diagnostic::new(path, msg!("file-unwritable", why = e)))
}

/// Make a new site in `dir`: refuses a folder that has anything in it.
pub fn init(dir: &Path, today: jiff::civil::Date) -> Result<Vec<PathBuf>, Diagnostics> {
    if dir.exists() && !dir.is_dir() {
        return Err(Diagnostic::new(dir, msg!("init-not-a-folder")).into());
    }
    if dir.exists() {
        let non_empty = std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true);
        if non_empty || !dir.is_dir() {
            return Err(Diagnostic::new(dir, msg!("init-not-empty")).into());
        }
    }
    let files: Vec<(PathBuf, String)> = vec![
        (dir.join("site.yaml"), msg!("init-site-yaml")),
        (
            dir.join(".gitignore"),
            format!(
                "{}\n/public/\n/.public.lapa-*\n/public.lapa-moved/\n",
                msg!("init-gitignore-note")
            ),
        ),
        (dir.join("content/_index.md"), HOME.to_string()),
        (dir.join("content/_index.en.md"), HOME_EN.to_string()),
        (
            dir.join("content/news/_index.md"),
            "---\ntitle: Jaunumi\n---\n".to_string(),
        ),
        (
            dir.join("content/news/_index.en.md"),
            "---\ntitle: News\n---\n".to_string(),
        ),
        (
            dir.join("content/projects/mans-projekts.md"),
            PROJECT.to_string(),
        ),
        (
            dir.join(format!("content/news/{today}-pirma-zina.md")),
            FIRST_REPORT.replace("{today}", &today.to_string()),
        ),
    ];
    let mut written = Vec::new();
    for (path, text) in files {
        create_new(&path, &text)?;
        written.push(path);
    }
    Ok(written)
}

const HOME: &str = "---
title: Mūsu skola
---
Šeit skola stāsta par saviem Erasmus+ un ESF+ projektiem: ko skolotāji mācījās un kā to izmanto.
";

const HOME_EN: &str = "---
title: Our school
---
Here the school tells about its Erasmus+ and ESF+ projects: what teachers learned and how they use it.
";

const PROJECT: &str = "---
# One file for each EU-funded project. The file's name (mans-projekts) is the project's id:
# a report names it with `project: mans-projekts`.
title: \"Mūsu Erasmus+ projekts\"
title_en: \"Our Erasmus+ project\"
code: 2024-1-LV01-KA121-SCH-000000001   # the number on the grant agreement
programme: erasmus-plus                  # erasmus-plus | erasmus-plus-2014 | esf-plus
beneficiary: Mūsu skola
agency: Valsts izglītības attīstības aģentūra
start: 2024-06-01
end: 2025-08-31
---
Īsi: ko projekts dara un kāpēc (dažos teikumos).

## Mērķi

- Ko projekts grib panākt.

## Rezultāti

- Kas ir paveikts vai sagaidāms, un kā skola to izmanto.
";

const FIRST_REPORT: &str = "---
title: \"Mūsu pirmā ziņa\"
date: {today}
authors: [Skolotāja]
project: mans-projekts
tags: [erasmus]
---
Šī ir pirmā ziņa. Atveriet šo failu un rakstiet savu stāstu: lapa serve parāda izmaiņas uzreiz.
";
