//! Run-time fixture (loads, kind `huge-payload`; its `check` is GW2009): a plugin whose `check`
//! returns one byte more than `abi::MAX_PAYLOAD_BYTES`, as a plugin might for a huge setup. The
//! host must refuse the payload without reading it and still hand it back to `free`. The bytes
//! are zeroed, so the allocator maps them lazily and the fixture costs no time or memory.

mod fixture;
mod handmade;

use gwscript_plugin::abi::{self, Buffer, CallResult, CallStatus, PluginTable};

extern "C" fn manifest() -> CallResult {
    let manifest = fixture::manifest(
        "huge-payload",
        "huge-payload",
        "Huge payload",
        "returns a check result larger than a call may return",
    );
    handmade::ok(&serde_json::to_vec(&manifest).expect("a manifest serialises"))
}

extern "C" fn check(_: *const u8, _: usize) -> CallResult {
    CallResult {
        status: CallStatus::Ok as u32,
        payload: Buffer::from_vec(vec![0; abi::MAX_PAYLOAD_BYTES + 1]),
    }
}

#[unsafe(no_mangle)]
pub extern "C" fn gwscript_plugin_table() -> *const PluginTable {
    static TABLE: PluginTable = PluginTable {
        size: size_of::<PluginTable>(),
        flags: abi::FLAG_UNWINDS,
        json_version: abi::JSON_VERSION,
        manifest,
        check,
        render: handmade::empty_rendering,
        free: handmade::free,
        page: None,
        check_file: None,
        file_schema: None,
    };
    &TABLE
}
