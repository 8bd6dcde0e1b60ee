//! Criterion 1, the endpoints of the chosen format: the prompt route answers with a Messages body
//! (Messages `/v1/messages?beta=true`, Bedrock `invoke`, Vertex `:rawPredict`; the streaming routes
//! are the stream checks'), Messages' optional count_tokens, Bedrock's `inference-profiles` (which
//! may be refused), and a base URL the client can append its paths to.

use super::evidence::{excerpt, is_html, shown_url};
use super::{Api, Check, Probe};
use serde_json::{Value, json};

const BASE_URL: &str = "endpoint.base_url";
const PROMPT: &str = "endpoint.prompt";
const COUNT_TOKENS: &str = "endpoint.count_tokens";
const COUNT_TOKENS_CRITERION: &str =
    "POST /v1/messages/count_tokens?beta=true answers with input_tokens (a clean 404 is tolerated)";
const PROFILES: &str = "endpoint.inference_profiles";
const PROFILES_CRITERION: &str =
    "GET /inference-profiles?type=SYSTEM_DEFINED answers, or is refused cleanly";

pub(super) async fn checks(probe: &Probe) -> Vec<Check> {
    let mut checks = vec![base_url(probe), prompt(probe).await];
    match probe.api() {
        Api::Messages => checks.push(count_tokens(probe).await),
        Api::Bedrock => checks.push(inference_profiles(probe).await),
        Api::Vertex => {}
    }
    checks
}

fn base_url(probe: &Probe) -> Check {
    let url = shown_url(&probe.target.url);
    let url = url.trim_end_matches('/');
    // What the client appends, and what a base URL must therefore not end in.
    let (criterion, wrong_end, fix) = match probe.api() {
        Api::Messages => (
            "the base URL does not end in /v1",
            "/v1",
            "drop the trailing /v1: Claude Code appends /v1/messages to ANTHROPIC_BASE_URL",
        ),
        Api::Bedrock => (
            "the base URL does not end in /model",
            "/model",
            "drop the trailing /model: Claude Code appends /model/{id}/… to ANTHROPIC_BEDROCK_BASE_URL",
        ),
        Api::Vertex => (
            "the base URL does not end in /projects",
            "/projects",
            "end ANTHROPIC_VERTEX_BASE_URL before /projects (usually in /v1): Claude Code appends /projects/{p}/locations/…",
        ),
    };
    if url.ends_with(wrong_end) {
        Check::fail(BASE_URL, criterion, format!("{url} ends in {wrong_end}")).with_fix(fix)
    } else {
        Check::pass(
            BASE_URL,
            criterion,
            format!("{url} has no trailing {wrong_end}"),
        )
    }
}

fn prompt_criterion(api: Api) -> &'static str {
    match api {
        Api::Messages => "POST /v1/messages?beta=true answers 200 with a Messages body",
        Api::Bedrock => "POST /model/{id}/invoke answers 200 with a Messages body",
        Api::Vertex => "POST …/models/{model}:rawPredict answers 200 with a Messages body",
    }
}

async fn prompt(probe: &Probe) -> Check {
    let criterion = prompt_criterion(probe.api());
    let prompt = probe.prompt(json!({}), false);
    let response = match probe.send(&prompt).await {
        Ok(response) => response,
        Err(why) => return Check::fail(PROMPT, criterion, why),
    };
    let status = response.status().as_u16();
    let text = response.text().await.unwrap_or_default();
    let message: Option<Value> = serde_json::from_str(&text).ok();
    let is_message = message.as_ref().is_some_and(|m| {
        m.get("type").and_then(Value::as_str) == Some("message")
            && m.get("content").is_some_and(Value::is_array)
    });
    if status == 200 && is_message {
        return Check::pass(PROMPT, criterion, "200 with a message body");
    }
    let fix = match probe.api() {
        Api::Messages => {
            "route POST /v1/messages (with its query string) to an Anthropic Messages upstream"
        }
        Api::Bedrock => {
            "route POST /model/{id}/invoke and /model/{id}/invoke-with-response-stream to Bedrock, model id in the path untouched"
        }
        Api::Vertex => {
            "route POST {base}/projects/{p}/locations/{r}/publishers/anthropic/models/{m}:rawPredict and :streamRawPredict to Vertex AI"
        }
    };
    let mut evidence = format!("{status}: {}", excerpt(&text));
    if status == 404 && probe.target.model.is_none() {
        evidence.push_str(&format!(
            " (the probe asked for {}; give --model an id the gateway serves)",
            probe.model()
        ));
    }
    Check::fail(PROMPT, criterion, evidence).with_fix(fix)
}

async fn count_tokens(probe: &Probe) -> Check {
    // count_tokens takes the prompt alone: the Messages API refuses max_tokens, stream or
    // metadata there.
    let mut prompt = probe.prompt(json!({}), false);
    if let Some(body) = prompt.body.as_object_mut() {
        body.retain(|key, _| ["model", "system", "messages"].contains(&key.as_str()));
    }
    let sent = probe
        .post_to(
            "/v1/messages/count_tokens?beta=true",
            &prompt,
            &probe.target.credential,
        )
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
        404 if !is_html(None, &text) => Check::warn(
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

/// Claude Code asks once at start; a refusal only costs it the profile list.
async fn inference_profiles(probe: &Probe) -> Check {
    let request = super::authenticate(
        probe
            .client
            .get(probe.url("/inference-profiles?type=SYSTEM_DEFINED")),
        &probe.target.credential,
    );
    let response = match request.send().await {
        Ok(response) => response,
        Err(e) => return Check::fail(PROFILES, PROFILES_CRITERION, super::describe(&e)),
    };
    let status = response.status().as_u16();
    let content_type = super::evidence::header(&response, "content-type");
    let text = response.text().await.unwrap_or_default();
    match status {
        200 => Check::pass(PROFILES, PROFILES_CRITERION, "200"),
        400..=499 if !is_html(content_type.as_deref(), &text) => Check::pass(
            PROFILES,
            PROFILES_CRITERION,
            format!("refused with {status}, which Claude Code tolerates"),
        ),
        _ => Check::warn(
            PROFILES,
            PROFILES_CRITERION,
            format!("{status}: {}", excerpt(&text)),
        )
        .with_fix(
            "answer GET /inference-profiles from Bedrock, or refuse it with a JSON 403 or 404",
        ),
    }
}
