//! `gwscript probe`'s checks against a live gateway serving one of Claude Code's three formats:
//! one module per check family, each returning [`Check`]s with stable ids. With a mock upstream,
//! requests carry a nonce in their body (gateways may strip unknown headers) and the probe asks
//! the mock, directly, what arrived.

pub mod api;
mod auth;
mod bench;
mod body;
mod discovery;
mod endpoint;
mod evidence;
mod headers;
mod receive;
mod status;
mod stream;
mod timeout;
mod transport;

pub use api::{Api, VertexPlace};

use crate::probe::mock::{self, RecordedRequest, StreamTiming};
use api::ANTHROPIC_VERSION;
use evidence::describe;
use serde::Serialize;
use serde_json::{Value, json};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Every probe request gives up after this long (the timeout checks set their own).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// The quiet gap the idle check asks for when none is given: longer than the 60 s idle timeouts
/// that proxies and load balancers commonly default to.
pub const DEFAULT_IDLE: Duration = Duration::from_secs(65);

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

    fn skip(id: &'static str, criterion: &'static str, why: impl Into<String>) -> Check {
        Check::new(id, criterion, Status::Skip, why.into())
    }

    /// A check that needs the mock upstream and was run without `--mock`.
    fn needs_mock(id: &'static str, criterion: &'static str) -> Check {
        Check::skip(id, criterion, "needs --mock")
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

impl Credential {
    /// The token or key, if there is one.
    pub fn secret(&self) -> Option<&str> {
        match self {
            Credential::None => None,
            Credential::Bearer(secret) | Credential::ApiKey(secret) => Some(secret),
        }
    }
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

/// What to probe, and how.
#[derive(Debug, Clone)]
pub struct Target {
    /// The gateway's base URL, as `ANTHROPIC_BASE_URL` (or the Bedrock or Vertex variable) holds it.
    pub url: String,
    pub api: Api,
    /// The model id requests name; the format's usual Sonnet id when `None`.
    pub model: Option<String>,
    /// Project and region of Vertex request paths.
    pub vertex: VertexPlace,
    /// The base URL of the `gwscript mock` the gateway forwards to.
    pub mock: Option<String>,
    pub credential: Credential,
    /// The proxy every request goes through (`--proxy`); `None` takes `HTTPS_PROXY`,
    /// `HTTP_PROXY` and `NO_PROXY` from the environment, as Claude Code does.
    pub proxy: Option<String>,
    /// The quiet gap of the idle check, and the length of the long-answer check; zero skips both.
    pub idle: Duration,
    /// Requests per side for the overhead measurement; zero skips it.
    pub bench: u32,
}

impl Target {
    /// A Messages-format target with no mock, credential or proxy, the default idle test and no
    /// benchmark.
    pub fn new(url: impl Into<String>) -> Target {
        Target {
            url: url.into(),
            api: Api::Messages,
            model: None,
            vertex: VertexPlace {
                project: "gwscript-probe".to_owned(),
                region: "us-east5".to_owned(),
            },
            mock: None,
            credential: Credential::None,
            proxy: None,
            idle: DEFAULT_IDLE,
            bench: 0,
        }
    }
}

/// Told which check family starts, for a progress display.
pub type Progress = Box<dyn Fn(&str) + Send + Sync>;

/// The shared state of one probe run: the target, an HTTP client, and fresh nonces.
pub struct Probe {
    target: Target,
    client: reqwest::Client,
    route: transport::Route,
    run_id: String,
    next: AtomicU64,
    progress: Option<Progress>,
}

impl std::fmt::Debug for Probe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Probe")
            .field("target", &self.target)
            .field("run_id", &self.run_id)
            .finish_non_exhaustive()
    }
}

/// One probe request: its body as sent, the betas it carries, and its nonce.
#[derive(Debug, Clone)]
struct Prompt {
    body: Value,
    betas: Vec<&'static str>,
    stream: bool,
    nonce: String,
}

impl Probe {
    pub fn new(target: Target) -> Result<Probe, String> {
        let (client, route) = transport::connect(&target)?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Ok(Probe {
            target,
            client,
            route,
            run_id: format!("probe-{}-{nanos}", std::process::id()),
            next: AtomicU64::new(0),
            progress: None,
        })
    }

    /// Reports each check family as it starts.
    pub fn with_progress(mut self, progress: Progress) -> Probe {
        self.progress = Some(progress);
        self
    }

    /// Runs every check, in a stable order. The timeout checks take `idle` seconds and run beside
    /// the others; a proxy that refuses the probe stops it before anything else is sent.
    pub async fn run(&self) -> Vec<Check> {
        self.report("transport");
        let (mut checks, reachable) = transport::checks(self).await;
        if !reachable {
            return checks;
        }
        let (rest, timeouts) = tokio::join!(self.run_quick(), timeout::checks(self));
        checks.extend(rest);
        checks.extend(timeouts);
        checks
    }

