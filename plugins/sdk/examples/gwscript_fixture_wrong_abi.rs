//! Refusal fixture (GW2003): reports an ABI version the host does not speak. The host must stop
//! at the version symbol and never look for the table (there is none).

#[unsafe(no_mangle)]
pub extern "C" fn gwscript_plugin_abi_version() -> u32 {
    gwscript_plugin::abi::ABI_VERSION + 98
}
