//! Criterion 2, header pass-through: `anthropic-version` and `anthropic-beta` (with a value no
//! gateway can know) and `x-claude-code-session-id` arrive at the upstream verbatim.

use super::{ANTHROPIC_VERSION, Check, Probe, request_body};
use serde_json::json;

const VERSION_BETA: &str = "headers.version_beta";
const VERSION_BETA_CRITERION: &str = "anthropic-version and anthropic-beta arrive verbatim";
const SESSION_ID: &str = "headers.session_id";
const SESSION_ID_CRITERION: &str = "x-claude-code-session-id arrives verbatim";

/// A real beta Claude Code sends and one made up, which a gateway with an allow-list would drop.
const BETA: &str = "claude-code-20250219,gwscript-probe-unknown-2099-01-01";

pub(super) async fn checks(probe: &Probe) -> Vec<Check> {
    if !probe.has_mock() {
        return vec![
            Check::needs_mock(VERSION_BETA, VERSION_BETA_CRITERION),
            Check::needs_mock(SESSION_ID, SESSION_ID_CRITERION),
        ];
    }
    let (body, nonce) = request_body(probe, json!({}), false);
    let session = format!("{nonce}-session");
    let sent = probe
        .post("/v1/messages?beta=true")
        .header("anthropic-beta", BETA)
        .header("x-claude-code-session-id", &session)
        .json(&body)
        .send()
        .await;
    let arrived = match sent {
        Ok(_) => probe.arrived(&nonce).await,
        Err(e) => Err(super::describe(&e)),
    };
    let request = match arrived {
        Ok(request) => request,
        Err(why) => {
            return vec![
                Check::fail(VERSION_BETA, VERSION_BETA_CRITERION, why.clone()),
                Check::fail(SESSION_ID, SESSION_ID_CRITERION, why),
            ];
        }
    };
    let version = request.header("anthropic-version");
    let beta = request.header("anthropic-beta");
    let version_beta = if version == Some(ANTHROPIC_VERSION) && beta == Some(BETA) {
        Check::pass(
            VERSION_BETA,
            VERSION_BETA_CRITERION,
            format!("both arrived: {BETA}"),
        )
    } else {
        let evidence = format!(
            "sent anthropic-version {ANTHROPIC_VERSION:?} and anthropic-beta {BETA:?}; the mock \
             got {version:?} and {beta:?}"
        );
        Check::fail(VERSION_BETA, VERSION_BETA_CRITERION, evidence).with_fix(
            "forward anthropic-version and anthropic-beta unchanged (nginx: no proxy_set_header \
             for them; LiteLLM: forward client headers)",
        )
    };
    let seen_session = request.header("x-claude-code-session-id");
    let session_id = if seen_session == Some(session.as_str()) {
        Check::pass(SESSION_ID, SESSION_ID_CRITERION, "arrived unchanged")
    } else {
        Check::fail(
            SESSION_ID,
            SESSION_ID_CRITERION,
            format!("sent {session:?}; the mock got {seen_session:?}"),
        )
        .with_fix("forward x-claude-code-session-id (headers with underscores or unknown names must not be dropped)")
    };
    vec![version_beta, session_id]
}
