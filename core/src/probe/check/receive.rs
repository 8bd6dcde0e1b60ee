//! Reading a streamed answer as Claude Code does, with when each event arrived: SSE blocks for the
//! Messages and Vertex formats, AWS event-stream messages (each checked against its prelude and
//! message CRCs) for Bedrock.

use super::{Api, Probe, Prompt, describe, evidence::excerpt};
use crate::probe::mock::eventstream;
use serde_json::Value;
use std::time::{Duration, Instant};

/// The most stream bytes read: far more than any scripted answer the checks ask for.
const MAX_STREAM_BYTES: usize = 8 * 1024 * 1024;

/// One event as the client received it.
#[derive(Debug)]
pub(super) struct Received {
    /// SSE: the `event:` line's value; Bedrock: the message's `:event-type` header.
    pub label: Option<String>,
    /// The event JSON's `type`.
    pub kind: Option<String>,
    /// Milliseconds since the request was sent.
    pub at_ms: f64,
}

impl Received {
    /// Whether the event is labelled as Claude Code expects: an SSE `event:` line naming its
    /// type, or a Bedrock `chunk` message.
    pub fn labelled(&self, api: Api) -> bool {
        match api {
            Api::Bedrock => self.label.as_deref() == Some("chunk"),
            Api::Messages | Api::Vertex => self.label.is_some() && self.label == self.kind,
        }
    }
}

/// A streamed answer as far as it arrived.
#[derive(Debug)]
pub(super) struct Stream {
    pub content_type: Option<String>,
    pub events: Vec<Received>,
    /// Why reading stopped before the end of the stream (a cut connection, a timeout, a frame
    /// that does not decode), if it did.
    pub broken: Option<String>,
    /// Milliseconds from the request until the stream ended or broke.
    pub ended_ms: f64,
}

/// Sends the prompt and reads its stream, waiting at most `timeout` in all. `Err` when no stream
/// began: a transport error or a status other than 200.
pub(super) async fn receive(
    probe: &Probe,
    prompt: &Prompt,
    timeout: Duration,
) -> Result<Stream, String> {
    let started = Instant::now();
    let sent = probe.request(prompt).timeout(timeout).send().await;
    let mut response = sent.map_err(|e| describe(&e))?;
    let status = response.status().as_u16();
    if status != 200 {
        let text = response.text().await.unwrap_or_default();
        return Err(format!("{status}: {}", excerpt(&text)));
    }
    let content_type = super::evidence::header(&response, "content-type");
    let eventstream = content_type
        .as_deref()
        .is_some_and(|t| t.starts_with(eventstream::CONTENT_TYPE));
    let mut decoder = Decoder::new(eventstream);
    let mut events = Vec::new();
    let mut total = 0;
    let broken = loop {
        // Bounded by the request's timeout and by MAX_STREAM_BYTES.
        let chunk = match response.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break decoder.leftover(),
            Err(e) => break Some(describe(&e)),
        };
        total += chunk.len();
        if total > MAX_STREAM_BYTES {
            break Some(format!("the stream exceeded {MAX_STREAM_BYTES} bytes"));
        }
        let at_ms = started.elapsed().as_secs_f64() * 1e3;
        match decoder.push(&chunk, at_ms) {
            Ok(decoded) => events.extend(decoded),
            Err(why) => break Some(why),
        }
    };
    Ok(Stream {
        content_type,
        events,
        broken,
        ended_ms: started.elapsed().as_secs_f64() * 1e3,
    })
}

/// Splits arriving bytes into events.
struct Decoder {
    eventstream: bool,
    pending: Vec<u8>,
    /// Bytes of the stream consumed before `pending`, for error offsets.
    consumed: usize,
}

impl Decoder {
    fn new(eventstream: bool) -> Decoder {
        Decoder {
            eventstream,
            pending: Vec::new(),
            consumed: 0,
        }
    }

