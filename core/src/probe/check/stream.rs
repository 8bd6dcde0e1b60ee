//! Criterion 5, streaming: every SSE event arrives in order with its `event:` line through
//! `message_stop`; scripted pings arrive; and the gateway does not buffer the stream.

use super::{Check, Probe, excerpt, request_body};
use serde_json::{Value, json};
use std::time::Instant;

const EVENTS: &str = "stream.events";
const EVENTS_CRITERION: &str =
    "every SSE event arrives in order, with its event: line, through message_stop";
const PINGS: &str = "stream.pings";
const PINGS_CRITERION: &str = "ping events are forwarded";
const BUFFERING: &str = "stream.buffering";
const BUFFERING_CRITERION: &str = "events arrive as the upstream writes them (no buffering)";

/// Pings the mock is asked to send, and its pause between events.
const PINGS_SCRIPTED: usize = 2;
const PACE_MS: u64 = 50;
/// The most stream bytes read: far more than the scripted answer.
const MAX_STREAM_BYTES: usize = 4 * 1024 * 1024;
/// A stream is buffered when the client saw its events spread over less than this share of the
/// time the mock took to write them.
const MIN_SPREAD_RATIO: f64 = 0.25;

/// One SSE event as the client received it.
#[derive(Debug)]
struct Received {
    /// The `event:` line's value, if there was one.
    event: Option<String>,
    /// `data.type`.
    kind: Option<String>,
    /// Milliseconds since the request was sent.
    at_ms: f64,
}

pub(super) async fn checks(probe: &Probe) -> Vec<Check> {
    let directive = json!({ "pings": PINGS_SCRIPTED, "events_pace_ms": PACE_MS });
    let (body, nonce) = request_body(probe, directive, true);
    let received = match receive(probe, &body).await {
        Ok(received) => received,
        Err(why) => {
            let mut checks = vec![Check::fail(EVENTS, EVENTS_CRITERION, why)];
            checks.extend(mock_checks_skipped(probe));
            return checks;
        }
    };
    let mut checks = vec![events(&received)];
    if !probe.has_mock() {
        checks.extend(mock_checks_skipped(probe));
        return checks;
    }
    checks.push(pings(&received));
    checks.push(buffering(probe, &nonce, &received).await);
    checks
}

fn mock_checks_skipped(probe: &Probe) -> Vec<Check> {
    if probe.has_mock() {
        return vec![
            Check::fail(PINGS, PINGS_CRITERION, "the stream failed"),
            Check::fail(BUFFERING, BUFFERING_CRITERION, "the stream failed"),
        ];
    }
    vec![
        Check::needs_mock(PINGS, PINGS_CRITERION),
        Check::needs_mock(BUFFERING, BUFFERING_CRITERION),
    ]
}

/// Sends the streaming request and reads its events with their arrival times.
async fn receive(probe: &Probe, body: &Value) -> Result<Vec<Received>, String> {
    let started = Instant::now();
    let mut response = probe.messages(body).await?;
    let status = response.status().as_u16();
    if status != 200 {
        let text = response.text().await.unwrap_or_default();
        return Err(format!("{status}: {}", excerpt(&text)));
    }
    let mut pending = String::new();
    let mut received = Vec::new();
    let mut total = 0;
    // Bounded by the request timeout and by MAX_STREAM_BYTES.
    while let Some(chunk) = response.chunk().await.map_err(|e| super::describe(&e))? {
        total += chunk.len();
        if total > MAX_STREAM_BYTES {
            return Err(format!("the stream exceeded {MAX_STREAM_BYTES} bytes"));
        }
        let at_ms = started.elapsed().as_secs_f64() * 1e3;
        pending.push_str(&String::from_utf8_lossy(&chunk).replace("\r\n", "\n"));
        while let Some(end) = pending.find("\n\n") {
            let block: String = pending.drain(..end + 2).collect();
            received.push(parse_event(&block, at_ms));
        }
    }
    Ok(received)
}

fn parse_event(block: &str, at_ms: f64) -> Received {
    let field = |name: &str| {
        block
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .map(|value| value.trim().to_owned())
    };
    let kind = field("data:")
        .and_then(|data| serde_json::from_str::<Value>(&data).ok())
        .and_then(|data| data.get("type").and_then(Value::as_str).map(str::to_owned));
    Received {
        event: field("event:"),
        kind,
        at_ms,
    }
}

fn events(received: &[Received]) -> Check {
    let kinds: Vec<&str> = received.iter().filter_map(|r| r.kind.as_deref()).collect();
    let missing_event_lines = received
        .iter()
        .filter(|r| r.event.is_none() || r.event != r.kind)
        .count();
    let in_order = kinds.first() == Some(&"message_start")
        && kinds.last() == Some(&"message_stop")
        && kinds.contains(&"content_block_delta")
        && ["content_block_start", "content_block_stop", "message_delta"]
            .iter()
            .all(|k| kinds.contains(k));
    let sequence = kinds.join(" ");
    if in_order && missing_event_lines == 0 {
        Check::pass(
            EVENTS,
            EVENTS_CRITERION,
            format!("{} events: {sequence}", kinds.len()),
        )
    } else {
        let evidence = format!(
            "{} events ({missing_event_lines} without a matching event: line): {sequence}",
            received.len()
        );
        Check::fail(EVENTS, EVENTS_CRITERION, evidence)
            .with_fix("forward the upstream's SSE stream as is, event: lines included")
    }
}

fn pings(received: &[Received]) -> Check {
    let seen = received
        .iter()
        .filter(|r| r.kind.as_deref() == Some("ping"))
        .count();
    if seen >= PINGS_SCRIPTED {
        Check::pass(
            PINGS,
            PINGS_CRITERION,
            format!("{seen} of {PINGS_SCRIPTED} pings arrived"),
        )
    } else {
        let evidence = format!(
            "{seen} of {PINGS_SCRIPTED} scripted pings arrived; Claude Code tolerates this, but \
             pings keep idle connections alive through proxies"
        );
        Check::warn(PINGS, PINGS_CRITERION, evidence)
            .with_fix("forward ping events as the upstream sends them")
    }
}

async fn buffering(probe: &Probe, nonce: &str, received: &[Received]) -> Check {
    let written = match probe.mock_streams(nonce).await {
        Ok(mut timings) => timings.pop().map(|t| t.events).unwrap_or_default(),
        Err(why) => return Check::fail(BUFFERING, BUFFERING_CRITERION, why),
    };
    let (Some(first_written), Some(last_written)) = (written.first(), written.last()) else {
        return Check::fail(
            BUFFERING,
            BUFFERING_CRITERION,
            "the mock timed no stream for this nonce",
        );
    };
    let (Some(first_seen), Some(last_seen)) = (received.first(), received.last()) else {
        return Check::fail(BUFFERING, BUFFERING_CRITERION, "no event arrived");
    };
    let written_ms = last_written.at_ms - first_written.at_ms;
    let seen_ms = last_seen.at_ms - first_seen.at_ms;
    let evidence = format!(
        "the mock wrote {} events over {written_ms:.0} ms; the client received them over \
         {seen_ms:.0} ms (first byte at {:.0} ms, last at {:.0} ms)",
        written.len(),
        first_seen.at_ms,
        last_seen.at_ms
    );
    if seen_ms >= written_ms * MIN_SPREAD_RATIO {
        Check::pass(BUFFERING, BUFFERING_CRITERION, evidence)
    } else {
        Check::fail(BUFFERING, BUFFERING_CRITERION, evidence).with_fix(
            "stream responses unbuffered (nginx: proxy_buffering off; also no response \
             compression or caching on /v1/messages)",
        )
    }
}
