use clap::Parser;

fn main() -> std::process::ExitCode {
    bound_malloc_arenas();
    // The log starts in `cli::run`, once the settings say which format it has (`log_format`).
    match tessera::cli::run(tessera::cli::Cli::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// glibc gives threads up to eight malloc arenas per core, and memory freed into one arena is reused only by the
/// threads that use it. Every thread that ever ran a sign-in (a thread per call, up to 16 at once in the load
/// benchmark) kept its own arena, and the server's memory grew through a 10-minute login soak (49 -> 69 MiB over
/// 32,000 logins). With one arena per core it levels off (issue 9's note has the runs). Set before any thread
/// starts; `MALLOC_ARENA_MAX` in the environment still decides when it is set.
fn bound_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        let cores = std::thread::available_parallelism().map(std::num::NonZeroUsize::get).unwrap_or(2);
        // SAFETY: mallopt only sets a parameter of the allocator; no other thread exists yet.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, cores.max(2) as libc::c_int);
        }
    }
}
