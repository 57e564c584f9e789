//! How lapa asks for memory: how long mimalloc keeps memory that was freed before it
//! hands it back to the system (its purge delay), and whether the kernel may back it with
//! transparent huge pages. Each command sets what suits it: `main` never hands back (a
//! `check` is over in seconds, and memory handed back is zeroed again when asked for
//! anew), `lapa build` after 10 ms (`build::lean_memory`; a second while it renders),
//! `serve` after 10 ms (it runs for hours), the photo stage at once while it runs
//! (`images::prepare`); `lapa build` and `serve` ask for no huge pages
//! ([`no_huge_pages`]).

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

/// Ask the kernel to back this process's memory in ordinary 4 KiB pages from now on,
/// never in transparent huge pages. mimalloc asks for huge pages where the system allows
/// them on request (`madvise`, Debian's default), and then every 2 MiB it has touched
/// counts whole, however little of it is in use, and is cleared anew by the kernel each
/// time: a 10,000-report build held 30 MiB more at its peak, and the preview grew by
/// 100 MiB and more over a hundred saves (BENCHMARKS.md). Lasts until the process ends;
/// on a kernel that does not know the request, nothing changes.
pub fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: `prctl(PR_SET_THP_DISABLE)` changes only how the kernel backs this
    // process's memory from now on; it takes no pointers. A kernel that does not know it
    // refuses, and then nothing changes.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Whether the kernel has been asked to give this process no transparent huge pages.
#[cfg(all(test, target_os = "linux"))]
fn huge_pages_refused() -> bool {
    // SAFETY: `prctl(PR_GET_THP_DISABLE)` reads one flag of this process; no pointers.
    unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) == 1 }
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

    #[cfg(target_os = "linux")]
    #[test]
    fn huge_pages_once_refused_stay_refused() {
        // The flag is the process's own, so the test runs in a child that asks for it.
        if std::env::var_os("LAPA_TEST_NO_HUGE_PAGES").is_some() {
            no_huge_pages();
            assert!(huge_pages_refused());
            return;
        }
        let me = std::env::current_exe().expect("the test binary's path");
        let status = std::process::Command::new(me)
            .args([
                "--exact",
                "memory::tests::huge_pages_once_refused_stay_refused",
            ])
            .env("LAPA_TEST_NO_HUGE_PAGES", "1")
            .status()
            .expect("the test binary runs again");
        assert!(status.success());
    }
}
