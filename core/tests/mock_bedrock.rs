//! The mock's Claude-on-Bedrock routes through its public API, over real loopback HTTP.

mod loopback;

use loopback::{client, post, start};

use gwscript::probe::mock::{self, MockConfig, eventstream};
use serde_json::{Value, json};
use std::time::Duration;

const MODEL: &str = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

/// Claude Code's Bedrock body: the API version and betas in the body, no model, no `stream`.
fn bedrock_request() -> Value {
    json!({
        "anthropic_version": "bedrock-2023-05-31",
        "anthropic_beta": ["context-management-2025-06-27"],
        "max_tokens": 64,
        "messages": [{ "role": "user", "content": "say hello" }],
    })
}

#[tokio::test]
async fn invoke_answers_like_messages_for_the_model_in_the_path() {
    let mock = start(MockConfig::default()).await;
    let response = post(&mock, &format!("/model/{MODEL}/invoke"), &bedrock_request()).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    let message: Value = response.json().await.unwrap();
    assert_eq!(message["type"], "message");
    assert_eq!(message["model"], MODEL);
    assert_eq!(message["content"][0]["text"], mock::DEFAULT_REPLY);
    let recorded = mock.requests();
    assert_eq!(
        recorded[0].body["anthropic_beta"],
        json!(["context-management-2025-06-27"])
    );
    mock.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_response_stream_is_valid_event_stream_chunks_of_the_messages_events() {
    let config = MockConfig {
        reply: "one two three".to_owned(),
        pace: Duration::from_millis(1),
        ..MockConfig::default()
    };
    let mock = start(config).await;
    let response = post(
        &mock,
        &format!("/model/{MODEL}/invoke-with-response-stream"),
        &bedrock_request(),
    )
    .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.amazon.eventstream"
    );
    let body = response.bytes().await.unwrap();
    let messages = eventstream::decode(&body).unwrap();
    for message in &messages {
        assert_eq!(message.header(":event-type"), Some("chunk"));
        assert_eq!(message.header(":message-type"), Some("event"));
    }
    let events: Vec<Value> = messages.iter().map(|m| m.chunk_event().unwrap()).collect();
    let kinds: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "message_start",
            "content_block_start",
            "ping",
            "content_block_delta",
            "content_block_delta",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop",
        ]
    );
    assert_eq!(events[0]["message"]["model"], MODEL);
    let text: String = events
        .iter()
        .filter_map(|e| e["delta"]["text"].as_str())
        .collect();
    assert_eq!(text, "one two three");
    mock.shutdown().await.unwrap();
}

#[tokio::test]
async fn invoke_refuses_a_body_without_anthropic_version() {
    let mock = start(MockConfig::default()).await;
    let mut body = bedrock_request();
    body.as_object_mut().unwrap().remove("anthropic_version");
    for route in ["invoke", "invoke-with-response-stream"] {
        let response = post(&mock, &format!("/model/{MODEL}/{route}"), &body).await;
        assert_eq!(response.status(), 400, "{route}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(
            error["error"]["message"],
            "anthropic_version: Field required"
        );
    }
    mock.shutdown().await.unwrap();
}

#[tokio::test]
async fn inference_profiles_lists_system_defined_claude_profiles() {
    let mock = start(MockConfig::default()).await;
    let response = client()
        .get(format!(
            "{}/inference-profiles?type=SYSTEM_DEFINED",
            mock.base_url()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let list: Value = response.json().await.unwrap();
    let profiles = list["inferenceProfileSummaries"].as_array().unwrap();
    assert!(!profiles.is_empty());
    for profile in profiles {
        assert!(
            profile["inferenceProfileId"]
                .as_str()
                .unwrap()
                .contains("anthropic.claude")
        );
        assert_eq!(profile["type"], "SYSTEM_DEFINED");
    }
    mock.shutdown().await.unwrap();
}
