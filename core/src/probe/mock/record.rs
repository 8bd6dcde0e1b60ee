//! Request recording: every request the mock sees, kept in a bounded ring so a long-running mock
//! cannot grow without limit, with its credentials replaced by fingerprints.

use super::redact;
use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// Largest request body the mock accepts; larger bodies get 413 (and are still recorded, without
/// the body).
pub(super) const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// The raw body bytes all kept records may hold together; the oldest records go first. Bodies are
/// kept as received and parsed only when the records are read, so a burst of large requests (a
/// web page can send them without a preflight) costs what it sent, not a parsed copy many times
/// its size.
pub(super) const MAX_RECORDED_BODY_BYTES: usize = 64 * 1024 * 1024;

/// Paths under this prefix are the mock's own inspection API and are not recorded.
pub(super) const INSPECTION_PREFIX: &str = "/_mock/";

/// One request as the mock received it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedRequest {
    /// Position in arrival order, counted from 0 since the mock started; keeps counting when old
    /// records are dropped, so a client can ask "what came after record N".
    pub seq: u64,
    pub method: String,
    pub path: String,
    /// The raw query string without `?`, if the request had one; credential parameters
    /// (`key=`, `token=`, `X-Amz-Signature=`…) hold their value's
    /// [`credential_fingerprint`](super::credential_fingerprint).
    pub query: Option<String>,
    /// Every header in arrival order as `(lower-case name, value)`; repeated headers stay separate
    /// so a probe can tell `a, b` from two header lines. Credential headers (`x-api-key`,
    /// `authorization`, `cookie`…) keep their auth scheme and hold the credential's
    /// [`credential_fingerprint`](super::credential_fingerprint).
    pub headers: Vec<(String, String)>,
    /// The body as JSON if it parses, else as a (lossily decoded) string; `null` when empty. A
    /// form body has its credential fields fingerprinted like the query.
    pub body: Value,
}

impl RecordedRequest {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The shared, bounded list of recorded requests.
#[derive(Debug, Clone)]
pub(super) struct Recorder {
    inner: Arc<Mutex<Ring>>,
}

#[derive(Debug)]
struct Ring {
    next_seq: u64,
    capacity: usize,
    /// Body bytes held by `items`.
    body_bytes: usize,
    items: VecDeque<Stored>,
}

/// A record as kept: everything but the body, and the body's raw bytes.
#[derive(Debug)]
struct Stored {
    request: RecordedRequest,
    body: Bytes,
}

impl Recorder {
    pub(super) fn new(capacity: usize) -> Self {
        let ring = Ring {
            next_seq: 0,
            capacity: capacity.max(1),
            body_bytes: 0,
            items: VecDeque::new(),
        };
        Self {
            inner: Arc::new(Mutex::new(ring)),
        }
    }

    pub(super) fn snapshot(&self) -> Vec<RecordedRequest> {
        self.lock()
            .items
            .iter()
            .map(|stored| RecordedRequest {
                body: body_value(&stored.body),
                ..stored.request.clone()
            })
            .collect()
    }

    fn push(&self, parts: &Parts, body: Bytes) {
        // Redact before taking the lock: other connections record meanwhile.
        let mut request = RecordedRequest {
            seq: 0,
            method: parts.method.to_string(),
            path: parts.uri.path().to_owned(),
            query: parts.uri.query().map(redact::parameters),
            headers: parts
                .headers
                .iter()
                .map(|(name, value)| {
                    let value = String::from_utf8_lossy(value.as_bytes());
                    (
                        name.as_str().to_owned(),
                        redact::header_value(name.as_str(), &value),
                    )
                })
                .collect(),
            body: Value::Null,
        };
        let body = if is_form(parts) {
            Bytes::from(redact::parameters(&String::from_utf8_lossy(&body)))
        } else {
            body
        };
        let mut ring = self.lock();
        request.seq = ring.next_seq;
        ring.next_seq += 1;
        while ring.items.len() >= ring.capacity
            || (!ring.items.is_empty() && ring.body_bytes + body.len() > MAX_RECORDED_BODY_BYTES)
        {
            if let Some(dropped) = ring.items.pop_front() {
                ring.body_bytes -= dropped.body.len();
            }
        }
        ring.body_bytes += body.len();
        ring.items.push_back(Stored { request, body });
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Ring> {
        // A panic while holding the lock cannot leave the ring inconsistent: keep serving.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Middleware: buffer the body (within `read_timeout`, so a trickled body cannot hold a
/// connection slot), record the request, then hand the same bytes to the route.
pub(super) async fn record(
    State((recorder, read_timeout)): State<(Recorder, Duration)>,
    request: Request,
    next: Next,
) -> Response {
    if request.uri().path().starts_with(INSPECTION_PREFIX) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let bytes = match tokio::time::timeout(read_timeout, to_bytes(body, MAX_BODY_BYTES)).await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(_)) => {
            recorder.push(&parts, Bytes::new());
            return (StatusCode::PAYLOAD_TOO_LARGE, "request body too large").into_response();
        }
        Err(_) => {
            recorder.push(&parts, Bytes::new());
            // The rest of the body may still trickle in: close rather than read it.
            let close = [(header::CONNECTION, "close")];
            return (
                StatusCode::REQUEST_TIMEOUT,
                close,
                "request body not received in time",
            )
                .into_response();
        }
    };
    // A small body is a slice of the connection's read buffer; a copy keeps the record from
    // pinning that whole buffer, so MAX_RECORDED_BODY_BYTES bounds what the records hold.
    recorder.push(&parts, Bytes::copy_from_slice(&bytes));
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// Whether the body is form fields (`a=1&b=2`), as an OAuth token request's is.
fn is_form(parts: &Parts) -> bool {
    parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| {
            value
                .trim_start()
                .to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        })
}

fn body_value(bytes: &Bytes) -> Value {
    if bytes.is_empty() {
        return Value::Null;
    }
    serde_json::from_slice(bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(bytes).into_owned()))
}
