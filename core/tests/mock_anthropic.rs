//! The Anthropic mock provider through its public API, over real loopback HTTP.

mod loopback;

use loopback::{client, start};

use gwscript::probe::mock::{self, MockConfig, RecordedRequest};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

fn message_request(stream: bool) -> Value {
    json!({
        "model": "claude-sonnet-4-5",
        "max_tokens": 64,
        "stream": stream,
        "messages": [{ "role": "user", "content": "say hello" }],
    })
}

/// Splits an SSE body into `(event line, parsed data)` pairs, asserting the framing.
fn parse_sse(body: &str) -> Vec<(String, Value)> {
    assert!(
        body.ends_with("\n\n"),
        "stream must end with a blank line: {body:?}"
    );
    body.trim_end()
        .split("\n\n")
        .map(|frame| {
            let mut lines = frame.lines();
            let event = lines
                .next()
                .and_then(|l| l.strip_prefix("event: "))
                .expect(frame);
            let data = lines
                .next()
                .and_then(|l| l.strip_prefix("data: "))
                .expect(frame);
            assert_eq!(lines.next(), None, "one data line per event: {frame:?}");
            (event.to_owned(), serde_json::from_str(data).unwrap())
        })
        .collect()
}

#[tokio::test]
async fn non_streaming_reply_is_a_messages_api_message() {
    let mock = start(MockConfig::default()).await;
    let response = client()
        .post(format!("{}/v1/messages", mock.base_url()))
        .json(&message_request(false))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    let message: Value = response.json().await.unwrap();
    assert!(message["id"].as_str().unwrap().starts_with("msg_"));
    assert_eq!(message["type"], "message");
    assert_eq!(message["role"], "assistant");
    assert_eq!(message["model"], "claude-sonnet-4-5");
    assert_eq!(
        message["content"],
        json!([{ "type": "text", "text": mock::DEFAULT_REPLY }])
    );
    assert_eq!(message["stop_reason"], "end_turn");
    assert!(message["usage"]["input_tokens"].as_u64().unwrap() > 0);
    assert!(message["usage"]["output_tokens"].as_u64().unwrap() > 0);
    mock.shutdown().await.unwrap();
}

#[tokio::test]
async fn streaming_reply_sends_the_full_event_sequence() {
    let config = MockConfig {
        reply: "one two three".to_owned(),
        pace: Duration::from_millis(1),
        ..MockConfig::default()
    };
    let mock = start(config).await;
    let response = client()
        .post(format!("{}/v1/messages?beta=true", mock.base_url()))
        .json(&message_request(true))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    assert!(response.headers().get("x-accel-buffering").is_none());
    let events = parse_sse(&response.text().await.unwrap());

    let names: Vec<&str> = events.iter().map(|(name, _)| name.as_str()).collect();
    let expected = [
        "message_start",
        "content_block_start",
        "ping",
        "content_block_delta",
        "content_block_delta",
        "content_block_delta",
        "content_block_stop",
        "message_delta",
        "message_stop",
    ];
    assert_eq!(names, expected);
    for (name, data) in &events {
        assert_eq!(
            data["type"],
            name.as_str(),
            "data.type matches the event line"
        );
    }
    let start = &events[0].1["message"];
    assert_eq!(start["model"], "claude-sonnet-4-5");
    assert!(start["id"].as_str().unwrap().starts_with("msg_"));
    let text: String = events
        .iter()
        .filter(|(name, _)| name == "content_block_delta")
        .map(|(_, data)| data["delta"]["text"].as_str().unwrap())
        .collect();
    assert_eq!(text, "one two three");
    let delta = &events[7].1;
    assert_eq!(delta["delta"]["stop_reason"], "end_turn");
    assert!(delta["usage"]["output_tokens"].as_u64().unwrap() > 0);
    mock.shutdown().await.unwrap();
}

