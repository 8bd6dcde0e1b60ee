//! The SDK for gwscript gateway plugins.
//!
//! A plugin is a `cdylib` that implements [`Plugin`] and calls [`declare_plugin!`]. Only C types
//! cross the library boundary ([`abi`]); everything else travels as UTF-8 JSON of the types in
//! [`model`], [`manifest`], [`report`] and [`diagnostic`], which the host shares with plugins
//! through this crate. With the `render` feature, [`render`] holds the host's template rules, so
//! a plugin's tests render exactly as `gwscript run` does; `testing` adds builders for setups
//! and assertions of a plugin's pages and assessments.

pub mod abi;
pub mod diagnostic;
#[doc(hidden)]
pub mod export;
pub mod features;
pub mod files;
pub mod manifest;
pub mod model;
pub mod quote;
#[cfg(feature = "render")]
pub mod render;
pub mod report;
pub mod schema;
pub mod suggest;
#[cfg(feature = "testing")]
pub mod testing;
pub mod url;
#[cfg(feature = "yaml")]
pub mod yaml;

pub use diagnostic::{Diagnostic, Severity};
pub use files::{FileCheck, FileKind};
pub use manifest::{
    ClientAuth, ClientContract, Codes, Manifest, ModelNames, PluginRole, Template, TemplateFormat,
};
pub use model::Setup;
pub use report::{ClientContribution, ClientValue, ClientVar, Rendering, ReportContribution};
/// The serialisation crates the SDK's types use, so a plugin needs no other dependency to build
/// contexts.
pub use serde;
pub use serde_json;

/// What a gateway plugin provides. Every method receives plain Rust values; the ABI glue generated
/// by [`declare_plugin!`] does the JSON and panic containment.
pub trait Plugin {
    /// Identity, option schemas, client contract, templates and codes. Called once, at load.
    fn manifest() -> Manifest;

    /// Capability checks for a setup that uses a gateway of this plugin's kind, as its gateway or
    /// as one of its monitors ([`Setup::gateway_of_kind`] finds it, with its role). The host
    /// calls it only once that gateway's options have passed the manifest's schemas, so the
    /// plugin may rely on the types it declared. Any error among the findings stops the run.
    fn check(setup: &Setup) -> Vec<Diagnostic>;

    /// The template context and the plugin's part of the guidance report. Its result is used only
    /// when no check (the host's or any plugin's) found an error; an `Err` reaches the user as
    /// GW2009. It runs on a thread of its own while [`Plugin::check`] runs on the same setup, so
    /// keep it a function of the setup alone: it must not wait for, or read anything left by,
    /// `check`.
    /// The context is anything that serialises to a JSON object: a `serde_json::Value`, or a type
    /// that writes a large context straight from `setup` without building a tree first.
    fn render(setup: &Setup) -> Result<Rendering<impl serde::Serialize>, String>;

    /// The markdown page of every code in the manifest, each starting `# CODE: title`. The host
    /// asks only for codes the manifest lists; [`Codes::from_pages`] builds that list from these
    /// same pages.
    fn pages() -> &'static [&'static str] {
        &[]
    }

    /// Checks one hand-written file of a kind the manifest's `file_kinds` declares. Spans are
    /// positions in that file (or, with [`Diagnostic::in_file`], in a file it includes). An `Err`
    /// reaches the user as GW2009; a file that is merely wrong is a diagnostic, not an `Err`.
    fn check_file(file: &FileCheck) -> Result<Vec<Diagnostic>, String> {
        Err(format!("this plugin checks no `{}` files", file.kind))
    }

    /// A JSON Schema for files of the kind `id`, for editors, built from the same model the file
    /// checks use.
    fn file_schema(id: &str) -> Result<serde_json::Value, String> {
        Err(format!("this plugin has no schema for `{id}` files"))
    }
}

/// Exports `P` as a gwscript plugin: the ABI version symbol and the function table.
///
/// Every export is wrapped in `catch_unwind`, so a panic inside the plugin reaches the host as an
/// error result instead of unwinding across the C boundary. That needs `panic = "unwind"`; a
/// plugin built with `panic = "abort"` does not compile.
#[macro_export]
macro_rules! declare_plugin {
    ($plugin:ty) => {
        #[cfg(panic = "abort")]
        compile_error!(
            "gwscript plugins must be built with panic = \"unwind\": with \"abort\" a plugin panic would take the host down"
        );

        #[unsafe(no_mangle)]
        pub extern "C" fn gwscript_plugin_abi_version() -> u32 {
            $crate::abi::ABI_VERSION
        }

        #[unsafe(no_mangle)]
        pub extern "C" fn gwscript_plugin_table() -> *const $crate::abi::PluginTable {
            static TABLE: $crate::abi::PluginTable = $crate::abi::PluginTable {
                size: ::core::mem::size_of::<$crate::abi::PluginTable>(),
                flags: if cfg!(panic = "unwind") {
                    $crate::abi::FLAG_UNWINDS
                } else {
                    0
                },
                json_version: $crate::abi::JSON_VERSION,
                manifest: $crate::export::manifest::<$plugin>,
                check: $crate::export::check::<$plugin>,
                render: $crate::export::render::<$plugin>,
                free: $crate::export::free,
                page: Some($crate::export::page::<$plugin>),
                check_file: Some($crate::export::check_file::<$plugin>),
                file_schema: Some($crate::export::file_schema::<$plugin>),
            };
            &TABLE
        }
    };
}
