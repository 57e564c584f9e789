//! One claim per output file: every page, section, home and alias path claimed once.

//! From loaded sources to a [`Site`]: URLs, projects, translations, taxonomies, links.

use super::*;

/// Claim every output path a page, a section, a language's home or an alias makes, so
/// that two of them at one file (in any letter case) are an error naming both.
pub(super) fn check_unique_urls(
    metas: &[PageMeta],
    sections: &[Section],
    assets: &[crate::content::Asset],
    ctx: &Ctx,
    problems: &mut Diagnostics,
) {
    let mut claims = Claims::default();
    let urls = ctx.urls;
    // Lapa's own pages first, so that a clash is reported on the file that makes it.
    for lang in &ctx.config.languages {
        let home = urls.home(lang);
        let who = Claimant {
            file: "site.yaml".into(),
            line: None,
            what: format!("the home page of the language `{lang}` ({home})"),
        };
        // Languages are distinct: their homes cannot clash with each other.
        let _ = claims.claim(&urls.output_file(&home), who);
    }
    for section in sections {
        for lang in &ctx.config.languages {
            let url = urls.section(lang, &section.slug);
            let who = Claimant {
                file: ctx.file(&ctx.config.root.join("content").join(&section.name)),
                line: None,
                what: format!("the section folder `content/{}` ({url})", section.name),
            };
            if let Err(clash) = claims.claim(&urls.output_file(&url), who) {
                problems.push(clash_error(
                    &clash,
                    "rename one of the folders (or merge them)",
                ));
                // One message per folder, not one per language.
                break;
            }
        }
    }
    for m in metas {
        let who = Claimant {
            file: ctx.file(&m.source.path),
            line: None,
            what: format!("this page ({})", m.url),
        };
        if let Err(clash) = claims.claim(&urls.output_file(&m.url), who) {
            problems.push(clash_error(&clash, "change one file's name or its `slug:`"));
        }
    }
    for asset in assets {
        let who = Claimant {
            file: ctx.file(&asset.path),
            line: None,
            what: format!("the file `content/{}`", asset.rel),
        };
        if let Err(clash) = claims.claim(&asset.rel, who) {
            problems.push(clash_error(&clash, "rename one of the files"));
        }
    }
    for m in metas {
        for (alias, output) in &m.aliases {
            let who = Claimant {
                file: ctx.file(&m.source.path),
                line: key_line(&m.source.front_text, "aliases").map(|l| l + m.source.front_line),
                what: format!("the alias `{alias}` of this page"),
            };
            if let Some(own) = lapas_own(output, &ctx.config.languages) {
                problems.push(
                    Diagnostic::new(who.file, format!(
                        "the alias `{alias}` is inside {own}, which lapa makes for its own pages: remove the alias or change it"
                    ))
                    .at(who.line.unwrap_or(1), None),
                );
            } else if let Err(clash) = claims.claim(output, who) {
                problems.push(clash_error(&clash, "remove or change the alias"));
            }
        }
    }
}

/// The place of lapa's own pages and files that `output` is in (`tags/`, `en/atom.xml` …).
fn lapas_own(output: &str, languages: &[String]) -> Option<String> {
    let lower = output.to_lowercase();
    let rest = languages
        .iter()
        .find_map(|l| lower.strip_prefix(&format!("{l}/")))
        .unwrap_or(&lower);
    let first = rest.split('/').next().unwrap_or(rest);
    if RESERVED.contains(&first) && rest.contains('/') {
        return Some(format!("/{first}/"));
    }
    ["atom.xml", "sitemap.xml", "robots.txt", "404.html"]
        .contains(&rest)
        .then(|| format!("/{rest}"))
}

/// The error for a second claim on an output path, on the second claimant's file.
fn clash_error(clash: &Clash, advice: &str) -> Diagnostic {
    let first = &clash.first;
    let first_what = first
        .what
        .strip_prefix("this page")
        .map_or_else(|| first.what.clone(), |rest| format!("the page{rest}"));
    let named = first.what.contains(&*first.file.to_string_lossy());
    let first_desc =
        if first.what.starts_with("the home page") || named || first.file == clash.second.file {
            first_what
        } else {
            format!("{first_what} in `{}`", first.file.display())
        };
    let mut message = format!(
        "{} and {first_desc} would be one file, {}",
        clash.second.what, clash.path
    );
    message.push_str(
        " (addresses that differ only in capital letters or trailing spaces are one file on Windows and macOS hosts): ",
    );
    message.push_str(advice);
    Diagnostic::new(clash.second.file.clone(), message).at(clash.second.line.unwrap_or(1), None)
}
