//! The global allocator's upkeep. mimalloc (feature `mimalloc`, the `mibio` binary's allocator)
//! keeps the memory a thread freed for that thread, and returns freed memory to the OS only after
//! a delay and only when some thread next allocates or frees: a thread that goes quiet after a
//! burst (a tokio worker after a load, a card render thread after a batch of cards) would hold what
//! the burst used. These hooks let such threads hand it back. Without the feature they do nothing.

/// Returns what the calling thread's heap holds free, and every freed range whose delay is up, to
/// the OS now (mimalloc's `mi_collect(true)`). For threads that just finished a batch of large
/// allocations (the card render threads when their queue empties).
pub fn trim() {
    #[cfg(feature = "mimalloc")]
    // SAFETY: `mi_collect` takes no pointers and may be called from any thread at any time.
    unsafe {
        libmimalloc_sys::mi_collect(true);
    }
}

/// What a tokio worker calls when it parks (goes idle): at most once a second per thread, lets the
/// allocator collect its heap and purge what has waited long enough (`mi_collect(false)`, a cheap
/// pass). Under load workers park often, so the clock check keeps this to one pass a second.
pub fn on_worker_park() {
    #[cfg(feature = "mimalloc")]
    {
        use std::cell::Cell;
        use std::time::{Duration, Instant};
        const EVERY: Duration = Duration::from_secs(1);
        thread_local!(static LAST: Cell<Option<Instant>> = const { Cell::new(None) });
        let now = Instant::now();
        if LAST.get().is_some_and(|last| now.duration_since(last) < EVERY) {
            return;
        }
        LAST.set(Some(now));
        // SAFETY: as in `trim`.
        unsafe {
            libmimalloc_sys::mi_collect(false);
        }
    }
}
