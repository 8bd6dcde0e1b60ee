//! `gwscript probe`'s checks against a live gateway speaking the Messages API: one module per
//! check family, each returning [`Check`]s with stable ids. With a mock upstream, requests carry a
//! nonce in their body (gateways may strip unknown headers) and the probe asks the mock, directly,
//! what arrived.

mod auth;
mod body;
mod endpoint;
mod headers;
mod status;
mod stream;

use crate::probe::mock::{self, RecordedRequest, StreamTiming};
use serde::Serialize;
use serde_json::{Value, json};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Every probe request gives up after this long.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// The model named in probe requests (the mock answers any).
const MODEL: &str = "claude-sonnet-4-5";
/// The `anthropic-version` Claude Code sends.
pub const ANTHROPIC_VERSION: &str = "2023-06-01";

/// One check's verdict, in the shape `--format json` prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub id: &'static str,
    pub criterion: &'static str,
    pub status: Status,
    pub evidence: String,
    pub fix: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Fail,
    Warn,
    Skip,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Warn => "warn",
            Status::Skip => "skip",
        }
    }
}

impl Check {
    fn new(id: &'static str, criterion: &'static str, status: Status, evidence: String) -> Check {
        Check {
            id,
            criterion,
            status,
            evidence,
            fix: String::new(),
        }
    }

    fn pass(id: &'static str, criterion: &'static str, evidence: impl Into<String>) -> Check {
        Check::new(id, criterion, Status::Pass, evidence.into())
    }

    fn warn(id: &'static str, criterion: &'static str, evidence: impl Into<String>) -> Check {
        Check::new(id, criterion, Status::Warn, evidence.into())
    }

    fn fail(id: &'static str, criterion: &'static str, evidence: impl Into<String>) -> Check {
        Check::new(id, criterion, Status::Fail, evidence.into())
    }

    /// A check that needs the mock upstream and was run without `--mock`.
    fn needs_mock(id: &'static str, criterion: &'static str) -> Check {
        Check::new(id, criterion, Status::Skip, "needs --mock".to_owned())
    }

    fn with_fix(mut self, fix: impl Into<String>) -> Check {
        self.fix = fix.into();
        self
    }
}

/// How the probe authenticates to the gateway. Its `Debug` never shows the secret.
#[derive(Clone, PartialEq, Eq)]
pub enum Credential {
    None,
    /// `Authorization: Bearer T` (`ANTHROPIC_AUTH_TOKEN`).
    Bearer(String),
    /// `x-api-key: K` (`ANTHROPIC_API_KEY`).
    ApiKey(String),
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Credential::None => "None",
            Credential::Bearer(_) => "Bearer(<redacted>)",
            Credential::ApiKey(_) => "ApiKey(<redacted>)",
        })
    }
}

/// What to probe.
#[derive(Debug, Clone)]
pub struct Target {
    /// The gateway's base URL, as `ANTHROPIC_BASE_URL` would hold it.
    pub url: String,
    /// The base URL of the `gwscript mock` the gateway forwards to.
    pub mock: Option<String>,
    pub credential: Credential,
}

/// The shared state of one probe run: the target, an HTTP client, and fresh nonces.
#[derive(Debug)]
pub struct Probe {
    target: Target,
    client: reqwest::Client,
    run_id: String,
    next: AtomicU64,
}

impl Probe {
    pub fn new(target: Target) -> Result<Probe, reqwest::Error> {
        // reqwest is built without a TLS provider of its own: install rustls on ring first.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .no_proxy()
            .timeout(REQUEST_TIMEOUT)
            .build()?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Ok(Probe {
            target,
            client,
            run_id: format!("probe-{}-{nanos}", std::process::id()),
            next: AtomicU64::new(0),
        })
    }

    /// Runs every check, in a stable order.
    pub async fn run(&self) -> Vec<Check> {
        let mut checks = endpoint::checks(self).await;
        checks.extend(headers::checks(self).await);
        checks.extend(body::checks(self).await);
        checks.extend(status::checks(self).await);
        checks.extend(stream::checks(self).await);
        checks.extend(auth::checks(self).await);
        checks
    }

    fn has_mock(&self) -> bool {
        self.target.mock.is_some()
    }

