//! What the hand-built tables share: the ABI version export and table entries that return fixed
//! bytes, for fixtures that must export what `declare_plugin!` never would.
//!
//! Including this module exports `gwscript_plugin_abi_version` returning the current
//! [`abi::ABI_VERSION`]: every hand-built table gets past the version check, so the host judges
//! the table itself. A fixture then exports `gwscript_plugin_table` pointing at its own static.

#![allow(
    dead_code,
    unused_macros,
    unused_imports,
    reason = "each fixture uses the entries it needs"
)]

use gwscript_plugin::abi::{self, Buffer, CallResult, CallStatus};

#[unsafe(no_mangle)]
pub extern "C" fn gwscript_plugin_abi_version() -> u32 {
    abi::ABI_VERSION
}

/// A successful call returning `json`.
pub fn ok(json: &[u8]) -> CallResult {
    CallResult {
        status: CallStatus::Ok as u32,
        payload: Buffer::from_vec(json.to_vec()),
    }
}

const NEVER: &[u8] = b"the host called an entry of a table it should not call into";

/// A `manifest` entry the host must never call (the table is refused before it).
pub extern "C" fn manifest_never_called() -> CallResult {
    CallResult {
        status: CallStatus::Failed as u32,
        payload: Buffer::from_vec(NEVER.to_vec()),
    }
}

/// An input entry the host must never call (refused table, or an entry the host does not know).
pub extern "C" fn never_called(_: *const u8, _: usize) -> CallResult {
    manifest_never_called()
}

/// A `check` that finds nothing: an empty list of diagnostics.
pub extern "C" fn no_diagnostics(_: *const u8, _: usize) -> CallResult {
    ok(b"[]")
}

/// A `render` with an empty object context and no report contribution.
pub extern "C" fn empty_rendering(_: *const u8, _: usize) -> CallResult {
    ok(br#"{"context":{}}"#)
}

/// Frees a payload returned by the entries above. A malformed buffer (a null pointer with a
/// length, as `gwscript_fixture_null_payload` returns) owns nothing and is left alone.
///
/// # Safety
/// `buffer` is one this library returned, handed back once.
pub unsafe extern "C" fn free(buffer: Buffer) {
    // SAFETY: the caller hands back a buffer this library returned: either a forged one with a
    // null pointer, which `as_slice` rejects without reading, or one from `Buffer::from_vec`,
    // which points at `len` live bytes.
    if unsafe { buffer.as_slice() }.is_none() {
        return;
    }
    // SAFETY: not forged, so it came from `Buffer::from_vec` here and is reclaimed once.
    drop(unsafe { buffer.into_vec() });
}

/// Exports a full-size table whose `manifest` entry is `$manifest`; the host must refuse the
/// manifest, so the other entries are never called.
macro_rules! table_with_manifest {
    ($manifest:path) => {
        #[unsafe(no_mangle)]
        pub extern "C" fn gwscript_plugin_table() -> *const gwscript_plugin::abi::PluginTable {
            use gwscript_plugin::abi::{self, PluginTable};
            static TABLE: PluginTable = PluginTable {
                size: size_of::<PluginTable>(),
                flags: abi::FLAG_UNWINDS,
                json_version: abi::JSON_VERSION,
                manifest: $manifest,
                check: handmade::never_called,
                render: handmade::never_called,
                free: handmade::free,
                page: None,
                check_file: None,
                file_schema: None,
            };
            &TABLE
        }
    };
}
pub(crate) use table_with_manifest;
