//! Refusal fixture: the right ABI, but a manifest that is not a valid manifest.

use gwscript_plugin::abi::{self, Buffer, CallResult, CallStatus, PluginTable};

extern "C" fn manifest() -> CallResult {
    CallResult {
        status: CallStatus::Ok as u32,
        payload: Buffer::from_vec(
            br#"{"name": 42, "gateway_kind": ["not", "a", "string"]}"#.to_vec(),
        ),
    }
}

extern "C" fn unreachable_call(_: *const u8, _: usize) -> CallResult {
    CallResult {
        status: CallStatus::Failed as u32,
        payload: Buffer::from_vec(b"never called".to_vec()),
    }
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
        size: size_of::<PluginTable>(),
        manifest,
        check: unreachable_call,
        context: unreachable_call,
        free,
    };
    &TABLE
}
