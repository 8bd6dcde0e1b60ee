//! The Anthropic Messages API as the mock serves it: `POST /v1/messages` (JSON or paced SSE),
//! `POST /v1/messages/count_tokens`, and the `HEAD /` warm-up Claude Code sends first.

use super::MockConfig;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{head, post};
use futures_util::StreamExt;
use serde_json::{Value, json};
use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// What every Messages reply is made of; shared with the routes that answer like Messages in
/// another provider's envelope (Vertex rawPredict).
#[derive(Debug)]
pub(super) struct Anthropic {
    reply: String,
    pace: Duration,
    next_id: AtomicU64,
}

impl Anthropic {
    pub(super) fn new(config: &MockConfig) -> Arc<Anthropic> {
        Arc::new(Anthropic {
            reply: config.reply.clone(),
            pace: config.pace,
            next_id: AtomicU64::new(1),
        })
    }

    /// The Messages answer to `request` (a JSON object `body_len` bytes long) for `model`: paced
    /// SSE when it asks to stream, else one JSON message.
    pub(super) fn answer(&self, model: &str, request: &Value, body_len: usize) -> Response {
        let reply = Reply {
            id: format!(
                "msg_mock_{:020}",
                self.next_id.fetch_add(1, Ordering::Relaxed)
            ),
            model: model.to_owned(),
            text: self.reply.clone(),
            input_tokens: estimate_tokens(body_len),
        };
        if request.get("stream").and_then(Value::as_bool) == Some(true) {
            stream(reply, self.pace)
        } else {
            Json(reply.message()).into_response()
        }
    }
}

pub(super) fn router(state: Arc<Anthropic>) -> Router {
    Router::new()
        .route("/", head(|| async { StatusCode::OK }))
        .route("/v1/messages", post(messages))
        .route("/v1/messages/count_tokens", post(count_tokens))
        .fallback(not_found)
        .with_state(state)
}

async fn messages(State(mock): State<Arc<Anthropic>>, body: Bytes) -> Response {
    let Some(request) = json_object(&body) else {
        return invalid_request("request body must be a JSON object");
    };
    let Some(model) = request.get("model").and_then(Value::as_str) else {
        return invalid_request("model: Field required");
    };
    mock.answer(model, &request, body.len())
}

async fn count_tokens(body: Bytes) -> Response {
    if json_object(&body).is_none() {
        return invalid_request("request body must be a JSON object");
    }
    Json(json!({ "input_tokens": estimate_tokens(body.len()) })).into_response()
}

pub(super) async fn not_found(method: Method, uri: Uri) -> Response {
    let message = format!("the gwscript mock has no route for {method} {}", uri.path());
    error(StatusCode::NOT_FOUND, "not_found_error", &message)
}

/// The body as a JSON object, the only shape the Messages API accepts.
pub(super) fn json_object(body: &[u8]) -> Option<Value> {
    serde_json::from_slice(body).ok().filter(Value::is_object)
}

pub(super) fn invalid_request(message: &str) -> Response {
    error(StatusCode::BAD_REQUEST, "invalid_request_error", message)
}

/// Deterministic stand-in for a tokenizer: about four bytes per token, at least one.
fn estimate_tokens(bytes: usize) -> u64 {
    u64::try_from(bytes.div_ceil(4).max(1)).unwrap_or(u64::MAX)
}

fn error(status: StatusCode, kind: &str, message: &str) -> Response {
    let body = json!({ "type": "error", "error": { "type": kind, "message": message } });
    (status, Json(body)).into_response()
}

struct Reply {
    id: String,
    model: String,
    text: String,
    input_tokens: u64,
}

impl Reply {
    fn output_tokens(&self) -> u64 {
        estimate_tokens(self.text.len())
    }

    fn message(&self) -> Value {
        json!({
            "id": self.id,
            "type": "message",
            "role": "assistant",
            "model": self.model,
            "content": [{ "type": "text", "text": self.text }],
            "stop_reason": "end_turn",
            "stop_sequence": null,
            "usage": { "input_tokens": self.input_tokens, "output_tokens": self.output_tokens() },
        })
    }

    /// The event sequence the real API streams, with the text split at word boundaries so there
    /// are several deltas.
    fn events(&self) -> Vec<(&'static str, Value)> {
        let mut events = vec![
            (
                "message_start",
                json!({ "type": "message_start", "message": {
                    "id": self.id, "type": "message", "role": "assistant", "model": self.model,
                    "content": [], "stop_reason": null, "stop_sequence": null,
                    "usage": { "input_tokens": self.input_tokens, "output_tokens": 1 },
                }}),
            ),
            (
                "content_block_start",
                json!({ "type": "content_block_start", "index": 0,
                        "content_block": { "type": "text", "text": "" } }),
            ),
            ("ping", json!({ "type": "ping" })),
        ];
        let mut chunks: Vec<&str> = self.text.split_inclusive(char::is_whitespace).collect();
        if chunks.is_empty() {
            chunks.push("");
        }
        events.extend(chunks.into_iter().map(|chunk| {
            let delta = json!({ "type": "content_block_delta", "index": 0,
                                "delta": { "type": "text_delta", "text": chunk } });
            ("content_block_delta", delta)
        }));
        events.extend([
            (
                "content_block_stop",
                json!({ "type": "content_block_stop", "index": 0 }),
            ),
            (
                "message_delta",
                json!({ "type": "message_delta",
                        "delta": { "stop_reason": "end_turn", "stop_sequence": null },
                        "usage": { "output_tokens": self.output_tokens() } }),
            ),
            ("message_stop", json!({ "type": "message_stop" })),
        ]);
        events
    }
}

/// SSE with `pace` between events, so anything buffering in front of the mock shows up as a
/// time-to-first-byte close to the total time.
fn stream(reply: Reply, pace: Duration) -> Response {
    let frames: Vec<Bytes> = reply
        .events()
        .into_iter()
        .map(|(name, data)| Bytes::from(format!("event: {name}\ndata: {data}\n\n")))
        .collect();
    let body = futures_util::stream::iter(frames.into_iter().enumerate()).then(
        move |(i, frame)| async move {
            // A zero-length sleep still waits for the timer's next tick (about a millisecond).
            if i > 0 && !pace.is_zero() {
                tokio::time::sleep(pace).await;
            }
            Ok::<_, Infallible>(frame)
        },
    );
    let headers = [
        (header::CONTENT_TYPE, "text/event-stream"),
        (header::CACHE_CONTROL, "no-cache"),
    ];
    (headers, Body::from_stream(body)).into_response()
}
