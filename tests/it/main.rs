//! lapa's integration tests: the real binary on real site folders, one module per area,
//! linked into one test binary (`cargo test --test it`; one area: `cargo test --test it
//! serve::`). `common` and `preview` are the helpers the modules share.

mod common;
mod preview;

mod bad_input;
mod browser;
mod build;
mod check_anchors;
mod compliance;
mod external;
mod funding;
mod funding_presence;
mod hardening;
mod hardening_output;
mod import;
mod latvian_messages;
mod mistakes;
mod outcomes;
mod photos;
mod reader;
mod search;
mod serve;
mod serve_incremental;
mod serve_load;
mod sharing;
mod writing;
