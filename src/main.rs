// mimalloc: the build allocates many short strings on both cores at once, where it
// is markedly faster than the system allocator (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (the bindings do not name it; the number is part of
/// mimalloc's C interface, the same in its versions 2 and 3).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> std::process::ExitCode {
    // Memory a command frees is reused, never handed back to the system: `check` or
    // `export` is over in seconds, and memory handed back is zeroed again when it is
    // asked for anew (in huge pages, a tenth of a 10,000-report build's time, in the
    // kernel). `serve` and `lapa build` set their own (`serve::serve`,
    // `build::lean_memory`).
    // SAFETY: setting an option is allowed at any time, from any thread.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) };
    lapa::cli::run()
}
