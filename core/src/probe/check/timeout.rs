//! Criterion 7, timeouts: a stream that goes quiet for `--idle-test` seconds mid-answer survives
//! (when it is cut, the silence it survived is the effective idle limit), and a long answer that
//! keeps streaming for as long survives a limit on total response time. Both need the mock to
//! script the stream, and run side by side.

use super::receive::{Stream, receive};
use super::{Check, Probe, REQUEST_TIMEOUT};
use serde_json::json;
use std::time::Duration;

const IDLE: &str = "timeout.idle";
const IDLE_CRITERION: &str = "a stream quiet for --idle-test seconds mid-answer survives";
const LONG: &str = "timeout.long_answer";
const LONG_CRITERION: &str =
    "an answer that streams for --idle-test seconds in all arrives complete";

/// The long answer's size: 128 deltas of 8 KiB.
const LONG_BYTES: usize = 1024 * 1024;
const LONG_EVENTS: u64 = 134;

const IDLE_FIX: &str = "let streams stay quiet for at least 300 s, as Claude Code does (nginx: \
                        proxy_read_timeout 3600s; load balancers and proxies: idle timeout above \
                        300 s; forward pings)";
const LONG_FIX: &str = "remove the limit on total response time for the streaming routes (Envoy \
                        route timeout: 0s; AWS API Gateway's 29 s limit needs response streaming)";

pub(super) async fn checks(probe: &Probe) -> Vec<Check> {
    let idle = probe.target.idle;
    if idle.is_zero() {
        return vec![
            Check::skip(IDLE, IDLE_CRITERION, "--idle-test 0"),
            Check::skip(LONG, LONG_CRITERION, "--idle-test 0"),
        ];
    }
    if !probe.has_mock() {
        return vec![
            Check::needs_mock(IDLE, IDLE_CRITERION),
            Check::needs_mock(LONG, LONG_CRITERION),
        ];
    }
    let (quiet, long) = tokio::join!(quiet_stream(probe, idle), long_stream(probe, idle));
    vec![quiet, long]
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// Whether the stream arrived whole: through `message_stop`, unbroken.
fn complete(stream: &Stream) -> bool {
    stream.broken.is_none()
        && stream
            .events
            .last()
            .is_some_and(|e| e.kind.as_deref() == Some("message_stop"))
}

/// How the stream ended early, for evidence.
fn cut(stream: &Stream) -> String {
    match &stream.broken {
        Some(why) => format!("it broke off ({why})"),
        None => "it ended without message_stop".to_owned(),
    }
}

async fn quiet_stream(probe: &Probe, idle: Duration) -> Check {
    let gap_ms = millis(idle);
    let prompt = probe.prompt(json!({ "gap_ms": gap_ms }), true);
    let stream = match receive(probe, &prompt, idle + REQUEST_TIMEOUT).await {
        Ok(stream) => stream,
        Err(why) => return Check::fail(IDLE, IDLE_CRITERION, why),
    };
    let secs = idle.as_secs_f64();
    if complete(&stream) {
        return Check::pass(
            IDLE,
            IDLE_CRITERION,
            format!("a {secs:.0} s quiet gap mid-stream survived"),
        );
    }
    let last_ms = stream.events.last().map_or(0.0, |e| e.at_ms);
    let silence = (stream.ended_ms - last_ms) / 1e3;
    let evidence = format!(
        "the mock went quiet for {secs:.0} s after the first text delta; {} after {silence:.1} s \
         of silence: the effective idle limit is about {silence:.1} s",
        cut(&stream)
    );
    Check::fail(IDLE, IDLE_CRITERION, evidence).with_fix(IDLE_FIX)
}

async fn long_stream(probe: &Probe, length: Duration) -> Check {
    let pace_ms = millis(length) / LONG_EVENTS;
    let directive = json!({ "answer_bytes": LONG_BYTES, "events_pace_ms": pace_ms });
    let prompt = probe.prompt(directive, true);
    let stream = match receive(probe, &prompt, length + REQUEST_TIMEOUT).await {
        Ok(stream) => stream,
        Err(why) => return Check::fail(LONG, LONG_CRITERION, why),
    };
    let events = stream.events.len();
    let lasted = stream.ended_ms / 1e3;
    if complete(&stream) {
        return Check::pass(
            LONG,
            LONG_CRITERION,
            format!(
                "a 1 MiB answer streamed over {lasted:.0} s arrived complete ({events} events, \
                 one every {pace_ms} ms)"
            ),
        );
    }
    let evidence = format!(
        "a 1 MiB answer paced at one event every {pace_ms} ms: {} after {lasted:.1} s and \
         {events} events",
        cut(&stream)
    );
    Check::fail(LONG, LONG_CRITERION, evidence).with_fix(LONG_FIX)
}
