//! Rendering artifacts and writing them: minijinja with strict undefined and escaped values,
//! a re-parse of every structured output, and an atomic writer that keeps backups.

mod artifact;
mod render;
mod writer;

pub use artifact::Artifact;
pub use render::{render_template, shell_quote};
pub use writer::{WriteOutcome, write_all};
