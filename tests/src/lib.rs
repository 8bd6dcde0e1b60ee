//! Helpers shared by the integration and end-to-end tests: where the built binary and the
//! installed peers are, child processes that cannot outlive a test, bounded waiting and tool runs,
//! `gwscript run` with its secret-leak sweep, the real checks of emitted Claude Code files (the
//! settings schema, bash), and the real Claude Code in isolation.

pub mod claude;
pub mod emit;
pub mod files;
pub mod keys;
pub mod litellm;
pub mod mock;
pub mod nginx;
pub mod paths;
pub mod probe;
pub mod process;
pub mod proxy;
pub mod settings_schema;
pub mod shell;
pub mod tool;
pub mod wait;

pub use emit::{Emit, Emitted};
pub use mock::MockProvider;
pub use paths::{Peers, fixture_library, gwscript_bin, library_name, peers};
pub use process::Proc;
pub use settings_schema::assert_settings_schema_valid;
pub use tool::{Ran, SYSTEM_PATH, TOOL_TIMEOUT, run_tool};
pub use wait::{free_port, poll_until};

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// A fresh temporary directory, removed when the returned guard drops.
pub fn temp_dir(label: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("gwscript-{label}-"))
        .tempdir()
        .unwrap_or_else(|e| panic!("cannot create a temporary directory: {e}"))
}

/// An HTTP client for loopback servers: proxy variables from the environment are ignored so
/// test traffic can never leave the machine.
pub fn http_client() -> reqwest::blocking::Client {
    // reqwest is built without a TLS provider of its own (doctor brings rustls on ring): a client
    // needs a process-wide one even to speak plain HTTP. Installing it twice is harmless.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::blocking::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap_or_else(|e| panic!("cannot build an HTTP client: {e}"))
}

/// Holds `lock` while one heavy peer (LiteLLM, Claude Code) runs: a two-core machine runs one at a
/// time. A test that panicked while holding it does not stop the others.
pub fn one_at_a_time(lock: &'static Mutex<()>) -> MutexGuard<'static, ()> {
    lock.lock().unwrap_or_else(PoisonError::into_inner)
}
