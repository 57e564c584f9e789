//! `lapa check` on links to anchors: every `#id` a page links to is looked up in a set of
//! that page's ids made once, so a report with thousands of footnotes checks in moments.

use crate::common;

use common::*;

#[test]
fn twenty_thousand_footnotes_are_checked_and_one_broken_anchor_is_named() {
    let site = TestSite::new();
    let n = 20_000;
    let refs: Vec<String> = (1..=n).map(|i| format!("Teikums {i}.[^{i}]")).collect();
    let defs: Vec<String> = (1..=n).map(|i| format!("[^{i}]: Avots {i}.")).collect();
    site.report(
        "news/2024-01-01-piezimes.md",
        "Piezīmes",
        "2024-01-01",
        "",
        &format!(
            "{}\n\n[uz avotiem](#avoti) [nekur](#nekur)\n\n## Avoti {{#avoti}}\n\n{}",
            refs.join(" "),
            defs.join("\n")
        ),
    );
    let out = site.lapa(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(
        err.matches("leads to no `#").count(),
        1,
        "only the broken anchor is a problem:\n{err}"
    );
    assert!(err.contains("#nekur"), "{err}");
    assert!(err.contains("content/news/2024-01-01-piezimes.md"), "{err}");
}
