//! Pages' rendered bodies taken out of a [`Site`] for a one-shot build, each let go as
//! soon as every stage that reads it (the page, the search index) has taken it.

use std::sync::{Arc, Mutex, PoisonError};

use super::{PageId, Site};
use crate::markdown::Rendered;

/// Every page's body, held for a fixed number of readers: each takes a body once, and
/// the last to take it is handed the hand-off's own share, so the body is freed when that
/// reader is done with it. Bodies are most of a rendered site's memory; this way a build
/// holds only those some stage has still to read, not all until both are done.
#[derive(Debug)]
pub struct HandedBodies {
    slots: Vec<Mutex<Slot>>,
    /// What a page's `body` holds once its own is handed off: nothing, shared.
    empty: Arc<Rendered>,
}

#[derive(Debug)]
struct Slot {
    body: Option<Arc<Rendered>>,
    /// Readers that have not taken it yet.
    left: u8,
}

impl HandedBodies {
    /// Take every page's body out of `site`, for `readers` readers that each take it once
    /// with [`HandedBodies::take`]. The pages' own `body` is empty afterwards.
    pub fn hand_off(site: &mut Site, readers: u8) -> HandedBodies {
        let empty = Arc::new(Rendered::default());
        let slots = site
            .pages
            .iter_mut()
            .map(|page| {
                Mutex::new(Slot {
                    body: Some(std::mem::replace(&mut page.body, Arc::clone(&empty))),
                    left: readers,
                })
            })
            .collect();
        HandedBodies { slots, empty }
    }

    /// The body of page `id`, for one reader. Once every reader has taken it, the
    /// hand-off holds it no more.
    pub fn take(&self, id: PageId) -> Arc<Rendered> {
        let Some(slot) = self.slots.get(id.index()) else {
            return Arc::clone(&self.empty);
        };
        // A reader that panicked left the slot as it was: still usable.
        let mut slot = slot.lock().unwrap_or_else(PoisonError::into_inner);
        // Each reader takes a page once.
        debug_assert!(slot.left > 0);
        slot.left = slot.left.saturating_sub(1);
        let body = if slot.left == 0 {
            slot.body.take()
        } else {
            slot.body.clone()
        };
        body.unwrap_or_else(|| Arc::clone(&self.empty))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::{HandedBodies, Slot};
    use crate::markdown::Rendered;
    use crate::site::PageId;

    fn handed(html: &str, readers: u8) -> HandedBodies {
        let body = Rendered {
            html: html.to_string(),
            ..Rendered::default()
        };
        HandedBodies {
            slots: vec![Mutex::new(Slot {
                body: Some(Arc::new(body)),
                left: readers,
            })],
            empty: Arc::new(Rendered::default()),
        }
    }

    #[test]
    fn a_body_is_let_go_once_every_reader_has_taken_it() {
        let bodies = handed("<p>Mentorings</p>", 2);
        let first = bodies.take(PageId::new(0));
        assert_eq!(first.html, "<p>Mentorings</p>");
        let alive = Arc::downgrade(&first);
        drop(first);
        assert!(
            alive.upgrade().is_some(),
            "the second reader still needs it"
        );
        let second = bodies.take(PageId::new(0));
        assert_eq!(second.html, "<p>Mentorings</p>");
        drop(second);
        assert!(alive.upgrade().is_none(), "no reader is left to need it");
    }

    #[test]
    fn the_last_reader_gets_the_body_even_while_another_still_reads_it() {
        let bodies = handed("<p>Rīga</p>", 2);
        let first = bodies.take(PageId::new(0));
        let second = bodies.take(PageId::new(0));
        assert_eq!(second.html, "<p>Rīga</p>");
        assert_eq!(Arc::strong_count(&first), 2, "only the two readers hold it");
    }
}
