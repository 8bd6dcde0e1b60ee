//! Criterion 8 (optional), model discovery as Claude Code does it with
//! `CLAUDE_CODE_ENABLE_GATEWAY_MODEL_DISCOVERY=1`: `GET /v1/models?limit=1000` answers within
//! 3 s, without a redirect, and lists ids containing `claude` or `anthropic`. Claude Code falls
//! back to its own model list otherwise, so a miss is a warning.

use super::evidence::{excerpt, header};
use super::{Api, Check, Probe};
use serde_json::Value;
use std::time::Duration;

const MODELS: &str = "discovery.models";
const CRITERION: &str = "GET /v1/models answers within 3 s, unredirected, listing Claude model ids";

/// Claude Code's own limit on the discovery request.
const DISCOVERY_TIMEOUT: Duration = Duration::from_secs(3);
const FIX: &str = "serve GET /v1/models with the gateway's Claude model ids (LiteLLM does), or \
                   leave CLAUDE_CODE_ENABLE_GATEWAY_MODEL_DISCOVERY unset";

pub(super) async fn checks(probe: &Probe) -> Vec<Check> {
    if probe.api() != Api::Messages {
        let why = format!(
            "discovery is part of the Messages format only, not {}",
            probe.api().name()
        );
        return vec![Check::skip(MODELS, CRITERION, why)];
    }
    vec![models(probe).await]
}

async fn models(probe: &Probe) -> Check {
    let request = probe
        .client
        .get(probe.url("/v1/models?limit=1000"))
        .header("anthropic-version", super::api::ANTHROPIC_VERSION)
        .timeout(DISCOVERY_TIMEOUT);
    let response = match super::authenticate(request, &probe.target.credential)
        .send()
        .await
    {
        Ok(response) => response,
        Err(e) => {
            return Check::warn(MODELS, CRITERION, super::describe(&e)).with_fix(FIX);
        }
    };
    let status = response.status().as_u16();
    if response.status().is_redirection() {
        let to = header(&response, "location")
            .map_or("elsewhere".to_owned(), |l| super::evidence::shown_url(&l));
        let evidence = format!("{status} to {to}: Claude Code treats any redirect as a failure");
        return Check::warn(MODELS, CRITERION, evidence).with_fix(FIX);
    }
    let text = match response.text().await {
        Ok(text) => text,
        Err(e) => return Check::warn(MODELS, CRITERION, super::describe(&e)).with_fix(FIX),
    };
    if status != 200 {
        let evidence = format!(
            "{status}: {}; Claude Code uses its own model list",
            excerpt(&text)
        );
        return Check::warn(MODELS, CRITERION, evidence).with_fix(FIX);
    }
    let ids: Vec<String> = serde_json::from_str::<Value>(&text)
        .ok()
        .and_then(|v| v.get("data").and_then(Value::as_array).cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|m| m.get("id").and_then(Value::as_str).map(str::to_owned))
        .collect();
    let claude: Vec<&str> = ids
        .iter()
        .map(String::as_str)
        .filter(|id| id.contains("claude") || id.contains("anthropic"))
        .collect();
    if claude.is_empty() {
        let evidence = format!(
            "200 with {} ids, none containing claude or anthropic: Claude Code keeps none",
            ids.len()
        );
        return Check::warn(MODELS, CRITERION, evidence).with_fix(FIX);
    }
    let shown: Vec<&str> = claude.iter().take(5).copied().collect();
    Check::pass(
        MODELS,
        CRITERION,
        format!(
            "{} of {} ids are Claude's: {}{}",
            claude.len(),
            ids.len(),
            shown.join(", "),
            if claude.len() > shown.len() {
                ", …"
            } else {
                ""
            }
        ),
    )
}
