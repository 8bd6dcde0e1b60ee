//! Scripted behaviour: the `gwscript-mock:` directive in a request body, on all three formats, and
//! the introspection routes that find requests and stream timings by nonce.

mod loopback;

use loopback::{client, post, start};

use gwscript::probe::mock::{MockConfig, MockServer, StreamTiming, eventstream};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const VERTEX: &str = "/v1/projects/acme-ai/locations/us-east5/publishers/anthropic/models/\
                      claude-sonnet-4-5@20250929";
const BEDROCK: &str = "/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0";

/// The last user message carries the directive; an earlier one's is ignored.
fn messages(directive: &Value) -> Value {
    json!([
        { "role": "user", "content": "gwscript-mock: {\"status\":500}" },
        { "role": "assistant", "content": "ok" },
        { "role": "user", "content": [
            { "type": "text", "text": format!("say hello\ngwscript-mock: {directive}") },
        ]},
    ])
}

fn messages_request(directive: &Value, stream: bool) -> Value {
    json!({
        "model": "claude-sonnet-4-5",
        "max_tokens": 64,
        "stream": stream,
        "messages": messages(directive),
    })
}

fn provider_request(version: &str, directive: &Value, stream: bool) -> Value {
    json!({
        "anthropic_version": version,
        "max_tokens": 64,
        "stream": stream,
        "messages": messages(directive),
    })
}

/// The `event:` names of an SSE body, in order.
fn sse_events(body: &str) -> Vec<String> {
    body.lines()
        .filter_map(|line| line.strip_prefix("event: "))
        .map(str::to_owned)
        .collect()
}

/// The text of every `content_block_delta` in an SSE body, in order.
fn sse_deltas(body: &str) -> Vec<String> {
    body.lines()
        .filter_map(|line| line.strip_prefix("data: "))
        .map(|data| serde_json::from_str::<Value>(data).unwrap())
        .filter_map(|event| event["delta"]["text"].as_str().map(str::to_owned))
        .collect()
}

async fn inspect<T: serde::de::DeserializeOwned>(mock: &MockServer, path_and_query: &str) -> T {
    let response = client()
        .get(format!("{}{path_and_query}", mock.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{path_and_query}");
    response.json().await.unwrap()
}

async fn timings(mock: &MockServer, nonce: &str) -> Vec<StreamTiming> {
    inspect(mock, &format!("/_mock/streams?nonce={nonce}")).await
}

/// Milliseconds between consecutive events of a timing.
fn intervals(timing: &StreamTiming) -> Vec<f64> {
    timing
        .events
        .windows(2)
        .map(|pair| pair[1].at_ms - pair[0].at_ms)
        .collect()
}

#[tokio::test]
async fn each_scripted_status_comes_with_anthropics_error_body_and_headers() {
    let mock = start(MockConfig::default()).await;
    let cases = [
        (400, "invalid_request_error", "false", None),
        (401, "authentication_error", "false", None),
        (403, "permission_error", "false", None),
        (429, "rate_limit_error", "true", Some("3")),
        (500, "api_error", "true", None),
        (503, "api_error", "true", None),
        (529, "overloaded_error", "true", Some("1")),
    ];
    for (status, kind, should_retry, retry_after) in cases {
        let directive = if status == 429 {
            json!({ "status": status, "retry_after": 3 })
        } else {
            json!({ "status": status })
        };
        let response = post(&mock, "/v1/messages", &messages_request(&directive, true)).await;
        assert_eq!(response.status(), status);
        let headers = response.headers();
        assert_eq!(headers["x-should-retry"], should_retry, "{status}");
        assert_eq!(
            headers.get("retry-after").map(|v| v.to_str().unwrap()),
            retry_after,
            "{status}"
        );
        assert_eq!(headers["content-type"], "application/json");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["type"], "error");
        assert_eq!(body["error"]["type"], kind, "{status}");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("scripted")
        );
    }
    mock.shutdown().await.unwrap();
}

