//! Gateways that break one part of Claude Code's contract each: a small axum reverse proxy in front
//! of the mock, on a loopback port, that forwards everything faithfully except for its [`Fault`].
//! The probe's tests put each in front of the mock and expect the matching check to catch it.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use gwscript::probe::mock::MockServer;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

/// The token the token-checking faults accept.
pub const GOOD_TOKEN: &str = "probe-test-token";
/// What the body-limit fault accepts, as nginx's default `client_max_body_size`.
const BODY_LIMIT: usize = 1024 * 1024;
/// Silence after which the idle-cut fault drops the stream, and the total-time fault's limit.
pub const IDLE_LIMIT: Duration = Duration::from_millis(500);
pub const TOTAL_LIMIT: Duration = Duration::from_millis(1500);

/// What a test gateway does wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Drops the `anthropic-beta` header on the way up.
    StripBeta,
    /// Sorts the `anthropic-beta` values (LiteLLM 1.102.4 does).
    SortBetas,
    /// Drops the query string (LiteLLM 1.102.4 drops `?beta=true`).
    DropQuery,
    /// Drops `x-claude-code-session-id`.
    DropSession,
    /// Removes the body field `context_management`, keeping its beta.
    DropBodyField,
    /// Refuses bodies over 1 MiB with an HTML 413, as nginx does by default.
    BodyLimit,
    /// Replaces every error response with an HTML 502 page.
    HtmlErrors,
    /// Drops `retry-after` and `x-should-retry` from responses.
    DropRetryHeaders,
    /// Answers a token other than [`GOOD_TOKEN`] with a JSON 401, and refuses `x-api-key`.
    CheckToken,
    /// Answers a token other than [`GOOD_TOKEN`] with a JSON 500 (LiteLLM 1.102.4 without a DB).
    ServerErrorOnBadToken,
    /// Refuses every request with an HTML 403 page that quotes the Authorization header back.
    EchoCredential,
    /// Reads the whole response before sending any of it.
    BufferStream,
    /// Holds the first chunk of a stream until the first text delta (LiteLLM 1.102.4 does).
    HoldStart,
    /// Drops SSE `ping` events (LiteLLM 1.102.4 does).
    DropPings,
    /// Labels a Bedrock event-stream as `text/event-stream`.
    SseLabel,
    /// Flips a byte of every Bedrock event-stream.
    CorruptFrame,
    /// Cuts a stream that stays quiet for [`IDLE_LIMIT`].
    IdleCut,
    /// Cuts every response after [`TOTAL_LIMIT`].
    TotalCut,
    /// Redirects `GET /v1/models`.
    RedirectModels,
    /// Answers count_tokens with a JSON 404, as a gateway without the route does.
    NoCountTokens,
    /// Answers Bedrock's `GET /inference-profiles` with an HTML 502.
    BrokenProfiles,
    /// Swaps the two blocks of the body's `system`, moving Claude Code's attribution block.
    ReorderSystem,
    /// Adds an `x-api-key` of its own upstream and keeps the client's Authorization (LiteLLM
    /// 1.102.4's `/anthropic` route does).
    AddOwnKey,
}

#[derive(Clone)]
struct Proxy {
    upstream: String,
    fault: Fault,
    client: reqwest::Client,
}

/// A running test gateway; dropping it stops it.
pub struct RunningProxy {
    pub url: String,
    _stop: oneshot::Sender<()>,
}

pub async fn start(upstream: &MockServer, fault: Fault) -> RunningProxy {
    let proxy = Proxy {
        upstream: upstream.base_url(),
        fault,
        client: super::loopback::client(),
    };
    let app = axum::Router::new().fallback(forward).with_state(proxy);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
    });
    RunningProxy { url, _stop: stop }
}

