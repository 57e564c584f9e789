//! The resolve memo: each page as the last resolve made it, with what it was made from,
//! so a rebuild (`serve`) makes anew only the pages whose inputs changed.

use super::*;
use std::collections::HashSet;

/// What a resolve keeps for the next one (`serve`): the bodies of the home, section and
/// project files ([`Bodies`]), and every published page as it was made, with the inputs
/// it was made from. A page is taken over only while each of those is unchanged: its
/// file (the same parsed `Source`, which the load keeps only while the file is), the
/// section index whose defaults it took, its section, whether its date is still in the
/// future, and what every page is made with ([`context`]: the configuration, the
/// sections and projects it may name, what is published). Its body is taken over only
/// while every link it looked up still leads where it led.
#[derive(Debug, Default)]
pub struct ResolveMemo {
    pub(super) bodies: Bodies,
    /// Each published page by its file under `content/`.
    pub(super) pages: HashMap<String, KeptPage>,
    /// [`context`] of the resolve the pages were made by.
    context: u128,
    /// The last resolve's claims and link table, while its pages' [`shape`] is the same.
    pub(super) across: Option<Across>,
    /// Keep nothing: there is no next resolve (`build`).
    off: bool,
}

/// What a resolve found across its pages, and the [`shape`] it was found from.
#[derive(Debug)]
pub(super) struct Across {
    pub(super) shape: u128,
    /// The clashes of output paths (`paths::check_unique_urls`).
    pub(super) clashes: Diagnostics,
    pub(super) links: Links,
}

/// A published page as a resolve made it, and what it was made from.
#[derive(Debug)]
pub(super) struct KeptPage {
    source: Arc<Source>,
    /// The section index (`_index.md`) whose defaults it took.
    index: Option<Arc<Source>>,
    section: Option<usize>,
    /// Whether its date was after the resolve's time (a draft until then).
    future: bool,
    /// Its front matter's `summary:`, when it has one (else its body's first paragraph).
    summary: bool,
    /// `aliases:` as written, with where each redirect page goes.
    pub(super) aliases: Vec<(String, String)>,
    pub(super) errors: Diagnostics,
    body: Body,
    pub(super) page: Page,
}

/// What a page is made from that it did not say itself: the memo's entry is taken over
/// only when these are what it was made from.
pub(super) struct Inputs<'a> {
    pub(super) source: &'a Arc<Source>,
    pub(super) index: Option<&'a Arc<Source>>,
    pub(super) section: Option<usize>,
}

/// A hash of what every page is made with: the configuration (URLs, languages, the
/// site's folder), the sections (a page's section is a position among them), the
/// projects a page may name (by id or code; an unknown one's error lists the ids) and
/// whether drafts are published.
pub(super) fn context(
    config: &Config,
    sections: &[Section],
    projects: &[Project],
    options: &Publish,
) -> u128 {
    use std::hash::Hash;
    let mut h = crate::hash::Hasher::default();
    config.hash(&mut h);
    for s in sections {
        (&s.name, &s.slug).hash(&mut h);
    }
    for p in projects {
        (&p.id, &p.code).hash(&mut h);
    }
    (options.drafts, options.external_links).hash(&mut h);
    h.digest()
}

/// Whether a page of `date` is in the future at `now`: a draft until then.
pub(super) fn in_future(date: Option<PageDate>, now: Timestamp) -> bool {
    date.is_some_and(|d| d.instant > now)
}

impl ResolveMemo {
    /// A memo that keeps nothing, for a resolve that is the only one.
    pub fn off() -> ResolveMemo {
        ResolveMemo {
            bodies: Bodies::off(),
            off: true,
            ..ResolveMemo::default()
        }
    }

    /// Forget every page, claim and link table made with another `context`.
    pub(super) fn made_with(&mut self, context: u128) {
        if self.context != context {
            self.pages.clear();
            self.across = None;
            self.context = context;
        }
    }

    /// Whether this memo keeps pages for the next resolve.
    pub(super) fn keeps(&self) -> bool {
        !self.off
    }

