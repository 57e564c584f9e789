//! Outcomes at a glance: a project's and the site's mobilities counted (`counts`), their
//! places read (`places`: country names and a gazetteer of European cities), drawn on a
//! map of Europe (`map`). The words for the numbers follow `crate::plural`.

pub mod counts;
pub mod map;
pub mod places;

pub use counts::{Outcomes, Summary, Tally};
pub use places::Place;
