//! The one allocator setting lapa changes: how long mimalloc keeps memory that was freed
//! before it hands it back to the system (its purge delay). Each command sets what suits
//! it: `main` never hands back (a `check` is over in seconds, and memory handed back is
//! zeroed again when asked for anew), `lapa build` after 10 ms (`build::lean_memory`),
//! `serve` after 10 ms (it runs for hours), the photo stage at once while it runs
//! (`images::prepare`).

use std::ffi::c_long;

/// mimalloc's `mi_option_purge_delay`: the bindings do not name it; the number is part of
/// mimalloc's C interface, the same in its versions 2 and 3.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// A purge delay that means "never hand freed memory back".
pub const NEVER: c_long = -1;

/// How long (ms) freed memory is kept now; [`NEVER`] for never.
pub fn purge_delay() -> c_long {
    // SAFETY: reading an option is allowed at any time, from any thread.
    unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) }
}

/// Keep freed memory `ms` milliseconds before handing it back (0: at once, [`NEVER`]:
/// never).
pub fn set_purge_delay(ms: c_long) {
    // SAFETY: setting an option is allowed at any time, from any thread.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, ms) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delay_set_is_the_delay_read() {
        let before = purge_delay();
        set_purge_delay(37);
        let read = purge_delay();
        set_purge_delay(before);
        assert_eq!(read, 37);
    }
}
