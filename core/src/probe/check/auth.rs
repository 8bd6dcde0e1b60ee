//! Criterion 6, authentication: a wrong token is refused with a clean 401, and whether the
//! gateway accepts `x-api-key` (it decides between `ANTHROPIC_API_KEY` and `ANTHROPIC_AUTH_TOKEN`).

use super::{Check, Credential, Probe, excerpt, is_html, request_body};
use crate::probe::mock::credential_fingerprint;
use serde_json::json;

const BAD_TOKEN: &str = "auth.bad_token";
const BAD_TOKEN_CRITERION: &str = "a wrong bearer token is answered 401 (not 200, 500 or HTML)";
const API_KEY: &str = "auth.x_api_key";
const API_KEY_CRITERION: &str = "whether the gateway accepts x-api-key";

/// A token no gateway issued.
const WRONG_TOKEN: &str = "gwscript-probe-wrong-token";

pub(super) async fn checks(probe: &Probe) -> Vec<Check> {
    vec![bad_token(probe).await, api_key(probe).await]
}

async fn bad_token(probe: &Probe) -> Check {
    let (body, nonce) = request_body(probe, json!({}), false);
    let sent = probe
        .client
        .post(probe.url("/v1/messages?beta=true"))
        .header("anthropic-version", super::ANTHROPIC_VERSION)
        .bearer_auth(WRONG_TOKEN)
        .json(&body)
        .send()
        .await;
    let response = match sent {
        Ok(response) => response,
        Err(e) => return Check::fail(BAD_TOKEN, BAD_TOKEN_CRITERION, super::describe(&e)),
    };
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let text = response.text().await.unwrap_or_default();
    if status == 401 && !is_html(content_type.as_deref(), &text) {
        return Check::pass(BAD_TOKEN, BAD_TOKEN_CRITERION, "401");
    }
    if status == 200 && forwarded_wrong_token(probe, &nonce).await {
        // Pass-through authentication: the upstream decides, and a real provider answers 401.
        return Check::warn(
            BAD_TOKEN,
            BAD_TOKEN_CRITERION,
            "200: the gateway forwarded the wrong token to the upstream unchecked (the mock \
             checks no credentials; a real provider would answer 401)",
        )
        .with_fix("if the gateway should authenticate clients itself, make it check the token");
    }
    let html = if is_html(content_type.as_deref(), &text) {
        " (an HTML page)"
    } else {
        ""
    };
    Check::fail(
        BAD_TOKEN,
        BAD_TOKEN_CRITERION,
        format!("{status}{html}: {}", excerpt(&text)),
    )
    .with_fix("answer a wrong credential with 401 and a JSON error body; Claude Code then asks to log in again")
}

/// Whether the mock got the request for `nonce` with the wrong token in `authorization`.
async fn forwarded_wrong_token(probe: &Probe, nonce: &str) -> bool {
    let expected = format!("Bearer {}", credential_fingerprint(WRONG_TOKEN));
    probe
        .arrived(nonce)
        .await
        .is_ok_and(|request| request.header("authorization") == Some(expected.as_str()))
}

async fn api_key(probe: &Probe) -> Check {
    let key = match &probe.target.credential {
        Credential::Bearer(secret) | Credential::ApiKey(secret) => secret.as_str(),
        // No credential given: any key shows whether the header is refused outright.
        Credential::None => "gwscript-probe-key",
    };
    let (body, _) = request_body(probe, json!({}), false);
    let sent = probe
        .client
        .post(probe.url("/v1/messages?beta=true"))
        .header("anthropic-version", super::ANTHROPIC_VERSION)
        .header("x-api-key", key)
        .json(&body)
        .send()
        .await;
    let response = match sent {
        Ok(response) => response,
        Err(e) => return Check::fail(API_KEY, API_KEY_CRITERION, super::describe(&e)),
    };
    let status = response.status().as_u16();
    match status {
        200 => Check::pass(
            API_KEY,
            API_KEY_CRITERION,
            "x-api-key accepted: ANTHROPIC_API_KEY works",
        ),
        401 | 403 => Check::warn(
            API_KEY,
            API_KEY_CRITERION,
            format!(
                "x-api-key refused ({status}): emit ANTHROPIC_AUTH_TOKEN, not ANTHROPIC_API_KEY"
            ),
        ),
        _ => {
            let text = response.text().await.unwrap_or_default();
            Check::fail(
                API_KEY,
                API_KEY_CRITERION,
                format!("{status}: {}", excerpt(&text)),
            )
            .with_fix("answer x-api-key with 200 or a clean 401")
        }
    }
}
