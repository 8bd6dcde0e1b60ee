//! The plugin's heap starts in a region without huge pages and asks the kernel for them at its
//! first large allocation. A test binary of its own: the switch happens once per process, and no
//! other test may make a large allocation first.
#![cfg(target_os = "linux")]

use gwscript_litellm::heap::small_page_region;
use std::ops::Range;

/// The kernel's flags for the mapping that holds `address` (`VmFlags` in `/proc/self/smaps`).
fn vm_flags_at(address: usize) -> Vec<String> {
    let smaps = std::fs::read_to_string("/proc/self/smaps").expect("read /proc/self/smaps");
    let mut inside = false;
    for line in smaps.lines() {
        if let Some((range, _)) = line.split_once(' ')
            && let Some((start, end)) = range.split_once('-')
            && let (Ok(start), Ok(end)) = (
                usize::from_str_radix(start, 16),
                usize::from_str_radix(end, 16),
            )
        {
            inside = (start..end).contains(&address);
        } else if inside && let Some(flags) = line.strip_prefix("VmFlags:") {
            return flags.split_whitespace().map(str::to_owned).collect();
        }
    }
    panic!("no mapping holds {address:#x}");
}

fn asks_for_huge_pages(region: &Range<usize>) -> bool {
    vm_flags_at(region.start).iter().any(|flag| flag == "hg")
}

#[test]
fn small_allocations_stay_on_small_pages_and_a_large_one_asks_for_huge_pages() {
    let region = small_page_region().expect("the region is reserved when the library loads");
    let small: Vec<Box<[u8]>> = (1..2_000)
        .map(|n| vec![1u8; n].into_boxed_slice())
        .collect();
    assert!(
        small
            .iter()
            .any(|block| region.contains(&(block.as_ptr() as usize))),
        "mimalloc takes its first memory from the region {region:x?}"
    );
    assert!(
        !asks_for_huge_pages(&region),
        "{:?}",
        vm_flags_at(region.start)
    );

    let large = vec![1u8; 1 << 20];
    assert!(
        asks_for_huge_pages(&region),
        "{:?}",
        vm_flags_at(region.start)
    );
    drop((small, large));
}
