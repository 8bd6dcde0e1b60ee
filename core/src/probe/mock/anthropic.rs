//! The Anthropic Messages API as the mock serves it: `POST /v1/messages` (JSON or paced SSE),
//! `POST /v1/messages/count_tokens`, and the `HEAD /` warm-up Claude Code sends first.

use super::MockConfig;
use super::eventstream;
use super::request::MessagesRequest;
use super::script;
use super::streams::{StreamClock, Streams};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::{get, head, post};
use serde::Serialize;
use serde_json::{Value, json};
use std::borrow::Cow;
use std::convert::Infallible;
use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Text deltas of a scripted large answer are this long.
const LARGE_DELTA_BYTES: usize = 8 * 1024;
/// What a scripted large answer repeats.
const FILLER: &str = "lorem ipsum dolor sit amet ";

/// How a streamed answer is framed on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Framing {
    /// Server-sent events (`event:` and `data:` lines): the Messages API and Vertex.
    Sse,
    /// AWS event-stream chunks carrying each event's data: Bedrock.
    EventStream,
}

/// What every Messages reply is made of; shared with the routes that answer like Messages in
/// another provider's envelope (Vertex rawPredict, Bedrock invoke).
#[derive(Debug)]
pub(super) struct Anthropic {
    reply: String,
    pace: Duration,
    next_id: AtomicU64,
    streams: Streams,
}

impl Anthropic {
    pub(super) fn new(config: &MockConfig, streams: Streams) -> Arc<Anthropic> {
        Arc::new(Anthropic {
            reply: config.reply.clone(),
            pace: config.pace,
            next_id: AtomicU64::new(1),
            streams,
        })
    }

    /// The Messages answer to `request` (a JSON object `body_len` bytes long) for `model`: a
    /// stream framed as `stream` says, or one JSON message when it is `None`; or whatever the
    /// request's [`Directive`](super::Directive) scripts instead.
    pub(super) async fn answer(
        &self,
        model: &str,
        request: &MessagesRequest<'_>,
        body_len: usize,
        stream: Option<Framing>,
    ) -> Response {
        let arrived = Instant::now();
        let directive = match request.directive() {
            Ok(directive) => directive.unwrap_or_default(),
            Err(message) => return invalid_request(&message),
        };
        let delay = directive.delay();
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        if let Some(status) = directive.status {
            return scripted_error(status, directive.retry_after());
        }
        let text: Cow<str> = match directive.answer_bytes() {
            Some(len) => Cow::Owned(FILLER.chars().cycle().take(len).collect()),
            None => Cow::Borrowed(&self.reply),
        };
        let id = MessageId(self.next_id.fetch_add(1, Ordering::Relaxed));
        let input_tokens = estimate_tokens(body_len);
        let Some(framing) = stream else {
            return message_response(&Message::new(id, model, &text, input_tokens));
        };
        let deltas = match directive.answer_bytes() {
            Some(len) => fixed_deltas(len),
            None => word_deltas(&text),
        };
        let reply = Reply {
            id,
            model: model.to_owned(),
            text: text.into_owned(),
            deltas,
            pings: directive.pings(),
            input_tokens,
        };
        let pacing = Pacing {
            pace: directive.pace(self.pace),
            gap: directive.gap(),
        };
        let clock = directive
            .nonce
            .map(|nonce| self.streams.start(nonce, arrived));
        stream_response(reply, pacing, framing, clock)
    }
}

pub(super) fn router(state: Arc<Anthropic>) -> Router {
    Router::new()
        .route("/", head(|| async { StatusCode::OK }))
        .route(MESSAGES_PATH, post(messages))
        .route("/v1/messages/count_tokens", post(count_tokens))
        .route("/v1/models", get(models))
        .fallback(not_found)
        .with_state(state)
}

/// The Messages API's route, which the mock's service answers without the router.
pub(super) const MESSAGES_PATH: &str = "/v1/messages";

