//! Process-level protections for secret material.

/// Disable core dumps of this process where the OS allows it, so that a
/// crash while a NIR is in memory does not write it to disk.
pub fn harden_process() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: prctl(PR_SET_DUMPABLE, 0) only changes this process's
        // dumpable flag; it has no memory-safety preconditions.
        unsafe {
            libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0);
        }
        let zero = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: setrlimit reads a valid rlimit struct.
        unsafe {
            libc::setrlimit(libc::RLIMIT_CORE, &zero);
        }
    }
}

/// Whether core dumps are disabled for this process (Linux).
#[cfg(target_os = "linux")]
pub fn core_dumps_disabled() -> bool {
    // SAFETY: prctl(PR_GET_DUMPABLE) has no preconditions.
    unsafe { libc::prctl(libc::PR_GET_DUMPABLE, 0, 0, 0, 0) == 0 }
}

/// Restore the default SIGPIPE action, so that `fuitecheck … | head` ends
/// quietly like other command-line tools instead of panicking on a closed
/// pipe (Rust ignores SIGPIPE by default).
pub fn default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: setting a signal disposition to SIG_DFL has no
    // preconditions; it is done before any other thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