#[tokio::test]
async fn pacing_spreads_events_so_buffering_is_detectable() {
    let pace = Duration::from_millis(60);
    let mock = start(MockConfig {
        pace,
        ..MockConfig::default()
    })
    .await;
    let started = Instant::now();
    let mut response = client()
        .post(format!("{}/v1/messages", mock.base_url()))
        .json(&message_request(true))
        .send()
        .await
        .unwrap();
    let first = response.chunk().await.unwrap().expect("a first chunk");
    let time_to_first_byte = started.elapsed();
    let mut body = first.to_vec();
    while let Some(chunk) = response.chunk().await.unwrap() {
        body.extend_from_slice(&chunk);
    }
    let total = started.elapsed();
    let events = parse_sse(std::str::from_utf8(&body).unwrap()).len();
    let gaps = u32::try_from(events - 1).unwrap();
    assert!(
        total >= pace * gaps,
        "{total:?} for {events} events paced {pace:?}"
    );
    assert!(
        time_to_first_byte * 3 < total,
        "first byte after {time_to_first_byte:?} of {total:?}: the stream was not paced"
    );
    mock.shutdown().await.unwrap();
}

#[tokio::test]
async fn count_tokens_is_deterministic_and_grows_with_the_body() {
    let mock = start(MockConfig::default()).await;
    let url = format!("{}/v1/messages/count_tokens", mock.base_url());
    let count = |body: Value| {
        let request = client().post(&url).json(&body);
        async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 200);
            let counted: Value = response.json().await.unwrap();
            counted["input_tokens"].as_u64().unwrap()
        }
    };
    let small = message_request(false);
    let mut large = small.clone();
    large["messages"][0]["content"] = json!("say hello ".repeat(100));
    let (a, b, c) = (
        count(small.clone()).await,
        count(small).await,
        count(large).await,
    );
    assert_eq!(a, b);
    assert!(a > 0 && c > a, "{a} {c}");
    mock.shutdown().await.unwrap();
}

