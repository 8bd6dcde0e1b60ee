//! The SDK for gwscript gateway plugins.
//!
//! A plugin is a `cdylib` that implements [`Plugin`] and calls [`declare_plugin!`]. Only C types
//! cross the library boundary ([`abi`]); everything else travels as UTF-8 JSON of the types in
//! [`model`], [`manifest`] and [`diagnostic`], which the host shares with plugins through this crate.

pub mod abi;
pub mod diagnostic;
#[doc(hidden)]
pub mod export;
pub mod manifest;
pub mod model;
pub mod suggest;

pub use diagnostic::{Diagnostic, Severity};
pub use manifest::{Manifest, Template, TemplateFormat};
pub use model::Setup;

/// What a gateway plugin provides. Every method receives plain Rust values; the ABI glue generated
/// by [`declare_plugin!`] does the JSON and panic containment.
pub trait Plugin {
    /// Name, gateway kind, capabilities and templates. Called once, when the host loads the library.
    fn manifest() -> Manifest;

    /// Capability checks for a setup this plugin's gateway kind serves.
    fn check(setup: &Setup) -> Vec<Diagnostic>;

    /// The context the plugin's templates are rendered with.
    fn context(setup: &Setup) -> Result<serde_json::Value, String>;
}

/// Exports `P` as a gwscript plugin: the ABI version symbol and the function table.
///
/// Every export is wrapped in `catch_unwind`, so a panic inside the plugin reaches the host as an
/// error result instead of unwinding across the C boundary.
#[macro_export]
macro_rules! declare_plugin {
    ($plugin:ty) => {
        #[unsafe(no_mangle)]
        pub extern "C" fn gwscript_plugin_abi_version() -> u32 {
            $crate::abi::ABI_VERSION
        }

        #[unsafe(no_mangle)]
        pub extern "C" fn gwscript_plugin_table() -> *const $crate::abi::PluginTable {
            static TABLE: $crate::abi::PluginTable = $crate::abi::PluginTable {
                size: ::core::mem::size_of::<$crate::abi::PluginTable>(),
                manifest: $crate::export::manifest::<$plugin>,
                check: $crate::export::check::<$plugin>,
                context: $crate::export::context::<$plugin>,
                free: $crate::export::free,
            };
            &TABLE
        }
    };
}
