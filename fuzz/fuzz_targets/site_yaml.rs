//! Any text as site.yaml: a Config or Diagnostics, never a panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = lapa::config::Config::parse(Path::new("/site"), text);
});
