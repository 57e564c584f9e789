//! The body memo: Markdown bodies rendered by an earlier resolve, kept for the next.

//! From loaded sources to a [`Site`]: URLs, projects, translations, taxonomies, links.

use super::*;

/// Bodies rendered by an earlier resolve, kept for the next one (`serve`): a body whose
/// text is unchanged, and whose links still lead where they led, is not rendered again.
#[derive(Debug, Default)]
pub struct Bodies {
    /// The base URL the bodies were rendered for (their asset URLs start with it).
    base: String,
    by_file: HashMap<(String, String), Body>,
    /// Keep nothing: there is no next resolve (`build`).
    off: bool,
}

#[derive(Debug, Clone)]
pub(super) struct Body {
    text: u128,
    /// Every link lookup the rendering made, and its answer.
    lookups: Vec<(String, String, Option<String>)>,
    rendered: Arc<Rendered>,
}

/// A body this resolve shows, and what to remember of it when it was rendered anew.
pub(super) struct MadeBody {
    /// Its file under `content/` and its language.
    key: (String, String),
    /// `None` when it was taken over from the previous resolve.
    new: Option<Body>,
}

impl Bodies {
    /// Forget the bodies rendered for another base URL (their asset URLs start with it).
    pub(super) fn rendered_for(&mut self, base: &str) {
        if self.base != base {
            self.by_file.clear();
            self.base = base.to_string();
        }
    }

    /// Bodies that keep nothing, for a resolve that is the only one.
    pub fn off() -> Bodies {
        Bodies {
            off: true,
            ..Bodies::default()
        }
    }

    /// `source`'s body (its Markdown `text`) in `lang`, rendered, or taken over from the
    /// previous resolve.
    pub(super) fn render(
        &self,
        source: &Source,
        text: &str,
        lang: &str,
        links: &Links,
    ) -> (Arc<Rendered>, Option<Body>) {
        if self.off {
            let rendered = markdown::render(text, &source.rel, lang, links);
            return (Arc::new(rendered), None);
        }
        let old = self.by_file.get(&(source.rel.clone(), lang.to_string()));
        match kept_or_rendered(old, source, text, lang, links) {
            Ok(old) => (old.rendered.clone(), None),
            Err(new) => (new.rendered.clone(), Some(new)),
        }
    }
}

/// `source`'s body (its Markdown `text`) in `lang`: `old` when its text is the same and
/// each link it looked up still leads where it led, else rendered anew.
pub(super) fn kept_or_rendered<'a>(
    old: Option<&'a Body>,
    source: &Source,
    text: &str,
    lang: &str,
    links: &Links,
) -> Result<&'a Body, Body> {
    // The source's own body (not one taken out of it) is hashed once, while it lasts.
    let hash = || xxhash_rust::xxh3::xxh3_128(text.as_bytes());
    let digest = if std::ptr::eq(text, source.body.as_str()) {
        *source.body_digest.get_or_init(hash)
    } else {
        hash()
    };
    match old {
        Some(old) if old.text == digest && old.leads_as_before(links) => Ok(old),
        _ => Err(Body::render(source, text, lang, links, digest)),
    }
}

impl Body {
    /// `source`'s body (its Markdown `text`, of hash `digest`) in `lang`, rendered, with
    /// every link lookup the rendering made.
    pub(super) fn render(
        source: &Source,
        text: &str,
        lang: &str,
        links: &Links,
        digest: u128,
    ) -> Body {
        let recording = Recording {
            links,
            lookups: RefCell::default(),
        };
        let rendered = Arc::new(markdown::render(text, &source.rel, lang, &recording));
        Body {
            text: digest,
            lookups: recording.lookups.into_inner(),
            rendered,
        }
    }

    /// Whether each link lookup its rendering made still gives the same answer.
    pub(super) fn leads_as_before(&self, links: &Links) -> bool {
        self.lookups
            .iter()
            .all(|(rel, l, url)| links.page_url(rel, l) == *url)
    }

    /// The rendered body.
    pub(super) fn rendered(&self) -> &Arc<Rendered> {
        &self.rendered
    }

    /// The hash of the Markdown it was rendered from.
    pub(super) fn digest(&self) -> u128 {
        self.text
    }
}

impl Bodies {
    /// What to remember of `source`'s body in `lang` for [`Bodies::keep`]: nothing when
    /// these bodies keep nothing.
    pub(super) fn made(&self, source: &Source, lang: &str, new: Option<Body>) -> Option<MadeBody> {
        (!self.off).then(|| MadeBody {
            key: (source.rel.clone(), lang.to_string()),
            new,
        })
    }

    /// Remember this resolve's bodies (and only those) for the next.
    pub(super) fn keep(&mut self, made: Vec<MadeBody>) {
        let mut old = std::mem::take(&mut self.by_file);
        for MadeBody { key, new } in made {
            if let Some(body) = new.or_else(|| old.remove(&key)) {
                self.by_file.insert(key, body);
            }
        }
    }
}
