//! `LAPA_TIMINGS=1`: each stage's wall and CPU time, for profiling a build.

/// Run `f`, and print how long it took when `LAPA_TIMINGS` is set (for profiling a build).
pub fn timed<T>(stage: &str, f: impl FnOnce() -> T) -> T {
    if std::env::var_os("LAPA_TIMINGS").is_none() {
        return f();
    }
    let started = std::time::Instant::now();
    let cpu = cpu_time();
    let result = f();
    let wall = started.elapsed().as_millis();
    match (cpu, cpu_time()) {
        // CPU time of the whole process: for a stage beside another (the search index
        // beside the pages), it counts both.
        (Some(before), Some(after)) => eprintln!(
            "{stage:>14}: {wall:>6} ms, {:>6} ms CPU",
            after.saturating_sub(before)
        ),
        _ => eprintln!("{stage:>14}: {wall:>6} ms"),
    }
    result
}

/// The CPU time this process has used so far (user and system), in ms.
#[cfg(unix)]
fn cpu_time() -> Option<u128> {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given; it is read only when it says so.
    let usage = unsafe {
        if libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) != 0 {
            return None;
        }
        usage.assume_init()
    };
    let ms = |t: libc::timeval| -> Option<u128> {
        Some(u128::try_from(t.tv_sec).ok()? * 1000 + u128::try_from(t.tv_usec).ok()? / 1000)
    };
    Some(ms(usage.ru_utime)? + ms(usage.ru_stime)?)
}

#[cfg(not(unix))]
fn cpu_time() -> Option<u128> {
    None
}
