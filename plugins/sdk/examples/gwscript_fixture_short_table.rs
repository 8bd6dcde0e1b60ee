//! Refusal fixture (GW2004): the right ABI version, but a table whose declared size ends before
//! `free`, below `CORE_TABLE_SIZE`. The host must refuse it having read only `size`: every entry
//! here reports that it was called.

mod handmade;

use gwscript_plugin::abi::{self, PluginTable};

/// Where `free` starts: a table this short lacks an entry every ABI 2 host needs.
const SHORT: usize = std::mem::offset_of!(PluginTable, free);
const _: () = assert!(SHORT < abi::CORE_TABLE_SIZE);

#[unsafe(no_mangle)]
pub extern "C" fn gwscript_plugin_table() -> *const PluginTable {
    static TABLE: PluginTable = PluginTable {
        size: SHORT,
        flags: abi::FLAG_UNWINDS,
        json_version: abi::JSON_VERSION,
        manifest: handmade::manifest_never_called,
        check: handmade::never_called,
        render: handmade::never_called,
        free: handmade::free,
        page: None,
        check_file: None,
        file_schema: None,
    };
    &TABLE
}
