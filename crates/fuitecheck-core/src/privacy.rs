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

/// Why memory holding secrets could not be locked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LockError {
    /// The OS refused (`RLIMIT_MEMLOCK` reached, no privilege…).
    #[error("the system refused to lock memory: {0}")]
    Refused(String),
    /// This platform has no memory locking here.
    #[error("memory locking is not available on this platform")]
    Unsupported,
}

/// Pages locked by [`LockedRegion`]s, with how many regions hold each:
/// `mlock` does not nest, so a page is unlocked only when the last region
/// on it goes.
static LOCKED_PAGES: std::sync::Mutex<std::collections::BTreeMap<usize, usize>> =
    std::sync::Mutex::new(std::collections::BTreeMap::new());

/// The first refusal, reported once on stderr.
static REFUSAL: std::sync::OnceLock<LockError> = std::sync::OnceLock::new();

/// Memory that holds secrets (a NIR, a name, a key `k`), locked in RAM
/// (never swapped: `mlock`) and left out of core dumps (`MADV_DONTDUMP`)
/// while the region lives. Best effort: where the OS refuses, the secret
/// works as before, and the first refusal is reported once on stderr
/// ([`lock_refusal`] tells what it was).
///
/// The region covers the bytes given at creation: the buffer must not be
/// reallocated while it lives (reserve its capacity first and bound what
/// goes in it).
#[derive(Debug)]
pub struct LockedRegion {
    pages: Option<(usize, usize)>,
}

impl LockedRegion {
    /// Lock the `capacity` bytes from `ptr` (a buffer's whole
    /// allocation). `capacity` 0 locks nothing.
    pub fn new(ptr: *const u8, capacity: usize) -> Self {
        if capacity == 0 {
            return Self { pages: None };
        }
        let page = page_size();
        let first = (ptr as usize) / page;
        let last = (ptr as usize + capacity - 1) / page;
        let mut locked = LOCKED_PAGES
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for p in first..=last {
            let n = locked.entry(p).or_insert(0);
            if *n == 0
                && let Err(e) = lock_page(p * page, page)
            {
                let _ = REFUSAL.get_or_init(|| {
                    eprintln!(
                        "fuitecheck: {e}; secrets in memory may reach swap or a core dump \
                         (best effort, reported once)"
                    );
                    e.clone()
                });
            }
            *n += 1;
        }
        Self {
            pages: Some((first, last)),
        }
    }

    /// Lock a `String`'s allocation (its whole capacity).
    pub fn of_string(s: &str, capacity: usize) -> Self {
        Self::new(s.as_ptr(), capacity)
    }

    /// Lock a slice's memory.
    pub fn of_slice<T>(s: &[T]) -> Self {
        Self::new(s.as_ptr().cast(), std::mem::size_of_val(s))
    }
}

impl Drop for LockedRegion {
    fn drop(&mut self) {
        let Some((first, last)) = self.pages else {
            return;
        };
        let page = page_size();
        let mut locked = LOCKED_PAGES
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for p in first..=last {
            if let Some(n) = locked.get_mut(&p) {
                *n -= 1;
                if *n == 0 {
                    locked.remove(&p);
                    unlock_page(p * page, page);
                }
            }
        }
    }
}

/// The first refusal to lock memory, if there was one.
pub fn lock_refusal() -> Option<&'static LockError> {
    REFUSAL.get()
}

/// How many [`LockedRegion`]s hold the page of `ptr` now (tests).
pub fn page_holders(ptr: *const u8) -> usize {
    let page = (ptr as usize) / page_size();
    LOCKED_PAGES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(&page)
        .copied()
        .unwrap_or(0)
}

#[cfg(unix)]
fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    let n = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    usize::try_from(n).ok().filter(|&n| n > 0).unwrap_or(4096)
}

#[cfg(not(unix))]
fn page_size() -> usize {
    4096
}

#[cfg(unix)]
fn lock_page(addr: usize, len: usize) -> Result<(), LockError> {
    // SAFETY: the page holds (part of) a live allocation of the caller;
    // mlock and madvise(MADV_DONTDUMP) change how the kernel treats the
    // page, never its contents.
    let r = unsafe { libc::mlock(addr as *const libc::c_void, len) };
    let locked = if r == 0 {
        Ok(())
    } else {
        Err(LockError::Refused(
            std::io::Error::last_os_error().to_string(),
        ))
    };
    #[cfg(target_os = "linux")]
    {
        // SAFETY: as above; the address is page-aligned.
        let _ = unsafe { libc::madvise(addr as *mut libc::c_void, len, libc::MADV_DONTDUMP) };
    }
    locked
}

#[cfg(unix)]
fn unlock_page(addr: usize, len: usize) {
    // SAFETY: as in `lock_page`; the page was locked by us.
    unsafe {
        libc::munlock(addr as *const libc::c_void, len);
        #[cfg(target_os = "linux")]
        libc::madvise(addr as *mut libc::c_void, len, libc::MADV_DODUMP);
    }
}

#[cfg(not(unix))]
fn lock_page(_addr: usize, _len: usize) -> Result<(), LockError> {
    Err(LockError::Unsupported)
}

#[cfg(not(unix))]
fn unlock_page(_addr: usize, _len: usize) {}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    /// Whether `addr`'s page is locked, from the kernel's own view
    /// (`mincore` says resident; `/proc/self/smaps` says locked).
    #[cfg(target_os = "linux")]
    fn locked_kib() -> u64 {
        std::fs::read_to_string("/proc/self/status")
            .unwrap()
            .lines()
            .find_map(|l| l.strip_prefix("VmLck:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    }

    #[test]
    fn regions_sharing_a_page_keep_it_locked_until_the_last_goes() {
        // A page of its own, so that no other test's region shares it.
        let page = page_size();
        let layout = std::alloc::Layout::from_size_align(page, page).unwrap();
        // SAFETY: a non-zero-sized layout; freed below with the same one.
        let ptr = unsafe { std::alloc::alloc_zeroed(layout) };
        assert!(!ptr.is_null());
        let a = LockedRegion::new(ptr, 32);
        // SAFETY: within the allocation.
        let b = LockedRegion::new(unsafe { ptr.add(32) }, 32);
        assert_eq!(page_holders(ptr), 2);
        drop(a);
        assert_eq!(page_holders(ptr), 1, "still held by the second region");
        drop(b);
        assert_eq!(page_holders(ptr), 0);
        // SAFETY: allocated above with `layout`.
        unsafe { std::alloc::dealloc(ptr, layout) };
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_kernel_sees_the_lock_or_the_refusal_is_reported() {
        let page = page_size();
        // A page-aligned buffer of its own, so other tests' regions do
        // not share it.
        let layout = std::alloc::Layout::from_size_align(page, page).unwrap();
        // SAFETY: a non-zero-sized layout; freed below with the same one.
        let ptr = unsafe { std::alloc::alloc_zeroed(layout) };
        assert!(!ptr.is_null());
        let region = LockedRegion::new(ptr, page);
        match lock_refusal() {
            None => assert!(locked_kib() >= (page / 1024) as u64),
            Some(e) => assert!(!e.to_string().is_empty()),
        }
        drop(region);
        // SAFETY: allocated above with `layout`.
        unsafe { std::alloc::dealloc(ptr, layout) };
    }
}
