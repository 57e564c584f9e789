// mimalloc: the build allocates many short strings on both cores at once, where it
// is markedly faster than the system allocator (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    lapa::cli::run()
}
