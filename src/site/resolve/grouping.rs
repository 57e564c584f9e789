//! Grouping: pages in order, translations linked, reports by language, tags and years.

//! From loaded sources to a [`Site`]: URLs, projects, translations, taxonomies, links.

use super::*;

/// Reports newest first (then by file, so equal dates keep one order), then plain pages.
pub(super) fn order_pages(pages: &mut [Page]) {
    // By a key made once per page: the pages themselves are big, and a sort by
    // comparison would move each of them many times.
    pages.sort_by_cached_key(|p| {
        (
            p.kind == PageKind::Plain,
            std::cmp::Reverse(p.date),
            p.rel.clone(),
        )
    });
}

pub(super) fn link_translations(pages: &mut [Page]) {
    let mut groups: HashMap<String, Vec<PageId>> = HashMap::new();
    for (i, p) in pages.iter().enumerate() {
        groups
            .entry(translation_key(p))
            .or_default()
            .push(PageId::new(i));
    }
    for ids in groups.values().filter(|ids| ids.len() > 1) {
        for &id in ids {
            pages[id.index()].translations = ids.iter().copied().filter(|&o| o != id).collect();
        }
    }
}

/// The file path without its language suffix: translations share it.
fn translation_key(p: &Page) -> String {
    let stem = p.rel.strip_suffix(".md").unwrap_or(&p.rel);
    match stem.rsplit_once('.') {
        Some((base, suffix)) if suffix == p.lang => base.to_string(),
        _ => stem.to_string(),
    }
}

pub(super) fn reports_by_lang(
    pages: &[Page],
    languages: &[String],
) -> BTreeMap<String, Vec<PageId>> {
    let mut map: BTreeMap<String, Vec<PageId>> =
        languages.iter().map(|l| (l.clone(), Vec::new())).collect();
    for (i, p) in pages.iter().enumerate() {
        if matches!(p.kind, PageKind::Report { .. }) {
            map.entry(p.lang.clone()).or_default().push(PageId::new(i));
        }
    }
    map
}

pub(super) fn tag_groups(
    pages: &[Page],
    by_lang: &BTreeMap<String, Vec<PageId>>,
) -> BTreeMap<String, Vec<TagGroup>> {
    by_lang
        .iter()
        .map(|(lang, ids)| {
            let mut groups: BTreeMap<&str, TagGroup> = BTreeMap::new();
            for &id in ids {
                for tag in &pages[id.index()].tags {
                    groups
                        .entry(&tag.slug)
                        .or_insert_with(|| TagGroup {
                            tag: tag.clone(),
                            pages: Vec::new(),
                        })
                        .pages
                        .push(id);
                }
            }
            let mut groups: Vec<TagGroup> = groups.into_values().collect();
            groups.sort_by(|a, b| collate::compare(lang, &a.tag.name, &b.tag.name));
            (lang.clone(), groups)
        })
        .collect()
}

pub(super) fn year_groups(
    pages: &[Page],
    by_lang: &BTreeMap<String, Vec<PageId>>,
) -> BTreeMap<String, Vec<YearGroup>> {
    by_lang
        .iter()
        .map(|(lang, ids)| {
            let mut groups: Vec<YearGroup> = Vec::new();
            for &id in ids {
                let Some(year) = pages[id.index()].date.map(|d| d.year()) else {
                    continue;
                };
                match groups.last_mut() {
                    Some(g) if g.year == year => g.pages.push(id),
                    _ => groups.push(YearGroup {
                        year,
                        pages: vec![id],
                    }),
                }
            }
            (lang.clone(), groups)
        })
        .collect()
}
