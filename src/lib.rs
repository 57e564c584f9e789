//! lapa: a static site generator for schools that publish the outcomes of EU-funded
//! teacher mobility. See ARCHITECTURE.md for the map.

pub mod accessibility;
pub mod build;
pub mod check;
pub mod cli;
pub mod collate;
pub mod config;
pub mod content;
pub mod date;
pub mod dissemination;
pub mod encoding;
pub mod error;
pub mod escape;
pub mod files;
pub mod funding;
pub(crate) mod hash;
pub mod images;
pub mod import;
pub mod letters;
pub mod localized;
pub mod markdown;
pub mod memory;
pub mod messages;
pub mod outcomes;
pub mod output;
pub mod places;
pub mod plural;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
pub mod theme;
pub(crate) mod timing;
pub mod words;
pub mod yaml;

#[cfg(test)]
mod architecture;
