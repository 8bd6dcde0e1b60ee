//! Request recording: every request the mock sees, kept in a bounded ring so a long-running mock
//! cannot grow without limit, with its credentials replaced by fingerprints.

use super::redact;
use axum::body::{Body, Bytes, to_bytes};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
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

/// A record as kept. Its method, path, query and headers share one text buffer, so recording a
/// request costs a few allocations however many headers it has, and nothing in a record points
/// into the connection's read buffer (which a large body may have grown).
#[derive(Debug)]
struct Stored {
    seq: u64,
    /// The method, the path, the query if there is one, then each header's name and value, all
    /// as recorded (credentials fingerprinted), back to back.
    text: String,
    /// Where each of those parts ends in `text`.
    ends: Vec<usize>,
    has_query: bool,
    /// The body's raw bytes.
    body: Bytes,
}

impl Stored {
    fn new(parts: &Parts, body: Bytes) -> Stored {
        let (uri, headers) = (&parts.uri, &parts.headers);
        let length = headers.iter().fold(uri.path().len(), |sum, (name, value)| {
            sum + name.as_str().len() + value.len()
        });
        let mut stored = Stored {
            seq: 0,
            text: String::with_capacity(length + uri.query().map_or(0, str::len) + 16),
            ends: Vec::with_capacity(3 + 2 * headers.len()),
            has_query: uri.query().is_some(),
            body,
        };
        stored.push(parts.method.as_str());
        stored.push(uri.path());
        if let Some(query) = uri.query() {
            stored.push(&redact::parameters(query));
        }
        for (name, value) in headers {
            let value = String::from_utf8_lossy(value.as_bytes());
            stored.push(name.as_str());
            stored.push(&redact::header_value(name.as_str(), &value));
        }
        stored
    }

    fn push(&mut self, part: &str) {
        self.text.push_str(part);
        self.ends.push(self.text.len());
    }

    /// The record as the inspection API serves it, its body parsed now.
    fn request(&self) -> RecordedRequest {
        let mut start = 0;
        let mut parts = self.ends.iter().map(|&end| {
            let part = self.text[start..end].to_owned();
            start = end;
            part
        });
        let method = parts.next().unwrap_or_default();
        let path = parts.next().unwrap_or_default();
        let query = if self.has_query { parts.next() } else { None };
        let mut headers = Vec::with_capacity(self.ends.len() / 2);
        while let (Some(name), Some(value)) = (parts.next(), parts.next()) {
            headers.push((name, value));
        }
        RecordedRequest {
            seq: self.seq,
            method,
            path,
            query,
            headers,
            body: body_value(&self.body),
        }
    }
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
        self.snapshot_where(|_| true)
    }

    /// The records whose raw body passes `keep`, oldest first; only those bodies are parsed.
    pub(super) fn snapshot_where(&self, keep: impl Fn(&[u8]) -> bool) -> Vec<RecordedRequest> {
        self.lock()
            .items
            .iter()
            .filter(|stored| keep(&stored.body))
            .map(Stored::request)
            .collect()
    }

    fn push(&self, parts: &Parts, body: Bytes) {
        let body = if is_form(parts) {
            Bytes::from(redact::parameters(&String::from_utf8_lossy(&body)))
        } else {
            body
        };
        // Redact before taking the lock: other connections record meanwhile.
        let mut stored = Stored::new(parts, body);
        let mut ring = self.lock();
        stored.seq = ring.next_seq;
        ring.next_seq += 1;
        while ring.items.len() >= ring.capacity
            || (!ring.items.is_empty()
                && ring.body_bytes + stored.body.len() > MAX_RECORDED_BODY_BYTES)
        {
            if let Some(dropped) = ring.items.pop_front() {
                ring.body_bytes -= dropped.body.len();
            }
        }
        ring.body_bytes += stored.body.len();
        ring.items.push_back(stored);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Ring> {
        // A panic while holding the lock cannot leave the ring inconsistent: keep serving.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Buffer a request's body (within `read_timeout`, so a trickled body cannot hold a connection
/// slot) and record the request. The bytes go on to the route; a body too large or too slow gets
/// its answer here, and the request is still recorded, without the body.
pub(super) async fn buffer_and_record(
    recorder: &Recorder,
    read_timeout: Duration,
    parts: &Parts,
    body: Body,
) -> Result<Bytes, Response> {
    let bytes = match tokio::time::timeout(read_timeout, to_bytes(body, MAX_BODY_BYTES)).await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(_)) => {
            recorder.push(parts, Bytes::new());
            let response = (StatusCode::PAYLOAD_TOO_LARGE, "request body too large");
            return Err(response.into_response());
        }
        Err(_) => {
            recorder.push(parts, Bytes::new());
            // The rest of the body may still trickle in: close rather than read it.
            let close = [(header::CONNECTION, "close")];
            let response = (
                StatusCode::REQUEST_TIMEOUT,
                close,
                "request body not received in time",
            );
            return Err(response.into_response());
        }
    };
    // A small body is a slice of the connection's read buffer; a copy keeps the record from
    // pinning that whole buffer, so MAX_RECORDED_BODY_BYTES bounds what the records hold.
    recorder.push(parts, Bytes::copy_from_slice(&bytes));
    Ok(bytes)
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
