//! Criterion 5, streaming: every event arrives in order, labelled (SSE `event:` lines; Bedrock
//! `chunk` messages), through `message_stop`; scripted pings arrive; the gateway does not buffer
//! the stream; and on Bedrock the AWS event-stream arrives as such, every frame's CRCs valid.

use super::receive::{Received, Stream, receive};
use super::{Api, Check, Probe, REQUEST_TIMEOUT};
use crate::probe::mock::{EventTime, eventstream};
use serde_json::json;

const EVENTS: &str = "stream.events";
const EVENTS_CRITERION: &str =
    "every streamed event arrives in order, labelled, through message_stop";
const PINGS: &str = "stream.pings";
const PINGS_CRITERION: &str = "ping events are forwarded";
const BUFFERING: &str = "stream.buffering";
const BUFFERING_CRITERION: &str = "events arrive as the upstream writes them (no buffering)";
const EVENTSTREAM: &str = "stream.eventstream";
const EVENTSTREAM_CRITERION: &str = "the Bedrock stream arrives as application/vnd.amazon.eventstream, every frame's prelude and message CRC valid";

/// Pings the mock is asked to send, and its pause between events.
const PINGS_SCRIPTED: usize = 2;
const PACE_MS: u64 = 50;
/// A stream is buffered when the client saw its events spread over less than this share of the
/// time the mock took to write them; an event is held when it arrived this close to the next.
const MIN_SPREAD_RATIO: f64 = 0.25;

pub(super) async fn checks(probe: &Probe) -> Vec<Check> {
    let directive = json!({ "pings": PINGS_SCRIPTED, "events_pace_ms": PACE_MS });
    let prompt = probe.prompt(directive, true);
    let stream = match receive(probe, &prompt, REQUEST_TIMEOUT).await {
        Ok(stream) => stream,
        Err(why) => return unreadable(probe, &why),
    };
    let mut checks = vec![events(probe.api(), &stream)];
    if probe.api() == Api::Bedrock {
        checks.push(eventstream_framing(&stream));
    }
    if !probe.has_mock() {
        checks.push(Check::needs_mock(PINGS, PINGS_CRITERION));
        checks.push(Check::needs_mock(BUFFERING, BUFFERING_CRITERION));
        return checks;
    }
    checks.push(pings(&stream.events));
    checks.push(buffering(probe, &prompt.nonce, &stream.events).await);
    checks
}

/// Every streaming check, failed (or skipped without the mock) because no stream began.
fn unreadable(probe: &Probe, why: &str) -> Vec<Check> {
    let mut checks = vec![Check::fail(EVENTS, EVENTS_CRITERION, why)];
    if probe.api() == Api::Bedrock {
        checks.push(Check::fail(EVENTSTREAM, EVENTSTREAM_CRITERION, why));
    }
    for (id, criterion) in [(PINGS, PINGS_CRITERION), (BUFFERING, BUFFERING_CRITERION)] {
        checks.push(if probe.has_mock() {
            Check::fail(id, criterion, "the stream failed")
        } else {
            Check::needs_mock(id, criterion)
        });
    }
    checks
}

fn events(api: Api, stream: &Stream) -> Check {
    let received = &stream.events;
    let kinds: Vec<&str> = received.iter().filter_map(|r| r.kind.as_deref()).collect();
    let unlabelled = received.iter().filter(|r| !r.labelled(api)).count();
    let in_order = kinds.first() == Some(&"message_start")
        && kinds.last() == Some(&"message_stop")
        && kinds.contains(&"content_block_delta")
        && ["content_block_start", "content_block_stop", "message_delta"]
            .iter()
            .all(|k| kinds.contains(k));
    let sequence = kinds.join(" ");
    if in_order && unlabelled == 0 && stream.broken.is_none() {
        return Check::pass(
            EVENTS,
            EVENTS_CRITERION,
            format!("{} events: {sequence}", kinds.len()),
        );
    }
    let label = match api {
        Api::Bedrock => "not a chunk message",
        Api::Messages | Api::Vertex => "without a matching event: line",
    };
    let mut evidence = format!(
        "{} events ({unlabelled} {label}): {sequence}",
        received.len()
    );
    if let Some(why) = &stream.broken {
        evidence.push_str(&format!("; the stream broke off: {why}"));
    }
    Check::fail(EVENTS, EVENTS_CRITERION, evidence)
        .with_fix("forward the upstream's stream as it is, event: lines and framing included")
}