#[tokio::test]
async fn an_unscripted_status_or_a_malformed_directive_is_a_400_naming_it() {
    let mock = start(MockConfig::default()).await;
    let unscripted = post(
        &mock,
        "/v1/messages",
        &messages_request(&json!({ "status": 418 }), false),
    )
    .await;
    assert_eq!(unscripted.status(), 400);
    let body: Value = unscripted.json().await.unwrap();
    assert!(body["error"]["message"].as_str().unwrap().contains("418"));

    let typo = post(
        &mock,
        "/v1/messages",
        &messages_request(&json!({ "statsu": 429 }), false),
    )
    .await;
    assert_eq!(typo.status(), 400);
    let body: Value = typo.json().await.unwrap();
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("statsu")
    );
    mock.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_delay_holds_back_the_first_byte() {
    let mock = start(MockConfig::default()).await;
    let started = Instant::now();
    let response = post(
        &mock,
        "/v1/messages",
        &messages_request(&json!({ "delay_ms": 300 }), true),
    )
    .await;
    // `send` returns once the status and headers arrived.
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(response.status(), 200);
    mock.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_quiet_gap_falls_after_the_first_text_delta() {
    let mock = start(MockConfig::default()).await;
    let directive = json!({ "nonce": "gap", "gap_ms": 400, "events_pace_ms": 0 });
    let started = Instant::now();
    let response = post(&mock, "/v1/messages", &messages_request(&directive, true)).await;
    let body = response.text().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(400));
    assert_eq!(sse_events(&body).last().unwrap(), "message_stop");

    let timing = &timings(&mock, "gap").await[0];
    let first_delta = timing
        .events
        .iter()
        .position(|e| e.event == "content_block_delta")
        .unwrap();
    for (i, interval) in intervals(timing).into_iter().enumerate() {
        if i == first_delta {
            assert!(interval >= 400.0, "the gap: {interval} ms");
        } else {
            assert!(interval < 300.0, "event {i} waited {interval} ms");
        }
    }
    mock.shutdown().await.unwrap();
}

