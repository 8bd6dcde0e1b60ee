//! Criterion 4, errors pass through: for each status the upstream answers with (400, 401, 403,
//! 429, 500, 503, 529), the client gets that status, the upstream's JSON error body, `retry-after`
//! in integer seconds and `x-should-retry`, never an HTML page in their place. Claude Code's retry
//! logic reads all of them.

use super::evidence::{excerpt, header, is_html};
use super::{Check, Probe};
use crate::probe::mock::script::error_kind;
use serde_json::{Value, json};
use std::time::Duration;

const PASSTHROUGH: &str = "status.passthrough";
const CRITERION: &str = "400, 401, 403, 429, 500, 503 and 529 arrive with their status, JSON \
                         error body, retry-after (integer seconds) and x-should-retry";

/// The scripted errors: status, and the `retry-after` asked for.
const CASES: [(u16, Option<u64>); 7] = [
    (400, None),
    (401, None),
    (403, None),
    (429, Some(7)),
    (500, None),
    (503, None),
    (529, None),
];

/// What went wrong with one status, by how much it matters to Claude Code.
#[derive(Default)]
struct Findings {
    /// Changes that break Claude Code's handling: another status, another body, HTML, another
    /// retry-after or x-should-retry value.
    broken: Vec<String>,
    /// Changes Claude Code works through: a dropped retry header (it falls back to its own
    /// backoff), an error body reshaped under the right status (it retries by the status and
    /// shows the gateway's message).
    tolerated: Vec<String>,
    /// The gateway's own 429s while the upstream was in cooldown after a scripted error.
    cooldowns: Vec<String>,
    html: bool,
}

pub(super) async fn checks(probe: &Probe) -> Vec<Check> {
    if !probe.has_mock() {
        return vec![Check::needs_mock(PASSTHROUGH, CRITERION)];
    }
    let mut findings = Findings::default();
    for (status, retry_after) in CASES {
        one_status(probe, status, retry_after, &mut findings).await;
    }
    if !findings.broken.is_empty() {
        let fix = if findings.html {
            "pass upstream errors through: do not replace them with error pages (nginx: no \
             proxy_intercept_errors or error_page for these; a WAF must not answer with HTML)"
        } else {
            "pass upstream status codes, JSON error bodies, retry-after and x-should-retry through \
             unchanged; Claude Code retries by them"
        };
        let mut evidence = findings.broken;
        evidence.extend(findings.tolerated);
        evidence.extend(
            findings
                .cooldowns
                .iter()
                .map(|c| format!("the gateway {c}")),
        );
        return vec![Check::fail(PASSTHROUGH, CRITERION, evidence.join("; ")).with_fix(fix)];
    }
    let mut tolerated = Vec::new();
    if !findings.tolerated.is_empty() {
        tolerated.push(format!(
            "every status arrived as one Claude Code handles alike, but {}; it retries by the \
             status and falls back to its own backoff without the headers",
            findings.tolerated.join("; ")
        ));
    }
    if !findings.cooldowns.is_empty() {
        tolerated.push(format!(
            "the gateway {}: with one upstream, Claude Code's retries wait it out",
            findings.cooldowns.join("; it ")
        ));
    }
    if !tolerated.is_empty() {
        return vec![
            Check::warn(PASSTHROUGH, CRITERION, tolerated.join("; ")).with_fix(
                "forward the upstream's error bodies, retry-after and x-should-retry unchanged; \
                 give a model group more than one deployment, or a short cooldown (LiteLLM: \
                 router_settings cooldown_time)",
            ),
        ];
    }
    vec![Check::pass(
        PASSTHROUGH,
        CRITERION,
        "all 7 statuses arrived unmodified, with retry-after and x-should-retry",
    )]
}

/// The longest wait for a gateway that took the upstream out of rotation after an error.
const MAX_COOLDOWN: Duration = Duration::from_secs(30);
/// The wait when the gateway does not say how long.
const DEFAULT_COOLDOWN: Duration = Duration::from_secs(6);

/// Sends the scripted request. A gateway may answer it itself with a 429, without asking the
/// upstream, because an earlier scripted error put the upstream in cooldown (LiteLLM does after
/// a 401 or 429 from its only deployment): that is noted, waited out (as Claude Code's retries
/// would) and the request sent once more.
async fn send_past_cooldown(
    probe: &Probe,
    directive: &Value,
    findings: &mut Findings,
) -> Result<reqwest::Response, String> {
    let prompt = probe.prompt(directive.clone(), false);
    let response = probe.send(&prompt).await?;
    if response.status().as_u16() != 429 || probe.arrived(&prompt.nonce).await.is_ok() {
        return Ok(response);
    }
    let retry_after = header(&response, "retry-after");
    let text = response.text().await.unwrap_or_default();
    let wait = cooldown(retry_after.as_deref(), &text);
    findings.cooldowns.push(format!(
        "answered a request with 429 itself, without asking the upstream, for about {} s after \
         an earlier error ({})",
        wait.as_secs(),
        excerpt(&text)
    ));
    tokio::time::sleep(wait).await;
    let prompt = probe.prompt(directive.clone(), false);
    probe.send(&prompt).await
}

