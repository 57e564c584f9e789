//! The funding rules: which programme funds a project, what its code looks like, and
//! the funding block (EU emblem, statement, disclaimer, project sentence) a page carries.

mod block;
mod code;
mod emblem;
mod programme;

pub use block::{
    FundedProject, GrantingAuthority, disclaimer_text, ensure_blocks, funding_block,
    granting_authority, project_sentence, statement_text,
};
pub use code::{CodeFacts, CodeFormat};
pub use emblem::emblem_svg;
pub use programme::{
    Programme, ProgrammeOverride, Programmes, Source, Support, action_name, field_name,
};
