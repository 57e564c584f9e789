//! Resolving: loaded files become one checked, immutable [`Site`].

mod aliases;
mod claims;
mod handoff;
mod model;
mod resolve;
mod urls;

pub use handoff::HandedBodies;
pub use model::{
    Activity, CoverImage, ExternalLink, FrontText, Intro, Mobility, Page, PageId, PageKind,
    Project, ProjectId, Section, Site, Tag, TagGroup, YearGroup,
};
pub use resolve::{Publish, ResolveMemo, resolve, resolve_with};
pub use urls::{RESERVED, Urls};
