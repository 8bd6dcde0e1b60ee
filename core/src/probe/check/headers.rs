//! Criterion 2, pass-through of what the upstream reads besides the prompt: the API version and
//! the betas (headers for Messages and Vertex, body fields for Bedrock), including a beta no
//! gateway can know; a beta together with the body field it enables; `x-claude-code-session-id`;
//! and the Messages route's `?beta=true` query. One request carries all of them, and the mock says
//! what arrived.

use super::api::ANTHROPIC_VERSION;
use super::{Api, Check, Probe, Prompt};
use crate::probe::mock::RecordedRequest;
use serde_json::{Value, json};

const VERSION_BETA: &str = "headers.version_beta";
const SESSION_ID: &str = "headers.session_id";
const SESSION_ID_CRITERION: &str = "x-claude-code-session-id arrives verbatim";
const QUERY: &str = "headers.query";
const QUERY_CRITERION: &str = "the ?beta=true query of /v1/messages reaches the upstream";
const FEATURE_PAIR: &str = "headers.feature_pair";
const FEATURE_PAIR_CRITERION: &str =
    "a beta and the body field it enables (context-management, context_management) arrive together";

/// Betas as Claude Code sends them, out of alphabetical order (so a gateway that sorts them
/// shows), with one made up (which a gateway with an allow-list drops) and one that pairs with a
/// body field.
const BETAS: [&str; 4] = [
    "interleaved-thinking-2025-05-14",
    "claude-code-20250219",
    "gwscript-probe-unknown-2099-01-01",
    PAIRED_BETA,
];
const PAIRED_BETA: &str = "context-management-2025-06-27";
const PAIRED_FIELD: &str = "context_management";

fn version_beta_criterion(api: Api) -> &'static str {
    match api {
        Api::Messages | Api::Vertex => "anthropic-version and anthropic-beta arrive verbatim",
        Api::Bedrock => "the body's anthropic_version and anthropic_beta arrive verbatim",
    }
}

pub(super) async fn checks(probe: &Probe) -> Vec<Check> {
    let api = probe.api();
    let mut ids = vec![
        (VERSION_BETA, version_beta_criterion(api)),
        (SESSION_ID, SESSION_ID_CRITERION),
        (FEATURE_PAIR, FEATURE_PAIR_CRITERION),
    ];
    if api == Api::Messages {
        ids.push((QUERY, QUERY_CRITERION));
    }
    if !probe.has_mock() {
        return ids
            .into_iter()
            .map(|(id, criterion)| Check::needs_mock(id, criterion))
            .collect();
    }
    let mut prompt = probe.prompt_with_betas(json!({}), false, BETAS.to_vec());
    prompt.body[PAIRED_FIELD] = json!({ "edits": [{ "type": "clear_tool_uses_20250919" }] });
    let session = format!("{}-session", prompt.nonce);
    let request = probe
        .request(&prompt)
        .header("x-claude-code-session-id", &session);
    let request = match probe.forwarded(request, &prompt.nonce).await {
        Ok(request) => request,
        Err(why) => {
            return ids
                .into_iter()
                .map(|(id, criterion)| Check::fail(id, criterion, why.clone()))
                .collect();
        }
    };
    let mut checks = vec![
        version_beta(api, &prompt, &request),
        session_id(&session, &request),
        feature_pair(api, &request),
    ];
    if api == Api::Messages {
        checks.push(query(&request));
    }
    checks
}

