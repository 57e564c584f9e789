//! Loading: every file under `content/`, read once and parsed into typed sources.

pub mod frontmatter;
mod load;

pub use frontmatter::{
    Cover, IndexFront, MobilityFront, OneOrMany, PageFront, ProjectFields, ProjectFront, key_line,
};
pub use load::{Asset, Content, Kind, Parsed, Source, load, load_with, parse, reload};
