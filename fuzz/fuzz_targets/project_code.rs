//! Any text as a project code, for every built-in programme: facts or a message, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|code: &str| {
    let programmes = lapa::funding::Programmes::builtin();
    for id in ["erasmus-plus", "erasmus-plus-2014", "esf-plus"] {
        if let Some(p) = programmes.get(id) {
            if let Err(message) = p.check_code(code) {
                assert!(!message.is_empty());
            }
        }
    }
});
