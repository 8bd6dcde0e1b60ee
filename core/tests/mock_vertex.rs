//! The mock's Vertex AI routes (Claude's rawPredict and Google's token endpoint) through its
//! public API, over real loopback HTTP.

mod loopback;

use loopback::{client, post, start};

use gwscript::probe::mock::{self, MockConfig};
use serde_json::{Value, json};

const PREDICT: &str = "/v1/projects/acme-ai/locations/us-east5/publishers/anthropic/models/\
                       claude-sonnet-4-5@20250929";

/// Claude Code's Vertex body: the API version in the body, no model.
fn vertex_request(stream: bool) -> Value {
    json!({
        "anthropic_version": "vertex-2023-10-16",
        "max_tokens": 64,
        "stream": stream,
        "messages": [{ "role": "user", "content": "say hello" }],
    })
}

#[tokio::test]
async fn raw_predict_answers_like_messages_for_the_model_in_the_path() {
    let mock = start(MockConfig::default()).await;
    let response = post(
        &mock,
        &format!("{PREDICT}:rawPredict"),
        &vertex_request(false),
    )
    .await;
    assert_eq!(response.status(), 200);
    let message: Value = response.json().await.unwrap();
    assert_eq!(message["type"], "message");
    assert_eq!(message["model"], "claude-sonnet-4-5@20250929");
    assert_eq!(message["content"][0]["text"], mock::DEFAULT_REPLY);

    let streamed = post(
        &mock,
        &format!("{PREDICT}:streamRawPredict"),
        &vertex_request(true),
    )
    .await;
    assert_eq!(streamed.status(), 200);
    assert_eq!(streamed.headers()["content-type"], "text/event-stream");
    let body = streamed.text().await.unwrap();
    assert!(body.starts_with("event: message_start\n"), "{body}");
    assert!(body.contains("\"model\":\"claude-sonnet-4-5@20250929\""));
    assert!(body.ends_with("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));

    let recorded = mock.requests();
    assert_eq!(recorded.len(), 2);
    assert!(
        recorded[1]
            .path
            .ends_with("claude-sonnet-4-5@20250929:streamRawPredict")
    );
    mock.shutdown().await.unwrap();
}

#[tokio::test]
async fn raw_predict_refuses_what_vertex_refuses() {
    let mock = start(MockConfig::default()).await;
    let mut without_version = vertex_request(false);
    without_version
        .as_object_mut()
        .unwrap()
        .remove("anthropic_version");
    let response = post(&mock, &format!("{PREDICT}:rawPredict"), &without_version).await;
    assert_eq!(response.status(), 400);
    let error: Value = response.json().await.unwrap();
    assert_eq!(
        error["error"]["message"],
        "anthropic_version: Field required"
    );

    let unknown = post(&mock, &format!("{PREDICT}:predict"), &vertex_request(false)).await;
    assert_eq!(unknown.status(), 404);
    let no_action = post(&mock, PREDICT, &vertex_request(false)).await;
    assert_eq!(no_action.status(), 404);
    assert_eq!(
        mock.requests().len(),
        3,
        "refused requests are recorded too"
    );
    mock.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_token_endpoint_issues_a_bearer_token() {
    let mock = start(MockConfig::default()).await;
    let response = client()
        .post(format!("{}/token", mock.base_url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=a.b.c")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let token: Value = response.json().await.unwrap();
    assert_eq!(token["token_type"], "Bearer");
    assert!(token["access_token"].as_str().unwrap().starts_with("ya29."));
    assert!(token["expires_in"].as_u64().unwrap() > 0);
    mock.shutdown().await.unwrap();
}