pub(super) async fn messages(State(mock): State<Arc<Anthropic>>, body: Bytes) -> Response {
    let Some(request) = MessagesRequest::parse(&body) else {
        return not_an_object();
    };
    let Some(model) = request.model.as_deref() else {
        return invalid_request("model: Field required");
    };
    let stream = request.stream.then_some(Framing::Sse);
    mock.answer(model, &request, body.len(), stream).await
}

/// The models the mock lists for discovery, as the Models API pages them (one page).
const MODELS: [(&str, &str); 3] = [
    ("claude-sonnet-4-5", "Claude Sonnet 4.5"),
    ("claude-opus-4-1", "Claude Opus 4.1"),
    ("claude-haiku-4-5", "Claude Haiku 4.5"),
];

async fn models() -> Response {
    let data: Vec<Value> = MODELS
        .iter()
        .map(|(id, name)| {
            json!({ "type": "model", "id": id, "display_name": name,
                    "created_at": "2025-09-29T00:00:00Z" })
        })
        .collect();
    Json(json!({
        "data": data,
        "has_more": false,
        "first_id": MODELS[0].0,
        "last_id": MODELS[MODELS.len() - 1].0,
    }))
    .into_response()
}

async fn count_tokens(body: Bytes) -> Response {
    if MessagesRequest::parse(&body).is_none() {
        return not_an_object();
    }
    Json(json!({ "input_tokens": estimate_tokens(body.len()) })).into_response()
}

pub(super) async fn not_found(method: Method, uri: Uri) -> Response {
    let message = format!("the gwscript mock has no route for {method} {}", uri.path());
    error(StatusCode::NOT_FOUND, "not_found_error", &message)
}

/// The answer to a body that is not a JSON object, the only shape the Messages API accepts.
pub(super) fn not_an_object() -> Response {
    invalid_request("request body must be a JSON object")
}

