// mimalloc: the build allocates many short strings on both cores at once, where it
// is markedly faster than the system allocator (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    // Memory a command frees is reused, never handed back to the system: `check` or
    // `export` is over in seconds, and memory handed back is zeroed again when it is
    // asked for anew (in huge pages, a tenth of a 10,000-report build's time, in the
    // kernel). `serve` and `lapa build` set their own (`serve::serve`,
    // `build::lean_memory`).
    lapa::memory::set_purge_delay(lapa::memory::NEVER);
    lapa::cli::run()
}