fn json_error(status: StatusCode, kind: &str) -> Response {
    let body =
        format!(r#"{{"type":"error","error":{{"type":"{kind}","message":"test gateway"}}}}"#);
    (status, [("content-type", "application/json")], body).into_response()
}

fn html(status: StatusCode, text: &str) -> Response {
    let page = format!("<html><body>{text}</body></html>");
    (status, [("content-type", "text/html")], page).into_response()
}

/// The fault's answer before anything is forwarded, if it answers itself.
fn refusal(fault: Fault, headers: &HeaderMap, path: &str) -> Option<Response> {
    let value = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let good_bearer = value("authorization") == Some(&format!("Bearer {GOOD_TOKEN}"));
    let is_inspection = path.starts_with("/_mock/");
    match fault {
        Fault::EchoCredential => {
            let sent = value("authorization").unwrap_or_default();
            Some(html(
                StatusCode::FORBIDDEN,
                &format!("403: {sent} is not allowed"),
            ))
        }
        Fault::RedirectModels if path.starts_with("/v1/models") => {
            Some((StatusCode::TEMPORARY_REDIRECT, [("location", "/v2/models")]).into_response())
        }
        Fault::NoCountTokens if path.ends_with("/count_tokens") => {
            Some(json_error(StatusCode::NOT_FOUND, "not_found_error"))
        }
        Fault::BrokenProfiles if path.starts_with("/inference-profiles") => {
            Some(html(StatusCode::BAD_GATEWAY, "502 Bad Gateway"))
        }
        Fault::CheckToken if !good_bearer && !is_inspection => {
            Some(json_error(StatusCode::UNAUTHORIZED, "authentication_error"))
        }
        Fault::ServerErrorOnBadToken if !good_bearer && !is_inspection => {
            Some(json_error(StatusCode::INTERNAL_SERVER_ERROR, "api_error"))
        }
        _ => None,
    }
}

async fn forward(State(proxy): State<Proxy>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let fault = proxy.fault;
    if let Some(response) = refusal(fault, &parts.headers, parts.uri.path()) {
        return response;
    }
    let mut body = axum::body::to_bytes(body, 64 * 1024 * 1024).await.unwrap();
    if fault == Fault::BodyLimit && body.len() > BODY_LIMIT {
        return html(
            StatusCode::PAYLOAD_TOO_LARGE,
            "413 Request Entity Too Large",
        );
    }
    if matches!(fault, Fault::DropBodyField | Fault::ReorderSystem)
        && let Ok(mut json) = serde_json::from_slice::<serde_json::Value>(&body)
        && let Some(object) = json.as_object_mut()
    {
        if fault == Fault::DropBodyField {
            object.remove("context_management");
        } else if let Some(system) = object.get_mut("system").and_then(|s| s.as_array_mut()) {
            system.reverse();
        }
        body = Bytes::from(serde_json::to_vec(&json).unwrap());
    }
    let path = match (fault, parts.uri.path_and_query()) {
        (Fault::DropQuery, _) => parts.uri.path().to_owned(),
        (_, Some(path)) => path.as_str().to_owned(),
        (_, None) => "/".to_owned(),
    };
    let upstream = proxy
        .client
        .request(parts.method, format!("{}{path}", proxy.upstream))
        .headers(upward_headers(fault, &parts.headers))
        .body(body)
        .send()
        .await
        .unwrap();
    let status = StatusCode::from_u16(upstream.status().as_u16()).unwrap();
    if fault == Fault::HtmlErrors && status.as_u16() >= 400 {
        return html(StatusCode::BAD_GATEWAY, "502 Bad Gateway");
    }
    let mut headers = HeaderMap::new();
    for (name, value) in upstream.headers() {
        let dropped = name == "content-length"
            || name == "transfer-encoding"
            || (fault == Fault::DropRetryHeaders
                && (name == "retry-after" || name == "x-should-retry"));
        if !dropped {
            headers.append(name, value.clone());
        }
    }
    let eventstream = headers.get("content-type").is_some_and(|t| {
        t.as_bytes()
            .starts_with(b"application/vnd.amazon.eventstream")
    });
    if fault == Fault::SseLabel && eventstream {
        headers.insert(
            "content-type",
            HeaderValue::from_static("text/event-stream"),
        );
    }
    let body = if fault == Fault::BufferStream {
        Body::from(upstream.bytes().await.unwrap())
    } else {
        Body::from_stream(relay(fault, upstream, eventstream))
    };
    (status, headers, body).into_response()
}

fn upward_headers(fault: Fault, incoming: &HeaderMap) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for (name, value) in incoming {
        let dropped = name == "host"
            || name == "content-length"
            || (fault == Fault::StripBeta && name == "anthropic-beta")
            || (fault == Fault::DropSession && name == "x-claude-code-session-id");
        if dropped {
            continue;
        }
        if fault == Fault::AddOwnKey && name == "x-api-key" {
            continue;
        }
        if fault == Fault::SortBetas && name == "anthropic-beta" {
            let mut betas: Vec<&str> = value.to_str().unwrap().split(',').collect();
            betas.sort_unstable();
            headers.append(name, HeaderValue::from_str(&betas.join(",")).unwrap());
        } else {
            headers.append(name, value.clone());
        }
    }
    if fault == Fault::AddOwnKey {
        headers.insert(
            "x-api-key",
            HeaderValue::from_static("sk-the-gateways-own-key"),
        );
    }
    headers
}

/// The response body, chunk by chunk, through the fault's stream transformation.
fn relay(
    fault: Fault,
    upstream: reqwest::Response,
    eventstream: bool,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> {
    let (sender, receiver) = mpsc::channel::<Result<Bytes, std::io::Error>>(64);
    tokio::spawn(async move {
        let mut chunks = upstream.bytes_stream();
        let started = tokio::time::Instant::now();
        let mut held: Vec<u8> = Vec::new();
        let mut first = true;
        loop {
            let next = match fault {
                Fault::IdleCut => tokio::time::timeout(IDLE_LIMIT, chunks.next()).await,
                Fault::TotalCut => {
                    tokio::time::timeout_at(started + TOTAL_LIMIT, chunks.next()).await
                }
                _ => Ok(chunks.next().await),
            };
            let chunk = match next {
                Ok(Some(Ok(chunk))) => chunk,
                Ok(None) => break,
                // A cut: end the body with an error, as a proxy that gives up drops the connection.
                Ok(Some(Err(_))) | Err(_) => {
                    let _ = sender.send(Err(std::io::Error::other("cut"))).await;
                    return;
                }
            };
            let out = match fault {
                Fault::HoldStart => {
                    held.extend_from_slice(&chunk);
                    if !held.windows(19).any(|w| w == b"content_block_delta") {
                        continue;
                    }
                    Bytes::from(std::mem::take(&mut held))
                }
                Fault::DropPings if String::from_utf8_lossy(&chunk).contains("event: ping") => {
                    continue;
                }
                Fault::CorruptFrame if first && eventstream => {
                    let mut bytes = chunk.to_vec();
                    let last = bytes.len() - 1;
                    bytes[last] ^= 0x01;
                    Bytes::from(bytes)
                }
                _ => chunk,
            };
            first = false;
            if sender.send(Ok(out)).await.is_err() {
                return;
            }
        }
        if !held.is_empty() {
            let _ = sender.send(Ok(Bytes::from(held))).await;
        }
    });
    futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|item| (item, receiver))
    })
}
