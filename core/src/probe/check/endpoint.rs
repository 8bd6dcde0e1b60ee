//! Criterion 1, endpoints of the Messages API: `/v1/messages?beta=true`, count_tokens, and a base
//! URL Claude Code can append `/v1/messages` to.

use super::{Check, Probe, excerpt, request_body};
use serde_json::{Value, json};

const MESSAGES: &str = "endpoint.messages";
const MESSAGES_CRITERION: &str = "POST /v1/messages?beta=true answers 200 with a Messages body";
const COUNT_TOKENS: &str = "endpoint.count_tokens";
const COUNT_TOKENS_CRITERION: &str =
    "POST /v1/messages/count_tokens?beta=true answers with input_tokens (a clean 404 is tolerated)";
const BASE_URL: &str = "endpoint.base_url";
const BASE_URL_CRITERION: &str = "the base URL does not end in /v1";

pub(super) async fn checks(probe: &Probe) -> Vec<Check> {
    vec![
        base_url(probe),
        messages(probe).await,
        count_tokens(probe).await,
    ]
}

fn base_url(probe: &Probe) -> Check {
    let url = super::shown_url(&probe.target.url);
    let url = url.trim_end_matches('/');
    if url.ends_with("/v1") {
        Check::fail(BASE_URL, BASE_URL_CRITERION, format!("{url} ends in /v1")).with_fix(
            "drop the trailing /v1: Claude Code appends /v1/messages to ANTHROPIC_BASE_URL",
        )
    } else {
        Check::pass(
            BASE_URL,
            BASE_URL_CRITERION,
            format!("{url} has no trailing /v1"),
        )
    }
}

async fn messages(probe: &Probe) -> Check {
    let (body, _) = request_body(probe, json!({}), false);
    let response = match probe.messages(&body).await {
        Ok(response) => response,
        Err(why) => return Check::fail(MESSAGES, MESSAGES_CRITERION, why),
    };
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    let message: Option<Value> = serde_json::from_str(&text).ok();
    let is_message = message.as_ref().is_some_and(|m| {
        m.get("type").and_then(Value::as_str) == Some("message")
            && m.get("content").is_some_and(Value::is_array)
    });
    if status == 200 && is_message {
        Check::pass(MESSAGES, MESSAGES_CRITERION, "200 with a message body")
    } else {
        let evidence = format!("{status}: {}", excerpt(&text));
        Check::fail(MESSAGES, MESSAGES_CRITERION, evidence).with_fix(
            "route POST /v1/messages (with its query string) to an Anthropic Messages upstream",
        )
    }
}

async fn count_tokens(probe: &Probe) -> Check {
    let (body, _) = request_body(probe, json!({}), false);
    let sent = probe
        .post("/v1/messages/count_tokens?beta=true")
        .json(&body)
        .send()
        .await;
    let response = match sent {
        Ok(response) => response,
        Err(e) => return Check::fail(COUNT_TOKENS, COUNT_TOKENS_CRITERION, super::describe(&e)),
    };
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    let counted = serde_json::from_str::<Value>(&text)
        .ok()
        .is_some_and(|v| v.get("input_tokens").is_some_and(Value::is_u64));
    match status {
        200 if counted => Check::pass(
            COUNT_TOKENS,
            COUNT_TOKENS_CRITERION,
            "200 with input_tokens",
        ),
        404 if !super::is_html(None, &text) => Check::warn(
            COUNT_TOKENS,
            COUNT_TOKENS_CRITERION,
            "404: Claude Code falls back to estimating tokens",
        )
        .with_fix("route POST /v1/messages/count_tokens to the upstream for exact counts"),
        _ => Check::fail(
            COUNT_TOKENS,
            COUNT_TOKENS_CRITERION,
            format!("{status}: {}", excerpt(&text)),
        )
        .with_fix("answer count_tokens with the upstream's answer, or with a JSON 404"),
    }
}
