//! Refusal fixture (GW2011): a sound plugin whose table lacks `FLAG_UNWINDS`, as one built with
//! `panic = "abort"` would export. Its `catch_unwind` could not contain a panic, which would take
//! the host down, so the host must refuse it before calling anything but the table symbol.
//!
//! The entries are the SDK's own; only the flags differ from what `declare_plugin!` builds.

mod fixture;
mod handmade;

use fixture::{Fixture, NoChecks};
use gwscript_plugin::Manifest;
use gwscript_plugin::abi::{self, PluginTable};
use gwscript_plugin::export;

struct Aborts;

impl Fixture for Aborts {
    fn manifest() -> Manifest {
        fixture::manifest(
            "aborts-on-panic",
            "aborts-on-panic",
            "Aborts on panic",
            "built as if with panic = \"abort\": a panic inside it would abort the host",
        )
    }
}

type Exported = NoChecks<Aborts>;

#[unsafe(no_mangle)]
pub extern "C" fn gwscript_plugin_table() -> *const PluginTable {
    static TABLE: PluginTable = PluginTable {
        size: size_of::<PluginTable>(),
        // What `declare_plugin!` sets under `cfg(panic = "abort")`.
        flags: 0,
        json_version: abi::JSON_VERSION,
        manifest: export::manifest::<Exported>,
        check: export::check::<Exported>,
        render: export::render::<Exported>,
        free: export::free,
        page: Some(export::page::<Exported>),
        check_file: None,
        file_schema: None,
    };
    &TABLE
}
