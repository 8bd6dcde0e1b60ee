//! Compatibility fixture (loads, kind `older`): what a plugin built against the first ABI 2 SDK
//! exports. Its table is exactly `CORE_TABLE_SIZE` long (no `page` entry, nor anything appended
//! later), and its manifest holds only the fields that were ever required: every optional field
//! is absent. The host must load it, read no entry past `free`, and default what is missing.

mod handmade;

use gwscript_plugin::abi::{self, Buffer, CORE_TABLE_SIZE, CallResult, InputFn, PluginTable};
use std::mem::{offset_of, size_of};

/// The core of the table: the SDK's fields up to and including `free`, in the SDK's order.
#[repr(C)]
struct CoreTable {
    size: usize,
    flags: u32,
    json_version: u32,
    manifest: unsafe extern "C" fn() -> CallResult,
    check: InputFn,
    render: InputFn,
    free: unsafe extern "C" fn(Buffer),
}

// The host reads this table through `PluginTable`: every field must sit where the SDK puts it,
// and the table must end where the core does.
const _: () = {
    assert!(size_of::<CoreTable>() == CORE_TABLE_SIZE);
    assert!(offset_of!(CoreTable, size) == offset_of!(PluginTable, size));
    assert!(offset_of!(CoreTable, flags) == offset_of!(PluginTable, flags));
    assert!(offset_of!(CoreTable, json_version) == offset_of!(PluginTable, json_version));
    assert!(offset_of!(CoreTable, manifest) == offset_of!(PluginTable, manifest));
    assert!(offset_of!(CoreTable, check) == offset_of!(PluginTable, check));
    assert!(offset_of!(CoreTable, render) == offset_of!(PluginTable, render));
    assert!(offset_of!(CoreTable, free) == offset_of!(PluginTable, free));
};

/// Only the required fields; `client` has no optional ones.
const MANIFEST: &[u8] = br#"{
    "name": "older",
    "version": "0.0.1",
    "gateway_kind": "older",
    "display_name": "Older",
    "description": "built against the first ABI 2 SDK: a core-sized table and a minimal manifest",
    "third_party": true,
    "client": {
        "auth": { "kind": "bearer" },
        "endpoints": { "unified": "" },
        "model_names": "groups"
    }
}"#;

extern "C" fn manifest() -> CallResult {
    handmade::ok(MANIFEST)
}

#[unsafe(no_mangle)]
pub extern "C" fn gwscript_plugin_table() -> *const PluginTable {
    static TABLE: CoreTable = CoreTable {
        size: size_of::<CoreTable>(),
        flags: abi::FLAG_UNWINDS,
        // The first JSON version: an older SDK speaks no newer one.
        json_version: 1,
        manifest,
        check: handmade::no_diagnostics,
        render: handmade::empty_rendering,
        free: handmade::free,
    };
    // The host reads only the fields `size` covers, all laid out as in `PluginTable` (above).
    std::ptr::from_ref(&TABLE).cast()
}
