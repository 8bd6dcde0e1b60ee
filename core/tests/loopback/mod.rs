//! What the mock's tests share: a mock on an ephemeral loopback port, and a client that talks to
//! it directly.

use gwscript::probe::mock::{self, MockConfig, MockServer};
use std::time::Duration;

pub async fn start(config: MockConfig) -> MockServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    mock::serve(listener, config).await.unwrap()
}

/// Loopback only: never let a proxy variable from the environment reroute the test.
pub fn client() -> reqwest::Client {
    // reqwest is built without a TLS provider of its own (doctor brings rustls on ring): a client
    // needs a process-wide one even to speak plain HTTP. Installing it twice is harmless.
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// POSTs `body` as JSON to `path` on the mock.
// Not every test file that shares this module posts JSON.
#[allow(dead_code)]
pub async fn post(mock: &MockServer, path: &str, body: &serde_json::Value) -> reqwest::Response {
    client()
        .post(format!("{}{path}", mock.base_url()))
        .json(body)
        .send()
        .await
        .unwrap()
}
