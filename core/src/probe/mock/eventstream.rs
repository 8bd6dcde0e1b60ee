//! AWS event-stream framing, as Bedrock's `invoke-with-response-stream` sends it: each message is
//! a prelude (total length, headers length, both u32 big-endian, then the prelude's CRC32), the
//! headers, the payload and the CRC32 of everything before it. The decoder checks both CRCs, so a
//! probe can tell a gateway that re-encoded or corrupted the stream.

use axum::body::Bytes;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// `content-type` of an event-stream response.
pub const CONTENT_TYPE: &str = "application/vnd.amazon.eventstream";

/// Prelude: total length, headers length, prelude CRC.
const PRELUDE_LEN: usize = 12;
/// The message CRC after the payload.
const CRC_LEN: usize = 4;
/// Header value type 7: a string with a u16 big-endian length.
const STRING_TYPE: u8 = 7;
/// The headers of every chunk Bedrock streams.
const CHUNK_HEADERS: [(&str, &str); 3] = [
    (":event-type", "chunk"),
    (":content-type", "application/json"),
    (":message-type", "event"),
];

/// One Bedrock chunk message carrying `event_json` (an Anthropic SSE event's data) as
/// `{"bytes":"<base64>"}`.
pub fn chunk(event_json: &[u8]) -> Bytes {
    let payload = format!(r#"{{"bytes":"{}"}}"#, STANDARD.encode(event_json));
    message(&CHUNK_HEADERS, payload.as_bytes())
}

/// One event-stream message with string `headers` and `payload`.
pub fn message(headers: &[(&str, &str)], payload: &[u8]) -> Bytes {
    let mut encoded_headers = Vec::new();
    for (name, value) in headers {
        let name_len = u8::try_from(name.len()).expect("header names are short");
        let value_len = u16::try_from(value.len()).expect("header values are short");
        encoded_headers.push(name_len);
        encoded_headers.extend_from_slice(name.as_bytes());
        encoded_headers.push(STRING_TYPE);
        encoded_headers.extend_from_slice(&value_len.to_be_bytes());
        encoded_headers.extend_from_slice(value.as_bytes());
    }
    let total = PRELUDE_LEN + encoded_headers.len() + payload.len() + CRC_LEN;
    let mut out = Vec::with_capacity(total);
    let total = u32::try_from(total).expect("a chunk is far below 4 GiB");
    let headers_len = u32::try_from(encoded_headers.len()).expect("headers are short");
    out.extend_from_slice(&total.to_be_bytes());
    out.extend_from_slice(&headers_len.to_be_bytes());
    out.extend_from_slice(&crc32fast::hash(&out).to_be_bytes());
    out.extend_from_slice(&encoded_headers);
    out.extend_from_slice(payload);
    out.extend_from_slice(&crc32fast::hash(&out).to_be_bytes());
    Bytes::from(out)
}

/// A decoded event-stream message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// String headers in order; other header types are reported as their type byte, e.g. `<type 6>`.
    pub headers: Vec<(String, String)>,
    pub payload: Vec<u8>,
}

impl Message {
    /// The value of header `name`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// For a Bedrock chunk, the Anthropic event JSON its payload's `bytes` carries.
    pub fn chunk_event(&self) -> Result<serde_json::Value, String> {
        let payload: serde_json::Value =
            serde_json::from_slice(&self.payload).map_err(|e| format!("payload: {e}"))?;
        let bytes = payload
            .get("bytes")
            .and_then(serde_json::Value::as_str)
            .ok_or("payload has no \"bytes\" string")?;
        let json = STANDARD.decode(bytes).map_err(|e| format!("bytes: {e}"))?;
        serde_json::from_slice(&json).map_err(|e| format!("event: {e}"))
    }
}

/// Every message in `stream`, which must end on a message boundary. The error names the offset
/// of the first message that is invalid.
pub fn decode(stream: &[u8]) -> Result<Vec<Message>, String> {
    let (messages, used) = decode_complete(stream)?;
    if used < stream.len() {
        return Err(format!(
            "message at byte {used}: its length does not fit the {} bytes left",
            stream.len() - used
        ));
    }
    Ok(messages)
}

/// The largest message accepted: AWS event-stream messages are at most 16 MiB.
const MAX_MESSAGE_LEN: usize = 16 * 1024 * 1024;

/// The complete messages at the front of `buf`, which may end inside a message (a stream still
/// arriving), and how many bytes they take. A prelude that is invalid, or announces a message
/// longer than [`MAX_MESSAGE_LEN`], is an error without waiting for the rest; the error names
/// the offset of the message.
pub fn decode_complete(buf: &[u8]) -> Result<(Vec<Message>, usize), String> {
    let mut messages = Vec::new();
    let mut used = 0;
    while let Some((message, len)) =
        complete_message(&buf[used..]).map_err(|e| format!("message at byte {used}: {e}"))?
    {
        messages.push(message);
        used += len;
    }
    Ok((messages, used))
}

