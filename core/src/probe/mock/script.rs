//! Scripted behaviour: what a request asks the mock to do, read from its BODY because gateways
//! may strip headers they do not know. The directive is a line of the last user message's text:
//!
//! ```text
//! gwscript-mock: {"nonce":"n-1","status":429,"retry_after":3}
//! ```
//!
//! The same directive works on the Messages, Bedrock and Vertex routes.

use serde::Deserialize;
use std::time::Duration;

/// The prefix of the directive's line; the rest of the line is a [`Directive`] as JSON.
pub const DIRECTIVE_PREFIX: &str = "gwscript-mock:";

/// The longest delay before the first byte, and the longest quiet gap in a stream: 15 minutes.
pub const MAX_WAIT: Duration = Duration::from_secs(15 * 60);
/// The largest scripted answer: 64 MiB of text.
pub const MAX_ANSWER_BYTES: usize = 64 * 1024 * 1024;
/// The most `ping` events one stream sends.
pub const MAX_PINGS: u32 = 10_000;
/// The longest pause between two streamed events: 1 minute.
pub const MAX_PACE: Duration = Duration::from_secs(60);
/// The largest `retry-after` the mock sends: 1 hour.
pub const MAX_RETRY_AFTER_SECS: u64 = 3600;

/// What one request asks of the mock. Every field is optional; an absent field keeps the mock's
/// normal behaviour. Values beyond a bound are clamped to it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Directive {
    /// Any string the client picks to find this request again in `GET /_mock/requests?nonce=` and
    /// the stream timings in `GET /_mock/streams?nonce=`.
    pub nonce: Option<String>,
    /// Answer with this error status instead of a message: 400, 401, 403, 429, 500, 503 or 529,
    /// with an Anthropic-shaped JSON error body. Any other value is refused with a 400.
    pub status: Option<u16>,
    /// Seconds sent in `retry-after` (integer seconds) with the error status; at most
    /// [`MAX_RETRY_AFTER_SECS`]. Without it, a 429 or 529 still carries `retry-after: 1`.
    pub retry_after: Option<u64>,
    /// Milliseconds to wait before the response's first byte (status and headers included); at
    /// most [`MAX_WAIT`].
    pub delay_ms: Option<u64>,
    /// Milliseconds of silence in the middle of a stream (after the first text delta), to test a
    /// gateway's idle timeout; at most [`MAX_WAIT`]. Ignored by non-streaming answers.
    pub gap_ms: Option<u64>,
    /// How many `ping` events a stream sends after `content_block_start` (default 1); at most
    /// [`MAX_PINGS`].
    pub pings: Option<u32>,
    /// Answer with this many bytes of text instead of the configured reply (streamed in 8 KiB
    /// deltas); at most [`MAX_ANSWER_BYTES`].
    pub answer_bytes: Option<usize>,
    /// Milliseconds between streamed events instead of the mock's `--pace-ms`; at most
    /// [`MAX_PACE`].
    pub events_pace_ms: Option<u64>,
}

impl Directive {
    /// The directive on a line of `text` (the last user message's), if any. A directive line that
    /// is not valid JSON for this struct is an error: a typo must not silently run the normal
    /// behaviour.
    pub(super) fn from_text(text: &str) -> Result<Option<Directive>, String> {
        let Some(json) = text
            .lines()
            .find_map(|line| line.trim_start().strip_prefix(DIRECTIVE_PREFIX))
        else {
            return Ok(None);
        };
        serde_json::from_str(json.trim())
            .map(Some)
            .map_err(|e| format!("{DIRECTIVE_PREFIX} directive is not valid: {e}"))
    }

    pub(super) fn delay(&self) -> Duration {
        bounded_ms(self.delay_ms, MAX_WAIT)
    }

    pub(super) fn gap(&self) -> Duration {
        bounded_ms(self.gap_ms, MAX_WAIT)
    }

    pub(super) fn pings(&self) -> u32 {
        self.pings.unwrap_or(1).min(MAX_PINGS)
    }

