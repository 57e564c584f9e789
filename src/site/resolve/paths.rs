//! One claim per output file: every page, section, home and alias path claimed once.

//! From loaded sources to a [`Site`]: URLs, projects, translations, taxonomies, links.

use super::*;
use crate::msg;

/// Claim every output path a page, a section, a language's home or an alias makes, so
/// that two of them at one file (in any letter case) are an error naming both.
pub(super) fn check_unique_urls(
    pages: &[Step<'_, '_>],
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
            what: msg!("claim-home", lang = lang, home = home),
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
                what: msg!("claim-section", name = section.name, url = url),
            };
            if let Err(clash) = claims.claim(&urls.output_file(&url), who) {
                problems.push(clash_error(&clash, &msg!("claim-advice-folders")));
                // One message per folder, not one per language.
                break;
            }
        }
    }
    // Each page's claim is made on every core (a site has thousands), then claimed in
    // order, so a clash is still reported on the later file.
    let this_page = msg!("claim-this-page");
    let claims_of_pages: Vec<(Keyed, Claimant)> = pages
        .par_iter()
        .map(|p| {
            let who = Claimant {
                file: ctx.file(&p.source().path),
                line: None,
                what: format!("{this_page} ({})", p.url()),
            };
            (Keyed::of(&urls.output_file(p.url())), who)
        })
        .collect();
    for (output, who) in claims_of_pages {
        if let Err(clash) = claims.claim_keyed(output, who) {
            problems.push(clash_error(&clash, &msg!("claim-advice-page")));
        }
    }
    for asset in assets {
        let who = Claimant {
            file: ctx.file(&asset.path),
            line: None,
            what: msg!("claim-file", rel = asset.rel),
        };
        if let Err(clash) = claims.claim(&asset.rel, who) {
            problems.push(clash_error(&clash, &msg!("claim-advice-files")));
        }
    }
    for p in pages {
        let source = p.source();
        for (alias, output) in p.aliases() {
            let who = Claimant {
                file: ctx.file(&source.path),
                line: key_line(&source.front_text, "aliases").map(|l| l + source.front_line),
                what: msg!("claim-alias", alias = alias),
            };
            if let Some(own) = lapas_own(output, &ctx.config.languages) {
                problems.push(
                    Diagnostic::new(who.file, msg!("claim-alias-own", alias = alias, own = own))
                        .at(who.line.unwrap_or(1), None),
                );
            } else if let Err(clash) = claims.claim(output, who) {
                problems.push(clash_error(&clash, &msg!("claim-advice-alias")));
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
        .strip_prefix(&msg!("claim-this-page"))
        .map_or_else(|| first.what.clone(), |rest| msg!("claim-the-page") + rest);
    let named = first.what.contains(&*first.file.to_string_lossy());
    let first_desc =
        if first.file.as_os_str() == "site.yaml" || named || first.file == clash.second.file {
            first_what
        } else {
            msg!(
                "claim-in-file",
                what = first_what,
                file = first.file.display()
            )
        };
    let message = msg!(
        "claim-clash",
        second = clash.second.what,
        first = first_desc,
        path = clash.path,
        advice = advice
    );
    Diagnostic::new(clash.second.file.clone(), message).at(clash.second.line.unwrap_or(1), None)
}
