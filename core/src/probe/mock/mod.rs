//! Mock model providers: loopback HTTP servers that answer like a provider and record every
//! request they see, so probes and end-to-end tests can check what a gateway forwarded without
//! cloud credentials.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use gwscript::probe::mock::{MockConfig, serve};
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! let mock = serve(listener, MockConfig::default()).await?;
//! // … point a gateway at mock.base_url() and send traffic …
//! let seen = mock.requests();
//! mock.shutdown().await?;
//! # drop(seen); Ok(()) }
//! ```

mod anthropic;
mod bedrock;
pub mod eventstream;
mod record;
mod redact;
mod request;
pub mod script;
mod server;
mod service;
mod streams;
mod vertex;

pub use record::RecordedRequest;
pub use redact::credential_fingerprint;
pub use script::Directive;
pub use streams::{EventTime, StreamTiming};

use axum::Router;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Json;
use axum::routing::get;
use record::Recorder;
use request::MessagesRequest;
use serde::Deserialize;
use server::Limits;
use service::MockService;
use std::io;
use std::net::SocketAddr;
use std::time::Duration;
use streams::Streams;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Reply text used when none is configured.
pub const DEFAULT_REPLY: &str = "Hello from the gwscript mock provider.";
/// Delay between SSE events when none is configured.
pub const DEFAULT_PACE: Duration = Duration::from_millis(25);
/// Recorded requests kept when no other cap is configured; older ones are dropped first.
pub const DEFAULT_MAX_RECORDED: usize = 1000;
/// The inspection route: `GET` returns the recorded requests as a JSON array (`?nonce=N`: only
/// those whose body's [`Directive`] carried nonce `N`).
pub const REQUESTS_PATH: &str = "/_mock/requests";
/// `GET ?nonce=N` returns when the mock wrote each event of the streams whose directive carried
/// nonce `N`, as a JSON array of [`StreamTiming`].
pub const STREAMS_PATH: &str = "/_mock/streams";
/// How long a request head, and then its body, may take to arrive when no other bound is
/// configured; an idle kept-alive connection is closed after it too.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections served at once when no other cap is configured.
pub const DEFAULT_MAX_CONNECTIONS: usize = 256;

/// How long [`MockServer::shutdown`] lets in-flight responses finish before cutting them off,
/// counted once their requests have arrived (within the read timeout).
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// What the mock answers and how much it remembers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockConfig {
    /// The assistant text of every reply.
    pub reply: String,
    /// Delay between consecutive SSE events.
    pub pace: Duration,
    /// How many recorded requests to keep (at least one).
    pub max_recorded: usize,
    /// How long a connection may take to send a request head (from its start, and again after
    /// each response while kept alive) and then the request's body. A connection past it is
    /// closed; a body past it gets 408. Responses, streams included, are not bounded by it.
    pub read_timeout: Duration,
    /// Connections served at once (at least one); further ones wait until a slot frees.
    pub max_connections: usize,
}

impl Default for MockConfig {
    fn default() -> Self {
        Self {
            reply: DEFAULT_REPLY.to_owned(),
            pace: DEFAULT_PACE,
            max_recorded: DEFAULT_MAX_RECORDED,
            read_timeout: DEFAULT_READ_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
        }
    }
}