    fn push(&mut self, bytes: &[u8], at_ms: f64) -> Result<Vec<Received>, String> {
        self.pending.extend_from_slice(bytes);
        if self.eventstream {
            self.eventstream_events(at_ms)
        } else {
            Ok(self.sse_events(at_ms))
        }
    }

    /// What is left undecoded at the end of the stream, as a problem.
    fn leftover(&self) -> Option<String> {
        let left = String::from_utf8_lossy(&self.pending);
        if left.trim().is_empty() {
            None
        } else {
            Some(format!(
                "the stream ended inside an event ({} bytes left over)",
                self.pending.len()
            ))
        }
    }

    fn sse_events(&mut self, at_ms: f64) -> Vec<Received> {
        let mut events = Vec::new();
        // Blocks end at a blank line; a CRLF stream's blocks end at CRLF CRLF.
        while let Some((end, separator)) = block_end(&self.pending) {
            let block: Vec<u8> = self.pending.drain(..end + separator).collect();
            self.consumed += block.len();
            events.push(sse_event(&String::from_utf8_lossy(&block), at_ms));
        }
        events
    }

    fn eventstream_events(&mut self, at_ms: f64) -> Result<Vec<Received>, String> {
        let (messages, used) = eventstream::decode_complete(&self.pending).map_err(|e| {
            format!(
                "an invalid event-stream frame, {} bytes into the stream: {e}",
                self.consumed
            )
        })?;
        self.pending.drain(..used);
        self.consumed += used;
        Ok(messages
            .into_iter()
            .map(|message| Received {
                label: message.header(":event-type").map(str::to_owned),
                kind: message
                    .chunk_event()
                    .ok()
                    .and_then(|event| event_type(&event)),
                at_ms,
            })
            .collect())
    }
}

/// Where the first complete SSE block ends, and the separator's length.
fn block_end(bytes: &[u8]) -> Option<(usize, usize)> {
    let lf = bytes
        .windows(2)
        .position(|w| w == b"\n\n")
        .map(|at| (at, 2));
    let crlf = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|at| (at, 4));
    match (lf, crlf) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

fn sse_event(block: &str, at_ms: f64) -> Received {
    let field = |name: &str| {
        block
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .map(|value| value.trim().to_owned())
    };
    let kind = field("data:")
        .and_then(|data| serde_json::from_str::<Value>(&data).ok())
        .and_then(|data| event_type(&data));
    Received {
        label: field("event:"),
        kind,
        at_ms,
    }
}

fn event_type(event: &Value) -> Option<String> {
    event.get("type").and_then(Value::as_str).map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sse_blocks_split_across_chunks_and_line_endings() {
        let mut decoder = Decoder::new(false);
        let first = decoder
            .push(
                b"event: ping\r\ndata: {\"type\":\"ping\"}\r\n\r\nevent: mess",
                1.0,
            )
            .unwrap();
        assert_eq!(first.len(), 1);
        assert!(first[0].labelled(Api::Messages));
        let second = decoder
            .push(b"age_stop\ndata: {\"type\":\"message_stop\"}\n\n", 2.0)
            .unwrap();
        assert_eq!(second[0].kind.as_deref(), Some("message_stop"));
        assert_eq!(second[0].at_ms, 2.0);
        assert_eq!(decoder.leftover(), None);
    }

    #[test]
    fn eventstream_frames_split_across_chunks_decode_and_a_bad_crc_is_named() {
        let frame = eventstream::chunk(br#"{"type":"message_stop"}"#);
        let mut decoder = Decoder::new(true);
        assert!(decoder.push(&frame[..7], 1.0).unwrap().is_empty());
        let events = decoder.push(&frame[7..], 2.0).unwrap();
        assert_eq!(events.len(), 1);
        assert!(events[0].labelled(Api::Bedrock));
        assert_eq!(events[0].kind.as_deref(), Some("message_stop"));

        let mut corrupted = frame.to_vec();
        let last = corrupted.len() - 1;
        corrupted[last] ^= 1;
        let error = decoder.push(&corrupted, 3.0).unwrap_err();
        assert!(error.contains("CRC"), "{error}");
    }
}