fn eventstream_framing(stream: &Stream) -> Check {
    let content_type = stream.content_type.as_deref().unwrap_or("none");
    if !content_type.starts_with(eventstream::CONTENT_TYPE) {
        return Check::fail(
            EVENTSTREAM,
            EVENTSTREAM_CRITERION,
            format!(
                "content-type {content_type}: Claude Code falls back to non-streaming /invoke on \
                 every turn"
            ),
        )
        .with_fix(
            "pass application/vnd.amazon.eventstream through untouched: no re-encoding as SSE, \
             no compression",
        );
    }
    match &stream.broken {
        Some(why) if why.contains("frame") => {
            Check::fail(EVENTSTREAM, EVENTSTREAM_CRITERION, why.clone())
                .with_fix("pass the response body through byte for byte: the frames carry CRCs")
        }
        _ => Check::pass(
            EVENTSTREAM,
            EVENTSTREAM_CRITERION,
            format!("{} frames, every CRC valid", stream.events.len()),
        ),
    }
}

fn pings(received: &[Received]) -> Check {
    let seen = received
        .iter()
        .filter(|r| r.kind.as_deref() == Some("ping"))
        .count();
    if seen >= PINGS_SCRIPTED {
        return Check::pass(
            PINGS,
            PINGS_CRITERION,
            format!("{seen} of {PINGS_SCRIPTED} pings arrived"),
        );
    }
    // Claude Code ignores pings; they matter to what sits between it and the gateway.
    let evidence = format!(
        "{seen} of {PINGS_SCRIPTED} scripted pings arrived; Claude Code works without them, but \
         they keep quiet connections alive through proxies with idle timeouts"
    );
    Check::warn(PINGS, PINGS_CRITERION, evidence)
        .with_fix("forward ping events as the upstream sends them")
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
        "the mock wrote {} events over {written_ms:.0} ms; the client received {} over \
         {seen_ms:.0} ms (first byte at {:.0} ms, last at {:.0} ms)",
        written.len(),
        received.len(),
        first_seen.at_ms,
        last_seen.at_ms
    );
    if seen_ms < written_ms * MIN_SPREAD_RATIO {
        return Check::fail(BUFFERING, BUFFERING_CRITERION, evidence).with_fix(
            "stream responses unbuffered (nginx: proxy_buffering off; also no response \
             compression or caching on the streaming routes)",
        );
    }
    if let Some(held) = held_start(&written, received) {
        // The rest streams as written: Claude Code shows the answer live, a moment later.
        return Check::warn(
            BUFFERING,
            BUFFERING_CRITERION,
            format!("{evidence}; {held}"),
        )
        .with_fix("forward message_start as soon as the upstream sends it");
    }
    Check::pass(BUFFERING, BUFFERING_CRITERION, evidence)
}

/// Whether `message_start` was held back until the first text delta: written well before it, but
/// received with it.
fn held_start(written: &[EventTime], received: &[Received]) -> Option<String> {
    let written_at = |kind: &str| written.iter().find(|e| e.event == kind).map(|e| e.at_ms);
    let received_at = |kind: &str| {
        received
            .iter()
            .find(|e| e.kind.as_deref() == Some(kind))
            .map(|e| e.at_ms)
    };
    let written_gap = written_at("content_block_delta")? - written_at("message_start")?;
    let received_gap = received_at("content_block_delta")? - received_at("message_start")?;
    (written_gap > 0.0 && received_gap < written_gap * MIN_SPREAD_RATIO).then(|| {
        format!(
            "message_start was held until the first text delta (written {written_gap:.0} ms \
             before it, received {received_gap:.0} ms before it)"
        )
    })
}
