//! The plugin host: finds gateway plugins, checks their ABI before calling anything, and keeps
//! every library loaded for the life of the process.

mod discovery;
mod library;
mod location;
mod manifest_rules;
mod options;
mod registry;
mod trust;

pub use discovery::{Origin, SearchDir, search_dirs};
pub use library::{LoadedPlugin, SetupInput};
pub use manifest_rules::host_features;
pub use options::validate_options;
pub use registry::{Refusal, Registry};
pub use trust::Trust;