/// The message at the front of `buf` and its length; `None` while it has not all arrived.
fn complete_message(buf: &[u8]) -> Result<Option<(Message, usize)>, String> {
    let Some(prelude) = buf.get(..PRELUDE_LEN) else {
        return Ok(None);
    };
    let u32_at = |at: usize| u32::from_be_bytes([buf[at], buf[at + 1], buf[at + 2], buf[at + 3]]);
    if u32_at(8) != crc32fast::hash(&prelude[..8]) {
        return Err("prelude CRC mismatch".to_owned());
    }
    let total = usize::try_from(u32_at(0)).map_err(|e| e.to_string())?;
    let headers_len = usize::try_from(u32_at(4)).map_err(|e| e.to_string())?;
    if total > MAX_MESSAGE_LEN {
        return Err(format!(
            "a message of {total} bytes is longer than any AWS sends"
        ));
    }
    if total < PRELUDE_LEN + headers_len + CRC_LEN {
        return Err(format!("length {total} does not fit"));
    }
    if buf.len() < total {
        return Ok(None);
    }
    if u32_at(total - CRC_LEN) != crc32fast::hash(&buf[..total - CRC_LEN]) {
        return Err("message CRC mismatch".to_owned());
    }
    let headers = decode_headers(&buf[PRELUDE_LEN..PRELUDE_LEN + headers_len])?;
    let payload = buf[PRELUDE_LEN + headers_len..total - CRC_LEN].to_vec();
    Ok(Some((Message { headers, payload }, total)))
}

fn decode_headers(mut buf: &[u8]) -> Result<Vec<(String, String)>, String> {
    let mut headers = Vec::new();
    let take = |buf: &mut &[u8], n: usize| -> Result<Vec<u8>, String> {
        let (head, rest) = buf.split_at_checked(n).ok_or("truncated header")?;
        *buf = rest;
        Ok(head.to_vec())
    };
    while !buf.is_empty() {
        let name_len = usize::from(take(&mut buf, 1)?[0]);
        let name = String::from_utf8_lossy(&take(&mut buf, name_len)?).into_owned();
        let kind = take(&mut buf, 1)?[0];
        if kind != STRING_TYPE {
            // The mock and Bedrock's chunks use strings only; stop rather than guess a size.
            headers.push((name, format!("<type {kind}>")));
            return Ok(headers);
        }
        let len = take(&mut buf, 2)?;
        let value = take(&mut buf, usize::from(u16::from_be_bytes([len[0], len[1]])))?;
        headers.push((name, String::from_utf8_lossy(&value).into_owned()));
    }
    Ok(headers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_chunk_round_trips_with_bedrocks_headers() {
        let event = br#"{"type":"message_stop"}"#;
        let mut stream = chunk(event).to_vec();
        stream.extend_from_slice(&chunk(br#"{"type":"ping"}"#));
        let messages = decode(&stream).unwrap();
        assert_eq!(messages.len(), 2);
        assert_eq!(messages[0].header(":event-type"), Some("chunk"));
        assert_eq!(
            messages[0].header(":content-type"),
            Some("application/json")
        );
        assert_eq!(messages[0].header(":message-type"), Some("event"));
        assert_eq!(
            messages[0].chunk_event().unwrap(),
            json!({ "type": "message_stop" })
        );
        assert_eq!(
            messages[1].chunk_event().unwrap(),
            json!({ "type": "ping" })
        );
    }

    #[test]
    fn the_prelude_matches_the_layout_aws_documents() {
        let frame = message(&[("a", "b")], b"xyz");
        // 12 prelude + (1 + 1 + 1 + 2 + 1) headers + 3 payload + 4 CRC.
        assert_eq!(&frame[..8], &[0, 0, 0, 25, 0, 0, 0, 6]);
        assert_eq!(&frame[12..18], &[1, b'a', 7, 0, 1, b'b']);
        assert_eq!(&frame[18..21], b"xyz");
        assert_eq!(
            u32::from_be_bytes(frame[8..12].try_into().unwrap()),
            crc32fast::hash(&frame[..8])
        );
    }

    #[test]
    fn a_corrupted_byte_is_detected() {
        let frame = chunk(br#"{"type":"ping"}"#);
        // A byte of the prelude's lengths, and one of the payload.
        for at in [3, frame.len() - 10] {
            let mut corrupted = frame.to_vec();
            corrupted[at] ^= 0x01;
            let error = decode(&corrupted).unwrap_err();
            assert!(error.contains("CRC mismatch"), "byte {at}: {error}");
        }
        let error = decode(&frame[..frame.len() - 1]).unwrap_err();
        assert!(error.contains("does not fit"), "{error}");
    }
}