    pub(super) fn answer_bytes(&self) -> Option<usize> {
        self.answer_bytes.map(|n| n.min(MAX_ANSWER_BYTES))
    }

    pub(super) fn pace(&self, default: Duration) -> Duration {
        self.events_pace_ms
            .map_or(default, |ms| bounded_ms(Some(ms), MAX_PACE))
    }

    pub(super) fn retry_after(&self) -> Option<u64> {
        self.retry_after.map(|s| s.min(MAX_RETRY_AFTER_SECS))
    }
}

fn bounded_ms(ms: Option<u64>, max: Duration) -> Duration {
    Duration::from_millis(ms.unwrap_or(0)).min(max)
}

/// The Anthropic error type for a scripted status, and whether Anthropic sends
/// `x-should-retry: true` with it; `None` for a status the mock does not script.
pub fn error_kind(status: u16) -> Option<(&'static str, bool)> {
    Some(match status {
        400 => ("invalid_request_error", false),
        401 => ("authentication_error", false),
        403 => ("permission_error", false),
        429 => ("rate_limit_error", true),
        500 => ("api_error", true),
        503 => ("api_error", true),
        529 => ("overloaded_error", true),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::request::MessagesRequest;
    use super::*;
    use serde_json::{Value, json};

    /// The directive the mock reads from `request`'s body.
    fn read_directive(request: &Value) -> Result<Option<Directive>, String> {
        let body = request.to_string();
        MessagesRequest::parse(body.as_bytes())
            .expect("a JSON object")
            .directive()
    }

    fn request(content: Value) -> Value {
        json!({ "messages": [
            { "role": "user", "content": "gwscript-mock: {\"nonce\":\"old\"}" },
            { "role": "assistant", "content": "ok" },
            { "role": "user", "content": content },
        ]})
    }

    #[test]
    fn the_directive_comes_from_the_last_user_message() {
        let text = "hello\n  gwscript-mock: {\"nonce\":\"n1\",\"status\":429,\"retry_after\":3}\n";
        let directive = read_directive(&request(json!(text))).unwrap().unwrap();
        assert_eq!(directive.nonce.as_deref(), Some("n1"));
        assert_eq!(directive.status, Some(429));
        assert_eq!(directive.retry_after(), Some(3));

        let blocks = json!([{ "type": "image" }, { "type": "text",
            "text": "gwscript-mock: {\"pings\":4}" }]);
        let directive = read_directive(&request(blocks)).unwrap().unwrap();
        assert_eq!(directive.pings(), 4);
        assert_eq!(
            directive.nonce, None,
            "an earlier message's directive is not used"
        );

        assert_eq!(read_directive(&request(json!("plain"))), Ok(None));
    }

    #[test]
    fn a_malformed_directive_is_an_error_not_the_normal_answer() {
        let typo = request(json!("gwscript-mock: {\"statsu\":429}"));
        let error = read_directive(&typo).unwrap_err();
        assert!(error.contains("statsu"), "{error}");
    }

    #[test]
    fn values_beyond_their_bounds_are_clamped() {
        let directive = Directive {
            delay_ms: Some(u64::MAX),
            gap_ms: Some(u64::MAX),
            pings: Some(u32::MAX),
            answer_bytes: Some(usize::MAX),
            events_pace_ms: Some(u64::MAX),
            retry_after: Some(u64::MAX),
            ..Directive::default()
        };
        assert_eq!(directive.delay(), MAX_WAIT);
        assert_eq!(directive.gap(), MAX_WAIT);
        assert_eq!(directive.pings(), MAX_PINGS);
        assert_eq!(directive.answer_bytes(), Some(MAX_ANSWER_BYTES));
        assert_eq!(directive.pace(Duration::ZERO), MAX_PACE);
        assert_eq!(directive.retry_after(), Some(MAX_RETRY_AFTER_SECS));
        assert_eq!(Directive::default().pings(), 1);
    }
}
