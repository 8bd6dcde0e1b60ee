//! Refusal fixture (GW2002): a shared library that exports none of the plugin symbols.

#[unsafe(no_mangle)]
pub extern "C" fn not_a_gwscript_entry_point() -> u32 {
    7
}
