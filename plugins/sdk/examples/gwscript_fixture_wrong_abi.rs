//! Refusal fixture: reports an ABI version the host does not speak.

#[unsafe(no_mangle)]
pub extern "C" fn gwscript_plugin_abi_version() -> u32 {
    gwscript_plugin::abi::ABI_VERSION + 98
}
