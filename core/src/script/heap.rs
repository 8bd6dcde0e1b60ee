//! A counting allocator, so the recipe engine can stop a script whose data grows past a budget.
//! rhai's own size limits do not cover every path (a map grown key by key is never re-measured),
//! so the bytes the recipe's thread allocates are the backstop.
//!
//! The binary installs it (`#[global_allocator]` in `main.rs`); a library user who does not gets
//! rhai's own limits only, since [`thread_bytes`] then stays at zero.
//!
//! Underneath is mimalloc, not the system allocator: a large recipe builds and frees hundreds of
//! thousands of small maps and strings, and glibc's free lists cost about a tenth of such a run.

use mimalloc::MiMalloc;
use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;

thread_local! {
    /// Bytes allocated minus bytes freed by this thread. Signed: a thread may free memory another
    /// thread allocated. `const` and free of destructors, so the allocator may touch it at any time.
    static THREAD_BYTES: Cell<isize> = const { Cell::new(0) };
}

fn count(delta: isize) {
    // `try_with` fails only while the thread is being torn down, when nothing is measured.
    let _ = THREAD_BYTES.try_with(|bytes| bytes.set(bytes.get().wrapping_add(delta)));
}

/// Keeps freed memory in the process until it ends. mimalloc otherwise hands it back to the
/// system page run by page run as the process exits: a few hundred system calls after a large
/// run, for memory the exit releases at once anyway. Call it only when nothing is left to do.
pub fn keep_freed_memory_until_exit() {
    // SAFETY: sets one of mimalloc's options, which it reads atomically; a negative purge delay
    // means "never purge" and is a documented value.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) };
}

/// `mi_option_purge_delay` in mimalloc 2's `mimalloc.h`, which `libmimalloc-sys` does not name.
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn signed(size: usize) -> isize {
    isize::try_from(size).unwrap_or(isize::MAX)
}

/// Forwards to mimalloc and counts what each thread holds.
#[derive(Debug)]
pub struct CountingAllocator;

// SAFETY: every call forwards to mimalloc unchanged; only a thread-local counter is
// added.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        let pointer = unsafe { MiMalloc.alloc(layout) };
        if !pointer.is_null() {
            count(signed(layout.size()));
        }
        pointer
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        let pointer = unsafe { MiMalloc.alloc_zeroed(layout) };
        if !pointer.is_null() {
            count(signed(layout.size()));
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: the caller passes a pointer this allocator returned, with its layout.
        unsafe { MiMalloc.dealloc(pointer, layout) };
        count(-signed(layout.size()));
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded unchanged; the caller upholds realloc's contract.
        let moved = unsafe { MiMalloc.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            count(signed(new_size).wrapping_sub(signed(layout.size())));
        }
        moved
    }
}

/// Bytes this thread holds beyond what it had freed, as counted by [`CountingAllocator`].
pub fn thread_bytes() -> isize {
    THREAD_BYTES.try_with(Cell::get).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_thread_only() {
        count(1000);
        let here = thread_bytes();
        let elsewhere = std::thread::spawn(|| {
            count(7);
            thread_bytes()
        })
        .join()
        .expect("thread runs");
        assert_eq!(elsewhere, 7, "a new thread starts from zero");
        assert_eq!(
            thread_bytes(),
            here,
            "another thread's work is not counted here"
        );
        count(-1000);
    }

    /// The option index is mimalloc's purge delay: its documented default (10 ms in mimalloc 2)
    /// before it is set, "never" after.
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // SAFETY: reads an option; nothing else in this test binary sets it.
        let before = unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) };
        assert_eq!(before, 10);
        keep_freed_memory_until_exit();
        // SAFETY: as above.
        assert_eq!(unsafe { libmimalloc_sys::mi_option_get(PURGE_DELAY) }, -1);
    }
}
