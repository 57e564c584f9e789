//! The funding rules: which programme funds a project, what its code looks like, and
//! the funding block (EU emblem, statement, disclaimer, project sentence) a page carries.

mod block;
mod code;
mod emblem;
mod lexer;
mod logos;
mod presence;
mod programme;

pub use block::{
    FundedProject, GrantingAuthority, PageBlock, disclaimer_text, disclaimer_variants,
    ensure_blocks, ensure_blocks_with_body, funding_block, granting_authority, project_sentence,
    statement_text,
};
pub use code::{CodeFacts, CodeFormat};
pub use emblem::emblem_svg;
pub use logos::{LargerLogo, larger_than_emblem};
pub use presence::{
    Finding, KnownBlock, MARKER, Presence, Required, Status, presence, presence_fast,
    presence_fast_with_body, presence_tree, presence_with_body, presence_with_known, reads_alone,
};
pub use programme::{
    Programme, ProgrammeOverride, Programmes, Support, TextSource, action_name, field_name,
};
