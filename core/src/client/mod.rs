//! Claude Code's side of a setup: the environment it needs, as a settings.json `env` block at the
//! chosen scope, as shell exports, and optionally behind an `apiKeyHelper` script.
//!
//! Credentials never reach settings.json: they travel as references in the shell exports or
//! through the helper, whatever the scope.

mod checks;
mod conflicts;
mod contribution;
pub mod credentials;
pub mod direct;
mod env;
mod files;
pub mod headers;
mod key;
mod model_ids;
pub mod models;
mod precedence;
pub mod settings_file;

pub use checks::{check, env_findings};
pub use contribution::{plugin_settings, plugin_vars};
pub use env::{EnvValue, EnvVar, client_env, no_proxy_covers};
pub use files::{
    CLIENT_DIR, ClientFiles, HELPER_PATH, SETTINGS_PATH, SHELL_PATH, client_files,
    settings_location,
};
pub use key::{KeySource, key_source};
