//! Refusal fixture: the right ABI version, but a table whose declared size is too small
//! (what a plugin built against an older, shorter table layout would export).

use gwscript_plugin::abi::{self, Buffer, CallResult, CallStatus, PluginTable};

extern "C" fn manifest() -> CallResult {
    CallResult {
        status: CallStatus::Failed as u32,
        payload: Buffer::from_vec(b"a host must not call into a short table".to_vec()),
    }
}

extern "C" fn call(_: *const u8, _: usize) -> CallResult {
    manifest()
}

extern "C" fn free(buffer: Buffer) {
    // SAFETY: the host hands back only buffers this library produced.
    drop(unsafe { buffer.into_vec() });
}

#[unsafe(no_mangle)]
pub extern "C" fn gwscript_plugin_abi_version() -> u32 {
    abi::ABI_VERSION
}

#[unsafe(no_mangle)]
pub extern "C" fn gwscript_plugin_table() -> *const PluginTable {
    static TABLE: PluginTable = PluginTable {
        size: size_of::<usize>() * 2,
        manifest,
        check: call,
        context: call,
        free,
    };
    &TABLE
}
