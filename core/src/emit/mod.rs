//! Rendering artifacts and writing them: the SDK's template rules (minijinja with strict
//! undefined, escaped values, a re-parse of every structured output), and a writer that replaces
//! a run's files as one unit, keeps backups, and never follows a link out of the output directory.

mod artifact;
mod out_dir;
mod signals;
mod writer;

pub use artifact::Artifact;
pub use gwscript_plugin::quote::shell_quote;
pub use gwscript_plugin::render::fill_checked;
pub use writer::{WriteOutcome, write_all};