    /// Keep the pages made anew by this resolve, and forget those it no longer has
    /// (`pages`: every page it published).
    pub(super) fn keep(&mut self, made: impl IntoIterator<Item = Box<KeptPage>>, pages: &[Page]) {
        for entry in made {
            self.pages.insert(entry.source.rel.clone(), *entry);
        }
        if self.pages.len() > pages.len() {
            let published: HashSet<&str> = pages.iter().map(|p| p.rel.as_str()).collect();
            self.pages.retain(|rel, _| published.contains(rel.as_str()));
        }
    }
}

/// A hash of what the claims on output paths and the link table are made from, beside
/// [`context`]: each page's file, address and `aliases:` (with the lines they are on), in
/// order, the assets, and the home and section index files. Equal shapes in one context
/// make equal claims and link tables.
pub(super) fn shape(
    pages: &[Step<'_, '_>],
    assets: &[crate::content::Asset],
    index_src: &[(&Arc<Source>, &String, &IndexFront)],
    home_src: &[(&Source, &IndexFront)],
) -> u128 {
    use std::hash::Hash;
    let mut h = crate::hash::Hasher::default();
    for p in pages {
        let source = p.source();
        (
            &source.path,
            &source.rel,
            &source.key,
            &source.lang,
            p.url(),
        )
            .hash(&mut h);
        p.aliases().hash(&mut h);
        if !p.aliases().is_empty() {
            (&source.front_text, source.front_line).hash(&mut h);
        }
    }
    for asset in assets {
        (&asset.path, &asset.rel).hash(&mut h);
    }
    for (source, name, _) in index_src {
        (&source.rel, &source.key, name).hash(&mut h);
    }
    for (source, _) in home_src {
        (&source.rel, &source.key).hash(&mut h);
    }
    h.digest()
}

impl KeptPage {
    /// Whether this entry was made from `inputs` at a time on the same side of its date.
    pub(super) fn made_from(&self, inputs: &Inputs, now: Timestamp) -> bool {
        Arc::ptr_eq(&self.source, inputs.source)
            && match (&self.index, inputs.index) {
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                (None, None) => true,
                _ => false,
            }
            && self.section == inputs.section
            && self.future == in_future(self.page.date, now)
    }

    /// A page made anew from `meta` and its `body`, and its entry.
    pub(super) fn made(
        inputs: &Inputs,
        meta: PageMeta,
        errors: Diagnostics,
        body: Body,
        ctx: &Ctx,
    ) -> (Box<KeptPage>, Page) {
        let future = meta.future;
        let summary = meta.summary.is_some();
        let aliases = meta.aliases.clone();
        let page = meta.into_page(body.rendered().clone(), ctx);
        let entry = KeptPage {
            source: inputs.source.clone(),
            index: inputs.index.cloned(),
            section: inputs.section,
            future,
            summary,
            aliases,
            errors,
            body,
            page: page.clone(),
        };
        (Box::new(entry), page)
    }

    /// The page again, with its body as `links` lead now: a body whose links lead
    /// elsewhere is rendered anew (and the entry with it).
    pub(super) fn again(&self, links: &Links) -> (Page, Option<Box<KeptPage>>) {
        if self.body.leads_as_before(links) {
            return (self.page.clone(), None);
        }
        let source = &self.source;
        let new = Body::render(
            source,
            &source.body,
            &source.lang,
            links,
            self.body.digest(),
        );
        let body = new.rendered().clone();
        let mut page = self.page.clone();
        if !self.summary {
            page.summary = metadata::truncate_words(&body.first_paragraph, SUMMARY_CHARS);
        }
        page.body = body;
        let entry = KeptPage {
            source: source.clone(),
            index: self.index.clone(),
            section: self.section,
            future: self.future,
            summary: self.summary,
            aliases: self.aliases.clone(),
            errors: self.errors.clone(),
            body: new,
            page: page.clone(),
        };
        (page, Some(Box::new(entry)))
    }

    /// The body an entry of this file had, to be taken over if its text and links allow.
    pub(super) fn body(&self) -> &Body {
        &self.body
    }
}
