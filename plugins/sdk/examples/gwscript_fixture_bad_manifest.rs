//! Refusal fixture (GW2005): the right ABI and a sound table, but manifest JSON that does not
//! read as a manifest (wrongly typed fields, required fields missing).

mod handmade;

use gwscript_plugin::abi::CallResult;

extern "C" fn manifest() -> CallResult {
    handmade::ok(br#"{"name": 42, "gateway_kind": ["not", "a", "string"]}"#)
}

handmade::table_with_manifest!(manifest);
