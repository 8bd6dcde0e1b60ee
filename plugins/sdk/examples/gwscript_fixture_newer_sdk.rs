//! Compatibility fixture (loads, kind `newer`): what a plugin built against a newer SDK exports.
//! Its table is longer than this SDK's (two entries appended after the last one this SDK knows), it declares the next
//! JSON version, and its manifest and rendering carry fields this SDK does not know, at the top
//! level and nested. The host must load it, read only the part of the table it knows, and ignore
//! the rest.

mod handmade;

use gwscript_plugin::abi::{self, CallResult, InputFn, PluginTable};

/// The SDK's table followed by two entries a future SDK might append.
#[repr(C)]
struct LongerTable {
    known: PluginTable,
    from_the_future: Option<InputFn>,
    further_still: Option<InputFn>,
}

// `known` comes first, so a pointer to the table is a pointer to the part the host knows.
const _: () = {
    assert!(std::mem::offset_of!(LongerTable, known) == 0);
    assert!(size_of::<LongerTable>() > size_of::<PluginTable>());
};

const MANIFEST: &[u8] = br#"{
    "name": "newer",
    "version": "9.0.0",
    "gateway_kind": "newer",
    "display_name": "Newer",
    "description": "built against a newer SDK: a longer table and fields this host does not know",
    "third_party": true,
    "capabilities": ["time-travel"],
    "compatibility": [
        { "id": "quantum-safe", "status": "yes", "source": "unverified", "confidence": 0.5 }
    ],
    "client": {
        "auth": { "kind": "bearer" },
        "endpoints": { "unified": "" },
        "model_names": "groups",
        "transport": { "protocol": "http/4", "multiplexed": true }
    },
    "diagnostics": { "prefix": "", "codes": [], "catalogue_url": "https://example.invalid/codes" },
    "signature": { "algorithm": "future-sig", "value": "AAAA" }
}"#;

const RENDERING: &[u8] = br#"{
    "context": {},
    "report": { "notes": ["rendered by a newer SDK"], "dashboards": ["future"] },
    "artifacts": [{ "path": "newer/extra.bin" }]
}"#;

extern "C" fn manifest() -> CallResult {
    handmade::ok(MANIFEST)
}

extern "C" fn render(_: *const u8, _: usize) -> CallResult {
    handmade::ok(RENDERING)
}

#[unsafe(no_mangle)]
pub extern "C" fn gwscript_plugin_table() -> *const PluginTable {
    static TABLE: LongerTable = LongerTable {
        known: PluginTable {
            size: size_of::<LongerTable>(),
            flags: abi::FLAG_UNWINDS,
            json_version: abi::JSON_VERSION + 1,
            manifest,
            check: handmade::no_diagnostics,
            render,
            free: handmade::free,
            page: None,
            check_file: None,
            file_schema: None,
        },
        from_the_future: Some(handmade::never_called),
        further_still: Some(handmade::never_called),
    };
    // The host reads the `PluginTable` at the start, as far as it knows it (asserted above).
    std::ptr::from_ref(&TABLE).cast()
}