/// The answer to a body without `anthropic_version`, which Bedrock and Vertex take in the body.
pub(super) fn no_anthropic_version() -> Response {
    invalid_request("anthropic_version: Field required")
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

/// The error a directive's `status` asks for, with the headers Anthropic sends with it:
/// `x-should-retry`, and `retry-after` in integer seconds for 429 and 529 (or whenever the
/// directive gives one).
fn scripted_error(status: u16, retry_after: Option<u64>) -> Response {
    let (Some((kind, should_retry)), Ok(code)) =
        (script::error_kind(status), StatusCode::from_u16(status))
    else {
        let message = format!(
            "{} status {status} is not one the mock scripts (400, 401, 403, 429, 500, 503, 529)",
            script::DIRECTIVE_PREFIX
        );
        return invalid_request(&message);
    };
    let message = format!("scripted {status} from the gwscript mock");
    let mut response = error(code, kind, &message);
    let headers = response.headers_mut();
    headers.insert(
        "x-should-retry",
        HeaderValue::from_static(if should_retry { "true" } else { "false" }),
    );
    let retry_after = retry_after.or(matches!(status, 429 | 529).then_some(1));
    if let Some(seconds) = retry_after {
        headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

/// A scripted large answer's `len` bytes, split into [`LARGE_DELTA_BYTES`] deltas.
fn fixed_deltas(len: usize) -> Vec<Range<usize>> {
    (0..len)
        .step_by(LARGE_DELTA_BYTES)
        .map(|start| start..(start + LARGE_DELTA_BYTES).min(len))
        .collect()
}

/// `text` split after each whitespace, so a short reply still streams as several deltas.
fn word_deltas(text: &str) -> Vec<Range<usize>> {
    let mut deltas = Vec::new();
    let mut start = 0;
    for (at, c) in text.char_indices() {
        if c.is_whitespace() {
            let end = at + c.len_utf8();
            deltas.push(start..end);
            start = end;
        }
    }
    if start < text.len() || deltas.is_empty() {
        deltas.push(start..text.len());
    }
    deltas
}

/// A message id: `msg_mock_` and a counter in 20 digits (the most a `u64` has).
#[derive(Debug, Clone, Copy)]
struct MessageId(u64);

impl Serialize for MessageId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Written by hand: formatting with padding showed in the throughput benchmark.
        let mut id = *b"msg_mock_00000000000000000000";
        let mut rest = self.0;
        for digit in id.iter_mut().rev().take(20) {
            *digit = b'0' + (rest % 10) as u8;
            rest /= 10;
        }
        serializer.serialize_str(std::str::from_utf8(&id).unwrap_or_default())
    }
}

struct Reply {
    id: MessageId,
    model: String,
    text: String,
    /// The text deltas a stream sends, as ranges of `text` (set only for a stream).
    deltas: Vec<Range<usize>>,
    pings: u32,
    input_tokens: u64,
}

impl Reply {
    fn output_tokens(&self) -> u64 {
        estimate_tokens(self.text.len())
    }

    /// Events before the first text delta: `message_start`, `content_block_start`, the pings.
    fn head_len(&self) -> usize {
        2 + usize::try_from(self.pings).unwrap_or(usize::MAX)
    }

    fn event_count(&self) -> usize {
        self.head_len() + self.deltas.len() + 3
    }

    /// Event `i` of the sequence the real API streams; built one at a time, so a large answer is
    /// never held twice.
    fn event(&self, i: usize) -> (&'static str, Value) {
        let head = self.head_len();
        let first_tail = head + self.deltas.len();
        match i {
            0 => (
                "message_start",
                json!({ "type": "message_start", "message": {
                    "id": self.id, "type": "message", "role": "assistant", "model": self.model,
                    "content": [], "stop_reason": null, "stop_sequence": null,
                    "usage": { "input_tokens": self.input_tokens, "output_tokens": 1 },
                }}),
            ),
            1 => (
                "content_block_start",
                json!({ "type": "content_block_start", "index": 0,
                        "content_block": { "type": "text", "text": "" } }),
            ),
            i if i < head => ("ping", json!({ "type": "ping" })),
            i if i < first_tail => {
                let chunk = &self.text[self.deltas[i - head].clone()];
                let delta = json!({ "type": "content_block_delta", "index": 0,
                                    "delta": { "type": "text_delta", "text": chunk } });
                ("content_block_delta", delta)
            }
            i if i == first_tail => (
                "content_block_stop",
                json!({ "type": "content_block_stop", "index": 0 }),
            ),
            i if i == first_tail + 1 => (
                "message_delta",
                json!({ "type": "message_delta",
                        "delta": { "stop_reason": "end_turn", "stop_sequence": null },
                        "usage": { "output_tokens": self.output_tokens() } }),
            ),
            _ => ("message_stop", json!({ "type": "message_stop" })),
        }
    }

    /// The event after which a scripted quiet gap falls: the first text delta, so the client has
    /// seen text before the silence.
    fn gap_after(&self) -> usize {
        self.head_len()
    }
}

/// A non-streaming Messages response, serialised straight from the request's parts (no
/// intermediate JSON tree: this is the hot path of the throughput benchmark).
#[derive(Debug, Serialize)]
struct Message<'a> {
    id: MessageId,
    #[serde(rename = "type")]
    kind: &'static str,
    role: &'static str,
    model: &'a str,
    content: [TextBlock<'a>; 1],
    stop_reason: &'static str,
    stop_sequence: Option<&'static str>,
    usage: Usage,
}

impl<'a> Message<'a> {
    fn new(id: MessageId, model: &'a str, text: &'a str, input_tokens: u64) -> Message<'a> {
        Message {
            id,
            kind: "message",
            role: "assistant",
            model,
            content: [TextBlock { kind: "text", text }],
            stop_reason: "end_turn",
            stop_sequence: None,
            usage: Usage {
                input_tokens,
                output_tokens: estimate_tokens(text.len()),
            },
        }
    }
}

