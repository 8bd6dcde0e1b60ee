//! The plugin's allocator: mimalloc, on small pages until the plugin makes its first large
//! allocation, and on transparent huge pages from then on.
//!
//! mimalloc asks for huge pages on all its memory, so the first allocation after `dlopen` faults
//! in and zeroes a 2 MiB page: 2.3 ms of a 2.8 ms load in the load benchmark, where every load
//! touches memory the process never used, and about 0.3 ms of a quickstart `run`. A
//! 10,000-deployment run, though, is about 9 ms faster on huge pages (hundreds of page faults
//! instead of ten thousand). So the heap starts in a region of its own that does not
//! ask for them, and asks once a large setup shows itself by a large allocation. Past the region,
//! mimalloc's own arenas ask for huge pages as usual.

use mimalloc::MiMalloc;
use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

/// The region the heap starts in: two of mimalloc 2's 32 MiB segments. Only address space until
/// touched.
const SMALL_PAGE_REGION: usize = 64 << 20;

/// An allocation this large is made only for a large setup (its deployments' list, the rendered
/// file); the quickstart's all stay under 256 KiB.
const LARGE_ALLOCATION: usize = 1 << 20;

/// The region's arena; mimalloc's "no arena" (0) until the constructor has reserved it.
static ARENA: AtomicI32 = AtomicI32::new(0);
static ON_HUGE_PAGES: AtomicBool = AtomicBool::new(false);

unsafe extern "C" {
    /// mimalloc 2's `mi_arena_area` (`mimalloc.h`), which `libmimalloc-sys` does not declare.
    fn mi_arena_area(arena_id: libmimalloc_sys::mi_arena_id_t, size: *mut usize) -> *mut c_void;
}

/// Runs when the library is loaded, before any of its code allocates. The order of constructors
/// inside a library is the linker's, so mimalloc may not have initialised itself yet.
#[used]
#[unsafe(link_section = ".init_array")]
static START_ON_SMALL_PAGES: extern "C" fn() = start_on_small_pages;

extern "C" fn start_on_small_pages() {
    let mut arena: libmimalloc_sys::mi_arena_id_t = 0;
    // SAFETY: `mi_process_init` may be called more than once (mimalloc's own constructor calls
    // it again). The arena is committed address space without huge pages, not exclusive, so
    // mimalloc takes its first segments from it; the id is written to a valid local, and left
    // "no arena" when the reservation fails.
    unsafe {
        libmimalloc_sys::mi_process_init();
        libmimalloc_sys::mi_reserve_os_memory_ex(SMALL_PAGE_REGION, true, false, false, &mut arena);
    }
    ARENA.store(arena, Ordering::Release);
}

/// The addresses the heap started in, if the region could be reserved at load.
pub fn small_page_region() -> Option<Range<usize>> {
    let mut size = 0;
    // SAFETY: mimalloc looks the id up in its arena table and answers null for "no arena"; the
    // size is written to a valid local.
    let start = unsafe { mi_arena_area(ARENA.load(Ordering::Acquire), &mut size) } as usize;
    (start != 0).then(|| start..start + size)
}

/// Marks the region for huge pages, once. Pages already touched stay small; the rest of the
/// region faults in 2 MiB at a time.
#[cold]
fn switch_to_huge_pages() {
    if ON_HUGE_PAGES.swap(true, Ordering::Relaxed) {
        return;
    }
    let Some(region) = small_page_region() else {
        return;
    };
    // SAFETY: the range is the arena mimalloc reserved and still owns, never unmapped while the
    // library is loaded; advice changes how it is backed, never its contents. A failure leaves
    // small pages, which are only slower.
    unsafe {
        libc::madvise(
            region.start as *mut c_void,
            region.len(),
            libc::MADV_HUGEPAGE,
        );
    }
}

fn note_size(bytes: usize) {
    if bytes >= LARGE_ALLOCATION && !ON_HUGE_PAGES.load(Ordering::Relaxed) {
        switch_to_huge_pages();
    }
}

/// mimalloc with the switch to huge pages above.
#[derive(Debug)]
pub struct PluginHeap;

// SAFETY: every call forwards to mimalloc unchanged; only the requested size is looked at.
unsafe impl GlobalAlloc for PluginHeap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note_size(layout.size());
        // SAFETY: forwarded with the caller's layout.
        unsafe { MiMalloc.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note_size(layout.size());
        // SAFETY: forwarded with the caller's layout.
        unsafe { MiMalloc.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: the caller passes a pointer this allocator returned, with its layout.
        unsafe { MiMalloc.dealloc(pointer, layout) }
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note_size(new_size);
        // SAFETY: forwarded unchanged; the caller upholds realloc's contract.
        unsafe { MiMalloc.realloc(pointer, layout, new_size) }
    }
}