/// A running mock; dropping it starts a graceful shutdown, [`MockServer::shutdown`] also waits.
#[derive(Debug)]
pub struct MockServer {
    addr: SocketAddr,
    recorder: Recorder,
    read_timeout: Duration,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

/// Serve the Anthropic Messages mock, with Claude on Vertex AI's rawPredict routes and Google's
/// token endpoint and Claude on Bedrock's invoke routes, on `listener` in a background task
/// (needs a tokio runtime).
pub async fn serve(listener: TcpListener, config: MockConfig) -> io::Result<MockServer> {
    let addr = listener.local_addr()?;
    let recorder = Recorder::new(config.max_recorded);
    let streams = Streams::default();
    let inspection = Router::new()
        .route(REQUESTS_PATH, get(list_requests))
        .route(STREAMS_PATH, get(list_streams))
        .with_state((recorder.clone(), streams.clone()));
    let anthropic = anthropic::Anthropic::new(&config, streams);
    let router = anthropic::router(anthropic.clone())
        .merge(vertex::router(anthropic.clone()))
        .merge(bedrock::router(anthropic.clone()))
        .merge(inspection)
        // The service already bounds the body; don't let axum's 2 MB default cut Claude Code's
        // large requests.
        .layer(DefaultBodyLimit::max(record::MAX_BODY_BYTES));
    let service = MockService::new(anthropic, recorder.clone(), config.read_timeout, router);
    let limits = Limits {
        read_timeout: config.read_timeout,
        max_connections: config.max_connections,
    };
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(server::run(listener, service, limits, async {
        // A dropped sender means the handle is gone: shut down too.
        let _ = stopped.await;
    }));
    Ok(MockServer {
        addr,
        recorder,
        read_timeout: config.read_timeout,
        stop,
        task,
    })
}

impl MockServer {
    /// The address actually bound (useful after binding port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR`, the value a client or gateway uses as the provider's base URL.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The requests recorded so far, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.recorder.snapshot()
    }

    /// Stop accepting connections and wait for in-flight requests: a request still arriving gets
    /// the read timeout, then every response a few seconds more. Idle connections close at once.
    pub async fn shutdown(self) -> io::Result<()> {
        let _ = self.stop.send(());
        let mut task = self.task;
        // A half-sent request head holds its connection until the read timeout closes it.
        let grace = self.read_timeout.saturating_add(SHUTDOWN_GRACE);
        match tokio::time::timeout(grace, &mut task).await {
            Ok(joined) => joined.map_err(io::Error::other),
            Err(_) => {
                // Aborting the server aborts every connection it still serves.
                task.abort();
                Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "mock: in-flight responses did not finish within the shutdown grace period",
                ))
            }
        }
    }
}

/// `?nonce=N` on the inspection routes.
#[derive(Debug, Deserialize)]
struct NonceQuery {
    nonce: Option<String>,
}

type Inspected = (Recorder, Streams);
type Refusal = (StatusCode, &'static str);

async fn list_requests(
    State((recorder, _)): State<Inspected>,
    Query(query): Query<NonceQuery>,
    headers: HeaderMap,
) -> Result<Json<Vec<RecordedRequest>>, Refusal> {
    loopback_only(&headers)?;
    let requests = match query.nonce {
        Some(nonce) => recorder.snapshot_where(|body| carries_nonce(body, &nonce)),
        None => recorder.snapshot(),
    };
    Ok(Json(requests))
}

async fn list_streams(
    State((_, streams)): State<Inspected>,
    Query(query): Query<NonceQuery>,
    headers: HeaderMap,
) -> Result<Json<Vec<StreamTiming>>, Refusal> {
    loopback_only(&headers)?;
    Ok(Json(streams.snapshot(query.nonce.as_deref())))
}

/// Whether a recorded body's directive carried `nonce`.
fn carries_nonce(body: &[u8], nonce: &str) -> bool {
    MessagesRequest::parse(body)
        .and_then(|request| request.directive().ok().flatten())
        .is_some_and(|directive| directive.nonce.as_deref() == Some(nonce))
}

/// The records hold the keys gateways forwarded, so only a client that named the mock by a
/// loopback host may read them: a web page that rebinds its own name to 127.0.0.1 sends its own
/// name as `Host` and gets 403.
fn loopback_only(headers: &HeaderMap) -> Result<(), Refusal> {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    if !gwscript_plugin::url::is_loopback_host(host) {
        return Err((
            StatusCode::FORBIDDEN,
            "the mock's records are served to loopback hosts only",
        ));
    }
    Ok(())
}