#[tokio::test]
async fn head_root_answers_the_warm_up() {
    let mock = start(MockConfig::default()).await;
    let response = client()
        .head(format!("{}/", mock.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.bytes().await.unwrap().is_empty());
    mock.shutdown().await.unwrap();
}

#[tokio::test]
async fn malformed_requests_get_anthropic_error_bodies() {
    let mock = start(MockConfig::default()).await;
    let url = format!("{}/v1/messages", mock.base_url());
    for body in ["not json", r#"{"messages": []}"#] {
        let response = client().post(&url).body(body).send().await.unwrap();
        assert_eq!(response.status(), 400, "{body}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["type"], "error");
        assert_eq!(error["error"]["type"], "invalid_request_error");
    }
    let response = client()
        .post(format!("{}/v1/complete", mock.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["error"]["type"], "not_found_error");
    let response = client().get(&url).send().await.unwrap();
    assert_eq!(response.status(), 405, "the Messages route takes POST only");
    let methods: Vec<_> = mock.requests().into_iter().map(|r| r.method).collect();
    assert_eq!(
        methods,
        ["POST", "POST", "POST", "GET"],
        "every request is recorded"
    );
    mock.shutdown().await.unwrap();
}

/// Model discovery as Claude Code asks for it: one page of Claude ids.
#[tokio::test]
async fn the_model_list_pages_claude_ids() {
    let mock = start(MockConfig::default()).await;
    let response = client()
        .get(format!("{}/v1/models?limit=1000", mock.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let page: Value = response.json().await.unwrap();
    let ids: Vec<&str> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert!(
        !ids.is_empty() && ids.iter().all(|id| id.starts_with("claude-")),
        "{page}"
    );
    assert_eq!(page["has_more"], false);
    assert_eq!(page["first_id"], ids[0]);
    mock.shutdown().await.unwrap();
}

#[tokio::test]
async fn every_request_is_recorded_with_query_headers_and_body() {
    let mock = start(MockConfig::default()).await;
    let base = mock.base_url();
    client()
        .post(format!("{base}/v1/messages?beta=true"))
        .header("Anthropic-Version", "2023-06-01")
        .header("anthropic-beta", "a-1")
        .header("anthropic-beta", "b-2")
        .json(&message_request(false))
        .send()
        .await
        .unwrap();
    client()
        .post(format!("{base}/nowhere"))
        .body("plain text")
        .send()
        .await
        .unwrap();
    client().head(format!("{base}/")).send().await.unwrap();

    let listed: Vec<RecordedRequest> = client()
        .get(format!("{base}{}", mock::REQUESTS_PATH))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let recorded = mock.requests();
    assert_eq!(
        listed, recorded,
        "the inspection route serves the same records"
    );
    assert_eq!(
        recorded.len(),
        3,
        "inspection requests are not recorded: {recorded:#?}"
    );

    let post = &recorded[0];
    assert_eq!((post.seq, post.method.as_str()), (0, "POST"));
    assert_eq!(post.path, "/v1/messages");
    assert_eq!(post.query.as_deref(), Some("beta=true"));
    assert_eq!(post.header("anthropic-version"), Some("2023-06-01"));
    let betas: Vec<&str> = post
        .headers
        .iter()
        .filter(|(name, _)| name == "anthropic-beta")
        .map(|(_, value)| value.as_str())
        .collect();
    assert_eq!(
        betas,
        ["a-1", "b-2"],
        "repeated headers stay separate, in order"
    );
    assert!(
        post.headers
            .iter()
            .all(|(name, _)| *name == name.to_ascii_lowercase())
    );
    assert_eq!(post.body, message_request(false));

    let (other, warm_up) = (&recorded[1], &recorded[2]);
    assert_eq!(
        (other.path.as_str(), &other.body),
        ("/nowhere", &json!("plain text"))
    );
    assert_eq!(
        (warm_up.method.as_str(), warm_up.path.as_str()),
        ("HEAD", "/")
    );
    assert_eq!(warm_up.body, Value::Null);
    mock.shutdown().await.unwrap();
}

#[tokio::test]
async fn recording_keeps_only_the_newest_requests() {
    let mock = start(MockConfig {
        max_recorded: 2,
        ..MockConfig::default()
    })
    .await;
    for _ in 0..5 {
        client()
            .head(format!("{}/", mock.base_url()))
            .send()
            .await
            .unwrap();
    }
    let seqs: Vec<u64> = mock.requests().iter().map(|r| r.seq).collect();
    assert_eq!(seqs, [3, 4]);
    mock.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_records_are_served_to_loopback_hosts_only() {
    let mock = start(MockConfig::default()).await;
    let url = format!("{}{}", mock.base_url(), mock::REQUESTS_PATH);
    // A page that rebinds its own name to 127.0.0.1 still sends that name as Host.
    let rebound = client()
        .get(&url)
        .header("host", "attacker.example")
        .send()
        .await
        .unwrap();
    assert_eq!(rebound.status(), 403);
    let local = client().get(&url).send().await.unwrap();
    assert_eq!(local.status(), 200);
    mock.shutdown().await.unwrap();
}

#[tokio::test]
async fn recorded_bodies_are_bounded_in_total() {
    let mock = start(MockConfig::default()).await;
    // Three 30 MB bodies: together past the record's budget, so the oldest is dropped.
    let body = "x".repeat(30 * 1024 * 1024);
    for _ in 0..3 {
        client()
            .post(format!("{}/v1/messages", mock.base_url()))
            .header("content-type", "text/plain")
            .body(body.clone())
            .send()
            .await
            .unwrap();
    }
    let kept = mock.requests();
    let held: usize = kept
        .iter()
        .map(|r| r.body.as_str().map_or(0, str::len))
        .sum();
    assert!(
        held <= 64 * 1024 * 1024,
        "{held} body bytes kept in {} records",
        kept.len()
    );
    assert_eq!(kept.len(), 2, "the newest that fit are kept");
    assert_eq!(kept.last().map(|r| r.seq), Some(2));
    mock.shutdown().await.unwrap();
}