#[tokio::test]
async fn pings_are_sent_as_many_times_as_asked() {
    let mock = start(MockConfig {
        pace: Duration::ZERO,
        ..MockConfig::default()
    })
    .await;
    for pings in [0, 3] {
        let directive = json!({ "pings": pings });
        let response = post(&mock, "/v1/messages", &messages_request(&directive, true)).await;
        let events = sse_events(&response.text().await.unwrap());
        assert_eq!(events.iter().filter(|e| *e == "ping").count(), pings);
        assert_eq!(events[1], "content_block_start");
        assert_eq!(events.last().unwrap(), "message_stop");
    }
    mock.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_large_answer_has_exactly_the_bytes_asked() {
    let mock = start(MockConfig {
        pace: Duration::ZERO,
        ..MockConfig::default()
    })
    .await;
    let directive = json!({ "answer_bytes": 1_000_000 });
    let whole = post(&mock, "/v1/messages", &messages_request(&directive, false)).await;
    let message: Value = whole.json().await.unwrap();
    assert_eq!(
        message["content"][0]["text"].as_str().unwrap().len(),
        1_000_000
    );

    let directive = json!({ "answer_bytes": 100_000, "events_pace_ms": 0 });
    let streamed = post(&mock, "/v1/messages", &messages_request(&directive, true)).await;
    let deltas = sse_deltas(&streamed.text().await.unwrap());
    assert!(deltas.len() > 1, "a large answer streams in several deltas");
    assert!(deltas.iter().all(|d| d.len() <= 8 * 1024));
    assert_eq!(deltas.iter().map(String::len).sum::<usize>(), 100_000);
    mock.shutdown().await.unwrap();
}

#[tokio::test]
async fn events_are_paced_as_asked() {
    let mock = start(MockConfig::default()).await;
    let directive = json!({ "nonce": "paced", "events_pace_ms": 40 });
    let response = post(&mock, "/v1/messages", &messages_request(&directive, true)).await;
    response.text().await.unwrap();
    let timing = &timings(&mock, "paced").await[0];
    for interval in intervals(timing) {
        assert!(interval >= 39.9, "{interval} ms between events");
    }
    mock.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_directive_works_on_bedrock_and_vertex() {
    let mock = start(MockConfig {
        pace: Duration::ZERO,
        ..MockConfig::default()
    })
    .await;
    let limited = json!({ "status": 429, "retry_after": 7 });
    let bedrock = provider_request("bedrock-2023-05-31", &limited, false);
    let vertex = provider_request("vertex-2023-10-16", &limited, true);
    for (path, body) in [
        (format!("{BEDROCK}/invoke"), &bedrock),
        (format!("{BEDROCK}/invoke-with-response-stream"), &bedrock),
        (format!("{VERTEX}:rawPredict"), &vertex),
        (format!("{VERTEX}:streamRawPredict"), &vertex),
    ] {
        let response = post(&mock, &path, body).await;
        assert_eq!(response.status(), 429, "{path}");
        assert_eq!(response.headers()["retry-after"], "7", "{path}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["error"]["type"], "rate_limit_error", "{path}");
    }

    let scripted = json!({ "nonce": "bedrock", "pings": 2, "gap_ms": 200 });
    let response = post(
        &mock,
        &format!("{BEDROCK}/invoke-with-response-stream"),
        &provider_request("bedrock-2023-05-31", &scripted, false),
    )
    .await;
    let frames = eventstream::decode(&response.bytes().await.unwrap()).unwrap();
    let pings = frames
        .iter()
        .filter(|f| f.chunk_event().unwrap()["type"] == "ping")
        .count();
    assert_eq!(pings, 2);
    let timing = &timings(&mock, "bedrock").await[0];
    assert!(intervals(timing).iter().any(|&ms| ms >= 200.0));

    let scripted = json!({ "nonce": "vertex", "answer_bytes": 20_000 });
    let response = post(
        &mock,
        &format!("{VERTEX}:streamRawPredict"),
        &provider_request("vertex-2023-10-16", &scripted, true),
    )
    .await;
    let deltas = sse_deltas(&response.text().await.unwrap());
    assert_eq!(deltas.iter().map(String::len).sum::<usize>(), 20_000);
    mock.shutdown().await.unwrap();
}

#[tokio::test]
async fn requests_and_streams_are_found_by_nonce() {
    let mock = start(MockConfig {
        pace: Duration::ZERO,
        ..MockConfig::default()
    })
    .await;
    for (nonce, stream) in [("a", false), ("b", true)] {
        let directive = json!({ "nonce": nonce });
        post(&mock, "/v1/messages", &messages_request(&directive, stream))
            .await
            .text()
            .await
            .unwrap();
    }
    post(&mock, "/v1/messages", &messages_request(&json!({}), true))
        .await
        .text()
        .await
        .unwrap();

    let requests: Vec<Value> = inspect(&mock, "/_mock/requests?nonce=a").await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0]["body"]["stream"], false);
    let all: Vec<Value> = inspect(&mock, "/_mock/requests").await;
    assert_eq!(all.len(), 3);
    let none: Vec<Value> = inspect(&mock, "/_mock/requests?nonce=zzz").await;
    assert!(none.is_empty());

    assert!(timings(&mock, "a").await.is_empty(), "a was not streamed");
    let streams = timings(&mock, "b").await;
    assert_eq!(streams.len(), 1);
    let names: Vec<&str> = streams[0].events.iter().map(|e| e.event.as_str()).collect();
    assert_eq!(names.first(), Some(&"message_start"));
    assert_eq!(names.last(), Some(&"message_stop"));
    assert!(intervals(&streams[0]).iter().all(|&ms| ms >= 0.0));
    mock.shutdown().await.unwrap();
}

#[tokio::test]
async fn stream_timings_are_served_to_loopback_hosts_only() {
    let mock = start(MockConfig::default()).await;
    let response = client()
        .get(format!("{}/_mock/streams", mock.base_url()))
        .header("host", "rebound.example:8080")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    mock.shutdown().await.unwrap();
}
