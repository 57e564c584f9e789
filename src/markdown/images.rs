//! Images in a body: each `<img>` is written as one raw-HTML event, and the writer's
//! position is counted, so the place of each tag in the HTML is known exactly and a
//! later stage can put a `<picture>` there without parsing HTML.

use std::cell::Cell;

use crate::escape;

/// A plain `<img>`, as pulldown-cmark writes one (the URL is already a site path).
pub(super) fn img_tag(url: &str, alt: &str, title: &str) -> String {
    let mut tag = format!(
        "<img src=\"{}\" alt=\"{}\"",
        escape::html(url),
        escape::html(alt)
    );
    if !title.is_empty() {
        tag.push_str(&format!(" title=\"{}\"", escape::html(title)));
    }
    tag.push_str(" />");
    tag
}

/// A `fmt::Write` into a string that tells, through `written`, how much it holds: the
/// HTML writer writes one event before it takes the next, so that is where the next
/// event's HTML starts.
pub(super) struct Counting<'a> {
    out: &'a mut String,
    written: &'a Cell<usize>,
}

impl<'a> Counting<'a> {
    pub(super) fn new(out: &'a mut String, written: &'a Cell<usize>) -> Counting<'a> {
        Counting { out, written }
    }
}

impl std::fmt::Write for Counting<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.out.push_str(s);
        self.written.set(self.out.len());
        Ok(())
    }
}
