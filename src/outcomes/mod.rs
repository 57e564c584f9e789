//! Outcomes at a glance: a project's and the site's mobilities counted (`counts`) by the
//! places `crate::places` read, drawn on a map of Europe (`map`); `check`'s warnings about
//! a place lapa could not read (`places`). The words for the numbers follow `crate::plural`.

pub mod counts;
pub mod map;
pub mod places;

pub use counts::{Outcomes, Summary, Tally};