/// Bytes of a serialised [`Message`] besides its model and text: room enough that the buffer is
/// allocated once.
const MESSAGE_OVERHEAD: usize = 320;

/// `message` as a JSON response, serialised into one buffer sized for it (axum's `Json` starts
/// at 128 bytes and grows, which showed in the throughput benchmark).
fn message_response(message: &Message) -> Response {
    let text = message.content[0].text;
    let mut body = Vec::with_capacity(MESSAGE_OVERHEAD + message.model.len() + text.len());
    if let Err(e) = serde_json::to_writer(&mut body, message) {
        return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "api_error",
            &e.to_string(),
        );
    }
    let json = HeaderValue::from_static("application/json");
    ([(header::CONTENT_TYPE, json)], Body::from(body)).into_response()
}

#[derive(Debug, Serialize)]
struct TextBlock<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    text: &'a str,
}

#[derive(Debug, Serialize)]
struct Usage {
    input_tokens: u64,
    output_tokens: u64,
}

/// The waits between streamed events.
#[derive(Debug, Clone, Copy)]
struct Pacing {
    pace: Duration,
    gap: Duration,
}

/// The reply's events with `pacing.pace` between them (and `pacing.gap` once after the first
/// text delta), so anything buffering in front of the mock shows up as a time-to-first-byte close
/// to the total time. `clock`, when given, learns when each event was handed to the connection.
fn stream_response(
    reply: Reply,
    pacing: Pacing,
    framing: Framing,
    clock: Option<StreamClock>,
) -> Response {
    let body =
        futures_util::stream::unfold((reply, clock, 0), move |(reply, clock, i)| async move {
            if i >= reply.event_count() {
                return None;
            }
            let gap = if i == reply.gap_after() + 1 {
                pacing.gap
            } else {
                Duration::ZERO
            };
            let wait = if i == 0 {
                Duration::ZERO
            } else {
                pacing.pace + gap
            };
            // A zero-length sleep still waits for the timer's next tick (about a millisecond).
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
            let (name, data) = reply.event(i);
            let frame = match framing {
                Framing::Sse => Bytes::from(format!("event: {name}\ndata: {data}\n\n")),
                Framing::EventStream => eventstream::chunk(data.to_string().as_bytes()),
            };
            if let Some(clock) = &clock {
                clock.wrote(name);
            }
            Some((Ok::<_, Infallible>(frame), (reply, clock, i + 1)))
        });
    let content_type = match framing {
        Framing::Sse => "text/event-stream",
        Framing::EventStream => eventstream::CONTENT_TYPE,
    };
    let headers = [
        (header::CONTENT_TYPE, content_type),
        (header::CACHE_CONTROL, "no-cache"),
    ];
    (headers, Body::from_stream(body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_id_is_the_counter_in_twenty_digits() {
        let id = |n| serde_json::to_string(&MessageId(n)).unwrap();
        assert_eq!(id(1), r#""msg_mock_00000000000000000001""#);
        assert_eq!(id(907), r#""msg_mock_00000000000000000907""#);
        assert_eq!(id(u64::MAX), r#""msg_mock_18446744073709551615""#);
    }

    #[test]
    fn a_message_response_is_json_carrying_the_text_escaped() {
        let text = "é\"quoted\"\n".repeat(40);
        let message = Message::new(MessageId(3), "claude-sonnet-4-5", &text, 12);
        let response = message_response(&message);
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
        let body = futures_util::FutureExt::now_or_never(axum::body::to_bytes(
            response.into_body(),
            usize::MAX,
        ))
        .unwrap()
        .unwrap();
        let parsed: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(parsed["content"][0]["text"], text.as_str());
        assert_eq!(
            parsed["usage"]["output_tokens"],
            estimate_tokens(text.len())
        );
    }
}