/// How long a gateway's own 429 asks to wait: `retry-after`, or the "in N seconds" of its message.
fn cooldown(retry_after: Option<&str>, text: &str) -> Duration {
    let from_message = text
        .split("in ")
        .skip(1)
        .find_map(|rest| rest.split_whitespace().next()?.parse::<u64>().ok());
    retry_after
        .and_then(|v| v.trim().parse::<u64>().ok())
        .or(from_message)
        .map_or(DEFAULT_COOLDOWN, |secs| Duration::from_secs(secs + 1))
        .min(MAX_COOLDOWN)
}

/// What Claude Code does with a status: 401 makes it log in again (or rerun the apiKeyHelper),
/// 408, 409, 429 and 5xx it retries, any other status it reports.
fn handling(status: u16) -> &'static str {
    match status {
        401 => "log in again",
        408 | 409 | 429 | 500..=599 => "retry",
        200..=299 => "success",
        _ => "report",
    }
}

async fn one_status(probe: &Probe, status: u16, retry_after: Option<u64>, findings: &mut Findings) {
    // What the mock sends for this status: the error type, and x-should-retry.
    let Some((kind, retries)) = error_kind(status) else {
        return;
    };
    let mut directive = json!({ "status": status });
    if let Some(seconds) = retry_after {
        directive["retry_after"] = json!(seconds);
    }
    let response = match send_past_cooldown(probe, &directive, findings).await {
        Ok(response) => response,
        Err(why) => {
            findings.broken.push(format!("{status}: {why}"));
            return;
        }
    };
    let got = response.status().as_u16();
    let content_type = header(&response, "content-type");
    let retry = header(&response, "retry-after");
    let should_retry = header(&response, "x-should-retry");
    let text = response.text().await.unwrap_or_default();
    let error_type = serde_json::from_str::<Value>(&text).ok().and_then(|v| {
        v.pointer("/error/type")
            .and_then(Value::as_str)
            .map(str::to_owned)
    });
    if is_html(content_type.as_deref(), &text) {
        findings.html = true;
        findings
            .broken
            .push(format!("{status} came back as an HTML page ({got})"));
        return;
    }
    if got != status {
        let changed = format!("{status} came back as {got}: {}", excerpt(&text));
        // Claude Code acts on the kind of status: retry it, ask to log in again, or give up.
        if handling(got) == handling(status) {
            findings.tolerated.push(changed);
        } else {
            findings.broken.push(changed);
        }
        return;
    }
    if error_type.as_deref() != Some(kind) {
        findings.tolerated.push(format!(
            "{status}'s error body was reshaped: {}",
            excerpt(&text)
        ));
    }
    // The mock sends retry-after with 429 and 529 (1 s unless scripted).
    let want_retry = retry_after.or(matches!(status, 429 | 529).then_some(1));
    if let Some(seconds) = want_retry {
        match retry.as_deref() {
            Some(value) if value == seconds.to_string() => {}
            None => findings
                .tolerated
                .push(format!("{status} lost its retry-after")),
            Some(value) => findings.broken.push(format!(
                "{status}: retry-after {value:?}, expected integer seconds {seconds}"
            )),
        }
    }
    let want_should_retry = if retries { "true" } else { "false" };
    match should_retry.as_deref() {
        Some(value) if value == want_should_retry => {}
        None => findings
            .tolerated
            .push(format!("{status} lost its x-should-retry")),
        Some(value) => findings.broken.push(format!(
            "{status}: x-should-retry {value:?}, the upstream sent {want_should_retry:?}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cooldown_is_read_from_retry_after_or_the_message_and_bounded() {
        assert_eq!(cooldown(Some("3"), ""), Duration::from_secs(4));
        let litellm = "No deployments available for selected model, Try again in 5 seconds.";
        assert_eq!(cooldown(None, litellm), Duration::from_secs(6));
        assert_eq!(cooldown(None, "busy"), DEFAULT_COOLDOWN);
        assert_eq!(cooldown(Some("86400"), ""), MAX_COOLDOWN);
    }

    #[test]
    fn statuses_are_grouped_by_what_claude_code_does_with_them() {
        assert_eq!(handling(529), handling(500));
        assert_eq!(handling(429), handling(503));
        assert_ne!(handling(401), handling(403));
        assert_ne!(handling(429), handling(400));
    }
}
