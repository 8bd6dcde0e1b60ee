//! Rendering artifacts and writing them: the SDK's template rules (minijinja with strict
//! undefined, escaped values, a re-parse of every structured output), and an atomic writer that
//! keeps backups.

mod artifact;
mod writer;

pub use artifact::Artifact;
pub use gwscript_plugin::quote::shell_quote;
pub use gwscript_plugin::render::render_template;
pub use writer::{WriteOutcome, write_all};
