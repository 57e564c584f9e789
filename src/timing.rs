//! `LAPA_TIMINGS=1`: each stage's wall and CPU time and the memory held after it, for
//! profiling a build.

use std::sync::{Mutex, OnceLock};

/// Whether `LAPA_TIMINGS` is set (read once).
fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("LAPA_TIMINGS").is_some())
}

/// Counts of things done since the last stage ended, in the order first counted.
static COUNTS: Mutex<Vec<(&'static str, u64)>> = Mutex::new(Vec::new());

/// Count one `what` (e.g. a page read on a slow path), printed under the stage it
/// happened in when `LAPA_TIMINGS` is set; nothing otherwise.
pub fn count(what: &'static str) {
    if !enabled() {
        return;
    }
    let mut counts = COUNTS.lock().unwrap_or_else(|e| e.into_inner());
    match counts.iter_mut().find(|(w, _)| *w == what) {
        Some((_, n)) => *n += 1,
        None => counts.push((what, 1)),
    }
}

/// Run `f`, and print how long it took when `LAPA_TIMINGS` is set (for profiling a build),
/// with what was counted meanwhile.
pub fn timed<T>(stage: &str, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let started = std::time::Instant::now();
    let cpu = cpu_time();
    let result = f();
    let wall = started.elapsed().as_millis();
    let memory = memory().unwrap_or_default();
    match (cpu, cpu_time()) {
        // CPU time of the whole process: for a stage beside another (the search index
        // beside the pages), it counts both.
        (Some(before), Some(after)) => eprintln!(
            "{stage:>14}: {wall:>6} ms, {:>6} ms CPU{memory}",
            after.saturating_sub(before)
        ),
        _ => eprintln!("{stage:>14}: {wall:>6} ms{memory}"),
    }
    let counts = std::mem::take(&mut *COUNTS.lock().unwrap_or_else(|e| e.into_inner()));
    for (what, n) in counts {
        eprintln!("{:>14}  {n} {what}", "");
    }
    result
}

/// The process's memory as the stage ends: what it holds (VmRSS) and the most it has
/// held so far (VmHWM), in MiB, from `/proc/self/status`.
fn memory() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let mib = |key: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(key))?;
        let kb: u64 = line[key.len()..]
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()?;
        Some(kb / 1024)
    };
    Some(format!(
        ", {:>4} MiB held, {:>4} MiB at most",
        mib("VmRSS:")?,
        mib("VmHWM:")?
    ))
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