/// The version and the betas as they arrived.
fn arrived_version_betas(api: Api, request: &RecordedRequest) -> (Option<String>, Vec<String>) {
    match api {
        Api::Messages | Api::Vertex => {
            let betas = request
                .header("anthropic-beta")
                .map(|b| b.split(',').map(|v| v.trim().to_owned()).collect())
                .unwrap_or_default();
            (
                request.header("anthropic-version").map(str::to_owned),
                betas,
            )
        }
        Api::Bedrock => {
            let betas = request.body["anthropic_beta"]
                .as_array()
                .map(|b| {
                    b.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default();
            let version = request.body["anthropic_version"]
                .as_str()
                .map(str::to_owned);
            (version, betas)
        }
    }
}

fn version_beta(api: Api, prompt: &Prompt, request: &RecordedRequest) -> Check {
    let criterion = version_beta_criterion(api);
    let sent_version = match api {
        Api::Bedrock => prompt.body["anthropic_version"]
            .as_str()
            .unwrap_or_default(),
        Api::Messages | Api::Vertex => ANTHROPIC_VERSION,
    };
    let (version, betas) = arrived_version_betas(api, request);
    let fix = match api {
        Api::Bedrock => {
            "forward the request body unchanged: Bedrock reads anthropic_version and anthropic_beta from it"
        }
        Api::Messages | Api::Vertex => {
            "forward anthropic-version and anthropic-beta unchanged, every beta value (nginx: no \
             proxy_set_header for them; no allow-list of betas)"
        }
    };
    let sent = BETAS.join(",");
    let got = betas.join(",");
    if version.as_deref() != Some(sent_version) {
        let evidence = format!("sent version {sent_version:?}; the upstream got {version:?}");
        return Check::fail(VERSION_BETA, criterion, evidence).with_fix(fix);
    }
    if got == sent {
        return Check::pass(VERSION_BETA, criterion, format!("both arrived: {sent}"));
    }
    let mut sorted_sent: Vec<&str> = BETAS.to_vec();
    sorted_sent.sort_unstable();
    let mut sorted_got: Vec<&str> = betas.iter().map(String::as_str).collect();
    sorted_got.sort_unstable();
    if sorted_sent == sorted_got {
        // The betas are a set: the upstream enables the same features in any order.
        let evidence = format!(
            "every beta arrived, reordered: sent {sent}, the upstream got {got}; Claude Code \
             works, the upstream reads the betas as a set"
        );
        return Check::warn(VERSION_BETA, criterion, evidence)
            .with_fix("forward anthropic-beta as sent, in its order");
    }
    let missing: Vec<&str> = BETAS
        .iter()
        .copied()
        .filter(|b| !betas.iter().any(|g| g == b))
        .collect();
    if missing.is_empty() {
        // Every beta arrived; the gateway turned on more features than the client asked for.
        let evidence = format!("every beta arrived, and more: sent {sent}, the upstream got {got}");
        return Check::warn(VERSION_BETA, criterion, evidence)
            .with_fix("forward anthropic-beta as sent, adding no betas of the gateway's own");
    }
    let evidence = format!(
        "sent betas {sent}; the upstream got {:?} (missing: {})",
        got,
        missing.join(", ")
    );
    Check::fail(VERSION_BETA, criterion, evidence).with_fix(fix)
}

fn session_id(session: &str, request: &RecordedRequest) -> Check {
    let seen = request.header("x-claude-code-session-id");
    if seen == Some(session) {
        return Check::pass(SESSION_ID, SESSION_ID_CRITERION, "arrived unchanged");
    }
    // Claude Code works without it upstream; the provider loses the session grouping it uses for
    // attribution and prompt-cache affinity.
    Check::warn(
        SESSION_ID,
        SESSION_ID_CRITERION,
        format!(
            "sent {session:?}; the upstream got {seen:?}: Claude Code works, the provider cannot \
             group the session's requests"
        ),
    )
    .with_fix(
        "forward x-claude-code-session-id (headers the gateway does not know must not be dropped)",
    )
}

fn feature_pair(api: Api, request: &RecordedRequest) -> Check {
    let (_, betas) = arrived_version_betas(api, request);
    let beta = betas.iter().any(|b| b == PAIRED_BETA);
    let field = request.body.get(PAIRED_FIELD).is_some();
    match (beta, field) {
        (true, true) => Check::pass(
            FEATURE_PAIR,
            FEATURE_PAIR_CRITERION,
            format!("{PAIRED_BETA} and {PAIRED_FIELD} arrived together"),
        ),
        (false, true) => Check::fail(
            FEATURE_PAIR,
            FEATURE_PAIR_CRITERION,
            format!(
                "{PAIRED_FIELD} arrived without its beta {PAIRED_BETA}: the upstream answers \
                 400 \"Extra inputs are not permitted\""
            ),
        )
        .with_fix("forward every beta value; never strip betas while passing the body through"),
        (true, false) => Check::warn(
            FEATURE_PAIR,
            FEATURE_PAIR_CRITERION,
            format!(
                "{PAIRED_BETA} arrived but the body field {PAIRED_FIELD} was dropped: the \
                 request works, the feature is silently off"
            ),
        )
        .with_fix("forward the request body unchanged, fields the gateway does not know included"),
        (false, false) => Check::fail(
            FEATURE_PAIR,
            FEATURE_PAIR_CRITERION,
            format!("neither {PAIRED_BETA} nor {PAIRED_FIELD} arrived"),
        )
        .with_fix("forward betas and the request body unchanged"),
    }
}

fn query(request: &RecordedRequest) -> Check {
    match request.query.as_deref() {
        Some(query) if query.split('&').any(|pair| pair == "beta=true") => {
            Check::pass(QUERY, QUERY_CRITERION, format!("arrived: ?{query}"))
        }
        other => Check::warn(
            QUERY,
            QUERY_CRITERION,
            format!(
                "the upstream got {}; Claude Code works, the Messages API answers the same \
                 without it",
                other.map_or("no query".to_owned(), |q| format!("?{q}"))
            ),
        )
        .with_fix("forward the path with its query string (nginx: proxy_pass without a URI part)"),
    }
}
