//! Diagnostics at the edge: rendering findings for people, and the `explain` pages.
//!
//! The diagnostic type itself lives in the SDK so plugins produce the same values the core does.

mod mask;
mod mask_data;
pub mod pages;
mod render;

pub use gwscript_plugin::{Diagnostic, Severity};
pub use pages::{Page, page};
pub use render::{Source, Syntax, printable, render};

/// True when any finding blocks emission.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}