    /// A nonce no other request of any run uses.
    fn nonce(&self) -> String {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        format!("{}-{n}", self.run_id)
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.target.url.trim_end_matches('/'))
    }

    /// A POST to the gateway with Claude Code's headers and the probe's credential.
    fn post(&self, path: &str) -> reqwest::RequestBuilder {
        let request = self
            .client
            .post(self.url(path))
            .header("anthropic-version", ANTHROPIC_VERSION);
        match &self.target.credential {
            Credential::None => request,
            Credential::Bearer(token) => request.bearer_auth(token),
            Credential::ApiKey(key) => request.header("x-api-key", key),
        }
    }

    /// POSTs `body` to `/v1/messages?beta=true` as Claude Code does.
    async fn messages(&self, body: &Value) -> Result<reqwest::Response, String> {
        self.post("/v1/messages?beta=true")
            .json(body)
            .send()
            .await
            .map_err(|e| describe(&e))
    }

    /// What the mock recorded for `nonce`.
    async fn mock_requests(&self, nonce: &str) -> Result<Vec<RecordedRequest>, String> {
        self.mock_get(mock::REQUESTS_PATH, nonce).await
    }

    /// When the mock wrote each event of the streams for `nonce`.
    async fn mock_streams(&self, nonce: &str) -> Result<Vec<StreamTiming>, String> {
        self.mock_get(mock::STREAMS_PATH, nonce).await
    }

    async fn mock_get<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        nonce: &str,
    ) -> Result<T, String> {
        let Some(base) = &self.target.mock else {
            return Err("needs --mock".to_owned());
        };
        // Nonces are letters, digits and dashes: no escaping needed.
        let url = format!("{}{path}?nonce={nonce}", base.trim_end_matches('/'));
        let response = self
            .client
            .get(url)
            .send()
            .await
            .map_err(|e| format!("the mock's inspection route: {}", describe(&e)))?;
        response
            .json()
            .await
            .map_err(|e| format!("the mock's inspection route: {}", describe(&e)))
    }

    /// The one request the mock recorded for `nonce`, or why there is none.
    async fn arrived(&self, nonce: &str) -> Result<RecordedRequest, String> {
        let mut requests = self.mock_requests(nonce).await?;
        requests.pop().ok_or_else(|| {
            format!(
                "no request with nonce {nonce} reached the mock: is the gateway forwarding to it?"
            )
        })
    }
}

/// A Messages request whose last user message carries the mock directive `directive` plus a
/// fresh nonce; returns the body and the nonce.
fn request_body(probe: &Probe, directive: Value, stream: bool) -> (Value, String) {
    let nonce = probe.nonce();
    let mut directive = directive;
    directive["nonce"] = json!(nonce);
    let body = json!({
        "model": MODEL,
        "max_tokens": 64,
        "stream": stream,
        "system": [
            { "type": "text", "text": "x-anthropic-billing-header: cc_version=probe" },
            { "type": "text", "text": "You are Claude Code, Anthropic's official CLI for Claude." },
        ],
        "metadata": { "user_id": "gwscript-probe" },
        "messages": [{ "role": "user", "content": [{ "type": "text", "text":
            format!("Say hello.\n{} {directive}", mock::script::DIRECTIVE_PREFIX) }] }],
    });
    (body, nonce)
}

/// A transport error, with its causes but never a credential: reqwest errors hold no headers, and
/// their URL (which may carry a user part or a key in its query) is left out.
fn describe(error: &reqwest::Error) -> String {
    let mut text = if error.is_timeout() {
        "timed out".to_owned()
    } else if error.is_connect() {
        "cannot connect".to_owned()
    } else {
        "the request failed".to_owned()
    };
    let mut source = std::error::Error::source(error);
    // Bounded: error chains are a handful of links long.
    for _ in 0..8 {
        let Some(cause) = source else { break };
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// `url` as evidence shows it: without a user part or a query, which may hold credentials.
fn shown_url(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) => {
            let _ = parsed.set_username("");
            let _ = parsed.set_password(None);
            parsed.set_query(None);
            let shown = parsed.to_string();
            // Url adds a `/` to a bare host; keep the user's form.
            if url.ends_with('/') {
                shown
            } else {
                shown.trim_end_matches('/').to_owned()
            }
        }
        Err(_) => "the gateway URL".to_owned(),
    }
}

/// A response body for evidence: at most 200 characters.
fn excerpt(body: &str) -> String {
    let trimmed: String = body.trim().chars().take(200).collect();
    if trimmed.len() < body.trim().len() {
        format!("{trimmed}…")
    } else {
        trimmed
    }
}

/// Whether a response body is an HTML page (a WAF's or a proxy's error page).
fn is_html(content_type: Option<&str>, body: &str) -> bool {
    content_type.is_some_and(|t| t.contains("text/html")) || body.trim_start().starts_with('<')
}
