//! Driving `gwscript mock` from tests: start it, learn its URL, read what it recorded.

use crate::process::{Proc, tail};
use crate::{gwscript_bin, http_client};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::process::Command;
use std::time::Duration;

const START_TIMEOUT: Duration = Duration::from_secs(20);
const ADDRESS_LINE: &str = "listening on ";

/// A `gwscript mock anthropic` process on a port it picked itself.
#[derive(Debug)]
pub struct MockProvider {
    pub proc: Proc,
    /// `http://127.0.0.1:PORT`, as the mock reported it.
    pub url: String,
}

impl MockProvider {
    /// Starts the Anthropic mock answering every request with `reply`.
    pub fn start(reply: &str) -> MockProvider {
        let mut command = Command::new(gwscript_bin());
        command
            .args([
                "mock",
                "anthropic",
                "--listen",
                "127.0.0.1:0",
                "--reply",
                reply,
            ])
            .env_clear();
        let mut proc = Proc::spawn("gwscript mock", command);
        let line = proc
            .wait_for_line(START_TIMEOUT, |line| line.starts_with(ADDRESS_LINE))
            .unwrap_or_else(|| {
                panic!(
                    "the mock did not report its address\n{}",
                    proc.diagnostics()
                )
            });
        let url = line[ADDRESS_LINE.len()..].to_owned();
        assert!(
            url.starts_with("http://127.0.0.1:"),
            "the mock is off loopback: {line}"
        );
        MockProvider { proc, url }
    }

    /// Every request recorded so far, oldest first, as the mock's JSON records.
    pub fn records(&self) -> Vec<Value> {
        self.fetch_records().unwrap_or_else(|e| panic!("{e}"))
    }

    /// The mock's stderr and a line per recorded request, for failure messages.
    pub fn diagnostics(&mut self) -> String {
        let records = match self.fetch_records() {
            Ok(records) => summarize(&records),
            Err(e) => e,
        };
        format!("{}\n--- mock records:\n{records}", self.proc.diagnostics())
    }

    fn fetch_records(&self) -> Result<Vec<Value>, String> {
        let response = http_client()
            .get(format!("{}/_mock/requests", self.url))
            .send()
            .map_err(|e| format!("cannot read the mock's records: {e}"))?;
        response
            .json()
            .map_err(|e| format!("the mock's records are not JSON: {e}"))
    }
}

/// What the mock records in place of credential `key`: `sha256:` and the first 16 hex digits of
/// its SHA-256, after the auth scheme if there is one (`Bearer sha256:…`). The same rule as
/// `gwscript::probe::mock::credential_fingerprint`, which these tests reach only through the
/// binary; `tests/cli/mock.rs` checks the two agree.
pub fn credential_fingerprint(key: &str) -> String {
    let hex: String = Sha256::digest(key.as_bytes())
        .iter()
        .take(8)
        .map(|byte| format!("{byte:02x}"))
        .collect();
    format!("sha256:{hex}")
}

/// Whether `record` carries credential `key`, as sent or as its fingerprint: the check that a
/// gateway did not forward a key it should have kept.
pub fn carries(record: &Value, key: &str) -> bool {
    let text = record.to_string();
    text.contains(key) || text.contains(&credential_fingerprint(key))
}

/// The first recorded `POST /v1/messages` whose user-agent starts with `agent`.
pub fn find_messages_request<'a>(
    records: impl IntoIterator<Item = &'a Value>,
    agent: &str,
) -> Option<&'a Value> {
    records.into_iter().find(|r| {
        r["method"] == "POST"
            && r["path"] == "/v1/messages"
            && header(r, "user-agent").is_some_and(|ua| ua.starts_with(agent))
    })
}

/// A record's headers as `(name, value)` pairs, in arrival order.
pub fn headers(record: &Value) -> impl Iterator<Item = (&str, &str)> {
    record["headers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|pair| Some((pair[0].as_str()?, pair[1].as_str()?)))
}

/// The first value of header `name` (lower case) in a record.
pub fn header<'a>(record: &'a Value, name: &str) -> Option<&'a str> {
    headers(record).find(|(n, _)| *n == name).map(|(_, v)| v)
}

/// One line for a record: who called what, with the headers a gateway must pass through.
pub fn describe(record: &Value) -> String {
    format!(
        "#{} {} {}{} ua={:?} anthropic-version={:?} anthropic-beta={:?}",
        record["seq"],
        record["method"].as_str().unwrap_or_default(),
        record["path"].as_str().unwrap_or_default(),
        record["query"]
            .as_str()
            .map(|q| format!("?{q}"))
            .unwrap_or_default(),
        header(record, "user-agent").unwrap_or_default(),
        header(record, "anthropic-version").unwrap_or_default(),
        header(record, "anthropic-beta").unwrap_or_default(),
    )
}

fn summarize(records: &[Value]) -> String {
    let lines: Vec<String> = records.iter().map(describe).collect();
    tail(&lines.join("\n"), 50)
}
