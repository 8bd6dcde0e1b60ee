//! Helpers shared by the integration and end-to-end tests: where the built binary and the
//! installed peers are, child processes that cannot outlive a test, and bounded waiting.

pub mod mock;
pub mod paths;
pub mod process;
pub mod wait;

pub use mock::MockProvider;
pub use paths::{Peers, fixture_library, gwscript_bin, library_name, peers};
pub use process::Proc;
pub use wait::{free_port, poll_until};

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
    reqwest::blocking::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap_or_else(|e| panic!("cannot build an HTTP client: {e}"))
}