    async fn run_quick(&self) -> Vec<Check> {
        let mut checks = Vec::new();
        self.report("endpoints");
        checks.extend(endpoint::checks(self).await);
        self.report("headers");
        checks.extend(headers::checks(self).await);
        self.report("bodies");
        checks.extend(body::checks(self).await);
        self.report("streaming");
        checks.extend(stream::checks(self).await);
        self.report("authentication");
        checks.extend(auth::checks(self).await);
        self.report("discovery");
        checks.extend(discovery::checks(self).await);
        if self.target.bench > 0 {
            self.report("overhead");
        }
        checks.extend(bench::checks(self).await);
        // Last: scripted errors may make a gateway take the upstream out of rotation for a while
        // (LiteLLM's cooldown), which would fail every check after them.
        self.report("status codes");
        checks.extend(status::checks(self).await);
        if !self.target.idle.is_zero() {
            self.report("the idle and long-answer streams");
        }
        checks
    }

    fn report(&self, family: &str) {
        if let Some(progress) = &self.progress {
            progress(family);
        }
    }

    fn api(&self) -> Api {
        self.target.api
    }

    fn has_mock(&self) -> bool {
        self.target.mock.is_some()
    }

    fn model(&self) -> &str {
        self.target
            .model
            .as_deref()
            .unwrap_or(self.target.api.default_model())
    }

    /// A nonce no other request of any run uses.
    fn nonce(&self) -> String {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        format!("{}-{n}", self.run_id)
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.target.url.trim_end_matches('/'))
    }

    /// A prompt request whose last user message carries the mock directive `directive` plus a
    /// fresh nonce, shaped for the target's format.
    fn prompt(&self, directive: Value, stream: bool) -> Prompt {
        self.prompt_with_betas(directive, stream, Vec::new())
    }

    fn prompt_with_betas(
        &self,
        directive: Value,
        stream: bool,
        betas: Vec<&'static str>,
    ) -> Prompt {
        let nonce = self.nonce();
        let mut directive = directive;
        directive["nonce"] = json!(nonce);
        let messages = json!({
            "max_tokens": 64,
            "system": [
                { "type": "text", "text": "x-anthropic-billing-header: cc_version=probe" },
                { "type": "text", "text": "You are Claude Code, Anthropic's official CLI for Claude." },
            ],
            "metadata": { "user_id": "gwscript-probe" },
            "messages": [{ "role": "user", "content": [{ "type": "text", "text":
                format!("Say hello.\n{} {directive}", mock::script::DIRECTIVE_PREFIX) }] }],
        });
        let body = self.api().body(self.model(), messages, stream, &betas);
        Prompt {
            body,
            betas,
            stream,
            nonce,
        }
    }

    /// The prompt's request as Claude Code sends it, with the probe's credential.
    fn request(&self, prompt: &Prompt) -> reqwest::RequestBuilder {
        self.request_as(prompt, &self.target.credential)
    }

    /// The prompt's request with `credential` instead of the probe's.
    fn request_as(&self, prompt: &Prompt, credential: &Credential) -> reqwest::RequestBuilder {
        let path = self
            .api()
            .path(self.model(), &self.target.vertex, prompt.stream);
        self.post_to(&path, prompt, credential)
    }

    /// The prompt's body and headers, POSTed to `path` under the base URL.
    fn post_to(
        &self,
        path: &str,
        prompt: &Prompt,
        credential: &Credential,
    ) -> reqwest::RequestBuilder {
        let mut request = self.client.post(self.url(path)).json(&prompt.body);
        if self.api().sends_version_header() {
            request = request.header("anthropic-version", ANTHROPIC_VERSION);
        }
        if self.api().betas_in_header() && !prompt.betas.is_empty() {
            request = request.header("anthropic-beta", prompt.betas.join(","));
        }
        authenticate(request, credential)
    }

    async fn send(&self, prompt: &Prompt) -> Result<reqwest::Response, String> {
        self.request(prompt).send().await.map_err(|e| describe(&e))
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

    /// Sends `request` (a prompt's) and returns what the mock recorded for `nonce`: what the
    /// gateway forwarded.
    async fn forwarded(
        &self,
        request: reqwest::RequestBuilder,
        nonce: &str,
    ) -> Result<RecordedRequest, String> {
        request.send().await.map_err(|e| describe(&e))?;
        self.arrived(nonce).await
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

/// `request` with `credential` in the header its variable puts it in.
fn authenticate(
    request: reqwest::RequestBuilder,
    credential: &Credential,
) -> reqwest::RequestBuilder {
    match credential {
        Credential::None => request,
        Credential::Bearer(token) => request.bearer_auth(token),
        Credential::ApiKey(key) => request.header("x-api-key", key),
    }
}
